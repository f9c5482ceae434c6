//! Discovery: turns the command line's files and folders into the sorted list
//! of workbooks to read, the files passed over (and why), and the round's
//! settings file.

use std::fmt;
use std::path::{Path, PathBuf};

/// The name of the settings file looked for in an input folder.
pub const SETTINGS_FILE: &str = "op1.toml";

/// The spreadsheet formats op1 reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    Xlsx,
    Xlsm,
    Xlsb,
    Xls,
    Ods,
}

impl Format {
    /// The format an extension names, case-insensitively.
    pub fn from_extension(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "xlsx" => Format::Xlsx,
            "xlsm" => Format::Xlsm,
            "xlsb" => Format::Xlsb,
            "xls" => Format::Xls,
            "ods" => Format::Ods,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Xlsm => "xlsm",
            Format::Xlsb => "xlsb",
            Format::Xls => "xls",
            Format::Ods => "ods",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A workbook to read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputFile {
    /// The path to open.
    pub path: PathBuf,
    /// The path as the user sees it in findings (forward slashes).
    pub display: String,
    /// The format its extension names; `None` for a file named explicitly
    /// whose extension is not a spreadsheet's (reported as unreadable).
    pub format: Option<Format>,
    /// The path with links and `..` resolved, found once by [`discover`]
    /// (telling the same file reached twice, the output folder's files and
    /// the pack's links all use it); `None` if it could not be, or before.
    pub canonical: Option<PathBuf>,
}

impl InputFile {
    /// Whether the file's real path lies under `root` (a folder's real
    /// path, resolved once by the caller), or is it.
    pub fn is_under(&self, root: &Path) -> bool {
        self.canonical.as_ref().is_some_and(|p| p.starts_with(root))
    }

    /// The file at `path`, shown as given, in the format its extension
    /// names; its real path is left to [`discover`] to find.
    pub fn new(path: &Path) -> InputFile {
        InputFile {
            path: path.to_path_buf(),
            display: display_path(path),
            format: Format::from_extension(path),
            canonical: None,
        }
    }
}

/// Why a file found in a folder was not read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SkipReason {
    /// An Excel owner/lock file (`~$name.xlsx`).
    LockFile,
    /// A hidden file or folder (`.name`).
    Hidden,
    /// Not a spreadsheet extension (README, PDF, the settings file, …).
    OtherType,
    /// The round's roster workbook, named in the settings.
    Roster,
    /// Inside the output folder.
    Output,
    /// A byte-identical copy of another input (read once, as the other).
    Copy,
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SkipReason::LockFile => "Excel lock file",
            SkipReason::Hidden => "hidden file",
            SkipReason::OtherType => "not a spreadsheet",
            SkipReason::Roster => "the round's roster",
            SkipReason::Output => "in the output folder",
            SkipReason::Copy => "a byte-identical copy of another input",
        })
    }
}

/// A file passed over.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    pub display: String,
    pub reason: SkipReason,
}

/// What discovery found.
#[derive(Clone, Debug, Default)]
pub struct Discovery {
    pub files: Vec<InputFile>,
    pub skipped: Vec<Skipped>,
    /// Every settings file (`op1.toml`, whatever its case) the walk met, in
    /// the round's folder or below it; [`round_settings`] decides which one
    /// applies.
    pub settings_found: Vec<PathBuf>,
    /// op1's output folders passed over (a pack, checkpoint, feedback or
    /// changes folder inside the round), with how many files each held.
    pub outputs: Vec<(String, usize)>,
    /// Folders that carry op1's pack marker but no manifest that lists their
    /// spreadsheets: not taken as op1's, so their workbooks are read.
    pub unverified: Vec<String>,
    /// Links in the round that lead outside its folder: not followed
    /// (without `--follow-links`), each a `link-outside` finding.
    pub links_outside: Vec<String>,
    /// The round's folder, decided once: as the user named it (the one
    /// folder given, a lone file's folder, or the common parent of several
    /// inputs) and its real path.
    pub root: Option<Root>,
}

/// The round's folder.
#[derive(Clone, Debug)]
pub struct Root {
    /// As shown: relative to the working folder when it lies inside it.
    pub shown: PathBuf,
    /// Links and `..` resolved.
    pub real: PathBuf,
}

/// How discovery treats what it meets.
#[derive(Clone, Copy, Debug, Default)]
pub struct DiscoverOptions {
    /// Follow links that lead outside the round's folder (`--follow-links`).
    pub follow_links: bool,
}

/// The state of one walk: the round's real folder, and every folder walked
/// so far by its real path (a folder reached twice — two links to it, a
/// link to a parent — is walked once).
struct Walk {
    root: Option<PathBuf>,
    follow_links: bool,
    walked: std::collections::HashSet<PathBuf>,
}

impl Walk {
    /// Whether the walk goes on through `path`: any entry that is not a
    /// link, a link into the round's folder, and any link with
    /// `--follow-links`. A broken link is let through, to be named
    /// unreadable.
    fn may_enter(&self, path: &Path) -> bool {
        let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
        if !is_link || self.follow_links {
            return true;
        }
        match (std::fs::canonicalize(path), &self.root) {
            (Ok(real), Some(root)) => real.starts_with(root),
            (Ok(_), None) => false,
            (Err(_), _) => true,
        }
    }

    /// Whether the folder `dir` is walked for the first time.
    fn first_visit(&mut self, dir: &Path) -> bool {
        match std::fs::canonicalize(dir) {
            Ok(real) => self.walked.insert(real),
            Err(_) => false,
        }
    }
}

/// Why discovery could not run.
#[derive(Debug)]
pub enum DiscoverError {
    /// An input named on the command line does not exist.
    NotFound(PathBuf),
    /// A folder could not be listed.
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// No input was given.
    NoInputs,
}

impl fmt::Display for DiscoverError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DiscoverError::NotFound(p) => write!(f, "{}: no such file or folder", p.display()),
            DiscoverError::Io { path, source } => write!(f, "{}: {source}", path.display()),
            DiscoverError::NoInputs => write!(f, "no input files or folders given"),
        }
    }
}

impl std::error::Error for DiscoverError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            DiscoverError::Io { source, .. } => Some(source),
            DiscoverError::NotFound(_) | DiscoverError::NoInputs => None,
        }
    }
}

/// How deep folders are searched; deeper trees are almost certainly a link loop.
const MAX_DEPTH: usize = 32;

/// Finds the workbooks under `inputs`. Files named directly are always read
/// (an unsupported extension becomes a finding later); folders are searched
/// recursively in name order, skipping lock files, hidden entries and other
/// file types. The same file reached twice is read once.
///
/// # Errors
/// [`DiscoverError`] when an input does not exist or a folder cannot be listed.
pub fn discover(inputs: &[PathBuf]) -> Result<Discovery, DiscoverError> {
    discover_with(inputs, DiscoverOptions::default())
}

/// [`discover`] with `options`. Only what lies in the round's folder (the
/// one folder named, or the common parent of the inputs) is walked: a link
/// out of it is not followed unless `options.follow_links`.
///
/// # Errors
/// As [`discover`].
pub fn discover_with(
    inputs: &[PathBuf],
    options: DiscoverOptions,
) -> Result<Discovery, DiscoverError> {
    if inputs.is_empty() {
        return Err(DiscoverError::NoInputs);
    }
    let root = round_folder(inputs).and_then(|shown| {
        let real = std::fs::canonicalize(&shown).ok()?;
        Some(Root { shown, real })
    });
    let mut found = Discovery {
        root: root.clone(),
        ..Discovery::default()
    };
    let mut walker = Walk {
        root: root.map(|r| r.real),
        follow_links: options.follow_links,
        walked: std::collections::HashSet::new(),
    };
    for input in inputs {
        let meta = std::fs::metadata(input).map_err(|_| DiscoverError::NotFound(input.clone()))?;
        if meta.is_dir() {
            if walker.first_visit(input) {
                walk(&mut walker, input, 0, &mut found)?;
            }
        } else {
            found.files.push(InputFile::new(input));
        }
    }
    // Each file's real path, found once (a `readlink` per folder on the way).
    for file in &mut found.files {
        file.canonical = std::fs::canonicalize(&file.path).ok();
    }
    let mut seen = std::collections::HashSet::new();
    found
        .files
        .retain(|f| seen.insert(f.canonical.clone().unwrap_or_else(|| f.path.clone())));
    Ok(found)
}

/// The file `op1 pack` leaves in its output folder, so that a later run
/// recognises the folder wherever it sits and does not read the pack as a team.
use crate::outputs::PACK_MARKER;

/// The manifest every op1 command writes last into its output folder.
use crate::outputs::MANIFEST_FILE;

/// The outputs `dir`'s manifest lists, when it holds one op1 wrote (its
/// `op1` names op1 and `outputs` is a list of paths). Read as plain JSON:
/// the manifest's own module sits above discovery and reads it whole.
pub(crate) fn listed_outputs(dir: &Path) -> Option<std::collections::BTreeSet<String>> {
    // A manifest is small and a regular file; a huge file, a pipe or a
    // device planted under its name is not one.
    let bytes = crate::regular::read_capped(&dir.join(MANIFEST_FILE), 64 << 20).ok()?;
    let doc: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    if !doc.get("op1")?.as_str()?.starts_with("op1 ") {
        return None;
    }
    doc.get("outputs")?
        .as_array()?
        .iter()
        .map(|o| Some(o.get("path")?.as_str()?.to_string()))
        .collect()
}

/// Whether `dir` is a folder `op1 pack` wrote, as a later command reads it
/// back (`op1 diff` of two packs): it holds the marker, or (for packs
/// written before the marker) the exec pack beside the long table.
pub fn is_pack_folder(dir: &Path) -> bool {
    dir.join(PACK_MARKER).is_file()
        || (dir.join(crate::outputs::PACK_FILE).is_file()
            && dir.join(crate::outputs::LONG_PARQUET).is_file())
}

fn walk(
    w: &mut Walk,
    dir: &Path,
    depth: usize,
    found: &mut Discovery,
) -> Result<(), DiscoverError> {
    if depth > MAX_DEPTH {
        return Ok(());
    }
    // A folder op1 wrote — a pack, checkpoint, feedback or changes folder —
    // holds op1's manifest listing every spreadsheet in it. A marker alone
    // (planted by hand), or a spreadsheet the manifest does not list, makes
    // it an ordinary folder: no team workbook is hidden by a file beside it.
    if let Some(listed) = listed_outputs(dir) {
        let mut inside = Discovery::default();
        walk_all(w, dir, depth, &mut inside)?;
        let all_listed = inside.files.iter().all(|f| {
            f.path
                .strip_prefix(dir)
                .ok()
                .and_then(|p| p.to_str())
                .is_some_and(|p| listed.contains(&p.replace('\\', "/")))
        });
        if all_listed {
            // op1's own output: everything in it is passed over, and said so.
            let files = inside.files.into_iter().map(|f| f.display);
            let others = inside.skipped.into_iter().map(|s| s.display);
            let before = found.skipped.len();
            found
                .skipped
                .extend(files.chain(others).map(|display| Skipped {
                    display,
                    reason: SkipReason::Output,
                }));
            let count = found.skipped.len() - before;
            found.outputs.push((display_path(dir), count));
        } else {
            found.absorb(inside, dir);
        }
        return Ok(());
    }
    if dir.join(PACK_MARKER).is_file() {
        found.unverified.push(display_path(&dir.join(PACK_MARKER)));
    }
    walk_all(w, dir, depth, found)
}

/// [`walk`] without the check for an output folder.
fn walk_all(
    w: &mut Walk,
    dir: &Path,
    depth: usize,
    found: &mut Discovery,
) -> Result<(), DiscoverError> {
    let io = |source| DiscoverError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(io)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let display = display_path(&path);
        if name.starts_with('.') {
            found.skipped.push(Skipped {
                display,
                reason: SkipReason::Hidden,
            });
        } else if !w.may_enter(&path) {
            // Named only when it would have been walked or read.
            if path.is_dir() || Format::from_extension(&path).is_some() {
                found.links_outside.push(display);
            } else {
                found.skipped.push(Skipped {
                    display,
                    reason: SkipReason::OtherType,
                });
            }
        } else if path.is_dir() {
            if w.first_visit(&path) {
                walk(w, &path, depth + 1, found)?;
            }
        } else if name.eq_ignore_ascii_case(SETTINGS_FILE) {
            found.settings_found.push(path);
            found.skipped.push(Skipped {
                display,
                reason: SkipReason::OtherType,
            });
        } else if name.starts_with("~$") {
            found.skipped.push(Skipped {
                display,
                reason: SkipReason::LockFile,
            });
        } else if let Some(format) = Format::from_extension(&path) {
            found.files.push(InputFile {
                canonical: None,
                path,
                display,
                format: Some(format),
            });
        } else {
            found.skipped.push(Skipped {
                display,
                reason: SkipReason::OtherType,
            });
        }
    }
    Ok(())
}

impl Discovery {
    /// Takes in what a walk of the folder `dir` found on its own.
    fn absorb(&mut self, inside: Discovery, dir: &Path) {
        if dir.join(PACK_MARKER).is_file() {
            self.unverified.push(display_path(&dir.join(PACK_MARKER)));
        }
        self.files.extend(inside.files);
        self.skipped.extend(inside.skipped);
        self.outputs.extend(inside.outputs);
        self.unverified.extend(inside.unverified);
        self.settings_found.extend(inside.settings_found);
        self.links_outside.extend(inside.links_outside);
    }

    /// Moves the file `path`, or every file under the folder `path`, from
    /// the files to read to the skipped ones (the roster workbook, the
    /// output folder).
    pub fn set_aside(&mut self, path: &Path, reason: SkipReason) {
        let Ok(root) = std::fs::canonicalize(path) else {
            return;
        };
        let (aside, keep): (Vec<InputFile>, Vec<InputFile>) = std::mem::take(&mut self.files)
            .into_iter()
            .partition(|f| f.is_under(&root));
        self.files = keep;
        self.skipped.extend(aside.into_iter().map(|f| Skipped {
            display: f.display,
            reason,
        }));
    }
}

/// The settings a round runs with, and the settings files it found but
/// does not apply.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RoundSettings {
    /// The file applied: `--settings`, else the round's folder's
    /// `op1.toml`, else the nearest one above it; `None` for the defaults.
    pub file: Option<PathBuf>,
    /// Settings files below the round's folder: inside a team's folder, so
    /// never applied (a team does not set the round's rates or envelope).
    pub ignored: Vec<PathBuf>,
}

/// Which settings apply to the round `discovery` found (SECURITY.md: the
/// settings are the analyst's, not a team's). `given` (`--settings`) wins;
/// else the `op1.toml` of the round's folder ([`Discovery::root`]), else
/// the nearest one above it. A settings file the walk found anywhere below
/// the round's folder is listed as ignored, never applied.
pub fn round_settings(given: Option<&Path>, discovery: &Discovery) -> RoundSettings {
    let root = discovery.root.as_ref();
    let file = given.map(Path::to_path_buf).or_else(|| {
        let root = root?;
        // `op1 check .` ran with `op1.toml`, not `./op1.toml`.
        let own = match root.shown.to_str() {
            Some(".") => PathBuf::from(SETTINGS_FILE),
            _ => root.shown.join(SETTINGS_FILE),
        };
        if own.is_file() {
            return Some(own);
        }
        root.real
            .ancestors()
            .skip(1)
            .map(|dir| dir.join(SETTINGS_FILE))
            .find(|p| p.is_file())
    });
    let real = |p: &Path| std::fs::canonicalize(p).ok();
    let real_root = root.map(|r| r.real.as_path());
    let applied = file.as_deref().and_then(real);
    let ignored = discovery
        .settings_found
        .iter()
        .filter(|found| {
            let here = real(found);
            let beside_root = here.as_deref().and_then(Path::parent) == real_root;
            here != applied && !beside_root
        })
        .cloned()
        .collect();
    RoundSettings { file, ignored }
}

/// The round's folder as the user named it: the one folder given, a lone
/// file's folder, or (several inputs) their common parent, shown relative to
/// the working folder when it lies inside it.
fn round_folder(inputs: &[PathBuf]) -> Option<PathBuf> {
    let folder_of = |input: &PathBuf| -> PathBuf {
        if input.is_dir() {
            return input.clone();
        }
        match input.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        }
    };
    if let [one] = inputs {
        return Some(folder_of(one));
    }
    let mut common = std::fs::canonicalize(folder_of(inputs.first()?)).ok()?;
    for input in &inputs[1..] {
        let folder = std::fs::canonicalize(folder_of(input)).ok()?;
        while !folder.starts_with(&common) {
            common = common.parent()?.to_path_buf();
        }
    }
    let here = std::env::current_dir().and_then(std::fs::canonicalize);
    Some(
        match here
            .ok()
            .and_then(|h| common.strip_prefix(h).ok().map(Path::to_path_buf))
        {
            Some(inside) if inside.as_os_str().is_empty() => PathBuf::from("."),
            Some(inside) => inside,
            None => common,
        },
    )
}

/// A path as shown to the user: as given, with forward slashes and no `./`.
pub fn display_path(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_sorted_and_skips_what_is_not_a_workbook() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("b/deeper")).unwrap();
        for name in [
            "a.xlsx",
            "b/deeper/c.ODS",
            "b/z.xls",
            "~$a.xlsx",
            ".hidden.xlsx",
            "README.md",
            "op1.toml",
        ] {
            std::fs::write(root.join(name), b"x").unwrap();
        }
        let found = discover(&[root.to_path_buf()]).unwrap();
        let names: Vec<_> = found
            .files
            .iter()
            .map(|f| {
                f.path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        assert_eq!(names, ["a.xlsx", "b/deeper/c.ODS", "b/z.xls"]);
        let reasons: Vec<_> = found.skipped.iter().map(|s| s.reason).collect();
        assert_eq!(
            reasons,
            [
                SkipReason::Hidden,
                SkipReason::OtherType,
                SkipReason::OtherType,
                SkipReason::LockFile
            ]
        );
        assert_eq!(found.settings_found, [root.join("op1.toml")]);
    }

    #[test]
    fn missing_input_is_an_error() {
        let err = discover(&[PathBuf::from("/no/such/op1/input")]).unwrap_err();
        assert!(matches!(err, DiscoverError::NotFound(_)));
    }

    #[test]
    fn the_same_file_twice_is_read_once() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.xlsx");
        std::fs::write(&file, b"x").unwrap();
        let found = discover(&[dir.path().to_path_buf(), file.clone()]).unwrap();
        assert_eq!(found.files.len(), 1);
        // Its real path, found once, is what the output folder and the
        // pack's links are judged by later.
        let real = std::fs::canonicalize(&file).unwrap();
        assert_eq!(found.files[0].canonical.as_ref(), Some(&real));
    }
}
