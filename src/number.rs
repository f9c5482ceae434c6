//! Numbers as finance people type them: `1,200`, `(300)`, `12%`, `€3.5`,
//! `3M` — in cells, on the command line and in the settings alike.

/// Reads number-like text the way a finance user means it:
/// `1,200` · `1 200` · `$1,200` · `€ 3.5` · `(300)` = -300 · `12%` = 0.12 ·
/// `-4.5` · `+7` · `1.2e3`. Thousands separators must group by three, so an
/// ambiguous `1,5` is refused rather than guessed.
pub fn parse_number(text: &str) -> Option<f64> {
    read_number(text).map(|(value, _)| value)
}

/// Whether number-like text has one separator, `.` or `,`, followed by
/// exactly three digits and led by a number other than 0: `1.200` is 1.2 in
/// one country and 1,200 in another (a `,` beside `$`, `£`, `¥` or `₹` is
/// taken as those countries write it). [`parse_number`] reads `.` as the
/// decimal point and `,` as the thousands separator.
///
/// # Examples
/// ```
/// assert!(op1::number::is_ambiguous("1.200"));
/// assert!(op1::number::is_ambiguous("€ 12,500"));
/// assert!(!op1::number::is_ambiguous("1,200,000"));
/// assert!(!op1::number::is_ambiguous("$930,000"));
/// assert!(op1::number::is_ambiguous("$1.200"));
/// assert!(!op1::number::is_ambiguous("0.125"));
/// assert!(!op1::number::is_ambiguous("1200"));
/// ```
pub fn is_ambiguous(text: &str) -> bool {
    let kept: String = text
        .chars()
        .filter(|c| c.is_ascii_digit() || matches!(c, '.' | ','))
        .collect();
    let Some((before, after)) = kept.split_once(['.', ',']) else {
        return false;
    };
    // A `,` beside a sign of the countries that group thousands with `,`
    // ($, £, ¥, ₹) is a thousands separator: `$930,000`.
    if kept.contains(',') && text.contains(['$', '£', '¥', '₹']) {
        return false;
    }
    (1..=3).contains(&before.len())
        && before != "0"
        && after.len() == 3
        && after.chars().all(|c| c.is_ascii_digit())
}

/// The currencies a number typed with a currency mark can be in: `¥1,000`
/// is in JPY or CNY, `$5` in one of the dollars (or pesos), `1,200 EUR` in
/// EUR; `None` for a plain number or text that is not a number.
pub fn currencies_typed(text: &str) -> Option<&'static [&'static str]> {
    read_number(text)?.1
}

/// A number and the currencies its mark can mean.
fn read_number(text: &str) -> Option<(f64, Option<&'static [&'static str]>)> {
    let mut s: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, '\u{a0}' | '\u{202f}' | '\u{2009}'))
        .collect();
    if s.is_empty() {
        return None;
    }
    let mut negative = false;
    if s.starts_with('(') && s.ends_with(')') {
        negative = true;
        s = s[1..s.len() - 1].trim().to_string();
        // `(−300)`: brackets and a minus both; which one meant what is a
        // guess, and a guess would flip the sign.
        if s.contains(['-', '\u{2212}']) {
            return None;
        }
    }
    let mut percent = false;
    if let Some(rest) = s.strip_suffix('%') {
        percent = true;
        s = rest.trim_end().to_string();
    }
    if let Some(rest) = s.strip_prefix(['-', '\u{2212}']) {
        negative = !negative;
        s = rest.trim_start().to_string();
    } else if let Some(rest) = s.strip_prefix('+') {
        s = rest.trim_start().to_string();
    }
    let (rest, currencies) = strip_currency(&s);
    s = rest;
    if let Some(rest) = s.strip_prefix('-') {
        negative = !negative;
        s = rest.to_string();
    } else if let Some(rest) = s.strip_suffix('-') {
        // `300-`, a trailing minus as some ledgers print it.
        negative = !negative;
        s = rest.to_string();
    }
    let digits = remove_group_separators(s.trim())?;
    if digits.is_empty() || !digits.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        return None;
    }
    let mut value: f64 = digits.parse().ok()?;
    if !value.is_finite() {
        return None;
    }
    if negative {
        value = -value;
    }
    if percent {
        value /= 100.0;
    }
    Some((value, currencies))
}

/// The currencies written with `$`: the dollars, and the pesos and reals
/// that share the sign.
const DOLLAR_SIGN: &[&str] = &[
    "ARS", "AUD", "BBD", "BMD", "BND", "BRL", "BSD", "BZD", "CAD", "CLP", "COP", "CUP", "DOP",
    "FJD", "GYD", "HKD", "JMD", "KYD", "LRD", "MXN", "NAD", "NZD", "SBD", "SGD", "SRD", "TTD",
    "TWD", "USD", "UYU", "XCD",
];

/// The currency signs op1 reads around a number, each with the ISO codes
/// it can stand for (longest sign first: `US$` before `$`).
const SIGNS: [(&str, &[&str]); 8] = [
    ("US$", &["USD"]),
    ("$", DOLLAR_SIGN),
    ("€", &["EUR"]),
    ("£", &["EGP", "FKP", "GBP", "GIP", "LBP", "SHP", "SYP"]),
    ("¥", &["CNY", "JPY"]),
    ("₹", &["INR"]),
    ("CHF", &["CHF"]),
    ("kr", &["DKK", "ISK", "NOK", "SEK"]),
];

fn strip_currency(s: &str) -> (String, Option<&'static [&'static str]>) {
    let out = s.trim();
    for (sign, means) in SIGNS {
        if let Some(rest) = out.strip_prefix(sign).or_else(|| out.strip_suffix(sign)) {
            return (rest.trim().to_string(), Some(means));
        }
    }
    // An ISO code before or after the number: `USD 1,200`, `1,200 EUR`.
    if let Some((head, tail)) = out.split_once(' ') {
        if let Some(code) = crate::currency::iso_code(head) {
            return (tail.trim().to_string(), Some(code));
        }
        if let Some((num, code)) = out.rsplit_once(' ') {
            if let Some(code) = crate::currency::iso_code(code) {
                return (num.trim().to_string(), Some(code));
            }
        }
    }
    (out.to_string(), None)
}

/// Removes `,` and space thousands separators, checking that they group
/// digits by three before the decimal point.
fn remove_group_separators(s: &str) -> Option<String> {
    let (int_part, frac_part) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    let separators = [',', ' ', '\''];
    if int_part.contains(separators) {
        let groups: Vec<&str> = int_part.split(separators).collect();
        let first_ok = !groups[0].is_empty() && groups[0].len() <= 3;
        let rest_ok = groups[1..]
            .iter()
            .all(|g| g.len() == 3 && g.chars().all(|c| c.is_ascii_digit()));
        if !first_ok || !rest_ok {
            return None;
        }
    }
    let mut out: String = int_part
        .chars()
        .filter(|c| !separators.contains(c))
        .collect();
    if let Some(f) = frac_part {
        if f.contains(separators) {
            return None;
        }
        out.push('.');
        out.push_str(f);
    }
    if out
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+'))
    {
        Some(out)
    } else {
        None
    }
}

/// An amount as finance writes it on a command line: anything
/// [`parse_number`] reads, digits grouped with `_` (`3_000_000`, as TOML
/// writes them), and a scale suffix `k`, `m` or `bn` (`3M`, `1.5bn`, `250k`).
pub fn parse_amount(text: &str) -> Option<f64> {
    let text = text.trim();
    let lower = text.to_ascii_lowercase();
    let (digits, scale) = [("bn", 1e9), ("b", 1e9), ("m", 1e6), ("k", 1e3)]
        .into_iter()
        .find_map(|(suffix, scale)| Some((lower.strip_suffix(suffix)?, scale)))
        .unwrap_or((lower.as_str(), 1.0));
    let grouped = digits.trim().replace('_', ",");
    let value = parse_number(&grouped)? * scale;
    value.is_finite().then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_on_the_command_line() {
        for (text, want) in [
            ("3000000", Some(3_000_000.0)),
            ("3,000,000", Some(3_000_000.0)),
            ("3_000_000", Some(3_000_000.0)),
            ("3M", Some(3_000_000.0)),
            ("1.5bn", Some(1_500_000_000.0)),
            ("250k", Some(250_000.0)),
            ("$2m", Some(2_000_000.0)),
            ("3_00_000", None),
            ("lots", None),
        ] {
            assert_eq!(parse_amount(text), want, "{text}");
        }
    }

    #[test]
    fn numbers_finance_users_type() {
        let cases: &[(&str, Option<f64>)] = &[
            ("1200", Some(1200.0)),
            ("1,200", Some(1200.0)),
            ("1 200", Some(1200.0)),
            ("1\u{a0}200", Some(1200.0)),
            ("$1,200", Some(1200.0)),
            ("$ 1,200.50", Some(1200.5)),
            ("€3.5", Some(3.5)),
            ("1,200 EUR", Some(1200.0)),
            ("USD 1,200", Some(1200.0)),
            ("(300)", Some(-300.0)),
            ("(−300)", None),
            ("(-300)", None),
            ("($1,250)", Some(-1250.0)),
            ("12%", Some(0.12)),
            ("-12.5%", Some(-0.125)),
            ("-4.5", Some(-4.5)),
            ("+7", Some(7.0)),
            ("−3", Some(-3.0)),
            ("-$300", Some(-300.0)),
            ("300-", Some(-300.0)),
            ("1.2e3", Some(1200.0)),
            ("1,234,567.89", Some(1_234_567.89)),
            (".5", Some(0.5)),
            ("0", Some(0.0)),
            ("TBD", None),
            ("n/a", None),
            ("#DIV/0!", None),
            ("", None),
            ("   ", None),
            ("1,5", None),
            ("12,34,567", None),
            ("1.2.3", None),
            ("$", None),
            ("()", None),
            ("%", None),
            ("12 apples", None),
            ("2027-03-31", None),
            ("inf", None),
            ("NaN", None),
        ];
        for (text, want) in cases {
            let got = parse_number(text);
            match (got, want) {
                (Some(g), Some(w)) => assert!((g - w).abs() < 1e-9, "{text:?}: got {g}, want {w}"),
                (g, w) => assert_eq!(g, *w, "{text:?}"),
            }
        }
    }
}
