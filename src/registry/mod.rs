//! The rule registry: the one list of everything tuple-report can report.
//!
//! `rules`, `rules ID`, every output format and the README's rule table are all built from
//! [`Rule::ALL`], so a rule exists in one place only. Ids are stable: CI configurations and
//! SARIF baselines refer to them, so an id is never renamed or reused.

use std::fmt;

use serde::Serialize;

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a rule sits in the flow of a check; serialized as its [`Stage::id`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stage {
    /// Reading the bytes: encoding, syntax, duplicate keys.
    Reading,
    /// The vendor's JSON Schema.
    Schema,
    /// Rules of the usage report that a schema cannot express.
    Report,
    /// The CSV user report on its own.
    UserReport,
    /// The CSV user report against the JSON usage report.
    CrossCheck,
}

impl Stage {
    /// Every stage, in the order of the flow (and of the registry).
    pub const ALL: [Stage; 5] = [
        Stage::Reading,
        Stage::Schema,
        Stage::Report,
        Stage::UserReport,
        Stage::CrossCheck,
    ];

    /// The stage's kebab-case id, as SARIF tags and the JSON output write it.
    pub fn id(self) -> &'static str {
        match self {
            Stage::Reading => "reading",
            Stage::Schema => "schema",
            Stage::Report => "report",
            Stage::UserReport => "user-report",
            Stage::CrossCheck => "cross-check",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Stage::Reading => "Reading the file",
            Stage::Schema => "Schema rules",
            Stage::Report => "Report rules",
            Stage::UserReport => "The CSV user report",
            Stage::CrossCheck => "Cross-check of the CSV and the JSON",
        }
    }
}

impl Serialize for Stage {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

macro_rules! registry {
    ($($variant:ident => $id:literal, $severity:ident, $stage:ident, $summary:literal;)+) => {
        /// A rule, named by its stable kebab-case id.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Rule { $($variant,)+ }

        impl Rule {
            /// Every rule, in the order `rules` lists them.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant,)+];

            /// The stable id, as shown in every output and accepted on the command line.
            pub fn id(self) -> &'static str {
                match self { $(Rule::$variant => $id,)+ }
            }

            /// The severity a finding of this rule has unless configured otherwise.
            pub fn default_severity(self) -> Severity {
                match self { $(Rule::$variant => Severity::$severity,)+ }
            }

            pub fn stage(self) -> Stage {
                match self { $(Rule::$variant => Stage::$stage,)+ }
            }

            /// One line: what the rule reports.
            pub fn summary(self) -> &'static str {
                match self { $(Rule::$variant => $summary,)+ }
            }

            /// The long documentation: what, why, an example and the fix.
            pub fn explanation(self) -> &'static str {
                match self { $(Rule::$variant => include_str!(concat!("explain/", $id, ".md")),)+ }
            }
        }
    };
}

registry! {
    JsonSyntax => "json-syntax", Error, Reading, "the file is not well-formed JSON";
    JsonEncoding => "json-encoding", Error, Reading, "the file is not UTF-8";
    JsonBom => "json-bom", Warning, Reading, "the file starts with a UTF-8 byte order mark";
    JsonDuplicateKey => "json-duplicate-key", Error, Reading, "an object holds the same key twice";
    SchemaType => "schema-type", Error, Schema, "a value has the wrong JSON type";
    SchemaRequired => "schema-required", Error, Schema, "a required property is missing";
    SchemaFormat => "schema-format", Error, Schema, "a string is not a valid email, date-time or uuid";
    SchemaMinimum => "schema-minimum", Error, Schema, "a number is below the schema's minimum";
    UnknownField => "unknown-field", Warning, Schema, "a property the schema does not declare at that place";
    DuplicateUserId => "duplicate-user-id", Error, Report, "two team members share a user_id";
    DuplicateEmail => "duplicate-email", Error, Report, "two team members share an email address";
    DuplicateCallId => "duplicate-call-id", Error, Report, "two calls share a call_id";
    CallEndsBeforeStart => "call-ends-before-start", Error, Report, "a call's ended_at is before its started_at";
    CallDurationMismatch => "call-duration-mismatch", Warning, Report, "a call's duration_minutes disagrees with its start and end";
    ParticipantExceedsCall => "participant-exceeds-call", Error, Report, "a participant stayed longer than the call lasted";
    DuplicateParticipant => "duplicate-participant", Error, Report, "the same user takes part twice in one call";
    EmptyCall => "empty-call", Warning, Report, "a call has no participants";
    UnknownParticipant => "unknown-participant", Warning, Report, "a participant is not among the team members";
    ParticipantMismatch => "participant-mismatch", Warning, Report, "a participant's name, email or user_id differs from the team member's";
    LastCallStale => "last-call-stale", Error, Report, "a member's last_call_at is older than a call they took part in";
    LastCallUnmatched => "last-call-unmatched", Warning, Report, "a member's last_call_at matches none of their calls";
    BeforeAccountCreated => "before-account-created", Warning, Report, "activity dated before the member's account was created";
    CallOutsideWindow => "call-outside-window", Warning, Report, "a call started more than six months before the as-of time";
    FutureTimestamp => "future-timestamp", Error, Report, "a timestamp lies after the as-of time";
    NoTeamMembers => "no-team-members", Error, Report, "the usage report lists no team members";
    CsvSyntax => "csv-syntax", Error, UserReport, "the CSV is malformed: an unterminated quote, or a row of the wrong length";
    CsvEncoding => "csv-encoding", Error, UserReport, "the CSV is not UTF-8";
    CsvSeparator => "csv-separator", Error, UserReport, "the cells are separated by semicolons or tabs, not commas";
    CsvHeader => "csv-header", Error, UserReport, "a required column is missing (or misspelt), or a column is named twice";
    CsvUnknownColumn => "csv-unknown-column", Warning, UserReport, "a column the vendor's page does not describe";
    CsvNoRows => "csv-no-rows", Error, UserReport, "the user report has a header and no rows";
    CsvNoRoleColumn => "csv-no-role-column", Info, UserReport, "the CSV has no Role column, as older four-column exports";
    CsvMissingValue => "csv-missing-value", Error, UserReport, "Email, Name or Account created date is empty";
    CsvInvalidEmail => "csv-invalid-email", Error, UserReport, "an Email cell is not an email address";
    CsvInvalidDate => "csv-invalid-date", Error, UserReport, "a date cell is in none of the accepted forms";
    CsvInvalidRole => "csv-invalid-role", Error, UserReport, "a Role is neither empty, Team Manager nor Team Owner";
    CsvTeamOwner => "csv-team-owner", Warning, UserReport, "the Role column names no Team Owner, or more than one";
    CsvDuplicateEmail => "csv-duplicate-email", Error, UserReport, "two rows share an email address";
    CsvFormula => "csv-formula", Warning, UserReport, "a cell a spreadsheet would run as a formula";
    UnpairedReport => "unpaired-report", Info, CrossCheck, "a report was checked without its partner, so nothing was cross-checked";
    DifferentTeams => "different-teams", Error, CrossCheck, "no row of the user report is a member of the usage report: two teams' files";
    MissingFromCsv => "missing-from-csv", Error, CrossCheck, "a team member of the JSON has no CSV row";
    MissingFromJson => "missing-from-json", Error, CrossCheck, "a CSV row has no team member in the JSON";
    NameMismatch => "name-mismatch", Error, CrossCheck, "a CSV Name differs from the member's name";
    CreatedAtMismatch => "created-at-mismatch", Error, CrossCheck, "Account created date differs from created_at";
    LastCallMismatch => "last-call-mismatch", Error, CrossCheck, "Last pairing session date differs from last_call_at";
}

impl Rule {
    /// The "Rests on:" paragraph of the rule's page: what the rule rests on, the vendor's
    /// schema, a sentence of its pages, or an inference of ours.
    pub fn rests_on(self) -> String {
        self.explanation()
            .lines()
            .skip_while(|line| !line.starts_with("Rests on:"))
            .take_while(|line| !line.trim().is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Whether the rule rests, in part, on an inference of ours rather than only on the
    /// schema or the vendor's words: its findings then say that a correct export that trips
    /// it is worth reporting. Read from the rule's page, once.
    pub fn rests_on_inference(self) -> bool {
        static INFERRED: std::sync::OnceLock<Vec<bool>> = std::sync::OnceLock::new();
        let inferred = INFERRED.get_or_init(|| {
            Rule::ALL
                .iter()
                .map(|rule| rule.rests_on().contains("infer"))
                .collect()
        });
        // `Rule::ALL` lists the rules in the order they are declared.
        inferred[self as usize]
    }

    /// The rule with this id, if any.
    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|rule| rule.id() == id)
    }

    /// The rule reporting a failure of this schema keyword.
    ///
    /// `None` for a keyword that has no rule; the embedded schema uses only keywords that do,
    /// which `every_schema_keyword_has_a_rule` pins.
    pub fn for_schema_keyword(keyword: &str) -> Option<Rule> {
        match keyword {
            "type" => Some(Rule::SchemaType),
            "required" => Some(Rule::SchemaRequired),
            "format" => Some(Rule::SchemaFormat),
            "minimum" => Some(Rule::SchemaMinimum),
            _ => None,
        }
    }

    /// The registered id closest to `id`, for "did you mean" hints.
    pub fn closest(id: &str) -> Option<Rule> {
        Rule::ALL
            .iter()
            .copied()
            .map(|rule| (crate::text::edit_distance(id, rule.id()), rule))
            .filter(|(distance, _)| *distance <= 3)
            .min_by_key(|(distance, _)| *distance)
            .map(|(_, rule)| rule)
    }
}

/// The rule table of the README, in Markdown: the registry is its only source, and a test
/// keeps the README in step.
pub fn markdown_table() -> String {
    let mut out = String::from("| rule | severity | stage | reports |\n|---|---|---|---|\n");
    for rule in Rule::ALL {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            rule.id(),
            rule.default_severity(),
            rule.stage().title().to_lowercase(),
            rule.summary()
        ));
    }
    out
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_are_unique_kebab_case() {
        let mut seen = HashSet::new();
        for rule in Rule::ALL {
            assert!(seen.insert(rule.id()), "duplicate id {}", rule.id());
            assert!(
                rule.id()
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-'),
                "{} is not kebab-case",
                rule.id()
            );
            assert_eq!(Rule::from_id(rule.id()), Some(*rule));
        }
    }

    #[test]
    fn every_rule_is_documented() {
        for rule in Rule::ALL {
            let text = rule.explanation();
            assert!(text.contains("Example"), "{} has no example", rule.id());
            assert!(text.contains("Fix"), "{} has no fix", rule.id());
            assert!(!rule.summary().ends_with('.'), "{}", rule.id());
        }
    }

    /// No real export has been seen, so every page says what its rule rests on (the schema, a
    /// sentence of the vendor's page, or an inference of ours), before its example; a rule
    /// that rests on an inference asks for a correct export that trips it to be reported.
    #[test]
    fn every_rule_says_what_it_rests_on() {
        for rule in Rule::ALL {
            let text = rule.explanation();
            let lines: Vec<&str> = text.lines().collect();
            let rests = lines.iter().position(|line| line.starts_with("Rests on:"));
            let example = lines.iter().position(|line| line.starts_with("Example:"));
            let (Some(rests), Some(example)) = (rests, example) else {
                panic!(
                    "{} needs a \"Rests on:\" line and an \"Example:\" line",
                    rule.id()
                );
            };
            assert!(
                rests < example,
                "{}: \"Rests on:\" comes after the example",
                rule.id()
            );
            let paragraph = rule.rests_on();
            if paragraph.contains("infer") {
                assert!(
                    paragraph.contains("worth reporting"),
                    "{} rests on an inference but does not ask for a correct export that trips it",
                    rule.id()
                );
            }
        }
    }

    #[test]
    fn closest_suggests_near_misses_only() {
        assert_eq!(Rule::closest("duplicate-user"), Some(Rule::DuplicateUserId));
        assert_eq!(Rule::closest("json-syntx"), Some(Rule::JsonSyntax));
        assert_eq!(Rule::closest("empty-calls"), Some(Rule::EmptyCall));
        assert_eq!(Rule::closest("nothing-like-it"), None);
    }
}
