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
    by_user_id: HashMap<i64, usize>,
    /// Each member's name and email, by index.
    people: Vec<(Option<String>, Option<String>)>,
}

impl Roster {
    /// The roster of a `team_members` value; anything but an array lists nobody.
    pub fn new(members: Option<&Value>) -> Roster {
        let Some(Value::Array(members)) = members else {
            return Roster::default();
        };
        let mut roster = Roster {
            listed: true,
            by_user_id: HashMap::with_capacity(members.len()),
            people: Vec::with_capacity(members.len()),
        };
        for (index, member) in members.iter().enumerate() {
            if let Some(id) = user_id(member.get("user_id")) {
                roster.by_user_id.entry(id).or_insert(index);
            }
            let text = |field: &str| member.get(field).and_then(Value::as_str).map(str::to_owned);
            roster.people.push((text("name"), text("email")));
        }
        roster
    }

    /// The index of the first member with this user_id.
    pub fn first_with(&self, id: i64) -> Option<usize> {
        self.by_user_id.get(&id).copied()
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
        let (name, email) = &self.people[index];
        let name_differs = matches!(
            (participant.name.as_deref(), name.as_deref()),
            (Some(said), Some(known)) if said != known
        );
        let email_differs = matches!(
            (participant.email.as_deref(), email.as_deref()),
            (Some(said), Some(known)) if !same_email(said, known)
        );
        MemberLookup::Member {
            index,
            name_differs,
            email_differs,
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
        a.to_lowercase() == b.to_lowercase()
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
                email_differs: false
            }
        );
        assert_eq!(
            found(&participant(json!(7), "Anne", "ann@example.org")),
            MemberLookup::Member {
                index: 0,
                name_differs: true,
                email_differs: true
            }
        );
        // What the member lacks cannot differ.
        assert_eq!(
            found(&participant(json!(9), "Bo", "bo@example.com")),
            MemberLookup::Member {
                index: 3,
                name_differs: false,
                email_differs: false
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
        assert!(!Roster::new(None).listed);
    }

    #[test]
    fn emails_match_without_regard_to_case() {
        assert!(same_email("Ann@Example.com", "ann@example.COM"));
        assert!(same_email("ÅSA@example.com", "åsa@example.com"));
        assert!(!same_email("ann@example.com", "ann@example.co"));
    }
}
