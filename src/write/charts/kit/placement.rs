//! Geometry for placing labels clear of each other, of points and of lines.

/// Whether two points are within `d` pixels.
pub(in crate::write::charts) fn near(a: (f64, f64), b: (f64, f64), d: f64) -> bool {
    (a.0 - b.0).powi(2) + (a.1 - b.1).powi(2) < d * d
}

/// A box: left, top, right, bottom.
pub(in crate::write::charts) type Box4 = (f64, f64, f64, f64);

pub(in crate::write::charts) fn overlaps(a: Box4, b: Box4) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

pub(in crate::write::charts) fn box_distance(b: Box4, (x, y): (f64, f64)) -> f64 {
    let dx = (b.0 - x).max(0.0).max(x - b.2);
    let dy = (b.1 - y).max(0.0).max(y - b.3);
    (dx * dx + dy * dy).sqrt()
}

/// Whether the segment `p`–`q` crosses the box (Liang–Barsky clipping).
pub(in crate::write::charts) fn segment_hits(b: Box4, p: (f64, f64), q: (f64, f64)) -> bool {
    let (dx, dy) = (q.0 - p.0, q.1 - p.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (edge_p, edge_q) in [
        (-dx, p.0 - b.0),
        (dx, b.2 - p.0),
        (-dy, p.1 - b.1),
        (dy, b.3 - p.1),
    ] {
        if edge_p == 0.0 {
            if edge_q < 0.0 {
                return false;
            }
        } else {
            let r = edge_q / edge_p;
            if edge_p < 0.0 {
                t0 = t0.max(r);
            } else {
                t1 = t1.min(r);
            }
            if t0 > t1 {
                return false;
            }
        }
    }
    true
}
