//! The HTTP client behind every generated `Client`: configuration, credentials, SigV4 signing,
//! retries with backoff, timeouts and client-side validation. Generated code supplies only
//! what depends on the model (the operation descriptors and the service's facts).

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::error::{Error, ModeledErrorEnum};
use crate::protocol::{apply_endpoint, idempotency_token, Request, Response};
use crate::validate::Validate;
use crate::{BoxFuture, Operation};

/// The facts a generated client knows about its service, from the model.
#[derive(Debug, Clone, Copy)]
pub struct ServiceInfo {
    /// The SigV4 signing name (`aws.auth#sigv4`).
    pub signing_name: &'static str,
    /// The regional endpoint template from the model's endpoint rules, with `{Region}` and
    /// `{PartitionResult#dnsSuffix}` placeholders.
    pub endpoint_template: &'static str,
    /// The SDK id, for the `User-Agent`.
    pub sdk_id: &'static str,
    /// The API version, for the `User-Agent`.
    pub api_version: &'static str,
}

impl ServiceInfo {
    /// The endpoint for `region`: the template with the region and its partition's DNS suffix.
    pub fn endpoint_for_region(&self, region: &str) -> Result<http::Uri, ConfigError> {
        let valid = !region.is_empty()
            && region.len() <= 63
            && region.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !valid {
            return Err(ConfigError(format!("invalid region `{region}`")));
        }
        let url = self
            .endpoint_template
            .replace("{Region}", region)
            .replace("{PartitionResult#dnsSuffix}", dns_suffix(region));
        url.parse().map_err(|e| ConfigError(format!("invalid endpoint `{url}`: {e}")))
    }
}

/// The DNS suffix of the AWS partition a region belongs to.
pub fn dns_suffix(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "amazonaws.com.cn"
    } else if region.starts_with("us-isob-") {
        "sc2s.sgov.gov"
    } else if region.starts_with("us-isof-") {
        "csp.hci.ic.gov"
    } else if region.starts_with("us-iso-") {
        "c2s.ic.gov"
    } else if region.starts_with("eu-isoe-") {
        "cloud.adc-e.uk"
    } else {
        "amazonaws.com"
    }
}

/// AWS credentials. `Debug` never shows the secret key or the session token.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
}

impl Credentials {
    /// Credentials from explicit values.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Self {
        Self { access_key_id: access_key_id.into(), secret_access_key: secret_access_key.into(), session_token }
    }

    /// Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and the optional
    /// `AWS_SESSION_TOKEN`.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    /// Credentials from the standard variables, read through `lookup` (testable without
    /// touching the process environment).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |k: &str| lookup(k).filter(|v| !v.is_empty());
        match (get("AWS_ACCESS_KEY_ID"), get("AWS_SECRET_ACCESS_KEY")) {
            (Some(id), Some(secret)) => Ok(Self::new(id, secret, get("AWS_SESSION_TOKEN"))),
            (None, None) => Err(ConfigError(
                "no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for \
                 temporary credentials), or pass them to the client builder"
                    .into(),
            )),
            (None, Some(_)) => Err(ConfigError("AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not".into())),
            (Some(_), None) => Err(ConfigError("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not".into())),
        }
    }

    /// The access key id.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    pub(crate) fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }

    pub(crate) fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"** redacted **")
            .field("session_token", &self.session_token.as_ref().map(|_| "** redacted **"))
            .finish()
    }
}

/// A client could not be configured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "client configuration: {}", self.0)
    }
}

impl std::error::Error for ConfigError {}

/// Retries: how many attempts in all, and the bounds of the exponential backoff (with full
/// jitter) between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryConfig {
    /// Attempts in all, the first included; 1 disables retries.
    pub max_attempts: u32,
    /// The backoff before the second attempt (before jitter).
    pub initial_backoff: Duration,
    /// The largest backoff.
    pub max_backoff: Duration,
}

impl Default for RetryConfig {
    /// Three attempts, 1 s initial backoff, 20 s at most: the AWS SDKs' standard mode.
    fn default() -> Self {
        Self { max_attempts: 3, initial_backoff: Duration::from_secs(1), max_backoff: Duration::from_secs(20) }
    }
}

impl RetryConfig {
    /// The delay before attempt `attempt + 1` (attempt counts from 1): a uniformly random
    /// duration up to `min(max_backoff, initial_backoff * 2^(attempt-1))`.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let exp = self.initial_backoff.saturating_mul(1u32 << (attempt.saturating_sub(1)).min(16));
        exp.min(self.max_backoff).mul_f64(fastrand::f64())
    }
}

/// A transport failure of one attempt.
#[derive(Debug)]
pub enum ConnectorError {
    /// No complete response within the attempt timeout.
    Timeout(Duration),
    /// Connecting, sending or receiving failed.
    Io(Box<dyn std::error::Error + Send + Sync>),
}

/// Sends one HTTP request. The default is [`ReqwestConnector`]; tests and benchmarks plug in
/// an in-process one.
pub trait HttpConnector: Send + Sync + 'static {
    /// Sends `request` and reads the whole response, within `timeout` when one is given.
    fn send(&self, request: Request, timeout: Option<Duration>) -> BoxFuture<'_, Result<Response, ConnectorError>>;
}

/// HTTPS over reqwest (hyper, with rustls for TLS).
#[derive(Debug, Clone)]
pub struct ReqwestConnector(reqwest::Client);

impl ReqwestConnector {
    /// A connector with the given connect timeout.
    pub fn new(connect_timeout: Duration) -> Result<Self, ConfigError> {
        reqwest::Client::builder()
            .connect_timeout(connect_timeout)
            .build()
            .map(Self)
            .map_err(|e| ConfigError(format!("cannot build the HTTP client: {e}")))
    }
}

impl HttpConnector for ReqwestConnector {
    fn send(&self, request: Request, timeout: Option<Duration>) -> BoxFuture<'_, Result<Response, ConnectorError>> {
        Box::pin(async move {
            let io = |e: reqwest::Error| ConnectorError::Io(Box::new(e));
            let req = reqwest::Request::try_from(request.map(reqwest::Body::from)).map_err(io)?;
            let exchange = async {
                let resp = self.0.execute(req).await.map_err(io)?;
                let mut builder = http::Response::builder().status(resp.status());
                for (k, v) in resp.headers() {
                    builder = builder.header(k, v);
                }
                let body = resp.bytes().await.map_err(io)?;
                builder.body(body).map_err(|e| ConnectorError::Io(Box::new(e)))
            };
            match timeout {
                Some(t) => tokio::time::timeout(t, exchange).await.map_err(|_| ConnectorError::Timeout(t))?,
                None => exchange.await,
            }
        })
    }
}

/// An in-process transport that answers every request with one canned response and keeps the
/// last request it was sent: for tests and benchmarks, no network involved.
#[derive(Debug)]
pub struct StaticConnector {
    response: Response,
    last: std::sync::Mutex<Option<Request>>,
}

impl StaticConnector {
    /// Answers with `status` and `body` (as JSON).
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Self {
        let response = http::Response::builder()
            .status(status)
            .header("content-type", "application/json")
            .body(bytes::Bytes::from(body.into()))
            .expect("a valid status");
        Self { response, last: std::sync::Mutex::new(None) }
    }

    /// The last request sent, signed.
    pub fn last_request(&self) -> Option<Request> {
        self.last.lock().expect("not poisoned").clone()
    }
}

impl HttpConnector for Arc<StaticConnector> {
    fn send(&self, request: Request, _timeout: Option<Duration>) -> BoxFuture<'_, Result<Response, ConnectorError>> {
        *self.last.lock().expect("not poisoned") = Some(request);
        let response = self.response.clone();
        Box::pin(async move { Ok(response) })
    }
}

/// Where "now" comes from, for signing (tests freeze it).
pub type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// Everything a client needs, built by [`ClientBuilder`].
#[derive(Clone)]
pub struct ClientCore {
    service: ServiceInfo,
    region: String,
    endpoint: http::Uri,
    credentials: Credentials,
    retry: RetryConfig,
    attempt_timeout: Option<Duration>,
    validate: bool,
    user_agent: String,
    clock: Clock,
    keys: crate::sigv4::SigningKeyCache,
    connector: Arc<dyn HttpConnector>,
}

impl fmt::Debug for ClientCore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCore")
            .field("service", &self.service.sdk_id)
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .field("credentials", &self.credentials)
            .field("retry", &self.retry)
            .field("attempt_timeout", &self.attempt_timeout)
            .field("validate", &self.validate)
            .finish_non_exhaustive()
    }
}

/// A generated client type, built from a [`ClientCore`].
pub trait ServiceClient: Sized {
    /// The service's facts.
    const SERVICE: ServiceInfo;
    /// Wraps a configured core.
    fn from_core(core: ClientCore) -> Self;
}

/// Configures a client: region or endpoint, credentials, retries, timeouts, validation.
pub struct ClientBuilder<C> {
    region: Option<String>,
    endpoint: Option<String>,
    credentials: Option<Credentials>,
    retry: RetryConfig,
    connect_timeout: Duration,
    attempt_timeout: Option<Duration>,
    validate: bool,
    clock: Option<Clock>,
    connector: Option<Arc<dyn HttpConnector>>,
    _client: std::marker::PhantomData<fn() -> C>,
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .field("credentials", &self.credentials)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl<C: ServiceClient> Default for ClientBuilder<C> {
    fn default() -> Self {
        Self {
            region: None,
            endpoint: None,
            credentials: None,
            retry: RetryConfig::default(),
            connect_timeout: Duration::from_millis(3100),
            attempt_timeout: Some(Duration::from_secs(60)),
            validate: true,
            clock: None,
            connector: None,
            _client: std::marker::PhantomData,
        }
    }
}

impl<C: ServiceClient> ClientBuilder<C> {
    /// The AWS region; it decides the endpoint unless [`endpoint_url`](Self::endpoint_url)
    /// is set, and is always part of the signature. `AWS_REGION` is used when not set.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// An explicit endpoint (tests, private endpoints); its path, if any, prefixes every request.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint = Some(url.into());
        self
    }

    /// Explicit credentials. Without them, [`build`](Self::build) reads the standard
    /// environment variables.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Retry settings.
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self
    }

    /// The most attempts per call (1 disables retries).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.retry.max_attempts = attempts.max(1);
        self
    }

    /// The connect timeout (default 3.1 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The time one attempt may take, from sending to the last byte of the response
    /// (default 60 s; `None` waits forever).
    pub fn attempt_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.attempt_timeout = timeout;
        self
    }

    /// Client-side validation of `@required`, `@length`, `@range` and `@pattern` before sending
    /// (default on).
    pub fn validation(mut self, on: bool) -> Self {
        self.validate = on;
        self
    }

    /// A fixed clock for signing (tests).
    pub fn clock(mut self, clock: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        self.clock = Some(Arc::new(clock));
        self
    }

    /// A different HTTP transport (tests, benchmarks, custom stacks).
    pub fn connector(mut self, connector: impl HttpConnector) -> Self {
        self.connector = Some(Arc::new(connector));
        self
    }

    /// The configured client. Fails when the region or credentials cannot be found or the
    /// endpoint is invalid.
    pub fn build(self) -> Result<C, ConfigError> {
        let region = match self.region.or_else(|| std::env::var("AWS_REGION").ok().filter(|r| !r.is_empty())) {
            Some(r) => r,
            None => return Err(ConfigError("no region: call .region(..) or set AWS_REGION".into())),
        };
        let endpoint = match &self.endpoint {
            Some(url) => {
                let uri: http::Uri = url.parse().map_err(|e| ConfigError(format!("invalid endpoint `{url}`: {e}")))?;
                if uri.scheme().is_none() || uri.authority().is_none() {
                    return Err(ConfigError(format!("endpoint `{url}` needs a scheme and a host")));
                }
                uri
            }
            None => C::SERVICE.endpoint_for_region(&region)?,
        };
        let credentials = match self.credentials {
            Some(c) => c,
            None => Credentials::from_env()?,
        };
        let connector: Arc<dyn HttpConnector> = match self.connector {
            Some(c) => c,
            None => Arc::new(ReqwestConnector::new(self.connect_timeout)?),
        };
        let service = C::SERVICE;
        Ok(C::from_core(ClientCore {
            service,
            region,
            endpoint,
            credentials,
            retry: self.retry,
            attempt_timeout: self.attempt_timeout,
            validate: self.validate,
            user_agent: format!(
                "awsgen/{} api/{}/{} lang/rust",
                env!("CARGO_PKG_VERSION"),
                service.sdk_id.replace(' ', "-").to_lowercase(),
                service.api_version
            ),
            clock: self.clock.unwrap_or_else(|| Arc::new(SystemTime::now)),
            keys: Default::default(),
            connector,
        }))
    }
}

impl ClientCore {
    /// Calls operation `O`: fills idempotency tokens once, validates, serializes, then signs
    /// and sends each attempt, retrying what may succeed on a retry.
    pub async fn call<O>(&self, mut input: O::Input) -> Result<O::Output, Error<O::Error>>
    where
        O: Operation,
        O::Input: Validate,
        O::Error: ModeledErrorEnum,
    {
        O::fill_idempotency_tokens(&mut input, &mut idempotency_token);
        if self.validate {
            input.validate().map_err(Error::Validation)?;
        }
        let mut request = O::serialize_request(&input).map_err(|e| Error::Serialization(e.0))?;
        apply_endpoint(&mut request, &self.endpoint).map_err(|e| Error::Serialization(e.0))?;
        if let Some(prefix) = O::host_prefix(&input).map_err(|e| Error::Serialization(e.0))? {
            crate::protocol::apply_host_prefix(&mut request, &prefix).map_err(|e| Error::Serialization(e.0))?;
        }
        let headers = request.headers_mut();
        headers
            .insert(http::header::USER_AGENT, http::HeaderValue::from_str(&self.user_agent).expect("ASCII user agent"));
        let payload_hash = crate::sigv4::payload_hash(request.body());
        let mut attempt = 1;
        loop {
            // Each attempt is signed afresh: the signature covers the time.
            let time = (self.clock)();
            let signed = signed_copy(
                &request,
                &payload_hash,
                &self.credentials,
                &self.region,
                self.service.signing_name,
                time,
                &self.keys,
            )
            .map_err(Error::Signing)?;
            let result = match self.connector.send(signed, self.attempt_timeout).await {
                Ok(response) => O::parse_response(&response),
                Err(ConnectorError::Timeout(t)) => Err(Error::Timeout(t)),
                Err(ConnectorError::Io(e)) => Err(Error::Transport(e)),
            };
            match result {
                Err(e) if attempt < self.retry.max_attempts && e.is_retryable() => {
                    tokio::time::sleep(self.retry.backoff(attempt)).await;
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    /// The endpoint requests go to.
    pub fn endpoint(&self) -> &http::Uri {
        &self.endpoint
    }

    /// The region requests are signed for.
    pub fn region(&self) -> &str {
        &self.region
    }
}

/// A signed copy of `request`: SigV4 ([`crate::sigv4`]), adding `Host`, `X-Amz-Date`,
/// `Authorization` and, for temporary credentials, `X-Amz-Security-Token`. Clients sign through
/// their own signing-key cache; this derives the key afresh.
pub fn sign_request(
    request: &Request,
    credentials: &Credentials,
    region: &str,
    signing_name: &str,
    time: SystemTime,
) -> Result<Request, String> {
    let payload_hash = crate::sigv4::payload_hash(request.body());
    signed_copy(request, &payload_hash, credentials, region, signing_name, time, &Default::default())
}

/// A copy of `request` signed for `time`; the request a client keeps for retries stays unsigned.
fn signed_copy(
    request: &Request,
    payload_hash: &str,
    credentials: &Credentials,
    region: &str,
    signing_name: &str,
    time: SystemTime,
    keys: &crate::sigv4::SigningKeyCache,
) -> Result<Request, String> {
    let mut out = request.clone();
    crate::sigv4::sign(&mut out, payload_hash, credentials, region, signing_name, time, keys)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_from_variables() {
        let vars = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
        };
        let c = Credentials::from_lookup(vars(&[("AWS_ACCESS_KEY_ID", "AKID"), ("AWS_SECRET_ACCESS_KEY", "s3cr3t")]))
            .unwrap();
        assert_eq!(c.access_key_id(), "AKID");
        let shown = format!("{c:?}");
        assert!(!shown.contains("s3cr3t"), "{shown}");
        let err = Credentials::from_lookup(vars(&[])).unwrap_err();
        assert!(err.to_string().contains("set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"), "{err}");
        let err = Credentials::from_lookup(vars(&[("AWS_ACCESS_KEY_ID", "AKID")])).unwrap_err();
        assert!(err.to_string().contains("AWS_SECRET_ACCESS_KEY is not"), "{err}");
    }

    #[test]
    fn endpoints_from_the_template() {
        let s = ServiceInfo {
            signing_name: "appflow",
            endpoint_template: "https://appflow.{Region}.{PartitionResult#dnsSuffix}",
            sdk_id: "Appflow",
            api_version: "2020-08-23",
        };
        assert_eq!(s.endpoint_for_region("eu-west-1").unwrap().to_string(), "https://appflow.eu-west-1.amazonaws.com/");
        assert_eq!(
            s.endpoint_for_region("cn-north-1").unwrap().to_string(),
            "https://appflow.cn-north-1.amazonaws.com.cn/"
        );
        assert!(s.endpoint_for_region("evil.com/x").is_err());
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let r = RetryConfig {
            max_attempts: 5,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(300),
        };
        for attempt in 1..10 {
            let cap = Duration::from_millis(100 * (1 << (attempt - 1).min(16))).min(Duration::from_millis(300));
            assert!(r.backoff(attempt) <= cap);
        }
    }
}
