//! The public suffix list's own vectors, and the public-suffix rule as both policies apply it.

mod support {
    pub mod psl_vectors;
}

use cookiejar::{BrowserCookiePolicy, CookieJar, DefaultCookiePolicy};

#[test]
fn all_public_suffix_vectors_pass() {
    let (passed, failed) = support::psl_vectors::run();
    println!("psl publicsuffix: {passed} passed, {} failed", failed.len());
    assert!(failed.is_empty(), "{}", failed.join("\n"));
    assert_eq!(passed, 78);
}

fn stored(jar: &CookieJar, url: &str, set_cookie: &str) -> usize {
    let request = http::Request::get(url).body(()).expect("request");
    let response = http::Response::builder()
        .header("Set-Cookie", set_cookie)
        .body(())
        .expect("response");
    jar.clear();
    jar.extract_cookies(&response, &request);
    jar.len()
}

#[test]
fn default_policy_refuses_public_suffix_domains_unless_switched_off() {
    let strict = CookieJar::new();
    let cookielib = CookieJar::with_policy(
        DefaultCookiePolicy::builder()
            .reject_public_suffixes(false)
            .build(),
    );
    for (url, cookie) in [
        ("http://www.example.co.uk/", "a=1; Domain=.co.uk"),
        ("http://foo.blogspot.com/", "a=1; Domain=.blogspot.com"),
        ("http://www.example.com/", "a=1; Domain=com"),
    ] {
        assert_eq!(stored(&strict, url, cookie), 0, "{cookie} from {url}");
        // cookielib's embedded-dot rule still refuses `com`; the other two get through.
        let expected = usize::from(!cookie.ends_with("=com"));
        assert_eq!(
            stored(&cookielib, url, cookie),
            expected,
            "{cookie} from {url} with the switch off"
        );
    }
    // A registrable domain is fine, and so is a public suffix that is the host itself.
    assert_eq!(
        stored(
            &strict,
            "http://www.example.co.uk/",
            "a=1; Domain=.example.co.uk"
        ),
        1
    );
    assert_eq!(
        stored(&strict, "http://blogspot.com/", "a=1; Domain=blogspot.com"),
        1
    );
}

#[test]
fn browser_policy_makes_a_public_suffix_host_cookie_host_only() {
    let jar = CookieJar::with_policy(BrowserCookiePolicy::default());
    assert_eq!(
        stored(&jar, "http://foo.blogspot.com/", "a=1; Domain=blogspot.com"),
        0
    );
    assert_eq!(
        stored(&jar, "http://blogspot.com/", "a=1; Domain=blogspot.com"),
        1
    );
    let only = jar.iter().next().expect("one cookie");
    assert!(only.is_host_only());
    assert_eq!(only.domain(), "blogspot.com");
}
