//! Writes OP1 test fixtures: the curated sample round, large clean generated rounds and the bad-file set.
//!
//! ```text
//! cargo run --example make_round -- --out fixtures/round-fy27 --clean [--convert]
//! cargo run --release --example make_round -- --teams 1000 [--seed 7] --out /tmp/round-1k --clean
//! cargo run --example make_round -- --bad --out fixtures/bad --clean   # normally via fixtures/tools/make_bad.py
//! cargo run --example make_round -- --v2 --out fixtures/round-fy27-v2 --clean  # the sample round resubmitted
//! ```
//!
//! Every byte written is a function of the arguments alone (own PRNG, fixed document
//! dates), so regenerating a committed set reproduces it exactly. `--convert` re-saves two
//! sample teams with LibreOffice (`fixtures/tools/convert.sh`); without it the committed
//! `.ods`/`.xls` files are left as they are, so regenerating needs no LibreOffice.
//! See `fixtures/README.md`.

#[path = "support/narratives.rs"]
mod narratives;
#[path = "support/resubmission.rs"]
mod resubmission;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::str::FromStr;

use rust_xlsxwriter::utility::row_col_to_cell;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Formula, Workbook, Worksheet};

type Res<T = ()> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

const USAGE: &str =
    "usage: make_round [--teams N [--quarters Q]] [--seed S] [--bad] [--v2] [--convert] --out DIR [--clean]
  (no --teams)  write the curated sample round (fixtures/round-fy27)
  --teams N     write a clean generated round of N teams (1..=10000); --seed S varies it
  --v2          write the sample round resubmitted (fixtures/round-fy27-v2; needs fixtures/round-fy27)
  --bad         write the bad-file set (fixtures/bad; see fixtures/tools/make_bad.py)
  --convert     sample round only: re-save the .ods/.xls teams with LibreOffice
  --clean       empty DIR first (the sample round keeps its .ods/.xls unless --convert)
  --quarters Q  generated rounds: write Q1…Q Q actuals on the Plan sheet (1–4)";

const FISCAL_YEAR: f64 = 2027.0;
const SAMPLE_SEED: u64 = 2027;
const BAD_SEED: u64 = 404;
const CURRENCIES: [&str; 3] = ["USD", "EUR", "GBP"];
const ORGS: [&str; 6] = [
    "Consumer/Payments",
    "Consumer/Growth",
    "Enterprise/Sales EMEA",
    "Enterprise/Sales Americas",
    "Platform/Data",
    "Platform/Infra",
];
const PLAN_COLS: [&str; 10] = [
    "Metric",
    "Unit",
    "Better",
    "Rollup",
    "LY Target",
    "LY Actual",
    "Baseline",
    "Flat",
    "Investment",
    "Why",
];

fn main() -> ExitCode {
    let args = match Args::parse(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(msg) => {
            eprintln!("{msg}");
            return ExitCode::from(2);
        }
    };
    let result = if args.bad {
        write_bad_set(&args.out, args.clean)
    } else if args.v2 {
        resubmission::write_resubmitted_round(
            Path::new("fixtures/round-fy27"),
            &args.out,
            args.clean,
        )
    } else if let Some(teams) = args.teams {
        write_generated_round(
            &args.out,
            teams,
            args.seed,
            args.clean,
            args.quarters.min(4),
        )
    } else {
        write_sample_round(&args.out, args.clean, args.convert)
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("make_round: {err}");
            ExitCode::FAILURE
        }
    }
}

// ---------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------

struct Args {
    out: PathBuf,
    teams: Option<usize>,
    seed: u64,
    clean: bool,
    convert: bool,
    bad: bool,
    /// The sample round resubmitted (fixtures/round-fy27-v2).
    v2: bool,
    /// Generated rounds: quarters of actuals to write (0–4).
    quarters: usize,
}

impl Args {
    fn parse(mut it: impl Iterator<Item = String>) -> Result<Args, String> {
        let mut args = Args {
            out: PathBuf::new(),
            teams: None,
            seed: 1,
            clean: false,
            convert: false,
            bad: false,
            v2: false,
            quarters: 0,
        };
        while let Some(arg) = it.next() {
            match arg.as_str() {
                "--teams" => args.teams = Some(value(&mut it, "--teams")?),
                "--seed" => args.seed = value(&mut it, "--seed")?,
                "--out" => args.out = value::<String>(&mut it, "--out")?.into(),
                "--clean" => args.clean = true,
                "--convert" => args.convert = true,
                "--bad" => args.bad = true,
                "--v2" => args.v2 = true,
                "--quarters" => args.quarters = value(&mut it, "--quarters")?,
                "-h" | "--help" => {
                    println!("{USAGE}");
                    std::process::exit(0);
                }
                other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
            }
        }
        if args.out.as_os_str().is_empty() {
            return Err(format!("--out DIR is required\n{USAGE}"));
        }
        if let Some(n) = args.teams {
            if !(1..=10_000).contains(&n) {
                return Err(format!("--teams must be between 1 and 10000, got {n}"));
            }
        }
        Ok(args)
    }
}

fn value<T: FromStr>(it: &mut impl Iterator<Item = String>, flag: &str) -> Result<T, String> {
    let raw = it.next().ok_or(format!("{flag} needs a value"))?;
    raw.parse()
        .map_err(|_| format!("{flag}: bad value {raw:?}"))
}

// ---------------------------------------------------------------------------
// Deterministic randomness: splitmix64
// ---------------------------------------------------------------------------

struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// `n` distinct items, in random order.
    fn pick_n<'a, T>(&mut self, items: &'a [T], n: usize) -> Vec<&'a T> {
        let mut idx: Vec<usize> = (0..items.len()).collect();
        for i in 0..n.min(idx.len()) {
            let j = i + self.below(idx.len() - i);
            idx.swap(i, j);
        }
        idx[..n.min(items.len())]
            .iter()
            .map(|&i| &items[i])
            .collect()
    }
}

/// FNV-1a, to derive a per-team seed from its name.
fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Rounds `v` to a multiple of `step` (steps below 1 are 1/10, 1/100, …).
fn snap(v: f64, step: f64) -> f64 {
    if step >= 1.0 {
        (v / step).round() * step
    } else {
        let per = (1.0 / step).round();
        (v * per).round() / per
    }
}

// ---------------------------------------------------------------------------
// The team model
// ---------------------------------------------------------------------------

struct Metric {
    name: String,
    unit: String,
    better: &'static str,
    rollup: &'static str,
    ly_target: f64,
    ly_actual: f64,
    baseline: Option<f64>,
    flat: f64,
    investment: f64,
    why: String,
}

impl Metric {
    fn missed(&self) -> bool {
        if self.better == "higher" {
            self.ly_actual < self.ly_target
        } else {
            self.ly_actual > self.ly_target
        }
    }
}

struct Resource {
    name: &'static str,
    ly: f64,
    flat: f64,
    investment: f64,
}

struct Ask {
    ask: String,
    kind: &'static str,
    amount: Option<f64>,
    needed_by: Cell,
    if_delayed: String,
}

struct Risk {
    risk: String,
    likelihood: &'static str,
    impact: &'static str,
    mitigation: String,
    owner: String,
}

struct Goal {
    id: String,
    goal: String,
    owners: String,
    due: Cell,
    metric: String,
    target: Cell,
}

struct Team {
    name: String,
    owner: String,
    org: String,
    currency: String,
    fiscal_year: f64,
    metrics: Vec<Metric>,
    resources: Vec<Resource>,
    assumptions: Vec<String>,
    asks: Vec<Ask>,
    risks: Vec<Risk>,
    goals: Vec<Goal>,
    ideas: Vec<(String, String)>,
    /// The Narrative sheet: (section, paragraphs).
    narrative: Vec<(String, Vec<String>)>,
    /// Quarters of actuals the Plan sheet reports (0: none, the round's plan).
    quarters: usize,
}

impl Team {
    fn metric_mut(&mut self, name: &str) -> &mut Metric {
        self.metrics
            .iter_mut()
            .find(|m| m.name == name)
            .expect("metric")
    }

    fn resource_mut(&mut self, name: &str) -> &mut Resource {
        self.resources
            .iter_mut()
            .find(|r| r.name == name)
            .expect("resource")
    }

    fn resource_delta(&self, name: &str) -> Option<f64> {
        let r = self.resources.iter().find(|r| r.name == name)?;
        Some(r.investment - r.flat)
    }
}

// ---------------------------------------------------------------------------
// Numbers: clean by construction (investment beats flat, flat ≈ baseline)
// ---------------------------------------------------------------------------

/// A higher-is-better count or money metric around `actual`.
fn growth_metric(rng: &mut Rng, name: &str, unit: &str, actual: f64, step: f64) -> Metric {
    let ly_actual = snap(actual, step);
    let ly_target = snap(ly_actual * rng.range(0.95, 1.07), step);
    let baseline = snap(ly_actual * rng.range(1.0, 1.04), step);
    let flat = snap(baseline * rng.range(1.02, 1.08), step);
    let investment = snap(flat * rng.range(1.12, 1.4), step).max(flat + step);
    let rollup = if unit == "%" { "mean" } else { "sum" };
    metric(
        name,
        unit,
        "higher",
        rollup,
        [ly_target, ly_actual, baseline, flat, investment],
    )
}

/// Operating cost: lower is better; the investment track buys efficiency.
fn cost_metric(rng: &mut Rng, currency: &str, actual: f64) -> Metric {
    let step = 10_000.0;
    let ly_actual = snap(actual, step);
    let ly_target = snap(ly_actual * rng.range(0.95, 1.05), step);
    let baseline = snap(ly_actual * rng.range(1.01, 1.04), step);
    let flat = snap(baseline * rng.range(0.985, 1.01), step);
    let investment = snap(flat * rng.range(0.93, 0.98), step).min(flat - step);
    let values = [ly_target, ly_actual, baseline, flat, investment];
    metric("Operating cost", currency, "lower", "sum", values)
}

/// A `%` metric (0.42 = 42%): offsets scale with `spread` (1 for margins, 0.02 for uptime).
fn ratio_metric(rng: &mut Rng, name: &str, actual: f64, spread: f64, step: f64) -> Metric {
    let ly_actual = snap(actual, step);
    let ly_target = snap(ly_actual + spread * rng.range(-0.03, 0.02), step);
    let baseline = snap(ly_actual + spread * rng.range(-0.005, 0.005), step);
    let flat = snap(baseline + spread * rng.range(0.002, 0.015), step);
    let investment = snap(flat + spread * rng.range(0.01, 0.04), step).max(flat + step);
    let values = [ly_target, ly_actual, baseline, flat, investment].map(|v| v.min(0.9999));
    metric(name, "%", "higher", "mean", values)
}

/// `values`: LY Target, LY Actual, Baseline, Flat, Investment.
fn metric(
    name: &str,
    unit: &str,
    better: &'static str,
    rollup: &'static str,
    values: [f64; 5],
) -> Metric {
    let [ly_target, ly_actual, baseline, flat, investment] = values;
    Metric {
        name: name.into(),
        unit: unit.into(),
        better,
        rollup,
        ly_target,
        ly_actual,
        baseline: Some(baseline),
        flat,
        investment,
        why: String::new(),
    }
}

fn standard_metrics(rng: &mut Rng, currency: &str, revenue: f64, customers: f64) -> Vec<Metric> {
    let cost = (revenue * rng.range(0.3, 0.55)).clamp(1.0e6, 1.98e7);
    let margin = rng.range(0.35, 0.75);
    vec![
        growth_metric(rng, "Revenue", currency, revenue, 10_000.0),
        cost_metric(rng, currency, cost),
        // Finance weights margins by revenue (contract v2's weighted roll-up).
        Metric {
            rollup: "weighted by Revenue",
            ..ratio_metric(rng, "Gross margin", margin, 1.0, 0.001)
        },
        growth_metric(rng, "Active customers", "customers", customers, 100.0),
    ]
}

#[derive(Clone, Copy)]
enum Extra {
    Uptime,
    Tickets,
    NetCustomers,
}

fn extra_metric(rng: &mut Rng, extra: Extra) -> Metric {
    match extra {
        Extra::Uptime => {
            let uptime = rng.range(0.998, 0.9992);
            ratio_metric(rng, "Uptime", uptime, 0.02, 0.0001)
        }
        Extra::Tickets => {
            let tickets = rng.range(8_000.0, 60_000.0);
            growth_metric(rng, "Tickets resolved", "tickets", tickets, 100.0)
        }
        Extra::NetCustomers => {
            let mut m = metric(
                "Net customer change",
                "customers",
                "higher",
                "sum",
                [500.0, -300.0, 0.0, 200.0, 900.0],
            );
            m.baseline = None;
            m
        }
    }
}

/// Writes a Why for every LY miss and for some hits; blanks some baselines (= LY Actual).
fn explain(rng: &mut Rng, m: &mut Metric) {
    if m.missed() {
        m.why = rng.pick(miss_reasons(&m.name)).to_string();
    } else if rng.chance(0.35) {
        m.why = rng.pick(&HIT_REASONS).to_string();
    }
    if rng.chance(0.25) {
        m.baseline = None;
    }
}

fn miss_reasons(metric: &str) -> &'static [&'static str] {
    match metric {
        "Revenue" => &[
            "Missed: two enterprise deals slipped into the next year.",
            "Missed: the new pricing tier launched in Q4 instead of Q2.",
            "Missed: transaction volume was soft over the summer.",
        ],
        "Operating cost" => &[
            "Over: unplanned contractor spend during the platform migration.",
            "Over: cloud usage grew faster than traffic.",
            "Over: one-off legal costs in Q3.",
        ],
        "Gross margin" => &[
            "Missed: vendor fees rose at the contract renewal.",
            "Missed: discounts to win two strategic accounts.",
            "Missed: mix shifted towards lower-margin products.",
        ],
        "Active customers" => &[
            "Missed: churn rose after the price change.",
            "Missed: the spring campaign launched a quarter late.",
            "Missed: app store ranking dropped for two months.",
        ],
        _ => &[
            "Missed: a dependency on another team's launch slipped.",
            "Missed: hiring landed two quarters late.",
        ],
    }
}

const HIT_REASONS: [&str; 4] = [
    "Hit: the Q4 peak came in above plan.",
    "Hit: the pricing change landed as planned.",
    "Hit: the efficiency programme delivered early.",
    "Hit: retention improved after the onboarding rework.",
];

/// Flat = LY (the flat track uses last year's resources); investment adds to it.
fn resources(rng: &mut Rng, cost: f64, capex: bool) -> Vec<Resource> {
    let heads = (cost / rng.range(95_000.0, 140_000.0)).round().max(6.0);
    let extra_heads = (heads * rng.range(0.08, 0.2)).round().max(2.0);
    let budget = snap(cost * rng.range(0.15, 0.3), 10_000.0);
    let extra_budget = snap(budget * rng.range(0.1, 0.35), 10_000.0).max(10_000.0);
    let mut out = vec![
        Resource {
            name: "Headcount",
            ly: heads,
            flat: heads,
            investment: heads + extra_heads,
        },
        Resource {
            name: "Budget",
            ly: budget,
            flat: budget,
            investment: budget + extra_budget,
        },
    ];
    if capex {
        let capex = snap(cost * rng.range(0.05, 0.12), 10_000.0);
        let extra = snap(capex * rng.range(0.2, 0.6), 10_000.0).max(10_000.0);
        out.push(Resource {
            name: "Capex",
            ly: capex,
            flat: capex,
            investment: capex + extra,
        });
    }
    out
}

/// The amount of an ask follows from the resources it asks for.
fn ask(team: &Team, kind: &'static str, text: &str, needed_by: &str, if_delayed: &str) -> Ask {
    let amount = match kind {
        "headcount" => team.resource_delta("Headcount"),
        "budget" => team.resource_delta("Budget"),
        "capex" => team.resource_delta("Capex"),
        _ => None,
    };
    Ask {
        ask: text.into(),
        kind,
        amount,
        needed_by: date_or_text(needed_by),
        if_delayed: if_delayed.into(),
    }
}

// ---------------------------------------------------------------------------
// Sheets: a small grid model, so layouts can be bent before writing
// ---------------------------------------------------------------------------

#[derive(Clone, Copy)]
enum Fmt {
    General,
    Thousands,
    Percent,
}

#[derive(Clone)]
enum Cell {
    Blank,
    Text(String),
    Num(f64, Fmt),
    Date(u16, u8, u8),
    /// Formula, its cached result, and the number format.
    Formula(String, String, Fmt),
}

fn text(s: &str) -> Cell {
    if s.is_empty() {
        Cell::Blank
    } else {
        Cell::Text(s.into())
    }
}

/// A number formatted for its unit.
fn num(unit: &str, v: f64) -> Cell {
    Cell::Num(
        v,
        if unit == "%" {
            Fmt::Percent
        } else {
            Fmt::Thousands
        },
    )
}

/// `2027-03-31` becomes a date cell, anything else (e.g. `Q2`) stays text.
fn date_or_text(s: &str) -> Cell {
    let parts: Vec<&str> = s.split('-').collect();
    match parts[..] {
        [y, m, d] if s.len() == 10 => match (y.parse(), m.parse(), d.parse()) {
            (Ok(y), Ok(m), Ok(d)) => Cell::Date(y, m, d),
            _ => text(s),
        },
        _ => text(s),
    }
}

/// A planted finding: where it is, which rule it trips, and what it is.
struct Mark {
    row: usize,
    col: usize,
    rule: &'static str,
    note: String,
}

struct Sheet {
    name: String,
    rows: Vec<Vec<Cell>>,
    /// The header row (bold); `None` for label/value sheets.
    header: Option<usize>,
    /// A title merged across the header's width in row 1.
    title: Option<String>,
    /// Cells far outside the grid (row, col, value).
    far: Vec<(u32, u16, Cell)>,
    marks: Vec<Mark>,
}

impl Sheet {
    fn table(name: &str, cols: &[&str]) -> Sheet {
        Sheet {
            name: name.into(),
            rows: vec![cols.iter().map(|c| text(c)).collect()],
            header: Some(0),
            title: None,
            far: Vec::new(),
            marks: Vec::new(),
        }
    }

    fn labels(name: &str, pairs: Vec<(&str, Cell)>) -> Sheet {
        let mut sheet = Sheet::table(name, &[]);
        sheet.rows = pairs
            .into_iter()
            .map(|(label, v)| vec![text(label), v])
            .collect();
        sheet.header = None;
        sheet
    }

    fn header_row(&self) -> usize {
        self.header.expect("sheet has a header row")
    }

    fn col(&self, name: &str) -> usize {
        let header = &self.rows[self.header_row()];
        let found = header
            .iter()
            .position(|c| matches!(c, Cell::Text(t) if t == name));
        found.unwrap_or_else(|| panic!("no column {name:?} in {}", self.name))
    }

    /// The first row after the header (or anywhere, for label sheets) whose column A is `key`.
    fn row(&self, key: &str) -> usize {
        let start = self.header.map_or(0, |h| h + 1);
        let found = (start..self.rows.len())
            .find(|&r| matches!(self.rows[r].first(), Some(Cell::Text(t)) if t == key));
        found.unwrap_or_else(|| panic!("no row {key:?} in {}", self.name))
    }

    fn cell_mut(&mut self, key: &str, col: &str) -> (&mut Cell, String) {
        let (r, c) = (self.row(key), self.col(col));
        let row = &mut self.rows[r];
        row.resize(row.len().max(c + 1), Cell::Blank);
        (&mut row[c], row_col_to_cell(r as u32, c as u16))
    }

    fn label_mut(&mut self, label: &str) -> (&mut Cell, String) {
        let r = self.row(label);
        (&mut self.rows[r][1], row_col_to_cell(r as u32, 1))
    }

    fn mark(&mut self, key: &str, col: &str, rule: &'static str, note: String) {
        let (row, col) = (self.row(key), self.col(col));
        self.marks.push(Mark {
            row,
            col,
            rule,
            note,
        });
    }

    fn insert_rows(&mut self, at: usize, rows: Vec<Vec<Cell>>) {
        let n = rows.len();
        self.rows.splice(at..at, rows);
        if let Some(h) = self.header.as_mut().filter(|h| **h >= at) {
            *h += n;
        }
        for m in self.marks.iter_mut().filter(|m| m.row >= at) {
            m.row += n;
        }
    }

    fn rename_cols(&mut self, renames: &[(&str, &str)]) {
        for (old, new) in renames {
            let c = self.col(old);
            let h = self.header_row();
            self.rows[h][c] = text(new);
        }
    }

    /// Puts the columns in `order` (header names); columns left out are dropped.
    fn reorder_cols(&mut self, order: &[&str]) {
        let from: Vec<usize> = order.iter().map(|name| self.col(name)).collect();
        for row in &mut self.rows {
            *row = from
                .iter()
                .map(|&c| row.get(c).cloned().unwrap_or(Cell::Blank))
                .collect();
        }
        for m in &mut self.marks {
            m.col = from
                .iter()
                .position(|&c| c == m.col)
                .expect("marked column kept");
        }
    }
}

struct Book {
    sheets: Vec<Sheet>,
    author: String,
}

impl Book {
    fn sheet(&mut self, name: &str) -> &mut Sheet {
        self.sheets
            .iter_mut()
            .find(|s| s.name == name)
            .expect("sheet")
    }
}

/// The standard layout of a team workbook.
fn team_book(t: &Team) -> Book {
    let mut sheets = vec![
        team_sheet(t),
        plan_sheet(t),
        resources_sheet(t),
        assumptions_sheet(t),
        asks_sheet(t),
        risks_sheet(t),
    ];
    if !t.goals.is_empty() {
        sheets.push(goals_sheet(t));
    }
    if !t.ideas.is_empty() {
        let mut ideas = Sheet::table("Ideas", &["Question", "Answer"]);
        ideas
            .rows
            .extend(t.ideas.iter().map(|(q, a)| vec![text(q), text(a)]));
        sheets.push(ideas);
    }
    if !t.narrative.is_empty() {
        let mut narrative = Sheet::table("Narrative", &["Section", "Text"]);
        for (section, paragraphs) in &t.narrative {
            narrative
                .rows
                .extend(paragraphs.iter().map(|p| vec![text(section), text(p)]));
        }
        sheets.push(narrative);
    }
    Book {
        sheets,
        author: t.owner.clone(),
    }
}

fn team_sheet(t: &Team) -> Sheet {
    Sheet::labels(
        "Team",
        vec![
            ("Team", text(&t.name)),
            ("Owner", text(&t.owner)),
            ("Org", text(&t.org)),
            ("Currency", text(&t.currency)),
            ("Fiscal year", Cell::Num(t.fiscal_year, Fmt::General)),
        ],
    )
}

fn plan_sheet(t: &Team) -> Sheet {
    let quarters = ["Q1", "Q2", "Q3", "Q4"];
    let mut columns: Vec<&str> = PLAN_COLS.to_vec();
    columns.extend(&quarters[..t.quarters]);
    let mut sheet = Sheet::table("Plan", &columns);
    for m in &t.metrics {
        let v = |x: f64| num(&m.unit, x);
        // Actuals near the flat plan: a quarter of it for a sum, the level otherwise.
        let actuals = (0..t.quarters).map(|q| {
            let wobble = 1.0 + 0.01 * (((m.name.len() + q * 7 + t.name.len()) % 5) as f64 - 2.0);
            let per = if m.rollup == "sum" {
                m.flat / 4.0
            } else {
                m.flat
            };
            v((per * wobble * 100.0).round() / 100.0)
        });
        let mut row = vec![
            text(&m.name),
            text(&m.unit),
            text(m.better),
            text(m.rollup),
            v(m.ly_target),
            v(m.ly_actual),
            m.baseline.map_or(Cell::Blank, v),
            v(m.flat),
            v(m.investment),
            text(&m.why),
        ];
        row.extend(actuals);
        sheet.rows.push(row);
    }
    sheet
}

fn resources_sheet(t: &Team) -> Sheet {
    let mut sheet = Sheet::table("Resources", &["Resource", "LY", "Flat", "Investment"]);
    for r in &t.resources {
        let v = |x: f64| Cell::Num(x, Fmt::Thousands);
        sheet
            .rows
            .push(vec![text(r.name), v(r.ly), v(r.flat), v(r.investment)]);
    }
    sheet
}

fn assumptions_sheet(t: &Team) -> Sheet {
    let mut sheet = Sheet::table("Assumptions", &["Assumption"]);
    sheet
        .rows
        .extend(t.assumptions.iter().map(|a| vec![text(a)]));
    sheet
}

fn asks_sheet(t: &Team) -> Sheet {
    let mut sheet = Sheet::table(
        "Asks",
        &["Ask", "Kind", "Amount", "Needed by", "If delayed"],
    );
    for a in &t.asks {
        let amount = a
            .amount
            .map_or(Cell::Blank, |v| Cell::Num(v, Fmt::Thousands));
        let row = vec![
            text(&a.ask),
            text(a.kind),
            amount,
            a.needed_by.clone(),
            text(&a.if_delayed),
        ];
        sheet.rows.push(row);
    }
    sheet
}

fn risks_sheet(t: &Team) -> Sheet {
    let mut sheet = Sheet::table(
        "Risks",
        &["Risk", "Likelihood", "Impact", "Mitigation", "Owner"],
    );
    for r in &t.risks {
        let row = [
            r.risk.as_str(),
            r.likelihood,
            r.impact,
            r.mitigation.as_str(),
            r.owner.as_str(),
        ];
        sheet.rows.push(row.iter().map(|s| text(s)).collect());
    }
    sheet
}

fn goals_sheet(t: &Team) -> Sheet {
    let mut sheet = Sheet::table(
        "Goals",
        &["ID", "Goal", "Owners", "Due", "Metric", "Target"],
    );
    for g in &t.goals {
        let row = vec![
            text(&g.id),
            text(&g.goal),
            text(&g.owners),
            g.due.clone(),
            text(&g.metric),
            g.target.clone(),
        ];
        sheet.rows.push(row);
    }
    sheet
}

// ---------------------------------------------------------------------------
// Writing xlsx
// ---------------------------------------------------------------------------

struct Formats {
    plain: Format,
    header: Format,
    title: Format,
    thousands: Format,
    percent: Format,
    date: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            plain: Format::new(),
            header: Format::new().set_bold(),
            title: Format::new().set_bold().set_font_size(14),
            thousands: Format::new().set_num_format("#,##0"),
            percent: Format::new().set_num_format("0.0#%"),
            date: Format::new().set_num_format("yyyy-mm-dd"),
        }
    }

    fn number(&self, fmt: Fmt) -> &Format {
        match fmt {
            Fmt::General => &self.plain,
            Fmt::Thousands => &self.thousands,
            Fmt::Percent => &self.percent,
        }
    }
}

/// Fixed document properties: no "now" anywhere, so output is byte-identical across runs.
fn doc_properties(author: &str) -> Res<DocProperties> {
    let created = ExcelDateTime::from_ymd(2027, 1, 4)?.and_hms(9, 0, 0)?;
    Ok(DocProperties::new()
        .set_author(author)
        .set_title("OP1 FY27 plan")
        .set_creation_datetime(&created))
}

fn book_bytes(book: &Book) -> Res<Vec<u8>> {
    let mut wb = prepare_workbook(book)?;
    Ok(wb.save_to_buffer()?)
}

fn save_book(book: &Book, path: &Path) -> Res {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    let mut wb = prepare_workbook(book)?;
    wb.save(path)?;
    Ok(())
}

fn prepare_workbook(book: &Book) -> Res<Workbook> {
    let mut wb = Workbook::new();
    wb.set_properties(&doc_properties(&book.author)?);
    let formats = Formats::new();
    for sheet in &book.sheets {
        write_sheet(wb.add_worksheet(), sheet, &formats)?;
    }
    Ok(wb)
}

fn write_sheet(ws: &mut Worksheet, sheet: &Sheet, f: &Formats) -> Res {
    ws.set_name(&sheet.name)?;
    for (r, row) in sheet.rows.iter().enumerate() {
        let style = if sheet.header == Some(r) {
            &f.header
        } else {
            &f.plain
        };
        for (c, cell) in row.iter().enumerate() {
            write_cell(ws, r as u32, c as u16, cell, f, style)?;
        }
    }
    if let Some(title) = &sheet.title {
        let last = sheet.rows[sheet.header_row()].len().saturating_sub(1) as u16;
        ws.merge_range(0, 0, 0, last, title, &f.title)?;
    }
    for (c, width) in column_widths(sheet).into_iter().enumerate() {
        ws.set_column_width(c as u16, width)?;
    }
    for (r, c, cell) in &sheet.far {
        write_cell(ws, *r, *c, cell, f, &f.plain)?;
    }
    Ok(())
}

fn write_cell(ws: &mut Worksheet, r: u32, c: u16, cell: &Cell, f: &Formats, style: &Format) -> Res {
    match cell {
        Cell::Blank => {}
        Cell::Text(s) => {
            ws.write_string_with_format(r, c, s, style)?;
        }
        Cell::Num(v, fmt) => {
            ws.write_number_with_format(r, c, *v, f.number(*fmt))?;
        }
        Cell::Date(y, m, d) => {
            ws.write_datetime_with_format(r, c, ExcelDateTime::from_ymd(*y, *m, *d)?, &f.date)?;
        }
        Cell::Formula(expr, result, fmt) => {
            let formula = Formula::new(expr).set_result(result);
            ws.write_formula_with_format(r, c, formula, f.number(*fmt))?;
        }
    }
    Ok(())
}

/// Cheap fit: widest text per column (sheets are small), capped.
fn column_widths(sheet: &Sheet) -> Vec<f64> {
    let skip = sheet.header.unwrap_or(0);
    let mut widths: Vec<usize> = Vec::new();
    for row in sheet.rows.iter().skip(skip) {
        widths.resize(widths.len().max(row.len()), 0);
        for (c, cell) in row.iter().enumerate() {
            let w = match cell {
                Cell::Blank => 0,
                Cell::Text(s) => s.chars().count(),
                _ => 11,
            };
            widths[c] = widths[c].max(w);
        }
    }
    widths
        .into_iter()
        .map(|w| (w + 2).clamp(8, 60) as f64)
        .collect()
}

// ---------------------------------------------------------------------------
// Output folders
// ---------------------------------------------------------------------------

/// Creates `dir`; with `clean`, empties it first but restores the files in `keep`.
fn prepare_dir(dir: &Path, clean: bool, keep: &[PathBuf]) -> Res {
    if clean && dir.exists() {
        for marker in [".git", "Cargo.toml", "src"] {
            if dir.join(marker).exists() {
                return Err(
                    format!("refusing to --clean {} (it holds {marker})", dir.display()).into(),
                );
            }
        }
        let kept: Vec<(PathBuf, Vec<u8>)> = keep
            .iter()
            .filter(|p| p.exists())
            .map(|p| Ok((p.clone(), fs::read(p)?)))
            .collect::<Res<_>>()?;
        fs::remove_dir_all(dir)?;
        for (path, bytes) in kept {
            write_file(&path, &bytes)?;
        }
    }
    fs::create_dir_all(dir)?;
    Ok(())
}

fn write_file(path: &Path, bytes: impl AsRef<[u8]>) -> Res {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, bytes)?;
    Ok(())
}

fn toml_list(names: &[String]) -> String {
    let items: String = names.iter().map(|n| format!("    \"{n}\",\n")).collect();
    format!("[round]\nteams = [\n{items}]\n")
}

fn round_toml(budget: &str, roster: &[String]) -> String {
    format!(
        "reporting_currency = \"USD\"\nfiscal_year = 2027\n\n[fx]\nEUR = 1.08\nGBP = 1.27\n\n\
         [funding]\nbudget = {budget}\nobjective = \"Revenue\"\n\n[ambition]\nmultiple = 10\nyears = 3\n\n{}",
        toml_list(roster)
    )
}

// ---------------------------------------------------------------------------
// Generated rounds (--teams N): clean, for benchmarks
// ---------------------------------------------------------------------------

fn write_generated_round(dir: &Path, n: usize, seed: u64, clean: bool, quarters: usize) -> Res {
    prepare_dir(dir, clean, &[])?;
    let threads = std::thread::available_parallelism()
        .map_or(4, |p| p.get())
        .min(n);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|t| scope.spawn(move || write_generated_teams(dir, seed, n, t, threads, quarters)))
            .collect();
        workers
            .into_iter()
            .try_for_each(|w| w.join().expect("worker panicked"))
    })?;
    let roster: Vec<String> = (1..=n).map(team_name).collect();
    let budget = (n * 500_000).to_string();
    write_file(&dir.join("op1.toml"), round_toml(&budget, &roster))?;
    println!(
        "wrote {n} team workbook(s) and op1.toml to {}",
        dir.display()
    );
    Ok(())
}

/// Worker `t` of `threads` writes teams t+1, t+1+threads, …
fn write_generated_teams(
    dir: &Path,
    seed: u64,
    n: usize,
    t: usize,
    threads: usize,
    quarters: usize,
) -> Res {
    for i in (t + 1..=n).step_by(threads) {
        let mut team = generated_team(seed, i, n);
        team.quarters = quarters;
        let folder = team.org.split('/').next().unwrap_or("teams").to_lowercase();
        let path = dir.join(folder).join(format!("{}.xlsx", team.name));
        save_book(&team_book(&team), &path)?;
    }
    Ok(())
}

fn team_name(i: usize) -> String {
    format!("team-{i:05}")
}

/// Team `i` of `n` (1-based); teams 2k-1 and 2k share goal S2-k.
fn generated_team(seed: u64, i: usize, n: usize) -> Team {
    let mut rng = Rng::new(seed ^ (i as u64).wrapping_mul(0xD134_2543_DE82_EF95));
    let currency = CURRENCIES[(i - 1) / ORGS.len() % CURRENCIES.len()];
    let revenue = 2.0e6 + 58.0e6 * rng.unit().powi(2);
    let customers = 5.0e3 + 1.995e6 * rng.unit().powi(3);
    let mut metrics = standard_metrics(&mut rng, currency, revenue, customers);
    if rng.chance(0.3) {
        let extra = if rng.chance(0.5) {
            Extra::Uptime
        } else {
            Extra::Tickets
        };
        metrics.push(extra_metric(&mut rng, extra));
    }
    metrics.iter_mut().for_each(|m| explain(&mut rng, m));
    let cost = metrics[1].ly_actual;
    let capex = rng.chance(0.3);
    let owner = format!("{} {}", rng.pick(&FIRST_NAMES), rng.pick(&LAST_NAMES));
    let mut team = Team {
        name: team_name(i),
        owner: owner.clone(),
        org: ORGS[(i - 1) % ORGS.len()].into(),
        currency: currency.into(),
        fiscal_year: FISCAL_YEAR,
        metrics,
        resources: resources(&mut rng, cost, capex),
        assumptions: rng
            .pick_n(&ASSUMPTIONS, 4)
            .into_iter()
            .map(|s| s.to_string())
            .collect(),
        asks: Vec::new(),
        risks: generated_risks(&mut rng, &owner),
        goals: generated_goal(seed, i, n).into_iter().collect(),
        ideas: Vec::new(),
        narrative: Vec::new(),
        quarters: 0,
    };
    team.asks = generated_asks(&mut rng, &team);
    let mut words =
        Rng::new(seed ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ NARRATIVE_SALT);
    team.narrative = narratives::narrative(&team, &mut words, narratives::Length::Usual);
    if rng.chance(0.3) {
        team.ideas = IDEAS
            .iter()
            .map(|(q, a)| (q.to_string(), rng.pick(a).to_string()))
            .collect();
    }
    team
}

fn generated_asks(rng: &mut Rng, team: &Team) -> Vec<Ask> {
    let count = 1 + rng.below(2);
    let picks = rng.pick_n(&ASK_POOL, count);
    let mut asks = Vec::new();
    for &(kind, what, delay) in picks {
        let when = *rng.pick(&["Q1", "Q2", "2027-03-31", "2027-06-30"]);
        asks.push(ask(team, kind, what, when, delay));
    }
    asks
}

fn generated_risks(rng: &mut Rng, owner: &str) -> Vec<Risk> {
    let count = 1 + rng.below(2);
    let mut risks = Vec::new();
    for &(risk, mitigation) in rng.pick_n(&RISK_POOL, count) {
        let likelihood = *rng.pick(&["medium", "low"]);
        let impact = *rng.pick(&["high", "medium", "low"]);
        risks.push(Risk {
            risk: risk.into(),
            likelihood,
            impact,
            mitigation: mitigation.into(),
            owner: owner.into(),
        });
    }
    risks
}

/// The goal team `i` shares with its pair; both sides derive it from the pair alone.
fn generated_goal(seed: u64, i: usize, n: usize) -> Option<Goal> {
    let pair = i.div_ceil(2);
    let (a, b) = (2 * pair - 1, 2 * pair);
    if b > n {
        return None;
    }
    let mut rng = Rng::new(seed ^ 0x5eed ^ (pair as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let (goal, metric, target, pct) = *rng.pick(&GOAL_POOL);
    let due = *rng.pick(&["Q2 FY27", "Q3 FY27", "2027-09-30", "2027-12-31"]);
    Some(Goal {
        id: format!("S2-{pair:04}"),
        goal: goal.into(),
        owners: format!("{} + {}", team_name(a), team_name(b)),
        due: date_or_text(due),
        metric: metric.into(),
        target: Cell::Num(target, if pct { Fmt::Percent } else { Fmt::Thousands }),
    })
}

const FIRST_NAMES: [&str; 12] = [
    "Alex", "Beatriz", "Chen", "Daniel", "Eva", "Farid", "Grace", "Hugo", "Ines", "Jamal",
    "Kerstin", "Leo",
];
const LAST_NAMES: [&str; 12] = [
    "Andersen",
    "Baptiste",
    "Costa",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Gupta",
    "Haddad",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "Lindqvist",
];

const ASSUMPTIONS: [&str; 12] = [
    "FX rates hold at the round's planning rates (EUR 1.08, GBP 1.27).",
    "List prices stay at FY26 levels until Q3.",
    "Hiring lands evenly across the year with a ten-week average time to fill.",
    "Churn stays within 0.2 points of the FY26 run rate.",
    "The shared data platform migration finishes by the end of Q1.",
    "Marketing spend per new customer stays flat year over year.",
    "No new regulatory requirements in our main markets.",
    "Cloud unit costs fall 5% with the renewed commitment.",
    "The two open senior roles are filled by Q2.",
    "Enterprise deal cycles stay at about 90 days.",
    "Seasonality follows the FY25–FY26 average.",
    "Vendor contracts renew at no more than 3% uplift.",
];

const ASK_POOL: [(&str, &str, &str); 6] = [
    (
        "headcount",
        "Engineers for the self-serve onboarding rebuild",
        "The rebuild slips to FY28 and the conversion gain with it",
    ),
    (
        "headcount",
        "Account managers for the top-200 accounts",
        "Coverage gaps stay; expansion revenue is at risk",
    ),
    (
        "budget",
        "Performance-marketing budget for two new markets",
        "Market entry moves from Q2 to Q4",
    ),
    (
        "budget",
        "Vendor budget for the analytics platform renewal",
        "We fall back to the legacy stack and lose same-day reporting",
    ),
    (
        "decision",
        "Decision on consolidating the two billing systems",
        "Both systems run through FY27 at double the upkeep",
    ),
    (
        "other",
        "Legal review capacity for new partner contracts",
        "Partner launches queue behind legal review",
    ),
];

const RISK_POOL: [(&str, &str); 6] = [
    (
        "A key supplier raises prices mid-year",
        "Dual-source by Q2 and lock a 24-month rate",
    ),
    (
        "Engineering hiring runs late in a tight market",
        "Use the contractor bench for the first two quarters",
    ),
    (
        "A large customer churns at renewal",
        "Executive sponsor for each top-20 account; renewal plan six months ahead",
    ),
    (
        "The platform migration slips",
        "Weekly steering check; stay on the current platform until cut-over",
    ),
    (
        "A regulatory change in our largest market",
        "Quarterly compliance review and a 5% budget reserve",
    ),
    (
        "A security incident erodes customer trust",
        "Quarterly penetration tests and an incident-response retainer",
    ),
];

/// Goal, metric, target, target is a percentage.
const GOAL_POOL: [(&str, &str, f64, bool); 5] = [
    (
        "Launch the shared onboarding flow",
        "Activation rate",
        0.45,
        true,
    ),
    (
        "Cut cost to serve per customer",
        "Cost per customer (USD)",
        12.0,
        false,
    ),
    (
        "One release train for both teams",
        "Releases per month",
        8.0,
        false,
    ),
    ("Shared customer health score", "Accounts scored", 0.9, true),
    (
        "Joint launch in two new markets",
        "Markets live",
        2.0,
        false,
    ),
];

const IDEAS: [(&str, [&str; 2]); 3] = [
    (
        "What would we build to grow 10×?",
        [
            "A self-serve product that sells without a sales call",
            "An API so partners can embed us in their products",
        ],
    ),
    (
        "What would we stop doing?",
        [
            "Custom contract terms for small accounts",
            "Maintaining the legacy desktop client",
        ],
    ),
    (
        "What could a competitor build that would destroy us?",
        [
            "A free tier bundled into a platform our customers already use",
            "Instant onboarding with no integration work",
        ],
    ),
];

// ---------------------------------------------------------------------------
// The curated sample round (fixtures/round-fy27)
// ---------------------------------------------------------------------------

struct Sample {
    name: &'static str,
    owner: &'static str,
    org: &'static str,
    currency: &'static str,
    /// Path in the round, with its final extension (`.ods`/`.xls` are LibreOffice re-saves).
    file: &'static str,
    /// LY revenue in millions and active customers in thousands.
    revenue_m: f64,
    customers_k: f64,
    extra: Option<Extra>,
    capex: bool,
    assumptions: [&'static str; 4],
    asks: &'static [AskSpec],
    risks: &'static [RiskSpec],
    goals: &'static [&'static str],
}

/// Kind, ask, needed by, if delayed.
struct AskSpec(&'static str, &'static str, &'static str, &'static str);
/// Risk, likelihood, impact, mitigation, owner.
struct RiskSpec(
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);
/// ID, goal, owners, due, metric, target, target is a percentage.
struct GoalSpec(
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    f64,
    bool,
);

const NOT_SUBMITTED: &str = "Fraud Ops";

fn write_sample_round(dir: &Path, clean: bool, convert: bool) -> Res {
    let converted: Vec<PathBuf> = SAMPLES
        .iter()
        .filter(|s| !s.file.ends_with(".xlsx"))
        .map(|s| dir.join(s.file))
        .collect();
    prepare_dir(dir, clean, if convert { &[] } else { &converted })?;
    let mut planted = Vec::new();
    let mut to_convert = Vec::new();
    for spec in SAMPLES {
        let book = sample_book(spec);
        planted.extend(collect_marks(&book, spec.file));
        to_convert.extend(write_sample_file(dir, spec, &book, convert)?);
    }
    for target in &to_convert {
        libreoffice_convert(target)?;
    }
    write_round_extras(dir)?;
    let mut roster: Vec<String> = SAMPLES.iter().map(|s| s.name.to_string()).collect();
    roster.push(NOT_SUBMITTED.into());
    let toml = format!(
        "# OP1 FY27 sample round. Generated by examples/make_round.rs.\n{}",
        round_toml("6_000_000", &roster)
    );
    write_file(&dir.join("op1.toml"), toml)?;
    write_file(&dir.join("PLANTED.md"), planted_md(planted))?;
    println!("wrote the sample round to {}", dir.display());
    Ok(())
}

/// A sample team's workbook: clean numbers, then its planted problems, then its layout quirks.
fn sample_book(spec: &Sample) -> Book {
    let mut team = sample_team(spec);
    let plants = plant_problems(&mut team);
    let mut book = team_book(&team);
    for (sheet, key, col, rule, note) in plants {
        book.sheet(sheet).mark(&key, col, rule, note);
    }
    bend_layout(spec.name, &mut book);
    book
}

/// Saves the team as .xlsx; returns its final path when LibreOffice still has to convert it.
/// Without `convert`, a committed .ods/.xls is left alone.
fn write_sample_file(
    dir: &Path,
    spec: &Sample,
    book: &Book,
    convert: bool,
) -> Res<Option<PathBuf>> {
    let target = dir.join(spec.file);
    let xlsx = target.with_extension("xlsx");
    if xlsx == target {
        save_book(book, &xlsx)?;
        return Ok(None);
    }
    if convert {
        save_book(book, &xlsx)?;
        return Ok(Some(target));
    }
    if target.exists() {
        println!(
            "keeping {} (--convert re-saves it with LibreOffice)",
            spec.file
        );
    } else {
        save_book(book, &xlsx)?;
        println!(
            "warning: {} written as .xlsx; --convert makes it {}",
            spec.name, spec.file
        );
    }
    Ok(None)
}

fn sample_team(s: &Sample) -> Team {
    let mut rng = Rng::new(SAMPLE_SEED ^ fnv(s.name));
    let mut metrics =
        standard_metrics(&mut rng, s.currency, s.revenue_m * 1e6, s.customers_k * 1e3);
    if let Some(extra) = s.extra {
        metrics.push(extra_metric(&mut rng, extra));
    }
    metrics.iter_mut().for_each(|m| explain(&mut rng, m));
    let cost = metrics[1].ly_actual;
    let mut team = Team {
        name: s.name.into(),
        owner: s.owner.into(),
        org: s.org.into(),
        currency: s.currency.into(),
        fiscal_year: FISCAL_YEAR,
        metrics,
        resources: resources(&mut rng, cost, s.capex),
        assumptions: s.assumptions.iter().map(|a| a.to_string()).collect(),
        asks: Vec::new(),
        risks: s.risks.iter().map(risk_from).collect(),
        goals: s.goals.iter().map(|id| shared_goal(id)).collect(),
        ideas: sample_ideas(s.name),
        narrative: Vec::new(),
        quarters: 0,
    };
    team.asks = s
        .asks
        .iter()
        .map(|&AskSpec(kind, what, when, delay)| ask(&team, kind, what, when, delay))
        .collect();
    // Most teams write a narrative of a few pages; Data runs over the page
    // budget, Security writes no Lessons, Customer Success writes none, Risk
    // writes text that must stay text.
    let mut words = Rng::new(SAMPLE_SEED ^ fnv(s.name) ^ NARRATIVE_SALT);
    let length = match s.name {
        "Data" => Some(narratives::Length::OverBudget),
        "Security" => Some(narratives::Length::NoLessons),
        "Customer Success" => None,
        "Risk" => Some(narratives::Length::Hostile),
        _ => Some(narratives::Length::Usual),
    };
    if let Some(length) = length {
        team.narrative = narratives::narrative(&team, &mut words, length);
    }
    if s.name == "Risk" {
        if let Some(risk) = team.risks.first_mut() {
            risk.mitigation
                .push_str(" <img src=x onerror=\"document.title='pwned by a risk'\">");
        }
    }
    team
}

/// Mixed into a team's seed for its narrative, so that writing one draws
/// nothing from the generator of its numbers.
const NARRATIVE_SALT: u64 = 0x6E61_7272_6174_6976;

fn risk_from(r: &RiskSpec) -> Risk {
    let RiskSpec(risk, likelihood, impact, mitigation, owner) = *r;
    Risk {
        risk: risk.into(),
        likelihood,
        impact,
        mitigation: mitigation.into(),
        owner: owner.into(),
    }
}

fn shared_goal(id: &str) -> Goal {
    let GoalSpec(id, goal, owners, due, metric, target, pct) =
        SHARED_GOALS.iter().find(|g| g.0 == id).expect("goal id");
    Goal {
        id: id.to_string(),
        goal: goal.to_string(),
        owners: owners.to_string(),
        due: date_or_text(due),
        metric: metric.to_string(),
        target: Cell::Num(*target, if *pct { Fmt::Percent } else { Fmt::Thousands }),
    }
}

fn sample_ideas(team: &str) -> Vec<(String, String)> {
    let answers = SAMPLE_IDEAS.iter().find(|(name, _)| *name == team);
    let questions = IDEAS.iter().map(|(q, _)| q.to_string());
    answers.map_or(Vec::new(), |(_, a)| {
        questions.zip(a.iter().map(|s| s.to_string())).collect()
    })
}

/// (sheet, row key in column A, column, rule, note) of one planted finding.
type Plant = (&'static str, String, &'static str, &'static str, String);

/// The checklist problems planted on purpose, one team each (s2-mismatch has two sides).
fn plant_problems(team: &mut Team) -> Vec<Plant> {
    let name = team.name.clone();
    match name.as_str() {
        "Growth" => {
            team.assumptions.truncate(2);
            let last = team.assumptions[1].clone();
            vec![(
                "Assumptions",
                last,
                "Assumption",
                "assumptions-count",
                "only 2 assumptions (A2:A3); OP1 expects 3–5".into(),
            )]
        }
        "Sales Americas" => {
            let third = "Decision on one quota for new and expansion business";
            let delay = "Reps keep splitting effort between two plans";
            let extra = ask(team, "decision", third, "Q1", delay);
            team.asks.push(extra);
            vec![(
                "Asks",
                third.into(),
                "Ask",
                "asks-count",
                "3 asks (rows 2–4); OP1 expects 1–2".into(),
            )]
        }
        "Mobile" => {
            let risk = team.risks[1].risk.clone();
            team.risks[1].mitigation.clear();
            vec![(
                "Risks",
                risk,
                "Mitigation",
                "risk-mitigation",
                "second risk has a blank mitigation".into(),
            )]
        }
        "Data" => {
            let heads = team.resource_mut("Headcount");
            let ask = heads.investment - heads.flat;
            heads.flat = heads.ly + 6.0;
            heads.investment = heads.flat + ask;
            let note = format!("flat headcount {} > LY {}", heads.flat, heads.ly);
            vec![(
                "Resources",
                "Headcount".into(),
                "Flat",
                "flat-resources",
                note,
            )]
        }
        "Security" => {
            let budget = team.resource_mut("Budget");
            budget.investment = budget.flat;
            let note = format!(
                "investment budget = flat budget = {}",
                group(budget.flat, ',')
            );
            vec![(
                "Resources",
                "Budget".into(),
                "Investment",
                "investment-resources",
                note,
            )]
        }
        "Partnerships" => {
            let m = team.metric_mut("Active customers");
            m.investment = snap(m.flat * 0.97, 100.0);
            let note = format!(
                "Active customers: investment {} < flat {}",
                group(m.investment, ','),
                group(m.flat, ',')
            );
            vec![(
                "Plan",
                "Active customers".into(),
                "Investment",
                "investment-below-flat",
                note,
            )]
        }
        "Developer Tools" => {
            let m = team.metric_mut("Revenue");
            m.ly_actual = snap(m.ly_target * 0.93, 10_000.0);
            m.why.clear();
            let (actual, target) = (group(m.ly_actual, ','), group(m.ly_target, ','));
            let note = format!("Revenue LY Actual {actual} < LY Target {target}, Why empty");
            vec![("Plan", "Revenue".into(), "Why", "ly-miss-why", note)]
        }
        "Customer Success" => {
            let note = "S2-07 (Customer Success + Infra) is not listed by Infra: may be reported against `platform/infra.xlsx` › Goals".into();
            vec![("Goals", "S2-07".into(), "ID", "s2-unlisted", note)]
        }
        "Payments" | "Marketplace" => {
            if name == "Marketplace" {
                let goal = team
                    .goals
                    .iter_mut()
                    .find(|g| g.id == "S2-06")
                    .expect("S2-06");
                goal.target = Cell::Num(0.58, Fmt::Percent);
            }
            let note = "S2-06 target: Payments 0.62, Marketplace 0.58".into();
            vec![("Goals", "S2-06".into(), "Target", "s2-mismatch", note)]
        }
        _ => Vec::new(),
    }
}

/// The mess real rounds have: titles, aliases, text numbers, totals rows, odd labels.
fn bend_layout(team: &str, book: &mut Book) {
    match team {
        "Payments" => title_rows(book.sheet("Plan")),
        "Sales EMEA" => {
            aliased_plan(book.sheet("Plan"));
            let labels = ["Team:", "Owner:", "Org:", "Currency:", "Fiscal Year:"];
            for (row, label) in book.sheet("Team").rows.iter_mut().zip(labels) {
                row[0] = text(label);
            }
        }
        "Sales UK" => spelled_plan(book),
        "Customer Success" => text_numbers(book),
        "Risk" => {
            let plan = book.sheet("Plan");
            add_total_row(plan, false);
            let (cell, _) = plan.cell_mut("Total", "Investment");
            if let Cell::Num(v, _) = cell {
                *v += 250_000.0;
            }
            let note =
                "Total row: Investment is 250,000 more than the sum above; the other totals agree"
                    .into();
            plan.mark("Total", "Investment", "totals-row", note);
        }
        "Infra" => add_total_row(book.sheet("Plan"), true),
        "Mobile" => {
            for (old, new) in [
                ("Team", "team"),
                ("Plan", "Plan "),
                ("Resources", "RESOURCES"),
            ] {
                book.sheet(old).name = new.into();
            }
        }
        "Sales Americas" => {
            let mut pivot = Sheet::table("Pivot (old)", &["Region", "FY26 bookings"]);
            pivot.rows.push(vec![
                text("US East"),
                Cell::Num(21_400_000.0, Fmt::Thousands),
            ]);
            pivot.rows.push(vec![
                text("US West"),
                Cell::Num(18_900_000.0, Fmt::Thousands),
            ]);
            book.sheets.push(pivot);
        }
        _ => {}
    }
}

/// Payments: a merged title, a subtitle and a note above the header, and a blank row.
fn title_rows(plan: &mut Sheet) {
    plan.title = Some("Payments — OP1 FY27 plan".into());
    let above = vec![
        vec![Cell::Blank],
        vec![text("Draft 3 — reviewed with Finance on 2027-01-14")],
        vec![text("Money in USD. Customers are monthly active accounts. A blank Baseline means LY Actual.")],
    ];
    plan.insert_rows(0, above);
    let gap = plan.row("Gross margin");
    plan.insert_rows(gap, vec![Vec::new()]);
}

/// Sales EMEA: alias headers, another column order, and an unknown column.
fn aliased_plan(plan: &mut Sheet) {
    plan.rename_cols(&[
        ("Metric", "KPI"),
        ("Better", "Direction"),
        ("Rollup", "Aggregation"),
        ("LY Target", "PY Target"),
        ("LY Actual", "PY"),
        ("Baseline", "Run rate"),
        ("Flat", "Same resources"),
        ("Investment", "Stretch"),
        ("Why", "Notes"),
    ]);
    let order = [
        "KPI",
        "Unit",
        "PY",
        "PY Target",
        "Run rate",
        "Stretch",
        "Same resources",
        "Notes",
        "Direction",
        "Aggregation",
    ];
    plan.reorder_cols(&order);
    let width = plan.rows[0].len();
    plan.rows[0].push(text("Source"));
    for row in plan.rows.iter_mut().skip(1) {
        row.resize(width, Cell::Blank);
        row.push(text("Finance close, Dec 2026"));
    }
}

/// Sales UK: header spelling varies (case, underscores, spaces, a trailing colon).
fn spelled_plan(book: &mut Book) {
    book.sheet("Plan").rename_cols(&[
        ("Metric", "metric"),
        ("Unit", "UNIT"),
        ("LY Target", "ly_target"),
        ("LY Actual", "ly_actual"),
        ("Flat", " Flat "),
        ("Investment", "Investment:"),
        ("Why", "WHY"),
    ]);
    book.sheet("Resources")
        .rename_cols(&[("Resource", "resource"), ("Investment", "investment")]);
}

/// Customer Success: numbers typed as text, in every form the contract accepts.
fn text_numbers(book: &mut Book) {
    let plan = book.sheet("Plan");
    let styles = [
        ("Revenue", TextNum::Commas),
        ("Operating cost", TextNum::Dollars),
        ("Gross margin", TextNum::Percent),
        ("Active customers", TextNum::Spaces),
        ("Net customer change", TextNum::Commas),
    ];
    for (metric, style) in styles {
        let r = plan.row(metric);
        for cell in plan.rows[r].iter_mut() {
            if let Cell::Num(v, _) = cell {
                *cell = Cell::Text(style.render(*v));
            }
        }
    }
    let budget = book.sheet("Resources").row("Budget");
    for cell in book.sheet("Resources").rows[budget].iter_mut() {
        if let Cell::Num(v, _) = cell {
            *cell = Cell::Text(TextNum::Dollars.render(*v));
        }
    }
}

#[derive(Clone, Copy)]
enum TextNum {
    /// `1,200,000`, negatives as `(300)`
    Commas,
    /// `$1,200`
    Dollars,
    /// `1 200`
    Spaces,
    /// `12%`
    Percent,
}

impl TextNum {
    fn render(self, v: f64) -> String {
        match self {
            TextNum::Commas if v < 0.0 => format!("({})", group(-v, ',')),
            TextNum::Commas => group(v, ','),
            TextNum::Dollars => format!("${}", group(v, ',')),
            TextNum::Spaces => group(v, ' '),
            TextNum::Percent => format!("{}%", (v * 1000.0).round() / 10.0),
        }
    }
}

/// Whole number with a thousands separator.
fn group(v: f64, sep: char) -> String {
    let digits = format!("{}", v.round() as i64);
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(ch);
    }
    out
}

/// A `Total` row summing LY Target, LY Actual, Flat and Investment of all rows above
/// (as SUM formulas with cached results, or as typed numbers).
fn add_total_row(plan: &mut Sheet, formulas: bool) {
    let first = plan.header_row() + 1;
    let last = plan.rows.len() - 1;
    let mut total = vec![Cell::Blank; plan.rows[plan.header_row()].len()];
    total[0] = text("Total");
    for col in ["LY Target", "LY Actual", "Flat", "Investment"] {
        let c = plan.col(col);
        let sum = (first..=last).fold(0.0, |acc, r| match plan.rows[r].get(c) {
            Some(Cell::Num(v, _)) => acc + v,
            _ => acc,
        });
        total[c] = if formulas {
            let range = format!(
                "SUM({}:{})",
                row_col_to_cell(first as u32, c as u16),
                row_col_to_cell(last as u32, c as u16)
            );
            Cell::Formula(range, format!("{sum}"), Fmt::Thousands)
        } else {
            Cell::Num(sum, Fmt::Thousands)
        };
    }
    plan.rows.push(total);
}

fn collect_marks(book: &Book, file: &str) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    for sheet in &book.sheets {
        for m in &sheet.marks {
            let cell = row_col_to_cell(m.row as u32, m.col as u16);
            out.push((
                m.rule,
                format!(
                    "| `{}` | `{file}` | `{}!{cell}` | {} |",
                    m.rule,
                    sheet.name.trim(),
                    m.note
                ),
            ));
        }
    }
    out
}

const RULE_ORDER: [&str; 13] = [
    "assumptions-count",
    "asks-count",
    "risk-mitigation",
    "flat-resources",
    "investment-resources",
    "investment-below-flat",
    "ly-miss-why",
    "s2-unlisted",
    "s2-mismatch",
    "totals-row",
    "doc-length",
    "lessons-missing",
    "missing-team",
];

fn planted_md(mut planted: Vec<(&'static str, String)>) -> String {
    planted.push((
        "missing-team",
        format!("| `missing-team` | `op1.toml` | `[round] teams` | \"{NOT_SUBMITTED}\" is on the roster but has no workbook |"),
    ));
    planted.push((
        "doc-length",
        "| `doc-length` | `platform/data.xlsx` | `Narrative` | the narrative (with a long roadmap appendix) runs over the six-page budget of 3,000 words |".into(),
    ));
    planted.push((
        "lessons-missing",
        "| `lessons-missing` | `platform/security.xlsx` | `Narrative` | Security missed last year's targets and its narrative has no Lessons |".into(),
    ));
    planted.sort_by_key(|(rule, _)| RULE_ORDER.iter().position(|r| r == rule));
    let rows: Vec<String> = planted.into_iter().map(|(_, row)| row).collect();
    format!("{PLANTED_HEAD}{}\n{PLANTED_TAIL}", rows.join("\n"))
}

const PLANTED_HEAD: &str = "# Planted problems in the FY27 sample round

Generated by `cargo run --example make_round -- --out fixtures/round-fy27 --clean`
(do not edit by hand). Every problem below is a **warning**; the round must read with
no errors. Each is planted in its own team (`s2-mismatch` has two sides). Cells are
1-based A1 references in the file as committed.

| rule | file | cell | what |
|---|---|---|---|
";

const PLANTED_TAIL: &str = "
Everything else is meant to be checklist-clean: 3–5 assumptions, 1–2 asks, 1–2 risks
each with a mitigation, flat resources = LY, investment resources > flat, Investment
better than Flat on every metric (lower is better for `Operating cost`), a Why on every
LY miss, and every S2 goal listed identically by its two owners.

## Mess that must read cleanly (no findings beyond info)

- `consumer/~$payments.xlsx` (Excel lock file), `.DS_Store`, `enterprise/.~lock.sales-uk.xls#`
  (hidden), `README.txt`, `PLANTED.md`, `op1.toml`: skipped.
- `consumer/marketplace.ods` and `enterprise/sales-uk.xls`: re-saved by LibreOffice.
- `consumer/payments.xlsx` › Plan: merged title A1:J1, subtitle and note rows, header in
  row 4, a blank row between metrics.
- `enterprise/sales-emea.xlsx` › Plan: alias headers (`KPI`, `PY Target`, `PY`, `Run rate`,
  `Same resources`, `Stretch`, `Notes`, `Direction`, `Aggregation`) in another order, plus an
  unknown `Source` column (info); Team labels end in `:` (`Fiscal Year:`).
- `enterprise/sales-uk.xls` › Plan: headers `metric`, `UNIT`, `ly_target`, `ly_actual`,
  ` Flat `, `Investment:`, `WHY`; Resources: `resource`, `investment`.
- `enterprise/customer-success.xlsx` › Plan: numbers typed as text (`12,400,000`-style,
  `$…`, `61.5%`-style, `18 200`-style, `(300)`); Resources › Budget as `$…` text.
- `platform/infra.xlsx` › Plan: a `Total` row of SUM formulas that agrees with the rows above.
- `consumer/mobile.xlsx`: sheet names `team`, `Plan ` (trailing space), `RESOURCES`.
- `enterprise/sales-americas.xlsx`: an extra sheet `Pivot (old)`.
- Baselines left blank in several teams (= LY Actual).

## Narratives

Every team but Customer Success (`narrative-missing`, info) writes a `Narrative` sheet
(Purpose, Tenets, Last year, Lessons where a target was missed, Plan, 10x, FAQ) from its
own numbers, asks and risks. Data's runs over the page budget (`doc-length`); Security's
has no Lessons although it missed targets (`lessons-missing`). Risk's Purpose and FAQ hold HTML, a
`<script>`, an `<img onerror=…>`, Markdown and a formula-like `=HYPERLINK(…)`, and its
first risk's mitigation an `<img onerror=…>`: all must print as typed in every output.
";

/// Lock file, hidden files and a README, as real shared folders have.
fn write_round_extras(dir: &Path) -> Res {
    let mut lock = vec![0x0b];
    lock.extend(b"Priya Raman");
    lock.resize(165, 0x20);
    write_file(&dir.join("consumer/~$payments.xlsx"), lock)?;
    let mut ds_store = b"\x00\x00\x00\x01Bud1".to_vec();
    ds_store.resize(64, 0);
    write_file(&dir.join(".DS_Store"), ds_store)?;
    let lo_lock = "Harriet Cole,hcole,LAPTOP-7,14.01.2027 09:12,file:///C:/Users/hcole/AppData/Roaming/LibreOffice/4;\n";
    write_file(&dir.join("enterprise/.~lock.sales-uk.xls#"), lo_lock)?;
    let readme = "FY27 OP1 submissions\r\n\r\nOne workbook per team, in your org's folder. Use the template; \
                  do not rename the sheets.\r\nDeadline: 2027-01-20. Questions: #op1-help.\r\n";
    write_file(&dir.join("README.txt"), readme)
}

/// Re-saves `<target stem>.xlsx` as `target` (.ods/.xls) with LibreOffice, then deletes the .xlsx.
fn libreoffice_convert(target: &Path) -> Res {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/tools/convert.sh");
    let format = target
        .extension()
        .and_then(|e| e.to_str())
        .ok_or("no extension")?;
    let source = target.with_extension("xlsx");
    let outdir = target.parent().ok_or("no parent")?;
    let status = Command::new("sh")
        .arg(&script)
        .arg(format)
        .arg(outdir)
        .arg(&source)
        .status()?;
    if !status.success() || !target.exists() {
        return Err(format!("LibreOffice conversion of {} failed", source.display()).into());
    }
    fs::remove_file(&source)?;
    println!("converted {}", target.display());
    Ok(())
}

const SHARED_GOALS: [GoalSpec; 9] = [
    GoalSpec(
        "S2-01",
        "Cut card-fraud losses without hurting the approval rate",
        "Payments + Risk",
        "2027-09-30",
        "Fraud loss rate",
        0.0008,
        true,
    ),
    GoalSpec(
        "S2-02",
        "Grow sign-ups that start in the app",
        "Growth & Mobile",
        "Q4 FY27",
        "Mobile sign-ups",
        400_000.0,
        false,
    ),
    GoalSpec(
        "S2-03",
        "Launch one pan-European enterprise price book",
        "Sales EMEA / Sales UK",
        "2027-06-30",
        "Deals on the new price book",
        120.0,
        false,
    ),
    GoalSpec(
        "S2-04",
        "Raise enterprise net revenue retention",
        "Sales Americas + Customer Success",
        "Q4 FY27",
        "Net revenue retention",
        1.12,
        true,
    ),
    GoalSpec(
        "S2-05",
        "Move the data warehouse to the shared cluster",
        "Infra + Data",
        "2027-09-30",
        "Warehouse cost per TB (USD)",
        18.0,
        false,
    ),
    GoalSpec(
        "S2-06",
        "One-click checkout for marketplace sellers",
        "Payments + Marketplace",
        "2027-09-30",
        "Checkout conversion",
        0.62,
        true,
    ),
    GoalSpec(
        "S2-07",
        "Halve the time to resolve P1 enterprise incidents",
        "Customer Success + Infra",
        "Q3 FY27",
        "P1 resolution hours",
        4.0,
        false,
    ),
    GoalSpec(
        "S2-08",
        "Secret scanning in every CI pipeline",
        "Security & Developer Tools",
        "2027-06-30",
        "Repos covered",
        0.95,
        true,
    ),
    GoalSpec(
        "S2-09",
        "Co-marketing with the top 10 partners",
        "Partnerships + Growth",
        "Q3 FY27",
        "Partner-sourced sign-ups",
        60_000.0,
        false,
    ),
];

const SAMPLE_IDEAS: [(&str, [&str; 3]); 5] = [
    (
        "Payments",
        [
            "Sell our checkout as a product to other marketplaces.",
            "Hand-built acquirer integrations for markets under $1M volume.",
            "A wallet bundled into the phone OS that makes cards invisible at checkout.",
        ],
    ),
    (
        "Growth",
        [
            "A referral network where customers earn on every friend's first year.",
            "Broad-reach TV campaigns we cannot measure.",
            "A free tier inside a super-app our customers already use daily.",
        ],
    ),
    (
        "Marketplace",
        [
            "Open the marketplace to cross-border sellers with local payouts.",
            "Manual seller vetting for low-risk categories.",
            "An AI shopping agent that buys across marketplaces and makes ours a back end.",
        ],
    ),
    (
        "Sales EMEA",
        [
            "A partner-led motion so that 60% of deals close without our reps.",
            "Custom contracts for deals under €50k.",
            "A competitor's free tier bundled with an office suite.",
        ],
    ),
    (
        "Infra",
        [
            "Offer our internal platform to partners as a hosted service.",
            "Running our own mail and CI servers.",
            "A cloud provider shipping our core features as a managed service.",
        ],
    ),
];

const SAMPLES: &[Sample] = &[
    Sample {
        name: "Payments",
        owner: "Priya Raman",
        org: "Consumer/Payments",
        currency: "USD",
        file: "consumer/payments.xlsx",
        revenue_m: 42.0,
        customers_k: 1_200.0,
        extra: None,
        capex: false,
        assumptions: [
            "Card network fees stay at the FY26 blended rate of 1.9%.",
            "Checkout volume grows about 6% a year with the consumer app, without new work.",
            "The EU PSD3 changes take effect no earlier than FY28.",
            "Risk keeps the fraud-decline rate under 0.8% (shared goal S2-01).",
        ],
        asks: &[
            AskSpec(
                "headcount",
                "Engineers for one-click checkout and local payment methods",
                "2027-03-31",
                "Local payment methods in DE and NL slip to FY28",
            ),
            AskSpec(
                "budget",
                "Budget for a second card acquirer",
                "Q2",
                "No acquirer failover: a processor outage stops all checkout",
            ),
        ],
        risks: &[
            RiskSpec(
                "Primary card acquirer outage in peak season",
                "medium",
                "high",
                "Second acquirer live before Q4 with automatic failover",
                "Priya Raman",
            ),
            RiskSpec(
                "Interchange fees rise in the EU",
                "low",
                "medium",
                "Route EU volume to local schemes where cheaper",
                "Mei Chen",
            ),
        ],
        goals: &["S2-01", "S2-06"],
    },
    Sample {
        name: "Growth",
        owner: "Tom Becker",
        org: "Consumer/Growth",
        currency: "USD",
        file: "consumer/growth.xlsx",
        revenue_m: 18.0,
        customers_k: 850.0,
        extra: None,
        capex: false,
        assumptions: [
            "Paid acquisition costs stay at the FY26 average of $38 per sign-up.",
            "The app holds a top-20 rank in the finance category.",
            "The referral programme keeps its current reward.",
            "Brand spend is planned centrally and is not in our budget.",
        ],
        asks: &[AskSpec(
            "budget",
            "Performance-marketing budget to open Canada and Australia",
            "2027-02-15",
            "Market entry moves to H2 and half the customer uplift with it",
        )],
        risks: &[RiskSpec(
            "Platform privacy changes weaken ad targeting",
            "medium",
            "high",
            "Shift 30% of spend to owned channels and referrals",
            "Tom Becker",
        )],
        goals: &["S2-02", "S2-09"],
    },
    Sample {
        name: "Risk",
        owner: "Amara Okafor",
        org: "Consumer/Risk",
        currency: "USD",
        file: "consumer/risk.xlsx",
        revenue_m: 5.6,
        customers_k: 610.0,
        extra: None,
        capex: false,
        assumptions: [
            "Fraud attack volume grows with transaction volume, not faster.",
            "The device-fingerprinting contract renews at the same price.",
            "Card-network chargeback rules do not change in FY27.",
            "Payments ships the 3-D Secure upgrade by Q2.",
        ],
        asks: &[AskSpec(
            "headcount",
            "Data scientists for the real-time fraud model",
            "Q1",
            "The real-time model moves to FY28; losses stay at the FY26 rate",
        )],
        risks: &[
            RiskSpec(
                "A new account-takeover pattern outpaces the rules engine",
                "medium",
                "high",
                "Weekly rule review and a 24-hour model retrain path",
                "Amara Okafor",
            ),
            RiskSpec(
                "Model false positives block good customers",
                "medium",
                "medium",
                "Run every new model in shadow mode for two weeks first",
                "Jonas Berg",
            ),
        ],
        goals: &["S2-01"],
    },
    Sample {
        name: "Mobile",
        owner: "Oliver Hughes",
        org: "Consumer/Mobile",
        currency: "GBP",
        file: "consumer/mobile.xlsx",
        revenue_m: 14.0,
        customers_k: 1_900.0,
        extra: None,
        capex: false,
        assumptions: [
            "The iOS/Android split of our users stays at 60/40.",
            "App store commission stays at 15% on subscriptions.",
            "Platform delivers the design-system refresh before Q2.",
            "No OS change forces a rewrite this year.",
        ],
        asks: &[AskSpec(
            "headcount",
            "Mobile engineers for offline mode",
            "2027-04-30",
            "Offline mode slips to FY28; rural retention stays flat",
        )],
        risks: &[
            RiskSpec(
                "App review rejects the new subscription flow",
                "low",
                "high",
                "Pre-review with the Apple and Google partner managers",
                "Oliver Hughes",
            ),
            RiskSpec(
                "Crash rate rises with the new rendering engine",
                "medium",
                "medium",
                "Staged rollout with crash-rate gates",
                "Fatima Noor",
            ),
        ],
        goals: &["S2-02"],
    },
    Sample {
        name: "Marketplace",
        owner: "Sofia Marín",
        org: "Consumer/Marketplace",
        currency: "EUR",
        file: "consumer/marketplace.ods",
        revenue_m: 27.0,
        customers_k: 420.0,
        extra: None,
        capex: false,
        assumptions: [
            "The seller take rate stays at 11%.",
            "The top 50 sellers stay on the platform through FY27.",
            "Payments ships one-click checkout for sellers by Q3 (S2-06).",
            "Digital Services Act reporting needs no new headcount.",
        ],
        asks: &[
            AskSpec(
                "budget",
                "Seller-onboarding incentives in Spain and Italy",
                "Q2",
                "Seller growth in southern Europe waits a year",
            ),
            AskSpec(
                "decision",
                "Decision on allowing third-party logistics partners",
                "2027-03-01",
                "We stay own-fulfilment only, which caps category growth",
            ),
        ],
        risks: &[RiskSpec(
            "A large seller moves to a competing marketplace",
            "medium",
            "high",
            "Tiered fees and a success manager for each top-50 seller",
            "Sofia Marín",
        )],
        goals: &["S2-06"],
    },
    Sample {
        name: "Sales EMEA",
        owner: "Lukas Weber",
        org: "Enterprise/Sales EMEA",
        currency: "EUR",
        file: "enterprise/sales-emea.xlsx",
        revenue_m: 52.0,
        customers_k: 8.4,
        extra: None,
        capex: false,
        assumptions: [
            "Average deal size stays at about €62k.",
            "The sales cycle stays at 95 days.",
            "The new price book launches with Sales UK in Q2 (S2-03).",
            "Ramped reps keep hitting 82% of quota on average.",
        ],
        asks: &[
            AskSpec(
                "headcount",
                "Account executives for DACH and the Nordics",
                "2027-01-31",
                "Each quarter of delay costs about €1.5M of investment-track bookings",
            ),
            AskSpec(
                "budget",
                "Partner-led events budget in France",
                "Q2",
                "France stays direct-only for another year",
            ),
        ],
        risks: &[RiskSpec(
            "Senior reps leave after the commission plan change",
            "medium",
            "high",
            "Retention grants and a transition plan per territory",
            "Lukas Weber",
        )],
        goals: &["S2-03"],
    },
    Sample {
        name: "Sales Americas",
        owner: "Dana Whitfield",
        org: "Enterprise/Sales Americas",
        currency: "USD",
        file: "enterprise/sales-americas.xlsx",
        revenue_m: 58.0,
        customers_k: 11.0,
        extra: None,
        capex: false,
        assumptions: [
            "US enterprise IT budgets grow 3–4% in 2027.",
            "Average deal size stays at about $70k.",
            "New account executives take six months to ramp.",
            "Customer Success keeps gross retention above 92% (S2-04).",
        ],
        asks: &[
            AskSpec(
                "headcount",
                "Account executives for the mid-market segment",
                "2027-01-31",
                "The mid-market launch slips half a year; $4M of bookings move to FY28",
            ),
            AskSpec(
                "budget",
                "Partner channel programme in Brazil and Mexico",
                "Q3",
                "Latin America stays direct-only",
            ),
        ],
        risks: &[RiskSpec(
            "A large US competitor cuts prices by 20%",
            "medium",
            "high",
            "Value-based pricing playbook and multi-year terms for top accounts",
            "Dana Whitfield",
        )],
        goals: &["S2-04"],
    },
    Sample {
        name: "Sales UK",
        owner: "Harriet Cole",
        org: "Enterprise/Sales UK",
        currency: "GBP",
        file: "enterprise/sales-uk.xls",
        revenue_m: 21.0,
        customers_k: 5.2,
        extra: None,
        capex: false,
        assumptions: [
            "UK public-sector frameworks renew in March with us on them.",
            "Sterling stays within 5% of the planning rate.",
            "Average deal size stays at about £48k.",
            "The pan-European price book is live by Q2 (S2-03).",
        ],
        asks: &[AskSpec(
            "headcount",
            "Account executives for the public sector",
            "2027-03-01",
            "Public-sector framework deals wait until FY28",
        )],
        risks: &[RiskSpec(
            "The framework renewal leaves us out",
            "low",
            "high",
            "Bid team engaged six months ahead with reference customers",
            "Harriet Cole",
        )],
        goals: &["S2-03"],
    },
    Sample {
        name: "Customer Success",
        owner: "Marcus Lee",
        org: "Enterprise/Customer Success",
        currency: "USD",
        file: "enterprise/customer-success.xlsx",
        revenue_m: 12.4,
        customers_k: 18.2,
        extra: Some(Extra::NetCustomers),
        capex: false,
        assumptions: [
            "Tickets per customer fall 5% with the new help centre.",
            "Gross retention holds at 92% without new investment.",
            "Infra keeps monthly uptime at 99.95% or better.",
            "Renewal prices rise with inflation, about 3%.",
        ],
        asks: &[
            AskSpec(
                "headcount",
                "Customer success managers for accounts over $250k",
                "Q1",
                "Top accounts stay pooled; the expansion motion waits",
            ),
            AskSpec(
                "budget",
                "Budget for a customer health-scoring tool",
                "2027-04-01",
                "Churn risk stays manual and is spotted late",
            ),
        ],
        risks: &[RiskSpec(
            "A top-10 account leaves at renewal",
            "medium",
            "high",
            "Executive sponsor and quarterly business review for each top-20 account",
            "Marcus Lee",
        )],
        goals: &["S2-04", "S2-07"],
    },
    Sample {
        name: "Partnerships",
        owner: "Chloe Martin",
        org: "Enterprise",
        currency: "GBP",
        file: "enterprise/partnerships.xlsx",
        revenue_m: 9.0,
        customers_k: 6.5,
        extra: None,
        capex: false,
        assumptions: [
            "The top 10 partners renew their reseller agreements.",
            "Partner margin stays at 20% of list price.",
            "Partners match co-marketing funds one to one.",
            "No new partner certification programme is needed in FY27.",
        ],
        asks: &[AskSpec(
            "budget",
            "Co-marketing fund for the top 10 partners",
            "Q1",
            "Partner-sourced pipeline grows at the flat-track rate only",
        )],
        risks: &[RiskSpec(
            "A top-3 partner is bought by a competitor",
            "low",
            "high",
            "Sign two new tier-1 partners by Q3",
            "Chloe Martin",
        )],
        goals: &["S2-09"],
    },
    Sample {
        name: "Infra",
        owner: "Ravi Shah",
        org: "Platform/Infra",
        currency: "USD",
        file: "platform/infra.xlsx",
        revenue_m: 3.2,
        customers_k: 5.5,
        extra: Some(Extra::Uptime),
        capex: true,
        assumptions: [
            "Cloud compute prices fall 5% with the three-year commitment.",
            "Traffic grows 25%, in line with the consumer app.",
            "The data warehouse moves to the shared cluster by Q3 (S2-05).",
            "On-call stays at two engineers per rotation.",
        ],
        asks: &[
            AskSpec(
                "capex",
                "Capex for a second region",
                "2027-05-31",
                "No regional failover: a region outage takes the whole product down",
            ),
            AskSpec(
                "headcount",
                "Site reliability engineers for the second region",
                "Q2",
                "The second region opens without 24/7 cover",
            ),
        ],
        risks: &[
            RiskSpec(
                "A single-region outage",
                "low",
                "high",
                "Second region live by Q3 with quarterly failover drills",
                "Ravi Shah",
            ),
            RiskSpec(
                "The cloud commitment overshoots usage",
                "medium",
                "medium",
                "Quarterly right-sizing review with Finance",
                "Ravi Shah",
            ),
        ],
        goals: &["S2-05"],
    },
    Sample {
        name: "Data",
        owner: "Elena Petrova",
        org: "Platform/Data",
        currency: "EUR",
        file: "platform/data.xlsx",
        revenue_m: 4.8,
        customers_k: 7.0,
        extra: None,
        capex: true,
        assumptions: [
            "Query volume doubles as self-serve analytics rolls out.",
            "Storage cost per TB falls 8% on the shared cluster.",
            "GDPR retention rules stay as they are.",
            "Two analysts move from Finance into the team in Q1.",
        ],
        asks: &[AskSpec(
            "headcount",
            "Data engineers for the warehouse migration",
            "Q1",
            "The migration slips to FY28 and we pay for two warehouses for a year",
        )],
        risks: &[RiskSpec(
            "Data-quality issues in the migrated warehouse",
            "medium",
            "medium",
            "Six weeks of parallel runs with automated reconciliation",
            "Elena Petrova",
        )],
        goals: &["S2-05"],
    },
    Sample {
        name: "Security",
        owner: "Sam Carter",
        org: "Platform/Security",
        currency: "USD",
        file: "platform/security.xlsx",
        revenue_m: 2.6,
        customers_k: 9.0,
        extra: Some(Extra::Tickets),
        capex: true,
        assumptions: [
            "No compliance framework beyond SOC 2 and ISO 27001 is required.",
            "Penetration-test vendor pricing stays flat.",
            "Developer Tools ships the CI integration points by Q2 (S2-08).",
            "Security tickets grow 15% with company headcount.",
        ],
        asks: &[AskSpec(
            "headcount",
            "Application security engineers",
            "Q1",
            "Secret scanning and code review cover only 40% of repos",
        )],
        risks: &[RiskSpec(
            "A breach through a third-party dependency",
            "medium",
            "high",
            "Dependency scanning in CI and a 48-hour patch policy",
            "Sam Carter",
        )],
        goals: &["S2-08"],
    },
    Sample {
        name: "Developer Tools",
        owner: "Noah Kim",
        org: "Platform/Developer Tools",
        currency: "GBP",
        file: "platform/dev-tools.xlsx",
        revenue_m: 7.5,
        customers_k: 32.0,
        extra: None,
        capex: false,
        assumptions: [
            "Internal developer count grows 12% across the company.",
            "CI minutes per developer stay at the FY26 average.",
            "The open-source CLI keeps its current licence.",
            "Security provides the scanning rules for S2-08.",
        ],
        asks: &[AskSpec(
            "budget",
            "Budget for a hosted CI runner pool",
            "2027-02-28",
            "Build times stay at 18 minutes",
        )],
        risks: &[RiskSpec(
            "The CI vendor changes its pricing model",
            "medium",
            "medium",
            "Keep a self-hosted runner fallback, tested quarterly",
            "Noah Kim",
        )],
        goals: &["S2-08"],
    },
];

// ---------------------------------------------------------------------------
// The bad-file set (fixtures/bad)
// ---------------------------------------------------------------------------

/// One expected finding: file, where (sheet!cell, sheet, or none), what the message must say.
struct Expect {
    file: String,
    at: String,
    says: String,
}

type BadCase = (&'static str, fn(&mut Book) -> (String, String));

const BAD_CASES: [BadCase; 12] = [
    ("text-in-number", text_in_number),
    ("excel-error", excel_error),
    ("date-in-number", date_in_number),
    ("missing-plan-sheet", missing_plan_sheet),
    ("missing-column", missing_column),
    ("missing-team-name", missing_team_name),
    ("duplicate-metric", duplicate_metric),
    ("fiscal-year", fiscal_year),
    ("duplicate-team-a", duplicate_team),
    ("duplicate-team-b", duplicate_team),
    ("huge-dimension", huge_dimension),
    ("unknown-currency", unknown_currency),
];

fn write_bad_set(dir: &Path, clean: bool) -> Res {
    prepare_dir(dir, clean, &[])?;
    let mut expected = byte_level_bad_files(dir)?;
    for (i, (stem, apply)) in BAD_CASES.iter().enumerate() {
        let mut book = bad_base(stem, i + 1);
        let (at, says) = apply(&mut book);
        save_book(&book, &dir.join(format!("{stem}.xlsx")))?;
        expected.push(Expect {
            file: format!("{stem}.xlsx"),
            at,
            says,
        });
    }
    expected.extend(python_made_expectations());
    let toml = "# Settings for reading fixtures/bad (no CHF rate on purpose).\n\
                reporting_currency = \"USD\"\nfiscal_year = 2027\n\n[fx]\nEUR = 1.08\nGBP = 1.27\n";
    write_file(&dir.join("op1.toml"), toml)?;
    write_file(&dir.join("EXPECTED.md"), expected_md(&expected))?;
    println!(
        "wrote the bad-file set to {} (encrypted.xlsx and zip-bomb.xlsx come from make_bad.py)",
        dir.display()
    );
    Ok(())
}

/// A clean team workbook named after its file (both duplicate-team files share one name).
fn bad_base(stem: &str, i: usize) -> Book {
    let mut team = generated_team(BAD_SEED, i, 1);
    team.name = if stem.starts_with("duplicate-team") {
        "Duplicate Team".into()
    } else {
        stem.into()
    };
    team.currency = "USD".into();
    for m in team.metrics.iter_mut().filter(|m| m.unit.len() == 3) {
        m.unit = "USD".into();
    }
    team_book(&team)
}

fn byte_level_bad_files(dir: &Path) -> Res<Vec<Expect>> {
    write_file(&dir.join("empty.xlsx"), b"")?;
    let plain = "Team: Payments\nOwner: Priya Raman\n\nThis plan was pasted into a text file and saved as .xlsx.\n";
    write_file(&dir.join("not-a-spreadsheet.xlsx"), plain)?;
    let mut corrupt = book_bytes(&bad_base("corrupt", 99))?;
    corrupt.truncate(1500);
    corrupt.extend(b"\x00\xff\xfe garbage after a truncated zip stream \xde\xad\xbe\xef");
    write_file(&dir.join("corrupt.xlsx"), corrupt)?;
    let expect = |file: &str, says: &str| Expect {
        file: file.into(),
        at: "none".into(),
        says: says.into(),
    };
    Ok(vec![
        expect("corrupt.xlsx", "cannot be opened: corrupt / not a valid zip archive (a zip local header, then a truncated stream and garbage; no central directory)"),
        expect("not-a-spreadsheet.xlsx", "cannot be opened: not a spreadsheet despite its .xlsx extension (plain text, no zip signature)"),
        expect("empty.xlsx", "cannot be opened: the file is empty (0 bytes)"),
    ])
}

fn python_made_expectations() -> Vec<Expect> {
    vec![
        Expect {
            file: "encrypted.xlsx".into(),
            at: "none".into(),
            says: "cannot be opened: encrypted / password-protected (OLE container with an EncryptedPackage stream; \
                   password `op1-fixture`, made by make_bad.py)"
                .into(),
        },
        Expect {
            file: "zip-bomb.xlsx".into(),
            at: "Plan (xl/worksheets/sheet2.xml)".into(),
            says: "refused before inflating: the Plan sheet XML expands to 400,000,000+ bytes (> 300 MB) from under 1 MB; \
                   must not hang or exhaust memory (made by make_bad.py)"
                .into(),
        },
    ]
}

fn text_in_number(book: &mut Book) -> (String, String) {
    let (cell, at) = book.sheet("Plan").cell_mut("Revenue", "Flat");
    *cell = text("TBD");
    (
        format!("Plan!{at}"),
        "expected a number, found \"TBD\"".into(),
    )
}

fn excel_error(book: &mut Book) -> (String, String) {
    let plan = book.sheet("Plan");
    let flat = row_col_to_cell(plan.row("Gross margin") as u32, plan.col("Flat") as u16);
    let (cell, at) = plan.cell_mut("Gross margin", "Investment");
    *cell = Cell::Formula(format!("{flat}/Z99"), "#DIV/0!".into(), Fmt::Percent);
    let says = format!("Plan!{at} holds the Excel error #DIV/0! (a formula whose cached value is an error, t=\"e\"): an error, never a zero");
    (format!("Plan!{at}"), says)
}

fn date_in_number(book: &mut Book) -> (String, String) {
    let (cell, at) = book
        .sheet("Plan")
        .cell_mut("Active customers", "Investment");
    *cell = Cell::Date(2027, 3, 31);
    (
        format!("Plan!{at}"),
        format!("Plan!{at}: expected a number, found a date (2027-03-31)"),
    )
}

fn missing_plan_sheet(book: &mut Book) -> (String, String) {
    book.sheets.retain(|s| s.name != "Plan");
    ("none".into(), "the required sheet `Plan` is missing".into())
}

fn missing_column(book: &mut Book) -> (String, String) {
    let keep: Vec<&str> = PLAN_COLS.iter().copied().filter(|c| *c != "Flat").collect();
    book.sheet("Plan").reorder_cols(&keep);
    ("Plan".into(), "the required column `Flat` (aliases `Same resources`, `Flat resources`) is missing from Plan".into())
}

fn missing_team_name(book: &mut Book) -> (String, String) {
    let (cell, at) = book.sheet("Team").label_mut("Team");
    *cell = Cell::Blank;
    (
        format!("Team!{at}"),
        "the required `Team` (team name) is empty".into(),
    )
}

fn duplicate_metric(book: &mut Book) -> (String, String) {
    let plan = book.sheet("Plan");
    let first = plan.row("Revenue");
    let copy = plan.rows[first].clone();
    plan.rows.push(copy);
    let at = row_col_to_cell((plan.rows.len() - 1) as u32, 0);
    let first_at = row_col_to_cell(first as u32, 0);
    (format!("Plan!{at}"), format!("metric `Revenue` appears twice (Plan!{first_at} and Plan!{at}); metrics must be unique"))
}

fn fiscal_year(book: &mut Book) -> (String, String) {
    let (cell, at) = book.sheet("Team").label_mut("Fiscal year");
    *cell = Cell::Num(2026.0, Fmt::General);
    (
        format!("Team!{at}"),
        "fiscal year 2026 does not match the round's fiscal year 2027 (op1.toml)".into(),
    )
}

fn duplicate_team(book: &mut Book) -> (String, String) {
    let (_, at) = book.sheet("Team").label_mut("Team");
    let says = "team name `Duplicate Team` is used by both duplicate-team-a.xlsx and duplicate-team-b.xlsx (one error naming both files)";
    (format!("Team!{at}"), says.into())
}

fn huge_dimension(book: &mut Book) -> (String, String) {
    book.sheet("Plan")
        .far
        .push((1_048_575, 16_383, text("stray")));
    let says = "a stray value at the last cell (used range A1:XFD1048576, ~17 billion cells): must not allocate the \
                full grid, hang or crash; expected an error naming the file and Plan that says the sheet's used range is too large";
    ("Plan!XFD1048576".into(), says.into())
}

fn unknown_currency(book: &mut Book) -> (String, String) {
    let (cell, at) = book.sheet("Team").label_mut("Currency");
    *cell = text("CHF");
    let plan = book.sheet("Plan");
    for row in plan.rows.iter_mut().skip(1) {
        if matches!(&row[1], Cell::Text(u) if u == "USD") {
            row[1] = text("CHF");
        }
    }
    let says = "money figures in CHF but op1.toml has no fx rate for CHF (never a silent 1:1)";
    (
        format!("Team!{at} (Currency), or the CHF units in Plan!B2:B3"),
        says.into(),
    )
}

fn expected_md(expected: &[Expect]) -> String {
    let rows: Vec<String> = expected
        .iter()
        .map(|e| format!("| `{}` | {} | {} |", e.file, e.at, e.says))
        .collect();
    format!(
        "# Expected findings for fixtures/bad\n\n\
         Generated by `python3 fixtures/tools/make_bad.py` (do not edit by hand). Read with\n\
         `fixtures/bad/op1.toml` (USD, FY 2027, fx for EUR and GBP only). Every row is an\n\
         **error** that names the file and, where given, the sheet and cell, e.g.\n\
         `text-in-number.xlsx › Plan!H2: expected a number, found \"TBD\"`. Apart from its one\n\
         problem each workbook is a clean team. Cells are 1-based A1 references.\n\n\
         | file | sheet!cell | the message must say |\n|---|---|---|\n{}\n",
        rows.join("\n")
    )
}
