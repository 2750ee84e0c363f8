//! Reading the CSV user report into records of cells, each with its exact byte span.
//!
//! RFC 4180 as spreadsheets write it: cells separated by commas (or, where a spreadsheet in
//! another locale saved the file, by the semicolons or tabs it chose), records ended by LF,
//! CRLF or a lone CR, quoted cells that may hold commas, quotes (doubled) and line breaks.
//! Hand-written because a finding must point at its cell and the physical line it is on: the
//! csv crate gives where a record starts, not each cell's byte span, and it silently reads a
//! quote that never closes (to the end of the file) or text after a closing quote, which
//! here are reported as a [`CsvProblem`]; the reading never fails. The csv crate is its
//! oracle all the same: every RFC 4180 file reads to the same records in both
//! (tests/csv_oracle.rs).

/// One cell: its text with quotes removed and `""` undone, and where it stands in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    pub value: String,
    /// Byte span in the text, quotes included.
    pub start: usize,
    pub end: usize,
}

/// One record (row) of the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub cells: Vec<Cell>,
    /// Where the record starts and ends (before its line break), in bytes.
    pub start: usize,
    pub end: usize,
}

/// Something the reader could not take as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CsvProblem {
    /// A quoted cell whose closing quote never comes: the rest of the file is inside it.
    UnterminatedQuote { start: usize },
    /// Text after a quoted cell's closing quote, before the next comma or line break.
    TextAfterQuote { start: usize, end: usize },
}

/// Reads every record of `text`, its cells separated by `separator` (an ASCII character).
/// Empty lines are skipped, as spreadsheets do.
pub fn read_records(text: &str, separator: u8) -> (Vec<Record>, Vec<CsvProblem>) {
    let bytes = text.as_bytes();
    let mut records = Vec::new();
    let mut problems = Vec::new();
    let mut pos = 0;
    while pos < bytes.len() {
        if let Some(next) = line_break(bytes, pos) {
            pos = next; // an empty line
            continue;
        }
        let start = pos;
        let mut cells = Vec::new();
        loop {
            let (cell, after) = read_cell(text, pos, separator, &mut problems);
            cells.push(cell);
            pos = after;
            match bytes.get(pos) {
                Some(&b) if b == separator => pos += 1,
                _ => break,
            }
            // A comma at the very end of the record leaves one more, empty, cell.
            if pos >= bytes.len() || line_break(bytes, pos).is_some() {
                cells.push(Cell {
                    value: String::new(),
                    start: pos,
                    end: pos,
                });
                break;
            }
        }
        records.push(Record {
            cells,
            start,
            end: pos,
        });
        pos = line_break(bytes, pos).unwrap_or(bytes.len());
    }
    (records, problems)
}

/// The position after the line break at `pos`, if one is there.
fn line_break(bytes: &[u8], pos: usize) -> Option<usize> {
    match bytes.get(pos) {
        Some(b'\r') if bytes.get(pos + 1) == Some(&b'\n') => Some(pos + 2),
        Some(b'\r' | b'\n') => Some(pos + 1),
        _ => None,
    }
}

/// Reads the cell at `pos`; returns it and the position of what ends it.
fn read_cell(
    text: &str,
    pos: usize,
    separator: u8,
    problems: &mut Vec<CsvProblem>,
) -> (Cell, usize) {
    let bytes = text.as_bytes();
    let ends_cell = |b: &u8| *b == separator || matches!(b, b'\r' | b'\n');
    if bytes.get(pos) != Some(&b'"') {
        let end = bytes[pos..]
            .iter()
            .position(ends_cell)
            .map_or(bytes.len(), |n| pos + n);
        let cell = Cell {
            value: text[pos..end].to_owned(),
            start: pos,
            end,
        };
        return (cell, end);
    }
    let mut value = String::new();
    let mut i = pos + 1;
    loop {
        let Some(quote) = bytes[i..].iter().position(|&b| b == b'"').map(|n| i + n) else {
            problems.push(CsvProblem::UnterminatedQuote { start: pos });
            value.push_str(&text[i..]);
            let cell = Cell {
                value,
                start: pos,
                end: bytes.len(),
            };
            return (cell, bytes.len());
        };
        value.push_str(&text[i..quote]);
        if bytes.get(quote + 1) == Some(&b'"') {
            value.push('"');
            i = quote + 2;
            continue;
        }
        let close = quote + 1;
        let end = bytes[close..]
            .iter()
            .position(ends_cell)
            .map_or(bytes.len(), |n| close + n);
        if end > close {
            problems.push(CsvProblem::TextAfterQuote { start: close, end });
            value.push_str(&text[close..end]);
        }
        let cell = Cell {
            value,
            start: pos,
            end,
        };
        return (cell, end);
    }
}
