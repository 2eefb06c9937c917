//! The credentials chain against real servers on 127.0.0.1, over real HTTP: an IMDSv2 server
//! (token required, TTL header, 401 for a stale token), a container credentials server that
//! checks its authorization token, and an STS server answering `AssumeRole`. Then the cache in
//! front of the chain: temporary credentials that come due are refreshed exactly once under
//! concurrent calls, and a source that fails mid-run leaves the still-valid credentials in use.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use awsgen_runtime::chain::ChainEnv;
use awsgen_runtime::credentials::CredentialsCache;
use integration_tests::stub::{assume_role_response, serve_with, Received, Reply};

fn respond(status: u16, content_type: &str, body: String) -> Reply {
    Reply::Respond { status, headers: vec![("Content-Type".into(), content_type.into())], body }
}

/// A chain over `vars` and the files in `files`, with real HTTP.
fn env(vars: &[(&str, String)], files: BTreeMap<String, String>) -> ChainEnv {
    let vars: BTreeMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
    let mut e = ChainEnv::process().expect("an HTTP client");
    e.var = Arc::new(move |k| vars.get(k).cloned());
    e.read = Arc::new(move |p| {
        files
            .get(&p.display().to_string())
            .map(|t| t.clone().into_bytes())
            .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, format!("{} does not exist", p.display())))
    });
    e.timeout = Duration::from_secs(2);
    e
}

fn iso(t: SystemTime) -> String {
    chrono::DateTime::<chrono::Utc>::from(t).format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// An IMDSv2 server: tokens need the TTL header; each token is good for `uses` requests, then
/// is stale (401). Answers credentials that expire `ttl` from now, numbered by how many were
/// handed out; `fail` makes the credentials request answer 500.
struct Imds {
    url: String,
    received: Arc<Mutex<Vec<Received>>>,
    handed_out: Arc<AtomicUsize>,
    fail: Arc<std::sync::atomic::AtomicBool>,
}

async fn imds(uses: usize, ttl: Duration) -> Imds {
    let handed_out = Arc::new(AtomicUsize::new(0));
    let fail = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let tokens: Arc<Mutex<BTreeMap<String, usize>>> = Arc::default();
    let (h, f) = (handed_out.clone(), fail.clone());
    let (url, received) = serve_with(Arc::new(move |r: &Received| {
        let mut tokens = tokens.lock().unwrap();
        if r.method == "PUT" && r.path == "/latest/api/token" {
            if r.header("x-aws-ec2-metadata-token-ttl-seconds").is_none() {
                return respond(400, "text/plain", "missing TTL".into());
            }
            let t = format!("token-{}", tokens.len());
            tokens.insert(t.clone(), uses);
            return respond(200, "text/plain", t);
        }
        let left = r.header("x-aws-ec2-metadata-token").and_then(|t| tokens.get_mut(t));
        match left {
            Some(n) if *n > 0 => *n -= 1,
            _ => return respond(401, "text/plain", String::new()),
        }
        match r.path.as_str() {
            "/latest/meta-data/iam/security-credentials/" => respond(200, "text/plain", "the-role\n".into()),
            "/latest/meta-data/iam/security-credentials/the-role" => {
                if f.load(Ordering::SeqCst) {
                    return respond(500, "text/plain", String::new());
                }
                let n = h.fetch_add(1, Ordering::SeqCst);
                let body = serde_json::json!({
                    "Code": "Success",
                    "AccessKeyId": format!("ASIAIMDS{n}"),
                    "SecretAccessKey": "imds-secret",
                    "Token": "imds-token",
                    "Expiration": iso(SystemTime::now() + ttl),
                });
                respond(200, "application/json", body.to_string())
            }
            _ => respond(404, "text/plain", String::new()),
        }
    }))
    .await;
    Imds { url, received, handed_out, fail }
}

#[tokio::test]
async fn imdsv2_over_http_with_a_stale_token_fetched_again() {
    // Each token answers one request: the credentials request finds its token stale.
    let server = imds(1, Duration::from_secs(3600)).await;
    let chain = awsgen_credentials::chain(
        env(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url.clone())], BTreeMap::new()),
        None,
    );
    let c = chain.resolve().await.expect("credentials from IMDS");
    assert_eq!(c.access_key_id(), "ASIAIMDS0");
    assert!(c.expiry().is_some());
    let log = server.received.lock().unwrap();
    let paths: Vec<String> = log.iter().map(|r| format!("{} {}", r.method, r.path)).collect();
    assert_eq!(
        paths,
        [
            "PUT /latest/api/token",
            "GET /latest/meta-data/iam/security-credentials/",
            "GET /latest/meta-data/iam/security-credentials/the-role",
            "PUT /latest/api/token",
            "GET /latest/meta-data/iam/security-credentials/the-role",
        ]
    );
    assert_eq!(log[0].header("x-aws-ec2-metadata-token-ttl-seconds"), Some("21600"));
}

#[tokio::test]
async fn container_credentials_need_the_authorization_token() {
    let (url, received) = serve_with(Arc::new(|r: &Received| {
        if r.header("authorization") != Some("Bearer secret-token") {
            return respond(401, "application/json", r#"{"Code":"Unauthorized","Message":"bad token"}"#.into());
        }
        let body = serde_json::json!({
            "AccessKeyId": "ASIACONTAINER",
            "SecretAccessKey": "container-secret",
            "Token": "container-token",
            "Expiration": iso(SystemTime::now() + Duration::from_secs(3600)),
            "AccountId": "123456789012",
        });
        respond(200, "application/json", body.to_string())
    }))
    .await;
    let full = format!("{url}/creds");
    let from_file = env(
        &[
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", full.clone()),
            ("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "/token".into()),
        ],
        BTreeMap::from([("/token".to_string(), "Bearer secret-token\n".to_string())]),
    );
    let c = awsgen_credentials::chain(from_file, None).resolve().await.expect("container credentials");
    assert_eq!((c.access_key_id(), c.account_id()), ("ASIACONTAINER", Some("123456789012")));

    let wrong = env(
        &[("AWS_CONTAINER_CREDENTIALS_FULL_URI", full), ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer nope".into())],
        BTreeMap::new(),
    );
    let e = awsgen_credentials::chain(wrong, None).resolve().await.unwrap_err().to_string();
    assert!(e.contains("401"), "{e}");
    assert!(!e.contains("nope"), "the token is not in the error: {e}");
    let log = received.lock().unwrap();
    assert_eq!(log.len(), 2);
    assert!(log.iter().all(|r| r.path == "/creds"));
}

#[tokio::test]
async fn a_role_profile_assumes_its_role_through_a_local_sts() {
    let (url, received) = serve_with(Arc::new(|r: &Received| {
        let form = String::from_utf8_lossy(&r.body).to_string();
        let signed_by_source = r.header("authorization").is_some_and(|a| a.contains("Credential=AKIDSOURCE/"));
        if !form.contains("Action=AssumeRole&") || !signed_by_source {
            let body = "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>no</Message></Error></ErrorResponse>";
            return respond(403, "text/xml", body.into());
        }
        assume_role_response("ASIAROLE", "role-secret", "role-token", "210987654321")
    }))
    .await;
    let config = "[profile dev]\nrole_arn = arn:aws:iam::210987654321:role/r\nsource_profile = base\n\
                  external_id = ext-1\nrole_session_name = dev-session\nregion = eu-west-1\n\
                  [profile base]\naws_access_key_id = AKIDSOURCE\naws_secret_access_key = source-secret\n";
    let e = env(
        &[
            ("HOME", "/home".into()),
            ("AWS_PROFILE", "dev".into()),
            ("AWS_CONFIG_FILE", "/home/.aws/config".into()),
            ("AWS_ENDPOINT_URL_STS", url),
        ],
        BTreeMap::from([("/home/.aws/config".to_string(), config.to_string())]),
    );
    let c = awsgen_credentials::chain(e, None).resolve().await.expect("role credentials");
    assert_eq!(c.access_key_id(), "ASIAROLE");
    assert_eq!(c.session_token(), Some("role-token"));
    assert_eq!(c.account_id(), Some("210987654321"));
    let log = received.lock().unwrap();
    assert_eq!(log.len(), 1);
    let form = String::from_utf8_lossy(&log[0].body).to_string();
    for part in
        ["RoleArn=arn%3Aaws%3Aiam%3A%3A210987654321%3Arole%2Fr", "RoleSessionName=dev-session", "ExternalId=ext-1"]
    {
        assert!(form.contains(part), "{part} in {form}");
    }
    assert!(log[0].header("authorization").unwrap().contains("/eu-west-1/sts/aws4_request"));
}

#[tokio::test]
async fn credentials_coming_due_are_refreshed_once_under_concurrent_calls() {
    // Valid for 2 s past the cache's refresh margin: fresh at first, due 3 s later.
    let ttl = CredentialsCache::REFRESH_BEFORE + Duration::from_secs(2);
    let server = imds(100, ttl).await;
    let chain = awsgen_credentials::chain(
        env(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url.clone())], BTreeMap::new()),
        None,
    );
    let cache = Arc::new(CredentialsCache::new(Arc::new(chain)));
    let first = cache.get(SystemTime::now()).await.unwrap();
    assert_eq!(first.access_key_id(), "ASIAIMDS0");
    let calls = |cache: Arc<CredentialsCache>| async move {
        let all = futures_join((0..20).map(|_| {
            let cache = cache.clone();
            tokio::spawn(async move { cache.get(SystemTime::now()).await.map(|c| c.access_key_id().to_string()) })
        }))
        .await;
        all.into_iter().map(|r| r.unwrap().unwrap()).collect::<Vec<_>>()
    };
    assert!(calls(cache.clone()).await.iter().all(|k| k == "ASIAIMDS0"), "still fresh: no refresh");
    assert_eq!(server.handed_out.load(Ordering::SeqCst), 1);

    tokio::time::sleep(Duration::from_secs(3)).await;
    let keys = calls(cache.clone()).await;
    assert!(keys.iter().all(|k| k == "ASIAIMDS1"), "{keys:?}");
    assert_eq!(server.handed_out.load(Ordering::SeqCst), 2, "twenty concurrent callers, one refresh");

    // The source fails from now on; the credentials are due for refresh but still valid.
    tokio::time::sleep(Duration::from_secs(3)).await;
    server.fail.store(true, Ordering::SeqCst);
    let keys = calls(cache.clone()).await;
    assert!(keys.iter().all(|k| k == "ASIAIMDS1"), "kept while valid: {keys:?}");
    assert_eq!(server.handed_out.load(Ordering::SeqCst), 2);
}

/// Waits for every task, in order.
async fn futures_join<T>(
    tasks: impl Iterator<Item = tokio::task::JoinHandle<T>>,
) -> Vec<Result<T, tokio::task::JoinError>> {
    let mut out = Vec::new();
    for t in tasks.collect::<Vec<_>>() {
        out.push(t.await);
    }
    out
}

/// The chain's `Debug` and its errors never hold a secret.
#[tokio::test]
async fn no_secret_in_debug_or_errors() {
    let chain = awsgen_credentials::chain(
        env(&[("AWS_ACCESS_KEY_ID", "AKID".into()), ("AWS_SECRET_ACCESS_KEY", "very-secret".into())], BTreeMap::new()),
        None,
    );
    let c = chain.resolve().await.unwrap();
    assert!(!format!("{c:?} {chain:?}").contains("very-secret"));
}

/// A provider of the official SDK (here its static `Credentials`, as `aws-config` hands out)
/// signs the calls of a generated client through `FromAws`.
#[tokio::test]
async fn a_provider_of_the_official_sdk_signs_calls() {
    use appflow::Appflow as _;
    let official = aws_credential_types::Credentials::new("AKIDOFFICIAL", "official-secret", None, None, "test");
    let ours = awsgen_runtime::Credentials::new("AKIDOFFICIAL", "official-secret", None);
    let stub = integration_tests::stub::Stub::start(
        vec![Reply::json(200, integration_tests::appflow_data::DESCRIBE_CONNECTOR_RESPONSE)],
        ours,
        "us-west-2",
        "appflow",
    )
    .await;
    let client = appflow::Client::builder()
        .region("us-west-2")
        .endpoint_url(stub.url.clone())
        .credentials_provider(awsgen_runtime::credentials::FromAws(official))
        .build()
        .unwrap();
    client.describe_connector(integration_tests::appflow_data::describe_connector()).await.unwrap();
    let r = &stub.received()[0];
    assert!(r.signature_ok && r.header("authorization").unwrap().contains("AKIDOFFICIAL/"));
}

/// A chain that finds nothing says what each source looked for.
#[tokio::test]
async fn an_empty_chain_lists_what_each_source_said() {
    let chain = awsgen_credentials::chain(
        env(&[("HOME", "/nowhere".into()), ("AWS_EC2_METADATA_DISABLED", "true".into())], BTreeMap::new()),
        None,
    );
    let e = chain.resolve().await.unwrap_err();
    assert!(e.is_not_found());
    let text = e.to_string();
    for part in [
        "environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set",
        "profile: profile `default` is not in the config or credentials file",
        "web identity: ",
        "container: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "instance metadata: disabled by AWS_EC2_METADATA_DISABLED",
    ] {
        assert!(text.contains(part), "`{part}` in {text}");
    }
}
