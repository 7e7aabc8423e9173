//! The text cookie files: Netscape/Mozilla `cookies.txt` (`Mozilla`, `MozillaCookieJar`) and
//! libwww-perl's `Set-Cookie3` (`Lwp`, `LWPCookieJar`), and the `FileCookieJar` contract
//! (atomic saves, load and revert). Fixtures written by curl, wget and CPython are in
//! `tests/data/files/text/` (see the README there); the interop tests run python3 and curl
//! when they are installed and say so when they skip.

use std::collections::BTreeMap;
use std::io::{self, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::thread;
use std::time::Duration;

use cookiejar::file::{CookieFormat, FileCookieJar, LWPCookieJar, Lwp, Mozilla, MozillaCookieJar};
use cookiejar::{Cookie, CookieJar, Error, FixedClock, SameSite};
use proptest::prelude::*;

/// "Now" for every jar here: 2023-11-14 22:13:20 UTC.
const NOW: i64 = 1_700_000_000;
/// 2100-01-01 00:00:00 UTC.
const FUTURE: i64 = 4_102_444_800;
/// 2001-09-09 01:46:40 UTC.
const PAST: i64 = 1_000_000_000;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/files/text")
        .join(name)
}

fn clock_jar() -> CookieJar {
    CookieJar::new().with_clock(FixedClock::new(NOW))
}

fn mozilla_jar() -> MozillaCookieJar {
    MozillaCookieJar::with_jar(clock_jar())
}

fn lwp_jar() -> LWPCookieJar {
    LWPCookieJar::with_jar(clock_jar())
}

fn get(jar: &CookieJar, name: &str) -> Cookie {
    jar.iter()
        .find(|c| c.name() == name)
        .unwrap_or_else(|| panic!("no cookie {name:?} in {:?}", jar.iter().collect::<Vec<_>>()))
}

fn names(jar: &CookieJar) -> Vec<String> {
    let mut names: Vec<String> = jar.iter().map(|c| c.name().to_owned()).collect();
    names.sort();
    names
}

/// Everything a cookie holds except the times the jar fills in, with the non-standard
/// attributes sorted (`Set-Cookie3` writes them sorted, as cookielib does), for comparisons.
fn view(c: &Cookie) -> String {
    let mut v = Cookie::new(c.name(), "", c.domain(), c.path());
    v.set_value(c.value());
    v.set_version(c.version());
    v.set_port(c.port());
    v.set_port_specified(c.port_specified());
    v.set_domain_specified(c.domain_specified());
    v.set_domain_initial_dot(c.domain_initial_dot());
    v.set_path_specified(c.path_specified());
    v.set_secure(c.secure());
    v.set_expires(c.expires());
    v.set_discard(c.discard());
    v.set_comment(c.comment());
    v.set_comment_url(c.comment_url());
    v.set_rfc2109(c.rfc2109());
    v.set_http_only(c.http_only());
    v.set_same_site(c.same_site());
    let mut rest: Vec<(&str, Option<&str>)> = c.nonstandard_attrs().collect();
    rest.sort();
    for (k, value) in rest {
        v.set_nonstandard_attr(k, value);
    }
    format!("{v:?}")
}

/// The views of several cookies, sorted.
fn views<'a>(cookies: impl IntoIterator<Item = &'a Cookie>) -> Vec<String> {
    let mut v: Vec<String> = cookies.into_iter().map(view).collect();
    v.sort();
    v
}

/// What `cookies.txt` keeps of a cookie.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct MozillaView {
    domain: String,
    path: String,
    name: String,
    value: Option<String>,
    secure: bool,
    http_only: bool,
    expires: Option<i64>,
}

fn mozilla_view(c: &Cookie) -> MozillaView {
    MozillaView {
        domain: c.domain().to_owned(),
        path: c.path().to_owned(),
        name: c.name().to_owned(),
        value: c.value().map(str::to_owned),
        secure: c.secure(),
        http_only: c.http_only(),
        expires: c.expires(),
    }
}

fn mozilla_views<'a>(cookies: impl IntoIterator<Item = &'a Cookie>) -> Vec<MozillaView> {
    let mut v: Vec<MozillaView> = cookies.into_iter().map(mozilla_view).collect();
    v.sort();
    v
}

/// A persistent cookie.
fn persistent(name: &str, value: &str, domain: &str, path: &str, expires: i64) -> Cookie {
    let mut c = Cookie::new(name, value, domain, path);
    c.set_expires(Some(expires));
    c.set_discard(false);
    c
}

fn tool_available(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

// ---------------------------------------------------------------------------------------------
// Fixtures written by real tools
// ---------------------------------------------------------------------------------------------

/// What one cookie loaded from a `cookies.txt` fixture must look like.
#[derive(Debug)]
struct Expected {
    name: &'static str,
    value: Option<&'static str>,
    domain: &'static str,
    path: &'static str,
    secure: bool,
    http_only: bool,
    expires: Option<i64>,
}

fn check_mozilla(jar: &CookieJar, expected: &[Expected]) {
    assert_eq!(
        jar.len(),
        expected.len(),
        "{:?}",
        jar.iter().collect::<Vec<_>>()
    );
    for e in expected {
        let c = get(jar, e.name);
        assert_eq!(c.value(), e.value, "{e:?}");
        assert_eq!(c.domain(), e.domain, "{e:?}");
        assert_eq!(c.path(), e.path, "{e:?}");
        assert_eq!(c.secure(), e.secure, "{e:?}");
        assert_eq!(c.http_only(), e.http_only, "{e:?}");
        assert_eq!(c.expires(), e.expires, "{e:?}");
        // What cookies.txt implies for the rest.
        assert_eq!(c.discard(), e.expires.is_none(), "{e:?}");
        assert_eq!(c.domain_specified(), e.domain.starts_with('.'), "{e:?}");
        assert_eq!(c.domain_initial_dot(), e.domain.starts_with('.'), "{e:?}");
        assert_eq!(c.version(), Some(0), "{e:?}");
        assert!(!c.path_specified() && c.port().is_none() && c.comment().is_none());
        assert_eq!(c.nonstandard_attrs().count(), 0, "{e:?}");
        assert_eq!(c.creation_time(), NOW, "the jar fills in the times: {e:?}");
    }
}

const CURL: [Expected; 7] = [
    Expected {
        name: "plain",
        value: Some("1"),
        domain: "127.0.0.1",
        path: "/secure",
        secure: false,
        http_only: false,
        expires: None,
    },
    Expected {
        name: "token",
        value: Some("s3cr3t"),
        domain: "127.0.0.1",
        path: "/",
        secure: true,
        http_only: true,
        expires: Some(2_110_721_984),
    },
    Expected {
        name: "empty",
        value: Some(""),
        domain: "www.cookies.test",
        path: "/",
        secure: false,
        http_only: false,
        expires: None,
    },
    Expected {
        name: "tracker",
        value: Some("\"q=1&r=2\""),
        domain: ".cookies.test",
        path: "/",
        secure: false,
        http_only: true,
        expires: Some(2_110_721_984),
    },
    Expected {
        name: "lang",
        value: Some("en-US"),
        domain: "www.cookies.test",
        path: "/app",
        secure: false,
        http_only: false,
        expires: Some(4_039_372_800),
    },
    Expected {
        name: "theme",
        value: Some("dark"),
        domain: ".cookies.test",
        path: "/",
        secure: false,
        http_only: false,
        expires: Some(2_110_721_984),
    },
    Expected {
        name: "sid",
        value: Some("abc123"),
        domain: "www.cookies.test",
        path: "/",
        secure: false,
        http_only: true,
        expires: None,
    },
];

#[test]
fn curl_cookies_txt_loads_exactly() {
    let jar = mozilla_jar();
    jar.load(Some(&fixture("curl-cookies.txt")), true, false)
        .unwrap();
    check_mozilla(&jar, &CURL);

    // Without ignore_discard, the session cookies (expiry 0) stay out.
    let jar = mozilla_jar();
    jar.load(Some(&fixture("curl-cookies.txt")), false, false)
        .unwrap();
    assert_eq!(names(&jar), ["lang", "theme", "token", "tracker"]);
}

#[test]
fn wget_cookies_txt_loads_exactly() {
    // wget writes the other magic, "# HTTP Cookie File", and host:port domains.
    let jar = mozilla_jar();
    jar.load(Some(&fixture("wget-cookies.txt")), true, false)
        .unwrap();
    let host = "127.0.0.1:38677";
    check_mozilla(
        &jar,
        &[
            Expected {
                name: "empty",
                value: Some(""),
                domain: host,
                path: "/",
                secure: false,
                http_only: false,
                expires: None,
            },
            Expected {
                name: "lang",
                value: Some("en-US"),
                domain: host,
                path: "/app",
                secure: false,
                http_only: false,
                expires: Some(4_039_372_800),
            },
            Expected {
                name: "sid",
                value: Some("abc123"),
                domain: host,
                path: "/",
                secure: false,
                http_only: false,
                expires: None,
            },
        ],
    );
}

#[test]
fn python_mozilla_cookie_jar_file_loads_exactly() {
    let jar = mozilla_jar();
    jar.load(Some(&fixture("python-mozilla.txt")), true, true)
        .unwrap();
    let host = "www.example.com";
    check_mozilla(
        &jar,
        &[
            Expected {
                name: "sid",
                value: Some("abc123"),
                domain: ".example.com",
                path: "/",
                secure: false,
                http_only: false,
                expires: Some(FUTURE),
            },
            Expected {
                name: "v1",
                value: Some("\"quoted value\""),
                domain: ".example.com",
                path: "/docs",
                secure: true,
                http_only: false,
                expires: Some(FUTURE),
            },
            Expected {
                name: "sess",
                value: Some("xyz"),
                domain: host,
                path: "/app",
                secure: false,
                http_only: false,
                expires: None,
            },
            Expected {
                name: "flag",
                value: None,
                domain: host,
                path: "/",
                secure: false,
                http_only: false,
                expires: Some(FUTURE),
            },
            Expected {
                name: "hidden",
                value: Some("1"),
                domain: host,
                path: "/",
                secure: true,
                http_only: true,
                expires: Some(FUTURE),
            },
            Expected {
                name: "old",
                value: Some("gone"),
                domain: host,
                path: "/",
                secure: false,
                http_only: false,
                expires: Some(PAST),
            },
            Expected {
                name: "complex",
                value: Some("a b;c,d\"e\\f"),
                domain: host,
                path: "/",
                secure: false,
                http_only: false,
                expires: Some(FUTURE),
            },
        ],
    );

    let jar = mozilla_jar();
    jar.load(Some(&fixture("python-mozilla.txt")), false, false)
        .unwrap();
    assert_eq!(names(&jar), ["complex", "flag", "hidden", "sid", "v1"]);
}

/// The cookies `make_python_fixtures.py` puts in its jar, as `LWPCookieJar` saves them.
fn python_lwp_cookies() -> Vec<Cookie> {
    let host = "www.example.com";
    let sid = persistent("sid", "abc123", ".example.com", "/", FUTURE);

    let mut v1 = persistent("v1", "\"quoted value\"", ".example.com", "/docs", FUTURE);
    v1.set_version(Some(1));
    v1.set_port(Some("80,8080"));
    v1.set_port_specified(true);
    v1.set_secure(true);
    v1.set_discard(true);
    v1.set_comment(Some("a comment"));
    v1.set_comment_url(Some("http://example.com/why"));

    let mut sess = Cookie::new("sess", "xyz", host, "/app");
    sess.set_domain_specified(false);
    sess.set_path_specified(false);

    let mut flag = persistent("flag", "", host, "/", FUTURE);
    flag.set_value(None);
    flag.set_domain_specified(false);

    let mut hidden = persistent("hidden", "1", host, "/", FUTURE);
    hidden.set_domain_specified(false);
    hidden.set_secure(true);
    hidden.set_http_only(true);
    // CPython writes a flag without value as the string "None".
    hidden.set_nonstandard_attr("Partitioned", Some("None"));
    hidden.set_nonstandard_attr("Priority", Some("High"));

    let mut old = persistent("old", "gone", host, "/", PAST);
    old.set_domain_specified(false);

    let mut complex = persistent("complex", "a b;c,d\"e\\f", host, "/", FUTURE);
    complex.set_domain_specified(false);

    let mut all = vec![sid, v1, sess, flag, hidden, old, complex];
    for c in &mut all {
        c.set_version(Some(c.version_number()));
    }
    all
}

#[test]
fn python_lwp_cookie_jar_file_loads_exactly() {
    let jar = lwp_jar();
    jar.load(Some(&fixture("python-lwp.txt")), true, true)
        .unwrap();
    assert_eq!(
        views(&jar.iter().collect::<Vec<_>>()),
        views(&python_lwp_cookies())
    );
    assert!(jar.iter().all(|c| c.creation_time() == NOW));

    let jar = lwp_jar();
    jar.load(Some(&fixture("python-lwp.txt")), false, false)
        .unwrap();
    assert_eq!(names(&jar), ["complex", "flag", "hidden", "sid"]);
}

// ---------------------------------------------------------------------------------------------
// Reading details
// ---------------------------------------------------------------------------------------------

fn read_mozilla(text: &str) -> cookiejar::Result<Vec<Cookie>> {
    Mozilla.read(text.as_bytes(), Path::new("cookies.txt"))
}

fn read_lwp(text: &str) -> cookiejar::Result<Vec<Cookie>> {
    Lwp.read(text.as_bytes(), Path::new("cookies.lwp"))
}

fn load_error(result: cookiejar::Result<Vec<Cookie>>) -> (usize, String) {
    match result {
        Err(Error::Load { line, reason, .. }) => (line, reason),
        other => panic!("expected a load error, got {other:?}"),
    }
}

#[test]
fn mozilla_domain_flag_rules() {
    let cookies = read_mozilla(
        "# HTTP Cookie File\n\
         old-curl.example\tTRUE\t/\tFALSE\t0\ta\t1\n\
         .dotted.example\tFALSE\t/\tFALSE\t0\tb\t2\n\
         host.example\tfalse\t/\ttrue\t0\tc\t3\n\
         .both.example\tTRUE\t/\tFALSE\t0\td\t4\n",
    )
    .unwrap();
    let flags: Vec<(&str, bool, bool, bool)> = cookies
        .iter()
        .map(|c| {
            (
                c.domain(),
                c.domain_specified(),
                c.domain_initial_dot(),
                c.secure(),
            )
        })
        .collect();
    assert_eq!(
        flags,
        [
            // curl before 7.x: TRUE without the dot is a domain cookie.
            (".old-curl.example", true, true, false),
            // cookielib refuses this (assertion); we keep the text and the flag.
            (".dotted.example", false, true, false),
            // TRUE/FALSE in any case.
            ("host.example", false, false, true),
            (".both.example", true, true, false),
        ]
    );
}

#[test]
fn mozilla_fields_comments_and_values() {
    let cookies = read_mozilla(
        "# Netscape HTTP Cookie File\r\n\
         # a comment\r\n\
         \r\n\
         $ also a comment for cookielib\n\
         \t   \n\
         h.example\tFALSE\t/\tFALSE\t\tempty-expiry\tv\n\
         h.example\tFALSE\t/\tFALSE\t1700000100.75\tfraction\tv\n\
         h.example\tFALSE\t/\tFALSE\t4102444800\ttabs\ta\tb\tc\n\
         h.example\tFALSE\t/\tFALSE\t4102444800\t\tbare\n\
         #HttpOnly_h.example\tFALSE\t/\tFALSE\t4102444800\thttponly\t\n\
         h.example\tFALSE\t/\tFALSE\t4102444800\tlast\tno-newline",
    )
    .unwrap();
    let got: Vec<(&str, Option<&str>, Option<i64>, bool)> = cookies
        .iter()
        .map(|c| (c.name(), c.value(), c.expires(), c.http_only()))
        .collect();
    assert_eq!(
        got,
        [
            ("empty-expiry", Some("v"), None, false),
            ("fraction", Some("v"), Some(1_700_000_100), false),
            ("tabs", Some("a\tb\tc"), Some(FUTURE), false),
            ("bare", None, Some(FUTURE), false),
            ("httponly", Some(""), Some(FUTURE), true),
            ("last", Some("no-newline"), Some(FUTURE), false),
        ]
    );
}

#[test]
fn mozilla_malformed_lines_name_the_line() {
    let magic = "# Netscape HTTP Cookie File\n# comment\n";
    let bodies: [(&[u8], &str); 5] = [
        (b"h\tFALSE\t/\tFALSE\t0\tname\n", "found 6"),
        (b"h\tMAYBE\t/\tFALSE\t0\tn\tv\n", "include-subdomains"),
        (b"h\tFALSE\t/\tyes\t0\tn\tv\n", "secure"),
        (b"h\tFALSE\t/\tFALSE\tsoon\tn\tv\n", "expires"),
        (b"h\tFALSE\t/\tFALSE\t0\tn\t\xff\n", "UTF-8"),
    ];
    for (body, reason) in bodies {
        let mut bytes = magic.as_bytes().to_vec();
        bytes.extend_from_slice(b"ok\tFALSE\t/\tFALSE\t0\tn\tv\n");
        bytes.extend_from_slice(body);
        let (line, why) = load_error(Mozilla.read(&bytes, Path::new("c.txt")));
        assert_eq!(line, 4, "{body:?}: {why}");
        assert!(why.contains(reason), "{body:?}: {why}");
    }
    for bad in [
        "",
        "\n",
        "h\tFALSE\t/\tFALSE\t0\tn\tv\n",
        "#LWP-Cookies-2.0\n",
    ] {
        let (line, _) = load_error(read_mozilla(bad));
        assert_eq!(line, 1, "{bad:?}");
    }
}

#[test]
fn lwp_reads_what_perl_and_python_write() {
    // libwww-perl's own spelling: unquoted domain, bare flags, other lines ignored.
    let cookies = read_lwp(
        "#LWP-Cookies-1.0\n\
         # ignored\n\
         Set-Cookie3: a=1; path=\"/\"; domain=.example.com; path_spec; discard; version=0\n\
         Set-Cookie3: b=2; Path=/x; DOMAIN=h.example.com; SECURE; Expires=\"2100-01-01 00:00:00Z\"; \
         HttpOnly=None; samesite=lax; Priority=High; version=\"1\"\n\
         Set-Cookie3: c=3; path=/; domain=h.example.com; SameSite=sometimes, d=4; path=/; domain=h.example.com; version=None\n\
         Set-Cookie3:\n",
    )
    .unwrap();
    assert_eq!(cookies.len(), 4);
    let a = &cookies[0];
    assert!(a.domain_specified() && a.path_specified() && a.discard() && !a.domain_initial_dot());
    assert_eq!(
        (a.domain(), a.expires(), a.version()),
        (".example.com", None, Some(0))
    );
    let b = &cookies[1];
    assert!(b.secure() && b.http_only() && !b.discard() && !b.domain_specified());
    assert_eq!(
        (b.path(), b.expires(), b.version()),
        ("/x", Some(FUTURE), Some(1))
    );
    assert_eq!(b.same_site(), Some(SameSite::Lax));
    assert_eq!(
        b.nonstandard_attrs().collect::<Vec<_>>(),
        [("Priority", Some("High"))]
    );
    // An unknown SameSite value stays a non-standard attribute.
    let c = &cookies[2];
    assert_eq!(c.same_site(), None);
    assert_eq!(c.get_nonstandard_attr("samesite"), Some(Some("sometimes")));
    assert_eq!(c.version(), None);
    // cookielib writes version=None for a cookie without version.
    assert_eq!((cookies[3].name(), cookies[3].version()), ("d", None));
}

#[test]
fn lwp_malformed_lines_name_the_line() {
    for (line3, reason) in [
        ("Set-Cookie3: a=1; path=\"/\"; version=0", "no domain"),
        ("Set-Cookie3: a=1; domain=h; version=0", "no path"),
        ("Set-Cookie3: a=1; path=/; domain=h; version=one", "version"),
        (
            "Set-Cookie3: a=1; path=/; domain=h; expires=\"tomorrow\"",
            "not a date",
        ),
    ] {
        let text = format!("#LWP-Cookies-2.0\nSet-Cookie3: ok=1; path=/; domain=h\n{line3}\n");
        let (line, why) = load_error(read_lwp(&text));
        assert_eq!(line, 3, "{line3}: {why}");
        assert!(why.contains(reason), "{line3}: {why}");
    }
    for bad in [
        "",
        "#LWP-Cookies-\n",
        "#LWP-Cookies-2\n",
        "# Netscape HTTP Cookie File\n",
        "Set-Cookie3: a=1; path=/; domain=h\n",
    ] {
        let (line, _) = load_error(read_lwp(bad));
        assert_eq!(line, 1, "{bad:?}");
    }
}

#[test]
fn lwp_keeps_expiries_outside_python_years() {
    let expiries = [i64::MIN, -62_135_596_801, -1, 0, 253_402_300_800, i64::MAX];
    let cookies: Vec<Cookie> = expiries
        .iter()
        .enumerate()
        .map(|(i, &t)| persistent(&format!("c{i}"), "v", "h.example", "/", t))
        .collect();
    let mut out = Vec::new();
    Lwp.write(&cookies, &mut out).unwrap();
    let back = Lwp.read(&out, Path::new("x")).unwrap();
    assert_eq!(
        back.iter().map(Cookie::expires).collect::<Vec<_>>(),
        expiries.map(Some)
    );
}

// ---------------------------------------------------------------------------------------------
// Writing details
// ---------------------------------------------------------------------------------------------

#[test]
fn mozilla_writes_what_curl_and_cookielib_write() {
    let mut bare = persistent("flag", "", "h.example", "/", FUTURE);
    bare.set_value(None);
    let mut session = Cookie::new("s", "1", "h.example", "/p");
    session.set_secure(true);
    let mut hidden = persistent("h", "2", ".example.com", "/", FUTURE);
    hidden.set_http_only(true);
    let mut tabbed = persistent("t", "a\tb", "h.example", "/", FUTURE);
    tabbed.set_secure(false);
    let text = write_mozilla(&[bare, session, hidden, tabbed]);
    assert_eq!(
        text,
        "# Netscape HTTP Cookie File\n\
         # Written by the Rust cookiejar crate: one cookie per line, tab-separated. Edit with care.\n\
         \n\
         h.example\tFALSE\t/\tFALSE\t4102444800\t\tflag\n\
         h.example\tFALSE\t/p\tTRUE\t0\ts\t1\n\
         #HttpOnly_.example.com\tTRUE\t/\tFALSE\t4102444800\th\t2\n"
    );
}

fn write_mozilla(cookies: &[Cookie]) -> String {
    let mut out = Vec::new();
    Mozilla.write(cookies, &mut out).expect("write");
    String::from_utf8(out).expect("UTF-8")
}

fn write_lwp(cookies: &[Cookie]) -> String {
    let mut out = Vec::new();
    Lwp.write(cookies, &mut out).expect("write");
    String::from_utf8(out).expect("UTF-8")
}

/// A cookie with every attribute the engine keeps.
fn rich_cookie() -> Cookie {
    let mut c = persistent("rich", "a b \"c\"", "www.example.com", "/docs", FUTURE);
    c.set_version(Some(1));
    c.set_port(Some("80,8080"));
    c.set_port_specified(true);
    c.set_domain_initial_dot(true);
    c.set_secure(true);
    c.set_discard(true);
    c.set_comment(Some("why; not"));
    c.set_comment_url(Some("http://example.com/why"));
    c.set_rfc2109(true);
    c.set_http_only(true);
    c.set_same_site(Some(SameSite::Lax));
    c.set_nonstandard_attr("Priority", Some("High"));
    c.set_nonstandard_attr("Partitioned", None);
    c
}

#[test]
fn lwp_writes_cookielib_keys_and_extras() {
    let mut not_specified = persistent("n", "1", ".example.com", "/", FUTURE);
    not_specified.set_domain_specified(false);
    not_specified.set_domain_initial_dot(true);
    let text = write_lwp(&[rich_cookie(), not_specified]);
    assert_eq!(
        text,
        "#LWP-Cookies-2.0\n\
         Set-Cookie3: rich=\"a b \\\"c\\\"\"; path=\"/docs\"; domain=\"www.example.com\"; port=\"80,8080\"; \
         path_spec; port_spec; domain_dot; secure; expires=\"2100-01-01 00:00:00Z\"; discard; \
         comment=\"why; not\"; commenturl=\"http://example.com/why\"; HTTPOnly=\"\"; Partitioned; \
         Priority=High; SameSite=Lax; domain_spec; rfc2109; version=1\n\
         Set-Cookie3: n=1; path=\"/\"; domain=\".example.com\"; path_spec; domain_dot; \
         expires=\"2100-01-01 00:00:00Z\"; domain_spec=0; version=0\n"
    );
    let back = read_lwp(&text).unwrap();
    assert_eq!(
        views(&back),
        views(&[rich_cookie(), {
            let mut n = persistent("n", "1", ".example.com", "/", FUTURE);
            n.set_domain_specified(false);
            n
        }])
    );
}

#[test]
fn unwritable_cookies_are_left_out() {
    let ok = persistent("ok", "1", "h.example", "/", FUTURE);
    let tab = persistent("t", "a\tb", "h.example", "/", FUTURE);
    let newline = persistent("n", "a\nb", "h.example", "/", FUTURE);
    let comment_domain = persistent("c", "1", "#h.example", "/", FUTURE);
    let text = write_mozilla(&[ok.clone(), tab.clone(), newline.clone(), comment_domain]);
    assert_eq!(
        mozilla_views(&read_mozilla(&text).unwrap()),
        mozilla_views(std::slice::from_ref(&ok))
    );

    let spaced = persistent("a b", "1", "h.example", "/", FUTURE);
    let mut reserved = ok.clone();
    reserved.set_nonstandard_attr("path", Some("/evil"));
    reserved.set_nonstandard_attr("X-Fine", Some("1"));
    let text = write_lwp(&[ok.clone(), tab.clone(), newline, spaced, reserved]);
    let back = read_lwp(&text).unwrap();
    let mut fine = ok.clone();
    fine.set_nonstandard_attr("X-Fine", Some("1"));
    assert_eq!(views(&back), views(&[ok, tab, fine]));
}

// ---------------------------------------------------------------------------------------------
// Interoperability: python3 and curl
// ---------------------------------------------------------------------------------------------

/// Loads a file with CPython's http.cookiejar and prints its cookies as JSON; with a third
/// argument, saves them again there (LWP) with ignore_discard and ignore_expires.
const PYTHON_LOAD: &str = r#"
import json, sys
from http.cookiejar import LWPCookieJar, MozillaCookieJar
cls = {"mozilla": MozillaCookieJar, "lwp": LWPCookieJar}[sys.argv[1]]
jar = cls()
jar.load(sys.argv[2], ignore_discard=True, ignore_expires=True)
out = []
for c in jar:
    out.append(dict(name=c.name, value=c.value, domain=c.domain, path=c.path,
                    secure=c.secure, expires=c.expires, discard=c.discard, version=c.version,
                    port=c.port, port_specified=c.port_specified,
                    domain_specified=c.domain_specified,
                    domain_initial_dot=c.domain_initial_dot, path_specified=c.path_specified,
                    comment=c.comment, comment_url=c.comment_url, rest=c._rest))
print(json.dumps(sorted(out, key=lambda d: d["name"])))
if len(sys.argv) > 3:
    jar.save(sys.argv[3], ignore_discard=True, ignore_expires=True)
"#;

fn python_load(format: &str, file: &Path, resave: Option<&Path>) -> Vec<serde_json::Value> {
    let mut cmd = Command::new("python3");
    cmd.args(["-c", PYTHON_LOAD, format]).arg(file);
    if let Some(r) = resave {
        cmd.arg(r);
    }
    let out = cmd.output().expect("run python3");
    assert!(
        out.status.success(),
        "python3 failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON from python3")
}

fn interop_cookies() -> Vec<Cookie> {
    let mut bare = persistent("bare", "", "www.example.com", "/", FUTURE);
    bare.set_value(None);
    bare.set_domain_specified(false);
    let mut session = Cookie::new("session", "s1", "www.example.com", "/app");
    session.set_domain_specified(false);
    let mut hidden = persistent("hidden", "h=1", ".example.com", "/", FUTURE);
    hidden.set_http_only(true);
    hidden.set_secure(true);
    let mut rich = rich_cookie();
    // CPython writes None-valued extras as "None": give every extra a value here.
    rich.set_nonstandard_attr("Partitioned", Some("yes"));
    vec![bare, session, hidden, rich]
}

#[test]
fn python_loads_our_mozilla_files() {
    if !tool_available("python3") {
        println!("skipped: python3 is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cookies.txt");
    let jar = mozilla_jar();
    jar.set_cookies(interop_cookies());
    jar.save(Some(&path), true, true).unwrap();

    let py = python_load("mozilla", &path, None);
    let by_name: BTreeMap<&str, &serde_json::Value> = py
        .iter()
        .map(|c| (c["name"].as_str().unwrap(), c))
        .collect();
    assert_eq!(by_name.len(), 4, "{py:?}");

    let bare = by_name["bare"];
    assert_eq!(bare["value"], serde_json::Value::Null);
    assert_eq!(bare["expires"], FUTURE);
    let session = by_name["session"];
    // We write 0 for a session cookie (curl drops lines with an empty expiry);
    // cookielib reads it as expired at the epoch.
    assert_eq!(session["value"], "s1");
    assert_eq!(session["expires"], 0);
    assert_eq!(session["path"], "/app");
    let hidden = by_name["hidden"];
    assert_eq!(hidden["value"], "h=1");
    assert_eq!(hidden["domain"], ".example.com");
    assert_eq!(hidden["domain_specified"], true);
    assert_eq!(hidden["secure"], true);
    assert_eq!(hidden["rest"]["HTTPOnly"], "");
    let rich = by_name["rich"];
    assert_eq!(rich["value"], "a b \"c\"");
    assert_eq!(rich["version"], 0);
    assert_eq!(rich["port"], serde_json::Value::Null);
    assert_eq!(rich["rest"]["HTTPOnly"], "");
    println!("python3 loaded our cookies.txt: {py:?}");
}

#[test]
fn python_loads_our_lwp_files_and_we_load_its_copy() {
    if !tool_available("python3") {
        println!("skipped: python3 is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ours.lwp");
    let copy = dir.path().join("python.lwp");
    let jar = lwp_jar();
    jar.set_cookies(interop_cookies());
    jar.save(Some(&path), true, true).unwrap();

    let py = python_load("lwp", &path, Some(&copy));
    let by_name: BTreeMap<&str, &serde_json::Value> = py
        .iter()
        .map(|c| (c["name"].as_str().unwrap(), c))
        .collect();
    assert_eq!(by_name.len(), 4, "{py:?}");
    assert_eq!(by_name["bare"]["value"], serde_json::Value::Null);
    assert_eq!(by_name["session"]["expires"], serde_json::Value::Null);
    assert_eq!(by_name["session"]["discard"], true);
    assert_eq!(by_name["hidden"]["rest"]["HTTPOnly"], "");
    let rich = by_name["rich"];
    for (key, want) in [
        ("value", serde_json::json!("a b \"c\"")),
        ("version", serde_json::json!(1)),
        ("port", serde_json::json!("80,8080")),
        ("port_specified", serde_json::json!(true)),
        ("domain", serde_json::json!("www.example.com")),
        ("domain_initial_dot", serde_json::json!(true)),
        ("path", serde_json::json!("/docs")),
        ("path_specified", serde_json::json!(true)),
        ("secure", serde_json::json!(true)),
        ("expires", serde_json::json!(FUTURE)),
        ("discard", serde_json::json!(true)),
        ("comment", serde_json::json!("why; not")),
        ("comment_url", serde_json::json!("http://example.com/why")),
    ] {
        assert_eq!(rich[key], want, "{key}");
    }
    // Python keeps our extras as non-standard attributes.
    assert_eq!(
        rich["rest"],
        serde_json::json!({"HTTPOnly": "", "SameSite": "Lax", "rfc2109": null,
                           "domain_spec": null, "Priority": "High", "Partitioned": "yes"})
    );

    // Python's copy reads back as what we saved.
    let back = lwp_jar();
    back.load(Some(&copy), true, true).unwrap();
    assert_eq!(
        views(&back.iter().collect::<Vec<_>>()),
        views(&interop_cookies())
    );
    println!("python3 loaded our Set-Cookie3 file and its copy loads back equal");
}

/// A one-request HTTP server on 127.0.0.1: returns its port and a handle giving the request.
fn serve_once() -> (u16, thread::JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let port = listener.local_addr().expect("local address").port();
    let handle = thread::spawn(move || {
        let (mut stream, _) = listener.accept().expect("a connection");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("read timeout");
        let mut request = Vec::new();
        let mut chunk = [0u8; 4096];
        while !request.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = stream.read(&mut chunk).expect("read the request");
            if n == 0 {
                break;
            }
            request.extend_from_slice(&chunk[..n]);
        }
        stream
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            .expect("write the response");
        String::from_utf8_lossy(&request).into_owned()
    });
    (port, handle)
}

/// The `name=value` pairs of a request's Cookie headers, sorted.
fn cookie_pairs(request: &str) -> Vec<String> {
    let mut pairs: Vec<String> = request
        .lines()
        .filter_map(|l| l.strip_prefix("Cookie: "))
        .flat_map(|v| v.split("; ").map(str::to_owned))
        .collect();
    pairs.sort();
    pairs
}

#[test]
fn curl_sends_the_cookies_of_our_files() {
    if !tool_available("curl") {
        println!("skipped: curl is not installed");
        return;
    }
    let host = "www.cookies.test";
    let mut session = Cookie::new("session", "s1", host, "/");
    session.set_domain_specified(false);
    let domain = persistent("theme", "dark", ".cookies.test", "/", FUTURE);
    let mut hidden = persistent("hidden", "h=1", host, "/app", FUTURE);
    hidden.set_http_only(true);
    let other_path = persistent("elsewhere", "1", host, "/other", FUTURE);
    let mut secure = persistent("secure", "1", host, "/", FUTURE);
    secure.set_secure(true);
    let expired = persistent("expired", "1", host, "/", PAST);
    let other_host = persistent("foreign", "1", "other.test", "/", FUTURE);
    let mut rich = rich_cookie();
    rich.set_domain(".cookies.test");
    rich.set_path("/");
    rich.set_secure(false);

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cookies.txt");
    let written = dir.path().join("curl-out.txt");
    let jar = mozilla_jar();
    jar.set_cookies([
        session, domain, hidden, other_path, secure, expired, other_host, rich,
    ]);
    jar.save(Some(&path), true, true).unwrap();

    let (port, server) = serve_once();
    let out = Command::new("curl")
        .args(["-s", "--max-time", "20", "--resolve"])
        .arg(format!("{host}:{port}:127.0.0.1"))
        .arg("-b")
        .arg(&path)
        .arg("-c")
        .arg(&written)
        .arg(format!("http://{host}:{port}/app/page"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "curl failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let request = server.join().unwrap();
    assert_eq!(
        cookie_pairs(&request),
        ["hidden=h=1", "rich=a b \"c\"", "session=s1", "theme=dark"],
        "{request}"
    );

    // curl wrote the cookies it holds back out (not the expired one); we read its file.
    let back = mozilla_jar();
    back.load(Some(&written), true, true).unwrap();
    let kept: Vec<Cookie> = jar.iter().filter(|c| c.name() != "expired").collect();
    assert_eq!(
        mozilla_views(&back.iter().collect::<Vec<_>>()),
        mozilla_views(&kept)
    );
    println!("curl sent {:?}", cookie_pairs(&request));
}

// ---------------------------------------------------------------------------------------------
// Atomic saves
// ---------------------------------------------------------------------------------------------

#[test]
fn save_replaces_an_existing_file_with_mode_0600() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cookies.txt");
    std::fs::write(&path, "old contents that must go\n".repeat(100)).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let jar = mozilla_jar().with_filename(&path);
    jar.set_cookie(persistent("a", "1", "h.example", "/", FUTURE));
    jar.save(None, false, false).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("# Netscape HTTP Cookie File\n"), "{text}");
    assert!(!text.contains("old contents"));
    assert!(text.ends_with("h.example\tFALSE\t/\tFALSE\t4102444800\ta\t1\n"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn save_without_a_file_name_is_an_error() {
    let jar = mozilla_jar();
    assert!(matches!(jar.save(None, true, true), Err(Error::NoFilename)));
    assert!(matches!(jar.load(None, true, true), Err(Error::NoFilename)));
    assert!(matches!(
        lwp_jar().revert(None, true, true),
        Err(Error::NoFilename)
    ));
}

/// A format whose writes fail after 64 KiB, more than any write buffer holds.
#[derive(Debug, Default)]
struct FailsPartWay;

impl CookieFormat for FailsPartWay {
    fn name(&self) -> &'static str {
        "fails part-way"
    }
    fn write(&self, _cookies: &[Cookie], out: &mut dyn Write) -> io::Result<()> {
        out.write_all(&[b'x'; 64 * 1024])?;
        Err(io::Error::other("disk full (simulated)"))
    }
    fn read(&self, _bytes: &[u8], _path: &Path) -> cookiejar::Result<Vec<Cookie>> {
        Ok(Vec::new())
    }
}

#[test]
fn a_failed_save_leaves_the_previous_file_and_no_temporary() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cookies.txt");
    let previous = b"# Netscape HTTP Cookie File\nh\tFALSE\t/\tFALSE\t0\tkeep\tme\n".to_vec();
    std::fs::write(&path, &previous).unwrap();
    let jar = FileCookieJar::<FailsPartWay>::with_jar(clock_jar()).with_filename(&path);
    jar.set_cookie(persistent("a", "1", "h.example", "/", FUTURE));
    let err = jar.save(None, true, true).unwrap_err();
    assert!(matches!(err, Error::Io { .. }), "{err:?}");
    assert!(err.to_string().contains("disk full"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), previous);
    let entries: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(entries, [std::ffi::OsString::from("cookies.txt")]);
}

// ---------------------------------------------------------------------------------------------
// Load and revert
// ---------------------------------------------------------------------------------------------

#[test]
fn load_adds_and_revert_replaces() {
    let dir = tempfile::tempdir().unwrap();
    for lwp in [false, true] {
        let path = dir.path().join(if lwp { "c.lwp" } else { "c.txt" });
        let in_file = [
            persistent("shared", "new", "b.example", "/", FUTURE),
            persistent("fresh", "1", "c.example", "/", FUTURE),
        ];
        if lwp {
            let source = lwp_jar().tap_set(in_file);
            source.save(Some(&path), false, false).unwrap();
        } else {
            let source = mozilla_jar().tap_set(in_file);
            source.save(Some(&path), false, false).unwrap();
        }

        let start = [
            persistent("mine", "1", "a.example", "/", FUTURE),
            persistent("shared", "old", "b.example", "/", FUTURE),
        ];
        let jar = clock_jar();
        jar.set_cookies(start.clone());
        let (load, revert) = if lwp {
            let j = LWPCookieJar::with_jar(jar);
            j.load(Some(&path), false, false).unwrap();
            let loaded = values(&j);
            j.revert(Some(&path), false, false).unwrap();
            (loaded, values(&j))
        } else {
            let j = MozillaCookieJar::with_jar(jar);
            j.load(Some(&path), false, false).unwrap();
            let loaded = values(&j);
            j.revert(Some(&path), false, false).unwrap();
            (loaded, values(&j))
        };
        assert_eq!(load, ["fresh=1", "mine=1", "shared=new"], "lwp: {lwp}");
        assert_eq!(revert, ["fresh=1", "shared=new"], "lwp: {lwp}");
    }
}

trait TapSet {
    fn tap_set(self, cookies: impl IntoIterator<Item = Cookie>) -> Self;
}

impl<F: CookieFormat> TapSet for FileCookieJar<F> {
    fn tap_set(self, cookies: impl IntoIterator<Item = Cookie>) -> Self {
        self.set_cookies(cookies);
        self
    }
}

fn values(jar: &CookieJar) -> Vec<String> {
    let mut v: Vec<String> = jar
        .iter()
        .map(|c| format!("{}={}", c.name(), c.value().unwrap_or("")))
        .collect();
    v.sort();
    v
}

#[test]
fn a_failed_load_or_revert_leaves_the_jar_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let bad_mozilla = dir.path().join("bad.txt");
    std::fs::write(
        &bad_mozilla,
        "# Netscape HTTP Cookie File\n\
         h.example\tFALSE\t/\tFALSE\t4102444800\tgood\t1\n\
         \n\
         h.example\tFALSE\t/\tFALSE\tnever\tbad\t1\n",
    )
    .unwrap();
    let bad_lwp = dir.path().join("bad.lwp");
    std::fs::write(
        &bad_lwp,
        "#LWP-Cookies-2.0\n\
         Set-Cookie3: good=1; path=\"/\"; domain=h.example; expires=\"2100-01-01 00:00:00Z\"\n\
         # a comment\n\
         \n\
         Set-Cookie3: bad=1; path=\"/\"\n",
    )
    .unwrap();
    let start = [
        persistent("a", "1", "a.example", "/", FUTURE),
        persistent("good", "0", "h.example", "/", FUTURE),
    ];

    let moz = mozilla_jar();
    moz.set_cookies(start.clone());
    let snapshot: Vec<Cookie> = moz.iter().collect();
    for result in [
        moz.revert(Some(&bad_mozilla), true, true),
        moz.load(Some(&bad_mozilla), true, true),
    ] {
        match result {
            Err(Error::Load { line, path, .. }) => {
                assert_eq!(line, 4);
                assert_eq!(path, bad_mozilla);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(moz.iter().collect::<Vec<_>>(), snapshot);
    }

    let lwp = lwp_jar();
    lwp.set_cookies(start);
    let snapshot: Vec<Cookie> = lwp.iter().collect();
    for result in [
        lwp.revert(Some(&bad_lwp), true, true),
        lwp.load(Some(&bad_lwp), true, true),
    ] {
        assert!(
            matches!(result, Err(Error::Load { line: 5, .. })),
            "{result:?}"
        );
        assert_eq!(lwp.iter().collect::<Vec<_>>(), snapshot);
    }

    // A file in the other format is refused at line 1.
    assert!(matches!(
        lwp.revert(Some(&bad_mozilla), true, true),
        Err(Error::Load { line: 1, .. })
    ));
    assert!(matches!(
        moz.load(Some(&bad_lwp), true, true),
        Err(Error::Load { line: 1, .. })
    ));
    assert_eq!(lwp.iter().collect::<Vec<_>>(), snapshot);
}

#[test]
fn a_missing_file_is_an_io_error() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.txt");
    for result in [
        mozilla_jar().load(Some(&missing), true, true),
        mozilla_jar().revert(Some(&missing), true, true),
        lwp_jar().load(Some(&missing), true, true),
    ] {
        match result {
            Err(Error::Io { source, path, .. }) => {
                assert_eq!(source.kind(), io::ErrorKind::NotFound);
                assert_eq!(path, missing);
            }
            other => panic!("expected an I/O error, got {other:?}"),
        }
    }
}

#[test]
fn session_and_expired_cookies_need_the_ignore_switches() {
    let dir = tempfile::tempdir().unwrap();
    let session = Cookie::new("session", "1", "h.example", "/");
    let expired = persistent("expired", "1", "h.example", "/", PAST);
    let kept = persistent("kept", "1", "h.example", "/", FUTURE);
    for lwp in [false, true] {
        let name = |d: bool, e: bool| dir.path().join(format!("{lwp}-{d}-{e}"));
        let saved = |d: bool, e: bool| -> Vec<String> {
            let path = name(d, e);
            if lwp {
                let jar = lwp_jar().tap_set([session.clone(), expired.clone(), kept.clone()]);
                jar.save(Some(&path), d, e).unwrap();
                let all = lwp_jar();
                all.load(Some(&path), true, true).unwrap();
                names(&all)
            } else {
                let jar = mozilla_jar().tap_set([session.clone(), expired.clone(), kept.clone()]);
                jar.save(Some(&path), d, e).unwrap();
                let all = mozilla_jar();
                all.load(Some(&path), true, true).unwrap();
                names(&all)
            }
        };
        assert_eq!(saved(false, false), ["kept"], "lwp: {lwp}");
        assert_eq!(saved(true, false), ["kept", "session"], "lwp: {lwp}");
        assert_eq!(saved(false, true), ["expired", "kept"], "lwp: {lwp}");
        assert_eq!(
            saved(true, true),
            ["expired", "kept", "session"],
            "lwp: {lwp}"
        );

        let full = name(true, true);
        let loaded = |d: bool, e: bool| -> Vec<String> {
            if lwp {
                let jar = lwp_jar();
                jar.load(Some(&full), d, e).unwrap();
                names(&jar)
            } else {
                let jar = mozilla_jar();
                jar.load(Some(&full), d, e).unwrap();
                names(&jar)
            }
        };
        assert_eq!(loaded(false, false), ["kept"], "lwp: {lwp}");
        assert_eq!(loaded(true, false), ["kept", "session"], "lwp: {lwp}");
        assert_eq!(loaded(false, true), ["expired", "kept"], "lwp: {lwp}");
    }
}

// ---------------------------------------------------------------------------------------------
// Property tests
// ---------------------------------------------------------------------------------------------

const NAME: &str = "[A-Za-z0-9!#$%&'*+.^_`|~-]{1,12}";
const VALUE: &str = "[A-Za-z0-9!#$%&'()*+./:<=>?@^_`{|}~ \",\\\\é-]{0,16}";
const TEXT: &str = "[ -~é]{0,20}";

fn cookie_strategy() -> impl Strategy<Value = Cookie> {
    let names = (NAME, prop::option::weighted(0.9, VALUE));
    let place = (
        prop::sample::select(vec![
            "example.com",
            ".example.com",
            "www.example.org",
            ".a.b.c",
            "localhost.local",
            "127.0.0.1",
        ]),
        prop::sample::select(vec!["/", "/app", "/a b", "/x;y", "/é/"]),
    );
    let flags = prop::array::uniform8(any::<bool>());
    let expiry = prop::option::weighted(0.7, (NOW + 1)..253_402_300_799i64);
    let rare = (
        prop::option::of(prop::sample::select(vec![None, Some(0u32), Some(1)])),
        prop::option::of(TEXT),
        prop::option::of(TEXT),
        prop::option::of(prop::sample::select(vec!["", "80", "80,8080"])),
        prop::option::of(prop::sample::select(vec![
            SameSite::Strict,
            SameSite::Lax,
            SameSite::None,
        ])),
        prop::collection::vec(
            (
                prop::sample::select(vec!["Priority", "Partitioned", "X-Ext", "ext2"]),
                prop::option::of(VALUE),
            ),
            0..3,
        ),
    );
    (names, place, flags, expiry, rare).prop_map(
        |(
            (name, value),
            (domain, path),
            f,
            expires,
            (version, comment, url, port, same_site, rest),
        )| {
            let mut c = Cookie::new(&name, "", domain, path);
            c.set_value(value.as_deref());
            c.set_domain_specified(f[0]);
            c.set_domain_initial_dot(f[1]);
            c.set_path_specified(f[2]);
            c.set_secure(f[3]);
            c.set_http_only(f[4]);
            c.set_port_specified(f[5]);
            c.set_rfc2109(f[6]);
            c.set_expires(expires);
            // Without expiry a cookie is a session cookie (cookielib's rule).
            c.set_discard(expires.is_none() || f[7]);
            c.set_version(version.unwrap_or(Some(0)));
            c.set_comment(comment.as_deref());
            c.set_comment_url(url.as_deref());
            c.set_port(port);
            c.set_same_site(same_site);
            for (k, v) in rest {
                c.set_nonstandard_attr(k, v.as_deref());
            }
            c
        },
    )
}

/// Cookies with distinct keys (a jar holds one per domain, path and name).
fn jar_strategy() -> impl Strategy<Value = Vec<Cookie>> {
    prop::collection::vec(cookie_strategy(), 0..12).prop_map(|cookies| {
        let mut by_key = BTreeMap::new();
        for c in cookies {
            by_key.insert(
                (
                    c.domain().to_owned(),
                    c.path().to_owned(),
                    c.name().to_owned(),
                ),
                c,
            );
        }
        by_key.into_values().collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn lwp_round_trips_every_attribute(cookies in jar_strategy()) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cookies.lwp");
        let jar = lwp_jar().tap_set(cookies.clone());
        jar.save(Some(&path), true, false).unwrap();
        let back = lwp_jar();
        back.load(Some(&path), true, false).unwrap();
        prop_assert_eq!(views(&back.iter().collect::<Vec<_>>()), views(&cookies));
    }

    #[test]
    fn mozilla_round_trips_what_it_holds(cookies in jar_strategy()) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cookies.txt");
        let jar = mozilla_jar().tap_set(cookies.clone());
        jar.save(Some(&path), true, false).unwrap();
        let back = mozilla_jar();
        back.load(Some(&path), true, false).unwrap();
        let loaded: Vec<Cookie> = back.iter().collect();
        prop_assert_eq!(mozilla_views(&loaded), mozilla_views(&cookies));
        for c in &loaded {
            prop_assert_eq!(c.domain_specified(), c.domain().starts_with('.'));
            prop_assert_eq!(c.discard(), c.expires().is_none());
            prop_assert_eq!(c.version(), Some(0));
        }
    }

    #[test]
    fn loaders_never_panic_on_bytes(magic in 0usize..3, bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let mut data = ["", "# Netscape HTTP Cookie File\n", "#LWP-Cookies-2.0\n"][magic].as_bytes().to_vec();
        data.extend_from_slice(&bytes);
        let _ = Mozilla.read(&data, Path::new("x"));
        let _ = Lwp.read(&data, Path::new("x"));
    }

    #[test]
    fn loaders_never_panic_on_near_miss_text(
        magic in 0usize..3,
        lines in prop::collection::vec("(#HttpOnly_|Set-Cookie3: )?[a-z.#$ ]{0,6}(\t(TRUE|FALSE|true|x|[0-9.e-]{0,12}|[a-z=;\", ]{0,8})){0,8}[=;\", a-z0-9\\\\-]{0,20}", 0..8),
    ) {
        let text = format!(
            "{}{}",
            ["", "# HTTP Cookie File\n", "#LWP-Cookies-2.0\n"][magic],
            lines.join("\n")
        );
        let _ = Mozilla.read(text.as_bytes(), Path::new("x"));
        let _ = Lwp.read(text.as_bytes(), Path::new("x"));
    }
}
