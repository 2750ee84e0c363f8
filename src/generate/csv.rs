//! The CSV user report: one row per team member, in member order, with LF line endings.

use std::io::{self, Write};

use super::clock::{push_day_month_year, push_rails, DAY};
use super::names::Person;
use super::plan::Plan;
use super::{GeneratedFile, Planted};
use crate::Rule;

pub(super) const HEADER: &str = "Email,Name,Last pairing session date,Account created date,Role";

/// One row, as written.
struct Row {
    email: Person,
    name: Option<Person>,
    last_pairing: Option<i64>,
    created: i64,
    role: &'static str,
}

pub(super) fn write(plan: &Plan, w: &mut impl Write) -> io::Result<Vec<Planted>> {
    let mut planted = Vec::new();
    let mut buf = String::with_capacity(1 << 17);
    buf.push_str(HEADER);
    buf.push('\n');
    let mut line = 2;
    let mut owner_written = false;
    for m in 0..plan.members {
        let defect = plan.member_defect(m);
        let identity = plan.identity(m);
        let mut row = Row {
            email: identity.email,
            name: Some(identity.name),
            last_pairing: plan.reported_last_call(m),
            created: plan.created_at(m),
            // The first row written is the team's one owner: a defect may leave member 0
            // out of the user report.
            role: match m {
                _ if !owner_written => "Team Owner",
                _ if (m + 1) % 50 == 0 => "Team Manager",
                _ => "",
            },
        };
        let mut invalid_created = None;
        match defect {
            // A row matches the first member with its email only: the second member with one
            // email has no row of its own, or it would be missing from the JSON. (That member
            // is then missing from the CSV, which the cross-check reports too.)
            Some(Rule::DuplicateEmail | Rule::MissingFromCsv) => continue,
            Some(Rule::CsvMissingValue) => row.name = None,
            Some(Rule::CsvInvalidRole) => row.role = "Admin",
            Some(Rule::CsvInvalidDate) => invalid_created = Some(row.created),
            Some(Rule::NameMismatch) => row.name = Some(identity.name.renamed()),
            Some(Rule::CreatedAtMismatch) => row.created += DAY,
            Some(Rule::LastCallMismatch) => {
                // Empty for a member who paired, a date for one who never did.
                row.last_pairing = match row.last_pairing {
                    Some(_) => None,
                    None => Some(row.created + DAY),
                };
            }
            _ => {}
        }
        push_row(&mut buf, &row, invalid_created);
        owner_written |= row.role == "Team Owner";
        let planted_here = match defect {
            Some(Rule::MissingFromJson) => {
                line += 1;
                // Someone who has left the team, in the row after this member's.
                let stranger = Row {
                    email: plan.stranger(m),
                    name: Some(plan.stranger(m)),
                    last_pairing: None,
                    created: row.created,
                    role: "",
                };
                push_row(&mut buf, &stranger, None);
                Some(Rule::MissingFromJson)
            }
            Some(
                rule @ (Rule::CsvMissingValue
                | Rule::CsvInvalidRole
                | Rule::CsvInvalidDate
                | Rule::CsvFormula
                | Rule::NameMismatch
                | Rule::CreatedAtMismatch
                | Rule::LastCallMismatch),
            ) => Some(rule),
            _ => None,
        };
        if let Some(rule) = planted_here {
            planted.push(Planted {
                rule,
                file: GeneratedFile::UserReport,
                line,
            });
        }
        line += 1;
        if buf.len() >= 1 << 16 {
            w.write_all(buf.as_bytes())?;
            buf.clear();
        }
    }
    w.write_all(buf.as_bytes())?;
    Ok(planted)
}

/// A row; `invalid_created` writes the created date as `14/09/2026`.
fn push_row(buf: &mut String, row: &Row, invalid_created: Option<i64>) {
    cell(buf, |s| row.email.push_email(s));
    buf.push(',');
    if let Some(name) = row.name {
        cell(buf, |s| name.push_name(s));
    }
    buf.push(',');
    if let Some(last_pairing) = row.last_pairing {
        push_rails(buf, last_pairing);
    }
    buf.push(',');
    match invalid_created {
        Some(created) => push_day_month_year(buf, created),
        None => push_rails(buf, row.created),
    }
    buf.push(',');
    buf.push_str(row.role);
    buf.push('\n');
}

/// A cell, quoted when it holds a comma, a quote or a line break.
fn cell(buf: &mut String, write: impl FnOnce(&mut String)) {
    let start = buf.len();
    write(buf);
    if buf[start..].contains([',', '"', '\n', '\r']) {
        let quoted = format!("\"{}\"", buf[start..].replace('"', "\"\""));
        buf.truncate(start);
        buf.push_str(&quoted);
    }
}
