//! The cookie engine of mechanize-rs: Python cookielib's `CookieJar` and cookie policies in
//! Rust, plus a browser-grade RFC 6265bis policy, usable with any HTTP client.
//!
//! - [`CookieJar`] stores cookies, parses `Set-Cookie`/`Set-Cookie2` from responses
//!   ([`extract_cookies`](CookieJar::extract_cookies)) and writes `Cookie` headers into requests
//!   ([`add_cookie_header`](CookieJar::add_cookie_header)).
//! - A [`CookiePolicy`] decides what is accepted and returned: [`DefaultCookiePolicy`] is
//!   cookielib's, with every switch; [`BrowserCookiePolicy`] behaves like a modern browser.
//! - The jar sees requests and responses through two small traits, [`CookieRequest`] and
//!   [`CookieResponse`], implemented for the `http` crate's types.
//! - [`dates`] holds the liberal date parsers (`http2time`, `iso2time`, `str2time`) and
//!   [`header`] the header-word helpers.
//!
//! Every decision is logged with `tracing` at DEBUG: which cookie, which rule, and why.
//!
//! ```
//! use cookiejar::{CookieJar, CookieRequest};
//!
//! let jar = CookieJar::new();
//! let request = http::Request::get("http://example.com/").body(()).unwrap();
//! let response = http::Response::builder()
//!     .header("Set-Cookie", "theme=dark; Max-Age=3600")
//!     .body(())
//!     .unwrap();
//! jar.extract_cookies(&response, &request);
//!
//! let mut next = http::Request::get("http://example.com/settings").body(()).unwrap();
//! jar.add_cookie_header(&mut next);
//! assert_eq!(next.header("Cookie").as_deref(), Some("theme=dark"));
//! ```

mod clock;
mod cookie;
pub mod dates;
pub mod domain;
mod error;
pub mod file;
pub mod header;
mod jar;
mod listener;
mod parse;
mod policy;
mod request;
mod store;

pub use clock::{Clock, FixedClock, SystemClock};
pub use cookie::{Cookie, SameSite};
pub use error::{Error, Result};
pub use jar::CookieJar;
pub use listener::{Change, ChangeListener};
pub use policy::{
    BrowserCookiePolicy, BrowserLimits, CookiePolicy, DefaultCookiePolicy,
    DefaultCookiePolicyBuilder, DomainStrictness, Semantics, path_match,
};
pub use request::{
    CookieRequest, CookieResponse, OriginRequestHost, RequestInfo, SiteContext, Unverifiable,
};

/// The guide's code blocks (`docs/cookiejar.md`), compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/cookiejar.md")]
pub struct GuideDoctests;
