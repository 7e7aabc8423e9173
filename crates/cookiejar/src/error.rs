//! The crate's error type: one enum, each variant carrying the context needed to act on it.
//! Parsing never fails with an error (malformed headers are skipped and logged); these are API misuse.

/// Errors returned by the cookie engine.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
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
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
