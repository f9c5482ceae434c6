//! Writes `fixtures/round-fy27-q2`: the sample round after Q2 — every team's
//! workbook re-issued with the checkpoint columns (as `op1 template --from
//! FILE --checkpoint` does) and Q1–Q2 actuals near its approved plan, with
//! the checkpoint's problems planted once each (see PLANTED.md, written
//! alongside).
//!
//! ```text
//! cargo run --example make_checkpoint_round -- [--from fixtures/round-fy27] [--out fixtures/round-fy27-q2]
//! ```
//!
//! Deterministic: the actuals come from the plan and a hash of the team,
//! metric and quarter, not from a clock or a random seed.

use op1::model::{self, FundingParams};
use op1::plan::{GoalStatus, Pos, Quarters, Rollup, SheetKind, TeamWorkbook, Val};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The metric with a phasing in the round's settings (the others are even).
const PHASED: (&str, [f64; 4]) = ("Revenue", [0.20, 0.23, 0.25, 0.32]);

fn main() -> ExitCode {
    let mut from = PathBuf::from("fixtures/round-fy27");
    let mut out = PathBuf::from("fixtures/round-fy27-q2");
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match (a.as_str(), args.next()) {
            ("--from", Some(v)) => from = v.into(),
            ("--out", Some(v)) => out = v.into(),
            _ => {
                eprintln!("usage: make_checkpoint_round [--from DIR] [--out DIR]");
                return ExitCode::from(2);
            }
        }
    }
    match run(&from, &out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("make_checkpoint_round: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(from: &Path, out: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let checked = op1::run::check_inputs(&[from.to_path_buf()], None)?;
    let settings = &checked.settings;
    let included: Vec<&TeamWorkbook> = checked.round.workbooks().collect();
    let (m, _) = model::build(
        &included,
        settings,
        &FundingParams::decide((None, None), settings, &included)?,
    )?;
    let teams = model::strings(&m.funding, "team")?;
    let funded_flags = model::bools(&m.funding, "funded")?;
    let funded: BTreeSet<&str> = teams
        .iter()
        .zip(&funded_flags)
        .filter(|(_, f)| **f == Some(true))
        .map(|(t, _)| t.as_str())
        .collect();
    if out.exists() {
        std::fs::remove_dir_all(out)?;
    }
    for file in &checked.round.files {
        let Some(wb) = &file.workbook else { continue };
        let mut wb = wb.clone();
        let is_funded = funded.contains(wb.name());
        report_q1_q2(&mut wb, is_funded);
        plant(&mut wb);
        let rel = Path::new(&file.input.display)
            .strip_prefix(from)
            .unwrap_or(Path::new(&file.input.display))
            .with_extension("xlsx");
        let path = out.join(rel);
        std::fs::create_dir_all(path.parent().unwrap_or(out))?;
        op1::template::write_reissued(&path, &wb, true)?;
    }
    let toml = std::fs::read_to_string(from.join("op1.toml"))?;
    let toml = toml.replace(
        "# OP1 FY27 sample round.",
        "# OP1 FY27 sample round after Q2.",
    );
    std::fs::write(
        out.join("op1.toml"),
        format!(
            "{toml}\n[checkpoint.phasing]\n\"{}\" = {:?}\n",
            PHASED.0, PHASED.1
        ),
    )?;
    std::fs::write(out.join("PLANTED.md"), PLANTED)?;
    println!("wrote the sample round after Q2 to {}", out.display());
    Ok(())
}

/// A deterministic factor in [1 − spread, 1 + spread] for a team, row and quarter.
fn wobble(team: &str, row: &str, quarter: usize, spread: f64) -> f64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in team.bytes().chain(row.bytes()).chain([quarter as u8]) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    let unit = (h >> 11) as f64 / (1u64 << 53) as f64;
    1.0 + spread * (2.0 * unit - 1.0)
}

fn at(row: u32) -> Pos {
    Pos {
        sheet: SheetKind::Plan,
        row,
        col: 0,
    }
}

fn quarters(values: &[f64], row: u32) -> Quarters {
    let mut q: Quarters = Default::default();
    for (i, v) in values.iter().enumerate() {
        q[i] = Some(Val {
            value: (v * 100.0).round() / 100.0,
            pos: at(row),
        });
    }
    q
}

/// Q1 and Q2 near the approved plan (Investment when funded, else Flat).
fn report_q1_q2(wb: &mut TeamWorkbook, funded: bool) {
    let team = wb.name().to_string();
    for m in &mut wb.metrics {
        let plan = if funded { &m.investment } else { &m.flat };
        let Some(plan) = plan.as_ref().map(|v| v.value) else {
            continue;
        };
        let w = if m.name.value == PHASED.0 {
            PHASED.1
        } else {
            [0.25; 4]
        };
        let row = m.name.pos.row;
        let name = m.name.value.clone();
        let values: Vec<f64> = (0..2)
            .map(|i| match m.rollup {
                Rollup::Sum => plan * w[i] * wobble(&team, &name, i, 0.012),
                _ => plan * wobble(&team, &name, i, 0.004),
            })
            .collect();
        m.quarters = quarters(&values, row);
    }
    for r in &mut wb.resources {
        let approved = if funded { &r.investment } else { &r.flat };
        let Some(approved) = approved.as_ref().map(|v| v.value) else {
            continue;
        };
        let values: Vec<f64> = if r.is_headcount() {
            let ly = r.ly.as_ref().map_or(approved, |v| v.value);
            vec![ly.min(approved), approved]
        } else {
            (0..2)
                .map(|i| approved * 0.25 * wobble(&team, &r.name.value, i, 0.01))
                .collect()
        };
        r.quarters = quarters(&values, r.name.pos.row);
    }
    for g in &mut wb.goals {
        g.status = Some(Val {
            value: GoalStatus::OnTrack,
            pos: g.id.pos,
        });
    }
}

/// The checkpoint's problems, one each (PLANTED.md lists them).
fn plant(wb: &mut TeamWorkbook) {
    let note = |text: &str, row: u32| {
        Some(Val {
            value: text.to_string(),
            pos: at(row),
        })
    };
    let metric = |wb: &mut TeamWorkbook, name: &str| -> Option<usize> {
        wb.metrics.iter().position(|m| m.name.value == name)
    };
    match wb.name() {
        // Late: Q2 not reported.
        "Mobile" => {
            for m in &mut wb.metrics {
                m.quarters[1] = None;
            }
            for r in &mut wb.resources {
                r.quarters[1] = None;
            }
        }
        // Green after Q1, red after Q2.
        "Growth" => {
            if let Some(i) = metric(wb, "Revenue") {
                let m = &mut wb.metrics[i];
                if let Some(q2) = &mut m.quarters[1] {
                    q2.value = (q2.value * 0.3).round();
                }
                m.commentary = note("Two enterprise launches slipped out of Q2.", m.name.pos.row);
            }
        }
        // A Forecast far from both projections.
        "Payments" => {
            if let Some(i) = metric(wb, "Revenue") {
                let m = &mut wb.metrics[i];
                let plan = m.flat.as_ref().map_or(0.0, |v| v.value);
                m.forecast = Some(Val {
                    value: (plan * 2.0).round(),
                    pos: at(m.name.pos.row),
                });
            }
            set_status(wb, "S2-06", GoalStatus::OnTrack);
        }
        // The other owner of S2-06 sees it at risk.
        "Marketplace" => set_status(wb, "S2-06", GoalStatus::AtRisk),
        // Five heads above the approved headcount at Q2's end.
        "Data" => {
            if let Some(r) = wb.resources.iter_mut().find(|r| r.is_headcount()) {
                if let Some(q2) = &mut r.quarters[1] {
                    q2.value += 5.0;
                }
            }
        }
        // A plan cell edited after approval.
        "Infra" => {
            if let Some(i) = metric(wb, "Revenue") {
                if let Some(v) = &mut wb.metrics[i].investment {
                    v.value = (v.value * 1.05).round();
                }
            }
        }
        _ => {}
    }
    // S2-05's milestone moved to April and is not delivered: overdue at Q2.
    for g in wb.goals.iter_mut().filter(|g| g.id.value == "S2-05") {
        if let Some(due) = &mut g.due {
            due.value = "2027-04-30".into();
        }
    }
}

fn set_status(wb: &mut TeamWorkbook, id: &str, status: GoalStatus) {
    for g in wb.goals.iter_mut().filter(|g| g.id.value == id) {
        g.status = Some(Val {
            value: status,
            pos: g.id.pos,
        });
    }
}

const PLANTED: &str = "# Planted problems in the sample round after Q2

Generated by `cargo run --example make_checkpoint_round` from `fixtures/round-fy27`
(do not edit by hand): every team's workbook re-issued with the checkpoint columns
(plan columns protected, as `op1 template --from FILE --checkpoint` does) and Q1–Q2
actuals near its approved plan (Investment for a funded team, Flat otherwise; Revenue
phased 20/23/25/32% in `op1.toml`, everything else even). Checked against the pack of
`fixtures/round-fy27` as the approved plan:

```sh
op1 pack fixtures/round-fy27 --out approved/
op1 checkpoint fixtures/round-fy27-q2 --plan approved/ --out q2/
```

| rule | team | what |
|---|---|---|
| `actuals-missing` | Mobile | Q2 not reported for any metric (the round is at Q2): no actual to date, no status |
| `status-jump` | Growth | Revenue on plan in Q1 (green), Q2 at 30% of it (red) |
| `forecast-outlier` | Payments | Revenue Forecast twice the Flat plan, far above both projections |
| `overcommitted` | Data | Headcount at Q2's end five above the approved headcount |
| `s2-status-mismatch` | Payments, Marketplace | S2-06: on track vs at risk |
| `goal-overdue` | Data, Infra | S2-05 (their shared goal) due 2027-04-30, still on track at Q2 |
| `plan-changed` | Infra | Revenue Investment 5% higher than approved |

The round's own checklist findings (PLANTED.md of the round) are still there.
";
