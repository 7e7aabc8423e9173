//! `Request`: what a user asks an opener to fetch (urllib2's `Request`): URL, method, headers
//! and unredirected headers, body, and the facts cookie policies need (origin host, verifiability).

use std::borrow::Cow;
use std::time::Duration;

use bytes::Bytes;
use http::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use http::{HeaderMap, Method};
use url::Url;

use crate::error::{Error, Result};

/// A request for a URL, as urllib2's `Request`.
///
/// The method is `GET`, or `POST` when the request carries data, unless set explicitly.
/// Headers come in two kinds, as in urllib2: ordinary ones, which a redirected request
/// keeps, and *unredirected* ones (`add_unredirected_header`), which only this request
/// carries — the cookie processor adds `Cookie` that way, so every hop gets its own.
/// When both kinds hold a header, the unredirected one wins.
///
/// `origin_req_host` and `unverifiable` are RFC 2965's: the host of the page that caused this
/// request, and whether the user did not ask for it directly (an image, a redirect). The
/// cookie policies decide third-party cookies from them.
///
/// ```
/// use mechanize::Request;
///
/// let mut req = Request::new("http://www.example.com/search?q=rust")?;
/// assert_eq!(req.method(), http::Method::GET);
/// req.add_header("User-Agent", "my-bot/1.0")?;
/// req.set_form([("q", "mechanize rs"), ("page", "2")]);
/// assert_eq!(req.method(), http::Method::POST);
/// assert_eq!(req.data().map(|d| &d[..]), Some(&b"q=mechanize+rs&page=2"[..]));
/// assert_eq!(req.get_header("content-type"), Some("application/x-www-form-urlencoded"));
/// assert_eq!(req.origin_req_host(), "www.example.com");
/// # Ok::<(), mechanize::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Request {
    url: Url,
    method: Option<Method>,
    headers: HeaderMap,
    unredirected: HeaderMap,
    data: Option<Bytes>,
    origin_req_host: String,
    unverifiable: bool,
    timeout: Option<Duration>,
    redirects: Vec<Url>,
    proxy: Option<Url>,
    redirected_from: Option<(Url, u16)>,
}

impl Request {
    /// A `GET` request for `url`. The URL must be absolute with a scheme; a fragment is
    /// dropped (it never travels to a server).
    pub fn new(url: &str) -> Result<Request> {
        let mut parsed = Url::parse(url).map_err(|e| Error::InvalidUrl {
            url: url.to_owned(),
            reason: e.to_string(),
        })?;
        parsed.set_fragment(None);
        let origin_req_host = request_host(&parsed);
        Ok(Request {
            url: parsed,
            method: None,
            headers: HeaderMap::new(),
            unredirected: HeaderMap::new(),
            data: None,
            origin_req_host,
            unverifiable: false,
            timeout: None,
            redirects: Vec::new(),
            proxy: None,
            redirected_from: None,
        })
    }

    /// The full URL (urllib2's `get_full_url`).
    pub fn full_url(&self) -> &str {
        self.url.as_str()
    }

    /// The parsed URL.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// The URL scheme (urllib2's `type`).
    pub fn scheme(&self) -> &str {
        self.url.scheme()
    }

    /// The host and, when given, the port (urllib2's `host`).
    pub fn host(&self) -> String {
        match (self.url.host_str(), self.url.port()) {
            (Some(h), Some(p)) => format!("{h}:{p}"),
            (Some(h), None) => h.to_owned(),
            _ => String::new(),
        }
    }

    /// The method: the one set, else `POST` with data and `GET` without.
    pub fn method(&self) -> Method {
        match (&self.method, &self.data) {
            (Some(m), _) => m.clone(),
            (None, Some(_)) => Method::POST,
            (None, None) => Method::GET,
        }
    }

    /// Sets the method explicitly (urllib2's `method=` argument).
    pub fn set_method(&mut self, method: Method) {
        self.method = Some(method);
    }

    fn header_parts(&self, name: &str, value: &str) -> Result<(HeaderName, HeaderValue)> {
        let invalid = |reason: String| Error::InvalidHeader {
            url: self.url.to_string(),
            name: name.to_owned(),
            reason,
        };
        let n = HeaderName::try_from(name).map_err(|e| invalid(e.to_string()))?;
        let v = HeaderValue::try_from(value).map_err(|e| invalid(e.to_string()))?;
        Ok((n, v))
    }

    /// Sets a header that redirected requests keep, replacing any of that name.
    pub fn add_header(&mut self, name: &str, value: &str) -> Result<()> {
        let (n, v) = self.header_parts(name, value)?;
        self.headers.insert(n, v);
        Ok(())
    }

    /// Sets a header for this request only, replacing any of that name.
    pub fn add_unredirected_header(&mut self, name: &str, value: &str) -> Result<()> {
        let (n, v) = self.header_parts(name, value)?;
        self.unredirected.insert(n, v);
        Ok(())
    }

    /// Whether either kind of header has this name (any case).
    pub fn has_header(&self, name: &str) -> bool {
        self.unredirected.contains_key(name) || self.headers.contains_key(name)
    }

    /// A header's value (the unredirected one first); `None` when absent or not text.
    pub fn get_header(&self, name: &str) -> Option<&str> {
        self.unredirected
            .get(name)
            .or_else(|| self.headers.get(name))
            .and_then(|v| v.to_str().ok())
    }

    /// Removes a header of either kind.
    pub fn remove_header(&mut self, name: &str) {
        self.headers.remove(name);
        self.unredirected.remove(name);
    }

    /// Every header this request sends, names in lower case, unredirected ones overriding
    /// ordinary ones of the same name (urllib2's `header_items`).
    pub fn header_items(&self) -> Vec<(String, String)> {
        let mut items: Vec<(String, String)> = Vec::new();
        for (n, v) in self.headers.iter().chain(self.unredirected.iter()) {
            let value = String::from_utf8_lossy(v.as_bytes()).into_owned();
            match items.iter_mut().find(|(k, _)| k == n.as_str()) {
                Some(slot) => slot.1 = value,
                None => items.push((n.as_str().to_owned(), value)),
            }
        }
        items
    }

    /// The headers redirected requests keep.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The headers only this request carries.
    pub fn unredirected_headers(&self) -> &HeaderMap {
        &self.unredirected
    }

    /// The body, if any.
    pub fn data(&self) -> Option<&Bytes> {
        self.data.as_ref()
    }

    /// Sets (or removes) the body.
    pub fn set_data(&mut self, data: Option<impl Into<Bytes>>) {
        self.data = data.map(Into::into);
    }

    /// Sets the body to the form-urlencoded `pairs`, and `Content-Type` to
    /// `application/x-www-form-urlencoded` unless one is set.
    pub fn set_form<K: AsRef<str>, V: AsRef<str>>(
        &mut self,
        pairs: impl IntoIterator<Item = (K, V)>,
    ) {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        self.data = Some(Bytes::from(body));
        if !self.has_header(CONTENT_TYPE.as_str()) {
            self.headers.insert(
                CONTENT_TYPE,
                HeaderValue::from_static("application/x-www-form-urlencoded"),
            );
        }
    }

    /// The host of the origin transaction (RFC 2965), lower case, without port: by default
    /// this request's own host.
    pub fn origin_req_host(&self) -> &str {
        &self.origin_req_host
    }

    /// Sets the origin transaction's host (a port, if given, is dropped).
    pub fn set_origin_req_host(&mut self, host: &str) {
        self.origin_req_host = strip_port(host).to_ascii_lowercase();
    }

    /// Whether the user did not ask for this request directly (RFC 2965).
    pub fn is_unverifiable(&self) -> bool {
        self.unverifiable
    }

    /// Marks the request as unverifiable or not.
    pub fn set_unverifiable(&mut self, unverifiable: bool) {
        self.unverifiable = unverifiable;
    }

    /// This request's timeout, overriding the opener's.
    pub fn timeout(&self) -> Option<Duration> {
        self.timeout
    }

    /// Sets this request's timeout.
    pub fn set_timeout(&mut self, timeout: Option<Duration>) {
        self.timeout = timeout;
    }

    /// The redirections that led to this request, oldest first: every URL a redirect sent
    /// the chain to (urllib2 keeps this as `redirect_dict`). Empty for a request the user made.
    pub fn redirect_history(&self) -> &[Url] {
        &self.redirects
    }

    /// Sets the redirect history (the redirect handler does, for each hop it makes).
    pub fn set_redirect_history(&mut self, history: Vec<Url>) {
        self.redirects = history;
    }

    /// The proxy this request goes through, if any (urllib2's `has_proxy`, with the URL).
    pub fn proxy(&self) -> Option<&Url> {
        self.proxy.as_ref()
    }

    /// Sends this request through `proxy`, an `http://[user:password@]host[:port]` URL
    /// (urllib2's `set_proxy`), or directly with `None`. The `ProxyHandler` sets it from
    /// its rules unless a proxy is set already. `http:` requests are forwarded by the proxy;
    /// `https:` ones are tunnelled through it with `CONNECT`. User and password, when
    /// present, are sent as Basic `Proxy-Authorization`.
    ///
    /// ```
    /// let mut req = mechanize::Request::new("http://www.example.com/")?;
    /// req.set_proxy(Some(url::Url::parse("http://proxy.example:3128").unwrap()));
    /// assert_eq!(req.proxy().map(|p| p.as_str()), Some("http://proxy.example:3128/"));
    /// # Ok::<(), mechanize::Error>(())
    /// ```
    pub fn set_proxy(&mut self, proxy: Option<Url>) {
        self.proxy = proxy;
    }

    /// The redirect that made this request: the URL that answered with it and its status
    /// (a refresh followed by `HTTPRefreshProcessor` shows as a 302). `None` for a request
    /// the user made. The redirect handler sets it; `HTTPRedirectDebugProcessor` logs it.
    ///
    /// ```
    /// let request = mechanize::Request::new("http://www.example.com/")?;
    /// assert_eq!(request.redirected_from(), None);
    /// # Ok::<(), mechanize::Error>(())
    /// ```
    pub fn redirected_from(&self) -> Option<(&Url, u16)> {
        self.redirected_from
            .as_ref()
            .map(|(url, code)| (url, *code))
    }

    /// Records the redirect that made this request (the redirect handler does).
    pub(crate) fn set_redirected_from(&mut self, from: Url, status: u16) {
        self.redirected_from = Some((from, status));
    }
}

/// The host of a URL in lower case without port (RFC 2965 request-host).
fn request_host(url: &Url) -> String {
    url.host_str().unwrap_or("").to_ascii_lowercase()
}

fn strip_port(host: &str) -> &str {
    if host.starts_with('[') {
        return host.find(']').map_or(host, |i| &host[..=i]);
    }
    match host.rsplit_once(':') {
        Some((h, p)) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => host,
    }
}

impl cookiejar::CookieRequest for Request {
    fn url(&self) -> Cow<'_, str> {
        Cow::Borrowed(self.url.as_str())
    }

    fn header(&self, name: &str) -> Option<Cow<'_, str>> {
        self.unredirected
            .get(name)
            .or_else(|| self.headers.get(name))
            .map(|v| String::from_utf8_lossy(v.as_bytes()))
    }

    fn is_unverifiable(&self) -> bool {
        self.unverifiable
    }

    fn origin_req_host(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Borrowed(&self.origin_req_host))
    }

    /// Adds the header the jar computed. A value HTTP refuses (a control character that came
    /// in a `Set-Cookie` value) is left out, with a DEBUG event.
    fn add_unredirected_header(&mut self, name: &str, value: String) {
        match (HeaderName::try_from(name), HeaderValue::try_from(value)) {
            (Ok(n), Ok(v)) => {
                self.unredirected.insert(n, v);
            }
            _ => {
                tracing::debug!(header = name, url = %self.url, "header not added: invalid name or value")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_urls_are_typed_errors() {
        for bad in ["", "no scheme", "/relative/path", "http://[::1"] {
            match Request::new(bad) {
                Err(Error::InvalidUrl { url, reason }) => {
                    assert_eq!(url, bad);
                    assert!(!reason.is_empty());
                }
                other => panic!("{bad:?} gave {other:?}"),
            }
        }
    }

    #[test]
    fn method_follows_data_unless_set() {
        let mut r = Request::new("http://h.example/").unwrap();
        assert_eq!(r.method(), Method::GET);
        r.set_data(Some("x=1"));
        assert_eq!(r.method(), Method::POST);
        r.set_method(Method::PUT);
        assert_eq!(r.method(), Method::PUT);
        r.set_data(None::<Bytes>);
        assert_eq!(r.method(), Method::PUT);
    }

    #[test]
    fn unredirected_headers_override_and_both_kinds_are_found() {
        let mut r = Request::new("http://h.example/").unwrap();
        r.add_header("Accept", "text/html").unwrap();
        r.add_header("X-Thing", "a").unwrap();
        r.add_unredirected_header("x-thing", "b").unwrap();
        assert!(r.has_header("ACCEPT"));
        assert_eq!(r.get_header("X-Thing"), Some("b"));
        assert_eq!(
            r.header_items(),
            vec![
                ("accept".to_owned(), "text/html".to_owned()),
                ("x-thing".to_owned(), "b".to_owned())
            ]
        );
        assert_eq!(r.headers().len(), 2);
        assert_eq!(r.unredirected_headers().len(), 1);
        r.remove_header("x-thing");
        assert!(!r.has_header("x-thing"));
        assert!(matches!(
            r.add_header("bad name", "v"),
            Err(Error::InvalidHeader { .. })
        ));
        assert!(matches!(
            r.add_header("X-Ok", "line\nbreak"),
            Err(Error::InvalidHeader { .. })
        ));
    }

    #[test]
    fn form_keeps_an_explicit_content_type() {
        let mut r = Request::new("http://h.example/").unwrap();
        r.add_header("Content-Type", "application/x-custom")
            .unwrap();
        r.set_form([("a", "1 2"), ("b", "é&")]);
        assert_eq!(r.get_header("content-type"), Some("application/x-custom"));
        assert_eq!(
            r.data().map(|d| d.to_vec()),
            Some(b"a=1+2&b=%C3%A9%26".to_vec())
        );
    }

    #[test]
    fn url_parts_origin_and_timeout() {
        let mut r = Request::new("HTTPS://User:pw@WWW.Example.com:8443/a/b?c=d#frag").unwrap();
        assert_eq!(r.full_url(), "https://User:pw@www.example.com:8443/a/b?c=d");
        assert_eq!(r.scheme(), "https");
        assert_eq!(r.host(), "www.example.com:8443");
        assert_eq!(r.origin_req_host(), "www.example.com");
        assert!(!r.is_unverifiable());
        r.set_unverifiable(true);
        r.set_origin_req_host("Shop.Example.com:80");
        assert_eq!(r.origin_req_host(), "shop.example.com");
        assert!(r.is_unverifiable());
        assert_eq!(r.timeout(), None);
        r.set_timeout(Some(Duration::from_secs(3)));
        assert_eq!(r.timeout(), Some(Duration::from_secs(3)));
        assert_eq!(r.url().port(), Some(8443));
        assert!(r.redirect_history().is_empty());
        let hop = Url::parse("http://next.example/").unwrap();
        r.set_redirect_history(vec![hop.clone()]);
        assert_eq!(r.redirect_history(), std::slice::from_ref(&hop));
        assert_eq!(r.redirected_from(), None);
        r.set_redirected_from(hop.clone(), 307);
        assert_eq!(r.redirected_from(), Some((&hop, 307)));
    }
}
