//! The generated crate's dependency tree stays within `tests/dependency-budget.toml`, and its
//! types-only build (`default-features = false`: no HTTP stack, no async runtime) compiles.

use std::collections::BTreeSet;
use std::process::Command;

use integration_tests::workspace_root;

/// The packages `cargo tree` lists for the generated crate, with `features` as cargo options.
fn packages(features: &[&str]) -> BTreeSet<String> {
    let root = workspace_root();
    let out = Command::new(env!("CARGO"))
        .args(["tree", "-p", "appflow", "-e", "normal", "--prefix", "none", "--offline"])
        .args(features)
        .current_dir(&root)
        .output()
        .expect("cargo runs");
    assert!(out.status.success(), "cargo tree failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        // `name v1.2.3 (path)` and `name v1.2.3 (*)` for a repeat: the package is name and version.
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            Some(format!("{} {}", words.next()?, words.next()?))
        })
        .collect()
}

fn budget(key: &str) -> usize {
    let path = workspace_root().join("tests/dependency-budget.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let table: toml::Table = text.parse().unwrap();
    table[key].as_integer().unwrap_or_else(|| panic!("{key} in {}", path.display())) as usize
}

#[test]
fn the_dependency_tree_stays_within_its_budget() {
    for (key, features) in [("default", &[][..]), ("types-only", &["--no-default-features"][..])] {
        let found = packages(features);
        let allowed = budget(key);
        eprintln!("{key}: {} packages (budget {allowed})", found.len());
        assert!(
            found.len() <= allowed,
            "the generated crate's {key} build now has {} packages, over the {allowed} of \
             tests/dependency-budget.toml:\n{found:#?}",
            found.len()
        );
    }
    let default = packages(&[]);
    let types = packages(&["--no-default-features"]);
    for heavy in ["hyper", "rustls", "tokio", "ring"] {
        assert!(default.iter().any(|p| p.starts_with(&format!("{heavy} "))), "the client needs {heavy}");
        assert!(!types.iter().any(|p| p.starts_with(&format!("{heavy} "))), "types only pulls in {heavy}");
    }
    // No procedural macros by default: they would put syn on every build's critical path.
    for p in ["syn", "serde_derive", "thiserror-impl"] {
        assert!(!default.iter().any(|d| d.starts_with(&format!("{p} "))), "{p} is back in the default build");
    }
}

/// Without warnings: code only the client uses, left in a types-only build, is a warning there
/// that the default build cannot show. (Its own target folder, so the flag rebuilds nothing else.)
#[test]
fn the_types_only_build_compiles_without_warnings() {
    let root = workspace_root();
    let status = Command::new(env!("CARGO"))
        .args(["check", "-p", "appflow", "--no-default-features", "--offline", "--target-dir"])
        .arg(root.join("target/types-only"))
        .env("RUSTFLAGS", "-D warnings")
        .current_dir(&root)
        .status()
        .expect("cargo runs");
    assert!(status.success(), "the types-only build of the generated crate does not compile without warnings");
}
