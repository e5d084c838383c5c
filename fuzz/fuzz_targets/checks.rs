//! What each fuzz target checks. Shared with `tests/fuzz_corpus.rs`, which replays the
//! committed corpus (`fuzz/corpus/<target>/`) through the same functions in `cargo test`,
//! so a crash found once stays fixed. Each function takes arbitrary bytes and panics only on
//! a defect: a panic in the product, or a broken promise checked below.

#![allow(dead_code)] // each fuzz target uses one of these functions

use std::path::Path;

use site::diagnostic::Diagnostic;

/// A content file's bytes through decoding, front-matter splitting and the schema; the same
/// text as `site.yaml` and as `content/units.yaml`. Errors must name the file.
pub fn front_matter(data: &[u8]) {
    match site::load::parse_page("fuzz.md", data.to_vec()) {
        Ok(page) => {
            assert!(!page.front.title.trim().is_empty(), "a page without title");
            assert!(page.body_line >= 3, "body before the front matter closed");
        }
        Err(d) => assert_eq!(d.file.as_deref(), Some("content/fuzz.md"), "{d}"),
    }
    if let Ok(text) = std::str::from_utf8(data) {
        if let Err(d) = site::config::Config::parse(text) {
            assert_eq!(d.file.as_deref(), Some("site.yaml"), "{d}");
        }
        if let Err(d) = site::load::units::parse(text, "content/units.yaml") {
            assert_eq!(d.file.as_deref(), Some("content/units.yaml"), "{d}");
        }
    }
}

/// A policy text through `site import`: whatever the importer accepts must give files that
/// stay inside the output folder and that the build loads without error.
pub fn import(data: &[u8]) {
    let Ok(imported) = site::import::convert(data, Path::new("fuzz.txt")) else {
        return;
    };
    let files = site::import::write::render(&imported.plan)
        .unwrap_or_else(|e| panic!("the imported plan does not serialise: {e}"));
    for (rel, text) in files {
        assert!(
            !rel.is_empty()
                && Path::new(&rel)
                    .components()
                    .all(|c| matches!(c, std::path::Component::Normal(_))),
            "imported file path leaves the content folder: {rel:?}"
        );
        if rel == "units.yaml" {
            if let Err(d) = site::load::units::parse(&text, "content/units.yaml") {
                panic!("imported units.yaml does not load: {d}\n{text}");
            }
        } else {
            assert!(rel.ends_with(".md"), "{rel}");
            if let Err(d) = site::load::parse_page(&rel, text.as_bytes().to_vec()) {
                panic!("imported page does not load: {d}\n{text}");
            }
        }
    }
}

/// Markdown through the page pipeline (CJK fixes, heading ids, links, highlighting, the
/// raw-HTML sanitizer): no panic, and no script survives the sanitizer.
pub fn markdown(data: &[u8]) {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let resolve = |t: &str| {
        if t.starts_with('x') {
            Err(Diagnostic::error("no such page"))
        } else {
            Ok(format!("/{t}"))
        }
    };
    let opts = site::markdown::Options {
        resolve_link: &resolve,
        page_dir: "",
        base_path: "/kepu/",
        highlight: true,
        unsafe_html: false,
    };
    let r = site::markdown::render(src, &opts);
    assert_safe_html(&r.html);
    let _ = site::markdown::first_paragraph(src);
}

/// Panics if `html` has a tag or attribute that runs script: `<script>` and other active
/// elements, `on*` event handlers, `javascript:`/`vbscript:`/`data:` URLs. Text is escaped by
/// the pipeline, so every `<` followed by a letter starts a real tag.
pub fn assert_safe_html(html: &str) {
    let b = html.as_bytes();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        i += off + 1;
        let name_len = b[i..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric())
            .count();
        if name_len == 0 {
            continue;
        }
        let name = html[i..i + name_len].to_ascii_lowercase();
        assert!(
            !matches!(
                name.as_str(),
                "script" | "iframe" | "object" | "embed" | "style" | "frame" | "base" | "form"
            ),
            "<{name}> survived in:\n{html}"
        );
        i += name_len;
        // Attributes up to the closing `>`, honouring quotes.
        loop {
            while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                i += 1;
            }
            if i >= b.len() || b[i] == b'>' {
                break;
            }
            let start = i;
            while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>') {
                i += 1;
            }
            let attr = html[start..i].to_ascii_lowercase();
            let mut value = String::new();
            if i < b.len() && b[i] == b'=' {
                i += 1;
                let (vs, ve) = match b.get(i) {
                    Some(&q @ (b'"' | b'\'')) => {
                        let end = html[i + 1..].find(q as char).map_or(b.len(), |e| i + 1 + e);
                        (i + 1, end)
                    }
                    _ => {
                        let end = html[i..]
                            .find(|c: char| c.is_ascii_whitespace() || c == '>')
                            .map_or(b.len(), |e| i + e);
                        (i, end)
                    }
                };
                value = html[vs..ve].to_string();
                i = (ve + 1).min(b.len());
                if ve < b.len() && !matches!(b[ve], b'"' | b'\'') {
                    i = ve;
                }
            }
            assert!(
                !attr.starts_with("on"),
                "event handler {attr} survived in:\n{html}"
            );
            if matches!(
                attr.as_str(),
                "href" | "src" | "action" | "formaction" | "xlink:href"
            ) {
                let url = decode_refs(&value);
                for scheme in ["javascript:", "vbscript:", "data:text/html"] {
                    assert!(
                        !url.starts_with(scheme),
                        "{attr}={value:?} survived in:\n{html}"
                    );
                }
            }
        }
    }
}

/// An attribute value as a browser reads a URL from it: numeric character references
/// decoded, leading and trailing C0 controls and spaces trimmed, tabs and newlines removed
/// anywhere (the URL standard's rules), lower case. Other control characters inside
/// (`java\u{6}script:`) make the scheme invalid: the browser reads a relative URL.
fn decode_refs(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(i) = rest.find("&#") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let (hex, digits) = match after.strip_prefix(['x', 'X']) {
            Some(h) => (true, h),
            None => (false, after),
        };
        let n = digits
            .bytes()
            .take_while(|c| {
                if hex {
                    c.is_ascii_hexdigit()
                } else {
                    c.is_ascii_digit()
                }
            })
            .count();
        let code = u32::from_str_radix(&digits[..n], if hex { 16 } else { 10 }).ok();
        match code.and_then(char::from_u32) {
            Some(c) => {
                out.push(c);
                rest = digits[n..].strip_prefix(';').unwrap_or(&digits[n..]);
            }
            None => {
                out.push_str("&#");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out.replace("&colon;", ":")
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .to_ascii_lowercase()
}

/// Any text through the search tokenizer (the one the index and, in JavaScript, the query
/// side follow): no panic, the same tokens twice, no empty token, and every Han character a
/// token of its own, so that every one-character query can find the page it is on.
pub fn search_tokenize(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let run = || {
        let mut v = Vec::new();
        site::search::tokenize::tokens(text, true, &mut |t| v.push(t));
        v
    };
    let tokens = run();
    assert_eq!(tokens, run(), "tokens differ between two runs");
    assert!(tokens.iter().all(|t| !t.is_empty()), "an empty token");
    for c in text.chars().map(site::search::tokenize::normalize_char) {
        if site::text::is_han(c) {
            let s = c.to_string();
            assert!(tokens.contains(&s), "no token for {c:?} in {text:?}");
        }
    }
    let _ = site::search::tokenize::field_len(text);
}
