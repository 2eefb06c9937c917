//! Emit stage: one emitter per construct, `quote!` into token streams, rendered into files.
//!
//! Layout of a generated crate:
//!
//! ```text
//! Cargo.toml
//! src/lib.rs              crate docs and module declarations
//! src/types/mod.rs        one `mod` + `pub use` per shape
//! src/types/<shape>.rs    one file per structure, union or enum
//! src/operation/mod.rs
//! src/operation/<op>.rs   input, output, error enum, descriptor, wire functions
//! src/client.rs           the client trait and its HTTP implementation
//! src/patterns.rs         the @patterns validation checks character by character, if any
//! ```
//!
//! A change to one shape changes its own file, and the files of what embeds it.

pub(crate) mod common;
pub mod endpoint;
pub mod operation;
pub mod protocol;
pub mod types;
pub mod validate;
pub mod waiters;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use rayon::prelude::*;

use crate::ir::{Crate, RuntimeDep, TypeDef, TypeItem};
use crate::render;
use crate::{Files, HEADER};

/// One file to emit.
enum Job<'a> {
    Type(&'a TypeItem),
    TypesMod,
    Operation(&'a crate::ir::Operation),
    OperationsMod,
    Client,
    Endpoint,
    EndpointTests,
    /// `src/patterns.rs`, with the patterns validation checks character by character.
    Patterns(validate::CompiledPatterns<'a>),
    Paginators,
    Waiters,
    /// With `mod patterns` or not.
    Lib {
        patterns: bool,
    },
}

/// Every file of the crate `ir` describes. Files are rendered in parallel (each job builds its
/// own token streams, which are not `Send`) into a sorted map, so the result does not depend
/// on which finished first.
pub fn emit_crate(ir: &Crate) -> Files {
    let mut jobs: Vec<Job<'_>> = ir.types.values().map(Job::Type).collect();
    jobs.extend(ir.operations.iter().map(Job::Operation));
    let patterns = validate::compiled_patterns(ir);
    jobs.extend([
        Job::TypesMod,
        Job::OperationsMod,
        Job::Client,
        Job::Endpoint,
        Job::Lib { patterns: !patterns.is_empty() },
    ]);
    if !ir.service.endpoint.tests.is_empty() {
        jobs.push(Job::EndpointTests);
    }
    if has_paginators(ir) {
        jobs.push(Job::Paginators);
    }
    if has_waiters(ir) {
        jobs.push(Job::Waiters);
    }
    if !patterns.is_empty() {
        jobs.push(Job::Patterns(patterns));
    }
    let mut files = Files(
        jobs.par_iter()
            .map(|job| {
                let (path, tokens) = emit_job(ir, job);
                let mut file = render::parse(&path, tokens);
                if path.starts_with("src/") && !ir.meta.compile_in_crate {
                    compile_where_used(&mut file);
                }
                (path, render::format(&file))
            })
            .collect(),
    );
    files.0.insert("Cargo.toml".into(), cargo_toml(ir));
    files
}

/// Marks every function of a generated library file `#[inline]`, so that rustc compiles it to
/// machine code in the crates that call it, and not at all if nothing does: a program that
/// calls one operation of a service pays for the code of that operation and the shapes it
/// reaches, not for all of them, and the generated crate itself is mostly type checking. A
/// program that calls every operation builds no slower than with the code compiled in the generated
/// crate (`scripts/compile-time.sh`, `BENCHMARKS.md`). Functions without a body and those
/// with an `inline` attribute of their own are left as they are; functions nested in a
/// function's body are not generated. `compile_in_crate` in the configuration turns this off.
fn compile_where_used(file: &mut syn::File) {
    fn mark(attrs: &mut Vec<syn::Attribute>) {
        if !attrs.iter().any(|a| a.path().is_ident("inline")) {
            attrs.push(syn::parse_quote!(#[inline]));
        }
    }
    fn walk(items: &mut [syn::Item]) {
        for item in items {
            match item {
                syn::Item::Fn(f) => mark(&mut f.attrs),
                syn::Item::Impl(i) => {
                    for it in &mut i.items {
                        if let syn::ImplItem::Fn(f) = it {
                            mark(&mut f.attrs);
                        }
                    }
                }
                syn::Item::Trait(t) => {
                    for it in &mut t.items {
                        if let syn::TraitItem::Fn(f) = it {
                            if f.default.is_some() {
                                mark(&mut f.attrs);
                            }
                        }
                    }
                }
                syn::Item::Mod(m) => {
                    if let Some((_, content)) = &mut m.content {
                        walk(content);
                    }
                }
                _ => {}
            }
        }
    }
    walk(&mut file.items);
}

fn emit_job(ir: &Crate, job: &Job<'_>) -> (String, TokenStream) {
    match job {
        Job::Type(item) => (format!("src/types/{}.rs", item.file), type_file(ir, item)),
        Job::TypesMod => ("src/types/mod.rs".into(), types_mod(ir)),
        Job::Operation(op) => (format!("src/operation/{}.rs", op.module), operation::operation_file(ir, op)),
        Job::OperationsMod => {
            let mods = ir.operations.iter().map(|op| {
                let m = format_ident!("{}", op.module);
                quote!(pub mod #m;)
            });
            (
                "src/operation/mod.rs".into(),
                quote! {
                    //! One module per operation: its input, output, errors, and how they travel over HTTP.
                    #(#mods)*
                },
            )
        }
        Job::Client => ("src/client.rs".into(), operation::client_file(ir)),
        Job::Endpoint => ("src/endpoint.rs".into(), endpoint::endpoint_file(ir)),
        Job::EndpointTests => ("tests/endpoints.rs".into(), endpoint::tests_file(ir)),
        Job::Patterns(patterns) => ("src/patterns.rs".into(), validate::patterns_file(patterns)),
        Job::Paginators => ("src/paginators.rs".into(), waiters::paginators_file(ir).unwrap_or_default()),
        Job::Waiters => ("src/waiters.rs".into(), waiters::waiters_file(ir).unwrap_or_default()),
        Job::Lib { patterns } => ("src/lib.rs".into(), lib_rs(ir, *patterns)),
    }
}

fn has_paginators(ir: &Crate) -> bool {
    ir.operations.iter().any(|o| o.paginator.is_some())
}

fn has_waiters(ir: &Crate) -> bool {
    ir.operations.iter().any(|o| !o.waiters.is_empty())
}

/// `types/mod.rs`: one module per shape, its type re-exported, and the builders in `builders`.
fn types_mod(ir: &Crate) -> TokenStream {
    let mut items: Vec<(&str, &TypeItem)> = ir.types.values().map(|t| (t.file.as_str(), t)).collect();
    items.sort_unstable_by_key(|(file, _)| *file);
    let mods = items.iter().map(|(file, _)| format_ident!("{}", file));
    let uses = items.iter().map(|(file, item)| {
        let (m, t) = (format_ident!("{}", file), format_ident!("{}", item.def.name()));
        quote!(pub use #m::#t;)
    });
    let builders: Vec<TokenStream> = items
        .iter()
        .filter_map(|(file, item)| match &item.def {
            TypeDef::Struct(s) => {
                let (m, b) = (format_ident!("{}", file), format_ident!("{}", s.builder));
                Some(quote!(pub use super::#m::#b;))
            }
            _ => None,
        })
        .collect();
    let builders = (!builders.is_empty()).then(|| {
        quote! {
            /// The builders of the structures above.
            pub mod builders {
                #(#builders)*
            }
        }
    });
    quote! {
        //! The structures, enums and unions of the service's model.
        #(mod #mods;)*
        #(#uses)*
        #builders
    }
}

fn type_file(ir: &Crate, item: &TypeItem) -> TokenStream {
    let def = &item.def;
    let local: Vec<String> = match def {
        TypeDef::Struct(s) => vec![s.name.clone(), s.builder.clone()],
        _ => vec![def.name().to_string()],
    };
    let own = match def {
        TypeDef::Struct(s) => &s.shape_id,
        TypeDef::Enum(e) => &e.shape_id,
        TypeDef::Union(u) => &u.shape_id,
    };
    let cx = common::Scope::new(ir, Some(own), &local);
    let (tys, wire, body): (Vec<&crate::ir::Ty>, bool, TokenStream) = match def {
        TypeDef::Struct(s) => {
            let wire =
                s.fields.iter().any(|f| f.binding == crate::ir::Binding::Body && common::adapter(&f.ty).is_some());
            (s.fields.iter().map(|f| &f.ty).collect(), wire, types::structure(cx, s))
        }
        TypeDef::Enum(e) => (Vec::new(), false, types::enumeration(e)),
        TypeDef::Union(u) => (u.variants.iter().filter_map(|v| v.ty.as_ref()).collect(), true, types::union(cx, u)),
    };
    let imports = cx.imports(tys, wire);
    let wire_impls = protocol::of(ir.service.protocol).type_impls(cx, def);
    quote! { #imports #body #wire_impls }
}

fn lib_rs(ir: &Crate, patterns: bool) -> TokenStream {
    let s = &ir.service;
    let protocol = s.protocol.name();
    let about = format!(
        " A client for `{}` (API version `{}`, protocol `{}`), generated from its Smithy model.",
        s.shape_id, s.version, protocol
    );
    let usage = format!(
        "Call operations through the [`{0}`] trait; [`Client`] implements it over HTTPS with SigV4 \
         signing and retries, and a test double can implement it too. Inputs are built with builders, for example \
         [`operation::{1}::{2}Input::builder`].",
        s.trait_name,
        ir.operations.first().map_or("", |o| o.module.as_str()),
        ir.operations.first().map_or("", |o| o.name.as_str()),
    );
    let mut text = format!("# {}\n\n{}\n\n", s.title, about.trim());
    if let Some(d) = &s.doc {
        text.push_str(d);
        text.push_str("\n\n");
    }
    text.push_str(&usage);
    let docs = common::inner_doc(Some(&text));
    let trait_name = format_ident!("{}", s.trait_name);
    // In the order rustfmt sorts them, so the file stays as `cargo fmt` leaves it.
    let mut client_uses = vec![trait_name, format_ident!("Client")];
    client_uses.sort_by_key(|i| i.to_string());
    let paginators = has_paginators(ir).then(|| {
        let t = format_ident!("{}Paginators", s.trait_name);
        quote! {
            #[cfg(feature = "client")]
            #[rustfmt::skip]
            pub mod paginators;
            #[cfg(feature = "client")]
            pub use paginators::#t;
        }
    });
    let waiters = has_waiters(ir).then(|| {
        let t = format_ident!("{}Waiters", s.trait_name);
        quote! {
            #[cfg(feature = "client")]
            #[rustfmt::skip]
            pub mod waiters;
            #[cfg(feature = "client")]
            pub use waiters::#t;
        }
    });
    let context_params_use = (!s.endpoint.client_params.is_empty()).then(|| {
        quote!(
            #[cfg(feature = "client")]
            pub use client::ClientContextParams;
        )
    });
    let patterns_mod = patterns.then(|| {
        quote! {
            #[rustfmt::skip]
            mod patterns;
        }
    });
    quote! {
        #docs
        #![allow(deprecated)]
        #![allow(
            clippy::large_enum_variant,
            clippy::enum_variant_names,
            clippy::module_inception,
            clippy::wrong_self_convention,
            clippy::disallowed_names,
            clippy::field_reassign_with_default,
            clippy::unnecessary_filter_map,
            clippy::bind_instead_of_map,
            clippy::single_match,
            clippy::redundant_closure
        )]

        /// The client trait and its HTTPS implementation (the `client` feature, on by default).
        #[cfg(feature = "client")]
        #[rustfmt::skip]
        pub mod client;
        #[rustfmt::skip]
        pub mod endpoint;
        #[rustfmt::skip]
        pub mod operation;
        #[rustfmt::skip]
        pub mod types;
        #patterns_mod

        pub use awsgen_runtime::{BoxFuture, BuildError, DateTime, Document, Error};
        /// The runtime this crate is built on: errors, HTTP client configuration, wire helpers.
        pub use awsgen_runtime as runtime;
        #[cfg(feature = "client")]
        pub use client::{#(#client_uses),*};
        #context_params_use
        #paginators
        #waiters
    }
}

/// `Cargo.toml`: the layout is written here; every value goes through `toml`, which quotes it as
/// TOML requires.
fn cargo_toml(ir: &Crate) -> String {
    use toml::{Table, Value};
    let meta = &ir.meta;
    let string = |v: &str| Value::String(v.to_string());
    let inline = |pairs: &[(&str, Value)]| -> Value {
        Value::Table(pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect::<Table>())
    };
    let runtime = match &meta.runtime {
        RuntimeDep::Path(p) => vec![("path", string(p))],
        RuntimeDep::Git { url, rev: None } => vec![("git", string(url))],
        RuntimeDep::Git { url, rev: Some(rev) } => vec![("git", string(url)), ("rev", string(rev))],
        RuntimeDep::Version(v) => vec![("version", string(v))],
    };
    // Only the body format of the crate's protocol, and the checksum algorithms when its
    // operations use them, are compiled into the runtime.
    use crate::ir::Protocol;
    let mut features = Vec::new();
    match ir.service.protocol {
        Protocol::RestXml | Protocol::AwsQuery | Protocol::Ec2Query => features.push(string("xml")),
        Protocol::RpcV2Cbor => features.push(string("cbor")),
        _ => {}
    }
    // The CRC crates only for services with checksum operations.
    if ir.operations.iter().any(|o| o.checksum.is_some()) {
        features.push(string("checksums"));
    }
    // gzip and MD5 only for services whose operations ask for them.
    if ir.operations.iter().any(|o| o.gzip) {
        features.push(string("compression"));
    }
    if ir.operations.iter().any(|o| o.checksum_required) {
        features.push(string("md5"));
    }
    // A regex engine only for the rare pattern no automaton of reasonable size checks.
    if validate::uses_regex(ir) {
        features.push(string("regex"));
    }
    let mut runtime = runtime;
    // The runtime's client comes with this crate's `client` feature.
    runtime.push(("default-features", Value::Boolean(false)));
    if !features.is_empty() {
        runtime.push(("features", Value::Array(features)));
    }
    let runtime = inline(&runtime);
    let serde = inline(&[
        ("version", string("1")),
        ("features", Value::Array(vec![string("derive")])),
        ("optional", Value::Boolean(true)),
    ]);
    let description = string(&format!("{} client generated from its Smithy model", ir.service.title));
    let mut out = format!(
        "# {HEADER}\n\n[package]\nname = {}\nversion = {}\nedition = \"2021\"\nrust-version = \"1.85\"\n\
         description = {description}\nlicense = \"Apache-2.0\"\npublish = false\n\n[dependencies]\n\
         # The runtime: a path (the default), `{{ git = \"…\", rev = \"…\" }}` or `{{ version = \"…\" }}`; set it\n\
         # with `runtime` in codegen.toml, `--runtime` on the command line or `Builder::runtime`.\n\
         awsgen-runtime = {runtime}\nserde = {serde}\n\n[features]\n\
         default = [\"client\"]\n\
         # The client trait and its HTTPS implementation (tokio, hyper, rustls), paginators and waiters.\n\
         # Without it: types, builders, validation and the wire functions of each `Operation`.\n\
         client = [\"awsgen-runtime/client\"]\n\
         # serde impls on every type, writing the same JSON as the wire functions.\n\
         serde = [\"dep:serde\", \"awsgen-runtime/serde\"]\n\
         # `tracing` spans for each call and attempt: operation, attempt, status, error code, duration.\n\
         tracing = [\"client\", \"awsgen-runtime/tracing\"]\n\
         # `runtime::credentials::FromAws`: credentials providers of the official SDK (`aws-config`).\n\
         aws-credential-types = [\"awsgen-runtime/aws-credential-types\"]\n",
        string(&meta.name),
        string(&meta.version),
    );
    if meta.standalone {
        out.push_str("\n# Not part of any outer workspace.\n[workspace]\n");
    }
    out
}
