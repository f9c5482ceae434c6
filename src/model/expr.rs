//! The expressions the model's stages share, built from the enums so that no
//! stage spells a unit kind, direction, roll-up or track by hand.

use crate::model::schema;
use crate::plan::{Better, Rollup, Track, UnitKind};
use polars::prelude::*;

/// `track == t`.
pub(crate) fn track_is(t: Track) -> Expr {
    col(schema::TRACK).eq(lit(t.name()))
}

/// `unit_kind == k`.
pub(crate) fn unit_kind_is(k: UnitKind) -> Expr {
    col(schema::UNIT_KIND).eq(lit(k.name()))
}

/// `better == b`.
pub(crate) fn better_is(b: Better) -> Expr {
    col(schema::BETTER).eq(lit(b.name()))
}

/// `rollup == r`.
pub(crate) fn rollup_is(r: Rollup) -> Expr {
    col(schema::ROLLUP_HOW).eq(lit(r.name()))
}

/// The unit a value is shown in once converted: the reporting currency for
/// money, the metric's own unit otherwise.
pub(crate) fn reporting_unit(reporting: &str) -> Expr {
    when(unit_kind_is(UnitKind::Money))
        .then(lit(reporting))
        .otherwise(col(schema::UNIT))
        .alias(schema::UNIT)
}

/// The first value of each named column within a group.
pub(crate) fn firsts(names: &[&str]) -> Vec<Expr> {
    names.iter().map(|n| col(*n).first()).collect()
}

/// A group's values of one track, in the reporting currency.
pub(crate) fn track_value(track: Track) -> Expr {
    col(schema::VALUE_REPORTING).filter(track_is(track))
}
