//! The layout is the pipeline, and it stays that way: the top-level modules
//! of `src/` import each other without cycles, the writers know nothing of
//! how a round is read or checked, every file says what it owns in a `//!`
//! line, no file grows much past 600 lines, and Polars is built without the
//! streaming engine op1 never runs. (`ARCHITECTURE.md` describes the layout
//! these tests hold.)

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The longest a source file may be.
const MAX_LINES: usize = 650;

fn src() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

/// The top-level module a file belongs to (`src/write/pack/teams.rs` → `write`).
fn module_of(path: &Path) -> Option<String> {
    let rel = path.strip_prefix(src()).unwrap();
    let first = rel.components().next()?.as_os_str().to_str()?;
    let name = first.trim_end_matches(".rs");
    // `main.rs` and `cli.rs` are the binary: the library is everything else.
    (!matches!(name, "lib" | "main" | "cli")).then(|| name.to_string())
}

/// The top-level modules a file names as `crate::module`, outside comments.
fn imports(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.insert(name);
            }
        }
    }
    out
}

/// Top-level module → the top-level modules it imports.
fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for path in rust_files(&src()) {
        let Some(module) = module_of(&path) else {
            continue;
        };
        let text = std::fs::read_to_string(&path).unwrap();
        let deps = graph.entry(module.clone()).or_default();
        deps.extend(imports(&text).into_iter().filter(|d| *d != module));
    }
    graph
}

/// A cycle through `node`, if there is one: the modules along it.
fn cycle_from(
    graph: &BTreeMap<String, BTreeSet<String>>,
    node: &str,
    path: &mut Vec<String>,
) -> Option<Vec<String>> {
    if let Some(at) = path.iter().position(|n| n == node) {
        let mut cycle = path[at..].to_vec();
        cycle.push(node.to_string());
        return Some(cycle);
    }
    path.push(node.to_string());
    for next in graph.get(node).into_iter().flatten() {
        if let Some(cycle) = cycle_from(graph, next, path) {
            return Some(cycle);
        }
    }
    path.pop();
    None
}

#[test]
fn modules_import_each_other_without_cycles() {
    let graph = module_graph();
    assert!(graph.len() > 10, "found only {graph:?}");
    for module in graph.keys() {
        if let Some(cycle) = cycle_from(&graph, module, &mut Vec::new()) {
            panic!("import cycle: {}", cycle.join(" → "));
        }
    }
}

/// The code of `text`: each line up to its `//` comment (doc comments and
/// their examples are not imports).
fn code_of(text: &str) -> String {
    text.lines()
        .map(|line| line.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Splits a `{…}` group's inside at its top-level commas.
fn group_items(inside: &str) -> Vec<&str> {
    let (mut items, mut depth, mut start) = (Vec::new(), 0, 0);
    for (i, c) in inside.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(inside[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(inside[start..].trim());
    items.into_iter().filter(|i| !i.is_empty()).collect()
}

/// The text of the path or `{…}` group that starts `rest`.
fn path_at(rest: &str) -> &str {
    let mut depth = 0;
    for (i, c) in rest.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    return &rest[..=i];
                }
            }
            c if depth == 0 && !(c.is_alphanumeric() || c == '_' || c == ':') => {
                return &rest[..i];
            }
            _ => {}
        }
    }
    rest
}

/// The first segment of every path named right after `prefix` in `code`,
/// a `{a, b::c}` group counting each of its items (`a`, `b`).
fn first_segments(code: &str, prefix: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (at, _) in code.match_indices(prefix) {
        // `super::` inside `super::super::` is another path, not this one.
        let word_starts =
            !code[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == ':');
        if !word_starts {
            continue;
        }
        let path = path_at(&code[at + prefix.len()..]);
        let items = match path.strip_prefix('{') {
            Some(group) => group_items(group.strip_suffix('}').unwrap_or(group)),
            None => vec![path],
        };
        for item in items {
            let first: String = item
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            // `super::super::x` from a folder's file is the folder above.
            if !first.is_empty() && first != "super" {
                out.insert(first);
            }
        }
    }
    out
}

/// The names a `use` path brings in: each leaf's last segment, or its
/// `as` alias (`frame::{floats, strings as s}` → floats, s).
fn leaf_names(path: &str) -> Vec<String> {
    let path = path.trim();
    if let Some(at) = path.find('{') {
        let inside = path[at + 1..].trim_end().trim_end_matches('}');
        return group_items(inside)
            .into_iter()
            .flat_map(leaf_names)
            .collect();
    }
    let name = match path.split_once(" as ") {
        Some((_, alias)) => alias.trim(),
        None => path.rsplit("::").next().unwrap_or(path),
    };
    vec![name.to_string()]
}

/// Names a folder's `mod.rs` brings in from its children with `use`
/// (`pub use frame::{floats, strings};`): name → the child it comes from.
fn reexports(mod_rs: &str, children: &BTreeSet<String>) -> BTreeMap<String, String> {
    let code = code_of(mod_rs);
    let mut out = BTreeMap::new();
    for statement in code.split(';') {
        let statement = statement.trim();
        let Some(at) = statement.find("use ") else {
            continue;
        };
        let before = &statement[..at];
        if !(before.is_empty() || before.ends_with("pub ") || before.ends_with(") ")) {
            continue;
        }
        let path = statement[at + 4..].trim();
        let child = path.split("::").next().unwrap_or("");
        if children.contains(child) && path.contains("::") {
            for name in leaf_names(&path[child.len() + 2..]) {
                if name != "self" {
                    out.insert(name, child.to_string());
                }
            }
        }
    }
    out
}

/// The module graph inside one folder: each child (a file or a subfolder)
/// → the siblings it uses, through `super::` paths (from any depth), the
/// folder's absolute `crate::` path, and names its `mod.rs` re-exports.
fn folder_graph(folder: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let child_of = |path: &Path| -> String {
        let rel = path.strip_prefix(folder).unwrap();
        let first = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_str()
            .unwrap();
        first.trim_end_matches(".rs").to_string()
    };
    let files: Vec<PathBuf> = rust_files(folder)
        .into_iter()
        .filter(|p| p.parent() != Some(folder) || p.file_name().unwrap() != "mod.rs")
        .collect();
    let children: BTreeSet<String> = files.iter().map(|p| child_of(p)).collect();
    let mod_rs = std::fs::read_to_string(folder.join("mod.rs")).unwrap_or_default();
    let reexported = reexports(&mod_rs, &children);
    let absolute = {
        let rel = folder.strip_prefix(src()).unwrap();
        let segments: Vec<&str> = rel.iter().map(|s| s.to_str().unwrap()).collect();
        format!("crate::{}::", segments.join("::"))
    };
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for path in &files {
        let child = child_of(path);
        // How many `super::` lead from this file up to the folder's module.
        let below = path.strip_prefix(folder).unwrap().components().count();
        let is_mod = path.file_name().unwrap() == "mod.rs";
        let ups = if is_mod { below - 1 } else { below };
        let up = "super::".repeat(ups);
        let code = code_of(&std::fs::read_to_string(path).unwrap());
        let named = first_segments(&code, &up)
            .into_iter()
            .chain(first_segments(&code, &absolute));
        let deps = graph.entry(child.clone()).or_default();
        for name in named {
            let sibling = match children.contains(&name) {
                true => Some(name),
                false => reexported.get(&name).cloned(),
            };
            deps.extend(sibling.filter(|s| *s != child));
        }
    }
    graph
}

/// Every folder under `src/` (not `src/` itself: [`module_graph`] covers it).
fn folders(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.push(path.clone());
            out.extend(folders(&path));
        }
    }
    out.sort();
    out
}

#[test]
fn files_inside_each_folder_import_each_other_without_cycles() {
    let (mut checked, mut cycles) = (0, BTreeSet::new());
    for folder in folders(&src()) {
        let graph = folder_graph(&folder);
        checked += graph.values().filter(|deps| !deps.is_empty()).count();
        let rel = folder.strip_prefix(src()).unwrap().display().to_string();
        for child in graph.keys() {
            if let Some(cycle) = cycle_from(&graph, child, &mut Vec::new()) {
                cycles.insert(format!("src/{rel}: {}", cycle.join(" → ")));
            }
        }
    }
    assert!(cycles.is_empty(), "import cycles: {cycles:#?}");
    // The parser finds the imports it is meant to (it once found none).
    assert!(checked > 40, "only {checked} files import a sibling");
}

/// The folder-graph parser on the forms op1's code uses.
#[test]
fn sibling_imports_are_found_through_groups_super_paths_and_reexports() {
    let code = code_of("use super::{axis, canvas::Canvas, Shared};\nlet x = super::style::INK; // super::font\nsuper::super::other::f();");
    let found: Vec<String> = first_segments(&code, "super::").into_iter().collect();
    assert_eq!(found, ["Shared", "axis", "canvas", "style"]);
    let children: BTreeSet<String> = ["frame", "wide"].map(String::from).into();
    let mod_rs = "pub(crate) use frame::{betters, rollups as r};\npub use wide::{\n    source_col,\n    source_row,\n};\nuse polars::prelude::*;";
    let found = reexports(mod_rs, &children);
    assert_eq!(found["betters"], "frame");
    assert_eq!(found["r"], "frame");
    assert_eq!(found["source_row"], "wide");
    assert!(!found.contains_key("prelude"));
}

/// The library knows nothing of clap: the command line is the binary's
/// (`main.rs`, `cli.rs`), which turns it into the plain configs of `run`.
#[test]
fn only_the_binary_knows_the_command_line() {
    for path in rust_files(&src()) {
        if module_of(&path).is_none() {
            continue;
        }
        let code = code_of(&std::fs::read_to_string(&path).unwrap());
        assert!(
            !code.contains("clap"),
            "{} uses clap: only main.rs and cli.rs know the command line",
            path.display()
        );
    }
    let main = std::fs::read_to_string(src().join("main.rs")).unwrap();
    let lines = main.lines().count();
    assert!(
        lines <= 300,
        "main.rs has {lines} lines: it parses, runs one command and prints what it said"
    );
}

#[test]
fn the_writers_know_nothing_of_reading_checking_or_running() {
    let graph = module_graph();
    let write = &graph["write"];
    for stage in ["run", "check", "read", "template", "report"] {
        assert!(!write.contains(stage), "write imports {stage}: {write:?}");
    }
}

#[test]
fn leaves_import_nothing_of_the_pipeline() {
    let graph = module_graph();
    for leaf in [
        "a1",
        "names",
        "text",
        "provenance",
        "output",
        "timing",
        "currency",
        "number",
        "contain",
        "fault",
        "lock",
        "outputs",
        "regular",
    ] {
        let deps = &graph[leaf];
        // Leaves may use each other's plain services: names and text, the
        // panic containment, the ISO codes (for numbers typed with a
        // currency), (for the folder lock) the output errors, the names
        // of the files in an output folder, and reading only regular files.
        let allowed: BTreeSet<&str> = [
            "a1", "names", "text", "contain", "output", "currency", "outputs", "regular",
        ]
        .into_iter()
        .collect();
        let bad: Vec<&String> = deps
            .iter()
            .filter(|d| !allowed.contains(d.as_str()))
            .collect();
        assert!(bad.is_empty(), "{leaf} imports {bad:?}");
    }
}

/// The tests are one binary (`tests/op1/main.rs`, one link of Polars, not
/// one per file): a `.rs` file directly in `tests/` would be a binary of its own.
#[test]
fn the_tests_are_one_binary() {
    let tests = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests");
    let own_binaries: Vec<String> = std::fs::read_dir(&tests)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .map(|p| p.display().to_string())
        .collect();
    assert!(
        own_binaries.is_empty(),
        "put these in tests/op1/ as modules: {own_binaries:?}"
    );
    let main = std::fs::read_to_string(tests.join("op1/main.rs")).unwrap();
    for path in rust_files(&tests.join("op1")) {
        let rel = path.strip_prefix(tests.join("op1")).unwrap();
        let first = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_str()
            .unwrap();
        let module = first.trim_end_matches(".rs");
        assert!(
            module == "main" || main.contains(&format!("mod {module};")),
            "tests/op1/main.rs does not declare {module}: its tests never run"
        );
    }
}

#[test]
fn every_file_says_what_it_owns_and_stays_small() {
    for path in rust_files(&src()) {
        let text = std::fs::read_to_string(&path).unwrap();
        let first = text.lines().next().unwrap_or("");
        assert!(
            first.starts_with("//!"),
            "{} does not open with a `//!` line saying what it owns",
            path.display()
        );
        let lines = text.lines().count();
        assert!(
            lines <= MAX_LINES,
            "{} has {lines} lines (at most {MAX_LINES}): split it by concept",
            path.display()
        );
    }
}

/// The test's own parser, on what it must and must not count.
#[test]
fn imports_are_read_from_code_not_comments() {
    let text = "//! See [`crate::run`].\nuse crate::plan::Track; // crate::write\nlet x = crate::model::build;";
    let found: Vec<String> = imports(text).into_iter().collect();
    assert_eq!(found, ["model", "plan"]);
}

#[test]
fn every_rule_is_documented_and_tested() {
    let rules = op1::finding::Rule::ALL;
    assert!(rules.len() > 30, "{rules:?}");
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let architecture = std::fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap();
    let tests: String = rust_files(&root.join("tests"))
        .into_iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    let rule_fixtures: Vec<String> = std::fs::read_dir(root.join("fixtures/rules"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for rule in rules {
        let id = rule.id();
        let quoted = format!("`{id}`");
        assert!(readme.contains(&quoted), "README.md does not document {id}");
        // ARCHITECTURE.md's row for the rule names the file the rule table
        // says raises it, and that file does.
        let row = architecture
            .lines()
            .find(|l| {
                l.starts_with("| `") && l.split(" | ").next().is_some_and(|c| c.contains(&quoted))
            })
            .unwrap_or_else(|| panic!("ARCHITECTURE.md does not say where {id} lives"));
        let raised = rule.raised_in();
        let file_name = raised.rsplit('/').next().unwrap();
        assert!(
            row.contains(file_name),
            "{id}: the row does not name {raised}: {row}"
        );
        let variant = format!("{rule:?}");
        let source = std::fs::read_to_string(src().join(raised))
            .unwrap_or_else(|_| panic!("{id}: src/{raised} does not exist"));
        assert!(
            source.contains(&format!("Rule::{variant}")),
            "{id}: src/{raised} does not raise Rule::{variant}"
        );
        let tested = tests.contains(&format!("\"{id}\""))
            || tests.contains(&format!("Rule::{variant}"))
            || rule_fixtures.iter().any(|f| f.starts_with(id));
        assert!(tested, "no test names the rule {id}");
    }
}

/// Polars' `csv`, `parquet` and `streaming` features bring its streaming
/// engine and, through it, a cloud HTTP stack (object_store, reqwest, rustls,
/// tokio) that op1 never runs but every user builds and pages in: 24 MiB more
/// at 1,000 teams (issue 17). The eager writers come from polars-io.
#[test]
fn polars_is_built_without_its_streaming_engine() {
    let manifest =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml")).unwrap();
    let manifest: toml::Table = toml::from_str(&manifest).unwrap();
    let deps = manifest["dependencies"].as_table().unwrap();
    let features = |name: &str| -> Vec<String> {
        deps[name]["features"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap().to_string())
            .collect()
    };
    for engine in ["csv", "parquet", "streaming", "new_streaming", "cloud"] {
        assert!(
            !features("polars").iter().any(|f| f == engine),
            "polars feature {engine:?} pulls in the streaming engine; take the eager reader/writer from polars-io"
        );
    }
    // polars-io's own way to the same network stack.
    for cloud in [
        "cloud",
        "http",
        "file_cache",
        "async",
        "aws",
        "gcp",
        "azure",
    ] {
        assert!(
            !features("polars-io").iter().any(|f| f == cloud),
            "polars-io feature {cloud:?} brings in the cloud readers op1 never runs"
        );
    }
    assert!(features("polars-io").iter().any(|f| f == "parquet"));
    assert_eq!(deps["polars-io"]["default-features"].as_bool(), Some(false));
}
