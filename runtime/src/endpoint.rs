//! Where requests go: the endpoint the model's rules give for the client's settings, an explicit
//! endpoint URL, and host prefixes.

/// The endpoint rules engine: rule sets as static data and their evaluation.
pub use awsgen_rules as rules;

use http::{HeaderName, HeaderValue};
use rules::{Params, RuleSet, Value};

use crate::http::Request;
use crate::protocol::SerializeError;

/// The client settings the endpoint rules read: the built-in parameters (`AWS::Region`,
/// `AWS::UseFIPS`, `AWS::UseDualStack`, `SDK::Endpoint`) and the service's own client context
/// parameters.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EndpointConfig {
    /// `AWS::Region`.
    pub region: Option<String>,
    /// `AWS::UseFIPS`.
    pub use_fips: bool,
    /// `AWS::UseDualStack`.
    pub use_dual_stack: bool,
    /// An endpoint URL set by the user (`SDK::Endpoint`).
    pub url: Option<String>,
    /// Client context parameters by name (`ForcePathStyle`, ...).
    pub params: Vec<(String, Value)>,
}

/// An endpoint as a client sends to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedEndpoint {
    /// Scheme, host and any base path.
    pub uri: http::Uri,
    /// Headers the rules add to every request.
    pub headers: Vec<(HeaderName, HeaderValue)>,
    /// The SigV4 signing name the rules give (`authSchemes`), if they give one.
    pub signing_name: Option<String>,
    /// The SigV4 signing region the rules give, if they give one.
    pub signing_region: Option<String>,
}

/// The endpoint rules gave no usable endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EndpointError {
    /// The rules end in an error for these settings; this is its message.
    Rules(String),
    /// The rules could not be evaluated (a parameter of the wrong type, a malformed rule set).
    Evaluation(String),
    /// The region cannot be part of a host name.
    InvalidRegion(String),
    /// The rules gave a URL or header that HTTP cannot carry.
    Invalid(String),
    /// The rules ask for an authentication scheme this client does not implement.
    UnsupportedAuth(String),
    /// As [`EndpointError::UnsupportedAuth`], for one operation's call (S3 Multi-Region Access
    /// Points need SigV4a, S3 Express directory buckets their own session auth).
    OperationAuth {
        /// The operation called.
        operation: &'static str,
        /// The scheme the rules named (`sigv4a`, `sigv4-s3express`).
        scheme: String,
    },
}

impl std::fmt::Display for EndpointError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Rules(e) => write!(f, "{e}"),
            Self::Evaluation(e) => write!(f, "endpoint rules: {e}"),
            Self::InvalidRegion(e) => write!(f, "invalid region `{e}`: a region is lowercase letters, digits and `-`"),
            Self::Invalid(e) => write!(f, "the endpoint rules gave an unusable endpoint: {e}"),
            Self::UnsupportedAuth(e) => {
                write!(f, "the endpoint requires the auth scheme `{e}`, which is not supported yet")
            }
            Self::OperationAuth { operation, scheme } => {
                write!(f, "{operation}: the endpoint requires the auth scheme `{scheme}`, which is not supported yet")
            }
        }
    }
}

impl std::error::Error for EndpointError {}

fn valid_region(region: &str) -> bool {
    !region.is_empty()
        && region.len() <= 63
        && region.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Resolves `rules` for the client settings `config`.
pub fn resolve(rules: &'static RuleSet, config: &EndpointConfig) -> Result<ResolvedEndpoint, EndpointError> {
    let eval = |e: rules::ResolveError| EndpointError::Evaluation(e.to_string());
    let mut params = Params::new(rules);
    if let Some(region) = &config.region {
        if !valid_region(region) {
            return Err(EndpointError::InvalidRegion(region.clone()));
        }
        params.set_built_in("AWS::Region", Value::String(region.clone())).map_err(eval)?;
    }
    params.set_built_in("AWS::UseFIPS", Value::Bool(config.use_fips)).map_err(eval)?;
    params.set_built_in("AWS::UseDualStack", Value::Bool(config.use_dual_stack)).map_err(eval)?;
    if let Some(url) = &config.url {
        params.set_built_in("SDK::Endpoint", Value::String(url.clone())).map_err(eval)?;
    }
    for (name, v) in &config.params {
        params.set(name, v.clone()).map_err(eval)?;
    }
    let e = rules::resolve(&params).map_err(|e| match e {
        rules::ResolveError::Rule(msg) => EndpointError::Rules(msg),
        other => eval(other),
    })?;
    let uri: http::Uri = e.url.parse().map_err(|err| EndpointError::Invalid(format!("`{}`: {err}", e.url)))?;
    if uri.scheme().is_none() || uri.authority().is_none() {
        return Err(EndpointError::Invalid(format!("`{}` has no scheme or host", e.url)));
    }
    let mut headers = Vec::new();
    for (name, values) in &e.headers {
        let n =
            HeaderName::from_bytes(name.as_bytes()).map_err(|_| EndpointError::Invalid(format!("header `{name}`")))?;
        for v in values {
            let v = HeaderValue::from_str(v).map_err(|_| EndpointError::Invalid(format!("header `{name}: {v}`")))?;
            headers.push((n.clone(), v));
        }
    }
    let (mut signing_name, mut signing_region) = (None, None);
    if let Some(Value::Array(schemes)) = e.property("authSchemes") {
        let name_of = |s: &Value| s.field("name").and_then(Value::as_str).unwrap_or_default().to_string();
        match schemes.iter().find(|s| name_of(s) == "sigv4") {
            Some(s) => {
                signing_name = s.field("signingName").and_then(Value::as_str).map(str::to_string);
                signing_region = s.field("signingRegion").and_then(Value::as_str).map(str::to_string);
            }
            None => {
                if let Some(first) = schemes.first() {
                    return Err(EndpointError::UnsupportedAuth(name_of(first)));
                }
            }
        }
    }
    Ok(ResolvedEndpoint { uri, headers, signing_name, signing_region })
}

/// Points a request at an endpoint: sets scheme and authority, and puts the endpoint's path
/// (if any) in front of the request's path.
pub fn apply_endpoint(request: &mut Request, endpoint: &http::Uri) -> Result<(), SerializeError> {
    let base = endpoint.path().trim_end_matches('/');
    let pq = request.uri().path_and_query().map_or("/", |p| p.as_str());
    let joined = match (request.extensions().get::<crate::protocol::rest::EmptyPath>(), base.is_empty()) {
        // No path of its own: the endpoint's path is the whole path (S3's path-style bucket).
        (Some(_), false) => format!("{base}{}", pq.strip_prefix('/').unwrap_or(pq)),
        _ => format!("{base}{pq}"),
    };
    let mut parts = http::uri::Parts::default();
    parts.scheme = Some(endpoint.scheme().cloned().unwrap_or(http::uri::Scheme::HTTPS));
    parts.authority = endpoint.authority().cloned();
    parts.path_and_query = Some(joined.parse().map_err(|e| SerializeError::Uri(format!("{joined}: {e}")))?);
    *request.uri_mut() =
        http::Uri::from_parts(parts).map_err(|e| SerializeError::Uri(format!("with the endpoint {endpoint}: {e}")))?;
    Ok(())
}

/// Puts `prefix` in front of the request's host (`@endpoint(hostPrefix)`).
pub fn apply_host_prefix(request: &mut Request, prefix: &str) -> Result<(), SerializeError> {
    let uri = request.uri().clone();
    let authority = uri.authority().ok_or_else(|| SerializeError::Uri("the request has no host to prefix".into()))?;
    let prefixed = format!("{prefix}{authority}");
    let mut parts = uri.into_parts();
    parts.authority = Some(prefixed.parse().map_err(|e| SerializeError::Uri(format!("host `{prefixed}`: {e}")))?);
    *request.uri_mut() = http::Uri::from_parts(parts).map_err(|e| SerializeError::Uri(e.to_string()))?;
    Ok(())
}

/// Checks a `@hostLabel` value: not empty, and only letters, digits, `-` and `.`.
pub fn host_label<'a>(name: &str, value: &'a str) -> Result<&'a str, SerializeError> {
    let valid = !value.is_empty() && value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
    if valid {
        Ok(value)
    } else {
        Err(SerializeError::InvalidHostLabel { name: name.to_string(), value: value.to_string() })
    }
}
