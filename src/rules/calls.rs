//! Rules about one call at a time, and what each call tells about its participants.

use chrono::Months;
use serde_json::Value;

use super::diags;
use super::facts::{minutes, timestamp, user_id, LastCall};
use super::ReportRules;
use crate::schema::formats::uuid_bits;

impl ReportRules<'_> {
    pub(super) fn check_call(&mut self, index: usize, call: &Value) {
        if !call.is_object() {
            return;
        }
        let pointer = format!("/calls/{index}");
        // Worded only when there is a finding to word: most calls have none.
        let subject = || crate::describe::call(index, call.get("call_id"));

        if let Some(call_id) = call.get("call_id").and_then(Value::as_str) {
            let position = u32::try_from(index).unwrap_or(u32::MAX);
            let first = match uuid_bits(call_id) {
                Some(bits) => *self.call_ids.entry(bits).or_insert(position),
                None => *self
                    .other_call_ids
                    .entry(call_id.to_owned())
                    .or_insert(position),
            };
            if first != position {
                self.out.push(diags::duplicate_call_id(
                    self.file,
                    index,
                    first as usize,
                    call_id,
                ));
            }
        }

        let started = timestamp(call.get("started_at"));
        let ended = timestamp(call.get("ended_at"));
        for (field, time) in [("started_at", started), ("ended_at", ended)] {
            if let Some((time, text)) = time {
                self.note_time(&pointer, field, subject, time, text);
            }
        }
        let duration = minutes(call.get("duration_minutes"));
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
                self.first_call = Some((start, start_text.to_owned()));
            }
            if self
                .last_call
                .as_ref()
                .is_none_or(|(last, _)| start > *last)
            {
                self.last_call = Some((start, start_text.to_owned()));
            }
            match self.as_of.given {
                Some(as_of) => {
                    let cutoff = as_of.checked_sub_months(Months::new(6));
                    if cutoff.is_some_and(|cutoff| start < cutoff) {
                        self.out.push(diags::call_outside_window(
                            self.file,
                            index,
                            start_text,
                            &as_of.to_rfc3339(),
                            "the as-of time",
                        ));
                    }
                }
                None => self
                    .call_starts
                    .push((start.timestamp(), u32::try_from(index).unwrap_or(u32::MAX))),
            }
        }
        if let Some((end, _)) = ended {
            if self.last_end.is_none_or(|last| end > last) {
                self.last_end = Some(end);
            }
        }

        let Some(Value::Array(participants)) = call.get("participants") else {
            return;
        };
        if participants.is_empty() {
            self.out
                .push(diags::empty_call(self.file, index, &subject()));
        }
        let mut seen: Vec<(i64, usize)> = Vec::with_capacity(participants.len());
        for (p, participant) in participants.iter().enumerate() {
            let id_value = participant.get("user_id");
            if let (Some(stayed), Some(duration)) =
                (minutes(participant.get("duration_minutes")), duration)
            {
                if stayed > duration + 1 {
                    self.out.push(diags::participant_exceeds_call(
                        self.file, index, p, id_value, stayed, duration,
                    ));
                }
            }
            let Some(id) = user_id(id_value) else {
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
    }

    /// What one participant's presence in a call says about the team member.
    fn participant(
        &mut self,
        call: usize,
        p: usize,
        participant: &Value,
        id: i64,
        started: Option<(super::Instant, &str)>,
        ended: Option<(super::Instant, &str)>,
    ) {
        let Some(&m) = self.by_user_id.get(&id) else {
            if self.have_members {
                self.out
                    .push(diags::unknown_participant(self.file, call, p, participant));
            }
            return;
        };
        let member = &self.members[m];
        for field in ["name", "email"] {
            let said = participant.get(field).and_then(Value::as_str);
            let known = if field == "name" {
                member.name.as_deref()
            } else {
                member.email.as_deref()
            };
            let differs = match (said, known) {
                (Some(said), Some(known)) if field == "email" => {
                    said.to_lowercase() != known.to_lowercase()
                }
                (Some(said), Some(known)) => said != known,
                _ => false,
            };
            if let (true, Some(said), Some(known)) = (differs, said, known) {
                self.out.push(diags::participant_mismatch(
                    self.file, call, p, m, id, field, said, known,
                ));
            }
        }
        if let (Some((start, start_text)), Some((created, created_text))) =
            (started, member.created_at.as_ref())
        {
            if start < *created {
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
        let member = &mut self.members[m];
        member.calls += 1;
        if let Some((start, _)) = started {
            if member
                .latest_call
                .is_none_or(|(latest, _, _)| start > latest)
            {
                member.latest_call = Some((start, call, p));
            }
        }
        if let LastCall::At(last, _) = &member.last_call {
            let same_second = |time: Option<(super::Instant, &str)>| {
                time.is_some_and(|(t, _)| t.timestamp() == last.timestamp())
            };
            if same_second(started) || same_second(ended) {
                member.last_call_matched = true;
            }
        }
    }
}
