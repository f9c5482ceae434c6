//! How op1 writes numbers and names for a person to read, in messages,
//! reports and charts: plurals, quoted lists, clipped text.

/// `1 error`, `2 errors`.
pub fn plural(n: usize, word: &str) -> String {
    format!("{n} {}", plural_word(n, word))
}

/// `error`, `errors`: the word alone, for a count written another way
/// (the charts group its thousands).
pub fn plural_word(n: usize, word: &str) -> String {
    if n == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}

/// `"a", "b", "c"`: names as a message quotes them.
pub fn quoted<S: AsRef<str>>(names: &[S]) -> String {
    names
        .iter()
        .map(|n| format!("\"{}\"", n.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A team's text shortened for a one-line message.
pub fn clip(s: &str) -> String {
    crate::read::table::truncate(s, 60)
}

pub use crate::read::fmt_amount;
