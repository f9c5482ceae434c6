//! Resources (headcount, budget, …) per team and track, money converted to
//! the reporting currency.

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
                .as_str(),
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
        "team" => team, "org" => org, "resource" => resource, "resource_key" => key, "unit" => unit,
        "resource_order" => order, "LY" => ly, "Flat" => flat, "Investment" => inv,
        "source_row" => row,
        "source_col_ly" => ly_col, "source_col_flat" => flat_col, "source_col_investment" => inv_col,
        "unit_kind" => unit_kind,
    )?
    .lazy()
    .with_columns([
        (col("Investment") - col("Flat")).alias("incremental"),
        (col("Flat") - col("LY")).alias("flat_vs_ly"),
    ])
    .sort_by_exprs(
        [col("team"), col("resource_order")],
        SortMultipleOptions::default(),
    )
    .collect()
}
