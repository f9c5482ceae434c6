//! Units and amounts: money, ratios and other units told apart, currency
//! symbols recognised, org paths tidied, amounts written with thousands
//! separators.

use crate::plan::{UnitKind, Val};

/// The ISO code a bare currency symbol most likely means, for the message.
pub(super) fn currency_symbol(unit: &str) -> Option<&'static str> {
    match unit.trim() {
        "$" | "US$" => Some("USD"),
        "€" => Some("EUR"),
        "£" => Some("GBP"),
        "¥" => Some("JPY"),
        "₹" => Some("INR"),
        _ => None,
    }
}

/// Tells money (`USD`), ratios (`%`) and other units apart.
pub fn classify_unit(unit: Val<String>) -> (Val<String>, UnitKind) {
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
pub fn normalise_org(org: &str) -> String {
    org.split('/')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("/")
}

/// A number with thousands separators, as finance people write it.
pub fn fmt_amount(n: f64) -> String {
    let rounded = (n * 100.0).round() / 100.0;
    let negative = rounded < 0.0;
    let abs = rounded.abs();
    let int = abs.trunc() as u64;
    let frac = ((abs - abs.trunc()) * 100.0).round() as u64;
    let digits = int.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    if frac > 0 {
        out.push_str(&format!(".{frac:02}"));
    }
    if negative {
        format!("-{out}")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Pos, SheetKind};

    #[test]
    fn amounts() {
        assert_eq!(fmt_amount(1_234_567.0), "1,234,567");
        assert_eq!(fmt_amount(-1200.5), "-1,200.50");
        assert_eq!(fmt_amount(0.0), "0");
        assert_eq!(fmt_amount(999.0), "999");
    }

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
