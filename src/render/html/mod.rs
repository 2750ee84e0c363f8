//! `--format html`: one self-contained page for a person (a team owner who downloaded the two
//! files): the verdict first, the six months as a chart, every member in one table, and the
//! findings grouped by rule.
//!
//! Nothing is fetched and nothing runs. The page's one `<style>` is allowed by its hash in a
//! Content-Security-Policy that allows nothing else, and it has no script and no event
//! handler, so a report's text (every name, email and line of it is escaped here, by [`xml`])
//! can never become markup or code. The page is the same bytes for the same check: it holds
//! no clock time and no absolute path.
//!
//! The table of every pair and its verdict comes first, so each file's part is held, as
//! text and aggregates (members, calls by day), until the check is done.

mod chart;
mod members;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use base64::Engine as _;
use sha2::{Digest, Sha256};

use super::human::{columns_to_cells, file_summary, shown};
use super::{xml, Report, Start};
use crate::check::{CrossChecked, FileKind, FileReport, Outcome, Overview};
use crate::config::RuleLevels;
use crate::diagnostic::{Diagnostic, Excerpt, Location, Severity};
use crate::registry::Rule;
use crate::text::plural;

/// The page's style: its hash is the only source the Content-Security-Policy allows.
const STYLE: &str = include_str!("style.css");

/// The HTML renderer: holds each file's part until [`Report::finish`].
pub struct Html {
    max_per_rule: Option<usize>,
    levels: RuleLevels,
    redacted: bool,
    /// More than two paths: only the pairs and files with findings get a section (the others
    /// a row of the first table), and what a clean one holds is let go of at once.
    many: bool,
    /// Each file's part, by path.
    parts: BTreeMap<String, FilePart>,
}

/// What the page keeps of one file.
struct FilePart {
    kind: FileKind,
    counts: [usize; 3],
    /// The likely cause of a lone file's findings, for its verdict.
    cause: Option<String>,
    /// The file's findings, grouped by rule, as HTML.
    findings: String,
    /// The first finding about each team member (by index) or row (by number), and how many.
    about: BTreeMap<usize, Mention>,
    overview: Option<Box<Overview>>,
}

/// Where a member's (or a row's) findings are.
#[derive(Clone, Debug)]
struct Mention {
    first: String,
    count: usize,
}

impl Html {
    pub fn new(options: super::RenderOptions) -> Self {
        Html {
            max_per_rule: options.max_per_rule,
            levels: RuleLevels::default(),
            redacted: false,
            many: false,
            parts: BTreeMap::new(),
        }
    }
}

/// A path as the page shows it: escaped as every output escapes it (hidden and control
/// characters made visible), then as HTML.
fn path_text(path: &str) -> String {
    xml(&crate::text::escape(path))
}

/// The counts as words: `2 errors, 1 warning`, or `no findings`.
fn counts_words(counts: [usize; 3]) -> String {
    let words: Vec<String> = [
        (Severity::Error, "error", "errors"),
        (Severity::Warning, "warning", "warnings"),
        (Severity::Info, "info", "infos"),
    ]
    .iter()
    .filter(|(severity, _, _)| counts[*severity as usize] > 0)
    .map(|(severity, one, many)| plural(counts[*severity as usize], one, many))
    .collect();
    if words.is_empty() {
        "no findings".to_owned()
    } else {
        words.join(", ")
    }
}

/// How a verdict looks: `bad` with an error, `doubt` with a warning, else `good`.
fn tone(counts: [usize; 3]) -> &'static str {
    if counts[Severity::Error as usize] > 0 {
        "bad"
    } else if counts[Severity::Warning as usize] > 0 {
        "doubt"
    } else {
        "good"
    }
}

/// A lone file's verdict, in plain words.
fn file_verdict(counts: [usize; 3]) -> String {
    let (errors, warnings) = (
        counts[Severity::Error as usize],
        counts[Severity::Warning as usize],
    );
    if errors > 0 {
        format!(
            "Do not rely on this file: {} to fix first",
            plural(errors, "error", "errors")
        )
    } else if warnings > 0 {
        format!(
            "Read the {} before relying on this file",
            plural(warnings, "warning", "warnings")
        )
    } else {
        "No problems found".to_owned()
    }
}

fn add(a: [usize; 3], b: [usize; 3]) -> [usize; 3] {
    [a[0] + b[0], a[1] + b[1], a[2] + b[2]]
}

impl Report for Html {
    fn start(&mut self, start: &Start<'_>, _: &mut dyn Write) -> io::Result<()> {
        self.levels = start.levels.clone();
        self.redacted = start.redacted;
        self.many = start.paths.len() > 2;
        Ok(())
    }

    fn file(
        &mut self,
        file: &FileReport,
        pair: Option<&CrossChecked>,
        _: &mut dyn Write,
    ) -> io::Result<()> {
        let id = format!("f{}", self.parts.len() + 1);
        let (findings, about) = findings_html(&id, file, self.max_per_rule);
        let counts = file.counts(&self.levels);
        let partner = pair.map(|p| {
            if p.usage_report == file.path {
                p.user_report.as_str()
            } else {
                p.usage_report.as_str()
            }
        });
        // A clean pair or lone file of many has no section: its overview is not kept (a
        // pair's, once both its files are in).
        let partner_clean = partner.map(|path| self.parts.get(path).map(|part| part.counts));
        let clean = self.many
            && counts == [0; 3]
            && match partner_clean {
                None => true,
                Some(Some(partner)) => partner == [0; 3],
                // The partner is yet to come, or could not be read: kept until the end.
                Some(None) => false,
            };
        if clean {
            if let Some(part) = partner.and_then(|path| self.parts.get_mut(path)) {
                part.overview = None;
            }
        }
        let part = FilePart {
            kind: file.kind,
            counts,
            // A pair's verdict says its own.
            cause: if pair.is_none() {
                crate::check::lone_cause(file)
            } else {
                None
            },
            findings,
            about,
            overview: if clean { None } else { file.overview.clone() },
        };
        self.parts.insert(file.path.clone(), part);
        Ok(())
    }

    fn finish(&mut self, outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
        let units = self.units(outcome);
        let mut page = String::new();
        let total = units.iter().fold([0; 3], |sum, unit| add(sum, unit.counts));
        let title = format!(
            "tuple-report: {} checked",
            plural(outcome.files.len(), "file", "files")
        );
        let _ = write!(
            page,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n\
             <meta name=\"generator\" content=\"tuple-report {}\">\n\
             <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n",
            csp(),
            env!("CARGO_PKG_VERSION"),
            xml(&title)
        );
        self.header(&mut page, outcome, &units, total);
        for unit in units.iter().filter(|unit| self.has_section(unit)) {
            self.unit_section(&mut page, unit, outcome);
        }
        let _ = write!(
            page,
            "</main>\n<footer><p>Written by tuple-report {}{}. Run <code>tuple-report explain RULE</code> for what a rule checks, why, and what it rests on.</p></footer>\n</body>\n</html>\n",
            env!("CARGO_PKG_VERSION"),
            if outcome.redacted {
                "; names and emails are shown as hashes (--redact)"
            } else {
                ""
            }
        );
        out.write_all(page.as_bytes())
    }
}

/// The policy: nothing but the page's own style, by its hash.
fn csp() -> String {
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(STYLE));
    format!("default-src 'none'; style-src 'sha256-{hash}'; base-uri 'none'; form-action 'none'")
}

/// A pair, a lone file or a path that could not be read: a row of the first table and a
/// section of the page.
struct Unit<'o> {
    id: String,
    /// The files, usage report first for a pair.
    paths: Vec<&'o str>,
    pair: Option<&'o CrossChecked>,
    /// Why the path could not be checked.
    unreadable: Option<String>,
    counts: [usize; 3],
}

impl Html {
    /// Whether the unit gets a section of its own: always, unless many were checked and it
    /// is clean.
    fn has_section(&self, unit: &Unit<'_>) -> bool {
        !self.many || unit.counts != [0; 3] || unit.unreadable.is_some()
    }

    /// The units in path order of their first file.
    fn units<'o>(&self, outcome: &'o Outcome) -> Vec<Unit<'o>> {
        let mut units: Vec<Unit<'o>> = Vec::new();
        let counts = |path: &str| self.parts.get(path).map_or([0; 3], |part| part.counts);
        for pair in &outcome.pairs {
            let paths = vec![pair.usage_report.as_str(), pair.user_report.as_str()];
            units.push(Unit {
                id: String::new(),
                counts: add(counts(paths[0]), counts(paths[1])),
                paths,
                pair: Some(pair),
                unreadable: None,
            });
        }
        let paired = |path: &str| {
            outcome
                .pairs
                .iter()
                .any(|p| p.usage_report == path || p.user_report == path)
        };
        for file in outcome.files.iter().filter(|f| !paired(&f.path)) {
            units.push(Unit {
                id: String::new(),
                paths: vec![file.path.as_str()],
                pair: None,
                unreadable: None,
                counts: counts(&file.path),
            });
        }
        for error in outcome.unreadable.iter().filter(|e| !paired(&e.path)) {
            units.push(Unit {
                id: String::new(),
                paths: vec![error.path.as_str()],
                pair: None,
                unreadable: Some(error.reason.clone()),
                counts: [0; 3],
            });
        }
        units.sort_by(|a, b| a.paths.iter().min().cmp(&b.paths.iter().min()));
        for (n, unit) in units.iter_mut().enumerate() {
            unit.id = format!("u{}", n + 1);
        }
        units
    }

    fn header(&self, page: &mut String, outcome: &Outcome, units: &[Unit<'_>], total: [usize; 3]) {
        let unreadable = outcome.unreadable.len();
        let (class, verdict) = if unreadable > 0 {
            (
                "bad",
                format!(
                    "The check is incomplete: {} could not be checked",
                    plural(unreadable, "path", "paths")
                ),
            )
        } else if outcome.files.is_empty() {
            ("bad", "Nothing was checked".to_owned())
        } else {
            let worst = match tone(total) {
                "bad" => "Some of these files cannot be trusted as they are",
                "doubt" => "These files have warnings to read before relying on them",
                _ => "Every file was checked and no problem was found",
            };
            (tone(total), worst.to_owned())
        };
        let _ = write!(
            page,
            "<header>\n<h1>Tuple usage export check</h1>\n<p class=\"verdict {class}\">{}</p>\n<p>Checked {} ({}): {}.</p>\n",
            xml(&verdict),
            plural(outcome.files.len(), "file", "files"),
            plural(outcome.pairs.len(), "pair", "pairs"),
            counts_words(total)
        );
        if let Some(configuration) = &outcome.configuration {
            let _ = writeln!(
                page,
                "<p>Rule levels from <code>{}</code>.</p>",
                path_text(configuration)
            );
        }
        page.push_str("</header>\n");
        page.push_str("<section aria-labelledby=\"all\">\n<h2 id=\"all\">Every file</h2>\n<table class=\"units\">\n<thead><tr><th scope=\"col\">Files</th><th scope=\"col\">Verdict</th><th scope=\"col\" class=\"n\">Errors</th><th scope=\"col\" class=\"n\">Warnings</th><th scope=\"col\" class=\"n\">Infos</th></tr></thead>\n<tbody>\n");
        for unit in units {
            let files: Vec<String> = unit.paths.iter().map(|p| path_text(p)).collect();
            let (class, verdict) = self.unit_verdict(unit, outcome);
            // A clean one of many has no section to link to.
            let files = if self.has_section(unit) {
                format!("<a href=\"#{}\">{}</a>", unit.id, files.join("<br>"))
            } else {
                files.join("<br>")
            };
            let _ = writeln!(
                page,
                "<tr><td>{files}</td><td><span class=\"verdict {class}\">{}</span></td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                xml(&verdict),
                unit.counts[Severity::Error as usize],
                unit.counts[Severity::Warning as usize],
                unit.counts[Severity::Info as usize],
            );
        }
        page.push_str("</tbody>\n</table>\n");
        let skipped = super::skipped_lines(&outcome.skipped);
        if !skipped.is_empty() {
            page.push_str("<p>What the walk of the folders left out:</p>\n<ul>\n");
            for line in skipped {
                let _ = writeln!(page, "<li>{}</li>", xml(&line));
            }
            page.push_str("</ul>\n");
        }
        page.push_str("</section>\n");
    }

    /// A unit's verdict in plain words, and its tone.
    fn unit_verdict(&self, unit: &Unit<'_>, outcome: &Outcome) -> (&'static str, String) {
        if let Some(why) = &unit.unreadable {
            return ("bad", format!("Not checked: {why}"));
        }
        let tone = tone(unit.counts);
        let Some(pair) = unit.pair else {
            let mut verdict = file_verdict(unit.counts);
            let cause = unit
                .paths
                .first()
                .and_then(|path| self.parts.get(*path)?.cause.as_ref());
            if let (Some(cause), true) = (cause, tone != "good") {
                verdict.push_str("; ");
                verdict.push_str(cause);
            }
            return (tone, verdict);
        };
        if let Some(verdict) = &pair.verdict {
            return (tone, verdict.clone());
        }
        match super::matched_words(outcome, pair) {
            Some(matched) => (
                tone,
                format!("The two files agree and neither has a problem: {matched}"),
            ),
            None => (
                "bad",
                format!(
                    "Not cross-checked: {}",
                    pair.not_compared
                        .as_deref()
                        .unwrap_or("one of them could not be read")
                ),
            ),
        }
    }

    fn unit_section(&self, page: &mut String, unit: &Unit<'_>, outcome: &Outcome) {
        let title: Vec<String> = unit.paths.iter().map(|p| path_text(p)).collect();
        let (class, verdict) = self.unit_verdict(unit, outcome);
        let _ = write!(
            page,
            "<section class=\"unit\" id=\"{}\" aria-labelledby=\"{}-title\">\n<h2 id=\"{}-title\">{}</h2>\n<p class=\"verdict {class}\">{}</p>\n<p>{}.</p>\n",
            unit.id,
            unit.id,
            unit.id,
            title.join(" and "),
            xml(&verdict),
            counts_words(unit.counts)
        );
        let parts: Vec<&FilePart> = unit
            .paths
            .iter()
            .filter_map(|path| self.parts.get(*path))
            .collect();
        let usage = parts
            .iter()
            .copied()
            .find(|p| p.kind == FileKind::UsageReport);
        let users = parts
            .iter()
            .copied()
            .find(|p| p.kind == FileKind::UserReport);
        if let Some(Overview::UsageReport {
            activity: Some(activity),
            ..
        }) = usage.and_then(|p| p.overview.as_deref())
        {
            let _ = write!(
                page,
                "<h3 id=\"{}-months\">The six months at a glance</h3>\n{}",
                unit.id,
                chart::chart(activity)
            );
        }
        let kept = |part: Option<&FilePart>| part.is_some_and(|p| p.overview.is_some());
        if !kept(usage) && !kept(users) && !parts.is_empty() {
            // Only a library check that did not ask (`Checker::overview`) comes here.
            page.push_str("<p class=\"none\">This check did not keep the calls by week and the members, so neither is shown.</p>\n");
        }
        if kept(usage) || kept(users) {
            let _ = write!(
                page,
                "<h3 id=\"{}-members\">Every member</h3>\n{}",
                unit.id,
                members::table(usage, users, self.redacted)
            );
        }
        let _ = writeln!(page, "<h3 id=\"{}-findings\">Findings</h3>", unit.id);
        for part in parts {
            page.push_str(&part.findings);
        }
        page.push_str("</section>\n");
    }
}

/// The findings shown, by severity (the most severe first) and rule, each with its place in
/// the file's list.
type Groups<'d> = BTreeMap<(std::cmp::Reverse<Severity>, Rule), Vec<(usize, &'d Diagnostic)>>;

/// A file's findings, grouped by rule (errors first), as HTML; and the first finding about
/// each member or row.
fn findings_html(
    id: &str,
    file: &FileReport,
    max_per_rule: Option<usize>,
) -> (String, BTreeMap<usize, Mention>) {
    let mut html = String::new();
    let mut about: BTreeMap<usize, Mention> = BTreeMap::new();
    let _ = write!(
        html,
        "<section class=\"file\" id=\"{id}\">\n<h4>{}</h4>\n",
        xml(&file_summary(file))
    );
    let (shown, omitted) = match max_per_rule {
        Some(max) => file.under_cap(max),
        None => (vec![true; file.diagnostics.len()], file.omitted.clone()),
    };
    let mut groups: Groups<'_> = BTreeMap::new();
    for (n, (diagnostic, shown)) in file.diagnostics.iter().zip(shown).enumerate() {
        if shown {
            groups
                .entry((std::cmp::Reverse(diagnostic.severity), diagnostic.rule))
                .or_default()
                .push((n, diagnostic));
        }
    }
    let omitted: BTreeMap<Rule, usize> = omitted.into_iter().collect();
    if groups.is_empty() && omitted.is_empty() {
        html.push_str("<p class=\"none\">No findings.</p>\n</section>\n");
        return (html, about);
    }
    for ((severity, rule), findings) in &groups {
        let severity = severity.0;
        let more = omitted.get(rule).copied().unwrap_or(0);
        let _ = write!(
            html,
            "<details open class=\"rule\" id=\"{id}-{}\">\n<summary><span class=\"sev {severity}\">{severity}</span> <code>{}</code> {} <span class=\"count\">({})</span></summary>\n<ol class=\"findings\">\n",
            rule.id(),
            rule.id(),
            xml(rule.summary()),
            findings.len() + more
        );
        for (n, diagnostic) in findings {
            let finding_id = format!("{id}-{}", n + 1);
            if let Some(subject) = subject(file.kind, diagnostic) {
                let mention = about.entry(subject).or_insert_with(|| Mention {
                    first: finding_id.clone(),
                    count: 0,
                });
                mention.count += 1;
            }
            finding_html(&mut html, &finding_id, diagnostic);
        }
        html.push_str("</ol>\n");
        if more > 0 {
            let _ = writeln!(
                html,
                "<p class=\"more\">{} of <code>{}</code> not shown (<code>--max-per-rule 0</code> shows all).</p>",
                plural(more, "more finding", "more findings"),
                rule.id()
            );
        }
        html.push_str("</details>\n");
    }
    // Rules whose findings were all beyond the cap.
    for (rule, more) in omitted
        .iter()
        .filter(|(rule, _)| !groups.keys().any(|(_, shown)| shown == *rule))
    {
        let _ = writeln!(
            html,
            "<p class=\"more\">{} of <code>{}</code> not shown (<code>--max-per-rule 0</code> shows all).</p>",
            plural(*more, "finding", "findings"),
            rule.id()
        );
    }
    html.push_str("</section>\n");
    (html, about)
}

/// The team member (by index, in a usage report) or the row (by number, in a user report)
/// a finding is about, when it says.
fn subject(kind: FileKind, diagnostic: &Diagnostic) -> Option<usize> {
    match kind {
        FileKind::UsageReport => {
            let pointer = diagnostic.primary.pointer()?;
            let rest = pointer.strip_prefix("/team_members/")?;
            rest.split('/').next()?.parse().ok()
        }
        FileKind::UserReport => diagnostic.primary.anchor.row(),
    }
}

fn finding_html(html: &mut String, id: &str, diagnostic: &Diagnostic) {
    let _ = write!(
        html,
        "<li id=\"{id}\">\n<p class=\"message\">{}</p>\n<p class=\"where\">{}</p>\n",
        xml(&diagnostic.message),
        xml(&place(&diagnostic.primary))
    );
    if let Some(excerpt) = &diagnostic.primary.excerpt {
        frame(html, excerpt, &diagnostic.primary);
    }
    for related in &diagnostic.related {
        let _ = writeln!(
            html,
            "<p class=\"related\">{}: {}</p>",
            xml(&place(&related.location)),
            xml(&related.message)
        );
        if let Some(excerpt) = &related.location.excerpt {
            frame(html, excerpt, &related.location);
        }
    }
    if let Some(help) = &diagnostic.help {
        let _ = writeln!(html, "<p class=\"help\">{}</p>", xml(help));
    }
    html.push_str("</li>\n");
}

/// `path:line:column · at /pointer` (or `row 3, column "Email"`).
fn place(location: &Location) -> String {
    let mut words = match location.start {
        Some(start) => format!(
            "{}:{}:{}",
            crate::text::escape(&location.file),
            start.line,
            start.column
        ),
        None => crate::text::escape(&location.file),
    };
    let anchor = &location.anchor;
    match (anchor.row(), anchor.field(), location.pointer()) {
        (Some(row), Some(field), _) => {
            let _ = write!(words, " · row {row}, column {}", crate::text::quote(field));
        }
        (Some(row), None, _) => {
            let _ = write!(words, " · row {row}");
        }
        (_, _, Some("")) => words.push_str(" · the whole document"),
        (_, _, Some(pointer)) => {
            let _ = write!(words, " · at {}", crate::text::escape(pointer));
        }
        _ => {}
    }
    words
}

/// The source line with the place marked, as the human output shows it.
fn frame(html: &mut String, excerpt: &Excerpt, location: &Location) {
    let (text, widths) = shown(excerpt);
    let chars: Vec<char> = text.chars().collect();
    // The marked characters: `columns_to_cells` counts display cells, the `<mark>` needs
    // characters, so count the characters that fill those cells.
    let (from, to) = match location.start {
        Some(start) => {
            let end = location
                .end
                .filter(|end| end.line == start.line)
                .map_or(usize::MAX, |end| end.column);
            let (indent, length) = columns_to_cells(excerpt, &widths, start.column, end);
            let lead = usize::from(excerpt.first_column > 1);
            let cells: Vec<usize> = std::iter::repeat_n(1, lead)
                .chain(widths.iter().copied())
                .collect();
            let mut at = 0;
            let mut cell = 0;
            while at < cells.len() && cell < indent {
                cell += cells[at];
                at += 1;
            }
            let from = at;
            let mut covered = 0;
            while at < cells.len() && covered < length {
                covered += cells[at];
                at += 1;
            }
            (from, at.max(from))
        }
        None => (0, 0),
    };
    let piece = |range: std::ops::Range<usize>| -> String {
        xml(
            &chars[range.start.min(chars.len())..range.end.min(chars.len())]
                .iter()
                .collect::<String>(),
        )
    };
    let _ = writeln!(
        html,
        "<pre class=\"frame\"><span class=\"line\">{}</span>{}<mark>{}</mark>{}</pre>",
        excerpt.line,
        piece(0..from),
        piece(from..to),
        piece(to..chars.len()).trim_end()
    );
}
