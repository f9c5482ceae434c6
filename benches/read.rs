//! Reading a generated 300-team round with op1's reader, against the floor:
//! calamine alone opening every file and reading every cell of every sheet.

#[path = "common.rs"]
mod common;

use calamine::{open_workbook_auto, Reader};
use op1::discover::discover;
use op1::settings::Settings;

fn calamine_floor(files: &[std::path::PathBuf]) -> usize {
    let mut cells = 0;
    for path in files {
        let mut wb = open_workbook_auto(path).expect("open");
        for name in wb.sheet_names() {
            if let Ok(range) = wb.worksheet_range(&name) {
                cells += range.used_cells().count();
            }
        }
    }
    cells
}

fn main() {
    let dir = common::round_from_env(300);
    let found = discover(std::slice::from_ref(&dir)).unwrap();
    let files: Vec<_> = found.files.iter().map(|f| f.path.clone()).collect();
    let settings = Settings::load(&dir.join("op1.toml")).unwrap_or_default();
    let runs = 7;
    if std::env::var("OP1_BENCH_ONLY").as_deref() == Ok("op1") {
        // For profiling op1 alone.
        let t = common::median(runs, || op1::read::read_round(&found, &settings));
        println!("op1 read {:.1} ms", common::ms(t));
        return;
    }
    if std::env::var("OP1_BENCH_ONLY").as_deref() == Ok("parts") {
        use sha2::Digest;
        let limits = &settings.limits;
        let t_bytes = common::median(runs, || {
            files
                .iter()
                .map(|p| op1::read::grid::read_bytes(p, limits).unwrap().len())
                .sum::<usize>()
        });
        let t_sha = common::median(runs, || {
            files
                .iter()
                .map(|p| {
                    sha2::Sha256::digest(op1::read::grid::read_bytes(p, limits).unwrap())[0]
                        as usize
                })
                .sum::<usize>()
        });
        let t_open = common::median(runs, || {
            files
                .iter()
                .map(|p| {
                    let b = op1::read::grid::read_bytes(p, limits).unwrap();
                    op1::read::grid::open(&b, limits)
                        .map(|(bk, _)| bk.sheet_names().len())
                        .unwrap_or(0)
                })
                .sum::<usize>()
        });
        let t_load = common::median(runs, || {
            files
                .iter()
                .map(|p| {
                    let b = op1::read::grid::read_bytes(p, limits).unwrap();
                    let (mut bk, _) = op1::read::grid::open(&b, limits).unwrap();
                    bk.sheet_names()
                        .iter()
                        .map(|n| bk.load(n, limits).unwrap().row_count())
                        .sum::<usize>()
                })
                .sum::<usize>()
        });
        let t_floor_open = common::median(runs, || {
            files
                .iter()
                .map(|p| open_workbook_auto(p).unwrap().sheet_names().len())
                .sum::<usize>()
        });
        println!(
            "bytes {:.1} sha {:.1} open {:.1} load-all {:.1} | floor open {:.1}",
            common::ms(t_bytes),
            common::ms(t_sha),
            common::ms(t_open),
            common::ms(t_load),
            common::ms(t_floor_open)
        );
        return;
    }
    let floor_serial = common::median(runs, || calamine_floor(&files));
    let floor_parallel = common::median(runs, || {
        use rayon::prelude::*;
        files
            .par_iter()
            .map(|f| calamine_floor(std::slice::from_ref(f)))
            .sum::<usize>()
    });
    let op1_serial = common::median(runs, || {
        found
            .files
            .iter()
            .map(|f| op1::read::read_file(f, &settings).1.len())
            .sum::<usize>()
    });
    let op1_read = common::median(runs, || op1::read::read_round(&found, &settings));
    let (round, _) = op1::read::read_round(&found, &settings);
    println!(
        "read {} files ({} teams), median of {runs} runs:",
        files.len(),
        round.workbooks().count()
    );
    println!(
        "  calamine floor, one thread      {:8.1} ms",
        common::ms(floor_serial)
    );
    println!(
        "  calamine floor, all cores       {:8.1} ms",
        common::ms(floor_parallel)
    );
    println!(
        "  op1 read, one thread            {:8.1} ms",
        common::ms(op1_serial)
    );
    println!(
        "  op1 read, all cores             {:8.1} ms",
        common::ms(op1_read)
    );
    println!(
        "  ratio op1 / floor, one thread   {:8.2}x",
        op1_serial.as_secs_f64() / floor_serial.as_secs_f64()
    );
    println!(
        "  ratio op1 / parallel floor      {:8.2}x",
        op1_read.as_secs_f64() / floor_parallel.as_secs_f64()
    );
}
