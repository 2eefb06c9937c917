//! The real client against a loopback stub server that verifies the SigV4 signature of every
//! request: success, retries that reuse the idempotency token, throttling, connection resets,
//! timeouts, malformed bodies, unknown and modeled errors, and validation.

use std::time::Duration;

use appflow::operation::update_flow::UpdateFlowError;
use appflow::types::FlowStatus;
use appflow::{Appflow, Client};
use awsgen_runtime::Error;
use awsgen_runtime::{Credentials, RetryConfig};
use integration_tests::appflow_data::*;
use integration_tests::stub::{Reply, Stub};

const REGION: &str = "us-west-2";

fn creds() -> Credentials {
    Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", Some("session-token".into()))
}

async fn setup(script: Vec<Reply>) -> (Stub, Client) {
    let stub = Stub::start(script, creds(), REGION, "appflow").await;
    let client = Client::builder()
        .region(REGION)
        .endpoint_url(&stub.url)
        .credentials(creds())
        .retry(RetryConfig {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(20),
        })
        .attempt_timeout(Some(Duration::from_millis(500)))
        .build()
        .expect("client");
    (stub, client)
}

#[tokio::test]
async fn a_signed_call_returns_the_typed_output() {
    let (stub, client) = setup(vec![Reply::json(200, DESCRIBE_CONNECTOR_RESPONSE)]).await;
    let out = client.describe_connector(describe_connector()).await.expect("success");
    assert!(out.connector_configuration.unwrap().can_use_as_source);
    let reqs = stub.received();
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert!(r.signature_ok, "signature must verify");
    assert_eq!((r.method.as_str(), r.path.as_str()), ("POST", "/describe-connector"));
    assert_eq!(
        r.json(),
        serde_json::json!({"connectorType": "CustomConnector", "connectorLabel": "my_custom_connector"})
    );
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.header("x-amz-security-token"), Some("session-token"));
    assert!(r.header("user-agent").unwrap().starts_with("awsgen/"));
    assert!(r.header("authorization").unwrap().starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"));
    assert!(r.header("authorization").unwrap().contains("/us-west-2/appflow/aws4_request"));
}

#[tokio::test]
async fn a_500_is_retried_with_the_same_idempotency_token() {
    let (stub, client) = setup(vec![
        Reply::error(500, "InternalServerException", "try again"),
        Reply::json(200, r#"{"flowStatus":"Active"}"#),
    ])
    .await;
    let mut input = update_flow_realistic();
    input.client_token = None;
    let out = client.update_flow(input).await.expect("the retry succeeds");
    assert_eq!(out.flow_status, Some(FlowStatus::Active));
    let reqs = stub.received();
    assert_eq!(reqs.len(), 2);
    let tokens: Vec<String> = reqs.iter().map(|r| r.json()["clientToken"].as_str().unwrap().to_string()).collect();
    assert_eq!(tokens[0], tokens[1], "the retry reuses the token");
    assert_eq!(tokens[0].len(), 36, "a UUID");
    assert_eq!(tokens[0].as_bytes()[14], b'4', "version 4");
    assert!(reqs.iter().all(|r| r.signature_ok));
}

#[tokio::test]
async fn throttling_is_retried_up_to_the_limit() {
    let (stub, client) = setup(vec![Reply::error(429, "ThrottlingException", "slow down")]).await;
    let err = client.update_flow(update_flow_minimal()).await.unwrap_err();
    match &err {
        Error::Unhandled(u) => assert_eq!((u.status, u.code.as_deref()), (429, Some("ThrottlingException"))),
        other => panic!("{other:?}"),
    }
    assert!(err.is_retryable());
    assert_eq!(stub.received().len(), 3);
}

#[tokio::test]
async fn a_connection_reset_is_a_transport_error_and_is_retried() {
    let (stub, client) = setup(vec![Reply::Reset, Reply::json(200, r#"{"flowStatus":"Draft"}"#)]).await;
    let out = client.update_flow(update_flow_minimal()).await.expect("the retry succeeds");
    assert_eq!(out.flow_status, Some(FlowStatus::Draft));
    assert_eq!(stub.received().len(), 2);

    let (stub, client) = setup(vec![Reply::Reset]).await;
    let err = client.update_flow(update_flow_minimal()).await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(stub.received().len(), 3);
}

#[tokio::test]
async fn a_server_slower_than_the_timeout_times_out() {
    let (stub, client) =
        setup(vec![Reply::Delay(Duration::from_secs(3), Box::new(Reply::json(200, r#"{"flowStatus":"Active"}"#)))])
            .await;
    let started = std::time::Instant::now();
    let err = client.update_flow(update_flow_minimal()).await.unwrap_err();
    assert!(matches!(err, Error::Timeout(d) if d == Duration::from_millis(500)), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(3), "did not wait for the slow server");
    assert_eq!(stub.received().len(), 3, "timeouts are retried");
}

#[tokio::test]
async fn a_malformed_body_is_a_response_error_and_not_retried() {
    let (stub, client) = setup(vec![Reply::json(200, r#"{"flowStatus": "#)]).await;
    let err = client.update_flow(update_flow_minimal()).await.unwrap_err();
    match &err {
        Error::Response(e) => {
            assert!(e.message.contains("at `flowStatus`") && e.message.contains("at byte 15"), "{}", e.message)
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(stub.received().len(), 1);
}

#[tokio::test]
async fn unknown_and_modeled_client_errors_are_not_retried() {
    let (stub, client) = setup(vec![Reply::error(400, "SomethingNewException", "new")]).await;
    let err = client.update_flow(update_flow_minimal()).await.unwrap_err();
    assert!(matches!(&err, Error::Unhandled(u) if u.code.as_deref() == Some("SomethingNewException")), "{err:?}");
    assert_eq!(stub.received().len(), 1);

    let (stub, client) = setup(vec![Reply::error(409, "ConflictException", "exists")]).await;
    let err = client.update_flow(update_flow_minimal()).await.unwrap_err();
    assert!(
        matches!(&err, Error::Service(UpdateFlowError::ConflictException(e)) if e.message.as_deref() == Some("exists"))
    );
    assert_eq!(stub.received().len(), 1);
}

#[tokio::test]
async fn invalid_input_is_not_sent_unless_validation_is_off() {
    let (stub, client) = setup(vec![Reply::json(200, "{}")]).await;
    let mut input = update_flow_minimal();
    input.flow_name = "no spaces allowed".into();
    let err = client.update_flow(input.clone()).await.unwrap_err();
    assert!(matches!(&err, Error::Validation(v) if v.0[0].path == "flowName"), "{err:?}");
    assert!(stub.received().is_empty());

    let client = Client::builder()
        .region(REGION)
        .endpoint_url(&stub.url)
        .credentials(creds())
        .validation(false)
        .build()
        .unwrap();
    client.update_flow(input).await.expect("sent without validation");
    assert_eq!(stub.received().len(), 1);
}

#[test]
fn the_client_is_configured_from_a_region_and_never_shows_secrets() {
    let client = Client::builder().region("eu-central-1").credentials(creds()).build().unwrap();
    assert_eq!(client.core().endpoint().to_string(), "https://appflow.eu-central-1.amazonaws.com/");
    let shown = format!("{client:?}");
    assert!(
        shown.contains("AKIDEXAMPLE") && !shown.contains("wJalrXUtnFEMI") && !shown.contains("session-token"),
        "{shown}"
    );
    let err = Client::builder().endpoint_url("not a url").region("x").credentials(creds()).build().unwrap_err();
    assert!(err.to_string().contains("not a url"));
}

#[tokio::test]
async fn the_stub_rejects_a_wrong_signature() {
    let (stub, _) = setup(vec![Reply::json(200, "{}")]).await;
    let wrong = Credentials::new("AKIDEXAMPLE", "not-the-secret", Some("session-token".into()));
    let client =
        Client::builder().region(REGION).endpoint_url(&stub.url).credentials(wrong).max_attempts(1).build().unwrap();
    let err = client.update_flow(update_flow_minimal()).await.unwrap_err();
    assert!(matches!(&err, Error::Unhandled(u) if u.status == 403), "{err:?}");
    assert!(!stub.received()[0].signature_ok);
}

async fn run_cli(args: &[&str], stdin: &str) -> (i32, String, String) {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = integration_tests::cli::run(&args, &mut stdin.as_bytes(), &mut out, &mut err).await;
    (code, String::from_utf8(out).unwrap(), String::from_utf8(err).unwrap())
}

#[tokio::test]
async fn the_example_command_line_calls_and_reports_errors() {
    // The command line reads credentials from the environment, like a user's shell would.
    std::env::set_var("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE");
    std::env::set_var("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    std::env::set_var("AWS_SESSION_TOKEN", "session-token");
    let (stub, _) = setup(vec![
        Reply::json(200, DESCRIBE_CONNECTOR_RESPONSE),
        Reply::error(404, "ResourceNotFoundException", "no connector my_custom_connector"),
    ])
    .await;
    let input = r#"{"connectorType": "CustomConnector", "connectorLabel": "my_custom_connector"}"#;
    let (code, out, err) =
        run_cli(&["--endpoint-url", &stub.url, "--region", REGION, "describe-connector", "-"], input).await;
    assert_eq!(code, 0, "{err}");
    let printed: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(printed["connectorConfiguration"]["connectorLabel"], "my_custom_connector");
    assert!(stub.received()[0].signature_ok);

    let (code, _, err) =
        run_cli(&["--endpoint-url", &stub.url, "--region", REGION, "describe-connector", "-"], input).await;
    assert_eq!(code, 1);
    assert!(err.contains("ResourceNotFoundException"), "{err}");

    let (code, _, err) = run_cli(&["frobnicate", "-"], "{}").await;
    assert_eq!(code, 2);
    assert!(err.contains("unknown operation"), "{err}");
}
