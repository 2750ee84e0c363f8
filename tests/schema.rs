//! The embedded schema is the vendor's, unedited, and the README's rule table is the registry's.

use sha2::{Digest, Sha256};

/// SHA-256 of `schema/usage-report.schema.json`: the schema block of the vendor's
/// "Exporting Team Usage" page, ending in one newline. An edit must change this on purpose.
const SCHEMA_SHA256: &str = "f3a4bd67a20b06aef3512c4201710ff6322bbee08dbde5d4296acd4e92786bae";

#[test]
fn the_embedded_schema_is_pinned() {
    let digest = Sha256::digest(tuple_report::SCHEMA.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(hex, SCHEMA_SHA256);
}

#[test]
fn the_readme_rule_table_is_the_registry() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let start = readme
        .find("<!-- rules:start -->\n")
        .expect("README has the rules:start marker")
        + "<!-- rules:start -->\n".len();
    let end = readme
        .find("<!-- rules:end -->")
        .expect("README has the rules:end marker");
    let table = tuple_report::internals::markdown_table();
    // Printed as it is, to paste between the markers.
    assert!(
        readme[start..end] == table,
        "the README's rule table is out of date; paste this between the rules markers:\n\n{table}"
    );
}
