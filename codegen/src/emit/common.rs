//! Helpers shared by the emitters: doc attributes, Rust types and serde wire adapters.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ir::{Crate, Field, NamedKind, TsFormat, Ty};
use crate::naming::ident;

/// One `#[doc]` attribute per line, so that prettyplease prints `///` comments.
pub fn doc(text: Option<&str>) -> TokenStream {
    let Some(text) = text else { return TokenStream::new() };
    let lines = text.lines().map(|l| if l.is_empty() { String::new() } else { format!(" {l}") });
    quote! { #( #[doc = #lines] )* }
}

/// Inner doc attributes (`//!`), for module and crate documentation.
pub fn inner_doc(text: Option<&str>) -> TokenStream {
    let Some(text) = text else { return TokenStream::new() };
    let lines = text.lines().map(|l| if l.is_empty() { String::new() } else { format!(" {l}") });
    quote! { #( #![doc = #lines] )* }
}

pub fn deprecated(flag: bool) -> TokenStream {
    if flag {
        quote!(#[deprecated])
    } else {
        TokenStream::new()
    }
}

/// How one generated file names types: the one place a shape id becomes a Rust path.
///
/// A type is named bare and imported from `crate::types`, unless the file itself defines
/// another item of that name (an operation module's `UpdateFlowInput`, a type's builder); then
/// it is named `crate::types::Name`. A type's own file names it bare.
#[derive(Clone, Copy)]
pub struct Scope<'a> {
    pub ir: &'a Crate,
    /// The shape whose file this is, if any.
    own: Option<&'a str>,
    /// Names the file defines.
    local: &'a [String],
}

impl<'a> Scope<'a> {
    pub fn new(ir: &'a Crate, own: Option<&'a str>, local: &'a [String]) -> Self {
        Self { ir, own, local }
    }

    fn qualified(&self, id: &str) -> bool {
        self.own != Some(id) && self.local.iter().any(|l| l == self.ir.ty(id).def.name())
    }

    /// The path of the generated type `id`.
    pub fn path(&self, id: &str) -> TokenStream {
        let n = format_ident!("{}", self.ir.ty(id).def.name());
        if self.qualified(id) {
            quote!(crate::types::#n)
        } else {
            quote!(#n)
        }
    }

    /// The Rust type of `t`.
    pub fn ty(&self, t: &Ty) -> TokenStream {
        match t {
            Ty::String => quote!(String),
            Ty::Bool => quote!(bool),
            Ty::I8 => quote!(i8),
            Ty::I16 => quote!(i16),
            Ty::I32 => quote!(i32),
            Ty::I64 => quote!(i64),
            Ty::F32 => quote!(f32),
            Ty::F64 => quote!(f64),
            Ty::BigInteger => quote!(::awsgen_runtime::BigInteger),
            Ty::BigDecimal => quote!(::awsgen_runtime::BigDecimal),
            Ty::Blob => quote!(Vec<u8>),
            Ty::ByteStream => quote!(::awsgen_runtime::body::ByteStream),
            Ty::Timestamp(_) => quote!(::awsgen_runtime::DateTime),
            Ty::Document => quote!(::awsgen_runtime::Document),
            Ty::Named { id, .. } => self.path(id),
            Ty::List { item, sparse, .. } => {
                let i = self.ty(item);
                if *sparse {
                    quote!(Vec<Option<#i>>)
                } else {
                    quote!(Vec<#i>)
                }
            }
            Ty::Map { key, value, sparse, .. } => {
                let (k, v) = (self.ty(key), self.ty(value));
                if *sparse {
                    quote!(BTreeMap<#k, Option<#v>>)
                } else {
                    quote!(BTreeMap<#k, #v>)
                }
            }
        }
    }

    /// The field's type as declared in a struct: boxed and optional as lowering decided.
    pub fn field_ty(&self, f: &Field) -> TokenStream {
        let t = self.inner_ty(f);
        if f.optional() {
            quote!(Option<#t>)
        } else {
            t
        }
    }

    /// The field's type without the `Option`.
    pub fn inner_ty(&self, f: &Field) -> TokenStream {
        let t = self.ty(&f.ty);
        if f.boxed {
            quote!(Box<#t>)
        } else {
            t
        }
    }

    /// `use` lines for a file whose types are `tys`; `wire` adds the JSON wire helpers.
    pub fn imports<'t>(&self, tys: impl IntoIterator<Item = &'t Ty>, wire: bool) -> TokenStream {
        let mut named = BTreeSet::new();
        let mut map = false;
        for t in tys {
            named_ids(t, &mut named);
            map |= uses_map(t);
        }
        let mut names: Vec<&str> = named
            .iter()
            .filter(|id| self.own != Some(id.as_str()) && !self.qualified(id))
            .map(|id| self.ir.ty(id).def.name())
            .collect();
        names.sort_unstable();
        names.dedup();
        let names: Vec<_> = names.iter().map(|n| format_ident!("{}", n)).collect();
        let mut out = TokenStream::new();
        if map {
            out.extend(quote!(
                use std::collections::BTreeMap;
            ));
        }
        if wire {
            out.extend(quote!(
                #[cfg(feature = "serde")]
                use ::awsgen_runtime::protocol::json as wire;
            ));
        }
        match names.len() {
            0 => {}
            1 => out.extend(quote!(use crate::types::#(#names)*;)),
            _ => out.extend(quote!(use crate::types::{#(#names),*};)),
        }
        out
    }

    /// A Rust expression for the `@default` value `v` of a member of type `t`.
    pub fn default_expr(&self, t: &Ty, v: &serde_json::Value) -> TokenStream {
        use serde_json::Value as V;
        match (t, v) {
            (Ty::String, V::String(s)) => quote!(String::from(#s)),
            (Ty::Bool, V::Bool(b)) => quote!(#b),
            (Ty::I8 | Ty::I16 | Ty::I32 | Ty::I64, V::Number(n)) => {
                let lit: TokenStream = n.to_string().parse().expect("a number is a literal");
                quote!(#lit)
            }
            (Ty::F32 | Ty::F64, V::Number(n)) => {
                let f = n.as_f64().unwrap_or_default();
                let lit: TokenStream = format!("{f:?}").parse().expect("a float is a literal");
                quote!(#lit)
            }
            (Ty::Named { kind: NamedKind::Enum, .. }, V::String(s)) => {
                let n = self.ty(t);
                quote!(#n::from(#s))
            }
            (Ty::Named { kind: NamedKind::IntEnum, .. }, V::Number(n)) => {
                let n_ident = self.ty(t);
                let i = n.as_i64().unwrap_or_default() as i32;
                quote!(#n_ident::from(#i))
            }
            (Ty::Timestamp(_), V::Number(n)) => {
                let text = n.to_string();
                quote!(::awsgen_runtime::protocol::parse_epoch_seconds(#text).unwrap_or_default())
            }
            (Ty::Timestamp(_), V::String(s)) => {
                quote!(::awsgen_runtime::protocol::parse_date_time(#s).unwrap_or_default())
            }
            (Ty::Blob, V::String(s)) => {
                // Blob defaults are base64 in the model.
                use base64::Engine as _;
                let raw = base64::engine::general_purpose::STANDARD.decode(s).unwrap_or_else(|_| s.as_bytes().to_vec());
                let bytes = proc_macro2::Literal::byte_string(&raw);
                quote!(#bytes.to_vec())
            }
            (Ty::Document, v) => {
                let text = v.to_string();
                quote!(::awsgen_runtime::Document::from_json(#text).unwrap_or_default())
            }
            (Ty::BigInteger | Ty::BigDecimal, V::Number(n)) => {
                let text = n.to_string();
                let t = self.ty(t);
                quote!(#t::new(#text).unwrap_or_default())
            }
            (Ty::List { .. }, _) => quote!(Vec::new()),
            (Ty::Map { .. }, _) => quote!(BTreeMap::new()),
            _ => quote!(Default::default()),
        }
    }
}

/// The serde_with adapter for `ty` in JSON bodies, as a string for `#[serde(with)]`; `None`
/// when plain serde already writes the wire form.
pub fn adapter(t: &Ty) -> Option<String> {
    match t {
        Ty::F32 | Ty::F64 => Some("wire::Float".into()),
        Ty::Blob => Some("wire::Base64".into()),
        Ty::Timestamp(fmt) => Some(
            match fmt.unwrap_or(TsFormat::EpochSeconds) {
                TsFormat::EpochSeconds => "wire::EpochSeconds",
                TsFormat::DateTime => "wire::DateTimeString",
                TsFormat::HttpDate => "wire::HttpDate",
            }
            .into(),
        ),
        Ty::List { item, sparse: false, .. } => Some(format!("wire::Dense<{}>", adapter_or_same(item))),
        Ty::List { item, sparse: true, .. } => adapter(item).map(|a| format!("Vec<Option<{a}>>")),
        Ty::Map { value, sparse: false, .. } => Some(format!("wire::Dense<{}>", adapter_or_same(value))),
        Ty::Map { value, sparse: true, .. } => adapter(value).map(|a| format!("BTreeMap<wire::Same, Option<{a}>>")),
        _ => None,
    }
}

fn adapter_or_same(t: &Ty) -> String {
    adapter(t).unwrap_or_else(|| "wire::Same".into())
}

/// The shape ids of the generated types a type refers to.
fn named_ids(t: &Ty, out: &mut BTreeSet<String>) {
    match t {
        Ty::Named { id, .. } => {
            out.insert(id.clone());
        }
        Ty::List { item, .. } => named_ids(item, out),
        Ty::Map { key, value, .. } => {
            named_ids(key, out);
            named_ids(value, out);
        }
        _ => {}
    }
}

fn uses_map(t: &Ty) -> bool {
    match t {
        Ty::Map { .. } => true,
        Ty::List { item, .. } => uses_map(item),
        _ => false,
    }
}

/// True when `v` is the zero value `Default::default()` of `t` already gives.
pub fn default_is_zero(t: &Ty, v: &serde_json::Value) -> bool {
    use serde_json::Value as V;
    match (t, v) {
        (Ty::String, V::String(s)) => s.is_empty(),
        (Ty::Bool, V::Bool(b)) => !b,
        (Ty::I8 | Ty::I16 | Ty::I32 | Ty::I64 | Ty::F32 | Ty::F64, V::Number(n)) => n.as_f64() == Some(0.0),
        (Ty::List { .. } | Ty::Map { .. }, _) => true,
        (Ty::Blob, V::String(s)) => s.is_empty(),
        (Ty::ByteStream, _) => true,
        (Ty::Timestamp(_), V::Number(n)) => n.as_f64() == Some(0.0),
        (Ty::Document, V::Null) => true,
        _ => false,
    }
}

pub fn field_ident(f: &Field) -> proc_macro2::Ident {
    ident(&f.name)
}
