//! The approved plan a checkpoint measures against: from the pack folder
//! `op1 pack` wrote when the round was approved, or — without one — modelled
//! from the workbooks as they are now. Per team × metric the full-year plan
//! is the `Funded` track; per team × resource the approved amount is the
//! Investment of a funded team and the Flat of the others.

use crate::model::expr::track_is;
use crate::model::schema;
use crate::model::Model;
use crate::plan::Track;
use crate::snapshot::Snapshot;
use polars::prelude::*;
use std::path::PathBuf;

/// Where the approved plan came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlanSource {
    /// An approved pack folder.
    Pack(PathBuf),
    /// The workbooks as they are now (no `--plan` given).
    Workbooks,
}

/// The approved plan.
#[derive(Clone, Debug)]
pub struct Approved {
    pub source: PlanSource,
    /// Every plan value: `team`, `metric_key`, `track`, `value` (team
    /// currency) and, from a pack, its `source` cell as text.
    pub plan: DataFrame,
    /// `team`, `metric_key`, `plan_full_year`: the Funded track.
    pub full_year: DataFrame,
    /// `team`, `resource_key`, `approved` (reporting currency for money).
    pub resources: DataFrame,
    /// `team`, `rank`, `incremental_budget`, `roi`, `funded`.
    pub funding: DataFrame,
}

impl Approved {
    /// The plan of an approved pack.
    ///
    /// # Errors
    /// A [`PolarsError`] when the pack's tables lack a column op1 writes.
    pub fn from_snapshot(s: &Snapshot) -> PolarsResult<Approved> {
        let plan = s
            .long
            .clone()
            .lazy()
            .select([
                col(schema::TEAM),
                col(schema::METRIC_KEY),
                col(schema::TRACK),
                col(schema::VALUE),
                col("source"),
            ])
            .collect()?;
        Approved::new(
            PlanSource::Pack(s.dir.clone()),
            plan,
            &s.resources,
            &s.funding,
        )
    }

    /// The plan modelled from the workbooks as they are now.
    ///
    /// # Errors
    /// A [`PolarsError`] only on an internal inconsistency of the model.
    pub fn from_model(model: &Model) -> PolarsResult<Approved> {
        let plan = model
            .long
            .clone()
            .lazy()
            .select([
                col(schema::TEAM),
                col(schema::METRIC_KEY),
                col(schema::TRACK),
                col(schema::VALUE),
            ])
            .collect()?;
        Approved::new(
            PlanSource::Workbooks,
            plan,
            &model.resources,
            &model.funding,
        )
    }

    fn new(
        source: PlanSource,
        plan: DataFrame,
        resources: &DataFrame,
        funding_frame: &DataFrame,
    ) -> PolarsResult<Approved> {
        let full_year = plan
            .clone()
            .lazy()
            .filter(track_is(Track::Funded))
            .group_by([col(schema::TEAM), col(schema::METRIC_KEY)])
            .agg([col(schema::VALUE).first().alias("plan_full_year")])
            .collect()?;
        let funding = funding_frame
            .clone()
            .lazy()
            .select([
                col(schema::TEAM),
                col(schema::RANK),
                col(schema::INCREMENTAL_BUDGET),
                col(schema::ROI),
                col(schema::FUNDED),
            ])
            .collect()?;
        let resources = resources
            .clone()
            .lazy()
            .join(
                funding_frame
                    .clone()
                    .lazy()
                    .select([col(schema::TEAM), col(schema::FRACTION)]),
                [col(schema::TEAM)],
                [col(schema::TEAM)],
                JoinArgs::new(JoinType::Left),
            )
            .with_column(col(schema::FRACTION).fill_null(lit(0.0)))
            .select([
                col(schema::TEAM),
                col(schema::RESOURCE_KEY),
                // The decided plan: Investment funded whole, Flat not at
                // all, and a share decided in the room in between.
                when(col(schema::FRACTION).eq(lit(1.0)))
                    .then(col("Investment"))
                    .when(col(schema::FRACTION).eq(lit(0.0)))
                    .then(col("Flat"))
                    .otherwise(
                        col("Flat") + col(schema::FRACTION) * (col("Investment") - col("Flat")),
                    )
                    .alias("approved"),
            ])
            .collect()?;
        Ok(Approved {
            source,
            plan,
            full_year,
            resources,
            funding,
        })
    }
}
