//! Typed model facts: every trait the generator understands, decoded once at the end of
//! resolve. Later stages read these fields and never look a trait up by its id; a trait value
//! of the wrong form is a located diagnostic here, not a silent `None` later.
//!
//! Traits the generator does not act on stay only in [`crate::model::Shape::raw`], which the
//! change report compares as written.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::diag::Sink;
use crate::protocols::Protocol;

/// The traits of a shape or member, by absolute trait id, as written in the model.
pub type RawTraits = BTreeMap<String, Value>;

/// `min` and `max` of `@length` or `@range`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Bounds<T> {
    pub min: Option<T>,
    pub max: Option<T>,
}

/// `@timestampFormat`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TimestampFormat {
    EpochSeconds,
    DateTime,
    HttpDate,
}

/// `@error`: who is at fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    Client,
    Server,
}

/// `@retryable`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Retryable {
    pub throttling: bool,
}

/// `@xmlNamespace`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct XmlNamespace {
    pub uri: String,
    pub prefix: Option<String>,
}

/// Traits that apply to any shape.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ShapeTraits {
    /// `@documentation`, as written (HTML).
    pub documentation: Option<String>,
    pub deprecated: bool,
    pub sensitive: bool,
    pub length: Option<Bounds<u64>>,
    pub range: Option<Bounds<f64>>,
    pub pattern: Option<String>,
    pub timestamp_format: Option<TimestampFormat>,
    pub media_type: Option<String>,
    pub sparse: bool,
    /// `@streaming`: on a blob, a streaming body; on a union, an event stream.
    pub streaming: bool,
    /// `@requiresLength`: a streaming blob whose length must be known before it is sent.
    pub requires_length: bool,
    pub error: Option<Fault>,
    pub http_error: Option<u16>,
    pub retryable: Option<Retryable>,
    /// `@input`: the structure is only ever an operation input.
    pub input: bool,
    pub output: bool,
    pub mixin: bool,
    pub xml_name: Option<String>,
    pub xml_namespace: Option<XmlNamespace>,
    /// `@awsQueryError`: the error code and HTTP status in query-compatible protocols.
    pub aws_query_error: Option<(String, u16)>,
}

/// Where an operation input or output member travels in an HTTP message: the body, unless an
/// HTTP binding trait says otherwise.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum HttpBinding {
    #[default]
    Body,
    Label,
    Query(String),
    QueryParams,
    Header(String),
    PrefixHeaders(String),
    Payload,
    ResponseCode,
}

/// Traits of a member. Constraint traits here override those of the target.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MemberTraits {
    pub documentation: Option<String>,
    pub deprecated: bool,
    pub required: bool,
    /// `@default`, as written; `Some(Value::Null)` is an explicit "no default".
    pub default: Option<Value>,
    pub client_optional: bool,
    pub json_name: Option<String>,
    pub xml_name: Option<String>,
    pub xml_attribute: bool,
    pub xml_flattened: bool,
    pub xml_namespace: Option<XmlNamespace>,
    pub ec2_query_name: Option<String>,
    pub timestamp_format: Option<TimestampFormat>,
    pub length: Option<Bounds<u64>>,
    pub range: Option<Bounds<f64>>,
    pub pattern: Option<String>,
    pub http: HttpBinding,
    pub host_label: bool,
    pub idempotency_token: bool,
    /// `@enumValue` of an enum or intEnum member.
    pub enum_value: Option<Value>,
    /// `smithy.rules#contextParam`: the endpoint rules parameter this input member sets.
    pub context_param: Option<String>,
}

impl MemberTraits {
    /// The default value, unless there is none or it is an explicit `null`.
    pub fn default_value(&self) -> Option<&Value> {
        self.default.as_ref().filter(|v| !v.is_null())
    }
}

/// `@http` of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Http {
    pub method: String,
    pub uri: String,
    pub code: u16,
}

/// `@paginated`, on an operation or (as defaults) on a service.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Paginated {
    pub input_token: Option<String>,
    pub output_token: Option<String>,
    pub items: Option<String>,
    pub page_size: Option<String>,
}

/// Traits of an operation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OperationTraits {
    pub http: Option<Http>,
    /// `@endpoint(hostPrefix)`.
    pub host_prefix: Option<String>,
    pub checksum_required: bool,
    /// `@requestCompression` encodings, in preference order.
    pub request_compression: Vec<String>,
    pub idempotent: bool,
    pub readonly: bool,
    pub paginated: Option<Paginated>,
    /// `smithy.waiters#waitable`, as written (decoded by the waiter generator).
    pub waitable: Option<Value>,
    /// `aws.protocols#httpChecksum`, as written.
    pub http_checksum: Option<Value>,
    /// `@auth`: the auth schemes in order; `Some(empty)` means unauthenticated.
    pub auth: Option<Vec<String>>,
    pub optional_auth: bool,
    /// `smithy.rules#staticContextParams`: endpoint rules parameters the operation sets, by name.
    pub static_context_params: Vec<(String, Value)>,
    /// `smithy.rules#operationContextParams`: parameters taken from the input by a path.
    pub operation_context_params: Vec<(String, String)>,
}

/// `aws.api#service`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AwsService {
    pub sdk_id: Option<String>,
    pub endpoint_prefix: Option<String>,
    pub arn_namespace: Option<String>,
}

/// Traits of a service.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServiceTraits {
    pub title: Option<String>,
    pub aws_service: AwsService,
    /// The SigV4 signing name (`aws.auth#sigv4`).
    pub sigv4_name: Option<String>,
    /// The protocol traits the service carries that the generator knows, in the model's order of
    /// trait ids; [`crate::protocols::choose`] picks one.
    pub protocols: Vec<Protocol>,
    /// Protocol traits nobody here knows (`aws.protocols#…` or with a `@protocolDefinition`
    /// namespace the generator does not list).
    pub unknown_protocols: Vec<String>,
    pub aws_query_compatible: bool,
    pub endpoint_rule_set: Option<Value>,
    /// `smithy.rules#endpointBdd`, the newer form of the rules (not supported yet).
    pub endpoint_bdd: bool,
    pub endpoint_tests: Option<Value>,
    pub client_context_params: Option<Value>,
    pub auth: Option<Vec<String>>,
    pub paginated: Option<Paginated>,
    pub xml_namespace: Option<XmlNamespace>,
}

/// Reads one shape's or member's raw traits, reporting each malformed value at `loc`.
struct Reader<'a> {
    raw: &'a RawTraits,
    loc: &'a str,
    sink: &'a mut Sink,
}

impl Reader<'_> {
    fn has(&self, id: &str) -> bool {
        self.raw.contains_key(id)
    }

    fn bad(&mut self, id: &str, what: &str, found: &Value) {
        let mut found = found.to_string();
        if found.chars().count() > 60 {
            found = found.chars().take(60).chain(['…']).collect();
        }
        self.sink.error(self.loc, format!("trait `{id}`: expected {what}, found {found}"));
    }

    fn string(&mut self, id: &str) -> Option<String> {
        match self.raw.get(id)? {
            Value::String(s) => Some(s.clone()),
            other => {
                self.bad(id, "a string", other);
                None
            }
        }
    }

    fn field_str(&mut self, id: &str, v: &Value, key: &str) -> Option<String> {
        match v.get(key)? {
            Value::String(s) => Some(s.clone()),
            other => {
                self.bad(id, &format!("`{key}` to be a string"), other);
                None
            }
        }
    }

    fn strings(&mut self, id: &str) -> Option<Vec<String>> {
        let v = self.raw.get(id)?;
        let list = v.as_array().and_then(|a| a.iter().map(|s| s.as_str().map(str::to_string)).collect());
        if list.is_none() {
            self.bad(id, "a list of strings", v);
        }
        list
    }

    fn bounds<T>(&mut self, id: &str, read: fn(&Value) -> Option<T>, what: &str) -> Option<Bounds<T>> {
        let v = self.raw.get(id)?;
        if !v.is_object() {
            self.bad(id, "an object with `min` and `max`", v);
            return None;
        }
        let mut get = |key: &str| match v.get(key) {
            None | Some(Value::Null) => None,
            Some(b) => {
                let got = read(b);
                if got.is_none() {
                    self.bad(id, &format!("`{key}` to be {what}"), b);
                }
                got
            }
        };
        Some(Bounds { min: get("min"), max: get("max") })
    }

    fn length(&mut self) -> Option<Bounds<u64>> {
        self.bounds("smithy.api#length", Value::as_u64, "a non-negative integer")
    }

    fn range(&mut self) -> Option<Bounds<f64>> {
        // `@range` bounds are big decimals; strings are how some tools write large ones.
        self.bounds("smithy.api#range", |v| v.as_f64().or_else(|| v.as_str().and_then(|s| s.parse().ok())), "a number")
    }

    fn timestamp_format(&mut self) -> Option<TimestampFormat> {
        let id = "smithy.api#timestampFormat";
        Some(match self.string(id)?.as_str() {
            "epoch-seconds" => TimestampFormat::EpochSeconds,
            "date-time" => TimestampFormat::DateTime,
            "http-date" => TimestampFormat::HttpDate,
            _ => {
                let v = self.raw[id].clone();
                self.bad(id, "`epoch-seconds`, `date-time` or `http-date`", &v);
                return None;
            }
        })
    }

    fn xml_namespace(&mut self) -> Option<XmlNamespace> {
        let id = "smithy.api#xmlNamespace";
        let v = self.raw.get(id)?.clone();
        let Some(uri) = self.field_str(id, &v, "uri") else {
            self.bad(id, "an object with a string `uri`", &v);
            return None;
        };
        let prefix = self.field_str(id, &v, "prefix");
        Some(XmlNamespace { uri, prefix })
    }

    fn paginated(&mut self) -> Option<Paginated> {
        let id = "smithy.api#paginated";
        let v = self.raw.get(id)?.clone();
        Some(Paginated {
            input_token: self.field_str(id, &v, "inputToken"),
            output_token: self.field_str(id, &v, "outputToken"),
            items: self.field_str(id, &v, "items"),
            page_size: self.field_str(id, &v, "pageSize"),
        })
    }

    fn auth(&mut self) -> Option<Vec<String>> {
        self.strings("smithy.api#auth")
    }

    fn raw_value(&self, id: &str) -> Option<Value> {
        self.raw.get(id).cloned()
    }
}

/// Decodes the traits every shape may carry.
pub fn shape_traits(raw: &RawTraits, loc: &str, sink: &mut Sink) -> ShapeTraits {
    let mut r = Reader { raw, loc, sink };
    let error = match r.string("smithy.api#error").as_deref() {
        None => None,
        Some("client") => Some(Fault::Client),
        Some("server") => Some(Fault::Server),
        Some(_) => {
            let v = raw["smithy.api#error"].clone();
            r.bad("smithy.api#error", "`client` or `server`", &v);
            None
        }
    };
    let http_error = raw.get("smithy.api#httpError").and_then(|v| {
        let code = v.as_u64().and_then(|c| u16::try_from(c).ok()).filter(|c| (100..=599).contains(c));
        if code.is_none() {
            r.bad("smithy.api#httpError", "an HTTP status code (an integer from 100 to 599)", v);
        }
        code
    });
    let retryable = raw.get("smithy.api#retryable").map(|v| Retryable {
        throttling: match v.get("throttling") {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(other) => {
                r.bad("smithy.api#retryable", "`throttling` to be a boolean", other);
                false
            }
        },
    });
    let aws_query_error = raw.get("aws.protocols#awsQueryError").cloned().and_then(|v| {
        let code = r.field_str("aws.protocols#awsQueryError", &v, "code")?;
        let status = v.get("httpResponseCode").and_then(Value::as_u64).and_then(|c| u16::try_from(c).ok());
        if status.is_none() {
            r.bad("aws.protocols#awsQueryError", "an integer `httpResponseCode`", &v);
        }
        Some((code, status?))
    });
    ShapeTraits {
        documentation: r.string("smithy.api#documentation"),
        deprecated: r.has("smithy.api#deprecated"),
        sensitive: r.has("smithy.api#sensitive"),
        length: r.length(),
        range: r.range(),
        pattern: r.string("smithy.api#pattern"),
        timestamp_format: r.timestamp_format(),
        media_type: r.string("smithy.api#mediaType"),
        sparse: r.has("smithy.api#sparse"),
        streaming: r.has("smithy.api#streaming"),
        requires_length: r.has("smithy.api#requiresLength"),
        error,
        http_error,
        retryable,
        input: r.has("smithy.api#input"),
        output: r.has("smithy.api#output"),
        mixin: r.has("smithy.api#mixin"),
        xml_name: r.string("smithy.api#xmlName"),
        xml_namespace: r.xml_namespace(),
        aws_query_error,
    }
}

/// Decodes the traits of a member.
pub fn member_traits(raw: &RawTraits, loc: &str, sink: &mut Sink) -> MemberTraits {
    let mut r = Reader { raw, loc, sink };
    // At most one HTTP binding; the first in this order wins, as lowering always did.
    let http = if r.has("smithy.api#httpLabel") {
        HttpBinding::Label
    } else if let Some(name) = r.string("smithy.api#httpQuery") {
        HttpBinding::Query(name)
    } else if r.has("smithy.api#httpQueryParams") {
        HttpBinding::QueryParams
    } else if let Some(name) = r.string("smithy.api#httpHeader") {
        HttpBinding::Header(name)
    } else if let Some(prefix) = r.string("smithy.api#httpPrefixHeaders") {
        HttpBinding::PrefixHeaders(prefix)
    } else if r.has("smithy.api#httpPayload") {
        HttpBinding::Payload
    } else if r.has("smithy.api#httpResponseCode") {
        HttpBinding::ResponseCode
    } else {
        HttpBinding::Body
    };
    MemberTraits {
        documentation: r.string("smithy.api#documentation"),
        deprecated: r.has("smithy.api#deprecated"),
        required: r.has("smithy.api#required"),
        default: r.raw_value("smithy.api#default"),
        client_optional: r.has("smithy.api#clientOptional"),
        json_name: r.string("smithy.api#jsonName"),
        xml_name: r.string("smithy.api#xmlName"),
        xml_attribute: r.has("smithy.api#xmlAttribute"),
        xml_flattened: r.has("smithy.api#xmlFlattened"),
        xml_namespace: r.xml_namespace(),
        ec2_query_name: r.string("aws.protocols#ec2QueryName"),
        timestamp_format: r.timestamp_format(),
        length: r.length(),
        range: r.range(),
        pattern: r.string("smithy.api#pattern"),
        http,
        host_label: r.has("smithy.api#hostLabel"),
        idempotency_token: r.has("smithy.api#idempotencyToken"),
        enum_value: r.raw_value("smithy.api#enumValue"),
        context_param: raw
            .get("smithy.rules#contextParam")
            .cloned()
            .and_then(|v| r.field_str("smithy.rules#contextParam", &v, "name")),
    }
}

/// Decodes the traits of an operation.
pub fn operation_traits(raw: &RawTraits, loc: &str, sink: &mut Sink) -> OperationTraits {
    let mut r = Reader { raw, loc, sink };
    let http = raw.get("smithy.api#http").cloned().and_then(|v| {
        let id = "smithy.api#http";
        let method = r.field_str(id, &v, "method");
        let uri = r.field_str(id, &v, "uri");
        let code = match v.get("code") {
            None => Some(200),
            Some(c) => {
                let code = c.as_u64().and_then(|c| u16::try_from(c).ok()).filter(|c| (100..=599).contains(c));
                if code.is_none() {
                    r.bad(id, "`code` to be an HTTP status code", c);
                }
                code
            }
        };
        match (method, uri, code) {
            (Some(method), Some(uri), Some(code)) => Some(Http { method, uri, code }),
            (None, _, _) | (_, None, _) => {
                r.bad(id, "an object with string `method` and `uri`", &v);
                None
            }
            _ => None,
        }
    });
    let host_prefix =
        raw.get("smithy.api#endpoint").cloned().and_then(|v| r.field_str("smithy.api#endpoint", &v, "hostPrefix"));
    let request_compression = raw
        .get("smithy.api#requestCompression")
        .cloned()
        .map(|v| {
            let list = v
                .get("encodings")
                .and_then(Value::as_array)
                .and_then(|a| a.iter().map(|e| e.as_str().map(str::to_string)).collect::<Option<Vec<_>>>());
            if list.is_none() {
                r.bad("smithy.api#requestCompression", "a list of strings in `encodings`", &v);
            }
            list.unwrap_or_default()
        })
        .unwrap_or_default();
    OperationTraits {
        http,
        host_prefix,
        checksum_required: r.has("smithy.api#httpChecksumRequired"),
        request_compression,
        idempotent: r.has("smithy.api#idempotent"),
        readonly: r.has("smithy.api#readonly"),
        paginated: r.paginated(),
        waitable: r.raw_value("smithy.waiters#waitable"),
        http_checksum: r.raw_value("aws.protocols#httpChecksum"),
        auth: r.auth(),
        optional_auth: r.has("smithy.api#optionalAuth"),
        static_context_params: context_params(&mut r, "smithy.rules#staticContextParams", "value")
            .into_iter()
            .collect(),
        operation_context_params: context_params(&mut r, "smithy.rules#operationContextParams", "path")
            .into_iter()
            .filter_map(|(k, v)| Some((k, v.as_str()?.to_string())))
            .collect(),
    }
}

/// `{"Name": {"<key>": v}}` as `(Name, v)` pairs, sorted by name.
fn context_params(r: &mut Reader<'_>, id: &str, key: &str) -> Vec<(String, Value)> {
    let Some(v) = r.raw.get(id).cloned() else { return Vec::new() };
    let Some(obj) = v.as_object() else {
        r.bad(id, "an object of parameters", &v);
        return Vec::new();
    };
    let mut out = Vec::new();
    for (name, p) in obj {
        match p.get(key) {
            Some(x) => out.push((name.clone(), x.clone())),
            None => r.bad(id, &format!("`{name}` to have a `{key}`"), p),
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Decodes the traits of a service.
pub fn service_traits(raw: &RawTraits, loc: &str, sink: &mut Sink) -> ServiceTraits {
    let mut r = Reader { raw, loc, sink };
    let aws = raw.get("aws.api#service").cloned().unwrap_or(Value::Null);
    let aws_service = AwsService {
        sdk_id: r.field_str("aws.api#service", &aws, "sdkId"),
        endpoint_prefix: r.field_str("aws.api#service", &aws, "endpointPrefix"),
        arn_namespace: r.field_str("aws.api#service", &aws, "arnNamespace"),
    };
    let sigv4_name = raw.get("aws.auth#sigv4").cloned().and_then(|v| r.field_str("aws.auth#sigv4", &v, "name"));
    let mut protocols = Vec::new();
    let mut unknown_protocols = Vec::new();
    for id in raw.keys() {
        match Protocol::from_trait(id) {
            Some(p) => protocols.push(p),
            None if crate::protocols::looks_like_protocol(id) => unknown_protocols.push(id.clone()),
            None => {}
        }
    }
    ServiceTraits {
        title: r.string("smithy.api#title"),
        aws_service,
        sigv4_name,
        protocols,
        unknown_protocols,
        aws_query_compatible: r.has("aws.protocols#awsQueryCompatible"),
        endpoint_rule_set: r.raw_value("smithy.rules#endpointRuleSet"),
        endpoint_bdd: r.has("smithy.rules#endpointBdd"),
        endpoint_tests: r.raw_value("smithy.rules#endpointTests"),
        client_context_params: r.raw_value("smithy.rules#clientContextParams"),
        auth: r.auth(),
        paginated: r.paginated(),
        xml_namespace: r.xml_namespace(),
    }
}
