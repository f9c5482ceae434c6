//! How every sheet of the pack prints: landscape, one page wide, the table's
//! header row repeated on each page, and a header and footer with the
//! round's title, the sheet's name and the page number.

use super::table::HEADER_ROW;
use super::Pack;
use crate::settings::Paper;
use rust_xlsxwriter::{Worksheet, XlsxError};

impl Pack<'_, '_> {
    /// Sets up `ws` (named `name`) for printing.
    pub(super) fn page_setup(&self, ws: &mut Worksheet, name: &str) -> Result<(), XlsxError> {
        let settings = self.shared.input.settings;
        ws.set_landscape();
        ws.set_paper_size(match settings.document.paper {
            Paper::A4 => 9,
            Paper::Letter => 1,
        });
        // One page wide, as many tall as the rows need.
        ws.set_print_fit_to_pages(1, 0);
        ws.set_repeat_rows(HEADER_ROW, HEADER_ROW)?;
        ws.set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3);
        let title = settings.round_title();
        ws.set_header(format!("&L{}&R{}", literal(&title), literal(name)));
        ws.set_footer("&CPage &P of &N");
        Ok(())
    }
}

/// Text as a header or footer prints it: `&` starts a code there, so it is doubled.
fn literal(text: &str) -> String {
    text.replace('&', "&&")
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_ampersand_in_the_title_is_text() {
        assert_eq!(super::literal("P&L review"), "P&&L review");
    }
}
