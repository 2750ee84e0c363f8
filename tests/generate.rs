//! The generator of report pairs: deterministic, valid as generated, and each planted defect
//! reported by tuple-report exactly where the generator says, and nothing else.

mod common;

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tuple_report::generate::{
    write_usage_report, write_user_report, Defect, GeneratedFile, Place, Planted, Spec, ANCHOR,
    SUPPORTED,
};
use tuple_report::internals::Stage;
use tuple_report::Rule;
use tuple_report::{Checker, Outcome};

fn spec(members: usize, calls: usize, seed: u64, defects: Vec<Defect>) -> Spec {
    Spec {
        members,
        calls,
        seed,
        defects,
    }
}

/// Both files, and the defects planted in them.
fn generate(spec: &Spec) -> (Vec<u8>, Vec<u8>, Vec<Planted>) {
    let mut usage = Vec::new();
    let mut users = Vec::new();
    let mut planted = write_usage_report(spec, &mut usage).expect("usage report");
    planted.extend(write_user_report(spec, &mut users).expect("user report"));
    (usage, users, planted)
}

/// A fresh directory of this test run.
fn temp_dir() -> PathBuf {
    static COUNT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "tuple-report-generate-{}-{}",
        std::process::id(),
        COUNT.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn checker(as_of: bool) -> Checker {
    // A file checked alone is checked alone on purpose here.
    let checker = Checker::new()
        .now(ANCHOR.parse::<DateTime<Utc>>().expect("ANCHOR is RFC 3339"))
        .allow(tuple_report::Rule::UnpairedReport);
    if as_of {
        checker.as_of(DateTime::parse_from_rfc3339(ANCHOR).expect("ANCHOR is RFC 3339"))
    } else {
        checker
    }
}

/// Writes the pair and checks the files given by `which` (usage, users or both).
struct Checked {
    usage: String,
    users: String,
    planted: Vec<Planted>,
    dir: PathBuf,
}

impl Checked {
    fn new(spec: &Spec) -> Checked {
        let (usage_bytes, users_bytes, planted) = generate(spec);
        let dir = temp_dir();
        let usage = dir.join("usage.json").to_string_lossy().into_owned();
        let users = dir.join("users.csv").to_string_lossy().into_owned();
        std::fs::write(&usage, usage_bytes).expect("write usage");
        std::fs::write(&users, users_bytes).expect("write users");
        Checked {
            usage,
            users,
            planted,
            dir,
        }
    }

    fn check(&self, files: &[&String], as_of: bool) -> Outcome {
        checker(as_of).check_paths(files).expect("readable")
    }

    fn pair(&self, as_of: bool) -> Outcome {
        self.check(&[&self.usage, &self.users], as_of)
    }

    fn path_of(&self, file: GeneratedFile) -> &str {
        match file {
            GeneratedFile::UsageReport => &self.usage,
            GeneratedFile::UserReport => &self.users,
        }
    }

    /// Every finding as (rule, file, line), sorted.
    fn findings(&self, outcome: &Outcome) -> Vec<(Rule, String, usize)> {
        common::findings(outcome)
            .into_iter()
            .map(|(rule, file, line, _)| (rule, file, line))
            .collect()
    }

    fn expected(&self) -> Vec<(Rule, String, usize)> {
        let mut expected: Vec<_> = self
            .planted
            .iter()
            .map(|p| (p.rule, self.path_of(p.file).to_owned(), p.line))
            .collect();
        expected.sort();
        expected
    }
}

impl Drop for Checked {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[test]
fn the_same_spec_gives_the_same_bytes() {
    let defects = vec![Defect::parse("empty-call@start").expect("supported")];
    let a = generate(&spec(40, 300, 11, defects.clone()));
    let b = generate(&spec(40, 300, 11, defects));
    assert!(a == b, "two runs of one spec differ");
    let c = generate(&spec(40, 300, 12, Vec::new()));
    assert_ne!(a.0, c.0, "another seed gives the same usage report");
    assert_ne!(a.1, c.1, "another seed gives the same user report");
}

#[test]
fn generated_pairs_are_valid() {
    for (members, calls, seed) in [
        (40, 300, 1),
        (3, 0, 2),
        (1, 0, 3),
        (2, 5, 5),
        (120, 2000, 6),
    ] {
        let checked = Checked::new(&spec(members, calls, seed, Vec::new()));
        assert!(checked.planted.is_empty());
        for as_of in [true, false] {
            let outcome = checked.pair(as_of);
            let found = checked.findings(&outcome);
            assert!(
                found.is_empty(),
                "{members} members, {calls} calls, seed {seed}, as-of {as_of}: {found:?}"
            );
            assert_eq!(outcome.pairs.len(), 1);
            assert_eq!(outcome.pairs[0].matched, Some(members));
        }
    }
}

/// A team of no one is no real download: both files say so, once each, and nothing else.
#[test]
fn an_empty_pair_fails_on_both_files() {
    let checked = Checked::new(&spec(0, 0, 4, Vec::new()));
    let found: Vec<Rule> = checked
        .findings(&checked.pair(true))
        .into_iter()
        .map(|(rule, _, _)| rule)
        .collect();
    assert_eq!(found, [Rule::NoTeamMembers, Rule::CsvNoRows]);
}

#[derive(Serialize, Deserialize)]
struct Report {
    team_members: Vec<Member>,
    calls: Vec<Call>,
}

#[derive(Serialize, Deserialize)]
struct Member {
    user_id: u64,
    name: String,
    email: String,
    last_sign_in: Option<String>,
    created_at: String,
    last_call_at: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct Call {
    call_id: String,
    participants: Vec<Participant>,
    duration_minutes: u64,
    started_at: String,
    ended_at: String,
}

#[derive(Serialize, Deserialize)]
struct Participant {
    user_id: u64,
    name: String,
    email: String,
    duration_minutes: u64,
}

fn time(text: &str) -> DateTime<Utc> {
    text.parse().expect("a timestamp")
}

#[test]
fn the_usage_report_is_pretty_printed_json_of_the_schema_s_shape() {
    for (members, calls) in [(40, 300), (3, 0), (0, 0), (60, 1000)] {
        let (usage, users, _) = generate(&spec(members, calls, 9, Vec::new()));
        let text = String::from_utf8(usage).expect("UTF-8");
        let report: Report = serde_json::from_str(&text).expect("the report's shape");
        assert_eq!(report.team_members.len(), members);
        assert_eq!(report.calls.len(), calls);
        let pretty = serde_json::to_string_pretty(&report).expect("serializes") + "\n";
        assert!(pretty == text, "not printed as serde_json prints it");

        let anchor = time(ANCHOR);
        let mut ids = std::collections::HashSet::new();
        let mut latest = std::collections::HashMap::new();
        let mut previous = None;
        for call in &report.calls {
            assert!(ids.insert(call.call_id.clone()), "{} twice", call.call_id);
            assert_eq!(call.call_id.as_bytes()[14], b'4', "{}", call.call_id);
            assert_eq!(call.call_id, call.call_id.to_lowercase());
            let (start, end) = (time(&call.started_at), time(&call.ended_at));
            assert!(previous.is_none_or(|p| p <= start), "calls out of order");
            previous = Some(start);
            assert!(
                start >= anchor - chrono::Days::new(170) && start < anchor - chrono::Days::new(1)
            );
            assert!((5..=120).contains(&call.duration_minutes));
            assert_eq!((end - start).num_minutes() as u64, call.duration_minutes);
            assert!((2..=4).contains(&call.participants.len()));
            for p in &call.participants {
                let member = &report.team_members[(p.user_id - 1001) as usize];
                assert_eq!((&p.name, &p.email), (&member.name, &member.email));
                assert!(p.duration_minutes <= call.duration_minutes);
                assert!(time(&member.created_at) < start);
                latest.insert(p.user_id, call.started_at.clone());
            }
        }
        let mut rows = std::str::from_utf8(&users)
            .expect("UTF-8")
            .split_terminator('\n');
        assert_eq!(
            rows.next(),
            Some("Email,Name,Last pairing session date,Account created date,Role")
        );
        let mut emails = std::collections::HashSet::new();
        for (m, member) in report.team_members.iter().enumerate() {
            assert_eq!(member.user_id, 1001 + m as u64);
            assert!(emails.insert(member.email.clone()));
            assert_eq!(
                member.last_call_at.as_ref(),
                latest.get(&member.user_id),
                "{}",
                member.user_id
            );
            let created = time(&member.created_at);
            if let Some(sign_in) = &member.last_sign_in {
                let sign_in = time(sign_in);
                assert!(sign_in >= created && sign_in < anchor);
                if let Some(last_call) = &member.last_call_at {
                    assert!(sign_in >= time(last_call));
                }
            }
            let row = rows.next().expect("a row per member");
            let rails = |t: &str| t.replace('T', " ").replace('Z', " UTC");
            let role = match m {
                0 => "Team Owner",
                _ if (m + 1) % 50 == 0 => "Team Manager",
                _ => "",
            };
            let expected = format!(
                "{},{},{},{},{role}",
                member.email,
                member.name,
                member
                    .last_call_at
                    .as_deref()
                    .map(rails)
                    .unwrap_or_default(),
                rails(&member.created_at)
            );
            assert_eq!(row, expected);
        }
        assert_eq!(rows.next(), None);
    }
}

/// The file a rule's finding is in.
fn file_of(rule: Rule) -> GeneratedFile {
    match rule.stage() {
        Stage::UserReport => GeneratedFile::UserReport,
        Stage::CrossCheck if rule != Rule::MissingFromCsv => GeneratedFile::UserReport,
        _ => GeneratedFile::UsageReport,
    }
}

#[test]
fn each_planted_defect_is_the_one_finding() {
    for &rule in SUPPORTED {
        for place in [Place::Start, Place::Middle, Place::End] {
            let defect = Defect { rule, place };
            let checked = Checked::new(&spec(30, 200, 7, vec![defect]));
            assert_eq!(checked.planted.len(), 1, "{defect}: {:?}", checked.planted);
            let planted = &checked.planted[0];
            assert_eq!(planted.rule, rule, "{defect}");
            assert_eq!(planted.file, file_of(rule), "{defect}");
            // Each file on its own: the cross-check's findings need both.
            for file in [&checked.usage, &checked.users] {
                let alone = checked.check(&[file], true);
                let expected: Vec<_> = checked
                    .expected()
                    .into_iter()
                    .filter(|(rule, path, _)| path == file && rule.stage() != Stage::CrossCheck)
                    .collect();
                assert_eq!(checked.findings(&alone), expected, "{defect}, {file} alone");
            }
            for as_of in [true, false] {
                let expected = checked.expected();
                let found = checked.findings(&checked.pair(as_of));
                assert_eq!(found, expected, "{defect}, the pair, as-of {as_of}");
            }
        }
    }
}

#[test]
fn many_defects_at_once_each_find_an_element_of_their_own() {
    let mut defects = Vec::new();
    for place in [Place::Start, Place::Middle, Place::End] {
        defects.extend(SUPPORTED.iter().map(|&rule| Defect { rule, place }));
    }
    let checked = Checked::new(&spec(200, 1500, 3, defects.clone()));
    assert_eq!(checked.planted.len(), defects.len());
    assert_eq!(checked.findings(&checked.pair(true)), checked.expected());
}

#[test]
fn impossible_specs_are_refused() {
    let mut sink = Vec::new();
    let refused = |spec: &Spec, sink: &mut Vec<u8>| {
        let usage = write_usage_report(spec, sink)
            .map(|_| ())
            .map_err(|e| e.kind());
        let users = write_user_report(spec, sink)
            .map(|_| ())
            .map_err(|e| e.kind());
        assert_eq!(usage, users);
        usage == Err(std::io::ErrorKind::InvalidInput)
    };
    assert!(refused(&spec(0, 5, 1, Vec::new()), &mut sink));
    let twice = Defect::parse("duplicate-call-id").expect("supported");
    assert!(refused(&spec(5, 1, 1, vec![twice]), &mut sink));
    assert!(!refused(&spec(5, 2, 1, vec![twice]), &mut sink));
    assert!(refused(&spec(5, 3, 1, vec![twice, twice]), &mut sink));
    let user_id = Defect::parse("duplicate-user-id@start").expect("supported");
    assert!(refused(&spec(2, 3, 1, vec![user_id]), &mut sink));
    assert!(!refused(&spec(3, 3, 1, vec![user_id]), &mut sink));
}

/// The output of a spec is pinned: benchmarks and tests elsewhere rely on it being the same on
/// every machine and in every version. Change these only for an intended change of the data.
#[test]
fn the_output_is_pinned() {
    use sha2::{Digest, Sha256};
    let (usage, users, _) = generate(&spec(40, 300, 1, Vec::new()));
    let usage_text = String::from_utf8(usage.clone()).expect("UTF-8");
    assert!(
        usage_text.starts_with(
            r#"{
  "team_members": [
    {
      "user_id": 1001,
      "name": "Emeka Sorensen",
      "email": "emeka.sorensen1@example.com",
      "last_sign_in": "2026-10-31T20:49:36Z",
      "created_at": "2024-04-20T11:20:25Z",
      "last_call_at": "2026-10-30T13:50:52Z"
    },"#
        ),
        "{}",
        &usage_text[..400]
    );
    assert_eq!(
        format!("{:x}", Sha256::digest(&usage)),
        "ce33e63c3508a59e59c31115d11788c0ea5a9f474f871dc73a47a057bc2c7eb3"
    );
    assert_eq!(
        format!("{:x}", Sha256::digest(&users)),
        "9673b0e10d866b0b89da740f65241756bdd4f835d8facba3b39b0dc4b44abf97"
    );
}

/// A report large enough to be mapped rather than read (over 16 MB), with its pages given
/// back behind the parser and its calls built on every core: defects planted at the start,
/// the middle and the end are each reported, alone, at the line where they were planted.
#[test]
fn a_large_report_reports_defects_planted_at_its_start_middle_and_end() {
    let defects = vec![
        Defect {
            rule: Rule::CallEndsBeforeStart,
            place: Place::Start,
        },
        Defect {
            rule: Rule::EmptyCall,
            place: Place::Middle,
        },
        Defect {
            rule: Rule::SchemaFormat,
            place: Place::End,
        },
        Defect {
            rule: Rule::DuplicateCallId,
            place: Place::End,
        },
    ];
    let checked = Checked::new(&spec(1_000, 32_000, 11, defects));
    let size = std::fs::metadata(&checked.usage).expect("written").len();
    assert!(
        size > 16 << 20,
        "the report is only {size} bytes: too small to be mapped"
    );
    assert_eq!(checked.planted.len(), 4);
    for as_of in [true, false] {
        assert_eq!(
            checked.findings(&checked.pair(as_of)),
            checked.expected(),
            "as-of {as_of}"
        );
    }
}
