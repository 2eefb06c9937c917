//! Where requests go: the endpoint the model's rules give for the client's settings, an explicit
//! endpoint URL, and host prefixes.

/// The endpoint rules engine: rule sets as static data and their evaluation.
pub use awsgen_rules as rules;

use crate::http::Request;
use crate::protocol::SerializeError;

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

/// Points a request at an endpoint: sets scheme and authority, and puts the endpoint's path
/// (if any) in front of the request's path.
pub fn apply_endpoint(request: &mut Request, endpoint: &http::Uri) -> Result<(), SerializeError> {
    let base = endpoint.path().trim_end_matches('/');
    let pq = request.uri().path_and_query().map_or("/", |p| p.as_str());
    let joined = format!("{base}{pq}");
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
