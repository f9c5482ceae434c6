//! Regression tests, each named after what broke when a new user tried op1.

use crate::common;
use common::*;

#[test]
fn packing_into_a_folder_inside_the_round_twice_does_not_read_the_pack() {
    let (_tmp, round) = copy_fixture("model-round");
    op1(&round, &["pack", ".", "--out", "out", "--no-charts"]).expect_code(0);
    let second = op1(&round, &["pack", ".", "--out", "out", "--no-charts", "-v"]);
    second.expect_code(0);
    assert!(
        second.stdout.contains("(in the output folder)"),
        "{}",
        second.transcript()
    );
}

#[test]
fn a_mistyped_objective_is_refused_with_the_metrics_named() {
    let tmp = tempfile::tempdir().unwrap();
    let out = op1(
        &root(),
        &[
            "pack",
            "fixtures/model-round",
            "--out",
            tmp.path().to_str().unwrap(),
            "--objective",
            "Revnue",
        ],
    );
    out.expect_code(2);
    assert!(
        out.stderr.contains("\"Revnue\" is not a metric") && out.stderr.contains("Revenue"),
        "{}",
        out.transcript()
    );
}

#[test]
fn an_empty_folder_is_a_usage_error_not_an_empty_pack() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("empty")).unwrap();
    op1(tmp.path(), &["check", "empty"]).expect_code(2);
    let out = op1(tmp.path(), &["pack", "empty", "--out", "out"]);
    out.expect_code(2);
    assert!(!tmp.path().join("out/exec-pack.xlsx").exists());
}

#[test]
fn checking_one_file_of_a_round_uses_the_round_settings() {
    // data.xlsx is in EUR; without the round's op1.toml the rate would be missing.
    let out = op1(
        &root(),
        &[
            "check",
            "fixtures/round-fy27/platform/data.xlsx",
            "--format",
            "json",
        ],
    );
    let f = findings(&out.stdout);
    assert!(
        !f.iter().any(|f| f["rule"] == "fx-missing"),
        "{}",
        out.transcript()
    );
}

#[test]
fn no_charts_removes_charts_of_an_earlier_run() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_str().unwrap();
    op1(&root(), &["pack", "fixtures/model-round", "--out", dir]).expect_code(0);
    assert!(tmp.path().join("charts/bridge.png").exists());
    op1(
        &root(),
        &["pack", "fixtures/model-round", "--out", dir, "--no-charts"],
    )
    .expect_code(0);
    assert!(
        !tmp.path().join("charts/bridge.png").exists(),
        "a stale chart survived"
    );
}

#[test]
fn template_from_a_file_onto_itself_is_refused() {
    let (_tmp, round) = copy_fixture("model-round");
    let before = std::fs::read(round.join("alpha.xlsx")).unwrap();
    op1(
        &round,
        &["template", "--from", "alpha.xlsx", "--out", "alpha.xlsx"],
    )
    .expect_code(2);
    assert_eq!(
        std::fs::read(round.join("alpha.xlsx")).unwrap(),
        before,
        "the input was written"
    );
}

#[test]
fn out_that_is_a_file_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("afile"), b"x").unwrap();
    let out = op1(
        tmp.path(),
        &[
            "pack",
            root().join("fixtures/model-round").to_str().unwrap(),
            "--out",
            "afile",
        ],
    );
    out.expect_code(2);
    assert!(out.stderr.contains("is a file"), "{}", out.transcript());
}

#[test]
fn out_naming_a_file_is_refused_before_the_round_is_read() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("pack.xlsx");
    std::fs::write(&file, b"mine").unwrap();
    // fixtures/bad would be refused with exit 1 once read; the usage error
    // (exit 2) comes first, and the file is untouched.
    let out = op1(
        &root(),
        &["pack", "fixtures/bad", "--out", file.to_str().unwrap()],
    );
    out.expect_code(2);
    assert!(out.stderr.contains("is a file"), "{}", out.transcript());
    assert!(out.stdout.is_empty(), "{}", out.transcript());
    assert_eq!(std::fs::read(&file).unwrap(), b"mine");
}

#[test]
fn template_says_wrote_only_for_a_file_it_wrote() {
    let tmp = tempfile::tempdir().unwrap();
    let existing = tmp.path().join("old.xlsx");
    std::fs::write(&existing, b"not written by op1").unwrap();
    let corrupt = fixture("bad/corrupt.xlsx");
    let out = op1(
        tmp.path(),
        &[
            "template",
            "--from",
            corrupt.to_str().unwrap(),
            "--out",
            "old.xlsx",
            "--force",
        ],
    );
    out.expect_code(1);
    assert!(!out.stderr.contains("wrote"), "{}", out.transcript());
    assert_eq!(std::fs::read(&existing).unwrap(), b"not written by op1");
}

#[test]
fn pack_lists_only_the_files_it_wrote() {
    let (_tmp, round) = copy_fixture("model-round");
    let out = op1(&round, &["pack", ".", "--out", "out", "--no-charts"]);
    out.expect_code(0);
    let wrote: Vec<&str> = out
        .stderr
        .lines()
        .filter_map(|l| l.strip_prefix("wrote "))
        .collect();
    assert!(!wrote.is_empty(), "{}", out.transcript());
    for path in &wrote {
        assert!(round.join(path).is_file(), "{path}: {}", out.transcript());
    }
    assert!(!wrote.iter().any(|p| p.contains("charts")), "{wrote:?}");
}

#[test]
fn template_refuses_to_overwrite_a_filled_in_workbook() {
    let tmp = tempfile::tempdir().unwrap();
    op1(
        tmp.path(),
        &["template", "--team", "Payments", "--out", "p.xlsx"],
    )
    .expect_code(0);
    let filled = std::fs::read(tmp.path().join("p.xlsx")).unwrap();
    let again = op1(
        tmp.path(),
        &["template", "--team", "Growth", "--out", "p.xlsx"],
    );
    again.expect_code(2);
    assert!(
        again.stderr.contains("exists") && again.stderr.contains("--force"),
        "{}",
        again.transcript()
    );
    assert_eq!(std::fs::read(tmp.path().join("p.xlsx")).unwrap(), filled);
    let forced = op1(
        tmp.path(),
        &["template", "--team", "Growth", "--out", "p.xlsx", "--force"],
    );
    forced.expect_code(0);
    assert_ne!(std::fs::read(tmp.path().join("p.xlsx")).unwrap(), filled);
}

#[test]
fn pack_keeps_the_users_own_files_in_the_charts_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_str().unwrap();
    op1(&root(), &["pack", "fixtures/model-round", "--out", dir]).expect_code(0);
    let charts = tmp.path().join("charts");
    std::fs::write(charts.join("annotated.svg"), b"<svg>mine</svg>").unwrap();
    std::fs::write(charts.join("my-own-chart.png"), b"mine").unwrap();
    op1(&root(), &["pack", "fixtures/model-round", "--out", dir]).expect_code(0);
    op1(
        &root(),
        &["pack", "fixtures/model-round", "--out", dir, "--no-charts"],
    )
    .expect_code(0);
    assert_eq!(
        std::fs::read(charts.join("annotated.svg")).unwrap(),
        b"<svg>mine</svg>"
    );
    assert_eq!(
        std::fs::read(charts.join("my-own-chart.png")).unwrap(),
        b"mine"
    );
    // What op1 wrote is gone with --no-charts.
    assert!(!charts.join("bridge.png").exists());
}

/// A `%` metric with `52` in it read as 5,200% and the round's mean margin
/// became 1,338.5% with exit code 0: it is an error unless regraded.
#[test]
fn a_percent_typed_as_a_whole_number_is_an_error() {
    use op1::plan::UnitKind;
    let mut wb = read_team(&fixture("round-fy27/consumer/payments.xlsx"));
    let metric = wb
        .metrics
        .iter_mut()
        .find(|m| m.unit_kind == UnitKind::Ratio)
        .expect("the sample team has a % metric");
    let name = metric.name.value.clone();
    metric.flat.as_mut().expect("a Flat value").value = 52.0;
    let tmp = tempfile::tempdir().unwrap();
    write_team(&tmp.path().join("payments.xlsx"), &wb);

    let out = op1(tmp.path(), &["check", "payments.xlsx", "--format", "json"]);
    out.expect_code(1);
    let found = findings(&out.stdout);
    let whole = found
        .iter()
        .find(|f| f["rule"] == "percent-whole-number")
        .unwrap_or_else(|| panic!("no percent-whole-number finding\n{}", out.transcript()));
    assert_eq!(whole["severity"], "error");
    let message = whole["message"].as_str().unwrap();
    assert!(message.contains(&name), "{message}");
    assert!(
        message.contains("52%") && message.contains("0.52"),
        "{message}"
    );

    // The user may regrade it.
    std::fs::write(
        tmp.path().join("op1.toml"),
        "[rules]\npercent-whole-number = \"warning\"\n",
    )
    .unwrap();
    let regraded = op1(tmp.path(), &["check", ".", "--format", "json"]);
    let found = findings(&regraded.stdout);
    assert!(
        found
            .iter()
            .any(|f| f["rule"] == "percent-whole-number" && f["severity"] == "warning"),
        "{}",
        regraded.transcript()
    );
}

/// `investment-below-flat` fired on every team's Operating cost: more
/// investment raises cost, as it should.
#[test]
fn investment_below_flat_leaves_costs_alone_unless_asked() {
    use op1::plan::{Better, UnitKind};
    let mut wb = read_team(&fixture("round-fy27/consumer/payments.xlsx"));
    let cost = wb
        .metrics
        .iter_mut()
        .find(|m| m.unit_kind == UnitKind::Money)
        .expect("a money metric");
    cost.better = Better::Lower;
    let flat = cost.flat.as_ref().expect("a Flat value").value;
    cost.investment.as_mut().expect("an Investment value").value = flat * 2.0 + 1.0;
    let name = cost.name.value.clone();
    let tmp = tempfile::tempdir().unwrap();
    write_team(&tmp.path().join("payments.xlsx"), &wb);
    let below = |dir: &std::path::Path| {
        let out = op1(dir, &["check", ".", "--format", "json"]);
        findings(&out.stdout)
            .into_iter()
            .filter(|f| f["rule"] == "investment-below-flat")
            .filter(|f| f["message"].as_str().unwrap_or("").contains(&name))
            .count()
    };
    assert_eq!(
        below(tmp.path()),
        0,
        "a cost rising with investment was flagged"
    );
    std::fs::write(
        tmp.path().join("op1.toml"),
        "[checks]\ninvestment_below_flat_on_costs = true\n",
    )
    .unwrap();
    assert_eq!(below(tmp.path()), 1, "asked to judge costs, it did not");
}

/// `--budget` refused `3,000,000`, `3_000_000` and `3M`, though the settings
/// example itself writes `6_000_000`.
#[test]
fn budget_takes_amounts_the_way_finance_writes_them() {
    let funded = |budget: &str| {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().to_str().unwrap();
        let out = op1(
            &root(),
            &[
                "pack",
                "fixtures/model-round",
                "--out",
                dir,
                "--no-charts",
                "--budget",
                budget,
            ],
        );
        out.expect_code(0);
        std::fs::read_to_string(tmp.path().join("funding.csv")).unwrap()
    };
    let plain = funded("3000000");
    for written in ["3,000,000", "3_000_000", "3M", "3m"] {
        assert_eq!(funded(written), plain, "--budget {written}");
    }
    let bad = op1(
        &root(),
        &[
            "pack",
            "fixtures/model-round",
            "--out",
            "x",
            "--budget",
            "lots",
        ],
    );
    bad.expect_code(2);
    assert!(bad.stderr.contains("not an amount"), "{}", bad.transcript());
}

/// The count line said "0 infos".
#[test]
fn the_count_line_says_info_not_infos() {
    let out = op1(&root(), &["check", "fixtures/clean-round"]);
    out.expect_code(0);
    let last = out.stdout.lines().last().unwrap_or("");
    assert!(last.ends_with(" info"), "{last}");
    assert!(!out.stdout.contains("infos"), "{}", out.transcript());
}

/// `op1 pack` had neither `--format json` nor `--strict`, unlike `check`.
#[test]
fn pack_reports_as_json_and_is_strict_on_request() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_str().unwrap();
    let args = [
        "pack",
        "fixtures/round-fy27",
        "--out",
        dir,
        "--no-charts",
        "--format",
        "json",
    ];
    let out = op1(&root(), &args);
    out.expect_code(0);
    let report = out.json();
    assert_eq!(report["packed"], true);
    let written: Vec<&str> = report["written"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|w| w.as_str())
        .collect();
    assert!(written.contains(&"exec-pack.xlsx"), "{written:?}");
    for name in &written {
        assert!(tmp.path().join(name).is_file(), "{name}");
    }
    let findings = report["findings"].as_array().unwrap();
    assert!(
        findings.iter().any(|f| f["rule"] == "ly-miss-why"),
        "{}",
        out.transcript()
    );
    // The sample round has warnings: --strict makes them fail the run.
    let mut strict = args.to_vec();
    strict.push("--strict");
    op1(&root(), &strict).expect_code(1);
}

/// A byte-identical copy (`alpha (1).xlsx` beside `alpha.xlsx`) made both
/// files a duplicate-team error, and `--allow-partial` dropped the team.
#[test]
fn a_byte_identical_copy_is_skipped_not_a_duplicate_team() {
    let (_tmp, round) = copy_fixture("model-round");
    std::fs::copy(round.join("alpha.xlsx"), round.join("alpha (1).xlsx")).unwrap();
    let out = op1(&round, &["check", ".", "--format", "json", "-v"]);
    out.expect_code(0);
    let found = findings(&out.stdout);
    assert!(
        !found.iter().any(|f| f["rule"] == "duplicate-team"),
        "{}",
        out.transcript()
    );
    let copy = found
        .iter()
        .find(|f| f["rule"] == "duplicate-file")
        .unwrap_or_else(|| panic!("no duplicate-file finding\n{}", out.transcript()));
    assert_eq!(copy["severity"], "warning");
    assert!(
        copy["file"].as_str().unwrap().ends_with("alpha (1).xlsx"),
        "{copy}"
    );
    assert!(
        copy["message"].as_str().unwrap().contains("alpha.xlsx"),
        "{copy}"
    );
    // The pack has the team once.
    let pack = op1(&round, &["pack", ".", "--out", "out", "--no-charts"]);
    pack.expect_code(0);
    let csv = std::fs::read_to_string(round.join("out/funding.csv")).unwrap();
    assert_eq!(
        csv.lines().filter(|l| l.contains(",Alpha,")).count(),
        1,
        "{csv}"
    );
}

/// After `op1 pack round --out round/out`, `op1 check round` read
/// `exec-pack.xlsx` as a team without a Plan sheet and exited 1.
#[test]
fn op1s_own_outputs_inside_a_round_are_passed_over_wherever_they_sit() {
    let (_tmp, round) = copy_fixture("model-round");
    op1(&round, &["pack", ".", "--out", "out", "--no-charts"]).expect_code(0);
    // Moved and renamed, it is still op1's output.
    std::fs::create_dir_all(round.join("archive")).unwrap();
    std::fs::rename(round.join("out"), round.join("archive/pack-v1")).unwrap();
    let out = op1(&round, &["check", ".", "-v"]);
    out.expect_code(0);
    assert!(
        out.stdout
            .contains("archive/pack-v1/exec-pack.xlsx (in the output folder)"),
        "{}",
        out.transcript()
    );
    assert!(
        !out.stdout.contains("sheet-missing"),
        "{}",
        out.transcript()
    );
}

/// `op1 pack . --out .` said "no team workbooks found".
#[test]
fn packing_into_the_round_folder_itself_says_so() {
    let (_tmp, round) = copy_fixture("model-round");
    let out = op1(&round, &["pack", ".", "--out", "."]);
    out.expect_code(2);
    assert!(
        out.stderr.contains("is the round's folder"),
        "{}",
        out.transcript()
    );
}

/// `--objective "Gross margin"` ranked cases by an ROI of 4.3e-8 with no warning.
#[test]
fn an_objective_that_does_not_add_up_is_refused_saying_why() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_str().unwrap();
    let out = op1(
        &root(),
        &[
            "pack",
            "fixtures/round-fy27",
            "--out",
            dir,
            "--objective",
            "Gross margin",
        ],
    );
    out.expect_code(2);
    assert!(
        out.stderr
            .contains("\"Gross margin\" rolls up as \"weighted by Revenue\"")
            && out.stderr.contains("add up"),
        "{}",
        out.transcript()
    );
    assert!(!tmp.path().join("exec-pack.xlsx").exists());
}

/// `template --out /missing/dir/x.xlsx` named op1's temporary file.
#[test]
fn a_missing_output_folder_is_named_not_a_temporary_file() {
    let tmp = tempfile::tempdir().unwrap();
    let out = op1(
        tmp.path(),
        &["template", "--team", "X", "--out", "missing/dir/x.xlsx"],
    );
    out.expect_code(2);
    assert!(
        out.stderr.contains("missing/dir") && out.stderr.contains("does not exist"),
        "{}",
        out.transcript()
    );
    assert!(!out.stderr.contains(".op1-"), "{}", out.transcript());
}

/// `op1 check payments.xlsx` (a team checking its submission) reported every
/// other team as missing and its shared-goal partners as not in the round.
#[test]
fn one_submission_checked_on_its_own_is_not_judged_against_the_round() {
    let file = "fixtures/round-fy27/consumer/payments.xlsx";
    let json = op1(&root(), &["check", file, "--format", "json"]);
    let found = findings(&json.stdout);
    for f in &found {
        assert!(
            !matches!(
                f["rule"].as_str(),
                Some("missing-team" | "s2-unlisted" | "s2-mismatch" | "duplicate-team")
            ),
            "{f}"
        );
        assert!(
            !f["message"]
                .as_str()
                .unwrap_or("")
                .contains("not a team in the round"),
            "{f}"
        );
    }
    let text = op1(&root(), &["check", file]);
    assert!(
        text.stdout.contains("checked on its own") && text.stdout.contains("missing-team"),
        "{}",
        text.transcript()
    );
    assert!(!text.stdout.contains("missing\n"), "{}", text.transcript());
}

/// "Growth Team" against the roster's "Growth" only said that Growth had not
/// submitted.
#[test]
fn a_team_name_almost_on_the_roster_is_named_with_a_did_you_mean() {
    let (_tmp, round) = copy_fixture("model-round");
    let settings = std::fs::read_to_string(round.join("op1.toml")).unwrap();
    std::fs::write(
        round.join("op1.toml"),
        format!("{settings}\n[round]\nteams = [\"Alpha\", \"Beta\", \"Gamma Team\"]\n"),
    )
    .unwrap();
    let out = op1(&round, &["check", ".", "--format", "json"]);
    let found = findings(&out.stdout);
    let missing = found
        .iter()
        .find(|f| f["rule"] == "missing-team")
        .unwrap_or_else(|| panic!("no missing-team\n{}", out.transcript()));
    let message = missing["message"].as_str().unwrap();
    assert!(
        message.contains("\"Gamma\"") && message.contains("did you mean \"Gamma Team\""),
        "{message}"
    );
    assert!(message.contains("gamma.xlsx"), "{message}");
}

/// A header renamed `LY Tgt` was an info finding ("ignored"), visible only
/// with -v, and the LY Target values were gone.
#[test]
fn a_renamed_header_is_a_warning_that_names_the_likely_column() {
    use rust_xlsxwriter::Workbook;
    let tmp = tempfile::tempdir().unwrap();
    let mut wb = Workbook::new();
    let team = wb.add_worksheet().set_name("Team").unwrap();
    for (r, (k, v)) in [("Team", "Payments"), ("Owner", "Ann")].iter().enumerate() {
        team.write_string(r as u32, 0, *k).unwrap();
        team.write_string(r as u32, 1, *v).unwrap();
    }
    let plan = wb.add_worksheet().set_name("Plan").unwrap();
    let headers = [
        "Metric",
        "Unit",
        "Better",
        "Rollup",
        "LY Tgt",
        "LY Actual",
        "Flat",
        "Investment",
    ];
    for (c, h) in headers.iter().enumerate() {
        plan.write_string(0, c as u16, *h).unwrap();
    }
    for (c, v) in ["Revenue", "USD", "higher", "sum"].iter().enumerate() {
        plan.write_string(1, c as u16, *v).unwrap();
    }
    for (c, v) in [100.0, 90.0, 95.0, 120.0].iter().enumerate() {
        plan.write_number(1, 4 + c as u16, *v).unwrap();
    }
    wb.save(tmp.path().join("payments.xlsx")).unwrap();
    let out = op1(tmp.path(), &["check", "payments.xlsx", "--format", "json"]);
    let found = findings(&out.stdout);
    let renamed = found
        .iter()
        .find(|f| f["rule"] == "column-misnamed")
        .unwrap_or_else(|| panic!("no column-misnamed\n{}", out.transcript()));
    assert_eq!(renamed["severity"], "warning");
    assert_eq!(renamed["cell"], "E1");
    let message = renamed["message"].as_str().unwrap();
    assert!(
        message.contains("\"LY Tgt\"") && message.contains("did you mean \"LY Target\""),
        "{message}"
    );
}

/// A team that split `Revenue` into `Revenue - Cards` and `Revenue - Wallet`
/// passed `check`, and the pack's Revenue total left it out while the Summary
/// said "4 teams".
#[test]
fn a_metric_a_team_does_not_report_is_a_warning_and_totals_say_whom_they_cover() {
    let (_tmp, round) = copy_fixture("model-round");
    let alpha = round.join("alpha.xlsx");
    let mut wb = read_team(&alpha);
    let revenue = wb
        .metrics
        .iter_mut()
        .find(|m| m.name.value == "Revenue")
        .expect("alpha reports Revenue");
    revenue.name.value = "Revenue - Cards".into();
    std::fs::remove_file(&alpha).unwrap();
    write_team(&alpha, &wb);

    let out = op1(&round, &["check", ".", "--format", "json"]);
    let found = findings(&out.stdout);
    let missing = found
        .iter()
        .find(|f| f["rule"] == "metric-missing")
        .unwrap_or_else(|| panic!("no metric-missing\n{}", out.transcript()));
    assert_eq!(missing["severity"], "warning");
    assert!(
        missing["file"].as_str().unwrap().ends_with("alpha.xlsx"),
        "{missing}"
    );
    let message = missing["message"].as_str().unwrap();
    assert!(
        message.contains("\"Revenue\"")
            && message.contains("funding objective")
            && message.contains("\"Revenue - Cards\""),
        "{message}"
    );

    op1(&round, &["pack", ".", "--out", "out"]).expect_code(0);
    let mut pack: calamine::Xlsx<_> =
        calamine::open_workbook(round.join("out/exec-pack.xlsx")).unwrap();
    use calamine::Reader;
    let summary = pack.worksheet_range("Summary").unwrap();
    let revenue_row = summary
        .rows()
        .find(|r| {
            r.first()
                .is_some_and(|c| *c == calamine::Data::String("Revenue".into()))
        })
        .expect("a Revenue row");
    // The Teams (of 3) column: a number, 2 of the round's 3.
    assert_eq!(revenue_row[10], calamine::Data::Float(2.0));
    let header = summary
        .rows()
        .find(|r| r.first() == Some(&calamine::Data::String("Metric".into())))
        .unwrap();
    assert_eq!(header[10], calamine::Data::String("Teams (of 3)".into()));
    let svg = std::fs::read_to_string(round.join("out/charts/revenue-tracks.svg")).unwrap();
    assert!(
        svg.contains("2 of 3 teams"),
        "the chart does not say whom it covers"
    );
}

/// `ly-miss-why` on a `%` metric printed `0.44 actual vs 0.45 target`.
#[test]
fn messages_show_a_percent_metric_in_percent() {
    use op1::plan::UnitKind;
    let mut wb = read_team(&fixture("round-fy27/consumer/payments.xlsx"));
    let ratio = wb
        .metrics
        .iter_mut()
        .find(|m| m.unit_kind == UnitKind::Ratio)
        .expect("a % metric");
    let better_higher = ratio.better == op1::plan::Better::Higher;
    let (target, actual) = if better_higher {
        (0.45, 0.44)
    } else {
        (0.44, 0.45)
    };
    ratio.ly_target.as_mut().expect("an LY Target").value = target;
    ratio.ly_actual.as_mut().expect("an LY Actual").value = actual;
    ratio.why = None;
    let tmp = tempfile::tempdir().unwrap();
    write_team(&tmp.path().join("payments.xlsx"), &wb);
    let out = op1(tmp.path(), &["check", "payments.xlsx", "--format", "json"]);
    let found = findings(&out.stdout);
    let miss = found
        .iter()
        .find(|f| f["rule"] == "ly-miss-why")
        .unwrap_or_else(|| panic!("no ly-miss-why\n{}", out.transcript()));
    let message = miss["message"].as_str().unwrap();
    let want = if better_higher {
        "(44% actual vs 45% target)"
    } else {
        "(45% actual vs 44% target)"
    };
    assert!(message.contains(want), "{message}");
}
