//! `op1 check`, and the first stage of every command that reads a round:
//! discover the inputs, decide the settings, read every workbook, check it.

use super::{RunError, UsageError};
use crate::check::{self, Checked};
use crate::discover::{self, DiscoverOptions};
use crate::finding::{Finding, Findings, Rule};
use crate::read;
use crate::settings::Settings;
use std::path::{Path, PathBuf};

/// The round a command reads, as the command line names it.
#[derive(Clone, Debug, Default)]
pub struct RoundInputs {
    /// Team workbooks, or folders of them.
    pub inputs: Vec<PathBuf>,
    /// `--settings`: else the round's own (see [`check_round`]).
    pub settings: Option<PathBuf>,
    /// `--follow-links`: follow links that lead out of the round's folder.
    pub follow_links: bool,
}

impl RoundInputs {
    /// The round in `inputs`, with the settings file `settings` if given.
    pub fn new(inputs: &[PathBuf], settings: Option<&Path>) -> RoundInputs {
        RoundInputs {
            inputs: inputs.to_vec(),
            settings: settings.map(Path::to_path_buf),
            follow_links: false,
        }
    }
}

/// Discovers, reads and checks a round.
///
/// The settings come from `settings_path` when given, else from the
/// `op1.toml` of the round's folder, else from the nearest `op1.toml` above
/// it, else the defaults ([`discover::round_settings`]); one found below the
/// round's folder is a `settings-ignored` warning, never applied.
///
/// # Errors
/// [`RunError`] when an input does not exist, the settings are invalid, or
/// the inputs hold no team workbook.
pub fn check_inputs(inputs: &[PathBuf], settings_path: Option<&Path>) -> Result<Checked, RunError> {
    check_round(&RoundInputs::new(inputs, settings_path), &read::Silent)
}

/// [`check_inputs`] for `round` as the command line gave it, telling
/// `progress` as files are read.
///
/// # Errors
/// As [`check_inputs`].
pub fn check_round(
    round: &RoundInputs,
    progress: &dyn read::Progress,
) -> Result<Checked, RunError> {
    check_inputs_excluding(round, progress, None)
}

/// [`check_round`], passing over everything under `output` (a pack
/// written inside the round's folder is not a team workbook).
pub(super) fn check_inputs_excluding(
    given: &RoundInputs,
    progress: &dyn read::Progress,
    output: Option<&Path>,
) -> Result<Checked, RunError> {
    let inputs = given.inputs.as_slice();
    let options = DiscoverOptions {
        follow_links: given.follow_links,
    };
    let mut discovery = discover::discover_with(inputs, options)?;
    let out_root = output.and_then(|out| Some((out, std::fs::canonicalize(out).ok()?)));
    if let Some((out, root)) = out_root {
        // An output folder inside the round that holds team workbooks would
        // hide them (the run passes over its own folder): refused, before
        // anything is written. op1's own folders were passed over already.
        let hidden: Vec<String> = discovery
            .files
            .iter()
            .filter(|f| f.is_under(&root))
            .map(|f| f.display.clone())
            .collect();
        if !hidden.is_empty() {
            return Err(UsageError::OutHoldsWorkbooks(out.to_path_buf(), hidden).into());
        }
    }
    let found = discover::round_settings(given.settings.as_deref(), &discovery);
    let settings_file = found.file;
    let settings = match &settings_file {
        Some(path) => Settings::load(path)?,
        None => Settings::default(),
    };
    if let Some(roster) = settings.roster_path() {
        discovery.set_aside(&roster, discover::SkipReason::Roster);
    }
    let mut clock = crate::timing::Stopwatch::start();
    let (mut round, read_findings) = read::read_round_with(&discovery, &settings, progress);
    clock.lap("read");
    if round.files.is_empty() {
        return Err(UsageError::NoWorkbooks(inputs.to_vec()).into());
    }
    let mut findings = Findings::new(settings.rule_levels.clone());
    findings.extend(read_findings);
    findings.extend(
        found
            .ignored
            .iter()
            .map(|path| settings_ignored(path, &settings_file)),
    );
    findings.extend(
        discovery
            .links_outside
            .iter()
            .map(|link| link_outside(link)),
    );
    findings.extend(discovery.unverified.iter().map(|marker| {
        Finding::new(
            Rule::MarkerUnverified,
            format!("{marker} marks its folder as op1's output, but no op1 manifest there lists the folder's spreadsheets: its workbooks are read as the round's; delete the marker if the folder is not op1's"),
        )
        .file(marker)
    }));
    // The round's dictionary wins over what teams typed, before anything is judged.
    findings.extend(check::standardise(&mut round, &settings));
    let roster = match check::load_roster(&settings) {
        Ok(roster) => roster,
        Err(finding) => {
            findings.extend([*finding]);
            Vec::new()
        }
    };
    // One workbook named on its own is a team checking its submission: the
    // rest of the round is not there to compare it with.
    let scope = if inputs.len() == 1 && inputs[0].is_file() {
        check::Scope::OneSubmission
    } else {
        check::Scope::Round
    };
    findings.extend(check::check_round(&round, &settings, &roster, scope));
    clock.lap("check");
    Ok(Checked {
        settings,
        settings_file,
        round,
        roster,
        findings,
        scope,
    })
}

/// The `settings-ignored` warning for a settings file inside the round.
fn settings_ignored(path: &Path, applied: &Option<PathBuf>) -> Finding {
    let shown = discover::display_path(path);
    let instead = match applied {
        Some(file) => format!("the round runs with {}", discover::display_path(file)),
        None => "the round runs with no settings file".to_string(),
    };
    Finding::new(
        Rule::SettingsIgnored,
        format!("{shown} is not applied: settings come from --settings or the round's folder, never from a team's folder, and {instead}; move it to the round's folder (or pass it with --settings) if it is the round's, else delete it"),
    )
    .file(&shown)
}

/// The `link-outside` warning for a link in the round that was not followed.
fn link_outside(link: &str) -> Finding {
    Finding::new(
        Rule::LinkOutside,
        format!("{link} is a link that leads outside the round's folder: not followed, so nothing it leads to is read; put the file itself in the round's folder, or pass --follow-links if the link is yours"),
    )
    .file(link)
}
