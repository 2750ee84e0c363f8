//! Every finding of the CSV user report on its own, worded in one place.

use super::{cell_anchor, row_anchor, Column};
use crate::diagnostic::{Anchor, Diagnostic};
use crate::parse::csv::{Cell, Record};
use crate::registry::Rule;
use crate::text::personal::{self, Personal};
use crate::text::{plural, quote};

const COLUMNS: &str = "the user report has the columns Email, Name, Last pairing session date, Account created date and Role";

const DATE_HELP: &str = "write 2026-09-14 09:30:00 UTC, 2026-09-14 09:30, 2026-09-14T09:30:00Z or 2026-09-14; a spreadsheet that reformats dates on save causes this: save the column as text, or download the file again";

/// The cells are separated by `separator`, not commas: said at the header.
pub fn separator(file: &str, header: &Record, separator: u8) -> Diagnostic {
    let (name, cause) = match separator {
        b';' => (
            "semicolons",
            "a spreadsheet set to a European locale saves CSV files this way",
        ),
        _ => (
            "tabs",
            "Excel's \"Unicode text\" and \"Text (tab delimited)\" save files this way",
        ),
    };
    Diagnostic::new(
        Rule::CsvSeparator,
        file,
        row_anchor(header, 1),
        format!("the cells are separated by {name}, not commas: {cause}"),
    )
    .with_help(format!("its rows were read with {name} and are checked as usual; a program that reads the user report as CSV expects commas: save it as \"CSV (comma delimited)\" or \"CSV UTF-8\", or download it again"))
}

pub(super) fn unterminated_quote(file: &str, start: usize) -> Diagnostic {
    Diagnostic::new(
        Rule::CsvSyntax,
        file,
        Anchor::Offset(start),
        "this quoted cell is never closed: the rest of the file is inside it",
    )
    .with_help("a quoted cell ends with a quote followed by a comma or a line break; a quote inside it is written twice (\"\")")
}

pub(super) fn text_after_quote(file: &str, start: usize, end: usize) -> Diagnostic {
    Diagnostic::new(
        Rule::CsvSyntax,
        file,
        Anchor::Cell {
            start,
            end,
            row: None,
            field: None,
        },
        "text after the closing quote of a cell",
    )
    .with_help("a quote inside a quoted cell is written twice (\"\"); anything else after the closing quote is malformed")
}

/// A row with more or fewer cells than the header has columns; `cut_off` when it is the
/// last and the file ends in it, as a download cut short does.
pub(super) fn wrong_length(
    file: &str,
    record: &Record,
    row: usize,
    expected: usize,
    cut_off: bool,
) -> Diagnostic {
    let found = record.cells.len();
    let message = if cut_off {
        format!(
            "the file ends in the middle of row {row}, after {} of its {}: {}",
            plural(found, "cell", "cells"),
            plural(expected, "column", "columns"),
            crate::text::CUT_OFF
        )
    } else {
        format!(
            "row {row} has {}, but the header has {}",
            plural(found, "cell", "cells"),
            plural(expected, "column", "columns")
        )
    };
    // Point at the first cell too many, or at the end of a row that is short.
    let start = record
        .cells
        .get(expected)
        .map_or(record.end, |extra| extra.start);
    let anchor = Anchor::Cell {
        start,
        end: record.end,
        row: Some(row),
        field: None,
    };
    let help = if cut_off {
        "download the user report again; rows after this one may be missing too"
    } else {
        "every row has one cell per column; a cell holding a comma or a line break must be quoted"
    };
    Diagnostic::new(Rule::CsvSyntax, file, anchor, message).with_help(help)
}

pub(super) fn no_header(file: &str) -> Diagnostic {
    Diagnostic::new(
        Rule::CsvHeader,
        file,
        Anchor::Offset(0),
        "the file is empty: it has no header row",
    )
    .with_help("a user report starts with the header Email,Name,Last pairing session date,Account created date,Role")
}

pub(super) fn no_rows(file: &str, header: &Record) -> Diagnostic {
    Diagnostic::new(
        Rule::CsvNoRows,
        file,
        row_anchor(header, 1),
        "the user report has a header and no rows: a real download lists at least the Team Owner or Team Manager who downloaded it",
    )
    .with_help("download the user report again; if a script wrote it, check that it writes the rows after the header")
}

pub(super) fn no_team_owner(file: &str, role_header: &Cell) -> Diagnostic {
    Diagnostic::new(
        Rule::CsvTeamOwner,
        file,
        cell_anchor(role_header, 1, Column::Role.name()),
        "no row's Role is \"Team Owner\": a team has exactly one",
    )
    .with_help("rows may be missing (a filter, a cut-off download) or the Role column emptied; download the user report again")
}

pub(super) fn second_team_owner(
    file: &str,
    cell: &Cell,
    row: usize,
    first: &Cell,
    first_row: usize,
) -> Diagnostic {
    Diagnostic::new(
        Rule::CsvTeamOwner,
        file,
        cell_anchor(cell, row, Column::Role.name()),
        format!("row {row} is a second Team Owner, as row {first_row} is: a team has exactly one"),
    )
    .with_related(
        cell_anchor(first, first_row, Column::Role.name()),
        format!("row {first_row}, the first Team Owner"),
    )
    .with_help("rows from two teams may have been merged, or a role edited by hand; download the user report again")
}

/// A date cell in none of the accepted forms; `form`, what it looks like, if that is known.
pub(super) fn invalid_date(
    file: &str,
    cell: &Cell,
    row: usize,
    column: &str,
    form: Option<&str>,
) -> Diagnostic {
    let looks = form
        .map(|form| format!(": it looks like {form}"))
        .unwrap_or_default();
    Diagnostic::new(
        Rule::CsvInvalidDate,
        file,
        cell_anchor(cell, row, column),
        format!(
            "row {row}: {column} {} is in none of the accepted forms{looks}",
            quote(&cell.value)
        ),
    )
    .with_help(DATE_HELP)
}

/// Every date of a column in none of the accepted forms: `invalid` of them, the first few as
/// (row, cell), and the form they share, if they share one.
pub(super) fn invalid_date_column(
    file: &str,
    header: &Cell,
    column: &str,
    invalid: usize,
    first: &[(usize, Cell)],
    form: Option<&str>,
) -> Diagnostic {
    let examples: Vec<String> = first
        .iter()
        .map(|(row, cell)| format!("{} (row {row})", quote(&cell.value)))
        .collect();
    let shared = form
        .map(|form| format!(": they look like {form}"))
        .unwrap_or_default();
    Diagnostic::new(
        Rule::CsvInvalidDate,
        file,
        cell_anchor(header, 1, column),
        format!(
            "every {column} is in none of the accepted forms ({invalid} cells, such as {}){shared}",
            examples.join(", ")
        ),
    )
    .with_help(DATE_HELP)
}

/// An unknown header name that is probably the missing `column`, misspelt.
pub(super) fn misspelt_column(
    file: &str,
    anchor: Anchor,
    column: Column,
    name: &str,
) -> Diagnostic {
    Diagnostic::new(
        Rule::CsvHeader,
        file,
        anchor,
        format!(
            "the header has no {} column; its unknown column {} is probably it, misspelt",
            quote(column.name()),
            personal::marked(Personal::Text, name, false)
        ),
    )
    .with_help("column names must match the vendor's, but for letter case and surrounding spaces; rename the column")
}

/// A column the vendor does not describe; `closest`, a known column it is near.
pub(super) fn unknown_column(
    file: &str,
    anchor: Anchor,
    name: &str,
    closest: Option<Column>,
) -> Diagnostic {
    let help = match closest {
        Some(c) => format!("did you mean {}? A column the vendor does not describe is read past; if a newer export adds it, nothing is wrong", quote(c.name())),
        None => format!("a column the vendor does not describe is read past: a newer export may add one, or a script or spreadsheet did; {COLUMNS}"),
    };
    Diagnostic::new(
        Rule::CsvUnknownColumn,
        file,
        anchor,
        format!(
            "unknown column {}",
            personal::marked(Personal::Text, name, false)
        ),
    )
    .with_help(help)
}

pub(super) fn column_named_twice(
    file: &str,
    anchor: Anchor,
    column: Column,
    first: &Cell,
) -> Diagnostic {
    Diagnostic::new(
        Rule::CsvHeader,
        file,
        anchor,
        format!("the column {} is named twice", quote(column.name())),
    )
    .with_related(cell_anchor(first, 1, column.name()), "first named here")
    .with_help("each column appears once; a consumer reading by name sees only one of the two")
}

pub(super) fn no_role_column(file: &str, header: &Record) -> Diagnostic {
    Diagnostic::new(
        Rule::CsvNoRoleColumn,
        file,
        row_anchor(header, 1),
        "the header has no Role column, as exports from before it was added",
    )
    .with_help("older user reports have four columns; roles cannot be checked in this one")
}

pub(super) fn missing_column(file: &str, header: &Record, column: Column) -> Diagnostic {
    Diagnostic::new(
        Rule::CsvHeader,
        file,
        row_anchor(header, 1),
        format!("the header has no {} column", quote(column.name())),
    )
    .with_help(format!("{COLUMNS}, in any order"))
}

pub(super) fn missing_value(file: &str, cell: &Cell, row: usize, column: Column) -> Diagnostic {
    Diagnostic::new(
        Rule::CsvMissingValue,
        file,
        cell_anchor(cell, row, column.name()),
        format!("row {row} has no {}", column.name()),
    )
    .with_help("Email, Name and Account created date are filled in for every user")
}

pub(super) fn invalid_email(file: &str, cell: &Cell, row: usize) -> Diagnostic {
    Diagnostic::new(
        Rule::CsvInvalidEmail,
        file,
        cell_anchor(cell, row, Column::Email.name()),
        format!("row {row}: {} is not an email address", personal::email(&cell.value)),
    )
    .with_help("the same check as the usage report schema's email format: an address such as ana@example.com")
}

pub(super) fn duplicate_email(
    file: &str,
    cell: &Cell,
    row: usize,
    first: &Cell,
    first_row: usize,
) -> Diagnostic {
    Diagnostic::new(
        Rule::CsvDuplicateEmail,
        file,
        cell_anchor(cell, row, Column::Email.name()),
        format!(
            "row {row} has the email {}, as row {first_row} does{}",
            personal::email(&cell.value),
            crate::text::as_written(Personal::Email, &cell.value, &first.value)
        ),
    )
    .with_related(
        cell_anchor(first, first_row, Column::Email.name()),
        format!("row {first_row}"),
    )
    .with_help("emails are compared without regard to case; each user appears once")
}

pub(super) fn invalid_role(file: &str, cell: &Cell, row: usize) -> Diagnostic {
    Diagnostic::new(
        Rule::CsvInvalidRole,
        file,
        cell_anchor(cell, row, Column::Role.name()),
        format!("row {row}: Role {} is not a role", quote(&cell.value)),
    )
    .with_help("Role is empty, \"Team Manager\" or \"Team Owner\"")
}

/// A cell a spreadsheet would run as a formula; `place` is "the header" or "row N".
pub(super) fn formula(file: &str, cell: &Cell, row: usize, field: &str, first: char) -> Diagnostic {
    let place = if row == 1 {
        "the header".to_owned()
    } else {
        format!("row {row}")
    };
    Diagnostic::new(
        Rule::CsvFormula,
        file,
        cell_anchor(cell, row, field),
        format!(
            "{place}: {} starts with {}, which a spreadsheet runs as a formula",
            if row == 1 {
                personal::marked(Personal::Text, &cell.value, false)
            } else {
                personal::value(field, &cell.value)
            },
            quote(&first.to_string())
        ),
    )
    .with_help(
        "open the file as text, or have the exporter prefix such cells with a single quote (')",
    )
}
