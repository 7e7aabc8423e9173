//! The command line: subcommands and their options (clap).

use std::path::PathBuf;
use std::time::Duration;

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
///
/// Defaults: robots.txt obeyed and HTTP-EQUIV read (mechanize's `UserAgent`); `Refresh` not
/// followed unless `--refresh` (as curl and wget); redirects followed; body to stdout.
#[derive(Debug, Args)]
#[command(after_help = "\
Exit status: 0 on success, 22 for an HTTP error status or a robots.txt refusal (curl --fail's \
code; no body is printed), 2 for a usage error, 1 for any other error (connection refused, \
timeout, cookie file). Errors are one line on stderr.

Examples:
  mechanize get https://example.com/
  mechanize get -c cookies.txt -d user=me -d password=secret https://example.com/login
  mechanize get -o page.html -A 'my-bot/1.0' -H 'Accept-Language: fr' https://example.com/")]
pub struct GetArgs {
    /// The URL to fetch (http, https, file or data).
    pub url: String,

    /// Write the body to FILE instead of stdout: into a temporary file renamed over FILE only
    /// once the whole body has arrived (a progress bar shows on a terminal).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Cookie jar file, loaded before the request and saved (atomically) after it, even when
    /// the request fails. Format by extension: .txt (Mozilla/curl cookies.txt), .lwp
    /// (Set-Cookie3), .sqlite (SQLite, written through). A missing file is created. Session
    /// cookies are saved too, as curl -c does.
    #[arg(short = 'c', long = "cookie-jar", value_name = "FILE")]
    pub cookie_jar: Option<PathBuf>,

    /// Obey robots.txt (the default, as mechanize's UserAgent): a refused URL is an error.
    #[arg(long = "robots", overrides_with = "no_robots")]
    pub robots: bool,

    /// Ignore robots.txt.
    #[arg(long = "no-robots", overrides_with = "robots")]
    pub no_robots: bool,

    /// Send this Referer. `URL;auto` (or `;auto`) also sends the previous URL as Referer on
    /// each redirect and refresh, as curl's --referer does.
    #[arg(short = 'e', long = "referer", value_name = "URL")]
    pub referer: Option<String>,

    /// Read <meta http-equiv> headers of HTML pages into the response (the default).
    #[arg(long = "equiv", overrides_with = "no_equiv")]
    pub equiv: bool,

    /// Do not read <meta http-equiv> headers.
    #[arg(long = "no-equiv", overrides_with = "equiv")]
    pub no_equiv: bool,

    /// Follow Refresh headers (real and HTTP-EQUIV ones), waiting their pause. With =MAX, only
    /// those whose pause is at most MAX seconds. Off by default, as in curl and wget.
    #[arg(
        long = "refresh",
        value_name = "MAX",
        num_args = 0..=1,
        require_equals = true,
        value_parser = seconds
    )]
    pub refresh: Option<Option<Duration>>,

    /// Log each redirect and refresh to stderr.
    #[arg(long = "debug-redirects")]
    pub debug_redirects: bool,

    /// Log each response body (every hop's) to stderr.
    #[arg(long = "debug-responses")]
    pub debug_responses: bool,

    /// Show request and response headers on stderr, as curl -v.
    #[arg(short = 'v', long = "verbose")]
    pub verbose: bool,

    /// The User-Agent to send (robots.txt is matched against it too).
    #[arg(short = 'A', long = "user-agent", value_name = "NAME")]
    pub user_agent: Option<String>,

    /// An extra request header, `Name: value` (repeatable).
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE", value_parser = header)]
    pub headers: Vec<(String, String)>,

    /// POST this form data (application/x-www-form-urlencoded, as given, not encoded);
    /// repeated, the parts are joined with `&`; `@FILE` reads it from FILE (line breaks
    /// removed), as curl -d does.
    #[arg(short = 'd', long = "data", value_name = "DATA")]
    pub data: Vec<String>,

    /// Use this HTTP proxy for http and https URLs (instead of http_proxy, https_proxy,
    /// all_proxy and no_proxy from the environment).
    #[arg(short = 'x', long = "proxy", value_name = "URL")]
    pub proxy: Option<String>,

    /// Give up after SECS seconds (connecting, robots.txt and the whole body each count
    /// against it). No limit by default.
    #[arg(short = 'm', long = "timeout", value_name = "SECS", value_parser = seconds)]
    pub timeout: Option<Duration>,
}

impl GetArgs {
    /// Whether robots.txt is obeyed (`--no-robots` turns it off).
    pub fn obey_robots(&self) -> bool {
        !self.no_robots
    }

    /// Whether HTTP-EQUIV is read (`--no-equiv` turns it off).
    pub fn read_equiv(&self) -> bool {
        !self.no_equiv
    }
}

/// Parses a number of seconds (`2`, `0.5`).
fn seconds(text: &str) -> Result<Duration, String> {
    let secs: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("{text:?} is not a number of seconds"))?;
    Duration::try_from_secs_f64(secs).map_err(|_| format!("{text:?} is not a number of seconds"))
}

/// Parses `Name: value`.
fn header(text: &str) -> Result<(String, String), String> {
    let (name, value) = text
        .split_once(':')
        .ok_or_else(|| format!("{text:?} is not a header: expected `Name: value`"))?;
    let name = name.trim();
    if name.is_empty() || http::HeaderName::try_from(name).is_err() {
        return Err(format!("{name:?} is not a valid header name"));
    }
    let value = value.trim();
    if http::HeaderValue::try_from(value).is_err() {
        return Err(format!("the value of header {name} is not valid"));
    }
    Ok((name.to_owned(), value.to_owned()))
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
    /// A cookie jar kept across runs, created if missing: `.sqlite` (written as the crawl
    /// goes), `.txt` (Mozilla/curl) or `.lwp`; crawl state goes to PATH.crawl beside it.
    #[arg(long, value_name = "PATH")]
    pub cookie_jar: Option<PathBuf>,
    /// Skip the URLs an earlier run with the same --cookie-jar crawled, and crawl what it
    /// left queued.
    #[arg(long, requires = "cookie_jar")]
    pub resume: bool,
}

/// `mechanize cookies ...`. Cookie files are typed by extension: `.txt` (Mozilla/curl
/// cookies.txt), `.lwp` (libwww-perl Set-Cookie3), `.sqlite` (mechanize-rs's SQLite jar).
#[derive(Debug, Subcommand)]
pub enum CookiesCommand {
    /// List the cookies of a jar: domain, path, name, value, expiry, secure, HttpOnly.
    List {
        /// The jar (`.txt` Mozilla/curl, `.lwp` Set-Cookie3, `.sqlite`).
        jar: PathBuf,
    },
    /// Convert a jar to another format (formats from the extensions), e.g. a curl
    /// cookies.txt to .sqlite. OUT is replaced atomically; expired cookies are left out,
    /// session cookies kept.
    Convert {
        /// The jar to read.
        input: PathBuf,
        /// The jar to write (replaced if it exists).
        output: PathBuf,
    },
    /// Import a Firefox profile's cookies.sqlite into a jar (`.txt`, `.lwp` or `.sqlite`).
    /// Reads a copy when Firefox has the database locked; cookies of containers and private
    /// windows are skipped.
    Import {
        /// Firefox's cookies.sqlite (e.g. ~/.mozilla/firefox/PROFILE/cookies.sqlite).
        firefox: PathBuf,
        /// The jar to write (replaced if it exists).
        output: PathBuf,
    },
}

/// Options of `mechanize demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// The SQLite cookie jar to use (a temporary one by default).
    #[arg(long, value_name = "PATH")]
    pub cookie_jar: Option<PathBuf>,
}
