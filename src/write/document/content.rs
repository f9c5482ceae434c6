//! The round document as structure — chapters, numbered parts, paragraphs,
//! tables and figures — each chapter built once and rendered twice (HTML and
//! Markdown).
//! Every string here is plain text, a team's or op1's: the renderers escape
//! it; nothing in the structure is markup.

/// The whole document.
#[derive(Clone, Debug, Default)]
pub(crate) struct Doc {
    pub(crate) title: String,
    /// Lines under the title: date, the round's size, reading time.
    pub(crate) meta: Vec<String>,
    pub(crate) chapters: Vec<Chapter>,
}

/// What comes before the chapters: the title, the lines under it and the
/// contents (written last, when every chapter is known: [`super::stream`]).
#[derive(Clone, Debug, Default)]
pub(crate) struct Head {
    pub(crate) title: String,
    /// Date, the round's size, reading time.
    pub(crate) meta: Vec<String>,
    pub(crate) contents: Vec<Entry>,
}

/// A chapter in the contents.
#[derive(Clone, Debug)]
pub(crate) struct Entry {
    pub(crate) number: String,
    pub(crate) title: String,
}

impl Entry {
    /// The chapter's anchor: `ch-2`.
    pub(crate) fn id(&self) -> String {
        format!("ch-{}", self.number)
    }
}

/// A numbered chapter: the round on one page, a team, an appendix.
#[derive(Clone, Debug, Default)]
pub(crate) struct Chapter {
    /// `1`, `2`, … or `A`, `B` for the appendix.
    pub(crate) number: String,
    pub(crate) title: String,
    /// Blocks before the first part (a note such as "no narrative").
    pub(crate) intro: Vec<Block>,
    pub(crate) parts: Vec<Part>,
}

impl Chapter {
    pub(crate) fn new(number: impl Into<String>, title: impl Into<String>) -> Chapter {
        Chapter {
            number: number.into(),
            title: title.into(),
            ..Chapter::default()
        }
    }

    /// Adds a part numbered after the last (`2.1`, `2.2`, …), unless it is empty.
    pub(crate) fn part(&mut self, title: impl Into<String>, blocks: Vec<Block>) {
        if blocks.is_empty() {
            return;
        }
        let number = format!("{}.{}", self.number, self.parts.len() + 1);
        self.parts.push(Part {
            number,
            title: title.into(),
            blocks,
        });
    }

    /// The anchor readers and links point at: `ch-2`.
    pub(crate) fn id(&self) -> String {
        self.entry().id()
    }

    /// The chapter as the contents list it.
    pub(crate) fn entry(&self) -> Entry {
        Entry {
            number: self.number.clone(),
            title: self.title.clone(),
        }
    }

    /// The words a reader reads in the chapter.
    pub(crate) fn words(&self) -> usize {
        self.intro
            .iter()
            .chain(self.parts.iter().flat_map(|p| &p.blocks))
            .map(Block::words)
            .sum()
    }
}

/// A numbered part of a chapter (`4.2 Last year`).
#[derive(Clone, Debug)]
pub(crate) struct Part {
    pub(crate) number: String,
    pub(crate) title: String,
    pub(crate) blocks: Vec<Block>,
}

/// One block of a part.
#[derive(Clone, Debug)]
pub(crate) enum Block {
    /// A paragraph, numbered within its part (`4.2.3`); `source` is the cell
    /// a team's paragraph was read from.
    Para {
        text: String,
        source: Option<String>,
    },
    /// op1's own remark, not numbered (e.g. that a narrative is missing).
    Note(String),
    /// A numbered list (assumptions).
    List(Vec<String>),
    Table(Table),
    /// A chart: its file under the output folder and its caption.
    Figure {
        file: String,
        caption: String,
    },
}

impl Block {
    pub(crate) fn para(text: impl Into<String>) -> Block {
        Block::Para {
            text: text.into(),
            source: None,
        }
    }

    /// The words a reader reads in the block.
    pub(crate) fn words(&self) -> usize {
        let count = |s: &str| s.split_whitespace().count();
        match self {
            Block::Para { text, .. } | Block::Note(text) => count(text),
            Block::List(items) => items.iter().map(|i| count(i)).sum(),
            Block::Table(t) => t
                .rows
                .iter()
                .flatten()
                .chain(&t.header)
                .map(|c| count(c))
                .sum(),
            Block::Figure { caption, .. } => count(caption),
        }
    }
}

/// A table of text cells; `numeric` columns are right-aligned.
#[derive(Clone, Debug, Default)]
pub(crate) struct Table {
    pub(crate) header: Vec<String>,
    pub(crate) numeric: Vec<bool>,
    pub(crate) rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column headers; a header ending in `#` marks a
    /// numeric column (the `#` is dropped).
    pub(crate) fn new(columns: &[&str]) -> Table {
        Table {
            header: columns
                .iter()
                .map(|c| c.trim_end_matches('#').to_string())
                .collect(),
            numeric: columns.iter().map(|c| c.ends_with('#')).collect(),
            rows: Vec::new(),
        }
    }

    pub(crate) fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// The table as a block, or nothing when it has no rows.
    pub(crate) fn block(self) -> Option<Block> {
        (!self.rows.is_empty()).then_some(Block::Table(self))
    }
}
