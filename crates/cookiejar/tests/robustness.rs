//! No input makes the engine panic: arbitrary headers, URLs and cookies through both policies,
//! the header-word helpers and the date parsers.

mod support {
    pub mod exchange;
}

use support::exchange::{PlainRequest, PlainResponse};

use cookiejar::header::{join_header_words, parse_ns_headers, split_header_words};
use cookiejar::{
    BrowserCookiePolicy, CookieJar, CookiePolicy, DefaultCookiePolicy, DomainStrictness, FixedClock,
};
use proptest::prelude::*;

/// Header values built from cookie-ish pieces, so that the interesting paths are reached,
/// mixed with arbitrary text.
fn header_value() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("a=b".to_owned()),
        Just("=".to_owned()),
        Just(";".to_owned()),
        Just(",".to_owned()),
        Just("\"".to_owned()),
        Just("\\".to_owned()),
        Just(" Domain=".to_owned()),
        Just(" Path=".to_owned()),
        Just(" Expires=".to_owned()),
        Just(" Max-Age=".to_owned()),
        Just(" Version=1".to_owned()),
        Just(" Port=\"80,".to_owned()),
        Just(" Secure".to_owned()),
        Just(" SameSite=None".to_owned()),
        Just(".example.com".to_owned()),
        Just("-99999999999999999999".to_owned()),
        Just("Wed, 09 Feb 1994 22:23:32 GMT".to_owned()),
        Just("__Host-".to_owned()),
        "\\PC{0,8}",
        "[\\x00-\\x7f]{0,6}",
    ];
    prop::collection::vec(piece, 0..12).prop_map(|v| v.concat())
}

fn url() -> impl Strategy<Value = String> {
    let scheme = prop_oneof![
        Just("http".to_owned()),
        Just("https".to_owned()),
        Just("wss".to_owned()),
        "[a-z]{1,5}"
    ];
    let host = prop_oneof![
        Just("www.example.com".to_owned()),
        Just("example.com".to_owned()),
        Just("localhost".to_owned()),
        Just("127.0.0.1".to_owned()),
        Just("[::1]".to_owned()),
        Just("co.uk".to_owned()),
        Just("".to_owned()),
        "\\PC{0,12}",
    ];
    let port = prop_oneof![
        Just(String::new()),
        Just(":8080".to_owned()),
        Just(":".to_owned()),
        ":[0-9a-z]{1,6}"
    ];
    let path = prop_oneof![
        Just("/".to_owned()),
        Just("/a/b?c#d".to_owned()),
        "\\PC{0,16}"
    ];
    (scheme, host, port, path).prop_map(|(s, h, p, path)| format!("{s}://{h}{p}{path}"))
}

fn policies() -> Vec<Box<dyn Fn() -> CookieJar>> {
    vec![
        Box::new(|| CookieJar::new().with_clock(FixedClock::new(1_000_000_000))),
        Box::new(|| {
            let p = DefaultCookiePolicy::builder()
                .rfc2965(true)
                .strict_domain(true)
                .strict_ns_domain(DomainStrictness::STRICT | DomainStrictness::RFC2965_MATCH)
                .strict_ns_set_path(true)
                .blocked_domains([".example.com", "127.0.0.1"])
                .build();
            CookieJar::with_policy(p).with_clock(FixedClock::new(0))
        }),
        Box::new(|| {
            CookieJar::with_policy(BrowserCookiePolicy::default())
                .with_clock(FixedClock::new(i64::MAX - 10))
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn extraction_and_lookup_never_panic(
        set_url in url(),
        get_url in url(),
        cookies in prop::collection::vec(header_value(), 0..5),
        cookies2 in prop::collection::vec(header_value(), 0..3),
    ) {
        for make in policies() {
            let jar = make();
            let mut headers: Vec<(String, String)> = cookies.iter().map(|c| ("Set-Cookie".to_owned(), c.clone())).collect();
            headers.extend(cookies2.iter().map(|c| ("Set-Cookie2".to_owned(), c.clone())));
            let response = PlainResponse(headers);
            let set = PlainRequest::new(set_url.clone());
            let made = jar.make_cookies(&response, &set);
            for c in &made {
                let _ = jar.policy().set_ok(c, &match cookiejar::RequestInfo::from_request(&set, 0) {
                    Ok(i) => i,
                    Err(_) => continue,
                });
            }
            jar.extract_cookies(&response, &set);
            let mut get = PlainRequest::new(get_url.clone());
            jar.add_cookie_header(&mut get);
            let again = jar.cookies_for_request(&PlainRequest::new(set_url.clone()));
            prop_assert!(again.len() <= jar.len());
            jar.clear_expired_cookies();
            jar.clear_session_cookies();
            for c in jar.iter() {
                let _ = jar.clear_cookie(c.domain(), c.path(), c.name());
            }
            prop_assert_eq!(jar.len(), 0);
        }
    }

    #[test]
    fn header_word_helpers_never_panic(values in prop::collection::vec(header_value(), 0..4)) {
        let words = split_header_words(&values);
        let joined = join_header_words(&words);
        // Joining then splitting again is stable.
        prop_assert_eq!(split_header_words(&[joined.as_str()]), split_header_words(&[join_header_words(&split_header_words(&[joined.as_str()])).as_str()]));
        let _ = parse_ns_headers(&values);
    }
}
