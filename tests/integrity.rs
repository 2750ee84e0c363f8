//! Nothing lost, nothing changed: every member, call and row of the input is counted in the
//! summary, and checking never writes to an input file.

use std::collections::BTreeMap;
use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;
use sha2::{Digest, Sha256};

fn tuple_report() -> Command {
    Command::cargo_bin("tuple-report").expect("binary")
}

fn json_output(args: &[&str]) -> Value {
    let output = tuple_report().args(args).output().expect("runs");
    serde_json::from_slice(&output.stdout).expect("--format json is JSON")
}

#[test]
fn every_member_call_and_row_is_counted() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("integrity-counts");
    let _ = std::fs::remove_dir_all(&dir);
    for (members, calls, seed) in [(1, 0, 1), (7, 1, 2), (40, 500, 3), (300, 4_000, 4)] {
        let out = dir.join(format!("{members}-{calls}"));
        let out = out.to_str().expect("UTF-8 path");
        tuple_report()
            .args([
                "generate",
                "--members",
                &members.to_string(),
                "--calls",
                &calls.to_string(),
            ])
            .args(["--seed", &seed.to_string(), "--out", out])
            .assert()
            .success();
        // Counted independently of tuple-report: by serde_json, and by lines.
        let usage: Value =
            serde_json::from_slice(&std::fs::read(format!("{out}/usage.json")).unwrap()).unwrap();
        let users = std::fs::read_to_string(format!("{out}/users.csv")).unwrap();
        assert_eq!(usage["team_members"].as_array().unwrap().len(), members);
        assert_eq!(usage["calls"].as_array().unwrap().len(), calls);
        let rows = users.lines().filter(|line| !line.is_empty()).count() - 1;

        let checked = json_output(&[
            "check",
            "--format",
            "json",
            &format!("{out}/usage.json"),
            &format!("{out}/users.csv"),
        ]);
        let files = checked["files"].as_array().expect("files");
        let usage_file = files.iter().find(|f| f["kind"] == "usage-report").unwrap();
        let users_file = files.iter().find(|f| f["kind"] == "user-report").unwrap();
        assert_eq!(usage_file["members"], members, "{out}");
        assert_eq!(usage_file["calls"], calls, "{out}");
        assert_eq!(users_file["rows"], rows, "{out}");
    }
}

/// The SHA-256 and modification time of every file under `roots`.
fn hashes(roots: &[&str]) -> BTreeMap<String, String> {
    let mut hashes = BTreeMap::new();
    for root in roots {
        for entry in walkdir::WalkDir::new(root) {
            let entry = entry.expect("walkable");
            if entry.file_type().is_file() {
                let bytes = std::fs::read(entry.path()).expect("readable");
                let digest = Sha256::digest(&bytes);
                let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
                let modified = std::fs::metadata(entry.path())
                    .and_then(|m| m.modified())
                    .expect("a modification time");
                hashes.insert(
                    entry.path().display().to_string(),
                    format!("{hex} {modified:?}"),
                );
            }
        }
    }
    hashes
}

#[test]
fn checking_never_writes_to_an_input_file() {
    let roots = ["tests/fixtures", "samples"];
    let before = hashes(&roots);
    assert!(before.len() > 50, "the fixtures are there");
    for format in ["human", "json", "github", "junit", "sarif"] {
        let output = tuple_report()
            .args(["check", "--format", format])
            .args(roots)
            .output()
            .expect("runs");
        assert_eq!(
            output.status.code(),
            Some(1),
            "{format}: the fixtures hold errors"
        );
    }
    assert_eq!(hashes(&roots), before);
}
