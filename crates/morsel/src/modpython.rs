//! mod_python's `Cookie` class: one cookie (not a dict of morsels), its `Set-Cookie` formatting
//! and its forgiving parser for `Cookie` request headers.
//!
//! This follows `mod_python/Cookie.py` as shipped in mod_python 3.3 to 3.5:
//!
//! * [`Cookie`]'s [`Display`](fmt::Display) is mod_python's `Cookie.__str__`: `name=value`, then
//!   the attributes that are set, in mod_python's fixed order `version`, `path`, `domain`,
//!   `secure`, `comment`, `expires`, `max_age`, `commentURL`, `discard`, `port`, `httponly`,
//!   joined by `"; "`. Flags are bare lower-case words; the others are `attribute=value` with
//!   mod_python's spelling (note `max_age`, with an underscore, and `commentURL`).
//! * Nothing is quoted: mod_python's `__str__` deliberately "makes no attempt to automatically
//!   double-quote strings that contain special characters", and its parser keeps a quoted value
//!   with its quotes. So this module does not use [`crate::quote`] either.
//! * `expires` is either seconds since the epoch, written as `Wdy, DD-Mon-YYYY HH:MM:SS GMT`,
//!   or a string that must already match that format (mod_python checks it with
//!   `time.strptime`) and is then kept exactly as given.
//! * [`Cookie::parse`] is mod_python's `_parse_cookie`: one cookie per `key=value` pair, names
//!   starting with `$` (RFC 2965 attributes such as `$Version` or `$Path`) dropped, values kept
//!   raw, a later cookie of the same name replacing an earlier one (Python `dict` semantics).
//!   It accepts any input and never fails.
//!
//! # Differences from mod_python
//!
//! * Attributes are typed fields rather than free Python attributes: `secure`, `discard` and
//!   `httponly` are `bool`s (mod_python writes the flag whenever the attribute exists, even set
//!   to `False`), `version` is a number and `max_age` an integer.
//! * mod_python does not validate anything it writes; [`crate::headers::add_cookie`] refuses a
//!   cookie whose text cannot be a header value (control characters).
//! * Numeric `expires` is limited to the years 1 to 9999 and always written with four-digit
//!   years (glibc's `%Y` would write `999` for the year 999, which `strptime` then rejects).
//! * The `expires` check reads ASCII digits only, where Python's `\d` also takes other Unicode
//!   digits.
//! * Parsing gives the same result as mod_python's regular expression but in linear time
//!   (Python's `finditer` retries at every position of a long run of spaces).

use std::collections::HashMap;
use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::error::{CookieError, Result};

/// One cookie as mod_python's `Cookie.Cookie`: a name, a value and the attributes mod_python
/// allows, formatted for a `Set-Cookie` header by [`Display`](fmt::Display).
///
/// The plain attributes are public fields (`None`/`false` meaning "not set", which mod_python
/// expresses by the attribute being absent). `expires` is private because mod_python validates
/// it: set it with [`set_expires_at`](Self::set_expires_at),
/// [`set_expires_str`](Self::set_expires_str) or
/// [`set_expires_system_time`](Self::set_expires_system_time).
///
/// ```
/// use morsel::modpython::Cookie;
///
/// let mut c = Cookie::new("spam", "eggs");
/// c.path = Some("/".into());
/// c.max_age = Some(3);
/// c.set_expires_at(1_055_558_556)?;
/// c.httponly = true;
/// assert_eq!(
///     c.to_string(),
///     "spam=eggs; path=/; expires=Sat, 14-Jun-2003 02:42:36 GMT; max_age=3; httponly"
/// );
/// # Ok::<(), morsel::CookieError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cookie {
    /// The cookie's name, written as is.
    pub name: String,
    /// The cookie's value, written as is (mod_python does not quote).
    pub value: String,
    /// `version=N`.
    pub version: Option<u32>,
    /// `path=...`.
    pub path: Option<String>,
    /// `domain=...`.
    pub domain: Option<String>,
    /// The bare `secure` flag.
    pub secure: bool,
    /// `comment=...`.
    pub comment: Option<String>,
    /// `expires=...`, always a valid `Wdy, DD-Mon-YYYY HH:MM:SS GMT` string.
    expires: Option<String>,
    /// `max_age=N` (mod_python's spelling, with an underscore).
    pub max_age: Option<i64>,
    /// `commentURL=...` (RFC 2965).
    pub comment_url: Option<String>,
    /// The bare `discard` flag (RFC 2965).
    pub discard: bool,
    /// `port=...` (RFC 2965), e.g. `"80,8080"`.
    pub port: Option<String>,
    /// The bare `httponly` flag (the Microsoft extension).
    pub httponly: bool,
}

impl Cookie {
    /// A cookie with only a name and a value, as mod_python's `Cookie(name, value)`.
    ///
    /// ```
    /// let c = morsel::modpython::Cookie::new("spam", "eggs");
    /// assert_eq!(c.to_string(), "spam=eggs");
    /// ```
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            value: value.into(),
            ..Self::default()
        }
    }

    /// The `expires` attribute as it will be written, if set.
    pub fn expires(&self) -> Option<&str> {
        self.expires.as_deref()
    }

    /// Sets `expires` from seconds since the Unix epoch, as mod_python does for a number:
    /// written as `Wdy, DD-Mon-YYYY HH:MM:SS GMT` (`time.strftime` of `time.gmtime(t)`).
    ///
    /// Errors with [`CookieError::Illegal`] if the time falls outside the years 1 to 9999.
    ///
    /// ```
    /// let mut c = morsel::modpython::Cookie::new("a", "b");
    /// c.set_expires_at(0)?;
    /// assert_eq!(c.expires(), Some("Thu, 01-Jan-1970 00:00:00 GMT"));
    /// # Ok::<(), morsel::CookieError>(())
    /// ```
    pub fn set_expires_at(&mut self, secs_since_epoch: i64) -> Result<()> {
        self.expires = Some(format_expires(secs_since_epoch)?);
        Ok(())
    }

    /// Sets `expires` from a [`SystemTime`] (whole seconds, rounded down as `time.gmtime`
    /// does).
    pub fn set_expires_system_time(&mut self, time: SystemTime) -> Result<()> {
        let secs = match time.duration_since(UNIX_EPOCH) {
            Ok(after) => i64::try_from(after.as_secs()).ok(),
            Err(before) => {
                let d = before.duration();
                i64::try_from(d.as_secs()).ok().map(|s| {
                    // Floor: 0.5 s before the epoch is second -1.
                    if d.subsec_nanos() > 0 { -s - 1 } else { -s }
                })
            }
        };
        match secs {
            Some(secs) => self.set_expires_at(secs),
            None => Err(illegal_expires(format!("{time:?}"))),
        }
    }

    /// Sets `expires` from a string, as mod_python does for a `str`: the string must match
    /// `%a, %d-%b-%Y %H:%M:%S GMT` as Python's `time.strptime` reads it (names in any case,
    /// one- or two-digit day and time fields, any run of whitespace where the format has a
    /// space, a real calendar date) and is then kept exactly as given. Anything else is
    /// [`CookieError::Illegal`] (mod_python's `ValueError: Invalid expires time`).
    ///
    /// ```
    /// let mut c = morsel::modpython::Cookie::new("a", "b");
    /// c.set_expires_str("sat, 14-jun-2003 2:42:36 gmt")?;
    /// assert_eq!(c.to_string(), "a=b; expires=sat, 14-jun-2003 2:42:36 gmt");
    /// assert!(c.set_expires_str("Sat, 31-Feb-2003 00:00:00 GMT").is_err());
    /// # Ok::<(), morsel::CookieError>(())
    /// ```
    pub fn set_expires_str(&mut self, expires: &str) -> Result<()> {
        if is_netscape_date(expires) {
            self.expires = Some(expires.to_owned());
            Ok(())
        } else {
            Err(illegal_expires(expires.to_owned()))
        }
    }

    /// Removes the `expires` attribute.
    pub fn clear_expires(&mut self) {
        self.expires = None;
    }

    /// Parses a `Cookie` request header value (without the header name) as mod_python's
    /// `Cookie.parse`: every `key=value` pair becomes a cookie with only a name and a value.
    ///
    /// Exactly as mod_python's `_parse_cookie`:
    /// * pairs are separated by `;`; spaces and commas before a name are skipped (so headers
    ///   merged with `", "` still parse);
    /// * a name is a run of anything but `;`, space and `=`; a pair without `=` gets an empty
    ///   value; a name `a b=c` is the cookie `a` with value `b=c`;
    /// * a value is either a double-quoted string (kept *with* its quotes and backslashes) or
    ///   everything up to the next `;` (trailing spaces included);
    /// * names starting with `$` (`$Version`, `$Path`, `$Domain`, ...) are dropped, and no
    ///   other attribute is recognised: `path=/` in a request header is a cookie named `path`;
    /// * a repeated name keeps its first position but takes the last value.
    ///
    /// It never fails and never panics.
    ///
    /// ```
    /// use morsel::modpython::Cookie;
    ///
    /// let cookies = Cookie::parse("$Version=1; spam=foo; path=blah;;eggs=bar;");
    /// let names: Vec<&str> = cookies.names().collect();
    /// assert_eq!(names, ["spam", "path", "eggs"]);
    /// assert_eq!(cookies.get("eggs").map(|c| c.value.as_str()), Some("bar"));
    /// ```
    pub fn parse(header: &str) -> CookieDict<Cookie> {
        parse_pairs(header, None)
            .into_iter()
            .map(|(name, value)| {
                let cookie = Cookie::new(name.clone(), value);
                (name, cookie)
            })
            .collect()
    }
}

impl fmt::Display for Cookie {
    /// The `Set-Cookie` header value, exactly as mod_python's `Cookie.__str__`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.name, self.value)?;
        self.fmt_attributes(f)
    }
}

impl Cookie {
    /// Writes `; attr=value` for every attribute set, in mod_python's `_valid_attr` order.
    fn fmt_attributes(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(v) = self.version {
            write!(f, "; version={v}")?;
        }
        if let Some(v) = &self.path {
            write!(f, "; path={v}")?;
        }
        if let Some(v) = &self.domain {
            write!(f, "; domain={v}")?;
        }
        if self.secure {
            f.write_str("; secure")?;
        }
        if let Some(v) = &self.comment {
            write!(f, "; comment={v}")?;
        }
        if let Some(v) = &self.expires {
            write!(f, "; expires={v}")?;
        }
        if let Some(v) = self.max_age {
            write!(f, "; max_age={v}")?;
        }
        if let Some(v) = &self.comment_url {
            write!(f, "; commentURL={v}")?;
        }
        if self.discard {
            f.write_str("; discard")?;
        }
        if let Some(v) = &self.port {
            write!(f, "; port={v}")?;
        }
        if self.httponly {
            f.write_str("; httponly")?;
        }
        Ok(())
    }
}

/// Cookies by name in the order first seen, as the Python `dict` mod_python's parsers return:
/// inserting a name already present replaces its cookie but keeps its position.
///
/// ```
/// use morsel::modpython::{Cookie, CookieDict};
///
/// let cookies: CookieDict<Cookie> = Cookie::parse("a=1; b=2; a=3");
/// assert_eq!(cookies.len(), 2);
/// let pairs: Vec<(&str, &str)> = cookies.iter().map(|(n, c)| (n, c.value.as_str())).collect();
/// assert_eq!(pairs, [("a", "3"), ("b", "2")]);
/// ```
#[derive(Clone)]
pub struct CookieDict<C> {
    entries: Vec<(String, C)>,
    index: HashMap<String, usize>,
}

impl<C> Default for CookieDict<C> {
    fn default() -> Self {
        Self {
            entries: Vec::new(),
            index: HashMap::new(),
        }
    }
}

impl<C: fmt::Debug> fmt::Debug for CookieDict<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// Equal when the same names map to equal cookies in the same order.
impl<C: PartialEq> PartialEq for CookieDict<C> {
    fn eq(&self, other: &Self) -> bool {
        self.entries == other.entries
    }
}

impl<C: Eq> Eq for CookieDict<C> {}

impl<C> CookieDict<C> {
    /// An empty dict.
    pub fn new() -> Self {
        Self::default()
    }

    /// Inserts or replaces the cookie called `name`; returns the one replaced. A replaced
    /// cookie keeps its position.
    pub fn insert(&mut self, name: impl Into<String>, cookie: C) -> Option<C> {
        let name = name.into();
        match self.index.get(&name) {
            Some(&i) => self
                .entries
                .get_mut(i)
                .map(|entry| std::mem::replace(&mut entry.1, cookie)),
            None => {
                self.index.insert(name.clone(), self.entries.len());
                self.entries.push((name, cookie));
                None
            }
        }
    }

    /// The cookie called `name`.
    pub fn get(&self, name: &str) -> Option<&C> {
        let &i = self.index.get(name)?;
        self.entries.get(i).map(|(_, c)| c)
    }

    /// The cookie called `name`, mutably.
    pub fn get_mut(&mut self, name: &str) -> Option<&mut C> {
        let &i = self.index.get(name)?;
        self.entries.get_mut(i).map(|(_, c)| c)
    }

    /// Whether a cookie called `name` is present.
    pub fn contains(&self, name: &str) -> bool {
        self.index.contains_key(name)
    }

    /// Removes and returns the cookie called `name`; the others keep their order.
    pub fn remove(&mut self, name: &str) -> Option<C> {
        let i = self.index.remove(name)?;
        if i >= self.entries.len() {
            return None;
        }
        let (_, cookie) = self.entries.remove(i);
        for slot in self.index.values_mut() {
            if *slot > i {
                *slot -= 1;
            }
        }
        Some(cookie)
    }

    /// Keeps only the cookies for which `keep` returns true.
    pub fn retain(&mut self, mut keep: impl FnMut(&str, &C) -> bool) {
        self.entries.retain(|(name, c)| keep(name, c));
        self.reindex();
    }

    fn reindex(&mut self) {
        self.index = self
            .entries
            .iter()
            .enumerate()
            .map(|(i, (name, _))| (name.clone(), i))
            .collect();
    }

    /// The number of cookies.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no cookies.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// `(name, cookie)` pairs in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &C)> {
        self.entries.iter().map(|(n, c)| (n.as_str(), c))
    }

    /// The names in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(n, _)| n.as_str())
    }

    /// The cookies in order.
    pub fn values(&self) -> impl Iterator<Item = &C> {
        self.entries.iter().map(|(_, c)| c)
    }

    /// The cookies in order, by value.
    pub fn into_values(self) -> impl Iterator<Item = C> {
        self.entries.into_iter().map(|(_, c)| c)
    }
}

impl<C> FromIterator<(String, C)> for CookieDict<C> {
    fn from_iter<I: IntoIterator<Item = (String, C)>>(iter: I) -> Self {
        let mut dict = Self::new();
        dict.extend(iter);
        dict
    }
}

impl<C> Extend<(String, C)> for CookieDict<C> {
    fn extend<I: IntoIterator<Item = (String, C)>>(&mut self, iter: I) {
        for (name, cookie) in iter {
            self.insert(name, cookie);
        }
    }
}

impl<C> IntoIterator for CookieDict<C> {
    type Item = (String, C);
    type IntoIter = std::vec::IntoIter<(String, C)>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<'a, C> IntoIterator for &'a CookieDict<C> {
    type Item = (&'a str, &'a C);
    type IntoIter =
        std::iter::Map<std::slice::Iter<'a, (String, C)>, fn(&'a (String, C)) -> (&'a str, &'a C)>;

    fn into_iter(self) -> Self::IntoIter {
        fn pair<C>((n, c): &(String, C)) -> (&str, &C) {
            (n.as_str(), c)
        }
        self.entries.iter().map(pair)
    }
}

// ---------------------------------------------------------------------------------------------
// Parsing, after mod_python's `_cookiePattern` and `_parse_cookie`.
//
// The pattern, read as a matcher (Python's `re.finditer`: try at each position, on failure
// move on by one character, on success continue at the end of the match):
//   [,\ ]*                 spaces and commas before a name (backtracking so that a lone ','
//                          can itself be the name when nothing else follows)
//   (?P<key>[^;\ =]+)      the name
//   \ *(=\ *)?             spaces, an optional '=', spaces
//   (?P<val>"(?:[^\\"]|\\.)*"|[^;]*)   a quoted string, else anything up to ';'
//   \s*;?                  whitespace (Unicode, as Python's \s), an optional ';'
// ---------------------------------------------------------------------------------------------

/// `(name, raw value)` pairs of a `Cookie` header, with `$` names dropped and, if `only` is
/// given, only the names in it kept; later duplicates replace earlier ones in place.
pub(crate) fn parse_pairs(header: &str, only: Option<&str>) -> CookieDict<String> {
    let mut out = CookieDict::new();
    let bytes = header.as_bytes();
    let mut pos = 0;
    while pos < bytes.len() {
        match match_at(header, pos) {
            Ok(m) => {
                let key = header.get(m.key.0..m.key.1).unwrap_or_default();
                let val = header.get(m.val.0..m.val.1).unwrap_or_default();
                if !key.starts_with('$') && only.is_none_or(|n| n == key) {
                    out.insert(key, val.to_owned());
                }
                // A match always consumes at least the one-character name.
                pos = m.end.max(pos + 1);
            }
            Err(next) => pos = next.max(pos + 1),
        }
    }
    out
}

struct PatternMatch {
    key: (usize, usize),
    val: (usize, usize),
    end: usize,
}

fn is_key_byte(b: u8) -> bool {
    b != b';' && b != b' ' && b != b'='
}

/// Python's `str.isspace`, which `\s` follows for `str` patterns: Rust's Unicode whitespace
/// plus the ASCII information separators U+001C..U+001F.
fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// The match starting at `start`, or the next position where one may start. Python's
/// `finditer` would retry one character further on; every retry up to the returned position
/// fails the same way, and skipping them keeps a long run of spaces linear instead of
/// quadratic.
fn match_at(s: &str, start: usize) -> std::result::Result<PatternMatch, usize> {
    let b = s.as_bytes();
    let at = |i: usize| b.get(i).copied();

    // [,\ ]* then the key; on failure the regex backtracks into the separators, where only a
    // ',' can start a key: the last one wins (the longest prefix is tried first).
    let mut q = start;
    while matches!(at(q), Some(b',' | b' ')) {
        q += 1;
    }
    let key_start = if at(q).is_some_and(is_key_byte) {
        q
    } else {
        // No key here. start..q holds only spaces and b[q] is ';', '=' or the end, so
        // attempts at start + 1 ..= q fail too: the next candidate is q + 1, a char boundary
        // as b[q] is ASCII.
        (start..q)
            .rev()
            .find(|&i| at(i) == Some(b','))
            .ok_or(q + 1)?
    };
    let mut key_end = key_start;
    while at(key_end).is_some_and(is_key_byte) {
        key_end += 1;
    }

    // \ *(=\ *)?
    let mut r = key_end;
    while at(r) == Some(b' ') {
        r += 1;
    }
    if at(r) == Some(b'=') {
        r += 1;
        while at(r) == Some(b' ') {
            r += 1;
        }
    }

    // "(?:[^\\"]|\\.)*"  |  [^;]*
    let val_end = quoted_end(b, r).unwrap_or_else(|| {
        b.get(r..)
            .and_then(|rest| rest.iter().position(|&x| x == b';'))
            .map_or(b.len(), |p| r + p)
    });

    // \s*;?
    let mut end = val_end;
    if let Some(rest) = s.get(val_end..) {
        end += rest
            .char_indices()
            .find(|&(_, c)| !is_py_space(c))
            .map_or(rest.len(), |(i, _)| i);
    }
    if at(end) == Some(b';') {
        end += 1;
    }
    Ok(PatternMatch {
        key: (key_start, key_end),
        val: (r, val_end),
        end,
    })
}

/// The end (exclusive) of a double-quoted string starting at `start`, if one is there.
/// Bytes suffice: a backslash escapes the next character unless it is a newline (Python's `.`),
/// and the rest of a multi-byte character is matched by `[^\\"]`.
fn quoted_end(b: &[u8], start: usize) -> Option<usize> {
    if b.get(start) != Some(&b'"') {
        return None;
    }
    let mut i = start + 1;
    loop {
        match b.get(i)? {
            b'"' => return Some(i + 1),
            b'\\' => match b.get(i + 1) {
                Some(&next) if next != b'\n' => i += 2,
                _ => return None,
            },
            _ => i += 1,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Dates: `%a, %d-%b-%Y %H:%M:%S GMT` in the C locale, as mod_python writes and checks them.
// ---------------------------------------------------------------------------------------------

const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
/// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z.
const MIN_SECS: i64 = -62_135_596_800;
const MAX_SECS: i64 = 253_402_300_799;

fn illegal_expires(input: String) -> CookieError {
    CookieError::Illegal {
        what: "expires time".to_owned(),
        input,
    }
}

/// `Wdy, DD-Mon-YYYY HH:MM:SS GMT` for seconds since the epoch (years 1 to 9999).
fn format_expires(secs: i64) -> Result<String> {
    if !(MIN_SECS..=MAX_SECS).contains(&secs) {
        return Err(illegal_expires(secs.to_string()));
    }
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    // 1970-01-01 was a Thursday.
    let weekday = WEEKDAYS
        .get(usize::try_from((days + 4).rem_euclid(7)).unwrap_or(0))
        .copied()
        .unwrap_or("Sun");
    let month = MONTHS
        .get(usize::try_from(month - 1).unwrap_or(0))
        .copied()
        .unwrap_or("Jan");
    Ok(format!(
        "{weekday}, {day:02}-{month}-{year:04} {:02}:{:02}:{:02} GMT",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    ))
}

/// Howard Hinnant's `civil_from_days`: (year, month 1..=12, day 1..=31).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Whether `s` passes `time.strptime(s, "%a, %d-%b-%Y %H:%M:%S GMT")`.
///
/// Python builds `(?i)(?P<a>mon|tue|..),\s+(?P<d>3[01]|[12]\d|0[1-9]|[1-9]| [1-9])-(?P<b>jan|..)
/// -(?P<Y>\d\d\d\d)\s+(?P<H>2[0-3]|[0-1]\d|\d):(?P<M>[0-5]\d|\d):(?P<S>6[0-1]|[0-5]\d|\d)\s+GMT`,
/// requires it to match the whole string, then rejects dates that do not exist (year 0,
/// 31 February). Digits here are ASCII only.
fn is_netscape_date(s: &str) -> bool {
    let mut p = DateCursor { s, pos: 0 };
    let ok = (|| {
        p.name(&WEEKDAYS)?;
        p.literal(",")?;
        p.spaces()?;
        let day = p.number(|d| (1..=31).contains(&d), |d| (1..=9).contains(&d))?;
        p.literal("-")?;
        let month = p.name(&MONTHS)? + 1;
        p.literal("-")?;
        let year = p.year()?;
        p.spaces()?;
        p.number(|h| h <= 23, |_| true)?;
        p.literal(":")?;
        p.number(|m| m <= 59, |_| true)?;
        p.literal(":")?;
        p.number(|s| s <= 61, |_| true)?;
        p.spaces()?;
        p.literal("GMT")?;
        let month = u32::try_from(month).ok()?;
        (p.pos == s.len() && year >= 1 && day <= days_in_month(year, month)).then_some(())
    })();
    ok.is_some()
}

struct DateCursor<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> DateCursor<'a> {
    fn rest(&self) -> &'a str {
        self.s.get(self.pos..).unwrap_or_default()
    }

    /// A case-insensitive ASCII literal.
    fn literal(&mut self, lit: &str) -> Option<()> {
        let head = self.rest().get(..lit.len())?;
        head.eq_ignore_ascii_case(lit)
            .then(|| self.pos += lit.len())
    }

    /// One of `names`, case-insensitively; its index.
    fn name(&mut self, names: &[&str]) -> Option<usize> {
        let i = names.iter().position(|n| {
            self.rest()
                .get(..n.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(n))
        })?;
        self.pos += names.get(i).map_or(0, |n| n.len());
        Some(i)
    }

    /// `\s+`.
    fn spaces(&mut self) -> Option<()> {
        let rest = self.rest();
        let n = rest
            .char_indices()
            .find(|&(_, c)| !is_py_space(c))
            .map_or(rest.len(), |(i, _)| i);
        (n > 0).then(|| self.pos += n)
    }

    /// A one- or two-digit field. Each of Python's alternatives for these fields is followed
    /// by a non-digit, so the field is the whole run of digits: two digits accepted by `two`,
    /// or one accepted by `one`.
    fn number(&mut self, two: impl Fn(u32) -> bool, one: impl Fn(u32) -> bool) -> Option<u32> {
        let digits: Vec<u32> = self
            .rest()
            .bytes()
            .take(3)
            .take_while(u8::is_ascii_digit)
            .map(|d| u32::from(d - b'0'))
            .collect();
        let (value, ok) = match digits.as_slice() {
            [d] => (*d, one(*d)),
            [a, b] => (a * 10 + b, two(a * 10 + b)),
            _ => return None,
        };
        ok.then(|| {
            self.pos += digits.len();
            value
        })
    }

    /// `\d\d\d\d`.
    fn year(&mut self) -> Option<u32> {
        let head = self.rest().get(..4)?;
        if !head.bytes().all(|d| d.is_ascii_digit()) {
            return None;
        }
        self.pos += 4;
        head.parse().ok()
    }
}
