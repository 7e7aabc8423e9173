//! The Netscape/Mozilla `cookies.txt` format, as written by curl (`-c`), wget
//! (`--save-cookies`), browser export add-ons and cookielib's `MozillaCookieJar`.
//!
//! One cookie per line, seven tab-separated fields:
//!
//! ```text
//! domain  include-subdomains  path  secure  expires  name  value
//! ```
//!
//! `include-subdomains` and `secure` are `TRUE` or `FALSE`, `expires` is in seconds since
//! the Unix epoch (`0` or empty for a session cookie). A line starting with `#HttpOnly_` is an
//! HttpOnly cookie (the prefix is followed by the domain); other lines starting with `#`, or
//! `$` as cookielib allows, and blank lines are comments.

use std::io::{self, Write};
use std::path::Path;

use super::{CookieFormat, FileCookieJar, warn_dropped, writable_cookies};
use crate::cookie::Cookie;
use crate::error::{Error, Result};

/// The format's name in messages.
const NAME: &str = "Mozilla cookies.txt";

/// What a file must start with (cookielib accepts both; Netscape wrote the first).
const MAGICS: [&str; 2] = ["# Netscape HTTP Cookie File", "# HTTP Cookie File"];

/// The prefix curl and browsers put before the domain of an HttpOnly cookie.
const HTTP_ONLY_PREFIX: &str = "#HttpOnly_";

/// The header this crate writes: the magic line, then a comment line and a blank line.
const HEADER: &str = "# Netscape HTTP Cookie File\n\
                      # Written by the Rust cookiejar crate: one cookie per line, tab-separated. Edit with care.\n\n";

/// The Netscape/Mozilla `cookies.txt` format: curl, wget, browsers' exports and cookielib's
/// `MozillaCookieJar` read and write it.
///
/// # Reading
///
/// The first line must hold the magic `# Netscape HTTP Cookie File` or `# HTTP Cookie File`
/// (otherwise the file is an [`Error::Load`] at line 1, as in cookielib). A line with fewer
/// than seven fields, an `include-subdomains` or `secure` field other than `TRUE`/`FALSE`
/// (in any case) or an expiry that is not a number is an [`Error::Load`] naming the line.
/// The value is the rest of the line after the sixth tab, so it may hold tabs.
///
/// - **Domain cookies.** As in cookielib, `domain_specified` is the `include-subdomains`
///   flag and `domain_initial_dot` says whether the stored domain starts with a dot. Files
///   written by older curl versions hold `TRUE` with a domain without a dot: such a line is
///   read as the domain cookie `.domain` (dot added, `domain_initial_dot` set). A dotted
///   domain with `FALSE` (which cookielib refuses with an assertion) is kept as written,
///   with `domain_specified` false.
/// - **Session cookies.** An expiry of `0` or an empty one means a session cookie:
///   `expires` is `None` and `discard` is set. Any other expiry leaves `discard` unset.
/// - **HttpOnly.** `#HttpOnly_` lines set [`http_only`](Cookie::http_only) (cookielib of
///   Python 3.11 keeps them as a non-standard `HTTPOnly` attribute; older versions and
///   mechanize drop them as comments).
/// - **Bare names.** An empty name field means cookielib's cookie without a value:
///   the value field is its name (`Set-Cookie: foo` is stored as name `foo`, no value).
/// - Cookies are version 0 with neither the path nor the port specified, as cookielib reads
///   them; the creation and last-access times are left at 0 for the jar to fill in.
///
/// # Writing
///
/// The header is the magic line and a comment line. A cookie whose domain starts with a dot
/// is written with `TRUE`, others with `FALSE`; a session cookie gets the expiry `0`
/// (which curl, wget and browsers read as a session cookie; curl drops lines with an
/// empty expiry, while cookielib reads `0` as "expired in 1970", so Python needs
/// `ignore_expires=True` to load saved session cookies, and an expiry of exactly 0 reads back
/// as a session cookie); a cookie without a value is written
/// as cookielib does (empty name, the name in the value field), so a cookie whose name is
/// empty reads back, as in cookielib, as a cookie without a value named after its value; an
/// HttpOnly cookie gets the `#HttpOnly_` prefix.
///
/// The format cannot hold a comment, comment URL, port, version above 0 (RFC 2965 cookies
/// are saved as Netscape cookies), RFC 2109 origin, SameSite or non-standard attributes, nor
/// whether the path was specified or `discard` for a cookie that has an expiry: each of the
/// listed attributes present is dropped with a WARN naming the cookies
/// ([`warn_dropped`]). A cookie with a tab or a line break in its domain, path, name or value,
/// or a domain that would read as a comment, cannot be written at all: it is left out, with
/// a WARN.
///
/// ```
/// use cookiejar::Cookie;
/// use cookiejar::file::{CookieFormat, Mozilla};
///
/// let mut c = Cookie::new("sid", "42", ".example.com", "/");
/// c.set_expires(Some(4_102_444_800));
/// c.set_discard(false);
/// c.set_http_only(true);
/// let mut out = Vec::new();
/// Mozilla.write(&[c], &mut out).unwrap();
/// let text = String::from_utf8(out).unwrap();
/// assert!(text.starts_with("# Netscape HTTP Cookie File\n"));
/// assert!(text.ends_with("#HttpOnly_.example.com\tTRUE\t/\tFALSE\t4102444800\tsid\t42\n"));
///
/// let back = Mozilla.read(text.as_bytes(), "cookies.txt".as_ref()).unwrap();
/// assert_eq!((back[0].name(), back[0].value()), ("sid", Some("42")));
/// assert!(back[0].http_only() && back[0].domain_specified());
/// ```
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Mozilla;

/// A [`FileCookieJar`] reading and writing `cookies.txt` files: cookielib's `MozillaCookieJar`.
///
/// ```
/// use cookiejar::file::MozillaCookieJar;
/// use cookiejar::Cookie;
///
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("cookies.txt");
/// std::fs::write(&path, "# Netscape HTTP Cookie File\n\
///     .example.com\tTRUE\t/\tTRUE\t4102444800\ttheme\tdark\n").unwrap();
///
/// let jar = MozillaCookieJar::new().with_filename(&path);
/// jar.load(None, false, false).unwrap();
/// let c = jar.iter().next().unwrap();
/// assert_eq!((c.name(), c.value(), c.domain()), ("theme", Some("dark"), ".example.com"));
/// assert!(c.secure());
/// ```
pub type MozillaCookieJar = FileCookieJar<Mozilla>;

impl CookieFormat for Mozilla {
    fn name(&self) -> &'static str {
        NAME
    }

    fn write(&self, cookies: &[Cookie], out: &mut dyn Write) -> io::Result<()> {
        let writable = writable_cookies(
            NAME,
            cookies,
            writable,
            "the whole cookie (a tab or line break in a field, or a domain read as a comment)",
        );
        warn_lost_attributes(&writable);
        out.write_all(HEADER.as_bytes())?;
        let mut line = String::new();
        for c in writable {
            line.clear();
            format_line(c, &mut line);
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
        if !MAGICS.iter().any(|m| first.starts_with(m)) {
            return Err(Error::load(
                path,
                1,
                "not a Netscape cookies.txt file: the first line is neither \"# Netscape HTTP Cookie File\" nor \"# HTTP Cookie File\"",
            ));
        }
        let mut cookies = Vec::new();
        for (number, line) in lines {
            let line = line.map_err(|reason| Error::load(path, number, reason))?;
            if let Some(c) = parse_line(line).map_err(|reason| Error::load(path, number, reason))? {
                cookies.push(c);
            }
        }
        Ok(cookies)
    }
}

/// The lines of a file, numbered from 1, without their `\n` or `\r\n` ending, each checked
/// to be UTF-8 (the error is the reason to report). A UTF-8 byte order mark is skipped.
pub(super) fn text_lines(bytes: &[u8]) -> impl Iterator<Item = (usize, Result<&str, String>)> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let ends_with_newline = bytes.last() == Some(&b'\n');
    let count = bytes.split(|&b| b == b'\n').count() - usize::from(ends_with_newline);
    bytes
        .split(|&b| b == b'\n')
        .take(count)
        .enumerate()
        .map(|(i, raw)| {
            let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
            let text = std::str::from_utf8(raw)
                .map_err(|e| format!("not valid UTF-8 (byte {} of the line)", e.valid_up_to() + 1));
            (i + 1, text)
        })
}

/// One line of the file: `Ok(None)` for a comment or blank line.
fn parse_line(line: &str) -> Result<Option<Cookie>, String> {
    let (http_only, line) = match line.strip_prefix(HTTP_ONLY_PREFIX) {
        Some(rest) => (true, rest),
        None => (false, line),
    };
    let trimmed = line.trim();
    if trimmed.is_empty() || trimmed.starts_with(['#', '$']) {
        return Ok(None);
    }
    let fields: Vec<&str> = line.splitn(7, '\t').collect();
    let &[
        domain,
        include_subdomains,
        path,
        secure,
        expires,
        name,
        value,
    ] = fields.as_slice()
    else {
        return Err(format!(
            "expected 7 tab-separated fields (domain, include-subdomains, path, secure, expires, name, value), found {}",
            fields.len()
        ));
    };
    let include_subdomains = parse_flag(include_subdomains, "include-subdomains")?;
    let secure = parse_flag(secure, "secure")?;
    let expires = parse_expires(expires)?;
    // cookielib's cookie without a value is written with an empty name.
    let (name, value) = if name.is_empty() {
        (value, None)
    } else {
        (name, Some(value))
    };
    // Older curl wrote domain cookies as `TRUE` without the leading dot.
    let dotted;
    let domain = if include_subdomains && !domain.starts_with('.') {
        dotted = format!(".{domain}");
        dotted.as_str()
    } else {
        domain
    };

    let mut c = Cookie::new(name, "", domain, path);
    c.set_value(value);
    c.set_version(Some(0));
    c.set_domain_specified(include_subdomains);
    c.set_domain_initial_dot(domain.starts_with('.'));
    c.set_path_specified(false);
    c.set_secure(secure);
    c.set_expires(expires);
    c.set_discard(expires.is_none());
    c.set_http_only(http_only);
    Ok(Some(c))
}

/// `TRUE` or `FALSE`, in any case.
fn parse_flag(text: &str, field: &str) -> Result<bool, String> {
    if text.eq_ignore_ascii_case("TRUE") {
        Ok(true)
    } else if text.eq_ignore_ascii_case("FALSE") {
        Ok(false)
    } else {
        Err(format!("the {field} field is {text:?}, not TRUE or FALSE"))
    }
}

/// Seconds since the epoch; `None` (a session cookie) for `0` or an empty field. Like
/// cookielib, a decimal fraction is accepted and truncated.
fn parse_expires(text: &str) -> Result<Option<i64>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let seconds = match t.parse::<i64>() {
        Ok(s) => s,
        Err(_) => match t.parse::<f64>() {
            // `as` saturates: a huge expiry stays huge.
            Ok(f) if f.is_finite() => f.trunc() as i64,
            _ => {
                return Err(format!(
                    "the expires field is {text:?}, not a number of seconds"
                ));
            }
        },
    };
    Ok((seconds != 0).then_some(seconds))
}

/// Whether the cookie can be written as one line that reads back as the same cookie.
fn writable(c: &Cookie) -> bool {
    let clean = |s: &str| !s.contains(['\t', '\n', '\r']);
    let domain = c.domain();
    clean(domain)
        && clean(c.path())
        && clean(c.name())
        && c.value().is_none_or(clean)
        && !domain.trim().starts_with(['#', '$'])
}

/// WARNs for each attribute the format cannot hold, naming the cookies that had it.
fn warn_lost_attributes(cookies: &[&Cookie]) {
    type Has = fn(&Cookie) -> bool;
    let checks: [(&str, Has); 7] = [
        ("comment", |c| c.comment().is_some()),
        ("comment URL", |c| c.comment_url().is_some()),
        ("port", |c| c.port().is_some() || c.port_specified()),
        ("version (saved as a Netscape version 0 cookie)", |c| {
            c.version_number() > 0
        }),
        ("RFC 2109 origin", Cookie::rfc2109),
        ("SameSite", |c| c.same_site().is_some()),
        ("non-standard attributes", |c| {
            c.nonstandard_attrs().next().is_some()
        }),
    ];
    for (attribute, has) in checks {
        warn_dropped(NAME, attribute, cookies.iter().copied().filter(|c| has(c)));
    }
}

/// Appends the cookie's line, newline included.
fn format_line(c: &Cookie, line: &mut String) {
    use std::fmt::Write as _;
    let domain = c.domain();
    if c.http_only() {
        line.push_str(HTTP_ONLY_PREFIX);
    }
    let (name, value) = match c.value() {
        Some(v) => (c.name(), v),
        None => ("", c.name()),
    };
    let flag = |on: bool| if on { "TRUE" } else { "FALSE" };
    let _ = writeln!(
        line,
        "{domain}\t{}\t{}\t{}\t{}\t{name}\t{value}",
        flag(domain.starts_with('.')),
        c.path(),
        flag(c.secure()),
        c.expires().unwrap_or(0),
    );
}
