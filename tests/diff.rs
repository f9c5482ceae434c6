//! `op1 diff OLD NEW`: a resubmitted round against the earlier one, a pack
//! folder against its own round, and a pack of another format refused.

mod common;
use common::*;

#[test]
fn a_pack_folder_against_its_own_round_has_no_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let pack = tmp.path().join("pack");
    op1(
        &root(),
        &[
            "pack",
            "fixtures/round-fy27",
            "--out",
            pack.to_str().unwrap(),
            "--no-charts",
        ],
    )
    .expect_code(0);
    let out = op1(
        &root(),
        &[
            "diff",
            pack.to_str().unwrap(),
            "fixtures/round-fy27",
            "--format",
            "json",
        ],
    );
    out.expect_code(0);
    let j = out.json();
    assert_eq!(j["changed"], false, "{}", out.stdout);
    assert_eq!(j["values"].as_array().unwrap().len(), 0);
    assert!(j["findings"]["unchanged"].as_u64().unwrap() > 10);
}

#[test]
fn a_resubmission_shows_exactly_what_changed() {
    let (_tmp, new) = copy_fixture("round-fy27");
    // Payments raised its Revenue Investment case by 10%.
    let payments = new.join("consumer/payments.xlsx");
    let mut wb = read_team(&payments);
    let revenue = wb
        .metrics
        .iter_mut()
        .find(|m| m.name.value == "Revenue")
        .unwrap();
    let was = revenue.investment.as_ref().unwrap().value;
    revenue.investment.as_mut().unwrap().value = (was * 1.1).round();
    // An assumption edited, a risk added.
    let assumption = wb.assumptions[0].value.clone();
    wb.assumptions[0].value = format!("{} (revised)", assumption.trim_end_matches('.'));
    let mut risk = wb.risks[0].clone();
    risk.risk.value = "A second processor outage in peak season".into();
    risk.mitigation = None;
    wb.risks.push(risk);
    std::fs::remove_file(&payments).unwrap();
    write_team(&payments, &wb);
    // Security withdrew; a new team arrived.
    std::fs::remove_file(new.join("platform/security.xlsx")).unwrap();
    std::fs::copy(
        fixture("clean-round/consumer/team-00001.xlsx"),
        new.join("consumer/team-00001.xlsx"),
    )
    .unwrap();

    let out = op1(
        &root(),
        &[
            "diff",
            "fixtures/round-fy27",
            new.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    out.expect_code(1);
    let j = out.json();
    assert_eq!(j["teams_added"], serde_json::json!(["team-00001"]));
    assert_eq!(j["teams_withdrawn"], serde_json::json!(["Security"]));
    let values = j["values"].as_array().unwrap();
    assert_eq!(values.len(), 1, "{values:#?}");
    let v = &values[0];
    assert_eq!(
        (
            v["team"].as_str(),
            v["metric"].as_str(),
            v["track"].as_str()
        ),
        (Some("Payments"), Some("Revenue"), Some("Investment"))
    );
    assert_eq!(v["old"].as_f64(), Some(was));
    assert_eq!(v["new"].as_f64(), Some((was * 1.1).round()));
    assert!(
        v["new_source"].as_str().unwrap().ends_with("Plan!I2"),
        "{v}"
    );
    let registers = j["registers"].as_array().unwrap();
    assert_eq!(registers.len(), 2, "{registers:#?}");
    let edited = registers
        .iter()
        .find(|r| r["register"] == "assumption")
        .unwrap();
    assert_eq!(edited["old"].as_str(), Some(assumption.as_str()));
    assert!(edited["new"].as_str().unwrap().ends_with("(revised)"));
    let added = registers.iter().find(|r| r["register"] == "risk").unwrap();
    assert!(added["old"].is_null());
    assert_eq!(added["new"], "A second processor outage in peak season");
    // --out writes the same changes as a workbook.
    let out_dir = new.parent().unwrap().join("changes");
    op1(
        &root(),
        &[
            "diff",
            "fixtures/round-fy27",
            new.to_str().unwrap(),
            "--out",
            out_dir.to_str().unwrap(),
        ],
    )
    .expect_code(1);
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook(out_dir.join("changes.xlsx")).unwrap();
    use calamine::{DataType, Reader};
    assert_eq!(
        book.sheet_names(),
        ["Changes", "Funding moves", "Registers", "Findings"]
    );
    let sheet = book.worksheet_range("Changes").unwrap();
    let row = sheet
        .rows()
        .find(|r| r[0].get_string() == Some("Payments") && r[1].get_string() == Some("Revenue"))
        .expect("the Payments Revenue change");
    assert_eq!(row[2].get_string(), Some("Investment"));
    assert_eq!(row[3].as_f64(), Some(was));
    assert!(sheet
        .rows()
        .any(|r| r[1].get_string() == Some("team withdrawn")));
    let registers = book.worksheet_range("Registers").unwrap();
    assert!(registers.rows().any(|r| r[1].get_string() == Some("risk")));
    // The text groups by team and ends with the count.
    let text = op1(
        &root(),
        &["diff", "fixtures/round-fy27", new.to_str().unwrap()],
    );
    text.expect_code(1);
    assert!(text.stdout.contains("team-00001: new team"));
    assert!(text.stdout.contains("Security: withdrawn"));
    assert!(
        text.stdout.contains("Revenue Investment:"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout
            .trim_end()
            .lines()
            .last()
            .unwrap()
            .starts_with("1 team added, 1 team withdrawn, 1 value changed"),
        "{}",
        text.stdout
    );
}

#[test]
fn a_pack_of_another_format_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let pack = tmp.path().join("pack");
    op1(
        &root(),
        &[
            "pack",
            "fixtures/model-round",
            "--out",
            pack.to_str().unwrap(),
            "--no-charts",
        ],
    )
    .expect_code(0);
    std::fs::write(pack.join(".op1-pack"), "written by op1 0.0.1\n").unwrap();
    let out = op1(
        &root(),
        &["diff", pack.to_str().unwrap(), "fixtures/model-round"],
    );
    out.expect_code(2);
    assert!(out.stderr.contains("pack format 0"), "{}", out.transcript());
}
