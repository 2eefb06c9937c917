//! Lower stage: the one place where Rust names and types are decided: naming, keywords,
//! collisions, boxing of recursive members, `Option` or not. The result is sorted, so emitters
//! only iterate.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::diag::{Diagnostics, Sink};
use crate::docs::html_to_markdown;
use crate::ir::*;
use crate::model::{Closure, Kind, Member, Model, Shape, UNIT};
use crate::{naming, nullability};

pub fn lower(model: &Model, closure: &Closure, meta: &CrateMeta) -> Result<Crate, Diagnostics> {
    let mut sink = Sink::default();
    let service_shape = model.shape(&closure.service);
    let mut endpoint_warnings = Vec::new();
    let Some(service) = lower_service(service_shape, meta.protocol.as_deref(), &mut sink, &mut endpoint_warnings)
    else {
        // Without a supported protocol nothing else can be checked meaningfully.
        return Err(Diagnostics::from_vec(sink_into_vec(sink)));
    };
    let protocol = service.protocol;

    let mut lw = Lowerer {
        model,
        rule_params: service.endpoint.rules.params.to_vec(),
        protocol,
        boxed: BTreeSet::new(),
        names: BTreeMap::new(),
        renames: &service_shape.rename,
        patterns: Default::default(),
        warnings: std::cell::RefCell::new(endpoint_warnings),
        paginated_defaults: service_shape.service.paginated.clone(),
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
        if !wanted || s.traits.mixin {
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
        // `types/mod.rs` declares `pub mod builders` itself.
        if file == "builders" {
            sink.error(
                id.clone(),
                "a shape named `Builders` would be the module `types::builders`, which holds the builders",
            );
            continue;
        }
        let def = match s.kind {
            Kind::Structure => {
                let role = if errors.contains(id.as_str()) {
                    lw.error_info(s).map(Role::Error).unwrap_or(Role::Plain)
                } else {
                    Role::Plain
                };
                TypeDef::Struct(lw.lower_struct(s, name, role, &mut sink))
            }
            Kind::Union => TypeDef::Union(lw.lower_union(s, name, &mut sink)),
            _ => TypeDef::Enum(lw.lower_enum(s, name, &mut sink)),
        };
        types.insert(id.clone(), TypeItem { file, def });
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
    let mut krate = Crate { meta: meta.clone(), service, types, operations, warnings: Vec::new() };
    crate::customize::apply(&mut krate);
    // Paths into the lowered types (paginator tokens and items, waiter matchers, operation
    // context parameters) are checked against them, by the code that emits them.
    let skipped = crate::emit::waiters::check(&mut krate, &mut sink);
    warnings.extend(skipped);
    warnings.sort();
    warnings.dedup();
    krate.warnings = warnings;
    sink.finish(krate)
}

/// Marks the structures and unions that operation inputs reach, directly or through lists, maps
/// and other types: the ones that implement `Validate`.
fn mark_validated(types: &mut BTreeMap<ShapeId, TypeItem>, operations: &mut [Operation]) {
    let inputs: Vec<&Ty> = operations.iter().flat_map(|op| op.input.fields.iter().map(|f| &f.ty)).collect();
    let written = reach(types, inputs);
    // What responses hold: outputs and every error structure, which are what wire readers are
    // emitted for.
    let errors = types.values().filter_map(|t| match &t.def {
        TypeDef::Struct(s) if matches!(s.role, Role::Error(_)) => Some(s),
        _ => None,
    });
    let outputs: Vec<&Ty> = operations
        .iter()
        .flat_map(|op| op.output.fields.iter())
        .chain(errors.flat_map(|s| s.fields.iter()))
        .map(|f| &f.ty)
        .collect();
    let mut read = reach(types, outputs);
    read.extend(
        types
            .iter()
            .filter(|(_, t)| matches!(&t.def, TypeDef::Struct(s) if matches!(s.role, Role::Error(_))))
            .map(|(id, _)| id.clone()),
    );
    for op in operations.iter_mut() {
        op.input.validated = true;
        op.output.parsed = true;
    }
    for (id, item) in types.iter_mut() {
        match &mut item.def {
            TypeDef::Struct(s) => (s.validated, s.parsed) = (written.contains(id), read.contains(id)),
            TypeDef::Union(u) => (u.validated, u.parsed) = (written.contains(id), read.contains(id)),
            TypeDef::Enum(_) => {}
        }
    }
}

/// The structures and unions `roots` refer to, directly or through others.
fn reach<'a>(types: &'a BTreeMap<ShapeId, TypeItem>, roots: Vec<&'a Ty>) -> BTreeSet<String> {
    fn named<'a>(ty: &'a Ty, out: &mut Vec<&'a str>) {
        match ty {
            Ty::Named { id, kind: NamedKind::Struct | NamedKind::Union } => out.push(id),
            Ty::List { item, .. } => named(item, out),
            Ty::Map { value, .. } => named(value, out),
            _ => {}
        }
    }
    let mut todo: Vec<&str> = Vec::new();
    roots.into_iter().for_each(|t| named(t, &mut todo));
    let mut reached: BTreeSet<String> = BTreeSet::new();
    while let Some(id) = todo.pop() {
        if !reached.insert(id.to_string()) {
            continue;
        }
        match types.get(id).map(|t| &t.def) {
            Some(TypeDef::Struct(s)) => s.fields.iter().for_each(|f| named(&f.ty, &mut todo)),
            Some(TypeDef::Union(u)) => {
                u.variants.iter().filter_map(|v| v.ty.as_ref()).for_each(|t| named(t, &mut todo))
            }
            _ => {}
        }
    }
    reached
}

fn sink_into_vec(sink: Sink) -> Vec<crate::diag::Diagnostic> {
    match sink.finish(()) {
        Ok(()) => Vec::new(),
        Err(d) => d.0,
    }
}

fn lower_service(
    s: &Shape,
    wanted_protocol: Option<&str>,
    sink: &mut Sink,
    warnings: &mut Vec<crate::diag::Diagnostic>,
) -> Option<Service> {
    let t = &s.service;
    let protocol = match crate::protocols::choose(&t.protocols, &t.unknown_protocols, wanted_protocol) {
        Ok(p) => p,
        Err(why) => {
            sink.error(s.id.clone(), why.to_string());
            return None;
        }
    };
    let sdk_id = t.aws_service.sdk_id.clone().unwrap_or_else(|| s.name().to_string());
    let signing_name =
        t.sigv4_name.clone().or_else(|| t.aws_service.endpoint_prefix.clone()).unwrap_or_else(|| sdk_id.to_lowercase());
    let endpoint_prefix = t.aws_service.endpoint_prefix.clone().unwrap_or_else(|| signing_name.clone());
    if t.endpoint_bdd && t.endpoint_rule_set.is_none() {
        sink.error(
            s.id.clone(),
            "the endpoint rules are in the `smithy.rules#endpointBdd` form, which is not supported yet \
             (only `smithy.rules#endpointRuleSet`)",
        );
        return None;
    }
    let endpoint = crate::endpoint::lower_service(
        t.endpoint_rule_set.as_ref(),
        t.endpoint_tests.as_ref(),
        t.client_context_params.as_ref(),
        &endpoint_prefix,
        &s.id,
        sink,
        warnings,
    )?;
    Some(Service {
        shape_id: s.id.clone(),
        shape_name: s.name().to_string(),
        version: s.version.clone().unwrap_or_default(),
        protocol,
        signing_name,
        trait_name: naming::type_name(&sdk_id.replace([' ', '-'], "")),
        endpoint,
        query_compatible: t.aws_query_compatible,
        xml_namespace: t.xml_namespace.clone(),
        title: t.title.clone().unwrap_or_else(|| sdk_id.clone()),
        sdk_id,
        doc: doc_of(s.traits.documentation.as_deref()),
    })
}

/// A member's XML element name: its `@xmlName`, else `default`, with its `@xmlNamespace`.
fn xml_name(m: &Member, default: &str) -> XmlName {
    XmlName {
        name: m.traits.xml_name.clone().unwrap_or_else(|| default.to_string()),
        namespace: m.traits.xml_namespace.clone(),
    }
}

fn doc_of(html: Option<&str>) -> Option<String> {
    html.map(html_to_markdown).filter(|d| !d.is_empty())
}

struct Lowerer<'m> {
    model: &'m Model,
    /// The parameters of the service's endpoint rules.
    rule_params: Vec<awsgen_rules::Param>,
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
    /// The service's `@paginated` defaults.
    paginated_defaults: Option<crate::traits::Paginated>,
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
        let comp = crate::graph::tarjan(&edges);
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
        if s.kind == Kind::Union && s.traits.streaming {
            return Err("event streams (@streaming unions) are not supported yet".into());
        }
        Ok(())
    }

    fn error_info(&self, s: &Shape) -> Option<ErrorInfo> {
        let fault = s.traits.error?;
        let message_field = s
            .members
            .values()
            .find(|m| m.name.eq_ignore_ascii_case("message") && self.model.shape(&m.target).kind == Kind::String)
            .map(|m| naming::field_name(&m.name));
        Some(ErrorInfo {
            // awsQuery names an error by its `@awsQueryError` code, when it has one.
            code: match (&s.traits.aws_query_error, self.protocol) {
                (Some((code, _)), Protocol::AwsQuery) => code.clone(),
                _ => s.name().to_string(),
            },
            fault,
            http_status: s.traits.http_error,
            retryable: s.traits.retryable.is_some(),
            throttling: s.traits.retryable.is_some_and(|r| r.throttling),
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
        Ty::Named { id: s.id.clone(), kind }
    }

    /// The Rust type of a member (or list/map element) targeting `target`.
    fn ty(&self, target: &str, member: &crate::traits::MemberTraits, loc: &str, sink: &mut Sink) -> Option<Ty> {
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
            Kind::Blob if s.traits.streaming => Ty::ByteStream,
            Kind::Blob => Ty::Blob,
            Kind::Document => Ty::Document,
            Kind::Timestamp => Ty::Timestamp(member.timestamp_format.or(s.traits.timestamp_format)),
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
                Ty::List { item: Box::new(item), sparse: s.traits.sparse, member: Box::new(xml_name(m, "member")) }
            }
            Kind::Map => {
                let (k, v) = (&s.members["key"], &s.members["value"]);
                let key = self.ty(&k.target, &k.traits, &format!("{}$key", s.id), sink)?;
                if !matches!(key, Ty::String | Ty::Named { kind: NamedKind::Enum, .. }) {
                    sink.error(format!("{}$key", s.id), "map keys must target a string or enum shape");
                    return None;
                }
                let value = self.ty(&v.target, &v.traits, &format!("{}$value", s.id), sink)?;
                let names = Box::new((xml_name(k, "key"), xml_name(v, "value")));
                Ty::Map { key: Box::new(key), value: Box::new(value), sparse: s.traits.sparse, names }
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
        if s.traits.sensitive {
            return true;
        }
        match s.kind {
            Kind::List | Kind::Set => self.sensitive(&s.members["member"].target),
            Kind::Map => self.sensitive(&s.members["key"].target) || self.sensitive(&s.members["value"].target),
            _ => false,
        }
    }

    /// The member's name in JSON bodies: `@jsonName` applies in restJson1 only.
    /// How member `m` travels in XML and query strings.
    fn field_xml(&self, m: &Member) -> FieldXml {
        let name = xml_name(m, &m.name);
        let query_key = match (&m.traits.ec2_query_name, self.protocol) {
            (Some(q), Protocol::Ec2Query) => q.clone(),
            (None, Protocol::Ec2Query) => {
                let mut c = name.name.chars();
                c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
            }
            _ => name.name.clone(),
        };
        FieldXml { name, attribute: m.traits.xml_attribute, flattened: m.traits.xml_flattened, query_key }
    }

    fn wire_name(&self, m: &Member) -> String {
        match &m.traits.json_name {
            Some(json_name) if self.protocol.json_name() => json_name.clone(),
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
        let pattern = m.traits.pattern.as_ref().or(target.pattern.as_ref());
        let (pattern, pattern_unsupported) = match pattern {
            Some(p) => match self.pattern_check(p) {
                crate::patterns::Check::Dfa(dfa) => (Some(Pattern::Dfa(dfa)), None),
                crate::patterns::Check::Regex(rust) => (Some(Pattern::Regex(rust)), None),
                crate::patterns::Check::Chars(class) => (Some(Pattern::Chars(class)), None),
                crate::patterns::Check::Never => (None, None),
                crate::patterns::Check::Unsupported => (None, Some(p.clone())),
            },
            None => (None, None),
        };
        Constraints {
            length: m.traits.length.or(target.length).map(|b| (b.min, b.max)),
            range: m.traits.range.or(target.range).map(|b| (b.min, b.max)),
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
        if self.protocol.http_bindings() {
            m.traits.http.clone()
        } else {
            Binding::Body
        }
    }

    fn lower_struct(&self, s: &Shape, name: String, role: Role, sink: &mut Sink) -> StructDef {
        let mut fields = Vec::new();
        // Builder methods, and the fields they set: every name used once.
        let mut methods: BTreeMap<String, &str> = BTreeMap::from([("build".to_string(), "build()")]);
        let mut field_names: BTreeMap<String, &str> = BTreeMap::new();
        for m in s.members.values() {
            let loc = format!("{}${}", s.id, m.name);
            let Some(ty) = self.ty(&m.target, &m.traits, &loc, sink) else { continue };
            let binding = if matches!(role, Role::Plain) { Binding::Body } else { self.binding(m) };
            // A streaming blob streams as an HTTP payload; anywhere else it is bytes like any blob.
            let ty = if ty == Ty::ByteStream && binding != Binding::Payload { Ty::Blob } else { ty };
            let field = naming::field_name(&m.name);
            let bare = naming::bare(&field).to_string();
            // A member named `build` would collide with `build()`: its setter is `build_value`.
            let setter = if bare == "build" { "build_value".to_string() } else { field.clone() };
            let set_fn = format!("set_{bare}");
            let add_fn = match ty {
                Ty::List { .. } => Some(format!("push_{bare}")),
                Ty::Map { .. } => Some(format!("insert_{bare}")),
                _ => None,
            };
            if let Some(other) = field_names.insert(field.clone(), &m.name) {
                sink.error(loc.clone(), format!("Rust field name `{field}` is also the name of member `{other}`"));
            }
            for taken in [Some(setter.clone()), Some(set_fn.clone()), add_fn.clone()].into_iter().flatten() {
                if let Some(other) = methods.insert(naming::bare(&taken).to_string(), &m.name) {
                    sink.error(loc.clone(), format!("Rust builder method `{taken}` is also used by member `{other}`"));
                }
            }
            let target = self.model.shape(&m.target);
            let nullability = nullability::member(&s.traits, &m.traits, &target.traits);
            let constraints = self.constraints(m);
            if let Some(p) = &constraints.pattern_unsupported {
                self.warnings.borrow_mut().push(crate::diag::Diagnostic::new(
                    loc.clone(),
                    format!(
                        "@pattern `{p}` is not checked before sending: Rust's regex syntax cannot express it \
                         (look-around, a lone surrogate, or a class such as `\\p{{Print}}`)"
                    ),
                ));
            }
            let mut doc = doc_of(m.traits.documentation.as_deref());
            if let Some(p) = &constraints.pattern_unsupported {
                let note = format!(
                    "The model's pattern for this member is not checked before sending: Rust's regex syntax \
                     cannot express it (`{}`).",
                    p.replace('`', "'")
                );
                doc = Some(match doc {
                    Some(d) => format!("{d}\n\n{note}"),
                    None => note,
                });
            }
            fields.push(Field {
                member: m.name.clone(),
                wire: self.wire_name(m),
                name: field,
                setter,
                set_fn,
                add_fn,
                boxed: self.boxed.contains(&(s.id.clone(), m.name.clone())),
                nullability,
                required: m.traits.required,
                default: match nullability {
                    Nullability::Defaulted => m.traits.default_value().cloned(),
                    _ => None,
                },
                sensitive: self.sensitive(&m.target),
                idempotency_token: m.traits.idempotency_token,
                binding,
                media_type: target.traits.media_type.clone(),
                element_constraints: self.element_constraints(m),
                xml: self.field_xml(m),
                constraints,
                doc,
                deprecated: m.traits.deprecated,
                ty,
            });
        }
        // A builder keeps one bit per required member in a `u64`.
        let required = fields.iter().filter(|f| f.nullability == Nullability::Required).count();
        if required > 64 {
            sink.error(s.id.to_string(), format!("{required} required members; a structure may have at most 64"));
        }
        StructDef {
            shape_id: s.id.clone(),
            builder: format!("{name}Builder"),
            name,
            fields,
            role,
            sensitive: s.traits.sensitive,
            doc: doc_of(s.traits.documentation.as_deref()),
            deprecated: s.traits.deprecated,
            validated: false,
            parsed: false,
            xml: XmlName {
                name: s.traits.xml_name.clone().unwrap_or_else(|| s.name().to_string()),
                namespace: s.traits.xml_namespace.clone(),
            },
        }
    }

    fn lower_union(&self, s: &Shape, name: String, sink: &mut Sink) -> UnionDef {
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
                xml: self.field_xml(m),
                name: vname,
                boxed: self.boxed.contains(&(s.id.clone(), m.name.clone())),
                sensitive: m.target != UNIT && self.sensitive(&m.target),
                doc: doc_of(m.traits.documentation.as_deref()),
                deprecated: m.traits.deprecated,
                ty,
            });
        }
        UnionDef {
            shape_id: s.id.clone(),
            name,
            variants,
            sensitive: s.traits.sensitive,
            doc: doc_of(s.traits.documentation.as_deref()),
            deprecated: s.traits.deprecated,
            validated: false,
            parsed: false,
        }
    }

    fn lower_enum(&self, s: &Shape, name: String, sink: &mut Sink) -> EnumDef {
        let int = s.kind == Kind::IntEnum;
        let mut variants = Vec::new();
        let mut seen = BTreeMap::new();
        let mut values = BTreeMap::new();
        for m in s.members.values() {
            let loc = format!("{}${}", s.id, m.name);
            let value = match (int, &m.traits.enum_value) {
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
                doc: doc_of(m.traits.documentation.as_deref()),
                deprecated: m.traits.deprecated,
            });
        }
        EnumDef {
            shape_id: s.id.clone(),
            name,
            int,
            variants,
            sensitive: s.traits.sensitive,
            doc: doc_of(s.traits.documentation.as_deref()),
            deprecated: s.traits.deprecated,
        }
    }

    fn lower_operation(&self, op: &Shape, name: String, sink: &mut Sink) -> Operation {
        let module = naming::module_name(op.name());
        let io = |target: &Option<String>, role: Role, suffix: &str, sink: &mut Sink| {
            let sname = format!("{name}{suffix}");
            match target.as_deref() {
                Some(id) if id != UNIT => {
                    let shape = self.model.shape(id);
                    if shape.kind != Kind::Structure {
                        sink.error(op.id.clone(), format!("{suffix} `{id}` is not a structure"));
                    }
                    let mut def = self.lower_struct(shape, sname, role, sink);
                    def.doc = def.doc.or_else(|| Some(format!("The {} of [`{name}`].", suffix.to_lowercase())));
                    def
                }
                _ => StructDef {
                    shape_id: UNIT.into(),
                    builder: format!("{sname}Builder"),
                    name: sname,
                    fields: Vec::new(),
                    role,
                    sensitive: false,
                    doc: Some(format!("The {} of [`{name}`] (it has no members).", suffix.to_lowercase())),
                    deprecated: false,
                    validated: false,
                    parsed: false,
                    xml: XmlName::plain(&format!("{name}{suffix}")),
                },
            }
        };
        let input = io(&op.input, Role::Input, "Input", sink);
        let output = io(&op.output, Role::Output, "Output", sink);
        let mut errors: Vec<OpError> = op
            .errors
            .iter()
            .map(|e| OpError { variant: naming::variant_name(self.local_name(self.model.shape(e))), id: e.clone() })
            .collect();
        errors.sort_by(|a, b| a.variant.cmp(&b.variant));
        errors.dedup_by(|a, b| a.variant == b.variant);
        for e in &op.errors {
            if self.model.shape(e).traits.error.is_none() {
                sink.error(op.id.clone(), format!("error `{e}` has no @error trait"));
            }
        }
        let t = &op.operation;
        if self.protocol.http_bindings() && t.http.is_none() {
            sink.error(op.id.clone(), format!("{} operation has no valid @http trait", self.protocol));
        }
        for label in t.host_prefix.as_deref().map(host_labels).unwrap_or_default() {
            let member = op.input.as_ref().and_then(|i| self.model.shape(i).members.get(label));
            let field = input.fields.iter().find(|f| f.member == label);
            let problem = match (member, field) {
                (Some(m), Some(f)) if m.traits.host_label && f.ty == Ty::String => continue,
                (Some(m), Some(_)) if m.traits.host_label => "must target a string",
                (Some(_), _) => "names an input member without @hostLabel",
                (None, _) => "names no input member",
            };
            sink.error(op.id.clone(), format!("host prefix label `{{{label}}}` {problem}"));
        }
        let endpoint_params = self.endpoint_params(op, &input, sink);
        let checksum = t.http_checksum.as_ref().map(|v| {
            let mut field = |key: &str| {
                let member = v.get(key).and_then(Value::as_str)?;
                let f = input.fields.iter().find(|f| f.member == member);
                if f.is_none() {
                    sink.error(
                        op.id.clone(),
                        format!("httpChecksum `{key}` names `{member}`, which is not an input member"),
                    );
                }
                f.map(|f| f.name.clone())
            };
            ChecksumSpec {
                algorithm_field: field("requestAlgorithmMember"),
                required: v.get("requestChecksumRequired").and_then(Value::as_bool).unwrap_or(false),
                validation_field: field("requestValidationModeMember"),
                response_algorithms: v
                    .get("responseAlgorithms")
                    .and_then(Value::as_array)
                    .map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect())
                    .unwrap_or_default(),
            }
        });
        let stream_requires_length = input.stream_field().is_some_and(|f| {
            let target = &self.model.shape(&input.shape_id).members[&f.member].target;
            self.model.shape(target).traits.requires_length
        });
        Operation {
            shape_id: op.id.clone(),
            checksum,
            stream_requires_length,
            endpoint_params,
            wire_name: op.name().to_string(),
            method: naming::field_name(op.name()),
            error_enum: format!("{name}Error"),
            module,
            name,
            input,
            output,
            errors,
            http: t.http.clone(),
            checksum_required: t.checksum_required,
            host_prefix: t.host_prefix.clone(),
            gzip: t.request_compression.iter().any(|e| e == "gzip"),
            doc: doc_of(op.traits.documentation.as_deref()),
            deprecated: op.traits.deprecated,
            unwrapped_output: false,
            static_headers: Vec::new(),
            label_defaults: Vec::new(),
            glacier_checksums: false,
            endpoint_field: None,
            unsigned: t.optional_auth || t.auth.as_ref().is_some_and(Vec::is_empty),
            paginator: self.paginator(op, sink),
            waiters: t.waitable.as_ref().map(|w| waiters(w, &op.id, sink)).unwrap_or_default(),
        }
    }

    /// `@paginated` on `op`, each property defaulting to the service's.
    fn paginator(&self, op: &Shape, sink: &mut Sink) -> Option<crate::ir::Paginator> {
        let own = op.operation.paginated.as_ref()?;
        let d = self.paginated_defaults.clone().unwrap_or_default();
        let pick = |a: &Option<String>, b: &Option<String>| a.clone().or_else(|| b.clone());
        let (Some(input_token), Some(output_token)) =
            (pick(&own.input_token, &d.input_token), pick(&own.output_token, &d.output_token))
        else {
            sink.error(op.id.clone(), "@paginated without inputToken and outputToken (on it or on the service)");
            return None;
        };
        Some(crate::ir::Paginator {
            input_token,
            output_token,
            items: pick(&own.items, &d.items),
            page_size: pick(&own.page_size, &d.page_size),
        })
    }
}

/// The waiters of `smithy.waiters#waitable`, in name order; a malformed one is an error.
fn waiters(raw: &serde_json::Value, loc: &str, sink: &mut Sink) -> Vec<crate::ir::Waiter> {
    use crate::ir::{Acceptor, AcceptorState, Comparator, Matcher, Waiter};
    let mut out = Vec::new();
    let Some(map) = raw.as_object() else {
        sink.error(loc, "smithy.waiters#waitable is not an object");
        return out;
    };
    let mut names: Vec<&String> = map.keys().collect();
    names.sort();
    'waiters: for name in names {
        let w = &map[name];
        let at = format!("waiter `{name}`");
        let secs = |k: &str, default: u64| w.get(k).map_or(Some(default), serde_json::Value::as_u64);
        let (Some(min_delay), Some(max_delay)) = (secs("minDelay", 2), secs("maxDelay", 120)) else {
            sink.error(loc, format!("{at}: minDelay and maxDelay must be whole seconds"));
            continue;
        };
        if min_delay == 0 || min_delay > max_delay {
            sink.error(loc, format!("{at}: minDelay {min_delay} must be at least 1 and at most maxDelay {max_delay}"));
            continue;
        }
        let mut acceptors = Vec::new();
        for (i, a) in w.get("acceptors").and_then(serde_json::Value::as_array).into_iter().flatten().enumerate() {
            let at = format!("{at}, acceptor {i}");
            let state = match a.get("state").and_then(serde_json::Value::as_str) {
                Some("success") => AcceptorState::Success,
                Some("failure") => AcceptorState::Failure,
                Some("retry") => AcceptorState::Retry,
                other => {
                    sink.error(loc, format!("{at}: state {other:?} is not success, failure or retry"));
                    continue 'waiters;
                }
            };
            let m = a.get("matcher").and_then(serde_json::Value::as_object);
            let matcher = match m.and_then(|m| m.iter().next()) {
                Some((k, v)) if k == "success" && v.is_boolean() => Matcher::Success(v.as_bool() == Some(true)),
                Some((k, v)) if k == "errorType" && v.is_string() => {
                    let e = v.as_str().unwrap_or_default();
                    Matcher::ErrorType(e.rsplit('#').next().unwrap_or(e).to_string())
                }
                Some((k, v)) if k == "output" || k == "inputOutput" => {
                    let path = v.get("path").and_then(serde_json::Value::as_str).unwrap_or_default().to_string();
                    let expected =
                        v.get("expected").and_then(serde_json::Value::as_str).unwrap_or_default().to_string();
                    let comparator = match v.get("comparator").and_then(serde_json::Value::as_str) {
                        Some("stringEquals") => Comparator::StringEquals,
                        Some("booleanEquals") => Comparator::BooleanEquals,
                        Some("allStringEquals") => Comparator::AllStringEquals,
                        Some("anyStringEquals") => Comparator::AnyStringEquals,
                        other => {
                            sink.error(loc, format!("{at}: comparator {other:?} is not one Smithy defines"));
                            continue 'waiters;
                        }
                    };
                    if comparator == Comparator::BooleanEquals && !matches!(expected.as_str(), "true" | "false") {
                        sink.error(loc, format!("{at}: booleanEquals expects `true` or `false`, not `{expected}`"));
                        continue 'waiters;
                    }
                    match crate::jmespath::parse(&path) {
                        Ok(expr) => {
                            Matcher::Path { input_output: k == "inputOutput", path, expr, comparator, expected }
                        }
                        Err(e) => {
                            sink.error(loc, format!("{at}: path `{path}`: {e}"));
                            continue 'waiters;
                        }
                    }
                }
                _ => {
                    sink.error(loc, format!("{at}: the matcher is not success, errorType, output or inputOutput"));
                    continue 'waiters;
                }
            };
            acceptors.push(Acceptor { state, matcher });
        }
        if acceptors.is_empty() {
            sink.error(loc, format!("{at} has no acceptors"));
            continue;
        }
        out.push(Waiter {
            method: format!("wait_until_{}", naming::field_name(name).trim_start_matches("r#")),
            name: name.clone(),
            doc: doc_of(w.get("documentation").and_then(serde_json::Value::as_str)),
            deprecated: w.get("deprecated").and_then(serde_json::Value::as_bool).unwrap_or(false),
            min_delay,
            max_delay,
            acceptors,
        });
    }
    out
}

impl Lowerer<'_> {
    /// The endpoint rules parameters `op` sets, checked against the service's rules.
    fn endpoint_params(&self, op: &Shape, input: &StructDef, sink: &mut Sink) -> Vec<EndpointParam> {
        let known = |name: &str| self.rule_params.iter().find(|p| p.name == name).map(|p| p.ty);
        let mut out = Vec::new();
        for (name, v) in &op.operation.static_context_params {
            let value = crate::endpoint::value(v);
            match (known(name), value) {
                (Some(_), Some(value)) => out.push(EndpointParam::Static { name: name.clone(), value }),
                (None, _) => sink.error(
                    op.id.clone(),
                    format!("static context parameter `{name}` is not a parameter of the endpoint rules"),
                ),
                (_, None) => {
                    sink.error(op.id.clone(), format!("static context parameter `{name}` has an unusable value {v}"))
                }
            }
        }
        for (name, path) in &op.operation.operation_context_params {
            let at = format!("operation context parameter `{name}`");
            match (known(name), crate::jmespath::parse(path)) {
                (Some(ty), Ok(expr)) => {
                    out.push(EndpointParam::Path { name: name.clone(), ty, path: path.clone(), expr })
                }
                (None, _) => sink.error(op.id.clone(), format!("{at} is not a parameter of the endpoint rules")),
                (_, Err(e)) => sink.error(op.id.clone(), format!("{at}: path `{path}`: {e}")),
            }
        }
        let members = op.input.as_ref().map(|i| &self.model.shape(i).members);
        for m in members.into_iter().flat_map(|ms| ms.values()) {
            let Some(name) = &m.traits.context_param else { continue };
            let Some(f) = input.fields.iter().find(|f| f.member == m.name) else { continue };
            let fits = match (known(name), &f.ty) {
                (Some(awsgen_rules::ParamType::String), Ty::String | Ty::Named { kind: NamedKind::Enum, .. }) => true,
                (Some(awsgen_rules::ParamType::Boolean), Ty::Bool) => true,
                (Some(awsgen_rules::ParamType::StringArray), Ty::List { item, sparse: false, .. }) => {
                    **item == Ty::String
                }
                _ => false,
            };
            if !fits {
                sink.error(
                    format!("{}${}", op.id, m.name),
                    format!("context parameter `{name}` is not an endpoint rules parameter of the member's type"),
                );
                continue;
            }
            out.push(EndpointParam::Member {
                name: name.clone(),
                field: f.name.clone(),
                optional: f.optional(),
                ty: f.ty.clone(),
            });
        }
        out
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
