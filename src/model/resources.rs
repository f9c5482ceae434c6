//! Resources (headcount, budget, …) per team and track, money converted to
//! the reporting currency.

use crate::model::schema;
use crate::names::normalise;
use crate::plan::{TeamWorkbook, UnitKind, Val};
use crate::settings::Settings;
use polars::prelude::*;

/// Rounds to a millionth: conversion without float noise.
fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// The unit of a resource counted in heads.
pub(crate) const HEADS_UNIT: &str = "heads";

pub(super) fn resources(
    workbooks: &[&TeamWorkbook],
    settings: &Settings,
) -> PolarsResult<DataFrame> {
    let (mut team, mut org, mut resource, mut key, mut unit, mut order) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    let (mut ly, mut flat, mut inv, mut ly_col, mut flat_col, mut inv_col) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    let (mut row, mut unit_kind) = (vec![], vec![]);
    for wb in workbooks {
        let currency = wb.currency_or(&settings.reporting_currency);
        for (i, r) in wb.resources.iter().enumerate() {
            let heads = r.is_headcount();
            let rate = if heads {
                Some(1.0)
            } else {
                settings.rate(currency)
            };
            let conv = |v: &Option<Val<f64>>| {
                v.as_ref()
                    .and_then(|v| rate.map(|rate| round6(v.value * rate)))
            };
            // Every value of a resource sits on its row; only the column differs.
            let col_of = |v: &Option<Val<f64>>| v.as_ref().map(|v| v.pos.col);
            team.push(wb.name());
            org.push(wb.org_path());
            resource.push(r.name.value.clone());
            key.push(normalise(&r.name.value));
            unit.push(if heads {
                HEADS_UNIT
            } else {
                settings.reporting_currency.as_str()
            });
            unit_kind.push(
                if heads {
                    UnitKind::Other
                } else {
                    UnitKind::Money
                }
                .name(),
            );
            order.push(i as u32);
            ly.push(conv(&r.ly));
            flat.push(conv(&r.flat));
            inv.push(conv(&r.investment));
            row.push(r.name.pos.row);
            ly_col.push(col_of(&r.ly));
            flat_col.push(col_of(&r.flat));
            inv_col.push(col_of(&r.investment));
        }
    }
    df!(
        schema::TEAM => team, schema::ORG => org, schema::RESOURCE => resource, schema::RESOURCE_KEY => key, schema::UNIT => unit,
        schema::RESOURCE_ORDER => order, "LY" => ly, "Flat" => flat, "Investment" => inv,
        schema::SOURCE_ROW => row,
        schema::SOURCE_COL_LY => ly_col, schema::SOURCE_COL_FLAT => flat_col, schema::SOURCE_COL_INVESTMENT => inv_col,
        schema::UNIT_KIND => unit_kind,
    )?
    .lazy()
    .with_columns([
        (col("Investment") - col("Flat")).alias(schema::INCREMENTAL),
        (col("Flat") - col("LY")).alias(schema::FLAT_VS_LY),
    ])
    .sort_by_exprs(
        [col(schema::TEAM), col(schema::RESOURCE_ORDER)],
        SortMultipleOptions::default(),
    )
    .collect()
}
