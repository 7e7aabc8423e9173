//! Python's `http.cookies` in Rust, checked against Python: every example of the module's
//! documentation and docstring, CPython's own test cases for the module, a differential test
//! against `python3` when it is installed, and property tests.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use morsel::{
    AttrValue, BaseCookie, CookieError, Morsel, RawCodec, SimpleCookie, StrCodec, ValueCodec,
    is_legal_key, quote, unquote,
};

/// 2010-01-01T00:00:00Z, a Friday.
fn fixed_now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_262_304_000)
}

fn js(cookie: &str) -> String {
    format!(
        "\n        <script type=\"text/javascript\">\n        <!-- begin hiding\n        \
         document.cookie = \"{cookie}\";\n        // end hiding -->\n        </script>\n        "
    )
}

fn value<C: ValueCodec>(c: &BaseCookie<C>, name: &str) -> String {
    c.get(name)
        .map(|m| m.value().to_owned())
        .unwrap_or_default()
}

fn attr(m: &Morsel, name: &str) -> AttrValue {
    m.get(name).cloned().unwrap_or(AttrValue::None)
}

// ---------------------------------------------------------------------------------------
// The examples of Python's documentation (the module docstring and the library reference).
// ---------------------------------------------------------------------------------------

#[test]
fn doc_fig_newton_sugar_wafer() {
    let mut c = SimpleCookie::new();
    c.insert("fig", "newton").unwrap();
    c.insert("sugar", "wafer").unwrap();
    assert_eq!(
        c.to_string(),
        "Set-Cookie: fig=newton\r\nSet-Cookie: sugar=wafer"
    );
    // print(C.output()): same thing.
    assert_eq!(
        c.output(None, "Set-Cookie:", "\r\n"),
        "Set-Cookie: fig=newton\r\nSet-Cookie: sugar=wafer"
    );
}

#[test]
fn doc_rocky_road_with_header_and_attrs() {
    let mut c = SimpleCookie::new();
    c.insert("rocky", "road").unwrap();
    c.get_mut("rocky")
        .unwrap()
        .set_attr("path", "/cookie")
        .unwrap();
    assert_eq!(
        c.output(None, "Cookie:", "\r\n"),
        "Cookie: rocky=road; Path=/cookie"
    );
    assert_eq!(c.output(Some(&[]), "Cookie:", "\r\n"), "Cookie: rocky=road");
}

#[test]
fn doc_load_chips_ahoy() {
    let mut c = SimpleCookie::new();
    c.load("chips=ahoy; vienna=finger").unwrap();
    assert_eq!(
        c.to_string(),
        "Set-Cookie: chips=ahoy\r\nSet-Cookie: vienna=finger"
    );
}

#[test]
fn doc_load_keebler_trickeries() {
    let mut c = SimpleCookie::new();
    c.load(r#"keebler="E=everybody; L=\"Loves\"; fudge=\012;";"#)
        .unwrap();
    assert_eq!(
        c.to_string(),
        r#"Set-Cookie: keebler="E=everybody; L=\"Loves\"; fudge=\012;""#
    );
    assert_eq!(value(&c, "keebler"), "E=everybody; L=\"Loves\"; fudge=\n;");
}

#[test]
fn doc_oreo_path() {
    let mut c = SimpleCookie::new();
    c.insert("oreo", "doublestuff").unwrap();
    c.get_mut("oreo").unwrap().set_attr("path", "/").unwrap();
    assert_eq!(c.to_string(), "Set-Cookie: oreo=doublestuff; Path=/");
}

#[test]
fn doc_twix_value() {
    let mut c = SimpleCookie::new();
    c.insert("twix", "none for you").unwrap();
    assert_eq!(value(&c, "twix"), "none for you");
    assert_eq!(c.to_string(), "Set-Cookie: twix=\"none for you\"");
}

#[test]
fn doc_number_seven_string_seven() {
    let mut c = SimpleCookie::new();
    c.insert("number", 7).unwrap(); // str(7)
    c.insert("string", "seven").unwrap();
    assert_eq!(value(&c, "number"), "7");
    assert_eq!(value(&c, "string"), "seven");
    assert_eq!(
        c.to_string(),
        "Set-Cookie: number=7\r\nSet-Cookie: string=seven"
    );
}

#[test]
fn doc_load_from_dict() {
    // load(dict) is `for k, v in rawdata.items(): cookie[k] = v`.
    let mut c = SimpleCookie::new();
    c.load_map([("fig", "newton"), ("twix", "none for you")])
        .unwrap();
    assert_eq!(
        c.to_string(),
        "Set-Cookie: fig=newton\r\nSet-Cookie: twix=\"none for you\""
    );
    // Stops at the first bad name, the earlier ones kept.
    let mut c = SimpleCookie::new();
    let err = c
        .load_map([("a", "1"), ("b c", "2"), ("d", "3")])
        .unwrap_err();
    assert_eq!(err, CookieError::InvalidKey { key: "b c".into() });
    assert_eq!(c.to_string(), "Set-Cookie: a=1");
}

#[test]
fn doc_value_codec_overrides() {
    // BaseCookie: value_decode/value_encode are the identity (after str()).
    let mut c: BaseCookie<RawCodec> = BaseCookie::new();
    c.insert("twix", "none for you").unwrap();
    c.load(r#"quoted="a\"b""#).unwrap();
    assert_eq!(value(&c, "quoted"), r#""a\"b""#);
    assert_eq!(
        c.to_string(),
        "Set-Cookie: quoted=\"a\\\"b\"\r\nSet-Cookie: twix=none for you"
    );
    assert_eq!(StrCodec.value_decode("\"x\""), ("x".into(), "\"x\"".into()));
    assert_eq!(RawCodec.value_encode("a b"), ("a b".into(), "a b".into()));
}

#[test]
fn doc_morsel_attributes_and_flags() {
    // The library reference's Morsel attributes, each written as documented.
    let mut m = Morsel::new("key", "val", "coded_val").unwrap();
    m.update([
        ("path", "/"),
        ("comment", "foo"),
        ("domain", "example.com"),
        ("version", "1"),
        ("samesite", "Strict"),
    ])
    .unwrap();
    m.set_attr("max-age", 0).unwrap();
    m.set_attr("secure", 0).unwrap();
    assert_eq!(
        m.to_string(),
        "Set-Cookie: key=coded_val; Comment=foo; Domain=example.com; Max-Age=0; Path=/; \
         SameSite=Strict; Version=1"
    );
    m.set_secure(true);
    m.set_attr("httponly", 1).unwrap();
    assert_eq!(
        m.output_string(None),
        "key=coded_val; Comment=foo; Domain=example.com; HttpOnly; Max-Age=0; Path=/; \
         SameSite=Strict; Secure; Version=1"
    );
    assert!(m.secure() && m.httponly() && !m.partitioned());
}

// ---------------------------------------------------------------------------------------
// CPython's Lib/test/test_http_cookies.py, case by case.
// ---------------------------------------------------------------------------------------

/// (input, name → value, output with `sep="\n"`).
type BasicCase = (
    &'static str,
    &'static [(&'static str, &'static str)],
    &'static str,
);

#[test]
fn cpython_basic_cases() {
    let cases: [BasicCase; 5] = [
        (
            "chips=ahoy; vienna=finger",
            &[("chips", "ahoy"), ("vienna", "finger")],
            "Set-Cookie: chips=ahoy\nSet-Cookie: vienna=finger",
        ),
        (
            r#"keebler="E=mc2; L=\"Loves\"; fudge=\012;""#,
            &[("keebler", "E=mc2; L=\"Loves\"; fudge=\n;")],
            r#"Set-Cookie: keebler="E=mc2; L=\"Loves\"; fudge=\012;""#,
        ),
        (
            "keebler=E=mc2",
            &[("keebler", "E=mc2")],
            "Set-Cookie: keebler=E=mc2",
        ),
        (
            "key:term=value:term",
            &[("key:term", "value:term")],
            "Set-Cookie: key:term=value:term",
        ),
        (
            "a=b; c=[; d=r; f=h",
            &[("a", "b"), ("c", "["), ("d", "r"), ("f", "h")],
            "Set-Cookie: a=b\nSet-Cookie: c=[\nSet-Cookie: d=r\nSet-Cookie: f=h",
        ),
    ];
    for (data, values, output) in cases {
        let mut c = SimpleCookie::new();
        c.load(data).unwrap();
        assert_eq!(c.output(None, "Set-Cookie:", "\n"), output, "{data}");
        assert_eq!(c.len(), values.len());
        for (k, v) in values {
            assert_eq!(value(&c, k), *v, "{data}");
        }
    }
}

#[test]
fn cpython_load_with_attributes_and_js_output() {
    for data in [
        r#"Customer="WILE_E_COYOTE"; Version=1; Path=/acme"#,
        r#"Customer="WILE_E_COYOTE"; Version="1"; Path="/acme""#,
    ] {
        let mut c = SimpleCookie::new();
        c.load(data).unwrap();
        let m = c.get("Customer").unwrap();
        assert_eq!(m.value(), "WILE_E_COYOTE");
        assert_eq!(attr(m, "version"), "1");
        assert_eq!(attr(m, "path"), "/acme");
        assert_eq!(
            c.output(Some(&["path"]), "Set-Cookie:", "\r\n"),
            r#"Set-Cookie: Customer="WILE_E_COYOTE"; Path=/acme"#
        );
        assert_eq!(
            c.js_output(None),
            js(r#"Customer=\"WILE_E_COYOTE\"; Path=/acme; Version=1"#)
        );
        assert_eq!(
            c.js_output(Some(&["path"])),
            js(r#"Customer=\"WILE_E_COYOTE\"; Path=/acme"#)
        );
    }
}

#[test]
fn cpython_extended_encode() {
    let mut c = SimpleCookie::new();
    c.insert("val", "some,funky;stuff").unwrap();
    assert_eq!(
        c.output(Some(&["val"]), "Set-Cookie:", "\r\n"),
        r#"Set-Cookie: val="some\054funky\073stuff""#
    );
}

#[test]
fn cpython_special_attrs() {
    let mut c: SimpleCookie = r#"Customer="WILE_E_COYOTE""#.parse().unwrap();
    c.get_mut("Customer")
        .unwrap()
        .set_attr("expires", 0)
        .unwrap();
    assert!(c.to_string().ends_with("GMT"));
    assert_eq!(
        c.output_at(None, "Set-Cookie:", "\r\n", fixed_now()),
        r#"Set-Cookie: Customer="WILE_E_COYOTE"; expires=Fri, 01 Jan 2010 00:00:00 GMT"#
    );

    for date in [
        "Wed, 01 Jan 2010 00:00:00 GMT",
        "Wed, 01 Jan 98 00:00:00 GMT",
    ] {
        let mut c = SimpleCookie::new();
        c.load(&format!(r#"Customer="W"; expires={date}"#)).unwrap();
        assert_eq!(attr(c.get("Customer").unwrap(), "expires"), date);
    }

    let mut c: SimpleCookie = r#"Customer="WILE_E_COYOTE""#.parse().unwrap();
    c.get_mut("Customer")
        .unwrap()
        .set_attr("max-age", 10)
        .unwrap();
    assert_eq!(
        c.to_string(),
        r#"Set-Cookie: Customer="WILE_E_COYOTE"; Max-Age=10"#
    );
}

#[test]
fn cpython_secure_httponly() {
    let mut c: SimpleCookie = r#"Customer="WILE_E_COYOTE""#.parse().unwrap();
    let m = c.get_mut("Customer").unwrap();
    m.set_attr("secure", true).unwrap();
    m.set_attr("httponly", true).unwrap();
    assert_eq!(
        c.to_string(),
        r#"Set-Cookie: Customer="WILE_E_COYOTE"; HttpOnly; Secure"#
    );

    let mut c = SimpleCookie::new();
    c.load("eggs=scrambled; Path=/bacon").unwrap();
    let m = c.get("eggs").unwrap();
    assert!(!m.httponly() && !m.secure());

    let mut c = SimpleCookie::new();
    c.load("eggs=scrambled; httponly; secure; Path=/bacon")
        .unwrap();
    let m = c.get("eggs").unwrap();
    assert!(m.httponly() && m.secure());
    assert_eq!(attr(m, "secure"), true);

    let mut c = SimpleCookie::new();
    c.load("eggs=scrambled; httponly=foo; secure=bar; Path=/bacon")
        .unwrap();
    let m = c.get("eggs").unwrap();
    assert!(m.httponly() && m.secure());
    assert_eq!(attr(m, "httponly"), "foo");
    assert_eq!(attr(m, "secure"), "bar");
}

#[test]
fn cpython_samesite() {
    for val in ["Strict", "Lax", "strict", "lax"] {
        let mut c: SimpleCookie = r#"Customer="WILE_E_COYOTE""#.parse().unwrap();
        c.get_mut("Customer")
            .unwrap()
            .set_attr("samesite", val)
            .unwrap();
        assert_eq!(
            c.to_string(),
            format!(r#"Set-Cookie: Customer="WILE_E_COYOTE"; SameSite={val}"#)
        );
        let mut c = SimpleCookie::new();
        c.load(&format!(r#"Customer="WILL_E_COYOTE"; SameSite={val}"#))
            .unwrap();
        assert_eq!(attr(c.get("Customer").unwrap(), "samesite"), val);
    }
}

#[test]
fn cpython_extra_spaces() {
    let mut c = SimpleCookie::new();
    c.load("eggs  =  scrambled  ;  secure  ;  path  =  bar   ; foo=foo   ")
        .unwrap();
    assert_eq!(
        c.to_string(),
        "Set-Cookie: eggs=scrambled; Path=bar; Secure\r\nSet-Cookie: foo=foo"
    );
}

#[test]
fn cpython_invalid_cookies_are_ignored() {
    let mut c = SimpleCookie::new();
    for s in [
        "]foo=x",
        "[foo=x",
        "blah]foo=x",
        "blah[foo=x",
        "Set-Cookie: foo=bar",
        "Set-Cookie: foo",
        "foo=bar; baz",
        "baz; foo=bar",
        "secure;foo=bar",
        "Version=1;foo=bar",
    ] {
        c.load(s).unwrap();
        assert!(c.is_empty(), "{s}");
        assert_eq!(c.to_string(), "");
    }
}

#[test]
fn cpython_round_trip_like_pickle() {
    let raw = r#"Customer="WILE_E_COYOTE"; Path=/acme; Version=1"#;
    let mut c = SimpleCookie::new();
    c.load(raw).unwrap();
    assert_eq!(c.to_string(), format!("Set-Cookie: {raw}"));
    let copy = c.clone();
    assert_eq!(copy, c);
    assert_eq!(copy.to_string(), format!("Set-Cookie: {raw}"));
}

#[test]
fn cpython_illegal_chars() {
    let mut c = SimpleCookie::new();
    let err = c.load("a=b; c,d=e").unwrap_err();
    assert_eq!(err, CookieError::InvalidKey { key: "c,d".into() });
    // As in Python, the cookie before the bad one has been applied.
    assert_eq!(c.to_string(), "Set-Cookie: a=b");
}

#[test]
fn cpython_comment_quoting() {
    let mut c = SimpleCookie::new();
    c.insert("foo", "\u{a9}").unwrap();
    assert_eq!(
        c.get("foo").unwrap().to_string(),
        r#"Set-Cookie: foo="\251""#
    );
    c.get_mut("foo")
        .unwrap()
        .set_attr("comment", "comment \u{a9}")
        .unwrap();
    assert_eq!(
        c.get("foo").unwrap().to_string(),
        r#"Set-Cookie: foo="\251"; Comment="comment \251""#
    );
}

#[test]
fn cpython_morsel_reserved_keys() {
    let mut m = Morsel::new("k", "v", "v").unwrap();
    for name in Morsel::RESERVED {
        assert!(Morsel::is_reserved_key(name));
        assert!(Morsel::is_reserved_key(&name.to_uppercase()));
        m.set_attr(name, format!("{name}_value")).unwrap();
    }
    for name in Morsel::RESERVED {
        assert_eq!(attr(&m, name), format!("{name}_value").as_str());
    }
    for bad in ["the", "holy", "hand", "grenade"] {
        assert_eq!(
            m.set_attr(bad, "x"),
            Err(CookieError::InvalidAttribute {
                attribute: bad.into()
            })
        );
    }
    assert_eq!(
        m.set_attr("Invalid", "x"),
        Err(CookieError::InvalidAttribute {
            attribute: "invalid".into()
        })
    );
}

#[test]
fn cpython_morsel_setter() {
    let mut m = Morsel::new("k", "v", "v").unwrap();
    for name in Morsel::RESERVED {
        assert_eq!(
            m.set(name, "x", "x"),
            Err(CookieError::InvalidKey { key: name.into() })
        );
    }
    for key in ["thou", "cast", "_the-", "!holy!", "^hand|", "+*grenade~"] {
        m.set_attr("path", "/foo").unwrap();
        m.set(key, format!("{key}_val"), format!("{key}_coded_val"))
            .unwrap();
        assert_eq!(m.key(), key);
        assert_eq!(m.value(), format!("{key}_val"));
        assert_eq!(m.coded_value(), format!("{key}_coded_val"));
        assert_eq!(
            m.output(None, "Set-Cookie:"),
            format!("Set-Cookie: {key}={key}_coded_val; Path=/foo")
        );
        assert_eq!(
            m.js_output(None),
            js(&format!("{key}={key}_coded_val; Path=/foo"))
        );
    }
    for bad in ["foo bar", "foo@bar"] {
        assert!(m.set(bad, "x", "x").is_err());
    }
}

#[test]
fn cpython_morsel_eq() {
    let attribs = [
        ("path", AttrValue::from("/")),
        ("comment", AttrValue::from("foo")),
        ("domain", AttrValue::from("example.com")),
        ("version", AttrValue::from(2)),
    ];
    let make = |k: &str, v: &str, c: &str| {
        let mut m = Morsel::new(k, v, c).unwrap();
        m.update(attribs.clone()).unwrap();
        m
    };
    let a = make("key", "value", "\"value\"");
    assert_eq!(a, make("key", "value", "\"value\""));
    for (k, v, c) in [
        ("key", "value", "mismatch"),
        ("key", "mismatch", "\"value\""),
        ("mismatch", "value", "\"value\""),
    ] {
        assert_ne!(a, make(k, v, c));
    }
    let mut b = make("key", "value", "\"value\"");
    b.set_attr("comment", "bar").unwrap();
    assert_ne!(a, b);
    // Python's ==: True == 1, "1" != 1.
    let mut b = a.clone();
    b.set_attr("version", true).unwrap();
    assert_ne!(a, b);
    b.set_attr("version", 2).unwrap();
    assert_eq!(a, b);
    b.set_attr("secure", true).unwrap();
    let mut c = a.clone();
    c.set_attr("secure", 1).unwrap();
    assert_eq!(b, c);
    c.set_attr("secure", "1").unwrap();
    assert_ne!(b, c);
}

#[test]
fn cpython_morsel_update_is_all_or_nothing() {
    let mut m = Morsel::new("k", "v", "v").unwrap();
    m.update([
        ("expires", AttrValue::from(1)),
        ("Version", AttrValue::from(2)),
        ("DOMAIN", AttrValue::from("example.com")),
    ])
    .unwrap();
    assert_eq!(attr(&m, "expires"), 1);
    assert_eq!(attr(&m, "version"), 2);
    assert_eq!(attr(&m, "domain"), "example.com");
    assert!(m.update([("path", "/x"), ("invalid", "value")]).is_err());
    assert!(attr(&m, "path").is_unset());
    assert!(m.get("invalid").is_none());
}

#[test]
fn cpython_morsel_repr_and_str() {
    let mut m = Morsel::new("key", "val", "coded_val").unwrap();
    assert_eq!(m.to_string(), "Set-Cookie: key=coded_val");
    m.update([
        ("path", AttrValue::from("/")),
        ("comment", AttrValue::from("foo")),
        ("domain", AttrValue::from("example.com")),
        ("max-age", AttrValue::from(0)),
        ("secure", AttrValue::from(0)),
        ("version", AttrValue::from(1)),
    ])
    .unwrap();
    assert_eq!(
        m.to_string(),
        "Set-Cookie: key=coded_val; Comment=foo; Domain=example.com; Max-Age=0; Path=/; Version=1"
    );
    m.set_attr("secure", true).unwrap();
    m.set_attr("httponly", 1).unwrap();
    assert_eq!(
        m.output_string(None),
        "key=coded_val; Comment=foo; Domain=example.com; HttpOnly; Max-Age=0; Path=/; Secure; \
         Version=1"
    );

    let mut m = Morsel::new("key", "val", "coded_val").unwrap();
    m.set_attr("expires", 0).unwrap();
    assert_eq!(
        m.output_at(None, "Set-Cookie:", fixed_now()),
        "Set-Cookie: key=coded_val; expires=Fri, 01 Jan 2010 00:00:00 GMT"
    );
    m.set_attr("expires", -86_400 * 365).unwrap();
    assert_eq!(
        m.output_string_at(None, fixed_now()),
        "key=coded_val; expires=Thu, 01 Jan 2009 00:00:00 GMT"
    );
}

#[test]
fn cpython_morsel_defaults() {
    let m = Morsel::new("k", "v", "c").unwrap();
    let names: Vec<&str> = m.attrs().map(|(n, _)| n).collect();
    assert_eq!(names, Morsel::RESERVED);
    assert!(m.attrs().all(|(_, v)| *v == ""));
}

// ---------------------------------------------------------------------------------------
// Python's formatting rules in detail, and what goes beyond Python 3.11.
// ---------------------------------------------------------------------------------------

#[test]
fn attribute_formatting_by_type() {
    let mut m = Morsel::new("a", "b", "b").unwrap();
    m.set_attr("path", AttrValue::None).unwrap(); // what `$Path` with no value stores
    m.set_attr("domain", false).unwrap();
    m.set_attr("max-age", "60").unwrap();
    m.set_attr("comment", 5).unwrap();
    m.set_attr("version", true).unwrap();
    assert_eq!(
        m.output_string(None),
        "a=b; Comment=5; Domain=False; Max-Age=60; Path=None; Version=True"
    );
    m.set_attr("max-age", true).unwrap();
    m.set_attr("expires", true).unwrap();
    assert_eq!(
        m.output_string_at(Some(&["max-age", "expires"]), fixed_now()),
        "a=b; expires=Fri, 01 Jan 2010 00:00:01 GMT; Max-Age=1"
    );
    // `attrs` names are matched exactly, lowercase, as in Python.
    assert_eq!(m.output_string(Some(&["Max-Age"])), "a=b");
}

#[test]
fn partitioned_flag() {
    // Python 3.14 added `partitioned`; it behaves as the other flags.
    let mut c = SimpleCookie::new();
    c.load("id=1; Secure; Partitioned; Path=/").unwrap();
    let m = c.get("id").unwrap();
    assert!(m.partitioned() && m.secure());
    assert_eq!(
        c.to_string(),
        "Set-Cookie: id=1; Partitioned; Path=/; Secure"
    );
    let mut m = Morsel::new("x", "y", "y").unwrap();
    m.set_partitioned(true);
    m.set_attr("samesite", "None").unwrap();
    assert_eq!(m.output_string(None), "x=y; Partitioned; SameSite=None");
    m.set_partitioned(false);
    assert_eq!(m.output_string(None), "x=y; SameSite=None");
}

#[test]
fn dollar_attributes() {
    let mut c = SimpleCookie::new();
    c.load(r#"$Version=1; a="b"; $Path="/x"; $Domain; $Secure"#)
        .unwrap();
    let m = c.get("a").unwrap();
    assert_eq!(attr(m, "path"), "\"/x\""); // `$` values are not unquoted
    assert_eq!(attr(m, "domain"), AttrValue::None);
    assert!(!m.secure());
    assert_eq!(
        c.to_string(),
        r#"Set-Cookie: a="b"; Domain=None; Path="/x""#
    );

    let mut c = SimpleCookie::new();
    let err = c.load("a=1; b=2; $Colour=red; c=3").unwrap_err();
    assert_eq!(
        err,
        CookieError::InvalidAttribute {
            attribute: "colour".into()
        }
    );
    assert_eq!(c.to_string(), "Set-Cookie: a=1\r\nSet-Cookie: b=2");
}

#[test]
fn reloading_keeps_attributes_and_order() {
    let mut c = SimpleCookie::new();
    c.load("b=1; Path=/p; a=2").unwrap();
    c.load("b=3").unwrap();
    assert_eq!(c.names().collect::<Vec<_>>(), ["b", "a"]);
    assert_eq!(c.to_string(), "Set-Cookie: a=2\r\nSet-Cookie: b=3; Path=/p");
    c.insert("b", "x y").unwrap();
    assert_eq!(
        c.get("b").unwrap().to_string(),
        "Set-Cookie: b=\"x y\"; Path=/p"
    );
}

#[test]
fn insert_morsel_and_remove() {
    let mut c = SimpleCookie::new();
    c.insert("a", 1).unwrap();
    c.insert("c", 3).unwrap();
    let m = Morsel::new("bee", "2", "2").unwrap();
    assert!(c.insert_morsel("b", m).is_none());
    assert_eq!(
        c.output(None, "Cookie:", "|"),
        "Cookie: a=1|Cookie: bee=2|Cookie: c=3"
    );
    assert_eq!(
        c.remove("a").map(|m| m.value().to_owned()),
        Some("1".into())
    );
    assert!(c.remove("a").is_none());
    assert_eq!(c.get("c").map(Morsel::value), Some("3"));
    assert_eq!((&c).into_iter().count(), 2);
    c.clear();
    assert!(c.is_empty());
}

#[test]
fn strict_mode() {
    let mut c = SimpleCookie::new();
    c.load_strict(" SID=31d4d96e407aad42; lang=en-US; q=\"x=y\"\t")
        .unwrap();
    assert_eq!(value(&c, "SID"), "31d4d96e407aad42");
    assert_eq!(value(&c, "q"), "x=y");
    assert_eq!(c.get("q").map(Morsel::coded_value), Some("\"x=y\""));

    let bad = [
        ("", "cookie-string"),
        ("a", "cookie-pair"),
        ("a=b;c=d", "separator"),
        ("a=b; ", "separator"),
        ("a=b;", "separator"),
        ("a b=c", "cookie-name"),
        ("=c", "cookie-name"),
        ("a,b=c", "cookie-name"),
        ("a=b c", "cookie-value"),
        ("a=\"b", "cookie-value"),
        ("a=b\\c", "cookie-value"),
        ("a=\u{e9}", "cookie-value"),
        ("a=\"b\"c\"", "cookie-value"),
        ("a=x\ny", "cookie-value"),
    ];
    for (input, what) in bad {
        let mut c = SimpleCookie::new();
        match c.load_strict(input) {
            Err(CookieError::Illegal { what: got, .. }) => assert_eq!(got, what, "{input:?}"),
            other => panic!("{input:?}: {other:?}"),
        }
        assert!(c.is_empty());
    }
    // All or nothing, and no reserved names.
    let mut c = SimpleCookie::new();
    assert_eq!(
        c.load_strict("a=1; Path=2"),
        Err(CookieError::InvalidKey { key: "Path".into() })
    );
    assert!(c.is_empty());
    c.load_strict("$Version=1").unwrap();
    assert_eq!(value(&c, "$Version"), "1");
}

#[test]
fn large_adversarial_inputs_load_in_linear_time() {
    let n = 200_000;
    let inputs = [
        format!("{}\"", "a=".repeat(n)),
        format!("a={}\"", " ".repeat(n)),
        format!("a=\"{}", "\\x".repeat(n)),
        "a=b ".repeat(n),
        "a=b; $Path=/; ".repeat(n / 2),
        format!("a={}", "[".repeat(n)),
        "Wed, 01 Jan 2010 00:00:00 GMT; ".repeat(n / 10),
        format!(
            "a=b; expires={}",
            "Wed, 01 Jan 2010 00:00:00 GMT".repeat(n / 10)
        ),
    ];
    let start = std::time::Instant::now();
    for input in &inputs {
        let mut c = SimpleCookie::new();
        let _ = c.load(input);
        let _ = c.load_strict(input);
        let _ = c.to_string();
    }
    // Generous even for a debug build on a slow machine; a quadratic parser takes hours.
    assert!(
        start.elapsed() < Duration::from_secs(60),
        "{:?}",
        start.elapsed()
    );

    let mut c = SimpleCookie::new();
    c.load(&"a=b ".repeat(n)).unwrap();
    assert_eq!(c.to_string(), "Set-Cookie: a=b");
    let many: String = (0..10_000).map(|i| format!("c{i}=v{i}; ")).collect();
    c.load(&many).unwrap();
    assert_eq!(c.len(), 10_001);
    assert_eq!(c.get("c9999").map(Morsel::value), Some("v9999"));
}

#[test]
fn quote_and_unquote() {
    assert!(is_legal_key("abc!#$%&'*+-.^_`|~:"));
    assert!(!is_legal_key("a b"));
    assert_eq!(quote("abc"), "abc");
    assert_eq!(quote("a b"), "\"a b\"");
    assert_eq!(quote("a\\b\"c"), r#""a\\b\"c""#);
    assert_eq!(
        quote("\n\t\u{7f}\u{80}\u{ff}\u{100}"),
        "\"\\012\\011\\177\\200\\377\u{100}\""
    );
    assert_eq!(unquote(r#""\101\\\"\q""#), "A\\\"q");
    assert_eq!(unquote(r#""\400""#), "400");
    assert_eq!(unquote("\"x"), "\"x");
}

// ---------------------------------------------------------------------------------------
// Differential test against python3's http.cookies.
// ---------------------------------------------------------------------------------------

/// Reads the cases as JSON on stdin, answers as JSON on stdout. `time.time` is frozen so
/// that `expires` given in seconds gives a known date.
const PYTHON_HARNESS: &str = r#"
import ast, json, sys, time
from http import cookies

PREFIXES = {"Illegal key ": "key", "Attempt to set a reserved key ": "key",
            "Invalid attribute ": "attribute"}

def describe(e):
    msg = str(e)
    for prefix, kind in PREFIXES.items():
        if msg.startswith(prefix):
            return [kind, ast.literal_eval(msg[len(prefix):])]
    return ["other", msg]

cases = json.loads(sys.stdin.buffer.read().decode("utf-8"))
time.time = lambda: float(cases["now"])

def typed(v):
    if v is None: return {"t": "none"}
    if isinstance(v, bool): return {"t": "bool", "v": v}
    if isinstance(v, int): return {"t": "int", "v": v}
    return {"t": "str", "v": v}

def untyped(d):
    return None if d["t"] == "none" else d["v"]

def state(c, error):
    return {
        "error": error,
        "output": c.output(),
        "output_path": c.output(attrs=["path"], header="Cookie:", sep="|"),
        "js": c.js_output(),
        "morsels": [[k, m.key, m.value, m.coded_value,
                     [[a, typed(m[a])] for a in sorted(m)]] for k, m in c.items()],
    }

def load(cls, s):
    c = cls()
    error = None
    try:
        c.load(s)
    except cookies.CookieError as e:
        error = describe(e)
    return state(c, error)

out = {"loads": [], "inserts": [], "quotes": [], "morsels": []}
for s in cases["loads"]:
    out["loads"].append({"simple": load(cookies.SimpleCookie, s),
                         "base": load(cookies.BaseCookie, s)})
for name, value in cases["inserts"]:
    c = cookies.SimpleCookie()
    error = None
    try:
        c[name] = value
    except cookies.CookieError as e:
        error = describe(e)
    out["inserts"].append(state(c, error))
for s in cases["quotes"]:
    out["quotes"].append([cookies._quote(s), cookies._unquote(s)])
for case in cases["morsels"]:
    m = cookies.Morsel()
    m.set(case["key"], case["value"], case["coded"])
    error = None
    try:
        for a, v in case["attrs"]:
            m[a] = untyped(v)
    except cookies.CookieError as e:
        error = describe(e)
    out["morsels"].append({
        "error": error,
        "output": m.output(),
        "output_some": m.output(attrs=case["only"], header=case["header"]),
        "js": m.js_output(),
    })
sys.stdout.buffer.write(json.dumps(out).encode("utf-8"))
"#;

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

fn tricky_loads() -> Vec<String> {
    let fixed = [
        "",
        " ",
        ";",
        "a",
        "a=",
        "a=;",
        "a= ;b=c",
        "a= \"x",
        "a=\"x",
        "a=\"x\\\"",
        "a=\"x\\\ny\"",
        "a=\"\\q\\\\\\101\\400\"",
        "a=b c=d",
        "a=b;c=d",
        "a=b ; c = d ;",
        "a=b=c=d",
        "a==b",
        "=a",
        "a=b; =c",
        "a=b,c=d",
        "a=b, c=d",
        "a,b=c",
        "a/b=c",
        "a=[b]; c=]",
        "[a=b",
        "a=b; Path=/; Domain=example.com; Max-Age=10; Expires=Wed, 01 Jan 2010 00:00:00 GMT",
        "a=b; expires=Wed, 01-Jan-2010 00:00:00 GMT; path=/",
        "a=b; expires=Wednesday, 01-Jan-10 00:00:00 GMT",
        "a=Wed, 01 Jan 2010 00:00:00 GMT",
        "a=b; expires=Wed, 01 Jan 2010 00:00:00 GMTx",
        "a=b; expires=Wed, 01 Jan 2010 00:00:00 GMT;c=d",
        "a=b; expires=Sat, 1 Jan 2010 00:00:00 GMT",
        "a=b; expires=Wed,  01 Jan 2010  00:00:00 GMT",
        "a=b; secure; httponly",
        "a=b; Secure=; HttpOnly=\"\"",
        "a=b; secure=0",
        "a=b; path",
        "a=b; comment=\"hi there\"",
        "a=b; Comment=x; version=1; samesite=Lax",
        "$Version=1; a=b; $Path=/; $Domain=example.com",
        "$Version=\"1\"; a=\"b\"; $Path=\"/\"",
        "a=b; $Path",
        "a=b; $Secure; $HttpOnly=1",
        "a=b; $Foo=bar",
        "a=b; $=x",
        "a=b; $",
        "$a=b",
        "Path=/; a=b",
        "a=b; c; d=e",
        "a=b\tc=d",
        "a=b\nc=d",
        "a=b\n",
        "a=b\r\n",
        "a=b\x0bc=d\x0c",
        "a=b\x00c=d",
        "a=b;\u{a0}c=d",
        "a=\u{e9}",
        "a=\"\u{e9}\u{20ac}\u{1f600}\"; b=c",
        "\u{e9}=a",
        "a=\"\"",
        "a=\"\\",
        "a=\"\\012\\015\\000\"",
        "keebler=\"E=everybody; L=\\\"Loves\\\"; fudge=\\012;\";",
        "Customer=\"WILE_E_COYOTE\"; Version=1; Path=/acme",
        "a=b; Path=\"/a;b\"",
        "a=b;;;c=d",
        "a=b;  ;c=d",
        "a=b ;;",
        "a=b c",
        "a=b \"c\"",
        "a=(b)",
        "a={b}?",
        "a=b; SECURE",
        "a=1; b=2; a=3",
        "a=1; Path=/x; a=2; Domain=d",
        "a.b=1; a-b=2; a_b=3; a:b=4; a~b=5",
        "a@b=1",
        "a=b;c",
        "x=\"a\"b\"",
        "x=\"a\" \"b\"",
        "x=\"a\"\"b\"",
        "x=\"a\";y=\"b",
    ];
    let mut out: Vec<String> = fixed.iter().map(|s| (*s).to_owned()).collect();

    let tokens = [
        "a",
        "b",
        "c",
        "=",
        "=",
        ";",
        "; ",
        " ",
        "  ",
        "\t",
        "\n",
        "\"",
        "\\",
        "\\\"",
        "\\012",
        ",",
        "$",
        "$Path",
        "$x=1",
        "$Max-Age=5",
        "$secure",
        "Path",
        "path",
        "=/",
        "secure",
        "HttpOnly",
        "Version",
        "version=1",
        "max-age",
        "expires",
        "Expires=",
        "Wed, 01 Jan 2010 00:00:00 GMT",
        "Wed, 01-Jan-2010 00:00:00 GMT",
        "comment",
        "samesite=Lax",
        "domain",
        "[",
        "]",
        "(",
        "@",
        "/",
        "?",
        ":",
        "{",
        "\u{e9}",
        "\u{20ac}",
        "\u{1f600}",
        "\x00",
        "\x7f",
        "\r",
        "x=\"y\"",
        "k=v",
        "GMT",
        "01",
        "00:00:00",
        "-",
    ];
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..3000 {
        let len = 1 + rng.below(10);
        let s: String = (0..len).map(|_| rng.pick(&tokens)).collect();
        out.push(s);
    }
    // Character by character, from the characters that steer the pattern.
    let chars = [
        "a", "b", "=", ";", " ", "\t", "\"", "\\", ",", "$", "[", "W", "1", ":", "-", "\n",
        "\u{e9}",
    ];
    for _ in 0..3000 {
        let len = 1 + rng.below(14);
        let s: String = (0..len).map(|_| rng.pick(&chars)).collect();
        out.push(s);
    }
    out
}

fn tricky_inserts() -> Vec<(String, String)> {
    let names = [
        "a",
        "Path",
        "PATH",
        "max-age",
        "a b",
        "a,b",
        "",
        "$x",
        "a:b",
        "\u{e9}",
        "a=b",
        "a\"b",
        "partition",
        "~!#$%&'*+-.^_`|:",
    ];
    let values = [
        "",
        "plain",
        "two words",
        "a;b,c",
        "q\"uote",
        "back\\slash",
        "\n\r\t\x00\x7f",
        "\u{80}\u{a9}\u{ff}",
        "\u{100}\u{20ac}\u{1f600}",
        "()/<=>?@[]{}",
        "\\012",
        "\"x\"",
    ];
    let mut out = Vec::new();
    for n in names {
        for v in values {
            out.push((n.to_owned(), v.to_owned()));
        }
    }
    out
}

fn tricky_quotes() -> Vec<String> {
    let mut out: Vec<String> = [
        "",
        "\"",
        "\"\"",
        "\"a",
        "a\"",
        "\"\\\"",
        "\"\\012\"",
        "\"\\400\"",
        "\"\\39\"",
        "\"\\\\012\"",
        "\"a\\\nb\"",
        "\"\\\u{e9}\"",
        "\"\u{e9}\"",
        "plain",
        "two words",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    let pieces = [
        "\"", "\\", "0", "1", "3", "4", "7", "8", "a", " ", "\n", ";", ",", "\u{e9}", "\u{263a}",
        "\x01",
    ];
    let mut rng = Rng(42);
    for _ in 0..2000 {
        let len = rng.below(9);
        let body: String = (0..len).map(|_| rng.pick(&pieces)).collect();
        out.push(if rng.below(2) == 0 {
            format!("\"{body}\"")
        } else {
            body
        });
    }
    out
}

/// (key, value, coded, attrs as [name, typed JSON], only, header).
fn tricky_morsels() -> Vec<serde_json::Value> {
    use serde_json::json;
    let s = |v: &str| json!({"t": "str", "v": v});
    let i = |v: i64| json!({"t": "int", "v": v});
    let b = |v: bool| json!({"t": "bool", "v": v});
    let none = json!({"t": "none"});
    vec![
        json!({"key": "k", "value": "v", "coded": "v", "attrs": [], "only": [], "header": "Cookie:"}),
        json!({"key": "k", "value": "v", "coded": "\"v\"", "attrs": [
            ["Path", s("/")], ["DOMAIN", s(".example.com")], ["max-age", i(3600)],
            ["expires", i(86400)], ["secure", b(true)], ["httponly", i(1)],
            ["comment", s("a \"comment\"; with\u{e9}")], ["version", i(1)], ["samesite", s("Strict")]
        ], "only": ["path", "expires", "secure"], "header": "Set-Cookie2:"}),
        json!({"key": "k", "value": "v", "coded": "v", "attrs": [
            ["expires", i(-1_262_304_001)], ["max-age", b(true)], ["secure", s("")], ["httponly", b(false)],
            ["path", none.clone()], ["domain", b(false)], ["comment", i(7)], ["version", s("2")]
        ], "only": ["max-age", "domain", "comment"], "header": ""}),
        json!({"key": "k", "value": "v", "coded": "v", "attrs": [
            ["expires", s("Wed, 01 Jan 2010 00:00:00 GMT")], ["max-age", s("x")], ["secure", none.clone()],
            ["httponly", s("no")], ["comment", none], ["samesite", i(0)]
        ], "only": ["secure", "httponly"], "header": "X:"}),
        json!({"key": "k", "value": "v", "coded": "v", "attrs": [
            ["path", s("/")], ["colour", s("red")], ["domain", s("x")]
        ], "only": ["path", "domain"], "header": "H"}),
        json!({"key": "k", "value": "v", "coded": "v", "attrs": [
            ["expires", i(0)], ["max-age", i(-5)], ["secure", i(0)], ["httponly", i(-1)]
        ], "only": ["expires", "Max-Age", "max-age"], "header": "Set-Cookie:"}),
    ]
}

fn typed_json(v: &AttrValue) -> serde_json::Value {
    use serde_json::json;
    match v {
        AttrValue::None => json!({"t": "none"}),
        AttrValue::Bool(b) => json!({"t": "bool", "v": b}),
        AttrValue::Int(n) => json!({"t": "int", "v": n}),
        AttrValue::Str(s) => json!({"t": "str", "v": s}),
    }
}

fn from_typed(v: &serde_json::Value) -> AttrValue {
    match v["t"].as_str() {
        Some("none") => AttrValue::None,
        Some("bool") => AttrValue::Bool(v["v"].as_bool().expect("bool")),
        Some("int") => AttrValue::Int(v["v"].as_i64().expect("int")),
        _ => AttrValue::Str(v["v"].as_str().expect("str").to_owned()),
    }
}

/// The error as the harness describes Python's: kind and offending name.
fn describe(e: CookieError) -> serde_json::Value {
    match e {
        CookieError::InvalidKey { key } => serde_json::json!(["key", key]),
        CookieError::InvalidAttribute { attribute } => serde_json::json!(["attribute", attribute]),
        other => serde_json::json!(["other", other.to_string()]),
    }
}

fn state<C: ValueCodec>(c: &BaseCookie<C>, error: Option<CookieError>) -> serde_json::Value {
    let now = fixed_now();
    serde_json::json!({
        "error": error.map(describe),
        "output": c.output_at(None, "Set-Cookie:", "\r\n", now),
        "output_path": c.output_at(Some(&["path"]), "Cookie:", "|", now),
        "js": c.js_output_at(None, now),
        "morsels": c.iter().map(|(k, m)| serde_json::json!([
            k, m.key(), m.value(), m.coded_value(),
            m.attrs()
                .filter(|(name, _)| *name != "partitioned")
                .map(|(name, v)| serde_json::json!([name, typed_json(v)]))
                .collect::<Vec<_>>()
        ])).collect::<Vec<_>>(),
    })
}

fn rust_load<C: ValueCodec + Default>(s: &str) -> serde_json::Value {
    let mut c: BaseCookie<C> = BaseCookie::new();
    let error = c.load(s).err();
    state(&c, error)
}

#[test]
fn differential_against_python() {
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    let probe = std::process::Command::new(&python)
        .args(["-c", "import http.cookies"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("skipping differential_against_python: no {python} with http.cookies");
        return;
    }

    let loads = tricky_loads();
    let inserts = tricky_inserts();
    let quotes = tricky_quotes();
    let morsels = tricky_morsels();
    let now = fixed_now().duration_since(UNIX_EPOCH).unwrap().as_secs();
    let input = serde_json::json!({
        "now": now, "loads": loads, "inserts": inserts, "quotes": quotes, "morsels": morsels,
    });

    let mut child = std::process::Command::new(&python)
        .args(["-c", PYTHON_HARNESS])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(input.to_string().as_bytes()).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "python failed");
    let py: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();

    let mut failures = Vec::new();
    for (k, s) in loads.iter().enumerate() {
        let expected = &py["loads"][k];
        let simple = rust_load::<StrCodec>(s);
        let base = rust_load::<RawCodec>(s);
        if simple != expected["simple"] {
            failures.push(format!(
                "SimpleCookie.load({s:?})\n  python: {}\n  rust:   {simple}",
                expected["simple"]
            ));
        }
        if base != expected["base"] {
            failures.push(format!(
                "BaseCookie.load({s:?})\n  python: {}\n  rust:   {base}",
                expected["base"]
            ));
        }
    }
    for (k, (name, v)) in inserts.iter().enumerate() {
        let mut c = SimpleCookie::new();
        let error = c.insert(name, v).err();
        let ours = state(&c, error);
        if ours != py["inserts"][k] {
            failures.push(format!(
                "C[{name:?}] = {v:?}\n  python: {}\n  rust:   {ours}",
                py["inserts"][k]
            ));
        }
    }
    for (k, s) in quotes.iter().enumerate() {
        let ours = serde_json::json!([quote(s), unquote(s)]);
        if ours != py["quotes"][k] {
            failures.push(format!(
                "_quote/_unquote({s:?})\n  python: {}\n  rust:   {ours}",
                py["quotes"][k]
            ));
        }
    }
    for (k, case) in morsels.iter().enumerate() {
        let mut m = Morsel::new(
            case["key"].as_str().unwrap(),
            case["value"].as_str().unwrap(),
            case["coded"].as_str().unwrap(),
        )
        .unwrap();
        let mut error = None;
        for pair in case["attrs"].as_array().unwrap() {
            if let Err(e) = m.set_attr(pair[0].as_str().unwrap(), from_typed(&pair[1])) {
                error = Some(e);
                break;
            }
        }
        let only: Vec<&str> = case["only"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        let ours = serde_json::json!({
            "error": error.map(describe),
            "output": m.output_at(None, "Set-Cookie:", fixed_now()),
            "output_some": m.output_at(Some(&only), case["header"].as_str().unwrap(), fixed_now()),
            "js": m.js_output_at(None, fixed_now()),
        });
        if ours != py["morsels"][k] {
            failures.push(format!(
                "morsel {case}\n  python: {}\n  rust:   {ours}",
                py["morsels"][k]
            ));
        }
    }
    let total = 2 * loads.len() + inserts.len() + quotes.len() + morsels.len();
    assert!(
        failures.is_empty(),
        "{} of {total} cases differ from Python:\n{}",
        failures.len(),
        failures
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

// ---------------------------------------------------------------------------------------
// Properties.
// ---------------------------------------------------------------------------------------

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn cookieish() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof![
                "[a-z=; \"\\\\,$\\[\\]\t\n]{1,4}",
                Just("Path".to_owned()),
                Just("secure".to_owned()),
                Just("$Path".to_owned()),
                Just("expires=Wed, 01 Jan 2010 00:00:00 GMT".to_owned()),
                any::<String>(),
            ],
            0..12,
        )
        .prop_map(|parts| parts.concat())
    }

    proptest! {
        #[test]
        fn load_never_panics(s in cookieish()) {
            let mut simple = SimpleCookie::new();
            let _ = simple.load(&s);
            let _ = simple.to_string();
            let _ = simple.js_output(None);
            let mut base: BaseCookie = BaseCookie::new();
            let _ = base.load(&s);
            let _ = base.load_strict(&s);
            let _ = simple.load_strict(&s);
        }

        #[test]
        fn load_any_string_never_panics(s in any::<String>()) {
            let mut c = SimpleCookie::new();
            let _ = c.load(&s);
            let _ = c.load_strict(&s);
        }

        #[test]
        fn quote_unquote_round_trip(s in any::<String>()) {
            let quoted = quote(&s);
            prop_assert_eq!(unquote(&quoted), s.as_str());
        }

        #[test]
        fn output_then_load_round_trips(
            cookies in prop::collection::btree_map("[A-Za-z0-9!#%&'*+.^_`|~:-]{1,8}", any::<String>(), 1..5)
        ) {
            let mut c = SimpleCookie::new();
            for (name, v) in &cookies {
                if c.insert(name, v).is_err() {
                    prop_assert!(Morsel::is_reserved_key(name));
                }
            }
            let header = c.output(None, "", "; ");
            let header = header.trim_start();
            let mut back = SimpleCookie::new();
            back.load(header).unwrap();
            prop_assert_eq!(&back, &c);
        }

        #[test]
        fn strict_accepts_what_it_should(
            cookies in prop::collection::vec(
                ("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,8}", r"[!#-+\--:<-\[\]-~]{0,8}", any::<bool>()),
                1..5,
            )
        ) {
            let raw = cookies
                .iter()
                .map(|(n, v, q)| if *q { format!("{n}=\"{v}\"") } else { format!("{n}={v}") })
                .collect::<Vec<_>>()
                .join("; ");
            let mut c = SimpleCookie::new();
            match c.load_strict(&raw) {
                Ok(()) => {
                    let expected: std::collections::HashMap<&str, &str> =
                        cookies.iter().map(|(n, v, _)| (n.as_str(), v.as_str())).collect();
                    for (n, v) in expected {
                        prop_assert_eq!(c.get(n).map(Morsel::value), Some(v));
                    }
                }
                Err(CookieError::InvalidKey { key }) => prop_assert!(Morsel::is_reserved_key(&key)),
                Err(e) => prop_assert!(false, "{raw:?}: {e}"),
            }
        }
    }
}
