//! The CI formats (GitHub annotations, JUnit XML): snapshots, and what must hold whatever a
//! report's names contain.

mod common;

use common::{check, with_snapshots};
use tuple_report::Format;

/// Fixtures whose text tries to break out: escape sequences, `%`, `::`, `,`, CR LF, markup.
const HOSTILE: &[&str] = &[
    "tests/fixtures/participant-mismatch--escapes.json",
    "tests/fixtures/participant-mismatch--markup.json",
];

const SHOWN: &[&str] = &[
    "tests/fixtures/participant-mismatch--escapes.json",
    "tests/fixtures/participant-mismatch--markup.json",
    "tests/fixtures/name-mismatch",
    "tests/fixtures/valid--pair",
];

fn render(format: Format, fixture: &str) -> String {
    check(fixture).render(format)
}

fn name(fixture: &str) -> String {
    common::name_of(fixture)
}

#[test]
fn github_and_junit_snapshots() {
    with_snapshots(|| {
        for fixture in SHOWN {
            insta::assert_snapshot!(
                format!("{}.github", name(fixture)),
                render(Format::Github, fixture)
            );
            insta::assert_snapshot!(
                format!("{}.junit", name(fixture)),
                render(Format::Junit, fixture)
            );
        }
    });
}

#[test]
fn no_report_text_starts_a_line_or_a_command_in_github_output() {
    for fixture in HOSTILE.iter().chain(SHOWN) {
        let output = render(Format::Github, fixture);
        let lines: Vec<&str> = output.lines().collect();
        let (summary, annotations) = lines.split_last().expect("a summary line");
        assert!(
            summary.starts_with("tuple-report: "),
            "{fixture}: {summary}"
        );
        let outcome = check(fixture);
        assert_eq!(
            annotations.len(),
            outcome.diagnostics().count(),
            "{fixture}: one line a finding"
        );
        for line in annotations {
            let (command, rest) = line.split_once(' ').expect("a command and its properties");
            assert!(
                matches!(command, "::error" | "::warning" | "::notice"),
                "{fixture}: {line}"
            );
            // The properties end at the first "::", and hold no ":" of their own.
            let (properties, _message) =
                rest.split_once("::").expect("properties, then the message");
            assert!(!properties.contains(':'), "{fixture}: {properties}");
            assert_eq!(properties.split(',').count(), 6, "{fixture}: {properties}");
            assert!(!line.contains('\r'), "{fixture}: a raw CR");
        }
    }
}

#[test]
fn junit_is_well_formed_xml_whatever_a_report_holds() {
    for fixture in HOSTILE.iter().chain(SHOWN) {
        let output = render(Format::Junit, fixture);
        let document = roxmltree::Document::parse(&output)
            .unwrap_or_else(|e| panic!("{fixture}: {e}\n{output}"));
        let outcome = check(fixture);
        let failed_cases = document
            .descendants()
            .filter(|n| n.has_tag_name("testcase"))
            .filter(|case| case.children().any(|c| c.has_tag_name("failure")))
            .count();
        let root = document.root_element();
        assert_eq!(
            root.attribute("failures"),
            Some(failed_cases.to_string().as_str()),
            "{fixture}: failures counts failed test cases"
        );
        // Every finding comes back exactly, escaping undone by the XML parser, in the test
        // case of its rule in its file (a failure's text, or the system-out of a case that
        // passes because the finding is below --fail-on).
        for diagnostic in outcome.diagnostics() {
            let case = document
                .descendants()
                .find(|n| {
                    n.has_tag_name("testcase")
                        && n.attribute("name") == Some(diagnostic.rule.id())
                        && n.attribute("classname") == Some(diagnostic.primary.file.as_str())
                })
                .unwrap_or_else(|| panic!("{fixture}: no case for {diagnostic}"));
            let text: String = case
                .descendants()
                .filter(|n| n.is_text())
                .filter_map(|n| n.text())
                .collect();
            assert!(
                text.contains(&diagnostic.to_string()),
                "{fixture}: {diagnostic} not in {text}"
            );
        }
    }
}

#[test]
fn a_clean_rule_shows_as_a_passed_test_case() {
    let output = render(Format::Junit, "tests/fixtures/name-mismatch");
    let document = roxmltree::Document::parse(&output).unwrap();
    let cases: Vec<_> = document
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    let failed: Vec<&str> = cases
        .iter()
        .filter(|case| case.children().any(|c| c.has_tag_name("failure")))
        .filter_map(|case| case.attribute("name"))
        .collect();
    assert_eq!(failed, ["name-mismatch"]);
    assert!(cases
        .iter()
        .any(|case| case.attribute("name") == Some("json-syntax")));
    // The paired files share the cross-check rules: each rule is a test case once.
    let count = |rule: &str| {
        cases
            .iter()
            .filter(|c| c.attribute("name") == Some(rule))
            .count()
    };
    assert_eq!(count("name-mismatch"), 1);
    assert_eq!(count("missing-from-csv"), 1);
}

#[test]
fn every_format_renders_every_fixture() {
    for fixture in common::fixtures() {
        let outcome = common::check(&fixture);
        for format in common::FORMATS {
            let output = outcome.render(format);
            assert!(output.ends_with('\n'), "{fixture} as {format:?}");
        }
    }
}

/// A gate's first promise: a path it could not check, and whatever a walk left out, shows in
/// every format, and no format reads as a clean pass.
#[test]
fn what_was_not_checked_shows_in_every_format() {
    let outcome = tuple_report::Checker::new()
        .as_of(common::NOW.parse().unwrap())
        .check_paths(&["no/such/usage.json", "tests/walk/exports"])
        .unwrap();
    assert!(!outcome.checked_everything());
    let skipped = outcome.skipped.len();
    assert_eq!(skipped, 3, "{:?}", outcome.skipped);
    let render = |format| outcome.render(format);

    let human = render(Format::Human);
    assert!(human.contains("error: cannot read no/such/usage.json: no such file"));
    assert!(human.contains("1 path could not be checked"), "{human}");
    assert!(human.contains("left out 1 hidden folder: tests/walk/exports/.cache"));

    let json: serde_json::Value = serde_json::from_str(&render(Format::Json)).unwrap();
    assert_eq!(json["summary"]["unreadable"], 1);
    assert_eq!(json["summary"]["skipped"], skipped);
    let missing = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "no/such/usage.json")
        .expect("the unreadable path is a files entry");
    assert_eq!(missing["error"], "no such file");
    assert_eq!(json["skipped"].as_array().unwrap().len(), skipped);

    let sarif: serde_json::Value = serde_json::from_str(&render(Format::Sarif)).unwrap();
    let invocation = &sarif["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notifications = invocation["toolExecutionNotifications"].as_array().unwrap();
    assert_eq!(notifications.len(), 1 + skipped);
    assert_eq!(notifications[0]["level"], "error");
    assert_eq!(
        notifications[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "no/such/usage.json"
    );

    let junit = render(Format::Junit);
    let document = roxmltree::Document::parse(&junit).expect("well-formed XML");
    let root = document.root_element();
    assert_eq!(root.attribute("errors"), Some("1"));
    assert_eq!(
        root.attribute("skipped"),
        Some(skipped.to_string().as_str())
    );
    let errors = document
        .descendants()
        .filter(|n| n.has_tag_name("error"))
        .count();
    let skips = document
        .descendants()
        .filter(|n| n.has_tag_name("skipped"))
        .count();
    assert_eq!((errors, skips), (1, skipped));

    let github = render(Format::Github);
    assert!(github.contains(
        "::error file=no/such/usage.json,title=unreadable::cannot read no/such/usage.json: no such file"
    ));
    assert!(github.contains("::notice title=left out::left out 1 hidden folder"));
    assert!(!github.contains("no problems found"));

    // The page's first words say so, and the path has a row (and a section) of its own.
    let html = render(Format::Html);
    assert!(html.contains(
        "<p class=\"verdict bad\">The check is incomplete: 1 path could not be checked</p>"
    ));
    assert!(html.contains("Not checked: no such file"), "{html}");
    assert!(html.contains("left out 1 hidden folder: tests/walk/exports/.cache"));
}
