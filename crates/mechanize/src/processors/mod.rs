//! The processors: handlers that change requests before they are opened and responses after.
//! One file each.

mod cookie;
mod equiv;
mod http_error;
mod redirect_debug;
mod referer;
mod refresh;
mod response_debug;
mod robots;
mod seekable;

pub use cookie::HTTPCookieProcessor;
pub use equiv::{DEFAULT_MAX_HEAD, HTTPEquivProcessor};
pub use http_error::HTTPErrorProcessor;
pub use redirect_debug::HTTPRedirectDebugProcessor;
pub use referer::HTTPRefererProcessor;
pub use refresh::{HTTPRefreshProcessor, RefreshHeader};
pub use response_debug::HTTPResponseDebugProcessor;
pub use robots::{
    HTTPRobotRulesProcessor, MAX_ROBOTS_TXT_BYTES, RefusalCause, RobotsRefusal, RobotsRule,
    RobotsTxt, RobotsVerdict,
};
pub use seekable::{SeekableProcessor, SeekableResponseOpener};
