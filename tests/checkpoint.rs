//! Quarterly checkpoints (contract v2): the checkpoint columns of the plan
//! of record are read with the same tolerance and strictness as every other
//! column.

mod common;
use common::*;
use std::io::{Read, Write};
use std::path::Path;

/// Rewrites the xlsx at `path` with each part's text passed through `edit`.
fn edit_xlsx(path: &Path, edit: impl Fn(&str, String) -> String) {
    let mut src = zip::ZipArchive::new(std::io::Cursor::new(std::fs::read(path).unwrap())).unwrap();
    let mut dst = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..src.len() {
        let mut entry = src.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        if let Ok(text) = String::from_utf8(bytes.clone()) {
            bytes = edit(&name, text).into_bytes();
        }
        dst.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        dst.write_all(&bytes).unwrap();
    }
    std::fs::write(path, dst.finish().unwrap().into_inner()).unwrap();
}

/// Appends `cells` (already XML) to row `row` of a sheet's XML.
fn append_to_row(xml: &str, row: u32, cells: &str) -> String {
    let start = xml.find(&format!("<row r=\"{row}\"")).unwrap();
    let end = start + xml[start..].find("</row>").unwrap();
    format!("{}{cells}{}", &xml[..end], &xml[end..])
}

fn inline(cell: &str, text: &str) -> String {
    format!("<c r=\"{cell}\" t=\"inlineStr\"><is><t>{text}</t></is></c>")
}

#[test]
fn quarters_forecast_and_commentary_are_read_and_a_gap_before_a_reported_quarter_is_named() {
    let (_tmp, round) = copy_fixture("model-round");
    let alpha = round.join("alpha.xlsx");
    // Plan (sheet2): Revenue (row 2) reports Q1 and Q3 but not Q2.
    edit_xlsx(&alpha, |name, xml| {
        if name != "xl/worksheets/sheet2.xml" {
            return xml;
        }
        let header = [
            inline("K1", "Q1 Actual"),
            inline("L1", "Q2"),
            inline("M1", "Q3"),
            inline("N1", "Q4"),
            inline("O1", "Landing"),
            inline("P1", "Commentary"),
        ]
        .concat();
        let xml = append_to_row(&xml, 1, &header);
        append_to_row(
            &xml,
            2,
            &format!(
                "<c r=\"K2\"><v>240000</v></c><c r=\"M2\"><v>260000</v></c><c r=\"O2\"><v>1010000</v></c>{}",
                inline("P2", "Two renewals moved to Q4.")
            ),
        )
    });
    let wb = read_team(&alpha);
    let revenue = wb
        .metrics
        .iter()
        .find(|m| m.name.value == "Revenue")
        .unwrap();
    let q: Vec<Option<f64>> = revenue
        .quarters
        .iter()
        .map(|v| v.as_ref().map(|v| v.value))
        .collect();
    assert_eq!(q, [Some(240_000.0), None, Some(260_000.0), None]);
    assert_eq!(revenue.forecast.as_ref().unwrap().value, 1_010_000.0);
    assert_eq!(
        revenue.commentary.as_ref().unwrap().value,
        "Two renewals moved to Q4."
    );

    let out = op1(&round, &["check", ".", "--format", "json"]);
    let found = findings(&out.stdout);
    let missing = found
        .iter()
        .find(|f| f["rule"] == "actuals-missing")
        .unwrap_or_else(|| panic!("no actuals-missing\n{}", out.transcript()));
    assert_eq!(missing["severity"], "warning");
    assert_eq!(missing["cell"], "L2");
    let message = missing["message"].as_str().unwrap();
    assert!(
        message.contains("Q2 is blank but Q3 is reported"),
        "{message}"
    );
}
