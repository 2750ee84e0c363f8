//! Checking a CSV user report.

use std::borrow::Cow;

use super::decode::{decode, Decoded};
use super::{FileKind, FileReport, Source, SourceText};
use crate::parse::csv::read_records;
use crate::read::Input;
use crate::registry::Rule;
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
    // A byte order mark is no finding here: spreadsheet programs write one.
    let (text, users) = match decode(input, Rule::CsvEncoding) {
        Decoded::Unreadable { finding, shown } => {
            diagnostics.push(*finding);
            (shown, None)
        }
        Decoded::Text { text, .. } => {
            let (records, problems) = read_records(text);
            let users = user_report::check(file, &records, &problems, &mut diagnostics);
            (Cow::Borrowed(text), Some(users))
        }
    };
    UsersChecked {
        report: FileReport {
            path: file.to_owned(),
            kind: FileKind::UserReport,
            stats: None,
            rows: users.as_ref().map(|u| u.rows.len()),
            diagnostics,
            omitted: Vec::new(),
        },
        source: Source {
            lone_cr_ends_lines: true,
            text: SourceText::Text(text),
        },
        users,
    }
}
