//! The cookie engine used directly with hyper, without mechanize's client: a login that sets
//! cookies behind a 302, followed by hand, against a real server on 127.0.0.1.

use std::sync::Arc;

use bytes::Bytes;
use cookiejar::{BrowserCookiePolicy, CookieJar, CookieRequest};
use http_body_util::Full;
use hyper::{Request, Response, StatusCode};
use mechanize_integration_tests::{BoxError, send, serve};

fn site(req: Request<hyper::body::Incoming>) -> Response<Full<Bytes>> {
    let cookie = req
        .headers()
        .get("cookie")
        .map(|c| c.to_str().unwrap_or("?").to_owned())
        .unwrap_or_default();
    let builder = Response::builder();
    let response = match req.uri().path() {
        "/login" => builder
            .status(StatusCode::FOUND)
            .header("Location", "/account/home")
            .header("Set-Cookie", "session=abc123; Path=/; HttpOnly")
            .header("Set-Cookie", "theme=dark; Path=/account; Max-Age=3600")
            .header("Set-Cookie", "tracker=1; Domain=ads.example.net"),
        "/logout" => builder.header("Set-Cookie", "session=; Path=/; Max-Age=0"),
        _ => builder,
    };
    response
        .body(Full::new(Bytes::from(cookie)))
        .unwrap_or_default()
}

/// GETs `path` with the jar's cookies, stores what the response sets, and follows one
/// redirect the same way. Returns the final body (the Cookie header the server saw).
async fn browse(
    jar: &CookieJar,
    addr: std::net::SocketAddr,
    path: &str,
) -> Result<String, BoxError> {
    let mut url = format!("http://{addr}{path}");
    loop {
        let mut request = Request::get(url.as_str())
            .header("Host", addr.to_string())
            .body(Full::new(Bytes::new()))?;
        jar.add_cookie_header(&mut request);
        let response = send(addr, request).await?;
        let for_jar = Request::get(url.as_str()).body(())?;
        jar.extract_cookies(&response, &for_jar);
        match response.headers().get("Location") {
            Some(location) if response.status().is_redirection() => {
                url = format!("http://{addr}{}", location.to_str()?);
            }
            _ => return Ok(String::from_utf8(response.body().to_vec())?),
        }
    }
}

#[tokio::test(flavor = "current_thread")]
async fn cookielib_policy_with_hyper() -> Result<(), BoxError> {
    let addr = serve(site).await?;
    let jar = Arc::new(CookieJar::new());
    // The cookies set by the 302 reach the page it redirects to.
    assert_eq!(
        browse(&jar, addr, "/login").await?,
        "theme=dark; session=abc123"
    );
    assert_eq!(browse(&jar, addr, "/other").await?, "session=abc123");
    assert_eq!(jar.len(), 2, "the cookie for another domain was refused");
    // Max-Age=0 deletes.
    browse(&jar, addr, "/logout").await?;
    assert_eq!(browse(&jar, addr, "/account/x").await?, "theme=dark");
    Ok(())
}

#[tokio::test(flavor = "current_thread")]
async fn browser_policy_with_hyper() -> Result<(), BoxError> {
    let addr = serve(site).await?;
    let jar = CookieJar::with_policy(BrowserCookiePolicy::default());
    assert_eq!(
        browse(&jar, addr, "/login").await?,
        "theme=dark; session=abc123"
    );
    let session = jar
        .iter()
        .find(|c| c.name() == "session")
        .ok_or("session stored")?;
    assert!(session.http_only());
    // The Cookie header our jar wrote is an ordinary hyper header.
    let mut probe = Request::get(format!("http://{addr}/account/")).body(())?;
    jar.add_cookie_header(&mut probe);
    assert_eq!(
        probe.header("cookie").as_deref(),
        Some("theme=dark; session=abc123")
    );
    Ok(())
}
