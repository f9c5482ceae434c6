//! Writes large but valid rounds, to show that op1 stays bounded on them
//! (BENCHMARKS.md, "Large but valid inputs"):
//!
//! ```text
//! cargo run --release --example make_large -- --case metrics --out /tmp/large-metrics
//! cargo run --release --example make_large -- --case goals   --out /tmp/large-goals
//! cargo run --release --example make_large -- --case text    --out /tmp/large-text
//! ```
//!
//! - `metrics`: one team with 5,000 metrics (and a second, ordinary team);
//! - `goals`: 2,000 shared goals — 200 teams, each owning 20 with its
//!   neighbours, every goal listed by both owners;
//! - `text`: 20 teams whose every register cell and narrative paragraph is
//!   32,767 characters (Excel's limit);
//! - `cell`: one ordinary team and one whose single cell `--field` (team,
//!   org, org-levels, metric, resource, assumption, commentary, paragraph)
//!   holds `--size` characters (`org-levels`: as many as `a/a/a/…`, one
//!   level per two characters),
//!   for `benches/one-cell.sh`, which shows that no single cell makes op1's
//!   work grow faster than linearly.
//!
//! Each team is the clean generated team of `fixtures/clean-round` re-issued
//! in op1's layout with the change, so every round is checklist-clean apart
//! from the warnings the size itself brings (e.g. too many assumptions).

use op1::plan::{Goal, Metric, Pos, SheetKind, TeamWorkbook, Val};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let (mut case, mut out) = (String::new(), PathBuf::new());
    let (mut field, mut size) = (String::new(), 0usize);
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match (a.as_str(), args.next()) {
            ("--case", Some(v)) => case = v,
            ("--out", Some(v)) => out = v.into(),
            ("--field", Some(v)) => field = v,
            ("--size", Some(v)) => size = v.parse().unwrap_or(0),
            _ => {
                eprintln!("usage: make_large --case metrics|goals|text|cell [--field F --size N] --out DIR");
                return ExitCode::from(2);
            }
        }
    }
    let result = match case.as_str() {
        "metrics" => metrics(&out),
        "goals" => goals(&out),
        "text" => text(&out),
        "cell" => cell(&out, &field, size),
        _ => Err("--case must be metrics, goals, text or cell".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("make_large: {e}");
            ExitCode::FAILURE
        }
    }
}

type Res = Result<(), Box<dyn std::error::Error>>;

/// The clean base team, read back from the committed fixture.
fn base() -> Result<TeamWorkbook, Box<dyn std::error::Error>> {
    let path = Path::new("fixtures/clean-round/consumer/team-00001.xlsx");
    let input = op1::discover::InputFile {
        display: path.display().to_string(),
        ..op1::discover::InputFile::new(path)
    };
    let (read, findings) = op1::read::read_file(&input, &op1::settings::Settings::default());
    read.workbook
        .ok_or_else(|| format!("{} does not read: {findings:?}", path.display()).into())
}

/// A value as if read (the writer lays it out; the position is not used).
fn val<T>(value: T) -> Val<T> {
    Val {
        value,
        pos: Pos {
            sheet: SheetKind::Plan,
            row: 0,
            col: 0,
        },
    }
}

fn named(name: &str) -> Result<TeamWorkbook, Box<dyn std::error::Error>> {
    let mut wb = base()?;
    wb.team.value = name.to_string();
    wb.goals.clear();
    Ok(wb)
}

fn save(dir: &Path, stem: &str, wb: &TeamWorkbook) -> Res {
    std::fs::create_dir_all(dir)?;
    op1::template::write_filled(&dir.join(format!("{stem}.xlsx")), wb)?;
    Ok(())
}

fn settings(dir: &Path) -> Res {
    std::fs::write(
        dir.join("op1.toml"),
        "reporting_currency = \"USD\"\n[fx]\nEUR = 1.08\nGBP = 1.27\n[funding]\nbudget = 5_000_000\nobjective = \"Revenue\"\n[limits]\nmax_rows = 10000\n",
    )?;
    Ok(())
}

fn metrics(dir: &Path) -> Res {
    let mut wb = named("Wide Team")?;
    let template: Metric = wb.metrics[0].clone();
    for i in 0..5_000 - wb.metrics.len() {
        let mut m = template.clone();
        m.name = val(format!("Metric {i:04}"));
        let scale = 1.0 + (i % 97) as f64 / 100.0;
        for v in [
            &mut m.ly_target,
            &mut m.ly_actual,
            &mut m.flat,
            &mut m.investment,
        ]
        .into_iter()
        .flatten()
        {
            v.value *= scale;
        }
        wb.metrics.push(m);
    }
    save(dir, "wide-team", &wb)?;
    save(dir, "ordinary-team", &named("Ordinary Team")?)?;
    settings(dir)
}

fn goals(dir: &Path) -> Res {
    const TEAMS: usize = 200;
    const EACH: usize = 20;
    let team = |i: usize| format!("Team {:03}", i % TEAMS);
    let mut books: Vec<TeamWorkbook> = (0..TEAMS)
        .map(|i| named(&team(i)))
        .collect::<Result<_, _>>()?;
    // Goal g is owned by teams g % 200 and (g + 1 + g / 200) % 200.
    for g in 0..TEAMS * EACH / 2 {
        let (a, b) = (g % TEAMS, (g + 1 + g / TEAMS) % TEAMS);
        if a == b {
            continue;
        }
        let goal = Goal {
            id: val(format!("S2-{g:04}")),
            goal: Some(val(format!("Shared goal {g}"))),
            owners: Some(val(format!("{} + {}", team(a), team(b)))),
            owner_list: vec![team(a), team(b)],
            due: Some(val("Q4 FY27".into())),
            metric: Some(val("Revenue".into())),
            target: Some(val("1000000".into())),
            status: None,
            status_note: None,
        };
        books[a].goals.push(goal.clone());
        books[b].goals.push(goal);
    }
    for (i, wb) in books.iter().enumerate() {
        save(dir, &format!("team-{i:03}"), wb)?;
    }
    settings(dir)
}

fn text(dir: &Path) -> Res {
    let long = |seed: usize| -> String {
        let word = [
            "plan", "risk", "budget", "team", "quarter", "ship", "measure",
        ];
        let mut s = String::with_capacity(32_767);
        let mut i = seed;
        while s.len() < 32_767 - 10 {
            s.push_str(word[i % word.len()]);
            s.push(' ');
            i += 3;
        }
        s.truncate(32_767);
        s
    };
    for t in 0..20 {
        let mut wb = named(&format!("Verbose {t:02}"))?;
        for a in &mut wb.assumptions {
            a.value = long(t);
        }
        for a in &mut wb.asks {
            a.ask.value = long(t + 1);
            for f in [&mut a.kind, &mut a.needed_by, &mut a.if_delayed]
                .into_iter()
                .flatten()
            {
                f.value = long(t + 2);
            }
        }
        for r in &mut wb.risks {
            r.risk.value = long(t + 3);
            if let Some(m) = &mut r.mitigation {
                m.value = long(t + 4);
            }
        }
        for i in &mut wb.ideas {
            i.question.value = long(t + 5);
            if let Some(a) = &mut i.answer {
                a.value = long(t + 6);
            }
        }
        for s in &mut wb.narrative {
            for p in &mut s.paragraphs {
                p.value = long(t + 7);
            }
        }
        save(dir, &format!("verbose-{t:02}"), &wb)?;
    }
    settings(dir)
}

/// One ordinary team and one whose cell `field` holds `size` characters.
fn cell(dir: &Path, field: &str, size: usize) -> Res {
    let long: String = "abcdefghij".chars().cycle().take(size).collect();
    let mut wb = named("One Cell")?;
    match field {
        "team" => wb.team.value = long,
        "org" => wb.org = Some(val(long)),
        "org-levels" => wb.org = Some(val(vec!["a"; size.div_ceil(2)].join("/"))),
        // The last metric and resource: not the objective, not Headcount.
        "metric" => {
            if let Some(m) = wb.metrics.last_mut() {
                m.name.value = long;
            }
        }
        "resource" => {
            if let Some(r) = wb.resources.last_mut() {
                r.name.value = long;
            }
        }
        "assumption" => wb.assumptions[0].value = long,
        "commentary" => wb.metrics[0].commentary = Some(val(long)),
        "paragraph" => wb.narrative[0].paragraphs[0].value = long,
        _ => return Err(format!("unknown --field {field}").into()),
    }
    save(dir, "one-cell", &wb)?;
    save(dir, "ordinary-team", &named("Ordinary Team")?)?;
    settings(dir)
}
