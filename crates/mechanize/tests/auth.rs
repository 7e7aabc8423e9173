//! Basic and Digest authentication (server and proxy) against real servers on 127.0.0.1,
//! which check the credentials they receive with their own computation.

#![allow(clippy::unwrap_used)]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use bytes::Bytes;
use http_body_util::Full;
use hyper::{Request as HyperRequest, Response as HyperResponse, StatusCode};
use md5::{Digest as _, Md5};
use mechanize::handlers::{
    HTTPBasicAuthHandler, HTTPDigestAuthHandler, HTTPPasswordMgr, ProxyBasicAuthHandler,
    ProxyDigestAuthHandler,
};
use mechanize::{Error, OpenerDirector, build_opener};
use mechanize_integration_tests::serve;
use sha2::Sha256;

type Reply = HyperResponse<Full<Bytes>>;

/// What a test server saw: every request's path and credentials header.
#[derive(Debug, Default)]
struct Seen {
    count: AtomicUsize,
    requests: Mutex<Vec<(String, Option<String>)>>,
}

impl Seen {
    fn record(&self, path: &str, auth: Option<String>) {
        self.count.fetch_add(1, Ordering::SeqCst);
        self.requests.lock().unwrap().push((path.to_owned(), auth));
    }

    fn count(&self) -> usize {
        self.count.load(Ordering::SeqCst)
    }

    fn requests(&self) -> Vec<(String, Option<String>)> {
        self.requests.lock().unwrap().clone()
    }
}

fn names(proxy: bool) -> (&'static str, &'static str, StatusCode) {
    if proxy {
        (
            "proxy-authorization",
            "proxy-authenticate",
            StatusCode::PROXY_AUTHENTICATION_REQUIRED,
        )
    } else {
        (
            "authorization",
            "www-authenticate",
            StatusCode::UNAUTHORIZED,
        )
    }
}

fn header(req: &HyperRequest<hyper::body::Incoming>, name: &str) -> Option<String> {
    req.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

// ------------------------------------------------------------------------------------------
// Basic
// ------------------------------------------------------------------------------------------

/// A site whose every page needs Basic credentials `user:password`, challenging with
/// `challenge`; `/start` redirects to `/end` once authorised.
async fn basic_site(
    challenge: &'static str,
    user: &'static str,
    password: &'static str,
    proxy: bool,
) -> (SocketAddr, Arc<Seen>) {
    let seen = Arc::new(Seen::default());
    let s = Arc::clone(&seen);
    let (auth_name, challenge_name, refusal) = names(proxy);
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
    );
    let addr = serve(move |req| -> Reply {
        let auth = header(&req, auth_name);
        s.record(req.uri().path(), auth.clone());
        if auth.as_deref() != Some(expected.as_str()) {
            return HyperResponse::builder()
                .status(refusal)
                .header(challenge_name, challenge)
                .body(Full::new(Bytes::from_static(b"who are you?")))
                .unwrap();
        }
        let builder = HyperResponse::builder();
        let builder = if req.uri().path() == "/start" {
            builder.status(StatusCode::FOUND).header("location", "/end")
        } else {
            builder
        };
        builder
            .body(Full::new(Bytes::from(format!("hello {user}"))))
            .unwrap()
    })
    .await
    .unwrap();
    (addr, seen)
}

fn basic_opener(mgr: Arc<HTTPPasswordMgr>) -> OpenerDirector {
    build_opener(vec![Arc::new(HTTPBasicAuthHandler::new(mgr))])
}

fn status_of(result: mechanize::Result<mechanize::Response>) -> u16 {
    match result {
        Ok(r) => r.code(),
        Err(Error::Http(e)) => e.status.as_u16(),
        Err(other) => panic!("unexpected error: {other}"),
    }
}

#[tokio::test(flavor = "current_thread")]
async fn basic_correct_password_gets_in() {
    let (addr, seen) = basic_site(r#"Basic realm="Private Area""#, "alice", "s3cret", false).await;
    let mgr = Arc::new(HTTPPasswordMgr::new());
    mgr.add_password(
        Some("Private Area"),
        &format!("http://{addr}/"),
        "alice",
        "s3cret",
    );
    let opener = basic_opener(mgr);
    let mut r = opener
        .open_url(&format!("http://{addr}/page"))
        .await
        .unwrap();
    assert_eq!(r.code(), 200);
    assert_eq!(r.text().await.unwrap(), "hello alice");
    let requests = seen.requests();
    assert_eq!(seen.count(), 2, "{requests:?}");
    assert_eq!(requests[0].1, None);
    assert_eq!(requests[1].1.as_deref(), Some("Basic YWxpY2U6czNjcmV0"));
}

#[tokio::test(flavor = "current_thread")]
async fn basic_wrong_password_gives_up_after_one_retry() {
    let (addr, seen) = basic_site(r#"Basic realm="Private Area""#, "alice", "s3cret", false).await;
    let mgr = Arc::new(HTTPPasswordMgr::new());
    mgr.add_password(
        Some("Private Area"),
        &format!("http://{addr}/"),
        "alice",
        "wrong",
    );
    let opener = basic_opener(mgr);
    match opener.open_url(&format!("http://{addr}/page")).await {
        Err(Error::Http(e)) => {
            assert_eq!(e.status, StatusCode::UNAUTHORIZED);
            assert_eq!(&e.body[..], b"who are you?");
        }
        other => panic!("a wrong password must end in a 401: {other:?}"),
    }
    assert_eq!(seen.count(), 2, "{:?}", seen.requests());
}

#[tokio::test(flavor = "current_thread")]
async fn basic_default_realm_and_unusual_challenges() {
    // Several challenges, the scheme in capitals, the realm unquoted.
    let (addr, seen) = basic_site(
        r#"Newauth realm="apps", type=1, BASIC realm=simple"#,
        "bob",
        "pw",
        false,
    )
    .await;
    let mgr = Arc::new(HTTPPasswordMgr::new());
    mgr.add_password(None, &format!("http://{addr}/docs"), "bob", "pw");
    let opener = basic_opener(mgr);
    let r = opener.open_url(&format!("http://{addr}/docs/a")).await;
    assert_eq!(status_of(r), 200);
    assert_eq!(seen.count(), 2);
}

#[tokio::test(flavor = "current_thread")]
async fn basic_credentials_stay_within_their_uri_and_realm() {
    let (addr, seen) = basic_site(r#"Basic realm="R""#, "carol", "pw", false).await;
    let mgr = Arc::new(HTTPPasswordMgr::new());
    mgr.add_password(Some("R"), &format!("http://{addr}/other/"), "carol", "pw");
    mgr.add_password(Some("Elsewhere"), &format!("http://{addr}/"), "carol", "pw");
    let opener = basic_opener(mgr);
    // /otherwise is not under /other/; the second entry is for another realm.
    let r = opener.open_url(&format!("http://{addr}/otherwise")).await;
    assert_eq!(status_of(r), 401);
    assert_eq!(seen.count(), 1, "no credentials may be sent");
    assert!(seen.requests().iter().all(|(_, a)| a.is_none()));
    // Under the prefix, they are sent.
    let r = opener.open_url(&format!("http://{addr}/other/x")).await;
    assert_eq!(status_of(r), 200);
    assert_eq!(seen.count(), 3);
}

#[tokio::test(flavor = "current_thread")]
async fn basic_credentials_follow_a_same_host_redirect() {
    let (addr, seen) = basic_site(r#"Basic realm="R""#, "dave", "pw", false).await;
    let mgr = Arc::new(HTTPPasswordMgr::new());
    mgr.add_password(Some("R"), &format!("http://{addr}/"), "dave", "pw");
    let opener = basic_opener(mgr);
    let r = opener
        .open_url(&format!("http://{addr}/start"))
        .await
        .unwrap();
    assert_eq!(r.code(), 200);
    assert_eq!(r.geturl().path(), "/end");
    let requests = seen.requests();
    assert_eq!(requests.len(), 3, "{requests:?}");
    assert_eq!(requests[2].0, "/end");
    assert!(requests[2].1.is_some(), "the redirect kept Authorization");
}

#[tokio::test(flavor = "current_thread")]
async fn proxy_basic_answers_407() {
    let (addr, seen) = basic_site(r#"Basic realm="proxy""#, "pxuser", "pxpw", true).await;
    let mgr = Arc::new(HTTPPasswordMgr::new());
    // A bare authority, as proxies are usually named.
    mgr.add_password(None, &addr.to_string(), "pxuser", "pxpw");
    let opener = build_opener(vec![Arc::new(ProxyBasicAuthHandler::new(Arc::clone(&mgr)))]);
    let r = opener.open_url(&format!("http://{addr}/via/proxy")).await;
    assert_eq!(status_of(r), 200);
    assert_eq!(seen.count(), 2);

    let wrong = Arc::new(HTTPPasswordMgr::new());
    wrong.add_password(None, &addr.to_string(), "pxuser", "nope");
    let opener = build_opener(vec![Arc::new(ProxyBasicAuthHandler::new(wrong))]);
    let r = opener.open_url(&format!("http://{addr}/via/proxy")).await;
    assert_eq!(status_of(r), 407);
    assert_eq!(seen.count(), 4);

    // The URI "*" stands for any proxy (mechanize's `add_proxy_password` without hostport).
    let any = Arc::new(HTTPPasswordMgr::new());
    any.add_password(None, "*", "pxuser", "pxpw");
    let opener = build_opener(vec![Arc::new(ProxyBasicAuthHandler::new(any))]);
    let r = opener.open_url(&format!("http://{addr}/via/proxy")).await;
    assert_eq!(status_of(r), 200);
    assert_eq!(seen.count(), 6);
}

// ------------------------------------------------------------------------------------------
// Digest
// ------------------------------------------------------------------------------------------

fn hex_hash(algorithm: &str, data: &str) -> String {
    let bytes = if algorithm.to_ascii_uppercase().starts_with("SHA-256") {
        Sha256::digest(data.as_bytes()).to_vec()
    } else {
        Md5::digest(data.as_bytes()).to_vec()
    };
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The parameters of `Digest a="b", c=d`: good enough for the values these tests use
/// (no commas or escaped quotes inside).
fn digest_params(value: &str) -> Option<Vec<(String, String)>> {
    let rest = value.strip_prefix("Digest ")?;
    Some(
        rest.split(", ")
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (k.trim().to_owned(), v.trim().trim_matches('"').to_owned()))
            .collect(),
    )
}

struct DigestConfig {
    /// The challenges sent, each one header; `{nonce}` is replaced.
    challenges: Vec<&'static str>,
    /// The algorithm the server accepts.
    algorithm: &'static str,
    realm: &'static str,
    user: &'static str,
    password: &'static str,
    proxy: bool,
    /// Answer the first this many correct credentials with `stale=true` and a new nonce.
    stale_answers: usize,
}

const OPAQUE: &str = "5ccc069c403ebaf9f0171e9517f40e41";

/// Checks Digest credentials as RFC 7616 says, independently of the client.
fn digest_ok(
    cfg: &DigestConfig,
    method: &str,
    uri: &str,
    nonce: &str,
    value: Option<&str>,
) -> bool {
    let Some(params) = value.and_then(digest_params) else {
        return false;
    };
    let get = |k: &str| {
        params
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    };
    if get("username") != cfg.user
        || get("realm") != cfg.realm
        || get("nonce") != nonce
        || get("uri") != uri
        || get("opaque") != OPAQUE
        || !get("algorithm").eq_ignore_ascii_case(cfg.algorithm)
        || get("qop") != "auth"
        || get("nc").len() != 8
        || get("cnonce").is_empty()
    {
        return false;
    }
    let alg = cfg.algorithm;
    let mut ha1 = hex_hash(alg, &format!("{}:{}:{}", cfg.user, cfg.realm, cfg.password));
    if alg.to_ascii_lowercase().ends_with("-sess") {
        ha1 = hex_hash(alg, &format!("{ha1}:{nonce}:{}", get("cnonce")));
    }
    let ha2 = hex_hash(alg, &format!("{method}:{uri}"));
    let expected = hex_hash(
        alg,
        &format!("{ha1}:{nonce}:{}:{}:auth:{ha2}", get("nc"), get("cnonce")),
    );
    get("response") == expected
}

async fn digest_site(cfg: DigestConfig) -> (SocketAddr, Arc<Seen>) {
    let seen = Arc::new(Seen::default());
    let s = Arc::clone(&seen);
    let (auth_name, challenge_name, refusal) = names(cfg.proxy);
    let nonce = Arc::new(Mutex::new("dcd98b7102dd2f0e8b11d0f600bfb0c093".to_owned()));
    let stale_sent = Arc::new(AtomicUsize::new(0));
    let addr = serve(move |req| -> Reply {
        let auth = header(&req, auth_name);
        s.record(req.uri().path(), auth.clone());
        let uri = req
            .uri()
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_default();
        let current = nonce.lock().unwrap().clone();
        let ok = digest_ok(&cfg, req.method().as_str(), &uri, &current, auth.as_deref());
        let mut stale = false;
        if ok && stale_sent.fetch_add(1, Ordering::SeqCst) < cfg.stale_answers {
            *nonce.lock().unwrap() = format!("fresh0nce{}", stale_sent.load(Ordering::SeqCst));
            stale = true;
        } else if ok {
            return HyperResponse::new(Full::new(Bytes::from_static(b"digest ok")));
        }
        let current = nonce.lock().unwrap().clone();
        let mut builder = HyperResponse::builder().status(refusal);
        for c in &cfg.challenges {
            let mut value = c.replace("{nonce}", &current);
            if stale {
                value.push_str(", stale=true");
            }
            builder = builder.header(challenge_name, value);
        }
        builder
            .body(Full::new(Bytes::from_static(b"digest refused")))
            .unwrap()
    })
    .await
    .unwrap();
    (addr, seen)
}

const MD5_CHALLENGE: &str = r#"Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="{nonce}", opaque="5ccc069c403ebaf9f0171e9517f40e41""#;
const SHA256_CHALLENGE: &str = r#"Digest realm="testrealm@host.com", qop="auth", algorithm=SHA-256, nonce="{nonce}", opaque="5ccc069c403ebaf9f0171e9517f40e41""#;
const MD5_SESS_CHALLENGE: &str = r#"Digest realm="testrealm@host.com", qop="auth", algorithm=MD5-sess, nonce="{nonce}", opaque="5ccc069c403ebaf9f0171e9517f40e41""#;

fn config(challenges: Vec<&'static str>, algorithm: &'static str) -> DigestConfig {
    DigestConfig {
        challenges,
        algorithm,
        realm: "testrealm@host.com",
        user: "Mufasa",
        password: "Circle Of Life",
        proxy: false,
        stale_answers: 0,
    }
}

fn digest_opener(addr: SocketAddr, password: &str) -> OpenerDirector {
    let mgr = Arc::new(HTTPPasswordMgr::new());
    mgr.add_password(
        Some("testrealm@host.com"),
        &format!("http://{addr}/"),
        "Mufasa",
        password,
    );
    build_opener(vec![
        Arc::new(HTTPDigestAuthHandler::new(Arc::clone(&mgr))),
        Arc::new(HTTPBasicAuthHandler::new(mgr)),
    ])
}

#[tokio::test(flavor = "current_thread")]
async fn digest_md5_correct_password_gets_in() {
    let (addr, seen) = digest_site(config(vec![MD5_CHALLENGE], "MD5")).await;
    let opener = digest_opener(addr, "Circle Of Life");
    let mut r = opener
        .open_url(&format!("http://{addr}/dir/index.html?x=1"))
        .await
        .unwrap();
    assert_eq!(r.code(), 200);
    assert_eq!(r.text().await.unwrap(), "digest ok");
    assert_eq!(seen.count(), 2, "{:?}", seen.requests());
}

#[tokio::test(flavor = "current_thread")]
async fn digest_wrong_password_gives_up_after_one_retry() {
    let (addr, seen) = digest_site(config(vec![MD5_CHALLENGE], "MD5")).await;
    let opener = digest_opener(addr, "wrong");
    match opener.open_url(&format!("http://{addr}/dir/")).await {
        Err(Error::Http(e)) => assert_eq!(e.status, StatusCode::UNAUTHORIZED),
        other => panic!("a wrong password must end in a 401: {other:?}"),
    }
    assert_eq!(seen.count(), 2, "{:?}", seen.requests());
}

#[tokio::test(flavor = "current_thread")]
async fn digest_prefers_sha256() {
    let (addr, seen) = digest_site(config(vec![MD5_CHALLENGE, SHA256_CHALLENGE], "SHA-256")).await;
    let opener = digest_opener(addr, "Circle Of Life");
    let r = opener.open_url(&format!("http://{addr}/dir/")).await;
    assert_eq!(status_of(r), 200);
    assert_eq!(seen.count(), 2);
}

#[tokio::test(flavor = "current_thread")]
async fn digest_md5_sess() {
    let (addr, seen) = digest_site(config(vec![MD5_SESS_CHALLENGE], "MD5-sess")).await;
    let opener = digest_opener(addr, "Circle Of Life");
    let r = opener.open_url(&format!("http://{addr}/dir/")).await;
    assert_eq!(status_of(r), 200);
    assert_eq!(seen.count(), 2);
}

#[tokio::test(flavor = "current_thread")]
async fn digest_stale_nonce_retries_once_more() {
    let mut cfg = config(vec![SHA256_CHALLENGE], "SHA-256");
    cfg.stale_answers = 1;
    let (addr, seen) = digest_site(cfg).await;
    let opener = digest_opener(addr, "Circle Of Life");
    let r = opener.open_url(&format!("http://{addr}/dir/")).await;
    assert_eq!(status_of(r), 200);
    assert_eq!(seen.count(), 3, "{:?}", seen.requests());
}

#[tokio::test(flavor = "current_thread")]
async fn digest_endless_stale_nonces_do_not_loop() {
    let mut cfg = config(vec![SHA256_CHALLENGE], "SHA-256");
    cfg.stale_answers = usize::MAX;
    let (addr, seen) = digest_site(cfg).await;
    let opener = digest_opener(addr, "Circle Of Life");
    let r = opener.open_url(&format!("http://{addr}/dir/")).await;
    assert_eq!(status_of(r), 401);
    assert_eq!(seen.count(), 3, "{:?}", seen.requests());
}

#[tokio::test(flavor = "current_thread")]
async fn digest_nonce_count_grows_with_the_same_nonce() {
    let (addr, seen) = digest_site(config(vec![MD5_CHALLENGE], "MD5")).await;
    let opener = digest_opener(addr, "Circle Of Life");
    for _ in 0..2 {
        let r = opener.open_url(&format!("http://{addr}/dir/")).await;
        assert_eq!(status_of(r), 200);
    }
    let ncs: Vec<String> = seen
        .requests()
        .iter()
        .filter_map(|(_, a)| a.as_deref().and_then(digest_params))
        .filter_map(|p| p.into_iter().find(|(k, _)| k == "nc").map(|(_, v)| v))
        .collect();
    assert_eq!(ncs, ["00000001", "00000002"]);
}

#[tokio::test(flavor = "current_thread")]
async fn proxy_digest_answers_407() {
    let mut cfg = config(vec![MD5_CHALLENGE], "MD5");
    cfg.proxy = true;
    let (addr, seen) = digest_site(cfg).await;
    let mgr = Arc::new(HTTPPasswordMgr::new());
    mgr.add_password(None, &addr.to_string(), "Mufasa", "Circle Of Life");
    let opener = build_opener(vec![Arc::new(ProxyDigestAuthHandler::new(mgr))]);
    let r = opener.open_url(&format!("http://{addr}/p")).await;
    assert_eq!(status_of(r), 200);
    assert_eq!(seen.count(), 2);
    // The 401 handlers do not answer 407, and vice versa.
    let opener = digest_opener(addr, "Circle Of Life");
    let r = opener.open_url(&format!("http://{addr}/p")).await;
    assert_eq!(status_of(r), 407);
    assert_eq!(seen.count(), 3);
}
