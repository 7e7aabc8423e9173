//! cookielib's cookie factory: Netscape and RFC 2109 `Set-Cookie` and RFC 2965 `Set-Cookie2`
//! headers normalised into `Cookie`s (first attribute wins, Max-Age beats Expires, defaults filled).

use std::borrow::Cow;
use std::sync::Arc;

use tracing::debug;

use super::Parsed;
use crate::cookie::{Cookie, SameSite, Scope, ScopeCache};
use crate::dates::{http2time_at, python_int};
use crate::domain::escape_path_cow;
use crate::header::{parse_ns_header_into, split_header_words, strip_quotes};
use crate::policy::CookiePolicy;
use crate::request::RequestInfo;

/// One cookie's `(key, value)` pairs; the first is its name and value.
type Attrs<'a> = [(&'a str, Option<&'a str>)];

/// The standard attributes of one cookie, as the first occurrence of each gave them.
#[derive(Default)]
struct Standard<'a> {
    version: Option<&'a str>,
    expires: Option<i64>,
    domain: Option<Cow<'a, str>>,
    path: Option<&'a str>,
    /// `Some(None)` for a bare `Port`.
    port: Option<Option<&'a str>>,
    secure: Option<bool>,
    discard: Option<bool>,
    comment: Option<Option<&'a str>>,
    comment_url: Option<Option<&'a str>>,
}

enum Outcome {
    Cookie(Cookie),
    /// The cookie arrived already expired: delete any stored one with this key.
    Expired(Arc<Scope>, String),
    Skip,
}

/// Parses a response's headers the way cookielib's `CookieJar.make_cookies` does.
pub(crate) fn make_cookies(
    set_cookie2: &[Cow<'_, str>],
    set_cookie: &[Cow<'_, str>],
    request: &RequestInfo,
    policy: &dyn CookiePolicy,
) -> Parsed {
    let rfc2965 = policy.rfc2965();
    let netscape = policy.netscape();
    let mut parsed = Parsed::default();
    let mut scopes = ScopeCache::default();
    if (set_cookie2.is_empty() && set_cookie.is_empty())
        || (set_cookie.is_empty() && !rfc2965)
        || (set_cookie2.is_empty() && !netscape)
        || (!netscape && !rfc2965)
    {
        return parsed;
    }

    for words in split_header_words(set_cookie2) {
        let attrs: Vec<(&str, Option<&str>)> = words
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_deref()))
            .collect();
        push_outcome(&mut parsed, from_attrs(&attrs, request, &mut scopes));
    }

    if set_cookie.is_empty() || !netscape {
        return parsed;
    }
    let downgrade = policy.rfc2109_as_netscape().unwrap_or(!rfc2965);
    let rfc2965_keys: Vec<(String, String, String)> = if rfc2965 {
        parsed
            .cookies
            .iter()
            .map(|c| {
                (
                    c.domain().to_owned(),
                    c.path().to_owned(),
                    c.name().to_owned(),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut attrs = Vec::with_capacity(8);
    for header in set_cookie {
        parse_ns_header_into(header, &mut attrs);
        if attrs.is_empty() {
            debug!(header = %header, "Set-Cookie skipped: no cookie name");
            continue;
        }
        let mut outcome = from_attrs(&attrs, request, &mut scopes);
        if let Outcome::Cookie(c) = &mut outcome {
            if c.version() == Some(1) {
                c.set_rfc2109(true);
                if downgrade {
                    c.set_version(Some(0));
                }
            }
            if rfc2965
                && rfc2965_keys
                    .iter()
                    .any(|(d, p, n)| d == c.domain() && p == c.path() && n == c.name())
            {
                debug!(
                    name = c.name(),
                    domain = c.domain(),
                    "Set-Cookie ignored: a Set-Cookie2 cookie has the same key"
                );
                continue;
            }
        }
        push_outcome(&mut parsed, outcome);
    }
    parsed
}

fn push_outcome(parsed: &mut Parsed, outcome: Outcome) {
    match outcome {
        Outcome::Cookie(c) => parsed.cookies.push(c),
        Outcome::Expired(scope, name) => parsed.expired.push((scope, name)),
        Outcome::Skip => {}
    }
}

/// The attribute names cookielib treats as standard, lower-cased; anything else as given.
fn standard_name(key: &str) -> &str {
    // Bucketed by length: most attributes are compared against one or two names.
    let names: &[&'static str] = match key.len() {
        4 => &["path", "port"],
        6 => &["secure", "domain"],
        7 => &["discard", "expires", "max-age", "version", "comment"],
        8 => &["httponly", "samesite"],
        10 => &["commenturl"],
        _ => return key,
    };
    names
        .iter()
        .find(|n| n.eq_ignore_ascii_case(key))
        .copied()
        .unwrap_or(key)
}

/// Python's truthiness of a boolean attribute's value: a bare flag or any non-empty value.
fn truthy(v: Option<&str>) -> bool {
    v.is_none_or(|v| !v.is_empty())
}

/// One cookie from its attribute list; the first pair is its name and value.
fn from_attrs(attrs: &Attrs<'_>, request: &RequestInfo, scopes: &mut ScopeCache) -> Outcome {
    let Some((name, value)) = attrs.first() else {
        return Outcome::Skip;
    };
    let now = request.now();
    let mut std = Standard::default();
    let mut max_age_set = false;
    let mut rest: Vec<(&str, Option<&str>)> = Vec::new();
    let mut http_only = false;
    let mut same_site = None;
    let bad = |why: &str| {
        debug!(name = %name, "cookie skipped: {why}");
        Outcome::Skip
    };

    for (k, v) in &attrs[1..] {
        let lc = standard_name(k);
        match lc {
            "secure" => {
                if std.secure.is_none() {
                    std.secure = Some(truthy(*v));
                }
            }
            "discard" => {
                if std.discard.is_none() {
                    std.discard = Some(truthy(*v));
                }
            }
            "domain" => {
                if std.domain.is_none() {
                    match v {
                        // cookielib turns `Domain=` into the domain "." that matches no host,
                        // so the cookie is stored but never sent; RFC 6265 §5.2.3 ignores the
                        // attribute instead, and so do we.
                        Some("") => {
                            debug!(name = %name, "empty Domain attribute ignored")
                        }
                        Some(v) if !v.is_ascii() || v.bytes().any(|b| b.is_ascii_uppercase()) => {
                            std.domain = Some(Cow::Owned(v.to_lowercase()))
                        }
                        Some(v) => std.domain = Some(Cow::Borrowed(v)),
                        None => return bad("Domain attribute without a value"),
                    }
                }
            }
            "expires" => {
                if std.expires.is_none() && !max_age_set {
                    match v.and_then(|v| http2time_at(strip_quotes(v), now)) {
                        Some(t) => std.expires = Some(t),
                        None => {
                            debug!(name = %name, "missing or invalid Expires: treated as a session cookie")
                        }
                    }
                }
            }
            "max-age" => {
                // Max-Age always wins over Expires, whichever came first (cookielib).
                max_age_set = true;
                match v.and_then(python_int) {
                    Some(secs) => std.expires = Some(now.saturating_add(secs)),
                    None => return bad("missing or non-numeric Max-Age"),
                }
            }
            "version" | "path" => {
                let slot = if lc == "version" {
                    &mut std.version
                } else {
                    &mut std.path
                };
                if slot.is_none() {
                    let Some(v) = v else {
                        return bad("attribute without a value");
                    };
                    *slot = Some(*v);
                }
            }
            "port" => {
                if std.port.is_none() {
                    std.port = Some(*v);
                }
            }
            "comment" => {
                if std.comment.is_none() {
                    std.comment = Some(*v);
                }
            }
            "commenturl" => {
                if std.comment_url.is_none() {
                    std.comment_url = Some(*v);
                }
            }
            "httponly" => http_only = true,
            "samesite" => same_site = v.and_then(SameSite::parse),
            _ => match rest.iter_mut().find(|(rk, _)| rk == k) {
                Some(slot) => slot.1 = *v,
                None => rest.push((k, *v)),
            },
        }
    }

    let version = match std.version {
        None => None,
        Some(v) => match python_int(v).and_then(|v| u32::try_from(v).ok()) {
            Some(v) => Some(v),
            None => return bad("invalid Version"),
        },
    };

    let escaped;
    let (path, path_specified): (&str, bool) = match std.path {
        Some(p) if !p.is_empty() => {
            escaped = escape_path_cow(p);
            (&escaped, true)
        }
        _ => {
            let req_path = request.path();
            let default = match req_path.rfind('/') {
                Some(i) if version == Some(0) => &req_path[..i],
                Some(i) => &req_path[..=i],
                None => req_path,
            };
            (if default.is_empty() { "/" } else { default }, false)
        }
    };

    let dotted;
    let (domain, domain_specified, initial_dot): (&str, bool, bool) = match &std.domain {
        Some(d) if d.starts_with('.') => (d, true, true),
        Some(d) => {
            dotted = format!(".{d}");
            (&dotted, true, false)
        }
        None => (request.effective_host(), false, false),
    };
    let scope = scopes.get(domain, path);

    let expires = match std.expires {
        Some(e) if e <= now => {
            debug!(name = %name, domain, path, "cookie expired by the response: deleting any stored copy");
            return Outcome::Expired(scope, name.to_string());
        }
        other => other,
    };

    let mut c = Cookie::bare(name, value.as_deref(), scope);
    c.set_version(version);
    c.set_path_specified(path_specified);
    c.set_domain_specified(domain_specified);
    c.set_domain_initial_dot(initial_dot);
    match std.port {
        None => {}
        Some(None) => c.set_port(Some(request.port())),
        Some(Some(p)) => {
            let p: String = p.chars().filter(|ch| !ch.is_whitespace()).collect();
            c.set_port(Some(&p));
            c.set_port_specified(true);
        }
    }
    c.set_secure(std.secure.unwrap_or(false));
    c.set_expires(expires);
    c.set_discard(expires.is_none() || std.discard.unwrap_or(false));
    c.set_comment(std.comment.flatten());
    c.set_comment_url(std.comment_url.flatten());
    c.set_http_only(http_only);
    c.set_same_site(same_site);
    c.set_creation_time(now);
    c.set_last_access_time(now);
    for (k, v) in rest {
        c.set_nonstandard_attr(k, v);
    }
    Outcome::Cookie(c)
}
