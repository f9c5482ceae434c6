//! Panics contained. Code op1 drives but does not own — calamine on a
//! damaged file, rust_xlsxwriter on a failed write, Polars — sometimes
//! panics where it should return an error. [`contained`] runs such code and
//! turns a panic into a [`Panicked`] value (its message and where it
//! happened) with nothing printed, so that op1 can say what went wrong in
//! its own words: a damaged file is a finding, a full disk is one line.
//!
//! [`install_hook`] (called once by `main`) makes every other panic one line
//! on stderr instead of a backtrace; `OP1_BACKTRACE=1` restores Rust's own
//! report for debugging.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe, PanicHookInfo};

thread_local! {
    /// How many [`contained`] calls this thread is inside.
    static CONTAINING: Cell<u32> = const { Cell::new(0) };
    /// The last contained panic's message and location on this thread.
    static LAST: RefCell<Option<Panicked>> = const { RefCell::new(None) };
}

/// A panic that was contained.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Panicked {
    /// The panic's message (`assertion `left == right` failed`).
    pub message: String,
    /// Where it happened: `calamine-0.38.0/src/utils.rs:29`.
    pub location: String,
}

impl fmt::Display for Panicked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.location.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{} at {}", self.message, self.location)
        }
    }
}

impl std::error::Error for Panicked {}

/// Runs `f`; a panic inside it comes back as `Err`, printed by nobody.
///
/// # Errors
/// [`Panicked`] when `f` panicked.
///
/// # Examples
/// ```
/// let caught = op1::contain::contained(|| -> u32 { panic!("damaged") });
/// assert_eq!(caught.unwrap_err().message, "damaged");
/// ```
pub fn contained<T>(f: impl FnOnce() -> T) -> Result<T, Panicked> {
    CONTAINING.with(|c| c.set(c.get() + 1));
    let result = catch_unwind(AssertUnwindSafe(f));
    CONTAINING.with(|c| c.set(c.get() - 1));
    result.map_err(|payload| {
        LAST.with(|last| last.borrow_mut().take())
            .unwrap_or_else(|| Panicked {
                message: payload_text(payload.as_ref()),
                location: String::new(),
            })
    })
}

/// Installs the process's panic hook: quiet inside [`contained`] (the panic
/// is recorded for it), one line elsewhere. Idempotent enough to call once
/// from `main`.
pub fn install_hook() {
    let verbose = std::env::var_os("OP1_BACKTRACE").is_some_and(|v| v != "0");
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if CONTAINING.with(Cell::get) > 0 {
            LAST.with(|last| *last.borrow_mut() = Some(describe(info)));
        } else if verbose {
            default(info);
        } else {
            eprintln!(
                "op1: internal error: {}; please report it (OP1_BACKTRACE=1 shows where)",
                describe(info)
            );
        }
    }));
}

fn describe(info: &PanicHookInfo<'_>) -> Panicked {
    Panicked {
        message: payload_text(info.payload()),
        location: info
            .location()
            .map(|l| format!("{}:{}", short_path(l.file()), l.line()))
            .unwrap_or_default(),
    }
}

/// `…/registry/src/index.crates.io-…/calamine-0.38.0/src/utils.rs` →
/// `calamine-0.38.0/src/utils.rs`: the crate and file, not the machine.
fn short_path(file: &str) -> &str {
    match file.rfind("/src/") {
        Some(i) => &file[file[..i].rfind('/').map_or(0, |j| j + 1)..],
        None => file,
    }
}

/// The panic's message on one line (an `assert_eq!` writes three).
fn payload_text(payload: &(dyn std::any::Any + Send)) -> String {
    let text = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_string());
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_contained_panic_comes_back_with_its_message() {
        let caught = contained(|| -> u8 { panic!("left {} right {}", 1, 0) });
        assert_eq!(caught.unwrap_err().message, "left 1 right 0");
        assert_eq!(contained(|| 7), Ok(7));
    }

    #[test]
    fn locations_name_the_crate_and_file() {
        assert_eq!(
            short_path("/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/calamine-0.38.0/src/utils.rs"),
            "calamine-0.38.0/src/utils.rs"
        );
        assert_eq!(short_path("src/read/grid.rs"), "src/read/grid.rs");
    }
}
