//! `UserAgent`: an opener with mechanize's switches (robots, redirects, refresh, HTTP-EQUIV,
//! Referer, compression, debugging, seekable responses, cookies, proxies, passwords, schemes).

use std::sync::Arc;
use std::time::Duration;

use cookiejar::CookieJar;

use crate::director::OpenerDirector;
use crate::error::{Error, Result};
use crate::handler::Handler;
use crate::handlers::{
    DataHandler, FileHandler, HTTPBasicAuthHandler, HTTPDefaultErrorHandler, HTTPDigestAuthHandler,
    HTTPHandler, HTTPPasswordMgr, HTTPRedirectHandler, ProxyBasicAuthHandler,
    ProxyDigestAuthHandler, ProxyHandler, UnknownHandler,
};
use crate::opener::IntoRequest;
use crate::processors::{
    HTTPCookieProcessor, HTTPEquivProcessor, HTTPErrorProcessor, HTTPRedirectDebugProcessor,
    HTTPRefererProcessor, HTTPRefreshProcessor, HTTPResponseDebugProcessor,
    HTTPRobotRulesProcessor, SeekableProcessor,
};
use crate::response::Response;

/// The schemes a `UserAgent` can open.
const SCHEMES: &[&str] = &["http", "https", "file", "data"];

/// An opener with switches, as mechanize's `UserAgent`: each `set_*` adds or removes a
/// handler, and the chain is rebuilt (connection pool, cookie jar, robots.txt cache and
/// passwords are kept across changes).
///
/// The defaults are mechanize's: robots.txt obeyed, redirects followed, `Refresh` followed
/// whatever the pause (honouring it), HTTP-EQUIV read, no Referer, responses not seekable, no
/// debugging, a fresh cookie jar, proxies from the environment, schemes `http`, `https`,
/// `file` and `data`. One difference: compressed bodies are asked for as well as decoded
/// (mechanize decodes gzip but asks for it only after `set_handle_gzip(true)`).
///
/// ```
/// use mechanize::UserAgent;
///
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// let mut ua = UserAgent::new();
/// ua.set_handle_robots(false)
///     .set_handle_referer(true)
///     .set_seekable_responses(true)
///     .set_addheaders(vec![("User-Agent".into(), "my-bot/1.0".into())]);
/// let mut page = ua.open("data:,hello").await?;
/// assert!(page.is_seekable());
/// assert_eq!(page.text().await?, "hello");
/// # Ok::<(), mechanize::Error>(())
/// # }).unwrap();
/// ```
#[derive(Debug)]
pub struct UserAgent {
    /// The HTTP handler; the HTTPS one is made from it (sharing its pool) at each rebuild.
    http: HTTPHandler,
    schemes: Vec<&'static str>,
    cookies: Option<Arc<CookieJar>>,
    proxies: ProxyHandler,
    passwords: Arc<HTTPPasswordMgr>,
    proxy_passwords: Arc<HTTPPasswordMgr>,
    robots: Arc<HTTPRobotRulesProcessor>,
    handle_robots: bool,
    handle_redirect: bool,
    refresh: Option<HTTPRefreshProcessor>,
    handle_equiv: bool,
    referer: Option<Arc<HTTPRefererProcessor>>,
    debug_redirects: bool,
    debug_responses: bool,
    seekable: bool,
    opener: OpenerDirector,
}

impl Default for UserAgent {
    fn default() -> Self {
        UserAgent::new()
    }
}

impl UserAgent {
    /// A user agent with mechanize's defaults (see the type's documentation).
    pub fn new() -> UserAgent {
        let http = HTTPHandler::new();
        let mut ua = UserAgent {
            http,
            schemes: SCHEMES.to_vec(),
            cookies: Some(Arc::new(CookieJar::new())),
            proxies: ProxyHandler::from_env(),
            passwords: Arc::new(HTTPPasswordMgr::new()),
            proxy_passwords: Arc::new(HTTPPasswordMgr::new()),
            robots: Arc::new(HTTPRobotRulesProcessor::new()),
            handle_robots: true,
            handle_redirect: true,
            refresh: Some(HTTPRefreshProcessor {
                max_time: None,
                honor_time: true,
            }),
            handle_equiv: true,
            referer: None,
            debug_redirects: false,
            debug_responses: false,
            seekable: false,
            opener: OpenerDirector::new(),
        };
        ua.rebuild();
        ua
    }

    /// Puts the chain together from the switches, keeping the opener's `addheaders`.
    fn rebuild(&mut self) {
        let mut opener = OpenerDirector::new();
        opener.set_addheaders(self.opener.addheaders().to_vec());
        let mut add = |h: Arc<dyn Handler>| opener.add_handler_arc(h);
        add(Arc::new(UnknownHandler));
        add(Arc::new(HTTPDefaultErrorHandler));
        add(Arc::new(HTTPErrorProcessor));
        for scheme in &self.schemes {
            match *scheme {
                "http" => add(Arc::new(self.http.clone())),
                "https" => add(Arc::new(self.http.https())),
                "file" => add(Arc::new(FileHandler)),
                "data" => add(Arc::new(DataHandler)),
                _ => {}
            }
        }
        add(Arc::new(self.proxies.clone()));
        add(Arc::new(HTTPBasicAuthHandler::new(Arc::clone(
            &self.passwords,
        ))));
        add(Arc::new(HTTPDigestAuthHandler::new(Arc::clone(
            &self.passwords,
        ))));
        add(Arc::new(ProxyBasicAuthHandler::new(Arc::clone(
            &self.proxy_passwords,
        ))));
        add(Arc::new(ProxyDigestAuthHandler::new(Arc::clone(
            &self.proxy_passwords,
        ))));
        if let Some(jar) = &self.cookies {
            add(Arc::new(HTTPCookieProcessor::new(Arc::clone(jar))));
        }
        if self.handle_robots {
            add(Arc::clone(&self.robots) as Arc<dyn Handler>);
        }
        if self.handle_redirect {
            add(Arc::new(HTTPRedirectHandler::default()));
        }
        if let Some(refresh) = self.refresh {
            add(Arc::new(refresh));
        }
        if self.handle_equiv {
            add(Arc::new(HTTPEquivProcessor::default()));
        }
        if let Some(referer) = &self.referer {
            add(Arc::clone(referer) as Arc<dyn Handler>);
        }
        if self.debug_redirects {
            add(Arc::new(HTTPRedirectDebugProcessor));
        }
        if self.debug_responses {
            add(Arc::new(HTTPResponseDebugProcessor));
        }
        if self.seekable {
            add(Arc::new(SeekableProcessor));
        }
        self.opener = opener;
    }

    /// The opener as it is now (to pass to the blocking facade, say).
    pub fn opener(&self) -> &OpenerDirector {
        &self.opener
    }

    /// Opens a URL or a [`Request`](crate::Request) through the chain.
    pub async fn open(&self, request: impl IntoRequest) -> Result<Response> {
        self.opener.open(request.into_request()?).await
    }

    /// The headers added to every request that does not set them.
    pub fn addheaders(&self) -> &[(String, String)] {
        self.opener.addheaders()
    }

    /// Replaces the headers added to every request (mechanize's `addheaders`).
    pub fn set_addheaders(&mut self, headers: Vec<(String, String)>) -> &mut UserAgent {
        self.opener.set_addheaders(headers);
        self
    }

    /// Whether to obey robots.txt (on by default): a refused URL is an
    /// [`Error::Http`] with status 403 (mechanize's `RobotExclusionError`).
    pub fn set_handle_robots(&mut self, handle: bool) -> &mut UserAgent {
        self.handle_robots = handle;
        self.rebuild();
        self
    }

    /// The robots.txt processor (its cache and settings), kept while robots are off.
    pub fn robots(&self) -> &Arc<HTTPRobotRulesProcessor> {
        &self.robots
    }

    /// Replaces the robots.txt processor (to share one cache between user agents, or set
    /// its politeness), used while robots are handled.
    pub fn set_robots(&mut self, robots: Arc<HTTPRobotRulesProcessor>) -> &mut UserAgent {
        self.robots = robots;
        self.rebuild();
        self
    }

    /// Whether to follow 30x redirections (on by default).
    pub fn set_handle_redirect(&mut self, handle: bool) -> &mut UserAgent {
        self.handle_redirect = handle;
        self.rebuild();
        self
    }

    /// Whether to follow `Refresh` headers (real ones and HTTP-EQUIV ones), those with a
    /// pause of at most `max_time` (`None`: any), waiting the pause first when
    /// `honor_time`. On by default, with no limit and honouring the pause, as mechanize's
    /// `set_handle_refresh(True)`.
    pub fn set_handle_refresh(
        &mut self,
        handle: bool,
        max_time: Option<Duration>,
        honor_time: bool,
    ) -> &mut UserAgent {
        self.refresh = handle.then_some(HTTPRefreshProcessor {
            max_time,
            honor_time,
        });
        self.rebuild();
        self
    }

    /// Whether to add the `<meta http-equiv>` headers of HTML pages to their responses (on
    /// by default).
    pub fn set_handle_equiv(&mut self, handle: bool) -> &mut UserAgent {
        self.handle_equiv = handle;
        self.rebuild();
        self
    }

    /// Whether to send the previous response's URL as `Referer` (off by default, as in
    /// mechanize's `UserAgent`). Meaningful for one chain of requests at a time: see
    /// [`HTTPRefererProcessor`].
    pub fn set_handle_referer(&mut self, handle: bool) -> &mut UserAgent {
        self.referer = handle.then(|| Arc::new(HTTPRefererProcessor::new()));
        self.rebuild();
        self
    }

    /// Whether to ask for compressed bodies (gzip, deflate, br, zstd, as built) and decode
    /// them (on by default). Changing it starts a new connection pool.
    pub fn set_handle_gzip(&mut self, handle: bool) -> &mut UserAgent {
        let debug = self.http.is_debug();
        self.http = HTTPHandler::new()
            .with_decompression(handle)
            .debug_level(debug);
        self.rebuild();
        self
    }

    /// Whether to log each redirection and refresh at INFO (off by default).
    pub fn set_debug_redirects(&mut self, handle: bool) -> &mut UserAgent {
        self.debug_redirects = handle;
        self.rebuild();
        self
    }

    /// Whether to log every response body at INFO (off by default).
    pub fn set_debug_responses(&mut self, handle: bool) -> &mut UserAgent {
        self.debug_responses = handle;
        self.rebuild();
        self
    }

    /// Whether to log request and response headers at INFO (mechanize's `set_debug_http`,
    /// off by default).
    pub fn set_debug_http(&mut self, handle: bool) -> &mut UserAgent {
        self.http.set_debug_level(handle);
        self
    }

    /// Whether responses are seekable (off by default, as in mechanize's `UserAgent`).
    pub fn set_seekable_responses(&mut self, handle: bool) -> &mut UserAgent {
        self.seekable = handle;
        self.rebuild();
        self
    }

    /// The cookie jar in use, if any.
    pub fn cookiejar(&self) -> Option<&Arc<CookieJar>> {
        self.cookies.as_ref()
    }

    /// Uses `jar` for cookies (shared with whoever else holds it), or no cookies at all.
    pub fn set_cookiejar(&mut self, jar: Option<Arc<CookieJar>>) -> &mut UserAgent {
        self.cookies = jar;
        self.rebuild();
        self
    }

    /// Uses `proxies` (see [`ProxyHandler`]; `ProxyHandler::none()` for none). The
    /// environment's are used by default.
    pub fn set_proxies(&mut self, proxies: ProxyHandler) -> &mut UserAgent {
        self.proxies = proxies;
        self.rebuild();
        self
    }

    /// Adds credentials for Basic and Digest authentication at `url` (a URL or a
    /// `host:port`), for `realm` or any realm.
    pub fn add_password(
        &mut self,
        url: &str,
        user: &str,
        password: &str,
        realm: Option<&str>,
    ) -> &mut UserAgent {
        self.passwords.add_password(realm, url, user, password);
        self
    }

    /// Adds credentials for proxy authentication, for the proxy at `hostport` (`None`: any)
    /// and `realm` (`None`: any).
    pub fn add_proxy_password(
        &mut self,
        user: &str,
        password: &str,
        hostport: Option<&str>,
        realm: Option<&str>,
    ) -> &mut UserAgent {
        self.proxy_passwords
            .add_password(realm, hostport.unwrap_or("*"), user, password);
        self
    }

    /// Sets the URL schemes opened, from `http`, `https`, `file` and `data`. An unknown
    /// scheme is an [`Error::InvalidUrl`] and leaves the schemes as they were.
    pub fn set_handled_schemes(&mut self, schemes: &[&str]) -> Result<&mut UserAgent> {
        let mut chosen = Vec::new();
        for scheme in schemes {
            let Some(known) = SCHEMES.iter().find(|s| s.eq_ignore_ascii_case(scheme)) else {
                return Err(Error::InvalidUrl {
                    url: (*scheme).to_owned(),
                    reason: format!("unknown scheme {scheme:?}: a UserAgent opens {SCHEMES:?}"),
                });
            };
            if !chosen.contains(known) {
                chosen.push(*known);
            }
        }
        self.schemes = chosen;
        self.rebuild();
        Ok(self)
    }
}
