//! The open and error handlers: one file each. `build_opener` puts the defaults together.

mod auth;
mod connector;
mod data;
mod default_error;
mod file;
mod http;
mod proxy;
mod redirect;
mod unknown;

pub use auth::{
    HTTPBasicAuthHandler, HTTPDigestAuthHandler, HTTPPasswordMgr, HTTPPasswordMgrWithDefaultRealm,
    ProxyBasicAuthHandler, ProxyDigestAuthHandler,
};
pub use data::DataHandler;
pub use default_error::HTTPDefaultErrorHandler;
pub use file::FileHandler;
pub use http::{HTTPHandler, HTTPSHandler};
pub use proxy::ProxyHandler;
pub use redirect::HTTPRedirectHandler;
pub use unknown::UnknownHandler;
