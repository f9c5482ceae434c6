//! The reader survives every real-world spreadsheet in `../shared/corpus/real/`:
//! no panic, and for each file either a parsed team or a finding naming it,
//! each within a few seconds.

use op1::discover::{discover, InputFile};
use op1::settings::Settings;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// `../shared/<rel>`, or `None` (and a line saying the test is skipped)
/// when this checkout has no `shared/` beside it.
fn shared(rel: &str) -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(rel);
    if !dir.is_dir() {
        eprintln!("SKIPPED: {} is absent; this test needs it", dir.display());
        return None;
    }
    Some(dir)
}

#[test]
fn reader_survives_the_real_world_corpus() {
    let Some(corpus) = shared("corpus/real") else {
        return;
    };
    let found = discover(std::slice::from_ref(&corpus)).unwrap();
    // Also feed the files with other extensions as if a user named them.
    let mut files = found.files.clone();
    for skipped in &found.skipped {
        let path = PathBuf::from(&skipped.display);
        if path.is_file() && !skipped.display.ends_with(".md") {
            files.push(InputFile {
                display: skipped.display.clone(),
                ..InputFile::new(&path)
            });
        }
    }
    assert!(
        files.len() >= 250,
        "expected the ~290-file corpus, found {}",
        files.len()
    );
    let settings = Settings::default();
    let mut slow = Vec::new();
    let (mut parsed, mut refused) = (0, 0);
    for input in &files {
        let start = Instant::now();
        let result = std::panic::catch_unwind(|| op1::read::read_file(input, &settings));
        let elapsed = start.elapsed();
        let (read, findings) =
            result.unwrap_or_else(|_| panic!("the reader panicked on {}", input.display));
        assert!(
            read.workbook.is_some()
                || findings
                    .iter()
                    .any(|f| f.file.as_deref() == Some(input.display.as_str())),
            "{}: neither a workbook nor a finding naming the file",
            input.display
        );
        if read.workbook.is_some() {
            parsed += 1;
        } else {
            refused += 1;
        }
        if elapsed > Duration::from_secs(5) {
            slow.push(format!("{} took {elapsed:?}", input.display));
        }
    }
    eprintln!(
        "corpus: {} files, {parsed} opened, {refused} refused with a finding",
        files.len()
    );
    assert!(slow.is_empty(), "files over 5 s: {slow:#?}");
}

/// The inputs that once broke the reader (`../shared/fuzz-found/`) are read
/// through the whole `check` command: no crash, each file named in a finding
/// or read as a team, exit code 0 or 1 (never a crash's 101 or a usage 2).
#[test]
fn inputs_that_once_broke_the_reader_are_read_cleanly() {
    let Some(dir) = shared("fuzz-found") else {
        return;
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e != "md"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{} holds no inputs", dir.display());
    for file in &files {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_op1"))
            .args(["check", "--format", "json"])
            .arg(file)
            .output()
            .unwrap();
        let code = out.status.code();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            matches!(code, Some(0 | 1)),
            "{}: exit {code:?}\n{stdout}\n{}",
            file.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        let name = file.file_name().unwrap().to_string_lossy();
        assert!(
            code == Some(0) || stdout.contains(name.as_ref()),
            "{}: an error that does not name the file\n{stdout}",
            file.display()
        );
    }
}
