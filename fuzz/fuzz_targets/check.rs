//! The library's check of arbitrary bytes, as a usage report, a user report, or a pair of
//! both, with every finding rendered in every format.
//!
//! The first byte picks what the rest is; for a pair, the second byte says where the JSON
//! ends. Whatever the bytes, the check must finish without a panic, and every output must be
//! what its format promises: JSON and SARIF parse, JUnit is well-formed XML, each GitHub line
//! is a workflow command, and the HTML page has no `<` that a report's text put there.

#![no_main]

use libfuzzer_sys::fuzz_target;
use tuple_report::Format;
use tuple_report::Checker;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let checker = Checker::new()
        .as_of("2026-11-01T00:00:00Z".parse().expect("RFC 3339"))
        .overview(true);
    let outcome = match pick % 3 {
        0 => checker.check_bytes(&[("usage.json", rest)]),
        1 => checker.check_bytes(&[("users.csv", rest)]),
        _ => {
            let Some((&cut, rest)) = rest.split_first() else {
                return;
            };
            let at = usize::from(cut) * rest.len() / 256;
            let (usage, users) = rest.split_at(at);
            checker.check_bytes(&[("usage.json", usage), ("users.csv", users)])
        }
    };
    let json: serde_json::Value =
        serde_json::from_str(&outcome.render(Format::Json)).expect("JSON output parses");
    assert_eq!(
        json["diagnostics"].as_array().map(Vec::len),
        Some(outcome.diagnostics().count())
    );
    let _: serde_json::Value =
        serde_json::from_str(&outcome.render(Format::Sarif)).expect("SARIF parses");
    let junit = outcome.render(Format::Junit);
    roxmltree::Document::parse(&junit).expect("JUnit is well-formed XML");
    for line in outcome.render(Format::Github).lines() {
        assert!(line.starts_with("::") || line.starts_with("tuple-report:"), "{line}");
    }
    let human = outcome.render(Format::Human);
    assert!(!human.contains('\u{1b}'), "an escape sequence in plain human output");
    // Every `<` of the page starts one of its own tags (a report's `<` is `&lt;`), and none
    // is a script.
    let html = outcome.render(Format::Html);
    for (at, _) in html.match_indices('<') {
        let next = html[at + 1..].chars().next();
        assert!(
            next.is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!'),
            "a stray < in the page at byte {at}"
        );
    }
    assert!(!html.to_ascii_lowercase().contains("<script"));
});
