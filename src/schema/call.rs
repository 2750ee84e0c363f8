//! Whether a call is valid against the schema's `calls.items`, answered from what the call
//! reader already took from it ([`CallFacts`]).
//!
//! Hand-written, for a measured reason: asking jsonschema the same question of every call (on
//! its tape) took a fifth of the time of a folder of exports (`bench/compare.sh fleet`, 1,632
//! pairs: 0.92 s with it, 0.73 s without; docs/internals.md), while by then the reader has
//! parsed every timestamp, the call_id's bits and every number the schema constrains.
//!
//! jsonschema stays the authority. This may only say yes where jsonschema would; whatever it is
//! unsure of (a number beyond what an `i64` holds, say) reads as no, and that call is then
//! validated by jsonschema from its `Value`, which words the findings. Two tests hold it there:
//! one pins the subschema it mirrors (the embedded schema's SHA-256 is pinned too), one asks it
//! and jsonschema about the same calls.

use crate::formats::is_email;
use crate::parse::call::{integer, CallFacts, MemberLookup, ParticipantFacts};

/// Whether `call` (its participants in `participants`, the list the reader added them to) is
/// valid against `calls.items`: every property required, each of its type, the formats held,
/// no minute below 0.
pub(super) fn conforms(call: &CallFacts<'_>, participants: &[ParticipantFacts<'_>]) -> bool {
    call.object
        // "call_id": string, format uuid: the bits are read only from such a string.
        && call.call_id_bits.is_some()
        // "started_at", "ended_at": string, format date-time: parsed only from such a string.
        && call.started.is_some()
        && call.ended.is_some()
        && call.duration.is_some_and(|minutes| minutes >= 0)
        && call
            .participants
            .clone()
            .and_then(|range| participants.get(range))
            .is_some_and(|its| its.iter().all(participant_conforms))
}

/// A participant (an element of `participants` that is no object reads as one with nothing).
fn participant_conforms(participant: &ParticipantFacts<'_>) -> bool {
    // A participant's email is nearly always its member's, which was checked once, when the
    // members were read (see `Roster`): checked again for every call, it cost 4 % of the time.
    let vouched = matches!(
        participant.member,
        MemberLookup::Member {
            email_vouched: true,
            ..
        }
    );
    participant
        .user_id
        .as_ref()
        .is_some_and(|id| integer(id).is_some())
        && participant.name.is_some()
        && participant
            .email
            .as_deref()
            .is_some_and(|email| vouched || is_email(email))
        && participant.duration.is_some_and(|minutes| minutes >= 0)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::schema::{usage_schema, CALL_SCHEMA};

    /// What [`super::conforms`] mirrors, key for key. If the vendor's schema changes, this
    /// fails: change `conforms` with it (and `a_call_is_clean_…` in `schema/mod.rs` says
    /// whether the two then agree).
    #[test]
    fn the_subschema_it_mirrors_is_the_schemas() {
        let integer = json!({"type": "integer", "minimum": 0});
        let expected = json!({
            "type": "object",
            "properties": {
                "call_id": {"type": "string", "format": "uuid"},
                "participants": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "user_id": {"type": "integer"},
                            "name": {"type": "string"},
                            "email": {"type": "string", "format": "email"},
                            "duration_minutes": integer
                        },
                        "required": ["user_id", "name", "email", "duration_minutes"]
                    }
                },
                "duration_minutes": integer,
                "started_at": {"type": "string", "format": "date-time"},
                "ended_at": {"type": "string", "format": "date-time"}
            },
            "required": ["call_id", "participants", "duration_minutes", "started_at", "ended_at"]
        });
        assert_eq!(
            usage_schema().document().pointer(CALL_SCHEMA),
            Some(&expected)
        );
    }
}
