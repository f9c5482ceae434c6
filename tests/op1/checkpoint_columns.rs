//! Quarterly checkpoints (contract v2): the checkpoint columns of the plan
//! of record are read with the same tolerance and strictness as every other
//! column.

use crate::common;
use common::*;
use std::path::Path;

/// Appends `cells` (already XML) to row `row` of a sheet's XML.
fn append_to_row(xml: &str, row: u32, cells: &str) -> String {
    let start = xml.find(&format!("<row r=\"{row}\"")).unwrap();
    let end = start + xml[start..].find("</row>").unwrap();
    format!("{}{cells}{}", &xml[..end], &xml[end..])
}

fn inline(cell: &str, text: &str) -> String {
    format!("<c r=\"{cell}\" t=\"inlineStr\"><is><t>{text}</t></is></c>")
}

#[test]
fn quarters_forecast_and_commentary_are_read_and_a_gap_before_a_reported_quarter_is_named() {
    let (_tmp, round) = copy_fixture("model-round");
    let alpha = round.join("alpha.xlsx");
    // Plan (sheet2): Revenue (row 2) reports Q1 and Q3 but not Q2.
    edit_xlsx(&alpha, &alpha, |name, xml| {
        if name != "xl/worksheets/sheet2.xml" {
            return xml;
        }
        let header = [
            inline("K1", "Q1 Actual"),
            inline("L1", "Q2"),
            inline("M1", "Q3"),
            inline("N1", "Q4"),
            inline("O1", "Landing"),
            inline("P1", "Commentary"),
        ]
        .concat();
        let xml = append_to_row(&xml, 1, &header);
        append_to_row(
            &xml,
            2,
            &format!(
                "<c r=\"K2\"><v>240000</v></c><c r=\"M2\"><v>260000</v></c><c r=\"O2\"><v>1010000</v></c>{}",
                inline("P2", "Two renewals moved to Q4.")
            ),
        )
    });
    let wb = read_team(&alpha);
    let revenue = wb
        .metrics
        .iter()
        .find(|m| m.name.value == "Revenue")
        .unwrap();
    let q: Vec<Option<f64>> = revenue
        .quarters
        .iter()
        .map(|v| v.as_ref().map(|v| v.value))
        .collect();
    assert_eq!(q, [Some(240_000.0), None, Some(260_000.0), None]);
    assert_eq!(revenue.forecast.as_ref().unwrap().value, 1_010_000.0);
    assert_eq!(
        revenue.commentary.as_ref().unwrap().value,
        "Two renewals moved to Q4."
    );

    let out = op1(&round, &["check", ".", "--format", "json"]);
    let found = findings(&out.stdout);
    let missing = found
        .iter()
        .find(|f| f["rule"] == "actuals-missing")
        .unwrap_or_else(|| panic!("no actuals-missing\n{}", out.transcript()));
    assert_eq!(missing["severity"], "warning");
    assert_eq!(missing["cell"], "L2");
    let message = missing["message"].as_str().unwrap();
    assert!(
        message.contains("Q2 is blank but Q3 is reported"),
        "{message}"
    );
}

/// The model round with quarters: Alpha's Revenue Q1 230,000 and Q2 220,000
/// (a sum), its Gross margin Q1 40% and Q2 44% (a mean).
fn model_round_at_q2() -> (tempfile::TempDir, std::path::PathBuf) {
    let (tmp, round) = copy_fixture("model-round");
    edit_xlsx(
        &round.join("alpha.xlsx"),
        &round.join("alpha.xlsx"),
        |name, xml| {
            if name != "xl/worksheets/sheet2.xml" {
                return xml;
            }
            let xml = append_to_row(&xml, 1, &[inline("K1", "Q1"), inline("L1", "Q2")].concat());
            let xml = append_to_row(
                &xml,
                2,
                "<c r=\"K2\"><v>230000</v></c><c r=\"L2\"><v>220000</v></c>",
            );
            append_to_row(
                &xml,
                4,
                "<c r=\"K4\"><v>0.4</v></c><c r=\"L4\"><v>0.44</v></c>",
            )
        },
    );
    (tmp, round)
}

fn num(row: &std::collections::BTreeMap<String, String>, column: &str) -> f64 {
    row[column]
        .parse()
        .unwrap_or_else(|_| panic!("{column}: {:?}", row[column]))
}

#[test]
fn a_checkpoint_computes_actual_plan_projections_gap_and_status_as_the_contract_says() {
    let (_tmp, round) = model_round_at_q2();
    let out = op1(&round, &["checkpoint", ".", "--out", "cp"]);
    out.expect_code(0);
    let rows = csv_table(&round.join("cp/checkpoint.csv"));
    let row = |team: &str, metric: &str| {
        rows.iter()
            .find(|r| r["team"] == team && r["metric"] == metric)
            .unwrap_or_else(|| panic!("no {team}/{metric}"))
            .clone()
    };
    // Alpha is not funded in the model round (only Beta fits the envelope):
    // its approved plan is Flat, Revenue 1,000,000, Gross margin 0.42.
    let revenue = row("Alpha", "Revenue");
    assert_eq!(num(&revenue, "plan_full_year"), 1_000_000.0);
    assert_eq!(num(&revenue, "ac_ytd"), 450_000.0); // 230,000 + 220,000
    assert_eq!(num(&revenue, "pl_ytd"), 500_000.0); // even phasing: half the year
    assert_eq!(num(&revenue, "fc_linear"), 900_000.0); // 450,000 × 4 / 2
    assert_eq!(num(&revenue, "fc_pace"), 900_000.0); // 1,000,000 × 450 / 500
    assert!((num(&revenue, "gap") + 0.10).abs() < 1e-12); // (900 − 1,000) / 1,000
    assert_eq!(revenue["status"], "amber"); // −10%: within red_beyond
    let margin = row("Alpha", "Gross margin");
    assert!((num(&margin, "ac_ytd") - 0.42).abs() < 1e-12); // mean of 0.40 and 0.44
    assert!((num(&margin, "pl_ytd") - 0.42).abs() < 1e-12); // a level: the plan itself
    assert_eq!(margin["status"], "green");
    // Beta reported nothing: every metric is actuals-missing, and n/a.
    let found = findings_of(
        &round,
        &["checkpoint", ".", "--out", "cp", "--format", "json"],
    );
    assert!(found
        .iter()
        .any(|f| f["rule"] == "actuals-missing" && f["team"] == "Beta"));
    assert!(found
        .iter()
        .any(|f| f["rule"] == "plan-unapproved" && f["severity"] == "info"));
    assert_eq!(row("Beta", "Revenue")["status"], "n/a");
}

fn findings_of(dir: &Path, args: &[&str]) -> Vec<serde_json::Value> {
    let out = op1(dir, args);
    out.json()["findings"].as_array().unwrap().clone()
}

#[test]
fn a_plan_cell_changed_after_approval_is_named_with_old_and_new() {
    let (_tmp, round) = copy_fixture("model-round");
    op1(&round, &["pack", ".", "--out", "approved", "--no-charts"]).expect_code(0);
    // After approval: Alpha's Revenue Flat (Plan!G2) 1,000,000 → 1,100,000, and Q1 reported.
    edit_xlsx(
        &round.join("alpha.xlsx"),
        &round.join("alpha.xlsx"),
        |name, xml| {
            if name != "xl/worksheets/sheet2.xml" {
                return xml;
            }
            let xml = xml.replace(
                r#"<c r="G2"><v>1000000</v></c>"#,
                r#"<c r="G2"><v>1100000</v></c>"#,
            );
            let xml = append_to_row(&xml, 1, &inline("K1", "Q1"));
            append_to_row(&xml, 2, "<c r=\"K2\"><v>250000</v></c>")
        },
    );
    let found = findings_of(
        &round,
        &[
            "checkpoint",
            ".",
            "--out",
            "cp",
            "--plan",
            "approved",
            "--format",
            "json",
        ],
    );
    let changed = found
        .iter()
        .find(|f| f["rule"] == "plan-changed")
        .unwrap_or_else(|| panic!("no plan-changed: {found:#?}"));
    assert_eq!(changed["cell"], "G2");
    let message = changed["message"].as_str().unwrap();
    assert!(
        message.contains("was 1,000,000") && message.contains("is 1,100,000"),
        "{message}"
    );
    // Measured against the approved plan, not the edited one.
    let rows = csv_table(&round.join("cp/checkpoint.csv"));
    let revenue = rows
        .iter()
        .find(|r| r["team"] == "Alpha" && r["metric"] == "Revenue")
        .unwrap();
    assert_eq!(num(revenue, "plan_full_year"), 1_000_000.0);
}

#[test]
fn a_folder_that_is_not_an_approved_pack_is_refused_saying_so() {
    let (_tmp, round) = model_round_at_q2();
    std::fs::create_dir(round.join("empty")).unwrap();
    let out = op1(
        &round,
        &["checkpoint", ".", "--out", "cp", "--plan", "empty"],
    );
    out.expect_code(2);
    assert!(
        out.stderr.contains("is not a folder op1 pack wrote"),
        "{}",
        out.transcript()
    );
    // A pack of another format.
    op1(&round, &["pack", ".", "--out", "old", "--no-charts"]).expect_code(0);
    std::fs::write(
        round.join("old/.op1-pack"),
        "written by op1 0.0.9\nformat 0\n",
    )
    .unwrap();
    let out = op1(&round, &["checkpoint", ".", "--out", "cp", "--plan", "old"]);
    out.expect_code(2);
    assert!(out.stderr.contains("pack format 0"), "{}", out.transcript());
}

#[test]
fn libreoffice_recalculates_the_checkpoint_summary_to_the_cached_values() {
    let Some(soffice) = libreoffice("the checkpoint recalculation test") else {
        return;
    };
    let (tmp, round) = model_round_at_q2();
    op1(&round, &["checkpoint", ".", "--out", "cp"]).expect_code(0);
    let checked = assert_recalculates(soffice, &round.join("cp/checkpoint.xlsx"), tmp.path());
    // Three metrics × (3 totals, Δ, Δ%, projection, 5 status counts).
    assert!(checked >= 30, "only {checked} formulas checked");
}

#[test]
fn the_checkpoint_rules_each_name_the_team_and_what_to_do() {
    let (_tmp, round) = copy_fixture("model-round");
    let goal = |status: &str| op1::plan::Goal {
        id: val("S2-01".to_string()),
        goal: Some(val("One onboarding flow".to_string())),
        owners: Some(val("Alpha + Beta".to_string())),
        owner_list: vec!["Alpha".into(), "Beta".into()],
        due: Some(val("2027-03-31".to_string())),
        metric: None,
        target: None,
        status: op1::plan::GoalStatus::parse(status).map(val),
        status_note: None,
    };
    report(&round, "alpha", |wb| {
        let revenue = metric_mut(wb, "Revenue");
        revenue.quarters = quarters(&[230_000.0, 220_000.0]);
        // Far above both projections (900,000): a forecast outlier.
        revenue.forecast = Some(val(2_000_000.0));
        let heads = resource_mut(wb, "Headcount");
        // Approved headcount 10 (Flat: Alpha is not funded); 12 at Q2's end.
        heads.quarters = quarters(&[10.0, 12.0]);
        wb.goals = vec![goal("on track")];
    });
    report(&round, "beta", |wb| wb.goals = vec![goal("at risk")]);
    report(&round, "gamma", |wb| {
        let revenue = metric_mut(wb, "Revenue");
        let plan = revenue.flat.as_ref().unwrap().value;
        // On plan after Q1 (green by pace), far below after Q2 (red).
        revenue.quarters = quarters(&[plan / 4.0, plan / 8.0]);
    });
    let found = findings_of(
        &round,
        &["checkpoint", ".", "--out", "cp", "--format", "json"],
    );
    let one = |rule: &str, team: &str| {
        found
            .iter()
            .find(|f| f["rule"] == rule && f["team"] == team)
            .unwrap_or_else(|| panic!("no {rule} for {team}: {found:#?}"))
            .clone()
    };
    let outlier = one("forecast-outlier", "Alpha");
    assert_eq!(outlier["severity"], "warning");
    assert!(
        outlier["message"].as_str().unwrap().contains("2,000,000"),
        "{outlier}"
    );
    let jump = one("status-jump", "Gamma");
    assert!(
        jump["message"]
            .as_str()
            .unwrap()
            .contains("green last quarter to red"),
        "{jump}"
    );
    let over = one("overcommitted", "Alpha");
    assert!(
        over["message"]
            .as_str()
            .unwrap()
            .contains("Headcount is 12"),
        "{over}"
    );
    let mismatch = one("s2-status-mismatch", "Alpha");
    assert!(
        mismatch["message"]
            .as_str()
            .unwrap()
            .contains("\"on track\" here but \"at risk\" in Beta"),
        "{mismatch}"
    );
    one("s2-status-mismatch", "Beta");
    let overdue = one("goal-overdue", "Beta");
    assert!(
        overdue["message"]
            .as_str()
            .unwrap()
            .contains("was due 2027-03-31"),
        "{overdue}"
    );
}

#[test]
fn with_actuals_exactly_on_plan_every_metric_is_green_and_every_case_delivers_in_full() {
    let (_tmp, round) = copy_fixture("model-round");
    op1(&round, &["pack", ".", "--out", "approved", "--no-charts"]).expect_code(0);
    // Each team reports Q1 and Q2 exactly on its approved (Funded) plan.
    let funded: Vec<String> = csv_table(&round.join("approved/funding.csv"))
        .into_iter()
        .filter(|r| r["funded"] == "true")
        .map(|r| r["team"].clone())
        .collect();
    for team in ["alpha", "beta", "gamma"] {
        report(&round, team, |wb| {
            let is_funded = funded.contains(&wb.name().to_string());
            for m in &mut wb.metrics {
                let plan = if is_funded { &m.investment } else { &m.flat };
                let plan = plan.as_ref().unwrap().value;
                m.quarters = if m.rollup == op1::plan::Rollup::Sum {
                    quarters(&[plan / 4.0, plan / 4.0])
                } else {
                    quarters(&[plan, plan])
                };
            }
        });
    }
    op1(
        &round,
        &["checkpoint", ".", "--out", "cp", "--plan", "approved"],
    )
    .expect_code(0);
    for row in csv_table(&round.join("cp/checkpoint.csv")) {
        assert_eq!(row["status"], "green", "{}/{}", row["team"], row["metric"]);
    }
    let decisions = csv_table(&round.join("cp/decisions.csv"));
    assert!(!decisions.is_empty(), "no funded case");
    for d in decisions {
        assert!((num(&d, "delivery") - 1.0).abs() < 1e-9, "{d:?}");
        assert_eq!(d["call"], "double down");
    }
}

#[test]
fn template_checkpoint_adds_the_columns_and_protects_the_plan_columns() {
    let tmp = tempfile::tempdir().unwrap();
    let from = fixture("model-round/alpha.xlsx");
    op1(
        tmp.path(),
        &[
            "template",
            "--from",
            from.to_str().unwrap(),
            "--checkpoint",
            "--out",
            "a.xlsx",
        ],
    )
    .expect_code(0);
    let path = tmp.path().join("a.xlsx");
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&path).unwrap();
    use calamine::Reader;
    let plan = wb.worksheet_range("Plan").unwrap();
    let header: Vec<String> = plan
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(
        &header[10..],
        ["Q1", "Q2", "Q3", "Q4", "Forecast", "Commentary"]
    );
    // The plan reads back exactly.
    let before = read_team(&from);
    let after = read_team(&path);
    assert_eq!(before.metrics.len(), after.metrics.len());
    for (a, b) in before.metrics.iter().zip(&after.metrics) {
        assert_eq!(
            a.flat.as_ref().map(|v| v.value),
            b.flat.as_ref().map(|v| v.value)
        );
    }
    // Plan, Resources and Goals are protected; the checkpoint columns are open.
    let bytes = std::fs::read(&path).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut read_part = |name: &str| {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut s).unwrap();
        s
    };
    let plan_xml = read_part("xl/worksheets/sheet3.xml");
    assert!(
        plan_xml.contains("<sheetProtection"),
        "the Plan sheet is not protected"
    );
    assert!(
        read_part("xl/styles.xml").contains("locked=\"0\""),
        "no open column"
    );
}

#[test]
fn next_year_starts_from_this_years_approved_plan_and_actuals() {
    let (_tmp, round) = copy_fixture("model-round");
    op1(&round, &["pack", ".", "--out", "approved", "--no-charts"]).expect_code(0);
    report(&round, "alpha", |wb| {
        let revenue = metric_mut(wb, "Revenue");
        revenue.quarters = quarters(&[230_000.0, 250_000.0, 260_000.0, 300_000.0]);
        let margin = metric_mut(wb, "Gross margin");
        margin.quarters = quarters(&[0.40, 0.42, 0.44, 0.46]);
        let heads = resource_mut(wb, "Headcount");
        heads.quarters = quarters(&[10.0, 10.0, 11.0, 11.0]);
    });
    let out = op1(
        &round,
        &[
            "template",
            "--from",
            "alpha.xlsx",
            "--next-year",
            "--plan",
            "approved",
            "--out",
            "next.xlsx",
        ],
    );
    out.expect_code(0);
    assert!(
        out.stderr.contains("\"Operating cost\": Q4 not reported"),
        "{}",
        out.transcript()
    );
    let next = read_team(&round.join("next.xlsx"));
    assert_eq!(next.fiscal_year.as_ref().unwrap().value, 2028);
    let metric = |name: &str| next.metrics.iter().find(|m| m.name.value == name).unwrap();
    let revenue = metric("Revenue");
    // LY Target: this year's Funded plan (Alpha was not funded: its Flat).
    assert_eq!(revenue.ly_target.as_ref().unwrap().value, 1_000_000.0);
    // LY Actual: the four quarters added up; a mean metric's averaged.
    assert_eq!(revenue.ly_actual.as_ref().unwrap().value, 1_040_000.0);
    assert!((metric("Gross margin").ly_actual.as_ref().unwrap().value - 0.43).abs() < 1e-12);
    assert!(revenue.flat.is_none() && revenue.investment.is_none());
    assert!(revenue.quarters.iter().all(Option::is_none));
    // Q4 not reported: left blank, with a note in Why.
    let cost = metric("Operating cost");
    assert!(cost.ly_actual.is_none());
    assert!(cost
        .why
        .as_ref()
        .unwrap()
        .value
        .contains("Q4 was not reported"));
    // Headcount used at Q4's end is next year's LY.
    let heads = next
        .resources
        .iter()
        .find(|r| r.name.value == "Headcount")
        .unwrap();
    assert_eq!(heads.ly.as_ref().unwrap().value, 11.0);
    // The registers carry over.
    assert!(!next.assumptions.is_empty());
}

#[test]
fn at_year_end_each_metric_is_met_or_missed_on_the_full_year_actual() {
    let (_tmp, round) = copy_fixture("model-round");
    report(&round, "alpha", |wb| {
        // Alpha's approved Revenue is 1,000,000 (Flat): 1,040,000 met it.
        let revenue = metric_mut(wb, "Revenue");
        revenue.quarters = quarters(&[230_000.0, 250_000.0, 260_000.0, 300_000.0]);
        // Operating cost: lower is better; above its plan is missed.
        let cost = metric_mut(wb, "Operating cost");
        let plan = cost.flat.as_ref().unwrap().value;
        cost.quarters = quarters(&[plan / 4.0, plan / 4.0, plan / 4.0, plan / 4.0 + 10_000.0]);
    });
    let out = op1(&round, &["checkpoint", ".", "--out", "cp", "--as-of", "Q4"]);
    let rows = csv_table(&round.join("cp/checkpoint.csv"));
    let status = |metric: &str| {
        rows.iter()
            .find(|r| r["team"] == "Alpha" && r["metric"] == metric)
            .unwrap()["status"]
            .clone()
    };
    assert_eq!(status("Revenue"), "met", "{}", out.transcript());
    assert_eq!(status("Operating cost"), "missed");
    let memo = std::fs::read_to_string(round.join("cp/checkpoint.md")).unwrap();
    assert!(
        memo.contains("Q4 year\\-end review") || memo.contains("Q4 year-end review"),
        "{}",
        &memo[..200]
    );
}
