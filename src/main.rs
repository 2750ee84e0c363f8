//! The `tuple-report` command: parses the command line, runs the library, prints, and exits
//! with 0 (nothing at the failing severity), 1 (something is) or 2 (a file could not be read,
//! or the command line is wrong).

mod cli;

/// See Cargo.toml: glibc's malloc serialises the threads of a check on its locks.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

use clap::ColorChoice;
use cli::{Cli, Command, FailOn, StdinKind};
use tuple_report::config::{self, Config, Level};
use tuple_report::{Checker, FileKind, Format, Output, RenderOptions, Severity};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            // clap's own exit codes: 0 for --help and --version, 2 for usage errors.
            return ExitCode::from(if error.use_stderr() { 2 } else { 0 });
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("tuple-report: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, String> {
    match cli.command {
        Command::Check(args) => check(args),
        Command::Rules { rule } => {
            let text = match rule {
                None => cli::rule_list(),
                Some(id) => cli::rule_page(config::rule_named(&id)?),
            };
            write_stdout(&text)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Schema => {
            write_stdout(tuple_report::SCHEMA)?;
            Ok(ExitCode::SUCCESS)
        }
        #[cfg(feature = "generate")]
        Command::Generate(args) => generate(args),
    }
}

/// `tuple-report check`.
fn check(args: cli::CheckArgs) -> Result<ExitCode, String> {
    let config = configuration(&args)?;
    let mut checker = Checker::new().configured(&config);
    // In this order, so that --deny wins over --warn, and both over --allow (and over the
    // file).
    for (rules, level) in [
        (&args.allow, Level::Allow),
        (&args.warn, Level::Warn),
        (&args.deny, Level::Deny),
    ] {
        for rule in rules {
            checker = checker.level(*rule, level);
        }
    }
    if let Some(as_of) = args.as_of {
        checker = checker.as_of(as_of);
    }
    // Only the outputs for people (human, HTML) leave findings out; JSON lists them all. When
    // those are all there is, findings beyond the cap are counted, not kept, as the check
    // goes; otherwise they are capped as they are written.
    let max_per_rule = (args.max_per_rule > 0).then_some(args.max_per_rule);
    let only_for_people = std::iter::once(args.format)
        .chain(args.output.iter().map(|(format, _)| *format))
        .all(|format| matches!(format, Format::Human | Format::Html));
    if let (Some(max), true) = (max_per_rule, only_for_people) {
        checker = checker.max_per_rule(max);
    }
    let progress = progress_wanted(args.format);
    if progress {
        checker = checker.progress(draw_progress());
    }
    for pattern in &args.exclude {
        checker = checker.exclude(pattern);
    }
    for (one, other) in &args.pair {
        checker = checker.pair(one, other);
    }
    let stdin_kind = args.stdin_kind.map(|kind| match kind {
        StdinKind::Json => FileKind::UsageReport,
        StdinKind::Csv => FileKind::UserReport,
    });
    let checker = checker
        .redact(!args.no_redact && (args.redact || config.redact))
        .jobs(args.jobs.unwrap_or(0))
        .follow_links(args.follow)
        .allow_empty(args.allow_empty || config.allow_empty)
        .stdin(stdin_kind, args.stdin_name.clone());
    let batch = checker
        .batch(&args.files)
        .map_err(|error| error.to_string())?;
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    };
    let fail_at = match args.fail_on {
        Some(FailOn::Error) => Severity::Error,
        Some(FailOn::Warning) => Severity::Warning,
        None => config.fail_on.unwrap_or(Severity::Error),
    };
    let render_options = RenderOptions {
        fail_on: fail_at,
        color: false,
        quiet: args.quiet,
        verbose: args.verbose,
        max_per_rule,
    };
    // Every output file is opened before the check starts, once it is known to be none of
    // the files checked: the findings are written as each file's turn comes.
    let (mut files, mut shown) = (Vec::new(), Vec::new());
    for (format, path) in output_files(&batch.paths(), &args.output)? {
        let name = tuple_report::escape(&path.to_string_lossy());
        let file = std::fs::File::create(&path).map_err(|e| format!("cannot write {name}: {e}"))?;
        files.push((format, std::io::BufWriter::new(file)));
        shown.push(name);
    }
    // Buffered: a JSON or SARIF document is written a piece at a time, and standard output
    // would otherwise make a system call of each line. Flushed after each file.
    let mut stdout = std::io::BufWriter::new(Stdout {
        out: std::io::stdout().lock(),
        progress,
    });
    let stdout_options = RenderOptions {
        color: color && args.format == Format::Human,
        ..render_options
    };
    let mut outputs = vec![Output::new(args.format, stdout_options, &mut stdout)];
    for (format, file) in &mut files {
        outputs.push(Output::new(*format, render_options, file));
    }
    let outcome = batch.write(&mut outputs);
    let mut results = outputs.iter_mut().map(Output::result);
    output_result(results.next().unwrap_or(Ok(())))?;
    for (name, result) in shown.iter().zip(results) {
        result.map_err(|e| format!("cannot write {name}: {e}"))?;
    }
    if progress {
        // Erases the bar, if one was drawn after the last output.
        eprint!("\r\x1b[2K");
    }
    // What could not be checked is in the output too; stderr says it again, for a pipeline
    // whose output went to a file. It makes the exit code 2: the rest was checked all the
    // same, but the check is not complete.
    for error in &outcome.unreadable {
        eprintln!("tuple-report: {error}");
    }
    if !outcome.checked_everything() {
        return Ok(ExitCode::from(2));
    }
    Ok(if outcome.worst().is_some_and(|worst| worst >= fail_at) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `--output` files, once each, never one of the files checked: a gate must not overwrite
/// the report it judged.
fn output_files(
    checked: &[&str],
    outputs: &[(Format, std::path::PathBuf)],
) -> Result<Vec<(Format, std::path::PathBuf)>, String> {
    if outputs.is_empty() {
        return Ok(Vec::new());
    }
    let identity = |path: &std::path::Path| std::fs::canonicalize(path).ok();
    let checked: std::collections::BTreeSet<std::path::PathBuf> = checked
        .iter()
        .filter_map(|path| identity(std::path::Path::new(path)))
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    for (_, path) in outputs {
        let shown = tuple_report::escape(&path.to_string_lossy());
        if identity(path).is_some_and(|id| checked.contains(&id)) {
            return Err(format!(
                "--output {shown} is one of the files checked: tuple-report never writes its inputs"
            ));
        }
        if !seen.insert(identity(path).unwrap_or_else(|| path.clone())) {
            return Err(format!("--output names {shown} twice"));
        }
    }
    Ok(outputs.to_vec())
}

/// Standard output, which erases the progress bar on stderr before each piece of output is
/// written over it (a bar drawn for the next large report while the previous file's findings
/// are on the screen is erased in turn).
struct Stdout<'a> {
    out: std::io::StdoutLock<'a>,
    /// A progress bar may be on the terminal's last line.
    progress: bool,
}

impl Write for Stdout<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if self.progress {
            eprint!("\r\x1b[2K");
        }
        self.out.write(bytes)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// `tuple-report generate`: writes the pair, then says what was planted where.
#[cfg(feature = "generate")]
fn generate(args: cli::GenerateArgs) -> Result<ExitCode, String> {
    use tuple_report::generate::{write_usage_report, write_user_report, GeneratedFile, Spec};
    let spec = Spec {
        members: args.members,
        calls: args.calls,
        seed: args.seed,
        defects: args.defect,
    };
    std::fs::create_dir_all(&args.out)
        .map_err(|e| format!("cannot create {}: {e}", args.out.display()))?;
    let write = |name: &str,
                 usage: bool|
     -> Result<(String, Vec<tuple_report::generate::Planted>), String> {
        let path = args.out.join(name);
        let shown = path.display().to_string();
        let file =
            std::fs::File::create(&path).map_err(|e| format!("cannot write {shown}: {e}"))?;
        let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
        let planted = if usage {
            write_usage_report(&spec, &mut out)
        } else {
            write_user_report(&spec, &mut out)
        }
        .and_then(|planted| out.flush().map(|()| planted))
        .map_err(|e| format!("cannot write {shown}: {e}"))?;
        Ok((shown, planted))
    };
    let (usage, mut planted) = write("usage.json", true)?;
    let (users, user_planted) = write("users.csv", false)?;
    planted.extend(user_planted);
    let mut text = format!("wrote {usage} and {users}\n");
    for p in planted {
        let file = match p.file {
            GeneratedFile::UsageReport => &usage,
            GeneratedFile::UserReport => &users,
        };
        text.push_str(&format!("planted {} at {file}:{}\n", p.rule, p.line));
    }
    write_stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// The configuration file: `--config`, or else `tuple-report.toml` found from the current
/// directory up (unless `--no-config`).
fn configuration(args: &cli::CheckArgs) -> Result<Config, String> {
    let path = match &args.config {
        Some(path) => Some(path.clone()),
        None if args.no_config => None,
        None => config::find_from_current_dir(),
    };
    path.map_or_else(|| Ok(Config::default()), |path| config::load(&path))
}

/// A progress bar on stderr for long checks: only on a terminal, never in CI (where the
/// `CI` variable is set) and only for human output, whose reader is watching.
fn progress_wanted(format: Format) -> bool {
    format == Format::Human && std::io::stderr().is_terminal() && std::env::var_os("CI").is_none()
}

/// Draws the progress bar, at most ten times a second.
fn draw_progress() -> impl Fn(&str, u64, u64) + Send + Sync + 'static {
    let last = std::sync::Mutex::new(std::time::Instant::now());
    move |path: &str, done: u64, total: u64| {
        let mut last = last
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if last.elapsed() < std::time::Duration::from_millis(100) {
            return;
        }
        *last = std::time::Instant::now();
        let share = (done as f64 / total.max(1) as f64).min(1.0);
        let filled = (share * 30.0).round() as usize;
        let bar = "#".repeat(filled) + &"-".repeat(30 - filled);
        // Redrawn in place (\r, erase line) and erased at the end, so it never mixes with
        // the findings on stdout; the path is escaped like every text shown.
        eprint!(
            "\r\x1b[2K[{bar}] {:>3.0}%  {} of {} MB  {}",
            share * 100.0,
            done / 1_000_000,
            total / 1_000_000,
            tuple_report::escape(path)
        );
    }
}

/// Writes to stdout; a closed pipe (`| head`) ends the output quietly.
fn write_stdout(text: &str) -> Result<(), String> {
    let mut stdout = std::io::stdout().lock();
    output_result(
        stdout
            .write_all(text.as_bytes())
            .and_then(|()| stdout.flush()),
    )
}

/// A closed pipe (`| head`) is not an error: the reader has what it wanted.
fn output_result(written: std::io::Result<()>) -> Result<(), String> {
    match written {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(format!("cannot write output: {error}"))
        }
        _ => Ok(()),
    }
}
