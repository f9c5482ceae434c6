//! A metric's status at a checkpoint: green, amber or red before year end,
//! met or missed at it, n/a without a plan — each with a letter, so that a
//! grid never says it by colour alone.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    Green,
    Amber,
    Red,
    Met,
    Missed,
    NotApplicable,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::Green,
        Status::Amber,
        Status::Red,
        Status::Met,
        Status::Missed,
        Status::NotApplicable,
    ];

    /// The status's name in the tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Green => "green",
            Status::Amber => "amber",
            Status::Red => "red",
            Status::Met => "met",
            Status::Missed => "missed",
            Status::NotApplicable => "n/a",
        }
    }

    /// The status named by [`Status::as_str`].
    pub fn parse(name: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// The letter the Status grid shows beside the colour.
    pub fn letter(self) -> &'static str {
        match self {
            Status::Green => "G",
            Status::Amber => "A",
            Status::Red => "R",
            Status::Met => "M",
            Status::Missed => "X",
            Status::NotApplicable => "–",
        }
    }

    /// Fill colour (RGB) for the grid and the charts.
    pub fn colour(self) -> u32 {
        match self {
            Status::Green | Status::Met => 0x2E7D32,
            Status::Amber => 0xF9A825,
            Status::Red | Status::Missed => 0xC62828,
            Status::NotApplicable => 0xBDBDBD,
        }
    }

    /// Whether the status is good news (green or met).
    pub fn is_good(self) -> bool {
        matches!(self, Status::Green | Status::Met)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The status of a projection's gap `g` (negative = unfavourable) before
/// year end, by the thresholds of the settings.
pub fn status_of_gap(g: Option<f64>, green_within: f64, red_beyond: f64) -> Status {
    match g {
        None => Status::NotApplicable,
        Some(g) if g >= -green_within => Status::Green,
        Some(g) if g >= -red_beyond => Status::Amber,
        Some(_) => Status::Red,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_monotone_in_the_gap() {
        // A better projection never has a worse status.
        let rank = |s: Status| match s {
            Status::Red => 0,
            Status::Amber => 1,
            Status::Green => 2,
            _ => 3,
        };
        let mut last = 0;
        for i in -400..=100 {
            let g = f64::from(i) / 1000.0;
            let r = rank(status_of_gap(Some(g), 0.02, 0.10));
            assert!(r >= last, "status fell at gap {g}");
            last = r;
        }
        assert_eq!(status_of_gap(Some(-0.02), 0.02, 0.10), Status::Green);
        assert_eq!(status_of_gap(Some(-0.05), 0.02, 0.10), Status::Amber);
        assert_eq!(status_of_gap(Some(-0.11), 0.02, 0.10), Status::Red);
        assert_eq!(status_of_gap(None, 0.02, 0.10), Status::NotApplicable);
    }
}
