//! The command's error: one enum, each variant saying what failed and where (URL, file),
//! printed as one line by `main`.

/// Errors of the `mechanize` command.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// A request failed (transport error, HTTP error, robots.txt refusal).
    #[error(transparent)]
    Client(#[from] mechanize::Error),
    /// A cookie file could not be read or written.
    #[error("cookie jar {path}: {source}")]
    Jar {
        /// The file.
        path: std::path::PathBuf,
        /// What went wrong.
        #[source]
        source: cookiejar::Error,
    },
    /// Any other file error (an output file, say).
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: std::path::PathBuf,
        /// What went wrong.
        #[source]
        source: std::io::Error,
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

/// `Result` with the command's [`CliError`].
pub type Result<T, E = CliError> = std::result::Result<T, E>;
