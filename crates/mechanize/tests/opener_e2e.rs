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
        "/big" => {
            return builder
                .body(Full::new(Bytes::from(vec![b'x'; 300_000])))
                .unwrap_or_default();
        }
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

#[tokio::test(flavor = "current_thread")]
async fn urlretrieve_writes_atomically_and_reports_progress()
-> Result<(), Box<dyn std::error::Error>> {
    let addr = serve(site).await?;
    let dir = tempfile::tempdir()?;
    let target = dir.path().join("big.bin");
    let mut reports = Vec::new();
    let (path, headers) =
        mechanize::urlretrieve(format!("http://{addr}/big"), &target, |got, total| {
            reports.push((got, total))
        })
        .await?;
    assert_eq!(path, target);
    assert_eq!(std::fs::metadata(&target)?.len(), 300_000);
    assert_eq!(headers["content-length"], "300000");
    assert!(
        reports.windows(2).all(|w| w[0].0 < w[1].0),
        "progress only grows"
    );
    assert_eq!(reports.last(), Some(&(300_000, Some(300_000))));

    // A failed download leaves the previous file as it was, and no temporary file behind.
    std::fs::write(&target, "previous")?;
    assert!(
        mechanize::urlretrieve(format!("http://{addr}/gone"), &target, |_, _| ())
            .await
            .is_err()
    );
    assert_eq!(std::fs::read_to_string(&target)?, "previous");
    assert_eq!(std::fs::read_dir(dir.path())?.count(), 1);
    Ok(())
}
