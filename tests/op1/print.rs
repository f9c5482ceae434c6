//! The exec pack prints: rendered to PDF by LibreOffice, no cell prints as
//! `###`, every sheet carries its name in the page header, and the Summary
//! fits on one page.

use crate::common;
use common::*;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// poppler's `pdftotext`, if installed (CI installs it with Chromium).
fn pdftotext_installed() -> bool {
    let found = Command::new("pdftotext").arg("-v").output().is_ok();
    if !found {
        assert!(
            std::env::var("OP1_REQUIRE_CHROMIUM").is_err(),
            "OP1_REQUIRE_CHROMIUM is set but poppler-utils (pdftotext) is not installed"
        );
        eprintln!("SKIPPED: poppler-utils (pdftotext) is not installed; the print test needs it");
    }
    found
}

fn page_text(pdf: &Path, page: usize) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout", "-f", &page.to_string(), "-l", &page.to_string()])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_pack_prints_without_hashes_one_page_wide_with_the_summary_on_one_page() {
    let Some(soffice) = libreoffice("the print test") else {
        return;
    };
    if !pdftotext_installed() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    op1(
        &root(),
        &[
            "pack",
            "fixtures/round-fy27",
            "--out",
            out.to_str().unwrap(),
            "--no-charts",
        ],
    )
    .expect_code(0);
    let pdf_dir = tmp.path().join("pdf");
    libreoffice_convert(
        soffice,
        &out.join("exec-pack.xlsx"),
        "pdf",
        &pdf_dir,
        &tmp.path().join("profile"),
    );
    let pdf = pdf_dir.join("exec-pack.pdf");
    let info = Command::new("pdfinfo").arg(&pdf).output().unwrap();
    let pages: usize = String::from_utf8_lossy(&info.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap();
    // Pages per sheet, from the sheet name at the right of each page header.
    let mut per_sheet: BTreeMap<String, usize> = BTreeMap::new();
    for page in 1..=pages {
        let text = page_text(&pdf, page);
        assert!(!text.contains("###"), "page {page} prints ###:\n{text}");
        let header = text
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or_default();
        assert!(
            header.trim_start().starts_with("OP1 FY2027"),
            "page {page} has no running title: {header:?}"
        );
        let sheet = header
            .split_whitespace()
            .last()
            .unwrap_or_default()
            .to_string();
        *per_sheet.entry(sheet).or_default() += 1;
    }
    eprintln!("exec-pack.pdf: {pages} pages; by sheet: {per_sheet:?}");
    assert_eq!(per_sheet.get("Summary"), Some(&1), "{per_sheet:?}");
    for sheet in [
        "Teams",
        "Funding",
        "Resources",
        "Ambition",
        "Checks",
        "Sources",
    ] {
        assert!(
            per_sheet.contains_key(sheet),
            "{sheet} does not print: {per_sheet:?}"
        );
    }
    // One page wide: 14 teams' sheets fit in a few pages each.
    assert!(per_sheet.values().all(|n| *n <= 3), "{per_sheet:?}");
}

/// The Summary's native charts: column value axes start at zero and read
/// like the sheet (short scale for money, % for ratios).
#[test]
fn native_chart_axes_start_at_zero_with_a_number_format() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    op1(
        &root(),
        &[
            "pack",
            "fixtures/round-fy27",
            "--out",
            out.to_str().unwrap(),
            "--no-charts",
        ],
    )
    .expect_code(0);
    let bytes = std::fs::read(out.join("exec-pack.xlsx")).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut charts = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        if f.name().unwrap().starts_with("xl/charts/chart") {
            let mut xml = String::new();
            std::io::Read::read_to_string(&mut f, &mut xml).unwrap();
            charts.push(xml);
        }
    }
    assert!(charts.len() >= 5, "{} charts", charts.len());
    let columns: Vec<&String> = charts
        .iter()
        .filter(|c| c.contains("<c:barChart>") && !c.contains("stacked"))
        .collect();
    assert!(!columns.is_empty());
    for c in &columns {
        assert!(
            c.contains("<c:min val=\"0\"/>"),
            "a column chart's axis does not start at 0"
        );
    }
    assert!(
        charts
            .iter()
            .any(|c| c.contains("formatCode=\"#,##0.0,,&quot;M&quot;\"")),
        "no short-scale money axis"
    );
    assert!(
        charts.iter().any(|c| c.contains("formatCode=\"0%\"")),
        "no % axis"
    );
}
