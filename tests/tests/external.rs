//! The generator used from another repository: a crate generated with the library's `Builder`
//! into a folder outside this workspace, with the runtime dependency the caller chose, next to a
//! small user project that depends on it. The project is built and run with cargo, as a team
//! would in its own repository.

use std::path::Path;
use std::process::Command;

use codegen::{Builder, RuntimeDep};
use integration_tests::workspace_root;

const MAIN: &str = r#"
use appflow::operation::describe_connector::{DescribeConnector, DescribeConnectorInput};
use appflow::runtime::{Credentials, Operation};
use appflow::types::ConnectorType;

fn main() {
    let input = DescribeConnectorInput::builder().connector_type(ConnectorType::Salesforce).build().unwrap();
    let request = DescribeConnector::serialize_request(&input).unwrap();
    println!("{} {} {}", request.method(), request.uri(), String::from_utf8_lossy(request.body()));
    let client = appflow::Client::builder()
        .region("eu-west-1")
        .credentials(Credentials::new("AKIDEXAMPLE", "secret", None))
        .build()
        .unwrap();
    println!("{}", client.core().endpoint());
}
"#;

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn a_crate_generated_elsewhere_builds_and_runs_in_a_user_project() {
    let root = workspace_root();
    let dir = std::env::temp_dir().join(format!("awsgen-external-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    assert!(!dir.starts_with(&root), "the folder must be outside the workspace");

    // The caller picks the runtime dependency: here an absolute path to this checkout's.
    let runtime = root.join("runtime").canonicalize().unwrap();
    let builder = || {
        Builder::new()
            .model(root.join("model/appflow.json"))
            .service("com.amazonaws.appflow#SandstoneConfigurationServiceLambda")
            .operations(["DescribeConnector"])
            .crate_name("appflow")
            .runtime(RuntimeDep::Path(runtime.display().to_string()))
            .out_dir(dir.join("appflow"))
    };
    let out = builder().generate().unwrap_or_else(|e| panic!("{e}"));
    assert!(out.changes.added.contains(&"Cargo.toml".to_string()), "{:?}", out.changes);
    let manifest = std::fs::read_to_string(dir.join("appflow/Cargo.toml")).unwrap();
    assert!(
        manifest
            .contains(&format!("awsgen-runtime = {{ default-features = false, path = \"{}\" }}", runtime.display())),
        "{manifest}"
    );

    // Generating again writes nothing.
    let again = builder().generate().unwrap();
    assert!(again.changes.is_empty(), "{:?}", again.changes);

    write(
        &dir.join("user/Cargo.toml"),
        "[package]\nname = \"user\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\nappflow = { path = \"../appflow\" }\n\n[workspace]\n",
    );
    write(&dir.join("user/src/main.rs"), MAIN);
    // The workspace's lock file pins the same dependency versions, so the build reuses what the
    // other tests compiled into the shared target folder.
    std::fs::copy(root.join("Cargo.lock"), dir.join("user/Cargo.lock")).unwrap();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let run = Command::new(cargo)
        .args(["run", "--quiet", "--manifest-path"])
        .arg(dir.join("user/Cargo.toml"))
        .arg("--target-dir")
        .arg(root.join("target/compliance/target"))
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "the user project failed:\n{stdout}\n{}", String::from_utf8_lossy(&run.stderr));
    assert_eq!(
        stdout,
        "POST /describe-connector {\"connectorType\":\"Salesforce\"}\nhttps://appflow.eu-west-1.amazonaws.com/\n"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
