//! Pretty-printed JSON written a piece at a time, in serde_json's layout (two spaces a level,
//! `"key": value`, `[]` and `{}` when empty), so that a document can be begun before the items
//! of its longest array exist, and each item let go of once written.
//!
//! serde_json writes a whole value, or compact pieces; it has no way to write the start of an
//! object, then its members one by one, in its pretty layout. Each member's value is written
//! by serde_json itself and indented here to its depth.

use std::io::{self, Write};

use serde::Serialize;

/// An open object or array: whether anything is in it yet.
struct Open {
    empty: bool,
}

/// A JSON document being written to `out`.
pub struct Pretty {
    open: Vec<Open>,
}

impl Pretty {
    pub fn new() -> Self {
        Pretty { open: Vec::new() }
    }

    /// `{`, at the top or as the value of a key just written.
    pub fn open_object(&mut self, out: &mut dyn Write) -> io::Result<()> {
        self.open.push(Open { empty: true });
        out.write_all(b"{")
    }

    /// `{`, as an item of the open array, on a line of its own.
    pub fn open_object_item(&mut self, out: &mut dyn Write) -> io::Result<()> {
        self.next_line(out)?;
        self.open_object(out)
    }

    /// `[`, as the value of a key just written.
    pub fn open_array(&mut self, out: &mut dyn Write) -> io::Result<()> {
        self.open.push(Open { empty: true });
        out.write_all(b"[")
    }

    /// `"name": `, on a line of its own in the open object.
    pub fn key(&mut self, out: &mut dyn Write, name: &str) -> io::Result<()> {
        self.next_line(out)?;
        serde_json::to_writer(&mut *out, name)?;
        out.write_all(b": ")
    }

    /// `"name": value`.
    pub fn member(
        &mut self,
        out: &mut dyn Write,
        name: &str,
        value: &impl Serialize,
    ) -> io::Result<()> {
        self.key(out, name)?;
        self.value(out, value)
    }

    /// An item of the open array, on a line of its own.
    pub fn item(&mut self, out: &mut dyn Write, value: &impl Serialize) -> io::Result<()> {
        self.next_line(out)?;
        self.value(out, value)
    }

    /// Closes the innermost object (`}`) or array (`]`).
    pub fn close(&mut self, out: &mut dyn Write, bracket: u8) -> io::Result<()> {
        let closed = self.open.pop();
        if closed.is_some_and(|open| !open.empty) {
            out.write_all(b"\n")?;
            self.indent(out)?;
        }
        out.write_all(&[bracket])
    }

    /// A value at the current depth: every line after its first indented to it (a JSON
    /// string holds no raw line break, so each break in the text is one of the layout's).
    fn value(&mut self, out: &mut dyn Write, value: &impl Serialize) -> io::Result<()> {
        let text = serde_json::to_vec_pretty(value)?;
        let breaks = text.iter().filter(|&&b| b == b'\n').count();
        let indent = 2 * self.open.len();
        let mut indented = Vec::with_capacity(text.len() + breaks * indent);
        for &byte in &text {
            indented.push(byte);
            if byte == b'\n' {
                indented.resize(indented.len() + indent, b' ');
            }
        }
        out.write_all(&indented)
    }

    /// `,` after the previous member or item, a line break and the indentation.
    fn next_line(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if let Some(open) = self.open.last_mut() {
            if !std::mem::replace(&mut open.empty, false) {
                out.write_all(b",")?;
            }
        }
        out.write_all(b"\n")?;
        self.indent(out)
    }

    fn indent(&self, out: &mut dyn Write) -> io::Result<()> {
        for _ in 0..self.open.len() {
            out.write_all(b"  ")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A document written in pieces is the one serde_json writes whole.
    #[test]
    fn pieces_make_the_document_serde_json_writes() {
        let items = [
            json!({"a": [1, 2], "b": {"c": null}}),
            json!("x"),
            json!([]),
        ];
        let whole = json!({
            "version": 1,
            "empty": [],
            "items": items,
            "nested": {"list": [], "more": {"k": "v"}},
        });
        let mut out = Vec::new();
        let mut pretty = Pretty::new();
        pretty.open_object(&mut out).unwrap();
        pretty.member(&mut out, "version", &1).unwrap();
        pretty.key(&mut out, "empty").unwrap();
        pretty.open_array(&mut out).unwrap();
        pretty.close(&mut out, b']').unwrap();
        pretty.key(&mut out, "items").unwrap();
        pretty.open_array(&mut out).unwrap();
        for item in &items {
            pretty.item(&mut out, item).unwrap();
        }
        pretty.close(&mut out, b']').unwrap();
        pretty.key(&mut out, "nested").unwrap();
        pretty.open_object(&mut out).unwrap();
        pretty.member(&mut out, "list", &json!([])).unwrap();
        pretty.member(&mut out, "more", &json!({"k": "v"})).unwrap();
        pretty.close(&mut out, b'}').unwrap();
        pretty.close(&mut out, b'}').unwrap();
        // serde_json's Map keeps keys sorted unless preserve_order; compare as values and
        // as text against a pretty print of the same members in the same order.
        let text = String::from_utf8(out).unwrap();
        let parsed: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed, whole);
        let expected = "{\n  \"version\": 1,\n  \"empty\": [],\n  \"items\": [\n    {\n      \"a\": [\n        1,\n        2\n      ],\n      \"b\": {\n        \"c\": null\n      }\n    },\n    \"x\",\n    []\n  ],\n  \"nested\": {\n    \"list\": [],\n    \"more\": {\n      \"k\": \"v\"\n    }\n  }\n}";
        assert_eq!(text, expected);
    }
}
