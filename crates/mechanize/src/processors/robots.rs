//! `HTTPRobotRulesProcessor`: refuses http(s) requests that the site's robots.txt disallows,
//! fetching each origin's robots.txt once into a shared cache, and optionally paces requests.
//!
//! # How a decision is made
//!
//! For each `http:` or `https:` request (other than one for `/robots.txt`), the processor
//! looks up the rules of the request's origin (scheme, host, port). Missing or expired, they
//! are fetched through the same opener, one fetch per origin however many tasks ask at once.
//! The request's `User-Agent` product token (the part before the first `/`) is then matched
//! against them. Requests made while a robots.txt is fetched (that fetch and its redirects)
//! are never checked, so a fetch cannot recurse.

mod rules;

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use tokio::time::Instant;

use crate::director::OpenerDirector;
use crate::error::{Error, HttpError, Result};
use crate::handler::{BoxFuture, Handler, RequestProcessor, Schemes};
use crate::request::Request;

pub use rules::{MAX_ROBOTS_TXT_BYTES, RobotsRule, RobotsTxt, RobotsVerdict};

/// The reason phrase of a refusal, as mechanize's `RobotExclusionError`.
const REFUSED: &str = "request disallowed by robots.txt";

tokio::task_local! {
    /// Set while a robots.txt is being fetched: requests made then are not checked.
    static IN_ROBOTS_FETCH: ();
}

/// Why robots.txt refused a request: carried by the [`Error::Http`] (status 403) that a
/// refusal is, mechanize's `RobotExclusionError`. See [`Error::robots_refusal`].
///
/// ```
/// use mechanize::processors::{RefusalCause, RobotsRefusal, RobotsTxt};
///
/// let robots = RobotsTxt::new(b"User-agent: *\nDisallow: /\n");
/// let verdict = robots.check("mechanize-rs", "http://example.com/page");
/// let refusal = RobotsRefusal {
///     robots_url: "http://example.com/robots.txt".into(),
///     user_agent: "mechanize-rs".into(),
///     cause: RefusalCause::Disallowed { rule: verdict.rule },
/// };
/// assert_eq!(refusal.rule().map(|r| r.line), Some(2));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RobotsRefusal {
    /// The robots.txt that was consulted.
    pub robots_url: String,
    /// The user-agent product token matched (empty when the request had no `User-Agent`).
    pub user_agent: String,
    /// What refused.
    pub cause: RefusalCause,
}

impl RobotsRefusal {
    /// The Disallow rule that refused, when a rule did.
    pub fn rule(&self) -> Option<&RobotsRule> {
        match &self.cause {
            RefusalCause::Disallowed { rule } => rule.as_ref(),
            RefusalCause::Unavailable { .. } => None,
        }
    }
}

/// What refused a request.
///
/// ```
/// use mechanize::processors::RefusalCause;
///
/// let cause = RefusalCause::Unavailable {
///     status: Some(503),
///     reason: "Service Unavailable".into(),
/// };
/// assert!(matches!(cause, RefusalCause::Unavailable { status: Some(503), .. }));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefusalCause {
    /// A rule of the robots.txt disallows the URL for the user agent.
    Disallowed {
        /// The rule that matched.
        rule: Option<RobotsRule>,
    },
    /// The robots.txt could not be read (a 5xx status, or the server could not be reached):
    /// RFC 9309 says to assume complete disallow until it can be read again.
    Unavailable {
        /// The status, when the server answered.
        status: Option<u16>,
        /// What went wrong.
        reason: String,
    },
}

/// What an origin's robots.txt said, as cached.
#[derive(Debug, Clone)]
enum Rules {
    /// A robots.txt was read (2xx).
    Parsed(Arc<RobotsTxt>),
    /// There is none (4xx, or redirects that led nowhere): everything is allowed.
    AllowAll { status: u16 },
    /// It could not be read (5xx, or unreachable): everything is disallowed for now.
    DisallowAll { status: Option<u16>, reason: String },
}

#[derive(Debug)]
struct Entry {
    rules: Rules,
    /// `None`: never expires.
    expires: Option<Instant>,
}

type Origin = (String, String, u16);

/// The state every clone of a processor shares.
#[derive(Debug, Default)]
struct Shared {
    /// One slot per origin; its async lock makes the fetch single-flight.
    origins: Mutex<HashMap<Origin, Arc<tokio::sync::Mutex<Option<Entry>>>>>,
    /// When the next request to each host may start (politeness).
    next_start: Mutex<HashMap<String, Instant>>,
    /// Sizes of the two maps at which stale entries are next swept out.
    sweep_origins_at: AtomicUsize,
    sweep_hosts_at: AtomicUsize,
}

/// The least map size at which stale entries are swept out; after a sweep, the next one
/// comes at twice the size left, so sweeping costs O(1) per insertion.
const SWEEP_FROM: usize = 1024;

/// Whether a map of `len` entries, about to grow, should be swept now.
fn sweep_due(len: usize, at: &AtomicUsize) -> bool {
    len >= at.load(Ordering::Relaxed).max(SWEEP_FROM)
}

#[derive(Debug, Clone, Copy)]
struct Config {
    cache_ttl: Duration,
    retry_interval: Duration,
    politeness: bool,
    min_delay: Duration,
    max_crawl_delay: Duration,
    fetch_timeout: Option<Duration>,
}

/// Obeys robots.txt (mechanize's `HTTPRobotRulesProcessor`), in the role `"robots"` at
/// handler order 800.
///
/// Each `http:` and `https:` request is matched against its origin's robots.txt for the
/// request's `User-Agent` product token (`mechanize-rs` for `mechanize-rs/0.1.0`). A
/// disallowed request fails with an [`Error::Http`] of status 403 and reason
/// `request disallowed by robots.txt`, whose [`Error::robots_refusal`] tells the rule.
/// Requests for `/robots.txt` itself are always allowed.
///
/// The robots.txt is fetched through the opener that runs the request, as an unverifiable
/// request with the original request's `origin_req_host`, `User-Agent` and timeout (or
/// [`with_fetch_timeout`](Self::with_fetch_timeout)'s), so
/// cookies, redirects and the other processors apply. What it answered decides (RFC 9309):
///
/// * 2xx: the body (its first [`MAX_ROBOTS_TXT_BYTES`]) is parsed, and kept for the
///   [cache time](Self::with_cache_ttl) (24 hours by default);
/// * 4xx (or a redirect that was not followed, such as a loop): no rules, everything
///   allowed, cached as long;
/// * 5xx, or no answer: everything disallowed, until the
///   [retry interval](Self::with_retry_interval) (60 seconds by default) has passed.
///
/// Clones share one cache, so a processor cloned into many openers, or used by many tasks
/// through one opener, fetches each robots.txt once; concurrent requests for an origin wait
/// for its one fetch.
///
/// With [politeness](Self::with_politeness) on, requests to one host start at least its
/// `Crawl-delay` apart (capped by [`with_max_crawl_delay`](Self::with_max_crawl_delay)), or
/// [`with_min_delay`](Self::with_min_delay) apart if that is longer; waiting tasks sleep.
///
/// Differences from mechanize 0.4.10 (checked against it): mechanize refuses everything
/// when robots.txt answers 401 or 403 and allows everything on a 5xx; this processor follows
/// RFC 9309 (allow on any 4xx, refuse on 5xx until retried). After a network error mechanize
/// refuses every URL of the host for as long as it stays the last host visited; here the
/// refusal lasts the retry interval. mechanize keeps the rules of the last host only, and
/// matches with Python's `robotparser` (first matching rule, user agent as a substring); here
/// every origin is cached, and matching is Google's (longest rule, product token). Requests
/// made while robots.txt is fetched (its redirects, to any host) are not checked; mechanize
/// exempts those to the same host.
///
/// ```no_run
/// use std::sync::Arc;
/// use std::time::Duration;
/// use mechanize::build_opener;
/// use mechanize::processors::HTTPRobotRulesProcessor;
///
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// let robots = HTTPRobotRulesProcessor::new()
///     .with_cache_ttl(Duration::from_secs(3600))
///     .with_retry_interval(Duration::from_secs(30))
///     .with_politeness(true)
///     .with_min_delay(Duration::from_millis(500));
/// let opener = build_opener(vec![Arc::new(robots.clone())]);
/// match opener.open_url("http://www.example.com/private/page").await {
///     Err(e) if e.is_robot_exclusion() => {
///         let refusal = e.robots_refusal().expect("a refusal");
///         println!("refused by {}: {:?}", refusal.robots_url, refusal.rule());
///     }
///     other => println!("{other:?}"),
/// }
/// let delay = robots.crawl_delay("http://www.example.com/", "mechanize-rs").await;
/// println!("crawl delay: {delay:?}");
/// # });
/// ```
///
/// It stands in the chain once, whatever the number of clones:
///
/// ```
/// use std::sync::Arc;
/// use mechanize::build_opener;
/// use mechanize::handler::Handler;
/// use mechanize::processors::HTTPRobotRulesProcessor;
///
/// let robots = HTTPRobotRulesProcessor::new();
/// let opener = build_opener(vec![Arc::new(robots)]);
/// let found: Vec<i32> = opener.handlers().iter()
///     .filter(|h| h.role() == Some("robots"))
///     .map(|h| h.handler_order())
///     .collect();
/// assert_eq!(found, [800]);
/// ```
#[derive(Debug, Clone)]
pub struct HTTPRobotRulesProcessor {
    config: Config,
    shared: Arc<Shared>,
}

impl Default for HTTPRobotRulesProcessor {
    fn default() -> Self {
        HTTPRobotRulesProcessor::new()
    }
}

impl HTTPRobotRulesProcessor {
    /// A processor with an empty cache: rules kept 24 hours, unreadable robots.txt retried
    /// after 60 seconds, no politeness delay.
    pub fn new() -> HTTPRobotRulesProcessor {
        HTTPRobotRulesProcessor {
            config: Config {
                cache_ttl: Duration::from_secs(24 * 60 * 60),
                retry_interval: Duration::from_secs(60),
                politeness: false,
                min_delay: Duration::ZERO,
                max_crawl_delay: Duration::from_secs(60),
                fetch_timeout: None,
            },
            shared: Arc::default(),
        }
    }

    /// How long a robots.txt that was read (or found missing, 4xx) is trusted.
    pub fn with_cache_ttl(mut self, ttl: Duration) -> HTTPRobotRulesProcessor {
        self.config.cache_ttl = ttl;
        self
    }

    /// How long after a 5xx or a failure to connect the robots.txt is fetched again;
    /// everything on that origin is refused meanwhile.
    pub fn with_retry_interval(mut self, interval: Duration) -> HTTPRobotRulesProcessor {
        self.config.retry_interval = interval;
        self
    }

    /// Whether requests to one host are spaced by its crawl delay (off by default).
    pub fn with_politeness(mut self, on: bool) -> HTTPRobotRulesProcessor {
        self.config.politeness = on;
        self
    }

    /// With politeness on, the least time between the starts of two requests to one host,
    /// whatever its robots.txt says (zero by default).
    pub fn with_min_delay(mut self, delay: Duration) -> HTTPRobotRulesProcessor {
        self.config.min_delay = delay;
        self
    }

    /// With politeness on, the most of a robots.txt's `Crawl-delay` that is obeyed
    /// (60 seconds by default).
    pub fn with_max_crawl_delay(mut self, delay: Duration) -> HTTPRobotRulesProcessor {
        self.config.max_crawl_delay = delay;
        self
    }

    /// A time limit for each robots.txt fetch, instead of the request's or the opener's
    /// (none by default). Requests to an origin wait while its robots.txt is fetched, so a
    /// crawler may want a short one; a fetch that times out counts as unreachable.
    pub fn with_fetch_timeout(mut self, timeout: Duration) -> HTTPRobotRulesProcessor {
        self.config.fetch_timeout = Some(timeout);
        self
    }

    /// The cached robots.txt of `url`'s origin, if one was read (nothing is fetched; a fetch
    /// under way is waited for).
    pub async fn robots_txt(&self, url: &str) -> Option<Arc<RobotsTxt>> {
        let origin = origin_of(&url::Url::parse(url).ok()?)?;
        let slot = {
            let origins = self
                .shared
                .origins
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            Arc::clone(origins.get(&origin)?)
        };
        let guard = slot.lock().await;
        match guard.as_ref().map(|e| &e.rules) {
            Some(Rules::Parsed(robots)) => Some(Arc::clone(robots)),
            _ => None,
        }
    }

    /// The `Crawl-delay` for `user_agent` (a product token) in the cached robots.txt of
    /// `url`'s origin, if one was read and says so (nothing is fetched).
    pub async fn crawl_delay(&self, url: &str, user_agent: &str) -> Option<Duration> {
        self.robots_txt(url).await?.crawl_delay(user_agent)
    }

    fn slot(&self, origin: &Origin) -> Arc<tokio::sync::Mutex<Option<Entry>>> {
        let mut origins = self
            .shared
            .origins
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if !origins.contains_key(origin) && sweep_due(origins.len(), &self.shared.sweep_origins_at)
        {
            // Keep the entries in use or still fresh; a crawler of many hosts stays bounded.
            let now = Instant::now();
            origins.retain(|_, slot| {
                Arc::strong_count(slot) > 1
                    || slot.try_lock().map_or(true, |entry| {
                        entry
                            .as_ref()
                            .is_some_and(|e| e.expires.is_none_or(|t| now < t))
                    })
            });
            let next = origins.len().saturating_mul(2);
            self.shared.sweep_origins_at.store(next, Ordering::Relaxed);
            tracing::debug!(kept = origins.len(), "robots.txt cache swept");
        }
        Arc::clone(origins.entry(origin.clone()).or_default())
    }

    /// The origin's rules: cached, or fetched by this task while others wait.
    async fn rules_for(
        &self,
        origin: &Origin,
        robots_url: &str,
        request: &Request,
        director: &OpenerDirector,
    ) -> Rules {
        let slot = self.slot(origin);
        let mut entry = slot.lock().await;
        if let Some(e) = entry.as_ref() {
            if e.expires.is_none_or(|t| Instant::now() < t) {
                return e.rules.clone();
            }
            tracing::debug!(robots_url, "robots.txt cache entry expired");
        }
        let rules = self.fetch(robots_url, request, director).await;
        let ttl = match rules {
            Rules::DisallowAll { .. } => self.config.retry_interval,
            _ => self.config.cache_ttl,
        };
        *entry = Some(Entry {
            rules: rules.clone(),
            expires: Instant::now().checked_add(ttl),
        });
        rules
    }

    /// Fetches and reads one robots.txt.
    async fn fetch(&self, robots_url: &str, request: &Request, director: &OpenerDirector) -> Rules {
        let mut robots_request = match Request::new(robots_url) {
            Ok(r) => r,
            Err(e) => {
                return Rules::DisallowAll {
                    status: None,
                    reason: e.to_string(),
                };
            }
        };
        robots_request.set_unverifiable(true);
        robots_request.set_origin_req_host(request.origin_req_host());
        robots_request.set_timeout(self.config.fetch_timeout.or(request.timeout()));
        if let Some(agent) = request.get_header("user-agent") {
            // Valid already: it came from a header.
            let _ = robots_request.add_header("User-Agent", agent);
        }
        tracing::debug!(robots_url, "fetching robots.txt");
        let answer = IN_ROBOTS_FETCH
            .scope((), async {
                let mut response = director.open(robots_request).await?;
                let status = response.status();
                if !status.is_success() {
                    return Ok((status, None));
                }
                let mut body = Vec::new();
                while body.len() < MAX_ROBOTS_TXT_BYTES {
                    let Some(chunk) = response.chunk().await? else {
                        break;
                    };
                    let room = MAX_ROBOTS_TXT_BYTES - body.len();
                    body.extend_from_slice(&chunk[..chunk.len().min(room)]);
                }
                Ok::<_, Error>((status, Some(body)))
            })
            .await;
        let rules = match answer {
            Ok((_, Some(body))) => Rules::Parsed(Arc::new(RobotsTxt::new(&body))),
            Ok((status, None)) => by_status(status, String::new()),
            Err(Error::Http(e)) => by_status(e.status, e.reason),
            Err(e) => Rules::DisallowAll {
                status: None,
                reason: e.to_string(),
            },
        };
        match &rules {
            Rules::Parsed(r) => {
                tracing::debug!(robots_url, bytes = r.body().len(), "robots.txt read")
            }
            Rules::AllowAll { status } => {
                tracing::debug!(robots_url, status, "no robots.txt: everything allowed")
            }
            Rules::DisallowAll { status, reason } => tracing::debug!(
                robots_url,
                ?status,
                reason,
                retry_in = ?self.config.retry_interval,
                "robots.txt unavailable: everything disallowed until retried"
            ),
        }
        rules
    }

    async fn check(&self, request: Request, director: &OpenerDirector) -> Result<Request> {
        if IN_ROBOTS_FETCH.try_with(|_| ()).is_ok() {
            return Ok(request);
        }
        let url = request.url();
        if url.path() == "/robots.txt" {
            tracing::debug!(url = %url, "robots.txt itself is always allowed");
            return Ok(request);
        }
        let Some(origin) = origin_of(url) else {
            return Ok(request);
        };
        let mut robots = url.clone();
        robots.set_path("/robots.txt");
        robots.set_query(None);
        // Never fails on an http(s) URL; credentials are not sent for robots.txt.
        let _ = robots.set_username("");
        let _ = robots.set_password(None);
        let robots_url = robots.to_string();
        let agent = product_token(request.get_header("user-agent").unwrap_or(""));
        let rules = self
            .rules_for(&origin, &robots_url, &request, director)
            .await;
        let (cause, delay) = match &rules {
            Rules::AllowAll { status } => {
                tracing::debug!(url = %url, agent, status, "allowed: no robots.txt");
                (None, None)
            }
            Rules::DisallowAll { status, reason } => (
                Some(RefusalCause::Unavailable {
                    status: *status,
                    reason: reason.clone(),
                }),
                None,
            ),
            Rules::Parsed(robots) => {
                // The rule that allowed is looked for only when it would be logged.
                if robots.is_allowed(&agent, request.full_url()) {
                    if tracing::enabled!(tracing::Level::DEBUG) {
                        let rule = robots.check(&agent, request.full_url()).rule;
                        tracing::debug!(url = %url, agent, ?rule, "allowed by robots.txt");
                    }
                    let delay = self
                        .config
                        .politeness
                        .then(|| robots.crawl_delay(&agent))
                        .flatten();
                    (None, delay)
                } else {
                    let rule = robots.check(&agent, request.full_url()).rule;
                    (Some(RefusalCause::Disallowed { rule }), None)
                }
            }
        };
        if let Some(cause) = cause {
            tracing::debug!(url = %url, agent, ?cause, "refused by robots.txt");
            return Err(refusal(
                &request,
                RobotsRefusal {
                    robots_url,
                    user_agent: agent,
                    cause,
                },
            ));
        }
        if self.config.politeness {
            let delay = delay
                .map_or(Duration::ZERO, |d| d.min(self.config.max_crawl_delay))
                .max(self.config.min_delay);
            self.pace(&origin.1, delay).await;
        }
        Ok(request)
    }

    /// Waits for this request's turn on `host`: turns are `delay` apart.
    async fn pace(&self, host: &str, delay: Duration) {
        if delay.is_zero() {
            return;
        }
        let now = Instant::now();
        let start = {
            let mut next = self
                .shared
                .next_start
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            if !next.contains_key(host) && sweep_due(next.len(), &self.shared.sweep_hosts_at) {
                next.retain(|_, t| *t > now);
                let at = next.len().saturating_mul(2);
                self.shared.sweep_hosts_at.store(at, Ordering::Relaxed);
            }
            let next = next.entry(host.to_owned()).or_insert(now);
            let start = (*next).max(now);
            *next = start + delay;
            start
        };
        if start > now {
            tracing::debug!(host, wait = ?(start - now), ?delay, "politeness delay");
            tokio::time::sleep_until(start).await;
        }
    }
}

/// The rules for a robots.txt that answered with a status other than 2xx.
fn by_status(status: StatusCode, reason: String) -> Rules {
    if status.is_client_error() || status.is_redirection() {
        Rules::AllowAll {
            status: status.as_u16(),
        }
    } else {
        Rules::DisallowAll {
            status: Some(status.as_u16()),
            reason,
        }
    }
}

/// Scheme, host and port (the scheme's default when not given).
fn origin_of(url: &url::Url) -> Option<Origin> {
    Some((
        url.scheme().to_owned(),
        url.host_str()?.to_owned(),
        url.port_or_known_default()?,
    ))
}

/// The product token of a `User-Agent` value: what comes before the first `/`.
fn product_token(user_agent: &str) -> String {
    user_agent.split('/').next().unwrap_or("").trim().to_owned()
}

fn refusal(request: &Request, refusal: RobotsRefusal) -> Error {
    Error::Http(Box::new(HttpError {
        url: request.full_url().to_owned(),
        status: StatusCode::FORBIDDEN,
        reason: REFUSED.to_owned(),
        headers: HeaderMap::new(),
        body: Bytes::from_static(REFUSED.as_bytes()),
        robots: Some(Box::new(refusal)),
    }))
}

impl Handler for HTTPRobotRulesProcessor {
    fn handler_order(&self) -> i32 {
        800
    }
    fn role(&self) -> Option<&'static str> {
        Some("robots")
    }
    fn request_processor(&self) -> Option<&dyn RequestProcessor> {
        Some(self)
    }
}

impl RequestProcessor for HTTPRobotRulesProcessor {
    fn schemes(&self) -> Schemes {
        Schemes::Only(&["http", "https"])
    }

    fn process_request<'a>(
        &'a self,
        request: Request,
        director: &'a OpenerDirector,
    ) -> BoxFuture<'a, Result<Request>> {
        Box::pin(self.check(request, director))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin(host: &str) -> Origin {
        ("http".to_owned(), host.to_owned(), 80)
    }

    #[test]
    fn stale_origins_are_swept_from_the_cache() {
        let robots = HTTPRobotRulesProcessor::new();
        let fresh = origin("fresh.example");
        *robots.slot(&fresh).try_lock().unwrap() = Some(Entry {
            rules: Rules::AllowAll { status: 404 },
            expires: None,
        });
        let waiting = origin("waiting.example");
        let held = robots.slot(&waiting);
        for i in 0..3 * SWEEP_FROM {
            let slot = robots.slot(&origin(&format!("h{i}.example")));
            *slot.try_lock().unwrap() = Some(Entry {
                rules: Rules::AllowAll { status: 404 },
                expires: Some(Instant::now()),
            });
        }
        let origins = robots.shared.origins.lock().unwrap();
        assert!(origins.len() <= SWEEP_FROM + 2, "{} kept", origins.len());
        assert!(origins.contains_key(&fresh), "a fresh entry stays");
        assert!(origins.contains_key(&waiting), "a slot someone holds stays");
        drop(held);
    }

    #[test]
    fn the_product_token_is_what_comes_before_the_first_slash() {
        assert_eq!(product_token("mechanize-rs/0.1.0"), "mechanize-rs");
        assert_eq!(product_token("Mozilla/5.0 (X11)"), "Mozilla");
        assert_eq!(product_token(" curl "), "curl");
        assert_eq!(product_token(""), "");
    }
}
