//! HTTP bindings, as restJson1 and restXml use them: the request builder (path labels, query
//! strings, headers), and reading bound headers back from responses.

use std::fmt::Write as _;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::ResponseError;
use super::SerializeError;
use crate::http::{Request, Response};

/// Everything but the RFC 3986 unreserved characters is encoded.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');
/// Greedy labels keep their slashes.
const UNRESERVED_AND_SLASH: &AsciiSet = &UNRESERVED.remove(b'/');

/// Marks a request whose URI pattern had no path at all (S3's bucket-only URIs once the bucket
/// is taken out): the endpoint's path is then the whole path, without a `/` added.
#[derive(Debug, Clone, Copy)]
pub struct EmptyPath;

/// Builds a request: path, query, headers and body, in the order generated code adds them.
#[derive(Debug)]
pub struct RequestBuilder {
    method: &'static str,
    path: String,
    query: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    /// The payload is a file or stream the client sends itself.
    streamed: bool,
    /// An error found while building, returned by [`Self::build`].
    failed: Option<SerializeError>,
}

impl RequestBuilder {
    /// A request with `method` and no path yet.
    pub fn new(method: &'static str) -> Self {
        Self {
            method,
            path: String::new(),
            query: String::new(),
            headers: Vec::new(),
            body: Vec::new(),
            streamed: false,
            failed: None,
        }
    }

    /// Appends literal path text from the URI pattern.
    pub fn push_path(&mut self, literal: &str) {
        self.path.push_str(literal);
    }

    /// Appends a label value, percent-encoded; greedy labels keep `/`. Empty labels are an error.
    pub fn push_label(&mut self, name: &str, value: &str, greedy: bool) -> Result<(), SerializeError> {
        if value.is_empty() {
            return Err(SerializeError::EmptyLabel(name.to_string()));
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

    /// Sets a streaming payload (`@streaming`) and its `Content-Type`: its bytes when it is in
    /// memory; a file or a stream is sent by the client as it reads it
    /// ([`crate::Operation::take_request_stream`]).
    pub fn byte_stream(&mut self, content_type: &str, body: &crate::body::ByteStream) {
        if !self.has_header("content-type") {
            self.header("Content-Type", content_type);
        }
        match body.bytes() {
            Some(bytes) => self.body = bytes.to_vec(),
            None => self.streamed = true,
        }
    }

    /// Refuses a streamed payload for `what`, which needs the whole body before sending.
    fn needs_body_in_memory(&mut self, what: &str) -> bool {
        if self.streamed && self.failed.is_none() {
            self.failed = Some(SerializeError::Body(format!(
                "{what} needs the whole body before sending: give the operation a ByteStream of bytes in \
                 memory (ByteStream::from, or collect the file or stream first)"
            )));
        }
        self.streamed
    }

    /// Glacier's checksums of the body: its SHA-256 (`x-amz-content-sha256`) and its tree hash
    /// (`x-amz-sha256-tree-hash`: SHA-256 of each MiB, combined pairwise up to one).
    pub fn glacier_checksums(&mut self) {
        if self.needs_body_in_memory("Glacier's tree hash") {
            return;
        }
        use crate::hash::sha256;
        let hex = crate::sigv4::hex;
        let mut level: Vec<[u8; 32]> = self.body.chunks(1024 * 1024).map(sha256).collect();
        if level.is_empty() {
            level.push(sha256(&[]));
        }
        while level.len() > 1 {
            level = level
                .chunks(2)
                .map(|pair| match pair {
                    [a, b] => {
                        let mut h = crate::hash::Sha256::new();
                        h.update(a);
                        h.update(b);
                        h.finish()
                    }
                    [a] => *a,
                    _ => unreachable!("chunks of two"),
                })
                .collect();
        }
        let content = hex(&sha256(&self.body));
        self.header("x-amz-content-sha256", content);
        self.header("x-amz-sha256-tree-hash", hex(&level[0]));
    }

    /// Adds `Content-MD5` (base64 of the body's MD5), for operations with `@httpChecksumRequired`.
    #[cfg(feature = "md5")]
    pub fn content_md5(&mut self) {
        if self.needs_body_in_memory("the Content-MD5 the operation requires") {
            return;
        }
        use md5::Digest as _;
        let digest = md5::Md5::digest(&self.body);
        self.header("Content-MD5", super::base64(digest));
    }

    /// Compresses the body with gzip when it is at least `min_bytes` long (`@requestCompression`),
    /// appending `gzip` to any `Content-Encoding` the input set.
    #[cfg(feature = "compression")]
    pub fn gzip(&mut self, min_bytes: usize) -> Result<(), SerializeError> {
        use std::io::Write as _;
        if self.body.len() < min_bytes {
            return Ok(());
        }
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(&self.body).map_err(|e| SerializeError::Body(format!("gzip: {e}")))?;
        self.body = enc.finish().map_err(|e| SerializeError::Body(format!("gzip: {e}")))?;
        match self.headers.iter_mut().find(|(n, _)| n.eq_ignore_ascii_case("content-encoding")) {
            Some((_, v)) => v.push_str(", gzip"),
            None => self.header("Content-Encoding", "gzip"),
        }
        Ok(())
    }

    /// The finished request, with `Content-Length` when it has a body.
    pub fn build(self) -> Result<Request, SerializeError> {
        if let Some(e) = self.failed {
            return Err(e);
        }
        let needs_length = !self.body.is_empty() && !self.has_header("content-length");
        let empty_path = self.path.is_empty();
        let mut uri = if empty_path { String::from("/") } else { self.path };
        uri.push_str(&self.query);
        // Set part by part rather than through `http::request::Builder`, which carries a
        // `Result` through every step.
        let mut request = http::Request::new(self.body);
        *request.method_mut() = http::Method::from_bytes(self.method.as_bytes())
            .map_err(|_| SerializeError::Uri(format!("`{}` is not an HTTP method", self.method)))?;
        *request.uri_mut() = http::Uri::try_from(uri).map_err(|e| SerializeError::Uri(e.to_string()))?;
        let headers = request.headers_mut();
        headers.reserve(self.headers.len() + 1);
        for (n, v) in self.headers {
            let name = http::HeaderName::from_bytes(n.as_bytes()).map_err(|_| SerializeError::HeaderName(n.clone()))?;
            let value = http::HeaderValue::from_str(&v)
                .map_err(|_| SerializeError::HeaderValue { name: n.clone(), value: v.clone() })?;
            headers.append(name, value);
        }
        if needs_length {
            let len = request.body().len();
            request.headers_mut().insert(http::header::CONTENT_LENGTH, http::HeaderValue::from(len));
        }
        if empty_path {
            request.extensions_mut().insert(EmptyPath);
        }
        Ok(request)
    }
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
        assert_eq!(e.to_string(), "the value of header `X-Bad` cannot be sent in HTTP: \"line\\nbreak\"");
        assert_eq!(RequestBuilder::new("GET").build().unwrap().uri(), "/");
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
    fn header_lists() {
        assert_eq!(split_header_list(r#"a, "b,c", "d\"e""#), vec!["a", "b,c", "d\"e"]);
        assert_eq!(split_http_date_list("Mon, 16 Dec 2019 23:48:18 GMT, Mon, 16 Dec 2019 23:48:18 GMT").len(), 2);
    }
}
