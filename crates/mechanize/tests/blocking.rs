//! The blocking facade against real servers on 127.0.0.1, called from plain test threads (and,
//! to see it refuse, from inside a runtime).

#![allow(clippy::unwrap_used)]

use std::io::{BufRead, Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::sync::mpsc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::{Request as HyperRequest, Response as HyperResponse, StatusCode};
use mechanize::{Error, Request, blocking};
use mechanize_integration_tests::serve;

const LARGE: usize = 3 * 1024 * 1024 + 17;

fn large_body() -> Vec<u8> {
    (0..LARGE).map(|i| (i % 251) as u8).collect()
}

fn site(req: HyperRequest<hyper::body::Incoming>) -> HyperResponse<Full<Bytes>> {
    let cookie = req
        .headers()
        .get("cookie")
        .and_then(|c| c.to_str().ok())
        .unwrap_or("-")
        .to_owned();
    let builder = HyperResponse::builder();
    let (builder, body) = match req.uri().path() {
        "/hello" => (
            builder.header("Content-Type", "text/plain"),
            Bytes::from_static(b"hello, blocking world"),
        ),
        "/lines" => (builder, Bytes::from_static(b"one\ntwo\n\nfour\nno newline")),
        "/large" => (builder, Bytes::from(large_body())),
        "/set" => (
            builder.header("Set-Cookie", "session=abc123; Path=/"),
            Bytes::from_static(b"set"),
        ),
        "/echo" => (builder, Bytes::from(format!("cookie={cookie}"))),
        _ => (
            builder.status(StatusCode::NOT_FOUND),
            Bytes::from_static(b"no such page"),
        ),
    };
    builder.body(Full::new(body)).unwrap()
}

/// Starts `site` on a runtime of its own, on a background thread that lives as long as the
/// test process.
fn start_server() -> SocketAddr {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            tx.send(serve(site).await.unwrap()).unwrap();
            std::future::pending::<()>().await;
        });
    });
    rx.recv().unwrap()
}

#[test]
fn get_and_read_everything() {
    let addr = start_server();
    let opener = blocking::build_opener(vec![]);
    let mut r = opener.open_url(&format!("http://{addr}/hello")).unwrap();
    assert_eq!(r.code(), 200);
    assert_eq!(r.reason(), "OK");
    assert!(r.is_success());
    assert_eq!(r.geturl().path(), "/hello");
    assert_eq!(r.info()["content-type"], "text/plain");
    assert_eq!(r.read().unwrap(), b"hello, blocking world");
    assert_eq!(r.read().unwrap(), b"", "nothing left");

    let mut r = opener
        .open(Request::new(&format!("http://{addr}/hello")).unwrap())
        .unwrap();
    assert_eq!(r.read_n(5).unwrap(), b"hello");
    assert_eq!(r.read_to_string().unwrap(), ", blocking world");
}

#[test]
fn urlopen_uses_the_default_opener() {
    let addr = start_server();
    let mut r = blocking::urlopen(format!("http://{addr}/hello")).unwrap();
    assert_eq!(r.read_to_string().unwrap(), "hello, blocking world");
    let mut r = blocking::urlopen(Request::new(&format!("http://{addr}/lines")).unwrap()).unwrap();
    assert_eq!(r.readline().unwrap(), b"one\n");
}

#[test]
fn readline_readlines_and_iteration() {
    let addr = start_server();
    let opener = blocking::build_opener(vec![]);
    let url = format!("http://{addr}/lines");

    let mut r = opener.open_url(&url).unwrap();
    assert_eq!(r.readline().unwrap(), b"one\n");
    assert_eq!(
        r.readlines().unwrap(),
        [&b"two\n"[..], b"\n", b"four\n", b"no newline"]
    );
    assert_eq!(r.readline().unwrap(), b"", "empty at the end");

    let mut r = opener.open_url(&url).unwrap();
    let lines: Vec<Vec<u8>> = (&mut r).into_iter().map(Result::unwrap).collect();
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[4], b"no newline");

    // The inherent `lines` wins over BufRead's, though BufRead is in scope.
    let r = opener.open_url(&url).unwrap();
    let lines: Vec<Vec<u8>> = r.lines().collect::<mechanize::Result<_>>().unwrap();
    assert_eq!(lines[0], b"one\n");
    assert_eq!(lines.len(), 5);

    // BufRead's own `lines` (by value, newline stripped).
    let r = opener.open_url(&url).unwrap();
    let lines: Vec<String> = BufRead::lines(r).map(Result::unwrap).collect();
    assert_eq!(lines, ["one", "two", "", "four", "no newline"]);
}

#[test]
fn a_large_body_read_in_small_chunks() {
    let addr = start_server();
    let opener = blocking::build_opener(vec![]);
    let mut r = opener.open_url(&format!("http://{addr}/large")).unwrap();
    let mut got = Vec::with_capacity(LARGE);
    let mut buf = [0u8; 1000];
    loop {
        let n = Read::read(&mut r, &mut buf).unwrap();
        if n == 0 {
            break;
        }
        assert!(n <= buf.len());
        got.extend_from_slice(&buf[..n]);
    }
    assert_eq!(got.len(), LARGE);
    assert!(got == large_body(), "the body arrives intact");

    // std::io::copy and read_n work over the same stream too.
    let mut r = opener.open_url(&format!("http://{addr}/large")).unwrap();
    assert_eq!(r.read_n(7).unwrap(), large_body()[..7]);
    let copied = std::io::copy(&mut r, &mut std::io::sink()).unwrap();
    assert_eq!(copied as usize, LARGE - 7);
}

/// A body is handed over as it arrives: the first line is readable while the server still
/// holds back the rest (it sends the rest only once the test has read that line).
#[test]
fn the_body_streams_before_it_is_complete() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let (go_on, wait) = mpsc::channel::<()>();
    std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut request = Vec::new();
        let mut byte = [0u8; 1];
        while !request.ends_with(b"\r\n\r\n") {
            stream.read_exact(&mut byte).unwrap();
            request.push(byte[0]);
        }
        stream
            .write_all(
                b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n\
                  6\r\nfirst\n\r\n",
            )
            .unwrap();
        stream.flush().unwrap();
        // Held back until the client has read the first line (or the test gave up).
        let _ = wait.recv_timeout(Duration::from_secs(10));
        stream.write_all(b"7\r\nsecond\n\r\n0\r\n\r\n").unwrap();
    });
    let opener = blocking::build_opener(vec![]);
    let mut r = opener.open_url(&format!("http://{addr}/slow")).unwrap();
    assert_eq!(r.readline().unwrap(), b"first\n");
    go_on.send(()).unwrap();
    assert_eq!(r.read().unwrap(), b"second\n");
}

#[test]
fn a_404_is_an_http_error() {
    let addr = start_server();
    let opener = blocking::build_opener(vec![]);
    match opener.open_url(&format!("http://{addr}/missing")) {
        Err(Error::Http(e)) => {
            assert_eq!(e.status, StatusCode::NOT_FOUND);
            assert_eq!(&e.body[..], b"no such page");
        }
        other => panic!("404 must be an HTTPError: {other:?}"),
    }
    match blocking::urlopen(format!("http://{addr}/missing")) {
        Err(Error::Http(e)) => assert_eq!(e.status, StatusCode::NOT_FOUND),
        other => panic!("404 must be an HTTPError: {other:?}"),
    }
}

#[test]
fn cookies_are_kept_across_requests() {
    let addr = start_server();
    let opener = blocking::build_opener(vec![]);
    let mut r = opener.open_url(&format!("http://{addr}/set")).unwrap();
    assert_eq!(r.read().unwrap(), b"set");
    let mut r = opener.open_url(&format!("http://{addr}/echo")).unwrap();
    assert_eq!(r.read_to_string().unwrap(), "cookie=session=abc123");
}

#[test]
fn several_responses_can_be_read_at_once() {
    let addr = start_server();
    let opener = blocking::build_opener(vec![]);
    let mut a = opener.open_url(&format!("http://{addr}/large")).unwrap();
    let mut b = opener.open_url(&format!("http://{addr}/lines")).unwrap();
    assert_eq!(a.read_n(3).unwrap(), large_body()[..3]);
    assert_eq!(b.readline().unwrap(), b"one\n");
    drop(a); // stops that download
    assert_eq!(b.readline().unwrap(), b"two\n");
    // Dropping the opener and its last response ends (and joins) the runtime thread: the test
    // would hang here if it did not.
    drop(opener);
    drop(b);
}

fn assert_in_runtime_error<T: std::fmt::Debug>(result: mechanize::Result<T>) {
    match result {
        Err(Error::Url { reason, .. }) => {
            assert!(reason.contains("inside an async runtime"), "{reason}")
        }
        other => panic!("the blocking API must refuse inside a runtime: {other:?}"),
    }
}

#[tokio::test(flavor = "current_thread")]
async fn inside_a_runtime_every_call_is_a_clear_error() {
    let opener = blocking::build_opener(vec![]);
    assert_in_runtime_error(opener.open_url("http://127.0.0.1:9/"));
    assert_in_runtime_error(opener.open(Request::new("data:,x").unwrap()));
    assert_in_runtime_error(blocking::urlopen("http://127.0.0.1:9/"));
    assert_in_runtime_error(blocking::urlopen("data:,x"));
}

#[test]
fn reading_inside_a_runtime_is_a_clear_error() {
    let addr = start_server();
    let opener = blocking::build_opener(vec![]);
    let mut r = opener.open_url(&format!("http://{addr}/lines")).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    rt.block_on(async {
        assert_in_runtime_error(r.read());
        assert_in_runtime_error(r.readline());
        let e = Read::read(&mut r, &mut [0u8; 4]).unwrap_err();
        assert!(e.to_string().contains("inside an async runtime"), "{e}");
    });
    drop(rt);
    // Outside again, the body is still there.
    assert_eq!(r.readline().unwrap(), b"one\n");
    // Dropped inside a runtime, the opener does not block it (nor panic).
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    rt.block_on(async move {
        drop(r);
        drop(opener);
    });
}
