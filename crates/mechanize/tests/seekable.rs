//! Seekable responses: lazy reads through the seek buffer (no network read for what is
//! buffered), `seek`/`tell`/`get_data`/`set_data`, `SeekableResponseOpener` on a real server,
//! and the blocking facade's seekable response.

#![allow(clippy::unwrap_used)]

use std::io::SeekFrom;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use http::StatusCode;
use http_body_util::Full;
use mechanize::processors::{SeekableProcessor, SeekableResponseOpener};
use mechanize::{Error, Response, Result};
use mechanize_integration_tests::serve;

/// A body arriving in fixed chunks, counting how many the client pulled.
struct Counted {
    chunks: Vec<&'static str>,
    pulled: Arc<AtomicUsize>,
}

impl Stream for Counted {
    type Item = Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.pulled.fetch_add(1, Ordering::SeqCst);
        if self.chunks.is_empty() {
            return Poll::Ready(None);
        }
        let c = self.chunks.remove(0);
        Poll::Ready(Some(Ok(Bytes::from_static(c.as_bytes()))))
    }
}

fn counted(chunks: &[&'static str]) -> (Response, Arc<AtomicUsize>) {
    let pulled = Arc::new(AtomicUsize::new(0));
    let stream = Counted {
        chunks: chunks.to_vec(),
        pulled: Arc::clone(&pulled),
    };
    let r = Response::new(
        url::Url::parse("http://example.test/").unwrap(),
        StatusCode::OK,
        "OK",
    )
    .with_stream(Box::pin(stream));
    (r, pulled)
}

#[tokio::test]
async fn read_3_seek_0_read_2_reads_the_network_once() {
    let (mut r, pulled) = counted(&["abcd", "efgh", "ij"]);
    r.make_seekable();
    assert_eq!(r.read(3).await.unwrap(), "abc");
    assert_eq!(pulled.load(Ordering::SeqCst), 1);
    assert_eq!(r.seek(SeekFrom::Start(0)).await.unwrap(), 0);
    assert_eq!(r.read(2).await.unwrap(), "ab");
    assert_eq!(pulled.load(Ordering::SeqCst), 1, "no new network read");
    assert_eq!(r.tell().unwrap(), 2);

    // Across chunks, then the whole body with the position kept.
    assert_eq!(r.read(4).await.unwrap(), "cdef");
    assert_eq!(pulled.load(Ordering::SeqCst), 2);
    assert_eq!(r.get_data().await.unwrap(), "abcdefghij");
    assert_eq!(r.tell().unwrap(), 6);
    assert_eq!(r.text().await.unwrap(), "ghij");
    let after_end = pulled.load(Ordering::SeqCst);
    assert_eq!(r.get_data().await.unwrap(), "abcdefghij");
    assert_eq!(pulled.load(Ordering::SeqCst), after_end, "all buffered");

    // Relative and end seeks; past the end reads nothing; before the start is an error.
    assert_eq!(r.seek(SeekFrom::End(-3)).await.unwrap(), 7);
    assert_eq!(r.seek(SeekFrom::Current(-2)).await.unwrap(), 5);
    assert_eq!(r.read(100).await.unwrap(), "fghij");
    assert_eq!(r.seek(SeekFrom::Start(50)).await.unwrap(), 50);
    assert_eq!(r.read(1).await.unwrap(), "");
    assert!(matches!(
        r.seek(SeekFrom::Current(-51)).await,
        Err(Error::Url { .. })
    ));

    // set_data replaces the body, at position 0.
    r.set_data("new body");
    assert_eq!(r.tell().unwrap(), 0);
    assert_eq!(r.read(3).await.unwrap(), "new");
    assert_eq!(r.get_data().await.unwrap(), "new body");
}

#[tokio::test]
async fn peek_reads_only_as_far_as_needed_and_keeps_it() {
    let (mut r, pulled) = counted(&["12345", "67890", "abcde"]);
    assert_eq!(r.peek(7).await.unwrap(), "1234567");
    assert_eq!(pulled.load(Ordering::SeqCst), 2);
    assert!(r.is_seekable(), "peeking makes it seekable");
    assert_eq!(r.bytes().await.unwrap(), "1234567890abcde");
}

#[tokio::test]
async fn a_seek_past_the_buffer_then_reading_fetches_up_to_there() {
    let (mut r, pulled) = counted(&["abc", "def", "ghi"]);
    r.make_seekable();
    r.seek(SeekFrom::Start(4)).await.unwrap();
    assert_eq!(
        pulled.load(Ordering::SeqCst),
        0,
        "a seek forward reads nothing"
    );
    assert_eq!(r.read(3).await.unwrap(), "efg");
    assert_eq!(r.tell().unwrap(), 7);
}

#[tokio::test]
async fn take_body_of_a_seekable_response_streams_from_the_position() {
    let (mut r, _) = counted(&["abc", "def"]);
    r.make_seekable();
    assert_eq!(r.read(2).await.unwrap(), "ab");
    let body = r.take_body();
    let mut rebuilt = Response::new(r.geturl().clone(), StatusCode::OK, "OK");
    rebuilt.set_body(body);
    assert_eq!(rebuilt.text().await.unwrap(), "cdef");
}

#[tokio::test]
async fn read_n_without_seeking_keeps_the_rest() {
    let (mut r, _) = counted(&["abcdef", "gh"]);
    assert_eq!(r.read(4).await.unwrap(), "abcd");
    assert_eq!(r.read(3).await.unwrap(), "efg");
    assert_eq!(r.text().await.unwrap(), "h");
    assert!(!r.is_seekable());
    assert!(matches!(r.tell(), Err(Error::NotSeekable { .. })));
    assert!(matches!(r.get_data().await, Err(Error::NotSeekable { .. })));
    let e = r.seek(SeekFrom::Start(0)).await.unwrap_err();
    assert!(e.to_string().contains("not seekable"), "{e}");
}

fn page(status: u16, body: &'static str) -> hyper::Response<Full<Bytes>> {
    let mut r = hyper::Response::new(Full::new(Bytes::from_static(body.as_bytes())));
    *r.status_mut() = StatusCode::from_u16(status).unwrap();
    r
}

async fn site() -> std::net::SocketAddr {
    serve(|req| match req.uri().path() {
        "/start" => {
            let mut r = page(302, "moved");
            r.headers_mut()
                .insert("location", http::HeaderValue::from_static("/page"));
            r
        }
        "/missing" => page(404, "no such page"),
        _ => page(200, "line one\nline two\n"),
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn the_seekable_opener_on_a_real_server() {
    let addr = site().await;
    let opener = SeekableResponseOpener::build(vec![]);
    let mut r = opener
        .open_url(&format!("http://{addr}/start"))
        .await
        .unwrap();
    assert!(r.is_seekable());
    assert_eq!(r.geturl().path(), "/page");
    assert_eq!(r.read(4).await.unwrap(), "line");
    r.seek(SeekFrom::Start(0)).await.unwrap();
    assert_eq!(r.text().await.unwrap(), "line one\nline two\n");
    // An HTTP error carries its whole body.
    match opener.open_url(&format!("http://{addr}/missing")).await {
        Err(Error::Http(e)) => assert_eq!(e.body, "no such page"),
        other => panic!("expected a 404, got {other:?}"),
    }
    // The processor given explicitly is not doubled.
    let opener = SeekableResponseOpener::build(vec![Arc::new(SeekableProcessor)]);
    let count = opener
        .handlers()
        .iter()
        .filter(|h| h.role() == Some("seekable"))
        .count();
    assert_eq!(count, 1);
    assert_eq!(SeekableResponseOpener::new().handlers().len(), 1);
}

#[test]
fn the_blocking_facade_keeps_seekable_responses_seekable() {
    // The server runs on its own thread while the blocking calls run here.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            tx.send(site().await).unwrap();
            std::future::pending::<()>().await;
        });
    });
    let addr = rx.recv().unwrap();
    let opener = mechanize::blocking::OpenerDirector::new(SeekableResponseOpener::build(vec![]));
    let mut r = opener.open_url(&format!("http://{addr}/page")).unwrap();
    assert!(r.is_seekable());
    assert_eq!(r.readline().unwrap(), b"line one\n");
    assert_eq!(r.tell().unwrap(), 9);
    r.seek(SeekFrom::Start(5)).unwrap();
    assert_eq!(r.read_n(3).unwrap(), b"one");
    assert_eq!(&r.get_data().unwrap()[..], b"line one\nline two\n");
    assert_eq!(r.tell().unwrap(), 8);
    assert_eq!(r.seek(SeekFrom::End(-4)).unwrap(), 14);
    assert_eq!(r.read().unwrap(), b"two\n");
    r.set_data("other");
    assert_eq!(r.read_to_string().unwrap(), "other");

    // A plain blocking response becomes seekable on demand, from where it is.
    let mut plain = mechanize::blocking::urlopen("data:,abcdef").unwrap();
    assert!(matches!(plain.tell(), Err(Error::NotSeekable { .. })));
    assert_eq!(plain.read_n(2).unwrap(), b"ab");
    plain.make_seekable();
    assert_eq!(plain.read_n(2).unwrap(), b"cd");
    plain.seek(SeekFrom::Start(0)).unwrap();
    assert_eq!(plain.read().unwrap(), b"cdef");
}
