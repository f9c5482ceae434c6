//! The Narrative sheet (contract v2): read in reading order with aliases and
//! continuation rows, carried over by `template --from`, and the rules on
//! it: `narrative-missing`, `lessons-missing`, `doc-length`.

use crate::common;
use common::*;
use op1::plan::{NarrativeSection, Pos, Section, SheetKind, TeamWorkbook, Val};

fn text(value: &str, row: u32, col: u32) -> Val<String> {
    Val {
        value: value.to_string(),
        pos: Pos {
            sheet: SheetKind::Narrative,
            row,
            col,
        },
    }
}

/// A section as written: one heading row per paragraph.
fn section(heading: &str, paragraphs: &[&str]) -> NarrativeSection {
    NarrativeSection {
        heading: text(heading, 0, 0),
        kind: Section::parse(heading),
        paragraphs: paragraphs.iter().map(|p| text(p, 0, 1)).collect(),
    }
}

/// Alpha of the model round with `narrative` written into its Narrative sheet.
fn alpha_with(narrative: Vec<NarrativeSection>) -> (tempfile::TempDir, std::path::PathBuf) {
    let (tmp, round) = copy_fixture("model-round");
    let path = round.join("alpha.xlsx");
    let mut wb = read_team(&path);
    wb.narrative = narrative;
    std::fs::remove_file(&path).unwrap();
    write_team(&path, &wb);
    (tmp, round)
}

fn titles(wb: &TeamWorkbook) -> Vec<(String, Vec<String>)> {
    wb.narrative
        .iter()
        .map(|s| {
            (
                s.title().to_string(),
                s.paragraphs.iter().map(|p| p.value.clone()).collect(),
            )
        })
        .collect()
}

#[test]
fn sections_read_in_reading_order_with_aliases_and_continuations() {
    let (_tmp, round) = alpha_with(vec![
        section("Purpose", &["We serve merchants."]),
        // A blank Section continues the section above.
        section("", &["And their customers."]),
        section("Review", &["We hit two of three targets."]),
        section("Hiring", &["Five engineers by Q2."]),
        section("Tenets", &["Ship small."]),
        section("Lessons learned", &["Review weekly."]),
    ]);
    let wb = read_team(&round.join("alpha.xlsx"));
    let own = |t: &str, p: &[&str]| (t.to_string(), p.iter().map(|s| s.to_string()).collect());
    assert_eq!(
        titles(&wb),
        vec![
            own("Purpose", &["We serve merchants.", "And their customers."]),
            own("Tenets", &["Ship small."]),
            own("Last year", &["We hit two of three targets."]),
            own("Lessons", &["Review weekly."]),
            // The team's own section, after the known ones.
            own("Hiring", &["Five engineers by Q2."]),
        ]
    );
    // Every paragraph keeps its cell.
    assert_eq!(wb.narrative[0].paragraphs[1].pos.cell(), "B3");
}

#[test]
fn template_from_carries_the_narrative_over() {
    let source = fixture("round-fy27/consumer/payments.xlsx");
    let before = read_team(&source);
    assert!(
        before.narrative.len() >= 6,
        "the sample team writes a narrative"
    );
    let tmp = tempfile::tempdir().unwrap();
    op1(
        tmp.path(),
        &[
            "template",
            "--from",
            source.to_str().unwrap(),
            "--out",
            "again.xlsx",
        ],
    )
    .expect_code(0);
    let after = read_team(&tmp.path().join("again.xlsx"));
    assert_eq!(titles(&after), titles(&before));
}

#[test]
fn the_blank_template_has_every_section_with_guidance_and_reads_as_no_narrative() {
    let tmp = tempfile::tempdir().unwrap();
    op1(
        tmp.path(),
        &["template", "--team", "Delta", "--out", "d.xlsx"],
    )
    .expect_code(0);
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(tmp.path().join("d.xlsx")).unwrap();
    use calamine::Reader;
    let sheet = book.worksheet_range("Narrative").unwrap();
    let headings: Vec<String> = sheet.rows().skip(1).map(|r| r[0].to_string()).collect();
    assert_eq!(
        headings,
        [
            "Purpose",
            "Tenets",
            "Last year",
            "Lessons",
            "Plan",
            "10x",
            "FAQ"
        ]
    );
    assert!(
        sheet.rows().skip(1).all(|r| !r[2].to_string().is_empty()),
        "a guidance line each"
    );
    let wb = read_team(&tmp.path().join("d.xlsx"));
    assert!(wb.narrative.is_empty());
}

#[test]
fn narrative_missing_is_info_and_says_what_to_write() {
    let (_tmp, round) = copy_fixture("model-round");
    let out = op1(&round, &["check", ".", "--format", "json"]);
    let found = findings(&out.stdout);
    let missing: Vec<_> = found
        .iter()
        .filter(|f| f["rule"] == "narrative-missing")
        .collect();
    assert_eq!(missing.len(), 3, "{}", out.transcript());
    assert!(missing.iter().all(|f| f["severity"] == "info"));
    let message = missing[0]["message"].as_str().unwrap();
    assert!(
        message.contains("Purpose, Tenets, Last year, Lessons"),
        "{message}"
    );
}

#[test]
fn lessons_missing_warns_when_a_missed_target_has_no_lessons() {
    // Alpha missed its Revenue target last year (900K against 1M).
    let (_tmp, round) = alpha_with(vec![section("Purpose", &["We serve merchants."])]);
    let out = op1(&round, &["check", ".", "--format", "json"]);
    let found = findings(&out.stdout);
    let lessons = found
        .iter()
        .find(|f| f["rule"] == "lessons-missing")
        .unwrap_or_else(|| panic!("no lessons-missing\n{}", out.transcript()));
    assert_eq!(lessons["severity"], "warning");
    assert_eq!(lessons["team"], "Alpha");
    assert!(lessons["message"].as_str().unwrap().contains("\"Revenue\""));

    // With Lessons written, it is gone.
    let (_tmp, round) = alpha_with(vec![
        section("Purpose", &["We serve merchants."]),
        section("Lessons", &["We review weekly now."]),
    ]);
    let out = op1(&round, &["check", ".", "--format", "json"]);
    assert!(!findings(&out.stdout)
        .iter()
        .any(|f| f["rule"] == "lessons-missing"));
}

#[test]
fn doc_length_quotes_the_words_and_pages_against_the_budget() {
    let long = "word ".repeat(700);
    let (_tmp, round) = alpha_with(vec![section("Plan", &[long.as_str(), long.as_str()])]);
    std::fs::write(
        round.join("op1.toml"),
        std::fs::read_to_string(round.join("op1.toml")).unwrap()
            + "\n[document]\npages = 2\nwords_per_page = 500\n",
    )
    .unwrap();
    let out = op1(&round, &["check", ".", "--format", "json"]);
    let found = findings(&out.stdout);
    let f = found
        .iter()
        .find(|f| f["rule"] == "doc-length")
        .unwrap_or_else(|| panic!("no doc-length\n{}", out.transcript()));
    assert_eq!(f["severity"], "warning");
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains("1,400 words")
            && message.contains("2.8 pages")
            && message.contains("2 pages (1,000 words)"),
        "{message}"
    );
}
