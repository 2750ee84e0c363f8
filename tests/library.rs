//! The library API a test suite would use: `Checker`, and the outcome's renderers.

mod common;

use common::FORMATS;
use tuple_report::{Checker, Rule};
use tuple_report::{Output, RenderOptions, Severity};

/// Most of these check files that are alone on purpose: `unpaired-report` is allowed.
fn checker() -> Checker {
    Checker::new()
        .as_of("2026-11-23T12:00:00Z".parse().unwrap())
        .allow(Rule::UnpairedReport)
}

#[test]
fn paths_pair_and_cross_check() {
    let outcome = checker()
        .check_paths(&[
            "tests/fixtures/name-mismatch/usage.json",
            "tests/fixtures/name-mismatch/users.csv",
        ])
        .unwrap();
    assert_eq!(outcome.pairs.len(), 1);
    let rules: Vec<Rule> = outcome.diagnostics().map(|d| d.rule).collect();
    assert_eq!(rules, [Rule::NameMismatch]);
}

#[test]
fn bytes_are_checked_under_the_names_given_and_pair_as_asked() {
    let usage = std::fs::read("tests/fixtures/valid.json").unwrap();
    let users = std::fs::read("tests/fixtures/name-mismatch/users.csv").unwrap();
    let other = std::fs::read("tests/fixtures/empty-call.json").unwrap();
    let files = [
        ("a.json", usage.as_slice()),
        ("b.csv", users.as_slice()),
        ("c.json", other.as_slice()),
    ];
    let outcome = checker().pair("a.json", "b.csv").check_bytes(&files);
    assert_eq!(outcome.pairs.len(), 1);
    assert_eq!(
        (
            outcome.pairs[0].usage_report.as_str(),
            outcome.pairs[0].user_report.as_str()
        ),
        ("a.json", "b.csv")
    );
    let found: Vec<(Rule, &str)> = outcome
        .diagnostics()
        .map(|d| (d.rule, d.primary.file.as_str()))
        .collect();
    assert_eq!(
        found,
        [(Rule::NameMismatch, "b.csv"), (Rule::EmptyCall, "c.json")]
    );
}

#[test]
fn rule_levels_and_unreadable_paths() {
    let outcome = checker()
        .deny(Rule::EmptyCall)
        .check_paths(&["tests/fixtures/empty-call.json"])
        .unwrap();
    assert_eq!(outcome.worst(), Some(tuple_report::Severity::Error));
    let outcome = checker()
        .allow(Rule::EmptyCall)
        .check_paths(&["tests/fixtures/empty-call.json"])
        .unwrap();
    assert_eq!(outcome.worst(), None);
    // What cannot be read is in the outcome, beside what could be checked.
    let outcome = checker()
        .check_paths(&["no/such.json", "tests/fixtures/empty-call.json"])
        .unwrap();
    assert!(!outcome.checked_everything());
    assert_eq!(outcome.unreadable.len(), 1);
    assert_eq!(outcome.unreadable[0].path, "no/such.json");
    assert_eq!(outcome.files.len(), 1);
    // A pair naming a path not checked is the error.
    let error = checker()
        .pair(
            "tests/fixtures/valid.json",
            "tests/fixtures/valid--pair/users.csv",
        )
        .check_paths(&["tests/fixtures/valid.json"])
        .expect_err("the CSV is not among the paths");
    insta::assert_snapshot!(error, @"--pair names tests/fixtures/valid--pair/users.csv, which is not among the paths to check: give it (or its folder) too");
}

/// The library reads paths as the command line does: folders walked, a file named twice
/// checked once, pairs matched whatever the spelling.
#[test]
fn paths_are_gathered_as_on_the_command_line() {
    let outcome = Checker::new()
        .as_of("2026-11-23T12:00:00Z".parse().unwrap())
        .pair(
            "./tests/fixtures/valid--pair/users.csv",
            "tests/fixtures/valid.json",
        )
        .check_paths(&[
            "tests/fixtures/valid.json",
            "./tests/fixtures/valid.json",
            "tests/fixtures/valid--pair/users.csv",
        ])
        .unwrap();
    assert!(outcome.checked_everything());
    assert_eq!(outcome.files.len(), 2);
    assert_eq!(outcome.pairs.len(), 1);
    assert_eq!(outcome.pairs[0].matched, Some(3));
    assert_eq!(outcome.diagnostics().count(), 0);
}

#[test]
fn renders_are_the_same_bytes_every_time() {
    let render = || {
        let outcome = checker()
            .check_paths(&[
                "samples/defective/usage.json",
                "samples/defective/users.csv",
            ])
            .unwrap();
        FORMATS.map(|f| outcome.render(f))
    };
    assert_eq!(render(), render());
}

/// A report is split as bytes and each part checked to be UTF-8 only where it is parsed (no
/// pass over the whole file first): a bad byte in any part, the members, a call, the top
/// level, between two calls or in a key, must still be the one json-encoding finding, where
/// the byte is, and nothing else.
#[test]
fn a_byte_that_is_not_utf8_is_found_in_whichever_part_holds_it() {
    let valid = std::fs::read_to_string("tests/fixtures/valid.json").unwrap();
    let places = [
        ("a member's name", valid.find("\"name\"").unwrap() + 9),
        ("a call's id", valid.rfind("\"call_id\"").unwrap() + 13),
        (
            "a participant's email",
            valid.rfind("\"email\"").unwrap() + 11,
        ),
        ("the last byte", valid.trim_end().len() - 1),
    ];
    for (part, at) in places {
        let mut bytes = valid.clone().into_bytes();
        bytes[at] = 0xE9; // Latin-1's é
        let outcome = checker().check_bytes(&[("usage.json", bytes.as_slice())]);
        let found: Vec<(Rule, usize)> = outcome
            .diagnostics()
            .map(|d| (d.rule, d.primary.start.as_ref().map_or(0, |p| p.line)))
            .collect();
        let line = valid[..at].matches('\n').count() + 1;
        assert_eq!(found, [(Rule::JsonEncoding, line)], "a bad byte in {part}");
    }
}

/// Regression (issue 12): without --as-of, the newest timestamps of a fresh download were
/// future-timestamp on a machine whose clock is some hours behind. The clock gets a day.
#[test]
fn a_clock_some_hours_behind_sees_no_future() {
    let now: chrono::DateTime<chrono::Utc> = "2026-11-23T12:00:00Z".parse().unwrap();
    let report = |created: &str| {
        format!(
            r#"{{"team_members": [{{"user_id": 1, "name": "Ana", "email": "ana@example.com",
            "created_at": "{created}", "last_call_at": null}}], "calls": []}}"#
        )
    };
    let rules = |created: &str| -> Vec<Rule> {
        Checker::new()
            .now(now)
            .check_bytes(&[("usage.json", report(created).as_bytes())])
            .diagnostics()
            .map(|d| d.rule)
            .filter(|rule| *rule != Rule::UnpairedReport)
            .collect()
    };
    assert_eq!(rules("2026-11-23T21:00:00Z"), []);
    assert_eq!(rules("2026-11-24T11:59:59Z"), []);
    assert_eq!(rules("2026-11-24T12:00:01Z"), [Rule::FutureTimestamp]);
}

/// Regression (issue 14): with `calls` before `team_members` (valid JSON, read the careful
/// way), the cap kept the first findings made, the members', not the first in the file, the
/// calls'. The cap is now applied once the findings are in file order.
#[test]
fn the_cap_keeps_the_first_findings_in_the_file() {
    let call = |i: usize| {
        format!(
            r#"    {{"call_id": "00000000-0000-4000-8000-{i:012}", "participants": [],
      "duration_minutes": 0, "started_at": "2099-01-01T00:00:00Z", "ended_at": "2099-01-01T00:00:00Z"}}"#
        )
    };
    let member = |i: usize| {
        format!(
            r#"    {{"user_id": {i}, "name": "M{i}", "email": "m{i}@example.com",
      "created_at": "2099-01-01T00:00:00Z", "last_call_at": null}}"#
        )
    };
    let calls: Vec<String> = (0..12).map(call).collect();
    let members: Vec<String> = (0..12).map(member).collect();
    let report = format!(
        "{{\n  \"calls\": [\n{}\n  ],\n  \"team_members\": [\n{}\n  ]\n}}\n",
        calls.join(",\n"),
        members.join(",\n")
    );
    let outcome = Checker::new()
        .now("2026-11-23T12:00:00Z".parse().unwrap())
        .max_per_rule(10)
        .check_bytes(&[("usage.json", report.as_bytes())]);
    let file = &outcome.files[0];
    let shown: Vec<String> = file
        .diagnostics
        .iter()
        .filter(|d| d.rule == Rule::FutureTimestamp)
        .map(|d| d.primary.pointer().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(shown.len(), 10, "{shown:?}");
    assert!(
        shown.iter().all(|p| p.starts_with("/calls/")),
        "the first ten in the file are the calls': {shown:?}"
    );
    // 12 calls with two timestamps each, 12 members with one: 36 in all, 26 not shown.
    let omitted: usize = file
        .omitted
        .iter()
        .filter(|(rule, _)| *rule == Rule::FutureTimestamp)
        .map(|(_, n)| n)
        .sum();
    assert_eq!(omitted, 26);
}

/// Issue 15: pairs are checked several at a time; the outcome, in every format, is the same
/// for any number of jobs, and for the paths given in any order.
#[test]
fn the_number_of_jobs_changes_nothing_in_any_format() {
    let mut paths: Vec<String> = vec![
        "samples".into(),
        "tests/walk/exports".into(),
        "no/such/usage.json".into(),
    ];
    paths.extend(
        std::fs::read_dir("tests/fixtures")
            .unwrap()
            .map(|e| e.unwrap().path().to_string_lossy().replace('\\', "/"))
            .filter(|p| std::path::Path::new(p).is_dir()),
    );
    let render = |jobs: usize, paths: &[String]| -> Vec<String> {
        // Kept for the HTML page, which an HTML output asks for when written as it goes.
        let outcome = Checker::new()
            .now("2026-11-23T12:00:00Z".parse().unwrap())
            .overview(true)
            .jobs(jobs)
            .check_paths(paths)
            .expect("no usage error");
        assert!(
            !outcome.checked_everything(),
            "no/such/usage.json is unreadable"
        );
        assert!(outcome.pairs.len() > 10, "{}", outcome.pairs.len());
        FORMATS
            .into_iter()
            .map(|format| outcome.render(format))
            .collect()
    };
    let serial = render(1, &paths);
    let mut reversed = paths.clone();
    reversed.reverse();
    for (jobs, paths) in [(2, &paths), (4, &paths), (0, &paths), (3, &reversed)] {
        assert!(render(jobs, paths) == serial, "--jobs {jobs} differs");
    }
    // Written as the check goes, every format at once, it is the same again.
    for jobs in [1, 4] {
        let checker = Checker::new()
            .now("2026-11-23T12:00:00Z".parse().unwrap())
            .jobs(jobs);
        let (written, outcome) = write_all(&checker, &paths);
        assert!(
            written == serial,
            "written as it goes with --jobs {jobs}, it differs"
        );
        // What the outcome keeps: no finding, but every count.
        assert_eq!(outcome.diagnostics().count(), 0);
        let kept = checker.check_paths(&paths).unwrap();
        for severity in [Severity::Error, Severity::Warning, Severity::Info] {
            assert_eq!(outcome.count(severity), kept.count(severity));
        }
        assert!(kept.count(Severity::Error) > 0);
        assert_eq!(outcome.worst(), kept.worst());
    }
}

/// Every format of one check of `paths`, written as it goes, and the outcome it leaves.
fn write_all(checker: &Checker, paths: &[String]) -> (Vec<String>, tuple_report::Outcome) {
    let mut buffers: Vec<Vec<u8>> = FORMATS.iter().map(|_| Vec::new()).collect();
    let mut outputs: Vec<Output<'_>> = FORMATS
        .iter()
        .zip(buffers.iter_mut())
        .map(|(format, buffer)| Output::new(*format, RenderOptions::default(), buffer))
        .collect();
    let outcome = checker.batch(paths).unwrap().write(&mut outputs);
    for output in &mut outputs {
        output.result().unwrap();
    }
    drop(outputs);
    let texts = buffers
        .into_iter()
        .map(|b| String::from_utf8(b).unwrap())
        .collect();
    (texts, outcome)
}

/// A pair whose two files are far apart in path order, with many lone files between them:
/// the files between are written while the pair waits, one job checks a few units ahead of
/// the file whose turn it is, and the output is the one a check that keeps everything gives.
#[test]
fn a_pair_far_apart_in_path_order_is_written_in_order_with_one_job() {
    let dir = std::env::temp_dir().join(format!("tuple-report-far-pair-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let usage = std::fs::read("samples/defective/usage.json").unwrap();
    let users = std::fs::read("samples/defective/users.csv").unwrap();
    let lone = std::fs::read("tests/fixtures/empty-call.json").unwrap();
    std::fs::write(dir.join("a-team.json"), &usage).unwrap();
    for n in 0..12 {
        std::fs::write(dir.join(format!("m-{n:02}.json")), &lone).unwrap();
    }
    std::fs::write(dir.join("z-team.csv"), &users).unwrap();
    let path = |name: &str| dir.join(name).to_string_lossy().into_owned();
    let checker = Checker::new()
        .now("2026-11-23T12:00:00Z".parse().unwrap())
        .overview(true)
        .jobs(1)
        .pair(&path("a-team.json"), &path("z-team.csv"));
    let paths = [dir.to_string_lossy().into_owned()];
    let kept = checker.check_paths(&paths).unwrap();
    assert_eq!(kept.pairs.len(), 1);
    assert_eq!(kept.files.len(), 14);
    let (written, _) = write_all(&checker, &paths);
    for (format, text) in FORMATS.into_iter().zip(&written) {
        assert!(*text == kept.render(format), "{format:?} differs");
    }
    // The pair's findings come first and last, around the lone files'.
    let human = &written[0];
    let at = |name: &str| human.find(&format!("--> {}:", path(name)));
    assert!(at("a-team.json").unwrap() < at("m-00.json").unwrap());
    assert!(at("z-team.csv").unwrap() > at("m-11.json").unwrap());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The workers settle whether a call repeats a key from what the call reader saw of the
/// keys it knows, and search the call's tape only when it has others: a repeat must be
/// found wherever it is, the fast way as the careful way finds it.
#[test]
fn a_key_repeated_anywhere_in_a_call_is_found() {
    let call = r#"{"call_id": "3f2b8a9e-4c1d-4e8b-9a7f-1b2c3d4e5f60", "started_at": "2026-09-14T09:30:00Z", "ended_at": "2026-09-14T09:35:00Z", "duration_minutes": 5, "participants": [{"user_id": 7, "name": "Ann", "email": "ann@example.com", "duration_minutes": 5}]}"#;
    let report = |call: &str| {
        format!(
            r#"{{"team_members": [{{"user_id": 7, "name": "Ann", "email": "ann@example.com", "created_at": "2026-01-05T10:00:00Z", "last_call_at": "2026-09-14T09:30:00Z"}}], "calls": [{call}]}}"#
        )
    };
    let duplicates = |text: &str, careful: bool| {
        let checker = if careful {
            checker().careful_only()
        } else {
            checker()
        };
        let outcome = checker.check_bytes(&[("usage.json", text.as_bytes())]);
        outcome
            .diagnostics()
            .filter(|d| d.rule == Rule::JsonDuplicateKey)
            .map(|d| d.primary.pointer().unwrap_or_default().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(duplicates(&report(call), false), Vec::<String>::new());
    for (from, to, at) in [
        (
            r#""duration_minutes": 5, "participants""#,
            r#""duration_minutes": 5, "duration_minutes": 5, "participants""#,
            "/calls/0/duration_minutes",
        ),
        (
            r#""name": "Ann", "email""#,
            r#""name": "Ann", "name": "Ann", "email""#,
            "/calls/0/participants/0/name",
        ),
        (
            r#""participants""#,
            r#""note": {"a": 1, "a": 1}, "participants""#,
            "/calls/0/note/a",
        ),
        (
            r#""call_id": "3f2b8a9e-4c1d-4e8b-9a7f-1b2c3d4e5f60""#,
            r#""call_id": {"a": 1, "a": 1}"#,
            "/calls/0/call_id/a",
        ),
    ] {
        let text = report(&call.replacen(from, to, 1));
        assert_eq!(duplicates(&text, false), [at], "{to}");
        assert_eq!(duplicates(&text, true), [at], "{to}, the careful way");
    }
}

/// A participant's email that is byte for byte its member's is not checked again when the
/// member's passed the format: one that did not must still fail at both places.
#[test]
fn a_participant_with_a_members_bad_email_is_still_a_schema_format() {
    let report = |email: &str| {
        format!(
            r#"{{"team_members": [{{"user_id": 7, "name": "Ann", "email": "{email}", "created_at": "2026-01-05T10:00:00Z", "last_call_at": "2026-09-14T09:30:00Z"}}], "calls": [{{"call_id": "3f2b8a9e-4c1d-4e8b-9a7f-1b2c3d4e5f60", "started_at": "2026-09-14T09:30:00Z", "ended_at": "2026-09-14T09:35:00Z", "duration_minutes": 5, "participants": [{{"user_id": 7, "name": "Ann", "email": "{email}", "duration_minutes": 5}}]}}]}}"#
        )
    };
    let formats = |email: &str| {
        let outcome = checker().check_bytes(&[("usage.json", report(email).as_bytes())]);
        outcome
            .diagnostics()
            .filter(|d| d.rule == Rule::SchemaFormat)
            .map(|d| d.primary.pointer().unwrap_or_default().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(formats("ann@example.com"), Vec::<String>::new());
    for bad in ["ann@", "ann example.com", "ann@exa_mple.com"] {
        assert_eq!(
            formats(bad),
            ["/team_members/0/email", "/calls/0/participants/0/email"],
            "{bad}"
        );
    }
}
