//! The TCP connector under the HTTP handlers' TLS: direct, or through an HTTP proxy (plain
//! `http:` requests go to the proxy in absolute form, `https:` ones through a `CONNECT` tunnel).

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use http::header::{PROXY_AUTHORIZATION, USER_AGENT};
use http::uri::Scheme;
use http::{HeaderMap, HeaderValue, Uri};
use hyper::rt::{Read, ReadBufCursor, Write};
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::legacy::connect::{Connected, Connection, HttpConnector};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tower_service::Service;
use url::Url;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Connects to the destination, or to the proxy.
#[derive(Clone)]
pub(super) struct Connector {
    tcp: HttpConnector,
    proxy: Option<Proxied>,
}

#[derive(Clone)]
struct Proxied {
    address: Uri,
    tunnel: Tunnel<HttpConnector>,
}

/// The proxy's `Proxy-Authorization` value, from the user and password in its URL.
pub(super) fn proxy_authorization(proxy: &Url) -> Option<String> {
    if proxy.username().is_empty() && proxy.password().is_none() {
        return None;
    }
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8_lossy()
            .into_owned()
    };
    Some(crate::handlers::auth::basic_credentials(
        &decode(proxy.username()),
        &decode(proxy.password().unwrap_or("")),
    ))
}

impl Connector {
    /// A direct connector.
    pub(super) fn direct(tcp: HttpConnector) -> Connector {
        Connector { tcp, proxy: None }
    }

    /// A connector through `proxy` (an `http://` URL).
    pub(super) fn through(tcp: HttpConnector, proxy: &Url) -> Result<Connector, String> {
        let host = proxy.host_str().ok_or("proxy URL without a host")?;
        let port = proxy.port_or_known_default().unwrap_or(80);
        let address: Uri = format!("http://{host}:{port}/")
            .parse()
            .map_err(|e| format!("proxy address: {e}"))?;
        let mut headers = HeaderMap::new();
        headers.insert(USER_AGENT, HeaderValue::from_static(crate::USER_AGENT));
        if let Some(auth) = proxy_authorization(proxy) {
            let mut value =
                HeaderValue::from_str(&auth).map_err(|e| format!("proxy credentials: {e}"))?;
            value.set_sensitive(true);
            headers.insert(PROXY_AUTHORIZATION, value);
        }
        let tunnel = Tunnel::new(address.clone(), tcp.clone()).with_headers(headers);
        Ok(Connector {
            tcp,
            proxy: Some(Proxied { address, tunnel }),
        })
    }
}

impl Service<Uri> for Connector {
    type Response = Stream;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Stream, BoxError>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        // The HTTP connector is always ready, and so is a tunnel over it.
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, dst: Uri) -> Self::Future {
        let mut tcp = self.tcp.clone();
        match &self.proxy {
            None => Box::pin(async move {
                let io = tcp.call(dst).await?;
                Ok(Stream {
                    io,
                    forwarding: false,
                })
            }),
            Some(proxy) if dst.scheme() == Some(&Scheme::HTTPS) => {
                let mut tunnel = proxy.tunnel.clone();
                Box::pin(async move {
                    let io = tunnel
                        .call(dst)
                        .await
                        .map_err(|e| format!("CONNECT through the proxy: {e}"))?;
                    Ok(Stream {
                        io,
                        forwarding: false,
                    })
                })
            }
            Some(proxy) => {
                let address = proxy.address.clone();
                Box::pin(async move {
                    let io = tcp
                        .call(address)
                        .await
                        .map_err(|e| format!("connecting to the proxy: {e}"))?;
                    Ok(Stream {
                        io,
                        forwarding: true,
                    })
                })
            }
        }
    }
}

/// A TCP connection, to the destination, through a tunnel, or to a forwarding proxy (to which
/// requests are written in absolute form).
pub(super) struct Stream {
    io: TokioIo<TcpStream>,
    forwarding: bool,
}

impl Connection for Stream {
    fn connected(&self) -> Connected {
        self.io.connected().proxy(self.forwarding)
    }
}

impl Read for Stream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_read(cx, buf)
    }
}

impl Write for Stream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write_vectored(cx, bufs)
    }
}
