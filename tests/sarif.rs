//! `--format sarif`: the log read back as JSON and compared with the outcome it renders, and
//! `tests/sarif/example.sarif`, the validated example, kept equal to a fresh render.
//!
//! After an intended change of the SARIF output, rewrite the example with
//! `UPDATE_SARIF_EXAMPLE=1 cargo test --test sarif`, and validate it again (see
//! `tests/sarif/README.md`).

mod common;

use serde_json::Value;
use tuple_report::Rule;
use tuple_report::{Format, Location, Outcome, Severity};

const EXAMPLE: &str = "tests/sarif/example.sarif";
const DEFECTIVE: [&str; 2] = [
    "samples/defective/usage.json",
    "samples/defective/users.csv",
];

fn check(paths: &[&str]) -> Outcome {
    common::checker()
        .check_paths(paths)
        .expect("readable files")
}

fn render(outcome: &Outcome) -> Value {
    serde_json::from_str(&outcome.render(Format::Sarif)).expect("the SARIF log is JSON")
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The fixtures the structural tests render: a single report, one whose messages hold
/// escapes, and a cross-checked pair.
fn outcomes() -> Vec<Outcome> {
    vec![
        common::check("tests/fixtures/duplicate-user-id.json"),
        common::check("tests/fixtures/participant-mismatch--escapes.json"),
        common::check("tests/fixtures/name-mismatch"),
        check(&DEFECTIVE),
    ]
}

/// Asserts that a SARIF physical location is `location`: its file (as a URI and as an index
/// into `artifacts`), its region and its properties.
fn assert_location(sarif: &Value, location: &Location, artifacts: &Value) {
    let physical = &sarif["physicalLocation"];
    let artifact = &physical["artifactLocation"];
    assert_eq!(artifact["uri"], location.file.as_str(), "{sarif}");
    let index = artifact["index"].as_u64().expect("an artifact index") as usize;
    assert_eq!(artifacts[index]["location"]["uri"], artifact["uri"]);
    let region = &physical["region"];
    let start = location.start.expect("located");
    let end = location.end.expect("located");
    assert_eq!(region["startLine"], start.line);
    assert_eq!(region["startColumn"], start.column);
    assert_eq!(region["endLine"], end.line);
    assert_eq!(region["endColumn"], end.column);
    let properties = &sarif["properties"];
    match location.pointer() {
        Some(pointer) => assert_eq!(properties["pointer"], pointer),
        None => assert!(properties.get("pointer").is_none()),
    }
    match location.anchor.row().filter(|row| *row > 0) {
        Some(row) => assert_eq!(properties["row"], row),
        None => assert!(properties.get("row").is_none()),
    }
    match location.anchor.field() {
        Some(field) => assert_eq!(properties["field"], field),
        None => assert!(properties.get("field").is_none()),
    }
}

#[test]
fn the_log_is_sarif_2_1_0_with_one_run_and_nothing_from_the_machine() {
    let log = render(&check(&DEFECTIVE));
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(
        log["$schema"],
        "https://json.schemastore.org/sarif-2.1.0.json"
    );
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    assert_eq!(run["tool"]["driver"]["name"], "tuple-report");
    assert_eq!(run["tool"]["driver"]["version"], env!("CARGO_PKG_VERSION"));
    // An address only when Cargo.toml names one: none is made up.
    let named = [env!("CARGO_PKG_HOMEPAGE"), env!("CARGO_PKG_REPOSITORY")]
        .into_iter()
        .find(|uri| !uri.is_empty());
    assert_eq!(
        run["tool"]["driver"]
            .get("informationUri")
            .and_then(Value::as_str),
        named
    );
    let artifacts = run["artifacts"].as_array().unwrap();
    assert_eq!(artifacts.len(), 2);
    assert_eq!(artifacts[0]["mimeType"], "application/json");
    assert_eq!(artifacts[1]["mimeType"], "text/csv");
    for artifact in artifacts {
        assert_eq!(artifact["roles"], serde_json::json!(["analysisTarget"]));
    }
    let invocations = run["invocations"].as_array().unwrap();
    assert_eq!(invocations.len(), 1);
    assert_eq!(invocations[0]["executionSuccessful"], true);
    let text = check(&DEFECTIVE).render(Format::Sarif);
    let cwd = std::env::current_dir().unwrap();
    for varying in [
        "\"startTimeUtc\"",
        "\"endTimeUtc\"",
        "\"workingDirectory\"",
        "\"machine\"",
        "\"account\"",
        "\"processId\"",
        "file://",
        cwd.to_str().unwrap(),
    ] {
        assert!(!text.contains(varying), "the log holds {varying:?}");
    }
}

#[test]
fn every_registry_rule_is_described_once_in_order() {
    let log = render(&Outcome::default());
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let expected: Vec<&str> = Rule::ALL.iter().map(|r| r.id()).collect();
    assert_eq!(ids, expected);
    for (sarif, rule) in rules.iter().zip(Rule::ALL) {
        let name = sarif["name"].as_str().unwrap();
        assert_eq!(name.to_lowercase(), rule.id().replace('-', ""));
        assert!(name.starts_with(|c: char| c.is_ascii_uppercase()), "{name}");
        assert!(name.chars().all(|c| c.is_ascii_alphanumeric()), "{name}");
        assert_eq!(sarif["shortDescription"]["text"], rule.summary());
        let full = sarif["fullDescription"]["text"].as_str().unwrap();
        // GitHub takes at most 1024 characters of a description.
        assert!(!full.is_empty() && full.chars().count() <= 1024, "{full}");
        let first_paragraph = rule.explanation().split("\n\n").next().unwrap();
        assert_eq!(
            full,
            first_paragraph
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        );
        assert_eq!(sarif["help"]["text"], rule.explanation());
        assert_eq!(sarif["help"]["markdown"], rule.explanation());
        assert_eq!(
            sarif["defaultConfiguration"]["level"],
            level(rule.default_severity())
        );
        assert_eq!(
            sarif["properties"]["tags"],
            serde_json::json!([rule.stage()])
        );
    }
    assert_eq!(
        rules[Rule::ALL
            .iter()
            .position(|r| *r == Rule::DuplicateUserId)
            .unwrap()]["name"],
        "DuplicateUserId"
    );
    assert_eq!(
        rules[0]["properties"]["tags"],
        serde_json::json!(["reading"])
    );
}

#[test]
fn every_finding_is_a_result_in_the_outcomes_order() {
    for outcome in outcomes() {
        let log = render(&outcome);
        let run = &log["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        let artifacts = &run["artifacts"];
        let paths: Vec<&str> = outcome.files.iter().map(|f| f.path.as_str()).collect();
        let uris: Vec<&str> = artifacts
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["location"]["uri"].as_str().unwrap())
            .collect();
        assert_eq!(uris, paths);
        let results = run["results"].as_array().unwrap();
        let diagnostics: Vec<_> = outcome.diagnostics().collect();
        assert!(!diagnostics.is_empty());
        assert_eq!(results.len(), diagnostics.len());
        for (result, diagnostic) in results.iter().zip(&diagnostics) {
            assert_eq!(result["ruleId"], diagnostic.rule.id());
            let index = result["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[index]["id"], result["ruleId"]);
            assert_eq!(result["level"], level(diagnostic.severity));
            assert_eq!(result["message"]["text"], diagnostic.message.as_str());
            let locations = result["locations"].as_array().unwrap();
            assert_eq!(locations.len(), 1);
            assert_location(&locations[0], &diagnostic.primary, artifacts);
            let related = result
                .get("relatedLocations")
                .map(|r| r.as_array().unwrap().clone())
                .unwrap_or_default();
            assert_eq!(related.len(), diagnostic.related.len());
            for (n, (sarif, place)) in related.iter().zip(&diagnostic.related).enumerate() {
                assert_eq!(sarif["id"], n + 1);
                assert_eq!(sarif["message"]["text"], place.message.as_str());
                assert_location(sarif, &place.location, artifacts);
            }
            assert_eq!(
                result["properties"].get("help").and_then(Value::as_str),
                diagnostic.help.as_deref()
            );
        }
    }
}

#[test]
fn a_cross_check_finding_stands_at_the_csv_cell_with_the_json_member_related() {
    let outcome = common::check("tests/fixtures/name-mismatch");
    let log = render(&outcome);
    let run = &log["runs"][0];
    let results = run["results"].as_array().unwrap();
    let found: Vec<&Value> = results
        .iter()
        .filter(|r| r["ruleId"] == "name-mismatch")
        .collect();
    assert_eq!(found.len(), 1);
    let result = found[0];
    let primary = &result["locations"][0];
    assert_eq!(
        primary["physicalLocation"]["artifactLocation"]["uri"],
        "tests/fixtures/name-mismatch/users.csv"
    );
    assert_eq!(primary["physicalLocation"]["region"]["startLine"], 3);
    assert_eq!(primary["physicalLocation"]["region"]["startColumn"], 26);
    assert_eq!(primary["properties"]["row"], 3);
    assert_eq!(primary["properties"]["field"], "Name");
    let related = result["relatedLocations"].as_array().unwrap();
    assert_eq!(related.len(), 1);
    let artifact = &related[0]["physicalLocation"]["artifactLocation"];
    assert_eq!(artifact["uri"], "tests/fixtures/name-mismatch/usage.json");
    let index = artifact["index"].as_u64().unwrap() as usize;
    assert_eq!(
        run["artifacts"][index]["location"]["uri"],
        "tests/fixtures/name-mismatch/usage.json"
    );
    assert_eq!(related[0]["physicalLocation"]["region"]["startLine"], 13);
    assert_eq!(related[0]["properties"]["pointer"], "/team_members/1/name");
    assert_eq!(
        result["partialFingerprints"]["tupleReport/v1"],
        "name-mismatch:tests/fixtures/name-mismatch/users.csv:3:Name"
    );
}

#[test]
fn report_text_round_trips_exactly() {
    let outcome = common::check("tests/fixtures/participant-mismatch--escapes.json");
    let diagnostic = outcome.diagnostics().next().expect("one finding");
    assert!(diagnostic.message.contains("\\u{1b}[2J\\n::error::owned"));
    let text = outcome.render(Format::Sarif);
    // No raw control character reaches the log, whatever the report holds.
    assert!(!text.chars().any(|c| c.is_control() && c != '\n'));
    let log: Value = serde_json::from_str(&text).unwrap();
    let result = &log["runs"][0]["results"][0];
    assert_eq!(result["message"]["text"], diagnostic.message.as_str());
    assert_eq!(
        result["relatedLocations"][0]["message"]["text"],
        diagnostic.related[0].message.as_str()
    );
}

#[test]
fn fingerprints_name_the_value_not_the_line_and_are_unique() {
    for outcome in outcomes() {
        let log = render(&outcome);
        let results = log["runs"][0]["results"].as_array().unwrap();
        let mut seen = std::collections::HashSet::new();
        for (result, diagnostic) in results.iter().zip(outcome.diagnostics()) {
            let fingerprints = result["partialFingerprints"].as_object().unwrap();
            assert_eq!(fingerprints.len(), 1);
            let fingerprint = fingerprints["tupleReport/v1"].as_str().unwrap();
            assert!(seen.insert(fingerprint.to_owned()), "{fingerprint} twice");
            let prefix = format!("{}:{}:", diagnostic.rule.id(), diagnostic.primary.file);
            assert!(fingerprint.starts_with(&prefix), "{fingerprint}");
            if let Some(pointer) = diagnostic.primary.pointer() {
                assert!(
                    fingerprint[prefix.len()..].starts_with(pointer),
                    "{fingerprint}"
                );
            }
        }
    }
    let log = render(&common::check("tests/fixtures/duplicate-user-id.json"));
    assert_eq!(
        log["runs"][0]["results"][0]["partialFingerprints"]["tupleReport/v1"],
        "duplicate-user-id:tests/fixtures/duplicate-user-id.json:/team_members/3/user_id"
    );
}

#[test]
fn a_clean_check_has_artifacts_and_no_results() {
    let log = render(&check(&[
        "samples/valid/usage.json",
        "samples/valid/users.csv",
    ]));
    let run = &log["runs"][0];
    assert_eq!(run["results"], serde_json::json!([]));
    assert_eq!(run["artifacts"].as_array().unwrap().len(), 2);
    assert_eq!(
        run["tool"]["driver"]["rules"].as_array().unwrap().len(),
        Rule::ALL.len()
    );
}

#[test]
fn paths_are_written_as_uri_references() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("sarif paths");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("usage 100%#1.json");
    std::fs::copy("tests/fixtures/duplicate-user-id.json", &file).unwrap();
    let outcome = check(&[file.to_str().unwrap()]);
    let log = render(&outcome);
    let run = &log["runs"][0];
    let uri = run["artifacts"][0]["location"]["uri"].as_str().unwrap();
    assert!(
        uri.ends_with("/sarif%20paths/usage%20100%25%231.json"),
        "{uri}"
    );
    assert!(!uri.contains(' '));
    let result = &run["results"][0];
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        uri
    );
}

#[test]
fn rendering_is_deterministic() {
    for paths in [
        &DEFECTIVE[..],
        &["tests/fixtures/participant-mismatch--escapes.json"],
    ] {
        let first = check(paths).render(Format::Sarif);
        assert_eq!(first, check(paths).render(Format::Sarif));
        assert!(first.ends_with("}\n"));
    }
}

/// `tests/sarif/example.sarif` is the render of the defective sample pair, checked at
/// [`common::NOW`]. It was validated with the SARIF multitool (see `tests/sarif/README.md`);
/// this test keeps it equal to what the renderer writes today, so it never goes stale.
#[test]
fn the_validated_example_is_current() {
    let fresh = check(&DEFECTIVE).render(Format::Sarif);
    if std::env::var_os("UPDATE_SARIF_EXAMPLE").is_some_and(|v| v == "1") {
        std::fs::write(EXAMPLE, &fresh).expect("tests/sarif/ is writable");
        return;
    }
    let stored = std::fs::read_to_string(EXAMPLE).unwrap_or_default();
    assert!(
        stored == fresh,
        "{EXAMPLE} differs from a fresh render; after an intended change, run \
         `UPDATE_SARIF_EXAMPLE=1 cargo test --test sarif`, validate the file again \
         (tests/sarif/README.md) and review the diff"
    );
}
