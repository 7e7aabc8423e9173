//! `Request` through the cookie engine: the jar reads its URL, origin host and verifiability,
//! and writes `Cookie` as an unredirected header.

use cookiejar::{CookieJar, DefaultCookiePolicy};
use mechanize::Request;

fn response(set_cookie: &str) -> http::Response<()> {
    http::Response::builder()
        .header("Set-Cookie", set_cookie)
        .body(())
        .expect("response")
}

#[test]
fn cookies_go_on_as_unredirected_headers() {
    let jar = CookieJar::new();
    let login = Request::new("http://www.example.com/login").expect("url");
    jar.extract_cookies(&response("sid=1; Path=/"), &login);
    let mut next = Request::new("http://www.example.com/account").expect("url");
    jar.add_cookie_header(&mut next);
    assert_eq!(next.get_header("Cookie"), Some("sid=1"));
    assert!(
        next.headers().get("cookie").is_none(),
        "not carried to a redirect"
    );
    assert!(next.unredirected_headers().get("cookie").is_some());
    // A Cookie header the user set is kept.
    let mut own = Request::new("http://www.example.com/").expect("url");
    own.add_header("Cookie", "mine=1").expect("header");
    jar.add_cookie_header(&mut own);
    assert_eq!(own.get_header("cookie"), Some("mine=1"));
}

#[test]
fn unverifiable_third_party_requests_follow_the_policy() {
    let strict = CookieJar::with_policy(
        DefaultCookiePolicy::builder()
            .strict_ns_unverifiable(true)
            .build(),
    );
    let mut pixel = Request::new("http://ads.tracker.example/pixel.gif").expect("url");
    pixel.set_unverifiable(true);
    pixel.set_origin_req_host("www.shop.example");
    strict.extract_cookies(&response("id=1"), &pixel);
    assert!(
        strict.is_empty(),
        "third-party cookie in an unverifiable request"
    );

    // The same request, made by the user (verifiable), is first-party to itself.
    let direct = Request::new("http://ads.tracker.example/pixel.gif").expect("url");
    strict.extract_cookies(&response("id=1"), &direct);
    assert_eq!(strict.len(), 1);
}

#[test]
fn a_cookie_value_http_refuses_is_left_out_not_a_panic() {
    let jar = CookieJar::new();
    let page = Request::new("http://www.example.com/").expect("url");
    // cookielib keeps control characters in values; HTTP header values cannot carry them.
    jar.extract_cookies(&cookiejar_response_with_bytes(b"ctl=a\x01b"), &page);
    assert_eq!(jar.len(), 1);
    let mut next = Request::new("http://www.example.com/").expect("url");
    jar.add_cookie_header(&mut next);
    assert_eq!(next.get_header("Cookie"), None);
}

/// A response whose Set-Cookie value holds bytes `http::HeaderValue` refuses.
fn cookiejar_response_with_bytes(value: &[u8]) -> impl cookiejar::CookieResponse {
    struct Raw(String);
    impl cookiejar::CookieResponse for Raw {
        fn header_values(&self, name: &str) -> Vec<std::borrow::Cow<'_, str>> {
            if name.eq_ignore_ascii_case("set-cookie") {
                vec![std::borrow::Cow::Borrowed(self.0.as_str())]
            } else {
                Vec::new()
            }
        }
    }
    Raw(String::from_utf8_lossy(value).into_owned())
}
