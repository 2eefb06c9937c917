//! The intermediate representation: plain data, sorted at the end of lowering, so that the emit
//! stage only iterates. Every Rust name in it was decided by [`crate::naming`] in
//! [`crate::lower`], with collisions reported there. Types refer to each other by shape id;
//! emit turns an id into a Rust path in one place (`emit::common::Scope`).

use std::collections::BTreeMap;

use serde_json::Value;

pub use crate::nullability::Nullability;
pub use crate::protocols::Protocol;
pub use crate::traits::{Http, HttpBinding as Binding, TimestampFormat as TsFormat, XmlNamespace};

/// An absolute shape id, `namespace#Name`.
pub type ShapeId = String;

/// How the generated crate depends on the runtime crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeDep {
    /// A path, relative to the generated crate's folder.
    Path(String),
    /// A git repository; `rev` is a commit, tag or branch.
    Git { url: String, rev: Option<String> },
    /// A published version requirement.
    Version(String),
}

/// What the generated crate is called and how it is built: the package facts that are not in
/// the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrateMeta {
    /// The package name (may contain `-`).
    pub name: String,
    pub version: String,
    pub runtime: RuntimeDep,
    /// Adds an empty `[workspace]` table, for crates generated outside any workspace.
    pub standalone: bool,
    /// Machine code for the generated functions in the crate itself, not `#[inline]`.
    pub compile_in_crate: bool,
    /// The protocol the configuration asks for, when the service lists several.
    pub protocol: Option<String>,
}

impl CrateMeta {
    /// The name as Rust code refers to the crate.
    pub fn ident(&self) -> String {
        self.name.replace('-', "_")
    }
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
    /// A `@streaming` blob: the runtime's `ByteStream`, an HTTP payload sent and received as it
    /// is read.
    ByteStream,
    /// A timestamp; the format is the one set on the member or target, if any.
    Timestamp(Option<TsFormat>),
    Document,
    /// A generated type in `types`, by shape id (a key of [`Crate::types`]).
    Named {
        id: ShapeId,
        kind: NamedKind,
    },
    List {
        item: Box<Ty>,
        sparse: bool,
        /// The element name of each item in XML, and its part of awsQuery keys (`member`).
        member: Box<XmlName>,
    },
    Map {
        key: Box<Ty>,
        value: Box<Ty>,
        sparse: bool,
        /// The element names of an entry's key and value (`key`, `value`).
        names: Box<(XmlName, XmlName)>,
    },
}

/// An element name in XML bodies (and the matching part of an awsQuery key), with the
/// namespace the element declares, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlName {
    pub name: String,
    pub namespace: Option<XmlNamespace>,
}

impl XmlName {
    pub fn plain(name: &str) -> Self {
        XmlName { name: name.to_string(), namespace: None }
    }
}

/// How a structure member travels in XML bodies and query strings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldXml {
    /// The element (or attribute) name: `@xmlName`, else the member name.
    pub name: XmlName,
    /// `@xmlAttribute`: an attribute of the structure's element.
    pub attribute: bool,
    /// `@xmlFlattened`: list items (map entries) repeat in place of a wrapping element.
    pub flattened: bool,
    /// The key in awsQuery and ec2Query requests (ec2Query: `@ec2QueryName`, else the
    /// capitalised XML name).
    pub query_key: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NamedKind {
    Struct,
    Enum,
    IntEnum,
    Union,
}

/// Constraint traits, member traits overriding the target's.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    pub length: Option<(Option<u64>, Option<u64>)>,
    pub range: Option<(Option<f64>, Option<f64>)>,
    /// How values are checked against the pattern; `None` too when every string matches it.
    pub pattern: Option<Pattern>,
    /// A pattern Rust's regex syntax cannot express: documented, not checked.
    pub pattern_unsupported: Option<String>,
}

/// A checked `@pattern`.
#[derive(Debug, Clone, PartialEq)]
pub enum Pattern {
    /// By an automaton compiled at generation time.
    Dfa(crate::patterns::DfaCheck),
    /// By `regex-lite` (the runtime's `regex` feature).
    Regex(crate::patterns::RegexCheck),
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
    /// The builder's setter (`name`, or `build_value` for a member named `build`).
    pub setter: String,
    /// The builder's `set_` method, taking an `Option`.
    pub set_fn: String,
    /// For lists, the builder method that appends one item; for maps, the one that inserts one
    /// entry.
    pub add_fn: Option<String>,
    pub ty: Ty,
    /// `Option<ty>`, `ty` required, or `ty` with a default, as [`crate::nullability`] decides.
    pub nullability: Nullability,
    /// `@required` in the model (a `@clientOptional` member may be both this and optional).
    pub required: bool,
    /// The `@default` value, for [`Nullability::Defaulted`] members.
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
    pub xml: FieldXml,
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
    pub fault: crate::traits::Fault,
    pub http_status: Option<u16>,
    pub retryable: bool,
    pub throttling: bool,
    /// The Rust field holding the message, when the error has one.
    pub message_field: Option<String>,
}

impl Field {
    /// Whether the struct holds an `Option`.
    pub fn optional(&self) -> bool {
        self.nullability.is_optional()
    }
}

#[derive(Debug, Clone)]
pub struct StructDef {
    pub shape_id: ShapeId,
    pub name: String,
    /// The builder's type name.
    pub builder: String,
    pub fields: Vec<Field>,
    pub role: Role,
    pub sensitive: bool,
    pub doc: Option<String>,
    pub deprecated: bool,
    /// Whether it implements `Validate`: operation inputs and the types they reach. Types only
    /// responses use are never validated, so they get no checks to compile.
    pub validated: bool,
    /// Whether responses can hold it (outputs, errors and the types they reach): only those
    /// get wire readers.
    pub parsed: bool,
    /// Its element when it is an XML body's root: `@xmlName` (else the shape name) and
    /// `@xmlNamespace`.
    pub xml: XmlName,
}

impl StructDef {
    /// The member holding a streaming payload, if any.
    pub fn stream_field(&self) -> Option<&Field> {
        self.fields.iter().find(|f| f.ty == Ty::ByteStream)
    }
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
    pub shape_id: ShapeId,
    pub name: String,
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
    /// The variant's element in XML bodies and its key in query strings.
    pub xml: FieldXml,
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
    pub shape_id: ShapeId,
    pub name: String,
    pub variants: Vec<UnionVariant>,
    pub sensitive: bool,
    pub doc: Option<String>,
    pub deprecated: bool,
    /// As [`StructDef::validated`].
    pub validated: bool,
    /// As [`StructDef::parsed`].
    pub parsed: bool,
}

/// A shape generated into `src/types/<file>.rs`.
#[derive(Debug, Clone)]
pub struct TypeItem {
    /// The file stem (and module name) in `src/types`.
    pub file: String,
    pub def: TypeDef,
}

#[derive(Debug, Clone)]
pub enum TypeDef {
    Struct(StructDef),
    Enum(EnumDef),
    Union(UnionDef),
}

impl TypeDef {
    pub fn name(&self) -> &str {
        match self {
            TypeDef::Struct(s) => &s.name,
            TypeDef::Enum(e) => &e.name,
            TypeDef::Union(u) => &u.name,
        }
    }
}

/// An error an operation may return.
#[derive(Debug, Clone)]
pub struct OpError {
    /// The variant name in the operation's error enum.
    pub variant: String,
    /// The error structure, a key of [`Crate::types`].
    pub id: ShapeId,
}

#[derive(Debug, Clone)]
pub struct Operation {
    pub shape_id: String,
    /// The operation's shape name, e.g. `UpdateFlow`.
    pub wire_name: String,
    pub name: String,
    pub module: String,
    /// The method name on the client trait.
    pub method: String,
    pub input: StructDef,
    pub output: StructDef,
    pub error_enum: String,
    pub errors: Vec<OpError>,
    pub http: Option<Http>,
    /// `@httpChecksumRequired`: send `Content-MD5`.
    pub checksum_required: bool,
    /// `@requestCompression` with gzip: compress large bodies.
    pub gzip: bool,
    /// `@endpoint(hostPrefix)`: text put in front of the endpoint's host, with `{label}`s filled
    /// from `@hostLabel` input members.
    pub host_prefix: Option<String>,
    /// Endpoint rules parameters the operation sets: its static ones, then input members.
    pub endpoint_params: Vec<EndpointParam>,
    pub doc: Option<String>,
    pub deprecated: bool,
    /// `@auth([])` or `@optionalAuth`: sent without a signature.
    pub unsigned: bool,
    /// The output's one body member is the text of the whole XML document's root (S3's
    /// `GetBucketLocation`; see `customize`).
    pub unwrapped_output: bool,
    /// Headers every request carries, from `customize` (API Gateway's `Accept`, Glacier's
    /// API version).
    pub static_headers: Vec<(String, String)>,
    /// Path labels sent as a fixed value when empty (Glacier's `accountId`: `-`, the caller's
    /// account): member name and value.
    pub label_defaults: Vec<(String, String)>,
    /// Send Glacier's SHA-256 and tree hash of the body.
    pub glacier_checksums: bool,
    /// The input's streaming payload must have a known length (`@requiresLength`).
    pub stream_requires_length: bool,
    /// The input field whose URL replaces the endpoint (Machine Learning's `PredictEndpoint`).
    pub endpoint_field: Option<String>,
    /// `aws.protocols#httpChecksum`.
    pub checksum: Option<ChecksumSpec>,
    /// `@paginated`, merged with the service's defaults.
    pub paginator: Option<Paginator>,
    /// `smithy.waiters#waitable`, in name order.
    pub waiters: Vec<Waiter>,
}

/// What `aws.protocols#httpChecksum` says of an operation, its members as Rust fields.
#[derive(Debug, Clone, PartialEq)]
pub struct ChecksumSpec {
    /// The input field naming the request's algorithm (`requestAlgorithmMember`).
    pub algorithm_field: Option<String>,
    /// `requestChecksumRequired`.
    pub required: bool,
    /// The input field that turns response checksums on (`requestValidationModeMember`).
    pub validation_field: Option<String>,
    /// `responseAlgorithms`.
    pub response_algorithms: Vec<String>,
}

/// A paginated operation's members, as paths (member names joined by `.`).
#[derive(Debug, Clone, PartialEq)]
pub struct Paginator {
    /// The input member that takes the token.
    pub input_token: String,
    /// The output member (maybe nested) that gives the next token.
    pub output_token: String,
    /// The output member (maybe nested) that holds the page's items.
    pub items: Option<String>,
    /// The input member that sets the page size.
    pub page_size: Option<String>,
}

/// One waiter of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Waiter {
    /// Its name in the model (`TableExists`).
    pub name: String,
    /// The method (`wait_until_table_exists`).
    pub method: String,
    pub doc: Option<String>,
    pub deprecated: bool,
    /// Seconds.
    pub min_delay: u64,
    /// Seconds.
    pub max_delay: u64,
    pub acceptors: Vec<Acceptor>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Acceptor {
    pub state: AcceptorState,
    pub matcher: Matcher,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcceptorState {
    Success,
    Failure,
    Retry,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Matcher {
    /// `success`: the call succeeded (`true`) or failed (`false`).
    Success(bool),
    /// `errorType`: the error's code (a shape name).
    ErrorType(String),
    /// `output` (`input_output: false`) or `inputOutput`: a path and a comparison.
    Path { input_output: bool, path: String, expr: crate::jmespath::Expr, comparator: Comparator, expected: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparator {
    StringEquals,
    BooleanEquals,
    AllStringEquals,
    AnyStringEquals,
}

/// An endpoint rules parameter an operation sets.
#[derive(Debug, Clone, PartialEq)]
pub enum EndpointParam {
    /// `smithy.rules#staticContextParams`.
    Static { name: String, value: awsgen_rules::Value },
    /// `smithy.rules#contextParam` on an input member (its Rust field).
    Member { name: String, field: String, optional: bool, ty: Ty },
    /// `smithy.rules#operationContextParams`: a JMESPath path into the input.
    Path { name: String, ty: awsgen_rules::ParamType, path: String, expr: crate::jmespath::Expr },
}

#[derive(Debug, Clone)]
pub struct Service {
    pub shape_id: String,
    /// The service shape name (used as the awsJson `X-Amz-Target` prefix).
    pub shape_name: String,
    pub version: String,
    pub protocol: Protocol,
    pub signing_name: String,
    pub sdk_id: String,
    pub title: String,
    /// The client trait name, e.g. `Appflow`.
    pub trait_name: String,
    /// The endpoint rules and their test cases.
    pub endpoint: crate::endpoint::ServiceEndpoints,
    /// `@awsQueryCompatible`: a JSON service that was once awsQuery; requests say
    /// `x-amzn-query-mode: true`.
    pub query_compatible: bool,
    /// `@xmlNamespace` of the service: declared on the root element of XML request bodies.
    pub xml_namespace: Option<XmlNamespace>,
    pub doc: Option<String>,
}

/// Everything the emit stage needs.
#[derive(Debug, Clone)]
pub struct Crate {
    pub meta: CrateMeta,
    pub service: Service,
    /// Shapes generated into `src/types`, by shape id.
    pub types: BTreeMap<ShapeId, TypeItem>,
    pub operations: Vec<Operation>,
    /// What was generated but is not fully supported, by location.
    pub warnings: Vec<crate::diag::Diagnostic>,
}

impl Crate {
    /// The generated type of a shape id that lowering put into [`Crate::types`].
    pub fn ty(&self, id: &str) -> &TypeItem {
        self.types.get(id).unwrap_or_else(|| panic!("generator bug: `{id}` is not a generated type"))
    }
}
