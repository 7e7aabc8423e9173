//! Cookie jars shared with curl: a jar curl wrote (`-c`) is used by `mechanize get`, and a
//! jar `mechanize get` saved is sent by curl (`-b`), against a server on 127.0.0.1.

use std::net::SocketAddr;
use std::process::Command as Process;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use assert_cmd::Command;
use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::{Request, Response};

/// Whether curl is installed; CI installs it (`.ci/run`).
fn curl_present() -> bool {
    let found = Process::new("curl")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        eprintln!("note: curl is not installed: the curl interoperability test is skipped");
    }
    found
}

/// A site that sets cookies on `/set-*` and records the Cookie header of every other page.
struct Site {
    addr: SocketAddr,
    cookies_seen: Arc<Mutex<Vec<(String, String)>>>,
    _runtime: tokio::runtime::Runtime,
}

impl Site {
    fn start() -> Site {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        let cookies_seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&cookies_seen);
        let addr = runtime
            .block_on(mechanize_integration_tests::serve(
                move |req: Request<Incoming>| {
                    let path = req.uri().path().to_owned();
                    let cookie = req
                        .headers()
                        .get("cookie")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("")
                        .to_owned();
                    log.lock().expect("log").push((path.clone(), cookie));
                    let builder = Response::builder();
                    let builder = match path.as_str() {
                        "/robots.txt" => builder.status(404),
                        "/set-by-curl" => builder
                            .header("Set-Cookie", "curl_persistent=c1; Path=/; Max-Age=3600")
                            .header("Set-Cookie", "curl_session=c2; Path=/"),
                        "/set-by-mechanize" => builder
                            .header("Set-Cookie", "mech_persistent=m1; Path=/; Max-Age=3600")
                            .header("Set-Cookie", "mech_session=m2; Path=/; HttpOnly"),
                        _ => builder,
                    };
                    builder
                        .body(Full::new(Bytes::from_static(b"ok")))
                        .expect("response")
                },
            ))
            .expect("serve");
        Site {
            addr,
            cookies_seen,
            _runtime: runtime,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The Cookie header sent for `path` (the last request for it).
    fn cookie_at(&self, path: &str) -> Option<String> {
        self.cookies_seen
            .lock()
            .expect("log")
            .iter()
            .rev()
            .find(|(p, _)| p == path)
            .map(|(_, c)| c.clone())
    }
}

fn sorted(header: &str) -> Vec<String> {
    let mut parts: Vec<String> = header.split("; ").map(str::to_owned).collect();
    parts.sort();
    parts
}

fn curl(args: &[&str]) {
    let output = Process::new("curl")
        .args(["-s", "-S", "--noproxy", "*", "--max-time", "30"])
        .args(args)
        .output()
        .expect("run curl");
    assert!(
        output.status.success(),
        "curl {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn mechanize() -> Command {
    let mut cmd = Command::cargo_bin("mechanize").expect("the mechanize binary");
    cmd.env("no_proxy", "127.0.0.1,localhost")
        .env("NO_PROXY", "127.0.0.1,localhost")
        .timeout(Duration::from_secs(60));
    cmd
}

#[test]
fn a_jar_written_by_curl_is_used_by_mechanize() {
    if !curl_present() {
        return;
    }
    let site = Site::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let jar = dir.path().join("curl-jar.txt");
    let jar_arg = jar.to_str().expect("UTF-8 path");
    curl(&["-o", "/dev/null", "-c", jar_arg, &site.url("/set-by-curl")]);
    let written = std::fs::read_to_string(&jar).expect("curl wrote its jar");
    assert!(written.contains("curl_persistent"), "{written}");

    mechanize()
        .args(["get", "--cookie-jar", jar_arg, &site.url("/page")])
        .assert()
        .success()
        .stdout("ok");
    assert_eq!(
        sorted(&site.cookie_at("/page").expect("requested")),
        ["curl_persistent=c1", "curl_session=c2"],
        "both of curl's cookies sent, its session cookie too"
    );
}

#[test]
fn a_jar_saved_by_mechanize_is_sent_by_curl() {
    if !curl_present() {
        return;
    }
    let site = Site::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let jar = dir.path().join("our-jar.txt");
    let jar_arg = jar.to_str().expect("UTF-8 path");
    mechanize()
        .args(["get", "-c", jar_arg, &site.url("/set-by-mechanize")])
        .assert()
        .success();

    curl(&["-o", "/dev/null", "-b", jar_arg, &site.url("/from-curl")]);
    assert_eq!(
        sorted(&site.cookie_at("/from-curl").expect("requested")),
        ["mech_persistent=m1", "mech_session=m2"],
        "curl read our persistent, session and HttpOnly cookies"
    );

    // And curl's own rewrite of our jar still reads back in mechanize.
    curl(&[
        "-o",
        "/dev/null",
        "-b",
        jar_arg,
        "-c",
        jar_arg,
        &site.url("/set-by-curl"),
    ]);
    mechanize()
        .args(["get", "-c", jar_arg, &site.url("/last")])
        .assert()
        .success();
    assert_eq!(
        sorted(&site.cookie_at("/last").expect("requested")),
        [
            "curl_persistent=c1",
            "curl_session=c2",
            "mech_persistent=m1",
            "mech_session=m2"
        ]
    );
}
