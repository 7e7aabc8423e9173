//! `UnknownHandler`: the last open handler, for URLs no other handler opens; it fails with
//! urllib2's `URLError("unknown url type")`.

use crate::director::OpenerDirector;
use crate::error::{Error, Result};
use crate::handler::{BoxFuture, Handler, OpenHandler, Schemes};
use crate::request::Request;
use crate::response::Response;

/// Refuses every URL it is asked to open, as urllib2's `UnknownHandler`; it runs last.
///
/// ```
/// use mechanize::{Error, OpenerDirector};
/// use mechanize::handlers::UnknownHandler;
///
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let mut opener = OpenerDirector::new();
/// opener.add_handler(UnknownHandler);
/// let err = opener.open_url("gopher://example.com/").await.unwrap_err();
/// assert!(matches!(err, Error::Url { .. }));
/// assert!(err.to_string().contains("unknown url type: gopher"));
/// # });
/// ```
#[derive(Debug, Default, Clone, Copy)]
pub struct UnknownHandler;

impl Handler for UnknownHandler {
    fn handler_order(&self) -> i32 {
        i32::MAX
    }
    fn role(&self) -> Option<&'static str> {
        Some("unknown")
    }
    fn open_handler(&self) -> Option<&dyn OpenHandler> {
        Some(self)
    }
}

impl OpenHandler for UnknownHandler {
    fn schemes(&self) -> Schemes {
        Schemes::Any
    }

    fn open<'a>(
        &'a self,
        request: &'a Request,
        _: &'a OpenerDirector,
    ) -> BoxFuture<'a, Result<Option<Response>>> {
        Box::pin(async move {
            Err(Error::url(
                request.full_url(),
                format!("unknown url type: {}", request.scheme()),
            ))
        })
    }
}
