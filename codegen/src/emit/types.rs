//! Emitters for structures (with builders), enums, intEnums and unions.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::common::*;
use crate::ir::*;
use crate::naming::{bare, ident};

const REDACTED: &str = "*** Sensitive Data Redacted ***";

/// A structure, its builder, and (for errors) its error impls and response reader.
pub fn structure(cx: Scope<'_>, s: &StructDef) -> TokenStream {
    let name = format_ident!("{}", s.name);
    let builder = format_ident!("{}", s.builder);
    let sdoc = doc(s.doc.as_deref());
    let dep = deprecated(s.deprecated);
    let redact = s.sensitive || s.fields.iter().any(|f| f.sensitive);

    let fields = s.fields.iter().map(|f| {
        let fname = field_ident(f);
        let fty = cx.field_ty(f);
        let fdoc = doc(f.doc.as_deref());
        let fdep = deprecated(f.deprecated);
        let serde = field_serde(f);
        quote! { #fdoc #fdep #serde pub #fname: #fty, }
    });

    let has_defaults = s.fields.iter().any(|f| f.default.as_ref().is_some_and(|v| !default_is_zero(&f.ty, v)));
    let derive_default = if has_defaults { quote!() } else { quote!(Default,) };
    let derive_debug = if redact { quote!() } else { quote!(Debug,) };
    // A stream can be read only once: a structure holding one cannot be cloned.
    let derive_clone = if s.stream_field().is_some() { quote!() } else { quote!(Clone,) };
    let default_impl = has_defaults.then(|| {
        let inits = s.fields.iter().map(|f| {
            let fname = field_ident(f);
            let value = match &f.default {
                Some(v) => wrap_box(f, cx.default_expr(&f.ty, v)),
                _ => quote!(Default::default()),
            };
            quote!(#fname: #value,)
        });
        quote! {
            impl Default for #name {
                fn default() -> Self {
                    Self { #(#inits)* }
                }
            }
        }
    });
    let debug_impl = redact.then(|| debug_struct(&name, s));

    let builder_doc = format!(" A builder for [`{}`].", s.name);
    let builder_label = s.builder.as_str();
    // The builder holds the value itself, and for each required member (a `T` with nothing to
    // fall back on) one bit saying whether it was set, in declaration order.
    let required = required_fields(s);
    let names: Vec<&str> = required.iter().map(|f| f.member.as_str()).collect();
    let set_field = (!required.is_empty()).then(|| quote!(set: u64,));
    let set_value = if required.is_empty() { quote!(0) } else { quote!(self.set) };
    let setters = s.fields.iter().map(|f| setter(cx, s, f));
    let build = build_fn(s);
    let error_impls = match &s.role {
        Role::Error(e) => Some(error_impls(&name, e, s)),
        _ => None,
    };
    let new_doc = format!(" Starts building a [`{}`].", s.name);
    let validate = super::validate::structure(s);
    let from_response = match &s.role {
        Role::Error(_) => super::protocol::error_from_response(cx, s),
        _ => TokenStream::new(),
    };

    quote! {
        #sdoc
        #dep
        #[derive(#derive_clone PartialEq, #derive_default #derive_debug)]
        #[cfg_attr(feature = "serde", derive(::serde::Serialize, ::serde::Deserialize), serde(default))]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            #[doc = #new_doc]
            #[inline]
            pub fn builder() -> #builder {
                // Qualified: a member named `default` gives the builder a setter of that name.
                <#builder as ::std::default::Default>::default()
            }

            #from_response
        }

        #default_impl
        #debug_impl

        #[doc = #builder_doc]
        #[derive(#derive_clone PartialEq, Default)]
        pub struct #builder {
            value: #name,
            #set_field
        }

        impl #builder {
            #(#setters)*
            #build
        }

        impl ::std::fmt::Debug for #builder {
            // As derived impls are: compiled where it is used, if anywhere.
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::awsgen_runtime::BuildError::debug_builder(f, #builder_label, &self.value, #set_value, &[#(#names),*])
            }
        }
        #error_impls
        #validate
    }
}

fn wrap_box(f: &Field, e: TokenStream) -> TokenStream {
    if f.boxed {
        quote!(Box::new(#e))
    } else {
        e
    }
}

/// serde attributes of a field: wire name, skipping `None`, the wire adapter; members bound
/// to HTTP headers, labels, the query string or the payload are not part of the JSON body.
fn field_serde(f: &Field) -> TokenStream {
    if f.binding != Binding::Body {
        return quote!(#[cfg_attr(feature = "serde", serde(skip))]);
    }
    let wire = &f.wire;
    let mut parts = vec![quote!(rename = #wire)];
    if f.optional() {
        parts.push(quote!(skip_serializing_if = "Option::is_none"));
    }
    if let Some(a) = adapter(&f.ty) {
        let a = if f.optional() { format!("Option<{a}>") } else { a };
        let with = format!("wire::As::<{a}>");
        parts.push(quote!(with = #with));
    }
    quote!(#[cfg_attr(feature = "serde", serde(#(#parts),*))])
}

/// A `Debug` impl that prints `***` for sensitive members (or for the whole value).
fn debug_struct(name: &proc_macro2::Ident, s: &StructDef) -> TokenStream {
    let label = name.to_string();
    let body = if s.sensitive {
        quote!(f.write_str(#REDACTED))
    } else {
        let fields = s.fields.iter().map(|f| {
            let fname = field_ident(f);
            let flabel = bare(&f.name);
            if f.sensitive {
                quote!(.field(#flabel, &#REDACTED))
            } else {
                quote!(.field(#flabel, &self.#fname))
            }
        });
        quote!(f.debug_struct(#label) #(#fields)* .finish())
    };
    quote! {
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                #body
            }
        }
    }
}

/// The members a builder must be given: `T` in the structure, with no default to fall back on.
fn required_fields(s: &StructDef) -> Vec<&Field> {
    s.fields.iter().filter(|f| f.nullability == Nullability::Required).collect()
}

/// A builder's methods for one member. Setters are `#[inline]`: they are one assignment, and a
/// program compiles only those it calls.
fn setter(cx: Scope<'_>, s: &StructDef, f: &Field) -> TokenStream {
    let fname = field_ident(f);
    let set = ident(&f.set_fn);
    let method = ident(&f.setter);
    let t = cx.ty(&f.ty);
    let member_doc = f.doc.as_deref().unwrap_or("");
    let first = member_doc.split("\n\n").next().unwrap_or("");
    let doc_text = if first.is_empty() {
        format!("Sets [`{}::{}`].", s.name, bare(&f.name))
    } else {
        format!("Sets [`{}::{}`]: {}", s.name, bare(&f.name), first)
    };
    let d = doc(Some(&doc_text));
    let set_doc = format!(" Sets or clears [`{}::{}`].", s.name, bare(&f.name));
    let dep = deprecated(f.deprecated);
    let boxed = |e: TokenStream| if f.boxed { quote!(Box::new(#e)) } else { e };
    let bit = required_fields(s).iter().position(|r| r.name == f.name).map(|i| Literal::u64_unsuffixed(1 << i));
    // What the value setter stores, what the `set_` method stores from its `Option`, and for a
    // required member how each marks it set.
    let value = boxed(quote!(value.into()));
    let opt = if f.boxed { quote!(value.map(Box::new)) } else { quote!(value) };
    let (assign, assign_opt, mark, mark_opt) = match (f.nullability, &bit) {
        (Nullability::Optional, _) => (quote!(Some(#value)), opt, None, None),
        (Nullability::Required, Some(bit)) => (
            value,
            quote!(#opt.unwrap_or_default()),
            Some(quote!(self.set |= #bit;)),
            Some(quote!(self.set = if value.is_some() { self.set | #bit } else { self.set & !#bit };)),
        ),
        _ => {
            let fallback = match &f.default {
                Some(v) if !default_is_zero(&f.ty, v) => {
                    let e = wrap_box(f, cx.default_expr(&f.ty, v));
                    if matches!(f.ty, Ty::Bool | Ty::I8 | Ty::I16 | Ty::I32 | Ty::I64 | Ty::F32 | Ty::F64) {
                        quote!(#opt.unwrap_or(#e))
                    } else {
                        quote!(#opt.unwrap_or_else(|| #e))
                    }
                }
                _ => quote!(#opt.unwrap_or_default()),
            };
            (value, fallback, None, None)
        }
    };
    // Lists and maps also grow one item at a time, as aws-sdk-rust's builders do.
    let add = f.add_fn.as_ref().map(|add| {
        let add = ident(add);
        let get = match (f.optional(), f.boxed) {
            (true, true) => quote!(self.value.#fname.get_or_insert_with(Default::default).as_mut()),
            (true, false) => quote!(self.value.#fname.get_or_insert_with(Default::default)),
            (false, _) => quote!(self.value.#fname),
        };
        match &f.ty {
            Ty::List { item, sparse, .. } => {
                let item_ty = cx.ty(item);
                let item_ty = if *sparse { quote!(Option<#item_ty>) } else { item_ty };
                let add_doc = format!(" Appends one item to [`{}::{}`].", s.name, bare(&f.name));
                quote! {
                    #[doc = #add_doc]
                    #dep
                    #[inline]
                    pub fn #add(mut self, item: impl Into<#item_ty>) -> Self {
                        #get.push(item.into());
                        #mark
                        self
                    }
                }
            }
            Ty::Map { key, value, sparse, .. } => {
                let (k, v) = (cx.ty(key), cx.ty(value));
                let v = if *sparse { quote!(Option<#v>) } else { v };
                let add_doc = format!(" Inserts one entry into [`{}::{}`].", s.name, bare(&f.name));
                quote! {
                    #[doc = #add_doc]
                    #dep
                    #[inline]
                    pub fn #add(mut self, key: impl Into<#k>, value: impl Into<#v>) -> Self {
                        #get.insert(key.into(), value.into());
                        #mark
                        self
                    }
                }
            }
            _ => TokenStream::new(),
        }
    });
    quote! {
        #d
        #dep
        #[inline]
        pub fn #method(mut self, value: impl Into<#t>) -> Self {
            self.value.#fname = #assign;
            #mark
            self
        }
        #add
        #[doc = #set_doc]
        #dep
        #[inline]
        pub fn #set(mut self, value: Option<#t>) -> Self {
            #mark_opt
            self.value.#fname = #assign_opt;
            self
        }
    }
}

/// `build()`: reports every missing required member at once; returns the value directly when
/// the structure has no required members.
fn build_fn(s: &StructDef) -> TokenStream {
    let name = format_ident!("{}", s.name);
    let label = &s.name;
    let required = required_fields(s);
    let doc_ok = format!(" Builds the [`{}`].", s.name);
    if required.is_empty() {
        return quote! {
            #[doc = #doc_ok]
            #[inline]
            pub fn build(self) -> #name {
                self.value
            }
        };
    }
    let names: Vec<_> = required.iter().map(|f| f.member.as_str()).collect();
    let all = Literal::u64_unsuffixed(u64::MAX >> (64 - required.len()));
    let doc_err = format!(
        " Fails with every required member that is not set: {}.",
        names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
    );
    quote! {
        #[doc = #doc_ok]
        #[doc = ""]
        #[doc = #doc_err]
        pub fn build(self) -> Result<#name, ::awsgen_runtime::BuildError> {
            if self.set == #all {
                Ok(self.value)
            } else {
                Err(::awsgen_runtime::BuildError::unset(#label, self.set, &[#(#names),*]))
            }
        }
    }
}

fn error_impls(name: &proc_macro2::Ident, e: &ErrorInfo, s: &StructDef) -> TokenStream {
    let code = &e.code;
    // Shown by its shape name, as the SDKs show it; awsQuery may give it another code.
    let shown = s.shape_id.rsplit_once('#').map_or(code.as_str(), |(_, n)| n);
    let message = match &e.message_field {
        Some(m) => {
            let optional = s.fields.iter().find(|f| &f.name == m).is_none_or(Field::optional);
            let m = ident(m);
            if optional {
                quote!(self.#m.as_deref())
            } else {
                quote!(Some(self.#m.as_str()))
            }
        }
        None => quote!(None),
    };
    let retryable = e.retryable;
    let throttling = e.throttling;
    let server = e.fault == crate::traits::Fault::Server;
    let status = match e.http_status {
        Some(s) => {
            let s = Literal::u16_unsuffixed(s);
            quote!(Some(#s))
        }
        None => quote!(None),
    };
    quote! {
        impl ::awsgen_runtime::ModeledError for #name {
            const CODE: &'static str = #code;
            const SERVER_FAULT: bool = #server;
            const RETRYABLE: bool = #retryable;
            const THROTTLING: bool = #throttling;
            const HTTP_STATUS: Option<u16> = #status;
            fn message(&self) -> Option<&str> {
                #message
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(#shown)?;
                if let Some(m) = ::awsgen_runtime::ModeledError::message(self) {
                    write!(f, ": {m}")?;
                }
                Ok(())
            }
        }

        impl ::std::error::Error for #name {}
    }
}

/// An enum or intEnum with an `Unknown` variant that keeps unrecognised values.
pub fn enumeration(e: &EnumDef) -> TokenStream {
    let name = format_ident!("{}", e.name);
    let edoc = doc(e.doc.as_deref());
    let dep = deprecated(e.deprecated);
    let variants: Vec<_> = e.variants.iter().map(|v| format_ident!("{}", v.name)).collect();
    let variant_decls = e.variants.iter().map(|v| {
        let vname = format_ident!("{}", v.name);
        let wire = match &v.value {
            serde_json::Value::String(s) => format!("`{s}`"),
            other => other.to_string(),
        };
        let text = match &v.doc {
            Some(d) => format!("{d}\n\nOn the wire: {wire}."),
            None => format!("On the wire: {wire}."),
        };
        let vdoc = doc(Some(&text));
        let vdep = deprecated(v.deprecated);
        quote!(#vdoc #vdep #vname,)
    });
    let debug = if e.sensitive { quote!() } else { quote!(Debug,) };
    let debug_impl = e.sensitive.then(|| {
        quote! {
            impl ::std::fmt::Debug for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(#REDACTED)
                }
            }
        }
    });
    let unknown_doc = " A value this version of the model does not know, kept as it was received.";
    if e.int {
        let values: Vec<i32> = e.variants.iter().map(|v| v.value.as_i64().unwrap_or_default() as i32).collect();
        let values_lit: Vec<Literal> = values.iter().map(|v| Literal::i32_unsuffixed(*v)).collect();
        return quote! {
            #edoc
            #dep
            #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, #debug)]
            #[non_exhaustive]
            pub enum #name {
                #(#variant_decls)*
                #[doc = #unknown_doc]
                Unknown(i32),
            }

            impl #name {
                /// Every value this version of the model knows.
                pub const VALUES: &'static [i32] = &[#(#values_lit),*];

                /// The value on the wire.
                pub fn as_i32(&self) -> i32 {
                    match self {
                        #( #name::#variants => #values_lit, )*
                        #name::Unknown(v) => *v,
                    }
                }
            }

            impl From<i32> for #name {
                fn from(v: i32) -> Self {
                    match v {
                        #( #values_lit => #name::#variants, )*
                        other => #name::Unknown(other),
                    }
                }
            }

            impl Default for #name {
                fn default() -> Self {
                    Self::from(0)
                }
            }

            #[cfg(feature = "serde")]
            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    s.serialize_i32(self.as_i32())
                }
            }

            #[cfg(feature = "serde")]
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    ::awsgen_runtime::protocol::json::deserialize_int_enum(d)
                }
            }

            #debug_impl
        };
    }
    let values: Vec<String> = e.variants.iter().map(|v| v.value.as_str().unwrap_or_default().to_string()).collect();
    quote! {
        #edoc
        #dep
        #[derive(Clone, #debug)]
        #[non_exhaustive]
        pub enum #name {
            #(#variant_decls)*
            #[doc = #unknown_doc]
            Unknown(String),
        }

        impl #name {
            /// Every value this version of the model knows, as on the wire.
            pub const VALUES: &'static [&'static str] = &[#(#values),*];

            /// The value on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( #name::#variants => #values, )*
                    #name::Unknown(v) => v,
                }
            }
        }

        impl From<&str> for #name {
            fn from(v: &str) -> Self {
                match v {
                    #( #values => #name::#variants, )*
                    other => #name::Unknown(other.to_owned()),
                }
            }
        }

        /// The known value `v` names, or `Unknown` holding `v`.
        impl From<String> for #name {
            fn from(v: String) -> Self {
                match #name::from(v.as_str()) {
                    #name::Unknown(_) => #name::Unknown(v),
                    known => known,
                }
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;
            fn from_str(v: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(v))
            }
        }

        impl AsRef<str> for #name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        /// Values compare by their wire string, so `Unknown` of a known value equals that value.
        impl PartialEq for #name {
            fn eq(&self, other: &Self) -> bool {
                self.as_str() == other.as_str()
            }
        }

        impl Eq for #name {}

        impl ::std::hash::Hash for #name {
            fn hash<H: ::std::hash::Hasher>(&self, h: &mut H) {
                self.as_str().hash(h)
            }
        }

        impl PartialOrd for #name {
            fn partial_cmp(&self, other: &Self) -> Option<::std::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }

        impl Ord for #name {
            fn cmp(&self, other: &Self) -> ::std::cmp::Ordering {
                self.as_str().cmp(other.as_str())
            }
        }

        /// The empty `Unknown` value: the zero value used when a response omits a required member.
        impl Default for #name {
            fn default() -> Self {
                #name::Unknown(String::new())
            }
        }

        #[cfg(feature = "serde")]
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        #[cfg(feature = "serde")]
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                ::awsgen_runtime::protocol::json::deserialize_str_enum(d)
            }
        }

        #debug_impl
    }
}

/// A union: one variant per member, plus `Unknown` for members this model does not know.
pub fn union(cx: Scope<'_>, u: &UnionDef) -> TokenStream {
    let name = format_ident!("{}", u.name);
    let label = &u.name;
    let udoc = doc(u.doc.as_deref());
    let dep = deprecated(u.deprecated);
    let decls = u.variants.iter().map(|v| {
        let vname = format_ident!("{}", v.name);
        let vdoc = doc(v.doc.as_deref());
        let vdep = deprecated(v.deprecated);
        match &v.ty {
            None => quote!(#vdoc #vdep #vname,),
            Some(t) => {
                let t = if v.boxed {
                    let t = cx.ty(t);
                    quote!(Box<#t>)
                } else {
                    cx.ty(t)
                };
                quote!(#vdoc #vdep #vname(#t),)
            }
        }
    });
    let ser_arms = u.variants.iter().map(|v| {
        let vname = format_ident!("{}", v.name);
        let wire = &v.wire;
        match &v.ty {
            None => quote!(#name::#vname => ::awsgen_runtime::protocol::json::serialize_union_unit(s, #wire),),
            Some(t) => match adapter(t) {
                None => quote!(#name::#vname(v) => ::awsgen_runtime::protocol::json::serialize_union_member(s, #wire, v),),
                Some(a) => {
                    let a: TokenStream = a.parse().expect("adapters are types");
                    let t = cx.ty(t);
                    quote!(#name::#vname(v) => ::awsgen_runtime::protocol::json::serialize_union_member(s, #wire, &wire::SerializeAsWrap::<#t, #a>::new(v)),)
                }
            },
        }
    });
    let de_arms = u.variants.iter().map(|v| {
        let vname = format_ident!("{}", v.name);
        let wire = &v.wire;
        match &v.ty {
            None => quote!(#wire => wire::visit_unit_member(map)?.map(|()| #name::#vname),),
            Some(t) => {
                let rt = if v.boxed {
                    let t = cx.ty(t);
                    quote!(Box<#t>)
                } else {
                    cx.ty(t)
                };
                match adapter(t) {
                    None => quote!(#wire => map.next_value::<Option<#rt>>()?.map(#name::#vname),),
                    Some(a) => {
                        let a: TokenStream = a.parse().expect("adapters are types");
                        quote!(#wire => wire::visit_member_as::<_, #rt, #a>(map)?.map(#name::#vname),)
                    }
                }
            }
        }
    });
    let redact = u.sensitive || u.variants.iter().any(|v| v.sensitive);
    let debug = if redact { quote!() } else { quote!(Debug,) };
    let debug_impl = redact.then(|| {
        let arms = u.variants.iter().map(|v| {
            let vname = format_ident!("{}", v.name);
            let vlabel = &v.name;
            match (&v.ty, u.sensitive || v.sensitive) {
                (None, _) => quote!(#name::#vname => f.write_str(#vlabel),),
                (Some(_), true) => quote!(#name::#vname(_) => f.debug_tuple(#vlabel).field(&#REDACTED).finish(),),
                (Some(_), false) => quote!(#name::#vname(v) => f.debug_tuple(#vlabel).field(v).finish(),),
            }
        });
        quote! {
            impl ::std::fmt::Debug for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    match self {
                        #(#arms)*
                        #name::Unknown(k) => f.debug_tuple("Unknown").field(k).finish(),
                    }
                }
            }
        }
    });
    let unknown_doc = " A member this version of the model does not know; holds the member's name. It cannot be sent.";
    let validate = super::validate::union(u);
    quote! {
        #udoc
        #dep
        #[derive(Clone, PartialEq, #debug)]
        #[non_exhaustive]
        pub enum #name {
            #(#decls)*
            #[doc = #unknown_doc]
            Unknown(String),
        }

        /// An `Unknown` with no name: the zero value used when a response omits a required member.
        impl Default for #name {
            fn default() -> Self {
                #name::Unknown(String::new())
            }
        }

        #[cfg(feature = "serde")]
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#ser_arms)*
                    #name::Unknown(k) => Err(wire::unknown_union_variant::<S::Error>(#label, k)),
                }
            }
        }

        #[cfg(feature = "serde")]
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                wire::deserialize_union(d)
            }
        }

        #[cfg(feature = "serde")]
        impl wire::Union for #name {
            const NAME: &'static str = #label;
            fn visit_member<'de, A: ::serde::de::MapAccess<'de>>(key: &str, map: &mut A) -> Result<Option<Self>, A::Error> {
                Ok(match key {
                    #(#de_arms)*
                    _ => return wire::visit_unknown_member(key, map),
                })
            }
            fn unknown(key: &str) -> Self {
                #name::Unknown(key.to_owned())
            }
        }

        #validate
        #debug_impl
    }
}
