//! Whether a file is text that can be checked: UTF-8, or else the finding that says why not.

use std::borrow::Cow;

use crate::diagnostic::{Anchor, Diagnostic};
use crate::read::{encoding_of, Encoding, Input};
use crate::registry::Rule;

/// An input's text, or the finding that it has none.
pub(super) enum Decoded<'a> {
    Text {
        text: &'a str,
        bom: bool,
    },
    /// `shown` is what can be shown of the file in a code frame.
    Unreadable {
        finding: Box<Diagnostic>,
        shown: Cow<'a, str>,
    },
}

/// Decodes `input`, reporting a file that is not UTF-8 under `rule`.
pub(super) fn decode(input: &Input, rule: Rule) -> Decoded<'_> {
    let file = input.path.as_str();
    match encoding_of(input) {
        Encoding::Utf8 { text, bom } => Decoded::Text { text, bom },
        Encoding::Utf16 { big_endian, bom } => Decoded::Unreadable {
            finding: Box::new(utf16(rule, file, big_endian, bom)),
            shown: Cow::Borrowed(""),
        },
        Encoding::Invalid { offset, bom } => {
            let (finding, shown) = not_utf8(rule, file, &input.bytes, offset, bom);
            Decoded::Unreadable {
                finding: Box::new(finding),
                shown: Cow::Owned(shown),
            }
        }
    }
}

/// A user report's text: UTF-8 as it is, or else decoded as what it appears to be, UTF-16 or
/// Windows-1252 (of which Latin-1's printable characters are a part), with the `csv-encoding`
/// finding that says so. Spreadsheets save CSV files in both, and their rows are worth
/// checking all the same.
pub(super) fn decode_user_report(input: &Input) -> (Cow<'_, str>, Option<Diagnostic>) {
    let file = input.path.as_str();
    let bytes: &[u8] = &input.bytes;
    match encoding_of(input) {
        Encoding::Utf8 { text, .. } => (Cow::Borrowed(text), None),
        Encoding::Utf16 { big_endian, bom } => {
            let body = &bytes[if bom { 2 } else { 0 }..];
            let encoding = if big_endian {
                encoding_rs::UTF_16BE
            } else {
                encoding_rs::UTF_16LE
            };
            let (text, _) = encoding.decode_without_bom_handling(body);
            let finding = utf16(Rule::CsvEncoding, file, big_endian, bom);
            let finding = finding.with_help("its rows were read as UTF-16 and are checked below; save or convert the file as UTF-8, for example with `iconv -f UTF-16 -t UTF-8`");
            (text, Some(finding))
        }
        Encoding::Invalid { offset, bom } => {
            let body = &bytes[if bom { 3 } else { 0 }..];
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(body);
            // The place of the first byte that is not UTF-8, in the decoded text.
            let (prefix, _) =
                encoding_rs::WINDOWS_1252.decode_without_bom_handling(&body[..offset]);
            let byte = body.get(offset).copied().unwrap_or_default();
            let finding = Diagnostic::new(
                Rule::CsvEncoding,
                file,
                Anchor::Offset(prefix.len()),
                format!("the file is not UTF-8: byte 0x{byte:02X} is not valid UTF-8 here; it reads as Windows-1252 (Latin-1), as an older Windows program saves text"),
            )
            .with_help("its rows were read as Windows-1252 and are checked below; save the file as UTF-8 (\"CSV UTF-8\" in Excel), or download it again");
            (text, Some(finding))
        }
    }
}

/// The finding for a file that is not UTF-8 at `offset`, and the text to show it in.
fn not_utf8(
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

fn utf16(rule: Rule, file: &str, big_endian: bool, bom: bool) -> Diagnostic {
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
