//! The vendor's published JSON Schema, embedded and compiled once.
//!
//! The top level (with `team_members`) is validated against the whole schema; each call is
//! validated on its own against the schema's own `calls.items` sub-schema, as it streams by.
//! Both come from one compiled [`jsonschema::ValidatorMap`], so the check stays driven by the
//! schema as published. Whether a call needs that validation at all is first asked of what the
//! call reader took from it ([`call`]), which may only pass a call jsonschema would.

use crate::formats;
mod call;
mod diags;
mod unknown;

use std::sync::OnceLock;

use jsonschema::{Draft, Validator, ValidatorMap};
use serde_json::Value;

use crate::diagnostic::Diagnostic;
use crate::parse::call::{CallFacts, ParticipantFacts};
use crate::parse::tape::TapeNode;

/// The schema exactly as the vendor's "Exporting Team Usage" page gives it.
pub const SOURCE: &str = include_str!("../../schema/usage-report.schema.json");

/// Where the schema describes one call.
pub const CALL_SCHEMA: &str = "/properties/calls/items";
/// Its key in the [`ValidatorMap`].
const CALL_VALIDATOR: &str = "#/properties/calls/items";

pub struct UsageSchema {
    document: Value,
    validators: ValidatorMap,
    /// What the schema declares where, for `unknown-field`: at the top, and for a call.
    shape: unknown::Shape,
    call_shape: Option<unknown::Shape>,
}

/// The compiled schema, built on first use.
pub fn usage_schema() -> &'static UsageSchema {
    static SCHEMA: OnceLock<UsageSchema> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        // Both can only fail if the embedded file were edited; its SHA-256 is pinned by a test.
        let document: Value = serde_json::from_str(SOURCE).expect("embedded schema is JSON");
        let validators = jsonschema::options()
            .with_draft(Draft::Draft7)
            .should_validate_formats(true)
            .with_format("email", formats::is_email)
            .with_format("date-time", formats::is_date_time)
            .with_format("uuid", formats::is_uuid)
            .build_map(&document)
            .expect("embedded schema compiles");
        let shape = unknown::Shape::of(&document);
        let call_shape = document.pointer(CALL_SCHEMA).map(unknown::Shape::of);
        UsageSchema {
            document,
            validators,
            shape,
            call_shape,
        }
    })
}

/// What a schema check needs to word its findings.
pub struct Scope<'a> {
    pub file: &'a str,
    /// The report's `team_members`, for the user_ids that name a member.
    pub members: Option<&'a Value>,
}

impl UsageSchema {
    pub fn document(&self) -> &Value {
        &self.document
    }

    /// The compiled validator of the subschema at `key` (a URI fragment such as `#/…`).
    fn validator(&self, key: &str) -> &Validator {
        self.validators
            .get(key)
            .expect("the schema map holds every subschema")
    }

    /// Checks the top level: everything but the calls, which [`Self::check_call`] checks.
    pub fn check_top_level(&self, skeleton: &Value, scope: &Scope<'_>, out: &mut Vec<Diagnostic>) {
        for error in self.validator("#").iter_errors(skeleton) {
            out.push(diags::finding(&error, "", "", None, scope));
        }
        let root = unknown::Path::At("");
        unknown::check(&self.shape, skeleton, &root, scope, None, out);
    }

    /// Whether [`Self::check_call`] would find nothing in this call: it is valid against
    /// `calls.items` and has no property the schema does not declare. Asked of what the call
    /// reader took from the call's tape (`facts`, its participants in `participants`), which
    /// is much cheaper than building its `Value` (see [`call`]).
    ///
    /// When the reader met only keys it reads ([`crate::parse::call::CALL_KEYS`] and
    /// `PARTICIPANT_KEYS`), all of which the schema declares (a test pins that), the walk for
    /// undeclared properties is skipped.
    pub fn call_is_clean(
        &self,
        call: TapeNode<'_>,
        facts: &CallFacts<'_>,
        participants: &[ParticipantFacts<'_>],
    ) -> bool {
        call::conforms(facts, participants)
            && (facts.only_known_keys
                || self
                    .call_shape
                    .as_ref()
                    .is_none_or(|shape| shape.declares_all(call)))
    }

    /// Checks one call against `calls.items`.
    pub fn check_call(
        &self,
        index: usize,
        call: &Value,
        scope: &Scope<'_>,
        out: &mut Vec<Diagnostic>,
    ) {
        let validator = self.validator(CALL_VALIDATOR);
        // Nearly every call is valid, and asking whether is much cheaper than listing errors.
        if !validator.is_valid(call) {
            let pointer = format!("/calls/{index}");
            for error in validator.iter_errors(call) {
                out.push(diags::finding(
                    &error,
                    &pointer,
                    CALL_SCHEMA,
                    Some(call),
                    scope,
                ));
            }
        }
        if let Some(shape) = &self.call_shape {
            let calls = unknown::Path::At("/calls");
            unknown::check(
                shape,
                call,
                &unknown::Path::Index(&calls, index),
                scope,
                Some(call),
                out,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::Rule;
    use serde_json::json;

    fn rules_for_call(call: Value) -> Vec<(Rule, String)> {
        let mut out = Vec::new();
        let scope = Scope {
            file: "f.json",
            members: None,
        };
        usage_schema().check_call(6, &call, &scope, &mut out);
        out.iter()
            .map(|d| (d.rule, d.primary.pointer().unwrap_or_default().to_owned()))
            .collect()
    }

    fn call(call_id: &str) -> Value {
        json!({
            "call_id": call_id,
            "participants": [],
            "duration_minutes": 5,
            "started_at": "2026-09-14T09:30:00Z",
            "ended_at": "2026-09-14T09:35:00Z"
        })
    }

    #[test]
    fn a_call_id_that_is_not_a_uuid_fails() {
        assert_eq!(
            rules_for_call(call("call-7")),
            [(Rule::SchemaFormat, "/calls/6/call_id".to_owned())]
        );
        assert!(rules_for_call(call("3f2b8a9e-4c1d-4e8b-9a7f-1b2c3d4e5f60")).is_empty());
    }

    #[test]
    fn formats_are_asserted_strictly() {
        let mut value = call("3f2b8a9e-4c1d-4e8b-9a7f-1b2c3d4e5f60");
        value["started_at"] = json!("2026-09-14 09:30:00Z");
        value["participants"] =
            json!([{"user_id": 1, "name": "A", "email": "a@", "duration_minutes": 1}]);
        assert_eq!(
            rules_for_call(value),
            [
                (
                    Rule::SchemaFormat,
                    "/calls/6/participants/0/email".to_owned()
                ),
                (Rule::SchemaFormat, "/calls/6/started_at".to_owned()),
            ]
        );
    }

    /// `call_is_clean` decides, for nearly every call, that `check_call` is not needed: it
    /// must never say so of a call with a finding, or the finding would be lost; and it must
    /// say so of the calls a real report is made of, or each would be validated twice.
    #[test]
    fn a_call_is_clean_exactly_when_its_value_has_no_finding() {
        let participant =
            json!({"user_id": 7, "name": "A", "email": "a@example.com", "duration_minutes": 4});
        let base = call("3f2b8a9e-4c1d-4e8b-9a7f-1b2c3d4e5f60");
        let mut variants = vec![base.clone()];
        let mut with = |field: &str, value: Value| {
            let mut call = base.clone();
            call[field] = value;
            variants.push(call);
        };
        with("participants", json!([participant.clone()]));
        for value in [
            json!(null),
            json!(1.0),
            json!(1.5),
            json!(-1),
            json!(-1.0),
            json!("5"),
            json!(1e300),
            json!(-1e300),
            json!(-0.0),
            json!(u64::MAX),
            json!(i64::MIN),
            json!(0),
        ] {
            with("duration_minutes", value);
        }
        for value in [
            json!("2026-09-14T09:30:00"),
            json!("2026-02-30T09:30:00Z"),
            json!(0),
            json!("2026-09-14t09:30:00z"),
        ] {
            with("started_at", value);
        }
        for value in [
            json!("call-7"),
            json!("3F2B8A9E-4C1D-4E8B-9A7F-1B2C3D4E5F60"),
            json!(["x"]),
        ] {
            with("call_id", value);
        }
        with("extra", json!(1));
        with("participants", json!({}));
        with("participants", json!([1, "x", null]));
        for (field, value) in [
            ("user_id", json!(7.0)),
            ("user_id", json!(7.5)),
            ("user_id", json!(-7)),
            ("user_id", json!(u64::MAX)),
            ("user_id", json!(1e300)),
            ("user_id", json!("7")),
            ("email", json!("a@")),
            ("email", json!(null)),
            ("name", json!(3)),
            ("duration_minutes", json!(-2)),
            ("duration_minutes", json!(2.0)),
            ("duration_minutes", json!(1e300)),
            ("duration_minutes", json!(null)),
            ("role", json!("owner")),
        ] {
            let mut changed = participant.clone();
            changed[field] = value;
            with("participants", json!([participant.clone(), changed]));
        }
        for field in [
            "call_id",
            "participants",
            "duration_minutes",
            "started_at",
            "ended_at",
        ] {
            let mut call = base.clone();
            call.as_object_mut().unwrap().remove(field);
            variants.push(call);
        }
        let mut without = participant.clone();
        without.as_object_mut().unwrap().remove("email");
        variants.push(json!({"participants": [without]}));
        variants.extend([json!([]), json!("call"), json!(null), json!({})]);

        let scope = Scope {
            file: "f.json",
            members: None,
        };
        // Numbers no `i64` holds are valid integers to the schema, but the facts reader does
        // not read them: such a call is left to jsonschema (slower, never wrong).
        let beyond_i64 = |text: &str| {
            ["1e+300", "18446744073709551615"]
                .iter()
                .any(|n| text.contains(n))
        };
        let (mut clean, mut left_to_jsonschema) = (0, 0);
        for call in &variants {
            let text = call.to_string();
            let mut tape = crate::parse::tape::Tape::new();
            tape.read(&text).unwrap();
            let mut found = Vec::new();
            usage_schema().check_call(0, call, &scope, &mut found);
            let root = tape.root().unwrap();
            // Something in the list already, as when the call is not the first of its batch.
            let mut participants = vec![ParticipantFacts::default()];
            let mut facts = CallFacts::read(&text, root, &mut participants);
            let quick = usage_schema().call_is_clean(root, &facts, &participants);
            // And with the walk for undeclared properties, whatever the keys.
            facts.only_known_keys = false;
            let walked = usage_schema().call_is_clean(root, &facts, &participants);
            assert_eq!(quick, walked, "{text}");
            if quick {
                assert!(found.is_empty(), "{text}: {found:?}");
            } else if found.is_empty() {
                assert!(beyond_i64(&text), "{text} is valid but not clean");
                left_to_jsonschema += 1;
            }
            clean += usize::from(quick);
        }
        // Both kinds are among the variants, or the test would prove little.
        assert!(clean >= 8 && clean < variants.len() - 20, "{clean}");
        assert_eq!(left_to_jsonschema, 5);
    }

    /// The facts reader's word that a call holds only keys it reads lets `call_is_clean`
    /// skip the walk for undeclared properties: so every key it reads must be declared, at
    /// its place, by the schema.
    #[test]
    fn every_key_the_facts_reader_knows_is_declared() {
        let document = &usage_schema().document;
        let call = &document["properties"]["calls"]["items"];
        let participant = &call["properties"]["participants"]["items"];
        for (place, keys) in [
            (call, &crate::parse::call::CALL_KEYS[..]),
            (participant, &crate::parse::call::PARTICIPANT_KEYS[..]),
        ] {
            for key in keys {
                assert!(
                    place["properties"].get(key).is_some(),
                    "{key} is not declared"
                );
            }
        }
    }

    #[test]
    fn every_schema_keyword_has_a_rule() {
        // Keywords that only structure the schema, and can fail only through those below them.
        const STRUCTURAL: &[&str] = &["$schema", "properties", "items"];
        fn walk(schema: &Value, found: &mut Vec<String>) {
            if let Value::Object(map) = schema {
                for (keyword, value) in map {
                    if !STRUCTURAL.contains(&keyword.as_str()) {
                        found.push(keyword.clone());
                    }
                    match keyword.as_str() {
                        "properties" => value
                            .as_object()
                            .into_iter()
                            .flat_map(|p| p.values())
                            .for_each(|s| walk(s, found)),
                        "items" => walk(value, found),
                        _ => {}
                    }
                }
            }
        }
        let mut keywords = Vec::new();
        walk(usage_schema().document(), &mut keywords);
        keywords.sort();
        keywords.dedup();
        assert_eq!(keywords, ["format", "minimum", "required", "type"]);
        for keyword in keywords {
            assert!(
                Rule::for_schema_keyword(&keyword).is_some(),
                "{keyword} has no rule"
            );
        }
    }
}
