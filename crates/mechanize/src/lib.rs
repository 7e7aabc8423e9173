//! mechanize-rs's client: Python's urllib2 and mechanize in Rust.
//!
//! A [`Request`] goes to an [`OpenerDirector`], which runs it through a chain of
//! [`Handler`](handler::Handler)s: request processors, the open handler for its scheme,
//! response processors, and error handlers. [`build_opener`] assembles the defaults,
//! [`urlopen`] uses the installed opener.
//!
//! [`UserAgent`] is an opener with mechanize's switches. The [`handlers`]: HTTP and HTTPS
//! (hyper with rustls, HTTP/2 by ALPN, pooled connections, timeouts, gzip/deflate/br/zstd),
//! proxies (environment or explicit, `CONNECT` for HTTPS), redirects, Basic and Digest
//! authentication, error handling, `data:` and `file:` URLs. The [`processors`]: cookies,
//! Referer, HTTP-EQUIV, Refresh, robots.txt, redirect and response debugging, seekable
//! responses. Also [`urlretrieve`] and the [`blocking`] facade. The guide is
//! `docs/processors.md`.

pub mod blocking;
mod director;
mod error;
pub mod handler;
pub mod handlers;
mod opener;
pub mod processors;
mod request;
mod response;
mod seekable;
mod useragent;

pub use director::{OpenerDirector, USER_AGENT};
pub use error::{Error, HttpError, Result};
pub use opener::{IntoRequest, build_opener, install_opener, urlopen, urlretrieve};
pub use request::Request;
pub use response::{Body, BodyStream, Response};
pub use useragent::UserAgent;

/// The guide's code blocks (`docs/processors.md`), compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/processors.md")]
pub struct GuideDoctests;

/// The tour's code blocks (`docs/guide.md`: the seed documents' examples in Rust), compiled
/// and run (where they need no network) as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/guide.md")]
pub struct TourDoctests;

/// The README's code blocks, compiled (and run where they need no network) as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeDoctests;
