//! mechanize-rs's client: Python's urllib2 and mechanize in Rust.
//!
//! The client is being built in steps. This release has [`Request`], the request a user hands
//! to an opener; the opener, handlers and processors come next (see the project's issues).

mod error;
mod request;

pub use error::{Error, Result};
pub use request::Request;
