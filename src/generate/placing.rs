//! Where each defect goes: the element its place names, or the nearest free one, so that
//! defects never share an element and each stays the only finding of its rule.

use std::io;

use super::{Defect, Place};
use crate::registry::Stage;
use crate::Rule;

/// Where a defect is planted.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) struct Kind {
    pub array: Array,
    /// It also involves the element before its own (a duplicate of the previous element).
    pub pair: bool,
    /// It needs a member who takes part in a call.
    pub in_calls: bool,
}

/// Where a defect of `rule` goes; `None` for a rule the generator cannot plant.
pub(super) fn kind(rule: Rule) -> Option<Kind> {
    let in_members = matches!(rule.stage(), Stage::UserReport | Stage::CrossCheck)
        || matches!(
            rule,
            Rule::DuplicateUserId
                | Rule::DuplicateEmail
                | Rule::LastCallStale
                | Rule::FutureTimestamp
                | Rule::BeforeAccountCreated
        );
    super::SUPPORTED.contains(&rule).then_some(Kind {
        array: if in_members {
            Array::Members
        } else {
            Array::Calls
        },
        pair: matches!(
            rule,
            Rule::DuplicateUserId | Rule::DuplicateEmail | Rule::DuplicateCallId
        ),
        in_calls: rule == Rule::LastCallStale,
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Array {
    Members,
    Calls,
}

pub(super) fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, message)
}

/// The elements defects went to, and which are taken.
#[derive(Default)]
pub(super) struct Placed {
    pub defects: Vec<(usize, Rule)>,
    claimed: Vec<usize>,
}

impl Placed {
    /// Finds `defect` an element of an array of `len`: its place, or the nearest free element
    /// that `fits`.
    pub(super) fn add(
        &mut self,
        defect: Defect,
        kind: Kind,
        len: usize,
        fits: impl Fn(usize) -> bool,
    ) -> io::Result<()> {
        let target = place(len, kind.pair, defect.place, &self.claimed, fits).ok_or_else(|| {
            let what = match kind.array {
                Array::Members if kind.in_calls => "team members who take part in calls",
                Array::Members => "team members",
                Array::Calls => "calls",
            };
            invalid(format!(
                "cannot plant {defect}: too few {what} for the defects asked for"
            ))
        })?;
        self.claimed.push(target);
        if kind.pair {
            self.claimed.push(target - 1);
        }
        self.defects.push((target, defect.rule));
        self.defects.sort_unstable();
        Ok(())
    }
}

/// The rule planted at `index`, if any; `defects` are sorted by index.
pub(super) fn find(defects: &[(usize, Rule)], index: usize) -> Option<Rule> {
    defects
        .binary_search_by_key(&index, |&(i, _)| i)
        .ok()
        .map(|k| defects[k].1)
}

/// Where a defect goes in an array of `len`: its place, or the nearest free element that
/// `fits`. A pair defect needs the element before its own too.
fn place(
    len: usize,
    pair: bool,
    place: Place,
    claimed: &[usize],
    fits: impl Fn(usize) -> bool,
) -> Option<usize> {
    let lowest = usize::from(pair);
    if len <= lowest {
        return None;
    }
    let free =
        |t: &usize| fits(*t) && !(claimed.contains(t) || (pair && claimed.contains(&(t - 1))));
    let last = len - 1;
    match place {
        Place::Start => (lowest..len).find(free),
        Place::Middle => {
            let middle = (len / 2).max(lowest);
            (middle..len).chain((lowest..middle).rev()).find(free)
        }
        Place::End => (lowest..=last).rev().find(free),
    }
}
