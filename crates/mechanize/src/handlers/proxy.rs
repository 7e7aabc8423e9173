//! `ProxyHandler`: picks the proxy for each `http:`/`https:` request, from the environment
//! (`http_proxy`, `https_proxy`, `all_proxy`, `no_proxy`, read as curl does) or a given map.

use std::fmt;
use std::sync::Arc;

use hyper_util::client::proxy::matcher::Matcher;
use url::Url;

use crate::director::OpenerDirector;
use crate::error::{Error, Result};
use crate::handler::{BoxFuture, Handler, RequestProcessor, Schemes};
use crate::request::Request;

/// Sends requests through a proxy (urllib2's `ProxyHandler`), in the role `"proxy"`, at
/// `handler_order` 100 (before every other processor, as in urllib2).
///
/// For each `http:` and `https:` request without a proxy of its own
/// ([`Request::set_proxy`]), it sets the proxy for the request's scheme unless the host is
/// excluded by the `no_proxy` list. The HTTP handlers then send `http:` requests to the proxy
/// in absolute form and tunnel `https:` ones through it with `CONNECT`; user and password in
/// the proxy URL become Basic `Proxy-Authorization` (for `CONNECT` too). Only `http://`
/// proxies are supported; a proxy URL without a scheme is `http://`, without a port uses 80
/// (as Python does; curl uses 1080).
///
/// Made three ways:
///
/// - [`ProxyHandler::from_env`] (what `build_opener` uses): the variables curl reads. The
///   lower-case name wins over the upper-case one; `HTTP_PROXY` in upper case is ignored when
///   `REQUEST_METHOD` is set (a CGI script, where it could come from a request header: the
///   "httpoxy" problem); `all_proxy` serves both schemes when the scheme's own is unset; an
///   empty value is unset.
/// - [`ProxyHandler::new`]: a map from scheme (`"http"`, `"https"` or `"all"`) to proxy URL,
///   as urllib2's `ProxyHandler({"http": "…"})`; an empty map means no proxy at all.
/// - [`ProxyHandler::from_vars`]: the environment's rules applied to given variables.
///
/// `no_proxy` ([`with_no_proxy`](ProxyHandler::with_no_proxy)) follows curl: a comma-separated
/// list of host names (each matching itself and its subdomains; a leading dot is ignored), IP
/// addresses and CIDR ranges (`10.0.0.0/8`), or `*` for every host.
///
/// ```
/// use mechanize::Request;
/// use mechanize::handlers::ProxyHandler;
///
/// let proxies = ProxyHandler::new([("http", "joe:secret@proxy.example:3128")])?
///     .with_no_proxy("intranet.example, 10.0.0.0/8");
/// let url = |s: &str| url::Url::parse(s).unwrap();
/// assert_eq!(
///     proxies.proxy_for(&url("http://www.example.com/")).map(|p| p.as_str()),
///     Some("http://joe:secret@proxy.example:3128/")
/// );
/// assert_eq!(proxies.proxy_for(&url("http://wiki.intranet.example/")), None, "excluded");
/// assert_eq!(proxies.proxy_for(&url("https://www.example.com/")), None, "no https proxy");
/// # Ok::<(), mechanize::Error>(())
/// ```
#[derive(Clone)]
pub struct ProxyHandler {
    http: Option<Url>,
    https: Option<Url>,
    no_proxy: String,
    matcher: Arc<Matcher>,
}

impl fmt::Debug for ProxyHandler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never show a proxy password.
        let show = |u: &Option<Url>| {
            u.as_ref().map(|u| {
                let mut u = u.clone();
                if u.password().is_some() {
                    let _ = u.set_password(Some("***"));
                }
                u.to_string()
            })
        };
        f.debug_struct("ProxyHandler")
            .field("http", &show(&self.http))
            .field("https", &show(&self.https))
            .field("no_proxy", &self.no_proxy)
            .finish()
    }
}

impl Default for ProxyHandler {
    /// The proxies of the environment, as [`ProxyHandler::from_env`].
    fn default() -> Self {
        ProxyHandler::from_env()
    }
}

/// Parses a proxy URL as urllib2 and curl accept it: with or without `http://`, with user
/// and password. Only HTTP proxies are supported.
fn parse_proxy(value: &str) -> Result<Url> {
    let value = value.trim();
    let invalid = |reason: String| Error::InvalidUrl {
        url: value.to_owned(),
        reason,
    };
    let with_scheme = if value.contains("://") {
        value.to_owned()
    } else {
        format!("http://{value}")
    };
    let url = Url::parse(&with_scheme).map_err(|e| invalid(format!("proxy URL: {e}")))?;
    if url.scheme() != "http" {
        return Err(invalid(format!(
            "proxy scheme {:?} is not supported (only http:// proxies are)",
            url.scheme()
        )));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(invalid("proxy URL without a host".to_owned()));
    }
    Ok(url)
}

impl ProxyHandler {
    /// A handler with the proxies in `proxies`: pairs of scheme (`"http"`, `"https"`, or
    /// `"all"` for both) and proxy URL. An empty map sends everything directly (urllib2's
    /// `ProxyHandler({})`). A URL that is not an `http://` proxy, or an unknown scheme, is an
    /// [`Error::InvalidUrl`].
    pub fn new<K, V>(proxies: impl IntoIterator<Item = (K, V)>) -> Result<ProxyHandler>
    where
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let (mut http, mut https, mut all) = (None, None, None);
        for (scheme, value) in proxies {
            let url = parse_proxy(value.as_ref())?;
            match scheme.as_ref().to_ascii_lowercase().as_str() {
                "http" => http = Some(url),
                "https" => https = Some(url),
                "all" => all = Some(url),
                other => {
                    return Err(Error::InvalidUrl {
                        url: value.as_ref().to_owned(),
                        reason: format!("no proxy support for scheme {other:?}"),
                    });
                }
            }
        }
        Ok(ProxyHandler::build(
            http.or_else(|| all.clone()),
            https.or(all),
            String::new(),
        ))
    }

    /// A handler sending every request directly.
    pub fn none() -> ProxyHandler {
        ProxyHandler::build(None, None, String::new())
    }

    /// The proxies set in the process's environment (see the type's documentation).
    pub fn from_env() -> ProxyHandler {
        ProxyHandler::from_vars(std::env::vars())
    }

    /// The proxies the environment `vars` would set, by the rules of
    /// [`from_env`](ProxyHandler::from_env). A variable holding an invalid proxy URL is
    /// ignored, with a warning.
    ///
    /// ```
    /// use mechanize::handlers::ProxyHandler;
    ///
    /// let proxies = ProxyHandler::from_vars([
    ///     ("all_proxy", "http://proxy.example:3128"),
    ///     ("NO_PROXY", ".internal.example"),
    /// ]);
    /// let url = |s: &str| url::Url::parse(s).unwrap();
    /// assert!(proxies.proxy_for(&url("https://www.example.com/")).is_some());
    /// assert!(proxies.proxy_for(&url("http://db.internal.example/")).is_none());
    /// ```
    pub fn from_vars<K, V>(vars: impl IntoIterator<Item = (K, V)>) -> ProxyHandler
    where
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let vars: Vec<(String, String)> = vars
            .into_iter()
            .map(|(k, v)| (k.as_ref().to_owned(), v.as_ref().to_owned()))
            .filter(|(_, v)| !v.trim().is_empty())
            .collect();
        let get = |name: &str| {
            vars.iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        let cgi = get("REQUEST_METHOD").is_some();
        let proxy = |names: &[&str]| {
            let (name, value) = names.iter().find_map(|n| get(n).map(|v| (*n, v)))?;
            match parse_proxy(value) {
                Ok(url) => Some(url),
                Err(e) => {
                    tracing::warn!(variable = name, error = %e, "proxy variable ignored");
                    None
                }
            }
        };
        let http_names: &[&str] = if cgi {
            &["http_proxy"]
        } else {
            &["http_proxy", "HTTP_PROXY"]
        };
        let all = proxy(&["all_proxy", "ALL_PROXY"]);
        let http = proxy(http_names).or_else(|| all.clone());
        let https = proxy(&["https_proxy", "HTTPS_PROXY"]).or(all);
        let no_proxy = get("no_proxy")
            .or_else(|| get("NO_PROXY"))
            .unwrap_or("")
            .to_owned();
        ProxyHandler::build(http, https, no_proxy)
    }

    fn build(http: Option<Url>, https: Option<Url>, no_proxy: String) -> ProxyHandler {
        // hyper-util's matcher implements curl's no_proxy rules; it is given a placeholder
        // proxy for both schemes, so that "no proxy" from it means "excluded".
        let matcher = Matcher::builder()
            .http("http://proxy.invalid")
            .https("http://proxy.invalid")
            .no(no_proxy.clone())
            .build();
        ProxyHandler {
            http,
            https,
            no_proxy,
            matcher: Arc::new(matcher),
        }
    }

    /// Excludes hosts from proxying, as a curl `no_proxy` list (replacing any list before).
    pub fn with_no_proxy(self, no_proxy: &str) -> ProxyHandler {
        ProxyHandler::build(self.http, self.https, no_proxy.to_owned())
    }

    /// The proxy for `url`: the one for its scheme unless its host is excluded.
    pub fn proxy_for(&self, url: &Url) -> Option<&Url> {
        let proxy = match url.scheme() {
            "http" => self.http.as_ref(),
            "https" => self.https.as_ref(),
            _ => None,
        }?;
        let host = url.host_str()?;
        let uri: http::Uri = format!("{}://{host}/", url.scheme()).parse().ok()?;
        self.matcher.intercept(&uri).map(|_| proxy)
    }
}

impl Handler for ProxyHandler {
    fn handler_order(&self) -> i32 {
        100
    }
    fn role(&self) -> Option<&'static str> {
        Some("proxy")
    }
    fn request_processor(&self) -> Option<&dyn RequestProcessor> {
        Some(self)
    }
}

impl RequestProcessor for ProxyHandler {
    fn schemes(&self) -> Schemes {
        Schemes::Only(&["http", "https"])
    }

    fn process_request<'a>(
        &'a self,
        mut request: Request,
        _: &'a OpenerDirector,
    ) -> BoxFuture<'a, Result<Request>> {
        Box::pin(async move {
            if request.proxy().is_none() {
                if let Some(proxy) = self.proxy_for(request.url()) {
                    tracing::debug!(
                        url = %request.url(),
                        proxy = %format_args!("{}:{}", proxy.host_str().unwrap_or(""), proxy.port_or_known_default().unwrap_or(80)),
                        "through proxy"
                    );
                    request.set_proxy(Some(proxy.clone()));
                }
            }
            Ok(request)
        })
    }
}
