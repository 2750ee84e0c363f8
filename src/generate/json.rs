//! The JSON usage report, printed as `serde_json::to_string_pretty` prints it (and a final
//! line break), one line at a time, so that the line of every planted defect is known.

use std::io::{self, Write};

use super::clock::{days_from_civil, push_rfc3339, DAY, HOUR, MINUTE};
use super::names::itoa;
use super::plan::{Call, Plan, ANCHOR};
use super::{GeneratedFile, Planted};
use crate::Rule;

/// Lines written through a buffer, counted.
struct Out<'w, W: Write> {
    w: &'w mut W,
    buf: String,
    /// The 1-based line being written.
    line: usize,
    planted: Vec<Planted>,
}

impl<W: Write> Out<'_, W> {
    fn open(&mut self, indent: usize, text: &str) {
        self.indent(indent);
        self.buf.push_str(text);
    }

    fn indent(&mut self, indent: usize) {
        const SPACES: &str = "            ";
        self.buf.push_str(&SPACES[..indent]);
    }

    fn key(&mut self, indent: usize, key: &str) {
        self.indent(indent);
        self.buf.push('"');
        self.buf.push_str(key);
        self.buf.push_str("\": ");
    }

    fn number(&mut self, indent: usize, key: &str, value: u64) {
        self.key(indent, key);
        self.buf.push_str(itoa(value).as_str());
    }

    fn time(&mut self, indent: usize, key: &str, value: Option<i64>) {
        self.key(indent, key);
        match value {
            Some(seconds) => {
                self.buf.push('"');
                push_rfc3339(&mut self.buf, seconds);
                self.buf.push('"');
            }
            None => self.buf.push_str("null"),
        }
    }

    /// `"key": "…"`, the text written by `write` (which needs no escaping).
    fn text(&mut self, indent: usize, key: &str, write: impl FnOnce(&mut String)) {
        self.key(indent, key);
        self.buf.push('"');
        write(&mut self.buf);
        self.buf.push('"');
    }

    /// The line being written is where `rule` must be reported.
    fn plant(&mut self, rule: Rule) {
        self.planted.push(Planted {
            rule,
            file: GeneratedFile::UsageReport,
            line: self.line,
        });
    }

    /// A top-level `"key": [...]` of `count` elements, each written by `element`, or `[]` when
    /// there are none, as serde_json prints them; `comma` when another member follows.
    fn array(
        &mut self,
        key: &str,
        count: usize,
        comma: bool,
        mut element: impl FnMut(&mut Self, usize) -> io::Result<()>,
    ) -> io::Result<()> {
        if count == 0 {
            self.open(2, &format!("\"{key}\": []"));
            return self.end(comma);
        }
        self.open(2, &format!("\"{key}\": ["));
        self.end(false)?;
        for index in 0..count {
            element(self, index)?;
        }
        self.open(2, "]");
        self.end(comma)
    }

    fn end(&mut self, comma: bool) -> io::Result<()> {
        if comma {
            self.buf.push(',');
        }
        self.buf.push('\n');
        self.line += 1;
        if self.buf.len() >= 1 << 16 {
            self.w.write_all(self.buf.as_bytes())?;
            self.buf.clear();
        }
        Ok(())
    }
}

pub(super) fn write(plan: &Plan, w: &mut impl Write) -> io::Result<Vec<Planted>> {
    let mut o = Out {
        w,
        buf: String::with_capacity(1 << 17),
        line: 1,
        planted: Vec::new(),
    };
    o.open(0, "{");
    o.end(false)?;
    o.array("team_members", plan.members, true, |o, m| {
        member(o, plan, m)
    })?;
    o.array("calls", plan.calls, false, |o, i| call(o, plan, i))?;
    o.open(0, "}");
    o.end(false)?;
    o.w.write_all(o.buf.as_bytes())?;
    Ok(o.planted)
}

fn member<W: Write>(o: &mut Out<W>, plan: &Plan, m: usize) -> io::Result<()> {
    let defect = plan.member_defect(m);
    let identity = plan.identity(m);
    let created = plan.created_at(m);
    let mut sign_in = plan.last_sign_in(m, plan.last_call(m));
    o.open(4, "{");
    o.end(false)?;
    o.number(6, "user_id", identity.user_id);
    if defect == Some(Rule::DuplicateUserId) {
        o.plant(Rule::DuplicateUserId);
    }
    o.end(true)?;
    o.text(6, "name", |s| identity.name.push_name(s));
    o.end(true)?;
    o.text(6, "email", |s| identity.email.push_email(s));
    if let Some(rule @ (Rule::DuplicateEmail | Rule::MissingFromCsv)) = defect {
        o.plant(rule);
    }
    o.end(true)?;
    if defect == Some(Rule::FutureTimestamp) {
        // The same day and time, 73 years on.
        let years = days_from_civil(2099, 1, 1) - days_from_civil(2026, 1, 1);
        sign_in = Some(sign_in.unwrap_or(ANCHOR - DAY) + years * DAY);
        o.plant(Rule::FutureTimestamp);
    } else if defect == Some(Rule::BeforeAccountCreated) {
        sign_in = Some(created - DAY);
        o.plant(Rule::BeforeAccountCreated);
    }
    o.time(6, "last_sign_in", sign_in);
    o.end(true)?;
    o.time(6, "created_at", Some(created));
    o.end(true)?;
    if defect == Some(Rule::LastCallStale) {
        o.plant(Rule::LastCallStale);
    }
    o.time(6, "last_call_at", plan.reported_last_call(m));
    o.end(false)?;
    o.open(4, "}");
    o.end(m + 1 < plan.members)
}

/// Who a participant line is about.
#[derive(Clone, Copy)]
enum Who {
    Member(usize),
    /// Someone who is not a team member.
    Stranger,
}

fn call<W: Write>(o: &mut Out<W>, plan: &Plan, i: usize) -> io::Result<()> {
    let defect = plan.call_defect(i);
    let is = |rule: Rule| defect == Some(rule);
    let call = plan.call(i);
    if is(Rule::SchemaRequired) {
        o.plant(Rule::SchemaRequired);
    }
    o.open(4, "{");
    o.end(false)?;
    let id = plan.call_id(if is(Rule::DuplicateCallId) { i - 1 } else { i });
    for repeat in [false, true] {
        if repeat && !is(Rule::JsonDuplicateKey) {
            break;
        }
        o.text(6, "call_id", |s| {
            if is(Rule::SchemaFormat) {
                s.push_str("call-");
                s.push_str(itoa(i as u64 + 1).as_str());
            } else {
                s.push_str(&id);
            }
        });
        if repeat || is(Rule::SchemaFormat) || is(Rule::DuplicateCallId) {
            o.plant(defect.unwrap_or(Rule::SchemaFormat));
        }
        o.end(true)?;
    }
    if is(Rule::EmptyCall) {
        o.open(6, "\"participants\": []");
        o.plant(Rule::EmptyCall);
        o.end(true)?;
    } else {
        participants(o, plan, i, &call, defect)?;
    }
    if !is(Rule::SchemaRequired) {
        o.key(6, "duration_minutes");
        if is(Rule::SchemaType) {
            o.buf.push('"');
            o.buf.push_str(itoa(call.minutes).as_str());
            o.buf.push('"');
            o.plant(Rule::SchemaType);
        } else if is(Rule::CallDurationMismatch) {
            o.buf.push_str(itoa(call.minutes + 10).as_str());
            o.plant(Rule::CallDurationMismatch);
        } else {
            o.buf.push_str(itoa(call.minutes).as_str());
        }
        o.end(true)?;
    }
    if is(Rule::UnknownField) {
        o.number(6, "duration", call.minutes);
        o.plant(Rule::UnknownField);
        o.end(true)?;
    }
    o.time(6, "started_at", Some(call.start));
    o.end(true)?;
    let ended = if is(Rule::CallEndsBeforeStart) {
        o.plant(Rule::CallEndsBeforeStart);
        call.start - HOUR
    } else {
        call.start + call.minutes as i64 * MINUTE
    };
    o.time(6, "ended_at", Some(ended));
    o.end(false)?;
    o.open(4, "}");
    o.end(i + 1 < plan.calls)
}

fn participants<W: Write>(
    o: &mut Out<W>,
    plan: &Plan,
    i: usize,
    call: &Call,
    defect: Option<Rule>,
) -> io::Result<()> {
    let is = |rule: Rule| defect == Some(rule);
    let regular = call.participants();
    let mut list = [(Who::Stranger, 0u64); 5];
    for (slot, &(m, stayed)) in list.iter_mut().zip(regular) {
        *slot = (Who::Member(m as usize), stayed);
    }
    let mut count = regular.len();
    if is(Rule::DuplicateParticipant) {
        list[count] = (Who::Member(regular[0].0 as usize), regular[0].1);
        count += 1;
    } else if is(Rule::UnknownParticipant) {
        list[count] = (Who::Stranger, (call.minutes / 2).max(1));
        count += 1;
    }
    o.open(6, "\"participants\": [");
    o.end(false)?;
    for (p, (who, stayed)) in list[..count].iter().enumerate() {
        let extra = p >= regular.len();
        let (user_id, mut name, email) = match *who {
            Who::Member(m) => {
                let identity = plan.identity(m);
                (identity.user_id, identity.name, identity.email)
            }
            Who::Stranger => {
                let person = plan.stranger(i);
                (person.number, person, person)
            }
        };
        o.open(8, "{");
        o.end(false)?;
        o.number(10, "user_id", user_id);
        if extra {
            o.plant(defect.unwrap_or(Rule::UnknownParticipant));
        }
        o.end(true)?;
        let renamed = p == 0 && is(Rule::ParticipantMismatch);
        if renamed {
            name = name.renamed();
            o.plant(Rule::ParticipantMismatch);
        }
        o.text(10, "name", |s| name.push_name(s));
        o.end(true)?;
        o.text(10, "email", |s| email.push_email(s));
        o.end(true)?;
        o.key(10, "duration_minutes");
        if p == 0 && is(Rule::SchemaMinimum) {
            o.buf.push_str("-1");
            o.plant(Rule::SchemaMinimum);
        } else if p + 1 == regular.len() && is(Rule::ParticipantExceedsCall) {
            o.buf.push_str(itoa(call.minutes + 5).as_str());
            o.plant(Rule::ParticipantExceedsCall);
        } else {
            o.buf.push_str(itoa(*stayed).as_str());
        }
        o.end(false)?;
        o.open(8, "}");
        o.end(p + 1 < count)?;
    }
    o.open(6, "]");
    o.end(true)
}
