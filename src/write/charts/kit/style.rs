//! The notation: IBCS colours, type sizes, the page, how each track is
//! filled, and legend keys.

use crate::plan::Track;
use plotters::style::RGBColor;

/// Width of every chart, pixels.
pub const WIDTH: u32 = 1600;
/// Height of every chart, pixels.
pub const HEIGHT: u32 = 900;

// IBCS colours.
pub(in crate::write::charts) const INK: RGBColor = RGBColor(0x1e, 0x1e, 0x1e);
const LY_GREY: RGBColor = RGBColor(0x6b, 0x6b, 0x6b);
const BASE_GREY: RGBColor = RGBColor(0xc4, 0xc4, 0xc4);
pub(in crate::write::charts) const GOOD: RGBColor = RGBColor(0x2e, 0x7d, 0x32);
pub(in crate::write::charts) const BAD: RGBColor = RGBColor(0xc6, 0x28, 0x28);
pub(in crate::write::charts) const MUTED: RGBColor = RGBColor(0x55, 0x55, 0x55);
pub(in crate::write::charts) const FAINT: RGBColor = RGBColor(0x8a, 0x8a, 0x8a);
pub(in crate::write::charts) const GRID: RGBColor = RGBColor(0xe4, 0xe4, 0xe4);
pub(in crate::write::charts) const AXIS: RGBColor = RGBColor(0x9a, 0x9a, 0x9a);
pub(in crate::write::charts) const SHADE: RGBColor = RGBColor(0xf3, 0xf3, 0xf3);
pub(in crate::write::charts) const PAPER: RGBColor = RGBColor(0xff, 0xff, 0xff);

// Type sizes (plotters sizes; one em is `EM_PER_SIZE` of it). Even, so that
// ab_glyph's half-size baseline falls on a whole pixel.
pub(in crate::write::charts) const TITLE: f64 = 38.0;
pub(in crate::write::charts) const SUBTITLE: f64 = 22.0;
pub(in crate::write::charts) const HEADING: f64 = 22.0;
pub(in crate::write::charts) const LABEL: f64 = 20.0;
pub(in crate::write::charts) const SMALL: f64 = 18.0;
pub(in crate::write::charts) const FOOT: f64 = 16.0;

// The page.
pub(in crate::write::charts) const LEFT: f64 = 48.0;
pub(in crate::write::charts) const RIGHT: f64 = WIDTH as f64 - 48.0;
pub(in crate::write::charts) const BODY_TOP: f64 = 168.0;
pub(in crate::write::charts) const BODY_BOTTOM: f64 = HEIGHT as f64 - 58.0;

/// How a track is filled.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(in crate::write::charts) enum Fill {
    Solid(RGBColor),
    Outline,
    Hatch,
}

pub(in crate::write::charts) fn track_fill(track: Track) -> Fill {
    match track {
        Track::LyActual | Track::LyTarget => Fill::Solid(LY_GREY),
        Track::Baseline => Fill::Solid(BASE_GREY),
        Track::Flat => Fill::Outline,
        Track::Investment => Fill::Hatch,
        Track::Funded => Fill::Solid(INK),
    }
}

/// How text is set: size, weight, colour.
#[derive(Clone, Copy, Debug)]
pub(in crate::write::charts) struct Face {
    pub(in crate::write::charts) size: f64,
    pub(in crate::write::charts) bold: bool,
    pub(in crate::write::charts) color: RGBColor,
}

impl Face {
    /// Regular text of `size` in `color`.
    pub(in crate::write::charts) const fn regular(size: f64, color: RGBColor) -> Face {
        Face {
            size,
            bold: false,
            color,
        }
    }

    /// Bold text of `size` in `color`.
    pub(in crate::write::charts) const fn bold(size: f64, color: RGBColor) -> Face {
        Face {
            size,
            bold: true,
            color,
        }
    }
}

/// What a legend entry shows.
#[derive(Clone, Copy, Debug)]
pub(in crate::write::charts) enum Key {
    Track(Track),
    Color(RGBColor),
    Point(bool),
    Dash,
    Line(RGBColor),
}

pub(in crate::write::charts) fn track_legend(tracks: &[Track]) -> Vec<(Key, String)> {
    tracks
        .iter()
        .map(|t| (Key::Track(*t), t.name().to_string()))
        .collect()
}

pub(in crate::write::charts) fn variance_legend() -> Vec<(Key, String)> {
    vec![
        (Key::Color(GOOD), "favourable".to_string()),
        (Key::Color(BAD), "unfavourable".to_string()),
    ]
}
