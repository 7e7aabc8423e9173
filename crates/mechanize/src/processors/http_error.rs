//! `HTTPErrorProcessor`: after every response, hands those with a status outside 2xx to the
//! director's error handlers (redirects, authentication, then the default `HTTPError`).

use crate::director::OpenerDirector;
use crate::error::Result;
use crate::handler::{BoxFuture, Handler, ResponseProcessor, Schemes};
use crate::request::Request;
use crate::response::Response;

/// Sends responses whose status is not 2xx to [`OpenerDirector::error`], as urllib2's
/// `HTTPErrorProcessor`. It runs late (`handler_order` 1000), after the other processors.
#[derive(Debug, Default, Clone, Copy)]
pub struct HTTPErrorProcessor;

impl Handler for HTTPErrorProcessor {
    fn handler_order(&self) -> i32 {
        1000
    }
    fn role(&self) -> Option<&'static str> {
        Some("http-error-processor")
    }
    fn response_processor(&self) -> Option<&dyn ResponseProcessor> {
        Some(self)
    }
}

impl ResponseProcessor for HTTPErrorProcessor {
    fn schemes(&self) -> Schemes {
        Schemes::Only(&["http", "https"])
    }

    fn process_response<'a>(
        &'a self,
        request: &'a Request,
        response: Response,
        director: &'a OpenerDirector,
    ) -> BoxFuture<'a, Result<Response>> {
        Box::pin(async move {
            if response.is_success() {
                Ok(response)
            } else {
                director.error(request, response).await
            }
        })
    }
}
