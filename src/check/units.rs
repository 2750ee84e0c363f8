//! Many files at once: the files are paired first, by their paths and kinds alone; then each
//! pair (or lone file) is a unit that is read, checked and let go of on its own, several units
//! at a time, so that memory follows the largest units in flight rather than the sum of the
//! files, and a directory of many exports keeps every core busy.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use super::{check_all, FileKind, Options, Outcome};
use crate::read::gather::Pending;
use crate::read::Input;

/// Checks `files`, `jobs` units at a time (`0`: one a core), each pair the global pairing
/// finds (`explicit` pairs first) with its two files together. The outcome is the same,
/// byte for byte, for any number of jobs.
pub fn check_files(
    files: Vec<Pending>,
    explicit: &[(String, String)],
    options: &Options,
    jobs: usize,
) -> Outcome {
    let kinds: Vec<Option<FileKind>> = files.iter().map(Pending::kind).collect();
    let named: Vec<usize> = (0..files.len()).filter(|&i| kinds[i].is_some()).collect();
    let by_kind: Vec<(&str, FileKind)> = named
        .iter()
        .filter_map(|&i| Some((files[i].path(), kinds[i]?)))
        .collect();
    let mut in_pair = vec![false; files.len()];
    let mut units: Vec<Vec<usize>> = Vec::new();
    for (u, r) in crate::pairing::pair(&by_kind, explicit) {
        let (u, r) = (named[u], named[r]);
        in_pair[u] = true;
        in_pair[r] = true;
        units.push(vec![u, r]);
    }
    units.extend((0..files.len()).filter(|&i| !in_pair[i]).map(|i| vec![i]));
    let mut slots: Vec<Option<Pending>> = files.into_iter().map(Some).collect();
    let units: Vec<Mutex<Vec<Pending>>> = units
        .iter()
        .map(|unit| Mutex::new(unit.iter().filter_map(|&i| slots[i].take()).collect()))
        .collect();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let jobs = if jobs == 0 { cores } else { jobs }.clamp(1, units.len().max(1));
    // A unit's usage report is itself checked on several threads; with several units in
    // flight, each gets its share of the cores.
    let options = Options {
        workers: Some((cores / jobs).max(1)),
        ..options.clone()
    };
    let next = AtomicUsize::new(0);
    let done: Vec<Mutex<Option<Outcome>>> = units.iter().map(|_| Mutex::new(None)).collect();
    let work = || {
        // Each file is read into the memory of one before it (the largest buffer for the
        // unit's first file, its usage report), rather than into memory of its own that the
        // allocator would keep a while after it is done.
        let mut buffers: Vec<Vec<u8>> = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(unit) = units.get(index) else {
                return;
            };
            let unit = std::mem::take(&mut *unit.lock().unwrap_or_else(PoisonError::into_inner));
            // A unit of two files is a pair the global pairing found: say so, as it found
            // them by the other files too.
            let explicit: Vec<(String, String)> = match &unit[..] {
                [usage, users] => vec![(usage.path().to_owned(), users.path().to_owned())],
                _ => Vec::new(),
            };
            let (mut inputs, mut unreadable) = (Vec::new(), Vec::new());
            for file in unit {
                match file.read(buffers.pop().unwrap_or_default()) {
                    Ok(input) => inputs.push(input),
                    Err(error) => unreadable.push(error),
                }
            }
            let outcome = check_all(&inputs, &unreadable, &explicit, &options);
            // The bytes go now; only the findings wait for the others.
            buffers.extend(inputs.into_iter().filter_map(Input::into_buffer));
            buffers.sort_by_key(Vec::capacity);
            *done[index].lock().unwrap_or_else(PoisonError::into_inner) = Some(outcome);
        }
    };
    std::thread::scope(|scope| {
        for _ in 1..jobs {
            scope.spawn(work);
        }
        work();
    });
    let mut outcome = Outcome {
        levels: options.levels.clone(),
        redacted: options.redact,
        ..Outcome::default()
    };
    for unit in done {
        let Some(unit) = unit.into_inner().unwrap_or_else(PoisonError::into_inner) else {
            continue;
        };
        outcome.files.extend(unit.files);
        outcome.pairs.extend(unit.pairs);
        outcome.unreadable.extend(unit.unreadable);
    }
    // The same files give the same output, in whatever order they were given.
    outcome.files.sort_by(|a, b| a.path.cmp(&b.path));
    outcome
        .pairs
        .sort_by(|a, b| (&a.usage_report, &a.user_report).cmp(&(&b.usage_report, &b.user_report)));
    outcome.unreadable.sort();
    outcome
}
