//! `--format github`: GitHub Actions workflow commands, one annotation per finding.
//!
//! `::error file=F,line=L,col=C,endLine=L,endColumn=C,title=RULE::message`. A report's text
//! is data: in the message `%`, CR and LF are escaped, and in the properties `:` and `,` too,
//! so nothing a report holds can end a property, start a line, or start a command of its own.
//! GitHub shows only ten annotations of each kind per step, so a plain summary line ends the
//! output.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::Report;
use crate::check::{FileReport, Outcome};
use crate::diagnostic::{Diagnostic, Severity};
use crate::text::{escape, plural};

pub struct Github {
    /// Only the summary line.
    pub quiet: bool,
}

impl Report for Github {
    fn start(&mut self, _: &super::Start<'_>, _: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }

    fn file(
        &mut self,
        file: &FileReport,
        _: Option<&crate::check::CrossChecked>,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        if self.quiet {
            return Ok(());
        }
        let mut text = String::new();
        for diagnostic in &file.diagnostics {
            annotation(&mut text, diagnostic);
        }
        out.write_all(text.as_bytes())
    }

    fn finish(&mut self, outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
        let mut text = String::new();
        // What could not be checked is an error of its own, even with --quiet: a gate that
        // checked less than it was given must say so where the run is read.
        for error in &outcome.unreadable {
            let _ = writeln!(
                text,
                "::error file={},title=unreadable::{}",
                property(&escape(&error.path)),
                data(&error.to_string())
            );
        }
        if !self.quiet {
            for line in super::skipped_lines(&outcome.skipped) {
                let _ = writeln!(text, "::notice title=left out::{}", data(&line));
            }
        }
        let found: Vec<String> = super::totals(outcome).into_iter().map(|(_, t)| t).collect();
        let found = if found.is_empty() {
            "no problems found".to_owned()
        } else {
            found.join(", ")
        };
        // Not a workflow command: it starts with the tool's name, never with "::".
        let _ = writeln!(
            text,
            "tuple-report: {found} in {} (GitHub shows at most 10 annotations of each kind per step; --format human lists every finding)",
            plural(outcome.files.len(), "file", "files")
        );
        out.write_all(text.as_bytes())
    }
}

fn annotation(out: &mut String, diagnostic: &Diagnostic) {
    let command = match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let location = &diagnostic.primary;
    let mut properties = format!("file={}", property(&escape(&location.file)));
    if let (Some(start), Some(end)) = (location.start, location.end) {
        let _ = write!(
            properties,
            ",line={},col={},endLine={},endColumn={}",
            start.line, start.column, end.line, end.column
        );
    }
    let _ = write!(properties, ",title={}", property(diagnostic.rule.id()));
    let mut message = diagnostic.message.clone();
    if let Some(help) = &diagnostic.help {
        let _ = write!(message, "\nhelp: {help}");
    }
    let _ = writeln!(out, "::{command} {properties}::{}", data(&message));
}

/// A command's message: `%`, CR and LF escaped.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A command's property value: as [`data`], and `:` and `,` escaped too.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_could_start_a_command() {
        assert_eq!(data("50% done\r\n::error::x"), "50%25 done%0D%0A::error::x");
        assert_eq!(property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }
}
