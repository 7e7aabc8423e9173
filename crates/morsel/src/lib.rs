//! Server-side cookies for mechanize-rs: Python's `Cookie` module (`SimpleCookie`, `Morsel`) and
//! mod_python's (`Cookie`, `SignedCookie`, `MarshalCookie`), in Rust. Independent of the client
//! and of `cookiejar`, as Python's `Cookie` and `cookielib` modules are of each other.
//!
//! The Python side, [`SimpleCookie`] and [`Morsel`], matches CPython's `http.cookies` output
//! byte for byte, the lenient `load` parser included:
//!
//! ```
//! use morsel::SimpleCookie;
//!
//! let mut c = SimpleCookie::new();
//! c.load("chips=ahoy; vienna=finger")?;
//! c.insert("oreo", "doublestuff")?;
//! if let Some(oreo) = c.get_mut("oreo") {
//!     oreo.set_attr("path", "/")?;
//! }
//! assert_eq!(
//!     c.to_string(),
//!     "Set-Cookie: chips=ahoy\r\nSet-Cookie: oreo=doublestuff; Path=/\r\nSet-Cookie: vienna=finger"
//! );
//! # Ok::<(), morsel::CookieError>(())
//! ```

mod cookie_map;
mod error;
mod morsel;
mod quote;

pub mod headers;
pub mod modpython;
pub mod signed;

pub use cookie_map::{BaseCookie, DEFAULT_SEP, RawCodec, SimpleCookie, StrCodec, ValueCodec};
pub use error::{CookieError, Result};
pub use morsel::{AttrValue, DEFAULT_HEADER, Morsel};
pub use quote::{is_legal_key, quote, unquote};

pub use modpython::CookieDict;
pub use signed::{MarshalCookie, SignedCookie, SigningKeys};

/// The guide's code blocks (`docs/morsel.md`), compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/morsel.md")]
pub struct GuideDoctests;
