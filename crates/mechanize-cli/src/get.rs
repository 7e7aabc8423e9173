//! `mechanize get`: one URL through the full processor stack of a [`UserAgent`], the body to
//! stdout or (atomically) to a file, cookies from and to a jar file.

use std::io::{IsTerminal, Write};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use mechanize::handlers::ProxyHandler;
use mechanize::processors::RefusalCause;
use mechanize::{Request, UserAgent};
use tracing::Level;

use crate::cli::GetArgs;
use crate::error::{CliError, Result};
use crate::jarfile::{JarFile, Missing};

/// Runs `mechanize get`: loads the jar, fetches, then saves the jar whatever the outcome of
/// the request (the cookies of an error page are kept, as curl does).
pub async fn run(args: GetArgs) -> Result<()> {
    init_logging(&args);
    let jar = match &args.cookie_jar {
        Some(path) => Some(JarFile::load(path, Missing::Create)?),
        None => None,
    };
    let ua = user_agent(&args, jar.as_ref())?;
    let request = request(&args)?;
    let fetched = match &args.output {
        Some(path) => to_file(&ua, request, path).await,
        None => to_stdout(&ua, request).await,
    };
    let saved = jar.as_ref().map(JarFile::save).transpose();
    match (fetched, saved) {
        (Err(fetch), Err(save)) => {
            // Both failed: the request's error is the one returned; this one is logged.
            tracing::error!("mechanize: {save}");
            Err(fetch)
        }
        (fetched, saved) => fetched.and(saved.map(drop)),
    }
}

/// Logs to stderr, one plain line per event (`send: GET …`, `user-agent: …`): INFO when a
/// debugging flag is set, otherwise errors only (the cookie engine's warnings about
/// attributes a file format cannot hold would be noise here).
fn init_logging(args: &GetArgs) {
    let level = if args.verbose || args.debug_redirects || args.debug_responses {
        Level::INFO
    } else {
        Level::ERROR
    };
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(level)
        .without_time()
        .with_target(false)
        .with_level(false)
        .try_init();
}

/// The user agent with the switches of the command line.
fn user_agent(args: &GetArgs, jar: Option<&JarFile>) -> Result<UserAgent> {
    let mut ua = UserAgent::new();
    ua.set_handle_robots(args.obey_robots())
        .set_handle_equiv(args.read_equiv())
        .set_handle_refresh(args.refresh.is_some(), args.refresh.flatten(), true)
        .set_debug_redirects(args.debug_redirects)
        .set_debug_responses(args.debug_responses)
        .set_debug_http(args.verbose);
    if let Some(jar) = jar {
        ua.set_cookiejar(Some(jar.jar()));
    }
    if let Some(name) = &args.user_agent {
        let mut headers: Vec<(String, String)> = ua
            .addheaders()
            .iter()
            .filter(|(n, _)| !n.eq_ignore_ascii_case("user-agent"))
            .cloned()
            .collect();
        headers.push(("User-Agent".to_owned(), name.clone()));
        ua.set_addheaders(headers);
    }
    if let Some(proxy) = &args.proxy {
        let proxies = ProxyHandler::new([("all", proxy.as_str())])
            .map_err(|e| CliError::Usage(format!("--proxy: {e}")))?;
        ua.set_proxies(proxies);
    }
    if args
        .referer
        .as_deref()
        .is_some_and(|r| r.ends_with(";auto"))
    {
        ua.set_handle_referer(true);
    }
    Ok(ua)
}

/// The request: URL, headers, form data, Referer, timeout.
fn request(args: &GetArgs) -> Result<Request> {
    let mut request = Request::new(&args.url)?;
    for (name, value) in &args.headers {
        request.add_header(name, value)?;
    }
    if !args.data.is_empty() {
        let mut parts = Vec::with_capacity(args.data.len());
        for part in &args.data {
            parts.push(match part.strip_prefix('@') {
                Some(file) => {
                    let text = std::fs::read(file).map_err(|e| CliError::io(file, e))?;
                    text.into_iter()
                        .filter(|b| *b != b'\r' && *b != b'\n')
                        .collect()
                }
                None => part.as_bytes().to_vec(),
            });
        }
        request.set_data(Some(parts.join(&b'&')));
        if !request.has_header("content-type") {
            request.add_header("Content-Type", "application/x-www-form-urlencoded")?;
        }
    }
    match args.referer.as_deref() {
        Some(r) if r.ends_with(";auto") => {
            let url = r.trim_end_matches(";auto");
            if !url.is_empty() {
                // Unredirected: the redirects get the previous URL from the processor.
                request.add_unredirected_header("Referer", url)?;
            }
        }
        Some(url) => request.add_header("Referer", url)?,
        None => {}
    }
    request.set_timeout(args.timeout);
    Ok(request)
}

/// Streams the body to stdout. A closed pipe (`| head`) ends quietly.
async fn to_stdout(ua: &UserAgent, request: Request) -> Result<()> {
    let mut response = ua.open(request).await.map_err(client_error)?;
    let stdout = std::io::stdout();
    while let Some(chunk) = response.chunk().await.map_err(client_error)? {
        let mut out = stdout.lock();
        match out.write_all(&chunk).and_then(|()| out.flush()) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(()),
            Err(e) => return Err(CliError::io("<stdout>", e)),
        }
    }
    Ok(())
}

/// Downloads to `path` with `urlretrieve` through this user agent's opener: a temporary
/// file renamed over `path` once the body is complete. A progress bar shows on a terminal.
async fn to_file(ua: &UserAgent, request: Request, path: &std::path::Path) -> Result<()> {
    mechanize::install_opener(ua.opener().clone());
    let show = std::io::stderr().is_terminal();
    let mut bar: Option<ProgressBar> = None;
    let result = mechanize::urlretrieve(request, path, |got, total| {
        if !show {
            return;
        }
        let bar = bar.get_or_insert_with(|| progress_bar(total));
        bar.set_position(got);
    })
    .await;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    result.map_err(client_error)?;
    Ok(())
}

fn progress_bar(total: Option<u64>) -> ProgressBar {
    match total {
        Some(total) => {
            let bar = ProgressBar::new(total);
            if let Ok(style) = ProgressStyle::with_template(
                "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
            ) {
                bar.set_style(style);
            }
            bar
        }
        None => {
            let bar = ProgressBar::new_spinner();
            if let Ok(style) = ProgressStyle::with_template("{spinner} {bytes} {bytes_per_sec}") {
                bar.set_style(style);
            }
            bar.enable_steady_tick(Duration::from_millis(100));
            bar
        }
    }
}

/// A client error, with a robots.txt refusal told as such.
fn client_error(e: mechanize::Error) -> CliError {
    let Some(refusal) = e.robots_refusal() else {
        return CliError::Client(e);
    };
    let url = match &e {
        mechanize::Error::Http(h) => h.url.clone(),
        _ => String::new(),
    };
    if let RefusalCause::Unavailable {
        status: None,
        reason,
    } = &refusal.cause
    {
        // No answer at all: a transport error, not a refusal by the site.
        return CliError::RobotsUnreachable {
            url,
            reason: reason.clone(),
        };
    }
    let why = match &refusal.cause {
        RefusalCause::Disallowed { rule: Some(rule) } => format!(
            "{} ({rule}) disallows it for user agent {:?}",
            refusal.robots_url, refusal.user_agent
        ),
        RefusalCause::Disallowed { rule: None } => format!(
            "{} disallows it for user agent {:?}",
            refusal.robots_url, refusal.user_agent
        ),
        RefusalCause::Unavailable { status, reason } => format!(
            "{} could not be read ({}{reason}), so everything is refused for now",
            refusal.robots_url,
            status.map(|s| format!("{s} ")).unwrap_or_default()
        ),
    };
    CliError::Robots { url, why }
}
