//! Diagnostics: every problem the tool reports to an editor, with where it is (file, line,
//! column), what is wrong and how to fix it. One type for every stage, so that `build`,
//! `check`, `watch` and `serve` print problems the same way.

use std::fmt;

/// How bad a problem is. Errors fail the build; warnings are printed and the build goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, located as precisely as known.
///
/// `file` is shown as given: callers pass paths relative to the site root with `/`
/// separators (`content/actions/a.md`), which is what an editor sees in their file tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: Option<String>,
    /// 1-based.
    pub line: Option<usize>,
    /// 1-based, counted in characters.
    pub column: Option<usize>,
    pub message: String,
    /// How to fix it, in one line.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error not (yet) tied to a file.
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: None,
            line: None,
            column: None,
            message: message.into(),
            hint: None,
        }
    }

    /// A warning not (yet) tied to a file.
    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    /// Sets the file.
    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// Sets the line (1-based).
    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    /// Sets line and column (both 1-based).
    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// Sets the hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Sets the hint only if there is one.
    pub fn with_hint_opt(mut self, hint: Option<String>) -> Self {
        if hint.is_some() {
            self.hint = hint;
        }
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The `file:line:column` part, as far as known.
    pub fn location(&self) -> Option<String> {
        let file = self.file.as_deref()?;
        Some(match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{file}:{l}:{c}"),
            (Some(l), None) => format!("{file}:{l}"),
            _ => file.to_string(),
        })
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match self.location() {
            Some(loc) => write!(f, "{label}: {loc}: {}", self.message)?,
            None => write!(f, "{label}: {}", self.message)?,
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// True when any diagnostic is an error.
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(Diagnostic::is_error)
}

/// Sorts diagnostics for stable output: by file, line, column, then message.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.line, a.column, &a.message).cmp(&(&b.file, b.line, b.column, &b.message))
    });
}

/// The candidate closest to `word`, if one is close enough to be a plausible misspelling.
///
/// Uses the Damerau-Levenshtein distance (a swap of two letters counts once) and accepts a
/// candidate within a third of the longer name's length (at least 1, at most 3 edits), so
/// `titel` → `title`, `lead_unit` → `lead_units`, `市教育局` → `市教育体育局` but not
/// `foo` → `kind`. A known name that starts the word (or that the word starts) also counts:
/// `shortname` → `short`.
pub fn did_you_mean<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let len = word.chars().count();
    candidates
        .into_iter()
        .filter(|c| *c != word)
        .map(|c| (strsim::damerau_levenshtein(word, c), c))
        .filter(|(d, c)| {
            *d <= (len.max(c.chars().count()) / 3).clamp(1, 3)
                || (len.min(c.chars().count()) >= 3 && (word.starts_with(c) || c.starts_with(word)))
        })
        .min_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)))
        .map(|(_, c)| c)
}

/// A hint of the form `did you mean 'x'?` or, with no close candidate, the list of
/// accepted names.
pub fn suggest(word: &str, candidates: &[&str], what: &str) -> String {
    match did_you_mean(word, candidates.iter().copied()) {
        Some(c) => format!("did you mean '{c}'?"),
        None => format!("{what} are: {}", candidates.join(", ")),
    }
}

/// `key: [a, b]`: the list that `text` was meant to be, when a list was typed as one piece
/// of text (`市教育局、市科协`, `【青少年，老年人】`, `青少年`), for a hint that writes it
/// out. `None` when `text` holds no item.
pub fn list_line(key: &str, text: &str) -> Option<String> {
    let items = list_items(text);
    (!items.is_empty()).then(|| format!("{key}: [{}]", items.join(", ")))
}

/// The items of a list typed as one piece of text: split at Chinese or Western commas,
/// enumeration commas and semicolons, without the brackets around them.
pub fn list_items(text: &str) -> Vec<&str> {
    let brackets = ['[', ']', '【', '】', '［', '］', '(', ')', '（', '）'];
    text.trim()
        .trim_matches(|c| brackets.contains(&c))
        .split(['，', '、', '；', ';', ','])
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_typed_as_text() {
        assert_eq!(
            list_line("lead_units", "市教育局、市科协").as_deref(),
            Some("lead_units: [市教育局, 市科协]")
        );
        assert_eq!(
            list_line("audience", "【青少年，老年人】").as_deref(),
            Some("audience: [青少年, 老年人]")
        );
        assert_eq!(
            list_line("audience", "青少年").as_deref(),
            Some("audience: [青少年]")
        );
        assert_eq!(list_line("audience", " 【】 "), None);
    }

    #[test]
    fn display_with_location_and_hint() {
        let d = Diagnostic::error("unknown key 'titel' in front matter")
            .in_file("content/a.md")
            .at(3, 1)
            .with_hint("did you mean 'title'?");
        assert_eq!(
            d.to_string(),
            "error: content/a.md:3:1: unknown key 'titel' in front matter\n  hint: did you mean 'title'?"
        );
        let w = Diagnostic::warning("no pages").in_file("content");
        assert_eq!(w.to_string(), "warning: content: no pages");
        assert_eq!(Diagnostic::error("x").to_string(), "error: x");
    }

    #[test]
    fn suggestions() {
        let keys = crate::load::front_matter::KNOWN_KEYS;
        assert_eq!(did_you_mean("titel", keys.iter().copied()), Some("title"));
        assert_eq!(
            did_you_mean("lead_unit", keys.iter().copied()),
            Some("lead_units")
        );
        assert_eq!(did_you_mean("ordr", keys.iter().copied()), Some("order"));
        assert_eq!(
            did_you_mean("audiance", keys.iter().copied()),
            Some("audience")
        );
        assert_eq!(did_you_mean("zzzzzz", keys.iter().copied()), None);
        assert_eq!(
            did_you_mean("shortname", ["name", "short", "slug"]),
            Some("short")
        );
        assert_eq!(
            did_you_mean("市教育局", ["市教育体育局", "市科学技术局"]),
            Some("市教育体育局")
        );
        assert!(suggest("qq", &["title", "kind"], "known keys").starts_with("known keys are"));
    }

    #[test]
    fn sorting_is_stable() {
        let mut v = vec![
            Diagnostic::error("b").in_file("content/b.md").at_line(1),
            Diagnostic::error("a").in_file("content/a.md").at_line(9),
            Diagnostic::error("c").in_file("content/a.md").at_line(2),
        ];
        sort(&mut v);
        let msgs: Vec<_> = v.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(msgs, ["c", "a", "b"]);
    }
}
