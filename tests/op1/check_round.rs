//! `op1 check` on the committed sample round and the bad-file fixtures.

use crate::common;
use common::*;
use std::collections::BTreeSet;

fn keyed(findings: &[serde_json::Value]) -> BTreeSet<(String, String, String)> {
    findings
        .iter()
        .filter(|f| f["severity"] != "info")
        .map(|f| {
            let file = f["file"]
                .as_str()
                .unwrap_or("")
                .rsplit("round-fy27/")
                .next()
                .unwrap()
                .to_string();
            let cell = match (f["sheet"].as_str(), f["cell"].as_str()) {
                (Some(s), Some(c)) => format!("{s}!{c}"),
                (Some(s), None) => s.to_string(),
                _ => String::new(),
            };
            (f["rule"].as_str().unwrap().to_string(), file, cell)
        })
        .collect()
}

#[test]
fn sample_round_reads_every_team_and_shows_exactly_the_planted_problems() {
    let out = op1(
        &root(),
        &["check", "fixtures/round-fy27", "--format", "json"],
    );
    out.expect_code(0);
    let findings = findings(&out.stdout);
    assert!(
        findings.iter().all(|f| f["severity"] != "error"),
        "{}",
        out.transcript()
    );
    let expected: BTreeSet<(String, String, String)> = [
        ("assumptions-count", "consumer/growth.xlsx", "Assumptions"),
        ("asks-count", "enterprise/sales-americas.xlsx", "Asks"),
        ("risk-mitigation", "consumer/mobile.xlsx", "Risks!D3"),
        ("flat-resources", "platform/data.xlsx", "Resources!C2"),
        (
            "investment-resources",
            "platform/security.xlsx",
            "Resources!D3",
        ),
        (
            "investment-below-flat",
            "enterprise/partnerships.xlsx",
            "Plan!I5",
        ),
        ("ly-miss-why", "platform/dev-tools.xlsx", "Plan!J2"),
        ("s2-unlisted", "platform/infra.xlsx", "Goals"),
        ("s2-mismatch", "consumer/payments.xlsx", "Goals!F3"),
        ("s2-mismatch", "consumer/marketplace.ods", "Goals!F2"),
        ("totals-row", "consumer/risk.xlsx", "Plan!I6"),
        ("doc-length", "platform/data.xlsx", "Narrative"),
        ("lessons-missing", "platform/security.xlsx", "Narrative"),
        ("missing-team", "", ""),
    ]
    .iter()
    .map(|(r, f, c)| (r.to_string(), f.to_string(), c.to_string()))
    .collect();
    assert_eq!(keyed(&findings), expected, "{}", out.transcript());
    for f in &findings {
        for field in [
            "severity", "rule", "file", "sheet", "cell", "team", "message",
        ] {
            assert!(f.get(field).is_some(), "field {field} missing in {f}");
        }
    }
}

#[test]
fn text_output_skips_lock_files_and_ends_with_team_status_and_count() {
    let out = op1(&root(), &["check", "fixtures/round-fy27", "-v"]);
    out.expect_code(0);
    assert!(
        out.stdout
            .contains("skipped fixtures/round-fy27/consumer/~$payments.xlsx (Excel lock file)"),
        "{}",
        out.transcript()
    );
    assert!(out
        .stdout
        .contains("skipped fixtures/round-fy27/README.txt (not a spreadsheet)"));
    assert!(out.stdout.contains("  Fraud Ops"));
    assert!(out.stdout.contains("missing"));
    let last = out.stdout.lines().last().unwrap();
    assert!(
        last.starts_with("14 files read,") && last.contains("0 errors"),
        "{last}"
    );
}

#[test]
fn strict_turns_warnings_into_a_failing_exit_code() {
    op1(&root(), &["check", "fixtures/round-fy27", "--strict"]).expect_code(1);
}

#[test]
fn settings_can_regrade_and_switch_off_rules() {
    let (_tmp, round) = copy_fixture("round-fy27");
    let toml = round.join("op1.toml");
    let mut text = std::fs::read_to_string(&toml).unwrap();
    text.push_str("\n[rules]\nasks-count = \"error\"\ntotals-row = \"off\"\n");
    std::fs::write(&toml, text).unwrap();
    let out = op1(&round, &["check", ".", "--format", "json"]);
    out.expect_code(1);
    let f = findings(&out.stdout);
    let asks = f.iter().find(|f| f["rule"] == "asks-count").unwrap();
    assert_eq!(asks["severity"], "error");
    assert!(!f.iter().any(|f| f["rule"] == "totals-row"));
}

#[test]
fn roster_from_settings_lists_missing_teams() {
    let (_tmp, round) = copy_fixture("round-fy27");
    let toml = round.join("op1.toml");
    let text = strip_round_table(&std::fs::read_to_string(&toml).unwrap());
    std::fs::write(
        &toml,
        format!("{text}\n[round]\nteams = [\"Payments\", \"Ghost Team\"]\n"),
    )
    .unwrap();
    let out = op1(&round, &["check", ".", "--format", "json"]);
    let f = findings(&out.stdout);
    let missing: Vec<&str> = f
        .iter()
        .filter(|f| f["rule"] == "missing-team")
        .map(|f| f["team"].as_str().unwrap())
        .collect();
    assert_eq!(missing, ["Ghost Team"], "{}", out.transcript());
}

#[test]
fn roster_from_a_workbook_lists_missing_teams() {
    let (_tmp, round) = copy_fixture("round-fy27");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (row, name) in ["Team", "Payments", "Growth", "Ghost Team", "Another Ghost"]
        .iter()
        .enumerate()
    {
        ws.write_string(row as u32, 0, *name).unwrap();
    }
    wb.save(round.join("roster.xlsx")).unwrap();
    let toml = round.join("op1.toml");
    let text = strip_round_table(&std::fs::read_to_string(&toml).unwrap());
    std::fs::write(
        &toml,
        format!("{text}\n[round]\nroster = \"roster.xlsx\"\n"),
    )
    .unwrap();
    // The roster sits in the round folder: it must not be read as a team.
    let out = op1(
        &round,
        &["check", ".", "--format", "json", "--settings", "op1.toml"],
    );
    let f = findings(&out.stdout);
    let missing: BTreeSet<&str> = f
        .iter()
        .filter(|f| f["rule"] == "missing-team")
        .map(|f| f["team"].as_str().unwrap())
        .collect();
    assert_eq!(
        missing,
        BTreeSet::from(["Ghost Team", "Another Ghost"]),
        "{}",
        out.transcript()
    );
}

/// The settings text without its `[round]` table.
fn strip_round_table(text: &str) -> String {
    let mut out = String::new();
    let mut skipping = false;
    for line in text.lines() {
        if line.trim_start().starts_with('[') {
            skipping = line.trim() == "[round]";
        }
        if !skipping {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

#[test]
fn bad_files_are_each_named_with_their_cell() {
    let out = op1(&root(), &["check", "fixtures/bad", "--format", "json"]);
    out.expect_code(1);
    let f = findings(&out.stdout);
    let expected = [
        ("corrupt.xlsx", "file-unreadable", None),
        ("not-a-spreadsheet.xlsx", "file-unreadable", None),
        ("empty.xlsx", "file-unreadable", None),
        ("encrypted.xlsx", "file-encrypted", None),
        ("text-in-number.xlsx", "not-a-number", Some(("Plan", "H2"))),
        ("excel-error.xlsx", "excel-error", Some(("Plan", "I4"))),
        ("date-in-number.xlsx", "not-a-number", Some(("Plan", "I5"))),
        ("missing-plan-sheet.xlsx", "sheet-missing", None),
        (
            "missing-column.xlsx",
            "header-missing",
            Some(("Plan", "A1")),
        ),
        (
            "missing-team-name.xlsx",
            "value-missing",
            Some(("Team", "B1")),
        ),
        (
            "duplicate-metric.xlsx",
            "duplicate-metric",
            Some(("Plan", "A7")),
        ),
        ("fiscal-year.xlsx", "fiscal-year", Some(("Team", "B5"))),
        (
            "duplicate-team-a.xlsx",
            "duplicate-team",
            Some(("Team", "B1")),
        ),
        (
            "duplicate-team-b.xlsx",
            "duplicate-team",
            Some(("Team", "B1")),
        ),
        ("huge-dimension.xlsx", "sheet-too-large", None),
        ("zip-bomb.xlsx", "file-too-large", None),
        ("unknown-currency.xlsx", "fx-missing", Some(("Plan", "B2"))),
    ];
    for (file, rule, at) in expected {
        let hit = f.iter().find(|x| {
            x["file"]
                .as_str()
                .is_some_and(|p| p.ends_with(&format!("bad/{file}")))
                && x["rule"] == rule
        });
        let hit =
            hit.unwrap_or_else(|| panic!("no {rule} finding for {file}\n{}", out.transcript()));
        assert_eq!(hit["severity"], "error");
        if let Some((sheet, cell)) = at {
            assert_eq!(hit["sheet"], sheet, "{hit}");
            assert_eq!(hit["cell"], cell, "{hit}");
        }
    }
    let tbd = f
        .iter()
        .find(|x| x["rule"] == "not-a-number" && x["cell"] == "H2")
        .unwrap();
    assert_eq!(
        tbd["message"],
        "expected a number in column \"Flat\", found \"TBD\""
    );
}

#[test]
fn missing_input_and_bad_usage_exit_2() {
    op1(&root(), &["check", "no/such/folder"]).expect_code(2);
    op1(&root(), &["check"]).expect_code(2);
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("op1.toml"),
        "reporting_currency = \"dollars\"",
    )
    .unwrap();
    let out = op1(tmp.path(), &["check", "."]);
    out.expect_code(2);
    assert!(
        out.stderr.contains("reporting_currency"),
        "{}",
        out.transcript()
    );
}

#[test]
fn workbooks_written_by_other_programs_read_cleanly() {
    let out = op1(&root(), &["check", "fixtures/foreign", "--format", "json"]);
    out.expect_code(0);
    let f = findings(&out.stdout);
    assert!(
        f.iter().all(|f| f["severity"] == "info"),
        "{}",
        out.transcript()
    );
    let text = op1(&root(), &["check", "fixtures/foreign"]);
    assert!(
        text.stdout.contains("3 files read"),
        "{}",
        text.transcript()
    );
}

#[test]
fn each_rule_fixture_trips_exactly_its_rule() {
    for rule in ["risks-count", "s2-owners"] {
        let file = format!("fixtures/rules/{rule}.xlsx");
        let out = op1(
            &root(),
            &[
                "check",
                &file,
                "--settings",
                "fixtures/rules/op1.toml",
                "--format",
                "json",
            ],
        );
        let f = findings(&out.stdout);
        let rules: Vec<&str> = f
            .iter()
            .filter(|f| f["severity"] != "info")
            .map(|f| f["rule"].as_str().unwrap())
            .collect();
        assert_eq!(rules, [rule], "{}", out.transcript());
    }
}

#[test]
fn a_clean_round_trips_no_rule() {
    let out = op1(
        &root(),
        &[
            "check",
            "fixtures/clean-round",
            "--format",
            "json",
            "--strict",
        ],
    );
    out.expect_code(0);
    assert_eq!(findings(&out.stdout).len(), 0, "{}", out.transcript());
}
