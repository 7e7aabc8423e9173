//! The blocking `Response`: a file-like object whose body streams from the runtime thread.

use std::io;
use std::sync::Arc;

use bytes::{Buf, Bytes};
use http::{HeaderMap, StatusCode};
use url::Url;

use super::worker::{BodyReceiver, Head, Worker, ensure_blocking_allowed};
use crate::error::{Error, Result};
use crate::response::Response as AsyncResponse;

/// A response read synchronously, like the file object Python's `urlopen` returns.
///
/// The status and headers are there at once; the body streams from the runtime thread chunk
/// by chunk as it is read (one chunk is read ahead), never buffered whole unless asked for.
/// Read it with [`read`](Response::read) (all of it), [`read_n`](Response::read_n) (Python's
/// `read(n)`), [`readline`](Response::readline), [`readlines`](Response::readlines),
/// [`lines`](Response::lines) or a `for` loop over `&mut response`, or through
/// [`std::io::Read`] and [`std::io::BufRead`].
///
/// The inherent `read()` and `read_to_string()` take no buffer, as in Python; they hide the
/// [`std::io::Read`] methods of the same names in method calls, which remain reachable as
/// `std::io::Read::read(&mut response, &mut buf)` and through anything generic over `Read`
/// (`std::io::copy`, `BufReader`, ...).
///
/// Dropping a response stops its download. Every reading method fails with an
/// [`Error::Url`] when called from inside an async runtime.
///
/// ```
/// use std::io::BufRead;
///
/// let mut r = mechanize::blocking::urlopen("data:,first%0Asecond%0Athird")?;
/// assert_eq!(r.code(), 200);
/// assert_eq!(r.readline()?, b"first\n");
/// assert_eq!(r.fill_buf()?, b"second\nthird", "what is buffered");
/// let rest: Vec<Vec<u8>> = r.lines().collect::<mechanize::Result<_>>()?;
/// assert_eq!(rest, [b"second\n".to_vec(), b"third".to_vec()]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Response {
    head: AsyncResponse,
    body: Option<BodyReceiver>,
    buf: Bytes,
    // Keeps the runtime thread alive while the body streams.
    _worker: Arc<Worker>,
}

impl Response {
    pub(crate) fn new((head, body): Head, worker: Arc<Worker>) -> Response {
        Response {
            head,
            body: Some(body),
            buf: Bytes::new(),
            _worker: worker,
        }
    }

    /// The status code as a number (urllib2's `code`, `getcode()`).
    pub fn code(&self) -> u16 {
        self.head.code()
    }

    /// The status.
    pub fn status(&self) -> StatusCode {
        self.head.status()
    }

    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        self.head.is_success()
    }

    /// The reason phrase (urllib2's `msg`).
    pub fn reason(&self) -> &str {
        self.head.reason()
    }

    /// The headers (urllib2's `info()`).
    pub fn info(&self) -> &HeaderMap {
        self.head.info()
    }

    /// The URL this response is for, after redirections (urllib2's `geturl()`).
    pub fn geturl(&self) -> &Url {
        self.head.geturl()
    }

    /// The buffered bytes, fetching the next chunk when there are none; empty at the end.
    fn fill(&mut self) -> Result<&[u8]> {
        while self.buf.is_empty() {
            let Some(rx) = &mut self.body else { break };
            ensure_blocking_allowed(self.head.geturl().as_str())?;
            match rx.blocking_recv() {
                Some(Ok(chunk)) => self.buf = chunk,
                Some(Err(e)) => {
                    self.body = None;
                    return Err(e);
                }
                None => self.body = None,
            }
        }
        Ok(&self.buf)
    }

    /// The rest of the body (Python's `read()`).
    pub fn read(&mut self) -> Result<Vec<u8>> {
        let mut all = Vec::new();
        loop {
            let chunk = self.fill()?;
            if chunk.is_empty() {
                return Ok(all);
            }
            all.extend_from_slice(chunk);
            self.buf.clear();
        }
    }

    /// The rest of the body as text: UTF-8, with invalid bytes replaced.
    pub fn read_to_string(&mut self) -> Result<String> {
        let all = self.read()?;
        Ok(match String::from_utf8(all) {
            Ok(s) => s,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        })
    }

    /// Up to `n` bytes of the body (Python's `read(n)`): exactly `n` unless the body ends
    /// first; empty at its end.
    pub fn read_n(&mut self, n: usize) -> Result<Vec<u8>> {
        let mut out = Vec::with_capacity(n.min(64 * 1024));
        while out.len() < n {
            let chunk = self.fill()?;
            if chunk.is_empty() {
                break;
            }
            let take = chunk.len().min(n - out.len());
            out.extend_from_slice(&chunk[..take]);
            self.buf.advance(take);
        }
        Ok(out)
    }

    /// The next line, with its `\n` if it has one (Python's `readline()`); empty at the end.
    pub fn readline(&mut self) -> Result<Vec<u8>> {
        let mut line = Vec::new();
        loop {
            let chunk = self.fill()?;
            if chunk.is_empty() {
                return Ok(line);
            }
            if let Some(i) = chunk.iter().position(|&b| b == b'\n') {
                line.extend_from_slice(&chunk[..=i]);
                self.buf.advance(i + 1);
                return Ok(line);
            }
            line.extend_from_slice(chunk);
            self.buf.clear();
        }
    }

    /// The remaining lines, each with its `\n` (Python's `readlines()`).
    pub fn readlines(&mut self) -> Result<Vec<Vec<u8>>> {
        (&mut *self).into_iter().collect()
    }

    /// An iterator over the remaining lines, each with its `\n` (iterating a Python file).
    /// An error ends it after it is yielded. It takes the response; `for line in &mut r`
    /// borrows it instead. (It hides [`BufRead::lines`](std::io::BufRead::lines), which
    /// yields `String`s without their newline: call that one as `BufRead::lines(r)`.)
    pub fn lines(self) -> Lines<'static> {
        Lines {
            response: Source::Owned(Box::new(self)),
            done: false,
        }
    }
}

#[derive(Debug)]
enum Source<'a> {
    Owned(Box<Response>),
    Borrowed(&'a mut Response),
}

/// The lines of a blocking [`Response`], each with its `\n`: from [`Response::lines`]
/// (owning the response) or `for line in &mut response` (borrowing it).
///
/// ```
/// let mut r = mechanize::blocking::urlopen("data:,a%0Ab%0Ac")?;
/// let mut n = 0;
/// for line in &mut r {
///     assert!(line?.ends_with(b"\n"));
///     n += 1;
///     if n == 2 {
///         break;
///     }
/// }
/// let rest: Vec<Vec<u8>> = r.lines().collect::<mechanize::Result<_>>()?;
/// assert_eq!(rest, [b"c".to_vec()]);
/// # Ok::<(), mechanize::Error>(())
/// ```
#[derive(Debug)]
pub struct Lines<'a> {
    response: Source<'a>,
    done: bool,
}

impl Iterator for Lines<'_> {
    type Item = Result<Vec<u8>>;

    fn next(&mut self) -> Option<Result<Vec<u8>>> {
        if self.done {
            return None;
        }
        let response = match &mut self.response {
            Source::Owned(r) => &mut **r,
            Source::Borrowed(r) => &mut **r,
        };
        match response.readline() {
            Ok(line) if line.is_empty() => {
                self.done = true;
                None
            }
            Ok(line) => Some(Ok(line)),
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

impl<'a> IntoIterator for &'a mut Response {
    type Item = Result<Vec<u8>>;
    type IntoIter = Lines<'a>;

    fn into_iter(self) -> Lines<'a> {
        Lines {
            response: Source::Borrowed(self),
            done: false,
        }
    }
}

impl IntoIterator for Response {
    type Item = Result<Vec<u8>>;
    type IntoIter = Lines<'static>;

    fn into_iter(self) -> Lines<'static> {
        self.lines()
    }
}

fn io_error(e: Error) -> io::Error {
    io::Error::other(e)
}

impl io::Read for Response {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        let chunk = self.fill().map_err(io_error)?;
        let n = chunk.len().min(buf.len());
        buf[..n].copy_from_slice(&chunk[..n]);
        self.buf.advance(n);
        Ok(n)
    }
}

impl io::BufRead for Response {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.fill().map_err(io_error)
    }

    fn consume(&mut self, amt: usize) {
        self.buf.advance(amt.min(self.buf.len()));
    }
}
