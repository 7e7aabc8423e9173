//! Header-word helpers: cookielib's `split_header_words`, `join_header_words` and the
//! ad-hoc Netscape `Set-Cookie` splitter `parse_ns_headers`. Pure functions, never panic.

use std::borrow::Cow;

use crate::dates::http2time;

/// A list of `(key, value)` pairs from one header element; `None` for a bare token.
pub type HeaderWords = Vec<(String, Option<String>)>;

/// Python's `str.isspace` as far as headers go: Unicode whitespace plus the ASCII
/// separators `\x1c`–`\x1f` (which `char::is_whitespace` leaves out).
pub(crate) fn py_space(c: char) -> bool {
    c.is_whitespace() || ('\x1c'..='\x1f').contains(&c)
}

/// Python's `str.strip()`.
pub(crate) fn py_strip(s: &str) -> &str {
    s.trim_matches(py_space)
}

/// Parses header values into lists of `(key, value)` pairs, as cookielib does for
/// `Set-Cookie2` and other structured headers.
///
/// `,` separates elements, `;` (or plain whitespace) separates pairs, values may be
/// quoted with backslash escapes. Several header values are treated as one joined by `,`.
///
/// ```
/// use cookiejar::header::split_header_words;
/// let w = |k: &str, v: Option<&str>| (k.to_owned(), v.map(str::to_owned));
/// assert_eq!(
///     split_header_words(&[r#"foo="bar"; port="80,81"; discard, bar=baz"#]),
///     vec![
///         vec![w("foo", Some("bar")), w("port", Some("80,81")), w("discard", None)],
///         vec![w("bar", Some("baz"))],
///     ]
/// );
/// assert_eq!(
///     split_header_words(&[r#"Basic realm="\"foo\bar\"""#]),
///     vec![vec![w("Basic", None), w("realm", Some("\"foobar\""))]]
/// );
/// ```
pub fn split_header_words<S: AsRef<str>>(header_values: &[S]) -> Vec<HeaderWords> {
    let mut result = Vec::new();
    for text in header_values {
        let mut text = text.as_ref();
        let mut pairs: HeaderWords = Vec::new();
        while !text.is_empty() {
            let trimmed = text.trim_start_matches(py_space);
            let token_len = trimmed
                .find(|c: char| c == '=' || c == ';' || c == ',' || py_space(c))
                .unwrap_or(trimmed.len());
            if token_len > 0 {
                let name = &trimmed[..token_len];
                text = &trimmed[token_len..];
                let (value, rest) = header_value(text);
                text = rest;
                pairs.push((name.to_owned(), value));
            } else if let Some(rest) = trimmed.strip_prefix(',') {
                text = rest;
                if !pairs.is_empty() {
                    result.push(std::mem::take(&mut pairs));
                }
            } else {
                // Junk: skip `=`, `;` and whitespace. The token rule above guarantees progress.
                let skipped =
                    trimmed.trim_start_matches(|c: char| c == '=' || c == ';' || py_space(c));
                if skipped.len() == text.len() {
                    break;
                }
                text = skipped;
            }
        }
        if !pairs.is_empty() {
            result.push(pairs);
        }
    }
    result
}

/// After a token: an optional `= value`, quoted or not. Returns the value and the rest.
fn header_value(text: &str) -> (Option<String>, &str) {
    let Some(after_eq) = text.trim_start_matches(py_space).strip_prefix('=') else {
        return (None, text);
    };
    let after_eq = after_eq.trim_start_matches(py_space);
    if let Some(quoted) = after_eq.strip_prefix('"') {
        // A closed quoted string: backslash escapes any character.
        let mut out = String::new();
        let mut chars = quoted.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => return (Some(out), &quoted[i + 1..]),
                '\\' => match chars.next() {
                    Some((_, e)) if e != '\n' => out.push(e),
                    _ => break,
                },
                _ => out.push(c),
            }
        }
        // Unclosed quote: cookielib falls back to the unquoted rule, quote included.
    }
    let end = after_eq
        .find(|c: char| c == ';' || c == ',' || py_space(c))
        .unwrap_or(after_eq.len());
    (
        Some(after_eq[..end].trim_end_matches(py_space).to_owned()),
        &after_eq[end..],
    )
}

/// The inverse (almost) of [`split_header_words`]: values that are not all word
/// characters are quoted with `"` and `\` escaped.
///
/// ```
/// use cookiejar::header::join_header_words;
/// let words = vec![vec![("text/plain".to_owned(), None), ("charset".to_owned(), Some("iso-8859-1".to_owned()))]];
/// assert_eq!(join_header_words(&words), r#"text/plain; charset="iso-8859-1""#);
/// ```
pub fn join_header_words(lists: &[HeaderWords]) -> String {
    let mut headers = Vec::new();
    for pairs in lists {
        let attrs: Vec<String> = pairs
            .iter()
            .map(|(k, v)| match v {
                None => k.clone(),
                Some(v) if !v.is_empty() && v.chars().all(is_word_char) => format!("{k}={v}"),
                Some(v) => format!("{k}=\"{}\"", escape_quotes(v)),
            })
            .collect();
        if !attrs.is_empty() {
            headers.push(attrs.join("; "));
        }
    }
    headers.join(", ")
}

/// Python's `\w` for `str` patterns: Unicode alphanumerics and `_`.
pub(crate) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Backslash-escapes `"` and `\`.
pub(crate) fn escape_quotes(v: &str) -> Cow<'_, str> {
    if !v.contains(['"', '\\']) {
        return Cow::Borrowed(v);
    }
    let mut out = String::with_capacity(v.len() + 2);
    for c in v.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    Cow::Owned(out)
}

/// Removes one leading and one trailing `"`, if present.
pub(crate) fn strip_quotes(text: &str) -> &str {
    let t = text.strip_prefix('"').unwrap_or(text);
    t.strip_suffix('"').unwrap_or(t)
}

const NS_KNOWN_ATTRS: [&str; 7] = [
    "expires", "domain", "path", "secure", "version", "port", "max-age",
];

/// One Netscape `Set-Cookie` value split into `(key, value)` pairs, borrowing from the input.
///
/// The first pair is the cookie's name and value; known attribute names are lower-cased;
/// `version` values lose their quotes; `("version", "0")` is appended when absent. An empty
/// list means the header holds no cookie. `Expires` values are left as text.
pub(crate) fn parse_ns_header(header: &str) -> Vec<(&str, Option<&str>)> {
    let mut pairs = Vec::with_capacity(6);
    parse_ns_header_into(header, &mut pairs);
    pairs
}

/// [`parse_ns_header`] into a caller's buffer (cleared first), so one allocation serves a
/// whole response.
pub(crate) fn parse_ns_header_into<'h>(
    header: &'h str,
    pairs: &mut Vec<(&'h str, Option<&'h str>)>,
) {
    pairs.clear();
    let mut version_set = false;
    for (i, param) in header.split(';').enumerate() {
        let param = py_strip(param);
        let (key, val) = match param.split_once('=') {
            Some((k, v)) => (py_strip(k), Some(py_strip(v))),
            None => (param, None),
        };
        if key.is_empty() {
            if i == 0 {
                break;
            }
            continue;
        }
        let mut key = key;
        let mut val = val;
        if i != 0 {
            if let Some(known) = NS_KNOWN_ATTRS.iter().find(|k| k.eq_ignore_ascii_case(key)) {
                key = known;
            }
            if key == "version" {
                val = val.map(strip_quotes);
                version_set = true;
            }
        }
        pairs.push((key, val));
    }
    if !pairs.is_empty() && !version_set {
        pairs.push(("version", Some("0")));
    }
}

/// cookielib's ad-hoc parser for Netscape `Set-Cookie` values (also used for RFC 2109).
///
/// Netscape cookies may hold unquoted commas (in `Expires`), so each header value is one
/// cookie. `Expires` values are converted to seconds since the epoch (as decimal text), or
/// `None` when the date cannot be parsed.
///
/// ```
/// use cookiejar::header::parse_ns_headers;
/// let parsed = parse_ns_headers(&["foo=bar; Path=/; expires=Wed, 09 Feb 1994 22:23:32 GMT; HttpOnly"]);
/// let w = |k: &str, v: Option<&str>| (k.to_owned(), v.map(str::to_owned));
/// assert_eq!(parsed, vec![vec![
///     w("foo", Some("bar")),
///     w("path", Some("/")),
///     w("expires", Some("760832612")),
///     w("HttpOnly", None),
///     w("version", Some("0")),
/// ]]);
/// ```
pub fn parse_ns_headers<S: AsRef<str>>(ns_headers: &[S]) -> Vec<HeaderWords> {
    ns_headers
        .iter()
        .map(|h| {
            parse_ns_header(h.as_ref())
                .into_iter()
                .enumerate()
                .map(|(i, (k, v))| {
                    let v = if i > 0 && k == "expires" {
                        v.and_then(|v| http2time(strip_quotes(v)))
                            .map(|t| t.to_string())
                    } else {
                        v.map(str::to_owned)
                    };
                    (k.to_owned(), v)
                })
                .collect::<HeaderWords>()
        })
        .filter(|p| !p.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(k: &str, v: Option<&str>) -> (String, Option<String>) {
        (k.to_owned(), v.map(str::to_owned))
    }

    #[test]
    fn split_examples_from_cookielib() {
        assert_eq!(
            split_header_words(&[r#"text/html; charset="iso-8859-1""#]),
            vec![vec![w("text/html", None), w("charset", Some("iso-8859-1"))]]
        );
        assert_eq!(split_header_words(&["foo"]), vec![vec![w("foo", None)]]);
        assert_eq!(
            split_header_words(&["foo=bar"]),
            vec![vec![w("foo", Some("bar"))]]
        );
        assert_eq!(
            split_header_words(&["   foo   "]),
            vec![vec![w("foo", None)]]
        );
        assert_eq!(
            split_header_words(&["   foo=   "]),
            vec![vec![w("foo", Some(""))]]
        );
        assert_eq!(
            split_header_words(&["foo=\"\"; bar=\"\""]),
            vec![vec![w("foo", Some("")), w("bar", Some(""))]]
        );
        assert_eq!(
            split_header_words(&["foo bar baz"]),
            vec![vec![w("foo", None), w("bar", None), w("baz", None)]]
        );
        assert_eq!(
            split_header_words(&["a, b, c"]),
            vec![vec![w("a", None)], vec![w("b", None)], vec![w("c", None)]]
        );
        assert_eq!(
            split_header_words(&["foo; bar=baz, spam=, foo=\"\\,\\;\\\"\", bar= "]),
            vec![
                vec![w("foo", None), w("bar", Some("baz"))],
                vec![w("spam", Some(""))],
                vec![w("foo", Some(",;\""))],
                vec![w("bar", Some(""))],
            ]
        );
        assert!(split_header_words(&[";;==,,"]).is_empty());
    }

    #[test]
    fn join_round_trips() {
        for text in [
            "foo",
            "foo=bar",
            "foo=\"bar baz\"; spam",
            "a, b=\"x\\\"y\"",
            "text/plain; charset=\"iso-8859-1\"",
        ] {
            let once = split_header_words(&[text]);
            let joined = join_header_words(&once);
            assert_eq!(split_header_words(&[joined.as_str()]), once, "{text}");
        }
        assert_eq!(join_header_words(&[vec![w("a", Some(""))]]), "a=\"\"");
        assert_eq!(
            join_header_words(&[
                vec![w("text/plain", None)],
                vec![w("charset", Some("iso-8859-1"))]
            ]),
            "text/plain, charset=\"iso-8859-1\""
        );
    }

    #[test]
    fn ns_parsing_quirks() {
        assert_eq!(parse_ns_headers(&["=foo"]), Vec::<HeaderWords>::new());
        assert_eq!(
            parse_ns_headers(&["foo"]),
            vec![vec![w("foo", None), w("version", Some("0"))]]
        );
        assert_eq!(
            parse_ns_headers(&["a=b; Version=\"1\"; expires=junk; ;max-AGE=5"]),
            vec![vec![
                w("a", Some("b")),
                w("version", Some("1")),
                w("expires", None),
                w("max-age", Some("5"))
            ]]
        );
        // Commas in expires stay inside the one cookie.
        assert_eq!(
            parse_ns_headers(&["a=b, c=d"]),
            vec![vec![w("a", Some("b, c=d")), w("version", Some("0"))]]
        );
    }
}
