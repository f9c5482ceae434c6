//! The exec pack: all sheets in order, byte-identical across runs, Summary
//! equal to totals computed independently from the inputs, and — in
//! LibreOffice with recalculation forced on load — every formula recomputes to
//! the value op1 cached.

use crate::common;
use calamine::{Data, DataType, Reader, Xlsx};
use common::*;
use op1::plan::{Track, UnitKind};
use std::collections::BTreeMap;
use std::path::Path;

fn pack(out: &Path) -> Output {
    let o = op1(
        &root(),
        &[
            "pack",
            "fixtures/round-fy27",
            "--out",
            out.to_str().unwrap(),
            "--no-charts",
        ],
    );
    o.expect_code(0);
    o
}

fn open(path: &Path) -> Xlsx<std::io::BufReader<std::fs::File>> {
    calamine::open_workbook(path).unwrap()
}

#[test]
fn pack_has_every_sheet_in_order_and_is_byte_identical_across_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    pack(&out);
    let first = std::fs::read(out.join("exec-pack.xlsx")).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    pack(&out);
    let second = std::fs::read(out.join("exec-pack.xlsx")).unwrap();
    assert!(first == second, "two runs gave different bytes");
    let wb = open(&out.join("exec-pack.xlsx"));
    let expected = "Summary Teams Resources Funding Ambition Goals Assumptions Asks Risks Ideas Checks Sources";
    assert_eq!(wb.sheet_names(), expected.split(' ').collect::<Vec<_>>());
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|name| name.starts_with(".op1-") && name.ends_with(".tmp"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "temporary files left behind: {leftovers:?}"
    );
    assert!(
        out.join(".op1-pack").is_file(),
        "the pack folder is not marked as op1's"
    );
}

/// Summary's cached totals, by (metric, track).
fn summary(path: &Path) -> BTreeMap<(String, String), f64> {
    let mut wb = open(path);
    let range = wb.worksheet_range("Summary").unwrap();
    let rows: Vec<&[Data]> = range.rows().collect();
    let header_at = rows
        .iter()
        .position(|r| r.first().is_some_and(|c| c.get_string() == Some("Metric")))
        .unwrap();
    let header: Vec<String> = rows[header_at].iter().map(|c| c.to_string()).collect();
    let mut out = BTreeMap::new();
    for row in &rows[header_at + 1..] {
        let metric = row[0].to_string();
        if metric.is_empty() || metric.starts_with("Bridge") {
            break;
        }
        for (c, h) in header.iter().enumerate().skip(3).take(5) {
            if let Some(v) = row[c].as_f64() {
                out.insert((metric.clone(), h.clone()), v);
            }
        }
    }
    out
}

#[test]
fn summary_equals_totals_computed_independently_from_the_inputs() {
    let tmp = tempfile::tempdir().unwrap();
    pack(tmp.path());
    let shown = summary(&tmp.path().join("exec-pack.xlsx"));
    // Which teams were funded, from the Funding sheet.
    let mut wb = open(&tmp.path().join("exec-pack.xlsx"));
    let funding = wb.worksheet_range("Funding").unwrap();
    let funded: Vec<String> = funding
        .rows()
        .filter(|r| r.len() > 9 && r[9].get_string() == Some("yes"))
        .map(|r| r[1].to_string())
        .collect();
    assert!(!funded.is_empty());
    // Independent totals: straight from the reader's values and the fx rates.
    let checked = op1::run::check_inputs(&[fixture("round-fy27")], None).unwrap();
    // (metric, track) → (Σ value, count, Σ value × revenue, Σ revenue).
    let mut sums: BTreeMap<(String, String), (f64, usize, f64, f64)> = BTreeMap::new();
    for wb in checked.round.workbooks() {
        // A metric's values by track, reporting currency (LY Actual … Funded).
        let values_of = |m: &op1::plan::Metric| -> [f64; 5] {
            let rate = if m.unit_kind == UnitKind::Money {
                checked.settings.rate(&m.unit.value).unwrap()
            } else {
                1.0
            };
            let value = |t: Track| m.track(t).map(|v| v.value * rate).unwrap();
            let funded_value = if funded.contains(&wb.name().to_string()) {
                value(Track::Investment)
            } else {
                value(Track::Flat)
            };
            let baseline = m
                .track(Track::Baseline)
                .map(|v| v.value * rate)
                .unwrap_or(value(Track::LyActual));
            [
                value(Track::LyActual),
                baseline,
                value(Track::Flat),
                value(Track::Investment),
                funded_value,
            ]
        };
        let revenue = wb
            .metrics
            .iter()
            .find(|m| m.name.value == "Revenue")
            .map(values_of);
        for m in &wb.metrics {
            let values = values_of(m);
            for (k, track) in ["LY Actual", "Baseline", "Flat", "Investment", "Funded"]
                .into_iter()
                .enumerate()
            {
                let e = sums
                    .entry((m.name.value.clone(), track.to_string()))
                    .or_default();
                e.0 += values[k];
                e.1 += 1;
                if let Some(r) = revenue {
                    e.2 += values[k] * r[k];
                    e.3 += r[k];
                }
            }
        }
    }
    // The sample round's roll-ups: Gross margin weighted by Revenue, Uptime a mean.
    let mut compared = 0;
    for ((metric, track), (sum, n, weighted, weight)) in &sums {
        let want = match metric.as_str() {
            "Gross margin" => weighted / weight,
            "Uptime" => sum / *n as f64,
            _ => *sum,
        };
        let got = shown
            .get(&(metric.clone(), track.clone()))
            .unwrap_or_else(|| panic!("Summary lacks {metric}/{track}"));
        assert!(
            (got - want).abs() <= 1e-6 * want.abs().max(1.0),
            "{metric}/{track}: pack {got}, inputs {want}"
        );
        compared += 1;
    }
    assert!(compared >= 30, "{compared}");
}

#[test]
fn teams_sheet_names_every_value_cell_and_links_its_file() {
    let tmp = tempfile::tempdir().unwrap();
    pack(tmp.path());
    let path = tmp.path().join("exec-pack.xlsx");
    let bytes = std::fs::read(&path).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut sheet = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet2.xml").unwrap(),
        &mut sheet,
    )
    .unwrap();
    assert!(
        sheet.contains("location=\"Plan!F2\""),
        "no link to a Plan cell"
    );
    let mut rels = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/_rels/sheet2.xml.rels").unwrap(),
        &mut rels,
    )
    .unwrap();
    assert!(
        rels.contains("fixtures/round-fy27/consumer/payments.xlsx"),
        "links are relative paths to the team workbooks"
    );
    assert!(!rels.contains("file:///"), "relative, not absolute, links");

    // Every row: the file, and for each track the cell its value came from.
    let mut wb = open(&path);
    let teams = wb.worksheet_range("Teams").unwrap();
    let header: Vec<String> = (0..teams.width())
        .map(|c| teams.get((2, c)).map(|d| d.to_string()).unwrap_or_default())
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (team, metric, file) = (col("Team"), col("Metric"), col("Source file"));
    let (ly, ly_source) = (col("LY Actual"), col("Source LY Actual"));
    let row = (3..teams.height())
        .find(|&r| {
            teams.get((r, team)).map(|d| d.to_string()) == Some("Payments".into())
                && teams.get((r, metric)).map(|d| d.to_string()) == Some("Revenue".into())
        })
        .expect("a Payments × Revenue row");
    let cell = |c: usize| {
        teams
            .get((row, c))
            .map(|d| d.to_string())
            .unwrap_or_default()
    };
    assert_eq!(cell(file), "fixtures/round-fy27/consumer/payments.xlsx");
    // Follow the named cell back into the team's workbook: same value.
    let source = cell(ly_source);
    let (sheet_name, address) = source.split_once('!').expect("Sheet!Cell");
    let mut team_wb: Xlsx<_> =
        calamine::open_workbook(root().join("fixtures/round-fy27/consumer/payments.xlsx")).unwrap();
    let range = team_wb.worksheet_range(sheet_name).unwrap();
    let (r, c) = op1::a1::parse_a1(address).expect("an A1 address");
    let as_read = range.get_value((r, c)).and_then(|d| d.as_f64()).unwrap();
    let rate = teams
        .get((row, col("FX rate")))
        .and_then(|d| d.as_f64())
        .unwrap_or(1.0);
    let in_pack = teams.get((row, ly)).and_then(|d| d.as_f64()).unwrap();
    assert!(
        (as_read * rate - in_pack).abs() < 1e-6,
        "{source}: {as_read} × {rate} ≠ {in_pack}"
    );
}

#[test]
fn team_text_is_never_a_formula() {
    let (_tmp, round) = copy_fixture("model-round");
    // A risk that starts with "=" must stay text in the pack.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet().set_name("Team").unwrap();
    for (r, (k, v)) in [("Team", "=Evil"), ("Owner", "@me"), ("Currency", "USD")]
        .iter()
        .enumerate()
    {
        ws.write_string(r as u32, 0, *k).unwrap();
        ws.write_string(r as u32, 1, *v).unwrap();
    }
    let plan = wb.add_worksheet().set_name("Plan").unwrap();
    for (c, h) in ["Metric", "Unit", "LY Actual", "Flat", "Investment"]
        .iter()
        .enumerate()
    {
        plan.write_string(0, c as u16, *h).unwrap();
    }
    plan.write_string(1, 0, "Revenue").unwrap();
    plan.write_string(1, 1, "USD").unwrap();
    for c in 2..5 {
        plan.write_number(1, c, 100.0 * c as f64).unwrap();
    }
    let res = wb.add_worksheet().set_name("Resources").unwrap();
    for (c, h) in ["Resource", "LY", "Flat", "Investment"].iter().enumerate() {
        res.write_string(0, c as u16, *h).unwrap();
    }
    for (r, name) in ["Headcount", "Budget"].iter().enumerate() {
        res.write_string(r as u32 + 1, 0, *name).unwrap();
        for c in 1..4 {
            res.write_number(r as u32 + 1, c, 10.0 * c as f64).unwrap();
        }
    }
    for (name, header, value) in [
        ("Assumptions", "Assumption", "=1+1"),
        ("Asks", "Ask", "+cmd"),
        ("Risks", "Risk", "=HYPERLINK(\"http://x\")"),
    ] {
        let ws = wb.add_worksheet().set_name(name).unwrap();
        ws.write_string(0, 0, header).unwrap();
        ws.write_string(1, 0, value).unwrap();
    }
    wb.save(round.join("evil.xlsx")).unwrap();
    let out = round.join("out");
    op1(&round, &["pack", ".", "--out", "out", "--no-charts"]);
    let mut pack = open(&out.join("exec-pack.xlsx"));
    for sheet in ["Risks", "Assumptions", "Asks", "Teams"] {
        let formulas = pack.worksheet_formula(sheet).unwrap();
        assert!(
            formulas
                .used_cells()
                .all(|(_, _, f)| !f.contains("HYPERLINK") && f != "1+1" && !f.contains("Evil")),
            "{sheet} has a team formula"
        );
    }
    let risks = pack.worksheet_range("Risks").unwrap();
    assert!(risks
        .used_cells()
        .any(|(_, _, v)| v.get_string() == Some("=HYPERLINK(\"http://x\")")));
    let csv = std::fs::read_to_string(out.join("consolidated.csv")).unwrap();
    assert!(csv.contains("'=Evil"), "CSV escapes formula-like text");
}

#[test]
fn libreoffice_recalculates_every_formula_to_the_cached_value() {
    let Some(soffice) = libreoffice("the recalculation test") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    pack(&out);
    let checked = assert_recalculates(soffice, &out.join("exec-pack.xlsx"), tmp.path());
    assert!(checked > 100, "only {checked} formulas checked");
    // And Summary, recalculated, still equals the inputs (the cached values were checked above).
    let shown = summary(&out.join("exec-pack.xlsx"));
    assert!(shown.contains_key(&("Revenue".to_string(), "Funded".to_string())));
}

/// The control totals on Sources: every money value as read, recomputed from
/// the Teams sheet, and reconciled "yes" on the sample round.
#[test]
fn sources_control_totals_reconcile_on_the_sample_round() {
    let tmp = tempfile::tempdir().unwrap();
    pack(tmp.path());
    let mut wb = open(&tmp.path().join("exec-pack.xlsx"));
    let sources = wb.worksheet_range("Sources").unwrap();
    let rows: Vec<Vec<String>> = sources
        .rows()
        .map(|r| r.iter().map(|d| d.to_string()).collect())
        .collect();
    let header = rows
        .iter()
        .position(|r| r.first().map(String::as_str) == Some("File") && r.len() > 7)
        .expect("the control-totals header");
    let verdicts: Vec<&str> = rows[header + 1..]
        .iter()
        .take_while(|r| r.first().is_some_and(|c| !c.is_empty()))
        .map(|r| r[7].as_str())
        .collect();
    assert!(verdicts.len() >= 30, "{} control totals", verdicts.len());
    assert!(verdicts.iter().all(|v| *v == "yes"), "{verdicts:?}");
}

/// A pack value that differs from its cell is an error, not a quiet mismatch.
#[test]
fn a_pack_value_that_differs_from_its_cell_is_a_reconcile_error() {
    let checked = op1::run::check_inputs(&[root().join("fixtures/model-round")], None).unwrap();
    let books: Vec<_> = checked.round.workbooks().collect();
    let params =
        op1::model::FundingParams::decide((None, None), &checked.settings, &books).unwrap();
    let (mut model, _) = op1::model::build(&books, &checked.settings, &params).unwrap();
    let excluded = std::collections::BTreeMap::new();
    let tmp = tempfile::tempdir().unwrap();
    let reconcile_errors = |findings: &[op1::finding::Finding]| {
        findings
            .iter()
            .filter(|f| f.rule == op1::finding::Rule::Reconcile)
            .count()
    };
    let input = op1::run::pack_input(&checked, &books, &excluded, &model);
    let (_, clean) =
        op1::write::workbook::pack::build_pack(tmp.path(), &input, &checked.findings).unwrap();
    assert_eq!(reconcile_errors(&clean), 0, "{clean:?}");

    let name = "LY Actual (team currency)";
    let doubled = model.wide.column(name).unwrap().as_materialized_series() * 2.0;
    model
        .wide
        .with_column(polars::prelude::Column::from(doubled))
        .unwrap();
    let input = op1::run::pack_input(&checked, &books, &excluded, &model);
    let (_, tampered) =
        op1::write::workbook::pack::build_pack(tmp.path(), &input, &checked.findings).unwrap();
    let values = model
        .wide
        .column(name)
        .unwrap()
        .f64()
        .unwrap()
        .iter()
        .flatten()
        .count();
    assert_eq!(reconcile_errors(&tampered), values, "{tampered:?}");
}

/// A chart that cannot be drawn used to be reported on the terminal but not
/// on the Checks sheet, which was built while the charts were drawn.
#[test]
fn a_chart_that_fails_is_on_the_checks_sheet_too() {
    let (_tmp, round) = copy_fixture("model-round");
    let out = round.join("out");
    std::fs::create_dir_all(&out).unwrap();
    // A file where the charts folder should be: no chart can be written.
    std::fs::write(out.join("charts"), b"not a folder").unwrap();
    let run = op1(&round, &["pack", ".", "--out", "out"]);
    run.expect_code(0);
    assert!(run.stdout.contains("chart-failed"), "{}", run.transcript());
    let mut wb = open(&out.join("exec-pack.xlsx"));
    let checks = wb.worksheet_range("Checks").unwrap();
    let rules: Vec<String> = checks
        .rows()
        .filter_map(|r| r.get(1).map(|c| c.to_string()))
        .collect();
    assert!(
        rules.iter().any(|r| r == "chart-failed"),
        "Checks lists {rules:?}"
    );
    // Every finding the report counts is on the sheet: one row each.
    let reported = run.stdout.matches("chart-failed").count();
    let listed = rules.iter().filter(|r| *r == "chart-failed").count();
    assert_eq!(listed, reported, "{}", run.transcript());
}

/// The Funding sheet's headers and Org values were cut off by columns of a
/// fixed width.
#[test]
fn funding_columns_are_wide_enough_for_their_headers_and_orgs() {
    use std::io::Read;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    pack(&out);
    let file = std::fs::File::open(out.join("exec-pack.xlsx")).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    // Funding is the fourth sheet.
    let mut xml = String::new();
    zip.by_name("xl/worksheets/sheet4.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    // Each `<col min=".." max=".." width="..">` covers columns min..=max.
    let attr = |tag: &str, name: &str| -> f64 {
        let key = format!("{name}=\"");
        let at = tag.find(&key).unwrap() + key.len();
        tag[at..at + tag[at..].find('"').unwrap()].parse().unwrap()
    };
    let widths: Vec<(f64, f64, f64)> = xml
        .split("<col ")
        .skip(1)
        .map(|tag| (attr(tag, "min"), attr(tag, "max"), attr(tag, "width")))
        .collect();
    let width = |col: u32| -> f64 {
        let col = f64::from(col);
        widths
            .iter()
            .find(|(min, max, _)| *min <= col && col <= *max)
            .map(|(_, _, w)| *w)
            .unwrap_or_else(|| panic!("no width for column {col}"))
    };
    let mut wb = open(&out.join("exec-pack.xlsx"));
    let funding = wb.worksheet_range("Funding").unwrap();
    let header_row = funding
        .rows()
        .position(|r| matches!(r.first(), Some(Data::String(s)) if s == "Rank"))
        .expect("the Funding table");
    for (c, cell) in funding
        .rows()
        .nth(header_row)
        .unwrap()
        .iter()
        .enumerate()
        .take(10)
    {
        let longest = funding
            .rows()
            .skip(header_row)
            .filter_map(|r| r.get(c))
            .filter(|v| matches!(v, Data::String(_)))
            .map(|v| v.to_string().chars().count())
            .max()
            .unwrap_or(0);
        let w = width(c as u32 + 1);
        assert!(
            w >= longest.min(40) as f64,
            "column {} ({cell}) is {w} wide for {longest} characters",
            c + 1
        );
    }
}
