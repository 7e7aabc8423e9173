//! The `CookiePolicy` trait (which cookies are accepted and returned) and its two policies:
//! cookielib's `DefaultCookiePolicy` and the browser-grade `BrowserCookiePolicy`.

mod browser;
mod default;

pub use browser::{BrowserCookiePolicy, BrowserLimits};
pub use default::{DefaultCookiePolicy, DefaultCookiePolicyBuilder, DomainStrictness};

use std::fmt::Debug;

use crate::cookie::Cookie;
use crate::request::RequestInfo;

/// How the jar parses `Set-Cookie` and stores cookies for a policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Semantics {
    /// cookielib's: Netscape, RFC 2109 and RFC 2965 parsing (first attribute wins), cookies
    /// keyed by domain, path and name, and no limits on the jar.
    Cookielib,
    /// A browser's (RFC 6265bis): last attribute wins, host-only cookies, Secure cookies
    /// protected from non-secure origins, the given limits with least-recently-used eviction,
    /// and `Cookie` headers ordered by path length, then creation.
    Browser(BrowserLimits),
}

/// Decides which cookies are accepted from servers and returned to them.
///
/// The two required methods are cookielib's `set_ok` and `return_ok`; the others have
/// cookielib's defaults. A custom policy usually wraps [`DefaultCookiePolicy`] and
/// delegates to it, adding its own rules:
///
/// ```
/// use cookiejar::{Cookie, CookieJar, CookiePolicy, DefaultCookiePolicy, RequestInfo};
///
/// /// Accepts what the default policy accepts, but never cookies named "tracking".
/// #[derive(Debug, Default)]
/// struct MyCookiePolicy(DefaultCookiePolicy);
///
/// impl CookiePolicy for MyCookiePolicy {
///     fn set_ok(&self, cookie: &Cookie, request: &RequestInfo) -> bool {
///         self.0.set_ok(cookie, request) && cookie.name() != "tracking"
///     }
///     fn return_ok(&self, cookie: &Cookie, request: &RequestInfo) -> bool {
///         self.0.return_ok(cookie, request)
///     }
///     fn domain_return_ok(&self, domain: &str, request: &RequestInfo) -> bool {
///         self.0.domain_return_ok(domain, request)
///     }
///     fn path_return_ok(&self, path: &str, request: &RequestInfo) -> bool {
///         self.0.path_return_ok(path, request)
///     }
/// }
///
/// let jar = CookieJar::with_policy(MyCookiePolicy::default());
/// let request = http::Request::get("http://www.example.com/").body(()).unwrap();
/// let response = http::Response::builder()
///     .header("Set-Cookie", "tracking=1")
///     .header("Set-Cookie", "session=2")
///     .body(())
///     .unwrap();
/// jar.extract_cookies(&response, &request);
/// let names: Vec<String> = jar.iter().map(|c| c.name().to_owned()).collect();
/// assert_eq!(names, ["session"]);
/// ```
pub trait CookiePolicy: Send + Sync + Debug {
    /// Whether `cookie`, just received in answer to `request`, may be stored.
    fn set_ok(&self, cookie: &Cookie, request: &RequestInfo) -> bool;

    /// Whether `cookie` may be sent with `request`.
    fn return_ok(&self, cookie: &Cookie, request: &RequestInfo) -> bool;

    /// A quick filter: `false` if no cookie stored under `domain` should go with `request`.
    fn domain_return_ok(&self, _domain: &str, _request: &RequestInfo) -> bool {
        true
    }

    /// A quick filter: `false` if no cookie with `path` should go with `request`.
    fn path_return_ok(&self, _path: &str, _request: &RequestInfo) -> bool {
        true
    }

    /// Whether Netscape (and RFC 2109 downgraded) cookies are handled.
    fn netscape(&self) -> bool {
        true
    }

    /// Whether RFC 2965 (`Set-Cookie2`) cookies are handled.
    fn rfc2965(&self) -> bool {
        false
    }

    /// Whether to leave out the `Cookie2` header that advertises RFC 2965 support.
    fn hide_cookie2(&self) -> bool {
        false
    }

    /// Whether RFC 2109 cookies are downgraded to Netscape ones; `None` means "when RFC 2965
    /// is off", as in cookielib.
    fn rfc2109_as_netscape(&self) -> Option<bool> {
        None
    }

    /// How the jar parses and stores cookies under this policy.
    fn semantics(&self) -> Semantics {
        Semantics::Cookielib
    }
}

impl<P: CookiePolicy + ?Sized> CookiePolicy for std::sync::Arc<P> {
    fn set_ok(&self, cookie: &Cookie, request: &RequestInfo) -> bool {
        (**self).set_ok(cookie, request)
    }
    fn return_ok(&self, cookie: &Cookie, request: &RequestInfo) -> bool {
        (**self).return_ok(cookie, request)
    }
    fn domain_return_ok(&self, domain: &str, request: &RequestInfo) -> bool {
        (**self).domain_return_ok(domain, request)
    }
    fn path_return_ok(&self, path: &str, request: &RequestInfo) -> bool {
        (**self).path_return_ok(path, request)
    }
    fn netscape(&self) -> bool {
        (**self).netscape()
    }
    fn rfc2965(&self) -> bool {
        (**self).rfc2965()
    }
    fn hide_cookie2(&self) -> bool {
        (**self).hide_cookie2()
    }
    fn rfc2109_as_netscape(&self) -> Option<bool> {
        (**self).rfc2109_as_netscape()
    }
    fn semantics(&self) -> Semantics {
        (**self).semantics()
    }
}

/// Logs, at DEBUG, that `cookie` was refused by `rule` and why; returns `false`.
pub(crate) fn refuse(cookie: &Cookie, rule: &'static str, why: &'static str) -> bool {
    tracing::debug!(
        name = cookie.name(),
        domain = cookie.domain(),
        path = cookie.path(),
        rule,
        "cookie refused: {why}"
    );
    false
}

/// Logs, at DEBUG, that `cookie` was withheld from a request by `rule` and why; returns `false`.
pub(crate) fn withhold(cookie: &Cookie, rule: &'static str, why: &'static str) -> bool {
    tracing::debug!(
        name = cookie.name(),
        domain = cookie.domain(),
        path = cookie.path(),
        rule,
        "cookie withheld: {why}"
    );
    false
}

/// cookielib's path match: the request path equals the cookie path, or starts with it at a
/// `/` boundary.
pub fn path_match(request_path: &str, cookie_path: &str) -> bool {
    request_path == cookie_path
        || (request_path.starts_with(cookie_path)
            && (cookie_path.ends_with('/') || request_path[cookie_path.len()..].starts_with('/')))
}
