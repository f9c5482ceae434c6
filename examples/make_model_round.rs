//! Writes `fixtures/model-round/`: three small teams whose model results are
//! computed by hand in `tests/op1/model.rs` (two currencies, a lower-is-better
//! metric, a `%` metric with mean roll-up, one team with no incremental budget).
//!
//! `cargo run --example make_model_round -- fixtures/model-round`

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook, XlsxError};
use std::path::Path;

/// Metric, unit, better, LY Target, LY Actual, Baseline (None = blank), Flat, Investment, Why.
type MetricRow = (
    &'static str,
    &'static str,
    &'static str,
    f64,
    f64,
    Option<f64>,
    f64,
    f64,
    &'static str,
);

struct Team {
    file: &'static str,
    name: &'static str,
    org: &'static str,
    currency: &'static str,
    metrics: Vec<MetricRow>,
    /// Resource, LY, Flat, Investment.
    resources: Vec<(&'static str, f64, f64, f64)>,
}

fn teams() -> Vec<Team> {
    vec![
        Team {
            file: "alpha.xlsx",
            name: "Alpha",
            org: "Core/Alpha",
            currency: "USD",
            metrics: vec![
                (
                    "Revenue",
                    "USD",
                    "higher",
                    1_000_000.0,
                    900_000.0,
                    None,
                    1_000_000.0,
                    1_500_000.0,
                    "Launch slipped a quarter",
                ),
                (
                    "Operating cost",
                    "USD",
                    "lower",
                    380_000.0,
                    400_000.0,
                    Some(400_000.0),
                    400_000.0,
                    450_000.0,
                    "Vendor price rise",
                ),
                (
                    "Gross margin",
                    "%",
                    "higher",
                    0.40,
                    0.40,
                    Some(0.40),
                    0.42,
                    0.45,
                    "",
                ),
            ],
            resources: vec![
                ("Headcount", 10.0, 10.0, 14.0),
                ("Budget", 1_000_000.0, 1_000_000.0, 1_400_000.0),
            ],
        },
        Team {
            file: "beta.xlsx",
            name: "Beta",
            org: "Core/Beta",
            currency: "EUR",
            metrics: vec![
                (
                    "Revenue",
                    "EUR",
                    "higher",
                    480_000.0,
                    500_000.0,
                    Some(520_000.0),
                    550_000.0,
                    700_000.0,
                    "",
                ),
                (
                    "Operating cost",
                    "EUR",
                    "lower",
                    210_000.0,
                    200_000.0,
                    Some(205_000.0),
                    210_000.0,
                    190_000.0,
                    "",
                ),
                (
                    "Gross margin",
                    "%",
                    "higher",
                    0.30,
                    0.30,
                    Some(0.30),
                    0.31,
                    0.35,
                    "",
                ),
            ],
            resources: vec![
                ("Headcount", 5.0, 5.0, 7.0),
                ("Budget", 300_000.0, 300_000.0, 400_000.0),
            ],
        },
        Team {
            file: "gamma.xlsx",
            name: "Gamma",
            org: "Edge",
            currency: "USD",
            metrics: vec![
                (
                    "Revenue",
                    "USD",
                    "higher",
                    1_900_000.0,
                    2_000_000.0,
                    Some(2_050_000.0),
                    2_100_000.0,
                    2_200_000.0,
                    "",
                ),
                (
                    "Operating cost",
                    "USD",
                    "lower",
                    800_000.0,
                    800_000.0,
                    Some(800_000.0),
                    800_000.0,
                    780_000.0,
                    "",
                ),
                (
                    "Gross margin",
                    "%",
                    "higher",
                    0.50,
                    0.50,
                    Some(0.50),
                    0.50,
                    0.52,
                    "",
                ),
            ],
            resources: vec![
                ("Headcount", 20.0, 20.0, 20.0),
                ("Budget", 500_000.0, 500_000.0, 500_000.0),
            ],
        },
    ]
}

fn write_team(dir: &Path, t: &Team) -> Result<(), XlsxError> {
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new().set_creation_datetime(&ExcelDateTime::from_ymd(2026, 1, 1)?),
    );
    let ws = wb.add_worksheet().set_name("Team")?;
    for (row, (label, value)) in [
        ("Team", t.name),
        ("Owner", "Pat Lee"),
        ("Org", t.org),
        ("Currency", t.currency),
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(row as u32, 0, *label)?;
        ws.write_string(row as u32, 1, *value)?;
    }
    ws.write_string(4, 0, "Fiscal year")?;
    ws.write_number(4, 1, 2027)?;
    let ws = wb.add_worksheet().set_name("Plan")?;
    for (c, h) in [
        "Metric",
        "Unit",
        "Better",
        "LY Target",
        "LY Actual",
        "Baseline",
        "Flat",
        "Investment",
        "Why",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, c as u16, *h)?;
    }
    for (i, (m, unit, better, lyt, lya, base, flat, inv, why)) in t.metrics.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, *m)?;
        ws.write_string(r, 1, *unit)?;
        ws.write_string(r, 2, *better)?;
        ws.write_number(r, 3, *lyt)?;
        ws.write_number(r, 4, *lya)?;
        if let Some(b) = base {
            ws.write_number(r, 5, *b)?;
        }
        ws.write_number(r, 6, *flat)?;
        ws.write_number(r, 7, *inv)?;
        if !why.is_empty() {
            ws.write_string(r, 8, *why)?;
        }
    }
    let ws = wb.add_worksheet().set_name("Resources")?;
    for (c, h) in ["Resource", "LY", "Flat", "Investment"].iter().enumerate() {
        ws.write_string(0, c as u16, *h)?;
    }
    for (i, (name, ly, flat, inv)) in t.resources.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, *name)?;
        ws.write_number(r, 1, *ly)?;
        ws.write_number(r, 2, *flat)?;
        ws.write_number(r, 3, *inv)?;
    }
    let ws = wb.add_worksheet().set_name("Assumptions")?;
    ws.write_string(0, 0, "Assumption")?;
    for (i, a) in ["Prices hold", "Hiring lands by Q2", "No new regulation"]
        .iter()
        .enumerate()
    {
        ws.write_string(i as u32 + 1, 0, *a)?;
    }
    let ws = wb.add_worksheet().set_name("Asks")?;
    for (c, h) in ["Ask", "Kind", "Amount", "Needed by", "If delayed"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h)?;
    }
    ws.write_string(1, 0, "More engineers")?;
    ws.write_string(1, 1, "headcount")?;
    ws.write_number(1, 2, 2)?;
    ws.write_string(1, 3, "Q1")?;
    ws.write_string(1, 4, "The launch slips")?;
    let ws = wb.add_worksheet().set_name("Risks")?;
    for (c, h) in ["Risk", "Likelihood", "Impact", "Mitigation", "Owner"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h)?;
    }
    for (c, v) in [
        "Churn rises",
        "medium",
        "high",
        "Retention programme",
        "Pat Lee",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(1, c as u16, *v)?;
    }
    wb.save(dir.join(t.file))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "fixtures/model-round".to_string());
    let dir = Path::new(&dir);
    std::fs::create_dir_all(dir)?;
    for t in teams() {
        write_team(dir, &t)?;
    }
    std::fs::write(
        dir.join("op1.toml"),
        "reporting_currency = \"USD\"\nfiscal_year = 2027\n\n[fx]\nEUR = 1.10\n\n[funding]\nbudget = 500_000\nobjective = \"Revenue\"\n\n[ambition]\nmultiple = 10\nyears = 3\n",
    )?;
    println!("wrote {}", dir.display());
    Ok(())
}
