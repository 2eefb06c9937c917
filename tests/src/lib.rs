//! Support for the cross-crate tests in `tests/`: locating `../shared`, and the protocol
//! compliance harness.
//!
//! The project README is included below so that its examples are compiled as doctests.
#![doc = include_str!("../../README.md")]

pub mod appflow_data;
pub mod cli;
pub mod compliance;
pub mod examples;
pub mod sdk;
pub mod stub;

use std::path::{Path, PathBuf};

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ is in the workspace").to_path_buf()
}

/// `../shared` beside the checkout. When it is missing, tests that need it fail with a clear
/// message under CI (`CI` set) and are skipped with a note otherwise.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = workspace_root().join("../shared");
    if dir.join("models/appflow.json").is_file() {
        return Some(dir.canonicalize().unwrap_or(dir));
    }
    if std::env::var_os("CI").is_some() {
        panic!(
            "this test needs the shared reference data at {} (models/, protocol-tests/, aws-models/), \
             which CI provides beside the checkout; it was not found",
            dir.display()
        );
    }
    eprintln!("note: {} not found; skipping a test that needs it", dir.display());
    None
}
