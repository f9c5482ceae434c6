//! A1 cell references: `(row, col)` ⇄ `F7`, and sheet names as Excel quotes them.

/// The column letters of a zero-based column index: 0 → `A`, 26 → `AA`.
pub fn column_letters(col: u32) -> String {
    let mut n = col as u64 + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        out.push(b'A' + rem);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// The A1 address of a zero-based `(row, col)`: `(6, 5)` → `F7`.
pub fn cell_name(row: u32, col: u32) -> String {
    format!("{}{}", column_letters(col), row as u64 + 1)
}

/// Parses an A1 address (`F7`, `$F$7`, case-insensitive) into zero-based `(row, col)`.
pub fn parse_a1(s: &str) -> Option<(u32, u32)> {
    let s = s.trim().replace('$', "");
    let split = s.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = s.split_at(split);
    if letters.is_empty() || letters.len() > 3 || !letters.chars().all(|c| c.is_ascii_alphabetic())
    {
        return None;
    }
    let mut col: u32 = 0;
    for c in letters.chars() {
        col = col * 26 + (c.to_ascii_uppercase() as u32 - 'A' as u32 + 1);
    }
    let row: u32 = digits.parse().ok()?;
    if row == 0 {
        return None;
    }
    Some((row - 1, col - 1))
}

/// A sheet name as it must appear in a formula or hyperlink: quoted when it
/// holds anything but letters, digits and underscores.
pub fn quote_sheet(name: &str) -> String {
    if !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_') {
        name.to_string()
    } else {
        format!("'{}'", name.replace('\'', "''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_and_cells() {
        for (col, letters) in [
            (0, "A"),
            (25, "Z"),
            (26, "AA"),
            (51, "AZ"),
            (52, "BA"),
            (701, "ZZ"),
            (702, "AAA"),
            (16383, "XFD"),
        ] {
            assert_eq!(column_letters(col), letters);
            assert_eq!(parse_a1(&format!("{letters}1")), Some((0, col)));
        }
        assert_eq!(cell_name(6, 5), "F7");
        assert_eq!(parse_a1("$F$7"), Some((6, 5)));
        assert_eq!(parse_a1("f7"), Some((6, 5)));
        assert_eq!(parse_a1("F0"), None);
        assert_eq!(parse_a1("7"), None);
        assert_eq!(parse_a1("ABCD1"), None);
    }

    #[test]
    fn sheet_quoting() {
        assert_eq!(quote_sheet("Plan"), "Plan");
        assert_eq!(quote_sheet("My Plan"), "'My Plan'");
        assert_eq!(quote_sheet("Bob's"), "'Bob''s'");
    }
}
