//! JSON bodies and the awsJson protocols (awsJson1_0, awsJson1_1): every input member in a
//! JSON body posted to `/`, the operation named in `X-Amz-Target`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{finish, rest, ProtocolGen};
use crate::emit::common::{field_ident, Scope};
use crate::ir::*;

/// The runtime module of JSON bodies.
pub fn runtime() -> TokenStream {
    quote!(::awsgen_runtime::protocol::json)
}

/// The JSON protocols' error-code extraction.
pub fn error_info() -> TokenStream {
    let json = runtime();
    quote!(#json::error_info)
}

/// awsJson1_0 or awsJson1_1.
pub struct AwsJson {
    /// `1.0` or `1.1`: the content type's version.
    pub version: &'static str,
}

impl ProtocolGen for AwsJson {
    fn serialize_request(&self, service: &Service, op: &Operation) -> TokenStream {
        let target = format!("{}.{}", service.shape_name, op.wire_name);
        let ct = format!("application/x-amz-json-{}", self.version);
        let finish = finish(op);
        let query_mode = service.query_compatible.then(|| quote!(req.header("x-amzn-query-mode", "true");));
        let fields: Vec<&Field> = op.input.fields.iter().collect();
        let body = write_body(&fields);
        quote! {
            let mut req = ::awsgen_runtime::protocol::rest::RequestBuilder::new("POST");
            req.push_path("/");
            req.header("X-Amz-Target", #target);
            #query_mode
            req.body(#ct, #body);
            #finish
            req.build()
        }
    }

    fn read_struct(&self, cx: Scope<'_>, s: &StructDef) -> TokenStream {
        // No member is bound outside the body, so this reads the body alone.
        rest::read_struct(cx, s, true, rest::Codec::Json)
    }

    fn error_info(&self) -> TokenStream {
        error_info()
    }

    fn type_impls(&self, cx: Scope<'_>, def: &TypeDef) -> TokenStream {
        type_impls(cx, def)
    }
}

/// A `Vec<u8>` expression: the JSON object of `input`'s `fields` (may use `?` on
/// `SerializeError`).
pub fn write_body(fields: &[&Field]) -> TokenStream {
    let j = runtime();
    if fields.is_empty() {
        return quote!({
            let _ = input;
            b"{}".to_vec()
        });
    }
    let write = write_object(fields, &quote!(input));
    quote!({
        let mut writer = #j::JsonWriter::new();
        let w = &mut writer;
        #write
        writer.finish()?
    })
}

/// The `ToJson` and `FromJson` impls of a type in `types`: writers for the types requests
/// reach, readers for those responses reach, and `JsonKey` for enums (map keys).
pub fn type_impls(cx: Scope<'_>, def: &TypeDef) -> TokenStream {
    let j = runtime();
    match def {
        TypeDef::Struct(s) => {
            let name = format_ident!("{}", s.name);
            let fields: Vec<&Field> = s.fields.iter().filter(|f| f.binding == Binding::Body).collect();
            let to = s.validated.then(|| {
                let write = write_object(&fields, &quote!(self));
                quote! {
                    impl #j::ToJson for #name {
                        fn write_json(&self, w: &mut #j::JsonWriter) {
                            #write
                        }
                    }
                }
            });
            let from = s.parsed.then(|| {
                let read = read_object(cx, &quote!(Self), &fields);
                quote! {
                    impl #j::FromJson for #name {
                        fn read_json(r: &mut #j::JsonReader<'_>) -> Result<Self, #j::JsonError> {
                            #read
                        }
                    }
                }
            });
            quote!(#to #from)
        }
        TypeDef::Union(u) => {
            let name = format_ident!("{}", u.name);
            let label = &u.name;
            let to = u.validated.then(|| {
                let arms = u.variants.iter().map(|var| {
                    let vname = format_ident!("{}", var.name);
                    let key = &var.wire;
                    match &var.ty {
                        None => quote!(Self::#vname => { w.key(#key); w.begin_object(); w.end_object(); }),
                        Some(t) => {
                            let v = if var.boxed { quote!(&**v) } else { quote!(v) };
                            let write = write_value(t, &v);
                            quote!(Self::#vname(v) => { w.key(#key); #write })
                        }
                    }
                });
                quote! {
                    impl #j::ToJson for #name {
                        fn write_json(&self, w: &mut #j::JsonWriter) {
                            w.begin_object();
                            match self {
                                #(#arms)*
                                Self::Unknown(k) => w.fail(#j::unknown_union_member(#label, k)),
                            }
                            w.end_object();
                        }
                    }
                }
            });
            let from = u.parsed.then(|| {
                let arms = u.variants.iter().map(|var| {
                    let vname = format_ident!("{}", var.name);
                    let key = &var.wire;
                    match &var.ty {
                        None => quote!(#key => { r.skip()?; Self::#vname }),
                        Some(t) => {
                            let read = read_value(cx, t);
                            let read = if var.boxed { quote!(Box::new(#read?)) } else { quote!(#read?) };
                            quote!(#key => Self::#vname(#read),)
                        }
                    }
                });
                let many = format!("union {label} has more than one member set");
                let none = format!("union {label} has no member set");
                quote! {
                    impl #j::FromJson for #name {
                        fn read_json(r: &mut #j::JsonReader<'_>) -> Result<Self, #j::JsonError> {
                            let mut out = None;
                            r.object()?;
                            while let Some(k) = r.next_key()? {
                                if r.null()? {
                                    continue;
                                }
                                let v = match &*k {
                                    "__type" => {
                                        r.skip()?;
                                        continue;
                                    }
                                    #(#arms)*
                                    other => {
                                        r.skip()?;
                                        Self::Unknown(other.to_owned())
                                    }
                                };
                                if out.replace(v).is_some() {
                                    return Err(r.error(#many));
                                }
                            }
                            out.ok_or_else(|| r.error(#none))
                        }
                    }
                }
            });
            quote!(#to #from)
        }
        TypeDef::Enum(e) if e.int => TokenStream::new(),
        TypeDef::Enum(e) => {
            let name = format_ident!("{}", e.name);
            quote! {
                impl #j::JsonKey for #name {
                    fn as_key(&self) -> &str {
                        self.as_str()
                    }
                    fn from_key(key: &str) -> Self {
                        Self::from(key)
                    }
                }
            }
        }
    }
}

/// Statements writing `v` (an expression of type `&T`, `T` the Rust type of `t`) to `w`.
pub fn write_value(t: &Ty, v: &TokenStream) -> TokenStream {
    let j = runtime();
    match t {
        Ty::String => quote!(w.string(#v);),
        Ty::Bool => quote!(w.bool(*#v);),
        Ty::I8 | Ty::I16 | Ty::I32 => quote!(w.int(i64::from(*#v));),
        Ty::I64 => quote!(w.int(*#v);),
        Ty::F32 => quote!(w.f32(*#v);),
        Ty::F64 => quote!(w.f64(*#v);),
        Ty::BigInteger | Ty::BigDecimal => quote!(w.big_number(#v.as_str());),
        Ty::Blob => quote!(w.blob(#v);),
        Ty::Timestamp(f) => {
            let f = rest::ts_format(f.unwrap_or(TsFormat::EpochSeconds));
            quote!(w.timestamp(#v, #f);)
        }
        Ty::Document => quote!(w.document(#v);),
        // Lowering keeps streaming blobs to HTTP payloads, which are never inside a JSON body.
        Ty::ByteStream => quote! {
            let _ = #v;
            w.fail(::awsgen_runtime::protocol::SerializeError::Body("a streaming body cannot be part of a JSON body".into()));
        },
        Ty::Named { kind: NamedKind::Enum, .. } => quote!(w.string(#v.as_str());),
        Ty::Named { kind: NamedKind::IntEnum, .. } => quote!(w.int(i64::from(#v.as_i32()));),
        Ty::Named { .. } => quote!(#j::ToJson::write_json(#v, w);),
        Ty::List { item, sparse, .. } => {
            let write = write_value(item, &quote!(v));
            let f = if *sparse { quote!(write_sparse_list) } else { quote!(write_list) };
            quote!(#j::#f(w, #v, |w, v| { #write });)
        }
        Ty::Map { value, sparse, .. } => {
            let write = write_value(value, &quote!(v));
            let f = if *sparse { quote!(write_sparse_map) } else { quote!(write_map) };
            quote!(#j::#f(w, #v, |w, v| { #write });)
        }
    }
}

/// Statements writing `this`'s body `fields` as an object to `w` (unset members left out).
pub fn write_object(fields: &[&Field], this: &TokenStream) -> TokenStream {
    let members = fields.iter().map(|f| {
        let fid = field_ident(f);
        let key = &f.wire;
        let v = if f.boxed { quote!(&**v) } else { quote!(v) };
        let write = write_value(&f.ty, &v);
        if f.optional() {
            quote!(if let Some(v) = &#this.#fid { w.key(#key); #write })
        } else {
            quote!({ let v = &#this.#fid; w.key(#key); #write })
        }
    });
    quote! {
        w.begin_object();
        #(#members)*
        w.end_object();
    }
}

/// A `Result<T, JsonError>` expression reading a `t` from `r`.
pub fn read_value(cx: Scope<'_>, t: &Ty) -> TokenStream {
    let j = runtime();
    match t {
        Ty::String => quote!(r.string()),
        Ty::Bool => quote!(r.bool()),
        Ty::I8 => quote!(r.int::<i8>()),
        Ty::I16 => quote!(r.int::<i16>()),
        Ty::I32 => quote!(r.int::<i32>()),
        Ty::I64 => quote!(r.int::<i64>()),
        Ty::F32 => quote!(r.f32()),
        Ty::F64 => quote!(r.f64()),
        Ty::BigInteger => quote!(r.big_integer()),
        Ty::BigDecimal => quote!(r.big_decimal()),
        Ty::Blob => quote!(r.blob()),
        Ty::Timestamp(f) => {
            let f = rest::ts_format(f.unwrap_or(TsFormat::EpochSeconds));
            quote!(r.timestamp(#f))
        }
        Ty::Document => quote!(r.document()),
        Ty::ByteStream => {
            quote!(Err::<::awsgen_runtime::body::ByteStream, _>(
                r.error("a streaming body cannot be part of a JSON body")
            ))
        }
        Ty::Named { kind: NamedKind::Enum, .. } => {
            let e = cx.ty(t);
            quote!(#j::read_enum::<#e>(r))
        }
        Ty::Named { kind: NamedKind::IntEnum, .. } => {
            let e = cx.ty(t);
            quote!(r.int::<i32>().map(#e::from))
        }
        Ty::Named { .. } => {
            let s = cx.ty(t);
            quote!(<#s as #j::FromJson>::read_json(r))
        }
        Ty::List { item, sparse, .. } => {
            let read = item_reader(cx, item);
            let f = if *sparse { quote!(read_sparse_list) } else { quote!(read_list) };
            quote!(#j::#f(r, #read))
        }
        Ty::Map { value, sparse, .. } => {
            let read = item_reader(cx, value);
            let f = if *sparse { quote!(read_sparse_map) } else { quote!(read_map) };
            quote!(#j::#f(r, #read))
        }
    }
}

/// What reads one item of a list or map: a function path where there is one (every list of
/// strings, of an enum or of a structure then shares one instance of `read_list`), else a
/// closure.
fn item_reader(cx: Scope<'_>, t: &Ty) -> TokenStream {
    let j = runtime();
    match t {
        Ty::String => quote!(#j::JsonReader::string),
        Ty::Named { kind: NamedKind::Enum, .. } => {
            let e = cx.ty(t);
            quote!(#j::read_enum::<#e>)
        }
        Ty::Named { kind: NamedKind::Struct | NamedKind::Union, .. } => {
            let s = cx.ty(t);
            quote!(<#s as #j::FromJson>::read_json)
        }
        _ => {
            let read = read_value(cx, t);
            quote!(|r| #read)
        }
    }
}

/// Statements reading an object from `r` into a `Default` `ty` with body `fields` (`null` is an
/// unset member, unknown members are skipped), then `Ok(out)`.
pub fn read_object(cx: Scope<'_>, ty: &TokenStream, fields: &[&Field]) -> TokenStream {
    if fields.is_empty() {
        return quote! {
            r.skip()?;
            Ok(#ty::default())
        };
    }
    let keys = fields.iter().map(|f| &f.wire);
    let arms = fields.iter().enumerate().map(|(i, f)| {
        let fid = field_ident(f);
        let read = read_value(cx, &f.ty);
        let read = quote!(::awsgen_runtime::try_read!(#read));
        let read = if f.boxed { quote!(Box::new(#read)) } else { read };
        let set = if f.optional() { quote!(Some(#read)) } else { read };
        let i = proc_macro2::Literal::usize_unsuffixed(i);
        quote!(#i => out.#fid = #set,)
    });
    quote! {
        let mut out = #ty::default();
        r.fields(&[#(#keys),*], &mut |r, i| {
            match i {
                #(#arms)*
                _ => {}
            }
            Ok(())
        })?;
        Ok(out)
    }
}

/// A `Result<S, ResponseError>` expression reading the JSON body of `response` into `s`:
/// through its `FromJson` impl, or inline for an operation output (which has none).
pub fn parse_body(cx: Scope<'_>, s: &StructDef) -> TokenStream {
    let j = runtime();
    let name = format_ident!("{}", s.name);
    let status = quote!(response.status().as_u16());
    if matches!(s.role, Role::Output) {
        let fields: Vec<&Field> = s.fields.iter().filter(|f| f.binding == Binding::Body).collect();
        let read = read_object(cx, &quote!(#name), &fields);
        quote!(#j::parse_json_with(#status, response.body(), |r| { #read }))
    } else {
        quote!(#j::parse_json_body::<#name>(#status, response.body()))
    }
}
