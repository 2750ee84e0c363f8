//! Comparing two texts the way a reader would: the same name saved on another machine is the
//! same name, and where two texts do differ in a way the eye cannot see, the message says how
//! and shows the characters that differ.

use std::borrow::Cow;

use super::personal::Personal;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// How two texts that are not byte for byte equal differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Difference {
    /// Canonically equivalent (Unicode NFC): the same text, written with other code points,
    /// as macOS writes `é` as `e` and a combining accent.
    Equivalent,
    /// Only in characters that show as nothing or as a plain space: a no-break space, a
    /// zero-width space, a soft hyphen.
    Invisible,
    /// Only in spaces at the start or the end.
    OuterSpaces,
    /// Only in runs of spaces inside (a doubled space).
    InnerSpaces,
    /// Only in letter case.
    LetterCase,
    /// In what a reader sees.
    Visible,
}

impl Difference {
    /// Of `a` and `b`, which are not byte for byte equal.
    pub fn of(a: &str, b: &str) -> Difference {
        let (a, b) = (nfc(a), nfc(b));
        if a == b {
            return Difference::Equivalent;
        }
        let (seen_a, seen_b) = (as_seen(&a), as_seen(&b));
        if seen_a == seen_b {
            return Difference::Invisible;
        }
        if seen_a.trim() == seen_b.trim() {
            return Difference::OuterSpaces;
        }
        if collapsed(&seen_a) == collapsed(&seen_b) {
            return Difference::InnerSpaces;
        }
        if seen_a.to_lowercase() == seen_b.to_lowercase() {
            return Difference::LetterCase;
        }
        Difference::Visible
    }

    /// What a message adds to say how two texts differ: `: they differ only in letter case`;
    /// nothing when the difference is plain to see.
    pub fn explained(self) -> &'static str {
        match self {
            Difference::Equivalent => ": they are the same text, written with other code points",
            Difference::Invisible => {
                ": they differ only in characters that look like a space or show as nothing (escaped here)"
            }
            Difference::OuterSpaces => ": they differ only in spaces at the start or end",
            Difference::InnerSpaces => ": they differ only in spaces between words",
            Difference::LetterCase => ": they differ only in letter case",
            Difference::Visible => "",
        }
    }

    /// Whether the two would look the same on screen, so that each must be shown with its
    /// hidden characters escaped.
    pub fn hides(self) -> bool {
        matches!(self, Difference::Invisible | Difference::Equivalent)
    }
}

/// Whether two texts are the same text: equal, or canonically equivalent. Cheap when they are
/// byte for byte equal, as nearly every pair compared is.
pub fn same_text(a: &str, b: &str) -> bool {
    a == b || (!(a.is_ascii() && b.is_ascii()) && nfc(a) == nfc(b))
}

/// `text` quoted as [`super::quote`] does, and, when `reveal`, with every character that
/// shows as nothing or as a plain space escaped too (`\u{a0}`), so that two texts that look
/// alike are seen to differ.
pub fn quote_revealing(text: &str, reveal: bool) -> String {
    super::quote_escaping(text, |c| reveal && hidden(c))
}

/// For two values of a person's `kind` found to be the same (an email in another case): how
/// the first was written, and how the two differ, when they are not written alike.
pub fn as_written(kind: Personal, value: &str, first: &str) -> String {
    if value == first {
        return String::new();
    }
    let difference = Difference::of(value, first);
    format!(
        " (written {}){}",
        super::personal::marked(kind, first, difference.hides()),
        difference.explained()
    )
}

fn nfc(text: &str) -> Cow<'_, str> {
    if is_nfc_quick(text.chars()) == IsNormalized::Yes {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.nfc().collect())
    }
}

/// Characters a reader cannot tell from a space, or cannot see at all.
fn hidden(c: char) -> bool {
    matches!(
        c,
        '\u{a0}'
            | '\u{ad}'
            | '\u{2000}'..='\u{200f}'
            | '\u{2028}'..='\u{202f}'
            | '\u{205f}'..='\u{2064}'
            | '\u{3000}'
            | '\u{feff}'
    ) || (c.is_whitespace() && c != ' ')
}

/// The text as a reader sees it: spaces that are not plain spaces become plain spaces, and
/// what shows as nothing goes.
fn as_seen(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            c if c.is_whitespace() => Some(' '),
            '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{2064}' | '\u{feff}' => None,
            c => Some(c),
        })
        .collect()
}

fn collapsed(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonically_equivalent_names_are_the_same() {
        let composed = "Jos\u{e9}";
        let decomposed = "Jose\u{301}";
        assert!(same_text(composed, decomposed));
        assert!(same_text(decomposed, composed));
        assert!(same_text("Ana", "Ana"));
        assert!(!same_text("Ana", "Ann"));
        // Compatibility forms are other text: a ligature is not its letters.
        assert!(!same_text("\u{fb01}n", "fin"));
        assert_eq!(Difference::of(composed, decomposed), Difference::Equivalent);
    }

    #[test]
    fn differences_a_reader_cannot_see_are_named() {
        assert_eq!(
            Difference::of("Ana L\u{f3}pez", "Ana\u{a0}L\u{f3}pez"),
            Difference::Invisible
        );
        assert_eq!(Difference::of("Ana", "An\u{200b}a"), Difference::Invisible);
        assert_eq!(Difference::of("Ana ", "Ana"), Difference::OuterSpaces);
        assert_eq!(
            Difference::of("Ana  L\u{f3}pez", "Ana L\u{f3}pez"),
            Difference::InnerSpaces
        );
        assert_eq!(
            Difference::of("ana l\u{f3}pez", "Ana L\u{d3}pez"),
            Difference::LetterCase
        );
        assert_eq!(Difference::of("Ana", "Bram"), Difference::Visible);
        assert_eq!(Difference::of("Ana", "Bram").explained(), "");
    }

    #[test]
    fn hidden_characters_are_escaped_only_when_asked() {
        assert_eq!(quote_revealing("Ana\u{a0}B", true), r#""Ana\u{a0}B""#);
        assert_eq!(quote_revealing("Ana\u{a0}B", false), "\"Ana\u{a0}B\"");
        assert_eq!(quote_revealing("A\u{200b}\"", true), r#""A\u{200b}\"""#);
        // What the report writes as a backslash stays escaped as one.
        assert_eq!(
            quote_revealing("a\\u{a0}\u{a0}", true),
            r#""a\\u{a0}\u{a0}""#
        );
    }
}
