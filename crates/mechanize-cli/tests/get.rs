//! `mechanize get`, the built binary driven by assert_cmd against real servers on 127.0.0.1:
//! body, output file, headers, form data, cookie jars, robots.txt, errors and timeouts.

use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Request, Response, StatusCode};
use predicates::prelude::*;

/// What the server saw of one request.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    headers: http::HeaderMap,
    body: Bytes,
}

impl Seen {
    fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|v| v.to_str().expect("ASCII header").to_owned())
    }
}

/// A server on 127.0.0.1, running on its own runtime's threads while the test waits on the
/// command, recording every request.
struct Server {
    addr: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
    _runtime: tokio::runtime::Runtime,
}

impl Server {
    fn start(handler: impl Fn(&Seen) -> Response<Full<Bytes>> + Send + Sync + 'static) -> Server {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        let addr = runtime
            .block_on(mechanize_integration_tests::serve(
                move |req: Request<Incoming>| {
                    let (parts, body) = req.into_parts();
                    // The handler is synchronous: read the body on this worker thread.
                    let body = tokio::task::block_in_place(|| {
                        tokio::runtime::Handle::current().block_on(body.collect())
                    })
                    .map(|b| b.to_bytes())
                    .unwrap_or_default();
                    let s = Seen {
                        method: parts.method.to_string(),
                        path: parts.uri.to_string(),
                        headers: parts.headers,
                        body,
                    };
                    log.lock().expect("log").push(s.clone());
                    handler(&s)
                },
            ))
            .expect("serve");
        Server {
            addr,
            seen,
            _runtime: runtime,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().expect("log").clone()
    }

    /// The requests for `path` (robots.txt fetches are left out when asking for others).
    fn seen_at(&self, path: &str) -> Vec<Seen> {
        self.seen().into_iter().filter(|s| s.path == path).collect()
    }
}

fn ok(body: &str) -> Response<Full<Bytes>> {
    Response::new(Full::new(Bytes::from(body.to_owned())))
}

fn status(code: u16) -> Response<Full<Bytes>> {
    let mut r = Response::new(Full::new(Bytes::from_static(b"error page")));
    *r.status_mut() = StatusCode::from_u16(code).expect("status");
    r
}

/// The site most tests use: no robots.txt (404: everything allowed), pages echoing nothing.
fn plain_site(s: &Seen) -> Response<Full<Bytes>> {
    match s.path.as_str() {
        "/robots.txt" => status(404),
        "/missing" => status(404),
        _ => ok("hello from the server\n"),
    }
}

fn mechanize() -> Command {
    let mut cmd = Command::cargo_bin("mechanize").expect("the mechanize binary");
    cmd.env("no_proxy", "127.0.0.1,localhost")
        .env("NO_PROXY", "127.0.0.1,localhost")
        .timeout(Duration::from_secs(60));
    cmd
}

fn stderr_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn assert_one_line(stderr: &str) {
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr:?}");
    assert!(stderr.starts_with("mechanize: "), "{stderr:?}");
}

const MOZILLA_HEADER: &str = "# Netscape HTTP Cookie File\n";

#[test]
fn the_body_goes_to_stdout() {
    let server = Server::start(plain_site);
    mechanize()
        .args(["get", &server.url("/page")])
        .assert()
        .success()
        .stdout("hello from the server\n")
        .stderr("");
    let pages = server.seen_at("/page");
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0].method, "GET");
    let ua = pages[0].header("user-agent").expect("a User-Agent");
    assert!(ua.starts_with("mechanize-rs/"), "{ua}");
    assert_eq!(
        server.seen_at("/robots.txt").len(),
        1,
        "robots.txt consulted"
    );
}

#[test]
fn output_file_is_written_whole_and_nothing_goes_to_stdout() {
    let server = Server::start(|s| match s.path.as_str() {
        "/big" => ok(&"0123456789".repeat(100_000)),
        _ => plain_site(s),
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("big.bin");
    mechanize()
        .args(["get", "-o"])
        .arg(&out)
        .arg(server.url("/big"))
        .assert()
        .success()
        .stdout("")
        .stderr("");
    let written = std::fs::read(&out).expect("output written");
    assert_eq!(written.len(), 1_000_000);
    assert!(written.starts_with(b"0123456789"));
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .expect("read dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(
        names,
        vec![std::ffi::OsString::from("big.bin")],
        "no temporary file left"
    );
}

#[test]
fn a_failed_download_leaves_an_existing_output_file_untouched() {
    let server = Server::start(plain_site);
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("page.html");
    std::fs::write(&out, "previous contents").expect("write");
    let output = mechanize()
        .args(["get", "-o"])
        .arg(&out)
        .arg(server.url("/missing"))
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(22));
    assert_eq!(
        std::fs::read_to_string(&out).expect("read"),
        "previous contents"
    );
}

#[test]
fn headers_user_agent_and_form_data_reach_the_server() {
    let server = Server::start(plain_site);
    mechanize()
        .args([
            "get",
            "--no-robots",
            "-H",
            "X-Trace: abc 123",
            "--header",
            "Accept-Language: fr",
            "-A",
            "test-bot/2.0",
            "-d",
            "user=me",
            "--data",
            "password=s%26cret",
            "--referer",
            "http://referrer.example/",
            &server.url("/login"),
        ])
        .assert()
        .success()
        .stdout("hello from the server\n");
    let seen = server.seen();
    assert_eq!(seen.len(), 1, "no robots.txt with --no-robots: {seen:?}");
    let login = &seen[0];
    assert_eq!(login.method, "POST");
    assert_eq!(&login.body[..], b"user=me&password=s%26cret");
    assert_eq!(
        login.header("content-type").as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(login.header("x-trace").as_deref(), Some("abc 123"));
    assert_eq!(login.header("accept-language").as_deref(), Some("fr"));
    assert_eq!(login.header("user-agent").as_deref(), Some("test-bot/2.0"));
    assert_eq!(
        login.header("referer").as_deref(),
        Some("http://referrer.example/")
    );
}

#[test]
fn robots_txt_is_matched_against_the_user_agent_given() {
    let server = Server::start(|s| match s.path.as_str() {
        "/robots.txt" => ok("User-agent: badbot\nDisallow: /\n"),
        _ => ok("welcome"),
    });
    mechanize()
        .args(["get", "-A", "badbot/1.0", &server.url("/")])
        .assert()
        .code(22)
        .stderr(predicate::str::contains("robots.txt"));
    mechanize()
        .args(["get", "-A", "goodbot/1.0", &server.url("/")])
        .assert()
        .success()
        .stdout("welcome");
}

#[test]
fn robots_txt_refusal_is_one_clear_line_and_no_robots_overrides_it() {
    let server = Server::start(|s| match s.path.as_str() {
        "/robots.txt" => ok("User-agent: *\nDisallow: /private\n"),
        _ => ok("secret page"),
    });
    let output = mechanize()
        .args(["get", &server.url("/private/page")])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(22));
    assert!(output.stdout.is_empty());
    let stderr = stderr_of(&output);
    assert_one_line(&stderr);
    assert!(stderr.contains("robots.txt"), "{stderr}");
    assert!(stderr.contains("Disallow: /private"), "the rule: {stderr}");
    assert!(stderr.contains("--no-robots"), "the way out: {stderr}");
    assert!(
        server.seen_at("/private/page").is_empty(),
        "never requested"
    );

    // --robots is the default, spelled out; --no-robots after it wins.
    mechanize()
        .args([
            "get",
            "--robots",
            "--no-robots",
            &server.url("/private/page"),
        ])
        .assert()
        .success()
        .stdout("secret page");
    assert_eq!(server.seen_at("/private/page").len(), 1);
}

#[test]
fn an_http_error_is_one_line_with_exit_code_22_and_no_body() {
    let server = Server::start(plain_site);
    let output = mechanize()
        .args(["get", &server.url("/missing")])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(22));
    assert!(output.stdout.is_empty(), "no error page on stdout");
    let stderr = stderr_of(&output);
    assert_one_line(&stderr);
    assert_eq!(
        stderr.trim_end(),
        format!(
            "mechanize: HTTP Error 404: Not Found for {}",
            server.url("/missing")
        )
    );
}

#[test]
fn bad_arguments_exit_with_code_2() {
    for args in [
        vec!["get"],
        vec!["get", "--timeout", "soon", "http://127.0.0.1/"],
        vec!["get", "-H", "no colon here", "http://127.0.0.1/"],
        vec!["get", "--no-such-flag", "http://127.0.0.1/"],
        vec!["get", "--refresh=later", "http://127.0.0.1/"],
    ] {
        mechanize()
            .args(&args)
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::is_empty().not());
    }
    // A jar file of unknown type is a usage error too, found before any request.
    let dir = tempfile::tempdir().expect("tempdir");
    let output = mechanize()
        .args(["get", "--cookie-jar"])
        .arg(dir.path().join("jar.json"))
        .arg("http://127.0.0.1:9/")
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    let stderr = stderr_of(&output);
    assert_one_line(&stderr);
    assert!(stderr.contains(".txt"), "says what is accepted: {stderr}");
}

#[test]
fn every_subcommand_has_help() {
    for args in [
        vec!["--help"],
        vec!["get", "--help"],
        vec!["cookies", "--help"],
        vec!["cookies", "list", "--help"],
        vec!["cookies", "convert", "--help"],
        vec!["cookies", "import", "--help"],
    ] {
        mechanize()
            .args(&args)
            .assert()
            .success()
            .stdout(predicate::str::contains("Usage: mechanize"));
    }
    mechanize().args(["get", "--help"]).assert().stdout(
        predicate::str::contains("--cookie-jar").and(predicate::str::contains("Exit status")),
    );
}

/// The site of the cookie tests: `/set` sets a persistent and a session cookie, every page
/// answers with the Cookie header it got.
fn cookie_site(s: &Seen) -> Response<Full<Bytes>> {
    let cookies = s.header("cookie").unwrap_or_default();
    match s.path.as_str() {
        "/robots.txt" => status(404),
        "/set" => Response::builder()
            .header("Set-Cookie", "from_server=2; Path=/; Max-Age=3600")
            .header("Set-Cookie", "session_id=s3; Path=/; HttpOnly")
            .body(Full::new(Bytes::from(cookies)))
            .expect("response"),
        _ => ok(&cookies),
    }
}

#[test]
fn the_cookie_jar_is_loaded_before_and_saved_after() {
    let server = Server::start(cookie_site);
    let dir = tempfile::tempdir().expect("tempdir");
    let jar = dir.path().join("cookies.txt");
    std::fs::write(
        &jar,
        format!("{MOZILLA_HEADER}127.0.0.1\tFALSE\t/\tFALSE\t4102444800\tfrom_file\t1\n"),
    )
    .expect("write jar");

    mechanize()
        .args(["get", "-c"])
        .arg(&jar)
        .arg(server.url("/set"))
        .assert()
        .success()
        .stdout("from_file=1");

    let saved = std::fs::read_to_string(&jar).expect("jar saved");
    assert!(saved.starts_with(MOZILLA_HEADER), "{saved}");
    assert!(saved.contains("\tfrom_file\t1"), "kept: {saved}");
    assert!(saved.contains("\tfrom_server\t2"), "stored: {saved}");
    assert!(
        saved.contains("#HttpOnly_127.0.0.1\tFALSE\t/\tFALSE\t0\tsession_id\ts3"),
        "session cookie saved with expiry 0, as curl does: {saved}"
    );

    // The next run sends all three.
    let output = mechanize()
        .args(["get", "--cookie-jar"])
        .arg(&jar)
        .arg(server.url("/next"))
        .output()
        .expect("run");
    assert!(output.status.success(), "{}", stderr_of(&output));
    let sent = String::from_utf8(output.stdout).expect("utf-8");
    let mut names: Vec<&str> = sent.split("; ").collect();
    names.sort_unstable();
    assert_eq!(names, ["from_file=1", "from_server=2", "session_id=s3"]);
}

#[test]
fn lwp_and_sqlite_jars_carry_cookies_from_one_run_to_the_next() {
    let server = Server::start(cookie_site);
    let dir = tempfile::tempdir().expect("tempdir");
    for name in ["cookies.lwp", "cookies.sqlite"] {
        let jar = dir.path().join(name);
        mechanize()
            .args(["get", "-c"])
            .arg(&jar)
            .arg(server.url("/set"))
            .assert()
            .success()
            .stdout("");
        assert!(jar.exists(), "{name} created");
        let output = mechanize()
            .args(["get", "-c"])
            .arg(&jar)
            .arg(server.url("/again"))
            .output()
            .expect("run");
        assert!(output.status.success(), "{name}: {}", stderr_of(&output));
        let sent = String::from_utf8(output.stdout).expect("utf-8");
        assert!(sent.contains("from_server=2"), "{name}: {sent}");
        assert!(sent.contains("session_id=s3"), "{name}: {sent}");
    }
}

#[test]
fn a_missing_jar_file_is_created_for_get() {
    let server = Server::start(cookie_site);
    let dir = tempfile::tempdir().expect("tempdir");
    let jar = dir.path().join("new.txt");
    mechanize()
        .args(["get", "-c"])
        .arg(&jar)
        .arg(server.url("/set"))
        .assert()
        .success()
        .stdout("");
    let saved = std::fs::read_to_string(&jar).expect("jar created");
    assert!(saved.contains("\tfrom_server\t2"), "{saved}");
}

#[test]
fn the_cookies_of_an_error_page_are_saved_too() {
    let server = Server::start(|s| match s.path.as_str() {
        "/robots.txt" => status(404),
        _ => Response::builder()
            .status(403)
            .header("Set-Cookie", "seen=1; Max-Age=60")
            .body(Full::new(Bytes::new()))
            .expect("response"),
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let jar = dir.path().join("jar.txt");
    mechanize()
        .args(["get", "-c"])
        .arg(&jar)
        .arg(server.url("/forbidden"))
        .assert()
        .code(22);
    let saved = std::fs::read_to_string(&jar).expect("jar saved");
    assert!(saved.contains("\tseen\t1"), "{saved}");
}

fn assert_corrupt_jar_refused(jar: &Path, contents: &[u8], expect_in_message: &str) {
    let server = Server::start(cookie_site);
    std::fs::write(jar, contents).expect("write");
    let output = mechanize()
        .args(["get", "-c"])
        .arg(jar)
        .arg(server.url("/set"))
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1));
    let stderr = stderr_of(&output);
    assert_one_line(&stderr);
    assert!(
        stderr.contains(&jar.display().to_string()),
        "names the file: {stderr}"
    );
    assert!(stderr.contains(expect_in_message), "{stderr}");
    assert_eq!(
        std::fs::read(jar).expect("read"),
        contents,
        "file untouched"
    );
    assert!(server.seen().is_empty(), "no request made");
}

#[test]
fn a_corrupt_jar_file_is_a_clear_error_and_stays_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad_txt =
        format!("{MOZILLA_HEADER}127.0.0.1\tFALSE\t/\tFALSE\t0\tok\t1\nnot a cookie line\n");
    assert_corrupt_jar_refused(&dir.path().join("bad.txt"), bad_txt.as_bytes(), ":3:");
    assert_corrupt_jar_refused(
        &dir.path().join("nomagic.txt"),
        b"127.0.0.1\tFALSE\t/\tFALSE\t0\tok\t1\n",
        ":1:",
    );
    assert_corrupt_jar_refused(&dir.path().join("bad.lwp"), b"this is not lwp\n", "bad.lwp");
    assert_corrupt_jar_refused(
        &dir.path().join("bad.sqlite"),
        b"definitely not a SQLite database, just text",
        "not a database",
    );
}

#[test]
fn a_firefox_database_is_not_used_as_a_jar() {
    let dir = tempfile::tempdir().expect("tempdir");
    let firefox = dir.path().join("firefox.sqlite");
    let mut c = cookiejar::Cookie::new("sid", "1", "127.0.0.1", "/");
    c.set_expires(Some(4_102_444_800));
    c.set_discard(false);
    cookiejar::file::export_firefox(&[c], &firefox).expect("export");
    let before = std::fs::read(&firefox).expect("read");
    let output = mechanize()
        .args(["get", "-c"])
        .arg(&firefox)
        .arg("http://127.0.0.1:9/")
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    let stderr = stderr_of(&output);
    assert_one_line(&stderr);
    assert!(stderr.contains("cookies import"), "{stderr}");
    assert_eq!(std::fs::read(&firefox).expect("read"), before, "untouched");
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

#[test]
fn a_refused_connection_is_one_line_and_exit_code_1() {
    let url = format!("http://127.0.0.1:{}/", free_port());
    for robots in ["--robots", "--no-robots"] {
        let output = mechanize()
            .args(["get", robots, &url])
            .output()
            .expect("run");
        assert_eq!(output.status.code(), Some(1), "{robots}");
        let stderr = stderr_of(&output);
        assert_one_line(&stderr);
        assert!(stderr.contains("Connection refused"), "{robots}: {stderr}");
        assert!(stderr.contains(&url), "{robots}: {stderr}");
    }
}

#[test]
fn verbose_prints_request_and_response_headers_to_stderr() {
    let server = Server::start(|s| match s.path.as_str() {
        "/robots.txt" => status(404),
        _ => Response::builder()
            .header("X-Served-By", "test-server")
            .body(Full::new(Bytes::from_static(b"body")))
            .expect("response"),
    });
    let output = mechanize()
        .args(["get", "-v", "-H", "X-Asked: please", &server.url("/v")])
        .output()
        .expect("run");
    assert!(output.status.success());
    assert_eq!(output.stdout, b"body", "headers never on stdout");
    let stderr = stderr_of(&output);
    assert!(stderr.contains("send: GET"), "{stderr}");
    assert!(
        stderr.contains("x-asked: please"),
        "request header: {stderr}"
    );
    assert!(stderr.contains("user-agent: mechanize-rs/"), "{stderr}");
    assert!(stderr.contains("reply: HTTP/1.1 200 OK"), "{stderr}");
    assert!(
        stderr.contains("x-served-by: test-server"),
        "response header: {stderr}"
    );
}

#[test]
fn refresh_is_followed_only_when_asked() {
    let server = Server::start(|s| match s.path.as_str() {
        "/robots.txt" => status(404),
        "/start" => Response::builder()
            .header("Refresh", "0; url=/next")
            .body(Full::new(Bytes::from_static(b"first")))
            .expect("response"),
        "/slow" => Response::builder()
            .header("Refresh", "30; url=/next")
            .body(Full::new(Bytes::from_static(b"slow first")))
            .expect("response"),
        _ => ok("second"),
    });
    mechanize()
        .args(["get", &server.url("/start")])
        .assert()
        .success()
        .stdout("first");
    mechanize()
        .args(["get", "--refresh", &server.url("/start")])
        .assert()
        .success()
        .stdout("second");
    // A pause above the limit is not followed (nor waited for).
    mechanize()
        .args(["get", "--refresh=1", &server.url("/slow")])
        .assert()
        .success()
        .stdout("slow first");
}

#[test]
fn timeout_gives_up_on_a_silent_server() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    // Accepts connections and never answers (until the test process ends).
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().take(8) {
            held.push(stream);
        }
        std::thread::sleep(Duration::from_secs(60));
    });
    for robots in ["--no-robots", "--robots"] {
        let started = Instant::now();
        let output = mechanize()
            .args([
                "get",
                robots,
                "--timeout",
                "0.5",
                &format!("http://{addr}/"),
            ])
            .output()
            .expect("run");
        let elapsed = started.elapsed();
        assert_eq!(output.status.code(), Some(1), "{robots}");
        let stderr = stderr_of(&output);
        assert_one_line(&stderr);
        assert!(stderr.contains("timed out"), "{robots}: {stderr}");
        assert!(
            elapsed < Duration::from_secs(20),
            "{robots}: took {elapsed:?}"
        );
    }
}

#[test]
fn proxy_gets_the_requests_in_absolute_form() {
    let proxy = Server::start(|s| match s.path.as_str() {
        "http://site.invalid/robots.txt" => status(404),
        _ => ok("via the proxy"),
    });
    mechanize()
        .args([
            "get",
            "--proxy",
            &format!("http://{}", proxy.addr),
            "http://site.invalid/page",
        ])
        .assert()
        .success()
        .stdout("via the proxy");
    let paths: Vec<String> = proxy.seen().into_iter().map(|s| s.path).collect();
    assert_eq!(
        paths,
        ["http://site.invalid/robots.txt", "http://site.invalid/page"],
        "robots.txt and the page, both through the proxy"
    );
    mechanize()
        .args([
            "get",
            "--proxy",
            "socks5://127.0.0.1:1080",
            "http://site.invalid/",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--proxy"));
}

#[test]
fn debug_flags_log_redirects_and_bodies_to_stderr() {
    let server = Server::start(|s| match s.path.as_str() {
        "/robots.txt" => status(404),
        "/old" => Response::builder()
            .status(302)
            .header("Location", "/new")
            .body(Full::new(Bytes::from_static(b"moved")))
            .expect("response"),
        _ => ok("the new page"),
    });
    let quiet = mechanize()
        .args(["get", &server.url("/old")])
        .output()
        .expect("run");
    assert!(quiet.status.success());
    assert_eq!(quiet.stdout, b"the new page");
    assert!(quiet.stderr.is_empty(), "nothing logged without a flag");

    let output = mechanize()
        .args(["get", "--debug-redirects", &server.url("/old")])
        .output()
        .expect("run");
    assert!(output.status.success());
    let stderr = stderr_of(&output);
    assert!(
        stderr.contains(&format!("redirecting to {}", server.url("/new"))),
        "{stderr}"
    );
    assert!(stderr.contains("status=302"), "{stderr}");

    let output = mechanize()
        .args(["get", "--debug-responses", &server.url("/old")])
        .output()
        .expect("run");
    assert!(output.status.success());
    let stderr = stderr_of(&output);
    assert!(stderr.contains("the new page"), "the body logged: {stderr}");
}

#[test]
fn a_meta_refresh_is_followed_with_refresh_unless_equiv_is_off() {
    let server = Server::start(|s| match s.path.as_str() {
        "/robots.txt" => status(404),
        "/meta" => Response::builder()
            .header("Content-Type", "text/html")
            .body(Full::new(Bytes::from_static(
                b"<html><head><meta http-equiv=\"Refresh\" content=\"0; url=/next\"></head></html>",
            )))
            .expect("response"),
        _ => ok("second"),
    });
    mechanize()
        .args(["get", "--refresh", "--equiv", &server.url("/meta")])
        .assert()
        .success()
        .stdout("second");
    let output = mechanize()
        .args(["get", "--refresh", "--no-equiv", &server.url("/meta")])
        .output()
        .expect("run");
    assert!(output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("http-equiv"),
        "the first page, not followed"
    );
}

#[test]
fn data_can_come_from_a_file() {
    let server = Server::start(plain_site);
    let dir = tempfile::tempdir().expect("tempdir");
    let form = dir.path().join("form.txt");
    std::fs::write(&form, "a=1&b=2\r\n").expect("write");
    mechanize()
        .args(["get", "--no-robots", "-H", "Content-Type: text/plain", "-d"])
        .arg(format!("@{}", form.display()))
        .arg(server.url("/post"))
        .assert()
        .success();
    let post = &server.seen_at("/post")[0];
    assert_eq!(
        &post.body[..],
        b"a=1&b=2",
        "line breaks removed, as curl -d @file"
    );
    assert_eq!(
        post.header("content-type").as_deref(),
        Some("text/plain"),
        "-H wins"
    );

    mechanize()
        .args(["get", "--no-robots", "-d"])
        .arg(format!("@{}", dir.path().join("none.txt").display()))
        .arg(server.url("/post"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("none.txt"));
}

#[test]
fn referer_auto_sends_the_redirecting_page() {
    let server = Server::start(|s| match s.path.as_str() {
        "/robots.txt" => status(404),
        "/from" => Response::builder()
            .status(302)
            .header("Location", "/to")
            .body(Full::new(Bytes::new()))
            .expect("response"),
        _ => ok("arrived"),
    });
    mechanize()
        .args([
            "get",
            "--referer",
            "http://start.example/;auto",
            &server.url("/from"),
        ])
        .assert()
        .success()
        .stdout("arrived");
    let from = &server.seen_at("/from")[0];
    let to = &server.seen_at("/to")[0];
    assert_eq!(
        from.header("referer").as_deref(),
        Some("http://start.example/")
    );
    assert_eq!(to.header("referer"), Some(server.url("/from")));

    // Without ;auto the given Referer stays on every hop.
    mechanize()
        .args(["get", "-e", "http://start.example/", &server.url("/from")])
        .assert()
        .success();
    let to = server.seen_at("/to").pop().expect("second visit");
    assert_eq!(
        to.header("referer").as_deref(),
        Some("http://start.example/")
    );
}
