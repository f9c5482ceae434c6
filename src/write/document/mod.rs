//! The round document — what the leadership reads in silence before the
//! debate: `document.html` (one self-contained file: inline CSS, the charts
//! as inline SVG, no script, nothing fetched) and `document.md` (for a wiki,
//! charts linked from `charts/`).
//!
//! The content is built once ([`content`]: chapters, numbered parts and
//! paragraphs, tables, figures — all plain text) from the pack's input:
//! the round on one page ([`round`]), what changed since an earlier version
//! (with `op1 pack --since`, [`changes`]), a chapter per team ([`team`]) and
//! the appendix ([`appendix`]); then rendered by [`html`] and [`markdown`], which
//! escape every string. Team text is always text.

mod appendix;
mod changes;
pub(crate) mod content;
mod facts;
pub(crate) mod html;
pub(crate) mod markdown;
mod round;
mod team;

use crate::finding::Finding;
use crate::output::{atomic_write_with, OutputError};
use crate::plan::UnitKind;
use crate::text::{fmt_amount, fmt_percent};
use content::Doc;
use facts::Facts;
use std::path::Path;

/// The document files, in the output folder.
pub const HTML_FILE: &str = "document.html";
pub const MARKDOWN_FILE: &str = "document.md";

/// How fast a reader reads prose, for the reading time (words a minute).
const READING_SPEED: usize = 200;

/// Writes `document.html` and `document.md` into `out`; returns their names.
/// `charts` are the chart files written (relative to `out`), `findings` every
/// finding of the run, in report order.
///
/// # Errors
/// [`OutputError`] when a file cannot be written.
pub fn write_document(
    out: &Path,
    input: &super::PackInput<'_>,
    findings: &[Finding],
    charts: &[String],
) -> Result<Vec<String>, OutputError> {
    let mut clock = crate::timing::Stopwatch::start();
    let facts = Facts::new(input, findings, charts);
    let doc = build(&facts);
    drop(facts);
    let svg = |file: &str| std::fs::read_to_string(out.join(file)).ok();
    let files = (HTML_FILE, MARKDOWN_FILE);
    write_files(out, files, &doc, input.settings.document.paper, &svg)?;
    clock.lap("document");
    Ok(vec![HTML_FILE.to_string(), MARKDOWN_FILE.to_string()])
}

/// Writes `doc` into `out` as HTML and Markdown, each streamed to its file
/// (`files`: the HTML file's name, then the Markdown's); `svg` reads a chart.
///
/// # Errors
/// [`OutputError::Io`] naming the file that could not be written.
pub(crate) fn write_files(
    out: &Path,
    (html_file, markdown_file): (&str, &str),
    doc: &Doc,
    paper: crate::settings::Paper,
    svg: &dyn Fn(&str) -> Option<String>,
) -> Result<(), OutputError> {
    let io_error = |path: std::path::PathBuf| move |source| OutputError::Io { path, source };
    let html_path = out.join(html_file);
    atomic_write_with(&html_path, |w| html::render(doc, paper, svg, w))
        .map_err(io_error(html_path.clone()))?;
    let markdown_path = out.join(markdown_file);
    atomic_write_with(&markdown_path, |w| markdown::render(doc, w))
        .map_err(io_error(markdown_path.clone()))
}

/// The document's content, in reading order.
fn build(f: &Facts<'_>) -> Doc {
    let settings = f.input.settings;
    let title = settings.round_title();
    let mut doc = Doc {
        title,
        ..Doc::default()
    };
    doc.chapters.push(round::round_chapter(f));
    if let Some(c) = f.input.since {
        doc.chapters.push(changes::changes_chapter(c, 2, f.charts));
    }
    let first_team = doc.chapters.len() + 1;
    for (i, wb) in f.teams.iter().enumerate() {
        doc.chapters.push(team::team_chapter(f, first_team + i, wb));
    }
    doc.chapters.extend(appendix::appendix(f));
    let minutes = doc.words().div_ceil(READING_SPEED).max(1);
    let orgs: std::collections::BTreeSet<&str> = f
        .teams
        .iter()
        .map(|t| t.org_path().split('/').next().unwrap_or(""))
        .collect();
    doc.meta = vec![
        document_date(settings),
        format!(
            "{} in {}; money in {}",
            crate::text::plural(f.teams.len(), "team"),
            crate::text::plural(orgs.len(), "org"),
            f.input.model.reporting_currency
        ),
        format!(
            "About {minutes} minutes to read ({} words at {READING_SPEED} a minute)",
            fmt_amount(doc.words() as f64)
        ),
    ];
    doc
}

/// The date the document carries: `[document] date`, else the day of
/// `SOURCE_DATE_EPOCH` (reproducible builds), else today (UTC).
pub(crate) fn document_date(settings: &crate::settings::Settings) -> String {
    if let Some(date) = &settings.document.date {
        return date.clone();
    }
    let seconds = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        });
    chrono::DateTime::from_timestamp(seconds, 0)
        .map(|d| d.format("%-d %B %Y").to_string())
        .unwrap_or_default()
}

/// A value as the tables show it: a ratio in percent, else an amount.
pub(crate) fn amount(v: f64, kind: UnitKind) -> String {
    match kind {
        UnitKind::Ratio => fmt_percent(v),
        UnitKind::Money | UnitKind::Other => fmt_amount(v.round()),
    }
}

/// A value with its unit, for prose: `297,137,500 USD`, `47.5%`.
fn amount_with_unit(v: f64, kind: UnitKind, unit: &str) -> String {
    match kind {
        UnitKind::Ratio => fmt_percent(v),
        _ => format!("{} {unit}", fmt_amount(v.round())),
    }
}

/// The change from `from` to `to`: percentage points for a ratio, else a
/// relative change (`+4.2%`), signed.
fn change(from: f64, to: f64, kind: UnitKind) -> String {
    match kind {
        UnitKind::Ratio => format!("{:+.1} pp", (to - from) * 100.0),
        _ if from == 0.0 => String::new(),
        _ => format!("{:+.1}%", (to - from) / from.abs() * 100.0),
    }
}

/// `1 case is`, `3 cases are`.
fn count_is(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun} is")
    } else {
        format!("{n} {noun}s are")
    }
}
