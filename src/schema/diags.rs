//! Schema findings in words, all of them: `team member 4 (user_id 504) has no "email"`, and
//! the properties the schema does not declare.

use jsonschema::error::ValidationErrorKind;
use jsonschema::ValidationError;
use serde_json::Value;

use super::{usage_schema, Scope};
use crate::describe::{kind_of, place, type_name};
use crate::diagnostic::{Anchor, Diagnostic};
use crate::registry::Rule;
use crate::text::personal::json_string;
use crate::text::{edit_distance, pointer_tokens, quote};

/// The diagnostic for one error of the validator at `schema_prefix`, which validated the
/// value at `instance_prefix` (`call`, when that value is a call).
pub(super) fn finding(
    error: &ValidationError<'_>,
    instance_prefix: &str,
    schema_prefix: &str,
    call: Option<&Value>,
    scope: &Scope<'_>,
) -> Diagnostic {
    let pointer = format!("{instance_prefix}{}", error.instance_path().as_str());
    let schema_path = format!("{schema_prefix}{}", error.schema_path().as_str());
    let keyword = error.kind().keyword();
    let at_keyword = usage_schema().document().pointer(&schema_path);
    let tokens = pointer_tokens(&pointer);
    let (owner, field) = place(&tokens, scope.members, call);
    let instance: &Value = error.instance();
    let subject = match &field {
        Some(field) => format!("{} of {owner}", quote(field)),
        None => owner.clone(),
    };
    // Every keyword the embedded schema uses has a rule (pinned by
    // `every_schema_keyword_has_a_rule`); any other could only come from an edited schema.
    let rule = Rule::for_schema_keyword(keyword).unwrap_or(Rule::SchemaType);
    let (message, help) = match error.kind() {
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or_default();
            (
                format!("{owner} has no {}", quote(name)),
                format!("the schema requires {} here; an exporter that omits it produced an incomplete report", quote(name)),
            )
        }
        ValidationErrorKind::Type { .. } => {
            let expected = match at_keyword {
                Some(Value::String(name)) => type_name(name),
                Some(Value::Array(names)) => names
                    .iter()
                    .filter_map(Value::as_str)
                    .map(type_name)
                    .collect::<Vec<_>>()
                    .join(" or "),
                _ => "another type".into(),
            };
            (
                format!(
                    "{subject} is {}, expected {expected}",
                    kind_of(instance, field.as_deref())
                ),
                format!(
                    "the schema declares {} as {expected}",
                    field.as_deref().map_or_else(|| "it".to_owned(), quote)
                ),
            )
        }
        ValidationErrorKind::Format { format } => {
            let (words, example) = match format.as_str() {
                "email" => ("an email address", "ana@example.com"),
                "date-time" => (
                    "an RFC 3339 date-time",
                    "2026-09-14T09:30:00Z (date, T, time with seconds, and Z or an offset such as +02:00)",
                ),
                "uuid" => ("a UUID", "3f2b8a9e-4c1d-4e8b-9a7f-1b2c3d4e5f60"),
                _ => ("of its format", "the schema's format"),
            };
            let shown = instance.as_str().map_or_else(
                || kind_of(instance, field.as_deref()),
                |text| json_string(field.as_deref(), text),
            );
            (
                format!("{subject} is not {words}: {shown}"),
                format!("write it as {example}"),
            )
        }
        ValidationErrorKind::Minimum { limit } => (
            format!("{subject} is {instance}, below the minimum of {limit}"),
            format!("the schema allows no value below {limit}"),
        ),
        _ => (format!("{subject}: {error}"), String::new()),
    };
    let anchor = Anchor::Value(pointer);
    let mut diagnostic =
        Diagnostic::new(rule, scope.file, anchor, message).with_schema_path(schema_path);
    if !help.is_empty() {
        diagnostic = diagnostic.with_help(help);
    }
    diagnostic
}

/// `key` (at `key_pointer`), which the schema does not declare among the `declared` names of
/// `object`; the help suggests a declared name it is near, that the object lacks.
pub(super) fn unknown_field<'a>(
    key: &str,
    key_pointer: &str,
    declared: impl Iterator<Item = &'a String>,
    object: &serde_json::Map<String, Value>,
    scope: &Scope<'_>,
    call: Option<&Value>,
) -> Diagnostic {
    let tokens = pointer_tokens(key_pointer);
    let (owner, _) = place(&tokens[..tokens.len() - 1], scope.members, call);
    let lower = key.to_lowercase();
    // A near miss the object does not already have is most likely what was meant.
    let suggestion = declared
        .filter(|name| !object.contains_key(*name))
        .map(|name| (edit_distance(&lower, name), name))
        .filter(|(distance, name)| {
            *distance <= 3 || name.starts_with(&lower) || lower.starts_with(name.as_str())
        })
        .min_by_key(|(distance, _)| *distance);
    let help = match suggestion {
        Some((_, name)) => format!(
            "did you mean {}? The schema allows extra properties, so a misspelled name passes a schema validator while the real field is missing",
            quote(name)
        ),
        None => "the schema allows extra properties, but nothing reads this one; check the exporter".to_owned(),
    };
    Diagnostic::new(
        Rule::UnknownField,
        scope.file,
        Anchor::Key(key_pointer.to_owned()),
        format!(
            "{owner} has {}, which the schema does not declare here",
            quote(key)
        ),
    )
    .with_help(help)
}
