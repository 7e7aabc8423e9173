//! `HTTPRedirectHandler` against an in-memory site: methods and bodies per status, location
//! forms, loop and chain limits, refused targets, headers across hosts, what the redirected
//! request says about its origin, cookies on redirects, and the final URL.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use http::{HeaderMap, HeaderValue, Method, StatusCode};
use mechanize::handler::{BoxFuture, Handler, OpenHandler, Schemes};
use mechanize::handlers::HTTPRedirectHandler;
use mechanize::{Error, OpenerDirector, Request, Response, Result, build_opener};

fn block_on<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(f)
}

/// What the site received.
#[derive(Debug, Clone)]
struct Seen {
    url: String,
    method: Method,
    body: Option<Vec<u8>>,
    headers: Vec<(String, String)>,
    unverifiable: bool,
    origin_req_host: String,
    timeout: Option<Duration>,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// An in-memory site for `http:` and `https:` on every host. Routes:
/// `…/redirect?code=C&to=L` answers C with `Location: L`; `/uri?to=L` a 302 with only
/// `URI: L`; `/nolocation` a 302 without either; `/loop` a 302 to itself; `/chain/N` a 302
/// to `/chain/N-1` down to `/chain/0`; `/setcookie` a 302 to `/echo` setting a cookie;
/// anything else a 200 whose body is the request's URL.
#[derive(Debug, Default)]
struct FakeSite {
    log: Mutex<Vec<Seen>>,
}

impl FakeSite {
    fn seen(&self) -> Vec<Seen> {
        self.log.lock().expect("log").clone()
    }

    fn hits(&self, url: &str) -> usize {
        self.seen().iter().filter(|s| s.url == url).count()
    }
}

impl Handler for FakeSite {
    /// Ahead of the default HTTP and HTTPS handlers (order 500), so it answers both schemes.
    fn handler_order(&self) -> i32 {
        400
    }
    fn open_handler(&self) -> Option<&dyn OpenHandler> {
        Some(self)
    }
}

impl OpenHandler for FakeSite {
    fn schemes(&self) -> Schemes {
        Schemes::Only(&["http", "https"])
    }

    fn open<'a>(
        &'a self,
        request: &'a Request,
        _: &'a OpenerDirector,
    ) -> BoxFuture<'a, Result<Option<Response>>> {
        Box::pin(async move {
            self.log.lock().expect("log").push(Seen {
                url: request.full_url().to_owned(),
                method: request.method(),
                body: request.data().map(|d| d.to_vec()),
                headers: request.header_items(),
                unverifiable: request.is_unverifiable(),
                origin_req_host: request.origin_req_host().to_owned(),
                timeout: request.timeout(),
            });
            let url = request.url();
            let query = |key: &str| {
                url.query_pairs()
                    .find(|(k, _)| k == key)
                    .map(|(_, v)| v.into_owned())
            };
            let mut headers = HeaderMap::new();
            let mut location = |value: &str| {
                headers.insert("location", HeaderValue::from_str(value).expect("location"));
            };
            let path = url.path();
            let (status, reason) = if path.ends_with("/redirect") {
                let code: u16 = query("code").expect("code").parse().expect("number");
                location(&query("to").expect("to"));
                (StatusCode::from_u16(code).expect("status"), "Redirected")
            } else if path == "/uri" {
                let to = query("to").expect("to");
                headers.insert("uri", HeaderValue::from_str(&to).expect("uri"));
                (StatusCode::FOUND, "Found")
            } else if path == "/nolocation" {
                (StatusCode::FOUND, "Found")
            } else if path == "/loop" {
                location("/loop");
                (StatusCode::FOUND, "Found")
            } else if let Some(n) = path.strip_prefix("/chain/") {
                let n: u32 = n.parse().expect("number");
                if n == 0 {
                    (StatusCode::OK, "OK")
                } else {
                    location(&format!("/chain/{}", n - 1));
                    (StatusCode::FOUND, "Found")
                }
            } else if path == "/setcookie" {
                location("/echo");
                headers.insert("set-cookie", HeaderValue::from_static("session=42; Path=/"));
                (StatusCode::FOUND, "Found")
            } else {
                (StatusCode::OK, "OK")
            };
            Ok(Some(
                Response::new(url.clone(), status, reason)
                    .with_headers(headers)
                    .with_body(url.to_string()),
            ))
        })
    }
}

fn fresh() -> (Arc<FakeSite>, OpenerDirector) {
    let site = Arc::new(FakeSite::default());
    let opener = build_opener(vec![
        Arc::clone(&site) as Arc<dyn Handler>,
        Arc::new(HTTPRedirectHandler::default()),
    ]);
    (site, opener)
}

fn redirect_url(base: &str, code: u16, to: &str) -> String {
    // `redirect` in the base's directory, so relative locations resolve against it.
    let mut url = url::Url::parse(base)
        .and_then(|b| b.join("redirect"))
        .expect("base");
    url.query_pairs_mut()
        .append_pair("code", &code.to_string())
        .append_pair("to", to);
    url.to_string()
}

fn http_error(result: Result<Response>) -> Box<mechanize::HttpError> {
    match result {
        Err(Error::Http(e)) => e,
        other => panic!("expected an HTTP error, got {other:?}"),
    }
}

#[test]
fn post_becomes_get_after_301_302_303_and_is_kept_after_307_308() {
    for code in [301, 302, 303, 307, 308] {
        let (site, opener) = fresh();
        let mut request =
            Request::new(&redirect_url("http://a.example/", code, "/target")).expect("url");
        request.set_form([("q", "1")]);
        let mut response = block_on(opener.open(request)).expect("followed");
        assert_eq!(response.code(), 200, "{code}");
        assert_eq!(response.geturl().as_str(), "http://a.example/target");
        assert_eq!(
            block_on(response.text()).expect("body"),
            "http://a.example/target"
        );
        let seen = site.seen();
        assert_eq!(seen.len(), 2, "{code}");
        assert_eq!(seen[0].method, Method::POST);
        let hop = &seen[1];
        if code >= 307 {
            assert_eq!(hop.method, Method::POST, "{code}");
            assert_eq!(hop.body.as_deref(), Some(&b"q=1"[..]), "{code}");
            assert_eq!(
                hop.header("content-type"),
                Some("application/x-www-form-urlencoded"),
                "{code}"
            );
        } else {
            assert_eq!(hop.method, Method::GET, "{code}");
            assert_eq!(hop.body, None, "{code}");
            assert_eq!(hop.header("content-type"), None, "{code}");
            assert_eq!(hop.header("content-length"), None, "{code}");
        }
    }
}

#[test]
fn other_methods_per_status() {
    // An explicit PUT with a body keeps both through a 307; a 303 makes it a bodiless GET.
    let (site, opener) = fresh();
    let mut put = Request::new(&redirect_url("http://a.example/", 307, "/t")).expect("url");
    put.set_method(Method::PUT);
    put.set_data(Some("doc"));
    put.add_header("Content-Length", "3").expect("header");
    block_on(opener.open(put.clone())).expect("307");
    let hop = &site.seen()[1];
    assert_eq!(hop.method, Method::PUT);
    assert_eq!(hop.body.as_deref(), Some(&b"doc"[..]));
    assert_eq!(hop.header("content-length"), Some("3"));

    let (site, opener) = fresh();
    let mut put = Request::new(&redirect_url("http://a.example/", 303, "/t")).expect("url");
    put.set_method(Method::PUT);
    put.set_data(Some("doc"));
    put.add_header("Content-Length", "3").expect("header");
    block_on(opener.open(put)).expect("303");
    let hop = &site.seen()[1];
    assert_eq!(hop.method, Method::GET);
    assert_eq!(hop.body, None);
    assert_eq!(hop.header("content-length"), None);

    // A HEAD stays a HEAD.
    let (site, opener) = fresh();
    let mut head = Request::new(&redirect_url("http://a.example/", 301, "/t")).expect("url");
    head.set_method(Method::HEAD);
    block_on(opener.open(head)).expect("301");
    assert_eq!(site.seen()[1].method, Method::HEAD);
}

#[test]
fn locations_resolve_against_the_request_url() {
    let cases = [
        (
            "http://a.example/dir/page",
            "other",
            "http://a.example/dir/other",
        ),
        (
            "http://a.example/dir/sub/",
            "../up?x=1",
            "http://a.example/dir/up?x=1",
        ),
        ("http://a.example/", "/abs#frag", "http://a.example/abs"),
        (
            "http://a.example/",
            "http://b.example/b",
            "http://b.example/b",
        ),
        ("https://a.example/", "//c.example/c", "https://c.example/c"),
        (
            "http://a.example/",
            "HTTPS://D.example:8443/d",
            "https://d.example:8443/d",
        ),
        (
            "http://a.example/",
            "/with space",
            "http://a.example/with%20space",
        ),
    ];
    for (base, location, expected) in cases {
        let (site, opener) = fresh();
        let response =
            block_on(opener.open_url(&redirect_url(base, 302, location))).expect(location);
        assert_eq!(response.geturl().as_str(), expected, "{location}");
        assert_eq!(site.seen()[1].url, expected, "{location}");
    }
}

#[test]
fn a_uri_header_is_accepted_and_a_missing_location_is_an_error() {
    let (_, opener) = fresh();
    let response =
        block_on(opener.open_url("http://a.example/uri?to=%2Fvia-uri")).expect("followed");
    assert_eq!(response.geturl().as_str(), "http://a.example/via-uri");

    let e = http_error(block_on(opener.open_url("http://a.example/nolocation")));
    assert_eq!(e.status, StatusCode::FOUND);
    assert_eq!(e.reason, "Found");
}

#[test]
fn a_loop_stops_after_four_visits_of_the_same_url() {
    let (site, opener) = fresh();
    let e = http_error(block_on(opener.open_url("http://a.example/loop")));
    assert_eq!(e.status, StatusCode::FOUND);
    assert_eq!(e.url, "http://a.example/loop");
    assert!(
        e.reason.starts_with(
            "The HTTP server returned a redirect error that would lead to an infinite loop."
        ),
        "{}",
        e.reason
    );
    assert!(e.reason.ends_with("Found"), "{}", e.reason);
    // The first request, then four redirected visits.
    assert_eq!(site.hits("http://a.example/loop"), 5);

    // A new open is a new chain.
    let e = http_error(block_on(opener.open_url("http://a.example/loop")));
    assert_eq!(e.status, StatusCode::FOUND);
    assert_eq!(site.hits("http://a.example/loop"), 10);
}

#[test]
fn concurrent_chains_keep_their_own_counts() {
    let (site, opener) = fresh();
    let (a, b) = block_on(async {
        tokio::join!(
            opener.open_url("http://a.example/loop"),
            opener.open_url("http://b.example/loop")
        )
    });
    http_error(a);
    http_error(b);
    assert_eq!(site.hits("http://a.example/loop"), 5);
    assert_eq!(site.hits("http://b.example/loop"), 5);

    // Chains in spawned tasks and on other threads.
    let (site, opener) = fresh();
    let opener = Arc::new(opener);
    std::thread::scope(|scope| {
        for t in 0..2 {
            let opener = Arc::clone(&opener);
            scope.spawn(move || {
                block_on(async {
                    let tasks: Vec<_> = (0..2)
                        .map(|i| {
                            let opener = Arc::clone(&opener);
                            let url = format!("http://h{t}-{i}.example/chain/10");
                            tokio::spawn(async move { opener.open_url(&url).await })
                        })
                        .collect();
                    for task in tasks {
                        task.await
                            .expect("task")
                            .expect("ten redirections are allowed");
                    }
                })
            });
        }
    });
    assert_eq!(site.seen().len(), 44);
}

#[test]
fn a_chain_stops_after_ten_redirections() {
    let (site, opener) = fresh();
    let response = block_on(opener.open_url("http://a.example/chain/10")).expect("ten");
    assert_eq!(response.geturl().as_str(), "http://a.example/chain/0");
    assert_eq!(site.seen().len(), 11);

    let (site, opener) = fresh();
    let e = http_error(block_on(opener.open_url("http://a.example/chain/11")));
    assert!(e.reason.contains("infinite loop"), "{}", e.reason);
    assert_eq!(e.url, "http://a.example/chain/1");
    assert_eq!(site.seen().len(), 11);
}

#[test]
fn targets_other_than_http_are_refused() {
    for target in [
        "ftp://a.example/file",
        "file:///etc/passwd",
        "data:,x",
        "javascript:alert(1)",
        "http://[::1",
    ] {
        let (site, opener) = fresh();
        let e = http_error(block_on(opener.open_url(&redirect_url(
            "http://a.example/",
            302,
            target,
        ))));
        assert_eq!(e.status, StatusCode::FOUND, "{target}");
        assert!(e.url.starts_with("http://a.example/redirect"), "{target}");
        assert_eq!(
            e.reason,
            format!("Redirected - Redirection to url '{target}' is not allowed")
        );
        assert_eq!(site.seen().len(), 1, "{target}");
    }
}

fn with_credentials(url: &str) -> Request {
    let mut r = Request::new(url).expect("url");
    r.add_header("Authorization", "Basic dTpw").expect("h");
    r.add_header("Cookie", "mine=1").expect("h");
    r.add_header("Proxy-Authorization", "Basic cHg6cHc=")
        .expect("h");
    r.add_header("X-Custom", "kept").expect("h");
    r.add_unredirected_header("X-Once", "first hop only")
        .expect("h");
    r
}

#[test]
fn credentials_stay_on_the_same_host_only() {
    let sensitive = ["authorization", "cookie", "proxy-authorization"];

    let (site, opener) = fresh();
    block_on(opener.open(with_credentials(&redirect_url(
        "http://a.example/",
        302,
        "http://A.example:80/same",
    ))))
    .expect("same host");
    let seen = site.seen();
    assert_eq!(seen[0].header("x-once"), Some("first hop only"));
    let hop = &seen[1];
    for name in sensitive {
        assert!(hop.header(name).is_some(), "{name} kept on the same host");
    }
    assert_eq!(hop.header("x-custom"), Some("kept"));
    assert_eq!(
        hop.header("x-once"),
        None,
        "unredirected headers stay behind"
    );

    for other in [
        "http://b.example/",
        "http://a.example:8080/",
        "https://a.example/",
    ] {
        let (site, opener) = fresh();
        block_on(opener.open(with_credentials(&redirect_url(
            "http://a.example/",
            307,
            other,
        ))))
        .expect("other host");
        let hop = &site.seen()[1];
        for name in sensitive {
            assert_eq!(hop.header(name), None, "{name} dropped going to {other}");
        }
        assert_eq!(hop.header("x-custom"), Some("kept"), "{other}");
        assert_eq!(hop.header("x-once"), None);
        assert_eq!(
            hop.header("user-agent"),
            Some(mechanize::USER_AGENT),
            "addheaders on every hop"
        );
    }
}

#[test]
fn redirected_requests_are_unverifiable_with_the_original_origin() {
    let (site, opener) = fresh();
    let second = redirect_url("http://c.example/", 302, "/end");
    let mut request = Request::new(&redirect_url("http://a.example/", 301, &second)).expect("url");
    request.set_timeout(Some(Duration::from_secs(7)));
    let response = block_on(opener.open(request)).expect("followed");
    assert_eq!(response.geturl().as_str(), "http://c.example/end");
    let seen = site.seen();
    assert_eq!(seen.len(), 3);
    assert!(!seen[0].unverifiable);
    for hop in &seen {
        assert_eq!(hop.origin_req_host, "a.example", "{}", hop.url);
        assert_eq!(hop.timeout, Some(Duration::from_secs(7)), "{}", hop.url);
    }
    assert!(seen[1].unverifiable && seen[2].unverifiable);

    // An origin set by the caller (the page a link was on) is kept too.
    let (site, opener) = fresh();
    let mut request =
        Request::new(&redirect_url("http://a.example/", 302, "http://b.example/")).expect("url");
    request.set_origin_req_host("shop.example");
    block_on(opener.open(request)).expect("followed");
    assert_eq!(site.seen()[1].origin_req_host, "shop.example");
}

#[test]
fn a_cookie_set_on_a_redirect_is_sent_on_the_next_hop() {
    let (site, opener) = fresh();
    let mut response = block_on(opener.open_url("http://a.example/setcookie")).expect("followed");
    assert_eq!(response.geturl().as_str(), "http://a.example/echo");
    assert_eq!(
        block_on(response.text()).expect("body"),
        "http://a.example/echo"
    );
    let seen = site.seen();
    assert_eq!(seen[0].header("cookie"), None);
    assert_eq!(seen[1].header("cookie"), Some("session=42"));
}

#[test]
fn the_handler_plays_the_redirect_role() {
    let handler = HTTPRedirectHandler::default();
    assert_eq!(handler.role(), Some("redirect"));
    assert_eq!((handler.max_repeats, handler.max_redirections), (4, 10));

    // Stricter limits are honoured.
    let site = Arc::new(FakeSite::default());
    let opener = build_opener(vec![
        Arc::clone(&site) as Arc<dyn Handler>,
        Arc::new(HTTPRedirectHandler {
            max_repeats: 4,
            max_redirections: 2,
        }),
    ]);
    block_on(opener.open_url("http://a.example/chain/2")).expect("two");
    http_error(block_on(opener.open_url("http://a.example/chain/3")));
}
