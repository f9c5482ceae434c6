//! `[document]`: the round document's title, date, page budget and paper.

use serde::Deserialize;

/// `[document]`: the round document (`document.html`, `document.md`).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentSettings {
    /// The document's title; default "OP1 FY<year>" (or "OP1").
    pub title: Option<String>,
    /// The date the document carries, as written (default: the day of the run).
    pub date: Option<String>,
    /// A team's narrative page budget.
    #[serde(default = "default_pages")]
    pub pages: u32,
    /// How pages are estimated from words.
    #[serde(default = "default_words_per_page")]
    pub words_per_page: u32,
    /// The paper the document prints on.
    #[serde(default)]
    pub paper: Paper,
}

impl Default for DocumentSettings {
    fn default() -> Self {
        DocumentSettings {
            title: None,
            date: None,
            pages: default_pages(),
            words_per_page: default_words_per_page(),
            paper: Paper::default(),
        }
    }
}

fn default_pages() -> u32 {
    6
}
fn default_words_per_page() -> u32 {
    500
}

/// Paper sizes the document prints on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
pub enum Paper {
    #[default]
    #[serde(alias = "a4")]
    A4,
    #[serde(alias = "letter", alias = "LETTER")]
    Letter,
}

impl Paper {
    /// The CSS `@page` size.
    pub fn css(self) -> &'static str {
        match self {
            Paper::A4 => "A4",
            Paper::Letter => "letter",
        }
    }
}
