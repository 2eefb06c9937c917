//! Cross-check with botocore, the official Python AWS SDK core: for the same input,
//! credentials, region and frozen time:
//!
//! - botocore's JSON body for the params and ours are equal as JSON;
//! - botocore, signing the request we sent, computes our canonical request and our signature;
//! - botocore's own request has the same canonical request as ours line for line, except the
//!   payload hash: botocore writes members in the model's declaration order, we write them
//!   sorted by name (so that our output cannot depend on the key order of the model file), so
//!   the bytes, and only the bytes, differ.
//!
//! The test installs botocore itself, into a virtual environment under `target/`.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use appflow::{Appflow, Client};
use awsgen_runtime::http::StaticConnector;
use awsgen_runtime::Credentials;
use integration_tests::appflow_data::*;
use integration_tests::workspace_root;
use serde_json::{json, Value};

const TIME: u64 = 1_767_312_000; // 2026-01-02T00:00:00Z
const REGION: &str = "eu-west-1";

/// `target/botocore-venv/bin/python`, created and filled on first use.
fn python() -> Option<PathBuf> {
    integration_tests::python_venv("botocore-venv", &workspace_root().join("tests/botocore/requirements.txt"))
}

fn creds() -> Credentials {
    Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", Some("IQoJb3JpZ2luX2VjEXAMPLE".into()))
}

/// Our signed request for one call, captured in process.
async fn ours<F, Fut, T>(call: F) -> awsgen_runtime::http::Request
where
    F: FnOnce(Client) -> Fut,
    Fut: std::future::Future<Output = T>,
{
    let connector = Arc::new(StaticConnector::new(200, "{}"));
    let client = Client::builder()
        .region(REGION)
        .credentials(creds())
        .clock(|| SystemTime::UNIX_EPOCH + Duration::from_secs(TIME))
        .connector(connector.clone())
        .build()
        .unwrap();
    call(client).await;
    connector.last_request().expect("a request was sent")
}

fn botocore(py: &PathBuf, operation: &str, params: &Value, req: &awsgen_runtime::http::Request) -> Value {
    let auth = req.headers()["authorization"].to_str().unwrap();
    let signed_headers = auth.split("SignedHeaders=").nth(1).unwrap().split(',').next().unwrap();
    let job = json!({
        "operation": operation,
        "params": params,
        "region": REGION,
        "endpoint": format!("https://appflow.{REGION}.amazonaws.com"),
        "access_key": "AKIDEXAMPLE",
        "secret_key": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        "token": "IQoJb3JpZ2luX2VjEXAMPLE",
        "time": TIME,
        "ours": {
            "method": req.method().as_str(),
            "url": req.uri().to_string(),
            "headers": req.headers().iter().map(|(k, v)| (k.as_str().to_string(), Value::from(v.to_str().unwrap()))).collect::<serde_json::Map<_, _>>(),
            "body": String::from_utf8(req.body().clone()).unwrap(),
            "signed_headers": signed_headers,
        }
    });
    let mut child = Command::new(py)
        .arg(workspace_root().join("tests/botocore/sign.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python runs");
    serde_json::to_writer(child.stdin.take().unwrap(), &job).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "botocore script failed");
    serde_json::from_slice(&out.stdout).unwrap()
}

fn check(py: &PathBuf, operation: &str, params: Value, req: &awsgen_runtime::http::Request) {
    let b = botocore(py, operation, &params, req);
    let our_body: Value = serde_json::from_slice(req.body()).unwrap();
    let their_body: Value = serde_json::from_str(b["body"].as_str().unwrap()).unwrap();
    assert_eq!(our_body, their_body, "{operation}: JSON bodies differ");
    assert_eq!(
        req.headers()["authorization"].to_str().unwrap(),
        b["authorization_of_ours"].as_str().unwrap(),
        "{operation}: botocore signs our request differently"
    );
    let lines = |v: &Value| v.as_str().unwrap().lines().map(String::from).collect::<Vec<_>>();
    let (ours, theirs) = (lines(&b["canonical_of_ours"]), lines(&b["canonical"]));
    assert_eq!(ours.len(), theirs.len());
    assert_eq!(
        ours[..ours.len() - 1],
        theirs[..theirs.len() - 1],
        "{operation}: canonical requests differ beyond the payload hash"
    );
    // Same body bytes would give the same signature: check with botocore's body.
    let mut same_bytes = req.clone();
    *same_bytes.body_mut() = b["body"].as_str().unwrap().as_bytes().to_vec();
    let resigned = awsgen_runtime::client::sign_request(
        &strip_signature(&same_bytes),
        &creds(),
        REGION,
        "appflow",
        SystemTime::UNIX_EPOCH + Duration::from_secs(TIME),
    )
    .unwrap();
    assert_eq!(
        resigned.headers()["authorization"].to_str().unwrap(),
        b["authorization"].as_str().unwrap(),
        "{operation}: over botocore's own body bytes, our signature must be botocore's"
    );
}

/// The request without what signing added.
fn strip_signature(req: &awsgen_runtime::http::Request) -> awsgen_runtime::http::Request {
    let mut r = req.clone();
    for h in ["authorization", "x-amz-date", "x-amz-security-token", "host"] {
        r.headers_mut().remove(h);
    }
    r
}

#[tokio::test]
async fn botocore_and_our_client_agree_on_canonical_request_signature_and_body() {
    let Some(py) = python() else { return };

    // botocore writes epoch-second timestamps without their fraction; whole seconds here (the
    // differential test against aws-sdk-appflow covers fractions).
    let mut flow = update_flow_realistic();
    let sched = flow.trigger_config.trigger_properties.as_mut().unwrap().scheduled.as_mut().unwrap();
    sched.schedule_start_time = Some(at(1_767_225_600, 0));
    sched.first_execution_from = Some(at(1_735_689_600, 0));
    let params = serde_json::to_value(&flow).unwrap();
    let req = ours(|c| async move { c.update_flow(flow).await }).await;
    check(&py, "UpdateFlow", params, &req);

    let input = register_connector();
    let params = serde_json::to_value(&input).unwrap();
    let req = ours(|c| async move { c.register_connector(input).await }).await;
    check(&py, "RegisterConnector", params, &req);

    let input = update_connector_registration();
    let params = serde_json::to_value(&input).unwrap();
    let req = ours(|c| async move { c.update_connector_registration(input).await }).await;
    check(&py, "UpdateConnectorRegistration", params, &req);

    let input = describe_connector();
    let params = serde_json::to_value(&input).unwrap();
    let req = ours(|c| async move { c.describe_connector(input).await }).await;
    check(&py, "DescribeConnector", params, &req);
}

/// Presigned S3 URLs (GET and PUT; with and without a session token; keys with spaces, `+`,
/// slashes and non-ASCII) are the ones botocore's presigner makes for the same request, time
/// and lifetime.
#[test]
fn presigned_urls_match_botocore() {
    let Some(py) = python() else { return };
    let time = SystemTime::UNIX_EPOCH + Duration::from_secs(TIME);
    let cases = [
        ("GET", "https://mybucket.s3.us-west-2.amazonaws.com/photos/cat.jpg", true, 900),
        ("PUT", "https://mybucket.s3.us-west-2.amazonaws.com/uploads/my%20file%2B1.txt", false, 3600),
        ("GET", "https://s3.eu-west-1.amazonaws.com/path-style/r%C3%A9sum%C3%A9.pdf", true, 604_800),
        ("GET", "https://mybucket.s3.us-west-2.amazonaws.com/key?versionId=abc%2F1", false, 60),
    ];
    let mut jobs = Vec::new();
    let mut ours = Vec::new();
    for (method, url, token, expires) in cases {
        let region = if url.contains("eu-west-1") { "eu-west-1" } else { "us-west-2" };
        let c = if token { creds() } else { Credentials::new("AKIDEXAMPLE", creds().secret_access_key(), None) };
        let mut req = awsgen_runtime::http::Request::new(Vec::new());
        *req.method_mut() = method.parse().unwrap();
        *req.uri_mut() = url.parse().unwrap();
        let signed = awsgen_runtime::sigv4::presign(
            &req,
            &c,
            region,
            "s3",
            time,
            Duration::from_secs(expires),
            awsgen_runtime::sigv4::SigningRules::S3,
        )
        .unwrap();
        ours.push(signed.to_string());
        jobs.push(json!({
            "method": method, "url": url, "region": region, "access_key": c.access_key_id(),
            "secret_key": c.secret_access_key(), "token": c.session_token(), "time": TIME, "expires": expires,
        }));
    }
    let mut child = Command::new(&py)
        .arg(workspace_root().join("tests/botocore/presign.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    child.stdin.take().unwrap().write_all(serde_json::to_string(&jobs).unwrap().as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let theirs: Vec<String> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(theirs.len(), ours.len());
    // The same URL, its query parameters in any order.
    let split = |u: &str| {
        let (base, query) = u.split_once('?').unwrap();
        let mut q: Vec<&str> = query.split('&').collect();
        q.sort_unstable();
        (base.to_string(), q.into_iter().map(String::from).collect::<Vec<_>>())
    };
    for (o, t) in ours.iter().zip(&theirs) {
        assert_eq!(split(o), split(t), "\nours:     {o}\nbotocore: {t}");
    }
    // Past seven days, or zero, is refused.
    let req = awsgen_runtime::http::Request::new(Vec::new());
    for bad in [0, 604_801] {
        let e = awsgen_runtime::sigv4::presign(
            &req,
            &creds(),
            "us-west-2",
            "s3",
            time,
            Duration::from_secs(bad),
            awsgen_runtime::sigv4::SigningRules::S3,
        );
        assert!(e.is_err());
    }
}
