//! The `tuple-report` command: parses the command line, runs the library, prints, and exits
//! with 0 (nothing at the failing severity), 1 (something is) or 2 (a file could not be read,
//! or the command line is wrong).

mod cli;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, ColorChoice, Command, FailOn};
use tuple_report::check::{check_paths, Options};
use tuple_report::render::{renderer, Format, RenderOptions};
use tuple_report::{schema, Rule, Severity};

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
        Command::Check(args) => {
            // Only human output leaves findings out; JSON lists them all.
            let max_per_rule = (args.format == Format::Human && args.max_per_rule > 0)
                .then_some(args.max_per_rule);
            let options = Options {
                as_of: args.as_of,
                max_per_rule,
                ..Options::default()
            };
            let outcome = check_paths(&args.files, &options).map_err(|e| e.to_string())?;
            let color = match args.color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => {
                    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                        && std::io::stdout().is_terminal()
                }
            };
            let text = renderer(
                args.format,
                RenderOptions {
                    color: color && args.format == Format::Human,
                },
            )
            .render(&outcome);
            write_stdout(&text)?;
            let fail_at = match args.fail_on {
                FailOn::Error => Severity::Error,
                FailOn::Warning => Severity::Warning,
            };
            Ok(if outcome.worst().is_some_and(|worst| worst >= fail_at) {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Rules { rule } => {
            let text = match rule {
                None => cli::rule_list(),
                Some(id) => match Rule::from_id(&id) {
                    Some(rule) => cli::rule_page(rule),
                    None => return Err(cli::unknown_rule(&id)),
                },
            };
            write_stdout(&text)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Schema => {
            write_stdout(schema::SOURCE)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Writes to stdout; a closed pipe (`| head`) ends the output quietly.
fn write_stdout(text: &str) -> Result<(), String> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(format!("cannot write output: {error}"))
        }
        _ => Ok(()),
    }
}
