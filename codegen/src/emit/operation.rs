//! Emitters for operations (input, output, error enum, descriptor) and the client trait.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::common::*;
use super::types::structure;
use crate::ir::*;
use crate::naming::ident;

/// The names an operation module defines; types of the same name are referred to by path.
pub fn local_names(op: &Operation) -> Vec<String> {
    vec![
        op.name.clone(),
        op.input.name.clone(),
        op.output.name.clone(),
        op.error_enum.clone(),
        op.input.builder.clone(),
        op.output.builder.clone(),
        "builders".into(),
    ]
}

pub fn operation_file(ir: &Crate, op: &Operation) -> TokenStream {
    let local = local_names(op);
    let cx = Scope::new(ir, None, &local);
    let name = format_ident!("{}", op.name);
    let input = format_ident!("{}", op.input.name);
    let output = format_ident!("{}", op.output.name);
    let error = format_ident!("{}", op.error_enum);
    let module_doc = {
        let first = format!(" `{}`: {}", op.wire_name, op.doc.as_deref().unwrap_or("").lines().next().unwrap_or(""));
        quote!(#![doc = #first])
    };
    let input_struct = structure(cx, &op.input);
    let output_struct = structure(cx, &op.output);

    let mut tys: Vec<&Ty> = op.input.fields.iter().chain(&op.output.fields).map(|f| &f.ty).collect();
    let error_tys: Vec<Ty> =
        op.errors.iter().map(|e| Ty::Named { id: e.id.clone(), kind: NamedKind::Struct }).collect();
    tys.extend(error_tys.iter());
    let wire =
        op.input.fields.iter().chain(&op.output.fields).any(|f| f.binding == Binding::Body && adapter(&f.ty).is_some());
    let imports = cx.imports(tys, wire);

    let variants: Vec<_> = op.errors.iter().map(|e| format_ident!("{}", e.variant)).collect();
    let err_tys: Vec<_> = op.errors.iter().map(|e| cx.path(&e.id)).collect();
    let error_doc = format!(" The errors the model says [`{}`] can return.", op.name);
    let variant_docs = op.errors.iter().map(|e| format!(" `{}`.", crate::model::shape_name(&e.id)));

    let op_doc = doc(op.doc.as_deref());
    let descriptor_doc =
        format!(" The `{}` operation: its input, output, errors and HTTP binding, for generic code.", op.wire_name);
    let wire_name = &op.wire_name;
    let builders_doc = format!(" The builders of [`{}`] and [`{}`].", op.input.name, op.output.name);
    let (input_builder, output_builder) =
        (format_ident!("{}", op.input.builder), format_ident!("{}", op.output.builder));

    let fmt_arg = if op.errors.is_empty() { format_ident!("_f") } else { format_ident!("f") };
    let protocol = super::protocol::of(ir.service.protocol);
    let serialize = protocol.serialize_request(&ir.service, op);
    let error_info = protocol.error_info();
    let fill_tokens = super::protocol::fill_tokens(op);
    let endpoint_params = super::protocol::endpoint_params_fn(ir, op);
    let endpoint_url = super::protocol::endpoint_url_fn(op);
    let checksum = super::protocol::checksum_fns(op);
    let unsigned = op.unsigned.then(|| {
        quote!(
            const UNSIGNED: bool = true;
        )
    });
    let streams = stream_fns(op);
    let host_prefix = super::protocol::host_prefix_fn(op);
    let read_error = super::protocol::read_error_fn(cx, op);
    let read_output = super::protocol::read_output_fn(cx, op);

    quote! {
        #module_doc
        #imports

        #input_struct
        #output_struct

        #[doc = #builders_doc]
        pub mod builders {
            pub use super::{#input_builder, #output_builder};
        }

        #[doc = #error_doc]
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #error {
            #( #[doc = #variant_docs] #variants(#err_tys), )*
        }

        impl #error {
            /// The error code on the wire, e.g. `ValidationException`.
            pub fn code(&self) -> &'static str {
                match *self {
                    #( #error::#variants(_) => <#err_tys as ::awsgen_runtime::ModeledError>::CODE, )*
                }
            }

            /// The error's message, when the service sent one.
            pub fn message(&self) -> Option<&str> {
                match *self {
                    #( #error::#variants(ref e) => ::awsgen_runtime::ModeledError::message(e), )*
                }
            }

            /// True when a retry may help: the model marks the error `@retryable`, it is a
            /// throttling error, or its HTTP status is 500, 502, 503 or 504.
            pub fn is_retryable(&self) -> bool {
                match *self {
                    #( #error::#variants(_) => ::awsgen_runtime::modeled_is_retryable::<#err_tys>(), )*
                }
            }
        }

        impl ::awsgen_runtime::ModeledErrorEnum for #error {
            fn code(&self) -> &'static str {
                #error::code(self)
            }
            fn is_retryable(&self) -> bool {
                #error::is_retryable(self)
            }
        }

        impl ::std::fmt::Display for #error {
            fn fmt(&self, #fmt_arg: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match *self {
                    #( #error::#variants(ref e) => e.fmt(f), )*
                }
            }
        }

        impl ::std::error::Error for #error {
            fn source(&self) -> Option<&(dyn ::std::error::Error + 'static)> {
                match *self {
                    #( #error::#variants(ref e) => Some(e), )*
                }
            }
        }

        #[doc = #descriptor_doc]
        #[doc = ""]
        #op_doc
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
        pub struct #name;

        impl ::awsgen_runtime::Operation for #name {
            type Input = #input;
            type Output = #output;
            type Error = #error;
            const NAME: &'static str = #wire_name;
            #unsigned
            const ERROR_INFO: fn(&::awsgen_runtime::http::Response) -> ::awsgen_runtime::protocol::ErrorInfo = #error_info;

            #fill_tokens

            #host_prefix

            #endpoint_params
            #endpoint_url
            #checksum
            #streams

            fn serialize_request(input: &#input) -> Result<::awsgen_runtime::http::Request, ::awsgen_runtime::protocol::SerializeError> {
                #serialize
            }

            #read_output

            #read_error
        }
    }
}

/// The client trait: one method per operation.
pub fn client_file(ir: &Crate) -> TokenStream {
    let trait_name = format_ident!("{}", ir.service.trait_name);
    let trait_doc = format!(
        " The operations of {}. [`Client`] calls the service over HTTP; a test double implements \
         only the methods it needs, the others answer [`Error::NotImplemented`].",
        ir.service.title
    );
    let methods = ir.operations.iter().map(|op| {
        let m = ident(&op.method);
        let module = format_ident!("{}", op.module);
        let input = format_ident!("{}", op.input.name);
        let output = format_ident!("{}", op.output.name);
        let error = format_ident!("{}", op.error_enum);
        let d = doc(op.doc.as_deref());
        let dep = deprecated(op.deprecated);
        let wire_name = &op.wire_name;
        quote! {
            #d
            #dep
            fn #m(&self, input: #module::#input) -> BoxFuture<'_, Result<#module::#output, Error<#module::#error>>> {
                let _ = input;
                Box::pin(async { Err(Error::NotImplemented { operation: #wire_name }) })
            }
        }
    });
    let impls = ir.operations.iter().map(|op| {
        let m = ident(&op.method);
        let module = format_ident!("{}", op.module);
        let name = format_ident!("{}", op.name);
        let input = format_ident!("{}", op.input.name);
        let output = format_ident!("{}", op.output.name);
        let error = format_ident!("{}", op.error_enum);
        let dep = if op.deprecated { quote!(#[allow(deprecated)]) } else { quote!() };
        quote! {
            #dep
            fn #m(&self, input: #module::#input) -> BoxFuture<'_, Result<#module::#output, Error<#module::#error>>> {
                Box::pin(self.core.call::<#module::#name>(input))
            }
        }
    });
    let s = &ir.service;
    let (signing, sdk_id, version) = (&s.signing_name, &s.sdk_id, &s.version);
    // S3 (and S3 Control, which signs as `s3`) signs its paths as sent, with the payload hash
    // in a header.
    let signing_rules = if s.signing_name == "s3" {
        quote!(::awsgen_runtime::sigv4::SigningRules::S3)
    } else {
        quote!(::awsgen_runtime::sigv4::SigningRules::STANDARD)
    };
    let client_doc = format!(
        " Calls {} over HTTPS: SigV4-signed (signing name `{}`), retried with backoff, validated before sending.",
        s.title, s.signing_name
    );
    let example = [
        "```no_run".to_string(),
        "# async fn run() -> Result<(), Box<dyn std::error::Error>> {".into(),
        format!("use {}::{};", ir.meta.ident(), s.trait_name),
        String::new(),
        format!(
            "let client = {}::Client::builder().region(\"us-east-1\").build()?; // credentials from AWS_* variables",
            ir.meta.ident()
        ),
        "# let _ = client;".into(),
        "# Ok(())".into(),
        "# }".into(),
        "```".into(),
    ]
    .join("\n");
    let example = doc(Some(&example));
    let context_params = client_context_params(ir);
    let modules: Vec<_> = ir.operations.iter().map(|op| format_ident!("{}", op.module)).collect();
    quote! {
        use ::awsgen_runtime::{BoxFuture, Error};
        use crate::operation::{#(#modules),*};

        #[doc = #trait_doc]
        #[doc = ""]
        #[doc = " Methods return boxed futures, so the trait is usable as `dyn` (for example"]
        #[doc = " `Arc<dyn Trait>`) and the futures are `Send`."]
        pub trait #trait_name: Send + Sync {
            #(#methods)*
        }

        #[doc = #client_doc]
        #[doc = ""]
        #[doc = " Build one with [`Client::builder`]: a region (or an explicit endpoint URL) and credentials"]
        #[doc = " (explicit, or the standard `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`)."]
        #[doc = ""]
        #example
        #[derive(Debug, Clone)]
        pub struct Client {
            core: ::awsgen_runtime::client::ClientCore,
        }

        impl Client {
            /// Starts configuring a client.
            pub fn builder() -> ::awsgen_runtime::client::ClientBuilder<Client> {
                Default::default()
            }

            /// The configuration shared by every call.
            pub fn core(&self) -> &::awsgen_runtime::client::ClientCore {
                &self.core
            }
        }

        impl ::awsgen_runtime::client::ServiceClient for Client {
            const SERVICE: ::awsgen_runtime::client::ServiceInfo = ::awsgen_runtime::client::ServiceInfo {
                signing_name: #signing,
                rules: &crate::endpoint::RULES,
                sdk_id: #sdk_id,
                api_version: #version,
                signing: #signing_rules,
            };
            fn from_core(core: ::awsgen_runtime::client::ClientCore) -> Self {
                Self { core }
            }
        }

        impl #trait_name for Client {
            #(#impls)*
        }

        #context_params
    }
}

/// The hooks of an operation with a streaming payload: its input's file or stream is sent as it
/// is read, and its output's body handed over as it arrives. Operations whose serializer needs
/// the whole body (Glacier's tree hash, a required `Content-MD5`) keep it in the input, where
/// the serializer refuses a body that is not in memory.
fn stream_fns(op: &Operation) -> TokenStream {
    let mut out = TokenStream::new();
    let (input, output) = (format_ident!("{}", op.input.name), format_ident!("{}", op.output.name));
    let rt = quote!(::awsgen_runtime::body::ByteStream);
    if let Some(f) = op.input.stream_field().filter(|_| !op.glacier_checksums && !op.checksum_required) {
        let fid = field_ident(f);
        out.extend(quote! {
            fn take_request_stream(input: &mut #input) -> Option<#rt> {
                input.#fid.take_if_streaming()
            }
        });
        if op.stream_requires_length {
            out.extend(quote!(
                const STREAM_REQUIRES_LENGTH: bool = true;
            ));
        }
    }
    if let Some(f) = op.output.stream_field() {
        let fid = field_ident(f);
        out.extend(quote! {
            const STREAMING_OUTPUT: bool = true;
            fn set_response_stream(output: &mut #output, body: #rt) {
                output.#fid = body;
            }
        });
    }
    out
}

/// `ClientContextParams`: the service's client context parameters of the endpoint rules as
/// typed, documented methods of the client builder (an extension trait, since the builder is
/// the runtime's); nothing for a service without them.
fn client_context_params(ir: &Crate) -> TokenStream {
    let params = &ir.service.endpoint.client_params;
    if params.is_empty() {
        return quote!();
    }
    let (decls, defs): (Vec<_>, Vec<_>) = params
        .iter()
        .map(|p| {
            let m = ident(&p.method);
            let name = &p.name;
            let (ty, value) = match p.ty {
                awsgen_rules::ParamType::Boolean => {
                    (quote!(bool), quote!(::awsgen_runtime::endpoint::rules::Value::Bool(value)))
                }
                _ => {
                    (quote!(impl Into<String>), quote!(::awsgen_runtime::endpoint::rules::Value::String(value.into())))
                }
            };
            let model_doc = p.doc.as_deref().map(crate::docs::html_to_markdown).filter(|d| !d.is_empty());
            let d = doc(model_doc.as_deref());
            let param_doc = format!(" The endpoint rules parameter `{name}`.");
            let decl = quote! {
                #d
                #[doc = ""]
                #[doc = #param_doc]
                fn #m(self, value: #ty) -> Self;
            };
            let def = quote! {
                fn #m(self, value: #ty) -> Self {
                    self.endpoint_param(#name, #value)
                }
            };
            (decl, def)
        })
        .unzip();
    let trait_doc = format!(
        " The service's settings for its endpoint rules, as methods of [`Client::builder`]: bring \
         the trait into scope (`use {}::ClientContextParams;`) to call them.",
        ir.meta.ident()
    );
    quote! {
        #[doc = #trait_doc]
        pub trait ClientContextParams: Sized {
            #(#decls)*
        }

        impl ClientContextParams for ::awsgen_runtime::client::ClientBuilder<Client> {
            #(#defs)*
        }
    }
}
