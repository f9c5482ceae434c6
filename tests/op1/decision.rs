//! The decision room (issue 28): what the room decides and constrains in
//! `[funding]` — `fund` and `cut`, groups funded together, budget caps per
//! org, a headcount cap, and `method = "optimal"` — on the model round,
//! whose three cases are small enough to work out by hand: Beta costs
//! 110,000 for 165,000 of Revenue (ROI 1.5, 2 heads), Alpha 400,000 for
//! 500,000 (ROI 1.25, 4 heads), Gamma asks no budget (no case). New tests
//! about funding decisions, targets, the frontier or the decision letters
//! go here; the brute-force check of the optimum is `model/portfolio_tests.rs`.

use crate::common::*;
use std::collections::BTreeMap;

/// `op1 pack fixtures/model-round` with `[funding]` set to `funding` (TOML
/// lines under the section): the Funding table by team, the findings, and
/// the pack's folder.
fn pack_deciding(
    funding: &str,
) -> (
    BTreeMap<String, BTreeMap<String, String>>,
    Vec<serde_json::Value>,
    tempfile::TempDir,
) {
    let tmp = tempfile::tempdir().unwrap();
    let settings = tmp.path().join("op1.toml");
    let base = std::fs::read_to_string(fixture("model-round/op1.toml")).unwrap();
    let base = base.replace("[funding]\nbudget = 500_000\nobjective = \"Revenue\"\n", "");
    std::fs::write(
        &settings,
        format!("{base}\n[funding]\nobjective = \"Revenue\"\n{funding}\n"),
    )
    .unwrap();
    let out = tmp.path().join("out");
    let run = op1(
        &root(),
        &[
            "pack",
            "fixtures/model-round",
            "--settings",
            settings.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--no-charts",
            "--format",
            "json",
        ],
    );
    run.expect_code(0);
    let rows = csv_table(&out.join("funding.csv"))
        .into_iter()
        .map(|row| (row["team"].clone(), row))
        .collect();
    (rows, findings(&run.stdout), tmp)
}

fn funded(rows: &BTreeMap<String, BTreeMap<String, String>>) -> Vec<&str> {
    rows.iter()
        .filter(|(_, r)| r["funded"] == "true")
        .map(|(t, _)| t.as_str())
        .collect()
}

fn with_rule<'a>(findings: &'a [serde_json::Value], rule: &str) -> Vec<&'a str> {
    findings
        .iter()
        .filter(|f| f["rule"] == rule)
        .map(|f| f["message"].as_str().unwrap())
        .collect()
}

/// The round's Funded total of Revenue less its Flat total: the uplift
/// the funded set buys, read from the roll-up (not from funding.csv).
fn funded_uplift(out: &std::path::Path) -> f64 {
    let rollup = csv_table(&out.join("rollup.csv"));
    let total = |track: &str| -> f64 {
        rollup
            .iter()
            .find(|r| r["scope"] == "All" && r["metric"] == "Revenue" && r["track"] == track)
            .unwrap_or_else(|| panic!("no All Revenue {track}"))["value"]
            .parse()
            .unwrap()
    };
    total("Funded") - total("Flat")
}

#[test]
fn optimal_funds_the_set_with_the_most_uplift_and_says_what_ranking_leaves() {
    // 400,000: ranked takes Beta (ROI 1.5) and then Alpha no longer fits
    // (165,000 of uplift); Alpha alone fits and buys 500,000.
    let (ranked, _, tmp) = pack_deciding("budget = 400_000");
    assert_eq!(funded(&ranked), ["Beta"]);
    assert!((funded_uplift(&tmp.path().join("out")) - 165_000.0).abs() < 1e-6);
    let (optimal, _, tmp) = pack_deciding("budget = 400_000\nmethod = \"optimal\"");
    assert_eq!(funded(&optimal), ["Alpha"]);
    assert_eq!(
        optimal["Alpha"]["why"],
        "funded: in the set with the most uplift"
    );
    assert_eq!(
        optimal["Beta"]["why"],
        "fits, but the set with the most uplift leaves it out"
    );
    let out = tmp.path().join("out");
    assert!((funded_uplift(&out) - 500_000.0).abs() < 1e-6);
    let md = std::fs::read_to_string(out.join("document.md")).unwrap();
    assert!(
        md.contains("where ranking by ROI would fund 165,000 USD (regret 335,000 USD)"),
        "{md}"
    );
    let note = sheet_text(&out.join("exec-pack.xlsx"), "Funding", "A2");
    assert!(
        note.contains(
            "500,000 of uplift, where ranking by ROI would fund 165,000 (regret 335,000)"
        ),
        "{note}"
    );
}

#[test]
fn decisions_in_the_room_come_first_and_a_decision_naming_no_case_is_said() {
    let (rows, findings, _tmp) = pack_deciding(
        "budget = 300_000\n[funding.decisions]\nAlpha = \"fund\"\nbeta = \"CUT\"\nGamma = \"fund\"\n\"Alpah\" = \"cut\"",
    );
    assert_eq!(funded(&rows), ["Alpha"]);
    assert_eq!(rows["Alpha"]["decision"], "fund");
    assert_eq!(rows["Alpha"]["why"], "funded: decided in the room");
    assert_eq!(rows["Beta"]["decision"], "cut");
    assert_eq!(rows["Beta"]["why"], "cut: decided in the room");
    assert_eq!(rows["Alpha"]["fraction"], "1.0");
    assert_eq!(rows["Beta"]["fraction"], "0.0");
    // Alpha's 400,000 is 100,000 past the 300,000 envelope.
    assert_eq!(
        with_rule(&findings, "decisions-over-envelope"),
        ["the cases decided \"fund\" in the room spend 100,000 more than the envelope of 300,000: raise the envelope, or cut a decided case"]
    );
    let unknown = with_rule(&findings, "funding-unknown");
    assert_eq!(unknown.len(), 2, "{unknown:?}");
    assert!(unknown
        .iter()
        .any(|m| m.contains("\"Alpah\", which is no team of the round (did you mean Alpha?)")));
    assert!(unknown
        .iter()
        .any(|m| m.contains("\"Gamma\", which is not a funding case")));
}

#[test]
fn caps_and_the_headcount_cap_stop_a_case_and_say_which() {
    let (rows, findings, _tmp) =
        pack_deciding("budget = 1_000_000\n[funding.caps]\nCore = 200_000\nNowhere = 5");
    assert_eq!(funded(&rows), ["Beta"]);
    assert_eq!(rows["Alpha"]["why"], "Core's budget cap is reached");
    assert!(with_rule(&findings, "funding-unknown")[0]
        .contains("\"Nowhere\", which no funding case's org path starts with"));
    let (rows, _, _tmp) = pack_deciding("budget = 1_000_000\nheadcount_cap = 5");
    assert_eq!(funded(&rows), ["Beta"]);
    assert_eq!(rows["Alpha"]["why"], "the headcount cap is reached");
}

#[test]
fn a_group_is_funded_whole_or_not_at_all() {
    let group = "together = [[\"Alpha\", \"Beta\"]]";
    let (rows, _, _tmp) = pack_deciding(&format!("budget = 509_999\n{group}"));
    assert_eq!(funded(&rows), Vec::<&str>::new());
    assert_eq!(
        rows["Alpha"]["why"],
        "does not fit the remaining envelope (together with Beta)"
    );
    let (rows, _, _tmp) = pack_deciding(&format!("budget = 510_000\n{group}"));
    assert_eq!(funded(&rows), ["Alpha", "Beta"]);
    assert_eq!(rows["Beta"]["why"], "funded (together with Alpha)");
}

#[test]
fn a_decision_that_is_not_fund_cut_or_a_share_is_refused_naming_it() {
    let tmp = tempfile::tempdir().unwrap();
    let settings = tmp.path().join("op1.toml");
    for (decision, says) in [
        (
            "\"maybe\"",
            "the decision for \"Alpha\" is \"maybe\": write \"fund\" or \"cut\"",
        ),
        (
            "1.5",
            "the decision for \"Alpha\" is 1.5: write \"fund\", \"cut\" or the share of the case to fund, from 0 to 1",
        ),
    ] {
        std::fs::write(
            &settings,
            format!("[funding.decisions]\nAlpha = {decision}\n"),
        )
        .unwrap();
        let run = op1(
            &root(),
            &[
                "check",
                "fixtures/model-round",
                "--settings",
                settings.to_str().unwrap(),
            ],
        );
        run.expect_code(2);
        assert!(run.stderr.contains(says), "{}", run.stderr);
    }
}

#[test]
fn with_s2_together_the_owners_of_a_shared_goal_are_funded_together() {
    let tmp = tempfile::tempdir().unwrap();
    let settings = tmp.path().join("op1.toml");
    let base = std::fs::read_to_string(fixture("round-fy27/op1.toml")).unwrap();
    let base = base.replace("[funding]\n", "[funding]\ns2_together = true\n");
    assert!(base.contains("s2_together = true"));
    std::fs::write(&settings, base).unwrap();
    let out = tmp.path().join("out");
    op1(
        &root(),
        &[
            "pack",
            "fixtures/round-fy27",
            "--settings",
            settings.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--no-charts",
        ],
    )
    .expect_code(0);
    let rows: BTreeMap<String, BTreeMap<String, String>> = csv_table(&out.join("funding.csv"))
        .into_iter()
        .map(|row| (row["team"].clone(), row))
        .collect();
    // S2-06 is Payments + Marketplace's, S2-07 Customer Success + Infra's
    // (fixtures/round-fy27/PLANTED.md).
    for (a, b) in [("Payments", "Marketplace"), ("Customer Success", "Infra")] {
        assert_eq!(rows[a]["funded"], rows[b]["funded"], "{a} and {b}");
        // Groups that share a team are one (S2-07's Infra also owns goals
        // with others): b is among a's partners.
        let why = &rows[a]["why"];
        let partners = why
            .split_once("(together with ")
            .and_then(|(_, rest)| rest.strip_suffix(')'))
            .unwrap_or_else(|| panic!("{a}: {why}"));
        assert!(partners.split(", ").any(|p| p == b), "{a}: {why}");
    }
    let spend: f64 = rows
        .values()
        .filter(|r| r["funded"] == "true")
        .map(|r| r["incremental_budget"].parse::<f64>().unwrap())
        .sum();
    assert!(spend <= 6_000_000.0, "{spend}");
}

#[test]
fn targets_are_set_beside_the_rounds_totals_and_a_funded_plan_short_of_one_is_said() {
    // Budget 500,000 funds Beta alone (+165,000 Revenue over Flat).
    let (_, findings, tmp) = pack_deciding(
        "budget = 500_000\n[targets.\"All\"]\nRevenue = \"5M\"\n\"Gross margin\" = 0.4\n[targets.\"core\"]\nRevenue = 1_000_000\nNPS = 3\n[targets.\"Nowhere\"]\nRevenue = 1",
    );
    let out = tmp.path().join("out");
    let rollup = csv_table(&out.join("rollup.csv"));
    let total = |scope: &str, metric: &str, track: &str| -> f64 {
        rollup
            .iter()
            .find(|r| r["scope"] == scope && r["metric"] == metric && r["track"] == track)
            .unwrap()["value"]
            .parse()
            .unwrap()
    };
    let targets = csv_table(&out.join("targets.csv"));
    let rows: Vec<(&str, &str)> = targets
        .iter()
        .map(|r| (r["scope"].as_str(), r["metric"].as_str()))
        .collect();
    assert_eq!(
        rows,
        [
            ("All", "Gross margin"),
            ("All", "Revenue"),
            ("core", "Revenue")
        ]
    );
    for row in &targets {
        let scope = if row["scope"] == "core" {
            "Core"
        } else {
            "All"
        };
        let metric = row["metric"].as_str();
        for (column, track) in [
            ("ly_actual", "LY Actual"),
            ("flat", "Flat"),
            ("investment", "Investment"),
            ("funded", "Funded"),
        ] {
            let got: f64 = row[column].parse().unwrap();
            assert!(
                (got - total(scope, metric, track)).abs() < 1e-6,
                "{scope} {metric} {column}"
            );
        }
        let (target, funded): (f64, f64) = (
            row["target"].parse().unwrap(),
            row["funded"].parse().unwrap(),
        );
        let gap: f64 = row["gap"].parse().unwrap();
        assert!((gap - (funded - target)).abs() < 1e-6);
        let pct: f64 = row["gap_pct"].parse().unwrap();
        assert!((pct - gap / target).abs() < 1e-9);
    }
    // Core's Funded Revenue (1,605,000 Flat + Beta's 165,000) is above
    // 1,000,000; the round's, below 5M: one target-gap, for All Revenue.
    let gaps = with_rule(&findings, "target-gap");
    assert_eq!(
        gaps.len(),
        1 + usize::from(total("All", "Gross margin", "Funded") < 0.4),
        "{gaps:?}"
    );
    assert!(gaps
        .iter()
        .any(|m| m.starts_with("Revenue in All: the funded plan reaches ")));
    let unknown = with_rule(&findings, "target-unknown");
    assert_eq!(unknown.len(), 2, "{unknown:?}");
    assert!(unknown
        .iter()
        .any(|m| m.contains("[targets.\"Nowhere\"] names no scope of the round")));
    assert!(unknown
        .iter()
        .any(|m| m.contains("the round rolls up no metric \"NPS\" in core")));
    let sheet = sheet_text(&out.join("exec-pack.xlsx"), "Targets", "A1");
    assert_eq!(sheet, "Targets: top-down against the teams' plans");
    // Page one says it in a sentence, each target with its gap.
    let md = std::fs::read_to_string(out.join("document.md")).unwrap();
    let page_one = &md[..md.find("The 10× gap").unwrap()];
    assert!(
        page_one.contains("Against the top-down targets — Gross margin in All: funded "),
        "{page_one}"
    );
    assert!(
        page_one.contains("Revenue in core: funded 1,770,000 against 1,000,000 (+770,000, +77.0%)"),
        "{page_one}"
    );
}

#[test]
fn a_round_without_targets_writes_no_targets_table_or_sheet() {
    use calamine::Reader;
    let (_, _, tmp) = pack_deciding("budget = 500_000");
    assert!(!tmp.path().join("out/targets.csv").exists());
    let book: calamine::Xlsx<_> =
        calamine::open_workbook(tmp.path().join("out/exec-pack.xlsx")).unwrap();
    let sheets = book.sheet_names();
    assert!(sheets.contains(&"Funding".to_string()), "{sheets:?}");
    assert!(!sheets.contains(&"Targets".to_string()), "{sheets:?}");
}

#[test]
fn a_share_of_a_case_funds_that_share_of_every_increment_and_the_checkpoint_measures_it() {
    // Alpha at half: 200,000 of its 400,000 and 250,000 of its 500,000
    // uplift, forced; Beta (110,000) still fits the 300,000 left.
    let (rows, _, tmp) = pack_deciding("budget = 500_000\n[funding.decisions]\nAlpha = 0.5");
    assert_eq!(funded(&rows), ["Alpha", "Beta"]);
    assert_eq!(rows["Alpha"]["fraction"], "0.5");
    assert_eq!(rows["Alpha"]["decision"], "0.5");
    assert_eq!(
        rows["Alpha"]["why"],
        "50% of the case funded: decided in the room"
    );
    let out = tmp.path().join("out");
    assert!((funded_uplift(&out) - 415_000.0).abs() < 1e-6);
    // Spent: 200,000 of Alpha's and Beta's 110,000, in the table and live
    // on the Funding sheet (a formula LibreOffice recomputes to the same).
    let spent: f64 = rows
        .values()
        .map(|r| r["cumulative_funded"].parse::<f64>().unwrap())
        .fold(0.0, f64::max);
    assert_eq!(spent, 310_000.0);
    let pack = out.join("exec-pack.xlsx");
    assert_eq!(sheet_text(&pack, "Funding", "B4"), "310000");
    if let Some(soffice) = libreoffice("the funded spend of a share, recalculated") {
        let work = tmp.path().join("recalc");
        std::fs::create_dir(&work).unwrap();
        assert!(assert_recalculates(soffice, &pack, &work) > 0);
    }
    // Every metric of Alpha's Funded track is Flat + ½ × (Investment − Flat).
    let rollup = csv_table(&out.join("rollup.csv"));
    let alpha = |metric: &str, track: &str| -> f64 {
        rollup
            .iter()
            .find(|r| r["scope"] == "Core/Alpha" && r["metric"] == metric && r["track"] == track)
            .unwrap()["value"]
            .parse()
            .unwrap()
    };
    for metric in ["Revenue", "Operating cost"] {
        let (flat, inv) = (alpha(metric, "Flat"), alpha(metric, "Investment"));
        assert!(
            (alpha(metric, "Funded") - (flat + 0.5 * (inv - flat))).abs() < 1e-6,
            "{metric}"
        );
    }
    // The checkpoint measures Alpha against that decided plan.
    let cp = tmp.path().join("q1");
    op1(
        &root(),
        &[
            "checkpoint",
            "fixtures/model-round",
            "--plan",
            out.to_str().unwrap(),
            "--out",
            cp.to_str().unwrap(),
            "--as-of",
            "Q1",
        ],
    )
    .expect_code(0);
    let metrics = csv_table(&cp.join("checkpoint.csv"));
    let plan = metrics
        .iter()
        .find(|r| r["team"] == "Alpha" && r["metric"] == "Revenue")
        .unwrap()["plan_full_year"]
        .parse::<f64>()
        .unwrap();
    let (flat, inv) = (alpha("Revenue", "Flat"), alpha("Revenue", "Investment"));
    assert!((plan - (flat + 0.5 * (inv - flat))).abs() < 1e-6, "{plan}");
}
