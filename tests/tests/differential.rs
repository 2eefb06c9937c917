//! Differential tests against the official Rust SDK, aws-sdk-appflow (captured through its test
//! HTTP client, no network): the bodies both send for the same input are equal as JSON, and
//! both parse the same response bodies to the same values.
//!
//! Two deliberate differences, each normalized in exactly one place below:
//!
//! - `@default` members set to their default: we send them, as the Smithy compliance case
//!   `RestJsonClientPopulatesDefaultValuesInInput` requires; aws-sdk-appflow leaves them out.
//!   Both mean the same to the service. `strip_defaults` removes them from our side.
//! - Epoch-second timestamps with a decimal fraction: we read `1736942400.123` exactly;
//!   aws-sdk-appflow goes through an `f64` and gets `.122999906`. The parse comparison uses
//!   binary-exact fractions, and `fractions_are_read_exactly` pins the difference down.

use appflow::operation::describe_connector::{DescribeConnector, DescribeConnectorInput};
use appflow::operation::register_connector::{RegisterConnector, RegisterConnectorInput};
use appflow::operation::update_connector_registration::{
    UpdateConnectorRegistration, UpdateConnectorRegistrationInput,
};
use appflow::operation::update_flow::{UpdateFlow, UpdateFlowInput};
use aws_smithy_http_client::test_util::capture_request;
use aws_smithy_types::body::SdkBody;
use awsgen_runtime::Operation;
use integration_tests::appflow_data::*;
use integration_tests::examples::{appflow_ir, Examples};
use integration_tests::sdk::*;
use serde_json::Value;

fn sdk_client(
    response: Option<(u16, &str)>,
) -> (aws_sdk_appflow::Client, aws_smithy_http_client::test_util::CaptureRequestReceiver) {
    let response = response.map(|(status, body)| {
        http::Response::builder()
            .status(status)
            .header("content-type", "application/json")
            .body(SdkBody::from(body.to_string()))
            .unwrap()
    });
    let (http, rx) = capture_request(response);
    let config = aws_sdk_appflow::Config::builder()
        .behavior_version(aws_sdk_appflow::config::BehaviorVersion::latest())
        .region(aws_sdk_appflow::config::Region::new("us-east-1"))
        .credentials_provider(aws_sdk_appflow::config::Credentials::for_tests())
        .http_client(http)
        .build();
    (aws_sdk_appflow::Client::from_conf(config), rx)
}

/// The paths where two JSON values differ.
fn diff(a: &Value, b: &Value, path: &str, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for k in x.keys().chain(y.keys()).collect::<std::collections::BTreeSet<_>>() {
                match (x.get(k), y.get(k)) {
                    (Some(p), Some(q)) => diff(p, q, &format!("{path}.{k}"), out),
                    (p, q) => out.push(format!("{path}.{k}: ours {p:?}, theirs {q:?}")),
                }
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                diff(p, q, &format!("{path}[{i}]"), out);
            }
        }
        _ if a != b => out.push(format!("{path}: ours {a}, theirs {b}")),
        _ => {}
    }
}

fn json(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(bytes)))
}

/// Sends `input` through aws-sdk-appflow and returns the body it put on the wire.
async fn sdk_body<I, F, Fut>(input: &I, send: F) -> Value
where
    F: FnOnce(&aws_sdk_appflow::Client, &I) -> Fut,
    Fut: std::future::Future,
{
    let (client, rx) = sdk_client(None);
    let _ = send(&client, input).await;
    let req = rx.expect_request();
    json(req.body().bytes().expect("an in-memory body"))
}

/// Removes members that have a `@default` and are set to it.
fn strip_defaults(ir: &codegen::ir::Crate, s: &codegen::ir::StructDef, v: &mut Value) {
    let Value::Object(o) = v else { return };
    for f in &s.fields {
        if let Some(d) = &f.default {
            if o.get(&f.wire) == Some(d) {
                o.remove(&f.wire);
            }
        }
        if let Some(x) = o.get_mut(&f.wire) {
            strip_in(ir, &f.ty, x);
        }
    }
}

fn strip_in(ir: &codegen::ir::Crate, t: &codegen::ir::Ty, v: &mut Value) {
    use codegen::ir::{Ty, TypeDef};
    match (t, v) {
        (Ty::Named { id, .. }, v) => {
            if let TypeDef::Struct(s) = &ir.ty(id).def {
                strip_defaults(ir, s, v);
            }
        }
        (Ty::List { item, .. }, Value::Array(a)) => a.iter_mut().for_each(|x| strip_in(ir, item, x)),
        (Ty::Map { value, .. }, Value::Object(o)) => o.values_mut().for_each(|x| strip_in(ir, value, x)),
        _ => {}
    }
}

fn ir() -> &'static codegen::ir::Crate {
    static IR: std::sync::OnceLock<codegen::ir::Crate> = std::sync::OnceLock::new();
    IR.get_or_init(appflow_ir)
}

macro_rules! same_body {
    ($op:ident, $fluent:ident, $input:expr) => {{
        let input = $input;
        let mut ours = json(<$op as Operation>::serialize_request(&input).unwrap().body());
        let op = ir().operations.iter().find(|o| o.name == stringify!($op)).unwrap();
        strip_defaults(ir(), &op.input, &mut ours);
        let theirs = sdk_body(&input, |c, i| $fluent(c, i).send()).await;
        let mut d = Vec::new();
        diff(&ours, &theirs, "", &mut d);
        assert!(d.is_empty(), "{} bodies differ:\n{}", stringify!($op), d.join("\n"));
    }};
}

#[tokio::test]
async fn realistic_inputs_give_equal_bodies() {
    same_body!(UpdateFlow, update_flow_fluent, update_flow_realistic());
    same_body!(UpdateFlow, update_flow_fluent, update_flow_minimal());
    same_body!(RegisterConnector, register_connector_fluent, register_connector());
    same_body!(UpdateConnectorRegistration, update_connector_registration_fluent, update_connector_registration());
    same_body!(DescribeConnector, describe_connector_fluent, describe_connector());
}

/// Fully populated inputs of every operation, over enough seeds that every value of every enum
/// appears (every connector type, trigger type, task type and operator) with timestamps that
/// have fractions and maps with several entries.
#[tokio::test]
async fn every_member_and_enum_value_gives_equal_bodies() {
    let ir = appflow_ir();
    let op = |name: &str| ir.operations.iter().find(|o| o.wire_name == name).unwrap();
    let widest = ir
        .types
        .values()
        .filter_map(|t| match &t.def {
            codegen::ir::TypeDef::Enum(e) => Some(e.variants.len()),
            _ => None,
        })
        .max()
        .unwrap() as u64;
    for seed in 0..widest {
        let mut ex = Examples::new(&ir, seed);
        let v = ex.structure(&op("UpdateFlow").input);
        same_body!(UpdateFlow, update_flow_fluent, serde_json::from_value::<UpdateFlowInput>(v).unwrap());
        let v = ex.structure(&op("RegisterConnector").input);
        same_body!(
            RegisterConnector,
            register_connector_fluent,
            serde_json::from_value::<RegisterConnectorInput>(v).unwrap()
        );
        let v = ex.structure(&op("UpdateConnectorRegistration").input);
        same_body!(
            UpdateConnectorRegistration,
            update_connector_registration_fluent,
            serde_json::from_value::<UpdateConnectorRegistrationInput>(v).unwrap()
        );
        let v = ex.structure(&op("DescribeConnector").input);
        same_body!(
            DescribeConnector,
            describe_connector_fluent,
            serde_json::from_value::<DescribeConnectorInput>(v).unwrap()
        );
    }
}

macro_rules! same_parse {
    ($op:ident, $fluent:ident, $input:expr, $body:expr) => {{
        let body: &str = $body;
        let ours = <$op as Operation>::parse_response(
            &http::Response::builder().status(200).body(body.as_bytes().to_vec().into()).unwrap(),
        )
        .unwrap_or_else(|e| panic!("we cannot parse {body}: {e:?}"));
        let (client, _rx) = sdk_client(Some((200, body)));
        let theirs =
            $fluent(&client, &$input).send().await.unwrap_or_else(|e| panic!("the SDK cannot parse {body}: {e:?}"));
        assert_eq!(ToSdk::to_sdk(&ours), theirs, "{} parses differ for {body}", stringify!($op));
    }};
}

#[tokio::test]
async fn both_parse_responses_to_the_same_values() {
    let ir = appflow_ir();
    let op = |name: &str| ir.operations.iter().find(|o| o.wire_name == name).unwrap();
    let sample = r#"{"connectorConfiguration":{"canUseAsDestination":true,"canUseAsSource":true,"connectorDescription":"Salesforce",
        "connectorMetadata":{"Amplitude":null,"Locke":null,"Salesforce":{"oAuthScopes":["api","refresh_token","id"]}},
        "connectorType":"SALESFORCE","isPrivateLinkEnabled":true,"isPrivateLinkEndpointUrlRequired":false,"logoURL":"insert-logo-here",
        "registeredAt":null,"supportedDestinationConnectors":["S3","Locke"],"supportedTriggerTypes":["Scheduled","OnDemand","Event"]}}"#;
    let realistic = DESCRIBE_CONNECTOR_RESPONSE.replace("1736942400.123", "1736942400.125");
    for body in [realistic.as_str(), sample, "{}", r#"{"connectorConfiguration":{}}"#] {
        same_parse!(DescribeConnector, describe_connector_fluent, describe_connector(), body);
    }
    for seed in 0..40 {
        let mut ex = Examples::new(&ir, seed);
        let body = ex.structure(&op("DescribeConnector").output).to_string();
        same_parse!(DescribeConnector, describe_connector_fluent, describe_connector(), &body);
        let body = ex.structure(&op("UpdateFlow").output).to_string();
        same_parse!(UpdateFlow, update_flow_fluent, update_flow_minimal(), &body);
        let body = ex.structure(&op("RegisterConnector").output).to_string();
        same_parse!(RegisterConnector, register_connector_fluent, register_connector(), &body);
        let body = ex.structure(&op("UpdateConnectorRegistration").output).to_string();
        same_parse!(
            UpdateConnectorRegistration,
            update_connector_registration_fluent,
            update_connector_registration(),
            &body
        );
    }
}

#[tokio::test]
async fn fractions_are_read_exactly() {
    let body = r#"{"connectorConfiguration":{"registeredAt":1736942400.123}}"#;
    let ours = DescribeConnector::parse_response(
        &http::Response::builder().status(200).body(body.as_bytes().to_vec().into()).unwrap(),
    )
    .unwrap();
    let t = ours.connector_configuration.unwrap().registered_at.unwrap();
    assert_eq!(t.subsec_nanos(), 123_000_000, "exact");
    let (client, _rx) = sdk_client(Some((200, body)));
    let theirs = describe_connector_fluent(&client, &describe_connector()).send().await.unwrap();
    let t = theirs.connector_configuration.unwrap().registered_at.unwrap();
    assert_ne!(t.subsec_nanos(), 123_000_000, "aws-sdk-appflow rounds through f64");
    assert_eq!(t.subsec_nanos() / 1_000_000, 122);
}
