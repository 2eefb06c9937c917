//! awsQuery and ec2Query: every input member in a form body posted to `/` with `Action` and
//! `Version`; XML responses (awsQuery wraps the members in `<OpResult>`, ec2Query does not)
//! and XML errors.
//!
//! The two differ only in keys: awsQuery wraps lists (`List.member.1`, an empty list as
//! `List=`) unless `@xmlFlattened`, ec2Query always flattens them (`List.1`) and names members
//! by `@ec2QueryName` or the capitalised XML name (decided in lowering, `FieldXml::query_key`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{finish, rest, xml, ProtocolGen};
use crate::emit::common::{field_ident, Scope};
use crate::ir::*;

fn runtime() -> TokenStream {
    quote!(::awsgen_runtime::protocol::query)
}

/// awsQuery (`ec2: false`) or ec2Query.
pub struct Query {
    pub ec2: bool,
}

impl ProtocolGen for Query {
    fn serialize_request(&self, service: &Service, op: &Operation) -> TokenStream {
        let q = runtime();
        let action = &op.wire_name;
        let version = &service.version;
        let fields: Vec<&Field> = op.input.fields.iter().collect();
        let writes = self.write_fields(&fields, &quote!(input), &quote!(""));
        let finish = finish(op);
        quote! {
            let mut writer = #q::QueryWriter::new(#action, #version);
            let w = &mut writer;
            #writes
            let mut req = ::awsgen_runtime::protocol::rest::RequestBuilder::new("POST");
            req.push_path("/");
            req.body(#q::CONTENT_TYPE, writer.finish());
            #finish
            req.build()
        }
    }

    fn read_struct(&self, cx: Scope<'_>, s: &StructDef) -> TokenStream {
        let x = xml::runtime();
        let name = format_ident!("{}", s.name);
        let fields: Vec<&Field> = s.fields.iter().collect();
        let message = match &s.role {
            Role::Error(e) => e.message_field.as_deref(),
            _ => None,
        };
        let body = xml::read_fields(cx, &quote!(#name), &fields, message);
        // Errors (the only structures read this way outside `read_output`) sit in `<Error>`.
        quote! {
            #x::read_error(response, |node| -> Result<#name, #x::XmlError> { #body })
        }
    }

    fn read_output(&self, cx: Scope<'_>, op: &Operation) -> TokenStream {
        let x = xml::runtime();
        let name = format_ident!("{}", op.output.name);
        let fields: Vec<&Field> = op.output.fields.iter().collect();
        let body = xml::read_fields(cx, &quote!(#name), &fields, None);
        let result = if self.ec2 {
            quote!(None)
        } else {
            let r = format!("{}Result", op.wire_name);
            quote!(Some(#r))
        };
        quote! {
            fn read(node: #x::Node<'_, '_>) -> Result<#name, #x::XmlError> {
                #body
            }
            let doc = #x::parse(response)?;
            match #x::result_element(&doc, #result) {
                Some(node) => read(node).map_err(|e| e.into_response_error(response.status().as_u16())),
                None => Ok(#name::default()),
            }
        }
    }

    fn error_info(&self) -> TokenStream {
        let x = xml::runtime();
        quote!(#x::error_info)
    }

    fn type_impls(&self, cx: Scope<'_>, def: &TypeDef) -> TokenStream {
        let from_xml = xml::from_xml_impl(cx, def);
        let to_query = match def {
            TypeDef::Struct(s) if s.validated => self.struct_impl(s),
            TypeDef::Union(u) if u.validated => self.union_impl(u),
            _ => TokenStream::new(),
        };
        quote!(#from_xml #to_query)
    }
}

impl Query {
    /// Statements writing the members of `fields` of `this` (an expression of the structure)
    /// under `prefix` (a `&str` expression) into `w`.
    fn write_fields(&self, fields: &[&Field], this: &TokenStream, prefix: &TokenStream) -> TokenStream {
        let q = runtime();
        if fields.is_empty() {
            return quote!(let _ = (#this, #prefix, &w););
        }
        let writes = fields.iter().map(|f| {
            let fid = field_ident(f);
            let k = &f.xml.query_key;
            let value = self.write_value(&f.ty, &quote!(key), f.xml.flattened);
            let body = quote! {
                let key = #q::key(#prefix, #k);
                #value
            };
            if f.optional() {
                quote!(if let Some(v) = &#this.#fid { #body })
            } else {
                quote!({ let v = &#this.#fid; #body })
            }
        });
        quote!(#(#writes)*)
    }

    /// Statements writing `v` (a reference to a `t`) under `key` (a `String` expression).
    fn write_value(&self, t: &Ty, key: &TokenStream, flattened: bool) -> TokenStream {
        let q = runtime();
        match t {
            Ty::Named { kind: NamedKind::Struct | NamedKind::Union, .. } => {
                quote!(#q::ToQuery::to_query(v, w, &#key)?;)
            }
            Ty::Document => quote! {
                let _ = v;
                return Err(::awsgen_runtime::protocol::SerializeError::Body(format!("`{}` is a document, which query requests cannot carry", #key)));
            },
            Ty::List { item, sparse, member } => {
                let inner = self.write_value(item, &quote!(key), false);
                let item_key = if flattened || self.ec2 {
                    quote!(format!("{}.{}", #key, i + 1))
                } else {
                    let m = &member.name;
                    quote!(format!("{}.{}.{}", #key, #m, i + 1))
                };
                let empty = (!flattened && !self.ec2).then(|| quote!(if v.is_empty() { w.push(&#key, ""); }));
                let unwrap = sparse.then(|| quote!(let Some(v) = v else { continue };));
                quote! {
                    #empty
                    for (i, v) in v.iter().enumerate() {
                        #unwrap
                        let key = #item_key;
                        #inner
                    }
                }
            }
            Ty::Map { key: kt, value, sparse, names } => {
                let (kn, vn) = (&names.0.name, &names.1.name);
                let entry = if flattened {
                    quote!(format!("{}.{}", #key, i + 1))
                } else {
                    quote!(format!("{}.entry.{}", #key, i + 1))
                };
                let k_str = rest::to_str(kt, quote!(k), TsFormat::DateTime);
                let inner = self.write_value(value, &quote!(key), false);
                let unwrap = sparse.then(|| quote!(let Some(v) = v else { continue };));
                quote! {
                    for (i, (k, v)) in v.iter().enumerate() {
                        let entry = #entry;
                        w.push(&format!("{entry}.{}", #kn), #k_str);
                        #unwrap
                        let key = format!("{entry}.{}", #vn);
                        #inner
                    }
                }
            }
            scalar => {
                let s = rest::to_str(scalar, quote!(v), TsFormat::DateTime);
                quote!(w.push(&#key, #s);)
            }
        }
    }

    fn struct_impl(&self, s: &StructDef) -> TokenStream {
        let q = runtime();
        let name = format_ident!("{}", s.name);
        let fields: Vec<&Field> = s.fields.iter().collect();
        let writes = self.write_fields(&fields, &quote!(self), &quote!(prefix));
        quote! {
            impl #q::ToQuery for #name {
                fn to_query(&self, w: &mut #q::QueryWriter, prefix: &str) -> Result<(), ::awsgen_runtime::protocol::SerializeError> {
                    #writes
                    Ok(())
                }
            }
        }
    }

    fn union_impl(&self, u: &UnionDef) -> TokenStream {
        let q = runtime();
        let name = format_ident!("{}", u.name);
        let label = &u.name;
        let arms = u.variants.iter().map(|v| {
            let vname = format_ident!("{}", v.name);
            let k = &v.xml.query_key;
            match &v.ty {
                None => quote!(Self::#vname => w.push(&#q::key(prefix, #k), ""),),
                Some(t) => {
                    let value = self.write_value(t, &quote!(key), v.xml.flattened);
                    quote!(Self::#vname(v) => { let key = #q::key(prefix, #k); #value })
                }
            }
        });
        quote! {
            impl #q::ToQuery for #name {
                fn to_query(&self, w: &mut #q::QueryWriter, prefix: &str) -> Result<(), ::awsgen_runtime::protocol::SerializeError> {
                    match self {
                        #(#arms)*
                        Self::Unknown(k) => return Err(#q::unknown_union_member(#label, k)),
                    }
                    Ok(())
                }
            }
        }
    }
}
