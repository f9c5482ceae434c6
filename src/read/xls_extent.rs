//! The extent of each sheet of an `.xls`, checked before calamine parses
//! it. calamine lays every sheet out densely — rows × columns of its cells,
//! and reserves the rows × columns its DIMENSIONS record declares — so one
//! damaged cell or DIMENSIONS record makes it allocate gigabytes (fuzzing
//! found 46 GB). Here the `Workbook` stream is taken from the compound file
//! (its chains already checked loop-free) and each sheet is scanned from
//! where calamine will read it, in linear time.

/// Cells calamine may lay out for one sheet of an `.xls`: 4,194,304
/// (~150 MB in its cell type, filled). Beyond it the file is refused.
pub(super) const MAX_XLS_CELLS: u64 = 1 << 22;

/// The most a DIMENSIONS record can honestly declare: the whole BIFF8 grid,
/// 65,536 rows × 256 columns. calamine only reserves this room (it is not
/// filled), so a legitimate declaration of the whole grid is read; a larger
/// one is damage, and asking for it can abort the process.
const MAX_DECLARED_CELLS: u64 = 65_536 * 256;

fn u16_at(d: &[u8], at: usize) -> Option<u64> {
    d.get(at..at + 2)
        .map(|b| u64::from(u16::from_le_bytes([b[0], b[1]])))
}

fn u32_at(d: &[u8], at: usize) -> Option<u64> {
    d.get(at..at + 4)
        .map(|b| u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])))
}

/// The parts of a compound file needed to read a stream.
pub(super) struct Compound<'a> {
    pub(super) bytes: &'a [u8],
    pub(super) sector_size: usize,
    /// The FAT and the mini FAT, loop-free.
    pub(super) fat: &'a [u32],
    pub(super) mini: &'a [u32],
}

impl Compound<'_> {
    /// A chain's sectors of `unit` bytes from `data` (sector `id` at
    /// `base + id × unit`), each visited at most once.
    fn chain(&self, start: u32, table: &[u32], unit: usize, data: &[u8], base: usize) -> Vec<u8> {
        let mut out = Vec::new();
        let mut id = start;
        for _ in 0..=table.len() {
            let Some(at) = (id as usize)
                .checked_mul(unit)
                .and_then(|a| a.checked_add(base))
            else {
                break;
            };
            let Some(sector) = data.get(at..(at + unit).min(data.len())) else {
                break;
            };
            out.extend_from_slice(sector);
            match table.get(id as usize) {
                Some(next) => id = *next,
                None => break,
            }
        }
        out
    }

    /// The `Workbook` (or BIFF5 `Book`) stream, as calamine reads it.
    pub(super) fn workbook_stream(&self) -> Option<Vec<u8>> {
        let size = self.sector_size;
        let dir_start = u32_at(self.bytes, 0x30)? as u32;
        let dirs = self.chain(dir_start, self.fat, size, self.bytes, size);
        let entries: Vec<&[u8]> = dirs.chunks(128).filter(|c| c.len() == 128).collect();
        let name_of = |e: &[u8]| -> String {
            let units: Vec<u16> = e[..64]
                .chunks(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            let name = String::from_utf16_lossy(&units);
            name.split('\0').next().unwrap_or("").to_string()
        };
        let root = entries.first()?;
        let entry = entries.iter().find(|e| {
            let n = name_of(e);
            n.eq_ignore_ascii_case("Workbook") || n.eq_ignore_ascii_case("Book")
        })?;
        let len = u32_at(entry, 120)? as usize;
        let start = u32_at(entry, 116)? as u32;
        let mut stream = if len < 4096 {
            let ministream_start = u32_at(root, 116)? as u32;
            let ministream = self.chain(ministream_start, self.fat, size, self.bytes, size);
            self.chain(start, self.mini, 64, &ministream, 0)
        } else {
            self.chain(start, self.fat, size, self.bytes, size)
        };
        stream.truncate(len);
        Some(stream)
    }
}

/// BIFF records as (type, data), each CONTINUE record folded into the one
/// before (as calamine reads them).
fn records(mut stream: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    std::iter::from_fn(move || {
        let typ = u16_at(stream, 0)? as u16;
        let len = u16_at(stream, 2)? as usize;
        let data = stream.get(4..4 + len)?;
        stream = &stream[4 + len..];
        while stream.len() > 4 && u16_at(stream, 0) == Some(0x003C) {
            let l = u16_at(stream, 2)? as usize;
            stream = stream.get(4 + l..)?;
        }
        Some((typ, data))
    })
}

/// Each sheet, from its BOUNDSHEET position, within [`MAX_XLS_CELLS`].
///
/// # Errors
/// Why a sheet is refused: what it declares or spans.
pub(super) fn check_sheets(stream: &[u8]) -> Result<(), String> {
    // An encrypted workbook: calamine refuses it (password) before any sheet.
    let encrypted = records(stream)
        .take_while(|(t, _)| *t != 0x000A)
        .any(|(t, d)| t == 0x002F && u16_at(d, 0) != Some(0));
    if encrypted {
        return Ok(());
    }
    let positions: Vec<usize> = records(stream)
        .take_while(|(t, _)| *t != 0x000A)
        .filter(|(t, _)| *t == 0x0085)
        .filter_map(|(_, d)| u32_at(d, 0).map(|p| p as usize))
        .collect();
    if positions.len() > 4_096 {
        return Err(format!("it lists {} sheets", positions.len()));
    }
    for (n, pos) in positions.into_iter().enumerate() {
        if let Some(sheet) = stream.get(pos..) {
            check_sheet(sheet).map_err(|why| format!("sheet {} {why}", n + 1))?;
        }
    }
    Ok(())
}

/// One sheet's records (a BIFF2–4 file is one sheet, without a compound file).
///
/// # Errors
/// Why the sheet is refused.
pub(super) fn check_sheet(sheet: &[u8]) -> Result<(), String> {
    let (mut rows, mut cols) = ((u64::MAX, 0u64), (u64::MAX, 0u64));
    let mut cell = |row: u64, first: u64, last: u64| {
        rows = (rows.0.min(row), rows.1.max(row));
        cols = (cols.0.min(first), cols.1.max(last));
    };
    // Nested substreams (embedded charts) are skipped, as calamine does.
    let (mut seen_bof, mut depth) = (false, 0usize);
    for (typ, d) in records(sheet) {
        if depth > 0 {
            match typ {
                0x0809 => depth += 1,
                0x000A => depth -= 1,
                _ => {}
            }
            continue;
        }
        match typ {
            0x0809 if seen_bof => depth += 1,
            0x0809 => seen_bof = true,
            0x000A => break,
            0x0200 => declared(d)?,
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                if let (Some(r), Some(c)) = (u16_at(d, 0), u16_at(d, 2)) {
                    cell(r, c, c);
                }
            }
            0x00BD => {
                let last = u16_at(d, d.len().saturating_sub(2));
                if let (Some(r), Some(c0), Some(c1)) = (u16_at(d, 0), u16_at(d, 2), last) {
                    cell(r, c0.min(c1), c0.max(c1));
                }
            }
            _ => {}
        }
    }
    if rows.0 <= rows.1 {
        let (r, c) = (rows.1 - rows.0 + 1, cols.1 - cols.0 + 1);
        if r * c > MAX_XLS_CELLS {
            return Err(format!("has cells spread over {r} rows × {c} columns"));
        }
    }
    Ok(())
}

/// A DIMENSIONS record: the room calamine reserves for it, computed as it
/// does (its u32 arithmetic wraps on a damaged record).
fn declared(d: &[u8]) -> Result<(), String> {
    let (r0, r1, c0, c1) = match d.len() {
        10 => (u16_at(d, 0), u16_at(d, 2), u16_at(d, 4), u16_at(d, 6)),
        14 | 16 => (u32_at(d, 0), u32_at(d, 4), u16_at(d, 8), u16_at(d, 10)),
        _ => return Ok(()),
    };
    let (Some(r0), Some(r1), Some(c0), Some(c1)) = (r0, r1, c0, c1) else {
        return Ok(());
    };
    let c0 = if c0 > 0xFF || c1 < c0 { 0 } else { c0 };
    let (rows, columns) = if r1 >= 1 && c1 >= 1 {
        let rows = ((r1 - 1) as u32).wrapping_sub(r0 as u32).wrapping_add(1);
        (u64::from(rows), c1 - c0)
    } else {
        (1, 1)
    };
    if rows.saturating_mul(columns) > MAX_DECLARED_CELLS {
        return Err(format!(
            "declares {rows} rows × {columns} columns (its DIMENSIONS record)"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut r = typ.to_le_bytes().to_vec();
        r.extend((data.len() as u16).to_le_bytes());
        r.extend(data);
        r
    }

    fn cell(row: u16, col: u16) -> Vec<u8> {
        let mut d = row.to_le_bytes().to_vec();
        d.extend(col.to_le_bytes());
        d.extend([0u8; 10]);
        record(0x0203, &d)
    }

    #[test]
    fn a_sheet_spread_too_wide_or_declared_too_large_is_refused() {
        let bof = record(0x0809, &[0; 16]);
        let eof = record(0x000A, &[]);
        let ok = [bof.clone(), cell(0, 0), cell(999, 9), eof.clone()].concat();
        assert_eq!(check_sheet(&ok), Ok(()));
        let wide = [bof.clone(), cell(0, 0), cell(65_000, 255), eof.clone()].concat();
        assert!(check_sheet(&wide)
            .unwrap_err()
            .contains("65001 rows × 256 columns"));
        // BIFF8 DIMENSIONS: rows 10 .. 5 (damaged: last before first) wraps.
        let mut dims = 10u32.to_le_bytes().to_vec();
        dims.extend(5u32.to_le_bytes());
        dims.extend([0, 0, 3, 0, 0, 0]);
        let declared = [bof, record(0x0200, &dims), eof].concat();
        assert!(check_sheet(&declared).unwrap_err().contains("DIMENSIONS"));
    }
}
