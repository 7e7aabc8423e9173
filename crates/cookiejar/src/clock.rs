//! Where the jar's "now" comes from: the system clock, or one a test or conformance run pins.
//! Times are whole seconds since the Unix epoch, as cookielib uses them.

use std::fmt::Debug;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// A source of the current time in seconds since the Unix epoch.
///
/// ```
/// use cookiejar::{Clock, FixedClock};
/// let clock = FixedClock::new(1_000);
/// assert_eq!(clock.now(), 1_000);
/// clock.advance(5);
/// assert_eq!(clock.now(), 1_005);
/// clock.set(42);
/// assert_eq!(clock.now(), 42);
/// assert!(cookiejar::SystemClock.now() > 1_700_000_000);
/// ```
pub trait Clock: Send + Sync + Debug {
    /// The current time in whole seconds since the epoch.
    fn now(&self) -> i64;
}

/// The real clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> i64 {
        match SystemTime::now().duration_since(UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
            Err(e) => -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX),
        }
    }
}

/// A clock that stays where it is set: for tests and reproducible conformance runs.
#[derive(Debug, Default)]
pub struct FixedClock(AtomicI64);

impl FixedClock {
    /// A clock pinned at `now`.
    pub fn new(now: i64) -> FixedClock {
        FixedClock(AtomicI64::new(now))
    }

    /// Moves the clock to `now`.
    pub fn set(&self, now: i64) {
        self.0.store(now, Ordering::Relaxed);
    }

    /// Moves the clock forward by `secs`.
    pub fn advance(&self, secs: i64) {
        self.0.fetch_add(secs, Ordering::Relaxed);
    }
}

impl Clock for FixedClock {
    fn now(&self) -> i64 {
        self.0.load(Ordering::Relaxed)
    }
}

impl<C: Clock + ?Sized> Clock for std::sync::Arc<C> {
    fn now(&self) -> i64 {
        (**self).now()
    }
}
