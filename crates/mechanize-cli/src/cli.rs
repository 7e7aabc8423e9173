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
    /// Where to start (http or https).
    pub url: String,
    /// The deepest links followed from the start URL (0: the start URL only).
    #[arg(long, default_value_t = 3)]
    pub depth: usize,
    /// The most URLs tried (each prints one line).
    #[arg(long, default_value_t = 100)]
    pub max_pages: usize,
    /// The most requests in flight to one host.
    #[arg(long, default_value_t = 1)]
    pub per_host: usize,
    /// The most requests in flight overall.
    #[arg(long, default_value_t = 8)]
    pub jobs: usize,
    /// Follow links to other hosts too (only the start URL's host and port otherwise).
    #[arg(long)]
    pub all_hosts: bool,
    /// The User-Agent sent; robots.txt rules are matched against its product token.
    #[arg(long)]
    pub user_agent: Option<String>,
    /// Seconds allowed for each request (0: no limit).
    #[arg(long, default_value = "30", value_parser = crate::crawl::parse_seconds)]
    pub timeout: std::time::Duration,
    /// The least seconds between two requests to one host, over robots.txt's Crawl-delay.
    #[arg(long, default_value = "0", value_parser = crate::crawl::parse_seconds)]
    pub min_delay: std::time::Duration,
    /// A SQLite cookie jar kept across runs (created if missing); crawl state goes to
    /// PATH.crawl beside it.
    #[arg(long, value_name = "PATH")]
    pub cookie_jar: Option<PathBuf>,
    /// Skip the URLs an earlier run with the same --cookie-jar crawled, and crawl what it
    /// left queued.
    #[arg(long, requires = "cookie_jar")]
    pub resume: bool,
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
pub struct DemoArgs {
    /// The SQLite cookie jar to use (a temporary one by default).
    #[arg(long, value_name = "PATH")]
    pub cookie_jar: Option<PathBuf>,
}
