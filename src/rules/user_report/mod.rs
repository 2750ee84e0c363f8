//! The rules of the CSV user report on its own: header, cells, duplicates, formulas.

pub mod diags;

use std::collections::HashMap;

use crate::diagnostic::{Anchor, Diagnostic};
use crate::formats::is_email;
use crate::parse::csv::{Cell, CsvProblem, Record};
use crate::parse::dates::{likely_column_form, likely_form, CsvDate};
use crate::registry::Rule;
use crate::text::edit_distance;

/// The columns the vendor's page describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    Email,
    Name,
    LastPairing,
    Created,
    Role,
}

impl Column {
    pub const ALL: [Column; 5] = [
        Column::Email,
        Column::Name,
        Column::LastPairing,
        Column::Created,
        Column::Role,
    ];

    /// The name as the header writes it.
    pub fn name(self) -> &'static str {
        match self {
            Column::Email => "Email",
            Column::Name => "Name",
            Column::LastPairing => "Last pairing session date",
            Column::Created => "Account created date",
            Column::Role => "Role",
        }
    }

    /// Names match exactly, but for surrounding spaces and letter case.
    fn matching(header: &str) -> Option<Column> {
        let wanted = header.trim_matches(' ');
        Column::ALL
            .into_iter()
            .find(|c| c.name().eq_ignore_ascii_case(wanted))
    }
}

/// The separator of a user report's cells: a comma, unless the header reads as the vendor's
/// columns only when split at semicolons or tabs, as a spreadsheet set to a European locale,
/// or Excel's "Unicode text", saves the file.
pub fn separator(text: &str) -> u8 {
    let known = |separator: u8| known_columns(text, separator);
    let commas = known(b',');
    [b';', b'\t']
        .into_iter()
        .map(|separator| (known(separator), separator))
        .filter(|(count, _)| *count >= 2 && *count > commas)
        .max_by_key(|(count, _)| *count)
        .map_or(b',', |(_, separator)| separator)
}

/// How many of the vendor's columns the first line of `text` names, split at `separator`.
pub fn known_columns(text: &str, separator: u8) -> usize {
    let header = text.split(['\n', '\r']).next().unwrap_or("");
    header
        .split(char::from(separator))
        .filter(|name| Column::matching(name.trim_matches('"')).is_some())
        .count()
}

/// A row of the user report, as the cross-check needs it.
#[derive(Clone, Debug)]
pub struct UserRow {
    /// The row as a spreadsheet numbers it: the header is row 1.
    pub row: usize,
    /// It has more or fewer cells than the header has columns (csv-syntax): its cells may
    /// not stand in their columns, so the cross-check compares nothing of it.
    pub malformed: bool,
    pub email: Option<Cell>,
    pub name: Option<Cell>,
    pub last_pairing: Option<Cell>,
    pub created: Option<Cell>,
    pub role: Option<Cell>,
}

/// Why the rows of a user report may not all be there, and where that shows.
#[derive(Clone, Debug)]
pub struct Incomplete {
    /// In words, after the file's name: "ends in the middle of row 9: …".
    pub why: String,
    pub at: Anchor,
}

/// What the cross-check needs of a user report.
#[derive(Clone, Debug, Default)]
pub struct UserReport {
    /// Set when rows may be missing (a quote left open, a file cut off mid-row): the
    /// cross-check then does not report member by member who has no row.
    pub incomplete: Option<Incomplete>,
    pub rows: Vec<UserRow>,
    /// Whether the header has an Email column: without one, no row can be matched.
    pub has_email: bool,
    pub has_last_pairing: bool,
    pub has_created: bool,
}

/// The anchor of a cell in column `field` of spreadsheet row `row`.
pub fn cell_anchor(cell: &Cell, row: usize, field: &str) -> Anchor {
    Anchor::Cell {
        start: cell.start,
        end: cell.end,
        row: Some(row),
        field: Some(field.to_owned()),
    }
}

fn row_anchor(record: &Record, row: usize) -> Anchor {
    Anchor::Cell {
        start: record.start,
        end: record.end,
        row: Some(row),
        field: None,
    }
}

/// Checks the records of a user report; returns its rows for the cross-check.
/// `ends_mid_row`: the text ends without a line break after its last record, as a download
/// cut off does (and as some writers leave a complete file).
pub fn check(
    file: &str,
    records: &[Record],
    problems: &[CsvProblem],
    ends_mid_row: bool,
    out: &mut Vec<Diagnostic>,
) -> UserReport {
    for problem in problems {
        out.push(match *problem {
            CsvProblem::UnterminatedQuote { start } => diags::unterminated_quote(file, start),
            CsvProblem::TextAfterQuote { start, end } => diags::text_after_quote(file, start, end),
        });
    }
    let Some((header, rows)) = records.split_first() else {
        out.push(diags::no_header(file));
        return UserReport::default();
    };
    let columns = check_header(file, header, out);
    let index_of = |column: Column| columns.iter().position(|c| *c == Some(column));
    let mut report = UserReport {
        incomplete: None,
        rows: Vec::with_capacity(rows.len()),
        has_email: index_of(Column::Email).is_some(),
        has_last_pairing: index_of(Column::LastPairing).is_some(),
        has_created: index_of(Column::Created).is_some(),
    };
    let mut emails: HashMap<String, (usize, Cell)> = HashMap::new();
    for cell in &header.cells {
        check_formula(file, cell, 1, "the header", out);
    }
    // A cell left open runs to the end of the file; its row is short because of it, which
    // the unterminated quote already says.
    let left_open = problems
        .iter()
        .any(|p| matches!(p, CsvProblem::UnterminatedQuote { .. }));
    if rows.is_empty() {
        out.push(diags::no_rows(file, header));
    }
    // The date cells, judged once every row is read: when a whole column fails, one finding
    // says so rather than one per row.
    let mut dates: Vec<DateColumn> = [Column::LastPairing, Column::Created]
        .into_iter()
        .filter_map(|column| {
            Some(DateColumn {
                column,
                header: header.cells.get(index_of(column)?)?.clone(),
                filled: 0,
                invalid: Vec::new(),
            })
        })
        .collect();
    let role = index_of(Column::Role);
    // Rows whose Role is Team Owner, with their Role cell.
    let mut owners: Vec<(usize, Cell)> = Vec::new();
    for (i, record) in rows.iter().enumerate() {
        let row = i + 2;
        let last = i + 1 == rows.len();
        let swallowed = left_open && last;
        let malformed = record.cells.len() != header.cells.len();
        let cut_off = malformed && last && ends_mid_row && record.cells.len() < header.cells.len();
        if malformed && !swallowed {
            out.push(diags::wrong_length(
                file,
                record,
                row,
                header.cells.len(),
                cut_off,
            ));
            if cut_off {
                report.incomplete = Some(Incomplete {
                    why: format!("ends in the middle of row {row}: {}", crate::text::CUT_OFF),
                    // Where the file ends, so that the cut (csv-syntax, there too) comes first.
                    at: Anchor::Cell {
                        start: record.end,
                        end: record.end,
                        row: Some(row),
                        field: None,
                    },
                });
            }
        }
        if swallowed {
            if let Some(CsvProblem::UnterminatedQuote { start }) = problems
                .iter()
                .find(|p| matches!(p, CsvProblem::UnterminatedQuote { .. }))
            {
                report.incomplete = Some(Incomplete {
                    why: format!(
                        "has a quote left open in row {row}, which takes in the rest of the file"
                    ),
                    at: Anchor::Offset(*start),
                });
            }
        }
        for (c, cell) in record.cells.iter().enumerate() {
            let field = header
                .cells
                .get(c)
                .map_or("(no column)", |h| h.value.trim_matches(' '));
            check_formula(file, cell, row, field, out);
            // The cells of a row cut off are cut short too: the cut is the finding.
            if cut_off {
                continue;
            }
            if let Some(Some(column)) = columns.get(c) {
                check_cell(file, *column, cell, row, &mut emails, out);
                if let Some(dates) = dates.iter_mut().find(|d| d.column == *column) {
                    dates.take(row, cell);
                }
            }
        }
        if let Some(owner) = role
            .and_then(|c| record.cells.get(c))
            .filter(|cell| cell.value == "Team Owner")
        {
            owners.push((row, owner.clone()));
        }
        let cell = |column: Column| index_of(column).and_then(|c| record.cells.get(c)).cloned();
        report.rows.push(UserRow {
            row,
            malformed: malformed || swallowed,
            email: cell(Column::Email),
            name: cell(Column::Name),
            last_pairing: cell(Column::LastPairing),
            created: cell(Column::Created),
            role: cell(Column::Role),
        });
    }
    for dates in &dates {
        dates.report(file, out);
    }
    // A Role that is no role may be the owner's, misspelt, and a malformed row (a quote left
    // open, a row cut short) may have lost it: csv-invalid-role or csv-syntax says so, and
    // "no Team Owner" would only repeat it.
    let owner_unreadable = out
        .iter()
        .any(|d| matches!(d.rule, Rule::CsvInvalidRole | Rule::CsvSyntax));
    if let (Some(role), false) = (role, rows.is_empty()) {
        if !(owners.is_empty() && owner_unreadable) {
            check_owners(file, &header.cells[role], &owners, out);
        }
    }
    report
}

/// A team has exactly one Team Owner (see `csv-team-owner`'s explanation for the source).
fn check_owners(
    file: &str,
    role_header: &Cell,
    owners: &[(usize, Cell)],
    out: &mut Vec<Diagnostic>,
) {
    let Some(((first_row, first), others)) = owners.split_first() else {
        out.push(diags::no_team_owner(file, role_header));
        return;
    };
    for (row, cell) in others {
        out.push(diags::second_team_owner(
            file, cell, *row, first, *first_row,
        ));
    }
}

/// The cells of a date column.
struct DateColumn {
    column: Column,
    header: Cell,
    /// How many cells hold something.
    filled: usize,
    /// The cells in no accepted form, with their rows.
    invalid: Vec<(usize, Cell)>,
}

impl DateColumn {
    fn take(&mut self, row: usize, cell: &Cell) {
        if cell.value.is_empty() {
            return;
        }
        self.filled += 1;
        if CsvDate::parse(&cell.value).is_none() {
            self.invalid.push((row, cell.clone()));
        }
    }

    fn report(&self, file: &str, out: &mut Vec<Diagnostic>) {
        let name = self.column.name();
        if self.invalid.len() < 2 || self.invalid.len() < self.filled {
            for (row, cell) in &self.invalid {
                let form = likely_form(&cell.value);
                out.push(diags::invalid_date(file, cell, *row, name, form));
            }
            return;
        }
        // Every cell of the column: one finding, at the column's name.
        let form = likely_column_form(self.invalid.iter().map(|(_, cell)| cell.value.as_str()));
        let first = &self.invalid[..self.invalid.len().min(3)];
        out.push(diags::invalid_date_column(
            file,
            &self.header,
            name,
            self.invalid.len(),
            first,
            form,
        ));
    }
}

/// Which column each header cell is; reports unknown, repeated and missing columns.
///
/// A required column that is missing is `csv-header`, an error; a column the vendor does not
/// describe is `csv-unknown-column`, a warning (a newer export may add one). An unknown name
/// close to a missing column's is that column misspelt: one finding, at the misspelt name,
/// says both.
fn check_header(file: &str, header: &Record, out: &mut Vec<Diagnostic>) -> Vec<Option<Column>> {
    let columns: Vec<Option<Column>> = header
        .cells
        .iter()
        .map(|cell| Column::matching(&cell.value))
        .collect();
    let missing: Vec<Column> = Column::ALL
        .into_iter()
        .filter(|c| !columns.contains(&Some(*c)))
        .collect();
    // Missing columns whose misspelt name stands in the header.
    let mut misspelt: Vec<Column> = Vec::new();
    for (i, (cell, column)) in header.cells.iter().zip(&columns).enumerate() {
        let anchor = cell_anchor(cell, 1, cell.value.trim_matches(' '));
        let Some(column) = column else {
            let closest = closest_column(&cell.value);
            match closest {
                Some(c) if missing.contains(&c) && !misspelt.contains(&c) && c != Column::Role => {
                    misspelt.push(c);
                    out.push(diags::misspelt_column(file, anchor, c, &cell.value));
                }
                _ => {
                    if closest == Some(Column::Role) && missing.contains(&Column::Role) {
                        misspelt.push(Column::Role);
                    }
                    out.push(diags::unknown_column(file, anchor, &cell.value, closest));
                }
            }
            continue;
        };
        if let Some(first) = columns[..i].iter().position(|c| c == &Some(*column)) {
            let first_cell = &header.cells[first];
            out.push(diags::column_named_twice(file, anchor, *column, first_cell));
        }
    }
    for column in missing.into_iter().filter(|c| !misspelt.contains(c)) {
        out.push(match column {
            Column::Role => diags::no_role_column(file, header),
            _ => diags::missing_column(file, header, column),
        });
    }
    columns
}

/// The column whose name is closest to `name`, if any is close.
fn closest_column(name: &str) -> Option<Column> {
    let wanted = name.trim().to_lowercase();
    Column::ALL
        .into_iter()
        .map(|c| (edit_distance(&wanted, &c.name().to_lowercase()), c))
        .filter(|(distance, _)| *distance <= 4)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c)
}

fn check_cell(
    file: &str,
    column: Column,
    cell: &Cell,
    row: usize,
    emails: &mut HashMap<String, (usize, Cell)>,
    out: &mut Vec<Diagnostic>,
) {
    let value = cell.value.as_str();
    let required = matches!(column, Column::Email | Column::Name | Column::Created);
    if value.is_empty() {
        if required {
            out.push(diags::missing_value(file, cell, row, column));
        }
        return;
    }
    match column {
        Column::Email => {
            if !is_email(value) {
                out.push(diags::invalid_email(file, cell, row));
            }
            let folded = value.to_lowercase();
            match emails.get(&folded) {
                Some((first_row, first)) => {
                    out.push(diags::duplicate_email(file, cell, row, first, *first_row));
                }
                None => {
                    emails.insert(folded, (row, cell.clone()));
                }
            }
        }
        // Judged by DateColumn, once every row is read.
        Column::LastPairing | Column::Created => {}
        Column::Role => {
            if value != "Team Manager" && value != "Team Owner" {
                out.push(diags::invalid_role(file, cell, row));
            }
        }
        Column::Name => {}
    }
}

/// `csv-formula`: what a spreadsheet would take for a formula.
fn check_formula(file: &str, cell: &Cell, row: usize, field: &str, out: &mut Vec<Diagnostic>) {
    let Some(first) = cell.value.chars().next() else {
        return;
    };
    if matches!(first, '=' | '+' | '-' | '@' | '\t' | '\r') {
        out.push(diags::formula(file, cell, row, field, first));
    }
}
