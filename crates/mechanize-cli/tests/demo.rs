//! `mechanize demo`: it needs no network, ends by itself within a minute, exits 0, and its
//! output tells each feature at work (robots, cookies, redirect, refresh, loop, politeness).

#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

#[test]
fn the_demo_runs_alone_and_tells_each_feature() {
    let dir = tempfile::tempdir().unwrap();
    let jar = dir.path().join("demo.sqlite");
    let started = Instant::now();
    let output = assert_cmd::Command::new(env!("CARGO_BIN_EXE_mechanize"))
        .args(["demo", "--cookie-jar"])
        .arg(&jar)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert!(started.elapsed() < Duration::from_secs(60));
    let text = String::from_utf8_lossy(&output.stdout);
    for expected in [
        "robots     fetched /robots.txt",
        "REFUSED by robots.txt (line 2: Disallow: /private/)",
        "cookie     stored session=demo-42 (Set-Cookie header)",
        "redirect   followed: /login -> /account",
        "equiv      stored theme=dark",
        "refresh    meta refresh followed: /meta -> /refreshed",
        "infinite loop",
        "politeness waited",
        "the server got 0 requests under /private/",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
    // Two pages go at a time, so /meta's cookie may come before or after the session's.
    assert!(
        text.lines()
            .any(|l| l.contains("cookie     sent   Cookie:") && l.contains("session=demo-42")),
        "the session cookie is sent after the login:\n{text}"
    );
    let stored = cookiejar::file::SqliteCookieJar::open(&jar).unwrap();
    let mut names: Vec<String> = stored.iter().map(|c| c.name().to_owned()).collect();
    names.sort();
    assert_eq!(
        names,
        ["session", "theme"],
        "the jar given kept the cookies"
    );
}
