//! The workbooks op1 writes for people to open in Excel: the exec pack
//! ([`pack`]), `checkpoint.xlsx` ([`checkpoint`]) and `changes.xlsx`
//! ([`changes`]), on what every sheet shares ([`sheet`]).

pub mod changes;
pub(crate) mod checkpoint;
pub mod pack;
pub(crate) mod sheet;
