//! Reading XML bodies (awsQuery, ec2Query and restXml responses): a `FromXml` impl for each
//! structure and union, and the same member-reading code for operation outputs and errors.
//!
//! Each member is matched by its element name (`@xmlName`, else the member name); flattened
//! lists and maps repeat their element in place of a wrapper; `@xmlAttribute` members come from
//! the structure element's attributes.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::common::{field_ident, Scope};
use crate::ir::*;

pub fn runtime() -> TokenStream {
    quote!(::awsgen_runtime::protocol::xml)
}

fn ts_format(f: Option<TsFormat>) -> TokenStream {
    let rt = super::rt();
    match f.unwrap_or(TsFormat::DateTime) {
        TsFormat::EpochSeconds => quote!(#rt::TimestampFormat::EpochSeconds),
        TsFormat::DateTime => quote!(#rt::TimestampFormat::DateTime),
        TsFormat::HttpDate => quote!(#rt::TimestampFormat::HttpDate),
    }
}

/// An expression of type `Result<T, XmlError>` reading `t` from the element `n` (an identifier
/// of type `Node`).
fn read_value(cx: Scope<'_>, t: &Ty, n: &TokenStream) -> TokenStream {
    let xml = runtime();
    match t {
        Ty::String => quote!(#xml::string(#n)),
        Ty::Bool => quote!(#xml::boolean(#n)),
        Ty::I8 => quote!(#xml::int::<i8>(#n)),
        Ty::I16 => quote!(#xml::int::<i16>(#n)),
        Ty::I32 => quote!(#xml::int::<i32>(#n)),
        Ty::I64 => quote!(#xml::int::<i64>(#n)),
        Ty::F32 => quote!(#xml::float32(#n)),
        Ty::F64 => quote!(#xml::float(#n)),
        Ty::BigInteger => quote!(#xml::big_integer(#n)),
        Ty::BigDecimal => quote!(#xml::big_decimal(#n)),
        Ty::Blob => quote!(#xml::blob(#n)),
        Ty::Timestamp(f) => {
            let f = ts_format(*f);
            quote!(#xml::timestamp(#n, #f))
        }
        Ty::Document => quote!(#xml::unsupported(#n, "a document")),
        Ty::Named { kind: NamedKind::Enum, .. } => {
            let e = cx.ty(t);
            quote!(Ok::<_, #xml::XmlError>(#e::from(#xml::text(#n).as_str())))
        }
        Ty::Named { kind: NamedKind::IntEnum, .. } => {
            let e = cx.ty(t);
            quote!(#xml::int::<i32>(#n).map(#e::from))
        }
        Ty::Named { .. } => {
            let s = cx.ty(t);
            quote!(<#s as #xml::FromXml>::from_xml(#n))
        }
        Ty::List { item, sparse, member } => {
            let m = &member.name;
            let read = item_read(cx, item, *sparse);
            quote!(#xml::list(#n, #m, |n| #read))
        }
        Ty::Map { key, value, sparse, names } => {
            let (k, v) = (&names.0.name, &names.1.name);
            let rk = read_value(cx, key, &quote!(n));
            let rv = item_read(cx, value, *sparse);
            quote!(#xml::map(#n, #k, #v, |n| #rk, |n| #rv))
        }
    }
}

/// Reads a list item or map value from `n`: sparse collections hold `Some`.
fn item_read(cx: Scope<'_>, t: &Ty, sparse: bool) -> TokenStream {
    let r = read_value(cx, t, &quote!(n));
    if sparse {
        quote!(#r.map(Some))
    } else {
        r
    }
}

/// Statements that fill `out` (a `Default` value of the structure `ty`) from the element
/// `node`, then `Ok(out)`; with no members, `Ok(Default::default())`. `message`, for errors, is
/// the field of the error message, read from `<Message>` whatever its member is called (as
/// every XML protocol sends it).
pub fn read_fields(cx: Scope<'_>, ty: &TokenStream, fields: &[&Field], message: Option<&str>) -> TokenStream {
    let xml = runtime();
    if fields.is_empty() {
        return quote!(let _ = node; Ok(Default::default()));
    }
    let mut attrs = Vec::new();
    let mut arms = Vec::new();
    for f in fields {
        let fid = field_ident(f);
        let name = &f.xml.name.name;
        let pattern = if message == Some(f.name.as_str()) && name.eq_ignore_ascii_case("message") {
            quote!("Message" | "message")
        } else {
            quote!(#name)
        };
        let set = |e: TokenStream| {
            let e = if f.boxed { quote!(Box::new(#e)) } else { e };
            if f.optional() {
                quote!(out.#fid = Some(#e);)
            } else {
                quote!(out.#fid = #e;)
            }
        };
        if f.xml.attribute {
            let parse = attribute_parse(cx, &f.ty);
            let s = set(quote!(v));
            attrs.push(quote!(if let Some(v) = #xml::attribute(node, #name, #parse)? { #s }));
            continue;
        }
        let place = if f.optional() { quote!(out.#fid.get_or_insert_with(Default::default)) } else { quote!(out.#fid) };
        let arm = match &f.ty {
            Ty::List { item, sparse, .. } if f.xml.flattened => {
                let r = item_read(cx, item, *sparse);
                quote!(#pattern => { let n = child; #place.push(#r?); })
            }
            Ty::Map { key, value, sparse, names } if f.xml.flattened => {
                let (k, v) = (&names.0.name, &names.1.name);
                let rk = read_value(cx, key, &quote!(n));
                let rv = item_read(cx, value, *sparse);
                quote! {
                    #pattern => {
                        if let Some((k, v)) = #xml::entry(child, #k, #v, &mut |n| #rk, &mut |n| #rv)? {
                            #place.insert(k, v);
                        }
                    }
                }
            }
            t => {
                let r = read_value(cx, t, &quote!(child));
                let s = set(quote!(#r?));
                quote!(#pattern => { #s })
            }
        };
        arms.push(arm);
    }
    let each = (!arms.is_empty()).then(|| {
        quote! {
            for child in #xml::children(node) {
                match child.tag_name().name() {
                    #(#arms)*
                    _ => {}
                }
            }
        }
    });
    quote! {
        let mut out = #ty::default();
        #(#attrs)*
        #each
        Ok(out)
    }
}

/// A `FnOnce(&str) -> Option<T>` parsing an attribute's text.
fn attribute_parse(cx: Scope<'_>, t: &Ty) -> TokenStream {
    let rt = super::rt();
    match t {
        Ty::String => quote!(|s: &str| Some(s.to_owned())),
        Ty::Bool => quote!(#rt::parse_bool),
        Ty::I8 | Ty::I16 | Ty::I32 | Ty::I64 => {
            let it = cx.ty(t);
            quote!(|s: &str| s.trim().parse::<#it>().ok())
        }
        Ty::F32 => quote!(|s: &str| #rt::parse_float(s).map(|f| f as f32)),
        Ty::F64 => quote!(#rt::parse_float),
        Ty::Timestamp(f) => {
            let f = ts_format(*f);
            quote!(|s: &str| #rt::parse_timestamp(s, #f))
        }
        Ty::Blob => quote!(#rt::parse_base64),
        Ty::Named { kind: NamedKind::Enum, .. } => {
            let e = cx.ty(t);
            quote!(|s: &str| Some(#e::from(s)))
        }
        Ty::Named { kind: NamedKind::IntEnum, .. } => {
            let e = cx.ty(t);
            quote!(|s: &str| s.trim().parse::<i32>().ok().map(#e::from))
        }
        _ => quote!(|_: &str| None::<()>),
    }
}

/// `impl FromXml` for a structure or union of `types`.
pub fn from_xml_impl(cx: Scope<'_>, def: &TypeDef) -> TokenStream {
    let xml = runtime();
    let (name, body) = match def {
        TypeDef::Struct(s) => {
            let fields: Vec<&Field> = s.fields.iter().collect();
            let message = match &s.role {
                Role::Error(e) => e.message_field.as_deref(),
                _ => None,
            };
            (&s.name, read_fields(cx, &quote!(Self), &fields, message))
        }
        TypeDef::Union(u) => (&u.name, read_union(cx, u)),
        TypeDef::Enum(_) => return TokenStream::new(),
    };
    let name = quote::format_ident!("{}", name);
    quote! {
        impl #xml::FromXml for #name {
            fn from_xml(node: #xml::Node<'_, '_>) -> Result<Self, #xml::XmlError> {
                #body
            }
        }
    }
}

/// A union: the first child element that names a member.
fn read_union(cx: Scope<'_>, u: &UnionDef) -> TokenStream {
    let xml = runtime();
    let arms = u.variants.iter().map(|v| {
        let vname = quote::format_ident!("{}", v.name);
        let name = &v.xml.name.name;
        match &v.ty {
            None => quote!(#name => return Ok(Self::#vname),),
            Some(t) => {
                let r = read_value(cx, t, &quote!(child));
                let r = if v.boxed { quote!(Box::new(#r?)) } else { quote!(#r?) };
                quote!(#name => return Ok(Self::#vname(#r)),)
            }
        }
    });
    quote! {
        for child in #xml::children(node) {
            match child.tag_name().name() {
                #(#arms)*
                _ => {}
            }
        }
        Ok(Self::Unknown(#xml::unknown_member(node)))
    }
}
