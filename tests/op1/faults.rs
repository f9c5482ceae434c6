//! Faults while writing, and what a finance lead can prove afterwards: a
//! disk that fills up (a file-size limit on the process, `SIGXFSZ`
//! ignored, so writes fail with `EFBIG` as on a full disk), a run killed at
//! random moments, a folder that cannot be written, a second writer, and
//! `op1 verify` over each outcome. In every case every output file is
//! either the complete previous version or the complete new one, and the
//! next successful run leaves no temporary file behind.

use crate::common;
use common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Every file under `dir` (relative path → bytes).
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let path = e.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

fn temporaries(dir: &Path) -> Vec<String> {
    files(dir)
        .into_keys()
        .filter(|f| f.rsplit('/').next().unwrap().starts_with(".op1-") && f.ends_with(".tmp"))
        .collect()
}

/// The same date on every run, so that two packs of one round are byte-identical.
const EPOCH: (&str, &str) = ("SOURCE_DATE_EPOCH", "1800000000");

/// `op1 pack ROUND --out OUT` with a fixed date; must succeed.
fn pack(round: &str, out: &Path) {
    op1_with_env(
        &root(),
        &["pack", round, "--out", out.to_str().unwrap(), "-q"],
        &[EPOCH],
    )
    .expect_code(0);
}

/// `op1 pack ROUND --out OUT -q`, started and left running.
fn spawn_pack(round: &str, out: &Path) -> std::process::Child {
    op1_command()
        .args(["pack", round, "--out", out.to_str().unwrap(), "-q"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap()
}

/// The op1 binary as a command, from the repository root, with a fixed date.
fn op1_command() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_op1"));
    c.current_dir(root())
        .env(EPOCH.0, EPOCH.1)
        .env_remove("RUST_BACKTRACE");
    c
}

/// Each file in `dir` (op1's temporaries, lock and journal of what an
/// unfinished run wrote aside) is one of `versions`' complete files, never
/// a part of one.
fn every_file_is_whole(dir: &Path, versions: &[&BTreeMap<String, Vec<u8>>], context: &str) {
    for (name, bytes) in files(dir) {
        let base = name.rsplit('/').next().unwrap();
        let bookkeeping = [".op1-lock", op1::outputs::JOURNAL_FILE];
        if base.starts_with(".op1-") && base.ends_with(".tmp") || bookkeeping.contains(&base) {
            continue;
        }
        assert!(
            versions.iter().any(|v| v.get(&name) == Some(&bytes)),
            "{context}: {name} ({} bytes) is no complete version of itself",
            bytes.len()
        );
    }
}

/// `op1 pack fixtures/round-fy27 --out OUT -q`, whatever its exit.
fn pack_sample_into(out: &Path) -> common::Output {
    op1(
        &root(),
        &[
            "pack",
            "fixtures/round-fy27",
            "--out",
            out.to_str().unwrap(),
            "-q",
        ],
    )
}

fn verify(dir: &Path) -> common::Output {
    op1(&root(), &["verify", dir.to_str().unwrap()])
}

#[test]
fn a_full_disk_is_exit_2_naming_the_file_and_leaves_no_partial_file() {
    if Command::new("bash").arg("--version").output().is_err() {
        eprintln!("SKIPPED: bash is not here (it sets the file-size limit)");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let reference = tmp.path().join("reference");
    pack("fixtures/round-fy27", &reference);
    let whole = files(&reference);
    let out = tmp.path().join("out");
    // Limits (KiB) that stop the run at different files.
    for limit in [4, 24, 60, 200, 700] {
        let script = format!(
            "trap '' XFSZ; ulimit -f {limit}; exec \"$0\" pack fixtures/round-fy27 --out {} -q",
            out.display()
        );
        // bash runs op1 as $0 with the limit set and SIGXFSZ ignored.
        let run = Command::new("bash")
            .args(["-c", &script, env!("CARGO_BIN_EXE_op1")])
            .current_dir(root())
            .env(EPOCH.0, EPOCH.1)
            .env_remove("RUST_BACKTRACE")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "limit {limit} KiB:\n{stderr}");
        let lines: Vec<&str> = stderr.lines().collect();
        assert_eq!(lines.len(), 1, "one line, no backtrace:\n{stderr}");
        assert!(
            lines[0].starts_with("op1: ") && lines[0].contains(&*out.to_string_lossy()),
            "names the file: {stderr}"
        );
        assert!(
            lines[0].contains("the file size limit was reached"),
            "{stderr}"
        );
        every_file_is_whole(&out, &[&whole], &format!("limit {limit} KiB"));
        assert_eq!(temporaries(&out), Vec::<String>::new(), "limit {limit} KiB");
        assert_eq!(verify(&out).code, 1, "an unfinished folder does not verify");
    }
    // The next run completes the folder: whole, verified, nothing left over.
    pack("fixtures/round-fy27", &out);
    assert_eq!(files(&out).len(), whole.len(), "every output, nothing more");
    every_file_is_whole(&out, &[&whole], "after the next run");
    verify(&out).expect_code(0);
}

#[test]
fn a_run_killed_at_any_moment_leaves_each_file_whole_and_verify_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let (old, new) = (tmp.path().join("old"), tmp.path().join("new"));
    pack("fixtures/round-fy27", &old);
    pack("fixtures/round-fy27-v2", &new);
    let (old_files, new_files) = (files(&old), files(&new));
    let out = tmp.path().join("out");
    pack("fixtures/round-fy27", &out);
    // How long a whole run takes here, to kill within it.
    let started = std::time::Instant::now();
    pack("fixtures/round-fy27-v2", &tmp.path().join("timing"));
    let span = started.elapsed().as_millis() as u64;
    let mut mixed = 0;
    for i in 0..10u64 {
        // Spread over the run, from the start to past its end.
        let delay = span * (i * 2 + 1) / 20;
        let mut child = spawn_pack("fixtures/round-fy27-v2", &out);
        std::thread::sleep(std::time::Duration::from_millis(delay));
        let _ = child.kill();
        let _ = child.wait();
        every_file_is_whole(
            &out,
            &[&old_files, &new_files],
            &format!("killed after {delay} ms"),
        );
        let now = files(&out);
        let is_old = |f: &String| old_files.get(f) == now.get(f);
        let is_new = |f: &String| new_files.get(f) == now.get(f);
        let outputs: Vec<&String> = now.keys().filter(|f| !f.ends_with(".tmp")).collect();
        let all_old = outputs.iter().all(|f| is_old(f)) && outputs.len() == old_files.len();
        let all_new = outputs.iter().all(|f| is_new(f)) && outputs.len() == new_files.len();
        let verdict = verify(&out);
        // A run killed between making a temporary and renaming it leaves
        // the temporary, which verify names (the next run sweeps it).
        let leftovers = temporaries(&out);
        if !leftovers.is_empty() {
            assert_eq!(verdict.code, 1, "temporaries left: {}", verdict.stdout);
            assert!(leftovers
                .iter()
                .all(|t| verdict.stdout.contains(t.as_str())));
        } else if all_old || all_new {
            assert_eq!(
                verdict.code, 0,
                "one run's whole output: {}",
                verdict.stdout
            );
        } else {
            mixed += 1;
            assert_eq!(
                verdict.code, 1,
                "a mixed folder must not verify:\n{}",
                verdict.stdout
            );
        }
    }
    eprintln!("{mixed} of 10 kills left a folder mixed from two runs; verify caught each");
    // The next successful run: the new version whole, no temporaries.
    pack("fixtures/round-fy27-v2", &out);
    every_file_is_whole(&out, &[&new_files], "after the next run");
    assert_eq!(temporaries(&out), Vec::<String>::new());
    verify(&out).expect_code(0);
}

#[test]
fn an_output_folder_that_cannot_be_made_is_exit_2_naming_it() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("a-file");
    std::fs::write(&file, "not a folder").unwrap();
    let out: PathBuf = file.join("out");
    let run = pack_sample_into(&out);
    run.expect_code(2);
    assert!(
        run.stderr.contains(&*out.to_string_lossy()),
        "{}",
        run.transcript()
    );
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.transcript());
}

#[test]
fn a_second_writer_stops_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    // Another op1 holds the folder (here: this test, through the library).
    let held = op1::lock::FolderLock::acquire(&out).unwrap();
    let run = pack_sample_into(&out);
    run.expect_code(2);
    assert!(
        run.stderr
            .contains(&format!("another op1 is writing to {}", out.display())),
        "{}",
        run.transcript()
    );
    assert_eq!(files(&out).len(), 1, "nothing written but the lock file");
    // Released (as a crashed run's lock is, with its process): the next run writes.
    drop(held);
    pack("fixtures/round-fy27", &out);
    verify(&out).expect_code(0);
}

#[test]
fn the_manifest_and_the_sources_sheet_agree_on_every_input() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    pack("fixtures/round-fy27", &out);
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    use calamine::{DataType, Reader};
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(out.join("exec-pack.xlsx")).unwrap();
    let sources = book.worksheet_range("Sources").unwrap();
    let header = sources
        .rows()
        .position(|r| r.first().and_then(|c| c.get_string()) == Some("Path"))
        .expect("the Sources table");
    let sheet: BTreeMap<String, String> = sources
        .rows()
        .skip(header + 1)
        .filter_map(|r| {
            Some((
                r[0].get_string()?.to_string(),
                r[2].get_string()?.to_string(),
            ))
        })
        .filter(|(_, sha)| sha.len() == 64)
        .collect();
    let inputs = manifest["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), 14);
    for input in inputs {
        let path = input["path"].as_str().unwrap();
        let sha = input["sha256"].as_str().unwrap();
        assert_eq!(sheet.get(path).map(String::as_str), Some(sha), "{path}");
        // And both are the file's own hash, recomputed here.
        use sha2::Digest;
        let bytes = std::fs::read(root().join(path)).unwrap();
        let own: String = sha2::Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(own, sha, "{path}");
        assert_eq!(input["bytes"].as_u64(), Some(bytes.len() as u64));
    }
    let settings = &manifest["settings"];
    assert_eq!(settings["path"], "fixtures/round-fy27/op1.toml");
    // Every output listed is there with its hash; verify agrees.
    for output in manifest["outputs"].as_array().unwrap() {
        assert!(
            out.join(output["path"].as_str().unwrap()).is_file(),
            "{output}"
        );
    }
    let v = verify(&out);
    v.expect_code(0);
    assert!(v.stdout.contains("whole"), "{}", v.stdout);
}

#[test]
fn identical_inputs_give_identical_outputs_manifest_included() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    pack("fixtures/round-fy27", &a);
    pack("fixtures/round-fy27", &b);
    let (fa, fb) = (files(&a), files(&b));
    assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
    for (name, bytes) in &fa {
        assert!(fb[name] == *bytes, "{name} differs between two runs");
    }
}

#[test]
fn inputs_are_never_touched_by_any_command() {
    let fixtures = root().join("fixtures");
    let snapshot = || -> BTreeMap<String, (Vec<u8>, std::time::SystemTime)> {
        files(&fixtures)
            .into_iter()
            .map(|(name, bytes)| {
                let modified = std::fs::metadata(fixtures.join(&name))
                    .unwrap()
                    .modified()
                    .unwrap();
                (name, (bytes, modified))
            })
            .collect()
    };
    let before = snapshot();
    let tmp = tempfile::tempdir().unwrap();
    let t = |name: &str| tmp.path().join(name).to_string_lossy().into_owned();
    let (pack_dir, cp, ch, fb, tpl) = (t("pack"), t("cp"), t("ch"), t("fb"), t("t.xlsx"));
    let r = "fixtures/round-fy27";
    let commands: Vec<Vec<&str>> = vec![
        vec!["check", r],
        vec!["pack", r, "--out", &pack_dir],
        vec!["checkpoint", "fixtures/round-fy27-q2", "--out", &cp],
        vec!["diff", r, "fixtures/round-fy27-v2", "--out", &ch],
        vec!["feedback", r, "--out", &fb],
        vec![
            "template",
            "--from",
            "fixtures/round-fy27/consumer/payments.xlsx",
            "--out",
            &tpl,
        ],
        vec!["verify", &pack_dir],
    ];
    for args in &commands {
        let run = op1(&root(), args);
        assert!(matches!(run.code, 0 | 1), "{args:?}: {}", run.transcript());
        assert!(before == snapshot(), "{args:?} touched an input");
    }
    // Every folder op1 wrote verifies.
    for dir in [&pack_dir, &cp, &ch, &fb] {
        let v = op1(&root(), &["verify", dir]);
        assert_eq!(v.code, 0, "{dir}: {}", v.stdout);
    }
}

#[cfg(unix)]
#[test]
fn a_ctrl_c_at_any_moment_leaves_no_temporary_file() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let started = std::time::Instant::now();
    pack("fixtures/round-fy27", &tmp.path().join("timing"));
    let span = started.elapsed().as_millis() as u64;
    let mut interrupted = 0;
    for i in 0..10u64 {
        let delay = span * (i * 2 + 1) / 20;
        let mut child = spawn_pack("fixtures/round-fy27", &out);
        std::thread::sleep(std::time::Duration::from_millis(delay));
        // Ctrl-C in a terminal sends SIGINT.
        Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .unwrap();
        let status = child.wait().unwrap();
        let code = status.code();
        assert!(
            matches!(code, Some(0) | Some(130)),
            "interrupted after {delay} ms: {status}"
        );
        interrupted += usize::from(code == Some(130));
        let left = temporaries(&out);
        assert!(
            left.is_empty(),
            "interrupted after {delay} ms, left {left:?}"
        );
    }
    eprintln!("{interrupted} of 10 runs were interrupted mid-way; none left a temporary file");
    assert!(
        interrupted > 0,
        "no run was interrupted: the test measured nothing"
    );
}
