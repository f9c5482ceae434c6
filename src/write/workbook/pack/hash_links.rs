//! Links to input files whose names hold `#`, which rust_xlsxwriter would cut at the `#`.
//!
//! A hyperlink is a file path plus a location after `#` (`team.xlsx#Plan!F7`),
//! and rust_xlsxwriter splits its URL at the first `#`: `team #2.xlsx` would
//! link to `team ` at location `2.xlsx#Plan!F7`. Excel itself writes such a
//! file as `team%20%232.xlsx` in the sheet's relationships. So the pack writes
//! each `#` of a path as [`HASH_STAND_IN`] and, once zipped, replaces the
//! stand-in with `%23` in the worksheets' relationship parts, the only parts
//! that hold link targets.

use std::io::{Cursor, Read, Write};
use zip::write::SimpleFileOptions;

/// What a `#` in a linked file's path is written as until the pack is zipped:
/// a private-use character no file name op1 links to contains (a path that
/// does is written as text, not linked).
pub(super) const HASH_STAND_IN: char = '\u{E023}';

/// A path with its `#` stood in for; `None` for a path that holds the stand-in.
pub(super) fn stand_in(path: &str) -> Option<String> {
    (!path.contains(HASH_STAND_IN)).then(|| path.replace('#', &HASH_STAND_IN.to_string()))
}

/// The zipped workbook `xlsx` with every stand-in in a worksheet's
/// relationships encoded as `%23`; the other parts copied as they are.
///
/// # Errors
/// An I/O error when the zip cannot be read back or rewritten.
pub(super) fn encode_hashes(xlsx: Vec<u8>) -> std::io::Result<Vec<u8>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(xlsx)).map_err(std::io::Error::other)?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let is_rels = {
            let name = archive.by_index_raw(i).map_err(std::io::Error::other)?;
            let name = name.name().unwrap_or_default();
            name.starts_with("xl/worksheets/_rels/") && name.ends_with(".rels")
        };
        if is_rels {
            let mut part = archive.by_index(i).map_err(std::io::Error::other)?;
            let name = part.name().unwrap_or_default().to_string();
            let mut xml = String::new();
            part.read_to_string(&mut xml)?;
            let xml = xml.replace(HASH_STAND_IN, "%23");
            let options =
                SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
            out.start_file(name, options)
                .map_err(std::io::Error::other)?;
            out.write_all(xml.as_bytes())?;
        } else {
            let part = archive.by_index_raw(i).map_err(std::io::Error::other)?;
            out.raw_copy_file(part).map_err(std::io::Error::other)?;
        }
    }
    Ok(out.finish().map_err(std::io::Error::other)?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_stood_in_for_is_encoded_in_the_relationships_only() {
        let path = stand_in("../round/team #2.xlsx").unwrap();
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        let url =
            rust_xlsxwriter::Url::new(format!("file:///{path}#Plan!A1")).set_text("team #2.xlsx");
        ws.write_url(0, 0, url).unwrap();
        let bytes = encode_hashes(wb.save_to_buffer().unwrap()).unwrap();
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut rels = String::new();
        zip.by_name("xl/worksheets/_rels/sheet1.xml.rels")
            .unwrap()
            .read_to_string(&mut rels)
            .unwrap();
        assert!(
            rels.contains("Target=\"../round/team%20%232.xlsx\""),
            "{rels}"
        );
        let mut sheet = String::new();
        zip.by_name("xl/worksheets/sheet1.xml")
            .unwrap()
            .read_to_string(&mut sheet)
            .unwrap();
        assert!(sheet.contains("location=\"Plan!A1\""), "{sheet}");
        assert_eq!(stand_in("a\u{E023}b.xlsx"), None);
    }
}
