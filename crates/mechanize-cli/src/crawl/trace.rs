//! Hop recorders: handlers that note each request and response of a page's chain into a
//! task-local list, so the crawler can report cookies sent, redirects, refreshes and meta cookies.

use std::sync::{Arc, Mutex, PoisonError};

use mechanize::handler::{BoxFuture, Handler, RequestProcessor, ResponseProcessor, Schemes};
use mechanize::{OpenerDirector, Request, Response};
use tokio::time::Instant;

use super::record::Hop;

/// The hops of the chain being run by the current task.
pub type Hops = Arc<Mutex<Vec<Hop>>>;

/// What the recorders of one task share.
struct Trace {
    hops: Hops,
    /// When each request under way reached the robots processor (a stack: the robots.txt
    /// fetch runs inside the page's request).
    ready: Mutex<Vec<u64>>,
    start: Instant,
}

tokio::task_local! {
    /// Set by the crawler around each page's chain.
    static TRACE: Trace;
}

/// Runs `fut` with its hops recorded into `hops`, times counted from `start`.
pub async fn recording<F: Future>(hops: Hops, start: Instant, fut: F) -> F::Output {
    let trace = Trace {
        hops,
        ready: Mutex::new(Vec::new()),
        start,
    };
    TRACE.scope(trace, fut).await
}

fn with_hops(f: impl FnOnce(&mut Vec<Hop>, Instant)) {
    let _ = TRACE.try_with(|t| {
        f(
            &mut t.hops.lock().unwrap_or_else(PoisonError::into_inner),
            t.start,
        )
    });
}

fn ready_stack(f: impl FnOnce(&mut Vec<u64>, Instant)) {
    let _ = TRACE.try_with(|t| {
        f(
            &mut t.ready.lock().unwrap_or_else(PoisonError::into_inner),
            t.start,
        )
    });
}

/// Notes when a request reaches the robots processor (800), to tell the politeness wait.
#[derive(Debug, Clone, Copy)]
pub struct ReadyRecorder;

impl Handler for ReadyRecorder {
    fn handler_order(&self) -> i32 {
        790
    }
    fn request_processor(&self) -> Option<&dyn RequestProcessor> {
        Some(self)
    }
}

impl RequestProcessor for ReadyRecorder {
    fn schemes(&self) -> Schemes {
        Schemes::Only(&["http", "https"])
    }

    fn process_request<'a>(
        &'a self,
        request: Request,
        _: &'a OpenerDirector,
    ) -> BoxFuture<'a, mechanize::Result<Request>> {
        Box::pin(async move {
            ready_stack(|ready, start| ready.push(millis(start)));
            Ok(request)
        })
    }
}

/// `name=value` of a `Set-Cookie` value.
fn pair(set_cookie: &http::HeaderValue) -> String {
    let value = String::from_utf8_lossy(set_cookie.as_bytes());
    value.split(';').next().unwrap_or("").trim().to_owned()
}

/// The last hop for `url` that has no answer yet.
fn open_hop<'a>(hops: &'a mut [Hop], url: &str) -> Option<&'a mut Hop> {
    hops.iter_mut()
        .rev()
        .find(|h| h.url == url && h.status.is_none())
}

/// Notes each request as it leaves: after the cookie (500) and robots (800) processors, so
/// it sees the `Cookie` header and runs after any politeness wait.
#[derive(Debug, Clone, Copy)]
pub struct RequestRecorder;

impl Handler for RequestRecorder {
    fn handler_order(&self) -> i32 {
        950
    }
    fn request_processor(&self) -> Option<&dyn RequestProcessor> {
        Some(self)
    }
}

impl RequestProcessor for RequestRecorder {
    fn schemes(&self) -> Schemes {
        Schemes::Only(&["http", "https"])
    }

    fn process_request<'a>(
        &'a self,
        request: Request,
        _: &'a OpenerDirector,
    ) -> BoxFuture<'a, mechanize::Result<Request>> {
        Box::pin(async move {
            let mut ready = None;
            ready_stack(|stack, _| ready = stack.pop());
            with_hops(|hops, start| {
                let from = request.redirected_from().map(|(u, _)| u.to_string());
                // A refresh reaches the redirect handler as a 302 stand-in for a 200.
                let via = from.as_ref().map(|from| {
                    let refreshed = hops
                        .iter()
                        .rev()
                        .find(|h| &h.url == from)
                        .is_some_and(|h| h.status == Some(200));
                    if refreshed { "refresh" } else { "redirect" }
                });
                hops.push(Hop {
                    url: request.full_url().to_owned(),
                    robots_txt: request.url().path() == "/robots.txt" && request.is_unverifiable(),
                    cookie: request.get_header("cookie").map(str::to_owned),
                    redirected_from: from,
                    via,
                    at_ms: millis(start),
                    waited_ms: ready.map_or(0, |r| millis(start).saturating_sub(r)),
                    ..Hop::default()
                });
            });
            Ok(request)
        })
    }
}

fn millis(start: Instant) -> u64 {
    u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// Notes each response as it comes, before the HTTP-EQUIV processor (300) adds the page's
/// meta pragmas: the status and the server's own `Set-Cookie` headers.
#[derive(Debug, Clone, Copy)]
pub struct ResponseRecorder;

impl Handler for ResponseRecorder {
    fn handler_order(&self) -> i32 {
        1
    }
    fn response_processor(&self) -> Option<&dyn ResponseProcessor> {
        Some(self)
    }
}

impl ResponseProcessor for ResponseRecorder {
    fn schemes(&self) -> Schemes {
        Schemes::Only(&["http", "https"])
    }

    fn process_response<'a>(
        &'a self,
        request: &'a Request,
        response: Response,
        _: &'a OpenerDirector,
    ) -> BoxFuture<'a, mechanize::Result<Response>> {
        Box::pin(async move {
            with_hops(|hops, _| {
                if let Some(hop) = open_hop(hops, request.full_url()) {
                    hop.status = Some(response.code());
                    hop.set_cookie = response
                        .info()
                        .get_all(http::header::SET_COOKIE)
                        .iter()
                        .map(pair)
                        .collect();
                    hop.refresh = refresh(&response);
                }
            });
            Ok(response)
        })
    }
}

fn refresh(response: &Response) -> Option<String> {
    response
        .info()
        .get("refresh")
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
}

/// Notes what the HTTP-EQUIV processor (300) added, before the cookie processor (500)
/// stores it: meta `Set-Cookie`s and a meta refresh.
#[derive(Debug, Clone, Copy)]
pub struct EquivRecorder;

impl Handler for EquivRecorder {
    fn handler_order(&self) -> i32 {
        400
    }
    fn response_processor(&self) -> Option<&dyn ResponseProcessor> {
        Some(self)
    }
}

impl ResponseProcessor for EquivRecorder {
    fn schemes(&self) -> Schemes {
        Schemes::Only(&["http", "https"])
    }

    fn process_response<'a>(
        &'a self,
        request: &'a Request,
        response: Response,
        _: &'a OpenerDirector,
    ) -> BoxFuture<'a, mechanize::Result<Response>> {
        Box::pin(async move {
            with_hops(|hops, _| {
                let url = request.full_url();
                if let Some(hop) = hops.iter_mut().rev().find(|h| h.url == url) {
                    let all: Vec<String> = response
                        .info()
                        .get_all(http::header::SET_COOKIE)
                        .iter()
                        .map(pair)
                        .collect();
                    hop.meta_set_cookie = all.into_iter().skip(hop.set_cookie.len()).collect();
                    hop.refresh = refresh(&response);
                }
            });
            Ok(response)
        })
    }
}
