//! A plain request and response for the tests and the conformance example: header values are
//! kept byte for byte (the `http` crate would refuse some of the bytes the suites send).

#![allow(dead_code)]

use std::borrow::Cow;

use cookiejar::{CookieRequest, CookieResponse};

/// A request: its URL, headers, and what the URL cannot say.
#[derive(Debug, Clone, Default)]
pub struct PlainRequest {
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub unverifiable: bool,
    pub origin: Option<String>,
}

impl PlainRequest {
    pub fn new(url: impl Into<String>) -> PlainRequest {
        PlainRequest {
            url: url.into(),
            ..PlainRequest::default()
        }
    }
}

impl CookieRequest for PlainRequest {
    fn url(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.url)
    }
    fn header(&self, name: &str) -> Option<Cow<'_, str>> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| Cow::Borrowed(v.as_str()))
    }
    fn is_unverifiable(&self) -> bool {
        self.unverifiable
    }
    fn origin_req_host(&self) -> Option<Cow<'_, str>> {
        self.origin.as_deref().map(Cow::Borrowed)
    }
    fn add_unredirected_header(&mut self, name: &str, value: String) {
        self.headers.push((name.to_owned(), value));
    }
}

/// A response: its header lines, in order.
#[derive(Debug, Clone, Default)]
pub struct PlainResponse(pub Vec<(String, String)>);

impl CookieResponse for PlainResponse {
    fn header_values(&self, name: &str) -> Vec<Cow<'_, str>> {
        self.0
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| Cow::Borrowed(v.as_str()))
            .collect()
    }
}
