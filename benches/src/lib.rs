//! Shared setup for the benchmarks: hand-written serde structs equivalent to the realistic
//! UpdateFlow input and DescribeConnector response (the "plain serde_json" baseline), and
//! clients of both SDKs behind in-process transports.

use std::collections::BTreeMap;
use std::sync::Arc;

use appflow::Client;
use awsgen_runtime::http::StaticConnector;
use awsgen_runtime::Credentials;
use serde::{Deserialize, Serialize};

/// Our client, answering every call in process with `body`.
pub fn our_client(body: &str) -> Client {
    Client::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKIDEXAMPLE", "secret", None))
        .connector(Arc::new(StaticConnector::new(200, body.as_bytes().to_vec())))
        .build()
        .expect("client")
}

/// aws-sdk-appflow's client, answering every call in process with `body`.
pub fn sdk_client(body: &'static str) -> aws_sdk_appflow::Client {
    let http = aws_smithy_http_client::test_util::infallible_client_fn(move |_req| {
        http::Response::builder()
            .status(200)
            .header("content-type", "application/json")
            .body(aws_smithy_types::body::SdkBody::from(body))
            .expect("response")
    });
    let config = aws_sdk_appflow::Config::builder()
        .behavior_version(aws_sdk_appflow::config::BehaviorVersion::latest())
        .region(aws_sdk_appflow::config::Region::new("us-east-1"))
        .credentials_provider(aws_sdk_appflow::config::Credentials::new("AKIDEXAMPLE", "secret", None, None, "bench"))
        .http_client(http)
        .build();
    aws_sdk_appflow::Client::from_conf(config)
}

// Hand-written equivalents of the realistic UpdateFlow input.

#[derive(Serialize, Deserialize, PartialEq, Debug)]
#[serde(rename_all = "camelCase")]
pub struct HandUpdateFlow {
    pub client_token: Option<String>,
    pub description: Option<String>,
    pub destination_flow_config_list: Vec<HandDestination>,
    pub flow_name: String,
    pub metadata_catalog_config: Option<HandCatalog>,
    pub source_flow_config: HandSource,
    pub tasks: Vec<HandTask>,
    pub trigger_config: HandTrigger,
}

#[derive(Serialize, Deserialize, PartialEq, Debug)]
#[serde(rename_all = "camelCase")]
pub struct HandCatalog {
    pub glue_data_catalog: HandGlue,
}

#[derive(Serialize, Deserialize, PartialEq, Debug)]
#[serde(rename_all = "camelCase")]
pub struct HandGlue {
    pub database_name: String,
    pub role_arn: String,
    pub table_prefix: String,
}

#[derive(Serialize, Deserialize, PartialEq, Debug)]
#[serde(rename_all = "camelCase")]
pub struct HandTrigger {
    pub trigger_properties: Option<HandTriggerProperties>,
    pub trigger_type: String,
}

#[derive(Serialize, Deserialize, PartialEq, Debug)]
pub struct HandTriggerProperties {
    #[serde(rename = "Scheduled")]
    pub scheduled: HandScheduled,
}

#[derive(Serialize, Deserialize, PartialEq, Debug)]
#[serde(rename_all = "camelCase")]
pub struct HandScheduled {
    pub data_pull_mode: String,
    pub first_execution_from: serde_json::Number,
    pub flow_error_deactivation_threshold: i32,
    pub schedule_end_time: serde_json::Number,
    pub schedule_expression: String,
    pub schedule_offset: i64,
    pub schedule_start_time: serde_json::Number,
    pub timezone: String,
}

#[derive(Serialize, Deserialize, PartialEq, Debug)]
#[serde(rename_all = "camelCase")]
pub struct HandSource {
    pub api_version: String,
    pub connector_profile_name: String,
    pub connector_type: String,
    pub incremental_pull_config: HandIncremental,
    pub source_connector_properties: HandSourceProps,
}

#[derive(Serialize, Deserialize, PartialEq, Debug)]
#[serde(rename_all = "camelCase")]
pub struct HandIncremental {
    pub datetime_type_field_name: String,
}

#[derive(Serialize, Deserialize, PartialEq, Debug)]
pub struct HandSourceProps {
    #[serde(rename = "Salesforce")]
    pub salesforce: HandSalesforce,
}

#[derive(Serialize, Deserialize, PartialEq, Debug)]
#[serde(rename_all = "camelCase")]
pub struct HandSalesforce {
    pub data_transfer_api: String,
    pub enable_dynamic_field_update: bool,
    pub include_deleted_records: bool,
    pub object: String,
}

#[derive(Serialize, Deserialize, PartialEq, Debug)]
#[serde(rename_all = "camelCase")]
pub struct HandDestination {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connector_profile_name: Option<String>,
    pub connector_type: String,
    pub destination_connector_properties: HandDestProps,
}

#[derive(Serialize, Deserialize, PartialEq, Debug)]
pub struct HandDestProps {
    #[serde(rename = "S3", skip_serializing_if = "Option::is_none")]
    pub s3: Option<HandS3>,
    #[serde(rename = "Snowflake", skip_serializing_if = "Option::is_none")]
    pub snowflake: Option<HandSnowflake>,
}

#[derive(Serialize, Deserialize, PartialEq, Debug)]
#[serde(rename_all = "camelCase")]
pub struct HandS3 {
    pub bucket_name: String,
    pub bucket_prefix: String,
    pub s3_output_format_config: HandS3Format,
}

#[derive(Serialize, Deserialize, PartialEq, Debug)]
#[serde(rename_all = "camelCase")]
pub struct HandS3Format {
    pub aggregation_config: HandAggregation,
    pub file_type: String,
    pub prefix_config: HandPrefix,
    pub preserve_source_data_typing: bool,
}

#[derive(Serialize, Deserialize, PartialEq, Debug)]
#[serde(rename_all = "camelCase")]
pub struct HandAggregation {
    pub aggregation_type: String,
    pub target_file_size: i64,
}

#[derive(Serialize, Deserialize, PartialEq, Debug)]
#[serde(rename_all = "camelCase")]
pub struct HandPrefix {
    pub path_prefix_hierarchy: Vec<String>,
    pub prefix_format: String,
    pub prefix_type: String,
}

#[derive(Serialize, Deserialize, PartialEq, Debug)]
#[serde(rename_all = "camelCase")]
pub struct HandSnowflake {
    pub bucket_prefix: String,
    pub error_handling_config: HandErrorHandling,
    pub intermediate_bucket_name: String,
    pub object: String,
}

#[derive(Serialize, Deserialize, PartialEq, Debug)]
#[serde(rename_all = "camelCase")]
pub struct HandErrorHandling {
    pub bucket_name: String,
    pub bucket_prefix: String,
    pub fail_on_first_destination_error: bool,
}

#[derive(Serialize, Deserialize, PartialEq, Debug)]
#[serde(rename_all = "camelCase")]
pub struct HandTask {
    pub connector_operator: HandOperator,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destination_field: Option<String>,
    pub source_fields: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task_properties: Option<BTreeMap<String, String>>,
    pub task_type: String,
}

#[derive(Serialize, Deserialize, PartialEq, Debug)]
pub struct HandOperator {
    #[serde(rename = "Salesforce")]
    pub salesforce: String,
}

// Hand-written equivalents of the realistic DescribeConnector response.

#[derive(Deserialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct HandDescribe {
    pub connector_configuration: Option<HandConnectorConfiguration>,
}

#[derive(Deserialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct HandConnectorConfiguration {
    #[serde(default)]
    pub can_use_as_source: bool,
    #[serde(default)]
    pub can_use_as_destination: bool,
    pub supported_destination_connectors: Option<Vec<String>>,
    pub supported_scheduling_frequencies: Option<Vec<String>>,
    #[serde(default)]
    pub is_private_link_enabled: bool,
    #[serde(default)]
    pub is_private_link_endpoint_url_required: bool,
    pub supported_trigger_types: Option<Vec<String>>,
    pub connector_metadata: Option<HandMetadata>,
    pub connector_type: Option<String>,
    pub connector_label: Option<String>,
    pub connector_description: Option<String>,
    pub connector_owner: Option<String>,
    pub connector_name: Option<String>,
    pub connector_version: Option<String>,
    pub connector_arn: Option<String>,
    pub connector_modes: Option<Vec<String>>,
    pub authentication_config: Option<HandAuth>,
    pub connector_runtime_settings: Option<Vec<HandRuntimeSetting>>,
    pub supported_api_versions: Option<Vec<String>>,
    pub supported_operators: Option<Vec<String>>,
    pub supported_write_operations: Option<Vec<String>>,
    pub connector_provisioning_type: Option<String>,
    pub connector_provisioning_config: Option<HandProvisioning>,
    #[serde(rename = "logoURL")]
    pub logo_url: Option<String>,
    pub registered_at: Option<f64>,
    pub registered_by: Option<String>,
    pub supported_data_transfer_types: Option<Vec<String>>,
    pub supported_data_transfer_apis: Option<Vec<HandDataTransferApi>>,
}

#[derive(Deserialize, Debug)]
pub struct HandMetadata {
    #[serde(rename = "Salesforce")]
    pub salesforce: Option<HandSalesforceMetadata>,
    #[serde(rename = "Amplitude")]
    pub amplitude: Option<serde_json::Map<String, serde_json::Value>>,
}

#[derive(Deserialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct HandSalesforceMetadata {
    pub o_auth_scopes: Option<Vec<String>>,
    pub data_transfer_apis: Option<Vec<String>>,
    pub oauth2_grant_types_supported: Option<Vec<String>>,
}

#[derive(Deserialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct HandAuth {
    #[serde(default)]
    pub is_basic_auth_supported: bool,
    #[serde(default)]
    pub is_api_key_auth_supported: bool,
    #[serde(default, rename = "isOAuth2Supported")]
    pub is_oauth2_supported: bool,
    #[serde(default)]
    pub is_custom_auth_supported: bool,
    #[serde(rename = "oAuth2Defaults")]
    pub oauth2_defaults: Option<HandOAuth2Defaults>,
    pub custom_auth_configs: Option<Vec<HandCustomAuth>>,
}

#[derive(Deserialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct HandOAuth2Defaults {
    pub oauth_scopes: Option<Vec<String>>,
    pub token_urls: Option<Vec<String>>,
    pub auth_code_urls: Option<Vec<String>>,
    pub oauth2_grant_types_supported: Option<Vec<String>>,
    pub oauth2_custom_properties: Option<Vec<HandOAuth2Param>>,
}

#[derive(Deserialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct HandOAuth2Param {
    pub key: Option<String>,
    #[serde(default)]
    pub is_required: bool,
    pub label: Option<String>,
    pub description: Option<String>,
    #[serde(default)]
    pub is_sensitive_field: bool,
    pub connector_supplied_values: Option<Vec<String>>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
}

#[derive(Deserialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct HandCustomAuth {
    pub custom_authentication_type: Option<String>,
    pub auth_parameters: Option<Vec<HandAuthParameter>>,
}

#[derive(Deserialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct HandAuthParameter {
    pub key: Option<String>,
    #[serde(default)]
    pub is_required: bool,
    pub label: Option<String>,
    pub description: Option<String>,
    #[serde(default)]
    pub is_sensitive_field: bool,
    pub connector_supplied_values: Option<Vec<String>>,
}

#[derive(Deserialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct HandRuntimeSetting {
    pub key: Option<String>,
    pub data_type: Option<String>,
    #[serde(default)]
    pub is_required: bool,
    pub label: Option<String>,
    pub description: Option<String>,
    pub scope: Option<String>,
    pub connector_supplied_value_options: Option<Vec<String>>,
}

#[derive(Deserialize, Debug)]
pub struct HandProvisioning {
    pub lambda: Option<HandLambda>,
}

#[derive(Deserialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct HandLambda {
    pub lambda_arn: String,
}

#[derive(Deserialize, Debug)]
pub struct HandDataTransferApi {
    #[serde(rename = "Name")]
    pub name: Option<String>,
    #[serde(rename = "Type")]
    pub kind: Option<String>,
}
