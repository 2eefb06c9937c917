//! Emitter for `Validate` impls: client-side checks of `@required`, `@length`, `@range` and
//! `@pattern`, recursing into nested structures and unions.

use std::collections::BTreeMap;

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::common::field_ident;
use crate::ir::*;
use crate::patterns::{CharClass, DfaCheck};

/// Code that validates nested structures and unions inside a value `x` of type `t` at path `p`.
fn nested(t: &Ty, x: TokenStream, p: TokenStream, depth: usize) -> Option<TokenStream> {
    match t {
        Ty::Named { kind: NamedKind::Struct | NamedKind::Union, .. } => {
            Some(quote!(::awsgen_runtime::validate::Validate::validate_into(#x, &#p, errors);))
        }
        Ty::List { item, sparse, .. } => {
            let (i, item_var, ip) =
                (format_ident!("i{depth}"), format_ident!("item{depth}"), format_ident!("p{depth}"));
            let inner = nested(item, quote!(#item_var), quote!(#ip), depth + 1)?;
            let bind = if *sparse { quote!(let Some(#item_var) = #item_var else { continue };) } else { quote!() };
            Some(quote! {
                for (#i, #item_var) in #x.iter().enumerate() {
                    #bind
                    let #ip = #p.index(#i);
                    #inner
                }
            })
        }
        Ty::Map { value, sparse, .. } => {
            let (k, val, kp) = (format_ident!("k{depth}"), format_ident!("v{depth}"), format_ident!("p{depth}"));
            let inner = nested(value, quote!(#val), quote!(#kp), depth + 1)?;
            let bind = if *sparse { quote!(let Some(#val) = #val else { continue };) } else { quote!() };
            Some(quote! {
                for (#k, #val) in #x.iter() {
                    #bind
                    let #kp = #p.key(#k.as_str());
                    #inner
                }
            })
        }
        _ => None,
    }
}

fn opt_u(v: Option<u64>) -> TokenStream {
    match v {
        Some(n) => {
            let l = Literal::u64_unsuffixed(n);
            quote!(Some(#l))
        }
        None => quote!(None),
    }
}

fn opt_f(v: Option<f64>) -> TokenStream {
    match v {
        Some(n) => {
            let l = Literal::f64_suffixed(n);
            quote!(Some(#l))
        }
        None => quote!(None),
    }
}

/// A character literal readable in review: ASCII as itself, anything else as `'\u{…}'`.
fn char_literal(c: char) -> Literal {
    if c.is_ascii_graphic() || c == ' ' {
        Literal::character(c)
    } else {
        format!("'\\u{{{:x}}}'", u32::from(c)).parse().expect("a valid character literal")
    }
}

/// The name of the constant `src/patterns.rs` holds a pattern in: from a hash of its text, so
/// that a pattern keeps its name when the model gains or loses others (no churn in the diff).
fn const_name(pattern: &str) -> String {
    // FNV-1a, 32 bits: stable across Rust versions and platforms, unlike `DefaultHasher`.
    let hash = pattern.bytes().fold(0x811c_9dc5_u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193));
    format!("P{hash:08X}")
}

/// A pattern checked without a regex engine, as `src/patterns.rs` holds it.
#[derive(Debug, Clone, Copy)]
pub enum Compiled<'a> {
    /// Character by character.
    Chars(&'a CharClass),
    /// By walking an automaton.
    Dfa(&'a DfaCheck),
}

/// Patterns checked without a regex engine, by the name of their constant.
pub type CompiledPatterns<'a> = BTreeMap<String, Compiled<'a>>;

/// The patterns that validation checks: of every member of a validated structure, and of the
/// elements of its lists and maps.
fn validated_patterns(ir: &Crate) -> impl Iterator<Item = &Pattern> {
    let structs = ir
        .types
        .values()
        .filter_map(|d| match &d.def {
            TypeDef::Struct(s) => Some(s),
            _ => None,
        })
        .chain(ir.operations.iter().map(|op| &op.input))
        .filter(|s| s.validated);
    structs.flat_map(|s| &s.fields).flat_map(|f| {
        let item = match &f.ty {
            Ty::List { item, .. } => Some(item.as_ref()),
            Ty::Map { value, .. } => Some(value.as_ref()),
            _ => None,
        };
        let element = f.element_constraints.as_ref().zip(item).map(|(c, t)| (t, c));
        std::iter::once((&f.ty, &f.constraints)).chain(element).filter_map(|(t, c)| match (t, &c.pattern) {
            (Ty::String, Some(p)) => Some(p),
            _ => None,
        })
    })
}

/// The patterns checked without a regex engine that validation uses, once each: a pattern
/// usually constrains many members, and its tables are long.
pub fn compiled_patterns(ir: &Crate) -> CompiledPatterns<'_> {
    let mut out = BTreeMap::new();
    for p in validated_patterns(ir) {
        match p {
            Pattern::Chars(class) => {
                out.insert(const_name(&class.pattern), Compiled::Chars(class));
            }
            Pattern::Dfa(dfa) => {
                out.insert(const_name(&dfa.shown), Compiled::Dfa(dfa));
            }
            Pattern::Regex(_) => {}
        }
    }
    out
}

/// Whether validation matches a pattern with `regex-lite` (the runtime's `regex` feature).
pub fn uses_regex(ir: &Crate) -> bool {
    validated_patterns(ir).any(|p| matches!(p, Pattern::Regex(_)))
}

/// The constant of a pattern checked character by character.
fn char_const(name: &proc_macro2::Ident, class: &CharClass) -> TokenStream {
    let doc = format!(" `{}`", class.pattern);
    let pattern = &class.pattern;
    let min = Literal::usize_unsuffixed(class.min as usize);
    let max = match class.max {
        Some(m) => {
            let m = Literal::usize_unsuffixed(m as usize);
            quote!(Some(#m))
        }
        None => quote!(None),
    };
    let table = |ranges: &[(char, char)]| {
        let ranges = ranges.iter().map(|&(a, b)| {
            let (a, b) = (char_literal(a), char_literal(b));
            quote!((#a, #b))
        });
        quote!(&[#(#ranges),*])
    };
    let head = class.head.iter().map(|c| table(c));
    let ranges = table(&class.ranges);
    quote! {
        #[doc = #doc]
        pub(crate) static #name: CharPattern = CharPattern {
            pattern: #pattern,
            min: #min,
            max: #max,
            head: &[#(#head),*],
            ranges: #ranges,
        };
    }
}

/// `src/patterns.rs`: one constant per pattern checked without a regex engine.
pub fn patterns_file(patterns: &CompiledPatterns<'_>) -> TokenStream {
    let chars = patterns.values().any(|c| matches!(c, Compiled::Chars(_)));
    let dfas = patterns.values().any(|c| matches!(c, Compiled::Dfa(_)));
    let imports = [
        chars.then(|| {
            quote!(
                use ::awsgen_runtime::validate::CharPattern;
            )
        }),
        dfas.then(|| {
            quote!(
                use ::awsgen_runtime::validate::DfaPattern;
            )
        }),
    ];
    let imports = imports.into_iter().flatten();
    let consts = patterns.iter().map(|(name, compiled)| {
        let name = format_ident!("{name}");
        match compiled {
            Compiled::Chars(class) => char_const(&name, class),
            Compiled::Dfa(dfa) => {
                let doc = format!(" `{}`", dfa.shown);
                let pattern = &dfa.shown;
                let table = dfa.table.tokens(&quote!(::awsgen_runtime::validate));
                quote! {
                    #[doc = #doc]
                    pub(crate) static #name: DfaPattern = DfaPattern { pattern: #pattern, dfa: #table };
                }
            }
        }
    });
    quote! {
        //! The `@pattern`s validation checks without a regex engine: those of the form
        //! `^[class]{min,max}$`, after fixed leading characters, character by character, with
        //! their classes as ranges of characters; the others by walking an automaton the
        //! generator compiled from them (byte classes, then each state's next state by class).
        #(#imports)*
        #(#consts)*
    }
}

/// The checks of one value `x` (a reference) of type `t` with constraints `c` at path `p`.
fn checks(t: &Ty, c: &Constraints, x: TokenStream, p: TokenStream) -> TokenStream {
    let v = quote!(::awsgen_runtime::validate);
    let mut out = TokenStream::new();
    if let Some((min, max)) = c.length {
        let (min, max) = (opt_u(min), opt_u(max));
        match t {
            Ty::String => out.extend(quote!(#v::string_length(&#p, #x, #min, #max, errors);)),
            Ty::Blob | Ty::List { .. } | Ty::Map { .. } => {
                out.extend(quote!(#v::length(&#p, #x.len(), #min, #max, errors);))
            }
            _ => {}
        }
    }
    if let Some((min, max)) = c.range {
        let num = match t {
            Ty::I8 | Ty::I16 | Ty::I32 | Ty::F32 => Some(quote!(f64::from(*#x))),
            Ty::I64 | Ty::F64 => Some(quote!(*#x as f64)),
            _ => None,
        };
        if let Some(num) = num {
            let (min, max) = (opt_f(min), opt_f(max));
            out.extend(quote!(#v::range(&#p, #num, #min, #max, errors);));
        }
    }
    match (&c.pattern, t) {
        (Some(Pattern::Regex(re)), Ty::String) => {
            let (engine, shown) = (&re.engine, &re.shown);
            out.extend(quote! {
                static RE: ::std::sync::LazyLock<Option<::awsgen_runtime::__private::regex_lite::Regex>> =
                    ::std::sync::LazyLock::new(|| #v::compile(#engine));
                if let Some(re) = RE.as_ref() {
                    #v::pattern(&#p, #x, re, #shown, errors);
                }
            })
        }
        (Some(Pattern::Chars(class)), Ty::String) => {
            let name = format_ident!("{}", const_name(&class.pattern));
            out.extend(quote!(#v::pattern_chars(&#p, #x, &crate::patterns::#name, errors);));
        }
        (Some(Pattern::Dfa(dfa)), Ty::String) => {
            let name = format_ident!("{}", const_name(&dfa.shown));
            out.extend(quote!(#v::pattern_dfa(&#p, #x, &crate::patterns::#name, errors);));
        }
        _ => {}
    }
    if let Some(n) = nested(t, x.clone(), p, 0) {
        out.extend(n);
    }
    out
}

/// Checks of each element of a list (or value of a map) `x` against `c`.
fn element_checks(t: &Ty, c: &Constraints) -> TokenStream {
    let (item, sparse, map) = match t {
        Ty::List { item, sparse, .. } => (item.as_ref(), *sparse, false),
        Ty::Map { value, sparse, .. } => (value.as_ref(), *sparse, true),
        _ => return TokenStream::new(),
    };
    // Nested structures are validated by `checks` already; only scalar constraints here.
    let only_scalar =
        Constraints { length: c.length, range: c.range, pattern: c.pattern.clone(), pattern_unsupported: None };
    let body = match item {
        Ty::Named { .. } | Ty::List { .. } | Ty::Map { .. } => return TokenStream::new(),
        t => checks(t, &only_scalar, quote!(e), quote!(ep)),
    };
    if body.is_empty() {
        return body;
    }
    let bind = if sparse { quote!(let Some(e) = e else { continue };) } else { quote!() };
    if map {
        quote! {
            for (k, e) in x.iter() {
                #bind
                let ep = p.key(k.as_str());
                #body
            }
        }
    } else {
        quote! {
            for (i, e) in x.iter().enumerate() {
                #bind
                let ep = p.index(i);
                #body
            }
        }
    }
}

/// `impl Validate` for a structure that inputs reach; nothing for the others.
pub fn structure(s: &StructDef) -> TokenStream {
    if !s.validated {
        return TokenStream::new();
    }
    let name = format_ident!("{}", s.name);
    let mut body = TokenStream::new();
    for f in &s.fields {
        let fid = field_ident(f);
        let member = &f.member;
        let x = quote!(x);
        let mut inner = checks(&f.ty, &f.constraints, x.clone(), quote!(p));
        if let Some(ec) = &f.element_constraints {
            inner.extend(element_checks(&f.ty, ec));
        }
        let must = f.required && f.default.is_none();
        if inner.is_empty() && !(f.optional() && must) {
            continue;
        }
        let step = if f.optional() && must {
            let some = if inner.is_empty() { quote!(Some(_)) } else { quote!(Some(x)) };
            quote! {
                match &self.#fid {
                    #some => { #inner }
                    None => ::awsgen_runtime::validate::required(&p, errors),
                }
            }
        } else if f.optional() {
            quote!(if let Some(x) = &self.#fid { #inner })
        } else {
            quote!(let x = &self.#fid; #inner)
        };
        body.extend(quote!({ let p = path.member(#member); #step }));
    }
    if body.is_empty() {
        body = quote!(let _ = (path, errors););
    }
    quote! {
        impl ::awsgen_runtime::validate::Validate for #name {
            fn validate_into(&self, path: &::awsgen_runtime::validate::Path<'_>, errors: &mut Vec<::awsgen_runtime::ValidationError>) {
                #body
            }
        }
    }
}

/// `impl Validate` for a union that inputs reach (the set member's nested values); nothing for
/// the others.
pub fn union(u: &UnionDef) -> TokenStream {
    if !u.validated {
        return TokenStream::new();
    }
    let name = format_ident!("{}", u.name);
    let arms: Vec<(TokenStream, TokenStream)> = u
        .variants
        .iter()
        .filter_map(|var| {
            let t = var.ty.as_ref()?;
            let vn = format_ident!("{}", var.name);
            let member = &var.member;
            let inner = nested(t, quote!(x), quote!(p), 0)?;
            Some((quote!(#name::#vn(x)), quote!({ let p = path.member(#member); #inner })))
        })
        .collect();
    let body = match arms.as_slice() {
        [] => quote!(let _ = (path, errors);),
        [(pat, body)] => quote!(if let #pat = self #body),
        _ => {
            let (pats, bodies): (Vec<_>, Vec<_>) = arms.into_iter().unzip();
            quote! {
                match self {
                    #(#pats => #bodies)*
                    _ => {}
                }
            }
        }
    };
    quote! {
        impl ::awsgen_runtime::validate::Validate for #name {
            fn validate_into(&self, path: &::awsgen_runtime::validate::Path<'_>, errors: &mut Vec<::awsgen_runtime::ValidationError>) {
                #body
            }
        }
    }
}
