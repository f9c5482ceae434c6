//! The sheets of `checkpoint.xlsx` that list things: Resources against the
//! approved plan, each shared goal as its owners report it, the call on
//! every funded case with the freed budget, and every finding.

use super::{polars_err, table, title, Formats, HEADER_ROW};
use crate::checkpoint::Checkpoint;
use crate::finding::Finding;
use crate::model::schema;
use crate::model::{bools, floats, strings};
use rust_xlsxwriter::{Worksheet, XlsxError};

pub(super) fn resources(ws: &mut Worksheet, cp: &Checkpoint, f: &Formats) -> Result<(), XlsxError> {
    ws.set_name("Resources")?;
    title(ws, f, "Resources against the approved plan", "Headcount: heads at the quarter's end. Money: spent to date, paced to the year (reporting currency).")?;
    let df = &cp.resources;
    let headers = [
        "Team",
        "Resource",
        "Approved",
        "Actual",
        "Projection",
        "Over-committed",
    ];
    table(ws, f, "CheckpointResources", &headers, df.height())?;
    let read = || -> polars::prelude::PolarsResult<_> {
        Ok((
            strings(df, schema::TEAM)?,
            strings(df, schema::RESOURCE)?,
            floats(df, "approved")?,
            floats(df, "actual")?,
            floats(df, "projection")?,
            bools(df, "overcommitted")?,
        ))
    };
    let (team, resource, approved, actual, projection, over) = read().map_err(polars_err)?;
    for i in 0..df.height() {
        let r = HEADER_ROW + 1 + i as u32;
        ws.write_string(r, 0, crate::text::fit_for_excel(&team[i]))?;
        ws.write_string(r, 1, crate::text::fit_for_excel(&resource[i]))?;
        for (c, v) in [approved[i], actual[i], projection[i]]
            .into_iter()
            .enumerate()
        {
            if let Some(v) = v.filter(|v| v.is_finite()) {
                ws.write_number_with_format(r, 2 + c as u16, v, &f.number)?;
            }
        }
        ws.write_string(r, 5, if over[i] == Some(true) { "yes" } else { "no" })?;
    }
    ws.set_column_range_width(0, 5, 16)?;
    Ok(())
}

pub(super) fn goals(ws: &mut Worksheet, cp: &Checkpoint, f: &Formats) -> Result<(), XlsxError> {
    ws.set_name("Goals")?;
    title(
        ws,
        f,
        "Shared goals: each owner's status",
        "A goal's owners should agree; a goal past due is delivered or cut.",
    )?;
    let headers = [
        "ID",
        "Goal",
        "Due",
        "Team",
        "Status",
        "Status note",
        "Owners agree",
        "Overdue",
    ];
    let rows: usize = cp.goals.iter().map(|g| g.owners.len()).sum();
    table(ws, f, "CheckpointGoals", &headers, rows)?;
    let mut r = HEADER_ROW + 1;
    for g in &cp.goals {
        for (team, status, note) in &g.owners {
            ws.write_string(r, 0, crate::text::fit_for_excel(&g.id))?;
            ws.write_string(r, 1, crate::text::fit_for_excel(&g.goal))?;
            ws.write_string(
                r,
                2,
                crate::text::fit_for_excel(g.due.as_deref().unwrap_or_default()),
            )?;
            ws.write_string(r, 3, crate::text::fit_for_excel(team))?;
            ws.write_string(r, 4, status.map_or("", |s| s.name()))?;
            ws.write_string(
                r,
                5,
                crate::text::fit_for_excel(note.as_deref().unwrap_or_default()),
            )?;
            ws.write_string(r, 6, if g.mismatch { "no" } else { "yes" })?;
            ws.write_string(r, 7, if g.overdue { "yes" } else { "no" })?;
            r += 1;
        }
    }
    ws.set_column_width(1, 40)?;
    ws.set_column_width(5, 40)?;
    Ok(())
}

pub(super) fn decisions(ws: &mut Worksheet, cp: &Checkpoint, f: &Formats) -> Result<(), XlsxError> {
    ws.set_name("Decisions")?;
    title(
        ws,
        f,
        "Cut or double down: every funded case",
        &format!(
            "Delivery = projected uplift ÷ planned uplift on the objective. Freed budget (cut or fix): {}.",
            crate::text::fmt_amount(cp.freed_budget)
        ),
    )?;
    let headers = [
        "Team",
        "Budget",
        "Planned uplift",
        "Projected uplift",
        "Delivery",
        "Status",
        "Call",
    ];
    table(ws, f, "Decisions", &headers, cp.decisions.len())?;
    for (i, d) in cp.decisions.iter().enumerate() {
        let r = HEADER_ROW + 1 + i as u32;
        ws.write_string(r, 0, crate::text::fit_for_excel(&d.team))?;
        ws.write_number_with_format(r, 1, d.budget, &f.number)?;
        ws.write_number_with_format(r, 2, d.planned_uplift, &f.number)?;
        if let Some(p) = d.projected_uplift {
            ws.write_number_with_format(r, 3, p, &f.number)?;
        }
        if let Some(x) = d.delivery.filter(|x| x.is_finite()) {
            ws.write_number_with_format(r, 4, x, &f.ratio)?;
        }
        ws.write_string(r, 5, d.status.as_str())?;
        ws.write_string(r, 6, d.call.as_str())?;
    }
    let at = HEADER_ROW + cp.decisions.len().max(1) as u32 + 3;
    ws.write_string_with_format(
        at,
        0,
        "Where the freed budget could go (cases below the line in the round, by ROI)",
        &f.header,
    )?;
    for (i, c) in cp.could_fund.iter().enumerate() {
        let r = at + 1 + i as u32;
        ws.write_string(r, 0, crate::text::fit_for_excel(&c.team))?;
        ws.write_number_with_format(r, 1, c.budget, &f.number)?;
        ws.write_number_with_format(r, 2, c.roi, &f.number)?;
        ws.write_string(
            r,
            3,
            if c.fundable {
                "fundable"
            } else {
                "not with the freed budget"
            },
        )?;
    }
    ws.set_column_range_width(0, 6, 16)?;
    Ok(())
}

pub(super) fn checks(
    ws: &mut Worksheet,
    findings: &[Finding],
    f: &Formats,
) -> Result<(), XlsxError> {
    ws.set_name("Checks")?;
    title(
        ws,
        f,
        "Every finding of the checkpoint",
        "As the report lists them.",
    )?;
    let headers = ["Severity", "Rule", "Team", "Where", "Message"];
    table(ws, f, "CheckpointChecks", &headers, findings.len())?;
    for (i, x) in findings.iter().enumerate() {
        let r = HEADER_ROW + 1 + i as u32;
        ws.write_string(r, 0, x.severity.as_str())?;
        ws.write_string(r, 1, x.rule.id())?;
        ws.write_string(
            r,
            2,
            crate::text::fit_for_excel(x.team.as_deref().unwrap_or_default()),
        )?;
        ws.write_string(r, 3, crate::text::fit_for_excel(&x.location()))?;
        ws.write_string(r, 4, crate::text::fit_for_excel(&x.message))?;
    }
    ws.set_column_width(4, 100)?;
    Ok(())
}

/// Sources: each team's file and the control total of its quarterly actuals
/// as read, against the same total over the Metrics sheet (a live formula).
pub(super) fn sources(
    ws: &mut Worksheet,
    cp: &Checkpoint,
    metric_rows: usize,
    f: &Formats,
) -> Result<(), XlsxError> {
    ws.set_name("Sources")?;
    title(
        ws,
        f,
        "Sources and reconciliation",
        "Each team's workbook, the quarterly actuals read from it, and their sum recomputed from the Metrics sheet: every value came from a named cell and none was lost.",
    )?;
    let headers = [
        "Team",
        "File",
        "Values read",
        "Sum as read",
        "Sum on Metrics",
        "Reconciled",
    ];
    table(ws, f, "CheckpointSources", &headers, cp.sources.len())?;
    let (first, last) = (HEADER_ROW + 2, HEADER_ROW + 1 + metric_rows.max(1) as u32);
    let column = |c: &str| format!("Metrics!${c}${first}:${c}${last}");
    for (i, s) in cp.sources.iter().enumerate() {
        let r = HEADER_ROW + 1 + i as u32;
        ws.write_string(r, 0, crate::text::fit_for_excel(&s.team))?;
        ws.write_string(r, 1, crate::text::fit_for_excel(&s.file))?;
        ws.write_number(r, 2, s.values as f64)?;
        ws.write_number_with_format(r, 3, s.sum, &f.number)?;
        // Q1 to Q4 are the Metrics sheet's columns H to K; Team is A. The
        // team is matched with `=` on this row's own cell: exact (a team
        // named `*` is not every team) and never a long text literal.
        let quarters = ["H", "I", "J", "K"]
            .iter()
            .map(|q| column(q))
            .collect::<Vec<_>>()
            .join("+");
        let formula = format!("=SUMPRODUCT(({}=$A${})*({quarters}))", column("A"), r + 1);
        ws.write_formula_with_format(
            r,
            4,
            rust_xlsxwriter::Formula::new(formula).set_result(s.sum.to_string()),
            &f.number,
        )?;
        let d = crate::a1::cell_name(r, 3);
        let e = crate::a1::cell_name(r, 4);
        ws.write_formula(
            r,
            5,
            rust_xlsxwriter::Formula::new(format!(
                "=IF(ABS({d}-{e})<=0.000001*MAX(1,ABS({d})),\"yes\",\"no\")"
            ))
            .set_result("yes"),
        )?;
    }
    ws.set_column_width(1, 50)?;
    ws.set_column_range_width(2, 5, 14)?;
    Ok(())
}
