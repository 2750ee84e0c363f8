//! A call as a flat list of its values, its strings borrowed from the report's text.
//!
//! Building each call as a `serde_json::Value` (a `BTreeMap` and a `String` for every object
//! and string) was most of the time a large report took. A [`Tape`] is one vector, reused
//! from call to call, whose string entries point into the text; the schema's validator reads
//! it through jsonschema's [`Json`] traits (see [`TapeJson`]), so validation stays driven by
//! the schema while nothing is allocated for a valid call. A `Value` is still built, from the
//! text, for the rare call that has something to report: the findings are worded from it.

use std::borrow::Cow;
use std::fmt;

use jsonschema::json::{Array, Json, Node, NodeIdentity, Object};
use jsonschema::JsonType;
use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// One value of a [`Tape`]. A container is followed by what it holds: an array by its
/// elements, an object by its members, each a key (a [`Entry::String`]) and then its value.
#[derive(Debug)]
pub enum Entry<'t> {
    Null,
    Bool(bool),
    Number(Number),
    String(Cow<'t, str>),
    /// `len` elements, and everything in them, up to (not including) the entry at `end`.
    Array {
        len: u32,
        end: u32,
    },
    /// `len` members; as for arrays.
    Object {
        len: u32,
        end: u32,
    },
}

/// A JSON value written out flat, in document order.
#[derive(Debug, Default)]
pub struct Tape<'t> {
    entries: Vec<Entry<'t>>,
    /// Whether some object writes a key twice: its `Value` keeps only the last, and the key
    /// is reported, so such a call is checked from its `Value`.
    repeats_a_key: bool,
}

impl<'t> Tape<'t> {
    pub fn new() -> Self {
        Tape::default()
    }

    /// Reads `text` (one JSON value) into the tape, in place of what it held.
    pub fn read(&mut self, text: &'t str) -> Result<(), serde_json::Error> {
        self.entries.clear();
        self.repeats_a_key = false;
        let mut deserializer = serde_json::Deserializer::from_str(text);
        Builder { tape: self }.deserialize(&mut deserializer)?;
        deserializer.end()
    }

    pub fn repeats_a_key(&self) -> bool {
        self.repeats_a_key
    }

    /// The value read last; `None` before anything was read.
    pub fn root(&self) -> Option<TapeNode<'_>> {
        (!self.entries.is_empty()).then_some(TapeNode {
            entries: &self.entries,
            at: 0,
        })
    }

    fn open(&mut self, entry: Entry<'t>) -> usize {
        self.entries.push(entry);
        self.entries.len() - 1
    }

    fn close(&mut self, at: usize, count: usize) -> Result<(), String> {
        let end = u32::try_from(self.entries.len()).map_err(|_| "the call is too large")?;
        let count = u32::try_from(count).map_err(|_| "the call is too large")?;
        match &mut self.entries[at] {
            Entry::Array { len, end: e } | Entry::Object { len, end: e } => {
                *len = count;
                *e = end;
            }
            _ => {}
        }
        Ok(())
    }
}

/// Pushes one value (and all it holds) onto a tape as serde_json reads it.
struct Builder<'b, 't> {
    tape: &'b mut Tape<'t>,
}

impl<'de> DeserializeSeed<'de> for Builder<'_, 'de> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Builder<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        self.tape.entries.push(Entry::Null);
        Ok(())
    }

    fn visit_bool<E>(self, v: bool) -> Result<(), E> {
        self.tape.entries.push(Entry::Bool(v));
        Ok(())
    }

    fn visit_i64<E>(self, v: i64) -> Result<(), E> {
        self.tape.entries.push(Entry::Number(v.into()));
        Ok(())
    }

    fn visit_u64<E>(self, v: u64) -> Result<(), E> {
        self.tape.entries.push(Entry::Number(v.into()));
        Ok(())
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<(), E> {
        // serde_json gives only finite numbers; were it not to, `Value` would read it as null.
        let entry = Number::from_f64(v).map_or(Entry::Null, Entry::Number);
        self.tape.entries.push(entry);
        Ok(())
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<(), E> {
        self.tape.entries.push(Entry::String(Cow::Borrowed(v)));
        Ok(())
    }

    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        // A string with escapes, which the text does not hold as it reads.
        self.tape
            .entries
            .push(Entry::String(Cow::Owned(v.to_owned())));
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let at = self.tape.open(Entry::Array { len: 0, end: 0 });
        let mut count = 0;
        while seq
            .next_element_seed(Builder {
                tape: &mut *self.tape,
            })?
            .is_some()
        {
            count += 1;
        }
        self.tape.close(at, count).map_err(serde::de::Error::custom)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let at = self.tape.open(Entry::Object { len: 0, end: 0 });
        let mut keys: Vec<usize> = Vec::new();
        while map
            .next_key_seed(Builder {
                tape: &mut *self.tape,
            })?
            .is_some()
        {
            keys.push(self.tape.entries.len() - 1);
            map.next_value_seed(Builder {
                tape: &mut *self.tape,
            })?;
        }
        if !self.tape.repeats_a_key && repeats(&self.tape.entries, &keys) {
            self.tape.repeats_a_key = true;
        }
        self.tape
            .close(at, keys.len())
            .map_err(serde::de::Error::custom)
    }
}

/// Whether two of the keys at `keys` are the same.
fn repeats(entries: &[Entry<'_>], keys: &[usize]) -> bool {
    let key = |i: usize| match &entries[i] {
        Entry::String(key) => key.as_ref(),
        _ => "",
    };
    if keys.len() <= 16 {
        // The usual object: a few keys, compared pairwise without allocating.
        keys.iter()
            .enumerate()
            .any(|(n, &a)| keys[..n].iter().any(|&b| key(a) == key(b)))
    } else {
        let mut seen = std::collections::HashSet::with_capacity(keys.len());
        !keys.iter().all(|&k| seen.insert(key(k)))
    }
}

/// jsonschema's name for tapes as a JSON representation.
pub struct TapeJson;

impl Json for TapeJson {
    type Node<'a> = TapeNode<'a>;
    type PreparedKey = String;
    type StringBuffer = ();
    // Objects are searched key by key, so a pass over the members costs what a lookup does.
    const KEYS_PER_LOOKUP: usize = 1;
    const ACYCLIC: bool = true;

    fn prepare_key(key: &str) -> String {
        key.to_owned()
    }

    fn with_string_node<T>((): &mut (), string: &str, f: impl FnOnce(TapeNode<'_>) -> T) -> T {
        let entries = [Entry::String(Cow::Borrowed(string))];
        f(TapeNode {
            entries: &entries,
            at: 0,
        })
    }
}

/// One value of a tape.
#[derive(Clone, Copy)]
pub struct TapeNode<'a> {
    entries: &'a [Entry<'a>],
    at: usize,
}

impl<'a> TapeNode<'a> {
    fn entry(&self) -> &'a Entry<'a> {
        &self.entries[self.at]
    }

    /// Where the next value after this one (and all it holds) starts.
    fn next(&self) -> usize {
        match self.entry() {
            Entry::Array { end, .. } | Entry::Object { end, .. } => *end as usize,
            _ => self.at + 1,
        }
    }

    fn at(&self, at: usize) -> TapeNode<'a> {
        TapeNode {
            entries: self.entries,
            at,
        }
    }

    /// The member `key` of an object (the last, were the key written twice, as `Value` keeps).
    pub fn get(&self, key: &str) -> Option<TapeNode<'a>> {
        self.as_object()?.find(key)
    }

    pub fn is_object(&self) -> bool {
        matches!(self.entry(), Entry::Object { .. })
    }

    /// The elements of an array.
    pub fn items(&self) -> Option<Elements<'a>> {
        matches!(self.entry(), Entry::Array { .. }).then(|| TapeArray(*self).elements())
    }

    /// The members of an object.
    pub fn members(&self) -> Option<Members<'a>> {
        self.is_object().then(|| TapeObject(*self).members())
    }

    pub fn as_str(&self) -> Option<&'a str> {
        match self.entry() {
            Entry::String(text) => Some(text),
            _ => None,
        }
    }

    /// The text of a string, borrowed from the report's text when it holds no escapes.
    pub fn as_text(&self) -> Option<Cow<'a, str>> {
        match self.entry() {
            Entry::String(Cow::Borrowed(text)) => Some(Cow::Borrowed(text)),
            Entry::String(Cow::Owned(text)) => Some(Cow::Owned(text.clone())),
            _ => None,
        }
    }

    pub fn number(&self) -> Option<&'a Number> {
        match self.entry() {
            Entry::Number(number) => Some(number),
            _ => None,
        }
    }

    /// The value as a `serde_json::Value`: for the rare findings, which are worded from one.
    pub fn to_json(&self) -> Value {
        match self.entry() {
            Entry::Null => Value::Null,
            Entry::Bool(b) => Value::Bool(*b),
            Entry::Number(n) => Value::Number(n.clone()),
            Entry::String(s) => Value::String(s.as_ref().to_owned()),
            Entry::Array { .. } => {
                let items = TapeArray(*self);
                Value::Array(items.elements().map(|item| item.to_json()).collect())
            }
            Entry::Object { .. } => {
                let mut map = Map::new();
                for (key, value) in TapeObject(*self).members() {
                    map.insert(key.to_owned(), value.to_json());
                }
                Value::Object(map)
            }
        }
    }
}

impl<'a> Node<'a, TapeJson> for TapeNode<'a> {
    type Object = TapeObject<'a>;
    type Array = TapeArray<'a>;
    type Number = &'a Number;

    fn as_object(&self) -> Option<TapeObject<'a>> {
        matches!(self.entry(), Entry::Object { .. }).then_some(TapeObject(*self))
    }

    fn as_array(&self) -> Option<TapeArray<'a>> {
        matches!(self.entry(), Entry::Array { .. }).then_some(TapeArray(*self))
    }

    fn as_string(&self) -> Option<Cow<'a, str>> {
        self.as_str().map(Cow::Borrowed)
    }

    fn as_number(&self) -> Option<&'a Number> {
        self.number()
    }

    fn as_boolean(&self) -> Option<bool> {
        match self.entry() {
            Entry::Bool(b) => Some(*b),
            _ => None,
        }
    }

    fn is_null(&self) -> bool {
        matches!(self.entry(), Entry::Null)
    }

    fn json_type(&self) -> JsonType {
        match self.entry() {
            Entry::Null => JsonType::Null,
            Entry::Bool(_) => JsonType::Boolean,
            Entry::Number(_) => JsonType::Number,
            Entry::String(_) => JsonType::String,
            Entry::Array { .. } => JsonType::Array,
            Entry::Object { .. } => JsonType::Object,
        }
    }

    fn to_value(&self) -> Cow<'a, Value> {
        Cow::Owned(self.to_json())
    }

    fn identity(&self) -> Option<NodeIdentity> {
        Some(NodeIdentity::new(std::ptr::from_ref(self.entry()) as usize))
    }
}

/// An object of a tape.
#[derive(Clone, Copy)]
pub struct TapeObject<'a>(TapeNode<'a>);

impl<'a> TapeObject<'a> {
    fn find(&self, key: &str) -> Option<TapeNode<'a>> {
        let mut found = None;
        for (name, value) in self.members() {
            if name == key {
                found = Some(value);
            }
        }
        found
    }
}

/// The members of a tape's object, in the order written.
pub struct Members<'a> {
    node: TapeNode<'a>,
    left: u32,
}

impl<'a> Iterator for Members<'a> {
    type Item = (&'a str, TapeNode<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let key = self.node;
        let value = key.at(key.at + 1);
        self.node = key.at(value.next());
        Some((key.as_str().unwrap_or_default(), value))
    }
}

impl<'a> Object<'a, TapeJson> for TapeObject<'a> {
    type Node = TapeNode<'a>;
    type MemberName = &'a str;
    type MembersIter = Members<'a>;

    fn len(&self) -> usize {
        match self.0.entry() {
            Entry::Object { len, .. } => *len as usize,
            _ => 0,
        }
    }

    fn get(&self, key: &String) -> Option<TapeNode<'a>> {
        self.find(key)
    }

    fn members(&self) -> Members<'a> {
        Members {
            node: self.0.at(self.0.at + 1),
            left: self.len() as u32,
        }
    }
}

/// An array of a tape.
#[derive(Clone, Copy)]
pub struct TapeArray<'a>(TapeNode<'a>);

/// The elements of a tape's array, in order.
pub struct Elements<'a> {
    node: TapeNode<'a>,
    left: u32,
}

impl<'a> Iterator for Elements<'a> {
    type Item = TapeNode<'a>;

    fn next(&mut self) -> Option<TapeNode<'a>> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let item = self.node;
        self.node = item.at(item.next());
        Some(item)
    }
}

impl<'a> Array<'a, TapeJson> for TapeArray<'a> {
    type Node = TapeNode<'a>;
    type ElementsIter = Elements<'a>;

    fn len(&self) -> usize {
        match self.0.entry() {
            Entry::Array { len, .. } => *len as usize,
            _ => 0,
        }
    }

    fn elements(&self) -> Elements<'a> {
        Elements {
            node: self.0.at(self.0.at + 1),
            left: self.len() as u32,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(text: &str) -> (Value, bool) {
        let mut tape = Tape::new();
        tape.read(text).expect("JSON");
        let value = tape.root().expect("read").to_json();
        (value, tape.repeats_a_key())
    }

    #[test]
    fn a_tape_reads_back_as_the_value_serde_json_builds() {
        for text in [
            r#"{"a": [1, -2, 3.5, "x\n", true, null, {}], "b": {"c": [[], [{}]]}, "d": "é"}"#,
            "[]",
            "\"\\u00e9\"",
            "-0",
            r#"[{"k": 1}, {"k": [2, {"k": 3}]}, 4]"#,
        ] {
            let expected: Value = serde_json::from_str(text).expect("JSON");
            assert_eq!(round_trip(text), (expected, false), "{text}");
        }
    }

    #[test]
    fn a_repeated_key_is_noticed_and_the_last_value_read_as_value_does() {
        let text = r#"{"a": {"k": 1, "j": 0, "k": 2}}"#;
        let (value, repeats) = round_trip(text);
        assert!(repeats);
        assert_eq!(value, serde_json::from_str::<Value>(text).expect("JSON"));
        let mut tape = Tape::new();
        tape.read(text).expect("JSON");
        let inner = tape.root().and_then(|r| r.get("a")).expect("a");
        assert_eq!(inner.get("k").and_then(|k| k.number()), Some(&2.into()));
        // Many keys take the other way of finding repeats.
        let many: Vec<String> = (0..40).map(|i| format!("\"k{i}\": {i}")).collect();
        assert!(!round_trip(&format!("{{{}}}", many.join(","))).1);
        assert!(round_trip(&format!("{{{}, \"k7\": 0}}", many.join(","))).1);
    }

    #[test]
    fn what_is_not_json_is_an_error() {
        let mut tape = Tape::new();
        for text in ["", "{", "[1,]", "{\"a\" 1}", "1 2", "1e400"] {
            assert!(tape.read(text).is_err(), "{text}");
        }
    }

    #[test]
    fn strings_without_escapes_are_borrowed_from_the_text() {
        let text = r#"["plain", "esc\"aped"]"#.to_owned();
        let mut tape = Tape::new();
        tape.read(&text).expect("JSON");
        let root = tape.root().expect("read");
        let items: Vec<_> = TapeArray(root).elements().map(|i| i.as_text()).collect();
        assert!(matches!(items[0], Some(Cow::Borrowed("plain"))));
        assert!(matches!(&items[1], Some(Cow::Owned(s)) if s == "esc\"aped"));
    }
}
