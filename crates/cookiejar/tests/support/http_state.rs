//! The http-state conformance runner, shared by `tests/http_state.rs` and the `conformance`
//! example: replays abarth/http-state's parser cases through a jar, offline, at a pinned time.

#![allow(dead_code)]

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use cookiejar::{CookieJar, CookieRequest};

use super::exchange::{PlainRequest, PlainResponse};

/// The suite's clock: 2017-08-09T00:00:00Z, the date of its last commit (see the data README).
pub const NOW: i64 = 1_502_236_800;

/// Where the copied suite lives.
pub fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/http-state")
}

/// One case: the response header lines and the expected-file text.
pub struct Case {
    pub name: String,
    pub test: String,
    pub expected: String,
}

impl Case {
    /// Upstream marked these dubious; they are reported but not counted.
    pub fn is_disabled(&self) -> bool {
        self.name.starts_with("disabled-")
    }

    /// The Cookie header the case expects: the one `Cookie:` match, or none.
    pub fn expected_cookie(&self) -> Option<String> {
        expected_cookie(&self.expected)
    }
}

/// `re.findall(r'Cookie:\s*(.*)', text)`: exactly one match is the header, else none.
pub fn expected_cookie(text: &str) -> Option<String> {
    let matches: Vec<String> = text
        .match_indices("Cookie:")
        .map(|(i, m)| {
            let rest = text[i + m.len()..].trim_start();
            rest.split('\n').next().unwrap_or("").to_owned()
        })
        .collect();
    match matches.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    }
}

/// Every case in the copied suite, sorted by name.
pub fn load_cases() -> std::io::Result<Vec<Case>> {
    let dir = data_dir().join("parser");
    let mut names: Vec<String> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            e.file_name()
                .to_str()
                .and_then(|n| n.strip_suffix("-test"))
                .map(str::to_owned)
        })
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let read = |suffix: &str| -> std::io::Result<String> {
                let bytes = std::fs::read(dir.join(format!("{name}{suffix}")))?;
                Ok(String::from_utf8_lossy(&bytes).into_owned())
            };
            Ok(Case {
                test: read("-test")?,
                expected: read("-expected")?,
                name,
            })
        })
        .collect()
}

/// Splits a line as `(\S+):\s*(.*)` does (every header name in the suite is one token).
fn header_line(line: &str) -> Option<(String, String)> {
    let colon = line.find(':')?;
    let name = &line[..colon];
    if name.is_empty() || name.chars().any(char::is_whitespace) {
        return None;
    }
    Some((name.to_owned(), line[colon + 1..].trim_start().to_owned()))
}

/// Runs one case through `jar`: set from the first URL, read at the `Location`.
/// Returns the Cookie header the jar sent, if any.
pub fn run_case(case: &Case, jar: &CookieJar) -> Option<String> {
    let origin = "http://home.example.org:8888";
    let first = format!("{origin}/cookie-parser?{}", case.name);
    let mut headers: Vec<(String, String)> =
        case.test.split('\n').filter_map(header_line).collect();
    if !headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("location"))
    {
        headers.push((
            "Location".to_owned(),
            format!("/cookie-parser-result?{}", case.name),
        ));
    }
    let location = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("location"))
        .map(|(_, v)| v.clone())?;
    let request = PlainRequest::new(first);
    jar.extract_cookies(&PlainResponse(headers), &request);
    let next = if location.contains("://") {
        location
    } else {
        format!("{origin}{location}")
    };
    let mut request = PlainRequest::new(next);
    jar.add_cookie_header(&mut request);
    request.header("Cookie").map(Cow::into_owned)
}

/// One line per case of a reference file: `NAME<TAB>header` or `NAME<TAB>-`, with an
/// optional third column (a reason).
pub fn load_table(file: &str) -> std::io::Result<Vec<(String, Option<String>, String)>> {
    let bytes = std::fs::read(data_dir().join(file))?;
    Ok(String::from_utf8_lossy(&bytes)
        .split('\n')
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let mut cols = l.splitn(3, '\t');
            let name = cols.next()?.to_owned();
            let header = cols.next()?;
            let reason = cols.next().unwrap_or("").to_owned();
            Some((name, (header != "-").then(|| header.to_owned()), reason))
        })
        .collect())
}

/// A suite's score.
#[derive(Debug, Default)]
pub struct Score {
    pub passed: usize,
    pub failed: Vec<String>,
}
