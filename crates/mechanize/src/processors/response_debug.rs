//! `HTTPResponseDebugProcessor`: logs the body of every response, redirects' included, at
//! INFO through `tracing`, leaving it readable (the response becomes seekable).

use crate::director::OpenerDirector;
use crate::error::Result;
use crate::handler::{BoxFuture, Handler, ResponseProcessor, Schemes};
use crate::request::Request;
use crate::response::Response;

/// The line logged after each body, as mechanize's.
const SEPARATOR: &str = "*****************************************************";

/// Logs every HTTP and HTTPS response body, as mechanize's `HTTPResponseDebugProcessor`
/// (`handler_order` 900, as mechanize's: after the other processors, before the error
/// processor at 1000 hands redirects on, so each hop's body is logged as it passes).
///
/// Each body is logged whole as one INFO event (UTF-8, invalid bytes replaced) with the
/// fields `url` and `status`, followed by an INFO line of asterisks as mechanize logs, for
/// this module's target, `mechanize::processors::response_debug`. The body is read by
/// making the response seekable ([`Response::make_seekable`], [`Response::get_data`]),
/// which leaves the read position where it was, so the caller still reads it in full. When no subscriber records
/// INFO for that target, the processor does nothing: the response is not read, nor made
/// seekable.
///
/// ```
/// use mechanize::handler::ResponseProcessor;
/// use mechanize::processors::HTTPResponseDebugProcessor;
/// use mechanize::{OpenerDirector, Request, Response};
///
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let request = Request::new("http://example.com/")?;
/// let response = Response::new(request.full_url().parse().unwrap(), http::StatusCode::OK, "OK")
///     .with_body("the page");
/// // With a subscriber at INFO (tracing_subscriber::fmt::init(), say), the body is logged.
/// let mut response = HTTPResponseDebugProcessor
///     .process_response(&request, response, &OpenerDirector::new())
///     .await?;
/// assert_eq!(response.text().await?, "the page", "still readable in full");
/// # Ok::<(), mechanize::Error>(())
/// # }).unwrap();
/// ```
#[derive(Debug, Default, Clone, Copy)]
pub struct HTTPResponseDebugProcessor;

impl Handler for HTTPResponseDebugProcessor {
    fn handler_order(&self) -> i32 {
        900
    }
    fn response_processor(&self) -> Option<&dyn ResponseProcessor> {
        Some(self)
    }
}

impl ResponseProcessor for HTTPResponseDebugProcessor {
    fn schemes(&self) -> Schemes {
        Schemes::Only(&["http", "https"])
    }

    fn process_response<'a>(
        &'a self,
        _: &'a Request,
        mut response: Response,
        _: &'a OpenerDirector,
    ) -> BoxFuture<'a, Result<Response>> {
        Box::pin(async move {
            if !tracing::enabled!(tracing::Level::INFO) {
                return Ok(response);
            }
            response.make_seekable();
            let body = response.get_data().await?;
            tracing::info!(
                url = %response.geturl(),
                status = response.code(),
                "{}",
                String::from_utf8_lossy(&body)
            );
            tracing::info!("{SEPARATOR}");
            Ok(response)
        })
    }
}
