//! The shared workload of the cookie engine benchmarks (`benches/benches/`), so the timing
//! bench and the memory bench feed `cookiejar::CookieJar` and `cookie_store::CookieStore`
//! exactly the same cookies and requests.
//!
//! A workload of `n` cookies has `n / 10` hosts `www{i}.example{i % sites}.com` with
//! `sites = hosts / 10` (so every registrable domain has 10 hosts, at every size; the issue's
//! 10,000-cookie workload is `www{i}.example{i % 100}.com`), each answering one response with
//! 10 `Set-Cookie` headers: a fixed mix of `Domain`, `Path`, `Max-Age`, `Expires` and session
//! cookies, with values and lifetimes from a seeded rng. Every cookie has a distinct name
//! within its domain and path, so both jars end up holding all `n`.

use std::time::{SystemTime, UNIX_EPOCH};

use cookie_store::{CookieStore, RawCookie};
use cookiejar::CookieJar;
use rand::distributions::{Alphanumeric, DistString};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use url::Url;

/// `Set-Cookie` headers per host (and per response).
pub const COOKIES_PER_HOST: usize = 10;

/// Hosts per registrable domain (`example{k}.com`).
pub const HOSTS_PER_SITE: usize = 10;

/// The request paths lookups draw from.
pub const REQUEST_PATHS: [&str; 4] = ["/", "/a", "/a/b/c", "/x"];

/// The seed of the cookie workload (values, lifetimes).
pub const WORKLOAD_SEED: u64 = 0x5EED_C00C;

/// The seed of the request mix (hosts, paths).
pub const REQUEST_SEED: u64 = 0x0BAD_CAFE;

/// The Public Suffix List snapshot (publicsuffix/list, MPL-2.0, unmodified; see
/// `benches/data/README.md`), compiled in so the benches read nothing outside the repository.
pub const PUBLIC_SUFFIX_LIST: &str = include_str!("../data/public_suffix_list.dat");

/// Cookie names; the host index is appended, so every cookie name is unique.
const NAMES: [&str; COOKIES_PER_HOST] = [
    "sid", "pref", "lang", "theme", "cart", "ab", "csrf", "tz", "seen", "consent",
];

/// One host of the workload: its response carrying the 10 `Set-Cookie` headers, and the
/// request that response answers, in each jar's input type.
#[derive(Debug)]
pub struct Host {
    /// The host name, `www{i}.example{k}.com`.
    pub name: String,
    /// `GET http://{name}/`, for `CookieJar::extract_cookies`.
    pub request: http::Request<()>,
    /// The same URL, parsed, for `CookieStore::store_response_cookies`.
    pub url: Url,
    /// The response with the host's `Set-Cookie` headers.
    pub response: http::Response<()>,
}

/// One lookup: a request to a workload host, in each jar's input type.
#[derive(Debug, Clone)]
pub struct Lookup {
    /// `GET http://{host}{path}`, for `CookieJar::add_cookie_header`.
    pub request: http::Request<()>,
    /// The same URL, parsed, for `CookieStore::get_request_values`.
    pub url: Url,
}

/// The cookies and hosts of one benchmark size; built once, outside any timed loop.
#[derive(Debug)]
pub struct Workload {
    /// The hosts, each with its response.
    pub hosts: Vec<Host>,
}

impl Workload {
    /// A workload of `cookies` cookies (`cookies / 10` hosts, `cookies / 100` sites, at least
    /// one), generated deterministically from `seed`.
    pub fn new(cookies: usize, seed: u64) -> Workload {
        let n_hosts = (cookies / COOKIES_PER_HOST).max(1);
        let n_sites = (n_hosts / HOSTS_PER_SITE).max(1);
        let mut rng = StdRng::seed_from_u64(seed);
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        let hosts = (0..n_hosts)
            .map(|i| {
                let site = i % n_sites;
                let name = format!("www{i}.example{site}.com");
                let mut response = http::Response::builder();
                for (j, base) in NAMES.iter().enumerate() {
                    response = response.header(
                        http::header::SET_COOKIE,
                        set_cookie(&mut rng, i, j, base, site, now),
                    );
                }
                let url = format!("http://{name}/");
                Host {
                    request: http::Request::get(&url)
                        .body(())
                        .expect("valid request URL"),
                    url: Url::parse(&url).expect("valid URL"),
                    response: response.body(()).expect("valid Set-Cookie headers"),
                    name,
                }
            })
            .collect();
        Workload { hosts }
    }

    /// The number of `Set-Cookie` headers (and so of cookies) in the workload.
    pub fn cookies(&self) -> usize {
        self.hosts.len() * COOKIES_PER_HOST
    }

    /// Stores every host's cookies in `jar`: one `extract_cookies` per host.
    pub fn extract_ours(&self, jar: &CookieJar) {
        for host in &self.hosts {
            jar.extract_cookies(&host.response, &host.request);
        }
    }

    /// Stores every host's cookies in `store` the way `reqwest_cookie_store` does: each
    /// `Set-Cookie` value parsed into a `RawCookie`, then `store_response_cookies` per host.
    pub fn extract_theirs(&self, store: &mut CookieStore) {
        for host in &self.hosts {
            let cookies = host
                .response
                .headers()
                .get_all(http::header::SET_COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .filter_map(|s| RawCookie::parse(s.to_owned()).ok());
            store.store_response_cookies(cookies, &host.url);
        }
    }

    /// A fresh `CookieJar` (default policy) holding the whole workload.
    pub fn ours_jar(&self) -> CookieJar {
        let jar = CookieJar::new();
        self.extract_ours(&jar);
        assert_eq!(
            jar.len(),
            self.cookies(),
            "cookiejar must accept every workload cookie"
        );
        jar
    }

    /// A fresh `CookieStore` (with the public suffix list) holding the whole workload.
    pub fn theirs_store(&self, psl: &publicsuffix::List) -> CookieStore {
        let mut store = CookieStore::new(Some(psl.clone()));
        self.extract_theirs(&mut store);
        assert_eq!(
            store.iter_any().count(),
            self.cookies(),
            "cookie_store must accept every workload cookie"
        );
        store
    }

    /// `count` requests to random hosts of the workload on random [`REQUEST_PATHS`].
    pub fn lookups(&self, count: usize, seed: u64) -> Vec<Lookup> {
        let mut rng = StdRng::seed_from_u64(seed);
        (0..count)
            .map(|_| {
                let host = &self.hosts[rng.gen_range(0..self.hosts.len())];
                let path = REQUEST_PATHS[rng.gen_range(0..REQUEST_PATHS.len())];
                let url = format!("http://{}{path}", host.name);
                Lookup {
                    request: http::Request::get(&url)
                        .body(())
                        .expect("valid request URL"),
                    url: Url::parse(&url).expect("valid URL"),
                }
            })
            .collect()
    }
}

/// The `Set-Cookie` header of cookie `j` of host `i` (on site `site`):
///
/// - `Domain=example{site}.com` on one cookie in 10 (`j == 0`), host-only otherwise;
/// - `Path` cycling through none (the default, `/`), `/`, `/a`, `/a/b`;
/// - lifetime cycling through `Max-Age` (1 hour to 30 days), `Expires` (an RFC 1123 date
///   1 to 365 days ahead) and none (a session cookie);
/// - a random alphanumeric value of 8 to 32 characters.
fn set_cookie(rng: &mut StdRng, i: usize, j: usize, base: &str, site: usize, now: i64) -> String {
    let len = rng.gen_range(8..=32);
    let mut header = format!("{base}{i}={}", Alphanumeric.sample_string(rng, len));
    if j == 0 {
        header.push_str(&format!("; Domain=example{site}.com"));
    }
    match j % 4 {
        1 => header.push_str("; Path=/"),
        2 => header.push_str("; Path=/a"),
        3 => header.push_str("; Path=/a/b"),
        _ => {}
    }
    match j % 3 {
        0 => header.push_str(&format!("; Max-Age={}", rng.gen_range(3_600..=30 * 86_400))),
        1 => header.push_str(&format!(
            "; Expires={}",
            http_date(now + rng.gen_range(1..=365) * 86_400)
        )),
        _ => {}
    }
    header
}

/// The Public Suffix List, parsed for `cookie_store`.
pub fn public_suffix_list() -> publicsuffix::List {
    PUBLIC_SUFFIX_LIST
        .parse()
        .expect("the bundled public suffix list parses")
}

/// The `Cookie` header `cookie_store` gives for `url`: `get_request_values` joined with `; `.
pub fn theirs_cookie_header(store: &CookieStore, url: &Url) -> String {
    let mut header = String::new();
    for (name, value) in store.get_request_values(url) {
        if !header.is_empty() {
            header.push_str("; ");
        }
        header.push_str(name);
        header.push('=');
        header.push_str(value);
    }
    header
}

/// Checks, on `lookups`, that both jars send the same cookies (as sorted `name=value`
/// sets: the jars order the header differently), so the two sides do the same work.
pub fn assert_same_answers(jar: &CookieJar, store: &CookieStore, lookups: &[Lookup]) {
    let sorted = |header: &str| {
        let mut pairs: Vec<String> = header
            .split("; ")
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
            .collect();
        pairs.sort();
        pairs
    };
    for lookup in lookups {
        let mut request = lookup.request.clone();
        jar.add_cookie_header(&mut request);
        let ours = request
            .headers()
            .get(http::header::COOKIE)
            .map_or("", |v| v.to_str().unwrap_or(""));
        let theirs = theirs_cookie_header(store, &lookup.url);
        assert_eq!(
            sorted(ours),
            sorted(&theirs),
            "the jars disagree on {}",
            lookup.url
        );
        assert!(
            !ours.is_empty(),
            "every lookup should return cookies ({})",
            lookup.url
        );
    }
}

/// An RFC 1123 date (`Sun, 06 Nov 1994 08:49:37 GMT`) for `unix` seconds since the epoch.
pub fn http_date(unix: i64) -> String {
    const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{}, {day:02} {} {year} {:02}:{:02}:{:02} GMT",
        WEEKDAYS[(days + 4).rem_euclid(7) as usize],
        MONTHS[(month - 1) as usize],
        secs / 3_600,
        secs / 60 % 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_dates() {
        assert_eq!(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(http_date(784_111_777), "Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(http_date(951_782_400), "Tue, 29 Feb 2000 00:00:00 GMT");
        assert_eq!(http_date(4_102_444_799), "Thu, 31 Dec 2099 23:59:59 GMT");
    }

    #[test]
    fn both_jars_hold_and_send_the_same_cookies() {
        let workload = Workload::new(1_000, WORKLOAD_SEED);
        assert_eq!(workload.hosts.len(), 100);
        assert_eq!(workload.hosts[42].name, "www42.example2.com");
        let jar = workload.ours_jar();
        let store = workload.theirs_store(&public_suffix_list());
        assert_same_answers(&jar, &store, &workload.lookups(200, REQUEST_SEED));
    }
}
