//! `HTTPEquivProcessor` against real servers on 127.0.0.1: pragmas of the head become headers
//! (a `Set-Cookie` reaches the jar, a `Refresh` is added), only the head is read, bodies stay whole.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{Full, StreamBody};
use hyper::body::Frame;
use hyper::service::service_fn;
use hyper::{Request as HyperRequest, Response as HyperResponse};
use hyper_util::rt::TokioIo;
use mechanize::handler::{Handler, ResponseProcessor};
use mechanize::processors::{
    DEFAULT_MAX_HEAD, HTTPCookieProcessor, HTTPEquivProcessor, HTTPRefreshProcessor,
    SeekableProcessor,
};
use mechanize::{OpenerDirector, build_opener};
use mechanize_integration_tests::serve;
use tokio::net::TcpListener;
use tokio::sync::{Notify, mpsc};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn html(body: impl Into<Bytes>) -> HyperResponse<Full<Bytes>> {
    HyperResponse::builder()
        .header("Content-Type", "text/html; charset=utf-8")
        .body(Full::new(body.into()))
        .unwrap_or_default()
}

fn equiv_opener() -> OpenerDirector {
    build_opener(vec![Arc::new(HTTPEquivProcessor::new())])
}

const LOGIN_PAGE: &str = "<!DOCTYPE html><html><head><title>Login</title>\
    <meta http-equiv=\"Set-Cookie\" content=\"sid=from-meta; Path=/\">\
    </head><body>Welcome</body></html>";

/// `/login` sets a cookie by a meta pragma only; `/check` echoes the `Cookie` it got.
fn cookie_site(req: HyperRequest<hyper::body::Incoming>) -> HyperResponse<Full<Bytes>> {
    match req.uri().path() {
        "/login" => html(LOGIN_PAGE),
        _ => {
            let cookie = req
                .headers()
                .get("cookie")
                .and_then(|c| c.to_str().ok())
                .unwrap_or("-")
                .to_owned();
            HyperResponse::new(Full::new(Bytes::from(format!("cookie={cookie}"))))
        }
    }
}

#[tokio::test(flavor = "current_thread")]
async fn a_meta_set_cookie_reaches_the_jar_and_is_sent_next_time() -> TestResult {
    let addr = serve(cookie_site).await?;
    let opener = equiv_opener();
    let mut login = opener.open_url(&format!("http://{addr}/login")).await?;
    assert_eq!(login.info()["set-cookie"], "sid=from-meta; Path=/");
    assert_eq!(login.text().await?, LOGIN_PAGE, "the body is whole");
    let mut check = opener.open_url(&format!("http://{addr}/check")).await?;
    assert_eq!(check.text().await?, "cookie=sid=from-meta");
    Ok(())
}

#[tokio::test(flavor = "current_thread")]
async fn the_processor_runs_before_the_cookie_processor_and_must() -> TestResult {
    let addr = serve(cookie_site).await?;
    let equiv = HTTPEquivProcessor::new();
    assert_eq!(equiv.handler_order(), 300, "mechanize's");
    assert!(equiv.handler_order() < HTTPCookieProcessor::default().handler_order());
    let opener = equiv_opener();
    let order: Vec<String> = opener
        .handlers()
        .iter()
        .filter(|h| h.response_processor().is_some())
        .map(|h| format!("{h:?}"))
        .collect();
    let at = |name: &str| order.iter().position(|h| h.starts_with(name));
    assert!(
        at("HTTPEquivProcessor") < at("HTTPCookieProcessor"),
        "{order:?}"
    );

    // The same processor placed after the cookie processor adds the header too late.
    #[derive(Debug)]
    struct Late(HTTPEquivProcessor);
    impl Handler for Late {
        fn handler_order(&self) -> i32 {
            600
        }
        fn response_processor(&self) -> Option<&dyn ResponseProcessor> {
            Some(&self.0)
        }
    }
    let late = build_opener(vec![Arc::new(Late(HTTPEquivProcessor::new()))]);
    let login = late.open_url(&format!("http://{addr}/login")).await?;
    assert_eq!(login.info()["set-cookie"], "sid=from-meta; Path=/");
    let mut check = late.open_url(&format!("http://{addr}/check")).await?;
    assert_eq!(check.text().await?, "cookie=-", "the jar never saw it");
    Ok(())
}

const REFRESH_PAGE: &str = "<html><head>\
    <meta http-equiv=\"refresh\" content=\"3; url=/next?a=1&amp;b=2\">\
    <meta http-equiv=\"X-Server\" content=\"from meta\">\
    </head><body><p>Moving soon</p></body></html>";

#[tokio::test(flavor = "current_thread")]
async fn a_meta_refresh_is_added_and_server_headers_are_kept() -> TestResult {
    let addr = serve(|_| {
        let mut r = html(REFRESH_PAGE);
        r.headers_mut()
            .insert("X-Server", hyper::header::HeaderValue::from_static("sent"));
        r
    })
    .await?;
    let mut r = equiv_opener().open_url(&format!("http://{addr}/")).await?;
    assert_eq!(r.info()["refresh"], "3; url=/next?a=1&b=2");
    let servers: Vec<_> = r.info().get_all("x-server").iter().collect();
    assert_eq!(servers, ["sent", "from meta"], "appended, not replaced");
    assert!(!r.is_seekable(), "left as it came");
    assert_eq!(r.text().await?, REFRESH_PAGE);
    Ok(())
}

const HIDDEN_PAGE: &str = "<!DOCTYPE html>\n<html>\n<head>\n\
    <!-- <meta http-equiv=\"X-Comment\" content=\"1\"> -->\n\
    <script>document.write('<meta http-equiv=\"X-Script\" content=\"1\">');</script>\n\
    <style>/* <meta http-equiv=\"X-Style\" content=\"1\"> */</style>\n\
    <title><meta http-equiv=\"X-Title\" content=\"1\"></title>\n\
    <meta http-equiv=\"X-Head\" content=\"yes\">\n\
    <meta http-equiv=\"bad name\" content=\"skipped\">\n\
    <meta http-equiv=\"X-Latin\" content=\"caf\u{e9}\">\n\
    </head>\n<body>\n<meta http-equiv=\"X-Body\" content=\"1\">\n</body></html>";

#[tokio::test(flavor = "current_thread")]
async fn metas_in_comments_scripts_and_the_body_are_ignored() -> TestResult {
    let addr = serve(|_| html(HIDDEN_PAGE)).await?;
    let mut r = equiv_opener().open_url(&format!("http://{addr}/")).await?;
    let mut added: Vec<&str> = r
        .info()
        .keys()
        .map(|k| k.as_str())
        .filter(|k| k.starts_with("x-"))
        .collect();
    added.sort_unstable();
    assert_eq!(added, ["x-head"], "{:?}", r.info());
    assert_eq!(r.info()["x-head"], "yes");
    assert_eq!(r.text().await?, HIDDEN_PAGE);
    Ok(())
}

const PRAGMA_PAGE: &str = "<head><meta http-equiv=\"X-Pragma\" content=\"seen\"></head>";

#[tokio::test(flavor = "current_thread")]
async fn only_html_is_read() -> TestResult {
    let addr = serve(|req| {
        let kind = match req.uri().path() {
            "/plain" => Some("text/plain"),
            "/json" => Some("application/json"),
            "/xhtml" => Some("application/xhtml+xml"),
            "/upper" => Some("TEXT/HTML ; charset=latin1"),
            _ => None,
        };
        let mut builder = HyperResponse::builder();
        if let Some(kind) = kind {
            builder = builder.header("Content-Type", kind);
        }
        builder
            .body(Full::new(Bytes::from_static(PRAGMA_PAGE.as_bytes())))
            .unwrap_or_default()
    })
    .await?;
    let opener = equiv_opener();
    for (path, read) in [
        ("/plain", false),
        ("/json", false),
        ("/xhtml", true),
        ("/upper", true),
        ("/page.html", true),
        ("/page.HTM", true),
        ("/page.xhtml", true),
        ("/page.txt", false),
        ("/", false),
    ] {
        let mut r = opener.open_url(&format!("http://{addr}{path}")).await?;
        assert_eq!(r.info().contains_key("x-pragma"), read, "{path}");
        assert!(!r.is_seekable(), "{path}");
        assert_eq!(r.text().await?, PRAGMA_PAGE, "{path}");
    }
    Ok(())
}

#[tokio::test(flavor = "current_thread")]
async fn a_gzipped_page_is_read_decoded() -> TestResult {
    use async_compression::tokio::bufread::GzipEncoder;
    use tokio::io::AsyncReadExt;
    let mut gz = Vec::new();
    GzipEncoder::new(REFRESH_PAGE.as_bytes())
        .read_to_end(&mut gz)
        .await?;
    let gz = Bytes::from(gz);
    let addr = serve(move |_| {
        HyperResponse::builder()
            .header("Content-Type", "text/html")
            .header("Content-Encoding", "gzip")
            .body(Full::new(gz.clone()))
            .unwrap_or_default()
    })
    .await?;
    let mut r = equiv_opener().open_url(&format!("http://{addr}/")).await?;
    assert_eq!(r.info()["refresh"], "3; url=/next?a=1&b=2");
    assert_eq!(r.text().await?, REFRESH_PAGE);
    Ok(())
}

/// A body handed to hyper chunk by chunk from a channel, counting the bytes handed over.
struct Counted {
    rx: mpsc::Receiver<Bytes>,
    sent: Arc<AtomicUsize>,
}

impl futures_core::Stream for Counted {
    type Item = Result<Frame<Bytes>, Infallible>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.rx.poll_recv(cx).map(|chunk| {
            chunk.map(|c| {
                self.sent.fetch_add(c.len(), Ordering::SeqCst);
                Ok(Frame::data(c))
            })
        })
    }
}

/// A big HTML page of which only the first `gate_at` bytes are sent, in chunks of `chunk`
/// bytes, until the test opens the gate; the rest follows in chunks of 64 KiB.
struct BigPage {
    addr: SocketAddr,
    sent: Arc<AtomicUsize>,
    gate: Arc<Notify>,
}

async fn serve_big_page(page: Bytes, gate_at: usize, chunk: usize) -> std::io::Result<BigPage> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let sent = Arc::new(AtomicUsize::new(0));
    let gate = Arc::new(Notify::new());
    let (server_sent, server_gate) = (Arc::clone(&sent), Arc::clone(&gate));
    tokio::spawn(async move {
        let Ok((stream, _)) = listener.accept().await else {
            return;
        };
        let service = service_fn(move |_req| {
            let (tx, rx) = mpsc::channel::<Bytes>(1);
            let length = page.len();
            let (page, gate) = (page.clone(), Arc::clone(&server_gate));
            tokio::spawn(async move {
                let (mut at, mut opened) = (0, false);
                while at < page.len() {
                    if at >= gate_at && !opened {
                        gate.notified().await;
                        opened = true;
                    }
                    let size = if at < gate_at { chunk } else { 64 << 10 };
                    let end = (at + size).min(page.len());
                    let end = if at < gate_at { end.min(gate_at) } else { end };
                    if tx.send(page.slice(at..end)).await.is_err() {
                        return;
                    }
                    at = end;
                }
            });
            let body = StreamBody::new(Counted {
                rx,
                sent: Arc::clone(&server_sent),
            });
            let response = HyperResponse::builder()
                .header("Content-Type", "text/html")
                .header("Content-Length", length)
                .body(body);
            async move { response }
        });
        let _ = hyper::server::conn::http1::Builder::new()
            .serve_connection(TokioIo::new(stream), service)
            .await;
    });
    Ok(BigPage { addr, sent, gate })
}

/// Reads the rest of a response, checking it against `page`; returns how many bytes came.
async fn read_all_checked(r: &mut mechanize::Response, page: &[u8]) -> mechanize::Result<usize> {
    let mut got = 0;
    while let Some(chunk) = r.chunk().await? {
        assert_eq!(&page[got..got + chunk.len()], &chunk[..], "at {got}");
        got += chunk.len();
    }
    Ok(got)
}

const TEN_MB: usize = 10 * 1024 * 1024;

fn big_page(head: &str) -> Bytes {
    let mut page = head.as_bytes().to_vec();
    let line = b"<p>filler filler filler filler filler filler filler filler</p>\n";
    while page.len() < TEN_MB {
        page.extend_from_slice(line);
    }
    page.truncate(TEN_MB);
    Bytes::from(page)
}

#[tokio::test(flavor = "current_thread")]
async fn a_10_mb_page_costs_only_its_head() -> TestResult {
    let page = big_page(
        "<!DOCTYPE html><html><head><title>Big</title>\
         <meta http-equiv=\"Refresh\" content=\"10; url=/elsewhere\">\
         <meta http-equiv=\"Set-Cookie\" content=\"big=1\"></head><body>\n",
    );
    // Only 64 KiB are sent before the response is returned: reading further would hang.
    let gate_at = 64 << 10;
    let server = serve_big_page(page.clone(), gate_at, 16 << 10).await?;
    let opener = equiv_opener();
    let url = format!("http://{}/big.html", server.addr);
    let open = opener.open_url(&url);
    let mut r = tokio::time::timeout(Duration::from_secs(30), open)
        .await
        .map_err(|_| "the processor read past the first 64 KiB")??;
    let sent_when_processed = server.sent.load(Ordering::SeqCst);
    assert!(
        sent_when_processed <= gate_at,
        "{sent_when_processed} bytes sent"
    );
    assert_eq!(r.info()["refresh"], "10; url=/elsewhere");
    assert_eq!(r.info()["set-cookie"], "big=1");
    assert!(!r.is_seekable(), "the body will not be kept as it is read");

    server.gate.notify_one();
    let got = read_all_checked(&mut r, &page).await?;
    assert_eq!(got, TEN_MB, "the whole body, head included");
    assert_eq!(server.sent.load(Ordering::SeqCst), TEN_MB);
    Ok(())
}

#[tokio::test(flavor = "current_thread")]
async fn a_head_longer_than_the_limit_is_read_only_to_the_limit() -> TestResult {
    // A script of 2 MiB in the head: the pragma after it is past the limit.
    let mut head =
        String::from("<html><head><meta http-equiv=\"X-Early\" content=\"1\"><script>var s = \"");
    head.push_str(&"a".repeat(2 << 20));
    head.push_str("\";</script><meta http-equiv=\"X-Late\" content=\"1\"></head><body>");
    let page = big_page(&head);
    let gate_at = DEFAULT_MAX_HEAD + (16 << 10);
    let server = serve_big_page(page.clone(), gate_at, 16 << 10).await?;
    let opener = equiv_opener();
    let url = format!("http://{}/", server.addr);
    let open = opener.open_url(&url);
    let mut r = tokio::time::timeout(Duration::from_secs(30), open)
        .await
        .map_err(|_| "the processor read past its limit")??;
    assert!(server.sent.load(Ordering::SeqCst) <= gate_at);
    assert_eq!(r.info()["x-early"], "1");
    assert!(!r.info().contains_key("x-late"));
    server.gate.notify_one();
    assert_eq!(read_all_checked(&mut r, &page).await?, TEN_MB);
    Ok(())
}

#[tokio::test(flavor = "current_thread")]
async fn a_smaller_limit_is_kept() -> TestResult {
    let mut head = String::from("<head><style>");
    head.push_str(&" ".repeat(10_000));
    head.push_str("</style><meta http-equiv=\"X-After\" content=\"1\"></head>");
    let page = Bytes::from(head);
    let served = page.clone();
    let addr = serve(move |_| html(served.clone())).await?;
    let small = build_opener(vec![Arc::new(
        HTTPEquivProcessor::new().with_max_head(8 << 10),
    )]);
    let mut r = small.open_url(&format!("http://{addr}/")).await?;
    assert!(!r.info().contains_key("x-after"), "past 8 KiB");
    assert_eq!(r.bytes().await?, page);
    let mut r = equiv_opener().open_url(&format!("http://{addr}/")).await?;
    assert_eq!(
        r.info()["x-after"],
        "1",
        "the second step, 16 KiB, holds it"
    );
    assert_eq!(r.bytes().await?, page);
    Ok(())
}

#[tokio::test(flavor = "current_thread")]
async fn a_server_that_pauses_after_the_head_is_not_waited_for() -> TestResult {
    let head = "<!DOCTYPE html><html><head><title>Slow</title>\
        <meta http-equiv=\"Refresh\" content=\"1\"><script>if (a > b) {}</script>\
        </head><body>\n";
    let page = big_page(head);
    // The head and a few bytes, in pieces of 1, 7 or 4096 bytes; then nothing until the
    // gate opens (a page whose server flushes its head early, then works on the body).
    for chunk in [1, 7, 4096] {
        let gate_at = head.len() + 10;
        let server = serve_big_page(page.clone(), gate_at, chunk).await?;
        let opener = equiv_opener();
        let url = format!("http://{}/", server.addr);
        let open = opener.open_url(&url);
        let mut r = tokio::time::timeout(Duration::from_secs(30), open)
            .await
            .map_err(|_| format!("waited for more than the head (chunks of {chunk})"))??;
        assert_eq!(
            server.sent.load(Ordering::SeqCst),
            gate_at,
            "chunks of {chunk}"
        );
        assert_eq!(r.info()["refresh"], "1", "chunks of {chunk}");
        server.gate.notify_one();
        assert_eq!(read_all_checked(&mut r, &page).await?, TEN_MB);
    }
    Ok(())
}

const META_REFRESH_NOW: &str = "<html><head>\
    <meta http-equiv=\"Refresh\" content=\"0; url=/next\"></head><body>Moved</body></html>";

#[tokio::test(flavor = "current_thread")]
async fn a_meta_refresh_is_followed_by_the_refresh_processor_and_seekable_stays_seekable()
-> TestResult {
    let addr = serve(|req| match req.uri().path() {
        "/next" => html("<html><body>Next page</body></html>"),
        _ => html(META_REFRESH_NOW),
    })
    .await?;
    let opener = build_opener(vec![
        Arc::new(SeekableProcessor),
        Arc::new(HTTPEquivProcessor::new()),
        Arc::new(HTTPRefreshProcessor::default()),
    ]);
    let mut r = opener.open_url(&format!("http://{addr}/start")).await?;
    assert_eq!(r.geturl().path(), "/next", "the meta refresh was followed");
    assert!(r.is_seekable(), "made seekable first, and left so");
    assert_eq!(r.tell()?, 0);
    assert_eq!(r.get_data().await?, "<html><body>Next page</body></html>");

    // Without the refresh processor, the seekable page keeps its header and its body.
    let opener = build_opener(vec![
        Arc::new(SeekableProcessor),
        Arc::new(HTTPEquivProcessor::new()),
    ]);
    let mut r = opener.open_url(&format!("http://{addr}/start")).await?;
    assert_eq!(r.info()["refresh"], "0; url=/next");
    assert!(r.is_seekable());
    assert_eq!(r.read(6).await?, "<html>");
    assert_eq!(r.get_data().await?, META_REFRESH_NOW);
    Ok(())
}
