//! `op1 check`: every team workbook read and checked, and what is wrong or
//! missing reported.

use super::said::{Format, ReportOptions, Said};
use super::{check_round, RoundInputs, RunError};

/// What `op1 check` is asked to do.
#[derive(Clone, Debug, Default)]
pub struct CheckConfig {
    pub round: RoundInputs,
    pub report: ReportOptions,
}

/// Reads and checks the round, and says what was found.
///
/// # Errors
/// [`RunError`] for bad inputs or settings.
pub fn run(config: &CheckConfig) -> Result<Said, RunError> {
    let bar = crate::progress::Bar::new(config.report.quiet);
    let checked = check_round(&config.round, &bar)?;
    let settings = checked.settings_file.as_deref();
    let report = match config.report.format {
        Format::Json => format!(
            "{}\n",
            crate::report::json(settings, checked.findings.all())
        ),
        Format::Text => crate::report::round(&checked, config.report.verbose),
    };
    Ok(Said {
        notes: vec![crate::report::settings_line(settings)],
        report,
        written: Vec::new(),
        code: u8::from(checked.findings.has_errors(config.report.strict)),
    })
}
