//! Wire emitters, one module per protocol family behind [`ProtocolGen`]: what the request
//! serializer, the response parser and the error-code extraction of an operation look like.
//!
//! Bodies are written and read by code emitted per shape (`ToJson` / `FromJson`, `ToXml` /
//! `FromXml`, `ToQuery`, `ToCbor` / `FromCbor`), member names known at generation time; `rest`
//! adds the HTTP bindings around them. A new protocol is a new module and a line in [`of`].

mod cbor;
mod json;
mod query;
mod rest;
mod xml;

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{field_ident, Scope};
use crate::ir::*;

/// What each protocol family emits for an operation.
pub trait ProtocolGen: Sync {
    /// The body of `serialize_request(input) -> Result<Request, SerializeError>`.
    fn serialize_request(&self, service: &Service, op: &Operation) -> TokenStream;
    /// The body of a function reading the structure `s` (an output or an error) from
    /// `response: &Response`, returning `Result<S, ResponseError>`.
    fn read_struct(&self, cx: Scope<'_>, s: &StructDef) -> TokenStream;
    /// The body of `read_output(response) -> Result<Output, ResponseError>`.
    fn read_output(&self, cx: Scope<'_>, op: &Operation) -> TokenStream {
        self.read_struct(cx, &op.output)
    }
    /// The runtime function that finds the error code and message of an error response.
    fn error_info(&self) -> TokenStream;
    /// Items a protocol adds to the file of a type in `types`: its wire impls.
    fn type_impls(&self, _cx: Scope<'_>, _def: &TypeDef) -> TokenStream {
        TokenStream::new()
    }
}

/// The emitter of a protocol lowering accepted.
pub fn of(protocol: Protocol) -> &'static dyn ProtocolGen {
    match protocol {
        Protocol::RestJson1 => &rest::RestJson,
        Protocol::RestXml => &rest::RestXml,
        Protocol::AwsJson1_0 => &json::AwsJson { version: "1.0" },
        Protocol::AwsJson1_1 => &json::AwsJson { version: "1.1" },
        Protocol::AwsQuery => &query::Query { ec2: false },
        Protocol::RpcV2Cbor => &cbor::RpcV2Cbor,
        Protocol::Ec2Query => &query::Query { ec2: true },
    }
}

fn rt() -> TokenStream {
    quote!(::awsgen_runtime::protocol)
}

/// Body transformations after serialization: compression, then the checksum of what is sent;
/// and the headers `customize` adds.
fn finish(op: &Operation) -> TokenStream {
    let mut t = TokenStream::new();
    for (name, value) in &op.static_headers {
        t.extend(quote!(req.header(#name, #value);));
    }
    if op.glacier_checksums {
        t.extend(quote!(req.glacier_checksums();));
    }
    if op.gzip {
        t.extend(quote!(req.gzip(10_240)?;));
    }
    if op.checksum_required {
        t.extend(quote!(req.content_md5();));
    }
    t
}

/// `host_prefix`, for operations with `@endpoint(hostPrefix)`; nothing otherwise (the trait's
/// default says `None`).
pub fn host_prefix_fn(op: &Operation) -> TokenStream {
    let Some(prefix) = &op.host_prefix else { return TokenStream::new() };
    let rt = rt();
    let input = quote::format_ident!("{}", op.input.name);
    if !prefix.contains('{') {
        return quote! {
            fn host_prefix(_input: &#input) -> Result<Option<String>, #rt::SerializeError> {
                Ok(Some(#prefix.to_owned()))
            }
        };
    }
    // Each label checked by `host_label` into a local, then one `format!`; lowering has made sure
    // every label names a string `@hostLabel` member.
    let mut template = String::new();
    let mut args = Vec::new();
    let mut rest = prefix.as_str();
    while let Some(open) = rest.find('{') {
        template.push_str(&rest[..open]);
        let close = rest[open..].find('}').map_or(rest.len(), |c| open + c);
        let label = &rest[open + 1..close];
        if let Some(f) = op.input.fields.iter().find(|f| f.member == label) {
            let fid = field_ident(f);
            let value = if f.optional() {
                quote!(input.#fid.as_deref().ok_or(#rt::SerializeError::MissingHostLabel(#label))?)
            } else {
                quote!(input.#fid.as_str())
            };
            // Format strings take no raw identifiers: `r#type` becomes `type_`.
            let local = match fid.to_string().strip_prefix("r#") {
                Some(keyword) => quote::format_ident!("{keyword}_"),
                None => fid,
            };
            template.push_str(&format!("{{{local}}}"));
            args.push(quote!(let #local = ::awsgen_runtime::endpoint::host_label(#label, #value)?;));
        }
        rest = &rest[(close + 1).min(rest.len())..];
    }
    template.push_str(rest);
    quote! {
        fn host_prefix(input: &#input) -> Result<Option<String>, #rt::SerializeError> {
            #(#args)*
            Ok(Some(format!(#template)))
        }
    }
}

/// The checksum items of an operation with `aws.protocols#httpChecksum`: its request checksum,
/// the algorithms a response may carry, and turning response checksums on.
pub fn checksum_fns(op: &Operation) -> TokenStream {
    let Some(c) = &op.checksum else { return TokenStream::new() };
    let input = quote::format_ident!("{}", op.input.name);
    let rtc = quote!(::awsgen_runtime::checksum);
    let field = |name: &String| op.input.fields.iter().find(|f| &f.name == name).expect("lowering found it");
    let mut out = TokenStream::new();
    if c.algorithm_field.is_some() || c.required {
        let required = c.required;
        let algorithm = match c.algorithm_field.as_ref().map(field) {
            Some(f) => {
                let fid = field_ident(f);
                if f.optional() {
                    quote!(input.#fid.as_ref().map(|a| a.as_str().to_owned()))
                } else {
                    quote!(Some(input.#fid.as_str().to_owned()))
                }
            }
            None => quote!(None),
        };
        let arg = if c.algorithm_field.is_some() { quote!(input) } else { quote!(_input) };
        out.extend(quote! {
            fn request_checksum(#arg: &#input) -> Option<#rtc::RequestChecksum> {
                Some(#rtc::RequestChecksum { algorithm: #algorithm, required: #required })
            }
        });
    }
    if !c.response_algorithms.is_empty() {
        let algs = &c.response_algorithms;
        out.extend(quote!(const RESPONSE_CHECKSUMS: &'static [&'static str] = &[#(#algs),*];));
        let body = match c.validation_field.as_ref().map(field) {
            Some(f) if f.optional() => {
                let fid = field_ident(f);
                quote! {
                    if when_supported && input.#fid.is_none() {
                        input.#fid = Some("ENABLED".into());
                    }
                    input.#fid.as_ref().is_some_and(|m| m.as_str() == "ENABLED")
                }
            }
            _ => quote!(let _ = input; when_supported),
        };
        out.extend(quote! {
            fn response_checksum_enabled(input: &mut #input, when_supported: bool) -> bool {
                #body
            }
        });
    }
    out
}

/// `endpoint_url`, for an operation whose input names its endpoint; nothing otherwise.
pub fn endpoint_url_fn(op: &Operation) -> TokenStream {
    let Some(field) = &op.endpoint_field else { return TokenStream::new() };
    let input = quote::format_ident!("{}", op.input.name);
    let f = op.input.fields.iter().find(|f| &f.name == field).expect("customize names an input field");
    let fid = field_ident(f);
    let get = if f.optional() { quote!(input.#fid.as_deref()) } else { quote!(Some(input.#fid.as_str())) };
    quote! {
        fn endpoint_url(input: &#input) -> Option<&str> {
            #get
        }
    }
}

/// `endpoint_params`, for operations that set endpoint rules parameters; nothing otherwise (the
/// trait's default sets none).
pub fn endpoint_params_fn(ir: &crate::ir::Crate, op: &Operation) -> TokenStream {
    if op.endpoint_params.is_empty() {
        return TokenStream::new();
    }
    let input = quote::format_ident!("{}", op.input.name);
    let value = |t: &Ty, v: TokenStream| match t {
        Ty::Bool => quote!(Value::Bool(*#v)),
        Ty::Named { kind: NamedKind::Enum, .. } => quote!(Value::String(#v.as_str().to_owned())),
        Ty::List { .. } => quote!(Value::Array(#v.iter().map(|s| Value::String(s.clone())).collect())),
        _ => quote!(Value::String(#v.clone())),
    };
    let mut paths = crate::emit::waiters::context_param_pushes(ir, op).expect("checked after lowering").into_iter();
    let pushes = op.endpoint_params.iter().map(|p| match p {
        EndpointParam::Path { .. } => paths.next().expect("one statement per path"),
        EndpointParam::Static { name, value } => {
            let v = crate::emit::endpoint::value(value);
            quote!(params.push((#name, #v));)
        }
        EndpointParam::Member { name, field, optional, ty } => {
            let fid = crate::naming::ident(field);
            if *optional {
                let v = value(ty, quote!(v));
                quote!(if let Some(v) = &input.#fid { params.push((#name, #v)); })
            } else {
                let v = value(ty, quote!(v));
                quote!({ let v = &input.#fid; params.push((#name, #v)); })
            }
        }
    });
    let paths_used = op.endpoint_params.iter().any(|p| matches!(p, EndpointParam::Path { .. }));
    let uses_input =
        op.endpoint_params.iter().any(|p| matches!(p, EndpointParam::Member { .. } | EndpointParam::Path { .. }));
    let arg = if uses_input { quote!(input) } else { quote!(_input) };
    let pushes: Vec<TokenStream> = pushes.collect();
    let allow = paths_used.then(|| quote!(#[allow(clippy::vec_init_then_push)]));
    quote! {
        #allow
        fn endpoint_params(#arg: &#input) -> Vec<(&'static str, ::awsgen_runtime::endpoint::rules::Value)> {
            use ::awsgen_runtime::endpoint::rules::Value;
            let mut params = Vec::new();
            #(#pushes)*
            params
        }
    }
}

/// `fill_idempotency_tokens`, for operations with an `@idempotencyToken` member.
pub fn fill_tokens(op: &Operation) -> TokenStream {
    let fills: Vec<TokenStream> = op
        .input
        .fields
        .iter()
        .filter(|f| f.idempotency_token && f.ty == Ty::String)
        .map(|f| {
            let fid = field_ident(f);
            if f.optional() {
                quote!(if input.#fid.is_none() { input.#fid = Some(next()); })
            } else {
                quote!(if input.#fid.is_empty() { input.#fid = next(); })
            }
        })
        .collect();
    if fills.is_empty() {
        return TokenStream::new();
    }
    let input = quote::format_ident!("{}", op.input.name);
    quote! {
        fn fill_idempotency_tokens(input: &mut #input, next: &mut dyn FnMut() -> String) {
            #(#fills)*
        }
    }
}

/// `read_output`, a method of the `Operation` impl.
pub fn read_output_fn(cx: Scope<'_>, op: &Operation) -> TokenStream {
    let output = quote::format_ident!("{}", op.output.name);
    let read = of(cx.ir.service.protocol).read_output(cx, op);
    quote! {
        fn read_output(response: &::awsgen_runtime::http::Response) -> Result<#output, ::awsgen_runtime::ResponseError> {
            #read
        }
    }
}

/// `read_error`, a method of the `Operation` impl: matches the error code to the operation's
/// modeled errors. Nothing for an operation without errors (the trait's default answers `None`).
pub fn read_error_fn(cx: Scope<'_>, op: &Operation) -> TokenStream {
    if op.errors.is_empty() {
        return TokenStream::new();
    }
    let error = quote::format_ident!("{}", op.error_enum);
    let arms = op.errors.iter().map(|e| {
        let v = quote::format_ident!("{}", e.variant);
        let t = cx.path(&e.id);
        quote!(<#t as ::awsgen_runtime::ModeledError>::CODE => #t::from_response(response).map(#error::#v),)
    });
    quote! {
        fn read_error(code: &str, response: &::awsgen_runtime::http::Response) -> Option<Result<#error, ::awsgen_runtime::ResponseError>> {
            Some(match code {
                #(#arms)*
                _ => return None,
            })
        }
    }
}

/// `from_response` for an error structure: an associated function placed in its `impl`.
pub fn error_from_response(cx: Scope<'_>, s: &StructDef) -> TokenStream {
    let read = of(cx.ir.service.protocol).read_struct(cx, s);
    quote! {
        /// Reads the error from an error response: its body and any bound headers.
        #[doc(hidden)]
        pub fn from_response(response: &::awsgen_runtime::http::Response) -> Result<Self, ::awsgen_runtime::ResponseError> {
            #read
        }
    }
}
