//! `document.html`: one self-contained page — inline CSS (screen and print:
//! A4 or Letter, each chapter on a new page, tables and figures kept whole,
//! page numbers), the charts as inline SVG, a Content-Security-Policy that
//! allows no script and no fetch. Every string of the content is escaped.

use super::content::{Block, Chapter, Head, Table};
use crate::settings::Paper;
use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};
use std::fmt::Write;

/// The page up to its first chapter: the head (inline CSS for `paper`), the
/// cover with the title and the lines under it, and the contents.
pub(crate) fn head(doc: &Head, paper: Paper) -> String {
    let mut out = String::with_capacity(16 * 1024);
    let title = text(&doc.title);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n\
         <meta name=\"generator\" content=\"op1 {}\">\n<title>{title}</title>\n<style>\n{}</style>\n</head>\n<body>\n",
        env!("CARGO_PKG_VERSION"),
        css(&doc.title, paper)
    );
    let _ = write!(out, "<header class=\"cover\">\n<h1>{title}</h1>\n");
    for line in &doc.meta {
        let _ = writeln!(out, "<p class=\"meta\">{}</p>", text(line));
    }
    out.push_str("</header>\n");
    out.push_str("<nav class=\"toc\">\n<h2>Contents</h2>\n<ol>\n");
    for entry in &doc.contents {
        let _ = writeln!(
            out,
            "<li><a href=\"#{}\"><span class=\"num\">{}</span> {}</a></li>",
            attr(&entry.id()),
            text(&entry.number),
            text(&entry.title)
        );
    }
    out.push_str("</ol>\n</nav>\n");
    out
}

/// What ends the page, after the last chapter.
pub(crate) const END: &str = "</body>\n</html>\n";

/// A chapter, appended to `out`, with the chart files read by `svg` (a
/// chart that cannot be read is named, not drawn).
pub(crate) fn chapter(out: &mut String, ch: &Chapter, svg: &dyn Fn(&str) -> Option<String>) {
    let _ = write!(
        out,
        "<section class=\"chapter\" id=\"{}\">\n<h2><span class=\"num\">{}</span> {}</h2>\n",
        attr(&ch.id()),
        text(&ch.number),
        text(&ch.title)
    );
    for b in &ch.intro {
        block(out, b, None, svg);
    }
    for part in &ch.parts {
        let _ = write!(
            out,
            "<section class=\"part\" id=\"p-{}\">\n<h3><span class=\"num\">{}</span> {}</h3>\n",
            attr(&part.number),
            text(&part.number),
            text(&part.title)
        );
        let mut para = 0;
        for b in &part.blocks {
            let number = matches!(b, Block::Para { .. }).then(|| {
                para += 1;
                format!("{}.{para}", part.number)
            });
            block(out, b, number.as_deref(), svg);
        }
        out.push_str("</section>\n");
    }
    out.push_str("</section>\n");
}

fn block(out: &mut String, b: &Block, number: Option<&str>, svg: &dyn Fn(&str) -> Option<String>) {
    match b {
        Block::Para { text: t, source } => {
            let number = number.unwrap_or_default();
            let source = source
                .as_ref()
                .map(|s| format!(" title=\"{}\"", attr(s)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "<p class=\"para\" id=\"{}\"{source}><span class=\"pn\">{}</span> {}</p>",
                attr(&format!("n-{number}")),
                text(number),
                text(t)
            );
        }
        Block::Note(t) => {
            let _ = writeln!(out, "<p class=\"note\">{}</p>", text(t));
        }
        Block::List(items) => {
            out.push_str("<ol class=\"list\">\n");
            for i in items {
                let _ = writeln!(out, "<li>{}</li>", text(i));
            }
            out.push_str("</ol>\n");
        }
        Block::Table(t) => table(out, t),
        Block::Figure { file, caption } => {
            out.push_str("<figure>\n");
            match svg(file) {
                Some(drawing) => out.push_str(strip_prolog(&drawing)),
                None => {
                    let _ = write!(
                        out,
                        "<p class=\"note\">{} could not be read.</p>",
                        text(file)
                    );
                }
            }
            let _ = writeln!(out, "<figcaption>{}</figcaption>\n</figure>", text(caption));
        }
    }
}

fn table(out: &mut String, t: &Table) {
    out.push_str("<table>\n<thead><tr>");
    for (h, numeric) in t.header.iter().zip(&t.numeric) {
        let class = if *numeric { " class=\"n\"" } else { "" };
        let _ = write!(out, "<th{class}>{}</th>", text(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &t.rows {
        out.push_str("<tr>");
        for (c, cell) in row.iter().enumerate() {
            let class = if t.numeric.get(c).copied().unwrap_or(false) {
                " class=\"n\""
            } else {
                ""
            };
            let _ = write!(out, "<td{class}>{}</td>", text(cell));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

/// An SVG file as an element: without its XML declaration.
fn strip_prolog(svg: &str) -> &str {
    let s = svg.trim_start();
    match s.strip_prefix("<?xml") {
        Some(rest) => rest
            .split_once("?>")
            .map_or(s, |(_, body)| body.trim_start()),
        None => s,
    }
}

/// A CSS string literal: quotes, backslashes and anything that could end the
/// style element escaped.
fn css_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' | '\\' | '<' | '>' | '&' => {
                let _ = write!(out, "\\{:x} ", c as u32);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn css(title: &str, paper: Paper) -> String {
    format!(
        r#"@page {{ size: {paper}; margin: 18mm 16mm 20mm;
  @top-left {{ content: {title}; font: 8.5pt system-ui, sans-serif; color: #666; }}
  @bottom-center {{ content: "Page " counter(page) " of " counter(pages); font: 8.5pt system-ui, sans-serif; color: #666; }} }}
:root {{ color: #1e1e1e; background: #fff; }}
body {{ font: 11pt/1.5 Georgia, "DejaVu Serif", "Noto Serif", "Noto Serif CJK JP", serif; max-width: 50em; margin: 2em auto; padding: 0 1em; }}
h1, h2, h3, .meta, .note, table, figcaption, nav {{ font-family: system-ui, "DejaVu Sans", "Noto Sans", "Noto Sans CJK JP", sans-serif; }}
h1 {{ font-size: 2em; margin: 0 0 .3em; }}
h2 {{ font-size: 1.45em; margin: 1.6em 0 .6em; border-bottom: 2px solid #1e1e1e; padding-bottom: .2em; }}
h3 {{ font-size: 1.1em; margin: 1.3em 0 .4em; }}
.num {{ color: #555; font-variant-numeric: tabular-nums; margin-right: .3em; }}
.meta {{ margin: .1em 0; color: #444; }}
.cover {{ margin-bottom: 2em; }}
.toc ol {{ list-style: none; padding-left: 0; columns: 2; }}
.toc a {{ color: inherit; text-decoration: none; }}
.para {{ margin: .45em 0; }}
.pn {{ font: 8pt system-ui, sans-serif; color: #888; margin-right: .4em; font-variant-numeric: tabular-nums; }}
.note {{ color: #555; font-style: italic; }}
table {{ border-collapse: collapse; width: 100%; margin: .6em 0 1em; font-size: 9pt; }}
th, td {{ text-align: left; vertical-align: top; padding: .25em .5em; border-bottom: 1px solid #ddd; overflow-wrap: break-word; hyphens: auto; }}
th {{ border-bottom: 1.5px solid #1e1e1e; }}
.n {{ text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }}
figure {{ margin: 1em 0; }}
figure svg {{ width: 100%; height: auto; display: block; }}
figcaption {{ font-size: 9pt; color: #555; }}
@media print {{
  body {{ max-width: none; margin: 0; padding: 0; font-size: 10pt; }}
  .chapter {{ break-before: page; }}
  table, figure, .para, li {{ break-inside: avoid; }}
  /* A long table breaks between rows, never inside one. */
  tr {{ break-inside: avoid; }}
  thead {{ display: table-header-group; }}
  h2, h3 {{ break-after: avoid; }}
  .toc a::after {{ content: ""; }}
}}
"#,
        paper = paper.css(),
        title = css_string(title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_cannot_end_the_style_element() {
        let s = css_string("</style><script>x</script>\"");
        assert!(!s.contains('<') && !s[1..s.len() - 1].contains('"'), "{s}");
    }

    #[test]
    fn the_xml_prolog_is_dropped() {
        assert_eq!(strip_prolog("<?xml version=\"1.0\"?>\n<svg/>"), "<svg/>");
        assert_eq!(strip_prolog("<svg/>"), "<svg/>");
    }
}
