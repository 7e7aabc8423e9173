//! A visit counter kept in a signed cookie, as mod_python's `MarshalCookie` examples do: a
//! hyper server on 127.0.0.1 reads the count from a `MarshalCookie<u64>`, adds one and sends it
//! back signed; a client in the same program carries the cookie by hand. Forged and tampered
//! cookies are refused and the count starts over; a cookie signed with the previous key is
//! still accepted after a key rotation. Run with
//! `cargo run -p mechanize-examples --example signed_counter`.

use std::net::SocketAddr;

use bytes::Bytes;
use http_body_util::Full;
use hyper::{Request, Response};
use mechanize_integration_tests::{BoxError, send, serve};
use morsel::headers::{add_marshal_cookie, get_marshal_cookie};
use morsel::modpython::Cookie;
use morsel::signed::{MarshalCookie, SigningKeys};

const COOKIE: &str = "visits";

/// The server's keys: it signs with the 2024 key and still accepts the 2023 one.
fn server_keys() -> Result<SigningKeys, BoxError> {
    SigningKeys::new(["2024 secret, rotated in", "2023 secret, on its way out"])
        .ok_or_else(|| "empty key".into())
}

/// Counts visits in the signed `visits` cookie; a refused cookie starts the count over.
fn counter(keys: SigningKeys) -> impl Fn(Request<hyper::body::Incoming>) -> Response<Full<Bytes>> {
    move |req| {
        let (previous, note) = match get_marshal_cookie::<u64>(req.headers(), COOKIE, &keys) {
            Ok(Some(cookie)) => (cookie.into_value(), String::new()),
            Ok(None) => (0, " (no cookie yet)".to_owned()),
            Err(refused) => (0, format!(" (cookie refused: {refused})")),
        };
        let count = previous.saturating_add(1);
        let mut response = Response::new(Full::new(Bytes::from(format!("visit #{count}{note}"))));
        let mut cookie = MarshalCookie::new(COOKIE, count);
        cookie.attributes_mut().path = Some("/".into());
        if let Err(e) = add_marshal_cookie(response.headers_mut(), &cookie, &keys) {
            *response.body_mut() = Full::new(Bytes::from(format!("cannot set cookie: {e}")));
        }
        response
    }
}

/// One GET with `cookie` (a `name=value` pair) if given; returns the body and the `name=value`
/// part of the `Set-Cookie` the server sent, as a browser would store and send it back.
async fn visit(addr: SocketAddr, cookie: Option<&str>) -> Result<(String, String), BoxError> {
    let mut request = Request::get(format!("http://{addr}/"))
        .header("Host", addr.to_string())
        .body(Full::new(Bytes::new()))?;
    if let Some(cookie) = cookie {
        request.headers_mut().insert("Cookie", cookie.parse()?);
    }
    let response = send(addr, request).await?;
    let set_cookie = response
        .headers()
        .get("Set-Cookie")
        .ok_or("no Set-Cookie in the response")?
        .to_str()?;
    let pair = set_cookie.split("; ").next().unwrap_or_default().to_owned();
    Ok((String::from_utf8_lossy(response.body()).into_owned(), pair))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), BoxError> {
    let addr = serve(counter(server_keys()?)).await?;

    println!("-- a browser that keeps its cookie");
    let mut jar: Option<String> = None;
    for _ in 0..4 {
        let (body, cookie) = visit(addr, jar.as_deref()).await?;
        println!("{body:<45} Set-Cookie: {cookie}");
        jar = Some(cookie);
    }
    let genuine = jar.ok_or("no cookie")?;

    println!("-- a forger who guesses the key: the count starts over");
    let guessed = SigningKeys::single("password123").ok_or("empty key")?;
    let forged = MarshalCookie::new(COOKIE, 1000u64).sign(&guessed)?;
    let (body, _) = visit(addr, Some(&pair(&forged))).await?;
    println!("{body}");

    println!("-- a genuine signature on a swapped-in payload: refused too");
    let (genuine_sig, _) = value_of(&genuine).split_once('.').ok_or("no '.'")?;
    let (_, forged_payload) = forged.value.split_once('.').ok_or("no '.'")?;
    let spliced = format!("{COOKIE}={genuine_sig}.{forged_payload}");
    let (body, _) = visit(addr, Some(&spliced)).await?;
    println!("{body}");

    println!("-- the genuine cookie still works");
    let (body, _) = visit(addr, Some(&genuine)).await?;
    println!("{body}");

    println!("-- a cookie signed before the key rotation is still accepted");
    let old_key = SigningKeys::single("2023 secret, on its way out").ok_or("empty key")?;
    let old = MarshalCookie::new(COOKIE, 41u64).sign(&old_key)?;
    let (body, cookie) = visit(addr, Some(&pair(&old))).await?;
    println!(
        "{body:<45} (re-signed with the new key: {})",
        cookie != pair(&old)
    );
    Ok(())
}

/// `name=value` of a cookie, as sent in a `Cookie` header.
fn pair(cookie: &Cookie) -> String {
    format!("{}={}", cookie.name, cookie.value)
}

/// The value of a `name=value` pair.
fn value_of(pair: &str) -> &str {
    pair.split_once('=').map_or("", |(_, v)| v)
}
