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
        let mut h = Hasher::new(self);
        h.update(body);
        h.finish()
    }

    /// The length of its checksum in base64.
    #[cfg(feature = "checksums")]
    fn encoded_len(self) -> usize {
        match self {
            Algorithm::Crc32 | Algorithm::Crc32c => 8,
            Algorithm::Crc64Nvme => 12,
            Algorithm::Sha1 => 28,
            Algorithm::Sha256 => 44,
        }
    }
}

/// A checksum computed piece by piece, for bodies that stream.
#[cfg(feature = "checksums")]
pub struct Hasher {
    state: HasherState,
}

#[cfg(feature = "checksums")]
enum HasherState {
    Crc32(crc32fast::Hasher),
    Crc32c(u32),
    Crc64Nvme(crc64fast_nvme::Digest),
    Sha1(sha1::Sha1),
    Sha256(crate::hash::Sha256),
}

#[cfg(feature = "checksums")]
impl Hasher {
    /// A hasher for `algorithm`, of no bytes yet.
    pub fn new(algorithm: Algorithm) -> Self {
        let state = match algorithm {
            Algorithm::Crc32 => HasherState::Crc32(crc32fast::Hasher::new()),
            Algorithm::Crc32c => HasherState::Crc32c(0),
            Algorithm::Crc64Nvme => HasherState::Crc64Nvme(crc64fast_nvme::Digest::new()),
            Algorithm::Sha1 => HasherState::Sha1(sha1::Sha1::new()),
            Algorithm::Sha256 => HasherState::Sha256(crate::hash::Sha256::new()),
        };
        Hasher { state }
    }

    /// Adds `data`.
    pub fn update(&mut self, data: &[u8]) {
        match &mut self.state {
            HasherState::Crc32(h) => h.update(data),
            HasherState::Crc32c(c) => *c = crc32c::crc32c_append(*c, data),
            HasherState::Crc64Nvme(d) => d.write(data),
            HasherState::Sha1(h) => h.update(data),
            HasherState::Sha256(h) => h.update(data),
        }
    }

    /// The checksum of everything added, in base64 as headers carry it.
    pub fn finish(self) -> String {
        let b64 = |bytes: &[u8]| base64::engine::general_purpose::STANDARD.encode(bytes);
        match self.state {
            HasherState::Crc32(h) => b64(&h.finalize().to_be_bytes()),
            HasherState::Crc32c(c) => b64(&c.to_be_bytes()),
            HasherState::Crc64Nvme(d) => b64(&d.sum64().to_be_bytes()),
            HasherState::Sha1(h) => b64(&h.finalize()),
            HasherState::Sha256(h) => b64(&h.finish()),
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

/// The algorithm of the request's checksum: the one the caller named, else CRC32 when the
/// settings ask for one; `None` when the caller already sent a checksum header or none is
/// wanted. An algorithm this runtime does not know is an error, not a request sent without it.
pub fn choose(
    request: &Request,
    spec: &RequestChecksum,
    when: RequestChecksumCalculation,
) -> Result<Option<Algorithm>, SerializeError> {
    if request
        .headers()
        .keys()
        .any(|k| k.as_str().starts_with("x-amz-checksum-") && k.as_str() != "x-amz-checksum-mode")
    {
        return Ok(None);
    }
    match &spec.algorithm {
        Some(name) => Algorithm::from_name(name)
            .map(Some)
            .ok_or_else(|| SerializeError::Body(format!("checksum algorithm `{name}` is not supported"))),
        None if spec.required || when == RequestChecksumCalculation::WhenSupported => Ok(Some(Algorithm::Crc32)),
        None => Ok(None),
    }
}

/// Adds the request's checksum header for the algorithm [`choose`] picks.
#[cfg(feature = "checksums")]
pub fn apply(
    request: &mut Request,
    spec: &RequestChecksum,
    when: RequestChecksumCalculation,
) -> Result<(), SerializeError> {
    let Some(algorithm) = choose(request, spec, when)? else { return Ok(()) };
    let value = algorithm.checksum(request.body());
    let headers = request.headers_mut();
    headers.insert(
        http::HeaderName::from_static(algorithm.header()),
        http::HeaderValue::from_str(&value).expect("base64 is a valid header value"),
    );
    set_algorithm_header(headers, algorithm);
    Ok(())
}

#[cfg(feature = "checksums")]
fn set_algorithm_header(headers: &mut http::HeaderMap, algorithm: Algorithm) {
    if !headers.contains_key("x-amz-sdk-checksum-algorithm") {
        headers.insert("x-amz-sdk-checksum-algorithm", http::HeaderValue::from_static(algorithm.name()));
    }
}

/// The `x-amz-content-sha256` of a body sent `aws-chunked` with its checksum in a trailer.
pub const STREAMING_UNSIGNED_PAYLOAD_TRAILER: &str = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";

/// The size of each chunk of an `aws-chunked` body (the last may be shorter).
#[cfg(feature = "checksums")]
const AWS_CHUNK: u64 = 64 * 1024;

/// The length of `len` bytes sent `aws-chunked` in [`AWS_CHUNK`]-byte chunks with one trailer
/// of `algorithm`.
#[cfg(feature = "checksums")]
fn aws_chunked_len(len: u64, algorithm: Algorithm) -> u64 {
    let chunk = |size: u64| format!("{size:x}").len() as u64 + 2 + size + 2;
    let (full, rest) = (len / AWS_CHUNK, len % AWS_CHUNK);
    let trailer = algorithm.header().len() + 1 + algorithm.encoded_len() + 2;
    full * chunk(AWS_CHUNK) + if rest > 0 { chunk(rest) } else { 0 } + 3 + trailer as u64 + 2
}

/// Announces a streaming body sent with its checksum in a trailer, as the SDKs send a checksum
/// they cannot compute before sending: `aws-chunked` content encoding, the decoded length, the
/// trailer's name, and the encoded length as `Content-Length` (see [`aws_chunked_body`]). The
/// body needs a known length.
#[cfg(feature = "checksums")]
pub fn aws_chunked_headers(
    headers: &mut http::HeaderMap,
    len: Option<u64>,
    algorithm: Algorithm,
) -> Result<(), SerializeError> {
    use http::HeaderValue;
    let Some(len) = len else {
        return Err(SerializeError::Body(format!(
            "a {} checksum of a body of unknown length cannot be sent: give the stream its length, \
             or set the request checksum calculation to when_required",
            algorithm.name()
        )));
    };
    let encoding = match headers.get(http::header::CONTENT_ENCODING).and_then(|v| v.to_str().ok()) {
        Some(other) if !other.is_empty() => format!("aws-chunked,{other}"),
        _ => "aws-chunked".to_string(),
    };
    headers.insert(
        http::header::CONTENT_ENCODING,
        HeaderValue::from_str(&encoding)
            .map_err(|_| SerializeError::HeaderValue { name: "Content-Encoding".into(), value: encoding.clone() })?,
    );
    headers.insert("x-amz-decoded-content-length", HeaderValue::from(len));
    headers.insert("x-amz-trailer", HeaderValue::from_static(algorithm.header()));
    headers.insert(http::header::CONTENT_LENGTH, HeaderValue::from(aws_chunked_len(len, algorithm)));
    set_algorithm_header(headers, algorithm);
    Ok(())
}

/// `body` encoded `aws-chunked` with its `algorithm` checksum in the trailer:
/// `<hex size>\r\n<data>\r\n` per chunk of 64 KiB, then `0\r\n`,
/// `x-amz-checksum-<algorithm>:<value>\r\n` and `\r\n`.
#[cfg(feature = "checksums")]
pub fn aws_chunked_body(body: crate::body::ByteStream, algorithm: Algorithm) -> crate::body::ByteStream {
    let len = body.len().map(|n| aws_chunked_len(n, algorithm));
    let encoded = AwsChunked { body, hasher: Some(Hasher::new(algorithm)), algorithm, pending: bytes::BytesMut::new() };
    crate::body::ByteStream::from_chunks(encoded, len)
}

/// The encoder of [`aws_chunked_body`]: gathers the body into [`AWS_CHUNK`]-byte chunks.
#[cfg(feature = "checksums")]
struct AwsChunked {
    body: crate::body::ByteStream,
    /// `None` once the trailer is out.
    hasher: Option<Hasher>,
    algorithm: Algorithm,
    pending: bytes::BytesMut,
}

#[cfg(feature = "checksums")]
impl AwsChunked {
    fn frame(&mut self, size: usize) -> bytes::Bytes {
        let data = self.pending.split_to(size);
        let mut out = bytes::BytesMut::with_capacity(size + 12);
        out.extend_from_slice(format!("{size:x}\r\n").as_bytes());
        out.extend_from_slice(&data);
        out.extend_from_slice(b"\r\n");
        out.freeze()
    }
}

#[cfg(feature = "checksums")]
impl futures_core::Stream for AwsChunked {
    type Item = Result<bytes::Bytes, crate::body::StreamError>;

    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        use std::task::Poll;
        let this = self.get_mut();
        loop {
            if this.pending.len() as u64 >= AWS_CHUNK {
                return Poll::Ready(Some(Ok(this.frame(AWS_CHUNK as usize))));
            }
            let Some(hasher) = this.hasher.as_mut() else { return Poll::Ready(None) };
            match std::pin::Pin::new(&mut this.body).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(data))) => {
                    hasher.update(&data);
                    this.pending.extend_from_slice(&data);
                }
                Poll::Ready(None) => {
                    let mut out = match this.pending.is_empty() {
                        true => bytes::BytesMut::new(),
                        false => bytes::BytesMut::from(&this.frame(this.pending.len())[..]),
                    };
                    let value = this.hasher.take().expect("checked above").finish();
                    out.extend_from_slice(format!("0\r\n{}:{value}\r\n\r\n", this.algorithm.header()).as_bytes());
                    return Poll::Ready(Some(Ok(out.freeze())));
                }
            }
        }
    }
}

/// A response body that is checked as it is read against the first checksum header of
/// `algorithms` the response carries (the order of [`validate`]): its last item is an error when
/// the bytes do not match. Bodies without a checksum header, or with a multipart object's
/// checksum of checksums, pass through unchecked.
#[cfg(feature = "checksums")]
pub fn validating(
    headers: &http::HeaderMap,
    body: crate::body::ByteStream,
    algorithms: &[&str],
) -> crate::body::ByteStream {
    let sent = Algorithm::ALL
        .into_iter()
        .filter(|a| algorithms.iter().any(|n| n.eq_ignore_ascii_case(a.name())))
        .find_map(|a| headers.get(a.header()).and_then(|v| v.to_str().ok()).map(|v| (a, v.to_string())));
    match sent {
        Some((algorithm, expected)) if !expected.contains('-') => {
            let len = body.len();
            let check = Validating { body, hasher: Some(Hasher::new(algorithm)), algorithm, expected, bytes: 0 };
            crate::body::ByteStream::from_chunks(check, len)
        }
        _ => body,
    }
}

#[cfg(feature = "checksums")]
struct Validating {
    body: crate::body::ByteStream,
    hasher: Option<Hasher>,
    algorithm: Algorithm,
    expected: String,
    bytes: u64,
}

#[cfg(feature = "checksums")]
impl futures_core::Stream for Validating {
    type Item = Result<bytes::Bytes, crate::body::StreamError>;

    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        use std::task::Poll;
        let this = self.get_mut();
        let Some(hasher) = this.hasher.as_mut() else { return Poll::Ready(None) };
        match std::pin::Pin::new(&mut this.body).poll_next(cx) {
            Poll::Ready(Some(Ok(data))) => {
                hasher.update(&data);
                this.bytes += data.len() as u64;
                Poll::Ready(Some(Ok(data)))
            }
            Poll::Ready(None) => {
                let computed = this.hasher.take().expect("checked above").finish();
                Poll::Ready((computed != this.expected).then(|| {
                    Err(crate::body::StreamError::Checksum {
                        algorithm: this.algorithm.name(),
                        expected: std::mem::take(&mut this.expected),
                        computed,
                        bytes: this.bytes,
                    })
                }))
            }
            other => other,
        }
    }
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

/// Without the `checksums` feature, no streaming body can carry a checksum.
#[cfg(not(feature = "checksums"))]
pub fn aws_chunked_headers(
    _headers: &mut http::HeaderMap,
    _len: Option<u64>,
    _algorithm: Algorithm,
) -> Result<(), SerializeError> {
    Err(SerializeError::Body("request checksums need the runtime's `checksums` feature".into()))
}

/// Without the `checksums` feature, [`aws_chunked_headers`] refuses, so this is never called:
/// the body goes out as it is.
#[cfg(not(feature = "checksums"))]
pub fn aws_chunked_body(body: crate::body::ByteStream, _algorithm: Algorithm) -> crate::body::ByteStream {
    body
}

/// Without the `checksums` feature, a streaming response body that was to be checked fails
/// when it is read.
#[cfg(not(feature = "checksums"))]
pub fn validating(
    _headers: &http::HeaderMap,
    _body: crate::body::ByteStream,
    _algorithms: &[&str],
) -> crate::body::ByteStream {
    let error = crate::body::StreamError::Source("response checksums need the runtime's `checksums` feature".into());
    crate::body::ByteStream::from_chunks(Once(Some(error)), None)
}

#[cfg(not(feature = "checksums"))]
struct Once(Option<crate::body::StreamError>);

#[cfg(not(feature = "checksums"))]
impl futures_core::Stream for Once {
    type Item = Result<bytes::Bytes, crate::body::StreamError>;
    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        std::task::Poll::Ready(self.get_mut().0.take().map(Err))
    }
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

    #[test]
    fn hashing_in_pieces_is_hashing_at_once() {
        let body: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 256) as u8).collect();
        for a in Algorithm::ALL {
            let mut h = Hasher::new(a);
            for piece in body.chunks(7_001) {
                h.update(piece);
            }
            assert_eq!(h.finish(), a.checksum(&body), "{}", a.name());
            assert_eq!(a.checksum(&body).len(), a.encoded_len(), "{}", a.name());
        }
    }

    /// The encoding checked byte for byte on a small body, and on one of several chunks fed in
    /// odd pieces: the decoded chunks, the trailer, and `Content-Length` equal to what is sent.
    #[tokio::test]
    async fn aws_chunked_bodies_are_exact() {
        let mut headers = http::HeaderMap::new();
        let body = crate::body::ByteStream::from("Hello world");
        aws_chunked_headers(&mut headers, body.len(), Algorithm::Crc32).unwrap();
        let encoded = aws_chunked_body(body, Algorithm::Crc32).collect().await.unwrap();
        assert_eq!(&encoded[..], b"b\r\nHello world\r\n0\r\nx-amz-checksum-crc32:i9aeUg==\r\n\r\n");
        assert_eq!(headers["content-length"], encoded.len().to_string().as_str());
        assert_eq!(headers["content-encoding"], "aws-chunked");
        assert_eq!(headers["x-amz-decoded-content-length"], "11");
        assert_eq!(headers["x-amz-trailer"], "x-amz-checksum-crc32");
        assert_eq!(headers["x-amz-sdk-checksum-algorithm"], "CRC32");

        let data: Vec<u8> = (0..200_001u32).map(|i| (i % 253) as u8).collect();
        let pieces: Vec<Result<bytes::Bytes, std::io::Error>> =
            data.chunks(10_007).map(|c| Ok(bytes::Bytes::copy_from_slice(c))).collect();
        let mut headers = http::HeaderMap::new();
        headers.insert("content-encoding", http::HeaderValue::from_static("gzip"));
        let body = crate::body::ByteStream::from_stream(crate::body::Chunks(pieces), Some(data.len() as u64));
        aws_chunked_headers(&mut headers, body.len(), Algorithm::Sha256).unwrap();
        let encoded = aws_chunked_body(body, Algorithm::Sha256).collect().await.unwrap();
        assert_eq!(headers["content-length"], encoded.len().to_string().as_str());
        assert_eq!(headers["content-encoding"], "aws-chunked,gzip");
        let (mut rest, mut decoded) = (&encoded[..], Vec::new());
        loop {
            let line_end = rest.windows(2).position(|w| w == b"\r\n").unwrap();
            let size = usize::from_str_radix(std::str::from_utf8(&rest[..line_end]).unwrap(), 16).unwrap();
            rest = &rest[line_end + 2..];
            if size == 0 {
                break;
            }
            assert!(size as u64 == AWS_CHUNK || decoded.len() + size == data.len(), "chunk of {size}");
            decoded.extend_from_slice(&rest[..size]);
            assert_eq!(&rest[size..size + 2], b"\r\n");
            rest = &rest[size + 2..];
        }
        assert_eq!(decoded, data);
        let trailer = format!("x-amz-checksum-sha256:{}\r\n\r\n", Algorithm::Sha256.checksum(&data));
        assert_eq!(rest, trailer.as_bytes());

        let e = aws_chunked_headers(&mut http::HeaderMap::new(), None, Algorithm::Crc32).unwrap_err();
        assert!(e.to_string().contains("unknown length"), "{e}");
    }

    #[tokio::test]
    async fn streamed_responses_are_checked_at_their_end() {
        let headers = |v: &'static str| {
            let mut h = http::HeaderMap::new();
            h.insert("x-amz-checksum-crc32", http::HeaderValue::from_static(v));
            h
        };
        let all = ["CRC32", "SHA256"];
        let body = || crate::body::ByteStream::from_reader(&b"Hello world"[..], Some(11));
        let ok = validating(&headers("i9aeUg=="), body(), &all).collect().await.unwrap();
        assert_eq!(ok, "Hello world");
        let mut bad = validating(&headers("AAAAAA=="), body(), &all);
        assert_eq!(bad.next().await.unwrap().unwrap(), "Hello world", "the data arrives as it comes");
        let e = bad.next().await.unwrap().unwrap_err();
        assert!(e.to_string().contains("does not match its CRC32 checksum"), "{e}");
        assert!(e.to_string().contains("the 11 bytes received hash to i9aeUg=="), "{e}");
        assert!(bad.next().await.is_none());
        let multipart = validating(&headers("AAAAAA==-3"), body(), &all).collect().await.unwrap();
        assert_eq!(multipart, "Hello world");
    }
}
