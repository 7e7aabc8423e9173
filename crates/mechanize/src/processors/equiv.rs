//! `HTTPEquivProcessor`: adds the `<meta http-equiv>` pragmas of an HTML page's head to its
//! response headers, reading no more of the body than the head, and leaving it all readable.

mod head;

use std::future::Future;
use std::io::SeekFrom;
use std::task::Poll;

use bytes::{Bytes, BytesMut};
use http::{HeaderName, HeaderValue};

use crate::director::OpenerDirector;
use crate::error::Result;
use crate::handler::{BoxFuture, Handler, ResponseProcessor, Schemes};
use crate::request::Request;
use crate::response::Response;

/// The most of a body read for its head by default: 1 MiB.
pub const DEFAULT_MAX_HEAD: usize = 1 << 20;

/// While data keeps coming, the head is scanned when the prefix reaches 4 KiB, then 16 KiB,
/// and so on (×4): most heads end within the first step.
const FIRST_STEP: usize = 4 << 10;

/// When the network has nothing more ready, the bytes after the scanner's checkpoint are
/// scanned again if they are at most this many, or if a `>` came since the last scan.
const CHEAP_RESCAN: usize = 64 << 10;

/// Appends the `<meta http-equiv="…" content="…">` pragmas of HTML pages to their headers,
/// as mechanize's `HTTPEquivProcessor` (`handler_order` 300, as mechanize's: before the
/// cookie processor at 500, so a `Set-Cookie` pragma reaches the jar, and before the
/// processors that read `Refresh`).
///
/// It processes `http` and `https` responses whose `Content-Type` is `text/html` or
/// `application/xhtml+xml`, or, without a `Content-Type`, whose URL path ends in `.html`,
/// `.htm` or `.xhtml`. It reads the document's head only, with html5ever's tokenizer:
///
/// * the head ends at `</head>`, `<body>`, any start tag that cannot be in a head (all but
///   `html`, `head`, `meta`, `title`, `link`, `style`, `script`, `base`, `noscript` and
///   `template`), or text other than whitespace outside `title`, `style` and `script`;
/// * comments and the contents of `title`, `style`, `script` and `template` are skipped (a
///   `<meta>` written in a script or a comment does not count); `noscript` is read as a
///   browser without scripts reads it, so its metas count;
/// * attribute values may be quoted either way or not at all, and character references in
///   them are decoded;
/// * the body is read as it arrives and scanned whenever the network has nothing more
///   ready (a server that sends the head and then pauses is not waited for) and, while
///   data keeps coming, when 4 KiB, 16 KiB and so on (×4) have come; reading stops as soon
///   as the head has ended, and never goes past [`max_head`](Self::max_head) bytes (default
///   [`DEFAULT_MAX_HEAD`], 1 MiB): a 10 MB page costs what its head costs. The pragmas seen
///   within the limit are kept. Each scan starts again from the last point between tags,
///   not from the start of the page.
///
/// Each pragma is appended (never replacing a header the server sent); a name that is not
/// a valid header name or a value that is not ASCII without control characters (tabs
/// aside) is skipped, with a DEBUG event.
/// The body is left whole: what was read is kept in front of the rest, and the response
/// stays as seekable (or not) as it came. An error reading the head is returned (the body
/// could not have been read in full anyway).
///
/// ```
/// use mechanize::handler::ResponseProcessor;
/// use mechanize::processors::HTTPEquivProcessor;
/// use mechanize::{OpenerDirector, Request, Response};
///
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let page = "<html><head><meta http-equiv=\"Refresh\" content=\"0; url=/next\"></head><body>Hi</body></html>";
/// let request = Request::new("http://example.com/")?;
/// let mut response = Response::new(request.full_url().parse().unwrap(), http::StatusCode::OK, "OK")
///     .with_body(page);
/// response.headers_mut().insert("content-type", "text/html; charset=utf-8".parse().unwrap());
///
/// let processor = HTTPEquivProcessor::new();
/// let mut response = processor.process_response(&request, response, &OpenerDirector::new()).await?;
/// assert_eq!(response.info()["refresh"], "0; url=/next");
/// assert_eq!(response.text().await?, page, "the body is all there");
/// # Ok::<(), mechanize::Error>(())
/// # }).unwrap();
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HTTPEquivProcessor {
    max_head: usize,
}

impl Default for HTTPEquivProcessor {
    fn default() -> Self {
        HTTPEquivProcessor::new()
    }
}

impl HTTPEquivProcessor {
    /// A processor reading at most [`DEFAULT_MAX_HEAD`] bytes of a page for its head.
    pub fn new() -> HTTPEquivProcessor {
        HTTPEquivProcessor {
            max_head: DEFAULT_MAX_HEAD,
        }
    }

    /// The same, reading at most `bytes` of a page for its head (at least 1).
    pub fn with_max_head(self, bytes: usize) -> HTTPEquivProcessor {
        HTTPEquivProcessor {
            max_head: bytes.max(1),
        }
    }

    /// The most of a body read for its head.
    pub fn max_head(&self) -> usize {
        self.max_head
    }

    /// The head's pragmas, reading the body until the head ends, the body ends or
    /// `max_head` bytes have been read (then back to where it was).
    async fn pragmas(&self, response: &mut Response) -> Result<Vec<(String, String)>> {
        response.make_seekable();
        let start = response.tell()?;
        let mut prefix = BytesMut::new();
        let mut scanner = head::HeadScanner::default();
        // The prefix's length at the last scan, and the next length that calls for one.
        let (mut scanned, mut next_step) = (0, FIRST_STEP);
        let why = loop {
            let chunk = match ready_chunk(response).await {
                Poll::Ready(chunk) => chunk?,
                Poll::Pending => {
                    // Nothing more has arrived: scan what is there before waiting, if
                    // what came since can matter (a construct ends only at a `>`).
                    let new = prefix.get(scanned..).unwrap_or_default();
                    let tail = prefix.len() - scanner.checkpoint();
                    if !new.is_empty() && (tail <= CHEAP_RESCAN || new.contains(&b'>')) {
                        scanned = prefix.len();
                        if scanner.scan(&prefix).ended_by.is_some() {
                            break "the head ended";
                        }
                    }
                    response.chunk().await?
                }
            };
            let Some(chunk) = chunk else {
                scanner.scan(&prefix);
                break "the body ended";
            };
            let room = self.max_head - prefix.len();
            prefix.extend_from_slice(&chunk[..chunk.len().min(room)]);
            if prefix.len() >= self.max_head {
                scanner.scan(&prefix);
                break "the limit";
            }
            if prefix.len() >= next_step {
                while next_step <= prefix.len() {
                    next_step = next_step.saturating_mul(4);
                }
                scanned = prefix.len();
                if scanner.scan(&prefix).ended_by.is_some() {
                    break "the head ended";
                }
            }
        };
        response.seek(SeekFrom::Start(start)).await?;
        let scan = scanner.last();
        tracing::debug!(
            url = %response.geturl(),
            read = prefix.len(),
            stopped = why,
            ended_by = scan.ended_by.as_deref(),
            pragmas = scan.pragmas.len(),
            "scanned the head for http-equiv pragmas"
        );
        Ok(scan.pragmas.clone())
    }
}

/// The next chunk of the body if it is there without waiting.
async fn ready_chunk(response: &mut Response) -> Poll<Result<Option<Bytes>>> {
    let mut next = std::pin::pin!(response.chunk());
    // Dropping a pending `chunk()` loses nothing: it had taken nothing from the stream.
    std::future::poll_fn(|cx| Poll::Ready(next.as_mut().poll(cx))).await
}

/// Whether a response is an HTML page, as mechanize's `is_html` (with XHTML).
fn is_html(response: &Response) -> bool {
    let media_type = response
        .info()
        .get(http::header::CONTENT_TYPE)
        .map(|v| String::from_utf8_lossy(v.as_bytes()))
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        })
        .filter(|t| !t.is_empty());
    match media_type {
        Some(t) => t == "text/html" || t == "application/xhtml+xml",
        None => {
            let path = response.geturl().path().to_ascii_lowercase();
            [".html", ".htm", ".xhtml"]
                .iter()
                .any(|ext| path.ends_with(ext))
        }
    }
}

impl Handler for HTTPEquivProcessor {
    fn handler_order(&self) -> i32 {
        300
    }
    fn response_processor(&self) -> Option<&dyn ResponseProcessor> {
        Some(self)
    }
}

impl ResponseProcessor for HTTPEquivProcessor {
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
            if !is_html(&response) {
                return Ok(response);
            }
            let was_seekable = response.is_seekable();
            let pragmas = self.pragmas(&mut response).await?;
            if !was_seekable {
                // What was read goes back in front of the rest; nothing more is kept.
                let body = response.take_body();
                response.set_body(body);
            }
            for (name, value) in pragmas {
                let header = HeaderName::from_bytes(name.as_bytes());
                // As mechanize, only ASCII: the page's encoding is not known here.
                let header_value = HeaderValue::from_str(&value)
                    .ok()
                    .filter(|_| value.is_ascii());
                match (header, header_value) {
                    (Ok(header), Some(header_value)) => {
                        response.headers_mut().append(header, header_value);
                    }
                    _ => tracing::debug!(
                        url = %response.geturl(),
                        name,
                        value,
                        "skipped an http-equiv pragma that is not a valid header"
                    ),
                }
            }
            Ok(response)
        })
    }
}
