//! `BrowserCookiePolicy`: a modern browser's rules (RFC 6265bis): host-only cookies, Secure
//! and cookie prefixes, SameSite enforcement, and the limits browsers keep.

use super::{CookiePolicy, Semantics, path_match, refuse, withhold};
use crate::cookie::{Cookie, SameSite};
use crate::domain::{ends_with_ignore_case, is_ip};
use crate::request::RequestInfo;

/// The limits a browser keeps on cookies (RFC 6265bis §5.7 and §6.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BrowserLimits {
    /// Longest name plus value, in bytes (4096).
    pub max_name_value: usize,
    /// Longest attribute value, in bytes (1024); longer attributes are ignored.
    pub max_attribute_value: usize,
    /// Most cookies per site (registrable domain) before the least recently used go (180).
    pub max_per_site: usize,
    /// Most cookies in the jar before the least recently used go (3000).
    pub max_total: usize,
    /// Longest lifetime in seconds from now (400 days).
    pub max_age_cap: i64,
}

impl Default for BrowserLimits {
    fn default() -> Self {
        BrowserLimits {
            max_name_value: 4096,
            max_attribute_value: 1024,
            max_per_site: 180,
            max_total: 3000,
            max_age_cap: 400 * 86_400,
        }
    }
}

/// A policy that accepts and returns cookies as a modern browser does (RFC 6265bis).
///
/// With it, the jar parses `Set-Cookie` as browsers do (the last attribute wins, nameless
/// cookies are kept, `Set-Cookie2` is ignored) and stores as they do: cookies without a
/// `Domain` go only to the host that set them, a `Domain` that is a public suffix is refused
/// (or made host-only when it is the host itself), a non-secure origin cannot set or
/// overwrite a `Secure` cookie, `__Secure-` and `__Host-` prefixes are enforced, `SameSite`
/// is checked against the request's [`SiteContext`](crate::SiteContext), the jar holds at
/// most [`BrowserLimits`] cookies, evicting expired then least recently used ones, and the
/// `Cookie` header lists longer paths first, then older cookies.
///
/// `SameSite` left unspecified counts as `None`, as the specification says (some browsers
/// treat it as `Lax`).
///
/// ```
/// use cookiejar::{BrowserCookiePolicy, CookieJar, CookieRequest};
///
/// let jar = CookieJar::with_policy(BrowserCookiePolicy::default());
/// let set = http::Request::get("http://www.example.com/").body(()).unwrap();
/// let response = http::Response::builder()
///     .header("Set-Cookie", "host_only=1")
///     .header("Set-Cookie", "shared=2; Domain=example.com")
///     .header("Set-Cookie", "secret=3; Secure")
///     .body(())
///     .unwrap();
/// jar.extract_cookies(&response, &set);
///
/// let mut sub = http::Request::get("http://api.example.com/").body(()).unwrap();
/// jar.add_cookie_header(&mut sub);
/// assert_eq!(sub.header("Cookie").as_deref(), Some("shared=2"));
/// assert_eq!(jar.len(), 2, "a Secure cookie from http:// is refused");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrowserCookiePolicy {
    limits: BrowserLimits,
    secure_protocols: Vec<String>,
}

impl Default for BrowserCookiePolicy {
    fn default() -> Self {
        BrowserCookiePolicy::new(BrowserLimits::default())
    }
}

impl BrowserCookiePolicy {
    /// A browser policy with the given limits.
    pub fn new(limits: BrowserLimits) -> BrowserCookiePolicy {
        BrowserCookiePolicy {
            limits,
            secure_protocols: vec!["https".into(), "wss".into()],
        }
    }

    /// The limits this policy keeps.
    pub fn limits(&self) -> BrowserLimits {
        self.limits
    }

    /// Whether the request's scheme is a secure protocol (`https`, `wss`).
    pub fn is_secure(&self, request: &RequestInfo) -> bool {
        self.secure_protocols.iter().any(|p| p == request.scheme())
    }

    /// Whether `host` domain-matches the cookie's domain key (RFC 6265 §5.1.3): equal for
    /// host-only cookies; for domain cookies equal to, or a subdomain of, the domain, and
    /// never for IP addresses.
    pub fn host_matches(host: &str, domain_key: &str) -> bool {
        match domain_key.strip_prefix('.') {
            None => host.eq_ignore_ascii_case(domain_key),
            Some(d) => {
                host.eq_ignore_ascii_case(d)
                    || (!is_ip(host)
                        && host.len() > d.len() + 1
                        && ends_with_ignore_case(host, d)
                        && host.as_bytes()[host.len() - d.len() - 1] == b'.')
            }
        }
    }
}

fn has_prefix_ignore_case(name: &str, prefix: &str) -> bool {
    name.len() >= prefix.len()
        && name.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

impl CookiePolicy for BrowserCookiePolicy {
    fn set_ok(&self, cookie: &Cookie, request: &RequestInfo) -> bool {
        if cookie.name().len() + cookie.value().map_or(0, str::len) > self.limits.max_name_value {
            return refuse(cookie, "size", "name and value longer than the limit");
        }
        if !Self::host_matches(request.host(), cookie.domain()) {
            return refuse(
                cookie,
                "domain",
                "request host does not domain-match the Domain attribute",
            );
        }
        let secure_origin = self.is_secure(request);
        if cookie.secure() && !secure_origin {
            return refuse(cookie, "secure", "Secure cookie from a non-secure origin");
        }
        if has_prefix_ignore_case(cookie.name(), "__Secure-") && !(cookie.secure() && secure_origin)
        {
            return refuse(
                cookie,
                "prefix",
                "__Secure- cookie without Secure from a secure origin",
            );
        }
        if has_prefix_ignore_case(cookie.name(), "__Host-")
            && !(cookie.secure()
                && secure_origin
                && cookie.is_host_only()
                && cookie.path_specified()
                && cookie.path() == "/")
        {
            return refuse(
                cookie,
                "prefix",
                "__Host- cookie must be Secure, host-only and Path=/",
            );
        }
        if cookie.same_site() == Some(SameSite::None) && !cookie.secure() {
            return refuse(cookie, "samesite", "SameSite=None without Secure");
        }
        let site = request.site_context();
        if matches!(cookie.same_site(), Some(SameSite::Strict | SameSite::Lax))
            && !site.same_site
            && !site.top_level_navigation
        {
            return refuse(
                cookie,
                "samesite",
                "SameSite cookie set by a cross-site subresource request",
            );
        }
        true
    }

    fn return_ok(&self, cookie: &Cookie, request: &RequestInfo) -> bool {
        if cookie.is_expired(request.now()) {
            return withhold(cookie, "expires", "cookie expired");
        }
        if !Self::host_matches(request.host(), cookie.domain()) {
            return withhold(
                cookie,
                "domain",
                "request host does not match the cookie's domain",
            );
        }
        if cookie.secure() && !self.is_secure(request) {
            return withhold(cookie, "secure", "Secure cookie with a non-secure request");
        }
        let site = request.site_context();
        match cookie.same_site() {
            Some(SameSite::Strict) if !site.same_site => withhold(
                cookie,
                "samesite",
                "SameSite=Strict cookie on a cross-site request",
            ),
            Some(SameSite::Lax)
                if !(site.same_site || site.top_level_navigation && site.safe_method) =>
            {
                withhold(
                    cookie,
                    "samesite",
                    "SameSite=Lax cookie on a cross-site request that is not a safe top-level navigation",
                )
            }
            _ => true,
        }
    }

    fn domain_return_ok(&self, domain: &str, request: &RequestInfo) -> bool {
        Self::host_matches(request.host(), domain)
    }

    fn path_return_ok(&self, path: &str, request: &RequestInfo) -> bool {
        path_match(request.path(), path)
    }

    fn semantics(&self) -> Semantics {
        Semantics::Browser(self.limits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_matching() {
        assert!(BrowserCookiePolicy::host_matches("a.com", "a.com"));
        assert!(!BrowserCookiePolicy::host_matches("www.a.com", "a.com"));
        assert!(BrowserCookiePolicy::host_matches("www.a.com", ".a.com"));
        assert!(BrowserCookiePolicy::host_matches("A.com", ".a.com"));
        assert!(!BrowserCookiePolicy::host_matches("wwwa.com", ".a.com"));
        assert!(!BrowserCookiePolicy::host_matches("1.2.3.4", ".3.4"));
        assert!(BrowserCookiePolicy::host_matches("1.2.3.4", "1.2.3.4"));
    }
}
