//! Python's `_quote`, `_unquote` and `_is_legal_key`: the RFC 2109 value quoting of
//! `http.cookies`.

use std::borrow::Cow;

/// The characters of a name or value that need no quotes: Python's `_LegalChars`.
fn is_legal_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~:".contains(c)
}

/// The characters written as they are inside quotes: Python's `_UnescapedChars`.
fn is_unescaped_char(c: char) -> bool {
    is_legal_char(c) || " ()/<=>?@[]{}".contains(c)
}

/// Whether `key` is a legal cookie name: one or more of `A-Z a-z 0-9 !#$%&'*+-.^_`|~:`
/// (Python's `_is_legal_key`).
///
/// ```
/// assert!(morsel::is_legal_key("session_id"));
/// assert!(morsel::is_legal_key("key:term"));
/// assert!(!morsel::is_legal_key(""));
/// assert!(!morsel::is_legal_key("foo bar"));
/// assert!(!morsel::is_legal_key("a,b"));
/// ```
pub fn is_legal_key(key: &str) -> bool {
    !key.is_empty() && key.chars().all(is_legal_char)
}

/// Quotes a value for a cookie header as Python's `_quote` does.
///
/// A value made only of legal characters (see [`is_legal_key`]) is returned as it is. Anything
/// else, the empty string included, is put in double quotes, with `"` and `\` escaped by a
/// backslash and every other character below U+0100 outside the legal set and
/// `` ()/<=>?@[]{}`` (space included) written as a backslash and three octal digits. Characters
/// from U+0100 up are left alone.
///
/// ```
/// use morsel::quote;
///
/// assert_eq!(quote("newton"), "newton");
/// assert_eq!(quote("none for you"), r#""none for you""#);
/// assert_eq!(quote("some,funky;stuff"), r#""some\054funky\073stuff""#);
/// assert_eq!(quote("say \"hi\""), r#""say \"hi\"""#);
/// assert_eq!(quote("\u{a9}"), r#""\251""#);
/// assert_eq!(quote(""), r#""""#);
/// ```
pub fn quote(value: &str) -> Cow<'_, str> {
    if is_legal_key(value) {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 0x100 && !is_unescaped_char(c) => {
                let n = u32::from(c);
                out.push('\\');
                for shift in [6, 3, 0] {
                    out.push(octal_digit((n >> shift) & 7));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    Cow::Owned(out)
}

/// The octal digit for `d` (`d < 8`).
fn octal_digit(d: u32) -> char {
    char::from_digit(d, 8).unwrap_or('0')
}

/// Whether `b` is an ASCII octal digit no greater than `max`.
fn is_octal_digit(b: u8, max: u8) -> bool {
    (b'0'..=max).contains(&b)
}

/// Undoes [`quote`] as Python's `_unquote` does.
///
/// A value that is not at least two characters long, starting and ending with `"`, is
/// returned as it is. Otherwise the quotes are removed and, left to right, `\ooo` (first digit
/// `0`–`3`) becomes the character with that octal code and `\c` becomes `c` for any `c` but a
/// newline. A backslash followed by a newline or by nothing stays.
///
/// ```
/// use morsel::unquote;
///
/// assert_eq!(unquote("newton"), "newton");
/// assert_eq!(unquote(r#""none for you""#), "none for you");
/// assert_eq!(unquote(r#""L=\"Loves\"; fudge=\012;""#), "L=\"Loves\"; fudge=\n;");
/// assert_eq!(unquote(r#""\251""#), "\u{a9}");
/// assert_eq!(unquote(r#""unbalanced"#), r#""unbalanced"#);
/// ```
pub fn unquote(value: &str) -> Cow<'_, str> {
    let inner = match value
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
    {
        Some(inner) => inner,
        None => return Cow::Borrowed(value),
    };
    if !inner.contains('\\') {
        return Cow::Borrowed(inner);
    }
    let mut out = String::with_capacity(inner.len());
    let mut rest = inner;
    while let Some(pos) = rest.find('\\') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        let b = after.as_bytes();
        if b.len() >= 3
            && is_octal_digit(b[0], b'3')
            && is_octal_digit(b[1], b'7')
            && is_octal_digit(b[2], b'7')
        {
            // At most 3 * 64 + 7 * 8 + 7 = 255: a `u8`.
            let code = (b[0] - b'0') * 64 + (b[1] - b'0') * 8 + (b[2] - b'0');
            out.push(char::from(code));
            rest = &after[3..];
        } else if let Some(c) = after.chars().next().filter(|&c| c != '\n') {
            out.push(c);
            rest = &after[c.len_utf8()..];
        } else {
            out.push('\\');
            rest = after;
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn octal_edges() {
        assert_eq!(quote("\u{ff}"), "\"\\377\"");
        assert_eq!(quote("\u{7f}"), "\"\\177\"");
        assert_eq!(quote("\0"), "\"\\000\"");
        assert_eq!(quote("\u{20ac}"), "\"\u{20ac}\"");
        assert_eq!(unquote("\"\\400\""), "400");
        assert_eq!(unquote("\"\\377\""), "\u{ff}");
        assert_eq!(unquote("\"\\\\012\""), "\\012");
        assert_eq!(unquote("\"a\\\nb\""), "a\\\nb");
        assert_eq!(unquote("\"a\\\""), "a\\");
        assert_eq!(unquote("\""), "\"");
        assert_eq!(unquote("\"\""), "");
        assert_eq!(unquote("\"\\\u{e9}\""), "\u{e9}");
    }
}
