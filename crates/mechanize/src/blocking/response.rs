//! The blocking `Response`: a file-like object whose body streams from the runtime thread.

use std::io::{self, SeekFrom};
use std::sync::Arc;

use bytes::{Buf, Bytes};
use http::{HeaderMap, StatusCode};
use url::Url;

use super::worker::{BodyReceiver, Head, Worker, ensure_blocking_allowed};
use crate::error::{Error, Result};
use crate::response::Response as AsyncResponse;
use crate::seekable::SeekBuffer;

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
    /// What was read so far, once seekable; `buf` is then the rest of the piece at the
    /// seek buffer's position.
    seek: Option<SeekBuffer>,
    // Keeps the runtime thread alive while the body streams.
    _worker: Arc<Worker>,
}

impl Response {
    pub(crate) fn new((head, body): Head, worker: Arc<Worker>) -> Response {
        let seek = head.is_seekable().then(SeekBuffer::default);
        Response {
            head,
            body: Some(body),
            buf: Bytes::new(),
            seek,
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

    /// The next chunk from the runtime thread, `None` at the end of the body.
    fn receive(&mut self) -> Result<Option<Bytes>> {
        loop {
            let Some(rx) = &mut self.body else {
                return Ok(None);
            };
            ensure_blocking_allowed(self.head.geturl().as_str())?;
            match rx.blocking_recv() {
                Some(Ok(chunk)) if chunk.is_empty() => {}
                Some(Ok(chunk)) => return Ok(Some(chunk)),
                Some(Err(e)) => {
                    self.body = None;
                    return Err(e);
                }
                None => {
                    self.body = None;
                    if let Some(seek) = &mut self.seek {
                        seek.finish();
                    }
                    return Ok(None);
                }
            }
        }
    }

    /// The buffered bytes, fetching the next chunk when there are none; empty at the end.
    fn fill(&mut self) -> Result<&[u8]> {
        while self.buf.is_empty() {
            if let Some(piece) = self.seek.as_mut().and_then(SeekBuffer::read_buffered) {
                self.buf = piece;
                continue;
            }
            if self.seek.as_ref().is_some_and(SeekBuffer::is_complete) {
                break;
            }
            match self.receive()? {
                Some(chunk) => match &mut self.seek {
                    Some(seek) => seek.push(chunk),
                    None => self.buf = chunk,
                },
                None => break,
            }
        }
        Ok(&self.buf)
    }

    /// Makes the body seekable (mechanize's `seek_wrapper`): from here on what is read is
    /// kept, position 0 being the first byte not yet read. Responses from a
    /// `SeekableResponseOpener` are seekable already. See the async
    /// [`Response::make_seekable`](crate::Response::make_seekable).
    ///
    /// ```
    /// use std::io::SeekFrom;
    ///
    /// let mut r = mechanize::blocking::urlopen("data:,hello%20world")?;
    /// r.make_seekable();
    /// assert_eq!(r.read_n(3)?, b"hel");
    /// r.seek(SeekFrom::Start(0))?;
    /// assert_eq!(r.read_n(2)?, b"he");
    /// assert_eq!(r.tell()?, 2);
    /// assert_eq!(&r.get_data()?[..], b"hello world");
    /// r.set_data("replaced");
    /// assert_eq!(r.read_to_string()?, "replaced");
    /// # Ok::<(), mechanize::Error>(())
    /// ```
    pub fn make_seekable(&mut self) {
        if self.seek.is_none() {
            let mut seek = SeekBuffer::default();
            seek.push(std::mem::take(&mut self.buf));
            if self.body.is_none() {
                seek.finish();
            }
            self.seek = Some(seek);
        }
    }

    /// Whether the body is seekable.
    pub fn is_seekable(&self) -> bool {
        self.seek.is_some()
    }

    fn seek_buffer(&self) -> Result<&SeekBuffer> {
        self.seek.as_ref().ok_or_else(|| Error::NotSeekable {
            url: self.head.geturl().to_string(),
        })
    }

    /// The read position in a seekable body.
    pub fn tell(&self) -> Result<u64> {
        let seek = self.seek_buffer()?;
        Ok((seek.position() - self.buf.len()) as u64)
    }

    /// Reads the whole body into the seek buffer.
    fn fill_all(&mut self) -> Result<()> {
        while !self.seek_buffer()?.is_complete() {
            match self.receive()? {
                Some(chunk) => {
                    if let Some(seek) = &mut self.seek {
                        seek.push(chunk);
                    }
                }
                None => break,
            }
        }
        Ok(())
    }

    /// Moves the read position of a seekable body and returns it, as a file's `seek`:
    /// from the end reads the whole body; past the end is allowed; before the start is an
    /// error. [`Error::NotSeekable`] unless the response is seekable.
    pub fn seek(&mut self, to: SeekFrom) -> Result<u64> {
        let current = i128::from(self.tell()?);
        let target = match to {
            SeekFrom::Start(n) => i128::from(n),
            SeekFrom::Current(d) => current + i128::from(d),
            SeekFrom::End(d) => {
                self.fill_all()?;
                self.seek_buffer()?.len() as i128 + i128::from(d)
            }
        };
        let target = usize::try_from(target).map_err(|_| {
            Error::url(
                self.head.geturl().as_str(),
                format!("cannot seek to {target}: before the start of the body"),
            )
        })?;
        self.buf = Bytes::new();
        if let Some(seek) = &mut self.seek {
            seek.set_position(target);
        }
        Ok(target as u64)
    }

    /// The whole body of a seekable response, the position unchanged (mechanize's
    /// `get_data`).
    pub fn get_data(&mut self) -> Result<Bytes> {
        let here = self.tell()?;
        self.fill_all()?;
        let all = self.seek.as_mut().map(SeekBuffer::all).unwrap_or_default();
        self.seek(SeekFrom::Start(here))?;
        Ok(all)
    }

    /// Replaces the body with `data`, seekable, at position 0 (mechanize's `set_data`).
    /// The rest of the download is dropped.
    pub fn set_data(&mut self, data: impl Into<Bytes>) {
        self.body = None;
        self.buf = Bytes::new();
        self.seek = Some(SeekBuffer::complete(data.into()));
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
