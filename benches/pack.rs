//! Writing the exec-pack workbook (and the tables) for a generated round.

#[path = "common.rs"]
mod common;

use op1::model::{build, FundingParams};

fn main() {
    let dir = common::round_from_env(300);
    let checked = op1::run::check_inputs(&[dir], None).unwrap();
    let books: Vec<_> = checked.round.workbooks().collect();
    let params = FundingParams::decide((None, None), &checked.settings, &books).unwrap();
    let (model, _) = build(&books, &checked.settings, &params).unwrap();
    let excluded = std::collections::BTreeMap::new();
    let input = op1::run::pack_input(&checked, &books, &excluded, &model);
    let out = tempfile::tempdir().unwrap();
    let runs = 5;
    let workbook = common::median(runs, || {
        op1::write::workbook::pack::build_pack(out.path(), &input, &checked.findings).unwrap()
    });
    let (bytes, _) =
        op1::write::workbook::pack::build_pack(out.path(), &input, &checked.findings).unwrap();
    println!(
        "exec pack for {} teams ({} Teams rows, {:.1} MiB), median of {runs} runs: {:.1} ms",
        books.len(),
        model.wide.height(),
        bytes.len() as f64 / (1 << 20) as f64,
        common::ms(workbook)
    );
}
