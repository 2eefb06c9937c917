//! Resolve stage: turns parsed AST files into one checked model.
//!
//! Named passes, in order: merge files, add the prelude, merge `apply` blocks, flatten mixins,
//! normalise Smithy 1.0 (enum trait, boxing), then check every target. Emitters never see a
//! mixin, an `apply`, a Smithy 1.0 quirk or a dangling reference.

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;
use serde_json::{json, Value};

use crate::ast::{AstMember, AstModel, AstShape};
use crate::diag::{Diagnostics, Sink};
use crate::traits::{MemberTraits, OperationTraits, ServiceTraits, ShapeTraits};

pub use crate::traits::RawTraits as Traits;

/// The Smithy shape types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Blob,
    Boolean,
    String,
    Byte,
    Short,
    Integer,
    Long,
    Float,
    Double,
    BigInteger,
    BigDecimal,
    Timestamp,
    Document,
    Enum,
    IntEnum,
    List,
    Set,
    Map,
    Structure,
    Union,
    Service,
    Operation,
    Resource,
}

impl Kind {
    fn parse(s: &str) -> Option<Kind> {
        Some(match s {
            "blob" => Kind::Blob,
            "boolean" => Kind::Boolean,
            "string" => Kind::String,
            "byte" => Kind::Byte,
            "short" => Kind::Short,
            "integer" => Kind::Integer,
            "long" => Kind::Long,
            "float" => Kind::Float,
            "double" => Kind::Double,
            "bigInteger" => Kind::BigInteger,
            "bigDecimal" => Kind::BigDecimal,
            "timestamp" => Kind::Timestamp,
            "document" => Kind::Document,
            "enum" => Kind::Enum,
            "intEnum" => Kind::IntEnum,
            "list" => Kind::List,
            "set" => Kind::Set,
            "map" => Kind::Map,
            "structure" => Kind::Structure,
            "union" => Kind::Union,
            "service" => Kind::Service,
            "operation" => Kind::Operation,
            "resource" => Kind::Resource,
            _ => return None,
        })
    }

    pub fn is_number_or_bool(self) -> bool {
        matches!(
            self,
            Kind::Boolean | Kind::Byte | Kind::Short | Kind::Integer | Kind::Long | Kind::Float | Kind::Double
        )
    }
}

/// A member of an aggregate shape, with its target's absolute shape id.
#[derive(Debug, Clone)]
pub struct Member {
    pub name: String,
    pub target: String,
    /// The traits as written (after `apply` and mixins), for the change report.
    pub raw: Traits,
    /// The traits the generator understands, decoded.
    pub traits: MemberTraits,
}

/// One resolved shape.
#[derive(Debug, Clone)]
pub struct Shape {
    pub id: String,
    pub kind: Kind,
    /// The traits as written (after `apply` and mixins), for the change report.
    pub raw: Traits,
    /// The traits of any shape the generator understands, decoded.
    pub traits: ShapeTraits,
    /// Operation traits, decoded; empty for other shapes.
    pub operation: OperationTraits,
    /// Service traits, decoded; empty for other shapes.
    pub service: ServiceTraits,
    /// Structure, union, enum and intEnum members by name, in model order (mixin members
    /// first); `member` for lists and sets; `key` and `value` for maps.
    pub members: IndexMap<String, Member>,
    pub input: Option<String>,
    pub output: Option<String>,
    pub errors: Vec<String>,
    /// Services and resources: operations bound directly.
    pub operations: Vec<String>,
    pub resources: Vec<String>,
    pub version: Option<String>,
    /// Services: shape ids renamed in this service's closure (to resolve name conflicts).
    pub rename: BTreeMap<String, String>,
}

impl Shape {
    /// The part of the id after `#`.
    pub fn name(&self) -> &str {
        shape_name(&self.id)
    }
}

pub fn shape_name(id: &str) -> &str {
    id.rsplit_once('#').map_or(id, |(_, n)| n)
}

/// The resolved model: every shape, prelude included, keyed by absolute shape id.
#[derive(Debug, Clone, Default)]
pub struct Model {
    pub shapes: BTreeMap<String, Shape>,
}

impl Model {
    pub fn get(&self, id: &str) -> Option<&Shape> {
        self.shapes.get(id)
    }
    /// A shape known to exist (checked by [`resolve`]).
    pub fn shape(&self, id: &str) -> &Shape {
        &self.shapes[id]
    }
}

pub const UNIT: &str = "smithy.api#Unit";

fn prelude() -> Vec<(&'static str, Kind, Traits)> {
    let t = |pairs: &[(&str, Value)]| -> Traits { pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect() };
    let d0 = |v: Value| t(&[("smithy.api#default", v)]);
    vec![
        ("String", Kind::String, Traits::new()),
        ("Blob", Kind::Blob, Traits::new()),
        ("BigInteger", Kind::BigInteger, Traits::new()),
        ("BigDecimal", Kind::BigDecimal, Traits::new()),
        ("Timestamp", Kind::Timestamp, Traits::new()),
        ("Document", Kind::Document, Traits::new()),
        ("Boolean", Kind::Boolean, Traits::new()),
        ("Byte", Kind::Byte, Traits::new()),
        ("Short", Kind::Short, Traits::new()),
        ("Integer", Kind::Integer, Traits::new()),
        ("Long", Kind::Long, Traits::new()),
        ("Float", Kind::Float, Traits::new()),
        ("Double", Kind::Double, Traits::new()),
        ("PrimitiveBoolean", Kind::Boolean, d0(json!(false))),
        ("PrimitiveByte", Kind::Byte, d0(json!(0))),
        ("PrimitiveShort", Kind::Short, d0(json!(0))),
        ("PrimitiveInteger", Kind::Integer, d0(json!(0))),
        ("PrimitiveLong", Kind::Long, d0(json!(0))),
        ("PrimitiveFloat", Kind::Float, d0(json!(0))),
        ("PrimitiveDouble", Kind::Double, d0(json!(0))),
        ("Unit", Kind::Structure, t(&[("smithy.api#unitType", json!({}))])),
    ]
}

/// One parsed input file.
pub struct Source {
    pub file: String,
    pub ast: AstModel,
}

/// Runs every resolve pass and checks every reference. All problems are collected.
pub fn resolve(sources: Vec<Source>) -> Result<Model, Diagnostics> {
    let mut sink = Sink::default();
    let mut shapes: BTreeMap<String, Shape> = BTreeMap::new();
    let mut applies: Vec<(String, Traits)> = Vec::new();
    let mut mixin_refs: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut v1_shapes: BTreeSet<String> = BTreeSet::new();

    for (name, kind, traits) in prelude() {
        let id = format!("smithy.api#{name}");
        shapes.insert(id.clone(), new_shape(id, kind, traits));
    }

    for Source { file, ast } in sources {
        let v1 = match ast.smithy.as_str() {
            "2" | "2.0" => false,
            "1" | "1.0" => true,
            other => {
                sink.error(file.clone(), format!("unsupported Smithy version `{other}` (expected 1.0 or 2.0)"));
                continue;
            }
        };
        for (id, s) in ast.shapes {
            if !id.contains('#') {
                sink.error(id.clone(), "shape id has no namespace (expected `namespace#Name`)");
                continue;
            }
            if s.kind == "apply" {
                applies.push((id, s.traits));
                continue;
            }
            let Some(kind) = Kind::parse(&s.kind) else {
                sink.error(id.clone(), format!("unsupported shape type `{}`", s.kind));
                continue;
            };
            if shapes.contains_key(&id) {
                sink.error(id.clone(), "shape is defined more than once");
                continue;
            }
            if v1 {
                v1_shapes.insert(id.clone());
            }
            if !s.mixins.is_empty() {
                mixin_refs.insert(id.clone(), s.mixins.iter().map(|r| r.target.clone()).collect());
            }
            let shape = from_ast(&id, kind, s, &mut sink);
            shapes.insert(id, shape);
        }
    }

    apply_traits(&mut shapes, applies, &mut sink);
    flatten_mixins(&mut shapes, &mixin_refs, &mut sink);
    normalise_v1(&mut shapes, &v1_shapes);
    enum_trait_to_enum(&mut shapes, &mut sink);
    check_targets(&shapes, &mut sink);
    if !sink.is_empty() {
        // Later passes follow targets; with dangling ones they would only add noise.
        return sink.finish(Model { shapes });
    }
    decode_traits(&mut shapes, &mut sink);
    check_recursion(&shapes, &mut sink);

    sink.finish(Model { shapes })
}

fn new_shape(id: String, kind: Kind, raw: Traits) -> Shape {
    Shape {
        id,
        kind,
        raw,
        traits: ShapeTraits::default(),
        operation: OperationTraits::default(),
        service: ServiceTraits::default(),
        members: IndexMap::new(),
        input: None,
        output: None,
        errors: Vec::new(),
        operations: Vec::new(),
        resources: Vec::new(),
        version: None,
        rename: BTreeMap::new(),
    }
}

fn member(name: &str, m: AstMember) -> Member {
    Member { name: name.to_string(), target: m.target, raw: m.traits, traits: MemberTraits::default() }
}

fn from_ast(id: &str, kind: Kind, s: AstShape, sink: &mut Sink) -> Shape {
    let mut shape = new_shape(id.to_string(), kind, s.traits);
    match kind {
        Kind::List | Kind::Set => match s.member {
            Some(m) => {
                shape.members.insert("member".into(), member("member", m));
            }
            None => sink.error(id, "list shape has no `member`"),
        },
        Kind::Map => {
            for (name, m) in [("key", s.key), ("value", s.value)] {
                match m {
                    Some(m) => {
                        shape.members.insert(name.into(), member(name, m));
                    }
                    None => sink.error(id, format!("map shape has no `{name}`")),
                }
            }
        }
        _ => {
            for (name, m) in s.members {
                let m = member(&name, m);
                shape.members.insert(name, m);
            }
        }
    }
    let target = |r: Option<crate::ast::AstRef>| r.map(|r| r.target);
    shape.input = target(s.input);
    shape.output = target(s.output);
    shape.errors = s.errors.into_iter().map(|r| r.target).collect();
    shape.operations = s.operations.into_iter().map(|r| r.target).collect();
    shape.operations.extend(s.collection_operations.into_iter().map(|r| r.target));
    for r in [s.create, s.put, s.read, s.update, s.delete, s.list].into_iter().flatten() {
        shape.operations.push(r.target);
    }
    shape.resources = s.resources.into_iter().map(|r| r.target).collect();
    shape.version = s.version;
    shape.rename = s.rename;
    shape
}

/// `apply` blocks add traits to a shape or to a member (`ns#Shape$member`).
fn apply_traits(shapes: &mut BTreeMap<String, Shape>, applies: Vec<(String, Traits)>, sink: &mut Sink) {
    for (id, traits) in applies {
        let (shape_id, member_name) = match id.split_once('$') {
            Some((s, m)) => (s, Some(m)),
            None => (id.as_str(), None),
        };
        let Some(shape) = shapes.get_mut(shape_id) else {
            sink.error(id.clone(), "`apply` names a shape that is not defined");
            continue;
        };
        match member_name {
            None => shape.raw.extend(traits),
            Some(m) => match shape.members.get_mut(m) {
                Some(member) => member.raw.extend(traits),
                None => sink.error(id.clone(), "`apply` names a member that is not defined"),
            },
        }
    }
}

/// Copies the members and traits of mixins into the shapes that use them, depth first.
fn flatten_mixins(shapes: &mut BTreeMap<String, Shape>, refs: &BTreeMap<String, Vec<String>>, sink: &mut Sink) {
    fn visit(
        id: &str,
        shapes: &mut BTreeMap<String, Shape>,
        refs: &BTreeMap<String, Vec<String>>,
        done: &mut BTreeSet<String>,
        stack: &mut Vec<String>,
        sink: &mut Sink,
    ) {
        if done.contains(id) {
            return;
        }
        if stack.iter().any(|s| s == id) {
            sink.error(id, "mixins form a cycle");
            return;
        }
        stack.push(id.to_string());
        let mut members = IndexMap::new();
        let mut traits = Traits::new();
        for mixin in refs.get(id).into_iter().flatten() {
            let Some(m) = shapes.get(mixin) else {
                sink.error(id, format!("mixin `{mixin}` is not defined"));
                continue;
            };
            if !m.raw.contains_key("smithy.api#mixin") {
                sink.error(id, format!("`{mixin}` is used as a mixin but has no @mixin trait"));
                continue;
            }
            visit(mixin, shapes, refs, done, stack, sink);
            let m = &shapes[mixin];
            let local: BTreeSet<String> = m.raw["smithy.api#mixin"]
                .get("localTraits")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
                .unwrap_or_default();
            for (k, v) in &m.raw {
                if k != "smithy.api#mixin" && !local.contains(k) {
                    traits.insert(k.clone(), v.clone());
                }
            }
            members.extend(m.members.clone());
        }
        stack.pop();
        done.insert(id.to_string());
        let shape = shapes.get_mut(id).expect("visited shapes exist");
        for (name, own) in std::mem::take(&mut shape.members) {
            match members.get_mut(&name) {
                Some(inherited) => inherited.raw.extend(own.raw),
                None => {
                    members.insert(name, own);
                }
            }
        }
        shape.members = members;
        traits.extend(std::mem::take(&mut shape.raw));
        shape.raw = traits;
    }
    let mut done = BTreeSet::new();
    for id in refs.keys() {
        visit(id, shapes, refs, &mut done, &mut Vec::new(), sink);
    }
}

/// Smithy 1.0: a member that targets a number or boolean without `@box` is non-null with a zero
/// default, as the 2.0 conversion rules say.
fn normalise_v1(shapes: &mut BTreeMap<String, Shape>, v1: &BTreeSet<String>) {
    let unboxed: BTreeMap<String, Value> = shapes
        .values()
        .filter(|s| s.kind.is_number_or_bool() && !s.raw.contains_key("smithy.api#box"))
        .filter(|s| v1.contains(&s.id) || s.id.starts_with("smithy.api#Primitive"))
        .map(|s| (s.id.clone(), if s.kind == Kind::Boolean { json!(false) } else { json!(0) }))
        .collect();
    for id in v1 {
        let shape = shapes.get_mut(id).expect("v1 shapes exist");
        if shape.kind != Kind::Structure {
            continue;
        }
        for m in shape.members.values_mut() {
            if ["smithy.api#box", "smithy.api#default", "smithy.api#required"].iter().any(|t| m.raw.contains_key(*t)) {
                continue;
            }
            if let Some(zero) = unboxed.get(&m.target) {
                m.raw.insert("smithy.api#default".into(), zero.clone());
            }
        }
    }
}

/// A string with the (deprecated) `@enum` trait becomes an enum shape whose members carry
/// `@enumValue`, so later stages know one kind of enum.
fn enum_trait_to_enum(shapes: &mut BTreeMap<String, Shape>, sink: &mut Sink) {
    for shape in shapes.values_mut() {
        let Some(def) = shape.raw.get("smithy.api#enum").cloned() else { continue };
        if shape.kind != Kind::String {
            continue;
        }
        let Some(entries) = def.as_array() else {
            sink.error(shape.id.clone(), "@enum trait is not a list");
            continue;
        };
        let mut members = IndexMap::new();
        for e in entries {
            let Some(value) = e.get("value").and_then(Value::as_str) else {
                sink.error(shape.id.clone(), "@enum entry has no string `value`");
                continue;
            };
            let name = e.get("name").and_then(Value::as_str).unwrap_or(value).to_string();
            let mut traits = Traits::new();
            traits.insert("smithy.api#enumValue".into(), json!(value));
            if let Some(doc) = e.get("documentation") {
                traits.insert("smithy.api#documentation".into(), doc.clone());
            }
            if e.get("deprecated").and_then(Value::as_bool) == Some(true) {
                traits.insert("smithy.api#deprecated".into(), json!({}));
            }
            if members.contains_key(&name) {
                sink.error(format!("{}${name}", shape.id), "@enum trait defines this name twice");
                continue;
            }
            members.insert(name.clone(), Member { name, target: UNIT.into(), raw: traits, traits: Default::default() });
        }
        shape.kind = Kind::Enum;
        shape.raw.remove("smithy.api#enum");
        shape.members = members;
    }
}

/// Decodes the traits the generator understands into typed fields ([`crate::traits`]), once,
/// after every pass that adds or moves traits.
fn decode_traits(shapes: &mut BTreeMap<String, Shape>, sink: &mut Sink) {
    for shape in shapes.values_mut() {
        shape.traits = crate::traits::shape_traits(&shape.raw, &shape.id, sink);
        match shape.kind {
            Kind::Operation => shape.operation = crate::traits::operation_traits(&shape.raw, &shape.id, sink),
            Kind::Service => shape.service = crate::traits::service_traits(&shape.raw, &shape.id, sink),
            _ => {}
        }
        for m in shape.members.values_mut() {
            m.traits = crate::traits::member_traits(&m.raw, &format!("{}${}", shape.id, m.name), sink);
        }
    }
}

/// Smithy's limits on recursion, checked over the whole model:
///
/// - a list or map may contain itself only through a structure or union (a `Vec` of itself has
///   no Rust type, and no language can build one);
/// - a cycle of structures whose members are all `@required` has no finite value.
fn check_recursion(shapes: &BTreeMap<String, Shape>, sink: &mut Sink) {
    // Collections: edges from lists and maps to the collections they hold directly.
    let collections: Vec<&str> = shapes
        .values()
        .filter(|s| matches!(s.kind, Kind::List | Kind::Set | Kind::Map))
        .map(|s| s.id.as_str())
        .collect();
    let collection_edges = |id: &str| -> Vec<(String, &str)> {
        shapes[id]
            .members
            .values()
            .filter(|m| shapes.get(&m.target).is_some_and(|t| matches!(t.kind, Kind::List | Kind::Set | Kind::Map)))
            .map(|m| (m.name.clone(), m.target.as_str()))
            .collect()
    };
    for cycle in cycles(&collections, collection_edges) {
        sink.error(
            cycle[0].clone(),
            format!(
                "a list or map contains itself without a structure or union in between: {}; Smithy \
                 allows recursion only through a structure or union member",
                cycle.join(" > ")
            ),
        );
    }
    // Structures: edges along `@required` members to structures (lists, maps and unions may be
    // empty or pick another member, so they end a required chain).
    let structures: Vec<&str> = shapes.values().filter(|s| s.kind == Kind::Structure).map(|s| s.id.as_str()).collect();
    let required_edges = |id: &str| -> Vec<(String, &str)> {
        shapes[id]
            .members
            .values()
            .filter(|m| m.traits.required && m.traits.default_value().is_none())
            .filter(|m| shapes.get(&m.target).is_some_and(|t| t.kind == Kind::Structure))
            .map(|m| (m.name.clone(), m.target.as_str()))
            .collect()
    };
    for cycle in cycles(&structures, required_edges) {
        sink.error(
            cycle[0].clone(),
            format!(
                "structures contain each other through @required members only, so no finite value \
                 exists: {}; make one member of the cycle optional",
                cycle.join(" > ")
            ),
        );
    }
}

/// One cycle per strongly connected component that has one, as the path of shape and member
/// ids from its smallest shape id back to itself; `edges` gives `(member name, target)` pairs.
fn cycles<'a>(nodes: &[&'a str], edges: impl Fn(&str) -> Vec<(String, &'a str)>) -> Vec<Vec<String>> {
    let index: BTreeMap<&str, usize> = nodes.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let adjacency: Vec<Vec<(String, usize)>> =
        nodes.iter().map(|n| edges(n).into_iter().filter_map(|(m, t)| Some((m, *index.get(t)?))).collect()).collect();
    let plain: Vec<Vec<usize>> = adjacency.iter().map(|e| e.iter().map(|(_, t)| *t).collect()).collect();
    let comp = crate::graph::tarjan(&plain);
    let mut out = Vec::new();
    let mut reported = BTreeSet::new();
    for (i, node) in nodes.iter().enumerate() {
        let c = comp[i];
        let cyclic = adjacency[i].iter().any(|(_, t)| comp[*t] == c);
        if !cyclic || !reported.insert(c) {
            continue;
        }
        // Walk inside the component from the first node (nodes are sorted) until it repeats.
        let mut path = vec![node.to_string()];
        let mut seen = BTreeSet::from([i]);
        let mut at = i;
        loop {
            let (member, next) = adjacency[at].iter().find(|(_, t)| comp[*t] == c).expect("a cyclic component");
            path.push(format!("{}${member}", nodes[at]));
            path.push(nodes[*next].to_string());
            if !seen.insert(*next) {
                // Start the report where the loop starts.
                let start = path.iter().step_by(2).position(|p| p == nodes[*next]).unwrap_or(0) * 2;
                path.drain(..start);
                break;
            }
            at = *next;
        }
        out.push(path);
    }
    out
}

fn check_targets(shapes: &BTreeMap<String, Shape>, sink: &mut Sink) {
    for s in shapes.values() {
        for m in s.members.values() {
            if matches!(s.kind, Kind::Enum | Kind::IntEnum) {
                continue;
            }
            if !shapes.contains_key(&m.target) {
                sink.error(format!("{}${}", s.id, m.name), format!("targets `{}`, which is not defined", m.target));
            }
        }
        let refs = s.input.iter().chain(&s.output).chain(&s.errors).chain(&s.operations).chain(&s.resources);
        for r in refs {
            if !shapes.contains_key(r) {
                sink.error(s.id.clone(), format!("refers to `{r}`, which is not defined"));
            }
        }
    }
}

/// What to generate: a service and, optionally, a subset of its operations.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// The service shape id; may be omitted when the model has exactly one service.
    pub service: Option<String>,
    /// Operations by name (`UpdateFlow`) or shape id; empty means all of the service's operations.
    pub operations: Vec<String>,
}

/// The selected service with its operations and the closure of every shape they reach.
#[derive(Debug, Clone)]
pub struct Closure {
    pub service: String,
    pub operations: Vec<String>,
    pub shapes: BTreeSet<String>,
    /// Operations left out because they use something not supported yet (and why), when the
    /// whole service was selected.
    pub skipped: Vec<crate::diag::Diagnostic>,
}

/// Why an operation cannot be generated yet, if it cannot: event streams anywhere in its input
/// or output.
fn unsupported_operation(model: &Model, op: &Shape) -> Option<String> {
    for io in op.input.iter().chain(&op.output) {
        let Some(s) = model.get(io) else { continue };
        for m in s.members.values() {
            if let Some(t) = model.get(&m.target) {
                if t.kind == Kind::Union && t.traits.streaming {
                    return Some(format!("uses the event stream `{}`; event streams are not supported yet", t.id));
                }
            }
        }
    }
    None
}

/// Finds the service and operations and walks everything they reach.
pub fn closure(model: &Model, sel: &Selection) -> Result<Closure, Diagnostics> {
    let mut sink = Sink::default();
    let services: Vec<&Shape> = model.shapes.values().filter(|s| s.kind == Kind::Service).collect();
    let service = match &sel.service {
        Some(id) => match model.get(id).or_else(|| services.iter().copied().find(|s| s.name() == id)) {
            Some(s) if s.kind == Kind::Service => s,
            Some(_) => return Err(one(id, "is not a service shape")),
            None => return Err(one(id, "no such service in the model")),
        },
        None => match services.as_slice() {
            [s] => *s,
            [] => return Err(one("model", "defines no service shape")),
            many => {
                let ids: Vec<&str> = many.iter().map(|s| s.id.as_str()).collect();
                return Err(one(
                    "model",
                    format!("defines several services ({}); choose one with --service", ids.join(", ")),
                ));
            }
        },
    };

    let all = service_operations(model, service);
    let mut skipped = Vec::new();
    let operations: Vec<String> = if sel.operations.is_empty() {
        let mut ops = Vec::new();
        for id in &all {
            match unsupported_operation(model, model.shape(id)) {
                Some(why) => skipped.push(crate::diag::Diagnostic::new(id.clone(), format!("left out: {why}"))),
                None => ops.push(id.clone()),
            }
        }
        ops
    } else {
        let mut chosen = Vec::new();
        for want in &sel.operations {
            match all.iter().find(|id| *id == want || shape_name(id) == want) {
                Some(id) => match unsupported_operation(model, model.shape(id)) {
                    Some(why) => sink.error(id.clone(), why),
                    None => chosen.push(id.clone()),
                },
                None => sink.error(service.id.clone(), format!("has no operation `{want}`")),
            }
        }
        chosen.sort();
        chosen.dedup();
        chosen
    };

    let mut seen = BTreeSet::new();
    let mut stack: Vec<String> = service.errors.clone();
    for op in &operations {
        let o = model.shape(op);
        stack.push(op.clone());
        stack.extend(o.input.iter().chain(&o.output).chain(&o.errors).cloned());
    }
    while let Some(id) = stack.pop() {
        if !seen.insert(id.clone()) {
            continue;
        }
        let Some(s) = model.get(&id) else { continue };
        if s.kind == Kind::Operation || matches!(s.kind, Kind::Enum | Kind::IntEnum) {
            continue;
        }
        stack.extend(s.members.values().map(|m| m.target.clone()));
    }
    seen.insert(service.id.clone());
    sink.finish(Closure { service: service.id.clone(), operations, shapes: seen, skipped })
}

fn one(loc: impl Into<String>, msg: impl Into<String>) -> Diagnostics {
    Diagnostics::from_vec(vec![crate::diag::Diagnostic::new(loc, msg)])
}

/// Every operation bound to the service directly or through its resources, sorted.
fn service_operations(model: &Model, service: &Shape) -> BTreeSet<String> {
    let mut ops = BTreeSet::new();
    let mut stack = vec![service.id.clone()];
    let mut seen = BTreeSet::new();
    while let Some(id) = stack.pop() {
        if !seen.insert(id.clone()) {
            continue;
        }
        let Some(s) = model.get(&id) else { continue };
        ops.extend(s.operations.iter().filter(|o| model.get(o).is_some()).cloned());
        stack.extend(s.resources.iter().cloned());
    }
    ops
}
