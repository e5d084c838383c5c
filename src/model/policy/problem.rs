//! Problems found while building the policy graph: what `site check` and `site build`
//! report for units, targets and progress. Shaped like the core `Diagnostic` (file, line,
//! column, message, hint, severity) so that mapping one onto the other is field by field.

use std::fmt;

use crate::load::locate::Position;

/// One problem, located in a file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// Path relative to the site root, `/`-separated (`content/actions/a.md`).
    pub file: String,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
    /// Warnings are printed; they don't fail `check` or `build`.
    pub is_warning: bool,
}

impl Problem {
    pub(crate) fn error(file: &str, at: Position, message: String, hint: Option<String>) -> Self {
        Problem {
            file: file.to_string(),
            line: at.line,
            column: at.column,
            message,
            hint,
            is_warning: false,
        }
    }

    pub(crate) fn warning(file: &str, at: Position, message: String, hint: Option<String>) -> Self {
        Problem {
            is_warning: true,
            ..Problem::error(file, at, message, hint)
        }
    }

    /// `file:line:column`.
    pub fn location(&self) -> String {
        format!("{}:{}:{}", self.file, self.line, self.column)
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = if self.is_warning { "warning" } else { "error" };
        write!(f, "{label}: {}: {}", self.location(), self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// True when any problem is an error.
pub fn has_errors(problems: &[Problem]) -> bool {
    problems.iter().any(|p| !p.is_warning)
}
