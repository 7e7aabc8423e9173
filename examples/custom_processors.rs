//! The seed's two custom processors, in Rust, against a small site on 127.0.0.1:
//! `NullCookieProcessor` (cookies handled by hand with `extract_cookies`/`add_cookie_header`)
//! and `CommentCleanProcessor` (rewrites broken HTML comments with `set_data`).
//!
//! Runs guide sections 4 (cookies by hand) and 14 (a processor of your own) of `docs/guide.md`.
//!
//! `cargo run -p mechanize-examples --example custom_processors`

use std::sync::Arc;

use bytes::Bytes;
use cookiejar::CookieJar;
use http_body_util::Full;
use hyper::{Request as HyperRequest, Response as HyperResponse};
use mechanize::handler::{BoxFuture, Handler, ResponseProcessor, Schemes};
use mechanize::{OpenerDirector, Request, Response, Result, build_opener};
use mechanize_integration_tests::{BoxError, serve};

/// The site: `/` sets a cookie; `/spam.html` says whether it came back, in a page whose
/// comments are written the broken way (`<!-comment->`) some old sites write them.
fn site(req: HyperRequest<hyper::body::Incoming>) -> HyperResponse<Full<Bytes>> {
    let cookie = req
        .headers()
        .get("cookie")
        .and_then(|c| c.to_str().ok())
        .unwrap_or("none")
        .to_owned();
    let builder = HyperResponse::builder().header("Content-Type", "text/html");
    let (builder, body) = match req.uri().path() {
        "/" => (
            builder.header("Set-Cookie", "spam=eggs; Path=/"),
            "<html><body>welcome</body></html>".to_owned(),
        ),
        _ => (
            builder,
            format!("<html><!-a broken comment-><body>cookie: {cookie}</body></html>"),
        ),
    };
    builder
        .body(Full::new(Bytes::from(body)))
        .unwrap_or_default()
}

/// Stands in for the default cookie processor and does nothing: cookies are the user's job
/// (the seed's `NullCookieProcessor`, a subclass of `HTTPCookieProcessor` with no-op
/// methods). Taking the `"cookies"` role makes `build_opener` drop the default one.
#[derive(Debug)]
struct NullCookieProcessor;

impl Handler for NullCookieProcessor {
    fn role(&self) -> Option<&'static str> {
        Some("cookies")
    }
}

/// Turns `<!-x->` into `<!--x-->` in every HTML response (the seed's `CommentCleanProcessor`):
/// it reads the whole body and replaces it with `set_data`, so later processors and the user
/// see the clean page.
#[derive(Debug)]
struct CommentCleanProcessor;

impl Handler for CommentCleanProcessor {
    fn response_processor(&self) -> Option<&dyn ResponseProcessor> {
        Some(self)
    }
}

impl ResponseProcessor for CommentCleanProcessor {
    fn schemes(&self) -> Schemes {
        Schemes::Only(&["http", "https"])
    }

    fn process_response<'a>(
        &'a self,
        _: &'a Request,
        mut response: Response,
        _: &'a OpenerDirector,
    ) -> BoxFuture<'a, Result<Response>> {
        Box::pin(async move {
            response.make_seekable();
            let page = String::from_utf8_lossy(&response.get_data().await?).into_owned();
            response.set_data(clean_comments(&page));
            Ok(response)
        })
    }
}

/// `<!-x->` becomes `<!--x-->`, where `x` holds no `-` (the seed's `<!-([^-]*)->`).
fn clean_comments(page: &str) -> String {
    let mut out = String::with_capacity(page.len() + 16);
    let mut rest = page;
    while let Some(start) = rest.find("<!-") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 3..];
        match after.find("->") {
            Some(end) if !after.starts_with('-') && !after[..end].contains('-') => {
                out.push_str("<!--");
                out.push_str(&after[..end]);
                out.push_str("-->");
                rest = &after[end + 2..];
            }
            _ => {
                out.push_str("<!-");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::result::Result<(), BoxError> {
    let addr = serve(site).await?;
    let url = |path: &str| format!("http://{addr}{path}");

    // NullCookieProcessor: the opener keeps no cookies; the jar is driven by hand.
    let opener = build_opener(vec![Arc::new(NullCookieProcessor)]);
    let jar = CookieJar::new();
    let request = Request::new(&url("/"))?;
    let response = opener.open(request.clone()).await?;
    jar.extract_cookies(&response, &request);
    println!("cookies stored by hand: {}", jar.len());
    assert_eq!(jar.len(), 1);

    // Let's say this next request needs the cookie set in the response above.
    let mut request2 = Request::new(&url("/spam.html"))?;
    jar.add_cookie_header(&mut request2);
    let mut response2 = opener.open(request2).await?;
    let page = response2.text().await?;
    println!("with the cookie added by hand: {page}");
    assert!(page.contains("cookie: spam=eggs"), "{page}");

    // Without the jar, the opener sends none: the default cookie processor was replaced.
    let mut bare = opener.open_url(&url("/spam.html")).await?;
    assert!(bare.text().await?.contains("cookie: none"));

    // CommentCleanProcessor: every page arrives with its comments repaired.
    let opener = build_opener(vec![Arc::new(CommentCleanProcessor)]);
    let mut cleaned = opener.open_url(&url("/spam.html")).await?;
    let page = cleaned.text().await?;
    println!("cleaned: {page}");
    assert!(page.contains("<!--a broken comment-->"), "{page}");
    assert_eq!(
        clean_comments("<!-a-><!--b--><!-c-d->"),
        "<!--a--><!--b--><!-c-d->"
    );
    Ok(())
}
