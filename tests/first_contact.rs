//! What a finance user hit in a first trial of op1, each test named after
//! what broke (issue 12), and the trial's round walked from its first
//! `op1 check` to a clean `op1 pack` by following only op1's messages.

mod common;
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

/// Copies the xlsx at `from` to `to`, with `edit` applied to one part.
fn edit_part(
    from: &std::path::Path,
    to: &std::path::Path,
    part: &str,
    edit: impl Fn(&str) -> String,
) {
    use std::io::{Read, Write};
    let mut src = zip::ZipArchive::new(std::fs::File::open(from).unwrap()).unwrap();
    let mut dst = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    for i in 0..src.len() {
        let mut entry = src.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        if name == part {
            bytes = edit(&String::from_utf8(bytes).unwrap()).into_bytes();
        }
        dst.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        dst.write_all(&bytes).unwrap();
    }
    dst.finish().unwrap();
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
