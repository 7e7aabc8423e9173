//! What one robots.txt says: whether a user agent may fetch a URL (Google's matcher, from the
//! `robotstxt` crate), the rule that decided it, and the `Crawl-delay` of the group that applies.

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

use robotstxt::matcher::{RobotsMatchStrategy, RobotsMatcher};
use robotstxt::{RobotsParseHandler, get_path_params_query, parse_robotstxt};

/// The most of a robots.txt body that is read and parsed (RFC 9309 asks for at least
/// 500 kibibytes); the rest is ignored.
pub const MAX_ROBOTS_TXT_BYTES: usize = 500 * 1024;

/// The longest line the parser reads, in bytes (Google's limit, 2083 × 8 − 1); the rest of a
/// longer line is ignored.
const MAX_LINE_BYTES: usize = 2083 * 8 - 1;

/// A robots.txt body, ready to answer for any user agent and URL.
///
/// Allow and Disallow are matched by the `robotstxt` crate (a port of Google's parser, which
/// follows RFC 9309: the longest matching pattern of the group for the user agent wins, an
/// Allow wins a tie). The rule that decided is found alongside, by the same matching
/// function, and `Crawl-delay` (not in RFC 9309) is read from the same group.
///
/// Two defects of the crate (0.3.0) are worked around, since a robots.txt comes from the
/// server: its pattern matching is replaced by Google's own algorithm (the crate's grows a
/// vector by insertion, and one `Disallow` of 4,000 `*` took 36 seconds), and lines longer
/// than Google's limit are cut here (the crate panics on such a line when it holds non-ASCII
/// characters).
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
            body: clip_long_lines(String::from_utf8_lossy(&body[skip..]).into_owned()),
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
        // The matcher cuts the path out of the URL itself (given the path alone, it would
        // read a path starting with `//` as a scheme-relative URL).
        let allowed = RobotsMatcher::<LongestMatch>::default().allowed_by_robots(
            &self.body,
            agents.clone(),
            url,
        );
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

    /// Whether `user_agent` may fetch `url` (as [`check`](Self::check), without looking for
    /// the rule: one pass over the body instead of two).
    pub fn is_allowed(&self, user_agent: &str, url: &str) -> bool {
        let agents: Vec<&str> = if user_agent.is_empty() {
            Vec::new()
        } else {
            vec![user_agent]
        };
        RobotsMatcher::<LongestMatch>::default().allowed_by_robots(&self.body, agents, url)
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

/// Cuts every line to [`MAX_LINE_BYTES`] (at a character boundary), as Google's parser reads
/// it; lines end at `\n`, `\r` or `\r\n`.
fn clip_long_lines(body: String) -> String {
    let too_long = |line: &str| line.trim_end_matches(['\n', '\r']).len() > MAX_LINE_BYTES;
    if !body.split_inclusive(['\n', '\r']).any(too_long) {
        return body;
    }
    let mut out = String::with_capacity(body.len());
    for line in body.split_inclusive(['\n', '\r']) {
        let content = line.trim_end_matches(['\n', '\r']);
        let mut end = content.len().min(MAX_LINE_BYTES);
        while !content.is_char_boundary(end) {
            end -= 1;
        }
        out.push_str(&content[..end]);
        out.push_str(&line[content.len()..]);
    }
    out
}

/// Google's longest-match strategy, with the pattern matching of Google's `Matches`: the
/// positions of `path` that can follow the pattern read so far, in one array overwritten in
/// place, so a match costs at most `path.len() × pattern.len()` steps. `$` is special only at
/// the end of a pattern.
#[derive(Debug, Default)]
struct LongestMatch;

impl RobotsMatchStrategy for LongestMatch {
    fn match_allow(&self, path: &str, pattern: &str) -> i32 {
        Self::priority(path, pattern)
    }

    fn match_disallow(&self, path: &str, pattern: &str) -> i32 {
        Self::priority(path, pattern)
    }

    fn matches(path: &str, pattern: &str) -> bool {
        let path = path.as_bytes();
        let pattern = pattern.as_bytes();
        let mut pos = vec![0usize; path.len() + 1];
        let mut numpos = 1;
        for (i, &p) in pattern.iter().enumerate() {
            if p == b'$' && i + 1 == pattern.len() {
                return pos[numpos - 1] == path.len();
            }
            if p == b'*' {
                numpos = path.len() - pos[0] + 1;
                for j in 1..numpos {
                    pos[j] = pos[j - 1] + 1;
                }
            } else {
                let mut kept = 0;
                for j in 0..numpos {
                    if pos[j] < path.len() && path[pos[j]] == p {
                        pos[kept] = pos[j] + 1;
                        kept += 1;
                    }
                }
                numpos = kept;
                if numpos == 0 {
                    return false;
                }
            }
        }
        true
    }
}

impl LongestMatch {
    /// The pattern's length when it matches, else -1.
    fn priority(path: &str, pattern: &str) -> i32 {
        if Self::matches(path, pattern) {
            i32::try_from(pattern.len()).unwrap_or(i32::MAX)
        } else {
            -1
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
        let mut matched = LongestMatch::matches(self.path, value);
        if !matched && allow {
            // Google's rule: an Allow for `…/index.htm(l)` also allows `…/`.
            if let Some(slash) = value.rfind('/') {
                if value[slash..].starts_with("/index.htm") {
                    let dir = format!("{}$", &value[..=slash]);
                    matched = LongestMatch::matches(self.path, &dir);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_non_ascii_line_is_cut_not_a_panic() {
        for filler in ["é", "ツ", "a"] {
            let long = filler.repeat(2 * MAX_LINE_BYTES / filler.len());
            let body = format!("User-agent: *\nDisallow: /{long}\nDisallow: /after\n");
            let robots = RobotsTxt::new(body.as_bytes());
            assert!(robots.body().lines().all(|l| l.len() <= MAX_LINE_BYTES));
            let verdict = robots.check("bot", "http://h.example/after/x");
            assert!(
                !verdict.allowed,
                "{filler}: the line after the long one still counts"
            );
            assert_eq!(verdict.rule.map(|r| r.line), Some(3));
        }
    }

    #[test]
    fn many_wildcards_match_in_bounded_time() {
        let stars = "*".repeat(4000);
        let robots = RobotsTxt::new(format!("User-agent: *\nDisallow: /{stars}b\n").as_bytes());
        let path = "a".repeat(300);
        assert!(robots.is_allowed("bot", &format!("http://h.example/{path}")));
        assert!(!robots.is_allowed("bot", &format!("http://h.example/{path}b")));
    }

    #[test]
    fn matches_follows_google_semantics() {
        let m = LongestMatch::matches;
        let cases = [
            ("/", "/", true),
            ("/abc", "/", true),
            ("/", "/abc", false),
            ("/google/robotstxt/tree/master", "/*/*/tree/master", true),
            (
                "/google/robotstxt/tree/master/index.html",
                "/*/*/tree/master",
                true,
            ),
            ("/google/robotstxt/tree/master", "/*/*/tree/master$", true),
            (
                "/google/robotstxt/tree/master/abc",
                "/*/*/tree/master$",
                false,
            ),
            ("/google/robotstxt/tree/abc", "/*/*/tree/master", false),
            ("/a$b", "/a$b", true),
            ("/ab", "/a$b", false),
            ("/x", "", true),
            ("/x", "*", true),
            ("", "$", true),
        ];
        for (path, pattern, want) in cases {
            assert_eq!(m(path, pattern), want, "{path:?} against {pattern:?}");
        }
    }

    /// Random robots.txt bodies and URLs (a fixed-seed xorshift): never a panic, the same
    /// verdicts as the crate's own matcher, and every refusal names a Disallow rule.
    #[test]
    fn arbitrary_input_never_panics() {
        const AGENTS: &[&str] = &["*", "bot", "Bot/1.0", "other", "* x", "\u{feff}bot"];
        const KEYS: &[&str] = &[
            "Disallow: ",
            "Allow: ",
            "disallow ",
            "ALLOW:",
            "Crawl-delay: ",
            "Sitemap: ",
            "# ",
            "",
        ];
        const BITS: &[&str] = &[
            "a",
            "b",
            "*",
            "$",
            "%e3",
            "%E3",
            "é",
            "ツ",
            "/",
            "index.html",
            "?",
            " ",
            "#",
            "1.5",
        ];
        const ENDS: &[&str] = &["\n", "\r", "\r\n"];
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            usize::try_from(state % n as u64).unwrap()
        };
        let mut refusals = 0;
        for _ in 0..5000 {
            let mut body = String::new();
            for _ in 0..next(10) {
                if next(3) == 0 {
                    body.push_str("User-agent: ");
                    body.push_str(AGENTS[next(AGENTS.len())]);
                } else {
                    body.push_str(KEYS[next(KEYS.len())]);
                    body.push('/');
                    for _ in 0..next(4) {
                        body.push_str(BITS[next(BITS.len())]);
                    }
                }
                body.push_str(ENDS[next(ENDS.len())]);
            }
            let path: String = (0..next(5)).map(|_| BITS[next(BITS.len())]).collect();
            let robots = RobotsTxt::new(body.as_bytes());
            // Percent-encoded, as a request's URL is.
            let url = url::Url::parse(&format!("http://h.example/{path}")).unwrap();
            let verdict = robots.check("bot", url.as_str());
            // The crate's own matcher agrees (its slow matching is harmless on small input).
            let crate_verdict = robotstxt::DefaultMatcher::default().one_agent_allowed_by_robots(
                robots.body(),
                "bot",
                url.as_str(),
            );
            assert_eq!(verdict.allowed, crate_verdict, "{body:?} {url}");
            if !verdict.allowed {
                refusals += 1;
                assert!(verdict.rule.is_some_and(|r| !r.allow), "{body:?} {url}");
            }
            let _ = robots.crawl_delay("bot");
        }
        assert!(
            refusals > 100,
            "the generator produced {refusals} refusals only"
        );
    }
}
