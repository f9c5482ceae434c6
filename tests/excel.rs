//! What Excel (not only LibreOffice) accepts, in every workbook op1 writes
//! (issue 25): names matched exactly, never as SUMIFS patterns; no text
//! literal over 255 characters inside a formula; no cell over 32,767 UTF-16
//! units; names that read like formulas kept as text. New tests about
//! Excel's own rules for op1's outputs go here.

mod common;

use common::*;
use op1::plan::TeamWorkbook;
use std::io::Read;
use std::path::Path;

/// A name of 260 characters: over Excel's 255 for a text in a formula.
fn long_name() -> String {
    format!("Tickets {}", "closed within a day ".repeat(13))
        .trim()
        .to_string()
}

/// Adds a count metric named `name` to a team, Flat `flat`, quarters 1–2.
fn add_metric(wb: &mut TeamWorkbook, name: &str, flat: f64, quarters: [f64; 2]) {
    let mut m = wb
        .metrics
        .iter()
        .find(|m| m.name.value == "Revenue")
        .unwrap()
        .clone();
    m.name = val(name.to_string());
    m.unit = val("tickets".to_string());
    m.unit_kind = op1::plan::UnitKind::Other;
    m.rollup = op1::plan::Rollup::Sum;
    m.weight = None;
    for track in [
        &mut m.ly_target,
        &mut m.ly_actual,
        &mut m.baseline,
        &mut m.flat,
        &mut m.investment,
    ] {
        *track = Some(val(flat));
    }
    m.why = None;
    m.quarters = Default::default();
    m.quarters[0] = Some(val(quarters[0]));
    m.quarters[1] = Some(val(quarters[1]));
    m.forecast = None;
    m.commentary = Some(val(format!("LONG COMMENTARY {name}")));
    wb.metrics.push(m);
}

/// The model round with names Excel would read as patterns, references or
/// long literals, a team named `*` and text over a cell's limit.
fn hostile_round() -> (tempfile::TempDir, std::path::PathBuf) {
    let (tmp, round) = copy_fixture("model-round");
    let edit = |file: &str, team: Option<&str>, counts: [f64; 2]| {
        let path = round.join(file);
        let mut wb = read_team(&path);
        if let Some(team) = team {
            wb.team = val(team.to_string());
        }
        add_metric(&mut wb, "Revenue*", 7.0, counts);
        add_metric(&mut wb, "<1h tickets", 3.0, counts);
        add_metric(&mut wb, "=Foo!A1", 2.0, counts);
        add_metric(&mut wb, &long_name(), 5.0, counts);
        wb.assumptions.push(val("LONG ASSUMPTION".to_string()));
        std::fs::remove_file(&path).unwrap();
        write_team(&path, &wb);
        // Texts over a cell's limit, as another tool can write them: 40,000
        // characters, and 17,000 emoji (34,000 UTF-16 units).
        let (assumption, emoji) = ("a".repeat(40_000), "🙂".repeat(17_000));
        edit_xlsx(&path, &path, |name, xml| {
            if name == "xl/sharedStrings.xml" {
                xml.replace(">LONG ASSUMPTION<", &format!(">{assumption}<"))
                    .replace(">LONG COMMENTARY Revenue*<", &format!(">{emoji}<"))
            } else {
                xml
            }
        });
    };
    edit("alpha.xlsx", Some("*"), [1.0, 2.0]);
    edit("beta.xlsx", None, [3.0, 4.0]);
    edit(
        "gamma.xlsx",
        Some("=HYPERLINK(\"http://x\",\"Team A\")"),
        [5.0, 6.0],
    );
    (tmp, round)
}

/// Every formula in every sheet of an xlsx, as written in its XML.
fn formulas(xlsx: &Path) -> Vec<(String, String)> {
    let file = std::fs::File::open(xlsx).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        if !name.starts_with("xl/worksheets/sheet") {
            continue;
        }
        let mut xml = String::new();
        entry.read_to_string(&mut xml).unwrap();
        for part in xml.split("<f>").skip(1).chain(xml.split("<f ").skip(1)) {
            let body = part.split("</f>").next().unwrap_or_default();
            let body = body.rsplit('>').next().unwrap_or(body);
            out.push((name.clone(), body.to_string()));
        }
    }
    out
}

/// The text literals of a formula (XML-escaped quotes undone).
fn literals(formula: &str) -> Vec<String> {
    let f = formula.replace("&quot;", "\"");
    let mut out = Vec::new();
    let mut chars = f.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '"' {
            continue;
        }
        let mut lit = String::new();
        while let Some(c) = chars.next() {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    lit.push('"');
                } else {
                    break;
                }
            } else {
                lit.push(c);
            }
        }
        out.push(lit);
    }
    out
}

/// Excel's rules for the formulas of a workbook op1 wrote.
fn assert_excel_formulas(xlsx: &Path) {
    let all = formulas(xlsx);
    for (sheet, f) in &all {
        assert!(
            f.len() <= 8_192,
            "{sheet}: a formula of {} characters",
            f.len()
        );
        for lit in literals(f) {
            assert!(
                lit.chars().count() <= 255,
                "{sheet}: a text literal of {} characters in {f}",
                lit.chars().count()
            );
        }
        // A *IFS criterion is a pattern: op1 matches names with `=`, and a
        // *IFS may only match op1's own words.
        let by_pattern = ["SUMIFS(", "COUNTIFS(", "AVERAGEIFS(", "SUMIF(", "COUNTIF("]
            .iter()
            .any(|func| f.contains(func));
        if by_pattern {
            let own = ["yes", "no", "<>", ""];
            assert!(
                literals(f).iter().all(|l| own.contains(&l.as_str())),
                "{sheet}: {f} matches a name by pattern"
            );
        }
    }
}

#[test]
fn hostile_names_pack_and_checkpoint_into_workbooks_excel_accepts_and_totals_match_exactly() {
    let (tmp, round) = hostile_round();
    let out = op1(&round, &["pack", ".", "--out", "out", "--format", "json"]);
    out.expect_code(0);
    let json = out.json();
    let found = json["findings"].as_array().unwrap();
    assert!(
        found.iter().any(|f| f["rule"] == "cell-truncated"),
        "{}",
        out.transcript()
    );
    let cp = op1(&round, &["checkpoint", ".", "--out", "cp", "--plan", "out"]);
    cp.expect_code(0);
    let feedback = op1(&round, &["feedback", ".", "--out", "fb"]);
    feedback.expect_code(0);
    let template = op1(
        &round,
        &[
            "template",
            "--from",
            "beta.xlsx",
            "--checkpoint",
            "--out",
            "beta-cp.xlsx",
        ],
    );
    template.expect_code(0);
    let pack = round.join("out/exec-pack.xlsx");
    let checkpoint = round.join("cp/checkpoint.xlsx");
    for xlsx in [&pack, &checkpoint, &round.join("beta-cp.xlsx")] {
        assert_excel_formulas(xlsx);
    }
    // The checkpoint's totals by hand: every team reports each count metric;
    // Q1 + Q2 over the three teams: 1+2 + 3+4 + 5+6 = 21 (a pattern would
    // match `Revenue*` with Revenue, `<1h tickets` as less-than).
    let rows = csv_table(&round.join("cp/checkpoint.csv"));
    // The CSV shows a text that would run as a formula behind a `'`.
    let guarded = |s: &str| {
        if s.starts_with(['=', '+', '-', '@']) {
            format!("'{s}")
        } else {
            s.to_string()
        }
    };
    for metric in ["Revenue*", "<1h tickets", "=Foo!A1", long_name().as_str()] {
        let ac: f64 = rows
            .iter()
            .filter(|r| r["metric"] == guarded(metric))
            .map(|r| r["ac_ytd"].parse::<f64>().unwrap())
            .sum();
        assert_eq!(ac, 21.0, "{metric}");
    }
    // The team named `*` and the one named like a formula read back exactly.
    assert!(rows.iter().any(|r| r["team"] == "*"));
    assert!(rows
        .iter()
        .any(|r| r["team"] == guarded("=HYPERLINK(\"http://x\",\"Team A\")")));
    if let Some(soffice) = libreoffice("the hostile-names recalculation") {
        // LibreOffice reads SUMIFS criteria as patterns too: a cached total
        // that a pattern would change fails here.
        assert_recalculates(soffice, &pack, tmp.path());
        assert_recalculates(soffice, &checkpoint, &tmp.path().join("cp"));
    }
}
