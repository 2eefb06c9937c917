//! Semantic comparison of two models: what changed in the API of the selected operations, and
//! whether each change breaks code that uses the generated Rust crate, callers on the wire,
//! or both.
//!
//! Verdicts follow smithy-diff's built-in evaluators where they speak about the wire
//! (tightened `@length`/`@range`, const traits such as the HTTP bindings, `@jsonName`,
//! `@timestampFormat` and `@enumValue`, added `@required`, removed members and shapes), and add
//! the Rust view, which differs in a few places on purpose:
//!
//! - removing `@required` from a member of an `@input` structure is compatible on the wire (as
//!   smithy-diff says) but changes the Rust field from `T` to `Option<T>`;
//! - a removed operation error is only a warning for smithy-diff, but removes a variant of the
//!   operation's error enum in Rust;
//! - a changed `@pattern` is a note for smithy-diff; it can reject input that passed before, so
//!   it is reported as breaking on the wire.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::Value;

use crate::model::{Closure, Kind, Member, Model, Shape};
use crate::nullability::{self, Nullability};
use crate::traits::Bounds;

/// What a change does to one audience.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Impact {
    Compatible,
    Breaking,
}

/// One change, with its verdict for Rust users and for wire callers.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Change {
    /// The shape (or `shape$member`) that changed.
    pub shape: String,
    /// What kind of change, e.g. `member-added`.
    pub kind: &'static str,
    pub rust: Impact,
    pub wire: Impact,
    /// What changed and why it has that verdict, in one line.
    pub reason: String,
}

impl Change {
    pub fn breaking(&self) -> bool {
        self.rust == Impact::Breaking || self.wire == Impact::Breaking
    }
}

/// Changes grouped the way a reviewer reads them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Changes that concern one operation (its own shape or shapes only it reaches).
    pub operations: BTreeMap<String, Vec<Change>>,
    /// Changes to shapes several operations reach, with the operations.
    pub shared: Vec<(Change, Vec<String>)>,
    /// Changes to documentation only: counted, not listed.
    pub documentation_changes: usize,
}

impl Report {
    pub fn all(&self) -> impl Iterator<Item = &Change> {
        self.operations.values().flatten().chain(self.shared.iter().map(|(c, _)| c))
    }
    pub fn breaking(&self) -> usize {
        self.all().filter(|c| c.breaking()).count()
    }
    pub fn is_empty(&self) -> bool {
        self.all().next().is_none() && self.documentation_changes == 0
    }
}

use Impact::{Breaking, Compatible};

fn change(
    shape: impl Into<String>,
    kind: &'static str,
    rust: Impact,
    wire: Impact,
    reason: impl Into<String>,
) -> Change {
    Change { shape: shape.into(), kind, rust, wire, reason: reason.into() }
}

/// Traits that change the wire format whenever they change (smithy-diff's "const" traits).
const CONST_TRAITS: &[&str] = &[
    "smithy.api#jsonName",
    "smithy.api#httpLabel",
    "smithy.api#httpQuery",
    "smithy.api#httpQueryParams",
    "smithy.api#httpHeader",
    "smithy.api#httpPrefixHeaders",
    "smithy.api#httpPayload",
    "smithy.api#httpResponseCode",
    "smithy.api#httpError",
    "smithy.api#timestampFormat",
    "smithy.api#sparse",
    "smithy.api#streaming",
    "smithy.api#requiresLength",
    "smithy.api#error",
    "smithy.api#idempotencyToken",
    "smithy.api#mediaType",
];

/// Compares the selected operations of two models.
pub fn compare(old: &Model, old_closure: &Closure, new: &Model, new_closure: &Closure) -> Report {
    let mut changes: Vec<Change> = Vec::new();
    let mut docs = 0;

    // Operations.
    let old_ops: BTreeSet<&String> = old_closure.operations.iter().collect();
    let new_ops: BTreeSet<&String> = new_closure.operations.iter().collect();
    for op in new_ops.difference(&old_ops) {
        changes.push(change(*op, "operation-added", Compatible, Compatible, "new operation"));
    }
    for op in old_ops.difference(&new_ops) {
        changes.push(change(
            *op,
            "operation-removed",
            Breaking,
            Breaking,
            "operation removed: its method and types disappear",
        ));
    }

    // Shapes.
    let in_old: BTreeSet<&String> = old_closure.shapes.iter().filter(|s| !s.starts_with("smithy.api#")).collect();
    let in_new: BTreeSet<&String> = new_closure.shapes.iter().filter(|s| !s.starts_with("smithy.api#")).collect();
    for id in in_new.difference(&in_old) {
        changes.push(change(
            *id,
            "shape-added",
            Compatible,
            Compatible,
            format!("new {} shape", kind_name(new.shape(id))),
        ));
    }
    for id in in_old.difference(&in_new) {
        // Deleting a shape breaks the wire (smithy-diff's RemovedShape); a shape that only stops
        // being used by the selected operations changes nothing that is sent.
        let (wire, what) = if new.get(id).is_some() { (Compatible, "no longer used") } else { (Breaking, "removed") };
        changes.push(change(
            *id,
            "shape-removed",
            Breaking,
            wire,
            format!("{} shape {what}: its Rust type disappears", kind_name(old.shape(id))),
        ));
    }
    for id in in_old.intersection(&in_new) {
        let (o, n) = (old.shape(id), new.shape(id));
        let before = changes.len();
        compare_shape(old, o, new, n, &mut changes);
        if changes.len() == before && o.traits.documentation != n.traits.documentation {
            docs += 1;
        }
        for (name, om) in &o.members {
            if let Some(nm) = n.members.get(name) {
                if om.traits.documentation != nm.traits.documentation {
                    docs += 1;
                }
            }
        }
    }

    // Group by operation: the operations that reach each changed shape.
    let reach = reachers(new, new_closure, old, old_closure);
    let mut report = Report { documentation_changes: docs, ..Report::default() };
    changes.sort();
    for c in changes {
        let base = c.shape.split('$').next().unwrap_or(&c.shape).to_string();
        let ops = reach.get(&base).cloned().unwrap_or_default();
        match ops.as_slice() {
            [one] => report.operations.entry(one.clone()).or_default().push(c),
            [] => report.operations.entry(base.rsplit('#').next().unwrap_or(&base).to_string()).or_default().push(c),
            many => report.shared.push((c, many.to_vec())),
        }
    }
    report
}

fn kind_name(s: &Shape) -> String {
    format!("{:?}", s.kind).to_lowercase()
}

/// For every shape, the operations (by name) whose closure contains it, in either model.
fn reachers(new: &Model, new_closure: &Closure, old: &Model, old_closure: &Closure) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (model, closure) in [(new, new_closure), (old, old_closure)] {
        for op in &closure.operations {
            let name = op.rsplit('#').next().unwrap_or(op).to_string();
            let mut stack = vec![op.clone()];
            let mut seen = BTreeSet::new();
            while let Some(id) = stack.pop() {
                if !seen.insert(id.clone()) {
                    continue;
                }
                out.entry(id.clone()).or_default().insert(name.clone());
                let Some(s) = model.get(&id) else { continue };
                stack.extend(s.input.iter().chain(&s.output).chain(&s.errors).cloned());
                if !matches!(s.kind, Kind::Enum | Kind::IntEnum | Kind::Operation) {
                    stack.extend(s.members.values().map(|m| m.target.clone()));
                }
            }
        }
    }
    out.into_iter().map(|(k, v)| (k, v.into_iter().collect())).collect()
}

fn compare_shape(old: &Model, o: &Shape, new: &Model, n: &Shape, out: &mut Vec<Change>) {
    let id = &n.id;
    if o.kind != n.kind {
        out.push(change(
            id,
            "type-changed",
            Breaking,
            Breaking,
            format!("type changed from {} to {}", kind_name(o), kind_name(n)),
        ));
        return;
    }
    compare_constraints(id, Constraints::of_shape(o), Constraints::of_shape(n), out);
    compare_const_traits(id, &o.raw, &n.raw, out);
    match n.kind {
        Kind::Operation => compare_operation(o, n, out),
        Kind::Enum | Kind::IntEnum => compare_enum(o, n, out),
        Kind::Structure | Kind::Union => compare_members(old, o, new, n, out),
        Kind::List | Kind::Set | Kind::Map => {
            for (name, om) in &o.members {
                if let Some(nm) = n.members.get(name) {
                    if om.target != nm.target {
                        out.push(change(
                            format!("{id}${name}"),
                            "target-changed",
                            Breaking,
                            Breaking,
                            format!("{name} changed from `{}` to `{}`", om.target, nm.target),
                        ));
                    }
                    compare_constraints(
                        &format!("{id}${name}"),
                        Constraints::of_member(om),
                        Constraints::of_member(nm),
                        out,
                    );
                }
            }
        }
        _ => {}
    }
}

fn compare_operation(o: &Shape, n: &Shape, out: &mut Vec<Change>) {
    let id = &n.id;
    for (what, a, b) in [("input", &o.input, &n.input), ("output", &o.output, &n.output)] {
        if a != b {
            out.push(change(id, "io-changed", Breaking, Breaking, format!("{what} changed from {a:?} to {b:?}")));
        }
    }
    let (oe, ne): (BTreeSet<&String>, BTreeSet<&String>) = (o.errors.iter().collect(), n.errors.iter().collect());
    for e in ne.difference(&oe) {
        out.push(change(
            id,
            "error-added",
            Compatible,
            Compatible,
            format!("may now return `{e}` (a new variant of a #[non_exhaustive] error enum)"),
        ));
    }
    for e in oe.difference(&ne) {
        out.push(change(
            id,
            "error-removed",
            Breaking,
            Compatible,
            format!("no longer returns `{e}`: the variant disappears from the error enum"),
        ));
    }
    let (a, b) = (&o.operation.http, &n.operation.http);
    if a != b {
        let show = |h: &Option<crate::traits::Http>| {
            h.as_ref().map_or("none".into(), |h| format!("{} {} ({})", h.method, h.uri, h.code))
        };
        out.push(change(
            id,
            "http-changed",
            Compatible,
            Breaking,
            format!("HTTP binding changed from {} to {}", show(a), show(b)),
        ));
    }
}

fn show(v: Option<&Value>) -> String {
    v.map_or("none".into(), Value::to_string)
}

/// The constraint traits of a shape or member, for comparing.
#[derive(Clone, Copy)]
struct Constraints<'a> {
    length: Option<Bounds<u64>>,
    range: Option<Bounds<f64>>,
    pattern: Option<&'a str>,
}

impl<'a> Constraints<'a> {
    fn of_shape(s: &'a Shape) -> Self {
        Self { length: s.traits.length, range: s.traits.range, pattern: s.traits.pattern.as_deref() }
    }
    fn of_member(m: &'a Member) -> Self {
        Self { length: m.traits.length, range: m.traits.range, pattern: m.traits.pattern.as_deref() }
    }
}

fn enum_values(s: &Shape) -> BTreeMap<String, String> {
    s.members
        .values()
        .map(|m| {
            let v = m
                .traits
                .enum_value
                .as_ref()
                .map_or(m.name.clone(), |v| v.as_str().map_or(v.to_string(), str::to_string));
            (v, m.name.clone())
        })
        .collect()
}

/// Enum members are compared by wire value: a changed `@enumValue` shows as one value removed
/// (breaking) and one added.
fn compare_enum(o: &Shape, n: &Shape, out: &mut Vec<Change>) {
    let id = &n.id;
    let (ov, nv) = (enum_values(o), enum_values(n));
    for (v, name) in &nv {
        if !ov.contains_key(v) {
            out.push(change(
                format!("{id}${name}"),
                "enum-value-added",
                Compatible,
                Compatible,
                format!(
                    "new value {v:?}: a new variant of a #[non_exhaustive] enum; older clients see it as `Unknown`"
                ),
            ));
        }
    }
    for (v, name) in &ov {
        if !nv.contains_key(v) {
            out.push(change(
                format!("{id}${name}"),
                "enum-value-removed",
                Breaking,
                Breaking,
                format!("value {v:?} removed: the variant disappears and the service rejects the value"),
            ));
        }
    }
}

/// The traits of a member's target (default ones for a target the model lacks, which the
/// model's own checks report).
fn target_traits(model: &Model, target: &str) -> crate::traits::ShapeTraits {
    model.shapes.get(target).map(|s| s.traits.clone()).unwrap_or_default()
}

fn compare_members(old: &Model, o: &Shape, new: &Model, n: &Shape, out: &mut Vec<Change>) {
    let id = &n.id;
    let union = n.kind == Kind::Union;
    for (name, nm) in &n.members {
        let loc = format!("{id}${name}");
        let Some(om) = o.members.get(name) else {
            let wire_required = nm.traits.required && nm.traits.default_value().is_none();
            let rust_required =
                nullability::member(&n.traits, &nm.traits, &target_traits(new, &nm.target)) == Nullability::Required;
            if union {
                out.push(change(
                    loc,
                    "member-added",
                    Compatible,
                    Compatible,
                    "new union member; older clients see it as `Unknown`",
                ));
            } else if wire_required && rust_required {
                out.push(change(
                    loc,
                    "member-added",
                    Breaking,
                    Breaking,
                    "new required member: builders fail until it is set, and old callers do not send it",
                ));
            } else if wire_required {
                out.push(change(
                    loc,
                    "member-added",
                    Compatible,
                    Breaking,
                    "new required member, @clientOptional: the Rust field is an Option, but old callers do not send it",
                ));
            } else {
                out.push(change(
                    loc,
                    "member-added",
                    Compatible,
                    Compatible,
                    "new optional member (structs are #[non_exhaustive])",
                ));
            }
            continue;
        };
        compare_member(old, (o, om), new, (n, nm), &loc, out);
    }
    for name in o.members.keys() {
        if !n.members.contains_key(name) {
            out.push(change(
                format!("{id}${name}"),
                "member-removed",
                Breaking,
                Breaking,
                "member removed: its field and setter disappear, and its data is no longer sent or read",
            ));
        }
    }
}

fn compare_member(
    old: &Model,
    (oc, om): (&Shape, &Member),
    new: &Model,
    (nc, nm): (&Shape, &Member),
    loc: &str,
    out: &mut Vec<Change>,
) {
    if om.target != nm.target {
        let same_kind = old.get(&om.target).map(|s| s.kind) == new.get(&nm.target).map(|s| s.kind);
        let why = if same_kind { "the field's Rust type changes" } else { "the value's type changes" };
        out.push(change(
            loc,
            "target-changed",
            Breaking,
            Breaking,
            format!("target changed from `{}` to `{}`: {why}", om.target, nm.target),
        ));
    }
    // The Rust view of every optionality change comes from the one rule lowering uses.
    let (was, now) = (
        nullability::member(&oc.traits, &om.traits, &target_traits(old, &om.target)),
        nullability::member(&nc.traits, &nm.traits, &target_traits(new, &nm.target)),
    );
    let option_changes = was.is_optional() != now.is_optional();
    let rust_type = |wire_why: &str| -> (Impact, String) {
        match (option_changes, now.is_optional()) {
            (true, true) => (Breaking, format!("{wire_why}; the Rust field becomes an Option")),
            (true, false) => (Breaking, format!("{wire_why}; the Rust field stops being an Option")),
            (false, true) => (Compatible, format!("{wire_why}; the Rust field stays an Option")),
            (false, false) => (Compatible, wire_why.to_string()),
        }
    };
    let (o_default, n_default) = (om.traits.default_value(), nm.traits.default_value());
    match (om.traits.required, nm.traits.required) {
        (false, true) if n_default.is_none() => {
            // The builder fails without it from now on, whatever the field's type.
            let (_, why) = rust_type("now required: existing callers may not send it");
            out.push(change(loc, "required-added", Breaking, Breaking, why));
        }
        (true, false) if n_default.is_none() => {
            let input = nc.traits.input;
            let wire = if input { Compatible } else { Breaking };
            let (rust, why) = rust_type(if input {
                "no longer required; fine on the wire (the structure is @input)"
            } else {
                "no longer required: responses may omit it"
            });
            out.push(change(loc, "required-removed", rust, wire, why));
        }
        _ => {}
    }
    match (om.traits.client_optional, nm.traits.client_optional) {
        (false, true) => {
            let (rust, why) = rust_type("now @clientOptional: nothing changes on the wire");
            out.push(change(loc, "client-optional-added", rust, Compatible, why));
        }
        (true, false) => {
            let (rust, why) = rust_type("no longer @clientOptional: nothing changes on the wire");
            out.push(change(loc, "client-optional-removed", rust, Compatible, why));
        }
        _ => {}
    }
    match (o_default, n_default) {
        (Some(a), Some(b)) if a != b => {
            out.push(change(loc, "default-changed", Breaking, Breaking, format!("default changed from {a} to {b}")))
        }
        (None, Some(b)) if !om.traits.required => {
            let (rust, why) = rust_type(&format!("default {b} added to a member that was optional"));
            out.push(change(loc, "default-added", rust, Breaking, why));
        }
        (Some(a), None) => {
            let (_, why) = rust_type(&format!("default {a} removed"));
            out.push(change(loc, "default-removed", Breaking, Breaking, why));
        }
        _ => {}
    }
    compare_constraints(loc, Constraints::of_member(om), Constraints::of_member(nm), out);
    compare_const_traits(loc, &om.raw, &nm.raw, out);
}

fn compare_constraints(loc: &str, o: Constraints<'_>, n: Constraints<'_>, out: &mut Vec<Change>) {
    let length = |b: Option<Bounds<u64>>| b.map(|b| (b.min.map(|x| x as f64), b.max.map(|x| x as f64)));
    let range = |b: Option<Bounds<f64>>| b.map(|b| (b.min, b.max));
    for (label, a, b, zero) in
        [("@length", length(o.length), length(n.length), Some(0.0)), ("@range", range(o.range), range(n.range), None)]
    {
        if a == b {
            continue;
        }
        let (amin, amax) = a.unwrap_or((None, None));
        let (bmin, bmax) = b.unwrap_or((None, None));
        let (amin, bmin) = (amin.or(zero), bmin.or(zero));
        let tighter_min = match (amin, bmin) {
            (None, Some(_)) => true,
            (Some(x), Some(y)) => y > x,
            _ => false,
        };
        let tighter_max = match (amax, bmax) {
            (None, Some(_)) => true,
            (Some(x), Some(y)) => y < x,
            _ => false,
        };
        let fmt = |v: Option<(Option<f64>, Option<f64>)>| match v {
            None => "none".to_string(),
            Some((min, max)) => format!(
                "min {}, max {}",
                min.map_or("-".into(), |x| x.to_string()),
                max.map_or("-".into(), |x| x.to_string())
            ),
        };
        if tighter_min || tighter_max {
            out.push(change(
                loc,
                "constraint-tightened",
                Compatible,
                Breaking,
                format!("{label} tightened ({} to {}): values accepted before are rejected", fmt(a), fmt(b)),
            ));
        } else {
            out.push(change(
                loc,
                "constraint-loosened",
                Compatible,
                Compatible,
                format!("{label} loosened ({} to {})", fmt(a), fmt(b)),
            ));
        }
    }
    match (o.pattern, n.pattern) {
        (a, b) if a == b => {}
        (Some(_), None) => out.push(change(loc, "constraint-loosened", Compatible, Compatible, "@pattern removed")),
        (a, b) => out.push(change(
            loc,
            "pattern-changed",
            Compatible,
            Breaking,
            format!(
                "@pattern changed from {} to {}: values accepted before may be rejected",
                a.map_or("none".into(), |p| format!("{p:?}")),
                b.map_or("none".into(), |p| format!("{p:?}"))
            ),
        )),
    }
}

fn compare_const_traits(loc: &str, o: &BTreeMap<String, Value>, n: &BTreeMap<String, Value>, out: &mut Vec<Change>) {
    for t in CONST_TRAITS {
        let (a, b) = (o.get(*t), n.get(*t));
        if a != b {
            let name = t.trim_start_matches("smithy.api#");
            // Renaming a JSON member or moving it to a header changes the wire, not the Rust API.
            let rust = if matches!(*t, "smithy.api#sparse" | "smithy.api#streaming" | "smithy.api#error") {
                Breaking
            } else {
                Compatible
            };
            out.push(change(
                loc,
                "wire-changed",
                rust,
                Breaking,
                format!("@{name} changed from {} to {}: the value travels differently", show(a), show(b)),
            ));
        }
    }
}

/// Plain-text rendering, for the terminal.
pub fn render_text(r: &Report) -> String {
    render(r, false)
}

/// Markdown rendering, for a pull request.
pub fn render_markdown(r: &Report) -> String {
    render(r, true)
}

fn verdict(c: &Change) -> String {
    match (c.rust, c.wire) {
        (Breaking, Breaking) => "BREAKING (Rust and wire)".into(),
        (Breaking, Compatible) => "BREAKING (Rust API)".into(),
        (Compatible, Breaking) => "BREAKING (wire)".into(),
        (Compatible, Compatible) => "compatible".into(),
    }
}

fn render(r: &Report, md: bool) -> String {
    let mut s = String::new();
    let total = r.all().count();
    let breaking = r.breaking();
    if md {
        s.push_str("## API changes\n\n");
    }
    s.push_str(&format!(
        "{total} change{} ({breaking} breaking), {} documentation-only change{}\n",
        if total == 1 { "" } else { "s" },
        r.documentation_changes,
        if r.documentation_changes == 1 { "" } else { "s" }
    ));
    let line = |c: &Change| {
        if md {
            format!("- **{}** `{}` {}: {}\n", verdict(c), c.shape, c.kind, c.reason)
        } else {
            format!("  [{}] {} {}: {}\n", verdict(c), c.shape, c.kind, c.reason)
        }
    };
    for (op, changes) in &r.operations {
        s.push_str(&if md { format!("\n### {op}\n\n") } else { format!("\n{op}\n") });
        for c in changes {
            s.push_str(&line(c));
        }
    }
    if !r.shared.is_empty() {
        s.push_str(if md { "\n### Shared shapes\n\n" } else { "\nShared shapes\n" });
        for (c, ops) in &r.shared {
            let mut l = line(c);
            l.pop();
            s.push_str(&format!("{l} (used by {})\n", ops.join(", ")));
        }
    }
    s
}

/// JSON rendering, for tools.
pub fn render_json(r: &Report) -> String {
    serde_json::to_string_pretty(&serde_json::json!({
        "breaking": r.breaking(),
        "documentation_changes": r.documentation_changes,
        "operations": r.operations,
        "shared": r.shared.iter().map(|(c, ops)| serde_json::json!({"change": c, "operations": ops})).collect::<Vec<_>>(),
    }))
    .expect("a report serializes")
}
