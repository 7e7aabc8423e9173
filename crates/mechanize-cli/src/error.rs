//! The command's error: one enum, each variant saying what failed and where (URL, file),
//! printed as one line by `main`, with the exit code it maps to.

use std::path::PathBuf;

/// Errors of the `mechanize` command.
///
/// Exit codes ([`CliError::exit_code`]): 2 for a usage error (as clap's own), 22 for an HTTP
/// error status or a robots.txt refusal (curl's code for `--fail`), 1 for everything else.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// A request failed (transport error, timeout, HTTP error).
    #[error(transparent)]
    Client(#[from] mechanize::Error),
    /// robots.txt refused the URL (mechanize's `RobotExclusionError`).
    #[error("robots.txt refused {url}: {why} (--no-robots ignores robots.txt)")]
    Robots {
        /// The refused URL.
        url: String,
        /// Which robots.txt said what, for which user agent.
        why: String,
    },
    /// robots.txt could not be fetched at all (no answer: connection refused, timeout), so
    /// the URL was not requested.
    #[error("{reason} (fetching robots.txt before {url})")]
    RobotsUnreachable {
        /// The URL asked for.
        url: String,
        /// Why robots.txt could not be fetched.
        reason: String,
    },
    /// A cookie file could not be read or written.
    #[error("cookie jar: {source}")]
    Jar {
        /// The file.
        path: PathBuf,
        /// What went wrong (a format error names the file and line itself).
        #[source]
        source: cookiejar::Error,
    },
    /// Any other file error (an output file, say).
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        #[source]
        source: std::io::Error,
    },
    /// A file that must exist does not.
    #[error("{what} {}: no such file", path.display())]
    Missing {
        /// What the file is ("cookie jar").
        what: &'static str,
        /// The file.
        path: PathBuf,
    },
    /// An argument that cannot be used.
    #[error("{0}")]
    Usage(String),
    /// A subcommand that is not built yet.
    #[error("{0} is not built yet")]
    NotYet(&'static str),
    /// Ctrl-C stopped the command (what it had done is saved).
    #[error("interrupted: {0}")]
    Interrupted(String),
}

impl CliError {
    /// The process exit code for this error: 2 usage, 22 HTTP error or robots.txt refusal,
    /// 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) => 2,
            CliError::Robots { .. } | CliError::Client(mechanize::Error::Http(_)) => 22,
            _ => 1,
        }
    }

    /// A [`CliError::Jar`] for `path`.
    pub fn jar(path: impl Into<PathBuf>, source: cookiejar::Error) -> CliError {
        CliError::Jar {
            path: path.into(),
            source,
        }
    }

    /// A [`CliError::Io`] for `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> CliError {
        CliError::Io {
            path: path.into(),
            source,
        }
    }
}

/// `Result` with the command's [`CliError`].
pub type Result<T, E = CliError> = std::result::Result<T, E>;
