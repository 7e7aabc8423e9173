//! The small traits through which the jar sees requests and responses, their impls for the
//! `http` crate's types, and `RequestInfo`: a request parsed once into what policies need.

use std::borrow::Cow;

use crate::domain::{effective_host, escape_path_cow};
use crate::error::{Error, Result};

/// Where a request stands relative to the site that caused it (RFC 6265bis §5.2).
///
/// The browser-grade policy uses it to enforce `SameSite`; cookielib's policy ignores it.
/// The default is a same-site, top-level navigation with a safe method: what a script
/// fetching a URL it was given looks like to a server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SiteContext {
    /// Whether the request is same-site with the document or request that caused it.
    pub same_site: bool,
    /// Whether the request is a top-level navigation (it changes the page the user sees).
    pub top_level_navigation: bool,
    /// Whether the method is safe (GET, HEAD, OPTIONS, TRACE).
    pub safe_method: bool,
}

impl Default for SiteContext {
    fn default() -> Self {
        SiteContext {
            same_site: true,
            top_level_navigation: true,
            safe_method: true,
        }
    }
}

impl SiteContext {
    /// A cross-site request.
    pub fn cross_site(top_level_navigation: bool, safe_method: bool) -> SiteContext {
        SiteContext {
            same_site: false,
            top_level_navigation,
            safe_method,
        }
    }
}

/// Request extension marking an `http::Request` as unverifiable (RFC 2965 §3.3.6): the user
/// did not choose to make it, as for an image in a page or a redirect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Unverifiable(pub bool);

/// Request extension giving the host of the request the user originally made (the page an
/// unverifiable request came from), for third-party checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OriginRequestHost(pub String);

/// What the cookie engine needs to know about a request: cookielib's request interface.
///
/// Implemented for `http::Request<B>` (see [`Unverifiable`], [`OriginRequestHost`] and
/// [`SiteContext`] for the extensions it reads); any client can implement it.
///
/// ```
/// use cookiejar::CookieRequest;
/// let mut req = http::Request::get("http://www.example.com/a/b?q=1").body(()).unwrap();
/// assert_eq!(CookieRequest::url(&req), "http://www.example.com/a/b?q=1");
/// req.add_unredirected_header("Cookie", "a=b".to_owned());
/// assert_eq!(req.header("cookie").as_deref(), Some("a=b"));
/// ```
pub trait CookieRequest {
    /// The full, absolute request URL.
    fn url(&self) -> Cow<'_, str>;
    /// A request header's value (including unredirected ones), by case-insensitive name.
    fn header(&self, name: &str) -> Option<Cow<'_, str>>;
    /// Whether the request has this header.
    fn has_header(&self, name: &str) -> bool {
        self.header(name).is_some()
    }
    /// Whether the request is unverifiable (the user did not ask for it directly).
    fn is_unverifiable(&self) -> bool {
        false
    }
    /// The host of the origin transaction; `None` means the request's own host.
    fn origin_req_host(&self) -> Option<Cow<'_, str>> {
        None
    }
    /// Where the request stands relative to the site that caused it.
    fn site_context(&self) -> SiteContext {
        SiteContext::default()
    }
    /// Adds a header that is not carried over to redirected requests (the value is handed
    /// over, so an implementation can keep it without copying).
    fn add_unredirected_header(&mut self, name: &str, value: String);
}

/// What the cookie engine needs to know about a response: its header values by name.
pub trait CookieResponse {
    /// Every value of the named header (case-insensitive), in order. Bytes that are not
    /// UTF-8 are replaced, never dropped.
    fn header_values(&self, name: &str) -> Vec<Cow<'_, str>>;
}

fn header_map_values<'a>(headers: &'a http::HeaderMap, name: &str) -> Vec<Cow<'a, str>> {
    headers
        .get_all(name)
        .iter()
        .map(|v| lossy(v.as_bytes()))
        .collect()
}

/// UTF-8 text borrowed when it is valid (the common case, checked fast), replaced otherwise.
fn lossy(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

impl CookieResponse for http::HeaderMap {
    fn header_values(&self, name: &str) -> Vec<Cow<'_, str>> {
        header_map_values(self, name)
    }
}

impl<B> CookieResponse for http::Response<B> {
    fn header_values(&self, name: &str) -> Vec<Cow<'_, str>> {
        header_map_values(self.headers(), name)
    }
}

impl<B> CookieRequest for http::Request<B> {
    /// The URI when it is absolute; otherwise `http://` + the `Host` header + the path.
    fn url(&self) -> Cow<'_, str> {
        let uri = self.uri();
        if uri.scheme().is_some() && uri.authority().is_some() {
            return Cow::Owned(uri.to_string());
        }
        let host = self
            .headers()
            .get(http::header::HOST)
            .map(|h| String::from_utf8_lossy(h.as_bytes()));
        let path = uri.path_and_query().map_or("/", |p| p.as_str());
        Cow::Owned(format!("http://{}{}", host.unwrap_or_default(), path))
    }

    fn header(&self, name: &str) -> Option<Cow<'_, str>> {
        self.headers()
            .get(name)
            .map(|v| String::from_utf8_lossy(v.as_bytes()))
    }

    fn is_unverifiable(&self) -> bool {
        self.extensions().get::<Unverifiable>().is_some_and(|u| u.0)
    }

    fn origin_req_host(&self) -> Option<Cow<'_, str>> {
        self.extensions()
            .get::<OriginRequestHost>()
            .map(|o| Cow::Borrowed(o.0.as_str()))
    }

    fn site_context(&self) -> SiteContext {
        let safe = matches!(
            *self.method(),
            http::Method::GET | http::Method::HEAD | http::Method::OPTIONS | http::Method::TRACE
        );
        self.extensions()
            .get::<SiteContext>()
            .copied()
            .unwrap_or(SiteContext {
                safe_method: safe,
                ..SiteContext::default()
            })
    }

    /// Inserts the header; an `http::Request` has no separate unredirected headers.
    /// A value that is not a valid header value is dropped with a DEBUG event.
    fn add_unredirected_header(&mut self, name: &str, value: String) {
        match (
            http::HeaderName::try_from(name),
            http::HeaderValue::try_from(value),
        ) {
            (Ok(n), Ok(v)) => {
                self.headers_mut().insert(n, v);
            }
            _ => tracing::debug!(header = name, "header not added: invalid name or value"),
        }
    }
}

/// A request parsed once into the facts cookie policies decide on.
///
/// Built by the jar for each `extract_cookies` / `add_cookie_header` call and handed to the
/// [`CookiePolicy`](crate::CookiePolicy); names follow RFC 2965 and cookielib.
///
/// ```
/// use cookiejar::RequestInfo;
/// let info = RequestInfo::from_url("https://WWW.Example.com:8443/a%2fb/c?x", 0).unwrap();
/// assert_eq!(info.host(), "www.example.com");
/// assert_eq!(info.port(), "8443");
/// assert_eq!(info.path(), "/a%2Fb/c");
/// assert!(info.scheme() == "https");
/// let local = RequestInfo::from_url("http://localhost/", 0).unwrap();
/// assert_eq!(local.effective_host(), "localhost.local");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestInfo {
    scheme: Cow<'static, str>,
    host: String,
    /// The effective host when it differs from `host` (a dotless host gets `.local`).
    erhn: Option<String>,
    port: Cow<'static, str>,
    path: String,
    unverifiable: bool,
    /// The origin transaction's host when it differs from `host`.
    origin_host: Option<String>,
    site: SiteContext,
    now: i64,
}

impl RequestInfo {
    /// Parses what the jar needs from a request, at time `now`.
    pub fn from_request<R: CookieRequest + ?Sized>(request: &R, now: i64) -> Result<RequestInfo> {
        let url = request.url();
        let mut info =
            RequestInfo::parse(&url, || request.header("Host").map(Cow::into_owned), now)?;
        info.unverifiable = request.is_unverifiable();
        if let Some(origin) = request.origin_req_host() {
            let origin = strip_port(&origin);
            // Kept only when it differs from the host (most requests: no allocation).
            if !origin.eq_ignore_ascii_case(&info.host) {
                info.origin_host = Some(lower_host(origin));
            }
        }
        info.site = request.site_context();
        Ok(info)
    }

    /// Parses an absolute URL, for a verifiable, same-site request at time `now`.
    pub fn from_url(url: &str, now: i64) -> Result<RequestInfo> {
        RequestInfo::parse(url, || None, now)
    }

    fn parse(
        url: &str,
        host_header: impl FnOnce() -> Option<String>,
        now: i64,
    ) -> Result<RequestInfo> {
        let invalid = |reason: &str| Error::InvalidUrl {
            url: url.to_owned(),
            reason: reason.to_owned(),
        };
        let (scheme, rest) = match url.split_once("://") {
            Some((s, r))
                if !s.is_empty()
                    && s.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b)) =>
            {
                (s, r)
            }
            _ => return Err(invalid("not an absolute URL with a scheme and host")),
        };
        let scheme: Cow<'static, str> = match scheme {
            "http" => Cow::Borrowed("http"),
            "https" => Cow::Borrowed("https"),
            other => Cow::Owned(other.to_ascii_lowercase()),
        };
        let auth_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(auth_end);
        let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        let authority: Cow<'_, str> = if authority.is_empty() {
            Cow::Owned(host_header().unwrap_or_default())
        } else {
            Cow::Borrowed(authority)
        };
        let host = lower_host(strip_port(&authority));
        if host.is_empty() {
            return Err(invalid("no host"));
        }
        let port = explicit_port(&authority).map_or_else(
            || Cow::Borrowed(default_port(&scheme)),
            |p| Cow::Owned(p.to_owned()),
        );
        let path_end = tail.find(['?', '#']).unwrap_or(tail.len());
        let mut path = escape_path_cow(&tail[..path_end]).into_owned();
        if !path.starts_with('/') {
            path.insert(0, '/');
        }
        let erhn = (!host.contains('.'))
            .then(|| effective_host(&host))
            .filter(|e| *e != host);
        Ok(RequestInfo {
            scheme,
            origin_host: None,
            host,
            erhn,
            port,
            path,
            unverifiable: false,
            site: SiteContext::default(),
            now,
        })
    }

    /// The URL scheme, lower-cased.
    pub fn scheme(&self) -> &str {
        &self.scheme
    }
    /// The request host (RFC 2965 request-host), lower-cased, without port.
    pub fn host(&self) -> &str {
        &self.host
    }
    /// The effective request-host name: the host, plus `.local` when it has no dot.
    pub fn effective_host(&self) -> &str {
        self.erhn.as_deref().unwrap_or(&self.host)
    }
    /// The port, explicit or the scheme's default (`443` for https and wss, else `80`).
    pub fn port(&self) -> &str {
        &self.port
    }
    /// The request path, escaped as cookielib escapes it, always starting with `/`.
    pub fn path(&self) -> &str {
        &self.path
    }
    /// Whether the request is unverifiable.
    pub fn is_unverifiable(&self) -> bool {
        self.unverifiable
    }
    /// The host of the origin transaction (the request's own host unless told otherwise).
    pub fn origin_host(&self) -> &str {
        self.origin_host.as_deref().unwrap_or(&self.host)
    }
    /// The request's same-site context.
    pub fn site_context(&self) -> SiteContext {
        self.site
    }
    /// The time the decision is made at, in seconds since the epoch.
    pub fn now(&self) -> i64 {
        self.now
    }
    /// Marks the request unverifiable, with the origin transaction's host.
    pub fn with_unverifiable(mut self, origin_host: &str) -> RequestInfo {
        self.unverifiable = true;
        self.origin_host = Some(lower_host(strip_port(origin_host)));
        self
    }
    /// Replaces the same-site context.
    pub fn with_site_context(mut self, site: SiteContext) -> RequestInfo {
        self.site = site;
        self
    }

    /// Whether this unverifiable request goes to a third-party host (RFC 2965 §3.3.6):
    /// its host does not domain-match the reach of the origin host.
    pub fn is_third_party(&self) -> bool {
        !crate::domain::domain_match(&self.host, &crate::domain::reach(self.origin_host()))
    }
}

/// A host lower-cased as Python's `str.lower()` does (ASCII fast path).
fn lower_host(host: &str) -> String {
    if host.is_ascii() {
        host.to_ascii_lowercase()
    } else {
        host.to_lowercase()
    }
}

fn default_port(scheme: &str) -> &'static str {
    match scheme {
        "https" | "wss" => "443",
        _ => "80",
    }
}

/// The `host` part of `host[:port]`, keeping IPv6 brackets.
fn strip_port(authority: &str) -> &str {
    if authority.starts_with('[') {
        return authority.find(']').map_or(authority, |i| &authority[..=i]);
    }
    match authority.rsplit_once(':') {
        Some((h, p)) if p.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => authority,
    }
}

fn explicit_port(authority: &str) -> Option<&str> {
    let after_host = if authority.starts_with('[') {
        &authority[authority.find(']')? + 1..]
    } else {
        authority.rfind(':').map_or("", |i| &authority[i..])
    };
    let p = after_host.strip_prefix(':')?;
    (!p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())).then_some(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_hosts_ports_and_paths() {
        let i = RequestInfo::from_url("http://user:pw@[::1]:8080", 5).unwrap();
        assert_eq!(i.host(), "[::1]");
        assert_eq!(i.port(), "8080");
        assert_eq!(i.path(), "/");
        assert_eq!(i.now(), 5);
        let i = RequestInfo::from_url("HTTP://a.b.c/x y#frag", 0).unwrap();
        assert_eq!(i.scheme(), "http");
        assert_eq!(i.path(), "/x%20y");
        assert_eq!(i.port(), "80");
        assert!(RequestInfo::from_url("/relative", 0).is_err());
        assert!(RequestInfo::from_url("http:///nohost", 0).is_err());
    }

    #[test]
    fn builders_mark_unverifiable_and_site_context() {
        let info = RequestInfo::from_url("http://img.tracker.com/p.gif", 0).unwrap();
        assert!(!info.is_unverifiable());
        assert_eq!(info.origin_host(), "img.tracker.com");
        assert!(!info.is_third_party());
        let info = info
            .with_unverifiable("WWW.Shop.COM:8080")
            .with_site_context(SiteContext::cross_site(false, true));
        assert!(info.is_unverifiable());
        assert_eq!(info.origin_host(), "www.shop.com");
        assert!(info.is_third_party());
        assert_eq!(
            info.site_context(),
            SiteContext {
                same_site: false,
                top_level_navigation: false,
                safe_method: true
            }
        );
        // Within the origin's reach is not third party.
        let first = RequestInfo::from_url("http://img.shop.com/", 0)
            .unwrap()
            .with_unverifiable("www.shop.com");
        assert!(!first.is_third_party());
    }

    #[test]
    fn http_request_relative_uri_uses_host_header() {
        let req = http::Request::get("/p")
            .header("Host", "example.org:81")
            .body(())
            .unwrap();
        let info = RequestInfo::from_request(&req, 0).unwrap();
        assert_eq!(info.host(), "example.org");
        assert_eq!(info.port(), "81");
        assert_eq!(info.path(), "/p");
    }

    #[test]
    fn http_request_extensions() {
        let mut req = http::Request::post("http://a.example.com/")
            .body(())
            .unwrap();
        assert!(!req.is_unverifiable());
        assert!(!req.site_context().safe_method);
        req.extensions_mut().insert(Unverifiable(true));
        req.extensions_mut()
            .insert(OriginRequestHost("www.other.com".into()));
        req.extensions_mut()
            .insert(SiteContext::cross_site(false, true));
        let info = RequestInfo::from_request(&req, 0).unwrap();
        assert!(info.is_unverifiable());
        assert_eq!(info.origin_host(), "www.other.com");
        assert!(info.is_third_party());
        assert!(!info.site_context().same_site);
    }

    #[test]
    fn http_response_header_values_keep_non_ascii() {
        let resp = http::Response::builder()
            .header("Set-Cookie", "a=1")
            .header(
                "set-cookie",
                http::HeaderValue::from_bytes("b=\u{e9}".as_bytes()).unwrap(),
            )
            .body(())
            .unwrap();
        let v = resp.header_values("SET-COOKIE");
        assert_eq!(v, vec!["a=1", "b=\u{e9}"]);
    }
}
