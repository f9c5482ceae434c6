//! The written plan: the `Narrative` sheet's sections (Purpose, Tenets, Last
//! year, Lessons, Plan, 10x, FAQ, and any other the team adds), each a list
//! of paragraphs with the cell it was read from.

use super::Val;
use crate::names::normalise;

/// A section of the six-pager, in the order a reader meets them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Section {
    Purpose,
    Tenets,
    LastYear,
    Lessons,
    Plan,
    TenX,
    Faq,
}

impl Section {
    pub const ALL: [Section; 7] = [
        Section::Purpose,
        Section::Tenets,
        Section::LastYear,
        Section::Lessons,
        Section::Plan,
        Section::TenX,
        Section::Faq,
    ];

    /// The section's name, as the template writes it and the document prints it.
    pub fn name(self) -> &'static str {
        match self {
            Section::Purpose => "Purpose",
            Section::Tenets => "Tenets",
            Section::LastYear => "Last year",
            Section::Lessons => "Lessons",
            Section::Plan => "Plan",
            Section::TenX => "10x",
            Section::Faq => "FAQ",
        }
    }

    /// Other names teams give the section.
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Section::Purpose => &["Introduction", "Charter"],
            Section::Tenets => &[],
            Section::LastYear => &["State of the business", "Review"],
            Section::Lessons => &["Lessons learned"],
            Section::Plan => &["Priorities", "Strategy"],
            Section::TenX => &["10×", "Press release", "Future"],
            Section::Faq => &[],
        }
    }

    /// One line on what the section holds (the template's guidance).
    pub fn guidance(self) -> &'static str {
        match self {
            Section::Purpose => "Who the team serves and what decision this plan asks for.",
            Section::Tenets => "The principles that settle trade-offs, one per row.",
            Section::LastYear => "What was hit, what was missed, and why.",
            Section::Lessons => "What the team does differently because of last year.",
            Section::Plan => {
                "What the team does with flat resources, and what more investment buys."
            }
            Section::TenX => "The 10x answer: e.g. a press release from three years out.",
            Section::Faq => "The questions readers will ask, answered.",
        }
    }

    /// The section a heading names (matched as column names are), if any.
    pub fn parse(heading: &str) -> Option<Section> {
        let key = normalise(heading);
        Section::ALL.into_iter().find(|s| {
            std::iter::once(s.name())
                .chain(s.aliases().iter().copied())
                .any(|n| normalise(n) == key)
        })
    }
}

/// One section of a team's narrative.
#[derive(Clone, Debug, PartialEq)]
pub struct NarrativeSection {
    /// The heading as the team wrote it (its first row's Section cell).
    pub heading: Val<String>,
    /// The known section it is; `None` for a section of the team's own.
    pub kind: Option<Section>,
    /// The paragraphs, in order.
    pub paragraphs: Vec<Val<String>>,
}

impl NarrativeSection {
    /// The heading the document prints: the known section's name, else the team's.
    pub fn title(&self) -> &str {
        match self.kind {
            Some(kind) => kind.name(),
            None => &self.heading.value,
        }
    }

    /// How many words the section's paragraphs hold.
    pub fn words(&self) -> usize {
        self.paragraphs
            .iter()
            .map(|p| p.value.split_whitespace().count())
            .sum()
    }
}

/// Orders sections as the document reads them: the known sections in their
/// order, then the team's own in the order they came.
pub fn in_reading_order(mut sections: Vec<NarrativeSection>) -> Vec<NarrativeSection> {
    // Stable: the team's own sections keep their order.
    sections.sort_by_key(|s| s.kind.map_or(usize::MAX, |k| k as usize));
    sections
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_match_names_and_aliases() {
        assert_eq!(Section::parse("Lessons learned:"), Some(Section::Lessons));
        assert_eq!(Section::parse("10×"), Some(Section::TenX));
        assert_eq!(Section::parse("last_year"), Some(Section::LastYear));
        assert_eq!(Section::parse("Press Release"), Some(Section::TenX));
        assert_eq!(Section::parse("Hiring"), None);
    }
}
