//! The crawl engine: a queue of URLs by depth, one task per page, a per-host concurrency
//! limit, one shared robots.txt cache with politeness, and one record per URL tried.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use cookiejar::CookieJar;
use mechanize::processors::HTTPRobotRulesProcessor;
use mechanize::{OpenerDirector, Request, UserAgent};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinSet;
use tokio::time::Instant;
use url::Url;

use super::links;
use super::record::{Hop, PageRecord, RobotsVerdict, Summary};
use super::trace::{self, EquivRecorder, ReadyRecorder, RequestRecorder, ResponseRecorder};
use crate::error::{CliError, Result};

/// The most of a page's body read for links.
const MAX_PAGE_BYTES: usize = 4 * 1024 * 1024;

/// What to crawl and how.
#[derive(Debug, Clone)]
pub struct CrawlOptions {
    /// Where to start (depth 0).
    pub start: Vec<Url>,
    /// The deepest links followed (0: the start URLs only).
    pub max_depth: usize,
    /// The most URLs tried (each gets a record).
    pub max_pages: usize,
    /// The most requests in flight to one host (host and port).
    pub per_host: usize,
    /// The most requests in flight overall.
    pub jobs: usize,
    /// Whether links to other hosts are followed. Otherwise only links to the start URLs'
    /// hosts (host and port), and to where a start URL redirected, are; a redirect of a
    /// page to another host is followed all the same.
    pub all_hosts: bool,
    /// The `User-Agent` sent; its product token is what robots.txt rules are matched with.
    pub user_agent: String,
    /// A time limit for each request (and each robots.txt fetch).
    pub timeout: Option<Duration>,
    /// The least time between two requests to one host, whatever robots.txt says.
    pub min_delay: Duration,
    /// The cookie jar (shared: load and save it around the crawl).
    pub jar: Arc<CookieJar>,
    /// The robots.txt processor (its cache, politeness on); `None`: a new one.
    pub robots: Option<Arc<HTTPRobotRulesProcessor>>,
    /// URLs already crawled (by an earlier run): not tried again.
    pub done: HashSet<String>,
    /// URLs queued by an earlier run and not crawled yet: (URL, depth, referer).
    pub pending: Vec<(Url, usize, Option<String>)>,
    /// Whether to log redirects at INFO (`HTTPRedirectDebugProcessor`).
    pub debug_redirects: bool,
}

impl CrawlOptions {
    /// Defaults: depth 3, 100 pages, 1 request per host at a time, 8 in all, same host,
    /// mechanize-rs's `User-Agent`, 30 s timeout, a fresh cookie jar.
    pub fn new(start: Url) -> CrawlOptions {
        CrawlOptions {
            start: vec![start],
            max_depth: 3,
            max_pages: 100,
            per_host: 1,
            jobs: 8,
            all_hosts: false,
            user_agent: mechanize::USER_AGENT.to_owned(),
            timeout: Some(Duration::from_secs(30)),
            min_delay: Duration::ZERO,
            jar: Arc::new(CookieJar::new()),
            robots: None,
            done: HashSet::new(),
            pending: Vec::new(),
            debug_redirects: false,
        }
    }
}

/// A URL waiting its turn.
#[derive(Debug)]
struct Item {
    url: Url,
    depth: usize,
    referer: Option<String>,
}

/// What every page task needs.
#[derive(Debug)]
struct Context {
    opener: OpenerDirector,
    robots: Arc<HTTPRobotRulesProcessor>,
    agent_token: String,
    timeout: Option<Duration>,
    start: Instant,
}

/// Host and port: the unit of same-host and of the concurrency limit.
fn host_key(url: &Url) -> String {
    format!(
        "{}:{}",
        url.host_str().unwrap_or(""),
        url.port_or_known_default().unwrap_or(0)
    )
}

/// Crawls from `options.start`, calling `output` with each record as its page is done.
///
/// Errors only for options that cannot be used; a page that fails is a record with `error`.
pub async fn crawl(options: CrawlOptions, mut output: impl FnMut(&PageRecord)) -> Result<Summary> {
    if options.per_host == 0 || options.jobs == 0 {
        return Err(CliError::Usage(
            "--per-host and --jobs must be at least 1".into(),
        ));
    }
    let start = Instant::now();
    let robots = options.robots.clone().unwrap_or_else(|| {
        let mut robots = HTTPRobotRulesProcessor::new()
            .with_politeness(true)
            .with_min_delay(options.min_delay)
            .with_retry_interval(Duration::from_secs(60));
        if let Some(t) = options.timeout {
            robots = robots.with_fetch_timeout(t);
        }
        Arc::new(robots)
    });
    let mut ua = UserAgent::new();
    ua.set_robots(Arc::clone(&robots))
        .set_cookiejar(Some(Arc::clone(&options.jar)))
        .set_debug_redirects(options.debug_redirects)
        .set_addheaders(vec![("User-Agent".into(), options.user_agent.clone())]);
    let mut opener = ua.opener().clone();
    opener.add_handler(ReadyRecorder);
    opener.add_handler(RequestRecorder);
    opener.add_handler(ResponseRecorder);
    opener.add_handler(EquivRecorder);
    let context = Arc::new(Context {
        opener,
        robots,
        agent_token: options
            .user_agent
            .split('/')
            .next()
            .unwrap_or("")
            .trim()
            .to_owned(),
        timeout: options.timeout,
        start,
    });

    let mut allowed_hosts: HashSet<String> = options.start.iter().map(host_key).collect();
    let mut seen: HashSet<String> = options.done.clone();
    let mut queue = VecDeque::new();
    let starts = options.start.iter().map(|u| (u.clone(), 0, None));
    for (mut url, depth, referer) in starts.chain(options.pending.iter().cloned()) {
        url.set_fragment(None);
        if seen.insert(url.to_string()) {
            queue.push_back(Item {
                url,
                depth,
                referer,
            });
        }
    }

    let mut hosts: HashMap<String, Arc<Semaphore>> = HashMap::new();
    let mut tasks = JoinSet::new();
    let mut summary = Summary::default();
    let mut dispatched = 0;
    loop {
        while tasks.len() < options.jobs && dispatched < options.max_pages {
            let free = queue.iter().position(|item| {
                hosts
                    .get(&host_key(&item.url))
                    .is_none_or(|s| s.available_permits() > 0)
            });
            let Some(item) = free.and_then(|i| queue.remove(i)) else {
                break;
            };
            let semaphore = hosts
                .entry(host_key(&item.url))
                .or_insert_with(|| Arc::new(Semaphore::new(options.per_host)));
            let Ok(permit) = Arc::clone(semaphore).try_acquire_owned() else {
                queue.push_front(item);
                break;
            };
            dispatched += 1;
            tasks.spawn(fetch_page(Arc::clone(&context), item, permit));
        }
        let Some(joined) = tasks.join_next().await else {
            break;
        };
        let (mut record, found) = match joined {
            Ok(done) => done,
            Err(e) => {
                tracing::error!(error = %e, "a page task failed");
                summary.errors += 1;
                continue;
            }
        };
        if let Some(final_url) = record.final_url.as_deref().and_then(|u| Url::parse(u).ok()) {
            // A start URL that redirects (to https, to www.) brings its new host in.
            if record.depth == 0 {
                allowed_hosts.insert(host_key(&final_url));
            }
            seen.insert(final_url.to_string());
        }
        if record.depth < options.max_depth {
            for url in found {
                let same_host = allowed_hosts.contains(&host_key(&url));
                if (options.all_hosts || same_host) && seen.insert(url.to_string()) {
                    record.queued.push(url.to_string());
                    queue.push_back(Item {
                        url,
                        depth: record.depth + 1,
                        referer: Some(record.final_url.clone().unwrap_or(record.url.clone())),
                    });
                }
            }
        }
        summary.pages += 1;
        match (&record.error, record.robots) {
            (_, RobotsVerdict::Disallowed) => summary.disallowed += 1,
            (Some(_), _) => summary.errors += 1,
            (None, _) => summary.ok += 1,
        }
        output(&record);
    }
    summary.left = queue.len();
    summary.elapsed = start.elapsed();
    Ok(summary)
}

/// Fetches one page through the chain and reads its links.
async fn fetch_page(
    context: Arc<Context>,
    item: Item,
    _permit: OwnedSemaphorePermit,
) -> (PageRecord, Vec<url::Url>) {
    let begun = Instant::now();
    let hops: trace::Hops = Arc::new(Mutex::new(Vec::new()));
    let outcome = trace::recording(Arc::clone(&hops), context.start, async {
        let mut request = Request::new(item.url.as_str())?;
        request.set_timeout(context.timeout);
        if let Some(referer) = &item.referer {
            request.add_header("Referer", referer)?;
        }
        let mut response = context.opener.open(request).await?;
        let final_url = response.geturl().clone();
        let status = response.code();
        let html = response
            .info()
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.to_ascii_lowercase().contains("html"));
        let mut body = Vec::new();
        if html {
            while body.len() < MAX_PAGE_BYTES {
                let Some(chunk) = response.chunk().await? else {
                    break;
                };
                body.extend_from_slice(&chunk);
            }
        }
        let found = links::extract(&String::from_utf8_lossy(&body), &final_url);
        Ok::<_, mechanize::Error>((final_url, status, found))
    })
    .await;
    let hops: Vec<Hop> = std::mem::take(&mut *hops.lock().unwrap_or_else(PoisonError::into_inner));
    let page_hops: Vec<&Hop> = hops.iter().filter(|h| !h.robots_txt).collect();
    let mut record = PageRecord {
        url: item.url.to_string(),
        final_url: None,
        status: None,
        referer: item.referer.clone(),
        depth: item.depth,
        robots: RobotsVerdict::Allowed,
        robots_rule: None,
        cookies_sent: page_hops.first().and_then(|h| h.cookie.clone()),
        cookies_set: hops
            .iter()
            .flat_map(|h| h.set_cookie.iter().chain(&h.meta_set_cookie))
            .cloned()
            .collect(),
        links: 0,
        elapsed_ms: 0,
        hops: Vec::new(),
        error: None,
        queued: Vec::new(),
    };
    let found = match outcome {
        Ok((final_url, status, found)) => {
            record.final_url = Some(final_url.to_string());
            record.status = Some(status);
            record.links = found.len();
            if let Some(robots) = context.robots.robots_txt(item.url.as_str()).await {
                record.robots_rule = robots
                    .check(&context.agent_token, item.url.as_str())
                    .rule
                    .map(|r| r.to_string());
            }
            found
        }
        Err(e) => {
            if let Some(refusal) = e.robots_refusal() {
                record.robots = RobotsVerdict::Disallowed;
                record.robots_rule = Some(match refusal.rule() {
                    Some(rule) => rule.to_string(),
                    None => format!("robots.txt unavailable: {:?}", refusal.cause),
                });
            } else {
                if let mechanize::Error::Http(http) = &e {
                    record.status = Some(http.status.as_u16());
                    record.final_url = Some(http.url.clone());
                }
                record.error = Some(one_line(&e.to_string()));
            }
            Vec::new()
        }
    };
    record.hops = hops;
    record.elapsed_ms = u64::try_from(begun.elapsed().as_millis()).unwrap_or(u64::MAX);
    tracing::debug!(url = record.url, status = ?record.status, "page done");
    (record, found)
}

/// `text` with its line breaks made spaces (an error is one line of a record).
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
