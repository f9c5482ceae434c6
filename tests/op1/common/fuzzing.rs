//! The fuzz campaign: seeded mutations ([`super::mutate`]) of seed files,
//! each read by op1's reader as `check` reads a file. An input fails the
//! campaign when the read panics past op1's guards, yields a
//! `reader-panic` finding, or takes longer than the time bound. Panics that
//! op1 contained (a damaged file, said as one) are counted by where they
//! happened: they are upstream bugs to report, not failures.

#![allow(dead_code)]

use super::mutate::mutate;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// An input that failed, replayable by its seed.
pub struct Failure {
    pub seed: u64,
    pub source: PathBuf,
    pub how: &'static str,
    pub what: String,
    pub bytes: Vec<u8>,
}

/// What a campaign found.
#[derive(Default)]
pub struct Report {
    pub inputs: usize,
    /// Read as a workbook (perhaps with findings).
    pub read: usize,
    /// Refused with a finding (damaged, not a spreadsheet, too large, …).
    pub refused: usize,
    pub failures: Vec<Failure>,
    /// Contained reader panics, by where they happened.
    pub contained: BTreeMap<String, usize>,
    pub slowest: Duration,
    pub slowest_seed: u64,
    pub elapsed: Duration,
}

/// The spreadsheets under `dirs` (recursively) that op1 reads, sorted.
pub fn seed_files(dirs: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> = dirs.to_vec();
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if op1::discover::Format::from_extension(&p).is_some()
                && !p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("~$"))
                && std::fs::metadata(&p).is_ok_and(|m| m.len() <= 4 << 20)
            {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Runs `count` mutations, seeds `first..first + count`, over `sources`,
/// writing each input into `work` (a scratch folder).
pub fn campaign(
    sources: &[PathBuf],
    first: u64,
    count: usize,
    limit: Duration,
    work: &Path,
) -> Report {
    let started = Instant::now();
    let originals: Vec<(PathBuf, String, Vec<u8>)> = sources
        .iter()
        .filter_map(|p| {
            let ext = p.extension()?.to_string_lossy().to_lowercase();
            Some((p.clone(), ext, std::fs::read(p).ok()?))
        })
        .collect();
    let settings = op1::settings::Settings::default();
    // A watchdog: an input that never comes back (a loop without end) cannot
    // be timed afterwards; past 15× the bound the campaign stops, naming it.
    let running: std::sync::Mutex<BTreeMap<u64, Instant>> = Default::default();
    let done = std::sync::atomic::AtomicBool::new(false);
    let outcomes: Vec<Outcome> = std::thread::scope(|scope| {
        scope.spawn(|| watchdog(&running, &done, limit * 15));
        let outcomes = (first..first + count as u64)
            .into_par_iter()
            .map(|seed| {
                running.lock().unwrap().insert(seed, Instant::now());
                let outcome = one(&originals, seed, limit, work, &settings);
                running.lock().unwrap().remove(&seed);
                outcome
            })
            .collect();
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        outcomes
    });
    let mut report = Report {
        inputs: count,
        ..Report::default()
    };
    for o in outcomes {
        match o {
            Outcome::Read(t, seed) | Outcome::Refused(t, seed, _) if t > report.slowest => {
                report.slowest = t;
                report.slowest_seed = seed;
            }
            _ => {}
        }
        match o {
            Outcome::Read(..) => report.read += 1,
            Outcome::Refused(_, _, contained) => {
                report.refused += 1;
                if let Some(at) = contained {
                    *report.contained.entry(at).or_default() += 1;
                }
            }
            Outcome::Failed(f) => report.failures.push(f),
        }
    }
    report.failures.sort_by_key(|f| f.seed);
    report.elapsed = started.elapsed();
    report
}

fn watchdog(
    running: &std::sync::Mutex<BTreeMap<u64, Instant>>,
    done: &std::sync::atomic::AtomicBool,
    hung: Duration,
) {
    while !done.load(std::sync::atomic::Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(200));
        let stuck = running
            .lock()
            .unwrap()
            .iter()
            .find(|(_, started)| started.elapsed() > hung)
            .map(|(seed, _)| *seed);
        if let Some(seed) = stuck {
            eprintln!("HUNG: seed {seed} has not come back in {hung:?}; replay it with --seed {seed} --count 1");
            std::process::exit(3);
        }
    }
}

enum Outcome {
    Read(Duration, u64),
    /// Refused with findings; where a contained reader panic happened.
    Refused(Duration, u64, Option<String>),
    Failed(Failure),
}

fn one(
    originals: &[(PathBuf, String, Vec<u8>)],
    seed: u64,
    limit: Duration,
    work: &Path,
    settings: &op1::settings::Settings,
) -> Outcome {
    let (source, ext, bytes) = &originals[(seed % originals.len() as u64) as usize];
    let mutant = mutate(bytes, ext, seed);
    let path = work.join(format!("{seed}.{ext}"));
    let fail = |what: String, bytes: Vec<u8>| {
        Outcome::Failed(Failure {
            seed,
            source: source.clone(),
            how: mutant.how,
            what,
            bytes,
        })
    };
    if let Err(e) = std::fs::write(&path, &mutant.bytes) {
        return fail(format!("cannot write the input: {e}"), Vec::new());
    }
    let input = op1::discover::InputFile {
        display: path.display().to_string(),
        ..op1::discover::InputFile::new(&path)
    };
    let started = Instant::now();
    let result = op1::contain::contained(|| op1::read::read_file(&input, settings));
    let took = started.elapsed();
    let _ = std::fs::remove_file(&path);
    let (read, findings) = match result {
        Ok(r) => r,
        Err(panic) => return fail(format!("panicked past op1's guards: {panic}"), mutant.bytes),
    };
    if let Some(f) = findings
        .iter()
        .find(|f| f.rule == op1::finding::Rule::ReaderPanic)
    {
        return fail(format!("reader-panic: {}", f.message), mutant.bytes);
    }
    if took > limit {
        return fail(
            format!("took {took:?}, over the bound of {limit:?}"),
            mutant.bytes,
        );
    }
    if read.workbook.is_some() {
        return Outcome::Read(took, seed);
    }
    let contained = findings
        .iter()
        .find_map(|f| f.message.split("(the reader stopped: ").nth(1))
        .map(|rest| {
            let rest = rest.split("); ").next().unwrap_or(rest);
            rest.rsplit(" at ").next().unwrap_or(rest).to_string()
        });
    Outcome::Refused(took, seed, contained)
}
