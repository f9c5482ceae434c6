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

use crate::finding::{Finding, Rule};
use crate::model::{self, Model};
use crate::plan::Track;
use crate::read::parse::normalise;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{register_font, FontDesc, FontFamily, FontStyle};
use polars::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::OnceLock;

/// Width of every chart, pixels.
pub const WIDTH: u32 = 1600;
/// Height of every chart, pixels.
pub const HEIGHT: u32 = 900;
/// Teams (or orgs) shown by name before the rest are folded into "Others".
const TOP_N: usize = 12;
/// Top-level orgs shown by name in the resources chart.
const TOP_ORGS: usize = 8;
/// Funding cases drawn as points; beyond this the curve shows funded runs.
const DENSE_CASES: usize = 60;

/// The family name registered with plotters and written into the SVG: the
/// embedded DejaVu Sans first, then common fallbacks for SVG viewers.
const FAMILY: &str = "DejaVu Sans, Verdana, Arial, sans-serif";
static FONT_REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static FONT_BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// DejaVu Sans: units per em / (ascender − descender) = 2048 / (1901 + 483).
/// ab_glyph scales a font so that `size` is ascender − descender, while the
/// SVG backend writes `font-size = size / 1.24`; these constants make one em
/// the same in both.
const EM_PER_SIZE: f64 = 2048.0 / 2384.0;
/// Cap height of DejaVu Sans in ems.
const CAP_EM: f64 = 1493.0 / 2048.0;

// IBCS colours.
const INK: RGBColor = RGBColor(0x1e, 0x1e, 0x1e);
const LY_GREY: RGBColor = RGBColor(0x6b, 0x6b, 0x6b);
const BASE_GREY: RGBColor = RGBColor(0xc4, 0xc4, 0xc4);
const GOOD: RGBColor = RGBColor(0x2e, 0x7d, 0x32);
const BAD: RGBColor = RGBColor(0xc6, 0x28, 0x28);
const MUTED: RGBColor = RGBColor(0x55, 0x55, 0x55);
const FAINT: RGBColor = RGBColor(0x8a, 0x8a, 0x8a);
const GRID: RGBColor = RGBColor(0xe4, 0xe4, 0xe4);
const AXIS: RGBColor = RGBColor(0x9a, 0x9a, 0x9a);
const SHADE: RGBColor = RGBColor(0xf3, 0xf3, 0xf3);
const PAPER: RGBColor = RGBColor(0xff, 0xff, 0xff);

// Type sizes (plotters sizes; one em is `EM_PER_SIZE` of it). Even, so that
// ab_glyph's half-size baseline falls on a whole pixel.
const TITLE: f64 = 38.0;
const SUBTITLE: f64 = 22.0;
const HEADING: f64 = 22.0;
const LABEL: f64 = 20.0;
const SMALL: f64 = 18.0;
const FOOT: f64 = 16.0;

// The page.
const LEFT: f64 = 48.0;
const RIGHT: f64 = WIDTH as f64 - 48.0;
const BODY_TOP: f64 = 168.0;
const BODY_BOTTOM: f64 = HEIGHT as f64 - 58.0;

/// What drawing the charts produced.
#[derive(Debug, Default)]
pub struct ChartOutcome {
    /// Files written, relative to the output folder (`charts/bridge.png`, …).
    pub written: Vec<String>,
    /// A `chart-failed` finding for each chart that could not be drawn.
    pub findings: Vec<Finding>,
}

/// Draws every chart into `out/charts/`.
///
/// Each chart is written as `charts/<name>.png` and `charts/<name>.svg`;
/// `written` lists them in a fixed order: the per-metric track charts in
/// metric order, then `bridge`, `funding-curve`, `ambition-gap` and
/// `resources`. A chart whose inputs are absent (no objective, no resources)
/// is left out silently; one that fails is reported as a finding.
pub fn write_charts(out: &Path, model: &Model) -> ChartOutcome {
    let mut outcome = ChartOutcome::default();
    let dir = out.join("charts");
    if let Err(e) = std::fs::create_dir_all(&dir) {
        outcome.findings.push(failed(
            "charts",
            format!("cannot create {}: {e}", dir.display()),
        ));
        return outcome;
    }
    remove_old_charts(out);
    let (charts, findings) = plan_charts(model);
    outcome.findings.extend(findings);
    // Charts are independent: draw and encode them on every core.
    use rayon::prelude::*;
    let results: Vec<Result<(), String>> = charts
        .par_iter()
        .map(|chart| guarded(|| write_one(&dir, chart)))
        .collect();
    for (chart, result) in charts.iter().zip(results) {
        match result {
            Ok(()) => {
                outcome.written.push(format!("charts/{}.png", chart.name));
                outcome.written.push(format!("charts/{}.svg", chart.name));
            }
            Err(e) => outcome.findings.push(failed(&chart.name, e)),
        }
    }
    outcome
}

/// Removes the PNG and SVG files of an earlier run from `out/charts/`, so
/// that no chart is left that does not match this run's pack.
pub fn remove_old_charts(out: &Path) {
    let Ok(entries) = std::fs::read_dir(out.join("charts")) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("png" | "svg")
        ) {
            let _ = std::fs::remove_file(&path);
        }
    }
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
            Err(e) => findings.push(failed(&chart.name, e)),
        }
    }
    (images, findings)
}

fn failed(name: &str, message: impl std::fmt::Display) -> Finding {
    Finding::new(
        Rule::ChartFailed,
        format!("chart {name} was not drawn: {message}"),
    )
}

/// Runs `f`, turning a panic inside plotters into an error.
fn guarded<T>(f: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|p| {
        let what = p
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        Err(format!("internal error while drawing: {what}"))
    })
}

/// Registers the embedded fonts with plotters, once.
fn fonts() -> Result<(), String> {
    static DONE: OnceLock<Result<(), String>> = OnceLock::new();
    DONE.get_or_init(|| {
        register_font(FAMILY, FontStyle::Normal, FONT_REGULAR)
            .map_err(|_| "the embedded regular font is invalid".to_string())?;
        register_font(FAMILY, FontStyle::Bold, FONT_BOLD)
            .map_err(|_| "the embedded bold font is invalid".to_string())
    })
    .clone()
}

fn write_one(dir: &Path, chart: &Chart) -> Result<(), String> {
    fonts()?;
    let svg = svg(chart)?;
    let png_path = dir.join(format!("{}.png", chart.name));
    let tmp = tempfile::Builder::new()
        .prefix(".op1-")
        .suffix(".png")
        .tempfile_in(dir)
        .map_err(|e| format!("cannot create a temporary file in {}: {e}", dir.display()))?;
    {
        let root = BitMapBackend::new(tmp.path(), (WIDTH, HEIGHT)).into_drawing_area();
        draw(&Ctx::new(&root, false), chart)?;
        root.present()
            .map_err(|e| format!("cannot write {}: {e}", png_path.display()))?;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Temporary files are private; charts are for sharing.
        let _ = tmp
            .as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644));
    }
    tmp.persist(&png_path)
        .map_err(|e| format!("cannot write {}: {}", png_path.display(), e.error))?;
    let svg_path = dir.join(format!("{}.svg", chart.name));
    super::atomic_write(&svg_path, svg.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", svg_path.display()))
}

fn svg(chart: &Chart) -> Result<String, String> {
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, (WIDTH, HEIGHT)).into_drawing_area();
        draw(&Ctx::new(&root, true), chart)?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(text)
}

fn rgb(chart: &Chart) -> Result<Vec<u8>, String> {
    fonts()?;
    let mut buf = vec![0u8; (WIDTH * HEIGHT * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut buf, (WIDTH, HEIGHT)).into_drawing_area();
        draw(&Ctx::new(&root, false), chart)?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(buf)
}

// ---------------------------------------------------------------------------
// The charts' data, extracted from the model.
// ---------------------------------------------------------------------------

/// One chart: its file stem and what it shows.
struct Chart {
    name: String,
    kind: Kind,
}

enum Kind {
    Tracks(TracksData),
    Bridge(BridgeData),
    Funding(FundingData),
    Ambition(AmbitionData),
    Resources(ResourcesData),
}

/// How a metric's values are written.
#[derive(Clone, Debug, PartialEq)]
enum Units {
    /// Money in the reporting currency (its code).
    Money(String),
    /// A ratio, shown as a percentage.
    Ratio,
    /// Counts or anything else (the unit as the teams write it).
    Count(String),
    /// A growth multiple (1.2×).
    Multiple,
}

impl Units {
    /// The unit as a title shows it: `USD`, `%`, `customers`.
    fn label(&self) -> String {
        match self {
            Units::Money(c) => c.clone(),
            Units::Ratio => "%".to_string(),
            Units::Count(u) => u.clone(),
            Units::Multiple => "×".to_string(),
        }
    }
}

#[derive(Clone, Debug)]
struct MetricInfo {
    key: String,
    name: String,
    units: Units,
    lower_is_better: bool,
    rollup: String,
    teams: usize,
    /// Teams disagree on unit kind, direction or roll-up.
    conflict: bool,
}

/// A labelled row of up to three values (one per track shown).
#[derive(Clone, Debug)]
struct Row {
    label: String,
    values: Vec<Option<f64>>,
    /// "Others" and totals are set apart.
    muted: bool,
}

struct TracksData {
    metric: MetricInfo,
    /// Round total (or mean) per track; empty when the metric does not roll up.
    totals: Vec<(Track, f64)>,
    rows: Vec<Row>,
    shown: usize,
    folded: usize,
}

struct BridgeData {
    metric: MetricInfo,
    ly: f64,
    flat: f64,
    investment: f64,
    funded: f64,
}

struct Case {
    team: String,
    budget: f64,
    uplift: f64,
    funded: bool,
}

struct FundingData {
    objective: MetricInfo,
    currency: String,
    cases: Vec<Case>,
    envelope: Option<f64>,
    /// Teams that are no funding case (no incremental budget or no uplift figure).
    not_cases: usize,
}

struct AmbitionData {
    metric: String,
    /// Σ Investment / Σ LY Actual over the teams shown and not shown.
    all: Option<f64>,
    rows: Vec<(String, f64)>,
    needed: f64,
    teams: usize,
    /// Teams without a positive LY Actual (no multiple).
    no_multiple: usize,
    reaching: usize,
}

struct ResourcePanel {
    title: String,
    units: Units,
    total: Vec<Option<f64>>,
    orgs: Vec<Row>,
}

struct ResourcesData {
    panels: Vec<ResourcePanel>,
    teams: usize,
}

/// Decides which charts to draw and extracts their data.
fn plan_charts(model: &Model) -> (Vec<Chart>, Vec<Finding>) {
    let mut charts = Vec::new();
    let mut findings = Vec::new();
    let metrics = match guarded(|| metric_infos(model).map_err(|e| e.to_string())) {
        Ok(m) => m,
        Err(e) => {
            findings.push(failed("tracks", format!("cannot read the model: {e}")));
            Vec::new()
        }
    };
    let mut used = BTreeSet::new();
    for metric in metrics.iter().filter(|m| !m.conflict) {
        let mut name = format!("{}-tracks", slug(&metric.name));
        if !used.insert(name.clone()) {
            let mut i = 2;
            while !used.insert(format!("{}-{i}-tracks", slug(&metric.name))) {
                i += 1;
            }
            name = format!("{}-{i}-tracks", slug(&metric.name));
        }
        let data = guarded(|| {
            tracks_data(model, metric)
                .map(|d| d.map(Kind::Tracks))
                .map_err(|e| e.to_string())
        });
        add(&mut charts, &mut findings, name, data);
    }
    let objective = model.params.objective.as_deref().map(normalise);
    let objective_metric = objective
        .as_ref()
        .and_then(|k| metrics.iter().find(|m| &m.key == k));
    if let Some(key) = &objective {
        match objective_metric {
            Some(m) if !m.conflict && m.rollup != "none" => {
                match guarded(|| bridge_data(model, m).map_err(|e| e.to_string())) {
                    Ok(Some(d)) => charts.push(Chart {
                        name: "bridge".into(),
                        kind: Kind::Bridge(d),
                    }),
                    Ok(None) => findings.push(failed(
                        "bridge",
                        format!(
                            "the objective metric \"{}\" has no round total for LY Actual, Flat, Investment and Funded",
                            m.name
                        ),
                    )),
                    Err(e) => findings.push(failed("bridge", e)),
                }
            }
            Some(m) => findings.push(failed(
                "bridge",
                format!(
                    "the objective metric \"{}\" is not rolled up (its roll-up is \"none\" or teams disagree on it), so it has no round total",
                    m.name
                ),
            )),
            None => findings.push(failed(
                "bridge",
                format!(
                    "no team reports the objective metric \"{}\"",
                    model.params.objective.as_deref().unwrap_or(key)
                ),
            )),
        }
        if let Some(m) = objective_metric {
            let data = guarded(|| {
                funding_data(model, m)
                    .map(|d| Some(Kind::Funding(d)))
                    .map_err(|e| e.to_string())
            });
            add(&mut charts, &mut findings, "funding-curve".into(), data);
        }
    }
    let data = guarded(|| {
        ambition_data(model)
            .map(|d| d.map(Kind::Ambition))
            .map_err(|e| e.to_string())
    });
    add(&mut charts, &mut findings, "ambition-gap".into(), data);
    let data = guarded(|| {
        resources_data(model)
            .map(|d| d.map(Kind::Resources))
            .map_err(|e| e.to_string())
    });
    add(&mut charts, &mut findings, "resources".into(), data);
    (charts, findings)
}

/// Plans a chart whose data was extracted; nothing to draw is no chart, and
/// a failure is a `chart-failed` finding.
fn add(
    charts: &mut Vec<Chart>,
    findings: &mut Vec<Finding>,
    name: String,
    data: Result<Option<Kind>, String>,
) {
    match data {
        Ok(Some(kind)) => charts.push(Chart { name, kind }),
        Ok(None) => {}
        Err(e) => findings.push(failed(&name, e)),
    }
}

/// A file-name stem: lower case, anything but `a-z0-9` a single `-`, trimmed.
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.to_lowercase().chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-').to_string();
    if out.is_empty() {
        "metric".to_string()
    } else {
        out
    }
}

/// Text safe to draw: no control characters, trimmed.
fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
}

fn text_col(df: &DataFrame, name: &str) -> PolarsResult<Vec<String>> {
    model::strings(df, name)
}

fn num_col(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<f64>>> {
    Ok(model::floats(df, name)?
        .into_iter()
        .map(|v| v.filter(|x| x.is_finite()))
        .collect())
}

/// Every metric in the long table, in the round's metric order.
fn metric_infos(model: &Model) -> PolarsResult<Vec<MetricInfo>> {
    let df = model
        .long
        .clone()
        .lazy()
        .group_by_stable([col("metric_key")])
        .agg([
            col("metric").first(),
            col("unit").first(),
            col("unit_kind").first(),
            col("better").first(),
            col("rollup").first(),
            col("team")
                .n_unique()
                .cast(DataType::Float64)
                .alias("teams"),
            (col("unit_kind").n_unique() + col("better").n_unique() + col("rollup").n_unique())
                .cast(DataType::Float64)
                .alias("kinds"),
        ])
        .collect()?;
    let keys = text_col(&df, "metric_key")?;
    let names = text_col(&df, "metric")?;
    let units = text_col(&df, "unit")?;
    let kinds = text_col(&df, "unit_kind")?;
    let better = text_col(&df, "better")?;
    let rollup = text_col(&df, "rollup")?;
    let teams = num_col(&df, "teams")?;
    let distinct = num_col(&df, "kinds")?;
    // The roll-up lists metrics in the teams' order; metrics it leaves out follow.
    let rolled = text_col(&model.rollup, "metric")?;
    let order: Vec<String> = rolled.iter().map(|m| normalise(m)).collect();
    let mut infos: Vec<(usize, MetricInfo)> = (0..keys.len())
        .map(|i| {
            let units = match kinds[i].as_str() {
                "money" => Units::Money(model.reporting_currency.clone()),
                "ratio" => Units::Ratio,
                _ => Units::Count(clean(&units[i])),
            };
            let rank = order
                .iter()
                .position(|k| k == &keys[i])
                .unwrap_or(order.len() + i);
            (
                rank,
                MetricInfo {
                    key: keys[i].clone(),
                    name: clean(&names[i]),
                    units,
                    lower_is_better: better[i] == "lower",
                    rollup: rollup[i].clone(),
                    teams: teams[i].unwrap_or(0.0) as usize,
                    conflict: distinct[i].unwrap_or(3.0) > 3.0,
                },
            )
        })
        .collect();
    infos.sort_by_key(|(rank, _)| *rank);
    Ok(infos.into_iter().map(|(_, m)| m).collect())
}

/// The round's value of each track of a metric (scope `All`).
fn round_totals(model: &Model, metric: &MetricInfo) -> PolarsResult<BTreeMap<String, f64>> {
    let df = model
        .rollup
        .clone()
        .lazy()
        .filter(col("scope").eq(lit("All")))
        .select([col("metric"), col("track"), col("value")])
        .collect()?;
    let names = text_col(&df, "metric")?;
    let tracks = text_col(&df, "track")?;
    let values = num_col(&df, "value")?;
    let mut out = BTreeMap::new();
    for i in 0..names.len() {
        if normalise(&names[i]) == metric.key {
            if let Some(v) = values[i] {
                out.insert(tracks[i].clone(), v);
            }
        }
    }
    Ok(out)
}

/// Values per team for the given tracks of one metric.
fn team_values(
    model: &Model,
    key: &str,
    tracks: &[Track],
) -> PolarsResult<BTreeMap<String, Vec<Option<f64>>>> {
    let names: Vec<&str> = tracks.iter().map(|t| t.name()).collect();
    let df = model
        .long
        .clone()
        .lazy()
        .filter(col("metric_key").eq(lit(key)))
        .select([col("team"), col("track"), col("value_reporting")])
        .collect()?;
    let teams = text_col(&df, "team")?;
    let track = text_col(&df, "track")?;
    let values = num_col(&df, "value_reporting")?;
    let mut out: BTreeMap<String, Vec<Option<f64>>> = BTreeMap::new();
    for i in 0..teams.len() {
        if let Some(t) = names.iter().position(|n| *n == track[i]) {
            let row = out
                .entry(teams[i].clone())
                .or_insert_with(|| vec![None; names.len()]);
            if row[t].is_none() {
                row[t] = values[i];
            }
        }
    }
    Ok(out)
}

/// The largest `n` rows by the first value (ties by label), and the rest
/// folded into one row by sum or mean.
fn top_rows(
    rows: BTreeMap<String, Vec<Option<f64>>>,
    n: usize,
    fold: Option<&str>,
) -> (Vec<Row>, usize) {
    let mut rows: Vec<(String, Vec<Option<f64>>)> = rows.into_iter().collect();
    rows.sort_by(|a, b| {
        let (x, y) = (a.1[0], b.1[0]);
        match (x, y) {
            (Some(x), Some(y)) => y.total_cmp(&x),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        }
        .then_with(|| a.0.cmp(&b.0))
    });
    let width = rows.first().map(|r| r.1.len()).unwrap_or(0);
    let (shown, rest) = if rows.len() > n + 1 {
        let rest = rows.split_off(n);
        (rows, rest)
    } else {
        (rows, Vec::new())
    };
    let folded = rest.len();
    let mut out: Vec<Row> = shown
        .into_iter()
        .map(|(label, values)| Row {
            label: clean(&label),
            values,
            muted: false,
        })
        .collect();
    if let (Some(how), true) = (fold, folded > 0) {
        let values = (0..width)
            .map(|t| {
                let vals: Vec<f64> = rest.iter().filter_map(|r| r.1[t]).collect();
                if vals.is_empty() {
                    None
                } else if how == "mean" {
                    Some(vals.iter().sum::<f64>() / vals.len() as f64)
                } else {
                    Some(vals.iter().sum())
                }
            })
            .collect();
        let what = if how == "mean" { ", mean" } else { "" };
        out.push(Row {
            label: format!(
                "Others ({} {}{what})",
                group(folded as f64, 0),
                teams_word(folded)
            ),
            values,
            muted: true,
        });
    }
    (out, folded)
}

fn teams_word(n: usize) -> &'static str {
    if n == 1 {
        "team"
    } else {
        "teams"
    }
}

fn tracks_data(model: &Model, metric: &MetricInfo) -> PolarsResult<Option<TracksData>> {
    let totals = if metric.rollup == "none" {
        Vec::new()
    } else {
        let t = round_totals(model, metric)?;
        [
            Track::LyActual,
            Track::Baseline,
            Track::Flat,
            Track::Investment,
            Track::Funded,
        ]
        .into_iter()
        .filter_map(|track| t.get(track.name()).map(|v| (track, *v)))
        .collect()
    };
    let per_team = team_values(
        model,
        &metric.key,
        &[Track::LyActual, Track::Flat, Track::Investment],
    )?;
    if per_team.is_empty() && totals.is_empty() {
        return Ok(None);
    }
    let fold = match metric.rollup.as_str() {
        "mean" => Some("mean"),
        "none" => None,
        _ => Some("sum"),
    };
    let (rows, folded) = top_rows(per_team, TOP_N, fold);
    let shown = rows.iter().filter(|r| !r.muted).count();
    Ok(Some(TracksData {
        metric: metric.clone(),
        totals,
        rows,
        shown,
        folded,
    }))
}

fn bridge_data(model: &Model, metric: &MetricInfo) -> PolarsResult<Option<BridgeData>> {
    let t = round_totals(model, metric)?;
    let get = |track: Track| t.get(track.name()).copied();
    Ok(
        match (
            get(Track::LyActual),
            get(Track::Flat),
            get(Track::Investment),
            get(Track::Funded),
        ) {
            (Some(ly), Some(flat), Some(investment), Some(funded)) => Some(BridgeData {
                metric: metric.clone(),
                ly,
                flat,
                investment,
                funded,
            }),
            _ => None,
        },
    )
}

fn funding_data(model: &Model, objective: &MetricInfo) -> PolarsResult<FundingData> {
    let df = &model.funding;
    let teams = text_col(df, "team")?;
    let budgets = num_col(df, "incremental_budget")?;
    let uplifts = num_col(df, "uplift")?;
    let funded = model::bools(df, "funded")?;
    let mut cases = Vec::new();
    let mut not_cases = 0;
    for i in 0..teams.len() {
        match (budgets[i], uplifts[i]) {
            (Some(b), Some(u)) if b > 0.0 => cases.push(Case {
                team: clean(&teams[i]),
                budget: b,
                uplift: u,
                funded: funded[i].unwrap_or(false),
            }),
            _ => not_cases += 1,
        }
    }
    Ok(FundingData {
        objective: objective.clone(),
        currency: model.reporting_currency.clone(),
        cases,
        envelope: model.params.budget.filter(|b| b.is_finite()),
        not_cases,
    })
}

fn ambition_data(model: &Model) -> PolarsResult<Option<AmbitionData>> {
    let df = &model.ambition;
    let metrics = text_col(df, "metric")?;
    let units = text_col(df, "unit")?;
    let objective = model.params.objective.as_deref().map(normalise);
    let chosen = objective
        .and_then(|k| metrics.iter().find(|m| normalise(m) == k))
        .or_else(|| {
            metrics
                .iter()
                .zip(&units)
                .find(|(_, u)| **u == model.reporting_currency)
                .map(|(m, _)| m)
        });
    let Some(chosen) = chosen.map(|m| normalise(m)) else {
        return Ok(None);
    };
    let teams = text_col(df, "team")?;
    let ly = num_col(df, "ly_actual")?;
    let inv = num_col(df, "investment")?;
    let implied = num_col(df, "implied_multiple")?;
    let needed = num_col(df, "needed_multiple")?;
    let mut name = String::new();
    let mut rows = Vec::new();
    let (mut sum_ly, mut sum_inv) = (0.0, 0.0);
    let mut needed_multiple = None;
    let mut no_multiple = 0;
    let mut count = 0;
    for i in (0..teams.len()).filter(|i| normalise(&metrics[*i]) == chosen) {
        if name.is_empty() {
            name = clean(&metrics[i]);
        }
        count += 1;
        needed_multiple = needed_multiple.or(needed[i]);
        match (implied[i], ly[i], inv[i]) {
            (Some(m), Some(l), Some(v)) => {
                sum_ly += l;
                sum_inv += v;
                rows.push((clean(&teams[i]), m));
            }
            _ => no_multiple += 1,
        }
    }
    let Some(needed) = needed_multiple else {
        return Ok(None);
    };
    let reaching = rows.iter().filter(|r| r.1 >= needed).count();
    // Furthest behind first; ties by team.
    rows.sort_by(|a, b| a.1.total_cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    rows.truncate(TOP_N);
    Ok(Some(AmbitionData {
        metric: name,
        all: (sum_ly > 0.0).then(|| sum_inv / sum_ly),
        rows,
        needed,
        teams: count,
        no_multiple,
        reaching,
    }))
}

fn resources_data(model: &Model) -> PolarsResult<Option<ResourcesData>> {
    let df = &model.resources;
    let teams = text_col(df, "team")?;
    let orgs = text_col(df, "org")?;
    let keys = text_col(df, "resource_key")?;
    let cols = [
        num_col(df, "LY")?,
        num_col(df, "Flat")?,
        num_col(df, "Investment")?,
    ];
    let mut panels = Vec::new();
    for (key, title, units) in [
        ("headcount", "Headcount", Units::Count("heads".to_string())),
        (
            "budget",
            "Budget",
            Units::Money(model.reporting_currency.clone()),
        ),
    ] {
        let mut by_org: BTreeMap<String, Vec<Option<f64>>> = BTreeMap::new();
        let mut total = vec![None; 3];
        let mut any = false;
        for i in (0..teams.len()).filter(|i| keys[*i] == key) {
            any = true;
            let top = orgs[i].split('/').next().unwrap_or("").trim().to_string();
            let top = if top.is_empty() {
                "Unassigned".to_string()
            } else {
                top
            };
            let row = by_org.entry(top).or_insert_with(|| vec![None; 3]);
            for t in 0..3 {
                if let Some(v) = cols[t][i] {
                    row[t] = Some(row[t].unwrap_or(0.0) + v);
                    total[t] = Some(total[t].unwrap_or(0.0) + v);
                }
            }
        }
        if !any {
            continue;
        }
        let (orgs, _) = top_rows(by_org, TOP_ORGS, Some("sum"));
        let orgs = orgs
            .into_iter()
            .map(|mut r| {
                r.label = r
                    .label
                    .replace(" teams)", " orgs)")
                    .replace(" team)", " org)");
                r
            })
            .collect();
        panels.push(ResourcePanel {
            title: title.to_string(),
            units,
            total,
            orgs,
        });
    }
    if panels.is_empty() {
        return Ok(None);
    }
    let teams: BTreeSet<&String> = teams.iter().collect();
    Ok(Some(ResourcesData {
        panels,
        teams: teams.len(),
    }))
}

// ---------------------------------------------------------------------------
// Numbers as finance writes them.
// ---------------------------------------------------------------------------

/// `v` with `decimals` decimals, thousands separators and a true minus sign.
fn group(v: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, v.abs());
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.to_string())),
        None => (s, None),
    };
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(&f);
    }
    let zero = out.chars().all(|c| c == '0' || c == '.' || c == ',');
    if v < 0.0 && !zero {
        format!("−{out}")
    } else {
        out
    }
}

/// A short scale (K, M, B) for numbers up to `max_abs`.
fn scale_for(max_abs: f64) -> (f64, &'static str) {
    if max_abs >= 1e12 {
        (1e12, "T")
    } else if max_abs >= 1e9 {
        (1e9, "B")
    } else if max_abs >= 1e6 {
        (1e6, "M")
    } else if max_abs >= 1e4 {
        (1e3, "K")
    } else {
        (1.0, "")
    }
}

/// Decimals needed to write multiples of `step` exactly (at most 3).
fn decimals_for(step: f64) -> usize {
    (0..=3)
        .find(|d| {
            let x = step * 10f64.powi(*d as i32);
            (x - x.round()).abs() < 1e-6 * x.abs().max(1.0)
        })
        .unwrap_or(3)
}

/// A value label: 297.1M, 5.99M, 350K, 1,024, 51.4%, 1.24×.
fn fmt_value(v: f64, units: &Units) -> String {
    match units {
        Units::Ratio => {
            let p = v * 100.0;
            let d = if p.abs() >= 99.0 && p.abs() < 100.0 {
                2
            } else {
                1
            };
            format!("{}%", group(p, d))
        }
        Units::Multiple => format!("{}×", group(v, 2)),
        _ => short(v),
    }
}

/// A number with a short scale: 297.1M, 5.99M, 350K, 1,024.
fn short(v: f64) -> String {
    let (div, suffix) = scale_for(v.abs());
    let x = v / div;
    let d = if suffix.is_empty() {
        if (x - x.round()).abs() < 1e-9 {
            0
        } else if x.abs() < 10.0 {
            2
        } else {
            1
        }
    } else if x.abs() < 10.0 {
        2
    } else {
        1
    };
    let mut body = group(x, d);
    let round = body.ends_with(".00") || (body.ends_with(".0") && x.abs() >= 100.0);
    if !suffix.is_empty() && round {
        // Round figures without decimals (6M, 150K); 14.0M keeps its decimal
        // so that it lines up with 15.2M.
        body = body.trim_end_matches('0').trim_end_matches('.').to_string();
    }
    format!("{body}{suffix}")
}

/// Whether a label shows zero (no digit other than 0).
fn shows_zero(label: &str) -> bool {
    !label.chars().any(|c| ('1'..='9').contains(&c))
}

/// `body` (already carrying its minus sign) with a plus sign when positive
/// and not shown as zero.
fn signed(d: f64, body: String) -> String {
    if d > 0.0 && !shows_zero(&body) {
        format!("+{body}")
    } else {
        body
    }
}

/// A change: +19.3M, −1.6M, +3.8 pp, +0.12×.
fn fmt_change(d: f64, units: &Units) -> String {
    match units {
        Units::Ratio => signed(d, format!("{} pp", group(d * 100.0, 1))),
        _ => signed(d, fmt_value(d, units)),
    }
}

/// The change from `from` to `to` as a reader wants it: relative for
/// amounts (+7.6%), in points for ratios, absolute when `from` is not positive.
fn fmt_delta(from: f64, to: f64, units: &Units) -> String {
    match units {
        Units::Ratio => fmt_change(to - from, units),
        _ if from > 0.0 => {
            let p = (to - from) / from * 100.0;
            signed(p, format!("{}%", group(p, 1)))
        }
        _ => fmt_change(to - from, units),
    }
}

/// The colour of a change labelled `label`: green when the change from
/// `from` to `to` is good, red when bad, grey when none or shown as zero;
/// `None` for changes that are neither good nor bad (resources).
fn judge(label: &str, from: f64, to: f64, lower_is_better: Option<bool>) -> RGBColor {
    let Some(lower_is_better) = lower_is_better else {
        return MUTED;
    };
    let d = if lower_is_better {
        from - to
    } else {
        to - from
    };
    if shows_zero(label) || d.abs() <= 1e-9 * from.abs().max(1.0) {
        MUTED
    } else if d > 0.0 {
        GOOD
    } else {
        BAD
    }
}

/// A value axis with "nice" ticks.
#[derive(Clone, Debug)]
struct Axis {
    lo: f64,
    hi: f64,
    step: f64,
    units: Units,
}

impl Axis {
    /// An axis covering `lo..hi` (and zero) in about `target` steps.
    fn new(lo: f64, hi: f64, target: usize, units: Units) -> Axis {
        let (mut lo, mut hi) = (lo.min(0.0), hi.max(0.0));
        if !lo.is_finite() || !hi.is_finite() {
            (lo, hi) = (0.0, 1.0);
        }
        if hi - lo <= f64::EPSILON * hi.abs().max(lo.abs()).max(1.0) {
            hi = lo + if lo == 0.0 { 1.0 } else { lo.abs() };
        }
        let raw = (hi - lo) / target.max(1) as f64;
        let mag = 10f64.powf(raw.log10().floor());
        let norm = raw / mag;
        let nice = [1.0, 2.0, 2.5, 5.0, 10.0]
            .into_iter()
            .find(|n| norm <= *n + 1e-9)
            .unwrap_or(10.0);
        let step = nice * mag;
        Axis {
            lo: (lo / step + 1e-9).floor() * step,
            hi: (hi / step - 1e-9).ceil() * step,
            step,
            units,
        }
    }

    fn ticks(&self) -> Vec<f64> {
        let n = ((self.hi - self.lo) / self.step).round() as i64;
        (0..=n.clamp(0, 50))
            .map(|i| self.lo + i as f64 * self.step)
            .map(|v| if v.abs() < self.step * 1e-9 { 0.0 } else { v })
            .collect()
    }

    /// The width of the widest tick label, for the room left of the plot.
    fn label_width(&self) -> f64 {
        self.ticks()
            .iter()
            .map(|t| text_width(&self.label(*t), SMALL, false))
            .fold(0.0, f64::max)
    }

    /// A tick label, all ticks on one scale: 0, 100M, 200M; 0%, 25%; 1.5×.
    fn label(&self, v: f64) -> String {
        match &self.units {
            Units::Ratio => format!("{}%", group(v * 100.0, decimals_for(self.step * 100.0))),
            Units::Multiple if v == 0.0 => "0×".to_string(),
            Units::Multiple => format!("{}×", group(v, decimals_for(self.step).max(1))),
            _ => {
                let (div, suffix) = scale_for(self.lo.abs().max(self.hi.abs()));
                let d = decimals_for(self.step / div);
                if v == 0.0 {
                    "0".to_string()
                } else {
                    format!("{}{suffix}", group(v / div, d))
                }
            }
        }
    }
}

/// Maps values onto pixels.
#[derive(Clone, Copy, Debug)]
struct Map {
    d0: f64,
    d1: f64,
    p0: f64,
    p1: f64,
}

impl Map {
    fn new(axis: &Axis, p0: f64, p1: f64) -> Map {
        Map {
            d0: axis.lo,
            d1: axis.hi,
            p0,
            p1,
        }
    }

    fn at(&self, v: f64) -> f64 {
        let t = (v - self.d0) / (self.d1 - self.d0);
        let t = if t.is_finite() {
            t.clamp(-0.05, 1.05)
        } else {
            0.0
        };
        self.p0 + t * (self.p1 - self.p0)
    }
}

// ---------------------------------------------------------------------------
// Drawing primitives, the same for both backends.
// ---------------------------------------------------------------------------

type Drawn = Result<(), String>;

/// How a track is filled.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Fill {
    Solid(RGBColor),
    Outline,
    Hatch,
}

fn track_fill(track: Track) -> Fill {
    match track {
        Track::LyActual | Track::LyTarget => Fill::Solid(LY_GREY),
        Track::Baseline => Fill::Solid(BASE_GREY),
        Track::Flat => Fill::Outline,
        Track::Investment => Fill::Hatch,
        Track::Funded => Fill::Solid(INK),
    }
}

struct Ctx<'a, DB: DrawingBackend> {
    area: &'a DrawingArea<DB, Shift>,
    svg: bool,
}

fn px(v: f64) -> i32 {
    if v.is_finite() {
        v.round().clamp(-100_000.0, 100_000.0) as i32
    } else {
        0
    }
}

fn font(size: f64, bold: bool) -> FontDesc<'static> {
    let style = if bold {
        FontStyle::Bold
    } else {
        FontStyle::Normal
    };
    FontDesc::new(FontFamily::Name(FAMILY), size, style)
}

/// The width of `text` set at `size`, pixels, by the embedded font's advances
/// (what the PNG draws; SVG viewers with DejaVu Sans agree, others are narrower).
fn text_width(text: &str, size: f64, bold: bool) -> f64 {
    match metrics(bold) {
        Some(m) => text.chars().map(|c| m.advance(c)).sum::<f64>() * m.scale(size),
        None => font(size, bold)
            .box_size(text)
            .map(|(w, _)| w as f64)
            .unwrap_or(text.chars().count() as f64 * size * 0.6),
    }
}

/// The horizontal metrics of a TrueType font: enough to place glyphs one by
/// one (plotters' ab_glyph backend drops each glyph's left side bearing,
/// which makes letter spacing uneven in the PNG).
struct FontMetrics {
    data: &'static [u8],
    /// Ascender − descender, font units: what ab_glyph scales to `size`.
    height: f64,
    h_metrics: usize,
    hmtx: usize,
    glyphs: usize,
    /// The cmap subtable used: offset and format (4 or 12).
    cmap: (usize, u16),
}

fn u16_at(d: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*d.get(at)?, *d.get(at + 1)?]))
}

fn u32_at(d: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes([
        *d.get(at)?,
        *d.get(at + 1)?,
        *d.get(at + 2)?,
        *d.get(at + 3)?,
    ]))
}

impl FontMetrics {
    fn parse(data: &'static [u8]) -> Option<FontMetrics> {
        let tables = u16_at(data, 4)? as usize;
        let table = |tag: &[u8; 4]| {
            (0..tables).find_map(|i| {
                let rec = 12 + 16 * i;
                (data.get(rec..rec + 4)? == tag)
                    .then(|| u32_at(data, rec + 8).map(|o| o as usize))?
            })
        };
        let hhea = table(b"hhea")?;
        let ascender = u16_at(data, hhea + 4)? as i16 as f64;
        let descender = u16_at(data, hhea + 6)? as i16 as f64;
        let h_metrics = u16_at(data, hhea + 34)? as usize;
        let glyphs = u16_at(data, table(b"maxp")? + 4)? as usize;
        let hmtx = table(b"hmtx")?;
        let cmap_at = table(b"cmap")?;
        let mut best: Option<(usize, u16)> = None;
        for i in 0..u16_at(data, cmap_at + 2)? as usize {
            let rec = cmap_at + 4 + 8 * i;
            let (platform, encoding) = (u16_at(data, rec)?, u16_at(data, rec + 2)?);
            let sub = cmap_at + u32_at(data, rec + 4)? as usize;
            let format = u16_at(data, sub)?;
            let unicode = platform == 0 || (platform == 3 && (encoding == 1 || encoding == 10));
            if unicode && (format == 12 || (format == 4 && best.is_none())) {
                best = Some((sub, format));
            }
        }
        Some(FontMetrics {
            data,
            height: (ascender - descender).max(1.0),
            h_metrics: h_metrics.max(1),
            hmtx,
            glyphs,
            cmap: best?,
        })
    }

    /// Pixels per font unit at a plotters size.
    fn scale(&self, size: f64) -> f64 {
        size / self.height
    }

    fn glyph(&self, c: char) -> usize {
        self.lookup(c as u32)
            .filter(|g| *g < self.glyphs)
            .unwrap_or(0)
    }

    fn lookup(&self, c: u32) -> Option<usize> {
        let d = self.data;
        let (sub, format) = self.cmap;
        if format == 12 {
            let groups = u32_at(d, sub + 12)? as usize;
            for i in 0..groups {
                let g = sub + 16 + 12 * i;
                let (start, end) = (u32_at(d, g)?, u32_at(d, g + 4)?);
                if (start..=end).contains(&c) {
                    return Some((u32_at(d, g + 8)? + (c - start)) as usize);
                }
            }
            return None;
        }
        if c > 0xffff {
            return None;
        }
        let segs = u16_at(d, sub + 6)? as usize / 2;
        let ends = sub + 14;
        let starts = ends + 2 * segs + 2;
        let deltas = starts + 2 * segs;
        let ranges = deltas + 2 * segs;
        for i in 0..segs {
            if c > u16_at(d, ends + 2 * i)? as u32 {
                continue;
            }
            let start = u16_at(d, starts + 2 * i)? as u32;
            if c < start {
                return None;
            }
            let delta = u16_at(d, deltas + 2 * i)? as u32;
            let range = u16_at(d, ranges + 2 * i)? as usize;
            if range == 0 {
                return Some(((c + delta) & 0xffff) as usize);
            }
            let g = u16_at(d, ranges + 2 * i + range + 2 * (c - start) as usize)? as u32;
            return (g != 0).then_some(((g + delta) & 0xffff) as usize);
        }
        None
    }

    /// Advance width and left side bearing, font units.
    fn h_metrics(&self, c: char) -> (f64, f64) {
        let g = self.glyph(c);
        let d = self.data;
        let last = self.hmtx + 4 * (self.h_metrics - 1);
        let advance = if g < self.h_metrics {
            u16_at(d, self.hmtx + 4 * g)
        } else {
            u16_at(d, last)
        };
        let lsb = if g < self.h_metrics {
            u16_at(d, self.hmtx + 4 * g + 2)
        } else {
            u16_at(d, self.hmtx + 4 * self.h_metrics + 2 * (g - self.h_metrics))
        };
        (
            advance.unwrap_or(0) as f64,
            lsb.map(|v| v as i16 as f64).unwrap_or(0.0),
        )
    }

    fn advance(&self, c: char) -> f64 {
        self.h_metrics(c).0
    }
}

/// The embedded fonts' metrics (`None` only if the font were unreadable).
fn metrics(bold: bool) -> Option<&'static FontMetrics> {
    static REGULAR: OnceLock<Option<FontMetrics>> = OnceLock::new();
    static BOLD: OnceLock<Option<FontMetrics>> = OnceLock::new();
    if bold {
        BOLD.get_or_init(|| FontMetrics::parse(FONT_BOLD)).as_ref()
    } else {
        REGULAR
            .get_or_init(|| FontMetrics::parse(FONT_REGULAR))
            .as_ref()
    }
}

/// `text`, shortened with "…" to fit `max` pixels.
fn fit(text: &str, max: f64, size: f64, bold: bool) -> String {
    if text_width(text, size, bold) <= max {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let (mut lo, mut hi) = (0usize, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let s: String = chars[..mid]
            .iter()
            .collect::<String>()
            .trim_end()
            .to_string()
            + "…";
        if text_width(&s, size, bold) <= max {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    if lo == 0 {
        "…".to_string()
    } else {
        chars[..lo]
            .iter()
            .collect::<String>()
            .trim_end()
            .to_string()
            + "…"
    }
}

/// The baseline that centres capital letters of `size` on `y`.
fn middle(y: f64, size: f64) -> f64 {
    y + size * EM_PER_SIZE * CAP_EM / 2.0
}

impl<'a, DB: DrawingBackend> Ctx<'a, DB> {
    /// Horizontal gridlines at the axis's ticks from `left` to `right`, each
    /// labelled to the left of the plot.
    fn hgrid(&self, axis: &Axis, map: &Map, left: f64, right: f64) -> Drawn {
        for t in axis.ticks() {
            let y = map.at(t);
            self.hline(left, right, y, 1.0, GRID)?;
            self.text(
                &axis.label(t),
                left - 10.0,
                middle(y, SMALL),
                Face(SMALL, false, MUTED),
                HPos::Right,
            )?;
        }
        Ok(())
    }

    /// Vertical gridlines at the axis's ticks from `top` to `bottom`, each
    /// labelled under the plot.
    fn vgrid(&self, axis: &Axis, map: &Map, top: f64, bottom: f64) -> Drawn {
        for t in axis.ticks() {
            let x = map.at(t);
            self.vline(x, top, bottom, 1.0, GRID)?;
            self.text(
                &axis.label(t),
                x,
                bottom + 26.0,
                Face(SMALL, false, MUTED),
                HPos::Center,
            )?;
        }
        Ok(())
    }

    fn new(area: &'a DrawingArea<DB, Shift>, svg: bool) -> Self {
        Ctx { area, svg }
    }

    fn fill(&self, x0: f64, y0: f64, x1: f64, y1: f64, color: RGBColor) -> Drawn {
        let (a, b) = (px(x0.min(x1)), px(x0.max(x1)));
        let (c, d) = (px(y0.min(y1)), px(y0.max(y1)));
        if a == b || c == d {
            return Ok(());
        }
        self.area
            .draw(&Rectangle::new([(a, c), (b, d)], color.filled()))
            .map_err(|e| e.to_string())
    }

    /// A rectangle outline `w` pixels wide, inside the rectangle.
    fn frame(&self, x0: f64, y0: f64, x1: f64, y1: f64, w: f64, color: RGBColor) -> Drawn {
        let (x0, x1) = (x0.min(x1), x0.max(x1));
        let (y0, y1) = (y0.min(y1), y0.max(y1));
        let w = w.min((x1 - x0) / 2.0).min((y1 - y0) / 2.0).max(1.0);
        self.fill(x0, y0, x1, y0 + w, color)?;
        self.fill(x0, y1 - w, x1, y1, color)?;
        self.fill(x0, y0, x0 + w, y1, color)?;
        self.fill(x1 - w, y0, x1, y1, color)
    }

    fn line(&self, points: &[(f64, f64)], color: RGBColor, width: u32) -> Drawn {
        let pts: Vec<(i32, i32)> = points.iter().map(|(x, y)| (px(*x), px(*y))).collect();
        self.area
            .draw(&PathElement::new(pts, color.stroke_width(width)))
            .map_err(|e| e.to_string())
    }

    fn hline(&self, x0: f64, x1: f64, y: f64, w: f64, color: RGBColor) -> Drawn {
        self.fill(x0, y - w / 2.0, x1, y + w / 2.0, color)
    }

    fn vline(&self, x: f64, y0: f64, y1: f64, w: f64, color: RGBColor) -> Drawn {
        self.fill(x - w / 2.0, y0, x + w / 2.0, y1, color)
    }

    /// A dashed line between two points (horizontal or vertical).
    fn dashed(&self, a: (f64, f64), b: (f64, f64), w: f64, color: RGBColor) -> Drawn {
        let (dash, gap) = (8.0, 6.0);
        let len = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
        if len < 1.0 {
            return Ok(());
        }
        let (ux, uy) = ((b.0 - a.0) / len, (b.1 - a.1) / len);
        let mut t = 0.0;
        while t < len {
            let e = (t + dash).min(len);
            let (sx, sy) = (a.0 + ux * t, a.1 + uy * t);
            let (ex, ey) = (a.0 + ux * e, a.1 + uy * e);
            if uy.abs() < 1e-9 {
                self.hline(sx, ex, sy, w, color)?;
            } else if ux.abs() < 1e-9 {
                self.vline(sx, sy, ey, w, color)?;
            } else {
                self.line(&[(sx, sy), (ex, ey)], color, w.round().max(1.0) as u32)?;
            }
            t += dash + gap;
        }
        Ok(())
    }

    fn circle(&self, x: f64, y: f64, r: f64, color: RGBColor) -> Drawn {
        self.area
            .draw(&Circle::new(
                (px(x), px(y)),
                r.round().max(1.0) as i32,
                color.filled(),
            ))
            .map_err(|e| e.to_string())
    }

    /// A point: filled, or hollow (a ring).
    fn marker(&self, x: f64, y: f64, filled: bool) -> Drawn {
        self.circle(x, y, 7.0, INK)?;
        if !filled {
            self.circle(x, y, 4.5, PAPER)?;
        }
        Ok(())
    }

    /// Text with its baseline at `y`, anchored left, centre or right at `x`.
    fn text(
        &self,
        text: &str,
        x: f64,
        y: f64,
        Face(size, bold, color): Face,
        align: HPos,
    ) -> Drawn {
        if text.is_empty() {
            return Ok(());
        }
        if self.svg {
            // The SVG backend writes font-size = size / 1.24 and puts the
            // baseline of top-anchored text 0.76 em down (dy="0.76em").
            let em = size * EM_PER_SIZE;
            let style = font(em * 1.24, bold)
                .color(&color)
                .pos(Pos::new(align, VPos::Top));
            return self
                .area
                .draw_text(text, &style, (px(x), px(y - 0.76 * em)))
                .map_err(|e| e.to_string());
        }
        // The PNG: glyph by glyph at their true advances and bearings.
        // ab_glyph puts the baseline of top-anchored text half a size down.
        let Some(m) = metrics(bold) else {
            let style = font(size, bold)
                .color(&color)
                .pos(Pos::new(align, VPos::Top));
            return self
                .area
                .draw_text(text, &style, (px(x), px(y - size / 2.0)))
                .map_err(|e| e.to_string());
        };
        let scale = m.scale(size);
        let width = text_width(text, size, bold);
        let mut pen = match align {
            HPos::Left => x,
            HPos::Center => x - width / 2.0,
            HPos::Right => x - width,
        };
        let top = px(y - size / 2.0);
        let style = font(size, bold)
            .color(&color)
            .pos(Pos::new(HPos::Left, VPos::Top));
        let mut buf = [0u8; 4];
        for ch in text.chars() {
            let (advance, lsb) = m.h_metrics(ch);
            if !ch.is_whitespace() {
                let left = pen.round() + (lsb * scale).floor();
                self.area
                    .draw_text(ch.encode_utf8(&mut buf), &style, (px(left), top))
                    .map_err(|e| e.to_string())?;
            }
            pen += advance * scale;
        }
        Ok(())
    }

    /// A bar in a track's notation.
    fn bar(&self, x0: f64, y0: f64, x1: f64, y1: f64, track: Track) -> Drawn {
        self.styled(x0, y0, x1, y1, track_fill(track))
    }

    fn styled(&self, x0: f64, y0: f64, x1: f64, y1: f64, fill: Fill) -> Drawn {
        let (x0, x1) = (x0.min(x1), x0.max(x1));
        let (y0, y1) = (y0.min(y1), y0.max(y1));
        match fill {
            Fill::Solid(c) => self.fill(x0, y0, x1, y1, c),
            Fill::Outline => {
                self.fill(x0, y0, x1, y1, PAPER)?;
                self.frame(x0, y0, x1, y1, 2.0, INK)
            }
            Fill::Hatch => {
                self.fill(x0, y0, x1, y1, PAPER)?;
                self.hatch(x0, y0, x1, y1)?;
                self.frame(x0, y0, x1, y1, 2.0, INK)
            }
        }
    }

    /// Diagonal hatching (lower left to upper right), aligned to the page.
    fn hatch(&self, x0: f64, y0: f64, x1: f64, y1: f64) -> Drawn {
        // Pixel centres inside the rectangle (its right and bottom edges are exclusive).
        let (x0, y0) = (px(x0) as f64, px(y0) as f64);
        let (x1, y1) = (px(x1) as f64 - 1.0, px(y1) as f64 - 1.0);
        if x1 - x0 < 3.0 || y1 - y0 < 3.0 {
            return Ok(());
        }
        let spacing = 7.0;
        let mut k = ((x0 + y0) / spacing).ceil() * spacing;
        while k <= x1 + y1 {
            // The line x + y = k inside the rectangle.
            let xa = x0.max(k - y1);
            let xb = x1.min(k - y0);
            if xb > xa {
                self.line(&[(xa, k - xa), (xb, k - xb)], INK, 1)?;
            }
            k += spacing;
        }
        Ok(())
    }

    /// A legend entry's key: a small bar in the track's notation, or a colour.
    fn legend(&self, items: &[(Key, String)], x: f64, y: f64) -> Drawn {
        let mut x = x;
        for (key, label) in items {
            let (w, h) = (26.0, 16.0);
            let mid = y - SMALL * EM_PER_SIZE * CAP_EM / 2.0;
            match key {
                Key::Track(t) => self.bar(x, mid - h / 2.0, x + w, mid + h / 2.0, *t)?,
                Key::Color(c) => self.fill(x, mid - h / 2.0, x + w, mid + h / 2.0, *c)?,
                Key::Point(filled) => self.marker(x + w / 2.0, mid, *filled)?,
                Key::Dash => self.dashed(
                    (x + w / 2.0, mid - 10.0),
                    (x + w / 2.0, mid + 10.0),
                    2.0,
                    INK,
                )?,
                Key::Line(c) => self.hline(x, x + w, mid, 3.0, *c)?,
            }
            self.text(label, x + w + 8.0, y, Face(SMALL, false, INK), HPos::Left)?;
            x += w + 8.0 + text_width(label, SMALL, false) + 28.0;
        }
        Ok(())
    }

    /// Title, subtitle and the legend row.
    fn header(&self, title: &str, subtitle: &str, legend: &[(Key, String)]) -> Drawn {
        let width = RIGHT - LEFT;
        // A long title or subtitle is set smaller before it is shortened.
        let shrink = |text: &str, sizes: &[f64], bold: bool| {
            let size = sizes
                .iter()
                .copied()
                .find(|s| text_width(text, *s, bold) <= width)
                .unwrap_or(sizes[sizes.len() - 1]);
            (fit(text, width, size, bold), size)
        };
        let (title, size) = shrink(title, &[TITLE, 34.0, 30.0], true);
        self.text(&title, LEFT, 58.0, Face(size, true, INK), HPos::Left)?;
        let (subtitle, size) = shrink(subtitle, &[SUBTITLE, 20.0, 18.0], false);
        self.text(&subtitle, LEFT, 96.0, Face(size, false, MUTED), HPos::Left)?;
        self.legend(legend, LEFT, 136.0)
    }

    fn footer(&self, note: &str) -> Drawn {
        let y = HEIGHT as f64 - 22.0;
        self.hline(LEFT, RIGHT, y - 24.0, 1.0, GRID)?;
        let note = fit(note, RIGHT - LEFT, FOOT, false);
        self.text(&note, LEFT, y, Face(FOOT, false, FAINT), HPos::Left)
    }
}

/// How text is set: size, bold, colour.
#[derive(Clone, Copy, Debug)]
struct Face(f64, bool, RGBColor);

/// What a legend entry shows.
#[derive(Clone, Copy, Debug)]
enum Key {
    Track(Track),
    Color(RGBColor),
    Point(bool),
    Dash,
    Line(RGBColor),
}

fn track_legend(tracks: &[Track]) -> Vec<(Key, String)> {
    tracks
        .iter()
        .map(|t| (Key::Track(*t), t.name().to_string()))
        .collect()
}

fn variance_legend() -> Vec<(Key, String)> {
    vec![
        (Key::Color(GOOD), "favourable".to_string()),
        (Key::Color(BAD), "unfavourable".to_string()),
    ]
}

// ---------------------------------------------------------------------------
// The charts.
// ---------------------------------------------------------------------------

fn draw<DB: DrawingBackend>(c: &Ctx<DB>, chart: &Chart) -> Drawn {
    c.area.fill(&PAPER).map_err(|e| e.to_string())?;
    match &chart.kind {
        Kind::Tracks(d) => draw_tracks(c, d),
        Kind::Bridge(d) => draw_bridge(c, d),
        Kind::Funding(d) => draw_funding(c, d),
        Kind::Ambition(d) => draw_ambition(c, d),
        Kind::Resources(d) => draw_resources(c, d),
    }
}

fn title_with_unit(what: &str, units: &Units) -> String {
    let unit = units.label();
    if unit.is_empty() {
        what.to_string()
    } else {
        format!("{what}, {unit}")
    }
}

/// The rule a round total follows, for subtitles.
fn rollup_word(metric: &MetricInfo) -> &'static str {
    if metric.rollup == "mean" {
        "mean"
    } else {
        "total"
    }
}

fn draw_tracks<DB: DrawingBackend>(c: &Ctx<DB>, d: &TracksData) -> Drawn {
    let m = &d.metric;
    let title = title_with_unit(&format!("{} by track", m.name), &m.units);
    let teams = d.shown + d.folded;
    let mut subtitle = String::new();
    let total = |t: Track| d.totals.iter().find(|x| x.0 == t).map(|x| x.1);
    if let (Some(ly), Some(funded)) = (total(Track::LyActual), total(Track::Funded)) {
        subtitle.push_str(&format!(
            "Round {}: LY Actual {} → Funded {} ({}). ",
            rollup_word(m),
            fmt_value(ly, &m.units),
            fmt_value(funded, &m.units),
            fmt_delta(ly, funded, &m.units)
        ));
    }
    if d.totals.is_empty() {
        subtitle.push_str("Not totalled (roll-up \"none\"). ");
    }
    subtitle.push_str(&match (d.folded, m.rollup.as_str()) {
        (0, _) if teams == 1 => "By team: the one team".to_string(),
        (0, _) => format!("By team: all {teams}, largest LY Actual first"),
        (f, "none") => format!(
            "By team: the {} largest of {} by LY Actual; the other {} not shown",
            d.shown,
            group(teams as f64, 0),
            group(f as f64, 0)
        ),
        (f, how) => format!(
            "By team: the {} largest of {} by LY Actual; the other {} as Others ({})",
            d.shown,
            group(teams as f64, 0),
            group(f as f64, 0),
            if how == "mean" {
                "their mean"
            } else {
                "their sum"
            }
        ),
    });
    subtitle.push('.');
    let mut legend = track_legend(if d.totals.is_empty() {
        &[Track::LyActual, Track::Flat, Track::Investment]
    } else {
        &[
            Track::LyActual,
            Track::Baseline,
            Track::Flat,
            Track::Investment,
            Track::Funded,
        ]
    });
    legend.extend(variance_legend());
    c.header(&title, &subtitle, &legend)?;
    let teams_left = if d.totals.is_empty() {
        LEFT
    } else {
        let heading = format!(
            "Round {} ({} {})",
            rollup_word(m),
            group(m.teams as f64, 0),
            teams_word(m.teams)
        );
        total_columns(
            c,
            (LEFT, BODY_TOP, 560.0, BODY_BOTTOM),
            &heading,
            &d.totals,
            &m.units,
            m.lower_is_better,
        )?;
        640.0
    };
    let heading = if d.folded > 0 {
        format!("By team: top {} by LY Actual", d.shown)
    } else {
        "By team".to_string()
    };
    grouped_bars(
        c,
        (teams_left, BODY_TOP, RIGHT, BODY_BOTTOM),
        &heading,
        &d.rows,
        &[Track::LyActual, Track::Flat, Track::Investment],
        &m.units,
        Bars {
            values: false,
            axis: true,
            delta: Some(("Inv. vs LY", Some(m.lower_is_better))),
            max_row: 64.0,
        },
    )?;
    c.footer(&format!(
        "Source: op1 pack — rollup.csv (scope All) and consolidated.csv; {}{}.",
        match &m.units {
            Units::Money(cur) => format!("money in {cur} at the round's rates; "),
            _ => String::new(),
        },
        if m.rollup == "mean" {
            "the round value is the mean of the teams"
        } else if m.rollup == "none" {
            "the metric does not roll up"
        } else {
            "the round value is the sum of the teams"
        }
    ))
}

/// Columns for the round's tracks, with value labels and Δ vs LY.
fn total_columns<DB: DrawingBackend>(
    c: &Ctx<DB>,
    (x0, y0, x1, y1): (f64, f64, f64, f64),
    heading: &str,
    bars: &[(Track, f64)],
    units: &Units,
    lower_is_better: bool,
) -> Drawn {
    c.text(
        &fit(heading, x1 - x0, HEADING, true),
        x0,
        y0 + 22.0,
        Face(HEADING, true, INK),
        HPos::Left,
    )?;
    let lo = bars.iter().map(|b| b.1).fold(0.0, f64::min);
    let hi = bars.iter().map(|b| b.1).fold(0.0, f64::max);
    let axis = Axis::new(lo, hi, 5, units.clone());
    let tick_w = axis.label_width();
    let (left, right) = (x0 + tick_w + 12.0, x1);
    let (top, bottom) = (y0 + 48.0, y1 - 40.0);
    // Room for the value and change labels beyond the longest bars.
    let room = 56.0;
    let map = Map::new(
        &axis,
        if lo < 0.0 { bottom - room } else { bottom },
        if hi > 0.0 { top + room } else { top },
    );
    c.hgrid(&axis, &map, left, right)?;
    let slot = (right - left) / bars.len().max(1) as f64;
    let ly = bars.iter().find(|b| b.0 == Track::LyActual).map(|b| b.1);
    let zero = map.at(0.0);
    for (i, (track, v)) in bars.iter().enumerate() {
        let cx = left + slot * (i as f64 + 0.5);
        let w = (slot * 0.62).min(90.0);
        let y = map.at(*v);
        c.bar(cx - w / 2.0, zero, cx + w / 2.0, y, *track)?;
        let label = fmt_value(*v, units);
        let up = *v >= 0.0;
        let (vy, dy) = if up {
            (y - 8.0, y - 8.0 - LABEL * 1.05)
        } else {
            (y + 8.0 + LABEL * 0.7, y + 8.0 + LABEL * 1.75)
        };
        c.text(
            &fit(&label, slot - 4.0, LABEL, true),
            cx,
            vy,
            Face(LABEL, true, INK),
            HPos::Center,
        )?;
        if let (Some(ly), false) = (ly, *track == Track::LyActual) {
            let delta = fmt_delta(ly, *v, units);
            c.text(
                &fit(&delta, slot - 4.0, SMALL, false),
                cx,
                dy,
                Face(SMALL, false, judge(&delta, ly, *v, Some(lower_is_better))),
                HPos::Center,
            )?;
        }
        c.text(
            &fit(track.name(), slot - 2.0, SMALL, false),
            cx,
            bottom + 28.0,
            Face(SMALL, false, INK),
            HPos::Center,
        )?;
    }
    c.hline(left, right, zero, 2.0, INK)
}

/// Options of [`grouped_bars`].
#[derive(Clone, Copy)]
struct Bars<'a> {
    /// Write each bar's value at its end.
    values: bool,
    /// Draw the value axis below the rows.
    axis: bool,
    /// A right-hand column with the last track's change vs the first: its
    /// header and whether lower is better.
    /// `None` colours the change neutral.
    delta: Option<(&'a str, Option<bool>)>,
    /// The tallest a row may be, pixels.
    max_row: f64,
}

/// Horizontal bars, one group of tracks per row, labels on the left.
fn grouped_bars<DB: DrawingBackend>(
    c: &Ctx<DB>,
    (x0, y0, x1, y1): (f64, f64, f64, f64),
    heading: &str,
    rows: &[Row],
    tracks: &[Track],
    units: &Units,
    opts: Bars,
) -> Drawn {
    if !heading.is_empty() {
        c.text(
            &fit(heading, x1 - x0, HEADING, true),
            x0,
            y0 + 22.0,
            Face(HEADING, true, INK),
            HPos::Left,
        )?;
    }
    let values = |muted: bool| -> Vec<f64> {
        rows.iter()
            .filter(|r| muted || !r.muted)
            .flat_map(|r| r.values.iter().flatten().copied())
            .collect()
    };
    let (all, named) = (values(true), values(false));
    let (all_lo, all_hi) = (
        all.iter().copied().fold(0.0, f64::min),
        all.iter().copied().fold(0.0, f64::max),
    );
    let (named_lo, named_hi) = (
        named.iter().copied().fold(0.0, f64::min),
        named.iter().copied().fold(0.0, f64::max),
    );
    // An "Others" row far beyond the named rows would flatten them: the axis
    // then follows the named rows and the Others bars are drawn broken, with
    // their values written (an IBCS scaling break).
    let outlier = |a: f64, n: f64| !named.is_empty() && n != 0.0 && a.abs() > 1.6 * n.abs();
    let hi = if outlier(all_hi, named_hi) {
        named_hi
    } else {
        all_hi
    };
    let lo = if outlier(all_lo, named_lo) {
        named_lo
    } else {
        all_lo
    };
    let axis = if opts.values {
        // Room for the value labels at the bar ends.
        let span = (hi - lo).max(1e-12);
        Axis::new(
            if lo < 0.0 { lo - 0.2 * span } else { lo },
            if hi > 0.0 { hi + 0.2 * span } else { hi },
            5,
            units.clone(),
        )
    } else {
        Axis::new(lo, hi, 6, units.clone())
    };
    let beyond = |v: f64| v > axis.hi + 1e-9 * axis.step || v < axis.lo - 1e-9 * axis.step;
    let delta_w = if opts.delta.is_some() { 110.0 } else { 0.0 };
    let label_w = ((x1 - x0) * 0.27).clamp(120.0, 250.0);
    let (mut left, mut right) = (x0 + label_w, x1 - delta_w - 8.0);
    // Room for broken bars and their values.
    const BREAK: f64 = 104.0;
    if all.iter().any(|v| *v > 0.0 && beyond(*v)) {
        right -= BREAK;
    }
    if all.iter().any(|v| *v < 0.0 && beyond(*v)) {
        left += BREAK;
    }
    let top = if heading.is_empty() { y0 } else { y0 + 40.0 };
    let bottom = if opts.axis { y1 - 34.0 } else { y1 };
    let n = rows.len().max(1) as f64;
    let row_h = ((bottom - top) / n).min(opts.max_row);
    let rows_bottom = top + row_h * n;
    let map = Map::new(&axis, left, right);
    if opts.axis {
        c.vgrid(&axis, &map, top, rows_bottom)?;
    }
    if let Some((header, _)) = opts.delta {
        c.text(
            header,
            x1,
            top - 8.0,
            Face(SMALL, false, MUTED),
            HPos::Right,
        )?;
    }
    let zero = map.at(0.0);
    let thick = (row_h * 0.78 / tracks.len().max(1) as f64).min(22.0);
    // Value labels as large as the bars allow (capitals no taller than a bar).
    let value_size = (((thick - 1.0) / (EM_PER_SIZE * CAP_EM)).min(SMALL) / 2.0).floor() * 2.0;
    let label_x = x0 + label_w;
    for (i, row) in rows.iter().enumerate() {
        let ry = top + row_h * i as f64;
        let cy = ry + row_h / 2.0;
        if row.muted && i > 0 {
            c.hline(x0, x1, ry, 1.0, AXIS)?;
        }
        let size = if thick * tracks.len() as f64 >= 30.0 {
            LABEL
        } else {
            SMALL
        };
        c.text(
            &fit(&row.label, label_w - 14.0, size, false),
            label_x - 10.0,
            middle(cy, size),
            Face(size, false, if row.muted { MUTED } else { INK }),
            HPos::Right,
        )?;
        let group_h = thick * tracks.len() as f64;
        for (t, track) in tracks.iter().enumerate() {
            let Some(v) = row.values.get(t).copied().flatten() else {
                continue;
            };
            let by = cy - group_h / 2.0 + thick * t as f64;
            let broken = beyond(v);
            let x = if !broken {
                map.at(v)
            } else if v > 0.0 {
                right + 34.0
            } else {
                left - 34.0
            };
            c.bar(zero, by + 1.0, x, by + thick - 1.0, *track)?;
            if broken {
                let bx = if v > 0.0 { x - 14.0 } else { x + 14.0 };
                c.line(
                    &[(bx - 4.0, by + thick + 1.0), (bx + 4.0, by - 1.0)],
                    PAPER,
                    5,
                )?;
            }
            if (opts.values || broken) && value_size >= 10.0 {
                let (tx, align) = if v >= 0.0 {
                    (x + 6.0, HPos::Left)
                } else {
                    (x - 6.0, HPos::Right)
                };
                c.text(
                    &fmt_value(v, units),
                    tx,
                    middle(by + thick / 2.0, value_size),
                    Face(value_size, broken, INK),
                    align,
                )?;
            }
        }
        if let Some((_, lower)) = opts.delta {
            let first = row.values.first().copied().flatten();
            let last = row.values.last().copied().flatten();
            if let (Some(a), Some(b)) = (first, last) {
                let delta = fmt_delta(a, b, units);
                c.text(
                    &fit(&delta, delta_w, LABEL, false),
                    x1,
                    middle(cy, LABEL),
                    Face(LABEL, false, judge(&delta, a, b, lower)),
                    HPos::Right,
                )?;
            }
        }
    }
    c.vline(zero, top, rows_bottom, 2.0, INK)
}

fn draw_bridge<DB: DrawingBackend>(c: &Ctx<DB>, d: &BridgeData) -> Drawn {
    let m = &d.metric;
    let units = &m.units;
    let title = title_with_unit(&format!("{} bridge: LY Actual to Funded", m.name), units);
    let subtitle = format!(
        "Round {} of {} {}: LY Actual {} → Funded {} ({}); objective of the funding round.",
        rollup_word(m),
        group(m.teams as f64, 0),
        teams_word(m.teams),
        fmt_value(d.ly, units),
        fmt_value(d.funded, units),
        fmt_delta(d.ly, d.funded, units)
    );
    let mut legend = track_legend(&[Track::LyActual, Track::Funded]);
    legend.extend(variance_legend());
    c.header(&title, &subtitle, &legend)?;

    let steps = [
        ("LY Actual", 0.0, d.ly, Some(Track::LyActual)),
        ("Flat vs LY", d.ly, d.flat, None),
        ("Investment vs Flat", d.flat, d.investment, None),
        ("Funded vs Investment", d.investment, d.funded, None),
        ("Funded", 0.0, d.funded, Some(Track::Funded)),
    ];
    let all = [0.0, d.ly, d.flat, d.investment, d.funded];
    let lo = all.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = all.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let span = (hi - lo).max(hi.abs()).max(1e-12);
    let axis = Axis::new(
        if lo < 0.0 { lo - 0.12 * span } else { lo },
        if hi > 0.0 { hi + 0.12 * span } else { hi },
        6,
        units.clone(),
    );
    let tick_w = axis.label_width();
    let (left, right) = (LEFT + tick_w + 14.0, RIGHT);
    let (top, bottom) = (BODY_TOP + 20.0, BODY_BOTTOM - 64.0);
    let map = Map::new(&axis, bottom, top);
    c.hgrid(&axis, &map, left, right)?;
    let slot = (right - left) / steps.len() as f64;
    let w = (slot * 0.56).min(170.0);
    let zero = map.at(0.0);
    let mut previous_top: Option<(f64, f64)> = None;
    for (i, (label, from, to, track)) in steps.iter().enumerate() {
        let cx = left + slot * (i as f64 + 0.5);
        let (ya, yb) = (map.at(*from), map.at(*to));
        // Connector from the previous bar's level.
        if let Some((px_end, level)) = previous_top {
            c.dashed((px_end, level), (cx - w / 2.0, level), 1.0, FAINT)?;
        }
        let (text, color) = match track {
            Some(t) => {
                c.bar(cx - w / 2.0, zero, cx + w / 2.0, yb, *t)?;
                (fmt_value(*to, units), INK)
            }
            None => {
                let change = fmt_change(to - from, units);
                let color = judge(&change, *from, *to, Some(m.lower_is_better));
                let (y0, y1) = if (ya - yb).abs() < 3.0 {
                    let mid = (ya + yb) / 2.0;
                    (mid - 1.5, mid + 1.5)
                } else {
                    (ya, yb)
                };
                c.fill(cx - w / 2.0, y0, cx + w / 2.0, y1, color)?;
                (change, color)
            }
        };
        let up = if track.is_some() {
            *to >= 0.0
        } else {
            to >= from
        };
        let edge = if up { ya.min(yb) } else { ya.max(yb) };
        let ly = if up {
            edge - 10.0
        } else {
            edge + 10.0 + LABEL * EM_PER_SIZE * CAP_EM
        };
        c.text(
            &fit(&text, slot - 6.0, LABEL, true),
            cx,
            ly,
            Face(LABEL, true, color),
            HPos::Center,
        )?;
        // Category label, and for steps the level reached.
        c.text(
            &fit(label, slot - 6.0, LABEL, false),
            cx,
            bottom + 30.0,
            Face(LABEL, false, INK),
            HPos::Center,
        )?;
        let sub = match i {
            1 => format!("Flat {}", fmt_value(d.flat, units)),
            2 => format!("Investment {}", fmt_value(d.investment, units)),
            3 => "unfunded teams at Flat".to_string(),
            _ => String::new(),
        };
        c.text(
            &fit(&sub, slot - 6.0, SMALL, false),
            cx,
            bottom + 56.0,
            Face(SMALL, false, MUTED),
            HPos::Center,
        )?;
        previous_top = Some((cx + w / 2.0, yb));
    }
    c.hline(left, right, zero, 2.0, INK)?;
    c.footer(&format!(
        "Source: op1 pack — rollup.csv (scope All). Steps are green where they move {} the favourable way ({} is better).",
        m.name,
        if m.lower_is_better { "lower" } else { "higher" }
    ))
}

fn draw_funding<DB: DrawingBackend>(c: &Ctx<DB>, d: &FundingData) -> Drawn {
    let m = &d.objective;
    let money = Units::Money(d.currency.clone());
    let title = format!(
        "Funding curve: {} uplift against incremental budget, {}",
        m.name, d.currency
    );
    let funded: Vec<&Case> = d.cases.iter().filter(|c| c.funded).collect();
    let spend: f64 = funded.iter().map(|c| c.budget).sum();
    let gain: f64 = funded.iter().map(|c| c.uplift).sum();
    let mut subtitle = format!(
        "{} {} ranked by ROI. ",
        group(d.cases.len() as f64, 0),
        if d.cases.len() == 1 {
            "funding case"
        } else {
            "funding cases"
        }
    );
    match d.envelope {
        Some(e) => subtitle.push_str(&format!(
            "Envelope {}: {} funded for {}, {} uplift {}.",
            short(e),
            group(funded.len() as f64, 0),
            short(spend),
            m.name,
            fmt_change(gain, &m.units)
        )),
        None => subtitle.push_str("No envelope set, nothing funded."),
    }
    if d.not_cases > 0 {
        subtitle.push_str(&format!(
            " {} {} without incremental budget or uplift not shown.",
            group(d.not_cases as f64, 0),
            teams_word(d.not_cases)
        ));
    }
    // Beyond a few dozen cases points would merge into a smear: the curve
    // itself then shows what is funded.
    let dense = d.cases.len() > DENSE_CASES;
    let legend = if dense {
        vec![
            (Key::Line(INK), "Funded cases".to_string()),
            (Key::Line(FAINT), "Not funded".to_string()),
            (Key::Dash, "Envelope".to_string()),
        ]
    } else {
        vec![
            (Key::Point(true), "Funded".to_string()),
            (Key::Point(false), "Not funded".to_string()),
            (Key::Line(FAINT), "Cumulative uplift".to_string()),
            (Key::Dash, "Envelope".to_string()),
        ]
    };
    c.header(&title, &subtitle, &legend)?;

    // Cumulative points, from the origin.
    let mut pts = vec![(0.0, 0.0)];
    let (mut cx, mut cy) = (0.0, 0.0);
    for case in &d.cases {
        cx += case.budget;
        cy += case.uplift;
        pts.push((cx, cy));
    }
    let x_hi = pts
        .iter()
        .map(|p| p.0)
        .chain(d.envelope)
        .fold(0.0, f64::max);
    let y_lo = pts.iter().map(|p| p.1).fold(0.0, f64::min);
    let y_hi = pts.iter().map(|p| p.1).fold(0.0, f64::max);
    let x_axis = Axis::new(0.0, x_hi * 1.04, 8, money.clone());
    let y_axis = Axis::new(
        y_lo,
        y_hi + 0.08 * (y_hi - y_lo).max(1e-12),
        6,
        m.units.clone(),
    );
    let tick_w = y_axis.label_width();
    let (left, right) = (LEFT + tick_w + 14.0, RIGHT - 10.0);
    let (top, bottom) = (BODY_TOP + 40.0, BODY_BOTTOM - 70.0);
    let xm = Map::new(&x_axis, left, right);
    let ym = Map::new(&y_axis, bottom, top);
    if let Some(e) = d.envelope {
        // Beyond the envelope: shaded.
        let ex = xm.at(e);
        c.fill(ex, top, right, bottom, SHADE)?;
    }
    c.hgrid(&y_axis, &ym, left, right)?;
    c.vgrid(&x_axis, &xm, top, bottom)?;
    c.text(
        &format!(
            "Cumulative incremental budget (Investment − Flat), {}; teams in ROI order",
            d.currency
        ),
        (left + right) / 2.0,
        bottom + 58.0,
        Face(LABEL, false, INK),
        HPos::Center,
    )?;
    c.text(
        &title_with_unit(&format!("Cumulative {} uplift", m.name), &m.units),
        left,
        top - 16.0,
        Face(LABEL, false, INK),
        HPos::Left,
    )?;
    c.hline(left, right, ym.at(0.0), 2.0, INK)?;
    c.vline(xm.at(0.0), top, bottom, 2.0, INK)?;

    // The curve, thinned to a vertex every few pixels.
    let mut line: Vec<(f64, f64)> = Vec::new();
    for (i, p) in pts.iter().enumerate() {
        let q = (xm.at(p.0), ym.at(p.1));
        let last = i + 1 == pts.len();
        match line.last() {
            Some(prev) if !last && near(*prev, q, 3.0) => {}
            _ => line.push(q),
        }
    }
    c.line(&line, FAINT, 3)?;
    if dense {
        // Funded cases drawn over the curve, run by run.
        let mut run: Vec<(f64, f64)> = Vec::new();
        for (i, case) in d.cases.iter().enumerate() {
            let (a, b) = (pts[i], pts[i + 1]);
            let (pa, pb) = ((xm.at(a.0), ym.at(a.1)), (xm.at(b.0), ym.at(b.1)));
            if case.funded {
                if run.is_empty() {
                    run.push(pa);
                }
                let far = run.last().is_none_or(|q| !near(*q, pb, 3.0));
                let next_unfunded = d.cases.get(i + 1).is_none_or(|c| !c.funded);
                if far || next_unfunded {
                    run.push(pb);
                }
            } else if !run.is_empty() {
                c.line(&std::mem::take(&mut run), INK, 5)?;
            }
        }
        if run.len() > 1 {
            c.line(&run, INK, 5)?;
        }
    }
    // What labels must not touch: the envelope, its label, the markers, the curve.
    let mut placed: Vec<Box4> = Vec::new();
    if let Some(e) = d.envelope {
        let ex = xm.at(e);
        c.dashed((ex, top - 4.0), (ex, bottom), 2.0, INK)?;
        let label = format!("Envelope {}", short(e));
        let w = text_width(&label, LABEL, true);
        let (tx, bx) = if ex + 8.0 + w <= right {
            (ex + 8.0, ex + 8.0)
        } else {
            (ex - 8.0, ex - 8.0 - w)
        };
        let align = if tx > ex { HPos::Left } else { HPos::Right };
        c.text(&label, tx, top + 22.0, Face(LABEL, true, INK), align)?;
        placed.push((bx - 4.0, top, bx + w + 4.0, top + 30.0));
        placed.push((ex - 3.0, top, ex + 3.0, bottom));
    }
    // Markers, at most one per few pixels of each kind.
    let mut last_drawn: [Option<(f64, f64)>; 2] = [None, None];
    let mut markers: Vec<(f64, f64)> = Vec::new();
    let mut drawn = vec![false; d.cases.len()];
    for (i, (case, p)) in d.cases.iter().zip(pts.iter().skip(1)).enumerate() {
        if dense {
            break;
        }
        let (x, y) = (xm.at(p.0), ym.at(p.1));
        let k = usize::from(case.funded);
        if let Some((lx, ly)) = last_drawn[k] {
            if (x - lx).abs() < 4.0 && (y - ly).abs() < 4.0 {
                continue;
            }
        }
        last_drawn[k] = Some((x, y));
        c.marker(x, y, case.funded)?;
        markers.push((x, y));
        placed.push((x - 8.0, y - 8.0, x + 8.0, y + 8.0));
        drawn[i] = true;
    }
    // Team names where they fit without touching anything, and nearer their
    // own point than any other.
    let h = SMALL * EM_PER_SIZE * CAP_EM;
    for (i, (case, p)) in d.cases.iter().zip(pts.iter().skip(1)).enumerate().take(60) {
        if !drawn[i] {
            continue;
        }
        let (x, y) = (xm.at(p.0), ym.at(p.1));
        let label = fit(&case.team, 220.0, SMALL, false);
        let w = text_width(&label, SMALL, false);
        let candidates = [
            (x + 12.0, y + 8.0 + h, true),
            (x + 12.0, y - 8.0, true),
            (x - 12.0, y - 8.0, false),
            (x - 12.0, y + 8.0 + h, false),
        ];
        for (tx, ty, left_aligned) in candidates {
            let bx0 = if left_aligned { tx } else { tx - w };
            let b = (bx0 - 3.0, ty - h - 3.0, bx0 + w + 3.0, ty + 5.0);
            let inside = b.0 >= left && b.2 <= right && b.1 >= top && b.3 <= bottom;
            let own = box_distance(b, (x, y));
            let clear = inside
                && placed.iter().all(|o| !overlaps(b, *o))
                && markers
                    .iter()
                    .all(|m| *m == (x, y) || box_distance(b, *m) > own + 2.0)
                && line.windows(2).all(|s| !segment_hits(b, s[0], s[1]));
            if clear {
                let align = if left_aligned {
                    HPos::Left
                } else {
                    HPos::Right
                };
                c.text(&label, tx, ty, Face(SMALL, false, MUTED), align)?;
                placed.push(b);
                break;
            }
        }
    }
    c.footer(&format!(
        "Source: op1 pack — funding.csv. Uplift is Investment − Flat on {} ({} is better, so uplift counts the favourable way); cases funded greedily in ROI order while they fit.",
        m.name,
        if m.lower_is_better { "lower" } else { "higher" }
    ))
}

/// Whether two points are within `d` pixels.
fn near(a: (f64, f64), b: (f64, f64), d: f64) -> bool {
    (a.0 - b.0).powi(2) + (a.1 - b.1).powi(2) < d * d
}

/// A box: left, top, right, bottom.
type Box4 = (f64, f64, f64, f64);

fn overlaps(a: Box4, b: Box4) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

fn box_distance(b: Box4, (x, y): (f64, f64)) -> f64 {
    let dx = (b.0 - x).max(0.0).max(x - b.2);
    let dy = (b.1 - y).max(0.0).max(y - b.3);
    (dx * dx + dy * dy).sqrt()
}

/// Whether the segment `p`–`q` crosses the box (Liang–Barsky clipping).
fn segment_hits(b: Box4, p: (f64, f64), q: (f64, f64)) -> bool {
    let (dx, dy) = (q.0 - p.0, q.1 - p.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (edge_p, edge_q) in [
        (-dx, p.0 - b.0),
        (dx, b.2 - p.0),
        (-dy, p.1 - b.1),
        (dy, b.3 - p.1),
    ] {
        if edge_p == 0.0 {
            if edge_q < 0.0 {
                return false;
            }
        } else {
            let r = edge_q / edge_p;
            if edge_p < 0.0 {
                t0 = t0.max(r);
            } else {
                t1 = t1.min(r);
            }
            if t0 > t1 {
                return false;
            }
        }
    }
    true
}

fn draw_ambition<DB: DrawingBackend>(c: &Ctx<DB>, d: &AmbitionData) -> Drawn {
    let title = format!(
        "10× gap: one-year multiple of {} under Investment vs LY Actual",
        d.metric
    );
    let shown = d.rows.len();
    let with_multiple = d.teams - d.no_multiple;
    let mut subtitle = format!(
        "Needed {} a year; {} of {} {} reach it. ",
        fmt_value(d.needed, &Units::Multiple),
        group(d.reaching as f64, 0),
        group(with_multiple as f64, 0),
        teams_word(with_multiple)
    );
    if shown < with_multiple {
        subtitle.push_str(&format!("The {shown} teams furthest behind are shown."));
    } else {
        subtitle.push_str("Teams furthest behind first.");
    }
    if d.no_multiple > 0 {
        subtitle.push_str(&format!(
            " {} without a positive LY Actual not shown.",
            group(d.no_multiple as f64, 0)
        ));
    }
    let legend = vec![
        (
            Key::Track(Track::Investment),
            "Investment ÷ LY Actual".to_string(),
        ),
        (Key::Color(BAD), "gap to needed".to_string()),
        (Key::Color(GOOD), "ahead of needed".to_string()),
        (Key::Dash, "needed multiple".to_string()),
    ];
    c.header(&title, &subtitle, &legend)?;

    let mut rows: Vec<(String, f64, bool)> = Vec::new();
    if let Some(all) = d.all {
        rows.push(("All teams".to_string(), all, true));
    }
    rows.extend(d.rows.iter().map(|(t, m)| (t.clone(), *m, false)));
    let hi = rows.iter().map(|r| r.1).fold(d.needed, f64::max);
    let lo = rows.iter().map(|r| r.1).fold(0.0, f64::min);
    let axis = Axis::new(lo, hi * 1.06, 8, Units::Multiple);
    let (x0, x1) = (LEFT, RIGHT);
    let label_w = 250.0;
    let cols = 230.0;
    let (left, right) = (x0 + label_w, x1 - cols - 16.0);
    let top = BODY_TOP + 44.0;
    let bottom = BODY_BOTTOM - 36.0;
    let n = rows.len().max(1) as f64;
    let row_h = ((bottom - top) / n).min(56.0);
    let rows_bottom = top + row_h * n;
    let map = Map::new(&axis, left, right);
    c.vgrid(&axis, &map, top, rows_bottom)?;
    let (implied_x, gap_x) = (x1 - cols + 100.0, x1);
    c.text(
        "Implied",
        implied_x,
        top - 10.0,
        Face(SMALL, true, MUTED),
        HPos::Right,
    )?;
    c.text(
        "Gap",
        gap_x,
        top - 10.0,
        Face(SMALL, true, MUTED),
        HPos::Right,
    )?;
    let zero = map.at(0.0);
    let needed_x = map.at(d.needed);
    let thick = (row_h * 0.56).min(28.0);
    for (i, (label, multiple, total)) in rows.iter().enumerate() {
        let cy = top + row_h * (i as f64 + 0.5);
        if i == 1 && rows[0].2 {
            c.hline(x0, x1, top + row_h, 1.0, AXIS)?;
        }
        c.text(
            &fit(label, label_w - 14.0, LABEL, *total),
            left - 10.0,
            middle(cy, LABEL),
            Face(LABEL, *total, INK),
            HPos::Right,
        )?;
        let x = map.at(*multiple);
        c.bar(
            zero,
            cy - thick / 2.0,
            x,
            cy + thick / 2.0,
            Track::Investment,
        )?;
        let gap = d.needed - multiple;
        let color = if gap > 0.0 { BAD } else { GOOD };
        c.fill(
            x.min(needed_x),
            cy - thick * 0.2,
            x.max(needed_x),
            cy + thick * 0.2,
            color,
        )?;
        c.text(
            &fmt_value(*multiple, &Units::Multiple),
            implied_x,
            middle(cy, LABEL),
            Face(LABEL, *total, INK),
            HPos::Right,
        )?;
        let gap_text = if gap > 0.0 {
            format!("−{}", fmt_value(gap, &Units::Multiple))
        } else {
            format!("+{}", fmt_value(-gap, &Units::Multiple))
        };
        c.text(
            &gap_text,
            gap_x,
            middle(cy, LABEL),
            Face(LABEL, *total, color),
            HPos::Right,
        )?;
    }
    c.vline(zero, top, rows_bottom, 2.0, INK)?;
    c.dashed((needed_x, top - 30.0), (needed_x, rows_bottom), 2.0, INK)?;
    let label = format!("needed {}", fmt_value(d.needed, &Units::Multiple));
    let w = text_width(&label, SMALL, true);
    let (tx, align) = if needed_x + 8.0 + w <= right {
        (needed_x + 8.0, HPos::Left)
    } else {
        (needed_x - 8.0, HPos::Right)
    };
    c.text(&label, tx, top - 14.0, Face(SMALL, true, INK), align)?;
    c.footer(&format!(
        "Source: op1 pack — ambition.csv. Implied = Investment ÷ LY Actual of {}; needed = the [ambition] multiple spread evenly over its years.",
        d.metric
    ))
}

fn draw_resources<DB: DrawingBackend>(c: &Ctx<DB>, d: &ResourcesData) -> Drawn {
    let title = match d.panels.iter().find(|p| matches!(p.units, Units::Money(_))) {
        Some(p) => format!(
            "Headcount and budget by track, heads and {}",
            p.units.label()
        ),
        None => "Headcount by track, heads".to_string(),
    };
    let subtitle = format!(
        "{} {}: the round, then by top-level org. Budget converted to {} at the round's rates.",
        group(d.teams as f64, 0),
        teams_word(d.teams),
        d.panels
            .iter()
            .find_map(|p| match &p.units {
                Units::Money(c) => Some(c.clone()),
                _ => None,
            })
            .unwrap_or_else(|| "the reporting currency".to_string())
    );
    let tracks = [Track::LyActual, Track::Flat, Track::Investment];
    let legend = track_legend(&tracks);
    c.header(&title, &subtitle, &legend)?;
    let n = d.panels.len().max(1) as f64;
    let gap = 60.0;
    let w = (RIGHT - LEFT - gap * (n - 1.0)) / n;
    for (i, p) in d.panels.iter().enumerate() {
        let x0 = LEFT + (w + gap) * i as f64;
        let x1 = x0 + w;
        let heading = title_with_unit(&p.title, &p.units);
        let total = [Row {
            label: "All teams".to_string(),
            values: p.total.clone(),
            muted: false,
        }];
        grouped_bars(
            c,
            (x0, BODY_TOP, x1, BODY_TOP + 136.0),
            &heading,
            &total,
            &tracks,
            &p.units,
            Bars {
                values: true,
                axis: false,
                delta: Some(("Inv. vs LY", None)),
                max_row: 96.0,
            },
        )?;
        grouped_bars(
            c,
            (x0, BODY_TOP + 160.0, x1, BODY_BOTTOM),
            "By top-level org",
            &p.orgs,
            &tracks,
            &p.units,
            Bars {
                values: true,
                axis: true,
                delta: Some(("Inv. vs LY", None)),
                max_row: 110.0,
            },
        )?;
    }
    c.footer(
        "Source: op1 pack — resources.csv (rows Headcount and Budget; LY Actual is the LY column). Changes in resources are shown neutral: more is neither good nor bad.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_slugs() {
        assert_eq!(slug("Revenue"), "revenue");
        assert_eq!(slug("Operating cost"), "operating-cost");
        assert_eq!(slug("  NPS (score) / Q4 "), "nps-score-q4");
        assert_eq!(slug("Umsatz €"), "umsatz");
        assert_eq!(slug("%"), "metric");
    }

    #[test]
    fn numbers_read_the_way_finance_writes_them() {
        assert_eq!(short(297_137_500.0), "297.1M");
        assert_eq!(short(5_993_000.0), "5.99M");
        assert_eq!(short(6_000_000.0), "6M");
        assert_eq!(short(14_000_000.0), "14.0M");
        assert_eq!(short(150_000.0), "150K");
        assert_eq!(short(3_400_000_000.0), "3.40B");
        assert_eq!(short(1_067.0), "1,067");
        assert_eq!(short(-1_550_000.0), "−1.55M");
        assert_eq!(group(1_234_567.891, 2), "1,234,567.89");
        assert_eq!(group(-0.001, 1), "0.0");
        assert_eq!(fmt_value(0.5136, &Units::Ratio), "51.4%");
        assert_eq!(fmt_value(0.9983, &Units::Ratio), "99.83%");
        assert_eq!(
            fmt_delta(297.1, 408.4, &Units::Count(String::new())),
            "+37.5%"
        );
        assert_eq!(fmt_delta(0.5136, 0.5473, &Units::Ratio), "+3.4 pp");
        assert_eq!(fmt_delta(0.5136, 0.5133, &Units::Ratio), "0.0 pp");
        assert_eq!(
            fmt_delta(-300.0, 900.0, &Units::Count(String::new())),
            "+1,200"
        );
        assert_eq!(judge("0.0 pp", 0.5136, 0.5133, Some(false)), MUTED);
        assert_eq!(judge("+1.0%", 1.0, 1.01, Some(true)), BAD);
        assert_eq!(judge("+1.0%", 1.0, 1.01, None), MUTED);
    }

    #[test]
    fn axes_start_at_zero_and_use_one_scale() {
        let a = Axis::new(0.0, 409_908_300.0, 5, Units::Money("USD".into()));
        assert_eq!((a.lo, a.hi, a.step), (0.0, 500_000_000.0, 100_000_000.0));
        let labels: Vec<String> = a.ticks().iter().map(|t| a.label(*t)).collect();
        assert_eq!(labels, ["0", "100M", "200M", "300M", "400M", "500M"]);
        let b = Axis::new(-300.0, 900.0, 5, Units::Count(String::new()));
        assert!(b.lo <= -300.0 && b.hi >= 900.0 && b.ticks().contains(&0.0));
        let r = Axis::new(0.0, 0.55, 5, Units::Ratio);
        assert_eq!(r.label(0.2), "20%");
        let m = Axis::new(0.0, 2.3, 5, Units::Multiple);
        assert_eq!(m.label(0.0), "0×");
        assert_eq!(m.label(1.5), "1.5×");
        // Degenerate ranges still make an axis.
        let z = Axis::new(0.0, 0.0, 5, Units::Count(String::new()));
        assert!(z.hi > z.lo);
    }

    #[test]
    fn long_labels_are_shortened_to_fit() {
        fonts().unwrap();
        let long = "Payments platform reliability and observability engineering";
        let short_label = fit(long, 200.0, LABEL, false);
        assert!(short_label.ends_with('…'), "{short_label}");
        assert!(text_width(&short_label, LABEL, false) <= 200.0);
        assert_eq!(fit("Data", 200.0, LABEL, false), "Data");
    }

    #[test]
    fn embedded_font_metrics_agree_with_plotters() {
        fonts().unwrap();
        for bold in [false, true] {
            let text = "Revenue by track, USD — 297.1M → 408.4M (+37.4%)";
            let ours = text_width(text, 40.0, bold);
            let theirs = font(40.0, bold).box_size(text).unwrap().0 as f64;
            // plotters adds kerning and truncates; a few pixels either way.
            assert!((ours - theirs).abs() < 6.0, "{ours} vs {theirs}");
        }
    }
}
