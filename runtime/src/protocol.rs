//! HTTP binding helpers for generated request serializers and response parsers: percent
//! encoding for labels and query strings, header value formatting and parsing, and the error
//! code of an error response.

use std::fmt::Write as _;

use base64::Engine as _;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::error::{ResponseError, UnhandledError};
use crate::json::{format_date_time, format_http_date, parse_date_time, parse_epoch_seconds, parse_http_date};
use crate::DateTime;

/// An HTTP request as generated serializers build it: the URI holds only path and query; the
/// client adds scheme and host.
pub type Request = http::Request<Vec<u8>>;
/// An HTTP response as generated parsers read it. The body is `Bytes`, so that transports hand
/// it over without copying.
pub type Response = http::Response<bytes::Bytes>;

/// Everything but the RFC 3986 unreserved characters is encoded.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');
/// Greedy labels keep their slashes.
const UNRESERVED_AND_SLASH: &AsciiSet = &UNRESERVED.remove(b'/');

/// A request could not be built from the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SerializeError(pub String);

impl std::fmt::Display for SerializeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot serialize the request: {}", self.0)
    }
}

impl std::error::Error for SerializeError {}

/// Builds a request: path, query, headers and body, in the order generated code adds them.
#[derive(Debug)]
pub struct RequestBuilder {
    method: &'static str,
    path: String,
    query: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl RequestBuilder {
    /// A request with `method` and no path yet.
    pub fn new(method: &'static str) -> Self {
        Self { method, path: String::new(), query: String::new(), headers: Vec::new(), body: Vec::new() }
    }

    /// Appends literal path text from the URI pattern.
    pub fn push_path(&mut self, literal: &str) {
        self.path.push_str(literal);
    }

    /// Appends a label value, percent-encoded; greedy labels keep `/`. Empty labels are an error.
    pub fn push_label(&mut self, name: &str, value: &str, greedy: bool) -> Result<(), SerializeError> {
        if value.is_empty() {
            return Err(SerializeError(format!("the label `{name}` is empty")));
        }
        let set = if greedy { UNRESERVED_AND_SLASH } else { UNRESERVED };
        write!(self.path, "{}", utf8_percent_encode(value, set)).expect("writing to a String");
        Ok(())
    }

    /// Adds a query parameter; `value` of `None` writes the bare key (`?flag`).
    pub fn push_query(&mut self, key: &str, value: Option<&str>) {
        self.query.push(if self.query.is_empty() { '?' } else { '&' });
        write!(self.query, "{}", utf8_percent_encode(key, UNRESERVED)).expect("writing to a String");
        if let Some(v) = value {
            write!(self.query, "={}", utf8_percent_encode(v, UNRESERVED)).expect("writing to a String");
        }
    }

    /// Adds a query parameter given literally in the URI pattern (already encoded).
    pub fn push_query_literal(&mut self, literal: &str) {
        self.query.push(if self.query.is_empty() { '?' } else { '&' });
        self.query.push_str(literal);
    }

    /// Adds a header.
    pub fn header(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.headers.push((name.into(), value.into()));
    }

    /// True when a header of that name (any case) was added.
    pub fn has_header(&self, name: &str) -> bool {
        self.headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name))
    }

    /// Sets the body and its content type (unless a header already set one).
    pub fn body(&mut self, content_type: &str, body: Vec<u8>) {
        if !self.has_header("content-type") {
            self.header("Content-Type", content_type);
        }
        self.body = body;
    }

    /// Adds `Content-MD5` (base64 of the body's MD5), for operations with `@httpChecksumRequired`.
    pub fn content_md5(&mut self) {
        use md5::Digest as _;
        let digest = md5::Md5::digest(&self.body);
        self.header("Content-MD5", base64(digest));
    }

    /// Compresses the body with gzip when it is at least `min_bytes` long (`@requestCompression`),
    /// appending `gzip` to any `Content-Encoding` the input set.
    pub fn gzip(&mut self, min_bytes: usize) -> Result<(), SerializeError> {
        use std::io::Write as _;
        if self.body.len() < min_bytes {
            return Ok(());
        }
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(&self.body).map_err(|e| SerializeError(format!("gzip: {e}")))?;
        self.body = enc.finish().map_err(|e| SerializeError(format!("gzip: {e}")))?;
        match self.headers.iter_mut().find(|(n, _)| n.eq_ignore_ascii_case("content-encoding")) {
            Some((_, v)) => v.push_str(", gzip"),
            None => self.header("Content-Encoding", "gzip"),
        }
        Ok(())
    }

    /// The finished request, with `Content-Length` when it has a body.
    pub fn build(self) -> Result<Request, SerializeError> {
        let needs_length = !self.body.is_empty() && !self.has_header("content-length");
        let mut uri = if self.path.is_empty() { String::from("/") } else { self.path };
        uri.push_str(&self.query);
        // Set part by part rather than through `http::request::Builder`, which carries a
        // `Result` through every step.
        let mut request = http::Request::new(self.body);
        *request.method_mut() = http::Method::from_bytes(self.method.as_bytes())
            .map_err(|_| SerializeError(format!("`{}` is not an HTTP method", self.method)))?;
        *request.uri_mut() =
            http::Uri::try_from(uri).map_err(|e| SerializeError(format!("the request URI is not valid: {e}")))?;
        let headers = request.headers_mut();
        headers.reserve(self.headers.len() + 1);
        for (n, v) in self.headers {
            let name = http::HeaderName::from_bytes(n.as_bytes())
                .map_err(|_| SerializeError(format!("`{n}` cannot be an HTTP header name")))?;
            let value = http::HeaderValue::from_str(&v)
                .map_err(|_| SerializeError(format!("the value of header `{n}` cannot be sent in HTTP: {v:?}")))?;
            headers.append(name, value);
        }
        if needs_length {
            let len = request.body().len();
            request.headers_mut().insert(http::header::CONTENT_LENGTH, http::HeaderValue::from(len));
        }
        Ok(request)
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
    parts.path_and_query = Some(joined.parse().map_err(|e| SerializeError(format!("bad URI {joined}: {e}")))?);
    *request.uri_mut() =
        http::Uri::from_parts(parts).map_err(|e| SerializeError(format!("bad endpoint {endpoint}: {e}")))?;
    Ok(())
}

/// Puts `prefix` in front of the request's host (`@endpoint(hostPrefix)`).
pub fn apply_host_prefix(request: &mut Request, prefix: &str) -> Result<(), SerializeError> {
    let uri = request.uri().clone();
    let authority = uri.authority().ok_or_else(|| SerializeError("the request has no host to prefix".into()))?;
    let prefixed = format!("{prefix}{authority}");
    let mut parts = uri.into_parts();
    parts.authority = Some(prefixed.parse().map_err(|e| SerializeError(format!("invalid host `{prefixed}`: {e}")))?);
    *request.uri_mut() = http::Uri::from_parts(parts).map_err(|e| SerializeError(e.to_string()))?;
    Ok(())
}

/// Checks a `@hostLabel` value: not empty, and only letters, digits, `-` and `.`.
pub fn host_label<'a>(name: &str, value: &'a str) -> Result<&'a str, SerializeError> {
    let valid = !value.is_empty() && value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
    if valid {
        Ok(value)
    } else {
        Err(SerializeError(format!("the host label `{name}` must be letters, digits, '-' and '.', not {value:?}")))
    }
}

/// A fresh idempotency token: a random UUID v4.
pub fn idempotency_token() -> String {
    uuid::Uuid::new_v4().to_string()
}

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

/// Formats epoch seconds: whole seconds as an integer, else with the fraction.
pub fn fmt_epoch_seconds(t: &DateTime) -> String {
    let nanos = t.timestamp_subsec_nanos();
    if nanos == 0 {
        t.timestamp().to_string()
    } else {
        let mut s = format!("{}.{:09}", t.timestamp(), nanos);
        while s.ends_with('0') {
            s.pop();
        }
        s
    }
}

/// Timestamp formats for headers, labels and query strings.
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

/// Base64 of bytes, for blobs and `@mediaType` strings in headers.
pub fn base64(bytes: impl AsRef<[u8]>) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Quotes a list item for a header when it contains a comma or a double quote.
pub fn quote_header_item(s: &str) -> String {
    if s.contains([',', '"']) {
        format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        s.to_string()
    }
}

/// A header value that could not be read as the model says.
fn bad_header(status: u16, name: &str, what: &str, value: &str) -> ResponseError {
    ResponseError { status, message: format!("header `{name}`: expected {what}, found {value:?}") }
}

/// Reads header values for generated parsers; every error names the header.
#[derive(Debug, Clone, Copy)]
pub struct Headers<'a> {
    map: &'a http::HeaderMap,
    status: u16,
}

impl<'a> Headers<'a> {
    /// The headers of `response`.
    pub fn of(response: &'a Response) -> Self {
        Self { map: response.headers(), status: response.status().as_u16() }
    }

    /// Every value of the header, joined with `, ` as HTTP allows; `None` when absent.
    pub fn get(&self, name: &str) -> Result<Option<String>, ResponseError> {
        let mut all = self.map.get_all(name).iter().peekable();
        if all.peek().is_none() {
            return Ok(None);
        }
        let mut out = String::new();
        for (i, v) in all.enumerate() {
            let s = v
                .to_str()
                .map_err(|_| bad_header(self.status, name, "ASCII text", &String::from_utf8_lossy(v.as_bytes())))?;
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str(s);
        }
        Ok(Some(out))
    }

    /// Headers whose names start with `prefix` (any case), with the prefix removed.
    pub fn with_prefix(&self, prefix: &str) -> Result<Vec<(String, String)>, ResponseError> {
        let lower = prefix.to_ascii_lowercase();
        let mut out = Vec::new();
        for name in self.map.keys() {
            if let Some(rest) = name.as_str().strip_prefix(&lower) {
                if let Some(v) = self.get(name.as_str())? {
                    out.push((rest.to_string(), v));
                }
            }
        }
        Ok(out)
    }

    /// Parses a scalar header value.
    pub fn parse<T>(
        &self,
        name: &str,
        value: &str,
        what: &str,
        f: impl Fn(&str) -> Option<T>,
    ) -> Result<T, ResponseError> {
        f(value.trim()).ok_or_else(|| bad_header(self.status, name, what, value))
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> u16 {
        self.status
    }
}

/// Reads a boolean header value.
pub fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// Reads a float header value, including `NaN`, `Infinity` and `-Infinity`.
pub fn parse_float(s: &str) -> Option<f64> {
    match s {
        "NaN" => Some(f64::NAN),
        "Infinity" => Some(f64::INFINITY),
        "-Infinity" => Some(f64::NEG_INFINITY),
        _ => s.parse().ok(),
    }
}

/// Reads a timestamp in the given format.
pub fn parse_timestamp(s: &str, format: TimestampFormat) -> Option<DateTime> {
    match format {
        TimestampFormat::EpochSeconds => parse_epoch_seconds(s),
        TimestampFormat::DateTime => parse_date_time(s),
        TimestampFormat::HttpDate => parse_http_date(s),
    }
}

/// Reads base64.
pub fn parse_base64(s: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::STANDARD.decode(s).ok()
}

/// Splits a list header value at commas outside double quotes, unquoting items.
pub fn split_header_list(s: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut was_quoted = false;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted => quoted = false,
            '"' if cur.trim().is_empty() => {
                quoted = true;
                was_quoted = true;
                cur.clear();
            }
            '\\' if quoted => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            ',' if !quoted => {
                items.push(if was_quoted { std::mem::take(&mut cur) } else { cur.trim().to_string() });
                cur.clear();
                was_quoted = false;
            }
            _ => cur.push(c),
        }
    }
    items.push(if was_quoted { cur } else { cur.trim().to_string() });
    items
}

/// Splits a list of HTTP dates, which contain commas themselves: every second comma ends an item.
pub fn split_http_date_list(s: &str) -> Vec<String> {
    let parts: Vec<&str> = s.split(',').collect();
    parts.chunks(2).map(|c| c.join(",").trim().to_string()).collect()
}

/// The error code and message of an error response: the code from `X-Amzn-ErrorType`, else the
/// body's `code` or `__type`, with any namespace (`ns#`) and `:uri` suffix removed.
pub fn error_info(response: &Response) -> (Option<String>, Option<String>) {
    #[derive(serde::Deserialize)]
    struct Body {
        code: Option<String>,
        #[serde(rename = "__type")]
        ty: Option<String>,
        message: Option<String>,
        #[serde(rename = "Message")]
        message_upper: Option<String>,
        #[serde(rename = "errorMessage")]
        error_message: Option<String>,
    }
    let body: Option<Body> = serde_json::from_slice(response.body()).ok();
    let header = response.headers().get("x-amzn-errortype").and_then(|v| v.to_str().ok()).map(str::to_string);
    let (code, message) = match body {
        Some(b) => (header.or(b.code).or(b.ty), b.message.or(b.message_upper).or(b.error_message)),
        None => (header, None),
    };
    (code.map(|c| sanitize_error_code(&c).to_string()).filter(|c| !c.is_empty()), message)
}

/// `aws.protocoltests#FooError:http://internal.amazon.com/` becomes `FooError`.
pub fn sanitize_error_code(code: &str) -> &str {
    let code = code.split(':').next().unwrap_or(code);
    let code = code.rsplit('#').next().unwrap_or(code);
    code.trim()
}

/// The error for a response the model does not describe for the operation.
pub fn unhandled(response: &Response, code: Option<String>, message: Option<String>) -> UnhandledError {
    UnhandledError { status: response.status().as_u16(), code, message, body: response.body().to_vec() }
}

/// Parses a JSON body into `T`; an empty body reads as `{}`. Errors say where (line, column and
/// member path).
pub fn parse_json_body<T: serde::de::DeserializeOwned>(status: u16, body: &[u8]) -> Result<T, ResponseError> {
    let body = if body.iter().all(u8::is_ascii_whitespace) { b"{}".as_slice() } else { body };
    // UTF-8 is checked once for the whole body, rather than string by string as serde_json does
    // for bytes: a sixth of the parsing time.
    let text = std::str::from_utf8(body)
        .map_err(|e| ResponseError { status, message: format!("invalid JSON body: it is not UTF-8 ({e})") })?;
    serde_json::from_str(text).map_err(|e| {
        let path = json_path_at(text, byte_offset(text, e.line(), e.column()));
        let at = if path.is_empty() { String::new() } else { format!(" at `{path}`") };
        ResponseError { status, message: format!("invalid JSON body{at}: {e}") }
    })
}

/// The byte offset of serde_json's one-based `line` and byte `column`.
fn byte_offset(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    (start + column).min(text.len())
}

/// The member path (`a.b[2].c`) of the value being read at byte `offset` of a JSON text, found by
/// scanning the text up to there. Errors name it without deserializing a second time through a
/// path-tracking wrapper, which would compile every response type's parser twice.
fn json_path_at(text: &str, offset: usize) -> String {
    enum Frame {
        Object(Option<String>),
        Array(usize),
    }
    let bytes = &text.as_bytes()[..offset.min(text.len())];
    let mut stack: Vec<Frame> = Vec::new();
    let mut expecting_key = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' => {
                stack.push(Frame::Object(None));
                expecting_key = true;
            }
            b'[' => {
                stack.push(Frame::Array(0));
                expecting_key = false;
            }
            b'}' | b']' => {
                stack.pop();
                expecting_key = false;
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array(n)) => *n += 1,
                Some(Frame::Object(_)) => expecting_key = true,
                None => {}
            },
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                if expecting_key {
                    if let Some(Frame::Object(key)) = stack.last_mut() {
                        *key = Some(text[start..i.min(bytes.len())].to_string());
                    }
                    expecting_key = false;
                }
            }
            _ => {}
        }
        i += 1;
    }
    let mut path = String::new();
    for frame in &stack {
        match frame {
            Frame::Object(Some(key)) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Object(None) => {}
            Frame::Array(n) => path.push_str(&format!("[{n}]")),
        }
    }
    path
}

/// Serializes a JSON body.
pub fn to_json<T: serde::Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, SerializeError> {
    serde_json::to_vec(value).map_err(|e| SerializeError(e.to_string()))
}

/// Formats an `f32` outside JSON (shortest form that reads back as the same `f32`).
pub fn fmt_float32(v: f32) -> String {
    if v.is_finite() && !(v.fract() == 0.0 && v.abs() < 1e7) {
        v.to_string()
    } else {
        fmt_float(f64::from(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_built_with_length_and_checked_headers() {
        let mut b = RequestBuilder::new("PUT");
        b.push_path("/things/");
        b.push_label("id", "a b", false).unwrap();
        b.push_query("k", Some("v w"));
        b.header("X-Amz-Meta", "one");
        b.body("application/json", b"{}".to_vec());
        let r = b.build().unwrap();
        assert_eq!(r.method(), "PUT");
        assert_eq!(r.uri(), "/things/a%20b?k=v%20w");
        let names: Vec<&str> = r.headers().keys().map(|k| k.as_str()).collect();
        assert_eq!(names, ["x-amz-meta", "content-type", "content-length"]);
        assert_eq!(r.headers()["content-length"], "2");

        let mut b = RequestBuilder::new("GET");
        b.header("X-Bad", "line\nbreak");
        let e = b.build().unwrap_err();
        assert_eq!(e.0, "the value of header `X-Bad` cannot be sent in HTTP: \"line\\nbreak\"");
        assert_eq!(RequestBuilder::new("GET").build().unwrap().uri(), "/");
    }

    #[test]
    fn json_errors_name_the_member_path() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Outer {
            items: Vec<Inner>,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Inner {
            name: String,
            tags: std::collections::HashMap<String, u8>,
        }
        let body = "{\"items\": [{\"name\": \"a\", \"tags\": {}},\n {\"name\": \"b\\\",\", \"tags\": {\"x\": 1, \"y\": \"2\"}}]}";
        let err = parse_json_body::<Outer>(200, body.as_bytes()).unwrap_err();
        assert!(
            err.message.starts_with("invalid JSON body at `items[1].tags.y`: invalid type: string"),
            "{}",
            err.message
        );
        let err = parse_json_body::<Outer>(200, b"{\"items\": [{\"name\": 5").unwrap_err();
        assert!(err.message.starts_with("invalid JSON body at `items[0].name`:"), "{}", err.message);
        let err = parse_json_body::<Outer>(200, b"[1]").unwrap_err();
        assert!(err.message.starts_with("invalid JSON body at `[0]`: invalid type: integer"), "{}", err.message);
        let err = parse_json_body::<Outer>(200, b"5").unwrap_err();
        assert!(err.message.starts_with("invalid JSON body: invalid type: integer `5`"), "{}", err.message);
        let err = parse_json_body::<Outer>(200, b"{\"items\": [], \"extra\": \xff}").unwrap_err();
        assert!(err.message.contains("not UTF-8"), "{}", err.message);
    }

    #[test]
    fn header_lists() {
        assert_eq!(split_header_list(r#"a, "b,c", "d\"e""#), vec!["a", "b,c", "d\"e"]);
        assert_eq!(split_http_date_list("Mon, 16 Dec 2019 23:48:18 GMT, Mon, 16 Dec 2019 23:48:18 GMT").len(), 2);
    }

    #[test]
    fn codes() {
        assert_eq!(sanitize_error_code("aws.protocoltests.restjson#FooError:http://internal.amazon.com/"), "FooError");
        assert_eq!(sanitize_error_code("FooError"), "FooError");
    }

    #[test]
    fn labels_and_query() {
        let mut b = RequestBuilder::new("GET");
        b.push_path("/a/");
        b.push_label("x", "b c/d", false).unwrap();
        b.push_query("k y", Some("v&w"));
        b.push_query("flag", None);
        let r = b.build().unwrap();
        assert_eq!(r.uri().to_string(), "/a/b%20c%2Fd?k%20y=v%26w&flag");
    }

    #[test]
    fn floats() {
        assert_eq!(fmt_float(1.0), "1");
        assert_eq!(fmt_float(1.5), "1.5");
        assert_eq!(fmt_float(f64::NAN), "NaN");
    }
}
