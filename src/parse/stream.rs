//! The serde visitor behind [`parse_usage_report`] and [`parse_call`].

use std::fmt::{self, Write};

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Number, Value};

use super::{Parsed, RepeatedKey, UsageSink};
use crate::text::pointer_token;

/// Parses `text`, feeding `sink`. A syntax error stops the pass; whatever the sink was given
/// before it is incomplete and should be discarded by the caller.
///
/// The calls are not built here: each leaves as the slice of `text` it spans, which serde_json
/// has checked for well-formedness while skipping it (as cheaply as skipping it), so that the
/// building and checking of calls can be spread over threads ([`parse_call`]).
pub fn parse_usage_report<'t, S: UsageSink<'t>>(
    text: &'t str,
    sink: &mut S,
) -> Result<Parsed, serde_json::Error> {
    let mut context = Context::new(sink);
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let skeleton = Seed {
        context: &mut context,
        role: Role::Root,
    }
    .deserialize(&mut deserializer)?;
    deserializer.end()?;
    context.give_members(None);
    Ok(Parsed {
        skeleton,
        repeated_keys: context.repeated_keys,
    })
}

/// Builds the call at `index` from its text, as [`parse_usage_report`] handed it on, noting
/// its repeated keys with their pointers in the whole report.
pub fn parse_call(
    text: &str,
    index: usize,
) -> Result<(Value, Vec<RepeatedKey>), serde_json::Error> {
    let mut sink = NoSink;
    let mut context = Context::new(&mut sink);
    context.push("calls");
    context.push_index(index);
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let call = Seed {
        context: &mut context,
        role: Role::Plain,
    }
    .deserialize(&mut deserializer)?;
    Ok((call, context.repeated_keys))
}

/// A sink that takes nothing: for [`parse_call`], which meets no calls of its own, and for the
/// skeleton of a split report, whose members went on already and which holds no calls.
pub(super) struct NoSink;

impl UsageSink<'_> for NoSink {
    fn team_members(&mut self, _: Option<Value>) {}

    fn wants_members(&self) -> bool {
        false
    }

    fn call(&mut self, _: usize, _: &[u8]) {}
}

struct Context<'s, 't, S> {
    /// Where the value being parsed is: its keys and indexes written one after another into
    /// `path`, each starting where `segments` says. Turned into a JSON Pointer (escaped) only
    /// when a key repeats, so the common case is a copy of the key and nothing more.
    path: String,
    segments: Vec<usize>,
    repeated_keys: Vec<RepeatedKey>,
    sink: &'s mut S,
    members_given: bool,
    /// Calls met before `team_members`, held (as text) until the members are known.
    pending_calls: Vec<(usize, &'t str)>,
}

impl<'s, 't, S: UsageSink<'t>> Context<'s, 't, S> {
    fn new(sink: &'s mut S) -> Self {
        Context {
            path: String::new(),
            segments: Vec::new(),
            repeated_keys: Vec::new(),
            sink,
            members_given: false,
            pending_calls: Vec::new(),
        }
    }

    fn push(&mut self, segment: &str) {
        self.segments.push(self.path.len());
        self.path.push_str(segment);
    }

    fn push_index(&mut self, index: usize) {
        self.segments.push(self.path.len());
        let _ = write!(self.path, "{index}");
    }

    fn pop(&mut self) {
        if let Some(start) = self.segments.pop() {
            self.path.truncate(start);
        }
    }

    /// The JSON Pointer of where parsing is.
    fn pointer(&self) -> String {
        let mut pointer = String::new();
        for (i, &start) in self.segments.iter().enumerate() {
            let end = self.segments.get(i + 1).copied().unwrap_or(self.path.len());
            pointer.push('/');
            pointer.push_str(&pointer_token(&self.path[start..end]));
        }
        pointer
    }

    fn give_members(&mut self, members: Option<Value>) {
        if self.members_given {
            return;
        }
        self.members_given = true;
        self.sink.team_members(members);
        for (index, call) in std::mem::take(&mut self.pending_calls) {
            self.sink.call(index, call.as_bytes());
        }
    }

    fn give_call(&mut self, index: usize, call: &'t str) {
        if self.members_given {
            self.sink.call(index, call.as_bytes());
        } else {
            self.pending_calls.push((index, call));
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Root,
    Calls,
    Plain,
}

struct Seed<'c, 's, 't, S> {
    context: &'c mut Context<'s, 't, S>,
    role: Role,
}

impl<'t, S: UsageSink<'t>> DeserializeSeed<'t> for Seed<'_, '_, 't, S> {
    type Value = Value;

    fn deserialize<D: Deserializer<'t>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'t, S: UsageSink<'t>> Visitor<'t> for Seed<'_, '_, 't, S> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'t>>(self, mut seq: A) -> Result<Value, A::Error> {
        let context = self.context;
        if self.role == Role::Calls {
            let mut index = 0;
            while let Some(call) = seq.next_element::<&'t RawValue>()? {
                context.give_call(index, call.get());
                index += 1;
            }
            return Ok(Value::Array(Vec::new()));
        }
        let mut elements = Vec::new();
        loop {
            context.push_index(elements.len());
            let element = seq.next_element_seed(Seed {
                context: &mut *context,
                role: Role::Plain,
            });
            context.pop();
            let Some(element) = element? else { break };
            elements.push(element);
        }
        Ok(Value::Array(elements))
    }

    fn visit_map<A: MapAccess<'t>>(self, mut map: A) -> Result<Value, A::Error> {
        let context = self.context;
        let mut object = Map::new();
        let mut repeats: Vec<(String, usize)> = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let role = match (self.role, key.as_str()) {
                (Role::Root, "calls") => Role::Calls,
                _ => Role::Plain,
            };
            context.push(&key);
            let value = map.next_value_seed(Seed {
                context: &mut *context,
                role,
            });
            let value = match value {
                Ok(value) => value,
                Err(error) => {
                    context.pop();
                    return Err(error);
                }
            };
            if object.contains_key(&key) {
                let occurrence = match repeats.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, n)) => {
                        *n += 1;
                        *n
                    }
                    None => {
                        repeats.push((key.clone(), 1));
                        1
                    }
                };
                context.repeated_keys.push(RepeatedKey {
                    pointer: context.pointer(),
                    occurrence,
                });
            }
            context.pop();
            if self.role == Role::Root && key == "team_members" {
                // A copy: the value stays in the top level, which the schema checks.
                let members = context.sink.wants_members().then(|| value.clone());
                context.give_members(members);
            }
            // As serde_json does: of a repeated key, the last value is kept.
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::Recorder;
    use serde_json::json;

    #[test]
    fn streams_calls_after_members_whatever_the_key_order() {
        let mut sink = Recorder::default();
        let text = r#"{"calls": [{"a": 1}, 2], "x": true, "team_members": [{"user_id": 1}]}"#;
        let parsed = parse_usage_report(text, &mut sink).unwrap();
        assert_eq!(
            sink.events,
            ["members [{\"user_id\":1}]", "call 0 {\"a\": 1}", "call 1 2"]
        );
        assert_eq!(
            parsed.skeleton,
            json!({"calls": [], "x": true, "team_members": [{"user_id": 1}]})
        );
    }

    #[test]
    fn a_report_without_members_still_streams_its_calls() {
        let mut sink = Recorder::default();
        parse_usage_report(r#"{"calls": [1]}"#, &mut sink).unwrap();
        assert_eq!(sink.events, ["members none", "call 0 1"]);
        let mut sink = Recorder::default();
        parse_usage_report("[1]", &mut sink).unwrap();
        assert_eq!(sink.events, ["members none"]);
    }

    #[test]
    fn repeated_keys_are_noted_with_their_pointer() {
        let mut sink = Recorder::default();
        let text = r#"{"team_members": [{"n": 1, "a/b": 2, "a/b": 3, "n": 4, "n": 5}], "calls": [{"x": {"y": 1, "y": 2}}]}"#;
        let parsed = parse_usage_report(text, &mut sink).unwrap();
        let found: Vec<(&str, usize)> = parsed
            .repeated_keys
            .iter()
            .map(|r| (r.pointer.as_str(), r.occurrence))
            .collect();
        assert_eq!(
            found,
            [
                ("/team_members/0/a~1b", 1),
                ("/team_members/0/n", 1),
                ("/team_members/0/n", 2),
            ]
        );
        assert_eq!(sink.events[0], "members [{\"a/b\":3,\"n\":5}]");
        // A call's repeated keys are found where the call is built.
        assert_eq!(sink.events[1], "call 0 {\"x\": {\"y\": 1, \"y\": 2}}");
        let (call, repeated) = parse_call(r#"{"x": {"y": 1, "y": 2}}"#, 7).unwrap();
        assert_eq!(call, json!({"x": {"y": 2}}));
        assert_eq!(
            repeated,
            [RepeatedKey {
                pointer: "/calls/7/x/y".into(),
                occurrence: 1
            }]
        );
    }

    #[test]
    fn syntax_errors_carry_the_parsers_position() {
        let mut sink = Recorder::default();
        let error = parse_usage_report("{\n  \"calls\": [1,]\n}", &mut sink).unwrap_err();
        assert_eq!((error.line(), error.column()), (2, 15));
        let deep = "[".repeat(200);
        let error = parse_usage_report(&deep, &mut sink).unwrap_err();
        assert!(error.to_string().contains("recursion limit"), "{error}");
    }
}
