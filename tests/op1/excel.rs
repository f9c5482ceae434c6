//! What Excel (not only LibreOffice) accepts, in every workbook op1 writes
//! (issue 25): names matched exactly, never as SUMIFS patterns; no text
//! literal over 255 characters inside a formula; only Excel 2007 functions
//! unless prefixed `_xlfn.`; valid, unique sheet and table names, each table's
//! header its column names; links that resolve (a `#` in a file name
//! encoded); no cell over 32,767 UTF-16 units; no raw control character.
//! Every command that writes a workbook runs here on the sample round and on
//! hostile names. New tests about Excel's own rules for op1's outputs go here.

use crate::common;

use common::*;
use op1::plan::TeamWorkbook;
use std::collections::BTreeMap;
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
    // Targets on the hostile metric names, and the hostile teams funded
    // together (their names in each case's Why): the Targets and Funding
    // sheets write them too.
    let settings = round.join("op1.toml");
    let mut toml = std::fs::read_to_string(&settings)
        .unwrap()
        .replace("[funding]\n", "[funding]\ntogether = [[\"*\", \"Beta\"]]\n");
    assert!(toml.contains("together"));
    toml.push_str(
        "\n[targets.\"All\"]\n\"Revenue*\" = 100\n\"<1h tickets\" = 3\n\"=Foo!A1\" = 1\n",
    );
    std::fs::write(&settings, toml).unwrap();
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

/// Functions a workbook may name without `_xlfn.`: Excel 2007's, the set
/// every Excel since reads unprefixed. A function Excel added later (IFS,
/// CONCAT, XLOOKUP, AGGREGATE …) is written `_xlfn.NAME`. Add a name here
/// only after checking Excel 2007 has it.
const EXCEL_2007_FUNCTIONS: &[&str] = &[
    "ABS",
    "ADDRESS",
    "AND",
    "AVERAGE",
    "AVERAGEA",
    "AVERAGEIF",
    "AVERAGEIFS",
    "CEILING",
    "CHAR",
    "CHOOSE",
    "CLEAN",
    "CODE",
    "COLUMN",
    "COLUMNS",
    "CONCATENATE",
    "COUNT",
    "COUNTA",
    "COUNTBLANK",
    "COUNTIF",
    "COUNTIFS",
    "DATE",
    "DATEVALUE",
    "DAY",
    "EDATE",
    "EOMONTH",
    "EXACT",
    "FALSE",
    "FIND",
    "FIXED",
    "FLOOR",
    "HLOOKUP",
    "HYPERLINK",
    "IF",
    "IFERROR",
    "INDEX",
    "INDIRECT",
    "INT",
    "ISBLANK",
    "ISERR",
    "ISERROR",
    "ISNA",
    "ISNUMBER",
    "ISTEXT",
    "LARGE",
    "LEFT",
    "LEN",
    "LN",
    "LOG",
    "LOG10",
    "LOOKUP",
    "LOWER",
    "MATCH",
    "MAX",
    "MAXA",
    "MEDIAN",
    "MID",
    "MIN",
    "MINA",
    "MOD",
    "MONTH",
    "N",
    "NA",
    "NOT",
    "NOW",
    "OFFSET",
    "OR",
    "POWER",
    "PRODUCT",
    "PROPER",
    "QUARTILE",
    "RANK",
    "REPLACE",
    "REPT",
    "RIGHT",
    "ROUND",
    "ROUNDDOWN",
    "ROUNDUP",
    "ROW",
    "ROWS",
    "SEARCH",
    "SIGN",
    "SMALL",
    "SQRT",
    "STDEV",
    "SUBSTITUTE",
    "SUBTOTAL",
    "SUM",
    "SUMIF",
    "SUMIFS",
    "SUMPRODUCT",
    "T",
    "TEXT",
    "TODAY",
    "TRIM",
    "TRUE",
    "TRUNC",
    "UPPER",
    "VALUE",
    "VLOOKUP",
    "YEAR",
];

/// The functions a formula calls, outside its text literals.
fn functions(formula: &str) -> Vec<String> {
    let f = formula.replace("&quot;", "\"");
    let mut out = Vec::new();
    let (mut in_text, mut word) = (false, String::new());
    for c in f.chars() {
        if c == '"' {
            in_text = !in_text;
            word.clear();
        } else if in_text {
        } else if c.is_ascii_alphanumeric() || c == '.' || c == '_' {
            word.push(c);
        } else {
            if c == '(' && !word.is_empty() {
                out.push(word.clone());
            }
            word.clear();
        }
    }
    out
}

/// XML text with its five entities undone.
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The value of `attr="…"` in an XML start tag.
fn attr(tag: &str, attr: &str) -> Option<String> {
    let start = tag.find(&format!(" {attr}=\""))? + attr.len() + 3;
    let len = tag[start..].find('"')?;
    Some(unescape(&tag[start..start + len]))
}

/// Every start tag `<name …>` in an XML part.
fn tags<'x>(xml: &'x str, name: &str) -> Vec<&'x str> {
    let open = format!("<{name} ");
    xml.match_indices(&open)
        .map(|(i, _)| &xml[i..i + xml[i..].find('>').unwrap_or(0)])
        .collect()
}

/// A `%XX`-escaped path undone.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match (
            bytes[i],
            s.get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok()),
        ) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap()
}

/// The sheet of a hyperlink's `location` (`'Q&A'!A1` → `Q&A`).
fn location_sheet(location: &str) -> String {
    let sheet = location.rsplit_once('!').map_or(location, |(s, _)| s);
    sheet
        .strip_prefix('\'')
        .and_then(|s| s.strip_suffix('\''))
        .map_or(sheet.to_string(), |s| s.replace("''", "'"))
}

/// Whether a table name is one Excel accepts: a letter, `_` or `\` first,
/// then letters, digits, `_` and `.`; not a cell reference.
fn valid_table_name(name: &str) -> bool {
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_' || c == '\\');
    let looks_like_cell = {
        let letters = name.trim_end_matches(|c: char| c.is_ascii_digit());
        let is_a1 = !letters.is_empty()
            && letters.len() <= 3
            && letters.chars().all(|c| c.is_ascii_alphabetic())
            && letters.len() < name.len();
        let upper = name.to_ascii_uppercase();
        is_a1 || ["R", "C"].contains(&upper.as_str()) || upper.starts_with("R1C")
    };
    first_ok
        && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '.' || c == '\\')
        && name.chars().count() <= 255
        && !looks_like_cell
}

/// Excel's rules for the names, tables, links, cells and XML of a workbook
/// op1 wrote (with [`assert_excel_formulas`] for its formulas).
fn assert_excel_accepts(xlsx: &Path) {
    use calamine::Reader;
    let what = xlsx.display().to_string();
    assert_excel_formulas(xlsx);
    let parts = xlsx_parts(xlsx, "");
    // No raw control character in any part: Excel refuses the file.
    for (part, xml) in &parts {
        if part.ends_with(".xml") || part.ends_with(".rels") {
            let raw = xml
                .chars()
                .find(|c| c.is_control() && !"\t\n\r".contains(*c));
            assert!(
                raw.is_none(),
                "{what}: {part} holds the raw control character {raw:?}"
            );
        }
    }
    for (_, f) in formulas(xlsx) {
        for func in functions(&f) {
            let known = func.starts_with("_xlfn.")
                || func.starts_with("_xlws.")
                || EXCEL_2007_FUNCTIONS.contains(&func.as_str());
            assert!(
                known,
                "{what}: {func} in {f} is not an Excel 2007 function and has no _xlfn."
            );
        }
    }
    // Sheet names: 1–31 characters, none of []:*?/\, no ' at either end, not
    // History, unique whatever their case.
    let sheets: Vec<String> = tags(&parts["xl/workbook.xml"], "sheet")
        .iter()
        .filter_map(|t| attr(t, "name"))
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    for name in &sheets {
        let ok = (1..=31).contains(&name.chars().count())
            && !name.contains(['[', ']', ':', '*', '?', '/', '\\'])
            && !name.starts_with('\'')
            && !name.ends_with('\'')
            && !name.eq_ignore_ascii_case("History");
        assert!(
            ok,
            "{what}: the sheet name {name:?} is not one Excel accepts"
        );
        assert!(
            seen.insert(name.to_lowercase()),
            "{what}: two sheets named {name:?}"
        );
    }
    let mut book = calamine::open_workbook_auto(xlsx).unwrap();
    let mut table_names = std::collections::BTreeSet::new();
    for (i, sheet) in sheets.iter().enumerate() {
        let part = format!("xl/worksheets/sheet{}.xml", i + 1);
        let rels_part = format!("xl/worksheets/_rels/sheet{}.xml.rels", i + 1);
        let rels: BTreeMap<String, String> = parts
            .get(&rels_part)
            .map(|x| tags(x, "Relationship"))
            .unwrap_or_default()
            .iter()
            .filter_map(|t| Some((attr(t, "Id")?, attr(t, "Target")?)))
            .collect();
        let range = book.worksheet_range(sheet).unwrap();
        // No cell over 32,767 UTF-16 units.
        for (r, c, cell) in range.used_cells() {
            let units = cell.to_string().encode_utf16().count();
            assert!(
                units <= 32_767,
                "{what}: {sheet} row {r} col {c}: {units} UTF-16 units"
            );
        }
        // Tables: valid, unique names; each header cell its column's name.
        for target in rels.values().filter(|t| t.contains("tables/")) {
            let table = &parts[&format!("xl/{}", target.trim_start_matches("../"))];
            let head = tags(table, "table")[0];
            let name = attr(head, "displayName").unwrap();
            assert!(valid_table_name(&name), "{what}: table name {name:?}");
            assert!(
                table_names.insert(name.to_lowercase()),
                "{what}: two tables {name:?}"
            );
            let reference = attr(head, "ref").unwrap();
            let (row, col) = op1::a1::parse_a1(reference.split(':').next().unwrap()).unwrap();
            for (k, column) in tags(table, "tableColumn").iter().enumerate() {
                let expected = attr(column, "name").unwrap();
                let found = range
                    .get_value((row, col + k as u32))
                    .map(|v| v.to_string())
                    .unwrap_or_default();
                assert_eq!(found, expected, "{what}: {sheet} {name} header {k}");
            }
        }
        // Hyperlinks: at most 65,530 a sheet, each to a sheet or file that exists.
        let links = tags(parts.get(&part).map_or("", |x| x.as_str()), "hyperlink");
        assert!(
            links.len() <= 65_530,
            "{what}: {sheet}: {} links",
            links.len()
        );
        for link in links {
            let location = attr(link, "location");
            match attr(link, "r:id").and_then(|id| rels.get(&id).cloned()) {
                Some(target) if target.contains("://") && !target.starts_with("file:") => {}
                Some(target) => {
                    let path = percent_decode(target.trim_start_matches("file:///"));
                    let file = xlsx.parent().unwrap().join(&path);
                    assert!(
                        file.is_file(),
                        "{what}: {sheet}: a link to {target}: no {}",
                        file.display()
                    );
                    if let Some(location) = location {
                        let other = calamine::open_workbook_auto(&file).unwrap();
                        let want = location_sheet(&location);
                        assert!(
                            other.sheet_names().contains(&want),
                            "{what}: {sheet}: a link to {target}#{location}: no sheet {want}"
                        );
                    }
                }
                None => {
                    let want = location_sheet(&location.unwrap_or_default());
                    assert!(
                        sheets.contains(&want),
                        "{what}: {sheet}: a link to no sheet {want:?}"
                    );
                }
            }
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

/// Every `.xlsx` under `dir`, at any depth.
fn workbooks(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let path = e.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "xlsx") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Runs every command that writes a workbook on `round` (and its `second`
/// version) into `work`, and returns the folders and files they wrote.
fn every_written_workbook(
    work: &Path,
    round: &Path,
    second: &Path,
    team: &str,
    blank_team: &str,
) -> Vec<std::path::PathBuf> {
    let s = |p: &Path| p.to_str().unwrap().to_string();
    let out = work.join("out");
    std::fs::create_dir_all(work.join("t")).unwrap();
    let runs: Vec<Vec<String>> = vec![
        vec!["pack".into(), s(round), "--out".into(), s(&out)],
        vec![
            "pack".into(),
            s(second),
            "--out".into(),
            s(&work.join("since")),
            "--since".into(),
            s(&out),
        ],
        vec![
            "checkpoint".into(),
            s(second),
            "--out".into(),
            s(&work.join("cp")),
            "--plan".into(),
            s(&out),
        ],
        vec![
            "diff".into(),
            s(round),
            s(second),
            "--out".into(),
            s(&work.join("changes")),
        ],
        vec![
            "feedback".into(),
            s(round),
            "--out".into(),
            s(&work.join("fb")),
        ],
        vec![
            "template".into(),
            "--team".into(),
            blank_team.into(),
            "--out".into(),
            s(&work.join("t/blank.xlsx")),
        ],
        vec![
            "template".into(),
            "--from".into(),
            s(&round.join(team)),
            "--out".into(),
            s(&work.join("t/from.xlsx")),
        ],
        vec![
            "template".into(),
            "--from".into(),
            s(&round.join(team)),
            "--checkpoint".into(),
            "--out".into(),
            s(&work.join("t/checkpoint.xlsx")),
        ],
        vec![
            "template".into(),
            "--from".into(),
            s(&second.join(team)),
            "--next-year".into(),
            "--plan".into(),
            s(&out),
            "--out".into(),
            s(&work.join("t/next.xlsx")),
        ],
    ];
    for args in &runs {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = op1(work, &args);
        assert!(
            run.code <= 1,
            "op1 {}: {}",
            args.join(" "),
            run.transcript()
        );
    }
    let found = workbooks(work);
    for folder in ["out", "since", "cp", "changes", "fb", "t"] {
        assert!(
            found.iter().any(|f| f.starts_with(work.join(folder))),
            "no workbook in {folder}"
        );
    }
    found
}

#[test]
fn every_workbook_op1_writes_for_the_sample_round_keeps_excels_rules() {
    let tmp = tempfile::tempdir().unwrap();
    let (round, second) = (fixture("round-fy27"), fixture("round-fy27-q2"));
    for xlsx in every_written_workbook(
        tmp.path(),
        &round,
        &second,
        "consumer/payments.xlsx",
        "Logística Zürich",
    ) {
        assert_excel_accepts(&xlsx);
    }
}

#[test]
fn every_workbook_op1_writes_for_hostile_names_keeps_excels_rules() {
    let (tmp, round) = hostile_round();
    // A second version: the same teams with a quarter reported, under a
    // file name holding `#` (which a link must encode).
    let second = tmp.path().join("second");
    std::fs::create_dir(&second).unwrap();
    for entry in std::fs::read_dir(&round).unwrap().flatten() {
        let name = entry
            .file_name()
            .to_string_lossy()
            .replace(".xlsx", " #2.xlsx");
        std::fs::copy(entry.path(), second.join(name)).unwrap();
    }
    let work = tmp.path().join("work");
    std::fs::create_dir(&work).unwrap();
    for xlsx in every_written_workbook(&work, &round, &second, "beta.xlsx", "=Ops <1h> * #1") {
        assert_excel_accepts(&xlsx);
    }
}

#[test]
fn the_excel_rules_check_refuses_what_excel_would_refuse() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    pack_round("fixtures/model-round", &out, &["--allow-partial"]);
    let pack = out.join("exec-pack.xlsx");
    assert_excel_accepts(&pack);
    // Each edit breaks one rule; the check must fail on each.
    let breaks: [(&str, &str, &str); 6] = [
        (
            "xl/workbook.xml",
            "<sheet name=\"Funding\"",
            "<sheet name=\"Fund:ing\"",
        ),
        ("xl/tables/table3.xml", "name=\"Rank\"", "name=\"Ranking\""),
        (
            "xl/tables/table3.xml",
            "displayName=\"Funding\"",
            "displayName=\"Funding 2\"",
        ),
        (
            "xl/worksheets/_rels/sheet2.xml.rels",
            "alpha.xlsx",
            "alpha-gone.xlsx",
        ),
        (
            "xl/worksheets/sheet2.xml",
            "<hyperlink ref=\"S4\" r:id=\"rId1\" location=\"Plan!",
            "<hyperlink ref=\"S4\" r:id=\"rId1\" location=\"Nowhere!",
        ),
        ("xl/worksheets/sheet1.xml", "SUMPRODUCT(", "XLOOKUP("),
    ];
    for (i, (part, from, to)) in breaks.iter().enumerate() {
        let broken = tmp.path().join(format!("broken-{i}.xlsx"));
        let found = std::cell::Cell::new(false);
        edit_xlsx(&pack, &broken, |name, xml| {
            if name == *part {
                found.set(found.get() || xml.contains(from));
                xml.replacen(from, to, 1)
            } else {
                xml
            }
        });
        assert!(found.get(), "{part} holds no {from}");
        let refused = std::panic::catch_unwind(|| assert_excel_accepts(&broken)).is_err();
        assert!(refused, "{part}: {from} → {to} passed the check");
    }
}
