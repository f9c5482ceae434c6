//! The reader under mutation fuzzing, a fixed campaign in every CI run:
//! 2,000 seeded mutations of the fixtures and (when present) the real-world
//! corpus, each read as `check` reads a file. None may panic past op1's
//! guards, yield `reader-panic`, or take longer than the bound. Long
//! campaigns: `cargo run --release --example fuzz` (RELIABILITY.md).

use crate::common::fuzzing;

use std::path::PathBuf;
use std::time::Duration;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn two_thousand_mutated_inputs_are_each_read_or_refused_in_time() {
    let mut dirs = vec![root().join("fixtures")];
    let corpus = root().join("../shared/corpus/real");
    if corpus.is_dir() {
        dirs.push(corpus);
    }
    let seeds = fuzzing::seed_files(&dirs);
    assert!(seeds.len() >= 20, "{} seed files", seeds.len());
    let work = tempfile::tempdir().unwrap();
    // A debug build parses several times slower than release, whose bound
    // in the long campaigns is 2 s.
    let report = fuzzing::campaign(&seeds, 2027, 2_000, Duration::from_secs(10), work.path());
    for f in &report.failures {
        eprintln!(
            "seed {} ({} of {}): {}",
            f.seed,
            f.how,
            f.source.display(),
            f.what
        );
    }
    eprintln!(
        "{} inputs: {} read, {} refused, {} failed; contained reader panics: {:?}; slowest {:?} (seed {})",
        report.inputs,
        report.read,
        report.refused,
        report.failures.len(),
        report.contained,
        report.slowest,
        report.slowest_seed
    );
    assert!(
        report.failures.is_empty(),
        "replay with: cargo run --release --example fuzz -- --seed <seed> --count 1"
    );
    assert!(
        report.read > 0 && report.refused > 0,
        "the mutations reach both outcomes"
    );
}

/// Every input a campaign ever failed on (saved by `examples/fuzz.rs
/// --save fixtures/fuzz`) reads cleanly now.
#[test]
fn inputs_that_once_failed_the_fuzzer_read_cleanly() {
    let dir = root().join("fixtures/fuzz");
    let files = fuzzing::seed_files(std::slice::from_ref(&dir));
    let settings = op1::settings::Settings::default();
    for path in &files {
        let input = op1::discover::InputFile {
            display: path.display().to_string(),
            ..op1::discover::InputFile::new(path)
        };
        let (_, findings) = op1::contain::contained(|| op1::read::read_file(&input, &settings))
            .unwrap_or_else(|p| panic!("{}: {p}", path.display()));
        assert!(
            findings
                .iter()
                .all(|f| f.rule != op1::finding::Rule::ReaderPanic),
            "{}: {findings:?}",
            path.display()
        );
    }
}

/// The two inputs that made calamine allocate without bound (24 GB and
/// 46 GB) are refused with a clear finding by a process held to 1 GiB.
#[test]
fn xls_files_that_made_the_reader_allocate_without_bound_are_refused_in_bounded_memory() {
    if std::process::Command::new("bash")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("SKIPPED: bash is not here (it sets the memory limit)");
        return;
    }
    for (file, says) in [
        ("cfb-chain-loop.xls", "its sector chains loop"),
        ("xls-cells-spread.xls", "has cells spread over"),
    ] {
        let path = root().join("fixtures/fuzz").join(file);
        let out = std::process::Command::new("bash")
            .args([
                "-c",
                "ulimit -v 1048576; exec \"$0\" check \"$1\"",
                env!("CARGO_BIN_EXE_op1"),
            ])
            .arg(&path)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{file}: {stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            stdout.contains("file-unreadable") && stdout.contains(says),
            "{file}: {stdout}"
        );
        assert!(
            // Nothing but the line naming the settings file.
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .all(|l| l.starts_with("settings: ")),
            "{file}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
