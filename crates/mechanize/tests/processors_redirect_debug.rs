//! `HTTPRedirectDebugProcessor`: what it logs at INFO for the redirects and refreshes of a
//! chain on a real server on 127.0.0.1, and that it stays silent below INFO. Alone in its
//! binary: it installs `tracing` subscribers.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http::{HeaderValue, StatusCode};
use http_body_util::Full;
use mechanize::build_opener;
use mechanize::processors::{HTTPRedirectDebugProcessor, HTTPRefreshProcessor};
use mechanize_integration_tests::serve;

#[path = "support/logs.rs"]
mod logs;
use logs::logged;

/// `/a` → 302 `/b` → 301 `/c`, which refreshes to `/d`; anything else 200.
async fn server() -> SocketAddr {
    serve(|req| {
        let mut reply = hyper::Response::new(Full::new(Bytes::new()));
        let mut to = |status: StatusCode, header: &'static str, value: &'static str| {
            *reply.status_mut() = status;
            reply
                .headers_mut()
                .insert(header, HeaderValue::from_static(value));
        };
        match req.uri().path() {
            "/a" => to(StatusCode::FOUND, "location", "/b"),
            "/b" => to(StatusCode::MOVED_PERMANENTLY, "location", "/c"),
            "/c" => to(StatusCode::OK, "refresh", "0; url=/d"),
            _ => {}
        }
        reply
    })
    .await
    .expect("server")
}

/// Opens `/a` with the debug processor and the default refresh processor; returns the base
/// URL and the final URL.
async fn follow_the_chain() -> (String, String) {
    let addr = server().await;
    let opener = build_opener(vec![
        Arc::new(HTTPRedirectDebugProcessor),
        Arc::new(HTTPRefreshProcessor::default()),
    ]);
    let base = format!("http://{addr}");
    let response = opener.open_url(&format!("{base}/a")).await.expect("open");
    (base, response.geturl().to_string())
}

#[test]
fn each_redirect_and_refresh_is_logged_at_info_only() {
    let result = Arc::new(Mutex::new(None));
    let slot = Arc::clone(&result);
    let log = logged(tracing::Level::INFO, async move {
        *slot.lock().expect("slot") = Some(follow_the_chain().await);
    });
    let (base, last) = result.lock().expect("slot").take().expect("ran");
    assert_eq!(last, format!("{base}/d"));
    let lines: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("redirecting to"))
        .collect();
    assert_eq!(lines.len(), 3, "{log}");
    for (line, (from, to, status)) in
        lines
            .iter()
            .zip([("a", "b", 302), ("b", "c", 301), ("c", "d", 302)])
    {
        assert!(line.contains(" INFO "), "{line}");
        assert!(
            line.contains(&format!("redirecting to {base}/{to}")),
            "{line}"
        );
        assert!(line.contains(&format!("from={base}/{from}")), "{line}");
        assert!(line.contains(&format!("to={base}/{to}")), "{line}");
        assert!(line.contains(&format!("status={status}")), "{line}");
    }
    assert!(!log.contains(&format!("redirecting to {base}/a")), "{log}");

    let quiet = logged(tracing::Level::WARN, async {
        follow_the_chain().await;
    });
    assert!(!quiet.contains("redirecting to"), "{quiet}");
}
