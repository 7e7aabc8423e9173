//! Reading Internet Explorer 5/6 cookie files (`Msie`, `MSIECookieJar`), against the
//! hand-generated fixtures of `tests/data/files/msie/` (see the README there: IE cannot run
//! here, so `gen_fixtures.py` wrote them from a list of cookies).

use std::path::{Path, PathBuf};

use cookiejar::file::{CookieFormat, MSIECookieJar, Msie};
use cookiejar::{Cookie, CookieJar, DefaultCookiePolicy, DomainStrictness, Error, FixedClock};
use proptest::prelude::*;

/// "Now" for every jar here: 2023-11-14 22:13:20 UTC.
const NOW: i64 = 1_700_000_000;

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/files/msie")
}

fn cookies_dir() -> PathBuf {
    data().join("cookies")
}

fn malformed(name: &str) -> PathBuf {
    data().join("malformed").join(name)
}

fn jar() -> MSIECookieJar {
    MSIECookieJar::with_jar(CookieJar::new().with_clock(FixedClock::new(NOW)))
}

fn names(jar: &CookieJar) -> Vec<String> {
    let mut names: Vec<String> = jar.iter().map(|c| c.name().to_owned()).collect();
    names.sort();
    names
}

fn get(jar: &CookieJar, name: &str) -> Cookie {
    jar.iter()
        .find(|c| c.name() == name)
        .unwrap_or_else(|| panic!("no cookie {name:?} in {jar}"))
}

/// What one loaded cookie must look like.
struct Expected {
    name: &'static str,
    value: &'static str,
    domain: &'static str,
    path: &'static str,
    secure: bool,
    http_only: bool,
    expires: Option<i64>,
    creation: i64,
    flags: &'static str,
}

const EXPECTED: [Expected; 6] = [
    Expected {
        name: "sid",
        value: "abc123",
        domain: "example.com",
        path: "/",
        secure: false,
        http_only: false,
        expires: Some(4_102_444_800), // 2100-01-01T00:00:00Z
        creation: 1_146_711_721,      // 2006-05-04T03:02:01Z
        flags: "1024",
    },
    Expected {
        name: "pref",
        value: "lang=en|tz=UTC",
        domain: "www.example.com",
        path: "/account/",
        secure: true,
        http_only: true,
        expires: Some(2_147_483_648), // 2038-01-19T03:14:08.9999999Z, rounded down
        creation: 1_170_475_506,      // 2007-02-03T04:05:06.5Z, rounded down
        flags: "9217",
    },
    Expected {
        name: "old",
        value: "1",
        domain: "example.com",
        path: "/",
        secure: false,
        http_only: false,
        expires: Some(1_000_000_000), // 2001-09-09T01:46:40Z
        creation: 999_907_200,        // 2001-09-08T00:00:00Z
        flags: "1024",
    },
    Expected {
        name: "cart",
        value: "",
        domain: "shop.example.org",
        path: "/cart/",
        secure: false,
        http_only: true,
        expires: Some(2_224_670_400), // 2040-06-30T12:00:00Z
        creation: 1_249_403_178,      // 2009-08-04T16:26:18Z
        flags: "8192",
    },
    Expected {
        name: "tmp",
        value: "x",
        domain: "shop.example.org",
        path: "/",
        secure: false,
        http_only: false,
        expires: None,           // expiry FILETIME 0: a session cookie
        creation: 1_262_304_000, // 2010-01-01T00:00:00Z
        flags: "0",
    },
    Expected {
        name: "lang",
        value: "fr",
        domain: ".example.org",
        path: "/",
        secure: true,
        http_only: false,
        expires: Some(1_893_456_000), // 2030-01-01T00:00:00Z
        creation: NOW,                // FILETIME 0 is unknown: the time of loading
        flags: "1",
    },
];

#[test]
fn loads_every_cookie_of_a_folder_with_two_site_files() {
    let jar = jar();
    jar.load(Some(&cookies_dir()), true, true).unwrap();
    assert_eq!(jar.len(), EXPECTED.len(), "{}", *jar);
    for e in &EXPECTED {
        let c = get(&jar, e.name);
        assert_eq!(c.value(), Some(e.value), "{}", e.name);
        assert_eq!(c.domain(), e.domain, "{}", e.name);
        assert_eq!(c.path(), e.path, "{}", e.name);
        assert_eq!(c.secure(), e.secure, "{}", e.name);
        assert_eq!(c.http_only(), e.http_only, "{}", e.name);
        assert_eq!(c.expires(), e.expires, "{}", e.name);
        assert_eq!(c.discard(), e.expires.is_none(), "{}", e.name);
        assert_eq!(c.creation_time(), e.creation, "{}", e.name);
        assert_eq!(
            c.get_nonstandard_attr("flags"),
            Some(Some(e.flags)),
            "{}",
            e.name
        );
        // mechanize's rule: only a leading dot makes a domain cookie.
        let dotted = e.domain.starts_with('.');
        assert_eq!(c.domain_specified(), dotted, "{}", e.name);
        assert_eq!(c.domain_initial_dot(), dotted, "{}", e.name);
        assert!(!c.path_specified(), "{}", e.name);
        assert_eq!(c.version(), Some(0), "{}", e.name);
        assert_eq!(c.port(), None, "{}", e.name);
    }
}

#[test]
fn load_ignore_flags_filter_session_and_expired_cookies() {
    let cases: [(bool, bool, &[&str]); 4] = [
        (false, false, &["cart", "lang", "pref", "sid"]),
        (true, false, &["cart", "lang", "pref", "sid", "tmp"]),
        (false, true, &["cart", "lang", "old", "pref", "sid"]),
        (true, true, &["cart", "lang", "old", "pref", "sid", "tmp"]),
    ];
    for (ignore_discard, ignore_expires, want) in cases {
        let jar = jar();
        jar.load(Some(&cookies_dir()), ignore_discard, ignore_expires)
            .unwrap();
        assert_eq!(
            names(&jar),
            want,
            "ignore_discard={ignore_discard} ignore_expires={ignore_expires}"
        );
    }
}

#[test]
fn default_file_name_and_revert() {
    let jar = jar().with_filename(cookies_dir());
    jar.set_cookie(Cookie::new("stale", "1", "other.test", "/"));
    jar.load(None, false, false).unwrap();
    assert_eq!(jar.len(), 5);
    jar.revert(None, false, false).unwrap();
    assert_eq!(names(&jar), ["cart", "lang", "pref", "sid"]);
}

#[test]
fn a_single_file_reads_alone() {
    let file = cookies_dir().join("alice@shop.example[1].txt");
    let cookies = Msie.read_path(&file).unwrap();
    let got: Vec<&str> = cookies.iter().map(|c| c.name()).collect();
    assert_eq!(got, ["cart", "tmp", "lang"]);

    let jar = jar();
    jar.load(Some(&file), true, true).unwrap();
    assert_eq!(names(&jar), ["cart", "lang", "tmp"]);
}

#[test]
fn folder_order_is_by_file_name() {
    let cookies = Msie.read_path(&cookies_dir()).unwrap();
    let got: Vec<&str> = cookies.iter().map(|c| c.name()).collect();
    assert_eq!(got, ["sid", "pref", "old", "cart", "tmp", "lang"]);
}

#[test]
fn host_without_dot_tail_matches_under_cookielib_rules_and_is_exact_when_strict() {
    let jar = jar();
    jar.load(Some(&cookies_dir()), false, false).unwrap();
    let sent = |url: &str| -> Vec<String> {
        let request = http::Request::get(url).body(()).unwrap();
        let mut names: Vec<String> = jar
            .cookies_for_request(&request)
            .iter()
            .map(|c| c.name().to_owned())
            .collect();
        names.sort();
        names
    };
    // `example.com` (no dot, domain not specified) is sent to subdomains, as IE did.
    assert_eq!(sent("http://www.example.com/"), ["sid"]);
    assert_eq!(sent("http://example.com/"), ["sid"]);
    // `pref` is Secure and under /account/.
    assert_eq!(sent("http://www.example.com/account/x"), ["sid"]);
    assert_eq!(sent("https://www.example.com/account/x"), ["pref", "sid"]);
    assert_eq!(sent("https://shop.example.org/cart/"), ["cart", "lang"]);

    jar.set_policy(
        DefaultCookiePolicy::builder()
            .strict_ns_domain(DomainStrictness::STRICT_NON_DOMAIN)
            .build(),
    );
    assert_eq!(sent("http://www.example.com/"), Vec::<String>::new());
    assert_eq!(sent("http://example.com/"), ["sid"]);
}

fn load_error(path: &Path) -> (PathBuf, usize, String) {
    match jar().load(Some(path), true, true) {
        Err(Error::Load { path, line, reason }) => (path, line, reason),
        other => panic!("expected Error::Load for {}, got {other:?}", path.display()),
    }
}

#[test]
fn malformed_files_give_load_errors_with_the_line() {
    let cases = [
        ("bad-number.txt", 13, "flags"),
        ("truncated.txt", 10, "truncated"),
        ("missing-star.txt", 18, "`*`"),
        ("no-slash.txt", 3, "host/path"),
        ("too-big.txt", 6, "expiry time (high word)"),
    ];
    for (name, want_line, want_reason) in cases {
        let file = malformed(name);
        let (path, line, reason) = load_error(&file);
        assert_eq!(path, file, "{name}");
        assert_eq!(line, want_line, "{name}: {reason}");
        assert!(reason.contains(want_reason), "{name}: {reason}");
    }
}

#[test]
fn a_failed_load_leaves_the_jar_as_it_was() {
    let jar = jar();
    jar.load(Some(&cookies_dir()), true, true).unwrap();
    let before = jar.to_string();
    assert!(
        jar.load(Some(&malformed("truncated.txt")), true, true)
            .is_err()
    );
    assert!(
        jar.revert(Some(&malformed("truncated.txt")), true, true)
            .is_err()
    );
    assert_eq!(jar.to_string(), before);
}

#[test]
fn a_malformed_file_in_a_folder_is_named_in_the_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        cookies_dir().join("alice@example[1].txt"),
        dir.path().join("a.txt"),
    )
    .unwrap();
    std::fs::copy(malformed("missing-star.txt"), dir.path().join("b.TXT")).unwrap();
    let (path, line, _) = load_error(dir.path());
    assert_eq!(path, dir.path().join("b.TXT"));
    assert_eq!(line, 18);
}

#[test]
fn only_txt_files_of_the_folder_are_read() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        cookies_dir().join("index.dat"),
        dir.path().join("index.dat"),
    )
    .unwrap();
    std::fs::write(dir.path().join("desktop.ini"), "[.ShellClassInfo]\n").unwrap();
    std::fs::create_dir(dir.path().join("sub.txt")).unwrap();
    std::fs::copy(
        cookies_dir().join("alice@example[1].txt"),
        dir.path().join("sub.txt").join("nested.txt"),
    )
    .unwrap();
    let jar = jar();
    jar.load(Some(dir.path()), true, true).unwrap();
    assert_eq!(jar.len(), 0);
}

#[test]
fn index_dat_is_not_parsed() {
    let (path, line, reason) = load_error(&cookies_dir().join("index.dat"));
    assert!(path.ends_with("index.dat"));
    assert_eq!(line, 0);
    assert!(reason.contains("index.dat"), "{reason}");
}

#[test]
fn missing_folder_is_an_io_error() {
    let missing = data().join("no-such-folder");
    match jar().load(Some(&missing), true, true) {
        Err(Error::Io { path, source, .. }) => {
            assert_eq!(path, missing);
            assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
        }
        other => panic!("expected Error::Io, got {other:?}"),
    }
}

#[test]
fn saving_is_unsupported_and_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let jar = jar();
    jar.load(Some(&cookies_dir()), true, true).unwrap();
    let target = dir.path().join("out.txt");
    match jar.save(Some(&target), true, true) {
        Err(Error::Io { source, .. }) => {
            assert_eq!(source.kind(), std::io::ErrorKind::Unsupported);
        }
        other => panic!("expected Error::Io, got {other:?}"),
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);

    let mut out = Vec::new();
    let err = Msie.write(&[], &mut out).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::Unsupported);
    assert!(out.is_empty());
    assert_eq!(Msie.name(), "Internet Explorer cookie files");
}

fn read_str(text: &str) -> cookiejar::Result<Vec<Cookie>> {
    Msie.read(text.as_bytes(), Path::new("inline.txt"))
}

fn line_of(result: cookiejar::Result<Vec<Cookie>>) -> usize {
    match result {
        Err(Error::Load { line, .. }) => line,
        other => panic!("expected Error::Load, got {other:?}"),
    }
}

#[test]
fn inline_edge_cases() {
    // Empty and blank files hold no cookies; blank lines after the last record are ignored.
    assert!(read_str("").unwrap().is_empty());
    assert!(read_str("\n \r\n\n").unwrap().is_empty());
    let one = "n\nv\nExample.COM/p\n0\n0\n0\n0\n0\n*";
    let cookies = read_str(&format!("{one}\n\n\n")).unwrap();
    assert_eq!(cookies.len(), 1);
    // Hosts are lowercased; no final newline is needed.
    assert_eq!(read_str(one).unwrap()[0].domain(), "example.com");
    // Trailing whitespace is dropped (mechanize's rstrip); numbers may have spaces around.
    let c = &read_str("n \nv\t\nh/ \n 1 \n0\n0\n0\n0\n * \n").unwrap()[0];
    assert_eq!((c.name(), c.value(), c.path()), ("n", Some("v"), "/"));
    assert!(c.secure());

    // An expiry before 1970 is a (long expired) negative time: the smallest FILETIME.
    let c = &read_str("n\nv\nh/\n0\n1\n0\n0\n0\n*\n").unwrap()[0];
    assert_eq!(c.expires(), Some(-11_644_473_600));
    assert!(c.is_expired(0));
    // The largest FILETIME does not overflow.
    let c =
        &read_str("n\nv\nh/\n0\n4294967295\n4294967295\n4294967295\n4294967295\n*\n").unwrap()[0];
    assert_eq!(c.expires(), Some(1_844_674_407_370 - 11_644_473_600));
    assert_eq!(c.creation_time(), 1_844_674_407_370 - 11_644_473_600);

    // Errors, with their lines.
    assert_eq!(line_of(read_str("n\nv\n/\n0\n0\n0\n0\n0\n*\n")), 3); // empty host
    assert_eq!(line_of(read_str("n\nv\nh/\n-1\n0\n0\n0\n0\n*\n")), 4);
    assert_eq!(line_of(read_str("n\nv\nh/\n0\n\n0\n0\n0\n*\n")), 5);
    assert_eq!(line_of(read_str("n\nv\nh/\n0\n0\n0\n0\nx\n*\n")), 8);
    assert_eq!(line_of(read_str("n\nv\nh/\n0\n0\n0\n0\n0\n\n")), 9);
    assert_eq!(line_of(read_str("n\nv\nh/\n0\n0\n0\n0\n0\n*\nn2\n")), 10);
    assert_eq!(
        line_of(Msie.read(b"n\nv\xff\nh/\n0\n0\n0\n0\n0\n*\n", Path::new("x"))),
        2
    );
}

/// Lines that look like parts of records, so parsing gets past the first checks.
fn record_like_text() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        Just("*".to_owned()),
        Just(String::new()),
        Just("example.com/".to_owned()),
        Just("/".to_owned()),
        Just("4294967295".to_owned()),
        Just("4294967296".to_owned()),
        Just("0".to_owned()),
        "[0-9]{1,12}",
        "[ -~]{0,12}",
    ];
    prop::collection::vec(line, 0..40).prop_map(|lines| lines.join("\n"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = Msie.read(&bytes, Path::new("random.txt"));
    }

    #[test]
    fn record_like_text_never_panics(text in record_like_text()) {
        if let Ok(cookies) = Msie.read(text.as_bytes(), Path::new("random.txt")) {
            for c in cookies {
                prop_assert!(c.path().starts_with('/'));
                prop_assert!(!c.domain().is_empty());
            }
        }
    }
}
