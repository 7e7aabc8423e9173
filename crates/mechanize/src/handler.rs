//! The handler traits (urllib2's `BaseHandler` and its method-name protocol, made explicit):
//! a handler may process requests, process responses, open URLs and handle error statuses.

use std::future::Future;
use std::pin::Pin;

use crate::director::OpenerDirector;
use crate::error::Result;
use crate::request::Request;
use crate::response::Response;

/// A boxed, sendable future: what the handler traits return, so that they stay object-safe.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Which URL schemes a piece of a handler serves (urllib2's `http_open`, `https_request`, …,
/// or `any_request`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schemes {
    /// Every scheme.
    Any,
    /// Only these (lower case).
    Only(&'static [&'static str]),
}

impl Schemes {
    /// Whether `scheme` is served.
    pub fn matches(&self, scheme: &str) -> bool {
        match self {
            Schemes::Any => true,
            Schemes::Only(list) => list.iter().any(|s| s.eq_ignore_ascii_case(scheme)),
        }
    }
}

/// Which status codes an error handler handles (urllib2's `http_error_302`, or
/// `http_error_default` for any).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codes {
    /// Every status that reaches error handling (the default handler).
    Any,
    /// Only these.
    Only(&'static [u16]),
}

impl Codes {
    /// Whether `code` is handled.
    pub fn matches(&self, code: u16) -> bool {
        match self {
            Codes::Any => true,
            Codes::Only(list) => list.contains(&code),
        }
    }
}

/// A handler in an [`OpenerDirector`]'s chain, as urllib2's `BaseHandler`.
///
/// A handler says where it sits ([`handler_order`](Handler::handler_order): lower runs
/// first, equal orders keep the order they were added in), which default it replaces
/// ([`role`](Handler::role)), and which of the four parts it plays, by returning itself from
/// the matching accessor. Every part gets the director, so a handler that must fetch again
/// (redirects, refreshes, robots.txt) calls [`OpenerDirector::open`], and the new request
/// passes through the whole chain.
///
/// ```
/// use mechanize::handler::{BoxFuture, Handler, RequestProcessor, Schemes};
/// use mechanize::{OpenerDirector, Request, Result};
///
/// /// Adds a header to every request.
/// #[derive(Debug)]
/// struct Tag;
///
/// impl Handler for Tag {
///     fn request_processor(&self) -> Option<&dyn RequestProcessor> {
///         Some(self)
///     }
/// }
///
/// impl RequestProcessor for Tag {
///     fn process_request<'a>(&'a self, mut request: Request, _: &'a OpenerDirector) -> BoxFuture<'a, Result<Request>> {
///         Box::pin(async move {
///             request.add_unredirected_header("X-Tag", "1")?;
///             Ok(request)
///         })
///     }
/// }
/// # let _ = Schemes::Any;
/// ```
pub trait Handler: Send + Sync + std::fmt::Debug + 'static {
    /// urllib2's `handler_order`: lower runs first. Default 500.
    fn handler_order(&self) -> i32 {
        500
    }

    /// The default handler this one stands in for (e.g. `"http-error-processor"`): a handler
    /// given to `build_opener` with a default's role replaces that default.
    fn role(&self) -> Option<&'static str> {
        None
    }

    /// This handler as a request processor, if it is one.
    fn request_processor(&self) -> Option<&dyn RequestProcessor> {
        None
    }

    /// This handler as a response processor, if it is one.
    fn response_processor(&self) -> Option<&dyn ResponseProcessor> {
        None
    }

    /// This handler as an opener of some schemes, if it is one.
    fn open_handler(&self) -> Option<&dyn OpenHandler> {
        None
    }

    /// This handler as an error handler, if it is one.
    fn error_handler(&self) -> Option<&dyn ErrorHandler> {
        None
    }
}

/// Changes a request before it is opened (urllib2's `<scheme>_request`).
pub trait RequestProcessor: Send + Sync {
    /// The schemes processed.
    fn schemes(&self) -> Schemes {
        Schemes::Any
    }

    /// Returns the request to go on with.
    fn process_request<'a>(
        &'a self,
        request: Request,
        director: &'a OpenerDirector,
    ) -> BoxFuture<'a, Result<Request>>;
}

/// Changes (or replaces) a response after it is opened (urllib2's `<scheme>_response`).
pub trait ResponseProcessor: Send + Sync {
    /// The schemes processed.
    fn schemes(&self) -> Schemes {
        Schemes::Any
    }

    /// Returns the response to go on with.
    fn process_response<'a>(
        &'a self,
        request: &'a Request,
        response: Response,
        director: &'a OpenerDirector,
    ) -> BoxFuture<'a, Result<Response>>;
}

/// Opens URLs of some schemes (urllib2's `<scheme>_open`).
pub trait OpenHandler: Send + Sync {
    /// The schemes opened.
    fn schemes(&self) -> Schemes;

    /// Opens the request, or declines with `None` so the next handler may try.
    fn open<'a>(
        &'a self,
        request: &'a Request,
        director: &'a OpenerDirector,
    ) -> BoxFuture<'a, Result<Option<Response>>>;
}

/// Handles responses with error statuses (urllib2's `http_error_<code>` and
/// `http_error_default`).
pub trait ErrorHandler: Send + Sync {
    /// The statuses handled.
    fn codes(&self) -> Codes;

    /// Resolves the error (for example by following a redirect), or declines with
    /// `Ok(Err(response))` so the next handler may try.
    fn handle_error<'a>(
        &'a self,
        request: &'a Request,
        response: Response,
        director: &'a OpenerDirector,
    ) -> BoxFuture<'a, Result<std::result::Result<Response, Response>>>;
}
