//! mod_python's `add_cookie`, `get_cookies` and `get_cookie`, over [`http`] types instead of
//! mod_python's request object.
//!
//! * Adding a cookie appends a `Set-Cookie` header with the cookie's
//!   [`Display`](std::fmt::Display) and, when it is the first `Set-Cookie` of the response,
//!   also a `Cache-Control: no-cache="set-cookie"` header, as mod_python's `add_cookie` does
//!   to keep shared caches from storing the cookie.
//! * Reading cookies joins all `Cookie` headers with `"; "` (as mod_python does when it gets
//!   several) and parses them with [`Cookie::parse`]. Header bytes that are not UTF-8 are
//!   read lossily (as U+FFFD).
//! * The map readers for signed and marshal cookies ([`get_signed_cookies`],
//!   [`get_marshal_cookies`]) silently drop every cookie that does not verify, unsigned ones
//!   included (mod_python's `mismatch=Cookie.IGNORE`); the single-cookie readers
//!   ([`get_signed_cookie`], [`get_marshal_cookie`]) report a present but tampered cookie as
//!   an error (mod_python's `mismatch=Cookie.EXCEPTION`) and an absent one as `Ok(None)`.
//!
//! ```
//! use http::HeaderMap;
//! use morsel::headers::{add_cookie, get_cookie};
//! use morsel::modpython::Cookie;
//!
//! let mut response_headers = HeaderMap::new();
//! add_cookie(&mut response_headers, &Cookie::new("spam", "eggs"))?;
//! assert_eq!(response_headers["set-cookie"], "spam=eggs");
//! assert_eq!(response_headers["cache-control"], r#"no-cache="set-cookie""#);
//!
//! let mut request_headers = HeaderMap::new();
//! request_headers.append("cookie", "spam=eggs; lang=en".parse()?);
//! assert_eq!(get_cookie(&request_headers, "lang").map(|c| c.value), Some("en".into()));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use http::header::{CACHE_CONTROL, COOKIE, SET_COOKIE};
use http::{HeaderMap, HeaderValue, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{CookieError, Result};
use crate::modpython::{Cookie, CookieDict, parse_pairs};
use crate::signed::{MarshalCookie, SignedCookie, SigningKeys};

/// Appends `Set-Cookie: <cookie>` to `headers` (and `Cache-Control: no-cache="set-cookie"` if
/// there was no `Set-Cookie` yet), as mod_python's `add_cookie`.
///
/// mod_python does not check what it writes; here a cookie whose text cannot be a header value
/// (a control character such as a newline in the name, value or an attribute) is refused with
/// [`CookieError::Illegal`] and nothing is added.
pub fn add_cookie(headers: &mut HeaderMap, cookie: &Cookie) -> Result<()> {
    let text = cookie.to_string();
    let value = HeaderValue::from_str(&text).map_err(|_| CookieError::Illegal {
        what: "Set-Cookie header value".to_owned(),
        input: text.clone(),
    })?;
    if !headers.contains_key(SET_COOKIE) {
        headers.append(
            CACHE_CONTROL,
            HeaderValue::from_static("no-cache=\"set-cookie\""),
        );
    }
    headers.append(SET_COOKIE, value);
    Ok(())
}

/// [`add_cookie`] on a response's headers.
///
/// ```
/// use morsel::headers::add_cookie_to_response;
/// use morsel::modpython::Cookie;
///
/// let mut response = http::Response::new(());
/// add_cookie_to_response(&mut response, &Cookie::new("a", "1"))?;
/// add_cookie_to_response(&mut response, &Cookie::new("b", "2"))?;
/// let set: Vec<_> = response.headers().get_all("set-cookie").iter().collect();
/// assert_eq!(set, ["a=1", "b=2"]);
/// assert_eq!(response.headers().get_all("cache-control").iter().count(), 1);
/// # Ok::<(), morsel::CookieError>(())
/// ```
pub fn add_cookie_to_response<B>(response: &mut Response<B>, cookie: &Cookie) -> Result<()> {
    add_cookie(response.headers_mut(), cookie)
}

/// Signs `cookie` with the first key and [`add_cookie`]s it.
pub fn add_signed_cookie(
    headers: &mut HeaderMap,
    cookie: &SignedCookie,
    keys: &SigningKeys,
) -> Result<()> {
    add_cookie(headers, &cookie.sign(keys))
}

/// Serializes and signs `cookie` and [`add_cookie`]s it.
pub fn add_marshal_cookie<T: Serialize>(
    headers: &mut HeaderMap,
    cookie: &MarshalCookie<T>,
    keys: &SigningKeys,
) -> Result<()> {
    add_cookie(headers, &cookie.sign(keys)?)
}

/// All `Cookie` headers, joined with `"; "`.
fn cookie_header(headers: &HeaderMap) -> String {
    let mut joined = String::new();
    for value in headers.get_all(COOKIE) {
        if !joined.is_empty() {
            joined.push_str("; ");
        }
        joined.push_str(&String::from_utf8_lossy(value.as_bytes()));
    }
    joined
}

/// Every cookie of the request's `Cookie` headers, by name in the order first seen (a later
/// cookie of the same name replaces an earlier one): mod_python's `get_cookies(req)`.
/// Empty if there is no `Cookie` header.
pub fn get_cookies(headers: &HeaderMap) -> CookieDict<Cookie> {
    Cookie::parse(&cookie_header(headers))
}

/// The cookie called `name` (the last one, if repeated): mod_python's `get_cookie(req, name)`.
pub fn get_cookie(headers: &HeaderMap, name: &str) -> Option<Cookie> {
    parse_pairs(&cookie_header(headers), Some(name))
        .into_values()
        .next()
        .map(|value| Cookie::new(name, value))
}

/// The request's cookies that carry a valid signature under one of `keys`, in order. Cookies
/// that are unsigned, malformed or tampered with are **dropped without notice**, as with
/// mod_python's `get_cookies(req, SignedCookie, secret=..., mismatch=Cookie.IGNORE)`; use
/// [`get_signed_cookie`] to learn why a particular cookie was refused.
///
/// ```
/// use http::HeaderMap;
/// use morsel::headers::get_signed_cookies;
/// use morsel::signed::{SigningKeys, sign_value};
///
/// let keys = SigningKeys::single("secret").ok_or("empty key")?;
/// let mut headers = HeaderMap::new();
/// let header = format!("user={}; theme=dark", sign_value("user", "alice", &keys));
/// headers.append("cookie", header.parse()?);
/// let cookies = get_signed_cookies(&headers, &keys);
/// assert_eq!(cookies.names().collect::<Vec<_>>(), ["user"]); // "theme" is not signed
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn get_signed_cookies(headers: &HeaderMap, keys: &SigningKeys) -> CookieDict<SignedCookie> {
    SignedCookie::parse_valid(&cookie_header(headers), keys)
}

/// The signed cookie called `name`: `Ok(None)` if the request has none,
/// `Ok(Some(_))` if it verifies under one of `keys`, and
/// [`CookieError::BadSignature`] or [`CookieError::Malformed`] if it is present but does not.
///
/// ```
/// use http::HeaderMap;
/// use morsel::CookieError;
/// use morsel::headers::get_signed_cookie;
/// use morsel::signed::{SigningKeys, sign_value};
///
/// let keys = SigningKeys::single("secret").ok_or("empty key")?;
/// let forged = sign_value("user", "alice", &keys).replace("alice", "admin");
/// let mut headers = HeaderMap::new();
/// headers.append("cookie", format!("user={forged}").parse()?);
/// assert_eq!(
///     get_signed_cookie(&headers, "user", &keys),
///     Err(CookieError::BadSignature { name: "user".into() })
/// );
/// assert_eq!(get_signed_cookie(&headers, "other", &keys), Ok(None));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn get_signed_cookie(
    headers: &HeaderMap,
    name: &str,
    keys: &SigningKeys,
) -> Result<Option<SignedCookie>> {
    get_cookie(headers, name)
        .map(|cookie| SignedCookie::verify(&cookie, keys))
        .transpose()
}

/// The request's marshal cookies that verify under one of `keys` and deserialize into `T`, in
/// order; all others are **dropped without notice** (mod_python's `mismatch=Cookie.IGNORE`).
pub fn get_marshal_cookies<T: DeserializeOwned>(
    headers: &HeaderMap,
    keys: &SigningKeys,
) -> CookieDict<MarshalCookie<T>> {
    MarshalCookie::parse_valid(&cookie_header(headers), keys)
}

/// The marshal cookie called `name`: `Ok(None)` if absent, the decoded cookie if it verifies
/// and deserializes, else [`CookieError::Malformed`], [`CookieError::BadSignature`] or
/// [`CookieError::Serde`]. The signature is checked before anything is deserialized.
///
/// ```
/// use http::HeaderMap;
/// use morsel::headers::{add_marshal_cookie, get_marshal_cookie};
/// use morsel::signed::{MarshalCookie, SigningKeys};
///
/// let keys = SigningKeys::single("secret").ok_or("empty key")?;
/// let mut response = HeaderMap::new();
/// add_marshal_cookie(&mut response, &MarshalCookie::new("cart", vec![3u32, 5]), &keys)?;
///
/// // The browser echoes the name=value part back.
/// let set_cookie = response["set-cookie"].to_str()?;
/// let mut request = HeaderMap::new();
/// request.append("cookie", set_cookie.parse()?);
/// let cart = get_marshal_cookie::<Vec<u32>>(&request, "cart", &keys)?;
/// assert_eq!(cart.map(|c| c.into_value()), Some(vec![3, 5]));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn get_marshal_cookie<T: DeserializeOwned>(
    headers: &HeaderMap,
    name: &str,
    keys: &SigningKeys,
) -> Result<Option<MarshalCookie<T>>> {
    get_cookie(headers, name)
        .map(|cookie| MarshalCookie::verify(&cookie, keys))
        .transpose()
}
