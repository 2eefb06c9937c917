//! Wire speed: serializing the realistic UpdateFlow input and parsing the realistic
//! DescribeConnector response, ours against aws-sdk-appflow (through its public client with an
//! in-process HTTP client, the body's share isolated by subtracting the same call with a minimal
//! input or response) and against plain serde_json on hand-written structs; and the whole
//! signed call through an in-process transport. Every call is timed twice: with the building of
//! its input (as a user calls it) and alone (the input built before the clock starts).

use appflow::operation::describe_connector::DescribeConnector;
use appflow::operation::update_flow::UpdateFlow;
use appflow::Appflow;
use awsgen_runtime::Operation;
use benches::*;
use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion};
use integration_tests::appflow_data::*;
use integration_tests::sdk::update_flow_fluent;

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

fn serialize(c: &mut Criterion) {
    let input = update_flow_realistic();
    let body = UpdateFlow::serialize_request(&input).unwrap().into_body();
    let hand: HandUpdateFlow = serde_json::from_slice(&body).unwrap();
    assert_eq!(serde_json::to_value(&hand).unwrap(), serde_json::from_slice::<serde_json::Value>(&body).unwrap());

    let mut g = c.benchmark_group("serialize_update_flow");
    g.bench_function("ours_request", |b| {
        b.iter(|| UpdateFlow::serialize_request(std::hint::black_box(&input)).unwrap())
    });
    g.bench_function("ours_serde_body", |b| b.iter(|| serde_json::to_vec(std::hint::black_box(&input)).unwrap()));
    g.bench_function("hand_written_serde", |b| b.iter(|| serde_json::to_vec(std::hint::black_box(&hand)).unwrap()));

    let rt = rt();
    let minimal = update_flow_minimal();
    let ours = our_client(r#"{"flowStatus":"Active"}"#);
    let sdk = sdk_client(r#"{"flowStatus":"Active"}"#);
    for (name, input) in [("realistic", &input), ("minimal", &minimal)] {
        // As a user calls it: building the input (ours: the clone of a value; aws-sdk-appflow:
        // its fluent builder, filled from ours) is timed with the call.
        g.bench_with_input(BenchmarkId::new("ours_call", name), input, |b, i| {
            b.to_async(&rt).iter(|| async { ours.update_flow(i.clone()).await.unwrap() })
        });
        g.bench_with_input(BenchmarkId::new("sdk_call", name), input, |b, i| {
            b.to_async(&rt).iter(|| async { update_flow_fluent(&sdk, i).send().await.unwrap() })
        });
        // The call alone: the input is built before the clock starts, on both sides, right
        // before each call (`PerIteration`): built in batches, inputs would be cold in cache when
        // their call reads them, which an application's freshly built input is not.
        g.bench_with_input(BenchmarkId::new("ours_call_alone", name), input, |b, i| {
            b.to_async(&rt).iter_batched(
                || i.clone(),
                |i| async { ours.update_flow(i).await.unwrap() },
                BatchSize::PerIteration,
            )
        });
        g.bench_with_input(BenchmarkId::new("sdk_call_alone", name), input, |b, i| {
            b.to_async(&rt).iter_batched(
                || update_flow_fluent(&sdk, i),
                |call| async { call.send().await.unwrap() },
                BatchSize::PerIteration,
            )
        });
    }
    g.finish();
}

fn parse(c: &mut Criterion) {
    let response = http::Response::builder().status(200).body(DESCRIBE_CONNECTOR_RESPONSE.as_bytes().into()).unwrap();
    let mut g = c.benchmark_group("parse_describe_connector");
    g.bench_function("ours_response", |b| {
        b.iter(|| DescribeConnector::parse_response(std::hint::black_box(&response)).unwrap())
    });
    g.bench_function("hand_written_serde", |b| {
        b.iter(|| {
            serde_json::from_slice::<HandDescribe>(std::hint::black_box(DESCRIBE_CONNECTOR_RESPONSE.as_bytes()))
                .unwrap()
        })
    });
    let rt = rt();
    let input = describe_connector();
    for (name, body) in [("realistic", DESCRIBE_CONNECTOR_RESPONSE), ("minimal", "{}")] {
        let ours = our_client(body);
        let sdk = sdk_client(body);
        g.bench_function(BenchmarkId::new("ours_call", name), |b| {
            b.to_async(&rt).iter(|| async { ours.describe_connector(input.clone()).await.unwrap() })
        });
        g.bench_function(BenchmarkId::new("sdk_call", name), |b| {
            b.to_async(&rt).iter(|| async {
                integration_tests::sdk::describe_connector_fluent(&sdk, &input).send().await.unwrap()
            })
        });
        g.bench_function(BenchmarkId::new("ours_call_alone", name), |b| {
            b.to_async(&rt).iter_batched(
                || input.clone(),
                |i| async { ours.describe_connector(i).await.unwrap() },
                BatchSize::PerIteration,
            )
        });
        g.bench_function(BenchmarkId::new("sdk_call_alone", name), |b| {
            b.to_async(&rt).iter_batched(
                || integration_tests::sdk::describe_connector_fluent(&sdk, &input),
                |call| async { call.send().await.unwrap() },
                BatchSize::PerIteration,
            )
        });
    }
    g.finish();
}

/// Endpoint resolution: what building a client pays once (AppFlow's rules for a region with
/// FIPS), and what a call pays: nothing for operations without parameters of their own, whose
/// endpoint is resolved at build.
fn endpoint(c: &mut Criterion) {
    use awsgen_runtime::endpoint::{resolve, EndpointConfig};
    let config = EndpointConfig { region: Some("eu-west-1".into()), use_fips: true, ..Default::default() };
    assert_eq!(
        resolve(&appflow::endpoint::RULES, &config).unwrap().uri.to_string(),
        "https://appflow-fips.eu-west-1.amazonaws.com/"
    );
    c.bench_function("endpoint_resolve_appflow", |b| {
        b.iter(|| resolve(&appflow::endpoint::RULES, std::hint::black_box(&config)).unwrap())
    });
}

criterion_group!(benches, serialize, parse, endpoint);
criterion_main!(benches);
