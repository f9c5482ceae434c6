//! The one table writer: an Excel table under a sheet's title and note,
//! frames written column by column as their [`ColumnKind`] says, and a frame's
//! columns read once ([`Cols`]).

use super::Pack;
use crate::model::schema;
use crate::model::{bools, floats, strings};
use crate::plan::UnitKind;
use polars::prelude::DataFrame;
use rust_xlsxwriter::{Worksheet, XlsxError};
use std::collections::BTreeMap;

pub(super) use crate::write::workbook::sheet::HEADER_ROW;
impl Pack<'_, '_> {
    /// An Excel table over `rows` data rows starting under [`HEADER_ROW`].
    pub(super) fn table(
        &self,
        ws: &mut Worksheet,
        name: &str,
        headers: &[&str],
        rows: usize,
    ) -> Result<(), XlsxError> {
        self.table_at(ws, HEADER_ROW, name, headers, rows)
    }

    /// An Excel table whose header is in row `top`.
    fn table_at(
        &self,
        ws: &mut Worksheet,
        top: u32,
        name: &str,
        headers: &[&str],
        rows: usize,
    ) -> Result<(), XlsxError> {
        crate::write::workbook::sheet::add_table(
            ws,
            top,
            Some(name),
            headers,
            rows,
            &self.shared.fmt.header,
        )
    }

    pub(super) fn frame_table(
        &mut self,
        ws: &mut Worksheet,
        name: &str,
        df: &DataFrame,
        columns: &[(&str, &str, ColumnKind)],
    ) -> Result<usize, XlsxError> {
        self.frame_table_at(ws, HEADER_ROW, name, df, columns)
    }

    /// A frame as an Excel table whose header is in row `top`, each column
    /// written as its [`ColumnKind`] says.
    pub(super) fn frame_table_at(
        &mut self,
        ws: &mut Worksheet,
        top: u32,
        name: &str,
        df: &DataFrame,
        columns: &[(&str, &str, ColumnKind)],
    ) -> Result<usize, XlsxError> {
        let headers: Vec<&str> = columns.iter().map(|(_, h, _)| *h).collect();
        let n = df.height();
        self.table_at(ws, top, name, &headers, n)?;
        let cols = Cols::new(df).map_err(polars_err)?;
        for i in 0..n {
            let r = top + 1 + i as u32;
            for (c, (key, _, kind)) in columns.iter().enumerate() {
                let c = c as u16;
                match kind {
                    ColumnKind::Text => {
                        let v = cols.text(key, i);
                        self.text(ws, r, c, v, name)?;
                    }
                    ColumnKind::Bool => {
                        if let Some(b) = cols.flag(key, i) {
                            ws.write_string(r, c, if b { "yes" } else { "no" })?;
                        }
                    }
                    ColumnKind::Num(unit) => {
                        if let Some(v) = cols.float(key, i) {
                            let f = match unit {
                                Unit::Multiple => &self.shared.fmt.multiple,
                                Unit::Of(kind) => self.shared.fmt.num(*kind, v),
                                Unit::OfRow => {
                                    let kind = UnitKind::parse(cols.text(schema::UNIT_KIND, i))
                                        .unwrap_or(UnitKind::Other);
                                    self.shared.fmt.num(kind, v)
                                }
                            };
                            ws.write_number_with_format(r, c, v, f)?;
                        }
                    }
                    ColumnKind::Filled => {}
                }
            }
        }
        for (c, (key, header, kind)) in columns.iter().enumerate() {
            ws.set_column_width(c as u16, column_width(header, kind, &cols, key, n))?;
        }
        Ok(n)
    }
}

/// How a column of a frame is written.
pub(super) enum ColumnKind {
    Text,
    Bool,
    /// A number, formatted for its unit.
    Num(Unit),
    /// Left empty for the caller to fill (live formulas, links).
    Filled,
}

/// A column wide enough for its header on one line and its longest text (a
/// number column: a formatted amount), within 10 and 40 characters — so that
/// neither headers nor values such as org paths are cut off.
fn column_width(header: &str, kind: &ColumnKind, cols: &Cols, key: &str, rows: usize) -> f64 {
    let content = match kind {
        ColumnKind::Text => (0..rows)
            .map(|i| cols.text(key, i).chars().count())
            .max()
            .unwrap_or(0),
        ColumnKind::Num(_) | ColumnKind::Filled => 12,
        ColumnKind::Bool => 3,
    };
    (header.chars().count().max(content) + 2).clamp(10, 40) as f64
}

/// The unit a number column is formatted for.
pub(super) enum Unit {
    /// Every value is of this kind.
    Of(UnitKind),
    /// Each row's `unit_kind` column says.
    OfRow,
    /// A multiple (`1.25×`).
    Multiple,
}

/// A frame's columns, read once.
#[derive(Default)]
pub(super) struct Cols {
    text: BTreeMap<String, Vec<String>>,
    num: BTreeMap<String, Vec<Option<f64>>>,
    flag: BTreeMap<String, Vec<Option<bool>>>,
}

impl Cols {
    pub(super) fn new(df: &DataFrame) -> polars::prelude::PolarsResult<Cols> {
        use polars::prelude::DataType;
        let mut cols = Cols {
            text: BTreeMap::new(),
            num: BTreeMap::new(),
            flag: BTreeMap::new(),
        };
        for name in df.get_column_names_owned() {
            let name = name.to_string();
            match df.column(&name)?.dtype() {
                DataType::String => {
                    cols.text.insert(name.clone(), strings(df, &name)?);
                }
                DataType::Boolean => {
                    cols.flag.insert(name.clone(), bools(df, &name)?);
                }
                DataType::Null => {}
                _ => {
                    cols.num.insert(name.clone(), floats(df, &name)?);
                }
            }
        }
        Ok(cols)
    }

    pub(super) fn text(&self, name: &str, i: usize) -> &str {
        self.text
            .get(name)
            .and_then(|c| c.get(i))
            .map_or("", String::as_str)
    }

    pub(super) fn float(&self, name: &str, i: usize) -> Option<f64> {
        self.num
            .get(name)
            .and_then(|c| c.get(i).copied().flatten())
            .filter(|v| v.is_finite())
    }

    /// A row or column index stored as a number.
    pub(super) fn index(&self, name: &str, i: usize) -> Option<u32> {
        self.float(name, i).map(|v| v as u32)
    }

    pub(super) fn flag(&self, name: &str, i: usize) -> Option<bool> {
        self.flag
            .get(name)
            .and_then(|c| c.get(i).copied().flatten())
    }
}

pub(super) use crate::write::workbook::sheet::polars_err;
