//! Whether a file is text that can be checked: UTF-8, or else the finding that says why not.

use std::borrow::Cow;

use super::diags;
use crate::diagnostic::Diagnostic;
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
            finding: Box::new(diags::utf16(rule, file, big_endian, bom)),
            shown: Cow::Borrowed(""),
        },
        Encoding::Invalid { offset, bom } => {
            let body = &input.bytes[if bom { 3 } else { 0 }..];
            let byte = body.get(offset).copied().unwrap_or_default();
            // Up to `offset` the text is valid, so offsets agree with the lossy decoding,
            // which lets the frame show the line with a stand-in for the bad byte.
            Decoded::Unreadable {
                finding: Box::new(diags::not_utf8_text(rule, file, byte, offset)),
                shown: String::from_utf8_lossy(body),
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
            let finding = diags::utf16(Rule::CsvEncoding, file, big_endian, bom);
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
            let finding = diags::windows_1252(file, byte, prefix.len());
            (text, Some(finding))
        }
    }
}
