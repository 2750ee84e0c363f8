//! The findings about how files were paired, worded in one place.

use crate::diagnostic::{Anchor, Diagnostic};
use crate::read::FileKind;
use crate::registry::Rule;
use crate::text::escape;

/// A report that no partner was found for.
pub fn checked_alone(file: &str, kind: FileKind) -> Diagnostic {
    let other = match kind {
        FileKind::UsageReport => "user report (CSV)",
        FileKind::UserReport => "usage report (JSON)",
    };
    Diagnostic::new(
        Rule::UnpairedReport,
        file,
        Anchor::File,
        format!(
            "{} was checked alone: no {other} was found to cross-check it with",
            escape(file)
        ),
    )
    .with_help(
        "give both downloads of a team, in a folder of their own or with --pair usage.json=users.csv; --deny unpaired-report makes a lone report fail the check",
    )
}

/// A report whose partner could not be read, or not parsed; `why` says which and is
/// already escaped.
pub fn not_compared(file: &str, why: &str) -> Diagnostic {
    Diagnostic::new(
        Rule::UnpairedReport,
        file,
        Anchor::File,
        format!("{} was not cross-checked: {why}", escape(file)),
    )
    .with_help(
        "the cross-check needs both files; fix or download again the one that could not be read",
    )
}
