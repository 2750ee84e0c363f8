//! Parsing the usage report: one pass over the text with serde_json, in which each call is
//! handed on as soon as it has been read.
//!
//! The document is never built whole: only the top level and `team_members` (one entry per
//! person, small) are kept, while `calls` (the bulk of a large report) streams to a
//! [`UsageSink`], each call as its text, to be built by [`parse_call`] where it is checked.
//! Objects that repeat a key are noted with the key's pointer, since a `serde_json::Value`
//! silently keeps only the last value.

mod blocks;
mod bytes;
pub mod call;
pub mod csv;
pub mod dates;
mod split;
mod stream;
pub mod tape;

/// The one way to skip a JSON string or value without parsing it, for whoever else must
/// (the locator of findings).
pub(crate) use blocks::{skip_string, skip_value};
pub(crate) use bytes::skip_space;

use serde_json::Value;

pub use split::split_usage_report;
pub use stream::{parse_call, parse_usage_report};

/// A key that appears more than once in one object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RepeatedKey {
    /// Pointer to the member, ending in the repeated key.
    pub pointer: String,
    /// Which appearance this is: 1 for the second, 2 for the third.
    pub occurrence: usize,
}

/// Receives the report's parts in the order the checks need them: the team members first,
/// then the calls one at a time, each as the text it spans (see [`parse_call`]).
pub trait UsageSink<'t> {
    /// The `team_members` value (whatever its type), or `None` when the report has none.
    /// Called exactly once, before any call.
    fn team_members(&mut self, members: Option<Value>);
    /// Whether [`Self::team_members`] uses the value: when not, the careful parse need not
    /// copy it (a report's members can be most of its top level).
    fn wants_members(&self) -> bool {
        true
    }
    /// The text of one element of the `calls` array, with its index: UTF-8 when it came
    /// from a checked text, unchecked after [`split_usage_report`] (which see).
    fn call(&mut self, index: usize, call: &'t [u8]);
}

/// What parsing keeps.
#[derive(Debug)]
pub struct Parsed {
    /// The top level, with `calls` emptied to `[]` when it was an array (its elements went to
    /// the sink) and everything else as written.
    pub skeleton: Value,
    /// Keys written twice in an object, in document order.
    pub repeated_keys: Vec<RepeatedKey>,
}

/// A sink for tests, which writes down what it is given, in order.
#[cfg(test)]
#[derive(Default)]
pub(crate) struct Recorder {
    pub events: Vec<String>,
}

#[cfg(test)]
impl UsageSink<'_> for Recorder {
    fn team_members(&mut self, members: Option<Value>) {
        self.events.push(format!(
            "members {}",
            members.map_or("none".into(), |m| m.to_string())
        ));
    }
    fn call(&mut self, index: usize, call: &[u8]) {
        let call = String::from_utf8_lossy(call);
        self.events.push(format!("call {index} {call}"));
    }
}
