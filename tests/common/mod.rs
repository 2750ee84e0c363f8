//! What the integration tests share.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use tuple_report::check::{check_paths, Options, Outcome};

/// The clock every fixture is checked at, so that snapshots never depend on the day.
pub const NOW: &str = "2026-11-23T12:00:00Z";

pub fn options() -> Options {
    Options {
        as_of: None,
        now: NOW.parse::<DateTime<Utc>>().expect("NOW is RFC 3339"),
    }
}

pub fn check(path: &str) -> Outcome {
    check_paths(&[path.to_owned()], &options()).expect("fixture is readable")
}

/// Every fixture, as a path relative to the crate (the form the tool is given).
pub fn fixtures() -> Vec<String> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir("tests/fixtures")
        .expect("tests/fixtures exists")
        .map(|entry| entry.expect("readable entry").path())
        .filter(|path| path.is_file())
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .collect()
}

/// The rule a fixture is named after: `last-call-stale--null.json` → `last-call-stale`.
pub fn rule_of(path: &str) -> String {
    let stem = Path::new(path)
        .file_stem()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    stem.split("--").next().unwrap().to_owned()
}

/// Runs `body` with insta writing to the top-level `snapshots/` folder.
pub fn with_snapshots(body: impl FnOnce()) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(body);
}
