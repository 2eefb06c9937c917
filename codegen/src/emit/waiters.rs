//! `src/paginators.rs` and `src/waiters.rs`: extension traits of the client trait, so that
//! they work over any implementation of it (the HTTP client, or a test double). Paths into the
//! typed inputs and outputs are compiled by [`crate::jmespath`]; [`check`] runs the same
//! compilation right after lowering, so a bad path is a generation error with its location.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::diag::{Diagnostic, Sink};
use crate::ir::{AcceptorState, Comparator, Crate, EndpointParam, Matcher, Operation, Paginator, Waiter};
use crate::jmespath::{Ctx, JType, Val};

/// Compiles every path of the crate once. A path that does not fit the types is an error; a
/// paginator whose token is neither a string nor a map is dropped with a warning (returned).
pub fn check(ir: &mut Crate, sink: &mut Sink) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    let mut drop = Vec::new();
    for (i, op) in ir.operations.iter().enumerate() {
        if let Some(p) = &op.paginator {
            match paginator_parts(ir, op, p) {
                Ok(_) => {}
                Err(PageError::Unsupported(why)) => {
                    warnings
                        .push(Diagnostic::new(&op.shape_id, format!("@paginated: {why}; no paginator is generated")));
                    drop.push(i);
                }
                Err(PageError::Invalid(why)) => sink.error(&op.shape_id, format!("@paginated: {why}")),
            }
        }
        for w in &op.waiters {
            if let Err(e) = acceptors_fn(ir, op, w) {
                sink.error(&op.shape_id, format!("waiter `{}`: {e}", w.name));
            }
        }
        if let Err(e) = context_param_pushes(ir, op) {
            sink.error(&op.shape_id, e);
        }
    }
    for i in drop {
        ir.operations[i].paginator = None;
    }
    warnings
}

fn ctx<'a>(ir: &'a Crate, op: &'a Operation) -> Ctx<'a> {
    Ctx { ir, roots: vec![&op.input, &op.output] }
}

fn io_paths(op: &Operation) -> (TokenStream, TokenStream, TokenStream, TokenStream) {
    let module = format_ident!("{}", op.module);
    let (i, o, e) =
        (format_ident!("{}", op.input.name), format_ident!("{}", op.output.name), format_ident!("{}", op.error_enum));
    (quote!(#module), quote!(#module::#i), quote!(#module::#o), quote!(#module::#e))
}

enum PageError {
    /// The model's paginator is valid but not one this generator can page (a token that is
    /// neither a string nor a map, or whose input and output types differ).
    Unsupported(String),
    /// The paths do not fit the shapes.
    Invalid(String),
}

struct PaginatorParts {
    /// The token's type when it is not a string (the runtime's default, `str`): a map type.
    token: Option<TokenStream>,
    set_input: TokenStream,
    input: TokenStream,
    output: TokenStream,
    page_size: Option<TokenStream>,
    /// The closure from an owned output to its items, and the items' member name.
    items: Option<(TokenStream, TokenStream)>,
}

fn paginator_parts(ir: &Crate, op: &Operation, p: &Paginator) -> Result<PaginatorParts, PageError> {
    let invalid = PageError::Invalid;
    let field = |name: &str| {
        op.input
            .fields
            .iter()
            .find(|f| f.member == name)
            .ok_or_else(|| invalid(format!("the input has no member `{name}`")))
    };
    let tok = field(&p.input_token)?;
    let f = crate::naming::ident(&tok.name);
    // A string token is read as `str`; a map token (DynamoDB's `ExclusiveStartKey`) as the map.
    let (token, set_input, input) = match (&tok.ty, tok.optional()) {
        (crate::ir::Ty::String, true) => (None, quote!(|i, t| i.#f = Some(t)), quote!(|i| i.#f.as_deref())),
        (crate::ir::Ty::String, false) => (None, quote!(|i, t| i.#f = t), quote!(|i| Some(i.#f.as_str()))),
        (crate::ir::Ty::Map { key, .. }, optional) if **key == crate::ir::Ty::String => {
            let ty = Some(super::common::Scope::new(ir, None, &[]).ty(&tok.ty));
            if optional {
                (ty, quote!(|i, t| i.#f = Some(t)), quote!(|i| i.#f.as_ref()))
            } else {
                (ty, quote!(|i, t| i.#f = t), quote!(|i| Some(&i.#f)))
            }
        }
        _ => {
            return Err(PageError::Unsupported(format!(
                "the input token `{}` is neither a string nor a map",
                p.input_token
            )))
        }
    };
    let c = ctx(ir, op);
    let root = Val::certain(quote!(o), JType::Struct(op.output.shape_id.clone()));
    let compile = |path: &str| {
        let e = crate::jmespath::parse(path).map_err(|e| invalid(format!("`{path}`: {e}")))?;
        c.compile(&e, &root).map_err(|e| invalid(format!("`{path}`: {e}")))
    };
    let out = compile(&p.output_token)?;
    let same = match (&out.ty, &tok.ty) {
        (JType::Str, crate::ir::Ty::String) => true,
        (JType::Map(value, sparse), crate::ir::Ty::Map { value: v, sparse: s, .. }) => value == &**v && sparse == s,
        _ => false,
    };
    if !same || out.many {
        return Err(PageError::Unsupported(format!(
            "the output token `{}` is not of the input token `{}`'s type",
            p.output_token, p.input_token
        )));
    }
    let code = &out.code;
    let output = quote!(|o| #code);
    let page_size = match &p.page_size {
        None => None,
        Some(name) => {
            let f = field(name)?;
            let id = crate::naming::ident(&f.name);
            match (&f.ty, f.optional()) {
                (crate::ir::Ty::I32, true) => Some(quote!(|i, n| i.#id = Some(n))),
                (crate::ir::Ty::I32, false) => Some(quote!(|i, n| i.#id = n)),
                (crate::ir::Ty::I64, true) => Some(quote!(|i, n| i.#id = Some(n.into()))),
                (crate::ir::Ty::I64, false) => Some(quote!(|i, n| i.#id = n.into())),
                _ => None,
            }
        }
    };
    let items = match &p.items {
        None => None,
        Some(path) => Some(owned_path(ir, op, path).map_err(invalid)?),
    };
    Ok(PaginatorParts { token, set_input, input, output, page_size, items })
}

/// `|o| o.a.and_then(|v| v.b).unwrap_or_default()`: the items at `path` (member names joined
/// by `.`), moved out of the output, and their Rust type.
fn owned_path(ir: &Crate, op: &Operation, path: &str) -> Result<(TokenStream, TokenStream), String> {
    let mut code = quote!(o);
    let mut certain = true;
    let mut current = &op.output;
    let mut ty = None;
    let segments: Vec<&str> = path.split('.').collect();
    for (n, seg) in segments.iter().enumerate() {
        let f = current
            .fields
            .iter()
            .find(|f| f.member == *seg)
            .ok_or_else(|| format!("items `{path}`: `{seg}` is not a member of {}", current.shape_id))?;
        let id = crate::naming::ident(&f.name);
        let unbox = if f.boxed { quote!(.map(|b| *b)) } else { quote!() };
        code = match (certain, f.optional()) {
            (true, true) => quote!(#code.#id #unbox),
            (true, false) => quote!(Some(#code.#id) #unbox),
            (false, true) => quote!(#code.and_then(|v| v.#id) #unbox),
            (false, false) => quote!(#code.map(|v| v.#id) #unbox),
        };
        certain = false;
        if n + 1 < segments.len() {
            let crate::ir::Ty::Named { id, kind: crate::ir::NamedKind::Struct } = &f.ty else {
                return Err(format!("items `{path}`: `{seg}` is not a structure"));
            };
            current = match ir.types.get(id).map(|t| &t.def) {
                Some(crate::ir::TypeDef::Struct(s)) => s,
                _ => return Err(format!("items `{path}`: {id} is not a structure")),
            };
        } else {
            let scope = super::common::Scope::new(ir, None, &[]);
            ty = Some(match &f.ty {
                crate::ir::Ty::List { .. } | crate::ir::Ty::Map { .. } => scope.ty(&f.ty),
                _ => return Err(format!("items `{path}` is not a list or a map")),
            });
        }
    }
    Ok((quote!(|o| #code.unwrap_or_default()), ty.expect("a path has a segment")))
}

/// `src/paginators.rs`, when the crate has paginated operations.
pub fn paginators_file(ir: &Crate) -> Option<TokenStream> {
    let trait_name = format_ident!("{}", ir.service.trait_name);
    let ext = format_ident!("{}Paginators", ir.service.trait_name);
    let mut modules = Vec::new();
    let methods: Vec<TokenStream> = ir
        .operations
        .iter()
        .filter_map(|op| {
            let p = op.paginator.as_ref()?;
            let parts = paginator_parts(ir, op, p).ok().expect("checked after lowering");
            let (module, i, o, e) = io_paths(op);
            modules.push(module);
            let call = crate::naming::ident(&op.method);
            let pages = format_ident!("{}_pages", op.method.trim_start_matches("r#"));
            let wire = &op.wire_name;
            let PaginatorParts { token, set_input, input, output, page_size, items } = parts;
            let (token_arg, allow) = match token {
                None => (quote!(), quote!()),
                Some(t) => (quote!(, #t), quote!(#[allow(clippy::type_complexity)])),
            };
            let page_size = match page_size {
                Some(f) => quote!(Some(#f)),
                None => quote!(None),
            };
            let doc = format!(
                " The pages of [`{t}::{m}`](crate::{t}::{m}), in order: the input's `{it}` is set from \
                 each output's `{ot}` until the service sends none (or an empty one).",
                t = ir.service.trait_name,
                m = op.method.trim_start_matches("r#"),
                it = p.input_token,
                ot = p.output_token
            );
            let size_doc = match &p.page_size {
                Some(s) => format!(" The page size is the input's `{s}`; set it there or with `page_size`."),
                None => " The operation has no page size.".into(),
            };
            let pages_fn = quote! {
                #[doc = #doc]
                #[doc = ""]
                #[doc = #size_doc]
                fn #pages(&self, input: #i) -> Pages<'_, #i, #o, #e #token_arg> {
                    Pages::new(input, move |i| self.#call(i), Tokens {
                        operation: #wire,
                        set_input: #set_input,
                        input: #input,
                        output: #output,
                        page_size: #page_size,
                    })
                }
            };
            let items_fn = items.map(|(take, ty)| {
                let items = format_ident!("{}_items", op.method.trim_start_matches("r#"));
                let doc = format!(
                    " The items of [`{pages}`](Self::{pages}): each page's `{}`, flattened.",
                    p.items.as_deref().unwrap_or_default()
                );
                quote! {
                    #[doc = #doc]
                    #allow
                    fn #items(&self, input: #i) -> Items<'_, #i, #o, #e, <#ty as IntoIterator>::Item, #ty #token_arg> {
                        self.#pages(input).items(#take)
                    }
                }
            });
            Some(quote!(#pages_fn #items_fn))
        })
        .collect();
    if methods.is_empty() {
        return None;
    }
    let doc = format!(
        " Paginators of every `@paginated` operation, for any implementation of [`{trait_name}`] \
         (the client or a test double): `*_pages` gives each page, `*_items` the items in them."
    );
    Some(quote! {
        //! Paginators: streams of the pages (and items) of paginated operations.

        #[allow(unused_imports)]
        use std::collections::BTreeMap;
        #[allow(unused_imports)]
        use ::awsgen_runtime::paginate::{Items, Pages, Tokens};
        #[allow(unused_imports)]
        use crate::types::*;
        use crate::operation::{#(#modules),*};

        #[doc = #doc]
        pub trait #ext: crate::#trait_name {
            #(#methods)*
        }

        impl<T: crate::#trait_name + ?Sized> #ext for T {}
    })
}

/// The acceptors of `w` as one function: the first that matches decides.
fn acceptors_fn(ir: &Crate, op: &Operation, w: &Waiter) -> Result<TokenStream, String> {
    let c = ctx(ir, op);
    let mut uses_input = false;
    let checks = w
        .acceptors
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let cond = match &a.matcher {
                Matcher::Success(true) => quote!(result.is_ok()),
                Matcher::Success(false) => quote!(result.is_err()),
                Matcher::ErrorType(code) => quote!(result.as_ref().err().and_then(|e| e.code()) == Some(#code)),
                Matcher::Path { input_output, path, expr, comparator, expected } => {
                    let root = if *input_output {
                        uses_input = true;
                        Val::certain(
                            quote!(()),
                            JType::InputOutput { input: op.input.shape_id.clone(), output: op.output.shape_id.clone() },
                        )
                    } else {
                        Val::certain(quote!(output), JType::Struct(op.output.shape_id.clone()))
                    };
                    let v = c.compile(expr, &root).map_err(|e| format!("path `{path}`: {e}"))?;
                    let test = compare(&c, &v, *comparator, expected).map_err(|e| format!("path `{path}`: {e}"))?;
                    quote!(result.as_ref().is_ok_and(|output| #test))
                }
            };
            let state = match a.state {
                AcceptorState::Success => quote!(AcceptorState::Success),
                AcceptorState::Failure => quote!(AcceptorState::Failure),
                AcceptorState::Retry => quote!(AcceptorState::Retry),
            };
            let i = proc_macro2::Literal::usize_unsuffixed(i);
            Ok(quote! {
                if #cond {
                    return Some((#i, #state));
                }
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    let (_, i, o, e) = io_paths(op);
    let f = format_ident!("{}", crate::naming::field_name(&w.name).trim_start_matches("r#"));
    let arg = if uses_input { quote!(input) } else { quote!(_input) };
    Ok(quote! {
        #[allow(clippy::nonminimal_bool, clippy::bool_comparison)]
        fn #f(#arg: &#i, result: &Result<#o, Error<#e>>) -> Option<(usize, AcceptorState)> {
            #(#checks)*
            None
        }
    })
}

fn compare(cx: &Ctx<'_>, v: &Val, comparator: Comparator, expected: &str) -> Result<TokenStream, String> {
    let single = |want: JType| {
        if v.many || v.ty != want {
            let list = if v.many { " (a list)" } else { "" };
            Err(format!("{comparator:?} needs a single {want:?} value, and the path gives {:?}{list}", v.ty))
        } else {
            Ok(())
        }
    };
    let direct = v.certain && v.place.is_none();
    let c = &v.code;
    Ok(match comparator {
        Comparator::StringEquals => {
            single(JType::Str)?;
            if direct {
                quote!(#c == #expected)
            } else {
                quote!(#c == Some(#expected))
            }
        }
        Comparator::BooleanEquals => {
            single(JType::Bool)?;
            match (direct, expected == "true") {
                (true, true) => c.clone(),
                (true, false) => quote!(!(#c)),
                (false, b) => quote!(#c == Some(#b)),
            }
        }
        Comparator::AllStringEquals | Comparator::AnyStringEquals => {
            let (it, elem) = v.iter(cx)?;
            if elem != JType::Str {
                return Err(format!("{comparator:?} needs a list of strings, and the path gives a list of {elem:?}"));
            }
            if comparator == Comparator::AllStringEquals {
                quote!(::awsgen_runtime::waiter::compare::all(#it, #expected))
            } else {
                quote!(::awsgen_runtime::waiter::compare::any(#it, #expected))
            }
        }
    })
}

/// `src/waiters.rs`, when the crate has waiters.
pub fn waiters_file(ir: &Crate) -> Option<TokenStream> {
    let trait_name = format_ident!("{}", ir.service.trait_name);
    let ext = format_ident!("{}Waiters", ir.service.trait_name);
    let mut modules = Vec::new();
    let mut fns = Vec::new();
    let mut methods = Vec::new();
    for op in &ir.operations {
        if !op.waiters.is_empty() {
            modules.push(io_paths(op).0);
        }
        for w in &op.waiters {
            fns.push(acceptors_fn(ir, op, w).expect("checked after lowering"));
            let (_, i, o, e) = io_paths(op);
            let method = format_ident!("{}", w.method);
            let call = crate::naming::ident(&op.method);
            let acceptors = format_ident!("{}", crate::naming::field_name(&w.name).trim_start_matches("r#"));
            let name = &w.name;
            let (min, max) =
                (proc_macro2::Literal::u64_unsuffixed(w.min_delay), proc_macro2::Literal::u64_unsuffixed(w.max_delay));
            let d = match &w.doc {
                Some(text) => {
                    let d = super::common::doc(Some(text));
                    quote!(#d #[doc = ""])
                }
                None => quote!(),
            };
            let dep = super::common::deprecated(w.deprecated);
            let how = format!(
                " Calls [`{t}::{m}`](crate::{t}::{m}) until an acceptor of the model's `{name}` waiter \
                 matches, waiting {min} s to {max} s between calls (Smithy's backoff with jitter), and \
                 never past `max_wait`.",
                t = ir.service.trait_name,
                m = op.method.trim_start_matches("r#"),
            );
            methods.push(quote! {
                #d
                #[doc = #how]
                #dep
                fn #method(&self, input: #i, max_wait: Duration) -> BoxFuture<'_, WaitResult<#o, #e>> {
                    let waiter = Waiter {
                        name: #name,
                        delays: Delays { min: Duration::from_secs(#min), max: Duration::from_secs(#max) },
                        acceptors: #acceptors,
                    };
                    Box::pin(async move { waiter.wait(input, max_wait, |i| self.#call(i)).await })
                }
            });
        }
    }
    if methods.is_empty() {
        return None;
    }
    let doc = format!(
        " The model's waiters, for any implementation of [`{trait_name}`] (the client or a test \
         double). Each polls an operation until the resource reaches a state, and says which \
         acceptor matched."
    );
    Some(quote! {
        //! Waiters: poll an operation until the model's acceptors say the resource is ready.

        use std::time::Duration;
        use ::awsgen_runtime::waiter::{AcceptorState, Delays, WaitResult, Waiter};
        use ::awsgen_runtime::{BoxFuture, Error};
        use crate::operation::{#(#modules),*};

        #[doc = #doc]
        pub trait #ext: crate::#trait_name {
            #(#methods)*
        }

        impl<T: crate::#trait_name + ?Sized> #ext for T {}

        #(#fns)*
    })
}

/// The statements of `endpoint_params` that set `@operationContextParams` from the input.
pub fn context_param_pushes(ir: &Crate, op: &Operation) -> Result<Vec<TokenStream>, String> {
    let c = ctx(ir, op);
    let root = Val::certain(quote!(input), JType::Struct(op.input.shape_id.clone()));
    op.endpoint_params
        .iter()
        .filter_map(|p| match p {
            EndpointParam::Path { name, ty, path, expr } => Some((name, ty, path, expr)),
            _ => None,
        })
        .map(|(name, ty, path, expr)| {
            let at = |e: String| format!("operation context parameter `{name}`: path `{path}`: {e}");
            let v = c.compile(expr, &root).map_err(at)?;
            let code = &v.code;
            Ok(match (ty, v.many, &v.ty) {
                (awsgen_rules::ParamType::String, false, JType::Str) => {
                    let o = if v.certain { quote!(Some(#code)) } else { code.clone() };
                    quote!(if let Some(v) = #o { params.push((#name, Value::String(v.to_owned()))); })
                }
                (awsgen_rules::ParamType::StringArray, _, _) => {
                    let (it, elem) = v.iter(&c).map_err(at)?;
                    if elem != JType::Str {
                        return Err(at("gives no list of strings".into()));
                    }
                    quote!(params.push((#name, Value::Array(#it.map(|s| Value::String(s.to_owned())).collect())));)
                }
                _ => return Err(at(format!("does not give a {ty:?}"))),
            })
        })
        .collect()
}
