//! The `appflow` example's command line: call one AppFlow operation with a JSON request body.
//!
//! ```text
//! cargo run --example appflow -- [--profile NAME] [--region REGION] [--endpoint-url URL] OPERATION INPUT.json
//! ```
//!
//! OPERATION is the kebab-case operation name; INPUT.json is the request body in the wire
//! format (`-` reads standard input). As the AWS CLI does, settings not given on the command line
//! come from the environment (`AWS_REGION`, `AWS_PROFILE`, `AWS_ENDPOINT_URL`, ...), the shared
//! config files and instance metadata, and credentials from the whole default chain of
//! `awsgen-credentials` (variables, the profile's keys, `credential_process`, roles, web identity,
//! SSO, container and instance credentials).
//! The output is printed as JSON; errors name the modeled error (e.g. `ResourceNotFoundException`)
//! and exit non-zero.

use std::io::{Read, Write};

use appflow::{Appflow, Client};
use awsgen_runtime::{BoxFuture, Error, ModeledErrorEnum};
use serde::de::DeserializeOwned;
use serde::Serialize;

pub const USAGE: &str = "usage: appflow [--profile NAME] [--region REGION] [--endpoint-url URL] OPERATION INPUT.json
operations: describe-connector, register-connector, update-connector-registration, update-flow
INPUT.json is the operation's request body in JSON (- reads standard input)";

/// Runs the command line; returns the exit code.
pub async fn run(args: &[String], stdin: &mut dyn Read, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    match run_inner(args, stdin).await {
        Ok(json) => {
            let _ = writeln!(out, "{json}");
            0
        }
        Err((code, msg)) => {
            let _ = writeln!(err, "{msg}");
            code
        }
    }
}

async fn run_inner(args: &[String], stdin: &mut dyn Read) -> Result<String, (i32, String)> {
    let usage = |m: &str| (2, format!("error: {m}\n{USAGE}"));
    let mut endpoint = None;
    let mut region = None;
    let mut profile = None;
    let mut positional = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--endpoint-url" => {
                endpoint = Some(it.next().ok_or_else(|| usage("--endpoint-url needs a value"))?.clone())
            }
            "--region" => region = Some(it.next().ok_or_else(|| usage("--region needs a value"))?.clone()),
            "--profile" => profile = Some(it.next().ok_or_else(|| usage("--profile needs a value"))?.clone()),
            "-h" | "--help" => return Err((0, USAGE.to_string())),
            s if s.starts_with("--") => return Err(usage(&format!("unknown option {s}"))),
            _ => positional.push(a.clone()),
        }
    }
    let [operation, input] = positional.as_slice() else { return Err(usage("expected OPERATION and INPUT.json")) };
    let body = if input == "-" {
        let mut s = Vec::new();
        stdin.read_to_end(&mut s).map_err(|e| (1, format!("error: reading standard input: {e}")))?;
        s
    } else {
        std::fs::read(input).map_err(|e| (1, format!("error: reading {input}: {e}")))?
    };
    let shared = awsgen_runtime::config::SharedConfig::from_env_with_profile(profile.as_deref())
        .map_err(|e| (1, format!("error: {e}")))?;
    let region = match region {
        Some(r) => r,
        None => awsgen_credentials::region(profile.as_deref())
            .await
            .map_err(|e| (1, format!("error: {e}")))?
            .unwrap_or_else(|| "us-east-1".into()),
    };
    let env = awsgen_runtime::chain::ChainEnv::process().map_err(|e| (1, format!("error: {e}")))?;
    let credentials = awsgen_credentials::chain(env, profile.clone());
    let mut builder = Client::builder().shared_config(shared).region(region).credentials_provider(credentials);
    if let Some(e) = endpoint {
        builder = builder.endpoint_url(e);
    }
    let client = builder.build().map_err(|e| (1, format!("error: {e}")))?;
    match operation.as_str() {
        "describe-connector" => call(&body, |i| client.describe_connector(i)).await,
        "register-connector" => call(&body, |i| client.register_connector(i)).await,
        "update-connector-registration" => call(&body, |i| client.update_connector_registration(i)).await,
        "update-flow" => call(&body, |i| client.update_flow(i)).await,
        other => Err(usage(&format!("unknown operation `{other}`"))),
    }
}

async fn call<'a, I, O, E>(
    body: &[u8],
    f: impl FnOnce(I) -> BoxFuture<'a, Result<O, Error<E>>>,
) -> Result<String, (i32, String)>
where
    I: DeserializeOwned,
    O: Serialize,
    E: ModeledErrorEnum,
{
    let input: I = serde_json::from_slice(body).map_err(|e| (1, format!("error: invalid input JSON: {e}")))?;
    match f(input).await {
        Ok(output) => serde_json::to_string_pretty(&output).map_err(|e| (1, format!("error: {e}"))),
        Err(Error::Service(e)) => Err((1, format!("error: {}: {}", e.code(), e))),
        Err(e) => Err((1, format!("error: {e}"))),
    }
}
