//! One cookie jar shared by several tasks: a bot logs in once, then four workers crawl with
//! the session, against a small site served on 127.0.0.1. Run with
//! `cargo run -p mechanize-examples --example shared_jar` (add `RUST_LOG`-style detail by
//! passing `--debug` to see every cookie decision).

use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use cookiejar::{BrowserCookiePolicy, CookieJar};
use http_body_util::Full;
use hyper::{Request, Response, StatusCode};
use mechanize_integration_tests::{BoxError, send, serve};

/// The site: `/login` sets a session behind a redirect; other pages say whether it came back.
fn site(req: Request<hyper::body::Incoming>) -> Response<Full<Bytes>> {
    let logged_in = req
        .headers()
        .get("cookie")
        .and_then(|c| c.to_str().ok())
        .is_some_and(|c| c.contains("session=s3cr3t"));
    let response = match req.uri().path() {
        "/login" => Response::builder()
            .status(StatusCode::FOUND)
            .header("Location", "/")
            .header(
                "Set-Cookie",
                "session=s3cr3t; Path=/; HttpOnly; SameSite=Lax",
            ),
        _ => Response::builder(),
    };
    let body = if logged_in {
        "welcome back"
    } else {
        "please log in"
    };
    response
        .body(Full::new(Bytes::from(body)))
        .unwrap_or_default()
}

async fn get(jar: &CookieJar, addr: SocketAddr, path: &str) -> Result<String, BoxError> {
    let url = format!("http://{addr}{path}");
    let mut request = Request::get(url.as_str())
        .header("Host", addr.to_string())
        .body(Full::new(Bytes::new()))?;
    jar.add_cookie_header(&mut request);
    let response = send(addr, request).await?;
    jar.extract_cookies(&response, &Request::get(url.as_str()).body(())?);
    Ok(format!(
        "{} {}",
        response.status().as_u16(),
        String::from_utf8_lossy(response.body())
    ))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), BoxError> {
    if std::env::args().any(|a| a == "--debug") {
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::DEBUG)
            .with_target(false)
            .init();
    }
    let addr = serve(site).await?;
    let jar = Arc::new(CookieJar::with_policy(BrowserCookiePolicy::default()));

    println!("login:    {}", get(&jar, addr, "/login").await?);
    let workers: Vec<_> = (1..=4)
        .map(|i| {
            let jar = Arc::clone(&jar);
            tokio::spawn(async move { get(&jar, addr, &format!("/page/{i}")).await })
        })
        .collect();
    for (i, worker) in workers.into_iter().enumerate() {
        println!("worker {}: {}", i + 1, worker.await??);
    }
    println!("jar:      {jar}");
    Ok(())
}
