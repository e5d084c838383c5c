//! The raw-HTML sanitizer: HTML an editor typed into Markdown goes through `ammonia`, which
//! keeps harmless markup (`<sup>`, `<br>`, tables, `<span class>`) and drops scripts, event
//! handlers, styles and `javascript:` URLs. Turned off by `markdown.unsafe_html: true` in
//! `site.yaml`.
//!
//! Only raw HTML is sanitized, never the pipeline's own output (heading ids, anchors,
//! highlighted code, footnotes, task lists, table alignment classes), so pages without raw
//! HTML cost nothing and the pipeline needs no allow-list:
//! - an HTML block (the parser's `HtmlBlock`) is cleaned as one fragment;
//! - inline HTML is cleaned together with the run of inline Markdown around it (text,
//!   emphasis, links, code: what lies between two block boundaries), so an opening tag and
//!   its closing tag are seen together and the result is balanced. Footnote references,
//!   task-list markers and the pipeline's own HTML end a run: they stay out of ammonia.
//!
//! Markdown links and images get the same URL rule as raw HTML ([`is_allowed_url`]); the
//! Markdown stage reports a disallowed one as an error naming file and line.

use std::collections::HashSet;
use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

/// URL schemes a link or image may use. Links without a scheme (relative, `#x`, `/x`) are
/// always allowed.
pub const URL_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

/// The ammonia configuration, built once.
static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.url_schemes(URL_SCHEMES.iter().copied().collect::<HashSet<_>>())
        // Classes are harmless under the site's Content-Security-Policy and let editors use
        // the theme's styles; ids are not allowed (they could clash with heading ids).
        .add_generic_attributes(["class"])
        // The page title is the page's only <h1>.
        .rm_tags(["h1"])
        // Keep links as written; the theme decides about rel.
        .link_rel(None);
    b
});

/// Cleans one fragment of raw HTML.
pub fn clean(html: &str) -> String {
    CLEANER.clean(html).to_string()
}

/// True when `url` may be used in a link or image: no scheme, or one of [`URL_SCHEMES`].
/// Reads the URL as a browser does: leading spaces and control characters and embedded
/// tabs and newlines are ignored (`java\tscript:` is `javascript:`).
pub fn is_allowed_url(url: &str) -> bool {
    let cleaned: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .take(32)
        .collect();
    let Some(colon) = cleaned.find(':') else {
        return true;
    };
    let scheme = &cleaned[..colon];
    let is_scheme = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !is_scheme {
        // `/a:b`, `a/b:c`, `#x:y`: a path, not a scheme.
        return true;
    }
    URL_SCHEMES.iter().any(|s| s.eq_ignore_ascii_case(scheme))
}

/// Moves a finished inline run to `out`, cleaned if it holds raw HTML.
fn flush<'a>(run: &mut Vec<Event<'a>>, raw: &mut bool, out: &mut Vec<Event<'a>>) {
    if *raw {
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, run.drain(..));
        out.push(Event::InlineHtml(CowStr::from(clean(&html))));
    } else {
        out.append(run);
    }
    *raw = false;
}

/// Events that may sit inside a run of inline content cleaned together.
fn is_inline(e: &Event) -> bool {
    matches!(
        e,
        Event::Text(_)
            | Event::Code(_)
            | Event::InlineHtml(_)
            | Event::SoftBreak
            | Event::HardBreak
            | Event::InlineMath(_)
            | Event::Start(
                Tag::Emphasis
                    | Tag::Strong
                    | Tag::Strikethrough
                    | Tag::Superscript
                    | Tag::Subscript
                    | Tag::Link { .. }
                    | Tag::Image { .. }
            )
            | Event::End(
                TagEnd::Emphasis
                    | TagEnd::Strong
                    | TagEnd::Strikethrough
                    | TagEnd::Superscript
                    | TagEnd::Subscript
                    | TagEnd::Link
                    | TagEnd::Image
            )
    )
}

/// Replaces every piece of raw HTML in `events` (with the inline run around it) by its
/// sanitized HTML. Events are as the parser gave them, except that the pipeline's own HTML
/// must be `Event::Html` outside an `HtmlBlock`, never `Event::InlineHtml`.
pub fn sanitize_events(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut out = Vec::with_capacity(events.len());
    let mut block: Option<String> = None;
    let mut run: Vec<Event> = Vec::new();
    let mut run_is_raw = false;
    for e in events {
        if let Some(buf) = block.as_mut() {
            match e {
                Event::End(TagEnd::HtmlBlock) => {
                    let mut html = clean(buf);
                    if !html.ends_with('\n') {
                        html.push('\n');
                    }
                    out.push(Event::Html(CowStr::from(html)));
                    block = None;
                }
                Event::Html(h) | Event::Text(h) => buf.push_str(&h),
                _ => {}
            }
            continue;
        }
        if is_inline(&e) {
            run_is_raw |= matches!(e, Event::InlineHtml(_));
            run.push(e);
            continue;
        }
        flush(&mut run, &mut run_is_raw, &mut out);
        match e {
            Event::Start(Tag::HtmlBlock) => block = Some(String::new()),
            other => out.push(other),
        }
    }
    flush(&mut run, &mut run_is_raw, &mut out);
    if let Some(buf) = block {
        out.push(Event::Html(CowStr::from(clean(&buf))));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        for ok in [
            "https://a.cn/",
            "http://a.cn",
            "mailto:kx@a.cn",
            "tel:0000",
            "/targets/",
            "#x",
            "a/b.html",
            "./a:b",
            "a/b:c",
            "",
        ] {
            assert!(is_allowed_url(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " javascript:alert(1)",
            "java\tscript:alert(1)",
            "\u{1}javascript:x",
            "vbscript:x",
            "data:text/html,<script>",
            "file:///etc/passwd",
        ] {
            assert!(!is_allowed_url(bad), "{bad:?}");
        }
    }

    #[test]
    fn cleans_fragments() {
        assert_eq!(clean("<script>alert(1)</script>ok"), "ok");
        assert_eq!(clean("<img src=x onerror=alert(1)>"), "<img src=\"x\">");
        assert_eq!(clean("<a href=\"javascript:alert(1)\">x</a>"), "<a>x</a>");
        assert_eq!(
            clean("<span class=\"note\" style=\"color:red\" id=\"i\">m<sup>2</sup></span>"),
            "<span class=\"note\">m<sup>2</sup></span>"
        );
        assert_eq!(clean("<h1>标题</h1>"), "标题");
    }
}
