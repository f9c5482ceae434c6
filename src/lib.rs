//! op1 reads a folder of OP1 (annual operating plan) team workbooks, checks
//! each plan against the OP1 checklist, models the planning scenarios in
//! Polars and writes one exec pack.
//!
//! The pipeline, one module per stage:
//! [`discover`] → [`read`] → [`check`] → model → write.

pub mod a1;
pub mod check;
pub mod checkpoint;
pub mod contain;
pub(crate) mod currency;
pub mod dictionary;
pub mod diff;
pub mod discover;
pub mod excel_date;
pub(crate) mod fault;
pub mod feedback;
pub mod finding;
pub mod lock;
pub mod manifest;
pub mod model;
pub(crate) mod names;
pub mod number;
pub mod output;
pub mod outputs;
pub mod plan;
pub mod progress;
pub mod provenance;
pub mod read;
pub mod regular;
pub mod reissue;
pub mod replace;
pub mod report;
pub mod run;
pub mod settings;
pub mod snapshot;
pub mod template;
pub(crate) mod text;
pub mod timing;
pub mod write;
