//! Settings are input too: two thousand generated `op1.toml` files — wrong
//! types, NaN, infinities, negative and absurd amounts, huge arrays,
//! unknown keys, hostile strings — each accepted as valid or refused with an
//! error that names the key, never a panic. And a roster workbook that is
//! itself damaged is a finding, not a crash.

use crate::common;
use crate::common::mutate;
use common::*;
use mutate::Rng;

/// (section, key) pairs of the settings, as a user would write them.
const KEYS: [(&str, &str); 24] = [
    ("", "reporting_currency"),
    ("", "fiscal_year"),
    ("fx", "EUR"),
    ("funding", "budget"),
    ("funding", "objective"),
    ("ambition", "multiple"),
    ("ambition", "years"),
    ("round", "teams"),
    ("round", "roster"),
    ("rules", "asks-count"),
    ("checks", "flat_resources_tolerance"),
    ("checks", "totals_tolerance"),
    ("limits", "max_rows"),
    ("limits", "max_file_mib"),
    ("document", "pages"),
    ("document", "words_per_page"),
    ("document", "paper"),
    ("checkpoint", "green_within"),
    ("checkpoint", "red_beyond"),
    ("checkpoint.phasing", "Revenue"),
    ("diff", "tolerance"),
    ("metrics.\"Revenue\"", "unit"),
    ("metrics.\"Revenue\"", "rollup"),
    ("funding", "budgte"),
];

fn hostile_value(rng: &mut Rng) -> String {
    let long = "x".repeat(100_000);
    let values = [
        "nan".to_string(),
        "inf".into(),
        "-inf".into(),
        "-1".into(),
        "0".into(),
        "1e300".into(),
        "9223372036854775807".into(),
        "-9223372036854775808".into(),
        "\"\"".into(),
        "\"USD\"".into(),
        format!("\"{long}\""),
        "\"\\u0000../../etc/passwd\"".into(),
        "true".into(),
        "[]".into(),
        format!("[{}]", ["0.25"; 4].join(",")),
        format!("[{}]", vec!["0.1"; 20_000].join(",")),
        "{}".into(),
        "0.5".into(),
        "2027".into(),
        "\"weighted by Revenue\"".into(),
        "\"weighted by Itself\"".into(),
    ];
    values[rng.below(values.len())].clone()
}

#[test]
fn thousands_of_hostile_settings_are_valid_or_refused_naming_the_key() {
    let mut rng = Rng::new(16);
    let (mut accepted, mut refused) = (0, 0);
    for case in 0..2_000 {
        let (section, key) = KEYS[rng.below(KEYS.len())];
        let value = hostile_value(&mut rng);
        let text = if section.is_empty() {
            format!("{key} = {value}\n")
        } else {
            format!("[{section}]\n{key} = {value}\n")
        };
        let parsed = op1::contain::contained(|| op1::settings::Settings::parse(&text))
            .unwrap_or_else(|p| {
                panic!("case {case}: settings `{section}.{key} = …` panicked: {p}")
            });
        match parsed {
            Ok(_) => accepted += 1,
            Err(e) => {
                refused += 1;
                let message = e.to_string();
                let leaf = key.trim_matches('"');
                assert!(
                    message.contains(leaf)
                        || message.contains(section.trim_matches('"')) && !section.is_empty(),
                    "case {case}: the error does not name `{section}.{key}`:\n{}",
                    &message[..message.len().min(400)]
                );
            }
        }
    }
    assert!(
        accepted > 100 && refused > 700,
        "{accepted} accepted, {refused} refused"
    );
}

#[test]
fn a_damaged_roster_workbook_is_a_finding_not_a_crash() {
    let (_tmp, round) = copy_fixture("model-round");
    // The roster: a team workbook's bytes, damaged.
    let bytes = std::fs::read(round.join("alpha.xlsx")).unwrap();
    for seed in 0..20 {
        let damaged = mutate::mutate(&bytes, "xlsx", seed).bytes;
        std::fs::write(round.join("roster.xlsx"), &damaged).unwrap();
        std::fs::write(
            round.join("op1.toml"),
            "reporting_currency = \"USD\"\n[round]\nroster = \"roster.xlsx\"\n",
        )
        .unwrap();
        let out = op1(&round, &["check", "."]);
        assert!(
            matches!(out.code, 0..=2),
            "seed {seed}: {}",
            out.transcript()
        );
        assert!(
            !out.stderr.contains("panicked") && !out.stderr.contains("internal error"),
            "seed {seed}: {}",
            out.transcript()
        );
    }
}
