//! Value axes with "nice" ticks, and the scales that map values onto pixels.

use super::font::text_width;
use super::numbers::{decimals_for, group, scale_for, Units};
use super::style::SMALL;

/// A value axis with "nice" ticks.
#[derive(Clone, Debug)]
pub(in crate::write::charts) struct Axis {
    pub(in crate::write::charts) lo: f64,
    pub(in crate::write::charts) hi: f64,
    pub(in crate::write::charts) step: f64,
    units: Units,
}

impl Axis {
    /// An axis covering `lo..hi` (and zero) in about `target` steps.
    pub(in crate::write::charts) fn new(lo: f64, hi: f64, target: usize, units: Units) -> Axis {
        Axis::spanning(lo.min(0.0), hi.max(0.0), target, units)
    }

    /// An axis covering `lo..hi` only — not zero: for a chart that says its
    /// axis is broken (small changes between two large totals).
    pub(in crate::write::charts) fn spanning(
        lo: f64,
        hi: f64,
        target: usize,
        units: Units,
    ) -> Axis {
        let (mut lo, mut hi) = (lo, hi);
        if !lo.is_finite() || !hi.is_finite() {
            (lo, hi) = (0.0, 1.0);
        }
        if hi - lo <= f64::EPSILON * hi.abs().max(lo.abs()).max(1.0) {
            hi = lo + if lo == 0.0 { 1.0 } else { lo.abs() };
        }
        let raw = (hi - lo) / target.max(1) as f64;
        let mag = 10f64.powf(raw.log10().floor());
        let norm = raw / mag;
        let nice = [1.0, 2.0, 2.5, 5.0, 10.0]
            .into_iter()
            .find(|n| norm <= *n + 1e-9)
            .unwrap_or(10.0);
        let step = nice * mag;
        Axis {
            lo: (lo / step + 1e-9).floor() * step,
            hi: (hi / step - 1e-9).ceil() * step,
            step,
            units,
        }
    }

    pub(in crate::write::charts) fn ticks(&self) -> Vec<f64> {
        let n = ((self.hi - self.lo) / self.step).round() as i64;
        (0..=n.clamp(0, 50))
            .map(|i| self.lo + i as f64 * self.step)
            .map(|v| if v.abs() < self.step * 1e-9 { 0.0 } else { v })
            .collect()
    }

    /// The width of the widest tick label, for the room left of the plot.
    pub(in crate::write::charts) fn label_width(&self) -> f64 {
        self.ticks()
            .iter()
            .map(|t| text_width(&self.label(*t), SMALL, false))
            .fold(0.0, f64::max)
    }

    /// A tick label, all ticks on one scale: 0, 100M, 200M; 0%, 25%; 1.5×.
    pub(in crate::write::charts) fn label(&self, v: f64) -> String {
        match &self.units {
            Units::Ratio => format!("{}%", group(v * 100.0, decimals_for(self.step * 100.0))),
            Units::Multiple if v == 0.0 => "0×".to_string(),
            Units::Multiple => format!("{}×", group(v, decimals_for(self.step).max(1))),
            _ => {
                let (div, suffix) = scale_for(self.lo.abs().max(self.hi.abs()));
                let d = decimals_for(self.step / div);
                if v == 0.0 {
                    "0".to_string()
                } else {
                    format!("{}{suffix}", group(v / div, d))
                }
            }
        }
    }
}

/// Maps values onto pixels.
#[derive(Clone, Copy, Debug)]
pub(in crate::write::charts) struct Map {
    d0: f64,
    d1: f64,
    p0: f64,
    p1: f64,
}

impl Map {
    pub(in crate::write::charts) fn new(axis: &Axis, p0: f64, p1: f64) -> Map {
        Map {
            d0: axis.lo,
            d1: axis.hi,
            p0,
            p1,
        }
    }

    pub(in crate::write::charts) fn at(&self, v: f64) -> f64 {
        let t = (v - self.d0) / (self.d1 - self.d0);
        let t = if t.is_finite() {
            t.clamp(-0.05, 1.05)
        } else {
            0.0
        };
        self.p0 + t * (self.p1 - self.p0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_start_at_zero_and_use_one_scale() {
        let a = Axis::new(0.0, 409_908_300.0, 5, Units::Money("USD".into()));
        assert_eq!((a.lo, a.hi, a.step), (0.0, 500_000_000.0, 100_000_000.0));
        let labels: Vec<String> = a.ticks().iter().map(|t| a.label(*t)).collect();
        assert_eq!(labels, ["0", "100M", "200M", "300M", "400M", "500M"]);
        let b = Axis::new(-300.0, 900.0, 5, Units::Count(String::new()));
        assert!(b.lo <= -300.0 && b.hi >= 900.0 && b.ticks().contains(&0.0));
        let r = Axis::new(0.0, 0.55, 5, Units::Ratio);
        assert_eq!(r.label(0.2), "20%");
        let m = Axis::new(0.0, 2.3, 5, Units::Multiple);
        assert_eq!(m.label(0.0), "0×");
        assert_eq!(m.label(1.5), "1.5×");
        // Degenerate ranges still make an axis.
        let z = Axis::new(0.0, 0.0, 5, Units::Count(String::new()));
        assert!(z.hi > z.lo);
    }
}
