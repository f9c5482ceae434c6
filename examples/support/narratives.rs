//! Narratives for the generated teams (the `Narrative` sheet, contract v2):
//! the six-pager's sections, written from the team's own numbers, asks and
//! risks so that the round document reads like a real round. Included by
//! `make_round.rs` as a child module.

use super::{Metric, Rng, Team};

/// How much a team writes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Length {
    /// A realistic plan: a few pages.
    Usual,
    /// Well over the round's six-page budget (a `doc-length` warning).
    OverBudget,
    /// No Lessons although targets were missed (a `lessons-missing` warning).
    NoLessons,
    /// With text that must stay text in every output: HTML, Markdown, a
    /// script and an image with an `onerror` handler.
    Hostile,
}

/// A team's narrative: (section, paragraphs) in reading order.
pub(super) fn narrative(team: &Team, rng: &mut Rng, length: Length) -> Vec<(String, Vec<String>)> {
    let mut out = vec![
        ("Purpose".to_string(), purpose(team, rng)),
        ("Tenets".to_string(), tenets(rng)),
        ("Last year".to_string(), last_year(team)),
    ];
    let lessons = lessons(team, rng);
    if !lessons.is_empty() && length != Length::NoLessons {
        out.push(("Lessons".to_string(), lessons));
    }
    out.push(("Plan".to_string(), plan(team, rng)));
    out.push(("10x".to_string(), ten_x(team, rng)));
    out.push(("FAQ".to_string(), faq(team, rng)));
    match length {
        Length::Usual | Length::NoLessons => {}
        Length::OverBudget => {
            out.push(("Appendix: roadmap detail".to_string(), roadmap(team, rng)))
        }
        Length::Hostile => {
            out[0].1.push(HOSTILE_PURPOSE.to_string());
            out.last_mut().unwrap().1.push(HOSTILE_FAQ.to_string());
        }
    }
    out
}

/// Text a browser, a Markdown renderer or Excel would act on if op1 let it.
pub(super) const HOSTILE_PURPOSE: &str = "We write <b>plain</b> text: <script>document.title='pwned by script'</script> and <img src=x onerror=\"document.title='pwned by onerror'\"> must print as typed, as must **not bold**, [a link](http://example.invalid) and | a | table |.";
pub(super) const HOSTILE_FAQ: &str = "Q: What if a cell starts with =? A: =HYPERLINK(\"http://example.invalid\",\"click\") stays text, and so does </section></body>.";

fn purpose(team: &Team, rng: &mut Rng) -> Vec<String> {
    let who = rng.pick(&[
        "the merchants and consumers who move money through us",
        "the customers who depend on us every day",
        "the teams across the company who build on our platform",
        "the sales teams and the customers they win",
    ]);
    let asks: Vec<String> = team.asks.iter().map(|a| a.ask.to_lowercase()).collect();
    let ask = if asks.is_empty() {
        "no new resources".to_string()
    } else {
        asks.join(" and ")
    };
    vec![
        format!(
            "{} serves {who}. This plan sets out what we deliver in FY27 with last year's resources, what significantly more investment would buy, and the decision we ask for: {ask}.",
            team.name
        ),
        format!(
            "We report {} metrics in the round and hold ourselves to {} above all.",
            team.metrics.len(),
            team.metrics.first().map_or("none", |m| m.name.as_str())
        ),
    ]
}

fn tenets(rng: &mut Rng) -> Vec<String> {
    const TENETS: [&str; 8] = [
        "We measure what customers feel, not what is easy to count.",
        "We ship small and often; a slipped date is reported the week we know it.",
        "We fund the work that compounds before the work that shows.",
        "A cost we cannot explain is a cost we cut.",
        "We say no early rather than late.",
        "Security and reliability are features, not taxes.",
        "We write the plan down; a plan that cannot be written is not a plan.",
        "Shared goals have two owners and one number.",
    ];
    rng.pick_n(&TENETS, 4)
        .into_iter()
        .map(|t| t.to_string())
        .collect()
}

fn amount(v: f64, unit: &str) -> String {
    if unit == "%" {
        format!("{:.1}%", v * 100.0)
    } else if v.abs() >= 1e6 {
        format!("{:.1}M {unit}", v / 1e6)
    } else if v.abs() >= 1e3 {
        format!("{:.0}K {unit}", v / 1e3)
    } else {
        format!("{v:.0} {unit}")
    }
}

fn last_year(team: &Team) -> Vec<String> {
    let (hit, missed): (Vec<&Metric>, Vec<&Metric>) =
        team.metrics.iter().partition(|m| !m.missed());
    let mut out = vec![format!(
        "Of our {} targets for last year we hit {} and missed {}.",
        team.metrics.len(),
        hit.len(),
        missed.len()
    )];
    for m in team.metrics.iter() {
        let verb = if m.missed() { "missed" } else { "hit" };
        let why = if m.why.is_empty() {
            String::new()
        } else {
            format!(" {}", m.why)
        };
        out.push(format!(
            "{}: we {verb} the target of {} with {}.{why}",
            m.name,
            amount(m.ly_target, &m.unit),
            amount(m.ly_actual, &m.unit)
        ));
    }
    out
}

fn lessons(team: &Team, rng: &mut Rng) -> Vec<String> {
    team.metrics
        .iter()
        .filter(|m| m.missed())
        .map(|m| {
            let change = rng.pick(&[
                "we now review it weekly, not monthly, and escalate a slip within five days",
                "we set the target from the bottom up with the teams that deliver it",
                "we stage the work so that half of the gain lands in the first half",
                "we track the leading indicator, not only the result",
            ]);
            format!("On {}: {change}.", m.name)
        })
        .collect()
}

fn plan(team: &Team, rng: &mut Rng) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(m) = team.metrics.first() {
        out.push(format!(
            "With flat resources we take {} from {} to {}: {}.",
            m.name,
            amount(m.ly_actual, &m.unit),
            amount(m.flat, &m.unit),
            rng.pick(&[
                "the work already under way, finished",
                "efficiency gains and the renewals we already hold",
                "the roadmap we can staff today",
            ])
        ));
        out.push(format!(
            "With the investment case we take it to {}: the difference is what the asks below buy, and it is the case we ask the round to fund.",
            amount(m.investment, &m.unit)
        ));
    }
    for r in &team.resources {
        if r.investment > r.flat {
            out.push(format!(
                "{}: {} under Flat, {} under Investment.",
                r.name,
                amount(r.flat, ""),
                amount(r.investment, "")
            ));
        }
    }
    out
}

fn ten_x(team: &Team, rng: &mut Rng) -> Vec<String> {
    vec![format!(
        "Press release, FY30: {} today {}. What made it possible was not a bigger team but {}.",
        team.name,
        rng.pick(&[
            "serves ten times the customers at the same cost per customer",
            "runs every workflow without a manual step",
            "is the default choice in every market we enter",
        ]),
        rng.pick(&[
            "a platform other teams build on",
            "removing the three slowest steps of our process",
            "treating every customer complaint as a product bug",
        ])
    )]
}

fn faq(team: &Team, rng: &mut Rng) -> Vec<String> {
    let mut out = vec![format!(
        "Q: What happens if the investment is not funded? A: We deliver the flat plan; the first thing that slips is {}.",
        team.asks
            .first()
            .map_or("nothing we have promised".to_string(), |a| a.if_delayed.to_lowercase())
    )];
    if let Some(r) = team.risks.first() {
        out.push(format!(
            "Q: What is the largest risk? A: {} Our mitigation: {}",
            r.risk, r.mitigation
        ));
    }
    out.push(
        rng.pick(&[
            "Q: Why not do this next year? A: The cost of waiting is the year of compounding we lose.",
            "Q: How will we know by Q2 that it works? A: The leading indicators in the Plan sheet move first.",
        ])
        .to_string(),
    );
    out
}

/// A long appendix: quarter-by-quarter detail that makes the plan run over.
fn roadmap(team: &Team, rng: &mut Rng) -> Vec<String> {
    let mut out = Vec::new();
    for quarter in ["Q1", "Q2", "Q3", "Q4"] {
        for workstream in 0..14 {
            out.push(format!(
                "{quarter}, workstream {}: {} will {} and report progress against the plan in the monthly business review, with the owner named, the date committed, the dependency on other teams written down, the risk to the date assessed, and the fallback agreed before the work starts rather than after it slips.",
                workstream + 1,
                team.name,
                rng.pick(&[
                    "migrate the remaining services to the shared platform",
                    "retire the legacy reporting pipeline",
                    "launch the self-serve onboarding flow",
                    "cut the manual review queue in half",
                    "move the last region onto the new contract",
                ])
            ));
        }
    }
    out
}
