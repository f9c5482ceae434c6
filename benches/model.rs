//! The model step alone (Polars: long table, variances, roll-ups, funding,
//! ambition) on the workbooks of a generated 1,000-team round.

#[path = "common.rs"]
mod common;

use op1::model::{build, FundingParams};

fn main() {
    let dir = common::round_from_env(1000);
    let checked = op1::run::check_inputs(&[dir], None).unwrap();
    let books: Vec<_> = checked.round.workbooks().collect();
    let runs = 9;
    let params = FundingParams::decide((None, None), &checked.settings, &books).unwrap();
    let t = common::median(runs, || build(&books, &checked.settings, &params).unwrap());
    let (model, _) = build(&books, &checked.settings, &params).unwrap();
    println!(
        "model of {} teams ({} long rows), median of {runs} runs: {:.1} ms",
        books.len(),
        model.long.height(),
        common::ms(t)
    );
}
