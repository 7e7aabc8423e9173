//! Dates for the cookie engine: parsing HTTP, ISO 8601, RFC 6265 and liberal date strings
//! into Unix times (i64 seconds, UTC), and formatting Unix times as HTTP/Netscape/ISO text.

// http2time, iso2time, time2isoz and time2netscape follow Python 3.11's http.cookiejar result
// for result; str2time is a superset of them and of mechanize's str2time; parse_cookie_date is
// the RFC 6265 section 5.1.1 algorithm; time2http writes RFC 1123 dates. No parser panics.

use std::sync::LazyLock;
use std::time::{SystemTime, UNIX_EPOCH};

use regex::{Captures, Regex};

/// English month abbreviations, January first.
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// English weekday abbreviations, Monday first (index = days since Monday).
const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

const SECS_PER_DAY: i64 = 86_400;

/// Python's `datetime.MAXYEAR`: larger years are rejected by the Python-compatible parsers.
const MAX_YEAR: i64 = 9999;

// ---------------------------------------------------------------------------------------------
// Calendar arithmetic (proleptic Gregorian calendar)
// ---------------------------------------------------------------------------------------------

/// Days in a 400-year Gregorian cycle.
const DAYS_PER_400Y: i64 = 146_097;
/// Days in a 100-year span that does not end on a 400th year.
const DAYS_PER_100Y: i64 = 36_524;
/// Days in a 4-year span containing one leap day.
const DAYS_PER_4Y: i64 = 1_461;
/// Days from 1970-01-01 to 2000-03-01, the anchor of the computations below. Counting years
/// from March puts the leap day at the very end of each year, which keeps the arithmetic flat.
const ANCHOR_2000_03_01: i64 = 11_017;
/// Day of the (March-based) year on which each month starts: Mar, Apr, ..., Jan, Feb.
const MARCH_BASED_MONTH_START: [i64; 12] = [0, 31, 61, 92, 122, 153, 184, 214, 245, 275, 306, 337];

fn is_leap_year(year: i64) -> bool {
    year.rem_euclid(4) == 0 && (year.rem_euclid(100) != 0 || year.rem_euclid(400) == 0)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to the first of `month` (1..=12) in `year`, or `None` on overflow.
fn days_to_month_start(year: i64, month: u32) -> Option<i64> {
    // Month index counted from March; January and February belong to the previous year.
    let (march_year, index) = if month >= 3 {
        (year, month.checked_sub(3)?)
    } else {
        (year.checked_sub(1)?, month.checked_add(9)?)
    };
    let day_of_year = *MARCH_BASED_MONTH_START.get(usize::try_from(index).ok()?)?;
    let years = march_year.checked_sub(2000)?;
    let cycles = years.div_euclid(400);
    let year_of_cycle = years.rem_euclid(400);
    // Leap days that fell into the March-based years 2000 .. 2000 + year_of_cycle - 1 of this
    // cycle: every fourth February, except the ones of 2100, 2200 and 2300.
    let leap_days = year_of_cycle / 4 - year_of_cycle / 100;
    cycles
        .checked_mul(DAYS_PER_400Y)?
        .checked_add(year_of_cycle * 365 + leap_days + day_of_year)?
        .checked_add(ANCHOR_2000_03_01)
}

/// A UTC calendar date and time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Civil {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    /// 0 = Monday .. 6 = Sunday.
    weekday: usize,
}

/// Splits a count of days since 1970-01-01 into (year, month, day).
fn date_from_days(days: i64) -> (i64, u32, u32) {
    // `days` comes from `i64 / 86400`, so these subtractions cannot overflow; saturate anyway.
    let since_anchor = days.saturating_sub(ANCHOR_2000_03_01);
    let cycles = since_anchor.div_euclid(DAYS_PER_400Y);
    let mut rest = since_anchor.rem_euclid(DAYS_PER_400Y);
    // The last century of a cycle is one day longer (it ends on the 400th-year leap day).
    let centuries = (rest / DAYS_PER_100Y).min(3);
    rest -= centuries * DAYS_PER_100Y;
    let quads = rest / DAYS_PER_4Y;
    rest -= quads * DAYS_PER_4Y;
    // Likewise the last year of a 4-year span holds the leap day.
    let single_years = (rest / 365).min(3);
    rest -= single_years * 365;
    let march_year = cycles
        .saturating_mul(400)
        .saturating_add(centuries * 100 + quads * 4 + single_years + 2000);
    let index = MARCH_BASED_MONTH_START
        .iter()
        .rposition(|&start| start <= rest)
        .unwrap_or(0);
    let start = MARCH_BASED_MONTH_START.get(index).copied().unwrap_or(0);
    let day = u32::try_from(rest - start + 1).unwrap_or(1);
    let index = u32::try_from(index).unwrap_or(0);
    if index < 10 {
        (march_year, index + 3, day)
    } else {
        (march_year.saturating_add(1), index - 9, day)
    }
}

fn civil_from_timestamp(t: i64) -> Civil {
    let days = t.div_euclid(SECS_PER_DAY);
    let secs = t.rem_euclid(SECS_PER_DAY);
    let (year, month, day) = date_from_days(days);
    let secs = u32::try_from(secs).unwrap_or(0);
    // 1970-01-01 was a Thursday (index 3 when Monday is 0).
    let weekday = usize::try_from((days.rem_euclid(7) + 3) % 7).unwrap_or(0);
    Civil {
        year,
        month,
        day,
        hour: secs / 3600,
        minute: secs / 60 % 60,
        second: secs % 60,
        weekday,
    }
}

/// Python's `http.cookiejar._timegm`: range checks, then `calendar.timegm`, which lets an
/// over-long day (31 February), hour 24 and seconds 60 and 61 roll over into what follows.
fn py_timegm(year: i64, month: i64, day: i64, hour: i64, minute: i64, second: i64) -> Option<i64> {
    let in_range = (1970..=MAX_YEAR).contains(&year)
        && (1..=12).contains(&month)
        && (1..=31).contains(&day)
        && (0..=24).contains(&hour)
        && (0..=59).contains(&minute)
        && (0..=61).contains(&second);
    if !in_range {
        return None;
    }
    let days = days_to_month_start(year, u32::try_from(month).ok()?)?.checked_add(day - 1)?;
    days.checked_mul(SECS_PER_DAY)?
        .checked_add(hour * 3600 + minute * 60 + second)
}

fn month_abbr(month: u32) -> &'static str {
    usize::try_from(month)
        .ok()
        .and_then(|m| m.checked_sub(1))
        .and_then(|i| MONTHS.get(i))
        .copied()
        .unwrap_or("???")
}

fn weekday_abbr(weekday: usize) -> &'static str {
    WEEKDAYS.get(weekday).copied().unwrap_or("???")
}

/// Four-digit (at least) year; years before 1 CE get a minus sign (astronomical numbering).
fn format_year(year: i64) -> String {
    if year < 0 {
        format!("-{:04}", year.unsigned_abs())
    } else {
        format!("{year:04}")
    }
}

// ---------------------------------------------------------------------------------------------
// Formatting
// ---------------------------------------------------------------------------------------------

/// Formats `t` (seconds since the Unix epoch) as `YYYY-MM-DD hh:mm:ssZ`, in UTC.
///
/// This is Python's `http.cookiejar.time2isoz(t)`; pass the time explicitly (there is no
/// "now" default). Any `i64` is accepted: years beyond 9999 get more digits and years before
/// 1 CE are written with a leading `-` (year 0 is 1 BCE).
///
/// # Examples
///
/// ```
/// use cookiejar::dates::time2isoz;
///
/// assert_eq!(time2isoz(785_666_977), "1994-11-24 08:49:37Z");
/// assert_eq!(time2isoz(0), "1970-01-01 00:00:00Z");
/// assert_eq!(time2isoz(-1), "1969-12-31 23:59:59Z");
/// ```
pub fn time2isoz(t: i64) -> String {
    let c = civil_from_timestamp(t);
    format!(
        "{}-{:02}-{:02} {:02}:{:02}:{:02}Z",
        format_year(c.year),
        c.month,
        c.day,
        c.hour,
        c.minute,
        c.second
    )
}

/// Formats `t` (seconds since the Unix epoch) as `Wed, 09-Feb-1994 22:23:32 GMT`, the date
/// format of Netscape's original cookie specification.
///
/// This is Python's `http.cookiejar.time2netscape(t)`, with the time passed explicitly. Any
/// `i64` is accepted (see [`time2isoz`] for how unusual years are written).
///
/// # Examples
///
/// ```
/// use cookiejar::dates::time2netscape;
///
/// assert_eq!(time2netscape(760_832_612), "Wed, 09-Feb-1994 22:23:32 GMT");
/// ```
pub fn time2netscape(t: i64) -> String {
    let c = civil_from_timestamp(t);
    format!(
        "{}, {:02}-{}-{} {:02}:{:02}:{:02} GMT",
        weekday_abbr(c.weekday),
        c.day,
        month_abbr(c.month),
        format_year(c.year),
        c.hour,
        c.minute,
        c.second
    )
}

/// Formats `t` (seconds since the Unix epoch) as an RFC 1123 HTTP date,
/// `Wed, 09 Feb 1994 22:23:32 GMT` (the IMF-fixdate of RFC 9110).
///
/// For times between 1970 and 9999 the result is exactly what the fast path of [`http2time`]
/// accepts, so `http2time(&time2http(t)) == Some(t)`. Any `i64` is accepted (see
/// [`time2isoz`] for how unusual years are written).
///
/// # Examples
///
/// ```
/// use cookiejar::dates::{http2time, time2http};
///
/// assert_eq!(time2http(760_832_612), "Wed, 09 Feb 1994 22:23:32 GMT");
/// assert_eq!(http2time(&time2http(1_234_567_890)), Some(1_234_567_890));
/// ```
pub fn time2http(t: i64) -> String {
    let c = civil_from_timestamp(t);
    format!(
        "{}, {:02} {} {} {:02}:{:02}:{:02} GMT",
        weekday_abbr(c.weekday),
        c.day,
        month_abbr(c.month),
        format_year(c.year),
        c.hour,
        c.minute,
        c.second
    )
}

// ---------------------------------------------------------------------------------------------
// Helpers shared by the Python-compatible parsers
// ---------------------------------------------------------------------------------------------

/// Python's `str.isspace`: Unicode `White_Space` plus the four ASCII separators 0x1C..=0x1F.
fn py_isspace(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Whitespace as matched by `\s` in a Python regex compiled with `re.ASCII`.
fn is_ascii_regex_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// Value of a run of ASCII digits, saturating (callers only compare it with small bounds).
fn digits_value(s: &str) -> Option<i64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(s.bytes().fold(0i64, |acc, b| {
        acc.saturating_mul(10).saturating_add(i64::from(b - b'0'))
    }))
}

/// Python's `int(s)` for the strings the month group `\w+` can capture: ASCII digits with
/// single underscores between them (`"1_2"` is 12). Saturating.
fn py_int(s: &str) -> Option<i64> {
    let bytes = s.as_bytes();
    let well_formed = bytes.first().is_some_and(u8::is_ascii_digit)
        && bytes.last().is_some_and(u8::is_ascii_digit)
        && bytes.iter().all(|b| b.is_ascii_digit() || *b == b'_')
        && !s.contains("__");
    if !well_formed {
        return None;
    }
    digits_value(&s.replace('_', ""))
}

/// Month number (1..=12) of an English three-letter abbreviation, any case.
fn month_from_abbr(s: &str) -> Option<i64> {
    MONTHS
        .iter()
        .position(|m| m.eq_ignore_ascii_case(s))
        .and_then(|i| i64::try_from(i + 1).ok())
}

/// The current UTC year from the system clock.
fn current_year() -> i64 {
    let now = match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => i64::try_from(e.duration().as_secs()).map_or(i64::MIN, |s| -s),
    };
    civil_from_timestamp(now).year
}

/// Python's rule for years below 1000: pick the century that puts the year closest to the
/// current year (a tie at exactly 50 years apart stays in the current century).
fn expand_short_year(year: i64, current: i64) -> i64 {
    let in_century = current.rem_euclid(100);
    let expanded = year.saturating_add(current).saturating_sub(in_century);
    let gap = in_century.saturating_sub(year);
    if gap > 50 {
        expanded.saturating_add(100)
    } else if gap < -50 {
        expanded.saturating_sub(100)
    } else {
        expanded
    }
}

/// Python's `offset_from_tz_string` (applied to the upper-cased zone): seconds east of UTC.
fn offset_from_tz(tz: &str) -> Option<i64> {
    let tz = tz.to_ascii_uppercase();
    if matches!(tz.as_str(), "GMT" | "UTC" | "UT" | "Z") {
        return Some(0);
    }
    numeric_offset(&tz)
}

/// `^([-+])?(\d\d?):?(\d\d)?$`, tried in the order a backtracking regex engine tries it.
fn numeric_offset(tz: &str) -> Option<i64> {
    let (negative, rest) = match tz.as_bytes().first() {
        Some(b'-') => (true, tz.get(1..)?),
        Some(b'+') => (false, tz.get(1..)?),
        _ => (false, tz),
    };
    let leading_digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    for hour_len in [2usize, 1] {
        if leading_digits < hour_len {
            continue;
        }
        let (Some(hours), Some(after_hours)) = (rest.get(..hour_len), rest.get(hour_len..)) else {
            continue;
        };
        let mut candidates = Vec::with_capacity(2);
        if let Some(after_colon) = after_hours.strip_prefix(':') {
            candidates.push(after_colon);
        }
        candidates.push(after_hours);
        for tail in candidates {
            let minutes = if tail.is_empty() {
                Some(0)
            } else if tail.len() == 2 && tail.bytes().all(|b| b.is_ascii_digit()) {
                digits_value(tail)
            } else {
                None
            };
            if let (Some(h), Some(m)) = (digits_value(hours), minutes) {
                let offset = h * 3600 + m * 60;
                return Some(if negative { -offset } else { offset });
            }
        }
    }
    None
}

/// Python's `http.cookiejar._str2time` on the groups captured by the loose HTTP or ISO regex.
#[allow(clippy::too_many_arguments)]
fn py_str2time(
    day: &str,
    month: &str,
    year: &str,
    hour: Option<&str>,
    minute: Option<&str>,
    second: Option<&str>,
    tz: Option<&str>,
    current: impl FnOnce() -> i64,
) -> Option<i64> {
    let mut year = digits_value(year)?;
    if year > MAX_YEAR {
        return None;
    }
    let month = match month_from_abbr(month) {
        Some(m) => m,
        None => py_int(month).filter(|m| (1..=12).contains(m))?,
    };
    let clock = |part: Option<&str>| part.map_or(Some(0), digits_value);
    let (hour, minute, second) = (clock(hour)?, clock(minute)?, clock(second)?);
    let day = digits_value(day)?;
    if year < 1000 {
        year = expand_short_year(year, current());
    }
    let t = py_timegm(year, month, day, hour, minute, second)?;
    let offset = offset_from_tz(tz.unwrap_or("UTC"))?;
    t.checked_sub(offset)
}

/// A pattern, or `None` with an ERROR event if it does not compile (a build whose `regex`
/// lacks a feature the pattern needs: the workspace enables `unicode-case` for `(?i)`).
fn compile(pattern: &str) -> Option<Regex> {
    Regex::new(pattern)
        .map_err(|e| tracing::error!(error = %e, "a date pattern does not compile: that form will not parse"))
        .ok()
}

fn group<'t>(caps: &Captures<'t>, name: &str) -> Option<&'t str> {
    caps.name(name).map(|m| m.as_str())
}

// ---------------------------------------------------------------------------------------------
// http2time
// ---------------------------------------------------------------------------------------------

/// Python's `LOOSE_HTTP_DATE_RE` with the `re.ASCII` classes spelled out. The negative
/// lookahead that keeps `AM`/`PM` out of the zone group is left out: an alphabetic zone other
/// than GMT/UTC/UT/Z makes the result `None` anyway, and no other reading of the text exists.
static LOOSE_HTTP_DATE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    compile(
        r"(?x)
        \A
        (?P<day>[0-9]{1,2})
        (?:[\t\n\x0B\x0C\r\x20]+|[-/])
        (?P<mon>[0-9A-Za-z_]+)
        (?:[\t\n\x0B\x0C\r\x20]+|[-/])
        (?P<yr>[0-9]+)
        (?:
            (?:[\t\n\x0B\x0C\r\x20]+|:)
            (?P<hr>[0-9]{1,2}):(?P<min>[0-9]{2})
            (?::(?P<sec>[0-9]{2}))?
        )?
        [\t\n\x0B\x0C\r\x20]*
        (?:
            (?P<tz>[-+]?[0-9]{2,4}|[A-Za-z]+)
            [\t\n\x0B\x0C\r\x20]*
        )?
        (?:
            \([0-9A-Za-z_]+\)
            [\t\n\x0B\x0C\r\x20]*
        )?
        \z",
    )
});

/// Recognises the strict RFC 1123 form `Wed, 09 Feb 1994 22:23:32 GMT` (optionally followed
/// by a single `\n`, as Python's `$` allows) without a regex. Returns `None` when the text does
/// not have that shape, otherwise `Some(result)`.
fn strict_rfc1123(text: &str) -> Option<Option<i64>> {
    let bytes = text.as_bytes();
    let body = match bytes.len() {
        29 => bytes,
        30 if bytes.last() == Some(&b'\n') => bytes.get(..29)?,
        _ => return None,
    };
    let b: &[u8; 29] = body.try_into().ok()?;
    #[rustfmt::skip]
    let [
        w0, w1, w2, b',', b' ',
        d0, d1, b' ',
        m0, m1, m2, b' ',
        y0, y1, y2, y3, b' ',
        h0, h1, b':', n0, n1, b':', s0, s1,
        b' ', b'G', b'M', b'T',
    ] = *b
    else {
        return None;
    };
    let shape_ok = b"SMTWF".contains(&w0)
        && w1.is_ascii_lowercase()
        && w2.is_ascii_lowercase()
        && b"JFMASOND".contains(&m0)
        && m1.is_ascii_lowercase()
        && m2.is_ascii_lowercase()
        && [d0, d1, y0, y1, y2, y3, h0, h1, n0, n1, s0, s1]
            .iter()
            .all(u8::is_ascii_digit);
    if !shape_ok {
        return None;
    }
    let num = |digits: &[u8]| {
        digits
            .iter()
            .fold(0i64, |acc, d| acc * 10 + i64::from(d - b'0'))
    };
    // Python raises ValueError here for a month such as "Jxx"; we answer None.
    let Some(month) = MONTHS
        .iter()
        .position(|m| m.as_bytes() == [m0, m1, m2])
        .and_then(|i| i64::try_from(i + 1).ok())
    else {
        return Some(None);
    };
    Some(py_timegm(
        num(&[y0, y1, y2, y3]),
        month,
        num(&[d0, d1]),
        num(&[h0, h1]),
        num(&[n0, n1]),
        num(&[s0, s1]),
    ))
}

/// Strips a leading weekday word as Python's `WEEKDAY_RE` does: `Sun`..`Sat` in any case,
/// further letters, an optional comma and whitespace.
///
/// With `unicode` set it follows mechanize's variant of the regex, which lacks `re.ASCII`:
/// `ſ` then also counts as `s`, `İ`/`ı` as `i`, `K` (Kelvin) as a letter, and the whitespace
/// after the comma may be any Unicode whitespace.
fn strip_weekday(text: &str, unicode: bool) -> &str {
    let folds_to = |c: char, letter: char| {
        c.to_ascii_lowercase() == letter
            || (unicode
                && match letter {
                    'i' => c == '\u{130}' || c == '\u{131}',
                    's' => c == '\u{17f}',
                    _ => false,
                })
    };
    let mut chars = text.char_indices().peekable();
    let mut prefix = [' '; 3];
    for slot in &mut prefix {
        match chars.next() {
            Some((_, c)) => *slot = c,
            None => return text,
        }
    }
    let is_weekday = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
        .iter()
        .any(|day| day.chars().zip(prefix).all(|(l, c)| folds_to(c, l)));
    if !is_weekday {
        return text;
    }
    let is_letter = |c: char| {
        c.is_ascii_alphabetic()
            || (unicode && matches!(c, '\u{130}' | '\u{131}' | '\u{17f}' | '\u{212a}'))
    };
    while chars.next_if(|&(_, c)| is_letter(c)).is_some() {}
    let _comma = chars.next_if(|&(_, c)| c == ',');
    let is_space = |c: char| {
        if unicode {
            py_isspace(c)
        } else {
            u8::try_from(c).is_ok_and(is_ascii_regex_space)
        }
    };
    while chars.next_if(|&(_, c)| is_space(c)).is_some() {}
    match chars.peek() {
        Some(&(i, _)) => text.get(i..).unwrap_or(""),
        None => "",
    }
}

/// The loose half of `http2time`, on text whose weekday has been removed; two-digit years are
/// placed relative to `current_year()`.
fn loose_http2time(text: &str, current_year: impl FnOnce() -> i64) -> Option<i64> {
    let caps = LOOSE_HTTP_DATE.as_ref()?.captures(text)?;
    py_str2time(
        group(&caps, "day")?,
        group(&caps, "mon")?,
        group(&caps, "yr")?,
        group(&caps, "hr"),
        group(&caps, "min"),
        group(&caps, "sec"),
        group(&caps, "tz"),
        current_year,
    )
}

/// Parses an HTTP date the way Python 3.11's `http.cookiejar.http2time` does.
///
/// A strict RFC 1123 date (`Wed, 09 Feb 1994 22:23:32 GMT`) takes a fast path without regular
/// expressions. Anything else is read loosely: leading whitespace and a weekday word
/// (`Sun`..`Sat` plus letters, optional comma) are skipped, then come day, month (English
/// three-letter abbreviation in any case, or a number), year, an optional `hh:mm[:ss]`
/// clock, an optional zone and an optional `(zone)` comment. The fields are separated by
/// whitespace, `-` or `/`. Examples of what it reads:
///
/// * `Wed, 09 Feb 1994 22:23:32 GMT` (RFC 1123)
/// * `Tuesday, 08-Feb-94 14:15:29 GMT` (RFC 850)
/// * `Tuesday, 08-Feb-1994 14:15:29 GMT`
/// * `09 Feb 1994 22:23:32 GMT`, `08-Feb-94 14:15:29 GMT`, `08-Feb-1994`
///
/// The zone may be `GMT`, `UTC`, `UT`, `Z` (any case) or numeric such as `-0800`, `+0100`,
/// `-08` or `+1`; with no zone, UTC is assumed. Any other alphabetic zone (`EST`, `CET`, also
/// `AM`/`PM`) gives `None`, as it does in Python. Years below 1000 are placed in the century
/// that brings them closest to the current year (taken from the system clock). Results before
/// 1970, years after 9999 and out-of-range fields give `None`. Like Python, a day of 31 in a
/// shorter month, hour 24 and seconds 60 or 61 roll over into the following period.
///
/// # Examples
///
/// ```
/// use cookiejar::dates::http2time;
///
/// assert_eq!(http2time("Wed, 09 Feb 1994 22:23:32 GMT"), Some(760_832_612));
/// assert_eq!(http2time("08-Feb-1994 14:15:29 GMT"), Some(760_716_929));
/// assert_eq!(http2time("  Tuesday, 08-Feb-1994 14:15:29 -0100"), Some(760_720_529));
/// assert_eq!(http2time("09 Feb 1994 22:23:32 EST"), None); // unknown zone
/// assert_eq!(http2time("no date here"), None);
/// ```
pub fn http2time(text: &str) -> Option<i64> {
    if let Some(result) = strict_rfc1123(text) {
        return result;
    }
    let text = text.trim_start_matches(py_isspace);
    loose_http2time(strip_weekday(text, false), current_year)
}

/// [`http2time`] with two-digit years placed relative to the year of `now` (the jar's clock)
/// rather than the system clock's.
pub(crate) fn http2time_at(text: &str, now: i64) -> Option<i64> {
    if let Some(result) = strict_rfc1123(text) {
        return result;
    }
    let text = text.trim_start_matches(py_isspace);
    loose_http2time(strip_weekday(text, false), || {
        civil_from_timestamp(now).year
    })
}

// ---------------------------------------------------------------------------------------------
// iso2time
// ---------------------------------------------------------------------------------------------

/// Python's `ISO_DATE_RE` with the `re.ASCII` classes spelled out.
static ISO_DATE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    compile(
        r"(?x)
        \A
        (?P<yr>[0-9]{4})
        [-/]?
        (?P<mon>[0-9]{1,2})
        [-/]?
        (?P<day>[0-9]{1,2})
        (?:
            (?:[\t\n\x0B\x0C\r\x20]+|[-:Tt])
            (?P<hr>[0-9]{1,2}):?(?P<min>[0-9]{2})
            (?::?(?P<sec>[0-9]{2}(?:\.[0-9]*)?))?
        )?
        [\t\n\x0B\x0C\r\x20]*
        (?:
            (?P<tz>[-+]?[0-9]{1,2}:?(?::?[0-9]{2})?|Z|z)
            [\t\n\x0B\x0C\r\x20]*
        )?
        \z",
    )
});

fn iso2time_ascii(text: &str) -> Option<i64> {
    let caps = ISO_DATE.as_ref()?.captures(text)?;
    // Fractional seconds are truncated (Python's int() raises on them instead).
    let second = group(&caps, "sec").map(|s| s.split('.').next().unwrap_or(s));
    py_str2time(
        group(&caps, "day")?,
        group(&caps, "mon")?,
        group(&caps, "yr")?,
        group(&caps, "hr"),
        group(&caps, "min"),
        second,
        group(&caps, "tz"),
        current_year,
    )
}

/// Parses the ISO 8601 forms read by Python 3.11's `http.cookiejar.iso2time`.
///
/// Accepted shapes, after leading whitespace:
///
/// * `1994-02-03 14:15:29 -0100` (zone optional)
/// * `1994-02-03T14:15:29`, `1994-02-03 14:15`, `1994/02/03`
/// * `19940203T141529Z` (compact), `19940203` (date only)
///
/// The zone may be `Z`/`z` or numeric: `+hh`, `+hhmm`, `+hh:mm` (also with `-`, or no sign).
/// Fractional seconds are accepted and truncated toward zero; this is the one place where we
/// differ from Python, whose `iso2time` raises `ValueError` on them. The range rules are those
/// of [`http2time`] (years from 1970 to 9999; the year must have four digits here).
///
/// # Examples
///
/// ```
/// use cookiejar::dates::iso2time;
///
/// assert_eq!(iso2time("1994-02-03 14:15:29 -0100"), Some(760_288_529));
/// assert_eq!(iso2time("19940203T141529Z"), Some(760_284_929));
/// assert_eq!(iso2time("1994-02-03T14:15:29.75+01:00"), Some(760_281_329));
/// assert_eq!(iso2time("1994-02-03"), Some(760_233_600));
/// assert_eq!(iso2time("1994-13-03"), None);
/// ```
pub fn iso2time(text: &str) -> Option<i64> {
    iso2time_ascii(text.trim_start_matches(py_isspace))
}

// ---------------------------------------------------------------------------------------------
// str2time: mechanize compatibility and liberal forms
// ---------------------------------------------------------------------------------------------

/// Matches one Unicode decimal digit (general category Nd).
static UNICODE_DIGIT: LazyLock<Option<Regex>> = LazyLock::new(|| compile(r"\A\d\z"));

fn is_unicode_digit(c: char) -> bool {
    let mut buf = [0u8; 4];
    c.is_numeric()
        && UNICODE_DIGIT
            .as_ref()
            .is_some_and(|re| re.is_match(c.encode_utf8(&mut buf)))
}

/// The value of a Unicode decimal digit. Unicode encodes every decimal digit set as a run of
/// ten consecutive code points from 0 to 9, so the value is the distance to the start of the
/// run of digits, modulo ten.
fn unicode_digit_value(c: char) -> Option<u8> {
    if let Some(d) = c.to_digit(10) {
        return u8::try_from(d).ok();
    }
    if c.is_ascii() || !is_unicode_digit(c) {
        return None;
    }
    let mut run = 0u32;
    let mut code = u32::from(c);
    // The longest run (mathematical digits) holds 50 code points.
    while run < 100 && char::from_u32(code).is_some_and(is_unicode_digit) {
        run += 1;
        match code.checked_sub(1) {
            Some(prev) => code = prev,
            None => break,
        }
    }
    u8::try_from(run.checked_sub(1)? % 10).ok()
}

/// Python's `int(text)` for a base-10 string: surrounding whitespace, one optional sign, then
/// decimal digits (any Unicode script) with single underscores between them. Saturates where
/// Python's integers would grow. cookielib reads `Max-Age`, `Version` and `Port` this way.
pub(crate) fn python_int(text: &str) -> Option<i64> {
    let t = text.trim_matches(py_isspace);
    let (negative, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    if digits.is_empty()
        || digits.starts_with('_')
        || digits.ends_with('_')
        || digits.contains("__")
    {
        return None;
    }
    let mut value: i64 = 0;
    for c in digits.chars().filter(|&c| c != '_') {
        let d = i64::from(unicode_digit_value(c)?);
        value = value.saturating_mul(10).saturating_add(d);
    }
    Some(if negative { -value } else { value })
}

fn ascii_digit(value: u8) -> char {
    char::from(b'0'.saturating_add(value.min(9)))
}

/// Maps Unicode decimal digits to ASCII ones; nothing else changes.
fn normalize_digits(text: &str) -> String {
    text.chars()
        .map(|c| unicode_digit_value(c).map_or(c, ascii_digit))
        .collect()
}

/// Rewrites text so that the ASCII regexes treat it as mechanize's Unicode-aware regexes treat
/// the original: Unicode digits become ASCII digits (Python's `int` reads them), Unicode
/// whitespace becomes a space, and other non-ASCII letters and numbers become `_`, which like
/// them matches `\w` but nothing else in the patterns.
fn normalize_for_compat(text: &str) -> String {
    text.chars()
        .map(|c| {
            if py_isspace(c) {
                ' '
            } else if c.is_ascii() {
                c
            } else if let Some(d) = unicode_digit_value(c) {
                ascii_digit(d)
            } else if c.is_alphanumeric() {
                '_'
            } else {
                c
            }
        })
        .collect()
}

/// mechanize 0.4.10's `http2time` (exported as `mechanize.str2time`): Python's algorithm with
/// Unicode `\d`, `\s`, `\w` and case folding.
fn http2time_mechanize(text: &str) -> Option<i64> {
    if let Some(result) = strict_rfc1123(&normalize_digits(text)) {
        return result;
    }
    let text = text.trim_start_matches(py_isspace);
    let rest = strip_weekday(text, true);
    loose_http2time(&normalize_for_compat(rest), current_year)
}

/// mechanize 0.4.10's `iso2time`: Python's algorithm with Unicode `\d` and `\s`.
fn iso2time_mechanize(text: &str) -> Option<i64> {
    iso2time_ascii(&normalize_for_compat(text.trim_start_matches(py_isspace)))
}

/// Month names for the liberal forms: abbreviations and full English names.
const LIB_MONTH: &str = r"(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";

/// A clock `h:mm[:ss[.fff]]` with an optional `am`/`pm`, its groups suffixed with `sfx`.
fn lib_clock(sfx: &str) -> String {
    format!(
        r"(?P<hr{sfx}>[0-9]{{1,2}}):(?P<min{sfx}>[0-9]{{2}})(?::(?P<sec{sfx}>[0-9]{{2}})(?:[.,][0-9]+)?)?(?:\s*(?P<ampm{sfx}>[AaPp])\.?[Mm]\b\.?)?"
    )
}

/// A zone: `GMT`/`UTC`/`UT` optionally followed by an offset, a bare offset, or a word.
fn lib_zone(sfx: &str) -> String {
    format!(
        r"(?:(?i:GMT|UTC|UT)?\s*(?P<off{sfx}>[-+][0-9]{{1,2}}(?::?[0-9]{{2}})?)|(?P<zone{sfx}>[A-Za-z]{{1,5}}))"
    )
}

/// Trailing zone, comment in parentheses and end of text shared by the liberal forms.
fn lib_tail(sfx: &str) -> String {
    format!(r"\s*(?:{}\s*)?(?:\([^()]*\)\s*)?\z", lib_zone(sfx))
}

/// `Feb 9 1994`, `February 9, 1994 10:23 pm EST`, `Dec 12 2007 08:44:07 GMT-0500 (EST)`.
static LIB_MONTH_DAY_YEAR: LazyLock<Option<Regex>> = LazyLock::new(|| {
    compile(&format!(
        r"\A(?P<mon>{LIB_MONTH})\.?(?:\s*[-/,]\s*|\s+)(?P<day>[0-9]{{1,2}})(?i:st|nd|rd|th)?(?:\s*[-/,]\s*|\s+)(?P<yr>[0-9]+)(?:(?:\s*,\s*|\s+|[Tt]){})?{}",
        lib_clock(""),
        lib_tail("")
    ))
});

/// asctime and ctime: `Feb  9 22:23:32 1994`, `Feb 9 22:23:32 GMT 1994`, `Apr 18 22:50:12 2007 GMT`.
static LIB_ASCTIME: LazyLock<Option<Regex>> = LazyLock::new(|| {
    compile(&format!(
        r"\A(?P<mon>{LIB_MONTH})\.?\s+(?P<day>[0-9]{{1,2}})\s+{}\s+(?:(?:{}\s+)?(?P<yr>[0-9]+){}|(?P<yr2>[0-9]+){})",
        lib_clock(""),
        lib_zone("1"),
        r"\s*(?:\([^()]*\)\s*)?\z",
        lib_tail("")
    ))
});

/// Day first with full month names, `am`/`pm` and named zones: `9 February 1994 10:23 PM EST`.
static LIB_DAY_MONTH_YEAR: LazyLock<Option<Regex>> = LazyLock::new(|| {
    compile(&format!(
        r"\A(?P<day>[0-9]{{1,2}})(?i:st|nd|rd|th)?(?:\s*[-/.,]\s*|\s+)(?P<mon>{LIB_MONTH})\.?,?(?:\s*[-/.,]\s*|\s+)(?P<yr>[0-9]+)(?:(?:\s*,\s*|\s+|[Tt]){})?{}",
        lib_clock(""),
        lib_tail("")
    ))
});

/// Offsets of the zone names the liberal forms know: UTC and the North American zones that
/// RFC 5322 §4.3 keeps as obsolete syntax.
fn named_zone_offset(name: &str) -> Option<i64> {
    let hours = match name.to_ascii_uppercase().as_str() {
        "GMT" | "UTC" | "UT" | "Z" => 0,
        "EDT" => -4,
        "EST" | "CDT" => -5,
        "CST" | "MDT" => -6,
        "MST" | "PDT" => -7,
        "PST" => -8,
        _ => return None,
    };
    Some(hours * 3600)
}

/// Turns the groups of one of the liberal regexes into a time.
fn liberal_fields(caps: &Captures<'_>) -> Option<i64> {
    let month_name = group(caps, "mon")?;
    let month = month_from_abbr(month_name.get(..3)?)?;
    let day = digits_value(group(caps, "day")?)?;
    let mut year = digits_value(group(caps, "yr").or_else(|| group(caps, "yr2"))?)?;
    if year > MAX_YEAR {
        return None;
    }
    if year < 1000 {
        year = expand_short_year(year, current_year());
    }
    let clock = |name: &str| group(caps, name).map_or(Some(0), digits_value);
    let (mut hour, minute, second) = (clock("hr")?, clock("min")?, clock("sec")?);
    if let Some(ampm) = group(caps, "ampm") {
        if !(1..=12).contains(&hour) {
            return None;
        }
        hour %= 12;
        if ampm.eq_ignore_ascii_case("p") {
            hour += 12;
        }
    }
    let offset = if let Some(off) = group(caps, "off").or_else(|| group(caps, "off1")) {
        numeric_offset(off)?
    } else if let Some(zone) = group(caps, "zone").or_else(|| group(caps, "zone1")) {
        named_zone_offset(zone)?
    } else {
        0
    };
    py_timegm(year, month, day, hour, minute, second)?.checked_sub(offset)
}

/// A leading weekday for the liberal forms; it may end in a period (`Wed. Feb 9 1994`).
static LIB_WEEKDAY: LazyLock<Option<Regex>> =
    LazyLock::new(|| compile(r"\A(?i:sun|mon|tue|wed|thu|fri|sat)[A-Za-z]*\.?,?\s*"));

fn liberal(text: &str) -> Option<i64> {
    let text = normalize_for_compat(text);
    let text = text.trim();
    let text = match LIB_WEEKDAY.as_ref().and_then(|re| re.find(text)) {
        Some(m) => text.get(m.end()..).unwrap_or(text),
        None => text,
    };
    [&LIB_MONTH_DAY_YEAR, &LIB_ASCTIME, &LIB_DAY_MONTH_YEAR]
        .into_iter()
        .filter_map(|re| re.as_ref()?.captures(text))
        .find_map(|caps| liberal_fields(&caps))
}

/// Parses a date in any of the formats this module knows; the liberal choice for dates in
/// files and for callers that do not know which format to expect.
///
/// It tries, in order, and returns the first success:
///
/// 1. [`http2time`], then [`iso2time`] (so where those succeed the results are identical);
/// 2. the same two parsers as mechanize 0.4.10 runs them, whose regexes lack `re.ASCII`:
///    Unicode digits (`١٩٩٤`), Unicode whitespace and non-ASCII letters in the `(zone)` comment
///    are accepted there. Everything `mechanize.str2time` (its `http2time`) and its `iso2time`
///    accept is therefore accepted here with the same result;
/// 3. liberal forms in the spirit of libwww-perl's `HTTP::Date::str2time`:
///    * asctime/ctime, `Wed Feb  9 22:23:32 1994`, with an optional zone before or after the
///      year (`Wed Feb 9 22:23:32 GMT 1994`);
///    * month first, `Feb 9 1994`, `February 9, 1994 10:23 pm`, and JavaScript's
///      `Wed Dec 12 2007 08:44:07 GMT-0500 (EST)`;
///    * day first with full month names or `am`/`pm`: `9 February 1994 22:23 +01:00`.
///
///    Month names may be abbreviated or written out. Zones may be `GMT`/`UTC`/`UT`/`Z`,
///    offsets like `+01:00`, `-0800` or `GMT-5`, or the RFC 5322 North American names
///    (`EST`, `EDT`, `CST`, `CDT`, `MST`, `MDT`, `PST`, `PDT`); other names give `None`.
///    The range rules are those of [`http2time`].
///
/// # Examples
///
/// ```
/// use cookiejar::dates::{http2time, str2time};
///
/// let t = http2time("Wed, 09 Feb 1994 22:23:32 GMT");
/// assert_eq!(str2time("Wed Feb  9 22:23:32 1994"), t);
/// assert_eq!(str2time("Wed Feb  9 22:23:32 GMT 1994"), t);
/// assert_eq!(str2time("1994-02-09T22:23:32Z"), t);
/// assert_eq!(str2time("Feb 9, 1994 5:23:32 pm EST"), t);
/// assert_eq!(str2time("Feb 9 1994"), http2time("09 Feb 1994"));
/// assert_eq!(str2time("tomorrow"), None);
/// ```
pub fn str2time(text: &str) -> Option<i64> {
    http2time(text)
        .or_else(|| iso2time(text))
        .or_else(|| http2time_mechanize(text))
        .or_else(|| iso2time_mechanize(text))
        .or_else(|| liberal(text))
}

// ---------------------------------------------------------------------------------------------
// RFC 6265 cookie-date
// ---------------------------------------------------------------------------------------------

/// RFC 6265 §5.1.1 `delimiter`: `%x09 / %x20-2F / %x3B-40 / %x5B-60 / %x7B-7E`.
fn is_cookie_date_delimiter(b: u8) -> bool {
    matches!(b, 0x09 | 0x20..=0x2F | 0x3B..=0x40 | 0x5B..=0x60 | 0x7B..=0x7E)
}

/// Reads `1*max DIGIT` at the start of `token`, requiring at least `min` digits and that the
/// digit run ends there (the grammar's `( non-digit *OCTET )`). Returns the value and the rest.
fn leading_number(token: &[u8], min: usize, max: usize) -> Option<(u32, &[u8])> {
    let len = token.iter().take_while(|b| b.is_ascii_digit()).count();
    if len < min || len > max {
        return None;
    }
    let (digits, rest) = token.split_at_checked(len)?;
    let value = digits
        .iter()
        .fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0'));
    Some((value, rest))
}

/// `hms-time ( non-digit *OCTET )`.
fn cookie_time(token: &[u8]) -> Option<(u32, u32, u32)> {
    let (hour, rest) = leading_number(token, 1, 2)?;
    let (minute, rest) = leading_number(rest.strip_prefix(b":")?, 1, 2)?;
    let (second, _) = leading_number(rest.strip_prefix(b":")?, 1, 2)?;
    Some((hour, minute, second))
}

/// `month = ( "jan" / ... / "dec" ) *OCTET`, case-insensitively.
fn cookie_month(token: &[u8]) -> Option<u32> {
    let prefix = token.get(..3)?;
    let index = MONTHS
        .iter()
        .position(|m| m.as_bytes().eq_ignore_ascii_case(prefix))?;
    u32::try_from(index + 1).ok()
}

/// Parses an `Expires` attribute value with the cookie-date algorithm of RFC 6265 §5.1.1,
/// as browsers do.
///
/// The text is cut into tokens at the delimiter characters (everything in `\t !"#$%&'()*+,-./`
/// `;<=>?@[\]^_` and backquote `{|}~`). Each token is tried, in this order, as a time
/// (`h:m:s`, one or two digits each), a day of month (one or two digits), a month (a token
/// starting with `jan`..`dec`, any case) and a year (two to four digits), each kind being taken
/// only once; a token may carry trailing non-digits after its digits (`12th`). Two-digit years
/// 70–99 mean 1970–1999 and 0–69 mean 2000–2069. The result is `None` when a part is missing,
/// the year is before 1601, the day is not in the month, or the hour, minute or second is
/// out of range (23, 59, 59). Zones are ignored: the time is always UTC.
///
/// # Examples
///
/// ```
/// use cookiejar::dates::{parse_cookie_date, time2http};
///
/// let t = parse_cookie_date("Wed, 09 Feb 1994 22:23:32 GMT");
/// assert_eq!(t, Some(760_832_612));
/// // Tokens may come in any order, with any delimiters.
/// assert_eq!(parse_cookie_date("22:23:32 1994/feb\\9th"), t);
/// assert_eq!(
///     parse_cookie_date("Sat, 15-Apr-17 21:01:22").map(time2http).as_deref(),
///     Some("Sat, 15 Apr 2017 21:01:22 GMT")
/// );
/// assert_eq!(parse_cookie_date("Mon, 01-Jan-2011 00: 00:00 GMT"), None);
/// assert_eq!(parse_cookie_date("Thu, 30 Feb 2012 00:00:00 GMT"), None);
/// ```
pub fn parse_cookie_date(text: &str) -> Option<i64> {
    let mut time = None;
    let mut day = None;
    let mut month = None;
    let mut year = None;
    let tokens = text
        .as_bytes()
        .split(|&b| is_cookie_date_delimiter(b))
        .filter(|token| !token.is_empty());
    for token in tokens {
        if time.is_none() {
            if let Some(hms) = cookie_time(token) {
                time = Some(hms);
                continue;
            }
        }
        if day.is_none() {
            if let Some((d, _)) = leading_number(token, 1, 2) {
                day = Some(d);
                continue;
            }
        }
        if month.is_none() {
            if let Some(m) = cookie_month(token) {
                month = Some(m);
                continue;
            }
        }
        if year.is_none() {
            if let Some((y, _)) = leading_number(token, 2, 4) {
                year = Some(y);
            }
        }
    }
    let (hour, minute, second) = time?;
    let (day, month, year) = (day?, month?, year?);
    let year = i64::from(match year {
        70..=99 => year + 1900,
        0..=69 => year + 2000,
        _ => year,
    });
    if year < 1601
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }
    let days = days_to_month_start(year, month)?.checked_add(i64::from(day) - 1)?;
    days.checked_mul(SECS_PER_DAY)?
        .checked_add(i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second))
}
