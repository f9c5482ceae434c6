//! The drawing kit the charts sit on, knowing no chart: the notation and
//! the page ([`style`]), the embedded font ([`font`]), numbers as finance
//! writes them ([`numbers`]), axes and scales ([`axis`]), drawing
//! primitives ([`canvas`]), label placement ([`placement`]), the
//! waterfall both bridges draw ([`waterfall`]) and why drawing failed
//! ([`error`]).

pub(super) mod axis;
pub(super) mod canvas;
pub(super) mod error;
pub(super) mod font;
pub(super) mod numbers;
pub(super) mod placement;
pub(super) mod style;
pub(super) mod waterfall;
