//! Writes `fixtures/rules/`: one workbook per checklist rule that the sample
//! round does not already plant, each tripping exactly that rule. Each is a
//! clean team from `fixtures/model-round` read by op1, changed in one way,
//! and written back with op1's own template writer.
//!
//! `cargo run --example make_rule_fixtures`

use op1::discover::InputFile;
use op1::plan::{Goal, Pos, SheetKind, TeamWorkbook, Val};
use op1::settings::Settings;
use std::path::Path;

fn read(path: &Path) -> TeamWorkbook {
    let input = InputFile {
        display: path.display().to_string(),
        ..InputFile::new(path)
    };
    let (read, findings) = op1::read::read_file(&input, &Settings::default());
    read.workbook
        .unwrap_or_else(|| panic!("{}: {findings:?}", path.display()))
}

fn text(value: &str) -> Val<String> {
    Val {
        value: value.to_string(),
        pos: Pos {
            sheet: SheetKind::Goals,
            row: 0,
            col: 0,
        },
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let out = root.join("rules");
    std::fs::create_dir_all(&out)?;
    let clean = read(&root.join("model-round/beta.xlsx"));

    // risks-count: no risks at all.
    let mut wb = clean.clone();
    wb.team.value = "No Risks".into();
    wb.risks.clear();
    op1::template::write_filled(&out.join("risks-count.xlsx"), &wb)?;

    // s2-owners: a shared goal with three owners, two of them not in the round.
    let mut wb = clean.clone();
    wb.team.value = "Three Owners".into();
    wb.goals = vec![Goal {
        id: text("S2-09"),
        goal: Some(text("One checkout for every market")),
        owners: Some(text("Three Owners + Ghost One + Ghost Two")),
        owner_list: vec![
            "Three Owners".into(),
            "Ghost One".into(),
            "Ghost Two".into(),
        ],
        due: Some(text("2027-09-30")),
        metric: Some(text("Markets live")),
        target: Some(text("12")),
        status: None,
        status_note: None,
    }];
    op1::template::write_filled(&out.join("s2-owners.xlsx"), &wb)?;

    std::fs::write(
        out.join("op1.toml"),
        "reporting_currency = \"USD\"\nfiscal_year = 2027\n\n[fx]\nEUR = 1.10\n",
    )?;
    println!("wrote {}", out.display());
    Ok(())
}
