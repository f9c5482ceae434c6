//! `op1 verify DIR`: a folder op1 wrote re-hashed against its manifest.

use super::said::{Format, Said};
use super::{RunError, UsageError};
use std::path::PathBuf;

/// What `op1 verify` is asked to do.
#[derive(Clone, Debug, Default)]
pub struct VerifyConfig {
    /// The output folder of `op1 pack`, `checkpoint`, `diff --out` or `feedback`.
    pub dir: PathBuf,
    pub format: Format,
}

/// Verifies the folder: exit code 0 when it is one run's whole output,
/// untouched; 1 when not.
///
/// # Errors
/// [`UsageError::NoSuchFolder`] when `dir` is not a folder.
pub fn run(config: &VerifyConfig) -> Result<Said, RunError> {
    if !config.dir.is_dir() {
        return Err(UsageError::NoSuchFolder(config.dir.clone()).into());
    }
    let verified = crate::manifest::verify(&config.dir);
    let report = match config.format {
        Format::Json => format!("{}\n", verified.json()),
        Format::Text => verified.text(),
    };
    Ok(Said {
        report,
        code: u8::from(!verified.is_whole()),
        ..Said::default()
    })
}
