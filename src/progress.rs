//! The progress bar on stderr while a round's files are read.

/// A progress bar on stderr while files are read — only when stderr is a
/// terminal, the run reads many files, and `--quiet` was not given.
pub struct Bar {
    bar: std::sync::OnceLock<indicatif::ProgressBar>,
    enabled: bool,
}

impl Bar {
    /// Fewer files than this read too fast for a bar to help.
    const MIN_FILES: usize = 50;

    /// A bar unless `quiet` or stderr is not a terminal.
    pub fn new(quiet: bool) -> Bar {
        use std::io::IsTerminal;
        Bar {
            bar: std::sync::OnceLock::new(),
            enabled: !quiet && std::io::stderr().is_terminal(),
        }
    }
}

impl crate::read::Progress for Bar {
    fn start(&self, files: usize) {
        if self.enabled && files >= Self::MIN_FILES {
            let bar = indicatif::ProgressBar::new(files as u64);
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "reading {bar:40} {pos}/{len} workbooks, {eta} left",
            ) {
                bar.set_style(style);
            }
            let _ = self.bar.set(bar);
        }
    }

    fn file_done(&self) {
        if let Some(bar) = self.bar.get() {
            bar.inc(1);
        }
    }

    fn finish(&self) {
        if let Some(bar) = self.bar.get() {
            bar.finish_and_clear();
        }
    }
}
