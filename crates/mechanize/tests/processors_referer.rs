//! `HTTPRefererProcessor`: the previous response's URL sent along a chain (and across a
//! redirect) to a real server on 127.0.0.1, user info and fragments stripped, an explicit
//! `Referer` kept, and nothing sent from `https` to `http` (an in-memory site, no TLS).

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http::StatusCode;
use http_body_util::Full;
use mechanize::handler::{BoxFuture, Handler, OpenHandler, ResponseProcessor, Schemes};
use mechanize::processors::{HTTPRefererProcessor, HTTPRefreshProcessor};
use mechanize::{OpenerDirector, Request, Response, Result, build_opener};
use mechanize_integration_tests::serve;

/// Each request's path and `Referer`, in arrival order.
type Log = Arc<Mutex<Vec<(String, Option<String>)>>>;

/// A server that logs every request; `/redirect` answers a 302 to `/after`, `/refresh` a 200
/// with `Refresh: 0; url=/after`, anything else a 200 whose body is the path.
async fn logging_server() -> (SocketAddr, Log) {
    let log: Log = Arc::default();
    let seen = Arc::clone(&log);
    let addr = serve(move |req| {
        let path = req.uri().path().to_owned();
        let referer = req
            .headers()
            .get("referer")
            .map(|v| v.to_str().expect("ascii").to_owned());
        seen.lock().expect("log").push((path.clone(), referer));
        let mut reply = hyper::Response::new(Full::new(Bytes::from(path.clone())));
        if path == "/redirect" {
            *reply.status_mut() = StatusCode::FOUND;
            reply
                .headers_mut()
                .insert("location", http::HeaderValue::from_static("/after"));
        } else if path == "/refresh" {
            reply
                .headers_mut()
                .insert("refresh", http::HeaderValue::from_static("0; url=/after"));
        }
        reply
    })
    .await
    .expect("server");
    (addr, log)
}

fn referers(log: &Log) -> Vec<(String, Option<String>)> {
    log.lock().expect("log").clone()
}

#[tokio::test]
async fn each_request_carries_the_previous_response_url_across_pages_and_redirects() {
    let (addr, log) = logging_server().await;
    let processor = Arc::new(HTTPRefererProcessor::new());
    let opener = build_opener(vec![processor.clone()]);
    let base = format!("http://{addr}");
    for path in ["/page1?x=1", "/page2", "/redirect", "/page3"] {
        let mut response = opener.open_url(&format!("{base}{path}")).await.unwrap();
        response.text().await.unwrap();
    }
    assert_eq!(
        referers(&log),
        vec![
            ("/page1".to_owned(), None),
            ("/page2".to_owned(), Some(format!("{base}/page1?x=1"))),
            ("/redirect".to_owned(), Some(format!("{base}/page2"))),
            // The redirected hop names the page that redirected.
            ("/after".to_owned(), Some(format!("{base}/redirect"))),
            ("/page3".to_owned(), Some(format!("{base}/after"))),
        ]
    );
    assert_eq!(
        processor.last_url().map(String::from),
        Some(format!("{base}/page3"))
    );
}

#[tokio::test]
async fn a_followed_refresh_names_the_refreshing_page() {
    let (addr, log) = logging_server().await;
    let opener = build_opener(vec![
        Arc::new(HTTPRefererProcessor::new()),
        Arc::new(HTTPRefreshProcessor::default()),
    ]);
    let base = format!("http://{addr}");
    let response = opener.open_url(&format!("{base}/refresh")).await.unwrap();
    assert_eq!(response.geturl().as_str(), format!("{base}/after"));
    assert_eq!(
        referers(&log),
        vec![
            ("/refresh".to_owned(), None),
            ("/after".to_owned(), Some(format!("{base}/refresh"))),
        ]
    );
}

#[tokio::test]
async fn an_explicit_referer_is_kept() {
    let (addr, log) = logging_server().await;
    let opener = build_opener(vec![Arc::new(HTTPRefererProcessor::new())]);
    let base = format!("http://{addr}");
    opener.open_url(&format!("{base}/page1")).await.unwrap();
    let mut request = Request::new(&format!("{base}/page2")).unwrap();
    request
        .add_header("Referer", "http://chosen.example/")
        .unwrap();
    opener.open(request).await.unwrap();
    // An unredirected Referer from the user is kept too.
    let mut request = Request::new(&format!("{base}/page3")).unwrap();
    request
        .add_unredirected_header("Referer", "http://chosen.example/other")
        .unwrap();
    opener.open(request).await.unwrap();
    let seen = referers(&log);
    assert_eq!(seen[1].1.as_deref(), Some("http://chosen.example/"));
    assert_eq!(seen[2].1.as_deref(), Some("http://chosen.example/other"));
}

/// Puts a fragment back on every response URL, as a handler that kept one would.
#[derive(Debug)]
struct AddFragment;

impl Handler for AddFragment {
    fn handler_order(&self) -> i32 {
        400
    }
    fn response_processor(&self) -> Option<&dyn ResponseProcessor> {
        Some(self)
    }
}

impl ResponseProcessor for AddFragment {
    fn process_response<'a>(
        &'a self,
        _: &'a Request,
        mut response: Response,
        _: &'a OpenerDirector,
    ) -> BoxFuture<'a, Result<Response>> {
        Box::pin(async move {
            let mut url = response.geturl().clone();
            url.set_fragment(Some("section"));
            response.set_url(url);
            Ok(response)
        })
    }
}

#[tokio::test]
async fn user_info_and_fragments_never_travel() {
    let (addr, log) = logging_server().await;
    let opener = build_opener(vec![
        Arc::new(HTTPRefererProcessor::new()),
        Arc::new(AddFragment),
    ]);
    let with_user = format!("http://someone:secret@{addr}/private?q=1");
    let first = opener.open_url(&with_user).await.unwrap();
    assert_eq!(first.geturl().password(), Some("secret"));
    assert_eq!(first.geturl().fragment(), Some("section"));
    opener
        .open_url(&format!("http://{addr}/next"))
        .await
        .unwrap();
    assert_eq!(
        referers(&log)[1],
        (
            "/next".to_owned(),
            Some(format!("http://{addr}/private?q=1"))
        )
    );
}

/// An in-memory site for `http:` and `https:` (no TLS needed): logs each URL with its
/// `Referer` and answers 200.
#[derive(Debug, Default)]
struct Site {
    log: Mutex<Vec<(String, Option<String>)>>,
}

impl Handler for Site {
    fn handler_order(&self) -> i32 {
        400
    }
    fn open_handler(&self) -> Option<&dyn OpenHandler> {
        Some(self)
    }
}

impl OpenHandler for Site {
    fn schemes(&self) -> Schemes {
        Schemes::Only(&["http", "https"])
    }

    fn open<'a>(
        &'a self,
        request: &'a Request,
        _: &'a OpenerDirector,
    ) -> BoxFuture<'a, Result<Option<Response>>> {
        Box::pin(async move {
            self.log.lock().expect("log").push((
                request.full_url().to_owned(),
                request.get_header("referer").map(str::to_owned),
            ));
            Ok(Some(Response::new(
                request.url().clone(),
                StatusCode::OK,
                "OK",
            )))
        })
    }
}

#[tokio::test]
async fn nothing_is_sent_from_https_to_http() {
    let site = Arc::new(Site::default());
    let opener = build_opener(vec![site.clone(), Arc::new(HTTPRefererProcessor::new())]);
    let urls = [
        "https://secure.example/login",
        "http://plain.example/page",
        "https://secure.example/account",
        "https://other.example/",
    ];
    for url in urls {
        opener.open_url(url).await.unwrap();
    }
    let seen = site.log.lock().expect("log").clone();
    let got: Vec<Option<&str>> = seen.iter().map(|(_, r)| r.as_deref()).collect();
    assert_eq!(
        got,
        vec![None, None, Some(urls[1]), Some(urls[2])],
        "https to http: none; http to https and https to https: sent"
    );
}
