//! Opening a workbook safely and loading one sheet into a small sparse grid of
//! typed cells. This is the only place that talks to calamine.
//!
//! Every input is treated as hostile: the file's size is checked before it is
//! read, its container is sniffed rather than trusted by extension, a zipped
//! workbook's parts are checked against their declared sizes before anything
//! is inflated (the zip reader refuses a part that inflates past its declared
//! size), and sheets are streamed cell by cell and refused as soon as they
//! pass the row or column limit — so a zip bomb or a sheet whose data claims
//! the whole grid costs milliseconds and no memory.

pub use super::damage::{Damage, OpenError, SheetError};
use crate::discover::Format;
use crate::settings::Limits;
use calamine::{Data, DataRef, Dimensions, Reader, Xls, Xlsb, Xlsx};
use std::collections::BTreeMap;
use std::io::Cursor;

/// A cell's value as op1 sees it.
#[derive(Clone, Debug, PartialEq)]
pub enum CellValue {
    Text(String),
    Number(f64),
    Bool(bool),
    /// A date or date-time, as ISO 8601 (`2027-03-31` or `2027-03-31T09:00:00`).
    Date(String),
    /// A duration, as written by the producing application.
    Duration(String),
    /// An Excel error value such as `#REF!`.
    Error(String),
}

impl CellValue {
    /// The value as a person would read it in the cell.
    pub fn display(&self) -> String {
        match self {
            CellValue::Text(s) => s.clone(),
            CellValue::Number(n) => format_number(*n),
            CellValue::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            CellValue::Date(d) | CellValue::Duration(d) | CellValue::Error(d) => d.clone(),
        }
    }
}

/// A number without a spurious `.0`.
pub(crate) fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// One sheet's non-empty cells, by zero-based row and column.
#[derive(Clone, Debug, Default)]
pub struct Grid {
    /// The sheet's name as the workbook spells it.
    pub name: String,
    rows: BTreeMap<u32, BTreeMap<u32, CellValue>>,
    /// Merged areas, loaded only when header detection needs them.
    pub merges: Vec<Dimensions>,
}

impl Grid {
    pub fn new(name: impl Into<String>) -> Grid {
        Grid {
            name: name.into(),
            ..Grid::default()
        }
    }

    /// Sets a cell; empty text is not stored.
    pub fn set(&mut self, row: u32, col: u32, value: CellValue) {
        if matches!(&value, CellValue::Text(s) if s.trim().is_empty()) {
            return;
        }
        self.rows.entry(row).or_default().insert(col, value);
    }

    pub fn get(&self, row: u32, col: u32) -> Option<&CellValue> {
        self.rows.get(&row)?.get(&col)
    }

    /// The rows that hold anything, in order, with their cells in column order.
    pub fn rows(&self) -> impl Iterator<Item = (u32, &BTreeMap<u32, CellValue>)> {
        self.rows.iter().map(|(r, cells)| (*r, cells))
    }

    /// The cells of one row, if it holds anything.
    pub fn row(&self, row: u32) -> Option<&BTreeMap<u32, CellValue>> {
        self.rows.get(&row)
    }

    /// The number of rows holding anything.
    pub fn row_count(&self) -> usize {
        self.rows.len()
    }
}

/// An open workbook, over the file's bytes.
pub enum Book<'a> {
    Xlsx(Box<Xlsx<Cursor<&'a [u8]>>>),
    Xlsb(Box<Xlsb<Cursor<&'a [u8]>>>),
    Xls(Box<Xls<Cursor<&'a [u8]>>>),
    Ods(Box<calamine::Ods<Cursor<&'a [u8]>>>),
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const ZIP_EMPTY_MAGIC: &[u8] = b"PK\x05\x06";
const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Reads a file whole, refusing it up front when it is over the size limit
/// or is not a regular file (a named pipe or a device named like a workbook
/// is never read: [`crate::regular`]).
///
/// # Errors
/// [`OpenError::Io`], [`OpenError::NotAFile`], [`OpenError::Empty`] or
/// [`OpenError::TooLarge`].
pub fn read_bytes(path: &std::path::Path, limits: &Limits) -> Result<Vec<u8>, OpenError> {
    use crate::regular::RegularError;
    let bytes =
        crate::regular::read_capped(path, limits.max_file_mib << 20).map_err(|e| match e {
            RegularError::NotAFile(kind) => OpenError::NotAFile(kind),
            RegularError::Io(e) => OpenError::Io(e),
            RegularError::TooLarge { bytes, cap } => OpenError::TooLarge { bytes, limit: cap },
        })?;
    if bytes.is_empty() {
        return Err(OpenError::Empty);
    }
    Ok(bytes)
}

/// Opens a workbook from its bytes. The container decides the format, not
/// the extension: a `.xls` saved as `.xlsx` still opens, while an encrypted
/// package or a renamed text file is refused with a reason.
///
/// # Errors
/// [`OpenError`] naming why.
pub fn open<'a>(bytes: &'a [u8], limits: &Limits) -> Result<(Book<'a>, Format), OpenError> {
    // calamine panics on some damaged files (fuzz-found/: an assertion in
    // its compound-file reader); that is a damaged file, not a crash.
    crate::contain::contained(|| open_unguarded(bytes, limits)).unwrap_or_else(|panic| {
        let (format, part) = if bytes.starts_with(CFB_MAGIC) {
            (Format::Xls, "its compound-file (OLE) container")
        } else {
            (Format::Xlsx, "its workbook parts")
        };
        Err(OpenError::Damaged {
            format,
            part,
            panic,
        })
    })
}

fn open_unguarded<'a>(bytes: &'a [u8], limits: &Limits) -> Result<(Book<'a>, Format), OpenError> {
    if bytes.is_empty() {
        return Err(OpenError::Empty);
    }
    if bytes.starts_with(ZIP_MAGIC) || bytes.starts_with(ZIP_EMPTY_MAGIC) {
        let format = preflight_zip(bytes, limits)?;
        let cursor = Cursor::new(bytes);
        let corrupt = |e: calamine::Error| OpenError::Corrupt {
            format,
            damage: Damage::Workbook(e),
        };
        let book = match format {
            Format::Xlsb => Book::Xlsb(Box::new(Xlsb::new(cursor).map_err(|e| corrupt(e.into()))?)),
            Format::Ods => Book::Ods(Box::new(calamine::Ods::new(cursor).map_err(
                |e| match e {
                    calamine::OdsError::Password => OpenError::Encrypted,
                    e => corrupt(e.into()),
                },
            )?)),
            _ => Book::Xlsx(Box::new(Xlsx::new(cursor).map_err(|e| corrupt(e.into()))?)),
        };
        return Ok((book, format));
    }
    if bytes.starts_with(CFB_MAGIC) {
        if contains_utf16(bytes, "EncryptedPackage") {
            return Err(OpenError::Encrypted);
        }
        return open_xls(bytes);
    }
    if looks_like_biff(bytes) {
        return open_xls(bytes);
    }
    Err(OpenError::NotASpreadsheet {
        what: describe_content(bytes),
    })
}

fn open_xls(bytes: &[u8]) -> Result<(Book<'_>, Format), OpenError> {
    // calamine allocates without bound on a compound file whose chains loop
    // or a sheet whose records claim a vast extent: checked first.
    let checked = if bytes.starts_with(CFB_MAGIC) {
        super::cfb_check::check(bytes)
    } else {
        super::xls_extent::check_sheet(bytes).map_err(|why| format!("the sheet {why}"))
    };
    checked.map_err(|why| OpenError::Corrupt {
        format: Format::Xls,
        damage: Damage::Structure(why),
    })?;
    match Xls::new(Cursor::new(bytes)) {
        Ok(book) => Ok((Book::Xls(Box::new(book)), Format::Xls)),
        Err(calamine::XlsError::Password) => Err(OpenError::Encrypted),
        Err(e) => Err(OpenError::Corrupt {
            format: Format::Xls,
            damage: Damage::workbook(e),
        }),
    }
}

/// Checks every part's declared size before anything is inflated, and tells
/// which workbook format the archive holds.
fn preflight_zip(bytes: &[u8], limits: &Limits) -> Result<Format, OpenError> {
    let limit = limits.max_part_mib << 20;
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| OpenError::Corrupt {
        format: Format::Xlsx,
        damage: Damage::Container(e),
    })?;
    let (mut xlsx, mut xlsb, mut ods) = (false, false, false);
    for i in 0..archive.len() {
        let Ok(part) = archive.by_index_raw(i) else {
            return Err(OpenError::Corrupt {
                format: Format::Xlsx,
                damage: Damage::Entry(i),
            });
        };
        let name = part.name().map(|n| n.to_string()).unwrap_or_default();
        if part.size() > limit {
            return Err(OpenError::PartTooLarge {
                part: name,
                bytes: part.size(),
                limit,
            });
        }
        let name = name.to_ascii_lowercase();
        xlsx |= name.ends_with("workbook.xml");
        xlsb |= name.ends_with("workbook.bin");
        ods |= name == "content.xml";
    }
    match (xlsb, xlsx, ods) {
        (true, _, _) => Ok(Format::Xlsb),
        (_, true, _) => Ok(Format::Xlsx),
        (_, _, true) => Ok(Format::Ods),
        _ => Err(OpenError::NotASpreadsheet {
            what: "a zip archive with no workbook inside".to_string(),
        }),
    }
}

fn contains_utf16(bytes: &[u8], needle: &str) -> bool {
    let pattern: Vec<u8> = needle.encode_utf16().flat_map(u16::to_le_bytes).collect();
    bytes
        .windows(pattern.len())
        .any(|w| w == pattern.as_slice())
}

/// Raw BIFF2–BIFF4 worksheets have no OLE container; they start with a BOF record.
fn looks_like_biff(bytes: &[u8]) -> bool {
    bytes.len() >= 4 && bytes[0] == 0x09 && matches!(bytes[1], 0x00 | 0x02 | 0x04 | 0x08)
}

fn describe_content(bytes: &[u8]) -> String {
    let head = &bytes[..bytes.len().min(512)];
    let text = head
        .iter()
        .filter(|b| b.is_ascii_graphic() || b.is_ascii_whitespace())
        .count();
    if head.starts_with(b"<?xml") || head.starts_with(b"<") {
        "the file holds XML or HTML, not a workbook".to_string()
    } else if text * 10 >= head.len() * 9 {
        // Its content is not quoted: a file that is not a spreadsheet may
        // be anything (a link to a password file), and findings reach the
        // pack and the document.
        "the file holds plain text, not a workbook".to_string()
    } else {
        let known: [(&[u8], &str); 5] = [
            (b"%PDF", "a PDF document"),
            (b"\x89PNG", "a PNG image"),
            (b"\xFF\xD8\xFF", "a JPEG image"),
            (b"\x1F\x8B", "a gzip archive"),
            (b"Rar!", "a RAR archive"),
        ];
        match known.iter().find(|(magic, _)| head.starts_with(magic)) {
            Some((_, what)) => format!("the file is {what}, not a workbook"),
            None => "unrecognised content, not a workbook".to_string(),
        }
    }
}

impl Book<'_> {
    /// The workbook's sheet names, in order.
    pub fn sheet_names(&self) -> Vec<String> {
        match self {
            Book::Xlsx(b) => b.sheet_names(),
            Book::Xlsb(b) => b.sheet_names(),
            Book::Xls(b) => b.sheet_names(),
            Book::Ods(b) => b.sheet_names(),
        }
    }

    /// Loads a sheet's non-empty cells, refusing it as soon as a cell lies
    /// beyond the limits.
    ///
    /// # Errors
    /// [`SheetError::TooLarge`] or [`SheetError::Corrupt`].
    pub fn load(&mut self, name: &str, limits: &Limits) -> Result<Grid, SheetError> {
        crate::contain::contained(|| self.load_unguarded(name, limits))
            .unwrap_or_else(|panic| Err(SheetError::Damaged(panic)))
    }

    fn load_unguarded(&mut self, name: &str, limits: &Limits) -> Result<Grid, SheetError> {
        let mut grid = Grid::new(name);
        let corrupt = |e: calamine::Error| SheetError::Corrupt(Damage::Workbook(e));
        match self {
            Book::Xlsx(b) => {
                let mut cells = b
                    .worksheet_cells_reader(name)
                    .map_err(|e| corrupt(e.into()))?;
                while let Some(cell) = cells.next_cell().map_err(|e| corrupt(e.into()))? {
                    put(
                        &mut grid,
                        cell.get_position(),
                        from_data_ref(cell.get_value()),
                        limits,
                    )?;
                }
            }
            Book::Xlsb(b) => {
                let mut cells = b
                    .worksheet_cells_reader(name)
                    .map_err(|e| corrupt(e.into()))?;
                while let Some(cell) = cells.next_cell().map_err(|e| corrupt(e.into()))? {
                    put(
                        &mut grid,
                        cell.get_position(),
                        from_data_ref(cell.get_value()),
                        limits,
                    )?;
                }
            }
            // These formats are parsed whole by calamine when opened; the
            // legacy grid is bounded (65,536 × 256) and an ODS part's size
            // was checked before it was inflated.
            Book::Xls(b) => load_range(
                &mut grid,
                b.worksheet_range(name).map_err(|e| corrupt(e.into()))?,
                limits,
            )?,
            Book::Ods(b) => load_range(
                &mut grid,
                b.worksheet_range(name).map_err(|e| corrupt(e.into()))?,
                limits,
            )?,
        }
        Ok(grid)
    }

    /// The formula of a cell, if it holds one (read only on demand: to explain
    /// a cell that reads blank).
    pub fn formula_at(&mut self, sheet: &str, row: u32, col: u32) -> Option<String> {
        let range = match self {
            Book::Xlsx(b) => b.worksheet_formula(sheet).ok()?,
            Book::Xlsb(b) => b.worksheet_formula(sheet).ok()?,
            Book::Xls(b) => b.worksheet_formula(sheet).ok()?,
            Book::Ods(b) => b.worksheet_formula(sheet).ok()?,
        };
        range
            .get_value((row, col))
            .filter(|f| !f.is_empty())
            .cloned()
    }

    /// Loads the merged areas of a sheet into its grid, where the format records them.
    pub fn load_merges(&mut self, grid: &mut Grid) {
        grid.merges = match self {
            Book::Xlsx(b) => b.merge_cells_by_sheet_name(&grid.name).unwrap_or_default(),
            Book::Xls(b) => b.merge_cells_by_sheet_name(&grid.name).unwrap_or_default(),
            Book::Xlsb(_) | Book::Ods(_) => Vec::new(),
        };
    }
}

fn load_range(
    grid: &mut Grid,
    range: calamine::Range<Data>,
    limits: &Limits,
) -> Result<(), SheetError> {
    let Some(start) = range.start() else {
        return Ok(());
    };
    for (row, col, value) in range.used_cells() {
        let pos = (start.0 + row as u32, start.1 + col as u32);
        put(grid, pos, from_data(value), limits)?;
    }
    Ok(())
}

fn put(
    grid: &mut Grid,
    (row, col): (u32, u32),
    value: Option<CellValue>,
    limits: &Limits,
) -> Result<(), SheetError> {
    let Some(value) = value else { return Ok(()) };
    if row >= limits.max_rows || col >= limits.max_cols {
        return Err(SheetError::TooLarge {
            cell: crate::a1::cell_name(row, col),
            max_rows: limits.max_rows,
            max_cols: limits.max_cols,
        });
    }
    grid.set(row, col, value);
    Ok(())
}

fn from_data_ref(d: &DataRef<'_>) -> Option<CellValue> {
    Some(match d {
        DataRef::Int(i) => CellValue::Number(*i as f64),
        DataRef::Float(f) => CellValue::Number(*f),
        DataRef::String(s) => CellValue::Text(s.clone()),
        DataRef::SharedString(s) => CellValue::Text((*s).to_string()),
        DataRef::Bool(b) => CellValue::Bool(*b),
        DataRef::DateTime(dt) => date_value(dt),
        DataRef::DateTimeIso(s) => CellValue::Date(s.clone()),
        DataRef::DurationIso(s) => CellValue::Duration(s.clone()),
        DataRef::Error(e) => CellValue::Error(e.to_string()),
        DataRef::Empty => return None,
    })
}

fn from_data(d: &Data) -> Option<CellValue> {
    Some(match d {
        Data::Int(i) => CellValue::Number(*i as f64),
        Data::Float(f) => CellValue::Number(*f),
        Data::String(s) => CellValue::Text(s.clone()),
        Data::Bool(b) => CellValue::Bool(*b),
        Data::DateTime(dt) => date_value(dt),
        Data::DateTimeIso(s) => CellValue::Date(s.clone()),
        Data::DurationIso(s) => CellValue::Duration(s.clone()),
        Data::Error(e) => CellValue::Error(e.to_string()),
        Data::Empty => return None,
    })
}

fn date_value(dt: &calamine::ExcelDateTime) -> CellValue {
    if dt.is_duration() {
        return CellValue::Duration(format!("{} days", dt.as_f64()));
    }
    match dt.as_datetime() {
        Some(t) if t.time() == chrono::NaiveTime::MIN => CellValue::Date(t.date().to_string()),
        Some(t) => CellValue::Date(t.format("%Y-%m-%dT%H:%M:%S").to_string()),
        None => CellValue::Date(dt.as_f64().to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffing_refuses_what_is_not_a_workbook() {
        let limits = Limits::default();
        assert!(matches!(open(b"", &limits), Err(OpenError::Empty)));
        let text = open(b"Team,Owner\nPayments,Ana\n", &limits)
            .err()
            .unwrap()
            .to_string();
        assert!(
            text.contains("plain text") && !text.contains("Team,Owner"),
            "{text}"
        );
        let garbage = open(b"PK\x03\x04garbage that is not a zip", &limits)
            .err()
            .unwrap();
        assert!(matches!(garbage, OpenError::Corrupt { .. }), "{garbage:?}");
        let mut cfb = CFB_MAGIC.to_vec();
        cfb.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
        assert!(matches!(open(&cfb, &limits), Err(OpenError::Encrypted)));
    }

    #[test]
    fn numbers_display_without_spurious_decimals() {
        assert_eq!(format_number(1200.0), "1200");
        assert_eq!(format_number(-0.5), "-0.5");
    }
}
