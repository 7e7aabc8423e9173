//! The DEBUG events that explain each decision. A test binary of its own: `tracing` caches
//! callsite interest process-wide, so a scoped subscriber must not race other tests' threads.

mod support {
    pub mod logs;
}

use support::logs::logged;

use cookiejar::{CookieJar, CookieRequest, DefaultCookiePolicy, FixedClock};

fn set(jar: &CookieJar, url: &str, cookies: &[&str]) {
    let mut b = http::Response::builder();
    for c in cookies {
        b = b.header("Set-Cookie", *c);
    }
    let request = http::Request::get(url).body(()).expect("valid request");
    jar.extract_cookies(&b.body(()).expect("valid response"), &request);
}

fn sent(jar: &CookieJar, url: &str) -> Option<String> {
    let mut r = http::Request::get(url).body(()).expect("valid request");
    jar.add_cookie_header(&mut r);
    r.header("Cookie").map(|c| c.into_owned())
}

#[test]
fn every_decision_is_explained_at_debug() {
    let log = logged(tracing::Level::DEBUG, || {
        let jar = CookieJar::new().with_clock(FixedClock::new(1_700_000_000));
        jar.set_policy(
            DefaultCookiePolicy::builder()
                .blocked_domains([".ads.net"])
                .build(),
        );
        set(&jar, "http://www.acme.com/", &["ok=1", "=bad"]);
        set(&jar, "http://www.ads.net/", &["track=1"]);
        set(&jar, "http://www.acme.com/", &["sec=1; Secure"]);
        sent(&jar, "http://www.acme.com/");
    });
    for expected in [
        "cookie accepted name=\"ok\"",
        "Set-Cookie skipped: no cookie name",
        "cookie refused: domain is in the block list name=\"track\"",
        "cookie returned name=\"ok\"",
        "cookie withheld: secure cookie with a non-secure request name=\"sec\"",
    ] {
        assert!(log.contains(expected), "missing {expected:?} in:\n{log}");
    }
}
