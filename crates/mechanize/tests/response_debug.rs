//! `HTTPResponseDebugProcessor`: what it logs at INFO for each hop of a 302 → 200 chain on a
//! real server on 127.0.0.1, that bodies stay readable, and silence below INFO. Alone in its
//! binary: it installs `tracing` subscribers.

use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::Full;
use hyper::{Response as HyperResponse, StatusCode};
use mechanize::build_opener;
use mechanize::processors::HTTPResponseDebugProcessor;
use mechanize_integration_tests::serve;

#[path = "support/logs.rs"]
mod logs;
use logs::logged;

const REDIRECT_BODY: &str = "redirect body: this page has moved";

/// The final page: long enough to come in several chunks, with a marker at each end.
fn final_body() -> String {
    let mut body = String::from("final body starts;");
    while body.len() < 200_000 {
        body.push_str(" lorem ipsum");
    }
    body.push_str(";final body ends");
    body
}

/// `/start` → 302 `/final` (with a body of its own) → 200.
async fn server() -> SocketAddr {
    let page = Bytes::from(final_body());
    serve(move |req| match req.uri().path() {
        "/start" => HyperResponse::builder()
            .status(StatusCode::FOUND)
            .header("Location", "/final")
            .body(Full::new(Bytes::from_static(REDIRECT_BODY.as_bytes())))
            .unwrap_or_default(),
        _ => HyperResponse::new(Full::new(page.clone())),
    })
    .await
    .expect("server")
}

#[test]
fn every_hop_body_is_logged_at_info_and_still_readable() {
    assert_eq!(
        mechanize::handler::Handler::handler_order(&HTTPResponseDebugProcessor),
        900,
        "mechanize's"
    );
    let log = logged(tracing::Level::INFO, async {
        let addr = server().await;
        let opener = build_opener(vec![Arc::new(HTTPResponseDebugProcessor)]);
        let mut r = opener
            .open_url(&format!("http://{addr}/start"))
            .await
            .expect("open");
        assert_eq!(r.geturl().path(), "/final");
        assert!(r.is_seekable(), "made seekable to be logged");
        assert_eq!(r.tell().expect("seekable"), 0);
        assert_eq!(r.text().await.expect("body"), final_body(), "read in full");
    });
    let events: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("mechanize::processors::response_debug"))
        .collect();
    assert_eq!(events.len(), 4, "a body and a separator per hop:\n{log}");
    assert!(events[0].contains(REDIRECT_BODY), "{}", events[0]);
    assert!(events[0].contains("status=302"), "{}", events[0]);
    assert!(events[0].contains("/start"), "{}", events[0]);
    assert!(events[1].ends_with("*****************************************************"));
    assert!(events[2].contains("final body starts;"));
    assert!(events[2].contains(";final body ends"), "the whole body");
    assert!(events[2].contains("status=200"));
    assert!(events[2].contains("/final"));
    assert!(events[3].ends_with("*****************************************************"));

    // Below INFO the processor stays out of the way: nothing logged, nothing buffered.
    let log = logged(tracing::Level::WARN, async {
        let addr = server().await;
        let opener = build_opener(vec![Arc::new(HTTPResponseDebugProcessor)]);
        let mut r = opener
            .open_url(&format!("http://{addr}/start"))
            .await
            .expect("open");
        assert!(!r.is_seekable(), "not read, not made seekable");
        assert_eq!(r.text().await.expect("body"), final_body());
    });
    assert!(!log.contains("response_debug"), "{log}");
}
