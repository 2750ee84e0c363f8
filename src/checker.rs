//! The library's front door, for programs and test suites.

use chrono::{DateTime, FixedOffset, Utc};

use crate::check::{check_files, Options, Outcome, Progress};
use crate::config::{Config, Level};
use crate::read::gather::{gather, GatherOptions, Pending};
use crate::read::{FileKind, Input};
use crate::registry::Rule;
use crate::render::{renderer, Format, RenderOptions};

/// A check, configured: the as-of time, rule levels, explicit pairs.
///
/// ```
/// use tuple_report::{Checker, Format, Rule};
///
/// let usage = r#"{
///   "team_members": [
///     {"user_id": 501, "name": "Ana López", "email": "ana.lopez@example.com",
///      "created_at": "2025-03-04T10:12:44Z", "last_call_at": null}
///   ],
///   "calls": [
///     {"call_id": "call-7", "participants": [], "duration_minutes": 0,
///      "started_at": "2026-10-14T09:30:00Z", "ended_at": "2026-10-14T09:30:00Z"}
///   ]
/// }"#;
/// let outcome = Checker::new()
///     .as_of("2026-11-01T00:00:00Z".parse().unwrap())
///     .allow(Rule::EmptyCall)
///     .allow(Rule::UnpairedReport) // a usage report checked alone, on purpose
///     .check_bytes(&[("usage.json", usage.as_bytes())]);
///
/// // One line a finding: deterministic, so it snapshots well.
/// let found: Vec<String> = outcome.diagnostics().map(|d| d.to_string()).collect();
/// insta::assert_snapshot!(found.join("\n"), @r#"usage.json:7:17: error[schema-format]: "call_id" of call 1 (call_id "call-7") is not a UUID: "call-7""#);
/// assert_eq!(outcome.worst(), Some(tuple_report::Severity::Error));
///
/// // Every output format renders the same outcome.
/// let json: serde_json::Value = serde_json::from_str(&outcome.render(Format::Json)).unwrap();
/// assert_eq!(json["summary"]["errors"], 1);
/// ```
#[derive(Clone, Debug, Default)]
pub struct Checker {
    options: Options,
    gather: GatherOptions,
    pairs: Vec<(String, String)>,
    configuration: Option<String>,
    jobs: usize,
}

/// Why a check could not start: a [`Checker::pair`] that names no file among the paths, or
/// two of a kind; an exclude pattern that is no pattern. Paths that cannot be read are no
/// error: they are in the [`Outcome`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsageError(String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

impl Checker {
    /// A check with the default rules, judged at the current time.
    pub fn new() -> Self {
        Checker::default()
    }

    /// Judges the reports at `as_of` rather than now, so that results never depend on the
    /// day they are computed.
    pub fn as_of(mut self, as_of: DateTime<FixedOffset>) -> Self {
        self.options.as_of = Some(as_of);
        self.options.now = as_of.to_utc();
        self
    }

    /// Takes `now` as the current time, leaving the as-of time unset: a check that runs
    /// the same whatever the day, of what the tool does when no as-of time is given.
    pub fn now(mut self, now: DateTime<Utc>) -> Self {
        self.options.now = now;
        self
    }

    /// Silences a rule.
    pub fn allow(self, rule: Rule) -> Self {
        self.level(rule, Level::Allow)
    }

    /// Reports a rule's findings as warnings.
    pub fn warn(self, rule: Rule) -> Self {
        self.level(rule, Level::Warn)
    }

    /// Reports a rule's findings as errors.
    pub fn deny(self, rule: Rule) -> Self {
        self.level(rule, Level::Deny)
    }

    /// Reports a rule's findings at `level`, over what was set before.
    pub fn level(mut self, rule: Rule, level: Level) -> Self {
        self.options.levels.set(rule, level);
        self
    }

    /// Takes what a configuration file says (see [`crate::config`]): its rule levels, as-of
    /// time, exclude patterns, `allow-empty` and `redact`; the outcome names the file. What is set
    /// after this wins over it.
    pub fn configured(mut self, config: &Config) -> Self {
        self.options.levels = std::mem::take(&mut self.options.levels).overridden_by(&config.rules);
        if let Some(as_of) = config.as_of {
            self = self.as_of(as_of);
        }
        self.gather.exclude.extend(config.exclude.iter().cloned());
        self.gather.allow_empty |= config.allow_empty;
        self.options.redact |= config.redact;
        self.configuration = config
            .path
            .as_ref()
            .map(|p| p.to_string_lossy().into_owned());
        self
    }

    /// Shows each person's name and email in findings as a short stable hash
    /// (`[email 8e43ca37]`: the first 8 hex digits of the SHA-256 of the address in lower
    /// case, or of the name in Unicode normal form C), and keeps no source lines, which may
    /// hold either. Members stay named by their number and user_id, rows by their number.
    pub fn redact(mut self, redact: bool) -> Self {
        self.options.redact = redact;
        self
    }

    /// Keeps what a file holds beyond its findings (the members, the calls by day, the user
    /// report's rows), for the HTML page's chart and member table.
    /// [`Batch::write`] sets it for an HTML output; a check whose outcome is rendered as HTML
    /// later needs it, or the page has no chart and no member table.
    pub fn overview(mut self, overview: bool) -> Self {
        self.options.overview = overview;
        self
    }

    /// Keeps at most `max` findings of each rule in each file, the first in the file, and
    /// counts the rest in [`FileReport::omitted`](crate::FileReport::omitted).
    pub fn max_per_rule(mut self, max: usize) -> Self {
        self.options.max_per_rule = Some(max);
        self
    }

    /// Calls `progress` now and then while a large usage report is read, with the path
    /// shown for it, the bytes read and the bytes in all.
    pub fn progress(mut self, progress: impl Fn(&str, u64, u64) + Send + Sync + 'static) -> Self {
        self.options.progress = Some(Progress(std::sync::Arc::new(progress)));
        self
    }

    /// Parses every usage report the careful way, never the fast split: for the tests that
    /// show the two give the same outcome.
    #[doc(hidden)]
    pub fn careful_only(mut self) -> Self {
        self.options.careful_only = true;
        self
    }

    /// Checks every usage report on the worker and rules threads, even a small one: for the
    /// tests that show the one-thread way gives the same outcome.
    #[doc(hidden)]
    pub fn threads_always(mut self) -> Self {
        self.options.threads_always = true;
        self
    }

    /// Follows symbolic links while walking a folder (loops are found and left out).
    pub fn follow_links(mut self, follow: bool) -> Self {
        self.gather.follow_links = follow;
        self
    }

    /// Leaves out of folder walks the files and folders whose name, or whose path below the
    /// folder walked, matches this shell-style pattern (and says so in the outcome).
    pub fn exclude(mut self, pattern: &str) -> Self {
        self.gather.exclude.push(pattern.to_owned());
        self
    }

    /// Makes a folder with no report in it no error.
    pub fn allow_empty(mut self, allow: bool) -> Self {
        self.gather.allow_empty = allow;
        self
    }

    /// What standard input (the path `-`) holds, when its name or content should not say,
    /// and the name it goes by in findings (`-` if `None`).
    pub fn stdin(mut self, kind: Option<FileKind>, name: Option<String>) -> Self {
        self.gather.stdin_kind = kind;
        self.gather.stdin_name = name;
        self
    }

    /// Checks this many pairs (or lone files) at once: `1` one after another, `0` (the
    /// default) one a core. The outcome is the same whatever the number.
    pub fn jobs(mut self, jobs: usize) -> Self {
        self.jobs = jobs;
        self
    }

    /// Cross-checks this usage report with this user report, named in either order.
    pub fn pair(mut self, usage_report: &str, user_report: &str) -> Self {
        self.pairs
            .push((usage_report.to_owned(), user_report.to_owned()));
        self
    }

    /// Checks files held in memory, each with the name findings give it; the kind of each
    /// comes from its name's extension, or else its content.
    pub fn check_bytes(&self, files: &[(&str, &[u8])]) -> Outcome {
        let files = files
            .iter()
            .map(|(name, bytes)| Pending::Input(Input::new(*name, bytes.to_vec())))
            .collect();
        let batch = Batch {
            checker: self,
            files,
            pairs: self.pairs.clone(),
            skipped: Vec::new(),
        };
        batch.check()
    }

    /// Reads and checks files and folders, as the command line does: a file named twice is
    /// checked once, folders are walked, `-` is standard input, and a path that cannot be
    /// read (or a folder with no report) is in [`Outcome::unreadable`] while the rest is
    /// checked ([`Outcome::checked_everything`] says whether all was).
    pub fn check_paths<P: AsRef<str>>(&self, paths: &[P]) -> Result<Outcome, UsageError> {
        Ok(self.batch(paths)?.check())
    }

    /// The files [`Checker::check_paths`] would check, gathered (folders walked, standard
    /// input read) and paired, but not yet read: to see what will be checked before writing
    /// anywhere, then check them with [`Batch::check`] or [`Batch::write`].
    pub fn batch<P: AsRef<str>>(&self, paths: &[P]) -> Result<Batch<'_>, UsageError> {
        let paths: Vec<String> = paths.iter().map(|p| p.as_ref().to_owned()).collect();
        let gathered = gather(&paths, &self.gather).map_err(UsageError)?;
        let pairs = gathered.pairs(&self.pairs).map_err(UsageError)?;
        let mut files = gathered.files;
        files.extend(gathered.unreadable.into_iter().map(Pending::Unreadable));
        Ok(Batch {
            checker: self,
            files,
            pairs,
            skipped: gathered.skipped,
        })
    }
}

/// The files of a check, gathered and paired but not yet read ([`Checker::batch`]).
pub struct Batch<'c> {
    checker: &'c Checker,
    files: Vec<Pending>,
    pairs: Vec<(String, String)>,
    skipped: Vec<crate::read::gather::Skipped>,
}

/// An output format and where it goes, for [`Batch::write`].
pub struct Output<'a> {
    report: Box<dyn crate::render::Report>,
    out: &'a mut dyn std::io::Write,
    /// The first error writing met; nothing more is written after it.
    error: Option<std::io::Error>,
    /// Whether the format shows what a file holds beyond its findings.
    needs_overview: bool,
}

impl<'a> Output<'a> {
    pub fn new(format: Format, options: RenderOptions, out: &'a mut dyn std::io::Write) -> Self {
        Output {
            report: renderer(format, options),
            out,
            error: None,
            needs_overview: format.needs_overview(),
        }
    }

    /// Whether everything was written; the first error if not.
    pub fn result(&mut self) -> std::io::Result<()> {
        match self.error.take() {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }

    fn step(
        &mut self,
        write: impl FnOnce(
            &mut dyn crate::render::Report,
            &mut dyn std::io::Write,
        ) -> std::io::Result<()>,
    ) {
        if self.error.is_none() {
            if let Err(error) = write(self.report.as_mut(), &mut *self.out) {
                self.error = Some(error);
            }
        }
    }
}

impl Batch<'_> {
    /// Every path the check will read (or say it could not), in path order.
    pub fn paths(&self) -> Vec<&str> {
        let mut paths: Vec<&str> = self.files.iter().map(Pending::path).collect();
        paths.sort_unstable();
        paths
    }

    /// Checks the files; the outcome keeps every finding.
    pub fn check(self) -> Outcome {
        self.run(None, false)
    }

    /// Checks the files and writes each output as the check goes: every file's findings when
    /// its turn comes, in path order, after which they are let go of (JUnit holds them to the
    /// end: its totals come first). The outcome keeps what follows the findings (the files,
    /// their counts per severity, the pairs, what could not be read), not the findings
    /// themselves: [`Outcome::diagnostics`] is empty, [`Outcome::count`] and
    /// [`Outcome::worst`] count them all. Each output's [`Output::result`] says whether it
    /// was written.
    pub fn write(self, outputs: &mut [Output<'_>]) -> Outcome {
        let paths: Vec<String> = self.paths().into_iter().map(str::to_owned).collect();
        let options = &self.checker.options;
        let start = crate::render::Start {
            configuration: self.checker.configuration.as_deref(),
            redacted: options.redact,
            levels: &options.levels,
            paths: &paths,
        };
        for output in outputs.iter_mut() {
            output.step(|report, out| report.start(&start, out));
        }
        let overview = outputs.iter().any(|output| output.needs_overview);
        let mut sink = |file: &crate::FileReport, pair: Option<&crate::CrossChecked>| {
            for output in outputs.iter_mut() {
                // Flushed after each file, so that a reader sees each file's findings as its
                // turn comes rather than when a buffer fills.
                output.step(|report, out| report.file(file, pair, out).and_then(|()| out.flush()));
            }
        };
        let outcome = self.run(Some(&mut sink), overview);
        for output in outputs.iter_mut() {
            output.step(|report, out| report.finish(&outcome, out));
            output.step(|_, out| out.flush());
        }
        outcome
    }

    /// The check, keeping each file's overview when `overview` (or the checker) asks.
    fn run(self, sink: Option<crate::check::Sink<'_>>, overview: bool) -> Outcome {
        let checker = self.checker;
        let mut options = checker.options.clone();
        options.overview |= overview;
        let mut outcome = check_files(self.files, &self.pairs, &options, checker.jobs, sink);
        outcome.skipped = self.skipped;
        outcome.configuration.clone_from(&checker.configuration);
        outcome
    }
}

impl Outcome {
    /// The outcome in an output format (without colour; human output shows every finding).
    pub fn render(&self, format: Format) -> String {
        let mut bytes = Vec::new();
        // Writing to memory cannot fail.
        let _ = self.write(format, RenderOptions::default(), &mut bytes);
        String::from_utf8(bytes).unwrap_or_default()
    }

    /// Writes the outcome in an output format, as it goes.
    pub fn write(
        &self,
        format: Format,
        options: RenderOptions,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        crate::render::write(renderer(format, options).as_mut(), self, out)
    }
}
