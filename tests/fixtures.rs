//! Every rule has a fixture that triggers it; each fixture's output is pinned by snapshots.

mod common;

use common::{assert_valid_output, check, fixtures, name_of, rule_of, with_snapshots};
use tuple_report::Rule;
use tuple_report::Severity;
use tuple_report::{Anchor, Format, Position};

/// Where each rule fires in its fixture: (fixture, rule, line, column), the one place a
/// reader can check against the file by eye.
const EXPECTED: &[(&str, &str, usize, usize)] = &[
    ("json-syntax", "json-syntax", 69, 3),
    ("json-syntax--empty", "json-syntax", 1, 1),
    ("json-syntax--too-deep", "json-syntax", 1, 144),
    ("json-syntax--truncated", "json-syntax", 35, 10),
    ("json-encoding", "json-encoding", 1, 1),
    ("json-encoding--latin1", "json-encoding", 5, 21),
    ("json-bom", "json-bom", 1, 1),
    ("json-duplicate-key", "json-duplicate-key", 15, 7),
    ("schema-type", "schema-type", 45, 27),
    ("schema-required", "schema-required", 19, 5),
    ("schema-format", "schema-format", 50, 18),
    ("schema-minimum", "schema-minimum", 62, 31),
    ("unknown-field", "unknown-field", 15, 7),
    ("duplicate-user-id", "duplicate-user-id", 28, 18),
    ("duplicate-email", "duplicate-email", 30, 16),
    ("duplicate-call-id", "duplicate-call-id", 50, 18),
    ("call-ends-before-start", "call-ends-before-start", 47, 19),
    ("call-duration-mismatch", "call-duration-mismatch", 45, 27),
    (
        "participant-exceeds-call",
        "participant-exceeds-call",
        42,
        31,
    ),
    ("duplicate-participant", "duplicate-participant", 65, 22),
    ("empty-call", "empty-call", 71, 23),
    ("unknown-participant", "unknown-participant", 65, 22),
    ("participant-mismatch", "participant-mismatch", 60, 19),
    // Regression (issue 12): a participant with a member's email but another user_id was
    // "not among the team members".
    (
        "participant-mismatch--user-id",
        "participant-mismatch",
        39,
        22,
    ),
    (
        "participant-mismatch--doubled-space",
        "participant-mismatch",
        60,
        19,
    ),
    ("last-call-stale", "last-call-stale", 25, 23),
    ("last-call-stale--null", "last-call-stale", 25, 23),
    ("last-call-unmatched", "last-call-unmatched", 25, 23),
    ("before-account-created", "before-account-created", 25, 23),
    ("before-account-created", "before-account-created", 39, 22),
    ("call-outside-window", "call-outside-window", 46, 21),
    ("future-timestamp", "future-timestamp", 15, 23),
    ("no-team-members", "no-team-members", 2, 19),
    ("csv-syntax.csv", "csv-syntax", 3, 26),
    ("csv-syntax--ragged.csv", "csv-syntax", 3, 87),
    ("csv-syntax--text-after-quote.csv", "csv-syntax", 3, 32),
    ("csv-encoding.csv", "csv-encoding", 2, 28),
    // Decoded as what they appear to be, the rows match their members: names with accents
    // included, so nothing else is found.
    ("csv-encoding--windows-1252-pair/", "csv-encoding", 2, 28),
    ("csv-encoding--utf16-pair/", "csv-encoding", 1, 1),
    // The cells separated by semicolons (a European spreadsheet) or tabs (Excel's "Unicode
    // text"): said once, at the header, and the rows read with it.
    ("csv-separator.csv", "csv-separator", 1, 1),
    ("csv-separator--tab.csv", "csv-separator", 1, 1),
    ("csv-separator--pair/", "csv-separator", 1, 1),
    // Regression (issue 12): a file cut off mid-row was "row 3 has 3 cells" and, paired, a
    // missing-from-csv per member before it.
    ("csv-syntax--cut-off.csv", "csv-syntax", 3, 64),
    ("csv-encoding--utf16.csv", "csv-encoding", 1, 1),
    ("csv-header.csv", "csv-header", 1, 1),
    ("csv-header--repeated.csv", "csv-header", 1, 64),
    // A column a newer export might add: a warning, at its name.
    ("csv-unknown-column.csv", "csv-unknown-column", 1, 64),
    ("csv-no-rows.csv", "csv-no-rows", 1, 1),
    ("csv-no-role-column/", "csv-no-role-column", 1, 1),
    ("csv-missing-value.csv", "csv-missing-value", 4, 27),
    ("csv-invalid-email.csv", "csv-invalid-email", 3, 1),
    // Row 2's Name is a quoted cell over two lines, so row 3 starts on line 4.
    (
        "csv-invalid-email--after-multiline-cell.csv",
        "csv-invalid-email",
        4,
        1,
    ),
    ("csv-invalid-date.csv", "csv-invalid-date", 4, 41),
    // Every date of both columns: one finding each, at the column's name.
    (
        "csv-invalid-date--whole-column.csv",
        "csv-invalid-date",
        1,
        12,
    ),
    (
        "csv-invalid-date--whole-column.csv",
        "csv-invalid-date",
        1,
        38,
    ),
    ("csv-invalid-role.csv", "csv-invalid-role", 4, 89),
    // No row is the Team Owner: the finding stands at the Role column's name.
    ("csv-team-owner.csv", "csv-team-owner", 1, 59),
    ("csv-team-owner--two.csv", "csv-team-owner", 4, 89),
    ("csv-duplicate-email.csv", "csv-duplicate-email", 5, 1),
    ("csv-formula.csv", "csv-formula", 3, 26),
    // A finding about the file as a whole: no line or column (0, 0).
    ("unpaired-report.csv", "unpaired-report", 0, 0),
    ("different-teams/", "different-teams", 2, 1),
    ("missing-from-csv/", "missing-from-csv", 22, 16),
    // Regression: the later member of a duplicate-email was also reported missing-from-csv,
    // since a row matches only the first member with its email (found by `generate`).
    ("duplicate-email--pair/", "duplicate-email", 30, 16),
    ("missing-from-json/", "missing-from-json", 5, 1),
    ("name-mismatch/", "name-mismatch", 3, 26),
    // Still findings, worded so the difference can be seen.
    ("name-mismatch--no-break-space/", "name-mismatch", 3, 26),
    ("name-mismatch--letter-case/", "name-mismatch", 3, 26),
    ("created-at-mismatch/", "created-at-mismatch", 4, 65),
    (
        "created-at-mismatch--local-date/",
        "created-at-mismatch",
        2,
        57,
    ),
    ("last-call-mismatch/", "last-call-mismatch", 4, 41),
    // A call after the JSON was downloaded: the verdict says which file is newer.
    (
        "last-call-mismatch--downloaded-later/",
        "last-call-mismatch",
        3,
        40,
    ),
    (
        "last-call-mismatch--empty-cell/",
        "last-call-mismatch",
        4,
        41,
    ),
];

#[test]
fn every_rule_has_a_fixture_that_triggers_it() {
    let fixtures = fixtures();
    for rule in Rule::ALL {
        let own: Vec<&String> = fixtures
            .iter()
            .filter(|f| rule_of(f) == rule.id())
            .collect();
        assert!(
            !own.is_empty(),
            "rule {} has no fixture in tests/fixtures",
            rule.id()
        );
        for fixture in own {
            let outcome = check(fixture);
            let rules: Vec<Rule> = outcome.diagnostics().map(|d| d.rule).collect();
            assert!(
                rules.contains(rule),
                "{fixture} does not trigger {}: {rules:?}",
                rule.id()
            );
            // A fixture isolates its rule: nothing else fires, so a snapshot shows one thing.
            assert!(
                rules.iter().all(|r| r == rule),
                "{fixture} triggers other rules too: {rules:?}"
            );
        }
    }
    let known: Vec<&str> = Rule::ALL.iter().map(|r| r.id()).collect();
    for fixture in &fixtures {
        let rule = rule_of(fixture);
        assert!(
            rule == "valid" || known.contains(&rule.as_str()),
            "{fixture} names no rule"
        );
    }
}

#[test]
fn rules_fire_at_the_expected_place() {
    for &(fixture, rule, line, column) in EXPECTED {
        // A bare name is a JSON fixture; others carry their extension or a trailing slash.
        let path = match fixture {
            f if f.ends_with('/') => format!("tests/fixtures/{}", f.trim_end_matches('/')),
            f if f.contains('.') => format!("tests/fixtures/{f}"),
            f => format!("tests/fixtures/{f}.json"),
        };
        let outcome = check(&path);
        let places: Vec<(&str, usize, usize)> = outcome
            .diagnostics()
            .map(|d| {
                let start = match d.primary.anchor {
                    Anchor::File => Position { line: 0, column: 0 },
                    _ => d.primary.start.expect("every finding is located"),
                };
                (d.rule.id(), start.line, start.column)
            })
            .collect();
        assert!(
            places.contains(&(rule, line, column)),
            "{path}: expected {rule} at {line}:{column}, got {places:?}"
        );
    }
    for rule in Rule::ALL {
        assert!(
            EXPECTED.iter().any(|e| e.1 == rule.id()),
            "no expected place for {}",
            rule.id()
        );
    }
}

#[test]
fn the_valid_fixtures_report_nothing_louder_than_info() {
    let outcome = check("tests/fixtures/valid.json");
    assert_eq!(outcome.diagnostics().count(), 0);
    let stats = outcome.files[0].stats.as_ref().expect("parsed");
    assert_eq!((stats.members, stats.calls), (3, 2));
    // The valid pair and its variants: BOM with CRLF, Rails-style dates, a four-column export.
    for fixture in [
        "valid--users.csv",
        "valid--pair",
        "valid--bom-crlf",
        "valid--cr-line-endings",
        "valid--rails-dates",
        "valid--reordered-columns",
        // Names saved decomposed (e + U+0301) on one side, composed on the other: the same.
        "valid--decomposed-names",
        // Bare dates in the timestamps' own time zones, behind and ahead of UTC, and a time to
        // the minute.
        "valid--local-dates",
        "valid--decomposed-names-in-json",
        "csv-no-role-column",
    ] {
        let outcome = check(&format!("tests/fixtures/{fixture}"));
        let loud: Vec<String> = outcome
            .diagnostics()
            .filter(|d| d.severity > Severity::Info)
            .map(|d| d.to_string())
            .collect();
        assert!(loud.is_empty(), "{fixture}: {loud:#?}");
        if fixture != "valid--users.csv" {
            assert_eq!(outcome.pairs.len(), 1, "{fixture} was not cross-checked");
            assert_eq!(outcome.pairs[0].matched, Some(3), "{fixture}");
        }
    }
}

#[test]
fn fixture_output_snapshots() {
    with_snapshots(|| {
        for fixture in fixtures() {
            let outcome = check(&fixture);
            let name = name_of(&fixture);
            let human = outcome.render(Format::Human);
            insta::assert_snapshot!(format!("{name}.human"), human);
            let json = outcome.render(Format::Json);
            // The published contract: schema/output.schema.json.
            assert_valid_output(&json);
            insta::assert_snapshot!(format!("{name}.json"), json);
        }
    });
}
