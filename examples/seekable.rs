//! Guide section 9, "Seekable responses": `SeekableResponseOpener` (every response seekable),
//! `seek`, `tell`, `read`, `get_data` and `set_data`, `make_seekable` on one response, and
//! `UserAgent::set_seekable_responses`, against a small site on 127.0.0.1. Offline; ends by
//! itself.
//!
//! `cargo run -p mechanize-examples --example seekable`

use std::io::SeekFrom;

use bytes::Bytes;
use http_body_util::Full;
use hyper::{Request as HyperRequest, Response as HyperResponse};
use mechanize::processors::SeekableResponseOpener;
use mechanize::{UserAgent, build_opener};
use mechanize_integration_tests::{BoxError, serve};

/// The site: every page is the same short text.
fn site(_: HyperRequest<hyper::body::Incoming>) -> HyperResponse<Full<Bytes>> {
    HyperResponse::new(Full::new(Bytes::from("0123456789abcdef")))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), BoxError> {
    let addr = serve(site).await?;
    let url = format!("http://{addr}/");

    // SeekableResponseOpener: every response it returns can seek.
    let opener = SeekableResponseOpener::build(Vec::new());
    let mut r = opener.open_url(&url).await?;
    assert!(r.is_seekable());
    let head = r.read(4).await?;
    println!("read(4):        {head:?}");
    assert_eq!(head, "0123");
    r.seek(SeekFrom::Start(0)).await?;
    assert_eq!(r.read(2).await?, "01");
    assert_eq!(r.tell()?, 2);
    r.seek(SeekFrom::End(-3)).await?;
    assert_eq!(r.read(10).await?, "def");
    // get_data: the whole body, the position unchanged.
    let all = r.get_data().await?;
    println!("get_data():     {all:?} (tell {})", r.tell()?);
    assert_eq!(all, "0123456789abcdef");
    assert_eq!(r.tell()?, 16);
    // set_data: replace the body (the seed's response.set_data("blah")).
    r.set_data("blah");
    let text = r.text().await?;
    println!("after set_data: {text:?}");
    assert_eq!(text, "blah");

    // One response of an ordinary opener, made seekable afterwards.
    let mut r = build_opener(Vec::new()).open_url(&url).await?;
    assert!(!r.is_seekable());
    r.make_seekable();
    assert_eq!(r.read(3).await?, "012");
    r.seek(SeekFrom::Current(-1)).await?;
    assert_eq!(r.read(1).await?, "2");

    // UserAgent: a switch, off by default as in mechanize.
    let mut ua = UserAgent::new();
    ua.set_handle_robots(false).set_seekable_responses(true);
    let mut r = ua.open(url.as_str()).await?;
    assert!(r.is_seekable());
    assert_eq!(r.peek(3).await?, "012");
    assert_eq!(r.tell()?, 0);
    println!("UserAgent responses seekable: {}", r.is_seekable());
    Ok(())
}
