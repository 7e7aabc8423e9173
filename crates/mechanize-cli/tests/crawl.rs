//! `mechanize crawl` against real sites on 127.0.0.1: robots.txt, limits, same host, per-host
//! concurrency, Crawl-delay, JSON lines, cookies after a login, and resuming with a SQLite jar.

#![allow(clippy::unwrap_used)]

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::Full;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use mechanize_cli::crawl::{CrawlOptions, PageRecord, RobotsVerdict, crawl};
use serde_json::Value;
use url::Url;

/// One request as the test site saw it.
#[derive(Debug, Clone)]
struct Seen {
    path: String,
    at: Instant,
    cookie: Option<String>,
    referer: Option<String>,
    agent: Option<String>,
}

/// What a route answers: status, headers, body (HTML unless a content type is given).
type Answer = (u16, Vec<(&'static str, String)>, String);

#[derive(Default)]
struct State {
    seen: Mutex<Vec<Seen>>,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
}

struct Site {
    addr: SocketAddr,
    state: Arc<State>,
}

impl Site {
    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
    fn seen(&self) -> Vec<Seen> {
        self.state.seen.lock().unwrap().clone()
    }
    fn hits(&self, path: &str) -> usize {
        self.seen().iter().filter(|s| s.path == path).count()
    }
}

/// Starts a site answering with `route`; pages other than robots.txt take `delay`.
async fn site<F>(delay: Duration, route: F) -> Site
where
    F: Fn(&str) -> Answer + Send + Sync + 'static,
{
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let state = Arc::new(State::default());
    let route = Arc::new(route);
    let shared = Arc::clone(&state);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let (state, route) = (Arc::clone(&shared), Arc::clone(&route));
            tokio::spawn(async move {
                let service = service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
                    let (state, route) = (Arc::clone(&state), Arc::clone(&route));
                    async move {
                        let path = request.uri().path().to_owned();
                        let header = |name| {
                            request
                                .headers()
                                .get(name)
                                .and_then(|v: &http::HeaderValue| v.to_str().ok())
                                .map(str::to_owned)
                        };
                        state.seen.lock().unwrap().push(Seen {
                            path: path.clone(),
                            at: Instant::now(),
                            cookie: header("cookie"),
                            referer: header("referer"),
                            agent: header("user-agent"),
                        });
                        let now = state.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                        state.max_in_flight.fetch_max(now, Ordering::SeqCst);
                        if path != "/robots.txt" {
                            tokio::time::sleep(delay).await;
                        }
                        let (status, headers, body) = route(&path);
                        state.in_flight.fetch_sub(1, Ordering::SeqCst);
                        let mut response = hyper::Response::new(Full::new(Bytes::from(body)));
                        *response.status_mut() = http::StatusCode::from_u16(status).unwrap();
                        let map = response.headers_mut();
                        map.insert("content-type", "text/html".parse().unwrap());
                        for (name, value) in headers {
                            map.append(name, value.parse().unwrap());
                        }
                        Ok::<_, Infallible>(response)
                    }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    Site { addr, state }
}

fn html(links: &[&str]) -> Answer {
    let body: String = links
        .iter()
        .map(|l| format!(r#"<a href="{l}">{l}</a> "#))
        .collect();
    (200, vec![], format!("<html><body>{body}</body></html>"))
}

fn robots(text: &str) -> Answer {
    (
        200,
        vec![("content-type", "text/plain".into())],
        text.into(),
    )
}

fn not_found() -> Answer {
    (404, vec![], "not found".into())
}

/// Runs the library's crawl from `start`, collecting the records.
async fn run(options: CrawlOptions) -> (Vec<PageRecord>, mechanize_cli::crawl::Summary) {
    let mut records = Vec::new();
    let summary = crawl(options, |r| records.push(r.clone())).await.unwrap();
    (records, summary)
}

fn options(start: &str) -> CrawlOptions {
    CrawlOptions::new(Url::parse(start).unwrap())
}

fn paths(records: &[PageRecord]) -> Vec<String> {
    let mut paths: Vec<String> = records
        .iter()
        .map(|r| Url::parse(&r.url).unwrap().path().to_owned())
        .collect();
    paths.sort();
    paths
}

#[tokio::test]
async fn robots_txt_is_obeyed_and_the_refusal_reported() {
    let site = site(Duration::ZERO, |path| match path {
        "/robots.txt" => robots("User-agent: *\nDisallow: /private/\n"),
        "/" => html(&["/public", "/private/secret"]),
        "/public" | "/private/secret" => html(&[]),
        _ => not_found(),
    })
    .await;
    let (records, summary) = run(options(&site.url("/"))).await;
    assert_eq!(paths(&records), ["/", "/private/secret", "/public"]);
    let refused = records
        .iter()
        .find(|r| r.url.ends_with("/private/secret"))
        .unwrap();
    assert_eq!(refused.robots, RobotsVerdict::Disallowed);
    assert_eq!(refused.status, None);
    assert!(
        refused
            .robots_rule
            .as_deref()
            .unwrap()
            .contains("Disallow: /private/"),
        "{refused:?}"
    );
    assert_eq!(
        site.hits("/private/secret"),
        0,
        "a disallowed page is never fetched"
    );
    assert_eq!(site.hits("/robots.txt"), 1, "robots.txt is fetched once");
    assert_eq!(summary.disallowed, 1);
    assert_eq!(summary.ok, 2);
    let public = records.iter().find(|r| r.url.ends_with("/public")).unwrap();
    assert_eq!(public.robots, RobotsVerdict::Allowed);
    assert_eq!(public.status, Some(200));
    assert_eq!(public.referer.as_deref(), Some(site.url("/").as_str()));
    let seen = site.seen();
    let hit = seen.iter().find(|s| s.path == "/public").unwrap();
    assert_eq!(
        hit.referer.as_deref(),
        Some(site.url("/").as_str()),
        "Referer sent"
    );
}

#[tokio::test]
async fn depth_limits_how_far_links_are_followed() {
    let site = site(Duration::ZERO, |path| match path {
        "/" => html(&["/1"]),
        "/1" => html(&["/2"]),
        "/2" => html(&["/3"]),
        "/3" => html(&[]),
        _ => not_found(),
    })
    .await;
    let mut opts = options(&site.url("/"));
    opts.max_depth = 2;
    let (records, _) = run(opts).await;
    assert_eq!(paths(&records), ["/", "/1", "/2"]);
    let depths: HashMap<String, usize> = records.iter().map(|r| (r.url.clone(), r.depth)).collect();
    assert_eq!(depths[&site.url("/2")], 2);
    assert_eq!(site.hits("/3"), 0);
}

#[tokio::test]
async fn max_pages_limits_the_urls_tried() {
    let site = site(Duration::ZERO, |path| match path {
        "/" => html(&["/a", "/b", "/c", "/d", "/e", "/f", "/a#again"]),
        "/robots.txt" => not_found(),
        _ => html(&[]),
    })
    .await;
    let mut opts = options(&site.url("/"));
    opts.max_pages = 4;
    let (records, summary) = run(opts).await;
    assert_eq!(records.len(), 4);
    assert_eq!(summary.pages, 4);
    assert_eq!(summary.left, 3, "6 links, fragments dropped, 3 tried");
    let pages = site
        .seen()
        .iter()
        .filter(|s| s.path != "/robots.txt")
        .count();
    assert_eq!(pages, 4);
}

#[tokio::test]
async fn other_hosts_are_followed_only_with_all_hosts() {
    let other = site(Duration::ZERO, |_| html(&[])).await;
    let link = other.url("/elsewhere");
    let home = site(Duration::ZERO, move |path| match path {
        "/" => html(&[link.as_str(), "/here"]),
        _ => html(&[]),
    })
    .await;
    let (records, _) = run(options(&home.url("/"))).await;
    assert_eq!(paths(&records), ["/", "/here"]);
    assert_eq!(
        other.hits("/elsewhere"),
        0,
        "another host:port is left alone"
    );

    let mut opts = options(&home.url("/"));
    opts.all_hosts = true;
    let (records, _) = run(opts).await;
    assert_eq!(paths(&records), ["/", "/elsewhere", "/here"]);
    assert_eq!(other.hits("/elsewhere"), 1);
}

#[tokio::test]
async fn per_host_limit_caps_concurrent_requests() {
    let site = site(Duration::from_millis(300), |path| match path {
        "/" => html(&["/1", "/2", "/3", "/4", "/5", "/6", "/7", "/8"]),
        "/robots.txt" => not_found(),
        _ => html(&[]),
    })
    .await;
    let mut opts = options(&site.url("/"));
    opts.per_host = 2;
    opts.jobs = 8;
    let (records, _) = run(opts).await;
    assert_eq!(records.len(), 9);
    assert_eq!(
        site.state.max_in_flight.load(Ordering::SeqCst),
        2,
        "two at a time: never more, and the limit is used"
    );
}

#[tokio::test]
async fn crawl_delay_spaces_requests_to_a_host() {
    let site = site(Duration::ZERO, |path| match path {
        "/robots.txt" => robots("User-agent: *\nCrawl-delay: 0.3\n"),
        "/" => html(&["/1", "/2", "/3"]),
        _ => html(&[]),
    })
    .await;
    let mut opts = options(&site.url("/"));
    opts.per_host = 3;
    let (records, _) = run(opts).await;
    assert_eq!(records.len(), 4);
    let times: Vec<Instant> = site
        .seen()
        .iter()
        .filter(|s| s.path != "/robots.txt")
        .map(|s| s.at)
        .collect();
    assert_eq!(times.len(), 4);
    for pair in times.windows(2) {
        let gap = pair[1] - pair[0];
        // The delay is measured where the request leaves; allow for timer granularity.
        assert!(gap >= Duration::from_millis(280), "requests {gap:?} apart");
    }
}

#[tokio::test]
async fn cookies_set_at_login_are_sent_afterwards() {
    let site = site(Duration::ZERO, |path| match path {
        "/login" => (
            302,
            vec![
                ("location", "/home".into()),
                ("set-cookie", "sid=s3cret; Path=/".into()),
            ],
            String::new(),
        ),
        "/home" => html(&["/members"]),
        "/members" => html(&[]),
        _ => not_found(),
    })
    .await;
    let (records, _) = run(options(&site.url("/login"))).await;
    let login = records.iter().find(|r| r.url.ends_with("/login")).unwrap();
    assert_eq!(login.final_url.as_deref(), Some(site.url("/home").as_str()));
    assert_eq!(login.cookies_sent, None);
    assert_eq!(login.cookies_set, ["sid=s3cret"]);
    assert_eq!(
        login.hops.len(),
        3,
        "robots.txt, /login, /home: {:?}",
        login.hops
    );
    assert_eq!(login.hops[2].via, Some("redirect"));
    assert_eq!(login.hops[2].cookie.as_deref(), Some("sid=s3cret"));
    let members = records
        .iter()
        .find(|r| r.url.ends_with("/members"))
        .unwrap();
    assert_eq!(members.cookies_sent.as_deref(), Some("sid=s3cret"));
    let seen = site.seen();
    let hit = seen.iter().find(|s| s.path == "/members").unwrap();
    assert_eq!(hit.cookie.as_deref(), Some("sid=s3cret"));
}

#[tokio::test]
async fn errors_are_records_not_failures() {
    let site = site(Duration::ZERO, |path| match path {
        "/" => html(&["/missing", "/loop"]),
        "/loop" => (302, vec![("location", "/loop".into())], String::new()),
        _ => not_found(),
    })
    .await;
    let (records, summary) = run(options(&site.url("/"))).await;
    let missing = records
        .iter()
        .find(|r| r.url.ends_with("/missing"))
        .unwrap();
    assert_eq!(missing.status, Some(404));
    assert!(missing.error.as_deref().unwrap().contains("404"));
    let looped = records.iter().find(|r| r.url.ends_with("/loop")).unwrap();
    let error = looped.error.as_deref().unwrap();
    assert!(error.contains("infinite loop"), "{error}");
    assert!(!error.contains('\n'), "an error is one line");
    assert_eq!(summary.errors, 2);
}

#[tokio::test]
async fn robots_rules_are_matched_against_the_user_agent_token() {
    let site = site(Duration::ZERO, |path| match path {
        "/robots.txt" => robots("User-agent: badbot\nDisallow: /\n"),
        _ => html(&[]),
    })
    .await;
    let mut opts = options(&site.url("/"));
    opts.user_agent = "badbot/2.0 (+https://example.invalid/bot)".into();
    let (records, _) = run(opts).await;
    assert_eq!(records[0].robots, RobotsVerdict::Disallowed);
    assert_eq!(
        records[0].robots_rule.as_deref(),
        Some("line 2: Disallow: /")
    );
    let (records, _) = run(options(&site.url("/"))).await;
    assert_eq!(
        records[0].robots,
        RobotsVerdict::Allowed,
        "mechanize-rs is not badbot"
    );
    assert_eq!(site.hits("/"), 1);
    let agents: Vec<Option<String>> = site.seen().into_iter().map(|s| s.agent).collect();
    assert_eq!(
        agents[0].as_deref(),
        Some("badbot/2.0 (+https://example.invalid/bot)"),
        "robots.txt is fetched with the crawl's User-Agent"
    );
}

#[tokio::test]
async fn a_page_slower_than_the_timeout_is_an_error_record() {
    let site = site(Duration::from_secs(2), |_| html(&[])).await;
    let mut opts = options(&site.url("/"));
    opts.timeout = Some(Duration::from_millis(300));
    let started = Instant::now();
    let (records, summary) = run(opts).await;
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].status, None);
    assert!(records[0].error.is_some(), "{:?}", records[0]);
    assert_eq!(summary.errors, 1);
}

#[tokio::test]
async fn a_start_url_redirecting_to_another_host_brings_that_host_in() {
    let target = site(Duration::ZERO, |path| match path {
        "/" => html(&["/page"]),
        _ => html(&[]),
    })
    .await;
    let location = target.url("/");
    let start = site(Duration::ZERO, move |_| {
        (302, vec![("location", location.clone())], String::new())
    })
    .await;
    let (records, _) = run(options(&start.url("/"))).await;
    let urls: Vec<&str> = records.iter().map(|r| r.url.as_str()).collect();
    assert_eq!(urls, [start.url("/"), target.url("/page")]);
    assert_eq!(
        records[0].final_url.as_deref(),
        Some(target.url("/").as_str())
    );
}

/// Runs the binary with `args` (blocking, so the test site keeps serving meanwhile).
async fn mechanize(args: Vec<String>) -> std::process::Output {
    tokio::task::spawn_blocking(move || {
        assert_cmd::Command::new(env!("CARGO_BIN_EXE_mechanize"))
            .args(&args)
            .timeout(Duration::from_secs(60))
            .output()
            .unwrap()
    })
    .await
    .unwrap()
}

fn json_lines(output: &std::process::Output) -> Vec<Value> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l:?}: {e}")))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_prints_one_json_line_per_page() {
    let site = site(Duration::ZERO, |path| match path {
        "/robots.txt" => robots("User-agent: *\nDisallow: /no\n"),
        "/" => html(&["/yes", "/no"]),
        _ => html(&[]),
    })
    .await;
    let output = mechanize(vec![
        "crawl".into(),
        site.url("/"),
        "--depth".into(),
        "1".into(),
    ])
    .await;
    assert!(output.status.success(), "{output:?}");
    let lines = json_lines(&output);
    assert_eq!(lines.len(), 3, "{lines:?}");
    for line in &lines {
        for field in [
            "url",
            "status",
            "referer",
            "cookies_sent",
            "robots",
            "depth",
        ] {
            assert!(line.get(field).is_some(), "{field} missing in {line}");
        }
    }
    let no = lines.iter().find(|l| l["url"] == site.url("/no")).unwrap();
    assert_eq!(no["robots"], "disallowed");
    assert_eq!(no["robots_rule"], "line 2: Disallow: /no");
    assert_eq!(no["depth"], 1);
    assert_eq!(no["referer"], site.url("/"));
    let yes = lines.iter().find(|l| l["url"] == site.url("/yes")).unwrap();
    assert_eq!(yes["status"], 200);
    assert_eq!(yes["robots"], "allowed");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("3 URLs tried"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_jar_and_resume_carry_a_crawl_across_runs() {
    let site = site(Duration::ZERO, |path| match path {
        "/login" => (
            302,
            vec![
                ("location", "/home".into()),
                ("set-cookie", "sid=kept; Path=/; Max-Age=3600".into()),
            ],
            String::new(),
        ),
        "/home" => html(&["/members", "/login"]),
        "/members" => html(&[]),
        _ => not_found(),
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let jar = dir.path().join("state.sqlite");
    let args = |extra: &[&str]| {
        let mut args = vec![
            "crawl".to_owned(),
            site.url("/login"),
            "--cookie-jar".to_owned(),
            jar.display().to_string(),
        ];
        args.extend(extra.iter().map(|s| (*s).to_owned()));
        args
    };
    let first = mechanize(args(&["--max-pages", "1"])).await;
    assert!(first.status.success(), "{first:?}");
    let lines = json_lines(&first);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["cookies_set"][0], "sid=kept");
    assert!(jar.exists());
    let stored = cookiejar::file::SqliteCookieJar::open(&jar).unwrap();
    assert_eq!(
        stored
            .iter()
            .map(|c| c.name().to_owned())
            .collect::<Vec<_>>(),
        ["sid"]
    );
    drop(stored);

    let second = mechanize(args(&["--resume"])).await;
    assert!(second.status.success(), "{second:?}");
    let lines = json_lines(&second);
    let urls: Vec<&str> = lines.iter().map(|l| l["url"].as_str().unwrap()).collect();
    assert_eq!(
        urls,
        [site.url("/members")],
        "/login was done; /members was queued"
    );
    assert_eq!(
        lines[0]["cookies_sent"], "sid=kept",
        "the cookie came from the jar"
    );
    assert_eq!(lines[0]["referer"], site.url("/home"));
    assert_eq!(site.hits("/login"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_start_url_is_a_one_line_error() {
    let output = mechanize(vec!["crawl".into(), "ftp://example.invalid/".into()]).await;
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("only http and https"), "{stderr}");
    let output = mechanize(vec!["crawl".into(), "http://x/".into(), "--resume".into()]).await;
    assert!(!output.status.success(), "--resume needs --cookie-jar");
}
