//! Instruction counts (Callgrind, through gungraun) of the calls `wire.rs` times: the whole
//! signed UpdateFlow and DescribeConnector calls, ours against aws-sdk-appflow, each with its
//! realistic and its minimal input or response, so that a body's share is the difference of two
//! counts that do not move between runs; and our serializer and parser alone.
//!
//! Every client is built, and has made one call, in the setup, which Callgrind does not count:
//! what is counted is one warm call, input already built, as `wire.rs`'s "the call alone".
//! Run with `scripts/bench.sh --instructions`, which installs the matching `gungraun-runner`.

use std::hint::black_box;

use appflow::operation::describe_connector::{DescribeConnector, DescribeConnectorInput};
use appflow::operation::update_flow::{UpdateFlow, UpdateFlowInput};
use appflow::{Appflow, Client};
use awsgen_runtime::Operation;
use benches::{our_client, sdk_client};
use gungraun::{library_benchmark, library_benchmark_group, main};
use integration_tests::appflow_data::*;
use integration_tests::sdk::{describe_connector_fluent, update_flow_fluent};
use tokio::runtime::Runtime;

type SdkUpdateFlow = aws_sdk_appflow::operation::update_flow::builders::UpdateFlowFluentBuilder;
type SdkDescribe = aws_sdk_appflow::operation::describe_connector::builders::DescribeConnectorFluentBuilder;

fn rt() -> Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

fn update_flow_input(realistic: bool) -> UpdateFlowInput {
    if realistic {
        update_flow_realistic()
    } else {
        update_flow_minimal()
    }
}

fn describe_body(realistic: bool) -> &'static str {
    if realistic {
        DESCRIBE_CONNECTOR_RESPONSE
    } else {
        "{}"
    }
}

fn ours_update_flow_setup(realistic: bool) -> (Runtime, Client, UpdateFlowInput) {
    let (rt, client, input) = (rt(), our_client(r#"{"flowStatus":"Active"}"#), update_flow_input(realistic));
    rt.block_on(client.update_flow(input.clone())).unwrap();
    (rt, client, input)
}

fn sdk_update_flow_setup(realistic: bool) -> (Runtime, SdkUpdateFlow) {
    let (rt, client, input) = (rt(), sdk_client(r#"{"flowStatus":"Active"}"#), update_flow_input(realistic));
    rt.block_on(update_flow_fluent(&client, &input).send()).unwrap();
    (rt, update_flow_fluent(&client, &input))
}

fn ours_describe_setup(realistic: bool) -> (Runtime, Client, DescribeConnectorInput) {
    let (rt, client, input) = (rt(), our_client(describe_body(realistic)), describe_connector());
    rt.block_on(client.describe_connector(input.clone())).unwrap();
    (rt, client, input)
}

fn sdk_describe_setup(realistic: bool) -> (Runtime, SdkDescribe) {
    let (rt, client, input) = (rt(), sdk_client(describe_body(realistic)), describe_connector());
    rt.block_on(describe_connector_fluent(&client, &input).send()).unwrap();
    (rt, describe_connector_fluent(&client, &input))
}

#[library_benchmark]
#[bench::realistic(args = (true), setup = ours_update_flow_setup)]
#[bench::minimal(args = (false), setup = ours_update_flow_setup)]
fn ours_update_flow((rt, client, input): (Runtime, Client, UpdateFlowInput)) -> (Runtime, Client) {
    black_box(rt.block_on(client.update_flow(input)).unwrap());
    (rt, client)
}

#[library_benchmark]
#[bench::realistic(args = (true), setup = sdk_update_flow_setup)]
#[bench::minimal(args = (false), setup = sdk_update_flow_setup)]
fn sdk_update_flow((rt, call): (Runtime, SdkUpdateFlow)) -> Runtime {
    black_box(rt.block_on(call.send()).unwrap());
    rt
}

#[library_benchmark]
#[bench::realistic(args = (true), setup = ours_describe_setup)]
#[bench::minimal(args = (false), setup = ours_describe_setup)]
fn ours_describe_connector((rt, client, input): (Runtime, Client, DescribeConnectorInput)) -> (Runtime, Client) {
    black_box(rt.block_on(client.describe_connector(input)).unwrap());
    (rt, client)
}

#[library_benchmark]
#[bench::realistic(args = (true), setup = sdk_describe_setup)]
#[bench::minimal(args = (false), setup = sdk_describe_setup)]
fn sdk_describe_connector((rt, call): (Runtime, SdkDescribe)) -> Runtime {
    black_box(rt.block_on(call.send()).unwrap());
    rt
}

#[library_benchmark]
#[bench::realistic(update_flow_realistic())]
fn ours_serialize_update_flow(input: UpdateFlowInput) -> UpdateFlowInput {
    black_box(UpdateFlow::serialize_request(black_box(&input)).unwrap());
    input
}

#[library_benchmark]
#[bench::realistic(http::Response::builder().status(200).body(DESCRIBE_CONNECTOR_RESPONSE.as_bytes().into()).unwrap())]
fn ours_parse_describe_connector(response: http::Response<bytes::Bytes>) -> http::Response<bytes::Bytes> {
    black_box(DescribeConnector::parse_response(black_box(&response)).unwrap());
    response
}

library_benchmark_group!(
    name = calls;
    benchmarks = ours_update_flow, sdk_update_flow, ours_describe_connector, sdk_describe_connector
);
library_benchmark_group!(
    name = wire;
    benchmarks = ours_serialize_update_flow, ours_parse_describe_connector
);

main!(library_benchmark_groups = calls, wire);
