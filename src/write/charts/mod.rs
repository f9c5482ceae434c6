//! Charts of the scenario comparisons as PNG and SVG, drawn with plotters.
//!
//! Every chart is drawn once per backend from the same data and the same
//! layout code, so the PNG (1600×900) and its SVG twin show the same thing.
//! The notation follows IBCS: last year solid dark grey, Baseline light grey,
//! Flat outlined, Investment hatched, Funded solid dark — the same in every
//! chart — with favourable variances green and unfavourable ones red.
//!
//! Charts that list teams show the largest few and fold the rest into
//! "Others", so their layout and cost do not depend on the number of teams.
//! Text is set in DejaVu Sans, compiled into the binary (no dependency on
//! the fonts of the machine); the SVG names the family with fallbacks.
//!
//! Nothing here panics on bad data: a chart that cannot be drawn becomes a
//! `chart-failed` finding and the others are still written.
//!
//! One file per chart, each holding that chart's data, its extraction from
//! the model and its drawing: `tracks`, `bridge`, `funding`, `ambition`,
//! `resources`, `changes` (the `changes-bridge` of `op1 diff` and `pack
//! --since`), `checkpoint` (the checkpoint's charts); `data` reads the
//! model for them. They sit on the drawing kit, [`kit`], which knows no
//! chart: the notation, the font, value labels, axes, drawing primitives,
//! the waterfall and why drawing failed.

mod ambition;
mod bridge;
mod changes;
mod checkpoint;
mod data;
mod funding;
mod kit;
mod resources;
mod tracks;

pub use kit::error::ChartError;
pub use kit::style::{HEIGHT, WIDTH};

use crate::diff::Changes;
use crate::finding::{Finding, Rule};
use crate::model::schema;
use crate::model::Model;
use crate::output::atomic_write;
use crate::outputs::{chart, CHARTS_DIR, CHARTS_RECORD};
use ambition::{ambition_data, draw_ambition, AmbitionData};
use bridge::{bridge_data, bridge_metric, draw_bridge, BridgeData, Unplanned};
use changes::{changes_bridge_data, draw_changes_bridge, ChangesBridgeData};
use checkpoint::{
    decisions_data, draw_decisions, draw_quarters, draw_status, quarters_data, status_data,
    DecisionsData, QuartersData, StatusData,
};
use data::{metric_infos, slug};
use funding::{draw_funding, funding_data, FundingData};
use kit::canvas::{Ctx, Drawn};
use kit::font::fonts;
use kit::style::PAPER;
use plotters::prelude::*;
use resources::{draw_resources, resources_data, ResourcesData};
use std::path::Path;
use tracks::{draw_tracks, tracks_data, TracksData};

/// What drawing the charts produced.
#[derive(Debug, Default)]
pub struct ChartOutcome {
    /// Files written, relative to the output folder (`charts/bridge.png`, …).
    pub written: Vec<String>,
    /// A `chart-failed` finding for each chart that could not be drawn.
    pub findings: Vec<Finding>,
    /// The first chart file that could not be written (a full disk, a
    /// folder that is not writable): a failure of the run, not of a chart.
    pub write_error: Option<crate::output::OutputError>,
}

impl ChartOutcome {
    /// The files written and the findings of the charts that could not be
    /// drawn; or the write error that fails the run.
    ///
    /// # Errors
    /// [`crate::output::OutputError`]: a chart file could not be written.
    pub fn into_result(self) -> Result<(Vec<String>, Vec<Finding>), crate::output::OutputError> {
        match self.write_error {
            Some(e) => Err(e),
            None => Ok((self.written, self.findings)),
        }
    }
}

/// Draws every chart into `out/charts/`.
///
/// Each chart is written as `charts/<name>.png` and `charts/<name>.svg`;
/// `written` lists them in a fixed order: the per-metric track charts in
/// metric order, then `bridge`, `funding-curve`, `ambition-gap` and
/// `resources`. A chart whose inputs are absent (no objective, no resources)
/// is left out silently; one that fails is reported as a finding. With
/// `since` (`op1 pack --since`), `changes-bridge` comes last.
pub fn write_charts(out: &Path, model: &Model, since: Option<&Changes>) -> ChartOutcome {
    let (mut charts, mut findings) = plan_charts(model);
    findings.extend(undrawable_names(model));
    if let Some(c) = since {
        charts.extend(changes_chart(c));
    }
    write_all(out, &charts, findings)
}

/// Draws `changes-bridge` into `out/charts/` (`op1 diff --out`): the
/// objective's Funded total from OLD to NEW, team by team; nothing when the
/// versions do not fund the same objective.
pub fn write_changes_charts(out: &Path, c: &Changes) -> ChartOutcome {
    let charts: Vec<Chart> = changes_chart(c).into_iter().collect();
    write_all(out, &charts, Vec::new())
}

fn changes_chart(c: &Changes) -> Option<Chart> {
    changes_bridge_data(c).map(|d| Chart {
        name: chart::CHANGES_BRIDGE.into(),
        kind: ChartData::ChangesBridge(d),
    })
}

/// Writes `charts` into `out/charts/` (after removing the charts an earlier
/// run recorded there), each on its own core, records what was written, and
/// returns that with `findings` and a finding for each chart that failed.
fn write_all(out: &Path, charts: &[Chart], findings: Vec<Finding>) -> ChartOutcome {
    let mut outcome = ChartOutcome {
        findings,
        ..ChartOutcome::default()
    };
    let dir = out.join(CHARTS_DIR);
    if let Err(source) = std::fs::create_dir_all(&dir) {
        let error = ChartError::Folder { path: dir, source };
        outcome.findings.push(failed("charts", &error));
        return outcome;
    }
    remove_old_charts(out);
    // Charts are independent: draw and encode them on every core, the charts
    // of each rayon job one after another into one bitmap (4.3 MB: made
    // afresh for every chart, its clearing was 15% of a 1,000-team run's
    // page faults).
    use rayon::prelude::*;
    let results: Vec<Result<(), ChartError>> = charts
        .par_iter()
        .map_init(new_bitmap, |bitmap, chart| {
            guarded(|| write_one(&dir, chart, bitmap))
        })
        .collect();
    for (chart, result) in charts.iter().zip(results) {
        match result {
            Ok(()) => {
                outcome.written.push(format!("charts/{}.png", chart.name));
                outcome.written.push(format!("charts/{}.svg", chart.name));
            }
            Err(ChartError::Write(e)) => {
                outcome.write_error.get_or_insert(e);
            }
            Err(e) => outcome.findings.push(failed(&chart.name, &e)),
        }
    }
    // After a failed write the run stops: no record of a half-drawn set.
    if outcome.write_error.is_some() {
        return outcome;
    }
    match write_record(&dir, &outcome.written) {
        Err(ChartError::Write(e)) => {
            outcome.write_error.get_or_insert(e);
        }
        Err(e) => outcome.findings.push(failed("charts", &e)),
        Ok(()) => {}
    }
    outcome
}

/// Draws the checkpoint's charts into `out/charts/`: `<metric>-quarters` for
/// each metric that adds up, `status` and `decisions`; as [`write_charts`]
/// does, with the same record of what was written.
pub fn write_checkpoint_charts(
    out: &Path,
    cp: &crate::checkpoint::Checkpoint,
    reporting: &str,
) -> ChartOutcome {
    let (mut charts, mut findings) = (Vec::new(), Vec::new());
    match quarters_data(cp, reporting) {
        Ok(data) => charts.extend(data.into_iter().map(|d| Chart {
            name: d.stem.clone(),
            kind: ChartData::Quarters(d),
        })),
        Err(e) => findings.push(failed("quarters", &ChartError::from(e))),
    }
    match status_data(cp) {
        Ok(d) => charts.push(Chart {
            name: chart::STATUS.into(),
            kind: ChartData::Status(d),
        }),
        Err(e) => findings.push(failed(chart::STATUS, &ChartError::from(e))),
    }
    if let Some(d) = decisions_data(cp, reporting) {
        charts.push(Chart {
            name: chart::DECISIONS.into(),
            kind: ChartData::Decisions(d),
        });
    }
    write_all(out, &charts, findings)
}

/// Removes the charts an earlier run wrote into `out/charts/` (as its record
/// lists them), so that no chart is left that does not match this run's
/// pack. Files op1 did not write — a user's own notes or charts — are kept;
/// without a record nothing is removed.
pub fn remove_old_charts(out: &Path) {
    let dir = out.join(CHARTS_DIR);
    let Ok(record) = std::fs::read_to_string(dir.join(CHARTS_RECORD)) else {
        return;
    };
    for name in record.lines().filter(|name| is_chart_file_name(name)) {
        let _ = std::fs::remove_file(dir.join(name));
    }
    let _ = std::fs::remove_file(dir.join(CHARTS_RECORD));
}

/// A name the record may list: a PNG or SVG directly in the charts folder
/// (a damaged or hand-edited record never reaches outside it).
fn is_chart_file_name(name: &str) -> bool {
    let path = Path::new(name);
    path.components().count() == 1
        && !name.starts_with('.')
        && matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("png" | "svg")
        )
}

/// Writes the record of the chart files in `written` (`charts/<name>`).
fn write_record(dir: &Path, written: &[String]) -> Result<(), ChartError> {
    let mut record = String::new();
    for name in written {
        record.push_str(name.strip_prefix("charts/").unwrap_or(name));
        record.push('\n');
    }
    Ok(atomic_write(&dir.join(CHARTS_RECORD), record.as_bytes())?)
}

/// Every chart rendered into a 1600×900 RGB buffer (3 bytes a pixel), named
/// by its PNG path (`charts/bridge.png`): what `write_charts` encodes, for
/// previews and tests. Charts that fail are returned as findings.
pub fn render_rgb(model: &Model) -> (Vec<(String, Vec<u8>)>, Vec<Finding>) {
    let (charts, mut findings) = plan_charts(model);
    let mut images = Vec::new();
    for chart in &charts {
        match guarded(|| rgb(chart)) {
            Ok(buf) => images.push((format!("charts/{}.png", chart.name), buf)),
            Err(e) => findings.push(failed(&chart.name, &e)),
        }
    }
    (images, findings)
}

/// `chart-font`: the team, org and metric names that no font — the embedded
/// one or one installed on this machine — can draw, and what to install.
fn undrawable_names(model: &Model) -> Option<Finding> {
    let mut names: Vec<String> = Vec::new();
    for column in [schema::TEAM, schema::ORG, schema::METRIC_NAME, schema::UNIT] {
        if let Ok(values) = crate::model::strings(&model.wide, column) {
            for v in values {
                if !names.contains(&v) {
                    names.push(v);
                }
            }
        }
    }
    let missing = kit::font::undrawable(names.iter().map(String::as_str));
    if missing.is_empty() {
        return None;
    }
    Some(Finding::new(
        Rule::ChartFont,
        format!(
            "the charts cannot draw {} (no installed font has their characters; they are left out of the PNGs): install {}",
            crate::text::quoted(&missing),
            kit::font::FONT_TO_INSTALL
        ),
    ))
}

fn failed(name: &str, error: &dyn std::fmt::Display) -> Finding {
    Finding::new(
        Rule::ChartFailed,
        format!("chart {name} was not drawn: {error}"),
    )
}

/// Runs `f`, turning a panic inside plotters into an error.
fn guarded<T>(f: impl FnOnce() -> Result<T, ChartError>) -> Result<T, ChartError> {
    crate::contain::contained(f).unwrap_or_else(|p| {
        Err(ChartError::Panicked {
            message: p.to_string(),
        })
    })
}

/// Writes `<name>.png` and `<name>.svg` into `dir`, each atomically.
fn write_one(dir: &Path, chart: &Chart, bitmap: &mut [u8]) -> Result<(), ChartError> {
    fonts()?;
    let svg = svg(chart)?;
    let png_path = dir.join(format!("{}.png", chart.name));
    let png = png(&png_path, chart, bitmap)?;
    atomic_write(&png_path, &png)?;
    atomic_write(&dir.join(format!("{}.svg", chart.name)), svg.as_bytes())?;
    Ok(())
}

/// The chart encoded as a PNG, in memory (the same encoder and settings
/// plotters uses when it saves a bitmap to a file).
fn png(png_path: &Path, chart: &Chart, bitmap: &mut [u8]) -> Result<Vec<u8>, ChartError> {
    use image::ImageEncoder;
    draw_rgb(chart, bitmap)?;
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(bitmap, WIDTH, HEIGHT, image::ColorType::Rgb8)
        .map_err(|e| ChartError::Encode {
            path: png_path.to_path_buf(),
            message: e.to_string(),
        })?;
    Ok(png)
}

fn svg(chart: &Chart) -> Result<String, ChartError> {
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, (WIDTH, HEIGHT)).into_drawing_area();
        draw(&Ctx::new(&root, true), chart)?;
        root.present()?;
    }
    Ok(text)
}

fn rgb(chart: &Chart) -> Result<Vec<u8>, ChartError> {
    let mut bitmap = new_bitmap();
    draw_rgb(chart, &mut bitmap)?;
    Ok(bitmap)
}

/// A black 1600×900 RGB bitmap (3 bytes a pixel).
fn new_bitmap() -> Vec<u8> {
    vec![0u8; (WIDTH * HEIGHT * 3) as usize]
}

/// Draws `chart` into `bitmap` (of [`new_bitmap`]'s size), whatever it held
/// before: [`draw`] paints every pixel with the paper colour first.
fn draw_rgb(chart: &Chart, bitmap: &mut [u8]) -> Result<(), ChartError> {
    fonts()?;
    let root = BitMapBackend::with_buffer(bitmap, (WIDTH, HEIGHT)).into_drawing_area();
    draw(&Ctx::new(&root, false), chart)?;
    root.present()?;
    Ok(())
}

/// One chart: its file stem and what it shows.
struct Chart {
    name: String,
    kind: ChartData,
}

enum ChartData {
    Tracks(TracksData),
    Bridge(BridgeData),
    Funding(FundingData),
    Ambition(AmbitionData),
    Resources(ResourcesData),
    Quarters(QuartersData),
    Status(StatusData),
    Decisions(DecisionsData),
    ChangesBridge(ChangesBridgeData),
}

/// Metrics that get their own `<metric>-tracks` chart: the first, in the
/// round's metric order (the dictionary's, else the most reported).
pub const MAX_TRACK_CHARTS: usize = 40;

/// Decides which charts to draw and extracts their data.
fn plan_charts(model: &Model) -> (Vec<Chart>, Vec<Finding>) {
    let mut charts = Vec::new();
    let mut findings = Vec::new();
    let metrics = match guarded(|| Ok(metric_infos(model)?)) {
        Ok(m) => m,
        Err(e) => {
            findings.push(failed("tracks", &e));
            Vec::new()
        }
    };
    // Two metrics whose names make the same stem get distinct files.
    let mut stems = crate::names::Stems::default();
    // A chart per metric for the first few in the round's order: a reader
    // looks at dozens, not thousands (a team of 5,000 metrics took 58 s).
    for metric in metrics
        .iter()
        .filter(|m| !m.conflict)
        .take(MAX_TRACK_CHARTS)
    {
        let name = format!(
            "{}{}",
            stems.unique(&slug(&metric.name)),
            chart::TRACKS_SUFFIX
        );
        let data = guarded(|| Ok(tracks_data(model, metric)?.map(ChartData::Tracks)));
        add(&mut charts, &mut findings, name, data);
    }
    if let Some(objective) = &model.params.objective {
        let objective_metric = metrics.iter().find(|m| m.key == objective.key);
        // A bridge the objective cannot make is said, like a chart that failed.
        match bridge_metric(objective, objective_metric) {
            Ok(m) => match guarded(|| Ok(bridge_data(model, m)?)) {
                Ok(None) => findings.push(failed(
                    chart::BRIDGE,
                    &Unplanned::NoRoundTotal {
                        metric: m.name.clone(),
                    },
                )),
                data => add(
                    &mut charts,
                    &mut findings,
                    chart::BRIDGE.into(),
                    data.map(|d| d.map(ChartData::Bridge)),
                ),
            },
            Err(why) => findings.push(failed(chart::BRIDGE, &why)),
        }
        if let Some(m) = objective_metric {
            let data = guarded(|| Ok(Some(ChartData::Funding(funding_data(model, m)?))));
            add(
                &mut charts,
                &mut findings,
                chart::FUNDING_CURVE.into(),
                data,
            );
        }
    }
    let data = guarded(|| Ok(ambition_data(model)?.map(ChartData::Ambition)));
    add(&mut charts, &mut findings, chart::AMBITION_GAP.into(), data);
    let data = guarded(|| Ok(resources_data(model)?.map(ChartData::Resources)));
    add(&mut charts, &mut findings, chart::RESOURCES.into(), data);
    (charts, findings)
}

/// Plans a chart whose data was extracted; nothing to draw is no chart, and
/// a failure is a `chart-failed` finding.
fn add(
    charts: &mut Vec<Chart>,
    findings: &mut Vec<Finding>,
    name: String,
    data: Result<Option<ChartData>, ChartError>,
) {
    match data {
        Ok(Some(kind)) => charts.push(Chart { name, kind }),
        Ok(None) => {}
        Err(e) => findings.push(failed(&name, &e)),
    }
}

fn draw<DB: DrawingBackend>(c: &Ctx<DB>, chart: &Chart) -> Drawn {
    c.area.fill(&PAPER)?;
    match &chart.kind {
        ChartData::Tracks(d) => draw_tracks(c, d),
        ChartData::Bridge(d) => draw_bridge(c, d),
        ChartData::Funding(d) => draw_funding(c, d),
        ChartData::Ambition(d) => draw_ambition(c, d),
        ChartData::Resources(d) => draw_resources(c, d),
        ChartData::Quarters(d) => draw_quarters(c, d),
        ChartData::Status(d) => draw_status(c, d),
        ChartData::Decisions(d) => draw_decisions(c, d),
        ChartData::ChangesBridge(d) => draw_changes_bridge(c, d),
    }
}
