//! Short `const` constructors for writing rule sets as `static` data, as generated crates do.
//! Each builds a borrowed value; `RuleSet` itself is written as a struct literal.

use std::borrow::Cow::Borrowed;

use crate::*;

pub const fn param(
    name: &'static str,
    ty: ParamType,
    built_in: Option<&'static str>,
    required: bool,
    default: Option<Literal>,
) -> Param {
    let built_in = match built_in {
        Some(b) => Some(Borrowed(b)),
        None => None,
    };
    Param { name: Borrowed(name), ty, built_in, required, default }
}

pub const fn string(s: &'static str) -> Literal {
    Literal::String(Borrowed(s))
}

pub const fn strings(items: &'static [Str]) -> Literal {
    Literal::StringArray(Borrowed(items))
}

pub const fn s(text: &'static str) -> Str {
    Borrowed(text)
}

pub const fn rule(conditions: &'static [Condition], kind: RuleKind) -> Rule {
    Rule { conditions: Borrowed(conditions), kind }
}

pub const fn tree(rules: &'static [Rule]) -> RuleKind {
    RuleKind::Tree(Borrowed(rules))
}

pub const fn error(message: Expr) -> RuleKind {
    RuleKind::Error(message)
}

pub const fn endpoint(
    url: Expr,
    properties: &'static [(Str, Expr)],
    headers: &'static [(Str, List<Expr>)],
) -> RuleKind {
    RuleKind::Endpoint(EndpointSpec { url, properties: Borrowed(properties), headers: Borrowed(headers) })
}

pub const fn cond(func: Func, args: &'static [Expr], assign: Option<u16>) -> Condition {
    Condition { func, args: Borrowed(args), assign }
}

pub const fn list(items: &'static [Expr]) -> List<Expr> {
    Borrowed(items)
}

pub const fn call(c: &'static [Condition]) -> Expr {
    Expr::Call(Borrowed(c))
}

pub const fn attr(target: &'static [Expr], path: &'static [PathSeg]) -> Expr {
    Expr::Attr(Borrowed(target), Borrowed(path))
}

pub const fn key(k: &'static str) -> PathSeg {
    PathSeg::Key(Borrowed(k))
}

pub const fn tpl(parts: &'static [Part]) -> Expr {
    Expr::Template(Borrowed(parts))
}

pub const fn text(t: &'static str) -> Part {
    Part::Text(Borrowed(t))
}

pub const fn part_attr(slot: u16, path: &'static [PathSeg]) -> Part {
    Part::Attr(slot, Borrowed(path))
}

pub const fn array(items: &'static [Expr]) -> Expr {
    Expr::Array(Borrowed(items))
}

pub const fn record(fields: &'static [(Str, Expr)]) -> Expr {
    Expr::Record(Borrowed(fields))
}
