//! The demo site: an HTTP server on 127.0.0.1 (ephemeral port) with robots.txt, a login
//! behind a 302, meta Refresh and Set-Cookie, a slow page and a redirect loop.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

/// The demo site's robots.txt.
pub const ROBOTS_TXT: &str = "User-agent: *\nDisallow: /private/\nCrawl-delay: 0.2\n";

/// How long `/slow` takes.
pub const SLOW: Duration = Duration::from_secs(1);

/// A running demo site.
#[derive(Debug, Clone)]
pub struct Site {
    /// Where it listens.
    pub addr: SocketAddr,
    hits: Arc<Mutex<HashMap<String, usize>>>,
}

impl Site {
    /// The site's root URL.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// How many requests came for paths starting with `prefix`.
    pub fn hits(&self, prefix: &str) -> usize {
        self.hits
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .filter(|(path, _)| path.starts_with(prefix))
            .map(|(_, n)| n)
            .sum()
    }
}

/// Starts the site; it runs until the runtime shuts down.
pub async fn start() -> std::io::Result<Site> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let site = Site {
        addr: listener.local_addr()?,
        hits: Arc::default(),
    };
    let hits = Arc::clone(&site.hits);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let hits = Arc::clone(&hits);
            tokio::spawn(async move {
                let service = service_fn(move |request| {
                    let hits = Arc::clone(&hits);
                    async move { Ok::<_, Infallible>(answer(request, &hits).await) }
                });
                // A client hanging up is not the demo's failure.
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    Ok(site)
}

fn page(title: &str, head: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><title>{title}</title>{head}</head>\
         <body><h1>{title}</h1>{body}</body></html>"
    )
}

fn respond(
    status: StatusCode,
    headers: &[(&str, &str)],
    content_type: &str,
    body: String,
) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    let map = response.headers_mut();
    if let Ok(v) = http::HeaderValue::from_str(content_type) {
        map.insert(http::header::CONTENT_TYPE, v);
    }
    for (name, value) in headers {
        if let (Ok(n), Ok(v)) = (
            http::HeaderName::from_bytes(name.as_bytes()),
            http::HeaderValue::from_str(value),
        ) {
            map.append(n, v);
        }
    }
    response
}

fn html(body: String) -> Response<Full<Bytes>> {
    respond(StatusCode::OK, &[], "text/html; charset=utf-8", body)
}

fn redirect(to: &str, headers: &[(&str, &str)]) -> Response<Full<Bytes>> {
    let mut all = vec![("Location", to)];
    all.extend_from_slice(headers);
    respond(StatusCode::FOUND, &all, "text/plain", format!("see {to}"))
}

async fn answer(
    request: Request<Incoming>,
    hits: &Mutex<HashMap<String, usize>>,
) -> Response<Full<Bytes>> {
    let path = request.uri().path().to_owned();
    *hits
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .entry(path.clone())
        .or_default() += 1;
    let cookie = request
        .headers()
        .get(http::header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    match path.as_str() {
        "/robots.txt" => respond(StatusCode::OK, &[], "text/plain", ROBOTS_TXT.to_owned()),
        "/" => html(page(
            "mechanize-rs demo",
            "",
            r#"<ul>
              <li><a href="/login">Log in</a> (sets a cookie behind a 302)</li>
              <li><a href="/meta">A page with meta Refresh and meta Set-Cookie</a></li>
              <li><a href="/slow">A slow page</a></li>
              <li><a href="/private/secret">Private (robots.txt says no)</a></li>
              <li><a href="/loop">A redirect loop</a></li>
              <li><a href="/about#team">About</a> and <a href="mailto:demo@example.invalid">mail</a></li>
            </ul>"#,
        )),
        "/login" => redirect(
            "/account",
            &[("Set-Cookie", "session=demo-42; Path=/; HttpOnly")],
        ),
        "/account" => {
            let who = if cookie.contains("session=demo-42") {
                "Welcome back: your session cookie came along."
            } else {
                "Not logged in."
            };
            html(page(
                "Account",
                "",
                &format!(r#"<p>{who}</p><a href="/">home</a>"#),
            ))
        }
        "/meta" => html(page(
            "Meta",
            r#"<meta http-equiv="Set-Cookie" content="theme=dark; Path=/">
               <meta http-equiv="Refresh" content="0; url=/refreshed">"#,
            "<p>You should not stay here.</p>",
        )),
        "/refreshed" => html(page(
            "Refreshed",
            "",
            r#"<p>The meta refresh brought you here.</p><a href="/about">about</a>"#,
        )),
        "/slow" => {
            tokio::time::sleep(SLOW).await;
            html(page("Slow", "", "<p>Worth the wait.</p>"))
        }
        "/loop" => redirect("/loop/again", &[]),
        "/loop/again" => redirect("/loop", &[]),
        "/about" => html(page(
            "About",
            "",
            "<p>mechanize-rs: urllib2, mechanize and cookielib in Rust.</p>",
        )),
        "/private/secret" => html(page(
            "Secret",
            "",
            "<p>A polite crawler never sees this.</p>",
        )),
        _ => respond(
            StatusCode::NOT_FOUND,
            &[],
            "text/plain",
            "not found".to_owned(),
        ),
    }
}
