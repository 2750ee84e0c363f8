//! `--format junit`: JUnit XML, for CI systems that show test reports.
//!
//! One test suite per file, one test case per rule that applies to it: a rule with no finding
//! is a passed test. A test case fails (one `<failure>`, whose text lists every finding of the
//! rule in the file) only when a finding reaches the failing severity (`--fail-on`), as the
//! exit code does; findings below it are kept in the case's `<system-out>` and the case
//! passes. A case's classname is its file's path, so that the cases of a thousand teams'
//! files stay a thousand suites of distinct cases rather than one set that dashboards merge.
//! The counts add up: a suite's `failures` is the number of its failed cases. The XML is
//! valid whatever a report holds: markup characters are escaped, and characters XML 1.0
//! cannot hold at all are replaced by U+FFFD.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::{xml, Report};
use crate::check::{CrossChecked, FileKind, FileReport, Outcome};
use crate::diagnostic::{Diagnostic, Severity};
use crate::registry::{Rule, Stage};

/// The root element's totals come first, so every file's test suite is held, as text, until
/// the end.
pub struct Junit {
    /// The least severity that fails a test case.
    pub fail_on: Severity,
    /// The severity of each rule, for the findings not kept.
    levels: crate::config::RuleLevels,
    /// The test suite of each file so far (one string each, rather than one string that
    /// doubles as it grows: memory near the size of the output).
    suites: Vec<String>,
    tests: usize,
    failures: usize,
}

impl Junit {
    pub fn new(fail_on: Severity) -> Self {
        Junit {
            fail_on,
            levels: crate::config::RuleLevels::default(),
            suites: Vec::new(),
            tests: 0,
            failures: 0,
        }
    }
}

impl Report for Junit {
    fn start(&mut self, start: &super::Start<'_>, _: &mut dyn Write) -> io::Result<()> {
        self.levels = start.levels.clone();
        (self.suites, self.tests, self.failures) = (Vec::new(), 0, 0);
        Ok(())
    }

    fn file(
        &mut self,
        file: &FileReport,
        pair: Option<&CrossChecked>,
        _: &mut dyn Write,
    ) -> io::Result<()> {
        // The cross-check's rules ran only on a pair that was compared: listing them as
        // passed tests otherwise would claim a check that did not happen.
        let paired = pair.is_some_and(|p| p.matched.is_some());
        // A rule with a finding in the file is one of its tests, wherever it usually stands
        // (a cross-check finding may stand at the place that explains it).
        let rules: Vec<Rule> = Rule::ALL
            .iter()
            .copied()
            .filter(|rule| {
                applies(*rule, file.kind, paired)
                    || file.diagnostics.iter().any(|d| d.rule == *rule)
                    || file.omitted.iter().any(|(r, _)| r == rule)
            })
            .collect();
        let mut cases = String::new();
        let mut failed = 0;
        for rule in &rules {
            if self.case(&mut cases, file, *rule) {
                failed += 1;
            }
        }
        self.tests += rules.len();
        self.failures += failed;
        self.suites.push(format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failed}\" errors=\"0\" skipped=\"0\">\n{cases}  </testsuite>\n",
            xml(&file.path),
            rules.len()
        ));
        Ok(())
    }

    fn finish(&mut self, outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
        let held = std::mem::take(&mut self.suites);
        let mut suites = String::new();
        let (mut tests, failures) = (self.tests, self.failures);
        // A path that could not be checked is a test that could not run: an <error>.
        for error in &outcome.unreadable {
            tests += 1;
            let _ = writeln!(
                suites,
                "  <testsuite name=\"{path}\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\">\n    <testcase name=\"read\" classname=\"{path}\">\n      <error type=\"unreadable\" message=\"{}\"/>\n    </testcase>\n  </testsuite>",
                xml(&error.to_string()),
                path = xml(&error.path),
            );
        }
        // What a walk left out: a skipped test each, so a dashboard shows it was not run.
        if !outcome.skipped.is_empty() {
            let count = outcome.skipped.len();
            tests += count;
            let _ = writeln!(
                suites,
                "  <testsuite name=\"left out by the walk\" tests=\"{count}\" failures=\"0\" errors=\"0\" skipped=\"{count}\">"
            );
            for skip in &outcome.skipped {
                let _ = writeln!(
                    suites,
                    "    <testcase name=\"left out\" classname=\"{}\">\n      <skipped message=\"{}\"/>\n    </testcase>",
                    xml(&skip.path),
                    xml(skip.reason.words(1))
                );
            }
            suites.push_str("  </testsuite>\n");
        }
        let (errors, skipped) = (outcome.unreadable.len(), outcome.skipped.len());
        write!(
            out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"tuple-report\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\">\n"
        )?;
        for suite in held {
            out.write_all(suite.as_bytes())?;
        }
        writeln!(out, "{suites}</testsuites>")
    }
}

impl Junit {
    /// Writes the test case of `rule` in `file`; whether it failed.
    fn case(&self, out: &mut String, file: &FileReport, rule: Rule) -> bool {
        let findings: Vec<&Diagnostic> =
            file.diagnostics.iter().filter(|d| d.rule == rule).collect();
        let omitted: usize = file
            .omitted
            .iter()
            .filter(|(r, _)| *r == rule)
            .map(|(_, n)| n)
            .sum();
        let (name, class) = (xml(rule.id()), xml(&file.path));
        let severity = findings
            .iter()
            .map(|d| d.severity)
            .chain((omitted > 0).then(|| self.levels.severity(rule)).flatten())
            .max();
        let Some(severity) = severity else {
            let _ = writeln!(out, "    <testcase name=\"{name}\" classname=\"{class}\"/>");
            return false;
        };
        let mut body = String::new();
        for finding in &findings {
            let _ = writeln!(body, "{finding}");
            if let Some(help) = &finding.help {
                let _ = writeln!(body, "help: {help}");
            }
            if let Some(pointer) = finding.primary.pointer() {
                let _ = writeln!(body, "at {pointer}");
            }
        }
        if omitted > 0 {
            let _ = writeln!(body, "and {omitted} more not listed (--max-per-rule)");
        }
        let _ = writeln!(out, "    <testcase name=\"{name}\" classname=\"{class}\">");
        let count = crate::text::plural(findings.len() + omitted, "finding", "findings");
        let failed = severity >= self.fail_on;
        if failed {
            let first = findings.first().map_or("", |d| d.message.as_str());
            let _ = writeln!(
                out,
                "      <failure type=\"{severity}\" message=\"{}\">{}</failure>",
                xml(&format!("{count}: {first}")),
                xml(&body)
            );
        } else {
            let _ = writeln!(out, "      <system-out>{}</system-out>", xml(&body));
        }
        out.push_str("    </testcase>\n");
        failed
    }
}

/// Whether `rule` is checked on a file of `kind`. Cross-check rules, only in a pair, belong
/// to the file their findings stand in: `missing-from-csv` to the usage report (the member
/// has no row to stand at), the others to the user report.
fn applies(rule: Rule, kind: FileKind, paired: bool) -> bool {
    match rule.stage() {
        Stage::Reading | Stage::Schema | Stage::Report => kind == FileKind::UsageReport,
        Stage::UserReport => kind == FileKind::UserReport,
        // Whether a report was paired is said on the report itself.
        Stage::CrossCheck if rule == Rule::UnpairedReport => true,
        Stage::CrossCheck if rule == Rule::MissingFromCsv => {
            paired && kind == FileKind::UsageReport
        }
        Stage::CrossCheck => paired && kind == FileKind::UserReport,
    }
}
