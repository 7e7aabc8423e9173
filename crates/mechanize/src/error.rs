//! The client's error type: one enum, each variant naming the URL it concerns.
//! Transport and HTTP errors (`URLError`, `HTTPError`) join it with the opener.

/// Errors of the mechanize client.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A URL that cannot be requested.
    #[error("invalid URL {url:?}: {reason}")]
    InvalidUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A header name or value that HTTP does not allow.
    #[error("invalid header {name:?} for {url}: {reason}")]
    InvalidHeader {
        /// The request's URL.
        url: String,
        /// The header name as given.
        name: String,
        /// What is wrong with it.
        reason: String,
    },
}

/// `Result` with the client's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
