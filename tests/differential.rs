//! A differential test of the schema verdicts: boon, a second draft-07 validator written
//! independently of jsonschema, must agree with tuple-report's schema findings on thousands of
//! generated and mutated reports: valid or not, and which keyword fails at which instance
//! path.
//!
//! Where the two disagree, one of them is wrong. Two disagreements were found: a local part of
//! 65 octets, which tuple-report passed and now fails (it was wrong), and an empty local part,
//! which boon passes (it is wrong). Each is pinned by a test below; reports holding boon's
//! are left out of the comparison, and nothing else may differ.

use std::collections::BTreeSet;

use boon::{Compiler, Draft, ErrorKind, SchemaIndex, Schemas, ValidationError};
use serde_json::{json, Value};
use tuple_report::generate::{write_usage_report, Spec};
use tuple_report::Checker;
use tuple_report::SCHEMA;

/// A finding of the schema: its keyword (tuple-report's rule) and the instance's pointer.
type Verdict = BTreeSet<(String, String)>;

struct Boon {
    schemas: Schemas,
    index: SchemaIndex,
}

impl Boon {
    fn new() -> Self {
        let mut schemas = Schemas::new();
        let mut compiler = Compiler::new();
        compiler.set_default_draft(Draft::V7);
        // Draft 7 leaves formats to the implementation; both are asked to assert them.
        compiler.enable_format_assertions();
        let schema: Value = serde_json::from_str(SCHEMA).expect("schema is JSON");
        compiler
            .add_resource("usage-report.schema.json", schema)
            .expect("schema added");
        let index = compiler
            .compile("usage-report.schema.json", &mut schemas)
            .expect("schema compiles");
        Boon { schemas, index }
    }

    fn verdict(&self, report: &Value) -> Verdict {
        fn leaves(error: &ValidationError<'_, '_>, out: &mut Verdict) {
            if error.causes.is_empty() {
                let rule = match &error.kind {
                    ErrorKind::Type { .. } => "schema-type",
                    ErrorKind::Format { .. } => "schema-format",
                    ErrorKind::Required { .. } => "schema-required",
                    ErrorKind::Minimum { .. } => "schema-minimum",
                    other => panic!("a keyword the schema does not use: {other:?}"),
                };
                out.insert((rule.to_owned(), error.instance_location.to_string()));
            }
            for cause in &error.causes {
                leaves(cause, out);
            }
        }
        let mut verdict = Verdict::new();
        if let Err(error) = self.schemas.validate(report, self.index) {
            leaves(&error, &mut verdict);
        }
        verdict
    }
}

/// tuple-report's schema findings: the keyword's rule and the pointer of the instance it
/// judges (for `required`, the object that lacks the property).
fn ours(report: &Value) -> Verdict {
    let text = report.to_string();
    let outcome = Checker::new()
        .as_of("2026-11-01T00:00:00Z".parse().unwrap())
        .check_bytes(&[("usage.json", text.as_bytes())]);
    outcome
        .diagnostics()
        .filter(|d| d.rule.id().starts_with("schema-"))
        .map(|d| {
            let pointer = d.primary.pointer().unwrap_or_default();
            (d.rule.id().to_owned(), pointer.to_owned())
        })
        .collect()
}

/// A small generated report, valid as generated.
fn base(seed: u64) -> Value {
    let spec = Spec {
        members: 3,
        calls: 4,
        seed,
        defects: Vec::new(),
    };
    let mut bytes = Vec::new();
    write_usage_report(&spec, &mut bytes).expect("generated");
    serde_json::from_slice(&bytes).expect("generated JSON")
}

/// Values a field may be given: every JSON type, edges of `integer` and `minimum`, and strings
/// at the edges of the three formats.
fn replacements() -> Vec<Value> {
    let mut values = vec![
        json!(null),
        json!(true),
        json!(0),
        json!(-1),
        json!(1.5),
        json!(1.0),
        json!(-0.0),
        json!(1e20),
        json!(""),
        json!([]),
        json!({}),
        json!([1]),
    ];
    let strings = [
        "2026-09-14T09:30:00Z",
        "2026-09-14T09:30:00.5+02:00",
        "2026-09-14t09:30:00z",
        "2026-02-30T09:30:00Z",
        "2026-09-14 09:30:00Z",
        "2026-09-14T24:00:00Z",
        "2026-09-14T09:30:00",
        "2026-9-14T09:30:00Z",
        "ann@example.com",
        "ann.lee+pairs@example.co.uk",
        "ann@",
        "@example.com",
        "ann@@example.com",
        "ann lee@example.com",
        "ann@example..com",
        "3f2b8a9e-4c1d-4e8b-9a7f-1b2c3d4e5f60",
        "3f2b8a9e4c1d4e8b9a7f1b2c3d4e5f60",
        "3f2b8a9e-4c1d-4e8b-9a7f-1b2c3d4e5f6",
        "call-7",
        "3F2B8A9E-4C1D-4E8B-9A7F-1B2C3D4E5F60",
        "2026-12-31T23:59:60Z",
        "2026-09-14T09:30:60Z",
        "\"ann lee\"@example.com",
        "ann@[192.0.2.1]",
        "ann@localhost",
    ];
    values.extend(strings.iter().map(|s| json!(s)));
    // Longer than RFC 5321 lets a mailbox be (64 octets of local part, 254 in all).
    values.push(json!(format!("{}@example.com", "a".repeat(65))));
    values.push(json!(format!("ann@{}.com", "b".repeat(251))));
    values
}

/// A fixed pseudo-random sequence, so that a failure is reproducible by its case number.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// One mutation of `report`: a field of a member, call or participant removed or replaced,
/// an undeclared one added, or a whole element replaced.
fn mutate(report: &mut Value, dice: &mut Dice, values: &[Value]) {
    const MEMBER: &[&str] = &[
        "user_id",
        "name",
        "email",
        "last_sign_in",
        "created_at",
        "last_call_at",
        "extra",
    ];
    const CALL: &[&str] = &[
        "call_id",
        "participants",
        "duration_minutes",
        "started_at",
        "ended_at",
        "extra",
    ];
    const PARTICIPANT: &[&str] = &["user_id", "name", "email", "duration_minutes", "extra"];
    let value = values[dice.roll(values.len())].clone();
    let remove = dice.roll(4) == 0;
    let (target, fields): (&mut Value, &[&str]) = match dice.roll(7) {
        0 => {
            let key = ["team_members", "calls"][dice.roll(2)];
            if remove {
                report.as_object_mut().unwrap().remove(key);
            } else {
                report[key] = value;
            }
            return;
        }
        1 | 2 => {
            let Some(members) = non_empty(&mut report["team_members"]) else {
                return;
            };
            let i = dice.roll(members.len());
            (&mut members[i], MEMBER)
        }
        3 | 4 => {
            let Some(calls) = non_empty(&mut report["calls"]) else {
                return;
            };
            let i = dice.roll(calls.len());
            (&mut calls[i], CALL)
        }
        _ => {
            let Some(calls) = non_empty(&mut report["calls"]) else {
                return;
            };
            let i = dice.roll(calls.len());
            let Some(participants) = calls[i].get_mut("participants").and_then(non_empty) else {
                return;
            };
            let p = dice.roll(participants.len());
            (&mut participants[p], PARTICIPANT)
        }
    };
    if dice.roll(12) == 0 {
        *target = value;
        return;
    }
    let Some(object) = target.as_object_mut() else {
        return;
    };
    let field = fields[dice.roll(fields.len())];
    if remove {
        object.remove(field);
    } else {
        object.insert(field.to_owned(), value);
    }
}

/// The elements of an array that has some.
fn non_empty(value: &mut Value) -> Option<&mut Vec<Value>> {
    value.as_array_mut().filter(|items| !items.is_empty())
}

/// Where the two validators are known to differ (see the tests below): such reports are left
/// out of the comparison.
fn known_disagreement(report: &Value) -> bool {
    let text = report.to_string();
    KNOWN
        .iter()
        .any(|(string, _)| text.contains(&format!("\"{string}\"")))
}

/// Strings the validators judge differently, and which is right.
const KNOWN: &[(&str, &str)] = &[(
    "@example.com",
    "boon passes an email with an empty local part; RFC 5322's local-part (a dot-atom, a \
     quoted string, or the obsolete words) is never empty, so boon is wrong",
)];

#[test]
fn boon_passes_an_empty_local_part_which_rfc_5322_does_not() {
    let boon = Boon::new();
    let mut report = base(1);
    report["team_members"][0]["email"] = json!("@example.com");
    assert!(
        boon.verdict(&report).is_empty(),
        "boon rejects it now: take it out of KNOWN"
    );
    let expected: Verdict = [(
        "schema-format".to_owned(),
        "/team_members/0/email".to_owned(),
    )]
    .into();
    assert_eq!(ours(&report), expected);
}

/// The other disagreement found, fixed in tuple-report: a local part longer than RFC 5321's
/// 64 octets passed, while boon (rightly, for an address a mail system must take) failed it.
#[test]
fn both_fail_a_local_part_longer_than_a_mailbox_may_have() {
    let boon = Boon::new();
    let mut report = base(1);
    report["team_members"][0]["email"] = json!(format!("{}@example.com", "a".repeat(65)));
    let expected: Verdict = [(
        "schema-format".to_owned(),
        "/team_members/0/email".to_owned(),
    )]
    .into();
    assert_eq!(boon.verdict(&report), expected);
    assert_eq!(ours(&report), expected);
}

#[test]
fn boon_and_tuple_report_agree_on_the_schema_verdicts() {
    let boon = Boon::new();
    let values = replacements();
    let mut dice = Dice(0x9e37_79b9_7f4a_7c15);
    let (mut compared, mut invalid) = (0, 0);
    let mut disagreements = Vec::new();
    for case in 0..3000 {
        let mut report = base(case % 50);
        for _ in 0..=dice.roll(3) {
            mutate(&mut report, &mut dice, &values);
        }
        if known_disagreement(&report) {
            continue;
        }
        let (theirs, ours) = (boon.verdict(&report), ours(&report));
        compared += 1;
        invalid += usize::from(!theirs.is_empty());
        if theirs != ours {
            let differing: Vec<String> = theirs
                .symmetric_difference(&ours)
                .map(|(rule, pointer)| {
                    format!(
                        "{rule} at {pointer}: {}",
                        report
                            .pointer(pointer)
                            .map_or("(absent)".into(), Value::to_string)
                    )
                })
                .collect();
            disagreements.push(format!(
                "case {case}: boon {theirs:?}, tuple-report {ours:?}; differing: {differing:?}"
            ));
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} disagreements, the first:\n{}",
        disagreements.len(),
        disagreements
            .iter()
            .take(50)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    // The mutations make both kinds, or the comparison would prove little.
    assert!(
        compared > 2000 && invalid > 1000 && compared - invalid > 300,
        "{compared} {invalid}"
    );
}
