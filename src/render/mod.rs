//! Turning an [`Outcome`] into text, one [`Report`] per output format.
//!
//! Renderers write to what they are given and print nothing; the binary decides where it goes.

mod github;
mod html;
mod human;
mod json;
mod junit;
mod pretty;
mod sarif;

use std::io::{self, Write};

use crate::check::{CrossChecked, FileReport, Outcome};
use crate::diagnostic::Severity;

pub use github::Github;
pub use html::Html;
pub use human::Human;
pub use json::Json;
pub use junit::Junit;
pub use sarif::Sarif;

/// An output format.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Code frames and a summary, for people.
    #[default]
    Human,
    /// One deterministic JSON document, for programs.
    Json,
    /// GitHub Actions workflow commands: an annotation per finding.
    Github,
    /// JUnit XML: a test suite per file, a test case per rule.
    Junit,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// One self-contained HTML page, for people: the verdicts, the six months as a chart,
    /// every member in one table and the findings by rule.
    Html,
}

impl Format {
    /// Whether the format shows what a file holds beyond its findings (the members, the
    /// calls by week): the check must then keep it ([`crate::Checker::overview`]).
    pub fn needs_overview(self) -> bool {
        self == Format::Html
    }
}

/// What a renderer may vary.
#[derive(Clone, Copy, Debug)]
pub struct RenderOptions {
    /// ANSI colours (human output only).
    pub color: bool,
    /// Only the summary (human and github output).
    pub quiet: bool,
    /// A summary line for every file and pair, however many (human output).
    pub verbose: bool,
    /// At most this many findings of each rule per file (human output), the rest counted:
    /// for an outcome checked without that cap because another format needs every finding.
    pub max_per_rule: Option<usize>,
    /// The least severity that fails (`--fail-on`): in JUnit output, what makes a test case
    /// a failure rather than a passed case with a note.
    pub fail_on: Severity,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            color: false,
            quiet: false,
            verbose: false,
            max_per_rule: None,
            fail_on: Severity::Error,
        }
    }
}

/// The counts of findings per severity, most severe first, leaving out those with none, after
/// the paths that could not be checked: `[(Error, "1 path could not be checked"), (Error, "2
/// errors"), (Warning, "1 warning")]`. Empty when nothing was found.
fn totals(outcome: &Outcome) -> Vec<(Severity, String)> {
    let unreadable = outcome.unreadable.len();
    let unreadable = (unreadable > 0).then(|| {
        let paths = crate::text::plural(unreadable, "path", "paths");
        (Severity::Error, format!("{paths} could not be checked"))
    });
    let found = [
        (Severity::Error, "error", "errors"),
        (Severity::Warning, "warning", "warnings"),
        (Severity::Info, "info", "infos"),
    ]
    .into_iter()
    .map(|(severity, one, many)| (severity, outcome.count(severity), one, many))
    .filter(|(_, count, _, _)| *count > 0)
    .map(|(severity, count, one, many)| (severity, crate::text::plural(count, one, many)));
    unreadable.into_iter().chain(found).collect()
}

/// Text made safe for XML 1.0 content and attribute values, and for HTML's: JUnit's and the
/// HTML page's one escape.
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

/// `5 of 6 rows matched a team member by email`, for a pair that was compared.
fn matched_words(outcome: &Outcome, pair: &CrossChecked) -> Option<String> {
    let matched = pair.matched?;
    let rows = outcome
        .files
        .iter()
        .find(|f| f.path == pair.user_report)
        .and_then(|f| f.rows)
        .unwrap_or(0);
    Some(format!(
        "{matched} of {} matched a team member by email",
        crate::text::plural(rows, "row", "rows")
    ))
}

/// What the walks left out, a line per reason: `2 hidden folders left out: exports/.cache,
/// exports/.git`, naming at most three paths. Paths are escaped.
fn skipped_lines(skipped: &[crate::read::gather::Skipped]) -> Vec<String> {
    let mut by_reason: std::collections::BTreeMap<_, Vec<&str>> = Default::default();
    for skip in skipped {
        by_reason.entry(skip.reason).or_default().push(&skip.path);
    }
    by_reason
        .into_iter()
        .map(|(reason, paths)| {
            let mut shown: Vec<String> = paths
                .iter()
                .take(3)
                .map(|p| crate::text::escape(p))
                .collect();
            if paths.len() > 3 {
                shown.push(format!("and {} more", paths.len() - 3));
            }
            format!(
                "left out {} {}: {}",
                paths.len(),
                reason.words(paths.len()),
                shown.join(", ")
            )
        })
        .collect()
}

/// What every output knows before the first file is checked.
pub struct Start<'a> {
    /// The configuration file used, if any.
    pub configuration: Option<&'a str>,
    /// Whether names and emails are hashed (`--redact`).
    pub redacted: bool,
    /// The severity of each rule, for the counts of findings not kept.
    pub levels: &'a crate::config::RuleLevels,
    /// Every path of the check, whether it turns out readable or not, in path order.
    pub paths: &'a [String],
}

/// An output format, written as the check goes: [`Report::start`], then [`Report::file`] for
/// each file checked, in path order, as its turn comes (its findings are let go of after),
/// then [`Report::finish`] with what is kept of the whole. A format whose shape needs every
/// finding before it can write (JUnit's totals come first) holds them itself.
pub trait Report {
    fn start(&mut self, start: &Start<'_>, out: &mut dyn Write) -> io::Result<()>;

    /// One file's findings, sorted, and the pair it is in, if any.
    fn file(
        &mut self,
        file: &FileReport,
        pair: Option<&CrossChecked>,
        out: &mut dyn Write,
    ) -> io::Result<()>;

    /// The rest: `outcome` holds every file (with its counts; its findings may already be
    /// let go of), the pairs, what could not be read and what was left out.
    fn finish(&mut self, outcome: &Outcome, out: &mut dyn Write) -> io::Result<()>;
}

/// Writes a whole outcome in one format, as a check that writes as it goes would.
pub fn write(report: &mut dyn Report, outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
    let mut paths: Vec<String> = outcome
        .files
        .iter()
        .map(|f| f.path.clone())
        .chain(outcome.unreadable.iter().map(|e| e.path.clone()))
        .collect();
    paths.sort();
    let start = Start {
        configuration: outcome.configuration.as_deref(),
        redacted: outcome.redacted,
        levels: &outcome.levels,
        paths: &paths,
    };
    report.start(&start, out)?;
    for file in &outcome.files {
        let pair = outcome
            .pairs
            .iter()
            .find(|p| p.usage_report == file.path || p.user_report == file.path);
        report.file(file, pair, out)?;
    }
    report.finish(outcome, out)
}

/// The renderer for `format`.
pub fn renderer(format: Format, options: RenderOptions) -> Box<dyn Report> {
    match format {
        Format::Human => Box::new(Human::new(options)),
        Format::Json => Box::new(Json::default()),
        Format::Github => Box::new(Github {
            quiet: options.quiet,
        }),
        Format::Junit => Box::new(Junit::new(options.fail_on)),
        Format::Sarif => Box::new(Sarif::default()),
        Format::Html => Box::new(Html::new(options)),
    }
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
