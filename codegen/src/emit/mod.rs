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

mod common;
pub mod operation;
pub mod protocol;
pub mod types;
pub mod validate;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ir::{Crate, Protocol, TypeDef};
use crate::render::rust_file;
use crate::{Config, Files, HEADER};

/// One file to emit.
enum Job<'a> {
    Type(&'a TypeDef),
    TypesMod,
    Operation(&'a crate::ir::Operation),
    OperationsMod,
    Client,
    /// `src/patterns.rs`, with the patterns validation checks character by character.
    Patterns(validate::CharPatterns<'a>),
    /// With `mod patterns` or not.
    Lib {
        patterns: bool,
    },
}

pub fn emit_crate(ir: &Crate, config: &Config) -> Files {
    let mut jobs: Vec<Job<'_>> = ir.types.values().map(Job::Type).collect();
    jobs.extend(ir.operations.iter().map(Job::Operation));
    let patterns = validate::char_patterns(ir);
    jobs.extend([Job::TypesMod, Job::OperationsMod, Job::Client, Job::Lib { patterns: !patterns.is_empty() }]);
    if !patterns.is_empty() {
        jobs.push(Job::Patterns(patterns));
    }

    // Token streams are built and rendered inside each worker (they are not `Send`); files land
    // in a sorted map, so the result does not depend on which worker finished first.
    let rendered = std::sync::Mutex::new(Vec::with_capacity(jobs.len()));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(jobs.len()).max(1);
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(job) = jobs.get(i) else { break };
                let (path, tokens) = emit_job(ir, job);
                let text = rust_file(&path, tokens);
                rendered.lock().expect("no worker panicked").push((path, text));
            });
        }
    });
    let mut files = Files(rendered.into_inner().expect("no worker panicked").into_iter().collect());
    files.0.insert("Cargo.toml".into(), cargo_toml(ir, config));
    files
}

fn emit_job(ir: &Crate, job: &Job<'_>) -> (String, TokenStream) {
    match job {
        Job::Type(def) => (format!("src/types/{}.rs", def.file()), type_file(def, ir.service.protocol)),
        Job::TypesMod => {
            let mods = ir.types.iter().map(|(file, def)| {
                let (m, t) = (format_ident!("{}", file), format_ident!("{}", def.name()));
                quote!(mod #m; pub use #m::#t;)
            });
            (
                "src/types/mod.rs".into(),
                quote! {
                    //! The structures, enums and unions of the service's model.
                    #(#mods)*
                },
            )
        }
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
        Job::Patterns(patterns) => ("src/patterns.rs".into(), validate::patterns_file(patterns)),
        Job::Lib { patterns } => ("src/lib.rs".into(), lib_rs(ir, *patterns)),
    }
}

fn type_file(def: &TypeDef, protocol: Protocol) -> TokenStream {
    let (tys, wire, body): (Vec<&crate::ir::Ty>, bool, TokenStream) = match def {
        TypeDef::Struct(s) => {
            let wire =
                s.fields.iter().any(|f| f.binding == crate::ir::Binding::Body && common::adapter(&f.ty).is_some());
            (s.fields.iter().map(|f| &f.ty).collect(), wire, types::structure(s, protocol))
        }
        TypeDef::Enum(e) => (Vec::new(), false, types::enumeration(e)),
        TypeDef::Union(u) => (u.variants.iter().filter_map(|v| v.ty.as_ref()).collect(), true, types::union(u)),
    };
    let imports = common::imports(tys, def.name(), wire);
    quote! { #imports #body }
}

fn lib_rs(ir: &Crate, patterns: bool) -> TokenStream {
    let s = &ir.service;
    let protocol = match s.protocol {
        Protocol::RestJson1 => "restJson1",
        Protocol::AwsJson1_0 => "awsJson1_0",
        Protocol::AwsJson1_1 => "awsJson1_1",
    };
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
            clippy::field_reassign_with_default
        )]

        #[rustfmt::skip]
        pub mod client;
        #[rustfmt::skip]
        pub mod operation;
        #[rustfmt::skip]
        pub mod types;
        #patterns_mod

        pub use awsgen_runtime::{BoxFuture, BuildError, DateTime, Document, Error};
        /// The runtime this crate is built on: errors, HTTP client configuration, wire helpers.
        pub use awsgen_runtime as runtime;
        pub use client::{#trait_name, Client};
    }
}

fn cargo_toml(ir: &Crate, config: &Config) -> String {
    let s = &ir.service;
    let mut out = format!(
        "# {HEADER}\n\n[package]\nname = \"{}\"\nversion = \"{}\"\nedition = \"2021\"\nrust-version = \"1.85\"\n\
         description = \"{} client generated from its Smithy model\"\nlicense = \"Apache-2.0\"\npublish = false\n\n\
         [dependencies]\nawsgen-runtime = {{ path = \"{}\" }}\nserde = {{ version = \"1\", features = [\"derive\"] }}\n",
        ir.crate_name,
        config.krate.version,
        s.title.replace('"', "'"),
        config.krate.runtime_path,
    );
    if config.krate.standalone {
        out.push_str("\n# Not part of any outer workspace.\n[workspace]\n");
    }
    out
}
