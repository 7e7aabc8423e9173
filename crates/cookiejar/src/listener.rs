//! What the jar tells an observer about changes to its contents, so that a persistent store
//! (the SQLite jar) can follow every change as it happens, one batch per jar operation.

use std::fmt::Debug;

use crate::cookie::Cookie;

/// One change to a jar's contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A cookie was stored: new, or replacing the one with the same domain, path and name.
    Stored(Cookie),
    /// The cookie with this domain, path and name was removed.
    Removed {
        /// The cookie's domain key.
        domain: String,
        /// The cookie's path.
        path: String,
        /// The cookie's name.
        name: String,
    },
    /// Every cookie was removed.
    Cleared,
}

/// Receives a jar's changes: after each operation that changed the jar, one call with every
/// change of that operation, in order, while the jar's lock is held (so batches arrive in the
/// order the changes happened). Last-access times are not reported.
///
/// ```
/// use std::sync::{Arc, Mutex};
/// use cookiejar::{Change, ChangeListener, Cookie, CookieJar};
///
/// #[derive(Debug, Default)]
/// struct Log(Mutex<Vec<usize>>);
/// impl ChangeListener for Log {
///     fn changes(&self, batch: &[Change]) {
///         self.0.lock().unwrap().push(batch.len());
///     }
/// }
///
/// let log = Arc::new(Log::default());
/// let jar = CookieJar::new().with_listener(log.clone());
/// jar.set_cookie(Cookie::new("a", "1", ".example.com", "/"));
/// jar.clear();
/// assert_eq!(*log.0.lock().unwrap(), [1, 1]);
/// ```
pub trait ChangeListener: Send + Sync + Debug {
    /// The changes one jar operation made.
    fn changes(&self, batch: &[Change]);
}
