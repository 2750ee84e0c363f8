//! Finding the calls of a well-formed report without parsing them: the fast way through a
//! large report, [`split_usage_report`].
//!
//! Parsing the whole text with serde_json on one thread, only to hand each call on as its
//! text for a worker to parse again, made the parser the bottleneck. Here one thread only
//! finds where each call starts and ends (counting brackets outside strings, which is several
//! times cheaper than parsing), and the workers' full parse of each call checks its syntax.
//! Everything else (the top level with `team_members`, a small part of a large report) is
//! parsed as before, from a copy of the text with the calls cut out. Whenever anything is not
//! as a well-formed report has it, this gives up, and the caller parses the report the
//! careful way ([`super::parse_usage_report`]), which finds and words the error.

use serde_json::Value;

use super::blocks::{skip_string, skip_value};
use super::bytes::skip_space;
use super::stream::NoSink;
use super::{parse_usage_report, Parsed, UsageSink};

/// Nesting within one call beyond which this gives up: the careful parse then applies
/// serde_json's limit (128 levels, counted from the top of the report) as it always does.
const DEEPEST_CALL: usize = 120;

/// Hands on the team members, then each element of the top level's `calls` array as its text,
/// and returns what [`parse_usage_report`] would. `None` when the text is not laid out as a
/// well-formed report with its `team_members` before its `calls`, or a part of it parsed here
/// is not well-formed: whatever the sink was given is then to be discarded.
///
/// The calls' own text is left for the sink's receiver to parse: only when every call parses
/// is the report as a whole known to be well-formed.
///
/// `bytes` need not have been checked to be UTF-8: everything parsed here is (serde_json
/// checks the members' strings, the skeleton is checked whole), what lies between the calls
/// is ASCII or a reason to give up, and each call is for the receiver to check. So when every
/// call is UTF-8, so is the whole report, which saves a pass over a large file before the
/// check can start.
pub fn split_usage_report<'t, S: UsageSink<'t>>(bytes: &'t [u8], sink: &mut S) -> Option<Parsed> {
    let mut at = skip_space(bytes, 0);
    expect(bytes, at, b'{')?;
    at = skip_space(bytes, at + 1);
    // The parts of the text the skeleton keeps: everything but the calls.
    let mut cuts: Vec<std::ops::Range<usize>> = Vec::new();
    let mut members_given = false;
    if bytes.get(at) != Some(&b'}') {
        loop {
            expect(bytes, at, b'"')?;
            let key_end = skip_string(bytes, at)?;
            let key = &bytes[at + 1..key_end - 1];
            if key.contains(&b'\\') {
                return None;
            }
            at = skip_space(bytes, key_end);
            expect(bytes, at, b':')?;
            let value = skip_space(bytes, at + 1);
            let end = if key == b"calls" && bytes.get(value) == Some(&b'[') {
                if !members_given {
                    return None;
                }
                let close = split_calls(bytes, value, sink)?;
                cuts.push(value + 1..close);
                close + 1
            } else {
                let end = skip_value(bytes, value, DEEPEST_CALL)?;
                if key == b"team_members" && !members_given {
                    let members: Value = serde_json::from_slice(&bytes[value..end]).ok()?;
                    sink.team_members(Some(members));
                    members_given = true;
                }
                end
            };
            at = skip_space(bytes, end);
            match bytes.get(at) {
                Some(b',') => at = skip_space(bytes, at + 1),
                Some(b'}') => break,
                _ => return None,
            }
        }
    }
    if skip_space(bytes, at + 1) != bytes.len() || cuts.is_empty() {
        return None;
    }
    let cut: usize = cuts.iter().map(|cut| cut.len()).sum();
    let mut skeleton = Vec::with_capacity(bytes.len() - cut);
    let mut from = 0;
    for cut in &cuts {
        skeleton.extend_from_slice(&bytes[from..cut.start]);
        from = cut.end;
    }
    skeleton.extend_from_slice(&bytes[from..]);
    let skeleton = String::from_utf8(skeleton).ok()?;
    parse_usage_report(&skeleton, &mut NoSink).ok()
}

/// Hands on the elements of the array that opens at `open`, each with its index in it (as
/// the careful parse does, should a report write `calls` twice); returns where the array
/// closes.
fn split_calls<'t, S: UsageSink<'t>>(bytes: &'t [u8], open: usize, sink: &mut S) -> Option<usize> {
    let mut at = skip_space(bytes, open + 1);
    if bytes.get(at) == Some(&b']') {
        return Some(at);
    }
    let mut index = 0;
    loop {
        let end = skip_value(bytes, at, DEEPEST_CALL)?;
        sink.call(index, &bytes[at..end]);
        index += 1;
        at = skip_space(bytes, end);
        match bytes.get(at) {
            Some(b',') => at = skip_space(bytes, at + 1),
            Some(b']') => return Some(at),
            _ => return None,
        }
    }
}

fn expect(bytes: &[u8], at: usize, byte: u8) -> Option<()> {
    (bytes.get(at) == Some(&byte)).then_some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::bytes::{equal, next_of};
    use crate::parse::Recorder;

    /// What a sink was given, and a summary of what the parse returned.
    type Seen = (Vec<String>, String);

    /// What the careful parse makes of `text`, and what this does (`None`: it gave up).
    fn both(text: &str) -> (Seen, Option<Seen>) {
        let mut careful = Recorder::default();
        let parsed = parse_usage_report(text, &mut careful).expect("well-formed");
        let summary = |p: &Parsed| format!("{} {:?}", p.skeleton, p.repeated_keys);
        let careful = (careful.events, summary(&parsed));
        let mut fast = Recorder::default();
        let split =
            split_usage_report(text.as_bytes(), &mut fast).map(|p| (fast.events, summary(&p)));
        (careful, split)
    }

    #[test]
    fn a_report_splits_into_what_the_careful_parse_finds() {
        for text in [
            r#"{"team_members": [{"user_id": 1, "a": "x"}], "calls": [{"call_id": "c]}\"", "p": [1, {"q": []}]}, 2 ,"s" , [],{}]}"#,
            "\n{ \"team_members\" : [] ,\r\n\t\"calls\":[ ] , \"x\": {\"calls\": [1]} }\n",
            r#"{"team_members": {}, "calls": [1], "calls": [2, 3], "team_members": 7}"#,
            r#"{"team_members": [{"k": 1, "k": 2}], "calls": [-1.5e3, true, null]}"#,
        ] {
            let (careful, fast) = both(text);
            assert_eq!(Some(careful), fast, "{text}");
        }
    }

    #[test]
    fn anything_unusual_is_left_to_the_careful_parse() {
        for text in [
            // Calls before the members, none at all, or not an array.
            r#"{"calls": [1], "team_members": []}"#,
            r#"{"team_members": []}"#,
            r#"{"team_members": [], "calls": {}}"#,
            r#"{"team_members": [], "call\u0073": [1]}"#,
            "[]",
            r#"{"team_members": [], "calls": [1]} x"#,
            r#"{"team_members": [], "calls": [1 2]}"#,
            r#"{"team_members": [], "calls": [1,]}"#,
            r#"{"team_members": [}, "calls": [1]}"#,
            r#"{"team_members": [], "calls": [1]"#,
            r#"{"team_members": [], "calls": ["#,
            r#"{"team_members": [], "calls": ["\"#,
            r#"{"team_members": [] "calls": [1]}"#,
        ] {
            let mut sink = Recorder::default();
            assert!(
                split_usage_report(text.as_bytes(), &mut sink).is_none(),
                "{text}"
            );
        }
        let deep = format!(
            r#"{{"team_members": [], "calls": [{}{}]}}"#,
            "[".repeat(DEEPEST_CALL + 1),
            "]".repeat(DEEPEST_CALL + 1)
        );
        assert!(split_usage_report(deep.as_bytes(), &mut Recorder::default()).is_none());
    }

    #[test]
    fn the_word_at_a_time_search_finds_what_a_byte_at_a_time_one_does() {
        // Bytes that differ from the ones looked for by one bit, or by the high bit.
        let alphabet = b"\"\\{}[]\x02\xa2\xfb\xdb;=[]\x7a\x7c\x5c\x00\x80 a\n";
        let mut state = 7u32;
        let bytes: Vec<u8> = (0..3000)
            .map(|_| {
                state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
                let pick = (state >> 16) as usize;
                // Long runs without any, so that whole words are skipped too.
                if pick.is_multiple_of(3) {
                    alphabet[pick % alphabet.len()]
                } else {
                    b'x'
                }
            })
            .collect();
        for at in 0..=bytes.len() {
            let naive = bytes[at..]
                .iter()
                .position(|&b| matches!(b, b'"' | b'\\'))
                .map(|found| at + found);
            let found = next_of(&bytes, at, |w| equal(w, b'"') | equal(w, b'\\'));
            assert_eq!(found, naive, "from {at}");
        }
    }

    #[test]
    fn a_call_that_is_not_well_formed_is_handed_on_for_its_parse_to_find() {
        // The split does not parse calls: the receiver's parse of each finds this.
        let text = r#"{"team_members": [], "calls": [{"a" 1}, {]]}"#;
        let mut sink = Recorder::default();
        assert!(split_usage_report(text.as_bytes(), &mut sink).is_some());
        assert_eq!(&sink.events[1..], ["call 0 {\"a\" 1}", "call 1 {]"]);
    }
}
