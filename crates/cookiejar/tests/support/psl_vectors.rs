//! The public suffix list's own test vectors (`checkPublicSuffix(domain, registrable)`),
//! run against `cookiejar::domain::registrable_domain`.

#![allow(dead_code)]

use cookiejar::domain::registrable_domain;

/// The vectors, copied unchanged from publicsuffix/list `tests/tests.txt`.
pub const VECTORS: &str = include_str!("../data/publicsuffix/tests.txt");

/// Runs every vector; returns the number passed and a line per failure.
pub fn run() -> (usize, Vec<String>) {
    let mut passed = 0;
    let mut failed = Vec::new();
    for line in VECTORS
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("//"))
    {
        let mut parts = line.split_whitespace();
        let (Some(input), Some(expected)) = (parts.next(), parts.next()) else {
            continue;
        };
        let input = (input != "null").then_some(input);
        let expected = (expected != "null").then(|| expected.to_owned());
        let got = input.and_then(registrable_domain);
        if got == expected {
            passed += 1;
        } else {
            failed.push(format!("{input:?}: want {expected:?}, got {got:?}"));
        }
    }
    (passed, failed)
}
