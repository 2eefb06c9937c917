//! What the wire protocols share: the errors of building a request, scalar and timestamp text
//! forms, idempotency tokens and error codes. Each protocol family has its module: [`rest`]
//! for HTTP bindings (labels, query strings, headers), [`json`] for JSON bodies and the JSON
//! protocols' errors, [`query`] for the form bodies of awsQuery and ec2Query, `xml` (with the
//! `xml` feature) for XML bodies and the XML protocols' errors.

use base64::Engine as _;

use crate::http::Response;
use crate::DateTime;

#[cfg(feature = "cbor")]
pub mod cbor;
pub mod json;
pub mod query;
pub mod rest;
#[cfg(feature = "xml")]
pub mod xml;

/// A request could not be built from the input.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SerializeError {
    /// A path label is not set.
    MissingLabel(&'static str),
    /// A path label is set to the empty string.
    EmptyLabel(String),
    /// A host label is not set.
    MissingHostLabel(&'static str),
    /// A host label holds characters a host name cannot.
    InvalidHostLabel {
        /// The member.
        name: String,
        /// Its value.
        value: String,
    },
    /// A header name from the input (a prefix-headers map key) is not a valid name.
    HeaderName(String),
    /// A header value holds characters HTTP cannot carry.
    HeaderValue {
        /// The header.
        name: String,
        /// Its value.
        value: String,
    },
    /// The URI built from the input, or with the endpoint, is not valid.
    Uri(String),
    /// The body could not be written.
    Body(String),
}

impl std::fmt::Display for SerializeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::MissingLabel(e) => write!(f, "the label `{e}` is not set"),
            Self::EmptyLabel(e) => write!(f, "the label `{e}` is empty"),
            Self::MissingHostLabel(e) => write!(f, "the host label `{e}` is not set"),
            Self::InvalidHostLabel { name, value } => {
                write!(f, "the host label `{name}` must be letters, digits, '-' and '.', not {value:?}")
            }
            Self::HeaderName(e) => write!(f, "`{e}` cannot be an HTTP header name"),
            Self::HeaderValue { name, value } => {
                write!(f, "the value of header `{name}` cannot be sent in HTTP: {value:?}")
            }
            Self::Uri(e) => write!(f, "the request URI is not valid: {e}"),
            Self::Body(e) => write!(f, "the body could not be written: {e}"),
        }
    }
}

impl std::error::Error for SerializeError {}

/// A fresh idempotency token: a random UUID v4 (RFC 9562), lowercase. Tokens only need to be
/// unique, not secret, so they come from `fastrand`, as in the official SDKs.
pub fn idempotency_token() -> String {
    let mut b = fastrand::u128(..).to_be_bytes();
    b[6] = (b[6] & 0x0f) | 0x40; // version 4
    b[8] = (b[8] & 0x3f) | 0x80; // the RFC's variant
    let mut out = String::with_capacity(36);
    for (i, byte) in b.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        out.push(char::from(HEX[usize::from(byte >> 4)]));
        out.push(char::from(HEX[usize::from(byte & 0xf)]));
    }
    out
}

/// Lowercase hexadecimal digits, for idempotency tokens and JSON `\u00XX` escapes.
const HEX: &[u8; 16] = b"0123456789abcdef";

/// Formats a float the way the protocols write it outside JSON: `NaN`, `Infinity`, `-Infinity`
/// or the shortest decimal that reads back the same.
pub fn fmt_float(v: f64) -> String {
    if v.is_nan() {
        "NaN".into()
    } else if v.is_infinite() {
        if v > 0.0 { "Infinity" } else { "-Infinity" }.into()
    } else if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        v.to_string()
    }
}

/// Formats an `f32` outside JSON (shortest form that reads back as the same `f32`).
pub fn fmt_float32(v: f32) -> String {
    if v.is_finite() && !(v.fract() == 0.0 && v.abs() < 1e7) {
        v.to_string()
    } else {
        fmt_float(f64::from(v))
    }
}

/// Reads a boolean outside a body.
pub fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// Reads a float outside a body, including `NaN`, `Infinity` and `-Infinity`.
pub fn parse_float(s: &str) -> Option<f64> {
    match s {
        "NaN" => Some(f64::NAN),
        "Infinity" => Some(f64::INFINITY),
        "-Infinity" => Some(f64::NEG_INFINITY),
        _ => s.parse().ok(),
    }
}

/// Base64 of bytes, for blobs and `@mediaType` strings in headers.
pub fn base64(bytes: impl AsRef<[u8]>) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Reads base64.
pub fn parse_base64(s: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::STANDARD.decode(s).ok()
}

/// Timestamp formats outside a body, and in JSON bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    /// Seconds since the epoch.
    EpochSeconds,
    /// RFC 3339.
    DateTime,
    /// IMF-fixdate.
    HttpDate,
}

/// Formats a timestamp.
pub fn fmt_timestamp(t: &DateTime, format: TimestampFormat) -> String {
    match format {
        TimestampFormat::EpochSeconds => fmt_epoch_seconds(t),
        TimestampFormat::DateTime => format_date_time(t),
        TimestampFormat::HttpDate => format_http_date(t),
    }
}

/// Formats epoch seconds: whole seconds as an integer, else with the fraction.
pub fn fmt_epoch_seconds(t: &DateTime) -> String {
    let nanos = t.subsec_nanos();
    if nanos == 0 {
        t.secs().to_string()
    } else {
        let mut s = format!("{}.{:09}", t.secs(), nanos);
        while s.ends_with('0') {
            s.pop();
        }
        s
    }
}

/// Parses epoch seconds from decimal text exactly (no float rounding of the fraction).
pub fn parse_epoch_seconds(text: &str) -> Option<DateTime> {
    DateTime::parse_epoch_seconds(text)
}

/// Formats a timestamp as RFC 3339 in UTC, with a fraction only when there is one.
pub fn format_date_time(t: &DateTime) -> String {
    t.to_rfc3339()
}

/// Parses an RFC 3339 date-time with any offset.
pub fn parse_date_time(s: &str) -> Option<DateTime> {
    DateTime::parse_rfc3339(s)
}

/// Formats a timestamp as an IMF-fixdate HTTP date (whole seconds).
pub fn format_http_date(t: &DateTime) -> String {
    t.to_http_date()
}

/// Parses an HTTP date (IMF-fixdate, with an optional fraction of a second).
pub fn parse_http_date(s: &str) -> Option<DateTime> {
    DateTime::parse_http_date(s)
}

/// Reads a timestamp in the given format.
pub fn parse_timestamp(s: &str, format: TimestampFormat) -> Option<DateTime> {
    match format {
        TimestampFormat::EpochSeconds => parse_epoch_seconds(s),
        TimestampFormat::DateTime => parse_date_time(s),
        TimestampFormat::HttpDate => parse_http_date(s),
    }
}

/// `aws.protocoltests#FooError:http://internal.amazon.com/` becomes `FooError`.
pub fn sanitize_error_code(code: &str) -> &str {
    let code = code.split(':').next().unwrap_or(code);
    let code = code.rsplit('#').next().unwrap_or(code);
    code.trim()
}

/// An error response the model does not declare for the operation. Keeps everything the
/// service sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnhandledError {
    /// The HTTP status code.
    pub status: u16,
    /// The error code (namespace and `:uri` suffix removed), if one was found.
    pub code: Option<String>,
    /// The error message, if one was found.
    pub message: Option<String>,
    /// The raw response body.
    pub body: Vec<u8>,
}

impl UnhandledError {
    /// True for throttling codes, HTTP 429, and 500, 502, 503 and 504.
    pub fn is_retryable(&self) -> bool {
        self.is_throttling() || matches!(self.status, 500 | 502 | 503 | 504)
    }

    /// True for the throttling codes the AWS SDKs retry, and HTTP 429.
    pub fn is_throttling(&self) -> bool {
        self.status == 429 || self.code.as_deref().is_some_and(|c| crate::retry::THROTTLING_CODES.contains(&c))
    }
}

impl std::fmt::Display for UnhandledError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unhandled service error (HTTP {})", self.status)?;
        if let Some(c) = &self.code {
            write!(f, " {c}")?;
        }
        if let Some(m) = &self.message {
            write!(f, ": {m}")?;
        }
        Ok(())
    }
}

impl std::error::Error for UnhandledError {}

/// A response that does not parse as the model says it should.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseError {
    /// The HTTP status code.
    pub status: u16,
    /// What is wrong, and where (line and column for JSON bodies, the header name for headers).
    pub message: String,
}

impl std::fmt::Display for ResponseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Self { status, message } = self;
        write!(f, "malformed response (HTTP {status}): {message}")
    }
}

impl std::error::Error for ResponseError {}

/// The error code and message of an error response, as its protocol finds them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorInfo {
    /// The error code, without any namespace (`FooError`, not `ns#FooError`).
    pub code: Option<String>,
    /// The message, when the response has one.
    pub message: Option<String>,
}

/// The code of an `x-amzn-query-error: Code;Fault` header, which query-compatible services send.
pub fn query_error_code(response: &Response) -> Option<String> {
    let v = response.headers().get("x-amzn-query-error")?.to_str().ok()?;
    let code = v.split(';').next()?.trim();
    (!code.is_empty()).then(|| code.to_string())
}

/// The error for an error response whose code the operation does not declare. A
/// query-compatible service names its old awsQuery code in `x-amzn-query-error` (`Code;Fault`):
/// that is the code its users know, so it is preferred.
pub fn unhandled(response: &Response, info: ErrorInfo) -> UnhandledError {
    let code = query_error_code(response).or(info.code);
    UnhandledError { status: response.status().as_u16(), code, message: info.message, body: response.body().to_vec() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idempotency_tokens_are_distinct_uuid_v4s() {
        let tokens: std::collections::BTreeSet<String> = (0..1000).map(|_| idempotency_token()).collect();
        assert_eq!(tokens.len(), 1000);
        for t in &tokens {
            let parts: Vec<&str> = t.split('-').collect();
            assert_eq!(parts.iter().map(|p| p.len()).collect::<Vec<_>>(), [8, 4, 4, 4, 12], "{t}");
            assert!(t.chars().all(|c| c == '-' || c.is_ascii_digit() || ('a'..='f').contains(&c)), "{t}");
            assert_eq!(&parts[2][..1], "4", "version 4: {t}");
            assert!(matches!(&parts[3][..1], "8" | "9" | "a" | "b"), "the RFC variant: {t}");
        }
    }

    #[test]
    fn the_query_error_header_gives_the_awsquery_code() {
        let r = http::Response::builder()
            .status(400)
            .header("x-amzn-query-error", "AWS.SimpleQueueService.NonExistentQueue;Sender")
            .body(Vec::new().into())
            .unwrap();
        assert_eq!(query_error_code(&r).as_deref(), Some("AWS.SimpleQueueService.NonExistentQueue"));
        let plain = http::Response::builder().status(400).body(Vec::new().into()).unwrap();
        assert_eq!(query_error_code(&plain), None);
    }

    #[test]
    fn floats() {
        assert_eq!(fmt_float(1.0), "1");
        assert_eq!(fmt_float(1.5), "1.5");
        assert_eq!(fmt_float(f64::NAN), "NaN");
    }
    #[test]
    fn codes() {
        assert_eq!(sanitize_error_code("aws.protocoltests.restjson#FooError:http://internal.amazon.com/"), "FooError");
        assert_eq!(sanitize_error_code("FooError"), "FooError");
    }

    #[test]
    fn epoch_seconds_exact() {
        let t = parse_epoch_seconds("1398796238.123").unwrap();
        assert_eq!(t.secs(), 1398796238);
        assert_eq!(t.subsec_nanos(), 123_000_000);
        let t = parse_epoch_seconds("-1.5").unwrap();
        assert_eq!((t.secs(), t.subsec_nanos()), (-2, 500_000_000));
        assert!(parse_epoch_seconds("1e400").is_none(), "out of range");
        assert!(parse_epoch_seconds("abc").is_none(), "not a number");
    }

    #[test]
    fn dates() {
        let t = parse_date_time("1985-04-12T23:20:50.52Z").unwrap();
        assert_eq!(format_date_time(&t), "1985-04-12T23:20:50.520Z");
        let h = parse_http_date("Tue, 29 Apr 2014 18:30:38 GMT").unwrap();
        assert_eq!(format_http_date(&h), "Tue, 29 Apr 2014 18:30:38 GMT");
    }
}
