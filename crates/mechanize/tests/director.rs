//! The handler chain: order, roles, processors on every hop, error handling, the built-in
//! `data:`/`file:` handlers, and `urlopen`. HTTP is played by an in-memory open handler here;
//! real servers come with the HTTP handler.

use std::sync::{Arc, Mutex};

use cookiejar::CookieJar;
use http::{HeaderMap, HeaderValue, StatusCode};
use mechanize::handler::{
    BoxFuture, Codes, ErrorHandler, Handler, OpenHandler, RequestProcessor, ResponseProcessor,
    Schemes,
};
use mechanize::handlers::{DataHandler, FileHandler, UnknownHandler};
use mechanize::processors::HTTPCookieProcessor;
use mechanize::{
    Error, OpenerDirector, Request, Response, Result, build_opener, install_opener, urlopen,
};

fn block_on<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(f)
}

/// An in-memory site for `http:` URLs: `/login` sets a cookie behind a 302 to `/home`,
/// `/missing` is a 404, every page echoes the request's Cookie and User-Agent headers.
#[derive(Debug)]
struct FakeSite;

impl Handler for FakeSite {
    /// It stands in for the default HTTP handler.
    fn role(&self) -> Option<&'static str> {
        Some("http")
    }
    fn open_handler(&self) -> Option<&dyn OpenHandler> {
        Some(self)
    }
}

impl OpenHandler for FakeSite {
    fn schemes(&self) -> Schemes {
        Schemes::Only(&["http"])
    }

    fn open<'a>(
        &'a self,
        request: &'a Request,
        _: &'a OpenerDirector,
    ) -> BoxFuture<'a, Result<Option<Response>>> {
        Box::pin(async move {
            let echo = format!(
                "cookie={}; ua={}",
                request.get_header("cookie").unwrap_or("-"),
                request.get_header("user-agent").unwrap_or("-")
            );
            let mut headers = HeaderMap::new();
            let (status, reason) = match request.url().path() {
                "/login" => {
                    headers.insert("location", HeaderValue::from_static("/home"));
                    headers.insert("set-cookie", HeaderValue::from_static("session=42; Path=/"));
                    (StatusCode::FOUND, "Found")
                }
                "/missing" => (StatusCode::NOT_FOUND, "Not Found"),
                _ => (StatusCode::OK, "OK"),
            };
            Ok(Some(
                Response::new(request.url().clone(), status, reason)
                    .with_headers(headers)
                    .with_body(echo),
            ))
        })
    }
}

/// A minimal redirect handler: re-opens the `Location` through the whole chain.
#[derive(Debug)]
struct FollowFound;

impl Handler for FollowFound {
    fn error_handler(&self) -> Option<&dyn ErrorHandler> {
        Some(self)
    }
}

impl ErrorHandler for FollowFound {
    fn codes(&self) -> Codes {
        Codes::Only(&[302])
    }

    fn handle_error<'a>(
        &'a self,
        request: &'a Request,
        response: Response,
        director: &'a OpenerDirector,
    ) -> BoxFuture<'a, Result<std::result::Result<Response, Response>>> {
        Box::pin(async move {
            let Some(location) = response
                .info()
                .get("location")
                .and_then(|l| l.to_str().ok())
            else {
                return Ok(Err(response));
            };
            let next = request
                .url()
                .join(location)
                .map_err(|e| Error::url(request.full_url(), e.to_string()))?;
            let mut next = Request::new(next.as_str())?;
            next.set_unverifiable(true);
            next.set_origin_req_host(request.origin_req_host());
            director.open(next).await.map(Ok)
        })
    }
}

/// Records the order processors run in.
#[derive(Debug)]
struct Probe {
    name: &'static str,
    order: i32,
    log: Arc<Mutex<Vec<String>>>,
}

impl Handler for Probe {
    fn handler_order(&self) -> i32 {
        self.order
    }
    fn request_processor(&self) -> Option<&dyn RequestProcessor> {
        Some(self)
    }
    fn response_processor(&self) -> Option<&dyn ResponseProcessor> {
        Some(self)
    }
}

impl RequestProcessor for Probe {
    fn process_request<'a>(
        &'a self,
        request: Request,
        _: &'a OpenerDirector,
    ) -> BoxFuture<'a, Result<Request>> {
        Box::pin(async move {
            self.log
                .lock()
                .expect("log")
                .push(format!("req {}", self.name));
            Ok(request)
        })
    }
}

impl ResponseProcessor for Probe {
    fn process_response<'a>(
        &'a self,
        _: &'a Request,
        response: Response,
        _: &'a OpenerDirector,
    ) -> BoxFuture<'a, Result<Response>> {
        Box::pin(async move {
            self.log
                .lock()
                .expect("log")
                .push(format!("resp {}", self.name));
            Ok(response)
        })
    }
}

#[test]
fn processors_run_by_order_then_insertion() {
    let log = Arc::new(Mutex::new(Vec::new()));
    let probe = |name, order| {
        Arc::new(Probe {
            name,
            order,
            log: Arc::clone(&log),
        }) as Arc<dyn Handler>
    };
    let opener = build_opener(vec![
        probe("late", 900),
        probe("a", 500),
        probe("early", 100),
        probe("b", 500),
    ]);
    block_on(opener.open_url("data:,x")).expect("opened");
    assert_eq!(
        *log.lock().expect("log"),
        [
            "req early",
            "req a",
            "req b",
            "req late",
            "resp early",
            "resp a",
            "resp b",
            "resp late"
        ]
    );
}

#[test]
fn every_hop_passes_through_the_cookie_processor() {
    let jar = Arc::new(CookieJar::new());
    let opener = build_opener(vec![
        Arc::new(FakeSite),
        Arc::new(FollowFound),
        Arc::new(HTTPCookieProcessor::new(Arc::clone(&jar))),
    ]);
    let mut response = block_on(opener.open_url("http://www.example.com/login")).expect("followed");
    assert_eq!(response.geturl().as_str(), "http://www.example.com/home");
    let body = block_on(response.text()).expect("body");
    assert_eq!(
        body,
        format!("cookie=session=42; ua={}", mechanize::USER_AGENT)
    );
    assert_eq!(jar.len(), 1, "the cookie set on the 302 was stored");
}

#[test]
fn unresolved_error_statuses_become_http_errors_with_their_body() {
    let opener = build_opener(vec![Arc::new(FakeSite)]);
    match block_on(opener.open_url("http://www.example.com/missing")) {
        Err(Error::Http(e)) => {
            assert_eq!(e.status, StatusCode::NOT_FOUND);
            assert_eq!(e.url, "http://www.example.com/missing");
            assert!(String::from_utf8_lossy(&e.body).starts_with("cookie=-"));
        }
        other => panic!("expected an HTTP error, got {other:?}"),
    }
    // The default redirect handler follows a 302; without one, a 302 is an error too.
    assert!(block_on(opener.open_url("http://www.example.com/login")).is_ok());
    let mut bare = OpenerDirector::new();
    bare.add_handler(FakeSite);
    bare.add_handler(mechanize::processors::HTTPErrorProcessor);
    bare.add_handler(mechanize::handlers::HTTPDefaultErrorHandler);
    assert!(matches!(
        block_on(bare.open_url("http://www.example.com/login")),
        Err(Error::Http(e)) if e.status == StatusCode::FOUND
    ));
}

/// Resolves every 404 into a page of its own.
#[derive(Debug)]
struct Friendly404;

impl Handler for Friendly404 {
    fn error_handler(&self) -> Option<&dyn ErrorHandler> {
        Some(self)
    }
}

impl ErrorHandler for Friendly404 {
    fn codes(&self) -> Codes {
        Codes::Only(&[404])
    }
    fn handle_error<'a>(
        &'a self,
        request: &'a Request,
        _: Response,
        _: &'a OpenerDirector,
    ) -> BoxFuture<'a, Result<std::result::Result<Response, Response>>> {
        Box::pin(async move {
            Ok(Ok(Response::new(
                request.url().clone(),
                StatusCode::OK,
                "OK",
            )
            .with_body("sorry, not here")))
        })
    }
}

#[test]
fn a_specific_error_handler_runs_before_the_default() {
    let opener = build_opener(vec![Arc::new(FakeSite), Arc::new(Friendly404)]);
    let mut r = block_on(opener.open_url("http://www.example.com/missing")).expect("resolved");
    assert_eq!(block_on(r.text()).expect("body"), "sorry, not here");
}

#[test]
fn addheaders_fill_in_but_do_not_override() {
    let mut opener = build_opener(vec![Arc::new(FakeSite)]);
    let mut own = Request::new("http://www.example.com/").expect("url");
    own.add_header("User-Agent", "mine/1").expect("header");
    let mut r = block_on(opener.open(own)).expect("opened");
    assert_eq!(block_on(r.text()).expect("body"), "cookie=-; ua=mine/1");
    opener.set_addheaders(vec![("User-Agent".into(), "bot/2".into())]);
    let mut r = block_on(opener.open_url("http://www.example.com/")).expect("opened");
    assert_eq!(block_on(r.text()).expect("body"), "cookie=-; ua=bot/2");
    assert_eq!(opener.addheaders()[0].1, "bot/2");
}

#[test]
fn data_urls_follow_rfc_2397() {
    let mut opener = OpenerDirector::new();
    opener.add_handler(DataHandler);
    let open = |url: &str| block_on(async { opener.open_url(url).await });
    let mut r = open("data:,A%20brief%20note").expect("plain");
    assert_eq!(r.info()["content-type"], "text/plain;charset=US-ASCII");
    assert_eq!(r.info()["content-length"], "12");
    assert_eq!(block_on(r.text()).expect("body"), "A brief note");
    let mut r = open("data:;charset=utf-8;base64,w6k=").expect("base64, default type");
    assert_eq!(r.info()["content-type"], "text/plain;charset=utf-8");
    assert_eq!(block_on(r.text()).expect("body"), "\u{e9}");
    assert!(
        matches!(open("data:text/plain"), Err(Error::Url { .. })),
        "no comma"
    );
    match open("data:;base64,!!!") {
        Err(Error::Url {
            source: Some(_), ..
        }) => {}
        other => panic!("bad base64: {other:?}"),
    }
}

#[test]
fn file_urls_read_local_files_and_fail_clearly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let page = dir.path().join("page.html");
    std::fs::write(&page, "<p>hi</p>").expect("write");
    let mut opener = OpenerDirector::new();
    opener.add_handler(FileHandler);
    let url = url::Url::from_file_path(&page).expect("path");
    let mut r = block_on(opener.open_url(url.as_str())).expect("opened");
    assert_eq!(r.info()["content-type"], "text/html");
    assert!(r.info().contains_key("last-modified"));
    assert_eq!(block_on(r.text()).expect("body"), "<p>hi</p>");

    let missing = url::Url::from_file_path(dir.path().join("nope.txt")).expect("path");
    match block_on(opener.open_url(missing.as_str())) {
        Err(Error::Url {
            url,
            source: Some(_),
            ..
        }) => assert!(url.ends_with("nope.txt")),
        other => panic!("missing file: {other:?}"),
    }
    assert!(matches!(
        block_on(opener.open_url("file://elsewhere.example/etc/hosts")),
        Err(Error::Url { .. })
    ));
}

#[test]
fn unknown_schemes_and_replacing_defaults() {
    let opener = build_opener(Vec::new());
    let err = block_on(opener.open_url("gopher://example.com/")).expect_err("no handler");
    assert!(
        err.to_string().contains("unknown url type: gopher"),
        "{err}"
    );

    /// Serves every scheme with a fixed page, in place of the default `UnknownHandler`.
    #[derive(Debug)]
    struct CatchAll;
    impl Handler for CatchAll {
        fn handler_order(&self) -> i32 {
            UnknownHandler.handler_order()
        }
        fn role(&self) -> Option<&'static str> {
            Some("unknown")
        }
        fn open_handler(&self) -> Option<&dyn OpenHandler> {
            Some(self)
        }
    }
    impl OpenHandler for CatchAll {
        fn schemes(&self) -> Schemes {
            Schemes::Any
        }
        fn open<'a>(
            &'a self,
            r: &'a Request,
            _: &'a OpenerDirector,
        ) -> BoxFuture<'a, Result<Option<Response>>> {
            Box::pin(async move {
                Ok(Some(
                    Response::new(r.url().clone(), StatusCode::OK, "OK").with_body("caught"),
                ))
            })
        }
    }
    let opener = build_opener(vec![Arc::new(CatchAll)]);
    assert_eq!(
        opener
            .handlers()
            .iter()
            .filter(|h| h.role() == Some("unknown"))
            .count(),
        1
    );
    let mut r = block_on(opener.open_url("gopher://example.com/")).expect("caught");
    assert_eq!(block_on(r.text()).expect("body"), "caught");
}

#[test]
fn urlopen_uses_the_installed_opener() {
    let mut r = block_on(urlopen("data:,default")).expect("default opener");
    assert_eq!(block_on(r.text()).expect("body"), "default");
    install_opener(build_opener(vec![Arc::new(FakeSite)]));
    let mut r = block_on(urlopen(
        Request::new("http://www.example.com/").expect("url"),
    ))
    .expect("installed");
    assert!(block_on(r.text()).expect("body").starts_with("cookie=-"));
}
