//! Flexible checksums (`aws.protocols#httpChecksum`): CRC32, CRC32C, CRC64NVME, SHA-1 and
//! SHA-256 of request bodies, sent as `x-amz-checksum-<algorithm>`, and of response bodies,
//! checked against the service's header. The algorithms come from crc32fast, crc32c,
//! crc64fast-nvme and RustCrypto.
//!
//! When they are calculated follows the SDKs' settings: requests carry a checksum when the
//! operation supports one (`WhenSupported`, the default) or only when it requires one
//! (`WhenRequired`); responses are checked when the operation can return one and the caller
//! did not opt out (`WhenSupported`), or only when the caller asked (`WhenRequired`).

#[cfg(feature = "checksums")]
use base64::Engine as _;
#[cfg(feature = "checksums")]
use sha1::Digest as _;

use crate::http::{Request, Response};
use crate::protocol::{ResponseError, SerializeError};

/// A checksum algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    /// CRC-32 (ISO-HDLC), as zlib computes it.
    Crc32,
    /// CRC-32C (Castagnoli).
    Crc32c,
    /// CRC-64/NVME.
    Crc64Nvme,
    /// SHA-1.
    Sha1,
    /// SHA-256.
    Sha256,
}

impl Algorithm {
    /// Every algorithm, in the order a response's checksums are preferred for checking
    /// (fastest first, as the SDKs order them).
    pub const ALL: [Algorithm; 5] =
        [Algorithm::Crc64Nvme, Algorithm::Crc32c, Algorithm::Crc32, Algorithm::Sha1, Algorithm::Sha256];

    /// The algorithm named `name` in the model's enum (`CRC32`, `SHA256`, any case).
    pub fn from_name(name: &str) -> Option<Algorithm> {
        Algorithm::ALL.into_iter().find(|a| a.name().eq_ignore_ascii_case(name))
    }

    /// Its name as the models and headers spell it.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Crc32 => "CRC32",
            Algorithm::Crc32c => "CRC32C",
            Algorithm::Crc64Nvme => "CRC64NVME",
            Algorithm::Sha1 => "SHA1",
            Algorithm::Sha256 => "SHA256",
        }
    }

    /// The header that carries it: `x-amz-checksum-crc32`, ...
    pub fn header(self) -> &'static str {
        match self {
            Algorithm::Crc32 => "x-amz-checksum-crc32",
            Algorithm::Crc32c => "x-amz-checksum-crc32c",
            Algorithm::Crc64Nvme => "x-amz-checksum-crc64nvme",
            Algorithm::Sha1 => "x-amz-checksum-sha1",
            Algorithm::Sha256 => "x-amz-checksum-sha256",
        }
    }

    /// The checksum of `body`, base64 of its big-endian bytes, as the header carries it.
    #[cfg(feature = "checksums")]
    pub fn checksum(self, body: &[u8]) -> String {
        let b64 = |bytes: &[u8]| base64::engine::general_purpose::STANDARD.encode(bytes);
        match self {
            Algorithm::Crc32 => b64(&crc32fast::hash(body).to_be_bytes()),
            Algorithm::Crc32c => b64(&crc32c::crc32c(body).to_be_bytes()),
            Algorithm::Crc64Nvme => {
                let mut d = crc64fast_nvme::Digest::new();
                d.write(body);
                b64(&d.sum64().to_be_bytes())
            }
            Algorithm::Sha1 => b64(&sha1::Sha1::digest(body)),
            Algorithm::Sha256 => b64(&sha2::Sha256::digest(body)),
        }
    }
}

/// When request checksums are calculated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RequestChecksumCalculation {
    /// For every operation that supports one (the default).
    #[default]
    WhenSupported,
    /// Only for operations that require one, or when the caller names an algorithm.
    WhenRequired,
}

/// When response checksums are checked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ResponseChecksumValidation {
    /// For every operation that can return one (the default).
    #[default]
    WhenSupported,
    /// Only when the caller enabled it on the input (`ChecksumMode`).
    WhenRequired,
}

impl std::str::FromStr for RequestChecksumCalculation {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "when_supported" => Ok(Self::WhenSupported),
            "when_required" => Ok(Self::WhenRequired),
            _ => Err(format!("`{s}` is not when_supported or when_required")),
        }
    }
}

impl std::str::FromStr for ResponseChecksumValidation {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "when_supported" => Ok(Self::WhenSupported),
            "when_required" => Ok(Self::WhenRequired),
            _ => Err(format!("`{s}` is not when_supported or when_required")),
        }
    }
}

/// What an operation's input says about its request checksum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestChecksum {
    /// The algorithm the caller named (the input's `ChecksumAlgorithm`), if any.
    pub algorithm: Option<String>,
    /// The operation requires a checksum (`requestChecksumRequired`).
    pub required: bool,
}

/// Adds the request's checksum header, unless the caller already sent one: the named
/// algorithm's, else CRC32 when the settings ask for one. An algorithm this runtime does not
/// know is an error, not a request sent without it.
#[cfg(feature = "checksums")]
pub fn apply(
    request: &mut Request,
    spec: &RequestChecksum,
    when: RequestChecksumCalculation,
) -> Result<(), SerializeError> {
    if request
        .headers()
        .keys()
        .any(|k| k.as_str().starts_with("x-amz-checksum-") && k.as_str() != "x-amz-checksum-mode")
    {
        return Ok(());
    }
    let algorithm = match &spec.algorithm {
        Some(name) => Algorithm::from_name(name)
            .ok_or_else(|| SerializeError::Body(format!("checksum algorithm `{name}` is not supported")))?,
        None if spec.required || when == RequestChecksumCalculation::WhenSupported => Algorithm::Crc32,
        None => return Ok(()),
    };
    let value = algorithm.checksum(request.body());
    let headers = request.headers_mut();
    headers.insert(
        http::HeaderName::from_static(algorithm.header()),
        http::HeaderValue::from_str(&value).expect("base64 is a valid header value"),
    );
    if !headers.contains_key("x-amz-sdk-checksum-algorithm") {
        headers.insert("x-amz-sdk-checksum-algorithm", http::HeaderValue::from_static(algorithm.name()));
    }
    Ok(())
}

/// Checks a response body against the first checksum header of `algorithms` it carries, in
/// the preferred order. A multipart object's checksum of checksums (`...-<parts>`) cannot be
/// checked from the body and is skipped. `Ok(None)` when there was nothing to check, else the
/// algorithm checked.
#[cfg(feature = "checksums")]
pub fn validate(response: &Response, algorithms: &[&str]) -> Result<Option<Algorithm>, ResponseError> {
    for a in Algorithm::ALL.into_iter().filter(|a| algorithms.iter().any(|n| n.eq_ignore_ascii_case(a.name()))) {
        let Some(sent) = response.headers().get(a.header()).and_then(|v| v.to_str().ok()) else { continue };
        if sent.contains('-') {
            return Ok(None);
        }
        let computed = a.checksum(response.body());
        if computed != sent {
            return Err(ResponseError {
                status: response.status().as_u16(),
                message: format!(
                    "the body does not match its {} checksum: `{}` says {sent}, the {} bytes received hash to {computed}",
                    a.name(),
                    a.header(),
                    response.body().len()
                ),
            });
        }
        return Ok(Some(a));
    }
    Ok(None)
}

/// Without the `checksums` feature (which generated crates with checksum operations turn on),
/// no checksum can be calculated: an error, not a request sent without the one it needs.
#[cfg(not(feature = "checksums"))]
pub fn apply(
    _request: &mut Request,
    _spec: &RequestChecksum,
    _when: RequestChecksumCalculation,
) -> Result<(), SerializeError> {
    Err(SerializeError::Body("request checksums need the runtime's `checksums` feature".into()))
}

/// Without the `checksums` feature, no response can be checked: an error, not a silent pass.
#[cfg(not(feature = "checksums"))]
pub fn validate(response: &Response, _algorithms: &[&str]) -> Result<Option<Algorithm>, ResponseError> {
    Err(ResponseError {
        status: response.status().as_u16(),
        message: "response checksums need the runtime's `checksums` feature".into(),
    })
}

#[cfg(all(test, feature = "checksums"))]
mod tests {
    use super::*;

    /// The values the SDKs' own tests use for "Hello world".
    #[test]
    fn known_values() {
        let body = b"Hello world";
        assert_eq!(Algorithm::Crc32.checksum(body), "i9aeUg==");
        assert_eq!(Algorithm::Crc32c.checksum(body), "crUfeA==");
        assert_eq!(Algorithm::Crc64Nvme.checksum(body), "OOJZ0D8xKts=");
        assert_eq!(Algorithm::Sha1.checksum(body), "e1AsOh9IyGCa4hLN+2Od7jlnP14=");
        assert_eq!(Algorithm::Sha256.checksum(body), "ZOyIygCyaOW6GjVnihtTFtIS9PNmskdyMlNKiuyjfzw=");
        assert_eq!(Algorithm::Crc32.checksum(b""), "AAAAAA==");
    }

    #[test]
    fn request_checksums_follow_the_settings() {
        let req = || {
            let mut r = Request::new(b"Hello world".to_vec());
            *r.uri_mut() = "https://example.com/".parse().unwrap();
            r
        };
        let supported = RequestChecksum { algorithm: None, required: false };
        let mut r = req();
        apply(&mut r, &supported, RequestChecksumCalculation::WhenSupported).unwrap();
        assert_eq!(r.headers()["x-amz-checksum-crc32"], "i9aeUg==");
        assert_eq!(r.headers()["x-amz-sdk-checksum-algorithm"], "CRC32");
        let mut r = req();
        apply(&mut r, &supported, RequestChecksumCalculation::WhenRequired).unwrap();
        assert!(r.headers().get("x-amz-checksum-crc32").is_none());
        let sha = RequestChecksum { algorithm: Some("SHA256".into()), required: false };
        let mut r = req();
        apply(&mut r, &sha, RequestChecksumCalculation::WhenRequired).unwrap();
        assert!(r.headers().contains_key("x-amz-checksum-sha256"));
        let unknown = RequestChecksum { algorithm: Some("MD4".into()), required: false };
        assert!(apply(&mut req(), &unknown, RequestChecksumCalculation::WhenSupported).is_err());
    }

    #[test]
    fn response_checksums_are_checked() {
        let resp = |header: &str, value: &str| {
            http::Response::builder().status(200).header(header, value).body(b"Hello world".to_vec().into()).unwrap()
        };
        let all = ["CRC64NVME", "CRC32", "CRC32C", "SHA256", "SHA1"];
        assert_eq!(validate(&resp("x-amz-checksum-crc32", "i9aeUg=="), &all).unwrap(), Some(Algorithm::Crc32));
        let e = validate(&resp("x-amz-checksum-crc32", "AAAAAA=="), &all).unwrap_err();
        assert!(e.message.contains("does not match its CRC32 checksum"), "{e}");
        assert_eq!(validate(&resp("x-amz-checksum-crc32", "i9aeUg==-3"), &all).unwrap(), None, "multipart");
        assert_eq!(validate(&resp("x-amz-checksum-crc32", "AAAAAA=="), &["SHA1"]).unwrap(), None, "not offered");
    }
}
