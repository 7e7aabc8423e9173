//! `Response`: what an opener returns (urllib2's response object): status, reason, headers
//! (`info()`), the final URL (`geturl()`), and the body, read whole or as a stream of chunks.

use std::fmt;
use std::pin::Pin;

use bytes::Bytes;
use futures_core::Stream;
use http::{HeaderMap, StatusCode, Version};
use url::Url;

use crate::error::{Error, Result};

/// A stream of body chunks; errors carry the URL in their context.
pub type BodyStream = Pin<Box<dyn Stream<Item = Result<Bytes>> + Send>>;

/// A response body: bytes already in memory, or a stream still arriving.
pub enum Body {
    /// The whole body, in memory.
    Full(Bytes),
    /// A body read as it arrives.
    Stream(BodyStream),
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Body::Full(b) => f.debug_tuple("Full").field(&b.len()).finish(),
            Body::Stream(_) => f.write_str("Stream(..)"),
        }
    }
}

impl From<Bytes> for Body {
    fn from(b: Bytes) -> Body {
        Body::Full(b)
    }
}

/// An HTTP (or `file:`, `data:`) response, as urllib2 returns it.
///
/// The status and headers are read before the body. The body can be taken whole
/// ([`bytes`](Response::bytes), [`text`](Response::text)) or chunk by chunk
/// ([`chunk`](Response::chunk)); reading it consumes it.
///
/// ```
/// use mechanize::Response;
///
/// # tokio_test_block(async {
/// let mut resp = Response::new(url::Url::parse("data:,hello").unwrap(), http::StatusCode::OK, "OK")
///     .with_body("hello world");
/// assert_eq!(resp.code(), 200);
/// assert_eq!(resp.geturl().as_str(), "data:,hello");
/// assert_eq!(resp.text().await.unwrap(), "hello world");
/// # });
/// # fn tokio_test_block(f: impl std::future::Future<Output = ()>) {
/// #     tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
/// # }
/// ```
#[derive(Debug)]
pub struct Response {
    url: Url,
    status: StatusCode,
    version: Version,
    reason: String,
    headers: HeaderMap,
    body: Body,
}

impl Response {
    /// A response for `url` with a status and reason, version HTTP/1.1, no headers and an
    /// empty body.
    pub fn new(url: Url, status: StatusCode, reason: impl Into<String>) -> Response {
        Response {
            url,
            status,
            version: Version::HTTP_11,
            reason: reason.into(),
            headers: HeaderMap::new(),
            body: Body::Full(Bytes::new()),
        }
    }

    /// Sets the HTTP version (the HTTP handlers set the one the server answered with).
    pub fn with_version(mut self, version: Version) -> Response {
        self.version = version;
        self
    }

    /// Replaces the headers.
    pub fn with_headers(mut self, headers: HeaderMap) -> Response {
        self.headers = headers;
        self
    }

    /// Replaces the body.
    pub fn with_body(mut self, body: impl Into<Bytes>) -> Response {
        self.body = Body::Full(body.into());
        self
    }

    /// Replaces the body with a stream.
    pub fn with_stream(mut self, stream: BodyStream) -> Response {
        self.body = Body::Stream(stream);
        self
    }

    /// The status code as a number (urllib2's `code`, `getcode()`).
    pub fn code(&self) -> u16 {
        self.status.as_u16()
    }

    /// The status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The HTTP version of the response: the one spoken with the server for `http:` and
    /// `https:` URLs (HTTP/2 when TLS negotiated it), HTTP/1.1 for others (`data:`, `file:`).
    pub fn version(&self) -> Version {
        self.version
    }

    /// The reason phrase (urllib2's `msg`).
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// The headers (urllib2's `info()`).
    pub fn info(&self) -> &HeaderMap {
        &self.headers
    }

    /// The headers, to change (processors such as HTTP-EQUIV add to them).
    pub fn headers_mut(&mut self) -> &mut HeaderMap {
        &mut self.headers
    }

    /// The URL this response is for, after redirections (urllib2's `geturl()`).
    pub fn geturl(&self) -> &Url {
        &self.url
    }

    /// Sets the final URL (the redirect handler does, for the response it returns).
    pub fn set_url(&mut self, url: Url) {
        self.url = url;
    }

    /// Takes the body out, leaving an empty one (for processors that wrap it).
    pub fn take_body(&mut self) -> Body {
        std::mem::replace(&mut self.body, Body::Full(Bytes::new()))
    }

    /// Puts a body back.
    pub fn set_body(&mut self, body: Body) {
        self.body = body;
    }

    /// The next chunk of the body, or `None` at its end.
    pub async fn chunk(&mut self) -> Result<Option<Bytes>> {
        match &mut self.body {
            Body::Full(b) if b.is_empty() => Ok(None),
            Body::Full(b) => Ok(Some(std::mem::take(b))),
            Body::Stream(s) => std::future::poll_fn(|cx| s.as_mut().poll_next(cx))
                .await
                .transpose(),
        }
    }

    /// The rest of the body.
    pub async fn bytes(&mut self) -> Result<Bytes> {
        if let Body::Full(b) = &mut self.body {
            return Ok(std::mem::take(b));
        }
        let mut all = Vec::new();
        while let Some(chunk) = self.chunk().await? {
            all.extend_from_slice(&chunk);
        }
        Ok(Bytes::from(all))
    }

    /// The rest of the body as text: UTF-8, with invalid bytes replaced.
    pub async fn text(&mut self) -> Result<String> {
        let b = self.bytes().await?;
        Ok(String::from_utf8_lossy(&b).into_owned())
    }

    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        self.status.is_success()
    }

    /// Turns a response into the error urllib2 raises for it (`HTTPError`), reading its body
    /// so the error can show it.
    pub async fn into_http_error(mut self) -> Error {
        let body = self.bytes().await.unwrap_or_default();
        Error::Http(Box::new(crate::error::HttpError {
            url: self.url.to_string(),
            status: self.status,
            reason: self.reason,
            headers: self.headers,
            body,
            robots: None,
        }))
    }
}

impl cookiejar::CookieResponse for Response {
    fn header_values(&self, name: &str) -> Vec<std::borrow::Cow<'_, str>> {
        self.headers
            .get_all(name)
            .iter()
            .map(|v| String::from_utf8_lossy(v.as_bytes()))
            .collect()
    }
}
