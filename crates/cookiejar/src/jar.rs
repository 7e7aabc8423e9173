//! `CookieJar`: cookielib's jar. It parses responses, asks its policy, stores what passes,
//! and writes `Cookie` headers; safe to share between threads and tasks.

use std::borrow::Cow;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use tracing::debug;

use crate::clock::{Clock, SystemClock};
use crate::cookie::{Cookie, Scope, ScopeCache};
use crate::error::{Error, Result};
use crate::header::{escape_quotes, is_word_char};
use crate::listener::ChangeListener;
use crate::parse::{self, Parsed};
use crate::policy::{BrowserLimits, CookiePolicy, DefaultCookiePolicy, Semantics, path_match};
use crate::request::{CookieRequest, CookieResponse, RequestInfo};
use crate::store::Store;

/// A response's `Set-Cookie2` and `Set-Cookie` header values.
type SetCookies<'a> = (Vec<Cow<'a, str>>, Vec<Cow<'a, str>>);

/// A collection of cookies, with the policy that decides what goes in and out.
///
/// The methods mirror cookielib's `CookieJar`. All take `&self`: the jar locks internally,
/// so one jar can be shared by any number of threads or async tasks through an `Arc`
/// (`CookieJar` is `Send + Sync`). Cookies are indexed by domain, so the cost of
/// [`add_cookie_header`](Self::add_cookie_header) depends on the cookies for the request's
/// host, not on the size of the jar.
///
/// The manual flow, with `http` types standing in for any client:
///
/// ```
/// use std::sync::Arc;
/// use cookiejar::{CookieJar, CookieRequest};
///
/// let jar = Arc::new(CookieJar::new());
///
/// let request = http::Request::get("http://www.example.com/login").body(()).unwrap();
/// let response = http::Response::builder()
///     .header("Set-Cookie", "session=42; Path=/; Domain=.example.com")
///     .body(())
///     .unwrap();
/// jar.extract_cookies(&response, &request);
///
/// // Another task, same jar.
/// let shared = Arc::clone(&jar);
/// std::thread::spawn(move || {
///     let mut next = http::Request::get("http://shop.example.com/cart").body(()).unwrap();
///     shared.add_cookie_header(&mut next);
///     assert_eq!(next.header("Cookie").as_deref(), Some("session=42"));
/// })
/// .join()
/// .unwrap();
/// ```
pub struct CookieJar {
    store: Mutex<Store>,
    policy: RwLock<Arc<dyn CookiePolicy>>,
    clock: Arc<dyn Clock>,
    listener: Option<Arc<dyn ChangeListener>>,
}

/// The locked store. When it is released, the changes made through it go to the jar's
/// listener, still under the lock, so batches reach it in order.
struct Locked<'a> {
    store: MutexGuard<'a, Store>,
    listener: Option<&'a Arc<dyn ChangeListener>>,
}

impl std::ops::Deref for Locked<'_> {
    type Target = Store;
    fn deref(&self) -> &Store {
        &self.store
    }
}

impl std::ops::DerefMut for Locked<'_> {
    fn deref_mut(&mut self) -> &mut Store {
        &mut self.store
    }
}

impl Drop for Locked<'_> {
    fn drop(&mut self) {
        if let Some(listener) = self.listener {
            let batch = self.store.take_journal();
            if !batch.is_empty() {
                listener.changes(&batch);
            }
        }
    }
}

impl Default for CookieJar {
    fn default() -> Self {
        CookieJar::new()
    }
}

impl fmt::Debug for CookieJar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CookieJar")
            .field("len", &self.len())
            .field("policy", &self.policy())
            .finish()
    }
}

impl fmt::Display for CookieJar {
    /// cookielib's `str(jar)`: `<CookieJar[<Cookie a=b for h/>, ...]>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cookies: Vec<String> = self.iter().map(|c| c.to_string()).collect();
        write!(f, "<CookieJar[{}]>", cookies.join(", "))
    }
}

impl CookieJar {
    /// An empty jar with [`DefaultCookiePolicy`] and the system clock.
    pub fn new() -> CookieJar {
        CookieJar::with_policy(DefaultCookiePolicy::default())
    }

    /// An empty jar with the given policy.
    pub fn with_policy(policy: impl CookiePolicy + 'static) -> CookieJar {
        CookieJar {
            store: Mutex::new(Store::default()),
            policy: RwLock::new(Arc::new(policy)),
            clock: Arc::new(SystemClock),
            listener: None,
        }
    }

    /// Replaces the clock (for tests and reproducible runs).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use cookiejar::{CookieJar, FixedClock};
    /// let clock = Arc::new(FixedClock::new(1_000_000_000));
    /// let jar = CookieJar::new().with_clock(clock.clone());
    /// clock.advance(60);
    /// # let _ = jar;
    /// ```
    pub fn with_clock(mut self, clock: impl Clock + 'static) -> CookieJar {
        self.clock = Arc::new(clock);
        self
    }

    /// "Now" by the jar's clock, in seconds since the epoch.
    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    /// The current policy.
    pub fn policy(&self) -> Arc<dyn CookiePolicy> {
        Arc::clone(&self.policy.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// Replaces the policy. Cookies already stored stay.
    pub fn set_policy(&self, policy: impl CookiePolicy + 'static) {
        *self.policy.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(policy);
    }

    /// Reports every later change to `listener` (see [`ChangeListener`]).
    pub fn with_listener(mut self, listener: Arc<dyn ChangeListener>) -> CookieJar {
        self.store
            .get_mut()
            .unwrap_or_else(|e| e.into_inner())
            .start_journal();
        self.listener = Some(listener);
        self
    }

    fn lock(&self) -> Locked<'_> {
        Locked {
            store: self.store.lock().unwrap_or_else(|e| e.into_inner()),
            listener: self.listener.as_ref(),
        }
    }

    fn request_info<R: CookieRequest + ?Sized>(
        &self,
        request: &R,
        now: i64,
    ) -> Option<RequestInfo> {
        match RequestInfo::from_request(request, now) {
            Ok(info) => Some(info),
            Err(e) => {
                debug!(error = %e, "request ignored by the cookie jar");
                None
            }
        }
    }

    /// The response's `Set-Cookie2` and `Set-Cookie` values, or `None` when it has neither
    /// (most responses: then the request need not even be parsed).
    fn set_cookie_headers<P: CookieResponse + ?Sized>(response: &P) -> Option<SetCookies<'_>> {
        let ns = response.header_values("Set-Cookie");
        let rfc2965 = response.header_values("Set-Cookie2");
        (!ns.is_empty() || !rfc2965.is_empty()).then_some((rfc2965, ns))
    }

    fn parse(
        (rfc2965, ns): &SetCookies<'_>,
        info: &RequestInfo,
        policy: &dyn CookiePolicy,
    ) -> Parsed {
        match policy.semantics() {
            Semantics::Cookielib => parse::cookielib::make_cookies(rfc2965, ns, info, policy),
            Semantics::Browser(limits) => {
                let mut scopes = ScopeCache::default();
                Parsed {
                    cookies: ns
                        .iter()
                        .filter_map(|h| parse::browser::parse(h, info, &limits, &mut scopes))
                        .collect(),
                    expired: Vec::new(),
                }
            }
        }
    }

    fn apply_expired(store: &mut Store, parsed: &mut Parsed) {
        for (scope, name) in parsed.expired.drain(..) {
            if store.remove(&scope.domain, &scope.path, &name).is_some() {
                debug!(
                    name,
                    domain = &*scope.domain,
                    path = &*scope.path,
                    "cookie deleted: the response expired it"
                );
            }
        }
    }

    /// Parses the cookies a response sets, as cookielib's `make_cookies`: defaults are
    /// filled in from the request, nothing is checked against the policy and nothing stored.
    ///
    /// Like cookielib, a cookie that arrives already expired deletes the stored cookie with
    /// the same domain, path and name (browser policy: the deletion happens on store).
    pub fn make_cookies<P, R>(&self, response: &P, request: &R) -> Vec<Cookie>
    where
        P: CookieResponse + ?Sized,
        R: CookieRequest + ?Sized,
    {
        let Some(headers) = Self::set_cookie_headers(response) else {
            return Vec::new();
        };
        let Some(info) = self.request_info(request, self.clock.now()) else {
            return Vec::new();
        };
        let policy = self.policy();
        let mut parsed = Self::parse(&headers, &info, &*policy);
        Self::apply_expired(&mut self.lock(), &mut parsed);
        parsed.cookies
    }

    /// Stores the cookies a response sets, where the policy allows.
    pub fn extract_cookies<P, R>(&self, response: &P, request: &R)
    where
        P: CookieResponse + ?Sized,
        R: CookieRequest + ?Sized,
    {
        let Some(headers) = Self::set_cookie_headers(response) else {
            return;
        };
        let Some(info) = self.request_info(request, self.clock.now()) else {
            return;
        };
        let policy = self.policy();
        let mut parsed = Self::parse(&headers, &info, &*policy);
        let mut store = self.lock();
        Self::apply_expired(&mut store, &mut parsed);
        for cookie in parsed.cookies {
            if policy.set_ok(&cookie, &info) {
                Self::store_cookie(
                    &mut store,
                    cookie,
                    Some(&info),
                    policy.semantics(),
                    info.now(),
                );
            }
        }
    }

    /// Stores `cookie` if the policy allows it for `request`; returns whether it did.
    pub fn set_cookie_if_ok<R: CookieRequest + ?Sized>(&self, cookie: Cookie, request: &R) -> bool {
        let Some(info) = self.request_info(request, self.clock.now()) else {
            return false;
        };
        let policy = self.policy();
        if !policy.set_ok(&cookie, &info) {
            return false;
        }
        Self::store_cookie(
            &mut self.lock(),
            cookie,
            Some(&info),
            policy.semantics(),
            info.now(),
        )
    }

    /// Stores `cookie` without asking the policy, replacing any with the same domain, path
    /// and name.
    pub fn set_cookie(&self, cookie: Cookie) {
        let semantics = self.policy().semantics();
        Self::store_cookie(&mut self.lock(), cookie, None, semantics, self.clock.now());
    }

    /// Stores many cookies without asking the policy, under one lock (one batch for a
    /// listener). File jars load this way.
    pub fn set_cookies(&self, cookies: impl IntoIterator<Item = Cookie>) {
        let semantics = self.policy().semantics();
        let now = self.clock.now();
        let mut store = self.lock();
        for cookie in cookies {
            Self::store_cookie(&mut store, cookie, None, semantics, now);
        }
    }

    /// Replaces every cookie with `cookies`, under one lock: no other thread sees the jar
    /// empty or half-filled. File jars revert this way.
    pub fn replace_all(&self, cookies: impl IntoIterator<Item = Cookie>) {
        let semantics = self.policy().semantics();
        let now = self.clock.now();
        let mut store = self.lock();
        store.clear();
        for cookie in cookies {
            Self::store_cookie(&mut store, cookie, None, semantics, now);
        }
    }

    fn store_cookie(
        store: &mut Store,
        mut cookie: Cookie,
        request: Option<&RequestInfo>,
        semantics: Semantics,
        now: i64,
    ) -> bool {
        if cookie.creation_time() == 0 {
            cookie.set_creation_time(now);
        }
        if cookie.last_access_time() == 0 {
            cookie.set_last_access_time(now);
        }
        match semantics {
            Semantics::Cookielib => {
                debug!(
                    name = cookie.name(),
                    domain = cookie.domain(),
                    path = cookie.path(),
                    "cookie accepted"
                );
                store.insert(cookie);
                true
            }
            Semantics::Browser(limits) => browser_store(store, cookie, request, &limits, now),
        }
    }

    /// The cookies that would be sent with `request`, in `Cookie` header order.
    ///
    /// Their last-access times are updated, and expired cookies met on the way are removed.
    pub fn cookies_for_request<R: CookieRequest + ?Sized>(&self, request: &R) -> Vec<Cookie> {
        let Some(info) = self.request_info(request, self.clock.now()) else {
            return Vec::new();
        };
        let policy = self.policy();
        self.with_matching(&info, &*policy, |cookies| {
            cookies.iter().map(|c| (*c).clone()).collect()
        })
    }

    /// Finds the cookies the policy returns for `info`, marks them accessed, and hands them to
    /// `f` in `Cookie` header order, all under one lock and without copying them. Expired
    /// cookies met on the way are removed afterwards.
    fn with_matching<T>(
        &self,
        info: &RequestInfo,
        policy: &dyn CookiePolicy,
        f: impl FnOnce(&[&Cookie]) -> T,
    ) -> T {
        let now = info.now();
        let mut store = self.lock();
        let candidates = store.candidate_domains(info.host(), info.effective_host());
        let mut hits: Vec<(usize, usize, usize)> = Vec::new();
        let mut expired = false;
        for (d, domain) in candidates.iter().enumerate() {
            if !policy.domain_return_ok(domain, info) {
                continue;
            }
            let Some(entry) = store.domain_mut(domain) else {
                continue;
            };
            for (p, path) in entry.paths.iter_mut().enumerate() {
                if !policy.path_return_ok(&path.scope.path, info) {
                    continue;
                }
                for (i, cookie) in path.cookies.iter_mut().enumerate() {
                    expired |= cookie.is_expired(now);
                    if policy.return_ok(cookie, info) {
                        debug!(
                            name = cookie.name(),
                            domain = cookie.domain(),
                            path = cookie.path(),
                            "cookie returned"
                        );
                        cookie.set_last_access_time(now);
                        hits.push((d, p, i));
                    }
                }
            }
        }
        let result = {
            // Resolve each candidate domain once, not once per cookie.
            let entries: Vec<_> = candidates.iter().map(|d| store.domain(d)).collect();
            let mut cookies: Vec<&Cookie> = hits
                .iter()
                .filter_map(|&(d, p, i)| entries[d]?.paths.get(p)?.cookies.get(i))
                .collect();
            match policy.semantics() {
                // A stable sort: cookielib's order within a path length is the jar's order.
                Semantics::Cookielib => cookies.sort_by_key(|c| std::cmp::Reverse(c.path().len())),
                Semantics::Browser(_) => {
                    cookies.sort_by_key(|c| {
                        (std::cmp::Reverse(c.path().len()), c.creation_time(), c.seq)
                    });
                }
            }
            f(&cookies)
        };
        if expired {
            for domain in &candidates {
                store.retain_in(domain, |c| !c.is_expired(now));
            }
        }
        result
    }

    /// Adds the `Cookie` header for the cookies that go with `request` (unless the request
    /// already has one), and `Cookie2: $Version="1"` when the policy speaks RFC 2965, does
    /// not hide it, and some returned cookie is not RFC 2965.
    ///
    /// ```
    /// use cookiejar::{Cookie, CookieJar, CookieRequest};
    /// let jar = CookieJar::new();
    /// jar.set_cookie(Cookie::new("a", "1", ".example.com", "/"));
    /// let mut request = http::Request::get("http://www.example.com/").body(()).unwrap();
    /// jar.add_cookie_header(&mut request);
    /// assert_eq!(request.header("Cookie").as_deref(), Some("a=1"));
    /// ```
    pub fn add_cookie_header<R: CookieRequest + ?Sized>(&self, request: &mut R) {
        let Some(info) = self.request_info(&*request, self.clock.now()) else {
            return;
        };
        let policy = self.policy();
        let semantics = policy.semantics();
        let wants_cookie2 =
            policy.rfc2965() && !policy.hide_cookie2() && !request.has_header("Cookie2");
        let (header, cookie2) = self.with_matching(&info, &*policy, |cookies| {
            let header = match semantics {
                _ if cookies.is_empty() => None,
                Semantics::Cookielib => Some(cookielib_header(cookies)),
                Semantics::Browser(_) => Some(browser_header(cookies)),
            };
            (
                header,
                wants_cookie2 && cookies.iter().any(|c| c.version() != Some(1)),
            )
        });
        if let Some(header) = header {
            if !request.has_header("Cookie") {
                request.add_unredirected_header("Cookie", header);
            }
        }
        if cookie2 {
            request.add_unredirected_header("Cookie2", "$Version=\"1\"".to_owned());
        }
    }

    /// Removes every cookie.
    pub fn clear(&self) {
        self.lock().clear();
    }

    /// Removes every cookie stored under `domain` (the domain key, e.g. `.example.com`).
    pub fn clear_domain(&self, domain: &str) -> Result<()> {
        if self.lock().remove_domain(domain) {
            Ok(())
        } else {
            Err(Error::NotFound {
                domain: domain.to_owned(),
                path: None,
                name: None,
            })
        }
    }

    /// Removes every cookie stored under `domain` and `path`.
    pub fn clear_path(&self, domain: &str, path: &str) -> Result<()> {
        if self.lock().remove_path(domain, path) {
            Ok(())
        } else {
            Err(Error::NotFound {
                domain: domain.to_owned(),
                path: Some(path.to_owned()),
                name: None,
            })
        }
    }

    /// Removes one cookie, returning it.
    ///
    /// ```
    /// use cookiejar::{Cookie, CookieJar, Error};
    /// let jar = CookieJar::new();
    /// jar.set_cookie(Cookie::new("a", "1", ".example.com", "/"));
    /// assert!(jar.clear_cookie(".example.com", "/", "a").is_ok());
    /// assert!(matches!(jar.clear_cookie(".example.com", "/", "a"), Err(Error::NotFound { .. })));
    /// ```
    pub fn clear_cookie(&self, domain: &str, path: &str, name: &str) -> Result<Cookie> {
        self.lock()
            .remove(domain, path, name)
            .ok_or_else(|| Error::NotFound {
                domain: domain.to_owned(),
                path: Some(path.to_owned()),
                name: Some(name.to_owned()),
            })
    }

    /// Removes session cookies (those marked discard).
    pub fn clear_session_cookies(&self) {
        self.lock().retain(|c| !c.discard());
    }

    /// Removes cookies that have expired.
    pub fn clear_expired_cookies(&self) {
        let now = self.clock.now();
        self.lock().retain(|c| !c.is_expired(now));
    }

    /// A snapshot of every cookie, domains in the order they were first stored.
    pub fn iter(&self) -> std::vec::IntoIter<Cookie> {
        self.lock().snapshot().into_iter()
    }

    /// The number of cookies stored.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether the jar holds no cookies.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl IntoIterator for &CookieJar {
    type Item = Cookie;
    type IntoIter = std::vec::IntoIter<Cookie>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// cookielib's `Cookie` header: `$Version` from the first cookie, and for RFC 2965 cookies
/// escaped values and `$Path`, `$Domain`, `$Port`.
fn cookielib_header(cookies: &[&Cookie]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(
        cookies
            .iter()
            .map(|c| c.name().len() + c.value().map_or(0, str::len) + 3)
            .sum(),
    );
    let attr = |out: &mut String, args: std::fmt::Arguments<'_>| {
        if !out.is_empty() {
            out.push_str("; ");
        }
        // Writing into a String cannot fail.
        let _ = out.write_fmt(args);
    };
    if let Some(first) = cookies.first() {
        let version = first.version_number();
        if version > 0 {
            attr(&mut out, format_args!("$Version={version}"));
        }
    }
    for c in cookies {
        let version = c.version_number();
        match c.value() {
            None => attr(&mut out, format_args!("{}", c.name())),
            Some(v) if version > 0 && !v.chars().all(is_word_char) => {
                attr(&mut out, format_args!("{}={}", c.name(), escape_quotes(v)));
            }
            Some(v) => {
                // The common case, without the formatting machinery.
                if !out.is_empty() {
                    out.push_str("; ");
                }
                out.push_str(c.name());
                out.push('=');
                out.push_str(v);
            }
        }
        if version > 0 {
            if c.path_specified() {
                attr(&mut out, format_args!("$Path=\"{}\"", c.path()));
            }
            if let Some(d) = c.domain().strip_prefix('.') {
                let shown = if c.domain_initial_dot() {
                    c.domain()
                } else {
                    d
                };
                attr(&mut out, format_args!("$Domain=\"{shown}\""));
            }
            if let Some(port) = c.port() {
                if c.port_specified() {
                    attr(&mut out, format_args!("$Port=\"{port}\""));
                } else {
                    attr(&mut out, format_args!("$Port"));
                }
            }
        }
    }
    out
}

/// A browser's `Cookie` header: `name=value` pairs, a nameless cookie as its value alone.
fn browser_header(cookies: &[&Cookie]) -> String {
    let mut out = String::new();
    for c in cookies {
        if !out.is_empty() {
            out.push_str("; ");
        }
        if !c.name().is_empty() {
            out.push_str(c.name());
            out.push('=');
        }
        out.push_str(c.value().unwrap_or(""));
    }
    out
}

/// Whether domain key `a` domain-matches key `b` or the reverse (leading dots ignored).
fn domains_related(a: &str, b: &str) -> bool {
    let a = a.trim_start_matches('.');
    let b = b.trim_start_matches('.');
    let sub = |x: &str, y: &str| {
        x.len() > y.len() && x.ends_with(y) && x.as_bytes()[x.len() - y.len() - 1] == b'.'
    };
    a == b || sub(a, b) || sub(b, a)
}

/// Stores a cookie under a browser's rules: Secure cookies are protected from non-secure
/// origins, replacements keep their creation time, expired cookies delete, limits evict.
fn browser_store(
    store: &mut Store,
    mut cookie: Cookie,
    request: Option<&RequestInfo>,
    limits: &BrowserLimits,
    now: i64,
) -> bool {
    let insecure_origin = request.is_some_and(|r| !matches!(r.scheme(), "https" | "wss"));
    if !cookie.secure() && insecure_origin {
        let related = store.same_site_domains(cookie.domain());
        let shadowed = store.cookies_in(&related).any(|old| {
            old.secure()
                && old.name() == cookie.name()
                && domains_related(old.domain(), cookie.domain())
                && path_match(cookie.path(), old.path())
        });
        if shadowed {
            debug!(
                name = cookie.name(),
                domain = cookie.domain(),
                rule = "secure",
                "cookie refused: a non-secure origin cannot overwrite a Secure cookie"
            );
            return false;
        }
    }
    if let Some(old) = store.get(cookie.domain(), cookie.path(), cookie.name()) {
        cookie.set_creation_time(old.creation_time());
    }
    if cookie.is_expired(now) {
        if store
            .remove(cookie.domain(), cookie.path(), cookie.name())
            .is_some()
        {
            debug!(
                name = cookie.name(),
                domain = cookie.domain(),
                path = cookie.path(),
                "cookie deleted: expired by the response"
            );
        }
        return false;
    }
    debug!(
        name = cookie.name(),
        domain = cookie.domain(),
        path = cookie.path(),
        "cookie accepted"
    );
    let domain = Arc::clone(&cookie.scope().domain);
    store.insert(cookie);
    evict(store, &domain, limits, now);
    true
}

/// Enforces the per-site and total limits: expired cookies go first, then the least
/// recently used.
fn evict(store: &mut Store, domain: &str, limits: &BrowserLimits, now: i64) {
    let related = store.same_site_domains(domain);
    let mut site_count = store.cookies_in(&related).count();
    while site_count > limits.max_per_site {
        let Some(victim) = pick_victim(store.cookies_in(&related), now) else {
            break;
        };
        debug!(
            name = victim.1,
            domain = &*victim.0.domain,
            "cookie evicted: too many cookies for the site"
        );
        store.remove(&victim.0.domain, &victim.0.path, &victim.1);
        site_count -= 1;
    }
    if store.len() > limits.max_total {
        store.retain(|c| !c.is_expired(now));
    }
    while store.len() > limits.max_total {
        let Some(victim) = pick_victim(store.all(), now) else {
            break;
        };
        debug!(
            name = victim.1,
            domain = &*victim.0.domain,
            "cookie evicted: too many cookies in the jar"
        );
        store.remove(&victim.0.domain, &victim.0.path, &victim.1);
    }
}

fn pick_victim<'a>(
    cookies: impl Iterator<Item = &'a Cookie>,
    now: i64,
) -> Option<(Arc<Scope>, String)> {
    cookies
        .min_by_key(|c| (!c.is_expired(now), c.last_access_time(), c.seq))
        .map(|c| (Arc::clone(c.scope()), c.name().to_owned()))
}
