//! Guide section 6, "A cookie policy": the seed's `DefaultCookiePolicy(blocked_domains=[...],
//! rfc2965=True, strict_ns_domain=DomainStrict)` passed to a jar, first in an opener talking
//! to a small site on 127.0.0.1, then on requests for named hosts, where each answer is the
//! one Python 3.11's `http.cookiejar` gives. Offline; ends by itself.
//!
//! `cargo run -p mechanize-examples --example cookie_policy`

use std::sync::Arc;

use bytes::Bytes;
use cookiejar::{CookieJar, CookieRequest, DefaultCookiePolicy, DomainStrictness};
use http_body_util::Full;
use hyper::{Request as HyperRequest, Response as HyperResponse};
use mechanize::build_opener;
use mechanize::processors::HTTPCookieProcessor;
use mechanize_integration_tests::{BoxError, serve};

/// The site: every page sets a cookie.
fn site(_: HyperRequest<hyper::body::Incoming>) -> HyperResponse<Full<Bytes>> {
    HyperResponse::builder()
        .header("Set-Cookie", "id=1; Path=/")
        .body(Full::new(Bytes::from("an ad")))
        .unwrap_or_default()
}

/// The seed's policy.
fn seed_policy() -> DefaultCookiePolicy {
    DefaultCookiePolicy::builder()
        .blocked_domains(["ads.net", ".ads.net"])
        .rfc2965(true)
        .strict_ns_domain(DomainStrictness::STRICT)
        .build()
}

/// A request for `url` answered with `headers`: what the jar keeps, as `name@domain`.
fn kept(url: &str, headers: &[(&str, &str)]) -> Result<Vec<String>, BoxError> {
    let jar = CookieJar::with_policy(seed_policy());
    let mut response = HyperResponse::builder();
    for (name, value) in headers {
        response = response.header(*name, *value);
    }
    jar.extract_cookies(&response.body(())?, &HyperRequest::get(url).body(())?);
    let kept = jar
        .iter()
        .map(|c| format!("{}@{}", c.name(), c.domain()))
        .collect();
    println!("{url} {headers:?} -> {kept:?}");
    Ok(kept)
}

/// The `Cookie` header `jar` adds to a request for `url`.
fn sent(jar: &CookieJar, url: &str) -> Result<Option<String>, BoxError> {
    let mut request = HyperRequest::get(url).body(())?;
    jar.add_cookie_header(&mut request);
    Ok(request.header("Cookie").map(|c| c.into_owned()))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), BoxError> {
    let addr = serve(site).await?;

    // In an opener: blocking the site's address keeps its cookies out.
    let blocked = Arc::new(CookieJar::with_policy(
        DefaultCookiePolicy::builder()
            .blocked_domains(["127.0.0.1"])
            .build(),
    ));
    let opener = build_opener(vec![Arc::new(HTTPCookieProcessor::new(Arc::clone(
        &blocked,
    )))]);
    opener.open_url(&format!("http://{addr}/")).await?;
    println!("blocked 127.0.0.1: {} cookie(s)", blocked.len());
    assert_eq!(blocked.len(), 0);
    let open = Arc::new(CookieJar::with_policy(seed_policy()));
    let opener = build_opener(vec![Arc::new(HTTPCookieProcessor::new(Arc::clone(&open)))]);
    opener.open_url(&format!("http://{addr}/")).await?;
    println!("seed policy:       {} cookie(s)", open.len());
    assert_eq!(open.len(), 1);

    // "ads.net" blocks the host itself, ".ads.net" every host under it.
    assert!(kept("http://banner.ads.net/", &[("Set-Cookie", "id=1")])?.is_empty());
    assert!(kept("http://ads.net/", &[("Set-Cookie", "id=1")])?.is_empty());
    assert_eq!(
        kept("http://notads.net/", &[("Set-Cookie", "id=1")])?,
        ["id@notads.net"]
    );

    // strict_ns_domain = STRICT: STRICT_NO_DOTS refuses a Domain set from a host with a dot
    // before it (a.b.example.com setting .example.com)...
    assert_eq!(
        kept(
            "http://www.example.com/",
            &[("Set-Cookie", "a=1; Domain=.example.com")]
        )?,
        ["a@.example.com"]
    );
    assert!(
        kept(
            "http://a.b.example.com/",
            &[("Set-Cookie", "a=1; Domain=.example.com")]
        )?
        .is_empty()
    );
    // ...and STRICT_NON_DOMAIN returns a cookie without Domain to its host only.
    let jar = CookieJar::with_policy(seed_policy());
    let response = HyperResponse::builder()
        .header("Set-Cookie", "host=1")
        .header("Set-Cookie", "dom=1; Domain=.example.com")
        .body(())?;
    jar.extract_cookies(
        &response,
        &HyperRequest::get("http://example.com/").body(())?,
    );
    let to_www = sent(&jar, "http://www.example.com/")?;
    let to_host = sent(&jar, "http://example.com/")?;
    println!("to www.example.com: {to_www:?}; to example.com: {to_host:?}");
    assert_eq!(to_www.as_deref(), Some("dom=1"));
    assert_eq!(to_host.as_deref(), Some("host=1; dom=1"));

    // rfc2965 = True: Set-Cookie2 cookies are kept, and sent back in RFC 2965 form.
    assert_eq!(
        kept(
            "http://www.example.com/",
            &[("Set-Cookie2", "b=2; Version=\"1\"; Path=\"/\"")]
        )?,
        ["b@www.example.com"]
    );
    let jar = CookieJar::with_policy(seed_policy());
    let response = HyperResponse::builder()
        .header("Set-Cookie2", "b=2; Version=\"1\"; Path=\"/\"")
        .body(())?;
    jar.extract_cookies(
        &response,
        &HyperRequest::get("http://www.example.com/").body(())?,
    );
    let header = sent(&jar, "http://www.example.com/x")?;
    println!("RFC 2965 cookie sent as: {header:?}");
    assert_eq!(header.as_deref(), Some("$Version=1; b=2; $Path=\"/\""));
    Ok(())
}
