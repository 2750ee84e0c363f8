//! `unknown-field`: properties the schema does not declare where they stand.
//!
//! The vendor's schema allows extra properties, so `last_call` written for `last_call_at`
//! passes any validator while the real field is simply missing. The declared names are read
//! from the schema itself, so this follows the schema wherever it goes.

use serde_json::Value;

use super::Scope;
use crate::describe::place;
use crate::diagnostic::{Anchor, Diagnostic};
use crate::registry::Rule;
use crate::text::{edit_distance, pointer_token, pointer_tokens, quote};

/// Reports the undeclared properties of `value`, which the schema node `schema` describes,
/// and of everything in it that the schema describes further down. `pointer` is the value's
/// JSON Pointer; it is extended and restored on the way down.
pub(super) fn check(
    schema: &Value,
    value: &Value,
    pointer: &mut String,
    scope: &Scope<'_>,
    call: Option<&Value>,
    out: &mut Vec<Diagnostic>,
) {
    let length = pointer.len();
    match value {
        Value::Object(object) => {
            let Some(Value::Object(declared)) = schema.get("properties") else {
                return;
            };
            for (key, member) in object {
                match declared.get(key) {
                    // Only containers the schema describes further can hold more to report.
                    Some(below)
                        if below.get("properties").is_some() || below.get("items").is_some() =>
                    {
                        pointer.push('/');
                        pointer.push_str(&pointer_token(key));
                        check(below, member, pointer, scope, call, out);
                        pointer.truncate(length);
                    }
                    Some(_) => {}
                    None => {
                        let key_pointer = format!("{pointer}/{}", pointer_token(key));
                        out.push(unknown_field(
                            key,
                            &key_pointer,
                            declared.keys(),
                            object,
                            scope,
                            call,
                        ));
                    }
                }
            }
        }
        Value::Array(items) => {
            let Some(below) = schema.get("items") else {
                return;
            };
            for (index, item) in items.iter().enumerate() {
                pointer.push('/');
                pointer.push_str(&index.to_string());
                check(below, item, pointer, scope, call, out);
                pointer.truncate(length);
            }
        }
        _ => {}
    }
}

fn unknown_field<'a>(
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
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, name)| name);
    let message = format!(
        "{owner} has {}, which the schema does not declare here",
        quote(key)
    );
    let help = match suggestion {
        Some(name) => format!(
            "did you mean {}? The schema allows extra properties, so a misspelled name passes a schema validator while the real field is missing",
            quote(name)
        ),
        None => "the schema allows extra properties, but nothing reads this one; check the exporter".to_owned(),
    };
    Diagnostic::new(
        Rule::UnknownField,
        scope.file,
        Anchor::Key(key_pointer.to_owned()),
        message,
    )
    .with_help(help)
}
