//! Retries as the AWS SDKs' standard mode behaves: the retry quota stops retries when a service
//! keeps failing and refills with successes; a service clock 20 minutes ahead is learned from
//! the first rejected request, that attempt is signed again, and later calls are signed right
//! the first time.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use appflow::{Appflow, Client};
use awsgen_runtime::http::{ConnectorError, HttpConnector, Request, Response};
use awsgen_runtime::{BoxFuture, Credentials, RetryConfig};
use integration_tests::appflow_data::{describe_connector, DESCRIBE_CONNECTOR_RESPONSE};
use integration_tests::stub::{Reply, Stub};

fn creds() -> Credentials {
    Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None)
}

/// Answers 500 while `failing` says so, then 200; counts requests.
struct Flaky {
    sent: Arc<AtomicUsize>,
    failing: Arc<std::sync::atomic::AtomicBool>,
}

impl HttpConnector for Flaky {
    fn send(&self, _request: Request, _timeout: Option<Duration>) -> BoxFuture<'_, Result<Response, ConnectorError>> {
        self.sent.fetch_add(1, Ordering::SeqCst);
        let (status, body) = if self.failing.load(Ordering::SeqCst) {
            (500, r#"{"message": "internal error"}"#.to_string())
        } else {
            (200, DESCRIBE_CONNECTOR_RESPONSE.to_string())
        };
        let response = http::Response::builder().status(status).body(body.into()).unwrap();
        Box::pin(async move { Ok(response) })
    }
}

#[tokio::test]
async fn a_burst_of_failures_drains_the_retry_quota_and_successes_refill_it() {
    let sent = Arc::new(AtomicUsize::new(0));
    let failing = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let client = Client::builder()
        .region("us-east-1")
        .credentials(creds())
        .retry(RetryConfig {
            max_attempts: 3,
            initial_backoff: Duration::from_micros(10),
            max_backoff: Duration::from_micros(50),
        })
        .connector(Flaky { sent: sent.clone(), failing: failing.clone() })
        .build()
        .unwrap();
    assert_eq!(client.core().retry_quota(), 500);
    // 50 failing calls, 2 retries each at 5: the quota is empty.
    for _ in 0..50 {
        assert!(client.describe_connector(describe_connector()).await.is_err());
    }
    assert_eq!(sent.load(Ordering::SeqCst), 150);
    assert_eq!(client.core().retry_quota(), 0);
    // Now a failure is not retried at all.
    let before = sent.load(Ordering::SeqCst);
    assert!(client.describe_connector(describe_connector()).await.is_err());
    assert_eq!(sent.load(Ordering::SeqCst) - before, 1, "no retry with an empty quota");
    // Each success at the first attempt gives one back; five of them pay for one retry.
    failing.store(false, Ordering::SeqCst);
    for _ in 0..5 {
        client.describe_connector(describe_connector()).await.unwrap();
    }
    assert_eq!(client.core().retry_quota(), 5);
    failing.store(true, Ordering::SeqCst);
    let before = sent.load(Ordering::SeqCst);
    assert!(client.describe_connector(describe_connector()).await.is_err());
    assert_eq!(sent.load(Ordering::SeqCst) - before, 2, "one retry, then the quota is empty again");
}

#[tokio::test]
async fn a_skewed_service_clock_is_learned_and_corrected() {
    let ahead = 20 * 60;
    let stub = Stub::start_with_clock(
        vec![Reply::json(200, DESCRIBE_CONNECTOR_RESPONSE)],
        creds(),
        "us-east-1",
        "appflow",
        ahead,
    )
    .await;
    let client = Client::builder().region("us-east-1").endpoint_url(&stub.url).credentials(creds()).build().unwrap();
    client.describe_connector(describe_connector()).await.expect("corrected and retried");
    assert_eq!(stub.received().len(), 2, "the first attempt is rejected, the second signed with the corrected time");
    let skew = client.core().clock_skew_millis();
    assert!((skew - ahead * 1000).abs() < 5_000, "learned skew {skew} ms");
    client.describe_connector(describe_connector()).await.expect("signed right the first time");
    assert_eq!(stub.received().len(), 3);
    assert_eq!(client.core().retry_quota(), 500, "a clock correction costs no quota");
}

/// Answers `ThrottlingException` to the first `throttle` requests, then 200; records when each
/// request arrived on the (paused) tokio clock.
struct Throttling {
    throttle: usize,
    arrivals: Arc<std::sync::Mutex<Vec<tokio::time::Instant>>>,
}

impl HttpConnector for Throttling {
    fn send(&self, _request: Request, _timeout: Option<Duration>) -> BoxFuture<'_, Result<Response, ConnectorError>> {
        let mut arrivals = self.arrivals.lock().unwrap();
        arrivals.push(tokio::time::Instant::now());
        let response = if arrivals.len() <= self.throttle {
            http::Response::builder()
                .status(400)
                .header("x-amzn-errortype", "ThrottlingException")
                .body(r#"{"message": "Rate exceeded"}"#.into())
        } else {
            http::Response::builder().status(200).body(DESCRIBE_CONNECTOR_RESPONSE.into())
        };
        let response = response.unwrap();
        Box::pin(async move { Ok(response) })
    }
}

/// Makes ten calls after two throttled ones and returns how long (on the paused clock) the ten
/// successful requests took to send, from the first to the last.
async fn send_window(mode: awsgen_runtime::RetryMode) -> (Duration, Client) {
    let arrivals = Arc::new(std::sync::Mutex::new(Vec::new()));
    let client = Client::builder()
        .region("us-east-1")
        .credentials(creds())
        .retry_mode(mode)
        .retry(RetryConfig {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(10),
            max_backoff: Duration::from_millis(20),
        })
        .connector(Throttling { throttle: 2, arrivals: arrivals.clone() })
        .build()
        .unwrap();
    for _ in 0..10 {
        client.describe_connector(describe_connector()).await.expect("succeeds after the throttled attempts");
    }
    let arrivals = arrivals.lock().unwrap().clone();
    assert_eq!(arrivals.len(), 12, "two throttled attempts, then ten calls");
    (arrivals[11] - arrivals[2], client)
}

#[tokio::test(start_paused = true)]
async fn adaptive_mode_slows_the_send_rate_after_throttling_and_standard_mode_does_not() {
    let (standard, client) = send_window(awsgen_runtime::RetryMode::Standard).await;
    assert!(client.core().rate_limiter().is_none());
    assert_eq!(standard, Duration::ZERO, "standard mode sends as fast as it can");
    let (adaptive, client) = send_window(awsgen_runtime::RetryMode::Adaptive).await;
    let limiter = client.core().rate_limiter().expect("adaptive mode has a limiter");
    assert!(limiter.enabled(), "throttling switched it on");
    // The throttles came when the measured send rate was near zero, so the limiter starts at its
    // floor (a request every two seconds) and the cubic curve speeds it up from there: the ten
    // requests are spread over more than a second instead of going out at once.
    assert!(adaptive > Duration::from_secs(1), "ten requests in {adaptive:?}");
}
