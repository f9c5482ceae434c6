//! `op1 template`: a blank workbook reads back as an empty plan (findings, not
//! a crash), and a re-issued workbook reads back exactly.

use crate::common;
use common::*;
use op1::discover::InputFile;
use op1::plan::TeamWorkbook;
use op1::settings::Settings;

fn read(path: &std::path::Path) -> (Option<TeamWorkbook>, Vec<op1::finding::Finding>) {
    let input = InputFile {
        display: "x".into(),
        ..InputFile::new(path)
    };
    let (read, findings) = op1::read::read_file(&input, &Settings::default());
    (read.workbook, findings)
}

#[test]
fn a_blank_template_reads_back_as_an_empty_plan() {
    let tmp = tempfile::tempdir().unwrap();
    op1(
        tmp.path(),
        &[
            "template",
            "--team",
            "Payments",
            "--out",
            "payments.xlsx",
            "--currency",
            "EUR",
            "--fiscal-year",
            "2027",
        ],
    )
    .expect_code(0);
    let out = op1(tmp.path(), &["check", "payments.xlsx", "--format", "json"]);
    out.expect_code(1);
    let f = findings(&out.stdout);
    assert!(
        f.iter().all(|f| f["team"] == "Payments"),
        "{}",
        out.transcript()
    );
    assert!(
        f.iter()
            .any(|f| f["rule"] == "value-missing" && f["sheet"] == "Plan"),
        "{}",
        out.transcript()
    );
    assert!(f.iter().any(|f| f["rule"] == "assumptions-count"));
    assert!(
        !f.iter()
            .any(|f| f["rule"] == "header-missing" || f["rule"] == "sheet-missing"),
        "{}",
        out.transcript()
    );
    let (wb, _) = read(&tmp.path().join("payments.xlsx"));
    let wb = wb.unwrap();
    assert_eq!(wb.currency.unwrap().value, "EUR");
    assert_eq!(wb.fiscal_year.unwrap().value, 2027);
    assert_eq!(wb.ideas.len(), 3, "the 10x questions are pre-filled");
}

#[test]
fn template_refuses_a_non_xlsx_name() {
    let tmp = tempfile::tempdir().unwrap();
    op1(tmp.path(), &["template", "--team", "X", "--out", "x.csv"]).expect_code(2);
}

/// Everything but positions and the file name.
fn content(wb: &TeamWorkbook) -> String {
    let strip = |s: String| {
        let mut out = String::new();
        let mut rest = s.as_str();
        // Drop every `pos: Pos { … }` so that only values are compared.
        while let Some(i) = rest.find("pos: Pos {") {
            out.push_str(&rest[..i]);
            let tail = &rest[i..];
            let end = tail.find('}').map(|e| e + 1).unwrap_or(tail.len());
            rest = &tail[end..];
        }
        out.push_str(rest);
        out
    };
    strip(format!(
        "{:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?}",
        wb.team,
        wb.owner,
        wb.org,
        wb.currency,
        wb.fiscal_year,
        wb.metrics,
        wb.resources,
        wb.assumptions,
        wb.asks,
        wb.risks,
        wb.goals
    ))
}

#[test]
fn a_filled_template_reads_back_exactly() {
    let tmp = tempfile::tempdir().unwrap();
    let round = fixture("round-fy27");
    let mut compared = 0;
    for file in [
        "consumer/payments.xlsx",
        "consumer/marketplace.ods",
        "enterprise/sales-uk.xls",
        "enterprise/sales-emea.xlsx",
        "platform/infra.xlsx",
    ] {
        let (original, _) = read(&round.join(file));
        let original = original.unwrap();
        let out = tmp.path().join(format!("{compared}.xlsx"));
        op1(
            &root(),
            &[
                "template",
                "--from",
                round.join(file).to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ],
        );
        let (again, findings) = read(&out);
        let again = again.unwrap_or_else(|| panic!("{file}: {findings:?}"));
        assert_eq!(content(&original), content(&again), "{file}");
        if original.ideas.is_empty() {
            // A workbook without an Ideas sheet is re-issued with the 10x questions to answer.
            assert_eq!(again.ideas.len(), 3, "{file}");
            assert!(again.ideas.iter().all(|i| i.answer.is_none()));
        } else {
            assert_eq!(
                format!(
                    "{:?}",
                    original
                        .ideas
                        .iter()
                        .map(|i| (&i.question.value, i.answer.as_ref().map(|a| &a.value)))
                        .collect::<Vec<_>>()
                ),
                format!(
                    "{:?}",
                    again
                        .ideas
                        .iter()
                        .map(|i| (&i.question.value, i.answer.as_ref().map(|a| &a.value)))
                        .collect::<Vec<_>>()
                ),
                "{file}"
            );
        }
        assert!(!original.metrics.is_empty());
        compared += 1;
    }
    assert_eq!(compared, 5);
}
