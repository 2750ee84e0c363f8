//! Checking a CSV user report.

use super::decode::decode_user_report;
use super::{FileKind, FileReport, Source, SourceText};
use crate::parse::csv::read_records;
use crate::read::Input;
use crate::rules::user_report::{self, UserReport};

/// What a user report's check leaves for the cross-check and the locating.
pub(super) struct UsersChecked<'a> {
    pub report: FileReport,
    pub source: Source<'a>,
    pub users: Option<UserReport>,
}

pub(super) fn check(input: &Input) -> UsersChecked<'_> {
    let file = input.path.as_str();
    let mut diagnostics = Vec::new();
    // A byte order mark is no finding here: spreadsheet programs write one. Text in another
    // encoding is read as what it appears to be, after the finding that says so.
    let (text, encoding) = decode_user_report(input);
    let separator = user_report::separator(&text);
    // Text decoded by a guess whose header names none of the columns is not a user report in
    // that encoding either (binary data, another kind of file): the encoding is the finding.
    let guessed_wrong = encoding.is_some() && user_report::known_columns(&text, separator) < 2;
    diagnostics.extend(encoding);
    let users = (!guessed_wrong).then(|| {
        let (records, problems) = read_records(&text, separator);
        if let (b';' | b'\t', Some(header)) = (separator, records.first()) {
            diagnostics.push(user_report::diags::separator(file, header, separator));
        }
        let ends_mid_row = records.last().is_some_and(|last| last.end == text.len());
        user_report::check(file, &records, &problems, ends_mid_row, &mut diagnostics)
    });
    UsersChecked {
        report: FileReport {
            path: file.to_owned(),
            kind: FileKind::UserReport,
            stats: None,
            rows: users.as_ref().map(|u| u.rows.len()),
            diagnostics,
            omitted: Vec::new(),
            written: [0; 3],
            overview: None,
        },
        source: Source {
            line_ends: crate::locate::LineEnds::AnyBreak,
            text: SourceText::Text(text),
        },
        users,
    }
}
