//! mod_python's `SignedCookie` and `MarshalCookie`, with HMAC-SHA256, rotating keys and serde.
//!
//! # Wire format
//!
//! A [`SignedCookie`] goes out as a [`Cookie`] whose value is
//!
//! ```text
//! quote( base64url(HMAC-SHA256(key, message)) "." value )
//! ```
//!
//! The signature is 43 characters of unpadded base64url (32 bytes). The whole string goes
//! through [`crate::quote`], which leaves it alone when the value is made only of cookie-safe
//! characters and otherwise wraps it in double quotes with `\ooo` escapes, so a value holding
//! `;`, spaces or control characters still survives a `Cookie` header. Decoding starts with
//! [`crate::unquote`].
//!
//! A [`MarshalCookie`] serializes its value with `serde_json`, encodes the JSON as unpadded
//! base64url and signs that text the same way: `signature "." payload`, never needing quotes.
//!
//! The message signed binds the cookie's name, so a value signed for one cookie is refused
//! under another, and the kind of cookie, so a [`SignedCookie`] whose (perhaps user-chosen)
//! value happens to look like a payload is not accepted as a [`MarshalCookie`]:
//!
//! ```text
//! "morsel-signed\0" or "morsel-marshal\0",  len(name) as u64 big-endian,  name,  value
//! ```
//!
//! # Keys
//!
//! [`SigningKeys`] holds one or more secrets: cookies are signed with the first and accepted
//! under any of them, so a secret can be rotated by putting the new one first and dropping the
//! old one once the cookies it signed have expired. Each check uses [`Mac::verify_slice`],
//! which compares in constant time.
//!
//! # Order of checks
//!
//! Decoding refuses anything not of the shape above ([`CookieError::Malformed`]), then checks
//! the signature ([`CookieError::BadSignature`]), and only for a correctly signed
//! [`MarshalCookie`] decodes the payload and runs the deserializer
//! ([`CookieError::Serde`]). Data that was not signed by one of the keys never reaches serde.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sha2::Sha256;

use crate::error::{CookieError, Result};
use crate::modpython::{Cookie, CookieDict, parse_pairs};
use crate::quote::{quote, unquote};

type HmacSha256 = Hmac<Sha256>;

/// Characters of base64url for the 32-byte signature, without padding.
const SIGNATURE_LEN: usize = 43;

/// The secrets cookies are signed with: the first signs, any verifies.
///
/// `Debug` shows only how many keys there are.
///
/// ```
/// use morsel::signed::SigningKeys;
///
/// // "new" signs from now on; cookies signed with "old" are still accepted.
/// let keys = SigningKeys::new(["new secret", "old secret"]).ok_or("empty key")?;
/// assert_eq!(format!("{keys:?}"), "SigningKeys { keys: 2 }");
/// assert!(SigningKeys::new(Vec::<&str>::new()).is_none());
/// assert!(SigningKeys::new([""]).is_none());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct SigningKeys {
    keys: Vec<Vec<u8>>,
}

impl SigningKeys {
    /// The keys in order of preference. `None` if there is no key or a key is empty (mod_python
    /// refuses to sign without a secret, too).
    pub fn new<I, K>(keys: I) -> Option<Self>
    where
        I: IntoIterator<Item = K>,
        K: AsRef<[u8]>,
    {
        let keys: Vec<Vec<u8>> = keys.into_iter().map(|k| k.as_ref().to_vec()).collect();
        (!keys.is_empty() && keys.iter().all(|k| !k.is_empty())).then_some(Self { keys })
    }

    /// A single key. `None` if it is empty.
    pub fn single(key: impl AsRef<[u8]>) -> Option<Self> {
        Self::new([key])
    }

    /// How many keys there are (at least one).
    pub fn count(&self) -> usize {
        self.keys.len()
    }

    fn signing_key(&self) -> &[u8] {
        self.keys.first().map_or(&[], Vec::as_slice)
    }
}

impl fmt::Debug for SigningKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKeys")
            .field("keys", &self.keys.len())
            .finish()
    }
}

/// What a signature covers besides the name and value, so the two kinds cannot be mixed up.
#[derive(Clone, Copy)]
enum Kind {
    Signed,
    Marshal,
}

impl Kind {
    fn tag(self) -> &'static [u8] {
        match self {
            Kind::Signed => b"morsel-signed\0",
            Kind::Marshal => b"morsel-marshal\0",
        }
    }
}

fn mac(key: &[u8], kind: Kind, name: &str, value: &str) -> Option<HmacSha256> {
    // HMAC accepts keys of any length; the error case cannot happen, but is not unwrapped.
    let mut mac = HmacSha256::new_from_slice(key).ok()?;
    mac.update(kind.tag());
    mac.update(&u64::try_from(name.len()).unwrap_or(u64::MAX).to_be_bytes());
    mac.update(name.as_bytes());
    mac.update(value.as_bytes());
    Some(mac)
}

/// `base64url(signature) "." value`, not yet quoted.
fn sign_raw(keys: &SigningKeys, kind: Kind, name: &str, value: &str) -> String {
    let tag = mac(keys.signing_key(), kind, name, value)
        .map(|m| m.finalize().into_bytes())
        .unwrap_or_default();
    let mut out = URL_SAFE_NO_PAD.encode(tag);
    out.push('.');
    out.push_str(value);
    out
}

fn malformed(name: &str, reason: impl Into<String>) -> CookieError {
    CookieError::Malformed {
        name: name.to_owned(),
        reason: reason.into(),
    }
}

/// Checks `signature "." value` (already unquoted) and returns the value.
fn verify_raw<'a>(keys: &SigningKeys, kind: Kind, name: &str, raw: &'a str) -> Result<&'a str> {
    let (sig, value) = raw
        .split_once('.')
        .ok_or_else(|| malformed(name, "no '.' between signature and value"))?;
    if sig.len() != SIGNATURE_LEN {
        return Err(malformed(
            name,
            format!(
                "signature is {} characters, not {SIGNATURE_LEN}",
                sig.chars().count()
            ),
        ));
    }
    let sig = URL_SAFE_NO_PAD
        .decode(sig)
        .map_err(|e| malformed(name, format!("signature is not base64url: {e}")))?;
    let valid = keys
        .keys
        .iter()
        .any(|key| mac(key, kind, name, value).is_some_and(|m| m.verify_slice(&sig).is_ok()));
    if valid {
        Ok(value)
    } else {
        Err(CookieError::BadSignature {
            name: name.to_owned(),
        })
    }
}

/// Signs `value` for the cookie `name` with the first key: the cookie value to send, quoted
/// if needed (see the [module documentation](self)).
///
/// ```
/// use morsel::signed::{SigningKeys, sign_value, verify_value};
///
/// let keys = SigningKeys::single("secret").ok_or("empty key")?;
/// let sent = sign_value("user", "alice", &keys);
/// assert_eq!(sent.len(), 43 + 1 + 5);
/// assert!(sent.ends_with(".alice"));
/// assert_eq!(verify_value("user", &sent, &keys)?, "alice");
/// // The same value under another name is refused.
/// assert!(verify_value("admin", &sent, &keys).is_err());
/// // Values that are not cookie-safe are quoted.
/// assert!(sign_value("user", "a b;c", &keys).starts_with('"'));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn sign_value(name: &str, value: &str, keys: &SigningKeys) -> String {
    quote(&sign_raw(keys, Kind::Signed, name, value)).into_owned()
}

/// Checks a value made by [`sign_value`] for the cookie `name` against every key and returns
/// the original value: [`CookieError::Malformed`] if it is not of that shape,
/// [`CookieError::BadSignature`] if no key signed it. Never panics, whatever the input.
pub fn verify_value(name: &str, received: &str, keys: &SigningKeys) -> Result<String> {
    let raw = unquote(received);
    verify_raw(keys, Kind::Signed, name, &raw).map(str::to_owned)
}

/// A cookie whose value is signed, so the server can tell whether the client changed it:
/// mod_python's `SignedCookie`, with HMAC-SHA256 and rotating keys. The value is signed, not
/// encrypted: the client can read it.
///
/// It wraps a [`Cookie`] holding the name, the *plain* value and the attributes;
/// [`sign`](Self::sign) gives the cookie to send, [`verify`](Self::verify) and
/// [`parse`](Self::parse) check what comes back.
///
/// ```
/// use morsel::modpython::Cookie;
/// use morsel::signed::{SignedCookie, SigningKeys};
///
/// let keys = SigningKeys::new(["key-2024", "key-2023"]).ok_or("empty key")?;
/// let mut signed = SignedCookie::new("user", "alice");
/// signed.cookie_mut().path = Some("/".into());
///
/// let sent: Cookie = signed.sign(&keys);
/// let header = sent.to_string(); // "user=<signature>.alice; path=/"
/// assert!(header.starts_with("user=") && header.ends_with(".alice; path=/"));
///
/// // The browser sends back `user=<signature>.alice`.
/// let back = SignedCookie::parse(&format!("user={}", sent.value), &keys)?;
/// assert_eq!(back.get("user").map(SignedCookie::value), Some("alice"));
///
/// // A changed value is refused.
/// let forged = sent.value.replace("alice", "admin");
/// assert!(SignedCookie::parse(&format!("user={forged}"), &keys).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedCookie {
    cookie: Cookie,
}

impl SignedCookie {
    /// A signed cookie with a name and a plain value.
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            cookie: Cookie::new(name, value),
        }
    }

    /// A signed cookie from a cookie whose value is the plain value to sign, keeping its
    /// attributes.
    pub fn from_cookie(cookie: Cookie) -> Self {
        Self { cookie }
    }

    /// The cookie's name.
    pub fn name(&self) -> &str {
        &self.cookie.name
    }

    /// The plain (verified, or to be signed) value.
    pub fn value(&self) -> &str {
        &self.cookie.value
    }

    /// The underlying cookie: name, plain value and attributes.
    pub fn cookie(&self) -> &Cookie {
        &self.cookie
    }

    /// The underlying cookie, to set attributes or change the value.
    pub fn cookie_mut(&mut self) -> &mut Cookie {
        &mut self.cookie
    }

    /// The underlying cookie, with the plain value.
    pub fn into_cookie(self) -> Cookie {
        self.cookie
    }

    /// The cookie to send: the same name and attributes, the value signed with the first key
    /// (see [`sign_value`]). Its `Display` is the `Set-Cookie` header value.
    pub fn sign(&self, keys: &SigningKeys) -> Cookie {
        let mut out = self.cookie.clone();
        out.value = sign_value(&self.cookie.name, &self.cookie.value, keys);
        out
    }

    /// Checks a received cookie (mod_python's `unsign`) and returns it with its plain value:
    /// [`CookieError::Malformed`] or [`CookieError::BadSignature`] otherwise.
    pub fn verify(received: &Cookie, keys: &SigningKeys) -> Result<Self> {
        let value = verify_value(&received.name, &received.value, keys)?;
        let mut cookie = received.clone();
        cookie.value = value;
        Ok(Self { cookie })
    }

    /// Parses a `Cookie` header as [`Cookie::parse`] and verifies every cookie in it, failing
    /// on the first one that does not verify: mod_python's
    /// `SignedCookie.parse(s, secret, mismatch=Cookie.EXCEPTION)`. Most requests also carry
    /// unsigned cookies; see [`parse_valid`](Self::parse_valid) for those.
    pub fn parse(header: &str, keys: &SigningKeys) -> Result<CookieDict<Self>> {
        parse_pairs(header, None)
            .into_iter()
            .map(|(name, value)| {
                let signed = Self::verify(&Cookie::new(name.clone(), value), keys)?;
                Ok((name, signed))
            })
            .collect()
    }

    /// Parses a `Cookie` header and keeps only the cookies that verify, silently dropping the
    /// others: mod_python's `SignedCookie.parse(s, secret, mismatch=Cookie.IGNORE)`.
    pub fn parse_valid(header: &str, keys: &SigningKeys) -> CookieDict<Self> {
        parse_pairs(header, None)
            .into_iter()
            .filter_map(|(name, value)| {
                let signed = Self::verify(&Cookie::new(name.clone(), value), keys).ok()?;
                Some((name, signed))
            })
            .collect()
    }
}

/// A cookie holding any serde value, serialized to JSON, base64url-encoded and signed:
/// mod_python's `MarshalCookie`, with `serde_json` in place of `marshal`. As there, the
/// signature is checked before anything is decoded, so data the server did not sign never
/// reaches the deserializer.
///
/// The wrapped [`Cookie`] carries the name and attributes; its value is replaced when signing.
///
/// ```
/// use std::collections::BTreeMap;
/// use morsel::signed::{MarshalCookie, SigningKeys};
///
/// let keys = SigningKeys::single("secret007").ok_or("empty key")?;
/// let value = BTreeMap::from([("color".to_string(), "white".to_string())]);
/// let sent = MarshalCookie::new("spam", value.clone()).sign(&keys)?;
///
/// let back = MarshalCookie::<BTreeMap<String, String>>::verify(&sent, &keys)?;
/// assert_eq!(back.value(), &value);
///
/// // Signed for another type's shape, the payload still verifies but does not deserialize.
/// assert!(matches!(
///     MarshalCookie::<Vec<u32>>::verify(&sent, &keys),
///     Err(morsel::CookieError::Serde { .. })
/// ));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarshalCookie<T> {
    cookie: Cookie,
    value: T,
}

impl<T> MarshalCookie<T> {
    /// A marshal cookie with a name and a value.
    pub fn new(name: impl Into<String>, value: T) -> Self {
        Self {
            cookie: Cookie::new(name, ""),
            value,
        }
    }

    /// A marshal cookie taking its name and attributes from `cookie` (whose value is ignored).
    pub fn with_attributes(mut cookie: Cookie, value: T) -> Self {
        cookie.value.clear();
        Self { cookie, value }
    }

    /// The cookie's name.
    pub fn name(&self) -> &str {
        &self.cookie.name
    }

    /// The value.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// The value, mutably.
    pub fn value_mut(&mut self) -> &mut T {
        &mut self.value
    }

    /// The value, by value.
    pub fn into_value(self) -> T {
        self.value
    }

    /// The name and attributes (the cookie's own `value` is unused).
    pub fn attributes(&self) -> &Cookie {
        &self.cookie
    }

    /// The name and attributes, mutably.
    pub fn attributes_mut(&mut self) -> &mut Cookie {
        &mut self.cookie
    }
}

impl<T: Serialize> MarshalCookie<T> {
    /// The cookie to send: name and attributes, and as value the signature, `.` and the
    /// base64url JSON of the value. [`CookieError::Serde`] if the value does not serialize
    /// (e.g. a map with non-string keys).
    pub fn sign(&self, keys: &SigningKeys) -> Result<Cookie> {
        let json = serde_json::to_vec(&self.value).map_err(|e| CookieError::Serde {
            name: self.cookie.name.clone(),
            reason: e.to_string(),
        })?;
        let payload = URL_SAFE_NO_PAD.encode(json);
        let mut out = self.cookie.clone();
        out.value = sign_raw(keys, Kind::Marshal, &self.cookie.name, &payload);
        Ok(out)
    }
}

impl<T: DeserializeOwned> MarshalCookie<T> {
    /// Checks a received cookie and only then decodes and deserializes its value:
    /// [`CookieError::Malformed`] (not signature-dot-payload, or a signed payload that is
    /// not base64url), [`CookieError::BadSignature`], or [`CookieError::Serde`].
    pub fn verify(received: &Cookie, keys: &SigningKeys) -> Result<Self> {
        let name = &received.name;
        let raw = unquote(&received.value);
        let payload = verify_raw(keys, Kind::Marshal, name, &raw)?;
        // Only signed data gets this far.
        let json = URL_SAFE_NO_PAD
            .decode(payload)
            .map_err(|e| malformed(name, format!("payload is not base64url: {e}")))?;
        let value = serde_json::from_slice(&json).map_err(|e| CookieError::Serde {
            name: name.clone(),
            reason: e.to_string(),
        })?;
        Ok(Self::with_attributes(received.clone(), value))
    }

    /// Parses a `Cookie` header and verifies and decodes every cookie in it, failing on the
    /// first that does not: mod_python's `MarshalCookie.parse(s, secret,
    /// mismatch=Cookie.EXCEPTION)`.
    pub fn parse(header: &str, keys: &SigningKeys) -> Result<CookieDict<Self>> {
        parse_pairs(header, None)
            .into_iter()
            .map(|(name, value)| {
                let cookie = Self::verify(&Cookie::new(name.clone(), value), keys)?;
                Ok((name, cookie))
            })
            .collect()
    }

    /// Parses a `Cookie` header and keeps only the cookies that verify and decode, silently
    /// dropping the others: mod_python's `MarshalCookie.parse(s, secret,
    /// mismatch=Cookie.IGNORE)`.
    pub fn parse_valid(header: &str, keys: &SigningKeys) -> CookieDict<Self> {
        parse_pairs(header, None)
            .into_iter()
            .filter_map(|(name, value)| {
                let cookie = Self::verify(&Cookie::new(name.clone(), value), keys).ok()?;
                Some((name, cookie))
            })
            .collect()
    }
}
