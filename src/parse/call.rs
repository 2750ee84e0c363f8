//! What the report rules read of one call, taken from its [`super::tape::Tape`] where the call is checked.
//!
//! The workers that validate calls read these too, so that the one thread that applies the
//! rules in order gets them ready: timestamps parsed, numbers read, strings borrowed from the
//! report's text. A field of the wrong type reads as absent: the schema reports it, and the
//! rules judge only what they can read.

use std::borrow::Cow;

use chrono::{DateTime, FixedOffset};
use serde_json::Number;

use super::tape::TapeNode;
use crate::formats::{parse_date_time, uuid_bits};

/// A point in time, with the offset it was written at (a report's timestamps keep theirs).
pub type Moment = DateTime<FixedOffset>;

/// A timestamp that passes the schema's strict `date-time`, with its text.
pub type Timestamp<'t> = (Moment, Cow<'t, str>);

#[derive(Debug, Default)]
pub struct CallFacts<'t> {
    /// Whether the call is an object at all; if not, nothing else is read.
    pub object: bool,
    pub call_id: Option<Cow<'t, str>>,
    /// The call_id's 128 bits, when it is a UUID.
    pub call_id_bits: Option<u128>,
    pub started: Option<Timestamp<'t>>,
    pub ended: Option<Timestamp<'t>>,
    pub duration: Option<i64>,
    /// Where the call's participants are in the list [`CallFacts::read`] added them to
    /// (one list for a batch of calls, rather than a vector for each call to allocate and
    /// free). `None` unless `participants` is an array; an element that is not an object
    /// reads as a participant with nothing known.
    pub participants: Option<std::ops::Range<usize>>,
    /// Whether every key of the call, and of each participant, is one read here: the schema
    /// declares all of them, so such a call has no `unknown-field` to find (see
    /// `UsageSchema::call_is_clean`).
    pub only_known_keys: bool,
    /// Whether a key the reader reads is repeated in the call or one of its participants.
    /// With `only_known_keys` and a call the schema passes (whose values are then strings,
    /// numbers and the participants' objects), this settles whether any key of the call
    /// repeats, without the tape's search of every object (see `Tape::repeats_a_key`).
    pub repeats_a_known_key: bool,
}

/// The keys of a call that the facts reader reads (a test checks the schema declares each).
#[cfg(test)]
pub const CALL_KEYS: [&str; 5] = [CALL_ID, STARTED_AT, ENDED_AT, DURATION, PARTICIPANTS];
/// The keys of a participant that the facts reader reads.
#[cfg(test)]
pub const PARTICIPANT_KEYS: [&str; 4] = [USER_ID, NAME, EMAIL, DURATION];

const CALL_ID: &str = "call_id";
const STARTED_AT: &str = "started_at";
const ENDED_AT: &str = "ended_at";
const DURATION: &str = "duration_minutes";
const PARTICIPANTS: &str = "participants";
const USER_ID: &str = "user_id";
const NAME: &str = "name";
const EMAIL: &str = "email";

#[derive(Debug, Default)]
pub struct ParticipantFacts<'t> {
    /// The user_id as written, when it is a number.
    pub user_id: Option<Number>,
    pub name: Option<Cow<'t, str>>,
    pub email: Option<Cow<'t, str>>,
    pub duration: Option<i64>,
    /// Which team member this is, when the reader looked it up
    /// ([`crate::rules::Roster::look_up`]).
    pub member: MemberLookup,
}

/// What the roster of team members says of a participant.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MemberLookup {
    /// Not looked up: the rules look it up themselves.
    #[default]
    NotDone,
    /// No member has the participant's user_id (or it is no whole number).
    NotAMember,
    /// The first member with the participant's user_id, and whether the participant's name
    /// and email differ from the member's (where both are given).
    Member {
        index: usize,
        name_differs: bool,
        email_differs: bool,
        /// Whether the participant's email is, byte for byte, the member's, and that one is
        /// an email: the format needs no second check.
        email_vouched: bool,
    },
}

impl<'t> CallFacts<'t> {
    /// Reads the call at `call`, a tape read from `text`: in one pass over its members, the
    /// last of a repeated key winning, as in a `Value`. Its participants are added to
    /// `participants`.
    pub fn read(
        text: &'t str,
        call: TapeNode<'_>,
        participants: &mut Vec<ParticipantFacts<'t>>,
    ) -> Self {
        let Some(members) = call.members() else {
            return CallFacts::default();
        };
        let mut facts = CallFacts {
            object: true,
            only_known_keys: true,
            ..CallFacts::default()
        };
        // The keys met so far, a bit each (each key matched once: this is every call's path).
        let mut seen = 0u8;
        for (key, value) in members {
            let bit = match key {
                CALL_ID => {
                    facts.call_id = rebase(text, value);
                    1
                }
                STARTED_AT => {
                    facts.started = timestamp(text, value);
                    2
                }
                ENDED_AT => {
                    facts.ended = timestamp(text, value);
                    4
                }
                DURATION => {
                    facts.duration = whole(value);
                    8
                }
                PARTICIPANTS => {
                    facts.participants = value.items().map(|items| {
                        let start = participants.len();
                        for item in items {
                            let (participant, keys) = ParticipantFacts::read(text, item);
                            facts.only_known_keys &= keys.only_known;
                            facts.repeats_a_known_key |= keys.repeat_known;
                            participants.push(participant);
                        }
                        start..participants.len()
                    });
                    16
                }
                _ => {
                    facts.only_known_keys = false;
                    0
                }
            };
            facts.repeats_a_known_key |= seen & bit != 0;
            seen |= bit;
        }
        facts.call_id_bits = facts.call_id.as_deref().and_then(uuid_bits);
        facts
    }
}

impl<'t> ParticipantFacts<'t> {
    /// The participant, and what its keys were.
    fn read(text: &'t str, participant: TapeNode<'_>) -> (Self, Keys) {
        let mut facts = ParticipantFacts::default();
        let mut known = true;
        let (mut seen, mut repeat_known) = (0u8, false);
        for (key, value) in participant.members().into_iter().flatten() {
            let bit = match key {
                USER_ID => {
                    facts.user_id = value.number().cloned();
                    1
                }
                NAME => {
                    facts.name = rebase(text, value);
                    2
                }
                EMAIL => {
                    facts.email = rebase(text, value);
                    4
                }
                DURATION => {
                    facts.duration = whole(value);
                    8
                }
                _ => {
                    known = false;
                    0
                }
            };
            repeat_known |= seen & bit != 0;
            seen |= bit;
        }
        let keys = Keys {
            only_known: known,
            repeat_known,
        };
        (facts, keys)
    }
}

/// What the reader saw of a participant's keys.
struct Keys {
    /// Each was one the reader reads.
    only_known: bool,
    /// One the reader reads was repeated.
    repeat_known: bool,
}

fn timestamp<'t>(text: &'t str, node: TapeNode<'_>) -> Option<Timestamp<'t>> {
    let written = rebase(text, node)?;
    Some((parse_date_time(&written)?, written))
}

/// A whole number, as the rules read user_ids and minutes: an integer, or a number with no
/// fraction (`504.0` is an integer in draft 7).
pub fn integer(number: &Number) -> Option<i64> {
    number.as_i64().or_else(|| {
        let f = number.as_f64()?;
        (f.fract() == 0.0 && f.abs() < 9.0e15).then_some(f as i64)
    })
}

fn whole(node: TapeNode<'_>) -> Option<i64> {
    integer(node.number()?)
}

/// A string of the tape as a borrow of the report's text, where it is one (it has no
/// escapes); otherwise a copy.
fn rebase<'t>(text: &'t str, node: TapeNode<'_>) -> Option<Cow<'t, str>> {
    match node.as_text()? {
        Cow::Borrowed(s) => {
            let start = (s.as_ptr() as usize).checked_sub(text.as_ptr() as usize);
            match start.and_then(|start| text.get(start..start + s.len())) {
                Some(within) => Some(Cow::Borrowed(within)),
                None => Some(Cow::Owned(s.to_owned())),
            }
        }
        Cow::Owned(s) => Some(Cow::Owned(s)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::tape::Tape;

    fn facts(text: &str) -> (CallFacts<'_>, Vec<ParticipantFacts<'_>>) {
        let mut tape = Tape::new();
        tape.read(text).expect("JSON");
        // Something in the list already, as when the call is not the first of its batch.
        let mut participants = vec![ParticipantFacts::default()];
        let call = CallFacts::read(text, tape.root().expect("read"), &mut participants);
        (call, participants)
    }

    #[test]
    fn a_call_reads_as_the_rules_need_it() {
        let text = r#"{"call_id": "c\u0031", "started_at": "2026-09-14T09:30:00Z",
            "ended_at": "2026-09-14 09:35:00Z", "duration_minutes": 5.0,
            "participants": [{"user_id": 504.0, "name": "Ann", "email": 7, "duration_minutes": 4}, 3]}"#;
        let (call, all) = facts(text);
        assert!(call.object);
        assert_eq!(call.call_id.as_deref(), Some("c1"));
        let (start, start_text) = call.started.expect("a date-time");
        assert_eq!(start.timestamp(), 1789378200);
        assert!(matches!(start_text, Cow::Borrowed("2026-09-14T09:30:00Z")));
        assert!(call.ended.is_none(), "not a strict date-time");
        assert_eq!(call.duration, Some(5));
        let participants = &all[call.participants.expect("an array")];
        assert_eq!(participants.len(), 2);
        assert_eq!(
            participants[0]
                .user_id
                .as_ref()
                .map(|n| n.to_string())
                .as_deref(),
            Some("504.0")
        );
        assert_eq!(participants[0].name.as_deref(), Some("Ann"));
        assert_eq!(participants[0].email, None);
        assert_eq!(participants[0].duration, Some(4));
        assert!(participants[1].user_id.is_none() && participants[1].name.is_none());
    }

    #[test]
    fn what_is_not_an_object_reads_as_nothing() {
        assert!(!facts("[1]").0.object);
        assert!(facts(r#"{"participants": {}}"#).0.participants.is_none());
        // Of a repeated key, the last value is read, as a `Value` keeps it.
        assert_eq!(
            facts(r#"{"duration_minutes": 5, "duration_minutes": 6}"#)
                .0
                .duration,
            Some(6)
        );
        assert_eq!(
            facts(r#"{"duration_minutes": 5, "duration_minutes": "6"}"#)
                .0
                .duration,
            None
        );
    }
}
