//! The generated client resolves its endpoint by the model's rules: regions and partitions,
//! FIPS and dual-stack, explicit endpoint URLs, errors the rules end in, and signing overrides
//! from `authSchemes`. A loopback call checks that the request reaches the host the rules give
//! (routed to 127.0.0.1 by the transport, not DNS) with a signature for that host.

use std::time::Duration;

use appflow::{Appflow, Client};
use awsgen_runtime::client::ConfigError;
use awsgen_runtime::endpoint::{self, rules, EndpointConfig, EndpointError};
use awsgen_runtime::http::{ConnectorError, HttpConnector, HyperConnector, Request, Response};
use awsgen_runtime::{BoxFuture, Credentials};
use integration_tests::appflow_data::{describe_connector, DESCRIBE_CONNECTOR_RESPONSE};
use integration_tests::stub::{Reply, Stub};

fn creds() -> Credentials {
    Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None)
}

fn endpoint_of(b: awsgen_runtime::ClientBuilder<Client>) -> Result<String, ConfigError> {
    b.credentials(creds()).build().map(|c| c.core().endpoint().to_string())
}

#[test]
fn the_client_resolves_its_endpoint_by_the_rules() {
    let at = |region: &str| endpoint_of(Client::builder().region(region));
    assert_eq!(at("eu-west-1").unwrap(), "https://appflow.eu-west-1.amazonaws.com/");
    assert_eq!(at("cn-north-1").unwrap(), "https://appflow.cn-north-1.amazonaws.com.cn/");
    assert_eq!(at("us-gov-west-1").unwrap(), "https://appflow.us-gov-west-1.amazonaws.com/");
    assert_eq!(at("eusc-de-east-1").unwrap(), "https://appflow.eusc-de-east-1.amazonaws.eu/");
    assert_eq!(
        endpoint_of(Client::builder().region("us-east-1").use_fips(true)).unwrap(),
        "https://appflow-fips.us-east-1.amazonaws.com/"
    );
    assert_eq!(
        endpoint_of(Client::builder().region("us-east-1").use_dual_stack(true)).unwrap(),
        "https://appflow.us-east-1.api.aws/"
    );
    assert_eq!(
        endpoint_of(Client::builder().region("us-east-1").use_fips(true).use_dual_stack(true)).unwrap(),
        "https://appflow-fips.us-east-1.api.aws/"
    );
    assert_eq!(
        endpoint_of(Client::builder().region("us-east-1").endpoint_url("https://vpce.example.com")).unwrap(),
        "https://vpce.example.com/"
    );
    // A rule that ends in an error is a configuration error with the rule's message.
    let err = endpoint_of(Client::builder().region("us-east-1").endpoint_url("https://x.example.com").use_fips(true))
        .unwrap_err();
    assert_eq!(
        err,
        ConfigError::Endpoint(EndpointError::Rules(
            "Invalid Configuration: FIPS and custom endpoint are not supported".into()
        ))
    );
    assert_eq!(
        err.to_string(),
        "client configuration: Invalid Configuration: FIPS and custom endpoint are not supported"
    );
    // A region that could reach another host is refused before the rules see it.
    assert_eq!(at("evil.com/x").unwrap_err(), ConfigError::Endpoint(EndpointError::InvalidRegion("evil.com/x".into())));
    // Unknown client context parameters are refused.
    let err = endpoint_of(Client::builder().region("us-east-1").endpoint_param("Nope", rules::Value::Bool(true)));
    assert!(matches!(err, Err(ConfigError::Endpoint(EndpointError::Evaluation(_)))), "{err:?}");
}

/// `authSchemes` in the resolved endpoint give the signing region and name: Organizations'
/// global endpoint is signed for us-east-1.
#[test]
fn auth_schemes_override_the_signing_region() {
    let Some(shared) = integration_tests::shared_dir() else { return };
    let model: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(shared.join("aws-models/organizations.json")).unwrap()).unwrap();
    let service = model["shapes"].as_object().unwrap().values().find(|s| s["type"] == "service").unwrap();
    let mut sink = codegen::diag::Sink::default();
    let rules =
        codegen::endpoint::lower(&service["traits"]["smithy.rules#endpointRuleSet"], "organizations", &mut sink)
            .expect("the rules lower");
    let rules: &'static rules::RuleSet = Box::leak(Box::new(rules));
    let config = EndpointConfig { region: Some("aws-global".into()), ..Default::default() };
    let e = endpoint::resolve(rules, &config).unwrap();
    assert_eq!(e.uri.to_string(), "https://organizations.us-east-1.amazonaws.com/");
    assert_eq!(e.signing_region.as_deref(), Some("us-east-1"));
    assert_eq!(e.signing_name.as_deref(), Some("organizations"));
    let cn = EndpointConfig { region: Some("aws-cn-global".into()), ..Default::default() };
    assert_eq!(endpoint::resolve(rules, &cn).unwrap().signing_region.as_deref(), Some("cn-northwest-1"));
}

/// Sends every request to one loopback address, keeping its `Host` header: what DNS would do
/// for the endpoint's host.
struct ToLoopback {
    inner: HyperConnector,
    addr: String,
}

impl HttpConnector for ToLoopback {
    fn send(&self, mut request: Request, timeout: Option<Duration>) -> BoxFuture<'_, Result<Response, ConnectorError>> {
        let pq = request.uri().path_and_query().map_or("/", |p| p.as_str()).to_string();
        *request.uri_mut() = format!("http://{}{pq}", self.addr).parse().unwrap();
        self.inner.send(request, timeout)
    }
}

#[tokio::test]
async fn a_fips_dual_stack_call_reaches_the_host_the_rules_give() {
    let stub = Stub::start(vec![Reply::json(200, DESCRIBE_CONNECTOR_RESPONSE)], creds(), "us-east-1", "appflow").await;
    let addr = stub.url.trim_start_matches("http://").to_string();
    let client = Client::builder()
        .region("us-east-1")
        .use_fips(true)
        .use_dual_stack(true)
        .credentials(creds())
        .connector(ToLoopback { inner: HyperConnector::new(Duration::from_secs(2)).unwrap(), addr })
        .build()
        .unwrap();
    client.describe_connector(describe_connector()).await.expect("the call succeeds");
    let r = &stub.received()[0];
    assert_eq!(r.header("host"), Some("appflow-fips.us-east-1.api.aws"));
    assert!(r.signature_ok, "signed for the host the rules give");
    assert!(r.header("authorization").unwrap().contains("/us-east-1/appflow/aws4_request"));
}

/// Operations set endpoint parameters of their own: Kinesis's `DescribeStream` sends
/// `OperationType=control` and its `StreamARN`, which puts the account into the host.
#[test]
fn operations_set_their_static_and_member_context_parameters() {
    let Some(shared) = integration_tests::shared_dir() else { return };
    let text = std::fs::read_to_string(shared.join("aws-models/kinesis.json")).unwrap();
    let model = codegen::load(&[codegen::Input { name: "kinesis.json", text: &text }]).unwrap();
    let closure = codegen::model::closure(&model, &codegen::model::Selection::default()).unwrap();
    let meta = codegen::ir::CrateMeta {
        name: "kinesis".into(),
        version: "0.1.0".into(),
        runtime: codegen::RuntimeDep::Path("../runtime".into()),
        standalone: false,
        compile_in_crate: false,
        protocol: None,
    };
    let ir = codegen::lower::lower(&model, &closure, &meta).unwrap();
    let op = ir.operations.iter().find(|o| o.wire_name == "DescribeStream").unwrap();
    assert_eq!(
        op.endpoint_params[0],
        codegen::ir::EndpointParam::Static {
            name: "OperationType".into(),
            value: rules::Value::String("control".into())
        }
    );
    assert!(
        matches!(&op.endpoint_params[1], codegen::ir::EndpointParam::Member { name, field, .. } if name == "StreamARN" && field == "stream_arn")
    );
    let rules: &'static rules::RuleSet = Box::leak(Box::new(ir.service.endpoint.rules.clone()));
    let config = EndpointConfig {
        region: Some("us-east-1".into()),
        params: vec![
            ("OperationType".into(), rules::Value::String("control".into())),
            ("StreamARN".into(), rules::Value::String("arn:aws:kinesis:us-east-1:123456789012:stream/orders".into())),
        ],
        ..Default::default()
    };
    assert_eq!(
        endpoint::resolve(rules, &config).unwrap().uri.to_string(),
        "https://123456789012.control-kinesis.us-east-1.amazonaws.com/"
    );
}
