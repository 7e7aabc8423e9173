//! The crate's error type: one enum, each variant carrying the context needed to act on it
//! (which cookie, which URL, which file and line). Header parsing never errors: it skips and logs.

use std::path::PathBuf;

/// Errors returned by the cookie engine and its file jars.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// `clear_domain`, `clear_path` or `clear_cookie` named something the jar does not hold
    /// (cookielib raises `KeyError`).
    #[error("no cookie stored for domain {domain:?}{}{}", path.as_ref().map(|p| format!(", path {p:?}")).unwrap_or_default(), name.as_ref().map(|n| format!(", name {n:?}")).unwrap_or_default())]
    NotFound {
        /// The domain asked for.
        domain: String,
        /// The path asked for, if any.
        path: Option<String>,
        /// The name asked for, if any.
        name: Option<String>,
    },
    /// A request URL the jar could not use (it needs an absolute URL with a host).
    #[error("invalid request URL {url:?}: {reason}")]
    InvalidUrl {
        /// The URL as given.
        url: String,
        /// What was wrong with it.
        reason: String,
    },
    /// A file jar was asked to save or load without a file name, and has no default one
    /// (cookielib raises `ValueError`).
    #[error("no file name given and the jar has no default file name")]
    NoFilename,
    /// Reading or writing a cookie file failed.
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        /// What was being done: "read", "write", "rename", ….
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A cookie file is not in the format its jar reads (cookielib's `LoadError`).
    #[error("{}:{line}: {reason}", path.display())]
    Load {
        /// The file.
        path: PathBuf,
        /// The 1-based line (or record) where the problem is; 0 when it is the whole file.
        line: usize,
        /// What was wrong.
        reason: String,
    },
    /// A SQLite database (the SQLite jar's, or a browser's cookie store) could not be
    /// opened, read or written.
    #[error("SQLite error on {}: {source}", path.display())]
    Sqlite {
        /// The database file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: rusqlite::Error,
    },
}

impl Error {
    /// An [`Error::Io`] for `path`.
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            action,
            path: path.into(),
            source,
        }
    }

    /// An [`Error::Sqlite`] for the database at `path`.
    pub fn sqlite(path: impl Into<PathBuf>, source: rusqlite::Error) -> Error {
        Error::Sqlite {
            path: path.into(),
            source,
        }
    }

    /// An [`Error::Load`] for `path` at `line`.
    pub fn load(path: impl Into<PathBuf>, line: usize, reason: impl Into<String>) -> Error {
        Error::Load {
            path: path.into(),
            line,
            reason: reason.into(),
        }
    }
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
