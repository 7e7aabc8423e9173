//! The processors: handlers that change requests before they are opened and responses after.
//! One file each.

mod cookie;
mod equiv;
mod http_error;
mod response_debug;

pub use cookie::HTTPCookieProcessor;
pub use equiv::{DEFAULT_MAX_HEAD, HTTPEquivProcessor};
pub use http_error::HTTPErrorProcessor;
pub use response_debug::HTTPResponseDebugProcessor;
