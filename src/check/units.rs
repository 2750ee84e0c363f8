//! Many files at once: the files are paired first, by their paths and kinds alone; then each
//! pair (or lone file) is a unit that is read, checked and let go of on its own, several units
//! at a time, so that memory follows the largest units in flight rather than the sum of the
//! files, and a directory of many exports keeps every core busy.

use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

use super::{check_all, CrossChecked, FileKind, FileReport, Options, Outcome};
use crate::read::gather::Pending;
use crate::read::Input;

/// Where each file's findings go when its turn comes: called once per file checked, in path
/// order, with the pair the file is in, if any.
pub type Sink<'s> = &'s mut dyn FnMut(&FileReport, Option<&CrossChecked>);

/// Checks `files`, `jobs` units at a time (`0`: one a core), each pair the global pairing
/// finds (`explicit` pairs first) with its two files together. The outcome is the same,
/// byte for byte, for any number of jobs.
///
/// With a `sink`, each file is handed to it in path order as soon as the units before it are
/// done, and its findings are then let go of (the outcome keeps their counts); at most a few
/// units a job are checked ahead of the one whose turn it is, so memory follows the units in
/// flight, not the number of files. Without one, the outcome keeps every finding.
pub fn check_files(
    mut files: Vec<Pending>,
    explicit: &[(String, String)],
    options: &Options,
    jobs: usize,
    mut sink: Option<Sink<'_>>,
) -> Outcome {
    // Path order, whatever the order the paths were given in: the same files give the same
    // output.
    files.sort_by(|a, b| a.path().cmp(b.path()));
    let paths: Vec<String> = files.iter().map(|f| f.path().to_owned()).collect();
    let kinds: Vec<Option<FileKind>> = files.iter().map(Pending::kind).collect();
    let named: Vec<usize> = (0..files.len()).filter(|&i| kinds[i].is_some()).collect();
    let by_kind: Vec<(&str, FileKind)> = named
        .iter()
        .filter_map(|&i| Some((paths[i].as_str(), kinds[i]?)))
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
    // Units in the order of their first file, so that the file whose turn it is always
    // belongs to a unit started, or the next to start.
    units.sort_by_key(|unit| unit.iter().copied().min());
    let mut unit_of = vec![0; files.len()];
    for (index, unit) in units.iter().enumerate() {
        for &file in unit {
            unit_of[file] = index;
        }
    }
    let mut slots: Vec<Option<Pending>> = files.into_iter().map(Some).collect();
    let pending: Vec<Mutex<Vec<Pending>>> = units
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
    let ahead = Ahead {
        always: 2 * jobs,
        at_most: 64 * jobs,
    };
    let shared = Shared {
        state: Mutex::new(State {
            next: 0,
            turns_begun: 0,
            held: 0,
            done: units.iter().map(|_| None).collect(),
            failed: false,
        }),
        changed: Condvar::new(),
    };
    let work = || {
        let _failing = FailGuard(&shared);
        // Each file is read into the memory of one before it (the largest buffer for the
        // unit's first file, its usage report), rather than into memory of its own that the
        // allocator would keep a while after it is done.
        let mut buffers: Vec<Vec<u8>> = Vec::new();
        loop {
            let index = {
                let mut state = shared.lock();
                while state.next < pending.len() && !ahead.may_start(&state) {
                    state = shared.wait(state);
                }
                if state.next >= pending.len() {
                    return;
                }
                state.next += 1;
                state.next - 1
            };
            let unit = std::mem::take(
                &mut *pending[index]
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner),
            );
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
            // The bytes go now; only the findings wait for their turn.
            buffers.extend(inputs.into_iter().filter_map(Input::into_buffer));
            buffers.sort_by_key(Vec::capacity);
            let mut state = shared.lock();
            state.held += outcome
                .files
                .iter()
                .map(|f| f.diagnostics.len())
                .sum::<usize>();
            state.done[index] = Some(outcome);
            drop(state);
            shared.changed.notify_all();
        }
    };
    let mut outcome = Outcome {
        levels: options.levels.clone(),
        redacted: options.redact,
        ..Outcome::default()
    };
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(work);
        }
        // This thread writes: each file in path order, once its unit is done.
        for (file, path) in paths.iter().enumerate() {
            let index = unit_of[file];
            let mut state = shared.lock();
            while state.done[index].is_none() && !state.failed {
                state = shared.wait(state);
            }
            let Some(unit) = state.done[index].as_mut() else {
                // A job failed: the scope passes its panic on.
                return;
            };
            let report = unit
                .files
                .iter()
                .position(|f| f.path == *path)
                .map(|at| unit.files.swap_remove(at));
            let pair = unit
                .pairs
                .iter()
                .find(|p| p.usage_report == *path || p.user_report == *path)
                .cloned();
            let last_of_unit = units[index].iter().max() == Some(&file);
            let finished = last_of_unit.then(|| state.done[index].take()).flatten();
            state.held -= report.as_ref().map_or(0, |r| r.diagnostics.len());
            if units[index].iter().min() == Some(&file) {
                state.turns_begun += 1;
                shared.changed.notify_all();
            }
            drop(state);
            if let Some(mut report) = report {
                if let Some(sink) = sink.as_mut() {
                    sink(&report, pair.as_ref());
                    report.let_go_of_findings();
                }
                outcome.files.push(report);
            }
            if let Some(unit) = finished {
                outcome.pairs.extend(unit.pairs);
                outcome.unreadable.extend(unit.unreadable);
            }
        }
    });
    outcome
        .pairs
        .sort_by(|a, b| (&a.usage_report, &a.user_report).cmp(&(&b.usage_report, &b.user_report)));
    outcome.unreadable.sort();
    outcome
}

/// How far the checks may run ahead of the file whose turn it is, in units counted from the
/// unit whose first file's turn last began: `always` keeps every job busy at the head (and
/// the unit whose turn it is can always start, so the writer never waits on a unit that may
/// not start); beyond that, up to `at_most`, while the findings held are few. A large unit
/// takes as long as hundreds of small ones: the jobs beside it go on checking small units
/// (measured on the fleet benchmark: 2 units a job ahead, 1.16 s; 32 or more, 1.06 s), while a
/// folder with a finding in every call holds a bounded number of findings.
struct Ahead {
    always: usize,
    at_most: usize,
}

/// Findings held for later turns past which no unit starts beyond [`Ahead::always`].
const HELD_FINDINGS: usize = 20_000;

impl Ahead {
    fn may_start(&self, state: &State) -> bool {
        let ahead = state.next.saturating_sub(state.turns_begun);
        ahead < self.always || (ahead < self.at_most && state.held < HELD_FINDINGS)
    }
}

/// What the jobs and the writing thread share.
struct Shared {
    state: Mutex<State>,
    changed: Condvar,
}

struct State {
    /// The next unit to check.
    next: usize,
    /// How many units have had their first file's turn: a unit may start only so far ahead.
    turns_begun: usize,
    /// The findings of the units done whose files' turns have not come.
    held: usize,
    /// The outcome of each unit checked and not yet written.
    done: Vec<Option<Outcome>>,
    /// A job panicked: the writing thread stops waiting.
    failed: bool,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn wait<'a>(&self, state: MutexGuard<'a, State>) -> MutexGuard<'a, State> {
        self.changed
            .wait(state)
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// Tells the writing thread when a job panics, rather than leave it waiting for a unit that
/// will never be done.
struct FailGuard<'a>(&'a Shared);

impl Drop for FailGuard<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.lock().failed = true;
            self.0.changed.notify_all();
        }
    }
}
