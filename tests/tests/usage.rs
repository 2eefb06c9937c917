//! The generated AppFlow crate used as a user would: builders for every input, the wire body,
//! response and error parsing, validation, and code generic over the client trait.

use std::sync::Arc;

use appflow::operation::describe_connector::{
    DescribeConnector, DescribeConnectorError, DescribeConnectorInput, DescribeConnectorOutput,
};
use appflow::operation::register_connector::RegisterConnector;
use appflow::operation::update_connector_registration::UpdateConnectorRegistration;
use appflow::operation::update_flow::{UpdateFlow, UpdateFlowError, UpdateFlowInput, UpdateFlowOutput};
use appflow::types::*;
use appflow::Appflow;
use awsgen_runtime::validate::Validate;
use awsgen_runtime::{BoxFuture, Error, Operation};
use integration_tests::appflow_data::*;
use serde_json::{json, Value};

fn body(req: &awsgen_runtime::http::Request) -> Value {
    serde_json::from_slice(req.body()).expect("JSON body")
}

#[test]
fn every_input_builds_and_serializes_as_a_post_with_a_json_body() {
    let cases: Vec<(awsgen_runtime::http::Request, &str)> = vec![
        (UpdateFlow::serialize_request(&update_flow_realistic()).unwrap(), "/update-flow"),
        (UpdateFlow::serialize_request(&update_flow_minimal()).unwrap(), "/update-flow"),
        (RegisterConnector::serialize_request(&register_connector()).unwrap(), "/register-connector"),
        (
            UpdateConnectorRegistration::serialize_request(&update_connector_registration()).unwrap(),
            "/update-connector-registration",
        ),
        (DescribeConnector::serialize_request(&describe_connector()).unwrap(), "/describe-connector"),
    ];
    for (req, path) in cases {
        assert_eq!(req.method(), "POST");
        assert_eq!(req.uri().path(), path);
        assert_eq!(req.headers()["content-type"], "application/json");
        assert_eq!(req.headers()["content-length"], req.body().len().to_string().as_str());
        assert!(body(&req).is_object());
    }
}

#[test]
fn the_request_body_is_the_serde_form_of_the_input() {
    let input = update_flow_realistic();
    let req = UpdateFlow::serialize_request(&input).unwrap();
    assert_eq!(req.body(), &serde_json::to_vec(&input).unwrap());
    let back: UpdateFlowInput = serde_json::from_slice(req.body()).unwrap();
    assert_eq!(back, input);
    let b = body(&req);
    assert_eq!(b["flowName"], "salesforce-accounts-to-s3");
    assert_eq!(b["triggerConfig"]["triggerProperties"]["Scheduled"]["scheduleStartTime"], json!(1767225600.25));
    assert_eq!(b["triggerConfig"]["triggerProperties"]["Scheduled"]["scheduleEndTime"], json!(1798761600));
    assert_eq!(b["tasks"][1]["taskProperties"]["SOURCE_DATA_TYPE"], "string");
    assert_eq!(
        b["destinationFlowConfigList"][0]["destinationConnectorProperties"]["S3"]["s3OutputFormatConfig"]["fileType"],
        "PARQUET"
    );
    let len = req.body().len();
    assert!((4_000..7_000).contains(&len), "the realistic body is about 5 KB, got {len}");
}

#[test]
fn build_reports_every_missing_required_member_by_name() {
    let err = UpdateFlowInput::builder().description("x").build().unwrap_err();
    assert_eq!(
        err.missing,
        // In model order, as the struct lists its fields.
        vec!["flowName", "triggerConfig", "sourceFlowConfig", "destinationFlowConfigList", "tasks"]
    );
    assert_eq!(
        err.to_string(),
        "cannot build `UpdateFlowInput`: missing required members `flowName`, `triggerConfig`, \
         `sourceFlowConfig`, `destinationFlowConfigList`, `tasks`"
    );
    let err = Task::builder().task_type(TaskType::Map).build().unwrap_err();
    assert_eq!(err.to_string(), "cannot build `Task`: missing required member `sourceFields`");
}

#[test]
fn enums_keep_unknown_values_and_know_their_values() {
    assert_eq!(ConnectorType::from("Salesforce"), ConnectorType::Salesforce);
    assert_eq!(ConnectorType::Salesforce.as_str(), "Salesforce");
    let unknown: ConnectorType = "SALESFORCE".parse().unwrap();
    assert_eq!(unknown, ConnectorType::Unknown("SALESFORCE".into()));
    assert_eq!(unknown.as_str(), "SALESFORCE");
    // Equality is by wire string; the variants themselves must be the known one and `Unknown`.
    assert!(matches!(ConnectorType::from(String::from("Salesforce")), ConnectorType::Salesforce));
    assert!(matches!(ConnectorType::from(String::from("Locke")), ConnectorType::Unknown(v) if v == "Locke"));
    assert!(ConnectorType::VALUES.contains(&"CustomConnector"));
    assert_eq!(serde_json::to_string(&unknown).unwrap(), "\"SALESFORCE\"");
    assert_eq!(serde_json::from_str::<TaskType>("\"Map\"").unwrap(), TaskType::Map);
}

fn response(status: u16, headers: &[(&str, &str)], body: &str) -> awsgen_runtime::http::Response {
    let mut b = http::Response::builder().status(status);
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    b.body(body.as_bytes().to_vec().into()).unwrap()
}

#[test]
fn describe_connector_response_parses_with_unknown_members_nulls_and_fractions() {
    let out = DescribeConnector::parse_response(&response(200, &[], DESCRIBE_CONNECTOR_RESPONSE)).unwrap();
    let c = out.connector_configuration.unwrap();
    assert!(c.can_use_as_source);
    assert_eq!(c.connector_type, Some(ConnectorType::Customconnector));
    assert_eq!(c.registered_at, Some(at(1_736_942_400, 123)));
    let sf = c.connector_metadata.unwrap().salesforce.unwrap();
    assert_eq!(sf.oauth_scopes.unwrap().len(), 4);
    let auth = c.authentication_config.unwrap();
    assert_eq!(
        auth.custom_auth_configs.unwrap()[0].auth_parameters.as_ref().unwrap()[1].key.as_deref(),
        Some("secret")
    );
    assert_eq!(c.supported_data_transfer_apis.unwrap()[1].r#type, Some(DataTransferApiType::Async));
}

#[test]
fn the_documented_sample_response_parses() {
    // The sample in the service documentation: nulls everywhere, a connector type in another
    // spelling and metadata for connectors this model does not know.
    let sample = r#"{"connectorConfiguration":{"authenticationConfig":null,"canUseAsDestination":true,"canUseAsSource":true,
        "connectorArn":null,"connectorDescription":"Salesforce","connectorLabel":null,
        "connectorMetadata":{"Amplitude":null,"AppIntegrations":null,"Locke":null,"Salesforce":{"oAuthScopes":["api","refresh_token","id"]}},
        "connectorModes":null,"connectorType":"SALESFORCE","isPrivateLinkEnabled":true,"isPrivateLinkEndpointUrlRequired":false,
        "logoURL":"insert-logo-here","registeredAt":null,"supportedDestinationConnectors":["S3","Snowflake","Locke"],
        "supportedSchedulingFrequencies":["BYMINUTE","HOURLY"],"supportedTriggerTypes":["Scheduled","OnDemand","Event"]}}"#;
    let c = DescribeConnector::parse_response(&response(200, &[], sample)).unwrap().connector_configuration.unwrap();
    assert_eq!(c.connector_type, Some(ConnectorType::Unknown("SALESFORCE".into())));
    assert_eq!(c.supported_destination_connectors.unwrap()[2], ConnectorType::Unknown("Locke".into()));
    assert_eq!(c.supported_trigger_types.unwrap()[1], TriggerType::Ondemand);
    assert!(c.registered_at.is_none());
}

#[test]
fn a_missing_required_member_in_a_response_gets_its_zero_value() {
    // Smithy 2.0 client error correction: `canUseAsSource` and friends are required.
    let out = DescribeConnector::parse_response(&response(200, &[], r#"{"connectorConfiguration":{}}"#)).unwrap();
    let c = out.connector_configuration.unwrap();
    assert!(!c.can_use_as_source && !c.is_private_link_enabled);
}

#[test]
fn modeled_errors_are_typed_and_unknown_ones_keep_everything() {
    let err = UpdateFlow::parse_response(&response(
        404,
        &[("x-amzn-errortype", "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.appflow/")],
        r#"{"message":"no flow named x"}"#,
    ))
    .unwrap_err();
    match &err {
        Error::Service(UpdateFlowError::ResourceNotFoundException(e)) => {
            assert_eq!(e.message.as_deref(), Some("no flow named x"))
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(err.code(), Some("ResourceNotFoundException"));
    assert!(!err.is_retryable());
    assert_eq!(err.to_string(), "service error: ResourceNotFoundException: no flow named x");

    let err = UpdateFlow::parse_response(&response(
        400,
        &[],
        r#"{"__type":"com.amazonaws.appflow#BrandNewException","message":"new"}"#,
    ))
    .unwrap_err();
    match err {
        Error::Unhandled(u) => {
            assert_eq!(
                (u.status, u.code.as_deref(), u.message.as_deref()),
                (400, Some("BrandNewException"), Some("new"))
            );
            assert!(u.body.starts_with(b"{\"__type\""));
        }
        other => panic!("{other:?}"),
    }

    let err = UpdateFlow::parse_response(&response(500, &[("x-amzn-errortype", "InternalServerException")], "{}"))
        .unwrap_err();
    assert!(err.is_retryable(), "5xx modeled errors are retried");
}

#[test]
fn malformed_responses_are_errors_that_say_where() {
    for body in [r#"{"flowStatus": 5}"#, r#"{"flowStatus": "Active""#, "\u{0}\u{1}", r#"[1,2"#] {
        match UpdateFlow::parse_response(&response(200, &[], body)) {
            Err(Error::Response(e)) => assert!(e.message.contains("at byte "), "{}", e.message),
            other => panic!("{body:?}: {other:?}"),
        }
    }
    let deep = "[".repeat(100_000);
    assert!(matches!(DescribeConnector::parse_response(&response(200, &[], &deep)), Err(Error::Response(_))));
}

#[test]
fn validation_names_the_member_path() {
    let mut input = update_flow_realistic();
    input.flow_name = "has spaces and is much too long ".repeat(10);
    input.tasks[0].source_fields = vec!["x".repeat(3000)];
    let errors = input.validate().unwrap_err();
    let paths: Vec<&str> = errors.0.iter().map(|e| e.path.as_str()).collect();
    assert!(paths.contains(&"flowName"), "{errors}");
    assert!(paths.contains(&"tasks[0].sourceFields[0]"), "{errors}");
    assert!(errors.to_string().contains("flowName: length 320 is not between 0 and 256"), "{errors}");
    assert!(errors.to_string().contains("does not match the pattern"), "{errors}");
    assert!(update_flow_realistic().validate().is_ok());
}

/// A pattern with parts after its prefix (`^arn:aws:.*:.*:[0-9]+:`) is checked by the automaton
/// the generator compiled from it, with no regex engine in the crate.
#[test]
fn patterns_compiled_into_automata_are_checked() {
    let input = |arn: &str| {
        let lambda = LambdaConnectorProvisioningConfig::builder().lambda_arn(arn).build().unwrap();
        let config = ConnectorProvisioningConfig::builder().lambda(lambda).build();
        appflow::operation::register_connector::RegisterConnectorInput::builder()
            .connector_provisioning_config(config)
            .build()
    };
    for good in ["arn:aws:lambda:us-east-1:123456789012:function:f", "arn:aws:::1:"] {
        assert!(input(good).validate().is_ok(), "{good}");
    }
    for bad in ["", "lambda", "arn:aws:lambda:us-east-1:12345678901x:function", " arn:aws:lambda:x:1:"] {
        let errors = input(bad).validate().unwrap_err().0;
        assert_eq!(errors.len(), 1, "{bad:?}: {errors:?}");
        assert_eq!(errors[0].path, "connectorProvisioningConfig.lambda.lambdaArn");
        assert_eq!(errors[0].message, format!("{bad:?} does not match the pattern ^arn:aws:.*:.*:[0-9]+:"));
    }
}

/// Code that uses AppFlow, generic over the client.
async fn flow_status(client: &impl Appflow) -> Result<FlowStatus, Error<UpdateFlowError>> {
    let out = client.update_flow(update_flow_minimal()).await?;
    Ok(out.flow_status.unwrap_or(FlowStatus::Unknown("none".into())))
}

struct Mock;

impl Appflow for Mock {
    fn update_flow(&self, _input: UpdateFlowInput) -> BoxFuture<'_, Result<UpdateFlowOutput, Error<UpdateFlowError>>> {
        Box::pin(async { Ok(UpdateFlowOutput::builder().flow_status(FlowStatus::Active).build()) })
    }
}

#[tokio::test]
async fn a_mock_of_a_few_lines_replaces_the_client() {
    assert_eq!(flow_status(&Mock).await.unwrap(), FlowStatus::Active);
    // As a trait object, too.
    let dynamic: Arc<dyn Appflow> = Arc::new(Mock);
    let out: Result<DescribeConnectorOutput, Error<DescribeConnectorError>> = dynamic
        .describe_connector(DescribeConnectorInput::builder().connector_type(ConnectorType::S3).build().unwrap())
        .await;
    assert!(matches!(out, Err(Error::NotImplemented { operation: "DescribeConnector" })));
}

#[test]
fn single_class_patterns_are_enforced_character_by_character() {
    // S3DestinationProperties.bucketName is `^\S+$` (checked without the regex engine) and
    // 3 to 63 characters long.
    let errors_for = |bucket: &str| {
        let mut input = update_flow_realistic();
        let s3 = input.destination_flow_config_list[0].destination_connector_properties.s3.as_mut().unwrap();
        s3.bucket_name = bucket.into();
        input.validate().err().map(|e| e.0).unwrap_or_default()
    };
    // `\S` is Java's: any character but ASCII whitespace, so U+2028 (a Unicode line separator)
    // is allowed, as the service allows it.
    for ok in ["my-bucket", "é😀x", "end\u{2028}"] {
        assert_eq!(errors_for(ok), [], "{ok:?}");
    }
    for bad in ["my bucket", "tab\there", "line\nbreak"] {
        let errors = errors_for(bad);
        assert_eq!(errors.len(), 1, "{bad:?}: {errors:?}");
        assert_eq!(errors[0].path, "destinationFlowConfigList[0].destinationConnectorProperties.S3.bucketName");
        assert_eq!(errors[0].message, format!("{bad:?} does not match the pattern ^\\S+$"));
    }
    // Two characters in six bytes: too short, and no whitespace.
    let errors = errors_for("é😀");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].message, "length 2 is not between 3 and 63");
}

#[test]
fn java_style_patterns_from_the_model_are_translated_and_enforced() {
    // GlueDataCatalogConfig's patterns are written with \uXXXX escapes and surrogate pairs.
    let mut input = update_flow_realistic();
    let glue = input.metadata_catalog_config.as_mut().unwrap().glue_data_catalog.as_mut().unwrap();
    glue.table_prefix = "ok_prefix_é_😀".into();
    assert!(input.validate().is_ok(), "{:?}", input.validate());
    let glue = input.metadata_catalog_config.as_mut().unwrap().glue_data_catalog.as_mut().unwrap();
    glue.table_prefix = "bell\u{7}".into();
    let errors = input.validate().unwrap_err();
    assert_eq!(errors.0[0].path, "metadataCatalogConfig.glueDataCatalog.tablePrefix", "{errors}");
}
