//! Every finding of the cross-check, worded in one place.

use chrono::{DateTime, FixedOffset};

use super::Pair;
use crate::diagnostic::{Anchor, Diagnostic};
use crate::parse::csv::Cell;
use crate::parse::dates::{days_of, CsvDate, Precision};
use crate::registry::Rule;
use crate::rules::user_report::{cell_anchor, Incomplete};
use crate::text::personal::{self, Personal};
use crate::text::{escape, plural, quote, Difference};

/// How a CSV date is compared with a JSON timestamp, for the help of the date rules.
const DATES_COMPARED: &str = "compared at the precision the CSV cell gives: a date or time without a zone is the timestamp's in UTC or at its own offset, a time to the minute or to the second as written";

fn member_field(index: usize, field: &str) -> Anchor {
    Anchor::Value(format!("/team_members/{index}/{field}"))
}

fn team_members() -> Anchor {
    Anchor::Value("/team_members".into())
}

/// For a cell without a zone that matched neither way: what it was compared with, the
/// timestamp's day or time in UTC and at its own offset.
pub(super) fn on_days(date: &CsvDate, instant: DateTime<FixedOffset>) -> String {
    if date.zoned {
        return String::new();
    }
    match date.precision {
        Precision::Day => format!(" (on {})", days_of(instant)),
        _ if instant.offset().local_minus_utc() == 0 => String::new(),
        _ => format!(
            " ({} in UTC, {} at its offset {})",
            instant.naive_utc(),
            instant.naive_local(),
            instant.offset()
        ),
    }
}

/// Not one row has a member's email: `cell` is the first row's Email.
pub(super) fn different_teams(
    pair: &Pair<'_>,
    cell: &Cell,
    row: usize,
    rows: usize,
    members: usize,
) -> Diagnostic {
    Diagnostic::new(
        Rule::DifferentTeams,
        pair.users_file,
        cell_anchor(cell, row, "Email"),
        format!(
            "none of the {} of {} has the email of one of the {} of {}: the two files are not the same team's",
            plural(rows, "row", "rows"),
            escape(pair.users_file),
            plural(members, "team member", "team members"),
            escape(pair.usage_file)
        ),
    )
    .with_related_in(pair.usage_file, team_members(), "the usage report's team members")
    .with_help("pair each usage report with the user report downloaded with it: a folder per team, or --pair JSON=CSV")
}

pub(super) fn missing_from_json(pair: &Pair<'_>, email: &Cell, row: usize) -> Diagnostic {
    Diagnostic::new(
        Rule::MissingFromJson,
        pair.users_file,
        cell_anchor(email, row, "Email"),
        format!(
            "row {row} ({}) has no team member with this email in {}",
            personal::email(&email.value),
            pair.usage_file
        ),
    )
    .with_related_in(pair.usage_file, team_members(), "the usage report's team members")
    .with_help("the usage report leaves deleted members out, so two downloads made at different times can differ: download both files at once")
}

/// `who` describes the member, `email` is theirs.
pub(super) fn missing_from_csv(
    pair: &Pair<'_>,
    index: usize,
    who: &str,
    email: &str,
) -> Diagnostic {
    Diagnostic::new(
        Rule::MissingFromCsv,
        pair.usage_file,
        member_field(index, "email"),
        format!(
            "{who} with email {} has no row in {}",
            personal::email(email),
            pair.users_file
        ),
    )
    .with_help(
        "both reports list the team's members; download them at the same time, from the same team",
    )
}

/// The `missing` members a user report that is `incomplete` leaves without a row; `first`
/// is the first of them, described as `first_who`.
pub(super) fn missing_from_incomplete_csv(
    pair: &Pair<'_>,
    incomplete: &Incomplete,
    missing: usize,
    first: usize,
    first_who: &str,
) -> Diagnostic {
    Diagnostic::new(
        Rule::MissingFromCsv,
        pair.users_file,
        incomplete.at.clone(),
        format!(
            "{} of {} {} no row in {}, which {}",
            plural(missing, "team member", "team members"),
            escape(pair.usage_file),
            if missing == 1 { "has" } else { "have" },
            escape(pair.users_file),
            incomplete.why
        ),
    )
    .with_related_in(
        pair.usage_file,
        Anchor::Value(format!("/team_members/{first}")),
        format!("the first of them, {first_who}"),
    )
    .with_help("they are not listed one by one, since rows after this place may be missing; download the user report again and check the two once more")
}

pub(super) fn name_mismatch(
    pair: &Pair<'_>,
    cell: &Cell,
    row: usize,
    index: usize,
    who: &str,
    name: &str,
) -> Diagnostic {
    let difference = Difference::of(&cell.value, name);
    let shown = |text: &str| personal::marked(Personal::Name, text, difference.hides());
    Diagnostic::new(
        Rule::NameMismatch,
        pair.users_file,
        cell_anchor(cell, row, "Name"),
        format!(
            "row {row}: Name {} differs from {who}'s name {} in {}{}",
            shown(&cell.value),
            shown(name),
            escape(pair.usage_file),
            difference.explained()
        ),
    )
    .with_related_in(pair.usage_file, member_field(index, "name"), format!("the name of {who}"))
    .with_help(match difference {
        Difference::Visible => "both reports name the same person the same way; a member renamed between two downloads causes this",
        Difference::LetterCase => "the same name in other letter case: one side was edited, in Tuple or in the file after it was downloaded",
        _ => "the two read alike but are written differently: a spreadsheet or script that re-saved the file changes spaces and invisible characters; fix the file, or the name in Tuple",
    })
}

/// `created` is the member's created_at, `date` the cell read.
#[allow(clippy::too_many_arguments)]
pub(super) fn created_at_mismatch(
    pair: &Pair<'_>,
    cell: &Cell,
    row: usize,
    index: usize,
    who: &str,
    date: &CsvDate,
    created: DateTime<FixedOffset>,
    created_text: &str,
) -> Diagnostic {
    Diagnostic::new(
        Rule::CreatedAtMismatch,
        pair.users_file,
        cell_anchor(cell, row, "Account created date"),
        format!(
            "row {row}: Account created date {} differs from {who}'s created_at {created_text}{}",
            quote(&cell.value),
            on_days(date, created)
        ),
    )
    .with_related_in(
        pair.usage_file,
        member_field(index, "created_at"),
        format!("created_at of {who}"),
    )
    .with_help(DATES_COMPARED)
}

/// `json_value` is the member's last_call_at as it reads (or `absent`, `null`), and
/// `related` where it stands.
pub(super) fn last_call_mismatch(
    pair: &Pair<'_>,
    cell: &Cell,
    row: usize,
    who: &str,
    json_value: &str,
    related: Anchor,
) -> Diagnostic {
    let shown = if cell.value.is_empty() {
        "empty".to_owned()
    } else {
        quote(&cell.value)
    };
    Diagnostic::new(
        Rule::LastCallMismatch,
        pair.users_file,
        cell_anchor(cell, row, "Last pairing session date"),
        format!("row {row}: Last pairing session date is {shown}, but {who}'s last_call_at is {json_value}"),
    )
    .with_related_in(pair.usage_file, related, format!("last_call_at of {who}"))
    .with_help(format!("both reports record the member's last call; an empty cell matches a null last_call_at; {DATES_COMPARED}"))
}
