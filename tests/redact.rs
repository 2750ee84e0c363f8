//! `--redact`: no name or email of a report reaches any output, and the marks that carry them
//! through a check never do either way.

mod common;

use common::{files_of, fixtures, with_snapshots, FORMATS};
use tuple_report::{escape, Format, Outcome};

/// The mark `personal` puts around a name or an email inside a message.
const MARK: char = '\u{e000}';

/// Every name and email a file holds, however it is laid out: the strings after a `"name"`
/// or `"email"` key of a JSON file (found in the text, so that a report that does not parse
/// gives them too), and the Name and Email cells of a CSV file, with every cell that holds an
/// `@` (a user report whose header is gone).
fn personal_texts(path: &str) -> Vec<String> {
    let bytes = std::fs::read(path).unwrap();
    let text = match bytes.as_slice() {
        [0xff, 0xfe, rest @ ..] => utf16(rest, u16::from_le_bytes),
        [0xfe, 0xff, rest @ ..] => utf16(rest, u16::from_be_bytes),
        _ => String::from_utf8_lossy(&bytes).into_owned(),
    };
    let mut found = if path.ends_with(".json") {
        json_texts(&text)
    } else {
        csv_texts(&text)
    };
    // Short texts ("Al", "x@y") are as likely to be words of a message; what is tested is that
    // no whole name or address gets through.
    found.retain(|t| t.trim().chars().count() >= 4);
    found.sort();
    found.dedup();
    found
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> String {
    let units: Vec<u16> = bytes.chunks_exact(2).map(|c| unit([c[0], c[1]])).collect();
    String::from_utf16_lossy(&units)
}

fn json_texts(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for key in ["\"name\"", "\"email\""] {
        for (at, _) in text.match_indices(key) {
            let rest = text[at + key.len()..].trim_start();
            let Some(rest) = rest.strip_prefix(':') else {
                continue;
            };
            let rest = rest.trim_start();
            if !rest.starts_with('"') {
                continue;
            }
            let mut stream = serde_json::Deserializer::from_str(rest).into_iter::<String>();
            if let Some(Ok(value)) = stream.next() {
                found.push(value);
            }
        }
    }
    found
}

fn csv_texts(text: &str) -> Vec<String> {
    let header = text.lines().next().unwrap_or_default();
    let separator = [b'\t', b';']
        .into_iter()
        .find(|s| header.as_bytes().contains(s))
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator)
        .flexible(true)
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut records = reader.records().filter_map(Result::ok);
    let Some(names) = records.next() else {
        return Vec::new();
    };
    let personal: Vec<bool> = names
        .iter()
        .map(|n| matches!(n.trim().to_lowercase().as_str(), "name" | "email"))
        .collect();
    let mut found: Vec<String> = names
        .iter()
        .filter(|cell| cell.contains('@'))
        .map(str::to_owned)
        .collect();
    for record in records {
        for (i, cell) in record.iter().enumerate() {
            if personal.get(i) == Some(&true) || cell.contains('@') {
                found.push(cell.to_owned());
            }
        }
    }
    found
}

/// Every fixture and sample, as the paths of its files.
fn cases() -> Vec<Vec<String>> {
    let mut cases: Vec<Vec<String>> = fixtures().iter().map(|f| files_of(f)).collect();
    cases.push(files_of("samples/defective"));
    cases.push(files_of("samples/valid"));
    cases
}

fn check(paths: &[String], redact: bool) -> Outcome {
    // With what the HTML page shows beside the findings: its member table names everyone.
    common::checker()
        .overview(true)
        .redact(redact)
        .check_paths(paths)
        .unwrap()
}

/// SARIF's rule descriptions hold each rule's page, whose examples name made-up people (the
/// same as the fixtures'): only what the run found is looked in.
fn without_rule_pages(format: Format, output: String) -> String {
    if format != Format::Sarif {
        return output;
    }
    let mut log: serde_json::Value = serde_json::from_str(&output).unwrap();
    let run = &mut log["runs"][0];
    assert!(run["tool"]["driver"]["rules"].is_array());
    run["tool"] = serde_json::Value::Null;
    // Unescaped, as the other outputs' texts are looked for.
    serde_json::to_string_pretty(&log).unwrap()
}

/// Every text of an outcome a renderer may copy from it.
fn texts_of(outcome: &Outcome) -> Vec<String> {
    let mut texts = Vec::new();
    for d in outcome.diagnostics() {
        texts.push(d.message.clone());
        texts.extend(d.help.clone());
        let locations = std::iter::once(&d.primary).chain(d.related.iter().map(|r| &r.location));
        texts.extend(locations.filter_map(|l| l.excerpt.as_ref().map(|e| e.text.clone())));
        texts.extend(d.related.iter().map(|r| r.message.clone()));
    }
    texts.extend(outcome.pairs.iter().filter_map(|p| p.verdict.clone()));
    texts
}

#[test]
fn no_name_or_email_of_any_fixture_reaches_an_output_when_redacted() {
    let mut checked = 0;
    for paths in cases() {
        let personal: Vec<String> = paths.iter().flat_map(|p| personal_texts(p)).collect();
        let outcome = check(&paths, true);
        assert!(outcome.redacted);
        let mut outputs: Vec<String> = FORMATS
            .iter()
            .map(|f| without_rule_pages(*f, outcome.render(*f)))
            .collect();
        outputs.extend(texts_of(&outcome));
        for text in &personal {
            checked += 1;
            for output in &outputs {
                assert!(
                    !output.contains(text.as_str()) && !output.contains(&escape(text)),
                    "{paths:?}: {text:?} is in\n{output}"
                );
            }
        }
        // And not redacted, the same outcome but for the names.
        let shown = check(&paths, false);
        assert_eq!(
            outcome.diagnostics().map(|d| d.rule).collect::<Vec<_>>(),
            shown.diagnostics().map(|d| d.rule).collect::<Vec<_>>(),
            "{paths:?}"
        );
    }
    // The test is worth something only if the fixtures hold names to hide and findings
    // that would show them.
    assert!(checked > 500, "{checked} names and emails looked for");
    let shown = check(&files_of("samples/defective"), false);
    let human = shown.render(Format::Human);
    assert!(human.contains("\"emma.lindqvist@example.com\""), "{human}");
}

#[test]
fn no_mark_reaches_any_output_either_way() {
    for paths in cases() {
        for redact in [false, true] {
            let outcome = check(&paths, redact);
            for format in FORMATS {
                let output = outcome.render(format);
                assert!(
                    !output.contains(MARK),
                    "{paths:?} {format:?} redact={redact}:\n{output}"
                );
            }
            for text in texts_of(&outcome) {
                assert!(!text.contains(MARK), "{paths:?}: {text:?}");
            }
        }
    }
}

/// Regression: a user report without a header has a person's email and name where the column
/// names should be, and the findings' places named the columns by them (`"field":
/// "ana@example.com"`, `at row 1, column "Ana López"`).
#[test]
fn a_user_report_without_a_header_shows_no_one_when_redacted() {
    let csv =
        "ana@example.com,Ana López,2026-10-14 09:30:00 UTC,2025-03-04 10:12:44 UTC,Team Owner\n\
               bo@example.com,Bo Berg,,2025-03-05 08:01:10 UTC,\n";
    let outcome = common::checker()
        .redact(true)
        .check_bytes(&[("users.csv", csv.as_bytes())]);
    assert!(outcome
        .diagnostics()
        .any(|d| d.rule == tuple_report::Rule::CsvUnknownColumn));
    for format in FORMATS {
        let output = without_rule_pages(format, outcome.render(format));
        for text in ["ana@example.com", "Ana López", "bo@example.com", "Bo Berg"] {
            assert!(!output.contains(text), "{format:?}: {text}\n{output}");
        }
    }
    // Without --redact, the columns are named as the file names them.
    let shown = common::checker().check_bytes(&[("users.csv", csv.as_bytes())]);
    assert!(shown
        .render(Format::Json)
        .contains("\"field\": \"Ana López\""));
}

/// What a redacted check of the defective sample prints, for people and for programs.
#[test]
fn redacted_output_snapshots() {
    let outcome = check(&files_of("samples/defective"), true);
    with_snapshots(|| {
        insta::assert_snapshot!("redacted-defective-human", outcome.render(Format::Human));
        insta::assert_snapshot!("redacted-defective-json", outcome.render(Format::Json));
    });
    common::assert_valid_output(&outcome.render(Format::Json));
    let sarif: serde_json::Value = serde_json::from_str(&outcome.render(Format::Sarif)).unwrap();
    assert_eq!(sarif["runs"][0]["properties"]["redacted"], true);
    let json: serde_json::Value = serde_json::from_str(&outcome.render(Format::Json)).unwrap();
    assert_eq!(json["redacted"], true);
    // Not redacted, neither says so.
    let shown = check(&files_of("samples/defective"), false);
    let json: serde_json::Value = serde_json::from_str(&shown.render(Format::Json)).unwrap();
    assert!(json.get("redacted").is_none());
}

/// A hash is what `sha256sum` gives for the address in lower case: a team owner who has the
/// address can find the member.
#[test]
fn an_email_hash_can_be_found_again_from_the_address() {
    let outcome = check(&files_of("samples/defective"), true);
    // printf %s emma.lindqvist@example.com | sha256sum | cut -c1-8
    let hash = "[email d97687cb]";
    assert!(
        outcome.diagnostics().any(|d| d.message.contains(hash)),
        "{}",
        outcome.render(Format::Human)
    );
}
