//! The browser-grade policy (RFC 6265bis): host-only cookies, Secure, prefixes, HttpOnly,
//! SameSite, limits with eviction, and Cookie header order.

use std::sync::Arc;

use cookiejar::{
    BrowserCookiePolicy, BrowserLimits, CookieJar, CookieRequest, FixedClock, SameSite, SiteContext,
};

const NOW: i64 = 1_700_000_000;

fn browser() -> (CookieJar, Arc<FixedClock>) {
    browser_with(BrowserLimits::default())
}

fn browser_with(limits: BrowserLimits) -> (CookieJar, Arc<FixedClock>) {
    let clock = Arc::new(FixedClock::new(NOW));
    (
        CookieJar::with_policy(BrowserCookiePolicy::new(limits)).with_clock(Arc::clone(&clock)),
        clock,
    )
}

fn get(url: &str) -> http::Request<()> {
    http::Request::get(url).body(()).expect("valid request")
}

fn set_from(jar: &CookieJar, req: &http::Request<()>, cookies: &[&str]) {
    let mut b = http::Response::builder();
    for c in cookies {
        b = b.header("Set-Cookie", *c);
    }
    jar.extract_cookies(&b.body(()).expect("valid response"), req);
}

fn set(jar: &CookieJar, url: &str, cookies: &[&str]) {
    set_from(jar, &get(url), cookies);
}

fn sent_with(jar: &CookieJar, mut req: http::Request<()>) -> Option<String> {
    jar.add_cookie_header(&mut req);
    req.header("Cookie").map(|c| c.into_owned())
}

fn sent(jar: &CookieJar, url: &str) -> Option<String> {
    sent_with(jar, get(url))
}

#[test]
fn host_only_cookies_go_to_their_host_only() {
    let (jar, _) = browser();
    set(
        &jar,
        "http://example.com/",
        &["h=1", "d=2; Domain=example.com"],
    );
    assert_eq!(
        sent(&jar, "http://example.com/").as_deref(),
        Some("h=1; d=2")
    );
    assert_eq!(
        sent(&jar, "http://www.example.com/").as_deref(),
        Some("d=2")
    );
    assert_eq!(sent(&jar, "http://notexample.com/"), None);
}

#[test]
fn domain_must_cover_the_request_host() {
    let (jar, _) = browser();
    set(
        &jar,
        "http://www.example.com/",
        &["a=1; Domain=other.com", "b=2; Domain=sub.www.example.com"],
    );
    assert!(jar.is_empty());
}

#[test]
fn last_attribute_wins() {
    let (jar, _) = browser();
    set(&jar, "http://example.com/", &["a=1; Path=/x; Path=/"]);
    let c = jar.iter().next().expect("stored");
    assert_eq!(c.path(), "/");
}

#[test]
fn secure_cookies_need_secure_origins_and_cannot_be_overwritten_from_http() {
    let (jar, _) = browser();
    set(&jar, "http://example.com/", &["s=1; Secure"]);
    assert!(jar.is_empty(), "a Secure cookie from http:// is refused");
    set(&jar, "https://example.com/", &["s=1; Secure"]);
    assert_eq!(sent(&jar, "http://example.com/"), None);
    assert_eq!(sent(&jar, "https://example.com/").as_deref(), Some("s=1"));
    // A non-secure origin cannot shadow it, even from a subdomain or a deeper path.
    set(&jar, "http://example.com/", &["s=evil"]);
    set(
        &jar,
        "http://www.example.com/",
        &["s=evil; Domain=example.com; Path=/deeper"],
    );
    assert_eq!(jar.len(), 1);
    assert_eq!(sent(&jar, "https://example.com/").as_deref(), Some("s=1"));
    // A secure origin may replace it.
    set(&jar, "https://example.com/", &["s=2"]);
    assert_eq!(sent(&jar, "https://example.com/").as_deref(), Some("s=2"));
}

#[test]
fn cookie_prefixes() {
    let (jar, _) = browser();
    set(
        &jar,
        "https://example.com/",
        &[
            "__Secure-ok=1; Secure",
            "__Secure-no=1",
            "__Host-ok=1; Secure; Path=/",
            "__Host-domain=1; Secure; Path=/; Domain=example.com",
            "__Host-nopath=1; Secure",
            "__host-lower=1; Path=/",
        ],
    );
    let names: Vec<String> = jar.iter().map(|c| c.name().to_owned()).collect();
    assert_eq!(names, ["__Secure-ok", "__Host-ok"]);
    let (jar, _) = browser();
    set(&jar, "http://example.com/", &["__Secure-x=1; Secure"]);
    assert!(jar.is_empty());
}

#[test]
fn http_only_is_kept_and_reported() {
    let (jar, _) = browser();
    set(&jar, "http://example.com/", &["a=1; HttpOnly", "b=2"]);
    let flags: Vec<(String, bool)> = jar
        .iter()
        .map(|c| (c.name().to_owned(), c.http_only()))
        .collect();
    assert_eq!(flags, [("a".to_owned(), true), ("b".to_owned(), false)]);
    assert_eq!(
        sent(&jar, "http://example.com/").as_deref(),
        Some("a=1; b=2")
    );
}

fn cross_site(url: &str, top_level: bool, method: http::Method) -> http::Request<()> {
    let safe = method == http::Method::GET;
    let mut r = http::Request::builder()
        .method(method)
        .uri(url)
        .body(())
        .expect("valid request");
    r.extensions_mut()
        .insert(SiteContext::cross_site(top_level, safe));
    r
}

#[test]
fn same_site_is_stored_and_enforced() {
    let (jar, _) = browser();
    set(
        &jar,
        "https://example.com/",
        &[
            "strict=1; SameSite=Strict",
            "lax=2; SameSite=Lax",
            "none=3; SameSite=None; Secure",
            "plain=4",
        ],
    );
    let stored: Vec<Option<SameSite>> = jar.iter().map(|c| c.same_site()).collect();
    assert_eq!(
        stored,
        [
            Some(SameSite::Strict),
            Some(SameSite::Lax),
            Some(SameSite::None),
            None
        ]
    );

    let url = "https://example.com/";
    assert_eq!(
        sent(&jar, url).as_deref(),
        Some("strict=1; lax=2; none=3; plain=4")
    );
    assert_eq!(
        sent_with(&jar, cross_site(url, true, http::Method::GET)).as_deref(),
        Some("lax=2; none=3; plain=4"),
        "a cross-site top-level GET carries Lax but not Strict"
    );
    assert_eq!(
        sent_with(&jar, cross_site(url, true, http::Method::POST)).as_deref(),
        Some("none=3; plain=4"),
        "a cross-site POST carries neither"
    );
    assert_eq!(
        sent_with(&jar, cross_site(url, false, http::Method::GET)).as_deref(),
        Some("none=3; plain=4")
    );
}

#[test]
fn same_site_none_requires_secure_and_cross_site_subresources_cannot_set_same_site() {
    let (jar, _) = browser();
    set(&jar, "https://example.com/", &["a=1; SameSite=None"]);
    assert!(jar.is_empty());
    set_from(
        &jar,
        &cross_site("https://example.com/", false, http::Method::GET),
        &["b=1; SameSite=Lax", "c=1"],
    );
    let names: Vec<String> = jar.iter().map(|c| c.name().to_owned()).collect();
    assert_eq!(names, ["c"]);
}

#[test]
fn size_limits() {
    let (jar, _) = browser();
    let long_value = "v".repeat(4096);
    let long_path = format!("/{}", "p".repeat(1100));
    set(
        &jar,
        "http://example.com/a/b",
        &[
            &format!("big={long_value}"),
            &format!("a=1; Path={long_path}"),
        ],
    );
    let cookies: Vec<(String, String)> = jar
        .iter()
        .map(|c| (c.name().to_owned(), c.path().to_owned()))
        .collect();
    assert_eq!(
        cookies,
        [("a".to_owned(), "/a".to_owned())],
        "the oversized cookie is refused, the long Path ignored"
    );
}

#[test]
fn per_site_limit_evicts_expired_then_least_recently_used() {
    let limits = BrowserLimits {
        max_per_site: 3,
        ..BrowserLimits::default()
    };
    let (jar, clock) = browser_with(limits);
    set(
        &jar,
        "http://a.example.com/",
        &["old=1", "soon=2; Max-Age=10"],
    );
    clock.advance(5);
    set(&jar, "http://b.example.com/", &["mid=3"]);
    clock.advance(10); // `soon` has expired
    sent(&jar, "http://a.example.com/"); // touches `old`, and drops the expired `soon` on the way
    set(&jar, "http://a.example.com/", &["new=4", "newer=5"]);
    let mut names: Vec<String> = jar.iter().map(|c| c.name().to_owned()).collect();
    names.sort();
    // `mid` was the least recently used of the live ones.
    assert_eq!(names, ["new", "newer", "old"]);
    // Other sites are not affected by this site's limit.
    set(&jar, "http://other.org/", &["x=1"]);
    assert_eq!(jar.len(), 4);
}

#[test]
fn total_limit_evicts_least_recently_used() {
    let limits = BrowserLimits {
        max_total: 5,
        ..BrowserLimits::default()
    };
    let (jar, clock) = browser_with(limits);
    for i in 0..8 {
        clock.advance(1);
        set(&jar, &format!("http://host{i}.example/"), &["c=1"]);
    }
    assert_eq!(jar.len(), 5);
    let hosts: Vec<String> = jar.iter().map(|c| c.domain().to_owned()).collect();
    assert_eq!(
        hosts,
        [
            "host3.example",
            "host4.example",
            "host5.example",
            "host6.example",
            "host7.example"
        ]
    );
}

#[test]
fn header_orders_longer_paths_first_then_older_cookies() {
    let (jar, clock) = browser();
    set(&jar, "http://example.com/", &["b=1; Path=/"]);
    clock.advance(1);
    set(&jar, "http://example.com/", &["a=2; Path=/"]);
    clock.advance(1);
    set(
        &jar,
        "http://example.com/",
        &["deep=3; Path=/x/y", "mid=4; Path=/x"],
    );
    assert_eq!(
        sent(&jar, "http://example.com/x/y/z").as_deref(),
        Some("deep=3; mid=4; b=1; a=2")
    );
    // Updating a cookie keeps its creation time, so its place.
    clock.advance(1);
    set(&jar, "http://example.com/", &["b=updated; Path=/"]);
    assert_eq!(
        sent(&jar, "http://example.com/").as_deref(),
        Some("b=updated; a=2")
    );
}

#[test]
fn expired_cookie_deletes_and_expiry_is_enforced() {
    let (jar, clock) = browser();
    set(&jar, "http://example.com/", &["a=1; Max-Age=60", "b=2"]);
    set(
        &jar,
        "http://example.com/",
        &["b=gone; Expires=Thu, 01 Jan 1970 00:00:01 GMT"],
    );
    assert_eq!(sent(&jar, "http://example.com/").as_deref(), Some("a=1"));
    clock.advance(61);
    assert_eq!(sent(&jar, "http://example.com/"), None);
    assert!(
        jar.is_empty(),
        "expired cookies met during lookup are dropped"
    );
}

#[test]
fn set_cookie2_is_ignored() {
    let (jar, _) = browser();
    let response = http::Response::builder()
        .header("Set-Cookie2", "a=1; Version=1")
        .body(())
        .expect("response");
    jar.extract_cookies(&response, &get("http://example.com/"));
    assert!(jar.is_empty());
}

#[test]
fn eviction_prefers_expired_cookies_over_older_live_ones() {
    let limits = BrowserLimits {
        max_per_site: 2,
        ..BrowserLimits::default()
    };
    let (jar, clock) = browser_with(limits);
    set(&jar, "http://example.com/", &["old=1"]);
    clock.advance(1);
    set(&jar, "http://example.com/", &["soon=2; Max-Age=5"]);
    clock.advance(10);
    set(&jar, "http://example.com/", &["new=3"]);
    let mut names: Vec<String> = jar.iter().map(|c| c.name().to_owned()).collect();
    names.sort();
    assert_eq!(names, ["new", "old"]);
}
