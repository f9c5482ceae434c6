//! Faults injected on purpose, in debug builds only, so that tests can
//! reach the paths real faults take: `OP1_FAULT=<point>:<subject>` (e.g.
//! `read-panic:alpha.xlsx`) makes op1 panic at that point for that subject.
//! Release builds ignore the variable: the check compiles to nothing.

/// Panics when the run was asked to fail at `point` for `subject` (a debug
/// build with `OP1_FAULT=<point>:<subject>`; the subject matches a path's end).
pub(crate) fn inject(point: &str, subject: &str) {
    if !cfg!(debug_assertions) {
        return;
    }
    let Some(asked) = std::env::var_os("OP1_FAULT") else {
        return;
    };
    let asked = asked.to_string_lossy();
    if let Some((p, s)) = asked.split_once(':') {
        if p == point && !s.is_empty() && subject.ends_with(s) {
            panic!("fault injected at {point} for {subject} (OP1_FAULT)");
        }
    }
}
