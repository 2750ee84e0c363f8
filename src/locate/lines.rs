//! Byte offsets to 1-based lines and character columns.

use crate::diagnostic::Position;

/// Where each line starts.
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Lines of JSON: they end at `\n`, as in serde_json's own positions.
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
    }

    /// Physical lines of a CSV file: they end at `\n`, `\r\n` or a lone `\r`, as a
    /// spreadsheet or an editor counts them.
    pub fn with_lone_cr(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        starts.extend(bytes.iter().enumerate().filter_map(|(i, &b)| {
            let ends_line = b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
            ends_line.then_some(i + 1)
        }));
        LineIndex { starts }
    }

    /// The 1-based line holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset)
    }

    /// The byte range of 1-based `line`, without its line ending.
    pub fn line_range(&self, text: &str, line: usize) -> (usize, usize) {
        let start = self.starts.get(line - 1).copied().unwrap_or(text.len());
        let mut end = self.starts.get(line).map_or(text.len(), |next| next - 1);
        // The break itself is `\n` or a lone `\r`; a `\r` before a `\n` is part of it too.
        if end < text.len()
            && text.as_bytes()[end] == b'\n'
            && end > start
            && text.as_bytes()[end - 1] == b'\r'
        {
            end -= 1;
        }
        if end == text.len() && end > start && text.as_bytes()[end - 1] == b'\r' {
            end -= 1;
        }
        (start, end.max(start))
    }

    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = offset.min(text.len());
        let line = self.line_of(offset);
        let start = self.starts[line - 1];
        let column = text
            .get(start..offset)
            .map_or_else(|| offset - start, |prefix| prefix.chars().count())
            + 1;
        Position { line, column }
    }

    /// The byte offset of a 1-based line and a 1-based *byte* column, as serde_json reports
    /// them; clamped to the text.
    pub fn offset_of_byte_column(&self, text: &str, line: usize, column: usize) -> usize {
        let Some(&start) = self.starts.get(line.saturating_sub(1)) else {
            return text.len();
        };
        let mut offset = (start + column.saturating_sub(1)).min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters() {
        let text = "ab\r\nzoë: x\n\nlast";
        let lines = LineIndex::new(text);
        assert_eq!(lines.position(text, 0), Position { line: 1, column: 1 });
        assert_eq!(lines.position(text, 4), Position { line: 2, column: 1 });
        let x = text.find('x').unwrap();
        assert_eq!(lines.position(text, x), Position { line: 2, column: 6 });
        assert_eq!(
            lines.position(text, text.len()),
            Position { line: 4, column: 5 }
        );
        assert_eq!(lines.line_range(text, 1), (0, 2));
        assert_eq!(
            &text[lines.line_range(text, 2).0..lines.line_range(text, 2).1],
            "zoë: x"
        );
        assert_eq!(lines.line_range(text, 3), (12, 12));
        assert_eq!(lines.offset_of_byte_column(text, 2, 4), 6);
        assert_eq!(lines.offset_of_byte_column(text, 9, 1), text.len());
    }

    #[test]
    fn csv_lines_end_at_any_break() {
        let text = "a\r\nb\rc\nd";
        let lines = LineIndex::with_lone_cr(text);
        for (line, expected) in [(1, "a"), (2, "b"), (3, "c"), (4, "d")] {
            let (start, end) = lines.line_range(text, line);
            assert_eq!(&text[start..end], expected, "line {line}");
        }
        assert_eq!(
            lines.position(text, text.find('c').unwrap()),
            Position { line: 3, column: 1 }
        );
        // JSON counts only `\n`: the lone `\r` stays inside line 2.
        assert_eq!(LineIndex::new(text).line_of(text.find('c').unwrap()), 2);
    }
}
