//! What the integration tests share.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use tuple_report::{Checker, Outcome, Rule};

/// Every output format, in the order the tests write them.
pub const FORMATS: [tuple_report::Format; 6] = [
    tuple_report::Format::Human,
    tuple_report::Format::Json,
    tuple_report::Format::Github,
    tuple_report::Format::Junit,
    tuple_report::Format::Sarif,
    tuple_report::Format::Html,
];

/// The clock every fixture is checked at, so that snapshots never depend on the day.
pub const NOW: &str = "2026-11-23T12:00:00Z";

/// The checker of the fixtures: at [`NOW`], with `unpaired-report` allowed (most fixtures
/// are one file, checked alone on purpose, and each shows its own rule only).
pub fn checker() -> Checker {
    checker_with_every_rule().allow(Rule::UnpairedReport)
}

/// The checker at [`NOW`], every rule at its default level.
pub fn checker_with_every_rule() -> Checker {
    Checker::new().now(NOW.parse::<DateTime<Utc>>().expect("NOW is RFC 3339"))
}

/// Checks a fixture: a file alone, or every file of a fixture directory together (a usage
/// report and a user report, cross-checked). The fixtures of `unpaired-report` are checked
/// with it.
pub fn check(path: &str) -> Outcome {
    let checker = if rule_of(path) == Rule::UnpairedReport.id() {
        checker_with_every_rule()
    } else {
        checker()
    };
    checker
        .check_paths(&files_of(path))
        .expect("fixture is readable")
}

/// The paths a fixture stands for, in a stable order.
pub fn files_of(path: &str) -> Vec<String> {
    if !Path::new(path).is_dir() {
        return vec![path.to_owned()];
    }
    let mut files: Vec<String> = std::fs::read_dir(path)
        .expect("readable fixture directory")
        .map(|entry| {
            format!(
                "{path}/{}",
                entry.expect("readable entry").file_name().to_string_lossy()
            )
        })
        .collect();
    files.sort();
    files
}

/// Every fixture, file or directory, as a path relative to the crate (the form the tool is
/// given).
pub fn fixtures() -> Vec<String> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir("tests/fixtures")
        .expect("tests/fixtures exists")
        .map(|entry| entry.expect("readable entry").path())
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .collect()
}

/// A fixture's name: its file stem, or its directory's name.
pub fn name_of(path: &str) -> String {
    Path::new(path)
        .file_stem()
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

/// The rule a fixture is named after: `last-call-stale--null.json` → `last-call-stale`.
pub fn rule_of(path: &str) -> String {
    name_of(path).split("--").next().unwrap().to_owned()
}

/// Runs `body` with insta writing to the top-level `snapshots/` folder.
pub fn with_snapshots(body: impl FnOnce()) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(body);
}

/// Every finding of an outcome as (rule, file, line, pointer), sorted.
pub fn findings(outcome: &Outcome) -> Vec<(tuple_report::Rule, String, usize, String)> {
    let mut found: Vec<_> = outcome
        .diagnostics()
        .map(|d| {
            (
                d.rule,
                d.primary.file.clone(),
                d.primary.start.map_or(0, |p| p.line),
                d.primary.pointer().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    found.sort();
    found
}

/// The published schema of `--format json` (`schema/output.schema.json`).
pub const OUTPUT_SCHEMA: &str = include_str!("../../schema/output.schema.json");

/// The output schema, compiled once per test binary (draft 2020-12; the crate is built without
/// its HTTP and file resolvers, so nothing outside the schema is ever fetched).
pub fn output_validator() -> &'static jsonschema::Validator {
    static VALIDATOR: std::sync::OnceLock<jsonschema::Validator> = std::sync::OnceLock::new();
    VALIDATOR.get_or_init(|| {
        let schema: serde_json::Value =
            serde_json::from_str(OUTPUT_SCHEMA).expect("schema/output.schema.json is JSON");
        jsonschema::draft202012::options()
            .build(&schema)
            .unwrap_or_else(|e| panic!("schema/output.schema.json is not a valid schema: {e}"))
    })
}

/// Everything the output schema finds wrong with a `--format json` document, one line each
/// with the instance path and the schema keyword that failed; empty when it is valid.
pub fn output_errors(json: &str) -> Vec<String> {
    let document: serde_json::Value = match serde_json::from_str(json) {
        Ok(document) => document,
        Err(e) => return vec![format!("not one JSON document: {e}")],
    };
    output_validator()
        .iter_errors(&document)
        .map(|error| {
            let at = error.instance_path().as_str();
            format!(
                "at {}: {error} (schema {})",
                if at.is_empty() { "/" } else { at },
                error.schema_path().as_str()
            )
        })
        .collect()
}

/// Asserts that a `--format json` document is valid against `schema/output.schema.json`,
/// printing every error with its instance path.
pub fn assert_valid_output(json: &str) {
    let errors = output_errors(json);
    assert!(
        errors.is_empty(),
        "the JSON output is not valid against schema/output.schema.json:\n  {}\ndocument:\n{json}",
        errors.join("\n  ")
    );
}

/// Property tests run the same cases on every run, so that CI is never red by chance (no
/// failure file is kept, the seed is fixed); a failure prints the smallest case that shows it.
pub fn proptest_config(cases: u32, seed: u64) -> proptest::test_runner::Config {
    proptest::test_runner::Config {
        cases,
        failure_persistence: None,
        rng_seed: proptest::test_runner::RngSeed::Fixed(seed),
        ..proptest::test_runner::Config::default()
    }
}
