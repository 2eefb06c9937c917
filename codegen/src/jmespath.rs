//! JMESPath, as Smithy waiters and `@operationContextParams` use it: parsed here, then compiled
//! into Rust over the typed structures of the generated crate, so that a path that names no
//! member is a generator error and nothing interprets JMESPath at run time.
//!
//! The parser follows the JMESPath grammar's binding powers (sub-expressions, projections,
//! flatten, filters, comparisons, `!`, `&&`, `||`, pipes, multi-select lists, literals and
//! function calls). The compiler gives every expression a static type; a projection is a `Vec`
//! of the values it keeps (nulls dropped, as JMESPath drops them), anything else an `Option`.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use crate::ir::{Crate, NamedKind, StructDef, Ty, TypeDef};

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// `@`, or the implicit right side of a projection.
    Current,
    Field(String),
    /// `left.right`: `right` evaluated on what `left` gives.
    Sub(Box<Expr>, Box<Expr>),
    Index(Box<Expr>, i64),
    /// `left[]`.
    Flatten(Box<Expr>),
    /// `right` evaluated on each element of the list `left` gives (`left[*]`, `left[]`).
    ListProjection(Box<Expr>, Box<Expr>),
    /// `right` on each value of the object `left` gives (`left.*`).
    ValueProjection(Box<Expr>, Box<Expr>),
    /// `right` on each element of `left` for which `cond` holds (`left[?cond]`).
    Filter {
        list: Box<Expr>,
        cond: Box<Expr>,
        then: Box<Expr>,
    },
    Literal(Value),
    Not(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Compare(Cmp, Box<Expr>, Box<Expr>),
    Call(String, Vec<Expr>),
    MultiList(Vec<Expr>),
    Pipe(Box<Expr>, Box<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Quoted(String),
    Raw(String),
    Literal(Value),
    Number(i64),
    Dot,
    Star,
    At,
    Comma,
    Colon,
    LParen,
    RParen,
    LBracket,
    RBracket,
    Flatten,
    FilterStart,
    LBrace,
    Pipe,
    Or,
    And,
    Not,
    Cmp(Cmp),
    End,
}

fn lex(src: &str) -> Result<Vec<Tok>, String> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i] as char;
        let two = src.get(i..i + 2).unwrap_or("");
        let tok = match c {
            ' ' | '\t' | '\n' | '\r' => {
                i += 1;
                continue;
            }
            'a'..='z' | 'A'..='Z' | '_' => {
                let start = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                    i += 1;
                }
                out.push(Tok::Ident(src[start..i].to_string()));
                continue;
            }
            '0'..='9' | '-' => {
                let start = i;
                i += 1;
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
                let n = src[start..i].parse().map_err(|_| format!("bad number at {start}"))?;
                out.push(Tok::Number(n));
                continue;
            }
            '"' | '\'' | '`' => {
                let start = i;
                i += 1;
                let mut text = String::new();
                while i < b.len() && b[i] as char != c {
                    if b[i] == b'\\' && i + 1 < b.len() {
                        text.push('\\');
                        i += 1;
                    }
                    let ch = src[i..].chars().next().expect("in bounds");
                    text.push(ch);
                    i += ch.len_utf8();
                }
                if i >= b.len() {
                    return Err(format!("unterminated {c} at {start}"));
                }
                i += 1;
                out.push(match c {
                    '"' => Tok::Quoted(
                        serde_json::from_str(&format!("\"{text}\"")).map_err(|e| format!("at {start}: {e}"))?,
                    ),
                    '\'' => Tok::Raw(text.replace("\\'", "'")),
                    _ => Tok::Literal(
                        serde_json::from_str(&text.replace("\\`", "`"))
                            .map_err(|e| format!("literal at {start}: {e}"))?,
                    ),
                });
                continue;
            }
            _ if two == "[]" => Tok::Flatten,
            _ if two == "[?" => Tok::FilterStart,
            _ if two == "||" => Tok::Or,
            _ if two == "&&" => Tok::And,
            _ if two == "==" => Tok::Cmp(Cmp::Eq),
            _ if two == "!=" => Tok::Cmp(Cmp::Ne),
            _ if two == "<=" => Tok::Cmp(Cmp::Le),
            _ if two == ">=" => Tok::Cmp(Cmp::Ge),
            '<' => Tok::Cmp(Cmp::Lt),
            '>' => Tok::Cmp(Cmp::Gt),
            '.' => Tok::Dot,
            '*' => Tok::Star,
            '@' => Tok::At,
            ',' => Tok::Comma,
            ':' => Tok::Colon,
            '(' => Tok::LParen,
            ')' => Tok::RParen,
            '[' => Tok::LBracket,
            ']' => Tok::RBracket,
            '{' | '}' => Tok::LBrace,
            '|' => Tok::Pipe,
            '!' => Tok::Not,
            _ => return Err(format!("unexpected `{c}` at {i}")),
        };
        i += match tok {
            Tok::Flatten | Tok::FilterStart | Tok::Or | Tok::And => 2,
            Tok::Cmp(Cmp::Eq | Cmp::Ne | Cmp::Le | Cmp::Ge) => 2,
            _ => 1,
        };
        out.push(tok);
    }
    out.push(Tok::End);
    Ok(out)
}

/// Parses a JMESPath expression.
pub fn parse(src: &str) -> Result<Expr, String> {
    let mut p = Parser { toks: lex(src)?, pos: 0 };
    let e = p.expr(0)?;
    match p.peek() {
        Tok::End => Ok(e),
        t => Err(format!("unexpected {t:?} after the expression")),
    }
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

/// Binding powers, from the JMESPath grammar.
fn bp(t: &Tok) -> u8 {
    match t {
        Tok::Pipe => 1,
        Tok::Or => 2,
        Tok::And => 3,
        Tok::Cmp(_) => 5,
        Tok::Flatten => 9,
        Tok::Star => 20,
        Tok::FilterStart => 21,
        Tok::Dot => 40,
        Tok::Not => 45,
        Tok::LBrace => 50,
        Tok::LBracket => 55,
        Tok::LParen => 60,
        _ => 0,
    }
}

impl Parser {
    fn peek(&self) -> &Tok {
        &self.toks[self.pos]
    }

    fn next(&mut self) -> Tok {
        let t = self.toks[self.pos].clone();
        if self.pos + 1 < self.toks.len() {
            self.pos += 1;
        }
        t
    }

    fn expect(&mut self, t: Tok) -> Result<(), String> {
        match self.next() {
            got if got == t => Ok(()),
            got => Err(format!("expected {t:?}, found {got:?}")),
        }
    }

    fn expr(&mut self, rbp: u8) -> Result<Expr, String> {
        let mut left = self.nud()?;
        while rbp < bp(self.peek()) {
            left = self.led(left)?;
        }
        Ok(left)
    }

    fn nud(&mut self) -> Result<Expr, String> {
        Ok(match self.next() {
            Tok::Ident(s) | Tok::Quoted(s) => Expr::Field(s),
            Tok::Raw(s) => Expr::Literal(Value::String(s)),
            Tok::Literal(v) => Expr::Literal(v),
            Tok::At => Expr::Current,
            Tok::Not => Expr::Not(Box::new(self.expr(bp(&Tok::Not))?)),
            Tok::LParen => {
                let e = self.expr(0)?;
                self.expect(Tok::RParen)?;
                e
            }
            Tok::Star => Expr::ValueProjection(Box::new(Expr::Current), Box::new(self.projection_rhs(20)?)),
            Tok::Flatten => Expr::ListProjection(
                Box::new(Expr::Flatten(Box::new(Expr::Current))),
                Box::new(self.projection_rhs(9)?),
            ),
            Tok::FilterStart => self.filter(Expr::Current)?,
            Tok::LBracket => match self.peek() {
                Tok::Number(_) | Tok::Star => self.bracket(Expr::Current)?,
                _ => self.multi_list()?,
            },
            Tok::LBrace => return Err("multi-select hashes (`{...}`) are not supported".into()),
            Tok::End => return Err("the expression ends too early".into()),
            t => return Err(format!("unexpected {t:?}")),
        })
    }

    fn led(&mut self, left: Expr) -> Result<Expr, String> {
        let t = self.next();
        Ok(match t {
            Tok::Dot => {
                if *self.peek() == Tok::Star {
                    self.next();
                    Expr::ValueProjection(Box::new(left), Box::new(self.projection_rhs(20)?))
                } else {
                    Expr::Sub(Box::new(left), Box::new(self.dot_rhs(40)?))
                }
            }
            Tok::Flatten => {
                Expr::ListProjection(Box::new(Expr::Flatten(Box::new(left))), Box::new(self.projection_rhs(9)?))
            }
            Tok::FilterStart => self.filter(left)?,
            Tok::LBracket => self.bracket(left)?,
            Tok::Pipe => Expr::Pipe(Box::new(left), Box::new(self.expr(1)?)),
            Tok::Or => Expr::Or(Box::new(left), Box::new(self.expr(2)?)),
            Tok::And => Expr::And(Box::new(left), Box::new(self.expr(3)?)),
            Tok::Cmp(c) => Expr::Compare(c, Box::new(left), Box::new(self.expr(5)?)),
            Tok::LParen => {
                let Expr::Field(name) = left else { return Err("only a name can be called".into()) };
                let mut args = Vec::new();
                while *self.peek() != Tok::RParen {
                    args.push(self.expr(0)?);
                    if *self.peek() == Tok::Comma {
                        self.next();
                    }
                }
                self.expect(Tok::RParen)?;
                Expr::Call(name, args)
            }
            t => return Err(format!("unexpected {t:?}")),
        })
    }

    /// After `[` on `left`: an index or `[*]`.
    fn bracket(&mut self, left: Expr) -> Result<Expr, String> {
        match self.next() {
            Tok::Number(n) => match self.next() {
                Tok::RBracket => Ok(Expr::Index(Box::new(left), n)),
                Tok::Colon => Err("slices are not supported".into()),
                t => Err(format!("expected `]`, found {t:?}")),
            },
            Tok::Star => {
                self.expect(Tok::RBracket)?;
                Ok(Expr::ListProjection(Box::new(left), Box::new(self.projection_rhs(20)?)))
            }
            Tok::Colon => Err("slices are not supported".into()),
            t => Err(format!("unexpected {t:?} after `[`")),
        }
    }

    fn filter(&mut self, list: Expr) -> Result<Expr, String> {
        let cond = self.expr(0)?;
        self.expect(Tok::RBracket)?;
        let then = self.projection_rhs(21)?;
        Ok(Expr::Filter { list: Box::new(list), cond: Box::new(cond), then: Box::new(then) })
    }

    fn multi_list(&mut self) -> Result<Expr, String> {
        let mut items = vec![self.expr(0)?];
        while *self.peek() == Tok::Comma {
            self.next();
            items.push(self.expr(0)?);
        }
        self.expect(Tok::RBracket)?;
        Ok(Expr::MultiList(items))
    }

    fn projection_rhs(&mut self, rbp: u8) -> Result<Expr, String> {
        match self.peek() {
            t if bp(t) < 10 => Ok(Expr::Current),
            Tok::LBracket | Tok::FilterStart => self.expr(rbp),
            Tok::Dot => {
                self.next();
                self.dot_rhs(rbp)
            }
            t => Err(format!("unexpected {t:?} after a projection")),
        }
    }

    fn dot_rhs(&mut self, rbp: u8) -> Result<Expr, String> {
        match self.peek() {
            Tok::Ident(_) | Tok::Quoted(_) | Tok::Star => self.expr(rbp),
            Tok::LBracket => {
                self.next();
                self.multi_list()
            }
            Tok::LBrace => Err("multi-select hashes (`{...}`) are not supported".into()),
            t => Err(format!("unexpected {t:?} after `.`")),
        }
    }
}

/// The static type of a value, as the compiled code holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum JType {
    /// `&str` (strings and string enums).
    Str,
    /// `f64` (every number).
    Num,
    Bool,
    /// `&Struct`, by shape id.
    Struct(String),
    /// `&Vec<T>` of a list member, with its item type.
    List(Ty, bool),
    /// `&BTreeMap<String, V>` of a map member, with its value type.
    Map(Ty, bool),
    /// `Vec<R>`: a list computed by the expression.
    Owned(Box<JType>),
    /// The `{input, output}` object of an `inputOutput` matcher.
    InputOutput {
        input: String,
        output: String,
    },
    /// A `null` literal.
    Null,
}

/// A compiled expression: `code` is an `Option<R>` (or `R` itself when `certain`), or for a
/// projection a `Vec<R>`, where `R` is the Rust type of `ty`.
#[derive(Debug, Clone)]
pub struct Val {
    pub code: TokenStream,
    pub ty: JType,
    pub many: bool,
    pub certain: bool,
    /// For a certain value: `code` is a place of the value (a required member), not a
    /// reference; `Some(true)` when the place holds a `Box`.
    pub place: Option<bool>,
}

impl Val {
    /// A value known to be there (a root or a projection's element), held in `var`.
    pub fn certain(var: TokenStream, ty: JType) -> Self {
        Val { code: var, ty, many: false, certain: true, place: None }
    }

    /// As an `Option<R>`.
    fn opt(&self) -> TokenStream {
        let c = &self.code;
        match (self.certain, self.place) {
            (true, None) => quote!(Some(#c)),
            (true, Some(false)) => quote!(Some(&#c)),
            (true, Some(true)) => quote!(Some(&*#c)),
            (false, _) => c.clone(),
        }
    }

    /// The value as a list of `R` values to iterate: a projection, a list member or a computed
    /// list; `None` for other types.
    pub fn iter(&self, ctx: &Ctx<'_>) -> Result<(TokenStream, JType), String> {
        if self.many {
            return Ok((self.code.clone(), self.ty.clone()));
        }
        let c = self.opt();
        let direct = self.certain && self.place.is_none();
        let code = &self.code;
        match &self.ty {
            JType::List(item, sparse) => {
                let (conv, ty) = ctx.conv(quote!(x), item, false)?;
                let flat = if *sparse { quote!(.flatten()) } else { quote!() };
                let map = map_unless_identity(&conv);
                if direct {
                    return Ok((quote!(#code.iter()#flat #map), ty));
                }
                Ok((quote!(#c.into_iter().flat_map(|l| l.iter()#flat)#map), ty))
            }
            JType::Owned(inner) if direct => Ok((quote!(#code.into_iter()), (**inner).clone())),
            JType::Owned(inner) => Ok((quote!(#c.into_iter().flatten()), (**inner).clone())),
            t => Err(format!("needs a list, and this is {}", describe(t))),
        }
    }
}

fn describe(t: &JType) -> String {
    match t {
        JType::Str => "a string".into(),
        JType::Num => "a number".into(),
        JType::Bool => "a boolean".into(),
        JType::Struct(id) => format!("the structure {id}"),
        JType::List(..) | JType::Owned(_) => "a list".into(),
        JType::Map(..) => "a map".into(),
        JType::InputOutput { .. } => "the input and output".into(),
        JType::Null => "null".into(),
    }
}

/// What compiling needs: the crate's types and the structures that are not in it (an
/// operation's input and output).
pub struct Ctx<'a> {
    pub ir: &'a Crate,
    pub roots: Vec<&'a StructDef>,
}

impl Ctx<'_> {
    fn strukt(&self, id: &str) -> Option<&StructDef> {
        self.roots.iter().copied().find(|s| s.shape_id == id).or_else(|| match self.ir.types.get(id).map(|t| &t.def) {
            Some(TypeDef::Struct(s)) => Some(s),
            _ => None,
        })
    }

    /// `x` (a `&T` of IR type `ty`, or `&Box<T>` when `boxed`) as an `R` value.
    fn conv(&self, x: TokenStream, ty: &Ty, boxed: bool) -> Result<(TokenStream, JType), String> {
        Ok(match ty {
            Ty::String => (quote!(#x.as_str()), JType::Str),
            Ty::Bool => (quote!(*#x), JType::Bool),
            Ty::I8 | Ty::I16 | Ty::I32 | Ty::I64 | Ty::F32 | Ty::F64 => (quote!(*#x as f64), JType::Num),
            Ty::Named { kind: NamedKind::Enum, .. } => (quote!(#x.as_str()), JType::Str),
            Ty::Named { id: _, kind: NamedKind::IntEnum } => (quote!(#x.as_i32() as f64), JType::Num),
            Ty::Named { id, kind: NamedKind::Struct } => {
                let v = if boxed { quote!(&**#x) } else { x };
                (v, JType::Struct(id.clone()))
            }
            Ty::List { item, sparse, .. } => (x, JType::List((**item).clone(), *sparse)),
            Ty::Map { key, value, sparse, .. } if **key == Ty::String => (x, JType::Map((**value).clone(), *sparse)),
            Ty::Named { id, kind: NamedKind::Union } => {
                return Err(format!("reaches the union {id}, which has no members to select"))
            }
            other => return Err(format!("reaches a {other:?} value, which paths cannot compare")),
        })
    }

    /// Member `name` of `base`.
    fn field(&self, base: &Val, name: &str) -> Result<Val, String> {
        if let JType::InputOutput { input, output } = &base.ty {
            return match name {
                "input" => Ok(Val::certain(quote!(input), JType::Struct(input.clone()))),
                "output" => Ok(Val::certain(quote!(output), JType::Struct(output.clone()))),
                _ => Err(format!("`{name}`: an inputOutput path starts with `input` or `output`")),
            };
        }
        let JType::Struct(id) = &base.ty else {
            return Err(format!("`{name}`: selects a member of {}", describe(&base.ty)));
        };
        let s = self.strukt(id).ok_or_else(|| format!("`{name}`: {id} is not a structure of this crate"))?;
        let f = s.fields.iter().find(|f| f.member == name).ok_or_else(|| {
            let mut names: Vec<&str> = s.fields.iter().map(|f| f.member.as_str()).collect();
            names.sort_unstable();
            format!("`{name}` is not a member of {id} (its members: {})", names.join(", "))
        })?;
        let field = crate::naming::ident(&f.name);
        let (conv, ty) = self.conv(quote!(x), &f.ty, f.boxed)?;
        let access = |v: TokenStream| -> TokenStream {
            if f.optional() {
                match (&f.ty, f.boxed, &ty) {
                    (Ty::String, _, _) => quote!(#v.#field.as_deref()),
                    (_, false, JType::Struct(_) | JType::List(..) | JType::Map(..)) => quote!(#v.#field.as_ref()),
                    (Ty::Bool, _, _) => quote!(#v.#field),
                    _ => quote!(#v.#field.as_ref().map(|x| #conv)),
                }
            } else {
                // A required member is a place: converted without borrowing it first.
                let place = quote!(#v.#field);
                let conv = match (&ty, &f.ty) {
                    (JType::Str, _) => quote!(#place.as_str()),
                    (JType::Num, Ty::Named { .. }) => quote!(#place.as_i32() as f64),
                    (JType::Num, _) => quote!(#place as f64),
                    (JType::Bool, _) => place,
                    (JType::Struct(_), _) if f.boxed => quote!(&*#place),
                    _ => quote!(&#place),
                };
                quote!(Some(#conv))
            }
        };
        if base.many {
            let code = &base.code;
            let one = access(quote!(v));
            return Ok(Val { code: quote!(#code.filter_map(|v| #one)), ty, many: true, certain: false, place: None });
        }
        // A required structure member of a value that is there is there too: a place.
        if base.certain && !f.optional() && matches!(ty, JType::Struct(_)) {
            let b = &base.code;
            return Ok(Val { code: quote!(#b.#field), ty, many: false, certain: true, place: Some(f.boxed) });
        }
        let code = if base.certain {
            access(base.code.clone())
        } else {
            let b = &base.code;
            let one = access(quote!(v));
            quote!(#b.and_then(|v| #one))
        };
        Ok(Val { code, ty, many: false, certain: false, place: None })
    }

    /// Compiles `e` with `cur` as the current value.
    pub fn compile(&self, e: &Expr, cur: &Val) -> Result<Val, String> {
        match e {
            Expr::Current => Ok(cur.clone()),
            Expr::Field(name) => self.field(cur, name),
            Expr::Sub(l, r) => {
                let l = self.compile(l, cur)?;
                self.compile(r, &l)
            }
            Expr::Pipe(l, r) => {
                let l = self.compile(l, cur)?;
                let l = if l.many {
                    let c = &l.code;
                    Val {
                        code: quote!(#c.collect::<Vec<_>>()),
                        ty: JType::Owned(Box::new(l.ty)),
                        many: false,
                        certain: true,
                        place: None,
                    }
                } else {
                    l
                };
                self.compile(r, &l)
            }
            Expr::Index(l, n) => {
                let l = self.compile(l, cur)?;
                let JType::List(item, sparse) = &l.ty else {
                    return Err(format!("`[{n}]` indexes {}", describe(&l.ty)));
                };
                if l.many {
                    return Err(format!("`[{n}]` inside a projection is not supported"));
                }
                let (conv, ty) = self.conv(quote!(x), item, false)?;
                let at = if *n >= 0 {
                    let n = *n as usize;
                    quote!(l.get(#n))
                } else {
                    let k = n.unsigned_abs() as usize;
                    quote!(l.len().checked_sub(#k).and_then(|i| l.get(i)))
                };
                let at = if *sparse { quote!(#at.and_then(Option::as_ref)) } else { at };
                let b = l.opt();
                Ok(Val {
                    code: quote!(#b.and_then(|l| #at).map(|x| #conv)),
                    ty,
                    many: false,
                    certain: false,
                    place: None,
                })
            }
            Expr::Flatten(l) => {
                let l = self.compile(l, cur)?;
                match (&l.ty, l.many) {
                    (JType::List(..) | JType::Owned(_), _) => {
                        let (it, ty) = if l.many {
                            // A projection of lists: each element is itself a list.
                            let one =
                                Val { code: quote!(l), ty: l.ty.clone(), many: false, certain: true, place: None };
                            let (inner, ty) = one.iter(self)?;
                            let c = &l.code;
                            (quote!(#c.flat_map(|l| #inner)), ty)
                        } else {
                            l.iter(self)?
                        };
                        Ok(Val { code: it, ty, many: true, certain: false, place: None })
                    }
                    (_, true) => Ok(l),
                    (t, false) => Err(format!("`[]` flattens {}", describe(t))),
                }
            }
            Expr::ListProjection(l, r) => {
                let l = self.compile(l, cur)?;
                let (it, elem) = l.iter(self)?;
                self.project(it, elem, r)
            }
            Expr::ValueProjection(l, r) => {
                let l = self.compile(l, cur)?;
                let (JType::Map(value, sparse), false) = (&l.ty, l.many) else {
                    return Err(format!("`*` projects the values of {}; only maps are supported", describe(&l.ty)));
                };
                let (conv, ty) = self.conv(quote!(x), value, false)?;
                let flat = if *sparse { quote!(.flatten()) } else { quote!() };
                let b = l.opt();
                let map = map_unless_identity(&conv);
                self.project(quote!(#b.into_iter().flat_map(|m| m.values()#flat)#map), ty, r)
            }
            Expr::Filter { list, cond, then } => {
                let l = self.compile(list, cur)?;
                let (it, elem) = l.iter(self)?;
                let c = self.compile(cond, &Val::certain(quote!(v), elem.clone()))?;
                let keep = truthy(&c);
                self.project(quote!(#it.filter(|&v| #keep)), elem, then)
            }
            Expr::Literal(v) => Ok(match v {
                Value::String(s) => Val::certain(quote!(#s), JType::Str),
                Value::Bool(b) => Val::certain(quote!(#b), JType::Bool),
                Value::Number(n) => {
                    let n = n.as_f64().ok_or("a number literal out of range")?;
                    Val::certain(quote!(#n), JType::Num)
                }
                Value::Null => {
                    Val { code: quote!(None::<bool>), ty: JType::Null, many: false, certain: false, place: None }
                }
                other => {
                    return Err(format!(
                        "the literal {other} is not supported (only strings, numbers, booleans and null)"
                    ))
                }
            }),
            Expr::Not(x) => {
                let x = self.compile(x, cur)?;
                let t = truthy(&x);
                Ok(Val::certain(quote!(!(#t)), JType::Bool))
            }
            Expr::And(a, b) | Expr::Or(a, b) => {
                let (a, b) = (self.compile(a, cur)?, self.compile(b, cur)?);
                if a.ty != JType::Bool || b.ty != JType::Bool || a.many || b.many {
                    return Err(format!(
                        "`&&` and `||` are supported between booleans, not {} and {}",
                        describe(&a.ty),
                        describe(&b.ty)
                    ));
                }
                let (ta, tb) = (truthy(&a), truthy(&b));
                let code = if matches!(e, Expr::And(..)) { quote!((#ta) && (#tb)) } else { quote!((#ta) || (#tb)) };
                Ok(Val::certain(code, JType::Bool))
            }
            Expr::Compare(op, a, b) => {
                let (a, b) = (self.compile(a, cur)?, self.compile(b, cur)?);
                if a.many || b.many {
                    return Err("comparing a projection (a list) is not supported".into());
                }
                let same = a.ty == b.ty || a.ty == JType::Null || b.ty == JType::Null;
                if !same || !matches!(a.ty, JType::Str | JType::Num | JType::Bool | JType::Null) {
                    return Err(format!("compares {} with {}", describe(&a.ty), describe(&b.ty)));
                }
                if !matches!(op, Cmp::Eq | Cmp::Ne) && a.ty != JType::Num {
                    return Err("`<`, `<=`, `>` and `>=` compare numbers".into());
                }
                let sym = match op {
                    Cmp::Eq => quote!(==),
                    Cmp::Ne => quote!(!=),
                    Cmp::Lt => quote!(<),
                    Cmp::Le => quote!(<=),
                    Cmp::Gt => quote!(>),
                    Cmp::Ge => quote!(>=),
                };
                let direct = |v: &Val| v.certain && v.place.is_none();
                if direct(&a) && direct(&b) {
                    let (x, y) = (&a.code, &b.code);
                    return Ok(Val::certain(quote!(#x #sym #y), JType::Bool));
                }
                let (x, y) = (a.opt(), b.opt());
                if matches!(op, Cmp::Eq | Cmp::Ne) {
                    return Ok(Val::certain(quote!(#x #sym #y), JType::Bool));
                }
                // An ordering with a null is null.
                let code = quote!(#x.zip(#y).map(|(a, b)| a #sym b));
                Ok(Val { code, ty: JType::Bool, many: false, certain: false, place: None })
            }
            Expr::Call(name, args) => self.call(name, args, cur),
            Expr::MultiList(items) => {
                let vals: Vec<Val> = items.iter().map(|i| self.compile(i, cur)).collect::<Result<_, _>>()?;
                let ty = vals[0].ty.clone();
                if vals.iter().any(|v| v.ty != ty || v.many) {
                    return Err("a multi-select list's values must all have one type".into());
                }
                let codes = vals.iter().map(Val::opt);
                let list = quote!([#(#codes),*].into_iter().flatten().collect::<Vec<_>>());
                Ok(Val::certain(list, JType::Owned(Box::new(ty))))
            }
        }
    }

    /// `rhs` on each element of `it`; nulls are dropped.
    fn project(&self, it: TokenStream, elem: JType, rhs: &Expr) -> Result<Val, String> {
        if *rhs == Expr::Current {
            return Ok(Val { code: it, ty: elem, many: true, certain: false, place: None });
        }
        let r = self.compile(rhs, &Val::certain(quote!(v), elem))?;
        let (code, ty) = if r.many {
            let c = &r.code;
            (quote!(#it.map(|v| #c.collect::<Vec<_>>())), JType::Owned(Box::new(r.ty)))
        } else if r.certain && r.place.is_none() {
            let c = &r.code;
            (quote!(#it.map(|v| #c)), r.ty)
        } else {
            let c = r.opt();
            (quote!(#it.filter_map(|v| #c)), r.ty)
        };
        Ok(Val { code, ty, many: true, certain: false, place: None })
    }

    fn call(&self, name: &str, args: &[Expr], cur: &Val) -> Result<Val, String> {
        let args: Vec<Val> = args.iter().map(|a| self.compile(a, cur)).collect::<Result<_, _>>()?;
        let arity = |n: usize| {
            if args.len() == n {
                Ok(())
            } else {
                Err(format!("{name}() takes {n} argument(s), not {}", args.len()))
            }
        };
        match name {
            "length" => {
                arity(1)?;
                let a = &args[0];
                let c = &a.code;
                let code = match (&a.ty, a.many) {
                    (_, true) => {
                        return Ok(Val::certain(quote!(::awsgen_runtime::waiter::length(#c.count())), JType::Num))
                    }
                    (JType::Str, _) if a.certain && a.place.is_none() => {
                        return Ok(Val::certain(
                            quote!(::awsgen_runtime::waiter::length(#c.chars().count())),
                            JType::Num,
                        ))
                    }
                    (JType::List(..) | JType::Map(..) | JType::Owned(_), _) if a.certain && a.place.is_none() => {
                        return Ok(Val::certain(quote!(::awsgen_runtime::waiter::length(#c.len())), JType::Num))
                    }
                    (JType::Str, _) => {
                        let o = a.opt();
                        quote!(#o.map(|s| s.chars().count() as f64))
                    }
                    (JType::List(..) | JType::Map(..) | JType::Owned(_), _) => {
                        let o = a.opt();
                        quote!(#o.map(|l| l.len() as f64))
                    }
                    (t, _) => return Err(format!("length() of {}", describe(t))),
                };
                Ok(Val { code, ty: JType::Num, many: false, certain: false, place: None })
            }
            "contains" => {
                arity(2)?;
                let (subject, search) = (&args[0], &args[1]);
                if search.many {
                    return Err("contains() searches for one value".into());
                }
                let s = search.opt();
                if subject.ty == JType::Str && !subject.many {
                    let o = subject.opt();
                    return Ok(Val::certain(quote!(#o.zip(#s).is_some_and(|(a, b)| a.contains(b))), JType::Bool));
                }
                let (it, elem) = subject.iter(self)?;
                if elem != search.ty {
                    return Err(format!(
                        "contains() looks for {} in a list of {}",
                        describe(&search.ty),
                        describe(&elem)
                    ));
                }
                let test = if search.certain && search.place.is_none() {
                    let s = &search.code;
                    quote!(#it.any(|v| v == #s))
                } else {
                    quote!(#it.any(|v| Some(v) == #s))
                };
                Ok(Val::certain(test, JType::Bool))
            }
            "keys" => {
                arity(1)?;
                let a = &args[0];
                let (JType::Map(..), false) = (&a.ty, a.many) else {
                    return Err(format!("keys() of {}", describe(&a.ty)));
                };
                let o = a.opt();
                Ok(Val {
                    code: quote!(#o.into_iter().flat_map(|m| m.keys().map(String::as_str))),
                    ty: JType::Str,
                    many: true,
                    certain: false,
                    place: None,
                })
            }
            _ => Err(format!("the function {name}() is not supported")),
        }
    }
}

/// `.map(|x| conv)`, or nothing when `conv` is `x` itself.
fn map_unless_identity(conv: &TokenStream) -> TokenStream {
    if conv.to_string() == "x" {
        quote!()
    } else {
        quote!(.map(|x| #conv))
    }
}

/// The JMESPath truth of a value, as a `bool` expression.
pub fn truthy(v: &Val) -> TokenStream {
    let c = &v.code;
    if v.many {
        return quote!(#c.next().is_some());
    }
    if v.certain && v.place.is_none() {
        return match v.ty {
            JType::Bool => c.clone(),
            JType::Str | JType::List(..) | JType::Map(..) | JType::Owned(_) => quote!(!#c.is_empty()),
            JType::Null => quote!(false),
            _ => quote!(true),
        };
    }
    let o = v.opt();
    match v.ty {
        JType::Bool => quote!(#o == Some(true)),
        JType::Str => quote!(#o.is_some_and(|s| !s.is_empty())),
        JType::List(..) | JType::Map(..) | JType::Owned(_) => quote!(#o.is_some_and(|l| !l.is_empty())),
        JType::Null => quote!(false),
        _ => quote!(#o.is_some()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_forms_aws_waiters_use() {
        use Expr::*;
        let f = |s: &str| Box::new(Field(s.into()));
        assert_eq!(parse("Table.TableStatus").unwrap(), Sub(f("Table"), f("TableStatus")));
        assert_eq!(parse("Clusters[].Status").unwrap(), ListProjection(Box::new(Flatten(f("Clusters"))), f("Status")));
        assert_eq!(
            parse("length(DBInstances) == `0`").unwrap(),
            Compare(
                Cmp::Eq,
                Box::new(Call("length".into(), vec![Field("DBInstances".into())])),
                Box::new(Literal(0.into()))
            )
        );
        assert_eq!(
            parse("status != 'CANCELLING' && status != 'CANCELLED'").unwrap(),
            And(
                Box::new(Compare(Cmp::Ne, f("status"), Box::new(Literal("CANCELLING".into())))),
                Box::new(Compare(Cmp::Ne, f("status"), Box::new(Literal("CANCELLED".into()))))
            )
        );
        // `a[].b[]` flattens the projection's lists.
        assert_eq!(
            parse("a[].b[]").unwrap(),
            ListProjection(
                Box::new(Flatten(Box::new(ListProjection(Box::new(Flatten(f("a"))), f("b"))))),
                Box::new(Current)
            )
        );
        for ok in [
            "contains(AutoScalingGroups[].[length(Instances[?LifecycleState=='InService']) >= MinSize][], `false`)",
            "length(services[?!(length(deployments) == `1` && runningCount == desiredCount)]) == `0`",
            "VerificationAttributes.*.VerificationStatus",
            "TransactItems[*].Get.TableName",
            "keys(RequestItems)",
            "a[0].b | c",
        ] {
            parse(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
        }
        for (bad, why) in [
            ("a.", "unexpected End"),
            ("a[", "unexpected End after `[`"),
            ("a.b ||", "ends too early"),
            ("`{`", "literal"),
            ("a[1:2]", "slices"),
            ("{a: b}", "multi-select hashes"),
            ("'open", "unterminated"),
        ] {
            let e = parse(bad).unwrap_err();
            assert!(e.contains(why), "{bad}: {e}");
        }
    }
}
