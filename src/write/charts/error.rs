//! Why a chart was not drawn: the error every chart step returns, each
//! variant carrying what failed, and its message in the `chart-failed`
//! finding.

use super::bridge::BRIDGE_TRACKS;
use crate::output::OutputError;
use crate::plan::{Rollup, Track};
use plotters::drawing::DrawingAreaErrorKind;
use polars::prelude::PolarsError;
use std::fmt;
use std::path::PathBuf;

/// Why a chart (or all of them) could not be drawn.
#[derive(Debug)]
pub enum ChartError {
    /// The `charts` folder could not be created.
    Folder {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The model could not be read into the chart's data.
    Data(PolarsError),
    /// plotters could not draw (its backend errors carry only a message).
    Draw { message: String },
    /// plotters could not encode the PNG at `path`.
    Encode { path: PathBuf, message: String },
    /// A chart file could not be written.
    Write(OutputError),
    /// The embedded font (`regular` or `bold`) could not be registered.
    Font { face: &'static str },
    /// Drawing panicked inside plotters; the panic's message.
    Panicked { message: String },
    /// The objective metric lacks a round total for a track of the bridge.
    NoRoundTotal { metric: String },
    /// The objective metric is not rolled up (roll-up `none`, or teams
    /// disagree on it).
    NotRolledUp { metric: String },
    /// No team reports the objective metric (named as the user gave it).
    Unreported { objective: String },
}

impl fmt::Display for ChartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChartError::Folder { path, source } => {
                write!(f, "cannot create {}: {source}", path.display())
            }
            ChartError::Data(source) => write!(f, "cannot read the model: {source}"),
            ChartError::Draw { message } => f.write_str(message),
            ChartError::Encode { path, message } => {
                write!(f, "cannot write {}: {message}", path.display())
            }
            ChartError::Write(source) => write!(f, "{source}"),
            ChartError::Font { face } => write!(f, "the embedded {face} font is invalid"),
            ChartError::Panicked { message } => {
                write!(f, "internal error while drawing: {message}")
            }
            ChartError::NoRoundTotal { metric } => {
                let [a, b, c, d] = BRIDGE_TRACKS.map(Track::name);
                write!(
                    f,
                    "the objective metric \"{metric}\" has no round total for {a}, {b}, {c} and {d}"
                )
            }
            ChartError::NotRolledUp { metric } => write!(
                f,
                "the objective metric \"{metric}\" is not rolled up (its roll-up is \"{}\" or teams disagree on it), so it has no round total",
                Rollup::None.as_str()
            ),
            ChartError::Unreported { objective } => {
                write!(f, "no team reports the objective metric \"{objective}\"")
            }
        }
    }
}

impl std::error::Error for ChartError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ChartError::Folder { source, .. } => Some(source),
            ChartError::Data(source) => Some(source),
            ChartError::Write(source) => Some(source),
            ChartError::Draw { .. }
            | ChartError::Encode { .. }
            | ChartError::Font { .. }
            | ChartError::Panicked { .. }
            | ChartError::NoRoundTotal { .. }
            | ChartError::NotRolledUp { .. }
            | ChartError::Unreported { .. } => None,
        }
    }
}

impl From<PolarsError> for ChartError {
    fn from(e: PolarsError) -> Self {
        ChartError::Data(e)
    }
}

impl From<OutputError> for ChartError {
    fn from(e: OutputError) -> Self {
        ChartError::Write(e)
    }
}

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for ChartError {
    fn from(e: DrawingAreaErrorKind<E>) -> Self {
        ChartError::Draw {
            message: e.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error;

    #[test]
    fn messages_name_what_failed_and_keep_their_cause() {
        let e = ChartError::NoRoundTotal {
            metric: "Revenue".into(),
        };
        assert_eq!(
            e.to_string(),
            "the objective metric \"Revenue\" has no round total for LY Actual, Flat, Investment and Funded"
        );
        assert!(ChartError::NotRolledUp {
            metric: "NPS".into()
        }
        .to_string()
        .contains("its roll-up is \"none\""));
        let io = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "denied");
        let e = ChartError::Folder {
            path: PathBuf::from("out/charts"),
            source: io,
        };
        assert_eq!(e.to_string(), "cannot create out/charts: denied");
        assert!(e.source().is_some());
        let e = ChartError::from(PolarsError::ColumnNotFound("team".into()));
        assert!(e.to_string().starts_with("cannot read the model: "));
        assert!(e.source().is_some());
    }
}
