//! Host and domain arithmetic shared by the policies: domain matching, reach, request paths
//! and the public suffix list. Everything here works on lowercase ASCII-ish strings and never panics.

use std::borrow::Cow;

/// Whether `text` looks like an IPv4 address to cookielib (it ends with `.` and digits).
pub(crate) fn ends_like_ipv4(text: &str) -> bool {
    match text.rfind('.') {
        Some(i) => {
            let tail = &text[i + 1..];
            !tail.is_empty() && tail.bytes().all(|b| b.is_ascii_digit())
        }
        None => false,
    }
}

/// Whether `text` is an IP address (IPv4, or IPv6 with or without brackets).
pub fn is_ip(text: &str) -> bool {
    let t = text
        .strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .unwrap_or(text);
    t.parse::<std::net::IpAddr>().is_ok()
}

/// Whether `text` is a host domain name (RFC 2965): not an IP address, not empty, and
/// neither starting nor ending with a dot.
///
/// ```
/// use cookiejar::domain::is_hdn;
/// assert!(is_hdn("www.acme.com"));
/// assert!(!is_hdn("192.168.1.1"));
/// assert!(!is_hdn(".acme.com"));
/// ```
pub fn is_hdn(text: &str) -> bool {
    !(ends_like_ipv4(text) || text.is_empty() || text.starts_with('.') || text.ends_with('.'))
}

/// RFC 2965 domain matching: whether host `a` domain-matches domain `b`.
///
/// Equal names match; otherwise `a` must be a host name ending in `b`, where `b` starts
/// with a dot and the rest of `b` is itself a host name. Unlike CPython, the match is only
/// ever at the end of `a` (python/cpython#150522: `www.acme.com.evil.org` does not match
/// `.acme.com`).
///
/// ```
/// use cookiejar::domain::domain_match;
/// assert!(domain_match("x.y.com", ".Y.com"));
/// assert!(!domain_match("x.y.com", "y.com"));
/// assert!(!domain_match("www.acme.com.evil.org", ".acme.com"));
/// ```
pub fn domain_match(a: &str, b: &str) -> bool {
    if a.eq_ignore_ascii_case(b) {
        return true;
    }
    if !is_hdn(a) || !b.starts_with('.') || !is_hdn(&b[1..]) {
        return false;
    }
    // `a` must be strictly longer than `b` and end with it: the non-empty prefix is N in "NB".
    a.len() > b.len() && ends_with_ignore_case(a, b)
}

/// The domain matching used for blocked and allowed domain lists.
///
/// A pattern with a leading dot matches any host ending with it; without one, only the
/// same host. IP addresses (on either side) match only exactly.
///
/// ```
/// use cookiejar::domain::user_domain_match;
/// assert!(user_domain_match("www.ads.net", ".ads.net"));
/// assert!(!user_domain_match("ads.net", ".ads.net"));
/// assert!(user_domain_match("ads.net", "ads.net"));
/// assert!(!user_domain_match("10.0.0.1", ".0.0.1"));
/// ```
pub fn user_domain_match(a: &str, b: &str) -> bool {
    if ends_like_ipv4(a) || ends_like_ipv4(b) {
        return a.eq_ignore_ascii_case(b);
    }
    if b.starts_with('.') {
        ends_with_ignore_case(a, b)
    } else {
        a.eq_ignore_ascii_case(b)
    }
}

/// The reach of a host (RFC 2965 §1): `.B` for a host `A.B` where `B` has an embedded dot
/// or is `local`; otherwise the host itself.
///
/// ```
/// use cookiejar::domain::reach;
/// assert_eq!(reach("www.acme.com"), ".acme.com");
/// assert_eq!(reach("acme.com"), "acme.com");
/// assert_eq!(reach("acme.local"), ".local");
/// ```
pub fn reach(host: &str) -> String {
    if let Some(i) = host.find('.') {
        let b = &host[i + 1..];
        if is_hdn(host) && (b.contains('.') || b == "local") {
            return format!(".{b}");
        }
    }
    host.to_owned()
}

/// The effective request-host name (RFC 2965): the host, with `.local` added when it has no dot
/// and is not an IP address.
pub fn effective_host(host: &str) -> String {
    if !host.contains('.') && !ends_like_ipv4(host) {
        format!("{host}.local")
    } else {
        host.to_owned()
    }
}

/// Percent-escapes a URL path as cookielib does: characters outside the unreserved set and
/// `%/;:@&=+$,!~*'()` are escaped as UTF-8, and existing escapes are upper-cased.
///
/// ```
/// use cookiejar::domain::escape_path;
/// assert_eq!(escape_path("/foo%2fbar/a b"), "/foo%2Fbar/a%20b");
/// ```
pub fn escape_path(path: &str) -> String {
    escape_path_cow(path).into_owned()
}

/// [`escape_path`], borrowing when nothing needs escaping (the usual case).
pub(crate) fn escape_path_cow(path: &str) -> Cow<'_, str> {
    const SAFE: &[u8] = b"%/;:@&=+$,!~*'()_.-";
    let bytes = path.as_bytes();
    let clean = bytes.iter().enumerate().all(|(i, &b)| {
        (b.is_ascii_alphanumeric() || SAFE.contains(&b))
            && !(b == b'%'
                && bytes
                    .get(i + 1..i + 3)
                    .is_some_and(|h| h.iter().any(u8::is_ascii_lowercase)))
    });
    if clean {
        return Cow::Borrowed(path);
    }
    let mut out = String::with_capacity(path.len() + 8);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%'
            && i + 2 < bytes.len()
            && bytes[i + 1].is_ascii_hexdigit()
            && bytes[i + 2].is_ascii_hexdigit()
        {
            out.push('%');
            out.push(char::from(bytes[i + 1].to_ascii_uppercase()));
            out.push(char::from(bytes[i + 2].to_ascii_uppercase()));
            i += 3;
            continue;
        }
        if b.is_ascii_alphanumeric() || SAFE.contains(&b) {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        }
        i += 1;
    }
    Cow::Owned(out)
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Whether `domain` (with or without a leading dot) is a public suffix such as `com`, `co.uk`
/// or `blogspot.com`, by the public suffix list (unlisted top-level domains count, by the
/// list's default rule). IP addresses and empty names are not public suffixes.
///
/// ```
/// use cookiejar::domain::is_public_suffix;
/// assert!(is_public_suffix(".co.uk"));
/// assert!(is_public_suffix("com"));
/// assert!(!is_public_suffix("example.co.uk"));
/// ```
pub fn is_public_suffix(domain: &str) -> bool {
    let d = domain.trim_start_matches('.').trim_end_matches('.');
    if d.is_empty() || is_ip(d) || ends_like_ipv4(d) {
        return false;
    }
    let lower = lowercase_cow(d);
    match psl::suffix(lower.as_bytes()) {
        Some(s) => s.as_bytes() == lower.as_bytes(),
        None => false,
    }
}

/// The registrable domain (public suffix plus one label) of a host, lower-cased; `None` for
/// a public suffix itself, an IP address, or a name with a leading dot.
///
/// ```
/// use cookiejar::domain::registrable_domain;
/// assert_eq!(registrable_domain("WwW.example.COM").as_deref(), Some("example.com"));
/// assert_eq!(registrable_domain("co.uk"), None);
/// ```
pub fn registrable_domain(host: &str) -> Option<String> {
    if host.is_empty() || host.starts_with('.') || is_ip(host) {
        return None;
    }
    let lower = if host.is_ascii() {
        lowercase_cow(host)
    } else {
        Cow::Owned(host.to_lowercase())
    };
    let d = psl::domain(lower.as_bytes())?;
    std::str::from_utf8(d.as_bytes()).ok().map(str::to_owned)
}

/// ASCII lower case, borrowing when there is nothing to change.
pub(crate) fn lowercase_cow(s: &str) -> Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(s.to_ascii_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

/// ASCII case-insensitive `ends_with`.
pub(crate) fn ends_with_ignore_case(a: &str, suffix: &str) -> bool {
    a.len() >= suffix.len()
        && a.as_bytes()[a.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_match_cases() {
        assert!(domain_match("acme.com", "ACME.COM"));
        assert!(domain_match("www.acme.com", ".acme.com"));
        assert!(!domain_match(".acme.com", ".acme.com.x"));
        assert!(!domain_match("acme.com", ".acme.com"));
        assert!(!domain_match("192.168.1.2", ".1.2"));
        assert!(!domain_match("www.acme.com", ".com."));
        // CPython matched anywhere in the host: we require a suffix.
        assert!(!domain_match("www.acme.com.evil.org", ".acme.com"));
        assert!(!domain_match("x.acme.com.org", ".acme.com"));
    }

    #[test]
    fn reach_and_effective_host() {
        assert_eq!(reach("a.b.c"), ".b.c");
        assert_eq!(reach("localhost"), "localhost");
        assert_eq!(reach("1.2.3.4"), "1.2.3.4");
        assert_eq!(effective_host("localhost"), "localhost.local");
        assert_eq!(effective_host("1.2.3.4"), "1.2.3.4");
        assert_eq!(effective_host("a.b"), "a.b");
    }

    #[test]
    fn escape_path_keeps_safe_and_escapes_rest() {
        assert_eq!(escape_path("/"), "/");
        assert_eq!(escape_path("/a;b=c,d"), "/a;b=c,d");
        assert_eq!(escape_path("/\u{e9}"), "/%C3%A9");
        assert_eq!(escape_path("/%zz%4a"), "/%zz%4A");
        assert_eq!(escape_path("/a\tb\""), "/a%09b%22");
        assert_eq!(escape_path("%"), "%");
    }

    #[test]
    fn public_suffixes() {
        for ps in ["com", ".com", "co.uk", ".blogspot.com", "unknowntld"] {
            assert!(is_public_suffix(ps), "{ps}");
        }
        for not_ps in ["acme.com", ".www.co.uk", "127.0.0.1", "", "."] {
            assert!(!is_public_suffix(not_ps), "{not_ps}");
        }
    }
}
