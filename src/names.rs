//! How names are matched: sheet and column headers, labels, metrics, teams
//! and resources all compare by one normal form, and every did-you-mean
//! finds the closest name the same way.

/// A header or label reduced to what matters for matching: lower case, with
/// spaces, underscores, hyphens, dots and a trailing colon removed.
/// `" LY_Actual: "` and `"ly actual"` both become `"lyactual"`.
pub(crate) fn normalise(name: &str) -> String {
    let trimmed = name.trim().trim_end_matches(':');
    // Most names are ASCII: a byte loop, about 2% of a pack's time otherwise.
    if trimmed.is_ascii() {
        let mut key = String::with_capacity(trimmed.len());
        key.extend(
            trimmed
                .bytes()
                .filter(|b| !matches!(b, b' ' | b'_' | b'-' | b'.' | b'\t' | b'\n' | b'\r'))
                .map(|b| char::from(b.to_ascii_lowercase())),
        );
        return key;
    }
    normalise_chars(trimmed)
}

/// An org path (`Consumer/Payments`, or a prefix of one) as names are
/// compared: each `/`-separated segment normalised, empty ones dropped, so
/// `consumer / payments` is the same path.
pub(crate) fn org_segments(path: &str) -> Vec<String> {
    path.split('/')
        .map(normalise)
        .filter(|s| !s.is_empty())
        .collect()
}
/// [`normalise`] of any text, `char` by `char`: in Unicode's composed form
/// (NFC: `Zürich` typed as `u` + combining diaeresis is `Zürich`), without
/// the characters that draw nothing (a zero-width space, a bidi mark).
fn normalise_chars(trimmed: &str) -> String {
    as_seen(trimmed)
        .filter(|c| !matches!(c, ' ' | '_' | '-' | '.' | '\u{a0}' | '\t' | '\n' | '\r'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The characters of `text` as a reader sees them: in Unicode's composed
/// form (NFC), without those that draw nothing ([`is_invisible`]).
pub(crate) fn as_seen(text: &str) -> impl Iterator<Item = char> + '_ {
    use unicode_normalization::UnicodeNormalization;
    text.chars().filter(|c| !is_invisible(*c)).nfc()
}

/// Whether `c` draws nothing: Unicode's default-ignorable code points (zero
/// widths, joiners, bidi marks and overrides, variation selectors, the
/// byte-order mark, tags) and the soft hyphen.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{ad}'
            | '\u{34f}'
            | '\u{61c}'
            | '\u{115f}'..='\u{1160}'
            | '\u{17b4}'..='\u{17b5}'
            | '\u{180b}'..='\u{180f}'
            | '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{206f}'
            | '\u{3164}'
            | '\u{fe00}'..='\u{fe0f}'
            | '\u{feff}'
            | '\u{ffa0}'
            | '\u{fff0}'..='\u{fff8}'
            | '\u{1bca0}'..='\u{1bca3}'
            | '\u{1d173}'..='\u{1d17a}'
            | '\u{e0000}'..='\u{e0fff}'
    )
}

/// The form two names share when a reader could take one for the other
/// (Unicode's confusable skeleton, UTS 39, of the [`normalise`]d name):
/// `Pаyments` with a Cyrillic `а` and `Payments` have the same.
pub(crate) fn skeleton(name: &str) -> String {
    unicode_security::confusable_detection::skeleton(&normalise(name)).collect()
}

/// How alike two normalised names must be (Jaro-Winkler) to suggest one
/// for the other.
const ALIKE: f64 = 0.85;

/// The candidate `name` was most likely meant to be, if one is close:
/// compared in normal form, by Jaro-Winkler similarity (which favours a
/// shared beginning, as abbreviations have: `LY Tgt` → `LY Target`), or one
/// name containing the other (`Growth Team` → `Growth`).
pub(crate) fn closest<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let key = normalise(name);
    if key.is_empty() {
        return None;
    }
    candidates
        .into_iter()
        .filter_map(|c| {
            let other = normalise(c);
            if other.is_empty() || other == key {
                return None;
            }
            let contains = other.contains(&key) || key.contains(&other);
            let score = strsim::jaro_winkler(&key, &other).max(if contains { 0.9 } else { 0.0 });
            (score >= ALIKE).then_some((score, c))
        })
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// The longest stem [`file_stem`] makes, in characters.
const MAX_STEM: usize = 60;

/// A file-name stem made from a name a team typed (a team, a metric): lower
/// case ASCII letters and digits (accented Latin letters transliterated:
/// `Logística Zürich` → `logistica-zurich`), anything else a single `-`,
/// trimmed, at most [`MAX_STEM`] characters; where nothing is left, `fallback`
/// — followed by a stable hash of a name written in another script
/// (`データ基盤` → `team-5d41c2`), so each keeps its own file run after run; a name Windows
/// reserves (`con`, `nul`, `com1`, …) gets `-` and the fallback after it. So
/// no team input can name a path outside the output folder (`../x`, `a/b`,
/// control characters) or a file Windows cannot open.
pub(crate) fn file_stem(name: &str, fallback: &str) -> String {
    let mut out = String::new();
    for c in name.to_lowercase().chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if let Some(latin) = transliterate(c) {
            out.push_str(latin);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let mut out: String = out.trim_matches('-').chars().take(MAX_STEM).collect();
    out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        if name.chars().any(char::is_alphanumeric) {
            return format!("{fallback}-{:06x}", fnv1a(name) & 0xff_ffff);
        }
        return fallback.to_string();
    }
    let reserved = matches!(out.as_str(), "con" | "prn" | "aux" | "nul")
        || ((out.starts_with("com") || out.starts_with("lpt"))
            && out.len() == 4
            && out.as_bytes()[3].is_ascii_digit());
    if reserved {
        out = format!("{out}-{fallback}");
    }
    out
}

/// The ASCII letters a lower-case accented Latin letter is written with in
/// a file name.
fn transliterate(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'ç' | 'ć' | 'č' => "c",
        'ď' | 'đ' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
        'ğ' => "g",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => "i",
        'ł' | 'ľ' => "l",
        'ñ' | 'ń' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
        'ř' => "r",
        'ś' | 'š' | 'ş' => "s",
        'ť' | 'ţ' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' => "u",
        'ý' | 'ÿ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'þ' => "th",
        'ð' => "d",
        _ => return None,
    })
}

/// FNV-1a, 64 bits: a hash that is the same on every machine and run.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Hands out distinct stems: the second `payments` is `payments-2`.
#[derive(Debug, Default)]
pub(crate) struct Stems {
    used: std::collections::BTreeSet<String>,
}

impl Stems {
    /// `stem`, or `stem-2`, `stem-3`, … when it was handed out already.
    pub(crate) fn unique(&mut self, stem: &str) -> String {
        if self.used.insert(stem.to_string()) {
            return stem.to_string();
        }
        (2..)
            .map(|i| format!("{stem}-{i}"))
            .find(|s| self.used.insert(s.clone()))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_look_the_same_compare_the_same() {
        // NFC and NFD, a zero-width space, a bidi mark: one name.
        assert_eq!(normalise("Zu\u{308}rich"), normalise("Zürich"));
        assert_eq!(normalise("Pay\u{200b}ments"), normalise("Payments"));
        assert_eq!(normalise("\u{200e}Payments\u{feff}"), normalise("Payments"));
        // A Cyrillic а is another letter, but the same skeleton.
        assert_ne!(normalise("P\u{430}yments"), normalise("Payments"));
        assert_eq!(skeleton("P\u{430}yments"), skeleton("Payments"));
        assert_ne!(skeleton("Payments"), skeleton("Platform"));
    }

    #[test]
    fn stems_from_hostile_names_stay_in_the_folder() {
        for (name, want) in [
            ("Revenue", "revenue"),
            ("Operating cost", "operating-cost"),
            ("../../etc/passwd", "etc-passwd"),
            ("a/b\\c", "a-b-c"),
            ("..", "x"),
            ("", "x"),
            ("\u{0}\u{7}", "x"),
            ("CON", "con-x"),
            ("Logística Zürich", "logistica-zurich"),
            ("Straße Œuvre", "strasse-oeuvre"),
            ("nul", "nul-x"),
            ("COM1", "com1-x"),
            ("Umsatz €", "umsatz"),
            ("決済チーム", "x-82a4b9"),
        ] {
            assert_eq!(file_stem(name, "x"), want, "{name:?}");
        }
        // Another script: a stable stem of its own, never the bare fallback.
        let cjk = file_stem("データ基盤", "team");
        assert!(cjk.starts_with("team-") && cjk.len() == 11, "{cjk}");
        assert_eq!(cjk, file_stem("データ基盤", "team"));
        assert_ne!(cjk, file_stem("物流", "team"));
        let long = file_stem(&"a".repeat(500), "x");
        assert_eq!(long.len(), MAX_STEM);
        let mut stems = Stems::default();
        assert_eq!(stems.unique("payments"), "payments");
        assert_eq!(stems.unique("payments"), "payments-2");
        assert_eq!(stems.unique("payments"), "payments-3");
    }

    #[test]
    fn did_you_mean() {
        let columns = ["LY Target", "LY Actual", "Baseline", "Flat", "Investment"];
        assert_eq!(closest("LY Tgt", columns), Some("LY Target"));
        assert_eq!(closest("Invest.", columns), Some("Investment"));
        assert_eq!(closest("Comments", columns), None);
        assert_eq!(
            closest("Growth Team", ["Growth", "Payments"]),
            Some("Growth")
        );
        assert_eq!(closest("Payments", ["Growth"]), None);
    }

    #[test]
    fn the_ascii_loop_normalises_every_ascii_character_as_the_general_one_does() {
        for b in 0u8..128 {
            let c = char::from(b);
            for name in [format!("A{c}b"), format!("{c}"), format!("x{c}{c}Y:")] {
                let trimmed = name.trim().trim_end_matches(':');
                assert_eq!(normalise(&name), normalise_chars(trimmed), "{name:?}");
            }
        }
    }

    #[test]
    fn header_normalisation() {
        for (raw, want) in [
            ("LY Actual", "lyactual"),
            (" ly_actual ", "lyactual"),
            ("LY-Actual:", "lyactual"),
            ("Fiscal Year:", "fiscalyear"),
            ("Needed by", "neededby"),
            ("P.Y.", "py"),
            ("  Flat\u{a0}", "flat"),
            ("Umsatz_Ü-Quote", "umsatzüquote"),
            ("İncome", "i\u{307}ncome"),
            ("\u{a0}Net.Rev\u{a0}:", "netrev"),
        ] {
            assert_eq!(normalise(raw), want, "{raw:?}");
        }
    }
}
