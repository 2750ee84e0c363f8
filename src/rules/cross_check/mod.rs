//! The CSV user report against the JSON usage report: the same people, the same facts.
//!
//! Rows and members are matched by email, without regard to case. A finding stands at the CSV
//! cell, with the JSON member as a related place, and its message shows both values.

mod diags;

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset};

use super::usage_report::{LastCall, MemberFacts};
use super::user_report::{UserReport, UserRow};
use crate::describe;
use crate::diagnostic::{Anchor, Diagnostic};
use crate::parse::dates::CsvDate;
use crate::text::same_text;

/// The two files of a pair, by path.
pub struct Pair<'a> {
    pub usage_file: &'a str,
    pub users_file: &'a str,
}

/// What a cross-check found.
pub enum Compared {
    /// The two were compared.
    Matched(Matched),
    /// Nothing was compared, and why (escaped): a file lists no one, or the user report has
    /// no Email column. That file's own finding says so; no finding is made here.
    NotCompared(String),
}

/// What a comparison of two files found, beside its findings.
#[derive(Default)]
pub struct Matched {
    /// How many rows matched a member.
    pub rows: usize,
    /// The newest time each file holds (created_at, last_call_at; the CSV's dates), so that
    /// the verdict can tell which was downloaded later.
    pub newest_in_usage: Option<DateTime<FixedOffset>>,
    pub newest_in_users: Option<DateTime<FixedOffset>>,
}

/// Cross-checks.
pub fn check(
    pair: &Pair<'_>,
    members: &[MemberFacts],
    users: &UserReport,
    out: &mut Vec<Diagnostic>,
) -> Compared {
    let mut by_email: HashMap<String, usize> = HashMap::new();
    for (index, member) in members.iter().enumerate() {
        if let Some(email) = &member.email {
            by_email.entry(email.to_lowercase()).or_insert(index);
        }
    }
    // An empty report has its own finding (no-team-members, csv-no-rows), and so has a
    // header without an Email column (csv-header): there is no one to compare, and a
    // finding per row or member would only repeat it.
    let escape = crate::text::escape;
    let not_compared = if members.is_empty() {
        Some(format!("{} lists no team members", escape(pair.usage_file)))
    } else if users.rows.is_empty() {
        Some(format!("{} has no rows", escape(pair.users_file)))
    } else if !users.has_email {
        Some(format!("{} has no Email column", escape(pair.users_file)))
    } else {
        None
    };
    if let Some(why) = not_compared {
        return Compared::NotCompared(why);
    }
    fn email_of(row: &UserRow) -> Option<&crate::parse::csv::Cell> {
        row.email.as_ref().filter(|c| !c.value.is_empty())
    }
    // Not one row is a member: the two files are two teams' (or one is not what it seems).
    // One finding says so, instead of one per member and one per row.
    let any_match = users.rows.iter().any(|row| {
        email_of(row).is_some_and(|cell| by_email.contains_key(&cell.value.to_lowercase()))
    });
    if !any_match && !by_email.is_empty() {
        if let Some((row, cell)) = users
            .rows
            .iter()
            .find_map(|row| Some((row, email_of(row)?)))
        {
            out.push(diags::different_teams(
                pair,
                cell,
                row.row,
                users.rows.len(),
                members.len(),
            ));
            return Compared::Matched(Matched::default());
        }
    }
    let mut matched = vec![false; members.len()];
    let mut rows_matched = 0;
    let mut seen_rows: HashMap<String, ()> = HashMap::new();
    for row in &users.rows {
        let Some(email_cell) = email_of(row) else {
            continue;
        };
        let folded = email_cell.value.to_lowercase();
        // A repeated email is csv-duplicate-email's; only its first row is compared.
        if seen_rows.insert(folded.clone(), ()).is_some() {
            continue;
        }
        let Some(&index) = by_email.get(&folded) else {
            // A row whose cells may not stand in their columns (csv-syntax) is no evidence
            // of anyone.
            if row.malformed {
                continue;
            }
            out.push(diags::missing_from_json(pair, email_cell, row.row));
            continue;
        };
        matched[index] = true;
        rows_matched += 1;
        if !row.malformed {
            compare(pair, row, index, &members[index], users, out);
        }
    }
    let mut missing = Vec::new();
    for (index, member) in members.iter().enumerate() {
        let Some(email) = member.email.as_deref() else {
            continue;
        };
        // A member whose email an earlier member has is duplicate-email's finding: a row can
        // match only one of them.
        let first_with_email = by_email.get(&email.to_lowercase()) == Some(&index);
        if matched[index] || !first_with_email {
            continue;
        }
        if users.incomplete.is_some() {
            missing.push(index);
            continue;
        }
        let who = describe::member(index, member.user_id.as_ref());
        out.push(diags::missing_from_csv(pair, index, &who, email));
    }
    // Rows may be missing for a reason the user report's own finding gives: one finding
    // stands for the members it leaves without a row, at the place that explains them.
    if let (Some(incomplete), Some(&first)) = (&users.incomplete, missing.first()) {
        let first_who = describe::member(first, members[first].user_id.as_ref());
        out.push(diags::missing_from_incomplete_csv(
            pair,
            incomplete,
            missing.len(),
            first,
            &first_who,
        ));
    }
    Compared::Matched(Matched {
        rows: rows_matched,
        newest_in_usage: members
            .iter()
            .flat_map(|m| {
                let last = match &m.last_call {
                    LastCall::At(at, _) => Some(*at),
                    _ => None,
                };
                m.created_at
                    .as_ref()
                    .map(|(at, _)| *at)
                    .into_iter()
                    .chain(last)
            })
            .max(),
        newest_in_users: users
            .rows
            .iter()
            .filter(|row| !row.malformed)
            .flat_map(|row| [&row.created, &row.last_pairing])
            .filter_map(|cell| CsvDate::parse(&cell.as_ref()?.value))
            .map(|date| date.instant)
            .max(),
    })
}

fn compare(
    pair: &Pair<'_>,
    row: &UserRow,
    index: usize,
    member: &MemberFacts,
    users: &UserReport,
    out: &mut Vec<Diagnostic>,
) {
    let who = describe::member(index, member.user_id.as_ref());
    let json_field = |field: &str| Anchor::Value(format!("/team_members/{index}/{field}"));
    if let (Some(cell), Some(name)) = (&row.name, &member.name) {
        if !cell.value.is_empty() && !same_text(&cell.value, name) {
            out.push(diags::name_mismatch(pair, cell, row.row, index, &who, name));
        }
    }
    if let (true, Some(cell), Some((created, created_text))) =
        (users.has_created, &row.created, &member.created_at)
    {
        if let Some(date) = CsvDate::parse(&cell.value) {
            if !date.matches(*created) {
                out.push(diags::created_at_mismatch(
                    pair,
                    cell,
                    row.row,
                    index,
                    &who,
                    &date,
                    *created,
                    created_text,
                ));
            }
        }
    }
    if let (true, Some(cell)) = (users.has_last_pairing, &row.last_pairing) {
        let csv = if cell.value.is_empty() {
            Some(None)
        } else {
            CsvDate::parse(&cell.value).map(Some)
        };
        let differs = match (csv, &member.last_call) {
            // An unreadable date is csv-invalid-date's, an unreadable last_call_at the schema's.
            (None, _) | (_, LastCall::Unreadable) => None,
            (Some(None), LastCall::Absent | LastCall::Null) => None,
            (Some(None), LastCall::At(_, text)) => Some(text.clone()),
            (Some(Some(_)), LastCall::Absent) => Some("absent".to_owned()),
            (Some(Some(_)), LastCall::Null) => Some("null".to_owned()),
            (Some(Some(date)), LastCall::At(at, text)) => {
                (!date.matches(*at)).then(|| format!("{text}{}", diags::on_days(&date, *at)))
            }
        };
        if let Some(json_value) = differs {
            let related = match member.last_call {
                LastCall::Absent => Anchor::Value(format!("/team_members/{index}")),
                _ => json_field("last_call_at"),
            };
            out.push(diags::last_call_mismatch(
                pair,
                cell,
                row.row,
                &who,
                &json_value,
                related,
            ));
        }
    }
}
