//! The charts' fonts: the embedded DejaVu Sans, and — for text it has no
//! glyphs for, such as a CJK team name — a fallback found among the fonts
//! installed on the machine (fontdb). Faces are read with ttf-parser (the
//! parser under ab_glyph): which face draws a character, advances and side
//! bearings, text widths, fitting text into a width, and baselines. Text no
//! font can draw is reported by [`undrawable`], never drawn as empty boxes.

use super::error::ChartError;
use plotters::style::{register_font, FontDesc, FontFamily, FontStyle};
use std::sync::OnceLock;

/// The family name registered with plotters for the embedded font and
/// written into the SVG: DejaVu Sans first, then common fonts a viewer may
/// have, including CJK ones, so that an SVG viewer falls back as the PNG does.
const FAMILY: &str = "DejaVu Sans, Verdana, Arial, Noto Sans CJK JP, Noto Sans CJK SC, Source Han Sans, PingFang SC, Hiragino Sans, Microsoft YaHei, sans-serif";
/// The name the fallback face is registered under with plotters.
const FALLBACK_FAMILY: &str = "op1 fallback";
static FONT_REGULAR: &[u8] = include_bytes!("../../../../assets/fonts/DejaVuSans.ttf");
static FONT_BOLD: &[u8] = include_bytes!("../../../../assets/fonts/DejaVuSans-Bold.ttf");

/// Families tried first for the fallback, in order (a face of any other
/// installed family that has the glyph is used otherwise).
const FALLBACKS: [&str; 6] = [
    "Noto Sans CJK JP",
    "Noto Sans CJK SC",
    "Source Han Sans",
    "WenQuanYi Zen Hei",
    "Droid Sans Fallback",
    "Noto Sans",
];

/// What the message says to install when no font draws a text.
pub(in crate::write::charts) const FONT_TO_INSTALL: &str =
    "a font with those characters, e.g. Noto Sans CJK (Debian: fonts-noto-cjk)";

/// DejaVu Sans: units per em / (ascender − descender) = 2048 / (1901 + 483).
/// ab_glyph scales a font so that `size` is ascender − descender, while the
/// SVG backend writes `font-size = size / 1.24`; these constants make one em
/// the same in both.
pub(in crate::write::charts) const EM_PER_SIZE: f64 = 2048.0 / 2384.0;
/// Cap height of DejaVu Sans in ems.
pub(in crate::write::charts) const CAP_EM: f64 = 1493.0 / 2048.0;

/// A face that can draw: its parsed tables and the plotters family it is
/// registered under.
pub(in crate::write::charts) struct Typeface {
    face: ttf_parser::Face<'static>,
    family: &'static str,
    /// Ascender − descender, font units: what ab_glyph scales to `size`.
    height: f64,
    units_per_em: f64,
}

impl Typeface {
    fn new(data: &'static [u8], index: u32, family: &'static str) -> Option<Typeface> {
        let face = ttf_parser::Face::parse(data, index).ok()?;
        let height = f64::from(face.ascender()) - f64::from(face.descender());
        let units_per_em = f64::from(face.units_per_em()).max(1.0);
        Some(Typeface {
            face,
            family,
            height: height.max(1.0),
            units_per_em,
        })
    }

    /// Whether this is the installed fallback (not the embedded font).
    #[cfg(test)]
    pub(in crate::write::charts) fn is_fallback(&self) -> bool {
        self.family == FALLBACK_FAMILY
    }

    fn has(&self, c: char) -> bool {
        self.face.glyph_index(c).is_some()
    }

    /// Pixels per font unit at a plotters size (of the embedded font): every
    /// face is set so that one em is as large as the embedded font's.
    pub(in crate::write::charts) fn scale(&self, size: f64) -> f64 {
        size * EM_PER_SIZE / self.units_per_em
    }

    /// The plotters size that draws this face at the embedded font's `size`
    /// (ab_glyph scales ascender − descender to the size it is given).
    pub(in crate::write::charts) fn draw_size(&self, size: f64) -> f64 {
        self.scale(size) * self.height
    }

    /// Advance width and left side bearing of `c`, font units.
    pub(in crate::write::charts) fn h_metrics(&self, c: char) -> (f64, f64) {
        let g = self.face.glyph_index(c).unwrap_or(ttf_parser::GlyphId(0));
        (
            f64::from(self.face.glyph_hor_advance(g).unwrap_or(0)),
            f64::from(self.face.glyph_hor_side_bearing(g).unwrap_or(0)),
        )
    }

    /// The plotters font of this face at the embedded font's `size`.
    pub(in crate::write::charts) fn font(&self, size: f64, bold: bool) -> FontDesc<'static> {
        FontDesc::new(
            FontFamily::Name(self.family),
            self.draw_size(size),
            style(bold),
        )
    }
}

fn style(bold: bool) -> FontStyle {
    if bold {
        FontStyle::Bold
    } else {
        FontStyle::Normal
    }
}

/// Registers the embedded fonts with plotters, once.
pub(in crate::write::charts) fn fonts() -> Result<(), ChartError> {
    // The face that could not be registered, if any.
    static DONE: OnceLock<Result<(), &'static str>> = OnceLock::new();
    let done = DONE.get_or_init(|| {
        register_font(FAMILY, FontStyle::Normal, FONT_REGULAR).map_err(|_| "regular")?;
        register_font(FAMILY, FontStyle::Bold, FONT_BOLD).map_err(|_| "bold")
    });
    done.map_err(|face| ChartError::Font { face })
}

/// The embedded font at `size`: what the SVG names and the PNG draws with.
pub(in crate::write::charts) fn font(size: f64, bold: bool) -> FontDesc<'static> {
    FontDesc::new(FontFamily::Name(FAMILY), size, style(bold))
}

/// The embedded face (`None` only if the font were unreadable).
pub(in crate::write::charts) fn primary(bold: bool) -> Option<&'static Typeface> {
    static REGULAR: OnceLock<Option<Typeface>> = OnceLock::new();
    static BOLD: OnceLock<Option<Typeface>> = OnceLock::new();
    let (cell, data) = if bold {
        (&BOLD, FONT_BOLD)
    } else {
        (&REGULAR, FONT_REGULAR)
    };
    cell.get_or_init(|| Typeface::new(data, 0, FAMILY)).as_ref()
}

/// The installed fallback face, looked for once, the first time a text
/// needs it; registered with plotters under [`FALLBACK_FAMILY`].
fn fallback(bold: bool) -> Option<&'static Typeface> {
    static REGULAR: OnceLock<Option<Typeface>> = OnceLock::new();
    static BOLD: OnceLock<Option<Typeface>> = OnceLock::new();
    let cell = if bold { &BOLD } else { &REGULAR };
    cell.get_or_init(|| installed_fallback(bold)).as_ref()
}

/// Finds an installed CJK-capable face (by the preferred families, then any
/// face with a common ideograph), keeps its bytes for the process and
/// registers it with plotters.
fn installed_fallback(bold: bool) -> Option<Typeface> {
    let mut db = fontdb::Database::new();
    db.load_system_fonts();
    let weight = if bold {
        fontdb::Weight::BOLD
    } else {
        fontdb::Weight::NORMAL
    };
    let preferred = FALLBACKS.iter().find_map(|family| {
        db.query(&fontdb::Query {
            families: &[fontdb::Family::Name(family)],
            weight,
            ..fontdb::Query::default()
        })
    });
    // 決 (U+6C7A): any face that has it draws the common CJK ideographs.
    let covering = || {
        db.faces().find_map(|f| {
            db.with_face_data(f.id, |data, index| {
                ttf_parser::Face::parse(data, index)
                    .ok()?
                    .glyph_index('決')
                    .map(|_| f.id)
            })
            .flatten()
        })
    };
    let id = preferred.or_else(covering)?;
    let data = db.with_face_data(id, |data, _| data.to_vec())?;
    // Held for the rest of the process, as plotters' registry requires.
    let data: &'static [u8] = Box::leak(data.into_boxed_slice());
    // plotters draws with the first face of a collection (in a CJK
    // collection every face has the ideographs): measure that same face.
    let face = Typeface::new(data, 0, FALLBACK_FAMILY).filter(|f| f.has('決'))?;
    register_font(FALLBACK_FAMILY, style(bold), data).ok()?;
    Some(face)
}

/// The face that draws `c`: the embedded one when it has the glyph, else the
/// installed fallback when it has it; `None` when neither can.
pub(in crate::write::charts) fn face_for(c: char, bold: bool) -> Option<&'static Typeface> {
    let primary = primary(bold)?;
    if primary.has(c) || c.is_whitespace() || c.is_control() {
        return Some(primary);
    }
    fallback(bold).filter(|f| f.has(c))
}

/// The width of `text` set at `size`, pixels, by the advances of the faces
/// that draw it (what the PNG draws; SVG viewers with DejaVu Sans agree).
pub(in crate::write::charts) fn text_width(text: &str, size: f64, bold: bool) -> f64 {
    let Some(primary) = primary(bold) else {
        return text.chars().count() as f64 * size * 0.6;
    };
    text.chars()
        .map(|c| {
            let face = face_for(c, bold).unwrap_or(primary);
            face.h_metrics(c).0 * face.scale(size)
        })
        .sum()
}

/// The texts among `texts` that no available font can draw (each once, in order).
pub(in crate::write::charts) fn undrawable<'a>(
    texts: impl IntoIterator<Item = &'a str>,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for text in texts {
        let drawable = text
            .chars()
            .all(|c| face_for(c, false).is_some() && face_for(c, true).is_some());
        if !drawable && !out.iter().any(|t| t == text) {
            out.push(text.to_string());
        }
    }
    out
}

/// `text`, shortened with "…" to fit `max` pixels.
pub(in crate::write::charts) fn fit(text: &str, max: f64, size: f64, bold: bool) -> String {
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
pub(in crate::write::charts) fn middle(y: f64, size: f64) -> f64 {
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

    #[test]
    fn latin_text_is_always_drawable() {
        assert!(undrawable(["Payments", "Sales EMEA — 12%", "Zürich"]).is_empty());
    }
}
