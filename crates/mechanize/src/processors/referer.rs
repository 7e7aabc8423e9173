//! `HTTPRefererProcessor`: sends the URL of the previous response of a chain as `Referer` on
//! the next request, without fragment or user info, and never from `https` to `http`.

use std::sync::Mutex;

use url::Url;

use crate::director::OpenerDirector;
use crate::error::Result;
use crate::handler::{BoxFuture, Handler, RequestProcessor, ResponseProcessor, Schemes};
use crate::request::Request;
use crate::response::Response;

/// Adds a `Referer` header to requests, as mechanize's `HTTPRefererProcessor`: the URL of the
/// last response this processor saw.
///
/// The header is unredirected (each hop gets its own), and a request that already has a
/// `Referer` keeps it. The value never carries a fragment or user info (RFC 9110 §10.1.3),
/// and none is sent when the previous page was `https` and the next request is not. Redirects
/// and refreshes pass through the processor too, so a redirected request's `Referer` is the
/// page that redirected.
///
/// # One processor per chain
///
/// As in mechanize, the processor remembers the last response URL on itself: it only makes
/// sense for one sequential chain of requests (page 1, then a link on it, then a link on
/// that …). Shared by concurrent tasks, or used to fetch several URLs taken from one page,
/// the `Referer`s it sends are whatever response came last. Give each such chain its own
/// opener with its own processor.
///
/// Its `handler_order` is 500, mechanize's (the default).
///
/// ```
/// use std::sync::Arc;
/// use mechanize::build_opener;
/// use mechanize::processors::HTTPRefererProcessor;
///
/// let referer = Arc::new(HTTPRefererProcessor::new());
/// let opener = build_opener(vec![referer.clone()]);
/// assert_eq!(referer.last_url(), None, "nothing fetched yet");
/// # let _ = opener;
/// ```
#[derive(Debug, Default)]
pub struct HTTPRefererProcessor {
    last: Mutex<Option<Url>>,
}

impl HTTPRefererProcessor {
    /// A processor that has seen no response yet.
    pub fn new() -> HTTPRefererProcessor {
        HTTPRefererProcessor::default()
    }

    /// The URL of the last `http`/`https` response seen (mechanize's `referer` attribute),
    /// as it was, before the fragment and user info are stripped for sending.
    pub fn last_url(&self) -> Option<Url> {
        self.last.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// The `Referer` to send when going from the page at `from` to `to`, if any.
fn referer_for(from: &Url, to: &Url) -> Option<String> {
    if !matches!(from.scheme(), "http" | "https") {
        return None;
    }
    if from.scheme() == "https" && to.scheme() != "https" {
        return None;
    }
    let mut referer = from.clone();
    referer.set_fragment(None);
    // Both fail only for URLs that cannot have user info; http(s) URLs can.
    let _ = referer.set_username("");
    let _ = referer.set_password(None);
    Some(referer.into())
}

impl Handler for HTTPRefererProcessor {
    fn request_processor(&self) -> Option<&dyn RequestProcessor> {
        Some(self)
    }
    fn response_processor(&self) -> Option<&dyn ResponseProcessor> {
        Some(self)
    }
}

impl RequestProcessor for HTTPRefererProcessor {
    fn schemes(&self) -> Schemes {
        Schemes::Only(&["http", "https"])
    }

    fn process_request<'a>(
        &'a self,
        mut request: Request,
        _: &'a OpenerDirector,
    ) -> BoxFuture<'a, Result<Request>> {
        Box::pin(async move {
            if request.has_header("Referer") {
                return Ok(request);
            }
            let referer = self
                .last_url()
                .and_then(|from| referer_for(&from, request.url()));
            if let Some(referer) = referer {
                request.add_unredirected_header("Referer", &referer)?;
            }
            Ok(request)
        })
    }
}

impl ResponseProcessor for HTTPRefererProcessor {
    fn schemes(&self) -> Schemes {
        Schemes::Only(&["http", "https"])
    }

    fn process_response<'a>(
        &'a self,
        _: &'a Request,
        response: Response,
        _: &'a OpenerDirector,
    ) -> BoxFuture<'a, Result<Response>> {
        Box::pin(async move {
            *self.last.lock().unwrap_or_else(|e| e.into_inner()) = Some(response.geturl().clone());
            Ok(response)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn referer(from: &str, to: &str) -> Option<String> {
        referer_for(&Url::parse(from).unwrap(), &Url::parse(to).unwrap())
    }

    #[test]
    fn https_to_http_sends_nothing_and_the_other_ways_do() {
        assert_eq!(referer("https://a.example/p", "http://b.example/"), None);
        assert_eq!(
            referer("https://a.example/p", "https://b.example/").as_deref(),
            Some("https://a.example/p")
        );
        assert_eq!(
            referer("http://a.example/p", "https://b.example/").as_deref(),
            Some("http://a.example/p")
        );
        assert_eq!(
            referer("http://a.example/p", "http://b.example/").as_deref(),
            Some("http://a.example/p")
        );
    }

    #[test]
    fn fragment_and_user_info_are_stripped_and_other_schemes_send_nothing() {
        assert_eq!(
            referer(
                "https://u:pw@a.example:8443/p?q=1#frag",
                "https://b.example/"
            )
            .as_deref(),
            Some("https://a.example:8443/p?q=1")
        );
        assert_eq!(
            referer("http://u@a.example/p#", "http://b.example/").as_deref(),
            Some("http://a.example/p")
        );
        assert_eq!(referer("file:///etc/hosts", "http://b.example/"), None);
        assert_eq!(referer("data:,x", "http://b.example/"), None);
    }
}
