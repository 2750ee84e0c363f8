//! Rules about one call at a time, and what each call tells about its participants.

use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::collections::HashMap;

use super::diags;
use super::ReportRules;
use crate::parse::call::{integer, CallFacts, MemberLookup, ParticipantFacts};

impl<'t> ReportRules<'_, 't> {
    /// Checks one call, whose participants are in `participants` where the call says. The
    /// team members must have been given first.
    pub fn call(
        &mut self,
        index: usize,
        call: &CallFacts<'t>,
        participants: &[ParticipantFacts<'t>],
    ) {
        self.calls += 1;
        if !call.object {
            return;
        }
        // Worded only when there is a finding to word: most calls have none.
        let subject = || crate::describe::call(index, call.call_id.as_deref());

        // A UUID is kept as its 128 bits, by position, and its repeats found once all calls
        // are in (`duplicate_call_ids`): 16 bytes a call. Anything else (which the schema
        // reports) is compared as text, at once.
        self.call_ids.resize(index, NO_UUID);
        match call.call_id.as_deref().map(|id| (id, call.call_id_bits)) {
            Some((_, Some(bits))) if bits != NO_UUID => self.call_ids.push(bits),
            Some((id, _)) => {
                self.call_ids.push(NO_UUID);
                let position = u32::try_from(index).unwrap_or(u32::MAX);
                let first = *self.other_call_ids.entry(id.to_owned()).or_insert(position);
                if first != position {
                    self.out.push(diags::duplicate_call_id(
                        self.file,
                        index,
                        first as usize,
                        id,
                    ));
                }
            }
            None => self.call_ids.push(NO_UUID),
        }

        let started = call
            .started
            .as_ref()
            .map(|(time, text)| (*time, text.as_ref()));
        let ended = call
            .ended
            .as_ref()
            .map(|(time, text)| (*time, text.as_ref()));
        for (field, time) in [("started_at", started), ("ended_at", ended)] {
            if let Some((time, text)) = time {
                self.note_time(|| format!("/calls/{index}"), field, subject, time, text);
            }
        }
        let duration = call.duration;
        if let (Some((start, start_text)), Some((end, end_text))) = (started, ended) {
            if end < start {
                self.out.push(diags::call_ends_before_start(
                    self.file,
                    index,
                    &subject(),
                    start_text,
                    end_text,
                ));
            } else if let Some(duration) = duration {
                let elapsed = (end - start).num_milliseconds() as f64 / 60_000.0;
                if (duration as f64 - elapsed).abs() > 1.0 {
                    self.out.push(diags::call_duration_mismatch(
                        self.file,
                        index,
                        &subject(),
                        duration,
                        elapsed,
                    ));
                }
            }
        }
        if let Some((start, start_text)) = started {
            if self
                .first_call
                .as_ref()
                .is_none_or(|(first, _)| start < *first)
            {
                self.first_call = Some((start, written_start(call)));
            }
            if self
                .last_call
                .as_ref()
                .is_none_or(|(last, _)| start > *last)
            {
                self.last_call = Some((start, written_start(call)));
            }
            match self.as_of.given {
                Some(as_of) => {
                    if self.window_start.is_some_and(|cutoff| start < cutoff) {
                        self.out.push(diags::call_outside_window(
                            self.file,
                            index,
                            start_text,
                            &as_of.to_rfc3339(),
                            "the as-of time",
                        ));
                    }
                }
                None => {
                    // By position: a call without a readable start keeps its place as NO_START.
                    self.call_starts.resize(index, NO_START);
                    self.call_starts.push(start_seconds(start.timestamp()));
                }
            }
        }
        if let Some((end, _)) = ended {
            if self.last_end.is_none_or(|last| end > last) {
                self.last_end = Some(end);
            }
        }

        self.tally_activity(started.map(|(time, _)| time), duration);
        let Some(participants) = call
            .participants
            .clone()
            .and_then(|at| participants.get(at))
        else {
            return;
        };
        if participants.is_empty() {
            self.out
                .push(diags::empty_call(self.file, index, &subject()));
        }
        // The ids met so far in this call: a vector kept from call to call, as a fresh one
        // for each of 300,000 calls cost more than the search in it.
        let mut seen = std::mem::take(&mut self.seen_in_call);
        seen.clear();
        for (p, participant) in participants.iter().enumerate() {
            if let (Some(stayed), Some(duration)) = (participant.duration, duration) {
                if stayed > duration + 1 {
                    self.out.push(diags::participant_exceeds_call(
                        self.file,
                        index,
                        p,
                        participant.user_id.as_ref(),
                        stayed,
                        duration,
                    ));
                }
            }
            let Some(id) = participant.user_id.as_ref().and_then(integer) else {
                continue;
            };
            if let Some(&(_, first)) = seen.iter().find(|(seen_id, _)| *seen_id == id) {
                self.out
                    .push(diags::duplicate_participant(self.file, index, p, first, id));
                continue;
            }
            seen.push((id, p));
            self.participant(index, p, participant, id, started, ended);
        }
        self.seen_in_call = seen;
    }

    /// What one participant's presence in a call says about the team member.
    fn participant(
        &mut self,
        call: usize,
        p: usize,
        participant: &ParticipantFacts<'_>,
        id: i64,
        started: Option<(super::Moment, &str)>,
        ended: Option<(super::Moment, &str)>,
    ) {
        let lookup = match participant.member {
            MemberLookup::NotDone => self.roster.look_up(participant),
            done => done,
        };
        let MemberLookup::Member {
            index: m,
            name_differs,
            email_differs,
            ..
        } = lookup
        else {
            if !self.roster.listed {
                return;
            }
            // Someone with a team member's email but another user_id: one of the two ids is
            // wrong, and saying so points at the member, where "not among the team members"
            // would send the reader looking for someone who is there.
            let by_email = participant
                .email
                .as_deref()
                .and_then(|email| self.emails.get(&email.to_lowercase()).copied());
            match by_email {
                Some(member) => self.out.push(diags::participant_user_id_mismatch(
                    self.file,
                    call,
                    p,
                    member,
                    id,
                    self.members[member].user_id.as_ref(),
                    participant.email.as_deref().unwrap_or_default(),
                )),
                None => self
                    .out
                    .push(diags::unknown_participant(self.file, call, p, participant)),
            }
            return;
        };
        // The member's own record is read only for a finding: what every participant
        // updates is its tally (see `Tally`).
        for (field, differs) in [("name", name_differs), ("email", email_differs)] {
            if !differs {
                continue;
            }
            let member = &self.members[m];
            let (said, known) = if field == "name" {
                (&participant.name, &member.name)
            } else {
                (&participant.email, &member.email)
            };
            if let (Some(said), Some(known)) = (said, known) {
                self.out.push(diags::participant_mismatch(
                    self.file, call, p, m, id, field, said, known,
                ));
            }
        }
        if let (Some((start, start_text)), Some(created)) = (started, self.tallies[m].created_at) {
            if start < created {
                let created_text = self.members[m]
                    .created_at
                    .as_ref()
                    .map_or("", |(_, text)| text.as_str());
                self.out.push(diags::call_before_account_created(
                    self.file,
                    call,
                    p,
                    m,
                    id,
                    start_text,
                    created_text,
                ));
            }
        }
        let tally = &mut self.tallies[m];
        tally.calls = tally.calls.saturating_add(1);
        let minutes = participant
            .duration
            .unwrap_or(0)
            .clamp(0, i64::from(u32::MAX));
        tally.minutes = tally.minutes.saturating_add(minutes as u32);
        if let Some((start, _)) = started {
            if tally
                .latest_call
                .is_none_or(|(latest, _, _)| start > latest)
            {
                // Positions beyond 32 bits would need a report of some 2 TB.
                let at = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
                tally.latest_call = Some((start, at(call), at(p)));
            }
        }
        if let Some(last) = tally.last_call_at {
            let same_second = |time: Option<(super::Moment, &str)>| {
                time.is_some_and(|(t, _)| t.timestamp() == last.timestamp())
            };
            if same_second(started) || same_second(ended) {
                tally.last_call_matched = true;
            }
        }
    }
}

/// The call's start as written: a borrow of the report (a copy only if it had escapes).
fn written_start<'t>(call: &CallFacts<'t>) -> Cow<'t, str> {
    call.started
        .as_ref()
        .map_or(Cow::Borrowed(""), |(_, text)| text.clone())
}

/// A call whose start could not be read, in [`ReportRules::call_starts`].
pub(super) const NO_START: u32 = u32::MAX;

/// A call's start as kept for the six-month window: Unix seconds in 32 bits, which reach to
/// 2106. A start before 1970 is kept as 0, which lies outside any window all the same.
pub(super) fn start_seconds(seconds: i64) -> u32 {
    seconds.clamp(0, i64::from(NO_START) - 1) as u32
}

/// A call without a UUID call_id, in [`ReportRules::call_ids`]. (The all-ones UUID, were a
/// report to use it, is compared as text instead.)
pub(super) const NO_UUID: u128 = u128::MAX;

impl ReportRules<'_, '_> {
    /// `duplicate-call-id` for UUIDs: each repeat reported against the first call with its
    /// id, in the order of the report.
    ///
    /// This runs once every call is in, when nothing else is left to overlap with, so it is
    /// on the critical path: the ids are sorted as values (no positions to carry, and no
    /// jumping about the id list to compare them), and only the few that repeat are then
    /// looked for in order.
    pub(super) fn duplicate_call_ids(&mut self) {
        let ids = std::mem::take(&mut self.call_ids);
        let repeated = repeated_ids(&ids);
        if repeated.is_empty() {
            return;
        }
        let mut first: HashMap<u128, usize> = HashMap::with_capacity(repeated.len());
        for (index, &id) in ids.iter().enumerate() {
            if id == NO_UUID || repeated.binary_search(&id).is_err() {
                continue;
            }
            match first.entry(id) {
                Entry::Vacant(slot) => {
                    slot.insert(index);
                }
                Entry::Occupied(slot) => {
                    let text = crate::formats::uuid_text(id);
                    self.out.push(diags::duplicate_call_id(
                        self.file,
                        index,
                        *slot.get(),
                        &text,
                    ));
                }
            }
        }
    }
}

/// The ids (other than [`NO_UUID`]) that occur more than once, sorted.
///
/// The ids are first dealt into buckets by their top byte (random in the UUIDs the vendor
/// writes), so that each bucket is sorted within the cache.
fn repeated_ids(ids: &[u128]) -> Vec<u128> {
    let bucket = |id: u128| (id >> 120) as usize;
    let mut starts = [0usize; 257];
    for &id in ids.iter().filter(|&&id| id != NO_UUID) {
        starts[bucket(id) + 1] += 1;
    }
    for b in 1..starts.len() {
        starts[b] += starts[b - 1];
    }
    let mut sorted = vec![0u128; starts[256]];
    let mut next = starts;
    for &id in ids.iter().filter(|&&id| id != NO_UUID) {
        sorted[next[bucket(id)]] = id;
        next[bucket(id)] += 1;
    }
    for bounds in starts.windows(2) {
        sorted[bounds[0]..bounds[1]].sort_unstable();
    }
    let mut repeated = Vec::new();
    for pair in sorted.windows(2) {
        if pair[0] == pair[1] && repeated.last() != Some(&pair[0]) {
            repeated.push(pair[0]);
        }
    }
    repeated
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_ids_are_found_in_any_bucket_once_each() {
        let high = |top: u128, low: u128| (top << 120) | low;
        let ids = [
            high(0xff, 1),
            NO_UUID,
            high(0, 7),
            high(0x80, 3),
            high(0, 7),
            NO_UUID,
            high(0xff, 1),
            high(0xff, 2),
            high(0, 7),
            high(0x80, 4),
        ];
        assert_eq!(repeated_ids(&ids), vec![high(0, 7), high(0xff, 1)]);
        assert!(repeated_ids(&[NO_UUID, NO_UUID, 5]).is_empty());
        // Many, with repeats in buckets far apart.
        let mut many: Vec<u128> = (0..70_000u128)
            .map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15_F39C_C060_5CED_C835))
            .collect();
        many.extend([many[3], many[69_000], many[3]]);
        let mut expected = vec![many[3], many[69_000]];
        expected.sort_unstable();
        assert_eq!(repeated_ids(&many), expected);
        assert!(repeated_ids(&[]).is_empty());
    }
}
