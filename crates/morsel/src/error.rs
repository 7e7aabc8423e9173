//! The crate's one error type.

/// Everything that can go wrong in this crate: Python's `CookieError`, split by cause and
/// carrying the offending input.
///
/// [`InvalidKey`](Self::InvalidKey), [`InvalidAttribute`](Self::InvalidAttribute) and
/// [`Illegal`](Self::Illegal) come from [`Morsel`](crate::Morsel) and
/// [`BaseCookie`](crate::BaseCookie); the other three from the signed and marshalled cookies.
///
/// ```
/// use morsel::{CookieError, SimpleCookie};
///
/// let mut cookie = SimpleCookie::new();
/// let err = cookie.insert("path", "x").unwrap_err();
/// assert_eq!(err, CookieError::InvalidKey { key: "path".into() });
/// assert_eq!(err.to_string(), r#"illegal cookie name "path""#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CookieError {
    /// A cookie name that is empty, holds a character outside Python's legal set
    /// (`A-Z a-z 0-9 !#$%&'*+-.^_`|~:`), or is a reserved attribute name such as `path`.
    #[error("illegal cookie name {key:?}")]
    InvalidKey {
        /// The name as given.
        key: String,
    },
    /// An attribute name that is not one of the reserved attributes (`expires`, `path`,
    /// `comment`, `domain`, `max-age`, `secure`, `version`, `httponly`, `samesite`,
    /// `partitioned`). Also raised by a lenient [`load`](crate::BaseCookie::load) for a `$Name`
    /// after a cookie when `Name` is not one of them, as Python does.
    #[error("invalid cookie attribute {attribute:?}")]
    InvalidAttribute {
        /// The attribute name, lowercased as Python reports it.
        attribute: String,
    },
    /// A cookie string outside the accepted syntax (RFC 6265 `cookie-string` for
    /// [`load_strict`](crate::BaseCookie::load_strict)).
    #[error("illegal {what} in cookie string: {input:?}")]
    Illegal {
        /// Which part of the grammar was violated, e.g. `cookie-name`.
        what: String,
        /// The offending piece of the input.
        input: String,
    },
    /// A signed cookie whose signature is missing or wrong.
    #[error("bad or missing signature on cookie {name:?}")]
    BadSignature {
        /// The cookie's name.
        name: String,
    },
    /// A signed or marshalled cookie value that is not in the expected shape.
    #[error("malformed cookie {name:?}: {reason}")]
    Malformed {
        /// The cookie's name.
        name: String,
        /// What is wrong with the value.
        reason: String,
    },
    /// A verified marshalled cookie value that does not deserialize into the requested type.
    #[error("cookie {name:?} does not deserialize: {reason}")]
    Serde {
        /// The cookie's name.
        name: String,
        /// The deserializer's message.
        reason: String,
    },
}

/// `Result` with [`CookieError`].
pub type Result<T> = std::result::Result<T, CookieError>;
