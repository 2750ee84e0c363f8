//! The baseline of the benchmark: read a file and parse it with serde_json, keeping nothing.
//! tuple-report's target is at most 2.5 times this on the same file (`bench/compare.sh`).
//!
//! `cargo run --release --example bare_parse -- FILE`

use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: bare_parse FILE");
        return ExitCode::from(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(error) => {
            eprintln!("bare_parse: cannot read {path}: {error}");
            return ExitCode::from(2);
        }
    };
    match serde_json::from_slice::<serde::de::IgnoredAny>(&bytes) {
        Ok(_) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("bare_parse: {path}: {error}");
            ExitCode::from(1)
        }
    }
}
