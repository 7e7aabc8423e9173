//! The command line: subcommands and their options (clap).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Fetch pages, crawl sites politely and manage cookie jars, with mechanize-rs.
#[derive(Debug, Parser)]
#[command(name = "mechanize", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fetch a URL through the full processor stack.
    Get(GetArgs),
    /// Crawl a site politely: robots.txt obeyed, Crawl-delay honoured, one JSON line per page.
    Crawl(CrawlArgs),
    /// Show, convert or import cookie jars.
    #[command(subcommand)]
    Cookies(CookiesCommand),
    /// Start an embedded demo site on 127.0.0.1 and crawl it, showing each processor at work.
    Demo(DemoArgs),
}

/// Options of `mechanize get`.
#[derive(Debug, Args)]
pub struct GetArgs {
    /// The URL to fetch.
    pub url: String,
}

/// Options of `mechanize crawl`.
#[derive(Debug, Args)]
pub struct CrawlArgs {
    /// Where to start.
    pub url: String,
}

/// `mechanize cookies ...`.
#[derive(Debug, Subcommand)]
pub enum CookiesCommand {
    /// List the cookies of a jar.
    List {
        /// The jar (`.txt` Mozilla/curl, `.lwp` Set-Cookie3, `.sqlite`).
        jar: PathBuf,
    },
}

/// Options of `mechanize demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {}
