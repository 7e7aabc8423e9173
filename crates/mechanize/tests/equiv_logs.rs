//! The DEBUG events of `HTTPEquivProcessor`: a pragma that is not a valid header is skipped
//! with one, and each scan says what ended the head. Alone in its binary: it installs
//! `tracing` subscribers.

use std::sync::Arc;

use bytes::Bytes;
use http_body_util::Full;
use hyper::Response as HyperResponse;
use mechanize::build_opener;
use mechanize::processors::HTTPEquivProcessor;
use mechanize_integration_tests::serve;

#[path = "support/logs.rs"]
mod logs;
use logs::logged;

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
