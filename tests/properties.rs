//! Properties over generated reports (proptest): a valid report reports nothing; one field
//! removed or retyped is reported exactly where it is; a planted defect is the only finding,
//! at its line; and any byte-level mutation of a report still gets an answer in every output
//! format, never a panic.

mod common;

use common::findings;
use proptest::prelude::*;
use serde_json::{json, Value};
use tuple_report::generate::{
    write_usage_report, write_user_report, Defect, GeneratedFile, Place, Spec, ANCHOR, SUPPORTED,
};
use tuple_report::Format;
use tuple_report::Outcome;
use tuple_report::{Checker, Rule};

/// `unpaired-report` is allowed: some properties check a usage report alone on purpose.
fn checker() -> Checker {
    Checker::new()
        .as_of(ANCHOR.parse().expect("ANCHOR is RFC 3339"))
        .allow(Rule::UnpairedReport)
}

type Generated = (Vec<u8>, Vec<u8>, Vec<tuple_report::generate::Planted>);

/// Both files and the defects planted; an error when the report is too small for them.
fn try_generate(spec: &Spec) -> std::io::Result<Generated> {
    let (mut usage, mut users) = (Vec::new(), Vec::new());
    let mut planted = write_usage_report(spec, &mut usage)?;
    planted.extend(write_user_report(spec, &mut users)?);
    Ok((usage, users, planted))
}

fn generate(spec: &Spec) -> Generated {
    try_generate(spec).expect("generated")
}

fn config(cases: u32) -> ProptestConfig {
    common::proptest_config(cases, 0x7475_706c_6521)
}

fn check_pair(usage: &[u8], users: &[u8]) -> Outcome {
    checker().check_bytes(&[("usage.json", usage), ("users.csv", users)])
}

fn spec() -> impl Strategy<Value = Spec> {
    (1usize..25, 0usize..40, any::<u64>()).prop_map(|(members, calls, seed)| Spec {
        members,
        calls,
        seed,
        defects: Vec::new(),
    })
}

/// What a schema requires where, and which of those fields, lost, leave other rules
/// something to say: a member without a user_id leaves its calls' participants unknown, a
/// call without participants or times may have been a member's last call.
const MEMBER: &[(&str, bool)] = &[
    ("user_id", true),
    ("name", false),
    ("email", false),
    ("created_at", false),
];
const CALL: &[(&str, bool)] = &[
    ("call_id", false),
    ("participants", true),
    ("duration_minutes", false),
    ("started_at", true),
    ("ended_at", true),
];
const PARTICIPANT: &[(&str, bool)] = &[
    ("user_id", true),
    ("name", false),
    ("email", false),
    ("duration_minutes", false),
];

/// The rules that may follow from a lost user_id, participant list or call time.
const KNOCK_ON: &[Rule] = &[
    Rule::UnknownParticipant,
    // A member without their user_id: their calls' participants have the member's email
    // and an id no member has.
    Rule::ParticipantMismatch,
    Rule::LastCallUnmatched,
    Rule::LastCallStale,
];

/// A value of a type the schema does not allow for `field`.
fn wrong_type(field: &str) -> Value {
    match field {
        "user_id" | "duration_minutes" => json!("7"),
        "participants" => json!({}),
        _ => json!(7),
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn a_valid_report_reports_nothing(spec in spec()) {
        let (usage, users, planted) = generate(&spec);
        prop_assert!(planted.is_empty());
        let outcome = check_pair(&usage, &users);
        prop_assert_eq!(findings(&outcome), vec![]);
    }

    #[test]
    fn one_field_removed_or_retyped_is_reported_where_it_is(
        spec in spec(),
        place in 0usize..3,
        pick in any::<prop::sample::Index>(),
        element in any::<prop::sample::Index>(),
        retype in any::<bool>(),
    ) {
        let (usage, _, _) = generate(&spec);
        let mut report: Value = serde_json::from_slice(&usage).unwrap();
        let calls = report["calls"].as_array().map_or(0, Vec::len);
        // The object to change, its pointer, and the field.
        let (pointer, (field, knocks_on)) = match place {
            1 if calls > 0 => (format!("/calls/{}", element.index(calls)), *pick.get(CALL)),
            2 if calls > 0 => {
                let c = element.index(calls);
                let count = report["calls"][c]["participants"].as_array().map_or(0, Vec::len);
                if count == 0 {
                    return Ok(());
                }
                (format!("/calls/{c}/participants/{}", element.index(count)), *pick.get(PARTICIPANT))
            }
            _ => (format!("/team_members/{}", element.index(spec.members)), *pick.get(MEMBER)),
        };
        let object = report.pointer_mut(&pointer).unwrap().as_object_mut().unwrap();
        let expected = if retype {
            object.insert(field.to_owned(), wrong_type(field));
            (Rule::SchemaType, format!("{pointer}/{field}"))
        } else {
            object.remove(field);
            (Rule::SchemaRequired, pointer.clone())
        };
        let text = report.to_string();
        let outcome = checker().check_bytes(&[("usage.json", text.as_bytes())]);
        let found: Vec<(Rule, String)> = findings(&outcome)
            .into_iter()
            .map(|(rule, _, _, pointer)| (rule, pointer))
            .collect();
        let (schema, others): (Vec<_>, Vec<_>) = found
            .iter()
            .cloned()
            .partition(|(rule, _)| rule.id().starts_with("schema-"));
        prop_assert_eq!(schema, vec![expected.clone()], "{}", field);
        if knocks_on {
            for (rule, _) in &others {
                prop_assert!(KNOCK_ON.contains(rule), "{:?} after {:?}", rule, expected);
            }
        } else {
            prop_assert_eq!(others, vec![]);
        }
    }

    #[test]
    fn a_planted_defect_is_the_only_finding_at_its_line(
        spec in spec(),
        rule in prop::sample::select(SUPPORTED),
        place in prop::sample::select(&[Place::Start, Place::Middle, Place::End][..]),
    ) {
        let spec = Spec { defects: vec![Defect { rule, place }], ..spec };
        // Some defects need more calls or members than the report has.
        let generated = try_generate(&spec);
        prop_assume!(generated.is_ok());
        let (usage, users, planted) = generated.unwrap();
        let outcome = check_pair(&usage, &users);
        let found: Vec<(Rule, String, usize)> = findings(&outcome)
            .into_iter()
            .map(|(rule, file, line, _)| (rule, file, line))
            .collect();
        let expected: Vec<(Rule, String, usize)> = planted
            .iter()
            .map(|p| {
                let file = match p.file {
                    GeneratedFile::UsageReport => "usage.json",
                    GeneratedFile::UserReport => "users.csv",
                };
                (p.rule, file.to_owned(), p.line)
            })
            .collect();
        prop_assert_eq!(found, expected);
    }
}

/// One byte-level change: a byte flipped, inserted or deleted, a run cut out or repeated,
/// or the end cut off.
#[derive(Clone, Debug)]
enum Mutation {
    Flip(prop::sample::Index, u8),
    Insert(prop::sample::Index, u8),
    Delete(prop::sample::Index),
    Repeat(prop::sample::Index, usize),
    Cut(prop::sample::Index, usize),
    Truncate(prop::sample::Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<prop::sample::Index>(), any::<u8>()).prop_map(|(i, b)| Mutation::Flip(i, b)),
        (any::<prop::sample::Index>(), any::<u8>()).prop_map(|(i, b)| Mutation::Insert(i, b)),
        any::<prop::sample::Index>().prop_map(Mutation::Delete),
        (any::<prop::sample::Index>(), 1usize..200).prop_map(|(i, n)| Mutation::Repeat(i, n)),
        (any::<prop::sample::Index>(), 1usize..200).prop_map(|(i, n)| Mutation::Cut(i, n)),
        any::<prop::sample::Index>().prop_map(Mutation::Truncate),
    ]
}

fn apply(bytes: &mut Vec<u8>, mutation: &Mutation) {
    if bytes.is_empty() {
        return;
    }
    let len = bytes.len();
    match mutation {
        Mutation::Flip(i, b) => bytes[i.index(len)] ^= b | 1,
        Mutation::Insert(i, b) => bytes.insert(i.index(len + 1), *b),
        Mutation::Delete(i) => {
            bytes.remove(i.index(len));
        }
        Mutation::Repeat(i, n) => {
            let start = i.index(len);
            let run = bytes[start..(start + n).min(len)].to_vec();
            bytes.splice(start..start, run);
        }
        Mutation::Cut(i, n) => {
            let start = i.index(len);
            bytes.drain(start..(start + n).min(len));
        }
        Mutation::Truncate(i) => bytes.truncate(i.index(len)),
    }
}

proptest! {
    #![proptest_config(config(1024))]

    #[test]
    fn any_mutation_gets_an_answer_in_every_format(
        spec in (1usize..8, 0usize..10, any::<u64>()).prop_map(|(members, calls, seed)| Spec {
            members, calls, seed, defects: Vec::new()
        }),
        usage_mutations in prop::collection::vec(mutation(), 0..4),
        users_mutations in prop::collection::vec(mutation(), 0..4),
    ) {
        let (mut usage, mut users, _) = generate(&spec);
        for m in &usage_mutations {
            apply(&mut usage, m);
        }
        for m in &users_mutations {
            apply(&mut users, m);
        }
        let outcome = check_pair(&usage, &users);
        // Every finding stands somewhere in its file, or at the file as a whole.
        for d in outcome.diagnostics() {
            prop_assert!(d.primary.file == "usage.json" || d.primary.file == "users.csv");
        }
        let json: Value = serde_json::from_str(&outcome.render(Format::Json)).expect("JSON output");
        prop_assert_eq!(
            json["diagnostics"].as_array().map(Vec::len),
            Some(outcome.diagnostics().count())
        );
        let sarif: Value = serde_json::from_str(&outcome.render(Format::Sarif)).expect("SARIF");
        prop_assert_eq!(&sarif["version"], "2.1.0");
        let junit = outcome.render(Format::Junit);
        prop_assert!(roxmltree::Document::parse(&junit).is_ok(), "{}", junit);
        for line in outcome.render(Format::Github).lines() {
            prop_assert!(line.starts_with("::") || line.starts_with("tuple-report:"), "{}", line);
        }
        let human = outcome.render(Format::Human);
        prop_assert!(!human.contains('\u{1b}'), "no escape sequence without --color");
    }
}

proptest! {
    #![proptest_config(config(32))]

    /// The binary itself: whatever the mutation, it exits 0, 1 or 2 (never by a signal or
    /// a panic's 101) and `--format json` parses.
    #[test]
    fn any_mutation_exits_0_1_or_2_with_json_that_parses(
        seed in any::<u64>(),
        mutations in prop::collection::vec(mutation(), 1..6),
        csv in any::<bool>(),
    ) {
        let spec = Spec { members: 4, calls: 6, seed, defects: Vec::new() };
        let (usage, users, _) = generate(&spec);
        let (name, mut bytes) = if csv { ("users.csv", users) } else { ("usage.json", usage) };
        for m in &mutations {
            apply(&mut bytes, m);
        }
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("mutations");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{seed}-{name}"));
        std::fs::write(&path, &bytes).unwrap();
        let output = assert_cmd::Command::cargo_bin("tuple-report")
            .unwrap()
            .args(["check", "--format", "json"])
            .arg(&path)
            .timeout(std::time::Duration::from_secs(30))
            .output()
            .unwrap();
        let _ = std::fs::remove_file(&path);
        prop_assert!(matches!(output.status.code(), Some(0..=2)), "{:?}", output.status);
        let parsed: Result<Value, _> = serde_json::from_slice(&output.stdout);
        prop_assert!(parsed.is_ok(), "{}", String::from_utf8_lossy(&output.stdout));
    }
}

/// The pair checked the fast way (the report split as bytes, calls read on a tape) or the
/// careful way (serde_json reads the whole report), as JSON output: the same findings at the
/// same places, pointers and counts.
///
/// And each of them on one thread (as a small report is) or on the worker and rules threads
/// (as a large one is): issue 15.
fn every_way(usage: &[u8], users: &[u8]) -> [String; 4] {
    let run = |careful_only: bool, threads: bool| {
        let anchor: chrono::DateTime<chrono::FixedOffset> = ANCHOR.parse().expect("RFC 3339");
        let mut checker = Checker::new().as_of(anchor);
        if careful_only {
            checker = checker.careful_only();
        }
        if threads {
            checker = checker.threads_always();
        }
        checker
            .check_bytes(&[("usage.json", usage), ("users.csv", users)])
            .render(Format::Json)
    };
    [
        run(false, false),
        run(true, false),
        run(false, true),
        run(true, true),
    ]
}

proptest! {
    #![proptest_config(config(256))]

    /// Issue 14: the fast path's equality with the careful one, over generated reports with
    /// a planted defect and byte-mutated ones, not four hand-written inputs.
    #[test]
    fn the_fast_and_the_careful_way_give_the_same_outcome(
        spec in spec(),
        rule in prop::sample::select(SUPPORTED),
        place in prop::sample::select(&[Place::Start, Place::Middle, Place::End][..]),
        mutations in prop::collection::vec(mutation(), 0..3),
    ) {
        let spec = Spec { defects: vec![Defect { rule, place }], ..spec };
        let (mut usage, users, _) = match try_generate(&spec) {
            Ok(generated) => generated,
            Err(_) => generate(&Spec { defects: Vec::new(), ..spec }),
        };
        for m in &mutations {
            apply(&mut usage, m);
        }
        let [fast, careful, fast_threads, careful_threads] = every_way(&usage, &users);
        prop_assert_eq!(&fast, &careful);
        prop_assert_eq!(&fast, &fast_threads);
        prop_assert_eq!(&fast, &careful_threads);
    }
}
