//! `UserAgent` against a site on 127.0.0.1: mechanize's defaults, and each switch turning
//! its handler on and off.

#![allow(clippy::unwrap_used)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use bytes::Bytes;
use cookiejar::CookieJar;
use http::{HeaderValue, StatusCode};
use http_body_util::Full;
use mechanize::handlers::ProxyHandler;
use mechanize::{Error, Response, Result, UserAgent};
use mechanize_integration_tests::serve;

fn page(status: u16, body: impl Into<Bytes>) -> hyper::Response<Full<Bytes>> {
    let mut r = hyper::Response::new(Full::new(body.into()));
    *r.status_mut() = StatusCode::from_u16(status).unwrap();
    r
}

fn with(
    mut r: hyper::Response<Full<Bytes>>,
    name: &'static str,
    value: &'static str,
) -> hyper::Response<Full<Bytes>> {
    r.headers_mut()
        .append(name, HeaderValue::from_static(value));
    r
}

/// The site; counts its robots.txt fetches.
async fn site() -> (SocketAddr, Arc<AtomicUsize>) {
    let robots = Arc::new(AtomicUsize::new(0));
    let hits = Arc::clone(&robots);
    let addr = serve(move |req| {
        let header = |n: &str| {
            req.headers()
                .get(n)
                .map(|v| v.to_str().unwrap().to_owned())
                .unwrap_or_else(|| "-".to_owned())
        };
        match req.uri().path() {
            "/robots.txt" => {
                hits.fetch_add(1, Ordering::SeqCst);
                page(200, "User-agent: *\nDisallow: /private\n")
            }
            "/redirect" => with(page(302, ""), "location", "/page"),
            "/cookie" => with(page(200, "set"), "set-cookie", "flavour=oat; Path=/"),
            "/refresh" => with(page(200, "wait"), "refresh", "0; url=/page"),
            "/equiv" => with(
                page(
                    200,
                    "<html><head><meta http-equiv=\"Refresh\" content=\"0; url=/page\"></head><body>x</body></html>",
                ),
                "content-type",
                "text/html",
            ),
            "/login" => with(
                with(page(302, ""), "location", "/welcome"),
                "set-cookie",
                "session=s1; Path=/",
            ),
            "/welcome" => with(
                page(
                    200,
                    "<html><head><meta http-equiv=\"Set-Cookie\" content=\"theme=dark; Path=/\">\
                     <meta http-equiv=\"refresh\" content=\"0; url=/page\"></head><body>hi</body></html>",
                ),
                "content-type",
                "text/html",
            ),
            "/auth" if header("authorization") == "-" => {
                with(page(401, "who?"), "www-authenticate", "Basic realm=\"site\"")
            }
            _ => page(
                200,
                format!(
                    "path={} referer={} cookie={} accept-encoding={} ua={}",
                    req.uri().path(),
                    header("referer"),
                    header("cookie"),
                    header("accept-encoding"),
                    header("user-agent")
                ),
            ),
        }
    })
    .await
    .unwrap();
    (addr, robots)
}

async fn text(r: Result<Response>) -> String {
    r.unwrap().text().await.unwrap()
}

fn status(r: Result<Response>) -> u16 {
    match r {
        Ok(r) => r.code(),
        Err(Error::Http(e)) => e.status.as_u16(),
        Err(e) => panic!("not an HTTP answer: {e}"),
    }
}

#[tokio::test]
async fn defaults_obey_robots_follow_redirects_refreshes_and_equiv() {
    let (addr, robots) = site().await;
    let url = |p: &str| format!("http://{addr}{p}");
    let ua = UserAgent::new();
    let roles: Vec<_> = ua
        .opener()
        .handlers()
        .iter()
        .filter_map(|h| h.role())
        .collect();
    for role in ["robots", "redirect", "cookies", "proxy", "http", "https"] {
        assert!(roles.contains(&role), "{role} in {roles:?}");
    }

    match ua.open(url("/private").as_str()).await {
        Err(e @ Error::Http(_)) => assert!(e.is_robot_exclusion(), "{e}"),
        other => panic!("expected a robots refusal, got {other:?}"),
    }
    assert!(
        text(ua.open(url("/redirect").as_str()).await)
            .await
            .starts_with("path=/page")
    );
    assert!(
        text(ua.open(url("/refresh").as_str()).await)
            .await
            .starts_with("path=/page")
    );
    assert!(
        text(ua.open(url("/equiv").as_str()).await)
            .await
            .starts_with("path=/page")
    );
    assert_eq!(robots.load(Ordering::SeqCst), 1, "robots.txt fetched once");

    // Cookies are kept; no Referer; compressed bodies asked for; not seekable.
    ua.open(url("/cookie").as_str()).await.unwrap();
    let body = text(ua.open(url("/page").as_str()).await).await;
    assert!(body.contains("cookie=flavour=oat"), "{body}");
    assert!(body.contains("referer=-"), "{body}");
    assert!(!body.contains("accept-encoding=-"), "{body}");
    assert!(
        body.contains(&format!("ua={}", mechanize::USER_AGENT)),
        "{body}"
    );
    assert!(!ua.open(url("/page").as_str()).await.unwrap().is_seekable());
}

#[tokio::test]
async fn cookies_go_through_a_302_and_a_meta_refresh() {
    let (addr, _) = site().await;
    let ua = UserAgent::new();
    let mut r = ua.open(format!("http://{addr}/login")).await.unwrap();
    assert_eq!(r.geturl().path(), "/page", "302, then the meta refresh");
    let body = r.text().await.unwrap();
    assert!(body.contains("session=s1"), "{body}");
    assert!(
        body.contains("theme=dark"),
        "the meta Set-Cookie was stored: {body}"
    );
    assert_eq!(ua.cookiejar().unwrap().len(), 2);
}

#[tokio::test]
async fn each_switch_turns_its_handler_off_and_on() {
    let (addr, _) = site().await;
    let url = |p: &str| format!("http://{addr}{p}");
    let mut ua = UserAgent::new();

    ua.set_handle_robots(false);
    assert_eq!(status(ua.open(url("/private").as_str()).await), 200);

    ua.set_handle_redirect(false);
    assert_eq!(status(ua.open(url("/redirect").as_str()).await), 302);
    ua.set_handle_redirect(true);
    assert_eq!(status(ua.open(url("/redirect").as_str()).await), 200);

    ua.set_handle_refresh(false, None, true);
    assert_eq!(text(ua.open(url("/refresh").as_str()).await).await, "wait");
    // A limit of 0 follows immediate refreshes, without waiting.
    ua.set_handle_refresh(true, Some(Duration::ZERO), false);
    assert!(
        text(ua.open(url("/refresh").as_str()).await)
            .await
            .starts_with("path=/page")
    );

    ua.set_handle_equiv(false);
    assert!(
        text(ua.open(url("/equiv").as_str()).await)
            .await
            .contains("<meta")
    );
    ua.set_handle_equiv(true);

    ua.set_handle_referer(true);
    ua.open(url("/first").as_str()).await.unwrap();
    let body = text(ua.open(url("/second").as_str()).await).await;
    assert!(
        body.contains(&format!("referer={}", url("/first"))),
        "{body}"
    );

    ua.set_handle_gzip(false);
    let body = text(ua.open(url("/page").as_str()).await).await;
    assert!(body.contains("accept-encoding=-"), "{body}");

    ua.set_seekable_responses(true);
    let mut r = ua.open(url("/page").as_str()).await.unwrap();
    assert!(r.is_seekable());
    r.read(4).await.unwrap();
    assert_eq!(r.get_data().await.unwrap().slice(..4), "path");

    // addheaders survive every rebuild.
    ua.set_addheaders(vec![("User-Agent".into(), "tester/2".into())]);
    ua.set_handle_robots(true);
    let body = text(ua.open(url("/page").as_str()).await).await;
    assert!(body.contains("ua=tester/2"), "{body}");
    assert_eq!(ua.addheaders().len(), 1);
}

#[tokio::test]
async fn cookies_passwords_proxies_schemes_and_debugging() {
    let (addr, _) = site().await;
    let url = |p: &str| format!("http://{addr}{p}");
    let mut ua = UserAgent::new();

    // A shared jar, then none.
    let jar = Arc::new(CookieJar::new());
    ua.set_cookiejar(Some(Arc::clone(&jar)));
    ua.open(url("/cookie").as_str()).await.unwrap();
    assert_eq!(jar.len(), 1);
    assert!(Arc::ptr_eq(ua.cookiejar().unwrap(), &jar));
    ua.set_cookiejar(None);
    let body = text(ua.open(url("/page").as_str()).await).await;
    assert!(body.contains("cookie=-"), "{body}");

    // Passwords: the 401 is answered.
    assert_eq!(status(ua.open(url("/auth").as_str()).await), 401);
    ua.add_password(&url("/"), "joe", "secret", None);
    assert_eq!(status(ua.open(url("/auth").as_str()).await), 200);
    ua.add_proxy_password("proxyuser", "pw", None, None);

    // Proxies: none at all.
    ua.set_proxies(ProxyHandler::none());
    assert_eq!(status(ua.open(url("/page").as_str()).await), 200);

    // Schemes: data: off, then an unknown scheme refused without changing anything.
    assert_eq!(text(ua.open("data:,x").await).await, "x");
    ua.set_handled_schemes(&["http", "https"]).unwrap();
    assert!(matches!(ua.open("data:,x").await, Err(Error::Url { .. })));
    assert!(matches!(
        ua.set_handled_schemes(&["http", "gopher"]),
        Err(Error::InvalidUrl { .. })
    ));
    assert_eq!(status(ua.open(url("/page").as_str()).await), 200);

    // Debugging switches put their processors in the chain (their output is tested with
    // each processor).
    let count = |ua: &UserAgent, name: &str| {
        ua.opener()
            .handlers()
            .iter()
            .filter(|h| format!("{h:?}").starts_with(name))
            .count()
    };
    assert_eq!(count(&ua, "HTTPRedirectDebugProcessor"), 0);
    ua.set_debug_redirects(true)
        .set_debug_responses(true)
        .set_debug_http(true);
    assert_eq!(count(&ua, "HTTPRedirectDebugProcessor"), 1);
    assert_eq!(count(&ua, "HTTPResponseDebugProcessor"), 1);
    assert!(
        ua.opener()
            .handlers()
            .iter()
            .any(|h| format!("{h:?}").contains("debug: true")),
        "the HTTP handler logs"
    );
}
