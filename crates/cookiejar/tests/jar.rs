//! `CookieJar`'s cookielib API: extraction, headers, clearing, iteration, sharing between
//! threads and the injectable clock.

use std::sync::Arc;

use cookiejar::{Cookie, CookieJar, CookieRequest, DefaultCookiePolicy, Error, FixedClock};

const NOW: i64 = 1_700_000_000;

fn jar() -> (CookieJar, Arc<FixedClock>) {
    let clock = Arc::new(FixedClock::new(NOW));
    (CookieJar::new().with_clock(Arc::clone(&clock)), clock)
}

fn get(url: &str) -> http::Request<()> {
    http::Request::get(url).body(()).expect("valid request")
}

fn set(jar: &CookieJar, url: &str, cookies: &[&str]) {
    let mut b = http::Response::builder();
    for c in cookies {
        b = b.header("Set-Cookie", *c);
    }
    jar.extract_cookies(&b.body(()).expect("valid response"), &get(url));
}

fn sent(jar: &CookieJar, url: &str) -> Option<String> {
    let mut r = get(url);
    jar.add_cookie_header(&mut r);
    r.header("Cookie").map(|c| c.into_owned())
}

fn names(jar: &CookieJar) -> Vec<String> {
    jar.iter().map(|c| c.name().to_owned()).collect()
}

#[test]
fn jar_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<CookieJar>();
    assert_send_sync::<Cookie>();
}

#[test]
fn one_jar_shared_by_many_threads() {
    let (jar, _) = jar();
    let jar = Arc::new(jar);
    let handles: Vec<_> = (0..8)
        .map(|t| {
            let jar = Arc::clone(&jar);
            std::thread::spawn(move || {
                for i in 0..50 {
                    set(
                        &jar,
                        &format!("http://h{t}.example.com/"),
                        &[&format!("c{i}=v; Domain=example.com")],
                    );
                    assert!(sent(&jar, &format!("http://h{t}.example.com/")).is_some());
                }
            })
        })
        .collect();
    for h in handles {
        h.join().expect("thread finished");
    }
    // 50 distinct names on one domain, each set 8 times.
    assert_eq!(jar.len(), 50);
}

#[test]
fn cookielib_defaults_filled_in_from_the_request() {
    let (jar, _) = jar();
    set(
        &jar,
        "http://www.acme.com/foo/bar?x=1",
        &["a=1", "b=2; Path=/; Domain=acme.com; Max-Age=100"],
    );
    let all: Vec<Cookie> = jar.iter().collect();
    let a = &all[0];
    assert_eq!((a.domain(), a.path()), ("www.acme.com", "/foo"));
    assert!(!a.domain_specified() && !a.path_specified() && a.discard() && a.expires().is_none());
    let b = &all[1];
    assert_eq!(
        (b.domain(), b.path(), b.expires()),
        (".acme.com", "/", Some(NOW + 100))
    );
    assert!(b.domain_specified() && !b.domain_initial_dot() && !b.discard());
    assert_eq!(a.creation_time(), NOW);
}

#[test]
fn make_cookies_parses_without_storing() {
    let (jar, _) = jar();
    let response = http::Response::builder()
        .header("Set-Cookie", "a=1; Domain=.acme.com; Comment=hi; Foo=Bar")
        .body(())
        .expect("response");
    let cookies = jar.make_cookies(&response, &get("http://www.acme.com/"));
    assert_eq!(cookies.len(), 1);
    assert!(jar.is_empty());
    assert_eq!(cookies[0].get_nonstandard_attr("foo"), Some(Some("Bar")));
    assert!(jar.set_cookie_if_ok(cookies[0].clone(), &get("http://www.acme.com/")));
    assert!(!jar.set_cookie_if_ok(cookies[0].clone(), &get("http://www.other.com/")));
    assert_eq!(jar.len(), 1);
}

#[test]
fn an_expired_set_cookie_deletes_the_stored_one() {
    let (jar, _) = jar();
    set(
        &jar,
        "http://www.acme.com/",
        &["a=1; Path=/", "b=2; Path=/"],
    );
    set(
        &jar,
        "http://www.acme.com/",
        &["a=gone; Path=/; Expires=Thu, 01 Jan 1970 00:00:01 GMT"],
    );
    assert_eq!(names(&jar), ["b"]);
    set(&jar, "http://www.acme.com/", &["b=gone; Path=/; Max-Age=0"]);
    assert!(jar.is_empty());
}

#[test]
fn add_cookie_header_keeps_an_existing_cookie_header() {
    let (jar, _) = jar();
    set(&jar, "http://www.acme.com/", &["a=1"]);
    let mut r = http::Request::get("http://www.acme.com/")
        .header("Cookie", "mine=1")
        .body(())
        .expect("request");
    jar.add_cookie_header(&mut r);
    assert_eq!(r.header("Cookie").as_deref(), Some("mine=1"));
}

#[test]
fn header_orders_longest_path_first() {
    let (jar, _) = jar();
    set(
        &jar,
        "http://www.acme.com/",
        &["root=1; Path=/", "deep=2; Path=/a/b", "mid=3; Path=/a"],
    );
    assert_eq!(
        sent(&jar, "http://www.acme.com/a/b/c").as_deref(),
        Some("deep=2; mid=3; root=1")
    );
    let order: Vec<String> = jar
        .cookies_for_request(&get("http://www.acme.com/a/x"))
        .iter()
        .map(|c| c.name().to_owned())
        .collect();
    assert_eq!(order, ["mid", "root"]);
}

#[test]
fn clearing() {
    let (jar, _) = jar();
    set(
        &jar,
        "http://www.acme.com/a/",
        &["a=1; Path=/", "b=2; Path=/a", "c=3; Path=/a; Max-Age=10"],
    );
    set(&jar, "http://www.other.com/", &["d=4"]);
    assert_eq!(jar.len(), 4);

    let removed = jar.clear_cookie("www.acme.com", "/", "a").expect("present");
    assert_eq!(removed.name(), "a");
    let err = jar
        .clear_cookie("www.acme.com", "/", "a")
        .expect_err("already removed");
    assert!(
        matches!(&err, Error::NotFound { domain, path: Some(p), name: Some(n) } if domain == "www.acme.com" && p == "/" && n == "a"),
        "{err:?}"
    );
    let err = jar.clear_path("www.acme.com", "/nope").expect_err("absent");
    assert!(err.to_string().contains("/nope"), "{err}");
    assert!(jar.clear_domain("nowhere.example").is_err());

    jar.clear_session_cookies();
    assert_eq!(names(&jar), ["c"]);
    jar.clear_path("www.acme.com", "/a").expect("present");
    assert!(jar.is_empty());
    set(&jar, "http://www.other.com/", &["d=4"]);
    jar.clear_domain("www.other.com").expect("present");
    assert!(jar.is_empty());
    set(&jar, "http://www.other.com/", &["d=4"]);
    jar.clear();
    assert_eq!(jar.len(), 0);
}

#[test]
fn the_clock_drives_expiry() {
    let (jar, clock) = jar();
    set(
        &jar,
        "http://www.acme.com/",
        &["short=1; Max-Age=60", "long=2; Max-Age=3600"],
    );
    clock.advance(61);
    assert_eq!(
        sent(&jar, "http://www.acme.com/").as_deref(),
        Some("long=2")
    );
    assert_eq!(
        jar.len(),
        1,
        "expired cookies met while looking up are removed"
    );
    set(&jar, "http://www.other.com/", &["x=1; Max-Age=1"]);
    clock.advance(7200);
    jar.clear_expired_cookies();
    assert!(jar.is_empty());
}

#[test]
fn iteration_is_a_snapshot_in_insertion_order() {
    let (jar, _) = jar();
    set(&jar, "http://b.example.com/", &["one=1"]);
    set(&jar, "http://a.example.com/", &["two=2"]);
    let snapshot = jar.iter();
    jar.clear();
    let got: Vec<String> = snapshot.map(|c| c.name().to_owned()).collect();
    assert_eq!(got, ["one", "two"]);
    set(&jar, "http://b.example.com/", &["one=1"]);
    let via_ref: Vec<Cookie> = (&jar).into_iter().collect();
    assert_eq!(via_ref.len(), 1);
    assert_eq!(
        jar.to_string(),
        "<CookieJar[<Cookie one=1 for b.example.com/>]>"
    );
}

#[test]
fn set_policy_and_policy() {
    let (jar, _) = jar();
    assert!(jar.policy().netscape());
    jar.set_policy(DefaultCookiePolicy::builder().netscape(false).build());
    assert!(!jar.policy().netscape());
    set(&jar, "http://www.acme.com/", &["a=1"]);
    assert!(jar.is_empty());
}

#[test]
fn a_request_without_a_usable_url_is_ignored() {
    let (jar, _) = jar();
    jar.set_cookie(Cookie::new("a", "1", ".acme.com", "/"));
    // A relative URI with no Host header: no host to match, nothing happens, nothing panics.
    let mut r = http::Request::get("/relative").body(()).expect("request");
    jar.add_cookie_header(&mut r);
    assert_eq!(r.header("Cookie"), None);
    let response = http::Response::builder()
        .header("Set-Cookie", "b=2")
        .body(())
        .expect("response");
    jar.extract_cookies(&response, &r);
    assert_eq!(jar.len(), 1);
}

#[test]
fn works_with_headers_from_hyper_style_maps() {
    let (jar, _) = jar();
    let mut headers = http::HeaderMap::new();
    headers.append("set-cookie", http::HeaderValue::from_static("a=1"));
    headers.append("set-cookie", http::HeaderValue::from_static("b=2"));
    jar.extract_cookies(&headers, &get("http://www.acme.com/"));
    assert_eq!(
        sent(&jar, "http://www.acme.com/").as_deref(),
        Some("a=1; b=2")
    );
}

/// Records every batch a jar reports.
#[derive(Debug, Default)]
struct Recorder(std::sync::Mutex<Vec<Vec<cookiejar::Change>>>);

impl cookiejar::ChangeListener for Recorder {
    fn changes(&self, batch: &[cookiejar::Change]) {
        self.0.lock().expect("recorder").push(batch.to_vec());
    }
}

fn kinds(batch: &[cookiejar::Change]) -> Vec<String> {
    batch
        .iter()
        .map(|c| match c {
            cookiejar::Change::Stored(c) => format!("+{}", c.name()),
            cookiejar::Change::Removed { name, .. } => format!("-{name}"),
            cookiejar::Change::Cleared => "clear".to_owned(),
        })
        .collect()
}

#[test]
fn a_listener_hears_every_change_one_batch_per_operation() {
    let recorder = Arc::new(Recorder::default());
    let clock = Arc::new(FixedClock::new(NOW));
    let jar = CookieJar::new()
        .with_clock(Arc::clone(&clock))
        .with_listener(recorder.clone());
    set(&jar, "http://www.acme.com/", &["a=1", "b=2; Max-Age=10"]);
    set(&jar, "http://www.acme.com/", &["a=gone; Max-Age=0"]);
    clock.advance(11);
    assert_eq!(sent(&jar, "http://www.acme.com/"), None, "b expired");
    jar.set_cookies([
        Cookie::new("x", "1", ".acme.com", "/"),
        Cookie::new("y", "1", ".acme.com", "/"),
    ]);
    jar.replace_all([Cookie::new("z", "1", ".acme.com", "/")]);
    jar.clear_cookie(".acme.com", "/", "z").expect("present");
    // Nothing changed: no batch.
    assert!(jar.clear_domain("nowhere.example").is_err());
    sent(&jar, "http://www.acme.com/");
    let batches: Vec<Vec<String>> = recorder
        .0
        .lock()
        .expect("recorder")
        .iter()
        .map(|b| kinds(b))
        .collect();
    assert_eq!(
        batches,
        vec![
            vec!["+a", "+b"],
            vec!["-a"],
            vec!["-b"],
            vec!["+x", "+y"],
            vec!["clear", "+z"],
            vec!["-z"],
        ]
    );
}
