//! Reading a round: every discovered file, in parallel, into the typed plan
//! model, with a finding for everything that is wrong. One bad file never
//! stops the others; a panic inside a reader library becomes a finding.
//!
//! This file holds the entry points (a round, one file). One open workbook is
//! read by [`workbook::WorkbookReader`]; each input sheet has its own file:
//! `team_sheet.rs`, `plan_sheet.rs`, `resources_sheet.rs`, `registers.rs`
//! (Assumptions, Asks, Risks, Goals, Ideas).

mod cfb_check;
mod damage;
pub mod grid;
mod narrative_sheet;
pub(crate) mod parse;
mod plan_sheet;
mod registers;
mod resources_sheet;
pub(crate) mod table;
mod team_sheet;
pub mod typed;
mod units;
mod workbook;
mod xls_extent;

use crate::discover::{Discovery, InputFile, SkipReason, Skipped};
use crate::finding::{Finding, Rule};
use crate::names::{normalise, skeleton};
use crate::plan::{FileRead, Round, TeamWorkbook};
use crate::settings::Settings;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use workbook::WorkbookReader;

/// Told how reading goes, for a progress bar. Every method has a silent default.
pub trait Progress: Sync {
    /// Reading of `files` files begins.
    fn start(&self, _files: usize) {}
    /// One more file was read.
    fn file_done(&self) {}
    /// Reading is over.
    fn finish(&self) {}
}

/// No progress reporting.
pub struct Silent;

impl Progress for Silent {}

/// Reads every discovered file; returns the round and the findings of
/// reading it, in report order.
pub fn read_round(discovery: &Discovery, settings: &Settings) -> (Round, Vec<Finding>) {
    read_round_with(discovery, settings, &Silent)
}

/// [`read_round`], telling `progress` as each file is read.
pub fn read_round_with(
    discovery: &Discovery,
    settings: &Settings,
    progress: &dyn Progress,
) -> (Round, Vec<Finding>) {
    progress.start(discovery.files.len());
    let results: Vec<(FileRead, Vec<Finding>)> = discovery
        .files
        .par_iter()
        .map(|input| {
            let _done = Done(progress);
            // What the reader's own guards (grid::open, Book::load) did not
            // contain is a bug in op1 or a reader: said, never a crash.
            crate::contain::contained(|| read_file(input, settings)).unwrap_or_else(|panic| {
                let finding = Finding::new(
                    Rule::ReaderPanic,
                    format!("op1 failed on this file ({panic}); the other files were read. Please report it with the file attached"),
                )
                .file(&input.display);
                (empty_read(input), vec![finding])
            })
        })
        .collect();
    progress.finish();
    let mut round = Round {
        skipped: discovery.skipped.clone(),
        outputs: discovery.outputs.clone(),
        ..Round::default()
    };
    let mut findings = Vec::new();
    let originals = originals(&results);
    for (file, file_findings) in results {
        if let Some(original) = originals.get(&file.input.display) {
            findings.push(
                Finding::new(
                    Rule::DuplicateFile,
                    format!("this file is a byte-identical copy of {original}; it is read once, as {original} (delete the copy)"),
                )
                .file(&file.input.display),
            );
            round.skipped.push(Skipped {
                display: file.input.display.clone(),
                reason: SkipReason::Copy,
            });
            continue;
        }
        round.files.push(file);
        findings.extend(file_findings);
    }
    findings.extend(duplicate_teams(&round));
    findings.extend(confusable_teams(&round));
    crate::finding::sort_findings(&mut findings);
    (round, findings)
}

/// Files whose bytes equal another input's: copy's display name → the
/// original's. Of identical files the shortest name (`payments.xlsx` before
/// `payments (1).xlsx`), then the first, is the original.
fn originals(results: &[(FileRead, Vec<Finding>)]) -> BTreeMap<String, String> {
    let mut by_hash: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (file, _) in results {
        if let Some(sha) = &file.sha256 {
            by_hash.entry(sha).or_default().push(&file.input.display);
        }
    }
    let mut copies = BTreeMap::new();
    for names in by_hash.values().filter(|n| n.len() > 1) {
        let original = names
            .iter()
            .copied()
            .min_by_key(|n| n.chars().count())
            .unwrap_or(names[0]);
        for name in names.iter().copied().filter(|n| *n != original) {
            copies.insert(name.to_string(), original.to_string());
        }
    }
    copies
}

/// Tells the progress a file is done when dropped, whatever happened.
struct Done<'a>(&'a dyn Progress);

impl Drop for Done<'_> {
    fn drop(&mut self) {
        self.0.file_done();
    }
}

fn empty_read(input: &InputFile) -> FileRead {
    FileRead {
        input: input.clone(),
        format: None,
        bytes: 0,
        sha256: None,
        workbook: None,
    }
}

/// The round's workbooks whose team names share `key`, in groups of two or
/// more.
fn alike(round: &Round, key: fn(&str) -> String) -> Vec<Vec<&TeamWorkbook>> {
    let mut groups: BTreeMap<String, Vec<&TeamWorkbook>> = BTreeMap::new();
    for wb in round.workbooks() {
        groups.entry(key(wb.name())).or_default().push(wb);
    }
    groups.into_values().filter(|g| g.len() > 1).collect()
}

/// Two files claiming one team: an error on each, naming the other.
fn duplicate_teams(round: &Round) -> Vec<Finding> {
    let mut out = Vec::new();
    for books in alike(round, normalise) {
        for wb in &books {
            let others: Vec<&str> = books
                .iter()
                .filter(|o| o.file != wb.file)
                .map(|o| o.file.as_str())
                .collect();
            // Typed apart, one name (`Zürich` in two Unicode forms, a
            // zero-width space): say why they are one.
            let typed_apart = books.iter().any(|o| o.name() != wb.name());
            let why = if typed_apart {
                " (the names differ only by characters that draw nothing or by how an accent is encoded)"
            } else {
                ""
            };
            out.push(wb.finding_at(
                Rule::DuplicateTeam,
                wb.team.pos,
                format!(
                    "team \"{}\" is also claimed by {}{why}; team names must be unique across the round",
                    wb.name(),
                    others.join(", ")
                ),
            ));
        }
    }
    out
}

/// Two teams whose names a reader could take for each other (`Pаyments`
/// with a Cyrillic `а` beside `Payments`): a warning on each, naming the
/// other team, its file and the first character where the two differ.
/// Names that are one team are `duplicate-team`.
fn confusable_teams(round: &Round) -> Vec<Finding> {
    let mut out = Vec::new();
    for books in alike(round, skeleton) {
        for wb in &books {
            let others: Vec<String> = books
                .iter()
                .filter(|o| normalise(o.name()) != normalise(wb.name()))
                .map(|o| {
                    format!(
                        "\"{}\" ({}; {})",
                        o.name(),
                        o.file,
                        difference(wb.name(), o.name())
                    )
                })
                .collect();
            if others.is_empty() {
                continue;
            }
            out.push(wb.finding_at(
                Rule::NameConfusable,
                wb.team.pos,
                format!(
                    "team \"{}\" looks like {}: a reader cannot tell them apart; if they are one team, hand in one workbook, else rename one",
                    wb.name(),
                    others.join(", ")
                ),
            ));
        }
    }
    out
}

/// Where two look-alike names first differ, with the code points, which a
/// reader cannot see: `"а" (U+0430) here, "a" (U+0061) there`.
fn difference(here: &str, there: &str) -> String {
    let seen = |s: &str| -> Vec<char> { crate::names::as_seen(s).collect() };
    let (a, b) = (seen(here), seen(there));
    let point = |c: Option<&char>| match c {
        Some(c) => format!("\"{c}\" (U+{:04X})", u32::from(*c)),
        None => "nothing".to_string(),
    };
    let at = (0..a.len().max(b.len()))
        .find(|&i| a.get(i) != b.get(i))
        .unwrap_or(0);
    format!("{} here, {} there", point(a.get(at)), point(b.get(at)))
}

/// Reads one file: opens it within the limits, then reads each sheet.
pub fn read_file(input: &InputFile, settings: &Settings) -> (FileRead, Vec<Finding>) {
    crate::fault::inject("read-panic", &input.display);
    let mut read = empty_read(input);
    let unreadable =
        |rule: Rule, message: String| vec![Finding::new(rule, message).file(&input.display)];
    if input.format.is_none() {
        let ext = input
            .path
            .extension()
            .map(|e| e.to_string_lossy().to_string())
            .unwrap_or_default();
        return (read, unreadable(Rule::FileUnreadable, format!("not a spreadsheet extension (\".{ext}\"); op1 reads xlsx, xlsm, xlsb, xls and ods")));
    }
    let bytes = match grid::read_bytes(&input.path, &settings.limits) {
        Ok(bytes) => bytes,
        Err(e) => return (read, unreadable(rule_for(&e), e.to_string())),
    };
    read.bytes = bytes.len() as u64;
    read.sha256 = Some(hex(&Sha256::digest(&bytes)));
    let (mut book, format) = match grid::open(&bytes, &settings.limits) {
        Ok(opened) => opened,
        Err(e) => return (read, unreadable(rule_for(&e), e.to_string())),
    };
    read.format = Some(format);
    let mut findings = Vec::new();
    read.workbook = Some(WorkbookReader::new(input, &mut book, settings, &mut findings).read());
    (read, findings)
}

fn rule_for(e: &grid::OpenError) -> Rule {
    match e {
        grid::OpenError::Encrypted => Rule::FileEncrypted,
        grid::OpenError::TooLarge { .. } | grid::OpenError::PartTooLarge { .. } => {
            Rule::FileTooLarge
        }
        _ => Rule::FileUnreadable,
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
