//! The `Cookie` value type: every attribute cookielib keeps, plus HttpOnly, SameSite and times.
//! Stored compactly (the jar holds millions); parsing lives in `parse/`, rules in `policy/`.

use std::fmt;
use std::sync::Arc;

/// The `SameSite` attribute of a cookie (RFC 6265bis §4.1.2.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SameSite {
    /// Sent only with same-site requests.
    Strict,
    /// Sent with same-site requests and with cross-site top-level navigations that use a safe method.
    Lax,
    /// Sent with every request (browsers require `Secure` with it).
    None,
}

impl SameSite {
    /// Parses an attribute value case-insensitively; unknown values give `None`.
    ///
    /// ```
    /// use cookiejar::SameSite;
    /// assert_eq!(SameSite::parse("lax"), Some(SameSite::Lax));
    /// assert_eq!(SameSite::parse("sometimes"), None);
    /// ```
    pub fn parse(value: &str) -> Option<SameSite> {
        if value.eq_ignore_ascii_case("strict") {
            Some(SameSite::Strict)
        } else if value.eq_ignore_ascii_case("lax") {
            Some(SameSite::Lax)
        } else if value.eq_ignore_ascii_case("none") {
            Some(SameSite::None)
        } else {
            Option::None
        }
    }

    /// The attribute value as written in a `Set-Cookie` header.
    pub fn as_str(self) -> &'static str {
        match self {
            SameSite::Strict => "Strict",
            SameSite::Lax => "Lax",
            SameSite::None => "None",
        }
    }
}

impl fmt::Display for SameSite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

const HAS_VALUE: u16 = 1;
const HAS_VERSION: u16 = 1 << 1;
const PORT_SPECIFIED: u16 = 1 << 2;
const DOMAIN_SPECIFIED: u16 = 1 << 3;
const DOMAIN_INITIAL_DOT: u16 = 1 << 4;
const PATH_SPECIFIED: u16 = 1 << 5;
const SECURE: u16 = 1 << 6;
const DISCARD: u16 = 1 << 7;
const RFC2109: u16 = 1 << 8;
const HTTP_ONLY: u16 = 1 << 9;
const HAS_EXPIRES: u16 = 1 << 10;

/// Where a cookie applies: its domain key and path. Shared (one allocation) by every cookie
/// stored under the same domain and path, and by the cookies parsed from one response.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Scope {
    pub(crate) domain: Arc<str>,
    pub(crate) path: Box<str>,
}

impl Scope {
    pub(crate) fn new(domain: Arc<str>, path: &str) -> Arc<Scope> {
        Arc::new(Scope {
            domain,
            path: Box::from(path),
        })
    }
}

/// Scopes already made while parsing one response, so its cookies share them.
#[derive(Debug, Default)]
pub(crate) struct ScopeCache(Vec<Arc<Scope>>);

impl ScopeCache {
    pub(crate) fn get(&mut self, domain: &str, path: &str) -> Arc<Scope> {
        if let Some(s) = self
            .0
            .iter()
            .find(|s| &*s.domain == domain && &*s.path == path)
        {
            return Arc::clone(s);
        }
        let scope = Scope::new(Arc::from(domain), path);
        self.0.push(Arc::clone(&scope));
        scope
    }
}

/// The attributes most cookies never carry, boxed so that they cost one pointer when absent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Rare {
    port: Option<String>,
    comment: Option<String>,
    comment_url: Option<String>,
    rest: Vec<(String, Option<String>)>,
}

impl Rare {
    fn is_empty(&self) -> bool {
        self.port.is_none()
            && self.comment.is_none()
            && self.comment_url.is_none()
            && self.rest.is_empty()
    }
}

/// One HTTP cookie, Netscape or RFC 2965, with every attribute cookielib keeps.
///
/// A `Cookie` is plain data with accessors: it is possible to build one that no standard
/// allows. [`CookieJar::make_cookies`](crate::CookieJar::make_cookies) is the factory that
/// parses headers, fills in defaults and normalises; a [`CookiePolicy`](crate::CookiePolicy)
/// decides whether it may be stored and returned.
///
/// The [`domain`](Cookie::domain) is the key the jar stores the cookie under: a host name
/// without a leading dot for a host-only cookie (for cookielib's policy, the effective
/// request host, e.g. `localhost.local` for a dotless host), or a domain with a leading dot
/// when the server gave a `Domain` attribute.
///
/// ```
/// use cookiejar::Cookie;
///
/// let mut c = Cookie::new("sid", "abc123", ".example.com", "/");
/// c.set_expires(Some(2_000_000_000));
/// c.set_nonstandard_attr("Priority", Some("High"));
/// assert!(c.has_nonstandard_attr("priority"));
/// assert_eq!(c.get_nonstandard_attr("PRIORITY"), Some(Some("High")));
/// assert!(!c.is_expired(1_999_999_999));
/// assert!(c.is_expired(2_000_000_000));
/// assert_eq!(c.to_string(), "<Cookie sid=abc123 for .example.com/>");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Cookie {
    name_value: Box<str>,
    name_len: u32,
    version: u32,
    flags: u16,
    same_site: Option<SameSite>,
    scope: Arc<Scope>,
    expires: i64,
    creation_time: i64,
    last_access_time: i64,
    pub(crate) seq: u64,
    rare: Option<Box<Rare>>,
}

impl Cookie {
    /// A Netscape (version 0) session cookie with the given name, value, domain and path.
    ///
    /// The domain and path count as specified (and the domain as dotted when it starts with
    /// a dot); use the setters for everything else.
    pub fn new(name: &str, value: &str, domain: &str, path: &str) -> Cookie {
        let mut c = Cookie::bare(name, Some(value), Scope::new(Arc::from(domain), path));
        c.set_flag(DOMAIN_SPECIFIED, true);
        c.set_flag(DOMAIN_INITIAL_DOT, domain.starts_with('.'));
        c.set_flag(PATH_SPECIFIED, true);
        c
    }

    /// A version-0 session cookie with nothing specified, for the parsers.
    pub(crate) fn bare(name: &str, value: Option<&str>, scope: Arc<Scope>) -> Cookie {
        let mut c = Cookie {
            name_value: Box::from(""),
            name_len: 0,
            version: 0,
            flags: HAS_VERSION | DISCARD,
            same_site: None,
            scope,
            expires: 0,
            creation_time: 0,
            last_access_time: 0,
            seq: 0,
            rare: None,
        };
        c.set_name_value(name, value);
        c
    }

    fn flag(&self, f: u16) -> bool {
        self.flags & f != 0
    }

    fn set_flag(&mut self, f: u16, on: bool) {
        if on {
            self.flags |= f;
        } else {
            self.flags &= !f;
        }
    }

    fn set_name_value(&mut self, name: &str, value: Option<&str>) {
        let mut s = String::with_capacity(name.len() + value.map_or(0, str::len));
        s.push_str(name);
        s.push_str(value.unwrap_or(""));
        // Names longer than 4 GiB cannot come from a header; clamp rather than panic.
        self.name_len = u32::try_from(name.len()).unwrap_or(u32::MAX);
        self.name_value = s.into_boxed_str();
        self.set_flag(HAS_VALUE, value.is_some());
    }

    fn rare_mut(&mut self) -> &mut Rare {
        self.rare.get_or_insert_with(Box::default)
    }

    /// Sets one of the rare string attributes, allocating the box only to store a value.
    fn set_rare(&mut self, field: fn(&mut Rare) -> &mut Option<String>, value: Option<&str>) {
        match (value, self.rare.as_mut()) {
            (None, None) => {}
            (None, Some(r)) => {
                *field(r) = None;
                self.tidy_rare();
            }
            (Some(v), _) => *field(self.rare_mut()) = Some(v.to_owned()),
        }
    }

    fn tidy_rare(&mut self) {
        if self.rare.as_ref().is_some_and(|r| r.is_empty()) {
            self.rare = None;
        }
    }

    /// 0 for Netscape cookies, 1 for RFC 2965 (and RFC 2109 cookies kept as such); `None`
    /// only for a `Set-Cookie2` cookie without `Version`, which policies refuse.
    pub fn version(&self) -> Option<u32> {
        self.flag(HAS_VERSION).then_some(self.version)
    }
    /// The version, reading a missing one as 0.
    pub fn version_number(&self) -> u32 {
        if self.flag(HAS_VERSION) {
            self.version
        } else {
            0
        }
    }
    /// The cookie name.
    pub fn name(&self) -> &str {
        self.name_value.get(..self.name_len as usize).unwrap_or("")
    }
    /// The value; `None` for a Netscape cookie given as a bare name (`Set-Cookie: foo`).
    pub fn value(&self) -> Option<&str> {
        self.flag(HAS_VALUE)
            .then(|| self.name_value.get(self.name_len as usize..).unwrap_or(""))
    }
    /// The `Port` attribute: a comma-separated list of ports.
    pub fn port(&self) -> Option<&str> {
        self.rare.as_ref().and_then(|r| r.port.as_deref())
    }
    /// Whether the server gave the port list explicitly (`Port="80"`, not just `Port`).
    pub fn port_specified(&self) -> bool {
        self.flag(PORT_SPECIFIED)
    }
    /// The domain the cookie belongs to (see the type's documentation).
    pub fn domain(&self) -> &str {
        &self.scope.domain
    }
    pub(crate) fn scope(&self) -> &Arc<Scope> {
        &self.scope
    }
    pub(crate) fn set_scope(&mut self, scope: Arc<Scope>) {
        self.scope = scope;
    }
    /// Whether the server gave a `Domain` attribute.
    pub fn domain_specified(&self) -> bool {
        self.flag(DOMAIN_SPECIFIED)
    }
    /// Whether the `Domain` attribute the server gave started with a dot.
    pub fn domain_initial_dot(&self) -> bool {
        self.flag(DOMAIN_INITIAL_DOT)
    }
    /// The path the cookie is scoped to.
    pub fn path(&self) -> &str {
        &self.scope.path
    }
    /// Whether the server gave a `Path` attribute.
    pub fn path_specified(&self) -> bool {
        self.flag(PATH_SPECIFIED)
    }
    /// Whether the cookie may only travel over secure protocols.
    pub fn secure(&self) -> bool {
        self.flag(SECURE)
    }
    /// Expiry in seconds since the Unix epoch; `None` for a session cookie.
    pub fn expires(&self) -> Option<i64> {
        self.flag(HAS_EXPIRES).then_some(self.expires)
    }
    /// Whether the cookie is to be thrown away at the end of the session.
    pub fn discard(&self) -> bool {
        self.flag(DISCARD)
    }
    /// The RFC 2965 `Comment` attribute.
    pub fn comment(&self) -> Option<&str> {
        self.rare.as_ref().and_then(|r| r.comment.as_deref())
    }
    /// The RFC 2965 `CommentURL` attribute.
    pub fn comment_url(&self) -> Option<&str> {
        self.rare.as_ref().and_then(|r| r.comment_url.as_deref())
    }
    /// Whether the cookie arrived as an RFC 2109 cookie (`Version=1` in `Set-Cookie`).
    pub fn rfc2109(&self) -> bool {
        self.flag(RFC2109)
    }
    /// Whether the server marked the cookie `HttpOnly` (hidden from scripts).
    pub fn http_only(&self) -> bool {
        self.flag(HTTP_ONLY)
    }
    /// The `SameSite` attribute, when the server gave a known one.
    pub fn same_site(&self) -> Option<SameSite> {
        self.same_site
    }
    /// When the cookie was first stored, in seconds since the epoch (kept across updates).
    pub fn creation_time(&self) -> i64 {
        self.creation_time
    }
    /// When the cookie was last stored or sent, in seconds since the epoch.
    pub fn last_access_time(&self) -> i64 {
        self.last_access_time
    }

    /// Sets the version (`None` only models a `Set-Cookie2` without one).
    pub fn set_version(&mut self, version: Option<u32>) {
        self.version = version.unwrap_or(0);
        self.set_flag(HAS_VERSION, version.is_some());
    }
    /// Renames the cookie.
    pub fn set_name(&mut self, name: &str) {
        let value = self.value().map(str::to_owned);
        self.set_name_value(name, value.as_deref());
    }
    /// Sets the value (`None` for a bare name).
    pub fn set_value(&mut self, value: Option<&str>) {
        let name = self.name().to_owned();
        self.set_name_value(&name, value);
    }
    /// Sets the port list.
    pub fn set_port(&mut self, port: Option<&str>) {
        self.set_rare(|r| &mut r.port, port);
    }
    /// Sets whether the port was specified.
    pub fn set_port_specified(&mut self, on: bool) {
        self.set_flag(PORT_SPECIFIED, on);
    }
    /// Sets the domain the cookie belongs to.
    pub fn set_domain(&mut self, domain: &str) {
        self.scope = Scope::new(Arc::from(domain), &self.scope.path);
    }
    /// Sets whether the domain was specified.
    pub fn set_domain_specified(&mut self, on: bool) {
        self.set_flag(DOMAIN_SPECIFIED, on);
    }
    /// Sets whether the specified domain had a leading dot.
    pub fn set_domain_initial_dot(&mut self, on: bool) {
        self.set_flag(DOMAIN_INITIAL_DOT, on);
    }
    /// Sets the path.
    pub fn set_path(&mut self, path: &str) {
        self.scope = Scope::new(Arc::clone(&self.scope.domain), path);
    }
    /// Sets whether the path was specified.
    pub fn set_path_specified(&mut self, on: bool) {
        self.set_flag(PATH_SPECIFIED, on);
    }
    /// Sets the secure flag.
    pub fn set_secure(&mut self, on: bool) {
        self.set_flag(SECURE, on);
    }
    /// Sets the expiry time (`None` for a session cookie).
    pub fn set_expires(&mut self, expires: Option<i64>) {
        self.expires = expires.unwrap_or(0);
        self.set_flag(HAS_EXPIRES, expires.is_some());
    }
    /// Sets the discard flag.
    pub fn set_discard(&mut self, on: bool) {
        self.set_flag(DISCARD, on);
    }
    /// Sets the comment.
    pub fn set_comment(&mut self, comment: Option<&str>) {
        self.set_rare(|r| &mut r.comment, comment);
    }
    /// Sets the comment URL.
    pub fn set_comment_url(&mut self, url: Option<&str>) {
        self.set_rare(|r| &mut r.comment_url, url);
    }
    /// Marks the cookie as having arrived as RFC 2109.
    pub fn set_rfc2109(&mut self, on: bool) {
        self.set_flag(RFC2109, on);
    }
    /// Sets the HttpOnly flag.
    pub fn set_http_only(&mut self, on: bool) {
        self.set_flag(HTTP_ONLY, on);
    }
    /// Sets the SameSite attribute.
    pub fn set_same_site(&mut self, same_site: Option<SameSite>) {
        self.same_site = same_site;
    }
    /// Sets the creation time.
    pub fn set_creation_time(&mut self, t: i64) {
        self.creation_time = t;
    }
    /// Sets the last access time.
    pub fn set_last_access_time(&mut self, t: i64) {
        self.last_access_time = t;
    }

    /// Whether the cookie has expired at `now` (seconds since the epoch): its expiry is at
    /// or before `now`. Session cookies never expire by time.
    pub fn is_expired(&self, now: i64) -> bool {
        self.expires().is_some_and(|e| e <= now)
    }

    /// Whether a non-standard attribute with this name (ASCII case-insensitive) is present.
    pub fn has_nonstandard_attr(&self, name: &str) -> bool {
        self.get_nonstandard_attr(name).is_some()
    }

    /// A non-standard attribute by ASCII case-insensitive name: `None` when absent,
    /// `Some(None)` for a bare flag, `Some(Some(value))` otherwise.
    pub fn get_nonstandard_attr(&self, name: &str) -> Option<Option<&str>> {
        self.rare
            .as_ref()?
            .rest
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_deref())
    }

    /// Sets or replaces a non-standard attribute; the name keeps the case given.
    pub fn set_nonstandard_attr(&mut self, name: &str, value: Option<&str>) {
        let rest = &mut self.rare_mut().rest;
        let entry = (name.to_owned(), value.map(str::to_owned));
        match rest.iter_mut().find(|(k, _)| k.eq_ignore_ascii_case(name)) {
            Some(slot) => *slot = entry,
            None => rest.push(entry),
        }
    }

    /// All non-standard attributes, in the order they were set.
    pub fn nonstandard_attrs(&self) -> impl Iterator<Item = (&str, Option<&str>)> {
        self.rare
            .iter()
            .flat_map(|r| r.rest.iter())
            .map(|(k, v)| (k.as_str(), v.as_deref()))
    }

    /// Whether the cookie is host-only: stored under a domain without a leading dot.
    pub fn is_host_only(&self) -> bool {
        !self.scope.domain.starts_with('.')
    }
}

impl fmt::Display for Cookie {
    /// cookielib's `str(cookie)`: `<Cookie name=value for domain[:port]path>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<Cookie {}", self.name())?;
        if let Some(v) = self.value() {
            write!(f, "={v}")?;
        }
        write!(f, " for {}", self.domain())?;
        if let Some(p) = self.port() {
            write!(f, ":{p}")?;
        }
        write!(f, "{}>", self.path())
    }
}

impl fmt::Debug for Cookie {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cookie")
            .field("version", &self.version())
            .field("name", &self.name())
            .field("value", &self.value())
            .field("port", &self.port())
            .field("port_specified", &self.port_specified())
            .field("domain", &self.domain())
            .field("domain_specified", &self.domain_specified())
            .field("domain_initial_dot", &self.domain_initial_dot())
            .field("path", &self.path())
            .field("path_specified", &self.path_specified())
            .field("secure", &self.secure())
            .field("expires", &self.expires())
            .field("discard", &self.discard())
            .field("comment", &self.comment())
            .field("comment_url", &self.comment_url())
            .field("rfc2109", &self.rfc2109())
            .field("http_only", &self.http_only())
            .field("same_site", &self.same_site())
            .field("creation_time", &self.creation_time)
            .field("last_access_time", &self.last_access_time)
            .field("rest", &self.nonstandard_attrs().collect::<Vec<_>>())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonstandard_attrs_are_case_insensitive_and_replace() {
        let mut c = Cookie::new("a", "b", "h.com", "/");
        assert_eq!(c.get_nonstandard_attr("x"), None);
        c.set_nonstandard_attr("Foo", None);
        assert_eq!(c.get_nonstandard_attr("FOO"), Some(None));
        c.set_nonstandard_attr("foo", Some("1"));
        assert_eq!(c.get_nonstandard_attr("Foo"), Some(Some("1")));
        assert_eq!(
            c.nonstandard_attrs().collect::<Vec<_>>(),
            vec![("foo", Some("1"))]
        );
    }

    #[test]
    fn display_includes_port_and_bare_name() {
        let mut c = Cookie::new("a", "b", "h.com", "/p");
        c.set_value(None);
        c.set_port(Some("80,8080"));
        assert_eq!(c.to_string(), "<Cookie a for h.com:80,8080/p>");
        c.set_port(None);
        assert!(c.rare.is_none(), "empty rare attributes are freed");
    }

    #[test]
    fn name_and_value_setters_are_independent() {
        let mut c = Cookie::new("name", "value", "h.com", "/");
        c.set_name("n");
        assert_eq!((c.name(), c.value()), ("n", Some("value")));
        c.set_value(Some(""));
        assert_eq!((c.name(), c.value()), ("n", Some("")));
        c.set_value(None);
        assert_eq!((c.name(), c.value()), ("n", None));
    }

    #[test]
    fn flags_round_trip() {
        let mut c = Cookie::new("a", "b", ".h.com", "/");
        assert!(
            c.domain_initial_dot() && c.domain_specified() && c.path_specified() && c.discard()
        );
        assert!(!c.secure() && !c.http_only() && !c.rfc2109() && !c.port_specified());
        c.set_secure(true);
        c.set_http_only(true);
        c.set_rfc2109(true);
        c.set_discard(false);
        assert!(c.secure() && c.http_only() && c.rfc2109() && !c.discard());
        c.set_version(None);
        assert_eq!((c.version(), c.version_number()), (None, 0));
        c.set_version(Some(1));
        assert_eq!(c.version(), Some(1));
    }

    #[test]
    fn expiry_is_inclusive() {
        let mut c = Cookie::new("a", "b", "h.com", "/");
        assert!(!c.is_expired(i64::MAX));
        c.set_expires(Some(10));
        assert!(!c.is_expired(9));
        assert!(c.is_expired(10));
    }

    #[test]
    fn stays_small() {
        assert!(
            std::mem::size_of::<Cookie>() <= 104,
            "{}",
            std::mem::size_of::<Cookie>()
        );
    }
}
