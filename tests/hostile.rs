//! Hostile and broken input, each with what tuple-report must answer: a diagnostic (exit 1),
//! or a clear error (exit 2), never a panic, a hang or a wrong "valid".
//!
//! Most inputs are written by the test itself (some are large, or cannot live in git: a FIFO,
//! a link to its own directory); each is checked by the binary with `--format json`, whose
//! output must parse, under a time limit.

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

/// What one input must give.
struct Expect {
    code: i32,
    /// The rules reported, each once, sorted.
    rules: &'static [&'static str],
    /// What stderr must hold (for exit 2).
    stderr: &'static str,
}

const CLEAN: Expect = Expect {
    code: 0,
    rules: &[],
    stderr: "",
};

fn finding(rules: &'static [&'static str]) -> Expect {
    Expect {
        code: 1,
        rules,
        stderr: "",
    }
}

/// Findings of the info severity only, which do not fail a check.
fn noted(rules: &'static [&'static str]) -> Expect {
    Expect {
        code: 0,
        rules,
        stderr: "",
    }
}

fn unreadable(stderr: &'static str) -> Expect {
    Expect {
        code: 2,
        rules: &[],
        stderr,
    }
}

/// A small well-formed report, into which the cases plant their trouble.
fn report(member_extra: &str, call_extra: &str) -> String {
    format!(
        r#"{{
  "team_members": [
    {{"user_id": 1, "name": "Ann Lee", "email": "ann@example.com", "last_sign_in": null,
     "created_at": "2026-01-05T10:00:00Z", "last_call_at": "2026-09-01T13:00:00Z"{member_extra}}}
  ],
  "calls": [
    {{"call_id": "3f2b8a9e-4c1d-4e8b-9a7f-1b2c3d4e5f60",
     "participants": [{{"user_id": 1, "name": "Ann Lee", "email": "ann@example.com", "duration_minutes": 30}}],
     "duration_minutes": 30, "started_at": "2026-09-01T13:00:00Z", "ended_at": "2026-09-01T13:30:00Z"{call_extra}}}
  ]
}}
"#
    )
}

const USERS: &str = "Email,Name,Last pairing session date,Account created date,Role\n";

fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let mut bytes = Vec::new();
    let units = bom
        .then_some(0xFEFF_u16)
        .into_iter()
        .chain(text.encode_utf16());
    for unit in units {
        let pair = if big_endian {
            unit.to_be_bytes()
        } else {
            unit.to_le_bytes()
        };
        bytes.extend(pair);
    }
    bytes
}

/// Bytes no exporter writes: a fixed pseudo-random sequence.
fn garbage(len: usize) -> Vec<u8> {
    let mut state = 0x2545_f491_u32;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state >> 24) as u8
        })
        .collect()
}

/// A folder of its own for this test's inputs.
fn scratch() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("hostile");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

/// Runs `check --format json` on `paths`; returns the exit code, the rules reported (each
/// once, sorted) and stderr.
fn check(paths: &[&str]) -> (i32, Vec<String>, String) {
    let output = Command::cargo_bin("tuple-report")
        .expect("binary")
        .args([
            "check",
            "--format",
            "json",
            "--as-of",
            "2026-11-01T00:00:00Z",
            // Each hostile input is one file, checked alone on purpose.
            "--allow",
            "unpaired-report",
        ])
        .args(paths)
        .timeout(Duration::from_secs(60))
        .output()
        .expect("runs");
    let code = output
        .status
        .code()
        .expect("exited, not killed (a hang or a crash)");
    let stdout = String::from_utf8(output.stdout).expect("UTF-8 output");
    let document: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("--format json is not JSON ({e}): {stdout}"));
    let mut rules: Vec<String> = document["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["rule"].as_str().expect("rule").to_owned())
        .collect();
    rules.sort();
    rules.dedup();
    (
        code,
        rules,
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn assert_gives(name: &str, paths: &[&str], expect: &Expect) {
    let (code, rules, stderr) = check(paths);
    assert_eq!(
        (code, rules.as_slice()),
        (
            expect.code,
            expect
                .rules
                .iter()
                .map(|r| r.to_string())
                .collect::<Vec<_>>()
                .as_slice()
        ),
        "{name}: stderr {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{name}: {stderr}");
    assert!(stderr.contains(expect.stderr), "{name}: {stderr}");
}

#[test]
fn hostile_files_get_a_diagnostic_or_a_clear_error() {
    let dir = scratch();
    let deep = format!(
        r#"{{"team_members": [], "calls": [{}{}]}}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let long_name = format!(r#", "nickname": "{}""#, "a".repeat(10 << 20));
    let valid = report("", "");
    let columns: Vec<String> = (0..10_000).map(|i| format!("Column {i}")).collect();
    let cases: Vec<(&str, &str, Vec<u8>, Expect)> = vec![
        (
            "an empty file",
            "empty.json",
            Vec::new(),
            finding(&["json-syntax"]),
        ),
        (
            "whitespace only",
            "blank.json",
            b" \n\t\r\n ".to_vec(),
            finding(&["json-syntax"]),
        ),
        (
            "a byte order mark only",
            "bom.json",
            b"\xEF\xBB\xBF".to_vec(),
            finding(&["json-bom", "json-syntax"]),
        ),
        (
            "UTF-16 with a BOM",
            "utf16-bom.json",
            utf16(&valid, false, true),
            finding(&["json-encoding"]),
        ),
        (
            "UTF-16 without a BOM",
            "utf16.json",
            utf16(&valid, true, false),
            finding(&["json-encoding"]),
        ),
        (
            "a NUL byte in a string",
            "nul.json",
            report(", \"note\": \"a\u{0}b\"", "").into_bytes(),
            finding(&["json-syntax"]),
        ),
        (
            "a lone surrogate",
            "surrogate.json",
            report("", "")
                .replace(
                    "Ann Lee\", \"email\": \"ann@example.com\", \"last",
                    "Ann\\ud800 Lee\", \"email\": \"ann@example.com\", \"last",
                )
                .into_bytes(),
            finding(&["json-syntax"]),
        ),
        // Regression: a call nested deeper than the parser goes was left out unread, and
        // the report called valid.
        (
            "nesting 100,000 deep",
            "deep.json",
            deep.into_bytes(),
            finding(&["json-syntax"]),
        ),
        // Regression: `1e400` in a call was skipped by the parse and failed only where the
        // call was read, which left the call out and called the report valid.
        (
            "a number beyond any float",
            "huge-number.json",
            report("", "")
                .replacen(
                    "\"duration_minutes\": 30,",
                    "\"duration_minutes\": 1e400,",
                    1,
                )
                .into_bytes(),
            finding(&["json-syntax"]),
        ),
        (
            "minus zero minutes",
            "minus-zero.json",
            report("", "")
                .replacen("\"duration_minutes\": 30}", "\"duration_minutes\": -0}", 1)
                .into_bytes(),
            CLEAN,
        ),
        (
            "1.0 as a user_id (an integer in draft 7)",
            "float-id.json",
            report("", "")
                .replace("\"user_id\": 1,", "\"user_id\": 1.0,")
                .into_bytes(),
            CLEAN,
        ),
        (
            "a 10 MB string",
            "long.json",
            report(&long_name, "").into_bytes(),
            noted(&["unknown-field"]),
        ),
        (
            "a top-level array",
            "array.json",
            b"[]".to_vec(),
            finding(&["schema-type"]),
        ),
        (
            "a top-level scalar",
            "scalar.json",
            b"42".to_vec(),
            finding(&["schema-type"]),
        ),
        (
            "binary garbage as JSON",
            "garbage.json",
            garbage(4096),
            finding(&["json-encoding"]),
        ),
        (
            "a CSV with an unterminated quote",
            "quote.csv",
            format!("{USERS}ann@example.com,\"Ann Lee,,2026-01-05,Owner\n").into_bytes(),
            finding(&["csv-syntax"]),
        ),
        (
            "a CSV with ragged rows",
            "ragged.csv",
            format!("{USERS}ann@example.com,Ann Lee\n").into_bytes(),
            finding(&["csv-syntax"]),
        ),
        (
            "a CSV with 10,000 columns",
            "wide.csv",
            format!("{}\n{}\n", columns.join(","), columns.join(",")).into_bytes(),
            finding(&["csv-header", "csv-no-role-column", "csv-unknown-column"]),
        ),
        (
            "a CSV with CR-only line endings",
            "cr.csv",
            format!("{USERS}ann@example.com,Ann Lee,2026-09-01,2026-01-05,Team Owner\n")
                .replace('\n', "\r")
                .into_bytes(),
            CLEAN,
        ),
        (
            "binary garbage as CSV",
            "garbage.csv",
            garbage(4096),
            finding(&["csv-encoding"]),
        ),
    ];
    for (name, file, bytes, expect) in &cases {
        let path = dir.join(file);
        std::fs::write(&path, bytes).expect("written");
        assert_gives(name, &[path.to_str().expect("UTF-8 path")], expect);
    }
}

#[test]
fn hostile_paths_get_a_clear_error_and_exit_2() {
    let dir = scratch();
    let missing = dir.join("no-such.json");
    assert_gives(
        "a path that does not exist",
        &[missing.to_str().unwrap()],
        &unreadable("no such file"),
    );

    // Root reads any file whatever its mode, so a file the kernel refuses to read stands in
    // for an unreadable one.
    if Path::new("/proc/self/mem").exists() {
        assert_gives(
            "an unreadable file",
            &["/proc/self/mem"],
            &unreadable("cannot read /proc/self/mem"),
        );
    }

    #[cfg(unix)]
    {
        // Reading a FIFO nobody writes to would wait for ever.
        let fifo = dir.join("pipe.json");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|status| status.success()) {
            assert_gives(
                "a FIFO",
                &[fifo.to_str().unwrap()],
                &unreadable("not a regular file"),
            );
        }

        // A directory that links back to itself is walked once: links are not followed.
        let walked = dir.join("walked");
        std::fs::create_dir_all(&walked).unwrap();
        std::fs::write(walked.join("usage.json"), report("", "")).unwrap();
        std::os::unix::fs::symlink(&walked, walked.join("loop")).unwrap();
        assert_gives(
            "a directory linking to itself",
            &[walked.to_str().unwrap()],
            &CLEAN,
        );
        // Followed on request: the link back is found and left out, not walked for ever.
        assert_gives(
            "a directory linking to itself, followed",
            &["--follow", walked.to_str().unwrap()],
            &CLEAN,
        );
    }
}

/// Names and emails are data: whatever a report holds, no output lets it act on a terminal
/// or a CI log, or break out of its XML or JSON.
#[test]
fn report_text_is_data_in_every_format() {
    use tuple_report::Format;
    let hostile = [
        "Mallory\u{1b}[2J\n::error::owned",
        "=HYPERLINK(\"http://evil.example/\",\"x\")",
        "</failure><script>&amp;\u{7}",
        "%0A::warning file=x,line=1::pwned\r\n",
        "\u{202e}evil\u{2066}",
    ];
    // In the usage report, as JSON escapes (decoded, the raw characters reach the rules); in
    // the user report, raw, inside quoted cells.
    let names: Vec<String> = hostile
        .iter()
        .map(|n| serde_json::to_string(n).unwrap())
        .collect();
    let usage = format!(
        r#"{{"team_members": [{{"user_id": 1, "name": {}, "email": "ann@example.com",
  "created_at": "2026-01-05T10:00:00Z", "last_call_at": null, {}: 1}}],
"calls": [{{"call_id": "3f2b8a9e-4c1d-4e8b-9a7f-1b2c3d4e5f60", "participants": [
  {{"user_id": 1, "name": {}, "email": "ann@example.com", "duration_minutes": 5}},
  {{"user_id": 9, "name": {}, "email": {}, "duration_minutes": 5}}],
  "duration_minutes": 5, "started_at": "2026-09-01T13:00:00Z", "ended_at": "2026-09-01T13:05:00Z"}}]}}"#,
        names[0], names[3], names[1], names[2], names[4]
    );
    let quoted = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let users = format!(
        "Email,Name,Last pairing session date,Account created date,Role\n{},{},,2026-01-05,Team Owner\nann@example.com,{},,{},Team Member\n",
        quoted(hostile[1]),
        quoted(hostile[0]),
        quoted(hostile[2]),
        quoted(hostile[3]),
    );
    let outcome = tuple_report::Checker::new()
        .as_of("2026-11-01T00:00:00Z".parse().unwrap())
        .check_bytes(&[
            ("usage.json", usage.as_bytes()),
            ("users.csv", users.as_bytes()),
        ]);
    assert!(outcome.diagnostics().count() >= 8, "the names are reported");

    let human = outcome.render(Format::Human);
    for c in human.chars() {
        assert!(
            c == '\n' || !tuple_report::internals::must_be_escaped(c),
            "{c:?} in\n{human}"
        );
    }
    for line in outcome.render(Format::Github).lines() {
        assert!(
            line.starts_with("::") || line.starts_with("tuple-report:"),
            "{line}"
        );
    }
    let junit = outcome.render(Format::Junit);
    let xml = roxmltree::Document::parse(&junit).expect("well-formed XML");
    assert!(xml.descendants().all(|n| n.tag_name().name() != "script"));
    for format in [Format::Json, Format::Sarif] {
        let text = outcome.render(format);
        let document: Value = serde_json::from_str(&text).expect("JSON");
        // The names are in there as data: the text round-trips through the JSON.
        assert!(document.to_string().contains("Mallory"), "{format:?}");
    }
}

/// Of two calls that cannot be read, the first in the file is the report's syntax error,
/// though the workers meet them in any order, and a report that writes `calls` twice
/// numbers each array's calls from 0.
#[test]
fn the_first_unreadable_call_in_the_file_is_the_error() {
    let usage =
        "{\"team_members\": [],\n\"calls\": [{}, {\"d\": 1e400}],\n\"calls\": [{\"d\": 2e400}]}";
    let outcome = tuple_report::Checker::new()
        .as_of("2026-11-01T00:00:00Z".parse().unwrap())
        .allow(tuple_report::Rule::UnpairedReport)
        .check_bytes(&[("usage.json", usage.as_bytes())]);
    let found: Vec<(String, usize)> = outcome
        .diagnostics()
        .map(|d| {
            (
                d.rule.id().to_owned(),
                d.primary.start.map_or(0, |p| p.line),
            )
        })
        .collect();
    assert_eq!(found, [("json-syntax".to_owned(), 2)]);
}
