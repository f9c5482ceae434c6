//! ISO-4217 currency codes: which 3-letter units are money.

/// Active ISO-4217 alphabetic codes (plus a few widely used funds codes).
/// A unit such as `NPS` or `HRS` is not a currency and must not be converted.
const ISO_4217: &[&str] = &[
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
    "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD",
    "CDF", "CHF", "CLP", "CNY", "COP", "CRC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD",
    "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ",
    "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK", "JMD", "JOD",
    "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR",
    "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR",
    "MWK", "MXN", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN",
    "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR",
    "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB",
    "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "UYU", "UZS",
    "VES", "VND", "VUV", "WST", "XAF", "XCD", "XCG", "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWG",
];

/// Whether `code` (upper case) is an ISO-4217 currency code.
pub(crate) fn is_iso_code(code: &str) -> bool {
    iso_code(code).is_some()
}

/// `code` (upper case) as a one-code slice of the ISO-4217 list, where it
/// is one: what a number typed `1,200 EUR` can be in.
pub(crate) fn iso_code(code: &str) -> Option<&'static [&'static str]> {
    if code.len() != 3 {
        return None;
    }
    let at = ISO_4217.binary_search(&code).ok()?;
    Some(&ISO_4217[at..=at])
}

/// Currency names people type for a code.
const NAMES: [(&str, &str); 12] = [
    ("DOLLAR", "USD"),
    ("EURO", "EUR"),
    ("FRANC", "CHF"),
    ("POUND", "GBP"),
    ("RENMINBI", "CNY"),
    ("RMB", "CNY"),
    ("RUPEE", "INR"),
    ("STERLING", "GBP"),
    ("US$", "USD"),
    ("YEN", "JPY"),
    ("YUAN", "CNY"),
    ("€", "EUR"),
];

/// Whether `typed` is a currency's name (`Euros`, `dollar`, `yen`).
pub(crate) fn is_currency_name(typed: &str) -> bool {
    let upper = typed.trim().to_uppercase();
    let singular = upper.strip_suffix('S').unwrap_or(&upper);
    NAMES.iter().any(|(n, _)| *n == upper || *n == singular)
}

/// The ISO-4217 code someone typing `typed` most likely meant: a currency's
/// name (`Euros` → EUR), or the code one letter away, swapped letters
/// counting as one (`GPB` → GBP, `EURO` → EUR); `None` when nothing is that
/// close, so a unit such as `customers` suggests nothing.
pub(crate) fn nearest_code(typed: &str) -> Option<&'static str> {
    let upper = typed.trim().to_uppercase();
    if let Some(code) = iso_code(&upper) {
        return Some(code[0]);
    }
    let singular = upper.strip_suffix('S').unwrap_or(&upper);
    if let Some((_, code)) = NAMES.iter().find(|(n, _)| *n == upper || *n == singular) {
        return Some(code);
    }
    if !(2..=4).contains(&upper.chars().count()) {
        return None;
    }
    ISO_4217
        .iter()
        .map(|code| (strsim::damerau_levenshtein(&upper, code), *code))
        .filter(|(distance, _)| *distance == 1)
        // Of equals, the one that keeps the first letter (`EUD` → EUR).
        .min_by_key(|(_, code)| !code.starts_with(upper.chars().next().unwrap_or(' ')))
        .map(|(_, code)| code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_is_sorted_for_binary_search() {
        assert!(ISO_4217.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn codes() {
        for code in ["USD", "EUR", "GBP", "JPY", "CHF"] {
            assert!(is_iso_code(code), "{code}");
        }
        for code in ["NPS", "HRS", "usd", "US", "EURO", ""] {
            assert!(!is_iso_code(code), "{code}");
        }
    }

    #[test]
    fn the_nearest_code_is_the_one_meant() {
        for (typed, meant) in [
            ("GPB", "GBP"),
            ("EURO", "EUR"),
            ("Euros", "EUR"),
            ("dollars", "USD"),
            ("yen", "JPY"),
            ("usd ", "USD"),
            ("UDS", "USD"),
            ("CHFF", "CHF"),
        ] {
            assert_eq!(nearest_code(typed), Some(meant), "{typed}");
        }
        for typed in ["customers", "tickets", "", "%"] {
            assert_eq!(nearest_code(typed), None, "{typed}");
        }
    }
}
