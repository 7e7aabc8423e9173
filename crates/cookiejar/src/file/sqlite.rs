//! `SqliteCookieJar`: a jar that writes every change to a SQLite database as it happens, the
//! modern form of cookielib's `BSDDBCookieJar`, for long-running programs and large jars.
//!
//! The jar reports each operation's changes as one batch ([`ChangeListener`]), under its lock;
//! the database applies each batch in one transaction before the operation returns. So once
//! `extract_cookies` (or any other jar method) has returned, its changes are committed.

use std::collections::HashMap;
use std::fmt;
use std::io::Read;
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};

use crate::cookie::{Cookie, SameSite};
use crate::error::{Error, Result};
use crate::jar::CookieJar;
use crate::listener::{Change, ChangeListener};

/// How long a statement waits for another connection's lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Version 1 of the database. Every attribute a [`Cookie`] has gets a column; `seq` keeps the
/// jar's insertion order across reopening (an update keeps the row's `seq`).
const SCHEMA_V1: &str = "
CREATE TABLE schema_version (version INTEGER NOT NULL);
INSERT INTO schema_version (version) VALUES (1);
CREATE TABLE cookies (
    domain             TEXT    NOT NULL,
    path               TEXT    NOT NULL,
    name               TEXT    NOT NULL,
    value              TEXT,
    version            INTEGER CHECK (version >= 0),
    port               TEXT,
    port_specified     INTEGER NOT NULL CHECK (port_specified IN (0, 1)),
    domain_specified   INTEGER NOT NULL CHECK (domain_specified IN (0, 1)),
    domain_initial_dot INTEGER NOT NULL CHECK (domain_initial_dot IN (0, 1)),
    path_specified     INTEGER NOT NULL CHECK (path_specified IN (0, 1)),
    secure             INTEGER NOT NULL CHECK (secure IN (0, 1)),
    expires            INTEGER,
    discard            INTEGER NOT NULL CHECK (discard IN (0, 1)),
    comment            TEXT,
    comment_url        TEXT,
    rfc2109            INTEGER NOT NULL CHECK (rfc2109 IN (0, 1)),
    http_only          INTEGER NOT NULL CHECK (http_only IN (0, 1)),
    same_site          TEXT    CHECK (same_site IN ('Strict', 'Lax', 'None')),
    creation_time      INTEGER NOT NULL,
    last_access_time   INTEGER NOT NULL,
    nonstandard        TEXT    NOT NULL DEFAULT '[]',
    seq                INTEGER NOT NULL,
    PRIMARY KEY (domain, path, name)
);
CREATE INDEX cookies_seq ON cookies (seq);
";

const COLUMNS: &str = "domain, path, name, value, version, port, port_specified, \
    domain_specified, domain_initial_dot, path_specified, secure, expires, discard, comment, \
    comment_url, rfc2109, http_only, same_site, creation_time, last_access_time, nonstandard, seq";

const UPSERT: &str = "INSERT INTO cookies (domain, path, name, value, version, port, \
    port_specified, domain_specified, domain_initial_dot, path_specified, secure, expires, \
    discard, comment, comment_url, rfc2109, http_only, same_site, creation_time, \
    last_access_time, nonstandard, seq) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, \
    ?19, ?20, ?21, ?22) \
    ON CONFLICT (domain, path, name) DO UPDATE SET value = excluded.value, \
    version = excluded.version, port = excluded.port, port_specified = excluded.port_specified, \
    domain_specified = excluded.domain_specified, \
    domain_initial_dot = excluded.domain_initial_dot, \
    path_specified = excluded.path_specified, secure = excluded.secure, \
    expires = excluded.expires, discard = excluded.discard, comment = excluded.comment, \
    comment_url = excluded.comment_url, rfc2109 = excluded.rfc2109, \
    http_only = excluded.http_only, same_site = excluded.same_site, \
    creation_time = excluded.creation_time, last_access_time = excluded.last_access_time, \
    nonstandard = excluded.nonstandard";

const DELETE: &str = "DELETE FROM cookies WHERE domain = ?1 AND path = ?2 AND name = ?3";

/// How hard the [`SqliteCookieJar`] works to keep committed changes through a crash: SQLite's
/// `synchronous` setting, in write-ahead-log mode.
///
/// Both levels keep every committed change when the *process* dies (a panic, `SIGKILL`, an
/// out-of-memory kill): a commit has reached the operating system before the jar method
/// returns. They differ when the *machine* stops (power loss, kernel crash).
///
/// ```
/// use cookiejar::file::{Durability, SqliteCookieJar};
///
/// let dir = tempfile::tempdir().unwrap();
/// let jar = SqliteCookieJar::open(dir.path().join("cookies.db")).unwrap();
/// assert_eq!(jar.durability(), Durability::Full);
/// // A crawler storing thousands of cookies a second may trade the last few changes
/// // before a power cut for not waiting on the disk at every change:
/// jar.set_durability(Durability::Normal).unwrap();
/// assert_eq!(jar.durability(), Durability::Normal);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Durability {
    /// `synchronous=FULL` (the default): the write-ahead log is flushed to the disk
    /// (`fsync`) at every commit, so a change survives power loss too. Costs one flush per
    /// jar operation that changes something (typically well under a millisecond to a few
    /// milliseconds); operations that change nothing cost nothing.
    #[default]
    Full,
    /// `synchronous=NORMAL`: no flush per commit; the log is flushed at checkpoints. The
    /// database stays consistent, but the latest changes may be lost on power loss or an
    /// operating-system crash. [`SqliteCookieJar::sync`] forces a checkpoint.
    Normal,
}

impl Durability {
    fn pragma(self) -> &'static str {
        match self {
            Durability::Full => "FULL",
            Durability::Normal => "NORMAL",
        }
    }
}

/// A [`CookieJar`] whose contents live in a SQLite database, written as they change:
/// cookielib's `BSDDBCookieJar`, for long-running programs and large jars.
///
/// It derefs to its jar, so it behaves exactly as an ordinary jar (same policy, same
/// lookups). Opening loads every row; after that, each jar operation that changes the jar
/// (storing from a response, expiring, clearing, evicting) is written in **one transaction**
/// before the operation returns, so a crash loses nothing a jar method had already stored.
/// Nothing needs saving: there is no `save`.
///
/// - The database is in write-ahead-log mode; see [`Durability`] for what survives a crash
///   (the default flushes every commit to the disk).
/// - Every attribute of a [`Cookie`] is kept (name, value or its absence, version, port,
///   the `*_specified` flags, secure, expiry, discard, comment, comment URL, RFC 2109,
///   HttpOnly, SameSite, creation and last-access times, non-standard attributes in order),
///   and the jar's iteration order too. Last-access times are written when a cookie is
///   stored, not each time it is sent (the jar does not report reads).
/// - Session cookies are kept like the others: after a restart, call
///   [`clear_session_cookies`](CookieJar::clear_session_cookies) to start a new session.
/// - A write error cannot be returned by the jar method that caused it: it is logged at
///   ERROR through `tracing` and remembered; [`sync`](Self::sync) returns it.
/// - One jar per database: two jars (or processes) writing the same file do not see each
///   other's changes. Other programs may read the database meanwhile (`sqlite3 cookies.db`).
///
/// Schema (version 1, recorded in table `schema_version`; a database from a newer version
/// is refused):
///
/// ```sql
/// CREATE TABLE cookies (
///     domain TEXT NOT NULL, path TEXT NOT NULL, name TEXT NOT NULL,
///     value TEXT,                  -- NULL: a bare name (`Set-Cookie: foo`, cookielib)
///     version INTEGER,             -- NULL: a Set-Cookie2 cookie without Version
///     port TEXT, port_specified INTEGER NOT NULL,
///     domain_specified INTEGER NOT NULL, domain_initial_dot INTEGER NOT NULL,
///     path_specified INTEGER NOT NULL, secure INTEGER NOT NULL,
///     expires INTEGER,             -- seconds since the epoch; NULL: a session cookie
///     discard INTEGER NOT NULL, comment TEXT, comment_url TEXT,
///     rfc2109 INTEGER NOT NULL, http_only INTEGER NOT NULL,
///     same_site TEXT,              -- 'Strict', 'Lax', 'None' or NULL
///     creation_time INTEGER NOT NULL, last_access_time INTEGER NOT NULL,
///     nonstandard TEXT NOT NULL,   -- JSON: [["Priority","High"],["Partitioned",null]]
///     seq INTEGER NOT NULL,        -- insertion order
///     PRIMARY KEY (domain, path, name)
/// );
/// ```
///
/// ```
/// use cookiejar::file::SqliteCookieJar;
/// use cookiejar::{CookieJar, CookieRequest, DefaultCookiePolicy};
///
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("cookies.db");
///
/// let jar = SqliteCookieJar::open(&path).unwrap();
/// let request = http::Request::get("http://www.example.com/").body(()).unwrap();
/// let response = http::Response::builder()
///     .header("Set-Cookie", "sid=42; Domain=.example.com; Max-Age=3600")
///     .body(())
///     .unwrap();
/// jar.extract_cookies(&response, &request); // committed when this returns
/// jar.sync().unwrap(); // no write failed
/// drop(jar);
///
/// // Later, or after a crash: same cookies, with a policy of one's choosing.
/// let policy = DefaultCookiePolicy::default();
/// let jar = SqliteCookieJar::open_with_jar(&path, CookieJar::with_policy(policy)).unwrap();
/// let mut next = http::Request::get("http://shop.example.com/").body(()).unwrap();
/// jar.add_cookie_header(&mut next);
/// assert_eq!(next.header("Cookie").as_deref(), Some("sid=42"));
/// ```
pub struct SqliteCookieJar {
    jar: Arc<CookieJar>,
    store: Arc<SqliteStore>,
}

/// The listener: the connection, and the last write error.
struct SqliteStore {
    path: PathBuf,
    db: Mutex<Db>,
    error: Mutex<Option<Error>>,
    durability: Mutex<Durability>,
}

struct Db {
    conn: Connection,
    /// The `seq` the next new row gets.
    next_seq: i64,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .field("failed", &lock(&self.error).is_some())
            .finish()
    }
}

impl fmt::Debug for SqliteCookieJar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SqliteCookieJar")
            .field("path", &self.store.path)
            .field("jar", &self.jar)
            .finish()
    }
}

impl Deref for SqliteCookieJar {
    type Target = CookieJar;
    fn deref(&self) -> &CookieJar {
        &self.jar
    }
}

impl ChangeListener for SqliteStore {
    fn changes(&self, batch: &[Change]) {
        let mut db = lock(&self.db);
        if let Err(e) = db.apply(batch) {
            tracing::error!(
                path = %self.path.display(),
                error = %e,
                changes = batch.len(),
                "cookie database write failed: these jar changes are not stored"
            );
            *lock(&self.error) = Some(Error::sqlite(&self.path, e));
        }
    }
}

impl Db {
    /// Writes one batch in one transaction: all of it or nothing.
    fn apply(&mut self, batch: &[Change]) -> rusqlite::Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut seq = self.next_seq;
        {
            let mut upsert = tx.prepare_cached(UPSERT)?;
            let mut delete = tx.prepare_cached(DELETE)?;
            for change in batch {
                match change {
                    Change::Stored(c) => {
                        upsert_cookie(&mut upsert, c, seq)?;
                        seq += 1;
                    }
                    Change::Removed { domain, path, name } => {
                        delete.execute(params![domain, path, name])?;
                    }
                    Change::Cleared => {
                        tx.execute("DELETE FROM cookies", [])?;
                    }
                }
            }
        }
        tx.commit()?;
        self.next_seq = seq;
        Ok(())
    }
}

fn upsert_cookie(stmt: &mut rusqlite::Statement<'_>, c: &Cookie, seq: i64) -> rusqlite::Result<()> {
    stmt.execute(params![
        c.domain(),
        c.path(),
        c.name(),
        c.value(),
        c.version(),
        c.port(),
        c.port_specified(),
        c.domain_specified(),
        c.domain_initial_dot(),
        c.path_specified(),
        c.secure(),
        c.expires(),
        c.discard(),
        c.comment(),
        c.comment_url(),
        c.rfc2109(),
        c.http_only(),
        c.same_site().map(SameSite::as_str),
        c.creation_time(),
        c.last_access_time(),
        encode_attrs(c),
        seq,
    ])?;
    Ok(())
}

impl SqliteCookieJar {
    /// The schema version this crate writes, and the newest it reads.
    pub const SCHEMA_VERSION: i64 = 1;

    /// Opens (or creates) the database at `path` with a jar using the default policy and
    /// the system clock, and loads its cookies.
    ///
    /// Errors: [`Error::Sqlite`] when the file cannot be opened or is not a SQLite database,
    /// [`Error::Load`] when it is a database this jar cannot use (a newer schema version,
    /// another program's `cookies` table, a row with an invalid value).
    pub fn open(path: impl AsRef<Path>) -> Result<SqliteCookieJar> {
        SqliteCookieJar::open_with_jar(path, CookieJar::new())
    }

    /// Opens (or creates) the database at `path` around `jar`, to choose the policy and
    /// clock. The database's cookies are added to the jar's (replacing those with the same
    /// domain, path and name), then the database is made to match the jar: cookies the jar
    /// already held are written, and rows the jar refused on loading (the browser policy
    /// drops expired cookies and enforces its limits) are deleted.
    ///
    /// The jar's change listener, if it had one, is replaced.
    pub fn open_with_jar(path: impl AsRef<Path>, jar: CookieJar) -> Result<SqliteCookieJar> {
        let path = path.as_ref().to_path_buf();
        check_header(&path)?;
        let sql = |e: rusqlite::Error| Error::sqlite(&path, e);
        let mut conn = Connection::open(&path).map_err(sql)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(sql)?;
        let mode: String = conn
            .pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))
            .map_err(sql)?;
        if !mode.eq_ignore_ascii_case("wal") {
            tracing::warn!(
                path = %path.display(),
                journal_mode = %mode,
                "cookie database is not in WAL mode"
            );
        }
        conn.pragma_update(None, "synchronous", Durability::Full.pragma())
            .map_err(sql)?;
        prepare_schema(&mut conn, &path)?;
        let (loaded, max_seq) = load(&conn, &path)?;

        jar.set_cookies(loaded.iter().cloned());
        let mut db = Db {
            conn,
            next_seq: max_seq.saturating_add(1),
        };
        reconcile(&mut db, &jar, loaded).map_err(sql)?;

        let store = Arc::new(SqliteStore {
            path,
            db: Mutex::new(db),
            error: Mutex::new(None),
            durability: Mutex::new(Durability::Full),
        });
        let jar = Arc::new(jar.with_listener(Arc::clone(&store) as Arc<dyn ChangeListener>));
        Ok(SqliteCookieJar { jar, store })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.store.path
    }

    /// The jar (also reachable through `Deref`).
    pub fn jar(&self) -> &CookieJar {
        &self.jar
    }

    /// The jar as an `Arc`, to share it with code that takes one (an HTTP cookie processor,
    /// a user agent). Changes made through any holder are written to the database as they
    /// happen, whoever holds the jar (the database stays open while any holder lives).
    ///
    /// ```
    /// use cookiejar::file::SqliteCookieJar;
    /// use cookiejar::Cookie;
    ///
    /// let dir = tempfile::tempdir().unwrap();
    /// let path = dir.path().join("cookies.db");
    /// let db = SqliteCookieJar::open(&path).unwrap();
    /// let shared = db.shared();
    /// let mut c = Cookie::new("sid", "42", "www.example.com", "/");
    /// c.set_expires(Some(4_102_444_800));
    /// shared.set_cookie(c);
    /// db.sync().unwrap();
    /// drop((db, shared));
    /// assert_eq!(SqliteCookieJar::open(&path).unwrap().len(), 1);
    /// ```
    pub fn shared(&self) -> Arc<CookieJar> {
        Arc::clone(&self.jar)
    }

    /// The current [`Durability`].
    pub fn durability(&self) -> Durability {
        *lock(&self.store.durability)
    }

    /// Changes the [`Durability`] of later commits.
    pub fn set_durability(&self, durability: Durability) -> Result<()> {
        let db = lock(&self.store.db);
        db.conn
            .pragma_update(None, "synchronous", durability.pragma())
            .map_err(|e| Error::sqlite(&self.store.path, e))?;
        *lock(&self.store.durability) = durability;
        Ok(())
    }

    /// A description of the last write that failed and has not been reported by
    /// [`sync`](Self::sync) yet.
    pub fn last_error(&self) -> Option<String> {
        lock(&self.store.error).as_ref().map(ToString::to_string)
    }

    /// Reports the last write error (and forgets it), or, when every write succeeded,
    /// checkpoints the write-ahead log into the database file and flushes it to the disk, so
    /// that everything committed so far survives a power loss whatever the [`Durability`].
    ///
    /// After an error the database lacks the changes of the failed batches: it holds what
    /// the jar held before them, plus later successful batches.
    pub fn sync(&self) -> Result<()> {
        if let Some(e) = lock(&self.store.error).take() {
            return Err(e);
        }
        let db = lock(&self.store.db);
        let busy: i64 = db
            .conn
            .query_row("PRAGMA wal_checkpoint(FULL)", [], |r| r.get(0))
            .map_err(|e| Error::sqlite(&self.store.path, e))?;
        if busy != 0 {
            return Err(Error::sqlite(
                &self.store.path,
                rusqlite::Error::SqliteFailure(
                    rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
                    Some("checkpoint blocked by another connection".to_owned()),
                ),
            ));
        }
        Ok(())
    }
}

/// Refuses a non-empty file that does not start as a SQLite database does. (SQLite itself
/// takes a file shorter than its header for an empty database, and would overwrite it.)
pub(crate) fn check_header(path: &Path) -> Result<()> {
    const MAGIC: &[u8; 16] = b"SQLite format 3\0";
    let mut file = match std::fs::File::open(path) {
        Ok(f) => f,
        // Let SQLite create it, or report why it cannot open it.
        Err(_) => return Ok(()),
    };
    let mut head = Vec::with_capacity(MAGIC.len());
    (&mut file)
        .take(MAGIC.len() as u64)
        .read_to_end(&mut head)
        .map_err(|e| Error::io("read", path, e))?;
    if head.is_empty() || head == MAGIC {
        return Ok(());
    }
    Err(Error::sqlite(
        path,
        rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_NOTADB),
            Some("file is not a database".to_owned()),
        ),
    ))
}

/// Creates the tables in a new database, or checks the version of an existing one.
fn prepare_schema(conn: &mut Connection, path: &Path) -> Result<()> {
    let sql = |e: rusqlite::Error| Error::sqlite(path, e);
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(sql)?;
    let table_exists = |name: &str| -> rusqlite::Result<bool> {
        tx.query_row(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1",
            [name],
            |_| Ok(()),
        )
        .optional()
        .map(|r| r.is_some())
    };
    if table_exists("schema_version").map_err(sql)? {
        let version: Option<i64> = tx
            .query_row("SELECT MAX(version) FROM schema_version", [], |r| r.get(0))
            .map_err(sql)?;
        match version {
            None => return Err(Error::load(path, 0, "the schema_version table is empty")),
            Some(v) if v > SqliteCookieJar::SCHEMA_VERSION => {
                return Err(Error::load(
                    path,
                    0,
                    format!(
                        "database schema version {v} is newer than this version of cookiejar \
                         reads ({}); refusing to open it",
                        SqliteCookieJar::SCHEMA_VERSION
                    ),
                ));
            }
            // Migrations from older versions will go here, one step per version, in this
            // transaction. Version 1 is the first.
            Some(v) if v < 1 => {
                return Err(Error::load(
                    path,
                    0,
                    format!("unknown database schema version {v}"),
                ));
            }
            Some(_) => {}
        }
    } else if table_exists("cookies").map_err(sql)? {
        return Err(Error::load(
            path,
            0,
            "the database has a cookies table but no schema_version table: not a cookiejar database",
        ));
    } else {
        tx.execute_batch(SCHEMA_V1).map_err(sql)?;
    }
    tx.commit().map_err(sql)
}

/// Every row, in insertion order, and the largest `seq`.
fn load(conn: &Connection, path: &Path) -> Result<(Vec<Cookie>, i64)> {
    let sql = |e: rusqlite::Error| Error::sqlite(path, e);
    let mut stmt = conn
        .prepare(&format!("SELECT {COLUMNS} FROM cookies ORDER BY seq"))
        .map_err(sql)?;
    let mut rows = stmt.query([]).map_err(sql)?;
    let mut cookies = Vec::new();
    let mut max_seq = 0;
    while let Some(row) = rows.next().map_err(sql)? {
        let record = cookies.len() + 1;
        let seq: i64 = row.get(21).map_err(sql)?;
        max_seq = max_seq.max(seq);
        let cookie = cookie_from_row(row)
            .map_err(sql)?
            .map_err(|reason| Error::load(path, record, reason))?;
        cookies.push(cookie);
    }
    Ok((cookies, max_seq))
}

fn cookie_from_row(row: &Row<'_>) -> rusqlite::Result<Result<Cookie, String>> {
    let domain: String = row.get(0)?;
    let path: String = row.get(1)?;
    let name: String = row.get(2)?;
    let mut c = Cookie::new(&name, "", &domain, &path);
    c.set_value(row.get::<_, Option<String>>(3)?.as_deref());
    c.set_version(row.get(4)?);
    c.set_port(row.get::<_, Option<String>>(5)?.as_deref());
    c.set_port_specified(row.get(6)?);
    c.set_domain_specified(row.get(7)?);
    c.set_domain_initial_dot(row.get(8)?);
    c.set_path_specified(row.get(9)?);
    c.set_secure(row.get(10)?);
    c.set_expires(row.get(11)?);
    c.set_discard(row.get(12)?);
    c.set_comment(row.get::<_, Option<String>>(13)?.as_deref());
    c.set_comment_url(row.get::<_, Option<String>>(14)?.as_deref());
    c.set_rfc2109(row.get(15)?);
    c.set_http_only(row.get(16)?);
    match row.get::<_, Option<String>>(17)? {
        None => c.set_same_site(None),
        Some(s) => match SameSite::parse(&s) {
            Some(v) => c.set_same_site(Some(v)),
            None => return Ok(Err(format!("invalid same_site {s:?}"))),
        },
    }
    c.set_creation_time(row.get(18)?);
    c.set_last_access_time(row.get(19)?);
    let attrs: String = row.get(20)?;
    match decode_attrs(&attrs) {
        Ok(list) => {
            for (k, v) in list {
                c.set_nonstandard_attr(&k, v.as_deref());
            }
        }
        Err(e) => {
            return Ok(Err(format!(
                "invalid nonstandard attributes {attrs:?}: {e}"
            )));
        }
    }
    Ok(Ok(c))
}

type Key = (String, String, String);

fn key(c: &Cookie) -> Key {
    (
        c.domain().to_owned(),
        c.path().to_owned(),
        c.name().to_owned(),
    )
}

/// Whether two cookies have the same attributes (the jar's private bookkeeping aside).
fn same(a: &Cookie, b: &Cookie) -> bool {
    a.version() == b.version()
        && a.name() == b.name()
        && a.value() == b.value()
        && a.port() == b.port()
        && a.port_specified() == b.port_specified()
        && a.domain() == b.domain()
        && a.domain_specified() == b.domain_specified()
        && a.domain_initial_dot() == b.domain_initial_dot()
        && a.path() == b.path()
        && a.path_specified() == b.path_specified()
        && a.secure() == b.secure()
        && a.expires() == b.expires()
        && a.discard() == b.discard()
        && a.comment() == b.comment()
        && a.comment_url() == b.comment_url()
        && a.rfc2109() == b.rfc2109()
        && a.http_only() == b.http_only()
        && a.same_site() == b.same_site()
        && a.creation_time() == b.creation_time()
        && a.last_access_time() == b.last_access_time()
        && a.nonstandard_attrs().eq(b.nonstandard_attrs())
}

/// Makes the database hold exactly the jar's cookies, after loading: writes what the jar
/// changed or already had, deletes what it refused.
fn reconcile(db: &mut Db, jar: &CookieJar, loaded: Vec<Cookie>) -> rusqlite::Result<()> {
    let mut rows: HashMap<Key, Cookie> = loaded.into_iter().map(|c| (key(&c), c)).collect();
    let mut batch = Vec::new();
    for cookie in jar.iter() {
        match rows.remove(&key(&cookie)) {
            Some(row) if same(&row, &cookie) => {}
            _ => batch.push(Change::Stored(cookie)),
        }
    }
    batch.extend(
        rows.into_keys()
            .map(|(domain, path, name)| Change::Removed { domain, path, name }),
    );
    if batch.is_empty() {
        return Ok(());
    }
    tracing::debug!(
        changes = batch.len(),
        "cookie database brought in line with the jar"
    );
    db.apply(&batch)
}

/// The non-standard attributes as a JSON array of `[name, value-or-null]` pairs.
fn encode_attrs(c: &Cookie) -> String {
    let pairs: Vec<(&str, Option<&str>)> = c.nonstandard_attrs().collect();
    // Serializing strings and options into JSON cannot fail.
    serde_json::to_string(&pairs).unwrap_or_else(|_| "[]".to_owned())
}

/// Parses what [`encode_attrs`] writes (any valid JSON of that shape).
fn decode_attrs(s: &str) -> Result<Vec<(String, Option<String>)>, String> {
    serde_json::from_str(s).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attrs_json_round_trips() {
        let mut c = Cookie::new("a", "b", "h", "/");
        assert_eq!(encode_attrs(&c), "[]");
        c.set_nonstandard_attr("Priority", Some("High"));
        c.set_nonstandard_attr("Partitioned", None);
        c.set_nonstandard_attr("x\"\\\n\u{1}é😀", Some("\t\u{7f}\u{0}"));
        let json = encode_attrs(&c);
        let back = decode_attrs(&json).unwrap();
        let want: Vec<(String, Option<String>)> = c
            .nonstandard_attrs()
            .map(|(k, v)| (k.to_owned(), v.map(str::to_owned)))
            .collect();
        assert_eq!(back, want);
    }

    #[test]
    fn attrs_json_reads_other_writers_and_rejects_garbage() {
        assert_eq!(
            decode_attrs(" [ [ \"a\" , null ] , [\"\\u00e9\\ud83d\\ude00\\/\",\"v\"] ] ").unwrap(),
            vec![
                ("a".to_owned(), None),
                ("é😀/".to_owned(), Some("v".to_owned()))
            ]
        );
        for bad in [
            "",
            "[",
            "[[\"a\"]]",
            "[[\"a\",1]]",
            "[] x",
            "[[\"\\ud800\",null]]",
            "[[\"\\u+041\",null]]",
            "[[\"a\",null],]",
            "{}",
            "[[\"\u{1}\",null]]",
        ] {
            assert!(decode_attrs(bad).is_err(), "{bad:?}");
        }
    }
}
