//! A pair's verdict: one line in plain words that says whether the two files can be trusted,
//! and the likely cause where the findings show one, for a reader who will not read every
//! frame.

use std::collections::BTreeSet;

use chrono::{DateTime, FixedOffset};

use super::FileReport;
use crate::diagnostic::{Anchor, Severity};
use crate::registry::{Rule, Stage};
use crate::text::{escape, plural, CUT_OFF};

/// The newest time each file of a pair holds, when the two were compared.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Newest {
    pub usage: Option<DateTime<FixedOffset>>,
    pub users: Option<DateTime<FixedOffset>>,
}

/// The verdict on a pair, or `None` when neither file has a warning or an error.
pub(super) fn verdict(usage: &FileReport, users: &FileReport, newest: Newest) -> Option<String> {
    let loud = |file: &FileReport| {
        file.diagnostics
            .iter()
            .filter(|d| d.severity >= Severity::Warning)
            .count()
            + file.omitted.iter().map(|(_, n)| n).sum::<usize>()
    };
    if loud(usage) + loud(users) == 0 {
        return None;
    }
    let (usage_name, users_name) = names(&usage.path, &users.path);
    let all = || usage.diagnostics.iter().chain(&users.diagnostics);
    let has = |rule: Rule| all().any(|d| d.rule == rule);
    let mut parts = Vec::new();
    let people = people_disagreed_on(usage, users);
    if has(Rule::DifferentTeams) {
        parts.push(format!(
            "{users_name} and {usage_name} are not the same team's files"
        ));
    } else if people > 0 {
        parts.push(format!(
            "{users_name} disagrees with {usage_name} on {}",
            plural(people, "person", "people")
        ));
    }
    for (file, name) in [(usage, &usage_name), (users, &users_name)] {
        let own = file
            .diagnostics
            .iter()
            .filter(|d| d.severity >= Severity::Warning && d.rule.stage() != Stage::CrossCheck)
            .count();
        if own > 0 {
            parts.push(format!(
                "{name} has {} of its own",
                plural(own, "problem", "problems")
            ));
        }
    }
    if let Some(cause) = cause(usage, users, &usage_name, &users_name, people, newest) {
        parts.push(cause);
    }
    Some(parts.join("; "))
}

/// The two files as the verdict names them: by file name when they share a folder (the
/// summary lines above it give their paths), else by path.
fn names(usage: &str, users: &str) -> (String, String) {
    let split = |path: &str| match path.rsplit_once('/') {
        Some((folder, name)) => (folder.to_owned(), name.to_owned()),
        None => (String::new(), path.to_owned()),
    };
    let ((usage_folder, usage_file), (users_folder, users_file)) = (split(usage), split(users));
    if usage_folder == users_folder && usage_file != users_file {
        (escape(&usage_file), escape(&users_file))
    } else {
        (escape(usage), escape(users))
    }
}

/// How many people the cross-check's findings are about: each row or member once.
fn people_disagreed_on(usage: &FileReport, users: &FileReport) -> usize {
    let mut people = BTreeSet::new();
    for d in usage.diagnostics.iter().chain(&users.diagnostics) {
        let person = match (&d.rule, &d.primary.anchor) {
            (
                Rule::MissingFromJson
                | Rule::NameMismatch
                | Rule::CreatedAtMismatch
                | Rule::LastCallMismatch,
                Anchor::Cell { row: Some(row), .. },
            ) => format!("row {row}"),
            (Rule::MissingFromCsv, Anchor::Value(pointer)) => pointer.clone(),
            // The members a cut-off user report leaves without a row stand in one finding,
            // which the cause ("cut off in the download") speaks for: counting it as one
            // person would understate them.
            _ => continue,
        };
        people.insert(person);
    }
    people.len()
}

/// What one file's findings show of their likely cause, naming the file `name`: a download
/// cut off, a user report re-saved by a spreadsheet. For a pair, the usage report's first.
fn file_cause(file: &FileReport, name: &str) -> Option<String> {
    if file.diagnostics.iter().any(|d| d.message.contains(CUT_OFF)) {
        return Some(format!(
            "{name} ends where no complete report would: it was probably cut off in the download, so download it again"
        ));
    }
    let resaved = file.diagnostics.iter().any(|d| {
        matches!(
            d.rule,
            Rule::CsvSeparator | Rule::CsvEncoding | Rule::CsvInvalidDate
        )
    });
    resaved.then(|| {
        format!(
            "{name} was probably re-saved by a spreadsheet: use the file as downloaded, or save it as CSV UTF-8"
        )
    })
}

/// The likely cause of a lone file's findings, where they show one (the verdict of a file
/// checked without its partner).
pub(crate) fn lone_cause(file: &FileReport) -> Option<String> {
    let name = file.path.rsplit('/').next().unwrap_or(&file.path);
    file_cause(file, &escape(name))
}

/// The likely cause, where the findings show one.
fn cause(
    usage: &FileReport,
    users: &FileReport,
    usage_name: &str,
    users_name: &str,
    people: usize,
    newest: Newest,
) -> Option<String> {
    for (file, name) in [(usage, usage_name), (users, users_name)] {
        if let Some(cause) = file_cause(file, name) {
            return Some(cause);
        }
    }
    if people == 0 {
        return None;
    }
    match (newest.usage, newest.users) {
        (Some(json), Some(csv)) if csv > json => Some(format!(
            "its newest date is later than anything in {usage_name}: it was probably downloaded later, so download both again at once"
        )),
        (Some(json), Some(csv)) if json > csv && csv.date_naive() < json.date_naive() => {
            Some(format!(
                "{usage_name} holds dates later than anything in {users_name}: the user report was probably downloaded earlier, so download both again at once"
            ))
        }
        _ => None,
    }
}
