//! [`BaseCookie`] and [`SimpleCookie`]: a map of cookie name to [`Morsel`], as Python's
//! `http.cookies.BaseCookie` and `SimpleCookie`, with their header parser.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::time::SystemTime;

use crate::error::{CookieError, Result};
use crate::morsel::{AttrValue, DEFAULT_HEADER, Morsel, check_key};
use crate::quote::{quote, unquote};

/// The separator [`BaseCookie::output`] puts between headers by default, as Python's.
pub const DEFAULT_SEP: &str = "\r\n";

/// How a [`BaseCookie`] turns values into wire form and back: Python's two overridable
/// methods `value_decode` and `value_encode`.
///
/// Both return `(real_value, coded_value)`: the value as the program sees it and as it is
/// written in a header.
///
/// ```
/// use morsel::{BaseCookie, ValueCodec};
///
/// /// Values upper-cased on the wire.
/// #[derive(Default)]
/// struct Shout;
///
/// impl ValueCodec for Shout {
///     fn value_decode(&self, coded: &str) -> (String, String) {
///         (coded.to_lowercase(), coded.to_owned())
///     }
///     fn value_encode(&self, value: &str) -> (String, String) {
///         (value.to_owned(), value.to_uppercase())
///     }
/// }
///
/// let mut c: BaseCookie<Shout> = BaseCookie::new();
/// c.insert("greeting", "hello")?;
/// assert_eq!(c.to_string(), "Set-Cookie: greeting=HELLO");
/// c.load("greeting=BYE")?;
/// assert_eq!(c.get("greeting").map(|m| m.value()), Some("bye"));
/// # Ok::<(), morsel::CookieError>(())
/// ```
pub trait ValueCodec {
    /// `(real_value, coded_value)` for a value read from a header.
    fn value_decode(&self, coded: &str) -> (String, String);
    /// `(real_value, coded_value)` for a value set by the program.
    fn value_encode(&self, value: &str) -> (String, String);
}

/// Python's `BaseCookie` codec: values are used as they are, both ways.
///
/// ```
/// use morsel::{BaseCookie, RawCodec};
///
/// let mut c: BaseCookie<RawCodec> = BaseCookie::new();
/// c.insert("twix", "none for you")?;
/// assert_eq!(c.to_string(), "Set-Cookie: twix=none for you");
/// # Ok::<(), morsel::CookieError>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RawCodec;

impl ValueCodec for RawCodec {
    fn value_decode(&self, coded: &str) -> (String, String) {
        (coded.to_owned(), coded.to_owned())
    }

    fn value_encode(&self, value: &str) -> (String, String) {
        (value.to_owned(), value.to_owned())
    }
}

/// Python's `SimpleCookie` codec: values are [`quote`]d on the way out and [`unquote`]d on the
/// way in.
///
/// ```
/// use morsel::{StrCodec, ValueCodec};
///
/// assert_eq!(
///     StrCodec.value_encode("none for you"),
///     ("none for you".to_owned(), "\"none for you\"".to_owned())
/// );
/// assert_eq!(
///     StrCodec.value_decode("\"a\\\"b\""),
///     ("a\"b".to_owned(), "\"a\\\"b\"".to_owned())
/// );
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StrCodec;

impl ValueCodec for StrCodec {
    fn value_decode(&self, coded: &str) -> (String, String) {
        (unquote(coded).into_owned(), coded.to_owned())
    }

    fn value_encode(&self, value: &str) -> (String, String) {
        (value.to_owned(), quote(value).into_owned())
    }
}

/// Python's `SimpleCookie`: a [`BaseCookie`] whose values are quoted as needed.
///
/// This is the example session of Python's documentation:
///
/// ```
/// use morsel::SimpleCookie;
///
/// let mut c = SimpleCookie::new();
/// c.insert("fig", "newton")?;
/// c.insert("sugar", "wafer")?;
/// assert_eq!(c.to_string(), "Set-Cookie: fig=newton\r\nSet-Cookie: sugar=wafer");
///
/// let mut c = SimpleCookie::new();
/// c.insert("rocky", "road")?;
/// if let Some(m) = c.get_mut("rocky") {
///     m.set_attr("path", "/cookie")?;
/// }
/// assert_eq!(c.output(None, "Cookie:", "\r\n"), "Cookie: rocky=road; Path=/cookie");
/// assert_eq!(c.output(Some(&[]), "Cookie:", "\r\n"), "Cookie: rocky=road");
///
/// let mut c = SimpleCookie::new();
/// c.load(r#"keebler="E=everybody; L=\"Loves\"; fudge=\012;";"#)?;
/// assert_eq!(
///     c.to_string(),
///     r#"Set-Cookie: keebler="E=everybody; L=\"Loves\"; fudge=\012;""#
/// );
/// assert_eq!(
///     c.get("keebler").map(|m| m.value()),
///     Some("E=everybody; L=\"Loves\"; fudge=\n;")
/// );
/// # Ok::<(), morsel::CookieError>(())
/// ```
pub type SimpleCookie = BaseCookie<StrCodec>;

/// A set of cookies: an insertion-ordered map of name to [`Morsel`], as Python's
/// `http.cookies.BaseCookie`, with values converted by the codec `C` (by default
/// [`RawCodec`], Python's `BaseCookie`; [`SimpleCookie`] uses [`StrCodec`]).
///
/// Iteration follows insertion order, as a Python `dict`'s; [`output`](Self::output) and
/// [`js_output`](Self::js_output) sort by name, as Python does. Two maps are equal when they
/// hold the same names with equal morsels, in any order.
///
/// ```
/// use morsel::BaseCookie;
///
/// let mut c: BaseCookie = "chips=ahoy; vienna=finger".parse()?;
/// c.insert("number", 7)?;
/// assert_eq!(c.len(), 3);
/// let names: Vec<&str> = c.iter().map(|(name, _)| name).collect();
/// assert_eq!(names, ["chips", "vienna", "number"]);
/// assert_eq!(
///     c.output(None, "Set-Cookie:", "\n"),
///     "Set-Cookie: chips=ahoy\nSet-Cookie: number=7\nSet-Cookie: vienna=finger"
/// );
/// assert!(c.remove("chips").is_some());
/// assert!(c.get("chips").is_none());
/// # Ok::<(), morsel::CookieError>(())
/// ```
#[derive(Clone, Default)]
pub struct BaseCookie<C = RawCodec> {
    codec: C,
    entries: Vec<(String, Morsel)>,
    index: HashMap<String, usize>,
}

impl<C: ValueCodec + Default> BaseCookie<C> {
    /// An empty map with the codec's default.
    pub fn new() -> Self {
        Self::with_codec(C::default())
    }
}

impl<C: ValueCodec> BaseCookie<C> {
    /// An empty map using `codec`.
    pub fn with_codec(codec: C) -> Self {
        BaseCookie {
            codec,
            entries: Vec::new(),
            index: HashMap::new(),
        }
    }

    /// The codec.
    pub fn codec(&self) -> &C {
        &self.codec
    }

    /// The number of cookies.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there is no cookie.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Whether a cookie of this name is present.
    pub fn contains_key(&self, name: &str) -> bool {
        self.index.contains_key(name)
    }

    /// The morsel of this name.
    pub fn get(&self, name: &str) -> Option<&Morsel> {
        self.index.get(name).map(|&i| &self.entries[i].1)
    }

    /// The morsel of this name, to change its attributes (Python's `C[name][attr] = value`).
    pub fn get_mut(&mut self, name: &str) -> Option<&mut Morsel> {
        self.index.get(name).map(|&i| &mut self.entries[i].1)
    }

    /// Sets a cookie's value (Python's `C[name] = value`): the value goes through the codec's
    /// `value_encode`; an existing cookie keeps its attributes and its place.
    ///
    /// Fails with [`CookieError::InvalidKey`], changing nothing, when `name` is reserved or not
    /// legal (see [`Morsel::set`]).
    ///
    /// ```
    /// let mut c = morsel::SimpleCookie::new();
    /// c.insert("twix", "none for you")?;
    /// assert_eq!(c.get("twix").map(|m| m.value()), Some("none for you"));
    /// assert_eq!(c.get("twix").map(|m| m.coded_value()), Some("\"none for you\""));
    /// assert!(c.insert("foo bar", "x").is_err());
    /// # Ok::<(), morsel::CookieError>(())
    /// ```
    pub fn insert(&mut self, name: &str, value: impl fmt::Display) -> Result<()> {
        let (real, coded) = self.codec.value_encode(&value.to_string());
        self.set_value(name, real, coded)
    }

    /// Puts a ready morsel under `name`, whatever its key (Python's `C[name] = morsel`),
    /// returning the one it replaces. Output is sorted by `name` but writes the morsel's key.
    pub fn insert_morsel(&mut self, name: impl Into<String>, morsel: Morsel) -> Option<Morsel> {
        let name = name.into();
        match self.index.get(&name) {
            Some(&i) => Some(std::mem::replace(&mut self.entries[i].1, morsel)),
            None => {
                self.index.insert(name.clone(), self.entries.len());
                self.entries.push((name, morsel));
                None
            }
        }
    }

    /// Removes a cookie, returning its morsel.
    pub fn remove(&mut self, name: &str) -> Option<Morsel> {
        let i = self.index.remove(name)?;
        let (_, morsel) = self.entries.remove(i);
        for (n, _) in &self.entries[i..] {
            if let Some(slot) = self.index.get_mut(n) {
                *slot -= 1;
            }
        }
        Some(morsel)
    }

    /// Removes every cookie.
    pub fn clear(&mut self) {
        self.entries.clear();
        self.index.clear();
    }

    /// The cookies in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Morsel)> + '_ {
        self.entries.iter().map(|(n, m)| (n.as_str(), m))
    }

    /// The names in insertion order.
    pub fn names(&self) -> impl Iterator<Item = &str> + '_ {
        self.entries.iter().map(|(n, _)| n.as_str())
    }

    /// The morsels in insertion order.
    pub fn morsels(&self) -> impl Iterator<Item = &Morsel> + '_ {
        self.entries.iter().map(|(_, m)| m)
    }

    /// Python's private `__set`: the existing morsel or a new one gets the key and values.
    fn set_value(&mut self, name: &str, real: String, coded: String) -> Result<()> {
        match self.index.get(name) {
            Some(&i) => self.entries[i].1.set(name, real, coded),
            None => {
                let morsel = Morsel::new(name, real, coded)?;
                self.index.insert(name.to_owned(), self.entries.len());
                self.entries.push((name.to_owned(), morsel));
                Ok(())
            }
        }
    }

    /// Sets each `(name, value)` in turn, as [`insert`](Self::insert) (Python's `load` of a
    /// dict); stops at the first error, the earlier ones set.
    pub fn load_map<I, K, V>(&mut self, pairs: I) -> Result<()>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: fmt::Display,
    {
        for (name, value) in pairs {
            self.insert(name.as_ref(), value)?;
        }
        Ok(())
    }

    /// Loads cookies from a `Cookie` header value (or a `Set-Cookie`-like string) exactly as
    /// Python's `load` does.
    ///
    /// The string is read as a sequence of `name`, `name=value`, `name="quoted value"` and
    /// `expires=Wdy, DD Mon YYYY HH:MM:SS GMT` items separated by `;` or whitespace, with
    /// Python's lenient character sets (a name may hold `=`, `,`, `/`, `:`, `?`…). Values go
    /// through the codec's `value_decode`. A reserved attribute name (`Path=/`, `Secure`)
    /// applies to the cookie before it, unquoted; `$Name=value` does too, not unquoted, and is
    /// ignored before the first cookie (`$Version=1`).
    ///
    /// As in Python, the whole string is read first and, when it is not acceptable, nothing is
    /// loaded and `Ok(())` is returned: an attribute before any cookie, a name without `=`
    /// that is not a flag (`secure`, `httponly`, `partitioned`), a non-flag attribute without
    /// a value. Reading stops silently (keeping what came before) at a character no item can
    /// start with, such as `"`, `[` or a control character. The items are then applied in
    /// order, and — as in Python — an error there leaves the items before it applied:
    /// [`CookieError::InvalidKey`] for a name outside the legal set (`a,b=c`),
    /// [`CookieError::InvalidAttribute`] for a `$Name` that is not a reserved attribute.
    ///
    /// ```
    /// let mut c = morsel::SimpleCookie::new();
    /// c.load(r#"Customer="WILE_E_COYOTE"; Version=1; Path=/acme; HttpOnly"#)?;
    /// assert_eq!(
    ///     c.to_string(),
    ///     r#"Set-Cookie: Customer="WILE_E_COYOTE"; HttpOnly; Path=/acme; Version=1"#
    /// );
    /// assert_eq!(c.get("Customer").map(|m| m.value()), Some("WILE_E_COYOTE"));
    ///
    /// let mut c = morsel::SimpleCookie::new();
    /// c.load("foo=bar; baz")?; // silently refused, as in Python
    /// assert!(c.is_empty());
    /// assert!(c.load("a=b; c,d=e").is_err());
    /// # Ok::<(), morsel::CookieError>(())
    /// ```
    pub fn load(&mut self, raw: &str) -> Result<()> {
        let Some(items) = parse_lenient(raw) else {
            return Ok(());
        };
        let mut current: Option<String> = None;
        for item in items {
            match item {
                Item::Attr(name, value) => {
                    // The parser yields attributes only after a cookie.
                    let Some(morsel) = current.as_deref().and_then(|n| self.get_mut(n)) else {
                        continue;
                    };
                    morsel.set_attr(&name, value)?;
                }
                Item::Cookie(name, coded) => {
                    let (real, coded) = self.codec.value_decode(&coded);
                    self.set_value(&name, real, coded)?;
                    current = Some(name);
                }
            }
        }
        Ok(())
    }

    /// Loads a `Cookie` header value that must follow RFC 6265's `cookie-string` grammar
    /// exactly: `name=value` pairs separated by `"; "`, names RFC 2616 tokens, values
    /// `cookie-octet`s (no space, `"`, `,`, `;`, `\`, control or non-ASCII character)
    /// optionally in double quotes; spaces and tabs around the whole string are allowed.
    ///
    /// All or nothing: on [`CookieError::Illegal`] (naming the grammar rule and the offending
    /// pair) or [`CookieError::InvalidKey`] (a name that is a reserved attribute, such as
    /// `path`) nothing is loaded. There are no attributes here: `$Version` or `Path` are
    /// cookies as any other for RFC 6265, so `$Version=1` is loaded as a cookie and `Path=/`
    /// is refused. Values go through the codec's `value_decode`.
    ///
    /// ```
    /// use morsel::{CookieError, SimpleCookie};
    ///
    /// let mut c = SimpleCookie::new();
    /// c.load_strict(r#"chips=ahoy; vienna="finger""#)?;
    /// assert_eq!(c.get("vienna").map(|m| m.value()), Some("finger"));
    ///
    /// let err = c.load_strict("a=b;c=d").unwrap_err();
    /// assert!(matches!(err, CookieError::Illegal { .. }));
    /// assert!(c.load_strict("a=b c").is_err());
    /// # Ok::<(), CookieError>(())
    /// ```
    pub fn load_strict(&mut self, raw: &str) -> Result<()> {
        let pairs = parse_strict(raw)?;
        for (name, _) in &pairs {
            check_key(name)?;
        }
        for (name, coded) in pairs {
            let (real, coded) = self.codec.value_decode(coded);
            self.set_value(name, real, coded)?;
        }
        Ok(())
    }

    /// The cookies as headers (Python's `output`): each morsel's
    /// [`output`](Morsel::output) with `attrs` and `header`, sorted by name, joined by `sep`.
    /// Python's defaults are `None`, [`DEFAULT_HEADER`] and [`DEFAULT_SEP`], which is what
    /// `Display` writes.
    pub fn output(&self, attrs: Option<&[&str]>, header: &str, sep: &str) -> String {
        self.output_at(attrs, header, sep, SystemTime::now())
    }

    /// [`output`](Self::output) with `now` as the current time for an integer `expires`.
    pub fn output_at(
        &self,
        attrs: Option<&[&str]>,
        header: &str,
        sep: &str,
        now: SystemTime,
    ) -> String {
        self.sorted()
            .iter()
            .map(|m| m.output_at(attrs, header, now))
            .collect::<Vec<_>>()
            .join(sep)
    }

    /// The morsels' [`js_output`](Morsel::js_output), sorted by name, concatenated (Python's
    /// `js_output`).
    pub fn js_output(&self, attrs: Option<&[&str]>) -> String {
        self.js_output_at(attrs, SystemTime::now())
    }

    /// [`js_output`](Self::js_output) with `now` as the current time for an integer `expires`.
    pub fn js_output_at(&self, attrs: Option<&[&str]>, now: SystemTime) -> String {
        self.sorted()
            .iter()
            .map(|m| m.js_output_at(attrs, now))
            .collect()
    }

    fn sorted(&self) -> Vec<&Morsel> {
        let mut all: Vec<&(String, Morsel)> = self.entries.iter().collect();
        all.sort_by(|a, b| a.0.cmp(&b.0));
        all.into_iter().map(|(_, m)| m).collect()
    }
}

impl<C: ValueCodec> fmt::Display for BaseCookie<C> {
    /// [`output`](BaseCookie::output) with Python's defaults.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.output(None, DEFAULT_HEADER, DEFAULT_SEP))
    }
}

impl<C> fmt::Debug for BaseCookie<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.entries.iter().map(|(n, m)| (n, m)))
            .finish()
    }
}

impl<C, D> PartialEq<BaseCookie<D>> for BaseCookie<C> {
    fn eq(&self, other: &BaseCookie<D>) -> bool {
        self.entries.len() == other.entries.len()
            && self.entries.iter().all(|(name, m)| {
                other
                    .index
                    .get(name)
                    .is_some_and(|&i| other.entries[i].1 == *m)
            })
    }
}

impl<C> Eq for BaseCookie<C> {}

impl<C: ValueCodec + Default> FromStr for BaseCookie<C> {
    type Err = CookieError;

    /// A new map [`load`](BaseCookie::load)ed from `s` (Python's `SimpleCookie(s)`).
    fn from_str(s: &str) -> Result<Self> {
        let mut c = Self::new();
        c.load(s)?;
        Ok(c)
    }
}

impl<'a, C> IntoIterator for &'a BaseCookie<C> {
    type Item = (&'a str, &'a Morsel);
    type IntoIter = Box<dyn Iterator<Item = (&'a str, &'a Morsel)> + 'a>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.entries.iter().map(|(n, m)| (n.as_str(), m)))
    }
}

/// One parsed item of a cookie string, before it is applied.
enum Item {
    /// A reserved (or `$`) attribute for the cookie before it.
    Attr(String, AttrValue),
    /// A cookie and its value as read (still coded).
    Cookie(String, String),
}

// ---------------------------------------------------------------------------------------
// The lenient parser: Python's `_CookiePattern` and `__parse_string`.
//
// The pattern, with re.ASCII, matched (not searched) at each position:
//
//   \s* (?P<key>[K]+?) ( \s*=\s* (?P<val> "(?:[^\\"]|\\.)*" | EXPIRES | [V]* ) )? \s* (\s+|;|$)
//
// is emulated below with the same backtracking order; see `match_at`.
// ---------------------------------------------------------------------------------------

/// `\s` under `re.ASCII`.
fn is_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c')
}

/// `\w` under `re.ASCII`.
fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Python's `_LegalKeyChars`.
fn is_key_char(c: char) -> bool {
    is_word(c) || "!#%&'~_`><@,:/$*+-.^|)(?}{=".contains(c)
}

/// Python's `_LegalValueChars`.
fn is_value_char(c: char) -> bool {
    is_key_char(c) || c == '[' || c == ']'
}

fn skip_ws(s: &[char], mut i: usize) -> usize {
    while i < s.len() && is_ws(s[i]) {
        i += 1;
    }
    i
}

/// `\s*(\s+|;|$)` from `p`: where the match ends, if it does.
///
/// Greedy `\s*` takes all whitespace to `q`; there `;` or the end match; failing that, giving
/// back one whitespace character lets `\s+` match up to `q`.
fn tail(s: &[char], p: usize) -> Option<usize> {
    let q = skip_ws(s, p);
    if q < s.len() && s[q] == ';' {
        Some(q + 1)
    } else if q == s.len() || q > p {
        // `$` also matches before a final newline, but `\s*` has taken that already.
        Some(q)
    } else {
        None
    }
}

/// `"(?:[^\\"]|\\.)*"` at `w`: where it ends. The alternatives cannot overlap and nothing
/// the star gives back can be a `"`, so the first closing quote decides.
fn quoted_end(s: &[char], w: usize) -> Option<usize> {
    if s.get(w) != Some(&'"') {
        return None;
    }
    let mut j = w + 1;
    loop {
        match s.get(j)? {
            '"' => return Some(j + 1),
            // `.` does not match a newline.
            '\\' => match s.get(j + 1) {
                Some(&c) if c != '\n' => j += 2,
                _ => return None,
            },
            _ => j += 1,
        }
    }
}

/// `\w{3},\s[\w\d\s-]{n}\s[\d:]{8}\sGMT` at `w` for one count `n` of the middle run.
fn expires_end(s: &[char], w: usize, n: usize) -> Option<usize> {
    let at = |k: usize| s.get(w + k).copied();
    let all = |from: usize, len: usize, ok: fn(char) -> bool| {
        (from..from + len).all(|k| at(k).is_some_and(ok))
    };
    let ok = all(0, 3, is_word)
        && at(3) == Some(',')
        && at(4).is_some_and(is_ws)
        && all(5, n, |c| is_word(c) || is_ws(c) || c == '-')
        && at(5 + n).is_some_and(is_ws)
        && all(6 + n, 8, |c| c.is_ascii_digit() || c == ':')
        && at(14 + n).is_some_and(is_ws)
        && at(15 + n) == Some('G')
        && at(16 + n) == Some('M')
        && at(17 + n) == Some('T');
    ok.then_some(w + 18 + n)
}

/// One match of the pattern at `i`.
struct Match {
    key: (usize, usize),
    val: Option<(usize, usize)>,
    end: usize,
}

/// Python's `_CookiePattern.match(s, i)`, in the regex engine's order: the lazy key grows one
/// character at a time; for each length the optional value group is tried before its absence;
/// within it the whitespace after `=` is given back one character at a time, and the value
/// alternatives are tried in order (quoted, expires date with 11, 10 then 9 middle
/// characters, plain run).
///
/// `value_run_end[w]` is where the run of value characters from `w` ends. Only the longest run
/// can be followed by the tail (a shorter one is followed by a value character, neither
/// whitespace nor `;` nor the end), so the plain alternative is decided in one step.
fn match_at(s: &[char], i: usize, value_run_end: &[usize]) -> Option<Match> {
    let k0 = skip_ws(s, i);
    let mut key_end = k0;
    while key_end < s.len() && is_key_char(s[key_end]) {
        key_end += 1;
        let key = (k0, key_end);
        // With a value: `\s*=\s*` (the first `\s*` cannot give back anything useful).
        let eq = skip_ws(s, key_end);
        if s.get(eq) == Some(&'=') {
            let after_eq = eq + 1;
            let ws_end = skip_ws(s, after_eq);
            for w in (after_eq..=ws_end).rev() {
                let mut candidates = Vec::with_capacity(5);
                candidates.extend(quoted_end(s, w));
                candidates.extend([11, 10, 9].into_iter().filter_map(|n| expires_end(s, w, n)));
                candidates.push(value_run_end[w]);
                for val_end in candidates {
                    if let Some(end) = tail(s, val_end) {
                        return Some(Match {
                            key,
                            val: Some((w, val_end)),
                            end,
                        });
                    }
                }
            }
        }
        // Without a value.
        if let Some(end) = tail(s, key_end) {
            return Some(Match {
                key,
                val: None,
                end,
            });
        }
    }
    None
}

/// Python's `__parse_string`, first pass: the items, or `None` when the string is refused
/// as a whole.
fn parse_lenient(raw: &str) -> Option<Vec<Item>> {
    let s: Vec<char> = raw.chars().collect();
    let n = s.len();
    let mut value_run_end = vec![n; n + 1];
    for k in (0..n).rev() {
        value_run_end[k] = if is_value_char(s[k]) {
            value_run_end[k + 1]
        } else {
            k
        };
    }
    let text = |(a, b): (usize, usize)| s[a..b].iter().collect::<String>();

    let mut items = Vec::new();
    let mut morsel_seen = false;
    let mut i = 0;
    while i < n {
        let Some(m) = match_at(&s, i, &value_run_end) else {
            break;
        };
        i = m.end;
        let key = text(m.key);
        let value = m.val.map(text);
        if let Some(attr) = key.strip_prefix('$') {
            if morsel_seen {
                let value = value.map_or(AttrValue::None, AttrValue::Str);
                items.push(Item::Attr(attr.to_owned(), value));
            }
        } else if Morsel::is_reserved_key(&key) {
            if !morsel_seen {
                return None;
            }
            match value {
                Some(v) => items.push(Item::Attr(key, AttrValue::Str(unquote(&v).into_owned()))),
                None if is_flag_name(&key) => items.push(Item::Attr(key, AttrValue::Bool(true))),
                None => return None,
            }
        } else if let Some(v) = value {
            items.push(Item::Cookie(key, v));
            morsel_seen = true;
        } else {
            return None;
        }
    }
    Some(items)
}

fn is_flag_name(name: &str) -> bool {
    ["secure", "httponly", "partitioned"]
        .iter()
        .any(|f| f.eq_ignore_ascii_case(name))
}

// ---------------------------------------------------------------------------------------
// The strict parser: RFC 6265 section 4.2.1.
// ---------------------------------------------------------------------------------------

/// RFC 2616 `token` character.
fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// RFC 6265 `cookie-octet`.
fn is_cookie_octet(b: u8) -> bool {
    matches!(b, 0x21 | 0x23..=0x2B | 0x2D..=0x3A | 0x3C..=0x5B | 0x5D..=0x7E)
}

fn illegal(what: &str, input: &str) -> CookieError {
    CookieError::Illegal {
        what: what.to_owned(),
        input: input.to_owned(),
    }
}

/// `OWS cookie-string OWS` into its pairs.
fn parse_strict(raw: &str) -> Result<Vec<(&str, &str)>> {
    let s = raw.trim_matches([' ', '\t']);
    if s.is_empty() {
        return Err(illegal("cookie-string", raw));
    }
    let mut pairs = Vec::new();
    let mut rest = s;
    loop {
        // No cookie-octet is `;`, so the pair ends at the next one.
        let (pair, next) = match rest.split_once(';') {
            Some((pair, next)) => (pair, Some(next)),
            None => (rest, None),
        };
        let Some((name, value)) = pair.split_once('=') else {
            return Err(illegal("cookie-pair", pair));
        };
        if name.is_empty() || !name.bytes().all(is_tchar) {
            return Err(illegal("cookie-name", pair));
        }
        let octets = match value.strip_prefix('"') {
            Some(quoted) => quoted
                .strip_suffix('"')
                .ok_or_else(|| illegal("cookie-value", pair))?,
            None => value,
        };
        if !octets.bytes().all(is_cookie_octet) {
            return Err(illegal("cookie-value", pair));
        }
        pairs.push((name, value));
        match next {
            None => return Ok(pairs),
            Some(next) => match next.strip_prefix(' ') {
                Some(following) if !following.is_empty() => rest = following,
                _ => return Err(illegal("separator", next)),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matched(s: &str) -> Option<(String, Option<String>, usize)> {
        let chars: Vec<char> = s.chars().collect();
        let n = chars.len();
        let mut run = vec![n; n + 1];
        for k in (0..n).rev() {
            run[k] = if is_value_char(chars[k]) {
                run[k + 1]
            } else {
                k
            };
        }
        match_at(&chars, 0, &run).map(|m| {
            let t = |(a, b): (usize, usize)| chars[a..b].iter().collect::<String>();
            (t(m.key), m.val.map(t), m.end)
        })
    }

    #[test]
    fn pattern_backtracking() {
        assert_eq!(matched("a=b"), Some(("a".into(), Some("b".into()), 3)));
        assert_eq!(
            matched("a= \"x"),
            Some(("a".into(), Some(String::new()), 3))
        );
        assert_eq!(matched("a=b=c;"), Some(("a".into(), Some("b=c".into()), 6)));
        assert_eq!(matched("secure ;"), Some(("secure".into(), None, 8)));
        assert_eq!(matched("a\"b"), None);
        assert_eq!(
            matched("e=Wed, 01 Jan 2010 00:00:00 GMT; x"),
            Some(("e".into(), Some("Wed, 01 Jan 2010 00:00:00 GMT".into()), 32))
        );
        assert_eq!(
            matched("a=\"b\\\"c\" x"),
            Some(("a".into(), Some("\"b\\\"c\"".into()), 9))
        );
    }

    #[test]
    fn strict_grammar() {
        assert_eq!(
            parse_strict(" a=b; c=\"d\"\t"),
            Ok(vec![("a", "b"), ("c", "\"d\"")])
        );
        assert!(parse_strict("").is_err());
        assert!(parse_strict("a=b;").is_err());
        assert!(parse_strict("a=b;  c=d").is_err());
        assert!(parse_strict("a=\"b").is_err());
        assert!(parse_strict("a=\"").is_err());
        assert!(parse_strict("a b=c").is_err());
        assert!(parse_strict("a=b,c").is_err());
        assert!(parse_strict("a=\u{e9}").is_err());
        assert_eq!(parse_strict("a="), Ok(vec![("a", "")]));
        assert_eq!(parse_strict("a=b=c"), Ok(vec![("a", "b=c")]));
    }
}
