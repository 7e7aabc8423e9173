//! What `HTTPRobotRulesProcessor` logs at DEBUG: each robots.txt fetch and its outcome, and
//! each decision with its rule. Alone in its binary: `tracing` caches callsite interest
//! process-wide.

#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use bytes::Bytes;
use http_body_util::Full;
use mechanize::build_opener;
use mechanize::processors::HTTPRobotRulesProcessor;
use mechanize_integration_tests::serve;

#[path = "support/logs.rs"]
mod logs;
use logs::logged;

#[test]
fn fetches_and_decisions_are_logged_at_debug() {
    let log = logged(tracing::Level::DEBUG, async {
        let addr = serve(|req| {
            let body = match req.uri().path() {
                "/robots.txt" => "User-agent: *\nAllow: /open\nDisallow: /\n",
                _ => "page",
            };
            hyper::Response::new(Full::new(Bytes::from(body)))
        })
        .await
        .unwrap();
        let opener = build_opener(vec![Arc::new(HTTPRobotRulesProcessor::new())]);
        opener
            .open_url(&format!("http://{addr}/open"))
            .await
            .unwrap();
        let err = opener
            .open_url(&format!("http://{addr}/shut"))
            .await
            .unwrap_err();
        assert!(err.is_robot_exclusion());
    });
    let lines = |needle: &str| log.lines().filter(|l| l.contains(needle)).count();
    assert_eq!(lines("fetching robots.txt"), 1, "{log}");
    assert_eq!(lines("robots.txt read"), 1, "{log}");
    let allowed: Vec<_> = log
        .lines()
        .filter(|l| l.contains("allowed by robots.txt"))
        .collect();
    assert_eq!(allowed.len(), 1, "{log}");
    assert!(
        allowed[0].contains("line: 2") && allowed[0].contains("/open"),
        "{log}"
    );
    let refused: Vec<_> = log
        .lines()
        .filter(|l| l.contains("refused by robots.txt"))
        .collect();
    assert_eq!(refused.len(), 1, "{log}");
    assert!(
        refused[0].contains("line: 3") && refused[0].contains("/shut"),
        "{log}"
    );
}
