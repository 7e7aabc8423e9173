//! `ProxyHandler` and the HTTP handlers behind a forward proxy on 127.0.0.1: plain `http:`
//! forwarded in absolute form, `https:` through `CONNECT` (HTTP/2 inside the tunnel),
//! credentials, `no_proxy`, the environment's rules, and an unreachable proxy.

#![allow(clippy::unwrap_used)]

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http::{StatusCode, Version};
use http_body_util::{BodyExt, Full};
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use mechanize::handler::Handler;
use mechanize::handlers::{HTTPHandler, HTTPPasswordMgr, ProxyBasicAuthHandler, ProxyHandler};
use mechanize::{Error, Request, build_opener};
use mechanize_integration_tests::serve;
use tokio::net::{TcpListener, TcpStream};

mod support;
use support::tls::tls_server;

fn text(status: u16, body: impl Into<Bytes>) -> hyper::Response<Full<Bytes>> {
    let mut r = hyper::Response::new(Full::new(body.into()));
    *r.status_mut() = StatusCode::from_u16(status).expect("status");
    r
}

/// What the proxy saw: one line per request, `METHOD target auth=<Proxy-Authorization>`.
type Log = Arc<Mutex<Vec<String>>>;

/// A forward proxy: absolute-form requests are forwarded (with `Via: test-proxy` added to
/// the answer), `CONNECT` opens a tunnel. With `password`, requests without
/// `Proxy-Authorization: Basic <password>` get a 407.
async fn proxy_server(password: Option<&'static str>) -> (SocketAddr, Log) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let log: Log = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&log);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let seen = Arc::clone(&seen);
            tokio::spawn(async move {
                let service = service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                    let seen = Arc::clone(&seen);
                    async move { Ok::<_, Infallible>(proxy(req, password, &seen).await) }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .with_upgrades()
                    .await;
            });
        }
    });
    (addr, log)
}

async fn proxy(
    req: hyper::Request<hyper::body::Incoming>,
    password: Option<&str>,
    seen: &Log,
) -> hyper::Response<Full<Bytes>> {
    let auth = req
        .headers()
        .get("proxy-authorization")
        .map(|v| v.to_str().unwrap().to_owned());
    seen.lock().unwrap().push(format!(
        "{} {} auth={}",
        req.method(),
        req.uri(),
        auth.as_deref().unwrap_or("-")
    ));
    if let Some(password) = password {
        if auth.as_deref() != Some(&format!("Basic {password}")) {
            let mut r = text(407, "proxy credentials needed");
            r.headers_mut().insert(
                "proxy-authenticate",
                http::HeaderValue::from_static("Basic realm=\"proxy\""),
            );
            return r;
        }
    }
    let authority = req.uri().authority().unwrap().to_string();
    if req.method() == http::Method::CONNECT {
        tokio::spawn(async move {
            let upgraded = hyper::upgrade::on(req).await.unwrap();
            let mut server = TcpStream::connect(&authority).await.unwrap();
            let _ = tokio::io::copy_bidirectional(&mut TokioIo::new(upgraded), &mut server).await;
        });
        return text(200, "");
    }
    // Forward in origin form over a fresh connection.
    let (mut parts, body) = req.into_parts();
    let body = body.collect().await.unwrap().to_bytes();
    parts.uri = parts
        .uri
        .path_and_query()
        .unwrap()
        .as_str()
        .parse()
        .unwrap();
    parts.headers.remove("proxy-authorization");
    let forwarded = hyper::Request::from_parts(parts, Full::new(body));
    let stream = TcpStream::connect(&authority).await.unwrap();
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .unwrap();
    tokio::spawn(conn);
    let answer = sender.send_request(forwarded).await.unwrap();
    let (mut parts, body) = answer.into_parts();
    let body = body.collect().await.unwrap().to_bytes();
    parts
        .headers
        .insert("via", http::HeaderValue::from_static("test-proxy"));
    hyper::Response::from_parts(parts, Full::new(body))
}

/// A site that echoes the request line's path and what it was told about proxies.
async fn origin() -> SocketAddr {
    serve(|req| {
        let auth = req.headers().get("proxy-authorization").is_some();
        text(
            200,
            format!("origin saw {} (proxy credentials: {auth})", req.uri()),
        )
    })
    .await
    .unwrap()
}

fn proxies(scheme: &str, proxy: &str) -> ProxyHandler {
    ProxyHandler::new([(scheme, proxy)]).unwrap()
}

#[tokio::test]
async fn http_requests_are_forwarded_in_absolute_form() {
    let site = origin().await;
    let (proxy, log) = proxy_server(None).await;
    let handler = proxies("http", &format!("http://{proxy}"));
    assert_eq!(
        (handler.handler_order(), handler.role()),
        (100, Some("proxy"))
    );
    let opener = build_opener(vec![Arc::new(handler)]);
    let url = format!("http://{site}/page?q=1");
    let mut r = opener.open_url(&url).await.unwrap();
    assert_eq!(r.info()["via"], "test-proxy");
    assert_eq!(r.geturl().as_str(), url);
    assert_eq!(
        r.text().await.unwrap(),
        "origin saw /page?q=1 (proxy credentials: false)"
    );
    assert_eq!(*log.lock().unwrap(), [format!("GET {url} auth=-")]);
}

#[tokio::test]
async fn https_requests_go_through_a_connect_tunnel_and_speak_http2_inside() {
    let (site, pem, versions) = tls_server().await;
    let (proxy, log) = proxy_server(None).await;
    let https = HTTPHandler::new()
        .with_root_certificate_pem(pem.as_bytes())
        .unwrap()
        .https();
    let opener = build_opener(vec![
        Arc::new(https),
        // A scheme-less proxy URL is http://.
        Arc::new(proxies("https", &proxy.to_string())),
    ]);
    let url = format!("https://localhost:{}/secret", site.port());
    for _ in 0..2 {
        let mut r = opener.open_url(&url).await.unwrap();
        assert_eq!(r.version(), Version::HTTP_2);
        assert_eq!(
            r.text().await.unwrap(),
            format!("secure localhost:{}", site.port())
        );
    }
    assert_eq!(
        *log.lock().unwrap(),
        [format!("CONNECT localhost:{} auth=-", site.port())],
        "one tunnel, reused"
    );
    assert_eq!(*versions.lock().unwrap(), [Version::HTTP_2; 2]);
}

#[tokio::test]
async fn credentials_in_the_proxy_url_are_sent_to_the_proxy_only() {
    let site = origin().await;
    let (tls_site, pem, _) = tls_server().await;
    // "joe:pass word" in Basic.
    let expected = "am9lOnBhc3Mgd29yZA==";
    let (proxy, log) = proxy_server(Some(expected)).await;
    let https = HTTPHandler::new()
        .with_root_certificate_pem(pem.as_bytes())
        .unwrap()
        .https();
    let opener = build_opener(vec![
        Arc::new(https),
        Arc::new(proxies("all", &format!("http://joe:pass%20word@{proxy}"))),
    ]);
    let mut r = opener
        .open_url(&format!("http://{site}/private"))
        .await
        .unwrap();
    assert_eq!(
        r.text().await.unwrap(),
        "origin saw /private (proxy credentials: false)"
    );
    let mut r = opener
        .open_url(&format!("https://127.0.0.1:{}/", tls_site.port()))
        .await
        .unwrap();
    assert!(r.text().await.unwrap().starts_with("secure"));
    let log = log.lock().unwrap();
    assert_eq!(log.len(), 2);
    assert!(
        log.iter()
            .all(|l| l.ends_with(&format!("auth=Basic {expected}"))),
        "{log:?}"
    );
}

#[tokio::test]
async fn a_proxy_refusing_credentials() {
    let site = origin().await;
    let (tls_site, _, _) = tls_server().await;
    let (proxy, log) = proxy_server(Some("c2VjcmV0")).await;
    let opener = build_opener(vec![Arc::new(proxies("all", &format!("http://{proxy}")))]);

    // Plain HTTP: the 407 is an HTTP error with the proxy's answer.
    match opener.open_url(&format!("http://{site}/")).await {
        Err(Error::Http(e)) => assert_eq!(e.status, 407),
        other => panic!("expected a 407, got {other:?}"),
    }
    // CONNECT refused: a URL error that says so.
    match opener
        .open_url(&format!("https://127.0.0.1:{}/", tls_site.port()))
        .await
    {
        Err(Error::Url { reason, .. }) => assert!(reason.contains("CONNECT"), "{reason}"),
        other => panic!("expected a URL error, got {other:?}"),
    }
    assert_eq!(log.lock().unwrap().len(), 2);

    // urllib2's way for plain HTTP: the proxy auth handler answers the 407.
    let mgr = Arc::new(HTTPPasswordMgr::new());
    mgr.add_password(None, &proxy.to_string(), "secret", "");
    let opener = build_opener(vec![
        Arc::new(proxies("http", &format!("http://{proxy}"))),
        Arc::new(ProxyBasicAuthHandler::new(mgr)),
    ]);
    let r = opener.open_url(&format!("http://{site}/")).await;
    // "secret:" is c2VjcmV0Og==, not what this proxy wants: it gives up after one retry.
    match r {
        Err(Error::Http(e)) => assert_eq!(e.status, 407),
        other => panic!("expected a 407, got {other:?}"),
    }
    assert_eq!(log.lock().unwrap().len(), 4, "one retry, no loop");
}

#[tokio::test]
async fn no_proxy_hosts_and_a_request_s_own_proxy() {
    let site = origin().await;
    let (proxy, log) = proxy_server(None).await;
    let (other_proxy, other_log) = proxy_server(None).await;
    let handler =
        proxies("http", &format!("http://{proxy}")).with_no_proxy("localhost, 127.0.0.0/8");
    let opener = build_opener(vec![Arc::new(handler)]);
    let mut r = opener
        .open_url(&format!("http://{site}/direct"))
        .await
        .unwrap();
    assert!(!r.info().contains_key("via"));
    assert_eq!(
        r.text().await.unwrap(),
        "origin saw /direct (proxy credentials: false)"
    );
    assert!(log.lock().unwrap().is_empty());

    // A proxy set on the request wins over the handler's choice.
    let mut req = Request::new(&format!("http://{site}/chosen")).unwrap();
    req.set_proxy(Some(
        url::Url::parse(&format!("http://{other_proxy}")).unwrap(),
    ));
    let r = opener.open(req).await.unwrap();
    assert_eq!(r.info()["via"], "test-proxy");
    assert_eq!(other_log.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn the_environment_s_proxy_replaces_the_default() {
    let site = origin().await;
    let (proxy, log) = proxy_server(None).await;
    let from_env = ProxyHandler::from_vars([
        ("http_proxy", format!("{proxy}")),
        ("no_proxy", "example.com".to_owned()),
    ]);
    let opener = build_opener(vec![Arc::new(from_env)]);
    let proxy_handlers = opener
        .handlers()
        .iter()
        .filter(|h| h.role() == Some("proxy"))
        .count();
    assert_eq!(proxy_handlers, 1);
    let r = opener
        .open_url(&format!("http://{site}/env"))
        .await
        .unwrap();
    assert_eq!(r.info()["via"], "test-proxy");
    assert_eq!(log.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn an_unreachable_proxy_is_a_url_error() {
    // A port nothing listens on.
    let closed = TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap()
        .local_addr()
        .unwrap();
    let opener = build_opener(vec![Arc::new(proxies("all", &format!("http://{closed}")))]);
    for url in ["http://127.0.0.1:9/", "https://127.0.0.1:9/"] {
        match opener.open_url(url).await {
            Err(Error::Url { url: u, reason, .. }) => {
                assert_eq!(u, url);
                assert!(reason.contains("proxy"), "{reason}");
            }
            other => panic!("expected a URL error, got {other:?}"),
        }
    }
}

fn chosen(handler: &ProxyHandler, url: &str) -> Option<String> {
    handler
        .proxy_for(&url::Url::parse(url).unwrap())
        .map(|u| u.to_string())
}

#[test]
fn environment_rules() {
    // Lower case wins; all_proxy fills in; empty values are unset.
    let h = ProxyHandler::from_vars([
        ("HTTP_PROXY", "http://upper:1"),
        ("http_proxy", "http://lower:2"),
        ("https_proxy", ""),
        ("ALL_PROXY", "all:3"),
    ]);
    assert_eq!(
        chosen(&h, "http://a.example/").as_deref(),
        Some("http://lower:2/")
    );
    assert_eq!(
        chosen(&h, "https://a.example/").as_deref(),
        Some("http://all:3/")
    );
    assert_eq!(chosen(&h, "ftp://a.example/"), None);

    // In a CGI script HTTP_PROXY may come from a request header: ignored.
    let cgi = ProxyHandler::from_vars([("HTTP_PROXY", "http://evil:1"), ("REQUEST_METHOD", "GET")]);
    assert_eq!(chosen(&cgi, "http://a.example/"), None);
    let cgi = ProxyHandler::from_vars([("http_proxy", "http://ok:1"), ("REQUEST_METHOD", "GET")]);
    assert_eq!(
        chosen(&cgi, "http://a.example/").as_deref(),
        Some("http://ok:1/")
    );

    // An unusable value is ignored, not an error.
    let bad = ProxyHandler::from_vars([
        ("https_proxy", "socks5://s:1080"),
        ("http_proxy", "http://"),
    ]);
    assert_eq!(chosen(&bad, "https://a.example/"), None);
    assert_eq!(chosen(&bad, "http://a.example/"), None);

    // No variables: no proxy.
    let none = ProxyHandler::from_vars(Vec::<(String, String)>::new());
    assert_eq!(chosen(&none, "http://a.example/"), None);
}

#[test]
fn no_proxy_follows_curl() {
    let p = "http://p:8080";
    let h = ProxyHandler::new([("all", p)])
        .unwrap()
        .with_no_proxy(".example.com, 10.0.0.0/8,192.168.1.7, [::1]");
    for direct in [
        "http://example.com/",
        "http://www.example.com/",
        "https://deep.www.example.com/",
        "http://10.1.2.3/",
        "http://192.168.1.7:8080/",
    ] {
        assert_eq!(chosen(&h, direct), None, "{direct}");
    }
    for proxied in [
        "http://notexample.com/",
        "http://example.com.evil/",
        "http://11.0.0.1/",
        "http://192.168.1.8/",
    ] {
        assert_eq!(
            chosen(&h, proxied).as_deref(),
            Some("http://p:8080/"),
            "{proxied}"
        );
    }
    let star = ProxyHandler::from_vars([("http_proxy", p), ("NO_PROXY", "*")]);
    assert_eq!(chosen(&star, "http://anything.example/"), None);
    let lower_wins = ProxyHandler::from_vars([
        ("http_proxy", p),
        ("NO_PROXY", "a.example"),
        ("no_proxy", "b.example"),
    ]);
    assert_eq!(chosen(&lower_wins, "http://b.example/"), None);
    assert!(chosen(&lower_wins, "http://a.example/").is_some());
}

#[test]
fn explicit_maps_are_checked() {
    assert!(matches!(
        ProxyHandler::new([("http", "socks5://s:1080")]),
        Err(Error::InvalidUrl { .. })
    ));
    assert!(matches!(
        ProxyHandler::new([("https", "https://p:443")]),
        Err(Error::InvalidUrl { .. })
    ));
    match ProxyHandler::new([("gopher", "http://p:70")]) {
        Err(Error::InvalidUrl { reason, .. }) => assert!(reason.contains("gopher")),
        other => panic!("expected an error, got {other:?}"),
    }
    let none = ProxyHandler::new(Vec::<(&str, &str)>::new()).unwrap();
    assert_eq!(chosen(&none, "http://a.example/"), None);
    assert_eq!(chosen(&ProxyHandler::none(), "https://a.example/"), None);
    // The password never shows in Debug output.
    let h = ProxyHandler::new([("http", "http://joe:hunter2@p:1")]).unwrap();
    let shown = format!("{h:?}");
    assert!(
        !shown.contains("hunter2") && shown.contains("joe"),
        "{shown}"
    );
}
