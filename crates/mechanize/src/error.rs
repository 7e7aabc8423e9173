//! The client's error type: one enum, each variant naming the URL it concerns: urllib2's
//! `URLError` (the request could not be made) and `HTTPError` (a status no handler resolved).

use bytes::Bytes;
use http::{HeaderMap, StatusCode};

use crate::processors::RobotsRefusal;

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
    /// urllib2's `URLError`: the request could not be made or answered (no handler for the
    /// scheme, a missing file, a malformed `data:` URL, and later DNS, connect, TLS, timeout).
    #[error("<urlopen error {reason}> for {url}")]
    Url {
        /// The request's URL.
        url: String,
        /// What went wrong.
        reason: String,
        /// The underlying error, when there is one.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
    /// A seek, `tell` or `get_data` on a response that was not made seekable.
    #[error("the response for {url} is not seekable (call make_seekable before reading it)")]
    NotSeekable {
        /// The response's URL.
        url: String,
    },
    /// urllib2's `HTTPError`: a response whose status no handler resolved. It is also a
    /// response: status, headers and body are all there.
    #[error("HTTP Error {}: {} for {}", .0.status.as_u16(), .0.reason, .0.url)]
    Http(Box<HttpError>),
}

/// The response carried by [`Error::Http`].
#[derive(Debug)]
pub struct HttpError {
    /// The URL that answered.
    pub url: String,
    /// The status.
    pub status: StatusCode,
    /// The reason phrase.
    pub reason: String,
    /// The headers.
    pub headers: HeaderMap,
    /// The body, read whole.
    pub body: Bytes,
    /// Set when robots.txt refused the request (mechanize's `RobotExclusionError`, status
    /// 403): which robots.txt, for which user agent, and the rule.
    pub robots: Option<Box<RobotsRefusal>>,
}

impl Error {
    /// A [`Error::Url`] without an underlying error.
    pub fn url(url: impl Into<String>, reason: impl Into<String>) -> Error {
        Error::Url {
            url: url.into(),
            reason: reason.into(),
            source: None,
        }
    }

    /// Whether robots.txt refused the request (mechanize's `RobotExclusionError`).
    pub fn is_robot_exclusion(&self) -> bool {
        self.robots_refusal().is_some()
    }

    /// Why robots.txt refused the request, when it did.
    pub fn robots_refusal(&self) -> Option<&RobotsRefusal> {
        match self {
            Error::Http(e) => e.robots.as_deref(),
            _ => None,
        }
    }
}

/// `Result` with the client's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
