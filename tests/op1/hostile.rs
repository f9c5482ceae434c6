//! Every team workbook is untrusted input (issue 26): each test builds the
//! hostile input itself and shows what op1 promises at that boundary
//! (SECURITY.md). New tests about hostile workbooks or round folders go here.

use crate::common;
use common::*;

/// Names a spreadsheet would run as formulas.
const FORMULA_NAMES: [(&str, &str); 3] = [
    ("alpha", "=HYPERLINK(\"http://x\",\"Team A\")"),
    ("beta", "+SUM(1,2)"),
    ("gamma", "@cmd"),
];

#[test]
fn every_csv_op1_writes_guards_text_that_would_run_as_a_formula() {
    let (_tmp, round) = copy_fixture("model-round");
    for (file, name) in FORMULA_NAMES {
        report(&round, file, |wb| {
            wb.team = val(name.to_string());
            metric_mut(wb, "Revenue").quarters = quarters(&[250_000.0]);
        });
    }
    op1(&round, &["pack", ".", "--out", "out", "--allow-partial"]).expect_code(0);
    op1(&round, &["checkpoint", ".", "--out", "cp", "--plan", "out"]).expect_code(0);
    op1(&round, &["feedback", ".", "--out", "fb"]).expect_code(0);
    let mut seen = 0;
    for dir in ["out", "cp", "fb"] {
        for entry in std::fs::read_dir(round.join(dir)).unwrap().flatten() {
            let path = entry.path();
            if path.extension().is_none_or(|x| x != "csv") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for row in parse_csv(text.trim_start_matches('\u{feff}')) {
                for field in row {
                    let number = field.parse::<f64>().is_ok();
                    assert!(
                        number || !field.starts_with(['=', '+', '-', '@']),
                        "{}: {field:?} would run as a formula",
                        path.display()
                    );
                    seen += usize::from(field.starts_with("'=") || field.starts_with("'@"));
                }
            }
        }
    }
    // The guarded names were there to guard: in checkpoint.csv, decisions.csv,
    // feedback.csv and the pack's tables.
    assert!(seen > 10, "only {seen} guarded fields");
}

#[test]
fn escape_sequences_in_team_text_reach_no_terminal_and_json_keeps_them_exactly() {
    let (_tmp, round) = copy_fixture("model-round");
    // Retitle the window, clear the screen, hide what follows, a bidi override.
    let name = "Evil\u{1b}]0;pwned\u{7}\u{1b}[2J\u{1b}[8m\u{202e}";
    report(&round, "alpha", |wb| wb.team = val(name.to_string()));
    let text = op1(&round, &["check", ".", "-v"]);
    for stream in [&text.stdout, &text.stderr] {
        assert!(
            !stream.contains(['\u{1b}', '\u{7}', '\u{202e}']),
            "{}",
            text.transcript()
        );
    }
    assert!(
        text.stdout
            .contains("Evil\\u001b]0;pwned\\u0007\\u001b[2J\\u001b[8m\\u202e"),
        "{}",
        text.stdout
    );
    let json = op1(&round, &["check", ".", "--format", "json"]);
    assert!(!json.stdout.contains(['\u{1b}', '\u{7}', '\u{202e}']));
    let found = findings(&json.stdout);
    let teams: Vec<&str> = found.iter().filter_map(|f| f["team"].as_str()).collect();
    assert!(teams.contains(&name), "{teams:?}");
}

#[test]
fn a_number_whose_separator_means_two_things_is_a_warning_and_brackets_with_a_minus_an_error() {
    let (_tmp, round) = copy_fixture("model-round");
    report(&round, "alpha", |wb| {
        metric_mut(wb, "Revenue").flat = Some(val(123_457.0));
        metric_mut(wb, "Operating cost").flat = Some(val(654_321.0));
    });
    type_text_over(&round.join("alpha.xlsx"), "123457", "1.200");
    type_text_over(&round.join("alpha.xlsx"), "654321", "(−300)");
    let run = op1(&round, &["check", "alpha.xlsx", "--format", "json"]);
    let list = findings(&run.stdout);
    let ambiguous = list
        .iter()
        .find(|f| f["rule"] == "ambiguous-number")
        .unwrap_or_else(|| panic!("{}", run.transcript()));
    let message = ambiguous["message"].as_str().unwrap();
    assert!(message.contains("\"1.200\""), "{message}");
    assert!(message.contains("could be 1.20 or 1,200"), "{message}");
    assert_eq!(ambiguous["severity"], "warning");
    let bracketed = list
        .iter()
        .find(|f| f["rule"] == "not-a-number")
        .unwrap_or_else(|| panic!("{}", run.transcript()));
    assert!(bracketed["message"].as_str().unwrap().contains("(−300)"));
}

#[test]
fn a_url_in_team_text_is_no_live_link_in_the_markdown_document() {
    let (_tmp, round) = copy_fixture("model-round");
    report(&round, "alpha", |wb| {
        wb.assumptions.push(val(
            "Pay at https://evil.example/login or www.evil.example, ask ceo@evil.example".into(),
        ));
    });
    op1(&round, &["pack", ".", "--out", "out", "--allow-partial"]).expect_code(0);
    let md = std::fs::read_to_string(round.join("out/document.md")).unwrap();
    // The text is all there, as typed once rendered, but no autolink starts.
    assert!(md.contains("https\\://evil.example/login"), "{md}");
    assert!(md.contains("www\\.evil.example"));
    assert!(md.contains("ceo\\@evil.example"));
    for live in ["https://evil", " www.evil", "ceo@evil"] {
        assert!(!md.contains(live), "{live} is a live link");
    }
}

#[test]
fn a_settings_file_in_a_teams_folder_is_never_applied_and_every_command_names_the_one_it_used() {
    let (_tmp, round) = copy_fixture("model-round");
    // Two team folders named on the command line; one team planted settings
    // that would change the round's envelope and currency.
    for (team, file) in [("north", "alpha.xlsx"), ("south", "beta.xlsx")] {
        std::fs::create_dir(round.join(team)).unwrap();
        std::fs::rename(round.join(file), round.join(team).join(file)).unwrap();
    }
    std::fs::write(
        round.join("north/op1.toml"),
        "reporting_currency = \"EUR\"\n[funding]\nbudget = 99_000_000\n",
    )
    .unwrap();
    let check = op1(&round, &["check", "north", "south", "--format", "json"]);
    assert!(
        check.stderr.contains("settings: op1.toml\n"),
        "{}",
        check.transcript()
    );
    let report = check.json();
    assert_eq!(report["settings"], "op1.toml", "{}", check.stdout);
    let ignored: Vec<_> = findings(&check.stdout)
        .into_iter()
        .filter(|f| f["rule"] == "settings-ignored")
        .collect();
    assert_eq!(ignored.len(), 1, "{}", check.stdout);
    assert_eq!(ignored[0]["severity"], "warning");
    assert_eq!(ignored[0]["file"], "north/op1.toml");
    let message = ignored[0]["message"].as_str().unwrap();
    assert!(
        message.contains("north/op1.toml is not applied"),
        "{message}"
    );
    assert!(message.contains("runs with op1.toml"), "{message}");

    // The pack runs on the round's settings (USD, the 500,000 envelope) and
    // says so on stderr, in its JSON and in its manifest.
    let pack = op1(
        &round,
        &["pack", "north", "south", "--out", "out", "--format", "json"],
    );
    pack.expect_code(0);
    assert!(
        pack.stderr.contains("settings: op1.toml\n"),
        "{}",
        pack.stderr
    );
    assert_eq!(pack.json()["settings"], "op1.toml");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(round.join("out/manifest.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["settings"]["path"], "op1.toml", "{manifest}");
    let marker = std::fs::read_to_string(round.join("out/.op1-pack")).unwrap();
    assert!(
        marker.contains("USD") && marker.contains("500000"),
        "{marker}"
    );

    // Without the round's own settings, the defaults, said as such: the
    // team's file is still not applied.
    std::fs::remove_file(round.join("op1.toml")).unwrap();
    let bare = op1(&round, &["check", "north", "south", "--format", "json"]);
    assert!(
        bare.stderr.contains("settings: no settings file"),
        "{}",
        bare.stderr
    );
    assert!(bare.json()["settings"].is_null());
    assert!(findings(&bare.stdout)
        .iter()
        .any(|f| f["rule"] == "settings-ignored" && f["file"] == "north/op1.toml"));
    // The analyst may name it: then it is theirs, applied and not warned of.
    let given = op1(
        &round,
        &[
            "check",
            "north",
            "south",
            "--settings",
            "north/op1.toml",
            "--format",
            "json",
        ],
    );
    assert_eq!(given.json()["settings"], "north/op1.toml");
    assert!(
        !given.stdout.contains("settings-ignored"),
        "{}",
        given.stdout
    );
}

#[test]
fn an_org_path_too_deep_or_a_name_too_long_is_an_error_quoting_its_start_and_the_work_stays_bounded(
) {
    let (_tmp, round) = copy_fixture("model-round");
    let deep = vec!["Level"; 5_000].join("/");
    let long_name = "Payments-".repeat(40); // 360 characters
    report(&round, "alpha", |wb| wb.org = Some(val(deep.clone())));
    report(&round, "beta", |wb| {
        wb.team = val(long_name.clone());
        metric_mut(wb, "Revenue").name = val("Revenue".to_string());
    });
    // The most a path and a name may be are fine.
    let twelve = (1..=12)
        .map(|i| format!("L{i}"))
        .collect::<Vec<_>>()
        .join("/");
    let longest = "G".repeat(300);
    report(&round, "gamma", |wb| {
        wb.org = Some(val(twelve.clone()));
        wb.team = val(longest.clone());
    });
    let check = op1(&round, &["check", ".", "--format", "json"]);
    check.expect_code(1);
    let found = findings(&check.stdout);
    let bad: Vec<&serde_json::Value> = found.iter().filter(|f| f["rule"] == "bad-value").collect();
    assert_eq!(bad.len(), 2, "{}", check.stdout);
    let org = bad.iter().find(|f| f["file"] == "alpha.xlsx").unwrap();
    let message = org["message"].as_str().unwrap();
    assert!(message.contains("5,000 levels"), "{message}");
    assert!(message.contains("\"Level/Level/Level/"), "{message}");
    assert!(message.contains("at most 12"), "{message}");
    assert!(
        message.len() < 400,
        "the value is quoted by its start: {message}"
    );
    assert_eq!(org["sheet"], "Team");
    let name = bad.iter().find(|f| f["file"] == "beta.xlsx").unwrap();
    let message = name["message"].as_str().unwrap();
    assert!(message.contains("360 characters"), "{message}");
    assert!(message.contains("up to 300"), "{message}");
    assert!(message.len() < 400, "{message}");
    // Twelve levels and 300 characters are within the limits: no finding
    // on gamma's Team sheet.
    assert!(
        !found
            .iter()
            .any(|f| f["file"] == "gamma.xlsx" && f["sheet"] == "Team"),
        "{}",
        check.stdout
    );

    // Packed without the two, gamma's twelve levels roll up, and nothing
    // written holds the 5,000-level path.
    op1(&round, &["pack", ".", "--out", "out", "--allow-partial"]).expect_code(1);
    let rollup = std::fs::read_to_string(round.join("out/rollup.csv")).unwrap();
    assert!(rollup.contains(&twelve), "{rollup}");
    for entry in walk_files(&round.join("out")) {
        let bytes = std::fs::read(&entry).unwrap();
        assert!(
            bytes.len() < 2_000_000,
            "{} is {} bytes",
            entry.display(),
            bytes.len()
        );
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains(
            "Level/Level/Level/Level/Level/Level/Level/Level/Level/Level/Level/Level/Level"
        ));
    }
}

#[cfg(unix)]
#[test]
fn the_folder_walk_reads_regular_files_once_and_follows_no_link_out_of_the_round() {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().unwrap();
    let (_fixture, round) = copy_fixture("model-round");
    let round = {
        let moved = tmp.path().join("round");
        std::fs::rename(&round, &moved).unwrap();
        moved
    };
    // Two links that lead back into the round: once exponential.
    symlink(&round, round.join("loop-a")).unwrap();
    symlink(round.join("loop-a"), round.join("loop-b")).unwrap();
    // A link to a device named like a workbook: once 4.9 GB in 8 s.
    symlink("/dev/zero", round.join("zero.xlsx")).unwrap();
    // A FIFO named like a workbook: once a hang for ever.
    let made = std::process::Command::new("mkfifo")
        .arg(round.join("pipe.xlsx"))
        .status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    // A link to a file outside the round: once quoted into every output.
    let secret = tmp.path().join("passwd");
    std::fs::write(&secret, "root:x:0:0:SECRET-LINE\n").unwrap();
    symlink(&secret, round.join("passwd.xlsx")).unwrap();
    // A link to a folder outside the round.
    std::fs::create_dir(tmp.path().join("elsewhere")).unwrap();
    std::fs::copy(
        round.join("alpha.xlsx"),
        tmp.path().join("elsewhere/outsider.xlsx"),
    )
    .unwrap();
    symlink(tmp.path().join("elsewhere"), round.join("elsewhere")).unwrap();

    let check = op1_within(&round, &["check", ".", "--format", "json"], 120);
    let found = findings(&check.stdout);
    let files: Vec<&str> = found.iter().filter_map(|f| f["file"].as_str()).collect();
    // The three workbooks, each once, and nothing from outside.
    assert!(!files.iter().any(|f| f.contains("loop-")), "{files:?}");
    assert!(!check.stdout.contains("outsider"), "{}", check.stdout);
    assert!(!check.stdout.contains("SECRET"), "{}", check.stdout);
    let outside: Vec<&str> = found
        .iter()
        .filter(|f| f["rule"] == "link-outside")
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(
        outside,
        ["elsewhere", "passwd.xlsx", "zero.xlsx"],
        "{}",
        check.stdout
    );
    let pipe = found
        .iter()
        .find(|f| f["file"] == "pipe.xlsx")
        .unwrap_or_else(|| panic!("{}", check.stdout));
    assert_eq!(pipe["rule"], "file-unreadable");
    assert!(
        pipe["message"]
            .as_str()
            .unwrap()
            .contains("a named pipe (FIFO), not a file"),
        "{pipe}"
    );
    let text = op1_within(&round, &["check", ".", "-v"], 120);
    // alpha, beta, gamma and the pipe, which is named unreadable.
    assert!(text.stdout.contains("4 files read"), "{}", text.stdout);

    // With --follow-links the links are followed, still only to regular
    // files, and what is not a spreadsheet is named without quoting it.
    let follow = op1_within(
        &round,
        &["check", ".", "--follow-links", "--format", "json"],
        120,
    );
    let found = findings(&follow.stdout);
    assert!(!follow.stdout.contains("SECRET"), "{}", follow.stdout);
    assert!(!found.iter().any(|f| f["rule"] == "link-outside"));
    let message = |file: &str| {
        found
            .iter()
            .find(|f| f["file"] == file)
            .unwrap_or_else(|| panic!("{file}: {}", follow.stdout))["message"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(message("zero.xlsx").contains("a device, not a file"));
    assert!(message("passwd.xlsx").contains("plain text, not a workbook"));
    assert!(follow.stdout.contains("outsider.xlsx"), "{}", follow.stdout);
}

#[test]
fn a_users_own_files_in_the_output_folder_are_never_replaced_without_force() {
    let (_tmp, round) = copy_fixture("model-round");
    let mine = round.parent().unwrap().join("mine");
    std::fs::create_dir_all(mine.join("charts")).unwrap();
    let own = [
        ("document.md", "my own notes"),
        ("rollup.csv", "my,own,table"),
        ("manifest.json", "{\"mine\": true}"),
        ("charts/bridge.png", "my picture"),
        ("notes.txt", "kept whatever happens"),
    ];
    for (name, text) in own {
        std::fs::write(mine.join(name), text).unwrap();
    }
    let listing = |dir: &std::path::Path| {
        let mut files: Vec<_> = walk_files(dir)
            .into_iter()
            .map(|p| (p.clone(), std::fs::read(&p).unwrap()))
            .collect();
        files.sort();
        files
    };
    let before = listing(&mine);
    let refused = op1(&round, &["pack", ".", "--out", "../mine"]);
    refused.expect_code(2);
    for name in [
        "document.md",
        "rollup.csv",
        "manifest.json",
        "charts/bridge.png",
    ] {
        assert!(refused.stderr.contains(name), "{name}: {}", refused.stderr);
    }
    assert!(refused.stderr.contains("--force"), "{}", refused.stderr);
    assert!(!refused.stderr.contains("notes.txt"), "{}", refused.stderr);
    assert_eq!(listing(&mine), before, "nothing in the folder changed");
    // So are checkpoint, feedback and diff --out.
    let checkpoint = op1(&round, &["checkpoint", ".", "--out", "../mine"]);
    checkpoint.expect_code(2);
    assert!(
        checkpoint.stderr.contains("\"manifest.json\""),
        "{}",
        checkpoint.stderr
    );
    let diff = op1(&round, &["diff", ".", ".", "--out", "../mine"]);
    diff.expect_code(2);
    assert!(
        diff.stderr.contains("\"charts/bridge.png\""),
        "{}",
        diff.stderr
    );
    assert_eq!(listing(&mine), before, "nothing in the folder changed");
    std::fs::write(mine.join("payments.xlsx"), "a workbook of mine").unwrap();
    let feedback = op1(&round, &["feedback", ".", "--out", "../mine"]);
    feedback.expect_code(2);
    assert!(
        feedback.stderr.contains("payments.xlsx"),
        "{}",
        feedback.stderr
    );
    std::fs::remove_file(mine.join("payments.xlsx")).unwrap();
    std::fs::remove_dir_all(mine.join("charts")).ok();

    // --force replaces them; the folder is then op1's, and a second run
    // needs no --force. A note the user adds beside it stays.
    std::fs::create_dir_all(mine.join("charts")).unwrap();
    std::fs::write(mine.join("charts/bridge.png"), "my picture").unwrap();
    op1(&round, &["pack", ".", "--out", "../mine", "--force"]).expect_code(0);
    assert_ne!(
        std::fs::read(mine.join("document.md")).unwrap(),
        b"my own notes"
    );
    std::fs::write(mine.join("my-summary.md"), "mine").unwrap();
    op1(&round, &["pack", ".", "--out", "../mine"]).expect_code(0);
    assert_eq!(
        std::fs::read(mine.join("notes.txt")).unwrap(),
        b"kept whatever happens"
    );
    assert_eq!(std::fs::read(mine.join("my-summary.md")).unwrap(), b"mine");
}

#[test]
fn names_that_look_alike_are_one_team_or_a_confusable_warning() {
    let (_tmp, round) = copy_fixture("model-round");
    for extra in ["delta", "epsilon"] {
        std::fs::copy(
            round.join("alpha.xlsx"),
            round.join(format!("{extra}.xlsx")),
        )
        .unwrap();
    }
    let names = [
        ("alpha", "Payments"),
        ("beta", "P\u{430}yments"),    // a Cyrillic а
        ("gamma", "Pay\u{200b}ments"), // a zero-width space
        ("delta", "Z\u{fc}rich"),      // ü composed (NFC)
        ("epsilon", "Zu\u{308}rich"),  // u + combining diaeresis (NFD)
    ];
    for (file, name) in names {
        report(&round, file, |wb| wb.team = val(name.to_string()));
    }
    let check = op1(&round, &["check", ".", "--format", "json"]);
    let found = findings(&check.stdout);
    let on = |rule: &str| -> Vec<String> {
        let mut files: Vec<String> = found
            .iter()
            .filter(|f| f["rule"] == rule)
            .map(|f| f["file"].as_str().unwrap().to_string())
            .collect();
        files.sort();
        files
    };
    // Invisible characters and Unicode forms set aside, one team each.
    assert_eq!(
        on("duplicate-team"),
        ["alpha.xlsx", "delta.xlsx", "epsilon.xlsx", "gamma.xlsx"],
        "{}",
        check.stdout
    );
    let zurich = found
        .iter()
        .find(|f| f["rule"] == "duplicate-team" && f["file"] == "delta.xlsx")
        .unwrap();
    let message = zurich["message"].as_str().unwrap();
    assert!(message.contains("epsilon.xlsx"), "{message}");
    assert!(message.contains("how an accent is encoded"), "{message}");
    // The Cyrillic а is another name that looks the same: a warning on it
    // and on both Payments, each naming the other and the letter.
    assert_eq!(
        on("name-confusable"),
        ["alpha.xlsx", "beta.xlsx", "gamma.xlsx"],
        "{}",
        check.stdout
    );
    let beta = found
        .iter()
        .find(|f| f["rule"] == "name-confusable" && f["file"] == "beta.xlsx")
        .unwrap();
    assert_eq!(beta["severity"], "warning");
    let message = beta["message"].as_str().unwrap();
    assert!(
        message.contains("alpha.xlsx") && message.contains("gamma.xlsx"),
        "{message}"
    );
    assert!(
        message.contains("U+0430") && message.contains("U+0061"),
        "{message}"
    );
}
