//! HTTP bindings (restJson1): path labels, query strings, headers, payloads and status codes,
//! around a body that [`super::json`] writes and reads.

use proc_macro2::TokenStream;
use quote::quote;

use super::{finish, json, rt, xml, ProtocolGen};
use crate::emit::common::{field_ident, Scope};
use crate::ir::*;

fn rest() -> TokenStream {
    quote!(::awsgen_runtime::protocol::rest)
}

/// restJson1: HTTP bindings with a JSON body.
pub struct RestJson;

impl ProtocolGen for RestJson {
    fn serialize_request(&self, _service: &Service, op: &Operation) -> TokenStream {
        serialize_request(op, Codec::Json)
    }

    fn read_struct(&self, cx: Scope<'_>, s: &StructDef) -> TokenStream {
        read_struct(cx, s, false, Codec::Json)
    }

    fn error_info(&self) -> TokenStream {
        json::error_info()
    }

    fn type_impls(&self, cx: Scope<'_>, def: &TypeDef) -> TokenStream {
        json::type_impls(cx, def)
    }
}

/// restXml: HTTP bindings with an XML body.
pub struct RestXml;

impl ProtocolGen for RestXml {
    fn serialize_request(&self, service: &Service, op: &Operation) -> TokenStream {
        serialize_request(op, Codec::Xml(service.xml_namespace.as_ref()))
    }

    fn read_struct(&self, cx: Scope<'_>, s: &StructDef) -> TokenStream {
        read_struct(cx, s, false, Codec::Xml(None))
    }

    fn read_output(&self, cx: Scope<'_>, op: &Operation) -> TokenStream {
        let body = op.output.fields.iter().find(|f| f.binding == Binding::Body);
        let (true, Some(f)) = (op.unwrapped_output, body) else { return self.read_struct(cx, &op.output) };
        // The root element's text is the member's value.
        let x = xml::runtime();
        let name = quote::format_ident!("{}", op.output.name);
        let fid = field_ident(f);
        let value = match &f.ty {
            Ty::Named { kind: NamedKind::Enum, .. } => {
                let e = cx.ty(&f.ty);
                quote!(#e::from(#x::text(doc.root_element()).as_str()))
            }
            _ => quote!(#x::text(doc.root_element())),
        };
        let value = if f.optional() { quote!(Some(#value)) } else { value };
        quote! {
            let mut out = #name::default();
            if let Some(doc) = #x::parse(response)? {
                out.#fid = #value;
            }
            Ok(out)
        }
    }

    fn error_info(&self) -> TokenStream {
        let x = xml::runtime();
        quote!(#x::error_info)
    }

    fn type_impls(&self, cx: Scope<'_>, def: &TypeDef) -> TokenStream {
        let from = xml::from_xml_impl(cx, def);
        let to = xml::to_xml_impl(def);
        quote!(#from #to)
    }
}

/// How bodies are written and read: JSON, or XML (with the service's `@xmlNamespace`, declared
/// on a request body's root when its structure has none).
#[derive(Clone, Copy)]
pub enum Codec<'a> {
    Json,
    Xml(Option<&'a XmlNamespace>),
}

pub(super) fn ts_format(f: TsFormat) -> TokenStream {
    let rt = rt();
    match f {
        TsFormat::EpochSeconds => quote!(#rt::TimestampFormat::EpochSeconds),
        TsFormat::DateTime => quote!(#rt::TimestampFormat::DateTime),
        TsFormat::HttpDate => quote!(#rt::TimestampFormat::HttpDate),
    }
}

/// A `String` expression for a scalar `v` (an expression of type `&T`) outside the body.
fn to_string(t: &Ty, v: TokenStream, default_ts: TsFormat, media_type: bool) -> TokenStream {
    let rt = rt();
    match t {
        Ty::String if media_type => quote!(#rt::base64(#v)),
        Ty::String | Ty::Bool | Ty::I8 | Ty::I16 | Ty::I32 | Ty::I64 | Ty::BigInteger | Ty::BigDecimal => {
            quote!(#v.to_string())
        }
        Ty::F32 => quote!(#rt::fmt_float32(*#v)),
        Ty::F64 => quote!(#rt::fmt_float(*#v)),
        Ty::Timestamp(f) => {
            let f = ts_format(f.unwrap_or(default_ts));
            quote!(#rt::fmt_timestamp(#v, #f))
        }
        Ty::Named { kind: NamedKind::Enum, .. } => quote!(#v.as_str().to_owned()),
        Ty::Named { kind: NamedKind::IntEnum, .. } => quote!(#v.as_i32().to_string()),
        Ty::Blob => quote!(#rt::base64(#v)),
        _ => {
            let json = json::runtime();
            quote!(String::from_utf8(#json::to_json(#v)?).unwrap_or_default())
        }
    }
}

/// An expression of type `Result<T, ResponseError>` parsing `s` (a `&str`) read from header `name`.
fn parse_scalar(
    cx: Scope<'_>,
    t: &Ty,
    name: &str,
    s: TokenStream,
    default_ts: TsFormat,
    media_type: bool,
) -> TokenStream {
    let rt = rt();
    let p = |what: &str, f: TokenStream| quote!(h.parse(#name, #s, #what, #f));
    match t {
        Ty::String if media_type => {
            p("base64 text", quote!(|s| #rt::parse_base64(s).and_then(|b| String::from_utf8(b).ok())))
        }
        Ty::String => quote!(Ok::<String, ::awsgen_runtime::ResponseError>((#s).to_string())),
        Ty::Bool => p("a boolean", quote!(#rt::parse_bool)),
        Ty::I8 => p("an integer", quote!(|s| s.parse::<i8>().ok())),
        Ty::I16 => p("an integer", quote!(|s| s.parse::<i16>().ok())),
        Ty::I32 => p("an integer", quote!(|s| s.parse::<i32>().ok())),
        Ty::I64 => p("an integer", quote!(|s| s.parse::<i64>().ok())),
        Ty::F32 => p("a number", quote!(|s| #rt::parse_float(s).map(|f| f as f32))),
        Ty::F64 => p("a number", quote!(#rt::parse_float)),
        Ty::BigInteger => p("an integer", quote!(::awsgen_runtime::BigInteger::new)),
        Ty::BigDecimal => p("a number", quote!(::awsgen_runtime::BigDecimal::new)),
        Ty::Timestamp(f) => {
            let f = ts_format(f.unwrap_or(default_ts));
            p("a timestamp", quote!(|s| #rt::parse_timestamp(s, #f)))
        }
        Ty::Blob => p("base64 data", quote!(#rt::parse_base64)),
        Ty::Named { kind: NamedKind::Enum, .. } => {
            let n = cx.ty(t);
            quote!(Ok::<#n, ::awsgen_runtime::ResponseError>(#n::from(#s)))
        }
        Ty::Named { kind: NamedKind::IntEnum, .. } => {
            let n = cx.ty(t);
            p("an integer", quote!(|s| s.parse::<i32>().ok().map(#n::from)))
        }
        _ => p("a value", quote!(|_| None)),
    }
}

/// A `&str` expression for a scalar outside the body (borrowing where the value is already text).
pub(super) fn to_str(t: &Ty, v: TokenStream, default_ts: TsFormat) -> TokenStream {
    match t {
        Ty::String | Ty::Named { kind: NamedKind::Enum, .. } => quote!(#v.as_str()),
        _ => {
            let s = to_string(t, v, default_ts, false);
            quote!(&#s)
        }
    }
}

fn is_http_date_list_item(t: &Ty) -> bool {
    matches!(t, Ty::Timestamp(None | Some(TsFormat::HttpDate)))
}

/// The body of `serialize_request`: the HTTP bindings, then the body.
fn serialize_request(op: &Operation, codec: Codec<'_>) -> TokenStream {
    let rt = rt();
    let rest_rt = rest();
    let input = &op.input;
    let http = op.http.clone().unwrap_or(Http { method: "POST".into(), uri: "/".into(), code: 200 });
    let method = &http.method;
    let (path, query) = http.uri.split_once('?').unwrap_or((&http.uri, ""));
    let mut steps = Vec::new();
    // Path: literal text and labels.
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let lit = &rest[..open];
        if !lit.is_empty() {
            steps.push(quote!(req.push_path(#lit);));
        }
        let close = rest[open..].find('}').map_or(rest.len(), |c| open + c);
        let label = &rest[open + 1..close];
        let (label, greedy) = match label.strip_suffix('+') {
            Some(l) => (l, true),
            None => (label, false),
        };
        if let Some(f) = input.fields.iter().find(|f| f.member == label) {
            let fid = field_ident(f);
            let get = if f.optional() {
                quote!(input.#fid.as_ref().ok_or(#rt::SerializeError::MissingLabel(#label))?)
            } else {
                quote!(&input.#fid)
            };
            let s = to_str(&f.ty, quote!(v), TsFormat::DateTime);
            let s = match op.label_defaults.iter().find(|(m, _)| m == label) {
                Some((_, default)) => quote!(match #s { "" => #default, v => v }),
                None => s,
            };
            steps.push(quote! {
                let v = #get;
                req.push_label(#label, #s, #greedy)?;
            });
        }
        rest = &rest[(close + 1).min(rest.len())..];
    }
    if !rest.is_empty() {
        steps.push(quote!(req.push_path(#rest);));
    }
    for lit in query.split('&').filter(|q| !q.is_empty()) {
        steps.push(quote!(req.push_query_literal(#lit);));
    }
    let bound_query: Vec<&str> = input
        .fields
        .iter()
        .filter_map(|f| match &f.binding {
            Binding::Query(n) => Some(n.as_str()),
            _ => None,
        })
        .chain(query.split('&').filter(|q| !q.is_empty()).map(|q| q.split('=').next().unwrap_or(q)))
        .collect();
    // Specific headers first: prefix headers never replace them.
    let (prefix, other): (Vec<&Field>, Vec<&Field>) =
        input.fields.iter().partition(|f| matches!(f.binding, Binding::PrefixHeaders(_)));
    for f in other.into_iter().chain(prefix) {
        steps.push(bind_request_field(f, &bound_query, codec));
    }
    let has_body = input.fields.iter().any(|f| f.binding == Binding::Body);
    if input.fields.is_empty() {
        steps.push(quote!(let _ = input;));
    }
    if has_body {
        match codec {
            Codec::Json => {
                let fields: Vec<&Field> = input.fields.iter().filter(|f| f.binding == Binding::Body).collect();
                let body = json::write_body(&fields);
                steps.push(quote!(req.body("application/json", #body);));
            }
            Codec::Xml(service_ns) => {
                let x = xml::runtime();
                let body: Vec<&Field> = input.fields.iter().filter(|f| f.binding == Binding::Body).collect();
                let root = &input.xml.name;
                let ns = xml::ns_tokens(input.xml.namespace.as_ref().or(service_ns));
                let write = xml::write_struct(&body, &quote!(input), &quote!(#root), &ns);
                steps.push(quote! {
                    let mut writer = #x::XmlWriter::new();
                    {
                        let w = &mut writer;
                        #write
                    }
                    req.body("application/xml", writer.finish());
                });
            }
        }
    }
    let finish = finish(op);
    quote! {
        let mut req = #rest_rt::RequestBuilder::new(#method);
        #(#steps)*
        #finish
        req.build()
    }
}

/// Adds one non-body, non-label input member to the request.
fn bind_request_field(f: &Field, bound_query: &[&str], codec: Codec<'_>) -> TokenStream {
    let rest = rest();
    let fid = field_ident(f);
    let media = f.media_type.is_some();
    let body = match &f.binding {
        Binding::Query(name) => match &f.ty {
            Ty::List { item, sparse, .. } => {
                let s = to_str(item, quote!(v), TsFormat::DateTime);
                let each = if *sparse { quote!(v.iter().flatten()) } else { quote!(v.iter()) };
                quote!(for v in #each { req.push_query(#name, Some(#s)); })
            }
            t => {
                let s = to_str(t, quote!(v), TsFormat::DateTime);
                quote!(req.push_query(#name, Some(#s));)
            }
        },
        Binding::QueryParams => {
            let Ty::Map { value, .. } = &f.ty else { return quote!() };
            let push = match value.as_ref() {
                Ty::List { item, .. } => {
                    let s = to_str(item, quote!(item), TsFormat::DateTime);
                    quote!(for item in value.iter() { req.push_query(k.as_str(), Some(#s)); })
                }
                t => {
                    let s = to_str(t, quote!(value), TsFormat::DateTime);
                    quote!(req.push_query(k.as_str(), Some(#s));)
                }
            };
            let value_pat = if matches!(f.ty, Ty::Map { sparse: true, .. }) {
                quote!(let Some(value) = value else { continue };)
            } else {
                quote!()
            };
            quote! {
                for (k, value) in v.iter() {
                    if [#(#bound_query),*].contains(&k.as_str()) {
                        continue;
                    }
                    #value_pat
                    #push
                }
            }
        }
        Binding::Header(name) => match &f.ty {
            Ty::List { item, .. } => {
                let s = to_string(item, quote!(v), TsFormat::HttpDate, media);
                let item_expr = if is_http_date_list_item(item)
                    || !matches!(item.as_ref(), Ty::String | Ty::Named { kind: NamedKind::Enum, .. })
                {
                    s
                } else {
                    quote!(#rest::quote_header_item(&#s))
                };
                quote! {
                    let items: Vec<String> = v.iter().map(|v| #item_expr).collect();
                    req.header(#name, items.join(", "));
                }
            }
            t => {
                let s = match t {
                    Ty::String | Ty::Named { kind: NamedKind::Enum, .. } if !media => quote!(v.as_str()),
                    _ => to_string(t, quote!(v), TsFormat::HttpDate, media),
                };
                quote!(req.header(#name, #s);)
            }
        },
        Binding::PrefixHeaders(prefix) => {
            quote! {
                for (k, value) in v.iter() {
                    let name = format!("{}{}", #prefix, k);
                    if !req.has_header(&name) {
                        req.header(name, value.as_str());
                    }
                }
            }
        }
        Binding::Payload => match &f.ty {
            Ty::ByteStream => {
                let ct = f.media_type.clone().unwrap_or_else(|| "application/octet-stream".into());
                quote!(req.byte_stream(#ct, v);)
            }
            Ty::Blob => {
                let ct = f.media_type.clone().unwrap_or_else(|| "application/octet-stream".into());
                quote!(req.body(#ct, v.clone());)
            }
            Ty::String => {
                let ct = f.media_type.clone().unwrap_or_else(|| "text/plain".into());
                quote!(req.body(#ct, v.clone().into_bytes());)
            }
            Ty::Named { kind: NamedKind::Enum, .. } => {
                let ct = f.media_type.clone().unwrap_or_else(|| "text/plain".into());
                quote!(req.body(#ct, v.as_str().as_bytes().to_vec());)
            }
            _ if matches!(codec, Codec::Xml(_)) => {
                // The root is the member's `@xmlName`, else the target's own element name.
                let x = xml::runtime();
                let t = quote!(<_ as #x::ToXml>);
                let element = if f.xml.name.name != f.member {
                    {
                        let n = &f.xml.name.name;
                        quote!(#n)
                    }
                } else {
                    quote!(#x::element_of(v))
                };
                let write = quote! {
                    let mut writer = #x::XmlWriter::new();
                    #t::write_xml(v, &mut writer, #element, #x::namespace_of(v))?;
                    req.body("application/xml", writer.finish());
                };
                return if f.optional() {
                    quote!(if let Some(v) = &input.#fid { #write })
                } else {
                    quote!({ let v = &input.#fid; #write })
                };
            }
            _ => {
                // An unset structure payload is sent as `{}`; an unset union or document as nothing.
                let json = json::runtime();
                let set = quote!(req.body("application/json", #json::to_json(v)?););
                let is_struct = matches!(f.ty, Ty::Named { kind: NamedKind::Struct, .. });
                return if f.optional() && is_struct {
                    quote! {
                        match &input.#fid {
                            Some(v) => { #set }
                            None => req.body("application/json", b"{}".to_vec()),
                        }
                    }
                } else if f.optional() {
                    quote!(if let Some(v) = &input.#fid { #set })
                } else {
                    quote!({ let v = &input.#fid; #set })
                };
            }
        },
        Binding::Body | Binding::Label | Binding::ResponseCode => return quote!(),
    };
    if f.optional() {
        quote!(if let Some(v) = &input.#fid { #body })
    } else {
        quote!({ let v = &input.#fid; #body })
    }
}

/// The body of a function returning `Result<Struct, ResponseError>` that reads the structure
/// from `response: &Response` with `h: Headers`: the JSON body, then bound headers, status and
/// payload. `always_body` parses the body even when no member is bound to it.
pub fn read_struct(cx: Scope<'_>, s: &StructDef, always_body: bool, codec: Codec<'_>) -> TokenStream {
    let rest = rest();
    let json = json::runtime();
    let name = quote::format_ident!("{}", s.name);
    let has_body = s.fields.iter().any(|f| f.binding == Binding::Body);
    let parse_body = has_body || always_body;
    let mut steps = Vec::new();
    for f in &s.fields {
        let fid = field_ident(f);
        let media = f.media_type.is_some();
        let wrap = |e: TokenStream| if f.optional() { quote!(Some(#e)) } else { e };
        let wrap_box = |e: TokenStream| if f.boxed { quote!(Box::new(#e)) } else { e };
        let step = match &f.binding {
            Binding::Header(hname) => {
                let value = match &f.ty {
                    Ty::List { item, .. } => {
                        let split = if is_http_date_list_item(item) {
                            quote!(#rest::split_http_date_list(&s))
                        } else {
                            quote!(#rest::split_header_list(&s))
                        };
                        let p = parse_scalar(cx, item, hname, quote!(item.as_str()), TsFormat::HttpDate, media);
                        let collect_ty = cx.ty(&f.ty);
                        quote!(#split.into_iter().map(|item| #p).collect::<Result<#collect_ty, _>>()?)
                    }
                    t => {
                        let p = parse_scalar(cx, t, hname, quote!(s.as_str()), TsFormat::HttpDate, media);
                        quote!(#p?)
                    }
                };
                let value = wrap(value);
                quote! {
                    if let Some(s) = h.get(#hname)? {
                        out.#fid = #value;
                    }
                }
            }
            Binding::PrefixHeaders(prefix) => {
                // Set even when no header has the prefix: an empty map, as the SDKs give.
                let value = wrap(quote!(h.with_prefix(#prefix)?.into_iter().collect()));
                quote!(out.#fid = #value;)
            }
            Binding::ResponseCode => {
                let value = wrap(quote!(i32::from(h.status())));
                quote!(out.#fid = #value;)
            }
            Binding::Payload => {
                let value = match &f.ty {
                    Ty::ByteStream => quote!(::awsgen_runtime::body::ByteStream::new(response.body().clone())),
                    Ty::Blob => quote!(response.body().to_vec()),
                    Ty::String => quote!(String::from_utf8(response.body().to_vec()).map_err(|e| {
                        ::awsgen_runtime::ResponseError {
                            status: response.status().as_u16(),
                            message: format!("payload is not UTF-8: {e}"),
                        }
                    })?),
                    Ty::Named { kind: NamedKind::Enum, .. } => {
                        let n = cx.ty(&f.ty);
                        quote!(#n::from(String::from_utf8_lossy(response.body()).as_ref()))
                    }
                    t if matches!(codec, Codec::Xml(_)) => {
                        let x = xml::runtime();
                        let ty = cx.ty(t);
                        wrap_box(quote! {
                            match &#x::parse(response)? {
                                Some(doc) => <#ty as #x::FromXml>::from_xml(doc.root_element())
                                    .map_err(|e| e.into_response_error(response.status().as_u16()))?,
                                None => Default::default(),
                            }
                        })
                    }
                    _ => wrap_box(quote!(#json::parse_json_body(response.status().as_u16(), response.body())?)),
                };
                let value = wrap(value);
                quote! {
                    if !response.body().is_empty() {
                        out.#fid = #value;
                    }
                }
            }
            _ => continue,
        };
        steps.push(step);
    }
    let status = quote!(response.status().as_u16());
    let uses_h = s
        .fields
        .iter()
        .any(|f| matches!(f.binding, Binding::Header(_) | Binding::PrefixHeaders(_) | Binding::ResponseCode));
    let h = if uses_h { quote!(let h = #rest::Headers::of(response);) } else { quote!() };
    // Query and label bindings mean nothing in a response: such members are read from the body.
    let xml_body: Vec<&Field> = s
        .fields
        .iter()
        .filter(|f| matches!(f.binding, Binding::Body | Binding::Query(_) | Binding::QueryParams | Binding::Label))
        .collect();
    if matches!(codec, Codec::Xml(_)) && (parse_body || !xml_body.is_empty()) {
        // The body members, from the root element (errors: from `<Error>`).
        let x = xml::runtime();
        let body = xml_body;
        let message = match &s.role {
            Role::Error(e) => e.message_field.as_deref(),
            _ => None,
        };
        let read = xml::read_fields(cx, &quote!(#name), &body, message);
        let element = if matches!(s.role, Role::Error(_)) {
            quote!(doc.as_ref().and_then(#x::error_element))
        } else {
            quote!(doc.as_ref().map(|d| d.root_element()))
        };
        let mutable = (!steps.is_empty()).then(|| quote!(mut));
        return quote! {
            fn read_body(node: #x::Node<'_, '_>) -> Result<#name, #x::XmlError> {
                #read
            }
            #h
            let doc = #x::parse(response)?;
            let #mutable out = match #element {
                Some(node) => read_body(node).map_err(|e| e.into_response_error(#status))?,
                None => #name::default(),
            };
            #(#steps)*
            Ok(out)
        };
    }
    let parse = json::parse_body(cx, s);
    match (steps.is_empty(), parse_body) {
        (true, true) => json::parse_body(cx, s),
        (true, false) => quote! {
            let _ = response;
            Ok(#name::default())
        },
        (false, true) => quote! {
            #h
            let mut out: #name = #parse?;
            #(#steps)*
            Ok(out)
        },
        (false, false) => quote! {
            #h
            let mut out = #name::default();
            #(#steps)*
            Ok(out)
        },
    }
}
