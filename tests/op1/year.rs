//! The whole planning year's figures (issue 25): year end measured on the
//! year, a checkpoint rolling a metric up the way the pack does, both
//! projections shown. New tests about what a checkpoint or the next year's
//! workbook computes across the year go here.

use crate::common;

use calamine::{open_workbook_auto, Data, Reader};
use common::*;
use op1::plan::Rollup;
use std::path::Path;

fn row<'a>(
    rows: &'a [std::collections::BTreeMap<String, String>],
    team: &str,
    metric: &str,
) -> &'a std::collections::BTreeMap<String, String> {
    rows.iter()
        .find(|r| r["team"] == team && r["metric"] == metric)
        .unwrap_or_else(|| panic!("no row {team}/{metric}"))
}

fn num(row: &std::collections::BTreeMap<String, String>, column: &str) -> f64 {
    row[column]
        .parse()
        .unwrap_or_else(|_| panic!("{column}: {:?}", row[column]))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

/// The Summary sheet's cell under `header` on the row of `metric`.
fn summary_cell(xlsx: &Path, metric: &str, header: &str) -> Data {
    let mut wb = open_workbook_auto(xlsx).unwrap();
    let sheet = wb.worksheet_range("Summary").unwrap();
    let rows: Vec<&[Data]> = sheet.rows().collect();
    let head = rows
        .iter()
        .position(|r| r.first() == Some(&Data::String("Metric".into())))
        .expect("a header row");
    let col = rows[head]
        .iter()
        .position(|c| *c == Data::String(header.into()))
        .unwrap_or_else(|| panic!("no column {header}: {:?}", rows[head]));
    let line = rows[head + 1..]
        .iter()
        .find(|r| r.first() == Some(&Data::String(metric.into())))
        .unwrap_or_else(|| panic!("no Summary row {metric}"));
    line[col].clone()
}

#[test]
fn at_year_end_the_projection_is_the_full_year_actual_and_an_earlier_forecast_is_set_aside() {
    let (_tmp, round) = copy_fixture("model-round");
    // Beta is the funded case: Revenue Flat 550,000, Investment (its plan)
    // 700,000 EUR. The year came in at 665,000; a Forecast of the whole plan
    // was typed at Q2 and never updated.
    report(&round, "beta", |wb| {
        let revenue = metric_mut(wb, "Revenue");
        revenue.quarters = quarters(&[140_000.0, 175_000.0, 175_000.0, 175_000.0]);
        revenue.forecast = Some(val(700_000.0));
    });
    let out = op1(&round, &["checkpoint", ".", "--out", "cp", "--as-of", "Q4"]);
    let rows = csv_table(&round.join("cp/checkpoint.csv"));
    let revenue = row(&rows, "Beta", "Revenue");
    assert_eq!(
        num(revenue, "projection"),
        665_000.0,
        "{}",
        out.transcript()
    );
    // (665 − 700) / 700
    assert!(close(num(revenue, "gap"), -35.0 / 700.0));
    assert_eq!(revenue["status"], "missed");
    let decisions = csv_table(&round.join("cp/decisions.csv"));
    let beta = decisions.iter().find(|d| d["team"] == "Beta").unwrap();
    // (665 − 550) / (700 − 550), at the round's rate of 1.10 on both sides.
    assert!(close(num(beta, "delivery"), 115.0 / 150.0), "{beta:?}");
    assert_eq!(beta["call"], "keep");
    let memo = std::fs::read_to_string(round.join("cp/checkpoint.md")).unwrap();
    assert!(
        memo.contains("1 Forecast typed earlier in the year is set aside"),
        "{memo}"
    );
    let xlsx = round.join("cp/checkpoint.xlsx");
    // The Summary shows the year's actual, not a "Projection" of a year that ended.
    assert!(matches!(
        summary_cell(&xlsx, "Revenue", "AC full year"),
        Data::Float(_)
    ));
}

#[test]
fn before_year_end_the_status_basis_chooses_forecast_or_pace_and_the_memo_shows_both() {
    let (_tmp, round) = copy_fixture("model-round");
    // Alpha: plan 1,000,000; 450,000 to Q2 paces to 900,000 (−10%, amber);
    // its Forecast says 1,000,000 (green).
    report(&round, "alpha", |wb| {
        let revenue = metric_mut(wb, "Revenue");
        revenue.quarters = quarters(&[230_000.0, 220_000.0]);
        revenue.forecast = Some(val(1_000_000.0));
    });
    op1(&round, &["checkpoint", ".", "--out", "cp"]).expect_code(0);
    let rows = csv_table(&round.join("cp/checkpoint.csv"));
    assert_eq!(row(&rows, "Alpha", "Revenue")["status"], "green");
    let settings = std::fs::read_to_string(round.join("op1.toml")).unwrap();
    std::fs::write(
        round.join("op1.toml"),
        format!("{settings}\n[checkpoint]\nstatus_basis = \"pace\"\n"),
    )
    .unwrap();
    op1(&round, &["checkpoint", ".", "--out", "cp2"]).expect_code(0);
    let rows = csv_table(&round.join("cp2/checkpoint.csv"));
    let revenue = row(&rows, "Alpha", "Revenue");
    assert_eq!(revenue["status"], "amber");
    assert_eq!(num(revenue, "projection"), 900_000.0);
    let memo = std::fs::read_to_string(round.join("cp2/checkpoint.md")).unwrap();
    // The off-track row shows the Forecast beside the pace projection …
    assert!(
        memo.contains("1,000,000 USD") && memo.contains("900,000 USD"),
        "{memo}"
    );
    // … and the memo opens with the round's figures, not only counts.
    assert!(
        memo.contains("Revenue to date: 450,000 USD against"),
        "{memo}"
    );
    assert!(!memo.contains(" iss "), "{memo}");
}

/// Gross margin weighted by Revenue in every team, Alpha and Beta only,
/// with two quarters reported.
fn weighted_round() -> (tempfile::TempDir, std::path::PathBuf) {
    let (tmp, round) = copy_fixture("model-round");
    std::fs::remove_file(round.join("gamma.xlsx")).unwrap();
    let set = |team: &str, revenue: [f64; 4], margin: [f64; 4]| {
        report(&round, team, |wb| {
            metric_mut(wb, "Revenue").quarters = quarters(&revenue);
            let m = metric_mut(wb, "Gross margin");
            m.rollup = Rollup::Weighted;
            m.weight = Some("Revenue".into());
            m.quarters = quarters(&margin);
        });
    };
    set(
        "alpha",
        [230_000.0, 220_000.0, 250_000.0, 300_000.0],
        [0.40, 0.44, 0.45, 0.47],
    );
    set(
        "beta",
        [150_000.0, 160_000.0, 170_000.0, 180_000.0],
        [0.30, 0.34, 0.35, 0.36],
    );
    (tmp, round)
}

#[test]
fn a_checkpoint_rolls_a_weighted_metric_up_by_its_weights_as_the_pack_does() {
    let (tmp, round) = weighted_round();
    op1(&round, &["checkpoint", ".", "--out", "cp", "--as-of", "Q2"]).expect_code(0);
    let xlsx = round.join("cp/checkpoint.xlsx");
    let cell = |header: &str| match summary_cell(&xlsx, "Gross margin", header) {
        Data::Float(v) => v,
        other => panic!("{header}: {other:?}"),
    };
    // Plan (Funded): Alpha 0.42 on 1,000,000 USD; Beta (funded) 0.35 on
    // 700,000 EUR × 1.10 = 770,000 USD. The plain mean would be 0.385.
    let plan = (0.42 * 1_000_000.0 + 0.35 * 770_000.0) / 1_770_000.0;
    assert!(
        close(cell("PL full year"), plan),
        "{}",
        cell("PL full year")
    );
    // To date: Alpha 0.42 on 450,000; Beta 0.32 on 310,000 EUR = 341,000 USD.
    let actual = (0.42 * 450_000.0 + 0.32 * 341_000.0) / 791_000.0;
    assert!(close(cell("AC ytd"), actual), "{}", cell("AC ytd"));
    if let Some(soffice) = libreoffice("the weighted checkpoint recalculation") {
        assert_recalculates(soffice, &xlsx, tmp.path());
    }
}

#[test]
fn next_years_ly_actual_of_a_weighted_metric_weights_each_quarter_by_its_weight() {
    let (_tmp, round) = weighted_round();
    let out = op1(
        &round,
        &[
            "template",
            "--from",
            "alpha.xlsx",
            "--next-year",
            "--out",
            "alpha-next.xlsx",
        ],
    );
    out.expect_code(0);
    let next = read_team(&round.join("alpha-next.xlsx"));
    let margin = next
        .metrics
        .iter()
        .find(|m| m.name.value == "Gross margin")
        .unwrap();
    let weighted =
        (0.40 * 230_000.0 + 0.44 * 220_000.0 + 0.45 * 250_000.0 + 0.47 * 300_000.0) / 1_000_000.0;
    let got = margin.ly_actual.as_ref().unwrap().value;
    assert!(close(got, weighted), "{got} against {weighted}");
    assert!(!close(got, 0.44), "the plain mean");
}

#[test]
fn next_year_before_q4_takes_resources_ly_from_the_approved_pack_in_the_teams_currency() {
    let (_tmp, round) = copy_fixture("round-fy27");
    op1(&round, &["pack", ".", "--out", "approved", "--no-charts"]).expect_code(0);
    let out = op1(
        &round,
        &[
            "template",
            "--from",
            "platform/data.xlsx",
            "--next-year",
            "--plan",
            "approved",
            "--out",
            "data-next.xlsx",
        ],
    );
    out.expect_code(0);
    assert!(
        out.stderr.contains(
            "resource \"Budget\": Q4 not reported, so LY is this year's approved plan in the pack approved"
        ),
        "{}",
        out.transcript()
    );
    let this_year = read_team(&round.join("platform/data.xlsx"));
    let next = read_team(&round.join("data-next.xlsx"));
    let ly = |wb: &op1::plan::TeamWorkbook, name: &str| {
        let r = wb.resources.iter().find(|r| r.name.value == name).unwrap();
        (
            r.ly.as_ref().map(|v| v.value),
            r.investment.as_ref().map(|v| v.value),
        )
    };
    // Data (EUR) was funded: its approved resources are its Investment
    // column (27 heads, 680,000 EUR, 260,000 EUR), not the pack's USD
    // (734,400) and not the workbook's own LY (19 heads, 550,000 EUR).
    for (name, approved) in [
        ("Headcount", 27.0),
        ("Budget", 680_000.0),
        ("Capex", 260_000.0),
    ] {
        assert_eq!(
            ly(&this_year, name).1,
            Some(approved),
            "{name} in the fixture"
        );
        assert_eq!(ly(&next, name).0, Some(approved), "{name}");
    }
    // Without the pack: this year's Flat plan, and the note says so.
    let out = op1(
        &round,
        &[
            "template",
            "--from",
            "platform/data.xlsx",
            "--next-year",
            "--out",
            "flat.xlsx",
        ],
    );
    out.expect_code(0);
    assert!(
        out.stderr.contains(
            "resource \"Budget\": Q4 not reported, so LY is this year's Flat plan (give --plan"
        ),
        "{}",
        out.transcript()
    );
    let flat = read_team(&round.join("flat.xlsx"));
    let budget = this_year
        .resources
        .iter()
        .find(|r| r.name.value == "Budget")
        .unwrap();
    assert_eq!(ly(&flat, "Budget").0, budget.flat.as_ref().map(|v| v.value));
}

#[test]
fn an_output_folder_holding_team_workbooks_is_refused_and_names_them() {
    let (_tmp, round) = copy_fixture("round-fy27");
    let out = op1(&round, &["pack", ".", "--out", "platform"]);
    out.expect_code(2);
    let said = out.transcript();
    assert!(
        said.contains("platform/data.xlsx") && said.contains("holds team workbooks"),
        "{said}"
    );
    // Nothing was written there.
    assert!(!round.join("platform/exec-pack.xlsx").exists());
    assert!(!round.join("platform/manifest.json").exists());
}

#[test]
fn folders_op1_wrote_inside_the_round_are_passed_over_with_a_line_and_a_planted_marker_hides_nothing(
) {
    let (_tmp, round) = copy_fixture("model-round");
    report(&round, "alpha", |wb| {
        metric_mut(wb, "Revenue").quarters = quarters(&[250_000.0]);
    });
    op1(&round, &["pack", ".", "--out", "out"]).expect_code(0);
    op1(&round, &["checkpoint", ".", "--out", "cp"]).expect_code(0);
    op1(&round, &["feedback", ".", "--out", "fb"]).expect_code(0);
    // A folder marked by hand, holding a team's workbook.
    std::fs::create_dir(round.join("planted")).unwrap();
    std::fs::write(round.join("planted/.op1-pack"), "").unwrap();
    std::fs::rename(round.join("gamma.xlsx"), round.join("planted/gamma.xlsx")).unwrap();
    let out = op1(&round, &["check", ".", "--format", "json"]);
    let found = findings(&out.stdout);
    let marker = found
        .iter()
        .find(|f| f["rule"] == "marker-unverified")
        .unwrap_or_else(|| panic!("no marker-unverified\n{}", out.transcript()));
    assert!(marker["message"].as_str().unwrap().contains(".op1-pack"));
    // Gamma was read from the planted folder; nothing of cp/, fb/ or out/ was.
    let text = op1(&round, &["check", "."]);
    let said = text.transcript();
    for dir in ["out", "cp", "fb"] {
        assert!(
            said.contains(&format!("passed over ./{dir}: op1's own output"))
                || said.contains(&format!("passed over {dir}: op1's own output")),
            "{dir} not said\n{said}"
        );
    }
    assert!(said.contains("Gamma"), "{said}");
    assert!(!said.contains("duplicate-team"), "{said}");
    assert!(said.contains("3 files read"), "{said}");
}

#[test]
fn team_names_a_spreadsheet_would_guard_or_read_as_numbers_survive_pack_diff_and_checkpoint() {
    let (_tmp, round) = copy_fixture("model-round");
    // The guard's characters, a number, and a text that already starts with `'`.
    let names = [("alpha", "@Home"), ("beta", "101"), ("gamma", "'=Gamma")];
    for (file, name) in names {
        report(&round, file, |wb| {
            wb.team = val(name.to_string());
            if file == "alpha" {
                metric_mut(wb, "Revenue").quarters = quarters(&[250_000.0]);
            }
        });
    }
    op1(&round, &["pack", ".", "--out", "out"]).expect_code(0);
    // The unchanged round against its own pack: nothing changed.
    let diff = op1(&round, &["diff", "out", ".", "--format", "json"]);
    let json = diff.json();
    assert_eq!(json["changed"], false, "{}", diff.transcript());
    assert_eq!(json["teams_withdrawn"].as_array().unwrap().len(), 0);
    // The checkpoint finds each team's approved plan and resources.
    op1(&round, &["checkpoint", ".", "--out", "cp", "--plan", "out"]).expect_code(0);
    let rows = csv_table(&round.join("cp/checkpoint.csv"));
    // The CSV shows each name behind the formula guard: `'@Home`, `''=Gamma`.
    for (name, shown) in [("@Home", "'@Home"), ("101", "101"), ("'=Gamma", "''=Gamma")] {
        let revenue = row(&rows, shown, "Revenue");
        assert!(num(revenue, "plan_full_year") > 0.0, "{name}: {revenue:?}");
    }
}

#[test]
fn an_approved_pack_changed_since_it_was_written_is_refused_unless_accepted_and_then_recorded() {
    let (_tmp, round) = copy_fixture("model-round");
    op1(&round, &["pack", ".", "--out", "approved", "--no-charts"]).expect_code(0);
    report(&round, "alpha", |wb| {
        metric_mut(wb, "Revenue").quarters = quarters(&[250_000.0]);
    });
    // Someone edits the approved funding decisions by hand.
    let funding = round.join("approved/funding.csv");
    let edited = std::fs::read_to_string(&funding)
        .unwrap()
        .replace("true", "false");
    std::fs::write(&funding, edited).unwrap();
    for args in [
        &["checkpoint", ".", "--out", "cp", "--plan", "approved"][..],
        &["diff", "approved", "."],
        &[
            "pack",
            ".",
            "--out",
            "again",
            "--since",
            "approved",
            "--no-charts",
        ],
        &[
            "template",
            "--from",
            "alpha.xlsx",
            "--next-year",
            "--plan",
            "approved",
            "--out",
            "a.xlsx",
        ],
    ] {
        let out = op1(&round, args);
        out.expect_code(2);
        let said = out.transcript();
        assert!(
            said.contains("changed since the run wrote it: funding.csv")
                && said.contains("--accept-modified"),
            "{args:?}: {said}"
        );
    }
    assert!(
        !round.join("cp").exists(),
        "nothing written before the refusal"
    );
    // Accepted: used, said as a warning, and recorded in the manifest.
    let out = op1(
        &round,
        &[
            "checkpoint",
            ".",
            "--out",
            "cp",
            "--plan",
            "approved",
            "--accept-modified",
            "--format",
            "json",
        ],
    );
    out.expect_code(0);
    let found = out.json()["findings"].as_array().unwrap().clone();
    let f = found
        .iter()
        .find(|f| f["rule"] == "pack-modified")
        .unwrap_or_else(|| panic!("{}", out.transcript()));
    assert!(
        f["message"].as_str().unwrap().contains("funding.csv"),
        "{f}"
    );
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(round.join("cp/manifest.json")).unwrap())
            .unwrap();
    let accepted = &manifest["accepted_modified"][0];
    assert!(
        accepted["dir"].as_str().unwrap().ends_with("approved"),
        "{manifest}"
    );
    assert!(accepted["problems"][0]
        .as_str()
        .unwrap()
        .contains("funding.csv"));
    let memo = std::fs::read_to_string(round.join("cp/checkpoint.md")).unwrap();
    assert!(
        memo.contains("pack\\-modified") || memo.contains("pack-modified"),
        "{memo}"
    );
}

#[test]
fn verify_fails_when_the_manifest_omits_an_output_or_lists_none() {
    let (_tmp, round) = copy_fixture("model-round");
    op1(&round, &["pack", ".", "--out", "out", "--no-charts"]).expect_code(0);
    op1(&round, &["verify", "out"]).expect_code(0);
    let path = round.join("out/manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    // funding.csv edited, and its entry taken out of the manifest to hide it.
    std::fs::write(round.join("out/funding.csv"), "rank,team\n1,Alpha\n").unwrap();
    manifest["outputs"]
        .as_array_mut()
        .unwrap()
        .retain(|o| o["path"] != "funding.csv");
    std::fs::write(&path, manifest.to_string()).unwrap();
    let out = op1(&round, &["verify", "out"]);
    out.expect_code(1);
    assert!(
        out.stdout.contains("does not list") && out.stdout.contains("funding.csv"),
        "{}",
        out.transcript()
    );
    manifest["outputs"] = serde_json::json!([]);
    std::fs::write(&path, manifest.to_string()).unwrap();
    let out = op1(&round, &["verify", "out"]);
    out.expect_code(1);
    assert!(
        out.stdout.contains("lists no outputs"),
        "{}",
        out.transcript()
    );
}

#[test]
fn a_team_without_an_approved_plan_is_a_finding_measured_against_its_own_flat_plan_and_named() {
    let (_tmp, round) = copy_fixture("model-round");
    // Gamma arrives after the plan was approved.
    let gamma = std::fs::read(round.join("gamma.xlsx")).unwrap();
    std::fs::remove_file(round.join("gamma.xlsx")).unwrap();
    op1(&round, &["pack", ".", "--out", "approved", "--no-charts"]).expect_code(0);
    std::fs::write(round.join("gamma.xlsx"), gamma).unwrap();
    let flat = read_team(&round.join("gamma.xlsx"))
        .metrics
        .iter()
        .find(|m| m.name.value == "Revenue")
        .and_then(|m| m.flat.as_ref().map(|v| v.value))
        .unwrap();
    for team in ["alpha", "beta", "gamma"] {
        report(&round, team, |wb| {
            let revenue = metric_mut(wb, "Revenue");
            let plan = revenue.flat.as_ref().unwrap().value;
            revenue.quarters = quarters(&[plan / 4.0]);
        });
    }
    let out = op1(
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
    out.expect_code(0);
    let found = out.json()["findings"].as_array().unwrap().clone();
    let f = found
        .iter()
        .find(|f| f["rule"] == "no-approved-plan")
        .unwrap_or_else(|| panic!("{}", out.transcript()));
    assert_eq!(
        (f["team"].as_str(), f["severity"].as_str()),
        (Some("Gamma"), Some("warning"))
    );
    assert!(!found
        .iter()
        .any(|f| f["rule"] == "no-approved-plan" && f["team"] != "Gamma"));
    let rows = csv_table(&round.join("cp/checkpoint.csv"));
    let gamma = row(&rows, "Gamma", "Revenue");
    assert_eq!(gamma["plan_from"], "own workbook (Flat)");
    assert!(close(num(gamma, "plan_full_year"), flat));
    assert_eq!(row(&rows, "Alpha", "Revenue")["plan_from"], "approved");
    let memo = std::fs::read_to_string(round.join("cp/checkpoint.md")).unwrap();
    assert!(
        memo.contains("1 team is not in the approved pack: Gamma"),
        "{memo}"
    );
    // The terminal never says "ok" for it.
    let text = op1(
        &round,
        &["checkpoint", ".", "--out", "cp2", "--plan", "approved"],
    );
    let line = text
        .stdout
        .lines()
        .find(|l| l.trim_start().starts_with("Gamma"))
        .unwrap_or_default();
    assert!(!line.ends_with("ok"), "{}", text.stdout);
}

/// Alpha's Plan sheet with `cell` holding `xml` (a `<v>` or inline string).
fn set_plan_cell(round: &Path, cell: &str, inner: &str) {
    let alpha = round.join("alpha.xlsx");
    edit_xlsx(&alpha, &alpha, |name, xml| {
        if name != "xl/worksheets/sheet2.xml" {
            return xml;
        }
        let start = xml.find(&format!("<c r=\"{cell}\"")).expect("the cell");
        let end = start + xml[start..].find("</c>").unwrap() + 4;
        format!("{}<c r=\"{cell}\"{inner}</c>{}", &xml[..start], &xml[end..])
    });
}

#[test]
fn a_team_excluded_for_errors_and_fixed_in_the_resubmission_is_fixed_since_with_its_value_changes()
{
    let (_tmp, v1) = copy_fixture("model-round");
    let (_tmp2, v2) = copy_fixture("model-round");
    // The first submission: Gross margin's LY Actual typed 40 (not 40%),
    // Revenue's Flat "TBD". Both errors: Alpha is left out of that round.
    set_plan_cell(&v1, "E4", "><v>40</v>");
    set_plan_cell(&v1, "G2", " t=\"inlineStr\"><is><t>TBD</t></is>");
    op1(&v1, &["check", "."]).expect_code(1);
    let out = op1(
        &v1,
        &[
            "diff",
            v1.to_str().unwrap(),
            v2.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    let json = out.json();
    assert_eq!(
        json["teams_fixed"],
        serde_json::json!(["Alpha"]),
        "{}",
        out.transcript()
    );
    assert_eq!(json["teams_added"], serde_json::json!([]));
    let change = |name: &str, track: &str| {
        json["values"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["team"] == "Alpha" && v["name"] == name && v["track"] == track)
            .cloned()
            .unwrap_or_else(|| panic!("no {name}/{track}: {}", out.stdout))
    };
    let margin = change("Gross margin", "LY Actual");
    assert_eq!(
        (margin["old"].as_f64(), margin["new"].as_f64()),
        (Some(40.0), Some(0.4))
    );
    let flat = change("Revenue", "Flat");
    assert_eq!(
        (flat["old"].as_f64(), flat["new"].as_f64()),
        (None, Some(1_000_000.0))
    );
    // Only what changed: Revenue's LY Actual is the same on both sides.
    assert!(!json["values"]
        .as_array()
        .unwrap()
        .iter()
        .any(|v| v["name"] == "Revenue" && v["track"] == "LY Actual"));
    let text = op1(&v1, &["diff", v1.to_str().unwrap(), v2.to_str().unwrap()]);
    assert!(
        text.stdout.contains("Alpha: fixed since (was excluded)"),
        "{}",
        text.stdout
    );
    assert!(!text.stdout.contains("new team"), "{}", text.stdout);
    // Against a pack that left Alpha out: fixed since, not new.
    op1(
        &v1,
        &[
            "pack",
            ".",
            "--out",
            "packed",
            "--allow-partial",
            "--no-charts",
        ],
    )
    .expect_code(1);
    let out = op1(
        &v1,
        &["diff", "packed", v2.to_str().unwrap(), "--format", "json"],
    );
    let json = out.json();
    assert_eq!(
        json["teams_fixed"],
        serde_json::json!(["Alpha"]),
        "{}",
        out.transcript()
    );
    assert_eq!(json["teams_added"], serde_json::json!([]));
}

#[test]
fn a_delivery_bar_the_axis_cuts_off_says_its_value() {
    let (_tmp, round) = copy_fixture("model-round");
    op1(&round, &["pack", ".", "--out", "approved", "--no-charts"]).expect_code(0);
    // Beta (funded: Flat 550,000 EUR, Investment 700,000) forecasts
    // −200,000: delivery (−200,000 − 550,000) / 150,000 = −500%, far below
    // the axis' −100%.
    for team in ["alpha", "beta", "gamma"] {
        report(&round, team, |wb| {
            let revenue = metric_mut(wb, "Revenue");
            revenue.quarters = quarters(&[10_000.0]);
            if team == "beta" {
                revenue.forecast = Some(val(-200_000.0));
            }
        });
    }
    let out = op1(
        &round,
        &["checkpoint", ".", "--out", "cp", "--plan", "approved"],
    );
    out.expect_code(0);
    let svg = std::fs::read_to_string(round.join("cp/charts/decisions.svg"))
        .unwrap_or_else(|_| panic!("{}", out.transcript()));
    let decisions = std::fs::read_to_string(round.join("cp/decisions.csv")).unwrap();
    assert!(svg.contains("← −500%"), "{decisions}");
}

#[test]
fn the_checkpoint_reissue_explains_its_columns_and_offers_the_goal_statuses() {
    let (_tmp, round) = copy_fixture("round-fy27");
    let out = op1(
        &round,
        &[
            "template",
            "--from",
            "consumer/payments.xlsx",
            "--checkpoint",
            "--out",
            "payments-cp.xlsx",
        ],
    );
    out.expect_code(0);
    let parts = xlsx_parts(&round.join("payments-cp.xlsx"), "xl/");
    let strings = &parts["xl/sharedStrings.xml"];
    for said in [
        "the quarter's own amount, not the year to date",
        "Headcount is the heads at the quarter's end",
        "the amount spent in that quarter",
    ] {
        assert!(strings.contains(said), "{said}");
    }
    let list = "<formula1>\"on track,at risk,off track,delivered,missed,cut\"</formula1>";
    assert!(
        parts
            .iter()
            .any(|(name, xml)| name.starts_with("xl/worksheets/") && xml.contains(list)),
        "no Status drop-down"
    );
}

#[test]
fn quarters_typed_as_year_to_date_totals_are_a_quarters_cumulative_warning() {
    let (_tmp, round) = copy_fixture("model-round");
    // Alpha's Revenue plan is 1,000,000 (phased evenly: 750,000 by Q3); the
    // team typed its running totals. Beta typed quarters.
    report(&round, "alpha", |wb| {
        metric_mut(wb, "Revenue").quarters = quarters(&[240_000.0, 500_000.0, 760_000.0]);
    });
    report(&round, "beta", |wb| {
        metric_mut(wb, "Revenue").quarters = quarters(&[130_000.0, 140_000.0, 150_000.0]);
    });
    let out = op1(
        &round,
        &["checkpoint", ".", "--out", "cp", "--format", "json"],
    );
    out.expect_code(0);
    let found = out.json()["findings"].as_array().unwrap().clone();
    let cumulative: Vec<_> = found
        .iter()
        .filter(|f| f["rule"] == "quarters-cumulative")
        .collect();
    assert_eq!(cumulative.len(), 1, "{}", out.transcript());
    let f = cumulative[0];
    assert_eq!(
        (f["team"].as_str(), f["severity"].as_str()),
        (Some("Alpha"), Some("warning"))
    );
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains("(240,000, 500,000, 760,000)")
            && message.contains("plan to date (750,000)")
            && message.contains("Q3 = 760,000 − 500,000 = 260,000"),
        "{message}"
    );
}

#[test]
fn feedback_files_transliterate_team_names_and_the_message_says_stores_not_storess() {
    let (_tmp, round) = copy_fixture("model-round");
    for (team, name) in [("alpha", "Logística Zürich"), ("beta", "Stores")] {
        report(&round, team, |wb| {
            wb.team.value = name.to_string();
            wb.assumptions.truncate(1);
        });
    }
    op1(&round, &["feedback", ".", "--out", "fb"]).expect_code(0);
    assert!(round.join("fb/logistica-zurich.xlsx").is_file());
    let parts = xlsx_parts(&round.join("fb/stores.xlsx"), "xl/sharedStrings");
    let strings = parts.values().next().unwrap();
    assert!(
        strings.contains("What to fix in Stores' workbook"),
        "{strings}"
    );
    assert!(!strings.contains("Stores's"));
}

#[test]
fn the_summarys_teams_column_is_a_number() {
    let (_tmp, round) = copy_fixture("model-round");
    op1(&round, &["pack", ".", "--out", "out", "--no-charts"]).expect_code(0);
    let cell = summary_cell(&round.join("out/exec-pack.xlsx"), "Revenue", "Teams (of 3)");
    assert_eq!(cell, Data::Float(3.0));
}

#[test]
fn a_template_for_an_unknown_currency_is_refused_with_the_nearest_code() {
    let tmp = tempfile::tempdir().unwrap();
    let out = op1(
        tmp.path(),
        &[
            "template",
            "--team",
            "Logística Zürich",
            "--currency",
            "EURO",
            "--out",
            "t.xlsx",
        ],
    );
    out.expect_code(2);
    assert!(
        out.stderr.contains("\"EURO\"; did you mean EUR?"),
        "{}",
        out.transcript()
    );
    assert!(!tmp.path().join("t.xlsx").exists());
}
