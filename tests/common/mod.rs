//! A small harness that runs the real `op1` binary and, on failure, prints the
//! command with its stdout and stderr.

#![allow(dead_code)]

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

    pub fn transcript(&self) -> String {
        format!(
            "$ {}\n--- exit {}\n--- stdout\n{}\n--- stderr\n{}",
            self.command, self.code, self.stdout, self.stderr
        )
    }
}

/// Runs `op1 args…` in `dir`.
pub fn op1(dir: &Path, args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_op1"))
        .args(args)
        .current_dir(dir)
        .env_remove("RUST_BACKTRACE")
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

/// Parses `op1 check --format json` output.
pub fn findings(json: &str) -> Vec<serde_json::Value> {
    serde_json::from_str::<serde_json::Value>(json)
        .expect("valid JSON")
        .as_array()
        .expect("a JSON array")
        .clone()
}

/// A committed team workbook, read with op1's reader, for a test to change
/// and write again with [`write_team`].
pub fn read_team(path: &Path) -> op1::plan::TeamWorkbook {
    let input = op1::discover::InputFile {
        path: path.to_path_buf(),
        display: op1::discover::display_path(path),
        format: op1::discover::Format::from_extension(path),
    };
    let (read, findings) = op1::read::read_file(&input, &op1::settings::Settings::default());
    read.workbook
        .unwrap_or_else(|| panic!("{} does not read: {findings:?}", path.display()))
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
