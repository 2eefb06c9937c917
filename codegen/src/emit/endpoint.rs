//! `src/endpoint.rs` (the service's endpoint rules as static data) and `tests/endpoints.rs`
//! (the model's endpoint test cases, one `#[test]` each).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::endpoint::Case;
use crate::ir::Crate;

pub fn endpoint_file(ir: &Crate) -> TokenStream {
    let e = &ir.service.endpoint;
    let rules = crate::endpoint::tokens(&e.rules);
    let origin = if e.from_model {
        " The endpoint rules of the service, from its model (`smithy.rules#endpointRuleSet`)."
    } else {
        " The model has no endpoint rules: these are the usual regional ones, with FIPS and dual-stack variants."
    };
    quote! {
        #![doc = #origin]
        //!
        //! The client resolves them once per distinct set of parameters; `tests/endpoints.rs`
        //! holds the model's test cases for them.

        #[allow(unused_imports)]
        use ::awsgen_runtime::endpoint::rules::{
            Condition, EndpointSpec, Expr, Func, Literal, Param, ParamType, Part, PathSeg, Rule, RuleKind, RuleSet,
        };
        use ::std::borrow::Cow::Borrowed as B;

        /// The rule set.
        pub static RULES: RuleSet = #rules;
    }
}

/// A Rust expression for a rules value (for a file that imports `Value`).
pub fn value(v: &awsgen_rules::Value) -> TokenStream {
    use awsgen_rules::Value as V;
    match v {
        V::String(s) => quote!(Value::String(#s.into())),
        V::Bool(b) => quote!(Value::Bool(#b)),
        V::Int(i) => quote!(Value::Int(#i)),
        V::Array(items) => {
            let items = items.iter().map(value);
            quote!(Value::Array(vec![#(#items),*]))
        }
        V::Record(fields) => {
            let fields = fields.iter().map(|(k, v)| {
                let (k, v) = (k.as_ref(), value(v));
                quote!((#k.into(), #v))
            });
            quote!(Value::Record(vec![#(#fields),*]))
        }
    }
}

fn test_name(i: usize, c: &Case) -> proc_macro2::Ident {
    let words: String = heck::ToSnakeCase::to_snake_case(c.documentation.as_str())
        .chars()
        .filter(|ch| ch.is_ascii_alphanumeric() || *ch == '_')
        .take(80)
        .collect();
    format_ident!("case_{i}_{}", words.trim_end_matches('_'))
}

pub fn tests_file(ir: &Crate) -> TokenStream {
    let krate = format_ident!("{}", ir.meta.ident());
    let tests = ir.service.endpoint.tests.iter().enumerate().map(|(i, c)| {
        let name = test_name(i, c);
        let doc = format!(" {}", c.documentation);
        let params = c.params.iter().map(|(k, v)| {
            let v = value(v);
            quote!((#k, #v))
        });
        let (table, note) = if c.before_iso_dual_stack {
            (
                quote!(Partitions::BeforeIsoDualStack),
                quote! {
                    // The case predates dual-stack endpoints in the aws-iso partitions; it holds
                    // against the partitions as they were then.
                },
            )
        } else {
            (quote!(Partitions::Current), TokenStream::new())
        };
        let want = match &c.expect {
            Ok(e) => {
                let url = &e.url;
                let headers = e.headers.iter().map(|(k, vs)| quote!((#k, &[#(#vs),*][..])));
                let props = e.properties.iter().map(|(k, v)| {
                    let (k, v) = (k.as_ref(), value(v));
                    quote!((#k, #v))
                });
                quote!(endpoint(#url, &[#(#headers),*], &[#(#props),*]))
            }
            Err(msg) => quote!(error(#msg)),
        };
        quote! {
            #[doc = #doc]
            #[test]
            fn #name() {
                #note
                check(#table, &[#(#params),*], #want);
            }
        }
    });
    quote! {
        //! The model's endpoint test cases (`smithy.rules#endpointTests`), through the rules the
        //! client resolves.

        // A module, so that `cargo fmt` leaves the generated layout alone.
        #[rustfmt::skip]
        mod cases {
            use #krate::runtime::endpoint::rules::{self, Endpoint, ResolveError, Value};

            /// Which partition facts a case was written against.
            #[allow(dead_code)]
            enum Partitions {
                Current,
                BeforeIsoDualStack,
            }

            /// Resolves the crate's rules for `params` and compares with `want`.
            fn check(partitions: Partitions, params: &[(&str, Value)], want: Result<Endpoint, ResolveError>) {
                let mut p = rules::Params::new(&#krate::endpoint::RULES);
                for (name, value) in params {
                    p.set(name, value.clone()).unwrap();
                }
                let got = match partitions {
                    Partitions::Current => rules::resolve(&p),
                    Partitions::BeforeIsoDualStack => rules::resolve_in(&p, &rules::partitions::before_iso_dual_stack()),
                };
                assert_eq!(got, want);
            }

            #[allow(dead_code)]
            fn endpoint(url: &str, headers: &[(&str, &[&str])], properties: &[(&'static str, Value)]) -> Result<Endpoint, ResolveError> {
                Ok(Endpoint {
                    url: url.to_string(),
                    headers: headers.iter().map(|(k, vs)| (k.to_string(), vs.iter().map(|v| v.to_string()).collect())).collect(),
                    properties: properties.iter().map(|(k, v)| ((*k).into(), v.clone())).collect(),
                })
            }

            #[allow(dead_code)]
            fn error(message: &str) -> Result<Endpoint, ResolveError> {
                Err(ResolveError::Rule(message.to_string()))
            }

            #(#tests)*
        }
    }
}
