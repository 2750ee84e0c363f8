//! The team members as the calls' participants are matched against them.
//!
//! Built once from `team_members`, before any call is read, and shared: the workers that read
//! the calls look each participant up as they go, while the participant's name and email are
//! still in their cache, so the one thread that applies the rules in order only reads the
//! answer. (Comparing them there, after another core had read them, was a third of that
//! thread's time.)

use std::collections::HashMap;

use serde_json::Value;

use super::facts::user_id;
use crate::parse::call::{integer, MemberLookup, ParticipantFacts};

#[derive(Debug, Default)]
pub struct Roster {
    /// Whether `team_members` is an array: only then is a participant nobody in it unknown.
    pub(super) listed: bool,
    /// user_id → the index of the first member with it.
    by_user_id: Ids,
    /// Each member's name and email, by index, as places in `text`: one block of memory, as
    /// the workers read it for every participant.
    people: Vec<Person>,
    text: String,
}

/// The members' user_ids, looked up for every participant of every call.
#[derive(Debug)]
enum Ids {
    /// Ids that lie close together (as a team's usually do): a table indexed by the id, one
    /// read a lookup. `u32::MAX` where no member has the id.
    Dense { min: i64, slots: Vec<u32> },
    /// Ids spread wide: the standard hash table, whose keyed hash no choice of ids can slow
    /// down.
    Spread(HashMap<i64, u32>),
}

impl Default for Ids {
    fn default() -> Self {
        Ids::Spread(HashMap::new())
    }
}

impl Ids {
    /// From (id, index) pairs in member order: the first index of each id is kept.
    fn new(pairs: &[(i64, u32)]) -> Ids {
        let (Some(min), Some(max)) = (
            pairs.iter().map(|&(id, _)| id).min(),
            pairs.iter().map(|&(id, _)| id).max(),
        ) else {
            return Ids::default();
        };
        // A table at most four slots a member (and a little): memory stays in proportion to
        // the team whatever the ids.
        let span = max.abs_diff(min);
        if span < (4 * pairs.len() as u64 + 64) {
            let mut slots = vec![u32::MAX; span as usize + 1];
            for &(id, index) in pairs.iter().rev() {
                slots[id.abs_diff(min) as usize] = index;
            }
            return Ids::Dense { min, slots };
        }
        let mut ids = HashMap::with_capacity(pairs.len());
        for &(id, index) in pairs {
            ids.entry(id).or_insert(index);
        }
        Ids::Spread(ids)
    }

    fn get(&self, id: i64) -> Option<u32> {
        match self {
            Ids::Dense { min, slots } => {
                let slot = *slots.get(usize::try_from(id.checked_sub(*min)?).ok()?)?;
                (slot != u32::MAX).then_some(slot)
            }
            Ids::Spread(ids) => ids.get(&id).copied(),
        }
    }
}

/// Where a member's name and email are in [`Roster::text`].
#[derive(Debug, Clone, Copy)]
struct Person {
    name: Place,
    email: Place,
    /// Whether the email passes the schema's email format.
    email_is_email: bool,
}

/// A string's start and length in [`Roster::text`]; `None` for a member without it.
type Place = Option<(u32, u32)>;

impl Roster {
    /// The roster of a `team_members` value; anything but an array lists nobody.
    pub fn new(members: Option<&Value>) -> Roster {
        let Some(Value::Array(members)) = members else {
            return Roster::default();
        };
        let mut roster = Roster {
            listed: true,
            by_user_id: Ids::default(),
            people: Vec::with_capacity(members.len()),
            text: String::new(),
        };
        let mut ids = Vec::with_capacity(members.len());
        for (index, member) in members.iter().enumerate() {
            let index = u32::try_from(index).unwrap_or(u32::MAX);
            if let Some(id) = user_id(member.get("user_id")) {
                ids.push((id, index));
            }
            let mut place = |field: &str| {
                let text = member.get(field).and_then(Value::as_str)?;
                let start = u32::try_from(roster.text.len()).ok()?;
                roster.text.push_str(text);
                Some((start, u32::try_from(text.len()).ok()?))
            };
            let (name, email) = (place("name"), place("email"));
            let email_is_email = roster.text(email).is_some_and(crate::formats::is_email);
            roster.people.push(Person {
                name,
                email,
                email_is_email,
            });
        }
        roster.by_user_id = Ids::new(&ids);
        roster
    }

    /// The index of the first member with this user_id.
    pub fn first_with(&self, id: i64) -> Option<usize> {
        self.by_user_id.get(id).map(|index| index as usize)
    }

    fn text(&self, place: Place) -> Option<&str> {
        let (start, length) = place?;
        self.text.get(start as usize..(start + length) as usize)
    }

    /// Which member a participant is, and whether its name and email are the member's.
    pub fn look_up(&self, participant: &ParticipantFacts<'_>) -> MemberLookup {
        let Some(index) = participant
            .user_id
            .as_ref()
            .and_then(integer)
            .and_then(|id| self.first_with(id))
        else {
            return MemberLookup::NotAMember;
        };
        let person = self.people[index];
        let name_differs = matches!(
            (participant.name.as_deref(), self.text(person.name)),
            (Some(said), Some(known)) if !crate::text::same_text(said, known)
        );
        let (said, known) = (participant.email.as_deref(), self.text(person.email));
        let email_differs =
            matches!((said, known), (Some(said), Some(known)) if !same_email(said, known));
        MemberLookup::Member {
            index,
            name_differs,
            email_differs,
            email_vouched: person.email_is_email && said.is_some() && said == known,
        }
    }
}

/// Whether two emails are the same without regard to case: without allocating when both are
/// ASCII, as nearly every address is.
fn same_email(a: &str, b: &str) -> bool {
    // Nearly always written alike: one comparison of bytes settles it.
    if a == b {
        return true;
    }
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        crate::text::same_text(&a.to_lowercase(), &b.to_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn participant(id: serde_json::Value, name: &str, email: &str) -> ParticipantFacts<'static> {
        ParticipantFacts {
            user_id: id.as_number().cloned(),
            name: Some(name.to_owned().into()),
            email: Some(email.to_owned().into()),
            ..ParticipantFacts::default()
        }
    }

    #[test]
    fn participants_are_found_by_the_first_member_with_their_user_id() {
        let members = json!([
            {"user_id": 7, "name": "Ann", "email": "ann@example.com"},
            "not a member",
            {"user_id": 7.0, "name": "Ann Two", "email": "ann2@example.com"},
            {"user_id": 9, "name": "Bo"},
        ]);
        let roster = Roster::new(Some(&members));
        assert!(roster.listed);
        assert_eq!(roster.first_with(7), Some(0));
        assert_eq!(roster.first_with(9), Some(3));
        let found = |p: &ParticipantFacts<'_>| roster.look_up(p);
        assert_eq!(
            found(&participant(json!(7.0), "Ann", "ANN@example.com")),
            MemberLookup::Member {
                index: 0,
                name_differs: false,
                email_differs: false,
                // Not byte for byte the member's: the format is checked again.
                email_vouched: false,
            }
        );
        assert_eq!(
            found(&participant(json!(7), "Ann", "ann@example.com")),
            MemberLookup::Member {
                index: 0,
                name_differs: false,
                email_differs: false,
                email_vouched: true,
            }
        );
        assert_eq!(
            found(&participant(json!(7), "Anne", "ann@example.org")),
            MemberLookup::Member {
                index: 0,
                name_differs: true,
                email_differs: true,
                email_vouched: false,
            }
        );
        // What the member lacks cannot differ.
        assert_eq!(
            found(&participant(json!(9), "Bo", "bo@example.com")),
            MemberLookup::Member {
                index: 3,
                name_differs: false,
                email_differs: false,
                email_vouched: false,
            }
        );
        assert_eq!(
            found(&participant(json!(8), "Cy", "cy@example.com")),
            MemberLookup::NotAMember
        );
        assert_eq!(
            found(&participant(json!("7"), "Ann", "ann@example.com")),
            MemberLookup::NotAMember
        );
        assert!(!Roster::new(Some(&json!({}))).listed);
        // Ids far apart, and at the ends of the 64-bit range, are found just the same.
        for ids in [[7, 9_000_000_000], [i64::MIN, i64::MAX], [-3, -1]] {
            let members = json!([
                {"user_id": ids[0]}, {"user_id": ids[1]}, {"user_id": ids[0]}
            ]);
            let roster = Roster::new(Some(&members));
            assert_eq!(roster.first_with(ids[0]), Some(0), "{ids:?}");
            assert_eq!(roster.first_with(ids[1]), Some(1), "{ids:?}");
            assert_eq!(roster.first_with(ids[0].wrapping_add(1)), None, "{ids:?}");
        }
        assert!(!Roster::new(None).listed);
    }

    #[test]
    fn emails_match_without_regard_to_case() {
        assert!(same_email("Ann@Example.com", "ann@example.COM"));
        assert!(same_email("ÅSA@example.com", "åsa@example.com"));
        assert!(!same_email("ann@example.com", "ann@example.co"));
    }
}
