//! Every member in one table: the usage report's team members beside the user report's rows,
//! matched by email as the cross-check matches them, sorted by name.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{FilePart, Mention};
use crate::check::Overview;
use crate::render::xml;
use crate::rules::usage_report::LastCall;
use crate::text::personal::Personal;

/// One line of the table.
#[derive(Default)]
struct Line {
    name: Option<String>,
    email: Option<String>,
    role: Option<String>,
    created: Option<String>,
    calls: Option<usize>,
    minutes: Option<u64>,
    last_call: Option<String>,
    last_pairing: Option<String>,
    /// In the usage report, then in the user report: where their findings start.
    findings: Vec<(&'static str, Mention)>,
}

/// The table for a pair, or a lone file, as HTML.
pub(super) fn table(usage: Option<&FilePart>, users: Option<&FilePart>, redacted: bool) -> String {
    let members = usage.and_then(|part| match part.overview.as_deref() {
        Some(Overview::UsageReport { members, .. }) => Some(members),
        _ => None,
    });
    let rows = users.and_then(|part| match part.overview.as_deref() {
        Some(Overview::UserReport { rows }) => Some(rows),
        _ => None,
    });
    let mut lines: Vec<Line> = Vec::new();
    // Lower-cased email -> the line of the first member with it.
    let mut by_email: BTreeMap<String, usize> = BTreeMap::new();
    // Whether a line of a member already has its row.
    let mut matched: Vec<bool> = Vec::new();
    for (index, member) in members.into_iter().flatten().enumerate() {
        if let Some(email) = &member.email {
            by_email.entry(email.to_lowercase()).or_insert(lines.len());
        }
        let last_call = match &member.last_call {
            LastCall::At(_, text) => Some(text.clone()),
            LastCall::Null => Some("null".to_owned()),
            LastCall::Absent => None,
            LastCall::Unreadable => Some("(not a timestamp)".to_owned()),
        };
        let findings = usage
            .and_then(|part| Some(("JSON", part.about.get(&index)?.clone())))
            .into_iter()
            .collect();
        matched.push(false);
        lines.push(Line {
            name: member.name.clone(),
            email: member.email.clone(),
            created: member.created_at.as_ref().map(|(_, text)| text.clone()),
            calls: Some(member.calls),
            minutes: Some(member.minutes),
            last_call,
            findings,
            ..Line::default()
        });
    }
    let value = |cell: &Option<crate::parse::csv::Cell>| {
        cell.as_ref()
            .map(|c| c.value.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    for row in rows.into_iter().flatten() {
        let email = value(&row.email);
        // A second row with a member's email (csv-duplicate-email) gets a line of its own.
        let at = email
            .as_ref()
            .and_then(|e| by_email.get(&e.to_lowercase()).copied())
            .filter(|&at| !matched[at]);
        if let Some(at) = at {
            matched[at] = true;
        }
        let line = match at {
            Some(at) => &mut lines[at],
            None => {
                lines.push(Line {
                    name: value(&row.name),
                    email: email.clone(),
                    created: value(&row.created),
                    ..Line::default()
                });
                let last = lines.len() - 1;
                &mut lines[last]
            }
        };
        line.role = value(&row.role);
        line.last_pairing = value(&row.last_pairing);
        if line.name.is_none() {
            line.name = value(&row.name);
        }
        if let Some(mention) = users.and_then(|part| part.about.get(&row.row)) {
            line.findings.push(("CSV", mention.clone()));
        }
    }
    let key = |line: &Line| {
        (
            line.name.as_deref().unwrap_or("").to_lowercase(),
            line.email.as_deref().unwrap_or("").to_lowercase(),
        )
    };
    lines.sort_by_cached_key(key);

    let mut html = String::new();
    let mut columns = vec!["Name", "Email"];
    if rows.is_some() {
        columns.push("Role");
    }
    columns.push("Account created");
    if members.is_some() {
        columns.extend(["Calls", "Pairing minutes", "Last call (usage report)"]);
    }
    if rows.is_some() {
        columns.push("Last pairing session (user report)");
    }
    columns.push("Findings");
    let _ = write!(
        html,
        "<p>{} sorted by name{}.</p>\n<div class=\"scroll\"><table class=\"members\">\n<thead><tr>",
        crate::text::plural(lines.len(), "person", "people"),
        if members.is_some() && rows.is_some() {
            ", the user report's rows beside the team member with the same email"
        } else {
            ""
        }
    );
    for column in &columns {
        let class = if matches!(*column, "Calls" | "Pairing minutes") {
            " class=\"n\""
        } else {
            ""
        };
        let _ = write!(html, "<th scope=\"col\"{class}>{column}</th>");
    }
    html.push_str("</tr></thead>\n<tbody>\n");
    let cell = |text: Option<&str>| {
        text.map_or_else(
            || "<td class=\"absent\">—</td>".to_owned(),
            |t| format!("<td>{}</td>", xml(&crate::text::escape(t))),
        )
    };
    for line in &lines {
        html.push_str("<tr>");
        let name = line
            .name
            .as_deref()
            .map(|n| shown(Personal::Name, n, redacted));
        let email = line
            .email
            .as_deref()
            .map(|e| shown(Personal::Email, e, redacted));
        html.push_str(&cell(name.as_deref()));
        html.push_str(&cell(email.as_deref()));
        if rows.is_some() {
            html.push_str(&cell(line.role.as_deref()));
        }
        html.push_str(&cell(line.created.as_deref()));
        if members.is_some() {
            match (line.calls, line.minutes) {
                (Some(calls), Some(minutes)) => {
                    let _ = write!(
                        html,
                        "<td class=\"n\">{calls}</td><td class=\"n\">{minutes}</td>"
                    );
                }
                _ => html
                    .push_str("<td class=\"absent\">not a member</td><td class=\"absent\">—</td>"),
            }
            html.push_str(&cell(line.last_call.as_deref()));
        }
        if rows.is_some() {
            html.push_str(&cell(line.last_pairing.as_deref()));
        }
        if line.findings.is_empty() {
            html.push_str("<td class=\"absent\">none</td>");
        } else {
            let links: Vec<String> = line
                .findings
                .iter()
                .map(|(file, mention)| {
                    format!(
                        "<a href=\"#{}\">{} in the {file}</a>",
                        mention.first, mention.count
                    )
                })
                .collect();
            let _ = write!(html, "<td>{}</td>", links.join(", "));
        }
        html.push_str("</tr>\n");
    }
    html.push_str("</tbody>\n</table></div>\n");
    html
}

/// A name or email as the page shows it: as written, or its hash with `--redact`.
fn shown(kind: Personal, text: &str, redacted: bool) -> String {
    if redacted {
        kind.redacted(text)
    } else {
        text.to_owned()
    }
}
