//! Weighted roll-ups (`Rollup = weighted by <Metric>`): gross margin rolled
//! up as a plain mean of the teams' margins, where finance weights it by revenue.

use crate::common;
use calamine::{DataType, Reader};
use common::*;
use op1::plan::{Rollup, TeamWorkbook, Track, UnitKind};

/// The model round with every team's Gross margin weighted by Revenue.
fn weighted_round() -> (tempfile::TempDir, std::path::PathBuf) {
    let (tmp, round) = copy_fixture("model-round");
    for team in ["alpha", "beta", "gamma"] {
        let path = round.join(format!("{team}.xlsx"));
        let mut wb = read_team(&path);
        let margin = wb
            .metrics
            .iter_mut()
            .find(|m| m.name.value == "Gross margin")
            .expect("every model team reports Gross margin");
        margin.rollup = Rollup::Weighted;
        margin.weight = Some("Revenue".into());
        std::fs::remove_file(&path).unwrap();
        write_team(&path, &wb);
    }
    (tmp, round)
}

/// A metric's value of a track in USD (the model round's EUR rate is 1.10).
fn usd(wb: &TeamWorkbook, metric: &str, track: Track) -> f64 {
    let m = wb.metrics.iter().find(|m| m.name.value == metric).unwrap();
    let v = m.track(track).unwrap().value;
    if m.unit_kind == UnitKind::Money && m.unit.value == "EUR" {
        v * 1.10
    } else {
        v
    }
}

#[test]
fn gross_margin_rolled_up_as_a_plain_mean_is_weighted_by_revenue() {
    let (_tmp, round) = weighted_round();
    op1(&round, &["pack", ".", "--out", "out"]).expect_code(0);

    // Σ margin × revenue / Σ revenue, from the workbooks themselves.
    let teams: Vec<TeamWorkbook> = ["alpha", "beta", "gamma"]
        .iter()
        .map(|t| read_team(&round.join(format!("{t}.xlsx"))))
        .collect();
    let weighted = |track: Track| {
        let (mut num, mut den) = (0.0, 0.0);
        for wb in &teams {
            let r = usd(wb, "Revenue", track);
            num += usd(wb, "Gross margin", track) * r;
            den += r;
        }
        num / den
    };
    let plain_mean = teams
        .iter()
        .map(|wb| usd(wb, "Gross margin", Track::Flat))
        .sum::<f64>()
        / 3.0;
    let want = weighted(Track::Flat);
    assert!(
        (want - plain_mean).abs() > 1e-3,
        "the fixture must tell a weighted mean from a plain one"
    );

    // The model's roll-up.
    let rollup = std::fs::read_to_string(round.join("out/rollup.csv")).unwrap();
    let mut lines = rollup.lines();
    let first = lines.next().unwrap().trim_start_matches('\u{feff}');
    let header: Vec<&str> = first.split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let row = lines
        .map(|l| l.split(',').collect::<Vec<_>>())
        .find(|r| {
            r[col("scope")] == "All"
                && r[col("metric")] == "Gross margin"
                && r[col("track")] == "Flat"
        })
        .expect("an All / Gross margin / Flat row");
    let got: f64 = row[col("value")].parse().unwrap();
    assert!((got - want).abs() < 1e-9, "rollup.csv {got}, want {want}");
    assert_eq!(row[col("rollup")], "weighted");

    // The Summary: a SUMPRODUCT over the Teams sheet's Weight columns, cached right.
    let mut pack: calamine::Xlsx<_> =
        calamine::open_workbook(round.join("out/exec-pack.xlsx")).unwrap();
    let summary = pack.worksheet_range("Summary").unwrap();
    let formulas = pack.worksheet_formula("Summary").unwrap();
    let (r, _) = summary
        .rows()
        .enumerate()
        .find(|(_, r)| {
            r.first()
                .is_some_and(|c| c.get_string() == Some("Gross margin"))
        })
        .expect("a Gross margin row");
    let header_row = summary
        .rows()
        .position(|r| r.first().is_some_and(|c| c.get_string() == Some("Metric")))
        .unwrap();
    let flat_col = summary
        .rows()
        .nth(header_row)
        .unwrap()
        .iter()
        .position(|c| c.get_string() == Some("Flat"))
        .unwrap();
    let start = summary.start().unwrap();
    let at = (start.0 + r as u32, start.1 + flat_col as u32);
    let cached = summary.get_value(at).unwrap().as_f64().unwrap();
    assert!(
        (cached - want).abs() < 1e-9,
        "Summary {cached}, want {want}"
    );
    assert_eq!(
        summary.rows().nth(r).unwrap()[2].to_string(),
        "weighted by Revenue"
    );
    let formula = formulas.get_value(at).unwrap();
    assert!(formula.contains("SUMPRODUCT"), "{formula}");
    assert!(
        formula.contains("Teams!$AC$"),
        "weights are the Weight Flat column: {formula}"
    );

    // The chart says how the total is made.
    let svg = std::fs::read_to_string(round.join("out/charts/gross-margin-tracks.svg")).unwrap();
    assert!(
        svg.contains("weighted by Revenue"),
        "the chart does not say it is weighted"
    );
}

#[test]
fn a_weighting_metric_a_team_lacks_is_an_error_naming_both() {
    let (_tmp, round) = weighted_round();
    let beta = round.join("beta.xlsx");
    let mut wb = read_team(&beta);
    wb.metrics.retain(|m| m.name.value != "Revenue");
    std::fs::remove_file(&beta).unwrap();
    write_team(&beta, &wb);

    let out = op1(&round, &["check", ".", "--format", "json"]);
    out.expect_code(1);
    let found = findings(&out.stdout);
    let missing = found
        .iter()
        .find(|f| f["rule"] == "weight-missing")
        .unwrap_or_else(|| panic!("no weight-missing\n{}", out.transcript()));
    assert_eq!(missing["severity"], "error");
    assert!(missing["file"].as_str().unwrap().ends_with("beta.xlsx"));
    assert_eq!(missing["sheet"], "Plan");
    let message = missing["message"].as_str().unwrap();
    assert!(
        message.contains("\"Gross margin\"") && message.contains("\"Revenue\""),
        "{message}"
    );
    // It guards the numbers: the round is not packed.
    op1(&round, &["pack", ".", "--out", "out"]).expect_code(1);
}

#[test]
fn a_weighted_rollup_reads_the_ways_people_write_it() {
    for (text, weight) in [
        ("weighted by Revenue", "Revenue"),
        ("Weighted By  Net revenue ", "Net revenue"),
        ("weighted average by Revenue", "Revenue"),
        ("weighted mean by: Revenue", "Revenue"),
    ] {
        assert_eq!(
            Rollup::read(text),
            Some((Rollup::Weighted, Some(weight.to_string()))),
            "{text}"
        );
    }
    assert_eq!(Rollup::read("weighted by"), None);
    assert_eq!(Rollup::read("Average"), Some((Rollup::Mean, None)));
}
