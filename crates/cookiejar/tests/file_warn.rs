//! The WARN a text cookie file logs when it cannot hold an attribute. A test binary of its
//! own: `tracing` caches callsite interest process-wide, so a scoped subscriber must not race
//! other tests' threads.

mod support {
    pub mod logs;
}

use support::logs::logged;

use cookiejar::file::{LWPCookieJar, MozillaCookieJar};
use cookiejar::{Cookie, CookieJar, FixedClock};

/// Runs `f` with a WARN-level subscriber and returns what it logged.
fn warnings(f: impl FnOnce()) -> String {
    logged(tracing::Level::WARN, f)
}

fn persistent(name: &str, domain: &str) -> Cookie {
    let mut c = Cookie::new(name, "v", domain, "/");
    c.set_expires(Some(4_102_444_800));
    c.set_discard(false);
    c
}

#[test]
fn mozilla_warns_about_what_it_drops() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("cookies.txt");
    let mut commented = persistent("commented", ".example.com");
    commented.set_comment(Some("why"));
    let mut ported = persistent("ported", "h.example");
    ported.set_port(Some("80"));
    ported.set_port_specified(true);
    ported.set_version(Some(1));
    let plain = persistent("plain", "h.example");
    let tabbed = persistent("tab\tbed", "h.example");

    let jar =
        MozillaCookieJar::with_jar(CookieJar::new().with_clock(FixedClock::new(1_700_000_000)));
    jar.set_cookies([commented, ported, plain, tabbed]);
    let log = warnings(|| jar.save(Some(&path), false, false).expect("saved"));

    let lines: Vec<&str> = log.lines().collect();
    let line_for = |attribute: &str| {
        lines
            .iter()
            .find(|l| l.contains(&format!("attribute=\"{attribute}")))
            .unwrap_or_else(|| panic!("no WARN for {attribute:?} in:\n{log}"))
            .to_string()
    };
    for l in &lines {
        assert!(l.contains("WARN"), "{l}");
        assert!(l.contains("attribute dropped"), "{l}");
        assert!(l.contains("format=\"Mozilla cookies.txt\""), "{l}");
        assert!(!l.contains("plain@"), "the plain cookie loses nothing: {l}");
    }
    assert!(line_for("comment\"").contains("cookies=commented@.example.com/"));
    assert!(line_for("port").contains("cookies=ported@h.example/"));
    assert!(line_for("version").contains("cookies=ported@h.example/"));
    assert!(line_for("the whole cookie").contains("tab\tbed@h.example/"));
    assert_eq!(lines.len(), 4, "{log}");

    // Only the unwritable cookie is missing from the file.
    let text = std::fs::read_to_string(&path).expect("written");
    for name in ["\tcommented\t", "\tported\t", "\tplain\t"] {
        assert!(text.contains(name), "{name:?} in {text}");
    }
}

#[test]
fn lwp_holds_everything_and_stays_quiet() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("cookies.lwp");
    let mut c = persistent("rich", ".example.com");
    c.set_comment(Some("why"));
    c.set_port(Some("80"));
    c.set_version(Some(1));
    c.set_http_only(true);
    c.set_nonstandard_attr("Priority", Some("High"));
    let mut clash = persistent("clash", "h.example");
    clash.set_nonstandard_attr("Expires", Some("never"));

    let jar = LWPCookieJar::with_jar(CookieJar::new().with_clock(FixedClock::new(1_700_000_000)));
    jar.set_cookie(c);
    let log = warnings(|| jar.save(Some(&path), false, false).expect("saved"));
    assert_eq!(log, "");

    jar.set_cookie(clash);
    let log = warnings(|| jar.save(Some(&path), false, false).expect("saved"));
    assert!(log.contains("non-standard attributes named like"), "{log}");
    assert!(log.contains("cookies=clash@h.example/"), "{log}");
    assert!(!log.contains("rich@"), "{log}");
}
