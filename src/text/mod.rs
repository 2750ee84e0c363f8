//! Text from a report is data. Everything a report says (names, emails, keys) reaches a
//! message through [`quote`] or [`escape`], so that no control character or escape sequence
//! from a file can act on a terminal or a log.

mod compare;
pub mod personal;

/// How a finding says that a file ends where no complete report would: the verdict of a pair
/// looks for it.
pub const CUT_OFF: &str = "the download was probably cut off";

pub use compare::{as_written, quote_revealing, same_text, Difference};

use std::borrow::Cow;
use std::fmt::Write;

/// True for characters that must never be shown raw: C0 and C1 controls, DEL, and the
/// bidirectional overrides and isolates that can reorder what a reader sees.
pub fn must_be_escaped(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}')
        // The mark that starts a person's name or email in a message (`personal`).
        || c == personal::MARK
}

/// `s` with every unsafe character written as an escape (`\n`, `\t`, `\u{1b}`).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        push_escaped(&mut out, c);
    }
    out
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if must_be_escaped(c) => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
        c => out.push(c),
    }
}

/// `s` in double quotes, escaped as [`escape`] does, and with `"` and `\` escaped so the
/// quotes cannot be closed early. Long values are shortened in the middle.
pub fn quote(s: &str) -> String {
    quote_escaping(s, |_| false)
}

/// [`quote`], with the characters `also` picks escaped too.
fn quote_escaping(s: &str, also: impl Fn(char) -> bool) -> String {
    const MAX_CHARS: usize = 80;
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let count = s.chars().count();
    for (i, c) in s.chars().enumerate() {
        if count > MAX_CHARS && i == MAX_CHARS / 2 {
            let _ = write!(out, "…({} characters)…", count - MAX_CHARS);
        }
        if count > MAX_CHARS && i >= MAX_CHARS / 2 && i < count - MAX_CHARS / 2 {
            continue;
        }
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if also(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => push_escaped(&mut out, c),
        }
    }
    out.push('"');
    out
}

/// One JSON Pointer token, escaped per RFC 6901 (borrowed when nothing needs escaping, as
/// for every key the schema declares).
pub fn pointer_token(token: &str) -> Cow<'_, str> {
    if token.contains(['~', '/']) {
        Cow::Owned(token.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(token)
    }
}

/// The tokens of a JSON Pointer, unescaped.
pub fn pointer_tokens(pointer: &str) -> Vec<String> {
    if pointer.is_empty() {
        return Vec::new();
    }
    pointer
        .strip_prefix('/')
        .unwrap_or(pointer)
        .split('/')
        .map(|t| {
            if t.contains('~') {
                t.replace("~1", "/").replace("~0", "~")
            } else {
                t.to_owned()
            }
        })
        .collect()
}

/// Levenshtein distance in characters, for "did you mean" suggestions.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if ca == *cb {
                diagonal
            } else {
                1 + diagonal.min(above).min(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}

/// "4th", "21st", "112th".
pub fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// "1 error", "2 warnings".
pub fn plural(count: usize, singular: &str, plural: &str) -> String {
    format!("{count} {}", if count == 1 { singular } else { plural })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_escapes_controls_quotes_and_bidi() {
        assert_eq!(
            quote("Mallory\u{1b}[2J\n::error::owned"),
            r#""Mallory\u{1b}[2J\n::error::owned""#
        );
        assert_eq!(quote("say \"hi\" \\"), r#""say \"hi\" \\""#);
        assert_eq!(quote("abc\u{202e}def"), r#""abc\u{202e}def""#);
        assert_eq!(quote("Zoë"), "\"Zoë\"");
    }

    #[test]
    fn quote_shortens_long_values() {
        let long = "x".repeat(1000);
        let quoted = quote(&long);
        assert!(quoted.chars().count() < 120, "{quoted}");
        assert!(quoted.contains("(920 characters)"));
    }

    #[test]
    fn pointer_tokens_round_trip() {
        let tokens = ["a/b", "c~d", ""];
        let pointer: String = tokens
            .iter()
            .map(|t| format!("/{}", pointer_token(t)))
            .collect();
        assert_eq!(pointer, "/a~1b/c~0d/");
        assert_eq!(pointer_tokens(&pointer), tokens);
        assert!(pointer_tokens("").is_empty());
    }

    /// Regression: a key repeated 21 times was written "for the 21th time".
    #[test]
    fn ordinals_have_their_suffixes() {
        let written: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111, 112]
            .into_iter()
            .map(ordinal)
            .collect();
        assert_eq!(
            written,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd",
                "101st", "111th", "112th"
            ]
        );
    }

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(edit_distance("last_call", "last_call_at"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
    }
}
