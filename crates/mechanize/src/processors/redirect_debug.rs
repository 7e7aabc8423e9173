//! `HTTPRedirectDebugProcessor`: logs every redirect (and followed refresh) of a chain at
//! INFO through `tracing`, from the record the redirect handler leaves on the new request.

use crate::director::OpenerDirector;
use crate::error::Result;
use crate::handler::{BoxFuture, Handler, RequestProcessor, Schemes};
use crate::request::Request;

/// Logs redirections, as mechanize's `HTTPRedirectDebugProcessor`.
///
/// For each request the redirect handler made, it emits an INFO event `redirecting to <url>`
/// with the fields `from` (the URL that redirected), `to` and `status` (a refresh followed by
/// `HTTPRefreshProcessor` shows as 302), from [`Request::redirected_from`]. Nothing shows
/// unless a `tracing` subscriber records INFO for this module's target,
/// `mechanize::processors::redirect_debug`. `handler_order` is 500, mechanize's (the default).
///
/// ```
/// use std::sync::Arc;
/// use mechanize::build_opener;
/// use mechanize::handler::Handler;
/// use mechanize::processors::HTTPRedirectDebugProcessor;
///
/// let opener = build_opener(vec![Arc::new(HTTPRedirectDebugProcessor)]);
/// assert!(opener.handlers().iter().any(|h| h.request_processor().is_some()));
/// assert_eq!(HTTPRedirectDebugProcessor.handler_order(), 500);
/// ```
#[derive(Debug, Default, Clone, Copy)]
pub struct HTTPRedirectDebugProcessor;

impl Handler for HTTPRedirectDebugProcessor {
    fn request_processor(&self) -> Option<&dyn RequestProcessor> {
        Some(self)
    }
}

impl RequestProcessor for HTTPRedirectDebugProcessor {
    fn schemes(&self) -> Schemes {
        Schemes::Only(&["http", "https"])
    }

    fn process_request<'a>(
        &'a self,
        request: Request,
        _: &'a OpenerDirector,
    ) -> BoxFuture<'a, Result<Request>> {
        Box::pin(async move {
            if let Some((from, status)) = request.redirected_from() {
                tracing::info!(
                    from = %from,
                    to = %request.url(),
                    status,
                    "redirecting to {}",
                    request.url()
                );
            }
            Ok(request)
        })
    }
}
