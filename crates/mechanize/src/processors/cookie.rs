//! `HTTPCookieProcessor`: the cookie engine on every hop: `add_cookie_header` before each
//! request, `extract_cookies` after each response, with one jar shared by any number of openers.

use std::sync::Arc;

use cookiejar::CookieJar;

use crate::director::OpenerDirector;
use crate::error::Result;
use crate::handler::{BoxFuture, Handler, RequestProcessor, ResponseProcessor, Schemes};
use crate::request::Request;
use crate::response::Response;

/// Keeps cookies in a [`CookieJar`], as urllib2's `HTTPCookieProcessor`.
///
/// ```
/// use std::sync::Arc;
/// use cookiejar::CookieJar;
/// use mechanize::processors::HTTPCookieProcessor;
///
/// let jar = Arc::new(CookieJar::new());
/// let processor = HTTPCookieProcessor::new(Arc::clone(&jar));
/// assert!(Arc::ptr_eq(processor.cookiejar(), &jar));
/// ```
#[derive(Debug, Clone)]
pub struct HTTPCookieProcessor {
    jar: Arc<CookieJar>,
}

impl Default for HTTPCookieProcessor {
    fn default() -> Self {
        HTTPCookieProcessor::new(Arc::new(CookieJar::new()))
    }
}

impl HTTPCookieProcessor {
    /// A processor using `jar` (shared: other openers and tasks may use it too).
    pub fn new(jar: Arc<CookieJar>) -> HTTPCookieProcessor {
        HTTPCookieProcessor { jar }
    }

    /// The jar (urllib2's `cookiejar` attribute).
    pub fn cookiejar(&self) -> &Arc<CookieJar> {
        &self.jar
    }
}

impl Handler for HTTPCookieProcessor {
    fn role(&self) -> Option<&'static str> {
        Some("cookies")
    }
    fn request_processor(&self) -> Option<&dyn RequestProcessor> {
        Some(self)
    }
    fn response_processor(&self) -> Option<&dyn ResponseProcessor> {
        Some(self)
    }
}

impl RequestProcessor for HTTPCookieProcessor {
    fn schemes(&self) -> Schemes {
        Schemes::Only(&["http", "https"])
    }

    fn process_request<'a>(
        &'a self,
        mut request: Request,
        _: &'a OpenerDirector,
    ) -> BoxFuture<'a, Result<Request>> {
        Box::pin(async move {
            self.jar.add_cookie_header(&mut request);
            Ok(request)
        })
    }
}

impl ResponseProcessor for HTTPCookieProcessor {
    fn schemes(&self) -> Schemes {
        Schemes::Only(&["http", "https"])
    }

    fn process_response<'a>(
        &'a self,
        request: &'a Request,
        response: Response,
        _: &'a OpenerDirector,
    ) -> BoxFuture<'a, Result<Response>> {
        Box::pin(async move {
            self.jar.extract_cookies(&response, request);
            Ok(response)
        })
    }
}
