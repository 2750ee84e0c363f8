//! What a [`Spec`] becomes: who takes part in calls, where each defect went, and every member
//! and call as a function of the seed and its index.

use std::io;

use super::clock::{days_from_civil, DAY, HOUR, MINUTE};
use super::names::{Person, FIRST, LAST};
use super::placing::{find, invalid, kind, Array, Placed};
use super::rng::{permute, Rng, Stream};
use super::Spec;
use crate::Rule;

/// [`super::ANCHOR`] in Unix seconds.
pub(super) const ANCHOR: i64 = days_from_civil(2026, 11, 1) * DAY;
/// Accounts are created over the two years before this.
const CREATED_END: i64 = ANCHOR - 200 * DAY;
const CREATED_START: i64 = CREATED_END - 730 * DAY;
/// Calls take place on the weekdays of this span, in working hours (UTC).
const CALLS_START: i64 = ANCHOR - 170 * DAY;
const CALLS_END: i64 = ANCHOR - DAY;
const WORK_FROM: i64 = 7 * HOUR;
const WORK_HOURS: i64 = 12 * HOUR;
/// Participants are mostly picked from the host's own team, a run of this many members.
const TEAM: u64 = 8;

/// A member's user_id, name and email as the report writes them, defects included.
#[derive(Clone, Copy)]
pub(super) struct Identity {
    pub user_id: u64,
    pub name: Person,
    pub email: Person,
}

/// One call, before any defect.
pub(super) struct Call {
    pub start: i64,
    pub minutes: u64,
    /// (member index, minutes in the call); the first `count` are used.
    pub people: [(u32, u64); 4],
    pub count: usize,
}

impl Call {
    pub(super) fn participants(&self) -> &[(u32, u64)] {
        &self.people[..self.count]
    }
}

pub(super) struct Plan {
    pub seed: u64,
    pub members: usize,
    pub calls: usize,
    /// (index, rule), by index: at most one defect an element.
    member_defects: Vec<(usize, Rule)>,
    call_defects: Vec<(usize, Rule)>,
    /// The members who take part in calls, by index: 4 bytes a member.
    active: Vec<u32>,
    /// The start of each weekday on which calls take place.
    workdays: Vec<i64>,
    /// Each member's latest call start, from a first pass over the calls: 8 bytes a member.
    last_calls: Vec<i64>,
}

impl Plan {
    pub(super) fn new(spec: &Spec) -> io::Result<Plan> {
        let mut members = Placed::default();
        let mut calls = Placed::default();
        let mut later = Vec::new();
        for &defect in &spec.defects {
            let kind = kind(defect.rule).ok_or_else(|| {
                invalid(format!("the generator cannot plant {}", defect.rule.id()))
            })?;
            match kind.array {
                // Placed once it is known who takes part in calls.
                Array::Members if kind.in_calls => later.push((defect, kind)),
                Array::Members => members.add(defect, kind, spec.members, |_| true)?,
                Array::Calls => calls.add(defect, kind, spec.calls, |_| true)?,
            }
        }

        // A duplicated user_id is shared by two members who take part in no call, so that no
        // call can be told apart from another by it.
        let kept_out = |m: usize| {
            members
                .defects
                .iter()
                .any(|&(t, rule)| rule == Rule::DuplicateUserId && (m == t || m + 1 == t))
        };
        let active: Vec<u32> = (0..spec.members)
            .filter(|&m| {
                let idle =
                    spec.members >= 5 && Rng::new(spec.seed, Stream::Active, m as u64).chance(100);
                !idle && !kept_out(m)
            })
            .map(|m| m as u32)
            .collect();
        if spec.calls > 0 && active.is_empty() {
            return Err(invalid(format!(
                "{} calls need team members to take part in them, and there are none who can",
                spec.calls
            )));
        }
        let first_day = CALLS_START.div_euclid(DAY);
        let workdays = (first_day..CALLS_END.div_euclid(DAY))
            .filter(|&day| (1..=5).contains(&super::clock::weekday(day)))
            .map(|day| day * DAY)
            .collect();
        let mut plan = Plan {
            seed: spec.seed,
            members: spec.members,
            calls: spec.calls,
            member_defects: Vec::new(),
            call_defects: calls.defects,
            active,
            workdays,
            last_calls: Vec::new(),
        };
        plan.last_calls = plan.first_pass();
        for (defect, kind) in later {
            let last_calls = &plan.last_calls;
            members.add(defect, kind, spec.members, |m| last_calls[m] != i64::MIN)?;
        }
        // The user report must keep a row whose member the usage report lists: with none, the
        // two files read as two teams' (different-teams) or as no download (csv-no-rows), and
        // the planted defects would not be the findings.
        let loses_its_row = |m: usize| {
            matches!(
                find(&members.defects, m),
                Some(Rule::MissingFromCsv | Rule::DuplicateEmail)
            )
        };
        if spec.members > 0 && (0..spec.members).all(loses_its_row) {
            return Err(invalid(
                "too few team members for the defects asked for: the user report would keep no row of a member".to_owned(),
            ));
        }
        plan.member_defects = members.defects;
        Ok(plan)
    }

    pub(super) fn member_defect(&self, m: usize) -> Option<Rule> {
        find(&self.member_defects, m)
    }

    pub(super) fn call_defect(&self, i: usize) -> Option<Rule> {
        find(&self.call_defects, i)
    }

    pub(super) fn person(&self, m: usize) -> Person {
        let mut r = Rng::new(self.seed, Stream::Member, m as u64);
        Person {
            first: r.pick(FIRST),
            last: r.pick(LAST),
            style: if r.chance(700) {
                0
            } else {
                1 + r.below(3) as u8
            },
            number: m as u64 + 1,
            upper: false,
            formula: false,
        }
    }

    pub(super) fn identity(&self, m: usize) -> Identity {
        let person = self.person(m);
        let mut identity = Identity {
            user_id: 1001 + m as u64,
            name: person,
            email: person,
        };
        match self.member_defect(m) {
            Some(Rule::DuplicateUserId) => identity.user_id -= 1,
            Some(Rule::DuplicateEmail) => {
                identity.email = Person {
                    upper: true,
                    ..self.person(m - 1)
                }
            }
            Some(Rule::CsvFormula) => identity.name.formula = true,
            _ => {}
        }
        identity
    }

    /// Someone who is not on the team (a member since deleted), with a user_id and an
    /// email number no member has.
    pub(super) fn stranger(&self, index: usize) -> Person {
        let mut r = Rng::new(self.seed, Stream::Defect, index as u64);
        let number = if self.members < 998_999 {
            999_999
        } else {
            1001 + self.members as u64
        };
        Person {
            first: r.pick(FIRST),
            last: r.pick(LAST),
            style: 0,
            number,
            upper: false,
            formula: false,
        }
    }

    /// Accounts are created in the order of their user_ids.
    pub(super) fn created_at(&self, m: usize) -> i64 {
        let mut r = Rng::new(self.seed, Stream::Created, m as u64);
        CREATED_START + spread(CREATED_END - CREATED_START, m, self.members, &mut r)
    }

    /// The last sign-in: after the member's last call (or the account's creation), before the
    /// anchor; null for some who never took part in a call.
    pub(super) fn last_sign_in(&self, m: usize, last_call: Option<i64>) -> Option<i64> {
        let mut r = Rng::new(self.seed, Stream::SignIn, m as u64);
        if last_call.is_none() && r.chance(250) {
            return None;
        }
        let base = last_call.unwrap_or_else(|| self.created_at(m));
        let latest = ANCHOR - MINUTE;
        let room = (latest - base).max(1) as u64;
        let back = if r.chance(800) {
            r.below(room.min(14 * DAY as u64))
        } else {
            r.below(room)
        };
        Some(latest - back as i64)
    }

    /// Call `i`: starts ascend with `i` over the weekdays' working hours.
    pub(super) fn call(&self, i: usize) -> Call {
        let mut r = Rng::new(self.seed, Stream::Call, i as u64);
        let total = self.workdays.len() as i64 * WORK_HOURS;
        let at = spread(total, i, self.calls, &mut r);
        let start = self.workdays[(at / WORK_HOURS) as usize] + WORK_FROM + at % WORK_HOURS;
        let minutes = if r.chance(700) {
            15 + r.below(46)
        } else {
            5 + r.below(116)
        };
        let count = match r.below(100) {
            0..80 => 2,
            80..95 => 3,
            _ => 4,
        }
        .min(self.active.len());
        let a = self.active.len() as u64;
        let mut positions = [0u64; 4];
        let first = r.below(a);
        positions[0] = if r.chance(500) {
            first.min(r.below(a))
        } else {
            first
        };
        for k in 1..count {
            let mut candidate = 0;
            for _ in 0..8 {
                candidate = if r.chance(750) {
                    let team = positions[0] / TEAM * TEAM;
                    team + r.below(TEAM.min(a - team))
                } else {
                    r.below(a)
                };
                if !positions[..k].contains(&candidate) {
                    break;
                }
            }
            while positions[..k].contains(&candidate) {
                candidate = (candidate + 1) % a;
            }
            positions[k] = candidate;
        }
        let mut people = [(0u32, 0u64); 4];
        for (k, position) in positions[..count].iter().enumerate() {
            let stayed = if k == 0 {
                minutes
            } else {
                minutes - r.below(minutes.min(15))
            };
            people[k] = (self.active[*position as usize], stayed);
        }
        Call {
            start,
            minutes,
            people,
            count,
        }
    }

    /// A v4-shaped UUID, lowercase. 64 of its bits are a bijection of the index, so no two
    /// calls of one report share one.
    pub(super) fn call_id(&self, i: usize) -> String {
        let unique = permute(self.seed, i as u64);
        let mut r = Rng::new(self.seed, Stream::CallId, i as u64);
        let random = r.next();
        // `unique`'s top 60 bits around the version nibble; the variant, 58 random bits and
        // `unique`'s last 4.
        let spread = unique >> 4;
        let high = (spread >> 12) << 16 | 0x4000 | (spread & 0x0FFF);
        let low = (random & 0x3FFF_FFFF_FFFF_FFF0) | 0x8000_0000_0000_0000 | (unique & 0xF);
        crate::formats::uuid_text(u128::from(high) << 64 | u128::from(low))
    }

    /// Each member's latest call start (`None` for those in no call), as the report rules
    /// see it once the defects are planted.
    pub(super) fn last_call(&self, m: usize) -> Option<i64> {
        Some(self.last_calls[m]).filter(|&t| t != i64::MIN)
    }

    /// A member's `last_call_at` as the reports write it: a day before their latest call
    /// when it is planted stale.
    pub(super) fn reported_last_call(&self, m: usize) -> Option<i64> {
        let last = self.last_call(m)?;
        Some(match self.member_defect(m) {
            Some(Rule::LastCallStale) => last - DAY,
            _ => last,
        })
    }

    /// The first pass over the calls: each member's latest call start, `i64::MIN` for none.
    fn first_pass(&self) -> Vec<i64> {
        let mut last = vec![i64::MIN; self.members];
        for i in 0..self.calls {
            if self.call_defect(i) == Some(Rule::EmptyCall) {
                continue;
            }
            let call = self.call(i);
            for &(m, _) in call.participants() {
                let slot = &mut last[m as usize];
                *slot = (*slot).max(call.start);
            }
        }
        last
    }
}

/// An offset in `0..span` for element `i` of `n`: element `i` gets the `i`-th of `n` equal
/// slices, so offsets ascend with `i`.
fn spread(span: i64, i: usize, n: usize, r: &mut Rng) -> i64 {
    let span = span as u128;
    let (i, n) = (i as u128, n.max(1) as u128);
    let low = span * i / n;
    let high = span * (i + 1) / n;
    (low as u64 + r.below(((high - low) as u64).max(1))) as i64
}
