//! The cookie engine of mechanize-rs: Python cookielib's `CookieJar` and policies, in Rust.
//!
//! Placeholder while the modules land.
pub mod dates;
