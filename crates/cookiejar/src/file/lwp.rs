//! libwww-perl's `Set-Cookie3` format, extended by cookielib's `LWPCookieJar` (the
//! `#LWP-Cookies-2.0` header): one `Set-Cookie3:` line per cookie, its attributes written as
//! header words.

use std::io::{self, Write};
use std::path::Path;

use super::mozilla::text_lines;
use super::{CookieFormat, FileCookieJar, warn_dropped, writable_cookies};
use crate::cookie::{Cookie, SameSite};
use crate::dates::{iso2time, python_int, time2isoz};
use crate::error::{Error, Result};
use crate::header::{HeaderWords, join_header_words, py_space, py_strip, split_header_words};

/// The format's name in messages.
const NAME: &str = "LWP Set-Cookie3";

/// What the first line starts with (followed by a version: `\d+\.\d+`).
const MAGIC: &str = "#LWP-Cookies-";

/// The header this crate writes, as cookielib does.
const HEADER: &str = "#LWP-Cookies-2.0\n";

/// What starts a cookie line; other lines are ignored.
const LINE_START: &str = "Set-Cookie3:";

/// The keys cookielib reads as flags (a bare key, or a non-empty value, is true).
const BOOLEAN_KEYS: [&str; 5] = ["port_spec", "path_spec", "domain_dot", "secure", "discard"];

/// The keys cookielib reads as values.
const VALUE_KEYS: [&str; 7] = [
    "version",
    "port",
    "path",
    "domain",
    "expires",
    "comment",
    "commenturl",
];

/// Keys this crate adds for what cookielib does not save; cookielib keeps them as
/// non-standard attributes. Written with this spelling (`HTTPOnly` is the name cookielib
/// uses for the flag, so Python's `MozillaCookieJar` writes the `#HttpOnly_` prefix for
/// cookies it read from our files); read in any case.
const HTTP_ONLY_KEY: &str = "HTTPOnly";
const SAME_SITE_KEY: &str = "SameSite";
const RFC2109_KEY: &str = "rfc2109";
/// Written only when `domain_specified` differs from what cookielib infers from the domain
/// (specified exactly when it starts with a dot): bare for true, `=0` for false.
const DOMAIN_SPEC_KEY: &str = "domain_spec";

/// libwww-perl's `Set-Cookie3` format as cookielib's `LWPCookieJar` writes it: the only text
/// format that keeps every attribute of RFC 2965 cookies.
///
/// A file starts with `#LWP-Cookies-2.0`; each cookie is a line
///
/// ```text
/// Set-Cookie3: sid=42; path="/"; domain=".example.com"; path_spec; domain_dot; expires="2100-01-01 00:00:00Z"; version=0
/// ```
///
/// with cookielib's keys, in cookielib's order: the name and value (or a bare name for a
/// cookie without a value), `path`, `domain`, `port`, the flags `path_spec`, `port_spec`,
/// `domain_dot`, `secure`, then `expires` (UTC, `YYYY-MM-DD hh:mm:ssZ`), `discard`,
/// `comment`, `commenturl`, the non-standard attributes sorted by name, and `version`.
/// Values that are not all word characters are quoted, as by [`join_header_words`].
///
/// What cookielib does not save is written as extra attributes, which Python keeps as
/// non-standard ones and writes back: `HTTPOnly=""` for an HttpOnly cookie (the attribute
/// Python's `MozillaCookieJar` uses for it), `SameSite=Lax` (or `Strict`, `None`), `rfc2109`
/// for a cookie that arrived as RFC 2109, and `domain_spec` (or `domain_spec=0`) when
/// whether the domain was specified is not what cookielib infers from its leading dot.
/// These extras sort among the non-standard attributes. So the format is lossless for
/// everything a cookie holds except its creation and last-access times (left at 0 on
/// reading, for the jar to fill in), the order of the non-standard attributes (read back
/// sorted by name) and `discard = false` on a cookie without expiry, which reads back as a
/// session cookie (`discard` set), as in cookielib.
///
/// # Reading
///
/// The first line must start with `#LWP-Cookies-` and a version such as `2.0`, otherwise the
/// file is an [`Error::Load`] at line 1. Lines not starting with `Set-Cookie3:` are ignored.
/// Keys are read as cookielib reads them (known keys in any case, later ones win, unknown
/// ones kept as non-standard attributes); `HttpOnly` in any case and with any value (Python
/// writes `HttpOnly=None` for cookies it got from a server) sets the HttpOnly flag, a known
/// `SameSite` value sets SameSite. A line whose cookie lacks a `domain` or a `path`, or has
/// an expiry or version that cannot be read, is an [`Error::Load`] naming the line.
///
/// # Writing
///
/// A cookie whose name is empty or holds `=`, `;`, `,` or white space, or with a line
/// break in its value, path, domain, port, comment or comment URL, cannot be written: it is
/// left out with a WARN. A non-standard attribute whose name is one of the format's keys (or
/// not a header token), or whose value holds a line break, is dropped with a WARN
/// ([`warn_dropped`]).
///
/// ```
/// use cookiejar::Cookie;
/// use cookiejar::file::{CookieFormat, Lwp};
///
/// let mut c = Cookie::new("sid", "42", ".example.com", "/");
/// c.set_expires(Some(4_102_444_800));
/// c.set_discard(false);
/// c.set_comment(Some("session id"));
/// let mut out = Vec::new();
/// Lwp.write(std::slice::from_ref(&c), &mut out).unwrap();
/// let text = String::from_utf8(out).unwrap();
/// assert_eq!(
///     text,
///     "#LWP-Cookies-2.0\nSet-Cookie3: sid=42; path=\"/\"; domain=\".example.com\"; path_spec; \
///      domain_dot; expires=\"2100-01-01 00:00:00Z\"; comment=\"session id\"; version=0\n"
/// );
/// let back = Lwp.read(text.as_bytes(), "cookies.lwp".as_ref()).unwrap();
/// assert_eq!(back, vec![c]);
/// ```
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Lwp;

/// A [`FileCookieJar`] reading and writing `Set-Cookie3` files: cookielib's `LWPCookieJar`.
///
/// ```
/// use cookiejar::file::LWPCookieJar;
/// use cookiejar::Cookie;
///
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("cookies.lwp");
/// let jar = LWPCookieJar::new().with_filename(&path);
/// let mut c = Cookie::new("sid", "42", "example.com", "/");
/// c.set_version(Some(1));
/// c.set_port(Some("80,8080"));
/// jar.set_cookie(c);
/// jar.save(None, true, false).unwrap(); // keep the session cookie
///
/// let again = LWPCookieJar::new();
/// again.load(Some(&path), true, false).unwrap();
/// let c = again.iter().next().unwrap();
/// assert_eq!((c.version(), c.port()), (Some(1), Some("80,8080")));
/// ```
// cookielib's name, acronym and all, kept so that ported code reads the same (rustc accepts
// it as camel case; clippy's `upper_case_acronyms` flags it when configured aggressively).
#[allow(non_camel_case_types, clippy::upper_case_acronyms)]
pub type LWPCookieJar = FileCookieJar<Lwp>;

impl CookieFormat for Lwp {
    fn name(&self) -> &'static str {
        NAME
    }

    fn write(&self, cookies: &[Cookie], out: &mut dyn Write) -> io::Result<()> {
        let writable = writable_cookies(
            NAME,
            cookies,
            writable,
            "the whole cookie (a name that is not a header token, or a line break in a value)",
        );
        warn_dropped(
            NAME,
            "non-standard attributes named like one of the format's keys, not header tokens, or with a line break",
            writable
                .iter()
                .copied()
                .filter(|c| c.nonstandard_attrs().any(|(k, v)| !writable_attr(k, v))),
        );
        out.write_all(HEADER.as_bytes())?;
        for c in writable {
            let line = format!("{LINE_START} {}\n", join_header_words(&[words(c)]));
            out.write_all(line.as_bytes())?;
        }
        Ok(())
    }

    fn read(&self, bytes: &[u8], path: &Path) -> Result<Vec<Cookie>> {
        let mut lines = text_lines(bytes);
        let first = match lines.next() {
            Some((_, line)) => line,
            None => Ok(""),
        };
        let first = first.map_err(|reason| Error::load(path, 1, reason))?;
        if !is_magic(first) {
            return Err(Error::load(
                path,
                1,
                "not a Set-Cookie3 (LWP) file: the first line is not \"#LWP-Cookies-2.0\"",
            ));
        }
        let mut cookies = Vec::new();
        for (number, line) in lines {
            let line = line.map_err(|reason| Error::load(path, number, reason))?;
            let Some(rest) = line.strip_prefix(LINE_START) else {
                continue;
            };
            for element in split_header_words(&[py_strip(rest)]) {
                let c =
                    parse_cookie(element).map_err(|reason| Error::load(path, number, reason))?;
                cookies.push(c);
            }
        }
        Ok(cookies)
    }
}

/// `#LWP-Cookies-` followed by `digits.digits`.
fn is_magic(line: &str) -> bool {
    let Some(version) = line.strip_prefix(MAGIC) else {
        return false;
    };
    let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
    let major = digits(version);
    major > 0
        && version[major..]
            .strip_prefix('.')
            .is_some_and(|minor| digits(minor) > 0)
}

/// Whether `name` reads back as one header token.
fn is_token(name: &str) -> bool {
    !name.is_empty() && !name.contains(|c: char| c == '=' || c == ';' || c == ',' || py_space(c))
}

fn has_line_break(s: &str) -> bool {
    s.contains(['\n', '\r'])
}

/// Whether the cookie can be written as a line that reads back as the same cookie.
fn writable(c: &Cookie) -> bool {
    let values = [
        c.value(),
        Some(c.path()),
        Some(c.domain()),
        c.port(),
        c.comment(),
        c.comment_url(),
    ];
    is_token(c.name()) && !values.into_iter().flatten().any(has_line_break)
}

/// Whether a non-standard attribute can be written: its name is a token that is none of the
/// format's keys, and its value has no line break.
fn writable_attr(key: &str, value: Option<&str>) -> bool {
    let reserved = BOOLEAN_KEYS
        .iter()
        .chain(&VALUE_KEYS)
        .chain(&[HTTP_ONLY_KEY, SAME_SITE_KEY, RFC2109_KEY, DOMAIN_SPEC_KEY])
        .any(|k| k.eq_ignore_ascii_case(key));
    is_token(key) && !reserved && !value.is_some_and(has_line_break)
}

/// The cookie's header words, in cookielib's order.
fn words(c: &Cookie) -> HeaderWords {
    let pair = |k: &str, v: Option<&str>| (k.to_owned(), v.map(str::to_owned));
    let mut h = vec![
        pair(c.name(), c.value()),
        pair("path", Some(c.path())),
        pair("domain", Some(c.domain())),
    ];
    if let Some(port) = c.port() {
        h.push(pair("port", Some(port)));
    }
    for (on, key) in [
        (c.path_specified(), "path_spec"),
        (c.port_specified(), "port_spec"),
        (c.domain_initial_dot(), "domain_dot"),
        (c.secure(), "secure"),
    ] {
        if on {
            h.push(pair(key, None));
        }
    }
    if let Some(t) = c.expires() {
        h.push(pair("expires", Some(&time2isoz(t))));
    }
    if c.discard() {
        h.push(pair("discard", None));
    }
    if let Some(comment) = c.comment() {
        h.push(pair("comment", Some(comment)));
    }
    if let Some(url) = c.comment_url() {
        h.push(pair("commenturl", Some(url)));
    }

    let mut rest: HeaderWords = c
        .nonstandard_attrs()
        .filter(|&(k, v)| writable_attr(k, v))
        .map(|(k, v)| pair(k, v))
        .collect();
    if c.http_only() {
        rest.push(pair(HTTP_ONLY_KEY, Some("")));
    }
    if let Some(s) = c.same_site() {
        rest.push(pair(SAME_SITE_KEY, Some(s.as_str())));
    }
    if c.rfc2109() {
        rest.push(pair(RFC2109_KEY, None));
    }
    if c.domain_specified() != c.domain().starts_with('.') {
        rest.push(pair(
            DOMAIN_SPEC_KEY,
            (!c.domain_specified()).then_some("0"),
        ));
    }
    rest.sort_by(|a, b| a.0.cmp(&b.0));
    h.extend(rest);

    if let Some(v) = c.version() {
        h.push(pair("version", Some(&v.to_string())));
    }
    h
}

/// One cookie from a `Set-Cookie3` element; the error is the reason to report.
fn parse_cookie(element: HeaderWords) -> Result<Cookie, String> {
    let mut pairs = element.into_iter();
    let Some((name, value)) = pairs.next() else {
        return Err("empty Set-Cookie3 line".to_owned());
    };

    let mut flags = [false; BOOLEAN_KEYS.len()];
    let mut values: [Option<String>; VALUE_KEYS.len()] = Default::default();
    let mut http_only = false;
    let mut same_site = None;
    let mut rfc2109 = false;
    let mut domain_spec = None;
    let mut rest = Vec::new();
    for (k, v) in pairs {
        if let Some(i) = BOOLEAN_KEYS.iter().position(|b| b.eq_ignore_ascii_case(&k)) {
            // Python's truthiness: a bare key or a non-empty value.
            flags[i] = v.as_deref().is_none_or(|v| !v.is_empty());
        } else if let Some(i) = VALUE_KEYS.iter().position(|b| b.eq_ignore_ascii_case(&k)) {
            values[i] = v;
        } else if k.eq_ignore_ascii_case(HTTP_ONLY_KEY) {
            http_only = true;
        } else if k.eq_ignore_ascii_case(RFC2109_KEY) {
            rfc2109 = true;
        } else if k.eq_ignore_ascii_case(DOMAIN_SPEC_KEY) {
            domain_spec = Some(!matches!(v.as_deref(), Some("0" | "")));
        } else if let Some(s) = k
            .eq_ignore_ascii_case(SAME_SITE_KEY)
            .then(|| v.as_deref().and_then(SameSite::parse))
            .flatten()
        {
            same_site = Some(s);
        } else {
            rest.push((k, v));
        }
    }
    let [port_spec, path_spec, domain_dot, secure, discard] = flags;
    let [version, port, path, domain, expires, comment, comment_url] = values;

    let Some(domain) = domain else {
        return Err(format!("cookie {name:?} has no domain"));
    };
    let Some(path) = path else {
        return Err(format!("cookie {name:?} has no path"));
    };
    let version = match version {
        None => None,
        // cookielib writes `version=None` for a cookie without one (and cannot read it back).
        Some(v) if v == "None" => None,
        Some(v) => match python_int(&v).and_then(|n| u32::try_from(n).ok()) {
            Some(n) => Some(n),
            None => {
                return Err(format!(
                    "cookie {name:?} has the version {v:?}, not a number"
                ));
            }
        },
    };
    let expires = match expires {
        None => None,
        Some(e) => match any_year_isoz(&e).or_else(|| iso2time(&e)) {
            Some(t) => Some(t),
            None => return Err(format!("cookie {name:?} expires {e:?}, not a date")),
        },
    };

    let mut c = Cookie::new(&name, "", &domain, &path);
    c.set_value(value.as_deref());
    c.set_version(version);
    c.set_port(port.as_deref());
    c.set_port_specified(port_spec);
    c.set_domain_specified(domain_spec.unwrap_or_else(|| domain.starts_with('.')));
    c.set_domain_initial_dot(domain_dot);
    c.set_path_specified(path_spec);
    c.set_secure(secure);
    c.set_expires(expires);
    c.set_discard(discard || expires.is_none());
    c.set_comment(comment.as_deref());
    c.set_comment_url(comment_url.as_deref());
    c.set_http_only(http_only);
    c.set_same_site(same_site);
    c.set_rfc2109(rfc2109);
    for (k, v) in rest {
        c.set_nonstandard_attr(&k, v.as_deref());
    }
    Ok(c)
}

/// Reads exactly what [`time2isoz`] writes, for any year: `[-]Y…Y-MM-DD hh:mm:ssZ`. Tried
/// before [`iso2time`], which refuses years after 9999 and reads years below 100 as two-digit
/// years. Only the exact form is accepted: the result must format back to the same text.
fn any_year_isoz(text: &str) -> Option<i64> {
    let (date, time) = text.strip_suffix('Z')?.split_once(' ')?;
    let (negative, date) = match date.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, date),
    };
    let mut date = date.split('-');
    let (year, month, day) = (date.next()?, date.next()?, date.next()?);
    let mut time = time.split(':');
    let (hour, minute, second) = (time.next()?, time.next()?, time.next()?);
    let number = |s: &str| -> Option<i128> {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    };
    let year = number(year)? * if negative { -1 } else { 1 };
    let (month, day) = (number(month)?, number(day)?);
    let seconds = days_from_civil(year, month, day)? * 86_400
        + number(hour)? * 3_600
        + number(minute)? * 60
        + number(second)?;
    let t = i64::try_from(seconds).ok()?;
    (time2isoz(t) == text).then_some(t)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (astronomical years: 0 is 1 BCE).
fn days_from_civil(year: i128, month: i128, day: i128) -> Option<i128> {
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || year.unsigned_abs() > 1 << 60 {
        return None;
    }
    // Years starting in March, so that the leap day ends a year.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    Some(era * 146_097 + day_of_era - 719_468)
}
