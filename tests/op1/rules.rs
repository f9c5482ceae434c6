//! The rules no other test names, each tripped on purpose: one test per rule,
//! on a copy of the model round changed the way a user's file would be.

use crate::common;
use common::*;
use std::path::Path;

/// The findings of `op1 ARGS --format json` run in `dir` (check or pack: both
/// print an object whose `findings` lists them).
fn json_findings(dir: &Path, args: &[&str]) -> (Output, Vec<serde_json::Value>) {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let out = op1(dir, &all);
    let value = out.json();
    let list = value["findings"].as_array().unwrap().clone();
    (out, list)
}

fn one<'a>(found: &'a [serde_json::Value], rule: &str, out: &Output) -> &'a serde_json::Value {
    found
        .iter()
        .find(|f| f["rule"] == rule)
        .unwrap_or_else(|| panic!("no {rule}\n{}", out.transcript()))
}

#[test]
fn column_unknown_is_info_naming_the_column() {
    let (_tmp, round) = copy_fixture("model-round");
    edit_xlsx(
        &round.join("alpha.xlsx"),
        &round.join("alpha.xlsx"),
        |name, xml| {
            if name != "xl/worksheets/sheet2.xml" {
                return xml;
            }
            xml.replacen(
                "</row>",
                r#"<c r="K1" t="inlineStr"><is><t>Region code</t></is></c></row>"#,
                1,
            )
        },
    );
    let (out, found) = json_findings(&round, &["check", "."]);
    let f = one(&found, "column-unknown", &out);
    assert_eq!(f["severity"], "info");
    assert_eq!(f["cell"], "K1");
    assert!(
        f["message"].as_str().unwrap().contains("\"Region code\""),
        "{f}"
    );
}

#[test]
fn bad_value_quotes_the_value_and_says_what_is_allowed() {
    let (_tmp, round) = copy_fixture("model-round");
    // Alpha's Better column: every "higher" becomes "upward".
    edit_xlsx(
        &round.join("alpha.xlsx"),
        &round.join("alpha.xlsx"),
        |name, xml| {
            if name == "xl/sharedStrings.xml" {
                xml.replace(">higher<", ">upward<")
            } else {
                xml
            }
        },
    );
    let (out, found) = json_findings(&round, &["check", "."]);
    out.expect_code(1);
    let f = one(&found, "bad-value", &out);
    assert_eq!(f["severity"], "error");
    assert_eq!(f["sheet"], "Plan");
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains("\"upward\"") && message.contains("higher or lower"),
        "{message}"
    );
}

#[test]
fn metric_conflict_names_the_teams_on_each_side_and_leaves_the_metric_out() {
    let (_tmp, round) = copy_fixture("model-round");
    let beta = round.join("beta.xlsx");
    let mut wb = read_team(&beta);
    let margin = metric_mut(&mut wb, "Gross margin");
    margin.better = op1::plan::Better::Lower;
    std::fs::remove_file(&beta).unwrap();
    write_team(&beta, &wb);
    let (out, found) = json_findings(&round, &["pack", ".", "--out", "out", "--no-charts"]);
    out.expect_code(0);
    let f = one(&found, "metric-conflict", &out);
    assert_eq!(f["severity"], "warning");
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains("\"Gross margin\"")
            && message.contains("Beta: ratio / lower")
            && message.contains("Alpha: ratio / higher"),
        "{message}"
    );
    let rollup = std::fs::read_to_string(round.join("out/rollup.csv")).unwrap();
    assert!(
        !rollup.contains(",Gross margin,"),
        "a conflicted metric was rolled up"
    );
}

#[test]
fn funding_case_says_why_a_team_is_not_ranked() {
    // Gamma asks for no more budget under Investment than under Flat.
    let (_tmp, round) = copy_fixture("model-round");
    let (out, found) = json_findings(&round, &["pack", ".", "--out", "out", "--no-charts"]);
    out.expect_code(0);
    let f = one(&found, "funding-case", &out);
    assert_eq!(f["severity"], "warning");
    assert_eq!(f["team"], "Gamma");
    assert!(f["message"].as_str().unwrap().contains("budget"), "{f}");
}

#[test]
fn cell_truncated_cuts_a_text_longer_than_excel_allows_and_says_so() {
    let (_tmp, round) = copy_fixture("model-round");
    let long = "x".repeat(40_000);
    edit_xlsx(
        &round.join("alpha.xlsx"),
        &round.join("alpha.xlsx"),
        |name, xml| {
            if name == "xl/sharedStrings.xml" {
                xml.replace(">Prices hold<", &format!(">{long}<"))
            } else {
                xml
            }
        },
    );
    let (out, found) = json_findings(&round, &["pack", ".", "--out", "out", "--no-charts"]);
    let f = one(&found, "cell-truncated", &out);
    assert_eq!(f["severity"], "warning");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("40,000 UTF-16 units"),
        "{f}"
    );
    // The pack is still written, with the text cut.
    assert!(round.join("out/exec-pack.xlsx").exists());
}

/// The inputs on which calamine panics (`../shared/fuzz-found/`, when
/// present) are damaged files: `file-unreadable` saying so, which part, and
/// to re-save — with nothing on stderr (no backtrace) and never a crash.
#[test]
fn a_file_the_reader_panics_on_is_a_damaged_file_with_a_clean_stderr() {
    let dir = root().join("../shared/fuzz-found");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("SKIPPED: {} is not here", dir.display());
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let mut copied = 0;
    for e in entries {
        let path = e.unwrap().path();
        if path.extension().is_some_and(|x| x == "xls") {
            std::fs::copy(&path, tmp.path().join(path.file_name().unwrap())).unwrap();
            copied += 1;
        }
    }
    if copied == 0 {
        eprintln!("SKIPPED: no .xls in {}", dir.display());
        return;
    }
    let (out, found) = json_findings(tmp.path(), &["check", "."]);
    out.expect_code(1);
    assert_eq!(
        stderr_beyond_settings(&out.stderr),
        "",
        "nothing but op1's own report"
    );
    assert_eq!(found.len(), copied, "{}", out.transcript());
    for f in &found {
        assert_eq!(f["rule"], "file-unreadable", "{f}");
        let message = f["message"].as_str().unwrap();
        // Refused by op1's own check of the container, or by calamine's
        // contained panic: either way, which part, and what to do.
        for says in [
            "the xls file is damaged",
            "compound-file (OLE) container",
            "save it again",
        ] {
            assert!(message.contains(says), "{says}: {message}");
        }
        assert!(!message.contains('\n'), "one line: {message}");
    }
}

/// `reader-panic`: a panic the reader's own guards did not contain (a bug
/// in op1, injected here) is a finding on that file; the others are read
/// and stderr stays clean.
#[test]
fn reader_panic_is_a_finding_on_the_file_not_a_crash() {
    let (_tmp, round) = copy_fixture("model-round");
    let out = op1_with_env(
        &round,
        &["check", ".", "--format", "json"],
        &[("OP1_FAULT", "read-panic:alpha.xlsx")],
    );
    out.expect_code(1);
    assert_eq!(
        stderr_beyond_settings(&out.stderr),
        "",
        "no backtrace: {}",
        out.transcript()
    );
    let found = findings(&out.stdout);
    let f = one(&found, "reader-panic", &out);
    assert!(f["file"].as_str().unwrap().ends_with("alpha.xlsx"));
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains("fault injected") && message.contains("Please report"),
        "{message}"
    );
    // The other teams were read: packed without the failed file.
    let packed = op1_with_env(
        &round,
        &["pack", ".", "--out", "out", "--allow-partial", "-q"],
        &[("OP1_FAULT", "read-panic:alpha.xlsx")],
    );
    packed.expect_code(1);
    let teams: std::collections::BTreeSet<String> = csv_table(&round.join("out/resources.csv"))
        .into_iter()
        .map(|r| r["team"].clone())
        .collect();
    assert!(!teams.is_empty() && !teams.contains("Alpha"), "{teams:?}");
}

/// `chart-font`: a name no installed font can draw is named, with the font
/// to install — never drawn as empty boxes without a word. (U+E000, a
/// private-use character, is in no font.)
#[test]
fn chart_font_names_the_text_no_font_can_draw() {
    let (_tmp, round) = copy_fixture("model-round");
    let alpha = round.join("alpha.xlsx");
    let mut wb = read_team(&alpha);
    wb.team.value = "Alpha \u{E000}".into();
    std::fs::remove_file(&alpha).unwrap();
    write_team(&alpha, &wb);
    let (out, found) = json_findings(&round, &["pack", ".", "--out", "out"]);
    out.expect_code(0);
    let f = one(&found, "chart-font", &out);
    assert_eq!(f["severity"], "warning");
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains("\"Alpha \u{E000}\"") && message.contains("fonts-noto-cjk"),
        "{message}"
    );
    // The charts are still drawn.
    assert!(round.join("out/charts/revenue-tracks.png").exists());
}

/// Alpha's sheet `n` (1 Team, 2 Plan, 3 Resources) with `cell` replaced by
/// the text `typed`, as a user would type it.
fn type_into(round: &Path, sheet: u32, cell: &str, typed: &str) {
    let alpha = round.join("alpha.xlsx");
    edit_xlsx(&alpha, &alpha, |name, xml| {
        if name != format!("xl/worksheets/sheet{sheet}.xml") {
            return xml;
        }
        let start = xml.find(&format!("<c r=\"{cell}\"")).expect("the cell");
        let end = start + xml[start..].find("</c>").unwrap() + 4;
        format!(
            "{}<c r=\"{cell}\" t=\"inlineStr\"><is><t>{typed}</t></is></c>{}",
            &xml[..start],
            &xml[end..]
        )
    });
}

/// `currency-symbol`: `¥1,000,000,000` typed in a USD row is not a billion
/// dollars: an error that quotes the cell. The row's own sign passes.
#[test]
fn currency_symbol_of_another_currency_is_an_error_quoting_the_cell() {
    let (_tmp, round) = copy_fixture("model-round");
    // Alpha's Revenue (USD): Flat typed in yen, Investment in dollars.
    type_into(&round, 2, "G2", "¥1,000,000,000");
    type_into(&round, 2, "H2", "$1,500,000");
    let (out, found) = json_findings(&round, &["check", "."]);
    out.expect_code(1);
    let f = one(&found, "currency-symbol", &out);
    assert_eq!(f["severity"], "error");
    assert_eq!(
        (f["sheet"].as_str(), f["cell"].as_str()),
        (Some("Plan"), Some("G2"))
    );
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains("\"¥1,000,000,000\"") && message.contains("1,000,000,000 USD"),
        "{message}"
    );
    let all: Vec<_> = found
        .iter()
        .filter(|f| f["rule"] == "currency-symbol")
        .collect();
    assert_eq!(all.len(), 1, "the $ in a USD row is the row's own: {all:?}");
}

/// `row-currency`: a EUR metric in a USD team is a warning naming both.
#[test]
fn row_currency_warns_of_a_plan_row_in_another_currency_than_the_team() {
    let (_tmp, round) = copy_fixture("model-round");
    type_into(&round, 2, "B3", "EUR");
    let (out, found) = json_findings(&round, &["check", "."]);
    let f = one(&found, "row-currency", &out);
    assert_eq!(f["severity"], "warning");
    assert_eq!(f["cell"], "B3");
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains("\"Operating cost\" is in EUR") && message.contains("is USD"),
        "{message}"
    );
    // Adjustable: the settings may switch it off.
    let settings = std::fs::read_to_string(round.join("op1.toml")).unwrap();
    std::fs::write(
        round.join("op1.toml"),
        format!("{settings}\n[rules]\nrow-currency = \"off\"\n"),
    )
    .unwrap();
    let (out, found) = json_findings(&round, &["check", "."]);
    out.expect_code(0);
    assert!(
        !found.iter().any(|f| f["rule"] == "row-currency"),
        "{}",
        out.transcript()
    );
}

/// An unknown currency code suggests the code one letter away, not the
/// round's reporting currency.
#[test]
fn an_unknown_currency_code_suggests_the_nearest_code() {
    let (_tmp, round) = copy_fixture("model-round");
    type_into(&round, 1, "B4", "GPB");
    let (out, found) = json_findings(&round, &["check", "."]);
    let f = found
        .iter()
        .find(|f| f["rule"] == "bad-value" && f["cell"] == "B4")
        .unwrap_or_else(|| panic!("{}", out.transcript()));
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("\"GPB\"; did you mean GBP?"),
        "{f}"
    );
}
