//! Guide section 8, "The optional processors": `HTTPRefererProcessor`, `HTTPEquivProcessor`,
//! `HTTPRefreshProcessor` and `HTTPRobotRulesProcessor` added to `build_opener`, then the same
//! behaviour switched on and off with `UserAgent`'s `set_handle_*`, against a small site on
//! 127.0.0.1. Offline; ends by itself.
//!
//! `cargo run -p mechanize-examples --example optional_processors`

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use cookiejar::CookieJar;
use http_body_util::Full;
use hyper::{Request as HyperRequest, Response as HyperResponse};
use mechanize::processors::{
    HTTPCookieProcessor, HTTPEquivProcessor, HTTPRefererProcessor, HTTPRefreshProcessor,
    HTTPRobotRulesProcessor,
};
use mechanize::{UserAgent, build_opener};
use mechanize_integration_tests::{BoxError, serve};

/// The site: a robots.txt keeping bots out of `/private`, a page with HTTP-EQUIV pragmas, pages
/// that refresh to `/landing` at once or after 5 s, and pages echoing `Referer` and `Cookie`.
fn site(req: HyperRequest<hyper::body::Incoming>) -> HyperResponse<Full<Bytes>> {
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("-")
            .to_owned()
    };
    let echo = format!("referer={} cookie={}", header("referer"), header("cookie"));
    let builder = HyperResponse::builder();
    let (builder, body) = match req.uri().path() {
        "/robots.txt" => (builder, "User-agent: *\nDisallow: /private\n".to_owned()),
        "/equiv.html" => (
            builder.header("Content-Type", "text/html"),
            "<html><head>\
             <meta http-equiv=\"X-Guide\" content=\"from-meta\">\
             <meta http-equiv=\"Set-Cookie\" content=\"equiv=1; Path=/\">\
             </head><body>hello</body></html>"
                .to_owned(),
        ),
        "/refresh" => (builder.header("Refresh", "0; url=/landing"), String::new()),
        "/slow-refresh" => (builder.header("Refresh", "5; url=/landing"), String::new()),
        _ => (builder, echo),
    };
    builder
        .body(Full::new(Bytes::from(body)))
        .unwrap_or_default()
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), BoxError> {
    let addr = serve(site).await?;
    let url = |path: &str| format!("http://{addr}{path}");

    // build_opener with the optional processors.
    let jar = Arc::new(CookieJar::new());
    let opener = build_opener(vec![
        Arc::new(HTTPCookieProcessor::new(Arc::clone(&jar))),
        Arc::new(HTTPRefererProcessor::new()),
        Arc::new(HTTPEquivProcessor::new()),
        Arc::new(HTTPRefreshProcessor::default()),
        Arc::new(HTTPRobotRulesProcessor::new()),
    ]);

    // HTTP-EQUIV: the meta pragmas become headers (and the Set-Cookie one a cookie).
    let r = opener.open_url(&url("/equiv.html")).await?;
    let pragma = r.info().get("x-guide").and_then(|v| v.to_str().ok());
    println!("HTTP-EQUIV X-Guide: {pragma:?}, cookies: {}", jar.len());
    assert_eq!(pragma, Some("from-meta"));
    assert_eq!(jar.len(), 1);

    // Referer: the next request names the page before it.
    let mut r = opener.open_url(&url("/echo")).await?;
    let page = r.text().await?;
    println!("after equiv.html:   {page}");
    assert_eq!(
        page,
        format!("referer={} cookie=equiv=1", url("/equiv.html"))
    );

    // Refresh: a 0-second refresh is followed (max_time 0, mechanize's default)...
    let r = opener.open_url(&url("/refresh")).await?;
    println!("Refresh: 0 lands on {}", r.geturl().path());
    assert_eq!(r.geturl().path(), "/landing");
    // ...a 5-second one is not.
    let r = opener.open_url(&url("/slow-refresh")).await?;
    assert_eq!(r.geturl().path(), "/slow-refresh");

    // robots.txt: /private is refused, with the rule that decided.
    let refused = opener
        .open_url(&url("/private"))
        .await
        .err()
        .ok_or("robots.txt was not obeyed")?;
    println!("robots: {refused}");
    assert!(refused.is_robot_exclusion());
    let rule = refused.robots_refusal().and_then(|r| r.rule());
    assert_eq!(rule.map(|r| r.pattern.as_str()), Some("/private"));

    // UserAgent: the same behaviour, as switches.
    let mut ua = UserAgent::new();
    ua.set_handle_robots(false) // mechanize obeys robots.txt by default
        .set_handle_referer(true) // off by default
        .set_handle_equiv(false)
        // follow refreshes of up to 10 s, without waiting
        .set_handle_refresh(true, Some(Duration::from_secs(10)), false);
    let r = ua.open(url("/private")).await?;
    println!("robots off: /private {}", r.code());
    assert_eq!(r.code(), 200);
    let r = ua.open(url("/equiv.html")).await?;
    assert!(r.info().get("x-guide").is_none());
    let mut r = ua.open(url("/slow-refresh")).await?;
    let page = r.text().await?;
    println!("refresh up to 10 s: {} {page}", r.geturl().path());
    assert_eq!(r.geturl().path(), "/landing");
    assert!(
        page.starts_with(&format!("referer={}", url("/slow-refresh"))),
        "{page}"
    );
    Ok(())
}
