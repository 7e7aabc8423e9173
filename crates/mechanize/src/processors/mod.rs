//! The processors: handlers that change requests before they are opened and responses after.
//! One file each.

mod cookie;
mod http_error;
mod robots;

pub use cookie::HTTPCookieProcessor;
pub use http_error::HTTPErrorProcessor;
pub use robots::{
    HTTPRobotRulesProcessor, MAX_ROBOTS_TXT_BYTES, RefusalCause, RobotsRefusal, RobotsRule,
    RobotsTxt, RobotsVerdict,
};
