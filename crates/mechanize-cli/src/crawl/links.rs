//! Links of an HTML page, found with `scraper`: `a`/`area` `href`, `frame`/`iframe` `src`,
//! resolved against `<base href>` or the page's URL; http(s) only, no fragment, no duplicates.

use std::collections::HashSet;

use scraper::{Html, Selector};
use url::Url;

/// The links of `html`, a page found at `page`, in document order.
pub fn extract(html: &str, page: &Url) -> Vec<Url> {
    let document = Html::parse_document(html);
    let base = select(&document, "base[href]")
        .and_then(|s| {
            document
                .select(&s)
                .next()
                .and_then(|e| e.value().attr("href"))
                .and_then(|href| page.join(href.trim()).ok())
        })
        .unwrap_or_else(|| page.clone());
    let Some(targets) = select(&document, "a[href], area[href], frame[src], iframe[src]") else {
        return Vec::new();
    };
    let mut seen = HashSet::new();
    let mut links = Vec::new();
    for element in document.select(&targets) {
        let element = element.value();
        let Some(target) = element.attr("href").or_else(|| element.attr("src")) else {
            continue;
        };
        let Some(url) = normalize(&base, target) else {
            continue;
        };
        if seen.insert(url.to_string()) {
            links.push(url);
        }
    }
    links
}

/// `target` resolved against `base`, without fragment, when it is http or https.
pub fn normalize(base: &Url, target: &str) -> Option<Url> {
    let mut url = base.join(target.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return None;
    }
    url.set_fragment(None);
    Some(url)
}

fn select(_document: &Html, selector: &str) -> Option<Selector> {
    Selector::parse(selector).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_resolved_filtered_and_deduplicated() {
        let page = Url::parse("http://example.com/dir/page.html").unwrap();
        let html = r#"<html><body>
            <a href="a.html#top">a</a> <a href="/b">b</a> <a href="a.html">again</a>
            <a href="mailto:x@example.com">mail</a> <a href="javascript:void(0)">js</a>
            <a href="https://other.example/c">c</a> <iframe src="frame.html"></iframe>
            <a name="no-href">anchor</a>
        </body></html>"#;
        let links: Vec<String> = extract(html, &page).iter().map(Url::to_string).collect();
        assert_eq!(
            links,
            [
                "http://example.com/dir/a.html",
                "http://example.com/b",
                "https://other.example/c",
                "http://example.com/dir/frame.html",
            ]
        );
    }

    #[test]
    fn base_href_changes_the_resolution() {
        let page = Url::parse("http://example.com/dir/page.html").unwrap();
        let html = r#"<head><base href="http://example.com/other/"></head><a href="x">x</a>"#;
        let links: Vec<String> = extract(html, &page).iter().map(Url::to_string).collect();
        assert_eq!(links, ["http://example.com/other/x"]);
    }
}
