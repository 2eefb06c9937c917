//! The default credentials chain over the Rust SDK's recorded scenarios
//! (`../shared/reference/aws-config-test-data/default-credential-provider-chain`): each has its
//! environment, a file system and the HTTP traffic of the container and instance metadata
//! endpoints, replayed here request by request. Prints
//! `credential chain scenarios: passed P, skipped S, failed F, total N`, over both the chain's
//! scenarios and the profile provider's (`profile-provider/`). STS and SSO are called through
//! the generated clients of `awsgen-credentials`, their recorded answers replayed. A skipped
//! scenario must still fail: one that passes fails the run. An expected error passes when ours contains its text; "the provider was not enabled"
//! (nothing configured) matches our "no credentials", "the environment has no keys" and
//! "instance metadata gave no credentials".

use std::collections::{BTreeMap, VecDeque};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use awsgen_runtime::chain::{ChainEnv, DefaultChain};
use awsgen_runtime::http::{ConnectorError, HttpConnector, Request, Response};
use awsgen_runtime::BoxFuture;
use integration_tests::shared_dir;
use serde_json::Value;

/// Scenarios left out, with why.
const SKIPS: &[(&str, &str)] = &[];

/// One recorded exchange.
struct Exchange {
    method: String,
    uri: String,
    status: u16,
    body: Vec<u8>,
}

/// Answers each request with the next recorded exchange, if the request is the one recorded.
struct Replay(Mutex<VecDeque<Exchange>>);

impl HttpConnector for Replay {
    fn send(&self, request: Request, _timeout: Option<Duration>) -> BoxFuture<'_, Result<Response, ConnectorError>> {
        let next = self.0.lock().unwrap().pop_front();
        let result = match next {
            Some(e) if e.method == request.method().as_str() && same_uri(&e.uri, &request.uri().to_string()) => {
                let mut r = Response::new(e.body.into());
                *r.status_mut() = http::StatusCode::from_u16(e.status).unwrap();
                Ok(r)
            }
            Some(e) => Err(ConnectorError::Io(
                format!("expected {} {}, got {} {}", e.method, e.uri, request.method(), request.uri()).into(),
            )),
            None => {
                Err(ConnectorError::Io(format!("unexpected request {} {}", request.method(), request.uri()).into()))
            }
        };
        Box::pin(async move { result })
    }
}

/// The same URI, query parameters in any order and an empty path the same as `/` (the
/// recordings come from SDK versions that wrote them differently).
fn same_uri(a: &str, b: &str) -> bool {
    let split = |u: &str| {
        let uri: http::Uri = u.parse().ok()?;
        let mut q: Vec<String> =
            uri.query().unwrap_or("").split('&').filter(|p| !p.is_empty()).map(String::from).collect();
        q.sort();
        let path = if uri.path().is_empty() { "/" } else { uri.path() };
        Some((uri.scheme_str().map(str::to_string), uri.authority().map(|a| a.to_string()), path.to_string(), q))
    };
    split(a).is_some() && split(a) == split(b)
}

fn exchanges(traffic: &Value) -> VecDeque<Exchange> {
    let mut by_conn: BTreeMap<u64, Exchange> = BTreeMap::new();
    let mut order = Vec::new();
    for e in traffic["events"].as_array().into_iter().flatten() {
        let id = e["connection_id"].as_u64().unwrap();
        let a = &e["action"];
        if let Some(r) = a.get("Request") {
            let r = &r["request"];
            order.push(id);
            by_conn.insert(
                id,
                Exchange {
                    method: r["method"].as_str().unwrap().into(),
                    uri: r["uri"].as_str().unwrap().into(),
                    status: 0,
                    body: Vec::new(),
                },
            );
        } else if let Some(r) = a.get("Response") {
            by_conn.get_mut(&id).unwrap().status = r["response"]["Ok"]["status"].as_u64().unwrap_or(500) as u16;
        } else if let Some(d) = a.get("Data") {
            if d["direction"] == "Response" {
                let text = d["data"]["Utf8"].as_str().unwrap_or_default();
                by_conn.get_mut(&id).unwrap().body.extend_from_slice(text.as_bytes());
            }
        }
    }
    order.into_iter().filter_map(|id| by_conn.remove(&id)).collect()
}

/// Runs one scenario: `Ok(())` when the chain (or the profile provider alone, with
/// `profile_only`) gives what it recorded.
async fn scenario(dir: &Path, profile_only: bool) -> Result<(), String> {
    let env: BTreeMap<String, String> =
        serde_json::from_str(&std::fs::read_to_string(dir.join("env.json")).unwrap()).unwrap();
    let case: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("test-case.json")).unwrap()).unwrap();
    let traffic = std::fs::read_to_string(dir.join("http-traffic.json"))
        .ok()
        .map(|t| serde_json::from_str::<Value>(&t).unwrap())
        .unwrap_or(Value::Null);
    let fs_root = dir.join("fs");
    let chain_env = ChainEnv {
        var: Arc::new(move |k| env.get(k).cloned()),
        read: Arc::new(move |p: &Path| {
            let rel = p.strip_prefix("/").unwrap_or(p);
            std::fs::read(fs_root.join(rel)).map_err(|e| std::io::Error::new(e.kind(), e.to_string()))
        }),
        http: Arc::new(Replay(Mutex::new(exchanges(&traffic)))),
        timeout: Duration::from_secs(1),
    };
    let chain = awsgen_credentials::chain(chain_env, None);
    let got = if profile_only {
        chain.resolve_profile().await.and_then(|c| c.ok_or(awsgen_runtime::credentials::CredentialsError::NotFound))
    } else {
        chain.resolve().await
    };
    let want = &case["result"];
    match (want.get("Ok"), got) {
        (Some(w), Ok(c)) => {
            let same = |k: &str, v: Option<&str>| w.get(k).and_then(Value::as_str) == v || w.get(k).is_none();
            let expiry = c.expiry().map(|t| t.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs());
            if !same("access_key_id", Some(c.access_key_id()))
                || !same("secret_access_key", Some(c.secret_access_key()))
                || w.get("session_token").and_then(Value::as_str) != c.session_token()
                || w.get("expiry").and_then(Value::as_u64) != expiry
                || !same("account_id", c.account_id())
            {
                return Err(format!("got {c:?} (expiry {expiry:?}), want {w}"));
            }
            Ok(())
        }
        (Some(w), Err(e)) => Err(format!("failed: {e}; want {w}")),
        (None, Err(e)) => {
            // The same message, or for "the provider was not enabled" (nothing configured
            // anywhere) our equivalent: no credentials found, or a role source without keys.
            // aws-sdk-rust's wrapper of every provider error is not part of what is checked.
            let want = want["ErrorContains"].as_str().unwrap_or_default();
            let want = want.strip_prefix("an error occurred while loading credentials").unwrap_or(want);
            let want = want.trim_start_matches(':').trim_start();
            let msg = e.to_string();
            let equivalent = want.contains("not enabled")
                && (e.is_not_found() || msg.contains("has no keys") || msg.contains("gave no credentials"));
            if msg.contains(want) || equivalent {
                Ok(())
            } else {
                Err(format!("failed with `{msg}`, want an error containing `{want}`"))
            }
        }
        (None, Ok(c)) => Err(format!("got {c:?}, want an error containing {}", want["ErrorContains"])),
    }
}

#[tokio::test]
async fn the_default_chain_over_the_recorded_scenarios() {
    let Some(shared) = shared_dir() else { return };
    let data = shared.join("reference/aws-config-test-data");
    let mut dirs: Vec<(PathBuf, bool)> = Vec::new();
    for (sub, profile_only) in [("default-credential-provider-chain", false), ("profile-provider", true)] {
        let mut found: Vec<PathBuf> =
            std::fs::read_dir(data.join(sub)).unwrap().flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect();
        found.sort();
        dirs.extend(found.into_iter().map(|d| (d, profile_only)));
    }
    let (mut passed, mut skipped, mut problems) = (0, 0, Vec::new());
    for (dir, profile_only) in &dirs {
        let name = format!(
            "{}/{}",
            dir.parent().unwrap().file_name().unwrap().to_string_lossy(),
            dir.file_name().unwrap().to_string_lossy()
        );
        let result = scenario(dir, *profile_only).await;
        match (SKIPS.iter().find(|(n, _)| *n == name), result) {
            (None, Ok(())) => passed += 1,
            (None, Err(e)) => problems.push(format!("{name}: {e}")),
            (Some(_), Err(_)) => skipped += 1,
            (Some((_, why)), Ok(())) => problems.push(format!("{name} passes but is skipped ({why}): take it off")),
        }
    }
    let _ = writeln!(
        std::io::stdout(),
        "credential chain scenarios: passed {passed}, skipped {skipped}, failed {}, total {}",
        problems.len(),
        dirs.len()
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A chain over a case's variables and in-memory files (no HTTP).
fn chain_for(env: &Value, fs: &Value) -> DefaultChain {
    let env: BTreeMap<String, String> = serde_json::from_value(env.clone()).unwrap_or_default();
    let files: BTreeMap<String, String> = serde_json::from_value(fs.clone()).unwrap_or_default();
    DefaultChain::new(
        ChainEnv {
            var: Arc::new(move |k| env.get(k).cloned()),
            read: Arc::new(move |p: &Path| {
                files.get(&p.display().to_string()).map(|t| t.clone().into_bytes()).ok_or_else(|| {
                    std::io::Error::new(std::io::ErrorKind::NotFound, format!("{} does not exist", p.display()))
                })
            }),
            http: Arc::new(Replay(Mutex::new(VecDeque::new()))),
            timeout: Duration::from_secs(1),
        },
        None,
    )
}

/// Every case of `ecs-tests.json`: the container endpoint, or an error (none set is "not
/// enabled": no endpoint).
#[test]
fn container_endpoints() {
    let Some(shared) = shared_dir() else { return };
    let text = std::fs::read_to_string(shared.join("reference/aws-config-test-data/ecs-tests.json")).unwrap();
    let suite: Value = serde_json::from_str(&text).unwrap();
    let mut failures = Vec::new();
    let cases = suite["tests"].as_array().unwrap();
    for case in cases {
        let got = chain_for(&case["env"], &Value::Null).container_endpoint();
        let ok = match (case["result"].get("Ok").and_then(Value::as_str), &got) {
            (Some(want), Ok(Some(uri))) => *uri == want,
            (None, Ok(None)) => case["docs"].as_str().unwrap_or_default().contains("not enabled"),
            (None, Err(_)) => true,
            _ => false,
        };
        if !ok {
            failures.push(format!("{}: got {got:?}, want {}", case["docs"], case["result"]));
        }
    }
    let _ = writeln!(
        std::io::stdout(),
        "container endpoint cases: passed {}, failed {}, total {}",
        cases.len() - failures.len(),
        failures.len(),
        cases.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every case of `imds-config/imds-endpoint-tests.json`: the token URL, or the error text.
#[test]
fn instance_metadata_endpoints() {
    let Some(shared) = shared_dir() else { return };
    let text =
        std::fs::read_to_string(shared.join("reference/aws-config-test-data/imds-config/imds-endpoint-tests.json"))
            .unwrap();
    let suite: Value = serde_json::from_str(&text).unwrap();
    let mut failures = Vec::new();
    let cases = suite["tests"].as_array().unwrap();
    for case in cases {
        let overrides = awsgen_runtime::chain::ImdsOverrides {
            endpoint: case.get("endpoint_override").and_then(Value::as_str).map(str::to_string),
            mode: case.get("mode_override").and_then(Value::as_str).map(str::to_string),
        };
        let got =
            chain_for(&case["env"], &case["fs"]).imds_endpoint(&overrides).map(|b| format!("{b}/latest/api/token"));
        let ok = match (&case["result"], &got) {
            (r, Ok(url)) => r.get("Ok").and_then(Value::as_str) == Some(url.as_str()),
            (r, Err(e)) => r.get("Err").and_then(Value::as_str).is_some_and(|want| e.to_string().contains(want)),
        };
        if !ok {
            failures.push(format!("{}: got {got:?}, want {}", case["docs"], case["result"]));
        }
    }
    let _ = writeln!(
        std::io::stdout(),
        "instance metadata endpoint cases: passed {}, failed {}, total {}",
        cases.len() - failures.len(),
        failures.len(),
        cases.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A profile chain in the form of `assume-role-tests.json`.
fn chain_json(chain: &awsgen_runtime::profile_chain::ProfileChain) -> Value {
    use awsgen_runtime::profile_chain::Base;
    use serde_json::json;
    let put = |o: &mut serde_json::Map<String, Value>, k: &str, v: &Option<String>| {
        if let Some(v) = v {
            o.insert(k.into(), json!(v));
        }
    };
    let mut steps = Vec::new();
    steps.push(match &chain.base {
        Base::AccessKey { access_key_id, secret_access_key, account_id, .. } => {
            let mut o = serde_json::Map::new();
            o.insert("access_key_id".into(), json!(access_key_id));
            o.insert("secret_access_key".into(), json!(secret_access_key));
            put(&mut o, "account_id", account_id);
            json!({ "AccessKey": o })
        }
        Base::NamedSource(s) => json!({ "NamedSource": s }),
        Base::WebIdentity { role_arn, token_file, session_name } => {
            let mut o = serde_json::Map::new();
            o.insert("role_arn".into(), json!(role_arn));
            o.insert("web_identity_token_file".into(), json!(token_file));
            put(&mut o, "role_session_name", session_name);
            json!({ "WebIdentityToken": o })
        }
        Base::Sso { session, start_url, region, account_id, role_name } => {
            let mut o = serde_json::Map::new();
            put(&mut o, "sso_session", session);
            o.insert("sso_start_url".into(), json!(start_url));
            o.insert("sso_region".into(), json!(region));
            put(&mut o, "sso_account_id", account_id);
            put(&mut o, "sso_role_name", role_name);
            json!({ "Sso": o })
        }
        Base::Process(cmd) => json!({ "CredentialProcess": cmd }),
    });
    for r in &chain.roles {
        let mut o = serde_json::Map::new();
        o.insert("role_arn".into(), json!(r.role_arn));
        put(&mut o, "role_session_name", &r.session_name);
        put(&mut o, "external_id", &r.external_id);
        steps.push(json!({ "AssumeRole": o }));
    }
    json!({ "ProfileChain": steps })
}

/// Every case of `assume-role-tests.json`: the chain a profile stands for (base credentials,
/// then the roles in order), or the error, from profiles alone.
#[test]
fn profile_chains() {
    let Some(shared) = shared_dir() else { return };
    let text = std::fs::read_to_string(shared.join("reference/aws-config-test-data/assume-role-tests.json")).unwrap();
    let cases: Vec<Value> = serde_json::from_str(&text).unwrap();
    let mut problems = Vec::new();
    for c in &cases {
        let input = &c["input"];
        let props = |v: &Value| -> BTreeMap<String, awsgen_runtime::profile::Properties> {
            serde_json::from_value(v.clone()).unwrap_or_default()
        };
        let set = awsgen_runtime::profile::ProfileSet {
            profiles: props(&input["profiles"]),
            sso_sessions: props(&input["sso_sessions"]),
            services: Default::default(),
        };
        let got = awsgen_runtime::profile_chain::resolve(&set, input["selected_profile"].as_str().unwrap());
        let docs = c["docs"].as_str().unwrap_or_default();
        match (&c["output"].get("Error"), got) {
            (Some(want), Err(e)) if e.to_string().contains(want.as_str().unwrap()) => {}
            (None, Ok(chain)) if chain_json(&chain) == c["output"] => {}
            (_, got) => problems.push(format!("{docs}: got {got:?}, want {}", c["output"])),
        }
    }
    let _ = writeln!(
        std::io::stdout(),
        "assume role chains: passed {}, failed {}, total {}",
        cases.len() - problems.len(),
        problems.len(),
        cases.len()
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
