//! The document written as it is built: each chapter is rendered into the
//! HTML and Markdown bodies (unnamed temporary files in the output folder) as
//! soon as it is made, then dropped, so that a large round's document is
//! never held whole; the head, which lists every chapter and the reading
//! time, is written when all are in, and each body copied after it into its
//! file (written atomically, like every output).

use super::content::{Chapter, Entry, Head};
use super::{html, markdown};
use crate::output::{atomic_write_with, OutputError};
use crate::settings::Paper;
use std::fs::File;
use std::io::{BufWriter, Seek, Write};
use std::path::{Path, PathBuf};

/// One document being written as HTML and Markdown.
pub(crate) struct DocumentWriter<'a> {
    html: Body,
    markdown: Body,
    contents: Vec<Entry>,
    words: usize,
    paper: Paper,
    /// Reads a chart's SVG for the HTML (the Markdown links to the file).
    svg: &'a dyn Fn(&str) -> Option<String>,
    /// One chapter's text at a time.
    buf: String,
}

/// An output file's body so far, and the file it goes to.
struct Body {
    path: PathBuf,
    file: BufWriter<File>,
}

impl Body {
    fn new(dir: &Path, name: &str) -> Result<Body, OutputError> {
        let path = dir.join(name);
        match tempfile::tempfile_in(dir) {
            Ok(file) => Ok(Body {
                file: BufWriter::with_capacity(1 << 16, file),
                path,
            }),
            Err(source) => Err(OutputError::Io { path, source }),
        }
    }

    fn write(&mut self, text: &str) -> Result<(), OutputError> {
        self.file
            .write_all(text.as_bytes())
            .map_err(|e| self.error(e))
    }

    fn error(&self, source: std::io::Error) -> OutputError {
        OutputError::Io {
            path: self.path.clone(),
            source,
        }
    }

    /// Writes the file: `head`, the body, `end`.
    fn finish(self, head: &str, end: &str) -> Result<(), OutputError> {
        let Body { path, file } = self;
        let error = |source| OutputError::Io {
            path: path.clone(),
            source,
        };
        let mut body = file.into_inner().map_err(|e| error(e.into_error()))?;
        body.rewind().map_err(error)?;
        atomic_write_with(&path, |w| {
            w.write_all(head.as_bytes())?;
            std::io::copy(&mut body, w)?;
            w.write_all(end.as_bytes())
        })
        .map_err(error)
    }
}

impl<'a> DocumentWriter<'a> {
    /// Starts the document `files` (the HTML file's name, then the
    /// Markdown's) in the folder `out`, for `paper`; `svg` reads a chart.
    ///
    /// # Errors
    /// [`OutputError::Io`] when no file can be made in `out`.
    pub(crate) fn new(
        out: &Path,
        (html_file, markdown_file): (&str, &str),
        paper: Paper,
        svg: &'a dyn Fn(&str) -> Option<String>,
    ) -> Result<DocumentWriter<'a>, OutputError> {
        Ok(DocumentWriter {
            html: Body::new(out, html_file)?,
            markdown: Body::new(out, markdown_file)?,
            contents: Vec::new(),
            words: 0,
            paper,
            svg,
            buf: String::with_capacity(64 * 1024),
        })
    }

    /// Renders `chapter` into both documents.
    ///
    /// # Errors
    /// [`OutputError::Io`] naming the file that could not be written.
    pub(crate) fn add(&mut self, chapter: &Chapter) -> Result<(), OutputError> {
        self.words += chapter.words();
        self.contents.push(chapter.entry());
        self.buf.clear();
        html::chapter(&mut self.buf, chapter, self.svg);
        self.html.write(&self.buf)?;
        self.buf.clear();
        markdown::chapter(&mut self.buf, chapter);
        self.markdown.write(&self.buf)
    }

    /// The chapters added so far.
    pub(crate) fn chapters(&self) -> usize {
        self.contents.len()
    }

    /// The words a reader reads in the chapters added so far.
    pub(crate) fn words(&self) -> usize {
        self.words
    }

    /// Writes both files: the head (`title`, the `meta` lines under it, the
    /// contents), then every chapter added.
    ///
    /// # Errors
    /// [`OutputError::Io`] naming the file that could not be written.
    pub(crate) fn finish(self, title: String, meta: Vec<String>) -> Result<(), OutputError> {
        let head = Head {
            title,
            meta,
            contents: self.contents,
        };
        self.html
            .finish(&html::head(&head, self.paper), html::END)?;
        self.markdown.finish(&markdown::head(&head), "")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::document::content::Block;

    fn chapter(number: &str, title: &str, text: &str) -> Chapter {
        let mut ch = Chapter::new(number, title);
        ch.part("Part", vec![Block::para(text)]);
        ch
    }

    #[test]
    fn chapters_follow_a_head_that_lists_them_all_and_no_temporary_file_is_left() {
        let dir = tempfile::tempdir().unwrap();
        let no_chart = |_: &str| None;
        let mut doc =
            DocumentWriter::new(dir.path(), ("d.html", "d.md"), Paper::A4, &no_chart).unwrap();
        doc.add(&chapter("1", "The round", "three words here"))
            .unwrap();
        doc.add(&chapter("2", "Payments <&>", "two words")).unwrap();
        assert_eq!((doc.chapters(), doc.words()), (2, 5));
        doc.finish("Title".into(), vec!["5 words".into()]).unwrap();
        let md = std::fs::read_to_string(dir.path().join("d.md")).unwrap();
        let contents = md.find("- 2 Payments").unwrap();
        let first = md.find("## 1 The round").unwrap();
        let second = md.find("## 2 Payments").unwrap();
        assert!(md.starts_with("# Title\n\n5 words  \n") && contents < first && first < second);
        let html = std::fs::read_to_string(dir.path().join("d.html")).unwrap();
        assert!(html.ends_with(html::END) && html.contains("Payments &lt;&amp;&gt;"));
        assert!(html.find("href=\"#ch-2\"").unwrap() < html.find("id=\"ch-1\"").unwrap());
        let mut files: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        files.sort();
        assert_eq!(files, ["d.html", "d.md"]);
    }

    #[test]
    fn a_folder_that_cannot_hold_the_document_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing");
        let no_chart = |_: &str| None;
        let err = DocumentWriter::new(&missing, ("d.html", "d.md"), Paper::A4, &no_chart)
            .err()
            .unwrap();
        assert_eq!(err.path(), missing.join("d.html"));
    }
}
