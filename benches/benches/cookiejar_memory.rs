//! Measures the heap bytes per cookie of `cookiejar::CookieJar` and `cookie_store::CookieStore`
//! holding 10k and 100k cookies (the workload of `benches/src/lib.rs`), with a counting allocator.
//!
//! A plain `main` (`harness = false`) that prints a table: its global allocator would skew
//! criterion's timings, so it is a bench target of its own. For each jar the figure is the
//! net heap growth (bytes allocated minus bytes freed, as requested from the allocator, so
//! without malloc's own overhead) while a fresh jar takes in the whole workload; the inputs
//! are built before counting starts. cookie_store's public suffix list is made before counting
//! and reported on its own line, since one list serves a jar of any size.

use std::alloc::System;

use mechanize_benches::{WORKLOAD_SEED, Workload, public_suffix_list};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

const SIZES: [usize; 2] = [10_000, 100_000];

/// What building one jar cost the heap.
struct Usage {
    /// Net bytes still held once the jar is built.
    live: usize,
    /// Allocations made while building it (including ones freed again).
    allocations: usize,
    /// Bytes freed when the jar is dropped (a cross-check of `live`).
    freed_on_drop: usize,
}

/// Builds a jar with `build`, counting the heap while it runs and while the jar is dropped.
fn measure<T>(build: impl FnOnce() -> T) -> Usage {
    let region = Region::new(GLOBAL);
    let jar = build();
    let built = region.change();
    let region = Region::new(GLOBAL);
    drop(jar);
    let dropped = region.change();
    Usage {
        live: built
            .bytes_allocated
            .saturating_sub(built.bytes_deallocated),
        allocations: built.allocations,
        freed_on_drop: dropped
            .bytes_deallocated
            .saturating_sub(dropped.bytes_allocated),
    }
}

fn main() {
    let psl = public_suffix_list();
    let psl_bytes = measure(|| psl.clone()).live;

    println!("cookie jar memory (net heap bytes held by a jar built from the workload)");
    println!();
    println!(
        "| jar | cookies | heap bytes | bytes/cookie | allocations/cookie (build) | freed on drop | size_of::<Cookie>() |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for size in SIZES {
        let workload = Workload::new(size, WORKLOAD_SEED);
        let ours = measure(|| workload.ours_jar());
        let theirs = measure(|| {
            let mut store = cookie_store::CookieStore::new(None);
            workload.extract_theirs(&mut store);
            store
        });
        // The store above has no suffix list, to count the cookies alone; check that one with
        // the list keeps the same cookies (the workload has no public-suffix domains).
        assert_eq!(workload.theirs_store(&psl).iter_any().count(), size);
        for (name, usage, cookie_size) in [
            ("cookiejar", ours, size_of::<cookiejar::Cookie>()),
            (
                "cookie_store",
                theirs,
                size_of::<cookie_store::Cookie<'static>>(),
            ),
        ] {
            println!(
                "| {name} | {size} | {} | {:.0} | {:.1} | {} | {cookie_size} |",
                usage.live,
                usage.live as f64 / size as f64,
                usage.allocations as f64 / size as f64,
                usage.freed_on_drop,
            );
        }
    }
    println!();
    println!(
        "cookie_store's public suffix list: {psl_bytes} heap bytes, once per store (not counted above)"
    );
}
