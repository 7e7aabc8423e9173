//! `HTTPHandler` and `HTTPSHandler`: `http:` and `https:` URLs over one pooled hyper client
//! (HTTP/1.1, and HTTP/2 when TLS's ALPN agrees on it), with TLS by rustls (ring provider) and
//! the web PKI roots, plus any CA certificates added.

use std::collections::HashMap;
use std::fmt;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, LazyLock, Mutex, OnceLock};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use http::header::{
    ACCEPT_ENCODING, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, HeaderValue,
    PROXY_AUTHORIZATION,
};
use http::{HeaderMap, Uri};
use http_body_util::Full;
use hyper::body::{Body as _, Incoming};
use hyper_rustls::{HttpsConnector, HttpsConnectorBuilder};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use rustls::RootCertStore;
use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;
use tokio::io::AsyncRead;
use tokio::time::{Instant, Sleep};
use tokio_util::io::{ReaderStream, StreamReader};
use url::Url;

use super::connector::{Connector, proxy_authorization};
use crate::director::OpenerDirector;
use crate::error::{Error, Result};
use crate::handler::{BoxFuture, Handler, OpenHandler, Schemes};
use crate::request::Request;
use crate::response::{BodyStream, Response};

type HyperClient = Client<HttpsConnector<Connector>, Full<Bytes>>;

/// The content codings this build decodes (one cargo feature each: `gzip`, `deflate`,
/// `brotli`, `zstd`), in the order `Accept-Encoding` lists them.
const CODINGS: &[&str] = &[
    #[cfg(feature = "gzip")]
    "gzip",
    #[cfg(feature = "deflate")]
    "deflate",
    #[cfg(feature = "brotli")]
    "br",
    #[cfg(feature = "zstd")]
    "zstd",
];

/// The `Accept-Encoding` value sent when decompressing: the codings this build decodes, or
/// none when it decodes none.
static ACCEPT: LazyLock<Option<HeaderValue>> = LazyLock::new(|| {
    if CODINGS.is_empty() {
        None
    } else {
        HeaderValue::from_str(&CODINGS.join(", ")).ok()
    }
});

/// The compressed body as read by a decoder.
type Reader = StreamReader<IoBody, Bytes>;

/// Wraps a compressed body in the decoder for its coding.
type MakeDecoder = fn(Reader) -> Pin<Box<dyn AsyncRead + Send>>;

/// The decoder for a `Content-Encoding` value (trimmed, lower case), if this build has it.
fn decoder_for(coding: &str) -> Option<MakeDecoder> {
    match coding {
        #[cfg(feature = "gzip")]
        "gzip" | "x-gzip" => {
            Some(|r| Box::pin(async_compression::tokio::bufread::GzipDecoder::new(r)))
        }
        #[cfg(feature = "deflate")]
        "deflate" => Some(|r| Box::pin(async_compression::tokio::bufread::ZlibDecoder::new(r))),
        #[cfg(feature = "brotli")]
        "br" => Some(|r| Box::pin(async_compression::tokio::bufread::BrotliDecoder::new(r))),
        #[cfg(feature = "zstd")]
        "zstd" => Some(|r| Box::pin(async_compression::tokio::bufread::ZstdDecoder::new(r))),
        _ => None,
    }
}

/// The settings a client is built from.
#[derive(Clone)]
struct Config {
    roots: RootCertStore,
    connect_timeout: Option<Duration>,
    timeout: Option<Duration>,
    decompress: bool,
}

/// What an `HTTPHandler` and the `HTTPSHandler`s made from it share: the settings, the
/// client (built on first use, so a handler can be made outside a runtime) and its pool, and
/// one client per proxy used.
struct Shared {
    config: Config,
    client: OnceLock<std::result::Result<HyperClient, String>>,
    proxied: Mutex<HashMap<String, HyperClient>>,
    debug: AtomicBool,
}

impl Shared {
    fn new(config: Config, debug: bool) -> Arc<Shared> {
        Arc::new(Shared {
            config,
            client: OnceLock::new(),
            proxied: Mutex::new(HashMap::new()),
            debug: AtomicBool::new(debug),
        })
    }

    /// The client for direct requests.
    fn direct(&self) -> std::result::Result<&HyperClient, String> {
        self.client
            .get_or_init(|| build_client(&self.config, None))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The client for requests through `proxy` (one per proxy, made on first use).
    fn proxied(&self, proxy: &Url) -> std::result::Result<HyperClient, String> {
        let mut proxied = self.proxied.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(client) = proxied.get(proxy.as_str()) {
            return Ok(client.clone());
        }
        let client = build_client(&self.config, Some(proxy))?;
        proxied.insert(proxy.as_str().to_owned(), client.clone());
        Ok(client)
    }
}

fn build_client(config: &Config, proxy: Option<&Url>) -> std::result::Result<HyperClient, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS configuration: {e}"))?
        .with_root_certificates(config.roots.clone())
        .with_no_client_auth();
    let mut http = HttpConnector::new();
    http.enforce_http(false);
    http.set_nodelay(true);
    http.set_connect_timeout(config.connect_timeout);
    let connector = match proxy {
        Some(proxy) => Connector::through(http, proxy)?,
        None => Connector::direct(http),
    };
    let https = HttpsConnectorBuilder::new()
        .with_tls_config(tls)
        .https_or_http()
        .enable_all_versions()
        .wrap_connector(connector);
    Ok(Client::builder(TokioExecutor::new())
        .pool_timer(TokioTimer::new())
        .timer(TokioTimer::new())
        .build(https))
}

fn invalid_cert(e: impl std::error::Error + Send + Sync + 'static) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, e)
}

/// Opens `http:` URLs, as urllib2's `HTTPHandler` (role `"http"`); its
/// [`https`](HTTPHandler::https) twin opens `https:` ones over the same connection pool.
///
/// The handler sends the request's method, its headers (ordinary ones, then unredirected
/// ones, which win), `Host` from the URL, and its data as the body with `Content-Length` —
/// and `Content-Type: application/x-www-form-urlencoded` when there is data and no
/// `Content-Type`, as urllib2 does. The response keeps the status, reason phrase and headers;
/// its URL is the request's, and its body is streamed. Every status is returned as a
/// response: turning 4xx/5xx into [`Error::Http`] is the `HTTPErrorProcessor`'s job. The
/// protocol version spoken is the response's [`version`](Response::version).
///
/// Connections are pooled and reused (keep-alive for HTTP/1.1, multiplexing for HTTP/2,
/// which is chosen by ALPN over TLS). The pool's connections belong to the Tokio runtime that
/// opened them: use one handler per runtime.
///
/// Options (each consumes and returns the handler; set them before calling
/// [`https`](HTTPHandler::https), which shares the settings as they are then):
///
/// - [`with_timeout`](HTTPHandler::with_timeout): a total time limit per request, from
///   connecting until the last byte of the body. [`Request::timeout`] overrides it. No limit
///   by default.
/// - [`with_connect_timeout`](HTTPHandler::with_connect_timeout): a limit on establishing the
///   TCP connection. None by default (the system's).
/// - [`with_root_certificate_pem`](HTTPHandler::with_root_certificate_pem),
///   [`with_root_certificate_der`](HTTPHandler::with_root_certificate_der): trust a CA
///   besides the web PKI roots; [`without_webpki_roots`](HTTPHandler::without_webpki_roots)
///   drops those.
/// - [`with_decompression`](HTTPHandler::with_decompression): ask for compressed bodies
///   (gzip, deflate, br and zstd: those of the crate's `gzip`, `deflate`, `brotli` and `zstd`
///   features that are enabled, all by default) and decode them (on by default; a request's
///   own `Accept-Encoding` turns it off for that request, whose body then arrives as sent).
/// - [`debug_level`](HTTPHandler::debug_level) (mechanize's `set_http_debuglevel`): log the
///   request line and headers and the response status and headers with `tracing` at INFO.
///
/// Failures to connect, resolve, negotiate TLS or answer in time are [`Error::Url`], with
/// the underlying error as its source; a timeout's reason says "timed out".
///
/// ```no_run
/// use std::sync::Arc;
/// use std::time::Duration;
/// use mechanize::build_opener;
/// use mechanize::handlers::HTTPHandler;
///
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// let http = HTTPHandler::new()
///     .with_timeout(Duration::from_secs(30))
///     .debug_level(true);
/// let https = http.https();
/// let opener = build_opener(vec![Arc::new(http), Arc::new(https)]);
/// let mut page = opener.open_url("https://www.example.com/").await?;
/// println!("{} {}", page.code(), page.text().await?);
/// # Ok::<(), mechanize::Error>(())
/// # }).unwrap();
/// ```
#[derive(Clone)]
pub struct HTTPHandler {
    shared: Arc<Shared>,
}

/// Opens `https:` URLs, as urllib2's `HTTPSHandler` (role `"https"`).
///
/// Made from an [`HTTPHandler`] with [`HTTPHandler::https`] (sharing its settings and
/// connection pool) or on its own with [`HTTPSHandler::new`] (the defaults: web PKI roots,
/// no time limits). Everything [`HTTPHandler`] says applies.
///
/// ```no_run
/// use std::sync::Arc;
/// use mechanize::build_opener;
/// use mechanize::handlers::HTTPHandler;
///
/// # fn ca_pem() -> Vec<u8> { Vec::new() }
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// // Trust a private CA as well as the web PKI.
/// let https = HTTPHandler::new()
///     .with_root_certificate_pem(&ca_pem())
///     .expect("a PEM certificate")
///     .https();
/// let opener = build_opener(vec![Arc::new(https)]);
/// let page = opener.open_url("https://intranet.example/").await?;
/// assert!(page.is_success());
/// # Ok::<(), mechanize::Error>(())
/// # }).unwrap();
/// ```
#[derive(Clone)]
pub struct HTTPSHandler {
    shared: Arc<Shared>,
}

impl Default for HTTPHandler {
    fn default() -> Self {
        HTTPHandler::new()
    }
}

impl Default for HTTPSHandler {
    fn default() -> Self {
        HTTPSHandler::new()
    }
}

impl fmt::Debug for HTTPHandler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        debug_fields(f.debug_struct("HTTPHandler"), &self.shared)
    }
}

impl fmt::Debug for HTTPSHandler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        debug_fields(f.debug_struct("HTTPSHandler"), &self.shared)
    }
}

fn debug_fields(mut d: fmt::DebugStruct<'_, '_>, shared: &Shared) -> fmt::Result {
    d.field("roots", &shared.config.roots.len())
        .field("connect_timeout", &shared.config.connect_timeout)
        .field("timeout", &shared.config.timeout)
        .field("decompress", &shared.config.decompress)
        .field("debug", &shared.debug.load(Ordering::Relaxed))
        .finish()
}

impl HTTPHandler {
    /// A handler trusting the web PKI roots, with no time limits and logging off.
    pub fn new() -> HTTPHandler {
        let mut roots = RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        HTTPHandler {
            shared: Shared::new(
                Config {
                    roots,
                    connect_timeout: None,
                    timeout: None,
                    decompress: true,
                },
                false,
            ),
        }
    }

    fn with_config(self, change: impl FnOnce(&mut Config)) -> HTTPHandler {
        let mut config = self.shared.config.clone();
        change(&mut config);
        let debug = self.shared.debug.load(Ordering::Relaxed);
        HTTPHandler {
            shared: Shared::new(config, debug),
        }
    }

    /// An `HTTPSHandler` with this handler's settings, sharing its connection pool and its
    /// debug switch.
    pub fn https(&self) -> HTTPSHandler {
        HTTPSHandler {
            shared: Arc::clone(&self.shared),
        }
    }

    /// Limits each request, from connecting to the end of the body, to `timeout` (unless the
    /// request sets its own, [`Request::set_timeout`]).
    pub fn with_timeout(self, timeout: Duration) -> HTTPHandler {
        self.with_config(|c| c.timeout = Some(timeout))
    }

    /// Limits establishing each TCP connection to `timeout`.
    pub fn with_connect_timeout(self, timeout: Duration) -> HTTPHandler {
        self.with_config(|c| c.connect_timeout = Some(timeout))
    }

    /// Whether to ask for compressed bodies and decode them. On by default.
    ///
    /// `Accept-Encoding` lists the codings the crate was built to decode, one cargo feature
    /// each, all on by default: `gzip` (gzip, and x-gzip in answers), `deflate`, `brotli`
    /// (`br`) and `zstd` — `gzip, deflate, br, zstd` with all four. It is not sent when the
    /// request sets `Accept-Encoding` itself (its body then arrives as sent), nor when no
    /// coding is enabled. A decoded response loses its `Content-Encoding` and
    /// `Content-Length` headers; one in a coding not decoded is left as it is.
    pub fn with_decompression(self, on: bool) -> HTTPHandler {
        self.with_config(|c| c.decompress = on)
    }

    /// Trusts the CA certificates in `pem` (one or more `CERTIFICATE` blocks) as well.
    pub fn with_root_certificate_pem(self, pem: &[u8]) -> std::io::Result<HTTPHandler> {
        let mut certs = Vec::new();
        for cert in CertificateDer::pem_slice_iter(pem) {
            certs.push(cert.map_err(invalid_cert)?);
        }
        if certs.is_empty() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "no CERTIFICATE in the PEM data",
            ));
        }
        let mut roots = self.shared.config.roots.clone();
        for cert in certs {
            roots.add(cert).map_err(invalid_cert)?;
        }
        Ok(self.with_config(|c| c.roots = roots))
    }

    /// Trusts the DER-encoded CA certificate `der` as well.
    pub fn with_root_certificate_der(self, der: &[u8]) -> std::io::Result<HTTPHandler> {
        let mut roots = self.shared.config.roots.clone();
        roots
            .add(CertificateDer::from(der.to_vec()))
            .map_err(invalid_cert)?;
        Ok(self.with_config(|c| c.roots = roots))
    }

    /// Stops trusting the web PKI roots (only the certificates added, before or after, are
    /// trusted).
    pub fn without_webpki_roots(self) -> HTTPHandler {
        self.with_config(|c| c.roots = RootCertStore::empty())
    }

    /// Turns logging of requests and responses on or off (mechanize's
    /// `set_http_debuglevel`): request line and headers, response status and headers, at
    /// INFO with `tracing`.
    pub fn debug_level(self, on: bool) -> HTTPHandler {
        self.set_debug_level(on);
        self
    }

    /// Turns logging on or off for this handler and the ones sharing its pool.
    pub fn set_debug_level(&self, on: bool) {
        self.shared.debug.store(on, Ordering::Relaxed);
    }

    /// Whether requests and responses are logged.
    pub fn is_debug(&self) -> bool {
        self.shared.debug.load(Ordering::Relaxed)
    }
}

impl HTTPSHandler {
    /// A handler with the defaults: web PKI roots, no time limits, logging off. For other
    /// settings, configure an [`HTTPHandler`] and call [`HTTPHandler::https`].
    pub fn new() -> HTTPSHandler {
        HTTPHandler::new().https()
    }

    /// Turns logging on or off for this handler and the ones sharing its pool.
    pub fn set_debug_level(&self, on: bool) {
        self.shared.debug.store(on, Ordering::Relaxed);
    }
}

/// The `Handler` and `OpenHandler` impls of the two handlers, which differ only in scheme.
macro_rules! open_handler {
    ($ty:ident, $scheme:literal) => {
        impl Handler for $ty {
            fn role(&self) -> Option<&'static str> {
                Some($scheme)
            }
            fn open_handler(&self) -> Option<&dyn OpenHandler> {
                Some(self)
            }
        }

        impl OpenHandler for $ty {
            fn schemes(&self) -> Schemes {
                Schemes::Only(&[$scheme])
            }

            fn open<'a>(
                &'a self,
                request: &'a Request,
                _: &'a OpenerDirector,
            ) -> BoxFuture<'a, Result<Option<Response>>> {
                Box::pin(async move { open(&self.shared, request).await.map(Some) })
            }
        }
    };
}

open_handler!(HTTPHandler, "http");
open_handler!(HTTPSHandler, "https");

/// The error's message followed by its sources', joined with ": ".
fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut reason = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !reason.contains(&text) {
            reason.push_str(": ");
            reason.push_str(&text);
        }
        source = s.source();
    }
    reason
}

fn url_error(
    url: &str,
    reason: impl Into<String>,
    source: impl std::error::Error + Send + Sync + 'static,
) -> Error {
    Error::Url {
        url: url.to_owned(),
        reason: reason.into(),
        source: Some(Box::new(source)),
    }
}

fn timed_out(url: &str, timeout: Duration) -> Error {
    Error::url(url, format!("timed out after {timeout:?}"))
}

/// The hyper request for `request`: absolute URI without user info (the client writes the
/// origin form and `Host`, or `:authority` for HTTP/2), headers, body.
fn build(request: &Request, decompress: bool) -> Result<(http::Request<Full<Bytes>>, bool)> {
    let url = request.url();
    let invalid = |reason: String| Error::InvalidUrl {
        url: url.to_string(),
        reason,
    };
    let host = url
        .host_str()
        .ok_or_else(|| invalid("no host".to_owned()))?;
    // The request's URL has no fragment; without user info it is the target as it is.
    let uri: Uri = if url.username().is_empty() && url.password().is_none() {
        Uri::try_from(url.as_str())
    } else {
        let mut target = format!("{}://{host}", url.scheme());
        if let Some(port) = url.port() {
            target.push_str(&format!(":{port}"));
        }
        target.push_str(url.path());
        if let Some(q) = url.query() {
            target.push('?');
            target.push_str(q);
        }
        Uri::try_from(target)
    }
    .map_err(|e| invalid(format!("{e}")))?;

    let mut headers = request.headers().clone();
    for name in request.unredirected_headers().keys() {
        headers.remove(name);
    }
    for (name, value) in request.unredirected_headers() {
        headers.append(name.clone(), value.clone());
    }
    let accept = ACCEPT
        .as_ref()
        .filter(|_| decompress && !request.has_header(ACCEPT_ENCODING.as_str()));
    let asked = accept.is_some();
    if let Some(value) = accept {
        headers.insert(ACCEPT_ENCODING, value.clone());
    }
    // A forwarding proxy reads its credentials from the request (a tunnel from CONNECT's).
    if url.scheme() == "http" && !headers.contains_key(PROXY_AUTHORIZATION) {
        if let Some(auth) = request.proxy().and_then(proxy_authorization) {
            let mut value = HeaderValue::from_str(&auth).map_err(|e| Error::InvalidHeader {
                url: url.to_string(),
                name: PROXY_AUTHORIZATION.to_string(),
                reason: e.to_string(),
            })?;
            value.set_sensitive(true);
            headers.insert(PROXY_AUTHORIZATION, value);
        }
    }
    let body = match request.data() {
        Some(data) => {
            headers.insert(CONTENT_LENGTH, HeaderValue::from(data.len()));
            headers
                .entry(CONTENT_TYPE)
                .or_insert(HeaderValue::from_static(
                    "application/x-www-form-urlencoded",
                ));
            data.clone()
        }
        None => Bytes::new(),
    };
    let mut req = http::Request::new(Full::new(body));
    *req.method_mut() = request.method();
    *req.uri_mut() = uri;
    *req.headers_mut() = headers;
    Ok((req, asked))
}

fn log_headers(headers: &HeaderMap) {
    for (name, value) in headers {
        tracing::info!("{}: {}", name, String::from_utf8_lossy(value.as_bytes()));
    }
}

async fn open(shared: &Shared, request: &Request) -> Result<Response> {
    let url = request.full_url();
    let proxied;
    let client = match request.proxy() {
        None => shared.direct(),
        Some(proxy) => {
            proxied = shared.proxied(proxy);
            proxied.as_ref().map_err(Clone::clone)
        }
    }
    .map_err(|reason| Error::url(url, reason))?;
    let (req, asked) = build(request, shared.config.decompress)?;
    let method = req.method().clone();
    let debug = shared.debug.load(Ordering::Relaxed);
    if debug {
        tracing::info!("send: {} {} {:?}", req.method(), req.uri(), req.version());
        log_headers(req.headers());
    }
    let timeout = request.timeout().or(shared.config.timeout);
    let deadline = timeout.map(|t| (Instant::now() + t, t));
    let sent = client.request(req);
    let result = match deadline {
        Some((at, t)) => tokio::time::timeout_at(at, sent)
            .await
            .map_err(|_| timed_out(url, t))?,
        None => sent.await,
    };
    let response = result.map_err(|e| url_error(url, chain(&e), e))?;
    let (mut parts, body) = response.into_parts();
    let reason = parts
        .extensions
        .get::<hyper::ext::ReasonPhrase>()
        .map(|r| String::from_utf8_lossy(r.as_bytes()).into_owned())
        .or_else(|| parts.status.canonical_reason().map(str::to_owned))
        .unwrap_or_default();
    if debug {
        tracing::info!(
            "reply: {:?} {} {}",
            parts.version,
            parts.status.as_u16(),
            reason
        );
        log_headers(&parts.headers);
    }
    let mut stream: BodyStream = Box::pin(TimedBody {
        body,
        deadline: deadline.map(|(at, t)| (Box::pin(tokio::time::sleep_until(at)), t)),
        url: url.to_owned(),
        done: false,
    });
    let has_body = method != http::Method::HEAD
        && parts.status != http::StatusCode::NO_CONTENT
        && parts.status != http::StatusCode::NOT_MODIFIED;
    if asked && has_body {
        let encoding = parts
            .headers
            .get(CONTENT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.trim().to_ascii_lowercase());
        if let Some(make) = encoding.as_deref().and_then(decoder_for) {
            parts.headers.remove(CONTENT_ENCODING);
            parts.headers.remove(CONTENT_LENGTH);
            let decoder = make(StreamReader::new(IoBody(stream)));
            stream = Box::pin(Decoded {
                inner: ReaderStream::new(decoder),
                url: url.to_owned(),
            });
        }
    }
    Ok(Response::new(request.url().clone(), parts.status, reason)
        .with_version(parts.version)
        .with_headers(parts.headers)
        .with_stream(stream))
}

/// A hyper body as a stream of data chunks, ending with a timeout error at the deadline.
struct TimedBody {
    body: Incoming,
    deadline: Option<(Pin<Box<Sleep>>, Duration)>,
    url: String,
    done: bool,
}

impl Stream for TimedBody {
    type Item = Result<Bytes>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.done {
            return Poll::Ready(None);
        }
        loop {
            match Pin::new(&mut this.body).poll_frame(cx) {
                Poll::Ready(Some(Ok(frame))) => {
                    if let Ok(data) = frame.into_data() {
                        if !data.is_empty() {
                            return Poll::Ready(Some(Ok(data)));
                        }
                    }
                    // Trailers and empty frames: read on.
                }
                Poll::Ready(Some(Err(e))) => {
                    this.done = true;
                    let reason = format!("reading the body: {}", chain(&e));
                    return Poll::Ready(Some(Err(url_error(&this.url, reason, e))));
                }
                Poll::Ready(None) => {
                    this.done = true;
                    return Poll::Ready(None);
                }
                Poll::Pending => break,
            }
        }
        if let Some((sleep, t)) = &mut this.deadline {
            if sleep.as_mut().poll(cx).is_ready() {
                this.done = true;
                return Poll::Ready(Some(Err(timed_out(&this.url, *t))));
            }
        }
        Poll::Pending
    }
}

/// A body stream with I/O errors, for `StreamReader`.
struct IoBody(BodyStream);

impl Stream for IoBody {
    type Item = std::io::Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0
            .as_mut()
            .poll_next(cx)
            .map(|item| item.map(|r| r.map_err(std::io::Error::other)))
    }
}

/// A decoded body: the decoder's output as chunks, errors back as the client's.
struct Decoded {
    inner: ReaderStream<Pin<Box<dyn AsyncRead + Send>>>,
    url: String,
}

impl Stream for Decoded {
    type Item = Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let url = self.url.clone();
        Pin::new(&mut self.inner)
            .poll_next(cx)
            .map(|item| item.map(|r| r.map_err(|e| from_io(&url, e))))
    }
}

/// The client's error inside an I/O error (a timeout, a broken connection), or a decoding
/// error.
fn from_io(url: &str, e: std::io::Error) -> Error {
    if e.get_ref().is_some_and(|inner| inner.is::<Error>()) {
        return match e.into_inner().map(|inner| inner.downcast::<Error>()) {
            Some(Ok(err)) => *err,
            _ => Error::url(url, "reading the body"),
        };
    }
    let reason = format!("decoding the body: {e}");
    url_error(url, reason, e)
}
