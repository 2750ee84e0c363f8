//! The one pass over the bytes that finds the spans of reported pointers.
//!
//! It trusts nothing: on broken text it stops early and leaves spans unfound, and every loop
//! consumes at least one byte, so it always ends.

use std::borrow::Cow;

use super::{Trie, Want};
use crate::parse::{skip_space, skip_string, skip_value};

type Spans = Vec<Option<(usize, usize)>>;

pub(crate) fn find_spans(bytes: &[u8], trie: &Trie, count: usize) -> Spans {
    let mut spans = vec![None; count];
    let mut scanner = Scanner { bytes, pos: 0 };
    scanner.skip_whitespace();
    scanner.walk(trie, &mut spans);
    spans
}

struct Scanner<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Scanner<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        self.pos = skip_space(self.bytes, self.pos);
    }

    /// Records the spans wanted at `node` for the value at the current position, descending
    /// only into the members and elements that `node` has children for.
    fn walk(&mut self, node: &Trie, spans: &mut Spans) {
        let start = self.pos;
        if node.children.is_empty() {
            self.skip_value();
        } else {
            match self.peek() {
                Some(b'{') => self.walk_object(node, spans),
                Some(b'[') => self.walk_array(node, spans),
                _ => self.skip_value(),
            }
        }
        for &(id, want) in &node.wants {
            if let Want::Value = want {
                spans[id] = Some((start, self.pos));
            }
        }
    }

    fn walk_object(&mut self, node: &Trie, spans: &mut Spans) {
        self.pos += 1;
        let mut seen: Vec<(Cow<'a, str>, usize)> = Vec::new();
        loop {
            self.skip_whitespace();
            match self.peek() {
                Some(b'}') => {
                    self.pos += 1;
                    return;
                }
                Some(b'"') => {}
                _ => return,
            }
            let (key_start, key_end) = self.skip_string();
            let key = decode_key(&self.bytes[key_start..key_end]);
            self.skip_whitespace();
            if self.peek() != Some(b':') {
                return;
            }
            self.pos += 1;
            self.skip_whitespace();
            match node.children.get(key.as_ref()) {
                Some(child) => {
                    let occurrence = match seen.iter_mut().find(|(k, _)| *k == key) {
                        Some((_, n)) => {
                            *n += 1;
                            *n
                        }
                        None => {
                            seen.push((key, 0));
                            0
                        }
                    };
                    for &(id, want) in &child.wants {
                        match want {
                            // A repeated key: the last appearance is the one parsers keep.
                            Want::Key => spans[id] = Some((key_start, key_end)),
                            Want::RepeatedKey(n) if n == occurrence => {
                                spans[id] = Some((key_start, key_end))
                            }
                            _ => {}
                        }
                    }
                    self.walk(child, spans);
                }
                None => self.skip_value(),
            }
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {}
                _ => return,
            }
        }
    }

    fn walk_array(&mut self, node: &Trie, spans: &mut Spans) {
        self.pos += 1;
        let mut wanted: Vec<(usize, &Trie)> = node
            .children
            .iter()
            .filter_map(|(token, child)| Some((token.parse::<usize>().ok()?, child)))
            .collect();
        wanted.sort_by_key(|(index, _)| *index);
        let mut wanted = wanted.into_iter().peekable();
        let mut index = 0;
        loop {
            self.skip_whitespace();
            match self.peek() {
                Some(b']') => {
                    self.pos += 1;
                    return;
                }
                None => return,
                _ => {}
            }
            match wanted.peek() {
                Some(&(i, child)) if i == index => {
                    wanted.next();
                    self.walk(child, spans);
                }
                _ => self.skip_value(),
            }
            index += 1;
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {}
                _ => return,
            }
        }
    }

    /// Moves past one value, however deeply nested (to the end of the text, were it not
    /// well-formed: only well-formed reports have findings at pointers).
    fn skip_value(&mut self) {
        self.skip_whitespace();
        self.pos = skip_value(self.bytes, self.pos, usize::MAX).unwrap_or(self.bytes.len());
    }

    /// Moves past a string that starts at the current `"`; returns its span with the quotes.
    fn skip_string(&mut self) -> (usize, usize) {
        let start = self.pos;
        self.pos = skip_string(self.bytes, self.pos).unwrap_or(self.bytes.len());
        (start, self.pos)
    }
}

/// The text of a key given with its quotes; escapes are decoded only when there are any.
fn decode_key(raw: &[u8]) -> Cow<'_, str> {
    let inner = raw
        .get(1..raw.len().saturating_sub(1).max(1))
        .unwrap_or_default();
    if !inner.contains(&b'\\') {
        return String::from_utf8_lossy(inner);
    }
    Cow::Owned(serde_json::from_slice::<String>(raw).unwrap_or_default())
}
