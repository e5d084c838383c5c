//! YAML parsing with editor-friendly errors: serde_yaml's messages are mapped to the line in
//! the whole file (not the front-matter block), stripped of their own `at line N column M`
//! suffix, and rephrased with a did-you-mean hint for misspelt keys and values. Positions of
//! keys in text that parsed (for problems found later) are [`super::locate`]'s job.

use serde::de::DeserializeOwned;

use crate::diagnostic::{self, Diagnostic};

/// Parses `yaml`, which starts on line `first_line` of `file`. `what` names the block in
/// messages (`front matter`, `site.yaml`).
pub fn parse<T: DeserializeOwned>(
    yaml: &str,
    file: &str,
    first_line: usize,
    what: &str,
) -> Result<T, Diagnostic> {
    serde_yaml::from_str(yaml).map_err(|e| to_diagnostic(&e, yaml, file, first_line, what))
}

/// Converts a serde_yaml error into a diagnostic located in `file`.
pub fn to_diagnostic(
    err: &serde_yaml::Error,
    yaml: &str,
    file: &str,
    first_line: usize,
    what: &str,
) -> Diagnostic {
    let raw = strip_marks(&err.to_string());
    if let Some(slip) = typing_slip(&raw, yaml, err.location().map(|l| l.line())) {
        return Diagnostic::error(slip.message)
            .in_file(file)
            .at(first_line + slip.line - 1, slip.column)
            .with_hint(slip.hint);
    }
    let (message, hint) = rephrase(&raw, what);
    let mut d = Diagnostic::error(message).in_file(file).with_hint_opt(hint);
    match err.location() {
        Some(loc) => {
            // serde_yaml reports the mapping that lacks a key at its first key; a missing key
            // is best reported at the start of the block.
            let (line, col) = (loc.line(), loc.column());
            d = d.at(first_line + line - 1, col);
        }
        None => {
            // End of input: point at the last line of the block.
            let lines = yaml.lines().count().max(1);
            d = d.at_line(first_line + lines - 1);
        }
    }
    d
}

/// A typing slip that YAML reports in its own terms ("found character that cannot start any
/// token", "expected a block of keys, found string"), said in an editor's words.
struct Slip {
    /// Line in the YAML block, 1-based.
    line: usize,
    /// Column of the slip, 1-based (in characters).
    column: usize,
    message: String,
    hint: String,
}

/// The slip behind a YAML syntax or type error, if one is on the line the error names or the
/// line before it (YAML often notices a slip a line late). Errors about keys (unknown,
/// missing, repeated) are left to [`rephrase`].
fn typing_slip(raw: &str, yaml: &str, line: Option<usize>) -> Option<Slip> {
    let about_keys = [
        "unknown field",
        "unknown variant",
        "missing field",
        "duplicate field",
    ];
    if about_keys.iter().any(|k| raw.contains(k)) {
        return None;
    }
    let lines: Vec<&str> = yaml.lines().collect();
    let at = line.unwrap_or(lines.len()).clamp(1, lines.len().max(1));
    [at, at.saturating_sub(1)]
        .into_iter()
        .filter(|&n| n >= 1)
        .find_map(|n| slip_on_line(lines.get(n - 1)?, n))
}

/// A Tab in the indentation, a full-width colon after a key, or a key's colon without the
/// space after it, on `text` (line `line` of the block).
fn slip_on_line(text: &str, line: usize) -> Option<Slip> {
    let indent = text.len() - text.trim_start().len();
    if let Some(tab) = text[..indent].find('\t') {
        return Some(Slip {
            line,
            column: tab + 1,
            message: "this line is indented with a Tab".to_string(),
            hint: "YAML indents with spaces only: replace the Tab with spaces (two per level)"
                .to_string(),
        });
    }
    // The key: after the indentation and a list's `- `, letters, digits and `_`.
    let start = indent + text[indent..].strip_prefix("- ").map_or(0, |_| 2);
    let rest = &text[start..];
    let key_len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    let (key, after) = rest.split_at(key_len);
    if key.is_empty() || !key.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let column = text[..start + key_len].chars().count() + 1;
    let (value, message, how) = if let Some(value) = after.strip_prefix('：') {
        (
            value,
            format!("'{key}' is followed by a full-width colon '：'"),
            "type a half-width colon and a space after the key",
        )
    } else if let Some(value) = after.strip_prefix(':')
        && value.starts_with(|c: char| !c.is_whitespace())
    {
        (
            value,
            format!("no space after the colon of '{key}'"),
            "put a space between the colon and the value",
        )
    } else {
        return None;
    };
    Some(Slip {
        line,
        column,
        message,
        hint: format!("{how}: `{}{key}: {}`", &text[..start], value.trim_start()),
    })
}

/// Removes serde_yaml's own `at line N column M` / `at position N` locations.
fn strip_marks(msg: &str) -> String {
    let mut out = String::with_capacity(msg.len());
    let mut rest = msg;
    while let Some(i) = rest.find(" at ") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 4..];
        let skip = mark_len(after);
        if skip == 0 {
            out.push_str(" at ");
            rest = after;
        } else {
            rest = &after[skip..];
        }
    }
    out.push_str(rest);
    out
}

/// Length of a `line N column M` or `position N` prefix of `s`, or 0.
fn mark_len(s: &str) -> usize {
    fn digits(s: &str) -> usize {
        s.bytes().take_while(u8::is_ascii_digit).count()
    }
    if let Some(r) = s.strip_prefix("line ") {
        let d = digits(r);
        if d > 0
            && let Some(r2) = r[d..].strip_prefix(" column ")
        {
            let d2 = digits(r2);
            if d2 > 0 {
                return 5 + d + 8 + d2;
            }
        }
    } else if let Some(r) = s.strip_prefix("position ") {
        let d = digits(r);
        if d > 0 {
            return 9 + d;
        }
    }
    0
}

/// Backquoted names in a serde message: "expected one of `a`, `b`" → ["a", "b"].
fn quoted(s: &str) -> Vec<&str> {
    s.split('`').skip(1).step_by(2).collect()
}

/// Keys whose value is a list of names (front matter, units.yaml): typed as one piece of
/// text, the hint writes the list out.
const NAME_LISTS: &[&str] = &["lead_units", "units", "audience", "aliases"];

/// Rewrites serde's messages in an editor's words. Returns the message and a hint.
fn rephrase(raw: &str, what: &str) -> (String, Option<String>) {
    // serde_yaml prefixes nested errors with the path: "targets[0]: unknown field ...".
    let (path, msg) = match raw.find(": ") {
        Some(i) if !raw[..i].contains(' ') => (Some(&raw[..i]), &raw[i + 2..]),
        _ => (None, raw),
    };
    let place = match path {
        Some(p) => format!("'{p}' in {what}"),
        None => what.to_string(),
    };
    if let Some(rest) = msg.strip_prefix("unknown field ") {
        let names = quoted(rest);
        if let Some((key, known)) = names.split_first() {
            let hint = if known.is_empty() {
                "this block takes no keys".to_string()
            } else {
                diagnostic::suggest(key, known, "the known keys")
            };
            return (format!("unknown key '{key}' in {place}"), Some(hint));
        }
    }
    if let Some(rest) = msg.strip_prefix("unknown variant ") {
        let names = quoted(rest);
        if let Some((value, known)) = names.split_first() {
            let hint = diagnostic::suggest(value, known, "the accepted values");
            return (format!("unknown value '{value}' for {place}"), Some(hint));
        }
    }
    if let Some(rest) = msg.strip_prefix("missing field ")
        && let Some(key) = quoted(rest).first()
    {
        {
            let hint = if *key == "title" {
                "add a line such as `title: 提升基础教育阶段科学教育水平`".to_string()
            } else {
                format!("add the key `{key}:` with a value")
            };
            return (format!("missing key '{key}' in {place}"), Some(hint));
        }
    }
    if let Some(rest) = msg.strip_prefix("invalid type: ") {
        // "string \"abc\", expected f64"
        if let Some((found, expected)) = rest.split_once(", expected ") {
            let key = path.map(|p| p.rsplit('.').next().unwrap_or(p));
            // A list typed as text: the hint writes it out.
            let as_list = found
                .strip_prefix("string \"")
                .and_then(|s| s.strip_suffix('"'))
                .filter(|_| expected == "a sequence")
                .zip(key)
                .and_then(|(text, key)| {
                    NAME_LISTS
                        .contains(&key)
                        .then(|| diagnostic::list_line(key, text))?
                });
            let hint = match as_list {
                Some(line) => {
                    format!(
                        "write a list in square brackets, the items separated by half-width commas: `{line}`"
                    )
                }
                None => type_hint(expected, key.unwrap_or_default()),
            };
            return (
                format!(
                    "wrong type for {place}: expected {}, found {found}",
                    plain_type(expected)
                ),
                Some(hint),
            );
        }
    }
    if msg.starts_with("EOF while parsing") {
        return (
            format!("{what} is empty"),
            Some("write at least a title, e.g. `title: 页面标题`".to_string()),
        );
    }
    if msg.contains("did not find expected") || msg.contains("mapping values are not allowed") {
        return (
            format!("invalid YAML in {what}: {msg}"),
            Some(
                "check the indentation and that each line reads `key: value`; quote values that contain ': ' or start with a special character"
                    .to_string(),
            ),
        );
    }
    if let Some(rest) = msg.strip_prefix("duplicate field ")
        && let Some(key) = quoted(rest).first()
    {
        return (
            format!("key '{key}' appears twice in {place}"),
            Some(format!("keep one `{key}:` line and delete the other")),
        );
    }
    let hint = if msg.contains("tab character") {
        "indent with spaces, not tabs".to_string()
    } else if msg.contains("duplicate entry") {
        "keep one of the two entries and delete the other".to_string()
    } else if msg.contains("recursion limit") || msg.contains("repetition limit") {
        "write the values out instead of nesting them this deep or repeating them with YAML aliases (*name)".to_string()
    } else {
        "check the YAML near this line: each line reads `key: value`, lists are `[a, b]` or lines starting with `- `, and values with ': ' or '#' are quoted".to_string()
    };
    let msg = match path {
        Some(p) => format!("{p}: {msg}"),
        None => msg.to_string(),
    };
    (format!("invalid {what}: {msg}"), Some(hint))
}

/// serde's type names in plain words.
fn plain_type(expected: &str) -> String {
    match expected {
        "f64" | "f32" => "a number".to_string(),
        "i64" | "i32" | "u64" | "u32" | "usize" | "i8" | "u8" | "i16" | "u16" => {
            "a whole number".to_string()
        }
        "a string" | "a borrowed string" => "text".to_string(),
        "a sequence" => "a list".to_string(),
        "a boolean" => "true or false".to_string(),
        e if e.starts_with("struct ") => "a block of keys".to_string(),
        e => e.to_string(),
    }
}

/// How to write a value of the `expected` type for `key` (the last part of its path).
fn type_hint(expected: &str, key: &str) -> String {
    match plain_type(expected).as_str() {
        "a list" if key.starts_with("targets") => {
            "write each target as a block under `targets:`, starting with `  - id: …`, then `    label: …` and `    value: …` on the next lines".to_string()
        }
        "a list" if key == "progress" => {
            "write each report as a block, e.g. `progress: [{value: 18, as_of: 2023-12-31, source: 市教育体育局年报}]`".to_string()
        }
        "a number" | "a whole number" => {
            "write the number without units or quotes, e.g. `value: 25`".to_string()
        }
        "a list" => "write a list, e.g. `[市教育体育局, 市科学技术局]`".to_string(),
        "text" => "put the value in quotes, e.g. `title: \"2025\"`".to_string(),
        "true or false" => "write `true` or `false`".to_string(),
        "a block of keys" => "write the keys indented under it, one per line".to_string(),
        other => format!("write {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::front_matter::FrontMatter;

    fn err(yaml: &str) -> Diagnostic {
        parse::<FrontMatter>(yaml, "content/a.md", 2, "front matter").unwrap_err()
    }

    #[test]
    fn unknown_key_with_suggestion() {
        let d = err("title: 标题\ntitel: x\n");
        assert_eq!(d.message, "unknown key 'titel' in front matter");
        assert_eq!(d.hint.as_deref(), Some("did you mean 'title'?"));
        assert_eq!(d.line, Some(3));
    }

    #[test]
    fn nested_unknown_key() {
        let d = err("title: t\ntargets:\n  - id: a\n    lable: x\n    value: 1\n");
        assert_eq!(
            d.message,
            "unknown key 'lable' in 'targets[0]' in front matter"
        );
        assert_eq!(d.hint.as_deref(), Some("did you mean 'label'?"));
        assert_eq!(d.line, Some(5));
    }

    #[test]
    fn wrong_type() {
        let d = err("title: t\norder: first\n");
        assert!(
            d.message.contains("expected a whole number"),
            "{}",
            d.message
        );
        assert_eq!(d.line, Some(3));
        let d = err("title: t\ntargets:\n  - id: a\n    label: b\n    value: 二十五\n");
        assert!(d.message.contains("'targets[0].value'"), "{}", d.message);
        assert!(d.message.contains("expected a number"), "{}", d.message);
        assert_eq!(d.line, Some(6));
    }

    #[test]
    fn a_list_typed_as_text_is_written_out_in_the_hint() {
        let d = err("title: t\nlead_units: 市教育局、市科协\n");
        assert_eq!(
            d.hint.as_deref(),
            Some(
                "write a list in square brackets, the items separated by half-width commas: `lead_units: [市教育局, 市科协]`"
            )
        );
        let d = err("title: t\naudience: 青少年\n");
        assert!(
            d.hint
                .as_deref()
                .is_some_and(|h| h.ends_with("`audience: [青少年]`"))
        );
    }

    #[test]
    fn bad_variant() {
        let d = err("title: t\nkind: tsak\n");
        assert_eq!(d.message, "unknown value 'tsak' for 'kind' in front matter");
        assert_eq!(d.hint.as_deref(), Some("did you mean 'task'?"));
    }

    #[test]
    fn syntax_error_has_no_duplicate_location() {
        let d = err("title: [unclosed\nkind: task\n");
        assert!(!d.message.contains(" at line "), "{}", d.message);
        assert!(d.line.is_some());
    }

    #[test]
    fn typing_slips_are_named_on_their_line() {
        // Alone on its line, a key with a full-width colon or no space is one string.
        let d = err("title：中文冒号\n");
        assert_eq!(d.message, "'title' is followed by a full-width colon '：'");
        assert_eq!(
            d.hint.as_deref(),
            Some("type a half-width colon and a space after the key: `title: 中文冒号`")
        );
        assert_eq!((d.line, d.column), (Some(2), Some(6)));
        let d = err("title:abc\n");
        assert_eq!(d.message, "no space after the colon of 'title'");
        assert_eq!(
            d.hint.as_deref(),
            Some("put a space between the colon and the value: `title: abc`")
        );
        // After other keys, YAML stumbles on the line or the next one.
        let d = err("title: t\nkind：task\norder: 2\n");
        assert_eq!(d.message, "'kind' is followed by a full-width colon '：'");
        assert_eq!(d.line, Some(3));
        let d = err("title: t\ntargets:\n  - id: a\n    label：b\n    value: 1\n");
        assert_eq!(d.message, "'label' is followed by a full-width colon '：'");
        assert_eq!(d.line, Some(5));
        let d = err("title: t\ntargets:\n\t- id: x\n");
        assert_eq!(d.message, "this line is indented with a Tab");
        assert_eq!((d.line, d.column), (Some(4), Some(1)));
        // A value's own colons and a key misspelt are not slips.
        let d = err("title: t\ntitel: x\n");
        assert_eq!(d.message, "unknown key 'titel' in front matter");
        let ok: FrontMatter = serde_yaml::from_str("title: \"时间:2023\"\n").unwrap();
        assert_eq!(ok.title, "时间:2023");
    }

    #[test]
    fn missing_title() {
        let d = err("kind: task\n");
        assert_eq!(d.message, "missing key 'title' in front matter");
    }

    #[test]
    fn strips_marks() {
        assert_eq!(
            strip_marks(
                "did not find expected key at line 3 column 1, while parsing a block mapping at line 1 column 1"
            ),
            "did not find expected key, while parsing a block mapping"
        );
        assert_eq!(strip_marks("look at this"), "look at this");
    }
}
