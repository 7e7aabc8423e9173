//! `OpenerDirector`: runs a request through the handler chain, as urllib2's does: request
//! processors, the first open handler that answers, response processors, then error handlers.

use std::sync::Arc;

use crate::error::{Error, Result};
use crate::handler::{BoxFuture, Codes, Handler};
use crate::request::Request;
use crate::response::Response;

/// The `User-Agent` every opener sends unless told otherwise.
pub const USER_AGENT: &str = concat!("mechanize-rs/", env!("CARGO_PKG_VERSION"));

/// Opens URLs through a chain of [`Handler`]s (urllib2's `OpenerDirector`).
///
/// `open` runs, in `handler_order`: every request processor for the request's scheme; the
/// open handlers for the scheme until one answers; every response processor. A response
/// processor that meets an error status (the default `HTTPErrorProcessor`) hands it to
/// [`error`](OpenerDirector::error), which tries the error handlers for that status, then
/// those for any status; the default one turns it into [`Error::Http`]. Handlers that fetch
/// again call `open`, so every hop passes through every processor.
///
/// ```
/// use mechanize::{OpenerDirector, Request};
/// use mechanize::handlers::DataHandler;
///
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let mut opener = OpenerDirector::new();
/// opener.add_handler(DataHandler);
/// let mut response = opener.open(Request::new("data:,Hello%2C%20World!")?).await?;
/// assert_eq!(response.text().await?, "Hello, World!");
/// # Ok::<(), mechanize::Error>(())
/// # }).unwrap();
/// ```
#[derive(Debug, Clone)]
pub struct OpenerDirector {
    handlers: Vec<Arc<dyn Handler>>,
    addheaders: Vec<(String, String)>,
}

impl Default for OpenerDirector {
    fn default() -> Self {
        OpenerDirector::new()
    }
}

impl OpenerDirector {
    /// An opener with no handlers, sending `User-Agent: mechanize-rs/<version>`.
    pub fn new() -> OpenerDirector {
        OpenerDirector {
            handlers: Vec::new(),
            addheaders: vec![("User-Agent".to_owned(), USER_AGENT.to_owned())],
        }
    }

    /// Adds a handler. Handlers run by `handler_order`; equal orders keep the order they
    /// were added in.
    pub fn add_handler(&mut self, handler: impl Handler) {
        self.add_handler_arc(Arc::new(handler));
    }

    /// Adds a shared handler (one jar's cookie processor in several openers, say).
    pub fn add_handler_arc(&mut self, handler: Arc<dyn Handler>) {
        self.handlers.push(handler);
        // A stable sort: equal orders keep insertion order.
        self.handlers.sort_by_key(|h| h.handler_order());
    }

    /// The handlers, in the order they run.
    pub fn handlers(&self) -> &[Arc<dyn Handler>] {
        &self.handlers
    }

    /// The headers added to every request that does not set them (urllib2's `addheaders`).
    pub fn addheaders(&self) -> &[(String, String)] {
        &self.addheaders
    }

    /// Replaces the headers added to every request.
    pub fn set_addheaders(&mut self, headers: Vec<(String, String)>) {
        self.addheaders = headers;
    }

    /// Opens `url` with a plain `GET` request.
    pub async fn open_url(&self, url: &str) -> Result<Response> {
        self.open(Request::new(url)?).await
    }

    /// Runs `request` through the chain.
    pub fn open(&self, request: Request) -> BoxFuture<'_, Result<Response>> {
        Box::pin(async move {
            let mut request = request;
            for (name, value) in &self.addheaders {
                if !request.has_header(name) {
                    request.add_unredirected_header(name, value)?;
                }
            }
            let scheme = request.scheme().to_owned();
            for p in self.handlers.iter().filter_map(|h| h.request_processor()) {
                if p.schemes().matches(&scheme) {
                    request = p.process_request(request, self).await?;
                }
            }
            let mut response = None;
            for o in self.handlers.iter().filter_map(|h| h.open_handler()) {
                if o.schemes().matches(&scheme) {
                    if let Some(r) = o.open(&request, self).await? {
                        response = Some(r);
                        break;
                    }
                }
            }
            let Some(mut response) = response else {
                return Err(Error::url(
                    request.full_url(),
                    format!("unknown url type: {scheme}"),
                ));
            };
            for p in self.handlers.iter().filter_map(|h| h.response_processor()) {
                if p.schemes().matches(&scheme) {
                    response = p.process_response(&request, response, self).await?;
                }
            }
            Ok(response)
        })
    }

    /// Hands an error response to the error handlers: first those for its status, then those
    /// for any status, each in `handler_order`, until one resolves it. Unresolved, it becomes
    /// [`Error::Http`].
    pub fn error<'a>(
        &'a self,
        request: &'a Request,
        response: Response,
    ) -> BoxFuture<'a, Result<Response>> {
        Box::pin(async move {
            let code = response.code();
            let handlers: Vec<_> = self
                .handlers
                .iter()
                .filter_map(|h| h.error_handler())
                .collect();
            let specific = handlers
                .iter()
                .filter(|e| e.codes() != Codes::Any && e.codes().matches(code));
            let general = handlers.iter().filter(|e| e.codes() == Codes::Any);
            let mut response = response;
            for e in specific.chain(general) {
                match e.handle_error(request, response, self).await? {
                    Ok(resolved) => return Ok(resolved),
                    Err(declined) => response = declined,
                }
            }
            Err(response.into_http_error().await)
        })
    }
}
