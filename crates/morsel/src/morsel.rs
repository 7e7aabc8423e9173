//! [`Morsel`]: one cookie (name, value, coded value) and its reserved attributes, as Python's
//! `http.cookies.Morsel`.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::error::{CookieError, Result};
use crate::quote::{is_legal_key, quote};

/// The header [`Morsel::output`] and [`BaseCookie::output`](crate::BaseCookie::output) write by
/// default, as Python's.
pub const DEFAULT_HEADER: &str = "Set-Cookie:";

/// The reserved attributes, lowercase, in the order they are written (Python sorts them).
const NAMES: [&str; 10] = [
    "comment",
    "domain",
    "expires",
    "httponly",
    "max-age",
    "partitioned",
    "path",
    "samesite",
    "secure",
    "version",
];

/// How each attribute of [`NAMES`] is written in a header.
const DISPLAY: [&str; 10] = [
    "Comment",
    "Domain",
    "expires",
    "HttpOnly",
    "Max-Age",
    "Partitioned",
    "Path",
    "SameSite",
    "Secure",
    "Version",
];

const COMMENT: usize = 0;
const EXPIRES: usize = 2;
const HTTPONLY: usize = 3;
const MAX_AGE: usize = 4;
const PARTITIONED: usize = 5;
const SECURE: usize = 8;

/// Whether the attribute at this index is a flag, written as its bare name when truthy.
fn is_flag(index: usize) -> bool {
    matches!(index, HTTPONLY | PARTITIONED | SECURE)
}

/// The index in [`NAMES`] of a reserved attribute, case-insensitively.
fn attr_index(attr: &str) -> Option<usize> {
    // Only ASCII letters and `-` make up the names, and no non-ASCII character lowercases to
    // one of those but KELVIN SIGN (to `k`, in no name): ASCII folding is Python's `lower()`.
    NAMES
        .iter()
        .position(|name| name.eq_ignore_ascii_case(attr))
}

/// The value of a reserved attribute of a [`Morsel`]: what Python may store there.
///
/// An unset attribute holds the empty string, as in Python. Strings are what
/// [`load`](crate::BaseCookie::load) stores and what most callers set; integers give `expires`
/// (seconds from now) and `max-age` their special formatting; booleans are what flags are set
/// to. `None` is Python's `None`, stored only by `load` for a `$Path`-style attribute without a
/// value, and written as `None` as Python does.
///
/// Comparison follows Python's `==`: `Bool(true) == Int(1)`, `Str("1") != Int(1)`.
///
/// ```
/// use morsel::AttrValue;
///
/// assert_eq!(AttrValue::from("/"), "/");
/// assert_eq!(AttrValue::from(true), AttrValue::Int(1));
/// assert!(!AttrValue::from("").is_truthy());
/// assert_eq!(AttrValue::from(3600).to_string(), "3600");
/// ```
#[derive(Debug, Clone)]
pub enum AttrValue {
    /// Python's `None`.
    None,
    /// A boolean, normally for a flag (`secure`, `httponly`, `partitioned`).
    Bool(bool),
    /// An integer: seconds from now for `expires`, seconds for `max-age`.
    Int(i64),
    /// A string, written as it is (quoted for `comment`).
    Str(String),
}

impl AttrValue {
    /// Python's truthiness: `None`, `false`, `0` and `""` are false.
    pub fn is_truthy(&self) -> bool {
        match self {
            AttrValue::None => false,
            AttrValue::Bool(b) => *b,
            AttrValue::Int(n) => *n != 0,
            AttrValue::Str(s) => !s.is_empty(),
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            AttrValue::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The integer, if this is one; a boolean counts as `0` or `1`, as in Python.
    pub fn as_int(&self) -> Option<i64> {
        match self {
            AttrValue::Bool(b) => Some(i64::from(*b)),
            AttrValue::Int(n) => Some(*n),
            _ => None,
        }
    }

    /// Whether this is the empty string, the value of an unset attribute.
    pub fn is_unset(&self) -> bool {
        matches!(self, AttrValue::Str(s) if s.is_empty())
    }
}

impl Default for AttrValue {
    /// The empty string: an unset attribute.
    fn default() -> Self {
        AttrValue::Str(String::new())
    }
}

impl fmt::Display for AttrValue {
    /// Python's `str()`: `None`, `True`, `False`, the decimal integer or the string.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AttrValue::None => f.write_str("None"),
            AttrValue::Bool(true) => f.write_str("True"),
            AttrValue::Bool(false) => f.write_str("False"),
            AttrValue::Int(n) => write!(f, "{n}"),
            AttrValue::Str(s) => f.write_str(s),
        }
    }
}

impl PartialEq for AttrValue {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (AttrValue::None, AttrValue::None) => true,
            (AttrValue::Str(a), AttrValue::Str(b)) => a == b,
            (a, b) => match (a.as_int(), b.as_int()) {
                (Some(a), Some(b)) => a == b,
                _ => false,
            },
        }
    }
}

impl Eq for AttrValue {}

impl PartialEq<str> for AttrValue {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == Some(other)
    }
}

impl PartialEq<&str> for AttrValue {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == Some(*other)
    }
}

impl PartialEq<i64> for AttrValue {
    fn eq(&self, other: &i64) -> bool {
        self.as_int() == Some(*other)
    }
}

impl PartialEq<bool> for AttrValue {
    fn eq(&self, other: &bool) -> bool {
        self.as_int() == Some(i64::from(*other))
    }
}

impl From<&str> for AttrValue {
    fn from(s: &str) -> Self {
        AttrValue::Str(s.to_owned())
    }
}

impl From<String> for AttrValue {
    fn from(s: String) -> Self {
        AttrValue::Str(s)
    }
}

impl From<&String> for AttrValue {
    fn from(s: &String) -> Self {
        AttrValue::Str(s.clone())
    }
}

impl From<bool> for AttrValue {
    fn from(b: bool) -> Self {
        AttrValue::Bool(b)
    }
}

impl From<i64> for AttrValue {
    fn from(n: i64) -> Self {
        AttrValue::Int(n)
    }
}

impl From<i32> for AttrValue {
    fn from(n: i32) -> Self {
        AttrValue::Int(i64::from(n))
    }
}

impl From<u32> for AttrValue {
    fn from(n: u32) -> Self {
        AttrValue::Int(i64::from(n))
    }
}

/// One cookie: its name (`key`), its value, the value as written on the wire (`coded_value`),
/// and the reserved attributes, as Python's `http.cookies.Morsel`.
///
/// The attributes are `expires`, `path`, `comment`, `domain`, `max-age`, `secure`, `version`,
/// `httponly`, `samesite` and `partitioned`, named case-insensitively; each holds an
/// [`AttrValue`], the empty string when unset. [`output_string`](Self::output_string) writes
/// them as Python does: in alphabetical order of their lowercase names, unset ones left out,
/// `expires` given as an integer turned into an HTTP date that many seconds from now, `max-age`
/// as an integer, `comment` quoted, the flags `secure`, `httponly` and `partitioned` as bare
/// names when truthy.
///
/// ```
/// use morsel::Morsel;
///
/// let mut m = Morsel::new("sid", "31d4d96e", "31d4d96e")?;
/// m.set_attr("Path", "/")?;
/// m.set_attr("max-age", 3600)?;
/// m.set_secure(true);
/// m.set_httponly(true);
/// assert_eq!(m.get("PATH").map(ToString::to_string).as_deref(), Some("/"));
/// assert_eq!(
///     m.to_string(),
///     "Set-Cookie: sid=31d4d96e; HttpOnly; Max-Age=3600; Path=/; Secure"
/// );
/// assert_eq!(m.output(Some(&["path"]), "Cookie:"), "Cookie: sid=31d4d96e; Path=/");
/// assert!(m.set_attr("colour", "red").is_err());
/// # Ok::<(), morsel::CookieError>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Morsel {
    key: String,
    value: String,
    coded_value: String,
    attrs: [AttrValue; 10],
}

impl Morsel {
    /// The reserved attribute names, lowercase, in the order they are written.
    pub const RESERVED: [&'static str; 10] = NAMES;

    /// A morsel with this name, value and coded value and no attribute set.
    ///
    /// Fails with [`CookieError::InvalidKey`] as [`set`](Self::set) does.
    ///
    /// ```
    /// let m = morsel::Morsel::new("fig", "newton", "newton")?;
    /// assert_eq!(m.to_string(), "Set-Cookie: fig=newton");
    /// assert!(morsel::Morsel::new("Path", "x", "x").is_err());
    /// # Ok::<(), morsel::CookieError>(())
    /// ```
    pub fn new(
        key: impl Into<String>,
        value: impl Into<String>,
        coded_value: impl Into<String>,
    ) -> Result<Self> {
        let key = key.into();
        check_key(&key)?;
        Ok(Morsel {
            key,
            value: value.into(),
            coded_value: coded_value.into(),
            attrs: Default::default(),
        })
    }

    /// The cookie's name.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The cookie's value.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// The cookie's value as written in a header (quoted, for a
    /// [`SimpleCookie`](crate::SimpleCookie)).
    pub fn coded_value(&self) -> &str {
        &self.coded_value
    }

    /// Sets name, value and coded value, keeping the attributes (Python's `Morsel.set`).
    ///
    /// Fails with [`CookieError::InvalidKey`], changing nothing, when `key` is a reserved
    /// attribute name (in any case) or not a legal name (see [`is_legal_key`]).
    ///
    /// ```
    /// let mut m = morsel::Morsel::new("a", "1", "1")?;
    /// m.set_attr("path", "/foo")?;
    /// m.set("+*grenade~", "x", "\"x\"")?;
    /// assert_eq!(m.to_string(), "Set-Cookie: +*grenade~=\"x\"; Path=/foo");
    /// assert!(m.set("foo@bar", "x", "x").is_err());
    /// assert!(m.set("Max-Age", "x", "x").is_err());
    /// # Ok::<(), morsel::CookieError>(())
    /// ```
    pub fn set(
        &mut self,
        key: impl Into<String>,
        value: impl Into<String>,
        coded_value: impl Into<String>,
    ) -> Result<()> {
        let key = key.into();
        check_key(&key)?;
        self.key = key;
        self.value = value.into();
        self.coded_value = coded_value.into();
        Ok(())
    }

    /// Whether `name` is a reserved attribute name, in any case (Python's `isReservedKey`).
    ///
    /// ```
    /// assert!(morsel::Morsel::is_reserved_key("Max-Age"));
    /// assert!(morsel::Morsel::is_reserved_key("partitioned"));
    /// assert!(!morsel::Morsel::is_reserved_key("grenade"));
    /// ```
    pub fn is_reserved_key(name: &str) -> bool {
        attr_index(name).is_some()
    }

    /// The value of a reserved attribute, named in any case: the empty string when unset,
    /// `None` when `attr` is not a reserved attribute (Python's `KeyError`).
    ///
    /// ```
    /// let mut m = morsel::Morsel::new("a", "1", "1")?;
    /// m.set_attr("DOMAIN", "example.com")?;
    /// assert_eq!(m.get("domain").and_then(|v| v.as_str()), Some("example.com"));
    /// assert_eq!(m.get("path").and_then(|v| v.as_str()), Some(""));
    /// assert!(m.get("colour").is_none());
    /// # Ok::<(), morsel::CookieError>(())
    /// ```
    pub fn get(&self, attr: &str) -> Option<&AttrValue> {
        attr_index(attr).map(|i| &self.attrs[i])
    }

    /// Sets a reserved attribute, named in any case (Python's `morsel[attr] = value`).
    ///
    /// Fails with [`CookieError::InvalidAttribute`] (with the name lowercased) when `attr` is
    /// not a reserved attribute. Setting the empty string unsets the attribute.
    pub fn set_attr(&mut self, attr: &str, value: impl Into<AttrValue>) -> Result<()> {
        let i = attr_index(attr).ok_or_else(|| invalid_attribute(attr))?;
        self.attrs[i] = value.into();
        Ok(())
    }

    /// Sets several attributes; when one name is not reserved, fails with
    /// [`CookieError::InvalidAttribute`] and sets none (Python's `Morsel.update`).
    ///
    /// ```
    /// let mut m = morsel::Morsel::new("a", "1", "1")?;
    /// m.update([("Path", "/"), ("domain", "example.com")])?;
    /// assert!(m.update([("version", "1"), ("colour", "red")]).is_err());
    /// assert_eq!(m.get("version").map(|v| v.is_unset()), Some(true));
    /// # Ok::<(), morsel::CookieError>(())
    /// ```
    pub fn update<I, K, V>(&mut self, attrs: I) -> Result<()>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: Into<AttrValue>,
    {
        let mut staged = Vec::new();
        for (attr, value) in attrs {
            let attr = attr.as_ref();
            let i = attr_index(attr).ok_or_else(|| invalid_attribute(attr))?;
            staged.push((i, value.into()));
        }
        for (i, value) in staged {
            self.attrs[i] = value;
        }
        Ok(())
    }

    /// All reserved attributes with their values, set or not, in the order they are written.
    pub fn attrs(&self) -> impl Iterator<Item = (&'static str, &AttrValue)> + '_ {
        NAMES.iter().copied().zip(self.attrs.iter())
    }

    /// Whether the `secure` flag is set (truthy).
    pub fn secure(&self) -> bool {
        self.attrs[SECURE].is_truthy()
    }

    /// Sets the `secure` flag.
    pub fn set_secure(&mut self, on: bool) {
        self.attrs[SECURE] = AttrValue::Bool(on);
    }

    /// Whether the `httponly` flag is set (truthy).
    pub fn httponly(&self) -> bool {
        self.attrs[HTTPONLY].is_truthy()
    }

    /// Sets the `httponly` flag.
    pub fn set_httponly(&mut self, on: bool) {
        self.attrs[HTTPONLY] = AttrValue::Bool(on);
    }

    /// Whether the `partitioned` flag (CHIPS) is set (truthy).
    pub fn partitioned(&self) -> bool {
        self.attrs[PARTITIONED].is_truthy()
    }

    /// Sets the `partitioned` flag (CHIPS).
    pub fn set_partitioned(&mut self, on: bool) {
        self.attrs[PARTITIONED] = AttrValue::Bool(on);
    }

    /// `header`, a space and [`output_string`](Self::output_string) (Python's `output`).
    pub fn output(&self, attrs: Option<&[&str]>, header: &str) -> String {
        self.output_at(attrs, header, SystemTime::now())
    }

    /// [`output`](Self::output) with `now` as the current time for an integer `expires`.
    pub fn output_at(&self, attrs: Option<&[&str]>, header: &str, now: SystemTime) -> String {
        format!("{header} {}", self.output_string_at(attrs, now))
    }

    /// `key=coded_value` followed by the set attributes, joined by `"; "` (Python's
    /// `OutputString`).
    ///
    /// `attrs` limits the attributes written to those named (lowercase, exactly as in
    /// [`Morsel::RESERVED`]); `None` writes them all.
    ///
    /// ```
    /// use std::time::{Duration, UNIX_EPOCH};
    ///
    /// let mut m = morsel::Morsel::new("key", "val", "coded_val")?;
    /// m.update([("comment", "a comment"), ("samesite", "Lax")])?;
    /// m.set_attr("expires", 60)?;
    /// let now = UNIX_EPOCH + Duration::from_secs(1_262_304_000);
    /// assert_eq!(
    ///     m.output_string_at(None, now),
    ///     r#"key=coded_val; Comment="a comment"; expires=Fri, 01 Jan 2010 00:01:00 GMT; SameSite=Lax"#
    /// );
    /// assert_eq!(m.output_string_at(Some(&[]), now), "key=coded_val");
    /// # Ok::<(), morsel::CookieError>(())
    /// ```
    pub fn output_string(&self, attrs: Option<&[&str]>) -> String {
        self.output_string_at(attrs, SystemTime::now())
    }

    /// [`output_string`](Self::output_string) with `now` as the current time for an integer
    /// `expires`.
    pub fn output_string_at(&self, attrs: Option<&[&str]>, now: SystemTime) -> String {
        let mut out = format!("{}={}", self.key, self.coded_value);
        for (i, value) in self.attrs.iter().enumerate() {
            if value.is_unset() || attrs.is_some_and(|wanted| !wanted.contains(&NAMES[i])) {
                continue;
            }
            let name = DISPLAY[i];
            match (i, value) {
                (EXPIRES, v) if v.as_int().is_some() => {
                    let offset = v.as_int().unwrap_or(0);
                    let when = unix_seconds(now).saturating_add(offset);
                    out.push_str(&format!("; {name}={}", http_date(when)));
                }
                (MAX_AGE, v) if v.as_int().is_some() => {
                    out.push_str(&format!("; {name}={}", v.as_int().unwrap_or(0)));
                }
                (COMMENT, AttrValue::Str(s)) => {
                    out.push_str(&format!("; {name}={}", quote(s)));
                }
                (i, v) if is_flag(i) => {
                    if v.is_truthy() {
                        out.push_str("; ");
                        out.push_str(name);
                    }
                }
                (_, v) => out.push_str(&format!("; {name}={v}")),
            }
        }
        out
    }

    /// A `<script>` block setting `document.cookie` to
    /// [`output_string`](Self::output_string), double quotes escaped (Python's `js_output`).
    ///
    /// ```
    /// let m = morsel::Morsel::new("a", "b", "\"b\"")?;
    /// assert_eq!(
    ///     m.js_output(None),
    ///     "\n        <script type=\"text/javascript\">\n        <!-- begin hiding\n        \
    ///      document.cookie = \"a=\\\"b\\\"\";\n        // end hiding -->\n        </script>\n        "
    /// );
    /// # Ok::<(), morsel::CookieError>(())
    /// ```
    pub fn js_output(&self, attrs: Option<&[&str]>) -> String {
        self.js_output_at(attrs, SystemTime::now())
    }

    /// [`js_output`](Self::js_output) with `now` as the current time for an integer `expires`.
    pub fn js_output_at(&self, attrs: Option<&[&str]>, now: SystemTime) -> String {
        format!(
            "\n        <script type=\"text/javascript\">\n        <!-- begin hiding\n        \
             document.cookie = \"{}\";\n        // end hiding -->\n        </script>\n        ",
            self.output_string_at(attrs, now).replace('"', "\\\"")
        )
    }
}

impl fmt::Display for Morsel {
    /// [`output`](Morsel::output) with all attributes and the `Set-Cookie:` header.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.output(None, DEFAULT_HEADER))
    }
}

impl fmt::Debug for Morsel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Attrs<'a>(&'a Morsel);
        impl fmt::Debug for Attrs<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_map()
                    .entries(self.0.attrs().filter(|(_, v)| !v.is_unset()))
                    .finish()
            }
        }
        f.debug_struct("Morsel")
            .field("key", &self.key)
            .field("value", &self.value)
            .field("coded_value", &self.coded_value)
            .field("attrs", &Attrs(self))
            .finish()
    }
}

/// Python's checks in `Morsel.set`: not a reserved name, and legal.
pub(crate) fn check_key(key: &str) -> Result<()> {
    if Morsel::is_reserved_key(key) || !is_legal_key(key) {
        return Err(CookieError::InvalidKey {
            key: key.to_owned(),
        });
    }
    Ok(())
}

fn invalid_attribute(attr: &str) -> CookieError {
    CookieError::InvalidAttribute {
        attribute: attr.to_lowercase(),
    }
}

/// Whole seconds since the epoch, rounded down (as Python's `gmtime(time())`).
fn unix_seconds(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => {
            let d = e.duration();
            let whole = i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
            let down = i64::from(d.subsec_nanos() > 0);
            0i64.saturating_sub(whole).saturating_sub(down)
        }
    }
}

/// Python's `_getdate`: `Wdy, DD Mon YYYY HH:MM:SS GMT` for seconds since the epoch.
pub(crate) fn http_date(secs: i64) -> String {
    const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (hh, mm, ss) = (rem / 3600, rem % 3600 / 60, rem % 60);
    // 1970-01-01 was a Thursday, index 3 from Monday.
    let weekday = (days.rem_euclid(7) + 3) % 7;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{}, {day:02} {} {year:4} {hh:02}:{mm:02}:{ss:02} GMT",
        WEEKDAYS[usize::try_from(weekday).unwrap_or(0)],
        MONTHS[usize::try_from(month - 1).unwrap_or(0)],
    )
}

/// Proleptic Gregorian (year, month 1–12, day 1–31) of a day count from 1970-01-01.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    // `days` is within ±1.1e14 (from i64 seconds), far from overflowing below.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(http_date(-1), "Wed, 31 Dec 1969 23:59:59 GMT");
        assert_eq!(http_date(951_782_400), "Tue, 29 Feb 2000 00:00:00 GMT");
        assert_eq!(http_date(-62_135_596_800), "Mon, 01 Jan    1 00:00:00 GMT");
        assert_eq!(http_date(253_402_300_799), "Fri, 31 Dec 9999 23:59:59 GMT");
        // No panic at the ends of the range.
        let _ = http_date(i64::MAX);
        let _ = http_date(i64::MIN);
    }

    #[test]
    fn seconds_before_epoch_round_down() {
        let t = UNIX_EPOCH - std::time::Duration::from_millis(1500);
        assert_eq!(unix_seconds(t), -2);
        let t = UNIX_EPOCH + std::time::Duration::from_millis(1500);
        assert_eq!(unix_seconds(t), 1);
    }
}
