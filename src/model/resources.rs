//! Resources (headcount, budget, …) per team and track, money converted to
//! the reporting currency.

use super::{team_currency, team_org};
use crate::plan::TeamWorkbook;
use crate::read::parse::normalise;
use crate::settings::Settings;
use polars::prelude::*;

/// Rounds to a millionth: conversion without float noise.
fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// Whether a resource is counted in heads rather than money.
pub(super) fn is_headcount(name: &str) -> bool {
    matches!(
        normalise(name).as_str(),
        "headcount" | "heads" | "fte" | "ftes" | "people"
    )
}

pub(super) fn resources(
    workbooks: &[&TeamWorkbook],
    settings: &Settings,
) -> PolarsResult<DataFrame> {
    let (mut team, mut org, mut resource, mut key, mut unit, mut order) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    let (mut ly, mut flat, mut inv, mut ly_src, mut flat_src, mut inv_src) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    for wb in workbooks {
        let currency = team_currency(wb, settings);
        for (i, r) in wb.resources.iter().enumerate() {
            let heads = is_headcount(&r.name.value);
            let rate = if heads {
                Some(1.0)
            } else {
                settings.rate(currency)
            };
            let conv = |v: &Option<crate::plan::Val<f64>>| {
                v.as_ref()
                    .and_then(|v| rate.map(|rate| round6(v.value * rate)))
            };
            let src = |v: &Option<crate::plan::Val<f64>>| v.as_ref().map(|v| wb.source(v.pos));
            team.push(wb.name().to_string());
            org.push(team_org(wb));
            resource.push(r.name.value.clone());
            key.push(normalise(&r.name.value));
            unit.push(if heads {
                "heads".to_string()
            } else {
                settings.reporting_currency.clone()
            });
            order.push(i as u32);
            ly.push(conv(&r.ly));
            flat.push(conv(&r.flat));
            inv.push(conv(&r.investment));
            ly_src.push(src(&r.ly));
            flat_src.push(src(&r.flat));
            inv_src.push(src(&r.investment));
        }
    }
    df!(
        "team" => team, "org" => org, "resource" => resource, "resource_key" => key, "unit" => unit,
        "resource_order" => order, "LY" => ly, "Flat" => flat, "Investment" => inv,
        "source_ly" => ly_src, "source_flat" => flat_src, "source_investment" => inv_src,
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
