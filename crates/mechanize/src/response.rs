//! `Response`: what an opener returns (urllib2's response object): status, reason, headers
//! (`info()`), the final URL (`geturl()`), and the body, read whole or as a stream of chunks.

use std::fmt;
use std::io::SeekFrom;
use std::pin::Pin;

use bytes::Bytes;
use futures_core::Stream;
use http::{HeaderMap, StatusCode, Version};
use url::Url;

use crate::error::{Error, Result};
use crate::seekable::SeekBuffer;

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
    /// The body read so far and a position in it, once the response is seekable; `body`
    /// then holds the part not yet read from the network.
    seek: Option<SeekBuffer>,
    /// Bytes read from `body` but not yet handed out (by [`Response::read`]).
    front: Bytes,
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
            seek: None,
            front: Bytes::new(),
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
        self.seek = None;
        self.front = Bytes::new();
        self
    }

    /// Replaces the body with a stream.
    pub fn with_stream(mut self, stream: BodyStream) -> Response {
        self.body = Body::Stream(stream);
        self.seek = None;
        self.front = Bytes::new();
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

    /// Takes the body out, leaving an empty one (for processors that wrap it). For a
    /// seekable response, the body is what is left from the current position.
    pub fn take_body(&mut self) -> Body {
        let mut rest = std::mem::replace(&mut self.body, Body::Full(Bytes::new()));
        let front = std::mem::take(&mut self.front);
        if !front.is_empty() {
            rest = Body::Stream(Box::pin(BufferedThenRest {
                buffered: vec![front].into_iter(),
                rest: Some(rest),
                skip: 0,
            }));
        }
        let Some(mut seek) = self.seek.take() else {
            return rest;
        };
        let mut buffered = Vec::new();
        while let Some(piece) = seek.read_buffered() {
            buffered.push(piece);
        }
        if buffered.is_empty() && !seek.is_complete() {
            return rest;
        }
        let skip = seek.position().saturating_sub(seek.len());
        let stream = BufferedThenRest {
            buffered: buffered.into_iter(),
            rest: (!seek.is_complete()).then_some(rest),
            skip,
        };
        Body::Stream(Box::pin(stream))
    }

    /// Puts a body back (a seekable response stays seekable, at position 0 of it).
    pub fn set_body(&mut self, body: Body) {
        self.body = body;
        self.front = Bytes::new();
        if self.seek.is_some() {
            self.seek = Some(SeekBuffer::default());
        }
    }

    /// The next chunk of the body from the network (or the in-memory body), `None` at its
    /// end; for seekable responses it is not buffered here.
    async fn next_from_source(&mut self) -> Result<Option<Bytes>> {
        if !self.front.is_empty() {
            return Ok(Some(std::mem::take(&mut self.front)));
        }
        match &mut self.body {
            Body::Full(b) if b.is_empty() => Ok(None),
            Body::Full(b) => Ok(Some(std::mem::take(b))),
            Body::Stream(s) => std::future::poll_fn(|cx| s.as_mut().poll_next(cx))
                .await
                .transpose(),
        }
    }

    /// Reads one more chunk into the seek buffer; false at the end of the body.
    async fn pull(&mut self) -> Result<bool> {
        if self.seek.as_ref().is_none_or(SeekBuffer::is_complete) {
            return Ok(false);
        }
        let next = self.next_from_source().await?;
        let Some(seek) = self.seek.as_mut() else {
            return Ok(false);
        };
        match next {
            Some(chunk) => {
                seek.push(chunk);
                Ok(true)
            }
            None => {
                seek.finish();
                Ok(false)
            }
        }
    }

    /// Reads into the seek buffer until it holds `n` bytes or the body ends.
    async fn fill_to(&mut self, n: usize) -> Result<()> {
        while self.seek.as_ref().is_some_and(|s| s.len() < n) {
            if !self.pull().await? {
                break;
            }
        }
        Ok(())
    }

    /// The next chunk of the body, or `None` at its end.
    pub async fn chunk(&mut self) -> Result<Option<Bytes>> {
        if self.seek.is_none() {
            return self.next_from_source().await;
        }
        loop {
            if let Some(piece) = self.seek.as_mut().and_then(SeekBuffer::read_buffered) {
                return Ok(Some(piece));
            }
            if !self.pull().await? {
                return Ok(None);
            }
        }
    }

    /// The rest of the body.
    pub async fn bytes(&mut self) -> Result<Bytes> {
        if self.seek.is_none() && self.front.is_empty() {
            if let Body::Full(b) = &mut self.body {
                return Ok(std::mem::take(b));
            }
        }
        let mut parts = Vec::new();
        while let Some(chunk) = self.chunk().await? {
            parts.push(chunk);
        }
        Ok(match parts.len() {
            0 => Bytes::new(),
            1 => parts.swap_remove(0),
            _ => Bytes::from(parts.concat()),
        })
    }

    /// The rest of the body as text: UTF-8, with invalid bytes replaced.
    pub async fn text(&mut self) -> Result<String> {
        let b = self.bytes().await?;
        Ok(String::from_utf8_lossy(&b).into_owned())
    }

    /// Makes the body seekable (mechanize's `seek_wrapper`): from now on what is read is kept,
    /// so [`seek`](Response::seek), [`tell`](Response::tell) and
    /// [`get_data`](Response::get_data) work. The body is still read lazily: only as far as
    /// reads, seeks and peeks need. Position 0 is the first byte not yet read, so call it
    /// before reading (the `SeekableResponseOpener` and the processors that look at bodies
    /// do). Calling it again changes nothing.
    ///
    /// ```
    /// use std::io::SeekFrom;
    /// use mechanize::Response;
    ///
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let mut r = Response::new(url::Url::parse("data:,").unwrap(), http::StatusCode::OK, "OK")
    ///     .with_body("hello world");
    /// r.make_seekable();
    /// assert_eq!(r.read(5).await?, "hello");
    /// assert_eq!(r.tell()?, 5);
    /// r.seek(SeekFrom::Start(0)).await?;
    /// assert_eq!(r.read(2).await?, "he");
    /// assert_eq!(r.get_data().await?, "hello world", "the whole body");
    /// assert_eq!(r.tell()?, 2, "position unchanged");
    /// r.set_data("bye");
    /// assert_eq!(r.text().await?, "bye");
    /// # Ok::<(), mechanize::Error>(())
    /// # }).unwrap();
    /// ```
    pub fn make_seekable(&mut self) {
        if self.seek.is_none() {
            self.seek = Some(SeekBuffer::default());
        }
    }

    /// Whether the body is seekable.
    pub fn is_seekable(&self) -> bool {
        self.seek.is_some()
    }

    fn seek_buffer(&self) -> Result<&SeekBuffer> {
        self.seek.as_ref().ok_or_else(|| Error::NotSeekable {
            url: self.url.to_string(),
        })
    }

    /// The read position in a seekable body. [`Error::NotSeekable`] otherwise.
    pub fn tell(&self) -> Result<u64> {
        Ok(self.seek_buffer()?.position() as u64)
    }

    /// Moves the read position of a seekable body, and returns it. Seeking from the end
    /// reads the whole body; seeking from the start or the current position reads nothing
    /// (reads fetch what they need). Past the end is allowed (reads then return nothing);
    /// before the start is an [`Error::Url`]. [`Error::NotSeekable`] unless
    /// [`make_seekable`](Response::make_seekable) was called.
    pub async fn seek(&mut self, to: SeekFrom) -> Result<u64> {
        let current = self.seek_buffer()?.position() as i128;
        let target = match to {
            SeekFrom::Start(n) => i128::from(n),
            SeekFrom::Current(d) => current + i128::from(d),
            SeekFrom::End(d) => {
                self.fill_to(usize::MAX).await?;
                self.seek_buffer()?.len() as i128 + i128::from(d)
            }
        };
        let Ok(target) = usize::try_from(target) else {
            return Err(Error::url(
                self.url.as_str(),
                format!("cannot seek to {target}: before the start of the body"),
            ));
        };
        if let Some(seek) = self.seek.as_mut() {
            seek.set_position(target);
        }
        Ok(target as u64)
    }

    /// Up to `n` bytes of the body from the read position, without consuming them (the body
    /// becomes seekable, and only as much is read from the network as needed). What is
    /// returned is shorter than `n` only at the end of the body.
    pub async fn peek(&mut self, n: usize) -> Result<Bytes> {
        self.make_seekable();
        let pos = self.seek_buffer()?.position();
        self.fill_to(pos.saturating_add(n)).await?;
        Ok(self.seek_buffer()?.peek(n))
    }

    /// Up to `n` bytes of the body (Python's `read(n)`); fewer only at its end.
    pub async fn read(&mut self, n: usize) -> Result<Bytes> {
        if self.seek.is_some() {
            let data = self.peek(n).await?;
            if let Some(seek) = self.seek.as_mut() {
                seek.set_position(seek.position() + data.len());
            }
            return Ok(data);
        }
        // Not seekable: what is read past `n` goes back in front of the body.
        let mut parts = Vec::new();
        let mut got = 0;
        while got < n {
            let Some(chunk) = self.next_from_source().await? else {
                break;
            };
            let take = (n - got).min(chunk.len());
            if take < chunk.len() {
                self.front = chunk.slice(take..);
            }
            parts.push(chunk.slice(..take));
            got += take;
        }
        Ok(match parts.len() {
            0 => Bytes::new(),
            1 => parts.swap_remove(0),
            _ => Bytes::from(parts.concat()),
        })
    }

    /// The whole body of a seekable response, leaving the position where it is (mechanize's
    /// `get_data`). [`Error::NotSeekable`] otherwise.
    pub async fn get_data(&mut self) -> Result<Bytes> {
        self.seek_buffer()?;
        self.fill_to(usize::MAX).await?;
        Ok(self.seek.as_mut().map(SeekBuffer::all).unwrap_or_default())
    }

    /// Replaces the body with `data` and makes the response seekable at position 0
    /// (mechanize's `set_data`). Whatever was left to read from the network is dropped.
    pub fn set_data(&mut self, data: impl Into<Bytes>) {
        self.body = Body::Full(Bytes::new());
        self.front = Bytes::new();
        self.seek = Some(SeekBuffer::complete(data.into()));
    }

    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        self.status.is_success()
    }

    /// Turns a response into the error urllib2 raises for it (`HTTPError`), reading its body
    /// so the error can show it.
    pub async fn into_http_error(mut self) -> Error {
        let body = if self.seek.is_some() {
            self.get_data().await.unwrap_or_default()
        } else {
            self.bytes().await.unwrap_or_default()
        };
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

/// The buffered pieces of a seekable body, then the rest of it from the network, as one
/// stream (what [`Response::take_body`] returns for a seekable response).
struct BufferedThenRest {
    buffered: std::vec::IntoIter<Bytes>,
    rest: Option<Body>,
    /// Bytes of `rest` to drop first (a position past the buffered end).
    skip: usize,
}

impl Stream for BufferedThenRest {
    type Item = Result<Bytes>;

    fn poll_next(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        use std::task::Poll;
        if let Some(piece) = self.buffered.next() {
            return Poll::Ready(Some(Ok(piece)));
        }
        loop {
            let next = match self.rest.as_mut() {
                None => return Poll::Ready(None),
                Some(Body::Full(b)) if b.is_empty() => None,
                Some(Body::Full(b)) => Some(Ok(std::mem::take(b))),
                Some(Body::Stream(s)) => match s.as_mut().poll_next(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(next) => next,
                },
            };
            let Some(next) = next else {
                self.rest = None;
                return Poll::Ready(None);
            };
            let Ok(chunk) = next else {
                return Poll::Ready(Some(next));
            };
            if self.skip >= chunk.len() {
                self.skip -= chunk.len();
                continue;
            }
            let skip = std::mem::take(&mut self.skip);
            return Poll::Ready(Some(Ok(chunk.slice(skip..))));
        }
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
