//! Writing what op1 hands over, one folder per medium, one file per command:
//!
//! ```text
//! write/
//!   workbook/   the .xlsx files: the exec pack, checkpoint.xlsx, changes.xlsx
//!   charts/     the PNG/SVG charts, on their drawing kit (charts/kit/)
//!   document/   the round document and the checkpoint memo (HTML, Markdown)
//!   tables.rs   the Parquet/CSV tables
//!   pack.rs        what `op1 pack` writes, in what order
//!   checkpoint.rs  what `op1 checkpoint` writes, in what order
//!   changes.rs     what `op1 diff --out` writes, in what order
//! ```
//!
//! Every file is written atomically (see [`crate::output`]). The writers
//! take what `run` decided and the model computed ([`PackInput`] for the
//! pack) and never decide anything again: the included files, the
//! objective and the rule levels are settled before anything is written.

pub mod changes;
pub mod charts;
pub mod checkpoint;
pub mod document;
mod pack;
pub(crate) mod tables;
pub mod workbook;

pub use pack::write_pack;

use crate::discover::Skipped;
use crate::model::Model;
use crate::plan::{FileRead, TeamWorkbook};
use crate::settings::Settings;
use std::collections::BTreeMap;

/// Everything the writers read: the settings, the files as read, the
/// workbooks included in the pack and the model built from them.
#[derive(Clone, Copy, Debug)]
pub struct PackInput<'a> {
    pub settings: &'a Settings,
    /// Every file read, with its hash and size.
    pub files: &'a [FileRead],
    /// Files passed over, and why.
    pub skipped: &'a [Skipped],
    /// The workbooks in the pack (those without errors), decided by `run`.
    pub included: &'a [&'a TeamWorkbook],
    /// The files left out because they have errors: display path → how many.
    pub excluded: &'a BTreeMap<String, usize>,
    pub model: &'a Model,
    /// What changed since an earlier version (`op1 pack --since`): the pack
    /// gains a Changes sheet, the document a "What changed" chapter and the
    /// charts `changes-bridge`.
    pub since: Option<&'a crate::diff::Changes>,
}

/// How to write the pack.
#[derive(Clone, Copy, Debug)]
pub struct WriteOptions {
    /// Draw the PNG/SVG charts.
    pub charts: bool,
}
