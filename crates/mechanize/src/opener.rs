//! `build_opener`, `install_opener` and `urlopen`: the default chain, a process-wide opener,
//! and the one-line way to fetch a URL with it.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock, RwLock};

use http::HeaderMap;
use tokio::io::AsyncWriteExt;

use crate::director::OpenerDirector;
use crate::error::{Error, Result};
use crate::handler::Handler;
use crate::handlers::{
    DataHandler, FileHandler, HTTPDefaultErrorHandler, HTTPHandler, HTTPRedirectHandler,
    ProxyHandler, UnknownHandler,
};
use crate::processors::{HTTPCookieProcessor, HTTPErrorProcessor};
use crate::request::Request;
use crate::response::Response;

/// The default handlers, in the order `build_opener` adds them.
fn defaults() -> Vec<Arc<dyn Handler>> {
    // One client (connection pool) shared by the HTTP and HTTPS handlers.
    let http = HTTPHandler::new();
    let https = http.https();
    vec![
        Arc::new(ProxyHandler::from_env()),
        Arc::new(UnknownHandler),
        Arc::new(http),
        Arc::new(https),
        Arc::new(HTTPDefaultErrorHandler),
        Arc::new(HTTPRedirectHandler::default()),
        Arc::new(FileHandler),
        Arc::new(DataHandler),
        Arc::new(HTTPCookieProcessor::default()),
        Arc::new(HTTPErrorProcessor),
    ]
}

/// An opener with the default handlers plus `handlers` (urllib2's `build_opener`).
///
/// The defaults are `ProxyHandler` (from the environment), `UnknownHandler`, `HTTPHandler`, `HTTPSHandler`,
/// `HTTPDefaultErrorHandler`, `HTTPRedirectHandler`, `FileHandler`, `DataHandler`,
/// `HTTPCookieProcessor` (with a fresh jar) and `HTTPErrorProcessor`. A handler
/// given here whose [`role`](Handler::role) is a default's replaces that default — pass an
/// `HTTPCookieProcessor` with your own jar, for instance.
///
/// ```
/// use std::sync::Arc;
/// use cookiejar::CookieJar;
/// use mechanize::build_opener;
/// use mechanize::processors::HTTPCookieProcessor;
///
/// let jar = Arc::new(CookieJar::new());
/// let opener = build_opener(vec![Arc::new(HTTPCookieProcessor::new(jar))]);
/// let cookie_processors = opener.handlers().iter().filter(|h| h.role() == Some("cookies")).count();
/// assert_eq!(cookie_processors, 1, "ours replaced the default");
/// ```
pub fn build_opener(handlers: Vec<Arc<dyn Handler>>) -> OpenerDirector {
    let mut opener = OpenerDirector::new();
    for default in defaults() {
        let replaced = default
            .role()
            .is_some_and(|role| handlers.iter().any(|h| h.role() == Some(role)));
        if !replaced {
            opener.add_handler_arc(default);
        }
    }
    for h in handlers {
        opener.add_handler_arc(h);
    }
    opener
}

fn installed() -> &'static RwLock<Option<Arc<OpenerDirector>>> {
    static OPENER: OnceLock<RwLock<Option<Arc<OpenerDirector>>>> = OnceLock::new();
    OPENER.get_or_init(|| RwLock::new(None))
}

/// Makes `opener` the one [`urlopen`] uses, process-wide (urllib2's `install_opener`).
pub fn install_opener(opener: OpenerDirector) {
    *installed().write().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(opener));
}

/// Opens `request` with the installed opener, or with `build_opener(vec![])` when none is
/// installed (urllib2's `urlopen`). Accepts a URL or a [`Request`].
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let mut r = mechanize::urlopen("data:,one%20liner").await?;
/// assert_eq!(r.text().await?, "one liner");
/// # Ok::<(), mechanize::Error>(())
/// # }).unwrap();
/// ```
pub async fn urlopen(request: impl IntoRequest) -> Result<Response> {
    let request = request.into_request()?;
    let opener = installed()
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    match opener {
        Some(opener) => opener.open(request).await,
        None => build_opener(Vec::new()).open(request).await,
    }
}

/// What [`urlopen`] accepts: a URL or a [`Request`].
pub trait IntoRequest {
    /// The request.
    fn into_request(self) -> Result<Request>;
}

impl IntoRequest for Request {
    fn into_request(self) -> Result<Request> {
        Ok(self)
    }
}

impl IntoRequest for &str {
    fn into_request(self) -> Result<Request> {
        Request::new(self)
    }
}

impl IntoRequest for String {
    fn into_request(self) -> Result<Request> {
        Request::new(&self)
    }
}

/// Downloads `request` to `path` with the installed opener (urllib's `urlretrieve`), and
/// returns the path and the response headers.
///
/// The body goes to a temporary file in the same folder, which is synced and renamed over
/// `path` only when the whole body has arrived: a failed or short download (fewer bytes than
/// `Content-Length`, urllib's `ContentTooShortError`) leaves an existing file untouched.
/// `progress` is called after every chunk with the bytes received so far and the
/// `Content-Length`, if the server sent one.
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let dir = tempfile::tempdir().unwrap();
/// let target = dir.path().join("note.txt");
/// let mut seen = 0;
/// let (path, headers) = mechanize::urlretrieve("data:,saved%20to%20disk", &target, |got, _| seen = got).await?;
/// assert_eq!(std::fs::read_to_string(path).unwrap(), "saved to disk");
/// assert_eq!(headers["content-length"], "13");
/// assert_eq!(seen, 13);
/// # Ok::<(), mechanize::Error>(())
/// # }).unwrap();
/// ```
pub async fn urlretrieve(
    request: impl IntoRequest,
    path: impl AsRef<Path>,
    mut progress: impl FnMut(u64, Option<u64>),
) -> Result<(PathBuf, HeaderMap)> {
    let request = request.into_request()?;
    let url = request.full_url().to_owned();
    let path = path.as_ref().to_path_buf();
    let mut response = urlopen(request).await?;
    let total = response
        .info()
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let io = |what: &str, e: std::io::Error| Error::Url {
        url: url.clone(),
        reason: format!("{what} {}: {e}", path.display()),
        source: Some(Box::new(e)),
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let temp = tempfile::Builder::new()
        .prefix(".mechanize-")
        .suffix(".part")
        .tempfile_in(&dir)
        .map_err(|e| io("cannot create a temporary file for", e))?
        .into_temp_path();
    let mut file = tokio::fs::OpenOptions::new()
        .write(true)
        .open(&temp)
        .await
        .map_err(|e| io("cannot open the temporary file for", e))?;
    let mut got: u64 = 0;
    while let Some(chunk) = response.chunk().await? {
        file.write_all(&chunk)
            .await
            .map_err(|e| io("cannot write", e))?;
        got += chunk.len() as u64;
        progress(got, total);
    }
    if let Some(total) = total.filter(|t| got < *t) {
        return Err(Error::url(
            url,
            format!("retrieval incomplete: got only {got} out of {total} bytes"),
        ));
    }
    file.flush().await.map_err(|e| io("cannot write", e))?;
    file.sync_all().await.map_err(|e| io("cannot sync", e))?;
    drop(file);
    temp.persist(&path)
        .map_err(|e| io("cannot rename into", e.error))?;
    Ok((path, response.info().clone()))
}
