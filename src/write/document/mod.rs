//! The round document — what the leadership reads in silence before the
//! debate: `document.html` (one self-contained file: inline CSS, the charts
//! as inline SVG, no script, nothing fetched) and `document.md` (for a wiki,
//! charts linked from `charts/`).
//!
//! The content is built once ([`content`]: chapters, numbered parts and
//! paragraphs, tables, figures — all plain text) from the pack's input:
//! the round on one page ([`round`]), what changed since an earlier version
//! (with `op1 pack --since`, [`changes`]), a chapter per team ([`team`]) and
//! the appendix ([`appendix`]); each chapter rendered by [`html`] and
//! [`markdown`], which escape every string, as soon as it is made
//! ([`stream`]). Team text is always text.

mod appendix;
mod changes;
pub(crate) mod content;
mod facts;
pub(crate) mod html;
pub(crate) mod markdown;
pub(crate) mod memo;
mod round;
mod stream;
mod team;

use crate::finding::Finding;
use crate::output::OutputError;
use crate::plan::UnitKind;
use crate::text::{fmt_amount, fmt_percent};
use content::Doc;
use facts::Facts;
use std::path::Path;
use stream::DocumentWriter;

/// The document files, in the output folder.
use crate::outputs::HTML_FILE;
use crate::outputs::MARKDOWN_FILE;

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
    let svg = |file: &str| std::fs::read_to_string(out.join(file)).ok();
    let files = (HTML_FILE, MARKDOWN_FILE);
    let paper = input.settings.document.paper;
    let mut doc = DocumentWriter::new(out, files, paper, &svg)?;
    write_chapters(&facts, &mut doc)?;
    let meta = meta(&facts, doc.words());
    doc.finish(input.settings.round_title(), meta)?;
    clock.lap("document");
    Ok(vec![HTML_FILE.to_string(), MARKDOWN_FILE.to_string()])
}

/// Writes `doc` (a small document: the checkpoint memo) into `out` as HTML
/// and Markdown (`files`: the HTML file's name, then the Markdown's); `svg`
/// reads a chart.
///
/// # Errors
/// [`OutputError::Io`] naming the file that could not be written.
pub(crate) fn write_files(
    out: &Path,
    files: (&str, &str),
    doc: &Doc,
    paper: crate::settings::Paper,
    svg: &dyn Fn(&str) -> Option<String>,
) -> Result<(), OutputError> {
    let mut writer = DocumentWriter::new(out, files, paper, svg)?;
    for chapter in &doc.chapters {
        writer.add(chapter)?;
    }
    writer.finish(doc.title.clone(), doc.meta.clone())
}

/// The document's chapters, in reading order, each written as it is made.
fn write_chapters(f: &Facts<'_>, doc: &mut DocumentWriter<'_>) -> Result<(), OutputError> {
    doc.add(&round::round_chapter(f))?;
    if let Some(c) = f.input.since {
        doc.add(&changes::changes_chapter(c, 2, f.charts))?;
    }
    let first_team = doc.chapters() + 1;
    for (i, wb) in f.teams.iter().enumerate() {
        doc.add(&team::team_chapter(f, first_team + i, wb))?;
    }
    for chapter in appendix::appendix(f) {
        doc.add(&chapter)?;
    }
    Ok(())
}

/// The lines under the title: the date, the round's size, the reading time
/// of `words`.
fn meta(f: &Facts<'_>, words: usize) -> Vec<String> {
    let minutes = words.div_ceil(READING_SPEED).max(1);
    let orgs: std::collections::BTreeSet<&str> = f
        .teams
        .iter()
        .map(|t| t.org_path().split('/').next().unwrap_or(""))
        .collect();
    vec![
        document_date(f.input.settings),
        format!(
            "{} in {}; money in {}",
            crate::text::plural(f.teams.len(), "team"),
            crate::text::plural(orgs.len(), "org"),
            f.input.model.reporting_currency
        ),
        format!(
            "About {minutes} minutes to read ({} words at {READING_SPEED} a minute)",
            fmt_amount(words as f64)
        ),
    ]
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

/// An ask's amount with what it counts: heads for a headcount ask, the
/// team's currency for a budget or capex ask (never read as the reporting
/// currency), bare for any other kind.
fn ask_amount(ask: &crate::plan::Ask, team_currency: &str) -> String {
    let Some(amount) = &ask.amount else {
        return String::new();
    };
    let kind = ask
        .kind
        .as_ref()
        .map(|k| crate::names::normalise(&k.value))
        .unwrap_or_default();
    let unit = match kind.as_str() {
        "headcount" | "heads" | "fte" | "people" => " heads",
        "budget" | "capex" | "opex" | "money" => team_currency,
        _ => "",
    };
    let sep = if unit.is_empty() || unit.starts_with(' ') {
        ""
    } else {
        " "
    };
    format!("{}{sep}{unit}", fmt_amount(amount.value))
}

/// A resource's unit: heads, or the team's currency.
fn resource_unit(r: &crate::plan::Resource, team_currency: &str) -> String {
    if r.is_headcount() {
        crate::model::HEADS_UNIT.to_string()
    } else {
        team_currency.to_string()
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
