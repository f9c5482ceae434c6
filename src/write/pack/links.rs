//! Links from the pack back to the input cells: [`Links`], the file-link
//! cell, and the source text split back into file and cell.

use super::Pack;
use crate::run::Checked;
use rust_xlsxwriter::{Url, Worksheet, XlsxError};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Hyperlinks from the pack back to the input cells, relative to the pack.
pub(super) struct Links {
    /// Input display path → path relative to the output folder.
    relative: BTreeMap<String, String>,
}

impl Links {
    pub(super) fn new(out_dir: &Path, checked: &Checked) -> Links {
        let out = std::fs::canonicalize(out_dir).unwrap_or_else(|_| out_dir.to_path_buf());
        let relative = checked
            .round
            .files
            .iter()
            .map(|f| {
                let abs =
                    std::fs::canonicalize(&f.input.path).unwrap_or_else(|_| f.input.path.clone());
                (f.input.display.clone(), relative_path(&out, &abs))
            })
            .collect();
        Links { relative }
    }

    /// The link to `cell` (such as `Plan!F7`) of the input shown as `file`.
    fn url(&self, file: &str, cell: &str) -> Option<String> {
        let rel = self.relative.get(file)?;
        Some(format!("file:///{rel}#{cell}"))
    }
}

impl Pack<'_, '_> {
    /// Writes `file` at (r, c), as a link to `cell` of that file when given.
    pub(super) fn file_link(
        &mut self,
        ws: &mut Worksheet,
        r: u32,
        c: u16,
        file: &str,
        cell: Option<&str>,
        sheet: &str,
    ) -> Result<(), XlsxError> {
        match cell.and_then(|cell| self.links.url(file, cell)) {
            Some(url) => {
                ws.write_url_with_format(r, c, Url::new(url).set_text(file), &self.fmt.link)?;
                Ok(())
            }
            None => self.text(ws, r, c, file, sheet),
        }
    }
}

/// Splits a source such as `teams/a.xlsx › Plan!F7`, or a blank Baseline's
/// `blank; equals LY Actual at teams/a.xlsx › Plan!F7`, into the words before
/// the file, the file and the cell.
pub(super) fn split_source(source: &str) -> Option<(&str, &str, &str)> {
    // The cell is after the last " › " (op1's sheet names hold none); a file
    // name may hold anything, including " at ".
    let (head, cell) = source.rsplit_once(" › ")?;
    match head.strip_prefix(crate::model::BLANK_BASELINE) {
        Some(file) => Some((crate::model::BLANK_BASELINE, file, cell)),
        None => Some(("", head, cell)),
    }
}

/// `to` relative to the folder `from`, with forward slashes.
fn relative_path(from: &Path, to: &Path) -> String {
    let from: Vec<_> = from.components().collect();
    let to_parts: Vec<_> = to.components().collect();
    let common = from
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut rel = PathBuf::new();
    for _ in common..from.len() {
        rel.push("..");
    }
    for part in &to_parts[common..] {
        rel.push(part);
    }
    rel.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_split_into_words_file_and_cell() {
        for (source, want) in [
            ("a.xlsx › Plan!F7", Some(("", "a.xlsx", "Plan!F7"))),
            (
                "teams/look at this.xlsx › Plan!F7",
                Some(("", "teams/look at this.xlsx", "Plan!F7")),
            ),
            (
                "blank; equals LY Actual at t/a › b.xlsx › Plan!G7",
                Some((crate::model::BLANK_BASELINE, "t/a › b.xlsx", "Plan!G7")),
            ),
            ("no cell here", None),
        ] {
            assert_eq!(split_source(source), want, "{source}");
        }
    }

    #[test]
    fn relative_paths() {
        assert_eq!(
            relative_path(Path::new("/w/out"), Path::new("/w/fixtures/a.xlsx")),
            "../fixtures/a.xlsx"
        );
        assert_eq!(
            relative_path(Path::new("/w"), Path::new("/w/a.xlsx")),
            "a.xlsx"
        );
    }
}
