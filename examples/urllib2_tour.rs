//! The seed documents' urllib2/mechanize examples, in Rust, against a small site on 127.0.0.1:
//! urlopen, a Request with headers and a POSTed form, one jar shared by two openers, cookies
//! by hand, addheaders, install_opener and an unverifiable request. Offline; ends by itself.
//!
//! Runs guide sections 2 (Request), 3 (shared cookies), 7 (install_opener), 10 (addheaders)
//! and 11 (unverifiable requests) of `docs/guide.md`; section 1 (urlopen, async and blocking)
//! is `examples/urlopen.rs`.
//!
//! `cargo run -p mechanize-examples --example urllib2_tour`

use std::sync::Arc;

use bytes::Bytes;
use cookiejar::{CookieJar, DefaultCookiePolicy};
use http_body_util::Full;
use hyper::{Request as HyperRequest, Response as HyperResponse, StatusCode};
use mechanize::handlers::{HTTPDefaultErrorHandler, HTTPHandler};
use mechanize::processors::{HTTPCookieProcessor, HTTPErrorProcessor};
use mechanize::{OpenerDirector, Request, build_opener, install_opener, urlopen};
use mechanize_integration_tests::{BoxError, serve};

/// The site: `/login` sets a session behind a redirect; every page tells what it received.
fn site(req: HyperRequest<hyper::body::Incoming>) -> HyperResponse<Full<Bytes>> {
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("-")
            .to_owned()
    };
    let body = format!(
        "{} cookie={} agent={} referer={} type={} length={}",
        req.method(),
        header("cookie"),
        header("user-agent"),
        header("referer"),
        header("content-type"),
        header("content-length")
    );
    let builder = match req.uri().path() {
        "/login" => HyperResponse::builder()
            .status(StatusCode::FOUND)
            .header("Location", "/welcome")
            .header("Set-Cookie", "session=abc; Path=/"),
        "/ad" => HyperResponse::builder().header("Set-Cookie", "tracker=1; Path=/"),
        _ => HyperResponse::builder(),
    };
    builder
        .body(Full::new(Bytes::from(body)))
        .unwrap_or_default()
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), BoxError> {
    let addr = serve(site).await?;
    let url = |path: &str| format!("http://{addr}{path}");

    // urlopen: the one-liner.
    let mut r = urlopen(url("/").as_str()).await?;
    let page = r.text().await?;
    println!("urlopen:            {} {page}", r.code());
    assert_eq!(r.code(), 200);
    assert!(
        page.starts_with("GET cookie=- agent=mechanize-rs/"),
        "{page}"
    );

    // A Request with headers.
    let mut req = Request::new(&url("/page"))?;
    req.add_header("Referer", "http://example.com/")?;
    req.add_header("User-Agent", "Mozilla/5.0 (compatible; guide)")?;
    let mut r = urlopen(req).await?;
    let page = r.text().await?;
    println!("Request + headers:  {page}");
    assert!(page.contains("agent=Mozilla/5.0 (compatible; guide) referer=http://example.com/"));

    // A Request with data: a POSTed form.
    let mut req = Request::new(&url("/form"))?;
    req.set_form([("spam", "1"), ("eggs", "2")]);
    let mut r = urlopen(req).await?;
    let page = r.text().await?;
    println!("POST form:          {page}");
    assert!(page.starts_with("POST "), "{page}");
    assert!(page.ends_with("type=application/x-www-form-urlencoded length=13"));

    // Two openers sharing one jar: the login through one, the next page through the other.
    let jar = Arc::new(CookieJar::new());
    let a = build_opener(vec![Arc::new(HTTPCookieProcessor::new(Arc::clone(&jar)))]);
    let b = build_opener(vec![Arc::new(HTTPCookieProcessor::new(Arc::clone(&jar)))]);
    let mut r = a.open_url(&url("/login")).await?;
    let landed = r.geturl().path().to_owned();
    let page = r.text().await?;
    println!("login (redirected): {landed} {page}");
    assert_eq!(landed, "/welcome");
    assert!(page.contains("cookie=session=abc"), "{page}");
    let mut r = b.open_url(&url("/account")).await?;
    let page = r.text().await?;
    println!("other opener:       {page}");
    assert!(page.contains("cookie=session=abc"), "{page}");
    assert_eq!(jar.len(), 1);

    // Cookies by hand: an opener without a cookie processor, and the jar driven directly.
    let mut manual = OpenerDirector::new();
    manual.add_handler(HTTPHandler::new());
    manual.add_handler(HTTPErrorProcessor);
    manual.add_handler(HTTPDefaultErrorHandler);
    let hand_jar = CookieJar::new();
    let first = Request::new(&url("/ad"))?;
    let response = manual.open(first.clone()).await?;
    hand_jar.extract_cookies(&response, &first);
    let mut second = Request::new(&url("/next"))?;
    hand_jar.add_cookie_header(&mut second);
    let mut r = manual.open(second).await?;
    let page = r.text().await?;
    println!("by hand:            {page}");
    assert!(page.contains("cookie=tracker=1"), "{page}");

    // addheaders, and install_opener for every later urlopen.
    let mut opener = build_opener(Vec::new());
    opener.set_addheaders(vec![("User-Agent".into(), "my-scraper/1.0".into())]);
    install_opener(opener);
    let mut r = urlopen(url("/").as_str()).await?;
    let page = r.text().await?;
    println!("addheaders:         {page}");
    assert!(page.contains("agent=my-scraper/1.0"), "{page}");

    // An unverifiable request (an image on a page from another site): with strict third-party
    // rules, its cookies are refused.
    let strict = Arc::new(CookieJar::with_policy(
        DefaultCookiePolicy::builder()
            .strict_ns_unverifiable(true)
            .build(),
    ));
    let opener = build_opener(vec![Arc::new(HTTPCookieProcessor::new(Arc::clone(
        &strict,
    )))]);
    let mut pixel = Request::new(&url("/ad"))?;
    pixel.set_unverifiable(true);
    pixel.set_origin_req_host("shop.example");
    opener.open(pixel.clone()).await?;
    println!("unverifiable:       {} cookie(s) stored", strict.len());
    assert_eq!(strict.len(), 0);

    // The same request, verifiable (the user asked for it): its cookie is stored.
    pixel.set_unverifiable(false);
    opener.open(pixel).await?;
    println!("verifiable:         {} cookie(s) stored", strict.len());
    assert_eq!(strict.len(), 1);
    Ok(())
}
