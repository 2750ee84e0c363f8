//! The vendor's published JSON Schema, embedded and compiled once.
//!
//! The top level (with `team_members`) is validated against the whole schema; each call is
//! validated on its own against the schema's own `calls.items` sub-schema, as it streams by.
//! Both come from one compiled [`jsonschema::ValidatorMap`], so the check stays driven by the
//! schema as published.

pub mod formats;
mod messages;
mod unknown;

use std::sync::OnceLock;

use jsonschema::{Draft, Validator, ValidatorMap};
use serde_json::Value;

use crate::diagnostic::Diagnostic;

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
            out.push(messages::finding(&error, "", "", None, scope));
        }
        let root = unknown::Path::At("");
        unknown::check(&self.shape, skeleton, &root, scope, None, out);
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
                out.push(messages::finding(
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
