//! The floor of any consolidator: open every input with calamine (in
//! parallel, as op1 does), read every cell of every sheet, and write the same
//! number of cells with rust_xlsxwriter. Nothing is checked or modelled.
//!
//! `cargo run --release --example floor -- ROUND_DIR OUT.xlsx`

use calamine::{open_workbook_auto, Data, Reader};
use rayon::prelude::*;
use rust_xlsxwriter::Workbook;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(root), Some(out)) = (args.next(), args.next()) else {
        eprintln!("usage: floor ROUND_DIR OUT.xlsx");
        std::process::exit(2);
    };
    let found = op1::discover::discover(&[root.into()])?;
    let cells: Vec<Vec<Data>> = found
        .files
        .par_iter()
        .map(|f| {
            let mut wb = open_workbook_auto(&f.path).expect("open");
            let mut cells = Vec::new();
            for name in wb.sheet_names() {
                if let Ok(range) = wb.worksheet_range(&name) {
                    cells.extend(range.used_cells().map(|(_, _, v)| v.clone()));
                }
            }
            cells
        })
        .collect();
    let mut book = Workbook::new();
    // The same deflate level as the exec pack, so the write costs compare.
    book.set_zip_compression_level(op1::write::workbook::pack::ZIP_LEVEL);
    let ws = book.add_worksheet();
    let (mut row, mut n) = (0u32, 0usize);
    for file in &cells {
        for (col, value) in file.iter().enumerate() {
            let col = (col % 16_000) as u16;
            match value {
                Data::Float(f) => ws.write_number(row, col, *f)?,
                Data::Int(i) => ws.write_number(row, col, *i as f64)?,
                Data::String(s) => ws.write_string(row, col, s)?,
                other => ws.write_string(row, col, other.to_string())?,
            };
            n += 1;
        }
        row += 1;
    }
    book.save(&out)?;
    eprintln!("floor: {} files, {n} cells read and written", cells.len());
    Ok(())
}

// The same allocator as op1, so the floor is not slower for a reason op1 avoids.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
