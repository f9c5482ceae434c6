//! Why drawing a chart failed: the error every drawing step returns, each
//! variant carrying what failed, and its message in the `chart-failed`
//! finding. (Why a chart is not planned at all is the chart's own to say.)

use crate::output::OutputError;
use plotters::drawing::DrawingAreaErrorKind;
use polars::prelude::PolarsError;
use std::path::PathBuf;

/// Why a chart (or all of them) could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// The `charts` folder could not be created.
    #[error("cannot create {}: {source}", path.display())]
    Folder {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The model could not be read into the chart's data.
    #[error("cannot read the model: {0}")]
    Data(#[from] PolarsError),
    /// plotters could not draw (its backend errors carry only a message).
    #[error("{message}")]
    Draw { message: String },
    /// plotters could not encode the PNG at `path`.
    #[error("cannot write {}: {message}", path.display())]
    Encode { path: PathBuf, message: String },
    /// A chart file could not be written.
    #[error("{0}")]
    Write(#[from] OutputError),
    /// The embedded font (`regular` or `bold`) could not be registered.
    #[error("the embedded {face} font is invalid")]
    Font { face: &'static str },
    /// Drawing panicked inside plotters; the panic's message.
    #[error("internal error while drawing: {message}")]
    Panicked { message: String },
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
