//! The pack's shared cell formats ([`Formats`]) and cell helpers: Excel's
//! limits, cached formula results, text cut to Excel's
//! cell limit, sheet titles.

use super::Pack;
use crate::a1::cell_name;
use crate::finding::{Finding, Rule};
use crate::plan::UnitKind;
use rust_xlsxwriter::{Color, Format, FormatBorder, Formula, Worksheet, XlsxError};

/// Excel's limits (a cell's text: [`crate::text::EXCEL_CELL_UNITS`]).
pub(super) const MAX_ROWS: usize = 1_048_576;
pub(super) const MAX_LINKS: usize = 65_530;

/// The cached-result text of a number, as Excel writes it.
pub(super) fn result(n: f64) -> String {
    if n.is_finite() {
        format!("{n}")
    } else {
        String::new()
    }
}

pub(super) struct Formats {
    pub(super) title: Format,
    pub(super) note: Format,
    pub(super) header: Format,
    pub(super) money: Format,
    /// A computed ratio (Δ %, a share): one decimal.
    pub(super) ratio: Format,
    /// A `%` metric's value: the decimals it has.
    percent: Format,
    pub(super) count: Format,
    decimal: Format,
    pub(super) multiple: Format,
    /// Percentage points: the change of a `%` metric, ×100 ("+3.4 pp").
    pub(super) points: Format,
    pub(super) bold: Format,
    pub(super) link: Format,
}

impl Formats {
    /// Every format, in a fixed order.
    pub(super) fn all(&self) -> [&Format; 12] {
        [
            &self.title,
            &self.note,
            &self.header,
            &self.money,
            &self.ratio,
            &self.percent,
            &self.count,
            &self.decimal,
            &self.multiple,
            &self.points,
            &self.bold,
            &self.link,
        ]
    }

    pub(super) fn new() -> Formats {
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            note: Format::new()
                .set_italic()
                .set_font_color(Color::RGB(0x595959)),
            header: crate::write::workbook::sheet::header_format()
                .set_border_bottom(FormatBorder::Thin),
            money: Format::new().set_num_format("#,##0;[Red]-#,##0"),
            ratio: Format::new().set_num_format("0.0%;[Red]-0.0%"),
            percent: Format::new().set_num_format(crate::write::workbook::sheet::PERCENT_VALUE),
            // Excel shows a trailing "." for `#,##0.##` on whole numbers, so
            // whole and fractional counts get formats of their own.
            count: Format::new().set_num_format("#,##0;[Red]-#,##0"),
            decimal: Format::new().set_num_format("#,##0.00;[Red]-#,##0.00"),
            multiple: Format::new().set_num_format("0.00\"×\""),
            points: Format::new().set_num_format("+0.0\" pp\";[Red]-0.0\" pp\";0.0\" pp\""),
            bold: Format::new().set_bold(),
            link: Format::new()
                .set_font_color(Color::RGB(0x0563C1))
                .set_underline(rust_xlsxwriter::FormatUnderline::Single),
        }
    }

    /// The format for a value of a unit kind: counts with decimals only when they have them.
    pub(super) fn num(&self, unit_kind: UnitKind, v: f64) -> &Format {
        match unit_kind {
            UnitKind::Money | UnitKind::Ratio => self.for_unit(unit_kind),
            UnitKind::Other if v.fract() != 0.0 => &self.decimal,
            UnitKind::Other => &self.count,
        }
    }

    pub(super) fn for_unit(&self, unit_kind: UnitKind) -> &Format {
        match unit_kind {
            UnitKind::Money => &self.money,
            UnitKind::Ratio => &self.percent,
            UnitKind::Other => &self.count,
        }
    }
}

impl Pack<'_, '_> {
    /// The change from cell `old` to cell `new` of a metric (cached values
    /// `values`): Δ in the metric's unit — for a `%` metric in percentage
    /// points, (new − old) × 100 — at column `c`, and the relative change Δ %
    /// at `c + 1` (not for a `%` metric: a change of a ratio is read in pp).
    pub(super) fn changes(
        &self,
        ws: &mut Worksheet,
        (row, c): (u32, u16),
        unit_kind: UnitKind,
        (old, new): (&str, &str),
        values: (Option<f64>, Option<f64>),
    ) -> Result<(), XlsxError> {
        let delta = |scale: f64| match values {
            (Some(o), Some(n)) => result((n - o) * scale),
            _ => String::new(),
        };
        if unit_kind == UnitKind::Ratio {
            let f = Formula::new(format!("=({new}-{old})*100")).set_result(delta(100.0));
            ws.write_formula_with_format(row, c, f, &self.shared.fmt.points)?;
            return Ok(());
        }
        let f = Formula::new(format!("={new}-{old}")).set_result(delta(1.0));
        ws.write_formula_with_format(row, c, f, self.shared.fmt.for_unit(unit_kind))?;
        let pct = match values {
            (Some(o), Some(n)) if o != 0.0 => result((n - o) / o.abs()),
            _ => String::new(),
        };
        let f = Formula::new(format!("=IF({old}=0,\"\",({new}-{old})/ABS({old}))")).set_result(pct);
        ws.write_formula_with_format(row, c + 1, f, &self.shared.fmt.ratio)?;
        Ok(())
    }

    pub(super) fn text(
        &mut self,
        ws: &mut Worksheet,
        row: u32,
        col: u16,
        value: &str,
        sheet: &str,
    ) -> Result<(), XlsxError> {
        if let Some(cut) = crate::text::cut_for_excel(value) {
            ws.write_string(row, col, cut)?;
            self.findings.push(
                Finding::new(
                    Rule::CellTruncated,
                    format!(
                        "a text of {} UTF-16 units (\"{}\") was cut to Excel's 32,767 in exec-pack.xlsx; the full text stays in the team's workbook",
                        crate::text::fmt_amount(value.encode_utf16().count() as f64),
                        crate::text::clip(value)
                    ),
                )
                .file(crate::outputs::PACK_FILE)
                .sheet(sheet)
                .cell(cell_name(row, col as u32)),
            );
        } else if !value.is_empty() {
            ws.write_string(row, col, value)?;
        }
        Ok(())
    }

    pub(super) fn title(
        &self,
        ws: &mut Worksheet,
        title: &str,
        note: &str,
    ) -> Result<(), XlsxError> {
        ws.write_string_with_format(0, 0, title, &self.shared.fmt.title)?;
        ws.write_string_with_format(1, 0, note, &self.shared.fmt.note)?;
        Ok(())
    }
}
