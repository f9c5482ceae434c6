//! Writing outputs: every file goes to a temporary file in the destination
//! folder and is renamed into place only when complete, so a failed run
//! never leaves a half-written file or clobbers an earlier good one.

pub mod charts;
pub mod pack;
pub mod tables;

use std::io::Write;
use std::path::Path;

/// Writes `bytes` to `path` atomically (temporary file + rename).
///
/// # Errors
/// The I/O error when the folder is not writable or the rename fails.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    atomic_write_with(path, |w| w.write_all(bytes))
}

/// Writes `path` atomically with what `write` writes to a buffered temporary
/// file, so a large output need not be held in memory first.
///
/// # Errors
/// The error `write` returns, or the I/O error when the folder is not
/// writable or the rename fails.
pub fn atomic_write_with<E: From<std::io::Error>>(
    path: &Path,
    write: impl FnOnce(&mut std::io::BufWriter<&std::fs::File>) -> Result<(), E>,
) -> Result<(), E> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let tmp = tempfile::Builder::new()
        .prefix(".op1-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, tmp.as_file());
    write(&mut out)?;
    out.flush()?;
    drop(out);
    // Temporary files are private (0600); outputs are for sharing.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Writes every output of `op1 pack` into `out`; returns the file names written.
///
/// # Errors
/// The first output that could not be written.
pub fn write_outputs(
    out: &Path,
    checked: &crate::run::Checked,
    model: &crate::model::Model,
    config: &crate::run::PackConfig,
    chart_findings: &mut Vec<crate::finding::Finding>,
) -> Result<Vec<String>, Box<dyn std::error::Error + Send + Sync>> {
    let mut written = Vec::new();
    let mut clock = crate::timing::Stopwatch::start();
    // Two phases on all cores: the pack's sheets are filled while the charts
    // are drawn; then the pack is zipped (one core) while the tables are written.
    let (sheets, charts) = rayon::join(
        || pack::build_sheets(out, checked, model),
        || config.charts.then(|| charts::write_charts(out, model)),
    );
    clock.lap("sheets+charts");
    let pack = out.join("exec-pack.xlsx");
    let (pack_findings, tables) =
        rayon::join(|| sheets?.save_to(&pack), || write_tables(out, model));
    clock.lap("zip+tables");
    let pack_findings = pack_findings?;
    written.push("exec-pack.xlsx".to_string());
    chart_findings.extend(pack_findings);
    written.extend(tables?);
    match charts {
        Some(charts) => {
            written.extend(charts.written);
            chart_findings.extend(charts.findings);
        }
        None => charts::remove_old_charts(out),
    }
    Ok(written)
}

/// Writes the Parquet and CSV tables; returns their file names.
fn write_tables(
    out: &Path,
    model: &crate::model::Model,
) -> Result<Vec<String>, Box<dyn std::error::Error + Send + Sync>> {
    tables::write_parquet(&model.long, &out.join("consolidated.parquet"))?;
    let mut written = vec!["consolidated.parquet".to_string()];
    for (name, df) in [
        ("consolidated.csv", &model.long),
        ("rollup.csv", &model.rollup),
        ("funding.csv", &model.funding),
        ("resources.csv", &model.resources),
        ("ambition.csv", &model.ambition),
    ] {
        tables::write_csv(df, &out.join(name))?;
        written.push(name.to_string());
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_leaves_no_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.bin");
        atomic_write(&path, b"one").unwrap();
        atomic_write(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
