//! What one robots.txt says: whether a user agent may fetch a URL (Google's matcher, from the
//! `robotstxt` crate), the rule that decided it, and the `Crawl-delay` of the group that applies.

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

use robotstxt::matcher::{LongestMatchRobotsMatchStrategy, RobotsMatchStrategy};
use robotstxt::{DefaultMatcher, RobotsParseHandler, get_path_params_query, parse_robotstxt};

/// The most of a robots.txt body that is read and parsed (RFC 9309 asks for at least
/// 500 kibibytes); the rest is ignored.
pub const MAX_ROBOTS_TXT_BYTES: usize = 500 * 1024;

/// A robots.txt body, ready to answer for any user agent and URL.
///
/// Allow and Disallow are matched by the `robotstxt` crate (a port of Google's parser, which
/// follows RFC 9309: the longest matching pattern of the group for the user agent wins, an
/// Allow wins a tie). The rule that decided is found alongside, by the same matching
/// function, and `Crawl-delay` (not in RFC 9309) is read from the same group.
///
/// ```
/// use std::time::Duration;
/// use mechanize::processors::RobotsTxt;
///
/// let robots = RobotsTxt::new(b"User-agent: *\nDisallow: /private\nCrawl-delay: 2\n");
/// let verdict = robots.check("mechanize-rs", "http://example.com/private/page");
/// assert!(!verdict.allowed);
/// let rule = verdict.rule.expect("the rule that decided");
/// assert_eq!((rule.line, rule.allow, rule.pattern.as_str()), (2, false, "/private"));
/// assert!(robots.is_allowed("mechanize-rs", "http://example.com/public"));
/// assert_eq!(robots.crawl_delay("mechanize-rs"), Some(Duration::from_secs(2)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RobotsTxt {
    body: String,
}

/// An Allow or Disallow line of a robots.txt.
///
/// ```
/// use mechanize::processors::RobotsTxt;
///
/// let robots = RobotsTxt::new(b"User-agent: *\nAllow: /docs/public\nDisallow: /docs\n");
/// let rule = robots.check("any-bot", "https://example.com/docs/public/a").rule.expect("a rule");
/// assert!(rule.allow);
/// assert_eq!(rule.to_string(), "line 2: Allow: /docs/public");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RobotsRule {
    /// The line number in the robots.txt, from 1.
    pub line: u32,
    /// `true` for `Allow`, `false` for `Disallow`.
    pub allow: bool,
    /// The path pattern, as the matcher compares it (non-ASCII octets percent-encoded).
    pub pattern: String,
}

impl fmt::Display for RobotsRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let directive = if self.allow { "Allow" } else { "Disallow" };
        write!(f, "line {}: {directive}: {}", self.line, self.pattern)
    }
}

/// What a robots.txt says about one URL for one user agent.
///
/// ```
/// use mechanize::processors::RobotsTxt;
///
/// let robots = RobotsTxt::new(b"User-agent: *\nDisallow: /tmp/\n");
/// let verdict = robots.check("any-bot", "https://example.com/index.html");
/// assert!(verdict.allowed);
/// assert_eq!(verdict.rule, None, "no rule matched");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RobotsVerdict {
    /// Whether the URL may be fetched.
    pub allowed: bool,
    /// The rule that decided, when one matched.
    pub rule: Option<RobotsRule>,
}

impl RobotsTxt {
    /// Reads a robots.txt body: at most [`MAX_ROBOTS_TXT_BYTES`], a UTF-8 byte order mark
    /// (or the start of one) skipped, invalid UTF-8 replaced.
    pub fn new(body: &[u8]) -> RobotsTxt {
        let body = &body[..body.len().min(MAX_ROBOTS_TXT_BYTES)];
        // The crate compares characters, not bytes, with the BOM: skip it here, as Google's
        // parser does (the whole mark or a prefix of it).
        let bom = [0xEF, 0xBB, 0xBF];
        let skip = body.iter().zip(bom).take_while(|(b, m)| **b == *m).count();
        RobotsTxt {
            body: String::from_utf8_lossy(&body[skip..]).into_owned(),
        }
    }

    /// The body as parsed.
    pub fn body(&self) -> &str {
        &self.body
    }

    /// Whether `user_agent` (a product token such as `mechanize-rs`; empty matches only the
    /// `*` group) may fetch `url`, and the rule that decided.
    ///
    /// `url` must be percent-encoded (RFC 3986), as a [`Request`](crate::Request)'s URL
    /// always is: as in Google's matcher, a raw `/ツ` does not match a rule for `/ツ`
    /// (the rules' non-ASCII octets are percent-encoded before comparison).
    pub fn check(&self, user_agent: &str, url: &str) -> RobotsVerdict {
        let path = get_path_params_query(url);
        let agents: Vec<&str> = if user_agent.is_empty() {
            Vec::new()
        } else {
            vec![user_agent]
        };
        let allowed =
            DefaultMatcher::default().allowed_by_robots(&self.body, agents.clone(), &path);
        let mut probe = Probe::new(&agents, &path);
        parse_robotstxt(&self.body, &mut probe);
        let rule = probe
            .deciding()
            .filter(|m| m.allow == allowed)
            .map(|m| RobotsRule {
                line: m.line,
                allow: m.allow,
                pattern: m.pattern.clone(),
            });
        RobotsVerdict { allowed, rule }
    }

    /// Whether `user_agent` may fetch `url`.
    pub fn is_allowed(&self, user_agent: &str, url: &str) -> bool {
        self.check(user_agent, url).allowed
    }

    /// The `Crawl-delay` (seconds, fractions allowed) of the group for `user_agent`, else of
    /// the `*` group: the first valid one in the group.
    pub fn crawl_delay(&self, user_agent: &str) -> Option<Duration> {
        let agents: Vec<&str> = if user_agent.is_empty() {
            Vec::new()
        } else {
            vec![user_agent]
        };
        let mut probe = Probe::new(&agents, "/");
        parse_robotstxt(&self.body, &mut probe);
        if probe.ever_seen_specific {
            probe.delay_specific
        } else {
            probe.delay_global
        }
    }
}

/// The best match so far of one kind (allow or disallow) in one scope.
#[derive(Debug, Clone)]
struct Best {
    priority: i32,
    line: u32,
    allow: bool,
    pattern: String,
}

/// Reads a robots.txt alongside the crate's matcher, with the same group rules, to find the
/// line that decided and the crawl delay (the crate keeps both private or ignores them).
struct Probe<'a> {
    agents: &'a [&'a str],
    path: &'a str,
    seen_global: bool,
    seen_specific: bool,
    ever_seen_specific: bool,
    seen_separator: bool,
    allow_specific: Option<Best>,
    disallow_specific: Option<Best>,
    allow_global: Option<Best>,
    disallow_global: Option<Best>,
    delay_specific: Option<Duration>,
    delay_global: Option<Duration>,
}

impl<'a> Probe<'a> {
    fn new(agents: &'a [&'a str], path: &'a str) -> Probe<'a> {
        Probe {
            agents,
            path,
            seen_global: false,
            seen_specific: false,
            ever_seen_specific: false,
            seen_separator: false,
            allow_specific: None,
            disallow_specific: None,
            allow_global: None,
            disallow_global: None,
            delay_specific: None,
            delay_global: None,
        }
    }

    fn priority(best: &Option<Best>) -> i32 {
        best.as_ref().map_or(-1, |b| b.priority)
    }

    /// The match that decided, as the crate decides: the specific group's if it matched
    /// anything, else the global group's unless a specific group exists.
    fn deciding(&self) -> Option<&Best> {
        let specific = Self::priority(&self.allow_specific) > 0
            || Self::priority(&self.disallow_specific) > 0
            || self.ever_seen_specific;
        if specific {
            pick(&self.allow_specific, &self.disallow_specific)
        } else {
            pick(&self.allow_global, &self.disallow_global)
        }
    }

    fn record(&mut self, line: u32, value: &str, allow: bool) {
        if !(self.seen_global || self.seen_specific) {
            return;
        }
        self.seen_separator = true;
        let mut pattern = Cow::Borrowed(value);
        let mut matched = LongestMatchRobotsMatchStrategy::matches(self.path, value);
        if !matched && allow {
            // Google's rule: an Allow for `…/index.htm(l)` also allows `…/`.
            if let Some(slash) = value.rfind('/') {
                if value[slash..].starts_with("/index.htm") {
                    let dir = format!("{}$", &value[..=slash]);
                    matched = LongestMatchRobotsMatchStrategy::matches(self.path, &dir);
                    pattern = Cow::Owned(dir);
                }
            }
        }
        if !matched {
            return;
        }
        let priority = i32::try_from(pattern.len()).unwrap_or(i32::MAX);
        let slot = match (self.seen_specific, allow) {
            (true, true) => &mut self.allow_specific,
            (true, false) => &mut self.disallow_specific,
            (false, true) => &mut self.allow_global,
            (false, false) => &mut self.disallow_global,
        };
        if Self::priority(slot) < priority {
            *slot = Some(Best {
                priority,
                line,
                allow,
                pattern: value.to_owned(),
            });
        }
    }
}

/// The longer of two matches; an Allow wins a tie.
fn pick<'b>(allow: &'b Option<Best>, disallow: &'b Option<Best>) -> Option<&'b Best> {
    if Probe::priority(disallow) > Probe::priority(allow) {
        disallow.as_ref()
    } else {
        allow.as_ref().or(disallow.as_ref())
    }
}

/// The user-agent name in a robots.txt line as the crate reads it: up to the first character
/// outside `[a-zA-Z_-]`.
fn agent_name(value: &str) -> &str {
    let end = value
        .find(|c: char| !(c.is_ascii_alphabetic() || c == '-' || c == '_'))
        .unwrap_or(value.len());
    &value[..end]
}

impl RobotsParseHandler for Probe<'_> {
    fn handle_robots_start(&mut self) {}

    fn handle_robots_end(&mut self) {}

    fn handle_user_agent(&mut self, _line: u32, user_agent: &str) {
        if self.seen_separator {
            self.seen_specific = false;
            self.seen_global = false;
            self.seen_separator = false;
        }
        let rest = user_agent.strip_prefix('*');
        if rest.is_some_and(|r| r.is_empty() || r.starts_with(char::is_whitespace)) {
            self.seen_global = true;
        } else {
            let name = agent_name(user_agent);
            if self.agents.iter().any(|a| name.eq_ignore_ascii_case(a)) {
                self.seen_specific = true;
                self.ever_seen_specific = true;
            }
        }
    }

    fn handle_allow(&mut self, line: u32, value: &str) {
        self.record(line, value, true);
    }

    fn handle_disallow(&mut self, line: u32, value: &str) {
        self.record(line, value, false);
    }

    fn handle_sitemap(&mut self, _line: u32, _value: &str) {
        self.seen_separator = true;
    }

    fn handle_unknown_action(&mut self, _line: u32, action: &str, value: &str) {
        self.seen_separator = true;
        if !action.eq_ignore_ascii_case("crawl-delay") {
            return;
        }
        let Some(delay) = value
            .parse::<f64>()
            .ok()
            .filter(|s| s.is_finite() && *s >= 0.0)
            .map(|s| Duration::from_secs_f64(s.min(1e9)))
        else {
            return;
        };
        if self.seen_specific {
            self.delay_specific.get_or_insert(delay);
        } else if self.seen_global {
            self.delay_global.get_or_insert(delay);
        }
    }
}
