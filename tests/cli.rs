//! The command line, as data: arguments, environment, exit code, and what the output holds.

mod common;

use assert_cmd::Command;
use tuple_report::Rule;

struct Case {
    name: &'static str,
    args: &'static [&'static str],
    env: &'static [(&'static str, &'static str)],
    code: i32,
    stdout_has: &'static [&'static str],
    stdout_lacks: &'static [&'static str],
    stderr_has: &'static [&'static str],
    /// The case needs what only a Unix checkout has: `tests/walk/exports/acme/loop` is a
    /// symbolic link in git, which a Windows checkout writes as a plain file (without
    /// `core.symlinks`). Such a case runs on Unix only; elsewhere it is listed as not run.
    unix_only: bool,
}

const BASE: Case = Case {
    name: "",
    args: &[],
    env: &[],
    code: 0,
    stdout_has: &[],
    stdout_lacks: &[],
    stderr_has: &[],
    unix_only: false,
};

const CASES: &[Case] = &[
    Case {
        name: "--format html writes one page: the verdict, the chart, every member, the findings",
        args: &["check", "--format", "html", "--as-of", "2026-11-23", "samples/defective"],
        code: 1,
        stdout_has: &[
            "<!DOCTYPE html>",
            "<p class=\"verdict bad\">Some of these files cannot be trusted as they are</p>",
            "The six months at a glance",
            "<table class=\"members\">",
            "<code>duplicate-user-id</code>",
            "</html>\n",
        ],
        stdout_lacks: &["<script", "\u{1b}["],
        ..BASE
    },
    Case {
        name: "the valid sample reports nothing but that it was checked alone, and summarises the report",
        args: &["check", "samples/valid/usage.json"],
        stdout_has: &[
            "usage report, 6 team members, 12 calls from 2026-06-13 to 2026-09-27",
            "info[unpaired-report]: samples/valid/usage.json was checked alone: no user report (CSV) was found",
            "1 info",
        ],
        stdout_lacks: &["error", "warning"],
        ..BASE
    },
    Case {
        name: "the valid pair cross-checks clean, in either order",
        args: &["check", "samples/valid/users.csv", "samples/valid/usage.json"],
        stdout_has: &[
            "samples/valid/users.csv: user report, 6 rows",
            "cross-checked samples/valid/users.csv with samples/valid/usage.json: 6 of 6 rows matched",
            "no problems found",
        ],
        ..BASE
    },
    Case {
        name: "a directory is walked, its reports paired by directory and name; what it leaves out is said",
        args: &["check", "--verbose", "tests/walk/exports"],
        code: 1,
        stdout_has: &[
            "cross-checked tests/walk/exports/acme-users.csv with tests/walk/exports/acme-usage.json: 3 of 3",
            "cross-checked tests/walk/exports/beta-users.csv with tests/walk/exports/beta-usage.json: 3 of 3",
            "tests/walk/exports/acme/usage.json: usage report, 3 team members, 3 calls from 2026-09-01 to 2026-10-20; no partner, checked alone",
            "error[name-mismatch]",
            "warning[empty-call]",
            // Regression (issue 11): folders named target and node_modules were skipped
            // without a word; they are checked like any other.
            "error[json-syntax]",
            "--> tests/walk/exports/node_modules/broken.json:",
            "--> tests/walk/exports/target/broken.json:",
            "left out 1 hidden folder: tests/walk/exports/.cache",
            "left out 1 symbolic link (--follow follows links): tests/walk/exports/acme/loop",
            "left out 1 file that is not .json or .csv: tests/walk/exports/notes.txt",
        ],
        unix_only: true,
        ..BASE
    },
    Case {
        name: "--exclude leaves folders out of a walk, and says so",
        args: &["check", "--exclude", "node_modules", "--exclude", "targ?t/", "tests/walk/exports"],
        code: 1,
        stdout_has: &[
            "left out 2 paths excluded by --exclude: tests/walk/exports/node_modules, tests/walk/exports/target",
        ],
        stdout_lacks: &["json-syntax"],
        ..BASE
    },
    Case {
        name: "--follow follows links, and leaves out a link back into a folder already walked",
        args: &["check", "--follow", "--format", "json", "tests/walk/exports"],
        code: 1,
        stdout_has: &[
            "\"path\": \"tests/walk/exports/acme/loop\",\n      \"reason\": \"link-loop\"",
            "\"path\": \"tests/walk/exports/.cache\",\n      \"reason\": \"hidden-folder\"",
            "\"path\": \"tests/walk/exports/notes.txt\",\n      \"reason\": \"not-a-report\"",
        ],
        unix_only: true,
        ..BASE
    },
    Case {
        name: "an invalid --exclude pattern is a usage error",
        args: &["check", "--exclude", "a[", "tests/walk/exports"],
        code: 2,
        stderr_has: &["--exclude a["],
        ..BASE
    },
    Case {
        name: "regression (issue 11): a folder given twice keeps its cross-check",
        args: &["check", "tests/fixtures/missing-from-csv", "tests/fixtures/missing-from-csv"],
        code: 1,
        stdout_has: &[
            "error[missing-from-csv]",
            "cross-checked tests/fixtures/missing-from-csv/users.csv with tests/fixtures/missing-from-csv/usage.json",
        ],
        stdout_lacks: &["checked alone", "no problems found"],
        ..BASE
    },
    Case {
        name: "regression (issue 11): a file and its folder, spelled differently, are one file",
        args: &[
            "check",
            "./tests/fixtures/missing-from-csv/usage.json",
            "tests/fixtures/missing-from-csv/",
            "tests//fixtures/missing-from-csv/users.csv",
        ],
        code: 1,
        stdout_has: &[
            "error[missing-from-csv]",
            "cross-checked tests/fixtures/missing-from-csv/users.csv with tests/fixtures/missing-from-csv/usage.json",
        ],
        stdout_lacks: &["checked alone", "./tests", "tests//"],
        ..BASE
    },
    Case {
        name: "regression (issue 11): --pair matches files by identity, in either order",
        args: &[
            "check",
            "-v",
            "--pair",
            "./tests/fixtures/valid--pair/users.csv=tests//fixtures/valid.json",
            "tests/fixtures/name-mismatch/usage.json",
            "tests/fixtures/valid--pair/users.csv",
            "tests/fixtures/valid.json",
        ],
        stdout_has: &[
            "cross-checked tests/fixtures/valid--pair/users.csv with tests/fixtures/valid.json: 3 of 3",
        ],
        ..BASE
    },
    Case {
        name: "--pair naming a file that is not checked is a usage error",
        args: &[
            "check",
            "--pair",
            "tests/fixtures/valid.json=tests/fixtures/valid--pair/users.csv",
            "tests/fixtures/valid.json",
        ],
        code: 2,
        stderr_has: &["--pair names tests/fixtures/valid--pair/users.csv, which is not among the paths to check"],
        ..BASE
    },
    Case {
        name: "--pair naming a file that does not exist is a usage error",
        args: &["check", "--pair", "nothere.json=tests/fixtures/valid--pair/users.csv", "tests/fixtures/valid--pair"],
        code: 2,
        stderr_has: &["--pair names nothere.json: no such file"],
        ..BASE
    },
    Case {
        name: "--pair of two usage reports is a usage error",
        args: &["check", "--pair", "tests/fixtures/valid.json=tests/fixtures/empty-call.json", "tests/fixtures/valid.json", "tests/fixtures/empty-call.json"],
        code: 2,
        stderr_has: &["a pair is one usage report (JSON) and one user report (CSV)"],
        ..BASE
    },
    Case {
        name: "regression (issue 11): an unreadable path is in human output, which never says no problems found then",
        args: &["check", "nothere.json", "tests/fixtures/valid--pair"],
        code: 2,
        stdout_has: &["error: cannot read nothere.json: no such file", "1 path could not be checked"],
        stdout_lacks: &["no problems found"],
        stderr_has: &["tuple-report: cannot read nothere.json: no such file"],
        ..BASE
    },
    Case {
        name: "regression (issue 11): an unreadable path is a files entry with its error and counted in JSON",
        args: &["check", "--format", "json", "nothere.json", "tests/fixtures/valid--pair"],
        code: 2,
        stdout_has: &[
            "\"path\": \"nothere.json\",\n      \"kind\": \"usage-report\"",
            "\"error\": \"no such file\"",
            "\"unreadable\": 1,",
        ],
        ..BASE
    },
    Case {
        name: "regression (issue 11): an unreadable path makes SARIF's invocation unsuccessful, with a notification",
        args: &["check", "--format", "sarif", "nothere.json", "tests/fixtures/valid--pair"],
        code: 2,
        stdout_has: &[
            "\"executionSuccessful\": false",
            "\"toolExecutionNotifications\": [",
            "\"text\": \"cannot read nothere.json: no such file\"",
        ],
        ..BASE
    },
    Case {
        name: "regression (issue 11): an unreadable path is a JUnit error",
        args: &["check", "--format", "junit", "nothere.json", "tests/fixtures/valid--pair"],
        code: 2,
        stdout_has: &[
            "<testsuite name=\"nothere.json\" tests=\"1\" failures=\"0\" errors=\"1\"",
            "<error type=\"unreadable\" message=\"cannot read nothere.json: no such file\"/>",
        ],
        ..BASE
    },
    Case {
        name: "regression (issue 11): an unreadable path is a GitHub error annotation, even with --quiet",
        args: &["check", "--format", "github", "--quiet", "nothere.json", "tests/fixtures/valid--pair"],
        code: 2,
        stdout_has: &[
            "::error file=nothere.json,title=unreadable::cannot read nothere.json: no such file",
            "tuple-report: 1 path could not be checked in 2 files",
        ],
        ..BASE
    },
    Case {
        name: "a file whose partner could not be read says so, rather than that it has none",
        args: &["check", "tests/fixtures/valid--pair/usage.json", "tests/fixtures/valid--pair/nothere.csv"],
        code: 2,
        stdout_has: &[
            "info[unpaired-report]: tests/fixtures/valid--pair/usage.json was not cross-checked: tests/fixtures/valid--pair/nothere.csv could not be read",
            "not cross-checked tests/fixtures/valid--pair/nothere.csv with tests/fixtures/valid--pair/usage.json: tests/fixtures/valid--pair/nothere.csv could not be read",
        ],
        stdout_lacks: &["no partner"],
        ..BASE
    },
    Case {
        name: "JUnit lists no cross-check test as passed for a pair that was not compared",
        args: &["check", "--format", "junit", "tests/fixtures/valid--pair/usage.json", "tests/fixtures/valid--pair/nothere.csv"],
        code: 2,
        stdout_has: &[
            "<testcase name=\"unpaired-report\" classname=\"tests/fixtures/valid--pair/usage.json\">",
            "<error type=\"unreadable\" message=\"cannot read tests/fixtures/valid--pair/nothere.csv: no such file\"/>",
        ],
        stdout_lacks: &["name=\"missing-from-csv\""],
        ..BASE
    },
    Case {
        name: "regression (issue 12): a user report cut off mid-row is one finding for the members it leaves out, after the cut",
        args: &["check", "--format", "github", "tests/gate/cut-off"],
        code: 1,
        stdout_has: &[
            "::error file=tests/gate/cut-off/users.csv,line=3,col=64,endLine=3,endColumn=64,title=csv-syntax::the file ends in the middle of row 3",
            "::error file=tests/gate/cut-off/users.csv,line=3,col=64,endLine=3,endColumn=64,title=missing-from-csv::1 team member of tests/gate/cut-off/usage.json has no row in tests/gate/cut-off/users.csv, which ends in the middle of row 3",
            "tuple-report: 2 errors in 2 files",
        ],
        ..BASE
    },
    Case {
        name: "regression (issue 11): a folder with no report is exit 2, not a pass",
        args: &["check", "tests/gate/no-reports"],
        code: 2,
        stdout_has: &[
            "cannot read tests/gate/no-reports: no report in it",
            "left out 1 file that is not .json or .csv: tests/gate/no-reports/README.md",
        ],
        stdout_lacks: &["no problems found"],
        ..BASE
    },
    Case {
        name: "--redact shows emails and names as hashes and no source lines, in every format",
        args: &["check", "--redact", "samples/defective"],
        code: 1,
        stdout_has: &[
            "row 5 ([email ce1dbd76]) has no team member with this email",
            "Name [name 44d6b82e] differs from team member 5 (user_id 502)'s name [name 9b2ff5ba]",
        ],
        stdout_lacks: &["@example.com", "Lindqvist", " | "],
        ..BASE
    },
    Case {
        name: "--redact reaches GitHub annotations too",
        args: &["check", "--redact", "--format", "github", "samples/defective"],
        code: 1,
        stdout_has: &["::error file=samples/defective/users.csv,line=5", "[email ce1dbd76]"],
        stdout_lacks: &["@example.com", "Lindqvist"],
        ..BASE
    },
    Case {
        name: "redact = true in the configuration file does the same; --no-redact wins over it",
        args: &["check", "--config", "tests/config/redact.toml", "--format", "json", "samples/defective"],
        code: 1,
        stdout_has: &["\"redacted\": true", "[email d97687cb]"],
        stdout_lacks: &["@example.com"],
        ..BASE
    },
    Case {
        name: "--no-redact shows names and emails though the configuration file says redact",
        args: &["check", "--config", "tests/config/redact.toml", "--no-redact", "--format", "sarif", "samples/defective"],
        code: 1,
        stdout_has: &["emma.lindqvist@example.com"],
        stdout_lacks: &["\"redacted\"", "[email "],
        ..BASE
    },
    Case {
        name: "--allow-empty lets a folder with no report pass",
        args: &["check", "--allow-empty", "tests/gate/no-reports"],
        stdout_has: &["no problems found"],
        ..BASE
    },
    Case {
        name: "allow-empty in the configuration file does the same, and the file used is named",
        args: &["check", "--config", "tests/gate/allow-empty.toml", "--format", "json", "tests/gate/no-reports"],
        stdout_has: &["\"configuration\": \"tests/gate/allow-empty.toml\"", "\"files\": 0,"],
        ..BASE
    },
    Case {
        name: "regression (issue 11): two teams' files are one finding, not one per member and row",
        args: &["check", "samples/valid/usage.json", "tests/fixtures/different-teams/users.csv"],
        code: 1,
        stdout_has: &[
            "error[different-teams]: none of the 2 rows of tests/fixtures/different-teams/users.csv has the email of one of the 6 team members of samples/valid/usage.json",
            "1 error",
        ],
        stdout_lacks: &["missing-from-csv", "missing-from-json"],
        ..BASE
    },
    Case {
        name: "where the user report's header has no Email column, that finding stands alone",
        args: &["check", "samples/valid/usage.json", "tests/fixtures/csv-header.csv"],
        code: 1,
        stdout_has: &[
            "error[csv-header]",
            "not cross-checked tests/fixtures/csv-header.csv with samples/valid/usage.json: tests/fixtures/csv-header.csv has no Email column",
        ],
        stdout_lacks: &["different-teams", "missing-from-csv", "missing-from-json"],
        ..BASE
    },
    Case {
        name: "a report without a partner is an info in every format, which --deny makes fail",
        args: &["check", "--deny", "unpaired-report", "--format", "github", "tests/fixtures/valid.json"],
        code: 1,
        stdout_has: &["::error file=tests/fixtures/valid.json,title=unpaired-report::tests/fixtures/valid.json was checked alone"],
        ..BASE
    },
    Case {
        name: "the configuration file used is named in the human summary",
        args: &["check", "--config", "tests/config/tuple-report.toml", "tests/fixtures/valid.json"],
        stdout_has: &["configuration: tests/config/tuple-report.toml"],
        ..BASE
    },
    Case {
        name: "--config and --no-config do not go together",
        args: &["check", "--config", "tests/config/tuple-report.toml", "--no-config", "tests/fixtures/valid.json"],
        code: 2,
        stderr_has: &["cannot be used with"],
        ..BASE
    },
    Case {
        name: "a path that cannot be read is reported at the end, with exit 2, and the rest checked",
        args: &["check", "tests/walk/exports/acme-usage.json", "no/such.json", "tests/fixtures/empty-call.json"],
        code: 2,
        stdout_has: &["tests/fixtures/empty-call.json: usage report", "warning[empty-call]"],
        stderr_has: &["tuple-report: cannot read no/such.json: no such file"],
        ..BASE
    },
    Case {
        name: "--pair pairs explicitly; the file left over is checked alone",
        args: &[
            "check",
            "--verbose",
            "tests/fixtures/name-mismatch/usage.json",
            "tests/fixtures/valid--pair/users.csv",
            "tests/fixtures/valid.json",
            "--pair",
            "tests/fixtures/valid.json=tests/fixtures/valid--pair/users.csv",
        ],
        stdout_has: &[
            "cross-checked tests/fixtures/valid--pair/users.csv with tests/fixtures/valid.json: 3 of 3",
            "tests/fixtures/name-mismatch/usage.json: usage report, 3 team members, 2 calls from 2026-09-01 to 2026-10-14; no partner, checked alone",
        ],
        ..BASE
    },
    Case {
        name: "--pair wants JSON=CSV",
        args: &["check", "--pair", "usage.json", "usage.json"],
        code: 2,
        stderr_has: &["expected JSON=CSV"],
        ..BASE
    },
    Case {
        name: "a user report alone is checked alone",
        args: &["check", "--format", "json", "tests/fixtures/csv-invalid-role.csv"],
        code: 1,
        stdout_has: &["\"kind\": \"user-report\"", "\"rule\": \"csv-invalid-role\"", "\"row\": 4", "\"field\": \"Role\"", "\"pairs\": []"],
        ..BASE
    },
    Case {
        name: "the defective pair reports CSV and cross-check findings",
        args: &["check", "samples/defective/usage.json", "samples/defective/users.csv"],
        code: 1,
        stdout_has: &["error[csv-invalid-date]", "warning[csv-formula]", "error[missing-from-json]", "error[name-mismatch]"],
        ..BASE
    },
    Case {
        name: "--max-per-rule shows the first findings of each rule and counts the rest",
        args: &["check", "--max-per-rule", "2", "samples/defective/usage.json"],
        code: 1,
        stdout_has: &[
            "note: 3 more findings of participant-mismatch in samples/defective/usage.json not shown",
            "participant 2 of call 5 has user_id 505",
            "6 errors, 8 warnings",
        ],
        stdout_lacks: &["of call 7 (\"Emma"],
        ..BASE
    },
    Case {
        name: "JSON output keeps every finding whatever --max-per-rule says",
        args: &["check", "--format", "json", "--max-per-rule", "1", "samples/defective/usage.json"],
        code: 1,
        stdout_has: &["participant 1 of call 11 has user_id 505"],
        ..BASE
    },
    Case {
        name: "the defective sample fails with located frames",
        args: &["check", "samples/defective/usage.json"],
        code: 1,
        stdout_has: &[
            "error[schema-required]: team member 4 (user_id 504) has no \"email\"",
            "--> samples/defective/usage.json:27:5",
            "error[schema-format]",
        ],
        ..BASE
    },
    Case {
        name: "warnings alone pass by default",
        args: &["check", "tests/fixtures/empty-call.json"],
        stdout_has: &["warning[empty-call]", "1 warning"],
        ..BASE
    },
    Case {
        name: "--fail-on warning fails on a warning",
        args: &[
            "check",
            "--fail-on",
            "warning",
            "tests/fixtures/empty-call.json",
        ],
        code: 1,
        ..BASE
    },
    Case {
        name: "--fail-on error still passes an info-free clean file",
        args: &["check", "--fail-on", "warning", "tests/fixtures/valid.json"],
        ..BASE
    },
    Case {
        name: "a missing file is exit 2 with a clear error",
        args: &["check", "no/such/usage.json"],
        code: 2,
        stderr_has: &["tuple-report: cannot read no/such/usage.json: no such file"],
        ..BASE
    },
    Case {
        name: "the samples directory holds two pairs",
        args: &["check", "--verbose", "samples"],
        code: 1,
        stdout_has: &[
            "cross-checked samples/defective/users.csv with samples/defective/usage.json",
            "cross-checked samples/valid/users.csv with samples/valid/usage.json: 6 of 6",
        ],
        ..BASE
    },
    Case {
        name: "issue 15: many files list only those with findings, with their counts, and end with one total",
        args: &["check", "--as-of", "2026-11-05", "samples", "tests/fixtures/valid--pair"],
        code: 1,
        stdout_has: &[
            "samples/defective/usage.json: usage report, 6 team members, 12 calls from 2026-06-13 to 2026-09-27: 6 errors, 8 warnings",
            "cross-checked samples/defective/users.csv with samples/defective/usage.json",
            "  verdict: users.csv disagrees with usage.json",
            "checked 6 files (3 pairs), 2 with findings: 11 errors, 9 warnings\n",
        ],
        stdout_lacks: &[
            "cross-checked tests/fixtures/valid--pair/users.csv",
            "tests/fixtures/valid--pair/usage.json: usage report",
            "samples/valid/usage.json: usage report",
        ],
        ..BASE
    },
    Case {
        name: "issue 15: a clean directory of several pairs prints one line",
        args: &["check", "--as-of", "2026-11-05", "tests/fixtures/valid--pair", "tests/fixtures/valid--local-dates", "samples/valid"],
        stdout_has: &["checked 6 files (3 pairs): no problems found\n"],
        stdout_lacks: &["cross-checked", "usage report,"],
        ..BASE
    },
    Case {
        name: "check needs a file",
        args: &["check"],
        code: 2,
        stderr_has: &["required"],
        ..BASE
    },
    Case {
        name: "an unknown flag is a usage error",
        args: &["check", "--nope", "tests/fixtures/valid.json"],
        code: 2,
        ..BASE
    },
    Case {
        name: "--as-of must be RFC 3339 or a date",
        args: &[
            "check",
            "--as-of",
            "2026-11-20 10:00",
            "tests/fixtures/valid.json",
        ],
        code: 2,
        stderr_has: &["RFC 3339"],
        ..BASE
    },
    Case {
        name: "--as-of takes a bare date, the start of that day in UTC",
        args: &["check", "--as-of", "2026-11-23", "tests/fixtures/future-timestamp.json"],
        code: 1,
        stdout_has: &["after the as-of time 2026-11-23T00:00:00+00:00"],
        ..BASE
    },
    Case {
        name: "without --as-of, a timestamp more than a day after the clock is in the future",
        args: &["check", "tests/fixtures/future-timestamp.json"],
        code: 1,
        stdout_has: &[
            "error[future-timestamp]",
            "is 2062-10-20T17:40:12Z, more than a day past this machine's clock",
        ],
        ..BASE
    },
    Case {
        name: "--as-of sets the time the report is judged at",
        args: &[
            "check",
            "--as-of",
            "2026-11-23T12:00:00Z",
            "tests/fixtures/future-timestamp.json",
        ],
        code: 1,
        stdout_has: &["after the as-of time 2026-11-23T12:00:00+00:00"],
        ..BASE
    },
    Case {
        name: "--as-of far ahead: nothing is in the future, and the calls fall out of the window",
        args: &[
            "check",
            "--as-of",
            "2063-01-01T00:00:00Z",
            "tests/fixtures/future-timestamp.json",
        ],
        stdout_has: &["warning[call-outside-window]", "2 warnings"],
        stdout_lacks: &["[future-timestamp]"],
        ..BASE
    },
    Case {
        name: "--format json is one JSON document",
        args: &[
            "check",
            "--format",
            "json",
            "tests/fixtures/empty-call.json",
        ],
        stdout_has: &[
            "\"version\": 1",
            "\"rule\": \"empty-call\"",
            "\"warnings\": 1",
        ],
        ..BASE
    },
    Case {
        name: "--deny makes a rule's findings errors",
        args: &["check", "--deny", "empty-call", "tests/fixtures/empty-call.json"],
        code: 1,
        stdout_has: &["error[empty-call]", "1 error"],
        ..BASE
    },
    Case {
        name: "--warn makes them warnings",
        args: &["check", "--warn", "json-syntax", "tests/fixtures/json-syntax.json"],
        stdout_has: &["warning[json-syntax]", "1 warning"],
        ..BASE
    },
    Case {
        name: "--allow silences a rule, in the output and the counts",
        args: &["check", "--allow", "participant-mismatch", "samples/defective/usage.json"],
        code: 1,
        stdout_has: &["6 errors, 3 warnings, 1 info"],
        stdout_lacks: &["participant-mismatch"],
        ..BASE
    },
    Case {
        name: "an unknown rule on the command line is a usage error that suggests the closest",
        args: &["check", "--allow", "empty-calls", "tests/fixtures/empty-call.json"],
        code: 2,
        stderr_has: &["no rule named empty-calls; did you mean empty-call?"],
        ..BASE
    },
    Case {
        name: "--config reads rules and fail-on from the file",
        args: &["check", "--config", "tests/config/tuple-report.toml", "tests/fixtures/unknown-participant.json"],
        code: 0,
        stdout_lacks: &["unknown-participant]"],
        stdout_has: &["1 info"],
        ..BASE
    },
    Case {
        name: "the file's fail-on makes a warning fail, and a flag wins over the file",
        args: &[
            "check",
            "--config",
            "tests/config/tuple-report.toml",
            "--warn",
            "empty-call",
            "tests/fixtures/empty-call.json",
        ],
        code: 1,
        stdout_has: &["warning[empty-call]"],
        ..BASE
    },
    Case {
        name: "--fail-on on the command line wins over the file's",
        args: &[
            "check",
            "--config",
            "tests/config/tuple-report.toml",
            "--warn",
            "empty-call",
            "--fail-on",
            "error",
            "tests/fixtures/empty-call.json",
        ],
        stdout_has: &["warning[empty-call]"],
        ..BASE
    },
    Case {
        name: "an invalid configuration is a clear error with its line",
        args: &["check", "--config", "tests/config/misspelled.toml", "tests/fixtures/empty-call.json"],
        code: 2,
        stderr_has: &["tests/config/misspelled.toml:3: no rule named empty-calls; did you mean empty-call?"],
        ..BASE
    },
    Case {
        name: "--quiet prints only the summary: each file with findings and its counts, and the total",
        args: &["check", "--quiet", "samples"],
        code: 1,
        stdout_has: &[
            "samples/defective/usage.json: 6 errors, 8 warnings\n",
            "samples/defective/users.csv: ",
            "checked 4 files (2 pairs), 2 with findings: ",
        ],
        stdout_lacks: &["-->", "error[", "usage report,", "verdict"],
        ..BASE
    },
    Case {
        name: "--format github writes workflow commands and a summary",
        args: &["check", "--format", "github", "tests/fixtures/empty-call.json"],
        stdout_has: &["::warning file=tests/fixtures/empty-call.json,line=71,col=23,", ",title=empty-call::", "tuple-report: 1 warning, 1 info in 1 file"],
        ..BASE
    },
    Case {
        name: "--format junit writes a test suite per file; findings below --fail-on pass, noted",
        args: &["check", "--format", "junit", "tests/fixtures/empty-call.json"],
        stdout_has: &[
            "<testsuite name=\"tests/fixtures/empty-call.json\" tests=\"26\" failures=\"0\"",
            "<testcase name=\"empty-call\" classname=\"tests/fixtures/empty-call.json\">\n      <system-out>",
        ],
        stdout_lacks: &["<failure"],
        ..BASE
    },
    Case {
        name: "issue 15: with --fail-on warning, a warning fails its JUnit test case, once however many findings",
        args: &["check", "--format", "junit", "--fail-on", "warning", "samples/defective"],
        code: 1,
        stdout_has: &[
            "<testsuite name=\"samples/defective/usage.json\" tests=\"27\" failures=\"9\"",
            "<failure type=\"warning\" message=\"5 findings: participant 2 of call 4 has user_id 505",
        ],
        ..BASE
    },
    Case {
        name: "--format sarif writes a SARIF 2.1.0 log",
        args: &["check", "--format", "sarif", "tests/fixtures/empty-call.json"],
        stdout_has: &["\"version\": \"2.1.0\"", "\"ruleId\": \"empty-call\"", "\"startLine\": 71"],
        ..BASE
    },
    Case {
        name: "--color always paints, even with NO_COLOR, which only turns auto off",
        args: &[
            "check",
            "--color",
            "always",
            "tests/fixtures/empty-call.json",
        ],
        env: &[("NO_COLOR", "1")],
        stdout_has: &["\u{1b}["],
        ..BASE
    },
    Case {
        name: "--color auto does not paint into a pipe",
        args: &["check", "tests/fixtures/empty-call.json"],
        stdout_lacks: &["\u{1b}"],
        ..BASE
    },
    Case {
        name: "escape sequences from a report never reach the terminal raw",
        args: &[
            "check",
            "--color",
            "never",
            "tests/fixtures/participant-mismatch--escapes.json",
            "tests/fixtures/json-syntax--control-character.json",
        ],
        code: 1,
        stdout_has: &[
            "\"Mallory\\u{1b}[2J\\n::error::owned\"",
            "\"Chioma\u{241b}[31m Okafor\"",
        ],
        stdout_lacks: &["\u{1b}", "\n::error::"],
        ..BASE
    },
    Case {
        name: "rules lists the registry",
        args: &["rules"],
        stdout_has: &[
            "Reading the file:",
            "Schema rules:",
            "Report rules:",
            "  last-call-stale           error    ",
        ],
        ..BASE
    },
    Case {
        name: "rules RULE explains it",
        args: &["rules", "unknown-participant"],
        stdout_has: &[
            "unknown-participant (warning, report rules)",
            "Example:",
            "Fix:",
            "deleted",
        ],
        ..BASE
    },
    Case {
        name: "explain RULE is rules RULE",
        args: &["explain", "json-bom"],
        stdout_has: &["json-bom (warning, reading the file)", "EF BB BF"],
        ..BASE
    },
    Case {
        name: "an unknown rule suggests the closest",
        args: &["rules", "last-call-stal"],
        code: 2,
        stderr_has: &["no rule named last-call-stal; did you mean last-call-stale?"],
        ..BASE
    },
    Case {
        name: "--version",
        args: &["--version"],
        stdout_has: &[concat!("tuple-report ", env!("CARGO_PKG_VERSION"))],
        ..BASE
    },
    Case {
        name: "every subcommand's help shows examples: schema",
        args: &["schema", "--help"],
        stdout_has: &["Examples:", "tuple-report schema >"],
        ..BASE
    },
    Case {
        name: "every subcommand's help shows examples: rules",
        args: &["rules", "--help"],
        stdout_has: &["Examples:", "tuple-report rules last-call-stale"],
        ..BASE
    },
    Case {
        name: "every subcommand's help shows examples: generate",
        args: &["generate", "--help"],
        stdout_has: &["Examples:", "--defect empty-call@end"],
        ..BASE
    },
    Case {
        name: "check --help shows examples and exit codes",
        args: &["check", "--help"],
        stdout_has: &["Examples:", "--fail-on", "Exit codes"],
        ..BASE
    },
];

/// Runs a case; what it got wrong, if anything.
fn run_case(case: &Case) -> Option<String> {
    let mut command = Command::cargo_bin("tuple-report").unwrap();
    command.args(case.args).env_remove("NO_COLOR");
    for (key, value) in case.env {
        command.env(key, value);
    }
    let output = command.output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let mut wrong = Vec::new();
    // Every JSON document the command line writes keeps to the published output schema.
    if case.args.windows(2).any(|w| w == ["--format", "json"]) && !stdout.is_empty() {
        let errors = common::output_errors(&stdout);
        if !errors.is_empty() {
            wrong.push(format!(
                "the JSON output breaks schema/output.schema.json: {}",
                errors.join("; ")
            ));
        }
    }
    if output.status.code() != Some(case.code) {
        wrong.push(format!(
            "exit code {:?}, not {}",
            output.status.code(),
            case.code
        ));
    }
    for needle in case.stdout_has {
        if !stdout.contains(needle) {
            wrong.push(format!("stdout lacks {needle:?}"));
        }
    }
    for needle in case.stdout_lacks {
        if stdout.contains(needle) {
            wrong.push(format!("stdout has {needle:?}"));
        }
    }
    for needle in case.stderr_has {
        if !stderr.contains(needle) {
            wrong.push(format!("stderr lacks {needle:?}"));
        }
    }
    (!wrong.is_empty()).then(|| {
        format!(
            "case: {}\n{}\nstdout:\n{stdout}\nstderr:\n{stderr}",
            case.name,
            wrong.join("\n")
        )
    })
}

/// Every case runs (but those that need Unix, elsewhere: listed), and every case that fails
/// is listed.
#[test]
fn command_line_cases() {
    let (runnable, unix_only): (Vec<&Case>, Vec<&Case>) =
        CASES.iter().partition(|case| cfg!(unix) || !case.unix_only);
    for case in unix_only {
        eprintln!("not run here (needs a Unix checkout): {}", case.name);
    }
    let failed: Vec<String> = runnable.into_iter().filter_map(run_case).collect();
    assert!(
        failed.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failed.len(),
        CASES.len(),
        failed.join("\n--------\n")
    );
}

#[test]
fn rules_lists_every_rule() {
    let output = Command::cargo_bin("tuple-report")
        .unwrap()
        .arg("rules")
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    for rule in Rule::ALL {
        assert!(
            stdout.contains(rule.id()),
            "rules does not list {}",
            rule.id()
        );
        assert!(
            stdout.contains(rule.summary()),
            "rules does not summarise {}",
            rule.id()
        );
    }
}

#[test]
fn schema_prints_the_embedded_schema_byte_for_byte() {
    let output = Command::cargo_bin("tuple-report")
        .unwrap()
        .arg("schema")
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(
        output.stdout,
        std::fs::read("schema/usage-report.schema.json").unwrap()
    );
}

#[test]
fn json_output_is_deterministic_and_sorted() {
    let run = || {
        let output = Command::cargo_bin("tuple-report")
            .unwrap()
            .args([
                "check",
                "--format",
                "json",
                "--as-of",
                "2026-11-23T12:00:00Z",
                "samples/defective/usage.json",
            ])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1));
        output.stdout
    };
    let first = run();
    assert_eq!(first, run(), "two runs differ");
    let document: serde_json::Value = serde_json::from_slice(&first).unwrap();
    let places: Vec<(u64, u64, String)> = document["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            // A finding about a whole file (checked alone) has no line, and comes first.
            (
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
                d["rule"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let mut sorted = places.clone();
    sorted.sort();
    assert_eq!(places, sorted);
    let errors = places.len() as u64;
    let summary = &document["summary"];
    let counted = summary["errors"].as_u64().unwrap()
        + summary["warnings"].as_u64().unwrap()
        + summary["infos"].as_u64().unwrap();
    assert_eq!(counted, errors);
}

#[test]
fn generate_writes_a_pair_whose_planted_defect_is_reported_where_it_says() {
    let out =
        std::env::temp_dir().join(format!("tuple-report-cli-generate-{}", std::process::id()));
    let generated = Command::cargo_bin("tuple-report")
        .unwrap()
        .args([
            "generate",
            "--members",
            "25",
            "--calls",
            "120",
            "--seed",
            "3",
        ])
        .args(["--defect", "call-ends-before-start@middle", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        generated.status.success(),
        "{}",
        String::from_utf8_lossy(&generated.stderr)
    );
    let said = String::from_utf8(generated.stdout).unwrap();
    let place = said
        .lines()
        .find_map(|line| line.strip_prefix("planted call-ends-before-start at "))
        .expect("generate says where it planted the defect")
        .to_owned();
    let usage = out.join("usage.json");
    let users = out.join("users.csv");
    let checked = Command::cargo_bin("tuple-report")
        .unwrap()
        .args([
            "check",
            "--color",
            "never",
            "--as-of",
            "2026-11-01T00:00:00Z",
        ])
        .arg(&usage)
        .arg(&users)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&checked.stdout);
    assert_eq!(checked.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains(&format!("--> {place}:")),
        "not reported at {place}:\n{stdout}"
    );
    assert_eq!(stdout.matches("error[").count(), 1, "{stdout}");
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn standard_input_is_read_as_the_kind_given() {
    let csv = std::fs::read("tests/fixtures/csv-invalid-role.csv").unwrap();
    let output = Command::cargo_bin("tuple-report")
        .unwrap()
        .args(["check", "--stdin-kind", "csv", "-"])
        .write_stdin(csv)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("error[csv-invalid-role]"), "{stdout}");
    assert!(stdout.contains("--> -:4:89"), "{stdout}");
    let json = std::fs::read("tests/fixtures/empty-call.json").unwrap();
    let output = Command::cargo_bin("tuple-report")
        .unwrap()
        .arg("check")
        .arg("-")
        .write_stdin(json)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("warning[empty-call]") && stdout.contains("-: usage report"),
        "{stdout}"
    );
}

#[test]
fn the_configuration_file_is_found_from_the_current_directory_up() {
    let output = Command::cargo_bin("tuple-report")
        .unwrap()
        .current_dir("tests/config/nested/deeper")
        .args(["check", "--color", "never", "usage.json"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    // tests/config/tuple-report.toml denies empty-call.
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("error[empty-call]"), "{stdout}");
}

#[test]
fn the_pre_commit_hooks_entry_runs() {
    let hooks = std::fs::read_to_string(".pre-commit-hooks.yaml").unwrap();
    let entry = hooks
        .lines()
        .find_map(|line| line.trim().strip_prefix("entry: "))
        .expect("the hook has an entry");
    let mut words = entry.split_whitespace();
    assert_eq!(words.next(), Some("tuple-report"));
    let output = Command::cargo_bin("tuple-report")
        .unwrap()
        .args(words)
        .args([
            "tests/fixtures/valid--pair/usage.json",
            "tests/fixtures/valid--pair/users.csv",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("no problems found"), "{stdout}");
}

/// Runs the binary with `args` (and `stdin`, if any) from `dir`; its exit code and stdout.
fn run_in(dir: &str, args: &[&str], stdin: Option<Vec<u8>>) -> (Option<i32>, String) {
    let mut command = Command::cargo_bin("tuple-report").unwrap();
    command.current_dir(dir).args(args).env_remove("NO_COLOR");
    if let Some(stdin) = stdin {
        command.write_stdin(stdin);
    }
    let output = command.output().unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

/// Regression (issue 11): `-` given twice read standard input twice, and the second copy
/// was "the file is empty".
#[test]
fn standard_input_named_twice_is_read_once() {
    let json = std::fs::read("tests/fixtures/valid.json").unwrap();
    let (code, stdout) = run_in(".", &["check", "-", "-"], Some(json));
    assert_eq!(code, Some(0), "{stdout}");
    assert_eq!(stdout.matches("-: usage report").count(), 1, "{stdout}");
    assert!(!stdout.contains("json-syntax"), "{stdout}");
}

/// Regression (issue 11): a CSV piped to `-` was parsed as JSON. Its kind is now sniffed as
/// for any file, `--stdin-name` names it (and its extension says its kind), and
/// `--stdin-kind` still wins over both.
#[test]
fn standard_input_is_sniffed_and_named() {
    let csv = std::fs::read("tests/fixtures/valid--pair/users.csv").unwrap();
    let (code, stdout) = run_in(".", &["check", "-"], Some(csv.clone()));
    assert_eq!(code, Some(0), "{stdout}");
    assert!(stdout.contains("-: user report, 3 rows"), "{stdout}");

    let (code, stdout) = run_in(
        ".",
        &[
            "check",
            "--format",
            "github",
            "--stdin-name",
            "exports/users.csv",
            "tests/fixtures/name-mismatch/usage.json",
            "-",
        ],
        Some(std::fs::read("tests/fixtures/name-mismatch/users.csv").unwrap()),
    );
    assert_eq!(code, Some(1), "{stdout}");
    assert!(
        stdout.contains("::error file=exports/users.csv,line=3,col=26,"),
        "{stdout}"
    );

    let (code, stdout) = run_in(".", &["check", "--stdin-kind", "json", "-"], Some(csv));
    assert_eq!(code, Some(1), "{stdout}");
    assert!(stdout.contains("error[json-syntax]"), "{stdout}");
}

/// Regression (issue 11): an absolute path and a relative one to the same file were two
/// files; a folder pairs its files whatever else names them.
#[test]
fn an_absolute_path_is_the_same_file_as_a_relative_one() {
    let here = std::env::current_dir().unwrap();
    let absolute = here.join("tests/fixtures/missing-from-csv/usage.json");
    let (code, stdout) = run_in(
        ".",
        &[
            "check",
            absolute.to_str().unwrap(),
            "tests/fixtures/missing-from-csv",
        ],
        None,
    );
    assert_eq!(code, Some(1), "{stdout}");
    assert!(!stdout.contains("checked alone"), "{stdout}");
    assert!(
        stdout.contains("cross-checked tests/fixtures/missing-from-csv/users.csv with tests/fixtures/missing-from-csv/usage.json"),
        "{stdout}"
    );
}

/// Regression (issue 11): `files` and `pairs` followed the order of the arguments. The same
/// set of paths gives the same bytes, in every format.
#[test]
fn the_order_of_the_arguments_does_not_change_the_output() {
    let paths = [
        "tests/fixtures/missing-from-csv",
        "samples/defective",
        "tests/fixtures/empty-call.json",
        "nothere.csv",
    ];
    for format in ["human", "json", "github", "junit", "sarif"] {
        let run = |paths: &[&str]| {
            let mut args = vec!["check", "--color", "never", "--format", format];
            args.extend(paths);
            run_in(".", &args, None)
        };
        let forward = run(&paths);
        let mut reversed = paths;
        reversed.reverse();
        assert_eq!(forward, run(&reversed), "--format {format}");
        assert_eq!(forward.0, Some(2), "--format {format}");
    }
}

/// `--no-config` leaves out the file that would be found from the current folder up.
#[test]
fn no_config_ignores_the_file_found() {
    let dir = "tests/config/nested/deeper";
    let (code, stdout) = run_in(dir, &["check", "--color", "never", "usage.json"], None);
    assert_eq!(code, Some(1), "{stdout}");
    assert!(
        stdout.contains("configuration: ../../tuple-report.toml"),
        "{stdout}"
    );
    let (code, stdout) = run_in(dir, &["check", "--no-config", "usage.json"], None);
    assert_eq!(code, Some(0), "{stdout}");
    assert!(stdout.contains("warning[empty-call]"), "{stdout}");
    assert!(!stdout.contains("configuration:"), "{stdout}");
}

/// `--version` names the embedded schema by the first 12 hex digits of its SHA-256, so that a
/// bug report says which schema was used.
#[test]
fn the_version_names_the_schema() {
    use sha2::{Digest, Sha256};
    let schema = std::fs::read("schema/usage-report.schema.json").unwrap();
    let hex: String = Sha256::digest(&schema)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let (code, stdout) = run_in(".", &["--version"], None);
    assert_eq!(code, Some(0));
    assert_eq!(
        stdout.trim(),
        format!(
            "tuple-report {} (schema sha256 {})",
            env!("CARGO_PKG_VERSION"),
            &hex[..12]
        )
    );
}

/// The portable path (every file read into memory, as `TUPLE_REPORT_NO_MAP` forces) and the
/// mapped one (files of 16 MB and more, where the system maps files) give the same bytes in
/// every format, on a report large enough to be mapped, with defects planted.
#[test]
fn the_portable_path_and_the_mapped_one_agree() {
    use tuple_report::generate::{write_usage_report, write_user_report, Defect, Spec};
    let dir = std::env::temp_dir().join(format!("tuple-report-no-map-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let spec = Spec {
        members: 400,
        calls: 36_000,
        seed: 5,
        defects: vec![
            Defect::parse("empty-call@end").unwrap(),
            Defect::parse("name-mismatch@middle").unwrap(),
        ],
    };
    let mut usage = Vec::new();
    write_usage_report(&spec, &mut usage).unwrap();
    assert!(usage.len() >= 16 << 20, "{} bytes: not mapped", usage.len());
    let mut users = Vec::new();
    write_user_report(&spec, &mut users).unwrap();
    std::fs::write(dir.join("usage.json"), usage).unwrap();
    std::fs::write(dir.join("users.csv"), users).unwrap();
    let dir_text = dir.to_str().unwrap();
    for format in ["human", "json", "sarif"] {
        let run = |no_map: bool| {
            let mut command = Command::cargo_bin("tuple-report").unwrap();
            command
                .args(["check", "--color", "never", "--as-of", "2026-11-01"])
                .args(["--format", format, dir_text]);
            if no_map {
                command.env("TUPLE_REPORT_NO_MAP", "1");
            } else {
                command.env_remove("TUPLE_REPORT_NO_MAP");
            }
            let output = command.output().unwrap();
            (output.status.code(), output.stdout)
        };
        let mapped = run(false);
        assert_eq!(mapped.0, Some(1), "--format {format}");
        assert_eq!(mapped, run(true), "--format {format}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Issue 15: a file that cannot be read in the middle of a directory (here a FIFO named like
/// a report, which reading would wait on for ever) is said in every format and makes the
/// exit code 2, while the pairs before and after it are checked, with any number of jobs.
/// Before, the walk left such a file out without a word.
#[cfg(unix)]
#[test]
fn a_file_that_cannot_be_read_in_the_middle_of_a_directory_is_said_and_the_rest_checked() {
    let dir = std::env::temp_dir().join(format!("tuple-report-cli-fifo-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for team in ["a", "b", "c"] {
        std::fs::create_dir_all(dir.join(team)).unwrap();
        for file in ["usage.json", "users.csv"] {
            std::fs::copy(format!("samples/valid/{file}"), dir.join(team).join(file)).unwrap();
        }
    }
    std::fs::remove_file(dir.join("b/usage.json")).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(dir.join("b/usage.json"))
        .status()
        .unwrap();
    assert!(made.success());
    let root = dir.to_string_lossy().into_owned();
    for jobs in ["1", "3"] {
        let run = |format: &str| {
            let output = Command::cargo_bin("tuple-report")
                .unwrap()
                .args(["check", "--as-of", "2026-11-01", "--jobs", jobs, "--format"])
                .args([format, root.as_str()])
                .timeout(std::time::Duration::from_secs(60))
                .output()
                .unwrap();
            assert_eq!(output.status.code(), Some(2), "{format}, --jobs {jobs}");
            String::from_utf8(output.stdout).unwrap()
        };
        let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
        let files = json["files"].as_array().unwrap();
        let unreadable: Vec<&serde_json::Value> =
            files.iter().filter(|f| f.get("error").is_some()).collect();
        assert_eq!(unreadable.len(), 1, "{files:?}");
        assert!(unreadable[0]["path"]
            .as_str()
            .unwrap()
            .ends_with("b/usage.json"));
        assert!(unreadable[0]["error"]
            .as_str()
            .unwrap()
            .contains("not a regular file"));
        // a/ and c/ are checked and cross-checked; b/users.csv says why it was not.
        assert_eq!(files.len(), 6, "{files:?}");
        let compared = json["pairs"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["matched"].is_number())
            .count();
        assert_eq!(compared, 2, "{}", json["pairs"]);
        let human = run("human");
        assert!(human.contains("1 path could not be checked"), "{human}");
        assert!(run("github").contains("title=unreadable"));
        assert!(run("junit").contains("<error type=\"unreadable\""));
        assert!(run("sarif").contains("\"executionSuccessful\": false"));
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Issue 15: one check, several outputs. `--output FORMAT=FILE` writes each format from the
/// same check as standard output's; human output in a file is capped by --max-per-rule and
/// never coloured while the JSON beside it keeps every finding; an output that would overwrite
/// a file checked, or one named twice, is a usage error before anything is written.
#[test]
fn one_check_writes_several_outputs_and_never_over_an_input() {
    let dir = std::env::temp_dir().join(format!("tuple-report-cli-outputs-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let out = |name: &str| dir.join(name).to_string_lossy().into_owned();
    let output = Command::cargo_bin("tuple-report")
        .unwrap()
        .args([
            "check",
            "--format",
            "github",
            "--color",
            "always",
            "--max-per-rule",
            "2",
        ])
        .args(["--output", &format!("sarif={}", out("results.sarif"))])
        .args(["--output", &format!("json={}", out("results.json"))])
        .args(["--output", &format!("human={}", out("results.txt"))])
        .args(["--output", &format!("junit={}", out("results.xml"))])
        .args(["--output", &format!("html={}", out("results.html"))])
        .arg("samples/defective")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.contains("::error file=samples/defective/usage.json,"),
        "{stdout}"
    );
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out("results.sarif")).unwrap()).unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out("results.json")).unwrap()).unwrap();
    let findings = json["diagnostics"].as_array().unwrap().len();
    assert_eq!(
        sarif["runs"][0]["results"].as_array().unwrap().len(),
        findings
    );
    assert_eq!(
        stdout.matches("::error file=").count()
            + stdout.matches("::warning file=").count()
            + stdout.matches("::notice file=").count(),
        findings
    );
    let human = std::fs::read_to_string(out("results.txt")).unwrap();
    assert!(!human.contains('\u{1b}'), "no colour in a file");
    assert!(
        human.contains("more findings of participant-mismatch"),
        "{human}"
    );
    assert!(
        human.matches("warning[participant-mismatch]").count() == 2,
        "{human}"
    );
    assert!(std::fs::read_to_string(out("results.xml"))
        .unwrap()
        .starts_with("<?xml"));
    // The page in a file has its chart and member table (the check keeps them for it), and
    // is capped as human output is.
    let html = std::fs::read_to_string(out("results.html")).unwrap();
    assert!(html.contains("<svg") && html.contains("<table class=\"members\">"));
    assert!(
        html.contains("more findings of <code>participant-mismatch</code> not shown"),
        "{html}"
    );

    let before = std::fs::read("samples/valid/usage.json").unwrap();
    for (args, said) in [
        (
            vec!["--output", "json=samples/valid/usage.json"],
            "is one of the files checked",
        ),
        (
            vec!["--output", "json=./samples//valid/usage.json"],
            "is one of the files checked",
        ),
        (
            vec![
                "--output",
                "json=twice.json",
                "--output",
                "sarif=twice.json",
            ],
            "names twice.json twice",
        ),
    ] {
        let output = Command::cargo_bin("tuple-report")
            .unwrap()
            .arg("check")
            .args(&args)
            .arg("samples/valid")
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(stderr.contains(said), "{stderr}");
        assert!(output.stdout.is_empty(), "nothing written before the error");
    }
    assert_eq!(std::fs::read("samples/valid/usage.json").unwrap(), before);
    assert!(!std::path::Path::new("twice.json").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Regression (issue 15): a pipeline that wrote its JSON output into the folder it checks had
/// the next run check that output as a usage report (and fail on it, `schema-required`), and
/// lose the pairing of the folder's real usage report, which then had a second JSON beside it.
#[test]
fn a_json_output_left_in_the_folder_checked_is_left_out_of_the_next_run() {
    let dir = std::env::temp_dir().join(format!("tuple-report-own-output-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for name in ["usage.json", "users.csv"] {
        std::fs::copy(format!("samples/valid/{name}"), dir.join(name)).unwrap();
    }
    let folder = dir.to_string_lossy().into_owned();
    let run = |args: &[&str]| {
        Command::cargo_bin("tuple-report")
            .unwrap()
            .arg("check")
            .args(args)
            .arg(&folder)
            .output()
            .unwrap()
    };
    let report = dir.join("tuple-report.json").to_string_lossy().into_owned();
    let first = run(&["--output", &format!("json={report}")]);
    assert_eq!(first.status.code(), Some(0));
    // Written through the shell, the same.
    let piped = run(&["--format", "json"]);
    std::fs::write(dir.join("piped.json"), &piped.stdout).unwrap();
    let second = run(&["--format", "json"]);
    assert_eq!(second.status.code(), Some(0), "{second:?}");
    common::assert_valid_output(std::str::from_utf8(&second.stdout).unwrap());
    let json: serde_json::Value = serde_json::from_slice(&second.stdout).unwrap();
    assert_eq!(json["pairs"].as_array().unwrap().len(), 1, "{json}");
    let skipped: Vec<(&str, &str)> = json["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["path"].as_str().unwrap(), s["reason"].as_str().unwrap()))
        .collect();
    let piped_path = dir.join("piped.json").to_string_lossy().into_owned();
    assert_eq!(
        skipped,
        [
            (piped_path.as_str(), "own-output"),
            (report.as_str(), "own-output")
        ]
    );
    let human = String::from_utf8(run(&[]).stdout).unwrap();
    assert!(
        human.contains("left out 2 JSON outputs of tuple-report, not reports: "),
        "{human}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
