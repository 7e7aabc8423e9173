//! Times whole GET requests against a hyper server on 127.0.0.1: our default opener (with its
//! cookie processor) against `reqwest` (with its cookie store) and a raw `hyper-util` legacy
//! client (no cookie handling: the limit).
//!
//! Groups (results and aims in `docs/benchmarks.md`):
//!
//! - `client_sequential`: 10,000 GETs, one after the other. Throughput: requests.
//! - `client_concurrent64`: 10,000 GETs with 64 in flight (`buffer_unordered(64)`).
//!   Throughput: requests.
//!
//! The server sets `sid=<n>` on a request without that cookie and answers `new!`; a request
//! that sends it back gets `seen`. Before timing, ours and reqwest must get 200 and `new!` with
//! a `Set-Cookie`, then 200 and `seen` (the cookie made the round trip). Inside the timed loop
//! every client checks every response for 200 and `seen`, so a lost cookie fails the bench.
//! The raw hyper client has no jar: it sends the same `Cookie` header as a fixed header, so
//! the server does the same work for all three.
//!
//! Everything (server, clients, the measured loop) runs on one multi-thread tokio runtime with
//! two workers, owned by the bench and started once.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use criterion::{Criterion, SamplingMode, Throughput};
use futures::StreamExt;
use http_body_util::{BodyExt, Empty, Full};
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use mechanize::OpenerDirector;
use tokio::runtime::Runtime;

/// GETs per iteration, in both modes.
const REQUESTS: usize = 10_000;
/// Requests in flight in the concurrent mode.
const IN_FLIGHT: usize = 64;
/// The body of a response to a request that sent the cookie back.
const SEEN: &[u8] = b"seen";
/// The body of a response that sets the cookie.
const NEW: &[u8] = b"new!";

type Raw = HyperClient<HttpConnector, Empty<Bytes>>;

/// The server: sets `sid` on first contact, answers `seen` when the request carries it.
async fn start_server(fresh: Arc<AtomicU64>) -> SocketAddr {
    mechanize_integration_tests::serve(move |req| {
        let has_sid = req
            .headers()
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|v| v.split(';').any(|c| c.trim().starts_with("sid=")));
        let builder = http::Response::builder().status(200);
        let response = if has_sid {
            builder.body(Full::new(Bytes::from_static(SEEN)))
        } else {
            let n = fresh.fetch_add(1, Ordering::Relaxed);
            builder
                .header(http::header::SET_COOKIE, format!("sid={n}; Path=/"))
                .body(Full::new(Bytes::from_static(NEW)))
        };
        response.unwrap_or_else(|_| http::Response::new(Full::new(Bytes::new())))
    })
    .await
    .expect("bind 127.0.0.1")
}

async fn ours_get(opener: &OpenerDirector, url: &str) -> (u16, bool, Bytes) {
    let mut r = opener.open_url(url).await.expect("mechanize GET");
    let set_cookie = r.info().contains_key(http::header::SET_COOKIE);
    let body = r.bytes().await.expect("mechanize body");
    (r.code(), set_cookie, body)
}

async fn reqwest_get(client: &reqwest::Client, url: &str) -> (u16, bool, Bytes) {
    let r = client.get(url).send().await.expect("reqwest GET");
    let status = r.status().as_u16();
    let set_cookie = r.headers().contains_key(http::header::SET_COOKIE);
    let body = r.bytes().await.expect("reqwest body");
    (status, set_cookie, body)
}

async fn raw_get(client: &Raw, uri: &http::Uri) -> (u16, bool, Bytes) {
    let req = http::Request::get(uri.clone())
        .header(http::header::COOKIE, "sid=0")
        .body(Empty::new())
        .expect("request");
    let r = client.request(req).await.expect("hyper GET");
    let status = r.status().as_u16();
    let set_cookie = r.headers().contains_key(http::header::SET_COOKIE);
    let body = r
        .into_body()
        .collect()
        .await
        .expect("hyper body")
        .to_bytes();
    (status, set_cookie, body)
}

fn check(what: &str, (status, set_cookie, body): (u16, bool, Bytes), new: bool) {
    assert_eq!(status, 200, "{what}: status");
    let want = if new { NEW } else { SEEN };
    assert_eq!(&body[..], want, "{what}: body");
    assert_eq!(set_cookie, new, "{what}: Set-Cookie only on first contact");
}

/// Runs `iters` batches of [`REQUESTS`] calls of `get` as one task on `rt`, `in_flight` at a
/// time (1: sequential), and returns the time the batches took.
fn time_batches<F, Fut>(rt: &Runtime, iters: u64, in_flight: usize, get: F) -> Duration
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let task = rt.spawn(async move {
        let start = Instant::now();
        for _ in 0..iters {
            if in_flight == 1 {
                for _ in 0..REQUESTS {
                    get().await;
                }
            } else {
                futures::stream::iter(0..REQUESTS)
                    .map(|_| get())
                    .buffer_unordered(in_flight)
                    .for_each(|()| async {})
                    .await;
            }
        }
        start.elapsed()
    });
    rt.block_on(task).expect("bench task")
}

fn client(c: &mut Criterion) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let fresh = Arc::new(AtomicU64::new(1));
    let addr = rt.block_on(start_server(Arc::clone(&fresh)));
    let url: Arc<str> = Arc::from(format!("http://{addr}/"));
    let uri: http::Uri = url.parse().expect("uri");

    let ours = Arc::new(mechanize::build_opener(vec![]));
    let theirs = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("reqwest client");
    let raw: Raw = HyperClient::builder(TokioExecutor::new()).build_http();

    // Before timing: 200, and the cookie set on first contact comes back.
    rt.block_on(async {
        check("mechanize first", ours_get(&ours, &url).await, true);
        check("mechanize second", ours_get(&ours, &url).await, false);
        check("reqwest first", reqwest_get(&theirs, &url).await, true);
        check("reqwest second", reqwest_get(&theirs, &url).await, false);
        check("hyper", raw_get(&raw, &uri).await, false);
    });
    let fresh_before = fresh.load(Ordering::Relaxed);

    for (group_name, in_flight) in [("client_sequential", 1), ("client_concurrent64", IN_FLIGHT)] {
        let mut group = c.benchmark_group(group_name);
        group.throughput(Throughput::Elements(REQUESTS as u64));
        group.sampling_mode(SamplingMode::Flat);
        group.sample_size(10);
        group.warm_up_time(Duration::from_secs(1));
        group.measurement_time(Duration::from_secs(5));

        group.bench_function("mechanize", |b| {
            b.iter_custom(|iters| {
                let (ours, url) = (Arc::clone(&ours), Arc::clone(&url));
                time_batches(&rt, iters, in_flight, move || {
                    let (ours, url) = (Arc::clone(&ours), Arc::clone(&url));
                    async move { check("mechanize", ours_get(&ours, &url).await, false) }
                })
            });
        });
        group.bench_function("reqwest", |b| {
            b.iter_custom(|iters| {
                let (theirs, url) = (theirs.clone(), Arc::clone(&url));
                time_batches(&rt, iters, in_flight, move || {
                    let (theirs, url) = (theirs.clone(), Arc::clone(&url));
                    async move { check("reqwest", reqwest_get(&theirs, &url).await, false) }
                })
            });
        });
        group.bench_function("hyper", |b| {
            b.iter_custom(|iters| {
                let (raw, uri) = (raw.clone(), uri.clone());
                time_batches(&rt, iters, in_flight, move || {
                    let (raw, uri) = (raw.clone(), uri.clone());
                    async move { check("hyper", raw_get(&raw, &uri).await, false) }
                })
            });
        });
        group.finish();
    }
    // No client lost its cookie while timed (the in-loop checks would have panicked too).
    assert_eq!(
        fresh.load(Ordering::Relaxed),
        fresh_before,
        "cookies set while timed"
    );
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    client(&mut c);
    c.final_summary();
}
