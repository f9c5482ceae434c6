//! The drawing context and its primitives, the same for both backends:
//! rectangles, lines, text, bars in a track's notation, hatching, legends,
//! the header and footer, and gridlines.

use super::axis::{Axis, Map};
use super::error::ChartError;
use super::font::{face_for, fit, font, middle, primary, text_width, CAP_EM, EM_PER_SIZE};
use super::style::{
    track_fill, Face, Fill, Key, FAINT, FOOT, GRID, HEIGHT, INK, LEFT, MUTED, PAPER, RIGHT, SMALL,
    SUBTITLE, TITLE,
};
use crate::plan::Track;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// What every drawing step returns.
pub(in crate::write::charts) type Drawn = Result<(), ChartError>;

pub(in crate::write::charts) struct Ctx<'a, DB: DrawingBackend> {
    pub(in crate::write::charts) area: &'a DrawingArea<DB, Shift>,
    svg: bool,
}

fn px(v: f64) -> i32 {
    if v.is_finite() {
        v.round().clamp(-100_000.0, 100_000.0) as i32
    } else {
        0
    }
}

impl<'a, DB: DrawingBackend> Ctx<'a, DB> {
    /// Horizontal gridlines at the axis's ticks from `left` to `right`, each
    /// labelled to the left of the plot.
    pub(in crate::write::charts) fn hgrid(
        &self,
        axis: &Axis,
        map: &Map,
        left: f64,
        right: f64,
    ) -> Drawn {
        for t in axis.ticks() {
            let y = map.at(t);
            self.hline(left, right, y, 1.0, GRID)?;
            self.text(
                &axis.label(t),
                left - 10.0,
                middle(y, SMALL),
                Face::regular(SMALL, MUTED),
                HPos::Right,
            )?;
        }
        Ok(())
    }

    /// Vertical gridlines at the axis's ticks from `top` to `bottom`, each
    /// labelled under the plot.
    pub(in crate::write::charts) fn vgrid(
        &self,
        axis: &Axis,
        map: &Map,
        top: f64,
        bottom: f64,
    ) -> Drawn {
        for t in axis.ticks() {
            let x = map.at(t);
            self.vline(x, top, bottom, 1.0, GRID)?;
            self.text(
                &axis.label(t),
                x,
                bottom + 26.0,
                Face::regular(SMALL, MUTED),
                HPos::Center,
            )?;
        }
        Ok(())
    }

    pub(in crate::write::charts) fn new(area: &'a DrawingArea<DB, Shift>, svg: bool) -> Self {
        Ctx { area, svg }
    }

    pub(in crate::write::charts) fn fill(
        &self,
        x0: f64,
        y0: f64,
        x1: f64,
        y1: f64,
        color: RGBColor,
    ) -> Drawn {
        let (a, b) = (px(x0.min(x1)), px(x0.max(x1)));
        let (c, d) = (px(y0.min(y1)), px(y0.max(y1)));
        if a == b || c == d {
            return Ok(());
        }
        self.area
            .draw(&Rectangle::new([(a, c), (b, d)], color.filled()))
            .map_err(ChartError::from)
    }

    /// A rectangle outline `w` pixels wide, inside the rectangle.
    fn frame(&self, x0: f64, y0: f64, x1: f64, y1: f64, w: f64, color: RGBColor) -> Drawn {
        let (x0, x1) = (x0.min(x1), x0.max(x1));
        let (y0, y1) = (y0.min(y1), y0.max(y1));
        let w = w.min((x1 - x0) / 2.0).min((y1 - y0) / 2.0).max(1.0);
        self.fill(x0, y0, x1, y0 + w, color)?;
        self.fill(x0, y1 - w, x1, y1, color)?;
        self.fill(x0, y0, x0 + w, y1, color)?;
        self.fill(x1 - w, y0, x1, y1, color)
    }

    pub(in crate::write::charts) fn line(
        &self,
        points: &[(f64, f64)],
        color: RGBColor,
        width: u32,
    ) -> Drawn {
        let pts: Vec<(i32, i32)> = points.iter().map(|(x, y)| (px(*x), px(*y))).collect();
        self.area
            .draw(&PathElement::new(pts, color.stroke_width(width)))
            .map_err(ChartError::from)
    }

    pub(in crate::write::charts) fn hline(
        &self,
        x0: f64,
        x1: f64,
        y: f64,
        w: f64,
        color: RGBColor,
    ) -> Drawn {
        self.fill(x0, y - w / 2.0, x1, y + w / 2.0, color)
    }

    pub(in crate::write::charts) fn vline(
        &self,
        x: f64,
        y0: f64,
        y1: f64,
        w: f64,
        color: RGBColor,
    ) -> Drawn {
        self.fill(x - w / 2.0, y0, x + w / 2.0, y1, color)
    }

    /// A dashed line between two points (horizontal or vertical).
    pub(in crate::write::charts) fn dashed(
        &self,
        a: (f64, f64),
        b: (f64, f64),
        w: f64,
        color: RGBColor,
    ) -> Drawn {
        let (dash, gap) = (8.0, 6.0);
        let len = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
        if len < 1.0 {
            return Ok(());
        }
        let (ux, uy) = ((b.0 - a.0) / len, (b.1 - a.1) / len);
        let mut t = 0.0;
        while t < len {
            let e = (t + dash).min(len);
            let (sx, sy) = (a.0 + ux * t, a.1 + uy * t);
            let (ex, ey) = (a.0 + ux * e, a.1 + uy * e);
            if uy.abs() < 1e-9 {
                self.hline(sx, ex, sy, w, color)?;
            } else if ux.abs() < 1e-9 {
                self.vline(sx, sy, ey, w, color)?;
            } else {
                self.line(&[(sx, sy), (ex, ey)], color, w.round().max(1.0) as u32)?;
            }
            t += dash + gap;
        }
        Ok(())
    }

    fn circle(&self, x: f64, y: f64, r: f64, color: RGBColor) -> Drawn {
        self.area
            .draw(&Circle::new(
                (px(x), px(y)),
                r.round().max(1.0) as i32,
                color.filled(),
            ))
            .map_err(ChartError::from)
    }

    /// A point: filled, or hollow (a ring).
    pub(in crate::write::charts) fn marker(&self, x: f64, y: f64, filled: bool) -> Drawn {
        self.circle(x, y, 7.0, INK)?;
        if !filled {
            self.circle(x, y, 4.5, PAPER)?;
        }
        Ok(())
    }

    /// Text with its baseline at `y`, anchored left, centre or right at `x`.
    pub(in crate::write::charts) fn text(
        &self,
        text: &str,
        x: f64,
        y: f64,
        Face { size, bold, color }: Face,
        align: HPos,
    ) -> Drawn {
        if text.is_empty() {
            return Ok(());
        }
        if self.svg {
            // The SVG backend writes font-size = size / 1.24 and puts the
            // baseline of top-anchored text 0.76 em down (dy="0.76em").
            let em = size * EM_PER_SIZE;
            let style = font(em * 1.24, bold)
                .color(&color)
                .pos(Pos::new(align, VPos::Top));
            return self
                .area
                .draw_text(text, &style, (px(x), px(y - 0.76 * em)))
                .map_err(ChartError::from);
        }
        // The PNG: glyph by glyph at their true advances and bearings, each
        // from the face that has it (the embedded one, else the installed
        // fallback). ab_glyph puts the baseline of top-anchored text half a
        // size down.
        let Some(primary) = primary(bold) else {
            let style = font(size, bold)
                .color(&color)
                .pos(Pos::new(align, VPos::Top));
            return self
                .area
                .draw_text(text, &style, (px(x), px(y - size / 2.0)))
                .map_err(ChartError::from);
        };
        let width = text_width(text, size, bold);
        let mut pen = match align {
            HPos::Left => x,
            HPos::Center => x - width / 2.0,
            HPos::Right => x - width,
        };
        let top = px(y - size / 2.0);
        let mut buf = [0u8; 4];
        for ch in text.chars() {
            // A character no face has is left out (reported before drawing).
            let face = face_for(ch, bold);
            let measure = face.unwrap_or(primary);
            let (advance, lsb) = measure.h_metrics(ch);
            let scale = measure.scale(size);
            if let (Some(face), false) = (face, ch.is_whitespace()) {
                let style = face
                    .font(size, bold)
                    .color(&color)
                    .pos(Pos::new(HPos::Left, VPos::Top));
                let left = pen.round() + (lsb * scale).floor();
                self.area
                    .draw_text(ch.encode_utf8(&mut buf), &style, (px(left), top))?;
            }
            pen += advance * scale;
        }
        Ok(())
    }

    /// A bar in a track's notation.
    pub(in crate::write::charts) fn bar(
        &self,
        x0: f64,
        y0: f64,
        x1: f64,
        y1: f64,
        track: Track,
    ) -> Drawn {
        self.styled(x0, y0, x1, y1, track_fill(track))
    }

    fn styled(&self, x0: f64, y0: f64, x1: f64, y1: f64, fill: Fill) -> Drawn {
        let (x0, x1) = (x0.min(x1), x0.max(x1));
        let (y0, y1) = (y0.min(y1), y0.max(y1));
        match fill {
            Fill::Solid(c) => self.fill(x0, y0, x1, y1, c),
            Fill::Outline => {
                self.fill(x0, y0, x1, y1, PAPER)?;
                self.frame(x0, y0, x1, y1, 2.0, INK)
            }
            Fill::Hatch => {
                self.fill(x0, y0, x1, y1, PAPER)?;
                self.hatch(x0, y0, x1, y1)?;
                self.frame(x0, y0, x1, y1, 2.0, INK)
            }
        }
    }

    /// Diagonal hatching (lower left to upper right), aligned to the page.
    fn hatch(&self, x0: f64, y0: f64, x1: f64, y1: f64) -> Drawn {
        // Pixel centres inside the rectangle (its right and bottom edges are exclusive).
        let (x0, y0) = (px(x0) as f64, px(y0) as f64);
        let (x1, y1) = (px(x1) as f64 - 1.0, px(y1) as f64 - 1.0);
        if x1 - x0 < 3.0 || y1 - y0 < 3.0 {
            return Ok(());
        }
        let spacing = 7.0;
        let mut k = ((x0 + y0) / spacing).ceil() * spacing;
        while k <= x1 + y1 {
            // The line x + y = k inside the rectangle.
            let xa = x0.max(k - y1);
            let xb = x1.min(k - y0);
            if xb > xa {
                self.line(&[(xa, k - xa), (xb, k - xb)], INK, 1)?;
            }
            k += spacing;
        }
        Ok(())
    }

    /// A legend entry's key: a small bar in the track's notation, or a colour.
    fn legend(&self, items: &[(Key, String)], x: f64, y: f64) -> Drawn {
        let mut x = x;
        for (key, label) in items {
            let (w, h) = (26.0, 16.0);
            let mid = y - SMALL * EM_PER_SIZE * CAP_EM / 2.0;
            match key {
                Key::Track(t) => self.bar(x, mid - h / 2.0, x + w, mid + h / 2.0, *t)?,
                Key::Color(c) => self.fill(x, mid - h / 2.0, x + w, mid + h / 2.0, *c)?,
                Key::Point(filled) => self.marker(x + w / 2.0, mid, *filled)?,
                Key::Dash => self.dashed(
                    (x + w / 2.0, mid - 10.0),
                    (x + w / 2.0, mid + 10.0),
                    2.0,
                    INK,
                )?,
                Key::Line(c) => self.hline(x, x + w, mid, 3.0, *c)?,
            }
            self.text(label, x + w + 8.0, y, Face::regular(SMALL, INK), HPos::Left)?;
            x += w + 8.0 + text_width(label, SMALL, false) + 28.0;
        }
        Ok(())
    }

    /// Title, subtitle and the legend row.
    pub(in crate::write::charts) fn header(
        &self,
        title: &str,
        subtitle: &str,
        legend: &[(Key, String)],
    ) -> Drawn {
        let width = RIGHT - LEFT;
        // A long title or subtitle is set smaller before it is shortened.
        let shrink = |text: &str, sizes: &[f64], bold: bool| {
            let size = sizes
                .iter()
                .copied()
                .find(|s| text_width(text, *s, bold) <= width)
                .unwrap_or(sizes[sizes.len() - 1]);
            (fit(text, width, size, bold), size)
        };
        let (title, size) = shrink(title, &[TITLE, 34.0, 30.0], true);
        self.text(&title, LEFT, 58.0, Face::bold(size, INK), HPos::Left)?;
        let (subtitle, size) = shrink(subtitle, &[SUBTITLE, 20.0, 18.0], false);
        self.text(
            &subtitle,
            LEFT,
            96.0,
            Face::regular(size, MUTED),
            HPos::Left,
        )?;
        self.legend(legend, LEFT, 136.0)
    }

    pub(in crate::write::charts) fn footer(&self, note: &str) -> Drawn {
        let y = HEIGHT as f64 - 22.0;
        self.hline(LEFT, RIGHT, y - 24.0, 1.0, GRID)?;
        let note = fit(note, RIGHT - LEFT, FOOT, false);
        self.text(&note, LEFT, y, Face::regular(FOOT, FAINT), HPos::Left)
    }
}

#[cfg(test)]
mod tests {
    use super::super::font::fonts;
    use super::super::style::INK;
    use super::*;
    use plotters::prelude::{BitMapBackend, IntoDrawingArea};

    const W: u32 = 400;
    const H: u32 = 80;

    /// A white 400×80 canvas with `draw` applied; the RGB bytes.
    fn render(draw: impl Fn(&Ctx<BitMapBackend>) -> Drawn) -> Vec<u8> {
        let mut buf = vec![255u8; (W * H * 3) as usize];
        {
            let root = BitMapBackend::with_buffer(&mut buf, (W, H)).into_drawing_area();
            draw(&Ctx::new(&root, false)).unwrap();
            root.present().unwrap();
        }
        buf
    }

    fn ink(buf: &[u8]) -> usize {
        buf.chunks(3).filter(|p| p.iter().any(|v| *v < 128)).count()
    }

    /// A team named 決済チーム was drawn as empty boxes: the embedded font has
    /// no CJK glyphs. Where a CJK font is installed, the label is drawn with
    /// it: its pixels are not the embedded font's boxes.
    #[test]
    fn a_cjk_team_name_is_drawn_with_real_glyphs_where_a_cjk_font_is_installed() {
        fonts().unwrap();
        let installed = face_for('決', false).is_some_and(|f| f.is_fallback());
        if !installed {
            assert!(
                std::env::var("OP1_REQUIRE_CJK_FONT").is_err(),
                "OP1_REQUIRE_CJK_FONT is set but no CJK font is installed"
            );
            eprintln!("SKIPPED: no CJK font is installed (Debian: fonts-noto-cjk)");
            return;
        }
        let name = "決済チーム";
        let drawn = render(|c| c.text(name, 10.0, 50.0, Face::regular(32.0, INK), HPos::Left));
        // The same text drawn by the embedded font alone: its missing-glyph boxes.
        let boxes = render(|c| {
            let style = font(32.0, false)
                .color(&INK)
                .pos(Pos::new(HPos::Left, VPos::Top));
            c.area
                .draw_text(name, &style, (10, 34))
                .map_err(ChartError::from)
        });
        let (real, boxed) = (ink(&drawn), ink(&boxes));
        assert!(real > 300, "the label has {real} inked pixels");
        let differing = drawn
            .chunks(3)
            .zip(boxes.chunks(3))
            .filter(|(a, b)| (a[0] < 128) != (b[0] < 128))
            .count();
        assert!(
            differing * 2 > real.max(boxed),
            "the label looks like the boxes: {differing} pixels differ of {real} and {boxed}"
        );
        // And it is as wide as the fallback face measures it, not 5 boxes.
        assert!(text_width(name, 32.0, false) > 100.0);
    }
}
