//! The findings of reading a file (encoding, syntax, repeated keys) and of pairing files,
//! worded in one place.

use serde_json::Value;

use crate::describe;
use crate::diagnostic::{Anchor, Diagnostic};
use crate::locate;
use crate::read::FileKind;
use crate::registry::Rule;
use crate::text::{escape, pointer_tokens, quote};

/// A report that no partner was found for.
pub fn checked_alone(file: &str, kind: FileKind) -> Diagnostic {
    let other = match kind {
        FileKind::UsageReport => "user report (CSV)",
        FileKind::UserReport => "usage report (JSON)",
    };
    Diagnostic::new(
        Rule::UnpairedReport,
        file,
        Anchor::File,
        format!(
            "{} was checked alone: no {other} was found to cross-check it with",
            escape(file)
        ),
    )
    .with_help(
        "give both downloads of a team, in a folder of their own or with --pair usage.json=users.csv; --deny unpaired-report makes a lone report fail the check",
    )
}

/// A report whose partner could not be read, or not parsed; `why` says which and is
/// already escaped.
pub fn not_compared(file: &str, why: &str) -> Diagnostic {
    Diagnostic::new(
        Rule::UnpairedReport,
        file,
        Anchor::File,
        format!("{} was not cross-checked: {why}", escape(file)),
    )
    .with_help(
        "the cross-check needs both files; fix or download again the one that could not be read",
    )
}

pub(super) fn bom(file: &str) -> Diagnostic {
    Diagnostic::new(Rule::JsonBom, file, Anchor::Offset(0), "the file starts with a UTF-8 byte order mark")
        .with_help("RFC 8259 forbids producers to write one, and many parsers reject it; the rest of the file was checked")
}

/// The syntax error serde_json found in `text`, which starts at `start` in the file.
pub(super) fn syntax_error(
    file: &str,
    text: &str,
    start: usize,
    error: &serde_json::Error,
) -> Diagnostic {
    // serde_json points at the byte it could not take; when the text ended early, the place
    // to show is the end.
    let offset = start
        + if error.is_eof() {
            text.len()
        } else {
            locate::offset_of_byte_column(text, error.line(), error.column())
        };
    let (message, help) = if text.trim().is_empty() {
        let message = if text.is_empty() {
            "the file is empty"
        } else {
            "the file holds only whitespace"
        };
        (
            message.to_owned(),
            "a usage report is a JSON object with team_members and calls; download it again"
                .to_owned(),
        )
    } else {
        // serde_json ends its message with the position, which the diagnostic carries anyway.
        let full = error.to_string();
        let suffix = format!(" at line {} column {}", error.line(), error.column());
        let message = full.strip_suffix(&suffix).unwrap_or(&full);
        plain_words(message)
    };
    Diagnostic::new(Rule::JsonSyntax, file, Anchor::Offset(offset), message).with_help(help)
}

/// A syntax error as a team owner would say it, and what to do: serde_json's words name the
/// grammar ("EOF while parsing a string"), these say what happened to the file.
fn plain_words(serde_message: &str) -> (String, String) {
    const CUT_OFF: &str = "download the report again: a complete one ends with the } that closes what the first { opened";
    const EDITED: &str =
        "the file is not well-formed JSON: download it again, or check whatever wrote or edited it";
    let cut = |what: &str| {
        (
            format!(
                "the file ends in the middle of {what}: {}",
                crate::text::CUT_OFF
            ),
            CUT_OFF.to_owned(),
        )
    };
    let edited = |message: &str| (message.to_owned(), EDITED.to_owned());
    match serde_message {
        "EOF while parsing a string" => cut("a string"),
        "EOF while parsing a list" => cut("a list ([ … ])"),
        "EOF while parsing an object" => cut("an object ({ … })"),
        "EOF while parsing a value" => cut("a value"),
        "expected `:`" => edited("a colon (:) should follow this key"),
        "expected `,` or `]`" => edited("a comma, or the ] that ends the list, should come here"),
        "expected `,` or `}`" => edited("a comma, or the } that ends the object, should come here"),
        "expected ident" => edited("this word is not JSON: only true, false and null are written without quotes"),
        "expected value" => edited("a value should come here: a string in double quotes, a number, true, false, null, a list or an object"),
        "key must be a string" => edited("a key should come here, in double quotes"),
        "trailing comma" => edited("a comma just before the end of a list or object, where JSON allows none"),
        "trailing characters" => edited("there is more text after the end of the report: a second report, or something else, was added to the file"),
        "invalid escape" => edited("this backslash starts no escape JSON knows (\\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\u and four hex digits)"),
        "invalid number" => edited("this is not a number as JSON writes them (digits, an optional fraction and exponent, no leading zeros)"),
        "number out of range" => edited("this number is too large for a program to read"),
        "control character (\\u0000-\\u001F) found while parsing a string" => edited("a raw control character (a line break or a tab, for instance) inside a string, where JSON writes them escaped (\\n, \\t)"),
        "invalid unicode code point" | "lone leading surrogate in hex escape" | "unexpected end of hex escape" => edited("this \\u escape is not a whole character"),
        "recursion limit exceeded" => (
            "the JSON nests deeper than 128 levels, the parser's limit".to_owned(),
            "the report nests deeper than 128 levels, which no usage report does; the file is not a usage report".to_owned(),
        ),
        other => edited(&format!("the file is not well-formed JSON here ({other})")),
    }
}

pub(super) fn repeated_key(
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
        n => format!("for the {} time", crate::text::ordinal(n + 1)),
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

/// A file that is not UTF-8 at `offset`, reported under `rule`.
pub(super) fn not_utf8_text(rule: Rule, file: &str, byte: u8, offset: usize) -> Diagnostic {
    Diagnostic::new(
        rule,
        file,
        Anchor::Offset(offset),
        format!("the file is not UTF-8: byte 0x{byte:02X} is not valid UTF-8 here (Latin-1 or Windows-1252 text looks like this)"),
    )
    .with_help("the reports are UTF-8; re-export the file, or convert it from its actual encoding")
}

/// A user report read as Windows-1252: its first byte that is not UTF-8, at `at` in the
/// decoded text.
pub(super) fn windows_1252(file: &str, byte: u8, at: usize) -> Diagnostic {
    Diagnostic::new(
        Rule::CsvEncoding,
        file,
        Anchor::Offset(at),
        format!("the file is not UTF-8: byte 0x{byte:02X} is not valid UTF-8 here; it reads as Windows-1252 (Latin-1), as an older Windows program saves text"),
    )
    .with_help("its rows were read as Windows-1252 and are checked below; save the file as UTF-8 (\"CSV UTF-8\" in Excel), or download it again")
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
        format!("the file is UTF-16 ({order}, {mark} a byte order mark), not UTF-8"),
    )
    .with_help("save or convert the file as UTF-8, for example with `iconv -f UTF-16 -t UTF-8`")
}

#[cfg(test)]
mod tests {
    use super::plain_words;

    /// Every syntax error serde_json gives on these inputs is worded for a team owner, none
    /// in the parser's own words.
    #[test]
    fn syntax_errors_are_in_plain_words() {
        for (text, expected) in [
            ("{\"a\": \"b", "ends in the middle of a string"),
            ("{\"a\": [1, 2", "ends in the middle of a list"),
            ("{\"a\": 1", "ends in the middle of an object"),
            ("{\"a\":", "ends in the middle of a value"),
            ("{\"a\" 1}", "a colon (:)"),
            ("[1 2]", "the ] that ends the list"),
            ("{\"a\": 1 \"b\": 2}", "the } that ends the object"),
            ("{\"a\": tru}", "only true, false and null"),
            ("{\"a\": }", "a value should come here"),
            ("{1: 2}", "a key should come here"),
            ("[1,]", "a comma just before the end"),
            ("{} {}", "more text after the end"),
            ("\"\\q\"", "starts no escape"),
            ("[01]", "not a number"),
            ("[-]", "not a number"),
            ("[1e400]", "too large"),
            ("\"a\nb\"", "a raw control character"),
            ("\"\\ud800\"", "not a whole character"),
            ("\"\\u12x\"", "starts no escape"),
        ] {
            let error = serde_json::from_str::<serde_json::Value>(text).unwrap_err();
            let full = error.to_string();
            let suffix = format!(" at line {} column {}", error.line(), error.column());
            let (message, help) = plain_words(full.strip_suffix(&suffix).unwrap_or(&full));
            assert!(message.contains(expected), "{text:?}: {message}");
            assert!(
                !message.contains("not well-formed JSON here"),
                "{text:?}: {message}"
            );
            assert!(!help.is_empty());
        }
    }
}
