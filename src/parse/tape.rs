//! A call as a flat list of its values, its strings borrowed from the report's text.
//!
//! Building each call as a `serde_json::Value` (a `BTreeMap` and a `String` for every object
//! and string) was most of the time a large report took. A [`Tape`] is one vector, reused
//! from call to call, whose string entries point into the text. The call's facts are read from
//! it ([`super::call::CallFacts`]), and whether the call is valid is answered from them
//! (`schema::call`), so nothing is allocated for a valid call. A `Value` is still built, from
//! the text, for the rare call that has something to report: jsonschema validates it, and the
//! findings are worded from it.

use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::Number;
#[cfg(test)]
use serde_json::{Map, Value};

use super::bytes::{skip_space, string_stop};

/// One value of a [`Tape`]. A container is followed by what it holds: an array by its
/// elements, an object by its members, each a key (a [`Entry::String`]) and then its value.
#[derive(Debug)]
pub enum Entry<'t> {
    Null,
    // Its value is read only by the tests, which hold a tape to serde_json's reading.
    Bool(#[cfg_attr(not(test), expect(dead_code))] bool),
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
    ///
    /// A report's calls are plain JSON (strings without escapes, whole numbers, a few levels
    /// deep), which `Plain` reads several times faster than serde_json can feed a visitor.
    /// Anything else, including anything that is not JSON at all, is left to serde_json,
    /// which reads it (or words the error) as everywhere else.
    pub fn read(&mut self, text: &'t str) -> Result<(), serde_json::Error> {
        self.entries.clear();
        self.repeats_a_key = false;
        if self.read_plain(text) {
            return Ok(());
        }
        self.entries.clear();
        self.repeats_a_key = false;
        let mut deserializer = serde_json::Deserializer::from_str(text);
        Builder { tape: self }.deserialize(&mut deserializer)?;
        deserializer.end()
    }

    /// Reads `text` with [`Plain`]; `false` when it holds anything Plain leaves to serde_json.
    fn read_plain(&mut self, text: &'t str) -> bool {
        let mut plain = Plain {
            text,
            at: 0,
            tape: self,
        };
        let read = plain.value(0).is_some();
        plain.space();
        read && plain.at == text.len()
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

/// A reader for plain JSON: whatever it accepts, it reads exactly as serde_json would, and
/// whatever it does not read that way (an escape, a fraction or exponent, `-0`, a number
/// beyond 64 bits, deep nesting, a wide object, anything malformed) it declines, by
/// returning `None`, for serde_json to read.
struct Plain<'b, 't> {
    text: &'t str,
    at: usize,
    tape: &'b mut Tape<'t>,
}

/// Deeper than any call; beyond it, serde_json reads (and applies its own limit).
const PLAIN_DEPTH: usize = 32;
/// Wider than any object of a report (repeats are found among the keys of one object).
const PLAIN_KEYS: usize = 16;

impl<'t> Plain<'_, 't> {
    fn byte(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn space(&mut self) {
        self.at = skip_space(self.text.as_bytes(), self.at);
    }

    fn push(&mut self, entry: Entry<'t>) -> Option<()> {
        self.tape.entries.push(entry);
        Some(())
    }

    fn value(&mut self, depth: usize) -> Option<()> {
        self.space();
        match self.byte()? {
            b'{' if depth < PLAIN_DEPTH => self.object(depth + 1),
            b'[' if depth < PLAIN_DEPTH => self.array(depth + 1),
            b'"' => {
                let string = self.string()?;
                self.push(Entry::String(Cow::Borrowed(string)))
            }
            b't' => self.literal("true", Entry::Bool(true)),
            b'f' => self.literal("false", Entry::Bool(false)),
            b'n' => self.literal("null", Entry::Null),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    fn literal(&mut self, word: &str, entry: Entry<'t>) -> Option<()> {
        self.text[self.at..].starts_with(word).then_some(())?;
        self.at += word.len();
        self.push(entry)
    }

    /// A string without escapes or control characters, borrowed from the text.
    fn string(&mut self) -> Option<&'t str> {
        let bytes = self.text.as_bytes();
        let start = self.at + 1;
        let end = string_stop(bytes, start)?;
        if bytes[end] != b'"' {
            return None;
        }
        self.at = end + 1;
        // Both ends are at quotes, which are ASCII: character boundaries.
        self.text.get(start..end)
    }

    /// A whole number that fits 64 bits, as serde_json reads one: `u64` when not negative,
    /// `i64` when negative. (serde_json reads `-0` as the float `-0.0`, so it is declined.)
    fn number(&mut self) -> Option<()> {
        let bytes = self.text.as_bytes();
        let negative = bytes[self.at] == b'-';
        let mut at = self.at + usize::from(negative);
        let first = at;
        let mut value: u64 = 0;
        while let Some(digit @ b'0'..=b'9') = bytes.get(at).copied() {
            value = value
                .checked_mul(10)?
                .checked_add(u64::from(digit - b'0'))?;
            at += 1;
        }
        let digits = at - first;
        if digits == 0 || (digits > 1 && bytes[first] == b'0') {
            return None;
        }
        if let Some(b'.' | b'e' | b'E') = bytes.get(at) {
            return None;
        }
        self.at = at;
        let number = if negative {
            if value == 0 || value > i64::MAX as u64 {
                return None;
            }
            Number::from(-(value as i64))
        } else {
            Number::from(value)
        };
        self.push(Entry::Number(number))
    }

    fn array(&mut self, depth: usize) -> Option<()> {
        let at = self.tape.open(Entry::Array { len: 0, end: 0 });
        self.at += 1;
        self.space();
        let mut count = 0;
        if self.byte()? == b']' {
            self.at += 1;
        } else {
            loop {
                self.value(depth)?;
                count += 1;
                self.space();
                match self.byte()? {
                    b',' => self.at += 1,
                    b']' => {
                        self.at += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        self.tape.close(at, count).ok()
    }

    fn object(&mut self, depth: usize) -> Option<()> {
        let at = self.tape.open(Entry::Object { len: 0, end: 0 });
        self.at += 1;
        self.space();
        let mut keys = [0_usize; PLAIN_KEYS];
        let mut count = 0;
        if self.byte()? == b'}' {
            self.at += 1;
        } else {
            loop {
                self.space();
                if self.byte()? != b'"' || count == PLAIN_KEYS {
                    return None;
                }
                let key = self.string()?;
                keys[count] = self.tape.entries.len();
                count += 1;
                self.push(Entry::String(Cow::Borrowed(key)))?;
                self.space();
                if self.byte()? != b':' {
                    return None;
                }
                self.at += 1;
                self.value(depth)?;
                self.space();
                match self.byte()? {
                    b',' => self.at += 1,
                    b'}' => {
                        self.at += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        if !self.tape.repeats_a_key && repeats(&self.tape.entries, &keys[..count]) {
            self.tape.repeats_a_key = true;
        }
        self.tape.close(at, count).ok()
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

    /// The elements of an array.
    pub fn items(&self) -> Option<Elements<'a>> {
        self.as_array().map(|array| array.elements())
    }

    /// The members of an object.
    pub fn members(&self) -> Option<Members<'a>> {
        self.as_object().map(|object| object.members())
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

    /// The value as a `serde_json::Value`, for the tests to compare with serde_json's reading.
    #[cfg(test)]
    pub fn to_json(self) -> Value {
        match self.entry() {
            Entry::Null => Value::Null,
            Entry::Bool(b) => Value::Bool(*b),
            Entry::Number(n) => Value::Number(n.clone()),
            Entry::String(s) => Value::String(s.as_ref().to_owned()),
            Entry::Array { .. } => {
                let items = TapeArray(self);
                Value::Array(items.elements().map(|item| item.to_json()).collect())
            }
            Entry::Object { .. } => {
                let mut map = Map::new();
                for (key, value) in TapeObject(self).members() {
                    map.insert(key.to_owned(), value.to_json());
                }
                Value::Object(map)
            }
        }
    }
}

impl<'a> TapeNode<'a> {
    fn as_object(&self) -> Option<TapeObject<'a>> {
        matches!(self.entry(), Entry::Object { .. }).then_some(TapeObject(*self))
    }

    fn as_array(&self) -> Option<TapeArray<'a>> {
        matches!(self.entry(), Entry::Array { .. }).then_some(TapeArray(*self))
    }
}

/// An object of a tape.
#[derive(Clone, Copy)]
pub struct TapeObject<'a>(TapeNode<'a>);

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

impl<'a> TapeObject<'a> {
    fn len(&self) -> usize {
        match self.0.entry() {
            Entry::Object { len, .. } => *len as usize,
            _ => 0,
        }
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

impl<'a> TapeArray<'a> {
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
        // The last member of that name, as the facts reader takes it.
        fn last<'a>(node: TapeNode<'a>, key: &str) -> Option<TapeNode<'a>> {
            let members = node.members()?;
            members
                .filter(|(name, _)| *name == key)
                .map(|(_, value)| value)
                .last()
        }
        let inner = tape.root().and_then(|r| last(r, "a")).expect("a");
        let k = last(inner, "k");
        assert_eq!(k.and_then(|k| k.number()), Some(&2.into()));
        // Many keys take the other way of finding repeats.
        let many: Vec<String> = (0..40).map(|i| format!("\"k{i}\": {i}")).collect();
        assert!(!round_trip(&format!("{{{}}}", many.join(","))).1);
        assert!(round_trip(&format!("{{{}, \"k7\": 0}}", many.join(","))).1);
    }

    /// What serde_json alone makes of `text`: the value and whether a key repeats.
    fn by_serde(text: &str) -> Option<(Value, bool)> {
        let mut tape = Tape::new();
        let mut deserializer = serde_json::Deserializer::from_str(text);
        Builder { tape: &mut tape }
            .deserialize(&mut deserializer)
            .ok()?;
        deserializer.end().ok()?;
        Some((tape.root()?.to_json(), tape.repeats_a_key()))
    }

    #[test]
    fn what_the_plain_reader_reads_it_reads_as_serde_json_does() {
        let mut accepted = 0;
        let texts = [
            r#"{"a": 1, "b": [true, false, null], "c": {"d": "x y"}, "e": -7, "f": 0}"#,
            " [ ] ",
            "\t{\r\n}\n",
            r#"{"k": 1, "k": 2}"#,
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775807",
            "-9223372036854775808",
            "-0",
            "0",
            "01",
            "1.5",
            "1e2",
            "1E2",
            "-",
            "--1",
            "1x",
            r#""a\"b""#,
            r#""\u00e9""#,
            "\"tab\there\"",
            "\"nul\u{0}\"",
            "\"é ✓ 🦀\"",
            "tru",
            "true false",
            "nulll",
            "[1,]",
            "[,1]",
            "{\"a\" 1}",
            "{\"a\": 1,}",
            "{1: 2}",
            "[1 2]",
            "{\"a\": 1 \"b\": 2}",
            "",
            "   ",
            "{",
            "1 2",
            "1e400",
            "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
            r#"{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"i":9,"j":10,"k":11,"l":12,"m":13,"n":14,"o":15,"p":16,"q":17}"#,
            r#"{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"i":9,"j":10,"k":11,"l":12,"m":13,"n":14,"o":15,"a":16}"#,
        ];
        for text in texts {
            let mut tape = Tape::new();
            if tape.read_plain(text) {
                accepted += 1;
                let plain = (tape.root().expect("read").to_json(), tape.repeats_a_key());
                assert_eq!(Some(plain), by_serde(text), "{text:?}");
            }
            // Whatever either way, `read` agrees with serde_json.
            let mut tape = Tape::new();
            let read = tape
                .read(text)
                .ok()
                .and_then(|()| Some((tape.root()?.to_json(), tape.repeats_a_key())));
            assert_eq!(read, by_serde(text), "{text:?}");
        }
        assert!(accepted >= 8, "{accepted}");
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
