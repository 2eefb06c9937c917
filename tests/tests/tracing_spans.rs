//! With the `tracing` feature, a call is one `awsgen.call` span and each attempt an
//! `awsgen.attempt` span inside it, with the operation, attempt number, status, error code and
//! duration, and never a credential, a signature or a body.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use appflow::{Appflow, Client};
use awsgen_runtime::{Credentials, RetryConfig};
use integration_tests::appflow_data::{describe_connector, DESCRIBE_CONNECTOR_RESPONSE};
use integration_tests::stub::{Reply, Stub};
use tracing_subscriber::fmt::format::FmtSpan;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn a_retried_call_is_one_call_span_with_an_attempt_span_per_attempt() {
    let out = Captured::default();
    let writer = out.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    let creds = Credentials::new("AKIDEXAMPLE", secret, Some("SESSIONTOKEN".into()));
    let stub = Stub::start(
        vec![
            Reply::error(503, "ServiceUnavailableException", "try later"),
            Reply::json(200, DESCRIBE_CONNECTOR_RESPONSE),
        ],
        creds.clone(),
        "us-east-1",
        "appflow",
    )
    .await;
    let client = Client::builder()
        .region("us-east-1")
        .endpoint_url(&stub.url)
        .credentials(creds)
        .retry(RetryConfig {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(1),
            max_backoff: Duration::from_millis(2),
        })
        .build()
        .unwrap();
    client.describe_connector(describe_connector()).await.unwrap();
    drop(_guard);

    let text = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
    // The lines the spans' closing writes, each with the span's fields.
    let lines: Vec<&str> = text.lines().filter(|l| l.contains("awsgen_runtime::trace: close")).collect();
    let attempts: Vec<&&str> = lines.iter().filter(|l| l.contains("awsgen.attempt{")).collect();
    assert_eq!(attempts.len(), 2, "{text}");
    assert!(attempts[0].contains("attempt=1") && attempts[0].contains("status=503"), "{text}");
    assert!(attempts[0].contains("error_code=\"ServiceUnavailableException\""), "{text}");
    assert!(attempts[1].contains("attempt=2") && attempts[1].contains("status=200"), "{text}");
    let call = lines.iter().find(|l| l.contains("awsgen.call") && !l.contains("awsgen.attempt{")).expect(&text);
    for field in ["service=\"Appflow\"", "operation=\"DescribeConnector\"", "attempts=2", "status=200", "duration_ms="]
    {
        assert!(call.contains(field), "{field} in {call}");
    }
    for secret_part in [secret, "SESSIONTOKEN", "Signature", "connectorConfiguration"] {
        assert!(!text.contains(secret_part), "{secret_part} leaked into\n{text}");
    }
}
