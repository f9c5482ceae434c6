//! The sample round after Q2 (`fixtures/round-fy27-q2`) checked against the
//! pack of `fixtures/round-fy27` as the approved plan: the figures of two
//! teams recomputed by hand from the contract's definitions, the planted
//! findings exactly, and the calls on the funded cases with the freed budget.

use crate::common;
use common::*;
use op1::plan::{TeamWorkbook, Track};
use std::collections::BTreeMap;
use std::path::PathBuf;

type Row = BTreeMap<String, String>;

fn num(row: &Row, column: &str) -> f64 {
    row[column]
        .parse()
        .unwrap_or_else(|_| panic!("{column} = {:?}", row[column]))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * b.abs().max(1.0)
}

struct Run {
    _tmp: tempfile::TempDir,
    approved: PathBuf,
    cp: PathBuf,
    findings: Vec<serde_json::Value>,
}

fn run() -> Run {
    let tmp = tempfile::tempdir().unwrap();
    let approved = tmp.path().join("approved");
    let cp = tmp.path().join("q2");
    op1(
        &root(),
        &[
            "pack",
            "fixtures/round-fy27",
            "--out",
            approved.to_str().unwrap(),
            "--no-charts",
        ],
    )
    .expect_code(0);
    let out = op1(
        &root(),
        &[
            "checkpoint",
            "fixtures/round-fy27-q2",
            "--plan",
            approved.to_str().unwrap(),
            "--out",
            cp.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    out.expect_code(0);
    let report = out.json();
    Run {
        _tmp: tmp,
        approved,
        cp,
        findings: report["findings"].as_array().unwrap().clone(),
    }
}

fn team(file: &str) -> TeamWorkbook {
    read_team(&fixture(&format!("round-fy27-q2/{file}")))
}

/// The approved (Funded) full-year plan of a team's metric, from the pack.
fn approved_plan(run: &Run, team: &str, metric: &str) -> f64 {
    let rows = csv_table(&run.approved.join("consolidated.csv"));
    let row = rows
        .iter()
        .find(|r| r["team"] == team && r["metric"] == metric && r["track"] == Track::Funded.name())
        .unwrap_or_else(|| panic!("no Funded {team}/{metric}"));
    num(row, "value")
}

fn checkpoint_row(run: &Run, team: &str, metric: &str) -> Row {
    csv_table(&run.cp.join("checkpoint.csv"))
        .into_iter()
        .find(|r| r["team"] == team && r["metric"] == metric)
        .unwrap_or_else(|| panic!("no {team}/{metric}"))
}

/// Recomputes one row from the contract: a sum (phased `w`) or a level, and
/// whether lower is better; checks every figure and the status.
fn check_row(run: &Run, wb: &TeamWorkbook, metric: &str, w: [f64; 2], level: bool, lower: bool) {
    let m = wb.metrics.iter().find(|m| m.name.value == metric).unwrap();
    let (q1, q2) = (
        m.quarters[0].as_ref().unwrap().value,
        m.quarters[1].as_ref().unwrap().value,
    );
    let pl = approved_plan(run, wb.name(), metric);
    let (ac, pl_ytd, fc_linear, fc_pace) = if level {
        let ac = (q1 + q2) / 2.0;
        (ac, pl, ac, ac)
    } else {
        let ac = q1 + q2;
        let pl_ytd = pl * (w[0] + w[1]);
        (ac, pl_ytd, ac * 4.0 / 2.0, pl * ac / pl_ytd)
    };
    let projection = m.forecast.as_ref().map_or(fc_pace, |f| f.value);
    let gap = (projection - pl) / pl.abs() * if lower { -1.0 } else { 1.0 };
    let status = if gap >= -0.02 {
        "green"
    } else if gap >= -0.10 {
        "amber"
    } else {
        "red"
    };
    let row = checkpoint_row(run, wb.name(), metric);
    let what = format!("{}/{metric}", wb.name());
    for (column, want) in [
        ("plan_full_year", pl),
        ("ac_ytd", ac),
        ("pl_ytd", pl_ytd),
        ("delta_ytd", ac - pl_ytd),
        ("fc_linear", fc_linear),
        ("fc_pace", fc_pace),
        ("projection", projection),
        ("gap", gap),
    ] {
        assert!(
            close(num(&row, column), want),
            "{what} {column}: {} vs {want}",
            row[column]
        );
    }
    assert_eq!(row["status"], status, "{what}");
}

#[test]
fn two_teams_figures_equal_the_contracts_definitions_computed_by_hand() {
    let run = run();
    // Sales EMEA: funded (its plan is Investment); money in EUR.
    let emea = team("enterprise/sales-emea.xlsx");
    // Revenue is phased 20/23/25/32%: to date 43% of the year.
    check_row(&run, &emea, "Revenue", [0.20, 0.23], false, false);
    // Operating cost: a sum, even phasing, lower is better.
    check_row(&run, &emea, "Operating cost", [0.25, 0.25], false, true);
    // Gross margin: weighted by Revenue, a level (the mean of the quarters).
    check_row(&run, &emea, "Gross margin", [0.25, 0.25], true, false);
    // Security: not funded (its plan is Flat).
    let security = team("platform/security.xlsx");
    check_row(&run, &security, "Revenue", [0.20, 0.23], false, false);
    check_row(
        &run,
        &security,
        "Active customers",
        [0.25, 0.25],
        false,
        false,
    );
    // Growth's Q2 Revenue collapsed: red.
    assert_eq!(checkpoint_row(&run, "Growth", "Revenue")["status"], "red");
    // Mobile did not report Q2: no actual to date, no status.
    let mobile = checkpoint_row(&run, "Mobile", "Revenue");
    assert_eq!(mobile["ac_ytd"], "");
    assert_eq!(mobile["status"], "n/a");
}

#[test]
fn headcount_is_the_heads_at_the_quarters_end_against_the_approved_headcount() {
    let run = run();
    let data = team("platform/data.xlsx");
    let heads = data.resources.iter().find(|r| r.is_headcount()).unwrap();
    let q2 = heads.quarters[1].as_ref().unwrap().value;
    // Data is funded: its approved headcount is the Investment track's.
    let approved = heads.investment.as_ref().unwrap().value;
    assert_eq!(q2, approved + 5.0);
    let wb = read_team(&fixture("round-fy27-q2/platform/data.xlsx"));
    assert_eq!(wb.name(), "Data");
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook(run.cp.join("checkpoint.xlsx")).unwrap();
    use calamine::{DataType, Reader};
    let sheet = book.worksheet_range("Resources").unwrap();
    let row = sheet
        .rows()
        .find(|r| r[0].get_string() == Some("Data") && r[1].get_string() == Some("Headcount"))
        .unwrap();
    assert_eq!(row[2].as_f64(), Some(approved));
    assert_eq!(row[3].as_f64(), Some(q2));
    assert_eq!(row[5].get_string(), Some("yes"));
}

#[test]
fn the_planted_findings_and_nothing_else() {
    let run = run();
    let checkpoint_rules = [
        "actuals-missing",
        "status-jump",
        "forecast-outlier",
        "overcommitted",
        "s2-status-mismatch",
        "goal-overdue",
        "plan-changed",
        "plan-unapproved",
    ];
    let mut got: BTreeMap<(String, String), usize> = BTreeMap::new();
    for f in &run.findings {
        let rule = f["rule"].as_str().unwrap();
        if checkpoint_rules.contains(&rule) {
            let team = f["team"].as_str().unwrap_or("").to_string();
            *got.entry((rule.to_string(), team)).or_default() += 1;
        }
    }
    let want: BTreeMap<(String, String), usize> = [
        ("actuals-missing", "Mobile", 4), // each of its four metrics
        ("forecast-outlier", "Payments", 1),
        ("goal-overdue", "Data", 1),
        ("goal-overdue", "Infra", 1),
        ("overcommitted", "Data", 1),
        ("plan-changed", "Infra", 1),
        ("s2-status-mismatch", "Marketplace", 1),
        ("s2-status-mismatch", "Payments", 1),
        ("status-jump", "Growth", 1),
    ]
    .into_iter()
    .map(|(r, t, n)| ((r.to_string(), t.to_string()), n))
    .collect();
    assert_eq!(got, want);
}

#[test]
fn each_funded_case_gets_its_call_and_the_cut_frees_its_budget() {
    let run = run();
    let decisions = csv_table(&run.cp.join("decisions.csv"));
    let funding = csv_table(&run.approved.join("funding.csv"));
    let funded: Vec<&Row> = funding.iter().filter(|r| r["funded"] == "true").collect();
    assert_eq!(decisions.len(), funded.len(), "a call on every funded case");
    let consolidated = csv_table(&run.approved.join("consolidated.csv"));
    let plan = |team: &str, track: Track| {
        consolidated
            .iter()
            .find(|r| r["team"] == team && r["metric"] == "Revenue" && r["track"] == track.name())
            .map(|r| num(r, "value"))
            .unwrap()
    };
    let mut freed = 0.0;
    for d in &decisions {
        let t = d["team"].as_str();
        let (flat, investment) = (plan(t, Track::Flat), plan(t, Track::Investment));
        let row = checkpoint_row(&run, t, "Revenue");
        if row["projection"].is_empty() {
            // Not reported to date (Mobile): no delivery, and no call to cut.
            assert_eq!(
                (d["delivery"].as_str(), d["call"].as_str()),
                ("", "keep"),
                "{t}"
            );
            continue;
        }
        let projection = num(&row, "projection");
        let delivery = (projection - flat) / (investment - flat);
        assert!(
            close(num(d, "delivery"), delivery),
            "{t}: {} vs {delivery}",
            d["delivery"]
        );
        let green = d["status"] == "green";
        let call = if delivery >= 1.0 && green {
            "double down"
        } else if delivery < 0.5 {
            "cut or fix"
        } else {
            "keep"
        };
        assert_eq!(d["call"], call, "{t}");
        if call == "cut or fix" {
            freed += num(d, "incremental_budget");
        }
    }
    // Growth's collapsed Q2 makes it the one case to cut or fix.
    let cut: Vec<&str> = decisions
        .iter()
        .filter(|d| d["call"] == "cut or fix")
        .map(|d| d["team"].as_str())
        .collect();
    assert_eq!(cut, ["Growth"]);
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook(run.cp.join("checkpoint.xlsx")).unwrap();
    use calamine::{DataType, Reader};
    let sheet = book.worksheet_range("Decisions").unwrap();
    let note = sheet.rows().nth(1).unwrap()[0]
        .get_string()
        .unwrap_or("")
        .to_string();
    let freed_text = grouped(freed.round() as u64);
    assert!(note.contains(&freed_text), "{note} lacks {freed_text}");
}

#[test]
fn the_memo_says_what_is_off_track_what_to_cut_and_where_the_budget_could_go() {
    let run = run();
    let md = std::fs::read_to_string(run.cp.join("checkpoint.md")).unwrap();
    let html = std::fs::read_to_string(run.cp.join("checkpoint.html")).unwrap();
    for needle in [
        "Q2 checkpoint",
        "| Growth | Revenue | red |",
        "Two enterprise launches slipped out of Q2\\.",
        "cut or fix",
        "freeing 430,000 USD",
        "The freed budget could fund, by ROI: Risk",
        "| Data | Headcount |",
        "S2\\-05",
    ] {
        let plain = needle.replace('\\', "");
        assert!(
            md.contains(needle) || md.contains(&plain),
            "checkpoint.md lacks {needle:?}"
        );
    }
    assert!(html.contains("Two enterprise launches slipped out of Q2."));
    assert!(!html.contains("<script"));
}

#[test]
fn the_checkpoint_charts_are_drawn_in_the_packs_notation() {
    let run = run();
    for stem in [
        "revenue-quarters",
        "operating-cost-quarters",
        "status",
        "decisions",
    ] {
        for ext in ["png", "svg"] {
            let path = run.cp.join(format!("charts/{stem}.{ext}"));
            assert!(path.is_file(), "no {}", path.display());
        }
    }
    let texts = |stem: &str| -> Vec<String> {
        let svg = std::fs::read_to_string(run.cp.join(format!("charts/{stem}.svg"))).unwrap();
        svg.split("<text")
            .skip(1)
            .filter_map(|t| Some(t.split('>').nth(1)?.split('<').next()?.trim().to_string()))
            .collect()
    };
    // The grid says each status as a letter: Growth's Revenue is red.
    let status = texts("status");
    let growth = status.iter().position(|t| t == "Growth").unwrap();
    assert_eq!(status[growth + 1], "R", "{:?}", &status[growth..growth + 5]);
    assert!(status.iter().any(|t| t == "G"));
    // The notation's legend: actual, plan, projection.
    let quarters = texts("revenue-quarters");
    for key in ["AC actual", "PL plan", "FC projection"] {
        assert!(quarters.iter().any(|t| t == key), "no {key}");
    }
    assert!(texts("decisions").iter().any(|t| t == "Growth"));
    // The memo shows the grid and the decisions inline.
    let html = std::fs::read_to_string(run.cp.join("checkpoint.html")).unwrap();
    assert!(html.matches("<svg").count() >= 2);
}
