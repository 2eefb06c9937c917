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

/// The runtime's format of a timestamp; XML bodies default to date-time.
fn ts_format(f: Option<TsFormat>) -> TokenStream {
    super::rest::ts_format(f.unwrap_or(TsFormat::DateTime))
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
        Ty::ByteStream => quote!(#xml::unsupported(#n, "a streaming body")),
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

/// The namespace argument of the runtime's writer: `Some(("prefix", "uri"))` or `None`.
pub fn ns_tokens(ns: Option<&XmlNamespace>) -> TokenStream {
    match ns {
        Some(n) => {
            let (prefix, uri) = (n.prefix.clone().unwrap_or_default(), &n.uri);
            quote!(Some((#prefix, #uri)))
        }
        None => quote!(None),
    }
}

/// Statements writing `v` (a reference to a `t`) as the element `name`.
fn write_value(t: &Ty, v: &TokenStream, name: &str, ns: Option<&XmlNamespace>) -> TokenStream {
    let xml = runtime();
    let nst = ns_tokens(ns);
    match t {
        Ty::Named { kind: NamedKind::Struct | NamedKind::Union, .. } => {
            quote!(#xml::ToXml::write_xml(#v, w, #name, #nst)?;)
        }
        Ty::Document => quote! {
            let _ = #v;
            return Err(::awsgen_runtime::protocol::SerializeError::Body(format!("<{}> is a document, which XML bodies cannot carry", #name)));
        },
        Ty::List { item, sparse, member } => {
            let inner = write_value(item, &quote!(v), &member.name, member.namespace.as_ref());
            let unwrap = sparse.then(|| quote!(let Some(v) = v else { continue };));
            quote! {
                w.open(#name, #nst);
                w.close_start();
                for v in #v.iter() {
                    #unwrap
                    #inner
                }
                w.end(#name);
            }
        }
        Ty::Map { .. } => {
            let entries = write_entries(t, v, "entry", None);
            quote! {
                w.open(#name, #nst);
                w.close_start();
                #entries
                w.end(#name);
            }
        }
        scalar => {
            let s = super::rest::to_str(scalar, v.clone(), TsFormat::DateTime);
            quote!(w.scalar(#name, #nst, #s);)
        }
    }
}

/// Statements writing each entry of the map `v` as an element `entry` with its key and value.
fn write_entries(t: &Ty, v: &TokenStream, entry: &str, entry_ns: Option<&XmlNamespace>) -> TokenStream {
    let Ty::Map { key, value, sparse, names } = t else { return TokenStream::new() };
    let ens = ns_tokens(entry_ns);
    let (kname, kns) = (&names.0.name, ns_tokens(names.0.namespace.as_ref()));
    let k_str = super::rest::to_str(key, quote!(k), TsFormat::DateTime);
    let inner = write_value(value, &quote!(v), &names.1.name, names.1.namespace.as_ref());
    let unwrap = sparse.then(|| quote!(let Some(v) = v else { continue };));
    quote! {
        for (k, v) in #v.iter() {
            #unwrap
            w.open(#entry, #ens);
            w.close_start();
            w.scalar(#kname, #kns, #k_str);
            #inner
            w.end(#entry);
        }
    }
}

/// Statements writing the structure `this` (its `fields`) as the element `element` (a `&str`
/// expression) with namespace `ns` (a `Namespace` expression): attributes, then members.
pub fn write_struct(fields: &[&Field], this: &TokenStream, element: &TokenStream, ns: &TokenStream) -> TokenStream {
    let mut attrs = Vec::new();
    let mut children = Vec::new();
    for f in fields {
        let fid = field_ident(f);
        let name = &f.xml.name.name;
        let ns = f.xml.name.namespace.as_ref();
        let body = if f.xml.attribute {
            let s = super::rest::to_str(&f.ty, quote!(v), TsFormat::DateTime);
            attrs.push(if f.optional() {
                quote!(if let Some(v) = &#this.#fid { w.attr(#name, #s); })
            } else {
                quote!({ let v = &#this.#fid; w.attr(#name, #s); })
            });
            continue;
        } else {
            match &f.ty {
                Ty::List { item, sparse, .. } if f.xml.flattened => {
                    let inner = write_value(item, &quote!(v), name, ns);
                    let unwrap = sparse.then(|| quote!(let Some(v) = v else { continue };));
                    quote!(for v in v.iter() { #unwrap #inner })
                }
                t @ Ty::Map { .. } if f.xml.flattened => write_entries(t, &quote!(v), name, ns),
                t => write_value(t, &quote!(v), name, ns),
            }
        };
        children.push(if f.optional() {
            quote!(if let Some(v) = &#this.#fid { #body })
        } else {
            quote!({ let v = &#this.#fid; #body })
        });
    }
    quote! {
        w.open(#element, #ns);
        #(#attrs)*
        w.close_start();
        #(#children)*
        w.end(#element);
    }
}

/// `impl ToXml` for a structure or union an input reaches.
pub fn to_xml_impl(def: &TypeDef) -> TokenStream {
    let xml = runtime();
    let se = quote!(::awsgen_runtime::protocol::SerializeError);
    match def {
        TypeDef::Struct(s) if s.validated => {
            let name = quote::format_ident!("{}", s.name);
            let fields: Vec<&Field> = s.fields.iter().collect();
            let body = write_struct(&fields, &quote!(self), &quote!(name), &quote!(ns));
            let element = &s.xml.name;
            let own_ns = ns_tokens(s.xml.namespace.as_ref());
            quote! {
                impl #xml::ToXml for #name {
                    const ELEMENT: &'static str = #element;
                    const NAMESPACE: #xml::Namespace<'static> = #own_ns;
                    fn write_xml(&self, w: &mut #xml::XmlWriter, name: &str, ns: #xml::Namespace<'_>) -> Result<(), #se> {
                        #body
                        Ok(())
                    }
                }
            }
        }
        TypeDef::Union(u) if u.validated => {
            let name = quote::format_ident!("{}", u.name);
            let label = &u.name;
            let element = u.shape_id.rsplit_once('#').map_or(u.name.as_str(), |(_, n)| n);
            let arms = u.variants.iter().map(|v| {
                let vname = quote::format_ident!("{}", v.name);
                let (mname, mns) = (&v.xml.name.name, v.xml.name.namespace.as_ref());
                match &v.ty {
                    None => {
                        let nst = ns_tokens(mns);
                        quote!(Self::#vname => w.scalar(#mname, #nst, ""),)
                    }
                    Some(t) => {
                        let inner = write_value(t, &quote!(v), mname, mns);
                        quote!(Self::#vname(v) => { #inner })
                    }
                }
            });
            quote! {
                impl #xml::ToXml for #name {
                    const ELEMENT: &'static str = #element;
                    const NAMESPACE: #xml::Namespace<'static> = None;
                    fn write_xml(&self, w: &mut #xml::XmlWriter, name: &str, ns: #xml::Namespace<'_>) -> Result<(), #se> {
                        w.open(name, ns);
                        w.close_start();
                        match self {
                            #(#arms)*
                            Self::Unknown(k) => return Err(::awsgen_runtime::protocol::query::unknown_union_member(#label, k)),
                        }
                        w.end(name);
                        Ok(())
                    }
                }
            }
        }
        _ => TokenStream::new(),
    }
}
