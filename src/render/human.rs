//! The default output: a code frame per finding, drawn as rustc draws them, then a summary.
//!
//! The frames are drawn here rather than by a snippet crate because a location's line can be
//! a window of a very long line (a minified report is one line of many megabytes), and the
//! header must still give the real column.

use std::fmt::Write as _;
use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use unicode_width::UnicodeWidthChar;

use super::Report;
use crate::check::{FileKind, FileReport, Outcome};
use crate::diagnostic::{Diagnostic, Excerpt, Location, Severity};
use crate::text::{escape, must_be_escaped, plural, quote};

pub struct Human {
    pub color: bool,
    /// Only the files with findings, with their counts, and the total.
    pub quiet: bool,
    /// A summary line for every file and pair, however many were checked.
    pub verbose: bool,
    /// At most this many findings of each rule per file, the rest counted.
    pub max_per_rule: Option<usize>,
    /// The severity of each rule, for the counts of findings not kept.
    levels: crate::config::RuleLevels,
}

impl Human {
    pub fn new(options: super::RenderOptions) -> Self {
        Human {
            color: options.color,
            quiet: options.quiet,
            verbose: options.verbose,
            max_per_rule: options.max_per_rule,
            levels: crate::config::RuleLevels::default(),
        }
    }
}

const GUTTER: Style = AnsiColor::BrightBlue.on_default().bold();
const BOLD: Style = Style::new().bold();

fn severity_style(severity: Severity) -> Style {
    match severity {
        Severity::Error => AnsiColor::BrightRed.on_default().bold(),
        Severity::Warning => AnsiColor::BrightYellow.on_default().bold(),
        Severity::Info => AnsiColor::BrightBlue.on_default().bold(),
    }
}

impl Report for Human {
    fn start(&mut self, start: &super::Start<'_>, _: &mut dyn Write) -> io::Result<()> {
        self.levels = start.levels.clone();
        Ok(())
    }

    fn file(
        &mut self,
        file: &FileReport,
        _: Option<&crate::check::CrossChecked>,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let mut text = String::new();
        if self.quiet {
            let counts = counts_text(file.counts(&self.levels));
            if !counts.is_empty() {
                self.bold(&mut text, &format!("{}: {}", escape(&file.path), counts));
            }
            return out.write_all(text.as_bytes());
        }
        // Capped as it is shown, without a copy of the file's findings: JSON or SARIF beside
        // human output keep them all.
        let (shown, omitted) = match self.max_per_rule {
            Some(max) => file.under_cap(max),
            None => (vec![true; file.diagnostics.len()], file.omitted.clone()),
        };
        for (diagnostic, _) in file
            .diagnostics
            .iter()
            .zip(shown)
            .filter(|(_, shown)| *shown)
        {
            self.frame(&mut text, diagnostic);
            text.push('\n');
        }
        for (rule, count) in &omitted {
            let _ = writeln!(
                text,
                "{}: {} of {rule} in {} not shown (--max-per-rule 0 shows all, --format json lists all)\n",
                self.paint(BOLD, "note"),
                plural(*count, "more finding", "more findings"),
                escape(&file.path),
            );
        }
        out.write_all(text.as_bytes())
    }

    fn finish(&mut self, outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
        let mut text = String::new();
        // Many files: those with findings, and one total; one file or one pair: every line.
        let many = many_units(outcome);
        let every_line = self.verbose || !many;
        for error in &outcome.unreadable {
            let _ = writeln!(
                text,
                "{}: {}\n",
                self.paint(severity_style(Severity::Error), "error"),
                error
            );
        }
        for file in outcome.files.iter().filter(|_| !self.quiet) {
            let counts = counts_text(file.counts(&outcome.levels));
            if !every_line && counts.is_empty() {
                continue;
            }
            let mut line = file_summary(file);
            let paired = outcome
                .pairs
                .iter()
                .any(|p| p.usage_report == file.path || p.user_report == file.path);
            if outcome.files.len() > 1 && !paired {
                line.push_str("; no partner, checked alone");
            }
            if many && !counts.is_empty() {
                let _ = write!(line, ": {counts}");
            }
            self.bold(&mut text, &line);
        }
        for pair in outcome.pairs.iter().filter(|_| !self.quiet) {
            if !every_line && pair.verdict.is_none() && pair.not_compared.is_none() {
                continue;
            }
            let line = match super::matched_words(outcome, pair) {
                Some(matched) => format!(
                    "cross-checked {} with {}: {matched}",
                    escape(&pair.user_report),
                    escape(&pair.usage_report),
                ),
                None => format!(
                    "not cross-checked {} with {}: {}",
                    escape(&pair.user_report),
                    escape(&pair.usage_report),
                    pair.not_compared
                        .as_deref()
                        .unwrap_or("one of them could not be read")
                ),
            };
            self.bold(&mut text, &line);
            if let Some(verdict) = &pair.verdict {
                self.bold(&mut text, &format!("  verdict: {verdict}"));
            }
        }
        for line in super::skipped_lines(&outcome.skipped) {
            self.bold(&mut text, &line);
        }
        if let Some(configuration) = &outcome.configuration {
            self.bold(
                &mut text,
                &format!("configuration: {}", escape(configuration)),
            );
        }
        if many {
            let with_findings = outcome
                .files
                .iter()
                .filter(|file| file.counts(&outcome.levels).iter().any(|n| *n > 0))
                .count();
            let _ = write!(
                text,
                "checked {} ({})",
                plural(outcome.files.len(), "file", "files"),
                plural(outcome.pairs.len(), "pair", "pairs"),
            );
            if with_findings > 0 {
                let _ = write!(text, ", {with_findings} with findings");
            }
            text.push_str(": ");
        }
        text.push_str(&self.totals(outcome));
        text.push('\n');
        out.write_all(text.as_bytes())
    }
}

/// Whether the outcome holds more than one file or one pair: its human output then lists only
/// what has findings (unless `--verbose`).
fn many_units(outcome: &Outcome) -> bool {
    let files = outcome.files.len() + outcome.unreadable.len();
    files > 2 || (files == 2 && outcome.pairs.is_empty())
}

/// A file's findings per severity (as [`FileReport::counts`] gives them): `2 errors, 1
/// warning`; empty when it has none.
fn counts_text(counts: [usize; 3]) -> String {
    [
        (Severity::Error, "error", "errors"),
        (Severity::Warning, "warning", "warnings"),
        (Severity::Info, "info", "infos"),
    ]
    .into_iter()
    .filter(|(severity, _, _)| counts[*severity as usize] > 0)
    .map(|(severity, one, many)| plural(counts[severity as usize], one, many))
    .collect::<Vec<_>>()
    .join(", ")
}

impl Human {
    /// `line`, in bold, and a line break.
    fn bold(&self, out: &mut String, line: &str) {
        out.push_str(&self.paint(BOLD, line));
        out.push('\n');
    }

    fn paint(&self, style: Style, text: &str) -> String {
        if self.color {
            format!("{style}{text}{style:#}")
        } else {
            text.to_owned()
        }
    }

    fn totals(&self, outcome: &Outcome) -> String {
        // Never "no problems found" when something was not checked at all.
        let parts: Vec<String> = super::totals(outcome)
            .into_iter()
            .map(|(severity, text)| self.paint(severity_style(severity), &text))
            .collect();
        if parts.is_empty() {
            self.paint(
                AnsiColor::BrightGreen.on_default().bold(),
                "no problems found",
            )
        } else {
            parts.join(", ")
        }
    }

    /// ```text
    /// error[schema-required]: team member 4 (user_id 504) has no "email"
    ///   --> usage.json:27:5
    ///    |
    /// 27 |     {
    ///    |     ^
    ///    |
    ///    = help: …
    /// ```
    fn frame(&self, out: &mut String, diagnostic: &Diagnostic) {
        let primary = &diagnostic.primary;
        let locations =
            std::iter::once(primary).chain(diagnostic.related.iter().map(|r| &r.location));
        let width = locations
            .filter_map(|l| l.excerpt.as_ref())
            .map(|e| e.line.to_string().len())
            .max()
            .unwrap_or(1);
        let pad = " ".repeat(width);
        let gutter = |text: &str| self.paint(GUTTER, text);
        let style = severity_style(diagnostic.severity);
        let _ = writeln!(
            out,
            "{}{}",
            self.paint(
                style,
                &format!("{}[{}]", diagnostic.severity, diagnostic.rule)
            ),
            self.paint(BOLD, &format!(": {}", diagnostic.message))
        );
        let _ = writeln!(out, "{pad}{} {}", gutter("-->"), origin(primary));

        // Related places on the primary line are marked in its frame; others get their own.
        let primary_line = primary.excerpt.as_ref().map(|e| e.line);
        let (same_line, elsewhere): (Vec<_>, Vec<_>) = diagnostic
            .related
            .iter()
            // Regression: a related place in another file on a line of the same number was
            // marked under the primary line.
            .partition(|r| {
                r.location.file == primary.file
                    && r.location.excerpt.as_ref().map(|e| e.line) == primary_line
            });
        if let Some(excerpt) = primary
            .excerpt
            .as_ref()
            .filter(|e| !e.text.is_empty() || e.line > 1)
        {
            let mut marks = vec![(primary, '^', style, None)];
            marks.extend(
                same_line
                    .iter()
                    .map(|r| (&r.location, '-', GUTTER, Some(r.message.as_str()))),
            );
            self.source(out, &pad, excerpt, &marks);
        }
        for related in elsewhere {
            let _ = writeln!(out, "{pad} {}", gutter("|"));
            let _ = writeln!(
                out,
                "{}{} {}",
                &pad[..pad.len() - 1],
                gutter(":::"),
                origin(&related.location)
            );
            if let Some(excerpt) = &related.location.excerpt {
                self.source(
                    out,
                    &pad,
                    excerpt,
                    &[(&related.location, '-', GUTTER, Some(&related.message))],
                );
            }
        }
        let _ = writeln!(out, "{pad} {}", gutter("|"));
        if let Some(help) = &diagnostic.help {
            let _ = writeln!(
                out,
                "{pad} {} {}",
                gutter("="),
                format_args!("{}: {help}", self.paint(BOLD, "help"))
            );
        }
        let at = match (
            primary.anchor.row(),
            primary.anchor.field(),
            primary.pointer(),
        ) {
            (Some(row), Some(field), _) => Some(format!("row {row}, column {}", quote(field))),
            (Some(row), None, _) => Some(format!("row {row}")),
            (_, _, Some("")) => Some("the whole document".to_owned()),
            (_, _, Some(pointer)) => Some(escape(pointer)),
            (None, _, None) => None,
        };
        if let Some(at) = at {
            let note = self.paint(BOLD, "note");
            let _ = writeln!(out, "{pad} {} {note}: at {at}", gutter("="));
        }
    }

    /// One source line and a line of marks under it for each location on it.
    fn source(
        &self,
        out: &mut String,
        pad: &str,
        excerpt: &Excerpt,
        marks: &[(&Location, char, Style, Option<&str>)],
    ) {
        let (text, widths) = shown(excerpt);
        let gutter = |text: &str| self.paint(GUTTER, text);
        let _ = writeln!(out, "{pad} {}", gutter("|"));
        let number = format!("{:>w$}", excerpt.line, w = pad.len());
        let _ = writeln!(
            out,
            "{} {}",
            gutter(&format!("{number} |")),
            text.trim_end()
        );
        for (location, mark, style, label) in marks {
            let Some(start) = location.start else {
                continue;
            };
            let end = location
                .end
                .filter(|end| end.line == start.line)
                .map_or(usize::MAX, |end| end.column);
            let (indent, length) = columns_to_cells(excerpt, &widths, start.column, end);
            let marks: String = std::iter::repeat_n(*mark, length.max(1)).collect();
            let label = label.map(|l| format!(" {l}")).unwrap_or_default();
            let _ = writeln!(
                out,
                "{pad} {} {}{}",
                gutter("|"),
                " ".repeat(indent),
                self.paint(*style, &format!("{marks}{label}"))
            );
        }
    }
}

/// `path:line:column`, or the path alone when the place is unknown.
fn origin(location: &Location) -> String {
    match location.start {
        Some(start) => format!("{}:{}:{}", escape(&location.file), start.line, start.column),
        None => escape(&location.file),
    }
}

/// The excerpt as it may be shown, with the display width of each of its characters: every
/// unsafe character becomes one visible stand-in, so nothing reaches the terminal raw and
/// the marks stay under the right characters.
pub(super) fn shown(excerpt: &Excerpt) -> (String, Vec<usize>) {
    let mut text = String::new();
    let mut widths = Vec::new();
    if excerpt.first_column > 1 {
        text.push('…');
    }
    for c in excerpt.text.chars() {
        let c = match c {
            '\t' => ' ',
            c if (c as u32) < 0x20 => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
            '\u{7f}' => '\u{2421}',
            c if must_be_escaped(c) => '\u{fffd}',
            c => c,
        };
        text.push(c);
        widths.push(c.width().unwrap_or(1));
    }
    if excerpt.cut_after {
        text.push('…');
    }
    (text, widths)
}

/// Where marks for columns `start..end` of the line begin, and how many cells they cover.
pub(super) fn columns_to_cells(
    excerpt: &Excerpt,
    widths: &[usize],
    start: usize,
    end: usize,
) -> (usize, usize) {
    let lead = usize::from(excerpt.first_column > 1);
    let from = start.saturating_sub(excerpt.first_column).min(widths.len());
    let to = end
        .saturating_sub(excerpt.first_column)
        .clamp(from, widths.len());
    let indent = lead + widths[..from].iter().sum::<usize>();
    (indent, widths[from..to].iter().sum())
}

/// `path: usage report, 6 team members, 14 calls from 2026-05-26 to 2026-11-18`
pub(super) fn file_summary(file: &FileReport) -> String {
    let mut line = format!("{}: {}", escape(&file.path), file.kind.words());
    if file.kind == FileKind::UserReport {
        match file.rows {
            Some(rows) => {
                let _ = write!(line, ", {}", plural(rows, "row", "rows"));
            }
            None => line.push_str(", not readable as CSV"),
        }
        return line;
    }
    match &file.stats {
        Some(stats) => {
            let _ = write!(
                line,
                ", {}, {}",
                plural(stats.members, "team member", "team members"),
                plural(stats.calls, "call", "calls")
            );
            if let (Some(first), Some(last)) = (&stats.first_call, &stats.last_call) {
                let date = |t: &str| t.get(..10).unwrap_or(t).to_owned();
                let _ = write!(line, " from {} to {}", date(first), date(last));
            }
        }
        None => line.push_str(", not readable as JSON"),
    }
    line
}
