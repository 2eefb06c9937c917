//! Realistic AppFlow inputs and responses, shared by the usage tests, the differential tests
//! against aws-sdk-appflow and the benchmarks.

use std::collections::BTreeMap;

use appflow::operation::describe_connector::DescribeConnectorInput;
use appflow::operation::register_connector::RegisterConnectorInput;
use appflow::operation::update_connector_registration::UpdateConnectorRegistrationInput;
use appflow::operation::update_flow::UpdateFlowInput;
use appflow::types::*;
use awsgen_runtime::DateTime;

/// A timestamp from epoch seconds with a fraction.
pub fn at(secs: i64, millis: u32) -> DateTime {
    DateTime::from_secs_and_nanos(secs, millis * 1_000_000).expect("in range")
}

fn error_handling(prefix: &str) -> ErrorHandlingConfig {
    ErrorHandlingConfig::builder()
        .fail_on_first_destination_error(true)
        .bucket_name("appflow-errors")
        .bucket_prefix(prefix)
        .build()
}

/// A Map task from `field` to itself, with the task properties a Salesforce-to-S3 flow uses.
pub fn map_task(field: &str) -> Task {
    Task::builder()
        .source_fields(vec![field.to_string()])
        .connector_operator(ConnectorOperator::builder().salesforce(SalesforceConnectorOperator::NoOp).build())
        .destination_field(field)
        .task_type(TaskType::Map)
        .task_properties(BTreeMap::from([
            (OperatorPropertiesKeys::SourceDataType, "string".to_string()),
            (OperatorPropertiesKeys::DestinationDataType, "string".to_string()),
        ]))
        .build()
        .expect("required members set")
}

/// The issue's realistic UpdateFlow input: Salesforce source, S3 and Snowflake destinations, 20
/// Map tasks with task properties, a scheduled trigger (a body of about 5 KB).
pub fn update_flow_realistic() -> UpdateFlowInput {
    let mut tasks = vec![Task::builder()
        .source_fields(vec!["Id".into(), "Name".into()])
        .connector_operator(ConnectorOperator::builder().salesforce(SalesforceConnectorOperator::Projection).build())
        .task_type(TaskType::Filter)
        .build()
        .expect("required members set")];
    for i in 0..20 {
        tasks.push(map_task(&format!("Field_{i:02}__c")));
    }
    UpdateFlowInput::builder()
        .flow_name("salesforce-accounts-to-s3")
        .description("Nightly copy of Salesforce accounts")
        .client_token("5f0c3a8e-7d6b-4b7e-9a51-0c2f1b9d8e11")
        .trigger_config(
            TriggerConfig::builder()
                .trigger_type(TriggerType::Scheduled)
                .trigger_properties(
                    TriggerProperties::builder()
                        .scheduled(
                            ScheduledTriggerProperties::builder()
                                .schedule_expression("rate(1days)")
                                .data_pull_mode(DataPullMode::Incremental)
                                .schedule_start_time(at(1_767_225_600, 250))
                                .schedule_end_time(at(1_798_761_600, 0))
                                .timezone("Europe/Berlin")
                                .schedule_offset(300i64)
                                .first_execution_from(at(1_735_689_600, 500))
                                .flow_error_deactivation_threshold(5)
                                .build()
                                .expect("required members set"),
                        )
                        .build(),
                )
                .build()
                .expect("required members set"),
        )
        .source_flow_config(
            SourceFlowConfig::builder()
                .connector_type(ConnectorType::Salesforce)
                .connector_profile_name("salesforce-prod")
                .api_version("59.0")
                .source_connector_properties(
                    SourceConnectorProperties::builder()
                        .salesforce(
                            SalesforceSourceProperties::builder()
                                .object("Account")
                                .enable_dynamic_field_update(true)
                                .include_deleted_records(false)
                                .data_transfer_api(SalesforceDataTransferApi::Automatic)
                                .build()
                                .expect("required members set"),
                        )
                        .build(),
                )
                .incremental_pull_config(
                    IncrementalPullConfig::builder().datetime_type_field_name("LastModifiedDate").build(),
                )
                .build()
                .expect("required members set"),
        )
        .destination_flow_config_list(vec![
            DestinationFlowConfig::builder()
                .connector_type(ConnectorType::S3)
                .destination_connector_properties(
                    DestinationConnectorProperties::builder()
                        .s3(S3DestinationProperties::builder()
                            .bucket_name("analytics-landing")
                            .bucket_prefix("salesforce/accounts")
                            .s3_output_format_config(
                                S3OutputFormatConfig::builder()
                                    .file_type(FileType::Parquet)
                                    .prefix_config(
                                        PrefixConfig::builder()
                                            .prefix_type(PrefixType::PathAndFilename)
                                            .prefix_format(PrefixFormat::Day)
                                            .path_prefix_hierarchy(vec![
                                                PathPrefix::ExecutionId,
                                                PathPrefix::SchemaVersion,
                                            ])
                                            .build(),
                                    )
                                    .aggregation_config(
                                        AggregationConfig::builder()
                                            .aggregation_type(AggregationType::SingleFile)
                                            .target_file_size(128i64)
                                            .build(),
                                    )
                                    .preserve_source_data_typing(true)
                                    .build(),
                            )
                            .build()
                            .expect("required members set"))
                        .build(),
                )
                .build()
                .expect("required members set"),
            DestinationFlowConfig::builder()
                .connector_type(ConnectorType::Snowflake)
                .connector_profile_name("snowflake-warehouse")
                .destination_connector_properties(
                    DestinationConnectorProperties::builder()
                        .snowflake(
                            SnowflakeDestinationProperties::builder()
                                .object("ANALYTICS.PUBLIC.ACCOUNTS")
                                .intermediate_bucket_name("snowflake-staging")
                                .bucket_prefix("appflow")
                                .error_handling_config(error_handling("snowflake-errors"))
                                .build()
                                .expect("required members set"),
                        )
                        .build(),
                )
                .build()
                .expect("required members set"),
        ])
        .tasks(tasks)
        .metadata_catalog_config(
            MetadataCatalogConfig::builder()
                .glue_data_catalog(
                    GlueDataCatalogConfig::builder()
                        .role_arn("arn:aws:iam::123456789012:role/appflow-glue")
                        .database_name("salesforce")
                        .table_prefix("sf_")
                        .build()
                        .expect("required members set"),
                )
                .build(),
        )
        .build()
        .expect("required members set")
}

/// A minimal UpdateFlow input: the smallest body the benchmarks subtract.
pub fn update_flow_minimal() -> UpdateFlowInput {
    UpdateFlowInput::builder()
        .flow_name("f1")
        .client_token("t")
        .trigger_config(TriggerConfig::builder().trigger_type(TriggerType::Ondemand).build().expect("set"))
        .source_flow_config(
            SourceFlowConfig::builder()
                .connector_type(ConnectorType::S3)
                .source_connector_properties(SourceConnectorProperties::builder().build())
                .build()
                .expect("set"),
        )
        .destination_flow_config_list(Vec::new())
        .tasks(Vec::new())
        .build()
        .expect("set")
}

pub fn register_connector() -> RegisterConnectorInput {
    RegisterConnectorInput::builder()
        .connector_label("my_custom_connector")
        .description("Reads tickets from our help desk")
        .connector_provisioning_type(ConnectorProvisioningType::Lambda)
        .connector_provisioning_config(
            ConnectorProvisioningConfig::builder()
                .lambda(
                    LambdaConnectorProvisioningConfig::builder()
                        .lambda_arn("arn:aws:lambda:us-east-1:123456789012:function:helpdesk-connector")
                        .build()
                        .expect("set"),
                )
                .build(),
        )
        .client_token("c0ffee00-0000-4000-8000-000000000001")
        .build()
}

pub fn update_connector_registration() -> UpdateConnectorRegistrationInput {
    UpdateConnectorRegistrationInput::builder()
        .connector_label("my_custom_connector")
        .description("Moves to the new function version")
        .connector_provisioning_config(
            ConnectorProvisioningConfig::builder()
                .lambda(
                    LambdaConnectorProvisioningConfig::builder()
                        .lambda_arn("arn:aws:lambda:us-east-1:123456789012:function:helpdesk-connector:7")
                        .build()
                        .expect("set"),
                )
                .build(),
        )
        .client_token("c0ffee00-0000-4000-8000-000000000002")
        .build()
        .expect("set")
}

pub fn describe_connector() -> DescribeConnectorInput {
    DescribeConnectorInput::builder()
        .connector_type(ConnectorType::Customconnector)
        .connector_label("my_custom_connector")
        .build()
        .expect("set")
}

/// A realistic DescribeConnector response body (about 3.5 KB): connector metadata, runtime
/// settings and authentication configuration.
pub const DESCRIBE_CONNECTOR_RESPONSE: &str = r#"{
  "connectorConfiguration": {
    "canUseAsSource": true,
    "canUseAsDestination": true,
    "supportedDestinationConnectors": ["S3", "Snowflake", "Redshift", "Salesforce", "EventBridge", "Upsolver", "CustomerProfiles", "Zendesk", "Marketo", "CustomConnector"],
    "supportedSchedulingFrequencies": ["BYMINUTE", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "ONCE"],
    "isPrivateLinkEnabled": false,
    "isPrivateLinkEndpointUrlRequired": false,
    "supportedTriggerTypes": ["Scheduled", "OnDemand", "Event"],
    "connectorMetadata": {
      "Salesforce": {
        "oAuthScopes": ["api", "refresh_token", "id", "openid"],
        "dataTransferApis": ["AUTOMATIC", "BULKV2", "REST_SYNC"],
        "oauth2GrantTypesSupported": ["AUTHORIZATION_CODE", "JWT_BEARER", "CLIENT_CREDENTIALS"]
      },
      "Amplitude": null,
      "Locke": null
    },
    "connectorType": "CustomConnector",
    "connectorLabel": "my_custom_connector",
    "connectorDescription": "Reads tickets from our help desk",
    "connectorOwner": "Example Corp",
    "connectorName": "HelpDesk",
    "connectorVersion": "1.4.2",
    "connectorArn": "arn:aws:appflow:us-east-1:123456789012:connector/my_custom_connector",
    "connectorModes": ["SOURCE", "DESTINATION"],
    "authenticationConfig": {
      "isBasicAuthSupported": false,
      "isApiKeyAuthSupported": true,
      "isOAuth2Supported": true,
      "isCustomAuthSupported": true,
      "oAuth2Defaults": {
        "oauthScopes": ["tickets:read", "tickets:write", "users:read"],
        "tokenUrls": ["https://helpdesk.example.com/oauth/token"],
        "authCodeUrls": ["https://helpdesk.example.com/oauth/authorize"],
        "oauth2GrantTypesSupported": ["AUTHORIZATION_CODE", "REFRESH_TOKEN"],
        "oauth2CustomProperties": [
          {"key": "tenant", "isRequired": true, "label": "Tenant", "description": "The help desk tenant", "isSensitiveField": false, "connectorSuppliedValues": ["eu", "us"], "type": "TOKEN_URL"},
          {"key": "audience", "isRequired": false, "label": "Audience", "description": "Token audience", "isSensitiveField": false, "type": "AUTH_URL"}
        ]
      },
      "customAuthConfigs": [
        {
          "customAuthenticationType": "HMAC",
          "authParameters": [
            {"key": "keyId", "isRequired": true, "label": "Key id", "description": "The HMAC key id", "isSensitiveField": false},
            {"key": "secret", "isRequired": true, "label": "Secret", "description": "The HMAC secret", "isSensitiveField": true, "connectorSuppliedValues": []}
          ]
        }
      ]
    },
    "connectorRuntimeSettings": [
      {"key": "instanceUrl", "dataType": "String", "isRequired": true, "label": "Instance URL", "description": "Where the help desk runs", "scope": "CONNECTOR_PROFILE", "connectorSuppliedValueOptions": ["https://eu.helpdesk.example.com", "https://us.helpdesk.example.com"]},
      {"key": "pageSize", "dataType": "Long", "isRequired": false, "label": "Page size", "description": "Records per page", "scope": "SOURCE"},
      {"key": "includeArchived", "dataType": "Boolean", "isRequired": false, "label": "Include archived", "description": "Read archived tickets too", "scope": "SOURCE"},
      {"key": "batchSize", "dataType": "Long", "isRequired": false, "label": "Batch size", "description": "Records per write", "scope": "DESTINATION"}
    ],
    "supportedApiVersions": ["v1", "v2"],
    "supportedOperators": ["PROJECTION", "LESS_THAN", "GREATER_THAN", "BETWEEN", "EQUAL_TO", "NOT_EQUAL_TO", "ADDITION", "MULTIPLICATION", "VALIDATE_NON_NULL", "MASK_ALL", "NO_OP"],
    "supportedWriteOperations": ["INSERT", "UPSERT", "UPDATE", "DELETE"],
    "connectorProvisioningType": "LAMBDA",
    "connectorProvisioningConfig": {"lambda": {"lambdaArn": "arn:aws:lambda:us-east-1:123456789012:function:helpdesk-connector"}},
    "logoURL": "https://helpdesk.example.com/logo.png",
    "registeredAt": 1736942400.123,
    "registeredBy": "arn:aws:iam::123456789012:user/admin",
    "supportedDataTransferTypes": ["RECORD", "FILE"],
    "supportedDataTransferApis": [{"Name": "tickets", "Type": "SYNC"}, {"Name": "exports", "Type": "ASYNC"}]
  }
}"#;
