//! The long table: one row per team × metric × track, gathered from the
//! workbooks (with the source cell of every value), converted to the
//! reporting currency, plus the modelled Funded rows.

use super::team_org;
use crate::plan::{TeamWorkbook, Track, UnitKind};
use crate::read::parse::normalise;
use crate::settings::Settings;
use polars::prelude::*;

/// The tracks read from workbooks, in output order (`Funded` is modelled).
const READ_TRACKS: [Track; 5] = [
    Track::LyTarget,
    Track::LyActual,
    Track::Baseline,
    Track::Flat,
    Track::Investment,
];

/// How a blank Baseline's source begins: the LY Actual cell it was taken from follows.
pub const BLANK_BASELINE: &str = "blank; equals LY Actual at ";

/// The rows read from the workbooks, with their value in reporting currency.
pub(super) fn raw_long(
    workbooks: &[&TeamWorkbook],
    settings: &Settings,
) -> PolarsResult<LazyFrame> {
    Ok(raw_metrics(workbooks, settings)?.lazy().with_column(
        when(col("unit_kind").eq(lit("money")))
            // Rounded to a millionth of a unit: removes float noise from the
            // conversion (777599.9999999995) without changing any cent.
            .then((col("value") * col("rate")).round(6, RoundMode::HalfToEven))
            .otherwise(col("value"))
            .alias("value_reporting"),
    ))
}

/// The Funded track: each team's Investment rows if it is funded, else its Flat rows.
pub(super) fn funded_rows(raw: LazyFrame, funding: &DataFrame) -> LazyFrame {
    raw.filter(
        col("track")
            .eq(lit("Flat"))
            .or(col("track").eq(lit("Investment"))),
    )
    .join(
        funding.clone().lazy().select([col("team"), col("funded")]),
        [col("team")],
        [col("team")],
        JoinArgs::new(JoinType::Left),
    )
    .filter(
        col("track")
            .eq(lit("Investment"))
            .and(col("funded").fill_null(lit(false)))
            .or(col("track")
                .eq(lit("Flat"))
                .and(col("funded").fill_null(lit(false)).not())),
    )
    .drop(cols(["funded"]))
    .with_columns([
        lit(Track::Funded.name()).alias("track"),
        lit(Track::Funded as u32)
            .cast(DataType::UInt32)
            .alias("track_order"),
    ])
}

fn raw_metrics(workbooks: &[&TeamWorkbook], settings: &Settings) -> PolarsResult<DataFrame> {
    use rayon::prelude::*;
    // One workbook's rows at a time, on every core, then joined in order.
    let parts: Vec<RawColumns> = workbooks
        .par_iter()
        .map(|wb| raw_rows(wb, settings))
        .collect();
    let mut c = RawColumns::default();
    for part in parts {
        c.append(part);
    }
    df!(
        "team" => c.team, "org" => c.org, "metric" => c.metric, "metric_key" => c.metric_key,
        "metric_order" => c.metric_order, "unit" => c.unit, "unit_kind" => c.unit_kind,
        "better" => c.better, "rollup" => c.rollup, "track" => c.track, "track_order" => c.track_order,
        "value" => c.value, "currency" => c.currency, "rate" => c.rate, "source" => c.source,
    )
}

/// The long-table rows of one workbook: a row per metric × track read.
fn raw_rows<'a>(wb: &'a TeamWorkbook, settings: &Settings) -> RawColumns<'a> {
    let mut c = RawColumns::default();
    let org = team_org(wb);
    for (order, m) in wb.metrics.iter().enumerate() {
        let currency = (m.unit_kind == UnitKind::Money).then_some(m.unit.value.as_str());
        let rate = currency.and_then(|cur| settings.rate(cur));
        let key = normalise(&m.name.value);
        for track in READ_TRACKS {
            let (value, source) = match (track, m.track(track)) {
                (_, Some(v)) => (v.value, wb.source(v.pos)),
                (Track::Baseline, None) => match &m.ly_actual {
                    Some(ly) => (ly.value, format!("{BLANK_BASELINE}{}", wb.source(ly.pos))),
                    None => continue,
                },
                _ => continue,
            };
            c.team.push(wb.name());
            c.org.push(org.clone());
            c.metric.push(&m.name.value);
            c.metric_key.push(key.clone());
            c.metric_order.push(order as u32);
            c.unit.push(&m.unit.value);
            c.unit_kind.push(m.unit_kind.as_str());
            c.better.push(m.better.as_str());
            c.rollup.push(m.rollup.as_str());
            c.track.push(track.name());
            c.track_order.push(track as u32);
            c.value.push(value);
            c.currency.push(currency);
            c.rate.push(rate);
            c.source.push(source);
        }
    }
    c
}

/// The long table's columns as they are gathered, borrowing the workbooks' text.
#[derive(Default)]
struct RawColumns<'a> {
    team: Vec<&'a str>,
    org: Vec<String>,
    metric: Vec<&'a str>,
    metric_key: Vec<String>,
    metric_order: Vec<u32>,
    unit: Vec<&'a str>,
    unit_kind: Vec<&'static str>,
    better: Vec<&'static str>,
    rollup: Vec<&'static str>,
    track: Vec<&'static str>,
    track_order: Vec<u32>,
    value: Vec<f64>,
    currency: Vec<Option<&'a str>>,
    rate: Vec<Option<f64>>,
    source: Vec<String>,
}

impl<'a> RawColumns<'a> {
    fn append(&mut self, mut other: RawColumns<'a>) {
        self.team.append(&mut other.team);
        self.org.append(&mut other.org);
        self.metric.append(&mut other.metric);
        self.metric_key.append(&mut other.metric_key);
        self.metric_order.append(&mut other.metric_order);
        self.unit.append(&mut other.unit);
        self.unit_kind.append(&mut other.unit_kind);
        self.better.append(&mut other.better);
        self.rollup.append(&mut other.rollup);
        self.track.append(&mut other.track);
        self.track_order.append(&mut other.track_order);
        self.value.append(&mut other.value);
        self.currency.append(&mut other.currency);
        self.rate.append(&mut other.rate);
        self.source.append(&mut other.source);
    }
}
