//! What a run may replace in its output folder: the files op1's own
//! manifest there lists (and the journal of a run interrupted before its
//! manifest). A file named like one of the run's outputs that no op1
//! manifest lists is the user's (a `document.md` of their own in `--out
//! mine`), and the run is refused before anything is written unless
//! `--force` (SECURITY.md).

use std::path::Path;

use crate::outputs as o;

/// The files a command writes into its output folder: these names at its
/// top, any file with one of `extensions` there (`op1 feedback`'s
/// `<team>.xlsx` and `<team>.txt`, named after teams not yet read), and
/// files in `charts/` named as op1 names its charts.
#[derive(Clone, Copy, Debug)]
pub struct Writes {
    pub names: &'static [&'static str],
    pub extensions: &'static [&'static str],
    pub charts: bool,
}

/// What `op1 pack` writes.
pub const PACK: Writes = Writes {
    names: &[
        o::PACK_FILE,
        o::HTML_FILE,
        o::MARKDOWN_FILE,
        o::LONG_PARQUET,
        o::LONG_CSV,
        o::ROLLUP_CSV,
        o::FUNDING_CSV,
        o::RESOURCES_CSV,
        o::AMBITION_CSV,
        o::TARGETS_CSV,
        o::FINDINGS_CSV,
        o::REGISTERS_CSV,
        o::MANIFEST_FILE,
    ],
    extensions: &[],
    charts: true,
};

/// What `op1 checkpoint` writes.
pub const CHECKPOINT: Writes = Writes {
    names: &[
        o::CHECKPOINT_FILE,
        o::CHECKPOINT_HTML,
        o::CHECKPOINT_MD,
        o::CHECKPOINT_PARQUET,
        o::CHECKPOINT_CSV,
        o::DECISIONS_CSV,
        o::MANIFEST_FILE,
    ],
    extensions: &[],
    charts: true,
};

/// What `op1 feedback` writes.
pub const FEEDBACK: Writes = Writes {
    names: &[o::FEEDBACK_CSV, o::MANIFEST_FILE],
    extensions: &["xlsx", "txt"],
    charts: false,
};

/// What `op1 diff --out` writes.
pub const DIFF: Writes = Writes {
    names: &[o::CHANGES_FILE, o::MANIFEST_FILE],
    extensions: &[],
    charts: true,
};

/// The files in `out` (its top and `charts/`) that a run writing `writes`
/// could replace but that no op1 manifest in `out` lists, sorted, as paths
/// relative to `out`. Hidden files (op1's lock and marker) are not judged.
pub fn not_ours(out: &Path, writes: &Writes) -> Vec<String> {
    // An op1 manifest does not list itself: it is op1's when it is one.
    let mut listed = crate::discover::listed_outputs(out)
        .map(|mut listed| {
            listed.insert(o::MANIFEST_FILE.to_string());
            listed
        })
        .unwrap_or_default();
    // What an interrupted run renamed into place before its manifest.
    listed.extend(crate::output::journaled(out));
    let mut found = Vec::new();
    let mut judge = |folder: &str, kinds: &dyn Fn(&str) -> bool| {
        let Ok(entries) = std::fs::read_dir(out.join(folder)) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let is_file = entry.file_type().is_ok_and(|t| !t.is_dir());
            let relative = format!("{folder}{name}");
            if is_file && !name.starts_with('.') && kinds(&name) && !listed.contains(&relative) {
                found.push(relative);
            }
        }
    };
    let extension = |name: &str| name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    judge("", &|name| {
        writes.names.contains(&name)
            || extension(name).is_some_and(|e| writes.extensions.contains(&e.as_str()))
    });
    if writes.charts {
        judge(&format!("{}/", o::CHARTS_DIR), &|name| {
            name.rsplit_once('.').is_some_and(|(stem, e)| {
                matches!(e.to_ascii_lowercase().as_str(), "png" | "svg")
                    && o::chart::is_named_like_a_chart(stem)
            })
        });
    }
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_files_named_like_outputs_and_listed_in_no_manifest_are_the_users() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path();
        std::fs::create_dir(out.join("charts")).unwrap();
        for name in [
            "document.md",
            "notes.txt",
            "charts/bridge.png",
            "charts/my-photo.png",
            ".op1-lock",
            "rollup.csv",
        ] {
            std::fs::write(out.join(name), b"mine").unwrap();
        }
        assert_eq!(
            not_ours(out, &PACK),
            ["charts/bridge.png", "document.md", "rollup.csv"]
        );
        // Listed by op1's manifest there: op1's to replace.
        std::fs::write(
            out.join("manifest.json"),
            r#"{"op1": "op1 0.1.0", "outputs": [{"path": "document.md"}, {"path": "rollup.csv"}, {"path": "charts/bridge.png"}, {"path": "manifest.json"}]}"#,
        )
        .unwrap();
        assert!(not_ours(out, &PACK).is_empty());
        // What an interrupted run renamed into place is op1's too.
        std::fs::remove_file(out.join("manifest.json")).unwrap();
        std::fs::write(
            out.join(o::JOURNAL_FILE),
            "document.md\nrollup.csv\ncharts/bridge.png\n",
        )
        .unwrap();
        assert!(not_ours(out, &PACK).is_empty());
        // A feedback run writes a .txt message per team: the user's notes
        // are in the way of that run, not of a pack.
        assert_eq!(not_ours(out, &FEEDBACK), ["notes.txt"]);
    }
}
