//! Rule configuration: what `--allow`, `--warn`, `--deny` and `tuple-report.toml` say.
//!
//! ```toml
//! # tuple-report.toml, in the current directory or any parent
//! fail-on = "warning"
//! as-of = 2026-11-01T00:00:00Z       # a TOML date-time, or the same in quotes
//! allow-empty = true                 # a folder with no report is no error
//! exclude = ["archive-*"]            # left out of walks, as --exclude
//! redact = true                      # names and emails as hashes, as --redact
//!
//! [rules]
//! unknown-participant = "allow"     # silence it
//! call-duration-mismatch = "deny"   # make it an error
//! ```
//!
//! Flags on the command line win over the file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostic::Severity;
use crate::registry::Rule;

/// What to do with a rule's findings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Silence it.
    Allow,
    /// Report it as a warning.
    Warn,
    /// Report it as an error.
    Deny,
}

/// The level of each configured rule; others keep their default severity.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleLevels {
    levels: BTreeMap<Rule, Level>,
}

impl RuleLevels {
    pub fn set(&mut self, rule: Rule, level: Level) {
        self.levels.insert(rule, level);
    }

    /// The severity a finding of `rule` is reported at, or `None` when the rule is allowed.
    pub fn severity(&self, rule: Rule) -> Option<Severity> {
        match self.levels.get(&rule) {
            Some(Level::Allow) => None,
            Some(Level::Warn) => Some(Severity::Warning),
            Some(Level::Deny) => Some(Severity::Error),
            None => Some(rule.default_severity()),
        }
    }

    /// These levels, then `later`'s over them.
    pub fn overridden_by(mut self, later: &RuleLevels) -> RuleLevels {
        self.levels
            .extend(later.levels.iter().map(|(rule, level)| (*rule, *level)));
        self
    }
}

/// A rule id, or a usage error that suggests the closest one.
pub fn rule_named(id: &str) -> Result<Rule, String> {
    Rule::from_id(id).ok_or_else(|| {
        let shown = crate::text::escape(id);
        match Rule::closest(id) {
            Some(rule) => format!("no rule named {shown}; did you mean {}?", rule.id()),
            None => format!("no rule named {shown}; `tuple-report rules` lists them"),
        }
    })
}

/// An as-of time as `--as-of` and `as-of` take it: an RFC 3339 date-time, or a bare date
/// (`2026-11-01`), which is the start of that day in UTC.
pub fn parse_as_of(text: &str) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    crate::formats::parse_date_time(text).or_else(|| crate::formats::parse_date(text))
}

/// The contents of `tuple-report.toml`.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Config {
    pub rules: RuleLevels,
    pub fail_on: Option<Severity>,
    pub as_of: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// `allow-empty`: a folder with no report is no error.
    pub allow_empty: bool,
    /// `exclude`: patterns left out of walks, before those of `--exclude`.
    pub exclude: Vec<String>,
    /// `redact`: names and emails shown as hashes in every output (`--redact`).
    pub redact: bool,
    /// Where it was read from.
    pub path: Option<PathBuf>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct File {
    #[serde(default)]
    rules: BTreeMap<String, toml::Spanned<Level>>,
    fail_on: Option<toml::Spanned<String>>,
    as_of: Option<toml::Spanned<TimeValue>>,
    #[serde(default)]
    allow_empty: bool,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    redact: bool,
}

/// `as-of` as TOML lets it be written: a date-time of its own, or a string.
#[derive(Deserialize)]
#[serde(untagged)]
enum TimeValue {
    Datetime(toml::value::Datetime),
    Text(String),
}

/// The name looked for.
pub const FILE_NAME: &str = "tuple-report.toml";

/// `tuple-report.toml` in `start` or the nearest parent that has one.
pub fn find(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join(FILE_NAME))
        .find(|candidate| candidate.is_file())
}

/// [`find`] from the current folder, as a relative path (`tuple-report.toml`,
/// `../../tuple-report.toml`), so that what output says of it does not depend on where the
/// folders lie.
pub fn find_from_current_dir() -> Option<PathBuf> {
    let current = std::env::current_dir().ok()?;
    let found = find(&current)?;
    let depth = current
        .ancestors()
        .position(|dir| Some(dir) == found.parent())?;
    let mut relative = PathBuf::new();
    for _ in 0..depth {
        relative.push("..");
    }
    relative.push(FILE_NAME);
    Some(relative)
}

/// Reads a configuration file; errors name the file and the line.
pub fn load(path: &Path) -> Result<Config, String> {
    let shown = crate::text::escape(&path.to_string_lossy());
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {shown}: {e}"))?;
    let mut config = parse(&text).map_err(|(offset, message)| {
        let line = text[..offset.min(text.len())].matches('\n').count() + 1;
        format!("{shown}:{line}: {message}")
    })?;
    config.path = Some(path.to_owned());
    Ok(config)
}

/// Parses a configuration; an error is its byte offset and message.
pub fn parse(text: &str) -> Result<Config, (usize, String)> {
    let file: File = toml::from_str(text).map_err(|e| {
        let offset = e.span().map_or(0, |span| span.start);
        (offset, e.message().trim().to_owned())
    })?;
    let mut config = Config::default();
    for (id, level) in file.rules {
        // The key's own place is not kept by the parser; the value's is on the same line.
        let rule = rule_named(&id).map_err(|message| (level.span().start, message))?;
        config.rules.set(rule, *level.get_ref());
    }
    if let Some(fail_on) = file.fail_on {
        config.fail_on = Some(match fail_on.get_ref().as_str() {
            "error" => Severity::Error,
            "warning" => Severity::Warning,
            other => {
                let message = format!(
                    "fail-on is \"error\" or \"warning\", not {}",
                    crate::text::quote(other)
                );
                return Err((fail_on.span().start, message));
            }
        });
    }
    config.allow_empty = file.allow_empty;
    config.exclude = file.exclude;
    config.redact = file.redact;
    if let Some(as_of) = file.as_of {
        let text = match as_of.get_ref() {
            TimeValue::Datetime(datetime) => datetime.to_string(),
            TimeValue::Text(text) => text.clone(),
        };
        let parsed = parse_as_of(&text);
        config.as_of = Some(parsed.ok_or_else(|| {
            (
                as_of.span().start,
                "as-of is a date-time with a time zone, such as 2026-11-01T00:00:00Z, or a date, such as 2026-11-01".to_owned(),
            )
        })?);
    }
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rules_fail_on_and_as_of() {
        let config = parse(
            "fail-on = \"warning\"\nas-of = \"2026-11-01T00:00:00Z\"\n[rules]\nempty-call = \"allow\"\njson-bom = \"deny\"\n",
        )
        .unwrap();
        assert_eq!(config.fail_on, Some(Severity::Warning));
        assert_eq!(config.rules.severity(Rule::EmptyCall), None);
        assert_eq!(config.rules.severity(Rule::JsonBom), Some(Severity::Error));
        assert_eq!(
            config.rules.severity(Rule::JsonSyntax),
            Some(Severity::Error)
        );
        assert!(config.as_of.is_some());
    }

    /// Regression: an unquoted TOML date-time was "invalid type: map, expected a string".
    #[test]
    fn as_of_may_be_a_toml_date_time() {
        let quoted = parse("as-of = \"2026-11-01T00:00:00Z\"\n").unwrap();
        let bare = parse("as-of = 2026-11-01T00:00:00Z\n").unwrap();
        assert_eq!(bare.as_of, quoted.as_of);
        assert!(bare.as_of.is_some());
        let offset = parse("as-of = 2026-11-01T01:00:00+01:00\n").unwrap();
        assert_eq!(
            offset.as_of.map(|t| t.to_utc()),
            quoted.as_of.map(|t| t.to_utc())
        );
        // A date-time without a zone names no instant.
        assert_eq!(parse("as-of = 2026-11-01T00:00:00\n").unwrap_err().0, 8);
        // A date is the start of its day in UTC.
        assert_eq!(parse("as-of = 2026-11-01\n").unwrap().as_of, quoted.as_of);
        assert_eq!(
            parse("as-of = \"2026-11-01\"\n").unwrap().as_of,
            quoted.as_of
        );
        let exclude = parse("allow-empty = true\nexclude = [\"old-*\"]\n").unwrap();
        assert!(exclude.allow_empty);
        assert_eq!(exclude.exclude, ["old-*"]);
    }

    #[test]
    fn errors_say_where_and_suggest() {
        let error = |text: &str| {
            let (offset, message) = parse(text).unwrap_err();
            (text[..offset].matches('\n').count() + 1, message)
        };
        assert_eq!(
            error("[rules]\n\nempty-calls = \"allow\"\n"),
            (
                3,
                "no rule named empty-calls; did you mean empty-call?".to_owned()
            )
        );
        assert_eq!(error("[rules]\nempty-call = \"silence\"\n").0, 2);
        assert_eq!(error("fail-on = \"info\"\n").0, 1);
        assert_eq!(error("colour = true\n").0, 1);
        assert_eq!(error("[rules\n").0, 1);
    }
}
