//! The calls by the day they start on, for the HTML page's chart of the six months: kept only
//! when an output asks for it ([`ReportRules::keep_activity`]), as it costs a little on every
//! call, on the thread that applies the rules.

use std::collections::BTreeMap;

use chrono::Months;

use super::calls::NO_START;
use super::{Moment, ReportRules};

/// What the report's calls add up to over time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Activity {
    /// The days with at least one call, in order.
    pub days: Vec<DayActivity>,
    /// The six months the report should cover: to `--as-of`, or else to the newest
    /// timestamp of the report that is not in the future (as `call-outside-window` judges).
    /// `None` when the report has no timestamp to end it.
    pub window: Option<Window>,
    /// Calls that start before the window.
    pub before_window: usize,
    /// Calls that start after the as-of time (or a day past this machine's clock).
    pub in_future: usize,
    /// Calls whose start could not be read.
    pub undated: usize,
}

/// The six-month window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub start: Moment,
    pub end: Moment,
    /// Whether the end is `--as-of` (rather than the report's newest timestamp).
    pub as_of: bool,
}

/// The calls that start on one day (UTC).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DayActivity {
    /// Days since 1970-01-01.
    pub day: i64,
    pub calls: usize,
    /// The sum of the calls' `duration_minutes`.
    pub minutes: u64,
}

/// Days a table holds: the calls of a report lie within months of each other.
const TABLE_DAYS: i64 = 1024;

/// The tally as the calls stream by: by day, in a table around the first call's day (an
/// index a call, where a map cost 5 % of the time of a folder of exports), and in a map for
/// any day beyond its reach.
#[derive(Debug, Default)]
pub(super) struct ActivityTally {
    /// The day of `table[0]`.
    first_day: i64,
    /// Calls and minutes, by day from `first_day`; empty until the first dated call.
    table: Vec<(usize, u64)>,
    far: BTreeMap<i64, (usize, u64)>,
    before_window: usize,
    in_future: usize,
    undated: usize,
}

impl ReportRules<'_, '_> {
    /// Keeps the calls by day, for [`Finished::activity`](super::Finished::activity).
    pub fn keep_activity(&mut self) {
        self.activity = Some(ActivityTally::default());
    }

    /// One call, with its start (if readable) and minutes (if a whole number).
    pub(super) fn tally_activity(&mut self, start: Option<Moment>, minutes: Option<i64>) {
        if self.activity.is_none() {
            return;
        }
        let (future_limit, window_start) = (self.future_limit(), self.window_start);
        let Some(tally) = &mut self.activity else {
            return;
        };
        let Some(start) = start else {
            tally.undated += 1;
            return;
        };
        if start > future_limit {
            tally.in_future += 1;
        } else if window_start.is_some_and(|cutoff| start < cutoff) {
            tally.before_window += 1;
        }
        let day = start.timestamp().div_euclid(86_400);
        if tally.table.is_empty() {
            tally.first_day = day - TABLE_DAYS / 2;
            tally.table = vec![(0, 0); TABLE_DAYS as usize];
        }
        let entry = match usize::try_from(day - tally.first_day)
            .ok()
            .and_then(|at| tally.table.get_mut(at))
        {
            Some(entry) => entry,
            None => tally.far.entry(day).or_default(),
        };
        entry.0 += 1;
        entry.1 += minutes.map_or(0, |m| m.max(0) as u64);
    }

    /// The activity, once every call is in.
    pub(super) fn finish_activity(&mut self) -> Option<Activity> {
        let mut tally = self.activity.take()?;
        let window = match self.as_of.given {
            Some(as_of) => self.window_start.map(|start| Window {
                start,
                end: as_of,
                as_of: true,
            }),
            None => self.newest.and_then(|end| {
                let start = end.checked_sub_months(Months::new(6))?;
                Some(Window {
                    start,
                    end,
                    as_of: false,
                })
            }),
        };
        // Without an as-of time the window's start is known only now: counted from the starts
        // kept for `call-outside-window`.
        if let (None, Some(window)) = (self.as_of.given, window) {
            let cutoff = window.start.timestamp();
            tally.before_window = self
                .call_starts
                .iter()
                .filter(|&&start| start != NO_START && i64::from(start) < cutoff)
                .count();
        }
        let first_day = tally.first_day;
        let mut days: BTreeMap<i64, (usize, u64)> = std::mem::take(&mut tally.far);
        for (at, &(calls, minutes)) in tally.table.iter().enumerate() {
            if calls > 0 {
                days.insert(first_day + at as i64, (calls, minutes));
            }
        }
        Some(Activity {
            days: days
                .into_iter()
                .map(|(day, (calls, minutes))| DayActivity {
                    day,
                    calls,
                    minutes,
                })
                .collect(),
            window,
            before_window: tally.before_window,
            in_future: tally.in_future,
            undated: tally.undated,
        })
    }
}
