//! `unknown-field`: properties the schema does not declare where they stand.
//!
//! The vendor's schema allows extra properties, so `last_call` written for `last_call_at`
//! passes any validator while the real field is simply missing. The declared names are read
//! from the schema itself, so this follows the schema wherever it goes.

use std::fmt::Write;

use serde_json::Value;

use super::Scope;
use crate::describe::place;
use crate::diagnostic::{Anchor, Diagnostic};
use crate::registry::Rule;
use crate::text::{edit_distance, pointer_token, pointer_tokens, quote};

/// What the schema declares at one place, read from it once: the properties of an object
/// (sorted by name, each with what is declared below it) and the items of an array.
#[derive(Debug, Default)]
pub(super) struct Shape {
    properties: Option<Vec<(String, Shape)>>,
    items: Option<Box<Shape>>,
}

impl Shape {
    pub(super) fn of(schema: &Value) -> Shape {
        let properties = schema
            .get("properties")
            .and_then(Value::as_object)
            .map(|declared| {
                let mut properties: Vec<(String, Shape)> = declared
                    .iter()
                    .map(|(name, below)| (name.clone(), Shape::of(below)))
                    .collect();
                properties.sort_by(|a, b| a.0.cmp(&b.0));
                properties
            });
        let items = schema.get("items").map(|items| Box::new(Shape::of(items)));
        Shape { properties, items }
    }

    /// The shape at a JSON Pointer into the schema, such as `/properties/calls/items`.
    pub(super) fn at(&self, tokens: &[&str]) -> Option<&Shape> {
        match tokens {
            [] => Some(self),
            ["properties", name, rest @ ..] => {
                let properties = self.properties.as_ref()?;
                let i = properties
                    .binary_search_by(|(n, _)| n.as_str().cmp(name))
                    .ok()?;
                properties[i].1.at(rest)
            }
            ["items", rest @ ..] => self.items.as_ref()?.at(rest),
            _ => None,
        }
    }

    /// Whether anything below this place could hold an undeclared property.
    fn goes_deeper(&self) -> bool {
        self.properties.is_some() || self.items.is_some()
    }
}

/// Reports the undeclared properties of `value`, which `shape` describes, and of everything
/// in it that the schema describes further down. `pointer` is the value's JSON Pointer; it
/// is extended and restored on the way down.
pub(super) fn check(
    shape: &Shape,
    value: &Value,
    pointer: &mut String,
    scope: &Scope<'_>,
    call: Option<&Value>,
    out: &mut Vec<Diagnostic>,
) {
    let length = pointer.len();
    match value {
        Value::Object(object) => {
            let Some(declared) = &shape.properties else {
                return;
            };
            for (key, member) in object {
                match declared.binary_search_by(|(name, _)| name.as_str().cmp(key)) {
                    // Only containers the schema describes further can hold more to report.
                    Ok(i) if declared[i].1.goes_deeper() => {
                        pointer.push('/');
                        pointer.push_str(&pointer_token(key));
                        check(&declared[i].1, member, pointer, scope, call, out);
                        pointer.truncate(length);
                    }
                    Ok(_) => {}
                    Err(_) => {
                        let key_pointer = format!("{pointer}/{}", pointer_token(key));
                        let names = declared.iter().map(|(name, _)| name);
                        out.push(unknown_field(key, &key_pointer, names, object, scope, call));
                    }
                }
            }
        }
        Value::Array(items) => {
            let Some(below) = &shape.items else {
                return;
            };
            for (index, item) in items.iter().enumerate() {
                let _ = write!(pointer, "/{index}");
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
