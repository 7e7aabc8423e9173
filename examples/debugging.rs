//! Guide section 12, "Debugging": a `tracing_subscriber` fmt subscriber showing the cookie
//! engine's decisions (DEBUG), redirects and response bodies (INFO, `set_debug_redirects`,
//! `set_debug_responses`) and HTTP headers (INFO, `set_debug_http`), for a `UserAgent` talking
//! to a small site on 127.0.0.1. The log is captured as well as printed, and checked. Offline;
//! ends by itself.
//!
//! `cargo run -p mechanize-examples --example debugging`

use std::io::Write;
use std::sync::{Arc, Mutex, PoisonError};

use bytes::Bytes;
use http_body_util::Full;
use hyper::{Request as HyperRequest, Response as HyperResponse, StatusCode};
use mechanize::UserAgent;
use mechanize_integration_tests::{BoxError, serve};

/// The site: `/login` sets a cookie and redirects to `/home`; `/ad.html` sets a cookie for a
/// domain the request is not in (refused).
fn site(req: HyperRequest<hyper::body::Incoming>) -> HyperResponse<Full<Bytes>> {
    let builder = match req.uri().path() {
        "/login" => HyperResponse::builder()
            .status(StatusCode::FOUND)
            .header("Location", "/home")
            .header("Set-Cookie", "session=abc; Path=/"),
        "/ad.html" => HyperResponse::builder().header("Set-Cookie", "id=1; Domain=.ads.example"),
        _ => HyperResponse::builder(),
    };
    builder
        .body(Full::new(Bytes::from("the page body")))
        .unwrap_or_default()
}

/// A log sink that prints each line and keeps a copy to check.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        std::io::stdout().write_all(buf)?;
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        std::io::stdout().flush()
    }
}

impl Capture {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(PoisonError::into_inner)).into_owned()
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), BoxError> {
    // Python: logging.basicConfig(level=logging.DEBUG) — here, a fmt subscriber at DEBUG.
    let log = Capture::default();
    let writer = log.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_writer(move || writer.clone())
        .init();

    let addr = serve(site).await?;
    let mut ua = UserAgent::new();
    ua.set_handle_robots(false)
        .set_debug_redirects(true) // redirects and refreshes, INFO
        .set_debug_responses(true) // every body, INFO
        .set_debug_http(true); // request and response headers, INFO
    let mut r = ua.open(format!("http://{addr}/login")).await?;
    assert_eq!(r.text().await?, "the page body");
    ua.open(format!("http://{addr}/ad.html")).await?;

    let text = log.text();
    let has = |level: &str, needle: &str| {
        text.lines()
            .any(|l| l.contains(level) && l.contains(needle))
    };
    // The cookie engine, at DEBUG: accepted, returned and refused, with the rule.
    assert!(has("DEBUG", "cookie accepted"), "{text}");
    assert!(has("DEBUG", "cookie returned"), "{text}");
    assert!(has("DEBUG", "cookie refused"), "{text}");
    // Redirects, responses and headers at INFO.
    assert!(has("INFO", "redirecting to"), "{text}");
    assert!(has("INFO", "the page body"), "{text}");
    assert!(has("INFO", "send: GET"), "{text}");
    assert!(has("INFO", "reply:"), "{text}");
    assert!(has("INFO", "set-cookie: session=abc"), "{text}");
    println!("--- checked {} log lines", text.lines().count());
    Ok(())
}
