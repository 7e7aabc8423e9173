//! Runs the conformance suites copied into `tests/data/` and prints one line per policy and
//! suite: `<policy> <suite>: N passed, N failed`. `--verbose` lists every failing case.
//!
//! `cargo run -p cookiejar --example conformance [-- --verbose]`

#[path = "../tests/support/http_state.rs"]
mod http_state;
#[path = "../tests/support/psl_vectors.rs"]
mod psl_vectors;

use std::sync::Arc;

use cookiejar::{BrowserCookiePolicy, CookieJar, CookiePolicy, DefaultCookiePolicy, FixedClock};
use http_state::{Case, NOW, Score};

fn score(
    cases: &[Case],
    policy: Arc<dyn CookiePolicy>,
    overrides: &[(String, Option<String>, String)],
) -> Score {
    let mut score = Score::default();
    for case in cases.iter().filter(|c| !c.is_disabled()) {
        let jar = CookieJar::with_policy(Arc::clone(&policy)).with_clock(FixedClock::new(NOW));
        let got = http_state::run_case(case, &jar);
        let want = match overrides.iter().find(|(n, _, _)| *n == case.name) {
            Some((_, header, _)) => header.clone(),
            None => case.expected_cookie(),
        };
        if got == want {
            score.passed += 1;
        } else {
            score
                .failed
                .push(format!("{}: want {:?}, got {:?}", case.name, want, got));
        }
    }
    score
}

fn report(label: &str, score: &Score, verbose: bool) {
    println!(
        "{label}: {} passed, {} failed",
        score.passed,
        score.failed.len()
    );
    if verbose {
        for f in &score.failed {
            println!("    {f}");
        }
    }
}

fn main() -> std::io::Result<()> {
    let verbose = std::env::args().any(|a| a == "--verbose" || a == "-v");
    let cases = http_state::load_cases()?;
    let overrides = http_state::load_table("rfc6265bis-overrides.tsv")?;

    let default = score(&cases, Arc::new(DefaultCookiePolicy::default()), &[]);
    report("DefaultCookiePolicy http-state", &default, verbose);
    let browser = score(&cases, Arc::new(BrowserCookiePolicy::default()), &[]);
    report("BrowserCookiePolicy http-state", &browser, verbose);
    let browser_bis = score(&cases, Arc::new(BrowserCookiePolicy::default()), &overrides);
    report(
        "BrowserCookiePolicy http-state+6265bis-overrides",
        &browser_bis,
        verbose,
    );

    let (passed, failed) = psl_vectors::run();
    println!("psl publicsuffix: {passed} passed, {} failed", failed.len());
    if verbose {
        for f in &failed {
            println!("    {f}");
        }
    }
    Ok(())
}
