//! Every finding of the report rules, worded in one place.

use chrono::{DateTime, FixedOffset};
use serde_json::{Number, Value};

use crate::parse::call::ParticipantFacts;

use super::facts::MemberFacts;
use crate::describe;
use crate::diagnostic::{Anchor, Diagnostic};
use crate::registry::Rule;
use crate::text::personal::{self, Personal};
use crate::text::{quote, Difference};

fn at(pointer: String) -> Anchor {
    Anchor::Value(pointer)
}

fn member_field(index: usize, field: &str) -> Anchor {
    at(format!("/team_members/{index}/{field}"))
}

fn participant_field(call: usize, p: usize, field: &str) -> Anchor {
    at(format!("/calls/{call}/participants/{p}/{field}"))
}

fn member_subject(index: usize, member: &MemberFacts) -> String {
    describe::member(index, member.user_id.as_ref())
}

pub fn no_team_members(file: &str) -> Diagnostic {
    Diagnostic::new(
        Rule::NoTeamMembers,
        file,
        at("/team_members".to_owned()),
        "the usage report lists no team members: a real download lists at least the Team Owner or Team Manager who downloaded it",
    )
    .with_help("download the usage report again; if a script wrote it, check what fills team_members")
}

pub fn duplicate_user_id(file: &str, index: usize, first: usize, id: i64) -> Diagnostic {
    Diagnostic::new(
        Rule::DuplicateUserId,
        file,
        member_field(index, "user_id"),
        format!(
            "team member {} has user_id {id}, as team member {} does",
            index + 1,
            first + 1
        ),
    )
    .with_related(
        member_field(first, "user_id"),
        format!("user_id {id} first used by team member {}", first + 1),
    )
    .with_help(
        "a user_id names one person; two members with one id make every call of that id ambiguous",
    )
}

pub fn duplicate_email(
    file: &str,
    index: usize,
    first: usize,
    id: Option<&Value>,
    email: &str,
    first_email: &str,
) -> Diagnostic {
    Diagnostic::new(
        Rule::DuplicateEmail,
        file,
        member_field(index, "email"),
        format!(
            "{} has email {}, as team member {} does{}",
            describe::member(index, id),
            personal::email(email),
            first + 1,
            crate::text::as_written(Personal::Email, email, first_email)
        ),
    )
    .with_related(
        member_field(first, "email"),
        format!("first used by team member {}", first + 1),
    )
    .with_help("emails are compared without regard to case: one address belongs to one member")
}

pub fn future_timestamp(
    file: &str,
    pointer: &str,
    field: &str,
    subject: &str,
    text: &str,
    as_of: Option<DateTime<FixedOffset>>,
) -> Diagnostic {
    let limit = match as_of {
        Some(as_of) => format!("after the as-of time {}", as_of.to_rfc3339()),
        None => "more than a day past this machine's clock".to_owned(),
    };
    Diagnostic::new(
        Rule::FutureTimestamp,
        file,
        at(pointer.to_owned()),
        format!("{} of {subject} is {text}, {limit}", quote(field)),
    )
    .with_help("a report can only record what has happened; a clock or time-zone error in the exporter is the usual cause")
}

pub fn member_before_account_created(
    file: &str,
    index: usize,
    id: Option<&Value>,
    field: &str,
    text: &str,
    created: &str,
) -> Diagnostic {
    Diagnostic::new(
        Rule::BeforeAccountCreated,
        file,
        member_field(index, field),
        format!(
            "{} of {} is {text}, before the account was created at {created}",
            quote(field),
            describe::member(index, id)
        ),
    )
    .with_related(
        member_field(index, "created_at"),
        "the account was created here",
    )
    .with_help(
        "nothing can happen to an account before it exists; one of the two timestamps is wrong",
    )
}

pub fn duplicate_call_id(file: &str, index: usize, first: usize, call_id: &str) -> Diagnostic {
    Diagnostic::new(
        Rule::DuplicateCallId,
        file,
        at(format!("/calls/{index}/call_id")),
        format!("call {} has call_id {}, as call {} does", index + 1, quote(call_id), first + 1),
    )
    .with_related(at(format!("/calls/{first}/call_id")), format!("first used by call {}", first + 1))
    .with_help("each call is recorded once; a repeated call_id usually means the exporter wrote a call twice")
}

pub fn call_ends_before_start(
    file: &str,
    index: usize,
    subject: &str,
    start: &str,
    end: &str,
) -> Diagnostic {
    Diagnostic::new(
        Rule::CallEndsBeforeStart,
        file,
        at(format!("/calls/{index}/ended_at")),
        format!("{subject} ends at {end}, before it starts at {start}"),
    )
    .with_related(at(format!("/calls/{index}/started_at")), "the call starts here")
    .with_help("ended_at must not be earlier than started_at; check the two for swapped values or a time-zone error")
}

pub fn call_duration_mismatch(
    file: &str,
    index: usize,
    subject: &str,
    duration: i64,
    elapsed: f64,
) -> Diagnostic {
    Diagnostic::new(
        Rule::CallDurationMismatch,
        file,
        at(format!("/calls/{index}/duration_minutes")),
        format!(
            "{subject} lasts {duration} minutes by duration_minutes, but {} minutes from started_at to ended_at",
            format_minutes(elapsed)
        ),
    )
    .with_related(at(format!("/calls/{index}/started_at")), "started here")
    .with_related(at(format!("/calls/{index}/ended_at")), "ended here")
    .with_help("duration_minutes should equal ended_at − started_at, to within a minute")
}

fn format_minutes(minutes: f64) -> String {
    if minutes.fract().abs() < 0.005 {
        format!("{minutes:.0}")
    } else {
        format!("{minutes:.2}")
    }
}

pub fn call_outside_window(
    file: &str,
    index: usize,
    start: &str,
    end: &str,
    end_words: &str,
) -> Diagnostic {
    Diagnostic::new(
        Rule::CallOutsideWindow,
        file,
        at(format!("/calls/{index}/started_at")),
        format!("call {} started at {start}, more than six months before {end} ({end_words})", index + 1),
    )
    .with_help("the usage report covers six months of calls; pass --as-of with the time the report was downloaded if this is an old export")
}

pub fn empty_call(file: &str, index: usize, subject: &str) -> Diagnostic {
    Diagnostic::new(
        Rule::EmptyCall,
        file,
        at(format!("/calls/{index}/participants")),
        format!("{subject} has no participants"),
    )
    .with_help("a call is between people; a call nobody took part in usually means the participants were lost on export")
}

pub fn participant_exceeds_call(
    file: &str,
    call: usize,
    p: usize,
    id: Option<&Number>,
    stayed: i64,
    duration: i64,
) -> Diagnostic {
    Diagnostic::new(
        Rule::ParticipantExceedsCall,
        file,
        participant_field(call, p, "duration_minutes"),
        format!(
            "{} was in the call for {stayed} minutes, but the call lasted {duration}",
            describe::participant(call, p, id.cloned().map(Value::Number).as_ref())
        ),
    )
    .with_related(
        at(format!("/calls/{call}/duration_minutes")),
        "the call's duration",
    )
    .with_help(
        "no one can stay in a call longer than the call lasts (a minute of rounding is allowed)",
    )
}

pub fn duplicate_participant(
    file: &str,
    call: usize,
    p: usize,
    first: usize,
    id: i64,
) -> Diagnostic {
    Diagnostic::new(
        Rule::DuplicateParticipant,
        file,
        participant_field(call, p, "user_id"),
        format!(
            "user_id {id} takes part in call {} twice, as participants {} and {}",
            call + 1,
            first + 1,
            p + 1
        ),
    )
    .with_related(participant_field(call, first, "user_id"), "first listed here")
    .with_help("each person appears once among a call's participants, with their total time in duration_minutes")
}

pub fn unknown_participant(
    file: &str,
    call: usize,
    p: usize,
    participant: &ParticipantFacts<'_>,
) -> Diagnostic {
    let id = participant.user_id.clone().map(Value::Number);
    let id = id.as_ref();
    let who = match (participant.name.as_deref(), participant.email.as_deref()) {
        (Some(name), Some(email)) => {
            format!(" ({}, {})", personal::name(name), personal::email(email))
        }
        (Some(name), None) => format!(" ({})", personal::name(name)),
        _ => String::new(),
    };
    Diagnostic::new(
        Rule::UnknownParticipant,
        file,
        participant_field(call, p, "user_id"),
        format!("{}{who} is not among the team members", describe::participant(call, p, id)),
    )
    .with_help("the usage report leaves deleted members out, so a participant who has since left the team appears only in calls; if this person is still on the team, the member list is incomplete")
}

/// A participant whose user_id is no member's, while their email is `member`'s.
pub fn participant_user_id_mismatch(
    file: &str,
    call: usize,
    p: usize,
    member: usize,
    id: i64,
    member_id: Option<&Value>,
    email: &str,
) -> Diagnostic {
    let member_id_text = member_id.map_or("is missing".to_owned(), |id| format!("is {id}"));
    Diagnostic::new(
        Rule::ParticipantMismatch,
        file,
        participant_field(call, p, "user_id"),
        format!(
            "participant {} of call {} has user_id {id}, but their email {} is team member {}'s, whose user_id {member_id_text}",
            p + 1,
            call + 1,
            personal::email(email),
            member + 1,
        ),
    )
    .with_related(member_field(member, "user_id"), format!("team member {} with email {}", member + 1, personal::email(email)))
    .with_help("one of the two user_ids is wrong: a member's id changed between the export of members and of calls, or was mistyped")
}

#[allow(clippy::too_many_arguments)]
pub fn participant_mismatch(
    file: &str,
    call: usize,
    p: usize,
    member: usize,
    id: i64,
    field: &str,
    said: &str,
    known: &str,
) -> Diagnostic {
    let difference = Difference::of(said, known);
    Diagnostic::new(
        Rule::ParticipantMismatch,
        file,
        participant_field(call, p, field),
        format!(
            "participant {} (user_id {id}) of call {} has {field} {}, but team member {} has {}{}",
            p + 1,
            call + 1,
            personal::revealing(field, said, difference.hides()),
            member + 1,
            personal::revealing(field, known, difference.hides()),
            difference.explained()
        ),
    )
    .with_related(member_field(member, field), format!("team member {} with user_id {id}", member + 1))
    .with_help("a participant should be the team member with the same user_id; a renamed member or mixed-up ids cause this")
}

pub fn call_before_account_created(
    file: &str,
    call: usize,
    p: usize,
    member: usize,
    id: i64,
    start: &str,
    created: &str,
) -> Diagnostic {
    Diagnostic::new(
        Rule::BeforeAccountCreated,
        file,
        participant_field(call, p, "user_id"),
        format!(
            "user_id {id} took part in call {} at {start}, before their account was created at {created}",
            call + 1
        ),
    )
    .with_related(member_field(member, "created_at"), format!("team member {}'s account was created here", member + 1))
    .with_help("nothing can happen to an account before it exists; the call's time or the member's created_at is wrong")
}

pub fn last_call_missing(file: &str, index: usize, member: &MemberFacts, null: bool) -> Diagnostic {
    let (anchor, state) = if null {
        (member_field(index, "last_call_at"), "null")
    } else {
        (at(format!("/team_members/{index}")), "absent")
    };
    let mut diagnostic = Diagnostic::new(
        Rule::LastCallStale,
        file,
        anchor,
        format!(
            "{} has last_call_at {state}, but took part in {}",
            member_subject(index, member),
            crate::text::plural(member.calls, "call", "calls")
        ),
    );
    if let Some((_, call, p)) = member.latest_call {
        diagnostic =
            diagnostic.with_related(participant_field(call, p, "user_id"), "their latest call");
    }
    diagnostic.with_help("last_call_at is the time of the member's last call; it can only be null for someone who never took part in one")
}

pub fn last_call_stale(
    file: &str,
    index: usize,
    member: &MemberFacts,
    last: &str,
    call: usize,
    p: usize,
) -> Diagnostic {
    Diagnostic::new(
        Rule::LastCallStale,
        file,
        member_field(index, "last_call_at"),
        format!(
            "{} has last_call_at {last}, but took part in call {} after it",
            member_subject(index, member),
            call + 1
        ),
    )
    .with_related(at(format!("/calls/{call}/started_at")), "that call started here")
    .with_related(participant_field(call, p, "user_id"), "the member takes part here")
    .with_help("last_call_at must be at least as late as the start of the member's latest call; the value is out of date")
}

pub fn last_call_unmatched(
    file: &str,
    index: usize,
    member: &MemberFacts,
    last: &str,
) -> Diagnostic {
    Diagnostic::new(
        Rule::LastCallUnmatched,
        file,
        member_field(index, "last_call_at"),
        match member.calls {
            0 => format!(
                "{} has last_call_at {last}, within the span of this report's calls, but took part in none of them",
                member_subject(index, member)
            ),
            calls => format!(
                "{} has last_call_at {last}, but none of their {} starts or ends then",
                member_subject(index, member),
                crate::text::plural(calls, "call", "calls")
            ),
        },
    )
    .with_help("the time lies within the calls this report covers, so the call it names should be among them")
}
