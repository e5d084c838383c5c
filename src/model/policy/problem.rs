//! Problems found while building the policy graph (what `site check` and `site build` report
//! for units, targets and progress) are core [`Diagnostic`]s; these helpers place one at a
//! [`Position`] found by [`crate::load::locate`].

use crate::diagnostic::Diagnostic;
use crate::load::locate::Position;

/// An error in `file` at `at`.
pub(crate) fn error(file: &str, at: Position, message: String, hint: Option<String>) -> Diagnostic {
    Diagnostic::error(message)
        .in_file(file)
        .at(at.line, at.column)
        .with_hint_opt(hint)
}

/// A warning in `file` at `at`: printed, never fails `check` or `build`.
pub(crate) fn warning(
    file: &str,
    at: Position,
    message: String,
    hint: Option<String>,
) -> Diagnostic {
    Diagnostic::warning(message)
        .in_file(file)
        .at(at.line, at.column)
        .with_hint_opt(hint)
}
