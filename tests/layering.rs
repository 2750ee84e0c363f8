//! The top-level modules of `src/` import one another without a cycle, so that the folder
//! layout reads as the flow (read → parse → rules → diagnostics → render) and a newcomer can
//! start at any module and find everything it needs below it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The top-level modules, each with the modules its code names as `crate::NAME` (comments
/// left out: a doc link is no import).
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let modules: BTreeSet<String> = std::fs::read_dir("src")
        .expect("src/")
        .map(|entry| entry.expect("entry").path())
        .filter_map(|path| {
            let name = path.file_stem()?.to_str()?.to_owned();
            let module = path.is_dir() || path.extension().is_some_and(|e| e == "rs");
            (module && !matches!(name.as_str(), "lib" | "main" | "cli")).then_some(name)
        })
        .collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for entry in walkdir::WalkDir::new("src") {
        let entry = entry.expect("walkable");
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let relative = path.strip_prefix("src").expect("under src");
        let first = relative.components().next().expect("a component");
        let top = Path::new(first.as_os_str())
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_owned();
        if !modules.contains(&top) {
            continue;
        }
        let text = std::fs::read_to_string(path).expect("readable");
        let targets = graph.entry(top.clone()).or_default();
        for line in text.lines() {
            let code = line.split("//").next().unwrap_or_default();
            for (at, _) in code.match_indices("crate::") {
                let name: String = code[at + "crate::".len()..]
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                    .collect();
                if modules.contains(&name) && name != top {
                    targets.insert(name);
                }
            }
        }
    }
    graph
}

/// A cycle in `graph`, as the modules on it, if there is one.
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|n| n == node) {
            let mut found = path[start..].to_vec();
            found.push(node.to_owned());
            return Some(found);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(found) = visit(next, graph, path, done) {
                return Some(found);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let graph = imports();
    assert!(graph.len() > 10, "src/ has its modules: {graph:?}");
    if let Some(found) = cycle(&graph) {
        panic!(
            "an import cycle between top-level modules: {}",
            found.join(" -> ")
        );
    }
}

/// The cycle finder finds a cycle, so that the test above can fail.
#[test]
fn the_cycle_finder_finds_one() {
    let graph: BTreeMap<String, BTreeSet<String>> = [
        ("read", vec!["text"]),
        ("parse", vec!["read", "rules"]),
        ("rules", vec!["diagnostic"]),
        ("diagnostic", vec!["parse"]),
    ]
    .into_iter()
    .map(|(a, b)| (a.to_owned(), b.into_iter().map(str::to_owned).collect()))
    .collect();
    let found = cycle(&graph).expect("a cycle");
    assert_eq!(found, ["diagnostic", "parse", "rules", "diagnostic"]);
    let mut acyclic = graph.clone();
    acyclic.insert("diagnostic".to_owned(), BTreeSet::new());
    assert_eq!(cycle(&acyclic), None);
}
