//! The crates generated from the snapshot fixtures (codegen/tests/fixtures/ok) compile, with
//! clippy warnings denied: the snapshots are not just text, they build.

use std::process::Command;

use integration_tests::workspace_root;

#[test]
fn fixture_crates_pass_clippy() {
    let root = workspace_root();
    let fixtures = root.join("codegen/tests/fixtures/ok");
    let out = root.join("target/fixture-crates");
    let _ = std::fs::remove_dir_all(&out);
    let mut members = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(&fixtures).unwrap().flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let config = codegen::Config {
            model: name.clone(),
            service: None,
            operations: Vec::new(),
            krate: codegen::config::CrateConfig {
                name: format!("fixture-{name}"),
                version: "0.1.0".into(),
                runtime: codegen::ir::RuntimeDep::Path("../../../runtime".into()),
                standalone: false,
            },
        };
        let generated = codegen::generate(&[codegen::Input { name: &name, text: &text }], &config)
            .unwrap_or_else(|d| panic!("{name}: {d}"));
        for (rel, content) in &generated.files.0 {
            let p = out.join(&name).join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, content).unwrap();
        }
        members.push(format!("\"{name}\""));
    }
    // The client context parameters' builder methods reach the endpoint rules.
    std::fs::write(out.join("context_params/tests/builder.rs"), CONTEXT_PARAMS_TEST).unwrap();
    std::fs::write(
        out.join("Cargo.toml"),
        format!("[workspace]\nresolver = \"2\"\nmembers = [{}]\n", members.join(", ")),
    )
    .unwrap();
    std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock")).unwrap();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args(["clippy", "--quiet", "--workspace", "--manifest-path"])
        .arg(out.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(root.join("target/compliance/target"))
        .args(["--", "-D", "warnings"])
        .status()
        .expect("cargo runs");
    assert!(status.success(), "the generated fixture crates do not pass clippy (see the output above)");
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["test", "--quiet", "-p", "fixture-context_params", "--manifest-path"])
        .arg(out.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(root.join("target/compliance/target"))
        .status()
        .expect("cargo runs");
    assert!(status.success(), "the context_params fixture's tests fail (see the output above)");
}

const CONTEXT_PARAMS_TEST: &str = r#"
use fixture_context_params::{Client, ClientContextParams};
use fixture_context_params::runtime::Credentials;

fn builder() -> fixture_context_params::runtime::client::ClientBuilder<Client> {
    Client::builder().region("us-west-2").credentials(Credentials::new("AKID", "secret", None))
}

#[test]
fn typed_builder_methods_set_the_endpoint_rules_parameters() {
    let endpoint = |b: fixture_context_params::runtime::client::ClientBuilder<Client>| b.build().unwrap().core().endpoint().to_string();
    assert_eq!(endpoint(builder()), "https://service.us-west-2.example.com/");
    assert_eq!(endpoint(builder().force_path_style(true)), "https://path.us-west-2.example.com/");
    assert_eq!(endpoint(builder().stage("beta")), "https://beta.us-west-2.example.com/");
    assert_eq!(endpoint(builder().force_path_style(false).stage("gamma").retry_param(true)), "https://gamma.us-west-2.example.com/");
}
"#;
