//! `unknown-field`: properties the schema does not declare where they stand.
//!
//! The vendor's schema allows extra properties, so `last_call` written for `last_call_at`
//! passes any validator while the real field is simply missing. The declared names are read
//! from the schema itself, so this follows the schema wherever it goes.

use std::fmt::Write;

use serde_json::Value;

use super::Scope;
use crate::diagnostic::Diagnostic;
use crate::parse::tape::TapeNode;
use crate::text::pointer_token;

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

    /// Whether the value at `node`, which this shape describes, and everything in it declare
    /// every property they have: [`check`] would report nothing.
    pub(super) fn declares_all(&self, node: TapeNode<'_>) -> bool {
        if let Some(mut members) = node.members() {
            let Some(declared) = &self.properties else {
                return true;
            };
            // A few names, compared length first: cheaper than a binary search.
            members.all(|(key, value)| {
                match declared
                    .iter()
                    .find(|(name, _)| name.len() == key.len() && name == key)
                {
                    Some((_, below)) => !below.goes_deeper() || below.declares_all(value),
                    None => false,
                }
            })
        } else if let Some(mut items) = node.items() {
            let Some(below) = &self.items else {
                return true;
            };
            items.all(|item| below.declares_all(item))
        } else {
            true
        }
    }

    /// Whether anything below this place could hold an undeclared property.
    fn goes_deeper(&self) -> bool {
        self.properties.is_some() || self.items.is_some()
    }
}

/// Where a value is, as a chain of its parents: rendered as a JSON Pointer only when a
/// finding needs one, so that walking a valid call builds no strings.
pub(super) enum Path<'p> {
    /// A value at this (already rendered) pointer.
    At(&'p str),
    Key(&'p Path<'p>, &'p str),
    Index(&'p Path<'p>, usize),
}

impl Path<'_> {
    fn render(&self, out: &mut String) {
        match self {
            Path::At(pointer) => out.push_str(pointer),
            Path::Key(parent, key) => {
                parent.render(out);
                out.push('/');
                out.push_str(&pointer_token(key));
            }
            Path::Index(parent, index) => {
                parent.render(out);
                let _ = write!(out, "/{index}");
            }
        }
    }
}

/// Reports the undeclared properties of `value`, which `shape` describes and which stands at
/// `path`, and of everything in it that the schema describes further down.
pub(super) fn check(
    shape: &Shape,
    value: &Value,
    path: &Path<'_>,
    scope: &Scope<'_>,
    call: Option<&Value>,
    out: &mut Vec<Diagnostic>,
) {
    match value {
        Value::Object(object) => {
            let Some(declared) = &shape.properties else {
                return;
            };
            for (key, member) in object {
                match declared.binary_search_by(|(name, _)| name.as_str().cmp(key)) {
                    // Only containers the schema describes further can hold more to report.
                    Ok(i) if declared[i].1.goes_deeper() => {
                        check(
                            &declared[i].1,
                            member,
                            &Path::Key(path, key),
                            scope,
                            call,
                            out,
                        );
                    }
                    Ok(_) => {}
                    Err(_) => {
                        let mut key_pointer = String::new();
                        Path::Key(path, key).render(&mut key_pointer);
                        let names = declared.iter().map(|(name, _)| name);
                        out.push(super::diags::unknown_field(
                            key,
                            &key_pointer,
                            names,
                            object,
                            scope,
                            call,
                        ));
                    }
                }
            }
        }
        Value::Array(items) => {
            let Some(below) = &shape.items else {
                return;
            };
            for (index, item) in items.iter().enumerate() {
                check(below, item, &Path::Index(path, index), scope, call, out);
            }
        }
        _ => {}
    }
}
