//! Lower stage: the one place where Rust names and types are decided: naming, keywords,
//! collisions, boxing of recursive members, `Option` or not. The result is sorted, so emitters
//! only iterate.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToKebabCase;
use serde_json::Value;

use crate::diag::{Diagnostics, Sink};
use crate::docs::html_to_markdown;
use crate::ir::*;
use crate::model::{shape_name, Closure, Kind, Member, Model, Shape, UNIT};
use crate::naming;

const DOC: &str = "smithy.api#documentation";

/// Settings that are not in the model.
#[derive(Debug, Clone)]
pub struct CrateSettings {
    pub crate_name: String,
}

pub fn lower(model: &Model, closure: &Closure, settings: &CrateSettings) -> Result<Crate, Diagnostics> {
    let mut sink = Sink::default();
    let service_shape = model.shape(&closure.service);
    let Some(service) = lower_service(service_shape, &mut sink) else {
        // Without a supported protocol nothing else can be checked meaningfully.
        return Err(Diagnostics::from_vec(sink_into_vec(sink)));
    };
    let protocol = service.protocol;

    let mut lw = Lowerer {
        model,
        protocol,
        boxed: BTreeSet::new(),
        names: BTreeMap::new(),
        renames: &service_shape.rename,
        patterns: Default::default(),
        warnings: Default::default(),
    };
    lw.find_boxed_edges(closure);

    // Which shapes become types in `src/types`: every structure, union and enum reached as a
    // member target, and every error structure. Operation inputs and outputs get their own
    // structs in the operation's module.
    let mut as_member: BTreeSet<&str> = BTreeSet::new();
    for id in &closure.shapes {
        let s = model.shape(id);
        if matches!(s.kind, Kind::Enum | Kind::IntEnum | Kind::Operation | Kind::Service) {
            continue;
        }
        as_member.extend(s.members.values().map(|m| m.target.as_str()));
    }
    let mut errors: BTreeSet<&str> = service_shape.errors.iter().map(String::as_str).collect();
    for op in &closure.operations {
        errors.extend(model.shape(op).errors.iter().map(String::as_str));
    }

    let mut types = BTreeMap::new();
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    for id in &closure.shapes {
        let s = model.shape(id);
        // Prelude shapes map to Rust types (String, i32, ...); none is generated.
        if id.starts_with("smithy.api#") {
            continue;
        }
        let wanted = match s.kind {
            Kind::Enum | Kind::IntEnum => true,
            Kind::Structure | Kind::Union => as_member.contains(id.as_str()) || errors.contains(id.as_str()),
            _ => false,
        };
        if !wanted || s.has("smithy.api#mixin") {
            continue;
        }
        if let Err(msg) = lw.unsupported_shape(s) {
            sink.error(id.clone(), msg);
            continue;
        }
        let name = naming::type_name(lw.local_name(s));
        let file = naming::module_name(lw.local_name(s));
        if let Some(other) = lw.names.insert(name.clone(), id.clone()) {
            sink.error(id.clone(), format!("Rust type name `{name}` is also the name of `{other}`"));
            continue;
        }
        if let Some(other) = files.insert(file.clone(), id.clone()) {
            sink.error(id.clone(), format!("file name `types/{file}.rs` is also the file of `{other}`"));
            continue;
        }
        let def = match s.kind {
            Kind::Structure => {
                let role = if errors.contains(id.as_str()) {
                    lw.error_info(s).map(Role::Error).unwrap_or(Role::Plain)
                } else {
                    Role::Plain
                };
                TypeDef::Struct(lw.lower_struct(s, name, "types", file, role, &mut sink))
            }
            Kind::Union => TypeDef::Union(lw.lower_union(s, name, file, &mut sink)),
            _ => TypeDef::Enum(lw.lower_enum(s, name, file, &mut sink)),
        };
        types.insert(def.file().to_string(), def);
    }

    let mut operations = Vec::new();
    let mut op_names = BTreeMap::new();
    for op_id in &closure.operations {
        let op = model.shape(op_id);
        let name = naming::type_name(op.name());
        if let Some(other) = op_names.insert(name.clone(), op_id.clone()) {
            sink.error(op_id.clone(), format!("Rust operation name `{name}` is also the name of `{other}`"));
            continue;
        }
        operations.push(lw.lower_operation(op, name, &mut sink));
    }
    operations.sort_by(|a, b| a.name.cmp(&b.name));
    mark_validated(&mut types, &mut operations);

    let mut warnings = lw.warnings.into_inner();
    warnings.sort();
    warnings.dedup();
    sink.finish(Crate { crate_name: settings.crate_name.clone(), service, types, operations, warnings })
}

/// Marks the structures and unions that operation inputs reach, directly or through lists, maps
/// and other types: the ones that implement `Validate`.
fn mark_validated(types: &mut BTreeMap<String, TypeDef>, operations: &mut [Operation]) {
    fn named<'a>(ty: &'a Ty, out: &mut Vec<&'a str>) {
        match ty {
            Ty::Named { name, kind: NamedKind::Struct | NamedKind::Union, .. } => {
                out.push(name.rsplit("::").next().unwrap_or(name));
            }
            Ty::List { item, .. } => named(item, out),
            Ty::Map { value, .. } => named(value, out),
            _ => {}
        }
    }
    let by_name: BTreeMap<String, String> =
        types.iter().map(|(file, def)| (def.name().to_string(), file.clone())).collect();
    let mut todo: Vec<&str> = Vec::new();
    for op in operations.iter() {
        op.input.fields.iter().for_each(|f| named(&f.ty, &mut todo));
    }
    let mut reached: BTreeSet<String> = BTreeSet::new();
    while let Some(name) = todo.pop() {
        if !reached.insert(name.to_string()) {
            continue;
        }
        match by_name.get(name).and_then(|file| types.get(file)) {
            Some(TypeDef::Struct(s)) => s.fields.iter().for_each(|f| named(&f.ty, &mut todo)),
            Some(TypeDef::Union(u)) => {
                u.variants.iter().filter_map(|v| v.ty.as_ref()).for_each(|t| named(t, &mut todo))
            }
            _ => {}
        }
    }
    for op in operations.iter_mut() {
        op.input.validated = true;
    }
    for def in types.values_mut() {
        match def {
            TypeDef::Struct(s) => s.validated = reached.contains(&s.name),
            TypeDef::Union(u) => u.validated = reached.contains(&u.name),
            TypeDef::Enum(_) => {}
        }
    }
}

fn sink_into_vec(sink: Sink) -> Vec<crate::diag::Diagnostic> {
    match sink.finish(()) {
        Ok(()) => Vec::new(),
        Err(d) => d.0,
    }
}

fn lower_service(s: &Shape, sink: &mut Sink) -> Option<Service> {
    let protocols: Vec<&str> =
        s.traits.keys().filter(|k| k.starts_with("aws.protocols#")).map(String::as_str).collect();
    let protocol = if s.has("aws.protocols#restJson1") {
        Protocol::RestJson1
    } else if s.has("aws.protocols#awsJson1_1") {
        Protocol::AwsJson1_1
    } else if s.has("aws.protocols#awsJson1_0") {
        Protocol::AwsJson1_0
    } else {
        let named = protocols
            .iter()
            .filter(|p| !matches!(**p, "aws.protocols#awsQueryCompatible" | "aws.protocols#httpChecksum"))
            .copied()
            .collect::<Vec<_>>();
        let msg = if named.is_empty() {
            "the service has no protocol trait; supported: aws.protocols#restJson1, awsJson1_0, awsJson1_1".to_string()
        } else {
            format!(
                "protocol `{}` is not supported yet (supported: restJson1, awsJson1_0, awsJson1_1)",
                named.join("`, `")
            )
        };
        sink.error(s.id.clone(), msg);
        return None;
    };
    let aws = s.traits.get("aws.api#service");
    let get = |v: Option<&Value>, k: &str| v.and_then(|v| v.get(k)).and_then(Value::as_str).map(str::to_string);
    let sdk_id = get(aws, "sdkId").unwrap_or_else(|| s.name().to_string());
    let signing_name = get(s.traits.get("aws.auth#sigv4"), "name")
        .or_else(|| get(aws, "endpointPrefix"))
        .unwrap_or_else(|| sdk_id.to_lowercase());
    let endpoint_prefix = get(aws, "endpointPrefix").unwrap_or_else(|| signing_name.clone());
    let title = s.traits.get("smithy.api#title").and_then(Value::as_str).unwrap_or(&sdk_id).to_string();
    let endpoint_template = s
        .traits
        .get("smithy.rules#endpointRuleSet")
        .and_then(regional_endpoint)
        .unwrap_or_else(|| format!("https://{endpoint_prefix}.{{Region}}.{{PartitionResult#dnsSuffix}}"));
    Some(Service {
        shape_id: s.id.clone(),
        shape_name: s.name().to_string(),
        version: s.version.clone().unwrap_or_default(),
        protocol,
        signing_name,
        endpoint_prefix,
        trait_name: naming::type_name(&sdk_id.replace([' ', '-'], "")),
        endpoint_template,
        sdk_id,
        title,
        doc: doc_of(&s.traits),
    })
}

/// The plain regional endpoint of an endpoint rule set: the first endpoint URL that uses the
/// region and the partition's DNS suffix and is neither FIPS nor dual-stack.
fn regional_endpoint(rules: &Value) -> Option<String> {
    fn walk(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(o) => {
                if o.get("type").and_then(Value::as_str) == Some("endpoint") {
                    if let Some(url) = o.get("endpoint").and_then(|e| e.get("url")).and_then(Value::as_str) {
                        out.push(url.to_string());
                    }
                }
                o.values().for_each(|v| walk(v, out));
            }
            Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut urls = Vec::new();
    walk(rules, &mut urls);
    urls.into_iter().find(|u| {
        u.contains("{Region}")
            && u.contains("{PartitionResult#dnsSuffix}")
            && !u.contains("fips")
            && u.starts_with("https://")
    })
}

fn doc_of(traits: &BTreeMap<String, Value>) -> Option<String> {
    traits.get(DOC).and_then(Value::as_str).map(html_to_markdown).filter(|d| !d.is_empty())
}

struct Lowerer<'m> {
    model: &'m Model,
    protocol: Protocol,
    /// `(shape id, member name)` pairs that must be boxed.
    boxed: BTreeSet<(String, String)>,
    /// Rust type names in `types`, to detect collisions.
    names: BTreeMap<String, String>,
    /// The service's `rename` map.
    renames: &'m BTreeMap<String, String>,
    /// Patterns already checked, and whether Rust's regex engine accepts them.
    patterns: std::cell::RefCell<BTreeMap<String, crate::patterns::Check>>,
    /// Warnings: what is generated but not fully supported (patterns that are not checked).
    warnings: std::cell::RefCell<Vec<crate::diag::Diagnostic>>,
}

impl<'m> Lowerer<'m> {
    /// The shape's name in this service: its `rename` if the service gives one.
    fn local_name<'s>(&'s self, s: &'s Shape) -> &'s str {
        self.renames.get(&s.id).map_or(s.name(), String::as_str)
    }

    /// Members whose target is in the same strongly connected component of the "contains
    /// directly" graph (structure and union members, not through lists or maps, which already
    /// allocate) are boxed. The set depends only on the graph, so it is deterministic.
    fn find_boxed_edges(&mut self, closure: &Closure) {
        let nodes: Vec<&str> = closure
            .shapes
            .iter()
            .map(String::as_str)
            .filter(|id| matches!(self.model.shape(id).kind, Kind::Structure | Kind::Union))
            .collect();
        let index: BTreeMap<&str, usize> = nodes.iter().enumerate().map(|(i, n)| (*n, i)).collect();
        let edges: Vec<Vec<usize>> = nodes
            .iter()
            .map(|id| {
                self.model.shape(id).members.values().filter_map(|m| index.get(m.target.as_str()).copied()).collect()
            })
            .collect();
        let comp = tarjan(&edges);
        for (i, id) in nodes.iter().enumerate() {
            for m in self.model.shape(id).members.values() {
                if let Some(&j) = index.get(m.target.as_str()) {
                    if comp[i] == comp[j] {
                        self.boxed.insert((id.to_string(), m.name.clone()));
                    }
                }
            }
        }
    }

    fn unsupported_shape(&self, s: &Shape) -> Result<(), String> {
        if s.kind == Kind::Union && s.has("smithy.api#streaming") {
            return Err("event streams (@streaming unions) are not supported yet".into());
        }
        Ok(())
    }

    fn error_info(&self, s: &Shape) -> Option<ErrorInfo> {
        let fault = s.traits.get("smithy.api#error")?.as_str().unwrap_or("client").to_string();
        let retryable = s.traits.get("smithy.api#retryable");
        let message_field = s
            .members
            .values()
            .find(|m| m.name.eq_ignore_ascii_case("message") && self.model.shape(&m.target).kind == Kind::String)
            .map(|m| naming::field_name(&m.name));
        Some(ErrorInfo {
            code: s.name().to_string(),
            fault,
            http_status: s
                .traits
                .get("smithy.api#httpError")
                .and_then(Value::as_u64)
                .and_then(|c| u16::try_from(c).ok()),
            retryable: retryable.is_some(),
            throttling: retryable.and_then(|r| r.get("throttling")).and_then(Value::as_bool).unwrap_or(false),
            message_field,
        })
    }

    fn named(&self, s: &Shape) -> Ty {
        let kind = match s.kind {
            Kind::Enum => NamedKind::Enum,
            Kind::IntEnum => NamedKind::IntEnum,
            Kind::Union => NamedKind::Union,
            _ => NamedKind::Struct,
        };
        Ty::Named { name: naming::type_name(self.local_name(s)), module: "types".into(), kind }
    }

    /// The Rust type of a member (or list/map element) targeting `target`.
    fn ty(&self, target: &str, member_traits: &BTreeMap<String, Value>, loc: &str, sink: &mut Sink) -> Option<Ty> {
        let s = self.model.shape(target);
        Some(match s.kind {
            Kind::String => Ty::String,
            Kind::Boolean => Ty::Bool,
            Kind::Byte => Ty::I8,
            Kind::Short => Ty::I16,
            Kind::Integer => Ty::I32,
            Kind::Long => Ty::I64,
            Kind::Float => Ty::F32,
            Kind::Double => Ty::F64,
            Kind::BigInteger => Ty::BigInteger,
            Kind::BigDecimal => Ty::BigDecimal,
            Kind::Blob => Ty::Blob,
            Kind::Document => Ty::Document,
            Kind::Timestamp => {
                let fmt = member_traits
                    .get("smithy.api#timestampFormat")
                    .or_else(|| s.traits.get("smithy.api#timestampFormat"))
                    .and_then(Value::as_str);
                Ty::Timestamp(match fmt {
                    None => None,
                    Some("epoch-seconds") => Some(TsFormat::EpochSeconds),
                    Some("date-time") => Some(TsFormat::DateTime),
                    Some("http-date") => Some(TsFormat::HttpDate),
                    Some(other) => {
                        sink.error(loc, format!("unknown @timestampFormat `{other}`"));
                        return None;
                    }
                })
            }
            Kind::Enum | Kind::IntEnum | Kind::Structure | Kind::Union => {
                if target == UNIT {
                    sink.error(loc, "only union members may target smithy.api#Unit");
                    return None;
                }
                self.named(s)
            }
            Kind::List | Kind::Set => {
                let m = &s.members["member"];
                let item = self.ty(&m.target, &m.traits, &format!("{}$member", s.id), sink)?;
                Ty::List { item: Box::new(item), sparse: s.has("smithy.api#sparse") }
            }
            Kind::Map => {
                let (k, v) = (&s.members["key"], &s.members["value"]);
                let key = self.ty(&k.target, &k.traits, &format!("{}$key", s.id), sink)?;
                if !matches!(key, Ty::String | Ty::Named { kind: NamedKind::Enum, .. }) {
                    sink.error(format!("{}$key", s.id), "map keys must target a string or enum shape");
                    return None;
                }
                let value = self.ty(&v.target, &v.traits, &format!("{}$value", s.id), sink)?;
                Ty::Map { key: Box::new(key), value: Box::new(value), sparse: s.has("smithy.api#sparse") }
            }
            Kind::Service | Kind::Operation | Kind::Resource => {
                sink.error(loc, format!("a member cannot target the {:?} `{target}`", s.kind));
                return None;
            }
        })
    }

    /// True when the target, or any element it collects, is `@sensitive`.
    fn sensitive(&self, target: &str) -> bool {
        let s = self.model.shape(target);
        if s.has("smithy.api#sensitive") {
            return true;
        }
        match s.kind {
            Kind::List | Kind::Set => self.sensitive(&s.members["member"].target),
            Kind::Map => self.sensitive(&s.members["key"].target) || self.sensitive(&s.members["value"].target),
            _ => false,
        }
    }

    /// The member's name in JSON bodies: `@jsonName` applies in restJson1 only.
    fn wire_name(&self, m: &Member) -> String {
        match (self.protocol, m.traits.get("smithy.api#jsonName").and_then(Value::as_str)) {
            (Protocol::RestJson1, Some(json_name)) => json_name.to_string(),
            _ => m.name.clone(),
        }
    }

    /// How a pattern is checked (translated from Java style where needed), worked out once per
    /// distinct pattern.
    fn pattern_check(&self, pattern: &str) -> crate::patterns::Check {
        if let Some(done) = self.patterns.borrow().get(pattern) {
            return done.clone();
        }
        let check = crate::patterns::check(pattern);
        self.patterns.borrow_mut().insert(pattern.to_string(), check.clone());
        check
    }

    fn constraints(&self, m: &Member) -> Constraints {
        let target = &self.model.shape(&m.target).traits;
        let get = |k: &str| m.traits.get(k).or_else(|| target.get(k));
        let bound_u = |v: &Value, k: &str| v.get(k).and_then(Value::as_u64);
        let bound_f = |v: &Value, k: &str| v.get(k).and_then(Value::as_f64);
        let pattern = get("smithy.api#pattern").and_then(Value::as_str).map(str::to_string);
        let (pattern, pattern_unsupported) = match pattern {
            Some(p) => match self.pattern_check(&p) {
                crate::patterns::Check::Regex(rust) => (Some(Pattern::Regex(rust)), None),
                crate::patterns::Check::Chars(class) => (Some(Pattern::Chars(class)), None),
                crate::patterns::Check::Never => (None, None),
                crate::patterns::Check::Unsupported => (None, Some(p)),
            },
            None => (None, None),
        };
        Constraints {
            length: get("smithy.api#length").map(|v| (bound_u(v, "min"), bound_u(v, "max"))),
            range: get("smithy.api#range").map(|v| (bound_f(v, "min"), bound_f(v, "max"))),
            pattern,
            pattern_unsupported,
        }
    }

    /// Constraints on the elements of a list, or the values of a map, that `m` targets.
    fn element_constraints(&self, m: &Member) -> Option<Constraints> {
        let target = self.model.shape(&m.target);
        let inner = match target.kind {
            Kind::List | Kind::Set => target.members.get("member")?,
            Kind::Map => target.members.get("value")?,
            _ => return None,
        };
        let c = self.constraints(inner);
        (c != Constraints::default()).then_some(c)
    }

    fn binding(&self, m: &Member) -> Binding {
        let t = &m.traits;
        let s = |k: &str| t.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
        if self.protocol != Protocol::RestJson1 {
            return Binding::Body;
        }
        if t.contains_key("smithy.api#httpLabel") {
            Binding::Label
        } else if t.contains_key("smithy.api#httpQuery") {
            Binding::Query(s("smithy.api#httpQuery"))
        } else if t.contains_key("smithy.api#httpQueryParams") {
            Binding::QueryParams
        } else if t.contains_key("smithy.api#httpHeader") {
            Binding::Header(s("smithy.api#httpHeader"))
        } else if t.contains_key("smithy.api#httpPrefixHeaders") {
            Binding::PrefixHeaders(s("smithy.api#httpPrefixHeaders"))
        } else if t.contains_key("smithy.api#httpPayload") {
            Binding::Payload
        } else if t.contains_key("smithy.api#httpResponseCode") {
            Binding::ResponseCode
        } else {
            Binding::Body
        }
    }

    fn lower_struct(
        &self,
        s: &Shape,
        name: String,
        module: &str,
        file: String,
        role: Role,
        sink: &mut Sink,
    ) -> StructDef {
        let mut fields = Vec::new();
        let mut rust_names: BTreeMap<String, &str> = BTreeMap::new();
        // Members of `@input` structures with a default stay optional, so that the server's
        // default applies when the caller sets nothing (top-level defaults are not sent).
        let is_input = s.has("smithy.api#input");
        for m in s.members.values() {
            let loc = format!("{}${}", s.id, m.name);
            let Some(ty) = self.ty(&m.target, &m.traits, &loc, sink) else { continue };
            let field = naming::field_name(&m.name);
            for taken in [field.clone(), format!("set_{}", naming::bare(&field))] {
                if let Some(other) = rust_names.insert(taken.clone(), &m.name) {
                    sink.error(loc.clone(), format!("Rust name `{taken}` is also used by member `{other}`"));
                }
            }
            let required = m.has("smithy.api#required");
            let default = m.traits.get("smithy.api#default").filter(|v| !v.is_null()).cloned();
            let optional = if m.has("smithy.api#clientOptional") {
                true
            } else if required {
                false
            } else if default.is_some() {
                is_input
            } else {
                true
            };
            let wire = self.wire_name(m);
            let target = self.model.shape(&m.target);
            let constraints = self.constraints(m);
            if let Some(p) = &constraints.pattern_unsupported {
                self.warnings.borrow_mut().push(crate::diag::Diagnostic::new(
                    loc.clone(),
                    format!("@pattern `{p}` is not checked before sending: Rust's regex engine cannot compile it"),
                ));
            }
            fields.push(Field {
                member: m.name.clone(),
                wire,
                name: field,
                boxed: self.boxed.contains(&(s.id.clone(), m.name.clone())),
                optional,
                required,
                default: if optional { None } else { default },
                sensitive: self.sensitive(&m.target),
                idempotency_token: m.has("smithy.api#idempotencyToken"),
                binding: if matches!(role, Role::Plain) { Binding::Body } else { self.binding(m) },
                media_type: target.traits.get("smithy.api#mediaType").and_then(Value::as_str).map(str::to_string),
                constraints: constraints.clone(),
                element_constraints: self.element_constraints(m),
                doc: {
                    let mut d = doc_of(&m.traits);
                    if let Some(p) = &constraints.pattern_unsupported {
                        let note = format!(
                            "The model's pattern for this member is not checked before sending: Rust's regex engine \
                             cannot compile it (`{}`).",
                            p.replace('`', "'")
                        );
                        d = Some(match d {
                            Some(d) => format!("{d}\n\n{note}"),
                            None => note,
                        });
                    }
                    d
                },
                deprecated: m.has("smithy.api#deprecated"),
                ty,
            });
        }
        StructDef {
            shape_id: s.id.clone(),
            name,
            module: module.to_string(),
            file,
            fields,
            role,
            sensitive: s.has("smithy.api#sensitive"),
            doc: doc_of(&s.traits),
            deprecated: s.has("smithy.api#deprecated"),
            validated: false,
        }
    }

    fn lower_union(&self, s: &Shape, name: String, file: String, sink: &mut Sink) -> UnionDef {
        let mut variants = Vec::new();
        let mut seen = BTreeMap::new();
        for m in s.members.values() {
            let loc = format!("{}${}", s.id, m.name);
            let ty = if m.target == UNIT {
                None
            } else {
                match self.ty(&m.target, &m.traits, &loc, sink) {
                    Some(t) => Some(t),
                    None => continue,
                }
            };
            let Some(vname) = variant(m, &mut seen, loc, sink) else { continue };
            variants.push(UnionVariant {
                member: m.name.clone(),
                wire: self.wire_name(m),
                name: vname,
                boxed: self.boxed.contains(&(s.id.clone(), m.name.clone())),
                sensitive: m.target != UNIT && self.sensitive(&m.target),
                doc: doc_of(&m.traits),
                deprecated: m.has("smithy.api#deprecated"),
                ty,
            });
        }
        UnionDef {
            shape_id: s.id.clone(),
            name,
            module: "types".into(),
            file,
            variants,
            sensitive: s.has("smithy.api#sensitive"),
            doc: doc_of(&s.traits),
            deprecated: s.has("smithy.api#deprecated"),
            validated: false,
        }
    }

    fn lower_enum(&self, s: &Shape, name: String, file: String, sink: &mut Sink) -> EnumDef {
        let int = s.kind == Kind::IntEnum;
        let mut variants = Vec::new();
        let mut seen = BTreeMap::new();
        let mut values = BTreeMap::new();
        for m in s.members.values() {
            let loc = format!("{}${}", s.id, m.name);
            let value = match (int, m.traits.get("smithy.api#enumValue")) {
                (false, None) => Value::String(m.name.clone()),
                (false, Some(v @ Value::String(_))) => v.clone(),
                (true, Some(v)) if v.as_i64().is_some_and(|i| i32::try_from(i).is_ok()) => v.clone(),
                (_, _) => {
                    let what = if int { "an integer" } else { "a string" };
                    sink.error(loc, format!("@enumValue must be {what}"));
                    continue;
                }
            };
            let Some(vname) = variant(m, &mut seen, loc.clone(), sink) else { continue };
            if let Some(other) = values.insert(value.to_string(), m.name.clone()) {
                sink.error(loc, format!("enum value {value} is also the value of member `{other}`"));
                continue;
            }
            variants.push(EnumVariant {
                name: vname,
                value,
                doc: doc_of(&m.traits),
                deprecated: m.has("smithy.api#deprecated"),
            });
        }
        EnumDef {
            shape_id: s.id.clone(),
            name,
            module: "types".into(),
            file,
            int,
            variants,
            sensitive: s.has("smithy.api#sensitive"),
            doc: doc_of(&s.traits),
            deprecated: s.has("smithy.api#deprecated"),
        }
    }

    fn lower_operation(&self, op: &Shape, name: String, sink: &mut Sink) -> Operation {
        let module = naming::module_name(op.name());
        let io = |target: &Option<String>, role: Role, suffix: &str, sink: &mut Sink| {
            let sname = format!("{name}{suffix}");
            let file = module.clone();
            let mod_path = format!("operation::{module}");
            match target.as_deref() {
                Some(id) if id != UNIT => {
                    let shape = self.model.shape(id);
                    if shape.kind != Kind::Structure {
                        sink.error(op.id.clone(), format!("{suffix} `{id}` is not a structure"));
                    }
                    let mut def = self.lower_struct(shape, sname, &mod_path, file, role, sink);
                    def.doc = def.doc.or_else(|| Some(format!("The {} of [`{name}`].", suffix.to_lowercase())));
                    def
                }
                _ => StructDef {
                    shape_id: UNIT.into(),
                    name: sname,
                    module: mod_path,
                    file,
                    fields: Vec::new(),
                    role,
                    sensitive: false,
                    doc: Some(format!("The {} of [`{name}`] (it has no members).", suffix.to_lowercase())),
                    deprecated: false,
                    validated: false,
                },
            }
        };
        let mut input = io(&op.input, Role::Input, "Input", sink);
        let mut output = io(&op.output, Role::Output, "Output", sink);
        // Types whose names the operation module itself uses are referred to by full path.
        let own = [name.clone(), input.name.clone(), output.name.clone(), format!("{name}Error")];
        for f in input.fields.iter_mut().chain(output.fields.iter_mut()) {
            qualify(&mut f.ty, &own);
        }
        let mut errors: Vec<OpError> = op
            .errors
            .iter()
            .map(|e| {
                let local = self.local_name(self.model.shape(e));
                OpError {
                    variant: naming::variant_name(local),
                    ty: naming::type_name(local),
                    code: shape_name(e).to_string(),
                }
            })
            .collect();
        errors.sort_by(|a, b| a.variant.cmp(&b.variant));
        errors.dedup_by(|a, b| a.variant == b.variant);
        for e in &op.errors {
            if !self.model.shape(e).has("smithy.api#error") {
                sink.error(op.id.clone(), format!("error `{e}` has no @error trait"));
            }
        }
        let http = op.traits.get("smithy.api#http").and_then(|h| {
            Some(HttpTrait {
                method: h.get("method")?.as_str()?.to_string(),
                uri: h.get("uri")?.as_str()?.to_string(),
                code: h.get("code").and_then(Value::as_u64).and_then(|c| u16::try_from(c).ok()).unwrap_or(200),
            })
        });
        if self.protocol == Protocol::RestJson1 && http.is_none() {
            sink.error(op.id.clone(), "restJson1 operation has no valid @http trait");
        }
        let host_prefix =
            op.traits.get("smithy.api#endpoint").and_then(|e| e.get("hostPrefix")).and_then(Value::as_str);
        for label in host_prefix.map(host_labels).unwrap_or_default() {
            let member = op.input.as_ref().and_then(|i| self.model.shape(i).members.get(label));
            let field = input.fields.iter().find(|f| f.member == label);
            let problem = match (member, field) {
                (Some(m), Some(f)) if m.has("smithy.api#hostLabel") && f.ty == Ty::String => continue,
                (Some(m), Some(_)) if m.has("smithy.api#hostLabel") => "must target a string",
                (Some(_), _) => "names an input member without @hostLabel",
                (None, _) => "names no input member",
            };
            sink.error(op.id.clone(), format!("host prefix label `{{{label}}}` {problem}"));
        }
        Operation {
            shape_id: op.id.clone(),
            wire_name: op.name().to_string(),
            kebab: op.name().to_kebab_case(),
            method: naming::field_name(op.name()),
            error_enum: format!("{name}Error"),
            module,
            name,
            input,
            output,
            errors,
            http,
            checksum_required: op.has("smithy.api#httpChecksumRequired"),
            host_prefix: host_prefix.map(str::to_string),
            gzip: op
                .traits
                .get("smithy.api#requestCompression")
                .and_then(|t| t.get("encodings"))
                .and_then(Value::as_array)
                .is_some_and(|e| e.iter().any(|v| v.as_str() == Some("gzip"))),
            doc: doc_of(&op.traits),
            deprecated: op.has("smithy.api#deprecated"),
        }
    }
}

/// The `{label}` names in an `@endpoint(hostPrefix)` template, in order.
pub fn host_labels(template: &str) -> Vec<&str> {
    template.split('{').skip(1).map(|part| part.split_once('}').map_or(part, |(label, _)| label)).collect()
}

/// The Rust variant name of an enum or union member; `Unknown` is taken by the variant that
/// keeps unrecognised values, so a member named that becomes `UnknownValue`. A name two members
/// share is reported.
fn variant(m: &Member, seen: &mut BTreeMap<String, String>, loc: String, sink: &mut Sink) -> Option<String> {
    let mut name = naming::variant_name(&m.name);
    if name == "Unknown" {
        name = "UnknownValue".into();
    }
    if let Some(other) = seen.insert(name.clone(), m.name.clone()) {
        sink.error(loc, format!("Rust variant name `{name}` is also used by member `{other}`"));
        return None;
    }
    Some(name)
}

/// Rewrites references to types named like one of `own` to `crate::types::Name`.
fn qualify(ty: &mut Ty, own: &[String]) {
    match ty {
        Ty::Named { name, .. } if own.contains(name) => *name = format!("crate::types::{name}"),
        Ty::List { item, .. } => qualify(item, own),
        Ty::Map { key, value, .. } => {
            qualify(key, own);
            qualify(value, own);
        }
        _ => {}
    }
}

/// Tarjan's strongly connected components; returns the component index of every node.
fn tarjan(edges: &[Vec<usize>]) -> Vec<usize> {
    struct St<'a> {
        edges: &'a [Vec<usize>],
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on: Vec<bool>,
        stack: Vec<usize>,
        comp: Vec<usize>,
        next: usize,
        ncomp: usize,
    }
    // Iterative to survive deep graphs.
    fn strong(st: &mut St<'_>, root: usize) {
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some((v, i)) = work.pop() {
            if i == 0 {
                st.index[v] = Some(st.next);
                st.low[v] = st.next;
                st.next += 1;
                st.stack.push(v);
                st.on[v] = true;
            }
            if i < st.edges[v].len() {
                let w = st.edges[v][i];
                work.push((v, i + 1));
                match st.index[w] {
                    None => work.push((w, 0)),
                    Some(wi) if st.on[w] => st.low[v] = st.low[v].min(wi),
                    Some(_) => {}
                }
                continue;
            }
            // All edges of v done: propagate low-link to the parent.
            if st.low[v] == st.index[v].expect("visited") {
                loop {
                    let w = st.stack.pop().expect("stack holds v");
                    st.on[w] = false;
                    st.comp[w] = st.ncomp;
                    if w == v {
                        break;
                    }
                }
                st.ncomp += 1;
            }
            if let Some(&(parent, _)) = work.last() {
                st.low[parent] = st.low[parent].min(st.low[v]);
            }
        }
    }
    let n = edges.len();
    let mut st = St {
        edges,
        index: vec![None; n],
        low: vec![0; n],
        on: vec![false; n],
        stack: Vec::new(),
        comp: vec![0; n],
        next: 0,
        ncomp: 0,
    };
    for v in 0..n {
        if st.index[v].is_none() {
            strong(&mut st, v);
        }
    }
    st.comp
}

#[cfg(test)]
mod tests {
    #[test]
    fn tarjan_finds_cycles() {
        let comp = super::tarjan(&[vec![1], vec![0], vec![2], vec![]]);
        assert_eq!(comp[0], comp[1]);
        assert_ne!(comp[2], comp[3]);
        assert_ne!(comp[0], comp[3]);
    }
}
