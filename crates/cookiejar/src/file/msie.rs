//! Internet Explorer 5/6 cookie files, read only: mechanize's `MSIECookieJar`.
//!
//! The format and the rules below come from mechanize 0.2.5's `_msiecookiejar.py` (itself a
//! port of Johnny Lee's Perl `HTTP::Cookies::Microsoft`), checked against public descriptions
//! of the files (the Galleta cookie analysis tool and write-ups based on it) and the flag
//! constants of WinINet's `wininet.h` (`INTERNET_COOKIE_IS_SECURE`, `INTERNET_COOKIE_HTTPONLY`).
//! See [`Msie`] for the rules themselves.

use std::io::{self, Write};
use std::path::Path;

use super::{CookieFormat, FileCookieJar};
use crate::cookie::Cookie;
use crate::error::{Error, Result};

/// Lines in one cookie record, the closing `*` included.
const RECORD_LINES: usize = 9;

/// FILETIME ticks (100 ns) in a second.
const TICKS_PER_SECOND: u64 = 10_000_000;

/// Seconds from the FILETIME epoch (1601-01-01 UTC) to the Unix epoch (1970-01-01 UTC).
const FILETIME_UNIX_OFFSET: i64 = 11_644_473_600;

/// `INTERNET_COOKIE_IS_SECURE`.
const FLAG_SECURE: u32 = 0x0001;

/// `INTERNET_COOKIE_HTTPONLY` (written by IE 6 SP1 and later).
const FLAG_HTTP_ONLY: u32 = 0x2000;

/// How `index.dat`, IE's cache index, begins ("Client UrlCache MMF Ver 5.2").
const INDEX_DAT_MAGIC: &[u8] = b"Client UrlCache MMF Ver ";

/// The fields of a record, by their position in it, for messages.
const FIELDS: [&str; RECORD_LINES] = [
    "name",
    "value",
    "host/path",
    "flags",
    "expiry time (low word)",
    "expiry time (high word)",
    "creation time (low word)",
    "creation time (high word)",
    "`*` ending the record",
];

/// Internet Explorer 5/6's cookie files (read only): the text files of the user's `Cookies`
/// folder, such as `alice@example[1].txt`, one per site.
///
/// A file holds records of nine lines each, separated by `\n` (a `\r\n` is accepted too):
///
/// 1. the cookie name;
/// 2. the value;
/// 3. `host/path`: the domain, then the path from its first `/` on (`example.com/`,
///    `www.example.com/account/`);
/// 4. flags, in decimal: bit `0x1` (`INTERNET_COOKIE_IS_SECURE`) is `Secure` and bit `0x2000`
///    (`INTERNET_COOKIE_HTTPONLY`, IE 6 SP1 and later) is `HttpOnly`; the other bits (`0x400`
///    marks cookies written by IE 6, others are P3P decisions) are kept, untouched, in the
///    non-standard attribute `flags`, as mechanize did;
/// 5. and 6. the expiry time, as the low then the high 32 bits of a Windows `FILETIME`
///    (100 ns ticks since 1601-01-01 UTC), each in decimal;
/// 7. and 8. the creation time, the same way;
/// 9. a line `*`.
///
/// Trailing whitespace is dropped from every line, as mechanize did (`rstrip`), and blank
/// lines after the last record are ignored. Lines must be UTF-8 (IE wrote the system code
/// page; ASCII, which cookies nearly always are, is read the same either way).
///
/// How fields become a [`Cookie`] (version 0, as mechanize made them):
///
/// - **Domain.** The host is taken as written, lowercased. IE does not record whether the
///   server gave a `Domain` attribute, so, like mechanize, a host with a leading dot is a
///   domain cookie (domain and leading dot specified) and any other host is stored without a
///   dot and with the domain *not* specified. With [`DefaultCookiePolicy`]'s Netscape
///   tail-matching that cookie is still sent to subdomains (`example.com` matches
///   `www.example.com`), which is how IE itself used it; with `DomainStrictNonDomain` or
///   [`BrowserCookiePolicy`] it is host-only. This is mechanize's conservative choice: no dot
///   is added, so a cookie never matches more hosts than it should.
/// - **Path** is from the first `/` on, marked as not specified (as mechanize did).
/// - **Expiry**: the FILETIME converted to Unix seconds, rounding down (so an expiry before
///   1970 is a negative time, long expired); the cookie is persistent (`discard` false).
///   IE writes only persistent cookies: a session cookie never reaches the disk. An expiry of
///   zero (both words `0`) is read as a session cookie (no expiry, `discard` true).
/// - **Creation time**: converted the same way; a time at or before 1970 is treated as
///   unknown, and the jar then uses the time of loading.
///
/// Differences from mechanize, all to fail loudly instead of silently: mechanize stopped
/// reading at the first empty field or truncated record, skipped a record without a `/` in its
/// host/path line, and raised Python's `ValueError` for a non-numeric field or an expiry
/// before 1970. Here a truncated record, a non-numeric or out-of-range number (each word must
/// fit in 32 bits), a host/path line without `/` or with an empty host, or a missing `*` is an
/// [`Error::Load`] with the 1-based line in that file (for a truncated record, its first
/// line). Empty names and values are kept. mechanize also marked cookies that had already
/// expired as `discard`, so loading them needed both `ignore_discard` and `ignore_expires`;
/// here `ignore_expires` alone keeps them.
///
/// [`read_path`](CookieFormat::read_path) reads one such file, or every `*.txt` file (the
/// extension in any case) of a folder, not its subfolders, in file-name order; a file that
/// does not parse fails the whole load, naming that file. `index.dat`, the binary cache index IE
/// keeps in the same folder, is **not** parsed: in a folder it is skipped with every other
/// non-`.txt` file, and read directly it gives an [`Error::Load`] (line 0). mechanize read
/// `index.dat` to find the cookie files and to load them lazily (`delayload`); loading the
/// folder finds the same files.
///
/// **Saving is not supported**: [`write`](CookieFormat::write) returns an [`io::Error`] of
/// kind [`io::ErrorKind::Unsupported`], so [`FileCookieJar::save`] fails with an
/// [`Error::Io`] and leaves files as they were. mechanize saved such a jar in LWP's
/// `Set-Cookie3` format instead; here, copy its cookies into an
/// [`LWPCookieJar`](super::LWPCookieJar) (`set_cookies(jar.iter())`) and save that.
///
/// [`DefaultCookiePolicy`]: crate::DefaultCookiePolicy
/// [`BrowserCookiePolicy`]: crate::BrowserCookiePolicy
///
/// ```
/// use cookiejar::file::{CookieFormat, MSIECookieJar, Msie};
/// use std::path::Path;
///
/// // One record: expires 2100-01-01 UTC, created 2006-01-01 UTC, flags 0x2401
/// // (IE 6, Secure, HttpOnly).
/// let file = "sid\nabc123\nexample.com/\n9217\n2003042304\n36663651\n1323909120\n29757030\n*\n";
/// let cookies = Msie.read(file.as_bytes(), Path::new("alice@example[1].txt")).unwrap();
/// let c = &cookies[0];
/// assert_eq!((c.name(), c.value(), c.domain(), c.path()), ("sid", Some("abc123"), "example.com", "/"));
/// assert!(c.secure() && c.http_only() && !c.domain_specified());
/// assert_eq!(c.expires(), Some(4_102_444_800));
/// assert_eq!(c.creation_time(), 1_136_073_600);
///
/// // A whole `Cookies` folder, through the jar.
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::write(dir.path().join("alice@example[1].txt"), file).unwrap();
/// let jar = MSIECookieJar::new();
/// jar.load(Some(dir.path()), false, false).unwrap();
/// assert_eq!(jar.len(), 1);
/// ```
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Msie;

/// A [`FileCookieJar`] that reads Internet Explorer's cookie files ([`Msie`]); it cannot save
/// them.
///
/// ```
/// use cookiejar::file::MSIECookieJar;
///
/// let dir = tempfile::tempdir().unwrap();
/// let jar = MSIECookieJar::new();
/// jar.load(Some(dir.path()), false, false).unwrap(); // an empty `Cookies` folder
/// assert_eq!(jar.len(), 0);
/// assert!(jar.save(Some(&dir.path().join("out.txt")), true, true).is_err());
/// ```
// The name is mechanize's (`MSIECookieJar`), kept so ported code reads the same, even though
// Rust spells acronyms in camel case (`MsieCookieJar`).
#[allow(clippy::upper_case_acronyms)]
pub type MSIECookieJar = FileCookieJar<Msie>;

impl CookieFormat for Msie {
    fn name(&self) -> &'static str {
        "Internet Explorer cookie files"
    }

    /// Always fails: writing Internet Explorer's format is not supported.
    fn write(&self, _cookies: &[Cookie], _out: &mut dyn Write) -> io::Result<()> {
        Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "saving in Internet Explorer's cookie format is not supported; use another format",
        ))
    }

    fn read(&self, bytes: &[u8], path: &Path) -> Result<Vec<Cookie>> {
        if bytes.starts_with(INDEX_DAT_MAGIC) {
            return Err(Error::load(
                path,
                0,
                "this is IE's index.dat cache index, which is not read: \
                 load the Cookies folder or one of its .txt files",
            ));
        }
        let lines = split_lines(bytes);
        // Blank lines after the last record are ignored.
        let end = lines
            .iter()
            .rposition(|l| !l.trim_ascii().is_empty())
            .map_or(0, |last| last + 1);
        let mut cookies = Vec::new();
        let mut start = 0;
        while start < end {
            let Some(record) = lines.get(start..start + RECORD_LINES) else {
                let have = lines.len() - start;
                return Err(Error::load(
                    path,
                    start + 1,
                    format!(
                        "truncated record: the file ends after {have} of its {RECORD_LINES} lines \
                         ({} missing)",
                        FIELDS[have]
                    ),
                ));
            };
            cookies.push(parse_record(record, start, path)?);
            start += RECORD_LINES;
        }
        Ok(cookies)
    }

    fn read_path(&self, path: &Path) -> Result<Vec<Cookie>> {
        let meta = std::fs::metadata(path).map_err(|e| Error::io("read", path, e))?;
        if !meta.is_dir() {
            let bytes = std::fs::read(path).map_err(|e| Error::io("read", path, e))?;
            return self.read(&bytes, path);
        }
        let mut files = Vec::new();
        for entry in std::fs::read_dir(path).map_err(|e| Error::io("read the folder", path, e))? {
            let entry = entry.map_err(|e| Error::io("read the folder", path, e))?;
            let file = entry.path();
            let is_txt = file
                .extension()
                .is_some_and(|ext| ext.eq_ignore_ascii_case("txt"));
            // `metadata` follows symbolic links: a link to a cookie file counts.
            if is_txt && std::fs::metadata(&file).is_ok_and(|m| m.is_file()) {
                files.push(file);
            }
        }
        files.sort();
        let mut cookies = Vec::new();
        for file in files {
            let bytes = std::fs::read(&file).map_err(|e| Error::io("read", &file, e))?;
            cookies.extend(self.read(&bytes, &file)?);
        }
        Ok(cookies)
    }
}

/// The file's lines split at `\n`, without a last empty piece after a final `\n`.
fn split_lines(bytes: &[u8]) -> Vec<&[u8]> {
    let mut lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
    if lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines
}

/// One record (exactly [`RECORD_LINES`] lines, the first at 0-based line `start`).
fn parse_record(record: &[&[u8]], start: usize, path: &Path) -> Result<Cookie> {
    let text = |i: usize| -> Result<&str> {
        let line = record[i].trim_ascii_end();
        std::str::from_utf8(line).map_err(|_| {
            Error::load(
                path,
                start + i + 1,
                format!("the {} is not UTF-8 text", FIELDS[i]),
            )
        })
    };
    let number = |i: usize| -> Result<u32> {
        let s = text(i)?.trim_ascii_start();
        s.parse::<u32>().map_err(|_| {
            Error::load(
                path,
                start + i + 1,
                format!(
                    "the {} must be a decimal number from 0 to {}, not {:?}",
                    FIELDS[i],
                    u32::MAX,
                    shorten(s)
                ),
            )
        })
    };

    let name = text(0)?;
    let value = text(1)?;
    let host_path = text(2)?;
    let (host, path_part) = match host_path.find('/') {
        Some(0) | None => {
            return Err(Error::load(
                path,
                start + 3,
                format!(
                    "expected host/path such as `example.com/`, not {:?}",
                    shorten(host_path)
                ),
            ));
        }
        Some(slash) => host_path.split_at(slash),
    };
    let flags = number(3)?;
    let expiry = filetime(number(4)?, number(5)?);
    let creation = filetime(number(6)?, number(7)?);
    let end = text(8)?.trim_ascii_start();
    if end != "*" {
        return Err(Error::load(
            path,
            start + RECORD_LINES,
            format!("expected the `*` ending the record, not {:?}", shorten(end)),
        ));
    }

    let domain = host.to_ascii_lowercase();
    let dotted = domain.starts_with('.');
    let mut cookie = Cookie::new(name, value, &domain, path_part);
    cookie.set_domain_specified(dotted);
    cookie.set_domain_initial_dot(dotted);
    cookie.set_path_specified(false);
    cookie.set_secure(flags & FLAG_SECURE != 0);
    cookie.set_http_only(flags & FLAG_HTTP_ONLY != 0);
    match expiry {
        None => {
            cookie.set_expires(None);
            cookie.set_discard(true);
        }
        Some(t) => {
            cookie.set_expires(Some(t));
            cookie.set_discard(false);
        }
    }
    if let Some(t) = creation.filter(|&t| t > 0) {
        cookie.set_creation_time(t);
    }
    cookie.set_nonstandard_attr("flags", Some(&flags.to_string()));
    Ok(cookie)
}

/// A FILETIME given as its two 32-bit halves, in Unix seconds rounded down; `None` for zero.
/// Cannot overflow: the largest FILETIME is about 1.8 × 10¹² seconds.
fn filetime(low: u32, high: u32) -> Option<i64> {
    let ticks = (u64::from(high) << 32) | u64::from(low);
    if ticks == 0 {
        return None;
    }
    let seconds = i64::try_from(ticks / TICKS_PER_SECOND).ok()?;
    Some(seconds - FILETIME_UNIX_OFFSET)
}

/// `s`, cut to a readable length for an error message.
fn shorten(s: &str) -> String {
    const MAX: usize = 40;
    match s.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filetime_conversion() {
        assert_eq!(filetime(0, 0), None);
        // 1970-01-01 exactly.
        let epoch = 116_444_736_000_000_000_u64;
        assert_eq!(filetime(epoch as u32, (epoch >> 32) as u32), Some(0));
        // One tick before: rounds down to -1.
        let before = epoch - 1;
        assert_eq!(filetime(before as u32, (before >> 32) as u32), Some(-1));
        assert_eq!(filetime(1, 0), Some(-FILETIME_UNIX_OFFSET));
        assert_eq!(
            filetime(u32::MAX, u32::MAX),
            Some(1_844_674_407_370 - FILETIME_UNIX_OFFSET)
        );
    }

    #[test]
    fn lines_and_shortening() {
        assert!(split_lines(b"").is_empty());
        assert_eq!(split_lines(b"a\nb\n"), vec![&b"a"[..], &b"b"[..]]);
        assert_eq!(split_lines(b"a\n\n"), vec![&b"a"[..], &b""[..]]);
        assert_eq!(shorten("abc"), "abc");
        assert_eq!(shorten(&"é".repeat(50)).chars().count(), 41);
    }
}
