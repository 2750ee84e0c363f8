//! The `csv` crate is the oracle of the hand-written CSV reader (`parse::csv::read_records`):
//! every RFC 4180 file, generated with quoted and unquoted cells, commas, doubled quotes and
//! line breaks inside cells, non-ASCII text, LF, CRLF or CR record terminators, a byte order
//! mark or none, a final line break or none, and a comma, semicolon or tab as separator, reads
//! to the same records in both, with no problem reported. The spans the crate cannot give are
//! checked as well: each cell's span is the cell as written, quotes included, and records come
//! in file order.
//!
//! Where the two agree without being asked: both skip empty lines (the crate's `csv-core`
//! discards a terminator at the start of a record; ours skips a line with nothing on it, as
//! spreadsheets do), and both take CR, LF and CRLF each as one terminator (the crate's default
//! `Terminator::CRLF`). A line holding one empty quoted cell (`""`) is a record in both.
//!
//! Where they part, on files that are not RFC 4180 (so never generated): a quote that never
//! closes, and text after a closing quote. The crate reads both silently; ours reads the same
//! values but reports a [`CsvProblem`] for each (see `where_they_part` below).

mod common;

use proptest::prelude::*;
use tuple_report::internals::{encoding, Encoding};
use tuple_report::internals::{read_records, CsvProblem, Record};

fn config(cases: u32) -> ProptestConfig {
    common::proptest_config(cases, 0x6373_765f_6f72)
}

/// The text the program hands the reader: after the byte order mark, if there is one (as
/// `check::users` does, through `read::encoding`).
fn text_of(bytes: &[u8]) -> (&str, bool) {
    match encoding(bytes) {
        Encoding::Utf8 { text, bom } => (text, bom),
        other => panic!("generated files are UTF-8, not {other:?}"),
    }
}

/// The records as the `csv` crate reads them.
fn oracle(text: &str, separator: u8) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator)
        .terminator(csv::Terminator::CRLF)
        .from_reader(text.as_bytes())
        .records()
        .map(|record| {
            let record = record.expect("the csv crate reads every generated file");
            record.iter().map(str::to_owned).collect()
        })
        .collect()
}

/// A cell as written, quotes removed and `""` undone.
fn unquote(written: &str) -> String {
    match written.strip_prefix('"') {
        Some(inner) => {
            let inner = inner
                .strip_suffix('"')
                .unwrap_or_else(|| panic!("a quoted cell's span ends at its quote: {written:?}"));
            inner.replace("\"\"", "\"")
        }
        None => written.to_owned(),
    }
}

fn values(records: &[Record]) -> Vec<Vec<String>> {
    records
        .iter()
        .map(|r| r.cells.iter().map(|c| c.value.clone()).collect())
        .collect()
}

fn is_line_break(text: &str, at: usize) -> bool {
    matches!(text.as_bytes().get(at), Some(b'\r' | b'\n'))
}

/// Reads `text` with both readers and checks what holds for any RFC 4180 file: no problem,
/// the oracle's records, and spans that are the cells as written, in file order. Returns the
/// records read.
fn read_and_check(text: &str, separator: u8) -> Vec<Record> {
    let (records, problems) = read_records(text, separator);
    assert_eq!(problems, [], "problems in {text:?}");
    assert_eq!(
        values(&records),
        oracle(text, separator),
        "records of {text:?}"
    );
    let mut after_previous = 0;
    for record in &records {
        assert!(!record.cells.is_empty(), "an empty record in {text:?}");
        // Only line breaks (skipped empty lines included) stand between two records.
        assert!(
            after_previous <= record.start
                && text.as_bytes()[after_previous..record.start]
                    .iter()
                    .all(|b| matches!(b, b'\r' | b'\n')),
            "record at {}..{} of {text:?}",
            record.start,
            record.end
        );
        if record.start > 0 {
            assert!(
                is_line_break(text, record.start - 1),
                "record at {}",
                record.start
            );
        }
        assert_eq!(record.start, record.cells[0].start);
        assert_eq!(record.end, record.cells.last().unwrap().end);
        // A record ends before its line break, or at the end of the file.
        assert!(record.end == text.len() || is_line_break(text, record.end));
        let mut previous_end = None;
        for cell in &record.cells {
            assert!(cell.start <= cell.end && cell.end <= record.end);
            if let Some(previous_end) = previous_end {
                // One separator between two cells.
                assert_eq!(cell.start, previous_end + 1, "cells of {text:?}");
                assert_eq!(text.as_bytes()[previous_end], separator);
            }
            previous_end = Some(cell.end);
            let written = &text[cell.start..cell.end];
            assert_eq!(unquote(written), cell.value, "cell {written:?} of {text:?}");
        }
        after_previous = record.end;
    }
    assert!(
        text.as_bytes()[after_previous..]
            .iter()
            .all(|b| matches!(b, b'\r' | b'\n')),
        "text after the last record of {text:?}"
    );
    records
}

/// What cells are made of: plain and non-ASCII text, every separator, quotes alone and
/// doubled, and every line break.
const PIECES: &[&str] = &[
    "a", "x@y.io", "0", " ", "Zoë", "日本", "🙂", ",", ";", "\t", "\"", "\"\"", "\r", "\n", "\r\n",
];

#[derive(Clone, Debug)]
struct GeneratedCell {
    value: String,
    /// Quoted even when nothing in it asks for quotes.
    quoted: bool,
}

#[derive(Clone, Debug)]
struct GeneratedFile {
    rows: Vec<Vec<GeneratedCell>>,
    separator: u8,
    terminator: &'static str,
    bom: bool,
    final_break: bool,
}

/// A cell's value, its span in the text after the mark, and a record's span.
type Expected = Vec<(Vec<(String, usize, usize)>, usize, usize)>;

impl GeneratedFile {
    /// The file's bytes, and the records a reader must find with their spans (in the text
    /// after the byte order mark).
    fn write(&self) -> (Vec<u8>, Expected) {
        let mut text = String::new();
        let mut expected = Vec::new();
        for (i, row) in self.rows.iter().enumerate() {
            let mut cells = Vec::new();
            for (j, cell) in row.iter().enumerate() {
                if j > 0 {
                    text.push(self.separator as char);
                }
                let start = text.len();
                let must_quote = cell
                    .value
                    .bytes()
                    .any(|b| b == self.separator || matches!(b, b'"' | b'\r' | b'\n'));
                if cell.quoted || must_quote {
                    text.push('"');
                    text.push_str(&cell.value.replace('"', "\"\""));
                    text.push('"');
                } else {
                    text.push_str(&cell.value);
                }
                cells.push((cell.value.clone(), start, text.len()));
            }
            // A row of one empty unquoted cell is an empty line, which both readers skip.
            if text.len() > cells[0].1 {
                let (start, end) = (cells[0].1, text.len());
                expected.push((cells, start, end));
            }
            if i + 1 < self.rows.len() || self.final_break {
                text.push_str(self.terminator);
            }
        }
        let mut bytes = Vec::new();
        if self.bom {
            bytes.extend_from_slice("\u{feff}".as_bytes());
        }
        bytes.extend_from_slice(text.as_bytes());
        (bytes, expected)
    }
}

fn cell() -> impl Strategy<Value = GeneratedCell> {
    (
        prop::collection::vec(prop::sample::select(PIECES), 0..5),
        any::<bool>(),
    )
        .prop_map(|(pieces, quoted)| GeneratedCell {
            value: pieces.concat(),
            quoted,
        })
}

fn file() -> impl Strategy<Value = GeneratedFile> {
    (
        prop::collection::vec(prop::collection::vec(cell(), 1..5), 0..6),
        prop::sample::select(vec![b',', b',', b';', b'\t']),
        prop::sample::select(vec!["\n", "\r\n", "\r"]),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(rows, separator, terminator, bom, final_break)| GeneratedFile {
                rows,
                separator,
                terminator,
                bom,
                final_break,
            },
        )
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn every_rfc_4180_file_reads_as_the_csv_crate_reads_it(file in file()) {
        let (bytes, expected) = file.write();
        let (text, bom) = text_of(&bytes);
        prop_assert_eq!(bom, file.bom);
        let records = read_and_check(text, file.separator);
        // And as it was written: the same cells, at the very spans they were written at.
        let read: Expected = records
            .into_iter()
            .map(|r| {
                let cells = r.cells.into_iter().map(|c| (c.value, c.start, c.end)).collect();
                (cells, r.start, r.end)
            })
            .collect();
        prop_assert_eq!(read, expected);
    }
}

/// Reads a file given as bytes (byte order mark and all) with a comma as separator.
fn read(bytes: &[u8]) -> (String, Vec<Record>) {
    let (text, _) = text_of(bytes);
    (text.to_owned(), read_and_check(text, b','))
}

fn spans<'t>(text: &'t str, record: &Record) -> Vec<&'t str> {
    record.cells.iter().map(|c| &text[c.start..c.end]).collect()
}

#[test]
fn a_quoted_empty_cell() {
    let (text, records) = read(b"\"\",a\n\"\"\n");
    assert_eq!(values(&records), [vec!["", "a"], vec![""]]);
    assert_eq!(spans(&text, &records[0]), ["\"\"", "a"]);
    assert_eq!(spans(&text, &records[1]), ["\"\""]);
}

#[test]
fn a_cell_that_is_only_a_doubled_quote() {
    let (text, records) = read(b"\"\"\"\",\"\"\"\"\r\n");
    assert_eq!(values(&records), [["\"", "\""]]);
    assert_eq!(spans(&text, &records[0]), ["\"\"\"\"", "\"\"\"\""]);
}

#[test]
fn a_trailing_separator_leaves_an_empty_cell() {
    let (text, records) = read(b"a,b,\n,\nc,");
    assert_eq!(
        values(&records),
        [vec!["a", "b", ""], vec!["", ""], vec!["c", ""]]
    );
    // The empty cell stands where the record ends, before its line break.
    assert_eq!((records[0].cells[2].start, records[0].cells[2].end), (4, 4));
    assert_eq!((records[2].cells[1].start, records[2].cells[1].end), (9, 9));
    assert_eq!(records[2].end, text.len());
}

#[test]
fn a_file_of_just_a_byte_order_mark() {
    let (text, bom) = text_of("\u{feff}".as_bytes());
    assert!(bom);
    assert_eq!(text, "");
    assert!(read_and_check(text, b',').is_empty());
    // Nor line breaks alone, after a mark or not.
    for bytes in ["\u{feff}\r\n\n\r", "\n", "\r\n\r\n"] {
        assert!(read(bytes.as_bytes()).1.is_empty(), "{bytes:?}");
    }
}

#[test]
fn the_last_record_ends_in_a_quoted_cell_without_a_line_break() {
    let (text, records) = read("\u{feff}id,name\n7,\"Zoë\r\n\"\"Z\"\"\"".as_bytes());
    assert_eq!(values(&records), [["id", "name"], ["7", "Zoë\r\n\"Z\""]]);
    assert_eq!(spans(&text, &records[1]), ["7", "\"Zoë\r\n\"\"Z\"\"\""]);
    assert_eq!(records[1].end, text.len());
}

#[test]
fn empty_lines_and_mixed_terminators() {
    // Empty lines of every kind are skipped by both; LF then CR is two line breaks, CR then
    // LF is one.
    let (_, records) = read(b"\r\na\n\rb\r\r\n\nc\rd\r\n \n,\n");
    assert_eq!(
        values(&records),
        [
            vec!["a"],
            vec!["b"],
            vec!["c"],
            vec!["d"],
            vec![" "],
            vec!["", ""]
        ]
    );
}

/// Not RFC 4180, so never generated: the crate reads these silently, ours reads the same
/// values and says what it could not take as written.
#[test]
fn where_they_part() {
    let text = "a,\"open\nb\n";
    let (records, problems) = read_records(text, b',');
    assert_eq!(values(&records), oracle(text, b','));
    assert_eq!(problems, [CsvProblem::UnterminatedQuote { start: 2 }]);

    let text = "\"a\"b,c\n";
    let (records, problems) = read_records(text, b',');
    assert_eq!(values(&records), oracle(text, b','));
    assert_eq!(problems, [CsvProblem::TextAfterQuote { start: 3, end: 4 }]);
}
