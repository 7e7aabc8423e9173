//! The runtime thread behind the blocking facade: one OS thread running a current-thread tokio
//! runtime. Requests arrive over a channel; each runs as its own task, so a response still
//! being read does not hold up the next request. The head comes back over a oneshot, the body
//! over a bounded channel of chunks, one chunk read ahead at most.

use std::sync::Arc;
use std::thread::JoinHandle;

use bytes::Bytes;
use tokio::sync::{mpsc, oneshot};

use crate::director::OpenerDirector as AsyncOpener;
use crate::error::{Error, Result};
use crate::request::Request;
use crate::response::Response as AsyncResponse;

/// What the blocking API says when it is called from inside an async runtime.
pub(crate) const IN_RUNTIME: &str =
    "the blocking API was called from inside an async runtime; use the async API";

/// Fails with [`IN_RUNTIME`] when the calling thread is inside a tokio runtime, where
/// blocking would stall (or deadlock) it and tokio's blocking receives panic.
pub(crate) fn ensure_blocking_allowed(url: &str) -> Result<()> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(Error::Url {
            url: url.to_owned(),
            reason: IN_RUNTIME.to_owned(),
            source: None,
        });
    }
    Ok(())
}

/// The body chunks of one response, as the runtime thread reads them.
pub(crate) type BodyReceiver = mpsc::Receiver<Result<Bytes>>;

/// A response's head (the async response with its body taken out) and its body channel.
pub(crate) type Head = (AsyncResponse, BodyReceiver);

/// One request for the runtime thread.
struct Job {
    /// The opener to use; `None` means `mechanize::urlopen` (the installed opener).
    opener: Option<Arc<AsyncOpener>>,
    request: Request,
    reply: oneshot::Sender<Result<Head>>,
}

impl Job {
    async fn run(self) {
        let Job {
            opener,
            request,
            reply,
        } = self;
        let result = match opener {
            Some(opener) => opener.open(request).await,
            None => crate::opener::urlopen(request).await,
        };
        let mut response = match result {
            Ok(response) => response,
            Err(e) => {
                let _ = reply.send(Err(e));
                return;
            }
        };
        let mut body = AsyncResponse::new(response.geturl().clone(), response.status(), "");
        let seekable = response.is_seekable();
        body.set_body(response.take_body());
        if seekable {
            // The head tells the blocking response to keep what it reads.
            response.make_seekable();
        }
        let (tx, rx) = mpsc::channel(1);
        if reply.send(Ok((response, rx))).is_err() {
            return; // Nobody waits for it any more.
        }
        loop {
            let chunk = tokio::select! {
                chunk = body.chunk() => chunk,
                // The blocking response was dropped: stop reading, drop the connection.
                () = tx.closed() => return,
            };
            match chunk {
                Ok(Some(chunk)) if chunk.is_empty() => {}
                Ok(Some(chunk)) => {
                    if tx.send(Ok(chunk)).await.is_err() {
                        return;
                    }
                }
                Ok(None) => return,
                Err(e) => {
                    let _ = tx.send(Err(e)).await;
                    return;
                }
            }
        }
    }
}

/// The handle on a runtime thread. Dropping the last one closes the channel; the thread then
/// leaves its loop, drops the runtime (cancelling any body still being read) and ends. The
/// drop waits for it, unless it happens inside an async runtime.
#[derive(Debug)]
pub(crate) struct Worker {
    jobs: Option<mpsc::UnboundedSender<Job>>,
    thread: Option<JoinHandle<()>>,
}

impl Worker {
    /// Starts a runtime thread.
    pub(crate) fn start() -> std::io::Result<Worker> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let (tx, mut rx) = mpsc::unbounded_channel::<Job>();
        let thread = std::thread::Builder::new()
            .name("mechanize-blocking".to_owned())
            .spawn(move || {
                runtime.block_on(async move {
                    while let Some(job) = rx.recv().await {
                        tokio::spawn(job.run());
                    }
                });
                // `runtime` drops here, cancelling what is left.
            })?;
        Ok(Worker {
            jobs: Some(tx),
            thread: Some(thread),
        })
    }

    /// Runs `request` on the runtime thread with `opener` (or `mechanize::urlopen` for
    /// `None`) and waits for its head.
    pub(crate) fn open(&self, opener: Option<Arc<AsyncOpener>>, request: Request) -> Result<Head> {
        let url = request.full_url().to_owned();
        ensure_blocking_allowed(&url)?;
        let stopped = || Error::url(url.clone(), "the blocking runtime thread has stopped");
        let (reply, answer) = oneshot::channel();
        let job = Job {
            opener,
            request,
            reply,
        };
        self.jobs
            .as_ref()
            .ok_or_else(stopped)?
            .send(job)
            .map_err(|_| stopped())?;
        answer.blocking_recv().map_err(|_| stopped())?
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        drop(self.jobs.take());
        if let Some(thread) = self.thread.take() {
            // Joining inside a runtime would block it; the thread ends on its own anyway.
            if tokio::runtime::Handle::try_current().is_err() {
                let _ = thread.join();
            }
        }
    }
}
