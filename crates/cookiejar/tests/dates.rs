//! Tests of `cookiejar::dates`: the http-state cookie-date vectors, tables of expected values
//! produced by CPython 3.11's `http.cookiejar` and mechanize 0.4.10 (see `data/gen_dates.py`),
//! clock-relative two-digit years, the liberal forms of `str2time`, and property tests.

use std::time::{SystemTime, UNIX_EPOCH};

use cookiejar::dates::{
    http2time, iso2time, parse_cookie_date, str2time, time2http, time2isoz, time2netscape,
};
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------------
// http-state cookie-date vectors (RFC 6265 §5.1.1)
// ---------------------------------------------------------------------------------------------

const EXAMPLES: &str = include_str!("data/http-state/dates/examples.json");
const BSD_EXAMPLES: &str = include_str!("data/http-state/dates/bsd-examples.json");

/// Parses one vector file; `bsd-examples.json` starts with `//` licence lines.
fn vectors(text: &str) -> Vec<(String, Option<String>)> {
    let json: String = text
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let value: serde_json::Value = serde_json::from_str(&json).expect("vector file is JSON");
    value
        .as_array()
        .expect("vector file is a JSON array")
        .iter()
        .map(|case| {
            let test = case["test"]
                .as_str()
                .expect("`test` is a string")
                .to_owned();
            let expected = case["expected"].as_str().map(str::to_owned);
            (test, expected)
        })
        .collect()
}

#[test]
fn http_state_cookie_date_vectors() {
    let mut cases = vectors(EXAMPLES);
    assert_eq!(cases.len(), 15, "examples.json");
    cases.extend(vectors(BSD_EXAMPLES));
    assert_eq!(cases.len(), 70, "examples.json + bsd-examples.json");
    let mut failures = Vec::new();
    for (input, expected) in &cases {
        let got = parse_cookie_date(input).map(time2http);
        if got != *expected {
            failures.push(format!("{input:?}: got {got:?}, expected {expected:?}"));
        }
    }
    println!(
        "http-state cookie-date vectors: {} of {} pass",
        cases.len() - failures.len(),
        cases.len()
    );
    assert!(failures.is_empty(), "failures:\n{}", failures.join("\n"));
}

#[test]
fn cookie_date_rules() {
    let t = |s: &str| parse_cookie_date(s).map(time2http);
    // Two-digit years: 70-99 are 19xx, 00-69 are 20xx, whatever the current year.
    assert_eq!(
        t("1 Jan 70 00:00:00").as_deref(),
        Some("Thu, 01 Jan 1970 00:00:00 GMT")
    );
    assert_eq!(
        t("1 Jan 69 00:00:00").as_deref(),
        Some("Tue, 01 Jan 2069 00:00:00 GMT")
    );
    assert_eq!(
        t("1 Jan 00 00:00:00").as_deref(),
        Some("Sat, 01 Jan 2000 00:00:00 GMT")
    );
    // Years before 1601 fail; 1601 itself is fine (and before the Unix epoch).
    assert_eq!(t("1 Jan 1600 00:00:00"), None);
    assert_eq!(
        parse_cookie_date("1 Jan 1601 00:00:00"),
        Some(-11_644_473_600)
    );
    // Day must exist in the month.
    assert_eq!(t("29 Feb 2001 00:00:00"), None);
    assert_eq!(
        t("29 Feb 2000 00:00:00").as_deref(),
        Some("Tue, 29 Feb 2000 00:00:00 GMT")
    );
    assert_eq!(t("31 Apr 2000 00:00:00"), None);
    assert_eq!(t("0 Apr 2000 00:00:00"), None);
    // Clock ranges.
    assert_eq!(t("1 Apr 2000 24:00:00"), None);
    assert_eq!(t("1 Apr 2000 23:60:00"), None);
    assert_eq!(t("1 Apr 2000 23:59:60"), None);
    assert_eq!(
        t("1 Apr 2000 1:2:3").as_deref(),
        Some("Sat, 01 Apr 2000 01:02:03 GMT")
    );
    // Zones are ignored; trailing non-digits after digits are allowed.
    assert_eq!(
        t("1st Apr 2000 01:02:03pm +0500").as_deref(),
        Some("Sat, 01 Apr 2000 01:02:03 GMT")
    );
    // Missing parts.
    assert_eq!(t("1 Apr 2000"), None);
    assert_eq!(t("Apr 2000 01:02:03"), None);
    assert_eq!(t(""), None);
    // Non-ASCII bytes are not delimiters.
    assert_eq!(
        t("1 Apr\u{e9} 2000 01:02:03").as_deref(),
        Some("Sat, 01 Apr 2000 01:02:03 GMT")
    );
    assert_eq!(t("1\u{e9} Apr 2000 01:02:03"), t("1 Apr 2000 01:02:03"));
    assert_eq!(t("\u{e9}1 Apr 2000 01:02:03"), None);
}

// ---------------------------------------------------------------------------------------------
// Tables produced by CPython 3.11 and mechanize 0.4.10 (tests/data/gen_dates.py)
// ---------------------------------------------------------------------------------------------

const HTTP2TIME: &[(&str, Option<i64>)] = &[
    ("Wed, 09 Feb 1994 22:23:32 GMT", Some(760832612)),
    ("Tuesday, 08-Feb-1994 14:15:29 GMT", Some(760716929)),
    ("09 Feb 1994 22:23:32 GMT", Some(760832612)),
    ("08-Feb-1994 14:15:29 GMT", Some(760716929)),
    ("Thu, 03 Feb 1994 00:00:00 GMT", Some(760233600)),
    ("Thursday, 03-Feb-1994 00:00:00 GMT", Some(760233600)),
    ("03-Feb-1994 00:00 GMT", Some(760233600)),
    ("03 Feb 1994 00:00", Some(760233600)),
    ("03 Feb 1994 00:00:00", Some(760233600)),
    ("03 Feb 1994", Some(760233600)),
    ("03-Feb-1994", Some(760233600)),
    ("  03   Feb   1994  0:00  ", Some(760233600)),
    ("  03-Feb-1994  ", Some(760233600)),
    ("03 feb 1994", Some(760233600)),
    ("03 FEB 1994", Some(760233600)),
    ("3 Feb 1994", Some(760233600)),
    ("03/Feb/1994:00:00:00 +0000", Some(760233600)),
    ("03/02/1994", Some(760233600)),
    ("09 1_2 1994", Some(786931200)),
    ("09-Feb/1994", Some(760752000)),
    ("09\tFeb\t1994", Some(760752000)),
    ("09 Feb 1994:22:23:32", Some(760832612)),
    ("Wed, 09 Feb 1994 22:23:32 GMT\n", Some(760832612)),
    ("Wed, 09 Feb 1994 22:23:32 GMT ", Some(760832612)),
    ("wed, 09 feb 1994 22:23:32 gmt", Some(760832612)),
    ("Wednesday 09 Feb 1994 22:23:32 +0100", Some(760829012)),
    ("Sunday09 Feb 1994", Some(760752000)),
    ("Fri,09 Feb 1994", Some(760752000)),
    ("Wed 09-Feb-1994 22:23:32 GMT", Some(760832612)),
    ("\u{a0}09 Feb 1994", Some(760752000)),
    ("09 Feb 1994 22:23:32 -0800", Some(760861412)),
    ("09 Feb 1994 22:23:32 +01", Some(760829012)),
    ("09 Feb 1994 22:23:32 +1", None),
    ("09 Feb 1994 22:23:32 -123", Some(760837592)),
    ("09 Feb 1994 22:23:32 9999", Some(760470272)),
    ("09 Feb 1994 22:23:32 UTC", Some(760832612)),
    ("09 Feb 1994 22:23:32 ut", Some(760832612)),
    ("09 Feb 1994 22:23:32 Z", Some(760832612)),
    ("09 Feb 1994 22:23:32 GMT (GMT)", Some(760832612)),
    ("09 Feb 1994 22:23:32 (EST)", Some(760832612)),
    ("09 Feb 1994 22:23:32GMT(x_1)", Some(760832612)),
    ("Wed, 31 Feb 1994 22:23:32 GMT", Some(762733412)),
    ("31 Feb 1996", Some(825724800)),
    ("Wed, 09 Feb 1994 24:00:00 GMT", Some(760838400)),
    ("Wed, 09 Feb 1994 23:59:60 GMT", Some(760838400)),
    ("09 Feb 1994 23:59:61", Some(760838401)),
    ("01 Jan 1970 00:00:00 +0100", Some(-3600)),
    ("31 Dec 9999 23:59:59 GMT", Some(253402300799)),
    ("01 Jan 1970 00:00:00 GMT", Some(0)),
    ("09 Feb 1994 22:23:32 +01:00", None),
    ("09 Feb 1994 22:23:32 EST", None),
    ("09 Feb 1994 22:23:32 +12345", None),
    ("09 Feb 1994 22:23:32 GMT+0100", None),
    ("09 Feb 1994 10:23 PM", None),
    ("09 Feb 1994 10:23:32 am", None),
    ("Wed, 09 Feb 1994 23:59:62 GMT", None),
    ("Wed, 00 Feb 1994 22:23:32 GMT", None),
    ("32 Feb 1994", None),
    ("Wed, 09 Feb 1969 22:23:32 GMT", None),
    ("31 Dec 1969 23:59:59 GMT", None),
    ("01 Jan 10000", None),
    ("09 February 1994", None),
    ("09 13 1994", None),
    ("09 0 1994", None),
    ("09 1__2 1994", None),
    ("09.Feb.1994", None),
    ("09\u{1c}Feb 1994", None),
    ("Xyz, 09 Feb 1994", None),
    ("Wed, 09 Feb 1994 25:00:00 GMT", None),
    ("09 Feb 1994 22:60", None),
    ("1994-02-09T22:23:32Z", None),
    ("Feb 9 1994", None),
    ("Wed Feb  9 22:23:32 1994", None),
    ("", None),
    ("   ", None),
    ("garbage", None),
    ("9", None),
    ("Wed,", None),
    ("09 Feb", None),
    ("\u{669} Feb 1994", None),
];
const ISO2TIME: &[(&str, Option<i64>)] = &[
    ("1994-02-03 14:15:29 -0100", Some(760288529)),
    ("1994-02-03 14:15:29", Some(760284929)),
    ("1994-02-03", Some(760233600)),
    ("1994-02-03T14:15:29", Some(760284929)),
    ("19940203T141529Z", Some(760284929)),
    ("19940203", Some(760233600)),
    ("1994-02-03t14:15:29z", Some(760284929)),
    ("1994/02/03 14:15", Some(760284900)),
    ("1994-2-3", Some(760233600)),
    ("1994023", Some(760233600)),
    ("19940203T1415", Some(760284900)),
    ("1994-02-03 14:15:29 +01", Some(760281329)),
    ("1994-02-03 14:15:29+0100", Some(760281329)),
    ("1994-02-03 14:15:29 +01:00", Some(760281329)),
    ("1994-02-03 14:15:29 -1:30", Some(760290329)),
    ("  1994-02-03", Some(760233600)),
    ("1994-02-03\n", Some(760233600)),
    ("1994-02-03 24:00", Some(760320000)),
    ("1994-02-30", Some(762566400)),
    ("9999-12-31T23:59:59Z", Some(253402300799)),
    ("1994-02-03-14:15", Some(760284900)),
    ("1994-02-03 14:15:29 0100", Some(760281329)),
    ("1994-02-03 14:15:29 +01::00", None),
    ("1994-02-03 14:15:29 GMT", None),
    ("1994-02-03 25:00", None),
    ("1969-12-31", None),
    ("94-02-03", None),
    ("1994-02-32", None),
    ("1994-13-03", None),
    ("garbage", None),
    ("", None),
    ("10000-01-01", None),
    ("1994-02-03 14:15:29 +", None),
    ("Wed, 09 Feb 1994 22:23:32 GMT", None),
];
const MECHANIZE_STR2TIME: &[(&str, Option<i64>)] = &[
    (
        "\u{660}\u{669} Feb \u{661}\u{669}\u{669}\u{664} 22:23:32 GMT",
        Some(760832612),
    ),
    ("Wed,\u{a0}09 Feb 1994 22:23:32 GMT", Some(760832612)),
    ("09\u{1c}Feb\u{1f}1994", Some(760752000)),
    ("\u{17f}un, 09 Feb 1994", Some(760752000)),
    ("Fr\u{131}day, 09 Feb 1994", Some(760752000)),
    (
        "09 Feb 1994 22:23:32 GMT (\u{6771}\u{4eac})",
        Some(760832612),
    ),
    (
        "Wed, \u{ff10}\u{ff19} Feb 1994 22:23:32 GMT",
        Some(760832612),
    ),
    ("09\u{3000}Feb\u{3000}1994\u{3000}22:23", Some(760832580)),
    ("09 \u{660}\u{662} 1994", Some(760752000)),
];
const FORMATS: &[(i64, &str, &str)] = &[
    (0, "1970-01-01 00:00:00Z", "Thu, 01-Jan-1970 00:00:00 GMT"),
    (1, "1970-01-01 00:00:01Z", "Thu, 01-Jan-1970 00:00:01 GMT"),
    (-1, "1969-12-31 23:59:59Z", "Wed, 31-Dec-1969 23:59:59 GMT"),
    (
        760832612,
        "1994-02-09 22:23:32Z",
        "Wed, 09-Feb-1994 22:23:32 GMT",
    ),
    (
        785666977,
        "1994-11-24 08:49:37Z",
        "Thu, 24-Nov-1994 08:49:37 GMT",
    ),
    (
        951782400,
        "2000-02-29 00:00:00Z",
        "Tue, 29-Feb-2000 00:00:00 GMT",
    ),
    (
        951868799,
        "2000-02-29 23:59:59Z",
        "Tue, 29-Feb-2000 23:59:59 GMT",
    ),
    (
        4107542400,
        "2100-03-01 00:00:00Z",
        "Mon, 01-Mar-2100 00:00:00 GMT",
    ),
    (
        253402300799,
        "9999-12-31 23:59:59Z",
        "Fri, 31-Dec-9999 23:59:59 GMT",
    ),
    (
        -62135596800,
        "0001-01-01 00:00:00Z",
        "Mon, 01-Jan-0001 00:00:00 GMT",
    ),
    (
        1700000000,
        "2023-11-14 22:13:20Z",
        "Tue, 14-Nov-2023 22:13:20 GMT",
    ),
    (
        -2208988800,
        "1900-01-01 00:00:00Z",
        "Mon, 01-Jan-1900 00:00:00 GMT",
    ),
];

#[test]
fn http2time_matches_python() {
    for &(input, expected) in HTTP2TIME {
        assert_eq!(http2time(input), expected, "http2time({input:?})");
    }
    println!("http2time: {} Python cases", HTTP2TIME.len());
}

#[test]
fn iso2time_matches_python() {
    for &(input, expected) in ISO2TIME {
        assert_eq!(iso2time(input), expected, "iso2time({input:?})");
    }
    println!("iso2time: {} Python cases", ISO2TIME.len());
}

#[test]
fn formatting_matches_python() {
    for &(t, isoz, netscape) in FORMATS {
        assert_eq!(time2isoz(t), isoz, "time2isoz({t})");
        assert_eq!(time2netscape(t), netscape, "time2netscape({t})");
        // RFC 1123 is the Netscape form with spaces instead of the two dashes.
        assert_eq!(
            time2http(t),
            netscape.replacen('-', " ", 2),
            "time2http({t})"
        );
    }
}

/// Where we deliberately answer instead of raising like Python does.
#[test]
fn python_exceptions_become_answers() {
    // Python: ValueError ('jxx' is not in list) from the strict fast path.
    assert_eq!(http2time("Wed, 09 Jxx 1994 22:23:32 GMT"), None);
    // Python: ValueError from int("29.5"); we truncate fractional seconds.
    assert_eq!(
        iso2time("1994-02-03 14:15:29.5"),
        iso2time("1994-02-03 14:15:29")
    );
    assert_eq!(iso2time("1994-02-03 14:15:29."), Some(760_284_929));
    assert_eq!(iso2time("19940203T141529.999Z"), Some(760_284_929));
    assert_eq!(iso2time("1994-02-03 14:15:29,5"), None);
}

// ---------------------------------------------------------------------------------------------
// Two-digit years: relative to the current year, as Python does it
// ---------------------------------------------------------------------------------------------

fn current_year() -> i64 {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    time2isoz(now)
        .get(..4)
        .and_then(|y| y.parse().ok())
        .expect("a four-digit current year")
}

/// The century rule of Python's `_str2time` for years below 1000, restated: start in the
/// current century and move one century when that is more than 50 years away. For two-digit
/// years this is the closest year (a distance of exactly 50 stays in the current century).
fn closest_year(short: i64, current: i64) -> i64 {
    let in_century = current % 100;
    let year = current - in_century + short;
    match in_century - short {
        gap if gap > 50 => year + 100,
        gap if gap < -50 => year - 100,
        _ => year,
    }
}

#[test]
fn closest_year_rule() {
    assert_eq!(closest_year(94, 2026), 1994);
    assert_eq!(closest_year(76, 2026), 2076);
    assert_eq!(closest_year(77, 2026), 1977);
    assert_eq!(closest_year(7, 2026), 2007);
    assert_eq!(closest_year(49, 2099), 2049);
    assert_eq!(closest_year(48, 2099), 2148);
    assert_eq!(closest_year(50, 2000), 2050);
    assert_eq!(closest_year(999, 2026), 2899);
}

#[test]
fn short_years_pick_the_closest_century() {
    let current = current_year();
    for short in [
        0i64, 1, 7, 17, 25, 49, 50, 51, 69, 70, 76, 77, 94, 99, 100, 999,
    ] {
        let full = closest_year(short, current);
        let with_clock = http2time(&format!("08-Feb-{full:04} 14:15:29 GMT"));
        let date_only = http2time(&format!("08 Feb {full:04}"));
        assert!(full < 1970 || with_clock.is_some(), "{full}");
        for (form, want) in [
            (format!("08-Feb-{short:02} 14:15:29 GMT"), with_clock),
            (
                format!("Tuesday, 08-Feb-{short:02} 14:15:29 GMT"),
                with_clock,
            ),
            (format!("08 Feb {short:04}"), date_only),
        ] {
            assert_eq!(
                http2time(&form),
                want,
                "http2time({form:?}), current year {current}"
            );
            assert_eq!(str2time(&form), want, "str2time({form:?})");
        }
        let liberal = format!("Feb 8 {short:02} 14:15:29");
        assert_eq!(str2time(&liberal), with_clock, "str2time({liberal:?})");
    }
}

// ---------------------------------------------------------------------------------------------
// str2time
// ---------------------------------------------------------------------------------------------

#[test]
fn str2time_extends_http2time_and_iso2time() {
    for &(input, expected) in HTTP2TIME.iter().chain(ISO2TIME) {
        if expected.is_some() {
            assert_eq!(str2time(input), expected, "str2time({input:?})");
        }
    }
}

#[test]
fn str2time_accepts_what_mechanize_accepts() {
    for &(input, expected) in MECHANIZE_STR2TIME {
        assert!(expected.is_some(), "{input:?}");
        assert_eq!(str2time(input), expected, "str2time({input:?})");
        // The strict port of Python 3.11 does not read these.
        assert_eq!(http2time(input), None, "http2time({input:?})");
        assert_eq!(iso2time(input), None, "iso2time({input:?})");
    }
    println!(
        "str2time: {} mechanize-only cases",
        MECHANIZE_STR2TIME.len()
    );
}

#[test]
fn str2time_liberal_forms() {
    let cases: &[(&str, Option<&str>)] = &[
        (
            "Wed Feb  9 22:23:32 1994",
            Some("Wed, 09 Feb 1994 22:23:32 GMT"),
        ),
        (
            "Wed Feb 9 22:23:32 GMT 1994",
            Some("Wed, 09 Feb 1994 22:23:32 GMT"),
        ),
        (
            "Feb  9 22:23:32 1994",
            Some("Wed, 09 Feb 1994 22:23:32 GMT"),
        ),
        (
            "Wed Feb  9 22:23 1994\n",
            Some("Wed, 09 Feb 1994 22:23:00 GMT"),
        ),
        (
            "Thu Apr 18 22:50:12 2007 GMT",
            Some("Wed, 18 Apr 2007 22:50:12 GMT"),
        ),
        (
            "Wed Feb 9 22:23:32 PST 1994",
            Some("Thu, 10 Feb 1994 06:23:32 GMT"),
        ),
        ("Feb 9 1994", Some("Wed, 09 Feb 1994 00:00:00 GMT")),
        ("feb 09, 1994", Some("Wed, 09 Feb 1994 00:00:00 GMT")),
        ("February 9th, 1994", Some("Wed, 09 Feb 1994 00:00:00 GMT")),
        ("Wed. Feb 9 1994", Some("Wed, 09 Feb 1994 00:00:00 GMT")),
        (
            "Wednesday, February 9, 1994 10:23 pm",
            Some("Wed, 09 Feb 1994 22:23:00 GMT"),
        ),
        ("Feb 9 1994 12:00 AM", Some("Wed, 09 Feb 1994 00:00:00 GMT")),
        (
            "Feb 9 1994 12:00 p.m.",
            Some("Wed, 09 Feb 1994 12:00:00 GMT"),
        ),
        (
            "Feb 9 1994 22:23:32 +0100",
            Some("Wed, 09 Feb 1994 21:23:32 GMT"),
        ),
        (
            "Sept 9 1994 22:23:32.250 UTC",
            Some("Fri, 09 Sep 1994 22:23:32 GMT"),
        ),
        (
            "Wed Dec 12 2007 08:44:07 GMT-0500 (Eastern Standard Time)",
            Some("Wed, 12 Dec 2007 13:44:07 GMT"),
        ),
        (
            "9 February 1994 22:23 +01:00",
            Some("Wed, 09 Feb 1994 21:23:00 GMT"),
        ),
        (
            "09 Feb 1994 22:23:32 +01:00",
            Some("Wed, 09 Feb 1994 21:23:32 GMT"),
        ),
        (
            "09 Feb 1994 22:23:32 EST",
            Some("Thu, 10 Feb 1994 03:23:32 GMT"),
        ),
        (
            "09 Feb 1994 10:23 PM",
            Some("Wed, 09 Feb 1994 22:23:00 GMT"),
        ),
        ("1st Mar 2001", Some("Thu, 01 Mar 2001 00:00:00 GMT")),
        // Not dates, or not complete ones.
        ("Feb 9 22:23", None),
        ("Feb 9", None),
        ("Feb 32 1994", None),
        ("Feb 9 1994 13:00 pm", None),
        ("Feb 9 1994 0:00 am", None),
        ("Feb 9 1994 22:23 CET", None),
        ("Feb 9 10000", None),
        ("Feb 9 1969", None),
        ("Smarch 9 1994", None),
        ("tomorrow", None),
        ("", None),
    ];
    for &(input, expected) in cases {
        assert_eq!(
            str2time(input).map(time2http).as_deref(),
            expected,
            "str2time({input:?})"
        );
    }
    println!("str2time: {} liberal cases", cases.len());
}

// ---------------------------------------------------------------------------------------------
// Formatting outside Python's range
// ---------------------------------------------------------------------------------------------

#[test]
fn formatting_extremes() {
    assert_eq!(time2isoz(253_402_300_800), "10000-01-01 00:00:00Z");
    assert_eq!(time2http(253_402_300_800), "Sat, 01 Jan 10000 00:00:00 GMT");
    assert_eq!(
        time2netscape(-62_135_596_801),
        "Sun, 31-Dec-0000 23:59:59 GMT"
    );
    assert_eq!(time2isoz(-62_167_219_201), "-0001-12-31 23:59:59Z");
    for t in [i64::MIN, i64::MIN + 1, -1, i64::MAX - 1, i64::MAX] {
        for text in [time2isoz(t), time2netscape(t), time2http(t)] {
            assert!(text.ends_with('Z') || text.ends_with(" GMT"), "{text}");
        }
    }
    assert_eq!(time2isoz(i64::MAX), "292277026596-12-04 15:30:07Z");
    assert_eq!(time2isoz(i64::MIN), "-292277022657-01-27 08:29:52Z");
}

// ---------------------------------------------------------------------------------------------
// Property tests
// ---------------------------------------------------------------------------------------------

fn parse_everything(s: &str) {
    let _ = http2time(s);
    let _ = iso2time(s);
    let _ = str2time(s);
    let _ = parse_cookie_date(s);
}

/// The latest second of year 9999.
const MAX_TIME: i64 = 253_402_300_799;

proptest! {
    #[test]
    fn parsers_never_panic(s in any::<String>()) {
        parse_everything(&s);
    }

    #[test]
    fn parsers_never_panic_on_date_like_text(
        s in "[0-9A-Za-z :,./+()\t-]{0,40}|[ 0-9a-zA-Z:\u{a0}\u{3000}\u{660}-\u{669}\u{ff10}-\u{ff19}\u{17f}\u{131}\u{130}\u{212a}\u{1c}(-]{0,40}"
    ) {
        parse_everything(&s);
    }

    #[test]
    fn formats_round_trip(t in 0..=MAX_TIME) {
        prop_assert_eq!(http2time(&time2http(t)), Some(t));
        prop_assert_eq!(http2time(&time2netscape(t)), Some(t));
        prop_assert_eq!(iso2time(&time2isoz(t)), Some(t));
        prop_assert_eq!(str2time(&time2isoz(t)), Some(t));
        prop_assert_eq!(parse_cookie_date(&time2http(t)), Some(t));
    }

    #[test]
    fn formatting_never_panics(t in any::<i64>()) {
        let isoz = time2isoz(t);
        prop_assert!(isoz.ends_with('Z'));
        prop_assert!(time2netscape(t).ends_with(" GMT"));
        prop_assert!(time2http(t).ends_with(" GMT"));
    }
}
