//! Parsing what people type into cells: fiscal years, owner lists (numbers
//! are [`crate::number`]'s).

/// A fiscal year from a number or text: `2027`, `FY2027`, `FY27`, `FY 2027`.
pub(crate) fn parse_fiscal_year(text: &str) -> Option<i64> {
    let t = text.trim().to_ascii_uppercase();
    let t = t.strip_prefix("FY").unwrap_or(&t).trim();
    let t = t.strip_prefix('\'').unwrap_or(t);
    let year: i64 = t.parse().ok()?;
    match year {
        0..=99 => Some(2000 + year),
        1900..=2200 => Some(year),
        _ => None,
    }
}

/// Splits a shared goal's owners: `Payments + Risk`, `A & B`, `A, B`, `A / B`.
pub(crate) fn split_owners(text: &str) -> Vec<String> {
    text.split(['+', '&', ',', '/', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fiscal_years() {
        for (text, want) in [
            ("2027", Some(2027)),
            ("FY2027", Some(2027)),
            ("FY27", Some(2027)),
            ("fy 2027", Some(2027)),
            ("FY'27", Some(2027)),
            ("next year", None),
            ("12345", None),
        ] {
            assert_eq!(parse_fiscal_year(text), want, "{text:?}");
        }
    }

    #[test]
    fn owners() {
        assert_eq!(split_owners("Payments + Risk"), ["Payments", "Risk"]);
        assert_eq!(split_owners("A & B"), ["A", "B"]);
        assert_eq!(split_owners("A, B"), ["A", "B"]);
        assert_eq!(split_owners("A/B"), ["A", "B"]);
        assert_eq!(split_owners("Solo"), ["Solo"]);
    }
}
