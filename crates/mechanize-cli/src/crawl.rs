//! `mechanize crawl`: a polite crawler (robots.txt, Crawl-delay, per-host limit, depth and
//! page limits) printing one JSON line per URL tried, resumable with a SQLite cookie jar.

pub mod engine;
pub mod links;
pub mod record;
pub mod state;
pub mod trace;

use std::io::Write;
use std::time::Duration;

use url::Url;

pub use engine::{CrawlOptions, crawl};
pub use record::{Hop, PageRecord, RobotsVerdict, Summary};

use crate::cli::CrawlArgs;
use crate::error::{CliError, Result};
use crate::jarfile::{JarFile, Missing};

/// Parses a number of seconds (`2`, `0.5`) for the command line.
pub fn parse_seconds(value: &str) -> std::result::Result<Duration, String> {
    let seconds: f64 = value
        .trim()
        .parse()
        .map_err(|_| format!("{value:?} is not a number of seconds"))?;
    Duration::try_from_secs_f64(seconds).map_err(|_| format!("{value:?} is not a usable duration"))
}

/// The options of `mechanize crawl` as [`CrawlOptions`] (without the jar and resume state).
pub fn options(args: &CrawlArgs) -> Result<CrawlOptions> {
    let start = Url::parse(&args.url)
        .map_err(|e| CliError::Usage(format!("{}: not a URL: {e}", args.url)))?;
    if !matches!(start.scheme(), "http" | "https") {
        return Err(CliError::Usage(format!(
            "{}: only http and https URLs can be crawled",
            args.url
        )));
    }
    let mut options = CrawlOptions::new(start);
    options.max_depth = args.depth;
    options.max_pages = args.max_pages;
    options.per_host = args.per_host;
    options.jobs = args.jobs;
    options.all_hosts = args.all_hosts;
    if let Some(agent) = &args.user_agent {
        options.user_agent = agent.clone();
    }
    options.timeout = (!args.timeout.is_zero()).then_some(args.timeout);
    options.min_delay = args.min_delay;
    Ok(options)
}

/// How many records go by between two saves of the cookie jar.
const SAVE_EVERY: usize = 20;

/// Runs `mechanize crawl`.
pub async fn run(args: CrawlArgs) -> Result<()> {
    let mut options = options(&args)?;
    let jar = match &args.cookie_jar {
        Some(path) => Some(JarFile::load(path, Missing::Create)?),
        None if args.resume => {
            return Err(CliError::Usage("--resume needs --cookie-jar".into()));
        }
        None => None,
    };
    let mut state_file = None;
    if let (Some(jar), Some(path)) = (&jar, &args.cookie_jar) {
        options.jar = jar.jar();
        let state_path = state::path_for(path);
        if args.resume {
            let resumed = state::StateFile::read(&state_path)?;
            tracing::info!(
                done = resumed.done.len(),
                pending = resumed.pending.len(),
                "resuming"
            );
            options.done = resumed.done;
            options.pending = resumed.pending;
        }
        state_file = Some(state::StateFile::open(&state_path, !args.resume)?);
    }
    let mut failure = None;
    let mut since_save = 0;
    let stdout = std::io::stdout();
    let crawling = crawl(options, |record| {
        if failure.is_some() {
            return;
        }
        let line = serde_json::to_string(record).unwrap_or_default();
        let mut out = stdout.lock();
        if let Err(e) = writeln!(out, "{line}").and_then(|()| out.flush()) {
            failure = Some(CliError::Io {
                path: "<stdout>".into(),
                source: e,
            });
            return;
        }
        if let Some(state) = state_file.as_mut() {
            if let Err(e) = state.record(record) {
                failure = Some(e);
                return;
            }
        }
        since_save += 1;
        if since_save >= SAVE_EVERY {
            since_save = 0;
            if let Some(Err(e)) = jar.as_ref().map(JarFile::save) {
                failure = Some(e);
            }
        }
    });
    let outcome = tokio::select! {
        outcome = crawling => Some(outcome),
        _ = tokio::signal::ctrl_c() => None,
    };
    if let Some(jar) = &jar {
        jar.save()?;
    }
    let Some(summary) = outcome.transpose()? else {
        let hint = match &args.cookie_jar {
            Some(path) => format!(
                "cookies saved to {}; run again with --resume",
                path.display()
            ),
            None => "nothing saved (no --cookie-jar)".to_owned(),
        };
        return Err(CliError::Interrupted(hint));
    };
    if let Some(e) = failure {
        return Err(e);
    }
    eprintln!(
        "mechanize crawl: {} URLs tried ({} ok, {} errors, {} disallowed by robots.txt), {} left in the queue, {:.1} s",
        summary.pages,
        summary.ok,
        summary.errors,
        summary.disallowed,
        summary.left,
        summary.elapsed.as_secs_f64()
    );
    Ok(())
}
