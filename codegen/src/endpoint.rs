//! Endpoint rules: the model's `smithy.rules#endpointRuleSet` lowered into the rules engine's
//! own types (`awsgen_rules`), checked on the way (every function known, every name bound, every
//! template well formed), and written back as `static` data for the generated crate. The same
//! lowering feeds the corpus test that runs every model's `endpointTests` through the engine.

use std::collections::BTreeMap;

use awsgen_rules::{
    Condition, EndpointSpec, Expr, Func, List, Literal, Param, ParamType, Part, PathSeg, Rule, RuleKind, RuleSet, Str,
};
use proc_macro2::{Literal as Lit, TokenStream};
use quote::quote;
use serde_json::Value;

use crate::diag::Sink;

fn owned<T: Clone>(v: Vec<T>) -> List<T> {
    std::borrow::Cow::Owned(v)
}

fn text(s: &str) -> Str {
    std::borrow::Cow::Owned(s.to_string())
}

/// Lowers a rule set; problems are reported at `loc` (the service) and give `None`.
pub fn lower(rules: &Value, loc: &str, sink: &mut Sink) -> Option<RuleSet> {
    let mut cx = Lowering { slots: BTreeMap::new(), next: 0, errors: Vec::new() };
    let params = cx.params(rules.get("parameters"));
    let body = match rules.get("rules").and_then(Value::as_array) {
        Some(r) => cx.rules(r, "rules"),
        None => {
            cx.errors.push("the rule set has no `rules` list".into());
            Vec::new()
        }
    };
    if !cx.errors.is_empty() {
        for e in cx.errors {
            sink.error(loc, format!("smithy.rules#endpointRuleSet: {e}"));
        }
        return None;
    }
    Some(RuleSet { params: owned(params), slots: cx.next, rules: owned(body) })
}

struct Lowering {
    /// Parameter and assigned names, to their slots.
    slots: BTreeMap<String, u16>,
    next: u16,
    errors: Vec<String>,
}

impl Lowering {
    fn slot(&mut self, name: &str) -> u16 {
        if let Some(s) = self.slots.get(name) {
            return *s;
        }
        let s = self.next;
        self.next += 1;
        self.slots.insert(name.to_string(), s);
        s
    }

    fn bound(&mut self, name: &str, at: &str) -> u16 {
        match self.slots.get(name) {
            Some(s) => *s,
            None => {
                self.errors.push(format!("{at}: `{name}` is neither a parameter nor assigned before its use"));
                0
            }
        }
    }

    fn params(&mut self, v: Option<&Value>) -> Vec<Param> {
        let Some(obj) = v.and_then(Value::as_object) else {
            self.errors.push("the rule set has no `parameters` object".into());
            return Vec::new();
        };
        let mut out = Vec::new();
        for (name, p) in obj {
            let ty = match p.get("type").and_then(Value::as_str).map(str::to_ascii_lowercase).as_deref() {
                Some("string") => ParamType::String,
                Some("boolean") => ParamType::Boolean,
                Some("stringarray") => ParamType::StringArray,
                other => {
                    self.errors.push(format!("parameter `{name}` has the unknown type {other:?}"));
                    continue;
                }
            };
            let default = match (ty, p.get("default")) {
                (_, None) => None,
                (ParamType::String, Some(Value::String(s))) => Some(Literal::String(text(s))),
                (ParamType::Boolean, Some(Value::Bool(b))) => Some(Literal::Bool(*b)),
                (ParamType::StringArray, Some(Value::Array(a))) if a.iter().all(Value::is_string) => {
                    Some(Literal::StringArray(owned(a.iter().filter_map(Value::as_str).map(text).collect())))
                }
                (_, Some(d)) => {
                    self.errors.push(format!("parameter `{name}` has a default {d} that is not a {ty:?}"));
                    None
                }
            };
            self.slot(name);
            out.push(Param {
                name: text(name),
                ty,
                built_in: p.get("builtIn").and_then(Value::as_str).map(text),
                required: p.get("required").and_then(Value::as_bool).unwrap_or(false),
                default,
            });
        }
        out
    }

    fn rules(&mut self, rules: &[Value], at: &str) -> Vec<Rule> {
        rules.iter().enumerate().map(|(i, r)| self.rule(r, &format!("{at}[{i}]"))).collect()
    }

    fn rule(&mut self, r: &Value, at: &str) -> Rule {
        let conditions: Vec<Condition> = r
            .get("conditions")
            .and_then(Value::as_array)
            .map(|cs| cs.iter().enumerate().map(|(i, c)| self.condition(c, &format!("{at}.conditions[{i}]"))).collect())
            .unwrap_or_default();
        let kind = match r.get("type").and_then(Value::as_str) {
            Some("endpoint") => match r.get("endpoint") {
                Some(e) => RuleKind::Endpoint(self.endpoint(e, &format!("{at}.endpoint"))),
                None => {
                    self.errors.push(format!("{at}: an endpoint rule without `endpoint`"));
                    RuleKind::Tree(owned(Vec::new()))
                }
            },
            Some("error") => match r.get("error") {
                Some(e) => RuleKind::Error(self.expr(e, &format!("{at}.error"))),
                None => {
                    self.errors.push(format!("{at}: an error rule without `error`"));
                    RuleKind::Tree(owned(Vec::new()))
                }
            },
            Some("tree") => {
                let sub = r.get("rules").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
                RuleKind::Tree(owned(self.rules(sub, &format!("{at}.rules"))))
            }
            other => {
                self.errors.push(format!("{at}: unknown rule type {other:?}"));
                RuleKind::Tree(owned(Vec::new()))
            }
        };
        Rule { conditions: owned(conditions), kind }
    }

    fn endpoint(&mut self, e: &Value, at: &str) -> EndpointSpec {
        let url = match e.get("url") {
            Some(u) => self.expr(u, &format!("{at}.url")),
            None => {
                self.errors.push(format!("{at}: an endpoint without `url`"));
                Expr::Bool(false)
            }
        };
        let properties = e
            .get("properties")
            .and_then(Value::as_object)
            .map(|o| o.iter().map(|(k, v)| (text(k), self.expr(v, &format!("{at}.properties.{k}")))).collect())
            .unwrap_or_default();
        let headers = e
            .get("headers")
            .and_then(Value::as_object)
            .map(|o| {
                o.iter()
                    .map(|(k, v)| {
                        let values = v.as_array().map(Vec::as_slice).unwrap_or_default();
                        let values = values.iter().map(|x| self.expr(x, &format!("{at}.headers.{k}"))).collect();
                        (text(k), owned(values))
                    })
                    .collect()
            })
            .unwrap_or_default();
        EndpointSpec { url, properties: owned(properties), headers: owned(headers) }
    }

    /// A function call, as a condition or inside an expression.
    fn condition(&mut self, c: &Value, at: &str) -> Condition {
        let name = c.get("fn").and_then(Value::as_str).unwrap_or_default();
        let argv = c.get("argv").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
        let func = Func::from_name(name).unwrap_or_else(|| {
            self.errors.push(format!("{at}: unknown function `{name}`"));
            Func::IsSet
        });
        let args = if func == Func::GetAttr {
            vec![self.get_attr(argv, at)]
        } else {
            argv.iter().enumerate().map(|(i, a)| self.expr(a, &format!("{at}.argv[{i}]"))).collect()
        };
        // The name is bound from here on: in the rule's later conditions and its body.
        let assign = c.get("assign").and_then(Value::as_str).map(|n| self.slot(n));
        Condition { func, args: owned(args), assign }
    }

    fn get_attr(&mut self, argv: &[Value], at: &str) -> Expr {
        match argv {
            [target, Value::String(path)] => {
                let target = self.expr(target, &format!("{at}.argv[0]"));
                Expr::Attr(owned(vec![target]), owned(self.path(path, at)))
            }
            _ => {
                self.errors.push(format!("{at}: getAttr takes a value and a path string"));
                Expr::Bool(false)
            }
        }
    }

    fn path(&mut self, path: &str, at: &str) -> Vec<PathSeg> {
        let mut out = Vec::new();
        for part in path.split('.') {
            let (key, mut rest) = part.split_once('[').map_or((part, ""), |(k, r)| (k, r));
            if !key.is_empty() {
                out.push(PathSeg::Key(text(key)));
            }
            while !rest.is_empty() {
                let Some((n, tail)) = rest.split_once(']') else {
                    self.errors.push(format!("{at}: bad path `{path}`"));
                    break;
                };
                match n.parse() {
                    Ok(i) => out.push(PathSeg::Index(i)),
                    Err(_) => self.errors.push(format!("{at}: bad index in path `{path}`")),
                }
                rest = tail.strip_prefix('[').unwrap_or(tail);
            }
        }
        out
    }

    fn expr(&mut self, v: &Value, at: &str) -> Expr {
        match v {
            Value::String(s) => Expr::Template(owned(self.template(s, at))),
            Value::Bool(b) => Expr::Bool(*b),
            Value::Number(n) => match n.as_i64() {
                Some(i) => Expr::Int(i),
                None => {
                    self.errors.push(format!("{at}: numbers are integers, not {n}"));
                    Expr::Int(0)
                }
            },
            Value::Array(a) => {
                Expr::Array(owned(a.iter().enumerate().map(|(i, x)| self.expr(x, &format!("{at}[{i}]"))).collect()))
            }
            Value::Object(o) if o.contains_key("ref") => match o["ref"].as_str() {
                Some(name) => Expr::Slot(self.bound(name, at)),
                None => {
                    self.errors.push(format!("{at}: `ref` is not a name"));
                    Expr::Bool(false)
                }
            },
            Value::Object(o) if o.contains_key("fn") => {
                let c = self.condition(v, at);
                if c.func == Func::GetAttr {
                    c.args.into_owned().pop().unwrap_or(Expr::Bool(false))
                } else {
                    Expr::Call(owned(vec![c]))
                }
            }
            Value::Object(o) => {
                Expr::Record(owned(o.iter().map(|(k, x)| (text(k), self.expr(x, &format!("{at}.{k}")))).collect()))
            }
            Value::Null => {
                self.errors.push(format!("{at}: null is not an expression"));
                Expr::Bool(false)
            }
        }
    }

    /// `https://{Region}.{PartitionResult#dnsSuffix}`, with `{{` and `}}` for braces.
    fn template(&mut self, s: &str, at: &str) -> Vec<Part> {
        let mut parts = Vec::new();
        let mut lit = String::new();
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    lit.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    lit.push('}');
                }
                '{' => {
                    let name: String = chars.by_ref().take_while(|c| *c != '}').collect();
                    if !lit.is_empty() {
                        parts.push(Part::Text(text(&std::mem::take(&mut lit))));
                    }
                    match name.split_once('#') {
                        Some((n, path)) => {
                            let slot = self.bound(n, at);
                            let path = self.path(path, at);
                            parts.push(Part::Attr(slot, owned(path)));
                        }
                        None => parts.push(Part::Slot(self.bound(&name, at))),
                    }
                }
                c => lit.push(c),
            }
        }
        if !lit.is_empty() || parts.is_empty() {
            parts.push(Part::Text(text(&lit)));
        }
        parts
    }
}

/// A rule set as a Rust expression of `static` data, for a file that imports
/// `awsgen_rules::{build::*, *}` (through the runtime) and `Cow::Borrowed as B`.
pub fn tokens(rs: &RuleSet) -> TokenStream {
    let params = rs.params.iter().map(param);
    let rules = rs.rules.iter().map(rule);
    let slots = Lit::u16_unsuffixed(rs.slots);
    quote! {
        RuleSet { params: B(&[#(#params),*]), slots: #slots, rules: B(&[#(#rules),*]) }
    }
}

fn param(p: &Param) -> TokenStream {
    let name = p.name.as_ref();
    let ty = match p.ty {
        ParamType::String => quote!(ParamType::String),
        ParamType::Boolean => quote!(ParamType::Boolean),
        ParamType::StringArray => quote!(ParamType::StringArray),
    };
    let built_in = match &p.built_in {
        Some(b) => {
            let b = b.as_ref();
            quote!(Some(#b))
        }
        None => quote!(None),
    };
    let required = p.required;
    let default = match &p.default {
        None => quote!(None),
        Some(Literal::String(s)) => {
            let s = s.as_ref();
            quote!(Some(string(#s)))
        }
        Some(Literal::Bool(b)) => quote!(Some(Literal::Bool(#b))),
        Some(Literal::StringArray(items)) => {
            let items = items.iter().map(|s| s.as_ref());
            quote!(Some(strings(&[#(s(#items)),*])))
        }
    };
    quote!(param(#name, #ty, #built_in, #required, #default))
}

fn rule(r: &Rule) -> TokenStream {
    let conds = r.conditions.iter().map(condition);
    let kind = match &r.kind {
        RuleKind::Tree(sub) => {
            let sub = sub.iter().map(rule);
            quote!(tree(&[#(#sub),*]))
        }
        RuleKind::Error(e) => {
            let e = expr(e);
            quote!(error(#e))
        }
        RuleKind::Endpoint(e) => {
            let url = expr(&e.url);
            let props = e.properties.iter().map(|(k, v)| {
                let (k, v) = (k.as_ref(), expr(v));
                quote!((s(#k), #v))
            });
            let headers = e.headers.iter().map(|(k, vs)| {
                let k = k.as_ref();
                let vs = vs.iter().map(expr);
                quote!((s(#k), list(&[#(#vs),*])))
            });
            quote!(endpoint(#url, &[#(#props),*], &[#(#headers),*]))
        }
    };
    quote!(rule(&[#(#conds),*], #kind))
}

fn func(f: Func) -> TokenStream {
    let name = proc_macro2::Ident::new(&format!("{f:?}"), proc_macro2::Span::call_site());
    quote!(Func::#name)
}

fn condition(c: &Condition) -> TokenStream {
    let f = func(c.func);
    let args = c.args.iter().map(expr);
    let assign = match c.assign {
        Some(s) => {
            let s = Lit::u16_unsuffixed(s);
            quote!(Some(#s))
        }
        None => quote!(None),
    };
    quote!(cond(#f, &[#(#args),*], #assign))
}

fn path(p: &[PathSeg]) -> TokenStream {
    let segs = p.iter().map(|s| match s {
        PathSeg::Key(k) => {
            let k = k.as_ref();
            quote!(key(#k))
        }
        PathSeg::Index(i) => {
            let i = Lit::usize_unsuffixed(*i);
            quote!(PathSeg::Index(#i))
        }
    });
    quote!(&[#(#segs),*])
}

fn expr(e: &Expr) -> TokenStream {
    match e {
        Expr::Template(parts) => {
            let parts = parts.iter().map(|p| match p {
                Part::Text(t) => {
                    let t = t.as_ref();
                    quote!(text(#t))
                }
                Part::Slot(s) => {
                    let s = Lit::u16_unsuffixed(*s);
                    quote!(Part::Slot(#s))
                }
                Part::Attr(s, p) => {
                    let (s, p) = (Lit::u16_unsuffixed(*s), path(p));
                    quote!(part_attr(#s, #p))
                }
            });
            quote!(tpl(&[#(#parts),*]))
        }
        Expr::Bool(b) => quote!(Expr::Bool(#b)),
        Expr::Int(i) => {
            let i = Lit::i64_unsuffixed(*i);
            quote!(Expr::Int(#i))
        }
        Expr::Array(items) => {
            let items = items.iter().map(expr);
            quote!(array(&[#(#items),*]))
        }
        Expr::Record(fields) => {
            let fields = fields.iter().map(|(k, v)| {
                let (k, v) = (k.as_ref(), expr(v));
                quote!((s(#k), #v))
            });
            quote!(record(&[#(#fields),*]))
        }
        Expr::Slot(s) => {
            let s = Lit::u16_unsuffixed(*s);
            quote!(Expr::Slot(#s))
        }
        Expr::Call(c) => {
            let c = condition(&c[0]);
            quote!(call(&[#c]))
        }
        Expr::Attr(target, p) => {
            let (t, p) = (expr(&target[0]), path(p));
            quote!(attr(&[#t], #p))
        }
    }
}

/// `runtime/rules/src/partitions/data.rs` from the project's `model/partitions.json`.
pub fn partitions_file(json: &str, file: &str) -> Result<String, crate::Diagnostics> {
    let one = |msg: String| crate::Diagnostics::from_vec(vec![crate::Diagnostic::new(file, msg)]);
    let v: Value = serde_json::from_str(json).map_err(|e| one(format!("{}:{}: {e}", e.line(), e.column())))?;
    let partitions = v.get("partitions").and_then(Value::as_array).ok_or_else(|| one("no `partitions` list".into()))?;
    let mut items = Vec::new();
    for p in partitions {
        let s = |k: &str, v: &Value| v.get(k).and_then(Value::as_str).map(str::to_string);
        let b = |k: &str, v: &Value| v.get(k).and_then(Value::as_bool);
        let id = s("id", p).ok_or_else(|| one("a partition without `id`".into()))?;
        let o = p.get("outputs").ok_or_else(|| one(format!("partition `{id}` has no `outputs`")))?;
        let need = |what: Option<String>, k: &str| what.ok_or_else(|| one(format!("partition `{id}`: no `{k}`")));
        let regex = need(s("regionRegex", p), "regionRegex")?;
        let mut regions: Vec<String> = p
            .get("regions")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect())
            .unwrap_or_default();
        regions.sort();
        let (name, dns, dual, global) = (
            need(s("name", o), "outputs.name")?,
            need(s("dnsSuffix", o), "outputs.dnsSuffix")?,
            need(s("dualStackDnsSuffix", o), "outputs.dualStackDnsSuffix")?,
            need(s("implicitGlobalRegion", o), "outputs.implicitGlobalRegion")?,
        );
        let fips = b("supportsFIPS", o).ok_or_else(|| one(format!("partition `{id}`: no `supportsFIPS`")))?;
        let ds = b("supportsDualStack", o).ok_or_else(|| one(format!("partition `{id}`: no `supportsDualStack`")))?;
        items.push(quote! {
            Partition {
                id: #id,
                region_regex: #regex,
                regions: &[#(#regions),*],
                outputs: Outputs {
                    name: #name,
                    dns_suffix: #dns,
                    dual_stack_dns_suffix: #dual,
                    implicit_global_region: #global,
                    supports_fips: #fips,
                    supports_dual_stack: #ds,
                },
            }
        });
    }
    let tokens = quote! {
        //! The AWS partitions, from `model/partitions.json`.
        use super::{Outputs, Partition};

        /// Every partition, in the order of the model file.
        pub static PARTITIONS: &[Partition] = &[#(#items),*];
    };
    Ok(crate::render::rust_file("partitions/data.rs", tokens))
}
