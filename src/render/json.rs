//! `--format json`: one document, the same bytes for the same input on any machine.

use std::io::Write;

use serde::Serialize;

use super::Report;
use crate::check::Outcome;
use crate::diagnostic::{Diagnostic, Location, Severity};

pub struct Json;

/// Bumped whenever a field changes meaning or disappears; new fields may appear without.
const FORMAT_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    tool: Tool,
    /// The configuration file used, if any.
    configuration: Option<&'a str>,
    /// Present (and true) when names and emails are shown as hashes (`--redact`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    redacted: bool,
    files: Vec<File<'a>>,
    skipped: &'a [crate::Skipped],
    pairs: &'a [crate::CrossChecked],
    diagnostics: Findings<'a>,
    summary: Summary,
}

/// The findings, each turned into its JSON form only as it is written.
struct Findings<'a>(Vec<&'a Diagnostic>);

impl Serialize for Findings<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|d| finding(d)))
    }
}

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
    fn render(&self, outcome: &Outcome) -> String {
        let mut bytes = Vec::new();
        // Writing to memory fails only on a bug in serialization, which has none to fail on.
        let _ = self.write(outcome, &mut bytes);
        String::from_utf8(bytes).unwrap_or_default()
    }

    fn write(&self, outcome: &Outcome, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let mut diagnostics: Vec<&Diagnostic> = outcome.diagnostics().collect();
        diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        let document = Document {
            version: FORMAT_VERSION,
            tool: Tool {
                name: env!("CARGO_PKG_NAME"),
                version: env!("CARGO_PKG_VERSION"),
            },
            configuration: outcome.configuration.as_deref(),
            redacted: outcome.redacted,
            files: files(outcome),
            skipped: &outcome.skipped,
            pairs: &outcome.pairs,
            diagnostics: Findings(diagnostics),
            summary: Summary {
                files: outcome.files.len(),
                unreadable: outcome.unreadable.len(),
                skipped: outcome.skipped.len(),
                errors: outcome.count(Severity::Error),
                warnings: outcome.count(Severity::Warning),
                infos: outcome.count(Severity::Info),
            },
        };
        let mut out = std::io::BufWriter::new(out);
        serde_json::to_writer_pretty(&mut out, &document)?;
        out.write_all(b"\n")?;
        out.flush()
    }
}
