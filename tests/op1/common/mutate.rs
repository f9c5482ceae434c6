//! Seeded mutations of spreadsheet files, for the fuzz harness
//! (`tests/op1/fuzz.rs` runs a fixed few thousand in CI; `examples/fuzz.rs`
//! runs long campaigns). Shared by both through `#[path]`.
//!
//! Every mutation is a function of the seed alone: a failure is replayed by
//! its seed. Byte-level mutations apply to every format; zipped formats
//! (xlsx, xlsm, xlsb, ods) also get member-level ones (a member dropped,
//! duplicated, truncated; XML elements deleted or nested deeply; numbers
//! thousands of digits long; invalid UTF-8; shared-string and style indexes
//! out of range), and `.xls` compound files get damaged headers and sectors.

#![allow(dead_code)]

use std::io::{Cursor, Read, Write};

/// SplitMix64: small, seedable, good enough to pick mutations.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// The name of what a mutation did, and the bytes.
pub struct Mutant {
    pub how: &'static str,
    pub bytes: Vec<u8>,
}

/// One mutation of `input` (a file of extension `ext`), chosen by `seed`.
pub fn mutate(input: &[u8], ext: &str, seed: u64) -> Mutant {
    let mut rng = Rng::new(seed);
    let zipped = matches!(ext, "xlsx" | "xlsm" | "xlsb" | "ods");
    let pick = rng.below(if zipped || ext == "xls" { 10 } else { 5 });
    match (pick, zipped, ext == "xls") {
        (0, ..) => flip_bits(input, &mut rng),
        (1, ..) => overwrite(input, &mut rng),
        (2, ..) => truncate(input, &mut rng),
        (3, ..) => insert(input, &mut rng),
        (4, ..) => duplicate_chunk(input, &mut rng),
        (_, true, _) => zip_mutation(input, &mut rng).unwrap_or_else(|| overwrite(input, &mut rng)),
        (_, _, true) => cfb_mutation(input, &mut rng),
        _ => overwrite(input, &mut rng),
    }
}

fn flip_bits(input: &[u8], rng: &mut Rng) -> Mutant {
    let mut b = input.to_vec();
    for _ in 0..1 + rng.below(8) {
        if !b.is_empty() {
            let i = rng.below(b.len());
            b[i] ^= 1 << rng.below(8);
        }
    }
    Mutant {
        how: "bits flipped",
        bytes: b,
    }
}

fn overwrite(input: &[u8], rng: &mut Rng) -> Mutant {
    let mut b = input.to_vec();
    if !b.is_empty() {
        let at = rng.below(b.len());
        let n = (1 + rng.below(64)).min(b.len() - at);
        for x in &mut b[at..at + n] {
            *x = rng.next() as u8;
        }
    }
    Mutant {
        how: "bytes overwritten",
        bytes: b,
    }
}

fn truncate(input: &[u8], rng: &mut Rng) -> Mutant {
    Mutant {
        how: "truncated",
        bytes: input[..rng.below(input.len())].to_vec(),
    }
}

fn insert(input: &[u8], rng: &mut Rng) -> Mutant {
    let mut b = input.to_vec();
    let at = rng.below(b.len() + 1);
    let junk: Vec<u8> = (0..1 + rng.below(256)).map(|_| rng.next() as u8).collect();
    b.splice(at..at, junk);
    Mutant {
        how: "bytes inserted",
        bytes: b,
    }
}

fn duplicate_chunk(input: &[u8], rng: &mut Rng) -> Mutant {
    let mut b = input.to_vec();
    if !b.is_empty() {
        let from = rng.below(b.len());
        let n = (1 + rng.below(4096)).min(b.len() - from);
        let chunk = b[from..from + n].to_vec();
        let at = rng.below(b.len() + 1);
        b.splice(at..at, chunk);
    }
    Mutant {
        how: "chunk duplicated",
        bytes: b,
    }
}

/// The members of a zip, in order.
fn members(input: &[u8]) -> Option<Vec<(String, Vec<u8>)>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(input)).ok()?;
    let mut out = Vec::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).ok()?;
        let mut data = Vec::new();
        // A member over 64 MiB is not a seed worth mutating.
        f.by_ref().take(64 << 20).read_to_end(&mut data).ok()?;
        let name = f.name().ok()?.to_string();
        out.push((name, data));
    }
    Some(out)
}

/// A zip of `members` (names may repeat: written as two entries).
fn rezip(members: &[(String, Vec<u8>)]) -> Option<Vec<u8>> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    let mut seen = std::collections::BTreeSet::new();
    for (name, data) in members {
        // The writer refuses a repeated name; a duplicate gets a look-alike.
        let name = if seen.insert(name.clone()) {
            name.clone()
        } else {
            format!("./{name}")
        };
        w.start_file(name, options).ok()?;
        w.write_all(data).ok()?;
    }
    Some(w.finish().ok()?.into_inner())
}

fn zip_mutation(input: &[u8], rng: &mut Rng) -> Option<Mutant> {
    let mut m = members(input)?;
    if m.is_empty() {
        return None;
    }
    let i = rng.below(m.len());
    let how = match rng.below(9) {
        0 => {
            m.remove(i);
            "member dropped"
        }
        1 => {
            let copy = m[i].clone();
            m.insert(i, copy);
            "member duplicated"
        }
        2 => {
            let keep = rng.below(m[i].1.len() + 1);
            m[i].1.truncate(keep);
            "member truncated"
        }
        3 => {
            m[i].1 = delete_element(&m[i].1, rng);
            "XML element deleted"
        }
        4 => {
            m[i].1 = nest_deeply(&m[i].1, rng);
            "XML nested deeply"
        }
        5 => {
            m[i].1 = huge_number(&m[i].1, rng);
            "number thousands of digits long"
        }
        6 => {
            let at = rng.below(m[i].1.len() + 1);
            m[i].1.splice(at..at, [0xC3, 0x28, 0xFF, 0xFE]);
            "invalid UTF-8"
        }
        7 => {
            m[i].1 = index_out_of_range(&m[i].1, b" s=\"", rng);
            "style index out of range"
        }
        _ => {
            m[i].1 = index_out_of_range(&m[i].1, b"<v>", rng);
            "shared-string index out of range"
        }
    };
    Some(Mutant {
        how,
        bytes: rezip(&m)?,
    })
}

/// Deletes from a random `<` to the next `>` (a tag, or part of the text).
fn delete_element(xml: &[u8], rng: &mut Rng) -> Vec<u8> {
    let starts: Vec<usize> = xml
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'<')
        .map(|(i, _)| i)
        .collect();
    let mut out = xml.to_vec();
    if let Some(&start) = starts.get(rng.below(starts.len())) {
        let span = 1 + rng.below(4);
        let mut end = start;
        for _ in 0..span {
            match out[end..].iter().position(|b| *b == b'>') {
                Some(p) => end += p + 1,
                None => break,
            }
        }
        out.drain(start..end.max(start));
    }
    out
}

fn nest_deeply(xml: &[u8], rng: &mut Rng) -> Vec<u8> {
    let depth = 1_000 + rng.below(100_000);
    let at = xml.iter().position(|b| *b == b'>').map_or(0, |p| p + 1);
    let mut out = xml[..at].to_vec();
    out.extend(b"<x>".repeat(depth));
    out.extend(b"</x>".repeat(depth / (1 + rng.below(3))));
    out.extend(&xml[at..]);
    out
}

fn huge_number(xml: &[u8], rng: &mut Rng) -> Vec<u8> {
    let digits = "9".repeat(1_000 + rng.below(20_000));
    replace_after(xml, b"<v>", digits.as_bytes(), rng)
}

fn index_out_of_range(xml: &[u8], marker: &[u8], rng: &mut Rng) -> Vec<u8> {
    let index = [
        u64::MAX.to_string(),
        "4294967296".into(),
        "99999".into(),
        "-1".into(),
    ];
    let value = index[rng.below(index.len())].clone();
    replace_after(xml, marker, value.as_bytes(), rng)
}

/// Replaces the digits after a random occurrence of `marker` with `with`.
fn replace_after(xml: &[u8], marker: &[u8], with: &[u8], rng: &mut Rng) -> Vec<u8> {
    let hits: Vec<usize> = xml
        .windows(marker.len())
        .enumerate()
        .filter(|(_, w)| *w == marker)
        .map(|(i, _)| i + marker.len())
        .collect();
    let Some(&at) = hits.get(rng.below(hits.len())) else {
        return xml.to_vec();
    };
    let end = at
        + xml[at..]
            .iter()
            .take_while(|b| b.is_ascii_digit() || **b == b'.')
            .count();
    let mut out = xml[..at].to_vec();
    out.extend(with);
    out.extend(&xml[end..]);
    out
}

/// Damages an `.xls` compound file: a header field (sector size, FAT and
/// directory locations and counts) or a whole sector.
fn cfb_mutation(input: &[u8], rng: &mut Rng) -> Mutant {
    let mut b = input.to_vec();
    if b.len() < 512 {
        return truncate(input, rng);
    }
    // Offsets of the header's little-endian fields.
    const FIELDS: [(usize, usize); 8] = [
        (0x1E, 2), // sector shift
        (0x20, 2), // mini sector shift
        (0x2C, 4), // number of FAT sectors
        (0x30, 4), // first directory sector
        (0x38, 4), // mini stream cutoff
        (0x3C, 4), // first mini FAT sector
        (0x44, 4), // first DIFAT sector
        (0x4C, 4), // first DIFAT entry
    ];
    if rng.below(2) == 0 {
        let (at, n) = FIELDS[rng.below(FIELDS.len())];
        let values = [0u64, 1, 0xFFFF_FFFE, 0xFFFF_FFFF, 0x7FFF_FFFF, rng.next()];
        let v = values[rng.below(values.len())];
        b[at..at + n].copy_from_slice(&v.to_le_bytes()[..n]);
        Mutant {
            how: "compound-file header damaged",
            bytes: b,
        }
    } else {
        let sectors = b.len() / 512;
        let s = 1 + rng.below(sectors.max(2) - 1);
        let fill = rng.next() as u8;
        let end = ((s + 1) * 512).min(b.len());
        for x in &mut b[s * 512..end] {
            *x = if rng.below(2) == 0 {
                fill
            } else {
                rng.next() as u8
            };
        }
        Mutant {
            how: "compound-file sector damaged",
            bytes: b,
        }
    }
}
