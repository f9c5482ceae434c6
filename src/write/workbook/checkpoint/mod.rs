//! `checkpoint.xlsx`, sheet by sheet: Summary, Status and Metrics measure
//! the round ([`summary`]); Resources, Goals, Decisions, Checks and Sources
//! list things ([`lists`]). This file orders the sheets and holds what they
//! share: the formats, the title rows and the table.

mod lists;
mod summary;

use crate::checkpoint::Checkpoint;
use crate::finding::Finding;
use crate::model::schema;
use crate::plan::UnitKind;
use crate::settings::Settings;
use rust_xlsxwriter::{Color, Format, Worksheet, XlsxError};

pub(super) use crate::write::workbook::sheet::HEADER_ROW;

pub(super) struct Formats {
    pub(super) title: Format,
    pub(super) note: Format,
    pub(super) header: Format,
    pub(super) number: Format,
    /// A computed ratio (Δ%, gap, delivery): one decimal.
    pub(super) ratio: Format,
    /// A `%` metric's value: the decimals it has.
    pub(super) percent: Format,
}

impl Formats {
    /// The format of a value of a metric of `kind`.
    pub(super) fn value(&self, kind: UnitKind) -> &Format {
        match kind {
            UnitKind::Ratio => &self.percent,
            UnitKind::Money | UnitKind::Other => &self.number,
        }
    }
}

impl Formats {
    fn new() -> Formats {
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            note: Format::new()
                .set_italic()
                .set_font_color(Color::RGB(0x595959)),
            header: crate::write::workbook::sheet::header_format(),
            number: Format::new().set_num_format("#,##0.00;[Red]-#,##0.00"),
            ratio: Format::new().set_num_format("0.0%;[Red]-0.0%"),
            percent: Format::new().set_num_format(crate::write::workbook::sheet::PERCENT_VALUE),
        }
    }
}

/// The whole workbook, as bytes.
pub(in crate::write) fn workbook(
    cp: &Checkpoint,
    settings: &Settings,
    findings: &[Finding],
) -> Result<Vec<u8>, XlsxError> {
    let f = Formats::new();
    let mut wb = crate::write::workbook::sheet::dated_workbook("OP1 checkpoint")?;
    let df = with_reporting(cp)?;
    let ws = wb.add_worksheet();
    summary::summary(ws, cp, &df, settings, &f)?;
    let ws = wb.add_worksheet();
    summary::status_grid(ws, &df, &f)?;
    let ws = wb.add_worksheet();
    summary::metrics(ws, &df, &f)?;
    let ws = wb.add_worksheet();
    lists::resources(ws, cp, &f)?;
    let ws = wb.add_worksheet();
    lists::goals(ws, cp, &f)?;
    let ws = wb.add_worksheet();
    lists::decisions(ws, cp, &f)?;
    let ws = wb.add_worksheet();
    lists::checks(ws, findings, &f)?;
    let ws = wb.add_worksheet();
    lists::sources(ws, cp, df.height(), &f)?;
    wb.save_to_buffer()
}

/// The metrics frame with reporting-currency columns for the round totals.
fn with_reporting(cp: &Checkpoint) -> Result<polars::prelude::DataFrame, XlsxError> {
    use polars::prelude::*;
    let rate = col(schema::RATE);
    cp.metrics
        .clone()
        .lazy()
        .with_columns([
            (col("ac_ytd") * rate.clone()).alias("ac_ytd_reporting"),
            (col("pl_ytd") * rate.clone()).alias("pl_ytd_reporting"),
            (col("projection") * rate.clone()).alias("projection_reporting"),
            (col("plan_full_year") * rate).alias("plan_reporting"),
        ])
        .collect()
        .map_err(polars_err)
}

pub(super) use crate::write::workbook::sheet::polars_err;

pub(super) fn title(
    ws: &mut Worksheet,
    f: &Formats,
    title: &str,
    note: &str,
) -> Result<(), XlsxError> {
    ws.write_string_with_format(0, 0, title, &f.title)?;
    ws.write_string_with_format(1, 0, note, &f.note)?;
    Ok(())
}

pub(super) fn table(
    ws: &mut Worksheet,
    f: &Formats,
    name: &str,
    headers: &[&str],
    rows: usize,
) -> Result<(), XlsxError> {
    crate::write::workbook::sheet::add_table(ws, HEADER_ROW, Some(name), headers, rows, &f.header)
}
