//! The library's front door, for programs and test suites.

use chrono::{DateTime, FixedOffset};

use crate::check::{check_gathered, check_with_pairs, Options, Outcome};
use crate::config::{Level, RuleLevels};
use crate::read::gather::{gather, GatherOptions};
use crate::read::{Input, ReadError};
use crate::registry::Rule;
use crate::render::{renderer, Format, RenderOptions};

/// A check, configured: the as-of time, rule levels, explicit pairs.
///
/// ```
/// use tuple_report::render::Format;
/// use tuple_report::{Checker, Rule};
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
    pairs: Vec<(String, String)>,
}

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

    fn level(mut self, rule: Rule, level: Level) -> Self {
        let mut levels = RuleLevels::default();
        levels.set(rule, level);
        self.options.levels = std::mem::take(&mut self.options.levels).overridden_by(&levels);
        self
    }

    /// Cross-checks this usage report with this user report (by the names given).
    pub fn pair(mut self, usage_report: &str, user_report: &str) -> Self {
        self.pairs
            .push((usage_report.to_owned(), user_report.to_owned()));
        self
    }

    /// Checks files held in memory, each with the name findings give it; the kind of each
    /// comes from its name's extension, or else its content.
    pub fn check_bytes(&self, files: &[(&str, &[u8])]) -> Outcome {
        let inputs: Vec<Input> = files
            .iter()
            .map(|(name, bytes)| Input::new(*name, bytes.to_vec()))
            .collect();
        check_with_pairs(&inputs, &self.pairs, &self.options)
    }

    /// Reads and checks files and folders, as the command line does: a file named twice is
    /// checked once, folders are walked, and a path that cannot be read (or a folder with
    /// no report) is in [`Outcome::unreadable`] while the rest is checked
    /// ([`Outcome::checked_everything`] says whether all was). The error is a pair (from
    /// [`Checker::pair`]) that names a path not among `paths`, or two of a kind.
    pub fn check_paths(&self, paths: &[&str]) -> Result<Outcome, ReadError> {
        let paths: Vec<String> = paths.iter().map(|p| (*p).to_owned()).collect();
        let gathered = gather(&paths, &GatherOptions::default()).map_err(|reason| ReadError {
            path: String::new(),
            reason,
        })?;
        let mut pairs = Vec::new();
        for (usage, users) in &self.pairs {
            let error = |path: &str, reason: String| ReadError {
                path: path.to_owned(),
                reason,
            };
            let usage = gathered.find(usage).map_err(|r| error(usage, r))?;
            let users = gathered.find(users).map_err(|r| error(users, r))?;
            pairs.push((usage.to_owned(), users.to_owned()));
        }
        Ok(check_gathered(&gathered, &pairs, &self.options))
    }
}

impl Outcome {
    /// The outcome in an output format (without colour; human output shows every finding).
    pub fn render(&self, format: Format) -> String {
        renderer(format, RenderOptions::default()).render(self)
    }
}
