//! Times the cookie engine (`cookiejar::CookieJar`, default policy) against `cookie_store`
//! 0.21 in the same run: extraction, `Cookie` header lookups, and lookups from 1k to 1M cookies.
//!
//! Groups (the workload is in `benches/src/lib.rs`; results and aims in `docs/benchmarks.md`):
//!
//! - `extract`: 1,000 responses with 10 `Set-Cookie` headers each into a fresh jar; the
//!   headers are parsed inside the timed loop for both. Throughput: cookies.
//! - `add_cookie_header`: 10,000 requests on random hosts and paths against the jar holding
//!   those 10,000 cookies. Throughput: requests.
//! - `lookup_scaling`: one lookup (random host and path) against jars of 1k, 10k, 100k and 1M
//!   cookies (10 cookies per host, 10 hosts per site). Each jar is built once per size.
//!
//! Jars, requests and responses are built outside the measurement; `iter_batched` keeps
//! request clones and drops out of it too.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion, SamplingMode, Throughput};
use mechanize_benches::{
    Lookup, REQUEST_SEED, WORKLOAD_SEED, Workload, assert_same_answers, public_suffix_list,
    theirs_cookie_header,
};

/// The workload: 1,000 hosts x 10 cookies.
const COOKIES: usize = 10_000;
/// Requests per iteration of `add_cookie_header`.
const REQUESTS: usize = 10_000;
/// Jar sizes for `lookup_scaling`.
const SCALING_SIZES: [usize; 4] = [1_000, 10_000, 100_000, 1_000_000];
/// Distinct requests cycled through by `lookup_scaling`.
const SCALING_LOOKUPS: usize = 4_096;

fn extract(c: &mut Criterion) {
    let workload = Workload::new(COOKIES, WORKLOAD_SEED);
    let psl = public_suffix_list();
    // Both sides must keep all 10,000 cookies, or they would not be doing the same work.
    let _ = workload.ours_jar();
    let _ = workload.theirs_store(&psl);

    let mut group = c.benchmark_group("extract");
    group.throughput(Throughput::Elements(workload.cookies() as u64));
    group.bench_function("cookiejar", |b| {
        b.iter_batched(
            cookiejar::CookieJar::new,
            |jar| {
                workload.extract_ours(&jar);
                jar
            },
            BatchSize::PerIteration,
        );
    });
    // The empty store (with its clone of the public suffix list) is made in the untimed setup.
    group.bench_function("cookie_store", |b| {
        b.iter_batched(
            || cookie_store::CookieStore::new(Some(psl.clone())),
            |mut store| {
                workload.extract_theirs(&mut store);
                store
            },
            BatchSize::PerIteration,
        );
    });
    group.finish();
}

fn add_cookie_header(c: &mut Criterion) {
    let workload = Workload::new(COOKIES, WORKLOAD_SEED);
    let jar = workload.ours_jar();
    let store = workload.theirs_store(&public_suffix_list());
    let lookups = workload.lookups(REQUESTS, REQUEST_SEED);
    assert_same_answers(&jar, &store, &lookups[..500]);
    let requests: Vec<http::Request<()>> = lookups.iter().map(|l| l.request.clone()).collect();

    let mut group = c.benchmark_group("add_cookie_header");
    group.throughput(Throughput::Elements(REQUESTS as u64));
    // The requests are cloned in the untimed setup: `add_cookie_header` leaves a request that
    // already has a `Cookie` header alone, so each iteration needs fresh ones.
    group.bench_function("cookiejar", |b| {
        b.iter_batched(
            || requests.clone(),
            |mut requests| {
                for request in &mut requests {
                    jar.add_cookie_header(request);
                }
                requests
            },
            BatchSize::PerIteration,
        );
    });
    // One iteration of cookie_store takes about a second: flat sampling runs 10 of them.
    group.sampling_mode(SamplingMode::Flat).sample_size(10);
    group.bench_function("cookie_store", |b| {
        b.iter_batched(
            || Vec::with_capacity(REQUESTS),
            |mut headers: Vec<String>| {
                for lookup in &lookups {
                    headers.push(theirs_cookie_header(&store, &lookup.url));
                }
                headers
            },
            BatchSize::PerIteration,
        );
    });
    group.finish();
}

fn lookup_scaling(c: &mut Criterion) {
    let psl = public_suffix_list();
    let mut group = c.benchmark_group("lookup_scaling");
    group.throughput(Throughput::Elements(1));
    for size in SCALING_SIZES {
        let workload = Workload::new(size, WORKLOAD_SEED);
        let jar = workload.ours_jar();
        let store = workload.theirs_store(&psl);
        let lookups = workload.lookups(SCALING_LOOKUPS, REQUEST_SEED ^ size as u64);
        let checked = if size >= 100_000 { 20 } else { 200 };
        assert_same_answers(&jar, &store, &lookups[..checked]);
        drop(workload);

        group.sampling_mode(SamplingMode::Auto);
        let mut next = cycle(&lookups);
        group.bench_function(format!("cookiejar/{size}"), |b| {
            b.iter_batched(
                || next().request.clone(),
                |mut request| {
                    jar.add_cookie_header(&mut request);
                    request
                },
                BatchSize::SmallInput,
            );
        });
        // cookie_store scans every domain it holds on each lookup: at 100k and 1M cookies a
        // lookup takes milliseconds, so flat sampling (fewer iterations) keeps the run short.
        if size >= 100_000 {
            group.sampling_mode(SamplingMode::Flat);
        }
        let mut next = cycle(&lookups);
        group.bench_function(format!("cookie_store/{size}"), |b| {
            b.iter_batched(
                &mut next,
                |lookup| theirs_cookie_header(&store, black_box(&lookup.url)),
                BatchSize::SmallInput,
            );
        });
    }
    group.finish();
}

/// A closure handing out `lookups` round-robin.
fn cycle<'a>(lookups: &'a [Lookup]) -> impl FnMut() -> &'a Lookup {
    let mut i = 0;
    move || {
        i = (i + 1) % lookups.len();
        &lookups[i]
    }
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
}

// What `criterion_group!`/`criterion_main!` expand to, written out so every item is documented.
fn main() {
    let mut criterion = config().configure_from_args();
    extract(&mut criterion);
    add_cookie_header(&mut criterion);
    lookup_scaling(&mut criterion);
    criterion.final_summary();
}
