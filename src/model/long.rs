//! The long table: one row per team × metric × track, gathered from the
//! workbooks (with the cell of every value on the team's Plan sheet, as
//! `source_row`, `source_col` and `source_blank`; the file and sheet are the
//! team's, in [`super::TeamSources`]), converted to the reporting currency,
//! plus the modelled Funded rows.

use super::expr::{track_is, unit_kind_is};
use crate::model::schema;
use crate::names::normalise;
use crate::plan::{TeamWorkbook, Track, UnitKind};
use crate::settings::Settings;
use polars::prelude::*;
use std::collections::HashMap;

/// How far a value as read and the same value as the model carries it may
/// differ and still agree: the model rounds converted money to a millionth of
/// a reporting-currency unit (`1e-6 / rate` in the team's currency), plus
/// float noise. The one tolerance of every reconciliation (the pack's
/// `reconcile` findings and the Sources sheet's control totals).
pub(crate) fn agrees(read: f64, carried: f64, rate: f64) -> bool {
    (read - carried).abs() <= tolerance(read, rate)
}

/// The tolerance [`agrees`] allows around `read`.
pub(crate) fn tolerance(read: f64, rate: f64) -> f64 {
    MILLIONTH / rate + 1e-9 * read.abs()
}

/// The model rounds converted money to this fraction of a unit.
pub(crate) const MILLIONTH: f64 = 1e-6;

/// The rows read from the workbooks, with their value in reporting currency.
pub(super) fn raw_long(
    workbooks: &[&TeamWorkbook],
    settings: &Settings,
) -> PolarsResult<LazyFrame> {
    Ok(raw_metrics(workbooks, settings)?
        .lazy()
        .with_column(value_reporting()))
}

/// A row's value in the reporting currency: money converted at the row's
/// rate, rounded to a millionth of a unit (it removes float noise from the
/// conversion, 777599.9999999995, without changing any cent); other units
/// as they are.
fn value_reporting() -> Expr {
    when(unit_kind_is(UnitKind::Money))
        .then((col(schema::VALUE) * col(schema::RATE)).round(6, RoundMode::HalfToEven))
        .otherwise(col(schema::VALUE))
        .alias(schema::VALUE_REPORTING)
}

/// Each value of a weighted metric with its weight: the weighting metric's
/// value for the same team and track, in the reporting currency (`weight`;
/// null for other metrics, or where the team lacks the weighting metric,
/// which `check` reports as `weight-missing`).
pub(super) fn with_weights(long: LazyFrame) -> LazyFrame {
    let weights = long
        .clone()
        .group_by([
            col(schema::TEAM),
            col(schema::TRACK),
            col(schema::METRIC_KEY),
        ])
        .agg([col(schema::VALUE_REPORTING).first().alias(schema::WEIGHT)])
        .rename([schema::METRIC_KEY], [schema::WEIGHT_KEY], true);
    long.join(
        weights,
        [
            col(schema::TEAM),
            col(schema::TRACK),
            col(schema::WEIGHT_KEY),
        ],
        [
            col(schema::TEAM),
            col(schema::TRACK),
            col(schema::WEIGHT_KEY),
        ],
        JoinArgs::new(JoinType::Left),
    )
}

/// The Funded track: each team's Investment rows if its case is funded
/// whole, its Flat rows if not at all; for a share decided in the room,
/// Flat + share × (Investment − Flat) of every metric, from the Investment
/// cell.
pub(super) fn funded_rows(raw: LazyFrame, funding: &DataFrame) -> PolarsResult<LazyFrame> {
    let shares = funding
        .clone()
        .lazy()
        .select([col(schema::TEAM), col(schema::FRACTION)]);
    let with_share = raw
        .clone()
        .filter(track_is(Track::Flat).or(track_is(Track::Investment)))
        .join(
            shares,
            [col(schema::TEAM)],
            [col(schema::TEAM)],
            JoinArgs::new(JoinType::Left),
        )
        .with_column(col(schema::FRACTION).fill_null(lit(0.0)));
    let share = || col(schema::FRACTION);
    let whole = with_share.clone().filter(
        track_is(Track::Investment)
            .and(share().eq(lit(1.0)))
            .or(track_is(Track::Flat).and(share().eq(lit(0.0)))),
    );
    let investment = raw.filter(track_is(Track::Investment)).select([
        col(schema::TEAM),
        col(schema::METRIC_KEY),
        col(schema::VALUE).alias("investment_value"),
        col(schema::SOURCE_ROW).alias("investment_row"),
        col(schema::SOURCE_COL).alias("investment_col"),
    ]);
    let part = with_share
        .filter(
            track_is(Track::Flat)
                .and(share().gt(lit(0.0)))
                .and(share().lt(lit(1.0))),
        )
        .join(
            investment,
            [col(schema::TEAM), col(schema::METRIC_KEY)],
            [col(schema::TEAM), col(schema::METRIC_KEY)],
            JoinArgs::new(JoinType::Left),
        )
        .with_columns([
            (col(schema::VALUE) + share() * (col("investment_value") - col(schema::VALUE)))
                .alias(schema::VALUE),
            col("investment_row").alias(schema::SOURCE_ROW),
            col("investment_col").alias(schema::SOURCE_COL),
        ])
        .drop(cols([
            "investment_value",
            "investment_row",
            "investment_col",
        ]))
        .with_column(value_reporting());
    Ok(concat([whole, part], UnionArgs::default())?
        .drop(cols([schema::FRACTION]))
        .with_columns([
            lit(Track::Funded.name()).alias(schema::TRACK),
            lit(Track::Funded as u32)
                .cast(DataType::UInt32)
                .alias(schema::TRACK_ORDER),
        ]))
}

fn raw_metrics(workbooks: &[&TeamWorkbook], settings: &Settings) -> PolarsResult<DataFrame> {
    use rayon::prelude::*;
    // One workbook's rows at a time, on every core, then joined in order.
    let order = super::order::round_order(workbooks, &settings.dictionary);
    let parts: Vec<RawColumns> = workbooks
        .par_iter()
        .map(|wb| raw_rows(wb, settings, &order))
        .collect();
    let mut c = RawColumns::default();
    for part in parts {
        c.append(part);
    }
    df!(
        schema::TEAM => c.team, schema::ORG => c.org, schema::METRIC => c.metric, schema::METRIC_KEY => c.metric_key,
        schema::METRIC_ORDER => c.metric_order, schema::UNIT => c.unit, schema::UNIT_KIND => c.unit_kind,
        schema::BETTER => c.better, schema::ROLLUP_HOW => c.rollup, schema::WEIGHT_KEY => c.weight_key, schema::TRACK => c.track, schema::TRACK_ORDER => c.track_order,
        schema::VALUE => c.value, schema::CURRENCY => c.currency, schema::RATE => c.rate,
        schema::SOURCE_ROW => c.source_row, schema::SOURCE_COL => c.source_col, schema::SOURCE_BLANK => c.source_blank,
    )
}

/// The long-table rows of one workbook: a row per metric × track read.
fn raw_rows<'a>(
    wb: &'a TeamWorkbook,
    settings: &Settings,
    order: &HashMap<String, u32>,
) -> RawColumns<'a> {
    let mut c = RawColumns::default();
    let org = wb.org_path();
    for m in &wb.metrics {
        let currency = (m.unit_kind == UnitKind::Money).then_some(m.unit.value.as_str());
        let rate = currency.and_then(|cur| settings.rate(cur));
        let key = normalise(&m.name.value);
        let weight_key = m.weight.as_deref().map(normalise);
        let rank = order.get(&key).copied().unwrap_or(u32::MAX);
        for track in Track::READ {
            // A blank Baseline is LY Actual, and its source says so.
            let (value, source, blank) = match (track, m.track(track)) {
                (_, Some(v)) => (v.value, v.pos, false),
                (Track::Baseline, None) => match &m.ly_actual {
                    Some(ly) => (ly.value, ly.pos, true),
                    None => continue,
                },
                _ => continue,
            };
            c.team.push(wb.name());
            c.org.push(org);
            c.metric.push(&m.name.value);
            c.metric_key.push(key.clone());
            c.metric_order.push(rank);
            c.unit.push(&m.unit.value);
            c.unit_kind.push(m.unit_kind.name());
            c.better.push(m.better.name());
            c.rollup.push(m.rollup.name());
            c.weight_key.push(weight_key.clone());
            c.track.push(track.name());
            c.track_order.push(track as u32);
            c.value.push(value);
            c.currency.push(currency);
            c.rate.push(rate);
            c.source_row.push(source.row);
            c.source_col.push(source.col);
            c.source_blank.push(blank);
        }
    }
    c
}

/// The long table's columns as they are gathered, borrowing the workbooks' text.
#[derive(Default)]
struct RawColumns<'a> {
    team: Vec<&'a str>,
    org: Vec<&'a str>,
    metric: Vec<&'a str>,
    metric_key: Vec<String>,
    metric_order: Vec<u32>,
    unit: Vec<&'a str>,
    unit_kind: Vec<&'static str>,
    better: Vec<&'static str>,
    rollup: Vec<&'static str>,
    /// The normalised name of the metric a weighted metric is weighted by.
    weight_key: Vec<Option<String>>,
    track: Vec<&'static str>,
    track_order: Vec<u32>,
    value: Vec<f64>,
    currency: Vec<Option<&'a str>>,
    rate: Vec<Option<f64>>,
    source_row: Vec<u32>,
    source_col: Vec<u32>,
    source_blank: Vec<bool>,
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
        self.weight_key.append(&mut other.weight_key);
        self.track.append(&mut other.track);
        self.track_order.append(&mut other.track_order);
        self.value.append(&mut other.value);
        self.currency.append(&mut other.currency);
        self.rate.append(&mut other.rate);
        self.source_row.append(&mut other.source_row);
        self.source_col.append(&mut other.source_col);
        self.source_blank.append(&mut other.source_blank);
    }
}
