//! The round's metric dictionary (`[metrics."NAME"]` in the settings): the
//! standard metrics the template pre-fills, that `check` holds each team to,
//! and whose unit kind, direction and roll-up win over what a team typed.

use crate::common;
use calamine::{DataType, Reader};
use common::*;

/// The model round's settings with a dictionary: Revenue, Gross margin
/// (weighted by Revenue), Operating cost — in that order.
const DICTIONARY: &str = r#"
[metrics."Revenue"]
unit = "money"
better = "higher"
rollup = "sum"

[metrics."Gross margin"]
unit = "%"
rollup = "weighted by Revenue"

[metrics."Operating cost"]
unit = "money"
better = "lower"
"#;

fn round_with_dictionary() -> (tempfile::TempDir, std::path::PathBuf) {
    let (tmp, round) = copy_fixture("model-round");
    let settings = round.join("op1.toml");
    let mut text = std::fs::read_to_string(&settings).unwrap();
    text.push_str(DICTIONARY);
    std::fs::write(&settings, text).unwrap();
    (tmp, round)
}

#[test]
fn the_template_prefills_the_rounds_metrics_in_the_dictionarys_order() {
    let (_tmp, round) = round_with_dictionary();
    op1(
        &round,
        &[
            "template",
            "--team",
            "Delta",
            "--out",
            "delta.xlsx",
            "--settings",
            "op1.toml",
        ],
    )
    .expect_code(0);
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(round.join("delta.xlsx")).unwrap();
    let plan = wb.worksheet_range("Plan").unwrap();
    let rows: Vec<Vec<String>> = plan
        .rows()
        .skip(1)
        .map(|r| r.iter().take(4).map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(
        rows,
        [
            ["Revenue", "USD", "higher", "sum"],
            ["Gross margin", "%", "higher", "weighted by Revenue"],
            ["Operating cost", "USD", "lower", "sum"],
        ]
    );
    // The settings' fiscal year is the Team sheet's.
    let team = wb.worksheet_range("Team").unwrap();
    assert!(
        team.rows()
            .any(|r| r.get(1).is_some_and(|c| c.as_f64() == Some(2027.0))),
        "no fiscal year 2027 on the Team sheet"
    );
}

#[test]
fn a_metric_outside_the_dictionary_is_a_warning_naming_the_nearest() {
    let (_tmp, round) = round_with_dictionary();
    let alpha = round.join("alpha.xlsx");
    let mut wb = read_team(&alpha);
    let revenue = metric_mut(&mut wb, "Revenue");
    revenue.name.value = "Revenue - Cards".into();
    let row = revenue.name.pos.row;
    std::fs::remove_file(&alpha).unwrap();
    write_team(&alpha, &wb);

    let out = op1(&round, &["check", ".", "--format", "json"]);
    let found = findings(&out.stdout);
    let unknown = found
        .iter()
        .find(|f| f["rule"] == "metric-unknown")
        .unwrap_or_else(|| panic!("no metric-unknown\n{}", out.transcript()));
    assert_eq!(unknown["severity"], "warning");
    assert_eq!(unknown["cell"], format!("A{}", row + 1));
    let message = unknown["message"].as_str().unwrap();
    assert!(
        message.contains("\"Revenue - Cards\"") && message.contains("did you mean \"Revenue\"?"),
        "{message}"
    );
    // The dictionary's Revenue is then missing from Alpha.
    assert!(
        found.iter().any(|f| f["rule"] == "metric-missing"
            && f["file"].as_str().unwrap().ends_with("alpha.xlsx")
            && f["message"].as_str().unwrap().contains("standard metrics")),
        "{}",
        out.transcript()
    );
}

#[test]
fn the_dictionary_wins_over_what_a_team_typed() {
    let (_tmp, round) = round_with_dictionary();
    // Every model team wrote Gross margin as a mean; the round weights it.
    let out = op1(&round, &["check", ".", "--format", "json"]);
    let found = findings(&out.stdout);
    let standardised: Vec<_> = found
        .iter()
        .filter(|f| f["rule"] == "metric-standardised")
        .collect();
    assert_eq!(standardised.len(), 3, "{}", out.transcript());
    let message = standardised[0]["message"].as_str().unwrap();
    assert!(
        message.contains("Rollup weighted by Revenue") && message.contains("says mean"),
        "{message}"
    );
    assert_eq!(standardised[0]["sheet"], "Plan");

    op1(&round, &["pack", ".", "--out", "out", "--no-charts"]).expect_code(0);
    let mut pack: calamine::Xlsx<_> =
        calamine::open_workbook(round.join("out/exec-pack.xlsx")).unwrap();
    let summary = pack.worksheet_range("Summary").unwrap();
    let header = summary
        .rows()
        .position(|r| r.first().is_some_and(|c| c.get_string() == Some("Metric")))
        .unwrap();
    let metrics: Vec<Vec<String>> = summary
        .rows()
        .skip(header + 1)
        .take(3)
        .map(|r| vec![r[0].to_string(), r[2].to_string()])
        .collect();
    // The dictionary's order and roll-ups, not the teams'.
    assert_eq!(
        metrics,
        [
            ["Revenue", "sum"],
            ["Gross margin", "weighted by Revenue"],
            ["Operating cost", "sum"],
        ]
    );
}

#[test]
fn without_a_dictionary_metrics_are_ordered_by_how_many_teams_report_them() {
    let (_tmp, round) = copy_fixture("model-round");
    // Gamma adds a metric of its own, listed first on its Plan.
    let gamma = round.join("gamma.xlsx");
    let mut wb = read_team(&gamma);
    let mut extra = wb.metrics[0].clone();
    extra.name.value = "Api calls".into();
    wb.metrics.insert(0, extra);
    std::fs::remove_file(&gamma).unwrap();
    write_team(&gamma, &wb);
    op1(&round, &["pack", ".", "--out", "out", "--no-charts"]).expect_code(0);
    let rollup = std::fs::read_to_string(round.join("out/rollup.csv")).unwrap();
    let mut order: Vec<&str> = Vec::new();
    for line in rollup.lines().filter(|l| l.starts_with("All,")) {
        let metric = line.split(',').nth(1).unwrap();
        if order.last() != Some(&metric) {
            order.push(metric);
        }
    }
    // Reported by three teams, by name; then the one-team metric.
    assert_eq!(
        order,
        ["Gross margin", "Operating cost", "Revenue", "Api calls"]
    );
}
