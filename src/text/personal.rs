//! A person's name or email, as a finding words it: marked where the message is made, so that
//! `--redact` can put a short stable hash in its place once the finding is final.
//!
//! The diags functions know what they quote (a member's name, a participant's email, a CSV
//! cell of the Name column); a rendered message does not. So each such text is written into
//! the message inside a mark that carries both its quoted form and the text itself, and
//! [`resolve`] keeps one of the two: the quoted text, or `[email 1a2b3c4d]`. Every finding
//! passes through [`resolve`] before it leaves the check, so no mark reaches an output.
//!
//! A mark is [`MARK`], a kind letter, then the quoted form and the text, each as its length
//! in bytes, `:` and the bytes: lengths rather than a closing character, so that whatever the
//! text holds cannot end the mark early. [`MARK`] is a private-use character that
//! [`super::quote`] and [`super::escape`] always escape, so a report cannot forge one.

use std::fmt::Write;

use sha2::{Digest, Sha256};
use unicode_normalization::UnicodeNormalization;

use super::quote_revealing;

/// Starts a mark (a private-use character: no report text puts one in a message raw).
pub const MARK: char = '\u{e000}';

/// What a marked text is, which decides how it is hashed and named when redacted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Personal {
    /// A person's name, hashed in Unicode normal form C: two names a comparison finds the
    /// same have the same hash.
    Name,
    /// An email address, hashed in lower case: addresses are compared without regard to case.
    Email,
    /// Text that may be either, such as a header cell of a user report with no header (its
    /// first row of data), hashed as it is written.
    Text,
}

impl Personal {
    fn letter(self) -> char {
        match self {
            Personal::Name => 'n',
            Personal::Email => 'e',
            Personal::Text => 't',
        }
    }

    fn from_letter(letter: u8) -> Option<Personal> {
        match letter {
            b'n' => Some(Personal::Name),
            b'e' => Some(Personal::Email),
            b't' => Some(Personal::Text),
            _ => None,
        }
    }

    fn word(self) -> &'static str {
        match self {
            Personal::Name => "name",
            Personal::Email => "email",
            Personal::Text => "text",
        }
    }

    /// The kind of what a user report's column (or a usage report's field) holds, if it is
    /// personal.
    pub fn of_field(field: &str) -> Option<Personal> {
        match field {
            "Name" | "name" => Some(Personal::Name),
            "Email" | "email" => Some(Personal::Email),
            _ => None,
        }
    }

    /// `[email 1a2b3c4d]`: the first 8 hex digits of the SHA-256 of the text (lower-cased for
    /// an email, NFC for a name).
    pub fn redacted(self, text: &str) -> String {
        let digest = match self {
            Personal::Name => Sha256::digest(text.nfc().collect::<String>()),
            Personal::Email => Sha256::digest(text.to_lowercase()),
            Personal::Text => Sha256::digest(text),
        };
        let mut out = format!("[{} ", self.word());
        for byte in &digest[..4] {
            let _ = write!(out, "{byte:02x}");
        }
        out.push(']');
        out
    }
}

/// `text`, a person's `kind` of text, quoted as [`super::quote`] does (with hidden characters
/// escaped when `reveal`), inside a mark.
pub fn marked(kind: Personal, text: &str, reveal: bool) -> String {
    let shown = quote_revealing(text, reveal);
    let mut out = String::with_capacity(shown.len() + text.len() + 12);
    out.push(MARK);
    out.push(kind.letter());
    let _ = write!(out, "{}:{shown}{}:{text}", shown.len(), text.len());
    out
}

/// A person's name, quoted and marked.
pub fn name(text: &str) -> String {
    marked(Personal::Name, text, false)
}

/// An email address, quoted and marked.
pub fn email(text: &str) -> String {
    marked(Personal::Email, text, false)
}

/// A user report's cell, or a usage report's string, quoted: marked when `field` holds a
/// person's name or email.
pub fn value(field: &str, text: &str) -> String {
    match Personal::of_field(field) {
        Some(kind) => marked(kind, text, false),
        None => super::quote(text),
    }
}

/// Two texts of `field` (a name or an email) found to differ, quoted as
/// [`super::quote_revealing`] does and marked.
pub fn revealing(field: &str, text: &str, reveal: bool) -> String {
    match Personal::of_field(field) {
        Some(kind) => marked(kind, text, reveal),
        None => quote_revealing(text, reveal),
    }
}

/// A string of a usage report at `field`, the property path below a member, call or
/// participant (`None`: the string stands where the whole of one should), quoted: marked as
/// a name or an email by its field, and as text that may be either unless the field is one of
/// the schema's other properties, which hold ids, times and numbers.
pub fn json_string(field: Option<&str>, text: &str) -> String {
    const IMPERSONAL: [&str; 8] = [
        "user_id",
        "last_sign_in",
        "created_at",
        "last_call_at",
        "call_id",
        "duration_minutes",
        "started_at",
        "ended_at",
    ];
    match field {
        Some(field) if IMPERSONAL.contains(&field) => super::quote(text),
        Some(field) => marked(
            Personal::of_field(field).unwrap_or(Personal::Text),
            text,
            false,
        ),
        None => marked(Personal::Text, text, false),
    }
}

/// `message` with each mark replaced by its quoted text, or by its hash when `redact`. Text
/// that only looks like the start of a mark is left as it is.
pub fn resolve(message: &mut String, redact: bool) {
    if !message.contains(MARK) {
        return;
    }
    let mut out = String::with_capacity(message.len());
    let mut rest = message.as_str();
    while let Some(at) = rest.find(MARK) {
        out.push_str(&rest[..at]);
        let after = &rest[at + MARK.len_utf8()..];
        match parse(after) {
            Some(mark) => {
                if redact {
                    out.push_str(&mark.kind.redacted(mark.text));
                } else {
                    out.push_str(mark.shown);
                }
                rest = &after[mark.length..];
            }
            None => {
                out.push(MARK);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    *message = out;
}

struct Mark<'a> {
    kind: Personal,
    shown: &'a str,
    text: &'a str,
    /// Bytes after [`MARK`] the mark takes.
    length: usize,
}

fn parse(after: &str) -> Option<Mark<'_>> {
    let kind = Personal::from_letter(*after.as_bytes().first()?)?;
    let (shown, at) = counted(after, 1)?;
    let (text, length) = counted(after, at)?;
    Some(Mark {
        kind,
        shown,
        text,
        length,
    })
}

/// The `length:bytes` field at `at` in `s`, and where it ends.
fn counted(s: &str, at: usize) -> Option<(&str, usize)> {
    let digits = s.get(at..)?.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let length: usize = s.get(at..at + digits)?.parse().ok()?;
    let colon = at + digits;
    if s.as_bytes().get(colon) != Some(&b':') {
        return None;
    }
    let start = colon + 1;
    let end = start.checked_add(length)?;
    Some((s.get(start..end)?, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mark_resolves_to_the_quoted_text_or_to_its_hash() {
        let mut message = format!("row 3 ({}) is {}", email("Ana@Example.com"), name("Ana"));
        let mut redacted = message.clone();
        resolve(&mut message, false);
        assert_eq!(message, r#"row 3 ("Ana@Example.com") is "Ana""#);
        resolve(&mut redacted, true);
        // printf %s ana@example.com | sha256sum; printf %s Ana | sha256sum
        assert_eq!(redacted, "row 3 ([email 8e43ca37]) is [name dea210f0]");
    }

    #[test]
    fn an_email_hashes_in_lower_case_and_a_name_in_normal_form_c() {
        assert_eq!(
            Personal::Email.redacted("ANA@example.COM"),
            Personal::Email.redacted("ana@example.com")
        );
        assert_eq!(
            Personal::Name.redacted("Zoe\u{308}"),
            Personal::Name.redacted("Zo\u{eb}")
        );
        assert_ne!(
            Personal::Name.redacted("Ana"),
            Personal::Name.redacted("ana")
        );
    }

    /// Whatever the text holds (quotes, a mark of its own, digits and colons), the mark ends
    /// where its lengths say, and the text after it is kept.
    #[test]
    fn a_text_cannot_end_its_mark_early_or_forge_another() {
        let tricky = format!("a{MARK}e3:\"x\"1:x:\"\\ 12:");
        let mut message = format!("{} then {}.", name(&tricky), email("b@c.d"));
        let mut redacted = message.clone();
        resolve(&mut message, false);
        assert_eq!(
            message,
            format!("{} then \"b@c.d\".", crate::text::quote(&tricky))
        );
        assert!(message.contains("\\u{e000}"), "{message}");
        resolve(&mut redacted, true);
        assert!(!redacted.contains(MARK), "{redacted}");
        assert!(redacted.ends_with(" then [email 67c6c9aa]."), "{redacted}");
    }

    #[test]
    fn a_stray_mark_character_is_left_alone() {
        for stray in [
            format!("{MARK}"),
            format!("x{MARK}"),
            format!("{MARK}n"),
            format!("{MARK}n5:ab"),
            format!("{MARK}n2x\"\""),
            format!("{MARK}q3:\"a\"1:a"),
            format!("{MARK}n99999999999999999999999:"),
        ] {
            for redact in [false, true] {
                let mut message = stray.clone();
                resolve(&mut message, redact);
                assert_eq!(message, stray);
            }
        }
    }

    #[test]
    fn a_cell_is_marked_by_its_column() {
        let mut role = value("Role", "Admin");
        let mut cell = value("Name", "Ana");
        resolve(&mut role, true);
        resolve(&mut cell, true);
        assert_eq!(role, "\"Admin\"");
        assert!(cell.starts_with("[name "), "{cell}");
    }
}
