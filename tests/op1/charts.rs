//! The charts: every file is written, PNGs are 1600×900 and not blank, SVGs
//! are well-formed and carry their titles, the output is deterministic, and
//! rounds of 1, 500 and 10,000 teams all draw. Rounds are built in memory
//! (no workbooks) and the sample round is packed by the real binary.

use crate::common;
use common::*;
use op1::finding::Rule;
use op1::model::{self, FundingParams, Model};
use op1::plan::{Better, Metric, Pos, Resource, Rollup, SheetKind, TeamWorkbook, UnitKind, Val};
use op1::settings::Settings;
use op1::write::charts::{render_rgb, write_charts, HEIGHT, WIDTH};
use std::collections::BTreeMap;
use std::path::Path;

// ---------------------------------------------------------------------------
// Rounds built in memory.
// ---------------------------------------------------------------------------

fn at<T>(value: T, sheet: SheetKind, row: u32, col: u32) -> Val<T> {
    Val {
        value,
        pos: Pos { sheet, row, col },
    }
}

struct M {
    name: &'static str,
    unit: &'static str,
    kind: UnitKind,
    better: Better,
    rollup: Rollup,
}

const REVENUE: M = M {
    name: "Revenue",
    unit: "USD",
    kind: UnitKind::Money,
    better: Better::Higher,
    rollup: Rollup::Sum,
};
const COST: M = M {
    name: "Operating cost",
    unit: "USD",
    kind: UnitKind::Money,
    better: Better::Lower,
    rollup: Rollup::Sum,
};
const MARGIN: M = M {
    name: "Gross margin",
    unit: "%",
    kind: UnitKind::Ratio,
    better: Better::Higher,
    rollup: Rollup::Mean,
};
const NPS: M = M {
    name: "NPS (score)",
    unit: "points",
    kind: UnitKind::Other,
    better: Better::Higher,
    rollup: Rollup::None,
};

fn metric(m: &M, row: u32, unit: &str, values: [f64; 4]) -> Metric {
    let [ly, baseline, flat, investment] = values;
    let v = |x: f64, col| Some(at(x, SheetKind::Plan, row, col));
    Metric {
        name: at(m.name.to_string(), SheetKind::Plan, row, 0),
        unit: at(
            if m.kind == UnitKind::Money {
                unit.to_string()
            } else {
                m.unit.to_string()
            },
            SheetKind::Plan,
            row,
            1,
        ),
        unit_kind: m.kind,
        better: m.better,
        rollup: m.rollup,
        weight: None,
        ly_target: v(ly * 1.01, 4),
        ly_actual: v(ly, 5),
        baseline: v(baseline, 6),
        flat: v(flat, 7),
        investment: v(investment, 8),
        why: None,
        quarters: Default::default(),
        forecast: None,
        commentary: None,
    }
}

fn resource(name: &str, row: u32, ly: f64, flat: f64, investment: f64) -> Resource {
    let v = |x: f64, col| Some(at(x, SheetKind::Resources, row, col));
    Resource {
        name: at(name.to_string(), SheetKind::Resources, row, 0),
        ly: v(ly, 1),
        flat: v(flat, 2),
        investment: v(investment, 3),
        quarters: Default::default(),
    }
}

/// A deterministic pseudo-random number in 0..1.
fn noise(i: usize, salt: u64) -> f64 {
    let mut x = (i as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ salt;
    x ^= x >> 29;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 32;
    (x % 10_000) as f64 / 10_000.0
}

/// Team `i` of a generated round; every seventh team has a very long name,
/// every fifth reports in EUR.
fn team(i: usize) -> TeamWorkbook {
    let name = if i % 7 == 3 {
        format!("Team {i:05} — platform reliability, observability and developer experience for every region")
    } else {
        format!("Team {i:05}")
    };
    let currency = if i % 5 == 4 { "EUR" } else { "USD" };
    let size = 1.0 + 40.0 * noise(i, 1).powi(3);
    let revenue = (size * 1_000_000.0).round();
    let grow = |base: f64, salt: u64, lo: f64, hi: f64| {
        (base * (1.0 + lo + (hi - lo) * noise(i, salt))).round()
    };
    let flat_rev = grow(revenue, 2, -0.02, 0.08);
    let inv_rev = grow(flat_rev, 3, 0.0, 0.6);
    let cost = (revenue * 0.4).round();
    let margin = 0.3 + 0.4 * noise(i, 4);
    let heads = (5.0 + 80.0 * noise(i, 5)).round();
    let budget = (heads * 90_000.0).round();
    let extra = if i % 11 == 6 {
        0.0
    } else {
        (budget * 0.3 * noise(i, 6)).round()
    };
    TeamWorkbook {
        owner: Some(at("Owner".to_string(), SheetKind::Team, 1, 1)),
        org: Some(at(
            format!("Division {}/Group {}", i % 6, i % 17),
            SheetKind::Team,
            2,
            1,
        )),
        currency: Some(at(currency.to_string(), SheetKind::Team, 3, 1)),
        metrics: vec![
            metric(&REVENUE, 1, currency, [revenue, revenue, flat_rev, inv_rev]),
            metric(
                &COST,
                2,
                currency,
                [
                    cost,
                    cost,
                    grow(cost, 7, -0.05, 0.05),
                    grow(cost, 8, -0.1, 0.1),
                ],
            ),
            metric(
                &MARGIN,
                3,
                currency,
                [margin, margin, margin + 0.01, margin + 0.03],
            ),
            metric(
                &NPS,
                4,
                currency,
                [20.0, 20.0, 22.0, 30.0 + 10.0 * noise(i, 9)],
            ),
        ],
        resources: vec![
            resource(
                "Headcount",
                1,
                heads,
                heads,
                heads + (extra / 90_000.0).round(),
            ),
            resource("Budget", 2, budget, budget, budget + extra),
        ],
        ..TeamWorkbook::new(
            format!("generated/team-{i:05}.xlsx"),
            at(name, SheetKind::Team, 0, 1),
        )
    }
}

fn settings() -> Settings {
    let mut s = Settings::default();
    s.fx.insert("EUR".to_string(), 1.08);
    s
}

fn round(teams: usize, objective: Option<&str>) -> Model {
    let books: Vec<TeamWorkbook> = (0..teams).map(team).collect();
    let refs: Vec<&TeamWorkbook> = books.iter().collect();
    let budget: f64 = 150_000.0 * teams as f64;
    model::build(
        &refs,
        &settings(),
        &FundingParams {
            budget: Some(budget),
            objective: objective.map(model::Objective::new),
            ..FundingParams::default()
        },
    )
    .expect("model")
    .0
}

// ---------------------------------------------------------------------------
// Checking the files.
// ---------------------------------------------------------------------------

/// In the round's metric order: the metrics every team reports by name, then NPS
/// (fewer teams).
const STEMS: [&str; 8] = [
    "gross-margin-tracks",
    "operating-cost-tracks",
    "revenue-tracks",
    "nps-score-tracks",
    "bridge",
    "funding-curve",
    "ambition-gap",
    "resources",
];

fn expected(stems: &[&str]) -> Vec<String> {
    stems
        .iter()
        .flat_map(|s| [format!("charts/{s}.png"), format!("charts/{s}.svg")])
        .collect()
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for b in bytes {
        crc ^= *b as u32;
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// Checks the PNG container: signature, chunk CRCs, IHDR size and colour
/// type, IEND last; returns the total IDAT (compressed pixel) bytes.
fn png_pixels_bytes(path: &Path) -> usize {
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{}", path.display());
    let mut at = 8;
    let mut idat = 0;
    let mut chunks = Vec::new();
    while at + 12 <= bytes.len() {
        let len = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
        let kind = &bytes[at + 4..at + 8];
        let data = &bytes[at + 8..at + 8 + len];
        let crc = u32::from_be_bytes(bytes[at + 8 + len..at + 12 + len].try_into().unwrap());
        assert_eq!(
            crc32(&bytes[at + 4..at + 8 + len]),
            crc,
            "{}",
            path.display()
        );
        if kind == b"IHDR" {
            let w = u32::from_be_bytes(data[0..4].try_into().unwrap());
            let h = u32::from_be_bytes(data[4..8].try_into().unwrap());
            assert_eq!((w, h), (1600, 900), "{}", path.display());
            assert_eq!(data[8], 8, "bit depth");
            assert!(data[9] == 2 || data[9] == 6, "RGB or RGBA");
        }
        if kind == b"IDAT" {
            idat += len;
        }
        chunks.push(String::from_utf8_lossy(kind).to_string());
        at += 12 + len;
    }
    assert_eq!(at, bytes.len(), "trailing bytes in {}", path.display());
    assert_eq!(chunks.first().map(String::as_str), Some("IHDR"));
    assert_eq!(chunks.last().map(String::as_str), Some("IEND"));
    idat
}

/// The IDAT bytes of an all-white 1600×900 PNG from the same encoder.
fn blank_png_bytes(dir: &Path) -> usize {
    use plotters::prelude::*;
    let path = dir.join("blank.png");
    {
        let root = BitMapBackend::new(&path, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).unwrap();
        root.present().unwrap();
    }
    let n = png_pixels_bytes(&path);
    std::fs::remove_file(&path).unwrap();
    n
}

/// A small XML well-formedness check: tags balance, one root `svg`,
/// attributes quoted, entities known. Returns the text content.
fn svg_text(path: &Path) -> String {
    let xml = std::fs::read_to_string(path).unwrap();
    let name = path.display();
    let mut stack: Vec<String> = Vec::new();
    let mut roots = 0;
    let mut text = String::new();
    let mut rest = xml.as_str();
    while let Some(open) = rest.find('<') {
        check_entities(&rest[..open], &name.to_string());
        text.push_str(&rest[..open]);
        text.push('\n');
        rest = &rest[open..];
        if rest.starts_with("<?") {
            rest = &rest[rest.find("?>").expect("unterminated <?") + 2..];
            continue;
        }
        if rest.starts_with("<!--") {
            rest = &rest[rest.find("-->").expect("unterminated comment") + 3..];
            continue;
        }
        // Find the end of the tag, skipping quoted attribute values.
        let mut quote = None;
        let mut end = None;
        for (i, c) in rest.char_indices().skip(1) {
            match (quote, c) {
                (None, '"') | (None, '\'') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                (None, '>') => {
                    end = Some(i);
                    break;
                }
                (None, '<') => panic!("{name}: '<' inside a tag"),
                _ => {}
            }
        }
        let end = end.unwrap_or_else(|| panic!("{name}: unterminated tag"));
        let tag = &rest[1..end];
        rest = &rest[end + 1..];
        if let Some(closing) = tag.strip_prefix('/') {
            let open = stack
                .pop()
                .unwrap_or_else(|| panic!("{name}: stray </{closing}>"));
            assert_eq!(open, closing.trim(), "{name}: mismatched tags");
            continue;
        }
        let self_closing = tag.ends_with('/');
        let tag_name: String = tag
            .trim_end_matches('/')
            .split_whitespace()
            .next()
            .unwrap_or_else(|| panic!("{name}: empty tag"))
            .to_string();
        assert!(
            tag_name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == ':' || c == '-'),
            "{name}: bad tag name {tag_name:?}"
        );
        if stack.is_empty() {
            roots += 1;
            assert_eq!(tag_name, "svg", "{name}: root element");
        }
        if !self_closing {
            stack.push(tag_name);
        }
    }
    assert!(rest.trim().is_empty(), "{name}: text after the root");
    assert!(stack.is_empty(), "{name}: unclosed {stack:?}");
    assert_eq!(roots, 1, "{name}: one root element");
    text.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
}

fn check_entities(text: &str, name: &str) {
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        let after = &rest[i + 1..];
        let semi = after
            .find(';')
            .unwrap_or_else(|| panic!("{name}: bare '&'"));
        let entity = &after[..semi];
        assert!(
            ["amp", "lt", "gt", "quot", "apos"].contains(&entity) || entity.starts_with('#'),
            "{name}: unknown entity &{entity};"
        );
        rest = &after[semi..];
    }
}

/// Checks every written file; returns each SVG's text by stem.
fn check_files(out: &Path, written: &[String]) -> BTreeMap<String, String> {
    let blank = blank_png_bytes(out);
    let mut texts = BTreeMap::new();
    for rel in written {
        let path = out.join(rel);
        assert!(path.is_file(), "{rel} missing");
        if rel.ends_with(".png") {
            let idat = png_pixels_bytes(&path);
            assert!(
                idat > 3 * blank,
                "{rel}: {idat} bytes of pixels, a blank image has {blank}"
            );
        } else {
            let stem = rel.trim_start_matches("charts/").trim_end_matches(".svg");
            texts.insert(stem.to_string(), svg_text(&path));
        }
    }
    texts
}

/// Share of pixels that are not white.
fn ink(rgb: &[u8]) -> f64 {
    let n = rgb.chunks(3).filter(|p| p != &[255, 255, 255]).count();
    n as f64 / (rgb.len() / 3) as f64
}

/// Pixels close to a colour.
fn count_colour(rgb: &[u8], colour: [u8; 3]) -> usize {
    rgb.chunks(3)
        .filter(|p| {
            p.iter()
                .zip(colour)
                .all(|(a, b)| (*a as i32 - b as i32).abs() <= 6)
        })
        .count()
}

const GREEN: [u8; 3] = [0x2e, 0x7d, 0x32];
const RED: [u8; 3] = [0xc6, 0x28, 0x28];

// ---------------------------------------------------------------------------
// The tests.
// ---------------------------------------------------------------------------

#[test]
fn sample_round_pack_writes_every_chart() {
    let tmp = tempfile::tempdir().unwrap();
    let out = op1(
        &root(),
        &[
            "pack",
            "fixtures/round-fy27",
            "--out",
            tmp.path().to_str().unwrap(),
        ],
    );
    out.expect_code(0);
    assert!(
        !out.stdout.contains("chart-failed") && !out.stderr.contains("chart-failed"),
        "{}",
        out.transcript()
    );
    let stems = [
        "revenue-tracks",
        "operating-cost-tracks",
        "gross-margin-tracks",
        "active-customers-tracks",
        "net-customer-change-tracks",
        "tickets-resolved-tracks",
        "uptime-tracks",
        "bridge",
        "funding-curve",
        "ambition-gap",
        "resources",
    ];
    let written = expected(&stems);
    let texts = check_files(tmp.path(), &written);
    let mut on_disk: Vec<String> = std::fs::read_dir(tmp.path().join("charts"))
        .unwrap()
        .map(|e| format!("charts/{}", e.unwrap().file_name().to_string_lossy()))
        .collect();
    on_disk.sort();
    let mut want = written.clone();
    want.push("charts/.op1-charts".to_string());
    want.sort();
    assert_eq!(
        on_disk, want,
        "exactly the charts and their record, no temporary files"
    );
    // The record lists what this run wrote, so the next run removes only that.
    let record = std::fs::read_to_string(tmp.path().join("charts/.op1-charts")).unwrap();
    let mut recorded: Vec<String> = record.lines().map(|l| format!("charts/{l}")).collect();
    recorded.sort();
    let mut charts = written.clone();
    charts.sort();
    assert_eq!(recorded, charts);
    for (stem, title) in [
        ("revenue-tracks", "Revenue by track, USD"),
        ("gross-margin-tracks", "Gross margin by track, %"),
        ("bridge", "Revenue bridge: LY Actual to Funded, USD"),
        (
            "funding-curve",
            "Funding curve: Revenue uplift against incremental budget, USD",
        ),
        ("ambition-gap", "10× gap: one-year multiple of Revenue"),
        ("resources", "Headcount and budget by track, heads and USD"),
    ] {
        assert!(texts[stem].contains(title), "{stem}: no title {title:?}");
    }
    // Short scales and the envelope.
    assert!(texts["revenue-tracks"].contains("297.1M"));
    assert!(texts["funding-curve"].contains("Envelope 6M"));
    assert!(texts["resources"].contains("1,067"), "thousands separators");
    for (stem, text) in &texts {
        assert!(!text.contains("NaN") && !text.contains("inf"), "{stem}");
    }
}

#[test]
fn one_team_and_five_hundred_teams_draw_with_nothing_failed() {
    for teams in [1, 500] {
        let model = round(teams, Some("revenue"));
        let tmp = tempfile::tempdir().unwrap();
        let outcome = write_charts(tmp.path(), &model, None);
        assert!(outcome.findings.is_empty(), "{:?}", outcome.findings);
        assert_eq!(outcome.written, expected(&STEMS), "{teams} teams");
        let texts = check_files(tmp.path(), &outcome.written);
        assert!(texts["revenue-tracks"].contains("Revenue by track, USD"));
        assert!(texts["nps-score-tracks"].contains("NPS (score) by track, points"));
        let tracks = &texts["revenue-tracks"];
        if teams == 1 {
            assert!(!tracks.contains("Others"));
        } else {
            // Top 12 and Others with the other 488 summed.
            assert!(tracks.contains("Others (488 teams)"), "{tracks}");
            assert!(texts["gross-margin-tracks"].contains("Others (488 teams, mean)"));
            assert!(texts["nps-score-tracks"].contains("the other 488 not shown"));
            let named = tracks.matches("Team ").count();
            assert!(named <= 13, "{named} team labels");
            // Long names are shortened, never drawn whole.
            assert!(tracks.contains('…'));
            assert!(!tracks.contains("for every region"));
        }
    }
}

/// The charts of a rayon job are drawn one after another into one bitmap,
/// which is not cleared between them: a chart must paint every pixel, and
/// show nothing of the one drawn before it.
#[test]
fn charts_drawn_one_after_another_match_each_drawn_alone() {
    let model = round(60, Some("Revenue"));
    let tmp = tempfile::tempdir().unwrap();
    let one_thread = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let outcome = one_thread.install(|| write_charts(tmp.path(), &model, None));
    assert!(outcome.findings.is_empty(), "{:?}", outcome.findings);
    assert!(outcome.write_error.is_none(), "{:?}", outcome.write_error);
    let (alone, findings) = render_rgb(&model);
    assert!(findings.is_empty(), "{findings:?}");
    assert!(alone.len() > 5, "{} charts", alone.len());
    for (name, rgb) in &alone {
        let png = image::open(tmp.path().join(name))
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .to_rgb8();
        assert!(
            png.as_raw() == rgb,
            "{name} differs from the chart drawn alone"
        );
    }
}

#[test]
fn pixels_show_the_charts_and_their_colours() {
    let model = round(60, Some("Revenue"));
    let (images, findings) = render_rgb(&model);
    assert!(findings.is_empty(), "{findings:?}");
    let names: Vec<&str> = images.iter().map(|(n, _)| n.as_str()).collect();
    let pngs: Vec<String> = expected(&STEMS)
        .into_iter()
        .filter(|p| p.ends_with(".png"))
        .collect();
    assert_eq!(names, pngs);
    for (name, rgb) in &images {
        assert_eq!(rgb.len(), (WIDTH * HEIGHT * 3) as usize);
        let share = ink(rgb);
        assert!(share > 0.03 && share < 0.6, "{name}: {share:.3} ink");
    }
    let get = |n: &str| &images.iter().find(|(k, _)| k == n).unwrap().1;
    // The bridge's steps are coloured by direction; Revenue grows here.
    assert!(count_colour(get("charts/bridge.png"), GREEN) > 500);
    // The 10× gap is red where teams fall short.
    assert!(count_colour(get("charts/ambition-gap.png"), RED) > 500);
}

#[test]
fn output_is_deterministic() {
    let model = round(40, Some("Revenue"));
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let first = write_charts(a.path(), &model, None);
    let second = write_charts(b.path(), &model, None);
    assert_eq!(first.written, second.written);
    for rel in &first.written {
        let x = std::fs::read(a.path().join(rel)).unwrap();
        let y = std::fs::read(b.path().join(rel)).unwrap();
        assert!(x == y, "{rel} differs between runs");
    }
}

#[test]
fn ten_thousand_teams_draw_in_bounded_size() {
    let model = round(10_000, Some("Revenue"));
    let tmp = tempfile::tempdir().unwrap();
    let outcome = write_charts(tmp.path(), &model, None);
    assert!(outcome.findings.is_empty(), "{:?}", outcome.findings);
    assert_eq!(outcome.written, expected(&STEMS));
    check_files(tmp.path(), &outcome.written);
    for rel in outcome.written.iter().filter(|r| r.ends_with(".svg")) {
        let size = std::fs::metadata(tmp.path().join(rel)).unwrap().len();
        assert!(size < 600_000, "{rel}: {size} bytes");
    }
}

#[test]
fn no_objective_leaves_out_bridge_and_curve_without_findings() {
    let model = round(5, None);
    let tmp = tempfile::tempdir().unwrap();
    let outcome = write_charts(tmp.path(), &model, None);
    assert!(outcome.findings.is_empty(), "{:?}", outcome.findings);
    assert_eq!(
        outcome.written,
        expected(&[
            "gross-margin-tracks",
            "operating-cost-tracks",
            "revenue-tracks",
            "nps-score-tracks",
            "ambition-gap",
            "resources",
        ])
    );
}

#[test]
fn an_objective_no_team_reports_is_a_finding() {
    let model = round(3, Some("Bookings"));
    let tmp = tempfile::tempdir().unwrap();
    let outcome = write_charts(tmp.path(), &model, None);
    assert_eq!(outcome.findings.len(), 1, "{:?}", outcome.findings);
    assert_eq!(outcome.findings[0].rule, Rule::ChartFailed);
    assert!(outcome.findings[0].message.contains("Bookings"));
    assert!(!outcome.written.contains(&"charts/bridge.png".to_string()));
}

#[test]
fn an_unwritable_folder_is_a_finding_not_a_panic() {
    let model = round(3, Some("Revenue"));
    let tmp = tempfile::tempdir().unwrap();
    // A file where the charts folder should be.
    std::fs::write(tmp.path().join("charts"), b"not a folder").unwrap();
    let outcome = write_charts(tmp.path(), &model, None);
    assert!(outcome.written.is_empty());
    assert!(!outcome.findings.is_empty());
    assert!(outcome.findings.iter().all(|f| f.rule == Rule::ChartFailed));
}
