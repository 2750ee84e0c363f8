//! Findings that need the whole report: a member's `last_call_at` against all their calls, and
//! the six-month window when its end is the report's newest timestamp.

use chrono::{DateTime, Months};

use super::calls::NO_START;
use super::diags;
use super::facts::{self, LastCall};
use super::ReportRules;

impl ReportRules<'_, '_> {
    pub(super) fn check_timeline(&mut self) {
        if self.as_of.given.is_none() {
            if let Some(newest) = self.newest {
                if let Some(cutoff) = newest.checked_sub_months(Months::new(6)) {
                    let cutoff = cutoff.timestamp();
                    let newest = newest.to_rfc3339();
                    for (index, &start) in self.call_starts.iter().enumerate() {
                        if start != NO_START && i64::from(start) < cutoff {
                            let text = match start {
                                0 => "a time before 1970".to_owned(),
                                _ => DateTime::from_timestamp(i64::from(start), 0)
                                    .map_or_else(String::new, |t| t.to_rfc3339()),
                            };
                            self.out.push(diags::call_outside_window(
                                self.file,
                                index,
                                &text,
                                &newest,
                                "the newest timestamp in the report",
                            ));
                        }
                    }
                }
            }
        }

        let span = self
            .first_call
            .as_ref()
            .map(|(first, _)| *first)
            .zip(self.last_end);
        for (index, member) in self.members.iter().enumerate() {
            // The calls of a shared user_id cannot be told apart; duplicate-user-id says so.
            let shared = facts::user_id(member.user_id.as_ref())
                .is_some_and(|id| self.roster.first_with(id) != Some(index));
            if shared {
                continue;
            }
            let stale = match (&member.last_call, member.latest_call) {
                _ if member.calls == 0 => false,
                (LastCall::Absent | LastCall::Null, _) => {
                    let null = matches!(member.last_call, LastCall::Null);
                    self.out
                        .push(diags::last_call_missing(self.file, index, member, null));
                    true
                }
                (LastCall::At(last, text), Some((latest, call, p))) if latest > *last => {
                    self.out.push(diags::last_call_stale(
                        self.file, index, member, text, call, p,
                    ));
                    true
                }
                _ => false,
            };
            if let (false, LastCall::At(last, text), Some((first, last_end))) =
                (stale, &member.last_call, span)
            {
                if *last >= first && *last <= last_end && !member.last_call_matched {
                    self.out
                        .push(diags::last_call_unmatched(self.file, index, member, text));
                }
            }
        }
    }
}
