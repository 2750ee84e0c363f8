//! Rules about one team member at a time.

use serde_json::Value;

use super::diags;
use super::facts::{timestamp, user_id, LastCall, MemberFacts, Tally};
use super::ReportRules;

impl ReportRules<'_, '_> {
    pub(super) fn member(&mut self, index: usize, member: &Value) {
        let pointer = format!("/team_members/{index}");
        let id_value = member.get("user_id");
        let name = member.get("name").and_then(Value::as_str);
        let email = member.get("email").and_then(Value::as_str);

        if let Some(id) = user_id(id_value) {
            if let Some(first) = self.roster.first_with(id).filter(|&first| first != index) {
                self.out
                    .push(diags::duplicate_user_id(self.file, index, first, id));
            }
        }
        if let Some(email) = email {
            match self.emails.get(&email.to_lowercase()) {
                Some(&first) => {
                    let first_email = self.members[first].email.as_deref().unwrap_or(email);
                    self.out.push(diags::duplicate_email(
                        self.file,
                        index,
                        first,
                        id_value,
                        email,
                        first_email,
                    ))
                }
                None => {
                    self.emails.insert(email.to_lowercase(), index);
                }
            }
        }

        let created_at = timestamp(member.get("created_at"));
        for field in ["last_sign_in", "created_at", "last_call_at"] {
            if let Some((time, text)) = timestamp(member.get(field)) {
                self.note_time(
                    || pointer.clone(),
                    field,
                    || crate::describe::member(index, id_value),
                    time,
                    text,
                );
                if let (Some((created, created_text)), true) = (created_at, field != "created_at") {
                    if time < created {
                        self.out.push(diags::member_before_account_created(
                            self.file,
                            index,
                            id_value,
                            field,
                            text,
                            created_text,
                        ));
                    }
                }
            }
        }

        let last_call = LastCall::read(member.get("last_call_at"));
        self.tallies.push(Tally {
            created_at: created_at.map(|(time, _)| time),
            last_call_at: match &last_call {
                LastCall::At(time, _) => Some(*time),
                _ => None,
            },
            ..Tally::default()
        });
        self.members.push(MemberFacts {
            user_id: id_value.cloned(),
            name: name.map(str::to_owned),
            email: email.map(str::to_owned),
            created_at: created_at.map(|(time, text)| (time, text.to_owned())),
            last_call,
            latest_call: None,
            calls: 0,
            minutes: 0,
            last_call_matched: false,
        });
    }
}
