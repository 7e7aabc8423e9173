//! Cookie files chosen by extension (`.txt` Mozilla/curl, `.lwp` Set-Cookie3, `.sqlite`):
//! loaded before a command, saved atomically after it.
//!
//! What is kept, and why:
//!
//! - **Session cookies are saved** (cookielib's `ignore_discard=True`), as curl's `-c` does:
//!   a jar file is how a session carries over from one `mechanize get` to the next, and a
//!   login cookie is usually a session cookie. In `.txt` files they get the expiry `0`,
//!   which curl and wget read back as session cookies.
//! - **Expired cookies are dropped**, on loading and on saving.
//! - Text jars (`.txt`, `.lwp`) are read whole before anything is used, and written to a
//!   temporary file in the same folder that is renamed over the jar: a failed load or save
//!   leaves the file exactly as it was. A `.sqlite` jar is the cookie engine's
//!   [`SqliteCookieJar`]: every change is written through as it happens, and saving checks
//!   that every write succeeded and checkpoints the database.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use cookiejar::file::{
    CookieFormat, Lwp, Mozilla, SqliteCookieJar, import_firefox, write_atomically,
};
use cookiejar::{Cookie, CookieJar};

use crate::error::{CliError, Result};

/// The format of a cookie file, from its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `.txt`: the Netscape/Mozilla `cookies.txt` that curl (`-b`/`-c`) and wget read and
    /// write.
    Mozilla,
    /// `.lwp`: libwww-perl's `Set-Cookie3` format (cookielib's `LWPCookieJar`).
    Lwp,
    /// `.sqlite` (also `.sqlite3`, `.db`): the cookie engine's SQLite database.
    Sqlite,
}

impl Format {
    /// The format `path`'s extension names; any other extension is a usage error.
    pub fn from_path(path: &Path) -> Result<Format> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("txt") => Ok(Format::Mozilla),
            Some("lwp") => Ok(Format::Lwp),
            Some("sqlite" | "sqlite3" | "db") => Ok(Format::Sqlite),
            _ => Err(CliError::Usage(format!(
                "{}: unknown cookie file type: the extension must be .txt (Mozilla/curl \
                 cookies.txt), .lwp (Set-Cookie3) or .sqlite (SQLite)",
                path.display()
            ))),
        }
    }

    /// The format's name, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Format::Mozilla => "Mozilla cookies.txt",
            Format::Lwp => "LWP Set-Cookie3",
            Format::Sqlite => "SQLite",
        }
    }
}

/// What [`JarFile::load`] does when the file does not exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    /// Start with an empty jar; the file is created when saved (a `.sqlite` one at once).
    Create,
    /// Fail with a clear error.
    Fail,
}

/// A cookie jar tied to a file.
#[derive(Debug)]
pub struct JarFile {
    path: PathBuf,
    format: Format,
    jar: Arc<CookieJar>,
    /// The database of a `.sqlite` jar (its jar is `jar`).
    db: Option<SqliteCookieJar>,
}

impl JarFile {
    /// Loads the jar at `path`, in the format its extension names.
    ///
    /// Errors: an unknown extension (usage), a missing file with [`Missing::Fail`], a file
    /// that cannot be read or parsed (the message names the file and, for text files, the
    /// line), and a Firefox `cookies.sqlite` (to be imported with `cookies import`).
    pub fn load(path: &Path, missing: Missing) -> Result<JarFile> {
        let format = Format::from_path(path)?;
        let exists = path.exists();
        if !exists && missing == Missing::Fail {
            return Err(CliError::Missing {
                what: "cookie jar",
                path: path.to_path_buf(),
            });
        }
        match format {
            Format::Mozilla | Format::Lwp => {
                let jar = CookieJar::new();
                if exists {
                    let now = jar.now();
                    let mut cookies = read_text(format, path)?;
                    cookies.retain(|c| !c.is_expired(now));
                    jar.set_cookies(cookies);
                }
                tracing::debug!(path = %path.display(), cookies = jar.len(), "cookie jar loaded");
                Ok(JarFile {
                    path: path.to_path_buf(),
                    format,
                    jar: Arc::new(jar),
                    db: None,
                })
            }
            Format::Sqlite => {
                if exists && import_firefox(path).is_ok() {
                    return Err(CliError::Usage(format!(
                        "{} is a Firefox cookie database: import it first with \
                         `mechanize cookies import {} OUT.sqlite`",
                        path.display(),
                        path.display()
                    )));
                }
                let db = SqliteCookieJar::open(path).map_err(|e| CliError::jar(path, e))?;
                tracing::debug!(path = %path.display(), cookies = db.len(), "cookie jar opened");
                Ok(JarFile {
                    path: path.to_path_buf(),
                    format,
                    jar: db.shared(),
                    db: Some(db),
                })
            }
        }
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file's format.
    pub fn format(&self) -> Format {
        self.format
    }

    /// The jar, to share with a cookie processor or a user agent.
    pub fn jar(&self) -> Arc<CookieJar> {
        Arc::clone(&self.jar)
    }

    /// The cookies to keep: all but the expired ones (session cookies included).
    pub fn cookies(&self) -> Vec<Cookie> {
        let now = self.jar.now();
        self.jar.iter().filter(|c| !c.is_expired(now)).collect()
    }

    /// Saves the jar: text formats atomically (temporary file, then rename), a `.sqlite`
    /// jar by checking its write-through and checkpointing it.
    pub fn save(&self) -> Result<()> {
        match &self.db {
            Some(db) => db.sync().map_err(|e| CliError::jar(&self.path, e)),
            None => write_cookies(&self.path, self.format, &self.cookies()),
        }
    }
}

fn read_text(format: Format, path: &Path) -> Result<Vec<Cookie>> {
    let read = match format {
        Format::Mozilla => Mozilla.read_path(path),
        Format::Lwp => Lwp.read_path(path),
        Format::Sqlite => {
            return Err(CliError::Usage(format!(
                "{}: a SQLite jar is not a text file",
                path.display()
            )));
        }
    };
    read.map_err(|e| CliError::jar(path, e))
}

/// Writes `cookies` to `path` in `format`, replacing the file atomically (for `.sqlite`: a
/// new database built in a temporary file in the same folder, then renamed over `path`).
pub fn write_cookies(path: &Path, format: Format, cookies: &[Cookie]) -> Result<()> {
    let jar_err = |e| CliError::jar(path, e);
    match format {
        Format::Mozilla => {
            write_atomically(path, |out| Mozilla.write(cookies, out)).map_err(jar_err)
        }
        Format::Lwp => write_atomically(path, |out| Lwp.write(cookies, out)).map_err(jar_err),
        Format::Sqlite => write_sqlite(path, cookies),
    }
}

fn write_sqlite(path: &Path, cookies: &[Cookie]) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let tmp = tempfile::Builder::new()
        .prefix(".mechanize-")
        .suffix(".sqlite.tmp")
        .tempfile_in(dir)
        .map_err(|e| CliError::io(dir, e))?
        .into_temp_path();
    let jar = CookieJar::new();
    jar.set_cookies(cookies.iter().cloned());
    let db = SqliteCookieJar::open_with_jar(&tmp, jar).map_err(|e| CliError::jar(path, e))?;
    db.sync().map_err(|e| CliError::jar(path, e))?;
    drop(db);
    tmp.persist(path).map_err(|e| CliError::io(path, e.error))?;
    // Side files of a replaced database would be applied to the new one on opening; those
    // of the temporary database were folded in when it closed.
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut side = path.as_os_str().to_owned();
        side.push(suffix);
        match std::fs::remove_file(&side) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(CliError::io(PathBuf::from(side), e)),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_format_comes_from_the_extension() {
        let f = |p: &str| Format::from_path(Path::new(p)).ok();
        assert_eq!(f("cookies.txt"), Some(Format::Mozilla));
        assert_eq!(f("dir/Cookies.TXT"), Some(Format::Mozilla));
        assert_eq!(f("jar.lwp"), Some(Format::Lwp));
        assert_eq!(f("jar.sqlite"), Some(Format::Sqlite));
        assert_eq!(f("jar.db"), Some(Format::Sqlite));
        assert_eq!(f("jar.json"), None);
        assert_eq!(f("jar"), None);
        assert!(matches!(
            Format::from_path(Path::new("jar.json")),
            Err(CliError::Usage(_))
        ));
    }

    #[test]
    fn a_missing_file_is_empty_or_an_error_as_asked_and_session_cookies_are_saved() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("new.lwp");
        assert!(matches!(
            JarFile::load(&path, Missing::Fail),
            Err(CliError::Missing { .. })
        ));
        let jar = JarFile::load(&path, Missing::Create).expect("empty jar");
        assert!(jar.jar().is_empty());
        assert!(!path.exists(), "created on save only");

        let session = Cookie::new("sid", "1", "www.example.com", "/");
        let mut expired = Cookie::new("old", "1", "www.example.com", "/");
        expired.set_expires(Some(1000));
        expired.set_discard(false);
        jar.jar().set_cookies([session, expired]);
        jar.save().expect("saved");

        let again = JarFile::load(&path, Missing::Fail).expect("loaded");
        let names: Vec<String> = again
            .cookies()
            .iter()
            .map(|c| c.name().to_owned())
            .collect();
        assert_eq!(names, ["sid"], "session cookie kept, expired one dropped");
    }
}
