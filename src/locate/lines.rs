//! Byte offsets to 1-based lines and character columns, without an index of every line.
//!
//! A 180 MB report has millions of lines, and an index of them would cost more memory than
//! the rest of the check. Only the offsets of reported places are needed, so they are sorted
//! and found in one sweep that jumps from line break to line break.

use crate::diagnostic::Position;

/// How lines end in a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineEnds {
    /// At `\n` only, as serde_json counts the lines of JSON.
    Lf,
    /// At `\n`, `\r\n` or a lone `\r`, as a spreadsheet or an editor counts the lines of CSV.
    AnyBreak,
}

/// Where an offset is: its position, and the byte range of its line (without the break).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Place {
    pub position: Position,
    pub line_start: usize,
    pub line_end: usize,
}

/// Walks forward through a text, answering where offsets are, in increasing order.
pub struct Sweep<'a> {
    text: &'a str,
    ends: LineEnds,
    pos: usize,
    line: usize,
    line_start: usize,
    /// Characters from `line_start` to `pos`.
    chars: usize,
    /// Where the current line ends, once asked: found once a line, or the many places of a
    /// report written on one line would each search to its end.
    line_end: Option<usize>,
}

impl<'a> Sweep<'a> {
    pub fn new(text: &'a str, ends: LineEnds) -> Self {
        Sweep {
            text,
            ends,
            pos: 0,
            line: 1,
            line_start: 0,
            chars: 0,
            line_end: None,
        }
    }

    /// The place of `offset`; offsets must come in increasing order (an earlier one starts
    /// the sweep over).
    pub fn place(&mut self, offset: usize) -> Place {
        let bytes = self.text.as_bytes();
        let mut offset = offset.min(bytes.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        if offset < self.pos {
            *self = Sweep::new(self.text, self.ends);
        }
        while let Some(found) = self.next_break(self.pos, offset) {
            let next = found + self.break_length(found);
            if next > offset {
                break; // `offset` is inside a `\r\n`: it belongs to the line before
            }
            self.line += 1;
            self.line_start = next;
            self.pos = next;
            self.chars = 0;
            self.line_end = None;
        }
        self.chars += count_chars(&bytes[self.pos..offset]);
        self.pos = offset;
        let line_end = match self.line_end {
            Some(end) => end,
            None => {
                let end = self.line_end(offset);
                self.line_end = Some(end);
                end
            }
        };
        Place {
            position: Position {
                line: self.line,
                column: self.chars + 1,
            },
            line_start: self.line_start,
            line_end,
        }
    }

    fn next_break(&self, from: usize, to: usize) -> Option<usize> {
        let hay = &self.text.as_bytes()[from..to];
        match self.ends {
            LineEnds::Lf => memchr::memchr(b'\n', hay),
            LineEnds::AnyBreak => memchr::memchr2(b'\n', b'\r', hay),
        }
        .map(|i| from + i)
    }

    fn break_length(&self, at: usize) -> usize {
        let bytes = self.text.as_bytes();
        match (self.ends, bytes[at], bytes.get(at + 1)) {
            (LineEnds::AnyBreak, b'\r', Some(b'\n')) => 2,
            _ => 1,
        }
    }

    /// Where the line holding `offset` ends, before its break (and before the `\r` of a
    /// `\r\n`, which shows as nothing).
    fn line_end(&self, offset: usize) -> usize {
        let bytes = self.text.as_bytes();
        let end = self.next_break(offset, bytes.len()).unwrap_or(bytes.len());
        let at_lf_or_end = end == bytes.len() || bytes[end] == b'\n';
        if end > self.line_start && at_lf_or_end && bytes[end - 1] == b'\r' {
            end - 1
        } else {
            end
        }
    }
}

/// Characters in UTF-8 bytes: every byte but a continuation byte starts one.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
}

/// The byte offset of a 1-based line and 1-based *byte* column, as serde_json reports them;
/// clamped to the text.
pub fn offset_of_byte_column(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match memchr::memchr(b'\n', &text.as_bytes()[start..]) {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let mut offset = (start + column.saturating_sub(1)).min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    fn position(text: &str, ends: LineEnds, offset: usize) -> (usize, usize, &str) {
        let place = Sweep::new(text, ends).place(offset);
        (
            place.position.line,
            place.position.column,
            &text[place.line_start..place.line_end],
        )
    }

    /// The end of a line is found once a line (bench/worst.sh: a report on one 33 MB line
    /// with a finding per call took 53 s when every place searched to the end of its line).
    #[test]
    fn places_on_one_line_share_its_end_and_the_next_line_has_its_own() {
        let text = "ab\u{e9}cd\r\nxyz\nlast";
        let mut sweep = Sweep::new(text, LineEnds::AnyBreak);
        let first = sweep.place(1);
        let second = sweep.place(5);
        assert_eq!((first.line_end, second.line_end), (6, 6));
        assert_eq!(second.position, Position { line: 1, column: 5 });
        let next = sweep.place(9);
        assert_eq!(
            (next.position.line, next.line_start, next.line_end),
            (2, 8, 11)
        );
        let last = sweep.place(text.len());
        assert_eq!((last.position.line, last.line_end), (3, text.len()));
    }

    #[test]
    fn columns_count_characters() {
        let text = "ab\r\nzoë: x\n\nlast";
        let x = text.find('x').unwrap();
        assert_eq!(position(text, LineEnds::Lf, 0), (1, 1, "ab"));
        assert_eq!(position(text, LineEnds::Lf, 4), (2, 1, "zoë: x"));
        assert_eq!(position(text, LineEnds::Lf, x), (2, 6, "zoë: x"));
        assert_eq!(position(text, LineEnds::Lf, 12), (3, 1, ""));
        assert_eq!(position(text, LineEnds::Lf, text.len()), (4, 5, "last"));
        assert_eq!(offset_of_byte_column(text, 2, 4), 6);
        assert_eq!(offset_of_byte_column(text, 9, 1), text.len());
    }

    #[test]
    fn a_sweep_answers_in_order_and_starts_over_when_asked_back() {
        let text = "a\nbb\nccc\n";
        let mut sweep = Sweep::new(text, LineEnds::Lf);
        assert_eq!(sweep.place(6).position, Position { line: 3, column: 2 });
        assert_eq!(sweep.place(8).position, Position { line: 3, column: 4 });
        assert_eq!(sweep.place(2).position, Position { line: 2, column: 1 });
    }

    #[test]
    fn csv_lines_end_at_any_break() {
        let text = "a\r\nb\rc\nd\r";
        for (offset, line, shown) in [(0, 1, "a"), (3, 2, "b"), (5, 3, "c"), (7, 4, "d")] {
            let (found, _, line_text) = position(text, LineEnds::AnyBreak, offset);
            assert_eq!((found, line_text), (line, shown), "offset {offset}");
        }
        // Inside a `\r\n`: still the line before.
        assert_eq!(position(text, LineEnds::AnyBreak, 2).0, 1);
        // JSON counts only `\n`: the lone `\r` stays inside line 2.
        assert_eq!(position(text, LineEnds::Lf, text.find('c').unwrap()).0, 2);
    }
}
