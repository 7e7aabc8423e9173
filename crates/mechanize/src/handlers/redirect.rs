//! `HTTPRedirectHandler`: follows 301, 302, 303, 307 and 308 responses through the whole
//! chain, as urllib2's handler does, with its limits against redirect loops.
//!
//! # How a chain is tracked
//!
//! As urllib2 does with `redirect_dict`, each redirected request carries the URLs its chain
//! has been redirected to ([`Request::redirect_history`]); the limits count them. The history
//! lives on the requests themselves, so concurrent chains never share it and nothing is ever
//! sent to a server.

use http::Method;
use http::header::{AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, COOKIE, PROXY_AUTHORIZATION};
use url::Url;

use crate::director::OpenerDirector;
use crate::error::{Error, Result};
use crate::handler::{BoxFuture, Codes, ErrorHandler, Handler};
use crate::request::Request;
use crate::response::Response;

/// The start of the reason of the error raised when a chain reaches a limit (urllib2's
/// `inf_msg`); the redirect's own reason phrase follows.
const INFINITE_LOOP_MESSAGE: &str = "The HTTP server returned a redirect error that would lead to an infinite loop.\nThe last 30x error message was:\n";

/// Follows HTTP redirections (urllib2's `HTTPRedirectHandler`), in the role `"redirect"`.
///
/// It handles 301, 302, 303, 307 and 308 responses that carry a `Location` (or, as urllib2
/// accepts, a `URI`) header; without one it declines and the response becomes an
/// [`Error::Http`]. The location is resolved against the request's URL (relative,
/// absolute and scheme-relative forms; a fragment is dropped) and the new request goes
/// through the whole chain again, so every hop passes every processor — cookies set on a
/// redirect are sent on the next hop.
///
/// The redirected request:
///
/// * after 301, 302 and 303 is a `GET` without body, `Content-Type` or `Content-Length`
///   (a `HEAD` stays a `HEAD`); after 307 and 308 keeps the method and body;
/// * keeps the ordinary headers (never the unredirected ones, by definition), except that
///   `Authorization`, `Cookie` and `Proxy-Authorization` are dropped when the host or port
///   changes;
/// * is unverifiable, keeps the original request's `origin_req_host` (RFC 2965: the cookie
///   policies judge third-party cookies by it) and keeps its timeout.
///
/// Refusals are [`Error::Http`] errors carrying the redirect response (its URL, status,
/// headers and body), with a reason that explains them:
///
/// * a target that is not `http` or `https` (or not a URL at all): the reason is the
///   response's followed by `- Redirection to url '…' is not allowed`, as urllib2's;
/// * more than [`max_redirections`](Self::max_redirections) (10) redirections in one chain,
///   or more than [`max_repeats`](Self::max_repeats) (4) redirections to the same URL: the
///   reason starts with urllib2's words, `The HTTP server returned a redirect error that
///   would lead to an infinite loop.`, followed by the redirect's reason. urllib2 counts distinct URLs
///   against its total limit; this handler counts redirections, the stricter reading.
///
/// The final response's [`geturl`](Response::geturl) is the last URL: the open handler of
/// the last hop sets it.
///
/// ```
/// use std::sync::Arc;
/// use mechanize::handler::{BoxFuture, Handler, OpenHandler, Schemes};
/// use mechanize::handlers::HTTPRedirectHandler;
/// use mechanize::{OpenerDirector, Request, Response, Result, build_opener};
///
/// /// An in-memory site where `/old` has moved to `/new`.
/// #[derive(Debug)]
/// struct Site;
///
/// impl Handler for Site {
///     // It stands in for the default HTTP handler.
///     fn role(&self) -> Option<&'static str> {
///         Some("http")
///     }
///     fn open_handler(&self) -> Option<&dyn OpenHandler> {
///         Some(self)
///     }
/// }
///
/// impl OpenHandler for Site {
///     fn schemes(&self) -> Schemes {
///         Schemes::Only(&["http"])
///     }
///
///     fn open<'a>(&'a self, request: &'a Request, _: &'a OpenerDirector) -> BoxFuture<'a, Result<Option<Response>>> {
///         Box::pin(async move {
///             let url = request.url().clone();
///             Ok(Some(if url.path() == "/old" {
///                 let mut headers = http::HeaderMap::new();
///                 headers.insert("location", http::HeaderValue::from_static("/new"));
///                 Response::new(url, http::StatusCode::MOVED_PERMANENTLY, "Moved Permanently").with_headers(headers)
///             } else {
///                 Response::new(url, http::StatusCode::OK, "OK").with_body("new page")
///             }))
///         })
///     }
/// }
///
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let opener = build_opener(vec![Arc::new(Site), Arc::new(HTTPRedirectHandler::default())]);
/// let mut response = opener.open_url("http://www.example.com/old").await?;
/// assert_eq!(response.geturl().as_str(), "http://www.example.com/new");
/// assert_eq!(response.text().await?, "new page");
/// # Ok::<(), mechanize::Error>(())
/// # }).unwrap();
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HTTPRedirectHandler {
    /// How many redirections one chain may make to the same URL (urllib2's `max_repeats`).
    pub max_repeats: usize,
    /// How many redirections one chain may make in all (urllib2's `max_redirections`).
    pub max_redirections: usize,
}

impl Default for HTTPRedirectHandler {
    fn default() -> Self {
        HTTPRedirectHandler {
            max_repeats: 4,
            max_redirections: 10,
        }
    }
}

impl Handler for HTTPRedirectHandler {
    fn role(&self) -> Option<&'static str> {
        Some("redirect")
    }

    fn error_handler(&self) -> Option<&dyn ErrorHandler> {
        Some(self)
    }
}

impl ErrorHandler for HTTPRedirectHandler {
    fn codes(&self) -> Codes {
        Codes::Only(&[301, 302, 303, 307, 308])
    }

    fn handle_error<'a>(
        &'a self,
        request: &'a Request,
        response: Response,
        director: &'a OpenerDirector,
    ) -> BoxFuture<'a, Result<std::result::Result<Response, Response>>> {
        Box::pin(async move {
            // Some servers send several Location headers: the first one counts.
            let Some(location) = response
                .info()
                .get("location")
                .or_else(|| response.info().get("uri"))
                .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_owned())
            else {
                return Ok(Err(response));
            };
            let target = match request.url().join(&location) {
                Ok(mut url) if matches!(url.scheme(), "http" | "https") => {
                    url.set_fragment(None);
                    url
                }
                _ => {
                    let reason = format!(
                        "{} - Redirection to url '{location}' is not allowed",
                        response.reason()
                    );
                    return Err(refusal(response, reason).await);
                }
            };

            let history = request.redirect_history();
            let repeats = history.iter().filter(|u| **u == target).count();
            if repeats >= self.max_repeats || history.len() >= self.max_redirections {
                let reason = format!("{INFINITE_LOOP_MESSAGE}{}", response.reason());
                return Err(refusal(response, reason).await);
            }

            let mut next = redirected_request(request, &target, response.code())?;
            let mut history = history.to_vec();
            history.push(target.clone());
            next.set_redirect_history(history);
            next.set_redirected_from(request.url().clone(), response.code());
            // The redirect's body is not needed: dropping it closes it.
            drop(response);
            tracing::debug!(from = %request.url(), to = %target, "following redirect");
            director.open(next).await.map(Ok)
        })
    }
}

/// The new request for a redirect with `code` from `request` to `target`.
fn redirected_request(request: &Request, target: &Url, code: u16) -> Result<Request> {
    let mut next = Request::new(target.as_str())?;
    let keep_body = matches!(code, 307 | 308);
    let method = request.method();
    if keep_body {
        next.set_method(method);
        next.set_data(request.data().cloned());
    } else if method == Method::HEAD {
        next.set_method(Method::HEAD);
    } else {
        next.set_method(Method::GET);
    }
    let same_host = request.url().host_str() == target.host_str()
        && request.url().port_or_known_default() == target.port_or_known_default();
    for (name, value) in request.headers() {
        let content = *name == CONTENT_TYPE || *name == CONTENT_LENGTH;
        let credential = *name == AUTHORIZATION || *name == COOKIE || *name == PROXY_AUTHORIZATION;
        if (content && !keep_body) || (credential && !same_host) {
            continue;
        }
        if let Ok(value) = value.to_str() {
            next.add_header(name.as_str(), value)?;
        }
    }
    next.set_unverifiable(true);
    next.set_origin_req_host(request.origin_req_host());
    next.set_timeout(request.timeout());
    Ok(next)
}

/// The [`Error::Http`] for a refused redirect, with `reason` in place of the response's.
async fn refusal(response: Response, reason: String) -> Error {
    match response.into_http_error().await {
        Error::Http(mut e) => {
            e.reason = reason;
            Error::Http(e)
        }
        other => other,
    }
}
