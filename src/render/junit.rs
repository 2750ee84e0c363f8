//! `--format junit`: JUnit XML, for CI systems that show test reports.
//!
//! One test suite per file, one test case per rule that applies to it, and a failure per
//! finding, so that a rule with no finding shows as passed. The XML is valid whatever a report
//! holds: markup characters are escaped, and characters XML 1.0 cannot hold at all are
//! replaced by U+FFFD.

use std::fmt::Write;

use super::Report;
use crate::check::{FileKind, FileReport, Outcome};
use crate::diagnostic::Diagnostic;
use crate::registry::{Rule, Stage};

pub struct Junit;

impl Report for Junit {
    fn render(&self, outcome: &Outcome) -> String {
        let mut suites = String::new();
        let (mut tests, mut failures) = (0, 0);
        for file in &outcome.files {
            // The cross-check's rules ran only on a pair that was compared: listing them as
            // passed tests otherwise would claim a check that did not happen.
            let paired = outcome.pairs.iter().any(|p| {
                p.matched.is_some() && (p.usage_report == file.path || p.user_report == file.path)
            });
            // A rule with a finding in the file is one of its tests, wherever it usually
            // stands (a cross-check finding may stand at the place that explains it).
            let rules: Vec<Rule> = Rule::ALL
                .iter()
                .copied()
                .filter(|rule| {
                    applies(*rule, file.kind, paired)
                        || file.diagnostics.iter().any(|d| d.rule == *rule)
                })
                .collect();
            let failed = file.diagnostics.len();
            tests += rules.len();
            failures += failed;
            let _ = writeln!(
                suites,
                "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failed}\" errors=\"0\" skipped=\"0\">",
                xml(&file.path),
                rules.len()
            );
            for rule in rules {
                suite_case(&mut suites, file, rule);
            }
            suites.push_str("  </testsuite>\n");
        }
        // A path that could not be checked is a test that could not run: an <error>.
        for error in &outcome.unreadable {
            tests += 1;
            let _ = writeln!(
                suites,
                "  <testsuite name=\"{}\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\">\n    <testcase name=\"read\" classname=\"tuple-report.unreadable\">\n      <error type=\"unreadable\" message=\"{}\"/>\n    </testcase>\n  </testsuite>",
                xml(&error.path),
                xml(&error.to_string())
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
                    "    <testcase name=\"{}\" classname=\"tuple-report.left-out\">\n      <skipped message=\"{}\"/>\n    </testcase>",
                    xml(&skip.path),
                    xml(skip.reason.words(1))
                );
            }
            suites.push_str("  </testsuite>\n");
        }
        let (errors, skipped) = (outcome.unreadable.len(), outcome.skipped.len());
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"tuple-report\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\">\n{suites}</testsuites>\n"
        )
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

fn suite_case(out: &mut String, file: &FileReport, rule: Rule) {
    let findings: Vec<&Diagnostic> = file.diagnostics.iter().filter(|d| d.rule == rule).collect();
    let name = xml(rule.id());
    let class = xml(&format!(
        "tuple-report.{}",
        file.kind.words().replace(' ', "-")
    ));
    if findings.is_empty() {
        let _ = writeln!(out, "    <testcase name=\"{name}\" classname=\"{class}\"/>");
        return;
    }
    let _ = writeln!(out, "    <testcase name=\"{name}\" classname=\"{class}\">");
    for finding in findings {
        let mut body = finding.to_string();
        if let Some(help) = &finding.help {
            let _ = write!(body, "\nhelp: {help}");
        }
        if let Some(pointer) = finding.primary.pointer() {
            let _ = write!(body, "\nat {pointer}");
        }
        let _ = writeln!(
            out,
            "      <failure type=\"{}\" message=\"{}\">{}</failure>",
            finding.severity,
            xml(&finding.message),
            xml(&body)
        );
    }
    out.push_str("    </testcase>\n");
}

/// Text made safe for XML 1.0 content and attribute values.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Line breaks and tabs as references, so attribute values keep them.
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if allowed_in_xml(c) => out.push(c),
            _ => out.push('\u{fffd}'),
        }
    }
    out
}

/// XML 1.0's `Char` production.
fn allowed_in_xml(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..='\u{10ffff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escapes_markup_and_replaces_what_xml_cannot_hold() {
        assert_eq!(
            xml("<b a=\"1\">&'x'</b>"),
            "&lt;b a=&quot;1&quot;&gt;&amp;&apos;x&apos;&lt;/b&gt;"
        );
        assert_eq!(xml("a\u{1b}b\u{0}c\u{fffe}"), "a\u{fffd}b\u{fffd}c\u{fffd}");
        assert_eq!(xml("one\ntwo"), "one&#10;two");
    }
}
