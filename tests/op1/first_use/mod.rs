//! What new users hit when they first tried op1, each test named after
//! what broke: the first trial's round walked from its first `op1 check` to
//! a clean `op1 pack` by following only op1's messages ([`trial`], issue
//! 12), and what later new users ran into ([`regressions`]). A new user's
//! report becomes a test in `regressions`.

mod regressions;
mod trial;
