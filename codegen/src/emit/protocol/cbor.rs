//! Smithy RPC v2 CBOR: every input member in a CBOR map posted to
//! `/service/<Service>/operation/<Operation>`; outputs and errors read from CBOR maps, errors
//! named by `__type`. Each structure and union gets `ToCbor` (when an input reaches it) and
//! `FromCbor` impls.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{finish, ProtocolGen};
use crate::emit::common::{field_ident, Scope};
use crate::ir::*;

fn runtime() -> TokenStream {
    quote!(::awsgen_runtime::protocol::cbor)
}

/// smithy.protocols#rpcv2Cbor.
pub struct RpcV2Cbor;

impl ProtocolGen for RpcV2Cbor {
    fn serialize_request(&self, service: &Service, op: &Operation) -> TokenStream {
        let c = runtime();
        let path = format!("/service/{}/operation/{}", service.shape_name, op.wire_name);
        let query_mode = service.query_compatible.then(|| quote!(req.header("x-amzn-query-mode", "true");));
        // A `Unit` input sends no body at all; any structure, even an empty one, a map.
        let body = if op.input.shape_id == "smithy.api#Unit" {
            quote!(let _ = input;)
        } else {
            let fields: Vec<&Field> = op.input.fields.iter().collect();
            let map = write_map(&fields, &quote!(input));
            quote! {
                let value = { #map };
                req.body(#c::CONTENT_TYPE, #c::encode(&value)?);
            }
        };
        let finish = finish(op);
        quote! {
            let mut req = ::awsgen_runtime::protocol::rest::RequestBuilder::new("POST");
            req.push_path(#path);
            req.header("smithy-protocol", "rpc-v2-cbor");
            req.header("Accept", #c::CONTENT_TYPE);
            #query_mode
            #body
            #finish
            req.build()
        }
    }

    fn read_struct(&self, cx: Scope<'_>, s: &StructDef) -> TokenStream {
        let c = runtime();
        let name = format_ident!("{}", s.name);
        let fields: Vec<&Field> = s.fields.iter().collect();
        let read = read_map(cx, &quote!(#name), &fields);
        quote! {
            fn read(v: &#c::Value) -> Result<#name, #c::CborError> {
                #read
            }
            match #c::parse(response)? {
                Some(v) => read(&v).map_err(|e| e.into_response_error(response.status().as_u16())),
                None => Ok(#name::default()),
            }
        }
    }

    fn error_info(&self) -> TokenStream {
        let c = runtime();
        quote!(#c::error_info)
    }

    fn type_impls(&self, cx: Scope<'_>, def: &TypeDef) -> TokenStream {
        let c = runtime();
        let se = quote!(::awsgen_runtime::protocol::SerializeError);
        match def {
            TypeDef::Struct(s) => {
                let name = format_ident!("{}", s.name);
                let fields: Vec<&Field> = s.fields.iter().collect();
                let read = read_map(cx, &quote!(Self), &fields);
                let to = s.validated.then(|| {
                    let map = write_map(&fields, &quote!(self));
                    quote! {
                        impl #c::ToCbor for #name {
                            fn to_cbor(&self) -> Result<#c::Value, #se> {
                                Ok({ #map })
                            }
                        }
                    }
                });
                quote! {
                    impl #c::FromCbor for #name {
                        fn from_cbor(v: &#c::Value) -> Result<Self, #c::CborError> {
                            #read
                        }
                    }
                    #to
                }
            }
            TypeDef::Union(u) => {
                let name = format_ident!("{}", u.name);
                let label = &u.name;
                let read_arms = u.variants.iter().map(|var| {
                    let vname = format_ident!("{}", var.name);
                    let key = &var.member;
                    match &var.ty {
                        None => quote!(#key => return Ok(Self::#vname),),
                        Some(t) => {
                            let r = read_value(cx, t, &quote!(v));
                            let r = if var.boxed { quote!(Box::new(#r)) } else { r };
                            quote!(#key => return Ok(Self::#vname(#r.map_err(|e| e.within(#key))?)),)
                        }
                    }
                });
                let to = u.validated.then(|| {
                    let arms = u.variants.iter().map(|var| {
                        let vname = format_ident!("{}", var.name);
                        let key = &var.member;
                        match &var.ty {
                            None => quote!(Self::#vname => (#key, #c::Value::Map(Vec::new())),),
                            Some(t) => {
                                let w = write_value(t, &quote!(v));
                                quote!(Self::#vname(v) => (#key, #w),)
                            }
                        }
                    });
                    quote! {
                        impl #c::ToCbor for #name {
                            fn to_cbor(&self) -> Result<#c::Value, #se> {
                                let (key, value) = match self {
                                    #(#arms)*
                                    Self::Unknown(k) => return Err(::awsgen_runtime::protocol::query::unknown_union_member(#label, k)),
                                };
                                Ok(#c::Value::Map(vec![(#c::Value::Text(key.to_owned()), value)]))
                            }
                        }
                    }
                });
                quote! {
                    impl #c::FromCbor for #name {
                        fn from_cbor(v: &#c::Value) -> Result<Self, #c::CborError> {
                            for (k, v) in #c::entries(v)? {
                                if v.is_null() {
                                    continue;
                                }
                                match k {
                                    #(#read_arms)*
                                    _ => {}
                                }
                            }
                            Ok(Self::Unknown(#c::entries(v)?.next().map(|(k, _)| k.to_owned()).unwrap_or_default()))
                        }
                    }
                    #to
                }
            }
            TypeDef::Enum(_) => TokenStream::new(),
        }
    }
}

/// A `Result<T, CborError>` expression reading `t` from `v` (a `&Value`).
fn read_value(cx: Scope<'_>, t: &Ty, v: &TokenStream) -> TokenStream {
    let c = runtime();
    match t {
        Ty::String => quote!(#c::string(#v)),
        Ty::Bool => quote!(#c::boolean(#v)),
        Ty::I8 => quote!(#c::int::<i8>(#v)),
        Ty::I16 => quote!(#c::int::<i16>(#v)),
        Ty::I32 => quote!(#c::int::<i32>(#v)),
        Ty::I64 => quote!(#c::int::<i64>(#v)),
        Ty::F32 => quote!(#c::float(#v).map(|f| f as f32)),
        Ty::F64 => quote!(#c::float(#v)),
        Ty::BigInteger => quote!(#c::big_integer(#v)),
        Ty::BigDecimal => quote!(#c::big_decimal(#v)),
        Ty::Blob => quote!(#c::blob(#v)),
        Ty::Timestamp(_) => quote!(#c::timestamp(#v)),
        Ty::Document => quote!(Err::<::awsgen_runtime::Document, _>(#c::CborError::unsupported("documents"))),
        // Lowering keeps streaming blobs to HTTP payloads, which CBOR bodies never hold.
        Ty::ByteStream => {
            quote!(Err::<::awsgen_runtime::body::ByteStream, _>(#c::CborError::unsupported("streaming bodies")))
        }
        Ty::Named { kind: NamedKind::Enum, .. } => {
            let e = cx.ty(t);
            quote!(#c::string(#v).map(|s| #e::from(s.as_str())))
        }
        Ty::Named { kind: NamedKind::IntEnum, .. } => {
            let e = cx.ty(t);
            quote!(#c::int::<i32>(#v).map(#e::from))
        }
        Ty::Named { .. } => {
            let s = cx.ty(t);
            quote!(<#s as #c::FromCbor>::from_cbor(#v))
        }
        Ty::List { item, sparse, .. } => {
            let r = read_value(cx, item, &quote!(v));
            let r = if *sparse { quote!(#c::nullable(v, |v| #r)) } else { r };
            quote!(#c::list(#v, |v| #r))
        }
        Ty::Map { value, sparse, .. } => {
            let r = read_value(cx, value, &quote!(v));
            let r = if *sparse { quote!(#c::nullable(v, |v| #r)) } else { r };
            quote!(#c::map(#v, |v| #r))
        }
    }
}

/// Statements reading the map `v` into a `Default` `ty`, then `Ok(out)`.
fn read_map(cx: Scope<'_>, ty: &TokenStream, fields: &[&Field]) -> TokenStream {
    let c = runtime();
    if fields.is_empty() {
        return quote!(let _ = #c::entries(v)?; Ok(#ty::default()));
    }
    let arms = fields.iter().map(|f| {
        let fid = field_ident(f);
        let key = &f.member;
        let r = read_value(cx, &f.ty, &quote!(v));
        let r = quote!(#r.map_err(|e| e.within(#key))?);
        let r = if f.boxed { quote!(Box::new(#r)) } else { r };
        let set = if f.optional() { quote!(out.#fid = Some(#r);) } else { quote!(out.#fid = #r;) };
        quote!(#key => { #set })
    });
    quote! {
        let mut out = #ty::default();
        for (k, v) in #c::entries(v)? {
            // `null` is an unset member.
            if v.is_null() {
                continue;
            }
            match k {
                #(#arms)*
                _ => {}
            }
        }
        Ok(out)
    }
}

/// A `Value` expression for `v` (a reference to a `t`); may use `?` on `SerializeError`.
fn write_value(t: &Ty, v: &TokenStream) -> TokenStream {
    let c = runtime();
    let se = quote!(::awsgen_runtime::protocol::SerializeError);
    match t {
        Ty::String => quote!(#c::Value::Text(#v.clone())),
        Ty::Bool => quote!(#c::Value::Bool(*#v)),
        Ty::I8 | Ty::I16 | Ty::I32 | Ty::I64 => quote!(#c::int_value(*#v)),
        Ty::F32 => quote!(#c::Value::Float(f64::from(*#v))),
        Ty::F64 => quote!(#c::Value::Float(*#v)),
        Ty::BigInteger => quote!(#c::big_integer_value(#v)?),
        Ty::BigDecimal => quote!(#c::big_decimal_value(#v)?),
        Ty::Blob => quote!(#c::Value::Bytes(#v.clone())),
        Ty::Timestamp(_) => quote!(#c::timestamp_value(#v)),
        Ty::Document => quote!({
            let _ = #v;
            return Err(#se::Body("documents cannot be sent in CBOR bodies".into()));
        }),
        Ty::ByteStream => quote!({
            let _ = #v;
            return Err(#se::Body("streaming bodies cannot be sent in CBOR bodies".into()));
        }),
        Ty::Named { kind: NamedKind::Enum, .. } => quote!(#c::Value::Text(#v.as_str().to_owned())),
        Ty::Named { kind: NamedKind::IntEnum, .. } => quote!(#c::int_value(#v.as_i32())),
        Ty::Named { .. } => quote!(#c::ToCbor::to_cbor(#v)?),
        Ty::List { item, sparse, .. } => {
            let w = write_value(item, &quote!(v));
            let item = if *sparse { quote!(match v { Some(v) => #w, None => #c::Value::Null }) } else { w };
            quote!(#c::Value::Array(#v.iter().map(|v| -> Result<#c::Value, #se> { Ok(#item) }).collect::<Result<Vec<_>, #se>>()?))
        }
        Ty::Map { value, sparse, .. } => {
            let w = write_value(value, &quote!(v));
            let val = if *sparse { quote!(match v { Some(v) => #w, None => #c::Value::Null }) } else { w };
            quote!(#c::Value::Map(
                #v.iter()
                    .map(|(k, v)| -> Result<(#c::Value, #c::Value), #se> { Ok((#c::Value::Text(k.as_str().to_owned()), #val)) })
                    .collect::<Result<Vec<_>, #se>>()?
            ))
        }
    }
}

/// Statements building the map of `this`'s `fields` that are set, ending in the `Value`.
fn write_map(fields: &[&Field], this: &TokenStream) -> TokenStream {
    let c = runtime();
    let pushes = fields.iter().map(|f| {
        let fid = field_ident(f);
        let key = &f.member;
        let w = write_value(&f.ty, &quote!(v));
        if f.optional() {
            quote!(if let Some(v) = &#this.#fid { m.push((#c::Value::Text(#key.to_owned()), #w)); })
        } else {
            quote!({ let v = &#this.#fid; m.push((#c::Value::Text(#key.to_owned()), #w)); })
        }
    });
    quote! {
        #[allow(unused_mut)]
        let mut m: Vec<(#c::Value, #c::Value)> = Vec::new();
        #(#pushes)*
        #c::Value::Map(m)
    }
}
