//! AWS Signature Version 4 for requests signed in their headers.
//!
//! The primitives (SHA-256, HMAC) come from RustCrypto; this module does the canonical request,
//! the string to sign and the `Authorization` header, following the published algorithm and the
//! choices the AWS SDKs make where it leaves room: the path is normalised and encoded a second
//! time, query parameters are decoded and re-encoded strictly, header values are trimmed, and
//! `authorization`, `user-agent`, `x-amzn-trace-id`, `transfer-encoding` and `content-length`
//! are left unsigned (proxies and the transport may change them). It exists, rather than
//! aws-sigv4, because a client signs every attempt of every call: the derived signing key
//! changes once a day and is cached here ([`SigningKeyCache`]), and nothing is allocated that
//! the canonical request does not need. The tests check it against aws-sigv4 and botocore.

use std::sync::Mutex;
use std::time::SystemTime;

use crate::hash::{sha256, HmacKey};
use http::header::{HeaderName, HeaderValue, AUTHORIZATION, HOST};
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::credentials::Credentials;
use crate::http::Request;

const ALGORITHM: &str = "AWS4-HMAC-SHA256";
const X_AMZ_DATE: HeaderName = HeaderName::from_static("x-amz-date");
const X_AMZ_SECURITY_TOKEN: HeaderName = HeaderName::from_static("x-amz-security-token");
/// Headers that are never signed.
const UNSIGNED: [&str; 5] = ["authorization", "user-agent", "x-amzn-trace-id", "transfer-encoding", "content-length"];

/// Everything but the unreserved characters `A-Z a-z 0-9 - . _ ~`.
const STRICT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');
/// As [`STRICT`], but `/` stays: path segments keep their separators.
const PATH: &AsciiSet = &STRICT.remove(b'/');

/// The last signing key derived, ready to sign (its HMAC state already keyed), with what it was
/// derived from: the day, the secret, the region and the service. One lives in each client,
/// where these change seldom (the day; the secret when credentials are refreshed; the region
/// or service when an endpoint's auth scheme names others), so most calls skip the four HMACs
/// of the derivation.
#[derive(Default)]
pub struct SigningKeyCache(Mutex<Option<CachedKey>>);

#[derive(Clone)]
struct CachedKey {
    day: [u8; 8],
    secret: String,
    region: String,
    service: String,
    key: HmacKey,
}

impl std::fmt::Debug for SigningKeyCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningKeyCache")
    }
}

/// A clone starts from the same key.
impl Clone for SigningKeyCache {
    fn clone(&self) -> Self {
        Self(Mutex::new(self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()))
    }
}

impl SigningKeyCache {
    fn key(&self, credentials: &Credentials, date: &str, region: &str, service: &str) -> HmacKey {
        let day: [u8; 8] = date.as_bytes().try_into().expect("a date is eight digits");
        let secret = credentials.secret_access_key();
        let mut cached = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        match &*cached {
            Some(c) if c.day == day && c.secret == secret && c.region == region && c.service == service => {
                c.key.clone()
            }
            _ => {
                let key = signing_key(secret, date, region, service);
                *cached = Some(CachedKey {
                    day,
                    secret: secret.to_string(),
                    region: region.to_string(),
                    service: service.to_string(),
                    key: key.clone(),
                });
                key
            }
        }
    }
}

/// A request could not be signed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SigningError {
    /// A credential part cannot be sent in a header.
    InvalidValue(&'static str),
    /// The endpoint's host cannot be a `Host` header.
    InvalidHost(String),
    /// A header to sign holds bytes that are not UTF-8.
    HeaderNotUtf8(String),
    /// The clock is outside what a signature can say.
    Time(String),
    /// A presigned URL's lifetime is not between one second and seven days.
    Expiry(std::time::Duration),
    /// The request has no valid URL to presign.
    Url(String, String),
}

impl std::fmt::Display for SigningError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::InvalidValue(e) => write!(f, "{e} is not a valid header value"),
            Self::InvalidHost(e) => write!(f, "`{e}` is not a valid Host header"),
            Self::HeaderNotUtf8(e) => write!(f, "header `{e}` is not UTF-8"),
            Self::Time(e) => write!(f, "cannot sign for {e}: the date must be between 1970 and 9999"),
            Self::Expiry(e) => write!(f, "a presigned URL must expire within 1 second to 7 days, not {e:?}"),
            Self::Url(url, why) => write!(f, "cannot presign `{url}`: {why}"),
        }
    }
}

impl std::error::Error for SigningError {}

/// The payload hash of a body signed without being hashed: a streaming body, or any S3
/// presigned request.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// The hex SHA-256 of a request body, as the canonical request carries it. A client works it out
/// once per call: every attempt sends the same body.
pub fn payload_hash(body: &[u8]) -> String {
    hex(&sha256(body))
}

/// Signs `request` in place for `time`: sets `Host`, `X-Amz-Date`, `X-Amz-Security-Token` (for
/// temporary credentials) and `Authorization`. `payload_hash` is [`payload_hash`] of its body.
pub fn sign(
    request: &mut Request,
    payload_hash: &str,
    credentials: &Credentials,
    region: &str,
    service: &str,
    time: SystemTime,
    cache: &SigningKeyCache,
) -> Result<(), SigningError> {
    sign_with(request, payload_hash, credentials, region, service, time, cache, PathEncoding::Double)
}

/// What differs between services in signing: S3 (and S3 Control, which signs as `s3`) signs
/// the path as sent and sends the payload hash in `x-amz-content-sha256`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SigningRules {
    /// How the canonical URI is formed.
    pub path: PathEncoding,
    /// Whether the payload hash is sent (and signed) as `x-amz-content-sha256`.
    pub content_sha256_header: bool,
}

impl SigningRules {
    /// Every service but S3.
    pub const STANDARD: SigningRules = SigningRules { path: PathEncoding::Double, content_sha256_header: false };
    /// S3 and S3 Control.
    pub const S3: SigningRules = SigningRules { path: PathEncoding::AsIs, content_sha256_header: true };

    /// The rules of the service that signs as `signing_name`.
    pub fn for_signing_name(signing_name: &str) -> SigningRules {
        if signing_name == "s3" {
            SigningRules::S3
        } else {
            SigningRules::STANDARD
        }
    }
}

/// How the request path becomes the canonical URI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathEncoding {
    /// Every service but S3: dot segments and empty segments removed, then each segment
    /// percent-encoded again (the wire path is already encoded once).
    Double,
    /// S3: the wire path exactly as sent.
    AsIs,
}

/// [`sign`], with the canonical URI formed as `encoding` says.
#[allow(clippy::too_many_arguments)]
pub fn sign_with(
    request: &mut Request,
    payload_hash: &str,
    credentials: &Credentials,
    region: &str,
    service: &str,
    time: SystemTime,
    cache: &SigningKeyCache,
    encoding: PathEncoding,
) -> Result<(), SigningError> {
    let (date, date_time) = timestamps(time)?;
    let headers = request.headers_mut();
    // Values from earlier signing would otherwise be signed themselves.
    headers.remove(AUTHORIZATION);
    headers.remove(X_AMZ_SECURITY_TOKEN);
    headers.insert(X_AMZ_DATE, HeaderValue::from_str(&date_time).expect("digits and letters"));
    if let Some(token) = credentials.session_token() {
        let token = HeaderValue::from_str(token).map_err(|_| SigningError::InvalidValue("the session token"))?;
        request.headers_mut().insert(X_AMZ_SECURITY_TOKEN, token);
    }
    if let Some(host) = host_header(request.uri()) {
        let host = HeaderValue::from_str(&host).map_err(|_| SigningError::InvalidHost(host.clone()))?;
        request.headers_mut().insert(HOST, host);
    }

    let (canonical, signed_headers) = canonical_request_with(request, payload_hash, encoding)?;
    let scope = [date.as_str(), region, service, "aws4_request"].join("/");
    let key = cache.key(credentials, &date, region, service);
    let signature = string_to_sign_signature(&key, &date_time, &scope, &canonical);
    let mut authorization = String::with_capacity(160 + signed_headers.len());
    for part in [
        ALGORITHM,
        " Credential=",
        credentials.access_key_id(),
        "/",
        &scope,
        ", SignedHeaders=",
        &signed_headers,
        ", Signature=",
        &signature,
    ] {
        authorization.push_str(part);
    }
    let authorization =
        HeaderValue::from_str(&authorization).map_err(|_| SigningError::InvalidValue("the access key id"))?;
    request.headers_mut().insert(AUTHORIZATION, authorization);
    Ok(())
}

/// The canonical request of `request` (already carrying the headers signing adds) and its
/// signed header names, `;`-separated.
pub fn canonical_request(request: &Request, payload_hash: &str) -> Result<(String, String), SigningError> {
    canonical_request_with(request, payload_hash, PathEncoding::Double)
}

/// [`canonical_request`], with the canonical URI formed as `encoding` says.
pub fn canonical_request_with(
    request: &Request,
    payload_hash: &str,
    encoding: PathEncoding,
) -> Result<(String, String), SigningError> {
    let mut out = String::with_capacity(256 + request.headers().len() * 48);
    out.push_str(request.method().as_str());
    out.push('\n');
    match encoding {
        PathEncoding::Double => canonical_path(request.uri().path(), &mut out),
        PathEncoding::AsIs => out.push_str(request.uri().path()),
    }
    out.push('\n');
    canonical_query(request.uri().query().unwrap_or(""), &mut out);
    out.push('\n');

    let mut headers: Vec<(&str, &[u8])> = request
        .headers()
        .iter()
        .filter(|(name, _)| !UNSIGNED.contains(&name.as_str()))
        .map(|(name, value)| (name.as_str(), value.as_bytes()))
        .collect();
    // Stable: values of a repeated header keep their order.
    headers.sort_by(|a, b| a.0.cmp(b.0));
    let mut signed = String::with_capacity(headers.len() * 16);
    for (i, (name, value)) in headers.iter().enumerate() {
        let value = std::str::from_utf8(value).map_err(|_| SigningError::HeaderNotUtf8(name.to_string()))?;
        let value = value.trim_matches(' ');
        if i > 0 && headers[i - 1].0 == *name {
            out.push(',');
        } else {
            if i > 0 {
                out.push('\n');
                signed.push(';');
            }
            out.push_str(name);
            out.push(':');
            signed.push_str(name);
        }
        push_collapsed(value, &mut out);
    }
    if !headers.is_empty() {
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&signed);
    out.push('\n');
    out.push_str(payload_hash);
    Ok((out, signed))
}

/// The path with `.` and `..` segments resolved and empty segments dropped, then percent-encoded
/// (a second time: the path on the wire is already encoded once).
fn canonical_path(path: &str, out: &mut String) {
    let simple = !path.is_empty()
        && path.starts_with('/')
        && !path.contains("//")
        && !path.split('/').any(|s| s == "." || s == "..");
    if simple {
        out.extend(utf8_percent_encode(path, PATH));
        return;
    }
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    let trailing = path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..");
    out.push('/');
    for (i, segment) in segments.iter().enumerate() {
        if i > 0 {
            out.push('/');
        }
        out.extend(utf8_percent_encode(segment, PATH));
    }
    if trailing && !segments.is_empty() {
        out.push('/');
    }
}

/// The longest a presigned URL may live, as SigV4 allows: seven days.
pub const MAX_PRESIGNED_EXPIRY: std::time::Duration = std::time::Duration::from_secs(7 * 24 * 3600);

/// `request`'s URL signed in its query (SigV4 query authentication), valid for `expires` from
/// `time`: anyone holding it can send the request, unchanged, without credentials. Only `host`
/// is signed; for S3 the payload is `UNSIGNED-PAYLOAD`, so a presigned `PUT` takes any body.
#[allow(clippy::too_many_arguments)]
pub fn presign(
    request: &Request,
    credentials: &Credentials,
    region: &str,
    service: &str,
    time: SystemTime,
    expires: std::time::Duration,
    rules: SigningRules,
) -> Result<http::Uri, SigningError> {
    if expires.as_secs() == 0 || expires > MAX_PRESIGNED_EXPIRY {
        return Err(SigningError::Expiry(expires));
    }
    let (date, date_time) = timestamps(time)?;
    let scope = [date.as_str(), region, service, "aws4_request"].join("/");
    let uri = request.uri();
    let host = host_header(uri).ok_or_else(|| SigningError::Url(uri.to_string(), "it has no host".into()))?;
    let mut query = uri.query().unwrap_or("").to_string();
    let credential = format!("{}/{scope}", credentials.access_key_id());
    let mut add = |k: &str, v: &str| {
        if !query.is_empty() {
            query.push('&');
        }
        query.push_str(k);
        query.push('=');
        query.extend(utf8_percent_encode(v, STRICT));
    };
    add("X-Amz-Algorithm", ALGORITHM);
    add("X-Amz-Credential", &credential);
    add("X-Amz-Date", &date_time);
    add("X-Amz-Expires", &expires.as_secs().to_string());
    add("X-Amz-SignedHeaders", "host");
    if let Some(token) = credentials.session_token() {
        add("X-Amz-Security-Token", token);
    }
    let with_query = |q: &str| -> Result<http::Uri, SigningError> {
        let mut parts = uri.clone().into_parts();
        let pq = format!("{}?{q}", uri.path());
        parts.path_and_query = Some(pq.parse().map_err(|e| SigningError::Url(pq.clone(), format!("{e}")))?);
        http::Uri::from_parts(parts).map_err(|e| SigningError::Url(uri.to_string(), e.to_string()))
    };
    let mut to_sign = http::Request::new(Vec::new());
    *to_sign.method_mut() = request.method().clone();
    *to_sign.uri_mut() = with_query(&query)?;
    to_sign
        .headers_mut()
        .insert(HOST, HeaderValue::from_str(&host).map_err(|_| SigningError::InvalidHost(host.clone()))?);
    let payload = if rules.content_sha256_header { UNSIGNED_PAYLOAD.to_string() } else { payload_hash(request.body()) };
    let (canonical, _) = canonical_request_with(&to_sign, &payload, rules.path)?;
    let key = signing_key(credentials.secret_access_key(), &date, region, service);
    let signature = string_to_sign_signature(&key, &date_time, &scope, &canonical);
    query.push_str("&X-Amz-Signature=");
    query.push_str(&signature);
    with_query(&query)
}

/// The query's parameters decoded, encoded strictly, sorted by name then value, `&`-joined.
fn canonical_query(query: &str, out: &mut String) {
    if query.is_empty() {
        return;
    }
    let decode = |s: &str| -> String {
        let s = s.replace('+', " ");
        percent_decode_str(&s).decode_utf8_lossy().into_owned()
    };
    let mut params: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (utf8_percent_encode(&decode(k), STRICT).to_string(), utf8_percent_encode(&decode(v), STRICT).to_string())
        })
        .collect();
    params.sort();
    for (i, (k, v)) in params.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        out.push_str(v);
    }
}

/// `value` with runs of spaces collapsed to one.
fn push_collapsed(value: &str, out: &mut String) {
    let mut last_space = false;
    for c in value.chars() {
        if c == ' ' && last_space {
            continue;
        }
        last_space = c == ' ';
        out.push(c);
    }
}

/// The `Host` header for `uri`: the authority, without the port when it is the scheme's default.
fn host_header(uri: &http::Uri) -> Option<String> {
    let authority = uri.authority()?;
    Some(match (uri.scheme_str(), authority.port_u16()) {
        (Some("https"), Some(443)) | (Some("http"), Some(80)) => authority.host().to_string(),
        _ => authority.as_str().to_string(),
    })
}

/// `YYYYMMDD` and `YYYYMMDDTHHMMSSZ` of `time`, in UTC.
fn timestamps(time: SystemTime) -> Result<(String, String), SigningError> {
    let t = crate::DateTime::from(time);
    let (year, month, day, hour, minute, second) = t.fields();
    if time < SystemTime::UNIX_EPOCH || year > 9999 {
        return Err(SigningError::Time(t.to_string()));
    }
    let mut date_time = String::with_capacity(16);
    for (n, width) in [(year as u32, 4), (month, 2), (day, 2)] {
        crate::time::push_padded(&mut date_time, n, width);
    }
    let date = date_time.clone();
    date_time.push('T');
    for n in [hour, minute, second] {
        crate::time::push_padded(&mut date_time, n, 2);
    }
    date_time.push('Z');
    Ok((date, date_time))
}

/// Appends the last `width` decimal digits of `n`, zero-padded (this runs on every signature,
/// where `format!` is a measurable share).
/// The day's signing key: the secret chained through the date, region, service and terminator.
fn signing_key(secret: &str, date: &str, region: &str, service: &str) -> HmacKey {
    let mut key = HmacKey::new(format!("AWS4{secret}").as_bytes()).sign(&[date.as_bytes()]);
    for part in [region, service, "aws4_request"] {
        key = HmacKey::new(&key).sign(&[part.as_bytes()]);
    }
    HmacKey::new(&key)
}

/// The signature: the string to sign (algorithm, time, scope and the hash of the canonical
/// request, one per line) fed straight into the HMAC.
fn string_to_sign_signature(key: &HmacKey, date_time: &str, scope: &str, canonical: &str) -> String {
    let hashed = hex(&sha256(canonical.as_bytes()));
    let parts = [ALGORITHM, "\n", date_time, "\n", scope, "\n", &hashed].map(str::as_bytes);
    hex(&key.sign(&parts))
}

/// Lower-case hexadecimal.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 0xf)] as char);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(p: &str) -> String {
        let mut s = String::new();
        canonical_path(p, &mut s);
        s
    }

    fn query(q: &str) -> String {
        let mut s = String::new();
        canonical_query(q, &mut s);
        s
    }

    #[test]
    fn paths_are_normalised_then_encoded_again() {
        assert_eq!(path(""), "/");
        assert_eq!(path("/"), "/");
        assert_eq!(path("/v1/connectors/a%20b"), "/v1/connectors/a%2520b");
        assert_eq!(path("/a//b/./c/../d/"), "/a/b/d/");
        assert_eq!(path("/a/.."), "/");
        assert_eq!(path("/a/b/.."), "/a/");
        assert_eq!(path("/~user/x-y_z.txt"), "/~user/x-y_z.txt");
    }

    #[test]
    fn query_parameters_are_reencoded_and_sorted() {
        assert_eq!(query(""), "");
        assert_eq!(query("b=2&a=1&a=0"), "a=0&a=1&b=2");
        assert_eq!(query("flag&x=a%20b&y=c+d&z=%7E%2F"), "flag=&x=a%20b&y=c%20d&z=~%2F");
    }

    #[test]
    fn header_values_are_trimmed_and_collapsed() {
        let mut s = String::new();
        push_collapsed("a  b   c d", &mut s);
        assert_eq!(s, "a b c d");
    }

    #[test]
    fn timestamps_are_utc() {
        let t = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_440_938_160);
        assert_eq!(timestamps(t).unwrap(), ("20150830".into(), "20150830T123600Z".into()));
        let before = SystemTime::UNIX_EPOCH - std::time::Duration::from_secs(1);
        assert!(timestamps(before).unwrap_err().to_string().contains("between 1970 and 9999"));
    }

    /// A cached key signs as a fresh one; a new day, refreshed credentials, another region or
    /// another service replace it.
    #[test]
    fn the_key_cache_follows_the_date_secret_region_and_service() {
        let first = Credentials::new("AKID", "secret", Some("token".into()));
        let refreshed = Credentials::new("AKID2", "another secret", Some("token".into()));
        let request = || {
            let uri = "https://appflow.us-east-1.amazonaws.com/describe-connector";
            http::Request::builder().method("POST").uri(uri).body(b"{}".to_vec()).unwrap()
        };
        let cache = SigningKeyCache::default();
        let day = |d: u64| SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000 + d * 86_400);
        let steps = [
            (day(0), &first, "us-east-1", "appflow"),
            (day(0), &first, "us-east-1", "appflow"),
            (day(1), &first, "us-east-1", "appflow"),
            (day(1), &refreshed, "us-east-1", "appflow"),
            (day(1), &refreshed, "eu-west-1", "appflow"),
            (day(1), &refreshed, "eu-west-1", "s3-object-lambda"),
            (day(0), &first, "us-east-1", "appflow"),
        ];
        for (t, credentials, region, service) in steps {
            let (mut cached, mut fresh) = (request(), request());
            sign(&mut cached, &payload_hash(b"{}"), credentials, region, service, t, &cache).unwrap();
            let uncached = SigningKeyCache::default();
            sign(&mut fresh, &payload_hash(b"{}"), credentials, region, service, t, &uncached).unwrap();
            assert_eq!(cached.headers()["authorization"], fresh.headers()["authorization"], "{region} {service}");
            assert_eq!(cached.headers()["x-amz-security-token"], "token");
        }
    }

    /// The example of the published SigV4 documentation (IAM ListUsers, 2015-08-30): its
    /// signing key and signature are the published ones.
    #[test]
    fn the_documented_example_signs_as_documented() {
        let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
        let credentials = Credentials::new("AKIDEXAMPLE", secret, None);
        let mut request = http::Request::builder()
            .method("GET")
            .uri("https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08")
            .header("content-type", "application/x-www-form-urlencoded; charset=utf-8")
            .body(Vec::new())
            .unwrap();
        let time = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_440_938_160);
        sign(&mut request, &payload_hash(b""), &credentials, "us-east-1", "iam", time, &SigningKeyCache::default())
            .unwrap();
        assert_eq!(
            request.headers()["authorization"],
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, \
             SignedHeaders=content-type;host;x-amz-date, \
             Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
        );
    }
}
