//! Guide section 1, "urlopen": the one-liner, async (`mechanize::urlopen`) and blocking
//! (`mechanize::blocking::urlopen` with `read`, `readline` and line iteration), against a
//! small site on 127.0.0.1. Offline; ends by itself.
//!
//! `cargo run -p mechanize-examples --example urlopen`

use bytes::Bytes;
use http_body_util::Full;
use hyper::{Request as HyperRequest, Response as HyperResponse};
use mechanize_integration_tests::{BoxError, serve};

/// The site: every page is three lines of text.
fn site(_: HyperRequest<hyper::body::Incoming>) -> HyperResponse<Full<Bytes>> {
    HyperResponse::builder()
        .header("Content-Type", "text/plain")
        .body(Full::new(Bytes::from("line one\nline two\nline three\n")))
        .unwrap_or_default()
}

fn main() -> Result<(), BoxError> {
    // The server runs on a thread of its own; this thread stays outside any runtime, so the
    // blocking facade may be used from it.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        else {
            return;
        };
        runtime.block_on(async {
            let _ = tx.send(serve(site).await);
            std::future::pending::<()>().await;
        });
    });
    let addr = rx.recv()??;
    let url = format!("http://{addr}/");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;

    // Async: `urlopen(url).read()`.
    let page = runtime.block_on(async {
        let mut r = mechanize::urlopen(url.as_str()).await?;
        assert_eq!(r.code(), 200);
        r.text().await
    })?;
    println!("async urlopen:    {page:?}");
    assert_eq!(page, "line one\nline two\nline three\n");

    // Blocking: the same one-liner, then readline and the rest.
    let mut r = mechanize::blocking::urlopen(url.as_str())?;
    let first = r.readline()?;
    println!("blocking readline: {:?}", String::from_utf8_lossy(&first));
    assert_eq!(first, b"line one\n");
    let rest = r.read()?;
    println!("blocking read:     {:?}", String::from_utf8_lossy(&rest));
    assert_eq!(rest, b"line two\nline three\n");

    // `for line in urlopen(url): ...`
    let lines: Vec<Vec<u8>> = mechanize::blocking::urlopen(url.as_str())?
        .into_iter()
        .collect::<Result<_, _>>()?;
    println!("lines:             {}", lines.len());
    assert_eq!(lines.len(), 3);
    assert_eq!(r.geturl().as_str(), url);
    Ok(())
}
