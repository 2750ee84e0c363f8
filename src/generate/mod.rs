//! A deterministic generator of realistic, valid report pairs (a JSON usage report and a CSV
//! user report), with optional planted defects: benchmark input, and test data whose every
//! finding is known in advance.
//!
//! Everything is a function of the [`Spec`]: the same spec gives the same bytes on every
//! machine and version. Members and calls are each generated from the seed and their index
//! alone (a counter-based generator), so a report is written in two passes over the calls (the
//! members, written first, need each one's latest call) without holding them: memory grows
//! with the members (a few bytes each), not with the calls.
//!
//! The data is built around [`ANCHOR`]: accounts are created in the two years before
//! `ANCHOR` − 200 days, calls take place on weekdays, in working hours (UTC), from `ANCHOR`
//! − 170 days to `ANCHOR` − 1 day, and every timestamp lies before `ANCHOR`. Check a
//! generated pair with `--as-of` set to it.

mod clock;
mod csv;
mod json;
mod names;
mod placing;
mod plan;
mod rng;

use std::fmt;
use std::io::{self, Write};

use crate::Rule;
use plan::Plan;

/// The fixed time the data is generated around (callers pass it as --as-of in tests).
pub const ANCHOR: &str = "2026-11-01T00:00:00Z";

/// The rules a defect can be planted for, each so that it is the only finding. What is
/// planted, and where it is reported:
///
/// | rule | planted | reported at |
/// |---|---|---|
/// | `json-duplicate-key` | a call's `call_id` written twice | the second key |
/// | `schema-type` | a call's `duration_minutes` as a string | it |
/// | `schema-required` | a call without `duration_minutes` | the call's `{` |
/// | `schema-format` | a call_id `call-<n>` | it |
/// | `schema-minimum` | the first participant's `duration_minutes` -1 | it |
/// | `unknown-field` | a call's extra key `duration` | the key |
/// | `duplicate-user-id` | a member given the previous member's user_id (neither takes part in calls) | the later user_id |
/// | `duplicate-email` | a member given the previous member's email in upper case | the later email |
/// | `duplicate-call-id` | a call given the previous call's call_id | the later call_id |
/// | `call-ends-before-start` | a call's `ended_at` an hour before `started_at` | `ended_at` |
/// | `call-duration-mismatch` | a call's `duration_minutes` 10 more than it lasted | it |
/// | `participant-exceeds-call` | the last participant's `duration_minutes` the call's + 5 | it |
/// | `duplicate-participant` | the first participant listed again at the end | its user_id |
/// | `empty-call` | `"participants": []` | it |
/// | `unknown-participant` | an extra participant who is not a member | its user_id |
/// | `participant-mismatch` | the first participant under another last name | the name |
/// | `last-call-stale` | a member's `last_call_at` a day before their latest call (the CSV agrees) | it |
/// | `before-account-created` | a member's `last_sign_in` a day before `created_at` | it |
/// | `future-timestamp` | a member's `last_sign_in` in 2099 | it |
/// | `csv-missing-value` | a row's empty Name | its row |
/// | `csv-invalid-date` | a row's Account created date `14/09/2026` | its row |
/// | `csv-invalid-role` | a row's Role `Admin` | its row |
/// | `csv-formula` | a member whose name starts with `=`, in both files | its row |
/// | `missing-from-csv` | a member without a row | the member's email |
/// | `missing-from-json` | an extra row of someone not on the team, after a member's | that row |
/// | `name-mismatch` | a row's Name under another last name | its row |
/// | `created-at-mismatch` | a row's Account created date a day late | its row |
/// | `last-call-mismatch` | a row's Last pairing session date emptied (or filled in for a member who never paired) | its row |
pub const SUPPORTED: &[Rule] = &[
    Rule::JsonDuplicateKey,
    Rule::SchemaType,
    Rule::SchemaRequired,
    Rule::SchemaFormat,
    Rule::SchemaMinimum,
    Rule::UnknownField,
    Rule::DuplicateUserId,
    Rule::DuplicateEmail,
    Rule::DuplicateCallId,
    Rule::CallEndsBeforeStart,
    Rule::CallDurationMismatch,
    Rule::ParticipantExceedsCall,
    Rule::DuplicateParticipant,
    Rule::EmptyCall,
    Rule::UnknownParticipant,
    Rule::ParticipantMismatch,
    Rule::LastCallStale,
    Rule::BeforeAccountCreated,
    Rule::FutureTimestamp,
    Rule::CsvMissingValue,
    Rule::CsvInvalidDate,
    Rule::CsvInvalidRole,
    Rule::CsvFormula,
    Rule::MissingFromCsv,
    Rule::MissingFromJson,
    Rule::NameMismatch,
    Rule::CreatedAtMismatch,
    Rule::LastCallMismatch,
];

/// What to generate.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Spec {
    /// Team members, with user_ids from 1001 up.
    pub members: usize,
    pub calls: usize,
    pub seed: u64,
    /// Planted in the order given; each on an element of its own.
    pub defects: Vec<Defect>,
}

/// Where in its array a defect goes: the first element, the one at half the length, or the
/// last. When another defect already took that element, the nearest free one is used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    Start,
    Middle,
    End,
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Place::Start => "start",
            Place::Middle => "middle",
            Place::End => "end",
        })
    }
}

/// A defect to plant: a rule, and where.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Defect {
    pub rule: Rule,
    pub place: Place,
}

impl Defect {
    /// `RULE` or `RULE@start|middle|end` (the place defaults to middle).
    pub fn parse(text: &str) -> Result<Defect, String> {
        let (id, place) = match text.split_once('@') {
            Some((id, place)) => (id, Some(place)),
            None => (text, None),
        };
        let place = match place {
            None | Some("middle") => Place::Middle,
            Some("start") => Place::Start,
            Some("end") => Place::End,
            Some(other) => {
                return Err(format!(
                    "unknown place {other:?} in defect {text:?}: the place is start, middle or end"
                ))
            }
        };
        let supported = || {
            SUPPORTED
                .iter()
                .map(|rule| rule.id())
                .collect::<Vec<_>>()
                .join(", ")
        };
        match Rule::from_id(id) {
            Some(rule) if SUPPORTED.contains(&rule) => Ok(Defect { rule, place }),
            Some(rule) => Err(format!(
                "a defect of rule {} cannot be planted; the supported rules are: {}",
                rule.id(),
                supported()
            )),
            None => Err(format!(
                "unknown rule {id:?} in defect {text:?}; the supported rules are: {}",
                supported()
            )),
        }
    }
}

impl fmt::Display for Defect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.rule.id(), self.place)
    }
}

/// A planted defect: where tuple-report must report it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Planted {
    pub rule: Rule,
    pub file: GeneratedFile,
    /// The 1-based line of the finding.
    pub line: usize,
}

/// Which of the two generated files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GeneratedFile {
    UsageReport,
    UserReport,
}

/// Writes the JSON usage report; returns the defects planted in it, in the order of the file.
///
/// Fails with [`io::ErrorKind::InvalidInput`] when the spec cannot be met: calls but no
/// member to take part, or a defect that needs more members or calls than there are.
pub fn write_usage_report(spec: &Spec, out: &mut impl Write) -> io::Result<Vec<Planted>> {
    json::write(&Plan::new(spec)?, out)
}

/// Writes the CSV user report; returns the defects planted in it, in the order of the file.
///
/// Fails as [`write_usage_report`] does.
pub fn write_user_report(spec: &Spec, out: &mut impl Write) -> io::Result<Vec<Planted>> {
    csv::write(&Plan::new(spec)?, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_anchor_is_the_plan_s() {
        let mut text = String::new();
        clock::push_rfc3339(&mut text, plan::ANCHOR);
        assert_eq!(text, ANCHOR);
    }

    #[test]
    fn defects_parse() {
        assert_eq!(
            Defect::parse("empty-call@start"),
            Ok(Defect {
                rule: Rule::EmptyCall,
                place: Place::Start
            })
        );
        assert_eq!(
            Defect::parse("empty-call").map(|d| d.place),
            Ok(Place::Middle)
        );
        assert_eq!(
            Defect::parse("empty-call@end").map(|d| d.to_string()),
            Ok("empty-call@end".to_owned())
        );
        let unknown = Defect::parse("empty-cal").unwrap_err();
        assert!(unknown.contains("duplicate-user-id"), "{unknown}");
        let unsupported = Defect::parse("json-syntax").unwrap_err();
        assert!(unsupported.contains("cannot be planted"), "{unsupported}");
        assert!(Defect::parse("empty-call@top").is_err());
    }

    #[test]
    fn every_supported_rule_can_be_planted() {
        for &rule in SUPPORTED {
            let spec = Spec {
                members: 10,
                calls: 10,
                seed: 1,
                defects: vec![Defect {
                    rule,
                    place: Place::End,
                }],
            };
            assert!(Plan::new(&spec).is_ok(), "{}", rule.id());
        }
    }
}
