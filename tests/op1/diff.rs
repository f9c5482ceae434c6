//! `op1 diff OLD NEW` and `op1 pack --since`: the sample round against its
//! resubmission (fixtures/round-fy27-v2/CHANGES.md, exactly, in JSON, text,
//! changes.xlsx and the bridge chart), a pack folder against its own round,
//! the tolerance, the envelope, metrics added and removed, and a pack of
//! another format refused.

use crate::common;
use common::*;

#[test]
fn a_pack_folder_against_its_own_round_has_no_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let pack = tmp.path().join("pack");
    pack_round("fixtures/round-fy27", &pack, &["--no-charts"]);
    let j = diff_json(pack.to_str().unwrap(), "fixtures/round-fy27", 0);
    assert_eq!(j["changed"], false, "{j}");
    assert_eq!(j["values"].as_array().unwrap().len(), 0);
    assert!(j["findings"]["unchanged"].as_u64().unwrap() > 10);
}

/// The Revenue value of a team's workbook on a track, as the reader reads it.
fn revenue(path: &str, track: fn(&op1::plan::Metric) -> Option<f64>) -> f64 {
    let wb = read_team(&fixture(path));
    let m = wb
        .metrics
        .iter()
        .find(|m| m.name.value == "Revenue")
        .expect("Revenue");
    track(m).expect("a value")
}

/// The round's Funded total of `metric` in a pack's rollup.csv.
fn funded_total(pack: &std::path::Path, metric: &str) -> f64 {
    let rows = csv_table(&pack.join("rollup.csv"));
    let row = rows
        .iter()
        .find(|r| r["scope"] == "All" && r["metric"] == metric && r["track"] == "Funded")
        .expect("the round's Funded total");
    number(&row["value"]).expect("a number")
}

/// `op1 diff OLD NEW --format json`, which must exit with `code`; its JSON.
fn diff_json(old: &str, new: &str, code: i32) -> serde_json::Value {
    let out = op1(&root(), &["diff", old, new, "--format", "json"]);
    out.expect_code(code);
    out.json()
}

/// fixtures/round-fy27-v2/CHANGES.md, exactly.
#[test]
fn a_resubmission_shows_exactly_what_changed() {
    let j = diff_json("fixtures/round-fy27", "fixtures/round-fy27-v2", 1);
    assert_eq!(j["changed"], true);
    assert_eq!(j["teams_added"], serde_json::json!(["Fraud Ops"]));
    assert_eq!(j["teams_withdrawn"], serde_json::json!(["Security"]));
    assert!(j["envelope"].is_null(), "the envelope did not change");

    // Two values: Payments' Investment case, Growth's flat headcount.
    let values = j["values"].as_array().unwrap();
    let keys: Vec<(&str, &str, &str, &str)> = values
        .iter()
        .map(|v| {
            (
                v["team"].as_str().unwrap(),
                v["what"].as_str().unwrap(),
                v["name"].as_str().unwrap(),
                v["track"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        keys,
        [
            ("Growth", "resource", "Headcount", "Flat"),
            ("Payments", "metric", "Revenue", "Investment"),
        ],
        "{values:#?}"
    );
    let payments = &values[1];
    let was = revenue("round-fy27/consumer/payments.xlsx", |m| {
        m.investment.as_ref().map(|v| v.value)
    });
    assert_eq!(payments["old"].as_f64(), Some(was));
    assert_eq!(payments["new"].as_f64(), Some((was * 1.1).round()));
    assert_eq!(payments["delta"].as_f64(), Some((was * 1.1).round() - was));
    // USD team: the reporting change is the change.
    assert_eq!(payments["delta_reporting"], payments["delta"]);
    assert_eq!(payments["unit"], "USD");
    for (side, root) in [
        ("old_source", "round-fy27/"),
        ("new_source", "round-fy27-v2/"),
    ] {
        let source = payments[side].as_str().unwrap();
        assert!(
            source.contains(root) && source.ends_with("payments.xlsx › Plan!I5"),
            "{side}: {source}"
        );
    }
    let growth = &values[0];
    let ly = read_team(&fixture("round-fy27-v2/consumer/growth.xlsx"))
        .resources
        .iter()
        .find(|r| r.name.value == "Headcount")
        .and_then(|r| r.ly.as_ref().map(|v| v.value))
        .unwrap();
    assert_eq!(growth["new"].as_f64(), Some(ly + 2.0));
    assert_eq!(growth["unit"], "heads");
    assert!(growth["new_source"]
        .as_str()
        .unwrap()
        .ends_with("growth.xlsx › Resources!C2"));

    // Fraud Ops' strong case takes Developer Tools' place under the envelope;
    // what is left then fits Risk's. ROIs are the cases' own (unchanged).
    let funding = j["funding"].as_array().unwrap();
    let moves: Vec<(&str, bool)> = funding
        .iter()
        .map(|m| {
            (
                m["team"].as_str().unwrap(),
                m["now_funded"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(moves, [("Developer Tools", false), ("Risk", true)]);
    for m in funding {
        assert_eq!(m["roi_before"], m["roi_after"], "{m}");
    }

    let registers = j["registers"].as_array().unwrap();
    assert_eq!(registers.len(), 2, "{registers:#?}");
    assert_eq!(
        (
            registers[0]["team"].as_str(),
            registers[0]["register"].as_str(),
            registers[0]["old"].as_str(),
            registers[0]["new"].as_str()
        ),
        (
            Some("Payments"),
            Some("assumption"),
            Some("Card network fees stay at the FY26 blended rate of 1.9%."),
            Some("Card network fees rise to a blended rate of 2.0% from Q2.")
        ),
        "an edited row shows both texts"
    );
    assert_eq!(registers[1]["team"], "Sales EMEA");
    assert_eq!(registers[1]["register"], "risk");
    assert!(registers[1]["old"].is_null());
    assert!(registers[1]["new"]
        .as_str()
        .unwrap()
        .starts_with("Two of the ten largest DACH customers"));

    let listed = |key: &str| -> Vec<(String, String, String)> {
        let list = if key == "new" {
            &j["findings"]["new"]
        } else {
            &j["findings"]["resolved_findings"]
        };
        let mut out: Vec<_> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["rule"].as_str().unwrap().to_string(),
                    f["team"].as_str().unwrap().to_string(),
                    f["where"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        out.sort();
        out
    };
    let t = |r: &str, team: &str, w: &str| (r.to_string(), team.to_string(), w.to_string());
    assert_eq!(
        listed("new"),
        [
            t("flat-resources", "Growth", "growth.xlsx › Resources!C2"),
            // Security withdrew, and its shared goal with Developer Tools is orphaned.
            t("s2-owners", "Developer Tools", "dev-tools.xlsx › Goals!C2"),
        ]
    );
    assert_eq!(
        listed("resolved"),
        [
            t("funding-case", "Security", ""),
            t(
                "investment-resources",
                "Security",
                "security.xlsx › Resources!D3"
            ),
            t("lessons-missing", "Security", "security.xlsx › Narrative"),
            t("ly-miss-why", "Developer Tools", "dev-tools.xlsx › Plan!J2"),
            t("missing-team", "Fraud Ops", ""),
        ]
    );
    assert_eq!(j["findings"]["resolved"], 5);
    assert_eq!(j["findings"]["unchanged"], 12);

    // The bridge: each version's Funded Revenue total, as its own pack's
    // roll-up has it, and the teams' changes between them.
    let tmp = tempfile::tempdir().unwrap();
    let (p1, p2) = (tmp.path().join("v1"), tmp.path().join("v2"));
    pack_round("fixtures/round-fy27", &p1, &["--no-charts"]);
    pack_round("fixtures/round-fy27-v2", &p2, &["--no-charts"]);
    let bridge = &j["bridge"];
    assert_eq!(bridge["objective"], "Revenue");
    let (old_total, new_total) = (funded_total(&p1, "Revenue"), funded_total(&p2, "Revenue"));
    assert!((bridge["old_total"].as_f64().unwrap() - old_total).abs() < 0.01);
    assert!((bridge["new_total"].as_f64().unwrap() - new_total).abs() < 0.01);
    let steps: f64 = bridge["teams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["new"].as_f64().unwrap() - t["old"].as_f64().unwrap())
        .sum();
    assert!(
        (old_total + steps - new_total).abs() < 0.01,
        "the steps add up"
    );
    let teams: Vec<&str> = bridge["teams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["team"].as_str().unwrap())
        .collect();
    assert_eq!(
        teams,
        [
            "Fraud Ops",
            "Payments",
            "Developer Tools",
            "Security",
            "Risk"
        ],
        "largest change first"
    );
    // Diffing the two pack folders gives the same changes.
    let k = diff_json(p1.to_str().unwrap(), p2.to_str().unwrap(), 1);
    for key in [
        "teams_added",
        "teams_withdrawn",
        "funding",
        "registers",
        "bridge",
    ] {
        assert_eq!(j[key], k[key], "{key}");
    }
    assert_eq!(
        j["values"].as_array().unwrap().len(),
        k["values"].as_array().unwrap().len()
    );
}

#[test]
fn the_text_groups_by_team_largest_objective_change_first_and_ends_with_the_count() {
    let text = op1(
        &root(),
        &["diff", "fixtures/round-fy27", "fixtures/round-fy27-v2"],
    );
    text.expect_code(1);
    let s = &text.stdout;
    assert!(s.contains("\nFraud Ops: new team\n"), "{s}");
    assert!(s.contains("\nSecurity: withdrawn\n"), "{s}");
    let payments = s.find("\nPayments\n").expect("Payments group");
    let growth = s.find("\nGrowth\n").expect("Growth group");
    assert!(payments < growth, "the objective's change first:\n{s}");
    assert!(
        s.contains("Revenue Investment: 55,190,000 USD → 60,709,000 USD (+5,519,000, +10.0%)"),
        "{s}"
    );
    assert!(
        s.contains("Headcount (resource) Flat: 54 heads → 56 heads (+2, +3.7%)"),
        "{s}"
    );
    assert!(s.contains("Developer Tools: now below the line"), "{s}");
    assert!(
        s.contains("Payments assumption edited: \"Card network fees stay"),
        "{s}"
    );
    assert_eq!(
        s.trim_end().lines().last().unwrap(),
        "1 team added, 1 team withdrawn, 2 values changed, envelope unchanged, 2 cases moved across the funding line, 2 register rows changed; findings: 2 new, 5 resolved, 12 unchanged"
    );
}

#[test]
fn diff_out_writes_the_changes_workbook_and_the_bridge_chart() {
    let tmp = tempfile::tempdir().unwrap();
    let out_dir = tmp.path().join("changes");
    let out = op1(
        &root(),
        &[
            "diff",
            "fixtures/round-fy27",
            "fixtures/round-fy27-v2",
            "--out",
            out_dir.to_str().unwrap(),
        ],
    );
    out.expect_code(1);
    assert!(out.stderr.contains("changes.xlsx"), "{}", out.transcript());
    use calamine::{DataType, Reader};
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook(out_dir.join("changes.xlsx")).unwrap();
    assert_eq!(
        book.sheet_names(),
        ["Changes", "Funding moves", "Registers", "Findings"]
    );
    let sheet = book.worksheet_range("Changes").unwrap();
    let header: Vec<String> = sheet
        .rows()
        .nth(2)
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(
        header,
        [
            "Team",
            "What",
            "Track",
            "Unit",
            "Old",
            "New",
            "Δ",
            "Δ%",
            "Δ USD",
            "Old source",
            "New source"
        ]
    );
    let row = sheet
        .rows()
        .find(|r| r[0].get_string() == Some("Payments") && r[1].get_string() == Some("Revenue"))
        .expect("the Payments Revenue change");
    assert_eq!(row[2].get_string(), Some("Investment"));
    assert_eq!(row[4].as_f64(), Some(55_190_000.0));
    assert_eq!(row[5].as_f64(), Some(60_709_000.0));
    assert_eq!(row[6].as_f64(), Some(5_519_000.0));
    assert!((row[7].as_f64().unwrap() - 0.1).abs() < 1e-9);
    assert!(sheet
        .rows()
        .any(|r| r[0].get_string() == Some("Security")
            && r[1].get_string() == Some("team withdrawn")));
    let moves = book.worksheet_range("Funding moves").unwrap();
    assert!(moves
        .rows()
        .any(|r| r[0].get_string() == Some("Risk") && r[1].get_string() == Some("funded")));
    let findings = book.worksheet_range("Findings").unwrap();
    assert_eq!(
        findings
            .rows()
            .filter(|r| r[0].get_string() == Some("resolved"))
            .count(),
        5
    );
    for ext in ["png", "svg"] {
        let chart = out_dir.join(format!("charts/changes-bridge.{ext}"));
        assert!(chart.is_file(), "{}", chart.display());
    }
    let svg = std::fs::read_to_string(out_dir.join("charts/changes-bridge.svg")).unwrap();
    for text in [
        "Revenue Funded: what changed",
        "Fraud Ops",
        "Funded before",
        "Funded after",
    ] {
        assert!(svg.contains(text), "{text}");
    }
}

#[test]
fn changes_within_the_tolerance_are_not_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let settings = tmp.path().join("op1.toml");
    let toml = std::fs::read_to_string(fixture("round-fy27-v2/op1.toml")).unwrap();
    let diff_with = |tolerance: &str, extra: &[&str]| {
        std::fs::write(
            &settings,
            format!("{toml}\n[diff]\ntolerance = {tolerance}\n"),
        )
        .unwrap();
        let mut args = vec![
            "diff",
            "fixtures/round-fy27",
            "fixtures/round-fy27-v2",
            "--settings",
            settings.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        op1(&root(), &args)
    };
    // Payments moved 10%, Growth's headcount 3.7%: both within 20%.
    let out = diff_with("0.2", &["--format", "json"]);
    out.expect_code(1);
    let j = out.json();
    assert_eq!(j["values"].as_array().unwrap().len(), 0, "{}", out.stdout);
    assert_eq!(j["teams_added"], serde_json::json!(["Fraud Ops"]));
    // A tolerance that is not a fraction is refused, naming the key.
    let bad = diff_with("5", &[]);
    bad.expect_code(2);
    assert!(
        bad.stderr.contains("diff.tolerance"),
        "{}",
        bad.transcript()
    );
}

#[test]
fn a_changed_envelope_is_a_change() {
    let (_tmp, new) = copy_fixture("round-fy27");
    let toml = new.join("op1.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        text.replace("budget = 6_000_000", "budget = 6_500_000"),
    )
    .unwrap();
    let j = diff_json("fixtures/round-fy27", new.to_str().unwrap(), 1);
    assert_eq!(
        j["envelope"],
        serde_json::json!({"old": 6_000_000.0, "new": 6_500_000.0})
    );
    // 6.5M now reaches Risk, the first case below the line.
    assert_eq!(j["funding"][0]["team"], "Risk");
    assert_eq!(j["funding"][0]["now_funded"], true);
    let text = op1(
        &root(),
        &["diff", "fixtures/round-fy27", new.to_str().unwrap()],
    );
    assert!(
        text.stdout
            .contains("envelope: 6,000,000 USD → 6,500,000 USD"),
        "{}",
        text.stdout
    );
}

#[test]
fn a_pack_of_another_format_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let pack = tmp.path().join("pack");
    pack_round("fixtures/model-round", &pack, &["--no-charts"]);
    // Before formats were recorded, format 1 (no narrative in the
    // registers, no objective or envelope in the marker) and format 2 (no
    // decisions in funding.csv): never misread.
    for (marker, says) in [
        ("written by op1 0.0.1\n", "pack format 0"),
        (
            "written by op1 0.1.0\nformat 1\n",
            "pack format 1, which this op1 does not read (it reads format 3)",
        ),
        (
            "written by op1 0.1.0\nformat 2\ncurrency USD\n",
            "pack format 2, which this op1 does not read (it reads format 3)",
        ),
    ] {
        std::fs::write(pack.join(".op1-pack"), marker).unwrap();
        let out = op1(
            &root(),
            &["diff", pack.to_str().unwrap(), "fixtures/model-round"],
        );
        out.expect_code(2);
        assert!(out.stderr.contains(says), "{}", out.transcript());
    }
}

#[test]
fn pack_since_adds_the_changes_to_the_pack_the_document_and_the_charts() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("pack");
    pack_round("fixtures/round-fy27", &out, &[]);
    // The output folder itself is the earlier version: read before it is overwritten.
    let o = out.to_str().unwrap();
    pack_round("fixtures/round-fy27-v2", &out, &["--since", o]);
    use calamine::{DataType, Reader};
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(out.join("exec-pack.xlsx")).unwrap();
    let names = book.sheet_names();
    assert_eq!(&names[..3], ["Summary", "Changes", "Teams"]);
    let sheet = book.worksheet_range("Changes").unwrap();
    let row = sheet
        .rows()
        .find(|r| r[0].get_string() == Some("Payments") && r[1].get_string() == Some("Revenue"))
        .expect("the Payments Revenue change");
    assert_eq!(row[4].as_f64(), Some(55_190_000.0));
    assert_eq!(row[5].as_f64(), Some(60_709_000.0));
    assert!(out.join("charts/changes-bridge.png").is_file());
    let md = std::fs::read_to_string(out.join("document.md")).unwrap();
    // The earlier pack is named by the round it packed, not by its folder.
    assert!(
        md.contains("## 2 What changed since fixtures/round-fy27\n"),
        "{md}"
    );
    let svg = std::fs::read_to_string(out.join("charts/changes-bridge.svg")).unwrap();
    assert!(
        svg.contains("round-fy27 408.4M"),
        "the chart names the round"
    );
    assert!(md.contains("1 team added (Fraud Ops), 1 team withdrawn (Security)"));
    assert!(md.contains("charts/changes-bridge.svg"));
    // The team chapters follow it.
    assert!(md.contains("\n## 3 "), "team chapters renumbered");
    let html = std::fs::read_to_string(out.join("document.html")).unwrap();
    assert!(html.contains("What changed since"));
    assert!(
        html.contains("Revenue Funded: what changed"),
        "the chart inline"
    );
    // Without --since the next pack has neither.
    pack_round("fixtures/round-fy27-v2", &out, &[]);
    let book: calamine::Xlsx<_> = calamine::open_workbook(out.join("exec-pack.xlsx")).unwrap();
    assert!(!book.sheet_names().contains(&"Changes".to_string()));
    assert!(
        !out.join("charts/changes-bridge.png").exists(),
        "its chart removed"
    );
}

#[test]
fn a_metric_added_and_one_removed_show_one_side_each() {
    let (_tmp, new) = copy_fixture("round-fy27");
    // Mobile renames "Active customers" to "Monthly active users": one metric
    // removed, one added (every track of each).
    let mobile = new.join("consumer/mobile.xlsx");
    let mut wb = read_team(&mobile);
    let metric = wb
        .metrics
        .iter_mut()
        .find(|m| m.name.value == "Active customers")
        .expect("Mobile reports Active customers");
    metric.name.value = "Monthly active users".into();
    std::fs::remove_file(&mobile).unwrap();
    write_team(&mobile, &wb);
    let j = diff_json("fixtures/round-fy27", new.to_str().unwrap(), 1);
    let values = j["values"].as_array().unwrap();
    let sides = |name: &str| -> Vec<(bool, bool)> {
        values
            .iter()
            .filter(|v| v["team"] == "Mobile" && v["name"] == name)
            .map(|v| (v["old"].is_null(), v["new"].is_null()))
            .collect()
    };
    let removed = sides("Active customers");
    let added = sides("Monthly active users");
    assert!(
        !removed.is_empty() && removed.iter().all(|s| *s == (false, true)),
        "{values:#?}"
    );
    assert_eq!(added.len(), removed.len());
    assert!(added.iter().all(|s| *s == (true, false)));
    assert_eq!(
        values.len(),
        removed.len() + added.len(),
        "nothing else moved: {values:#?}"
    );
}
