//! `HTTPRefreshProcessor` and the `Refresh` header's syntax: follows the refresh of a 200
//! response as a redirect, through the redirect handler and its loop limits.

use std::time::Duration;

use http::header::{HeaderValue, LOCATION};
use http::{HeaderName, StatusCode};

use crate::director::OpenerDirector;
use crate::error::Result;
use crate::handler::{BoxFuture, Handler, ResponseProcessor, Schemes};
use crate::request::Request;
use crate::response::Response;

/// The `Refresh` header's name.
const REFRESH: HeaderName = HeaderName::from_static("refresh");

/// A parsed `Refresh` header (`N` or `N; url=…`), as mechanize's `parse_refresh_header`.
///
/// The pause is a number of seconds (fractions allowed, a negative one counts as none); the
/// URL follows `;` and a case-insensitive `url` key with `=`, spaces allowed around each
/// part, quotes (`'…'` or `"…"`) stripped. A header that does not have that form parses to
/// `None`, and the processor ignores it.
///
/// ```
/// use std::time::Duration;
/// use mechanize::processors::RefreshHeader;
///
/// let refresh = RefreshHeader::parse("5; URL='/next'").unwrap();
/// assert_eq!(refresh.pause, Duration::from_secs(5));
/// assert_eq!(refresh.url.as_deref(), Some("/next"));
/// assert_eq!(RefreshHeader::parse("0").unwrap().url, None);
/// assert_eq!(RefreshHeader::parse("soon"), None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefreshHeader {
    /// How long to wait before refreshing.
    pub pause: Duration,
    /// Where to go, as written (relative or absolute); `None` refreshes the same URL.
    pub url: Option<String>,
}

impl RefreshHeader {
    /// Parses a header value; `None` when it is not a refresh.
    pub fn parse(value: &str) -> Option<RefreshHeader> {
        let (pause, url) = match value.split_once(';') {
            Some((pause, spec)) => {
                let (key, url) = spec.split_once('=')?;
                if !key.trim().eq_ignore_ascii_case("url") {
                    return None;
                }
                (pause, Some(clean_url(url).to_owned()))
            }
            None => (value, None),
        };
        let seconds: f64 = pause.trim().parse().ok()?;
        // NaN and infinity are no pause anyone can wait (mechanize fails or loops on them).
        if seconds.is_nan() {
            return None;
        }
        let pause = Duration::try_from_secs_f64(seconds.max(0.0)).ok()?;
        Some(RefreshHeader { pause, url })
    }
}

/// The URL part of a refresh, without surrounding spaces and quotes.
fn clean_url(url: &str) -> &str {
    let url = url.trim();
    let quoted = url.len() >= 2
        && ((url.starts_with('"') && url.ends_with('"'))
            || (url.starts_with('\'') && url.ends_with('\'')));
    if quoted {
        url[1..url.len() - 1].trim()
    } else {
        url
    }
}

/// Follows `Refresh` headers of 200 responses, as mechanize's `HTTPRefreshProcessor`.
///
/// The header may come from the server or from an HTML `<meta http-equiv="refresh">` that a
/// processor running earlier added to the response's headers. The first `Refresh` header
/// counts; one [`RefreshHeader::parse`] rejects is ignored. A refresh is followed when
/// [`max_time`](Self::max_time) is `None` or the pause is at most `max_time`; otherwise the
/// response is returned as it is, header included. With [`honor_time`](Self::honor_time),
/// the processor first waits the pause (asynchronously); without, it goes at once.
///
/// Following means handing the redirect handler a stand-in for the response: status 302,
/// reason `Refresh`, the same URL, headers and body, plus `Location` set to the target (the
/// refresh URL resolved against the response's, or the response's own URL). So a refresh is
/// a `GET` like any 302, counts against the redirect handler's limits, and a page that keeps
/// refreshing ends in the redirect handler's infinite-loop [`Error::Http`](crate::Error::Http)
/// — whose status is that 302, with the reason ending in `Refresh`.
///
/// The default, as mechanize's constructor, follows only refreshes without a pause
/// (`max_time` 0) and honours the time; `handler_order` is 1000, mechanize's, so it runs
/// after the other response processors.
///
/// ```
/// use std::sync::Arc;
/// use std::time::Duration;
/// use mechanize::build_opener;
/// use mechanize::processors::HTTPRefreshProcessor;
///
/// let refresh = HTTPRefreshProcessor::default();
/// assert_eq!(refresh.max_time, Some(Duration::ZERO));
/// assert!(refresh.honor_time);
/// // Follow refreshes of up to 10 s, without waiting.
/// let opener = build_opener(vec![Arc::new(HTTPRefreshProcessor {
///     max_time: Some(Duration::from_secs(10)),
///     honor_time: false,
/// })]);
/// # let _ = opener;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HTTPRefreshProcessor {
    /// The longest pause followed; `None` follows every refresh.
    pub max_time: Option<Duration>,
    /// Whether to wait the pause before following.
    pub honor_time: bool,
}

impl Default for HTTPRefreshProcessor {
    fn default() -> Self {
        HTTPRefreshProcessor {
            max_time: Some(Duration::ZERO),
            honor_time: true,
        }
    }
}

impl Handler for HTTPRefreshProcessor {
    fn handler_order(&self) -> i32 {
        1000
    }
    fn response_processor(&self) -> Option<&dyn ResponseProcessor> {
        Some(self)
    }
}

impl ResponseProcessor for HTTPRefreshProcessor {
    fn schemes(&self) -> Schemes {
        Schemes::Only(&["http", "https"])
    }

    fn process_response<'a>(
        &'a self,
        request: &'a Request,
        mut response: Response,
        director: &'a OpenerDirector,
    ) -> BoxFuture<'a, Result<Response>> {
        Box::pin(async move {
            if response.code() != 200 {
                return Ok(response);
            }
            let Some(value) = response.info().get(REFRESH) else {
                return Ok(response);
            };
            let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
            let Some(refresh) = RefreshHeader::parse(&value) else {
                tracing::debug!(url = %response.geturl(), refresh = value, "bad Refresh header ignored");
                return Ok(response);
            };
            if self.max_time.is_some_and(|max| refresh.pause > max) {
                tracing::debug!(url = %response.geturl(), refresh = value, "Refresh pause above max_time: not followed");
                return Ok(response);
            }
            let target = match &refresh.url {
                Some(url) => response.geturl().join(url),
                None => Ok(response.geturl().clone()),
            };
            let location = target
                .ok()
                .and_then(|t| HeaderValue::try_from(t.as_str()).ok());
            let Some(location) = location else {
                tracing::debug!(url = %response.geturl(), refresh = value, "Refresh URL unusable: not followed");
                return Ok(response);
            };
            if self.honor_time && refresh.pause > Duration::from_millis(1) {
                tokio::time::sleep(refresh.pause).await;
            }
            let mut headers = response.info().clone();
            headers.insert(LOCATION, location);
            let mut stand_in =
                Response::new(response.geturl().clone(), StatusCode::FOUND, "Refresh")
                    .with_version(response.version())
                    .with_headers(headers);
            stand_in.set_body(response.take_body());
            director.error(request, stand_in).await
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_need_both_ends_and_a_lone_quote_is_kept() {
        assert_eq!(clean_url(" '/a' "), "/a");
        assert_eq!(clean_url("\" /a \""), "/a");
        assert_eq!(clean_url("'/a\""), "'/a\"");
        assert_eq!(clean_url("'"), "'");
        assert_eq!(clean_url(""), "");
    }
}
