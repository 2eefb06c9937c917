//! The example command line with `--profile`: region, endpoint and keys from the shared config
//! files, as the AWS CLI reads them. Its own test binary, since it sets process variables.

use awsgen_runtime::Credentials;
use integration_tests::appflow_data::DESCRIBE_CONNECTOR_RESPONSE;
use integration_tests::stub::{Reply, Stub};

#[tokio::test]
async fn the_command_line_takes_region_endpoint_and_keys_from_a_profile() {
    let creds = Credentials::new("AKIDPROFILE", "profile-secret", None);
    let stub = Stub::start(vec![Reply::json(200, DESCRIBE_CONNECTOR_RESPONSE)], creds, "eu-west-3", "appflow").await;
    let dir = std::env::temp_dir().join(format!("awsgen-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config"), format!("[profile cli]\nregion = eu-west-3\nendpoint_url = {}\n", stub.url))
        .unwrap();
    std::fs::write(
        dir.join("credentials"),
        "[cli]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = profile-secret\n",
    )
    .unwrap();
    for k in ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_PROFILE"] {
        std::env::remove_var(k);
    }
    std::env::set_var("AWS_CONFIG_FILE", dir.join("config"));
    std::env::set_var("AWS_SHARED_CREDENTIALS_FILE", dir.join("credentials"));
    let args: Vec<String> = ["--profile", "cli", "describe-connector", "-"].iter().map(|s| s.to_string()).collect();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let input = r#"{"connectorType": "Salesforce"}"#;
    let code = integration_tests::cli::run(&args, &mut input.as_bytes(), &mut out, &mut err).await;
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&err));
    let r = &stub.received()[0];
    assert!(r.signature_ok, "signed with the profile's keys for its region");
    assert!(
        r.header("authorization").unwrap().contains("AKIDPROFILE/")
            && r.header("authorization").unwrap().contains("/eu-west-3/")
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
