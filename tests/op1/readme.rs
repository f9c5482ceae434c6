//! README shows each command's help exactly as the binary prints it (it
//! went stale once: three commands were missing from `op1 --help`).

use crate::common;
use common::*;

#[test]
fn readme_shows_every_commands_help_as_the_binary_prints_it() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    for command in [
        "",
        "check",
        "pack",
        "checkpoint",
        "diff",
        "feedback",
        "template",
    ] {
        let args: Vec<&str> = [command, "--help"]
            .into_iter()
            .filter(|a| !a.is_empty())
            .collect();
        let out = op1(&root(), &args);
        out.expect_code(0);
        let shown = format!("$ op1 {}\n{}", args.join(" "), out.stdout);
        assert!(
            readme.contains(&shown),
            "README.md's Commands section does not show `op1 {}` as the binary prints it:\n{shown}",
            args.join(" ")
        );
    }
}
