//! Crawl records told as readable lines: what robots.txt, the cookie, redirect, refresh and
//! HTTP-EQUIV processors and politeness did for each page of the demo.

use std::fmt::Write;

use crate::crawl::{Hop, PageRecord, RobotsVerdict};

/// `url` without the site's origin (`http://127.0.0.1:1234/a` is `/a`).
fn short<'a>(origin: &str, url: &'a str) -> &'a str {
    match url.strip_prefix(origin) {
        Some(rest) if rest.starts_with('/') => rest,
        _ => url,
    }
}

fn seconds(ms: u64) -> String {
    format!("{:>5.2}s", ms as f64 / 1000.0)
}

/// The lines telling one record; `origin` is the site's `http://host:port`.
pub fn lines(origin: &str, record: &PageRecord) -> Vec<String> {
    let mut out = Vec::new();
    let mut head = format!("GET {}", short(origin, &record.url));
    let _ = write!(head, "  (depth {}", record.depth);
    if let Some(referer) = &record.referer {
        let _ = write!(head, ", Referer {}", short(origin, referer));
    }
    head.push(')');
    out.push(head);
    let mut last_cookie = None;
    for hop in &record.hops {
        hop_lines(origin, hop, &mut last_cookie, &mut out);
    }
    if record.robots == RobotsVerdict::Disallowed {
        out.push(format!(
            "          robots     REFUSED by robots.txt ({}): not fetched",
            record.robots_rule.as_deref().unwrap_or("no rule")
        ));
    }
    match (&record.error, record.status) {
        (Some(error), _) => out.push(format!("          error      {error}")),
        (None, Some(status)) => out.push(format!(
            "          done       {status} after {:.2}s, {} links found",
            record.elapsed_ms as f64 / 1000.0,
            record.links
        )),
        (None, None) => {}
    }
    out
}

fn hop_lines<'a>(
    origin: &str,
    hop: &'a Hop,
    last_cookie: &mut Option<&'a str>,
    out: &mut Vec<String>,
) {
    let at = seconds(hop.at_ms);
    let url = short(origin, &hop.url);
    if hop.robots_txt {
        out.push(format!(
            "  {at}  robots     fetched {url} ({}) once for the whole crawl; its Crawl-delay paces every request",
            hop.status.map_or("no answer".to_owned(), |s| s.to_string())
        ));
        return;
    }
    match (&hop.redirected_from, hop.via) {
        (Some(from), Some("refresh")) => out.push(format!(
            "  {at}  refresh    meta refresh followed: {} -> {url}",
            short(origin, from)
        )),
        (Some(from), _) => out.push(format!(
            "  {at}  redirect   followed: {} -> {url}",
            short(origin, from)
        )),
        (None, _) => out.push(format!("  {at}  request    {url}")),
    }
    if hop.waited_ms >= 50 {
        out.push(format!(
            "          politeness waited {:.2}s for its turn on the host (Crawl-delay)",
            hop.waited_ms as f64 / 1000.0
        ));
    }
    if let Some(cookie) = hop.cookie.as_deref() {
        if *last_cookie != Some(cookie) {
            out.push(format!("          cookie     sent   Cookie: {cookie}"));
        }
        *last_cookie = Some(cookie);
    }
    if let Some(status) = hop.status {
        if (300..400).contains(&status) {
            out.push(format!("          status     {status} (a redirect)"));
        }
    }
    for set in &hop.set_cookie {
        out.push(format!(
            "          cookie     stored {set} (Set-Cookie header)"
        ));
    }
    for set in &hop.meta_set_cookie {
        out.push(format!(
            "          equiv      stored {set} (<meta http-equiv=\"Set-Cookie\">)"
        ));
    }
    if let Some(refresh) = &hop.refresh {
        if hop.status == Some(200) {
            out.push(format!("          equiv      Refresh: {refresh}"));
        }
    }
}
