//! Guide section 5, "Cookie files": the seed's `LWPCookieJar` flow (`save` and `revert` with
//! `ignore_discard` / `ignore_expires`) and a `MozillaCookieJar` loading a curl-style
//! `cookies.txt`, with an opener talking to a small site on 127.0.0.1. Offline; the files go
//! to a temporary directory; ends by itself.
//!
//! `cargo run -p mechanize-examples --example cookie_files`

use std::sync::Arc;

use bytes::Bytes;
use cookiejar::CookieJar;
use cookiejar::file::{LWPCookieJar, MozillaCookieJar};
use http_body_util::Full;
use hyper::{Request as HyperRequest, Response as HyperResponse};
use mechanize::build_opener;
use mechanize::processors::HTTPCookieProcessor;
use mechanize_integration_tests::{BoxError, serve};

/// The site: `/login` sets a persistent cookie and a session cookie; every page echoes the
/// `Cookie` header it received.
fn site(req: HyperRequest<hyper::body::Incoming>) -> HyperResponse<Full<Bytes>> {
    let cookie = req
        .headers()
        .get("cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
        .to_owned();
    let builder = match req.uri().path() {
        "/login" => HyperResponse::builder()
            .header(
                "Set-Cookie",
                "sid=42; Path=/; Expires=Fri, 01 Jan 2100 00:00:00 GMT",
            )
            .header("Set-Cookie", "tmp=1; Path=/"),
        _ => HyperResponse::builder(),
    };
    builder
        .body(Full::new(Bytes::from(cookie)))
        .unwrap_or_default()
}

/// What cookielib (Python 3.11) writes for the two cookies, with `ignore_discard=True`.
const PYTHON_LWP: &str = "#LWP-Cookies-2.0\n\
Set-Cookie3: sid=42; path=\"/\"; domain=\"127.0.0.1\"; path_spec; expires=\"2100-01-01 00:00:00Z\"; version=0\n\
Set-Cookie3: tmp=1; path=\"/\"; domain=\"127.0.0.1\"; path_spec; discard; version=0\n";

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), BoxError> {
    let addr = serve(site).await?;
    let url = |path: &str| format!("http://{addr}{path}");
    let dir = tempfile::tempdir()?;
    let lwp_path = dir.path().join("cookies.lwp");

    // A first run: log in through an opener, then save its jar in LWP format.
    let jar = Arc::new(CookieJar::new());
    let opener = build_opener(vec![Arc::new(HTTPCookieProcessor::new(Arc::clone(&jar)))]);
    opener.open_url(&url("/login")).await?;
    assert_eq!(jar.len(), 2);

    let file = LWPCookieJar::new().with_filename(&lwp_path);
    file.set_cookies(jar.iter());
    // cj.save() — session cookies are discarded...
    file.save(None, false, false)?;
    let saved = std::fs::read_to_string(&lwp_path)?;
    println!("save():\n{saved}");
    assert_eq!(saved.lines().count(), 2);
    assert!(saved.contains("Set-Cookie3: sid=42;"));
    // ...unless ignore_discard: cj.save(ignore_discard=True). The same bytes as cookielib's.
    file.save(None, true, false)?;
    let saved = std::fs::read_to_string(&lwp_path)?;
    println!("save(ignore_discard=True):\n{saved}");
    assert_eq!(saved, PYTHON_LWP);

    // A second run: cj.revert(ignore_discard=True) replaces the jar's contents with the file's.
    let next_run = LWPCookieJar::new().with_filename(&lwp_path);
    next_run.set_cookie(cookiejar::Cookie::new("stale", "x", "127.0.0.1", "/"));
    next_run.revert(None, true, false)?;
    let mut names: Vec<String> = next_run.iter().map(|c| c.name().to_owned()).collect();
    names.sort();
    println!("revert(ignore_discard=True): {names:?}");
    assert_eq!(names, ["sid", "tmp"]);
    // Without ignore_discard, the session cookie stays out.
    next_run.revert(None, false, false)?;
    assert_eq!(next_run.len(), 1);

    // Its cookies, handed to an opener, go back to the site.
    let jar = Arc::new(CookieJar::new());
    jar.set_cookies(next_run.iter());
    let opener = build_opener(vec![Arc::new(HTTPCookieProcessor::new(Arc::clone(&jar)))]);
    let mut page = opener.open_url(&url("/account")).await?;
    let sent = page.text().await?;
    println!("sent after revert: {sent}");
    assert_eq!(sent, "sid=42");

    // MozillaCookieJar: load a cookies.txt written by curl (or a browser export).
    let txt = dir.path().join("cookies.txt");
    std::fs::write(
        &txt,
        "# Netscape HTTP Cookie File\n\
         127.0.0.1\tFALSE\t/\tFALSE\t4102444800\ttheme\tdark\n\
         #HttpOnly_127.0.0.1\tFALSE\t/\tFALSE\t4102444800\tlogin\tme\n\
         127.0.0.1\tFALSE\t/private\tFALSE\t4102444800\tkey\tk1\n",
    )?;
    let mozilla = MozillaCookieJar::new();
    mozilla.load(Some(&txt), false, false)?;
    println!("cookies.txt: {} cookies", mozilla.len());
    assert_eq!(mozilla.len(), 3);
    let login = mozilla
        .iter()
        .find(|c| c.name() == "login")
        .ok_or("no login cookie")?;
    assert!(login.http_only());

    let jar = Arc::new(CookieJar::new());
    jar.set_cookies(mozilla.iter());
    let opener = build_opener(vec![Arc::new(HTTPCookieProcessor::new(Arc::clone(&jar)))]);
    let mut page = opener.open_url(&url("/private/page")).await?;
    let sent = page.text().await?;
    println!("sent from cookies.txt: {sent}");
    assert_eq!(sent, "key=k1; theme=dark; login=me");
    Ok(())
}
