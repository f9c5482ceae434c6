//! Links from the pack back to the input cells: [`Links`] and the file-link cell.

use super::Pack;
use crate::plan::FileRead;
use rust_xlsxwriter::{Url, Worksheet, XlsxError};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Hyperlinks from the pack back to the input cells, relative to the pack.
pub(super) struct Links {
    /// Input display path → path relative to the output folder, each `#`
    /// stood in for ([`super::hash_links`]).
    relative: BTreeMap<String, String>,
}

impl Links {
    pub(super) fn new(out_dir: &Path, files: &[FileRead]) -> Links {
        let out = std::fs::canonicalize(out_dir).unwrap_or_else(|_| out_dir.to_path_buf());
        let relative = files
            .iter()
            .filter_map(|f| {
                let abs = f.input.canonical.as_ref().unwrap_or(&f.input.path);
                let rel = super::hash_links::stand_in(&relative_path(&out, abs))?;
                Some((f.input.display.clone(), rel))
            })
            .collect();
        Links { relative }
    }

    /// Whether a linked path holds a `#`: the zipped pack then needs
    /// [`super::hash_links::encode_hashes`].
    pub(super) fn any_hash(&self) -> bool {
        let stand_in = super::hash_links::HASH_STAND_IN;
        self.relative.values().any(|rel| rel.contains(stand_in))
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
        match cell.and_then(|cell| self.shared.links.url(file, cell)) {
            Some(url) => {
                ws.write_url_with_format(
                    r,
                    c,
                    Url::new(url).set_text(file),
                    &self.shared.fmt.link,
                )?;
                Ok(())
            }
            None => self.text(ws, r, c, file, sheet),
        }
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
