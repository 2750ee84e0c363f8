//! From JSON Pointers back to places in the file.
//!
//! Parsing keeps no positions (that would cost memory for every value of a 180 MB file).
//! Once the findings are known, one pass over the bytes walks only into the objects and
//! arrays that hold a reported pointer, skipping everything else, and records the byte span of
//! each. Then one [`Sweep`] turns the byte offsets, in order, into lines and character columns.

mod lines;
mod scan;

pub use lines::{offset_of_byte_column, LineEnds, Place, Sweep};

use std::collections::BTreeMap;

use crate::diagnostic::{Anchor, Diagnostic, Excerpt, Location};
use crate::text::pointer_tokens;

/// Fills in the places of every location of `diagnostics` that lies in `file`, whose text is
/// `text` and whose lines end as `ends` says. Locations in other files are left alone, so a
/// finding in one file can have related places in another.
pub fn locate_file(file: &str, text: &str, ends: LineEnds, diagnostics: &mut [Diagnostic]) {
    let located: Vec<&mut Location> = diagnostics
        .iter_mut()
        .flat_map(locations)
        .filter(|location| location.file == file)
        .collect();
    if located.is_empty() {
        return;
    }
    // Request `i` is the `i`-th location.
    let mut trie = Trie::default();
    for (id, location) in located.iter().enumerate() {
        trie.insert(id, &location.anchor);
    }
    let found = scan::find_spans(text.as_bytes(), &trie, located.len());
    let spans: Vec<Option<(usize, usize)>> = located
        .iter()
        .zip(found)
        .map(|(location, found)| {
            let span = match location.anchor {
                Anchor::Offset(offset) => Some((offset, offset)),
                Anchor::Cell { start, end, .. } => Some((start, end)),
                Anchor::File => None,
                _ => found,
            };
            span.map(|(start, end)| {
                let start = start.min(text.len());
                (start, end.clamp(start, text.len()))
            })
        })
        .collect();
    // Every offset wanted, in order, for one sweep through the text.
    let mut offsets: Vec<usize> = spans
        .iter()
        .flatten()
        .flat_map(|&(start, end)| [start, end])
        .collect();
    offsets.sort_unstable();
    offsets.dedup();
    let mut sweep = Sweep::new(text, ends);
    let places: Vec<Place> = offsets.iter().map(|&offset| sweep.place(offset)).collect();
    let place_of = |offset: usize| places[offsets.partition_point(|&o| o < offset)];
    for (location, span) in located.into_iter().zip(spans) {
        let Some((start, end)) = span else {
            continue;
        };
        let first = place_of(start);
        location.bytes = Some((start, end));
        location.start = Some(first.position);
        location.end = Some(place_of(end).position);
        location.excerpt = Some(excerpt(text, start, first));
    }
}

fn locations(diagnostic: &mut Diagnostic) -> impl Iterator<Item = &mut Location> {
    std::iter::once(&mut diagnostic.primary)
        .chain(diagnostic.related.iter_mut().map(|r| &mut r.location))
}

/// Characters of a long line shown before and after the start of a location.
const BEFORE: usize = 60;
const AFTER: usize = 100;

/// The line a location starts on, or a window of it around the location when it is long (a
/// minified report is a single line). Only the window is read, never the whole line.
fn excerpt(text: &str, start: usize, place: Place) -> Excerpt {
    let line = &text[place.line_start..place.line_end];
    let at = start.clamp(place.line_start, place.line_end) - place.line_start;
    // A line that fits the window is shown whole.
    let fits = line.len() <= BEFORE + AFTER
        || (line.len() <= 4 * (BEFORE + AFTER) && line.chars().count() <= BEFORE + AFTER);
    let (from, back) = if fits {
        (0, place.position.column - 1)
    } else {
        let back: Vec<usize> = line[..at]
            .char_indices()
            .rev()
            .take(BEFORE)
            .map(|(i, _)| i)
            .collect();
        (back.last().copied().unwrap_or(at), back.len())
    };
    let to = if fits {
        line.len()
    } else {
        line[from..]
            .char_indices()
            .nth(BEFORE + AFTER)
            .map_or(line.len(), |(i, _)| from + i)
    };
    Excerpt {
        line: place.position.line,
        text: line[from..to].to_owned(),
        first_column: place.position.column - back,
        cut_after: to < line.len(),
    }
}

/// What to record at a node of the trie.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Want {
    Value,
    Key,
    RepeatedKey(usize),
}

/// The reported pointers, merged by common prefix. `wants` of a node are the requests that end
/// there, by request number.
#[derive(Default, Debug)]
pub(crate) struct Trie {
    pub(crate) wants: Vec<(usize, Want)>,
    pub(crate) children: BTreeMap<String, Trie>,
}

impl Trie {
    /// Adds the anchor's pointer as request `id`.
    fn insert(&mut self, id: usize, anchor: &Anchor) {
        let (pointer, want) = match anchor {
            Anchor::Value(p) => (p, Want::Value),
            Anchor::Key(p) => (p, Want::Key),
            Anchor::RepeatedKey {
                pointer,
                occurrence,
            } => (pointer, Want::RepeatedKey(*occurrence)),
            Anchor::Offset(_) | Anchor::Cell { .. } | Anchor::File => return,
        };
        let mut node = self;
        for token in pointer_tokens(pointer) {
            node = node.children.entry(token).or_default();
        }
        node.wants.push((id, want));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::Rule;

    /// [`locate_file`] for findings all in one JSON file.
    fn locate_all(text: &str, diagnostics: &mut [Diagnostic]) {
        let file = diagnostics[0].primary.file.clone();
        locate_file(&file, text, LineEnds::Lf, diagnostics);
    }

    fn locate(text: &str, anchor: Anchor) -> Option<(usize, usize, String)> {
        let mut diagnostics = vec![Diagnostic::new(Rule::JsonSyntax, "f", anchor, "m")];
        locate_all(text, &mut diagnostics);
        let location = &diagnostics[0].primary;
        let (start, end) = location.bytes?;
        let position = location.start?;
        Some((position.line, position.column, text[start..end].to_owned()))
    }

    const DOC: &str = r#"{
  "team_members": [
    {"user_id": 1, "name": "Zoë \"Z\"", "a/b": {"x~y": [10, 20]}},
    {"user_id": 2, "name": "Bo", "name": "Bob"}
  ],
  "calls": []
}"#;

    #[test]
    fn finds_values_keys_and_repeated_keys() {
        let value = |p: &str| locate(DOC, Anchor::Value(p.into()));
        assert_eq!(
            value("/team_members/0/name"),
            Some((3, 28, r#""Zoë \"Z\"""#.into()))
        );
        assert_eq!(
            value("/team_members/0/a~1b/x~0y/1"),
            Some((3, 61, "20".into()))
        );
        assert_eq!(value("/calls"), Some((6, 12, "[]".into())));
        assert_eq!(value("").map(|(l, c, _)| (l, c)), Some((1, 1)));
        // The last of two equal keys wins, as in the parsed document.
        assert_eq!(
            value("/team_members/1/name"),
            Some((4, 42, r#""Bob""#.into()))
        );
        assert_eq!(
            locate(DOC, Anchor::Key("/team_members/1/name".into())),
            Some((4, 34, r#""name""#.into()))
        );
        assert_eq!(
            locate(
                DOC,
                Anchor::RepeatedKey {
                    pointer: "/team_members/1/name".into(),
                    occurrence: 1
                }
            ),
            Some((4, 34, r#""name""#.into()))
        );
        assert_eq!(
            locate(
                DOC,
                Anchor::RepeatedKey {
                    pointer: "/team_members/1/name".into(),
                    occurrence: 0
                }
            ),
            Some((4, 20, r#""name""#.into()))
        );
    }

    #[test]
    fn missing_pointers_stay_unlocated() {
        assert_eq!(locate(DOC, Anchor::Value("/team_members/5".into())), None);
        assert_eq!(locate(DOC, Anchor::Value("/nope".into())), None);
        assert_eq!(locate(DOC, Anchor::Value("/calls/x".into())), None);
    }

    #[test]
    fn broken_text_never_panics() {
        for text in [
            "",
            "{",
            "[1,",
            "{\"a\"",
            "\"\\",
            "{\"a\":[1,{\"b\":",
            "}}}]]]",
            "\u{1b}",
        ] {
            for pointer in ["", "/a", "/0", "/a/b/0"] {
                let _ = locate(text, Anchor::Value(pointer.into()));
            }
        }
    }
}
