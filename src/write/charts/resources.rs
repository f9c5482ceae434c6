//! Headcount and budget by track (`resources`): the round, then by
//! top-level org.

use super::data::{finite_floats, title_with_unit, top_rows, Row};
use super::kit::canvas::{Ctx, Drawn};
use super::kit::numbers::{counted, Units};
use super::kit::style::{track_legend, BODY_BOTTOM, BODY_TOP, LEFT, RIGHT};
use super::tracks::{grouped_bars, Bars};
use crate::model::schema;
use crate::model::{self, Model, HEADS_UNIT};
use crate::plan::{Rollup, Track, UNASSIGNED_ORG};
use plotters::prelude::DrawingBackend;
use polars::prelude::PolarsResult;
use std::collections::{BTreeMap, BTreeSet};

/// Top-level orgs shown by name in the resources chart.
const TOP_ORGS: usize = 8;

/// The resources frame's value columns and the track each is drawn as.
const COLUMNS: [(&str, Track); 3] = [
    ("LY", Track::LyActual),
    ("Flat", Track::Flat),
    ("Investment", Track::Investment),
];

/// The resources charted (by `resource_key`), one panel each.
const HEADCOUNT: &str = "headcount";
const BUDGET: &str = "budget";

struct ResourcePanel {
    title: String,
    units: Units,
    total: Vec<Option<f64>>,
    orgs: Vec<Row>,
}

pub(super) struct ResourcesData {
    panels: Vec<ResourcePanel>,
    teams: usize,
}

pub(super) fn resources_data(model: &Model) -> PolarsResult<Option<ResourcesData>> {
    let df = &model.resources;
    let teams = model::strings(df, schema::TEAM)?;
    let orgs = model::strings(df, schema::ORG)?;
    let keys = model::strings(df, schema::RESOURCE_KEY)?;
    let cols = COLUMNS
        .iter()
        .map(|(name, _)| finite_floats(df, name))
        .collect::<PolarsResult<Vec<_>>>()?;
    let mut panels = Vec::new();
    for (key, title, units) in [
        (HEADCOUNT, "Headcount", Units::Count(HEADS_UNIT.to_string())),
        (
            BUDGET,
            "Budget",
            Units::Money(model.reporting_currency.clone()),
        ),
    ] {
        let mut by_org: BTreeMap<String, Vec<Option<f64>>> = BTreeMap::new();
        let mut total = vec![None; COLUMNS.len()];
        let mut any = false;
        for i in (0..teams.len()).filter(|i| keys[*i] == key) {
            any = true;
            let top = orgs[i].split('/').next().unwrap_or("").trim().to_string();
            let top = if top.is_empty() {
                UNASSIGNED_ORG.to_string()
            } else {
                top
            };
            let row = by_org
                .entry(top)
                .or_insert_with(|| vec![None; COLUMNS.len()]);
            for t in 0..COLUMNS.len() {
                if let Some(v) = cols[t][i] {
                    row[t] = Some(row[t].unwrap_or(0.0) + v);
                    total[t] = Some(total[t].unwrap_or(0.0) + v);
                }
            }
        }
        if !any {
            continue;
        }
        let (orgs, _) = top_rows(by_org, TOP_ORGS, Rollup::Sum, None, "org");
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

pub(super) fn draw_resources<DB: DrawingBackend>(c: &Ctx<DB>, d: &ResourcesData) -> Drawn {
    let title = match d.panels.iter().find(|p| matches!(p.units, Units::Money(_))) {
        Some(p) => format!(
            "Headcount and budget by track, {HEADS_UNIT} and {}",
            p.units.label()
        ),
        None => format!("Headcount by track, {HEADS_UNIT}"),
    };
    let subtitle = format!(
        "{}: the round, then by top-level org. Budget converted to {} at the round's rates.",
        counted(d.teams, "team"),
        d.panels
            .iter()
            .find_map(|p| match &p.units {
                Units::Money(c) => Some(c.clone()),
                _ => None,
            })
            .unwrap_or_else(|| "the reporting currency".to_string())
    );
    let tracks = COLUMNS.map(|(_, track)| track);
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
        // The round and the orgs on one scale: 928 heads are drawn longer than 506.
        let every = p
            .total
            .iter()
            .chain(p.orgs.iter().flat_map(|r| r.values.iter()))
            .flatten()
            .copied();
        let range = every.fold((0.0f64, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
        grouped_bars(
            c,
            (x0, BODY_TOP, x1, BODY_TOP + 160.0),
            &heading,
            &total,
            &tracks,
            &p.units,
            Bars {
                values: true,
                axis: true,
                delta: Some(("Inv. vs LY", None)),
                max_row: 96.0,
                range: Some(range),
            },
        )?;
        grouped_bars(
            c,
            (x0, BODY_TOP + 184.0, x1, BODY_BOTTOM),
            "By top-level org",
            &p.orgs,
            &tracks,
            &p.units,
            Bars {
                values: true,
                axis: true,
                delta: Some(("Inv. vs LY", None)),
                max_row: 110.0,
                range: Some(range),
            },
        )?;
    }
    c.footer(
        "Source: op1 pack — resources.csv (rows Headcount and Budget; LY Actual is the LY column). Changes in resources are shown neutral: more is neither good nor bad.",
    )
}
