//! The reader survives every real-world spreadsheet in `../shared/corpus/real/`:
//! no panic, and for each file either a parsed team or a finding naming it,
//! each within a few seconds.

use op1::discover::{discover, Format, InputFile};
use op1::settings::Settings;
use std::path::PathBuf;
use std::time::{Duration, Instant};

#[test]
fn reader_survives_the_real_world_corpus() {
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/real");
    if !corpus.is_dir() {
        eprintln!(
            "SKIPPED: {} is absent; the corpus test needs ../shared/corpus/real",
            corpus.display()
        );
        return;
    }
    let found = discover(std::slice::from_ref(&corpus)).unwrap();
    // Also feed the files with other extensions as if a user named them.
    let mut files = found.files.clone();
    for skipped in &found.skipped {
        let path = PathBuf::from(&skipped.display);
        if path.is_file() && !skipped.display.ends_with(".md") {
            files.push(InputFile {
                path: path.clone(),
                display: skipped.display.clone(),
                format: Format::from_extension(&path),
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
