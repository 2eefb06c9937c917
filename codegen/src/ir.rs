//! The intermediate representation: plain data, sorted at the end of lowering, so that the emit
//! stage only iterates. Every Rust name in it was decided by [`crate::naming`] in
//! [`crate::lower`].

use std::collections::BTreeMap;

use serde_json::Value;

/// The wire protocol of a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    RestJson1,
    AwsJson1_0,
    AwsJson1_1,
}

/// The wire format of a timestamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TsFormat {
    EpochSeconds,
    DateTime,
    HttpDate,
}

/// A Rust type as the generator uses it.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    String,
    Bool,
    I8,
    I16,
    I32,
    I64,
    F32,
    F64,
    BigInteger,
    BigDecimal,
    Blob,
    /// A timestamp; the format is the one set on the member or target, if any.
    Timestamp(Option<TsFormat>),
    Document,
    /// A generated type: its Rust name and the module path it lives in.
    Named {
        name: String,
        module: String,
        kind: NamedKind,
    },
    List {
        item: Box<Ty>,
        sparse: bool,
    },
    Map {
        key: Box<Ty>,
        value: Box<Ty>,
        sparse: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NamedKind {
    Struct,
    Enum,
    IntEnum,
    Union,
}

/// Where a member of an operation's input, output or error travels in the HTTP message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Binding {
    Body,
    Label,
    Query(String),
    QueryParams,
    Header(String),
    PrefixHeaders(String),
    Payload,
    ResponseCode,
}

/// Constraint traits, member traits overriding the target's.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    pub length: Option<(Option<u64>, Option<u64>)>,
    pub range: Option<(Option<f64>, Option<f64>)>,
    /// How values are checked against the pattern; `None` too when every string matches it.
    pub pattern: Option<Pattern>,
    /// A pattern Rust's regex engine cannot compile: documented, not checked.
    pub pattern_unsupported: Option<String>,
}

/// A checked `@pattern`.
#[derive(Debug, Clone, PartialEq)]
pub enum Pattern {
    /// By the regex engine: the pattern as it writes it.
    Regex(String),
    /// Character by character, without a regex engine.
    Chars(crate::patterns::CharClass),
}

/// A structure member.
#[derive(Debug, Clone)]
pub struct Field {
    /// The member name in the model.
    pub member: String,
    /// The name on the JSON wire (`@jsonName` in restJson1, else the member name).
    pub wire: String,
    /// The Rust field name (maybe a raw identifier).
    pub name: String,
    pub ty: Ty,
    /// `Option<ty>` in the struct.
    pub optional: bool,
    /// Required by the model: the builder reports it when missing.
    pub required: bool,
    /// The `@default` value, for non-optional members that have one.
    pub default: Option<Value>,
    /// Boxed because the member closes a cycle of structures.
    pub boxed: bool,
    pub sensitive: bool,
    pub idempotency_token: bool,
    pub binding: Binding,
    pub media_type: Option<String>,
    pub constraints: Constraints,
    /// Constraints of each list element or map value, when its target has any.
    pub element_constraints: Option<Constraints>,
    pub doc: Option<String>,
    pub deprecated: bool,
}

/// What a structure is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    Plain,
    Input,
    Output,
    Error(ErrorInfo),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorInfo {
    /// The error code on the wire: the shape name.
    pub code: String,
    /// `client` or `server`.
    pub fault: String,
    pub http_status: Option<u16>,
    pub retryable: bool,
    pub throttling: bool,
    /// The Rust field holding the message, when the error has one.
    pub message_field: Option<String>,
}

#[derive(Debug, Clone)]
pub struct StructDef {
    pub shape_id: String,
    pub name: String,
    pub module: String,
    pub file: String,
    pub fields: Vec<Field>,
    pub role: Role,
    pub sensitive: bool,
    pub doc: Option<String>,
    pub deprecated: bool,
    /// Whether it implements `Validate`: operation inputs and the types they reach. Types only
    /// responses use are never validated, so they get no checks to compile.
    pub validated: bool,
}

#[derive(Debug, Clone)]
pub struct EnumVariant {
    pub name: String,
    /// The value on the wire: a string, or the integer of an intEnum.
    pub value: Value,
    pub doc: Option<String>,
    pub deprecated: bool,
}

#[derive(Debug, Clone)]
pub struct EnumDef {
    pub shape_id: String,
    pub name: String,
    pub module: String,
    pub file: String,
    pub int: bool,
    pub variants: Vec<EnumVariant>,
    pub sensitive: bool,
    pub doc: Option<String>,
    pub deprecated: bool,
}

#[derive(Debug, Clone)]
pub struct UnionVariant {
    pub member: String,
    pub wire: String,
    pub name: String,
    /// `None` for members that target `smithy.api#Unit`.
    pub ty: Option<Ty>,
    pub boxed: bool,
    pub sensitive: bool,
    pub doc: Option<String>,
    pub deprecated: bool,
}

#[derive(Debug, Clone)]
pub struct UnionDef {
    pub shape_id: String,
    pub name: String,
    pub module: String,
    pub file: String,
    pub variants: Vec<UnionVariant>,
    pub sensitive: bool,
    pub doc: Option<String>,
    pub deprecated: bool,
    /// As [`StructDef::validated`].
    pub validated: bool,
}

#[derive(Debug, Clone)]
pub enum TypeDef {
    Struct(StructDef),
    Enum(EnumDef),
    Union(UnionDef),
}

impl TypeDef {
    pub fn file(&self) -> &str {
        match self {
            TypeDef::Struct(s) => &s.file,
            TypeDef::Enum(e) => &e.file,
            TypeDef::Union(u) => &u.file,
        }
    }
    pub fn name(&self) -> &str {
        match self {
            TypeDef::Struct(s) => &s.name,
            TypeDef::Enum(e) => &e.name,
            TypeDef::Union(u) => &u.name,
        }
    }
}

/// The `@http` trait of an operation.
#[derive(Debug, Clone)]
pub struct HttpTrait {
    pub method: String,
    pub uri: String,
    pub code: u16,
}

/// An error an operation may return.
#[derive(Debug, Clone)]
pub struct OpError {
    /// The variant name in the operation's error enum.
    pub variant: String,
    /// The error structure's Rust name.
    pub ty: String,
    pub code: String,
}

#[derive(Debug, Clone)]
pub struct Operation {
    pub shape_id: String,
    /// The operation's shape name, e.g. `UpdateFlow`.
    pub wire_name: String,
    pub name: String,
    pub module: String,
    /// kebab-case, for command lines.
    pub kebab: String,
    /// The method name on the client trait.
    pub method: String,
    pub input: StructDef,
    pub output: StructDef,
    pub error_enum: String,
    pub errors: Vec<OpError>,
    pub http: Option<HttpTrait>,
    /// `@httpChecksumRequired`: send `Content-MD5`.
    pub checksum_required: bool,
    /// `@requestCompression` with gzip: compress large bodies.
    pub gzip: bool,
    /// `@endpoint(hostPrefix)`: text put in front of the endpoint's host, with `{label}`s filled
    /// from `@hostLabel` input members.
    pub host_prefix: Option<String>,
    pub doc: Option<String>,
    pub deprecated: bool,
}

#[derive(Debug, Clone)]
pub struct Service {
    pub shape_id: String,
    /// The service shape name (used as the awsJson `X-Amz-Target` prefix).
    pub shape_name: String,
    pub version: String,
    pub protocol: Protocol,
    pub signing_name: String,
    pub endpoint_prefix: String,
    pub sdk_id: String,
    pub title: String,
    /// The client trait name, e.g. `Appflow`.
    pub trait_name: String,
    /// The regional endpoint from the model's endpoint rules, with `{Region}` and
    /// `{PartitionResult#dnsSuffix}` placeholders.
    pub endpoint_template: String,
    pub doc: Option<String>,
}

/// Everything the emit stage needs.
#[derive(Debug, Clone)]
pub struct Crate {
    pub crate_name: String,
    pub service: Service,
    /// Shapes generated into `src/types`, keyed by file stem.
    pub types: BTreeMap<String, TypeDef>,
    pub operations: Vec<Operation>,
    /// What was generated but is not fully supported, by location.
    pub warnings: Vec<crate::diag::Diagnostic>,
}
