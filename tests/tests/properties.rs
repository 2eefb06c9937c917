//! Property tests of every output and error deserializer of the AppFlow crate: random and
//! mutated bodies never panic, valid values round-trip, and the crate's `serde` feature reads
//! and writes the same JSON as its wire functions.

use appflow::operation::describe_connector::DescribeConnector;
use appflow::operation::register_connector::RegisterConnector;
use appflow::operation::update_connector_registration::UpdateConnectorRegistration;
use appflow::operation::update_flow::UpdateFlow;
use awsgen_runtime::{Error, Operation};
use integration_tests::examples::{appflow_ir, Examples};
use proptest::prelude::*;

fn ir() -> &'static codegen::ir::Crate {
    static IR: std::sync::OnceLock<codegen::ir::Crate> = std::sync::OnceLock::new();
    IR.get_or_init(appflow_ir)
}

fn response(status: u16, code: Option<&str>, body: &[u8]) -> awsgen_runtime::http::Response {
    let mut b = http::Response::builder().status(status);
    if let Some(c) = code {
        b = b.header("x-amzn-errortype", c);
    }
    b.body(body.to_vec().into()).unwrap()
}

/// Parses with operation `O`; a panic fails the property.
fn parse<O: Operation>(status: u16, code: Option<&str>, body: &[u8]) -> Result<O::Output, Error<O::Error>> {
    let r = response(status, code, body);
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| O::parse_response(&r)))
        .unwrap_or_else(|_| panic!("parser panicked on {:?}", String::from_utf8_lossy(body)))
}

/// A valid output body of operation `name` from `seed`.
fn valid_output(name: &str, seed: u64) -> Vec<u8> {
    let op = ir().operations.iter().find(|o| o.wire_name == name).unwrap();
    Examples::new(ir(), seed).structure(&op.output).to_string().into_bytes()
}

/// Every output's valid bodies parse, and serde writes them back to values that parse the same.
fn round_trip<O>(name: &str, seed: u64)
where
    O: Operation,
    O::Output: serde::Serialize + PartialEq + std::fmt::Debug,
    O::Error: std::fmt::Debug,
{
    let body = valid_output(name, seed);
    let parsed = parse::<O>(200, None, &body).expect("a valid body parses");
    let again = serde_json::to_vec(&parsed).unwrap();
    assert_eq!(parse::<O>(200, None, &again).expect("re-serialized body parses"), parsed);
}

/// The `serde` feature's derived `Deserialize` reads a valid body as the wire reader does.
fn serde_reads_the_same<O>(name: &str, seed: u64)
where
    O: Operation,
    O::Output: serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
    O::Error: std::fmt::Debug,
{
    let body = valid_output(name, seed);
    let wire = parse::<O>(200, None, &body).expect("a valid body parses");
    let derived: O::Output = serde_json::from_slice(&body).expect("serde reads a valid body");
    assert_eq!(derived, wire, "{}", String::from_utf8_lossy(&body));
}

/// The `serde` feature's derived `Serialize` writes the JSON the wire writer sends.
fn serde_writes_the_same<O>(input: &O::Input)
where
    O: Operation,
    O::Input: serde::Serialize,
{
    let request = O::serialize_request(input).expect("the input serializes");
    let sent: serde_json::Value = serde_json::from_slice(request.body()).expect("a JSON body");
    assert_eq!(serde_json::to_value(input).unwrap(), sent);
}

#[test]
fn the_serde_feature_writes_what_the_wire_functions_send() {
    use integration_tests::appflow_data as data;
    serde_writes_the_same::<UpdateFlow>(&data::update_flow_realistic());
    serde_writes_the_same::<UpdateFlow>(&data::update_flow_minimal());
    serde_writes_the_same::<RegisterConnector>(&data::register_connector());
    serde_writes_the_same::<UpdateConnectorRegistration>(&data::update_connector_registration());
    serde_writes_the_same::<DescribeConnector>(&data::describe_connector());
}

#[derive(Debug, Clone)]
enum Mutation {
    Replace(usize, u8),
    Delete(usize, usize),
    Insert(usize, Vec<u8>),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Replace(i, b)),
        (any::<usize>(), 1usize..40).prop_map(|(i, n)| Mutation::Delete(i, n)),
        (
            any::<usize>(),
            prop::collection::vec(prop::sample::select(b"{}[]\":,0123456789.eE-+truefalsn \\u\xff".to_vec()), 1..12)
        )
            .prop_map(|(i, v)| Mutation::Insert(i, v)),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn mutate(mut body: Vec<u8>, ms: &[Mutation]) -> Vec<u8> {
    for m in ms {
        let len = body.len().max(1);
        match m {
            Mutation::Replace(i, b) => {
                if !body.is_empty() {
                    body[i % len] = *b;
                }
            }
            Mutation::Delete(i, n) => {
                let start = i % len;
                let end = (start + n).min(body.len());
                if start < end {
                    body.drain(start..end);
                }
            }
            Mutation::Insert(i, v) => {
                let at = i % (body.len() + 1);
                body.splice(at..at, v.iter().copied());
            }
            Mutation::Truncate(i) => body.truncate(i % len),
        }
    }
    body
}

/// Parses `body` as every output and every error of every operation; nothing may panic.
fn parse_everywhere(body: &[u8]) {
    let _ = parse::<DescribeConnector>(200, None, body);
    let _ = parse::<RegisterConnector>(200, None, body);
    let _ = parse::<UpdateConnectorRegistration>(200, None, body);
    let _ = parse::<UpdateFlow>(200, None, body);
    for op in &ir().operations {
        for e in &op.errors {
            let code = Some(codegen::model::shape_name(&e.id));
            let _ = parse::<DescribeConnector>(400, code, body);
            let _ = parse::<RegisterConnector>(400, code, body);
            let _ = parse::<UpdateConnectorRegistration>(400, code, body);
            let _ = parse::<UpdateFlow>(400, code, body);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn valid_outputs_round_trip(seed in 0u64..10_000) {
        round_trip::<DescribeConnector>("DescribeConnector", seed);
        round_trip::<RegisterConnector>("RegisterConnector", seed);
        round_trip::<UpdateConnectorRegistration>("UpdateConnectorRegistration", seed);
        round_trip::<UpdateFlow>("UpdateFlow", seed);
    }

    #[test]
    fn the_serde_feature_reads_what_the_wire_functions_read(seed in 0u64..10_000) {
        serde_reads_the_same::<DescribeConnector>("DescribeConnector", seed);
        serde_reads_the_same::<RegisterConnector>("RegisterConnector", seed);
        serde_reads_the_same::<UpdateConnectorRegistration>("UpdateConnectorRegistration", seed);
        serde_reads_the_same::<UpdateFlow>("UpdateFlow", seed);
    }

    #[test]
    fn valid_errors_parse_to_their_variant(seed in 0u64..10_000) {
        for op in &ir().operations {
            for e in &op.errors {
                let codegen::ir::TypeDef::Struct(s) = &ir().ty(&e.id).def else { unreachable!() };
                let code = codegen::model::shape_name(&e.id);
                let body = Examples::new(ir(), seed).structure(s).to_string();
                let err = parse::<UpdateFlow>(400, Some(code), body.as_bytes()).err();
                if op.wire_name == "UpdateFlow" {
                    let err = err.expect("an error");
                    prop_assert_eq!(err.code(), Some(code));
                    prop_assert!(matches!(err, Error::Service(_)), "{:?}", err);
                }
            }
        }
    }

    #[test]
    fn mutated_bodies_never_panic(seed in 0u64..10_000, ms in prop::collection::vec(mutation(), 1..6)) {
        let body = mutate(valid_output("DescribeConnector", seed), &ms);
        parse_everywhere(&body);
    }

    #[test]
    fn random_bytes_never_panic(body in prop::collection::vec(any::<u8>(), 0..300)) {
        parse_everywhere(&body);
    }
}

#[test]
fn hostile_inputs_are_errors() {
    for body in [
        "[".repeat(50_000).into_bytes(),
        "{\"connectorConfiguration\":".repeat(10_000).into_bytes(),
        format!("{{\"connectorConfiguration\":{{\"connectorName\":\"{}\"}}}}", "x".repeat(5_000_000)).into_bytes(),
        b"{\"connectorConfiguration\":{\"registeredAt\":1e400}}".to_vec(),
        b"{\"connectorConfiguration\":{\"registeredAt\":-99999999999999999999}}".to_vec(),
        b"{\"flowStatus\":\"\xff\xfe\"}".to_vec(),
    ] {
        parse_everywhere(&body);
    }
    // A huge but valid string is read, not rejected.
    let big = format!("{{\"connectorConfiguration\":{{\"connectorName\":\"{}\"}}}}", "x".repeat(5_000_000));
    assert!(parse::<DescribeConnector>(200, None, big.as_bytes()).is_ok());
}
