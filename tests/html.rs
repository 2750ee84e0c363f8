//! `--format html` (issue 16): a page that is self-contained, the same bytes every time, and
//! safe whatever a report holds: every text of a report comes out as text.

mod common;

use base64::Engine as _;
use sha2::{Digest, Sha256};
use tuple_report::{Checker, Format, Outcome};

fn checker() -> Checker {
    common::checker_with_every_rule()
        .as_of(common::NOW.parse().unwrap())
        .overview(true)
}

fn page(paths: &[&str]) -> String {
    checker()
        .check_paths(paths)
        .expect("the paths exist")
        .render(Format::Html)
}

/// The tags the page is made of: anything else was made by a report's text.
const TAGS: &[&str] = &[
    "!DOCTYPE",
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "main",
    "header",
    "footer",
    "section",
    "h1",
    "h2",
    "h3",
    "h4",
    "p",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "a",
    "br",
    "ul",
    "ol",
    "li",
    "details",
    "summary",
    "span",
    "code",
    "pre",
    "mark",
    "div",
    "figure",
    "figcaption",
    "svg",
    "rect",
    "line",
    "text",
    "polyline",
    "title",
];

/// Every tag of the page (`<name ...>` and `</name>`), with its attributes (name, value);
/// panics on a `<` that starts no tag, which only a report's text could have put there.
fn tags(page: &str) -> Vec<(String, Vec<(String, String)>)> {
    let body = page
        .split_once("<style>")
        .and_then(|(head, rest)| Some(format!("{head}{}", rest.split_once("</style>")?.1)))
        .expect("one style element");
    let mut found = Vec::new();
    for piece in body.split('<').skip(1) {
        let tag = piece.split_once('>').expect("every < closes").0;
        let tag = tag.strip_prefix('/').unwrap_or(tag);
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '!')
            .collect();
        assert!(!name.is_empty(), "a < that starts no tag: <{piece:.40}");
        // Attributes: `name="value"`, the values never holding a quote (they are escaped).
        let parts: Vec<&str> = tag.split('"').collect();
        let attributes = parts
            .chunks(2)
            .filter_map(|pair| {
                let before = pair[0].trim_end().strip_suffix('=')?;
                let name = before.rsplit(' ').next().unwrap_or("");
                Some((
                    name.to_owned(),
                    pair.get(1).copied().unwrap_or("").to_owned(),
                ))
            })
            .collect();
        found.push((name, attributes));
    }
    found
}

fn assert_safe(page: &str) {
    for (tag, attributes) in tags(page) {
        assert!(TAGS.contains(&tag.as_str()), "an unexpected <{tag}>");
        for (name, value) in attributes {
            assert!(
                !name.to_ascii_lowercase().starts_with("on"),
                "an event handler {name} on <{tag}>"
            );
            // Nothing is fetched or linked to but places on the page itself.
            assert!(name != "src", "<{tag} src=\"{value}\">");
            if name == "href" {
                assert!(value.starts_with('#'), "<{tag} href=\"{value}\">");
            }
            if value.contains("http") {
                assert_eq!(
                    (name.as_str(), value.as_str()),
                    ("xmlns", "http://www.w3.org/2000/svg")
                );
            }
        }
    }
    assert!(!page.to_ascii_lowercase().contains("<script"));
}

/// What a team owner's download can hold in its names and emails, and must read as text.
const HOSTILE: [&str; 3] = [
    "<img src=x onerror=alert(1)>",
    "</style><script>alert(2)</script>",
    "\"><svg onload=alert(3)>",
];

#[test]
fn hostile_names_come_out_as_text() {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("html-hostile");
    std::fs::create_dir_all(&dir).unwrap();
    let usage = format!(
        r#"{{"team_members": [
  {{"user_id": 1, "name": {}, "email": "ann@example.com", "created_at": "2026-01-05T10:00:00Z", "last_call_at": "2026-09-14T09:30:00Z"}},
  {{"user_id": 2, "name": {}, "email": {}, "created_at": "2026-01-05T10:00:00Z", "last_call_at": null}}
], "calls": [
  {{"call_id": "3f2b8a9e-4c1d-4e8b-9a7f-1b2c3d4e5f60", "started_at": "2026-09-14T09:30:00Z", "ended_at": "2026-09-14T09:35:00Z", "duration_minutes": 5,
    "participants": [{{"user_id": 1, "name": {}, "email": "ann@example.com", "duration_minutes": 5}}]}}
]}}"#,
        serde_json::to_string(HOSTILE[0]).unwrap(),
        serde_json::to_string(HOSTILE[1]).unwrap(),
        serde_json::to_string(HOSTILE[2]).unwrap(),
        serde_json::to_string(HOSTILE[1]).unwrap(),
    );
    let users = format!(
        "Email,Name,Last pairing session date,Account created date,Role\n\
         ann@example.com,\"{}\",2026-09-14 09:30:00 UTC,2026-01-05 10:00:00 UTC,Team Owner\n\
         \"{}\",\"{}\",,2026-01-05 10:00:00 UTC,\"<b>Member</b>\"\n",
        HOSTILE[1].replace('"', "\"\""),
        HOSTILE[2].replace('"', "\"\""),
        HOSTILE[0].replace('"', "\"\""),
    );
    std::fs::write(dir.join("usage.json"), usage).unwrap();
    std::fs::write(dir.join("users.csv"), users).unwrap();
    let dir_path = dir.to_str().unwrap();
    let page = page(&[dir_path]);
    assert_safe(&page);
    // The member table and the findings (name mismatches, a bad email) hold each of them.
    for hostile in HOSTILE {
        let escaped = hostile
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;");
        assert!(page.contains(&escaped), "{hostile} is not shown as text");
    }
    assert!(page.contains("&lt;b&gt;Member&lt;/b&gt;"));
}

#[test]
fn the_page_is_self_contained_and_allows_only_its_own_style() {
    let page = page(&["samples/defective"]);
    assert_safe(&page);
    assert!(!page.contains("url(") && !page.contains("@import"));
    // The policy allows the one style element, by its hash, and nothing else.
    let style = page
        .split_once("<style>")
        .and_then(|(_, rest)| rest.split_once("</style>"))
        .expect("a style element")
        .0;
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(style));
    let policy = format!(
        "content=\"default-src 'none'; style-src 'sha256-{hash}'; base-uri 'none'; form-action 'none'\""
    );
    assert!(page.contains(&policy), "{policy}");
    assert_eq!(page.matches("<style>").count(), 1);
    assert!(
        !page.contains(" style="),
        "a style attribute the policy would block"
    );
}

#[test]
fn the_page_is_the_same_bytes_every_time() {
    let paths = ["samples", "tests/walk/exports"];
    let once = page(&paths);
    assert_eq!(once, page(&paths));
    // Whatever the number of jobs, and whether written as the check goes.
    let outcome: Outcome = checker().jobs(1).check_paths(&paths).unwrap();
    assert_eq!(once, outcome.render(Format::Html));
    let mut written = Vec::new();
    // Not asked for the overview: an HTML output asks for it.
    let writer = Checker::new()
        .now(common::NOW.parse().unwrap())
        .as_of(common::NOW.parse().unwrap())
        .jobs(4);
    let batch = writer.batch(&paths).unwrap();
    let mut outputs = [tuple_report::Output::new(
        Format::Html,
        tuple_report::RenderOptions::default(),
        &mut written,
    )];
    batch.write(&mut outputs);
    assert_eq!(once, String::from_utf8(written).unwrap());
}

#[test]
fn the_verdict_chart_members_and_findings_are_there() {
    let page = page(&["samples/defective"]);
    let order = [
        "class=\"verdict bad\"",
        "<h2 id=\"all\">Every file</h2>",
        "The six months at a glance",
        "<svg",
        "Every member",
        "<table class=\"members\">",
        "Findings",
        "<details open class=\"rule\"",
    ];
    let mut from = 0;
    for part in order {
        let at = page[from..]
            .find(part)
            .unwrap_or_else(|| panic!("{part} is missing, or out of order"));
        from += at;
    }
    // Every member of the sample, with their calls and minutes, and the rows of the CSV.
    for name in [
        "Ana López",
        "Bram de Vries",
        "Chioma Okafor",
        "Emma Lindqvist",
    ] {
        assert!(page.contains(&format!("<td>{name}</td>")), "{name}");
    }
    // A member's findings are linked from the table to the first of them.
    let link = page
        .split("<a href=\"#f")
        .nth(1)
        .expect("a link to a finding");
    let target = link.split('"').next().unwrap();
    assert!(page.contains(&format!("<li id=\"f{target}\">")), "{target}");
    // The calls by week add up to the report's calls in the window.
    assert!(
        page.contains("11 calls and 575 pairing minutes"),
        "the chart's sums"
    );
}

#[test]
fn a_clean_pair_says_so_and_a_redacted_page_hides_every_name() {
    let page = page(&["samples/valid"]);
    assert!(page.contains("class=\"verdict good\""));
    assert!(page.contains("neither has a problem"));
    let redacted = checker()
        .redact(true)
        .check_paths(&["samples/valid"])
        .unwrap()
        .render(Format::Html);
    for text in ["Ana López", "ana.lopez@example.com"] {
        assert!(page.contains(text));
        assert!(!redacted.contains(text), "{text} shown with --redact");
    }
    assert!(redacted.contains("[email "));
}

/// Many pairs: one page, every pair in the first table, a section only for those with
/// findings (a clean pair of a folder of many is a row, with nothing kept for it).
#[test]
fn of_many_pairs_only_those_with_findings_have_a_section() {
    let page = page(&["samples", "tests/walk/exports"]);
    let valid = "samples/valid/usage.json<br>samples/valid/users.csv";
    let defective = "samples/defective/usage.json<br>samples/defective/users.csv";
    assert!(
        page.contains(&format!("<tr><td>{valid}</td>")),
        "a row, no link"
    );
    assert!(!page.contains("samples/valid/usage.json and samples/valid/users.csv</h2>"));
    assert!(
        page.contains(&format!("\">{defective}</a></td>")),
        "a row linked"
    );
    assert!(page.contains("samples/defective/usage.json and samples/defective/users.csv</h2>"));
    // One pair alone gets its section, clean or not.
    assert!(page_of_one_has_a_section());
}

fn page_of_one_has_a_section() -> bool {
    page(&["samples/valid"]).contains("samples/valid/usage.json and samples/valid/users.csv</h2>")
}

/// A lone file's verdict says the likely cause, where its findings show one, as a pair's does.
#[test]
fn a_lone_files_verdict_names_the_likely_cause() {
    let page = page(&[
        "tests/fixtures/csv-syntax--cut-off.csv",
        "tests/fixtures/csv-separator.csv",
    ]);
    assert!(page.contains(
        "csv-syntax--cut-off.csv ends where no complete report would: it was probably cut off in the download, so download it again"
    ));
    assert!(page.contains("csv-separator.csv was probably re-saved by a spreadsheet"));
}
