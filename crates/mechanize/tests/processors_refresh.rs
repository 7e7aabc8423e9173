//! `HTTPRefreshProcessor` against a real server on 127.0.0.1: refreshes followed or not by
//! `max_time`, waiting when `honor_time`, loops ending in the redirect handler's error,
//! cookies on the refresh hop, a header added by an earlier processor; and the header syntax.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::{HeaderValue, StatusCode};
use http_body_util::Full;
use mechanize::handler::{BoxFuture, Handler, ResponseProcessor};
use mechanize::handlers::HTTPRedirectHandler;
use mechanize::processors::{HTTPRefreshProcessor, RefreshHeader};
use mechanize::{Error, OpenerDirector, Request, Response, Result, build_opener};
use mechanize_integration_tests::serve;

/// Each request's method, path and `Cookie` header, in arrival order.
type Log = Arc<Mutex<Vec<(String, String, Option<String>)>>>;

/// A server whose pages refresh as their query says: `/p?refresh=V` answers 200 with
/// `Refresh: V`, and `&cookie=C` adds `Set-Cookie: C`, `&status=S` answers S instead of 200.
/// The body is always the path.
async fn refreshing_server() -> (SocketAddr, Log) {
    let log: Log = Arc::default();
    let seen = Arc::clone(&log);
    let addr = serve(move |req| {
        let path = req.uri().path().to_owned();
        let cookie = req
            .headers()
            .get("cookie")
            .map(|v| v.to_str().expect("ascii").to_owned());
        seen.lock()
            .expect("log")
            .push((req.method().to_string(), path.clone(), cookie));
        let query = req.uri().query().unwrap_or("").to_owned();
        let mut reply = hyper::Response::new(Full::new(Bytes::from(path)));
        for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
            let value = HeaderValue::from_str(&value).expect("header value");
            match &*key {
                "refresh" => {
                    reply.headers_mut().insert("refresh", value);
                }
                "cookie" => {
                    reply.headers_mut().insert("set-cookie", value);
                }
                "status" => {
                    *reply.status_mut() = StatusCode::from_bytes(value.as_bytes()).expect("status");
                }
                _ => {}
            }
        }
        reply
    })
    .await
    .expect("server");
    (addr, log)
}

/// `http://addr/path?refresh=<value>` with the value encoded.
fn page(addr: SocketAddr, path: &str, refresh: &str) -> String {
    let query: String = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("refresh", refresh)
        .finish();
    format!("http://{addr}{path}?{query}")
}

fn paths(log: &Log) -> Vec<String> {
    log.lock()
        .expect("log")
        .iter()
        .map(|(_, p, _)| p.clone())
        .collect()
}

fn unlimited(honor_time: bool) -> HTTPRefreshProcessor {
    HTTPRefreshProcessor {
        max_time: None,
        honor_time,
    }
}

#[tokio::test]
async fn a_zero_refresh_is_followed_by_default_as_a_get() {
    let (addr, log) = refreshing_server().await;
    let opener = build_opener(vec![Arc::new(HTTPRefreshProcessor::default())]);
    let mut request = Request::new(&page(addr, "/start", "0; url=/next")).unwrap();
    request.set_form([("field", "value")]);
    let mut response = opener.open(request).await.unwrap();
    assert_eq!(response.code(), 200);
    assert_eq!(response.geturl().as_str(), format!("http://{addr}/next"));
    assert_eq!(response.text().await.unwrap(), "/next");
    let seen = log.lock().expect("log").clone();
    let methods: Vec<(&str, &str)> = seen
        .iter()
        .map(|(m, p, _)| (m.as_str(), p.as_str()))
        .collect();
    assert_eq!(methods, vec![("POST", "/start"), ("GET", "/next")]);
}

#[tokio::test]
async fn relative_and_absolute_urls_are_resolved_against_the_response() {
    let (addr, log) = refreshing_server().await;
    let opener = build_opener(vec![Arc::new(unlimited(false))]);
    // Relative to /dir/page, quoted, with spaces: /dir/other.
    let response = opener
        .open_url(&page(addr, "/dir/page", "  0 ; URL = 'other'"))
        .await
        .unwrap();
    assert_eq!(response.geturl().path(), "/dir/other");
    let target = format!("http://{addr}/elsewhere?a=1");
    let response = opener
        .open_url(&page(addr, "/first", &format!("0; url={target}")))
        .await
        .unwrap();
    assert_eq!(response.geturl().as_str(), target);
    assert_eq!(
        paths(&log),
        vec!["/dir/page", "/dir/other", "/first", "/elsewhere"]
    );
}

#[tokio::test]
async fn a_pause_above_max_time_returns_the_page_with_its_header() {
    let (addr, log) = refreshing_server().await;
    let default = build_opener(vec![Arc::new(HTTPRefreshProcessor::default())]);
    let url = page(addr, "/start", "5; url=/next");
    let mut response = default.open_url(&url).await.unwrap();
    assert_eq!(response.code(), 200);
    assert_eq!(response.geturl().as_str(), url);
    assert_eq!(response.info()["refresh"], "5; url=/next");
    assert_eq!(response.text().await.unwrap(), "/start");

    let four_seconds = build_opener(vec![Arc::new(HTTPRefreshProcessor {
        max_time: Some(Duration::from_secs(4)),
        honor_time: false,
    })]);
    let response = four_seconds.open_url(&url).await.unwrap();
    assert_eq!(response.geturl().as_str(), url);
    assert_eq!(paths(&log), vec!["/start", "/start"], "never /next");
}

#[tokio::test]
async fn a_pause_within_max_time_is_followed_without_waiting_unless_honoured() {
    let (addr, log) = refreshing_server().await;
    let opener = build_opener(vec![Arc::new(HTTPRefreshProcessor {
        max_time: Some(Duration::from_secs(5)),
        honor_time: false,
    })]);
    let response = opener
        .open_url(&page(addr, "/start", "5;URL='/x'"))
        .await
        .unwrap();
    assert_eq!(response.geturl().path(), "/x");

    // An hour's pause, not honoured: followed at once.
    let started = Instant::now();
    let opener = build_opener(vec![Arc::new(unlimited(false))]);
    let response = opener
        .open_url(&page(addr, "/later", "3600; url=/y"))
        .await
        .unwrap();
    assert_eq!(response.geturl().path(), "/y");
    assert!(started.elapsed() < Duration::from_secs(3600));
    assert_eq!(paths(&log), vec!["/start", "/x", "/later", "/y"]);
}

#[tokio::test]
async fn honor_time_waits_the_pause_first() {
    let (addr, log) = refreshing_server().await;
    let pause = Duration::from_secs(1);
    let opener = build_opener(vec![Arc::new(HTTPRefreshProcessor {
        max_time: Some(pause),
        honor_time: true,
    })]);
    let started = Instant::now();
    let response = opener
        .open_url(&page(addr, "/start", "1; url=/next"))
        .await
        .unwrap();
    assert!(
        started.elapsed() >= pause,
        "followed after {:?}",
        started.elapsed()
    );
    assert_eq!(response.geturl().path(), "/next");
    assert_eq!(paths(&log), vec!["/start", "/next"]);
}

#[tokio::test]
async fn a_page_refreshing_itself_ends_in_the_redirect_loop_error() {
    let (addr, log) = refreshing_server().await;
    let opener = build_opener(vec![Arc::new(HTTPRefreshProcessor::default())]);
    let url = page(addr, "/loop", "0");
    let err = opener.open_url(&url).await.unwrap_err();
    let Error::Http(e) = err else {
        panic!("expected Error::Http, got {err:?}")
    };
    assert!(
        e.reason.starts_with(
            "The HTTP server returned a redirect error that would lead to an infinite loop."
        ),
        "{}",
        e.reason
    );
    assert!(e.reason.ends_with("Refresh"), "{}", e.reason);
    assert_eq!(e.url, url);
    assert_eq!(e.status, StatusCode::FOUND);
    assert_eq!(e.headers["refresh"], "0");
    // The first visit, then one per refresh the redirect handler allows to one URL.
    // No URL in the header: the page itself, again and again.
    let allowed = HTTPRedirectHandler::default().max_repeats;
    assert_eq!(paths(&log), vec!["/loop"; 1 + allowed]);
}

#[tokio::test]
async fn cookies_set_by_the_refreshing_page_reach_the_target() {
    let (addr, log) = refreshing_server().await;
    let opener = build_opener(vec![Arc::new(HTTPRefreshProcessor::default())]);
    let url = format!(
        "{}&cookie={}",
        page(addr, "/login", "0; url=/home"),
        "session%3D42%3B%20Path%3D%2F"
    );
    let response = opener.open_url(&url).await.unwrap();
    assert_eq!(response.geturl().path(), "/home");
    let seen = log.lock().expect("log").clone();
    assert_eq!(seen[0].2, None);
    assert_eq!(seen[1].1, "/home");
    assert_eq!(seen[1].2.as_deref(), Some("session=42"));
}

#[tokio::test]
async fn only_200_responses_and_parseable_headers_refresh() {
    let (addr, log) = refreshing_server().await;
    let opener = build_opener(vec![Arc::new(unlimited(false))]);
    let created = format!("{}&status=201", page(addr, "/created", "0; url=/next"));
    let response = opener.open_url(&created).await.unwrap();
    assert_eq!(response.code(), 201);
    assert_eq!(response.geturl().as_str(), created);
    let garbage = page(addr, "/garbage", "soon; url=/next");
    let response = opener.open_url(&garbage).await.unwrap();
    assert_eq!(response.geturl().as_str(), garbage);
    assert_eq!(paths(&log), vec!["/created", "/garbage"]);
}

/// Adds `Refresh: 0; url=/from-meta` to every 200 response, as the HTTP-EQUIV processor would
/// for a `<meta http-equiv="refresh">`, once per chain (not on `/from-meta` itself).
#[derive(Debug)]
struct MetaRefresh;

impl Handler for MetaRefresh {
    fn handler_order(&self) -> i32 {
        300
    }
    fn response_processor(&self) -> Option<&dyn ResponseProcessor> {
        Some(self)
    }
}

impl ResponseProcessor for MetaRefresh {
    fn process_response<'a>(
        &'a self,
        _: &'a Request,
        mut response: Response,
        _: &'a OpenerDirector,
    ) -> BoxFuture<'a, Result<Response>> {
        Box::pin(async move {
            if response.geturl().path() != "/from-meta" {
                response
                    .headers_mut()
                    .append("refresh", HeaderValue::from_static("0; url=/from-meta"));
            }
            Ok(response)
        })
    }
}

#[tokio::test]
async fn a_header_added_by_an_earlier_processor_is_followed() {
    let (addr, log) = refreshing_server().await;
    let opener = build_opener(vec![
        Arc::new(HTTPRefreshProcessor::default()),
        Arc::new(MetaRefresh),
    ]);
    let response = opener
        .open_url(&format!("http://{addr}/plain"))
        .await
        .unwrap();
    assert_eq!(response.geturl().path(), "/from-meta");
    assert_eq!(paths(&log), vec!["/plain", "/from-meta"]);
}

/// A header value and what it parses to: the pause and the URL, or `None`.
type Case = (&'static str, Option<(Duration, Option<&'static str>)>);

#[test]
fn header_syntaxes() {
    let parsed = |v: &str| RefreshHeader::parse(v).map(|r| (r.pause, r.url));
    let secs = Duration::from_secs;
    let cases: &[Case] = &[
        ("5;URL='/x'", Some((secs(5), Some("/x")))),
        ("  3 ; url = \"y\"", Some((secs(3), Some("y")))),
        ("0", Some((secs(0), None))),
        (" 2 ", Some((secs(2), None))),
        (
            "0.5; url=/half",
            Some((Duration::from_millis(500), Some("/half"))),
        ),
        ("1e1;url=/z", Some((secs(10), Some("/z")))),
        ("-1; url=/a", Some((secs(0), Some("/a")))),
        ("0; URL=/a;b=c", Some((secs(0), Some("/a;b=c")))),
        ("1;url=", Some((secs(1), Some("")))),
        ("0;url='/a\"", Some((secs(0), Some("'/a\"")))),
        (
            "0; url=http://h.example/x y",
            Some((secs(0), Some("http://h.example/x y"))),
        ),
        ("garbage", None),
        ("", None),
        ("1; /next", None),
        ("1; next=/x", None),
        ("1;", None),
        ("1, url=/x", None),
        ("; url=/x", None),
        ("nan", None),
        ("inf; url=/x", None),
    ];
    for (value, expected) in cases {
        let expected = expected.map(|(p, u)| (p, u.map(str::to_owned)));
        assert_eq!(parsed(value), expected, "{value:?}");
    }
}
