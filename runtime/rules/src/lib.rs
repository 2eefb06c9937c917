//! The Smithy endpoint rules language (`smithy.rules#endpointRuleSet`): a rule set as plain
//! data, and [`resolve`], which evaluates it for a set of parameters.
//!
//! The generator lowers each model's rule set into these types once, at generation time, and
//! writes them into the generated crate as `static` data (`Cow::Borrowed` everywhere), so
//! nothing is parsed at run time and no code is emitted per rule. The same evaluator serves every
//! service, and it is tested once against the `endpointTests` of every shared model. Tests and
//! tools build the same types owned (`Cow::Owned`).
//!
//! Variables are slots, not names: parameters take the first slots, then each name a condition
//! assigns; lowering resolves every reference to its slot.

pub mod dfa;
mod functions;
pub mod partitions;

use std::borrow::Cow;
use std::fmt;

/// Text in a rule set.
pub type Str = Cow<'static, str>;
/// A list in a rule set.
pub type List<T> = Cow<'static, [T]>;

/// A whole rule set.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSet {
    /// The parameters, in slot order (slot `i` is parameter `i`).
    pub params: List<Param>,
    /// How many slots evaluation needs: parameters, then assigned names.
    pub slots: u16,
    pub rules: List<Rule>,
}

/// A parameter of the rule set.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub name: Str,
    pub ty: ParamType,
    /// The SDK setting that provides it (`AWS::Region`, `SDK::Endpoint`, ...).
    pub built_in: Option<Str>,
    pub required: bool,
    pub default: Option<Literal>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamType {
    String,
    Boolean,
    StringArray,
}

/// A parameter's default value.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    String(Str),
    Bool(bool),
    StringArray(List<Str>),
}

impl Literal {
    fn value(&self) -> Value {
        match self {
            Literal::String(s) => Value::String(s.to_string()),
            Literal::Bool(b) => Value::Bool(*b),
            Literal::StringArray(a) => Value::Array(a.iter().map(|s| Value::String(s.to_string())).collect()),
        }
    }
}

/// A rule: conditions, and what holds when all of them do.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub conditions: List<Condition>,
    pub kind: RuleKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum RuleKind {
    Endpoint(EndpointSpec),
    /// An error; the expression is the message.
    Error(Expr),
    /// Nested rules. A tree whose conditions hold is final: if none of its rules match,
    /// resolution fails.
    Tree(List<Rule>),
}

/// What an endpoint rule gives.
#[derive(Debug, Clone, PartialEq)]
pub struct EndpointSpec {
    pub url: Expr,
    pub properties: List<(Str, Expr)>,
    pub headers: List<(Str, List<Expr>)>,
}

/// A condition: a function call that holds when it returns `true` or any value but "unset";
/// `assign` stores its value in a slot.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub func: Func,
    pub args: List<Expr>,
    pub assign: Option<u16>,
}

/// The functions of the standard library and the AWS library.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Func {
    IsSet,
    Not,
    BooleanEquals,
    StringEquals,
    /// `getAttr` as a condition: its one argument is the [`Expr::Attr`] its two arguments are
    /// lowered into (inside expressions, `getAttr` is an `Expr::Attr` directly).
    GetAttr,
    Substring,
    IsValidHostLabel,
    ParseUrl,
    UriEncode,
    Partition,
    ParseArn,
    IsVirtualHostableS3Bucket,
}

impl Func {
    /// The function of a rule-set name (`aws.partition`).
    pub fn from_name(name: &str) -> Option<Func> {
        Some(match name {
            "isSet" => Func::IsSet,
            "not" => Func::Not,
            "booleanEquals" => Func::BooleanEquals,
            "stringEquals" => Func::StringEquals,
            "getAttr" => Func::GetAttr,
            "substring" => Func::Substring,
            "isValidHostLabel" => Func::IsValidHostLabel,
            "parseURL" => Func::ParseUrl,
            "uriEncode" => Func::UriEncode,
            "aws.partition" => Func::Partition,
            "aws.parseArn" => Func::ParseArn,
            "aws.isVirtualHostableS3Bucket" => Func::IsVirtualHostableS3Bucket,
            _ => return None,
        })
    }
}

/// One step of a `getAttr` path: `a.b[2]` is `Key(a), Key(b), Index(2)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSeg {
    Key(Str),
    Index(usize),
}

/// A piece of a template string.
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    Text(Str),
    /// `{Name}`: a slot's string value.
    Slot(u16),
    /// `{Name#path}`: an attribute of a slot's value.
    Attr(u16, List<PathSeg>),
}

/// An expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A string, with `{...}` placeholders already split out.
    Template(List<Part>),
    Bool(bool),
    Int(i64),
    Array(List<Expr>),
    Record(List<(Str, Expr)>),
    Slot(u16),
    /// A function call (one element in `call`, which is a list only so that the type stays
    /// `static`-constructible).
    Call(List<Condition>),
    /// `getAttr(target, path)`; `target` holds one expression.
    Attr(List<Expr>, List<PathSeg>),
}

/// A value during evaluation, and in a resolved endpoint's properties.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    String(String),
    Bool(bool),
    Int(i64),
    Array(Vec<Value>),
    Record(Vec<(Str, Value)>),
}

impl Value {
    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The attribute at `path`, if there is one.
    pub fn attr(&self, path: &[PathSeg]) -> Option<&Value> {
        let mut v = self;
        for seg in path {
            v = match (seg, v) {
                (PathSeg::Key(k), Value::Record(fields)) => &fields.iter().find(|(n, _)| n == k)?.1,
                (PathSeg::Index(i), Value::Array(items)) => items.get(*i)?,
                _ => return None,
            };
        }
        Some(v)
    }

    /// A record field by name.
    pub fn field(&self, name: &str) -> Option<&Value> {
        match self {
            Value::Record(fields) => fields.iter().find(|(n, _)| n == name).map(|(_, v)| v),
            _ => None,
        }
    }
}

/// A resolved endpoint.
#[derive(Debug, Clone, PartialEq)]
pub struct Endpoint {
    pub url: String,
    /// Headers to add to the request, each with its values in order.
    pub headers: Vec<(String, Vec<String>)>,
    /// Properties such as `authSchemes` (signing name and region overrides).
    pub properties: Vec<(Str, Value)>,
}

impl Endpoint {
    /// A property by name.
    pub fn property(&self, name: &str) -> Option<&Value> {
        self.properties.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }
}

/// Why no endpoint could be resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResolveError {
    /// An error rule matched; this is its message.
    Rule(String),
    /// A required parameter has no value and no default.
    MissingParam(String),
    /// A parameter was given a value of the wrong type.
    ParamType { name: String, expected: ParamType },
    /// No parameter has this name.
    UnknownParam(String),
    /// No rule matched (the rule set is incomplete).
    NoMatch,
    /// An expression gave a value of the wrong type (the rule set is malformed).
    Type(&'static str),
}

impl fmt::Display for ResolveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResolveError::Rule(m) => f.write_str(m),
            ResolveError::MissingParam(p) => write!(f, "endpoint parameter `{p}` is required but not set"),
            ResolveError::ParamType { name, expected } => {
                write!(f, "endpoint parameter `{name}` must be a {expected:?}")
            }
            ResolveError::UnknownParam(p) => write!(f, "the endpoint rules have no parameter `{p}`"),
            ResolveError::NoMatch => f.write_str("no endpoint rule matched the parameters"),
            ResolveError::Type(what) => write!(f, "malformed endpoint rules: {what}"),
        }
    }
}

impl std::error::Error for ResolveError {}

/// Parameter values for one resolution, in slot order. Unset parameters take their defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct Params<'r> {
    rules: &'r RuleSet,
    values: Vec<Option<Value>>,
}

impl<'r> Params<'r> {
    /// No parameter set.
    pub fn new(rules: &'r RuleSet) -> Self {
        Self { rules, values: vec![None; rules.params.len()] }
    }

    /// Sets the parameter `name`; an unknown name or a wrong type is an error.
    pub fn set(&mut self, name: &str, value: Value) -> Result<&mut Self, ResolveError> {
        let i = self
            .rules
            .params
            .iter()
            .position(|p| p.name == name)
            .ok_or_else(|| ResolveError::UnknownParam(name.to_string()))?;
        self.set_slot(i, value)?;
        Ok(self)
    }

    /// Sets every parameter that the SDK setting `built_in` provides (there may be none).
    pub fn set_built_in(&mut self, built_in: &str, value: Value) -> Result<&mut Self, ResolveError> {
        for i in 0..self.rules.params.len() {
            if self.rules.params[i].built_in.as_deref() == Some(built_in) {
                self.set_slot(i, value.clone())?;
            }
        }
        Ok(self)
    }

    /// Whether the rule set has a parameter that the SDK setting `built_in` provides.
    pub fn has_built_in(&self, built_in: &str) -> bool {
        self.rules.params.iter().any(|p| p.built_in.as_deref() == Some(built_in))
    }

    fn set_slot(&mut self, i: usize, value: Value) -> Result<(), ResolveError> {
        let p = &self.rules.params[i];
        let ok = matches!(
            (p.ty, &value),
            (ParamType::String, Value::String(_))
                | (ParamType::Boolean, Value::Bool(_))
                | (ParamType::StringArray, Value::Array(_))
        );
        if !ok {
            return Err(ResolveError::ParamType { name: p.name.to_string(), expected: p.ty });
        }
        self.values[i] = Some(value);
        Ok(())
    }

    /// The values in slot order: a key for caching resolutions.
    pub fn values(&self) -> &[Option<Value>] {
        &self.values
    }
}

/// Resolves the endpoint for `params`, with the partitions this crate was built with.
pub fn resolve(params: &Params<'_>) -> Result<Endpoint, ResolveError> {
    resolve_in(params, partitions::PARTITIONS)
}

/// Resolves the endpoint for `params` with another partition table (newer partition data than
/// this crate's, or a test's).
pub fn resolve_in(params: &Params<'_>, table: &[partitions::Partition]) -> Result<Endpoint, ResolveError> {
    let rules = params.rules;
    let mut slots: Vec<Option<Value>> = Vec::with_capacity(usize::from(rules.slots));
    for (p, v) in rules.params.iter().zip(&params.values) {
        let v = v.clone().or_else(|| p.default.as_ref().map(Literal::value));
        if v.is_none() && p.required {
            return Err(ResolveError::MissingParam(p.name.to_string()));
        }
        slots.push(v);
    }
    slots.resize(usize::from(rules.slots).max(slots.len()), None);
    let cx = Cx { table };
    match eval_rules(&cx, &rules.rules, &mut slots)? {
        Some(done) => done,
        None => Err(ResolveError::NoMatch),
    }
}

type Slots = Vec<Option<Value>>;

/// What evaluation needs besides the slots.
struct Cx<'t> {
    table: &'t [partitions::Partition],
}

/// The outcome of the first rule whose conditions hold, or `None` when none does.
fn eval_rules(
    cx: &Cx<'_>,
    rules: &[Rule],
    slots: &mut Slots,
) -> Result<Option<Result<Endpoint, ResolveError>>, ResolveError> {
    for rule in rules {
        // A name is only used by the rule that assigns it and the rules nested in it, so what a
        // failed rule assigned needs no undoing: every later use assigns it afresh.
        let mut holds = true;
        for c in rule.conditions.iter() {
            let v = call(cx, c, slots)?;
            let ok = match &v {
                None | Some(Value::Bool(false)) => false,
                Some(_) => true,
            };
            if !ok {
                holds = false;
                break;
            }
            if let Some(s) = c.assign {
                slots[usize::from(s)] = v;
            }
        }
        if !holds {
            continue;
        }
        return Ok(Some(match &rule.kind {
            RuleKind::Endpoint(e) => Ok(endpoint(cx, e, slots)?),
            RuleKind::Error(msg) => Err(ResolveError::Rule(string(cx, msg, slots)?)),
            RuleKind::Tree(sub) => match eval_rules(cx, sub, slots)? {
                Some(done) => done,
                None => Err(ResolveError::NoMatch),
            },
        }));
    }
    Ok(None)
}

fn endpoint(cx: &Cx<'_>, e: &EndpointSpec, slots: &Slots) -> Result<Endpoint, ResolveError> {
    let url = string(cx, &e.url, slots)?;
    let mut headers = Vec::with_capacity(e.headers.len());
    for (name, values) in e.headers.iter() {
        let values = values.iter().map(|v| string(cx, v, slots)).collect::<Result<Vec<_>, _>>()?;
        headers.push((name.to_string(), values));
    }
    let mut properties = Vec::with_capacity(e.properties.len());
    for (name, v) in e.properties.iter() {
        let v = eval(cx, v, slots)?.ok_or(ResolveError::Type("an endpoint property is unset"))?;
        properties.push((name.clone(), v));
    }
    Ok(Endpoint { url, headers, properties })
}

fn string(cx: &Cx<'_>, e: &Expr, slots: &Slots) -> Result<String, ResolveError> {
    match eval(cx, e, slots)? {
        Some(Value::String(s)) => Ok(s),
        _ => Err(ResolveError::Type("expected a string")),
    }
}

fn eval(cx: &Cx<'_>, e: &Expr, slots: &Slots) -> Result<Option<Value>, ResolveError> {
    Ok(Some(match e {
        Expr::Template(parts) => Value::String(template(parts, slots)?),
        Expr::Bool(b) => Value::Bool(*b),
        Expr::Int(i) => Value::Int(*i),
        Expr::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for i in items.iter() {
                out.push(eval(cx, i, slots)?.ok_or(ResolveError::Type("an array item is unset"))?);
            }
            Value::Array(out)
        }
        Expr::Record(fields) => {
            let mut out = Vec::with_capacity(fields.len());
            for (k, v) in fields.iter() {
                out.push((k.clone(), eval(cx, v, slots)?.ok_or(ResolveError::Type("a record field is unset"))?));
            }
            Value::Record(out)
        }
        Expr::Slot(s) => return Ok(slots[usize::from(*s)].clone()),
        Expr::Call(c) => return call(cx, &c[0], slots),
        Expr::Attr(target, path) => return Ok(eval(cx, &target[0], slots)?.and_then(|v| v.attr(path).cloned())),
    }))
}

fn template(parts: &[Part], slots: &Slots) -> Result<String, ResolveError> {
    let mut out = String::new();
    for p in parts {
        let v = match p {
            Part::Text(t) => {
                out.push_str(t);
                continue;
            }
            Part::Slot(s) => slots[usize::from(*s)].as_ref(),
            Part::Attr(s, path) => slots[usize::from(*s)].as_ref().and_then(|v| v.attr(path)),
        };
        match v {
            Some(Value::String(s)) => out.push_str(s),
            _ => return Err(ResolveError::Type("a template placeholder is not a set string")),
        }
    }
    Ok(out)
}

fn call(cx: &Cx<'_>, c: &Condition, slots: &Slots) -> Result<Option<Value>, ResolveError> {
    let arg = |i: usize| -> Result<Option<Value>, ResolveError> {
        match c.args.get(i) {
            Some(e) => eval(cx, e, slots),
            None => Err(ResolveError::Type("a function is missing an argument")),
        }
    };
    let string_arg = |i: usize| -> Result<Option<String>, ResolveError> {
        match arg(i)? {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(ResolveError::Type("a function argument is not a string")),
        }
    };
    let bool_arg = |i: usize| -> Result<Option<bool>, ResolveError> {
        match arg(i)? {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(b)),
            Some(_) => Err(ResolveError::Type("a function argument is not a boolean")),
        }
    };
    let int_arg = |i: usize| -> Result<i64, ResolveError> {
        match arg(i)? {
            Some(Value::Int(n)) => Ok(n),
            _ => Err(ResolveError::Type("a function argument is not an integer")),
        }
    };
    let b = |v: bool| Ok(Some(Value::Bool(v)));
    match c.func {
        Func::IsSet => b(arg(0)?.is_some()),
        Func::Not => match bool_arg(0)? {
            Some(v) => b(!v),
            None => Err(ResolveError::Type("`not` of an unset value")),
        },
        Func::BooleanEquals => b(bool_arg(0)?.is_some() && bool_arg(0)? == bool_arg(1)?),
        Func::StringEquals => {
            let (x, y) = (string_arg(0)?, string_arg(1)?);
            b(x.is_some() && x == y)
        }
        // A condition that is a `getAttr` call: the path is in the second argument, lowered
        // into an `Attr` expression over the target.
        Func::GetAttr => arg(0),
        Func::Substring => {
            let Some(s) = string_arg(0)? else { return Ok(None) };
            let (start, stop) = (int_arg(1)?, int_arg(2)?);
            let reverse = bool_arg(3)?.unwrap_or(false);
            Ok(functions::substring(&s, start, stop, reverse).map(Value::String))
        }
        Func::IsValidHostLabel => {
            let Some(s) = string_arg(0)? else { return b(false) };
            b(functions::is_valid_host_label(&s, bool_arg(1)?.unwrap_or(false)))
        }
        Func::ParseUrl => Ok(string_arg(0)?.and_then(|s| functions::parse_url(&s))),
        Func::UriEncode => Ok(string_arg(0)?.map(|s| Value::String(functions::uri_encode(&s)))),
        Func::Partition => Ok(string_arg(0)?.and_then(|r| partitions::partition(cx.table, &r))),
        Func::ParseArn => Ok(string_arg(0)?.and_then(|s| functions::parse_arn(&s))),
        Func::IsVirtualHostableS3Bucket => {
            let Some(s) = string_arg(0)? else { return b(false) };
            b(functions::is_virtual_hostable_s3_bucket(&s, bool_arg(1)?.unwrap_or(false)))
        }
    }
}
