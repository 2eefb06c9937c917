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

/// A service's endpoint rules, and the model's test cases for them.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceEndpoints {
    pub rules: RuleSet,
    /// `false` when the model has no rule set and the generator made the usual regional one.
    pub from_model: bool,
    pub tests: Vec<Case>,
    /// `smithy.rules#clientContextParams`: settings of the client builder, in name order.
    pub client_params: Vec<ClientParam>,
}

/// One client context parameter: a typed, documented method of the client builder.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientParam {
    /// The rule set's parameter name (`ForcePathStyle`).
    pub name: String,
    /// The builder method (`force_path_style`).
    pub method: String,
    pub ty: awsgen_rules::ParamType,
    pub doc: Option<String>,
}

/// The runtime's `ClientBuilder` methods; a client context parameter of the same name gets a
/// `_param` suffix, since an inherent method would hide the generated one.
const BUILDER_METHODS: &[&str] = &[
    "region",
    "endpoint_url",
    "use_fips",
    "use_dual_stack",
    "ignore_configured_endpoint_urls",
    "from_env",
    "shared_config",
    "endpoint_param",
    "credentials",
    "retry",
    "max_attempts",
    "retry_mode",
    "defaults_mode",
    "connect_timeout",
    "attempt_timeout",
    "validation",
    "clock",
    "connector",
    "build",
];

/// The client context parameters, checked against the rule set's parameters.
fn client_params(json: Option<&Value>, rules: &RuleSet, loc: &str, sink: &mut Sink) -> Vec<ClientParam> {
    let mut out = Vec::new();
    for (name, v) in json.and_then(Value::as_object).map(entries).into_iter().flatten() {
        let at = format!("smithy.rules#clientContextParams `{name}`");
        let ty = match v.get("type").and_then(Value::as_str) {
            Some("boolean") => awsgen_rules::ParamType::Boolean,
            Some("string") => awsgen_rules::ParamType::String,
            other => {
                sink.error(loc, format!("{at}: type {other:?} is not `boolean` or `string`"));
                continue;
            }
        };
        match rules.params.iter().find(|p| p.name == name.as_str()) {
            Some(p) if p.ty == ty => {}
            Some(p) => {
                sink.error(loc, format!("{at}: the endpoint rules declare it as {:?}, not {ty:?}", p.ty));
                continue;
            }
            None => {
                sink.error(loc, format!("{at}: the endpoint rules have no such parameter"));
                continue;
            }
        }
        let mut method = crate::naming::field_name(name);
        if BUILDER_METHODS.contains(&method.as_str()) {
            method.push_str("_param");
        }
        let doc = v.get("documentation").and_then(Value::as_str).map(str::to_string);
        out.push(ClientParam { name: name.clone(), method, ty, doc });
    }
    out
}

/// One `smithy.rules#endpointTests` case.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    pub documentation: String,
    pub params: Vec<(String, awsgen_rules::Value)>,
    /// The endpoint, or the error message.
    pub expect: Result<awsgen_rules::Endpoint, String>,
    /// The case predates dual-stack in the aws-iso partitions: it holds against
    /// `awsgen_rules::partitions::before_iso_dual_stack()`, checked at generation time.
    pub before_iso_dual_stack: bool,
}

/// The rule set of a model without one: the endpoint URL when one is set, else
/// `https://{prefix}.{Region}.{dnsSuffix}` with the FIPS and dual-stack variants the partition
/// supports, as the AWS SDKs derive for such services.
fn default_rule_set(prefix: &str) -> Value {
    let url = |fips: &str, suffix: &str| format!("https://{prefix}{fips}.{{Region}}.{{PartitionResult#{suffix}}}");
    let is_true = |r: &str| serde_json::json!({"fn": "booleanEquals", "argv": [{"ref": r}, true]});
    let supports = |a: &str| serde_json::json!({"fn": "booleanEquals", "argv": [{"fn": "getAttr", "argv": [{"ref": "PartitionResult"}, a]}, true]});
    let endpoint = |u: String| serde_json::json!({"conditions": [], "endpoint": {"url": u}, "type": "endpoint"});
    let error = |m: &str| serde_json::json!({"conditions": [], "error": m, "type": "error"});
    serde_json::json!({
        "version": "1.0",
        "parameters": {
            "Region": {"builtIn": "AWS::Region", "required": false, "type": "String"},
            "UseFIPS": {"builtIn": "AWS::UseFIPS", "required": true, "default": false, "type": "Boolean"},
            "UseDualStack": {"builtIn": "AWS::UseDualStack", "required": true, "default": false, "type": "Boolean"},
            "Endpoint": {"builtIn": "SDK::Endpoint", "required": false, "type": "String"}
        },
        "rules": [
            {"conditions": [{"fn": "isSet", "argv": [{"ref": "Endpoint"}]}], "endpoint": {"url": {"ref": "Endpoint"}}, "type": "endpoint"},
            {"conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]}, {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "PartitionResult"}], "type": "tree", "rules": [
                {"conditions": [is_true("UseFIPS"), is_true("UseDualStack")], "type": "tree", "rules": [
                    {"conditions": [supports("supportsFIPS"), supports("supportsDualStack")], "type": "tree", "rules": [endpoint(url("-fips", "dualStackDnsSuffix"))]},
                    error("FIPS and DualStack are enabled, but this partition does not support one or both")]},
                {"conditions": [is_true("UseFIPS")], "type": "tree", "rules": [
                    {"conditions": [supports("supportsFIPS")], "type": "tree", "rules": [endpoint(url("-fips", "dnsSuffix"))]},
                    error("FIPS is enabled but this partition does not support FIPS")]},
                {"conditions": [is_true("UseDualStack")], "type": "tree", "rules": [
                    {"conditions": [supports("supportsDualStack")], "type": "tree", "rules": [endpoint(url("", "dualStackDnsSuffix"))]},
                    error("DualStack is enabled but this partition does not support DualStack")]},
                endpoint(url("", "dnsSuffix"))]},
            error("Invalid Configuration: Missing Region")
        ]
    })
}

/// The service's rules (the model's, or the default ones) and the model's test cases, each
/// checked against the rules here: a case the engine does not pass is a warning (and its
/// generated test fails), not a reason to refuse the client.
pub fn lower_service(
    rule_set: Option<&Value>,
    tests: Option<&Value>,
    client_context_params: Option<&Value>,
    prefix: &str,
    loc: &str,
    sink: &mut Sink,
    warnings: &mut Vec<crate::Diagnostic>,
) -> Option<ServiceEndpoints> {
    let default;
    let json = match rule_set {
        Some(r) => r,
        None => {
            default = default_rule_set(prefix);
            &default
        }
    };
    let rules = lower(json, loc, sink)?;
    let mut cases = Vec::new();
    let historical = awsgen_rules::partitions::before_iso_dual_stack();
    for (i, c) in tests.and_then(|t| t.get("testCases")).and_then(Value::as_array).into_iter().flatten().enumerate() {
        let documentation = c.get("documentation").and_then(Value::as_str).map_or(format!("case {i}"), str::to_string);
        let at = format!("smithy.rules#endpointTests: `{documentation}`");
        let mut params = Vec::new();
        let mut set = awsgen_rules::Params::new(&rules);
        for (k, v) in c.get("params").and_then(Value::as_object).map(entries).into_iter().flatten() {
            let Some(v) = value(v) else {
                sink.error(loc, format!("{at}: parameter `{k}` has an unusable value {v}"));
                continue;
            };
            if let Err(e) = set.set(k, v.clone()) {
                sink.error(loc, format!("{at}: {e}"));
                continue;
            }
            params.push((k.clone(), v));
        }
        let Some(expect) = expected(&c["expect"]) else {
            sink.error(loc, format!("{at}: `expect` is neither an endpoint nor an error"));
            continue;
        };
        let holds = |got: Result<awsgen_rules::Endpoint, awsgen_rules::ResolveError>| match (&expect, got) {
            (Ok(want), Ok(got)) => same_endpoint(want, &got),
            (Err(want), Err(awsgen_rules::ResolveError::Rule(got))) => *want == got,
            _ => false,
        };
        let current = holds(awsgen_rules::resolve(&set));
        let before_iso_dual_stack = !current && holds(awsgen_rules::resolve_in(&set, &historical));
        if !current && !before_iso_dual_stack {
            warnings.push(crate::Diagnostic::new(
                loc,
                format!("{at}: the rules do not give the expected result; its generated test will fail"),
            ));
        }
        cases.push(Case { documentation, params, expect, before_iso_dual_stack });
    }
    let client_params = client_params(client_context_params, &rules, loc, sink);
    Some(ServiceEndpoints { rules, from_model: rule_set.is_some(), tests: cases, client_params })
}

/// A test case's (or a static context parameter's) value.
pub fn value(v: &Value) -> Option<awsgen_rules::Value> {
    Some(match v {
        Value::String(s) => awsgen_rules::Value::String(s.clone()),
        Value::Bool(b) => awsgen_rules::Value::Bool(*b),
        Value::Number(n) => awsgen_rules::Value::Int(n.as_i64()?),
        Value::Array(a) => awsgen_rules::Value::Array(a.iter().map(value).collect::<Option<_>>()?),
        Value::Object(o) => awsgen_rules::Value::Record(
            entries(o).into_iter().map(|(k, v)| Some((text(k), value(v)?))).collect::<Option<_>>()?,
        ),
        Value::Null => return None,
    })
}

fn expected(e: &Value) -> Option<Result<awsgen_rules::Endpoint, String>> {
    if let Some(msg) = e.get("error").and_then(Value::as_str) {
        return Some(Err(msg.to_string()));
    }
    let ep = e.get("endpoint")?;
    let url = ep.get("url")?.as_str()?.to_string();
    let headers = ep
        .get("headers")
        .and_then(Value::as_object)
        .map(|h| {
            entries(h)
                .into_iter()
                .map(|(k, vs)| {
                    let vs = vs.as_array().map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect());
                    (k.clone(), vs.unwrap_or_default())
                })
                .collect()
        })
        .unwrap_or_default();
    let properties = ep
        .get("properties")
        .and_then(Value::as_object)
        .map(|p| entries(p).into_iter().map(|(k, v)| Some((text(k), value(v)?))).collect::<Option<Vec<_>>>())
        .unwrap_or(Some(Vec::new()))?;
    Some(Ok(awsgen_rules::Endpoint { url, headers, properties }))
}

/// Equal endpoints, whatever the order of headers, properties and record fields.
pub fn same_endpoint(a: &awsgen_rules::Endpoint, b: &awsgen_rules::Endpoint) -> bool {
    fn sorted(v: &awsgen_rules::Value) -> awsgen_rules::Value {
        match v {
            awsgen_rules::Value::Record(f) => {
                let mut f: Vec<_> = f.iter().map(|(k, v)| (k.clone(), sorted(v))).collect();
                f.sort_by(|x, y| x.0.cmp(&y.0));
                awsgen_rules::Value::Record(f)
            }
            awsgen_rules::Value::Array(a) => awsgen_rules::Value::Array(a.iter().map(sorted).collect()),
            other => other.clone(),
        }
    }
    let props = |e: &awsgen_rules::Endpoint| sorted(&awsgen_rules::Value::Record(e.properties.clone()));
    let headers = |e: &awsgen_rules::Endpoint| {
        let mut h = e.headers.clone();
        h.sort();
        h
    };
    a.url == b.url && headers(a) == headers(b) && props(a) == props(b)
}

/// The entries of a JSON object by key: the same order whether or not `serde_json` keeps the
/// file's order (its `preserve_order` feature, which a dependency may turn on).
fn entries(o: &serde_json::Map<String, Value>) -> Vec<(&String, &Value)> {
    let mut e: Vec<_> = o.iter().collect();
    e.sort_by(|a, b| a.0.cmp(b.0));
    e
}

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
        for (name, p) in entries(obj) {
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
            .map(|o| {
                entries(o).into_iter().map(|(k, v)| (text(k), self.expr(v, &format!("{at}.properties.{k}")))).collect()
            })
            .unwrap_or_default();
        let headers = e
            .get("headers")
            .and_then(Value::as_object)
            .map(|o| {
                entries(o)
                    .into_iter()
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
            Value::Object(o) => Expr::Record(owned(
                entries(o).into_iter().map(|(k, x)| (text(k), self.expr(x, &format!("{at}.{k}")))).collect(),
            )),
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

/// A rule set as a Rust expression of `static` data, for a file that imports the rules types and
/// `Cow::Borrowed as B`. Only struct literals and variant constructors: the borrowed arrays in
/// them are extended to `'static`, which arrays passed to a function would not be.
pub fn tokens(rs: &RuleSet) -> TokenStream {
    let params = rs.params.iter().map(param);
    let rules = rs.rules.iter().map(rule);
    let slots = Lit::u16_unsuffixed(rs.slots);
    quote! {
        RuleSet { params: B(&[#(#params),*]), slots: #slots, rules: B(&[#(#rules),*]) }
    }
}

fn str_lit(s: &str) -> TokenStream {
    quote!(B(#s))
}

fn param(p: &Param) -> TokenStream {
    let name = str_lit(&p.name);
    let ty = match p.ty {
        ParamType::String => quote!(ParamType::String),
        ParamType::Boolean => quote!(ParamType::Boolean),
        ParamType::StringArray => quote!(ParamType::StringArray),
    };
    let built_in = match &p.built_in {
        Some(b) => {
            let b = str_lit(b);
            quote!(Some(#b))
        }
        None => quote!(None),
    };
    let required = p.required;
    let default = match &p.default {
        None => quote!(None),
        Some(Literal::String(s)) => {
            let s = str_lit(s);
            quote!(Some(Literal::String(#s)))
        }
        Some(Literal::Bool(b)) => quote!(Some(Literal::Bool(#b))),
        Some(Literal::StringArray(items)) => {
            let items = items.iter().map(|s| str_lit(s));
            quote!(Some(Literal::StringArray(B(&[#(#items),*]))))
        }
    };
    quote!(Param { name: #name, ty: #ty, built_in: #built_in, required: #required, default: #default })
}

fn rule(r: &Rule) -> TokenStream {
    let conds = r.conditions.iter().map(condition);
    let kind = match &r.kind {
        RuleKind::Tree(sub) => {
            let sub = sub.iter().map(rule);
            quote!(RuleKind::Tree(B(&[#(#sub),*])))
        }
        RuleKind::Error(e) => {
            let e = expr(e);
            quote!(RuleKind::Error(#e))
        }
        RuleKind::Endpoint(e) => {
            let url = expr(&e.url);
            let props = e.properties.iter().map(|(k, v)| {
                let (k, v) = (str_lit(k), expr(v));
                quote!((#k, #v))
            });
            let headers = e.headers.iter().map(|(k, vs)| {
                let k = str_lit(k);
                let vs = vs.iter().map(expr);
                quote!((#k, B(&[#(#vs),*])))
            });
            quote!(RuleKind::Endpoint(EndpointSpec { url: #url, properties: B(&[#(#props),*]), headers: B(&[#(#headers),*]) }))
        }
    };
    quote!(Rule { conditions: B(&[#(#conds),*]), kind: #kind })
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
    quote!(Condition { func: #f, args: B(&[#(#args),*]), assign: #assign })
}

fn path(p: &[PathSeg]) -> TokenStream {
    let segs = p.iter().map(|s| match s {
        PathSeg::Key(k) => {
            let k = str_lit(k);
            quote!(PathSeg::Key(#k))
        }
        PathSeg::Index(i) => {
            let i = Lit::usize_unsuffixed(*i);
            quote!(PathSeg::Index(#i))
        }
    });
    quote!(B(&[#(#segs),*]))
}

fn expr(e: &Expr) -> TokenStream {
    match e {
        Expr::Template(parts) => {
            let parts = parts.iter().map(|p| match p {
                Part::Text(t) => {
                    let t = str_lit(t);
                    quote!(Part::Text(#t))
                }
                Part::Slot(s) => {
                    let s = Lit::u16_unsuffixed(*s);
                    quote!(Part::Slot(#s))
                }
                Part::Attr(s, p) => {
                    let (s, p) = (Lit::u16_unsuffixed(*s), path(p));
                    quote!(Part::Attr(#s, #p))
                }
            });
            quote!(Expr::Template(B(&[#(#parts),*])))
        }
        Expr::Bool(b) => quote!(Expr::Bool(#b)),
        Expr::Int(i) => {
            let i = Lit::i64_unsuffixed(*i);
            quote!(Expr::Int(#i))
        }
        Expr::Array(items) => {
            let items = items.iter().map(expr);
            quote!(Expr::Array(B(&[#(#items),*])))
        }
        Expr::Record(fields) => {
            let fields = fields.iter().map(|(k, v)| {
                let (k, v) = (str_lit(k), expr(v));
                quote!((#k, #v))
            });
            quote!(Expr::Record(B(&[#(#fields),*])))
        }
        Expr::Slot(s) => {
            let s = Lit::u16_unsuffixed(*s);
            quote!(Expr::Slot(#s))
        }
        Expr::Call(c) => {
            let c = condition(&c[0]);
            quote!(Expr::Call(B(&[#c])))
        }
        Expr::Attr(target, p) => {
            let (t, p) = (expr(&target[0]), path(p));
            quote!(Expr::Attr(B(&[#t]), #p))
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
        let matcher = crate::patterns::engine(&regex)
            .and_then(|engine| crate::dfa::build(&engine))
            .ok_or_else(|| one(format!("partition `{id}`: `regionRegex` `{regex}` cannot be compiled")))?
            .tokens(&quote!(crate::dfa));
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
                region_matcher: #matcher,
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
