//! A check of the files asked for: each on its own, the pair cross-checked, then every
//! finding located in its file and put in order.

mod decode;
mod diags;
mod units;
mod usage;
mod users;
mod verdict;

pub(crate) use verdict::lone_cause;

pub use units::{check_files, Sink};

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, Utc};

use crate::diagnostic::{Anchor, Diagnostic, Severity};
use crate::locate::{locate_file, LineEnds};
use crate::read::gather::Skipped;
use crate::read::{Input, ReadError};
use crate::registry::Rule;
use crate::rules::cross_check;
use crate::rules::Stats;

/// How to check.
#[derive(Clone, Debug)]
pub struct Options {
    /// The time the report is judged at (`--as-of`).
    pub as_of: Option<DateTime<FixedOffset>>,
    /// The current time; a parameter so that checks can be repeated exactly.
    pub now: DateTime<Utc>,
    /// Keep at most this many findings of each rule per file, the first in the file, and
    /// count the rest ([`FileReport::omitted`]); `None` keeps them all.
    pub max_per_rule: Option<usize>,
    /// Told, now and then while a usage report is parsed, how far it has got.
    pub progress: Option<Progress>,
    /// Rules silenced or reported at another severity (`--allow`, `--warn`, `--deny`).
    pub levels: crate::config::RuleLevels,
    /// Parse every usage report the careful way, never the fast split: for the tests that
    /// show the two give the same outcome.
    #[doc(hidden)]
    pub careful_only: bool,
    /// Check every usage report on the worker and rules threads, even a small one: for the
    /// tests that show the one-thread way gives the same outcome.
    #[doc(hidden)]
    pub threads_always: bool,
    /// Threads that read and validate a usage report's calls: one a core when `None`; fewer
    /// when several files are checked at once.
    pub workers: Option<usize>,
    /// Show each person's name and email as a short hash, and no source lines (`--redact`).
    pub redact: bool,
    /// Keep what the HTML page shows beside the findings ([`FileReport::overview`]).
    pub overview: bool,
}

/// What a [`Progress`] hook is told: the path of the file being read, the bytes read and the
/// bytes in all.
pub type ProgressFn = dyn Fn(&str, u64, u64) + Send + Sync;

/// A hook told, now and then, how far a check has got.
#[derive(Clone)]
pub struct Progress(pub std::sync::Arc<ProgressFn>);

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Progress")
    }
}

impl Default for Options {
    fn default() -> Self {
        Options {
            as_of: None,
            now: Utc::now(),
            max_per_rule: None,
            progress: None,
            levels: crate::config::RuleLevels::default(),
            careful_only: false,
            threads_always: false,
            workers: None,
            redact: false,
            overview: false,
        }
    }
}

pub use crate::read::FileKind;

/// The check of one file.
#[derive(Clone, Debug)]
pub struct FileReport {
    /// The path as given.
    pub path: String,
    pub kind: FileKind,
    /// What a usage report holds; `None` when it could not be parsed, or for a user report.
    pub stats: Option<Stats>,
    /// How many data rows a user report has.
    pub rows: Option<usize>,
    /// Ordered by line, column and rule.
    pub diagnostics: Vec<Diagnostic>,
    /// Per rule, how many findings beyond [`Checker::max_per_rule`](crate::Checker::max_per_rule) were counted but not kept.
    pub omitted: Vec<(Rule, usize)>,
    /// Findings already written to the outputs and let go of, per severity (indexed by
    /// `Severity as usize`): a check that writes as it goes keeps only their counts.
    pub(crate) written: [usize; 3],
    /// The members and the calls by day (a usage report), or the rows (a user report), when
    /// [`Checker::overview`](crate::Checker::overview) asked for them: the HTML page shows
    /// them.
    pub(crate) overview: Option<Box<Overview>>,
}

/// What a file holds, beyond its findings, for a page that shows it.
#[derive(Clone, Debug)]
pub(crate) enum Overview {
    UsageReport {
        /// One entry per team member, in order, with what their calls add up to.
        members: Vec<crate::rules::MemberFacts>,
        activity: Option<crate::rules::Activity>,
    },
    UserReport {
        rows: Vec<crate::rules::user_report::UserRow>,
    },
}

impl FileReport {
    /// The findings per severity (indexed by `Severity as usize`: info, warning, error): those
    /// kept, those written and let go of, and those beyond the cap, at the severity `levels`
    /// gives their rule.
    pub fn counts(&self, levels: &crate::config::RuleLevels) -> [usize; 3] {
        let mut counts = self.written;
        for diagnostic in &self.diagnostics {
            counts[diagnostic.severity as usize] += 1;
        }
        for (rule, count) in &self.omitted {
            if let Some(severity) = levels.severity(*rule) {
                counts[severity as usize] += count;
            }
        }
        counts
    }

    /// Counts the findings and lets go of them, once they are written.
    pub(crate) fn let_go_of_findings(&mut self) {
        for diagnostic in self.diagnostics.drain(..) {
            self.written[diagnostic.severity as usize] += 1;
        }
        self.diagnostics.shrink_to_fit();
        // The outputs that show it have taken what they need.
        self.overview = None;
    }

    /// Keeps the first `cap` findings of each rule, adding the rest to `omitted`.
    pub(crate) fn cap_per_rule(&mut self, cap: usize) {
        let (kept, omitted) = self.under_cap(cap);
        let mut kept = kept.into_iter();
        self.diagnostics.retain(|_| kept.next().unwrap_or(false));
        self.omitted = omitted;
    }

    /// Which findings a cap of `cap` per rule keeps (the first of each rule, a flag per
    /// finding), and per rule how many are then not kept, those already omitted included.
    pub(crate) fn under_cap(&self, cap: usize) -> (Vec<bool>, Vec<(Rule, usize)>) {
        let mut seen: BTreeMap<Rule, usize> = BTreeMap::new();
        let mut omitted: BTreeMap<Rule, usize> = self.omitted.iter().copied().collect();
        let kept = self
            .diagnostics
            .iter()
            .map(|d| {
                let count = seen.entry(d.rule).or_default();
                *count += 1;
                if *count > cap {
                    *omitted.entry(d.rule).or_default() += 1;
                }
                *count <= cap
            })
            .collect();
        (kept, omitted.into_iter().collect())
    }
}

/// A usage report and a user report that go together (serialized as `--format json` writes
/// a pair).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct CrossChecked {
    pub usage_report: String,
    pub user_report: String,
    /// Rows matched to a team member by email; `None` when the two were not compared.
    pub matched: Option<usize>,
    /// Why the two were not compared: one could not be read, or not parsed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_compared: Option<String>,
    /// In plain words, whether the two can be trusted and the likely cause when they cannot;
    /// `None` when neither has a warning or an error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verdict: Option<String>,
}

/// The check of everything asked for.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    /// The files checked, in path order.
    pub files: Vec<FileReport>,
    /// The paths that could not be checked at all (missing, unreadable, a folder with no
    /// report), in path order: whatever else was found, the check is incomplete.
    pub unreadable: Vec<ReadError>,
    /// What the walks of folders left out, and why, in path order.
    pub skipped: Vec<Skipped>,
    pub pairs: Vec<CrossChecked>,
    /// The severities the findings were reported at.
    pub levels: crate::config::RuleLevels,
    /// The configuration file the levels came from, if one was used.
    pub configuration: Option<String>,
    /// Whether names and emails are shown as hashes, and source lines left out
    /// ([`Checker::redact`](crate::Checker::redact)).
    pub redacted: bool,
}

impl Outcome {
    /// Whether every path given was checked: nothing in [`Outcome::unreadable`].
    pub fn checked_everything(&self) -> bool {
        self.unreadable.is_empty()
    }

    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.files.iter().flat_map(|f| f.diagnostics.iter())
    }

    /// How many findings of `severity` there are, those not kept (or already written)
    /// included.
    pub fn count(&self, severity: Severity) -> usize {
        self.files
            .iter()
            .map(|f| f.counts(&self.levels)[severity as usize])
            .sum()
    }

    /// The most severe finding, if any, those not kept (or already written) included.
    pub fn worst(&self) -> Option<Severity> {
        [Severity::Error, Severity::Warning, Severity::Info]
            .into_iter()
            .find(|severity| self.count(*severity) > 0)
    }
}

/// The text of a file, kept until the findings are located.
pub(crate) struct Source<'a> {
    pub text: SourceText<'a>,
    /// CSV lines also end at a lone CR; JSON lines, as serde_json counts them, only at LF.
    pub line_ends: LineEnds,
}

/// A file's text, as far as the check read it.
pub(crate) enum SourceText<'a> {
    Text(std::borrow::Cow<'a, str>),
    /// A usage report checked the fast way, whose every part was found to be UTF-8 where it
    /// was parsed (see `split_usage_report`), never the whole at once: that pass is left for
    /// when there is something to locate, which a valid report does not have.
    Unchecked(&'a [u8]),
}

impl SourceText<'_> {
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        match self {
            SourceText::Text(text) => std::borrow::Cow::Borrowed(text),
            // UTF-8, as the check found; were it not, a stand-in character is all it costs.
            SourceText::Unchecked(bytes) => String::from_utf8_lossy(bytes),
        }
    }
}

/// Shows the names and emails `diagnostic`'s texts mark (see [`crate::text::personal`]) as
/// they are written, or as hashes when `redact`; a redacted finding keeps no source line,
/// since any line of a report may hold a name or an email, and names no column by a header
/// cell that is no known column's name.
fn settle_personal(diagnostic: &mut Diagnostic, redact: bool) {
    use crate::text::personal::resolve;
    resolve(&mut diagnostic.message, redact);
    if let Some(help) = &mut diagnostic.help {
        resolve(help, redact);
    }
    for related in &mut diagnostic.related {
        resolve(&mut related.message, redact);
    }
    if redact {
        let locations = std::iter::once(&mut diagnostic.primary)
            .chain(diagnostic.related.iter_mut().map(|r| &mut r.location));
        for location in locations {
            location.excerpt = None;
            // A column the vendor does not name is named by its header cell, which in a user
            // report without a header is a person's email or name.
            if let Anchor::Cell {
                field: Some(field), ..
            } = &mut location.anchor
            {
                let known = crate::rules::user_report::Column::ALL
                    .iter()
                    .any(|column| column.name() == field);
                if !known {
                    *field = crate::text::personal::Personal::Text.redacted(field);
                }
            }
        }
    }
}

/// Checks each input and cross-checks the pairs [`crate::pairing`] finds among them (given
/// one usage report and one user report, in either order, those two), `explicit` pairs of
/// paths (usage report, user report) first. The paths that could not be read are paired and
/// shown too.
pub(crate) fn check_all(
    inputs: &[Input],
    unreadable: &[ReadError],
    explicit: &[(String, String)],
    options: &Options,
) -> Outcome {
    let mut reports = Vec::with_capacity(inputs.len());
    let mut sources = Vec::with_capacity(inputs.len());
    // Per report, in the order of `reports`: a usage report's members and calls by day, a
    // user report's rows.
    let (mut members, mut activities, mut rows) = (Vec::new(), Vec::new(), Vec::new());
    let kinds: Vec<FileKind> = inputs.iter().map(Input::kind).collect();
    let check_users = || {
        inputs
            .iter()
            .zip(&kinds)
            .filter(|(_, kind)| **kind == FileKind::UserReport)
            .map(|(input, _)| users::check(input))
            .collect::<Vec<_>>()
    };
    let check_usage = || {
        inputs
            .iter()
            .zip(&kinds)
            .filter(|(_, kind)| **kind == FileKind::UsageReport)
            .map(|(input, _)| usage::check(input, options))
            .collect::<Vec<_>>()
    };
    // The user reports are checked beside the usage reports rather than after them: a large
    // usage report's check keeps both cores busy until its end, and the CSV check would
    // otherwise be a stretch of one core alone at the end. With one core to use (other files
    // take the others), a thread would only cost its start.
    let (usage_checked, mut users_checked) = if options.workers == Some(1) {
        (check_usage(), check_users())
    } else {
        std::thread::scope(|scope| {
            let users_checked = scope.spawn(check_users);
            let usage_checked = check_usage();
            let users_checked = users_checked
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (usage_checked, users_checked)
        })
    };
    let mut usage_checked = usage_checked.into_iter();
    users_checked.reverse();
    for kind in &kinds {
        match kind {
            FileKind::UsageReport => {
                let Some(checked) = usage_checked.next() else {
                    break;
                };
                members.push(checked.members);
                activities.push(checked.activity);
                rows.push(None);
                reports.push(checked.report);
                sources.push(checked.source);
            }
            FileKind::UserReport => {
                let Some(checked) = users_checked.pop() else {
                    break;
                };
                members.push(None);
                activities.push(None);
                rows.push(checked.users);
                reports.push(checked.report);
                sources.push(checked.source);
            }
        }
    }
    // Paths that could not be read take part in the pairing too (by their extension), so
    // that their partner says why it was not cross-checked rather than that it has none.
    let mut named: Vec<(String, FileKind)> =
        reports.iter().map(|r| (r.path.clone(), r.kind)).collect();
    named.extend(
        unreadable
            .iter()
            .filter_map(|e| Some((e.path.clone(), FileKind::from_extension(&e.path)?))),
    );
    let kinds: Vec<(&str, FileKind)> = named.iter().map(|(p, k)| (p.as_str(), *k)).collect();
    let mut pairs = Vec::new();
    // Each pair's files and what the verdict needs, for when the findings are final.
    let mut verdicts = Vec::new();
    let mut paired = vec![false; reports.len()];
    for (u, r) in crate::pairing::pair(&kinds, explicit) {
        let (usage_path, users_path) = (kinds[u].0.to_owned(), kinds[r].0.to_owned());
        let members = members.get(u).and_then(Option::as_ref);
        let rows = rows.get(r).and_then(Option::as_ref);
        for index in [u, r] {
            if let Some(seen) = paired.get_mut(index) {
                *seen = true;
            }
        }
        let mut newest = verdict::Newest::default();
        let (matched, not_compared) = if let (Some(members), Some(rows)) = (members, rows) {
            let pair = cross_check::Pair {
                usage_file: &usage_path,
                users_file: &users_path,
            };
            let mut found = Vec::new();
            let compared = match cross_check::check(&pair, members, rows, &mut found) {
                cross_check::Compared::Matched(matched) => {
                    newest = verdict::Newest {
                        usage: matched.newest_in_usage,
                        users: matched.newest_in_users,
                    };
                    (Some(matched.rows), None)
                }
                cross_check::Compared::NotCompared(why) => {
                    // Said on the file that is not at fault; the other has its own finding.
                    let other = if members.is_empty() { r } else { u };
                    found.push(diags::not_compared(&reports[other].path, &why));
                    (None, Some(why))
                }
            };
            for diagnostic in found {
                let owner = if diagnostic.primary.file == usage_path {
                    u
                } else {
                    r
                };
                reports[owner].diagnostics.push(diagnostic);
            }
            compared
        } else {
            // One of the two could not be read, or not as a report: the other says so.
            let failed = |index: usize, parsed: bool, words: &str| {
                let path = crate::text::escape(kinds[index].0);
                if index >= reports.len() {
                    Some(format!("{path} could not be read"))
                } else {
                    (!parsed).then(|| format!("{path} could not be read as a {words}"))
                }
            };
            let usage_failed = failed(u, members.is_some(), "usage report");
            let users_failed = failed(r, rows.is_some(), "user report");
            for (index, partner_failed) in [(u, &users_failed), (r, &usage_failed)] {
                if let (Some(report), Some(why)) = (reports.get_mut(index), partner_failed) {
                    report
                        .diagnostics
                        .push(diags::not_compared(&report.path, why));
                }
            }
            (None, usage_failed.or(users_failed))
        };
        verdicts.push((pairs.len(), u, r, newest));
        pairs.push(CrossChecked {
            usage_report: usage_path,
            user_report: users_path,
            matched,
            not_compared,
            verdict: None,
        });
    }
    for (report, paired) in reports.iter_mut().zip(paired) {
        if !paired {
            let alone = diags::checked_alone(&report.path, report.kind);
            report.diagnostics.push(alone);
        }
    }
    // Locate each file's places, wherever the findings that name them are. Lines are counted
    // only for a file that has something to locate.
    for (index, source) in sources.iter().enumerate() {
        let path = &inputs[index].path;
        // A finding about the file as a whole has nothing to locate: a lone report's is
        // no reason to count the lines of 180 MB.
        let named = |d: &Diagnostic| {
            (d.primary.file == *path && d.primary.anchor != Anchor::File)
                || d.related.iter().any(|r| r.location.file == *path)
        };
        if !reports.iter().any(|r| r.diagnostics.iter().any(named)) {
            continue;
        }
        let text = source.text.text();
        for report in reports.iter_mut() {
            locate_file(path, &text, source.line_ends, &mut report.diagnostics);
        }
    }
    for report in &mut reports {
        for diagnostic in &mut report.diagnostics {
            settle_personal(diagnostic, options.redact);
        }
        report
            .diagnostics
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        // Allowed rules go before anything is counted; the others take their configured
        // severity, and the findings of a rule that rests on an inference say so, so that a
        // team owner can tell a defect in the export from a guess of ours.
        report
            .diagnostics
            .retain_mut(|d| match options.levels.severity(d.rule) {
                Some(severity) => {
                    d.severity = severity;
                    if d.rule.rests_on_inference() {
                        let inferred = format!(
                            "this rule infers from the vendor's pages (`tuple-report rules {}` says how): if your export is correct, it is worth reporting",
                            d.rule.id()
                        );
                        d.help = Some(match d.help.take() {
                            Some(help) => format!("{help}; {inferred}"),
                            None => inferred,
                        });
                    }
                    true
                }
                None => false,
            });
        report
            .omitted
            .retain(|(rule, _)| options.levels.severity(*rule).is_some());
    }
    if options.overview {
        let parts = members.into_iter().zip(activities).zip(rows);
        for (report, ((members, activity), rows)) in reports.iter_mut().zip(parts) {
            report.overview = match (members, rows) {
                (Some(members), _) => Some(Overview::UsageReport { members, activity }),
                (None, Some(users)) => Some(Overview::UserReport { rows: users.rows }),
                (None, None) => None,
            }
            .map(Box::new);
        }
    }
    // Verdicts before the cap: they count every finding.
    for (pair, u, r, newest) in verdicts {
        if let (Some(usage), Some(users)) = (reports.get(u), reports.get(r)) {
            pairs[pair].verdict = verdict::verdict(usage, users, newest);
        }
    }
    if let Some(cap) = options.max_per_rule {
        for report in &mut reports {
            report.cap_per_rule(cap);
        }
    }
    // In no order yet: `check_files` puts the outcome of every unit in path order.
    Outcome {
        files: reports,
        unreadable: unreadable.to_vec(),
        skipped: Vec::new(),
        pairs,
        levels: options.levels.clone(),
        configuration: None,
        redacted: options.redact,
    }
}
