//! Column readers: a frame's column as a plain Rust vector — text, numbers,
//! flags, and the enums (unit kind, direction, roll-up, track) the model
//! stores by name, read back as the enums.

use crate::plan::{Better, Rollup, Track, UnitKind};
use polars::prelude::*;

/// Reads a string column into owned strings (nulls as empty).
pub fn strings(df: &DataFrame, name: &str) -> PolarsResult<Vec<String>> {
    Ok(df
        .column(name)?
        .str()?
        .iter()
        .map(|s| s.unwrap_or("").to_string())
        .collect())
}

/// Reads a float column (nulls as `None`).
pub fn floats(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<f64>>> {
    Ok(df
        .column(name)?
        .cast(&DataType::Float64)?
        .f64()?
        .iter()
        .collect())
}

/// Reads an unsigned integer column (nulls as `None`).
pub(crate) fn uints(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<u32>>> {
    Ok(df
        .column(name)?
        .cast(&DataType::UInt32)?
        .u32()?
        .iter()
        .collect())
}

/// Reads a boolean column (nulls as `None`).
pub fn bools(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<bool>>> {
    Ok(df.column(name)?.bool()?.iter().collect())
}

/// Reads a column of enum names back into the enum; a name the enum does not
/// know (or a null) is an error, never a silent default.
fn enums<T>(df: &DataFrame, name: &str, parse: fn(&str) -> Option<T>) -> PolarsResult<Vec<T>> {
    df.column(name)?
        .str()?
        .iter()
        .map(|s| {
            s.and_then(parse).ok_or_else(|| {
                polars_err!(ComputeError: "column \"{name}\" holds {s:?}, which op1 does not know")
            })
        })
        .collect()
}

/// Reads a `unit_kind` column.
pub(crate) fn unit_kinds(df: &DataFrame, name: &str) -> PolarsResult<Vec<UnitKind>> {
    enums(df, name, UnitKind::parse)
}

/// Reads a `better` column.
pub(crate) fn betters(df: &DataFrame, name: &str) -> PolarsResult<Vec<Better>> {
    enums(df, name, Better::parse)
}

/// Reads a `rollup` column.
pub(crate) fn rollups(df: &DataFrame, name: &str) -> PolarsResult<Vec<Rollup>> {
    enums(df, name, Rollup::parse)
}

/// Reads a `track` column.
pub(crate) fn tracks(df: &DataFrame, name: &str) -> PolarsResult<Vec<Track>> {
    enums(df, name, Track::parse)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_columns_read_back_and_refuse_unknown_names() {
        let df = df!("track" => ["Flat", "Funded"], "bad" => ["Flat", "Fundd"]).unwrap();
        assert_eq!(tracks(&df, "track").unwrap(), [Track::Flat, Track::Funded]);
        let err = tracks(&df, "bad").unwrap_err().to_string();
        assert!(err.contains("Fundd"), "{err}");
    }
}
