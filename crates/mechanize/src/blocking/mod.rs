//! A synchronous facade over the async client, like reqwest's `blocking`: for scripts and
//! programs with no async runtime of their own.
//!
//! A blocking opener wraps an async [`OpenerDirector`](crate::OpenerDirector) and runs it on a
//! dedicated thread with a current-thread tokio runtime; requests go there over a channel and
//! the calling thread waits for the answer. Response bodies stream from that thread chunk by
//! chunk as they are read.
//!
//! Do not call the blocking API from inside an async runtime (an `async fn`, a
//! `#[tokio::main]` program, `spawn_blocking` included): every blocking call there fails with
//! an [`Error::Url`] saying so, rather than stalling or panicking. Use the
//! async API instead.
//!
//! ```
//! let mut r = mechanize::blocking::urlopen("data:,Hello%2C%20World!")?;
//! assert_eq!(r.code(), 200);
//! assert_eq!(r.read_to_string()?, "Hello, World!");
//!
//! let opener = mechanize::blocking::build_opener(vec![]);
//! let mut r = opener.open_url("data:text/plain,one%0Atwo%0A")?;
//! assert_eq!(r.readlines()?, [b"one\n".to_vec(), b"two\n".to_vec()]);
//! # Ok::<(), mechanize::Error>(())
//! ```

mod response;
mod worker;

use std::sync::{Arc, Mutex};

use crate::director::OpenerDirector as AsyncOpener;
use crate::error::{Error, Result};
use crate::handler::Handler;
use crate::opener::IntoRequest;
use crate::request::Request;

pub use response::{Lines, Response};
use worker::{Worker, ensure_blocking_allowed};

/// An [`OpenerDirector`](crate::OpenerDirector) used synchronously.
///
/// Its runtime thread starts with the first request and ends when the opener and every
/// [`Response`] it returned are dropped (a response still being read keeps it running).
/// Requests are independent tasks on that thread, so several responses can be read at once.
///
/// ```
/// use mechanize::blocking;
/// use mechanize::handlers::DataHandler;
///
/// let mut async_opener = mechanize::OpenerDirector::new();
/// async_opener.add_handler(DataHandler);
/// let opener = blocking::OpenerDirector::new(async_opener);
///
/// let mut r = opener.open(mechanize::Request::new("data:,abcdef")?)?;
/// assert_eq!(r.read_n(4)?, b"abcd");
/// assert_eq!(r.read()?, b"ef");
/// drop((r, opener)); // the runtime thread ends here
/// # Ok::<(), mechanize::Error>(())
/// ```
#[derive(Debug)]
pub struct OpenerDirector {
    opener: Arc<AsyncOpener>,
    worker: Mutex<Option<Arc<Worker>>>,
}

impl OpenerDirector {
    /// A blocking opener running `opener`. No thread starts until the first request.
    pub fn new(opener: AsyncOpener) -> OpenerDirector {
        OpenerDirector {
            opener: Arc::new(opener),
            worker: Mutex::new(None),
        }
    }

    /// The async opener inside.
    pub fn get_ref(&self) -> &AsyncOpener {
        &self.opener
    }

    /// The runtime thread, started on first use (and again after a failed start).
    fn worker(&self, url: &str) -> Result<Arc<Worker>> {
        let mut slot = self.worker.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(worker) = &*slot {
            return Ok(Arc::clone(worker));
        }
        let worker = Arc::new(Worker::start().map_err(|e| Error::Url {
            url: url.to_owned(),
            reason: "cannot start the blocking runtime thread".to_owned(),
            source: Some(Box::new(e)),
        })?);
        *slot = Some(Arc::clone(&worker));
        Ok(worker)
    }

    /// Runs `request` through the chain and waits for the response's head; the body is read
    /// from the returned [`Response`].
    pub fn open(&self, request: Request) -> Result<Response> {
        ensure_blocking_allowed(request.full_url())?;
        let worker = self.worker(request.full_url())?;
        let head = worker.open(Some(Arc::clone(&self.opener)), request)?;
        Ok(Response::new(head, worker))
    }

    /// Opens `url` with a plain `GET` request.
    pub fn open_url(&self, url: &str) -> Result<Response> {
        self.open(Request::new(url)?)
    }
}

impl From<AsyncOpener> for OpenerDirector {
    fn from(opener: AsyncOpener) -> OpenerDirector {
        OpenerDirector::new(opener)
    }
}

/// A blocking opener with the default handlers plus `handlers`: the blocking form of
/// [`crate::build_opener`], with the same defaults and replacement rules.
///
/// ```
/// use std::sync::Arc;
/// use cookiejar::CookieJar;
/// use mechanize::processors::HTTPCookieProcessor;
///
/// let jar = Arc::new(CookieJar::new());
/// let opener = mechanize::blocking::build_opener(vec![Arc::new(HTTPCookieProcessor::new(jar))]);
/// let mut r = opener.open_url("data:,hi")?;
/// assert_eq!(r.read()?, b"hi");
/// # Ok::<(), mechanize::Error>(())
/// ```
pub fn build_opener(handlers: Vec<Arc<dyn Handler>>) -> OpenerDirector {
    OpenerDirector::new(crate::opener::build_opener(handlers))
}

/// Opens a URL or a [`Request`] with the installed opener (see [`crate::install_opener`]),
/// or the default one: the blocking form of [`crate::urlopen`].
///
/// Each call runs on a runtime thread of its own, which ends when the returned
/// [`Response`] is dropped. To reuse connections across requests, keep a blocking
/// [`OpenerDirector`] instead.
///
/// ```
/// let mut r = mechanize::blocking::urlopen("data:,one%20liner")?;
/// assert_eq!(r.read_to_string()?, "one liner");
/// # Ok::<(), mechanize::Error>(())
/// ```
pub fn urlopen(request: impl IntoRequest) -> Result<Response> {
    let request = request.into_request()?;
    ensure_blocking_allowed(request.full_url())?;
    let worker = Arc::new(Worker::start().map_err(|e| Error::Url {
        url: request.full_url().to_owned(),
        reason: "cannot start the blocking runtime thread".to_owned(),
        source: Some(Box::new(e)),
    })?);
    let head = worker.open(None, request)?;
    Ok(Response::new(head, worker))
}
