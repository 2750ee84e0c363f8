//! Checking a JSON usage report.

use std::borrow::Cow;

use serde_json::Value;

use super::{FileKind, FileReport, Options, Source};
use crate::diagnostic::{Anchor, Diagnostic};
use crate::parse::{parse_usage_report, UsageSink};
use crate::read::{encoding, Encoding, Input};
use crate::registry::Rule;
use crate::rules::{AsOf, MemberFacts, ReportRules, Stats};
use crate::schema::{usage_schema, Scope, UsageSchema};
use crate::text::{pointer_tokens, quote};
use crate::{describe, locate};

/// What a usage report's check leaves for the cross-check and the locating.
pub(super) struct UsageChecked<'a> {
    pub report: FileReport,
    pub source: Source<'a>,
    pub members: Option<Vec<MemberFacts>>,
}

pub(super) fn check<'a>(input: &'a Input, options: &Options) -> UsageChecked<'a> {
    let file = input.path.as_str();
    let mut diagnostics = Vec::new();
    let (text, checked) = match encoding(&input.bytes) {
        Encoding::Utf16 { big_endian, bom } => {
            diagnostics.push(utf16(Rule::JsonEncoding, file, big_endian, bom));
            (Cow::Borrowed(""), None)
        }
        Encoding::Invalid { offset, bom } => {
            let (diagnostic, text) = not_utf8(Rule::JsonEncoding, file, &input.bytes, offset, bom);
            diagnostics.push(diagnostic);
            (Cow::Owned(text), None)
        }
        Encoding::Utf8 { text, bom } => {
            if bom {
                diagnostics.push(
                    Diagnostic::new(Rule::JsonBom, file, Anchor::Offset(0), "the file starts with a UTF-8 byte order mark")
                        .with_help("RFC 8259 forbids producers to write one, and many parsers reject it; the rest of the file was checked"),
                );
            }
            let checked = check_json(file, text, options, &mut diagnostics);
            (Cow::Borrowed(text), checked)
        }
    };
    let (stats, members) = match checked {
        Some((stats, members)) => (Some(stats), Some(members)),
        None => (None, None),
    };
    UsageChecked {
        report: FileReport {
            path: file.to_owned(),
            kind: FileKind::UsageReport,
            stats,
            rows: None,
            diagnostics,
        },
        source: Source {
            lone_cr_ends_lines: false,
            text,
        },
        members,
    }
}

/// The finding for a file that is not UTF-8 at `offset`, and the text to show it in.
pub(super) fn not_utf8(
    rule: Rule,
    file: &str,
    bytes: &[u8],
    offset: usize,
    bom: bool,
) -> (Diagnostic, String) {
    let body = &bytes[if bom { 3 } else { 0 }..];
    let byte = body.get(offset).copied().unwrap_or_default();
    let diagnostic = Diagnostic::new(
        rule,
        file,
        Anchor::Offset(offset),
        format!("the file is not UTF-8: byte 0x{byte:02X} is not valid UTF-8 here (Latin-1 or Windows-1252 text looks like this)"),
    )
    .with_help("the reports are UTF-8; re-export the file, or convert it from its actual encoding");
    // Up to `offset` the text is valid, so offsets agree with the lossy decoding, which lets
    // the frame show the line with a stand-in for the bad byte.
    (diagnostic, String::from_utf8_lossy(body).into_owned())
}

pub(super) fn utf16(rule: Rule, file: &str, big_endian: bool, bom: bool) -> Diagnostic {
    let order = if big_endian {
        "big-endian"
    } else {
        "little-endian"
    };
    let mark = if bom { "with" } else { "without" };
    Diagnostic::new(
        rule,
        file,
        Anchor::Offset(0),
        format!(
            "the file is UTF-16 ({order}, {mark} a byte order mark), but the reports are UTF-8"
        ),
    )
    .with_help("save or convert the file as UTF-8, for example with `iconv -f UTF-16 -t UTF-8`")
}

/// Parses and checks UTF-8 text; `None` when it is not JSON.
fn check_json(
    file: &str,
    text: &str,
    options: &Options,
    out: &mut Vec<Diagnostic>,
) -> Option<(Stats, Vec<MemberFacts>)> {
    let schema = usage_schema();
    let mut sink = Checking {
        schema,
        rules: ReportRules::new(
            file,
            AsOf {
                given: options.as_of,
                now: options.now,
            },
        ),
        file,
        out: Vec::new(),
    };
    let parsed = match parse_usage_report(text, &mut sink) {
        Ok(parsed) => parsed,
        Err(error) => {
            // What the sink found before the error belongs to a document that does not exist.
            out.push(syntax_error(file, text, &error));
            return None;
        }
    };
    let members = parsed.skeleton.get("team_members");
    for repeated in &parsed.repeated_keys {
        out.push(repeated_key(
            file,
            &repeated.pointer,
            repeated.occurrence,
            members,
        ));
    }
    let scope = Scope { file, members };
    schema.check_top_level(&parsed.skeleton, &scope, out);
    out.append(&mut sink.out);
    let finished = sink.rules.finish();
    out.extend(finished.diagnostics);
    Some((finished.stats, finished.members))
}

/// Feeds each call, as it is parsed, to the schema and the report rules.
struct Checking<'a> {
    schema: &'static UsageSchema,
    rules: ReportRules<'a>,
    file: &'a str,
    out: Vec<Diagnostic>,
}

impl UsageSink for Checking<'_> {
    fn team_members(&mut self, members: Option<&Value>) {
        self.rules.team_members(members);
    }

    fn call(&mut self, index: usize, call: Value) {
        let scope = Scope {
            file: self.file,
            members: None,
        };
        self.schema.check_call(index, &call, &scope, &mut self.out);
        self.rules.call(index, &call);
    }
}

fn syntax_error(file: &str, text: &str, error: &serde_json::Error) -> Diagnostic {
    // serde_json points at the byte it could not take; when the text ended early, the place
    // to show is the end.
    let offset = if error.is_eof() {
        text.len()
    } else {
        locate::LineIndex::new(text).offset_of_byte_column(text, error.line(), error.column())
    };
    let message = if text.trim().is_empty() {
        if text.is_empty() {
            "the file is empty".to_owned()
        } else {
            "the file holds only whitespace".to_owned()
        }
    } else {
        // serde_json ends its message with the position, which the diagnostic carries anyway.
        let full = error.to_string();
        let suffix = format!(" at line {} column {}", error.line(), error.column());
        let message = full.strip_suffix(&suffix).unwrap_or(&full);
        if message == "recursion limit exceeded" {
            "the JSON nests deeper than 128 levels, the parser's limit".to_owned()
        } else {
            message.to_owned()
        }
    };
    let help = if message.contains("128 levels") {
        "the report nests deeper than 128 levels, which no usage report does; the file is not a usage report"
    } else {
        "the file is not well-formed JSON: re-download it, or check whatever wrote or edited it"
    };
    Diagnostic::new(Rule::JsonSyntax, file, Anchor::Offset(offset), message).with_help(help)
}

fn repeated_key(
    file: &str,
    pointer: &str,
    occurrence: usize,
    members: Option<&Value>,
) -> Diagnostic {
    let tokens = pointer_tokens(pointer);
    let (key, parent) = match tokens.split_last() {
        Some((key, parent)) => (key.as_str(), parent),
        None => ("", &[][..]),
    };
    let (owner, field) = describe::place(parent, members, None);
    let place = match field {
        Some(field) => format!("{} of {owner}", quote(&field)),
        None => owner,
    };
    let times = match occurrence {
        1 => "a second time".to_owned(),
        2 => "a third time".to_owned(),
        n => format!("for the {}th time", n + 1),
    };
    Diagnostic::new(
        Rule::JsonDuplicateKey,
        file,
        Anchor::RepeatedKey {
            pointer: pointer.to_owned(),
            occurrence,
        },
        format!("{} appears {times} in {place}", quote(key)),
    )
    .with_related(
        Anchor::RepeatedKey {
            pointer: pointer.to_owned(),
            occurrence: 0,
        },
        "first written here",
    )
    .with_help("parsers keep one of the values and silently drop the other, and which one differs between them; remove the extra key")
}
