//! Writing outputs: every file goes to a temporary file in the destination
//! folder and is renamed into place only when complete, so a failed run
//! never leaves a half-written file or clobbers an earlier good one.

pub mod charts;
pub mod tables;
pub mod workbook;

use std::io::Write;
use std::path::Path;

/// Writes `bytes` to `path` atomically (temporary file + rename).
///
/// # Errors
/// The I/O error when the folder is not writable or the rename fails.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".op1-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
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
    // The workbook is built on one core while the charts are drawn on the others.
    let (pack, charts) = rayon::join(
        || workbook::build_pack(out, checked, model),
        || config.charts.then(|| charts::write_charts(out, model)),
    );
    let (pack, pack_findings) = pack?;
    atomic_write(&out.join("exec-pack.xlsx"), &pack)?;
    written.push("exec-pack.xlsx".to_string());
    chart_findings.extend(pack_findings);
    tables::write_parquet(&model.long, &out.join("consolidated.parquet"))?;
    written.push("consolidated.parquet".to_string());
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
    match charts {
        Some(charts) => {
            written.extend(charts.written);
            chart_findings.extend(charts.findings);
        }
        None => charts::remove_old_charts(out),
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
