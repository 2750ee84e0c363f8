//! Typed reading of the values the rules look at. A value of the wrong type reads as absent:
//! the schema reports it, and the rules judge only what they can read.

use serde_json::Value;

use crate::formats::parse_date_time;
pub use crate::parse::call::Moment;

/// A user_id: an integer, or a number with no fraction (`504.0` is an integer in draft 7).
pub fn user_id(value: Option<&Value>) -> Option<i64> {
    crate::parse::call::integer(value?.as_number()?)
}

/// A timestamp that passes the schema's strict `date-time`, with its text.
pub fn timestamp(value: Option<&Value>) -> Option<(Moment, &str)> {
    let text = value?.as_str()?;
    Some((parse_date_time(text)?, text))
}

/// A member's `last_call_at`.
#[derive(Clone, Debug)]
pub enum LastCall {
    Absent,
    Null,
    At(Moment, String),
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

/// What the calls tell of one team member, kept apart from [`MemberFacts`] while they stream
/// by: every participant of every call lands on one of these at random, and in one cache
/// line each (rather than spread over the four of a `MemberFacts`) the 5,000 of a large team
/// stay in the cache. (Waiting for members' records was two thirds of the rules thread.)
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Tally {
    pub created_at: Option<Moment>,
    /// `last_call_at`, when it is a timestamp.
    pub last_call_at: Option<Moment>,
    pub latest_call: Option<(Moment, u32, u32)>,
    pub calls: u32,
    /// The minutes of all their calls, as each call's participant entry gives them.
    pub minutes: u32,
    pub last_call_matched: bool,
}

impl Tally {
    /// Its counts written back into the member's facts, once every call is in.
    pub fn settle(&self, member: &mut MemberFacts) {
        member.calls = self.calls as usize;
        member.minutes = u64::from(self.minutes);
        member.latest_call = self
            .latest_call
            .map(|(time, call, p)| (time, call as usize, p as usize));
        member.last_call_matched = self.last_call_matched;
    }
}

/// What the rules keep of a team member while the calls stream by.
#[derive(Clone, Debug)]
pub struct MemberFacts {
    pub user_id: Option<Value>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub created_at: Option<(Moment, String)>,
    pub last_call: LastCall,
    /// Their latest call: its start, and the call's and participant's indexes.
    pub latest_call: Option<(Moment, usize, usize)>,
    pub calls: usize,
    /// Their pairing minutes: the sum of `duration_minutes` over their participant entries.
    pub minutes: u64,
    /// Whether one of their calls starts or ends at `last_call_at`, to the second.
    pub last_call_matched: bool,
}
