//! Typed reading of the values the rules look at. A value of the wrong type reads as absent:
//! the schema reports it, and the rules judge only what they can read.

use serde_json::Value;

pub use crate::parse::call::Instant;
use crate::schema::formats::parse_date_time;

/// A user_id: an integer, or a number with no fraction (`504.0` is an integer in draft 7).
pub fn user_id(value: Option<&Value>) -> Option<i64> {
    crate::parse::call::integer(value?.as_number()?)
}

/// A timestamp that passes the schema's strict `date-time`, with its text.
pub fn timestamp(value: Option<&Value>) -> Option<(Instant, &str)> {
    let text = value?.as_str()?;
    Some((parse_date_time(text)?, text))
}

/// A member's `last_call_at`.
#[derive(Clone, Debug)]
pub enum LastCall {
    Absent,
    Null,
    At(Instant, String),
    /// Of the wrong type or format: the schema reports it.
    Unreadable,
}

impl LastCall {
    pub fn read(value: Option<&Value>) -> Self {
        match value {
            None => LastCall::Absent,
            Some(Value::Null) => LastCall::Null,
            other => match timestamp(other) {
                Some((instant, text)) => LastCall::At(instant, text.to_owned()),
                None => LastCall::Unreadable,
            },
        }
    }
}

/// What the rules keep of a team member while the calls stream by.
#[derive(Clone, Debug)]
pub struct MemberFacts {
    pub user_id: Option<Value>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub created_at: Option<(Instant, String)>,
    pub last_call: LastCall,
    /// Their latest call: its start, and the call's and participant's indexes.
    pub latest_call: Option<(Instant, usize, usize)>,
    pub calls: usize,
    /// Whether one of their calls starts or ends at `last_call_at`, to the second.
    pub last_call_matched: bool,
}
