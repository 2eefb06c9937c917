//! The example command line with a role profile: `--profile dev` names a role assumed through
//! STS (a local server) with the keys of its source profile, and the call is signed with the
//! role's credentials. Its own test binary, since it sets process variables.

use std::sync::Arc;

use awsgen_runtime::Credentials;
use integration_tests::appflow_data::DESCRIBE_CONNECTOR_RESPONSE;
use integration_tests::stub::{assume_role_response, serve_with, Received, Reply, Stub};

#[tokio::test]
async fn the_command_line_assumes_the_role_of_a_profile() {
    let role = Credentials::new("ASIAROLE", "role-secret", Some("role-token".into()));
    let appflow = Stub::start(vec![Reply::json(200, DESCRIBE_CONNECTOR_RESPONSE)], role, "eu-west-3", "appflow").await;
    let (sts, sts_log) = serve_with(Arc::new(|r: &Received| {
        if r.header("authorization").is_some_and(|a| a.contains("Credential=AKIDBASE/")) {
            assume_role_response("ASIAROLE", "role-secret", "role-token", "210987654321")
        } else {
            Reply::Respond { status: 403, headers: Vec::new(), body: "<ErrorResponse/>".into() }
        }
    }))
    .await;
    let dir = std::env::temp_dir().join(format!("awsgen-cli-role-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("config"),
        format!(
            "[profile dev]\nregion = eu-west-3\nendpoint_url = {}\nrole_arn = arn:aws:iam::210987654321:role/r\n\
             source_profile = base\n\n[profile base]\nregion = eu-west-3\n",
            appflow.url
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("credentials"),
        "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n",
    )
    .unwrap();
    for k in ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_PROFILE"] {
        std::env::remove_var(k);
    }
    std::env::set_var("AWS_CONFIG_FILE", dir.join("config"));
    std::env::set_var("AWS_SHARED_CREDENTIALS_FILE", dir.join("credentials"));
    std::env::set_var("AWS_ENDPOINT_URL_STS", &sts);
    std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");
    let args: Vec<String> = ["--profile", "dev", "describe-connector", "-"].iter().map(|s| s.to_string()).collect();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code =
        integration_tests::cli::run(&args, &mut r#"{"connectorType": "Salesforce"}"#.as_bytes(), &mut out, &mut err)
            .await;
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&err));
    assert_eq!(sts_log.lock().unwrap().len(), 1, "one AssumeRole");
    let r = &appflow.received()[0];
    assert!(r.signature_ok, "signed with the role's credentials");
    assert_eq!(r.header("x-amz-security-token"), Some("role-token"));
    std::fs::remove_dir_all(&dir).unwrap();
}
