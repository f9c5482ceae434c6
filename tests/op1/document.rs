//! The round document (`document.html`, `document.md`): its parts in order,
//! numbers that agree with the inputs, team text that stays text, and — in a
//! real browser (Chromium, headless) — a page that runs no script and prints
//! each team on its own page.

use crate::common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Packs the sample round into a fresh folder; returns it.
fn pack_sample() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    op1(
        &root(),
        &[
            "pack",
            "fixtures/round-fy27",
            "--out",
            out.to_str().unwrap(),
        ],
    )
    .expect_code(0);
    (tmp, out)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|_| panic!("no {}", path.display()))
}

/// The sample round's teams, as the document orders them (org, then name).
const TEAMS_IN_ORDER: [&str; 14] = [
    "Growth",
    "Marketplace",
    "Mobile",
    "Payments",
    "Risk",
    // Partnerships' org path sorts before Customer Success's.
    "Partnerships",
    "Customer Success",
    "Sales Americas",
    "Sales EMEA",
    "Sales UK",
    "Data",
    "Developer Tools",
    "Infra",
    "Security",
];

#[test]
fn the_document_holds_the_round_page_every_team_and_the_appendix_in_order() {
    let (_tmp, out) = pack_sample();
    let html = read(&out.join("document.html"));
    let md = read(&out.join("document.md"));
    let mut at = 0;
    let mut headings = vec!["1 The round on one page".to_string()];
    headings.extend(
        TEAMS_IN_ORDER
            .iter()
            .enumerate()
            .map(|(i, t)| format!("{} {t}", i + 2)),
    );
    headings.extend(["A Charts", "B Roll-ups by org", "C Every finding"].map(String::from));
    for h in &headings {
        let md_heading = format!("\n## {h}\n");
        let found = md[at..]
            .find(&md_heading)
            .unwrap_or_else(|| panic!("document.md lacks {h:?} after byte {at}"));
        at += found + md_heading.len();
        let (number, title) = h.split_once(' ').unwrap();
        assert!(
            html.contains(&format!("<span class=\"num\">{number}</span> {title}</h2>")),
            "document.html lacks chapter {h}"
        );
    }
    // The six-pager's order inside a team.
    let payments = &md[md.find("\n## 5 Payments\n").unwrap()..md.find("\n## 6 Risk\n").unwrap()];
    let mut at = 0;
    for part in [
        "5.1 Purpose",
        "5.2 Tenets",
        "5.3 Last year",
        "5.4 Lessons",
        "5.5 Plan",
        "5.6 10x",
        "5.7 Assumptions",
        "5.8 Asks",
        "5.9 Risks and mitigations",
        "5.10 Shared goals",
        "5.11 FAQ",
    ] {
        let found = payments[at..]
            .find(&format!("### {part}"))
            .unwrap_or_else(|| panic!("Payments lacks {part} in order"));
        at += found;
    }
    // Paragraphs are numbered within their part.
    assert!(payments.contains("**5.1.1** "), "no numbered paragraph");
    // A team without a narrative says so and still has its generated parts.
    let cs = &md[md.find("\n## 8 Customer Success\n").unwrap()..];
    assert!(cs[..cs.find("### 8.2").unwrap()].contains("wrote no narrative"));
    // Reading time and size under the title.
    assert!(md.contains("14 teams in 3 orgs"), "{}", &md[..300]);
    assert!(md.contains("minutes to read"));
}

#[test]
fn the_objective_paragraph_agrees_with_the_inputs() {
    let (_tmp, out) = pack_sample();
    let md = read(&out.join("document.md"));
    // Revenue LY Actual, summed independently from the workbooks at the round's rates.
    let checked = op1::run::check_inputs(&[fixture("round-fy27")], None).unwrap();
    let mut ly = 0.0;
    for wb in checked.round.workbooks() {
        let m = wb
            .metrics
            .iter()
            .find(|m| m.name.value == "Revenue")
            .unwrap();
        let rate = checked.settings.rate(&m.unit.value).unwrap();
        ly += m.ly_actual.as_ref().unwrap().value * rate;
    }
    let want = format!("Revenue was {} USD last year", grouped(ly.round() as u64));
    assert!(md.contains(&want), "no {want:?} in the round page");
}

/// Money not in the reporting currency says its currency: a EUR team's ask
/// under "Decisions needed" and its resources in its chapter are EUR, never
/// unlabelled under "money in USD".
#[test]
fn amounts_outside_the_reporting_currency_carry_their_currency() {
    let (_tmp, out) = pack_sample();
    let md = read(&out.join("document.md"));
    let row = |needle: &str| {
        md.lines()
            .find(|l| l.starts_with('|') && l.contains(needle))
            .unwrap_or_else(|| panic!("no row with {needle}"))
            .to_string()
    };
    // Marketplace (EUR) asks 560,000 for seller incentives; Developer
    // Tools (GBP) 350,000 for a CI runner pool; a headcount ask is in heads.
    assert!(
        row("Seller-onboarding incentives").contains("| 560,000 EUR |"),
        "{}",
        row("Seller-onboarding")
    );
    assert!(row("hosted CI runner pool").contains("| 350,000 GBP |"));
    let heads = md
        .lines()
        .filter(|l| l.starts_with('|') && l.contains("| headcount |"))
        .collect::<Vec<_>>();
    assert!(
        !heads.is_empty() && heads.iter().all(|l| l.contains(" heads |")),
        "{heads:?}"
    );
    // Marketplace's chapter: its Budget row is in EUR.
    assert!(md.contains("| Budget | EUR | 3,150,000 | 3,150,000 | 3,710,000 |"));
}

#[test]
fn team_text_stays_text_in_html_and_markdown() {
    let (_tmp, out) = pack_sample();
    let html = read(&out.join("document.html"));
    let md = read(&out.join("document.md"));
    // The Risk team's narrative and risk register hold markup.
    assert!(!html.contains("<script"), "a script element in the page");
    assert!(!html.contains("<img"), "an img element in the page");
    assert!(html.contains("&lt;script&gt;document.title="));
    assert!(html.contains("&lt;img src=x onerror="));
    assert!(html.contains("Content-Security-Policy"));
    // Nothing is fetched: no external reference of any kind.
    for needle in ["<link", "@import", "url(", " src=\"", "<iframe", "<object"] {
        assert!(!html.contains(needle), "{needle} in document.html");
    }
    assert!(md.contains(r"\<script\>document.title="));
    assert!(md.contains(r"\*\*not bold\*\*"));
    assert!(md.contains(r"\[a link\](http\://example.invalid)"));
    // A `|` in a cell does not split it.
    assert!(md.contains(r"\| a \| table \|"));
    // Every chart is inline SVG in the HTML and linked in the Markdown.
    assert!(html.matches("<svg").count() >= 10);
    assert!(md.contains("](charts/revenue-tracks.svg)"));
}

/// Chromium, if installed: `chromium` or `chromium-browser`.
fn chromium() -> Option<&'static str> {
    let found = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            Command::new(b)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        });
    if found.is_none() {
        assert!(
            std::env::var("OP1_REQUIRE_CHROMIUM").is_err(),
            "OP1_REQUIRE_CHROMIUM is set but Chromium is not installed"
        );
        eprintln!(
            "SKIPPED: Chromium is not installed; the browser test of the round document needs it"
        );
    }
    found
}

fn headless(browser: &str, profile: &Path) -> Command {
    let mut c = Command::new(browser);
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--no-pdf-header-footer",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    c
}

#[test]
fn in_a_browser_no_script_runs_each_team_starts_its_own_page_and_no_heading_ends_one() {
    let Some(browser) = chromium() else {
        return;
    };
    let (tmp, out) = pack_sample();
    let page = format!("file://{}", out.join("document.html").display());
    // The DOM after load: a script or an onerror handler would have changed the title.
    let dom = headless(browser, &tmp.path().join("profile-dom"))
        .arg("--dump-dom")
        .arg(&page)
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(
        dom.contains("<title>OP1 FY2027</title>"),
        "the title changed: {}",
        &dom[..dom.len().min(400)]
    );
    assert!(!dom.contains("<title>pwned"), "a team's script ran");

    let pdf = tmp.path().join("document.pdf");
    let status = headless(browser, &tmp.path().join("profile-pdf"))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(&page)
        .output()
        .unwrap();
    assert!(
        pdf.exists(),
        "no PDF: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    let pages = pdf_pages(&pdf);
    eprintln!("document.pdf: {pages} pages");
    assert!(pages > TEAMS_IN_ORDER.len() + 2, "{pages} pages");
    // Each team's chapter heading is the first line of a page's body (after
    // the running title).
    let firsts: Vec<String> = (1..=pages).map(|p| first_body_line(&pdf, p)).collect();
    for (i, team) in TEAMS_IN_ORDER.iter().enumerate() {
        let heading = format!("{} {team}", i + 2);
        assert!(
            firsts.iter().any(|l| l == &heading),
            "{heading:?} does not start a page; page starts: {firsts:?}"
        );
    }
    // No heading is left alone at a page's foot: the last line above the
    // page number is never a heading (past the contents page).
    let html = read(&out.join("document.html"));
    let headings: Vec<String> = html
        .split("<span class=\"num\">")
        .skip(1)
        .filter_map(|h| {
            let (num, rest) = h.split_once("</span>")?;
            let title = rest.split("</h").next()?.trim();
            Some(format!(
                "{num} {}",
                title.split_whitespace().collect::<Vec<_>>().join(" ")
            ))
        })
        .collect();
    assert!(headings.len() > 50, "{headings:?}");
    for page in 2..=pages {
        let last = last_body_line(&pdf, page);
        assert!(
            !headings.contains(&last),
            "page {page} ends with the heading {last:?}"
        );
    }
}

/// The last line of a page above its page number, whitespace collapsed.
fn last_body_line(pdf: &Path, page: usize) -> String {
    page_lines(pdf, page)
        .into_iter()
        .rfind(|l| !l.starts_with("Page "))
        .unwrap_or_default()
}

/// A page's non-empty lines, whitespace collapsed.
fn page_lines(pdf: &Path, page: usize) -> Vec<String> {
    let text = Command::new("pdftotext")
        .args(["-f", &page.to_string(), "-l", &page.to_string(), "-layout"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils)");
    String::from_utf8_lossy(&text.stdout)
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect()
}

fn pdf_pages(pdf: &Path) -> usize {
    let info = Command::new("pdfinfo")
        .arg(pdf)
        .output()
        .expect("pdfinfo (poppler-utils)");
    String::from_utf8_lossy(&info.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap()
}

/// The first line of a page below its running title, whitespace collapsed.
fn first_body_line(pdf: &Path, page: usize) -> String {
    page_lines(pdf, page).into_iter().nth(1).unwrap_or_default()
}

#[test]
fn percentages_show_the_decimals_their_values_need_in_the_document_and_the_pack() {
    let (tmp, round) = copy_fixture("model-round");
    // Gross margin Flat: 99.9% for Alpha, 99.95% for Beta (neither 100%).
    for (team, flat) in [("alpha", 0.999), ("beta", 0.9995)] {
        report(&round, team, |wb| {
            metric_mut(wb, "Gross margin").flat = Some(val(flat));
        });
    }
    let out = tmp.path().join("out");
    op1(
        &round,
        &[
            "pack",
            ".",
            "--out",
            out.to_str().unwrap(),
            "--allow-partial",
        ],
    )
    .expect_code(0);
    let md = read(&out.join("document.md"));
    let margin_rows: Vec<&str> = md
        .lines()
        .filter(|l| l.starts_with("| Gross margin | % |"))
        .collect();
    assert!(
        margin_rows.iter().any(|l| l.contains("| 99\\.9% |")),
        "{margin_rows:#?}"
    );
    assert!(
        margin_rows.iter().any(|l| l.contains("| 99\\.95% |")),
        "{margin_rows:#?}"
    );
    // In the pack, a `%` metric's values keep up to three decimals.
    let styles = xlsx_parts(&out.join("exec-pack.xlsx"), "xl/styles.xml");
    assert!(styles["xl/styles.xml"].contains("formatCode=\"0.0##%;[Red]-0.0##%\""));
}
