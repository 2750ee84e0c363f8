//! `--format json`: one document, the same bytes for the same input on any machine.

use std::io::{self, Write};

use serde::Serialize;

use super::pretty::Pretty;
use super::Report;
use crate::check::{FileReport, Outcome};
use crate::diagnostic::{Diagnostic, Location, Severity};

/// Writes the document's head, then each file's findings into `diagnostics` as the file's turn
/// comes, then the members that need every file: `files`, `skipped`, `pairs`, `summary`.
#[derive(Default)]
pub struct Json {
    document: Option<Pretty>,
}

/// Bumped whenever a field changes meaning or disappears; new fields may appear without.
const FORMAT_VERSION: u32 = 1;

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Default, Serialize)]
struct File<'a> {
    path: &'a str,
    /// `None` for a path that could not be read and whose extension does not say.
    kind: Option<crate::check::FileKind>,
    members: Option<usize>,
    calls: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rows: Option<usize>,
    first_call: Option<&'a str>,
    last_call: Option<&'a str>,
    /// Why the path could not be checked at all; absent for a file that was.
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
}

#[derive(Serialize)]
struct Finding<'a> {
    rule: &'static str,
    severity: Severity,
    message: &'a str,
    #[serde(flatten)]
    location: Place<'a>,
    schema_path: Option<&'a str>,
    related: Vec<Related<'a>>,
    help: Option<&'a str>,
}

#[derive(Serialize)]
struct Place<'a> {
    file: &'a str,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    pointer: Option<&'a str>,
    /// For the CSV user report: the spreadsheet row (the header is 1) and column name.
    #[serde(skip_serializing_if = "Option::is_none")]
    row: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
}

#[derive(Serialize)]
struct Related<'a> {
    message: &'a str,
    #[serde(flatten)]
    location: Place<'a>,
}

#[derive(Serialize)]
struct Summary {
    /// Files checked.
    files: usize,
    /// Paths that could not be checked: any makes the exit code 2.
    unreadable: usize,
    /// Paths the walks left out.
    skipped: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
}

fn place(location: &Location) -> Place<'_> {
    Place {
        file: &location.file,
        line: location.start.map(|p| p.line),
        column: location.start.map(|p| p.column),
        end_line: location.end.map(|p| p.line),
        end_column: location.end.map(|p| p.column),
        pointer: location.pointer(),
        row: location.anchor.row(),
        field: location.anchor.field(),
    }
}

fn finding(diagnostic: &Diagnostic) -> Finding<'_> {
    Finding {
        rule: diagnostic.rule.id(),
        severity: diagnostic.severity,
        message: &diagnostic.message,
        location: place(&diagnostic.primary),
        schema_path: diagnostic.schema_path.as_deref(),
        related: diagnostic
            .related
            .iter()
            .map(|r| Related {
                message: &r.message,
                location: place(&r.location),
            })
            .collect(),
        help: diagnostic.help.as_deref(),
    }
}

/// The files checked and the paths that could not be, in one list in path order.
fn files(outcome: &Outcome) -> Vec<File<'_>> {
    let checked = outcome.files.iter().map(|f| File {
        path: &f.path,
        kind: Some(f.kind),
        members: f.stats.as_ref().map(|s| s.members),
        calls: f.stats.as_ref().map(|s| s.calls),
        first_call: f.stats.as_ref().and_then(|s| s.first_call.as_deref()),
        last_call: f.stats.as_ref().and_then(|s| s.last_call.as_deref()),
        rows: f.rows,
        error: None,
    });
    let unreadable = outcome.unreadable.iter().map(|e| File {
        path: &e.path,
        kind: crate::read::FileKind::from_extension(&e.path),
        error: Some(&e.reason),
        ..File::default()
    });
    let mut files: Vec<File<'_>> = checked.chain(unreadable).collect();
    files.sort_by(|a, b| a.path.cmp(b.path));
    files
}

impl Report for Json {
    fn start(&mut self, start: &super::Start<'_>, out: &mut dyn Write) -> io::Result<()> {
        let mut document = Pretty::new();
        document.open_object(out)?;
        document.member(out, "version", &FORMAT_VERSION)?;
        let tool = Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        };
        document.member(out, "tool", &tool)?;
        // The configuration file used, if any.
        document.member(out, "configuration", &start.configuration)?;
        // Present (and true) only when names and emails are shown as hashes (`--redact`).
        if start.redacted {
            document.member(out, "redacted", &true)?;
        }
        document.key(out, "diagnostics")?;
        document.open_array(out)?;
        self.document = Some(document);
        Ok(())
    }

    fn file(
        &mut self,
        file: &FileReport,
        _: Option<&crate::check::CrossChecked>,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let document = self.document.get_or_insert_with(Pretty::new);
        for diagnostic in &file.diagnostics {
            document.item(out, &finding(diagnostic))?;
        }
        Ok(())
    }

    fn finish(&mut self, outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
        let mut document = self.document.take().unwrap_or_else(Pretty::new);
        document.close(out, b']')?;
        document.member(out, "files", &files(outcome))?;
        document.member(out, "skipped", &outcome.skipped)?;
        document.member(out, "pairs", &outcome.pairs)?;
        let summary = Summary {
            files: outcome.files.len(),
            unreadable: outcome.unreadable.len(),
            skipped: outcome.skipped.len(),
            errors: outcome.count(Severity::Error),
            warnings: outcome.count(Severity::Warning),
            infos: outcome.count(Severity::Info),
        };
        document.member(out, "summary", &summary)?;
        document.close(out, b'}')?;
        out.write_all(b"\n")
    }
}
