//! Reading one text file as an editor saved it: UTF-8 with or without BOM, LF or CRLF line
//! ends; splitting a content file into front matter and Markdown body.

use crate::diagnostic::Diagnostic;

/// Decodes a file's bytes: strips a UTF-8 BOM, turns CRLF (and lone CR) into LF, and rejects
/// invalid UTF-8 with the byte offset and line of the first bad byte.
pub fn decode(bytes: Vec<u8>, file: &str) -> Result<String, Diagnostic> {
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let bytes = e.as_bytes();
            let offset = e.utf8_error().valid_up_to();
            let line = bytes[..offset].iter().filter(|b| **b == b'\n').count() + 1;
            return Err(Diagnostic::error(format!(
                "file is not valid UTF-8: invalid byte 0x{:02X} at byte offset {offset}",
                bytes[offset]
            ))
            .in_file(file)
            .at_line(line)
            .with_hint(
                "save the file as UTF-8 (files saved as GBK/GB2312 are the usual cause: choose 'UTF-8' as the encoding when saving)",
            ));
        }
    };
    let text = match text.strip_prefix('\u{FEFF}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    if text.contains('\r') {
        Ok(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Ok(text)
    }
}

/// A content file split into its parts. Lines are 1-based lines of the whole file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    pub front_matter: &'a str,
    /// Line of the first front-matter line (after the opening `---`).
    pub front_matter_line: usize,
    pub body: &'a str,
    /// Line of the first body line.
    pub body_line: usize,
}

/// True for a `---` delimiter line (trailing spaces allowed).
fn is_fence(line: &str) -> bool {
    line.trim_end() == "---"
}

/// True for a line that was meant as a `---` delimiter but is not one: dashes typed with a
/// Chinese input method (`———`, `－－－`), or too few or too many hyphens, or spaces before
/// them.
fn is_near_fence(line: &str) -> bool {
    let dashes = line.trim();
    !is_fence(line)
        && dashes.chars().count() >= 2
        && dashes
            .chars()
            .all(|c| matches!(c, '-' | '—' | '–' | '－' | '―' | '─' | '﹣' | ' '))
}

/// The hint for a [near fence](is_near_fence).
const NEAR_FENCE_HINT: &str = "front matter opens and closes with a line of exactly three half-width hyphens `---`, at the start of the line; retype it (with the input method in English mode)";

/// Splits decoded text into front matter and body.
pub fn split<'a>(text: &'a str, file: &str) -> Result<Split<'a>, Diagnostic> {
    if text.trim().is_empty() {
        return Err(Diagnostic::error("file is empty")
            .in_file(file)
            .at_line(1)
            .with_hint("a page needs front matter with at least a title: a line `---`, a line `title: 页面标题`, a line `---`, then the text; or delete the file"));
    }
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or_default();
    if is_near_fence(first) {
        return Err(Diagnostic::error(format!(
            "the first line `{}` is not the `---` that opens front matter",
            first.trim_end()
        ))
        .in_file(file)
        .at(1, 1)
        .with_hint(NEAR_FENCE_HINT));
    }
    if !is_fence(first) {
        return Err(
            Diagnostic::error("no front matter: the file must start with a line `---`")
                .in_file(file)
                .at(1, 1)
                .with_hint("start the file with `---`, a line `title: 页面标题` and another `---`"),
        );
    }
    let fm_start = first.len();
    let mut offset = fm_start;
    let mut near_fence = None;
    for (i, line) in lines.enumerate() {
        if near_fence.is_none() && is_near_fence(line) {
            near_fence = Some((i + 2, line.trim_end()));
        }
        if is_fence(line) {
            let close_line = i + 2;
            return Ok(Split {
                front_matter: &text[fm_start..offset],
                front_matter_line: 2,
                body: &text[offset + line.len()..],
                body_line: close_line + 1,
            });
        }
        offset += line.len();
    }
    Err(match near_fence {
        Some((line, text)) => Diagnostic::error(format!(
            "front matter opened on line 1 is never closed: line {line} `{text}` is not `---`"
        ))
        .in_file(file)
        .at(line, 1)
        .with_hint(NEAR_FENCE_HINT),
        None => Diagnostic::error("front matter opened on line 1 is never closed")
            .in_file(file)
            .at(1, 1)
            .with_hint("add a line with only `---` after the last front-matter key"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_crlf() {
        let t = decode(
            b"\xEF\xBB\xBF---\r\ntitle: a\r\n---\r\nbody\r\n".to_vec(),
            "f",
        )
        .unwrap();
        assert_eq!(t, "---\ntitle: a\n---\nbody\n");
        let s = split(&t, "f").unwrap();
        assert_eq!(s.front_matter, "title: a\n");
        assert_eq!(s.body, "body\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn invalid_utf8_offset_and_line() {
        let mut b = b"---\ntitle: a\n---\n".to_vec();
        b.extend_from_slice(&[0xD6, 0xD0, 0xCE, 0xC4]); // 中文 in GBK
        let d = decode(b, "content/x.md").unwrap_err();
        assert!(d.message.contains("byte offset 17"), "{}", d.message);
        assert_eq!(d.line, Some(4));
    }

    #[test]
    fn empty_unclosed_missing() {
        assert_eq!(split(" \n\n", "f").unwrap_err().message, "file is empty");
        let d = split("---\ntitle: a\nbody\n", "f").unwrap_err();
        assert!(d.message.contains("never closed"));
        let d = split("title: a\n", "f").unwrap_err();
        assert!(d.message.contains("no front matter"));
    }

    #[test]
    fn dashes_typed_with_an_input_method_are_named() {
        for first in ["———", "－－－", "--", "----", " ---", "— — —"] {
            let d = split(&format!("{first}\ntitle: a\n---\nbody\n"), "f").unwrap_err();
            assert_eq!(
                d.message,
                format!("the first line `{first}` is not the `---` that opens front matter")
            );
            assert_eq!(d.hint.as_deref(), Some(NEAR_FENCE_HINT));
        }
        let d = split("---\ntitle: a\n———\nbody\n", "f").unwrap_err();
        assert_eq!(
            d.message,
            "front matter opened on line 1 is never closed: line 3 `———` is not `---`"
        );
        assert_eq!(d.line, Some(3));
        // A body's thematic break after a proper closing line is no concern.
        assert!(split("---\ntitle: a\n---\n———\n", "f").is_ok());
        // Text that merely starts with a dash is not a fence.
        let d = split("— 说明\n", "f").unwrap_err();
        assert!(d.message.starts_with("no front matter"), "{}", d.message);
    }

    #[test]
    fn body_may_contain_rules() {
        let s = split("---\ntitle: a\n---\ntext\n\n---\n\nmore", "f").unwrap();
        assert_eq!(s.body, "text\n\n---\n\nmore");
        let s = split("---\ntitle: a\n---", "f").unwrap();
        assert_eq!(s.body, "");
    }
}
