//! The Smithy protocol compliance harness.
//!
//! For one test service of `../shared/protocol-tests`, it generates the service's crate with
//! this project's generator, turns every client-side `httpRequestTests` and `httpResponseTests`
//! case (those on error shapes included) into a `#[test]` of that crate, and lets `cargo test`
//! run them. Test inputs and expected outputs are Rust values built from the cases' `params`
//! through the generator's own IR, so they exercise the public generated API as a user would.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use codegen::ir::{Crate, NamedKind, StructDef, Ty, TypeDef};
use codegen::model::Kind;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

/// One generated test case.
#[derive(Debug, Clone)]
pub struct Case {
    /// The case id from the suite.
    pub id: String,
    /// The Rust test function name.
    pub test_name: String,
    /// `request`, `response` or `error`.
    pub kind: &'static str,
    /// The operation the case runs against.
    pub operation: String,
}

/// The generated crate (files) plus the test file and the list of cases.
pub struct Suite {
    pub files: codegen::Files,
    pub cases: Vec<Case>,
    /// Cases that could not be turned into Rust (count as failures unless skipped).
    pub unbuildable: Vec<(Case, String)>,
}

/// Generates the crate and its compliance tests for the service in `model_text` (`service`,
/// when the file holds several).
pub fn build_suite(
    model_name: &str,
    model_text: &str,
    service: Option<&str>,
    crate_name: &str,
    runtime_path: &str,
) -> Result<Suite, String> {
    let inputs = [codegen::Input { name: model_name, text: model_text }];
    let config = codegen::Config {
        model: model_name.to_string(),
        service: service.map(str::to_string),
        operations: Vec::new(),
        protocol: None,
        krate: codegen::config::CrateConfig {
            name: crate_name.to_string(),
            version: "0.1.0".into(),
            runtime: codegen::ir::RuntimeDep::Path(runtime_path.to_string()),
            standalone: true,
            compile_in_crate: false,
        },
    };
    let model = codegen::load(&inputs).map_err(|d| d.to_string())?;
    let closure = codegen::model::closure(&model, &config.selection()).map_err(|d| d.to_string())?;
    let ir = codegen::lower::lower(&model, &closure, &config.meta()).map_err(|d| d.to_string())?;
    let mut files = codegen::emit::emit_crate(&ir);

    let protocol = ir.service.protocol.trait_id();
    let krate = format_ident!("{}", crate_name.replace('-', "_"));
    let gen = Gen { ir: &ir, krate: krate.clone() };
    let mut tests = Vec::new();
    let mut cases = Vec::new();
    let mut unbuildable = Vec::new();
    for op in &ir.operations {
        let shape = model.shape(&op.shape_id);
        for (trait_id, kind) in
            [("smithy.test#httpRequestTests", "request"), ("smithy.test#httpResponseTests", "response")]
        {
            for c in client_cases(shape.raw.get(trait_id), protocol) {
                let case = new_case(&c, kind, &op.wire_name);
                let built = if kind == "request" { gen.request_test(op, &c) } else { gen.response_test(op, &c) };
                match built {
                    Ok(body) => {
                        let name = format_ident!("{}", case.test_name);
                        tests.push(quote!(#[test] fn #name() { #body }));
                        cases.push(case);
                    }
                    Err(e) => unbuildable.push((case, e)),
                }
            }
        }
    }
    // Error shapes: each case runs through the first operation that declares the error.
    for (id, shape) in &model.shapes {
        let Some(t) = shape.raw.get("smithy.test#httpResponseTests") else { continue };
        if shape.kind != Kind::Structure || shape.traits.error.is_none() {
            continue;
        }
        let Some(op) = ir.operations.iter().find(|o| model.shape(&o.shape_id).errors.contains(id)) else { continue };
        for c in client_cases(Some(t), protocol) {
            let case = new_case(&c, "error", &op.wire_name);
            match gen.error_test(op, id, &c) {
                Ok(body) => {
                    let name = format_ident!("{}", case.test_name);
                    tests.push(quote!(#[test] fn #name() { #body }));
                    cases.push(case);
                }
                Err(e) => unbuildable.push((case, e)),
            }
        }
    }
    let test_file = quote! {
        #![allow(unused, clippy::all)]
        use #krate::*;
        use ::awsgen_runtime::Operation as _;
        use std::collections::BTreeMap;
        #(#tests)*
    };
    let mut test_text = codegen::render::rust_file("tests/compliance.rs", test_file);
    test_text.push_str(TEST_HELPERS);
    files.0.insert("tests/compliance.rs".into(), test_text);
    files.0.get_mut("Cargo.toml").expect("generated").push_str(&format!(
        "\n[dev-dependencies]\nserde_json = \"1\"\nhttp = \"1\"\nroxmltree = \"0.21\"\nawsgen-runtime = {{ path = \"{runtime_path}\" }}\n"
    ));
    Ok(Suite { files, cases, unbuildable })
}

fn client_cases(v: Option<&Value>, protocol: &str) -> Vec<Value> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter(|c| c.get("appliesTo").and_then(Value::as_str) != Some("server"))
                .filter(|c| c.get("protocol").and_then(Value::as_str) == Some(protocol))
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}

fn new_case(c: &Value, kind: &'static str, op: &str) -> Case {
    let id = c["id"].as_str().unwrap_or("unnamed").to_string();
    let test_name = format!("{}_{}", kind, codegen::naming::module_name(&id).trim_end_matches('_'));
    Case { id, test_name, kind, operation: op.to_string() }
}

struct Gen<'a> {
    ir: &'a Crate,
    krate: proc_macro2::Ident,
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

impl Gen<'_> {
    fn find_struct(&self, id: &str) -> Option<&StructDef> {
        match &self.ir.types.get(id)?.def {
            TypeDef::Struct(s) => Some(s),
            _ => None,
        }
    }

    /// The Rust name of the generated type `id`.
    fn name_of(&self, id: &str) -> proc_macro2::Ident {
        format_ident!("{}", self.ir.ty(id).def.name())
    }

    /// A Rust expression of type `ty` for the Smithy node value `v`.
    fn value(&self, ty: &Ty, v: &Value) -> Result<TokenStream, String> {
        let krate = &self.krate;
        Ok(match (ty, v) {
            (Ty::String, Value::String(x)) => quote!(String::from(#x)),
            (Ty::Bool, Value::Bool(b)) => quote!(#b),
            (Ty::I8 | Ty::I16 | Ty::I32 | Ty::I64, Value::Number(n)) => {
                let t = match ty {
                    Ty::I8 => quote!(i8),
                    Ty::I16 => quote!(i16),
                    Ty::I32 => quote!(i32),
                    _ => quote!(i64),
                };
                let lit: TokenStream = format!("{n}{t}").parse().map_err(|_| "bad number")?;
                quote!(#lit)
            }
            (Ty::F32 | Ty::F64, v) => {
                let t = if *ty == Ty::F32 { quote!(f32) } else { quote!(f64) };
                match v {
                    Value::Number(n) => {
                        let f = n.as_f64().ok_or("bad float")?;
                        let lit: TokenStream = format!("{f:?}{t}").parse().map_err(|_| "bad float")?;
                        quote!(#lit)
                    }
                    Value::String(x) if x == "NaN" => quote!(#t::NAN),
                    Value::String(x) if x == "Infinity" => quote!(#t::INFINITY),
                    Value::String(x) if x == "-Infinity" => quote!(#t::NEG_INFINITY),
                    _ => return Err(format!("bad float value {v}")),
                }
            }
            (Ty::BigInteger, v) => {
                let t = v.to_string();
                quote!(::awsgen_runtime::BigInteger::new(#t).unwrap())
            }
            (Ty::BigDecimal, v) => {
                let t = v.to_string();
                quote!(::awsgen_runtime::BigDecimal::new(#t).unwrap())
            }
            (Ty::Blob, Value::String(x)) => {
                let b = proc_macro2::Literal::byte_string(x.as_bytes());
                quote!(#b.to_vec())
            }
            (Ty::ByteStream, Value::String(x)) => {
                let b = proc_macro2::Literal::byte_string(x.as_bytes());
                quote!(::awsgen_runtime::body::ByteStream::from(#b.to_vec()))
            }
            (Ty::Timestamp(_), Value::Number(n)) => {
                let t = n.to_string();
                quote!(::awsgen_runtime::protocol::parse_epoch_seconds(#t).unwrap())
            }
            (Ty::Document, v) => {
                let t = v.to_string();
                quote!(::awsgen_runtime::Document::from_json(#t).unwrap())
            }
            (Ty::Named { id, kind: NamedKind::Enum }, Value::String(x)) => {
                let n = self.name_of(id);
                quote!(#krate::types::#n::from(#x))
            }
            (Ty::Named { id, kind: NamedKind::IntEnum }, Value::Number(x)) => {
                let n = self.name_of(id);
                let i = x.as_i64().ok_or("bad intEnum")? as i32;
                quote!(#krate::types::#n::from(#i))
            }
            (Ty::Named { id, kind: NamedKind::Struct }, Value::Object(_)) => {
                let def = self.find_struct(id).ok_or_else(|| format!("no structure {id}"))?;
                let path = quote!(#krate::types);
                self.structure(def, path, v)?
            }
            (Ty::Named { id, kind: NamedKind::Union }, Value::Object(o)) => {
                let def = match self.ir.types.get(id).map(|t| &t.def) {
                    Some(TypeDef::Union(u)) => u,
                    _ => return Err(format!("no union {id}")),
                };
                let (k, val) = o.iter().next().ok_or("empty union value")?;
                let var = def.variants.iter().find(|x| x.member == *k).ok_or_else(|| format!("no union member {k}"))?;
                let n = self.name_of(id);
                let vn = format_ident!("{}", var.name);
                match &var.ty {
                    None => quote!(#krate::types::#n::#vn),
                    Some(t) => {
                        let inner = self.value(t, val)?;
                        let inner = if var.boxed { quote!(Box::new(#inner)) } else { inner };
                        quote!(#krate::types::#n::#vn(#inner))
                    }
                }
            }
            (Ty::List { item, sparse, .. }, Value::Array(a)) => {
                let items = a
                    .iter()
                    .map(|x| match (sparse, x) {
                        (true, Value::Null) => Ok(quote!(None)),
                        (true, x) => self.value(item, x).map(|e| quote!(Some(#e))),
                        (false, x) => self.value(item, x),
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                quote!(vec![#(#items),*])
            }
            (Ty::Map { key, value, sparse, .. }, Value::Object(o)) => {
                let entries = o
                    .iter()
                    .map(|(k, x)| {
                        let k = self.value(key, &Value::String(k.clone()))?;
                        let v = match (sparse, x) {
                            (true, Value::Null) => quote!(None),
                            (true, x) => {
                                let e = self.value(value, x)?;
                                quote!(Some(#e))
                            }
                            (false, x) => self.value(value, x)?,
                        };
                        Ok::<_, String>(quote!((#k, #v)))
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                quote!(BTreeMap::from([#(#entries),*]))
            }
            (t, v) => return Err(format!("cannot build a {t:?} from {v}")),
        })
    }

    /// A structure value: its default, with the members of `v` assigned.
    fn structure(&self, def: &StructDef, path: TokenStream, v: &Value) -> Result<TokenStream, String> {
        let n = format_ident!("{}", def.name);
        let mut sets = Vec::new();
        for (k, x) in v.as_object().into_iter().flatten() {
            let f =
                def.fields.iter().find(|f| f.member == *k).ok_or_else(|| format!("{} has no member {k}", def.name))?;
            if x.is_null() && f.optional() {
                continue;
            }
            let fid = codegen::naming::ident(&f.name);
            let e = self.value(&f.ty, x)?;
            let e = if f.boxed { quote!(Box::new(#e)) } else { e };
            let e = if f.optional() { quote!(Some(#e)) } else { e };
            sets.push(quote!(s.#fid = #e;));
        }
        Ok(quote!({ let mut s = #path::#n::default(); #(#sets)* s }))
    }

    fn op_path(&self, op: &codegen::ir::Operation) -> TokenStream {
        let krate = &self.krate;
        let m = format_ident!("{}", op.module);
        quote!(#krate::operation::#m)
    }

    fn request_test(&self, op: &codegen::ir::Operation, c: &Value) -> Result<TokenStream, String> {
        let path = self.op_path(op);
        let input = self.structure(&op.input, path.clone(), &c["params"])?;
        let desc = format_ident!("{}", op.name);
        let method = s(&c["method"]);
        let uri = s(&c["uri"]);
        let mut checks = vec![quote! {
            assert_eq!(req.method().as_str(), #method, "method");
            assert_eq!(req.uri().path(), #uri, "path");
        }];
        if let Some(resolved) = c.get("resolvedHost").and_then(Value::as_str) {
            checks.push(quote!(assert_eq!(req.uri().host(), Some(#resolved), "resolved host");));
        }
        let str_list = |k: &str| -> Vec<String> {
            c.get(k).and_then(Value::as_array).map(|a| a.iter().map(|x| s(x).to_string()).collect()).unwrap_or_default()
        };
        for q in str_list("queryParams") {
            checks.push(quote!(assert!(query.contains(&#q.to_string()), "query param {} missing in {:?}", #q, query);));
        }
        for q in str_list("forbidQueryParams") {
            checks.push(quote!(assert!(!query.iter().any(|p| p.split('=').next() == Some(#q)), "query param {} forbidden in {:?}", #q, query);));
        }
        for q in str_list("requireQueryParams") {
            checks.push(quote!(assert!(query.iter().any(|p| p.split('=').next() == Some(#q)), "query param {} required in {:?}", #q, query);));
        }
        for (h, v) in c.get("headers").and_then(Value::as_object).into_iter().flatten() {
            let v = s(v);
            checks.push(
                quote!(assert_eq!(req.headers().get(#h).and_then(|v| v.to_str().ok()), Some(#v), "header {}", #h);),
            );
        }
        for h in str_list("forbidHeaders") {
            checks.push(quote!(assert!(req.headers().get(#h).is_none(), "header {} forbidden", #h);));
        }
        for h in str_list("requireHeaders") {
            checks.push(quote!(assert!(req.headers().get(#h).is_some(), "header {} required", #h);));
        }
        if let Some(body) = c.get("body").and_then(Value::as_str) {
            checks.push(body_check(body, c.get("bodyMediaType").and_then(Value::as_str), quote!(req.body())));
        }
        let host = c.get("host").and_then(Value::as_str).unwrap_or("example.com");
        let endpoint = format!("https://{host}");
        let endpoint = match self.s3_endpoint(op, c) {
            Some(resolve) => resolve,
            None => quote!(#endpoint.parse::<::http::Uri>().unwrap()),
        };
        Ok(quote! {
            let mut input = #input;
            #path::#desc::fill_idempotency_tokens(&mut input, &mut || "00000000-0000-4000-8000-000000000000".to_string());
            let mut req = #path::#desc::serialize_request(&input).expect("serializes");
            let endpoint: ::http::Uri = match #path::#desc::endpoint_url(&input) {
                Some(url) => url.parse().unwrap(),
                None => #endpoint,
            };
            ::awsgen_runtime::endpoint::apply_endpoint(&mut req, &endpoint).expect("endpoint");
            if let Some(prefix) = #path::#desc::host_prefix(&input).expect("host prefix") {
                ::awsgen_runtime::endpoint::apply_host_prefix(&mut req, &prefix).expect("host prefix applies");
            }
            let query: Vec<String> = req.uri().query().unwrap_or("").split('&').filter(|p| !p.is_empty()).map(String::from).collect();
            let _ = &query;
            #(#checks)*
        })
    }

    /// For S3's addressing cases: the endpoint its rules give for the case's client settings
    /// (`vendorParams`: region, addressing style, dual-stack, accelerate; the operation's own
    /// settings first) and the operation's context parameters.
    fn s3_endpoint(&self, op: &codegen::ir::Operation, c: &Value) -> Option<TokenStream> {
        let scoped = c.get("vendorParams")?.get("scopedConfig")?;
        if self.ir.service.shape_id != "com.amazonaws.s3#AmazonS3" {
            return None;
        }
        let s3 = |k: &str| {
            scoped["operation"]["s3"].get(k).or_else(|| scoped["client"]["s3"].get(k)).cloned().unwrap_or(Value::Null)
        };
        let region = scoped["client"]["region"].as_str().unwrap_or("us-east-1");
        let path_style = s3("addressing_style") == "path";
        let dual = s3("use_dualstack_endpoint") == true;
        let accelerate = s3("use_accelerate_endpoint") == true;
        let (krate, path, desc) = (&self.krate, self.op_path(op), format_ident!("{}", op.name));
        Some(quote! {{
            use ::awsgen_runtime::endpoint::rules::Value;
            use ::awsgen_runtime::Operation as _;
            let mut params: Vec<(String, Value)> =
                vec![("ForcePathStyle".into(), Value::Bool(#path_style)), ("Accelerate".into(), Value::Bool(#accelerate))];
            params.extend(#path::#desc::endpoint_params(&input).into_iter().map(|(k, v)| (k.to_string(), v)));
            let config = ::awsgen_runtime::endpoint::EndpointConfig {
                region: Some(#region.to_string()),
                use_fips: false,
                use_dual_stack: #dual,
                url: None,
                params,
            };
            ::awsgen_runtime::endpoint::resolve(&#krate::endpoint::RULES, &config).expect("S3's rules give an endpoint").uri
        }})
    }

    fn response(&self, c: &Value) -> TokenStream {
        let code = c.get("code").and_then(Value::as_u64).unwrap_or(200) as u16;
        let headers = c.get("headers").and_then(Value::as_object).into_iter().flatten().map(|(k, v)| {
            let v = s(v);
            quote!(.header(#k, #v))
        });
        let body = c.get("body").and_then(Value::as_str).unwrap_or("");
        // Binary bodies (CBOR) are written in base64.
        let bytes = if c.get("bodyMediaType").and_then(Value::as_str).is_some_and(|m| m.contains("cbor")) {
            quote!(::awsgen_runtime::protocol::parse_base64(#body).expect("the case's body is base64"))
        } else {
            quote!(#body.as_bytes().to_vec())
        };
        quote! {
            let response = ::http::Response::builder().status(#code) #(#headers)* .body(::awsgen_runtime::bytes::Bytes::from(#bytes)).unwrap();
        }
    }

    fn response_test(&self, op: &codegen::ir::Operation, c: &Value) -> Result<TokenStream, String> {
        let path = self.op_path(op);
        let expected = self.structure(&op.output, path.clone(), &c["params"])?;
        let desc = format_ident!("{}", op.name);
        let response = self.response(c);
        Ok(quote! {
            #response
            let actual = #path::#desc::parse_response(&response).expect("parses");
            let expected = #expected;
            if actual != expected {
                assert_eq!(format!("{actual:?}"), format!("{expected:?}"));
            }
        })
    }

    fn error_test(&self, op: &codegen::ir::Operation, error_id: &str, c: &Value) -> Result<TokenStream, String> {
        let path = self.op_path(op);
        let e = op.errors.iter().find(|e| e.id == error_id).ok_or("error not on operation")?;
        let def = self.find_struct(&e.id).ok_or("no error structure")?;
        let krate = &self.krate;
        let expected = self.structure(def, quote!(#krate::types), &c["params"])?;
        let desc = format_ident!("{}", op.name);
        let err_enum = format_ident!("{}", op.error_enum);
        let variant = format_ident!("{}", e.variant);
        let response = self.response(c);
        Ok(quote! {
            #response
            let err = #path::#desc::parse_response(&response).expect_err("an error");
            let actual = match err {
                ::awsgen_runtime::Error::Service(#path::#err_enum::#variant(e)) => e,
                other => panic!("expected {}, got {other:?}", stringify!(#variant)),
            };
            let expected = #expected;
            if actual != expected {
                assert_eq!(format!("{actual:?}"), format!("{expected:?}"));
            }
        })
    }
}

fn body_check(expected: &str, media: Option<&str>, actual: TokenStream) -> TokenStream {
    let json = media.is_some_and(|m| m.contains("json"));
    let xml = media.is_some_and(|m| m.contains("xml"));
    let form = media.is_some_and(|m| m.contains("x-www-form-urlencoded"));
    if expected.is_empty() {
        quote!(assert!(#actual.is_empty(), "body should be empty, got {:?}", String::from_utf8_lossy(#actual));)
    } else if json {
        quote! {
            let want: ::serde_json::Value = ::serde_json::from_str(#expected).expect("expected body is JSON");
            let got: ::serde_json::Value = ::serde_json::from_slice(#actual).unwrap_or_else(|e| panic!("body is not JSON ({e}): {:?}", String::from_utf8_lossy(#actual)));
            assert_eq!(got, want, "JSON body");
        }
    } else if xml {
        quote!(xml_equivalent(&String::from_utf8_lossy(#actual), #expected);)
    } else if media.is_some_and(|m| m.contains("cbor")) {
        quote! {
            let want = ::awsgen_runtime::protocol::cbor::decode(&::awsgen_runtime::protocol::parse_base64(#expected).expect("base64")).expect("expected body is CBOR");
            let got = ::awsgen_runtime::protocol::cbor::decode(#actual).expect("body is CBOR");
            assert_eq!(got, want, "CBOR body");
        }
    } else if form {
        quote! {
            let got = String::from_utf8_lossy(#actual);
            let mut got: Vec<&str> = got.split('&').collect();
            let mut want: Vec<&str> = #expected.split('&').collect();
            got.sort_unstable();
            want.sort_unstable();
            assert_eq!(got, want, "form body");
        }
    } else {
        quote!(assert_eq!(String::from_utf8_lossy(#actual), #expected, "body");)
    }
}

/// Helpers the generated compliance tests call: XML bodies compare as trees (element names,
/// namespaces, attributes, and text with the whitespace between elements ignored; members in
/// any order, list items in theirs).
const TEST_HELPERS: &str = r#"
fn xml_equivalent(got: &str, want: &str) {
    fn tree(n: roxmltree::Node<'_, '_>) -> String {
        let mut out = String::new();
        let ns = n.tag_name().namespace().unwrap_or("");
        out.push_str(&format!("<{{{ns}}}{}", n.tag_name().name()));
        let mut attrs: Vec<String> = n.attributes().map(|a| format!(" {{{}}}{}={:?}", a.namespace().unwrap_or(""), a.name(), a.value())).collect();
        attrs.sort();
        out.push_str(&attrs.concat());
        out.push('>');
        let elements: Vec<_> = n.children().filter(|c| c.is_element()).collect();
        if elements.is_empty() {
            out.push_str(&n.children().filter_map(|c| c.text()).collect::<String>());
        } else {
            // Members compare in any order: children are grouped by name (a stable sort, so
            // list items keep their order). Map entries compare in any order too (generated maps
            // are ordered by key): a group whose elements each hold a key and a value is sorted.
            let mut named: Vec<(&str, roxmltree::Node<'_, '_>)> = elements.iter().map(|c| (c.tag_name().name(), *c)).collect();
            named.sort_by_key(|(name, _)| *name);
            let mut children: Vec<String> = Vec::new();
            let mut i = 0;
            while i < named.len() {
                let mut j = i;
                while j < named.len() && named[j].0 == named[i].0 {
                    j += 1;
                }
                let mut group: Vec<String> = named[i..j].iter().map(|(_, c)| tree(*c)).collect();
                if j - i > 1 && named[i..j].iter().all(|(_, c)| c.children().filter(|x| x.is_element()).count() == 2) {
                    group.sort();
                }
                children.extend(group);
                i = j;
            }
            out.push_str(&children.concat());
        }
        out.push_str("</>");
        out
    }
    let g = roxmltree::Document::parse(got).unwrap_or_else(|e| panic!("body is not XML ({e}): {got}"));
    let w = roxmltree::Document::parse(want).expect("expected body is XML");
    assert_eq!(tree(g.root_element()), tree(w.root_element()), "XML body:\n{got}");
}
"#;

/// The skip list: case id to reason, per service, from `tests/compliance-skips.toml`.
pub fn skips(text: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    toml::from_str(text).expect("tests/compliance-skips.toml parses")
}

/// Reads `cargo test` output: test name to passed.
pub fn parse_results(output: &str) -> BTreeMap<String, bool> {
    let mut out = BTreeMap::new();
    for line in output.lines() {
        let Some(rest) = line.strip_prefix("test ") else { continue };
        let Some((name, result)) = rest.split_once(" ... ") else { continue };
        let passed = result.trim_start().starts_with("ok");
        let failed = result.trim_start().starts_with("FAILED");
        if passed || failed {
            out.insert(name.trim().to_string(), passed);
        }
    }
    out
}

/// The outcome of one suite run.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub passed: usize,
    pub skipped: usize,
    pub failed: usize,
    /// One line per failure, including skipped cases that pass now.
    pub problems: Vec<String>,
}

/// Classifies every case: passed; skipped (on the list and still failing); or failed (not on
/// the list and failing, or on the list but passing, so that the list stays honest).
pub fn classify(
    cases: &[Case],
    unbuildable: &[(Case, String)],
    results: &BTreeMap<String, bool>,
    skip: &BTreeMap<String, String>,
) -> Report {
    let mut r = Report::default();
    for case in cases {
        match (results.get(&case.test_name).copied(), skip.contains_key(&case.id)) {
            (Some(true), false) => r.passed += 1,
            (Some(true), true) => {
                r.failed += 1;
                r.problems.push(format!("{} passes now: remove it from the skip list", case.id));
            }
            (_, true) => r.skipped += 1,
            (_, false) => {
                r.failed += 1;
                r.problems.push(format!("{} ({} of {}) failed", case.id, case.kind, case.operation));
            }
        }
    }
    for (case, why) in unbuildable {
        if skip.contains_key(&case.id) {
            r.skipped += 1;
        } else {
            r.failed += 1;
            r.problems.push(format!("{}: cannot build the test: {why}", case.id));
        }
    }
    r
}

/// The totals line, exactly as the issue asks.
pub fn summary(service: &str, passed: usize, skipped: usize, failed: usize) -> String {
    let mut s = String::new();
    let total = passed + skipped + failed;
    write!(s, "compliance {service}: passed {passed}, skipped {skipped}, failed {failed}, total {total}").unwrap();
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(id: &str) -> Case {
        Case { id: id.into(), test_name: format!("t_{id}"), kind: "request", operation: "Op".into() }
    }

    #[test]
    fn a_skipped_case_that_passes_fails_the_run() {
        let cases = [case("a"), case("b"), case("c")];
        let results = BTreeMap::from([("t_a".into(), true), ("t_b".into(), false), ("t_c".into(), true)]);
        let skip = BTreeMap::from([("b".to_string(), "why".to_string()), ("c".to_string(), "why".to_string())]);
        let r = classify(&cases, &[], &results, &skip);
        assert_eq!((r.passed, r.skipped, r.failed), (1, 1, 1));
        assert!(r.problems[0].contains("c passes now"));
    }

    #[test]
    fn unbuildable_and_failing_cases_count_as_failed() {
        let results = BTreeMap::from([("t_a".into(), false)]);
        let r = classify(&[case("a")], &[(case("z"), "no".into())], &results, &BTreeMap::new());
        assert_eq!((r.passed, r.skipped, r.failed), (0, 0, 2));
    }

    #[test]
    fn results_parse() {
        let out = "test request_a ... ok\ntest request_b ... FAILED\ntest result: FAILED.";
        let r = parse_results(out);
        assert_eq!(r.get("request_a"), Some(&true));
        assert_eq!(r.get("request_b"), Some(&false));
        assert_eq!(summary("X", 1, 2, 0), "compliance X: passed 1, skipped 2, failed 0, total 3");
    }
}
