//! `HTTPRobotRulesProcessor` against real servers on 127.0.0.1: refusals, robots.txt statuses and
//! failures, single-flight caching, user-agent groups, Crawl-delay, politeness, the fetch path.

#![allow(clippy::unwrap_used)]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http::StatusCode;
use http_body_util::Full;
use mechanize::processors::{HTTPRobotRulesProcessor, MAX_ROBOTS_TXT_BYTES, RefusalCause};
use mechanize::{Error, OpenerDirector, Request, build_opener};
use mechanize_integration_tests::serve;
use tokio::time::Instant;

/// One request the site received.
#[derive(Debug, Clone)]
struct Hit {
    path: String,
    user_agent: Option<String>,
    cookie: Option<String>,
}

/// What a site received.
#[derive(Debug, Default)]
struct Log(Mutex<Vec<Hit>>);

impl Log {
    fn hits(&self, path: &str) -> Vec<Hit> {
        let log = self.0.lock().unwrap();
        log.iter().filter(|h| h.path == path).cloned().collect()
    }

    fn count(&self, path: &str) -> usize {
        self.hits(path).len()
    }
}

fn reply(status: u16, body: impl Into<Bytes>) -> hyper::Response<Full<Bytes>> {
    let mut r = hyper::Response::new(Full::new(body.into()));
    *r.status_mut() = StatusCode::from_u16(status).unwrap();
    r
}

/// A site whose `/robots.txt` is answered by `robots`, and every other path with 200 and
/// `page <path>`, logging every request.
async fn site(
    robots: impl Fn() -> hyper::Response<Full<Bytes>> + Send + Sync + 'static,
) -> (SocketAddr, Arc<Log>) {
    site_with(move |path| (path == "/robots.txt").then(&robots)).await
}

/// A site answering with `route` where it answers, else 200 and `page <path>`.
async fn site_with(
    route: impl Fn(&str) -> Option<hyper::Response<Full<Bytes>>> + Send + Sync + 'static,
) -> (SocketAddr, Arc<Log>) {
    let log = Arc::new(Log::default());
    let seen = Arc::clone(&log);
    let addr = serve(move |req| {
        let header = |n: &str| req.headers().get(n).map(|v| v.to_str().unwrap().to_owned());
        let path = req.uri().path().to_owned();
        seen.0.lock().unwrap().push(Hit {
            path: path.clone(),
            user_agent: header("user-agent"),
            cookie: header("cookie"),
        });
        route(&path).unwrap_or_else(|| reply(200, format!("page {path}")))
    })
    .await
    .unwrap();
    (addr, log)
}

fn opener(robots: &HTTPRobotRulesProcessor) -> OpenerDirector {
    build_opener(vec![Arc::new(robots.clone())])
}

async fn get(opener: &OpenerDirector, url: &str) -> Result<String, Error> {
    opener.open_url(url).await?.text().await
}

#[tokio::test]
async fn a_disallowed_path_is_refused_with_403_and_the_rule() {
    let (addr, log) = site(|| {
        reply(
            200,
            "# site rules\nUser-agent: *\nAllow: /private/open\nDisallow: /private\n",
        )
    })
    .await;
    let robots = HTTPRobotRulesProcessor::new();
    let opener = opener(&robots);

    let url = format!("http://{addr}/private/secret?x=1");
    let err = get(&opener, &url).await.unwrap_err();
    assert!(err.is_robot_exclusion(), "{err:?}");
    let refusal = err.robots_refusal().unwrap().clone();
    assert_eq!(refusal.robots_url, format!("http://{addr}/robots.txt"));
    assert_eq!(refusal.user_agent, "mechanize-rs");
    let rule = refusal.rule().unwrap();
    assert_eq!(
        (rule.line, rule.allow, rule.pattern.as_str()),
        (4, false, "/private")
    );
    let Error::Http(http) = err else {
        panic!("a refusal is an HTTP error")
    };
    assert_eq!(http.status, StatusCode::FORBIDDEN);
    assert_eq!(http.url, url);
    assert_eq!(http.reason, "request disallowed by robots.txt");
    assert_eq!(
        log.count("/private/secret"),
        0,
        "a refused request is never sent"
    );
    let with_credentials = format!("http://user:pw@{addr}/private/x");
    let err = get(&opener, &with_credentials).await.unwrap_err();
    let refusal = err.robots_refusal().unwrap();
    assert_eq!(
        refusal.robots_url,
        format!("http://{addr}/robots.txt"),
        "no credentials"
    );

    let body = get(&opener, &format!("http://{addr}/private/open/door")).await;
    assert_eq!(
        body.unwrap(),
        "page /private/open/door",
        "the longer Allow wins"
    );
    let body = get(&opener, &format!("http://{addr}/public")).await;
    assert_eq!(body.unwrap(), "page /public");
    assert_eq!(log.count("/robots.txt"), 1);
}

#[tokio::test]
async fn robots_txt_4xx_allows_everything() {
    // RFC 9309: any 4xx, 401 and 403 included, means there are no rules. (mechanize
    // refuses everything after a 401 or 403; this processor does not.)
    for status in [401, 403, 404, 410] {
        let (addr, log) = site(move || reply(status, "Disallow: /")).await;
        let opener = opener(&HTTPRobotRulesProcessor::new());
        for path in ["/a", "/b/c"] {
            let body = get(&opener, &format!("http://{addr}{path}")).await;
            assert_eq!(body.unwrap(), format!("page {path}"), "status {status}");
        }
        assert_eq!(log.count("/robots.txt"), 1, "status {status}: cached");
    }
}

#[tokio::test]
async fn robots_txt_5xx_refuses_until_a_retry_succeeds() {
    let healthy = Arc::new(AtomicBool::new(false));
    let up = Arc::clone(&healthy);
    let (addr, log) = site(move || {
        if up.load(Ordering::SeqCst) {
            reply(200, "User-agent: *\nDisallow: /no\n")
        } else {
            reply(503, "try later")
        }
    })
    .await;
    let page = format!("http://{addr}/page");

    // A long retry interval: refused, and not fetched again.
    let patient = opener(&HTTPRobotRulesProcessor::new());
    for _ in 0..2 {
        let err = get(&patient, &page).await.unwrap_err();
        let refusal = err.robots_refusal().unwrap();
        assert!(
            matches!(
                refusal.cause,
                RefusalCause::Unavailable {
                    status: Some(503),
                    ..
                }
            ),
            "{refusal:?}"
        );
        assert!(refusal.rule().is_none());
    }
    assert_eq!(log.count("/robots.txt"), 1);
    assert_eq!(log.count("/page"), 0);

    // A short one: once the server recovers, the next request fetches again and passes.
    let eager =
        opener(&HTTPRobotRulesProcessor::new().with_retry_interval(Duration::from_millis(10)));
    assert!(get(&eager, &page).await.unwrap_err().is_robot_exclusion());
    healthy.store(true, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(get(&eager, &page).await.unwrap(), "page /page");
    assert!(
        get(&eager, &format!("http://{addr}/no"))
            .await
            .unwrap_err()
            .is_robot_exclusion()
    );
    assert_eq!(log.count("/robots.txt"), 3);
}

#[tokio::test]
async fn an_unreachable_host_is_refused_with_an_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let opener = opener(&HTTPRobotRulesProcessor::new());
    let err = get(&opener, &format!("http://127.0.0.1:{port}/page"))
        .await
        .unwrap_err();
    let refusal = err.robots_refusal().unwrap();
    assert_eq!(
        refusal.robots_url,
        format!("http://127.0.0.1:{port}/robots.txt")
    );
    match &refusal.cause {
        RefusalCause::Unavailable { status, reason } => {
            assert_eq!(*status, None);
            assert!(!reason.is_empty());
        }
        other => panic!("expected Unavailable, got {other:?}"),
    }
}

#[tokio::test]
async fn a_robots_txt_that_never_answers_times_out_into_a_refusal() {
    // Accepts connections and never answers.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            open.push(stream);
        }
    });
    let robots = HTTPRobotRulesProcessor::new().with_fetch_timeout(Duration::from_millis(100));
    let err = get(&opener(&robots), &format!("http://{addr}/page"))
        .await
        .unwrap_err();
    match &err.robots_refusal().unwrap().cause {
        RefusalCause::Unavailable { status, reason } => {
            assert_eq!(*status, None);
            assert!(reason.contains("timed out"), "{reason}");
        }
        other => panic!("expected Unavailable, got {other:?}"),
    }
}

#[tokio::test]
async fn a_robots_txt_redirect_loop_allows_everything() {
    let (addr, log) = site(|| {
        let mut r = reply(302, "");
        r.headers_mut()
            .insert("location", "/robots.txt".parse().unwrap());
        r
    })
    .await;
    let opener = opener(&HTTPRobotRulesProcessor::new());
    assert_eq!(
        get(&opener, &format!("http://{addr}/a")).await.unwrap(),
        "page /a"
    );
    let fetches = log.count("/robots.txt");
    assert!(
        fetches > 1,
        "the redirect handler followed the loop ({fetches} fetches)"
    );
    assert_eq!(
        get(&opener, &format!("http://{addr}/b")).await.unwrap(),
        "page /b"
    );
    assert_eq!(log.count("/robots.txt"), fetches, "the outcome is cached");
}

#[tokio::test]
async fn one_fetch_serves_a_hundred_requests_to_one_origin() {
    let (addr, log) = site(|| reply(200, "User-agent: *\nDisallow: /private\n")).await;
    let robots = HTTPRobotRulesProcessor::new();
    let shared = Arc::new(opener(&robots));

    // Sixty at once through one opener, before any robots.txt was read.
    let tasks: Vec<_> = (0..60)
        .map(|i| {
            let opener = Arc::clone(&shared);
            tokio::spawn(async move { get(&opener, &format!("http://{addr}/page/{i}")).await })
        })
        .collect();
    for (i, task) in tasks.into_iter().enumerate() {
        assert_eq!(task.await.unwrap().unwrap(), format!("page /page/{i}"));
    }
    // Then thirty one by one, and ten through another opener sharing the processor.
    for i in 60..90 {
        get(&shared, &format!("http://{addr}/page/{i}"))
            .await
            .unwrap();
    }
    let other = opener(&robots);
    for i in 90..100 {
        get(&other, &format!("http://{addr}/page/{i}"))
            .await
            .unwrap();
    }
    assert_eq!(log.count("/robots.txt"), 1);
    let pages = log
        .0
        .lock()
        .unwrap()
        .iter()
        .filter(|h| h.path.starts_with("/page/"))
        .count();
    assert_eq!(pages, 100);

    // A second origin gets its own fetch.
    let (addr2, log2) = site(|| reply(200, "User-agent: *\nDisallow: /\n")).await;
    assert!(
        get(&other, &format!("http://{addr2}/x"))
            .await
            .unwrap_err()
            .is_robot_exclusion()
    );
    assert_eq!(
        (log.count("/robots.txt"), log2.count("/robots.txt")),
        (1, 1)
    );
}

#[tokio::test]
async fn robots_txt_itself_is_always_allowed() {
    let body = "User-agent: *\nDisallow: /\n";
    let (addr, log) = site(move || reply(200, body)).await;
    let opener = opener(&HTTPRobotRulesProcessor::new());
    let got = get(&opener, &format!("http://{addr}/robots.txt"))
        .await
        .unwrap();
    assert_eq!(got, body);
    assert_eq!(log.count("/robots.txt"), 1, "no check, so no second fetch");
    assert!(
        get(&opener, &format!("http://{addr}/"))
            .await
            .unwrap_err()
            .is_robot_exclusion()
    );
}

#[tokio::test]
async fn the_user_agent_token_selects_the_group() {
    let (addr, log) = site(|| {
        reply(
            200,
            "User-agent: mechanize-rs\nDisallow: /not-for-mechanize\n\n\
             User-agent: *\nDisallow: /not-for-others\n",
        )
    })
    .await;
    let opener = opener(&HTTPRobotRulesProcessor::new());

    // The opener's User-Agent, mechanize-rs/<version>.
    let err = get(&opener, &format!("http://{addr}/not-for-mechanize"))
        .await
        .unwrap_err();
    let refusal = err.robots_refusal().unwrap();
    assert_eq!(refusal.user_agent, "mechanize-rs");
    assert_eq!(refusal.rule().unwrap().line, 2);
    assert!(
        get(&opener, &format!("http://{addr}/not-for-others"))
            .await
            .is_ok()
    );
    let fetch = &log.hits("/robots.txt")[0];
    assert_eq!(fetch.user_agent.as_deref(), Some(mechanize::USER_AGENT));

    // The request's own User-Agent.
    let open_as_other = |path: &str| {
        let mut req = Request::new(&format!("http://{addr}{path}")).unwrap();
        req.add_header("User-Agent", "OtherBot/2.0 (+http://example.invalid)")
            .unwrap();
        opener.open(req)
    };
    assert!(open_as_other("/not-for-mechanize").await.is_ok());
    let err = open_as_other("/not-for-others").await.unwrap_err();
    let refusal = err.robots_refusal().unwrap();
    assert_eq!(refusal.user_agent, "OtherBot");
    let rule = refusal.rule().unwrap();
    assert_eq!((rule.line, rule.pattern.as_str()), (5, "/not-for-others"));
}

#[tokio::test]
async fn crawl_delay_is_exposed_per_group() {
    let (addr, _) = site(|| {
        reply(
            200,
            "User-agent: mechanize-rs\nCrawl-delay: 1.5\nDisallow: /x\n\n\
             User-agent: *\nCrawl-delay: 3\n",
        )
    })
    .await;
    let robots = HTTPRobotRulesProcessor::new();
    let url = format!("http://{addr}/");
    assert_eq!(
        robots.crawl_delay(&url, "mechanize-rs").await,
        None,
        "nothing fetched yet"
    );
    get(&opener(&robots), &url).await.unwrap();
    assert_eq!(
        robots.crawl_delay(&url, "mechanize-rs").await,
        Some(Duration::from_millis(1500))
    );
    assert_eq!(
        robots.crawl_delay(&url, "OtherBot").await,
        Some(Duration::from_secs(3))
    );
    let cached = robots
        .robots_txt(&format!("http://{addr}/any/page"))
        .await
        .unwrap();
    assert!(!cached.is_allowed("mechanize-rs", &format!("http://{addr}/x")));
}

#[tokio::test]
async fn politeness_spaces_requests_to_one_host_by_the_crawl_delay() {
    let delay = Duration::from_millis(150);
    let (addr, log) = site(|| reply(200, "User-agent: *\nCrawl-delay: 0.15\n")).await;
    let robots = HTTPRobotRulesProcessor::new().with_politeness(true);
    let shared = Arc::new(opener(&robots));

    let start = Instant::now();
    get(&shared, &format!("http://{addr}/one")).await.unwrap();
    get(&shared, &format!("http://{addr}/two")).await.unwrap();
    assert!(start.elapsed() >= delay, "{:?}", start.elapsed());

    // Three at once from separate tasks still take their turns: the last starts at least
    // three delays after /two did.
    let tasks: Vec<_> = (0..3)
        .map(|i| {
            let opener = Arc::clone(&shared);
            tokio::spawn(async move { get(&opener, &format!("http://{addr}/c{i}")).await })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    assert!(start.elapsed() >= delay * 4, "{:?}", start.elapsed());
    assert_eq!(log.count("/robots.txt"), 1);

    // A minimum delay applies where robots.txt names none.
    let (addr2, _) = site(|| reply(404, "")).await;
    let min = Duration::from_millis(100);
    let polite = opener(
        &HTTPRobotRulesProcessor::new()
            .with_politeness(true)
            .with_min_delay(min),
    );
    let start = Instant::now();
    for i in 0..3 {
        get(&polite, &format!("http://{addr2}/{i}")).await.unwrap();
    }
    assert!(start.elapsed() >= min * 2, "{:?}", start.elapsed());
}

#[tokio::test]
async fn cached_rules_expire() {
    let (addr, log) = site(|| reply(200, "User-agent: *\nDisallow: /x\n")).await;
    let robots = HTTPRobotRulesProcessor::new().with_cache_ttl(Duration::from_millis(10));
    let opener = opener(&robots);
    get(&opener, &format!("http://{addr}/a")).await.unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    get(&opener, &format!("http://{addr}/b")).await.unwrap();
    assert_eq!(log.count("/robots.txt"), 2);
}

#[tokio::test]
async fn robots_txt_is_fetched_through_the_chain_with_redirects_and_cookies() {
    let (addr, log) = site_with(|path| match path {
        "/robots.txt" => {
            let mut r = reply(301, "");
            r.headers_mut()
                .insert("location", "/real-robots.txt".parse().unwrap());
            Some(r)
        }
        "/real-robots.txt" => Some(reply(
            200,
            "User-agent: *\nDisallow: /real-robots.txt\nDisallow: /hidden\n",
        )),
        "/login" => {
            let mut r = reply(200, "welcome");
            r.headers_mut()
                .insert("set-cookie", "session=42; Path=/".parse().unwrap());
            Some(r)
        }
        _ => None,
    })
    .await;
    let robots = HTTPRobotRulesProcessor::new().with_cache_ttl(Duration::from_millis(10));
    let opener = opener(&robots);

    assert_eq!(
        get(&opener, &format!("http://{addr}/login")).await.unwrap(),
        "welcome"
    );
    tokio::time::sleep(Duration::from_millis(50)).await;
    let err = get(&opener, &format!("http://{addr}/hidden"))
        .await
        .unwrap_err();
    assert_eq!(err.robots_refusal().unwrap().rule().unwrap().line, 3);
    // The robots.txt fetch that followed the login sent the session cookie, on both hops.
    let fetches = log.hits("/robots.txt");
    assert_eq!(fetches.len(), 2);
    assert_eq!(fetches[0].cookie, None);
    assert_eq!(fetches[1].cookie.as_deref(), Some("session=42"));
    assert_eq!(
        log.hits("/real-robots.txt")[1].cookie.as_deref(),
        Some("session=42")
    );
}

#[tokio::test]
async fn only_the_first_500_kib_of_robots_txt_is_read() {
    let (addr, _) = site_with(|path| match path {
        "/robots.txt" => {
            let mut body = b"User-agent: *\nDisallow: /early\n".to_vec();
            body.resize(MAX_ROBOTS_TXT_BYTES, b'#');
            body.extend_from_slice(b"\nDisallow: /late\n");
            Some(reply(200, body))
        }
        _ => None,
    })
    .await;
    let opener = opener(&HTTPRobotRulesProcessor::new());
    assert!(
        get(&opener, &format!("http://{addr}/early"))
            .await
            .unwrap_err()
            .is_robot_exclusion()
    );
    assert_eq!(
        get(&opener, &format!("http://{addr}/late")).await.unwrap(),
        "page /late"
    );
}

#[tokio::test]
async fn other_schemes_are_not_checked() {
    let opener = opener(&HTTPRobotRulesProcessor::new());
    let mut r = opener.open_url("data:,no%20robots%20here").await.unwrap();
    assert_eq!(r.text().await.unwrap(), "no robots here");
}
