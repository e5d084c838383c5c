//! Markdown stage: one page's body to HTML with pulldown-cmark (tables, footnotes,
//! strikethrough, task lists, heading attributes), fixed for Chinese text (see [`cjk`]),
//! with stable unique heading ids, anchor links, a table of contents, highlighted code,
//! `@/` internal links and the page's plain text for search. Knows nothing of the site graph:
//! links are resolved through a callback.

pub mod cjk;
pub mod highlight;
pub mod sanitize;

use std::collections::HashSet;
use std::ops::Range;

use pulldown_cmark::{
    CodeBlockKind, CowStr, Event, HeadingLevel, Options as MdOptions, Parser, Tag, TagEnd,
};
use pulldown_cmark_escape::escape_html;
use serde::Serialize;

use crate::diagnostic::Diagnostic;

/// How to render.
pub struct Options<'a> {
    /// Turns an internal link target (the part after `@/`) into a URL, or says what is wrong
    /// (a diagnostic without location: the renderer adds file and line).
    pub resolve_link: &'a (dyn Fn(&str) -> Result<String, Diagnostic> + Sync),
    /// The folder of the page's file under `content/` (`actions/youth`, empty at the top):
    /// a relative link (`02-basic.md`, `../other/a.md#x`, `img/map.png`) is taken from
    /// there, as if written `@/actions/youth/02-basic.md`: to a page, or to a file beside
    /// the pages.
    pub page_dir: &'a str,
    /// The base path (`/` or `/kepu/`), put in front of root-relative links (`/targets/`) so
    /// they work when the site is served under a sub-path.
    pub base_path: &'a str,
    /// Highlight fenced code with a language.
    pub highlight: bool,
    /// Pass raw HTML through as written and allow any URL scheme in links
    /// (`markdown.unsafe_html` in `site.yaml`); otherwise raw HTML is sanitized (see
    /// [`sanitize`]).
    pub unsafe_html: bool,
}

/// A heading of the page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    pub id: String,
    /// Plain text.
    pub text: String,
}

/// One entry of the table of contents, with the headings nested under it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

/// A problem found while rendering, located in the Markdown source (1-based line and
/// column of the body).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub column: usize,
    pub diagnostic: Diagnostic,
}

/// A rendered body.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
    pub toc: Vec<TocEntry>,
    /// Plain text of the body, blocks separated by newlines, for search and summaries.
    pub text: String,
    /// Plain text of the first paragraph.
    pub first_paragraph: String,
    pub problems: Vec<Problem>,
    /// Internal links with an anchor (`@/a.md#x`), for checking once every page's headings
    /// are known.
    pub anchors: Vec<AnchorLink>,
}

/// An internal link to an anchor, located in the Markdown source (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnchorLink {
    /// The link's path after `@/`, without the anchor: `actions/a.md`.
    pub path: String,
    /// The anchor, without `#`.
    pub anchor: String,
    pub line: usize,
    pub column: usize,
}

fn md_options() -> MdOptions {
    MdOptions::ENABLE_TABLES
        | MdOptions::ENABLE_FOOTNOTES
        | MdOptions::ENABLE_STRIKETHROUGH
        | MdOptions::ENABLE_TASKLISTS
        | MdOptions::ENABLE_HEADING_ATTRIBUTES
}

/// A CJK-safe id from heading text: letters and digits of any script kept (ASCII lowercased),
/// every run of other characters becomes one `-`. `一、总体要求` → `一-总体要求`,
/// `Step 2: Build` → `step-2-build`.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else {
            dash = true;
        }
    }
    if out.is_empty() {
        out.push_str("section");
    }
    out
}

/// Makes `id` unique among `seen` by appending `-1`, `-2`...
fn unique(id: String, seen: &mut HashSet<String>) -> String {
    if seen.insert(id.clone()) {
        return id;
    }
    (1..)
        .map(|n| format!("{id}-{n}"))
        .find(|c| !seen.contains(c))
        .inspect(|c| {
            seen.insert(c.clone());
        })
        .unwrap_or(id)
}

/// Nests a flat list of headings by level.
pub fn build_toc(headings: &[Heading]) -> Vec<TocEntry> {
    fn insert(list: &mut Vec<TocEntry>, e: TocEntry) {
        match list.last_mut() {
            Some(last) if last.level < e.level => insert(&mut last.children, e),
            _ => list.push(e),
        }
    }
    let mut toc = Vec::new();
    for h in headings {
        insert(
            &mut toc,
            TocEntry {
                level: h.level,
                id: h.id.clone(),
                title: h.text.clone(),
                children: Vec::new(),
            },
        );
    }
    toc
}

fn level_num(l: HeadingLevel) -> u8 {
    l as u8
}

/// 1-based line and column of a byte offset.
fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let before = &src[..offset.min(src.len())];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    (line, col)
}

/// First character of the next text-bearing event at or after `i`, skipping inline tags.
fn next_char(events: &[(Event, Range<usize>)], mut i: usize) -> Option<char> {
    while let Some((e, _)) = events.get(i) {
        match e {
            Event::Text(t) | Event::Code(t) => return cjk::strip(t).chars().next(),
            Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. })
            | Event::End(
                TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link,
            ) => i += 1,
            _ => return None,
        }
    }
    None
}

/// Renders one page body.
pub fn render(src: &str, opts: &Options) -> Rendered {
    walk(src, opts, false)
}

/// The plain text of the first paragraph only, rendered exactly as [`render`] would (for
/// summaries in listings), without producing HTML.
pub fn first_paragraph(src: &str) -> String {
    let no_links = |_: &str| Ok(String::new());
    let opts = Options {
        resolve_link: &no_links,
        page_dir: "",
        base_path: "/",
        highlight: false,
        unsafe_html: true,
    };
    walk(src, &opts, true).first_paragraph
}

/// The one pass over the events behind [`render`] and [`first_paragraph`].
fn walk(src: &str, opts: &Options, first_paragraph_only: bool) -> Rendered {
    let prepared = cjk::prepare(src);
    let src_p: &str = &prepared;
    let events: Vec<(Event, Range<usize>)> = Parser::new_ext(src_p, md_options())
        .into_offset_iter()
        .collect();

    // The page's title is its only <h1>: a body that uses `#` headings has every heading
    // moved one level down.
    let demote = events.iter().any(|(e, _)| {
        matches!(
            e,
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            })
        )
    });
    let shift = |l: HeadingLevel| -> HeadingLevel {
        if !demote {
            return l;
        }
        match l {
            HeadingLevel::H1 => HeadingLevel::H2,
            HeadingLevel::H2 => HeadingLevel::H3,
            HeadingLevel::H3 => HeadingLevel::H4,
            HeadingLevel::H4 => HeadingLevel::H5,
            _ => HeadingLevel::H6,
        }
    };
    let mut out: Vec<Event> = Vec::with_capacity(events.len() + 8);
    let mut r = Rendered::default();
    let mut seen_ids = HashSet::new();
    let mut last_char: Option<char> = None;
    // Heading being collected: index of its Start event in `out`, and its text.
    let mut heading: Option<(usize, String)> = None;
    // Fenced code being collected: language and text.
    let mut code: Option<(String, String)> = None;
    // First paragraph: 0 not started, 1 collecting, 2 done.
    let mut para_state = 0u8;
    // Raw HTML seen: the events go through the sanitizer.
    let mut has_raw_html = false;

    let mut i = 0;
    while i < events.len() {
        let (event, range) = &events[i];
        i += 1;
        if let Some((_, buf)) = code.as_mut() {
            match event {
                Event::Text(t) => {
                    buf.push_str(&cjk::strip(t));
                    continue;
                }
                Event::End(TagEnd::CodeBlock) => {
                    let (lang, text) = code.take().unwrap_or_default();
                    r.text.push_str(&text);
                    r.text.push('\n');
                    out.push(Event::Html(CowStr::from(code_block_html(
                        &lang,
                        &text,
                        opts.highlight,
                    ))));
                    continue;
                }
                _ => continue,
            }
        }
        let is_code = matches!(event, Event::Code(_));
        match event {
            // Text and inline code are both words of the page: plain text, heading text and
            // the first paragraph take them alike.
            Event::Text(t) | Event::Code(t) => {
                let t = clean(t);
                last_char = t.chars().last().or(last_char);
                r.text.push_str(&t);
                if let Some((_, h)) = heading.as_mut() {
                    h.push_str(&t);
                }
                if para_state == 1 {
                    r.first_paragraph.push_str(&t);
                }
                out.push(if is_code {
                    Event::Code(t)
                } else {
                    Event::Text(t)
                });
            }
            Event::SoftBreak => {
                if cjk::join_without_space(last_char, next_char(&events, i)) {
                    continue;
                }
                r.text.push(' ');
                if para_state == 1 {
                    r.first_paragraph.push(' ');
                }
                out.push(Event::SoftBreak);
            }
            Event::HardBreak => {
                r.text.push('\n');
                out.push(Event::HardBreak);
            }
            Event::Html(h) => {
                has_raw_html = true;
                out.push(Event::Html(clean(h)));
            }
            Event::InlineHtml(h) => {
                has_raw_html = true;
                out.push(Event::InlineHtml(clean(h)));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split([' ', ',', '{']).next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                heading = Some((out.len(), String::new()));
                out.push(Event::Start(Tag::Heading {
                    level: shift(*level),
                    id: id.clone(),
                    classes: classes.clone(),
                    attrs: attrs.clone(),
                }));
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some((start, text)) = heading.take() {
                    let text = text.trim().to_string();
                    let explicit = match &out[start] {
                        Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
                        _ => None,
                    };
                    let id = match explicit {
                        Some(id) => {
                            seen_ids.insert(id.clone());
                            id
                        }
                        None => unique(slugify(&text), &mut seen_ids),
                    };
                    if let Event::Start(Tag::Heading { id: slot, .. }) = &mut out[start] {
                        *slot = Some(CowStr::from(id.clone()));
                    }
                    // The id as it is, like the table of contents' links to it.
                    let mut anchor = String::from(" <a class=\"anchor\" href=\"#");
                    let _ = escape_html(&mut anchor, &id);
                    anchor.push_str("\" aria-hidden=\"true\" tabindex=\"-1\">#</a>");
                    // `Html`, not `InlineHtml`: the pipeline's own HTML, which the
                    // sanitizer leaves alone.
                    out.push(Event::Html(CowStr::from(anchor)));
                    r.headings.push(Heading {
                        level: level_num(shift(*level)),
                        id,
                        text,
                    });
                }
                r.text.push('\n');
                last_char = None;
                out.push(Event::End(TagEnd::Heading(shift(*level))));
            }
            Event::Start(Tag::Paragraph) => {
                if para_state == 0 {
                    para_state = 1;
                }
                out.push(event.clone());
            }
            Event::End(TagEnd::Paragraph) => {
                if para_state == 1 {
                    para_state = 2;
                    if first_paragraph_only {
                        break;
                    }
                }
                r.text.push('\n');
                last_char = None;
                out.push(event.clone());
            }
            // Links and images: the same tag with its address rewritten.
            Event::Start(tag @ (Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. })) => {
                let dest = rewrite_link(dest_url, opts, src_p, range, &mut r);
                let mut tag = tag.clone();
                if let Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } = &mut tag {
                    *dest_url = dest;
                }
                out.push(Event::Start(tag));
            }
            Event::End(
                TagEnd::Item | TagEnd::TableCell | TagEnd::TableRow | TagEnd::BlockQuote(_),
            ) => {
                r.text.push('\n');
                last_char = None;
                out.push(event.clone());
            }
            other => out.push(other.clone()),
        }
    }
    r.first_paragraph = r.first_paragraph.trim().to_string();
    if first_paragraph_only {
        return r;
    }
    r.toc = build_toc(&r.headings);
    let out = if has_raw_html && !opts.unsafe_html {
        sanitize::sanitize_events(out)
    } else {
        out
    };
    let mut html = String::with_capacity(src.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    r.html = without_inline_styles(html);
    // These live until the end of the build (text feeds the search index): no slack.
    r.text.shrink_to_fit();
    r
}

/// Table column alignment as classes instead of pulldown-cmark's `style` attributes, so
/// pages work under a Content-Security-Policy without `unsafe-inline`.
fn without_inline_styles(html: String) -> String {
    const STYLE: &str = " style=\"text-align: ";
    if !html.contains(STYLE) {
        return html;
    }
    html.replace(" style=\"text-align: left\"", " class=\"align-left\"")
        .replace(" style=\"text-align: center\"", " class=\"align-center\"")
        .replace(" style=\"text-align: right\"", " class=\"align-right\"")
}

/// Text of an event without sentinels; no copy when there are none.
fn clean<'a>(t: &CowStr<'a>) -> CowStr<'a> {
    if t.contains(cjk::SENTINEL) {
        CowStr::from(t.replace(cjk::SENTINEL, ""))
    } else {
        t.clone()
    }
}

/// Resolves `@/` links and relative links (to pages and to files under `content/`), and
/// prefixes root-relative links with the base path.
fn rewrite_link<'a>(
    dest: &CowStr<'a>,
    opts: &Options,
    src: &str,
    range: &Range<usize>,
    r: &mut Rendered,
) -> CowStr<'a> {
    let d = cjk::strip(dest);
    // A relative link to a file that is not under content/ is left as the browser would
    // take it (it may be one of static/, on a section's page): only a link to a page, or
    // to a file under content/, is made from the page's folder.
    let (internal, unchecked) = match d.strip_prefix("@/") {
        Some(target) => (Some(Ok(target.to_string())), false),
        None => {
            let target = relative_target(&d, opts.page_dir);
            let to_page = {
                let path = d.split('#').next().unwrap_or(&d);
                path.ends_with(".md") || path.ends_with('/') || path == "." || path == ".."
            };
            let unchecked = matches!(target, Some(Ok(_))) && !to_page;
            (target, unchecked)
        }
    };
    if let Some(target) = internal {
        return match target.and_then(|target| (opts.resolve_link)(&target).map(|url| (target, url)))
        {
            Ok((target, url)) => {
                if let Some((path, anchor)) = target.split_once('#')
                    && !crate::model::is_asset_path(path)
                {
                    let (line, column) = line_col(src, range.start);
                    r.anchors.push(AnchorLink {
                        path: path.to_string(),
                        anchor: anchor.to_string(),
                        line,
                        column,
                    });
                }
                CowStr::from(url)
            }
            Err(_) if unchecked => CowStr::from(d.into_owned()),
            Err(diagnostic) => {
                let (line, column) = line_col(src, range.start);
                r.problems.push(Problem {
                    line,
                    column,
                    diagnostic,
                });
                CowStr::from("#")
            }
        };
    }
    if !opts.unsafe_html && !sanitize::is_allowed_url(&d) {
        let (line, column) = line_col(src, range.start);
        let shown: String = d.chars().take(40).collect();
        r.problems.push(Problem {
            line,
            column,
            diagnostic: Diagnostic::error(format!(
                "link to '{shown}' is not allowed: only http, https, mailto and tel addresses can be linked"
            ))
            .with_hint(
                "link to a web address starting with https://, or to a page with @/path.md",
            ),
        });
        return CowStr::from("#");
    }
    if d.starts_with('/') && !d.starts_with("//") && opts.base_path != "/" {
        return CowStr::from(format!("{}{}", opts.base_path.trim_end_matches('/'), d));
    }
    CowStr::from(d.into_owned())
}

/// The `@/` target (path under `content/`, `#anchor` kept) of a relative link on a page in
/// the folder `page_dir`; `None` for any other link (with a scheme, from the site root, or
/// to an anchor of the page itself). A page's URL is a folder below its file's
/// (`actions/a.md` → `/actions/a/`), so the browser would take a relative link from the
/// wrong place: the link is made from the file's folder here, as editors mean it. A link
/// that climbs out of `content/`, or starts with a full-width `＠/`, is an error.
fn relative_target(dest: &str, page_dir: &str) -> Option<Result<String, Diagnostic>> {
    if let Some(rest) = dest.strip_prefix("＠/") {
        return Some(Err(Diagnostic::error(format!(
            "the link '{dest}' starts with a full-width '＠'"
        ))
        .with_hint(format!(
            "type a half-width @ (input method in English mode): @/{rest}"
        ))));
    }
    let (path, anchor) = match dest.split_once('#') {
        Some((path, anchor)) => (path, Some(anchor)),
        None => (dest, None),
    };
    let relative = !path.is_empty() && !path.starts_with('/') && !path.contains([':', '?']);
    if !relative {
        return None;
    }
    // Written by hand or copied from an address bar: `%E5%9B%BE.png` is `图.png`.
    let path = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .unwrap_or(std::borrow::Cow::Borrowed(path));
    let mut parts: Vec<&str> = page_dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Some(Err(Diagnostic::error(format!(
                        "the link '{dest}' points outside content/"
                    ))
                    .with_hint(
                        "link to a page by its path under content/, e.g. @/actions/youth/02-basic.md",
                    )));
                }
            }
            name => parts.push(name),
        }
    }
    let mut target = parts.join("/");
    if path.ends_with('/') && !target.is_empty() {
        target.push('/');
    }
    if let Some(anchor) = anchor {
        target.push('#');
        target.push_str(anchor);
    }
    Some(Ok(target))
}

/// A fenced code block: highlighted when the language is known, escaped text otherwise.
fn code_block_html(lang: &str, code: &str, highlight: bool) -> String {
    let mut html = String::with_capacity(code.len() * 2 + 64);
    let highlighted = if highlight && !lang.is_empty() {
        highlight::highlight(code, lang)
    } else {
        None
    };
    if lang.is_empty() {
        html.push_str("<pre><code>");
    } else {
        html.push_str("<pre class=\"code\"><code class=\"language-");
        let _ = escape_html(&mut html, lang);
        html.push_str("\">");
    }
    match highlighted {
        Some(h) => html.push_str(&h),
        None => {
            let _ = escape_html(&mut html, code);
        }
    }
    html.push_str("</code></pre>\n");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(t: &str) -> Result<String, Diagnostic> {
        match t {
            "a.md" => Ok("/kepu/a/".to_string()),
            "a.md#x" => Ok("/kepu/a/#x".to_string()),
            _ => Err(Diagnostic::error(format!("broken internal link @/{t}"))),
        }
    }

    fn md(src: &str) -> Rendered {
        render(
            src,
            &Options {
                resolve_link: &resolve,
                page_dir: "",
                base_path: "/kepu/",
                highlight: true,
                unsafe_html: false,
            },
        )
    }

    #[test]
    fn relative_links_to_markdown_files_are_internal_links() {
        let at =
            |dest: &str, dir: &str| relative_target(dest, dir).map(|r| r.map_err(|d| d.message));
        assert_eq!(
            at("02-basic.md", "actions/youth"),
            Some(Ok("actions/youth/02-basic.md".into()))
        );
        assert_eq!(
            at("./02-basic.md#x", "actions/youth"),
            Some(Ok("actions/youth/02-basic.md#x".into()))
        );
        assert_eq!(
            at("../elderly/01.md", "actions/youth"),
            Some(Ok("actions/elderly/01.md".into()))
        );
        assert_eq!(at("actions/a.md", ""), Some(Ok("actions/a.md".into())));
        assert_eq!(
            at("../../a.md", "actions"),
            Some(Err("the link '../../a.md' points outside content/".into()))
        );
        assert_eq!(
            at("＠/actions/a.md", ""),
            Some(Err(
                "the link '＠/actions/a.md' starts with a full-width '＠'".into()
            ))
        );
        assert_eq!(
            at("img/%E5%9B%BE.png", "actions"),
            Some(Ok("actions/img/图.png".into()))
        );
        assert_eq!(at("../", "actions/youth"), Some(Ok("actions/".into())));
        for other in [
            "https://a.cn/b.md",
            "/targets/",
            "#x",
            "a.md?x=1",
            "mailto:a@b.cn",
            "//cdn.cn/x.js",
        ] {
            assert_eq!(at(other, "actions"), None, "{other}");
        }
        // Rendered like @/ links, anchors checked later the same way.
        let r = render(
            "[甲](a.md#x)和[乙](../b.md)",
            &Options {
                resolve_link: &resolve,
                page_dir: "",
                base_path: "/kepu/",
                highlight: false,
                unsafe_html: false,
            },
        );
        assert!(r.html.contains("href=\"/kepu/a/#x\""), "{}", r.html);
        assert_eq!(r.anchors.len(), 1);
        assert_eq!(r.problems.len(), 1);
        assert!(r.problems[0].diagnostic.message.contains("points outside"));
    }

    #[test]
    fn cjk_soft_breaks() {
        assert_eq!(md("科学\n素质").html, "<p>科学素质</p>\n");
        assert_eq!(md("科学，\n素质").html, "<p>科学，素质</p>\n");
        assert_eq!(
            md("**科学**\n素质").html,
            "<p><strong>科学</strong>素质</p>\n"
        );
        assert_eq!(md("science\nliteracy").html, "<p>science\nliteracy</p>\n");
        assert_eq!(md("科学\nliteracy").html, "<p>科学\nliteracy</p>\n");
    }

    #[test]
    fn emphasis_next_to_fullwidth_punctuation() {
        for (src, want) in [
            ("**注意：**正文", "<p><strong>注意：</strong>正文</p>\n"),
            (
                "这是**“重点”**内容",
                "<p>这是<strong>“重点”</strong>内容</p>\n",
            ),
            ("*（一）*完善", "<p><em>（一）</em>完善</p>\n"),
            ("~~删除。~~保留", "<p><del>删除。</del>保留</p>\n"),
            ("说明：**重点**。", "<p>说明：<strong>重点</strong>。</p>\n"),
            (
                "**注意：**正文**另见：**附件",
                "<p><strong>注意：</strong>正文<strong>另见：</strong>附件</p>\n",
            ),
            (
                "***注意：***正文",
                "<p><em><strong>注意：</strong></em>正文</p>\n",
            ),
            ("**Note:**正文", "<p><strong>Note:</strong>正文</p>\n"),
            ("科学*技术*发展", "<p>科学<em>技术</em>发展</p>\n"),
            (
                "* 第一项：**重点：**内容",
                "<ul>\n<li>第一项：<strong>重点：</strong>内容</li>\n</ul>\n",
            ),
            ("见《**纲要**》", "<p>见《<strong>纲要</strong>》</p>\n"),
            ("2*3*4", "<p>2<em>3</em>4</p>\n"),
            ("**foo.**bar", "<p>**foo.**bar</p>\n"),
        ] {
            assert_eq!(md(src).html, want, "{src}");
        }
        // Sentinels never leak, even in code.
        let r = md("`：**正` 和\n\n```\n：**正\n```\n");
        assert!(!r.html.contains(cjk::SENTINEL));
        assert!(r.html.contains("<code>：**正</code>"));
    }

    #[test]
    fn heading_ids_are_stable_unique_and_cjk_safe() {
        let r = md(
            "# 一、总体要求\n\n## 一、总体要求\n\n## Step 2: Build\n\n### 自定义 {#custom}\n\n## ！！\n",
        );
        let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "一-总体要求",
                "一-总体要求-1",
                "step-2-build",
                "custom",
                "section"
            ]
        );
        assert!(
            r.html.contains(
                "<h2 id=\"一-总体要求\">一、总体要求 <a class=\"anchor\" href=\"#一-总体要求\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h2>"
            ),
            "{}",
            r.html
        );
        assert_eq!(r.toc.len(), 1);
        assert_eq!(r.toc[0].children.len(), 3);
        assert_eq!(r.toc[0].children[1].children[0].id, "custom");
        // `#` in the body was moved down: the page title is the only <h1>.
        assert_eq!(r.headings[0].level, 2);
        assert!(!r.html.contains("<h1"));
        assert!(
            md("## 二级\n\n### 三级")
                .html
                .starts_with("<h2 id=\"二级\">")
        );
        assert_eq!(r.headings[3].text, "自定义");
    }

    #[test]
    fn internal_and_root_links() {
        let r = md("见[甲](@/a.md)和[乙](@/a.md#x)，[目标](/targets/)，[外](https://a.cn/)。");
        assert!(r.html.contains("href=\"/kepu/a/\""));
        assert!(r.html.contains("href=\"/kepu/a/#x\""));
        assert!(r.html.contains("href=\"/kepu/targets/\""));
        assert!(r.html.contains("href=\"https://a.cn/\""));
        assert!(r.problems.is_empty());
        assert_eq!(
            r.anchors,
            [AnchorLink {
                path: "a.md".to_string(),
                anchor: "x".to_string(),
                line: 1,
                column: 14,
            }]
        );
        let r = md("第一行\n\n第二行 [坏](@/missing.md)");
        assert_eq!(r.problems.len(), 1);
        assert_eq!(r.problems[0].line, 3);
        assert_eq!(r.problems[0].column, 5);
    }

    #[test]
    fn code_is_highlighted_into_classes() {
        let r = md("```rust\nfn main() {}\n```\n\n```\n<plain>\n```\n\n```nosuchlang\n<x>\n```\n");
        assert!(
            r.html
                .contains("<pre class=\"code\"><code class=\"language-rust\"><span class=\"hl-")
        );
        assert!(r.html.contains("<pre><code>&lt;plain&gt;\n</code></pre>"));
        assert!(r.html.contains("language-nosuchlang\">&lt;x&gt;"));
        assert!(!r.html.contains("style="));
    }

    #[test]
    fn extensions_and_text() {
        let r = md(
            "前言第一段。\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] 完成\n\n脚注[^1]\n\n[^1]: 说明\n\n~~旧~~",
        );
        assert!(r.html.contains("<table>"));
        let t = md("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |");
        assert!(t.html.contains("<th class=\"align-left\">a</th><th class=\"align-center\">b</th><th class=\"align-right\">c</th>"), "{}", t.html);
        assert!(!t.html.contains("style="));
        assert!(r.html.contains("type=\"checkbox\""));
        assert!(r.html.contains("footnote"));
        assert!(r.html.contains("<del>旧</del>"));
        assert_eq!(r.first_paragraph, "前言第一段。");
        assert_eq!(
            first_paragraph("# 标题\n\n**注意：**第一\n段。\n\n第二段"),
            "注意：第一段。"
        );
        assert!(r.text.contains("完成"));
        assert!(!r.text.contains('<'));
    }

    #[test]
    fn raw_html_is_sanitized() {
        let r = md(
            "前言<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n点<a href=\"javascript:alert(1)\">这里</a>，m<sup>2</sup>。\n\n<div onclick=\"x()\"><script>\nalert(1)\n</script>\n<p class=\"note\">注</p></div>\n",
        );
        assert!(!r.html.contains("script"), "{}", r.html);
        assert!(!r.html.contains("onerror"), "{}", r.html);
        assert!(!r.html.contains("onclick"), "{}", r.html);
        assert!(!r.html.contains("javascript"), "{}", r.html);
        assert!(r.html.contains("<a>这里</a>"), "{}", r.html);
        assert!(r.html.contains("m<sup>2</sup>"), "{}", r.html);
        assert!(r.html.contains("<p class=\"note\">注</p>"), "{}", r.html);
        // Allowed with `markdown.unsafe_html: true`.
        let unsafe_opts = Options {
            resolve_link: &resolve,
            page_dir: "",
            base_path: "/",
            highlight: false,
            unsafe_html: true,
        };
        let r = render("<script>x()</script>\n\n[a](javascript:x())", &unsafe_opts);
        assert!(r.html.contains("<script>x()</script>"));
        assert!(r.html.contains("href=\"javascript:x()\""));
        assert!(r.problems.is_empty());
    }

    #[test]
    fn pipeline_output_survives_beside_raw_html() {
        // Heading ids and anchors, highlighted code, tables with alignment, footnotes and
        // task lists are the pipeline's own output: raw HTML on the page changes none of them.
        let features = "## 二、目标 {#goal}\n\n```rust\nfn main() {}\n```\n\n| a | b |\n|:-|-:|\n| 1 | 2 |\n\n脚注[^1]\n\n- [x] 完成\n\n[^1]: 说明\n";
        let plain = md(features).html;
        let with_raw = md(&format!("{features}\n<br>\n\n文字<b>粗</b>\n")).html;
        assert!(with_raw.starts_with(&plain), "{plain}\n---\n{with_raw}");
        assert!(
            with_raw.ends_with("<br>\n<p>文字<b>粗</b></p>\n"),
            "{with_raw}"
        );
    }

    #[test]
    fn markdown_links_with_scripts_are_errors() {
        for src in [
            "[x](javascript:alert(1))",
            "![x](javascript:alert(1))",
            "<javascript:alert(1)>",
            "[x](JAVASCRIPT:alert(1))",
            "[x]: vbscript:x\n\n[x]",
        ] {
            let r = md(src);
            assert_eq!(r.problems.len(), 1, "{src}");
            assert!(
                r.problems[0].diagnostic.message.contains("is not allowed"),
                "{src}"
            );
            assert!(
                !r.html.to_ascii_lowercase().contains("=\"javascript:"),
                "{}",
                r.html
            );
            assert!(
                !r.html.to_ascii_lowercase().contains("=\"vbscript:"),
                "{}",
                r.html
            );
        }
    }
}
