//! `HTTPDefaultErrorHandler`: the error handler of last resort; it turns an unresolved error
//! status into urllib2's `HTTPError` ([`Error::Http`]), body included.

use crate::director::OpenerDirector;
use crate::error::{Error, Result};
use crate::handler::{BoxFuture, Codes, ErrorHandler, Handler};
use crate::request::Request;
use crate::response::Response;

/// Raises [`Error::Http`] for any error status that reaches it, as urllib2's
/// `HTTPDefaultErrorHandler`.
#[derive(Debug, Default, Clone, Copy)]
pub struct HTTPDefaultErrorHandler;

impl Handler for HTTPDefaultErrorHandler {
    fn role(&self) -> Option<&'static str> {
        Some("http-default-error")
    }
    fn error_handler(&self) -> Option<&dyn ErrorHandler> {
        Some(self)
    }
}

impl ErrorHandler for HTTPDefaultErrorHandler {
    fn codes(&self) -> Codes {
        Codes::Any
    }

    fn handle_error<'a>(
        &'a self,
        _: &'a Request,
        response: Response,
        _: &'a OpenerDirector,
    ) -> BoxFuture<'a, Result<std::result::Result<Response, Response>>> {
        Box::pin(async move {
            Err::<std::result::Result<Response, Response>, Error>(response.into_http_error().await)
        })
    }
}
