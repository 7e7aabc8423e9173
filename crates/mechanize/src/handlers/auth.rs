//! HTTP authentication (urllib2's `HTTPPasswordMgr`, `HTTPBasicAuthHandler`,
//! `HTTPDigestAuthHandler` and their proxy twins): a password manager that maps realms and
//! URI prefixes to credentials, and error handlers that answer 401 and 407 challenges by
//! retrying the request once with credentials.
//!
//! # How retries are tracked
//!
//! A handler never loops on a wrong password. The retried request carries its credentials
//! in an ordinary header, so the next 401 (or 407) shows what was tried:
//!
//! * Basic gives up (the response becomes [`Error::Http`](crate::Error::Http)) when the
//!   request already carried exactly the value it would send, or any `Digest` credentials
//!   (the Digest handler, which runs first, has already failed).
//! * Digest gives up when the request already carried `Digest` credentials, unless the
//!   server says the nonce was merely `stale=true` and offers a new nonce: then it retries
//!   once more. A stale retry marks its `cnonce` with a trailing `s`, so that a second stale
//!   answer in the same chain gives up too.

use std::sync::{Arc, Mutex, RwLock};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use http::header::{
    AUTHORIZATION, HeaderName, PROXY_AUTHENTICATE, PROXY_AUTHORIZATION, WWW_AUTHENTICATE,
};
use md5::{Digest as _, Md5};
use sha2::Sha256;
use url::Url;

use crate::director::OpenerDirector;
use crate::error::Result;
use crate::handler::{BoxFuture, Codes, ErrorHandler, Handler};
use crate::request::Request;
use crate::response::Response;

// ---------------------------------------------------------------------------------------
// Password manager
// ---------------------------------------------------------------------------------------

/// One stored URI, reduced as urllib2 reduces it: scheme (when given), authority (lower
/// case, with the scheme's default port made explicit) and path prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Reduced {
    scheme: Option<String>,
    authority: String,
    path: String,
}

/// The URI that matches every URI (mechanize's proxy password manager's `None`).
const ANY_URI: &str = "*";

#[derive(Debug, Clone)]
struct Entry {
    realm: Option<String>,
    uri: Reduced,
    user: String,
    password: String,
}

/// Reduces a URI (`http://host:port/path`) or a bare authority (`host:port`, optionally
/// followed by a path) to its parts. With `default_port`, a URL without a port gets its
/// scheme's default one.
fn reduce_uri(uri: &str, default_port: bool) -> Reduced {
    if uri.contains("://") {
        if let Ok(url) = Url::parse(uri) {
            let host = url.host_str().unwrap_or("").to_ascii_lowercase();
            let port = if default_port {
                url.port_or_known_default()
            } else {
                url.port()
            };
            let authority = match port {
                Some(p) => format!("{host}:{p}"),
                None => host,
            };
            let path = if url.path().is_empty() {
                "/".to_owned()
            } else {
                url.path().to_owned()
            };
            return Reduced {
                scheme: Some(url.scheme().to_ascii_lowercase()),
                authority,
                path,
            };
        }
    }
    let (authority, path) = match uri.find('/') {
        Some(i) => (&uri[..i], &uri[i..]),
        None => (uri, "/"),
    };
    Reduced {
        scheme: None,
        authority: authority.to_ascii_lowercase(),
        path: path.to_owned(),
    }
}

/// Whether `test` is `base` or lies below it (urllib2's `is_suburi`): same authority (and
/// scheme, when both name one), and `base`'s path is a prefix of `test`'s ending at a `/`.
fn is_suburi(base: &Reduced, test: &Reduced) -> bool {
    if base.authority == ANY_URI {
        return true;
    }
    if base.authority != test.authority {
        return false;
    }
    if let (Some(a), Some(b)) = (&base.scheme, &test.scheme) {
        if a != b {
            return false;
        }
    }
    if base.path == test.path {
        return true;
    }
    let mut prefix = base.path.clone();
    if !prefix.ends_with('/') {
        prefix.push('/');
    }
    test.path.starts_with(&prefix)
}

/// Credentials by realm and URI prefix (urllib2's `HTTPPasswordMgr`, with the behaviour of
/// `HTTPPasswordMgrWithDefaultRealm`).
///
/// [`add_password`](Self::add_password) stores a user and password for a realm and a URI;
/// [`find_user_password`](Self::find_user_password) finds them for a realm and the URI that
/// was challenged. A stored URI matches when scheme (if it names one), host and port agree
/// — a missing port is the scheme's default — and its path is a prefix of the challenged
/// path at a `/` boundary (`/a` covers `/a` and `/a/b`, not `/ab`). A stored URI may also
/// be a bare authority (`proxy.example:3128`), as urllib2 allows.
///
/// Credentials added with realm `None` serve any realm: they are the fallback when none are
/// stored for the challenged realm. The manager is shareable: wrap it in an [`Arc`] and give
/// it to several handlers; it locks internally.
///
/// ```
/// use mechanize::handlers::HTTPPasswordMgr;
///
/// let mgr = HTTPPasswordMgr::new();
/// mgr.add_password(Some("Admin"), "http://example.com/admin/", "root", "hunter2");
/// mgr.add_password(None, "http://example.com/", "guest", "guest");
/// assert_eq!(
///     mgr.find_user_password(Some("Admin"), "http://example.com:80/admin/users"),
///     Some(("root".to_owned(), "hunter2".to_owned()))
/// );
/// assert_eq!(
///     mgr.find_user_password(Some("Other"), "http://example.com/x"),
///     Some(("guest".to_owned(), "guest".to_owned()))
/// );
/// assert_eq!(mgr.find_user_password(Some("Admin"), "http://example.com/administrator"), Some(("guest".to_owned(), "guest".to_owned())));
/// assert_eq!(mgr.find_user_password(Some("Admin"), "https://example.com/admin/"), None);
/// ```
#[derive(Debug, Default)]
pub struct HTTPPasswordMgr {
    entries: RwLock<Vec<Entry>>,
}

/// urllib2's `HTTPPasswordMgrWithDefaultRealm`: [`HTTPPasswordMgr`] already behaves so.
pub type HTTPPasswordMgrWithDefaultRealm = HTTPPasswordMgr;

impl HTTPPasswordMgr {
    /// An empty manager.
    pub fn new() -> HTTPPasswordMgr {
        HTTPPasswordMgr::default()
    }

    /// Stores `user` and `password` for `realm` (`None`: any realm) and the URI prefix
    /// `uri`, replacing what was stored for the same realm and URI. The URI `*` matches
    /// every URI, as a `None` URI does in mechanize's proxy password manager: meant for
    /// proxy credentials, never send server credentials everywhere.
    pub fn add_password(&self, realm: Option<&str>, uri: &str, user: &str, password: &str) {
        let reduced = reduce_uri(uri, true);
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        let realm = realm.map(str::to_owned);
        entries.retain(|e| !(e.realm == realm && e.uri == reduced));
        entries.push(Entry {
            realm,
            uri: reduced,
            user: user.to_owned(),
            password: password.to_owned(),
        });
    }

    /// The user and password for `realm` and the challenged URI `authuri`: those stored for
    /// that realm first, then those stored for any realm (`None`).
    pub fn find_user_password(
        &self,
        realm: Option<&str>,
        authuri: &str,
    ) -> Option<(String, String)> {
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        let find = |realm: Option<&str>| {
            for default_port in [true, false] {
                let test = reduce_uri(authuri, default_port);
                for e in entries.iter().filter(|e| e.realm.as_deref() == realm) {
                    if is_suburi(&e.uri, &test) {
                        return Some((e.user.clone(), e.password.clone()));
                    }
                }
            }
            None
        };
        match realm {
            Some(r) => find(Some(r)).or_else(|| find(None)),
            None => find(None),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Challenge parsing
// ---------------------------------------------------------------------------------------

/// One challenge of a `WWW-Authenticate` or `Proxy-Authenticate` header.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Challenge {
    /// The scheme, lower case.
    scheme: String,
    /// Parameters, names lower case, values unquoted.
    params: Vec<(String, String)>,
}

impl Challenge {
    fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

fn is_tchar(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

/// A small cursor over a header value.
struct Cursor<'a> {
    s: &'a str,
    pos: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<char> {
        self.s[self.pos..].chars().next()
    }

    fn skip_ws(&mut self) {
        while let Some(c) = self.peek() {
            if c == ' ' || c == '\t' {
                self.pos += 1;
            } else {
                break;
            }
        }
    }

    fn skip_ws_and_commas(&mut self) {
        while let Some(c) = self.peek() {
            if c == ' ' || c == '\t' || c == ',' {
                self.pos += 1;
            } else {
                break;
            }
        }
    }

    fn token(&mut self) -> &str {
        let start = self.pos;
        while let Some(c) = self.peek() {
            if is_tchar(c) {
                self.pos += c.len_utf8();
            } else {
                break;
            }
        }
        &self.s[start..self.pos]
    }

    /// A quoted string (the cursor is on the opening quote), unescaped.
    fn quoted(&mut self) -> String {
        let mut out = String::new();
        self.pos += 1;
        while let Some(c) = self.peek() {
            self.pos += c.len_utf8();
            match c {
                '"' => return out,
                '\\' => {
                    if let Some(n) = self.peek() {
                        self.pos += n.len_utf8();
                        out.push(n);
                    }
                }
                _ => out.push(c),
            }
        }
        out
    }

    /// Skips to the next comma (for a token68 or junk).
    fn skip_item(&mut self) {
        while let Some(c) = self.peek() {
            if c == ',' {
                break;
            }
            self.pos += c.len_utf8();
        }
    }
}

/// Parses the challenges of one header value: `Basic realm="a", Digest realm=b, nonce="…"`.
fn parse_challenges(value: &str) -> Vec<Challenge> {
    let mut out = Vec::new();
    let mut c = Cursor { s: value, pos: 0 };
    loop {
        c.skip_ws_and_commas();
        if c.peek().is_none() {
            break;
        }
        let scheme = c.token().to_ascii_lowercase();
        if scheme.is_empty() {
            // Not a token: skip to the next item.
            c.pos += c.peek().map_or(1, char::len_utf8);
            c.skip_item();
            continue;
        }
        let mut challenge = Challenge {
            scheme,
            params: Vec::new(),
        };
        loop {
            c.skip_ws_and_commas();
            let start = c.pos;
            let name = c.token().to_ascii_lowercase();
            if name.is_empty() {
                if c.peek().is_some() {
                    c.skip_item();
                    continue;
                }
                break;
            }
            c.skip_ws();
            if c.peek() != Some('=') {
                // A new challenge's scheme (or a token68 without padding): back up.
                c.pos = start;
                break;
            }
            c.pos += 1;
            c.skip_ws();
            let value = match c.peek() {
                Some('"') => c.quoted(),
                Some('=') => {
                    // token68 padding (`abc==`): not a parameter.
                    c.skip_item();
                    continue;
                }
                _ => {
                    let start = c.pos;
                    while let Some(ch) = c.peek() {
                        if ch == ',' || ch == ' ' || ch == '\t' {
                            break;
                        }
                        c.pos += ch.len_utf8();
                    }
                    c.s[start..c.pos].to_owned()
                }
            };
            challenge.params.push((name, value));
        }
        out.push(challenge);
    }
    out
}

/// Every challenge in every `header` of `response`.
fn challenges(response: &Response, header: &HeaderName) -> Vec<Challenge> {
    response
        .info()
        .get_all(header)
        .iter()
        .flat_map(|v| parse_challenges(&String::from_utf8_lossy(v.as_bytes())))
        .collect()
}

// ---------------------------------------------------------------------------------------
// Shared pieces of the handlers
// ---------------------------------------------------------------------------------------

/// Whether a handler answers a server (401) or a proxy (407).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Server,
    Proxy,
}

impl Target {
    fn challenge_header(self) -> HeaderName {
        match self {
            Target::Server => WWW_AUTHENTICATE,
            Target::Proxy => PROXY_AUTHENTICATE,
        }
    }

    fn auth_header(self) -> HeaderName {
        match self {
            Target::Server => AUTHORIZATION,
            Target::Proxy => PROXY_AUTHORIZATION,
        }
    }

    /// The URI whose credentials are looked up: the full URL for a server, the authority
    /// for a proxy (as urllib2 does).
    fn auth_uri(self, request: &Request) -> String {
        match self {
            Target::Server => request.full_url().to_owned(),
            // The proxy's own address, when the request has one (urllib2 asks the password
            // manager about the proxy's host once `set_proxy` has run).
            Target::Proxy => match request.proxy() {
                Some(p) => format!(
                    "http://{}:{}/",
                    p.host_str().unwrap_or(""),
                    p.port_or_known_default().unwrap_or(80)
                ),
                None => format!("{}://{}/", request.scheme(), request.host()),
            },
        }
    }
}

/// The request to retry: `request` with `header` set to `value` as an ordinary header.
fn retried(request: &Request, header: &HeaderName, value: &str) -> Result<Request> {
    let mut next = request.clone();
    next.remove_header(header.as_str());
    next.add_header(header.as_str(), value)?;
    Ok(next)
}

/// The scheme of an `Authorization`-style value, lower case.
fn credentials_scheme(value: &str) -> String {
    value
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

// ---------------------------------------------------------------------------------------
// Basic
// ---------------------------------------------------------------------------------------

/// The `Authorization` (or `Proxy-Authorization`) value for Basic credentials.
pub(crate) fn basic_credentials(user: &str, password: &str) -> String {
    format!("Basic {}", BASE64.encode(format!("{user}:{password}")))
}

async fn basic_auth(
    passwd: &HTTPPasswordMgr,
    target: Target,
    request: &Request,
    response: Response,
    director: &OpenerDirector,
) -> Result<std::result::Result<Response, Response>> {
    let header = target.auth_header();
    let previous = request.get_header(header.as_str()).map(str::to_owned);
    if previous
        .as_deref()
        .is_some_and(|p| credentials_scheme(p) == "digest")
    {
        // The Digest handler has tried and failed: do not start another round.
        return Ok(Err(response));
    }
    let uri = target.auth_uri(request);
    let found = challenges(&response, &target.challenge_header())
        .into_iter()
        .filter(|c| c.scheme == "basic")
        .find_map(|c| passwd.find_user_password(c.param("realm"), &uri));
    let Some((user, password)) = found else {
        return Ok(Err(response));
    };
    let value = basic_credentials(&user, &password);
    if previous.as_deref() == Some(value.as_str()) {
        tracing::debug!(url = %request.url(), "basic credentials refused: giving up");
        return Ok(Err(response));
    }
    let next = retried(request, &header, &value)?;
    drop(response);
    tracing::debug!(url = %request.url(), user = %user, "retrying with basic credentials");
    director.open(next).await.map(Ok)
}

/// Answers `401` challenges for `Basic` authentication (urllib2's `HTTPBasicAuthHandler`),
/// in the role `"basic-auth"`.
///
/// On a 401 whose `WWW-Authenticate` headers hold a `Basic` challenge (scheme in any case,
/// realm quoted or not, among other challenges) for which the password manager has
/// credentials, it retries the request once with `Authorization: Basic …`. The header is an
/// ordinary one, so a redirect to the same host keeps it (the redirect handler drops it
/// across hosts). When the retry is refused too, it gives up: the 401 becomes
/// [`Error::Http`](crate::Error::Http).
///
/// ```
/// use std::sync::Arc;
/// use mechanize::build_opener;
/// use mechanize::handlers::{HTTPBasicAuthHandler, HTTPPasswordMgr};
///
/// let mgr = Arc::new(HTTPPasswordMgr::new());
/// mgr.add_password(None, "http://intranet.example/", "alice", "s3cret");
/// let opener = build_opener(vec![Arc::new(HTTPBasicAuthHandler::new(mgr))]);
/// # let _ = opener;
/// ```
#[derive(Debug, Clone, Default)]
pub struct HTTPBasicAuthHandler {
    passwd: Arc<HTTPPasswordMgr>,
}

/// Answers `407` challenges for `Basic` proxy authentication (urllib2's
/// `ProxyBasicAuthHandler`), in the role `"proxy-basic-auth"`: as
/// [`HTTPBasicAuthHandler`], with `Proxy-Authenticate` and `Proxy-Authorization`, and
/// credentials looked up by the authority (`scheme://host:port/`) that answered.
#[derive(Debug, Clone, Default)]
pub struct ProxyBasicAuthHandler {
    passwd: Arc<HTTPPasswordMgr>,
}

// ---------------------------------------------------------------------------------------
// Digest
// ---------------------------------------------------------------------------------------

/// The Digest hash algorithms supported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Algorithm {
    Md5,
    Md5Sess,
    Sha256,
    Sha256Sess,
}

impl Algorithm {
    fn parse(name: Option<&str>) -> Option<Algorithm> {
        match name.map(str::to_ascii_uppercase).as_deref() {
            None | Some("MD5") => Some(Algorithm::Md5),
            Some("MD5-SESS") => Some(Algorithm::Md5Sess),
            Some("SHA-256") => Some(Algorithm::Sha256),
            Some("SHA-256-SESS") => Some(Algorithm::Sha256Sess),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Algorithm::Md5 => "MD5",
            Algorithm::Md5Sess => "MD5-sess",
            Algorithm::Sha256 => "SHA-256",
            Algorithm::Sha256Sess => "SHA-256-sess",
        }
    }

    /// Preference among several challenges: SHA-256 first (RFC 7616 §3.7).
    fn preference(self) -> u8 {
        match self {
            Algorithm::Sha256 | Algorithm::Sha256Sess => 0,
            Algorithm::Md5 | Algorithm::Md5Sess => 1,
        }
    }

    fn session(self) -> bool {
        matches!(self, Algorithm::Md5Sess | Algorithm::Sha256Sess)
    }

    /// The lower-case hex digest of `data`.
    fn hash(self, data: &str) -> String {
        let bytes: Vec<u8> = match self {
            Algorithm::Md5 | Algorithm::Md5Sess => Md5::digest(data.as_bytes()).to_vec(),
            Algorithm::Sha256 | Algorithm::Sha256Sess => Sha256::digest(data.as_bytes()).to_vec(),
        };
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// Quotes a value for a quoted-string.
fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// A fresh client nonce: 16 hex digits from the OS's random source.
fn new_cnonce() -> String {
    let random = getrandom::u64().unwrap_or_else(|_| {
        // No OS randomness: fall back on the clock, which is unique enough for a cnonce.
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64)
    });
    format!("{random:016x}")
}

/// The nonce count state: the last server nonce and how often it has been used.
#[derive(Debug, Default)]
struct NonceCount {
    nonce: String,
    count: u32,
}

/// The parameters of `Digest` credentials the request already carries.
fn previous_digest(request: &Request, header: &HeaderName) -> Option<Challenge> {
    let value = request.get_header(header.as_str())?;
    parse_challenges(value)
        .into_iter()
        .next()
        .filter(|c| c.scheme == "digest")
}

/// The Digest machinery shared by the server and proxy handlers.
#[derive(Debug, Default)]
struct DigestCore {
    passwd: Arc<HTTPPasswordMgr>,
    nc: Mutex<NonceCount>,
}

impl DigestCore {
    fn next_nc(&self, nonce: &str) -> u32 {
        let mut nc = self.nc.lock().unwrap_or_else(|e| e.into_inner());
        if nc.nonce == nonce {
            nc.count += 1;
        } else {
            nc.nonce = nonce.to_owned();
            nc.count = 1;
        }
        nc.count
    }

    /// The `Digest …` credentials answering `challenge` for `request`.
    fn authorization(
        &self,
        request: &Request,
        challenge: &Challenge,
        algorithm: Algorithm,
        user: &str,
        password: &str,
        stale_retry: bool,
    ) -> Option<String> {
        let realm = challenge.param("realm").unwrap_or("");
        let nonce = challenge.param("nonce")?;
        let qop_auth = match challenge.param("qop") {
            None => false,
            Some(qops) => {
                if qops
                    .split(',')
                    .any(|q| q.trim().eq_ignore_ascii_case("auth"))
                {
                    true
                } else {
                    // Only auth-int (or unknown) offered: not supported.
                    return None;
                }
            }
        };
        let uri = match request.url().query() {
            Some(q) => format!("{}?{q}", request.url().path()),
            None => request.url().path().to_owned(),
        };
        let mut cnonce = new_cnonce();
        if stale_retry {
            cnonce.push('s');
        }
        let mut ha1 = algorithm.hash(&format!("{user}:{realm}:{password}"));
        if algorithm.session() {
            ha1 = algorithm.hash(&format!("{ha1}:{nonce}:{cnonce}"));
        }
        let ha2 = algorithm.hash(&format!("{}:{uri}", request.method().as_str()));
        let mut value = format!(
            "Digest username={}, realm={}, nonce={}, uri={}",
            quote(user),
            quote(realm),
            quote(nonce),
            quote(&uri)
        );
        if qop_auth {
            let nc = format!("{:08x}", self.next_nc(nonce));
            let response = algorithm.hash(&format!("{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}"));
            value.push_str(&format!(
                ", response=\"{response}\", algorithm={}, qop=auth, nc={nc}, cnonce={}",
                algorithm.name(),
                quote(&cnonce)
            ));
        } else {
            if algorithm.session() {
                // A session algorithm needs a cnonce, which needs a qop.
                return None;
            }
            let response = algorithm.hash(&format!("{ha1}:{nonce}:{ha2}"));
            value.push_str(&format!(
                ", response=\"{response}\", algorithm={}",
                algorithm.name()
            ));
        }
        if let Some(opaque) = challenge.param("opaque") {
            value.push_str(&format!(", opaque={}", quote(opaque)));
        }
        Some(value)
    }

    async fn handle(
        &self,
        target: Target,
        request: &Request,
        response: Response,
        director: &OpenerDirector,
    ) -> Result<std::result::Result<Response, Response>> {
        let header = target.auth_header();
        let uri = target.auth_uri(request);
        let mut candidates: Vec<(Algorithm, Challenge, (String, String))> =
            challenges(&response, &target.challenge_header())
                .into_iter()
                .filter(|c| c.scheme == "digest" && c.param("nonce").is_some())
                .filter_map(|c| {
                    let algorithm = Algorithm::parse(c.param("algorithm"))?;
                    let creds = self.passwd.find_user_password(c.param("realm"), &uri)?;
                    Some((algorithm, c, creds))
                })
                .collect();
        candidates.sort_by_key(|(a, _, _)| a.preference());
        let Some((algorithm, challenge, (user, password))) = candidates.into_iter().next() else {
            return Ok(Err(response));
        };

        let mut stale_retry = false;
        if let Some(previous) = previous_digest(request, &header) {
            let stale = challenge
                .param("stale")
                .is_some_and(|s| s.eq_ignore_ascii_case("true"));
            let new_nonce = previous.param("nonce") != challenge.param("nonce");
            let already_stale = previous.param("cnonce").is_some_and(|c| c.ends_with('s'));
            if !(stale && new_nonce && !already_stale) {
                tracing::debug!(url = %request.url(), "digest credentials refused: giving up");
                return Ok(Err(response));
            }
            stale_retry = true;
        }

        let Some(value) = self.authorization(
            request,
            &challenge,
            algorithm,
            &user,
            &password,
            stale_retry,
        ) else {
            return Ok(Err(response));
        };
        let next = retried(request, &header, &value)?;
        drop(response);
        tracing::debug!(url = %request.url(), user = %user, algorithm = algorithm.name(), "retrying with digest credentials");
        director.open(next).await.map(Ok)
    }
}

/// Answers `401` challenges for `Digest` authentication (RFC 7616; urllib2's
/// `HTTPDigestAuthHandler`), in the role `"digest-auth"`.
///
/// It supports the algorithms `MD5`, `MD5-sess`, `SHA-256` and `SHA-256-sess` (preferring
/// SHA-256 when the server offers several challenges), `qop=auth` with a nonce count and a
/// random `cnonce`, servers without `qop` (RFC 2069), and passes `opaque` back. `qop=auth-int`
/// alone and `userhash` are not supported: such challenges are declined.
///
/// It runs before [`HTTPBasicAuthHandler`] (`handler_order` 490, as urllib2's), retries once,
/// and gives up (the 401 becomes [`Error::Http`](crate::Error::Http)) when the retry is
/// refused — except that a `stale=true` challenge with a new nonce gets one more retry.
#[derive(Debug, Default)]
pub struct HTTPDigestAuthHandler {
    core: DigestCore,
}

/// Answers `407` challenges for `Digest` proxy authentication (urllib2's
/// `ProxyDigestAuthHandler`), in the role `"proxy-digest-auth"`: as
/// [`HTTPDigestAuthHandler`], with `Proxy-Authenticate` and `Proxy-Authorization`, and
/// credentials looked up by the authority (`scheme://host:port/`) that answered.
#[derive(Debug, Default)]
pub struct ProxyDigestAuthHandler {
    core: DigestCore,
}

/// The parts every authentication handler shares: construction from a password manager,
/// `handler_order`, `role`, and the status it answers.
macro_rules! auth_handler {
    (
        $ty:ident, order = $order:expr, role = $role:literal, code = $code:literal,
        passwd = |$s:ident| $passwd:expr, new = |$p:ident| $new:expr,
        handle = |$h:ident, $req:ident, $resp:ident, $dir:ident| $handle:expr $(,)?
    ) => {
        impl $ty {
            /// A handler using `passwd` (which may be shared with other handlers).
            pub fn new($p: Arc<HTTPPasswordMgr>) -> $ty {
                $new
            }

            /// The password manager.
            pub fn password_mgr(&self) -> &Arc<HTTPPasswordMgr> {
                let $s = self;
                $passwd
            }

            /// Stores credentials in the password manager (urllib2's `add_password`).
            pub fn add_password(&self, realm: Option<&str>, uri: &str, user: &str, password: &str) {
                self.password_mgr().add_password(realm, uri, user, password);
            }
        }

        impl Handler for $ty {
            fn handler_order(&self) -> i32 {
                $order
            }

            fn role(&self) -> Option<&'static str> {
                Some($role)
            }

            fn error_handler(&self) -> Option<&dyn ErrorHandler> {
                Some(self)
            }
        }

        impl ErrorHandler for $ty {
            fn codes(&self) -> Codes {
                Codes::Only(&[$code])
            }

            fn handle_error<'a>(
                &'a self,
                $req: &'a Request,
                $resp: Response,
                $dir: &'a OpenerDirector,
            ) -> BoxFuture<'a, Result<std::result::Result<Response, Response>>> {
                let $h = self;
                Box::pin($handle)
            }
        }
    };
}

auth_handler!(
    HTTPBasicAuthHandler,
    order = 500,
    role = "basic-auth",
    code = 401,
    passwd = |h| &h.passwd,
    new = |passwd| HTTPBasicAuthHandler { passwd },
    handle = |h, request, response, director| basic_auth(
        &h.passwd,
        Target::Server,
        request,
        response,
        director
    ),
);
auth_handler!(
    ProxyBasicAuthHandler,
    order = 500,
    role = "proxy-basic-auth",
    code = 407,
    passwd = |h| &h.passwd,
    new = |passwd| ProxyBasicAuthHandler { passwd },
    handle = |h, request, response, director| basic_auth(
        &h.passwd,
        Target::Proxy,
        request,
        response,
        director
    ),
);
auth_handler!(
    HTTPDigestAuthHandler,
    order = 490,
    role = "digest-auth",
    code = 401,
    passwd = |h| &h.core.passwd,
    new = |passwd| HTTPDigestAuthHandler {
        core: DigestCore {
            passwd,
            nc: Mutex::default()
        }
    },
    handle =
        |h, request, response, director| h.core.handle(Target::Server, request, response, director),
);
auth_handler!(
    ProxyDigestAuthHandler,
    order = 490,
    role = "proxy-digest-auth",
    code = 407,
    passwd = |h| &h.core.passwd,
    new = |passwd| ProxyDigestAuthHandler {
        core: DigestCore {
            passwd,
            nc: Mutex::default()
        }
    },
    handle =
        |h, request, response, director| h.core.handle(Target::Proxy, request, response, director),
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn challenges_parse_in_any_case_quoted_or_not() {
        let cs = parse_challenges(
            r#"Newauth realm="apps", type=1, title="Login to \"apps\"", BASIC realm=simple, Digest realm="d", nonce="n,1", qop="auth,auth-int""#,
        );
        assert_eq!(cs.len(), 3, "{cs:?}");
        assert_eq!(cs[0].scheme, "newauth");
        assert_eq!(cs[0].param("title"), Some(r#"Login to "apps""#));
        assert_eq!(cs[1].scheme, "basic");
        assert_eq!(cs[1].param("realm"), Some("simple"));
        assert_eq!(cs[2].param("nonce"), Some("n,1"));
        assert_eq!(cs[2].param("qop"), Some("auth,auth-int"));
        let cs = parse_challenges("Negotiate abc==, Basic realm=\"x\"");
        assert_eq!(cs.len(), 2, "{cs:?}");
        assert_eq!(cs[1].param("realm"), Some("x"));
    }

    #[test]
    fn uri_matching_follows_urllib2() {
        let mgr = HTTPPasswordMgr::new();
        mgr.add_password(Some("r"), "http://example.com/a", "u", "p");
        mgr.add_password(Some("r"), "proxy.example:3128", "pu", "pp");
        let up = Some(("u".to_owned(), "p".to_owned()));
        assert_eq!(
            mgr.find_user_password(Some("r"), "http://example.com/a"),
            up
        );
        assert_eq!(
            mgr.find_user_password(Some("r"), "http://EXAMPLE.com:80/a/b"),
            up
        );
        assert_eq!(
            mgr.find_user_password(Some("r"), "http://example.com/ab"),
            None
        );
        assert_eq!(
            mgr.find_user_password(Some("r"), "http://example.com:8080/a"),
            None
        );
        assert_eq!(
            mgr.find_user_password(Some("r"), "https://example.com/a"),
            None
        );
        assert_eq!(
            mgr.find_user_password(Some("x"), "http://example.com/a"),
            None
        );
        assert_eq!(mgr.find_user_password(None, "http://example.com/a"), None);
        assert_eq!(
            mgr.find_user_password(Some("r"), "http://proxy.example:3128/"),
            Some(("pu".to_owned(), "pp".to_owned()))
        );
        mgr.add_password(Some("r"), "http://example.com/a", "u2", "p2");
        assert_eq!(
            mgr.find_user_password(Some("r"), "http://example.com/a"),
            Some(("u2".to_owned(), "p2".to_owned()))
        );
        mgr.add_password(None, "example.com", "d", "dp");
        assert_eq!(
            mgr.find_user_password(Some("other"), "http://example.com/zzz"),
            Some(("d".to_owned(), "dp".to_owned()))
        );
    }

    #[test]
    fn rfc7616_md5_example() {
        // RFC 7616 §3.9.1, MD5.
        let ha1 = Algorithm::Md5.hash("Mufasa:http-auth@example.org:Circle of Life");
        let ha2 = Algorithm::Md5.hash("GET:/dir/index.html");
        let r = Algorithm::Md5.hash(&format!(
            "{ha1}:7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v:00000001:f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ:auth:{ha2}"
        ));
        assert_eq!(r, "8ca523f5e9506fed4657c9700eebdbec");
        let ha1 = Algorithm::Sha256.hash("Mufasa:http-auth@example.org:Circle of Life");
        let ha2 = Algorithm::Sha256.hash("GET:/dir/index.html");
        let r = Algorithm::Sha256.hash(&format!(
            "{ha1}:7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v:00000001:f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ:auth:{ha2}"
        ));
        assert_eq!(
            r,
            "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"
        );
    }
}
