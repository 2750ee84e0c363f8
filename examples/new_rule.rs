//! Scaffolds a new rule: what a program can do of CONTRIBUTING.md's "Adding a rule". It
//! registers the rule in `src/registry/mod.rs` (a placeholder summary, at the end of its
//! stage's group), writes its explain page from a template, adds its id to the `rule` enum of
//! `schema/output.schema.json` (in the registry's order) and copies a valid fixture under its
//! name; then it prints the steps left by hand.
//!
//! `cargo run --example new_rule -- RULE-ID [--stage report|user-report|cross-check|schema|reading]
//! [--severity error|warning|info] [--json|--csv|--pair]`
//!
//! Run it from the repository's root. It refuses (exit 2, nothing written) an id that is not
//! kebab-case or is taken, and a rule whose page, fixture or schema entry exists already. Every
//! edit is computed before the first is written; should a write fail, those already made are
//! undone.

use std::fs::{self, OpenOptions};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use tuple_report::internals::Stage;

const USAGE: &str = concat!(
    "usage: new_rule RULE-ID [--stage report|user-report|cross-check|schema|reading] ",
    "[--severity error|warning|info] [--json|--csv|--pair]"
);

const REGISTRY: &str = "src/registry/mod.rs";
const EXPLAIN: &str = "src/registry/explain";
const SCHEMA: &str = "schema/output.schema.json";
const FIXTURES: &str = "tests/fixtures";
const SUMMARY: &str = "TODO: what it reports, in a few words";

fn main() -> ExitCode {
    let args = match Args::parse(std::env::args().skip(1)) {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("new_rule: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let plan = match plan(&args) {
        Ok(plan) => plan,
        Err(message) => {
            eprintln!("new_rule: {message}\nnew_rule: nothing was written");
            return ExitCode::from(2);
        }
    };
    if let Err(message) = apply(&plan.writes) {
        eprintln!("new_rule: {message}");
        return ExitCode::from(2);
    }
    print!("{}", plan.report);
    ExitCode::SUCCESS
}

/// A stage as given on the command line: its id (`user-report`).
fn stage_from_arg(arg: &str) -> Option<Stage> {
    Stage::ALL.into_iter().find(|stage| stage.id() == arg)
}

/// A stage as the registry's lines write it: its variant's name (`UserReport`).
fn stage_variant(stage: Stage) -> String {
    format!("{stage:?}")
}

fn stage_from_variant(variant: &str) -> Option<Stage> {
    Stage::ALL
        .into_iter()
        .find(|stage| stage_variant(*stage) == variant)
}

/// The fixture a rule of this stage starts from unless told otherwise.
fn stage_fixture(stage: Stage) -> Fixture {
    match stage {
        Stage::Reading | Stage::Schema | Stage::Report => Fixture::Json,
        Stage::UserReport => Fixture::Csv,
        Stage::CrossCheck => Fixture::Pair,
    }
}

/// The kind of fixture: a usage report, a user report, or a folder holding both.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fixture {
    Json,
    Csv,
    Pair,
}

impl Fixture {
    /// The valid fixture it is copied from, in `tests/fixtures`.
    fn source(self) -> &'static str {
        match self {
            Fixture::Json => "valid.json",
            Fixture::Csv => "valid--users.csv",
            Fixture::Pair => "valid--pair",
        }
    }

    /// Its name in `tests/fixtures`.
    fn target(self, id: &str) -> String {
        match self {
            Fixture::Json => format!("{id}.json"),
            Fixture::Csv => format!("{id}.csv"),
            Fixture::Pair => id.to_owned(),
        }
    }

    /// Its name in the `EXPECTED` table of `tests/fixtures.rs`.
    fn expected(self, id: &str) -> String {
        match self {
            Fixture::Json => id.to_owned(),
            Fixture::Csv => format!("{id}.csv"),
            Fixture::Pair => format!("{id}/"),
        }
    }
}

struct Args {
    id: String,
    stage: Stage,
    /// As written in the registry: `Error`, `Warning` or `Info`.
    severity: &'static str,
    fixture: Fixture,
}

impl Args {
    /// `None` when help was asked for.
    fn parse(mut args: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
        let mut id = None;
        let mut stage = Stage::Report;
        let mut severity = "Warning";
        let mut fixture = None;
        while let Some(arg) = args.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((flag, value)) if flag.starts_with("--") => (flag.to_owned(), Some(value)),
                _ => (arg.clone(), None),
            };
            let mut value = |name: &str| match inline {
                Some(value) => Ok(value.to_owned()),
                None => args.next().ok_or(format!("{name} needs a value")),
            };
            match flag.as_str() {
                "-h" | "--help" => return Ok(None),
                "--stage" => {
                    let given = value("--stage")?;
                    stage = stage_from_arg(&given).ok_or(format!("unknown stage `{given}`"))?;
                }
                "--severity" => {
                    severity = match value("--severity")?.as_str() {
                        "error" => "Error",
                        "warning" => "Warning",
                        "info" => "Info",
                        other => return Err(format!("unknown severity `{other}`")),
                    };
                }
                "--json" | "--csv" | "--pair" => {
                    let chosen = match flag.as_str() {
                        "--json" => Fixture::Json,
                        "--csv" => Fixture::Csv,
                        _ => Fixture::Pair,
                    };
                    if fixture.is_some_and(|f| f != chosen) {
                        return Err("give one of --json, --csv and --pair".to_owned());
                    }
                    fixture = Some(chosen);
                }
                _ if arg.starts_with('-') => return Err(format!("unknown option `{arg}`")),
                _ if id.is_some() => return Err(format!("one rule id at a time (`{arg}`)")),
                _ => id = Some(arg),
            }
        }
        let id = id.ok_or("no RULE-ID given")?;
        Ok(Some(Args {
            id,
            stage,
            severity,
            fixture: fixture.unwrap_or(stage_fixture(stage)),
        }))
    }
}

/// One write; `apply` makes them in order.
enum Write {
    /// A file that must not exist yet.
    Create { path: PathBuf, bytes: Vec<u8> },
    /// A folder that must not exist yet.
    CreateDir { path: PathBuf },
    /// A file that must still hold `old` (nothing else edited it since it was read).
    Replace {
        path: PathBuf,
        old: String,
        new: String,
    },
}

/// Makes the writes in order; when one fails, undoes those already made.
fn apply(writes: &[Write]) -> Result<(), String> {
    for (done, write) in writes.iter().enumerate() {
        if let Err(message) = make(write) {
            let undone: Vec<String> = writes[..done].iter().rev().filter_map(undo).collect();
            let mut message = format!("{message}\nnew_rule: the writes before it were undone");
            for failure in undone {
                message.push_str(&format!("\nnew_rule: could not undo: {failure}"));
            }
            return Err(message);
        }
    }
    Ok(())
}

fn make(write: &Write) -> Result<(), String> {
    match write {
        Write::Create { path, bytes } => OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .and_then(|mut file| file.write_all(bytes))
            .map_err(|error| format!("cannot create {}: {error}", path.display())),
        Write::CreateDir { path } => fs::create_dir(path)
            .map_err(|error| format!("cannot create {}: {error}", path.display())),
        Write::Replace { path, old, new } => {
            let now = fs::read_to_string(path)
                .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
            if now != *old {
                return Err(format!(
                    "{} changed while the scaffold ran; run it again",
                    path.display()
                ));
            }
            fs::write(path, new)
                .map_err(|error| format!("cannot write {}: {error}", path.display()))
        }
    }
}

/// Undoes a write that was made; the error, if it could not be.
fn undo(write: &Write) -> Option<String> {
    let (path, result) = match write {
        Write::Create { path, .. } => (path, fs::remove_file(path)),
        Write::CreateDir { path } => (path, fs::remove_dir(path)),
        Write::Replace { path, old, .. } => (path, fs::write(path, old)),
    };
    result
        .err()
        .map(|error| format!("{}: {error}", path.display()))
}

/// What the scaffold will write, and what it prints once it has.
struct Plan {
    writes: Vec<Write>,
    report: String,
}

fn plan(args: &Args) -> Result<Plan, String> {
    check_root()?;
    let id = args.id.as_str();
    check_id(id)?;
    let variant = upper_camel_case(id);

    let registry_text = read(REGISTRY)?;
    let registry = Registry::read(&registry_text)?;
    if let Some(taken) = registry
        .entries
        .iter()
        .find(|e| e.id == id || e.variant == variant)
    {
        return Err(format!(
            "`{id}` is taken: {REGISTRY}:{} registers {} => \"{}\" (ids are never renamed or \
             reused; choose another)",
            taken.line + 1,
            taken.variant,
            taken.id
        ));
    }

    // The conflicts, all of them, before anything is computed from the files.
    let page = PathBuf::from(EXPLAIN).join(format!("{id}.md"));
    let fixture = PathBuf::from(FIXTURES).join(args.fixture.target(id));
    let mut conflicts = Vec::new();
    if page.exists() {
        conflicts.push(format!("{} exists already", page.display()));
    }
    for name in fixture_names()? {
        if rule_of(&name) == id {
            conflicts.push(format!(
                "{FIXTURES}/{name} exists already (a fixture named after {id})"
            ));
        }
    }
    let schema_text = read(SCHEMA)?;
    let old_schema: serde_json::Value =
        serde_json::from_str(&schema_text).map_err(|error| format!("{SCHEMA}: {error}"))?;
    let rule_enum = rule_enum(&old_schema)?;
    if rule_enum.contains(&id.to_owned()) {
        conflicts.push(format!("{SCHEMA} lists `{id}` in $defs/rule/enum already"));
    }
    if !conflicts.is_empty() {
        return Err(format!(
            "refusing to scaffold {id}:\n  {}",
            conflicts.join("\n  ")
        ));
    }

    // The registry line, at the end of its stage's group.
    let line = format!(
        "{variant} => \"{id}\", {}, {}, \"{SUMMARY}\";",
        args.severity,
        stage_variant(args.stage)
    );
    let (registry_new, registry_line, after) = registry.insert(&registry_text, args.stage, &line);

    // The id in the output schema, after the id the registry line follows.
    let schema_new = insert_in_enum(&schema_text, &old_schema, &rule_enum, id, after.as_deref())?;

    // The starting fixture.
    let source = PathBuf::from(FIXTURES).join(args.fixture.source());
    let mut fixture_writes = Vec::new();
    if args.fixture == Fixture::Pair {
        fixture_writes.push(Write::CreateDir {
            path: fixture.clone(),
        });
        for (name, bytes) in folder_files(&source)? {
            fixture_writes.push(Write::Create {
                path: fixture.join(name),
                bytes,
            });
        }
    } else {
        let bytes = fs::read(&source)
            .map_err(|error| format!("cannot read {}: {error}", source.display()))?;
        fixture_writes.push(Write::Create {
            path: fixture.clone(),
            bytes,
        });
    }

    let mut writes = vec![
        Write::Create {
            path: page.clone(),
            bytes: explain_page(args.stage).into_bytes(),
        },
        Write::Replace {
            path: SCHEMA.into(),
            old: schema_text,
            new: schema_new,
        },
    ];
    writes.extend(fixture_writes);
    // Last: once the registry names the rule, the crate needs its page to build.
    writes.push(Write::Replace {
        path: REGISTRY.into(),
        old: registry_text,
        new: registry_new,
    });

    let report = report(
        args,
        &variant,
        registry_line,
        after.as_deref(),
        &page,
        &fixture,
        &registry,
    );
    Ok(Plan { writes, report })
}

/// Refuses to run anywhere but the root of tuple-report's repository.
fn check_root() -> Result<(), String> {
    let root = env!("CARGO_MANIFEST_DIR");
    let hint = format!(
        "run it from the root of the tuple-report repository, the folder holding its \
         Cargo.toml:\n  cd {root} && cargo run --example new_rule -- RULE-ID"
    );
    let Ok(text) = fs::read_to_string("Cargo.toml") else {
        return Err(format!("there is no Cargo.toml here; {hint}"));
    };
    let manifest: toml::Table =
        toml::from_str(&text).map_err(|error| format!("Cargo.toml: {error}"))?;
    let name = manifest
        .get("package")
        .and_then(|package| package.get("name"))
        .and_then(|name| name.as_str());
    if name != Some("tuple-report") {
        return Err(format!(
            "the Cargo.toml here is not tuple-report's (its package is {}); {hint}",
            name.map_or("not named".to_owned(), |name| format!("`{name}`"))
        ));
    }
    Ok(())
}

/// An id is kebab-case, as the registry's `ids_are_unique_kebab_case` test wants it: lowercase
/// ASCII letters in words joined by single hyphens.
fn check_id(id: &str) -> Result<(), String> {
    let why = if id.is_empty() {
        "it is empty"
    } else if let Some(c) = id.chars().find(|&c| !c.is_ascii_lowercase() && c != '-') {
        if c.is_ascii_digit() {
            "it holds a digit (the registry's test allows lowercase letters and hyphens only)"
        } else {
            "it holds a character other than a lowercase ASCII letter or a hyphen"
        }
    } else if id.starts_with('-') || id.ends_with('-') {
        "it starts or ends with a hyphen"
    } else if id.contains("--") {
        "it holds `--`, which separates a fixture's rule from its variant (csv-syntax--ragged.csv)"
    } else if id == "valid" {
        "`valid` names the fixtures that must report nothing"
    } else {
        return Ok(());
    };
    Err(format!(
        "`{id}` is not a rule id: {why}; an id is kebab-case, like `call-ends-before-start`"
    ))
}

/// `call-ends-before-start` → `CallEndsBeforeStart`.
fn upper_camel_case(id: &str) -> String {
    id.split('-')
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn read(path: &str) -> Result<String, String> {
    fs::read_to_string(path).map_err(|error| format!("cannot read {path}: {error}"))
}

/// One line of the `registry!` invocation.
struct Entry {
    /// 0-based, in the file.
    line: usize,
    variant: String,
    id: String,
    stage: Stage,
}

/// The rules of `registry! { ... }` in `src/registry/mod.rs`, one a line.
struct Registry {
    entries: Vec<Entry>,
}

impl Registry {
    fn read(text: &str) -> Result<Registry, String> {
        let lines: Vec<&str> = text.lines().collect();
        let start = lines
            .iter()
            .position(|line| line.trim_end() == "registry! {")
            .ok_or(format!("{REGISTRY} has no `registry! {{` line"))?;
        let end = lines[start..]
            .iter()
            .position(|line| line.trim() == "}")
            .map(|n| start + n)
            .ok_or(format!("{REGISTRY}: `registry! {{` is not closed"))?;
        let mut entries = Vec::new();
        for (n, text) in lines.iter().enumerate().take(end).skip(start + 1) {
            let text = text.trim();
            if text.is_empty() || text.starts_with("//") {
                continue;
            }
            let entry = Entry::parse(n, text).ok_or(format!(
                "{REGISTRY}:{}: the scaffold reads one rule a line, \
                 `Variant => \"the-id\", Severity, Stage, \"summary\";`, and cannot read this one",
                n + 1
            ))?;
            entries.push(entry);
        }
        if entries.is_empty() {
            return Err(format!("{REGISTRY}: the registry lists no rules"));
        }
        Ok(Registry { entries })
    }

    /// The registry with `line` after the last rule of `stage` (or of the nearest stage before
    /// it), as text; the new line's number (1-based) and the id it follows (none when it comes
    /// first).
    fn insert(&self, text: &str, stage: Stage, line: &str) -> (String, usize, Option<String>) {
        let anchor = self.entries.iter().rev().find(|e| e.stage <= stage);
        let (at, after) = match anchor {
            Some(entry) => (entry.line + 1, Some(entry.id.clone())),
            None => (self.entries[0].line, None),
        };
        let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
        let mut out = String::with_capacity(text.len() + line.len() + 8);
        for (n, old) in text.split_inclusive('\n').enumerate() {
            if n == at {
                let model = text.lines().nth(self.entries[0].line).unwrap_or_default();
                let indent = &model[..model.len() - model.trim_start().len()];
                out.push_str(&format!("{indent}{line}{newline}"));
            }
            out.push_str(old);
        }
        (out, at + 1, after)
    }

    /// The ids of a stage's rules, in order.
    fn of_stage(&self, stage: Stage) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(move |e| e.stage == stage)
    }
}

impl Entry {
    fn parse(line: usize, text: &str) -> Option<Entry> {
        let (variant, rest) = text.split_once("=>")?;
        let variant = variant.trim();
        let (id, rest) = rest.trim().strip_prefix('"')?.split_once('"')?;
        let mut fields = rest.strip_prefix(',')?.splitn(3, ',');
        let _severity = fields.next()?;
        let stage = stage_from_variant(fields.next()?.trim())?;
        let summary = fields.next()?.trim();
        if variant.is_empty() || !summary.starts_with('"') || !summary.ends_with("\";") {
            return None;
        }
        Some(Entry {
            line,
            variant: variant.to_owned(),
            id: id.to_owned(),
            stage,
        })
    }
}

/// The `rule` enum of the output schema.
fn rule_enum(schema: &serde_json::Value) -> Result<Vec<String>, String> {
    schema["$defs"]["rule"]["enum"]
        .as_array()
        .and_then(|ids| {
            ids.iter()
                .map(|id| id.as_str().map(str::to_owned))
                .collect()
        })
        .ok_or(format!("{SCHEMA} has no $defs/rule/enum of strings"))
}

/// The schema's text with `id` in its rule enum right after `after` (first when `None`), the
/// rest of the text as it was; checked by parsing it again.
fn insert_in_enum(
    text: &str,
    old: &serde_json::Value,
    ids: &[String],
    id: &str,
    after: Option<&str>,
) -> Result<String, String> {
    let (anchor, position) = match after {
        Some(after) => {
            let at = ids.iter().position(|i| i == after).ok_or(format!(
                "{SCHEMA}'s $defs/rule/enum lacks `{after}`, which the registry has; bring the \
                 two in step first (tests/output_schema.rs)"
            ))?;
            (after, at + 1)
        }
        None => (ids.first().map(String::as_str).unwrap_or_default(), 0),
    };
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let quoted = format!("\"{anchor}\"");
    let found: Vec<usize> = (0..lines.len())
        .filter(|&n| {
            let line = lines[n].trim();
            line == quoted || line.strip_suffix(',') == Some(quoted.as_str())
        })
        .collect();
    let [at] = found[..] else {
        return Err(format!(
            "{SCHEMA}: expected `{quoted}` alone on one line of $defs/rule/enum, found {} such \
             lines; the scaffold edits the schema as text",
            found.len()
        ));
    };
    let line = lines[at];
    let indent = &line[..line.len() - line.trim_start().len()];
    let newline = if line.ends_with("\r\n") { "\r\n" } else { "\n" };
    let mut out = String::with_capacity(text.len() + id.len() + 8);
    for (n, old_line) in lines.iter().enumerate() {
        if n != at {
            out.push_str(old_line);
        } else if after.is_none() {
            out.push_str(&format!("{indent}\"{id}\",{newline}"));
            out.push_str(old_line);
        } else if line.trim_end().ends_with(',') {
            out.push_str(old_line);
            out.push_str(&format!("{indent}\"{id}\",{newline}"));
        } else {
            // The enum's last id: it takes a comma, and the new id none.
            out.push_str(&format!("{indent}{quoted},{newline}"));
            out.push_str(&format!("{indent}\"{id}\"{newline}"));
        }
    }

    // The edit is the id in the enum at its place, and nothing else.
    let mut new: serde_json::Value = serde_json::from_str(&out)
        .map_err(|error| format!("{SCHEMA} would not parse after the edit: {error}"))?;
    let mut expected = ids.to_vec();
    expected.insert(position, id.to_owned());
    let in_step = rule_enum(&new).ok() == Some(expected);
    if let Some(ids) = new["$defs"]["rule"]["enum"].as_array_mut() {
        ids.retain(|i| i != id);
    }
    if !in_step || new != *old {
        return Err(format!(
            "{SCHEMA}: the text edit did not give the enum expected; add `{id}` after \
             `{anchor}` by hand"
        ));
    }
    Ok(out)
}

/// The names in `tests/fixtures`.
fn fixture_names() -> Result<Vec<String>, String> {
    let entries =
        fs::read_dir(FIXTURES).map_err(|error| format!("cannot read {FIXTURES}: {error}"))?;
    entries
        .map(|entry| {
            entry
                .map(|entry| entry.file_name().to_string_lossy().into_owned())
                .map_err(|error| format!("cannot read {FIXTURES}: {error}"))
        })
        .collect()
}

/// The rule a fixture is named after, as `tests/common/mod.rs` reads it:
/// `last-call-stale--null.json` → `last-call-stale`.
fn rule_of(name: &str) -> &str {
    let stem = Path::new(name)
        .file_stem()
        .and_then(|stem| stem.to_str())
        .unwrap_or(name);
    stem.split("--").next().unwrap_or(stem)
}

/// The files of a fixture folder, by name, with their bytes.
fn folder_files(folder: &Path) -> Result<Vec<(String, Vec<u8>)>, String> {
    let cannot = |error: std::io::Error| format!("cannot read {}: {error}", folder.display());
    let mut files = Vec::new();
    for entry in fs::read_dir(folder).map_err(cannot)? {
        let entry = entry.map_err(cannot)?;
        let path = entry.path();
        if !path.is_file() {
            return Err(format!(
                "{} is not a file; a pair fixture holds files only",
                path.display()
            ));
        }
        let bytes = fs::read(&path).map_err(cannot)?;
        files.push((entry.file_name().to_string_lossy().into_owned(), bytes));
    }
    files.sort();
    Ok(files)
}

/// The explain page's template: the four parts the registry's tests and `rules ID` expect,
/// each to be written.
fn explain_page(stage: Stage) -> String {
    let json = "```json\nTODO: the smallest part of a usage report that trips the rule\n```\n";
    let csv = "```csv\nTODO: the header and the rows of a user report that trip the rule\n```\n";
    let example = match stage {
        Stage::Reading | Stage::Schema | Stage::Report => json.to_owned(),
        Stage::UserReport => csv.to_owned(),
        Stage::CrossCheck => format!("{csv}{json}"),
    };
    format!(
        "TODO: what the rule reports and why it matters, in words a team owner understands:\n\
         what is wrong in the file, what usually causes it, and what goes wrong if nobody\n\
         notices.\n\
         \n\
         Rests on: TODO: the vendor's JSON Schema, a sentence of the vendor's pages (quoted),\n\
         or an inference of ours. A rule that rests on an inference says so, and ends this\n\
         paragraph with: A correct export that trips this rule is worth reporting.\n\
         \n\
         Example:\n\
         {example}\
         \n\
         Fix:\n\
         TODO: what to do about it, in the order to try it.\n"
    )
}

/// Where the rules of `stage` are now, found in `src/rules`, `src/check` and `src/schema`:
/// the files that raise them (`Diagnostic::new(Rule::...`), and those that only name them;
/// each the most rules first.
fn where_raised(registry: &Registry, stage: Stage) -> (Vec<String>, Vec<String>) {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    for dir in ["src/rules", "src/check", "src/schema"] {
        walk(Path::new(dir), &mut files);
    }
    let names: Vec<String> = registry
        .of_stage(stage)
        .map(|e| format!("Rule::{}", e.variant))
        .collect();
    let (mut raising, mut naming) = (Vec::new(), Vec::new());
    for path in files {
        let Ok(text) = fs::read_to_string(&path) else {
            continue;
        };
        // Tests name rules too; the code is what comes before them.
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        let raised: Vec<&str> = code
            .split("Diagnostic::new(")
            .skip(1)
            .map(str::trim_start)
            .collect();
        let path = path.to_string_lossy().replace('\\', "/");
        let count = |found: &dyn Fn(&String) -> bool| names.iter().filter(|n| found(n)).count();
        let raises = count(&|name| raised.iter().any(|after| starts_with_rule(after, name)));
        let names_it = count(&|name| names_rule(code, name));
        if raises > 0 {
            raising.push((raises, path));
        } else if names_it > 0 {
            naming.push((names_it, path));
        }
    }
    let ranked = |mut found: Vec<(usize, String)>| -> Vec<String> {
        found.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        found.into_iter().map(|(_, path)| path).collect()
    };
    (ranked(raising), ranked(naming))
}

/// Whether `text` starts with the path `name` (`Rule::CsvHeader`, not `Rule::CsvHeaderX`).
fn starts_with_rule(text: &str, name: &str) -> bool {
    text.strip_prefix(name)
        .is_some_and(|rest| !rest.starts_with(|c: char| c.is_alphanumeric() || c == '_'))
}

/// Whether `code` holds the path `name` anywhere.
fn names_rule(code: &str, name: &str) -> bool {
    code.match_indices(name)
        .any(|(at, _)| starts_with_rule(&code[at..], name))
}

/// The JUnit counts pinned in `tests/cli.rs` that a rule of `stage` raises by one: a file's
/// suite lists every rule that applies to it. As (line, suite, count).
fn junit_counts(stage: Stage) -> Vec<(usize, String, usize)> {
    // A cross-check rule applies to paired user reports only: no such count is pinned there.
    let kind = match stage {
        Stage::Reading | Stage::Schema | Stage::Report => ".json",
        Stage::UserReport => ".csv",
        Stage::CrossCheck => return Vec::new(),
    };
    let Ok(text) = fs::read_to_string("tests/cli.rs") else {
        return Vec::new();
    };
    let quote = r#"\""#;
    let mut counts = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let Some((_, rest)) = line.split_once(r#"<testsuite name=\""#) else {
            continue;
        };
        let Some((name, rest)) = rest.split_once(quote) else {
            continue;
        };
        let Some(rest) = rest.strip_prefix(r#" tests=\""#) else {
            continue;
        };
        let Some(Ok(count)) = rest.split(quote).next().map(str::parse) else {
            continue;
        };
        // An unreadable file's suite holds one error, whatever the rules.
        if name.ends_with(kind) && !rest.contains(r#"errors=\"1\""#) {
            counts.push((n + 1, name.to_owned(), count));
        }
    }
    counts
}

/// What was done, and the steps left by hand.
fn report(
    args: &Args,
    variant: &str,
    registry_line: usize,
    after: Option<&str>,
    page: &Path,
    fixture: &Path,
    registry: &Registry,
) -> String {
    let id = args.id.as_str();
    let stage = args.stage.id();
    let severity = args.severity.to_lowercase();
    let place = after.map_or("first".to_owned(), |after| format!("after `{after}`"));
    let page = page.display();
    let slash = if args.fixture == Fixture::Pair {
        "/"
    } else {
        ""
    };
    let fixture_path = format!("{}{slash}", fixture.display());
    let source = args.fixture.source();
    let expected = args.fixture.expected(id);
    let (raising, naming) = where_raised(registry, args.stage);
    let raised = match (raising.is_empty(), naming.is_empty()) {
        (true, true) => "in its stage's module of src/rules/, src/check/ or src/schema/".to_owned(),
        (true, false) => format!(
            "where the other {stage} rules are named: {}",
            naming.join(", ")
        ),
        (false, true) => format!(
            "where the other {stage} rules are raised: {}",
            raising.join(", ")
        ),
        (false, false) => format!(
            "where the other {stage} rules are raised: {}; also named in {}",
            raising.join(", "),
            naming.join(", ")
        ),
    };

    let mut steps = vec![
        format!(
            "Replace the TODOs: the summary at {REGISTRY}:{registry_line} (a few words, no full \
             stop: `tuple-report rules` and the README's table show it) and the page {page} \
             (keep \"Rests on:\" before \"Example:\")."
        ),
        format!(
            "Write the check and its finding's message (what is wrong, in words a team owner \
             understands, with a help line saying what to do), {raised}."
        ),
        format!(
            "Edit {fixture_path} (valid as copied: it triggers nothing) so that it triggers \
             {id} and nothing else."
        ),
        format!(
            "Add its place to EXPECTED in tests/fixtures.rs, among the {stage} rules: \
             (\"{expected}\", \"{id}\", LINE, COLUMN), where the finding starts."
        ),
        format!(
            "INSTA_UPDATE=always cargo test --test fixtures --test formats: read the new \
             snapshots/{id}.human.snap and snapshots/{id}.json.snap, and `git diff snapshots` \
             (the JUnit snapshots list every rule)."
        ),
    ];
    for (line, suite, count) in junit_counts(args.stage) {
        steps.push(format!(
            "tests/cli.rs:{line} pins the JUnit suite of {suite}, which lists every rule that \
             applies to its file: make its tests=\\\"{count}\\\" tests=\\\"{}\\\".",
            count + 1
        ));
    }
    steps.extend([
        "cargo test --test schema the_readme_rule_table_is_the_registry, and paste the table it \
         prints between <!-- rules:start --> and <!-- rules:end --> in README.md."
            .to_owned(),
        "UPDATE_SARIF_EXAMPLE=1 cargo test --test sarif, and review the diff of \
         tests/sarif/example.sarif."
            .to_owned(),
        "cargo test (CI runs .ci/run: cargo fmt --check, cargo clippy --all-targets -- -D \
         warnings, cargo test, and more)."
            .to_owned(),
    ]);

    let mut out = format!(
        "Scaffolded `{id}` (Rule::{variant}; severity {severity}, stage {stage}):\n\
         \x20 {REGISTRY}:{registry_line}  its registry line, {place}\n\
         \x20 {page}  its explain page, a template\n\
         \x20 {SCHEMA}  its id in $defs/rule/enum, {place}\n\
         \x20 {fixture_path}  its fixture, a copy of {FIXTURES}/{source}\n\
         \n\
         Left to do by hand (CONTRIBUTING.md, \"Adding a rule\"):\n"
    );
    for (n, step) in steps.iter().enumerate() {
        out.push_str(&format!("  {}. {step}\n", n + 1));
    }
    out
}
