//! A small harness that runs the real `op1` binary and, on failure, prints the
//! command with its stdout and stderr.

#![allow(dead_code)]

pub mod fuzzing;
pub mod mutate;

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture path.
pub fn fixture(rel: &str) -> PathBuf {
    root().join("fixtures").join(rel)
}

/// What a run of op1 printed and returned.
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub command: String,
}

impl Output {
    /// Panics with the whole transcript unless the exit code is `code`.
    pub fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code,
            code,
            "unexpected exit code\n{}",
            self.transcript()
        );
        self
    }

    /// The run's stdout as JSON (`--format json`); on anything else the
    /// test fails with the whole transcript.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON: {e}\n{}", self.transcript()))
    }

    pub fn transcript(&self) -> String {
        format!(
            "$ {}\n--- exit {}\n--- stdout\n{}\n--- stderr\n{}",
            self.command, self.code, self.stdout, self.stderr
        )
    }
}

/// `op1 pack ROUND --out OUT EXTRA…` from the repository root, which must
/// succeed (exit 0).
pub fn pack_round(round: &str, out: &Path, extra: &[&str]) {
    let mut args = vec!["pack", round, "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    op1(&root(), &args).expect_code(0);
}

/// Runs `op1 args…` in `dir`.
pub fn op1(dir: &Path, args: &[&str]) -> Output {
    op1_with_env(dir, args, &[])
}

/// Runs `op1 args…` in `dir` with extra environment variables (`OP1_FAULT`
/// to inject a fault into a debug build).
pub fn op1_with_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_op1"))
        .args(args)
        .current_dir(dir)
        .env_remove("RUST_BACKTRACE")
        .envs(env.iter().copied())
        .output()
        .expect("run op1");
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        command: format!("op1 {}", args.join(" ")),
    }
}

/// Copies a fixture folder into a fresh temporary folder and returns both.
pub fn copy_fixture(rel: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dest = tmp.path().join(Path::new(rel).file_name().unwrap());
    copy_dir(&fixture(rel), &dest);
    (tmp, dest)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The findings of `op1 check --format json` output (its `findings`).
pub fn findings(json: &str) -> Vec<serde_json::Value> {
    serde_json::from_str::<serde_json::Value>(json).expect("valid JSON")["findings"]
        .as_array()
        .expect("a list of findings")
        .clone()
}

/// A committed team workbook, read with op1's reader, for a test to change
/// and write again with [`write_team`].
pub fn read_team(path: &Path) -> op1::plan::TeamWorkbook {
    let input = op1::discover::InputFile::new(path);
    let (read, findings) = op1::read::read_file(&input, &op1::settings::Settings::default());
    read.workbook
        .unwrap_or_else(|| panic!("{} does not read: {findings:?}", path.display()))
}

/// A team's metric by name, to edit in a test (panics when it has none).
pub fn metric_mut<'a>(
    wb: &'a mut op1::plan::TeamWorkbook,
    name: &str,
) -> &'a mut op1::plan::Metric {
    wb.metrics
        .iter_mut()
        .find(|m| m.name.value == name)
        .unwrap_or_else(|| panic!("no metric {name}"))
}

/// A team's resource by name, to edit in a test (panics when it has none).
pub fn resource_mut<'a>(
    wb: &'a mut op1::plan::TeamWorkbook,
    name: &str,
) -> &'a mut op1::plan::Resource {
    wb.resources
        .iter_mut()
        .find(|r| r.name.value == name)
        .unwrap_or_else(|| panic!("no resource {name}"))
}

/// Writes a team workbook in op1's template layout (replacing `path`).
pub fn write_team(path: &Path, wb: &op1::plan::TeamWorkbook) {
    op1::template::write_filled(path, wb).unwrap();
}

/// LibreOffice (`soffice`), if installed. Without it the caller skips, saying
/// which test (`what`) needs it — unless `OP1_REQUIRE_LIBREOFFICE` is set (CI),
/// where its absence fails the test.
pub fn libreoffice(what: &str) -> Option<&'static str> {
    let found = ["soffice", "libreoffice"].into_iter().find(|b| {
        std::process::Command::new(b)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if found.is_none() {
        assert!(
            std::env::var("OP1_REQUIRE_LIBREOFFICE").is_err(),
            "OP1_REQUIRE_LIBREOFFICE is set but LibreOffice (soffice) is not installed"
        );
        eprintln!("SKIPPED: LibreOffice (soffice) is not installed; {what} needs it");
    }
    found
}

/// Converts `file` with LibreOffice to `filter` (e.g. `pdf`) into `outdir`,
/// with a fresh profile at `profile` that recalculates every formula on load.
pub fn libreoffice_convert(
    soffice: &str,
    file: &Path,
    filter: &str,
    outdir: &Path,
    profile: &Path,
) {
    std::fs::create_dir_all(profile.join("user")).unwrap();
    std::fs::write(
        profile.join("user/registrymodifications.xcu"),
        r#"<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"#,
    )
    .unwrap();
    let status = std::process::Command::new(soffice)
        .arg("--headless")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--convert-to", filter, "--outdir"])
        .arg(outdir)
        .arg(file)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "soffice failed: {}",
        String::from_utf8_lossy(&status.stderr)
    );
}

/// Recalculates the workbook at `xlsx` in LibreOffice (every formula, on
/// load) and asserts that each formula's value equals the value op1 cached;
/// returns how many formulas were checked. `tmp` holds the CSVs and profile.
pub fn assert_recalculates(soffice: &str, xlsx: &Path, tmp: &Path) -> usize {
    use calamine::{Data, DataType, Reader};
    let csv_dir = tmp.join("recalculated");
    libreoffice_convert(
        soffice,
        xlsx,
        "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
        &csv_dir,
        &tmp.join("profile-recalc"),
    );
    let stem = xlsx.file_stem().unwrap().to_string_lossy().into_owned();
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(xlsx).unwrap();
    let mut checked = 0;
    for sheet in wb.sheet_names() {
        let csv_path = csv_dir.join(format!("{stem}-{sheet}.csv"));
        let recalculated = parse_csv(
            &std::fs::read_to_string(&csv_path)
                .unwrap_or_else(|_| panic!("no {}", csv_path.display())),
        );
        let formulas = wb.worksheet_formula(&sheet).unwrap();
        let values = wb.worksheet_range(&sheet).unwrap();
        for (r, c, formula) in formulas.used_cells() {
            if formula.is_empty() {
                continue;
            }
            let (fr, fc) = formulas.start().unwrap();
            let pos = (fr + r as u32, fc + c as u32);
            let cell = op1::a1::cell_name(pos.0, pos.1);
            let cached = values.get_value(pos).cloned().unwrap_or(Data::Empty);
            let lo = recalculated
                .get(pos.0 as usize)
                .and_then(|row| row.get(pos.1 as usize))
                .cloned()
                .unwrap_or_default();
            match cached.as_f64() {
                Some(want) => {
                    let got = number(&lo).unwrap_or_else(|| {
                        panic!("{sheet}!{cell}: LibreOffice gave {lo:?} for {formula}")
                    });
                    assert!(
                        (got - want).abs() <= 1e-6 * want.abs().max(1.0),
                        "{sheet}!{cell} = {formula}: cached {want}, LibreOffice {got}"
                    );
                }
                None => assert_eq!(lo, cached.to_string(), "{sheet}!{cell} = {formula}"),
            }
            checked += 1;
        }
    }
    checked
}

/// A minimal RFC 4180 reader.
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, '\r') => {}
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

pub fn number(text: &str) -> Option<f64> {
    let t = text.trim();
    match t.strip_suffix('%') {
        Some(p) => p.parse::<f64>().ok().map(|v| v / 100.0),
        None => t.parse().ok(),
    }
}

/// A CSV file op1 wrote (BOM and all) as rows keyed by its header.
pub fn csv_table(path: &Path) -> Vec<std::collections::BTreeMap<String, String>> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|_| panic!("no {}", path.display()));
    let mut rows = parse_csv(text.trim_start_matches('\u{feff}')).into_iter();
    let header = rows.next().unwrap_or_default();
    rows.map(|r| header.iter().cloned().zip(r).collect())
        .collect()
}

/// Rewrites the xlsx at `from` into `to` (they may be the same file), each
/// text part passed through `edit(name, text)`: how a test changes a cell
/// the way a user's file would have it.
pub fn edit_xlsx(from: &Path, to: &Path, edit: impl Fn(&str, String) -> String) {
    use std::io::{Read, Write};
    let mut src = zip::ZipArchive::new(std::io::Cursor::new(std::fs::read(from).unwrap())).unwrap();
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
    std::fs::write(to, dst.finish().unwrap().into_inner()).unwrap();
}

/// A whole number with thousands separators, as op1's messages write it.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A value read at no particular cell: for a test that builds a workbook.
pub fn val<T>(value: T) -> op1::plan::Val<T> {
    op1::plan::Val {
        value,
        pos: op1::plan::Pos {
            sheet: op1::plan::SheetKind::Plan,
            row: 0,
            col: 0,
        },
    }
}

/// Quarters Q1… reported with `values`, the rest blank.
pub fn quarters(values: &[f64]) -> op1::plan::Quarters {
    let mut q: op1::plan::Quarters = Default::default();
    for (i, v) in values.iter().enumerate() {
        q[i] = Some(val(*v));
    }
    q
}

/// Rewrites the team workbook `round/TEAM.xlsx` after `edit`.
pub fn report(round: &Path, team: &str, edit: impl Fn(&mut op1::plan::TeamWorkbook)) {
    let path = round.join(format!("{team}.xlsx"));
    let mut wb = read_team(&path);
    edit(&mut wb);
    std::fs::remove_file(&path).unwrap();
    write_team(&path, &wb);
}

/// Every part of an `.xlsx` whose name starts with `prefix`, as text.
pub fn xlsx_parts(path: &Path, prefix: &str) -> std::collections::BTreeMap<String, String> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut out = std::collections::BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        if name.starts_with(prefix) {
            let mut text = String::new();
            f.read_to_string(&mut text).unwrap();
            out.insert(name, text);
        }
    }
    out
}

/// Replaces the number cell whose value is `number` with the text `typed`,
/// as a team would type it over the template.
pub fn type_text_over(path: &std::path::Path, number: &str, typed: &str) {
    edit_xlsx(path, path, |name, xml| {
        if !name.starts_with("xl/worksheets/sheet") {
            return xml;
        }
        let value = format!("<v>{number}</v></c>");
        let Some(at) = xml.find(&value) else {
            return xml;
        };
        let start = xml[..at].rfind("<c ").unwrap();
        let reference = xml[start..].split('"').nth(1).unwrap().to_string();
        let cell = format!("<c r=\"{reference}\" t=\"inlineStr\"><is><t>{typed}</t></is></c>");
        format!("{}{cell}{}", &xml[..start], &xml[at + value.len()..])
    });
}

/// What a run printed on stderr besides the one line naming its settings
/// file, which every command prints (SECURITY.md).
pub fn stderr_beyond_settings(stderr: &str) -> String {
    stderr
        .lines()
        .filter(|l| !l.starts_with("settings: "))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// Every file under `dir`, at any depth.
pub fn walk_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk_files(&path));
        } else {
            files.push(path);
        }
    }
    files
}

/// [`op1`], killed and failed if it has not finished within `seconds`: for
/// inputs that once made op1 hang (a FIFO, a link loop), so that a
/// regression fails the test instead of stalling the suite. Not a speed
/// target: the bound is far above any real run's time.
pub fn op1_within(dir: &Path, args: &[&str], seconds: u64) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_op1"))
        .args(args)
        .current_dir(dir)
        .env_remove("RUST_BACKTRACE")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run op1");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    while child.try_wait().expect("wait for op1").is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("op1 {} did not finish within {seconds} s", args.join(" "));
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let out = child.wait_with_output().expect("op1's output");
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        command: format!("op1 {}", args.join(" ")),
    }
}

/// The text of `cell` (A1) on `sheet` of the workbook at `path`, as calamine reads it.
pub fn sheet_text(path: &Path, sheet: &str, cell: &str) -> String {
    use calamine::Reader;
    let letters: String = cell
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect();
    let row: u32 = cell[letters.len()..].parse().expect("an A1 cell");
    let col = letters.bytes().fold(0u32, |n, b| {
        n * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1)
    }) - 1;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(path).expect("a workbook");
    let range = book.worksheet_range(sheet).expect("the sheet");
    range
        .get_value((row - 1, col))
        .map(|v| v.to_string())
        .unwrap_or_default()
}
