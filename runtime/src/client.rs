//! The HTTP client behind every generated `Client`: configuration, credentials, SigV4 signing,
//! retries with backoff, timeouts and client-side validation. Generated code supplies only
//! what depends on the model (the operation descriptors and the service's facts).

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::credentials::{Credentials, CredentialsCache, CredentialsError, ProvideCredentials};
use crate::endpoint::{apply_endpoint, apply_host_prefix, EndpointConfig, EndpointError, ResolvedEndpoint};
use crate::error::{Error, ModeledErrorEnum};
use crate::http::{ConnectorError, HttpConnector, HyperConnector, Request};
use crate::protocol::idempotency_token;
use crate::retry::{RateLimiter, RetryConfig, RetryMode};
use crate::sigv4::{SigningError, SigningKeyCache};
use crate::validate::Validate;
use crate::Operation;

/// The facts a generated client knows about its service, from the model.
#[derive(Debug, Clone, Copy)]
pub struct ServiceInfo {
    /// The SigV4 signing name (`aws.auth#sigv4`); the endpoint rules may override it.
    pub signing_name: &'static str,
    /// The endpoint rules.
    pub rules: &'static crate::endpoint::rules::RuleSet,
    /// The SDK id, for the `User-Agent`.
    pub sdk_id: &'static str,
    /// The API version, for the `User-Agent`.
    pub api_version: &'static str,
    /// How SigV4 treats this service (S3's own rules, or everyone else's).
    pub signing: crate::sigv4::SigningRules,
}

/// A client could not be configured.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// No region was given or found.
    NoRegion,
    /// The endpoint rules give no endpoint for these settings (for example FIPS in a partition
    /// without it), or an invalid one.
    Endpoint(EndpointError),
    /// The endpoint URL is not usable.
    InvalidEndpoint {
        /// The URL as given or derived.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// No usable credentials.
    Credentials(CredentialsError),
    /// A shared config or credentials file does not parse.
    Profile(crate::profile::ProfileError),
    /// A setting in the environment or a profile holds a value of the wrong form.
    Setting(crate::config::SettingError),
    /// The HTTP client could not be set up.
    HttpClient(crate::http::SetupError),
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NoRegion => f.write_str("client configuration: no region: call .region(..) or set AWS_REGION"),
            Self::Endpoint(e) => write!(f, "client configuration: {e}"),
            Self::InvalidEndpoint { url, reason } => {
                write!(f, "client configuration: invalid endpoint `{url}`: {reason}")
            }
            Self::Credentials(e) => write!(f, "client configuration: {e}"),
            Self::Profile(e) => write!(f, "client configuration: {e}"),
            Self::Setting(e) => write!(f, "client configuration: {e}"),
            Self::HttpClient(e) => write!(f, "client configuration: {e}"),
        }
    }
}

impl std::error::Error for ConfigError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Endpoint(e) => Some(e),
            Self::Credentials(e) => Some(e),
            Self::Profile(e) => Some(e),
            Self::Setting(e) => Some(e),
            Self::HttpClient(e) => Some(e),
            _ => None,
        }
    }
}

impl From<EndpointError> for ConfigError {
    fn from(e: EndpointError) -> Self {
        Self::Endpoint(e)
    }
}

impl From<CredentialsError> for ConfigError {
    fn from(e: CredentialsError) -> Self {
        Self::Credentials(e)
    }
}

impl From<crate::profile::ProfileError> for ConfigError {
    fn from(e: crate::profile::ProfileError) -> Self {
        Self::Profile(e)
    }
}

impl From<crate::config::SettingError> for ConfigError {
    fn from(e: crate::config::SettingError) -> Self {
        Self::Setting(e)
    }
}

impl From<crate::http::SetupError> for ConfigError {
    fn from(e: crate::http::SetupError) -> Self {
        Self::HttpClient(e)
    }
}

/// The endpoint rules parameters one operation call sets.
type OperationParams = Vec<(&'static str, crate::endpoint::rules::Value)>;

/// Where "now" comes from, for signing (tests freeze it).
pub type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// Everything a client needs, built by [`ClientBuilder`].
#[derive(Clone)]
pub struct ClientCore {
    service: ServiceInfo,
    /// When request checksums are calculated.
    request_checksums: crate::checksum::RequestChecksumCalculation,
    /// When response checksums are checked.
    response_checksums: crate::checksum::ResponseChecksumValidation,
    /// The region requests are signed for: the client's, unless the endpoint rules give one.
    region: String,
    /// The signing name: the service's, unless the endpoint rules give one.
    signing_name: String,
    endpoint: ResolvedEndpoint,
    /// The settings the endpoint was resolved from, for operations that add parameters.
    endpoint_config: EndpointConfig,
    /// Endpoints resolved with operation parameters, by those parameters.
    endpoint_cache: Arc<std::sync::Mutex<Vec<(OperationParams, ResolvedEndpoint)>>>,
    credentials: Arc<CredentialsCache>,
    retry: RetryConfig,
    attempt_timeout: Option<Duration>,
    validate: bool,
    user_agent: String,
    clock: Clock,
    keys: SigningKeyCache,
    connector: Arc<dyn HttpConnector>,
    quota: Arc<crate::retry::RetryQuota>,
    skew: Arc<crate::retry::ClockSkew>,
    /// The adaptive retry mode's rate limiter; `None` in standard mode.
    limiter: Option<Arc<RateLimiter>>,
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

/// A request signed in its URL ([`ClientCore::presign`]): send `method` to `uri` with
/// `headers`, no credentials needed, until it expires.
#[derive(Debug, Clone)]
pub struct PresignedRequest {
    /// The HTTP method.
    pub method: http::Method,
    /// The URL, signature included.
    pub uri: http::Uri,
    /// Headers the request carries besides `Host` (none are signed).
    pub headers: http::HeaderMap,
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
    use_fips: Option<bool>,
    use_dual_stack: Option<bool>,
    ignore_configured_endpoint_urls: Option<bool>,
    endpoint_params: Vec<(String, crate::endpoint::rules::Value)>,
    credentials: Option<Arc<dyn ProvideCredentials>>,
    retry: Option<RetryConfig>,
    max_attempts: Option<u32>,
    retry_mode: Option<RetryMode>,
    shared: Option<crate::config::SharedConfig>,
    defaults_mode: Option<crate::config::DefaultsMode>,
    connect_timeout: Option<Duration>,
    attempt_timeout: Option<Duration>,
    validate: bool,
    clock: Option<Clock>,
    connector: Option<Arc<dyn HttpConnector>>,
    request_checksums: Option<crate::checksum::RequestChecksumCalculation>,
    response_checksums: Option<crate::checksum::ResponseChecksumValidation>,
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
            use_fips: None,
            use_dual_stack: None,
            ignore_configured_endpoint_urls: None,
            endpoint_params: Vec::new(),
            credentials: None,
            retry: None,
            max_attempts: None,
            retry_mode: None,
            shared: None,
            defaults_mode: None,
            connect_timeout: None,
            attempt_timeout: Some(Duration::from_secs(60)),
            validate: true,
            clock: None,
            connector: None,
            request_checksums: None,
            response_checksums: None,
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

    /// An explicit endpoint (tests, private endpoints, VPC endpoints), the `SDK::Endpoint` of
    /// the endpoint rules; its path, if any, prefixes every request.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint = Some(url.into());
        self
    }

    /// Sends requests to the service's FIPS endpoints (`AWS::UseFIPS`). Building fails when the
    /// endpoint rules have none for the region.
    pub fn use_fips(mut self, on: bool) -> Self {
        self.use_fips = Some(on);
        self
    }

    /// Sends requests to the service's dual-stack (IPv4 and IPv6) endpoints
    /// (`AWS::UseDualStack`). Building fails when the endpoint rules have none for the region.
    pub fn use_dual_stack(mut self, on: bool) -> Self {
        self.use_dual_stack = Some(on);
        self
    }

    /// Ignores endpoint URLs from the environment and the shared config files
    /// (`AWS_ENDPOINT_URL...`, `endpoint_url`); [`endpoint_url`](Self::endpoint_url) still applies.
    pub fn ignore_configured_endpoint_urls(mut self, on: bool) -> Self {
        self.ignore_configured_endpoint_urls = Some(on);
        self
    }

    /// Takes what is not set explicitly from the environment and the selected profile of the
    /// shared config files, as the AWS SDKs do: the region (`AWS_REGION`, `AWS_DEFAULT_REGION`,
    /// `region`), FIPS and dual-stack (`AWS_USE_FIPS_ENDPOINT`, `use_fips_endpoint`, ...),
    /// endpoint URLs (`AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, the profile's `services`
    /// section and `endpoint_url`, unless `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`), retries
    /// (`AWS_MAX_ATTEMPTS`, `max_attempts`) and the profile's static credentials. The profile is
    /// `AWS_PROFILE` or `default`; the files are `AWS_CONFIG_FILE` and
    /// `AWS_SHARED_CREDENTIALS_FILE`, or `~/.aws/config` and `~/.aws/credentials`.
    pub fn from_env(self) -> Result<Self, ConfigError> {
        Ok(self.shared_config(crate::config::SharedConfig::from_env()?))
    }

    /// [`from_env`](Self::from_env) with settings loaded elsewhere.
    pub fn shared_config(mut self, config: crate::config::SharedConfig) -> Self {
        self.shared = Some(config);
        self
    }

    /// Sets one of the service's client context parameters of the endpoint rules by its name in
    /// the model (for example S3's `ForcePathStyle`); building fails for a name the rules do not
    /// have or a value of the wrong type.
    pub fn endpoint_param(mut self, name: impl Into<String>, value: crate::endpoint::rules::Value) -> Self {
        self.endpoint_params.push((name.into(), value));
        self
    }

    /// Explicit credentials. Without them, [`build`](Self::build) reads the standard
    /// environment variables, then the selected profile's keys.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(Arc::new(credentials));
        self
    }

    /// A source of credentials (for example temporary ones that it renews): the client caches
    /// what it gives and asks again shortly before they expire, one caller at a time.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.credentials = Some(Arc::new(provider));
        self
    }

    /// Retry settings.
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }

    /// The most attempts per call (1 disables retries).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = Some(attempts.max(1));
        self
    }

    /// The retry mode (default standard; `AWS_RETRY_MODE` or the profile's `retry_mode` with
    /// [`from_env`](Self::from_env)). [`RetryMode::Adaptive`] adds a client-side rate limiter
    /// that slows the client down after throttling responses.
    pub fn retry_mode(mut self, mode: RetryMode) -> Self {
        self.retry_mode = Some(mode);
        self
    }

    /// The defaults mode: the connect timeout and retry mode used when they are not set
    /// explicitly (default [`DefaultsMode::Standard`](crate::config::DefaultsMode::Standard);
    /// `AWS_DEFAULTS_MODE` or the profile's `defaults_mode` with [`from_env`](Self::from_env)).
    pub fn defaults_mode(mut self, mode: crate::config::DefaultsMode) -> Self {
        self.defaults_mode = Some(mode);
        self
    }

    /// The time to connect, TLS included (default from the defaults mode: 3.1 s in standard).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The time one attempt may take, from sending to the last byte of the response
    /// (default 60 s; `None` waits forever). For operations with a streaming body it bounds a
    /// stall instead: a transfer fails only when no bytes went out or came in for that long, so a
    /// large object that is still moving is never cut off.
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

    /// When request checksums are calculated (`AWS_REQUEST_CHECKSUM_CALCULATION`, the
    /// profile's `request_checksum_calculation`; default: whenever the operation supports one).
    pub fn request_checksum_calculation(mut self, when: crate::checksum::RequestChecksumCalculation) -> Self {
        self.request_checksums = Some(when);
        self
    }

    /// When response checksums are checked (`AWS_RESPONSE_CHECKSUM_VALIDATION`, the profile's
    /// `response_checksum_validation`; default: whenever the operation can return one).
    pub fn response_checksum_validation(mut self, when: crate::checksum::ResponseChecksumValidation) -> Self {
        self.response_checksums = Some(when);
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
        let shared = self.shared.as_ref();
        let region = self
            .region
            .or_else(|| shared.and_then(|s| s.region()))
            .or_else(|| std::env::var("AWS_REGION").ok().filter(|r| !r.is_empty()));
        let Some(region) = region else { return Err(ConfigError::NoRegion) };
        let use_fips = match self.use_fips {
            Some(v) => v,
            None => shared.map(|s| s.use_fips()).transpose()?.flatten().unwrap_or(false),
        };
        let use_dual_stack = match self.use_dual_stack {
            Some(v) => v,
            None => shared.map(|s| s.use_dual_stack()).transpose()?.flatten().unwrap_or(false),
        };
        let endpoint = self
            .endpoint
            .clone()
            .or_else(|| shared.and_then(|s| s.endpoint_url(C::SERVICE.sdk_id, self.ignore_configured_endpoint_urls)));
        let mut retry = self.retry.unwrap_or_default();
        if let Some(n) = self.max_attempts {
            retry.max_attempts = n;
        } else if let Some(n) = shared.map(|s| s.max_attempts()).transpose()?.flatten() {
            if self.retry.is_none() {
                retry.max_attempts = n;
            }
        }
        let defaults = match self.defaults_mode {
            Some(m) => m,
            None => shared.map(|s| s.defaults_mode()).transpose()?.flatten().unwrap_or_default(),
        }
        .defaults();
        let retry_mode = match self.retry_mode {
            Some(m) => m,
            None => shared.map(|s| s.retry_mode()).transpose()?.flatten().unwrap_or(defaults.retry_mode),
        };
        if let Some(url) = &endpoint {
            let invalid = |reason: String| ConfigError::InvalidEndpoint { url: url.clone(), reason };
            let uri: http::Uri = url.parse().map_err(|e: http::uri::InvalidUri| invalid(e.to_string()))?;
            if uri.scheme().is_none() || uri.authority().is_none() {
                return Err(invalid("it needs a scheme and a host".into()));
            }
        }
        let endpoint_config = EndpointConfig {
            region: Some(region.clone()),
            use_fips,
            use_dual_stack,
            url: endpoint.clone(),
            params: self.endpoint_params,
        };
        let endpoint = crate::endpoint::resolve(C::SERVICE.rules, &endpoint_config)?;
        // Without credentials the client still builds: unsigned operations need none, and a
        // signed call fails with the reason.
        let credentials: Arc<dyn ProvideCredentials> = match self.credentials {
            Some(c) => c,
            None => match (Credentials::from_env(), shared.and_then(profile_credentials)) {
                (Ok(c), _) => Arc::new(c),
                (Err(CredentialsError::NotFound), Some(c)) => Arc::new(c),
                // The rest of the default chain (profile sources, containers, instance
                // metadata), asked on the first signed call.
                (Err(CredentialsError::NotFound), None) => {
                    let mut env = crate::chain::ChainEnv::process()?;
                    // With settings loaded elsewhere, their `AWS_*` variables are the ones that count.
                    if let Some(s) = shared {
                        let s = s.clone();
                        env.var = Arc::new(move |k| match k.starts_with("AWS_") {
                            true => s.env_var(k).map(str::to_string),
                            false => std::env::var(k).ok(),
                        });
                    }
                    Arc::new(crate::chain::DefaultChain::new(env, shared.map(|s| s.profile_name().to_string())))
                }
                (Err(e), _) => return Err(e.into()),
            },
        };
        let connector: Arc<dyn HttpConnector> = match self.connector {
            Some(c) => c,
            None => Arc::new(HyperConnector::new(
                self.connect_timeout.unwrap_or(defaults.connect_timeout.max(defaults.tls_negotiation_timeout)),
            )?),
        };
        // A variable, else the profile's property: its name (for errors) and value.
        let setting = |var: &'static str, prop: &'static str| -> Option<(String, String)> {
            let s = shared?;
            match s.env_var(var) {
                Some(v) => Some((var.to_string(), v.to_string())),
                None => s.profiles().get(s.profile_name(), prop).map(|v| (prop.to_string(), v.to_string())),
            }
        };
        let invalid = |(source_name, value): (String, String)| crate::config::SettingError {
            source_name,
            value,
            expected: "when_supported or when_required",
        };
        let request_checksums =
            match (self.request_checksums, setting("AWS_REQUEST_CHECKSUM_CALCULATION", "request_checksum_calculation"))
            {
                (Some(w), _) => w,
                (None, Some(found)) => found.1.parse().map_err(|_| invalid(found))?,
                (None, None) => Default::default(),
            };
        let response_checksums = match (
            self.response_checksums,
            setting("AWS_RESPONSE_CHECKSUM_VALIDATION", "response_checksum_validation"),
        ) {
            (Some(w), _) => w,
            (None, Some(found)) => found.1.parse().map_err(|_| invalid(found))?,
            (None, None) => Default::default(),
        };
        let service = C::SERVICE;
        Ok(C::from_core(ClientCore {
            request_checksums,
            response_checksums,
            service,
            region: endpoint.signing_region.clone().unwrap_or(region),
            signing_name: endpoint.signing_name.clone().unwrap_or_else(|| service.signing_name.to_string()),
            endpoint,
            endpoint_config,
            endpoint_cache: Default::default(),
            credentials: Arc::new(CredentialsCache::new(credentials)),
            retry,
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
            quota: Default::default(),
            skew: Default::default(),
            limiter: (retry_mode == RetryMode::Adaptive).then(Default::default),
        }))
    }
}

/// The selected profile's static keys (`aws_access_key_id`, `aws_secret_access_key`,
/// `aws_session_token`).
fn profile_credentials(shared: &crate::config::SharedConfig) -> Option<Credentials> {
    let p = shared.profiles();
    let get = |k: &str| p.get(shared.profile_name(), k).filter(|v| !v.is_empty());
    Some(Credentials::new(
        get("aws_access_key_id")?,
        get("aws_secret_access_key")?,
        get("aws_session_token").map(str::to_string),
    ))
}

impl ClientCore {
    /// Calls operation `O`: fills idempotency tokens once, validates, serializes, then signs
    /// and sends each attempt, retrying what may succeed on a retry.
    ///
    /// Only reading each answer is generic. Preparing the request goes through the input as a
    /// `Prepare` object, and the attempts (signing, sending, the retry decision) are one
    /// future that calls back to read each answer: both are compiled once in this crate rather
    /// than once per operation in every generated one.
    pub async fn call<O>(&self, mut input: O::Input) -> Result<O::Output, Error<O::Error>>
    where
        O: Operation,
        O::Input: Validate + Send,
        O::Output: Send,
        O::Error: ModeledErrorEnum,
    {
        let check_response = !O::RESPONSE_CHECKSUMS.is_empty()
            && O::response_checksum_enabled(
                &mut input,
                self.response_checksums == crate::checksum::ResponseChecksumValidation::WhenSupported,
            );
        let expected = Expected {
            streaming_output: O::STREAMING_OUTPUT,
            checksums: if check_response { O::RESPONSE_CHECKSUMS } else { &[] },
        };
        let mut last = None;
        let mut read = |answer: Result<Answer, CallError>| {
            let result = match answer {
                Ok(answer) => answer.read::<O>(),
                Err(e) => Err(e.widen()),
            };
            let verdict = Verdict::of(&result);
            last = Some(result);
            verdict
        };
        let started = self.attempt(&mut Typed::<O>(&mut input), expected, &mut read).await;
        match (started, last) {
            (Ok(()), Some(result)) => result,
            (Err(e), _) => Err(e.widen()),
            // Once the request is ready, `attempt` reads at least one answer.
            (Ok(()), None) => unreachable!("a call ended without an answer"),
        }
    }

    /// Prepares the request and sends attempts until `read`'s verdict on an answer ends the
    /// call. Fails only when no attempt could be made (validation, the endpoint, serializing).
    async fn attempt(
        &self,
        input: &mut (dyn Prepare + Send),
        expected: Expected,
        read: &mut (dyn FnMut(Result<Answer, CallError>) -> Verdict + Send),
    ) -> Result<(), CallError> {
        // A body that is not in memory (a file, a stream) is sent as it is read.
        let stream = input.take_request_stream();
        let (request, endpoint) = self.prepare(input)?;
        let outgoing = Outgoing {
            operation: input.name(),
            unsigned: input.unsigned(),
            requires_length: input.stream_requires_length(),
            checksum: input.request_checksum(),
        };
        let ready = self.body_for_sending(request, stream, &outgoing)?;
        let mut attempts = Attempts::new(self, &outgoing, &endpoint, ready, expected);
        loop {
            let verdict = read(attempts.send().await);
            if !attempts.retry(verdict).await {
                return Ok(());
            }
        }
    }

    /// The request with its body made ready to send: an in-memory body gets its checksum and
    /// its payload hash; a streaming one goes out unsigned, as the SDKs send bodies they cannot
    /// hash before sending, with its checksum (when one is wanted) in an `aws-chunked` trailer,
    /// and its length when it is known. Returns the payload hash to sign with.
    fn body_for_sending(
        &self,
        mut request: Request,
        stream: Option<crate::body::ByteStream>,
        outgoing: &Outgoing,
    ) -> Result<Ready, CallError> {
        let Some(body) = stream else {
            if let Some(spec) = &outgoing.checksum {
                crate::checksum::apply(&mut request, spec, self.request_checksums).map_err(Error::Serialization)?;
            }
            // Unsigned operations need no hash of the body.
            let hash = if outgoing.unsigned { String::new() } else { crate::sigv4::payload_hash(request.body()) };
            return Ok(Ready { request, payload_hash: hash, body: None });
        };
        if outgoing.requires_length && body.len().is_none() {
            return Err(Error::Serialization(crate::protocol::SerializeError::Body(format!(
                "{} needs the length of its streaming body: give the stream its length",
                outgoing.operation
            ))));
        }
        let trailer = match &outgoing.checksum {
            Some(spec) => {
                crate::checksum::choose(&request, spec, self.request_checksums).map_err(Error::Serialization)?
            }
            None => None,
        };
        let headers = request.headers_mut();
        let hash = match trailer {
            Some(algorithm) => {
                crate::checksum::aws_chunked_headers(headers, body.len(), algorithm).map_err(Error::Serialization)?;
                crate::checksum::STREAMING_UNSIGNED_PAYLOAD_TRAILER
            }
            None => {
                if let Some(len) = body.len() {
                    headers.insert(http::header::CONTENT_LENGTH, http::HeaderValue::from(len));
                }
                crate::sigv4::UNSIGNED_PAYLOAD
            }
        };
        Ok(Ready { request, payload_hash: hash.to_string(), body: Some(StreamedBody { body: Some(body), trailer }) })
    }

    /// The endpoint requests go to.
    pub fn endpoint(&self) -> &http::Uri {
        &self.endpoint.uri
    }

    /// Everything a call does before signing: idempotency tokens, validation, the request and
    /// its endpoint (the operation's own parameters resolved, or its input's URL), host
    /// prefix, the rules' headers and the `User-Agent`.
    fn prepare(&self, input: &mut dyn Prepare) -> Result<(Request, std::borrow::Cow<'_, ResolvedEndpoint>), CallError> {
        input.fill_idempotency_tokens();
        if self.validate {
            input.validate().map_err(CallError::Validation)?;
        }
        let endpoint = self.endpoint_for(input.name(), input.endpoint_params())?;
        let request = input.serialize_request().map_err(CallError::Serialization)?;
        let prefix = input.host_prefix().map_err(CallError::Serialization)?;
        let request = self.addressed(request, input.endpoint_url(), prefix, &endpoint)?;
        Ok((request, endpoint))
    }

    /// The client's endpoint, or the one the rules give with an operation's own parameters.
    fn endpoint_for(
        &self,
        operation: &'static str,
        params: OperationParams,
    ) -> Result<std::borrow::Cow<'_, ResolvedEndpoint>, CallError> {
        if params.is_empty() {
            return Ok(std::borrow::Cow::Borrowed(&self.endpoint));
        }
        let resolved = self.endpoint_with(params).map_err(|e| {
            Error::Endpoint(match e {
                EndpointError::UnsupportedAuth(scheme) => EndpointError::OperationAuth { operation, scheme },
                other => other,
            })
        })?;
        Ok(std::borrow::Cow::Owned(resolved))
    }

    /// `request` sent to `endpoint` (or to the input's own URL), its host prefixed, with the
    /// rules' headers and the `User-Agent`.
    fn addressed(
        &self,
        mut request: Request,
        url: Option<&str>,
        prefix: Option<String>,
        endpoint: &ResolvedEndpoint,
    ) -> Result<Request, CallError> {
        match url {
            Some(url) => {
                let uri: http::Uri = url.parse().map_err(|e| {
                    Error::Serialization(crate::protocol::SerializeError::Uri(format!(
                        "the input's endpoint `{url}`: {e}"
                    )))
                })?;
                apply_endpoint(&mut request, &uri).map_err(Error::Serialization)?;
            }
            None => apply_endpoint(&mut request, &endpoint.uri).map_err(Error::Serialization)?,
        }
        if let Some(prefix) = prefix {
            apply_host_prefix(&mut request, &prefix).map_err(Error::Serialization)?;
        }
        let headers = request.headers_mut();
        for (name, value) in &endpoint.headers {
            headers.append(name.clone(), value.clone());
        }
        headers
            .insert(http::header::USER_AGENT, http::HeaderValue::from_str(&self.user_agent).expect("ASCII user agent"));
        Ok(request)
    }

    /// A presigned request for operation `O` (S3's `GetObject` and `PutObject`, typically): the
    /// URL, signed in its query with the client's credentials, valid for `expires_in` (up to
    /// seven days), that anyone can send without credentials. The method and headers are the
    /// ones the call would send; only the host is signed, and S3 payloads are unsigned.
    pub async fn presign<O>(
        &self,
        mut input: O::Input,
        expires_in: Duration,
    ) -> Result<PresignedRequest, Error<O::Error>>
    where
        O: Operation,
        O::Input: Validate,
    {
        let (request, endpoint) = self.prepare(&mut Typed::<O>(&mut input)).map_err(Error::widen)?;
        let now = (self.clock)();
        let credentials = self.credentials.get(now).await.map_err(Error::Credentials)?;
        let uri = crate::sigv4::presign(
            &request,
            &credentials,
            endpoint.signing_region.as_deref().unwrap_or(&self.region),
            endpoint.signing_name.as_deref().unwrap_or(&self.signing_name),
            self.skew.apply(now),
            expires_in,
            self.service.signing,
        )
        .map_err(Error::Signing)?;
        let mut headers = request.headers().clone();
        headers.remove(http::header::USER_AGENT);
        Ok(PresignedRequest { method: request.method().clone(), uri, headers })
    }

    /// The endpoint for an operation's own parameters: resolved once per distinct set and kept
    /// (the most recent 64 sets).
    fn endpoint_with(&self, params: OperationParams) -> Result<ResolvedEndpoint, EndpointError> {
        let mut cache = self.endpoint_cache.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, e)) = cache.iter().find(|(k, _)| *k == params) {
            return Ok(e.clone());
        }
        let mut config = self.endpoint_config.clone();
        config.params.extend(params.iter().map(|(k, v)| (k.to_string(), v.clone())));
        let e = crate::endpoint::resolve(self.service.rules, &config)?;
        if cache.len() >= 64 {
            cache.remove(0);
        }
        cache.push((params, e.clone()));
        Ok(e)
    }

    /// What is left of the retry quota (it starts at 500; a retry takes 5, 10 after a timeout).
    pub fn retry_quota(&self) -> u32 {
        self.quota.available()
    }

    /// The adaptive retry mode's rate limiter (`None` in standard mode).
    pub fn rate_limiter(&self) -> Option<&RateLimiter> {
        self.limiter.as_deref()
    }

    /// The skew of the service's clock learned from its responses, in milliseconds.
    pub fn clock_skew_millis(&self) -> i64 {
        self.skew.millis()
    }

    /// The signing name requests are signed with.
    pub fn signing_name(&self) -> &str {
        &self.signing_name
    }

    /// The region requests are signed for.
    pub fn region(&self) -> &str {
        &self.region
    }
}

/// An error that no operation's reading of a response raised (credentials, signing, transport,
/// a checksum): never a modeled one, so it fits every operation's [`Error`].
type CallError = Error<std::convert::Infallible>;

/// What a call asks of its operation's input before the first attempt, as a trait object:
/// [`ClientCore::prepare`] and [`ClientCore::attempt`] are then compiled once, and each
/// operation adds only these calls into its own functions. Each method is the [`Operation`]
/// item of the same name, applied to the input.
trait Prepare {
    fn name(&self) -> &'static str;
    fn unsigned(&self) -> bool;
    fn stream_requires_length(&self) -> bool;
    fn fill_idempotency_tokens(&mut self);
    fn validate(&self) -> Result<(), crate::validate::ValidationErrors>;
    fn endpoint_params(&self) -> OperationParams;
    fn serialize_request(&self) -> Result<Request, crate::protocol::SerializeError>;
    fn host_prefix(&self) -> Result<Option<String>, crate::protocol::SerializeError>;
    fn endpoint_url(&self) -> Option<&str>;
    fn take_request_stream(&mut self) -> Option<crate::body::ByteStream>;
    fn request_checksum(&self) -> Option<crate::checksum::RequestChecksum>;
}

/// The input of operation `O`, as a [`Prepare`].
struct Typed<'a, O: Operation>(&'a mut O::Input);

impl<O: Operation> Prepare for Typed<'_, O>
where
    O::Input: Validate,
{
    fn name(&self) -> &'static str {
        O::NAME
    }
    fn unsigned(&self) -> bool {
        O::UNSIGNED
    }
    fn stream_requires_length(&self) -> bool {
        O::STREAM_REQUIRES_LENGTH
    }
    fn fill_idempotency_tokens(&mut self) {
        O::fill_idempotency_tokens(self.0, &mut idempotency_token);
    }
    fn validate(&self) -> Result<(), crate::validate::ValidationErrors> {
        self.0.validate()
    }
    fn endpoint_params(&self) -> OperationParams {
        O::endpoint_params(self.0)
    }
    fn serialize_request(&self) -> Result<Request, crate::protocol::SerializeError> {
        O::serialize_request(self.0)
    }
    fn host_prefix(&self) -> Result<Option<String>, crate::protocol::SerializeError> {
        O::host_prefix(self.0)
    }
    fn endpoint_url(&self) -> Option<&str> {
        O::endpoint_url(self.0)
    }
    fn take_request_stream(&mut self) -> Option<crate::body::ByteStream> {
        O::take_request_stream(self.0)
    }
    fn request_checksum(&self) -> Option<crate::checksum::RequestChecksum> {
        O::request_checksum(self.0)
    }
}

/// What the client needs to know of an operation's request body, from the operation.
struct Outgoing {
    operation: &'static str,
    unsigned: bool,
    requires_length: bool,
    checksum: Option<crate::checksum::RequestChecksum>,
}

/// A request made ready to send by [`ClientCore::body_for_sending`].
struct Ready {
    /// The request as serialized, unsigned.
    request: Request,
    /// The payload hash to sign with (empty for an unsigned operation).
    payload_hash: String,
    /// A body that streams; `None` for a body in memory.
    body: Option<StreamedBody>,
}

/// What the client needs to know of an operation's answers, from the operation.
#[derive(Clone, Copy)]
struct Expected {
    /// A successful answer's body streams: it is handed over unread.
    streaming_output: bool,
    /// The checksums a successful answer is checked against (none: not checked).
    checksums: &'static [&'static str],
}

/// A request body that streams, kept across attempts.
struct StreamedBody {
    /// `None` once a one-shot stream has been sent.
    body: Option<crate::body::ByteStream>,
    /// The checksum sent in an `aws-chunked` trailer.
    trailer: Option<crate::checksum::Algorithm>,
}

impl StreamedBody {
    /// The body for the next attempt: a copy of one that can be sent again, else the stream
    /// itself (an empty body if it was sent already, though no attempt follows one then).
    fn for_attempt(&mut self) -> crate::body::ByteStream {
        let body = match self.body.as_ref().and_then(crate::body::ByteStream::try_clone) {
            Some(copy) => copy,
            None => self.body.take().unwrap_or_default(),
        };
        match self.trailer {
            Some(algorithm) => crate::checksum::aws_chunked_body(body, algorithm),
            None => body,
        }
    }

    fn replayable(&self) -> bool {
        self.body.is_some()
    }
}

/// One attempt's answer, for the operation to read.
enum Answer {
    /// The whole response.
    Whole(crate::http::Response),
    /// A successful response of an operation whose output streams: its head, and its body
    /// unread (checked as it is read when its checksum is to be validated).
    Head(crate::http::Response, crate::body::ByteStream),
}

impl Answer {
    /// The output, or the operation's error, this answer carries.
    fn read<O: Operation>(self) -> Result<O::Output, Error<O::Error>> {
        match self {
            Answer::Whole(response) => O::parse_response(&response),
            Answer::Head(head, body) => O::parse_response(&head).map(|mut output| {
                O::set_response_stream(&mut output, body);
                output
            }),
        }
    }
}

/// What the retry decision needs to know of an attempt's result.
struct Verdict {
    ok: bool,
    retryable: bool,
    throttling: bool,
    /// Transport errors and timeouts cost the retry quota more than other errors.
    timed_out: bool,
    code: Option<String>,
}

impl Verdict {
    /// One match on the operation's error, the rest in functions that are not generic: this
    /// is compiled once per operation.
    fn of<T, E: ModeledErrorEnum>(result: &Result<T, Error<E>>) -> Self {
        match result {
            Ok(_) => Verdict::without_code(true, false),
            Err(Error::Service(e)) => Verdict::service(e.code(), e.is_retryable()),
            Err(Error::Unhandled(u)) => Verdict::unhandled(u),
            Err(Error::Transport(_) | Error::Timeout(_)) => Verdict::without_code(false, true),
            Err(_) => Verdict::without_code(false, false),
        }
    }

    /// An answer without an error code: a success (`ok`), or an error that is retried when it
    /// `timed_out` (a transport error or a timeout) and not otherwise.
    fn without_code(ok: bool, timed_out: bool) -> Self {
        Verdict { ok, retryable: timed_out, throttling: false, timed_out, code: None }
    }

    fn service(code: &str, retryable: bool) -> Self {
        let throttling = crate::retry::THROTTLING_CODES.contains(&code);
        Verdict { ok: false, retryable, throttling, timed_out: false, code: Some(code.to_string()) }
    }

    fn unhandled(u: &crate::protocol::UnhandledError) -> Self {
        Verdict {
            ok: false,
            retryable: u.is_retryable(),
            throttling: u.is_throttling(),
            timed_out: false,
            code: u.code.clone(),
        }
    }
}

/// The attempts of one call: each signed afresh and sent, then [`Attempts::retry`] decides from
/// the operation's reading of the answer whether another follows.
struct Attempts<'a> {
    core: &'a ClientCore,
    unsigned: bool,
    endpoint: &'a ResolvedEndpoint,
    /// The request as serialized, unsigned: each attempt signs a copy.
    request: Request,
    payload_hash: String,
    /// A body that streams, sent with each attempt; `None` for a body in memory.
    body: Option<StreamedBody>,
    expected: Expected,
    span: crate::trace::CallSpan,
    attempt_span: Option<crate::trace::AttemptSpan>,
    /// The attempt under way, from 1.
    attempt: u32,
    /// What this call took from the retry quota, given back if it succeeds.
    taken: u32,
    skew_corrected: bool,
    /// The last answer's status, and its `Date` when it is an error (only an error can say the
    /// clock is skewed: the header is kept, a reference count and no copy, for that case).
    status: Option<u16>,
    date: Option<http::HeaderValue>,
}

impl<'a> Attempts<'a> {
    fn new(
        core: &'a ClientCore,
        outgoing: &Outgoing,
        endpoint: &'a ResolvedEndpoint,
        ready: Ready,
        expected: Expected,
    ) -> Self {
        let Ready { request, payload_hash, body } = ready;
        Attempts {
            core,
            unsigned: outgoing.unsigned,
            endpoint,
            request,
            payload_hash,
            body,
            expected,
            span: crate::trace::CallSpan::new(core.service.sdk_id, outgoing.operation),
            attempt_span: None,
            attempt: 1,
            taken: 0,
            skew_corrected: false,
            status: None,
            date: None,
        }
    }

    /// Signs and sends the next attempt, and waits for its answer.
    async fn send(&mut self) -> Result<Answer, CallError> {
        let core = self.core;
        self.status = None;
        self.date = None;
        // Each attempt is signed afresh: the signature covers the time, corrected by the skew
        // of the service's clock learned so far.
        let now = (core.clock)();
        let signed = if self.unsigned {
            self.request.clone()
        } else {
            let credentials = core.credentials.get(now).await.map_err(Error::Credentials)?;
            signed_copy(
                &self.request,
                &self.payload_hash,
                &credentials,
                self.endpoint.signing_region.as_deref().unwrap_or(&core.region),
                self.endpoint.signing_name.as_deref().unwrap_or(&core.signing_name),
                core.skew.apply(now),
                &core.keys,
                core.service.signing,
            )
            .map_err(Error::Signing)?
        };
        if let Some(limiter) = &core.limiter {
            let wait = limiter.acquire();
            if !wait.is_zero() {
                tokio::time::sleep(wait).await;
            }
        }
        let attempt_span = self.attempt_span.insert(self.span.attempt(self.attempt));
        if self.body.is_none() && !self.expected.streaming_output {
            let response = attempt_span
                .instrument(core.connector.send(signed, core.attempt_timeout))
                .await
                .map_err(connector_error)?;
            return self.whole(response);
        }
        let outgoing = self.body.as_mut().map(StreamedBody::for_attempt).unwrap_or_default();
        let request = http::Request::from_parts(signed.into_parts().0, outgoing);
        let response = attempt_span
            .instrument(core.connector.send_streaming(request, core.attempt_timeout))
            .await
            .map_err(connector_error)?;
        let (parts, body) = response.into_parts();
        if self.expected.streaming_output && parts.status.is_success() {
            self.status = Some(parts.status.as_u16());
            let body = match self.expected.checksums {
                [] => body,
                checksums => crate::checksum::validating(&parts.headers, body, checksums),
            };
            return Ok(Answer::Head(http::Response::from_parts(parts, bytes::Bytes::new()), body));
        }
        match body.collect().await {
            Ok(bytes) => self.whole(http::Response::from_parts(parts, bytes)),
            Err(crate::body::StreamError::Stalled(t)) => Err(Error::Timeout(t)),
            Err(e) => Err(Error::Transport(Box::new(e))),
        }
    }

    /// A whole response as the operation's answer, its checksum checked first when it is to be.
    fn whole(&mut self, response: crate::http::Response) -> Result<Answer, CallError> {
        let status = response.status();
        self.status = Some(status.as_u16());
        if !status.is_success() {
            self.date = response.headers().get(http::header::DATE).cloned();
        } else if !self.expected.checksums.is_empty() {
            crate::checksum::validate(&response, self.expected.checksums).map_err(Error::Response)?;
        }
        Ok(Answer::Whole(response))
    }

    /// Records how the attempt ended and decides whether another follows; waits out the
    /// backoff when it does. `false` ends the call.
    async fn retry(&mut self, verdict: Verdict) -> bool {
        let core = self.core;
        let outcome = || crate::trace::Outcome { status: self.status, error_code: verdict.code.as_deref() };
        if let Some(span) = self.attempt_span.take() {
            span.finish(outcome());
        }
        if let Some(limiter) = &core.limiter {
            limiter.record(verdict.throttling);
        }
        // A one-shot stream, once sent, cannot be sent again.
        let replayable = self.body.as_ref().is_none_or(StreamedBody::replayable);
        let retry = if verdict.ok || !replayable {
            false
        } else if !self.skew_corrected
            && verdict.code.as_deref().is_some_and(|c| crate::retry::CLOCK_SKEW_CODES.contains(&c))
            && self.date.as_ref().and_then(|d| d.to_str().ok()).is_some_and(|d| core.skew.learn(d, (core.clock)()))
        {
            // Signed with a clock too far from the service's: learn its clock from the
            // response and sign again, once, without waiting.
            self.skew_corrected = true;
            true
        } else if self.attempt < core.retry.max_attempts && verdict.retryable {
            let cost = match verdict.timed_out {
                true => crate::retry::RetryQuota::TIMEOUT_RETRY_COST,
                false => crate::retry::RetryQuota::RETRY_COST,
            };
            // An empty quota means the service is failing for many calls: stop adding load.
            let granted = core.quota.try_acquire(cost);
            if granted {
                self.taken += cost;
                tokio::time::sleep(core.retry.backoff(self.attempt)).await;
                self.attempt += 1;
            }
            granted
        } else {
            false
        };
        if !retry {
            self.span.finish(self.attempt, outcome());
            if verdict.ok {
                core.quota.release(match self.taken {
                    0 => crate::retry::RetryQuota::NO_RETRY_INCREMENT,
                    taken => taken,
                });
            }
        }
        retry
    }
}

fn connector_error(e: ConnectorError) -> CallError {
    match e {
        ConnectorError::Timeout(t) => Error::Timeout(t),
        ConnectorError::Io(e) => Error::Transport(e),
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
) -> Result<Request, SigningError> {
    let payload_hash = crate::sigv4::payload_hash(request.body());
    let rules = crate::sigv4::SigningRules::for_signing_name(signing_name);
    signed_copy(request, &payload_hash, credentials, region, signing_name, time, &Default::default(), rules)
}

/// A copy of `request` signed for `time`; the request a client keeps for retries stays unsigned.
#[allow(clippy::too_many_arguments)]
fn signed_copy(
    request: &Request,
    payload_hash: &str,
    credentials: &Credentials,
    region: &str,
    signing_name: &str,
    time: SystemTime,
    keys: &SigningKeyCache,
    rules: crate::sigv4::SigningRules,
) -> Result<Request, SigningError> {
    let mut out = request.clone();
    if rules.content_sha256_header {
        out.headers_mut().insert(
            http::HeaderName::from_static("x-amz-content-sha256"),
            http::HeaderValue::from_str(payload_hash).expect("hex digits"),
        );
    }
    crate::sigv4::sign_with(&mut out, payload_hash, credentials, region, signing_name, time, keys, rules.path)?;
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
        assert!(
            err.to_string().contains("none in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)"),
            "{err}"
        );
        let err = Credentials::from_lookup(vars(&[("AWS_ACCESS_KEY_ID", "AKID")])).unwrap_err();
        assert!(err.to_string().contains("AWS_SECRET_ACCESS_KEY is not"), "{err}");
    }

    /// `Verdict::of` restates `Error::is_retryable`, `is_throttling` and `code` so that it is
    /// compiled once per operation as one match; the two must agree.
    #[test]
    fn verdicts_agree_with_the_error_methods() {
        #[derive(Debug)]
        struct Modeled(&'static str, bool);
        impl fmt::Display for Modeled {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.0)
            }
        }
        impl std::error::Error for Modeled {}
        impl ModeledErrorEnum for Modeled {
            fn code(&self) -> &'static str {
                self.0
            }
            fn is_retryable(&self) -> bool {
                self.1
            }
        }
        let unhandled = |status, code: Option<&str>| {
            Error::Unhandled(crate::protocol::UnhandledError {
                status,
                code: code.map(str::to_string),
                message: None,
                body: Vec::new(),
            })
        };
        let errors: Vec<Error<Modeled>> = vec![
            Error::Service(Modeled("ThrottlingException", false)),
            Error::Service(Modeled("Busy", true)),
            Error::Service(Modeled("Denied", false)),
            unhandled(429, None),
            unhandled(503, Some("Unavailable")),
            unhandled(400, Some("Throttling")),
            unhandled(400, Some("Invalid")),
            Error::Transport("reset".into()),
            Error::Timeout(Duration::from_secs(1)),
            Error::NotImplemented { operation: "Op" },
        ];
        for e in errors {
            let shown = e.to_string();
            let expected = (e.is_retryable(), e.is_throttling(), e.code().map(str::to_string));
            let timed_out = matches!(e, Error::Transport(_) | Error::Timeout(_));
            let v = Verdict::of(&Err::<(), _>(e));
            assert!(!v.ok, "{shown}");
            assert_eq!((v.retryable, v.throttling, v.code), expected, "{shown}");
            assert_eq!(v.timed_out, timed_out, "{shown}");
        }
        assert!(Verdict::of(&Ok::<(), Error<Modeled>>(())).ok);
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
