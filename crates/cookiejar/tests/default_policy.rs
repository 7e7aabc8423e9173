//! Every `DefaultCookiePolicy` switch, each shown accepting (or returning) a cookie one way and
//! refusing (or withholding) it the other, plus the cookielib security bugs we fix.

use cookiejar::domain::domain_match;
use cookiejar::{
    CookieJar, CookieRequest, DefaultCookiePolicy, DomainStrictness, FixedClock, OriginRequestHost,
    Unverifiable,
};

const NOW: i64 = 1_700_000_000;

fn jar(policy: DefaultCookiePolicy) -> CookieJar {
    CookieJar::with_policy(policy).with_clock(FixedClock::new(NOW))
}

fn request(url: &str) -> http::Request<()> {
    http::Request::get(url).body(()).expect("valid request")
}

fn unverifiable(url: &str, origin: &str) -> http::Request<()> {
    let mut r = request(url);
    r.extensions_mut().insert(Unverifiable(true));
    r.extensions_mut()
        .insert(OriginRequestHost(origin.to_owned()));
    r
}

fn response(headers: &[(&str, &str)]) -> http::Response<()> {
    let mut b = http::Response::builder();
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    b.body(()).expect("valid response")
}

/// Sets `header: value` from `url` into `jar`; returns how many cookies the jar then holds.
fn set(jar: &CookieJar, req: &http::Request<()>, header: &str, value: &str) -> usize {
    jar.extract_cookies(&response(&[(header, value)]), req);
    jar.len()
}

fn sent(jar: &CookieJar, url: &str) -> Option<String> {
    let mut r = request(url);
    jar.add_cookie_header(&mut r);
    r.header("Cookie").map(|c| c.into_owned())
}

fn with(
    f: impl FnOnce(cookiejar::DefaultCookiePolicyBuilder) -> cookiejar::DefaultCookiePolicyBuilder,
) -> CookieJar {
    jar(f(DefaultCookiePolicy::builder()).build())
}

#[test]
fn defaults_are_cookielibs() {
    let p = DefaultCookiePolicy::default();
    assert!(cookiejar::CookiePolicy::netscape(&p));
    assert!(!cookiejar::CookiePolicy::rfc2965(&p));
    assert_eq!(cookiejar::CookiePolicy::rfc2109_as_netscape(&p), None);
    assert!(!cookiejar::CookiePolicy::hide_cookie2(&p));
    assert!(!p.strict_domain());
    assert!(p.strict_rfc2965_unverifiable());
    assert!(!p.strict_ns_unverifiable());
    assert_eq!(p.strict_ns_domain(), DomainStrictness::LIBERAL);
    assert!(!p.strict_ns_set_initial_dollar());
    assert!(!p.strict_ns_set_path());
    assert_eq!(p.secure_protocols(), ["https", "wss"]);
    assert!(p.blocked_domains().is_empty());
    assert_eq!(p.allowed_domains(), None);
    assert!(p.reject_public_suffixes());
}

#[test]
fn netscape_switch() {
    let r = request("http://www.acme.com/");
    assert_eq!(set(&with(|b| b), &r, "Set-Cookie", "a=1"), 1);
    assert_eq!(
        set(&with(|b| b.netscape(false)), &r, "Set-Cookie", "a=1"),
        0
    );
    // Cookies already stored are withheld too once Netscape is off.
    let j = with(|b| b);
    set(&j, &r, "Set-Cookie", "a=1");
    j.set_policy(DefaultCookiePolicy::builder().netscape(false).build());
    assert_eq!(sent(&j, "http://www.acme.com/"), None);
}

#[test]
fn rfc2965_switch() {
    let r = request("http://www.acme.com/");
    assert_eq!(set(&with(|b| b), &r, "Set-Cookie2", "a=1; Version=1"), 0);
    let j = with(|b| b.rfc2965(true));
    assert_eq!(set(&j, &r, "Set-Cookie2", "a=1; Version=1"), 1);
    assert_eq!(
        sent(&j, "http://www.acme.com/").as_deref(),
        Some("$Version=1; a=1")
    );
    // Set-Cookie2 without Version is refused.
    assert_eq!(set(&with(|b| b.rfc2965(true)), &r, "Set-Cookie2", "a=1"), 0);
}

#[test]
fn rfc2109_as_netscape_switch() {
    let r = request("http://www.acme.com/");
    let version_of = |j: &CookieJar| j.iter().next().map(|c| (c.version(), c.rfc2109()));
    // Unset: downgraded while RFC 2965 is off...
    let j = with(|b| b);
    set(&j, &r, "Set-Cookie", "a=1; Version=1");
    assert_eq!(version_of(&j), Some((Some(0), true)));
    // ...kept as RFC 2109 when RFC 2965 is on.
    let j = with(|b| b.rfc2965(true));
    set(&j, &r, "Set-Cookie", "a=1; Version=1");
    assert_eq!(version_of(&j), Some((Some(1), true)));
    // Forced on: downgraded even with RFC 2965 on.
    let j = with(|b| b.rfc2965(true).rfc2109_as_netscape(Some(true)));
    set(&j, &r, "Set-Cookie", "a=1; Version=1");
    assert_eq!(version_of(&j), Some((Some(0), true)));
    // Forced off with RFC 2965 off: a version 1 cookie that the policy then refuses.
    let j = with(|b| b.rfc2109_as_netscape(Some(false)));
    assert_eq!(set(&j, &r, "Set-Cookie", "a=1; Version=1"), 0);
}

#[test]
fn hide_cookie2_switch() {
    let r = request("http://www.acme.com/");
    let cookie2 = |j: &CookieJar| {
        let mut req = request("http://www.acme.com/");
        j.add_cookie_header(&mut req);
        req.header("Cookie2").map(|c| c.into_owned())
    };
    let j = with(|b| b.rfc2965(true));
    set(&j, &r, "Set-Cookie", "a=1");
    assert_eq!(cookie2(&j).as_deref(), Some("$Version=\"1\""));
    let j = with(|b| b.rfc2965(true).hide_cookie2(true));
    set(&j, &r, "Set-Cookie", "a=1");
    assert_eq!(cookie2(&j), None);
    // Without RFC 2965 there is never a Cookie2 header.
    let j = with(|b| b);
    set(&j, &r, "Set-Cookie", "a=1");
    assert_eq!(cookie2(&j), None);
}

#[test]
fn strict_domain_switch() {
    let r = request("http://www.acme.co.uk/");
    let cookielib =
        |strict: bool| with(move |b| b.reject_public_suffixes(false).strict_domain(strict));
    assert_eq!(
        set(&cookielib(false), &r, "Set-Cookie", "a=1; Domain=.co.uk"),
        1
    );
    assert_eq!(
        set(&cookielib(true), &r, "Set-Cookie", "a=1; Domain=.co.uk"),
        0
    );
}

#[test]
fn strict_rfc2965_unverifiable_switch() {
    let third_party = unverifiable("http://www.tracker.com/pixel", "www.acme.com");
    assert_eq!(
        set(
            &with(|b| b.rfc2965(true)),
            &third_party,
            "Set-Cookie2",
            "a=1; Version=1"
        ),
        0
    );
    let relaxed = with(|b| b.rfc2965(true).strict_rfc2965_unverifiable(false));
    assert_eq!(
        set(&relaxed, &third_party, "Set-Cookie2", "a=1; Version=1"),
        1
    );
    // First-party unverifiable requests (within the origin's reach) are fine either way.
    let first_party = unverifiable("http://img.acme.com/logo", "www.acme.com");
    assert_eq!(
        set(
            &with(|b| b.rfc2965(true)),
            &first_party,
            "Set-Cookie2",
            "a=1; Version=1"
        ),
        1
    );
}

#[test]
fn strict_ns_unverifiable_switch() {
    let third_party = unverifiable("http://www.tracker.com/pixel", "www.acme.com");
    assert_eq!(set(&with(|b| b), &third_party, "Set-Cookie", "a=1"), 1);
    assert_eq!(
        set(
            &with(|b| b.strict_ns_unverifiable(true)),
            &third_party,
            "Set-Cookie",
            "a=1"
        ),
        0
    );
    // It also withholds stored cookies from third-party unverifiable requests.
    let j = with(|b| b.strict_ns_unverifiable(true));
    set(&j, &request("http://www.tracker.com/"), "Set-Cookie", "a=1");
    let mut pixel = unverifiable("http://www.tracker.com/pixel", "www.acme.com");
    j.add_cookie_header(&mut pixel);
    assert_eq!(pixel.header("Cookie"), None);
}

#[test]
fn domain_strict_no_dots() {
    let r = request("http://www.foo.acme.com/");
    assert_eq!(
        set(&with(|b| b), &r, "Set-Cookie", "a=1; Domain=.acme.com"),
        1
    );
    let strict = with(|b| b.strict_ns_domain(DomainStrictness::STRICT_NO_DOTS));
    assert_eq!(set(&strict, &r, "Set-Cookie", "a=1; Domain=.acme.com"), 0);
    assert_eq!(
        set(&strict, &r, "Set-Cookie", "a=1; Domain=.foo.acme.com"),
        1
    );
}

#[test]
fn domain_strict_non_domain() {
    let r = request("http://acme.com/");
    let liberal = with(|b| b);
    set(&liberal, &r, "Set-Cookie", "a=1");
    assert_eq!(
        sent(&liberal, "http://www.acme.com/").as_deref(),
        Some("a=1")
    );
    let strict = with(|b| b.strict_ns_domain(DomainStrictness::STRICT_NON_DOMAIN));
    set(&strict, &r, "Set-Cookie", "a=1");
    assert_eq!(sent(&strict, "http://www.acme.com/"), None);
    assert_eq!(sent(&strict, "http://acme.com/").as_deref(), Some("a=1"));
}

#[test]
fn domain_rfc2965_match() {
    // acme.com does not RFC 2965 domain-match .acme.com (the host must be longer).
    let r = request("http://acme.com/");
    assert_eq!(
        set(&with(|b| b), &r, "Set-Cookie", "a=1; Domain=acme.com"),
        1
    );
    let strict = with(|b| b.strict_ns_domain(DomainStrictness::RFC2965_MATCH));
    assert_eq!(set(&strict, &r, "Set-Cookie", "a=1; Domain=acme.com"), 0);
}

#[test]
fn domain_strict_combines_no_dots_and_non_domain() {
    let strict = with(|b| b.strict_ns_domain(DomainStrictness::STRICT));
    assert_eq!(
        set(
            &strict,
            &request("http://www.foo.acme.com/"),
            "Set-Cookie",
            "a=1; Domain=.acme.com"
        ),
        0
    );
    set(&strict, &request("http://acme.com/"), "Set-Cookie", "b=2");
    assert_eq!(sent(&strict, "http://www.acme.com/"), None);
}

#[test]
fn strict_ns_set_initial_dollar_switch() {
    let r = request("http://www.acme.com/");
    assert_eq!(set(&with(|b| b), &r, "Set-Cookie", "$a=1"), 1);
    assert_eq!(
        set(
            &with(|b| b.strict_ns_set_initial_dollar(true)),
            &r,
            "Set-Cookie",
            "$a=1"
        ),
        0
    );
}

#[test]
fn strict_ns_set_path_switch() {
    let r = request("http://www.acme.com/a/page");
    assert_eq!(set(&with(|b| b), &r, "Set-Cookie", "a=1; Path=/b"), 1);
    assert_eq!(
        set(
            &with(|b| b.strict_ns_set_path(true)),
            &r,
            "Set-Cookie",
            "a=1; Path=/b"
        ),
        0
    );
    assert_eq!(
        set(
            &with(|b| b.strict_ns_set_path(true)),
            &r,
            "Set-Cookie",
            "a=1; Path=/a"
        ),
        1
    );
}

#[test]
fn secure_protocols_switch() {
    let j = with(|b| b);
    set(
        &j,
        &request("https://www.acme.com/"),
        "Set-Cookie",
        "s=1; Secure",
    );
    assert_eq!(sent(&j, "http://www.acme.com/"), None);
    assert_eq!(sent(&j, "https://www.acme.com/").as_deref(), Some("s=1"));
    assert_eq!(sent(&j, "wss://www.acme.com/").as_deref(), Some("s=1"));
    let only_https = with(|b| b.secure_protocols(["https"]));
    set(
        &only_https,
        &request("https://www.acme.com/"),
        "Set-Cookie",
        "s=1; Secure",
    );
    assert_eq!(sent(&only_https, "wss://www.acme.com/"), None);
}

#[test]
fn blocked_domains_with_leading_dot_semantics() {
    let p = DefaultCookiePolicy::builder()
        .blocked_domains([".acme.com", "example.org", "10.0.0.1"])
        .build();
    assert!(p.is_blocked("www.acme.com"));
    assert!(
        !p.is_blocked("acme.com"),
        "a leading dot blocks subdomains only"
    );
    assert!(p.is_blocked("example.org"));
    assert!(
        !p.is_blocked("www.example.org"),
        "without a dot, only that host"
    );
    assert!(p.is_blocked("10.0.0.1"));
    assert!(!p.is_blocked("110.0.0.1"), "IP addresses match exactly");

    let r = request("http://www.acme.com/");
    assert_eq!(set(&with(|b| b), &r, "Set-Cookie", "a=1"), 1);
    let blocked = jar(p.clone());
    assert_eq!(set(&blocked, &r, "Set-Cookie", "a=1"), 0);
    // Stored before the block: withheld after it.
    let j = with(|b| b);
    set(&j, &r, "Set-Cookie", "a=1");
    j.set_policy(p);
    assert_eq!(sent(&j, "http://www.acme.com/"), None);
}

#[test]
fn allowed_domains_none_versus_list() {
    let r = request("http://www.acme.com/");
    let p = DefaultCookiePolicy::default();
    assert!(!p.is_not_allowed("anything.example"));
    let allow = DefaultCookiePolicy::builder()
        .allowed_domains([".example.com"])
        .build();
    assert!(allow.is_not_allowed("www.acme.com"));
    assert!(!allow.is_not_allowed("www.example.com"));
    assert_eq!(set(&jar(allow.clone()), &r, "Set-Cookie", "a=1"), 0);
    assert_eq!(
        set(
            &jar(allow),
            &request("http://www.example.com/"),
            "Set-Cookie",
            "a=1"
        ),
        1
    );
    let mut p = DefaultCookiePolicy::default();
    p.set_allowed_domains(Some(["www.acme.com"]));
    assert_eq!(set(&jar(p.clone()), &r, "Set-Cookie", "a=1"), 1);
    p.set_allowed_domains(None::<Vec<String>>);
    assert_eq!(p.allowed_domains(), None);
    p.set_blocked_domains(["www.acme.com"]);
    assert_eq!(set(&jar(p), &r, "Set-Cookie", "a=1"), 0);
}

#[test]
fn cve_2018_20852_domain_suffix_is_label_bounded() {
    // A host-only cookie for example.com must not go to evilexample.com.
    let j = with(|b| b);
    set(&j, &request("http://example.com/"), "Set-Cookie", "a=1");
    assert_eq!(sent(&j, "http://evilexample.com/"), None);
    assert_eq!(sent(&j, "http://example.com/").as_deref(), Some("a=1"));
}

#[test]
fn cpython_150522_domain_match_only_at_the_end() {
    assert!(!domain_match("www.acme.com.evil.org", ".acme.com"));
    // An RFC 2965 cookie for .acme.com is not sent to www.acme.com.evil.org...
    let j = with(|b| b.rfc2965(true));
    set(
        &j,
        &request("http://www.acme.com/"),
        "Set-Cookie2",
        "a=1; Version=1; Domain=.acme.com",
    );
    assert_eq!(j.len(), 1);
    assert_eq!(sent(&j, "http://www.acme.com.evil.org/"), None);
    // ...and www.acme.com.evil.org cannot set one for .acme.com, even with Netscape cookies
    // checked by RFC 2965 rules.
    let j = with(|b| b.strict_ns_domain(DomainStrictness::RFC2965_MATCH));
    assert_eq!(
        set(
            &j,
            &request("http://www.acme.com.evil.org/"),
            "Set-Cookie",
            "a=1; Domain=.acme.com"
        ),
        0
    );
}

#[test]
fn rfc2965_port_and_path_rules() {
    let j = with(|b| b.rfc2965(true));
    let r = request("http://www.acme.com:8080/acme/login");
    set(
        &j,
        &r,
        "Set-Cookie2",
        "a=1; Version=1; Port=\"80,8080\"; Path=\"/acme\"",
    );
    assert_eq!(j.len(), 1);
    assert_eq!(
        sent(&j, "http://www.acme.com:8080/acme/x").as_deref(),
        Some("$Version=1; a=1; $Path=\"/acme\"; $Port=\"80,8080\"")
    );
    assert_eq!(
        sent(&j, "http://www.acme.com:9090/acme/x"),
        None,
        "port not in the list"
    );
    // A port list without the request's port, and a path that is not a prefix, are refused.
    assert_eq!(
        set(
            &with(|b| b.rfc2965(true)),
            &r,
            "Set-Cookie2",
            "a=1; Version=1; Port=\"81\""
        ),
        0
    );
    assert_eq!(
        set(
            &with(|b| b.rfc2965(true)),
            &r,
            "Set-Cookie2",
            "a=1; Version=1; Path=\"/other\""
        ),
        0
    );
}
