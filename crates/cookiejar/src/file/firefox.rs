//! Firefox's cookie store, `cookies.sqlite` (table `moz_cookies`): importing its cookies, and
//! writing cookies in its format.
//!
//! The layout follows Firefox's `netwerk/cookie/CookiePersistentStorage.cpp`, schema version
//! 17 (`PRAGMA user_version`): times in microseconds since the epoch, the expiry in
//! milliseconds (seconds before schema 16), `sameSite` 0 = None, 1 = Lax, 2 = Strict,
//! 256 = not given (`nsICookie::SAMESITE_*`; before schema 15 the attribute as sent was in
//! `rawSameSite`, where "None" and "not given" were both 0). A `host` with a leading dot is a
//! domain cookie, one without is host-only, exactly as this crate's domain keys.

use std::collections::HashSet;
use std::fs;
use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension, params};

use crate::cookie::{Cookie, SameSite};
use crate::error::{Error, Result};
use crate::file::sqlite::check_header;
use crate::file::warn_dropped;

const FORMAT: &str = "Firefox cookies.sqlite";

/// The schema version written, `COOKIES_SCHEMA_VERSION` in Firefox.
const SCHEMA_VERSION: i64 = 17;

/// From this schema version on, `expiry` is in milliseconds.
const EXPIRY_IN_MS_SINCE: i64 = 16;

/// From this schema version on, `sameSite` holds the attribute as sent (256 = not given).
const RAW_SAME_SITE_DROPPED_IN: i64 = 15;

const SAMESITE_NONE: i64 = 0;
const SAMESITE_LAX: i64 = 1;
const SAMESITE_STRICT: i64 = 2;
const SAMESITE_UNSET: i64 = 256;

const SCHEME_HTTP: i64 = 0x01;
const SCHEME_HTTPS: i64 = 0x02;

/// How long to wait for a lock held by a running Firefox before reading a copy instead.
const BUSY_TIMEOUT: Duration = Duration::from_millis(200);

const CREATE_TABLE: &str = "CREATE TABLE moz_cookies (\
    id INTEGER PRIMARY KEY, \
    originAttributes TEXT NOT NULL DEFAULT '', \
    name TEXT, \
    value TEXT, \
    host TEXT, \
    path TEXT, \
    expiry INTEGER, \
    lastAccessed INTEGER, \
    creationTime INTEGER, \
    isSecure INTEGER, \
    isHttpOnly INTEGER, \
    inBrowserElement INTEGER DEFAULT 0, \
    sameSite INTEGER DEFAULT 0, \
    schemeMap INTEGER DEFAULT 0, \
    isPartitionedAttributeSet INTEGER DEFAULT 0, \
    updateTime INTEGER, \
    CONSTRAINT moz_uniqueid UNIQUE (name, host, path, originAttributes))";

/// Reads the cookies of a Firefox profile's `cookies.sqlite`.
///
/// The database is opened read only. A running Firefox may hold it locked; the file (with
/// its write-ahead log or rollback journal) is then copied to a private temporary folder and
/// the copy is read, which gives the last committed state. Only cookies of the default
/// context are returned: those with an empty `originAttributes` (containers, private
/// browsing and partitioned third-party cookies are skipped, and counted at INFO).
///
/// The cookies come back as Firefox keeps them, in the jar's model: version 0, not
/// discarded (Firefox stores only persistent cookies), `domain_specified` and
/// `domain_initial_dot` set for domain cookies, `path_specified` false (as cookielib's
/// `MozillaCookieJar` assumes), HttpOnly, SameSite, creation and last-access times (to the
/// second), and `isPartitionedAttributeSet` as the non-standard attribute `Partitioned`.
/// A nameless cookie (`Set-Cookie: foo`) stays as Firefox and the browser policy hold it:
/// empty name, value `foo`.
///
/// Errors: [`Error::Io`] when the file does not exist, [`Error::Sqlite`] when it is not a
/// readable SQLite database, [`Error::Load`] when it has no usable `moz_cookies` table.
///
/// ```
/// use cookiejar::file::{export_firefox, import_firefox};
/// use cookiejar::{Cookie, CookieJar, CookieRequest};
///
/// # let dir = tempfile::tempdir().unwrap();
/// # let path = dir.path().join("cookies.sqlite");
/// # let mut c = Cookie::new("sid", "42", ".example.com", "/");
/// # c.set_expires(Some(4_102_444_800));
/// # c.set_discard(false);
/// # export_firefox(&[c], &path).unwrap();
/// // `path` is a profile's cookies.sqlite, e.g. ~/.mozilla/firefox/xyz.default/cookies.sqlite
/// let jar = CookieJar::new();
/// jar.set_cookies(import_firefox(&path).unwrap());
///
/// let mut request = http::Request::get("https://www.example.com/").body(()).unwrap();
/// jar.add_cookie_header(&mut request);
/// assert_eq!(request.header("Cookie").as_deref(), Some("sid=42"));
/// ```
pub fn import_firefox(path: &Path) -> Result<Vec<Cookie>> {
    fs::metadata(path).map_err(|e| Error::io("read", path, e))?;
    check_header(path)?;
    match read_direct(path) {
        Err(Error::Sqlite { source, .. }) if is_lock_error(&source) => {
            tracing::debug!(
                path = %path.display(),
                error = %source,
                "Firefox cookie database locked (is Firefox running?); reading a copy"
            );
            read_copy(path)
        }
        other => other,
    }
}

fn is_lock_error(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(
            ErrorCode::DatabaseBusy
                | ErrorCode::DatabaseLocked
                | ErrorCode::CannotOpen
                | ErrorCode::ReadOnly
        )
    )
}

fn read_direct(path: &Path) -> Result<Vec<Cookie>> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| Error::sqlite(path, e))?;
    conn.busy_timeout(BUSY_TIMEOUT)
        .map_err(|e| Error::sqlite(path, e))?;
    read(&conn, path)
}

/// Copies the database and its journal or write-ahead log into a private temporary folder
/// and reads the copy: opening it recovers the last committed state.
fn read_copy(path: &Path) -> Result<Vec<Cookie>> {
    let dir =
        tempfile::tempdir().map_err(|e| Error::io("create a temporary folder to copy", path, e))?;
    let copy = dir.path().join("cookies.sqlite");
    fs::copy(path, &copy).map_err(|e| Error::io("copy", path, e))?;
    for suffix in ["-wal", "-journal"] {
        let mut side = path.as_os_str().to_owned();
        side.push(suffix);
        let mut side_copy = copy.as_os_str().to_owned();
        side_copy.push(suffix);
        match fs::copy(&side, &side_copy) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io("copy", Path::new(&side), e)),
        }
    }
    let conn = Connection::open(&copy).map_err(|e| Error::sqlite(path, e))?;
    read(&conn, path)
}

/// How to read `expiry`.
#[derive(Clone, Copy)]
enum ExpiryUnit {
    Seconds,
    Millis,
    /// No schema version: values too large for seconds (after the year 5138) are ms.
    Guess,
}

impl ExpiryUnit {
    fn to_seconds(self, expiry: i64) -> i64 {
        let millis = match self {
            ExpiryUnit::Seconds => false,
            ExpiryUnit::Millis => true,
            ExpiryUnit::Guess => expiry > 100_000_000_000,
        };
        if millis {
            expiry.div_euclid(1000)
        } else {
            expiry
        }
    }
}

fn read(conn: &Connection, path: &Path) -> Result<Vec<Cookie>> {
    let sql = |e: rusqlite::Error| Error::sqlite(path, e);
    let exists = conn
        .query_row(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'moz_cookies'",
            [],
            |_| Ok(()),
        )
        .optional()
        .map_err(sql)?
        .is_some();
    if !exists {
        return Err(Error::load(
            path,
            0,
            "no moz_cookies table: not a Firefox cookies.sqlite",
        ));
    }
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(sql)?;
    let mut columns = HashSet::new();
    conn.pragma(None, "table_info", "moz_cookies", |r| {
        columns.insert(r.get::<_, String>(1)?);
        Ok(())
    })
    .map_err(sql)?;
    for required in ["name", "value", "host", "path", "expiry"] {
        if !columns.contains(required) {
            return Err(Error::load(
                path,
                0,
                format!("moz_cookies has no {required} column"),
            ));
        }
    }
    let col = |name: &str, default: &str| {
        if columns.contains(name) {
            name.to_owned()
        } else {
            default.to_owned()
        }
    };
    let raw_same_site = columns.contains("rawSameSite") && version < RAW_SAME_SITE_DROPPED_IN;
    let same_site_col = if raw_same_site {
        col("rawSameSite", "NULL")
    } else {
        col("sameSite", "NULL")
    };
    let order = if columns.contains("id") {
        "id"
    } else {
        "rowid"
    };
    let query = format!(
        "SELECT name, value, host, path, expiry, {}, {}, {}, {}, {same_site_col}, {}, {} \
         FROM moz_cookies ORDER BY {order}",
        col("lastAccessed", "NULL"),
        col("creationTime", "NULL"),
        col("isSecure", "0"),
        col("isHttpOnly", "0"),
        col("originAttributes", "''"),
        col("isPartitionedAttributeSet", "0"),
    );
    let unit = if version >= EXPIRY_IN_MS_SINCE {
        ExpiryUnit::Millis
    } else if version > 0 {
        ExpiryUnit::Seconds
    } else {
        ExpiryUnit::Guess
    };

    let mut stmt = conn.prepare(&query).map_err(sql)?;
    let mut rows = stmt.query([]).map_err(sql)?;
    let mut cookies = Vec::new();
    let mut other_contexts = 0usize;
    while let Some(row) = rows.next().map_err(sql)? {
        let origin_attributes: Option<String> = row.get(10).map_err(sql)?;
        if origin_attributes.as_deref().is_some_and(|a| !a.is_empty()) {
            other_contexts += 1;
            continue;
        }
        let name: Option<String> = row.get(0).map_err(sql)?;
        let value: Option<String> = row.get(1).map_err(sql)?;
        let host: Option<String> = row.get(2).map_err(sql)?;
        let cookie_path: Option<String> = row.get(3).map_err(sql)?;
        let Some(host) = host.filter(|h| !h.is_empty()) else {
            tracing::debug!(path = %path.display(), "Firefox cookie without a host skipped");
            continue;
        };
        let mut c = Cookie::new(
            name.as_deref().unwrap_or(""),
            value.as_deref().unwrap_or(""),
            &host,
            cookie_path.as_deref().unwrap_or("/"),
        );
        c.set_domain_specified(host.starts_with('.'));
        c.set_path_specified(false);
        c.set_expires(
            row.get::<_, Option<i64>>(4)
                .map_err(sql)?
                .map(|e| unit.to_seconds(e)),
        );
        c.set_discard(c.expires().is_none());
        let micros = |i: usize| -> rusqlite::Result<i64> {
            Ok(row
                .get::<_, Option<i64>>(i)?
                .unwrap_or(0)
                .div_euclid(1_000_000))
        };
        c.set_last_access_time(micros(5).map_err(sql)?);
        c.set_creation_time(micros(6).map_err(sql)?);
        c.set_secure(row.get::<_, Option<i64>>(7).map_err(sql)?.unwrap_or(0) != 0);
        c.set_http_only(row.get::<_, Option<i64>>(8).map_err(sql)?.unwrap_or(0) != 0);
        let same_site: Option<i64> = row.get(9).map_err(sql)?;
        c.set_same_site(match same_site {
            Some(SAMESITE_NONE) if raw_same_site => None,
            Some(SAMESITE_NONE) => Some(SameSite::None),
            Some(SAMESITE_LAX) => Some(SameSite::Lax),
            Some(SAMESITE_STRICT) => Some(SameSite::Strict),
            _ => None,
        });
        if row.get::<_, Option<i64>>(11).map_err(sql)?.unwrap_or(0) != 0 {
            c.set_nonstandard_attr("Partitioned", None);
        }
        cookies.push(c);
    }
    if other_contexts > 0 {
        tracing::info!(
            path = %path.display(),
            skipped = other_contexts,
            "Firefox cookies of containers, private windows or third-party partitions skipped"
        );
    }
    Ok(cookies)
}

/// Writes `cookies` as a Firefox `cookies.sqlite` (schema version 17) at `path`, replacing
/// the file atomically: the database is built in a temporary file in the same folder, then
/// renamed over `path` (stale `-wal`, `-shm` and `-journal` files of the replaced database
/// are removed). Firefox must not be running on that profile.
///
/// Firefox keeps only persistent cookies: session cookies (no expiry) are not written.
/// What it cannot hold is dropped, each with a `tracing` WARN naming the cookies: comment,
/// comment URL, port, a version above 0 and the RFC 2109 mark, the discard flag of a cookie
/// with an expiry, and non-standard attributes (except `Partitioned`, which is Firefox's
/// `isPartitionedAttributeSet`). A cookielib bare name (`foo` with no value) is written as
/// Firefox writes `Set-Cookie: foo`: an empty name with value `foo`. Cookies with the same
/// domain, path and name: the last one wins. `schemeMap` is HTTPS for secure cookies and
/// HTTP|HTTPS for the others; `updateTime` is the last-access time.
///
/// ```
/// use cookiejar::file::{export_firefox, import_firefox};
/// use cookiejar::{Cookie, CookieJar, SameSite};
///
/// let jar = CookieJar::new();
/// let mut c = Cookie::new("sid", "42", "www.example.com", "/");
/// c.set_expires(Some(4_102_444_800));
/// c.set_discard(false);
/// c.set_same_site(Some(SameSite::Lax));
/// jar.set_cookie(c);
///
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("cookies.sqlite");
/// export_firefox(&jar.iter().collect::<Vec<_>>(), &path).unwrap();
///
/// let back = import_firefox(&path).unwrap();
/// assert_eq!(back.len(), 1);
/// assert_eq!((back[0].name(), back[0].domain()), ("sid", "www.example.com"));
/// assert_eq!(back[0].same_site(), Some(SameSite::Lax));
/// ```
pub fn export_firefox(cookies: &[Cookie], path: &Path) -> Result<()> {
    let (persistent, session): (Vec<&Cookie>, Vec<&Cookie>) =
        cookies.iter().partition(|c| c.expires().is_some());
    if !session.is_empty() {
        let names: Vec<String> = session
            .iter()
            .map(|c| format!("{}@{}{}", c.name(), c.domain(), c.path()))
            .collect();
        tracing::warn!(
            format = FORMAT,
            cookies = %names.join(", "),
            "session cookies not written: Firefox stores only persistent cookies"
        );
    }
    warn_dropped(
        FORMAT,
        "comment",
        persistent.iter().copied().filter(|c| c.comment().is_some()),
    );
    warn_dropped(
        FORMAT,
        "comment URL",
        persistent
            .iter()
            .copied()
            .filter(|c| c.comment_url().is_some()),
    );
    warn_dropped(
        FORMAT,
        "port",
        persistent
            .iter()
            .copied()
            .filter(|c| c.port().is_some() || c.port_specified()),
    );
    warn_dropped(
        FORMAT,
        "version",
        persistent
            .iter()
            .copied()
            .filter(|c| c.version() != Some(0) || c.rfc2109()),
    );
    warn_dropped(
        FORMAT,
        "discard",
        persistent.iter().copied().filter(|c| c.discard()),
    );
    warn_dropped(
        FORMAT,
        "non-standard attributes",
        persistent.iter().copied().filter(|c| {
            c.nonstandard_attrs()
                .any(|(k, _)| !k.eq_ignore_ascii_case("partitioned"))
        }),
    );

    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let tmp = tempfile::Builder::new()
        .prefix(".cookiejar-")
        .suffix(".sqlite.tmp")
        .tempfile_in(dir)
        .map_err(|e| Error::io("create a temporary file for", path, e))?
        .into_temp_path();
    write_database(&tmp, &persistent).map_err(|e| Error::sqlite(path, e))?;
    fs::File::open(&tmp)
        .and_then(|f| f.sync_all())
        .map_err(|e| Error::io("sync", path, e))?;
    tmp.persist(path)
        .map_err(|e| Error::io("replace", path, e.error))?;
    // Side files of the replaced database would be applied to the new one on opening.
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut side = path.as_os_str().to_owned();
        side.push(suffix);
        match fs::remove_file(&side) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io("remove", Path::new(&side), e)),
        }
    }
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

fn micros(seconds: i64) -> i64 {
    seconds.saturating_mul(1_000_000)
}

fn write_database(path: &Path, cookies: &[&Cookie]) -> rusqlite::Result<()> {
    let mut conn = Connection::open(path)?;
    conn.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    let tx = conn.transaction()?;
    tx.execute_batch(CREATE_TABLE)?;
    {
        let mut insert = tx.prepare(
            "INSERT OR REPLACE INTO moz_cookies (originAttributes, name, value, host, path, \
             expiry, lastAccessed, creationTime, isSecure, isHttpOnly, inBrowserElement, \
             sameSite, schemeMap, isPartitionedAttributeSet, updateTime) \
             VALUES ('', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 0, ?10, ?11, ?12, ?13)",
        )?;
        for c in cookies {
            let (name, value) = match c.value() {
                Some(v) => (c.name(), v),
                None => ("", c.name()),
            };
            let same_site = match c.same_site() {
                None => SAMESITE_UNSET,
                Some(SameSite::None) => SAMESITE_NONE,
                Some(SameSite::Lax) => SAMESITE_LAX,
                Some(SameSite::Strict) => SAMESITE_STRICT,
            };
            let scheme_map = if c.secure() {
                SCHEME_HTTPS
            } else {
                SCHEME_HTTP | SCHEME_HTTPS
            };
            insert.execute(params![
                name,
                value,
                c.domain(),
                c.path(),
                c.expires().map(|e| e.saturating_mul(1000)),
                micros(c.last_access_time()),
                micros(c.creation_time()),
                c.secure(),
                c.http_only(),
                same_site,
                scheme_map,
                c.has_nonstandard_attr("Partitioned"),
                micros(c.last_access_time()),
            ])?;
        }
    }
    tx.commit()?;
    conn.close().map_err(|(_, e)| e)
}
