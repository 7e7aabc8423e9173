//! `FileHandler`: `file:` URLs on this machine, read without any network; a missing or
//! unreadable file is urllib2's `URLError`, with the I/O error as its source.

use http::header::{CONTENT_LENGTH, CONTENT_TYPE, HeaderValue, LAST_MODIFIED};
use http::{HeaderMap, StatusCode};

use crate::director::OpenerDirector;
use crate::error::{Error, Result};
use crate::handler::{BoxFuture, Handler, OpenHandler, Schemes};
use crate::request::Request;
use crate::response::Response;

/// Opens `file:` URLs of this machine (host empty or `localhost`), as urllib2's
/// `FileHandler`: the body is the file, with `Content-Type` guessed from the extension,
/// `Content-Length` and `Last-Modified`.
///
/// ```
/// use mechanize::{OpenerDirector, Request};
/// use mechanize::handlers::FileHandler;
///
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("hello.txt");
/// std::fs::write(&path, "hello").unwrap();
/// let mut opener = OpenerDirector::new();
/// opener.add_handler(FileHandler);
/// let url = url::Url::from_file_path(&path).unwrap();
/// let mut r = opener.open(Request::new(url.as_str())?).await?;
/// assert_eq!(r.info()["content-type"], "text/plain");
/// assert_eq!(r.text().await?, "hello");
/// # Ok::<(), mechanize::Error>(())
/// # }).unwrap();
/// ```
#[derive(Debug, Default, Clone, Copy)]
pub struct FileHandler;

impl Handler for FileHandler {
    fn role(&self) -> Option<&'static str> {
        Some("file")
    }
    fn open_handler(&self) -> Option<&dyn OpenHandler> {
        Some(self)
    }
}

impl OpenHandler for FileHandler {
    fn schemes(&self) -> Schemes {
        Schemes::Only(&["file"])
    }

    fn open<'a>(
        &'a self,
        request: &'a Request,
        _: &'a OpenerDirector,
    ) -> BoxFuture<'a, Result<Option<Response>>> {
        Box::pin(async move { open_file(request).await.map(Some) })
    }
}

/// A few common types by extension; anything else is `application/octet-stream`.
fn guess_type(path: &std::path::Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("html" | "htm") => "text/html",
        Some("txt") => "text/plain",
        Some("css") => "text/css",
        Some("js") => "text/javascript",
        Some("json") => "application/json",
        Some("xml") => "application/xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("svg") => "image/svg+xml",
        Some("pdf") => "application/pdf",
        _ => "application/octet-stream",
    }
}

async fn open_file(request: &Request) -> Result<Response> {
    let url = request.url();
    let full = request.full_url();
    match url.host_str() {
        None | Some("") | Some("localhost") => {}
        Some(host) => return Err(Error::url(full, format!("file not on local host: {host}"))),
    }
    let path = url
        .to_file_path()
        .map_err(|()| Error::url(full, "not a local file path"))?;
    let io = |e: std::io::Error| Error::Url {
        url: full.to_owned(),
        reason: e.to_string(),
        source: Some(Box::new(e)),
    };
    let meta = tokio::fs::metadata(&path).await.map_err(io)?;
    let body = tokio::fs::read(&path).await.map_err(io)?;
    let mut headers = HeaderMap::new();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(guess_type(&path)));
    headers.insert(CONTENT_LENGTH, HeaderValue::from(body.len()));
    if let Some(secs) = meta
        .modified()
        .ok()
        .and_then(|m| m.duration_since(std::time::UNIX_EPOCH).ok())
        .and_then(|d| i64::try_from(d.as_secs()).ok())
    {
        if let Ok(v) = HeaderValue::try_from(cookiejar::dates::time2http(secs)) {
            headers.insert(LAST_MODIFIED, v);
        }
    }
    Ok(Response::new(url.clone(), StatusCode::OK, "OK")
        .with_headers(headers)
        .with_body(body))
}
