//! Words a customer understands for the places a JSON Pointer names.
//!
//! Numbers are 1-based ("team member 4" is `/team_members/3`): people count from one, and the
//! pointer is printed beside the message for those who count from zero.

use serde_json::Value;

use crate::text::personal::json_string;
use crate::text::quote;

/// "team member 4 (user_id 504)", or "team member 4" when the id is not an integer.
pub fn member(index: usize, user_id: Option<&Value>) -> String {
    match user_id.and_then(id_text) {
        Some(id) => format!("team member {} (user_id {id})", index + 1),
        None => format!("team member {}", index + 1),
    }
}

/// "call 5 (call_id 3f2b…)", or "call 5" when it has no call_id string.
pub fn call(index: usize, call_id: Option<&str>) -> String {
    match call_id {
        Some(id) if crate::formats::is_uuid(id) => {
            format!("call {} (call_id {id})", index + 1)
        }
        Some(id) => format!("call {} (call_id {})", index + 1, quote(id)),
        None => format!("call {}", index + 1),
    }
}

/// "participant 2 (user_id 504) of call 5".
pub fn participant(call_index: usize, index: usize, user_id: Option<&Value>) -> String {
    match user_id.and_then(id_text) {
        Some(id) => format!(
            "participant {} (user_id {id}) of call {}",
            index + 1,
            call_index + 1
        ),
        None => format!("participant {} of call {}", index + 1, call_index + 1),
    }
}

fn id_text(id: &Value) -> Option<String> {
    match id {
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The thing a pointer is about and the property path below it, if any: for
/// `/team_members/3/email`, ("team member 4 (user_id 504)", Some("email")).
///
/// `members` is the `team_members` array and `call` the call the pointer is in, when known;
/// they supply the ids that make a place recognisable.
pub fn place(
    tokens: &[String],
    members: Option<&Value>,
    call_value: Option<&Value>,
) -> (String, Option<String>) {
    let index = |token: &String| token.parse::<usize>().ok();
    let rest =
        |from: usize| -> Option<String> { (tokens.len() > from).then(|| tokens[from..].join("/")) };
    match tokens {
        [section, i, ..] if section == "team_members" && index(i).is_some() => {
            let i = index(i).unwrap_or_default();
            let id = members
                .and_then(|m| m.get(i))
                .and_then(|m| m.get("user_id"));
            (member(i, id), rest(2))
        }
        [section, c, participants, p, ..]
            if section == "calls"
                && participants == "participants"
                && index(c).is_some()
                && index(p).is_some() =>
        {
            let (c, p) = (index(c).unwrap_or_default(), index(p).unwrap_or_default());
            let id = call_value
                .and_then(|v| v.get("participants"))
                .and_then(|ps| ps.get(p))
                .and_then(|p| p.get("user_id"));
            (participant(c, p, id), rest(4))
        }
        [section, c, ..] if section == "calls" && index(c).is_some() => {
            let c = index(c).unwrap_or_default();
            (
                call(
                    c,
                    call_value
                        .and_then(|v| v.get("call_id"))
                        .and_then(Value::as_str),
                ),
                rest(2),
            )
        }
        _ => ("the report".to_owned(), rest(0)),
    }
}

/// What a value is, in words, with a short preview: `a string ("504")`, `null`, `an object`;
/// `field` is the property path it stands at below a member, call or participant, by which a
/// string is marked as personal ([`crate::text::personal::json_string`]).
pub fn kind_of(value: &Value, field: Option<&str>) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("a boolean ({b})"),
        Value::Number(n) if n.is_f64() => format!("a number ({n})"),
        Value::Number(n) => format!("an integer ({n})"),
        Value::String(s) => format!("a string ({})", json_string(field, s)),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

/// A JSON Schema type name in words: "integer" → "an integer".
pub fn type_name(name: &str) -> String {
    match name {
        "integer" | "object" | "array" => format!("an {name}"),
        "null" => "null".into(),
        other => format!("a {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn tokens(pointer: &str) -> Vec<String> {
        crate::text::pointer_tokens(pointer)
    }

    #[test]
    fn places_name_members_calls_and_participants() {
        let members = json!([{"user_id": 501}, {"user_id": "x"}]);
        let call_value = json!({"call_id": "call-7", "participants": [{"user_id": 9}]});
        let describe = |p: &str| place(&tokens(p), Some(&members), Some(&call_value));
        assert_eq!(
            describe("/team_members/0/email"),
            ("team member 1 (user_id 501)".into(), Some("email".into()))
        );
        assert_eq!(describe("/team_members/1"), ("team member 2".into(), None));
        assert_eq!(
            describe("/calls/4"),
            ("call 5 (call_id \"call-7\")".into(), None)
        );
        assert_eq!(
            describe("/calls/4/participants/0/name"),
            (
                "participant 1 (user_id 9) of call 5".into(),
                Some("name".into())
            )
        );
        assert_eq!(
            describe("/calls/4/participants"),
            (
                "call 5 (call_id \"call-7\")".into(),
                Some("participants".into())
            )
        );
        assert_eq!(describe(""), ("the report".into(), None));
        assert_eq!(
            describe("/team_members"),
            ("the report".into(), Some("team_members".into()))
        );
    }

    #[test]
    fn kinds_preview_values_safely() {
        let field = Some("user_id");
        assert_eq!(
            kind_of(&json!("a\u{1b}b"), field),
            "a string (\"a\\u{1b}b\")"
        );
        assert_eq!(kind_of(&json!(12.5), field), "a number (12.5)");
        assert_eq!(kind_of(&json!(null), field), "null");
        // A string where a member should be may be a person's name: it is marked.
        let mut whole = kind_of(&json!("Ana Lima"), None);
        crate::text::personal::resolve(&mut whole, true);
        assert!(whole.starts_with("a string ([text "), "{whole}");
    }
}
