//! `HTTPHandler` / `HTTPSHandler` against real servers on 127.0.0.1: headers and bodies sent,
//! statuses, cookies through the default chain, HTTPS (HTTP/2 by ALPN) with a private CA,
//! timeouts, refused connections, connection reuse, and compressed bodies (gzip, deflate, br,
//! zstd).

#![allow(clippy::unwrap_used)]

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::{StatusCode, Version};
use http_body_util::{BodyExt, Full};
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use mechanize::handler::Handler;
use mechanize::handlers::{DataHandler, HTTPHandler, HTTPSHandler};
use mechanize::{Error, OpenerDirector, Request, build_opener};
use mechanize_integration_tests::serve;
use tokio::net::TcpListener;

mod support;
use support::tls::tls_server;

fn text(status: u16, body: impl Into<Bytes>) -> hyper::Response<Full<Bytes>> {
    let mut r = hyper::Response::new(Full::new(body.into()));
    *r.status_mut() = StatusCode::from_u16(status).expect("status");
    r
}

/// Answers every request with its method and headers, one `name: value` per line.
async fn echo_server() -> SocketAddr {
    serve(|req| {
        let mut out = format!("{} {}\n", req.method(), req.uri());
        for (n, v) in req.headers() {
            out.push_str(&format!("{}: {}\n", n, v.to_str().unwrap_or("?")));
        }
        text(200, out)
    })
    .await
    .expect("server")
}

fn url_error_reason(e: Error) -> String {
    match e {
        Error::Url { reason, .. } => reason,
        other => panic!("expected Error::Url, got {other:?}"),
    }
}

#[tokio::test]
async fn get_sends_headers_and_returns_the_response() {
    let addr = echo_server().await;
    let opener = build_opener(vec![Arc::new(HTTPHandler::new())]);
    let mut req = Request::new(&format!("http://{addr}/path/page?q=1&r=two")).unwrap();
    req.add_header("X-Custom", "custom value").unwrap();
    req.add_header("X-Both", "redirected").unwrap();
    req.add_unredirected_header("X-Both", "unredirected")
        .unwrap();
    req.add_unredirected_header("X-Only-Here", "yes").unwrap();
    let mut resp = opener.open(req).await.unwrap();
    assert_eq!(resp.code(), 200);
    assert_eq!(resp.reason(), "OK");
    assert_eq!(resp.version(), Version::HTTP_11);
    assert_eq!(
        resp.geturl().as_str(),
        format!("http://{addr}/path/page?q=1&r=two")
    );
    assert!(resp.info().contains_key("content-length"));
    let body = resp.text().await.unwrap();
    let lines: Vec<&str> = body.lines().collect();
    assert_eq!(lines[0], "GET /path/page?q=1&r=two");
    assert!(lines.contains(&format!("host: {addr}").as_str()), "{body}");
    assert!(
        lines.contains(&format!("user-agent: {}", mechanize::USER_AGENT).as_str()),
        "{body}"
    );
    assert!(lines.contains(&"x-custom: custom value"), "{body}");
    assert!(lines.contains(&"x-both: unredirected"), "{body}");
    assert!(!lines.contains(&"x-both: redirected"), "{body}");
    assert!(lines.contains(&"x-only-here: yes"), "{body}");
    assert!(
        !body.contains("content-length"),
        "no body, no length: {body}"
    );
}

#[tokio::test]
async fn post_sends_form_data() {
    let seen = Arc::new(Mutex::new(None));
    let seen2 = Arc::clone(&seen);
    let addr = serve(move |req| {
        let h = |n: &str| {
            req.headers()
                .get(n)
                .map(|v| v.to_str().unwrap_or("?").to_owned())
        };
        *seen2.lock().unwrap() =
            Some((req.method().clone(), h("content-type"), h("content-length")));
        text(201, "made")
    })
    .await
    .unwrap();
    let mut opener = OpenerDirector::new();
    opener.add_handler(HTTPHandler::new());
    let mut req = Request::new(&format!("http://{addr}/submit")).unwrap();
    req.set_data(Some("a=1&b=hello+world"));
    let mut resp = opener.open(req).await.unwrap();
    assert_eq!(resp.code(), 201);
    assert_eq!(resp.reason(), "Created");
    assert_eq!(resp.text().await.unwrap(), "made");
    let (method, ctype, clen) = seen.lock().unwrap().clone().unwrap();
    assert_eq!(method, http::Method::POST);
    assert_eq!(ctype.as_deref(), Some("application/x-www-form-urlencoded"));
    assert_eq!(clen.as_deref(), Some("17"));

    // An explicit Content-Type and method are kept.
    let mut req = Request::new(&format!("http://{addr}/submit")).unwrap();
    req.set_method(http::Method::PUT);
    req.add_header("Content-Type", "application/json").unwrap();
    req.set_data(Some("{}"));
    opener.open(req).await.unwrap();
    let (method, ctype, clen) = seen.lock().unwrap().clone().unwrap();
    assert_eq!(method, http::Method::PUT);
    assert_eq!(ctype.as_deref(), Some("application/json"));
    assert_eq!(clen.as_deref(), Some("2"));
}

/// Receives the body of a POST, to check it arrives whole.
#[tokio::test]
async fn post_body_arrives() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        let service = service_fn(|req: hyper::Request<hyper::body::Incoming>| async move {
            let body = req.into_body().collect().await.unwrap().to_bytes();
            Ok::<_, Infallible>(text(200, body))
        });
        let _ = hyper::server::conn::http1::Builder::new()
            .serve_connection(TokioIo::new(stream), service)
            .await;
    });
    let mut opener = OpenerDirector::new();
    opener.add_handler(HTTPHandler::new());
    let mut req = Request::new(&format!("http://{addr}/")).unwrap();
    req.set_form([("name", "Zoë"), ("q", "a&b")]);
    let mut resp = opener.open(req).await.unwrap();
    assert_eq!(resp.text().await.unwrap(), "name=Zo%C3%AB&q=a%26b");
}

#[tokio::test]
async fn not_found_is_a_response_from_the_handler_and_an_error_through_build_opener() {
    let addr = serve(|_| text(404, "nothing here")).await.unwrap();
    let url = format!("http://{addr}/missing");

    let handler = HTTPHandler::new();
    let director = OpenerDirector::new();
    let req = Request::new(&url).unwrap();
    let opened = handler
        .open_handler()
        .unwrap()
        .open(&req, &director)
        .await
        .unwrap();
    let mut resp = opened.expect("the handler opens http");
    assert_eq!(resp.code(), 404);
    assert_eq!(resp.reason(), "Not Found");
    assert_eq!(resp.text().await.unwrap(), "nothing here");

    let opener = build_opener(vec![Arc::new(HTTPHandler::new())]);
    match opener.open_url(&url).await {
        Err(Error::Http(e)) => {
            assert_eq!(e.status, StatusCode::NOT_FOUND);
            assert_eq!(e.url, url);
            assert_eq!(&e.body[..], b"nothing here");
        }
        other => panic!("expected Error::Http, got {other:?}"),
    }
}

#[tokio::test]
async fn cookies_go_back_through_the_default_cookie_processor() {
    let addr = serve(|req| {
        if req.uri().path() == "/set" {
            let mut r = text(200, "set");
            r.headers_mut().insert(
                "set-cookie",
                http::HeaderValue::from_static("session=abc123; Path=/"),
            );
            r
        } else {
            let cookie = req
                .headers()
                .get("cookie")
                .map(|v| v.to_str().unwrap_or("?").to_owned())
                .unwrap_or_else(|| "-".to_owned());
            text(200, cookie)
        }
    })
    .await
    .unwrap();
    let opener = build_opener(vec![Arc::new(HTTPHandler::new())]);
    let mut first = opener
        .open_url(&format!("http://{addr}/set"))
        .await
        .unwrap();
    assert_eq!(first.text().await.unwrap(), "set");
    let mut second = opener
        .open_url(&format!("http://{addr}/show"))
        .await
        .unwrap();
    assert_eq!(second.text().await.unwrap(), "session=abc123");
}

#[tokio::test]
async fn https_with_a_private_ca_speaks_http2() {
    let (addr, pem, versions) = tls_server().await;
    let https = HTTPHandler::new()
        .with_root_certificate_pem(pem.as_bytes())
        .unwrap()
        .https();
    assert_eq!(https.role(), Some("https"));
    let opener = build_opener(vec![Arc::new(https)]);
    for host in ["localhost", "127.0.0.1"] {
        let url = format!("https://{host}:{}/secret", addr.port());
        let mut resp = opener.open_url(&url).await.unwrap();
        assert_eq!(resp.code(), 200);
        assert_eq!(resp.version(), Version::HTTP_2, "the client saw HTTP/2");
        assert_eq!(resp.geturl().as_str(), url);
        assert_eq!(
            resp.text().await.unwrap(),
            format!("secure {host}:{}", addr.port())
        );
    }
    assert_eq!(*versions.lock().unwrap(), vec![Version::HTTP_2; 2]);
}

#[tokio::test]
async fn https_with_a_der_certificate_and_no_webpki_roots() {
    let (addr, pem, _) = tls_server().await;
    let der = rustls_pki_types::pem::PemObject::from_pem_slice(pem.as_bytes())
        .map(|c: rustls_pki_types::CertificateDer<'static>| c.to_vec())
        .unwrap();
    let https = HTTPHandler::new()
        .without_webpki_roots()
        .with_root_certificate_der(&der)
        .unwrap()
        .https();
    let opener = build_opener(vec![Arc::new(https)]);
    let resp = opener
        .open_url(&format!("https://localhost:{}/", addr.port()))
        .await
        .unwrap();
    assert!(resp.is_success());
}

#[tokio::test]
async fn an_untrusted_certificate_is_a_url_error() {
    let (addr, _, versions) = tls_server().await;
    let opener = build_opener(vec![Arc::new(HTTPSHandler::new())]);
    let err = opener
        .open_url(&format!("https://localhost:{}/", addr.port()))
        .await
        .unwrap_err();
    let source_present = matches!(
        &err,
        Error::Url {
            source: Some(_),
            ..
        }
    );
    let reason = url_error_reason(err);
    assert!(source_present, "{reason}");
    assert!(reason.to_lowercase().contains("certificate"), "{reason}");
    assert!(versions.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_request_to_https_needs_the_https_handler() {
    let (addr, _, _) = tls_server().await;
    let opener = build_opener(vec![Arc::new(HTTPHandler::new())]);
    // No https handler: the UnknownHandler answers.
    assert!(matches!(
        opener
            .open_url(&format!("https://localhost:{}/", addr.port()))
            .await,
        Err(Error::Url { .. })
    ));
}

/// Accepts connections and never answers; returns the address and the accept count.
async fn silent_server() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            held.push(stream);
        }
    });
    addr
}

#[tokio::test]
async fn a_silent_server_times_out_with_the_request_timeout() {
    let addr = silent_server().await;
    let mut opener = OpenerDirector::new();
    opener.add_handler(HTTPHandler::new());
    let mut req = Request::new(&format!("http://{addr}/")).unwrap();
    req.set_timeout(Some(Duration::from_millis(300)));
    let start = Instant::now();
    let err = opener.open(req).await.unwrap_err();
    let elapsed = start.elapsed();
    let reason = url_error_reason(err);
    assert!(reason.contains("timed out"), "{reason}");
    assert!(elapsed >= Duration::from_millis(290), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
}

#[tokio::test]
async fn a_silent_server_times_out_with_the_handler_timeout() {
    let addr = silent_server().await;
    let mut opener = OpenerDirector::new();
    opener.add_handler(HTTPHandler::new().with_timeout(Duration::from_millis(300)));
    let start = Instant::now();
    let err = opener
        .open_url(&format!("http://{addr}/"))
        .await
        .unwrap_err();
    assert!(url_error_reason(err).contains("timed out"));
    assert!(start.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn a_body_that_stalls_times_out_while_streaming() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let (mut stream, _) = listener.accept().await.unwrap();
        let mut request = Vec::new();
        let mut buf = [0u8; 1024];
        while !request.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = stream.read(&mut buf).await.unwrap();
            assert!(n > 0, "the client hung up");
            request.extend_from_slice(&buf[..n]);
        }
        stream
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\npartial")
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_secs(10)).await;
    });
    let mut opener = OpenerDirector::new();
    opener.add_handler(HTTPHandler::new().with_timeout(Duration::from_millis(300)));
    let mut resp = opener.open_url(&format!("http://{addr}/")).await.unwrap();
    assert_eq!(resp.code(), 200);
    assert_eq!(&resp.chunk().await.unwrap().unwrap()[..], b"partial");
    let err = resp.chunk().await.unwrap_err();
    assert!(url_error_reason(err).contains("timed out"));
}

#[tokio::test]
async fn a_refused_connection_is_a_url_error() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mut opener = OpenerDirector::new();
    opener.add_handler(HTTPHandler::new().with_connect_timeout(Duration::from_secs(5)));
    let err = opener
        .open_url(&format!("http://127.0.0.1:{port}/"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Url {
                source: Some(_),
                ..
            }
        ),
        "{err:?}"
    );
    let reason = url_error_reason(err);
    assert!(reason.to_lowercase().contains("refused"), "{reason}");
}

#[tokio::test]
async fn sequential_requests_reuse_one_connection() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let accepts = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&accepts);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let service = service_fn(|req: hyper::Request<hyper::body::Incoming>| async move {
                    Ok::<_, Infallible>(text(200, req.uri().path().to_owned()))
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    let mut opener = OpenerDirector::new();
    opener.add_handler(HTTPHandler::new().debug_level(true));
    for path in ["/one", "/two", "/three"] {
        let mut resp = opener
            .open_url(&format!("http://{addr}{path}"))
            .await
            .unwrap();
        assert_eq!(resp.text().await.unwrap(), path);
    }
    assert_eq!(accepts.load(Ordering::SeqCst), 1);
}

#[test]
fn bad_certificates_are_refused_and_roles_are_set() {
    assert!(
        HTTPHandler::new()
            .with_root_certificate_pem(b"not a pem")
            .is_err()
    );
    assert!(
        HTTPHandler::new()
            .with_root_certificate_der(b"not der")
            .is_err()
    );
    let http = HTTPHandler::new();
    assert_eq!(http.role(), Some("http"));
    assert_eq!(http.https().role(), Some("https"));
    assert!(format!("{http:?}").starts_with("HTTPHandler"));
}

/// `data` compressed with `coding` ("gzip", "deflate", "br" or "zstd").
async fn compress(data: &[u8], coding: &str) -> Vec<u8> {
    use async_compression::tokio::bufread::{BrotliEncoder, GzipEncoder, ZlibEncoder, ZstdEncoder};
    use tokio::io::AsyncReadExt;
    let mut out = Vec::new();
    match coding {
        "gzip" => GzipEncoder::new(data).read_to_end(&mut out).await,
        "deflate" => ZlibEncoder::new(data).read_to_end(&mut out).await,
        "br" => BrotliEncoder::new(data).read_to_end(&mut out).await,
        "zstd" => ZstdEncoder::new(data).read_to_end(&mut out).await,
        other => panic!("no encoder for {other}"),
    }
    .unwrap();
    out
}

/// Every coding the server knows, with whether this build of the crate decodes it.
const CODINGS: [(&str, bool); 4] = [
    ("gzip", cfg!(feature = "gzip")),
    ("deflate", cfg!(feature = "deflate")),
    ("br", cfg!(feature = "brotli")),
    ("zstd", cfg!(feature = "zstd")),
];

/// The `Accept-Encoding` the handler should send: the enabled codings, in order.
fn expected_accept_encoding() -> String {
    CODINGS
        .iter()
        .filter(|(_, on)| *on)
        .map(|(name, _)| *name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Serves `/gzip`, `/deflate`, `/br` and `/zstd` compressed when the request accepts that
/// coding (as identity otherwise), and reports the request's `Accept-Encoding` in an
/// `x-accept-encoding` header.
async fn compressing_server(plain: &'static [u8]) -> SocketAddr {
    let mut encoded = Vec::new();
    for (coding, _) in CODINGS {
        encoded.push((coding, Bytes::from(compress(plain, coding).await)));
    }
    serve(move |req| {
        let accept = req
            .headers()
            .get("accept-encoding")
            .map(|v| v.to_str().unwrap_or("?").to_owned())
            .unwrap_or_default();
        let accepted = |coding: &str| accept.split(',').any(|c| c.trim() == coding);
        let path = req.uri().path().trim_start_matches('/');
        let (coding, body) = encoded
            .iter()
            .find(|(coding, _)| *coding == path && accepted(coding))
            .map(|(coding, body)| (*coding, body.clone()))
            .unwrap_or(("identity", Bytes::from_static(plain)));
        let mut r = text(200, body);
        r.headers_mut()
            .insert("content-encoding", coding.parse().unwrap());
        r.headers_mut()
            .insert("x-accept-encoding", accept.parse().unwrap());
        r
    })
    .await
    .unwrap()
}

#[test]
fn all_codings_are_enabled_by_default() {
    // The tests run with the default features.
    if CODINGS.iter().all(|(_, on)| *on) {
        assert_eq!(expected_accept_encoding(), "gzip, deflate, br, zstd");
    }
}

#[tokio::test]
async fn gzip_deflate_brotli_and_zstd_bodies_are_decoded() {
    let plain: &'static [u8] = b"compressed text, compressed text, compressed text";
    let addr = compressing_server(plain).await;
    let mut opener = OpenerDirector::new();
    opener.add_handler(HTTPHandler::new());
    for (coding, on) in CODINGS {
        let mut resp = opener
            .open_url(&format!("http://{addr}/{coding}"))
            .await
            .unwrap();
        assert_eq!(
            resp.info()["x-accept-encoding"],
            expected_accept_encoding().as_str(),
            "the Accept-Encoding the server saw"
        );
        if on {
            assert!(!resp.info().contains_key("content-encoding"), "{coding}");
            assert!(!resp.info().contains_key("content-length"), "{coding}");
        } else {
            // Not asked for, so sent as is.
            assert_eq!(resp.info()["content-encoding"], "identity", "{coding}");
        }
        assert_eq!(&resp.bytes().await.unwrap()[..], plain, "{coding}");
    }
}

/// A larger body, arriving in many chunks, decodes whole with br and zstd.
#[cfg(all(feature = "brotli", feature = "zstd"))]
#[tokio::test]
async fn large_brotli_and_zstd_bodies_are_decoded_whole() {
    let plain: Vec<u8> = (0..5_000u32)
        .flat_map(|i| format!("line {i} {}\n", i.wrapping_mul(2_654_435_761)).into_bytes())
        .collect();
    let plain: &'static [u8] = plain.leak();
    let addr = compressing_server(plain).await;
    let mut opener = OpenerDirector::new();
    opener.add_handler(HTTPHandler::new());
    for coding in ["br", "zstd"] {
        let mut resp = opener
            .open_url(&format!("http://{addr}/{coding}"))
            .await
            .unwrap();
        let mut all = Vec::new();
        let mut chunks = 0;
        while let Some(chunk) = resp.chunk().await.unwrap() {
            all.extend_from_slice(&chunk);
            chunks += 1;
        }
        assert!(chunks > 1, "{coding}: streamed, not in one piece");
        assert!(
            all == plain,
            "{coding}: {} bytes of {}",
            all.len(),
            plain.len()
        );
    }
}

/// A request asking for br itself gets the br body as sent.
#[tokio::test]
async fn a_request_s_own_accept_encoding_leaves_a_brotli_body_alone() {
    let plain: &'static [u8] = b"brotli, untouched";
    let addr = compressing_server(plain).await;
    let mut opener = OpenerDirector::new();
    opener.add_handler(HTTPHandler::new());
    let mut req = Request::new(&format!("http://{addr}/br")).unwrap();
    req.add_header("Accept-Encoding", "br").unwrap();
    let mut resp = opener.open(req).await.unwrap();
    assert_eq!(resp.info()["x-accept-encoding"], "br");
    assert_eq!(resp.info()["content-encoding"], "br");
    let raw = resp.bytes().await.unwrap();
    assert_eq!(raw.to_vec(), compress(plain, "br").await);
}

#[cfg(all(feature = "brotli", feature = "zstd"))]
#[tokio::test]
async fn corrupt_brotli_and_zstd_bodies_are_url_errors() {
    for coding in ["br", "zstd"] {
        let addr = serve(move |_| {
            let mut r = text(200, "definitely not compressed, not at all");
            r.headers_mut()
                .insert("content-encoding", coding.parse().unwrap());
            r
        })
        .await
        .unwrap();
        let mut opener = OpenerDirector::new();
        opener.add_handler(HTTPHandler::new());
        let mut resp = opener.open_url(&format!("http://{addr}/")).await.unwrap();
        let reason = url_error_reason(resp.bytes().await.unwrap_err());
        assert!(reason.contains("decoding"), "{coding}: {reason}");
    }
}

#[tokio::test]
async fn data_responses_are_http_1_1() {
    let opener = build_opener(vec![Arc::new(DataHandler)]);
    let resp = opener.open_url("data:,hello").await.unwrap();
    assert_eq!(resp.version(), Version::HTTP_11);
}

#[tokio::test]
async fn a_request_s_own_accept_encoding_or_the_option_leaves_bodies_alone() {
    let plain: &'static [u8] = b"raw please";
    let addr = compressing_server(plain).await;
    let mut opener = OpenerDirector::new();
    opener.add_handler(HTTPHandler::new());
    let mut req = Request::new(&format!("http://{addr}/gzip")).unwrap();
    req.add_header("Accept-Encoding", "gzip").unwrap();
    let mut resp = opener.open(req).await.unwrap();
    assert_eq!(resp.info()["content-encoding"], "gzip");
    assert_eq!(
        resp.bytes().await.unwrap().to_vec(),
        compress(plain, "gzip").await
    );

    let mut opener = OpenerDirector::new();
    opener.add_handler(HTTPHandler::new().with_decompression(false));
    let mut resp = opener
        .open_url(&format!("http://{addr}/gzip"))
        .await
        .unwrap();
    assert_eq!(resp.info()["x-accept-encoding"], "");
    assert_eq!(&resp.bytes().await.unwrap()[..], plain);
}

#[cfg(feature = "gzip")]
#[tokio::test]
async fn a_corrupt_gzip_body_is_a_url_error() {
    let addr = serve(|_| {
        let mut r = text(200, "definitely not gzip");
        r.headers_mut()
            .insert("content-encoding", "gzip".parse().unwrap());
        r
    })
    .await
    .unwrap();
    let mut opener = OpenerDirector::new();
    opener.add_handler(HTTPHandler::new());
    let mut resp = opener.open_url(&format!("http://{addr}/")).await.unwrap();
    let reason = url_error_reason(resp.bytes().await.unwrap_err());
    assert!(reason.contains("decoding"), "{reason}");
}
