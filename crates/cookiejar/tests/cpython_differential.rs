//! Differential test of `DefaultCookiePolicy` against CPython 3.11's `http.cookiejar`.
//!
//! `data/cpython-differential/cases.jsonl` holds a deterministic corpus (see `generate.py` and
//! the README there): policy switches, requests, the `Set-Cookie`/`Set-Cookie2` values each
//! response carries, follow-up URLs, and what CPython's `CookieJar` stored and sent, with its
//! clock pinned at [`NOW`]. Every case is replayed through our jar with the same clock, and the
//! stored cookies and the `Cookie`/`Cookie2` headers of every follow-up must be CPython's.
//!
//! The public suffix check is switched off (`reject_public_suffixes(false)`), so the
//! comparison is pure cookielib. A difference is accepted only when the case records that one
//! of the named patches in [`DEVIATIONS`] touches it and our output is exactly CPython's
//! output with those differences modelled on top (`cpython_patched`, made by `generate.py`).

mod support {
    pub mod exchange;
}

use std::borrow::Cow;
use std::collections::BTreeMap;
use support::exchange::{PlainRequest, PlainResponse};

use cookiejar::{
    Cookie, CookieJar, CookieRequest, DefaultCookiePolicy, DomainStrictness, FixedClock, SameSite,
};
use serde_json::{Value, json};

/// CPython's pinned clock: 2023-11-14T22:13:20Z.
const NOW: i64 = 1_700_000_000;

const CASES: &str = include_str!("data/cpython-differential/cases.jsonl");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A documented, deliberate difference from cookielib.
    Deliberate,
    /// A difference found by this test and not (yet) decided: `TODO(bug)`.
    TodoBug,
}

/// A named difference from CPython; the name is the patch in `generate.py` that models it.
struct Deviation {
    name: &'static str,
    kind: Kind,
    reason: &'static str,
}

/// Every difference from CPython this test accepts, each with its reason.
const DEVIATIONS: &[Deviation] = &[
    Deviation {
        name: "label-bounded-domain-match",
        kind: Kind::Deliberate,
        reason: "(a) domains match only on label boundaries (CVE-2018-20852, python/cpython#150522)",
    },
    Deviation {
        name: "empty-domain-ignored",
        kind: Kind::Deliberate,
        reason: "(b) `Domain=` is ignored (RFC 6265 §5.2.3); CPython stores a dead cookie for \".\"",
    },
    Deviation {
        name: "set-cookie2-expires-parsed",
        kind: Kind::Deliberate,
        reason: "(c) Set-Cookie2 Expires is read as a date; CPython raises and drops the header's cookies",
    },
    Deviation {
        name: "https-default-port-443",
        kind: Kind::Deliberate,
        reason: "(d) the default port of https/wss is 443; CPython uses 80 for every scheme",
    },
    Deviation {
        name: "local-suffix-label-bounded",
        kind: Kind::Deliberate,
        reason: "(e) the Netscape `.local` domain check is label-bounded (`host` does not match `localhost.local`)",
    },
    Deviation {
        name: "negative-version-refused",
        kind: Kind::Deliberate,
        reason: "(g) a negative Version is refused; CPython keeps the cookie as version -1",
    },
    Deviation {
        name: "empty-port-dropped",
        kind: Kind::Deliberate,
        reason: "(h) `http://h:/` is host `h` with the scheme's default port; CPython keeps the host `h:`, which no cookie domain can match",
    },
    Deviation {
        name: "huge-expiry-i64",
        kind: Kind::Deliberate,
        reason: "(i) expiry times are exact seconds, saturating at i64::MAX; CPython rounds huge ones through a float",
    },
    Deviation {
        name: "bare-max-age-refused",
        kind: Kind::Deliberate,
        reason: "(j) a bare `Max-Age` refuses that one cookie; CPython raises TypeError internally and drops every cookie of the response",
    },
    Deviation {
        name: "secure-protocols-lowercased",
        kind: Kind::Deliberate,
        reason: "(k) secure_protocols are compared case-insensitively (schemes are); CPython's \"HTTPS\" never matches",
    },
    Deviation {
        name: "userinfo-stripped",
        kind: Kind::Deliberate,
        reason: "(l) user info is not part of the host (`http://user@h/` is host `h`); CPython keeps `user@h` as the request host",
    },
    Deviation {
        name: "ipv6-port",
        kind: Kind::Deliberate,
        reason: "(m) `http://[::1]:8080/` has port 8080; CPython's request_port() splits at the first colon and falls back to 80",
    },
    Deviation {
        name: "nonstandard-attrs-case-merged",
        kind: Kind::Deliberate,
        reason: "(n) non-standard attribute names are case-insensitive (`Foo` replaces `foo`), as the issue asks; CPython keeps both",
    },
];

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("a list of strings")
        .iter()
        .map(|s| s.as_str().expect("a string").to_owned())
        .collect()
}

fn flag(v: &Value) -> bool {
    v.as_bool().expect("a boolean")
}

/// The policy a case asks for: CPython's keyword arguments, public suffixes not checked.
fn policy(config: Option<&Value>) -> DefaultCookiePolicy {
    let mut b = DefaultCookiePolicy::builder().reject_public_suffixes(false);
    let Some(config) = config else {
        return b.build();
    };
    for (key, v) in config.as_object().expect("policy is an object") {
        b = match key.as_str() {
            "netscape" => b.netscape(flag(v)),
            "rfc2965" => b.rfc2965(flag(v)),
            "rfc2109_as_netscape" => b.rfc2109_as_netscape(v.as_bool()),
            "hide_cookie2" => b.hide_cookie2(flag(v)),
            "strict_domain" => b.strict_domain(flag(v)),
            "strict_rfc2965_unverifiable" => b.strict_rfc2965_unverifiable(flag(v)),
            "strict_ns_unverifiable" => b.strict_ns_unverifiable(flag(v)),
            "strict_ns_set_initial_dollar" => b.strict_ns_set_initial_dollar(flag(v)),
            "strict_ns_set_path" => b.strict_ns_set_path(flag(v)),
            "strict_ns_domain" => {
                let bits = v.as_u64().expect("strict_ns_domain is a number");
                let mut s = DomainStrictness::LIBERAL;
                for (bit, f) in [
                    (1, DomainStrictness::STRICT_NO_DOTS),
                    (2, DomainStrictness::STRICT_NON_DOMAIN),
                    (4, DomainStrictness::RFC2965_MATCH),
                ] {
                    if bits & bit != 0 {
                        s |= f;
                    }
                }
                b.strict_ns_domain(s)
            }
            "blocked_domains" => b.blocked_domains(strings(v)),
            "allowed_domains" => b.allowed_domains(strings(v)),
            "secure_protocols" => b.secure_protocols(strings(v)),
            other => panic!("unknown policy switch {other}"),
        };
    }
    b.build()
}

/// One stored cookie in the comparison's shape (CPython's attributes, plus HttpOnly and
/// SameSite as fields).
fn ours_cookie(c: &Cookie) -> Value {
    let rest: Vec<Value> = c.nonstandard_attrs().map(|(k, v)| json!([k, v])).collect();
    json!({
        "domain": c.domain(),
        "path": c.path(),
        "name": c.name(),
        "value": c.value(),
        "version": c.version(),
        "secure": c.secure(),
        "expires": c.expires().map(|e| e.to_string()),
        "discard": c.discard(),
        "port": c.port(),
        "port_specified": c.port_specified(),
        "domain_specified": c.domain_specified(),
        "domain_initial_dot": c.domain_initial_dot(),
        "path_specified": c.path_specified(),
        "comment": c.comment(),
        "comment_url": c.comment_url(),
        "rfc2109": c.rfc2109(),
        "http_only": c.http_only(),
        "same_site": c.same_site().map(SameSite::as_str),
        "rest": rest,
    })
}

/// CPython's exported cookie in the comparison's shape: absent fields take their defaults,
/// and HttpOnly / SameSite move from the non-standard attributes to fields of their own
/// (deliberate difference (f)).
fn cpython_cookie(c: &Value) -> Value {
    let get = |k: &str| c.get(k).cloned().unwrap_or(Value::Null);
    let set = |k: &str| c.get(k).and_then(Value::as_bool).unwrap_or(false);
    let mut http_only = false;
    let mut same_site = None;
    let mut rest = Vec::new();
    for pair in c
        .get("rest")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let key = pair[0].as_str().expect("attribute name");
        if key.eq_ignore_ascii_case("httponly") {
            http_only = true;
        } else if key.eq_ignore_ascii_case("samesite") {
            same_site = pair[1]
                .as_str()
                .and_then(SameSite::parse)
                .map(SameSite::as_str);
        } else {
            rest.push(pair.clone());
        }
    }
    json!({
        "domain": get("domain"),
        "path": get("path"),
        "name": get("name"),
        "value": get("value"),
        "version": get("version"),
        "secure": set("secure"),
        "expires": get("expires"),
        "discard": set("discard"),
        "port": get("port"),
        "port_specified": set("port_specified"),
        "domain_specified": set("domain_specified"),
        "domain_initial_dot": set("domain_initial_dot"),
        "path_specified": set("path_specified"),
        "comment": get("comment"),
        "comment_url": get("comment_url"),
        "rfc2109": set("rfc2109"),
        "http_only": http_only,
        "same_site": same_site,
        "rest": rest,
    })
}

/// What a run produced: the (Cookie, Cookie2) headers per follow-up, and the stored cookies
/// sorted by domain, path and name.
#[derive(Debug, PartialEq)]
struct Outcome {
    sent: Vec<(Option<String>, Option<String>)>,
    stored: Vec<Value>,
}

fn cpython_outcome(v: &Value) -> Outcome {
    let header = |h: &Value| h.as_str().map(str::to_owned);
    Outcome {
        sent: v["sent"]
            .as_array()
            .expect("sent is a list")
            .iter()
            .map(|pair| (header(&pair[0]), header(&pair[1])))
            .collect(),
        stored: v["stored"]
            .as_array()
            .expect("stored is a list")
            .iter()
            .map(cpython_cookie)
            .collect(),
    }
}

fn run_ours(case: &Value) -> Outcome {
    let jar = CookieJar::with_policy(policy(case.get("policy"))).with_clock(FixedClock::new(NOW));
    for step in case["steps"].as_array().expect("steps is a list") {
        let mut request = PlainRequest::new(step["url"].as_str().expect("step url"));
        request.unverifiable = step.get("unverifiable").is_some_and(flag);
        request.origin = step
            .get("origin")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let mut headers = Vec::new();
        for (key, name) in [("set_cookie", "Set-Cookie"), ("set_cookie2", "Set-Cookie2")] {
            for v in step.get(key).map(strings).unwrap_or_default() {
                headers.push((name.to_owned(), v));
            }
        }
        jar.extract_cookies(&PlainResponse(headers), &request);
    }
    let sent = strings(&case["followups"])
        .iter()
        .map(|url| {
            let mut request = PlainRequest::new(url);
            jar.add_cookie_header(&mut request);
            let header = |n: &str| request.header(n).map(Cow::into_owned);
            (header("Cookie"), header("Cookie2"))
        })
        .collect();
    let mut stored: Vec<Cookie> = jar.iter().collect();
    stored.sort_by(|a, b| (a.domain(), a.path(), a.name()).cmp(&(b.domain(), b.path(), b.name())));
    Outcome {
        sent,
        stored: stored.iter().map(ours_cookie).collect(),
    }
}

/// A readable account of how `ours` differs from `want`.
fn describe(case: &Value, want: &Outcome, ours: &Outcome) -> String {
    let mut out = String::new();
    if let Some(p) = case.get("policy") {
        out += &format!("    policy {p}\n");
    }
    for step in case["steps"].as_array().into_iter().flatten() {
        out += &format!("    response to {step}\n");
    }
    let urls = strings(&case["followups"]);
    for (i, (w, o)) in want.sent.iter().zip(&ours.sent).enumerate() {
        if w != o {
            out += &format!(
                "    GET {}\n      CPython {w:?}\n      ours    {o:?}\n",
                urls[i]
            );
        }
    }
    let key = |c: &Value| format!("{} {} {}", c["domain"], c["path"], c["name"]);
    for c in &want.stored {
        if !ours.stored.contains(c) {
            out += &format!("    stored by CPython only: {c}\n");
        }
    }
    for c in &ours.stored {
        if !want.stored.contains(c) {
            let twin = want.stored.iter().find(|w| key(w) == key(c));
            out += &format!(
                "    stored by us only:      {c}{}\n",
                if twin.is_some() { " (same key)" } else { "" }
            );
        }
    }
    out
}

#[test]
fn default_policy_matches_cpython_http_cookiejar() {
    for d in DEVIATIONS {
        assert!(!d.reason.is_empty(), "{} has no reason", d.name);
        assert_eq!(
            d.kind == Kind::TodoBug,
            d.reason.starts_with("TODO(bug)"),
            "{}: TODO(bug) entries, and only they, say so",
            d.name
        );
    }
    let mut cases = 0;
    let mut header_comparisons = 0;
    let mut cookies_compared = 0;
    let mut used: BTreeMap<&str, usize> = BTreeMap::new();
    let mut explained = 0;
    let mut mismatches = Vec::new();
    for line in CASES.lines().filter(|l| !l.trim().is_empty()) {
        let case: Value = serde_json::from_str(line).expect("each line is a JSON case");
        let id = case["id"].as_str().expect("case id");
        cases += 1;
        let want = cpython_outcome(&case["cpython"]);
        let ours = run_ours(&case);
        assert_eq!(want.sent.len(), ours.sent.len(), "{id}: follow-up count");
        header_comparisons += 2 * want.sent.len();
        cookies_compared += want.stored.len().max(ours.stored.len());
        if ours == want {
            continue;
        }
        let named: Vec<&str> = case
            .get("deviations")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|n| n.as_str().expect("deviation name"))
            .collect();
        let listed: Vec<&'static str> = DEVIATIONS
            .iter()
            .filter(|d| named.contains(&d.name))
            .map(|d| d.name)
            .collect();
        if listed.len() != named.len() {
            mismatches.push(format!(
                "{id}: the corpus names deviations {named:?}, but only {listed:?} are listed here"
            ));
            continue;
        }
        let patched = case.get("cpython_patched").map(cpython_outcome);
        if !named.is_empty() && patched.as_ref() == Some(&ours) {
            for n in listed {
                *used.entry(n).or_default() += 1;
            }
            explained += 1;
            continue;
        }
        let mut text = format!("{id}: ours differs from CPython");
        if !named.is_empty() {
            text += &format!(" (and from CPython patched with {named:?})");
        }
        text.push('\n');
        text += &describe(&case, &want, &ours);
        if let Some(p) = &patched {
            if p != &want {
                text += "    -- against CPython patched:\n";
                text += &describe(&case, p, &ours);
            }
        }
        mismatches.push(text);
    }
    println!(
        "{cases} cases: {header_comparisons} header comparisons (Cookie and Cookie2 per \
         follow-up), {cases} stored-jar comparisons ({cookies_compared} cookies); \
         {explained} cases differ from plain CPython through listed deviations:"
    );
    for d in DEVIATIONS {
        println!(
            "  {:<32} {:>4} cases  {:?}",
            d.name,
            used.get(d.name).copied().unwrap_or(0),
            d.kind
        );
    }
    assert!(cases >= 2000, "the corpus has only {cases} cases");
    assert!(
        mismatches.is_empty(),
        "{} of {cases} cases differ from CPython:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
    let stale: Vec<&str> = DEVIATIONS
        .iter()
        .filter(|d| !used.contains_key(d.name))
        .map(|d| d.name)
        .collect();
    assert!(
        stale.is_empty(),
        "listed deviations that explain no mismatch (remove them, or the corpus lost them): {stale:?}"
    );
}
