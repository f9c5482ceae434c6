//! The portfolio choice against brute force: on small random rounds (cases,
//! decisions, groups, caps, a headcount cap) `optimal` funds exactly the
//! most uplift any feasible set funds, and both methods honour every limit.

use super::*;

/// A small deterministic generator (xorshift), so a failure replays.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn amount(&mut self, lo: u64, hi: u64) -> f64 {
        (lo + self.below(hi - lo + 1)) as f64
    }
}

const ORGS: [&str; 3] = ["Consumer/Payments", "Consumer/Growth", "Platform/Data"];

fn random_round(rng: &mut Rng) -> (Vec<Case>, Limits) {
    let n = 2 + rng.below(9) as usize;
    let cases: Vec<Case> = (0..n)
        .map(|i| Case {
            team: format!("T{i:02}"),
            org: ORGS[rng.below(3) as usize].to_string(),
            cost: rng.amount(1, 40) * 10_000.0,
            heads: rng.amount(0, 6),
            uplift: rng.amount(1, 90) * 10_000.0,
        })
        .collect();
    let mut limits = Limits {
        envelope: rng.amount(0, 150) * 10_000.0,
        ..Limits::default()
    };
    if rng.below(2) == 0 {
        limits
            .caps
            .insert("Consumer".into(), rng.amount(0, 60) * 10_000.0);
    }
    if rng.below(3) == 0 {
        limits.headcount_cap = Some(rng.amount(0, 15));
    }
    for i in 0..n {
        match rng.below(8) {
            0 => {
                limits.decided.insert(i, Decided::Fund);
            }
            1 => {
                limits.decided.insert(i, Decided::Cut);
            }
            _ => {}
        }
    }
    if n >= 4 && rng.below(2) == 0 {
        let a = rng.below(n as u64) as usize;
        let b = (a + 1 + rng.below(n as u64 - 1) as usize) % n;
        limits.groups.push(vec![a, b]);
    }
    (cases, limits)
}

/// Every set of cases that honours the decisions and the groups, and fits
/// every limit once the forced cases are taken: the most uplift among them.
fn brute_force_best(cases: &[Case], limits: &Limits) -> f64 {
    let n = cases.len();
    let in_group_with = |set: u32, i: usize| {
        limits
            .groups
            .iter()
            .filter(|g| g.contains(&i))
            .all(|g| g.iter().all(|&j| (set >> j) & 1 == (set >> i) & 1))
    };
    let cut_in_group = |i: usize| {
        limits.decided.get(&i) == Some(&Decided::Cut)
            || limits.groups.iter().any(|g| {
                g.contains(&i)
                    && g.iter()
                        .any(|j| limits.decided.get(j) == Some(&Decided::Cut))
            })
    };
    let forced = |i: usize| {
        !cut_in_group(i)
            && (limits.decided.get(&i) == Some(&Decided::Fund)
                || limits.groups.iter().any(|g| {
                    g.contains(&i)
                        && g.iter()
                            .any(|j| limits.decided.get(j) == Some(&Decided::Fund))
                }))
    };
    let spend = |set: u32, pick: &dyn Fn(usize) -> bool| -> (f64, f64, f64) {
        let (mut cost, mut heads, mut consumer) = (0.0, 0.0, 0.0);
        for i in (0..n).filter(|&i| (set >> i) & 1 == 1 && pick(i)) {
            cost += cases[i].cost;
            heads += cases[i].heads;
            if org_under(&cases[i].org, "Consumer") {
                consumer += cases[i].cost;
            }
        }
        (cost, heads, consumer)
    };
    let mut best = 0.0_f64;
    for set in 0..(1u32 << n) {
        let ok = (0..n).all(|i| {
            let inside = (set >> i) & 1 == 1;
            in_group_with(set, i) && (!forced(i) || inside) && (!cut_in_group(i) || !inside)
        });
        if !ok {
            continue;
        }
        // The free cases must fit what the forced ones leave.
        let (fc, fh, fcons) = spend(set, &|i| forced(i));
        let (c, h, cons) = spend(set, &|i| !forced(i));
        let fits = c <= limits.envelope - fc + SLACK
            && limits
                .caps
                .get("Consumer")
                .is_none_or(|cap| cons <= cap - fcons + SLACK)
            && limits.headcount_cap.is_none_or(|cap| h <= cap - fh + SLACK);
        if fits {
            let uplift: f64 = (0..n)
                .filter(|&i| (set >> i) & 1 == 1 && !forced(i))
                .map(|i| cases[i].uplift)
                .sum();
            best = best.max(uplift);
        }
    }
    best
}

/// The uplift of the undecided funded cases (what both methods choose among).
fn free_uplift(cases: &[Case], choice: &Choice) -> f64 {
    (0..cases.len())
        .filter(|&i| choice.funded[i] && !matches!(choice.why[i], Why::Decided(_)))
        .map(|i| cases[i].uplift)
        .sum()
}

fn honours_every_limit(cases: &[Case], limits: &Limits, choice: &Choice) {
    for g in &limits.groups {
        assert!(
            g.iter().all(|&i| choice.funded[i] == choice.funded[g[0]]),
            "group {g:?} split"
        );
    }
    for (i, d) in &limits.decided {
        let cut = *d == Decided::Cut;
        let grouped_cut = limits.groups.iter().any(|g| {
            g.contains(i)
                && g.iter()
                    .any(|j| limits.decided.get(j) == Some(&Decided::Cut))
        });
        if cut || grouped_cut {
            assert!(!choice.funded[*i], "a cut case {i} is funded");
        } else {
            assert!(choice.funded[*i], "a case decided fund ({i}) is not funded");
        }
    }
    let free = |i: usize| choice.funded[i] && !matches!(choice.why[i], Why::Decided(_));
    let forced = |i: usize| choice.funded[i] && matches!(choice.why[i], Why::Decided(_));
    let sum = |pick: &dyn Fn(usize) -> bool, of: &dyn Fn(&Case) -> f64| -> f64 {
        (0..cases.len())
            .filter(|&i| pick(i))
            .map(|i| of(&cases[i]))
            .sum()
    };
    let cost = |c: &Case| c.cost;
    assert!(
        sum(&free, &cost) <= (limits.envelope - sum(&forced, &cost)).max(0.0) + SLACK,
        "over the envelope"
    );
    if let Some(cap) = limits.caps.get("Consumer") {
        let consumer = |c: &Case| {
            if org_under(&c.org, "Consumer") {
                c.cost
            } else {
                0.0
            }
        };
        assert!(sum(&free, &consumer) <= (cap - sum(&forced, &consumer)).max(0.0) + SLACK);
    }
    if let Some(cap) = limits.headcount_cap {
        let heads = |c: &Case| c.heads;
        assert!(sum(&free, &heads) <= (cap - sum(&forced, &heads)).max(0.0) + SLACK);
    }
}

#[test]
fn optimal_funds_exactly_the_most_uplift_brute_force_finds() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for round in 0..3_000 {
        let (cases, limits) = random_round(&mut rng);
        let best = brute_force_best(&cases, &limits);
        let optimal = choose(&cases, &limits, Method::Optimal);
        assert!(optimal.proven);
        let got = free_uplift(&cases, &optimal);
        assert!(
            (got - best).abs() < 1e-6,
            "round {round}: optimal {got}, brute force {best}\n{cases:?}\n{limits:?}"
        );
        honours_every_limit(&cases, &limits, &optimal);
        let ranked = choose(&cases, &limits, Method::Ranked);
        honours_every_limit(&cases, &limits, &ranked);
        assert!(free_uplift(&cases, &ranked) <= best + 1e-6);
        assert!((optimal.ranked_uplift - ranked.uplift).abs() < 1e-6);
    }
}

#[test]
fn ranked_takes_the_cases_by_roi_while_they_fit_and_says_why() {
    let case = |team: &str, org: &str, cost: f64, uplift: f64| Case {
        team: team.into(),
        org: org.into(),
        cost,
        heads: 1.0,
        uplift,
    };
    let cases = [
        case("A", "Consumer/Payments", 100.0, 500.0), // ROI 5
        case("B", "Consumer/Growth", 100.0, 400.0),   // ROI 4, capped out
        case("C", "Platform/Data", 300.0, 900.0),     // ROI 3, does not fit
        case("D", "Platform/Data", 50.0, 50.0),       // ROI 1, fits
    ];
    let limits = Limits {
        envelope: 300.0,
        caps: [("Consumer".to_string(), 150.0)].into(),
        ..Limits::default()
    };
    let ranked = choose(&cases, &limits, Method::Ranked);
    assert_eq!(ranked.funded, [true, false, false, true]);
    assert_eq!(
        ranked.why,
        [
            Why::RankedFits,
            Why::CapReached("Consumer".into()),
            Why::DoesNotFit,
            Why::RankedFits
        ]
    );
    // Optimal sees that C alone (900) beats A + D (550) within 300.
    let optimal = choose(&cases, &limits, Method::Optimal);
    assert_eq!(optimal.funded, [false, false, true, false]);
    assert_eq!((optimal.uplift, optimal.ranked_uplift), (900.0, 550.0));
}

#[test]
fn decisions_and_groups_come_before_the_ranking() {
    let case = |team: &str, cost: f64, uplift: f64| Case {
        team: team.into(),
        org: "Org".into(),
        cost,
        heads: 0.0,
        uplift,
    };
    let cases = [
        case("A", 100.0, 1000.0),
        case("B", 80.0, 10.0),
        case("C", 50.0, 60.0),
        case("D", 40.0, 30.0),
    ];
    let limits = Limits {
        envelope: 100.0,
        decided: [(0, Decided::Cut), (1, Decided::Fund)].into(),
        groups: vec![vec![2, 3]],
        ..Limits::default()
    };
    let ranked = choose(&cases, &limits, Method::Ranked);
    // B is forced (80 of 100), A cut; C + D (90) no longer fit together.
    assert_eq!(ranked.funded, [false, true, false, false]);
    assert_eq!(ranked.why[0], Why::Decided(Decided::Cut));
    assert_eq!(ranked.why[2], Why::DoesNotFit);
    assert_eq!(ranked.partners[2], ["D"]);
    assert_eq!(ranked.forced_excess, 0.0);
    let over = Limits {
        envelope: 50.0,
        ..limits
    };
    assert_eq!(choose(&cases, &over, Method::Ranked).forced_excess, 30.0);
}

#[test]
fn an_org_cap_counts_whole_segments_of_the_org_path() {
    assert!(org_under("Consumer/Payments", "consumer"));
    assert!(org_under("Consumer", "Consumer"));
    assert!(!org_under("Consumers/Payments", "Consumer"));
    assert!(!org_under("Platform", ""));
}

#[test]
fn a_share_decided_in_the_room_spends_and_buys_that_share() {
    let case = |team: &str, cost: f64, uplift: f64| Case {
        team: team.into(),
        org: "Org".into(),
        cost,
        heads: 4.0,
        uplift,
    };
    let cases = [case("A", 400.0, 500.0), case("B", 110.0, 165.0)];
    let limits = Limits {
        envelope: 300.0,
        decided: [(0, Decided::Fraction(0.5))].into(),
        ..Limits::default()
    };
    for method in [Method::Ranked, Method::Optimal] {
        let choice = choose(&cases, &limits, method);
        // A at half: 200 of 400, forced; B (110) fits the 100 left? No.
        assert_eq!(choice.fraction, [0.5, 0.0], "{method:?}");
        assert_eq!(choice.why[0], Why::Decided(Decided::Fraction(0.5)));
        assert_eq!(choice.why[1], Why::DoesNotFit);
        assert_eq!(choice.uplift, 250.0);
    }
}
