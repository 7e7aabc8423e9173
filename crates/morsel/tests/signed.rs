//! Signed and marshal cookies: what verifies, what is refused and why, key rotation, and that
//! a marshal cookie's payload reaches the deserializer only once its signature checks out.

use std::cell::Cell;
use std::collections::BTreeMap;

use http::{HeaderMap, HeaderValue};
use morsel::CookieError;
use morsel::headers::{
    add_marshal_cookie, add_signed_cookie, get_marshal_cookie, get_marshal_cookies,
    get_signed_cookie, get_signed_cookies,
};
use morsel::modpython::Cookie;
use morsel::signed::{MarshalCookie, SignedCookie, SigningKeys, sign_value, verify_value};
use proptest::prelude::*;
use serde::{Deserialize, Deserializer, Serialize};

fn keys(list: &[&str]) -> SigningKeys {
    SigningKeys::new(list).expect("non-empty test keys")
}

fn bad_signature(name: &str) -> CookieError {
    CookieError::BadSignature { name: name.into() }
}

fn is_malformed<T: std::fmt::Debug>(r: &Result<T, CookieError>) -> bool {
    matches!(r, Err(CookieError::Malformed { .. }))
}

/// The `name=value` part of a `Set-Cookie` value, as a browser would send it back.
fn echo(set_cookie: &Cookie) -> String {
    format!("{}={}", set_cookie.name, set_cookie.value)
}

fn request(cookie: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.append(
        "cookie",
        HeaderValue::from_str(cookie).expect("test header"),
    );
    headers
}

// ---------------------------------------------------------------------------------------------
// SignedCookie
// ---------------------------------------------------------------------------------------------

#[test]
fn signed_round_trip_keeps_attributes() {
    let k = keys(&["secret"]);
    let mut c = SignedCookie::new("user", "alice");
    c.cookie_mut().path = Some("/".into());
    c.cookie_mut().httponly = true;
    let sent = c.sign(&k);
    assert_eq!(sent.name, "user");
    assert_eq!(sent.path.as_deref(), Some("/"));
    assert!(sent.httponly);
    let (sig, value) = sent.value.split_once('.').unwrap();
    assert_eq!(sig.len(), 43);
    assert!(
        sig.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    );
    assert_eq!(value, "alice");
    assert!(sent.to_string().ends_with(".alice; path=/; httponly"));

    let back = SignedCookie::verify(&sent, &k).unwrap();
    assert_eq!(back.value(), "alice");
    assert_eq!(back.name(), "user");
    assert_eq!(back.into_cookie(), c.into_cookie());
}

#[test]
fn signing_is_deterministic() {
    let k = keys(&["secret"]);
    assert_eq!(sign_value("a", "b", &k), sign_value("a", "b", &k));
    assert_ne!(sign_value("a", "b", &k), sign_value("a", "c", &k));
}

#[test]
fn unsafe_values_are_quoted_and_survive_a_cookie_header() {
    let k = keys(&["secret"]);
    let value = "a b; c=\"d\"\\ \u{e9} \u{20ac}\n";
    let sent = SignedCookie::new("note", value).sign(&k);
    assert!(sent.value.starts_with('"') && sent.value.ends_with('"'));
    assert!(!sent.value.contains(';'));
    let header = format!("other=1; {}; last=2", echo(&sent));
    let cookies = SignedCookie::parse_valid(&header, &k);
    assert_eq!(cookies.names().collect::<Vec<_>>(), ["note"]);
    assert_eq!(cookies.get("note").map(SignedCookie::value), Some(value));
}

#[test]
fn tampered_value_is_refused() {
    let k = keys(&["secret"]);
    let sent = sign_value("user", "alice", &k);
    for forged in [
        sent.replace("alice", "admin"),
        sent.replace("alice", "alicf"),
        format!("{sent}x"),
        sent.replace("alice", ""),
    ] {
        assert_eq!(
            verify_value("user", &forged, &k),
            Err(bad_signature("user"))
        );
    }
}

#[test]
fn tampered_signature_is_refused() {
    let k = keys(&["secret"]);
    let sent = sign_value("user", "alice", &k);
    for i in 0..42 {
        let mut bytes = sent.clone().into_bytes();
        bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
        let forged = String::from_utf8(bytes).unwrap();
        assert_eq!(
            verify_value("user", &forged, &k),
            Err(bad_signature("user")),
            "{i}"
        );
    }
    // The 43rd character carries 4 bits of padding: changing it either changes the signature
    // or makes the base64 non-canonical; both are refused.
    let mut bytes = sent.into_bytes();
    bytes[42] = if bytes[42] == b'A' { b'B' } else { b'A' };
    assert!(verify_value("user", &String::from_utf8(bytes).unwrap(), &k).is_err());
}

#[test]
fn truncated_is_refused() {
    let k = keys(&["secret"]);
    let sent = sign_value("user", "alice", &k);
    for len in 0..sent.len() {
        let cut = &sent[..len];
        let r = verify_value("user", cut, &k);
        if len >= 44 {
            // Signature intact, value shortened.
            assert_eq!(r, Err(bad_signature("user")), "{cut:?}");
        } else {
            assert!(is_malformed(&r), "{cut:?}: {r:?}");
        }
    }
    // Missing the '.', or the signature alone.
    assert!(is_malformed(&verify_value("user", "alice", &k)));
    assert!(is_malformed(&verify_value(
        "user",
        &sent.replace('.', ""),
        &k
    )));
    assert!(is_malformed(&verify_value("user", "", &k)));
    assert!(is_malformed(&verify_value("user", "\"", &k)));
}

#[test]
fn signed_with_a_key_not_in_the_list_is_refused() {
    let sent = sign_value("user", "alice", &keys(&["attacker"]));
    let k = keys(&["secret", "older secret"]);
    assert_eq!(verify_value("user", &sent, &k), Err(bad_signature("user")));
    // Keys are bytes, compared exactly.
    let sent = sign_value("user", "alice", &keys(&["Secret"]));
    assert_eq!(verify_value("user", &sent, &k), Err(bad_signature("user")));
}

#[test]
fn key_rotation_signs_with_the_first_and_accepts_any() {
    let old = keys(&["2023"]);
    let rotated = keys(&["2024", "2023"]);
    let new_only = keys(&["2024"]);

    // A cookie signed before the rotation is still accepted ...
    let before = sign_value("session", "s1", &old);
    assert_eq!(verify_value("session", &before, &rotated).unwrap(), "s1");
    // ... new cookies are signed with the new key ...
    let after = sign_value("session", "s1", &rotated);
    assert_eq!(after, sign_value("session", "s1", &new_only));
    assert_ne!(after, before);
    assert_eq!(verify_value("session", &after, &new_only).unwrap(), "s1");
    assert_eq!(
        verify_value("session", &after, &old),
        Err(bad_signature("session"))
    );
    // ... and once the old key is dropped, old cookies are refused.
    assert_eq!(
        verify_value("session", &before, &new_only),
        Err(bad_signature("session"))
    );
    // Order matters for signing only.
    let reversed = keys(&["2023", "2024"]);
    assert_eq!(verify_value("session", &after, &reversed).unwrap(), "s1");
    assert_eq!(sign_value("session", "s1", &reversed), before);
}

#[test]
fn signing_keys_must_be_non_empty() {
    assert!(SigningKeys::new(Vec::<Vec<u8>>::new()).is_none());
    assert!(SigningKeys::new(["ok", ""]).is_none());
    assert!(SigningKeys::single("").is_none());
    assert_eq!(
        SigningKeys::new([b"\x00\xff".as_slice()]).map(|k| k.count()),
        Some(1)
    );
    assert_eq!(
        format!("{:?}", keys(&["a", "b"])),
        "SigningKeys { keys: 2 }"
    );
}

#[test]
fn a_signature_is_bound_to_the_cookie_name() {
    let k = keys(&["secret"]);
    let sent = sign_value("role", "user", &k);
    assert_eq!(
        verify_value("role2", &sent, &k),
        Err(bad_signature("role2"))
    );
    // mod_python signs name + value concatenated, so ("ab", "c") and ("a", "bc") share a MAC;
    // here the name's length is part of the message.
    let ab_c = sign_value("ab", "c", &k);
    let a_bc = sign_value("a", "bc", &k);
    assert_ne!(
        ab_c.split_once('.').unwrap().0,
        a_bc.split_once('.').unwrap().0
    );
}

#[test]
fn signed_parse_fails_on_the_first_bad_cookie_parse_valid_drops_them() {
    let k = keys(&["secret"]);
    let good = SignedCookie::new("a", "1").sign(&k);
    let forged = sign_value("b", "2", &k).replace(".2", ".3");
    let header = format!("{}; b={forged}; plain=x; $Path=/", echo(&good));
    assert_eq!(SignedCookie::parse(&header, &k), Err(bad_signature("b")));
    let valid = SignedCookie::parse_valid(&header, &k);
    assert_eq!(valid.names().collect::<Vec<_>>(), ["a"]);
    let only_good = SignedCookie::parse(&echo(&good), &k).unwrap();
    assert_eq!(only_good.get("a").map(SignedCookie::value), Some("1"));
}

// ---------------------------------------------------------------------------------------------
// MarshalCookie
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Cart {
    owner: String,
    items: Vec<(String, u32)>,
    coupon: Option<String>,
}

fn cart() -> Cart {
    Cart {
        owner: "alice; \"admin\"".into(),
        items: vec![("spam".into(), 3), ("eggs".into(), 12)],
        coupon: None,
    }
}

#[test]
fn marshal_round_trip() {
    let k = keys(&["secret007"]);
    let mut mc = MarshalCookie::new("cart", cart());
    mc.attributes_mut().path = Some("/shop".into());
    mc.attributes_mut().max_age = Some(600);
    let sent = mc.sign(&k).unwrap();
    // base64url after the signature: never quoted, nothing to escape.
    assert!(
        sent.value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
    );
    assert!(sent.to_string().ends_with("; path=/shop; max_age=600"));

    let back = MarshalCookie::<Cart>::verify(&sent, &k).unwrap();
    assert_eq!(back.value(), &cart());
    assert_eq!(back.name(), "cart");
    assert_eq!(back.attributes().path.as_deref(), Some("/shop"));

    let parsed = MarshalCookie::<Cart>::parse(&echo(&sent), &k).unwrap();
    assert_eq!(parsed.get("cart").map(|c| c.value().clone()), Some(cart()));
}

#[test]
fn marshal_refuses_tampering() {
    let k = keys(&["secret"]);
    let sent = MarshalCookie::new("n", vec![1u8, 2, 3]).sign(&k).unwrap();
    let (sig, payload) = sent.value.split_once('.').unwrap();

    let mut forged = sent.clone();
    // [1,2,4] in base64url JSON.
    forged.value = format!("{sig}.WzEsMiw0XQ");
    assert_eq!(
        MarshalCookie::<Vec<u8>>::verify(&forged, &k).err(),
        Some(bad_signature("n"))
    );

    forged.value = format!("{sig}.{}", &payload[..payload.len() - 1]);
    assert_eq!(
        MarshalCookie::<Vec<u8>>::verify(&forged, &k).err(),
        Some(bad_signature("n"))
    );

    forged.value = sig.to_owned();
    assert!(is_malformed(&MarshalCookie::<Vec<u8>>::verify(&forged, &k)));

    let rekeyed = MarshalCookie::new("n", vec![1u8])
        .sign(&keys(&["other"]))
        .unwrap();
    assert_eq!(
        MarshalCookie::<Vec<u8>>::verify(&rekeyed, &k).err(),
        Some(bad_signature("n"))
    );

    let renamed = Cookie::new("m", sent.value.clone());
    assert_eq!(
        MarshalCookie::<Vec<u8>>::verify(&renamed, &k).err(),
        Some(bad_signature("m"))
    );
}

#[test]
fn signed_and_marshal_signatures_do_not_mix() {
    let k = keys(&["secret"]);
    // A SignedCookie whose (perhaps user-chosen) value is a valid payload ...
    let payload = "eyJhZG1pbiI6dHJ1ZX0"; // {"admin":true}
    let signed = SignedCookie::new("prefs", payload).sign(&k);
    assert_eq!(
        MarshalCookie::<serde_json::Value>::verify(&signed, &k).err(),
        Some(bad_signature("prefs"))
    );
    // ... and the other way round.
    let marshal = MarshalCookie::new("prefs", 1).sign(&k).unwrap();
    assert_eq!(
        SignedCookie::verify(&marshal, &k),
        Err(bad_signature("prefs"))
    );
}

#[test]
fn marshal_of_the_wrong_type_is_a_serde_error() {
    let k = keys(&["secret"]);
    let sent = MarshalCookie::new("n", "text").sign(&k).unwrap();
    assert!(matches!(
        MarshalCookie::<u32>::verify(&sent, &k),
        Err(CookieError::Serde { name, .. }) if name == "n"
    ));
    // Values serde_json cannot write are a Serde error on signing.
    let map = BTreeMap::from([((1, 2), 3)]);
    assert!(matches!(
        MarshalCookie::new("m", map).sign(&k),
        Err(CookieError::Serde { .. })
    ));
}

thread_local! {
    static DESERIALIZE_CALLS: Cell<usize> = const { Cell::new(0) };
}

/// Records every call to its deserializer.
#[derive(Debug, Serialize)]
struct Tripwire(u32);

impl<'de> Deserialize<'de> for Tripwire {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        DESERIALIZE_CALLS.with(|c| c.set(c.get() + 1));
        u32::deserialize(d).map(Tripwire)
    }
}

fn deserialize_calls() -> usize {
    DESERIALIZE_CALLS.with(Cell::get)
}

#[test]
fn a_bad_signature_never_reaches_the_deserializer() {
    let k = keys(&["secret"]);
    let sent = MarshalCookie::new("t", Tripwire(7)).sign(&k).unwrap();
    let (sig, _) = sent.value.split_once('.').unwrap();
    let start = deserialize_calls();

    let forgeries = [
        // Valid JSON (8), valid base64url, wrong signature.
        format!("{sig}.OA"),
        // Signed with a key not in the list.
        MarshalCookie::new("t", Tripwire(8))
            .sign(&keys(&["evil"]))
            .unwrap()
            .value,
        // A signature of the right shape, all zeros.
        format!("{}.Nw", "A".repeat(43)),
        // No signature at all.
        "Nw".to_owned(),
    ];
    for value in &forgeries {
        let forged = Cookie::new("t", value.clone());
        assert!(MarshalCookie::<Tripwire>::verify(&forged, &k).is_err());
        let header = echo(&forged);
        assert!(MarshalCookie::<Tripwire>::parse(&header, &k).is_err());
        assert!(MarshalCookie::<Tripwire>::parse_valid(&header, &k).is_empty());
        let req = request(&header);
        assert!(get_marshal_cookie::<Tripwire>(&req, "t", &k).is_err());
        assert!(get_marshal_cookies::<Tripwire>(&req, &k).is_empty());
    }
    assert_eq!(deserialize_calls(), start, "forged data was deserialized");

    // The tripwire does fire for a correctly signed cookie.
    let back = MarshalCookie::<Tripwire>::verify(&sent, &k).unwrap();
    assert_eq!(back.value().0, 7);
    assert_eq!(deserialize_calls(), start + 1);
}

// ---------------------------------------------------------------------------------------------
// Over http headers
// ---------------------------------------------------------------------------------------------

#[test]
fn headers_signed_helpers() {
    let k = keys(&["new", "old"]);
    let mut response = HeaderMap::new();
    add_signed_cookie(&mut response, &SignedCookie::new("user", "alice"), &k).unwrap();
    add_marshal_cookie(&mut response, &MarshalCookie::new("visits", 3u64), &k).unwrap();
    let set: Vec<&str> = response
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    assert_eq!(set.len(), 2);

    let forged_user = sign_value("admin", "yes", &keys(&["guess"]));
    let header = format!("{}; {}; admin={forged_user}; theme=dark", set[0], set[1]);
    let req = request(&header);

    let signed = get_signed_cookies(&req, &k);
    assert_eq!(signed.names().collect::<Vec<_>>(), ["user"]);
    assert_eq!(
        get_signed_cookie(&req, "user", &k)
            .unwrap()
            .map(|c| c.value().to_owned()),
        Some("alice".into())
    );
    assert_eq!(
        get_signed_cookie(&req, "admin", &k),
        Err(bad_signature("admin"))
    );
    assert!(matches!(
        get_signed_cookie(&req, "theme", &k),
        Err(CookieError::Malformed { .. })
    ));
    assert_eq!(get_signed_cookie(&req, "absent", &k), Ok(None));

    let visits = get_marshal_cookie::<u64>(&req, "visits", &k).unwrap();
    assert_eq!(visits.map(MarshalCookie::into_value), Some(3));
    let marshal = get_marshal_cookies::<u64>(&req, &k);
    assert_eq!(marshal.names().collect::<Vec<_>>(), ["visits"]);
    assert_eq!(get_marshal_cookie::<u64>(&req, "absent", &k), Ok(None));
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

fn any_keys() -> impl Strategy<Value = SigningKeys> {
    proptest::collection::vec(proptest::collection::vec(any::<u8>(), 1..40), 1..4)
        .prop_map(|ks| SigningKeys::new(ks).expect("keys of 1 or more bytes"))
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Anything {
    text: String,
    numbers: Vec<i64>,
    flag: Option<bool>,
    map: BTreeMap<String, u16>,
}

fn any_value() -> impl Strategy<Value = Anything> {
    (
        any::<String>(),
        proptest::collection::vec(any::<i64>(), 0..6),
        any::<Option<bool>>(),
        proptest::collection::btree_map(any::<String>(), any::<u16>(), 0..4),
    )
        .prop_map(|(text, numbers, flag, map)| Anything {
            text,
            numbers,
            flag,
            map,
        })
}

/// A 43-character base64url string, to get past the shape checks.
fn sig_shaped() -> impl Strategy<Value = String> {
    "[A-Za-z0-9_-]{42}[AQgw]"
}

proptest! {
    #[test]
    fn random_bytes_never_panic_and_are_refused(
        bytes in proptest::collection::vec(any::<u8>(), 0..200),
        name in any::<String>(),
        k in any_keys(),
    ) {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        prop_assert!(verify_value(&name, &text, &k).is_err());
        let cookie = Cookie::new(name.clone(), text.clone());
        prop_assert!(SignedCookie::verify(&cookie, &k).is_err());
        prop_assert!(MarshalCookie::<serde_json::Value>::verify(&cookie, &k).is_err());
        let _ = SignedCookie::parse(&text, &k);
        prop_assert!(SignedCookie::parse_valid(&text, &k).is_empty());
        prop_assert!(MarshalCookie::<Anything>::parse_valid(&text, &k).is_empty());
        if let Ok(v) = HeaderValue::from_bytes(&bytes) {
            let mut req = HeaderMap::new();
            req.append("cookie", v);
            prop_assert!(get_signed_cookies(&req, &k).is_empty());
            let _ = get_signed_cookie(&req, &name, &k);
            let _ = get_marshal_cookie::<Anything>(&req, &name, &k);
        }
    }

    #[test]
    fn signature_shaped_garbage_never_panics_and_is_refused(
        sig in sig_shaped(),
        rest in any::<String>(),
        quoted in any::<bool>(),
        k in any_keys(),
    ) {
        let raw = format!("{sig}.{rest}");
        let value = if quoted { morsel::quote(&raw).into_owned() } else { raw };
        prop_assert_eq!(verify_value("n", &value, &k), Err(bad_signature("n")));
        let cookie = Cookie::new("n", value);
        prop_assert_eq!(
            MarshalCookie::<serde_json::Value>::verify(&cookie, &k).err(),
            Some(bad_signature("n"))
        );
    }

    #[test]
    fn sign_then_verify_round_trips(name in any::<String>(), value in any::<String>(), k in any_keys()) {
        let sent = SignedCookie::new(name.clone(), value.clone()).sign(&k);
        let back = SignedCookie::verify(&sent, &k).unwrap();
        prop_assert_eq!(back.name(), name.as_str());
        prop_assert_eq!(back.value(), value.as_str());
    }

    #[test]
    fn sign_then_verify_round_trips_through_a_cookie_header(
        name in "[A-Za-z0-9_!#%&'*+.^`|~-]{1,10}",
        value in any::<String>(),
        k in any_keys(),
    ) {
        let sent = SignedCookie::new(name.clone(), value.clone()).sign(&k);
        let header = format!("before=1; {}={}; after=2", sent.name, sent.value);
        let parsed = SignedCookie::parse_valid(&header, &k);
        prop_assert_eq!(parsed.get(&name).map(SignedCookie::value), Some(value.as_str()));
    }

    #[test]
    fn marshal_round_trips(name in any::<String>(), value in any_value(), k in any_keys()) {
        let sent = MarshalCookie::new(name, value.clone()).sign(&k).unwrap();
        let back = MarshalCookie::<Anything>::verify(&sent, &k).unwrap();
        prop_assert_eq!(back.into_value(), value);
    }

    #[test]
    fn rotation_accepts_any_listed_key(
        value in any::<String>(),
        old in proptest::collection::vec(any::<u8>(), 1..20),
        new in proptest::collection::vec(any::<u8>(), 1..20),
    ) {
        let signed_old = sign_value("n", &value, &SigningKeys::single(&old).unwrap());
        let rotated = SigningKeys::new([&new, &old]).unwrap();
        prop_assert_eq!(verify_value("n", &signed_old, &rotated), Ok(value.clone()));
        if old != new {
            let only_new = SigningKeys::single(&new).unwrap();
            prop_assert_eq!(verify_value("n", &signed_old, &only_new), Err(bad_signature("n")));
        }
    }
}
