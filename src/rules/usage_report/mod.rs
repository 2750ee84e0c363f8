//! The rules of the usage report that a schema cannot express.
//!
//! They see one team member or one call at a time and keep only compact aggregates: the
//! members (one entry per person), the call ids seen, and per member their latest call. So the
//! calls can stream by without the document ever being held whole. Findings that need the
//! whole report (a stale `last_call_at`, the six-month window when no `--as-of` is given) are
//! made in [`ReportRules::finish`].

pub(crate) mod activity;
mod calls;
mod diags;
mod facts;
mod members;
mod roster;
mod timeline;

pub use activity::Activity;

pub use facts::{LastCall, MemberFacts};
pub use roster::Roster;

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, Utc};
use serde_json::Value;

use crate::diagnostic::{Diagnostic, Findings};
use facts::Moment;

/// How far past this machine's clock a timestamp may lie, when no as-of time is given, before
/// it is `future-timestamp`.
const CLOCK_SLACK_DAYS: i64 = 1;

/// The time the report is judged at.
#[derive(Clone, Copy, Debug)]
pub struct AsOf {
    /// `--as-of`, when given.
    pub given: Option<DateTime<FixedOffset>>,
    /// The current clock, used for `future-timestamp` when no as-of time is given.
    pub now: DateTime<Utc>,
}

/// What the report holds, for the summary.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub members: usize,
    pub calls: usize,
    /// The earliest and latest call start, as written in the report.
    pub first_call: Option<String>,
    pub last_call: Option<String>,
}

/// What the report rules leave when the report has been read.
pub struct Finished {
    pub diagnostics: Vec<Diagnostic>,
    /// Per rule, the findings beyond the cap that were counted but not kept.
    pub omitted: Vec<(crate::registry::Rule, usize)>,
    pub stats: Stats,
    /// One entry per team member, in order.
    pub members: Vec<MemberFacts>,
    /// The calls by day, when [`ReportRules::keep_activity`] asked for them.
    pub activity: Option<Activity>,
}

pub struct ReportRules<'f, 't> {
    file: &'f str,
    as_of: AsOf,
    /// Six months before the as-of time, when one is given: where the window starts.
    window_start: Option<Moment>,
    members: Vec<MemberFacts>,
    /// What the calls tell of each member, by index (see [`facts::Tally`]).
    tallies: Vec<facts::Tally>,
    /// Who the members are, by user_id.
    roster: Arc<Roster>,
    /// Lower-cased email → index of the first member with it.
    emails: HashMap<String, usize>,
    /// The call_id of call `i` at `call_ids[i]`, as 128 bits (see [`calls::NO_UUID`]).
    call_ids: Vec<u128>,
    /// call_ids that are not UUIDs → index of the first call with it.
    other_call_ids: HashMap<String, u32>,
    /// The newest timestamp of the report that is not in the future: where the six-month
    /// window ends when no as-of time is given.
    newest: Option<Moment>,
    /// The start of call `i` at `call_starts[i]`, kept only when the window's end is not
    /// known until the end: 4 bytes a call (see [`calls::start_seconds`]).
    call_starts: Vec<u32>,
    /// The earliest and latest call start, with its text: borrowed from the report, which
    /// this thread then never reads (copying the latest start of each call in turn was
    /// mostly waiting for the text to come from the core that had read it).
    first_call: Option<(Moment, Cow<'t, str>)>,
    last_call: Option<(Moment, Cow<'t, str>)>,
    /// The latest end of any call: with `first_call`, the span the calls cover.
    last_end: Option<Moment>,
    /// Scratch for [`ReportRules::call`]: the user_ids of one call's participants.
    seen_in_call: Vec<(i64, usize)>,
    calls: usize,
    /// The calls by day, when kept (see [`activity`]).
    activity: Option<activity::ActivityTally>,
    out: Findings,
}

impl<'f, 't> ReportRules<'f, 't> {
    /// `cap`: keep at most this many findings of each rule, counting the rest.
    pub fn new(file: &'f str, as_of: AsOf, cap: Option<usize>) -> Self {
        ReportRules {
            file,
            as_of,
            window_start: as_of
                .given
                .and_then(|as_of| as_of.checked_sub_months(chrono::Months::new(6))),
            members: Vec::new(),
            tallies: Vec::new(),
            roster: Arc::default(),
            emails: HashMap::new(),
            call_ids: Vec::new(),
            other_call_ids: HashMap::new(),
            newest: None,
            call_starts: Vec::new(),
            first_call: None,
            last_call: None,
            last_end: None,
            seen_in_call: Vec::new(),
            calls: 0,
            activity: None,
            out: Findings::new(cap),
        }
    }

    /// Takes in the `team_members` value and its roster (`Roster::new(members)`, shared with
    /// whoever reads the calls); anything but an array is the schema's to report.
    pub fn team_members(&mut self, members: Option<&Value>, roster: Arc<Roster>) {
        self.roster = roster;
        let Some(Value::Array(members)) = members else {
            return;
        };
        if members.is_empty() {
            self.out.push(diags::no_team_members(self.file));
        }
        for (index, member) in members.iter().enumerate() {
            self.member(index, member);
        }
    }

    /// Makes the findings that need the whole report, and returns them all with the stats and
    /// what the cross-check needs of the members.
    pub fn finish(mut self) -> Finished {
        for (tally, member) in self.tallies.iter().zip(&mut self.members) {
            tally.settle(member);
        }
        self.duplicate_call_ids();
        self.check_timeline();
        let activity = self.finish_activity();
        let stats = Stats {
            members: self.members.len(),
            calls: self.calls,
            first_call: self.first_call.map(|(_, text)| text.into_owned()),
            last_call: self.last_call.map(|(_, text)| text.into_owned()),
        };
        let (diagnostics, omitted) = self.out.into_parts();
        Finished {
            diagnostics,
            omitted,
            stats,
            members: self.members,
            activity,
        }
    }

    /// The latest time a timestamp may have without being in the future.
    ///
    /// Without an as-of time it is this machine's clock, a day on: a laptop whose clock is
    /// off (a dual-boot machine keeps local time in its hardware clock, up to 14 hours from
    /// UTC) must not call the newest calls of a fresh download future ones.
    fn future_limit(&self) -> Moment {
        self.as_of.given.unwrap_or_else(|| {
            (self.as_of.now + chrono::TimeDelta::days(CLOCK_SLACK_DAYS)).fixed_offset()
        })
    }

    /// Every timestamp of the report passes here: one after the as-of time is a
    /// `future-timestamp`, and the newest of the others is where the six-month window ends
    /// when no as-of time is given.
    fn note_time(
        &mut self,
        pointer: impl FnOnce() -> String,
        field: &str,
        subject: impl FnOnce() -> String,
        time: Moment,
        text: &str,
    ) {
        if time > self.future_limit() {
            let at = format!("{}/{field}", pointer());
            self.out.push(diags::future_timestamp(
                self.file,
                &at,
                field,
                &subject(),
                text,
                self.as_of.given,
            ));
        } else if self.newest.is_none_or(|newest| time > newest) {
            self.newest = Some(time);
        }
    }
}
