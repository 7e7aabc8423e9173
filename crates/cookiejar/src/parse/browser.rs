//! A browser's `Set-Cookie` parser (RFC 6265bis §5.6–5.7): last attribute wins, nameless
//! cookies, cookie-date expiry capped at 400 days, default paths, public-suffix domains.

use tracing::debug;

use crate::cookie::{Cookie, SameSite, ScopeCache};
use crate::dates::parse_cookie_date;
use crate::domain::is_public_suffix;
use crate::policy::BrowserLimits;
use crate::request::RequestInfo;

fn is_wsp(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// Control characters that make a browser ignore the whole header (all but HTAB).
fn has_forbidden_ctl(s: &str) -> bool {
    s.bytes().any(|b| (b < 0x20 && b != b'\t') || b == 0x7f)
}

/// RFC 6265 §5.1.4: the directory of the request path.
pub(crate) fn default_path(request_path: &str) -> &str {
    if !request_path.starts_with('/') {
        return "/";
    }
    match request_path.rfind('/') {
        Some(0) | None => "/",
        Some(i) => &request_path[..i],
    }
}

/// Parses one `Set-Cookie` value as a browser does. Returns `None` (with a DEBUG event)
/// when the browser would ignore the header. An already-expired cookie is returned with
/// its past expiry: storing it deletes the cookie it replaces.
pub(crate) fn parse(
    header: &str,
    request: &RequestInfo,
    limits: &BrowserLimits,
    scopes: &mut ScopeCache,
) -> Option<Cookie> {
    let ignore = |why: &str| {
        debug!(header, "Set-Cookie ignored: {why}");
        None
    };
    if has_forbidden_ctl(header) {
        return ignore("control character");
    }
    let (pair, attrs) = header.split_once(';').unwrap_or((header, ""));
    let (name, value) = match pair.split_once('=') {
        Some((n, v)) => (n.trim_matches(is_wsp), v.trim_matches(is_wsp)),
        None => ("", pair.trim_matches(is_wsp)),
    };
    if name.is_empty() && value.is_empty() {
        return ignore("empty name and value");
    }
    if name.len() + value.len() > limits.max_name_value {
        return ignore("name and value longer than the limit");
    }

    let now = request.now();
    let mut expires: Option<i64> = None;
    let mut max_age: Option<i64> = None;
    let mut domain: Option<&str> = None;
    let mut path: Option<&str> = None;
    let mut secure = false;
    let mut http_only = false;
    let mut same_site = None;
    for av in attrs.split(';') {
        let (k, v) = match av.split_once('=') {
            Some((k, v)) => (k.trim_matches(is_wsp), v.trim_matches(is_wsp)),
            None => (av.trim_matches(is_wsp), ""),
        };
        if v.len() > limits.max_attribute_value {
            debug!(
                attribute = k,
                "Set-Cookie attribute ignored: value longer than the limit"
            );
            continue;
        }
        if k.eq_ignore_ascii_case("expires") {
            if let Some(t) = parse_cookie_date(v) {
                expires = Some(t);
            }
        } else if k.eq_ignore_ascii_case("max-age") {
            let digits = v.strip_prefix('-').unwrap_or(v);
            if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
                let delta = v.parse::<i64>().unwrap_or(if v.starts_with('-') {
                    i64::MIN
                } else {
                    i64::MAX
                });
                max_age = Some(if delta <= 0 {
                    i64::MIN
                } else {
                    now.saturating_add(delta)
                });
            }
        } else if k.eq_ignore_ascii_case("domain") {
            if !v.is_empty() {
                domain = Some(v.strip_prefix('.').unwrap_or(v));
            }
        } else if k.eq_ignore_ascii_case("path") {
            path = (v.starts_with('/')).then_some(v);
        } else if k.eq_ignore_ascii_case("secure") {
            secure = true;
        } else if k.eq_ignore_ascii_case("httponly") {
            http_only = true;
        } else if k.eq_ignore_ascii_case("samesite") {
            same_site = SameSite::parse(v);
        }
    }

    let expiry = max_age
        .or(expires)
        .map(|t| t.min(now.saturating_add(limits.max_age_cap)));
    let host = request.host();
    let mut domain_lc = domain.map(str::to_ascii_lowercase);
    if let Some(d) = domain_lc.as_deref() {
        if is_public_suffix(d) {
            if d == host {
                domain_lc = None;
            } else {
                return ignore("Domain is a public suffix");
            }
        }
    }
    let dotted;
    let (key, domain_specified): (&str, bool) = match &domain_lc {
        Some(d) => {
            dotted = format!(".{d}");
            (&dotted, true)
        }
        None => (host, false),
    };
    let cookie_path = path.unwrap_or_else(|| default_path(request.path()));
    let mut c = Cookie::bare(name, Some(value), scopes.get(key, cookie_path));
    c.set_domain_specified(domain_specified);
    c.set_domain_initial_dot(domain.is_some_and(|_| attrs_domain_had_dot(attrs)));
    c.set_path_specified(path.is_some());
    c.set_secure(secure);
    c.set_http_only(http_only);
    c.set_same_site(same_site);
    c.set_expires(expiry);
    c.set_discard(expiry.is_none());
    c.set_creation_time(now);
    c.set_last_access_time(now);
    Some(c)
}

/// Whether the last non-empty `Domain` attribute started with a dot.
fn attrs_domain_had_dot(attrs: &str) -> bool {
    attrs
        .split(';')
        .filter_map(|av| av.split_once('='))
        .rfind(|(k, v)| {
            k.trim_matches(is_wsp).eq_ignore_ascii_case("domain")
                && !v.trim_matches(is_wsp).is_empty()
        })
        .is_some_and(|(_, v)| v.trim_matches(is_wsp).starts_with('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_one(header: &str, request: &RequestInfo, limits: &BrowserLimits) -> Option<Cookie> {
        parse(header, request, limits, &mut ScopeCache::default())
    }

    fn req(url: &str) -> RequestInfo {
        RequestInfo::from_url(url, 1_000_000).unwrap()
    }

    #[test]
    fn default_paths() {
        assert_eq!(default_path("/"), "/");
        assert_eq!(default_path("/a"), "/");
        assert_eq!(default_path("/a/b"), "/a");
        assert_eq!(default_path("/a/b/"), "/a/b");
        assert_eq!(default_path(""), "/");
    }

    #[test]
    fn last_attribute_wins_and_max_age_beats_expires() {
        let l = BrowserLimits::default();
        let c = parse_one(
            "a=b; Path=/x; Path=/y; Max-Age=10; Expires=Wed, 09 Feb 2094 22:23:32 GMT",
            &req("http://h.com/"),
            &l,
        )
        .unwrap();
        assert_eq!(c.path(), "/y");
        assert_eq!(c.expires(), Some(1_000_010));
        assert!(!c.discard());
    }

    #[test]
    fn nameless_and_rejections() {
        let l = BrowserLimits::default();
        let r = req("http://h.com/a/b");
        let c = parse_one("justvalue", &r, &l).unwrap();
        assert_eq!(
            (c.name(), c.value(), c.path()),
            ("", Some("justvalue"), "/a")
        );
        assert!(parse_one("=", &r, &l).is_none());
        assert!(parse_one("a=b\x01", &r, &l).is_none());
        assert!(parse_one(&format!("a={}", "x".repeat(5000)), &r, &l).is_none());
        assert!(parse_one("a=b; Domain=com", &r, &l).is_none());
    }

    #[test]
    fn public_suffix_domain_equal_to_host_becomes_host_only() {
        let l = BrowserLimits::default();
        let c = parse_one("a=b; Domain=blogspot.com", &req("http://blogspot.com/"), &l).unwrap();
        assert_eq!(c.domain(), "blogspot.com");
        assert!(!c.domain_specified());
    }

    #[test]
    fn expiry_is_capped_at_400_days() {
        let l = BrowserLimits::default();
        let c = parse_one("a=b; Max-Age=999999999", &req("http://h.com/"), &l).unwrap();
        assert_eq!(c.expires(), Some(1_000_000 + 400 * 86_400));
        let c = parse_one("a=b; Max-Age=-1", &req("http://h.com/"), &l).unwrap();
        assert!(c.is_expired(0));
    }
}
