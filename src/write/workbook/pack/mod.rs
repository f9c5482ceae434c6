//! The exec pack: one workbook a finance lead can defend. Totals are live
//! formulas over the Teams sheet with their results cached, every team value
//! links back to the cell it came from, and the Sources sheet reconciles
//! what was read with what the pack shows.
//!
//! Entry points, the shared state and the order sheets are built in live
//! here; each sheet (or family of sheets) is built in the file named after
//! it, on the cell formats and table writer of [`cells`] and [`table`].

mod ambition;
mod cells;
mod checks;
mod funding;
mod hash_links;
mod links;
mod print;
mod registers;
mod resources;
mod sources;
mod summary;
mod table;
mod targets;
mod teams;

use crate::finding::{Finding, Findings};
use crate::model::schema;
use crate::model::Model;
use crate::output::{atomic_write_with, OutputError};
use crate::write::PackInput;
use cells::Formats;
use links::Links;
use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};
use std::collections::BTreeMap;
use std::path::Path;
use table::{polars_err, Cols};
use teams::TeamsLayout;

/// The pack's sheets, in order (`op1 pack --since` adds Changes after
/// Summary; `[targets]` adds Targets after Funding).
pub const SHEETS: [&str; 12] = [
    "Summary",
    "Teams",
    "Resources",
    "Funding",
    "Ambition",
    "Goals",
    "Assumptions",
    "Asks",
    "Risks",
    "Ideas",
    "Checks",
    "Sources",
];

/// Deflate level of the pack: level 2 writes about twice as fast as the
/// default 6 for a file about a fifth larger (1.9 → 2.3 MB at 1,000 teams).
pub const ZIP_LEVEL: u8 = 2;

/// Builds the whole pack in memory: the xlsx file's bytes and the findings
/// about the writing (truncated cells, reconciliation failures), which its
/// Checks sheet lists after `findings`.
///
/// # Errors
/// [`XlsxError`] when the workbook cannot be built.
pub fn build_pack(
    out_dir: &Path,
    input: &PackInput<'_>,
    findings: &Findings,
) -> Result<(Vec<u8>, Vec<Finding>), XlsxError> {
    let mut sheets = build_sheets(out_dir, input)?;
    let writing = std::mem::take(&mut sheets.findings);
    let mut all = findings.clone();
    all.extend(writing.iter().cloned());
    let bytes = sheets.with_checks(all.all())?.save()?;
    Ok((bytes, writing))
}

/// The pack with every sheet but Checks filled: Checks lists every finding
/// of the run, so it is written last, once the charts and the other sheets
/// have added theirs ([`Sheets::with_checks`]).
pub(crate) struct Sheets<'a> {
    workbook: Workbook,
    /// In the pack's order, without Checks (which goes before Sources).
    sheets: Vec<Worksheet>,
    shared: Shared<'a>,
    /// Findings about the writing (truncated cells, reconciliation failures).
    pub findings: Vec<Finding>,
}

impl Sheets<'_> {
    /// Adds the Checks sheet listing `all` findings; the pack is then complete.
    ///
    /// # Errors
    /// [`XlsxError`] when the sheet cannot be built.
    pub(crate) fn with_checks(self, all: &[Finding]) -> Result<BuiltPack, XlsxError> {
        let Sheets {
            mut workbook,
            mut sheets,
            shared,
            ..
        } = self;
        let mut pack = Pack::new(&shared);
        let checks = pack.sheet("Checks", |p, ws| p.checks(ws, all))?;
        let sources = sheets.len() - 1;
        sheets.insert(sources, checks);
        for ws in sheets {
            workbook.push_worksheet(ws);
        }
        workbook.worksheet_from_name("Summary")?.set_active(true);
        let encode_hashes = shared.links.any_hash();
        Ok(BuiltPack {
            workbook,
            encode_hashes,
        })
    }
}

/// The pack with every sheet filled, not yet zipped.
pub(crate) struct BuiltPack {
    workbook: Workbook,
    /// A link to a file whose path holds `#` ([`hash_links`]).
    encode_hashes: bool,
}

impl BuiltPack {
    /// Zips the workbook (one core) into bytes.
    ///
    /// # Errors
    /// [`XlsxError`] when the workbook cannot be assembled.
    pub(crate) fn save(self) -> Result<Vec<u8>, XlsxError> {
        let mut bytes = Vec::new();
        self.save_into(&mut bytes)?;
        Ok(bytes)
    }

    /// Zips the workbook (one core) straight into `path`, atomically.
    ///
    /// # Errors
    /// [`OutputError`] when the workbook cannot be assembled or written.
    pub(crate) fn save_to(self, path: &Path) -> Result<(), OutputError> {
        // The streamed sheets' temporary files are copied into the zip here;
        // rust_xlsxwriter panics on some I/O errors instead of returning them.
        crate::contain::contained(|| {
            atomic_write_with(path, |w| self.save_into(w))
                .map_err(|source| OutputError::xlsx(path, source))
        })
        .unwrap_or_else(|panic| Err(OutputError::panicked(path, &panic)))
    }

    fn save_into(self, out: impl std::io::Write + Send) -> Result<(), XlsxError> {
        let BuiltPack {
            mut workbook,
            encode_hashes,
        } = self;
        if encode_hashes {
            // Rare (a `#` in an input's path): zipped in memory, then rewritten.
            let bytes = hash_links::encode_hashes(workbook.save_to_buffer()?)?;
            let mut out = out;
            out.write_all(&bytes)?;
        } else {
            workbook.save_to_writer(out)?;
        }
        // Freeing a big workbook's cell tables takes a while; let another thread do it.
        rayon::spawn(move || drop(workbook));
        Ok(())
    }
}

/// Fills every sheet of the pack but Checks, on all cores.
///
/// # Errors
/// [`XlsxError`] when a sheet cannot be built.
pub(crate) fn build_sheets<'a>(
    out_dir: &Path,
    input: &PackInput<'a>,
) -> Result<Sheets<'a>, XlsxError> {
    let model = input.model;
    let wide = Cols::new(&model.wide).map_err(polars_err)?;
    let wide_index = (0..model.wide.height()).fold(
        BTreeMap::<String, BTreeMap<String, usize>>::new(),
        |mut index, i| {
            index
                .entry(wide.text(schema::TEAM, i).to_string())
                .or_default()
                .insert(wide.text(schema::METRIC_KEY, i).to_string(), i);
            index
        },
    );
    let shared = Shared {
        wide,
        wide_index,
        input: *input,
        model,
        fmt: Formats::new(),
        links: Links::new(out_dir, input.files),
    };
    let teams = TeamsLayout::new(shared.teams_rows());
    let mut wb = crate::write::workbook::sheet::dated_workbook("OP1 exec pack")?;
    wb.set_zip_compression_level(ZIP_LEVEL);
    // The streamed sheets' temporary files go into the output folder (the
    // system's temp folder may be another, smaller disk); they are unnamed
    // files, gone with the process however it ends.
    wb.set_tempdir(out_dir)?;
    // The sheets that grow with the round stream their rows to a temporary
    // file as they are written ("constant memory"), so the pack's memory does
    // not grow with the number of teams: Teams, Sources and the registers.
    let mut big = Vec::new();
    for _ in 0..6 {
        big.push(wb.new_worksheet_with_constant_memory()?);
    }
    // Constant-memory sheets share the workbook's format table, which numbers
    // formats in the order they are first used. Registering every format up
    // front keeps that order fixed however the threads below interleave; the
    // sheets therefore use only the formats in `Formats`.
    for format in shared.fmt.all() {
        wb.register_format(format);
    }
    let [teams_ws, sources_ws, registers @ ..] = big.as_mut_slice() else {
        unreachable!("six sheets made above")
    };
    // Teams on one core; Sources, the registers and the small sheets on the
    // other. Each task keeps its own findings, merged in a fixed order.
    let (first, (second, third)) = rayon::join(
        || {
            guarded(|| {
                let mut pack = Pack::new(&shared);
                pack.fill(teams_ws, "Teams", |p, ws| p.teams(ws))?;
                Ok(pack.findings)
            })
        },
        || {
            rayon::join(
                || {
                    guarded(|| {
                        let mut pack = Pack::new(&shared);
                        pack.fill(sources_ws, "Sources", |p, ws| p.sources(ws, &teams))?;
                        pack.registers(registers)?;
                        Ok(pack.findings)
                    })
                },
                || {
                    guarded(|| {
                        let mut pack = Pack::new(&shared);
                        let mut sheets =
                            vec![pack.sheet("Summary", |p, ws| p.summary(ws, &teams))?];
                        if let Some(changes) = shared.input.since {
                            let mut ws = crate::write::workbook::changes::changes_sheet(changes)?;
                            pack.page_setup(&mut ws, "Changes")?;
                            sheets.push(ws);
                        }
                        sheets.extend([
                            pack.sheet("Resources", Pack::resources)?,
                            pack.sheet("Funding", Pack::funding)?,
                        ]);
                        if shared.model.targets.height() > 0 {
                            sheets.push(pack.sheet("Targets", Pack::targets)?);
                        }
                        sheets.extend([
                            pack.sheet("Ambition", Pack::ambition)?,
                            pack.sheet("Goals", Pack::goals)?,
                        ]);
                        Ok((sheets, pack.findings))
                    })
                },
            )
        },
    );
    let mut findings = first?;
    findings.extend(second?);
    let (sheets, more_findings) = third?;
    findings.extend(more_findings);
    findings.extend(shared.reconcile());
    // Checks needs only the formats: free the wide table's copy now, not
    // after the charts drawn alongside have finished.
    let mut shared = shared;
    shared.wide = Cols::default();
    shared.wide_index.clear();

    // In SHEETS order: Summary, (Changes, with --since), Teams, Resources …
    // Goals, the registers, (Checks, added last), Sources.
    let mut big = big.into_iter();
    let (teams_ws, sources_ws) = (big.next(), big.next());
    let mut ordered: Vec<Worksheet> = sheets;
    let after = 1 + usize::from(input.since.is_some());
    ordered.splice(after..after, teams_ws);
    ordered.extend(big);
    ordered.extend(sources_ws);
    Ok(Sheets {
        workbook: wb,
        sheets: ordered,
        shared,
        findings,
    })
}

/// Runs one sheet-filling task on its core, a panic in the sheet writer (it
/// panics when a streamed sheet's temporary file cannot be written: a full
/// disk) becoming the I/O error it stands for.
fn guarded<T>(task: impl FnOnce() -> Result<T, XlsxError>) -> Result<T, XlsxError> {
    crate::contain::contained(task)
        .unwrap_or_else(|panic| Err(XlsxError::IoError(crate::output::panic_as_io(&panic))))
}

/// What every sheet reads: the round, the model and the formats.
struct Shared<'a> {
    /// The model's team × metric table, read once, and its rows by team and metric key.
    wide: Cols,
    wide_index: BTreeMap<String, BTreeMap<String, usize>>,
    input: PackInput<'a>,
    model: &'a Model,
    fmt: Formats,
    links: Links,
}

impl<'a> Shared<'a> {
    /// The team × metric row of the model for a metric named as read.
    fn wide_row(&self, team: &str, metric: &str) -> Option<usize> {
        let key = crate::names::normalise(metric);
        self.wide_index.get(team)?.get(&key).copied()
    }
}

/// Builds sheets from the shared inputs, collecting findings about the writing.
struct Pack<'s, 'a> {
    shared: &'s Shared<'a>,
    findings: Vec<Finding>,
}

impl<'s, 'a> Pack<'s, 'a> {
    fn new(shared: &'s Shared<'a>) -> Self {
        Pack {
            shared,
            findings: Vec::new(),
        }
    }

    /// A new worksheet called `name`, filled by `fill`.
    fn sheet<T>(
        &mut self,
        name: &str,
        fill: impl FnOnce(&mut Self, &mut Worksheet) -> Result<T, XlsxError>,
    ) -> Result<Worksheet, XlsxError> {
        let mut ws = Worksheet::new();
        self.fill(&mut ws, name, fill)?;
        Ok(ws)
    }

    /// Names `ws` and fills it with `fill`.
    fn fill<T>(
        &mut self,
        ws: &mut Worksheet,
        name: &str,
        fill: impl FnOnce(&mut Self, &mut Worksheet) -> Result<T, XlsxError>,
    ) -> Result<(), XlsxError> {
        ws.set_name(name)?;
        self.page_setup(ws, name)?;
        fill(self, ws)?;
        Ok(())
    }
}
