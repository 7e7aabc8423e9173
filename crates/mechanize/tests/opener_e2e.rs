//! The default opener end to end against a real server on 127.0.0.1: a login that sets a
//! cookie behind a 302, followed by the redirect handler, with the cookie sent on the next hop.

use bytes::Bytes;
use http_body_util::Full;
use hyper::{Request as HyperRequest, Response as HyperResponse, StatusCode};
use mechanize::{Error, build_opener};
use mechanize_integration_tests::serve;

fn site(req: HyperRequest<hyper::body::Incoming>) -> HyperResponse<Full<Bytes>> {
    let cookie = req
        .headers()
        .get("cookie")
        .and_then(|c| c.to_str().ok())
        .unwrap_or("-")
        .to_owned();
    let builder = HyperResponse::builder();
    let builder = match req.uri().path() {
        "/login" => builder
            .status(StatusCode::FOUND)
            .header("Location", "/home")
            .header("Set-Cookie", "session=s3cr3t; Path=/; HttpOnly"),
        "/loop" => builder
            .status(StatusCode::FOUND)
            .header("Location", "/loop"),
        "/gone" => builder.status(StatusCode::GONE),
        _ => builder,
    };
    builder
        .body(Full::new(Bytes::from(format!("cookie={cookie}"))))
        .unwrap_or_default()
}

#[tokio::test(flavor = "current_thread")]
async fn login_redirect_and_cookie_through_the_default_opener()
-> Result<(), Box<dyn std::error::Error>> {
    let addr = serve(site).await?;
    let opener = build_opener(Vec::new());
    let mut r = opener.open_url(&format!("http://{addr}/login")).await?;
    assert_eq!(r.code(), 200);
    assert_eq!(r.geturl().path(), "/home");
    assert_eq!(r.text().await?, "cookie=session=s3cr3t");

    match opener.open_url(&format!("http://{addr}/loop")).await {
        Err(Error::Http(e)) => assert!(e.reason.contains("infinite loop"), "{}", e.reason),
        other => panic!("a redirect loop must fail: {other:?}"),
    }
    match opener.open_url(&format!("http://{addr}/gone")).await {
        Err(Error::Http(e)) => {
            assert_eq!(e.status, StatusCode::GONE);
            assert_eq!(String::from_utf8_lossy(&e.body), "cookie=session=s3cr3t");
        }
        other => panic!("410 must be an HTTPError: {other:?}"),
    }
    Ok(())
}
