//! The embedded font (DejaVu Sans): registering it with plotters, its
//! metrics, text widths, fitting text into a width, and baselines.

use super::error::ChartError;
use plotters::style::{register_font, FontDesc, FontFamily, FontStyle};
use std::sync::OnceLock;

/// The family name registered with plotters and written into the SVG: the
/// embedded DejaVu Sans first, then common fallbacks for SVG viewers.
const FAMILY: &str = "DejaVu Sans, Verdana, Arial, sans-serif";
static FONT_REGULAR: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
static FONT_BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");

/// DejaVu Sans: units per em / (ascender − descender) = 2048 / (1901 + 483).
/// ab_glyph scales a font so that `size` is ascender − descender, while the
/// SVG backend writes `font-size = size / 1.24`; these constants make one em
/// the same in both.
pub(super) const EM_PER_SIZE: f64 = 2048.0 / 2384.0;
/// Cap height of DejaVu Sans in ems.
pub(super) const CAP_EM: f64 = 1493.0 / 2048.0;

/// Registers the embedded fonts with plotters, once.
pub(super) fn fonts() -> Result<(), ChartError> {
    // The face that could not be registered, if any.
    static DONE: OnceLock<Result<(), &'static str>> = OnceLock::new();
    let done = DONE.get_or_init(|| {
        register_font(FAMILY, FontStyle::Normal, FONT_REGULAR).map_err(|_| "regular")?;
        register_font(FAMILY, FontStyle::Bold, FONT_BOLD).map_err(|_| "bold")
    });
    done.map_err(|face| ChartError::Font { face })
}

pub(super) fn font(size: f64, bold: bool) -> FontDesc<'static> {
    let style = if bold {
        FontStyle::Bold
    } else {
        FontStyle::Normal
    };
    FontDesc::new(FontFamily::Name(FAMILY), size, style)
}

/// The width of `text` set at `size`, pixels, by the embedded font's advances
/// (what the PNG draws; SVG viewers with DejaVu Sans agree, others are narrower).
pub(super) fn text_width(text: &str, size: f64, bold: bool) -> f64 {
    match metrics(bold) {
        Some(m) => text.chars().map(|c| m.advance(c)).sum::<f64>() * m.scale(size),
        None => font(size, bold)
            .box_size(text)
            .map(|(w, _)| w as f64)
            .unwrap_or(text.chars().count() as f64 * size * 0.6),
    }
}

/// The horizontal metrics of a TrueType font: enough to place glyphs one by
/// one (plotters' ab_glyph backend drops each glyph's left side bearing,
/// which makes letter spacing uneven in the PNG).
pub(super) struct FontMetrics {
    data: &'static [u8],
    /// Ascender − descender, font units: what ab_glyph scales to `size`.
    height: f64,
    h_metrics: usize,
    hmtx: usize,
    glyphs: usize,
    /// The cmap subtable used: offset and format (4 or 12).
    cmap: (usize, u16),
}

fn u16_at(d: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*d.get(at)?, *d.get(at + 1)?]))
}

fn u32_at(d: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes([
        *d.get(at)?,
        *d.get(at + 1)?,
        *d.get(at + 2)?,
        *d.get(at + 3)?,
    ]))
}

impl FontMetrics {
    fn parse(data: &'static [u8]) -> Option<FontMetrics> {
        let tables = u16_at(data, 4)? as usize;
        let table = |tag: &[u8; 4]| {
            (0..tables).find_map(|i| {
                let rec = 12 + 16 * i;
                (data.get(rec..rec + 4)? == tag)
                    .then(|| u32_at(data, rec + 8).map(|o| o as usize))?
            })
        };
        let hhea = table(b"hhea")?;
        let ascender = u16_at(data, hhea + 4)? as i16 as f64;
        let descender = u16_at(data, hhea + 6)? as i16 as f64;
        let h_metrics = u16_at(data, hhea + 34)? as usize;
        let glyphs = u16_at(data, table(b"maxp")? + 4)? as usize;
        let hmtx = table(b"hmtx")?;
        let cmap_at = table(b"cmap")?;
        let mut best: Option<(usize, u16)> = None;
        for i in 0..u16_at(data, cmap_at + 2)? as usize {
            let rec = cmap_at + 4 + 8 * i;
            let (platform, encoding) = (u16_at(data, rec)?, u16_at(data, rec + 2)?);
            let sub = cmap_at + u32_at(data, rec + 4)? as usize;
            let format = u16_at(data, sub)?;
            let unicode = platform == 0 || (platform == 3 && (encoding == 1 || encoding == 10));
            if unicode && (format == 12 || (format == 4 && best.is_none())) {
                best = Some((sub, format));
            }
        }
        Some(FontMetrics {
            data,
            height: (ascender - descender).max(1.0),
            h_metrics: h_metrics.max(1),
            hmtx,
            glyphs,
            cmap: best?,
        })
    }

    /// Pixels per font unit at a plotters size.
    pub(super) fn scale(&self, size: f64) -> f64 {
        size / self.height
    }

    fn glyph(&self, c: char) -> usize {
        self.lookup(c as u32)
            .filter(|g| *g < self.glyphs)
            .unwrap_or(0)
    }

    fn lookup(&self, c: u32) -> Option<usize> {
        let d = self.data;
        let (sub, format) = self.cmap;
        if format == 12 {
            let groups = u32_at(d, sub + 12)? as usize;
            for i in 0..groups {
                let g = sub + 16 + 12 * i;
                let (start, end) = (u32_at(d, g)?, u32_at(d, g + 4)?);
                if (start..=end).contains(&c) {
                    return Some((u32_at(d, g + 8)? + (c - start)) as usize);
                }
            }
            return None;
        }
        if c > 0xffff {
            return None;
        }
        let segs = u16_at(d, sub + 6)? as usize / 2;
        let ends = sub + 14;
        let starts = ends + 2 * segs + 2;
        let deltas = starts + 2 * segs;
        let ranges = deltas + 2 * segs;
        for i in 0..segs {
            if c > u16_at(d, ends + 2 * i)? as u32 {
                continue;
            }
            let start = u16_at(d, starts + 2 * i)? as u32;
            if c < start {
                return None;
            }
            let delta = u16_at(d, deltas + 2 * i)? as u32;
            let range = u16_at(d, ranges + 2 * i)? as usize;
            if range == 0 {
                return Some(((c + delta) & 0xffff) as usize);
            }
            let g = u16_at(d, ranges + 2 * i + range + 2 * (c - start) as usize)? as u32;
            return (g != 0).then_some(((g + delta) & 0xffff) as usize);
        }
        None
    }

    /// Advance width and left side bearing, font units.
    pub(super) fn h_metrics(&self, c: char) -> (f64, f64) {
        let g = self.glyph(c);
        let d = self.data;
        let last = self.hmtx + 4 * (self.h_metrics - 1);
        let advance = if g < self.h_metrics {
            u16_at(d, self.hmtx + 4 * g)
        } else {
            u16_at(d, last)
        };
        let lsb = if g < self.h_metrics {
            u16_at(d, self.hmtx + 4 * g + 2)
        } else {
            u16_at(d, self.hmtx + 4 * self.h_metrics + 2 * (g - self.h_metrics))
        };
        (
            advance.unwrap_or(0) as f64,
            lsb.map(|v| v as i16 as f64).unwrap_or(0.0),
        )
    }

    fn advance(&self, c: char) -> f64 {
        self.h_metrics(c).0
    }
}

/// The embedded fonts' metrics (`None` only if the font were unreadable).
pub(super) fn metrics(bold: bool) -> Option<&'static FontMetrics> {
    static REGULAR: OnceLock<Option<FontMetrics>> = OnceLock::new();
    static BOLD: OnceLock<Option<FontMetrics>> = OnceLock::new();
    if bold {
        BOLD.get_or_init(|| FontMetrics::parse(FONT_BOLD)).as_ref()
    } else {
        REGULAR
            .get_or_init(|| FontMetrics::parse(FONT_REGULAR))
            .as_ref()
    }
}

/// `text`, shortened with "…" to fit `max` pixels.
pub(super) fn fit(text: &str, max: f64, size: f64, bold: bool) -> String {
    if text_width(text, size, bold) <= max {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let (mut lo, mut hi) = (0usize, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let s: String = chars[..mid]
            .iter()
            .collect::<String>()
            .trim_end()
            .to_string()
            + "…";
        if text_width(&s, size, bold) <= max {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    if lo == 0 {
        "…".to_string()
    } else {
        chars[..lo]
            .iter()
            .collect::<String>()
            .trim_end()
            .to_string()
            + "…"
    }
}

/// The baseline that centres capital letters of `size` on `y`.
pub(super) fn middle(y: f64, size: f64) -> f64 {
    y + size * EM_PER_SIZE * CAP_EM / 2.0
}

#[cfg(test)]
mod tests {
    use super::super::style::LABEL;
    use super::*;

    #[test]
    fn long_labels_are_shortened_to_fit() {
        fonts().unwrap();
        let long = "Payments platform reliability and observability engineering";
        let short_label = fit(long, 200.0, LABEL, false);
        assert!(short_label.ends_with('…'), "{short_label}");
        assert!(text_width(&short_label, LABEL, false) <= 200.0);
        assert_eq!(fit("Data", 200.0, LABEL, false), "Data");
    }

    #[test]
    fn embedded_font_metrics_agree_with_plotters() {
        fonts().unwrap();
        for bold in [false, true] {
            let text = "Revenue by track, USD — 297.1M → 408.4M (+37.4%)";
            let ours = text_width(text, 40.0, bold);
            let theirs = font(40.0, bold).box_size(text).unwrap().0 as f64;
            // plotters adds kerning and truncates; a few pixels either way.
            assert!((ours - theirs).abs() < 6.0, "{ours} vs {theirs}");
        }
    }
}
