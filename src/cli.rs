//! The command line.

use chrono::{DateTime, FixedOffset};
use clap::{Args, Parser, Subcommand, ValueEnum};

use tuple_report::Format;
use tuple_report::Rule;

macro_rules! exit_codes {
    () => {
        "Exit codes: 0 everything given was checked and nothing reached the failing severity, \
         1 findings at or above it (--fail-on), 2 a path could not be checked (missing, \
         unreadable, a folder with no report) or the command line is wrong."
    };
}

/// `tuple-report --version`: the version and the first 12 hex digits of the embedded schema's
/// SHA-256.
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (schema sha256 ",
    env!("TUPLE_REPORT_SCHEMA_SHA12"),
    ")"
);

#[derive(Parser)]
#[command(
    name = "tuple-report",
    version = VERSION,
    about = "Checks Tuple team usage exports and reports every defect at its line"
)]
#[command(after_help = exit_codes!())]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Check usage reports.
    #[command(
        after_help = concat!(
            "Examples:\n",
            "  tuple-report check usage.json\n",
            "  tuple-report check usage.json users.csv\n",
            "  tuple-report check exports/\n",
            "  tuple-report check --format json --as-of 2026-11-20T00:00:00Z usage.json\n",
            "  cat users.csv | tuple-report check --stdin-name users.csv -\n",
            "  tuple-report check --fail-on warning usage.json\n\n",
            exit_codes!()
        )
    )]
    Check(CheckArgs),
    /// List the rules, or explain one (`explain RULE` is the same).
    #[command(
        visible_alias = "explain",
        after_help = "Examples:\n  tuple-report rules\n  tuple-report rules last-call-stale"
    )]
    Rules {
        /// The rule to explain.
        rule: Option<String>,
    },
    /// Print the embedded JSON Schema of the usage report.
    #[command(
        after_help = "Examples:\n  tuple-report schema > usage-report.schema.json\n  tuple-report schema | sha256sum"
    )]
    Schema,
    #[cfg(feature = "generate")]
    /// Write a realistic, deterministic, valid report pair (usage.json, users.csv), with
    /// defects planted where asked: input for benchmarks and tests.
    #[command(after_help = concat!(
        "The data lies before 2026-11-01T00:00:00Z; check it with --as-of 2026-11-01T00:00:00Z.\n\n",
        "Examples:\n",
        "  tuple-report generate --members 5000 --calls 300000 --out big\n",
        "  tuple-report generate --members 30 --calls 200 --defect empty-call@end --defect schema-format --out bad"
    ))]
    Generate(GenerateArgs),
}

#[cfg(feature = "generate")]
#[derive(Args)]
pub struct GenerateArgs {
    /// How many team members.
    #[arg(long, default_value_t = 50)]
    pub members: usize,
    /// How many calls.
    #[arg(long, default_value_t = 500)]
    pub calls: usize,
    /// The seed: the same arguments give the same bytes on any machine.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Plant one defect of RULE at the start, middle (default) or end (repeatable).
    #[arg(long, value_name = "RULE[@start|middle|end]", value_parser = tuple_report::generate::Defect::parse)]
    pub defect: Vec<tuple_report::generate::Defect>,
    /// The folder to write usage.json and users.csv into (made if missing).
    #[arg(long)]
    pub out: std::path::PathBuf,
}

#[derive(Args)]
pub struct CheckArgs {
    /// The reports to check: JSON usage reports, CSV user reports, directories (walked for
    /// both), or - for standard input.
    #[arg(required = true, value_name = "PATH")]
    pub files: Vec<String>,
    /// Cross-check this usage report with this user report, in either order (repeatable);
    /// both must be among the paths to check. Other files pair by folder and name.
    #[arg(long, value_name = "JSON=CSV", value_parser = pair)]
    pub pair: Vec<(String, String)>,
    /// What standard input (-) holds [default: told from --stdin-name's extension, else from
    /// the content: `{` or `[` first is JSON, anything else CSV].
    #[arg(long, value_enum)]
    pub stdin_kind: Option<StdinKind>,
    /// The name standard input goes by in findings and annotations [default: -].
    #[arg(long, value_name = "NAME")]
    pub stdin_name: Option<String>,
    /// Follow symbolic links when walking a folder (a link back into a folder already walked
    /// is left out, and said to be).
    #[arg(long)]
    pub follow: bool,
    /// Leave out of a walk the files and folders whose name, or path below the folder
    /// walked, matches this shell-style pattern (repeatable; `node_modules`, `archive-*`).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// A folder with no report in it is not an error [default: it is, exit code 2].
    #[arg(long)]
    pub allow_empty: bool,
    /// Show each person's name and email as a short hash (`[email 8e43ca37]`) and no source
    /// lines, in every output: for CI logs and uploaded results that others can read
    /// [default: the config file's `redact`].
    #[arg(long, overrides_with = "no_redact")]
    pub redact: bool,
    /// Show names and emails even when the config file says `redact = true`.
    #[arg(long, overrides_with = "redact")]
    pub no_redact: bool,
    /// Output format, on standard output.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Also write this format to this file (repeatable), from the same check:
    /// `--output sarif=results.sarif --output junit=report.xml`.
    #[arg(long, value_name = "FORMAT=FILE", value_parser = output)]
    pub output: Vec<(Format, std::path::PathBuf)>,
    /// When to colour human output; NO_COLOR turns `auto` off.
    #[arg(long, value_enum, default_value_t = clap::ColorChoice::Auto)]
    pub color: clap::ColorChoice,
    /// The time to judge the report at: an RFC 3339 date-time, or a date (the start of that
    /// day, UTC) (default: the config file's, else now for future timestamps and the report's
    /// newest timestamp for the six-month window).
    #[arg(long, value_parser = as_of)]
    pub as_of: Option<DateTime<FixedOffset>>,
    /// Show at most N findings of each rule per file in human and HTML output, and count the
    /// rest (0: show all). JSON output always lists every finding.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub max_per_rule: usize,
    /// The least severity that makes the exit code 1 [default: error, or the config file's].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Silence a rule (repeatable).
    #[arg(long, value_name = "RULE", value_parser = tuple_report::config::rule_named)]
    pub allow: Vec<tuple_report::Rule>,
    /// Report a rule's findings as warnings (repeatable).
    #[arg(long, value_name = "RULE", value_parser = tuple_report::config::rule_named)]
    pub warn: Vec<tuple_report::Rule>,
    /// Report a rule's findings as errors (repeatable; wins over --warn and --allow).
    #[arg(long, value_name = "RULE", value_parser = tuple_report::config::rule_named)]
    pub deny: Vec<tuple_report::Rule>,
    /// The configuration file [default: tuple-report.toml in the current directory or the
    /// nearest parent that has one]. Flags win over it.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<std::path::PathBuf>,
    /// Use no configuration file, even where one would be found.
    #[arg(long)]
    pub no_config: bool,
    /// Print only the summary: in human output, each file with findings and its counts, and
    /// the total; in github output, the annotations of what could not be checked and the total.
    #[arg(long, short, conflicts_with = "verbose")]
    pub quiet: bool,
    /// In human output, a summary line for every file and pair even when many were checked
    /// [default: only those with findings, and one total].
    #[arg(long, short)]
    pub verbose: bool,
    /// Check this many pairs (or lone files) at once; 1 checks them one after another. The
    /// output is the same whatever the number [default: the number of cores].
    #[arg(long, short, value_name = "N")]
    pub jobs: Option<usize>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StdinKind {
    Json,
    Csv,
}

fn output(text: &str) -> Result<(Format, std::path::PathBuf), String> {
    let Some((format, file)) = text.split_once('=').filter(|(_, file)| !file.is_empty()) else {
        return Err("expected FORMAT=FILE, such as sarif=results.sarif".to_owned());
    };
    let format = Format::from_str(format, true)
        .map_err(|_| "the format is one of human, json, github, junit, sarif, html".to_owned())?;
    Ok((format, file.into()))
}

fn pair(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((json, csv)) if !json.is_empty() && !csv.is_empty() => {
            Ok((json.to_owned(), csv.to_owned()))
        }
        _ => Err("expected JSON=CSV, the paths of a usage report and its user report".to_owned()),
    }
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
}

fn as_of(text: &str) -> Result<DateTime<FixedOffset>, String> {
    tuple_report::config::parse_as_of(text).ok_or_else(|| {
        "expected an RFC 3339 date-time such as 2026-11-20T00:00:00Z, or a date such as 2026-11-20 (the start of that day, UTC)".to_owned()
    })
}

/// `tuple-report rules`: one line a rule, grouped by stage.
pub fn rule_list() -> String {
    let width = Rule::ALL.iter().map(|r| r.id().len()).max().unwrap_or(0);
    let mut out = String::new();
    let mut stage = None;
    for rule in Rule::ALL {
        if stage != Some(rule.stage()) {
            if stage.is_some() {
                out.push('\n');
            }
            stage = Some(rule.stage());
            out.push_str(&format!("{}:\n", rule.stage().title()));
        }
        out.push_str(&format!(
            "  {:width$}  {:7}  {}\n",
            rule.id(),
            rule.default_severity().as_str(),
            rule.summary()
        ));
    }
    out.push_str("\nRun `tuple-report rules RULE` for what a rule means and how to fix it.\n");
    out
}

/// `tuple-report rules RULE`.
pub fn rule_page(rule: Rule) -> String {
    format!(
        "{} ({}, {})\n{}\n\n{}",
        rule.id(),
        rule.default_severity(),
        rule.stage().title().to_lowercase(),
        rule.summary(),
        rule.explanation()
    )
}
