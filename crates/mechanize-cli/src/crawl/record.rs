//! What the crawler reports: one `PageRecord` per URL tried (printed as a JSON line), with
//! the hops of its chain (robots.txt fetch, redirects, refreshes) and the crawl's `Summary`.

use std::time::Duration;

use serde::Serialize;

/// Whether robots.txt let the crawler fetch a URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RobotsVerdict {
    /// Fetched (allowed by a rule, by no rule, or because there is no robots.txt).
    Allowed,
    /// Refused: a Disallow rule matched, or the robots.txt could not be read (5xx).
    Disallowed,
}

/// One URL the crawler tried: one JSON line of `mechanize crawl`'s output.
#[derive(Debug, Clone, Serialize)]
pub struct PageRecord {
    /// The URL asked for (without fragment).
    pub url: String,
    /// Where the chain ended (after redirects and refreshes), when a response came.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub final_url: Option<String>,
    /// The final status (an HTTP error's status too); `None` when no response came.
    pub status: Option<u16>,
    /// The page the link was found on (sent as `Referer`); `None` for a start URL.
    pub referer: Option<String>,
    /// Links followed from a start URL to get here (0 for a start URL).
    pub depth: usize,
    /// robots.txt's verdict.
    pub robots: RobotsVerdict,
    /// The robots.txt rule that decided (`line 3: Disallow: /private/`), or why robots.txt
    /// refused everything.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub robots_rule: Option<String>,
    /// The `Cookie` header sent with the first request for `url`.
    pub cookies_sent: Option<String>,
    /// Cookies the chain set (`name=value`), by `Set-Cookie` or `<meta http-equiv>`.
    pub cookies_set: Vec<String>,
    /// Links found on the page (http and https, fragments dropped, duplicates removed).
    pub links: usize,
    /// Milliseconds from the task's start to its end (politeness waits included).
    pub elapsed_ms: u64,
    /// Every request of the chain, in order.
    pub hops: Vec<Hop>,
    /// What went wrong, as one line (HTTP error, redirect loop, timeout, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The new URLs this page put in the queue, at the next depth (for resuming).
    #[serde(skip)]
    pub queued: Vec<String>,
}

/// One request of a page's chain, as the processors saw it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Hop {
    /// The URL requested.
    pub url: String,
    /// Whether this is the robots.txt fetch the robots processor made.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub robots_txt: bool,
    /// The request's `Cookie` header.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cookie: Option<String>,
    /// The URL that redirected (or refreshed) to this one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redirected_from: Option<String>,
    /// `redirect` (a 30x), or `refresh` (a `Refresh` header or meta refresh).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<&'static str>,
    /// The status answered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// `name=value` of each `Set-Cookie` header the server sent.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub set_cookie: Vec<String>,
    /// `name=value` of each `<meta http-equiv="Set-Cookie">` of the page.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub meta_set_cookie: Vec<String>,
    /// The `Refresh` header (real or from a meta tag).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh: Option<String>,
    /// Milliseconds from the crawl's start to the request leaving (after politeness waits).
    pub at_ms: u64,
    /// Milliseconds the request waited in the robots processor: its robots.txt fetch and
    /// the host's politeness delay.
    pub waited_ms: u64,
}

/// What a crawl did, in numbers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// URLs tried (records written).
    pub pages: usize,
    /// Of which answered 2xx.
    pub ok: usize,
    /// Of which ended in an error (HTTP error status, loop, transport).
    pub errors: usize,
    /// Of which robots.txt refused.
    pub disallowed: usize,
    /// URLs left in the queue when a limit stopped the crawl.
    pub left: usize,
    /// How long it took.
    pub elapsed: Duration,
}
