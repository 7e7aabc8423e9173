//! The scan of an HTML document's head for `<meta http-equiv>` pragmas: html5ever's tokenizer
//! over the body's first bytes as they arrive, what ends the head, what is skipped. Sans I/O.

use std::cell::{Cell, RefCell};

use html5ever::TokenizerResult;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::{RawKind, State};
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// What a prefix of a document says about its head.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct HeadScan {
    /// The `(http-equiv, content)` pairs of the head's `<meta>` elements, in document order,
    /// both trimmed of ASCII whitespace and with character references decoded.
    pub(crate) pragmas: Vec<(String, String)>,
    /// What ended the head within the prefix (`None`: the prefix ended first).
    pub(crate) ended_by: Option<String>,
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Scans a document for the `<meta http-equiv>` pragmas of its head, as its bytes arrive.
///
/// The head ends at `</head>`, `</body>`, `</html>` or `</br>`, at a start tag that cannot be
/// in a head (anything but `html`, `head`, `meta`, `title`, `link`, `style`, `script`, `base`,
/// `noscript` and `template`; `body` included), and at text other than whitespace outside
/// `title`, `style` and `script`. Comments, doctypes and processing instructions are
/// skipped; the contents of `title`, `style` and `script` are raw text, never tags; the
/// contents of `template` are inert (its metas are ignored, its tags do not end the head).
/// The content of `noscript` is read as tags, as a browser without scripts does. A tag cut
/// by the end of the prefix is not seen, so a longer prefix never loses a pragma a shorter
/// one found.
///
/// Bytes are read as Latin-1 (a UTF-8 byte order mark aside): the markup is ASCII, and a
/// pragma that is not ASCII is dropped later whatever the page's encoding. So offsets in the
/// text are offsets in the bytes, and each [`scan`](Self::scan) starts again from the last
/// point where the tokenizer was between tags (a checkpoint), not from the start: scanning a
/// growing prefix costs what the bytes after that point cost.
#[derive(Debug, Default)]
pub(crate) struct HeadScanner {
    /// The bytes before the checkpoint.
    checkpoint: usize,
    /// Where the tokens were at the checkpoint.
    at: Place,
    /// How many pragmas had been found at the checkpoint (kept in `last`: pragmas are only
    /// ever appended, so they are not copied at each checkpoint).
    pragmas_at_checkpoint: usize,
    /// What the last scan found.
    last: HeadScan,
}

impl HeadScanner {
    /// Scans `prefix`, the document's first bytes (each call with the same bytes and
    /// perhaps more), and returns what it says about the head so far.
    pub(crate) fn scan(&mut self, prefix: &[u8]) -> &HeadScan {
        if self.last.ended_by.is_some() {
            return &self.last;
        }
        let mut from = self.checkpoint;
        if from == 0 {
            if prefix.len() < UTF8_BOM.len() && UTF8_BOM.starts_with(prefix) {
                return &self.last; // Perhaps a byte order mark: wait for more.
            }
            if prefix.starts_with(UTF8_BOM) {
                from = UTF8_BOM.len();
                self.checkpoint = from;
            }
        }
        let (initial_state, last_start_tag_name) = match &self.at.raw {
            Some((kind, name)) => (Some(State::RawData(*kind)), Some(name.clone())),
            None => (None, None),
        };
        let opts = TokenizerOpts {
            discard_bom: false,
            initial_state,
            last_start_tag_name,
            ..TokenizerOpts::default()
        };
        let mut pragmas = std::mem::take(&mut self.last.pragmas);
        pragmas.truncate(self.pragmas_at_checkpoint);
        let sink = HeadSink {
            state: RefCell::new(SinkState {
                pragmas,
                ended_by: None,
                at: self.at.clone(),
            }),
            last_was_tag: Cell::new(false),
        };
        let tokenizer = Tokenizer::new(sink, opts);
        let queue = BufferQueue::default();
        let mut at = from;
        // Fed in pieces that end at a `>`: a tag ends at one, so after a piece whose last
        // token is a tag, the tokenizer is between tags, a checkpoint.
        for piece in prefix
            .get(from..)
            .unwrap_or_default()
            .split_inclusive(|&b| b == b'>')
        {
            at += piece.len();
            tokenizer.sink.last_was_tag.set(false);
            let text: String = piece.iter().map(|&b| char::from(b)).collect();
            queue.push_back(StrTendril::from_slice(&text));
            // The sink pauses the tokenizer (as for a script) once the head has ended.
            while let TokenizerResult::Script(()) = tokenizer.feed(&queue) {
                if tokenizer.sink.state.borrow().ended_by.is_some() {
                    break;
                }
            }
            let state = tokenizer.sink.state.borrow();
            if state.ended_by.is_some() {
                break;
            }
            if piece.ends_with(b">") && tokenizer.sink.last_was_tag.get() {
                self.checkpoint = at;
                self.at = state.at.clone();
                self.pragmas_at_checkpoint = state.pragmas.len();
            }
        }
        let state = tokenizer.sink.state.take();
        self.last = HeadScan {
            pragmas: state.pragmas,
            ended_by: state.ended_by,
        };
        &self.last
    }

    /// What the last scan found.
    pub(crate) fn last(&self) -> &HeadScan {
        &self.last
    }

    /// The bytes before the checkpoint: a new scan reads again only those after it.
    pub(crate) fn checkpoint(&self) -> usize {
        self.checkpoint
    }
}

/// The tokenizer's sink: follows where the tokens are and keeps the pragmas.
struct HeadSink {
    state: RefCell<SinkState>,
    /// Whether the last token (parse errors aside) was a tag.
    last_was_tag: Cell<bool>,
}

#[derive(Debug, Default)]
struct SinkState {
    pragmas: Vec<(String, String)>,
    ended_by: Option<String>,
    at: Place,
}

/// Where the tokens are.
#[derive(Debug, Default, Clone)]
struct Place {
    /// In the raw text of this element (the tokenizer emits its closing tag as the next
    /// tag), and the tokenizer's state for it.
    raw: Option<(RawKind, String)>,
    /// How many `template` elements are open.
    templates: usize,
}

/// The state the tokenizer must switch to after a start tag, as the tree builder would tell
/// it; `None` for ordinary tags.
fn raw_kind(name: &str) -> Option<RawKind> {
    match name {
        "script" => Some(RawKind::ScriptData),
        "title" | "textarea" => Some(RawKind::Rcdata),
        "style" | "xmp" | "iframe" | "noembed" | "noframes" => Some(RawKind::Rawtext),
        _ => None,
    }
}

fn is_whitespace(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\x0C' | '\r' | ' ')
}

/// The `(http-equiv, content)` of a `<meta>`, when it has both, non-empty.
fn pragma(tag: &Tag) -> Option<(String, String)> {
    let attr = |name: &str| {
        tag.attrs
            .iter()
            .find(|a| a.name.ns.is_empty() && &*a.name.local == name)
            .map(|a| a.value.trim_matches(is_whitespace).to_owned())
    };
    let name = attr("http-equiv").filter(|n| !n.is_empty())?;
    let content = attr("content").filter(|c| !c.is_empty())?;
    Some((name, content))
}

impl SinkState {
    fn tag(&mut self, tag: &Tag) -> TokenSinkResult<()> {
        let name = &*tag.name;
        if self.at.raw.is_some() {
            // In raw text the only tag the tokenizer emits is the one that closes it.
            self.at.raw = None;
            return TokenSinkResult::Continue;
        }
        match tag.kind {
            TagKind::StartTag if self.at.templates > 0 => {
                if name == "template" {
                    self.at.templates += 1;
                } else if name == "plaintext" {
                    return self.end("<plaintext> in a template");
                }
                self.enter(name)
            }
            TagKind::StartTag => match name {
                "html" | "head" | "link" | "base" | "noscript" => TokenSinkResult::Continue,
                "meta" => {
                    if let Some(p) = pragma(tag) {
                        self.pragmas.push(p);
                    }
                    TokenSinkResult::Continue
                }
                "title" | "style" | "script" => self.enter(name),
                "template" => {
                    self.at.templates = 1;
                    TokenSinkResult::Continue
                }
                _ => self.end(&format!("<{name}>")),
            },
            TagKind::EndTag if self.at.templates > 0 => {
                if name == "template" {
                    self.at.templates -= 1;
                }
                TokenSinkResult::Continue
            }
            TagKind::EndTag => match name {
                "head" | "body" | "html" | "br" => self.end(&format!("</{name}>")),
                _ => TokenSinkResult::Continue,
            },
        }
    }

    /// After a start tag: switches the tokenizer to raw text if the element holds some.
    fn enter(&mut self, name: &str) -> TokenSinkResult<()> {
        match raw_kind(name) {
            Some(kind) => {
                self.at.raw = Some((kind, name.to_owned()));
                TokenSinkResult::RawData(kind)
            }
            None => TokenSinkResult::Continue,
        }
    }

    fn end(&mut self, by: &str) -> TokenSinkResult<()> {
        self.ended_by = Some(by.to_owned());
        TokenSinkResult::Script(())
    }
}

impl TokenSink for HeadSink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut state = self.state.borrow_mut();
        if !matches!(token, Token::ParseError(_)) {
            self.last_was_tag.set(matches!(token, Token::TagToken(_)));
        }
        if state.ended_by.is_some() {
            // Past the head: only a tag may pause the tokenizer, so say so again on tags.
            return match token {
                Token::TagToken(_) => TokenSinkResult::Script(()),
                _ => TokenSinkResult::Continue,
            };
        }
        match token {
            Token::TagToken(tag) => state.tag(&tag),
            Token::CharacterTokens(text) => {
                if state.at.raw.is_none()
                    && state.at.templates == 0
                    && !text.chars().all(is_whitespace)
                {
                    state.ended_by = Some("text".to_owned());
                }
                // Only tags may pause the tokenizer: it stops at the next one.
                TokenSinkResult::Continue
            }
            Token::NullCharacterToken => {
                if state.at.raw.is_none() && state.at.templates == 0 {
                    state.ended_by = Some("text".to_owned());
                }
                TokenSinkResult::Continue
            }
            Token::CommentToken(_)
            | Token::DoctypeToken(_)
            | Token::ParseError(_)
            | Token::EOFToken => TokenSinkResult::Continue,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(prefix: &[u8]) -> HeadScan {
        HeadScanner::default().scan(prefix).clone()
    }

    fn pragmas(html: &str) -> Vec<(String, String)> {
        scan(html.as_bytes()).pragmas
    }

    fn pair(n: &str, v: &str) -> (String, String) {
        (n.to_owned(), v.to_owned())
    }

    #[test]
    fn reads_metas_of_the_head_until_it_ends() {
        let html = "<!DOCTYPE html><html><head><title>t <meta http-equiv=a content=b></title>\
            <meta charset=utf-8><meta http-equiv=\"Refresh\" content=\"5; url=/next\">\
            <link rel=x><base href=/><meta content='x=1' http-equiv='Set-Cookie'>\
            </head><body><meta http-equiv=late content=1>";
        let s = scan(html.as_bytes());
        assert_eq!(
            s.pragmas,
            [pair("Refresh", "5; url=/next"), pair("Set-Cookie", "x=1")]
        );
        assert_eq!(s.ended_by.as_deref(), Some("</head>"));
    }

    #[test]
    fn what_ends_the_head() {
        for (html, by) in [
            (
                "<head><meta http-equiv=a content=0><body><meta http-equiv=a content=1>",
                "<body>",
            ),
            (
                "<meta http-equiv=a content=0><div><meta http-equiv=a content=1>",
                "<div>",
            ),
            (
                "<meta http-equiv=a content=0>hello<meta http-equiv=a content=1>",
                "text",
            ),
            (
                "<meta http-equiv=a content=0></html><meta http-equiv=a content=1>",
                "</html>",
            ),
            (
                "<meta http-equiv=a content=0><svg><meta http-equiv=a content=1>",
                "<svg>",
            ),
        ] {
            let s = scan(html.as_bytes());
            assert_eq!(s.ended_by.as_deref(), Some(by), "{html}");
            assert_eq!(s.pragmas, [pair("a", "0")], "{html}");
        }
        // Whitespace, comments, a doctype, a BOM and stray end tags do not end it.
        let s = scan(
            "\u{feff}<!doctype html>\n <!-- c --> </title>\n<meta http-equiv=a content=1>"
                .as_bytes(),
        );
        assert_eq!(s.ended_by, None);
        assert_eq!(s.pragmas, [pair("a", "1")]);
    }

    #[test]
    fn comments_scripts_styles_and_templates_hide_their_metas() {
        let html = "<head><!-- <meta http-equiv=a content=1> -->\
            <script>document.write('<meta http-equiv=b content=2>'); if (a<b) {}</script>\
            <script><!-- <script></script> <meta http-equiv=c content=3> --></script>\
            <style>p::before { content: '<meta http-equiv=d content=4>'; }</style>\
            <template><div><meta http-equiv=e content=5><template></template></div></template>\
            <noscript><meta http-equiv=f content=6></noscript>\
            <meta http-equiv=g content=7></head>";
        assert_eq!(pragmas(html), [pair("f", "6"), pair("g", "7")]);
    }

    #[test]
    fn attribute_values_quotes_and_references() {
        let html = r#"<meta http-equiv = "Set-Cookie" content = 'a="x y"; Path=/' >
            <META HTTP-EQUIV=refresh CONTENT="0;URL=/a?b=1&amp;c=2&#x26;d">
            <meta http-equiv="x-one" content="1" content="2" http-equiv="x-two">
            <meta http-equiv="  padded " content="  v  ">
            <meta http-equiv="" content="no name"><meta http-equiv="no-content">
            <meta http-equiv="empty" content="">"#;
        assert_eq!(
            pragmas(html),
            [
                pair("Set-Cookie", "a=\"x y\"; Path=/"),
                pair("refresh", "0;URL=/a?b=1&c=2&d"),
                pair("x-one", "1"),
                pair("padded", "v"),
            ]
        );
    }

    #[test]
    fn a_tag_cut_by_the_prefix_is_not_seen() {
        let html = "<head><meta http-equiv=a content=1><meta http-equiv=b content=2></head>";
        let whole = scan(html.as_bytes());
        for end in 0..html.len() {
            let part = scan(&html.as_bytes()[..end]);
            assert!(whole.pragmas.starts_with(&part.pragmas), "prefix {end}");
            assert_eq!(part.ended_by, None, "prefix {end}");
        }
        assert_eq!(whole.pragmas.len(), 2);
        // An unclosed script hides the rest.
        let open = scan(b"<script>var s = '<meta http-equiv=a content=1>';");
        assert_eq!(open, HeadScan::default());
    }

    #[test]
    fn xhtml_is_read_as_html() {
        let html = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
            <!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" \"x.dtd\">\n\
            <html xmlns=\"http://www.w3.org/1999/xhtml\"><head>\
            <meta http-equiv=\"Content-Type\" content=\"application/xhtml+xml\" />\
            <script type=\"text/javascript\">//<![CDATA[\nvar a = '<meta http-equiv=\"x\" content=\"y\"/>';\n//]]></script>\
            <meta http-equiv=\"refresh\" content=\"1\"/></head><body/>";
        let s = scan(html.as_bytes());
        assert_eq!(
            s.pragmas,
            [
                pair("Content-Type", "application/xhtml+xml"),
                pair("refresh", "1")
            ]
        );
        assert_eq!(s.ended_by.as_deref(), Some("</head>"));
    }

    /// Every prefix of a document finds a prefix of what the whole finds, a scanner fed the
    /// prefixes one byte longer each time finds the same as a fresh one, and nothing
    /// panics, over documents made of fragments in a fixed pseudo-random order.
    #[test]
    fn prefixes_agree_with_the_whole_over_generated_documents() {
        const PARTS: &[&str] = &[
            "<head>",
            "<meta http-equiv=a content=1>",
            "<meta http-equiv='b' content=\"2\">",
            "<!--",
            "-->",
            "<script>",
            "</script>",
            "<style>",
            "</style>",
            "<title>",
            "</title>",
            "<template>",
            "</template>",
            "<noscript>",
            "</noscript>",
            " ",
            "\n",
            "x",
            "&amp;",
            "<",
            ">",
            "\"",
            "'",
            "=",
            "</head>",
            "<body>",
            "<div>",
            "<!",
            "<?",
            "</",
            "\u{e9}",
            "\0",
            "<br/>",
            "</br>",
            "<![CDATA[",
            "]]>",
        ];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..300 {
            let mut doc = String::new();
            for _ in 0..24 {
                seed = seed
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                doc.push_str(PARTS[(seed >> 33) as usize % PARTS.len()]);
            }
            let whole = scan(doc.as_bytes());
            let mut scanner = HeadScanner::default();
            for end in 0..=doc.len() {
                let part = scan(&doc.as_bytes()[..end]);
                assert!(whole.pragmas.starts_with(&part.pragmas), "{doc:?} at {end}");
                if part.ended_by.is_some() {
                    assert_eq!(part, whole, "{doc:?} at {end}");
                }
                assert_eq!(
                    scanner.scan(&doc.as_bytes()[..end]),
                    &part,
                    "{doc:?} at {end}"
                );
            }
        }
    }

    #[test]
    fn bytes_are_read_as_latin1_after_a_utf8_bom() {
        let s =
            scan(b"\xEF\xBB\xBF<title>caf\xc3\xa9</title><meta http-equiv=a content=\"\xff\">\xe9");
        assert_eq!(s.pragmas, [pair("a", "\u{ff}")]);
        assert_eq!(s.ended_by.as_deref(), Some("text"));
        // A prefix that may be a byte order mark waits for more; a BOM alone is no text.
        let mut scanner = HeadScanner::default();
        assert_eq!(scanner.scan(b"\xEF\xBB"), &HeadScan::default());
        assert_eq!(scanner.scan(b"\xEF\xBB\xBF\n"), &HeadScan::default());
        assert_eq!(
            scanner.scan(b"\xEF\xBB\xBF\n<body>").ended_by.as_deref(),
            Some("<body>")
        );
        assert_eq!(scan(b"\xEF\xBBx").ended_by.as_deref(), Some("text"));
    }

    /// A scanner fed a growing prefix finds what one scan of the whole finds, and reads
    /// again only from its last checkpoint.
    #[test]
    fn scanning_as_bytes_arrive_resumes_from_checkpoints() {
        let html = "<html><head><title>a <b> c</title><meta http-equiv=a content=1>\
            <script>if (a<b && c>d) { x = '</scr' + 'ipt>'; }</script>\
            <style>p > q { }</style><template><textarea></template></textarea></template>\
            <meta http-equiv=b content=2><!-- <x> --><meta http-equiv=c content=3></head><p>";
        let whole = scan(html.as_bytes());
        assert_eq!(whole.pragmas.len(), 3);
        let first_meta = html.find("content=1>").map(|at| at + "content=1>".len());
        let mut scanner = HeadScanner::default();
        scanner.scan(&html.as_bytes()[..first_meta.unwrap_or_default() + 3]);
        assert_eq!(
            Some(scanner.checkpoint()),
            first_meta,
            "just after the meta"
        );
        for step in [1, 2, 3, 5, 7, 11, 64] {
            let mut scanner = HeadScanner::default();
            let mut end = 0;
            while end < html.len() {
                end = (end + step).min(html.len());
                let before = scanner.checkpoint();
                let part = scanner.scan(&html.as_bytes()[..end]).clone();
                assert!(scanner.checkpoint() >= before, "checkpoints only move on");
                assert!(scanner.checkpoint() <= end);
                assert!(
                    whole.pragmas.starts_with(&part.pragmas),
                    "step {step} at {end}"
                );
            }
            assert_eq!(scanner.scan(html.as_bytes()), &whole, "step {step}");
        }
    }
}
