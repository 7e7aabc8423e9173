//! The DEBUG events of `HTTPEquivProcessor`: a pragma that is not a valid header is skipped
//! with one, and each scan says what ended the head. Alone in its binary: it installs
//! `tracing` subscribers.

use std::io::Write;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http_body_util::Full;
use hyper::Response as HyperResponse;
use mechanize::build_opener;
use mechanize::processors::HTTPEquivProcessor;
use mechanize_integration_tests::serve;

/// A `tracing` writer into a shared buffer.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("buffer").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Runs `f` on a fresh runtime with a subscriber at `level` and returns the text logged.
fn logged<F: std::future::Future<Output = ()>>(level: tracing::Level, f: F) -> String {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    tracing::subscriber::with_default(subscriber, || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
            .block_on(f)
    });
    let log = captured.0.lock().expect("buffer").clone();
    String::from_utf8(log).expect("utf-8")
}

const PAGE: &str = "<html><head>\
    <meta http-equiv=\"bad name\" content=\"1\">\
    <meta http-equiv=\"X-Accent\" content=\"caf\u{e9}\">\
    <meta http-equiv=\"X-Good\" content=\"kept\">\
    </head><body>text</body></html>";

#[test]
fn invalid_pragmas_are_skipped_with_a_debug_event() {
    let log = logged(tracing::Level::DEBUG, async {
        let addr = serve(|_| {
            HyperResponse::builder()
                .header("Content-Type", "text/html")
                .body(Full::new(Bytes::from_static(PAGE.as_bytes())))
                .unwrap_or_default()
        })
        .await
        .expect("server");
        let opener = build_opener(vec![Arc::new(HTTPEquivProcessor::new())]);
        let mut r = opener
            .open_url(&format!("http://{addr}/"))
            .await
            .expect("open");
        assert_eq!(r.info()["x-good"], "kept");
        assert!(!r.info().contains_key("x-accent"));
        assert_eq!(r.text().await.expect("body"), PAGE);
    });
    let skipped: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("skipped an http-equiv pragma"))
        .collect();
    assert_eq!(skipped.len(), 2, "{log}");
    assert!(skipped[0].contains("DEBUG"), "{}", skipped[0]);
    assert!(skipped[0].contains("bad name"), "{}", skipped[0]);
    assert!(skipped[1].contains("X-Accent"), "{}", skipped[1]);
    let scans: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("scanned the head"))
        .collect();
    assert_eq!(scans.len(), 1, "{log}");
    assert!(scans[0].contains("ended_by=\"</head>\""), "{}", scans[0]);
    assert!(scans[0].contains("pragmas=3"), "{}", scans[0]);
    assert!(
        scans[0].contains(&format!("read={}", PAGE.len())),
        "{}",
        scans[0]
    );
}
