//! What a finance user hit in a first trial of op1, each test named after
//! what broke (issue 12), and the trial's round walked from its first
//! `op1 check` to a clean `op1 pack` by following only op1's messages.

use crate::common;
use calamine::{DataType, Reader};
use common::*;

/// A change of a `%` metric was shown as "3.4%"; it is 3.4 percentage points.
#[test]
fn a_change_of_a_percent_metric_is_shown_in_percentage_points() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    op1(
        &root(),
        &[
            "pack",
            "fixtures/model-round",
            "--out",
            out.to_str().unwrap(),
            "--no-charts",
        ],
    )
    .expect_code(0);
    let path = out.join("exec-pack.xlsx");
    let mut pack: calamine::Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let summary = pack.worksheet_range("Summary").unwrap();
    let formulas = pack.worksheet_formula("Summary").unwrap();
    let start = summary.start().unwrap();
    let (r, row) = summary
        .rows()
        .enumerate()
        .find(|(_, r)| r[0].get_string() == Some("Gross margin"))
        .expect("a Gross margin row");
    let (ly, funded) = (row[3].as_f64().unwrap(), row[7].as_f64().unwrap());
    let shown = row[8].as_f64().expect("a Δ Funded vs LY");
    assert!(
        (shown - (funded - ly) * 100.0).abs() < 1e-9,
        "Δ {shown} is not ({funded} − {ly}) × 100"
    );
    let formula = formulas
        .get_value((start.0 + r as u32, start.1 + 8))
        .unwrap();
    assert!(formula.ends_with("*100"), "{formula}");
    assert!(
        row[9].is_empty() || row[9].get_string() == Some(""),
        "no relative change of a ratio: {:?}",
        row[9]
    );
    // A money metric keeps its Δ and Δ %.
    let revenue = summary
        .rows()
        .find(|r| r[0].get_string() == Some("Revenue"))
        .unwrap();
    assert!(revenue[9].as_f64().is_some());
    // The number format says pp.
    let bytes = std::fs::read(&path).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut styles = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/styles.xml").unwrap(), &mut styles).unwrap();
    assert!(styles.contains("&quot; pp&quot;"), "no pp number format");
}

/// [`edit_parts`] for one part.
fn edit_part(
    from: &std::path::Path,
    to: &std::path::Path,
    part: &str,
    edit: impl Fn(&str) -> String,
) {
    edit_xlsx(
        from,
        to,
        |name, text| if name == part { edit(&text) } else { text },
    );
}

/// A formula whose result was never saved (a file written by a script) was
/// reported as a blank cell.
#[test]
fn a_formula_without_a_saved_result_says_so_not_blank() {
    let tmp = tempfile::tempdir().unwrap();
    let alpha = tmp.path().join("alpha.xlsx");
    // Alpha's Plan!G2 is Revenue's Flat; make it a formula with no cached value.
    edit_part(
        &fixture("model-round/alpha.xlsx"),
        &alpha,
        "xl/worksheets/sheet2.xml",
        |xml| {
            assert!(xml.contains(r#"<c r="G2"><v>1000000</v></c>"#));
            xml.replace(
                r#"<c r="G2"><v>1000000</v></c>"#,
                r#"<c r="G2"><f>E2*1.1</f></c>"#,
            )
        },
    );
    let out = op1(tmp.path(), &["check", "alpha.xlsx", "--format", "json"]);
    out.expect_code(1);
    let found = findings(&out.stdout);
    let missing = found
        .iter()
        .find(|f| f["cell"] == "G2")
        .unwrap_or_else(|| panic!("no finding at G2\n{}", out.transcript()));
    assert_eq!(missing["rule"], "value-missing");
    let message = missing["message"].as_str().unwrap();
    assert!(
        message.contains("formula whose result was not saved")
            && message.contains("=E2*1.1")
            && message.contains("save it"),
        "{message}"
    );
}

/// The Ambition chart labelled the gap −0.91× where the sheet said +0.91.
#[test]
fn the_ambition_gap_has_one_sign_on_the_sheet_in_the_csv_and_in_the_chart() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    op1(
        &root(),
        &[
            "pack",
            "fixtures/model-round",
            "--out",
            out.to_str().unwrap(),
        ],
    )
    .expect_code(0);
    // Alpha's Revenue: Investment 1.5M on LY 0.9M implies 1.67× a year; a
    // 10×-in-3-years path needs 2.15×: 0.49× short.
    let want = 1_500_000.0 / 900_000.0 - 10f64.powf(1.0 / 3.0);
    assert!(want < 0.0);
    let csv = std::fs::read_to_string(out.join("ambition.csv")).unwrap();
    let header: Vec<&str> = csv
        .lines()
        .next()
        .unwrap()
        .trim_start_matches('\u{feff}')
        .split(',')
        .collect();
    let gap_col = header.iter().position(|h| *h == "gap").unwrap();
    let alpha = csv
        .lines()
        .find(|l| l.starts_with("Alpha,") && l.contains(",Revenue,"))
        .unwrap();
    let gap: f64 = alpha.split(',').nth(gap_col).unwrap().parse().unwrap();
    assert!(
        (gap - want).abs() < 1e-9,
        "ambition.csv gap {gap}, want {want}"
    );

    let mut pack: calamine::Xlsx<_> = calamine::open_workbook(out.join("exec-pack.xlsx")).unwrap();
    let sheet = pack.worksheet_range("Ambition").unwrap();
    let row = sheet
        .rows()
        .find(|r| r[0].get_string() == Some("Alpha") && r[2].get_string() == Some("Revenue"))
        .unwrap();
    let on_sheet = row[8].as_f64().unwrap();
    assert!((on_sheet - want).abs() < 1e-9, "sheet {on_sheet}");

    let svg = std::fs::read_to_string(out.join("charts/ambition-gap.svg")).unwrap();
    assert!(
        svg.contains("−0.49×"),
        "the chart does not show the gap as −0.49×"
    );
}

/// The template's Instructions sheet printed its headings over the wrapped
/// text: each heading now sits beside its text in a row as tall as the text.
#[test]
fn the_template_instructions_keep_headings_beside_their_text() {
    let tmp = tempfile::tempdir().unwrap();
    op1(
        tmp.path(),
        &["template", "--team", "Payments", "--out", "p.xlsx"],
    )
    .expect_code(0);
    let path = tmp.path().join("p.xlsx");
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let sheet = wb.worksheet_range("Instructions").unwrap();
    let plan = sheet
        .rows()
        .find(|r| r[0].get_string() == Some("Plan"))
        .expect("a Plan heading");
    assert!(
        plan[1]
            .get_string()
            .is_some_and(|t| t.starts_with("One row per metric")),
        "the Plan text is not beside its heading: {plan:?}"
    );
    // Every text row has a height of its own, tall enough for its lines.
    let bytes = std::fs::read(&path).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
        &mut xml,
    )
    .unwrap();
    let heights: Vec<f64> = xml
        .split("<row ")
        .skip(1)
        .filter(|r| r.contains("customHeight=\"1\""))
        .filter_map(|r| r.split("ht=\"").nth(1)?.split('"').next()?.parse().ok())
        .collect();
    assert!(heights.len() >= 9, "{heights:?}");
    assert!(
        heights.iter().any(|h| *h >= 60.0),
        "the long Plan text needs several lines: {heights:?}"
    );
}

/// `resources.png` drew "All teams" on its own scale with no axis, so 928
/// heads looked as long as 506: the round and the orgs now share one axis.
#[test]
fn the_resources_chart_draws_the_round_and_the_orgs_on_one_scale() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    op1(
        &root(),
        &[
            "pack",
            "fixtures/model-round",
            "--out",
            out.to_str().unwrap(),
        ],
    )
    .expect_code(0);
    let svg = std::fs::read_to_string(out.join("charts/resources.svg")).unwrap();
    // The drawn texts in order; each panel's axis labels follow its heading.
    let texts: Vec<&str> = svg
        .split("<text")
        .skip(1)
        .filter_map(|t| t.split('>').nth(1)?.split('<').next())
        .map(str::trim)
        .collect();
    let ticks_after = |heading: &str| -> Vec<&str> {
        let at = texts.iter().position(|t| *t == heading).unwrap();
        texts[at + 1..]
            .iter()
            .take_while(|t| **t != "Inv. vs LY")
            .copied()
            .collect()
    };
    let round = ticks_after("Headcount, heads");
    let orgs = ticks_after("By top-level org");
    assert!(round.len() >= 3, "the round's panel has no axis: {round:?}");
    assert_eq!(
        round, orgs,
        "the round and the orgs are on different scales"
    );
}

/// One finding the trial's first check must report: its rule, the file it is
/// in ("" for the round) and the words of the fix its message must name.
struct Expected {
    rule: &'static str,
    file: &'static str,
    fix: &'static [&'static str],
}

/// (Cards' Operating cost rises under Investment, as a cost should: no
/// finding, which the check that nothing else was found proves.)
const FIRST_CHECK: [Expected; 11] = [
    Expected {
        rule: "percent-whole-number",
        file: "payments.xlsx",
        fix: &["holds 52", "5,200%", "write 52% or 0.52"],
    },
    Expected {
        rule: "duplicate-file",
        file: "payments (1).xlsx",
        fix: &["copy of", "delete the copy"],
    },
    Expected {
        rule: "missing-team",
        file: "",
        fix: &[
            "\"Growth Team\"",
            "did you mean \"Growth\"?",
            "roster's name in its Team sheet",
        ],
    },
    Expected {
        rule: "column-misnamed",
        file: "growth.xlsx",
        fix: &[
            "\"LY Tgt\"",
            "did you mean \"LY Target\"?",
            "Rename the header",
        ],
    },
    Expected {
        rule: "metric-standardised",
        file: "risk.xlsx",
        fix: &["says mean", "write weighted by Revenue"],
    },
    Expected {
        rule: "ly-miss-why",
        file: "risk.xlsx",
        fix: &["44% actual vs 45% target", "say why"],
    },
    Expected {
        rule: "value-missing",
        file: "risk.xlsx",
        fix: &["formula whose result was not saved", "=H5*1.11", "save it"],
    },
    Expected {
        rule: "metric-unknown",
        file: "cards.xlsx",
        fix: &[
            "\"Revenue - Cards\"",
            "did you mean \"Revenue\"?",
            "Rename it",
        ],
    },
    Expected {
        rule: "metric-unknown",
        file: "cards.xlsx",
        fix: &[
            "\"Revenue - Wallet\"",
            "did you mean \"Revenue\"?",
            "Rename it",
        ],
    },
    Expected {
        rule: "metric-missing",
        file: "cards.xlsx",
        fix: &["no \"Revenue\"", "add the total as \"Revenue\""],
    },
    Expected {
        rule: "weight-missing",
        file: "cards.xlsx",
        fix: &["weighted by \"Revenue\"", "add \"Revenue\" to the Plan"],
    },
];

/// The trial's round, from the first `op1 check` to a clean `op1 pack`,
/// making only the fixes op1's messages name.
#[test]
fn the_trial_round_goes_from_first_check_to_clean_pack_by_following_the_messages() {
    let (_tmp, round) = copy_fixture("trial-round");

    // 1. The first check: every mistake found once, each message naming its fix.
    let first = op1(&round, &["check", ".", "--format", "json"]);
    first.expect_code(1);
    let mut found = findings(&first.stdout);
    found.retain(|f| f["severity"] != "info");
    for e in &FIRST_CHECK {
        let at = found.iter().position(|f| {
            f["rule"] == e.rule
                && f["file"].as_str().unwrap_or("") == e.file
                && e.fix
                    .iter()
                    .all(|w| f["message"].as_str().unwrap().contains(w))
        });
        let Some(at) = at else {
            panic!(
                "no {} in {} naming {:?}\n{}",
                e.rule,
                e.file,
                e.fix,
                first.transcript()
            );
        };
        found.remove(at);
    }
    assert!(
        found.is_empty(),
        "findings the trial did not expect: {found:#?}"
    );

    // A team checking its own workbook is not judged against the round.
    let alone = op1(&round, &["check", "growth.xlsx"]);
    assert!(
        !alone.stdout.contains("[missing-team]"),
        "{}",
        alone.transcript()
    );
    assert!(
        alone.stdout.contains("checked on its own"),
        "{}",
        alone.transcript()
    );

    // 2. The fixes, as the messages say.
    // duplicate-file: delete the copy.
    std::fs::remove_file(round.join("payments (1).xlsx")).unwrap();
    // percent-whole-number: write 0.52.
    let payments = round.join("payments.xlsx");
    let mut wb = read_team(&payments);
    metric(&mut wb, "Gross margin").flat.as_mut().unwrap().value = 0.52;
    write_team(&payments, &wb);
    // missing-team and column-misnamed: the roster's name; rename the header.
    let growth = round.join("growth.xlsx");
    edit_xlsx(&growth.clone(), &growth, |_, text| {
        text.replace(">Growth Team<", ">Growth<")
            .replace(">LY Tgt<", ">LY Target<")
    });
    // Risk: write weighted by Revenue; say why; store the formula's value.
    let risk = round.join("risk.xlsx");
    let mut wb = read_team(&risk);
    let margin = metric(&mut wb, "Gross margin");
    margin.rollup = op1::plan::Rollup::Weighted;
    margin.weight = Some("Revenue".into());
    margin.why = Some(op1::plan::Val {
        value: "Missed: card fraud losses rose in Q4.".into(),
        pos: margin.name.pos,
    });
    let customers = metric(&mut wb, "Active customers");
    let flat = customers.flat.as_ref().unwrap().clone();
    customers.investment = Some(op1::plan::Val {
        value: (flat.value * 1.11).round(),
        pos: flat.pos,
    });
    write_team(&risk, &wb);
    // Cards: one Revenue, the total of the two, in place of the split.
    let cards = round.join("cards.xlsx");
    let mut wb = read_team(&cards);
    let wallet = wb.metrics.remove(1);
    let total = metric(&mut wb, "Revenue - Cards");
    total.name.value = "Revenue".into();
    for track in op1::plan::Track::READ {
        if let (Some(t), Some(w)) = (track_mut(total, track), wallet.track(track)) {
            t.value += w.value;
        }
    }
    write_team(&cards, &wb);

    // 3. Clean: no errors, no warnings.
    let clean = op1(&round, &["check", ".", "--format", "json"]);
    clean.expect_code(0);
    let left: Vec<_> = findings(&clean.stdout)
        .into_iter()
        .filter(|f| f["severity"] != "info")
        .collect();
    assert!(left.is_empty(), "{left:#?}");

    // 4. Packing: a margin is no objective (said why); the budget as finance writes it.
    let margin_objective = op1(
        &round,
        &["pack", ".", "--out", "out", "--objective", "Gross margin"],
    );
    margin_objective.expect_code(2);
    assert!(
        margin_objective
            .stderr
            .contains("rolls up as \"weighted by Revenue\", not as a sum"),
        "{}",
        margin_objective.transcript()
    );
    let pack = op1(
        &round,
        &[
            "pack", ".", "--out", "out", "--budget", "3M", "--format", "json",
        ],
    );
    pack.expect_code(0);
    let report = pack.json();
    assert_eq!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["severity"] != "info")
            .count(),
        0
    );
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook(round.join("out/exec-pack.xlsx")).unwrap();
    let summary = book.worksheet_range("Summary").unwrap();
    let revenue = summary
        .rows()
        .find(|r| r[0].get_string() == Some("Revenue"))
        .unwrap();
    // Every team's revenue is in the total: 10.2 + 6.1 + 3.05 + (5.2 + 3.1) M.
    assert_eq!(revenue[3].as_f64(), Some(27_650_000.0));
    assert_eq!(revenue[10].as_f64(), Some(4.0));

    // 5. The pack inside the round is not read as a team.
    op1(&round, &["check", "."]).expect_code(0);
    // And a filled-in workbook is never overwritten by a new template.
    let again = op1(
        &round,
        &["template", "--team", "Risk", "--out", "risk.xlsx"],
    );
    again.expect_code(2);
    assert!(again.stderr.contains("--force"), "{}", again.transcript());
}

fn metric<'a>(wb: &'a mut op1::plan::TeamWorkbook, name: &str) -> &'a mut op1::plan::Metric {
    wb.metrics
        .iter_mut()
        .find(|m| m.name.value == name)
        .unwrap_or_else(|| panic!("no metric {name}"))
}

fn track_mut(
    m: &mut op1::plan::Metric,
    track: op1::plan::Track,
) -> Option<&mut op1::plan::Val<f64>> {
    use op1::plan::Track;
    match track {
        Track::LyTarget => m.ly_target.as_mut(),
        Track::LyActual => m.ly_actual.as_mut(),
        Track::Baseline => m.baseline.as_mut(),
        Track::Flat => m.flat.as_mut(),
        Track::Investment => m.investment.as_mut(),
        Track::Funded => None,
    }
}

/// One name-similarity helper serves every did-you-mean: settings keys and
/// rule ids, sheets (columns, teams and metrics have their own tests).
#[test]
fn mistyped_settings_keys_rule_ids_and_sheets_get_a_did_you_mean() {
    let (_tmp, round) = copy_fixture("model-round");
    let settings = round.join("op1.toml");
    let original = std::fs::read_to_string(&settings).unwrap();
    for (typo, hint) in [
        ("[fundng]\nbudget = 5\n", "did you mean `funding`?"),
        (
            "[rules]\nasks-cout = \"off\"\n",
            "did you mean `asks-count`?",
        ),
    ] {
        let text = original.replace("[funding]\nbudget = 500_000\nobjective = \"Revenue\"\n", "");
        std::fs::write(&settings, format!("{text}\n{typo}")).unwrap();
        let out = op1(&round, &["check", "."]);
        out.expect_code(2);
        assert!(out.stderr.contains(hint), "{}", out.transcript());
    }
    std::fs::write(&settings, &original).unwrap();

    let alpha = round.join("alpha.xlsx");
    edit_part(&alpha.clone(), &alpha, "xl/workbook.xml", |xml| {
        xml.replace("name=\"Plan\"", "name=\"Plam\"")
    });
    let out = op1(&round, &["check", ".", "--format", "json"]);
    let missing = findings(&out.stdout)
        .into_iter()
        .find(|f| f["rule"] == "sheet-missing")
        .unwrap_or_else(|| panic!("no sheet-missing\n{}", out.transcript()));
    let message = missing["message"].as_str().unwrap();
    assert!(
        message.contains("did you mean \"Plam\"? Rename it to \"Plan\""),
        "{message}"
    );
}
