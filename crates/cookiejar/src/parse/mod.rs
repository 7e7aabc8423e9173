//! Turning `Set-Cookie` / `Set-Cookie2` headers into `Cookie`s, in the two dialects the jar
//! speaks: cookielib's (`cookielib.rs`) and a browser's, RFC 6265bis (`browser.rs`).

pub(crate) mod browser;
pub(crate) mod cookielib;

use std::sync::Arc;

use crate::cookie::{Cookie, Scope};

/// What parsing one response produced.
#[derive(Debug, Default)]
pub(crate) struct Parsed {
    /// The cookies, in header order, not yet checked by the policy.
    pub(crate) cookies: Vec<Cookie>,
    /// Cookies the response expired, as (scope, name): cookielib deletes these while
    /// parsing, before any policy check.
    pub(crate) expired: Vec<(Arc<Scope>, String)>,
}
