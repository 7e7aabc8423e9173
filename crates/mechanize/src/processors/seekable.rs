//! Seekable responses on every hop: `SeekableProcessor` makes each response seekable, and
//! `SeekableResponseOpener` builds openers that have it (mechanize's `SeekableResponseOpener`).

use std::sync::Arc;

use crate::director::OpenerDirector;
use crate::error::Result;
use crate::handler::{BoxFuture, Handler, ResponseProcessor};
use crate::opener::build_opener;
use crate::request::Request;
use crate::response::Response;

/// Makes every response seekable ([`Response::make_seekable`]): `seek`, `tell`, `get_data`
/// and `set_data` then work, and the body is still read lazily. Role `"seekable"`,
/// `handler_order` 0 (before the other response processors). An [`Error::Http`] always
/// carries its whole body, so errors need nothing more.
///
/// [`Error::Http`]: crate::Error::Http
///
/// ```
/// use std::sync::Arc;
/// use mechanize::build_opener;
/// use mechanize::processors::SeekableProcessor;
///
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let opener = build_opener(vec![Arc::new(SeekableProcessor)]);
/// let mut r = opener.open_url("data:,abcdef").await?;
/// assert_eq!(r.read(3).await?, "abc");
/// assert_eq!(r.get_data().await?, "abcdef");
/// # Ok::<(), mechanize::Error>(())
/// # }).unwrap();
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct SeekableProcessor;

impl Handler for SeekableProcessor {
    fn handler_order(&self) -> i32 {
        0
    }
    fn role(&self) -> Option<&'static str> {
        Some("seekable")
    }
    fn response_processor(&self) -> Option<&dyn ResponseProcessor> {
        Some(self)
    }
}

impl ResponseProcessor for SeekableProcessor {
    fn process_response<'a>(
        &'a self,
        _: &'a Request,
        mut response: Response,
        _: &'a OpenerDirector,
    ) -> BoxFuture<'a, Result<Response>> {
        Box::pin(async move {
            response.make_seekable();
            Ok(response)
        })
    }
}

/// Openers whose responses are always seekable (mechanize's `SeekableResponseOpener`): an
/// [`OpenerDirector`] with a [`SeekableProcessor`].
///
/// ```
/// use mechanize::processors::SeekableResponseOpener;
///
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let opener = SeekableResponseOpener::build(vec![]);
/// let mut r = opener.open_url("data:,hello").await?;
/// assert!(r.is_seekable());
/// # Ok::<(), mechanize::Error>(())
/// # }).unwrap();
/// ```
#[derive(Debug, Clone, Copy)]
pub struct SeekableResponseOpener;

impl SeekableResponseOpener {
    /// An opener with no handlers but the seekable processor.
    #[allow(clippy::new_ret_no_self)]
    pub fn new() -> OpenerDirector {
        let mut opener = OpenerDirector::new();
        opener.add_handler(SeekableProcessor);
        opener
    }

    /// [`build_opener`] with `handlers`, plus the seekable processor.
    pub fn build(mut handlers: Vec<Arc<dyn Handler>>) -> OpenerDirector {
        if !handlers.iter().any(|h| h.role() == Some("seekable")) {
            handlers.push(Arc::new(SeekableProcessor));
        }
        build_opener(handlers)
    }
}
