//! A compound file (`.xls`) checked before calamine opens it. calamine
//! 0.38 follows a compound file's sector chains without noticing a chain
//! that loops back on itself, appending the same sectors until memory runs
//! out (a fuzzed `.xls` grew op1 to 24 GB). Here the header's sizes are
//! checked, the FAT and mini FAT are read as bounded tables, and any chain
//! that loops is refused — linear work in the file's size. Then each sheet's
//! extent is checked ([`super::xls_extent`]).

/// Chain ends and special sectors (the values above a sector number).
const MAX_SECTOR: u32 = 0xFFFF_FFFA;
const HEADER_DIFAT: usize = 109;

/// Why the compound file is refused (for the finding).
pub(super) fn check(bytes: &[u8]) -> Result<(), String> {
    container(bytes)
        .map_err(|why| format!("its compound-file (OLE) container is inconsistent: {why}"))?
        .map_or(Ok(()), |stream| super::xls_extent::check_sheets(&stream))
}

/// The container checked; its `Workbook` stream, when it has one.
fn container(bytes: &[u8]) -> Result<Option<Vec<u8>>, String> {
    let u16_at = |at: usize| u16::from_le_bytes([bytes[at], bytes[at + 1]]);
    let u32_at = |b: &[u8], at: usize| u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]);
    if bytes.len() < 512 {
        return Err(format!(
            "it is {} bytes, shorter than a compound-file header",
            bytes.len()
        ));
    }
    let shift = u16_at(0x1E);
    if shift != 9 && shift != 12 {
        return Err(format!(
            "its header gives a sector size of 2^{shift} bytes (512 or 4,096 expected)"
        ));
    }
    if u16_at(0x20) != 6 {
        return Err(format!(
            "its header gives a mini sector size of 2^{} bytes (64 expected)",
            u16_at(0x20)
        ));
    }
    let size = 1usize << shift;
    let sector = |id: u32| -> Option<&[u8]> {
        let start = (id as usize).checked_add(1)?.checked_mul(size)?;
        bytes
            .get(start..start.checked_add(size)?.min(bytes.len()))
            .filter(|s| !s.is_empty())
    };
    let per_sector = size / 4;
    // The FAT's own sectors: 109 in the header, the rest along the DIFAT chain.
    let mut fat_sectors: Vec<u32> = (0..HEADER_DIFAT)
        .map(|i| u32_at(bytes, 0x4C + 4 * i))
        .filter(|id| *id < MAX_SECTOR)
        .collect();
    let mut difat = u32_at(bytes, 0x44);
    let mut steps = 0usize;
    let max_sectors = bytes.len() / size + 1;
    while difat < MAX_SECTOR {
        steps += 1;
        if steps > max_sectors {
            return Err("its DIFAT chain loops".into());
        }
        let s = sector(difat)
            .ok_or_else(|| format!("its DIFAT points to sector {difat}, past the end"))?;
        let entries: Vec<u32> = (0..s.len() / 4).map(|i| u32_at(s, 4 * i)).collect();
        let (next, ids) = entries
            .split_last()
            .map_or((u32::MAX, &[][..]), |(n, ids)| (*n, ids));
        fat_sectors.extend(ids.iter().filter(|id| **id < MAX_SECTOR));
        difat = next;
    }
    if fat_sectors.len() > max_sectors {
        return Err("its header lists more FAT sectors than the file holds".into());
    }
    let mut fat = Vec::with_capacity(fat_sectors.len() * per_sector);
    for id in fat_sectors {
        let s = sector(id).ok_or_else(|| format!("its FAT is in sector {id}, past the end"))?;
        fat.extend((0..s.len() / 4).map(|i| u32_at(s, 4 * i)));
    }
    if let Some(at) = first_loop(&fat) {
        return Err(format!(
            "its sector chains loop (the chain through sector {at} leads back to it)"
        ));
    }
    // The mini FAT, along its (now loop-free) chain in the FAT.
    let mut mini = Vec::new();
    let mut id = u32_at(bytes, 0x3C);
    while id < MAX_SECTOR && (id as usize) < fat.len() {
        if let Some(s) = sector(id) {
            mini.extend((0..s.len() / 4).map(|i| u32_at(s, 4 * i)));
        }
        id = fat[id as usize];
    }
    if let Some(at) = first_loop(&mini) {
        return Err(format!(
            "its mini-sector chains loop (the chain through mini sector {at} leads back to it)"
        ));
    }
    let file = super::xls_extent::Compound {
        bytes,
        sector_size: size,
        fat: &fat,
        mini: &mini,
    };
    // Without one, calamine says so itself ("Cannot find Workbook stream").
    Ok(file.workbook_stream())
}

/// The first entry of `table` (a next-pointer table) on a chain that comes
/// back to itself; values outside the table end a chain. Linear.
fn first_loop(table: &[u32]) -> Option<usize> {
    // 0: not seen, 1: on the walk in progress, 2: known to end.
    let mut state = vec![0u8; table.len()];
    let mut path = Vec::new();
    for start in 0..table.len() {
        let mut at = start;
        path.clear();
        while at < table.len() && state[at] == 0 {
            state[at] = 1;
            path.push(at);
            at = table[at] as usize;
        }
        if at < table.len() && state[at] == 1 {
            return Some(at);
        }
        for &p in &path {
            state[p] = 2;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chains_that_end_pass_and_a_loop_is_found() {
        const END: u32 = 0xFFFF_FFFE;
        assert_eq!(first_loop(&[1, 2, END, END]), None);
        assert_eq!(first_loop(&[1, 2, 0]), Some(0));
        assert_eq!(first_loop(&[END, 2, 3, 1]), Some(1));
        assert_eq!(
            first_loop(&[5, 5, 5]),
            None,
            "out of the table ends a chain"
        );
        assert_eq!(first_loop(&[0]), Some(0), "a sector that names itself");
    }

    #[test]
    fn a_header_with_an_impossible_sector_size_is_refused() {
        let mut b = vec![0u8; 1024];
        b[0x1E] = 31;
        assert!(check(&b).unwrap_err().contains("sector size"));
        assert!(check(&b[..100]).unwrap_err().contains("shorter"));
    }
}
