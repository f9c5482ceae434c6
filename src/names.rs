//! How names are matched: sheet and column headers, labels, metrics, teams
//! and resources all compare by one normal form, and every did-you-mean
//! finds the closest name the same way.

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

/// How alike two normalised names must be (Jaro-Winkler) to suggest one
/// for the other.
const ALIKE: f64 = 0.85;

/// The candidate `name` was most likely meant to be, if one is close:
/// compared in normal form, by Jaro-Winkler similarity (which favours a
/// shared beginning, as abbreviations have: `LY Tgt` → `LY Target`), or one
/// name containing the other (`Growth Team` → `Growth`).
pub(crate) fn closest<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let key = normalise(name);
    if key.is_empty() {
        return None;
    }
    candidates
        .into_iter()
        .filter_map(|c| {
            let other = normalise(c);
            if other.is_empty() || other == key {
                return None;
            }
            let contains = other.contains(&key) || key.contains(&other);
            let score = strsim::jaro_winkler(&key, &other).max(if contains { 0.9 } else { 0.0 });
            (score >= ALIKE).then_some((score, c))
        })
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn did_you_mean() {
        let columns = ["LY Target", "LY Actual", "Baseline", "Flat", "Investment"];
        assert_eq!(closest("LY Tgt", columns), Some("LY Target"));
        assert_eq!(closest("Invest.", columns), Some("Investment"));
        assert_eq!(closest("Comments", columns), None);
        assert_eq!(
            closest("Growth Team", ["Growth", "Payments"]),
            Some("Growth")
        );
        assert_eq!(closest("Payments", ["Growth"]), None);
    }

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
