//! `DefaultCookiePolicy`: cookielib's rules for accepting and returning Netscape, RFC 2109 and
//! RFC 2965 cookies, every switch included, with cookielib's security bugs fixed.

use std::ops::{BitOr, BitOrAssign};

use tracing::debug;

use super::{CookiePolicy, path_match, refuse, withhold};
use crate::cookie::Cookie;
use crate::dates::python_int;
use crate::domain::{
    domain_match, ends_like_ipv4, ends_with_ignore_case, is_public_suffix, user_domain_match,
};
use crate::request::RequestInfo;

/// How strictly Netscape cookies' domains are checked (cookielib's `strict_ns_domain` flags).
///
/// Combine with `|`:
///
/// ```
/// use cookiejar::DomainStrictness;
/// let s = DomainStrictness::STRICT_NO_DOTS | DomainStrictness::STRICT_NON_DOMAIN;
/// assert_eq!(s, DomainStrictness::STRICT);
/// assert!(s.contains(DomainStrictness::STRICT_NO_DOTS));
/// assert!(!DomainStrictness::LIBERAL.contains(DomainStrictness::RFC2965_MATCH));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct DomainStrictness(u8);

impl DomainStrictness {
    /// `DomainLiberal`: no extra checks.
    pub const LIBERAL: DomainStrictness = DomainStrictness(0);
    /// `DomainStrictNoDots`: the part of the host before the cookie's domain may not hold a
    /// dot (`www.foo.bar.com` cannot set a cookie for `.bar.com`).
    pub const STRICT_NO_DOTS: DomainStrictness = DomainStrictness(1);
    /// `DomainStrictNonDomain`: cookies that did not specify a domain are returned only to
    /// the exact host that set them.
    pub const STRICT_NON_DOMAIN: DomainStrictness = DomainStrictness(2);
    /// `DomainRFC2965Match`: Netscape cookies must pass RFC 2965 domain matching too.
    pub const RFC2965_MATCH: DomainStrictness = DomainStrictness(4);
    /// `DomainStrict`: `STRICT_NO_DOTS | STRICT_NON_DOMAIN`.
    pub const STRICT: DomainStrictness = DomainStrictness(3);

    /// Whether every flag in `other` is set here.
    pub fn contains(self, other: DomainStrictness) -> bool {
        self.0 & other.0 == other.0
    }
}

impl BitOr for DomainStrictness {
    type Output = DomainStrictness;
    fn bitor(self, rhs: DomainStrictness) -> DomainStrictness {
        DomainStrictness(self.0 | rhs.0)
    }
}

impl BitOrAssign for DomainStrictness {
    fn bitor_assign(&mut self, rhs: DomainStrictness) {
        self.0 |= rhs.0;
    }
}

/// cookielib's `DefaultCookiePolicy`: the standard rules for Netscape and RFC 2965 cookies.
///
/// Defaults are cookielib's: Netscape on, RFC 2965 off, RFC 2109 cookies downgraded while
/// RFC 2965 is off, liberal Netscape domain checks, unverifiable third-party RFC 2965 cookies
/// refused, secure cookies sent over `https` and `wss`. Two differences, both security fixes:
/// domains match only on label boundaries (CVE-2018-20852, python/cpython#150522), and a
/// `Domain` that is a public suffix (`com`, `co.uk`, `blogspot.com`) is refused unless it is
/// the request host itself; [`reject_public_suffixes(false)`](DefaultCookiePolicyBuilder::reject_public_suffixes)
/// restores cookielib's behaviour there.
///
/// The seed's blocked-domain example: RFC 2965 on, strict Netscape domains, and two
/// spellings of a blocked domain.
///
/// ```
/// use cookiejar::{CookieJar, DefaultCookiePolicy, DomainStrictness};
///
/// let policy = DefaultCookiePolicy::builder()
///     .rfc2965(true)
///     .strict_ns_domain(DomainStrictness::STRICT)
///     .blocked_domains(["ads.net", ".ads.net"])
///     .build();
/// assert!(policy.is_blocked("ads.net"));
/// assert!(policy.is_blocked("www.ads.net"));
/// assert!(!policy.is_blocked("roads.net"));
///
/// let jar = CookieJar::with_policy(policy);
/// let request = http::Request::get("http://www.ads.net/").body(()).unwrap();
/// let response = http::Response::builder().header("Set-Cookie", "id=1").body(()).unwrap();
/// jar.extract_cookies(&response, &request);
/// assert!(jar.is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefaultCookiePolicy {
    blocked_domains: Vec<String>,
    allowed_domains: Option<Vec<String>>,
    netscape: bool,
    rfc2965: bool,
    rfc2109_as_netscape: Option<bool>,
    hide_cookie2: bool,
    strict_domain: bool,
    strict_rfc2965_unverifiable: bool,
    strict_ns_unverifiable: bool,
    strict_ns_domain: DomainStrictness,
    strict_ns_set_initial_dollar: bool,
    strict_ns_set_path: bool,
    secure_protocols: Vec<String>,
    reject_public_suffixes: bool,
}

impl Default for DefaultCookiePolicy {
    fn default() -> Self {
        DefaultCookiePolicy {
            blocked_domains: Vec::new(),
            allowed_domains: None,
            netscape: true,
            rfc2965: false,
            rfc2109_as_netscape: None,
            hide_cookie2: false,
            strict_domain: false,
            strict_rfc2965_unverifiable: true,
            strict_ns_unverifiable: false,
            strict_ns_domain: DomainStrictness::LIBERAL,
            strict_ns_set_initial_dollar: false,
            strict_ns_set_path: false,
            secure_protocols: vec!["https".to_owned(), "wss".to_owned()],
            reject_public_suffixes: true,
        }
    }
}

/// Builds a [`DefaultCookiePolicy`]; every method is one of cookielib's keyword arguments.
#[derive(Debug, Clone, Default)]
pub struct DefaultCookiePolicyBuilder(DefaultCookiePolicy);

macro_rules! builder_setters {
    ($($(#[$doc:meta])* $name:ident: $ty:ty;)*) => {
        impl DefaultCookiePolicyBuilder {
            $(
                $(#[$doc])*
                pub fn $name(mut self, value: $ty) -> Self {
                    self.0.$name = value;
                    self
                }
            )*
        }
    };
}

builder_setters! {
    /// Handle Netscape cookies (default on).
    netscape: bool;
    /// Handle RFC 2965 cookies (default off).
    rfc2965: bool;
    /// Downgrade RFC 2109 cookies to Netscape ones: `Some(true)`, `Some(false)`, or `None`
    /// (the default) for "downgrade when RFC 2965 is off".
    rfc2109_as_netscape: Option<bool>;
    /// Don't add the `Cookie2` header to requests (default off).
    hide_cookie2: bool;
    /// Refuse `.co.uk`-style country-code second-level domains (default off).
    strict_domain: bool;
    /// Refuse RFC 2965 cookies in unverifiable third-party transactions (default on).
    strict_rfc2965_unverifiable: bool;
    /// Refuse Netscape cookies in unverifiable third-party transactions (default off).
    strict_ns_unverifiable: bool;
    /// How strict the Netscape domain checks are (default [`DomainStrictness::LIBERAL`]).
    strict_ns_domain: DomainStrictness;
    /// Refuse Netscape cookies whose name starts with `$` (default off).
    strict_ns_set_initial_dollar: bool;
    /// Refuse Netscape cookies whose `Path` does not path-match the request (default off).
    strict_ns_set_path: bool;
    /// Refuse a `Domain` that is a public suffix unless it is the request host (default on;
    /// off is cookielib's behaviour).
    reject_public_suffixes: bool;
}

impl DefaultCookiePolicyBuilder {
    /// Domains never to accept cookies from or return them to. A leading dot matches every
    /// host under the domain; without one only that host; IP addresses match exactly.
    pub fn blocked_domains<I, S>(mut self, domains: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.0.blocked_domains = domains.into_iter().map(Into::into).collect();
        self
    }

    /// The only domains to accept cookies from and return them to (same matching as
    /// [`blocked_domains`](Self::blocked_domains)). Without this call, every domain is allowed.
    pub fn allowed_domains<I, S>(mut self, domains: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.0.allowed_domains = Some(domains.into_iter().map(Into::into).collect());
        self
    }

    /// The URL schemes over which secure cookies are returned (default `https`, `wss`).
    pub fn secure_protocols<I, S>(mut self, schemes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.0.secure_protocols = schemes
            .into_iter()
            .map(|s| s.into().to_ascii_lowercase())
            .collect();
        self
    }

    /// The policy.
    pub fn build(self) -> DefaultCookiePolicy {
        self.0
    }
}

impl DefaultCookiePolicy {
    /// A builder starting from cookielib's defaults.
    pub fn builder() -> DefaultCookiePolicyBuilder {
        DefaultCookiePolicyBuilder::default()
    }

    /// The blocked domains.
    pub fn blocked_domains(&self) -> &[String] {
        &self.blocked_domains
    }
    /// Replaces the blocked domains.
    pub fn set_blocked_domains<I: IntoIterator<Item = S>, S: Into<String>>(&mut self, domains: I) {
        self.blocked_domains = domains.into_iter().map(Into::into).collect();
    }
    /// The allowed domains, or `None` when every domain is allowed.
    pub fn allowed_domains(&self) -> Option<&[String]> {
        self.allowed_domains.as_deref()
    }
    /// Replaces the allowed domains (`None` allows all).
    pub fn set_allowed_domains<I: IntoIterator<Item = S>, S: Into<String>>(
        &mut self,
        domains: Option<I>,
    ) {
        self.allowed_domains = domains.map(|d| d.into_iter().map(Into::into).collect());
    }
    /// Whether `domain` is on the block list.
    pub fn is_blocked(&self, domain: &str) -> bool {
        self.blocked_domains
            .iter()
            .any(|b| user_domain_match(domain, b))
    }
    /// Whether an allow list is set and `domain` is not on it.
    pub fn is_not_allowed(&self, domain: &str) -> bool {
        self.allowed_domains
            .as_ref()
            .is_some_and(|allowed| !allowed.iter().any(|a| user_domain_match(domain, a)))
    }
    /// The `strict_domain` switch.
    pub fn strict_domain(&self) -> bool {
        self.strict_domain
    }
    /// The `strict_rfc2965_unverifiable` switch.
    pub fn strict_rfc2965_unverifiable(&self) -> bool {
        self.strict_rfc2965_unverifiable
    }
    /// The `strict_ns_unverifiable` switch.
    pub fn strict_ns_unverifiable(&self) -> bool {
        self.strict_ns_unverifiable
    }
    /// The `strict_ns_domain` flags.
    pub fn strict_ns_domain(&self) -> DomainStrictness {
        self.strict_ns_domain
    }
    /// The `strict_ns_set_initial_dollar` switch.
    pub fn strict_ns_set_initial_dollar(&self) -> bool {
        self.strict_ns_set_initial_dollar
    }
    /// The `strict_ns_set_path` switch.
    pub fn strict_ns_set_path(&self) -> bool {
        self.strict_ns_set_path
    }
    /// The schemes secure cookies are returned over.
    pub fn secure_protocols(&self) -> &[String] {
        &self.secure_protocols
    }
    /// Whether public-suffix domains are refused.
    pub fn reject_public_suffixes(&self) -> bool {
        self.reject_public_suffixes
    }

    /// Refuses `Set-Cookie2` cookies without a version, and versions that are switched off.
    pub fn set_ok_version(&self, cookie: &Cookie, _request: &RequestInfo) -> bool {
        let Some(version) = cookie.version() else {
            return refuse(cookie, "version", "Set-Cookie2 without a Version attribute");
        };
        if version > 0 && !self.rfc2965 {
            return refuse(cookie, "version", "RFC 2965 cookies are switched off");
        }
        if version == 0 && !self.netscape {
            return refuse(cookie, "version", "Netscape cookies are switched off");
        }
        true
    }

    /// Refuses third-party cookies in unverifiable transactions, as the strictness flags say.
    pub fn set_ok_verifiability(&self, cookie: &Cookie, request: &RequestInfo) -> bool {
        self.verifiability_ok(cookie, request)
    }

    fn verifiability_ok(&self, cookie: &Cookie, request: &RequestInfo) -> bool {
        if request.is_unverifiable() && request.is_third_party() {
            let v = cookie.version_number();
            if v > 0 && self.strict_rfc2965_unverifiable {
                return refuse(
                    cookie,
                    "verifiability",
                    "third-party RFC 2965 cookie during unverifiable transaction",
                );
            }
            if v == 0 && self.strict_ns_unverifiable {
                return refuse(
                    cookie,
                    "verifiability",
                    "third-party Netscape cookie during unverifiable transaction",
                );
            }
        }
        true
    }

    /// Refuses Netscape names starting with `$` when `strict_ns_set_initial_dollar` is on.
    pub fn set_ok_name(&self, cookie: &Cookie, _request: &RequestInfo) -> bool {
        if cookie.version_number() == 0
            && self.strict_ns_set_initial_dollar
            && cookie.name().starts_with('$')
        {
            return refuse(cookie, "name", "name starts with '$'");
        }
        true
    }

    /// Refuses a specified path that does not path-match the request (RFC 2965 cookies, or
    /// Netscape ones with `strict_ns_set_path`).
    pub fn set_ok_path(&self, cookie: &Cookie, request: &RequestInfo) -> bool {
        if cookie.path_specified()
            && (cookie.version_number() > 0 || self.strict_ns_set_path)
            && !path_match(request.path(), cookie.path())
        {
            return refuse(cookie, "path", "Path is not a prefix of the request path");
        }
        true
    }

    /// The domain rules: block and allow lists, public suffixes, embedded dots, and the
    /// Netscape and RFC 2965 domain matches.
    pub fn set_ok_domain(&self, cookie: &Cookie, request: &RequestInfo) -> bool {
        let domain = cookie.domain();
        if self.is_blocked(domain) {
            return refuse(cookie, "domain", "domain is in the block list");
        }
        if self.is_not_allowed(domain) {
            return refuse(cookie, "domain", "domain is not in the allow list");
        }
        if !cookie.domain_specified() {
            return true;
        }
        let req_host = request.host();
        let erhn = request.effective_host();
        let undotted = domain.strip_prefix('.').unwrap_or(domain);
        if self.strict_domain && is_country_code_sld(domain) {
            return refuse(cookie, "strict_domain", "country-code second-level domain");
        }
        if self.reject_public_suffixes
            && !undotted.eq_ignore_ascii_case(req_host)
            && is_public_suffix(undotted)
        {
            return refuse(cookie, "public_suffix", "Domain is a public suffix");
        }
        if !undotted.contains('.') && !erhn.ends_with(".local") {
            return refuse(cookie, "domain", "non-local domain has no embedded dot");
        }
        let version = cookie.version_number();
        if version == 0 {
            let local = strip_suffix_ignore_case(erhn, ".local");
            let dotted_erhn_matches = ends_with_ignore_case(erhn, domain)
                || local.is_some_and(|l| dot_suffix_match(l, undotted))
                || dotted_ends_with(erhn, domain);
            if !dotted_erhn_matches {
                return refuse(
                    cookie,
                    "domain",
                    "effective request host does not end with the cookie domain",
                );
            }
        }
        if (version > 0
            || self
                .strict_ns_domain
                .contains(DomainStrictness::RFC2965_MATCH))
            && !domain_match(erhn, domain)
        {
            return refuse(
                cookie,
                "domain",
                "effective request host does not domain-match the cookie domain",
            );
        }
        if version > 0
            || self
                .strict_ns_domain
                .contains(DomainStrictness::STRICT_NO_DOTS)
        {
            let prefix = req_host
                .len()
                .checked_sub(domain.len())
                .filter(|_| !domain.is_empty())
                .and_then(|n| req_host.get(..n))
                .unwrap_or("");
            if prefix.contains('.') && !ends_like_ipv4(req_host) {
                return refuse(
                    cookie,
                    "domain",
                    "host prefix before the cookie domain contains a dot",
                );
            }
        }
        true
    }

    /// Refuses a port list that is not numeric or does not hold the request's port.
    pub fn set_ok_port(&self, cookie: &Cookie, request: &RequestInfo) -> bool {
        if !cookie.port_specified() {
            return true;
        }
        let port = cookie.port().unwrap_or("");
        for p in port.split(',') {
            if python_int(p).is_none() {
                return refuse(cookie, "port", "port list is not numeric");
            }
            if p == request.port() {
                return true;
            }
        }
        refuse(
            cookie,
            "port",
            "request port is not in the cookie's port list",
        )
    }

    /// Refuses versions that are switched off.
    pub fn return_ok_version(&self, cookie: &Cookie, _request: &RequestInfo) -> bool {
        let v = cookie.version_number();
        if v > 0 && !self.rfc2965 {
            return withhold(cookie, "version", "RFC 2965 cookies are switched off");
        }
        if v == 0 && !self.netscape {
            return withhold(cookie, "version", "Netscape cookies are switched off");
        }
        true
    }

    /// Withholds third-party cookies in unverifiable transactions, as the flags say.
    pub fn return_ok_verifiability(&self, cookie: &Cookie, request: &RequestInfo) -> bool {
        self.verifiability_ok(cookie, request)
    }

    /// Withholds secure cookies from requests whose scheme is not a secure protocol.
    pub fn return_ok_secure(&self, cookie: &Cookie, request: &RequestInfo) -> bool {
        if cookie.secure() && !self.secure_protocols.iter().any(|p| p == request.scheme()) {
            return withhold(cookie, "secure", "secure cookie with a non-secure request");
        }
        true
    }

    /// Withholds expired cookies.
    pub fn return_ok_expires(&self, cookie: &Cookie, request: &RequestInfo) -> bool {
        if cookie.is_expired(request.now()) {
            return withhold(cookie, "expires", "cookie expired");
        }
        true
    }

    /// Withholds cookies whose port list does not hold the request's port.
    pub fn return_ok_port(&self, cookie: &Cookie, request: &RequestInfo) -> bool {
        match cookie.port() {
            Some(ports) if !ports.is_empty() => {
                if ports.split(',').any(|p| p == request.port()) {
                    true
                } else {
                    withhold(
                        cookie,
                        "port",
                        "request port does not match the cookie's ports",
                    )
                }
            }
            _ => true,
        }
    }

    /// Withholds cookies whose domain does not match the request host.
    pub fn return_ok_domain(&self, cookie: &Cookie, request: &RequestInfo) -> bool {
        let erhn = request.effective_host();
        let domain = cookie.domain();
        let version = cookie.version_number();
        if version == 0
            && self
                .strict_ns_domain
                .contains(DomainStrictness::STRICT_NON_DOMAIN)
            && !cookie.domain_specified()
            && domain != erhn
        {
            return withhold(
                cookie,
                "domain",
                "unspecified domain is not the request host",
            );
        }
        if version > 0 && !domain_match(erhn, domain) {
            return withhold(
                cookie,
                "domain",
                "request host does not domain-match the RFC 2965 cookie domain",
            );
        }
        if version == 0 && !dot_suffix_match(erhn, domain) {
            return withhold(
                cookie,
                "domain",
                "request host does not match the Netscape cookie domain",
            );
        }
        true
    }
}

/// Whether `"." + host` ends with `domain` given a leading dot (cookielib's Netscape domain
/// test, which only ever matches on label boundaries).
fn dot_suffix_match(host: &str, domain: &str) -> bool {
    let undotted = domain.strip_prefix('.').unwrap_or(domain);
    if undotted.is_empty() {
        return domain.is_empty() || host.ends_with('.');
    }
    let Some(start) = host.len().checked_sub(undotted.len()) else {
        return false;
    };
    let tail = &host.as_bytes()[start..];
    // Hosts and stored domains are normally lower case already: try the exact comparison first.
    (tail == undotted.as_bytes() || tail.eq_ignore_ascii_case(undotted.as_bytes()))
        && (start == 0 || host.as_bytes()[start - 1] == b'.')
}

/// Whether `"." + host` ends with `domain` (ASCII case-insensitive), without building it.
fn dotted_ends_with(host: &str, domain: &str) -> bool {
    match domain.strip_prefix('.') {
        Some(rest) if rest.len() == host.len() => host.eq_ignore_ascii_case(rest),
        _ => ends_with_ignore_case(host, domain),
    }
}

fn strip_suffix_ignore_case<'a>(s: &'a str, suffix: &str) -> Option<&'a str> {
    ends_with_ignore_case(s, suffix).then(|| &s[..s.len() - suffix.len()])
}

/// cookielib's `strict_domain` test: `.co.uk`-style domains (a generic second-level label
/// under a two-letter top-level domain).
fn is_country_code_sld(domain: &str) -> bool {
    const SLDS: [&str; 21] = [
        "co", "ac", "com", "edu", "org", "net", "gov", "mil", "int", "aero", "biz", "cat", "coop",
        "info", "jobs", "mobi", "museum", "name", "pro", "travel", "eu",
    ];
    if domain.matches('.').count() < 2 {
        return false;
    }
    let Some(i) = domain.rfind('.') else {
        return false;
    };
    let Some(j) = domain[..i].rfind('.') else {
        return false;
    };
    if j != 0 {
        return false;
    }
    let tld = &domain[i + 1..];
    let sld = &domain[j + 1..i];
    tld.chars().count() == 2 && SLDS.iter().any(|s| s.eq_ignore_ascii_case(sld))
}

impl CookiePolicy for DefaultCookiePolicy {
    fn set_ok(&self, cookie: &Cookie, request: &RequestInfo) -> bool {
        self.set_ok_version(cookie, request)
            && self.set_ok_verifiability(cookie, request)
            && self.set_ok_name(cookie, request)
            && self.set_ok_path(cookie, request)
            && self.set_ok_domain(cookie, request)
            && self.set_ok_port(cookie, request)
    }

    fn return_ok(&self, cookie: &Cookie, request: &RequestInfo) -> bool {
        self.return_ok_version(cookie, request)
            && self.return_ok_verifiability(cookie, request)
            && self.return_ok_secure(cookie, request)
            && self.return_ok_expires(cookie, request)
            && self.return_ok_port(cookie, request)
            && self.return_ok_domain(cookie, request)
    }

    fn domain_return_ok(&self, domain: &str, request: &RequestInfo) -> bool {
        if !(dot_suffix_match(request.host(), domain)
            || dot_suffix_match(request.effective_host(), domain))
        {
            return false;
        }
        if self.is_blocked(domain) {
            debug!(
                domain,
                rule = "blocked_domains",
                "domain withheld: in the block list"
            );
            return false;
        }
        if self.is_not_allowed(domain) {
            debug!(
                domain,
                rule = "allowed_domains",
                "domain withheld: not in the allow list"
            );
            return false;
        }
        true
    }

    fn path_return_ok(&self, path: &str, request: &RequestInfo) -> bool {
        path_match(request.path(), path)
    }

    fn netscape(&self) -> bool {
        self.netscape
    }
    fn rfc2965(&self) -> bool {
        self.rfc2965
    }
    fn hide_cookie2(&self) -> bool {
        self.hide_cookie2
    }
    fn rfc2109_as_netscape(&self) -> Option<bool> {
        self.rfc2109_as_netscape
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn country_code_slds() {
        assert!(is_country_code_sld(".co.uk"));
        assert!(is_country_code_sld(".AC.jp"));
        assert!(!is_country_code_sld(".foo.co.uk"));
        assert!(!is_country_code_sld(".co.com"));
        assert!(!is_country_code_sld("co.uk"));
    }

    #[test]
    fn dot_suffix_match_is_label_bounded() {
        assert!(dot_suffix_match("www.acme.com", ".acme.com"));
        assert!(dot_suffix_match("acme.com", ".acme.com"));
        assert!(dot_suffix_match("acme.com", "acme.com"));
        assert!(!dot_suffix_match("evilacme.com", ".acme.com"));
        assert!(!dot_suffix_match("www.acme.com.evil.org", ".acme.com"));
        assert!(!dot_suffix_match("acme.com", "."));
        assert!(dot_suffix_match("acme.com", ""));
    }
}
