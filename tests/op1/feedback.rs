//! `op1 feedback`: each team's findings go back on the cells of its own
//! workbook (re-issued; the input is never modified), with a Feedback sheet
//! whose links resolve, a message to send, and `feedback.csv` for the round.

use crate::common;
use common::*;

fn feedback_of_sample() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("fb");
    let before = std::fs::read(fixture("round-fy27/consumer/mobile.xlsx")).unwrap();
    op1(
        &root(),
        &[
            "feedback",
            "fixtures/round-fy27",
            "--out",
            out.to_str().unwrap(),
        ],
    )
    .expect_code(0);
    // The input is never modified.
    assert_eq!(
        std::fs::read(fixture("round-fy27/consumer/mobile.xlsx")).unwrap(),
        before
    );
    (tmp, out)
}

#[test]
fn each_finding_is_a_note_on_its_cell_in_the_reissued_workbook() {
    let (_tmp, out) = feedback_of_sample();
    // Mobile: the second risk has no mitigation (Risks!D3 as the team had it).
    // Re-issued, the second risk is on row 3 and Mitigation is column D.
    let comments = xlsx_parts(&out.join("mobile.xlsx"), "xl/comments");
    let all: String = comments.values().cloned().collect();
    assert!(all.contains("ref=\"D3\""), "no note on D3: {all}");
    assert!(all.contains("risk-mitigation"), "{all}");
    // Partnerships: investment-below-flat on Active customers' Investment.
    let original = read_team(&fixture("round-fy27/enterprise/partnerships.xlsx"));
    let i = original
        .metrics
        .iter()
        .position(|m| m.name.value == "Active customers")
        .unwrap();
    let want = format!("ref=\"I{}\"", i + 2); // Investment is column I; row 1 is the header
    let all: String = xlsx_parts(&out.join("partnerships.xlsx"), "xl/comments")
        .into_values()
        .collect();
    assert!(
        all.contains(&want) && all.contains("investment-below-flat"),
        "{want} not in {all}"
    );
}

#[test]
fn the_feedback_sheet_comes_first_and_its_links_resolve() {
    let (_tmp, out) = feedback_of_sample();
    let book = out.join("mobile.xlsx");
    let workbook_xml = xlsx_parts(&book, "xl/workbook.xml")
        .into_values()
        .next()
        .unwrap();
    let first = workbook_xml.split("<sheet ").nth(1).unwrap();
    assert!(first.contains("name=\"Feedback\""), "{first}");
    let sheets: Vec<String> = workbook_xml
        .split("<sheet ")
        .skip(1)
        .filter_map(|s| {
            s.split("name=\"")
                .nth(1)?
                .split('"')
                .next()
                .map(str::to_string)
        })
        .collect();
    let sheet1 = xlsx_parts(&book, "xl/worksheets/sheet1.xml")
        .into_values()
        .next()
        .unwrap();
    let links: Vec<&str> = sheet1
        .split("location=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    assert!(!links.is_empty(), "no links on the Feedback sheet");
    for link in links {
        let link = link.replace("&apos;", "'");
        let sheet = link.trim_start_matches('\'').split('\'').next().unwrap();
        assert!(
            sheets.iter().any(|s| s == sheet),
            "{link} points at no sheet ({sheets:?})"
        );
    }
}

#[test]
fn the_reissued_workbook_reads_back_into_the_same_plan() {
    let (_tmp, out) = feedback_of_sample();
    for (file, reissued) in [
        ("consumer/mobile.xlsx", "mobile.xlsx"),
        ("enterprise/partnerships.xlsx", "partnerships.xlsx"),
    ] {
        let a = read_team(&fixture(&format!("round-fy27/{file}")));
        let b = read_team(&out.join(reissued));
        assert_eq!(a.name(), b.name());
        assert_eq!(a.metrics.len(), b.metrics.len());
        for (x, y) in a.metrics.iter().zip(&b.metrics) {
            assert_eq!(x.name.value, y.name.value);
            for t in op1::plan::Track::READ {
                assert_eq!(
                    x.track(t).map(|v| v.value),
                    y.track(t).map(|v| v.value),
                    "{file} {} {t:?}",
                    x.name.value
                );
            }
        }
        assert_eq!(a.risks.len(), b.risks.len());
        assert_eq!(a.assumptions.len(), b.assumptions.len());
    }
}

#[test]
fn feedback_csv_lists_every_team_and_the_message_is_plain_text() {
    let (_tmp, out) = feedback_of_sample();
    let csv = std::fs::read_to_string(out.join("feedback.csv")).unwrap();
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(rows.len(), 14, "{csv}");
    for ok in ["Customer Success", "Sales EMEA", "Sales UK"] {
        let row = rows.iter().find(|r| r.starts_with(ok)).unwrap();
        assert!(row.contains(",ok,"), "{row}");
    }
    let message = std::fs::read_to_string(out.join("mobile.txt")).unwrap();
    assert!(message.starts_with("Hello "), "{message}");
    assert!(message.contains("1. [warning] Risks!D3:"), "{message}");
}

#[test]
fn a_hostile_team_name_never_names_a_file_outside_the_output_folder() {
    let (_tmp, round) = copy_fixture("model-round");
    let alpha = round.join("alpha.xlsx");
    let mut wb = read_team(&alpha);
    wb.team.value = "../../CON".into();
    // A finding for it to get feedback on.
    wb.assumptions.truncate(1);
    std::fs::remove_file(&alpha).unwrap();
    write_team(&alpha, &wb);
    let out = round.join("fb");
    op1(&round, &["feedback", ".", "--out", "fb"]).expect_code(0);
    let names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.contains(&"con-team.xlsx".to_string()), "{names:?}");
    assert!(!round.parent().unwrap().join("CON.xlsx").exists());
    assert!(!round.join("CON.xlsx").exists());
}

#[test]
fn a_value_op1_could_not_read_comes_back_as_typed_and_dates_stay_dates() {
    use calamine::{Data, DataType, Reader};
    let (tmp, round) = copy_fixture("model-round");
    report(&round, "alpha", |wb| {
        metric_mut(wb, "Revenue").flat = Some(val(123_457.0));
        for ask in &mut wb.asks {
            ask.needed_by = Some(val("2027-06-30".to_string()));
        }
    });
    type_text_over(&round.join("alpha.xlsx"), "123457", "TBD");
    let out = tmp.path().join("fb");
    op1(&round, &["feedback", ".", "--out", out.to_str().unwrap()]).expect_code(0);
    let mut book = calamine::open_workbook_auto(out.join("alpha.xlsx")).unwrap();
    let plan = book.worksheet_range("Plan").unwrap();
    let header: Vec<String> = (0..20)
        .map(|c| {
            plan.get_value((0, c))
                .map(|v| v.to_string())
                .unwrap_or_default()
        })
        .collect();
    let flat = header.iter().position(|h| h == "Flat").unwrap() as u32;
    let revenue = (1..10)
        .find(|&r| plan.get_value((r, 0)) == Some(&Data::String("Revenue".into())))
        .unwrap();
    // The cell holds what the team typed, with the note that explains it.
    assert_eq!(
        plan.get_value((revenue, flat)),
        Some(&Data::String("TBD".into()))
    );
    let notes: String = xlsx_parts(&out.join("alpha.xlsx"), "xl/comments")
        .into_values()
        .collect();
    assert!(notes.contains("not-a-number"), "{notes}");
    // The asks' Needed by: a date, as the team's workbook had it.
    let asks = book.worksheet_range("Asks").unwrap();
    let needed = asks.get_value((1, 3)).unwrap();
    assert!(matches!(needed, Data::DateTime(_)), "{needed:?}");
    assert_eq!(
        needed.as_date(),
        chrono::NaiveDate::from_ymd_opt(2027, 6, 30)
    );
}
