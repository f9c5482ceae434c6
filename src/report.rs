//! Reporting findings to a person (text) or a program (JSON).

use crate::check::{plural, TeamStatus};
use crate::discover::Skipped;
use crate::finding::{Finding, Severity, Tally};
use std::fmt::Write;

/// Text for a terminal: findings grouped by file (errors first within each),
/// round-wide findings last, then per-team status and a one-line count.
/// Info findings are listed only when `verbose`, as are skipped files.
pub fn text(
    findings: &[Finding],
    files_read: usize,
    skipped: &[Skipped],
    statuses: &[(String, TeamStatus)],
    verbose: bool,
) -> String {
    let mut out = String::new();
    if verbose {
        for s in skipped {
            let _ = writeln!(out, "skipped {} ({})", s.display, s.reason);
        }
        if !skipped.is_empty() {
            out.push('\n');
        }
    }
    let shown: Vec<&Finding> = findings
        .iter()
        .filter(|f| verbose || f.severity != Severity::Info)
        .collect();
    let mut current: Option<Option<&str>> = None;
    // Files first (sorted), then findings that belong to no file.
    let mut ordered: Vec<&Finding> = shown.iter().copied().filter(|f| f.file.is_some()).collect();
    ordered.extend(shown.iter().copied().filter(|f| f.file.is_none()));
    for f in ordered {
        let file = f.file.as_deref();
        if current != Some(file) {
            if current.is_some() {
                out.push('\n');
            }
            let _ = writeln!(out, "{}", file.unwrap_or("round"));
            current = Some(file);
        }
        let mut location = String::new();
        if let Some(sheet) = &f.sheet {
            location.push_str(&crate::a1::quote_sheet(sheet));
            if let Some(cell) = &f.cell {
                location.push('!');
                location.push_str(cell);
            }
            location.push_str(": ");
        }
        let _ = writeln!(out, "  {}[{}] {location}{}", f.severity, f.rule, f.message);
    }
    if !statuses.is_empty() {
        if current.is_some() {
            out.push('\n');
        }
        out.push_str("teams\n");
        let width = statuses
            .iter()
            .map(|(n, _)| n.chars().count())
            .max()
            .unwrap_or(0);
        for (name, status) in statuses {
            let _ = writeln!(out, "  {name:<width$}  {status}");
        }
        out.push('\n');
    }
    let t = Tally::of(findings);
    let _ = writeln!(
        out,
        "{} read, {} skipped: {}, {}, {}",
        plural(files_read, "file"),
        skipped.len(),
        plural(t.errors, "error"),
        plural(t.warnings, "warning"),
        plural(t.infos, "info")
    );
    out
}

/// One JSON array of finding objects with the fields `severity`, `rule`,
/// `file`, `sheet`, `cell`, `team`, `message` (null where not known).
pub fn json(findings: &[Finding]) -> String {
    serde_json::to_string_pretty(findings).unwrap_or_else(|_| "[]".to_string())
}
