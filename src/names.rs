//! How names are matched: sheet and column headers, labels, metrics, teams
//! and resources all compare by one normal form.

/// A header or label reduced to what matters for matching: lower case, with
/// spaces, underscores, hyphens, dots and a trailing colon removed.
/// `" LY_Actual: "` and `"ly actual"` both become `"lyactual"`.
pub(crate) fn normalise(name: &str) -> String {
    let trimmed = name.trim().trim_end_matches(':');
    trimmed
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-' | '.' | '\u{a0}' | '\t' | '\n' | '\r'))
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_normalisation() {
        for (raw, want) in [
            ("LY Actual", "lyactual"),
            (" ly_actual ", "lyactual"),
            ("LY-Actual:", "lyactual"),
            ("Fiscal Year:", "fiscalyear"),
            ("Needed by", "neededby"),
            ("P.Y.", "py"),
            ("  Flat\u{a0}", "flat"),
        ] {
            assert_eq!(normalise(raw), want, "{raw:?}");
        }
    }
}
