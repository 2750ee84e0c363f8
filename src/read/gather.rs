//! From the paths a user gives to the files a check reads.
//!
//! A gate must check what it was given, once, and say what it left out. So:
//! - a file named twice, by any spelling (`./a.json`, an absolute path, through its folder,
//!   a symbolic link), is one file, checked once, under its shortest spelling;
//! - standard input (`-`) is read once, however often it is named;
//! - a walk says what it leaves out ([`Skipped`]): hidden folders, symbolic links (unless
//!   followed), what `--exclude` names, and files that are not `.json` or `.csv`;
//! - a path that cannot be read, and a folder that holds no report, is a [`ReadError`] that
//!   every output shows and that makes the exit code 2;
//! - the result is in path order, whatever the order of the arguments.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{io_reason, FileKind, Input, ReadError};

/// How to gather.
#[derive(Clone, Debug, Default)]
pub struct GatherOptions {
    /// What standard input holds (`--stdin-kind`); when `None`, its name's extension says,
    /// or else its content.
    pub stdin_kind: Option<FileKind>,
    /// The name standard input goes by in findings (`--stdin-name`); `-` when `None`.
    pub stdin_name: Option<String>,
    /// Follow symbolic links while walking a folder (`--follow`).
    pub follow_links: bool,
    /// Shell-style patterns (`--exclude`): a walked file or folder whose name, or whose path
    /// below the folder walked, matches one is left out (and said to be).
    pub exclude: Vec<String>,
    /// A folder with no report in it is no error (`--allow-empty`).
    pub allow_empty: bool,
}

/// Why a walk left a path out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SkipReason {
    /// A folder whose name starts with `.` (`.git`, `.cache`).
    HiddenFolder,
    /// A symbolic link, not followed without `--follow`.
    SymbolicLink,
    /// With `--follow`, a link back to a folder the walk is already in.
    LinkLoop,
    /// Named by `--exclude`.
    Excluded,
    /// A file that is neither `.json` nor `.csv`.
    NotAReport,
    /// A JSON document tuple-report wrote (`--format json`), left in the folder it checked.
    OwnOutput,
}

impl SkipReason {
    /// What a reader is told, for one or for several.
    pub fn words(self, count: usize) -> &'static str {
        let one = count == 1;
        match self {
            SkipReason::HiddenFolder if one => "hidden folder",
            SkipReason::HiddenFolder => "hidden folders",
            SkipReason::SymbolicLink if one => "symbolic link (--follow follows links)",
            SkipReason::SymbolicLink => "symbolic links (--follow follows links)",
            SkipReason::LinkLoop if one => "link back into a folder already walked",
            SkipReason::LinkLoop => "links back into folders already walked",
            SkipReason::Excluded if one => "path excluded by --exclude",
            SkipReason::Excluded => "paths excluded by --exclude",
            SkipReason::NotAReport if one => "file that is not .json or .csv",
            SkipReason::NotAReport => "files that are not .json or .csv",
            SkipReason::OwnOutput if one => "JSON output of tuple-report, not a report",
            SkipReason::OwnOutput => "JSON outputs of tuple-report, not reports",
        }
    }
}

/// A path a walk left out, and why.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Skipped {
    pub path: String,
    pub reason: SkipReason,
}

/// What a file is, whatever its spelling: standard input, or the file's canonical path.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Identity {
    Stdin,
    File(PathBuf),
}

impl Identity {
    /// The identity of a path that exists (its canonical form), or of one that cannot be
    /// resolved (its spelling: it is reported as unreadable anyway).
    fn of(path: &str) -> Identity {
        if path == "-" {
            return Identity::Stdin;
        }
        Identity::File(std::fs::canonicalize(path).unwrap_or_else(|_| PathBuf::from(path)))
    }
}

/// Everything the paths name: the inputs read, what could not be read, and what walks left
/// out, each in path order.
#[derive(Default)]
pub struct Gathered {
    /// The files found, in path order, not read yet (but standard input).
    pub files: Vec<Pending>,
    pub unreadable: Vec<ReadError>,
    pub skipped: Vec<Skipped>,
    /// Each file's identity, with the path it is shown under: how `--pair` finds it.
    shown: BTreeMap<Identity, String>,
}

impl Gathered {
    /// `--pair` options as (usage report, user report), by the paths the files were gathered
    /// under: either order, any spelling; a path that is not among those gathered, two of a
    /// kind, or a file in two pairs is an error.
    pub fn pairs(&self, given: &[(String, String)]) -> Result<Vec<(String, String)>, String> {
        let mut pairs = Vec::new();
        let mut taken = std::collections::BTreeSet::new();
        for (one, other) in given {
            let (one, other) = (self.find(one)?, self.find(other)?);
            let (usage, users) = match (self.kind_of(one), self.kind_of(other)) {
                (Some(FileKind::UsageReport), Some(FileKind::UserReport)) => (one, other),
                (Some(FileKind::UserReport), Some(FileKind::UsageReport)) => (other, one),
                _ => {
                    return Err(format!(
                        "--pair {}={}: a pair is one usage report (JSON) and one user report (CSV)",
                        crate::text::escape(one),
                        crate::text::escape(other)
                    ))
                }
            };
            for path in [usage, users] {
                if !taken.insert(path) {
                    return Err(format!(
                        "--pair names {} twice: a file has one partner",
                        crate::text::escape(path)
                    ));
                }
            }
            pairs.push((usage.to_owned(), users.to_owned()));
        }
        Ok(pairs)
    }

    /// The path under which the file `given` (as `--pair` spells it) was gathered.
    fn find(&self, given: &str) -> Result<&str, String> {
        let shown = crate::text::escape(given);
        if given != "-" {
            std::fs::metadata(given)
                .map_err(|e| format!("--pair names {shown}: {}", io_reason(&e)))?;
        }
        self.shown
            .get(&Identity::of(given))
            .map(String::as_str)
            .ok_or_else(|| {
                format!("--pair names {shown}, which is not among the paths to check: give it (or its folder) too")
            })
    }

    /// The kind of the file gathered under `path`.
    fn kind_of(&self, path: &str) -> Option<FileKind> {
        match self.files.iter().find(|file| file.path() == path) {
            Some(file) => file.kind(),
            None => FileKind::from_extension(path),
        }
    }
}

/// A file to check: already in memory (standard input, or bytes a library user gave), or a
/// path read when its unit's turn comes, or a path that could not be read at all.
pub enum Pending {
    Input(Input),
    Path(String),
    Unreadable(ReadError),
}

impl Pending {
    pub fn path(&self) -> &str {
        match self {
            Pending::Input(input) => &input.path,
            Pending::Path(path) => path,
            Pending::Unreadable(error) => &error.path,
        }
    }

    /// What the file is, for pairing: told by the caller, the extension or else the first
    /// bytes (read here for a path without a known extension); a path that could not be read
    /// pairs by its extension, so that its partner can say why it was not cross-checked.
    pub fn kind(&self) -> Option<FileKind> {
        match self {
            Pending::Input(input) => Some(input.kind()),
            Pending::Path(path) => Some(
                FileKind::from_extension(path).unwrap_or_else(|| FileKind::of(path, &head(path))),
            ),
            Pending::Unreadable(error) => FileKind::from_extension(&error.path),
        }
    }

    /// Reads the file, if it still has to be, into `buffer` if it can.
    pub fn read(self, buffer: Vec<u8>) -> Result<Input, ReadError> {
        match self {
            Pending::Input(input) => Ok(input),
            Pending::Path(path) => crate::read::read(&path, buffer),
            Pending::Unreadable(error) => Err(error),
        }
    }
}

/// The first bytes of a file, enough to tell JSON from CSV; none if it cannot be read (the
/// read proper then says why).
fn head(path: &str) -> Vec<u8> {
    head_of(Path::new(path), 4096)
}

/// The first `length` bytes of a file, or fewer (none when it cannot be read).
fn head_of(path: &Path, length: u64) -> Vec<u8> {
    use std::io::Read;
    let mut head = Vec::new();
    if let Ok(file) = std::fs::File::open(path) {
        let _ = file.take(length).read_to_end(&mut head);
    }
    head
}

/// Enough of a file to tell tuple-report's JSON output by.
const OWN_OUTPUT_HEAD: u64 = 256;

/// Whether a JSON file starts as `--format json` writes its document, `{"version": N, "tool":
/// {"name": "tuple-report", …`: a pipeline that writes its output into the folder it checks
/// would otherwise have the next run check that output as a usage report, and fail it. No
/// usage report starts so (its members are `team_members` and `calls`).
fn is_own_output(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let compact: Vec<u8> = head
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    let Some(rest) = compact.strip_prefix(b"{\"version\":") else {
        return false;
    };
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    digits > 0 && rest[digits..].starts_with(b",\"tool\":{\"name\":\"tuple-report\"")
}

/// A file found, before it is read.
struct Candidate {
    shown: String,
    identity: Identity,
}

/// Reads what `paths` name. An invalid `--exclude` pattern is the error.
pub fn gather(paths: &[String], options: &GatherOptions) -> Result<Gathered, String> {
    let exclude = exclude_set(&options.exclude)?;
    let mut gathered = Gathered::default();
    let mut candidates = Vec::new();
    for path in paths {
        if path == "-" {
            candidates.push(Candidate {
                shown: options.stdin_name.clone().unwrap_or_else(|| "-".to_owned()),
                identity: Identity::Stdin,
            });
            continue;
        }
        match std::fs::metadata(path) {
            Err(error) => gathered.unreadable.push(ReadError {
                path: path.clone(),
                reason: io_reason(&error),
            }),
            Ok(metadata) if metadata.is_dir() => {
                let found = walk(path, options, &exclude, &mut candidates, &mut gathered);
                if found == 0 && !options.allow_empty {
                    gathered.unreadable.push(ReadError {
                        path: path.clone(),
                        reason: "no report in it: no .json or .csv file was found (--allow-empty allows this)".to_owned(),
                    });
                }
            }
            Ok(_) => candidates.push(Candidate {
                shown: path.clone(),
                identity: Identity::of(path),
            }),
        }
    }
    // One file, one check: of the spellings of a file, the shortest (then the first in
    // order) is the one shown, so that the same set of paths gives the same output.
    for candidate in candidates {
        gathered
            .shown
            .entry(candidate.identity)
            .and_modify(|shown| {
                if (candidate.shown.len(), &candidate.shown) < (shown.len(), shown) {
                    shown.clone_from(&candidate.shown);
                }
            })
            .or_insert(candidate.shown);
    }
    let mut files: Vec<(&Identity, &String)> = gathered.shown.iter().collect();
    files.sort_by(|a, b| a.1.cmp(b.1));
    for (identity, shown) in files {
        let file = match identity {
            // Standard input is read now, once; a file when its turn comes.
            Identity::Stdin => match read_stdin(shown, options.stdin_kind) {
                Ok(input) => Pending::Input(input),
                Err(error) => Pending::Unreadable(error),
            },
            Identity::File(_) => Pending::Path(shown.clone()),
        };
        gathered.files.push(file);
    }
    gathered.unreadable.sort();
    gathered.unreadable.dedup_by(|a, b| a.path == b.path);
    gathered.skipped.sort();
    gathered.skipped.dedup();
    Ok(gathered)
}

fn read_stdin(name: &str, kind: Option<FileKind>) -> Result<Input, ReadError> {
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut bytes).map_err(|e| {
        ReadError {
            path: name.to_owned(),
            reason: io_reason(&e),
        }
    })?;
    let kind = kind.unwrap_or_else(|| FileKind::of(name, &bytes));
    let mut input = Input::new(name, bytes);
    input.kind = Some(kind);
    Ok(input)
}

fn exclude_set(patterns: &[String]) -> Result<globset::GlobSet, String> {
    let mut set = globset::GlobSetBuilder::new();
    for pattern in patterns {
        let glob = globset::Glob::new(pattern.trim_end_matches('/'))
            .map_err(|e| format!("--exclude {}: {}", crate::text::escape(pattern), e.kind()))?;
        set.add(glob);
    }
    set.build().map_err(|e| format!("--exclude: {e}"))
}

/// Walks the folder `root` for `.json` and `.csv` files, in name order; returns how many it
/// found.
fn walk(
    root: &str,
    options: &GatherOptions,
    exclude: &globset::GlobSet,
    candidates: &mut Vec<Candidate>,
    gathered: &mut Gathered,
) -> usize {
    let mut left_out = Vec::new();
    let mut keep = |entry: &walkdir::DirEntry| {
        if entry.depth() == 0 {
            return true;
        }
        let below_root = entry.path().strip_prefix(root).unwrap_or(entry.path());
        let reason = if entry.path_is_symlink() && !options.follow_links {
            Some(SkipReason::SymbolicLink)
        } else if exclude.is_match(entry.file_name()) || exclude.is_match(below_root) {
            Some(SkipReason::Excluded)
        } else if entry.file_type().is_dir() && entry.file_name().to_string_lossy().starts_with('.')
        {
            Some(SkipReason::HiddenFolder)
        } else {
            None
        };
        if let Some(reason) = reason {
            left_out.push(Skipped {
                path: shown(entry.path()),
                reason,
            });
        }
        reason.is_none()
    };
    let entries = walkdir::WalkDir::new(root)
        .follow_links(options.follow_links)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(&mut keep);
    // Without --follow, no walked path passes through a link (links are left out), so a
    // file's canonical path is the root's and the names below it: one canonicalisation a
    // walk rather than one a file (a dozen system calls each; 3,264 files took 40 ms of the
    // start of a check, before any file was read).
    let canonical_root = (!options.follow_links)
        .then(|| std::fs::canonicalize(root).ok())
        .flatten();
    let identity_of = |path: &Path, shown: &str| match &canonical_root {
        Some(canonical) => match path.strip_prefix(root) {
            Ok(below) => Identity::File(canonical.join(below)),
            Err(_) => Identity::of(shown),
        },
        None => Identity::of(shown),
    };
    let mut found = 0;
    let mut not_reports = Vec::new();
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let path = error.path().map_or_else(|| root.to_owned(), shown);
                if error.loop_ancestor().is_some() {
                    not_reports.push(Skipped {
                        path,
                        reason: SkipReason::LinkLoop,
                    });
                    continue;
                }
                let reason = error
                    .io_error()
                    .map_or_else(|| error.to_string(), io_reason);
                gathered.unreadable.push(ReadError { path, reason });
                continue;
            }
        };
        // A FIFO, socket or device with a report's name is no report, but it is not left
        // out in silence either: reading it says why it cannot be checked.
        if entry.file_type().is_dir() {
            continue;
        }
        let path = shown(entry.path());
        // Only a regular file is opened to look: a FIFO would wait for a writer.
        if FileKind::from_extension(&path) == Some(FileKind::UsageReport)
            && entry.file_type().is_file()
            && is_own_output(&head_of(entry.path(), OWN_OUTPUT_HEAD))
        {
            not_reports.push(Skipped {
                path,
                reason: SkipReason::OwnOutput,
            });
        } else if FileKind::from_extension(&path).is_some() {
            found += 1;
            candidates.push(Candidate {
                identity: identity_of(entry.path(), &path),
                shown: path,
            });
        } else {
            not_reports.push(Skipped {
                path,
                reason: SkipReason::NotAReport,
            });
        }
    }
    gathered.skipped.extend(left_out);
    gathered.skipped.extend(not_reports);
    found
}

/// A walked path as shown: relative as found, with `/` separators and no leading `./`.
fn shown(path: &Path) -> String {
    let text = path.to_string_lossy();
    // A backslash separates folders only on Windows; elsewhere it is part of a name.
    let text = if cfg!(windows) {
        text.replace('\\', "/")
    } else {
        text.into_owned()
    };
    text.strip_prefix("./").map(str::to_owned).unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A walked file's identity, made from its folder's, is the one canonicalising it gives:
    /// the same file named on the command line and found in a walk is one file.
    #[test]
    fn a_walked_files_identity_is_its_canonical_path() {
        let options = GatherOptions::default();
        let exclude = exclude_set(&[]).unwrap();
        for root in [
            "tests/walk/exports",
            "./tests/walk/exports/",
            "tests/../tests/walk",
        ] {
            let (mut candidates, mut gathered) = (Vec::new(), Gathered::default());
            let found = walk(root, &options, &exclude, &mut candidates, &mut gathered);
            assert!(found > 3, "{root}");
            for candidate in &candidates {
                assert_eq!(
                    candidate.identity,
                    Identity::of(&candidate.shown),
                    "{}",
                    candidate.shown
                );
            }
        }
    }

    #[test]
    fn tuple_reports_own_json_output_is_told_from_a_report() {
        let output = "{\n  \"version\": 1,\n  \"tool\": {\n    \"name\": \"tuple-report\",\n    \"version\": \"0.1.0\"\n  },\n";
        assert!(is_own_output(output.as_bytes()));
        assert!(is_own_output(
            b"{\"version\":12,\"tool\":{\"name\":\"tuple-report\",\"version\":\"9\"}}"
        ));
        for other in [
            "{\"team_members\": [], \"calls\": []}",
            "{\"version\": 1, \"tool\": {\"name\": \"something-else\"}}",
            "{\"version\": \"1\", \"tool\": {\"name\": \"tuple-report\"}}",
            "{\"version\": , \"tool\": {\"name\": \"tuple-report\"}}",
            "[1, 2]",
            "",
        ] {
            assert!(!is_own_output(other.as_bytes()), "{other}");
        }
    }
}
