//! op1's tests, in one binary: it builds and links once (23 binaries each
//! linked Polars). Each module opens by saying what its tests show; new
//! tests go in the module of their kind:
//!
//! - a rule tripped on purpose → `rules` (or the module of its area);
//! - reading a sheet, a column or a value → `check_round`,
//!   `checkpoint_columns`, `narrative`, `dictionary`, `weighted`;
//! - a hostile workbook or round folder → `hostile`; damaged bytes →
//!   `fuzz`, `corpus`; settings as input → `settings_fuzz`;
//! - what the room decides (decisions, caps, groups, the optimum) →
//!   `decision`;
//! - what the model computes → `model`; across the year → `year`,
//!   `checkpoint`;
//! - an output: the exec pack → `exec_pack`, what Excel accepts → `excel`,
//!   printing → `print`, the document → `document`, the charts → `charts`,
//!   the tables and `diff` → `diff`, feedback → `feedback`, the template →
//!   `template`;
//! - a run that fails while writing → `faults`;
//! - what a new user hit → `first_use`;
//! - the layout of the code and the docs → `architecture`, `readme`.
//!
//! Tests run the real binary ([`common::op1`]) on committed fixtures and
//! assert values computed independently.

mod common;

mod architecture;
mod charts;
mod check_round;
mod checkpoint;
mod checkpoint_columns;
mod corpus;
mod decision;
mod dictionary;
mod diff;
mod document;
mod excel;
mod exec_pack;
mod faults;
mod feedback;
mod first_use;
mod fuzz;
mod hostile;
mod model;
mod narrative;
mod print;
mod readme;
mod rules;
mod settings_fuzz;
mod template;
mod weighted;
mod year;
