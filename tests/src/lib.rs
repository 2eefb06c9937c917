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

/// The Python of a virtual environment `target/<name>`, created and filled from
/// `requirements` on first use (and again when the file changes). Without Python 3 and its
/// `venv` module the test is skipped with a note, and fails under CI. Tests of one binary that
/// share an environment take turns creating it (`python3 -m venv` run twice at once on one folder
/// fails).
pub fn python_venv(name: &str, requirements: &Path) -> Option<PathBuf> {
    use std::process::Command;
    static CREATING: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _turn = CREATING.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let venv = workspace_root().join("target").join(name);
    let py = venv.join("bin/python");
    let ready = venv.join(".installed");
    let wanted = std::fs::read_to_string(requirements).expect("the requirements file is readable");
    if std::fs::read_to_string(&ready).ok().as_deref() != Some(wanted.as_str()) {
        let made = Command::new("python3").args(["-m", "venv"]).arg(&venv).status();
        if !made.is_ok_and(|s| s.success()) {
            if std::env::var_os("CI").is_some() {
                panic!("python3 -m venv failed: {name} needs Python 3 with venv");
            }
            eprintln!("note: no python3 with venv; skipping a test that needs {name}");
            return None;
        }
        let pip = Command::new(&py)
            .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r"])
            .arg(requirements)
            .status()
            .expect("pip runs");
        assert!(pip.success(), "pip could not install {}", requirements.display());
        std::fs::write(&ready, wanted).expect("target/ is writable");
    }
    Some(py)
}

/// Generates the crate `crate_name` from one model into `dir`, on the workspace's runtime (three
/// folders up: `target/<workspace>/<crate>`), inside an outer workspace; panics on a diagnostic.
pub fn generate_crate(model_name: &str, text: &str, crate_name: &str, dir: &Path) -> codegen::Generated {
    let config = codegen::Config {
        model: model_name.to_string(),
        service: None,
        operations: Vec::new(),
        protocol: None,
        krate: codegen::config::CrateConfig {
            name: crate_name.to_string(),
            version: "0.1.0".into(),
            runtime: codegen::ir::RuntimeDep::Path("../../../runtime".into()),
            standalone: false,
            compile_in_crate: false,
        },
    };
    let generated = codegen::generate(&[codegen::Input { name: model_name, text }], &config)
        .unwrap_or_else(|d| panic!("{model_name}: {d}"));
    for (rel, content) in &generated.files.0 {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().expect("a file in a folder")).expect("target/ is writable");
        std::fs::write(p, content).expect("target/ is writable");
    }
    generated
}

/// Appends a `[dev-dependencies]` section (`lines`, TOML) to a generated crate's manifest.
pub fn add_dev_dependencies(manifest: &Path, lines: &str) {
    let text = std::fs::read_to_string(manifest).expect("the manifest is readable");
    std::fs::write(manifest, format!("{text}\n[dev-dependencies]\n{lines}\n")).expect("target/ is writable");
}
