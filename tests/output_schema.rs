//! `schema/output.schema.json`, the published contract of `--format json`: every JSON output
//! the tests can produce is valid against it, it is strict (an unknown field or a wrong value
//! is rejected), and its rule ids are the registry's.
//!
//! The validator is compiled once per test binary, in `tests/common/mod.rs`
//! ([`common::assert_valid_output`]), so that other tests validate their JSON output with it too.

mod common;

use std::collections::BTreeSet;

use assert_cmd::Command;
use common::{assert_valid_output, check, fixtures, output_errors, OUTPUT_SCHEMA};
use serde_json::Value;
use tuple_report::Format;
use tuple_report::{Checker, Rule};

/// Renders an outcome as `--format json` does.
fn json_of(outcome: &tuple_report::Outcome) -> String {
    outcome.render(Format::Json)
}

/// Every fixture's JSON output, as `fixture_output_snapshots` renders it.
fn fixture_documents() -> Vec<(String, String)> {
    fixtures()
        .into_iter()
        .map(|fixture| {
            let json = json_of(&check(&fixture));
            (fixture, json)
        })
        .collect()
}

/// Command lines whose JSON output is validated: the two named by issue 13, and every
/// `--format json` case of tests/cli.rs, with a few more for the fields those leave out.
const COMMAND_LINES: &[&[&str]] = &[
    &["check", "--format", "json", "samples"],
    &[
        "check",
        "--config",
        "tests/gate/allow-empty.toml",
        "--format",
        "json",
        "tests/gate/no-reports",
    ],
    &[
        "check",
        "--follow",
        "--format",
        "json",
        "tests/walk/exports",
    ],
    &[
        "check",
        "--format",
        "json",
        "--exclude",
        "node_modules",
        "--exclude",
        "targ?t/",
        "tests/walk/exports",
    ],
    &[
        "check",
        "--format",
        "json",
        "nothere.json",
        "tests/fixtures/valid--pair",
    ],
    &[
        "check",
        "--format",
        "json",
        "tests/fixtures/valid--pair/usage.json",
        "tests/fixtures/valid--pair/nothere.csv",
    ],
    // A path whose extension says nothing: `kind` is null.
    &[
        "check",
        "--format",
        "json",
        "nothere",
        "tests/fixtures/valid.json",
    ],
    &[
        "check",
        "--format",
        "json",
        "tests/fixtures/csv-invalid-role.csv",
    ],
    &[
        "check",
        "--format",
        "json",
        "--max-per-rule",
        "1",
        "samples/defective/usage.json",
    ],
    &[
        "check",
        "--format",
        "json",
        "--as-of",
        "2026-11-23T12:00:00Z",
        "samples/defective/usage.json",
    ],
    &[
        "check",
        "--format",
        "json",
        "tests/fixtures/empty-call.json",
    ],
    &[
        "check",
        "--format",
        "json",
        "tests/fixtures/missing-from-csv",
        "samples/defective",
        "tests/fixtures/empty-call.json",
        "nothere.csv",
    ],
    &[
        "check",
        "--format",
        "json",
        "--config",
        "tests/config/tuple-report.toml",
        "tests/fixtures/valid.json",
    ],
    &[
        "check",
        "--format",
        "json",
        "--pair",
        "tests/fixtures/valid.json=tests/fixtures/valid--pair/users.csv",
        "tests/fixtures/valid.json",
        "tests/fixtures/valid--pair/users.csv",
    ],
];

/// Runs the binary on each command line; the JSON it printed, or what went wrong.
fn command_line_documents() -> Vec<(String, String)> {
    COMMAND_LINES
        .iter()
        .map(|args| {
            let output = Command::cargo_bin("tuple-report")
                .unwrap()
                .args(*args)
                .env_remove("NO_COLOR")
                .output()
                .unwrap();
            let shown = args.join(" ");
            let stdout = String::from_utf8(output.stdout).expect("UTF-8 output");
            // 0, 1 (findings) and 2 (a path not checked) all write the document; a usage
            // error would write none.
            assert!(
                matches!(output.status.code(), Some(0..=2)),
                "{shown}: exit code {:?}\nstderr:\n{}",
                output.status.code(),
                String::from_utf8_lossy(&output.stderr)
            );
            (shown, stdout)
        })
        .collect()
}

/// Validates each document, listing every invalid one with its errors.
fn assert_all_valid(documents: &[(String, String)]) {
    let invalid: Vec<String> = documents
        .iter()
        .filter_map(|(name, json)| {
            let errors = output_errors(json);
            (!errors.is_empty()).then(|| format!("{name}:\n  {}", errors.join("\n  ")))
        })
        .collect();
    assert!(
        invalid.is_empty(),
        "{} of {} documents are not valid against schema/output.schema.json:\n\n{}",
        invalid.len(),
        documents.len(),
        invalid.join("\n\n")
    );
}

fn schema() -> Value {
    serde_json::from_str(OUTPUT_SCHEMA).expect("schema/output.schema.json is JSON")
}

#[test]
fn the_schema_is_a_valid_draft_2020_12_schema() {
    let schema = schema();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    if let Err(error) = jsonschema::meta::validate(&schema) {
        panic!("schema/output.schema.json is not valid against its meta-schema: {error}");
    }
    // Compiles (and panics with the reason if it cannot).
    common::output_validator();
}

#[test]
fn every_fixture_output_is_valid() {
    let documents = fixture_documents();
    assert!(documents.len() > 50, "only {} fixtures", documents.len());
    assert_all_valid(&documents);
}

/// A path that cannot be read (a `files` entry with `error`) and a walked folder (`skipped`
/// entries), through the library.
#[test]
fn unreadable_paths_and_walked_folders_are_valid() {
    let outcome = Checker::new()
        .check_paths(&["no/such.json", "tests/walk/exports"])
        .expect("no pair named");
    let json = json_of(&outcome);
    assert_valid_output(&json);
    let document: Value = serde_json::from_str(&json).unwrap();
    let files = document["files"].as_array().unwrap();
    let unreadable = files
        .iter()
        .find(|f| f["path"] == "no/such.json")
        .expect("no/such.json is listed");
    assert!(unreadable["error"].is_string(), "{unreadable}");
    assert_eq!(unreadable["kind"], "usage-report", "{unreadable}");
    assert!(
        !document["skipped"].as_array().unwrap().is_empty(),
        "the walk left nothing out: {json}"
    );
    // A path whose extension says nothing: `kind` is null.
    let outcome = Checker::new()
        .check_paths(&["no/such/file", "tests/fixtures/valid.json"])
        .expect("no pair named");
    let json = json_of(&outcome);
    assert_valid_output(&json);
    let document: Value = serde_json::from_str(&json).unwrap();
    assert!(
        document["files"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["kind"].is_null() && f["error"].is_string()),
        "{json}"
    );
}

#[test]
fn the_binary_json_output_is_valid() {
    assert_all_valid(&command_line_documents());
}

/// Between them, the documents validated show every optional field and every nullable one
/// both ways, so that no part of the schema goes untested.
#[test]
fn the_documents_validated_exercise_every_part_of_the_schema() {
    let mut documents = fixture_documents();
    documents.extend(command_line_documents());
    let mut seen = BTreeSet::new();
    for (_, json) in &documents {
        let document: Value = serde_json::from_str(json).unwrap();
        if !document["configuration"].is_null() {
            seen.insert("configuration");
        }
        for file in document["files"].as_array().unwrap() {
            let object = file.as_object().unwrap();
            for key in ["rows", "error"] {
                if object.contains_key(key) {
                    seen.insert(key);
                }
            }
            if file["kind"].is_null() {
                seen.insert("kind null");
            }
            if file["members"].is_u64() {
                seen.insert("members");
            }
            if file["first_call"].is_string() {
                seen.insert("first_call");
            }
        }
        if !document["skipped"].as_array().unwrap().is_empty() {
            seen.insert("skipped");
        }
        for pair in document["pairs"].as_array().unwrap() {
            let object = pair.as_object().unwrap();
            for key in ["not_compared", "verdict"] {
                if object.contains_key(key) {
                    seen.insert(key);
                }
            }
            if pair["matched"].is_u64() {
                seen.insert("matched");
            }
        }
        for finding in document["diagnostics"].as_array().unwrap() {
            let object = finding.as_object().unwrap();
            for key in ["row", "field"] {
                if object.contains_key(key) {
                    seen.insert(key);
                }
            }
            for (key, name) in [
                ("line", "line"),
                ("pointer", "pointer"),
                ("schema_path", "schema_path"),
            ] {
                if !finding[key].is_null() {
                    seen.insert(name);
                }
            }
            if finding["line"].is_null() {
                seen.insert("line null");
            }
            if !finding["related"].as_array().unwrap().is_empty() {
                seen.insert("related");
            }
        }
    }
    let wanted = [
        "configuration",
        "rows",
        "error",
        "kind null",
        "members",
        "first_call",
        "skipped",
        "not_compared",
        "verdict",
        "matched",
        "row",
        "field",
        "line",
        "line null",
        "pointer",
        "schema_path",
        "related",
    ];
    let missing: Vec<&str> = wanted
        .iter()
        .copied()
        .filter(|w| !seen.contains(w))
        .collect();
    assert!(missing.is_empty(), "never seen in a document: {missing:?}");
}

/// The schema's rule enum is the registry: a rule added to `registry!` and not to the schema
/// (or left in the schema when removed) fails here.
#[test]
fn the_schema_names_every_rule_of_the_registry() {
    let schema = schema();
    let in_schema: BTreeSet<&str> = schema["$defs"]["rule"]["enum"]
        .as_array()
        .expect("$defs/rule/enum is a list")
        .iter()
        .map(|id| id.as_str().expect("rule ids are strings"))
        .collect();
    let registered: BTreeSet<&str> = Rule::ALL.iter().map(|r| r.id()).collect();
    let missing: Vec<&&str> = registered.difference(&in_schema).collect();
    let unknown: Vec<&&str> = in_schema.difference(&registered).collect();
    assert!(
        missing.is_empty() && unknown.is_empty(),
        "schema/output.schema.json's $defs/rule/enum differs from Rule::ALL: \
         missing {missing:?}, not registered {unknown:?}"
    );
    assert_eq!(
        in_schema.len(),
        schema["$defs"]["rule"]["enum"].as_array().unwrap().len(),
        "a rule id is listed twice"
    );
}

/// A valid document with findings (a CSV row, related places) to break in the tests below.
fn valid_document() -> Value {
    let json = json_of(&check("tests/fixtures/csv-duplicate-email.csv"));
    assert_valid_output(&json);
    let document: Value = serde_json::from_str(&json).unwrap();
    assert!(!document["diagnostics"].as_array().unwrap().is_empty());
    document
}

/// Asserts that the schema rejects a document, at the expected instance path.
fn assert_rejected(what: &str, document: &Value, at: &str) {
    let errors = output_errors(&serde_json::to_string_pretty(document).unwrap());
    assert!(!errors.is_empty(), "{what}: accepted");
    assert!(
        errors.iter().any(|e| e.starts_with(&format!("at {at}:"))),
        "{what}: no error at {at}: {errors:#?}"
    );
}

#[test]
fn the_schema_is_strict() {
    let valid = valid_document();

    let mut document = valid.clone();
    document["extra"] = Value::from(1);
    assert_rejected("an unknown top-level field", &document, "/");

    let mut document = valid.clone();
    document["diagnostics"][0]["severity"] = Value::from("fatal");
    assert_rejected("a wrong severity", &document, "/diagnostics/0/severity");

    let mut document = valid.clone();
    document["diagnostics"][0]["rule"] = Value::from("no-such-rule");
    assert_rejected("an unknown rule", &document, "/diagnostics/0/rule");

    let mut document = valid.clone();
    document["diagnostics"][0]["column_bytes"] = Value::from(3);
    assert_rejected("an unknown field in a finding", &document, "/diagnostics/0");

    let mut document = valid.clone();
    document["diagnostics"][0]["related"][0]["note"] = Value::from("x");
    assert_rejected(
        "an unknown field in a related place",
        &document,
        "/diagnostics/0/related/0",
    );

    let mut document = valid.clone();
    document["diagnostics"][0]
        .as_object_mut()
        .unwrap()
        .remove("help");
    assert_rejected("a finding without help", &document, "/diagnostics/0");

    let mut document = valid.clone();
    document["diagnostics"][0]["end_line"] = Value::Null;
    assert_rejected("half a span", &document, "/diagnostics/0");

    let mut document = valid.clone();
    document["version"] = Value::from(2);
    assert_rejected("another version", &document, "/version");

    let mut document = valid.clone();
    document["summary"]["errors"] = Value::from(-1);
    assert_rejected("a negative count", &document, "/summary/errors");

    let mut document = valid.clone();
    document["files"][0]["kind"] = Value::from("spreadsheet");
    assert_rejected("an unknown kind", &document, "/files/0/kind");

    // `rows` is left out when unknown, never null.
    let mut document = valid.clone();
    document["files"][0]["rows"] = Value::Null;
    assert_rejected("rows null", &document, "/files/0/rows");

    let mut document = valid.clone();
    document["skipped"] = serde_json::json!([{ "path": "a/.git", "reason": "hidden" }]);
    assert_rejected("an unknown skip reason", &document, "/skipped/0/reason");

    let mut document = valid.clone();
    document["pairs"] = serde_json::json!([{
        "usage_report": "usage.json", "user_report": "users.csv", "matched": 3,
        "not_compared": "users.csv could not be read"
    }]);
    assert_rejected(
        "a pair both matched and not compared",
        &document,
        "/pairs/0/matched",
    );

    let mut document = valid;
    document["diagnostics"][0]["schema_path"] = Value::from("/properties/calls/type");
    assert_rejected(
        "a schema_path on a finding of no schema-* rule",
        &document,
        "/diagnostics/0/schema_path",
    );
}

/// The example document of README's "JSON (`--format json`)" section.
fn readme_example() -> String {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let section = readme
        .split("### JSON (`--format json`)")
        .nth(1)
        .expect("README has the JSON section");
    let block = section
        .split("```json\n")
        .nth(1)
        .and_then(|rest| rest.split("\n```").next())
        .expect("the section has a json example");
    block.to_owned()
}

/// README's example document is valid against the schema.
#[test]
fn the_readme_example_is_valid() {
    assert_valid_output(&readme_example());
}
