//! What a finding is: rule, severity, message, where, related places and help.
//!
//! Rules create diagnostics with an [`Anchor`] (a JSON Pointer, or a byte offset for reading
//! errors); the positions are filled in afterwards, only for what is reported, by
//! [`crate::locate`].

use std::fmt;

use serde::Serialize;

use crate::registry::Rule;
pub use crate::registry::Severity;

/// What in the source a location points at, before it is mapped to a line and column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Anchor {
    /// The value at this JSON Pointer.
    Value(String),
    /// The key of the member at this JSON Pointer (the last token names the key).
    Key(String),
    /// The `occurrence`-th (0-based) appearance of the last token's key in the object the rest
    /// of the pointer names: how a repeated key is told apart from its first appearance.
    RepeatedKey { pointer: String, occurrence: usize },
    /// A byte offset in the file: where reading stopped.
    Offset(usize),
    /// The file as a whole, at no line: a report checked alone, for instance.
    File,
    /// A cell of the CSV user report (or a whole row when `field` is `None`): its byte span,
    /// its row as a spreadsheet numbers it (the header is row 1) when known, and its column's
    /// name.
    Cell {
        start: usize,
        end: usize,
        row: Option<usize>,
        field: Option<String>,
    },
}

impl Anchor {
    pub fn pointer(&self) -> Option<&str> {
        match self {
            Anchor::Value(p) | Anchor::Key(p) | Anchor::RepeatedKey { pointer: p, .. } => Some(p),
            Anchor::Offset(_) | Anchor::Cell { .. } | Anchor::File => None,
        }
    }

    /// The spreadsheet row of a CSV location.
    pub fn row(&self) -> Option<usize> {
        match self {
            Anchor::Cell { row, .. } => *row,
            _ => None,
        }
    }

    /// The column name of a CSV location.
    pub fn field(&self) -> Option<&str> {
        match self {
            Anchor::Cell { field, .. } => field.as_deref(),
            _ => None,
        }
    }
}

/// A 1-based line and column; columns count characters, not bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// A place in a file: its path as given, the span once located, and the pointer it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub anchor: Anchor,
    /// Byte range in the file; `None` until located, or when the anchor is not in the file.
    pub bytes: Option<(usize, usize)>,
    pub start: Option<Position>,
    pub end: Option<Position>,
    /// The source line the location starts on, for code frames; cut to a window around the
    /// location when the line is long.
    pub excerpt: Option<Excerpt>,
}

/// Part of one source line, as it stands in the file (unescaped: renderers escape it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Excerpt {
    pub line: usize,
    pub text: String,
    /// The 1-based column of `text`'s first character in the line.
    pub first_column: usize,
    /// Whether the line goes on past `text`.
    pub cut_after: bool,
}

impl Location {
    pub fn new(file: &str, anchor: Anchor) -> Self {
        Location {
            file: file.to_owned(),
            anchor,
            bytes: None,
            start: None,
            end: None,
            excerpt: None,
        }
    }

    pub fn pointer(&self) -> Option<&str> {
        self.anchor.pointer()
    }
}

/// Another place that explains a finding, such as the first member with the same user_id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub location: Location,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub rule: Rule,
    pub severity: Severity,
    pub message: String,
    pub primary: Location,
    pub related: Vec<Related>,
    pub help: Option<String>,
    /// For schema findings: the keyword's place in the schema, as a JSON Pointer.
    pub schema_path: Option<String>,
}

impl Diagnostic {
    /// A finding with the rule's default severity and no related places or help yet.
    pub fn new(rule: Rule, file: &str, anchor: Anchor, message: impl Into<String>) -> Self {
        Diagnostic {
            rule,
            severity: rule.default_severity(),
            message: message.into(),
            primary: Location::new(file, anchor),
            related: Vec::new(),
            help: None,
            schema_path: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a related place in the same file.
    pub fn with_related(self, anchor: Anchor, message: impl Into<String>) -> Self {
        let file = self.primary.file.clone();
        self.with_related_in(&file, anchor, message)
    }

    /// Adds a related place in another file, such as the JSON member of a CSV row.
    pub fn with_related_in(
        mut self,
        file: &str,
        anchor: Anchor,
        message: impl Into<String>,
    ) -> Self {
        self.related.push(Related {
            location: Location::new(file, anchor),
            message: message.into(),
        });
        self
    }

    pub fn with_schema_path(mut self, path: impl Into<String>) -> Self {
        self.schema_path = Some(path.into());
        self
    }

    /// The order every output uses: file, line, column, rule.
    pub fn sort_key(&self) -> (&str, usize, usize, &str, &str) {
        let start = self
            .primary
            .start
            .unwrap_or(Position { line: 0, column: 0 });
        (
            &self.primary.file,
            start.line,
            start.column,
            self.rule.id(),
            &self.message,
        )
    }
}

impl fmt::Display for Diagnostic {
    /// `file:line:column: severity[rule]: message`, the one-line form of a finding.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.primary.file)?;
        if let Some(start) = self.primary.start {
            write!(f, ":{}:{}", start.line, start.column)?;
        }
        write!(f, ": {}[{}]: {}", self.severity, self.rule, self.message)
    }
}

/// Findings as they are made, keeping at most `cap` of each rule in each part of the report
/// (the team members, the calls, the rest) and counting the others, so that a report in
/// which every call is wrong costs bounded memory for an output that shows only the first
/// few of each rule.
///
/// Within a part, findings are made in the order of the file; the parts themselves may come
/// in any order (`calls` before `team_members` is valid JSON). So the cap here keeps enough
/// for the one that counts, [`crate::check::FileReport`]'s, made once the findings are
/// sorted by place: the first `cap` in the file are among those kept.
#[derive(Debug, Default)]
pub struct Findings {
    kept: Vec<Diagnostic>,
    cap: Option<usize>,
    /// Per rule and part: how many were seen.
    seen: std::collections::BTreeMap<(Rule, Part), usize>,
    /// Per rule: how many were not kept.
    dropped: std::collections::BTreeMap<Rule, usize>,
}

/// The part of a report a finding stands in, by the first token of its pointer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Part {
    Members,
    Calls,
    Other,
}

impl Part {
    fn of(location: &Location) -> Part {
        match location.pointer() {
            Some(p) if p.starts_with("/team_members") => Part::Members,
            Some(p) if p.starts_with("/calls") => Part::Calls,
            _ => Part::Other,
        }
    }
}

impl Findings {
    pub fn new(cap: Option<usize>) -> Self {
        Findings {
            cap,
            ..Findings::default()
        }
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        let part = Part::of(&diagnostic.primary);
        let seen = self.seen.entry((diagnostic.rule, part)).or_default();
        *seen += 1;
        if self.cap.is_some_and(|cap| *seen > cap) {
            *self.dropped.entry(diagnostic.rule).or_default() += 1;
        } else {
            self.kept.push(diagnostic);
        }
    }

    pub fn extend(&mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        for diagnostic in diagnostics {
            self.push(diagnostic);
        }
    }

    /// The findings kept, and per rule how many more there were.
    pub fn into_parts(self) -> (Vec<Diagnostic>, Vec<(Rule, usize)>) {
        (self.kept, self.dropped.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_keep_the_first_of_each_rule_and_count_the_rest() {
        let finding =
            |rule: Rule, n: usize| Diagnostic::new(rule, "f", Anchor::Offset(n), format!("{n}"));
        let mut findings = Findings::new(Some(2));
        for n in 0..5 {
            findings.push(finding(Rule::EmptyCall, n));
        }
        findings.push(finding(Rule::JsonBom, 9));
        // Another part of the report keeps its own first findings.
        for n in 10..13 {
            findings.push(Diagnostic::new(
                Rule::EmptyCall,
                "f",
                Anchor::Value(format!("/calls/{n}")),
                format!("{n}"),
            ));
        }
        let (kept, omitted) = findings.into_parts();
        let messages: Vec<&str> = kept.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages, ["0", "1", "9", "10", "11"]);
        assert_eq!(omitted, [(Rule::EmptyCall, 4)]);
        let mut all = Findings::new(None);
        all.extend((0..5).map(|n| finding(Rule::EmptyCall, n)));
        assert_eq!(all.into_parts().0.len(), 5);
    }
}
