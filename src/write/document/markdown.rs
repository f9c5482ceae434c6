//! `document.md`: the round document as CommonMark with pipe tables (GitHub
//! and most wikis), charts linked from `charts/`. Every string of the
//! content is escaped, so a team's `**`, `[link](…)`, `<script>` or `|`
//! prints as typed.

use super::content::{Block, Chapter, Head, Table};
use std::fmt::Write;

/// The document up to its first chapter: the title, the lines under it and
/// the contents.
pub(crate) fn head(doc: &Head) -> String {
    let mut out = String::with_capacity(16 * 1024);
    let _ = writeln!(out, "# {}\n", escape(&doc.title));
    for line in &doc.meta {
        let _ = writeln!(out, "{}  ", escape(line));
    }
    out.push_str("\n## Contents\n\n");
    for entry in &doc.contents {
        // Numbers are op1's own (`2`, `4.2`, `A`): printed as they are.
        let _ = writeln!(out, "- {} {}", entry.number, escape(&entry.title));
    }
    out
}

/// A chapter, appended to `out`.
pub(crate) fn chapter(out: &mut String, ch: &Chapter) {
    let _ = writeln!(out, "\n## {} {}\n", ch.number, escape(&ch.title));
    for b in &ch.intro {
        block(out, b, None);
    }
    for part in &ch.parts {
        let _ = writeln!(out, "### {} {}\n", part.number, escape(&part.title));
        let mut para = 0;
        for b in &part.blocks {
            let number = matches!(b, Block::Para { .. }).then(|| {
                para += 1;
                format!("{}.{para}", part.number)
            });
            block(out, b, number.as_deref());
        }
    }
}

fn block(out: &mut String, b: &Block, number: Option<&str>) {
    match b {
        Block::Para { text, .. } => {
            let _ = writeln!(out, "**{}** {}\n", number.unwrap_or_default(), escape(text));
        }
        Block::Note(text) => {
            let _ = writeln!(out, "*{}*\n", escape(text));
        }
        Block::List(items) => {
            for (i, item) in items.iter().enumerate() {
                let _ = writeln!(out, "{}. {}", i + 1, escape(item));
            }
            out.push('\n');
        }
        Block::Table(t) => table(out, t),
        Block::Figure { file, caption } => {
            // The file name is op1's own (a chart slug), safe in a link.
            let _ = writeln!(out, "![{}]({file})\n", escape(caption));
        }
    }
}

fn table(out: &mut String, t: &Table) {
    let row = |cells: &[String]| {
        let cells: Vec<String> = cells.iter().map(|c| escape(c)).collect();
        format!("| {} |\n", cells.join(" | "))
    };
    out.push_str(&row(&t.header));
    let rule: Vec<&str> = t
        .numeric
        .iter()
        .map(|n| if *n { "--:" } else { "---" })
        .collect();
    let _ = writeln!(out, "| {} |", rule.join(" | "));
    for r in &t.rows {
        out.push_str(&row(r));
    }
    out.push('\n');
}

/// Text as Markdown prints it literally: every character CommonMark reads
/// as inline markup is backslash-escaped (`<` and `&` too: raw HTML and
/// entities), a leading character that could open a block (`-`, `+`, `=`,
/// `1.`) is escaped, autolinks are broken (`https\\://`, `www\\.`, `\\@`), and
/// line breaks become spaces (a paragraph stays one line).
pub(super) fn escape(s: &str) -> String {
    let s = s.trim_start();
    let mut out = String::with_capacity(s.len() + 8);
    // A leading run of digits then `.` or `)` would open an ordered list.
    let digits = s.chars().take_while(char::is_ascii_digit).count();
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let opens_block = (i == 0 && matches!(c, '-' | '+' | '='))
            || (i == digits && digits > 0 && matches!(c, '.' | ')'));
        match c {
            // A code host's autolinks (`https://…`, `www.…`, `a@b.co`) would
            // make team text a live link: the `:` of `://`, the `.` after
            // `www` and every `@` are escaped, which renders the same text.
            ':' if chars[i + 1..].starts_with(&['/', '/']) => out.push_str("\\:"),
            '.' if i >= 3
                && chars[i - 3..i].iter().all(|w| w.eq_ignore_ascii_case(&'w'))
                && (i == 3 || !chars[i - 4].is_alphanumeric()) =>
            {
                out.push_str("\\.");
            }
            '@' => out.push_str("\\@"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '&' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if opens_block => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_team_text_is_escaped() {
        let e = escape("**bold** [a](http://x) <script>alert(1)</script> | a | &amp;");
        // Every markup character is preceded by a backslash.
        let chars: Vec<char> = e.chars().collect();
        for (i, c) in chars.iter().enumerate() {
            if matches!(c, '*' | '[' | ']' | '<' | '>' | '|' | '&') {
                assert!(i > 0 && chars[i - 1] == '\\', "{c} unescaped at {i} in {e}");
            }
        }
        assert_eq!(escape("two\nlines"), "two lines");
        assert_eq!(escape("1. first"), "1\\. first");
        assert_eq!(escape("- item"), "\\- item");
        assert_eq!(escape("a - b. c"), "a - b. c");
        // No autolink survives: the URL, the www. and the e-mail stay text.
        assert_eq!(
            escape("see https://evil.example, WWW.evil.example or a@b.co"),
            "see https\\://evil.example, WWW\\.evil.example or a\\@b.co"
        );
        assert_eq!(escape("flowww.x"), "flowww.x");
    }
}
