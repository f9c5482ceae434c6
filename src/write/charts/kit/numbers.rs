//! Numbers as finance writes them: units, thousands separators, short
//! scales (K, M, B), changes and their colour.

use super::style::{BAD, GOOD, MUTED};
use crate::text::plural_word;
use plotters::style::RGBColor;

/// How a metric's values are written.
#[derive(Clone, Debug, PartialEq)]
pub(in crate::write::charts) enum Units {
    /// Money in the reporting currency (its code).
    Money(String),
    /// A ratio, shown as a percentage.
    Ratio,
    /// Counts or anything else (the unit as the teams write it).
    Count(String),
    /// A growth multiple (1.2×).
    Multiple,
}

impl Units {
    /// The unit as a title shows it: `USD`, `%`, `customers`.
    pub(in crate::write::charts) fn label(&self) -> String {
        match self {
            Units::Money(c) => c.clone(),
            Units::Ratio => "%".to_string(),
            Units::Count(u) => u.clone(),
            Units::Multiple => "×".to_string(),
        }
    }
}

/// `v` with `decimals` decimals, thousands separators and a true minus sign.
pub(in crate::write::charts) fn group(v: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, v.abs());
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.to_string())),
        None => (s, None),
    };
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(&f);
    }
    let zero = out.chars().all(|c| c == '0' || c == '.' || c == ',');
    if v < 0.0 && !zero {
        format!("−{out}")
    } else {
        out
    }
}

/// `1 team`, `1,200 teams`: a count with thousands separators and its noun.
pub(in crate::write::charts) fn counted(n: usize, noun: &str) -> String {
    format!("{} {}", group(n as f64, 0), plural_word(n, noun))
}

/// A short scale (K, M, B) for numbers up to `max_abs`.
pub(in crate::write::charts) fn scale_for(max_abs: f64) -> (f64, &'static str) {
    if max_abs >= 1e12 {
        (1e12, "T")
    } else if max_abs >= 1e9 {
        (1e9, "B")
    } else if max_abs >= 1e6 {
        (1e6, "M")
    } else if max_abs >= 1e4 {
        (1e3, "K")
    } else {
        (1.0, "")
    }
}

/// Decimals needed to write multiples of `step` exactly (at most 3).
pub(in crate::write::charts) fn decimals_for(step: f64) -> usize {
    (0..=3)
        .find(|d| {
            let x = step * 10f64.powi(*d as i32);
            (x - x.round()).abs() < 1e-6 * x.abs().max(1.0)
        })
        .unwrap_or(3)
}

/// A value label: 297.1M, 5.99M, 350K, 1,024, 51.4%, 1.24×.
pub(in crate::write::charts) fn fmt_value(v: f64, units: &Units) -> String {
    match units {
        Units::Ratio => {
            let p = v * 100.0;
            format!("{}%", group(p, crate::text::percent_decimals(p)))
        }
        Units::Multiple => format!("{}×", group(v, 2)),
        _ => short(v),
    }
}

/// A number with a short scale: 297.1M, 5.99M, 350K, 1,024.
pub(in crate::write::charts) fn short(v: f64) -> String {
    let (div, suffix) = scale_for(v.abs());
    let x = v / div;
    let d = if suffix.is_empty() {
        if (x - x.round()).abs() < 1e-9 {
            0
        } else if x.abs() < 10.0 {
            2
        } else {
            1
        }
    } else if x.abs() < 10.0 {
        2
    } else {
        1
    };
    let mut body = group(x, d);
    let round = body.ends_with(".00") || (body.ends_with(".0") && x.abs() >= 100.0);
    if !suffix.is_empty() && round {
        // Round figures without decimals (6M, 150K); 14.0M keeps its decimal
        // so that it lines up with 15.2M.
        body = body.trim_end_matches('0').trim_end_matches('.').to_string();
    }
    format!("{body}{suffix}")
}

/// Whether a label shows zero (no digit other than 0).
fn shows_zero(label: &str) -> bool {
    !label.chars().any(|c| ('1'..='9').contains(&c))
}

/// `body` (already carrying its minus sign) with a plus sign when positive
/// and not shown as zero.
fn signed(d: f64, body: String) -> String {
    if d > 0.0 && !shows_zero(&body) {
        format!("+{body}")
    } else {
        body
    }
}

/// A change: +19.3M, −1.6M, +3.8 pp, +0.12×.
pub(in crate::write::charts) fn fmt_change(d: f64, units: &Units) -> String {
    match units {
        Units::Ratio => signed(d, format!("{} pp", group(d * 100.0, 1))),
        _ => signed(d, fmt_value(d, units)),
    }
}

/// The change from `from` to `to` as a reader wants it: relative for
/// amounts (+7.6%), in points for ratios, absolute when `from` is not positive.
pub(in crate::write::charts) fn fmt_delta(from: f64, to: f64, units: &Units) -> String {
    match units {
        Units::Ratio => fmt_change(to - from, units),
        _ if from > 0.0 => {
            let p = (to - from) / from * 100.0;
            signed(p, format!("{}%", group(p, 1)))
        }
        _ => fmt_change(to - from, units),
    }
}

/// The colour of a change labelled `label`: green when the change from
/// `from` to `to` is good, red when bad, grey when none or shown as zero;
/// `None` for changes that are neither good nor bad (resources).
pub(in crate::write::charts) fn judge(
    label: &str,
    from: f64,
    to: f64,
    lower_is_better: Option<bool>,
) -> RGBColor {
    let Some(lower_is_better) = lower_is_better else {
        return MUTED;
    };
    let d = if lower_is_better {
        from - to
    } else {
        to - from
    };
    if shows_zero(label) || d.abs() <= 1e-9 * from.abs().max(1.0) {
        MUTED
    } else if d > 0.0 {
        GOOD
    } else {
        BAD
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_the_way_finance_writes_them() {
        assert_eq!(short(297_137_500.0), "297.1M");
        assert_eq!(short(5_993_000.0), "5.99M");
        assert_eq!(short(6_000_000.0), "6M");
        assert_eq!(short(14_000_000.0), "14.0M");
        assert_eq!(short(150_000.0), "150K");
        assert_eq!(short(3_400_000_000.0), "3.40B");
        assert_eq!(short(1_067.0), "1,067");
        assert_eq!(short(-1_550_000.0), "−1.55M");
        assert_eq!(group(1_234_567.891, 2), "1,234,567.89");
        assert_eq!(group(-0.001, 1), "0.0");
        assert_eq!(fmt_value(0.5136, &Units::Ratio), "51.36%");
        assert_eq!(fmt_value(0.513_666, &Units::Ratio), "51.4%");
        assert_eq!(fmt_value(0.9983, &Units::Ratio), "99.83%");
        assert_eq!(
            fmt_delta(297.1, 408.4, &Units::Count(String::new())),
            "+37.5%"
        );
        assert_eq!(fmt_delta(0.5136, 0.5473, &Units::Ratio), "+3.4 pp");
        assert_eq!(fmt_delta(0.5136, 0.5133, &Units::Ratio), "0.0 pp");
        assert_eq!(
            fmt_delta(-300.0, 900.0, &Units::Count(String::new())),
            "+1,200"
        );
        assert_eq!(judge("0.0 pp", 0.5136, 0.5133, Some(false)), MUTED);
        assert_eq!(judge("+1.0%", 1.0, 1.01, Some(true)), BAD);
        assert_eq!(judge("+1.0%", 1.0, 1.01, None), MUTED);
    }
}
