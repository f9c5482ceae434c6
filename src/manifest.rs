//! `manifest.json`: what one run wrote, and from what — op1's version, the
//! command, the settings file, every input and every output, each with its
//! SHA-256 and size. It is written last, after every output is in place, so
//! a folder whose files do not match its manifest is not one run's whole
//! output: an interrupted run, a hand-edited table, a missing chart.
//! [`verify`] (`op1 verify DIR`) re-hashes the folder against it.
//!
//! The manifest holds no clock time, so identical inputs give an identical
//! manifest.

use crate::output::{atomic_write, OutputError};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};

/// The manifest's file name in an output folder (discovery recognises
/// op1's folders by it).
use crate::outputs::MANIFEST_FILE;

/// The manifest format this op1 writes and reads.
const FORMAT: u32 = 1;

/// One file: where, its SHA-256 (hex) and its size.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hashed {
    pub path: String,
    pub sha256: String,
    pub bytes: u64,
}

/// The command whose run wrote a folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Command {
    Pack,
    Checkpoint,
    Diff,
    Feedback,
}

impl Command {
    /// The command's name, as typed.
    pub fn as_str(self) -> &'static str {
        match self {
            Command::Pack => "pack",
            Command::Checkpoint => "checkpoint",
            Command::Diff => "diff",
            Command::Feedback => "feedback",
        }
    }
}

/// What a run records about itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    /// `op1 0.1.0`.
    pub op1: String,
    /// The command that wrote the folder.
    pub command: Command,
    /// The settings file, when one was used.
    pub settings: Option<Hashed>,
    /// Every input read (as the run names it), in the run's order.
    pub inputs: Vec<Hashed>,
    /// Every output, relative to the folder, sorted.
    pub outputs: Vec<Hashed>,
    /// Earlier op1 folders this run used although they had changed since
    /// they were written (`--accept-modified`), each with what had changed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accepted_modified: Vec<Accepted>,
}

/// An earlier op1 folder used as it was, changed: `--accept-modified`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Accepted {
    pub dir: String,
    /// What `op1 verify` found, one line per file.
    pub problems: Vec<String>,
}

/// Hashes `path` (streaming: a large output is not held in memory).
///
/// # Errors
/// The I/O error reading it.
pub fn hash_file(path: &Path) -> std::io::Result<(String, u64)> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 16];
    let mut bytes = 0u64;
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
        bytes += n as u64;
    }
    Ok((hex(&hasher.finalize()), bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Manifest {
    /// A manifest for `command`'s run: the inputs as read, the settings file
    /// hashed now, the outputs (relative to `out`) hashed as they lie there,
    /// with op1's own records beside them — a pack's marker, the record of
    /// the charts written.
    ///
    /// # Errors
    /// [`OutputError::Io`] when an output or the settings file cannot be read back.
    pub fn of_run(
        out: &Path,
        command: Command,
        settings: Option<&Path>,
        inputs: Vec<Hashed>,
        written: &[String],
    ) -> Result<Manifest, OutputError> {
        let mut outputs = written.to_vec();
        if command == Command::Pack {
            outputs.push(crate::outputs::PACK_MARKER.to_string());
        }
        let record = format!("charts/{}", crate::outputs::CHARTS_RECORD);
        if written.iter().any(|w| w.starts_with("charts/")) && out.join(&record).is_file() {
            outputs.push(record);
        }
        let hashed = |path: &Path, name: String| -> Result<Hashed, OutputError> {
            let (sha256, bytes) = hash_file(path).map_err(|source| OutputError::Io {
                path: path.to_path_buf(),
                source,
            })?;
            Ok(Hashed {
                path: name,
                sha256,
                bytes,
            })
        };
        let settings = settings
            .map(|p| hashed(p, p.display().to_string()))
            .transpose()?;
        let mut names: Vec<&String> = outputs.iter().collect();
        names.sort();
        names.dedup();
        // On all cores: this re-reads every output, 33 MB at 1,000 teams. A
        // failure is reported for the first output (by name) that failed.
        let outputs: Vec<Result<Hashed, OutputError>> = names
            .into_par_iter()
            .map(|name| hashed(&out.join(name), name.clone()))
            .collect();
        let outputs = outputs.into_iter().collect::<Result<Vec<_>, _>>()?;
        Ok(Manifest {
            format: FORMAT,
            op1: format!("op1 {}", env!("CARGO_PKG_VERSION")),
            command,
            settings,
            inputs,
            outputs,
            accepted_modified: Vec::new(),
        })
    }

    /// Writes the manifest into `out`, last.
    ///
    /// # Errors
    /// [`OutputError`] when it cannot be written.
    pub fn write(&self, out: &Path) -> Result<String, OutputError> {
        let path = out.join(MANIFEST_FILE);
        let mut text = serde_json::to_string_pretty(self).map_err(|e| OutputError::Io {
            path: path.clone(),
            source: std::io::Error::other(e),
        })?;
        text.push('\n');
        atomic_write(&path, text.as_bytes())?;
        crate::output::close_journal(out);
        Ok(MANIFEST_FILE.to_string())
    }
}

/// The inputs of a round as the manifest lists them: each file read, with
/// the hash and size taken when it was read.
pub fn inputs_of(files: &[crate::plan::FileRead]) -> Vec<Hashed> {
    files
        .iter()
        .map(|f| Hashed {
            path: f.input.display.clone(),
            sha256: f.sha256.clone().unwrap_or_default(),
            bytes: f.bytes,
        })
        .collect()
}

/// What `op1 verify` found in a folder.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Verified {
    pub dir: PathBuf,
    /// The manifest's reading, when it could be read.
    pub manifest: Option<Manifest>,
    /// Why the manifest itself is missing or unreadable.
    pub no_manifest: Option<String>,
    /// Outputs listed but not in the folder.
    pub missing: Vec<String>,
    /// Outputs whose bytes differ from the manifest's.
    pub changed: Vec<String>,
    /// op1's temporary files (`.op1-*.tmp`): a run is writing or was killed.
    pub temporaries: Vec<String>,
    /// Files of the kinds op1 writes (spreadsheets, tables, documents,
    /// charts, its marker) that the manifest does not list: a manifest
    /// edited to hide a file, or a file put among op1's outputs.
    pub unlisted_outputs: Vec<String>,
    /// Other files in the folder that the manifest does not list (kept, not judged).
    pub unlisted: Vec<String>,
}

impl Verified {
    /// Whether the folder is one run's whole output, untouched.
    pub fn is_whole(&self) -> bool {
        self.problems().is_empty()
    }

    /// What keeps the folder from being whole, one line per file, in the
    /// order a person should look: changed, missing, unlisted, temporary.
    pub fn problems(&self) -> Vec<String> {
        if let Some(why) = &self.no_manifest {
            return vec![why.clone()];
        }
        let mut out = Vec::new();
        for (what, files) in self.judged() {
            out.extend(files.iter().map(|f| format!("{what}: {f}")));
        }
        out
    }

    /// The files that make a folder not whole, by what is wrong with them.
    fn judged(&self) -> [(&'static str, &Vec<String>); 4] {
        [
            ("changed since the run wrote it", &self.changed),
            ("missing", &self.missing),
            (
                "a file of a kind op1 writes that the manifest does not list (move your own files out of op1's output folder)",
                &self.unlisted_outputs,
            ),
            (
                "op1 temporary file (a run is writing here, or one was killed)",
                &self.temporaries,
            ),
        ]
    }
}

impl Verified {
    /// The report as a person reads it; the last line is the verdict.
    pub fn text(&self) -> String {
        use std::fmt::Write;
        let dir = self.dir.display();
        let mut out = format!("op1 verify {dir}\n");
        if let Some(why) = &self.no_manifest {
            let _ = writeln!(out, "  {why}");
            let _ = writeln!(out, "{dir}: not one run's whole output");
            return out;
        }
        if let Some(m) = &self.manifest {
            let _ = writeln!(
                out,
                "  written by {} ({}): {}, {}",
                m.op1,
                m.command.as_str(),
                crate::text::plural(m.inputs.len(), "input"),
                crate::text::plural(m.outputs.len(), "output")
            );
        }
        for problem in self.problems() {
            let _ = writeln!(out, "  {problem}");
        }
        for f in &self.unlisted {
            let _ = writeln!(out, "  not written by this run (not judged): {f}");
        }
        let outputs = self.manifest.as_ref().map_or(0, |m| m.outputs.len());
        if self.is_whole() {
            let _ = writeln!(
                out,
                "{dir}: whole — every one of {outputs} outputs matches {MANIFEST_FILE}"
            );
        } else {
            let mut why = vec![format!(
                "{} of {outputs} outputs changed or missing",
                self.changed.len() + self.missing.len()
            )];
            if !self.unlisted_outputs.is_empty() {
                why.push(format!(
                    "{} not listed",
                    crate::text::plural(self.unlisted_outputs.len(), "file")
                ));
            }
            if !self.temporaries.is_empty() {
                why.push(crate::text::plural(
                    self.temporaries.len(),
                    "temporary file",
                ));
            }
            let _ = writeln!(
                out,
                "{dir}: not one run's whole output ({})",
                why.join(", ")
            );
        }
        out
    }

    /// The report as JSON: `dir`, `whole`, `no_manifest`, `command`,
    /// `changed`, `missing`, `temporaries`, `unlisted_outputs`, `unlisted`.
    pub fn json(&self) -> String {
        let doc = serde_json::json!({
            "dir": self.dir.display().to_string(),
            "whole": self.is_whole(),
            "no_manifest": self.no_manifest,
            "command": self.manifest.as_ref().map(|m| m.command.as_str()),
            "changed": self.changed,
            "missing": self.missing,
            "temporaries": self.temporaries,
            "unlisted_outputs": self.unlisted_outputs,
            "unlisted": self.unlisted,
        });
        serde_json::to_string_pretty(&doc).unwrap_or_default()
    }
}

/// Re-hashes `dir` against its manifest.
pub fn verify(dir: &Path) -> Verified {
    let mut v = Verified {
        dir: dir.to_path_buf(),
        ..Verified::default()
    };
    let text = match std::fs::read_to_string(dir.join(MANIFEST_FILE)) {
        Ok(t) => t,
        Err(e) => {
            v.no_manifest = Some(format!(
                "{} is missing ({}): the run that wrote this folder did not finish, or it was not written by op1",
                MANIFEST_FILE,
                crate::output::plain_cause(&e)
            ));
            return v;
        }
    };
    let manifest: Manifest = match serde_json::from_str(&text) {
        Ok(m) => m,
        Err(e) => {
            v.no_manifest = Some(format!("{MANIFEST_FILE} cannot be read: {e}"));
            return v;
        }
    };
    if manifest.format != FORMAT {
        v.no_manifest = Some(format!(
            "{MANIFEST_FILE} is in format {}, which this op1 does not read (it reads {FORMAT})",
            manifest.format
        ));
        return v;
    }
    if manifest.outputs.is_empty() {
        v.no_manifest = Some(format!(
            "{MANIFEST_FILE} lists no outputs: op1 lists every file it writes, so this one was emptied or not written by op1"
        ));
        return v;
    }
    for out in &manifest.outputs {
        // A listed path never reaches outside the folder.
        let safe = Path::new(&out.path)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
        match safe.then(|| hash_file(&dir.join(&out.path))) {
            Some(Ok((sha, bytes))) if sha == out.sha256 && bytes == out.bytes => {}
            Some(Ok(_)) => v.changed.push(out.path.clone()),
            _ => v.missing.push(out.path.clone()),
        }
    }
    let listed: std::collections::BTreeSet<&str> =
        manifest.outputs.iter().map(|o| o.path.as_str()).collect();
    for name in files_in(dir) {
        let base = name.rsplit('/').next().unwrap_or(&name);
        if base.starts_with(crate::outputs::TEMP_PREFIX) && base.ends_with(".tmp") {
            v.temporaries.push(name);
        } else if listed.contains(name.as_str())
            || name == MANIFEST_FILE
            || name == crate::outputs::LOCK_FILE
        {
            continue;
        } else if is_op1_kind(&name) {
            v.unlisted_outputs.push(name);
        } else {
            v.unlisted.push(name);
        }
    }
    v.manifest = Some(manifest);
    v
}

/// Whether a file is of a kind op1 writes into an output folder: its
/// marker, a spreadsheet, a table, a document or a chart.
fn is_op1_kind(name: &str) -> bool {
    const KINDS: [&str; 8] = ["xlsx", "csv", "parquet", "md", "html", "json", "png", "svg"];
    let base = name.rsplit('/').next().unwrap_or(name);
    base == crate::outputs::PACK_MARKER
        || base
            .rsplit_once('.')
            .is_some_and(|(_, ext)| KINDS.iter().any(|k| ext.eq_ignore_ascii_case(k)))
}

/// The files in `dir` and its `charts` folder, relative, sorted.
fn files_in(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for (sub, prefix) in [(dir.to_path_buf(), ""), (dir.join("charts"), "charts/")] {
        let Ok(entries) = std::fs::read_dir(&sub) else {
            continue;
        };
        for entry in entries.flatten() {
            if entry.file_type().is_ok_and(|t| t.is_file()) {
                out.push(format!("{prefix}{}", entry.file_name().to_string_lossy()));
            }
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder() -> (tempfile::TempDir, Manifest) {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir(tmp.path().join("charts")).unwrap();
        std::fs::write(tmp.path().join("a.csv"), "x,y\n1,2\n").unwrap();
        std::fs::write(tmp.path().join("charts/c.png"), [1u8, 2, 3]).unwrap();
        let outputs = ["a.csv".to_string(), "charts/c.png".to_string()];
        let m = Manifest::of_run(tmp.path(), Command::Diff, None, Vec::new(), &outputs).unwrap();
        m.write(tmp.path()).unwrap();
        (tmp, m)
    }

    #[test]
    fn a_whole_folder_verifies_and_a_touched_one_does_not() {
        let (tmp, m) = folder();
        assert_eq!(m.outputs[0].bytes, 8);
        let v = verify(tmp.path());
        assert!(v.is_whole(), "{v:?}");
        std::fs::write(tmp.path().join("a.csv"), "x,y\n1,3\n").unwrap();
        std::fs::remove_file(tmp.path().join("charts/c.png")).unwrap();
        std::fs::write(tmp.path().join(".op1-x.tmp"), "").unwrap();
        std::fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
        let v = verify(tmp.path());
        assert!(!v.is_whole());
        assert_eq!(v.changed, ["a.csv"]);
        assert_eq!(v.missing, ["charts/c.png"]);
        assert_eq!(v.temporaries, [".op1-x.tmp"]);
        assert_eq!(v.unlisted, ["notes.txt"]);
        assert!(v.unlisted_outputs.is_empty());
    }

    #[test]
    fn a_manifest_that_omits_an_output_or_lists_none_does_not_verify() {
        let (tmp, mut m) = folder();
        // The CSV's entry removed, as one would to hide that it changed.
        m.outputs.retain(|o| o.path != "a.csv");
        m.write(tmp.path()).unwrap();
        std::fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
        let v = verify(tmp.path());
        assert!(!v.is_whole());
        assert_eq!(v.unlisted_outputs, ["a.csv"]);
        assert_eq!(v.unlisted, ["notes.txt"], "a text file is not judged");
        assert!(v.text().contains("1 file not listed"), "{}", v.text());
        m.outputs.clear();
        m.write(tmp.path()).unwrap();
        let v = verify(tmp.path());
        assert!(v
            .no_manifest
            .as_deref()
            .unwrap()
            .contains("lists no outputs"));
        assert!(!v.is_whole());
    }

    #[test]
    fn a_folder_without_a_manifest_is_not_whole() {
        let tmp = tempfile::tempdir().unwrap();
        let v = verify(tmp.path());
        assert!(v.no_manifest.unwrap().contains("did not finish"));
    }

    #[test]
    fn a_hostile_manifest_never_reads_outside_the_folder() {
        let (tmp, mut m) = folder();
        m.outputs.push(Hashed {
            path: "../../etc/passwd".into(),
            sha256: String::new(),
            bytes: 0,
        });
        m.write(tmp.path()).unwrap();
        assert_eq!(verify(tmp.path()).missing, ["../../etc/passwd"]);
    }
}
