//! Which usage report goes with which user report.
//!
//! A usage report (JSON) and a user report (CSV) downloaded together tell the same story and
//! are cross-checked. Given exactly one of each, they pair wherever they are. Otherwise files
//! pair within a directory: its only JSON with its only CSV, or, where a directory holds
//! several of each, by name (`acme-usage.json` with `acme-users.csv`: the same stem once the
//! words `usage`, `users`, `user` and `report` are set aside). Explicit pairs come first.

use std::collections::BTreeMap;
use std::path::Path;

use crate::read::FileKind;

/// The pairs among `files` (each a path and its kind), as indexes (usage report, user report);
/// `explicit` pairs (by path, in either order) are taken first.
pub fn pair(files: &[(&str, FileKind)], explicit: &[(String, String)]) -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    let mut taken = vec![false; files.len()];
    let find = |path: &str| files.iter().position(|(p, _)| *p == path);
    for (one, other) in explicit {
        let (Some(i), Some(j)) = (find(one), find(other)) else {
            continue;
        };
        let (u, r) = match (files[i].1, files[j].1) {
            (FileKind::UsageReport, FileKind::UserReport) => (i, j),
            (FileKind::UserReport, FileKind::UsageReport) => (j, i),
            _ => continue,
        };
        if !taken[u] && !taken[r] {
            taken[u] = true;
            taken[r] = true;
            pairs.push((u, r));
        }
    }
    // The one-of-each rules count every file, not what the explicit pairs left over.
    let all = |kind: FileKind| -> Vec<usize> {
        (0..files.len()).filter(|&i| files[i].1 == kind).collect()
    };
    if let ([u], [r]) = (
        all(FileKind::UsageReport).as_slice(),
        all(FileKind::UserReport).as_slice(),
    ) {
        if !taken[*u] && !taken[*r] {
            pairs.push((*u, *r));
        }
        return pairs;
    }
    let mut by_directory: BTreeMap<&str, (Vec<usize>, Vec<usize>)> = BTreeMap::new();
    for (i, (path, kind)) in files.iter().enumerate() {
        let directory = Path::new(path)
            .parent()
            .and_then(Path::to_str)
            .unwrap_or("");
        let entry = by_directory.entry(directory).or_default();
        match kind {
            FileKind::UsageReport => entry.0.push(i),
            FileKind::UserReport => entry.1.push(i),
        }
    }
    for (usage, users) in by_directory.values() {
        if let ([u], [r]) = (usage.as_slice(), users.as_slice()) {
            if !taken[*u] && !taken[*r] {
                pairs.push((*u, *r));
            }
            continue;
        }
        // Several of each: by name, where the name says so without doubt.
        let free = |list: &[usize]| -> Vec<usize> {
            list.iter().copied().filter(|&i| !taken[i]).collect()
        };
        let (usage, users) = (free(usage), free(users));
        for &u in &usage {
            let key = name_key(files[u].0);
            let partners: Vec<usize> = users
                .iter()
                .copied()
                .filter(|&r| name_key(files[r].0) == key)
                .collect();
            let rivals = usage
                .iter()
                .filter(|&&other| name_key(files[other].0) == key)
                .count();
            if let ([r], 1) = (partners.as_slice(), rivals) {
                pairs.push((u, *r));
            }
        }
    }
    pairs.sort_unstable();
    pairs
}

/// A file's name without its extension and the words that only say which report it is.
fn name_key(path: &str) -> String {
    let stem = Path::new(path)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("")
        .to_lowercase();
    stem.split(|c: char| !c.is_alphanumeric())
        .filter(|word| {
            !word.is_empty() && !matches!(*word, "usage" | "users" | "user" | "report" | "reports")
        })
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;
    use FileKind::{UsageReport as Json, UserReport as Csv};

    fn paths(pairs: &[(usize, usize)], files: &[(&str, FileKind)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|&(u, r)| (files[u].0.to_owned(), files[r].0.to_owned()))
            .collect()
    }

    #[test]
    fn one_of_each_pairs_wherever_they_are() {
        let files = [("a/x.json", Json), ("b/y.csv", Csv)];
        assert_eq!(pair(&files, &[]), [(0, 1)]);
    }

    #[test]
    fn directories_pair_their_only_files_then_by_name() {
        let files = [
            ("exports/acme-usage.json", Json),
            ("exports/beta_usage_report.json", Json),
            ("exports/ACME-users.csv", Csv),
            ("exports/beta-users.csv", Csv),
            ("exports/gamma-users.csv", Csv),
            ("old/usage.json", Json),
            ("old/users.csv", Csv),
            ("lonely/usage.json", Json),
        ];
        assert_eq!(
            paths(&pair(&files, &[]), &files),
            [
                (
                    "exports/acme-usage.json".to_owned(),
                    "exports/ACME-users.csv".to_owned()
                ),
                (
                    "exports/beta_usage_report.json".to_owned(),
                    "exports/beta-users.csv".to_owned()
                ),
                ("old/usage.json".to_owned(), "old/users.csv".to_owned()),
            ]
        );
    }

    #[test]
    fn explicit_pairs_come_first_and_ambiguous_names_stay_alone() {
        let files = [
            ("d/a.json", Json),
            ("d/b.json", Json),
            ("d/a.csv", Csv),
            ("d/b.csv", Csv),
        ];
        let explicit = [("d/a.json".to_owned(), "d/b.csv".to_owned())];
        assert_eq!(pair(&files, &explicit), [(0, 3)]);
        // The user report first: the same pair.
        let explicit = [("d/b.csv".to_owned(), "d/a.json".to_owned())];
        assert_eq!(pair(&files, &explicit), [(0, 3)]);
        // Two usage reports whose names reduce alike: neither is paired by name.
        let files = [
            ("d/usage.json", Json),
            ("d/report.json", Json),
            ("d/users.csv", Csv),
        ];
        assert_eq!(pair(&files, &[]), []);
    }
}
