//! How op1 writes numbers and names for a person to read, in messages,
//! reports and charts: plurals, quoted lists, clipped text, amounts.

/// Whether a spreadsheet would run `s` as a formula: it starts with `=`,
/// `+`, `-`, `@`, a tab or a carriage return.
pub(crate) fn runs_as_formula(s: &str) -> bool {
    s.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// A copy of text that a spreadsheet shows as text: `'` before what would
/// run as a formula (op1's CSVs, so a team's text never runs when opened).
pub(crate) fn formula_safe(s: &str) -> std::borrow::Cow<'_, str> {
    // A text that already starts with `'` before a formula is guarded once
    // more, so that reading back ([`formula_unsafe`]) is exact.
    if runs_as_formula(s.trim_start_matches('\'')) && !s.is_empty() {
        std::borrow::Cow::Owned(format!("'{s}"))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// The text [`formula_safe`] guarded, as it was (reading op1's CSVs back).
pub(crate) fn formula_unsafe(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if runs_as_formula(rest.trim_start_matches('\'')) => rest,
        _ => s,
    }
}

/// `1 error`, `2 errors`.
pub(crate) fn plural(n: usize, word: &str) -> String {
    format!("{n} {}", plural_word(n, word))
}

/// A name's possessive: `Payments'`, `Stores'`, `Data's`.
pub(crate) fn possessive(name: &str) -> String {
    if name.ends_with(['s', 'S']) {
        format!("{name}'")
    } else {
        format!("{name}'s")
    }
}

/// `error`, `errors`: the word alone, for a count written another way
/// (the charts group its thousands).
pub(crate) fn plural_word(n: usize, word: &str) -> String {
    if n == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}

/// `0 errors, 1 warning, 3 info`: a tally of findings ("info" takes no plural).
pub(crate) fn tally(errors: usize, warnings: usize, infos: usize) -> String {
    format!(
        "{}, {}, {infos} info",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

/// `"a", "b", "c"`: names as a message quotes them.
pub(crate) fn quoted<S: AsRef<str>>(names: &[S]) -> String {
    names
        .iter()
        .map(|n| format!("\"{}\"", n.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A team's text shortened for a one-line message.
pub(crate) fn clip(s: &str) -> String {
    truncate(s, 60)
}

/// At most `max` characters of `s`, with an ellipsis when cut.
pub(crate) fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let cut: String = s.chars().take(max).collect();
        format!("{cut}…")
    }
}

/// Excel's limit for the text of one cell, in UTF-16 code units (not
/// characters: an emoji counts two).
pub(crate) const EXCEL_CELL_UNITS: usize = 32_767;

/// `s` cut to fit one Excel cell — at most [`EXCEL_CELL_UNITS`] UTF-16 units,
/// the ellipsis that marks the cut included — or `None` when it fits whole.
pub(crate) fn cut_for_excel(s: &str) -> Option<String> {
    cut_to_units(s, EXCEL_CELL_UNITS)
}

/// `s` cut to at most `max` UTF-16 units, the ellipsis included, or `None`
/// when it fits whole.
fn cut_to_units(s: &str, max: usize) -> Option<String> {
    // A UTF-8 byte count is never below the UTF-16 unit count.
    if s.len() <= max || s.encode_utf16().count() <= max {
        return None;
    }
    let (mut units, mut end) = (0, 0);
    for (i, c) in s.char_indices() {
        if units + c.len_utf16() > max - 1 {
            break;
        }
        units += c.len_utf16();
        end = i + c.len_utf8();
    }
    Some(format!("{}…", &s[..end]))
}

/// `s` whole when it has at most `max` UTF-16 units, else cut to them.
pub(crate) fn truncate_units(s: &str, max: usize) -> String {
    cut_to_units(s, max).unwrap_or_else(|| s.to_string())
}

/// `s` as one Excel cell can hold it: whole, or cut by [`cut_for_excel`].
pub(crate) fn fit_for_excel(s: &str) -> std::borrow::Cow<'_, str> {
    match cut_for_excel(s) {
        Some(cut) => std::borrow::Cow::Owned(cut),
        None => std::borrow::Cow::Borrowed(s),
    }
}

/// A number with thousands separators, as finance people write it.
pub(crate) fn fmt_amount(n: f64) -> String {
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

/// A ratio as a percentage, with the decimals its value needs:
/// `0.44` → `44%`, `0.455` → `45.5%`, `0.9995` → `99.95%`,
/// `0.357142…` → `35.7%`.
pub(crate) fn fmt_percent(v: f64) -> String {
    let pct = v * 100.0;
    format!("{pct:.*}%", percent_decimals(pct))
}

/// A computed ratio (a change, a gap, a delivery) as a percentage: one
/// decimal, none when it is whole: `0.0739` → `7.4%`, `3.4644` → `346.4%`,
/// `0.12` → `12%`; see [`computed_decimals`] near 100% and 0%.
pub(crate) fn fmt_ratio(v: f64) -> String {
    let pct = v * 100.0;
    format!("{pct:.*}%", computed_decimals(pct))
}

/// How many decimals a percentage `pct` (`99.95` for 99.95%) needs: as many
/// as a typed value has, up to 3, so that 99.9% and 99.95% never print
/// alike; past that it is computed ([`computed_decimals`]).
pub(crate) fn percent_decimals(pct: f64) -> usize {
    let exact = |d: i32| {
        let scaled = pct * 10f64.powi(d);
        (scaled - scaled.round()).abs() < 1e-6
    };
    (0..=3)
        .find(|d| exact(*d))
        .map_or_else(|| computed_decimals(pct), |d| d as usize)
}

/// The decimals of a computed percentage: one (none when it rounds to a
/// whole number), but two where one would show 100% or 0% for a value that
/// is not (99.95% is never shown as 100%).
fn computed_decimals(pct: f64) -> usize {
    let one = (pct * 10.0).round() / 10.0;
    let near_edge = one.abs() == 100.0 || one == 0.0;
    if near_edge && (pct - one).abs() > 1e-9 {
        2
    } else if one.fract() == 0.0 {
        0
    } else {
        1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_show_the_decimals_their_values_need() {
        assert_eq!(fmt_percent(0.44), "44%");
        assert_eq!(fmt_percent(0.455), "45.5%");
        assert_eq!(fmt_percent(0.999), "99.9%");
        assert_eq!(fmt_percent(0.9995), "99.95%");
        assert_eq!(fmt_percent(0.99999), "99.999%");
        assert_eq!(fmt_percent(5.0 / 14.0), "35.7%");
        // Computed, within a rounding of 100%: never shown as 100%.
        assert_eq!(fmt_percent(0.999_666_6), "99.97%");
        assert_eq!(fmt_percent(1.0), "100%");
        assert_eq!(fmt_percent(-5.0), "-500%");
    }

    #[test]
    fn computed_ratios_show_one_decimal_and_never_round_to_100_or_0() {
        assert_eq!(fmt_ratio(3.4644), "346.4%");
        assert_eq!(fmt_ratio(0.12), "12%");
        assert_eq!(fmt_ratio(0.0739), "7.4%");
        assert_eq!(fmt_ratio(0.9996), "99.96%");
        assert_eq!(fmt_ratio(1.0), "100%");
        assert_eq!(fmt_ratio(0.00004), "0.00%");
        assert_eq!(fmt_ratio(0.0004), "0.04%");
    }

    #[test]
    fn a_cell_is_cut_by_utf16_units_not_characters() {
        // 17,000 emoji are 17,000 characters but 34,000 UTF-16 units.
        let emoji = "😀".repeat(17_000);
        let cut = cut_for_excel(&emoji).expect("over Excel's limit");
        assert!(cut.encode_utf16().count() <= EXCEL_CELL_UNITS);
        assert!(cut.ends_with("😀…"));
        let ascii = "a".repeat(EXCEL_CELL_UNITS);
        assert_eq!(cut_for_excel(&ascii), None);
        let over = "a".repeat(EXCEL_CELL_UNITS + 1);
        assert_eq!(
            cut_for_excel(&over).unwrap().encode_utf16().count(),
            EXCEL_CELL_UNITS
        );
    }

    #[test]
    fn amounts() {
        assert_eq!(fmt_amount(1_234_567.0), "1,234,567");
        assert_eq!(fmt_amount(-1200.5), "-1,200.50");
        assert_eq!(fmt_amount(0.0), "0");
        assert_eq!(fmt_amount(999.0), "999");
    }

    #[test]
    fn ratios_read_as_percentages() {
        assert_eq!(fmt_percent(0.44), "44%");
        assert_eq!(fmt_percent(0.455), "45.5%");
        assert_eq!(fmt_percent(-0.02), "-2%");
    }

    #[test]
    fn lists_plurals_and_clipping() {
        assert_eq!(quoted(&["a", "b"]), "\"a\", \"b\"");
        assert_eq!(plural(1, "error"), "1 error");
        assert_eq!(plural(2, "error"), "2 errors");
        assert_eq!(truncate("abcdef", 3), "abc…");
        assert_eq!(truncate("abc", 3), "abc");
    }
}
