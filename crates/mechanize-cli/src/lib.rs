//! The `mechanize` command's subcommands, as a library so that they can be tested in-process:
//! `get`, `crawl`, `cookies` and `demo`, over the mechanize client and cookie engine.

pub mod cli;
pub mod cookies;
pub mod crawl;
pub mod demo;
pub mod error;
pub mod get;
pub mod jarfile;

pub use error::{CliError, Result};
