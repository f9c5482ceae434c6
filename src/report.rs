//! Reporting findings to a person (text) or a program (JSON).

use crate::check::TeamStatus;
use crate::discover::Skipped;
use crate::finding::{Finding, Severity, Tally};
use crate::text::{plural, tally};
use std::fmt::Write;
use std::path::Path;

/// `s` safe to print on a terminal: every control character but newline and
/// tab, and Unicode's bidirectional controls, shown as `\u001b`-style escapes
/// (as ripgrep and fd show them), so that team text cannot move the cursor,
/// retitle the window, clear the screen or hide a line. The same escape is
/// valid inside a JSON string, so JSON output reads back exactly as typed.
///
/// # Examples
/// ```
/// assert_eq!(op1::report::for_terminal("a\u{1b}[2Jb"), "a\\u001b[2Jb");
/// assert_eq!(op1::report::for_terminal("two\nlines"), "two\nlines");
/// ```
pub fn for_terminal(s: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}')
    };
    if !s.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if unsafe_char(c) {
            let _ = write!(out, "\\u{:04x}", c as u32);
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Above this many teams, teams without findings are counted, not listed.
const MAX_OK_LISTED: usize = 30;

/// One line per op1 output folder found inside the round and passed over
/// whole, so that no workbook leaves the round unsaid even without `-v`.
pub fn passed_over(outputs: &[(String, usize)]) -> String {
    outputs
        .iter()
        .map(|(dir, files)| {
            format!(
                "passed over {dir}: op1's own output ({}), not team workbooks\n",
                plural(*files, "file")
            )
        })
        .collect()
}

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
        // A large round lists only the teams that need attention.
        let quiet_ok = !verbose && statuses.len() > MAX_OK_LISTED;
        let mut ok_not_listed = 0;
        for (name, status) in statuses {
            if quiet_ok && matches!(status, TeamStatus::Ok) {
                ok_not_listed += 1;
                continue;
            }
            let _ = writeln!(out, "  {name:<width$}  {status}");
        }
        if ok_not_listed > 0 {
            let _ = writeln!(
                out,
                "  {} ok (-v lists them)",
                plural(
                    ok_not_listed,
                    if ok_not_listed == statuses.len() {
                        "team"
                    } else {
                        "other team"
                    }
                )
            );
        }
        out.push('\n');
    }
    let t = Tally::of(findings);
    let _ = writeln!(
        out,
        "{} read, {} skipped: {}",
        plural(files_read, "file"),
        skipped.len(),
        tally(t.errors, t.warnings, t.infos)
    );
    out
}

/// The note under the report of one submission checked on its own.
pub fn one_submission_note() -> String {
    let rules: Vec<&str> = crate::finding::Rule::ALL
        .iter()
        .filter(|r| r.is_cross_team())
        .map(|r| r.id())
        .collect();
    format!(
        "note: one workbook was checked on its own, so the rules that compare it with the rest of the round were not judged ({}, and whether the shared goals' owners are teams of the round; a metric of the settings' metric dictionary is still required); check the round's folder for those\n",
        rules.join(", ")
    )
}

/// The one line every command that reads settings prints (on stderr), naming
/// the settings file it ran with: SECURITY.md, settings are the analyst's.
///
/// # Examples
/// ```
/// use std::path::Path;
/// let line = op1::report::settings_line(Some(Path::new("round/op1.toml")));
/// assert_eq!(line, "settings: round/op1.toml");
/// assert!(op1::report::settings_line(None).starts_with("settings: no settings file"));
/// ```
pub fn settings_line(file: Option<&Path>) -> String {
    match file {
        Some(path) => format!("settings: {}", crate::discover::display_path(path)),
        None => format!(
            "settings: no settings file (defaults: reporting currency {})",
            crate::settings::Settings::default().reporting_currency
        ),
    }
}

/// The settings file as JSON shows it: its path, or null.
fn settings_json(file: Option<&Path>) -> serde_json::Value {
    file.map_or(serde_json::Value::Null, |p| {
        crate::discover::display_path(p).into()
    })
}

/// What `op1 check --format json` prints: the settings file the run used
/// (null for none) and `findings`, a list of finding objects with the fields
/// `severity`, `rule`, `file`, `sheet`, `cell`, `team`, `message` (null
/// where not known).
pub fn json(settings: Option<&Path>, findings: &[Finding]) -> String {
    let report = serde_json::json!({
        "settings": settings_json(settings),
        "findings": findings,
    });
    serde_json::to_string_pretty(&report).unwrap_or_else(|_| "{}".to_string())
}

/// What `op1 pack --format json` (and `checkpoint`) prints: the settings
/// file, whether the pack was written, the files written (relative to the
/// output folder), the files left out for their errors, and every finding
/// (as [`json`] lists them).
pub fn written_json(
    settings: Option<&Path>,
    packed: bool,
    written: &[String],
    excluded: &[String],
    findings: &[Finding],
) -> String {
    let report = serde_json::json!({
        "settings": settings_json(settings),
        "packed": packed,
        "written": written,
        "excluded": excluded,
        "findings": findings,
    });
    serde_json::to_string_pretty(&report).unwrap_or_else(|_| "{}".to_string())
}

/// The text report of a read and checked round: what was passed over, the
/// findings, the team statuses and the counts (and, for one workbook
/// checked on its own, what that leaves out).
pub fn round(checked: &crate::check::Checked, verbose: bool) -> String {
    use crate::check::Scope;
    let findings = checked.findings.all();
    let roster: &[String] = match checked.scope {
        Scope::Round => &checked.roster,
        Scope::OneSubmission => &[],
    };
    let statuses = crate::check::team_statuses(&checked.round, findings, roster);
    let mut text = passed_over(&checked.round.outputs);
    text.push_str(&self::text(
        findings,
        checked.round.files.len(),
        &checked.round.skipped,
        &statuses,
        verbose,
    ));
    if checked.scope == Scope::OneSubmission {
        text.push_str(&one_submission_note());
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statuses(ok: usize, with_findings: usize) -> Vec<(String, TeamStatus)> {
        let mut out: Vec<_> = (0..ok)
            .map(|i| (format!("team-{i:03}"), TeamStatus::Ok))
            .collect();
        out.extend((0..with_findings).map(|i| {
            (
                format!("late-{i}"),
                TeamStatus::Findings {
                    errors: 1,
                    warnings: 0,
                },
            )
        }));
        out
    }

    #[test]
    fn a_small_round_lists_every_team() {
        let text = text(&[], 5, &[], &statuses(4, 1), false);
        assert!(text.contains("team-003"), "{text}");
        assert!(text.contains("late-0"), "{text}");
    }

    #[test]
    fn a_large_round_lists_only_teams_with_findings_unless_verbose() {
        let text_quiet = text(&[], 1000, &[], &statuses(998, 2), false);
        assert!(!text_quiet.contains("team-000"), "{text_quiet}");
        assert!(text_quiet.contains("late-1"), "{text_quiet}");
        assert!(
            text_quiet.contains("998 other teams ok (-v lists them)"),
            "{text_quiet}"
        );
        let all_ok = text(&[], 40, &[], &statuses(40, 0), false);
        assert!(all_ok.contains("  40 teams ok (-v lists them)"), "{all_ok}");
        let verbose = text(&[], 1000, &[], &statuses(998, 2), true);
        assert!(verbose.contains("team-997"), "{verbose}");
    }
}
