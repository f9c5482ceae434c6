//! Units and amounts: money, ratios and other units told apart, currency
//! symbols recognised, org paths tidied, amounts written with thousands
//! separators.

use crate::plan::{UnitKind, Val};

/// The ISO code a unit typed as a currency's sign or name most likely means
/// (`$` → USD, `Euros` → EUR), for the message: such a unit
/// would otherwise be read as a count and never converted.
pub(super) fn currency_symbol(unit: &str) -> Option<&'static str> {
    match unit.trim() {
        "$" | "US$" => Some("USD"),
        "€" => Some("EUR"),
        "£" => Some("GBP"),
        "¥" => Some("JPY"),
        "₹" => Some("INR"),
        // Only a currency's name: a unit one letter from a code (`NPS`,
        // `HRS`) is a count, not a typo.
        typed if crate::currency::is_currency_name(typed) => crate::currency::nearest_code(typed),
        _ => None,
    }
}

/// Tells money (`USD`), ratios (`%`) and other units apart.
pub(crate) fn classify_unit(unit: Val<String>) -> (Val<String>, UnitKind) {
    let trimmed = unit.value.trim();
    let upper = trimmed.to_ascii_uppercase();
    if crate::currency::is_iso_code(&upper) {
        return (
            Val {
                value: upper,
                pos: unit.pos,
            },
            UnitKind::Money,
        );
    }
    if matches!(
        trimmed.to_ascii_lowercase().as_str(),
        "%" | "pct" | "percent" | "percentage" | "ratio"
    ) {
        return (
            Val {
                value: "%".to_string(),
                pos: unit.pos,
            },
            UnitKind::Ratio,
        );
    }
    (
        Val {
            value: trimmed.to_string(),
            pos: unit.pos,
        },
        UnitKind::Other,
    )
}

/// An org path without stray spaces around its slashes: `Consumer / Payments` → `Consumer/Payments`.
pub(crate) fn normalise_org(org: &str) -> String {
    org.split('/')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Pos, SheetKind};

    #[test]
    fn units() {
        let pos = Pos {
            sheet: SheetKind::Plan,
            row: 0,
            col: 0,
        };
        let kind = |u: &str| {
            classify_unit(Val {
                value: u.to_string(),
                pos,
            })
            .1
        };
        assert_eq!(kind("usd"), UnitKind::Money);
        assert_eq!(kind("EUR"), UnitKind::Money);
        assert_eq!(kind("%"), UnitKind::Ratio);
        assert_eq!(kind("NPS"), UnitKind::Other);
        assert_eq!(kind("customers"), UnitKind::Other);
    }

    #[test]
    fn org_paths() {
        assert_eq!(normalise_org(" Consumer / Payments "), "Consumer/Payments");
        assert_eq!(normalise_org("Platform//Data/"), "Platform/Data");
    }
}
