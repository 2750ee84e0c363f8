//! `--format sarif`: one SARIF 2.1.0 log, for GitHub code scanning and other SARIF readers.
//!
//! One run: the tool with every rule of the registry (so each rule's documentation travels
//! with the log, whether it fired or not), one artifact per file checked, and one result per
//! finding in the outcome's order (files as given, findings as stored). Like `--format json`,
//! the same bytes for the same input on any machine: no times, no absolute paths, nothing
//! from the machine or the run.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::io::{self, Write};

use serde::Serialize;

use super::pretty::Pretty;
use super::Report;
use crate::check::{FileKind, FileReport, Outcome};
use crate::diagnostic::{Anchor, Diagnostic, Location, Severity};
use crate::registry::{Rule, Stage};

/// Writes the log's head and the tool, then each file's results as the file's turn comes,
/// then the artifacts and the invocation, which need every file.
#[derive(Default)]
pub struct Sarif {
    log: Option<Pretty>,
    builder: Builder,
}

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const SARIF_VERSION: &str = "2.1.0";

/// The key of the result fingerprint in `partialFingerprints`; bumped if its value changes
/// form, so that a reader never compares values of two forms.
const FINGERPRINT_KEY: &str = "tupleReport/v1";

// The subset of SARIF 2.1.0 emitted, field names as the specification spells them. The log
// and its run are written a member at a time (see `Report for Sarif`); these are their parts.

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    /// The crate's homepage or repository, when Cargo.toml names one (it names none yet: no
    /// address is known to exist, and none is made up).
    #[serde(skip_serializing_if = "Option::is_none")]
    information_uri: Option<&'static str>,
    rules: Vec<Descriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    id: &'static str,
    name: String,
    short_description: Text<'static>,
    full_description: Text<'static>,
    help: Help,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Text<'a> {
    text: Cow<'a, str>,
}

impl<'a> Text<'a> {
    fn new(text: impl Into<Cow<'a, str>>) -> Self {
        Text { text: text.into() }
    }
}

#[derive(Serialize)]
struct Help {
    text: &'static str,
    markdown: &'static str,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    /// The rule's stage (`reading`, `schema`, `report`, `user-report`, `cross-check`), by
    /// which GitHub can filter alerts.
    tags: [Stage; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    /// False when a path could not be checked: the run did not do all it was asked.
    execution_successful: bool,
    /// A path that could not be checked (level `error`), or that a walk left out (`note`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text<'static>,
    locations: [SarifLocation<'static>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Artifact {
    location: ArtifactLocation,
    /// Every artifact is a file tuple-report was asked to check.
    roles: [&'static str; 1],
    /// How the file was read: `application/json` for a usage report, `text/csv` for a user
    /// report; absent for a path that could not be read and whose extension does not say.
    #[serde(skip_serializing_if = "Option::is_none")]
    mime_type: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text<'a>,
    locations: [SarifLocation<'a>; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<SarifLocation<'a>>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "ResultProperties::is_empty")]
    properties: ResultProperties<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultProperties<'a> {
    /// What to do about the finding.
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    /// For schema findings: the failing keyword's place in the schema, a JSON Pointer.
    #[serde(skip_serializing_if = "Option::is_none")]
    schema_path: Option<&'a str>,
}

impl ResultProperties<'_> {
    fn is_empty(&self) -> bool {
        self.help.is_none() && self.schema_path.is_none()
    }
}

#[derive(Default, Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation<'a> {
    /// Set on related locations, numbered from 1 within a result.
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text<'a>>,
    #[serde(skip_serializing_if = "LocationProperties::is_empty")]
    properties: LocationProperties<'a>,
}

#[derive(Default, Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Clone, Default, Serialize)]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    index: Option<usize>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<usize>,
}

#[derive(Default, Serialize)]
struct LocationProperties<'a> {
    /// The JSON Pointer of the value (or key) at fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    pointer: Option<&'a str>,
    /// For the CSV user report: the spreadsheet row (the header is 1) and column name.
    #[serde(skip_serializing_if = "Option::is_none")]
    row: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
}

impl LocationProperties<'_> {
    fn is_empty(&self) -> bool {
        self.pointer.is_none() && self.row.is_none() && self.field.is_none()
    }
}

/// The crate's homepage, or else its repository, if Cargo.toml names either.
fn information_uri() -> Option<&'static str> {
    [env!("CARGO_PKG_HOMEPAGE"), env!("CARGO_PKG_REPOSITORY")]
        .into_iter()
        .find(|uri| !uri.is_empty())
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// `duplicate-user-id` → `DuplicateUserId`: the rule's "friendly name" in SARIF's sense.
fn upper_camel_case(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for word in id.split('-') {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            out.push_str(chars.as_str());
        }
    }
    out
}

/// The first paragraph of a rule's explanation, its lines joined into one.
fn first_paragraph(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .skip_while(|line| line.is_empty())
        .take_while(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn descriptor(rule: Rule) -> Descriptor {
    let explanation = rule.explanation();
    Descriptor {
        id: rule.id(),
        name: upper_camel_case(rule.id()),
        short_description: Text::new(rule.summary()),
        full_description: Text::new(first_paragraph(explanation)),
        help: Help {
            text: explanation,
            markdown: explanation,
        },
        default_configuration: Configuration {
            level: level(rule.default_severity()),
        },
        properties: RuleProperties {
            tags: [rule.stage()],
        },
    }
}

/// A path as given, as a relative URI reference: `/` separators, and every byte that may not
/// stand in a URI path percent-encoded (a space is `%20`, `%` is `%25`, non-ASCII is its UTF-8
/// bytes). A colon before the first `/` is encoded too, lest `c:` read as a scheme.
fn uri(path: &str) -> String {
    // A backslash separates directories only on Windows; elsewhere it is part of a name.
    let path: Cow<'_, str> = if cfg!(windows) {
        path.replace('\\', "/").into()
    } else {
        path.into()
    };
    let first_slash = path.find('/').unwrap_or(path.len());
    let mut out = String::with_capacity(path.len());
    for (i, byte) in path.bytes().enumerate() {
        let allowed = byte.is_ascii_alphanumeric()
            || b"-._~!$&'()*+,;=@/".contains(&byte)
            || (byte == b':' && i > first_slash);
        if allowed {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// What a finding is about, in words that do not change when lines move: the JSON Pointer,
/// or the CSV row and column; empty for a finding about the file's bytes.
fn subject(location: &Location) -> String {
    match &location.anchor {
        Anchor::Value(pointer) | Anchor::Key(pointer) => pointer.clone(),
        Anchor::RepeatedKey {
            pointer,
            occurrence,
        } => format!("{pointer}#{occurrence}"),
        Anchor::Cell {
            row: Some(row),
            field: None,
            ..
        } => format!("{row}"),
        Anchor::Cell {
            row: Some(row),
            field: Some(field),
            ..
        } => format!("{row}:{field}"),
        Anchor::Cell { row: None, .. } => String::new(),
        Anchor::Offset(_) | Anchor::File => String::new(),
    }
}

/// Numbers artifacts, and keeps fingerprints unique within a file (a fingerprint names its
/// file, so they are unique within the run).
#[derive(Default)]
struct Builder {
    /// Every path of the check, in path order: an artifact each.
    artifacts: HashMap<String, usize>,
    /// Every fingerprint given so far in the file.
    fingerprints: HashSet<String>,
    /// Per fingerprint base, the last repeat number tried.
    repeats: HashMap<String, usize>,
}

impl Builder {
    fn new(paths: &[String]) -> Self {
        let mut artifacts = HashMap::new();
        for (index, path) in paths.iter().enumerate() {
            artifacts.entry(path.clone()).or_insert(index);
        }
        Builder {
            artifacts,
            ..Builder::default()
        }
    }

    fn artifact_location(&self, path: &str) -> ArtifactLocation {
        ArtifactLocation {
            uri: uri(path),
            index: self.artifacts.get(path).copied(),
        }
    }

    fn location<'a>(
        &self,
        location: &'a Location,
        id: Option<usize>,
        message: Option<&'a str>,
    ) -> SarifLocation<'a> {
        let region = match (location.start, &location.anchor) {
            (Some(start), _) => Some(Region {
                start_line: start.line,
                start_column: start.column,
                end_line: location.end.map(|end| end.line),
                end_column: location.end.map(|end| end.column),
            }),
            // A finding about the whole file stands at its start: GitHub code scanning shows
            // a result only with a start line (the SARIF Multitool's GH1003).
            (None, Anchor::File) => Some(Region {
                start_line: 1,
                start_column: 1,
                end_line: None,
                end_column: None,
            }),
            (None, _) => None,
        };
        SarifLocation {
            id,
            physical_location: PhysicalLocation {
                artifact_location: self.artifact_location(&location.file),
                region,
            },
            message: message.map(Text::new),
            properties: LocationProperties {
                pointer: location.pointer(),
                row: location.anchor.row(),
                field: location.anchor.field(),
            },
        }
    }

    /// `rule:uri:subject`, with `#2`, `#3`… on repeats so that no two results share one.
    fn fingerprint(&mut self, diagnostic: &Diagnostic) -> String {
        let base = format!(
            "{}:{}:{}",
            diagnostic.rule.id(),
            uri(&diagnostic.primary.file),
            subject(&diagnostic.primary)
        );
        let repeat = self.repeats.entry(base.clone()).or_insert(1);
        let mut fingerprint = base.clone();
        // A pointer may itself end in `#2`, so the fingerprint given is checked, not assumed.
        while !self.fingerprints.insert(fingerprint.clone()) {
            *repeat += 1;
            fingerprint = format!("{base}#{repeat}");
        }
        fingerprint
    }

    fn result<'a>(&mut self, diagnostic: &'a Diagnostic) -> SarifResult<'a> {
        let fingerprint = self.fingerprint(diagnostic);
        SarifResult {
            rule_id: diagnostic.rule.id(),
            // The driver lists `Rule::ALL`, the rules in the order they are declared.
            rule_index: diagnostic.rule as usize,
            level: level(diagnostic.severity),
            message: Text::new(diagnostic.message.as_str()),
            locations: [self.location(&diagnostic.primary, None, None)],
            related_locations: diagnostic
                .related
                .iter()
                .enumerate()
                .map(|(i, related)| {
                    self.location(&related.location, Some(i + 1), Some(&related.message))
                })
                .collect(),
            partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, fingerprint)]),
            properties: ResultProperties {
                help: diagnostic.help.as_deref(),
                schema_path: diagnostic.schema_path.as_deref(),
            },
        }
    }
}

/// What could not be checked, and what the walks left out, as notifications.
fn notifications(outcome: &Outcome) -> Vec<Notification> {
    let at = |path: &str| {
        let artifact_location = ArtifactLocation {
            uri: uri(path),
            index: None,
        };
        let physical_location = PhysicalLocation {
            artifact_location,
            region: None,
        };
        [SarifLocation {
            physical_location,
            ..SarifLocation::default()
        }]
    };
    let unreadable = outcome.unreadable.iter().map(|error| Notification {
        level: "error",
        message: Text::new(error.to_string()),
        locations: at(&error.path),
    });
    let skipped = outcome.skipped.iter().map(|skip| Notification {
        level: "note",
        message: Text::new(format!(
            "left out {}: {}",
            crate::text::escape(&skip.path),
            skip.reason.words(1)
        )),
        locations: at(&skip.path),
    });
    unreadable.chain(skipped).collect()
}

impl Report for Sarif {
    fn start(&mut self, start: &super::Start<'_>, out: &mut dyn Write) -> io::Result<()> {
        let mut log = Pretty::new();
        log.open_object(out)?;
        log.member(out, "$schema", &SCHEMA)?;
        log.member(out, "version", &SARIF_VERSION)?;
        log.key(out, "runs")?;
        log.open_array(out)?;
        log.open_object_item(out)?;
        let tool = Tool {
            driver: Driver {
                name: env!("CARGO_PKG_NAME"),
                version: env!("CARGO_PKG_VERSION"),
                information_uri: information_uri(),
                rules: Rule::ALL.iter().copied().map(descriptor).collect(),
            },
        };
        log.member(out, "tool", &tool)?;
        log.key(out, "results")?;
        log.open_array(out)?;
        self.log = Some(log);
        self.builder = Builder::new(start.paths);
        Ok(())
    }

    fn file(
        &mut self,
        file: &FileReport,
        _: Option<&crate::check::CrossChecked>,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let log = self.log.get_or_insert_with(Pretty::new);
        self.builder.fingerprints.clear();
        self.builder.repeats.clear();
        for diagnostic in &file.diagnostics {
            log.item(out, &self.builder.result(diagnostic))?;
        }
        Ok(())
    }

    fn finish(&mut self, outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
        let mut log = self.log.take().unwrap_or_else(Pretty::new);
        log.close(out, b']')?;
        // Every path given is an artifact, those that could not be read too (the
        // notifications say why): the results' artifact indexes are known before any file is
        // read.
        let mut artifacts: Vec<(&str, Option<FileKind>)> = outcome
            .files
            .iter()
            .map(|f| (f.path.as_str(), Some(f.kind)))
            .chain(
                outcome
                    .unreadable
                    .iter()
                    .map(|e| (e.path.as_str(), FileKind::from_extension(&e.path))),
            )
            .collect();
        artifacts.sort();
        let artifacts: Vec<Artifact> = artifacts
            .into_iter()
            .map(|(path, kind)| Artifact {
                location: ArtifactLocation {
                    uri: uri(path),
                    index: None,
                },
                roles: ["analysisTarget"],
                mime_type: kind.map(|kind| match kind {
                    FileKind::UsageReport => "application/json",
                    FileKind::UserReport => "text/csv",
                }),
            })
            .collect();
        log.member(out, "artifacts", &artifacts)?;
        let invocations = [Invocation {
            execution_successful: outcome.checked_everything(),
            tool_execution_notifications: notifications(outcome),
        }];
        log.member(out, "invocations", &invocations)?;
        // Columns count Unicode code points, as tuple-report's do (SARIF's default counts
        // UTF-16 code units, which differ after any character outside the Basic Multilingual
        // Plane).
        log.member(out, "columnKind", &"unicodeCodePoints")?;
        // Said only when names and emails are shown as hashes (`--redact`).
        if outcome.redacted {
            log.member(out, "properties", &serde_json::json!({ "redacted": true }))?;
        }
        log.close(out, b'}')?;
        log.close(out, b']')?;
        log.close(out, b'}')?;
        out.write_all(b"\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_relative_uri_references() {
        assert_eq!(uri("samples/valid/usage.json"), "samples/valid/usage.json");
        assert_eq!(uri("./my reports/a%b.json"), "./my%20reports/a%25b.json");
        assert_eq!(uri("q?#[x].csv"), "q%3F%23%5Bx%5D.csv");
        assert_eq!(uri("c:/x/a:b.json"), "c%3A/x/a:b.json");
        assert_eq!(uri("résumé.csv"), "r%C3%A9sum%C3%A9.csv");
        assert_eq!(uri("/tmp/usage.json"), "/tmp/usage.json");
    }

    #[test]
    fn fingerprints_stay_unique_when_subjects_repeat() {
        let mut builder = Builder::new(&["a b.json".to_owned()]);
        let anchors = [
            Anchor::Offset(1),
            Anchor::Offset(9),
            Anchor::Value("/x".into()),
            Anchor::Value("/x".into()),
            Anchor::Value("/x#2".into()),
        ];
        let prints: Vec<String> = anchors
            .into_iter()
            .map(|anchor| {
                builder.fingerprint(&Diagnostic::new(Rule::JsonSyntax, "a b.json", anchor, "m"))
            })
            .collect();
        assert_eq!(
            prints,
            [
                "json-syntax:a%20b.json:",
                "json-syntax:a%20b.json:#2",
                "json-syntax:a%20b.json:/x",
                "json-syntax:a%20b.json:/x#2",
                "json-syntax:a%20b.json:/x#2#2",
            ]
        );
    }

    #[test]
    fn names_and_descriptions_come_from_the_registry() {
        assert_eq!(upper_camel_case("duplicate-user-id"), "DuplicateUserId");
        assert_eq!(upper_camel_case("json-bom"), "JsonBom");
        assert_eq!(first_paragraph("\none\ntwo\n\nthree\n"), "one two");
    }
}
