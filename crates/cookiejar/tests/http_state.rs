//! The http-state suite (abarth/http-state, 222 cases) through both policies, with the clock
//! pinned, plus a differential check of `DefaultCookiePolicy` against CPython's http.cookiejar.

mod support {
    pub mod exchange;
    pub mod http_state;
}

use std::sync::Arc;

use cookiejar::{BrowserCookiePolicy, CookieJar, CookiePolicy, DefaultCookiePolicy, FixedClock};
use support::http_state::{self, NOW};

fn jar(policy: &Arc<dyn CookiePolicy>) -> CookieJar {
    CookieJar::with_policy(Arc::clone(policy)).with_clock(FixedClock::new(NOW))
}

#[test]
fn the_suite_is_complete() {
    let cases = http_state::load_cases().expect("suite readable");
    assert_eq!(cases.len(), 222);
    assert_eq!(cases.iter().filter(|c| c.is_disabled()).count(), 4);
    assert_eq!(
        cases
            .iter()
            .filter(|c| c.expected_cookie().is_some())
            .count(),
        135
    );
}

/// Our DefaultCookiePolicy sends exactly what CPython's http.cookiejar sends, case by case,
/// except where we fixed one of its bugs (listed in `cookielib-deviations.tsv` with reasons).
#[test]
fn default_policy_matches_cpython_cookielib() {
    let cases = http_state::load_cases().expect("suite readable");
    let cpython = http_state::load_table("cpython-cookielib.txt").expect("reference readable");
    let deviations =
        http_state::load_table("cookielib-deviations.tsv").expect("deviations readable");
    assert_eq!(cpython.len(), cases.len());
    let policy: Arc<dyn CookiePolicy> = Arc::new(DefaultCookiePolicy::default());
    let mut mismatches = Vec::new();
    for case in &cases {
        let got = http_state::run_case(case, &jar(&policy));
        let want = match deviations.iter().find(|(n, _, _)| *n == case.name) {
            Some((_, header, _)) => header.clone(),
            None => cpython
                .iter()
                .find(|(n, _, _)| *n == case.name)
                .and_then(|(_, h, _)| h.clone()),
        };
        if got != want {
            mismatches.push(format!("{}: CPython {want:?}, ours {got:?}", case.name));
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} cases differ from CPython:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
    // Every listed deviation must still be one: a stale entry would hide a regression.
    for (name, header, reason) in &deviations {
        let reference = cpython
            .iter()
            .find(|(n, _, _)| n == name)
            .map(|(_, h, _)| h.clone());
        assert_ne!(
            reference,
            Some(header.clone()),
            "{name} is listed as a deviation but matches CPython ({reason})"
        );
    }
}

/// At least as many cases pass as pass with CPython (179 of the 222 on this harness).
#[test]
fn default_policy_scores_at_least_cpython() {
    let cases = http_state::load_cases().expect("suite readable");
    let policy: Arc<dyn CookiePolicy> = Arc::new(DefaultCookiePolicy::default());
    let passed = cases
        .iter()
        .filter(|c| http_state::run_case(c, &jar(&policy)) == c.expected_cookie())
        .count();
    println!(
        "DefaultCookiePolicy http-state: {passed} passed, {} failed",
        cases.len() - passed
    );
    assert!(passed >= 180, "only {passed} of 222 pass");
}

/// The browser policy passes every non-disabled case, except the cases where RFC 6265bis
/// deliberately differs from RFC 6265, which must give 6265bis's answer instead.
#[test]
fn browser_policy_passes_with_6265bis_overrides() {
    let cases = http_state::load_cases().expect("suite readable");
    let overrides = http_state::load_table("rfc6265bis-overrides.tsv").expect("overrides readable");
    let policy: Arc<dyn CookiePolicy> = Arc::new(BrowserCookiePolicy::default());
    let mut failures = Vec::new();
    let mut passed = 0;
    for case in cases.iter().filter(|c| !c.is_disabled()) {
        let got = http_state::run_case(case, &jar(&policy));
        let want = match overrides.iter().find(|(n, _, _)| *n == case.name) {
            Some((_, header, reason)) => {
                assert!(
                    !reason.is_empty(),
                    "override for {} has no reason",
                    case.name
                );
                assert_ne!(
                    header.clone(),
                    case.expected_cookie(),
                    "override for {} changes nothing",
                    case.name
                );
                header.clone()
            }
            None => case.expected_cookie(),
        };
        if got == want {
            passed += 1;
        } else {
            failures.push(format!("{}: want {want:?}, got {got:?}", case.name));
        }
    }
    println!(
        "BrowserCookiePolicy http-state: {passed} passed, {} failed",
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
