//! The SQLite jar (`SqliteCookieJar`: every change persisted as it happens, surviving a
//! killed process) and Firefox's `cookies.sqlite` (`import_firefox`, `export_firefox`).

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;

use cookiejar::file::{Durability, SqliteCookieJar, export_firefox, import_firefox};
use cookiejar::{
    BrowserCookiePolicy, Cookie, CookieJar, CookieRequest, DefaultCookiePolicy, Error, FixedClock,
    SameSite,
};
use proptest::prelude::*;
use rusqlite::Connection;

const NOW: i64 = 1_700_000_000;

fn get(url: &str) -> http::Request<()> {
    http::Request::get(url).body(()).expect("valid request")
}

fn set(jar: &CookieJar, url: &str, headers: &[(&str, &str)]) {
    let mut b = http::Response::builder();
    for (name, value) in headers {
        b = b.header(*name, *value);
    }
    jar.extract_cookies(&b.body(()).expect("valid response"), &get(url));
}

fn sent(jar: &CookieJar, url: &str) -> Option<String> {
    let mut r = get(url);
    jar.add_cookie_header(&mut r);
    r.header("Cookie").map(|c| c.into_owned())
}

/// A cookielib jar that speaks RFC 2965 too, on a pinned clock.
fn cookielib_jar(clock: &Arc<FixedClock>) -> CookieJar {
    CookieJar::with_policy(DefaultCookiePolicy::builder().rfc2965(true).build())
        .with_clock(Arc::clone(clock))
}

fn open(path: &Path, clock: &Arc<FixedClock>) -> SqliteCookieJar {
    SqliteCookieJar::open_with_jar(path, cookielib_jar(clock)).expect("open the SQLite jar")
}

/// Every attribute of every cookie (`Debug` shows them all), in jar order.
fn contents(jar: &CookieJar) -> Vec<String> {
    jar.iter().map(|c| format!("{c:?}")).collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

/// What another process opening the database now would find.
fn reopened(path: &Path, clock: &Arc<FixedClock>) -> Vec<String> {
    contents(&open(path, clock))
}

fn db_path() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("cookies.db");
    (dir, path)
}

#[test]
fn sqlite_jar_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<SqliteCookieJar>();
}

#[test]
fn extracted_cookies_come_back_with_every_attribute() {
    let (_dir, path) = db_path();
    let clock = Arc::new(FixedClock::new(NOW));
    let jar = open(&path, &clock);
    assert!(jar.is_empty());
    set(
        &jar,
        "http://www.example.com/shop/cart",
        &[
            (
                "Set-Cookie",
                "sid=abc123; Domain=.example.com; Path=/; Max-Age=3600; HttpOnly",
            ),
            (
                "Set-Cookie",
                "theme=dark; Expires=Wed, 01 Jan 2042 00:00:00 GMT; SameSite=Strict",
            ),
            ("Set-Cookie", "bare"),
            (
                "Set-Cookie",
                "odd=\"quoted; value\"; Priority=High; Partitioned; Secure",
            ),
            (
                "Set-Cookie2",
                "v1=\"x y\"; Version=1; Comment=\"a comment\"; CommentURL=\"http://www.example.com/c\"; \
                 Port=\"80,8080\"; Discard; Path=/shop",
            ),
            ("Set-Cookie", "rfc2109=1; Version=1; Max-Age=60"),
        ],
    );
    clock.advance(10);
    set(
        &jar,
        "https://api.example.com/",
        &[("Set-Cookie", "token=t; Secure; SameSite=None")],
    );
    let before = contents(&jar);
    assert_eq!(before.len(), 7, "{before:#?}");
    let header = sent(&jar, "http://www.example.com/shop/cart");
    assert!(header.is_some());
    jar.sync().expect("no write failed");

    // Another open of the same database, while the first is still open, sees all of it.
    assert_eq!(reopened(&path, &clock), before);
    drop(jar);
    let again = open(&path, &clock);
    assert_eq!(
        contents(&again),
        before,
        "same cookies, same attributes, same order"
    );
    assert_eq!(sent(&again, "http://www.example.com/shop/cart"), header);
    let v1 = again
        .iter()
        .find(|c| c.name() == "v1")
        .expect("the RFC 2965 cookie");
    assert_eq!(
        (v1.version(), v1.port(), v1.comment(), v1.discard()),
        (Some(1), Some("80,8080"), Some("a comment"), true)
    );
}

#[test]
fn removals_persist() {
    let (_dir, path) = db_path();
    let clock = Arc::new(FixedClock::new(NOW));
    let jar = open(&path, &clock);
    set(
        &jar,
        "http://www.example.com/",
        &[
            ("Set-Cookie", "a=1; Max-Age=100"),
            ("Set-Cookie", "b=2; Max-Age=5000"),
            ("Set-Cookie", "c=3"),
            ("Set-Cookie", "d=4; Domain=.example.com; Max-Age=5000"),
        ],
    );
    set(
        &jar,
        "http://other.example.org/",
        &[("Set-Cookie", "e=5; Max-Age=5000")],
    );
    assert_eq!(jar.len(), 5);
    assert_eq!(reopened(&path, &clock), contents(&jar));

    // A response expiring a cookie.
    set(
        &jar,
        "http://www.example.com/",
        &[("Set-Cookie", "b=gone; Max-Age=0")],
    );
    assert_eq!(jar.len(), 4);
    assert_eq!(reopened(&path, &clock), contents(&jar));

    // clear_cookie, clear_domain.
    jar.clear_cookie("www.example.com", "/", "c")
        .expect("c is there");
    jar.clear_domain("other.example.org").expect("e is there");
    assert_eq!(jar.len(), 2);
    assert_eq!(reopened(&path, &clock), contents(&jar));

    // Expiry by time.
    clock.advance(200);
    jar.clear_expired_cookies();
    let names: Vec<String> = jar.iter().map(|c| c.name().to_owned()).collect();
    assert_eq!(names, ["d"]);
    assert_eq!(reopened(&path, &clock), contents(&jar));

    // Session cookies, then everything.
    set(
        &jar,
        "http://www.example.com/",
        &[("Set-Cookie", "s=session")],
    );
    jar.clear_session_cookies();
    assert_eq!(reopened(&path, &clock), contents(&jar));
    jar.clear();
    assert!(reopened(&path, &clock).is_empty());
    set(
        &jar,
        "http://www.example.com/",
        &[("Set-Cookie", "after=clear")],
    );
    assert_eq!(reopened(&path, &clock), contents(&jar));
    assert_eq!(jar.len(), 1);
    jar.sync().expect("no write failed");
}

#[test]
fn wal_mode_is_on_and_durability_can_change() {
    let (_dir, path) = db_path();
    let jar = SqliteCookieJar::open(&path).expect("open");
    assert_eq!(jar.path(), path);
    let conn = Connection::open(&path).expect("second connection");
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .expect("journal mode");
    assert_eq!(mode, "wal");
    let version: i64 = conn
        .query_row("SELECT version FROM schema_version", [], |r| r.get(0))
        .expect("schema version");
    assert_eq!(version, SqliteCookieJar::SCHEMA_VERSION);
    assert_eq!(jar.durability(), Durability::Full);
    jar.set_durability(Durability::Normal).expect("NORMAL");
    assert_eq!(jar.durability(), Durability::Normal);
    jar.set_cookie(Cookie::new("a", "1", ".example.com", "/"));
    jar.sync().expect("checkpoint");
    let rows: i64 = conn
        .query_row("SELECT count(*) FROM cookies", [], |r| r.get(0))
        .expect("count");
    assert_eq!(rows, 1);
}

#[test]
fn a_newer_schema_version_is_refused() {
    let (_dir, path) = db_path();
    drop(SqliteCookieJar::open(&path).expect("create"));
    let conn = Connection::open(&path).expect("connection");
    conn.execute("UPDATE schema_version SET version = 2", [])
        .expect("bump the version");
    drop(conn);
    match SqliteCookieJar::open(&path) {
        Err(Error::Load {
            line: 0, reason, ..
        }) => {
            assert!(reason.contains("schema version 2"), "{reason}");
        }
        other => panic!("expected a Load error, got {other:?}"),
    }
    let conn = Connection::open(&path).expect("connection");
    let version: i64 = conn
        .query_row("SELECT version FROM schema_version", [], |r| r.get(0))
        .expect("version");
    assert_eq!(version, 2, "the refused database is left alone");
}

#[test]
fn databases_that_are_not_ours_are_refused() {
    let (dir, path) = db_path();
    let conn = Connection::open(&path).expect("connection");
    conn.execute_batch("CREATE TABLE cookies (x)")
        .expect("foreign table");
    drop(conn);
    assert!(matches!(
        SqliteCookieJar::open(&path),
        Err(Error::Load { line: 0, .. })
    ));

    // An invalid row is reported with its record number.
    let path = dir.path().join("bad-row.db");
    let jar = SqliteCookieJar::open(&path).expect("create");
    jar.set_cookie(Cookie::new("a", "1", ".example.com", "/"));
    jar.set_cookie(Cookie::new("b", "2", ".example.com", "/"));
    drop(jar);
    let conn = Connection::open(&path).expect("connection");
    conn.execute(
        "UPDATE cookies SET nonstandard = '[oops' WHERE name = 'b'",
        [],
    )
    .expect("corrupt a row");
    drop(conn);
    match SqliteCookieJar::open(&path) {
        Err(Error::Load {
            line: 2, reason, ..
        }) => assert!(reason.contains("nonstandard"), "{reason}"),
        other => panic!("expected a Load error on record 2, got {other:?}"),
    }

    // A folder, a missing parent folder.
    assert!(matches!(
        SqliteCookieJar::open(dir.path()),
        Err(Error::Io { .. } | Error::Sqlite { .. })
    ));
    assert!(matches!(
        SqliteCookieJar::open(dir.path().join("missing/cookies.db")),
        Err(Error::Sqlite { .. })
    ));
}

/// Deterministic pseudo-random bytes (xorshift).
fn noise(len: usize, mut seed: u64) -> Vec<u8> {
    (0..len)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed.to_le_bytes()[0]
        })
        .collect()
}

#[test]
fn random_bytes_are_an_error_not_a_panic() {
    let dir = tempfile::tempdir().expect("temporary folder");
    for (i, len) in [1usize, 100, 4096, 65_536].into_iter().enumerate() {
        let path = dir.path().join(format!("noise{i}.db"));
        std::fs::write(&path, noise(len, 0x9E37_79B9_7F4A_7C15 + i as u64)).expect("write");
        assert!(
            matches!(SqliteCookieJar::open(&path), Err(Error::Sqlite { .. })),
            "{len} bytes"
        );
        assert!(import_firefox(&path).is_err());
    }
    // A real header followed by noise, and a truncated real database: errors or (for what
    // SQLite can still read) a jar; never a panic.
    let path = dir.path().join("header.db");
    let mut bytes = b"SQLite format 3\0".to_vec();
    bytes.extend(noise(8192, 7));
    std::fs::write(&path, bytes).expect("write");
    let _ = SqliteCookieJar::open(&path);
    let _ = import_firefox(&path);

    let path = dir.path().join("truncated.db");
    let jar = SqliteCookieJar::open(&path).expect("create");
    for i in 0..200 {
        jar.set_cookie(Cookie::new(
            &format!("c{i}"),
            &"v".repeat(100),
            ".example.com",
            "/",
        ));
    }
    drop(jar);
    let full = std::fs::read(&path).expect("read");
    for cut in [full.len() / 2, 100, 4096 + 10] {
        std::fs::write(&path, &full[..cut]).expect("truncate");
        let _ = SqliteCookieJar::open(&path);
    }
}

#[test]
fn write_errors_are_logged_remembered_and_reported_by_sync() {
    let (_dir, path) = db_path();
    let jar = SqliteCookieJar::open(&path).expect("open");
    jar.set_cookie(Cookie::new("a", "1", ".example.com", "/"));
    assert_eq!(jar.last_error(), None);
    Connection::open(&path)
        .expect("connection")
        .execute_batch("DROP TABLE cookies")
        .expect("sabotage");
    jar.set_cookie(Cookie::new("b", "2", ".example.com", "/"));
    assert_eq!(jar.len(), 2, "the jar itself goes on");
    let message = jar.last_error().expect("an error is remembered");
    assert!(message.contains("cookies"), "{message}");
    assert!(matches!(jar.sync(), Err(Error::Sqlite { .. })));
    assert_eq!(jar.last_error(), None, "sync reported it");
    jar.sync().expect("nothing more to report");
}

#[test]
fn opening_around_a_jar_merges_and_follows_its_policy() {
    let (_dir, path) = db_path();
    let clock = Arc::new(FixedClock::new(NOW));
    let jar = open(&path, &clock);
    set(
        &jar,
        "http://www.example.com/",
        &[
            ("Set-Cookie", "short=1; Max-Age=10"),
            ("Set-Cookie", "long=2; Max-Age=9999"),
        ],
    );
    drop(jar);

    // A jar that already holds a cookie: it is written to the database.
    let base = cookielib_jar(&clock);
    base.set_cookie(Cookie::new("pre", "0", ".example.net", "/"));
    let jar = SqliteCookieJar::open_with_jar(&path, base).expect("open around a jar");
    assert_eq!(jar.len(), 3);
    drop(jar);
    assert_eq!(reopened(&path, &clock).len(), 3);

    // The browser policy drops expired cookies on loading: the database follows.
    clock.advance(100);
    let browser =
        CookieJar::with_policy(BrowserCookiePolicy::default()).with_clock(Arc::clone(&clock));
    let jar = SqliteCookieJar::open_with_jar(&path, browser).expect("open with the browser policy");
    let mut names: Vec<String> = jar.iter().map(|c| c.name().to_owned()).collect();
    names.sort();
    assert_eq!(names, ["long", "pre"]);
    drop(jar);
    let names: Vec<String> = open(&path, &clock)
        .iter()
        .map(|c| c.name().to_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(!names.contains(&"short".to_owned()));
}

const CRASH_CHILD_ENV: &str = "COOKIEJAR_SQLITE_CRASH_CHILD_DB";

/// The child half of the crash test: does nothing unless the parent set the variable.
#[test]
fn crash_child_process() {
    let Some(db) = std::env::var_os(CRASH_CHILD_ENV) else {
        return;
    };
    let jar = SqliteCookieJar::open(PathBuf::from(db)).expect("child opens the jar");
    let mut out = std::io::stdout().lock();
    for i in 0..100_000u32 {
        set(
            &jar,
            "http://www.example.com/",
            &[("Set-Cookie", &format!("c{i}=v{i}; Max-Age=86400"))],
        );
        // Printed only once extract_cookies has returned.
        writeln!(out, "stored {i}").expect("parent reads");
        out.flush().expect("parent reads");
    }
}

/// The index in a "stored N" line (the test harness may print its own text before it).
fn stored_index(line: &str) -> Option<u32> {
    let at = line.find("stored ")?;
    line[at + "stored ".len()..].trim().parse().ok()
}

#[test]
fn the_sqlite_jar_survives_a_process_killed_between_two_extract_cookies_calls() {
    let (_dir, path) = db_path();
    let mut child = Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "--exact",
            "crash_child_process",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CRASH_CHILD_ENV, &path)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn the child");
    let stdout = child.stdout.take().expect("piped stdout");
    let mut lines = BufReader::new(stdout).lines();
    let mut stored = Vec::new();
    while stored.len() < 40 {
        let line = lines
            .next()
            .expect("the child stopped before storing 40 cookies")
            .expect("read the child's output");
        stored.extend(stored_index(&line));
    }
    child.kill().expect("kill the child");
    let status = child.wait().expect("reap the child");
    // Lines printed before the kill and not read yet count too.
    stored.extend(lines.map_while(Result::ok).filter_map(|l| stored_index(&l)));
    assert!(!status.success());
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(status.signal(), Some(9), "killed by SIGKILL");
    }

    assert_eq!(stored, (0..stored.len() as u32).collect::<Vec<_>>());
    let jar = SqliteCookieJar::open(&path).expect("the database opens after the kill");
    for i in &stored {
        let c = jar
            .iter()
            .find(|c| c.name() == format!("c{i}"))
            .unwrap_or_else(|| panic!("cookie c{i} was reported stored but is missing"));
        assert_eq!(c.value(), Some(format!("v{i}").as_str()));
    }
    // At most the one cookie being stored when the kill came is there without being printed.
    assert!(
        jar.len() <= stored.len() + 1,
        "{} cookies for {} printed",
        jar.len(),
        stored.len()
    );
}

// ---------------------------------------------------------------------------------------
// Firefox

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/files/firefox/cookies.sqlite")
}

/// The attributes Firefox keeps, for comparing.
type Brief = (
    String,
    Option<String>,
    String,
    String,
    Option<i64>,
    bool,
    bool,
    Option<SameSite>,
    i64,
    i64,
);

fn brief(c: &Cookie) -> Brief {
    (
        c.name().to_owned(),
        c.value().map(str::to_owned),
        c.domain().to_owned(),
        c.path().to_owned(),
        c.expires(),
        c.secure(),
        c.http_only(),
        c.same_site(),
        c.creation_time(),
        c.last_access_time(),
    )
}

#[allow(clippy::too_many_arguments)]
fn b(
    name: &str,
    value: &str,
    domain: &str,
    path: &str,
    expires: i64,
    secure: bool,
    http_only: bool,
    same_site: Option<SameSite>,
    created: i64,
    accessed: i64,
) -> Brief {
    (
        name.to_owned(),
        Some(value.to_owned()),
        domain.to_owned(),
        path.to_owned(),
        Some(expires),
        secure,
        http_only,
        same_site,
        created,
        accessed,
    )
}

const Y2100: i64 = 4_102_444_800;

#[test]
fn firefox_fixture_imports_every_cookie() {
    let cookies = import_firefox(&fixture()).expect("import the fixture");
    let got: Vec<Brief> = cookies.iter().map(brief).collect();
    assert_eq!(
        got,
        vec![
            b(
                "sid",
                "abc123",
                ".example.com",
                "/",
                Y2100,
                true,
                true,
                Some(SameSite::Lax),
                1_700_000_000,
                1_700_000_100
            ),
            b(
                "theme",
                "dark",
                "www.example.com",
                "/app",
                Y2100,
                false,
                false,
                None,
                1_700_000_200,
                1_700_000_200
            ),
            b(
                "cart",
                "3 cafés",
                "shop.example.org",
                "/",
                Y2100,
                true,
                false,
                Some(SameSite::Strict),
                1_700_000_300,
                1_700_000_300
            ),
            b(
                "track",
                "x",
                ".example.net",
                "/",
                Y2100,
                true,
                false,
                Some(SameSite::None),
                1_700_000_400,
                1_700_000_400
            ),
            b(
                "",
                "bare",
                "nameless.example.com",
                "/",
                Y2100,
                false,
                false,
                None,
                1_700_000_500,
                1_700_000_500
            ),
            b(
                "__Host-p",
                "1",
                "chips.example.com",
                "/",
                Y2100,
                true,
                true,
                Some(SameSite::None),
                1_700_000_600,
                1_700_000_600
            ),
            b(
                "old",
                "gone",
                ".example.com",
                "/",
                1_000_000_000,
                false,
                false,
                None,
                999_999_000,
                999_999_000
            ),
        ],
        "containers and third-party partitions are skipped"
    );
    for c in &cookies {
        assert_eq!(c.version(), Some(0));
        assert!(!c.discard() && !c.path_specified() && c.port().is_none() && c.comment().is_none());
        assert_eq!(c.domain_specified(), c.domain().starts_with('.'));
        assert_eq!(c.domain_initial_dot(), c.domain().starts_with('.'));
        assert_eq!(
            c.has_nonstandard_attr("Partitioned"),
            c.name() == "__Host-p"
        );
        assert_eq!(
            c.nonstandard_attrs().count(),
            usize::from(c.name() == "__Host-p")
        );
    }

    // Into a jar: domain and host-only cookies behave.
    let jar =
        CookieJar::with_policy(BrowserCookiePolicy::default()).with_clock(FixedClock::new(NOW));
    jar.set_cookies(cookies);
    assert_eq!(jar.len(), 6, "the browser policy drops the expired one");
    assert_eq!(
        sent(&jar, "https://www.example.com/app/x").as_deref(),
        Some("theme=dark; sid=abc123")
    );
    assert_eq!(
        sent(&jar, "https://example.com/").as_deref(),
        Some("sid=abc123")
    );
    assert_eq!(
        sent(&jar, "https://nameless.example.com/").as_deref(),
        Some("sid=abc123; bare")
    );
}

#[test]
fn older_firefox_schemas_import_too() {
    let dir = tempfile::tempdir().expect("temporary folder");
    // Schema 12 (Firefox 80–117): expiry in seconds, rawSameSite, no partition or update columns.
    let path = dir.path().join("v12.sqlite");
    let conn = Connection::open(&path).expect("create");
    conn.execute_batch(
        "PRAGMA user_version = 12;
         CREATE TABLE moz_cookies (id INTEGER PRIMARY KEY, originAttributes TEXT NOT NULL DEFAULT '',
            name TEXT, value TEXT, host TEXT, path TEXT, expiry INTEGER, lastAccessed INTEGER,
            creationTime INTEGER, isSecure INTEGER, isHttpOnly INTEGER,
            inBrowserElement INTEGER DEFAULT 0, sameSite INTEGER DEFAULT 0,
            rawSameSite INTEGER DEFAULT 0, schemeMap INTEGER DEFAULT 0,
            CONSTRAINT moz_uniqueid UNIQUE (name, host, path, originAttributes));
         INSERT INTO moz_cookies (originAttributes, name, value, host, path, expiry, lastAccessed,
            creationTime, isSecure, isHttpOnly, sameSite, rawSameSite, schemeMap) VALUES
            ('', 'laxdefault', '1', '.example.com', '/', 4102444800, 1700000000000000,
             1700000000000000, 0, 0, 1, 0, 1),
            ('', 'strict', '2', 'www.example.com', '/', 4102444800, 1700000000000000,
             1700000000000000, 1, 1, 2, 2, 2);",
    )
    .expect("legacy database");
    drop(conn);
    let got: Vec<Brief> = import_firefox(&path)
        .expect("import")
        .iter()
        .map(brief)
        .collect();
    assert_eq!(
        got,
        vec![
            b(
                "laxdefault",
                "1",
                ".example.com",
                "/",
                Y2100,
                false,
                false,
                None,
                NOW,
                NOW
            ),
            b(
                "strict",
                "2",
                "www.example.com",
                "/",
                Y2100,
                true,
                true,
                Some(SameSite::Strict),
                NOW,
                NOW
            ),
        ],
        "seconds, and the SameSite the server sent (rawSameSite)"
    );

    // No schema version at all: millisecond expiries are recognised by their size.
    let path = dir.path().join("unversioned.sqlite");
    let conn = Connection::open(&path).expect("create");
    conn.execute_batch(
        "CREATE TABLE moz_cookies (name TEXT, value TEXT, host TEXT, path TEXT, expiry INTEGER);
         INSERT INTO moz_cookies VALUES ('ms', 'a', 'h.example', '/', 4102444800000),
                                        ('s', 'b', 'h.example', '/', 4102444800),
                                        (NULL, NULL, 'h.example', NULL, NULL),
                                        ('nohost', 'c', NULL, '/', 1);",
    )
    .expect("minimal database");
    drop(conn);
    let got = import_firefox(&path).expect("import");
    let expiries: Vec<(&str, Option<i64>)> = got.iter().map(|c| (c.name(), c.expires())).collect();
    assert_eq!(
        expiries,
        [("ms", Some(Y2100)), ("s", Some(Y2100)), ("", None)]
    );
}

#[test]
fn firefox_import_errors_are_clear() {
    let dir = tempfile::tempdir().expect("temporary folder");
    assert!(matches!(
        import_firefox(&dir.path().join("missing.sqlite")),
        Err(Error::Io { .. })
    ));
    let ours = dir.path().join("ours.db");
    drop(SqliteCookieJar::open(&ours).expect("create"));
    match import_firefox(&ours) {
        Err(Error::Load { reason, .. }) => assert!(reason.contains("moz_cookies"), "{reason}"),
        other => panic!("expected a Load error, got {other:?}"),
    }
}

/// A jar's cookie as Firefox can hold it.
fn as_firefox_holds(c: &Cookie) -> Cookie {
    let (name, value) = match c.value() {
        Some(v) => (c.name().to_owned(), v.to_owned()),
        None => (String::new(), c.name().to_owned()),
    };
    let mut f = Cookie::new(&name, &value, c.domain(), c.path());
    f.set_domain_specified(c.domain().starts_with('.'));
    f.set_path_specified(false);
    f.set_expires(c.expires());
    f.set_discard(false);
    f.set_secure(c.secure());
    f.set_http_only(c.http_only());
    f.set_same_site(c.same_site());
    f.set_creation_time(c.creation_time());
    f.set_last_access_time(c.last_access_time());
    if c.has_nonstandard_attr("Partitioned") {
        f.set_nonstandard_attr("Partitioned", None);
    }
    f
}

#[test]
fn firefox_export_then_import_round_trips() {
    let clock = Arc::new(FixedClock::new(NOW));
    let jar = cookielib_jar(&clock);
    set(
        &jar,
        "https://www.example.com/a/b",
        &[
            (
                "Set-Cookie",
                "sid=1; Domain=.example.com; Path=/; Max-Age=3600; Secure; HttpOnly",
            ),
            ("Set-Cookie", "lax=2; Max-Age=3600; SameSite=Lax"),
            (
                "Set-Cookie",
                "strict=3; Max-Age=3600; SameSite=Strict; Path=/a",
            ),
            (
                "Set-Cookie",
                "none=4; Max-Age=3600; SameSite=None; Secure; Partitioned",
            ),
            ("Set-Cookie", "flag; Max-Age=3600"),
            ("Set-Cookie", "extra=5; Max-Age=3600; Priority=High"),
            ("Set-Cookie", "session=6"),
            (
                "Set-Cookie2",
                "v1=7; Version=1; Comment=c; Port=\"443\"; Max-Age=3600; Path=/a",
            ),
        ],
    );
    let cookies: Vec<Cookie> = jar.iter().collect();
    assert_eq!(cookies.len(), 8);
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("cookies.sqlite");
    export_firefox(&cookies, &path).expect("export");

    let conn = Connection::open(&path).expect("open the export");
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("user_version");
    assert_eq!(version, 17);
    let (expiry, same_site, scheme_map, partitioned): (i64, i64, i64, i64) = conn
        .query_row(
            "SELECT expiry, sameSite, schemeMap, isPartitionedAttributeSet FROM moz_cookies WHERE name = 'none'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .expect("the SameSite=None cookie");
    assert_eq!(
        (expiry, same_site, scheme_map, partitioned),
        ((NOW + 3600) * 1000, 0, 2, 1)
    );
    let unset: i64 = conn
        .query_row(
            "SELECT sameSite FROM moz_cookies WHERE name = 'sid'",
            [],
            |r| r.get(0),
        )
        .expect("sid");
    assert_eq!(unset, 256);
    drop(conn);

    let back: Vec<String> = import_firefox(&path)
        .expect("import")
        .iter()
        .map(|c| format!("{c:?}"))
        .collect();
    let want: Vec<String> = cookies
        .iter()
        .filter(|c| c.expires().is_some())
        .map(|c| format!("{:?}", as_firefox_holds(c)))
        .collect();
    assert_eq!(
        back, want,
        "equal but for what Firefox cannot hold; the session cookie is not written"
    );
    assert_eq!(back.len(), 7);
}

#[test]
fn firefox_export_replaces_a_database_and_its_stale_log() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("cookies.sqlite");
    std::fs::copy(fixture(), &path).expect("copy the fixture");
    // Leave a write-ahead log behind, as a crashed Firefox would.
    let conn = Connection::open(&path).expect("open");
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; DELETE FROM moz_cookies; PRAGMA wal_autocheckpoint = 0;",
    )
    .expect("WAL");
    conn.execute(
        "INSERT INTO moz_cookies (name, value, host, path, expiry) VALUES ('stale', 'x', 'h', '/', 1)",
        [],
    )
    .expect("insert");
    let wal = dir.path().join("cookies.sqlite-wal");
    let saved = std::fs::read(&wal).expect("the log exists");
    drop(conn);
    std::fs::write(&wal, saved).expect("restore the stale log");

    let mut c = Cookie::new("fresh", "1", "www.example.com", "/");
    c.set_expires(Some(Y2100));
    export_firefox(&[c], &path).expect("export over it");
    assert!(!wal.exists(), "the stale log is removed");
    let names: Vec<String> = import_firefox(&path)
        .expect("import")
        .iter()
        .map(|c| c.name().to_owned())
        .collect();
    assert_eq!(names, ["fresh"]);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(leftovers, ["cookies.sqlite"], "no temporary file left");
}

fn fixture_names() -> Vec<String> {
    import_firefox(&fixture())
        .expect("fixture")
        .iter()
        .map(|c| c.name().to_owned())
        .collect()
}

#[test]
fn firefox_import_reads_a_database_another_connection_holds_locked() {
    let dir = tempfile::tempdir().expect("temporary folder");

    // Rollback journal, an exclusive lock, and an uncommitted transaction big enough to
    // spill into the database file: the import sees the committed state.
    let path = dir.path().join("rollback.sqlite");
    std::fs::copy(fixture(), &path).expect("copy the fixture");
    let holder = Connection::open(&path).expect("holder");
    holder
        .execute_batch(
            "PRAGMA cache_size = 2; PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;
             DELETE FROM moz_cookies WHERE name = 'sid';",
        )
        .expect("lock");
    for i in 0..300 {
        holder
            .execute(
                "INSERT INTO moz_cookies (name, value, host, path, expiry) VALUES (?1, ?2, 'h', '/', 1)",
                (format!("uncommitted{i}"), "x".repeat(500)),
            )
            .expect("uncommitted insert");
    }
    assert!(
        dir.path().join("rollback.sqlite-journal").exists(),
        "a hot journal"
    );
    assert_eq!(
        import_firefox(&path)
            .expect("import while locked")
            .iter()
            .map(|c| c.name().to_owned())
            .collect::<Vec<_>>(),
        fixture_names()
    );
    holder.execute_batch("ROLLBACK").expect("rollback");
    drop(holder);

    // Write-ahead log with exclusive locking (no shared memory): the committed changes that
    // are only in the log are seen.
    let path = dir.path().join("wal.sqlite");
    std::fs::copy(fixture(), &path).expect("copy the fixture");
    let holder = Connection::open(&path).expect("holder");
    holder
        .execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA locking_mode = EXCLUSIVE; PRAGMA wal_autocheckpoint = 0;
             INSERT INTO moz_cookies (name, value, host, path, expiry) VALUES ('walonly', 'w', 'h.example', '/', 4102444800000);",
        )
        .expect("lock and commit");
    let names: Vec<String> = import_firefox(&path)
        .expect("import while locked")
        .iter()
        .map(|c| c.name().to_owned())
        .collect();
    let mut want = fixture_names();
    want.push("walonly".to_owned());
    assert_eq!(names, want);
    drop(holder);
}

// ---------------------------------------------------------------------------------------
// Property: any jar goes through the database unchanged.

fn text() -> impl Strategy<Value = String> {
    prop_oneof![".{0,6}", "[a-z]{0,4}", Just(String::new())]
}

fn cookie() -> impl Strategy<Value = Cookie> {
    let scope = (
        prop_oneof![
            Just("example.com".to_owned()),
            Just(".example.com".to_owned()),
            text()
        ],
        prop_oneof![Just("/".to_owned()), text()],
        text(),
        proptest::option::of(text()),
    );
    let rare = (
        proptest::option::of(0u32..3),
        proptest::option::of(text()),
        proptest::option::of(text()),
        proptest::option::of(text()),
        prop::collection::vec((text(), proptest::option::of(text())), 0..3),
        proptest::option::of(prop_oneof![
            Just(SameSite::Strict),
            Just(SameSite::Lax),
            Just(SameSite::None)
        ]),
    );
    let plain = (
        any::<[bool; 9]>(),
        proptest::option::of(any::<i64>()),
        any::<i64>(),
        any::<i64>(),
    );
    (scope, rare, plain).prop_map(
        |(
            (domain, path, name, value),
            (version, port, comment, comment_url, rest, same_site),
            (flags, expires, created, accessed),
        )| {
            let mut c = Cookie::new(&name, "", &domain, &path);
            c.set_value(value.as_deref());
            c.set_version(version);
            c.set_port(port.as_deref());
            c.set_comment(comment.as_deref());
            c.set_comment_url(comment_url.as_deref());
            for (k, v) in &rest {
                c.set_nonstandard_attr(k, v.as_deref());
            }
            c.set_same_site(same_site);
            let [a, b, d, e, f, g, h, i, j] = flags;
            c.set_port_specified(a);
            c.set_domain_specified(b);
            c.set_domain_initial_dot(d);
            c.set_path_specified(e);
            c.set_secure(f);
            c.set_discard(g);
            c.set_rfc2109(h);
            c.set_http_only(i);
            if j {
                c.set_expires(expires);
            }
            c.set_creation_time(created);
            c.set_last_access_time(accessed);
            c
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn any_jar_comes_back_equal(
        first in prop::collection::vec(cookie(), 0..12),
        second in prop::collection::vec(cookie(), 0..6),
        removals in prop::collection::vec(any::<prop::sample::Index>(), 0..4),
    ) {
        let (_dir, path) = db_path();
        let clock = Arc::new(FixedClock::new(NOW));
        let jar = SqliteCookieJar::open_with_jar(&path, CookieJar::new().with_clock(Arc::clone(&clock)))
            .expect("open");
        jar.set_durability(Durability::Normal).expect("faster for the test");
        jar.set_cookies(first.clone());
        for c in &second {
            jar.set_cookie(c.clone());
        }
        if !first.is_empty() {
            for r in &removals {
                let c = &first[r.index(first.len())];
                let _ = jar.clear_cookie(c.domain(), c.path(), c.name());
            }
        }
        jar.sync().expect("no write failed");
        let before = sorted(contents(&jar));
        drop(jar);
        let again = SqliteCookieJar::open_with_jar(&path, CookieJar::new().with_clock(Arc::clone(&clock)))
            .expect("reopen");
        prop_assert_eq!(sorted(contents(&again)), before);
    }
}
