//! `DataHandler`: `data:` URLs (RFC 2397), answered without any network: the media type
//! becomes `Content-Type`, and the data is percent- or base64-decoded into the body.

use base64::Engine;
use http::header::{CONTENT_LENGTH, CONTENT_TYPE, HeaderValue};
use http::{HeaderMap, StatusCode};

use crate::director::OpenerDirector;
use crate::error::{Error, Result};
use crate::handler::{BoxFuture, Handler, OpenHandler, Schemes};
use crate::request::Request;
use crate::response::Response;

/// Opens `data:` URLs (RFC 2397), as urllib2's `DataHandler`.
///
/// `data:[<media type>][;base64],<data>`: the media type defaults to
/// `text/plain;charset=US-ASCII`; the data is percent-decoded, then base64-decoded when
/// `;base64` is given. A URL without a comma, or with bad base64, is an [`Error::Url`].
///
/// ```
/// use mechanize::{OpenerDirector, Request};
/// use mechanize::handlers::DataHandler;
///
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let mut opener = OpenerDirector::new();
/// opener.add_handler(DataHandler);
/// let mut r = opener.open_url("data:text/html;base64,PGgxPmhpPC9oMT4=").await?;
/// assert_eq!(r.info()["content-type"], "text/html");
/// assert_eq!(r.text().await?, "<h1>hi</h1>");
/// # Ok::<(), mechanize::Error>(())
/// # }).unwrap();
/// ```
#[derive(Debug, Default, Clone, Copy)]
pub struct DataHandler;

impl Handler for DataHandler {
    fn role(&self) -> Option<&'static str> {
        Some("data")
    }
    fn open_handler(&self) -> Option<&dyn OpenHandler> {
        Some(self)
    }
}

impl OpenHandler for DataHandler {
    fn schemes(&self) -> Schemes {
        Schemes::Only(&["data"])
    }

    fn open<'a>(
        &'a self,
        request: &'a Request,
        _: &'a OpenerDirector,
    ) -> BoxFuture<'a, Result<Option<Response>>> {
        Box::pin(async move { open_data(request).map(Some) })
    }
}

/// Decodes a `data:` URL into a response.
fn open_data(request: &Request) -> Result<Response> {
    let url = request.full_url();
    let fail = |reason: &str| Error::url(url, reason);
    let rest = url
        .get("data:".len()..)
        .ok_or_else(|| fail("not a data: URL"))?;
    let (meta, data) = rest
        .split_once(',')
        .ok_or_else(|| fail("data: URL without a comma"))?;
    let (media, base64) = match meta.strip_suffix(";base64") {
        Some(m) => (m, true),
        None => (meta, false),
    };
    let decoded: Vec<u8> = percent_encoding::percent_decode_str(data).collect();
    let body = if base64 {
        let compact: Vec<u8> = decoded
            .into_iter()
            .filter(|b| !b.is_ascii_whitespace())
            .collect();
        base64::engine::general_purpose::STANDARD
            .decode(&compact)
            .map_err(|e| Error::Url {
                url: url.to_owned(),
                reason: "bad base64 in data: URL".to_owned(),
                source: Some(Box::new(e)),
            })?
    } else {
        decoded
    };
    let media = percent_encoding::percent_decode_str(media).decode_utf8_lossy();
    let media = if media.is_empty() {
        "text/plain;charset=US-ASCII".to_owned()
    } else if media.starts_with(';') {
        format!("text/plain{media}")
    } else {
        media.into_owned()
    };
    let mut headers = HeaderMap::new();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::try_from(media).map_err(|_| fail("media type is not a header value"))?,
    );
    headers.insert(CONTENT_LENGTH, HeaderValue::from(body.len()));
    Ok(Response::new(request.url().clone(), StatusCode::OK, "OK")
        .with_headers(headers)
        .with_body(body))
}
