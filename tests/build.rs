//! Generates `sdk_convert.rs`: conversions from the generated AppFlow types to aws-sdk-appflow's
//! (the official SDK), from our own generator's IR. The differential tests and benchmarks send
//! the same values through both SDKs with it.
//!
//! smithy-rs names types and members with plain case conversion (no override table), which is
//! what heck gives; the compiler checks every name.

use std::path::Path;

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use codegen::ir::{StructDef, Ty, TypeDef};

fn sdk_type(shape_id: &str) -> proc_macro2::Ident {
    format_ident!("{}", codegen::model::shape_name(shape_id).to_upper_camel_case())
}

/// Converts `v` (a reference to our value of type `t`) to the SDK's value.
fn conv(t: &Ty, v: TokenStream) -> TokenStream {
    match t {
        Ty::String | Ty::Bool | Ty::I8 | Ty::I16 | Ty::I32 | Ty::I64 | Ty::F32 | Ty::F64 => quote!(#v.clone()),
        Ty::Timestamp(_) => {
            quote!(::aws_smithy_types::DateTime::from_secs_and_nanos(#v.secs(), #v.subsec_nanos()))
        }
        Ty::Named { .. } => quote!(ToSdk::to_sdk(#v)),
        Ty::List { item, .. } => {
            let i = conv(item, quote!(x));
            quote!(#v.iter().map(|x| #i).collect::<Vec<_>>())
        }
        Ty::Map { key, value, .. } => {
            let (k, val) = (conv(key, quote!(k)), conv(value, quote!(x)));
            quote!(#v.iter().map(|(k, x)| (#k, #val)).collect::<::std::collections::HashMap<_, _>>())
        }
        other => panic!("no conversion for {other:?}"),
    }
}

fn setters(s: &StructDef) -> Vec<TokenStream> {
    s.fields
        .iter()
        .map(|f| {
            let ours = codegen::naming::ident(&f.name);
            let set = format_ident!("set_{}", f.member.to_snake_case());
            let c = conv(&f.ty, quote!(x));
            if f.optional() {
                quote!(.#set(self.#ours.as_ref().map(|x| #c)))
            } else {
                quote!(.#set(Some({ let x = &self.#ours; #c })))
            }
        })
        .collect()
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf();
    println!("cargo:rerun-if-changed={}", root.join("model").display());
    let config_text = std::fs::read_to_string(root.join("model/codegen.toml")).unwrap();
    let config = codegen::Config::parse("model/codegen.toml", &config_text).unwrap();
    let text = std::fs::read_to_string(root.join("model").join(&config.model)).unwrap();
    let model = codegen::load(&[codegen::Input { name: "model", text: &text }]).unwrap();
    let closure = codegen::model::closure(&model, &config.selection()).unwrap();
    let ir = codegen::lower::lower(&model, &closure, &config.meta()).unwrap();

    let mut items = Vec::new();
    for item in ir.types.values() {
        let def = &item.def;
        match def {
            TypeDef::Struct(s) => {
                let ours = format_ident!("{}", s.name);
                let theirs = sdk_type(&s.shape_id);
                let sets = setters(s);
                let is_error = matches!(s.role, codegen::ir::Role::Error(_));
                if is_error {
                    continue;
                }
                items.push(quote! {
                    impl ToSdk for appflow::types::#ours {
                        type Sdk = aws_sdk_appflow::types::#theirs;
                        fn to_sdk(&self) -> Self::Sdk {
                            aws_sdk_appflow::types::#theirs::builder() #(#sets)* .build().built()
                        }
                    }
                });
            }
            TypeDef::Enum(e) => {
                let ours = format_ident!("{}", e.name);
                let theirs = sdk_type(&e.shape_id);
                items.push(quote! {
                    impl ToSdk for appflow::types::#ours {
                        type Sdk = aws_sdk_appflow::types::#theirs;
                        fn to_sdk(&self) -> Self::Sdk {
                            aws_sdk_appflow::types::#theirs::from(self.as_str())
                        }
                    }
                });
                items.push(quote!(impl Built<aws_sdk_appflow::types::#theirs> for aws_sdk_appflow::types::#theirs { fn built(self) -> Self { self } }));
            }
            TypeDef::Union(_) => panic!("AppFlow's four operations have no unions"),
        }
        if let TypeDef::Struct(s) = def {
            let theirs = sdk_type(&s.shape_id);
            items.push(quote!(impl Built<aws_sdk_appflow::types::#theirs> for aws_sdk_appflow::types::#theirs { fn built(self) -> Self { self } }));
        }
    }
    for op in &ir.operations {
        let module = format_ident!("{}", op.module);
        let input = format_ident!("{}", op.input.name);
        let output = format_ident!("{}", op.output.name);
        let send = format_ident!("{}_fluent", op.module);
        let method = codegen::naming::ident(&op.method);
        let in_sets = setters(&op.input);
        let out_sets = setters(&op.output);
        let fluent = format_ident!("{}FluentBuilder", op.name);
        items.push(quote! {
            /// The SDK's fluent call with every member of our input set.
            pub fn #send(client: &aws_sdk_appflow::Client, input: &appflow::operation::#module::#input) -> aws_sdk_appflow::operation::#module::builders::#fluent {
                input.fill(client.#method())
            }

            impl FillFluent<aws_sdk_appflow::operation::#module::builders::#fluent> for appflow::operation::#module::#input {
                fn fill(&self, b: aws_sdk_appflow::operation::#module::builders::#fluent) -> aws_sdk_appflow::operation::#module::builders::#fluent {
                    b #(#in_sets)*
                }
            }

            impl ToSdk for appflow::operation::#module::#output {
                type Sdk = aws_sdk_appflow::operation::#module::#output;
                fn to_sdk(&self) -> Self::Sdk {
                    aws_sdk_appflow::operation::#module::#output::builder() #(#out_sets)* .build().built()
                }
            }

            impl Built<aws_sdk_appflow::operation::#module::#output> for aws_sdk_appflow::operation::#module::#output {
                fn built(self) -> Self { self }
            }
        });
    }
    let file = quote! {
        /// Our value, as the SDK's type.
        pub trait ToSdk {
            type Sdk;
            fn to_sdk(&self) -> Self::Sdk;
        }

        /// Fills an SDK fluent builder from our input.
        pub trait FillFluent<B> {
            fn fill(&self, b: B) -> B;
        }

        /// The SDK's `build()` returns a value or a `Result`, depending on required members.
        pub trait Built<T> {
            fn built(self) -> T;
        }

        impl<T> Built<T> for Result<T, ::aws_smithy_types::error::operation::BuildError> {
            fn built(self) -> T {
                self.expect("all required members are set")
            }
        }

        #(#items)*
    };
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("sdk_convert.rs");
    std::fs::write(out, prettyplease::unparse(&syn::parse2(file).unwrap())).unwrap();
}
