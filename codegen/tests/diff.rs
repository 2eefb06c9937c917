//! The change report on pairs of small models, one kind of change each, with snapshots.

use codegen::diff::{compare, render_text, Impact, Report};
use codegen::model::Selection;
use codegen::Input;
use serde_json::{json, Value};

fn base() -> Value {
    json!({
        "smithy": "2.0",
        "shapes": {
            "ex#Service": {"type": "service", "version": "1", "operations": [{"target": "ex#PutThing"}, {"target": "ex#GetThing"}],
                           "traits": {"aws.protocols#restJson1": {}}},
            "ex#PutThing": {"type": "operation", "input": {"target": "ex#PutThingInput"}, "output": {"target": "ex#PutThingOutput"},
                            "errors": [{"target": "ex#NotFound"}], "traits": {"smithy.api#http": {"method": "POST", "uri": "/things"}}},
            "ex#GetThing": {"type": "operation", "input": {"target": "ex#GetThingInput"}, "output": {"target": "ex#GetThingOutput"},
                            "traits": {"smithy.api#http": {"method": "GET", "uri": "/things/{id}"}}},
            "ex#PutThingInput": {"type": "structure", "traits": {"smithy.api#input": {}}, "members": {
                "id": {"target": "ex#Id", "traits": {"smithy.api#required": {}}},
                "name": {"target": "smithy.api#String", "traits": {"smithy.api#documentation": "The name."}},
                "size": {"target": "ex#Size"},
                "thing": {"target": "ex#Thing"}
            }},
            "ex#PutThingOutput": {"type": "structure", "traits": {"smithy.api#output": {}}, "members": {
                "arn": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}}}
            }},
            "ex#GetThingInput": {"type": "structure", "traits": {"smithy.api#input": {}}, "members": {
                "id": {"target": "ex#Id", "traits": {"smithy.api#required": {}, "smithy.api#httpLabel": {}}}
            }},
            "ex#GetThingOutput": {"type": "structure", "members": {"thing": {"target": "ex#Thing"}}},
            "ex#Thing": {"type": "structure", "members": {
                "mode": {"target": "ex#Mode"},
                "count": {"target": "smithy.api#Integer", "traits": {"smithy.api#default": 1}},
                "label": {"target": "smithy.api#String", "traits": {"smithy.api#jsonName": "Label"}}
            }},
            "ex#Id": {"type": "string", "traits": {"smithy.api#length": {"min": 1, "max": 64}, "smithy.api#pattern": "^[a-z]+$"}},
            "ex#Size": {"type": "integer", "traits": {"smithy.api#range": {"min": 0, "max": 100}}},
            "ex#Mode": {"type": "enum", "members": {
                "FAST": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "fast"}},
                "SLOW": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "slow"}}
            }},
            "ex#NotFound": {"type": "structure", "members": {"message": {"target": "smithy.api#String"}}, "traits": {"smithy.api#error": "client"}},
            "ex#Conflict": {"type": "structure", "members": {}, "traits": {"smithy.api#error": "client"}}
        }
    })
}

fn report(change: impl FnOnce(&mut Value)) -> Report {
    let old = base();
    let mut new = base();
    change(&mut new);
    let (o, n) = (old.to_string(), new.to_string());
    let load = |t: &str| {
        let m = codegen::load(&[Input { name: "m.json", text: t }]).unwrap();
        let c = codegen::model::closure(&m, &Selection::default()).unwrap();
        (m, c)
    };
    let ((om, oc), (nm, nc)) = (load(&o), load(&n));
    compare(&om, &oc, &nm, &nc)
}

fn shapes(v: &mut Value) -> &mut serde_json::Map<String, Value> {
    v["shapes"].as_object_mut().unwrap()
}

macro_rules! case {
    ($name:ident, $breaking:expr, |$v:ident| $body:block) => {
        #[test]
        fn $name() {
            let r = report(|$v: &mut Value| $body);
            insta::assert_snapshot!(render_text(&r));
            assert_eq!(r.breaking() > 0, $breaking, "{}", render_text(&r));
        }
    };
}

case!(optional_member_added, false, |v| {
    v["shapes"]["ex#Thing"]["members"]["color"] = json!({"target": "smithy.api#String"});
});
case!(required_member_added, true, |v| {
    v["shapes"]["ex#PutThingInput"]["members"]["owner"] =
        json!({"target": "smithy.api#String", "traits": {"smithy.api#required": {}}});
});
case!(member_removed, true, |v| {
    v["shapes"]["ex#Thing"]["members"].as_object_mut().unwrap().remove("label");
});
case!(member_target_changed, true, |v| {
    v["shapes"]["ex#Thing"]["members"]["label"]["target"] = json!("smithy.api#Integer");
});
case!(required_removed_from_input, true, |v| {
    v["shapes"]["ex#PutThingInput"]["members"]["id"]["traits"].as_object_mut().unwrap().remove("smithy.api#required");
});
case!(required_removed_from_output, true, |v| {
    v["shapes"]["ex#PutThingOutput"]["members"]["arn"]["traits"].as_object_mut().unwrap().remove("smithy.api#required");
});
case!(required_added, true, |v| {
    v["shapes"]["ex#PutThingInput"]["members"]["name"]["traits"]["smithy.api#required"] = json!({});
});
case!(default_changed, true, |v| {
    v["shapes"]["ex#Thing"]["members"]["count"]["traits"]["smithy.api#default"] = json!(2);
});
case!(enum_value_added, false, |v| {
    v["shapes"]["ex#Mode"]["members"]["MEDIUM"] =
        json!({"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "medium"}});
});
case!(enum_value_removed, true, |v| {
    v["shapes"]["ex#Mode"]["members"].as_object_mut().unwrap().remove("SLOW");
});
case!(length_tightened, true, |v| {
    v["shapes"]["ex#Id"]["traits"]["smithy.api#length"] = json!({"min": 1, "max": 32});
});
case!(length_loosened, false, |v| {
    v["shapes"]["ex#Id"]["traits"]["smithy.api#length"] = json!({"max": 128});
});
case!(range_tightened, true, |v| {
    v["shapes"]["ex#Size"]["traits"]["smithy.api#range"] = json!({"min": 1, "max": 100});
});
case!(pattern_changed, true, |v| {
    v["shapes"]["ex#Id"]["traits"]["smithy.api#pattern"] = json!("^[a-z0-9]+$");
});
case!(error_added, false, |v| {
    v["shapes"]["ex#PutThing"]["errors"].as_array_mut().unwrap().push(json!({"target": "ex#Conflict"}));
});
case!(error_removed, true, |v| {
    v["shapes"]["ex#PutThing"]["errors"] = json!([]);
});
case!(http_binding_changed, true, |v| {
    v["shapes"]["ex#GetThing"]["traits"]["smithy.api#http"]["uri"] = json!("/v2/things/{id}");
});
case!(json_name_changed, true, |v| {
    v["shapes"]["ex#Thing"]["members"]["label"]["traits"]["smithy.api#jsonName"] = json!("label");
});
case!(shape_added, false, |v| {
    shapes(v)
        .insert("ex#Owner".into(), json!({"type": "structure", "members": {"name": {"target": "smithy.api#String"}}}));
    v["shapes"]["ex#Thing"]["members"]["owner"] = json!({"target": "ex#Owner"});
});
case!(documentation_only, false, |v| {
    v["shapes"]["ex#PutThingInput"]["members"]["name"]["traits"]["smithy.api#documentation"] =
        json!("The thing's name.");
});

#[test]
fn shared_shapes_list_their_operations() {
    let r = report(|v| {
        v["shapes"]["ex#Id"]["traits"]["smithy.api#length"] = json!({"min": 1, "max": 8});
    });
    assert!(r.operations.is_empty());
    assert_eq!(r.shared[0].1, vec!["GetThing".to_string(), "PutThing".to_string()]);
}

/// Whether lowering makes `shape$member` an `Option` in the model `v`.
fn lowered_optional(v: &Value, shape: &str, member: &str) -> bool {
    let text = v.to_string();
    let m = codegen::load(&[Input { name: "m.json", text: &text }]).unwrap();
    let c = codegen::model::closure(&m, &Selection::default()).unwrap();
    let meta = codegen::ir::CrateMeta {
        name: "x".into(),
        version: "0.1.0".into(),
        runtime: codegen::ir::RuntimeDep::Path("../runtime".into()),
        standalone: false,
        compile_in_crate: false,
        protocol: None,
    };
    let ir = codegen::lower::lower(&m, &c, &meta).unwrap();
    let structs = ir.types.values().filter_map(|t| match &t.def {
        codegen::ir::TypeDef::Struct(s) => Some(s),
        _ => None,
    });
    let mut all = structs.chain(ir.operations.iter().flat_map(|o| [&o.input, &o.output]));
    let s = all.find(|s| s.shape_id == shape).unwrap_or_else(|| panic!("no struct {shape}"));
    s.fields.iter().find(|f| f.member == member).unwrap().optional()
}

/// A change to `shape$member`: the report's verdicts, checked against what lowering does to the
/// field. The Rust verdict is breaking exactly when the field's `Option` changes (or, for a
/// member that becomes required, when the builder starts to fail).
fn optionality_case(shape: &str, member: &str, change: impl FnOnce(&mut Value), kind: &str) -> (Impact, Impact) {
    let old = base();
    let mut new = base();
    change(&mut new);
    let r = report(|v| *v = new.clone());
    let loc = format!("{shape}${member}");
    let c = r.all().find(|c| c.shape == loc && c.kind == kind).unwrap_or_else(|| panic!("{}", render_text(&r)));
    let (was, now) = (lowered_optional(&old, shape, member), lowered_optional(&new, shape, member));
    assert_eq!(c.rust == Impact::Breaking, was != now, "{}: lowering says {was} -> {now}", render_text(&r));
    (c.rust, c.wire)
}

#[test]
fn an_input_member_that_gains_a_default_stays_an_option() {
    let verdict = optionality_case(
        "ex#PutThingInput",
        "name",
        |v| v["shapes"]["ex#PutThingInput"]["members"]["name"]["traits"]["smithy.api#default"] = json!("x"),
        "default-added",
    );
    assert_eq!(verdict, (Impact::Compatible, Impact::Breaking));
}

#[test]
fn a_plain_member_that_gains_a_default_stops_being_an_option() {
    let verdict = optionality_case(
        "ex#Thing",
        "label",
        |v| v["shapes"]["ex#Thing"]["members"]["label"]["traits"]["smithy.api#default"] = json!("x"),
        "default-added",
    );
    assert_eq!(verdict, (Impact::Breaking, Impact::Breaking));
}

#[test]
fn a_required_member_that_gains_client_optional_becomes_an_option() {
    let verdict = optionality_case(
        "ex#PutThingInput",
        "id",
        |v| v["shapes"]["ex#PutThingInput"]["members"]["id"]["traits"]["smithy.api#clientOptional"] = json!({}),
        "client-optional-added",
    );
    assert_eq!(verdict, (Impact::Breaking, Impact::Compatible));
}

#[test]
fn an_optional_member_that_gains_client_optional_changes_nothing() {
    let verdict = optionality_case(
        "ex#Thing",
        "label",
        |v| v["shapes"]["ex#Thing"]["members"]["label"]["traits"]["smithy.api#clientOptional"] = json!({}),
        "client-optional-added",
    );
    assert_eq!(verdict, (Impact::Compatible, Impact::Compatible));
}

#[test]
fn a_client_optional_member_that_stops_being_required_stays_an_option() {
    let mut old = base();
    old["shapes"]["ex#PutThingOutput"]["members"]["arn"]["traits"]["smithy.api#clientOptional"] = json!({});
    let mut new = old.clone();
    new["shapes"]["ex#PutThingOutput"]["members"]["arn"]["traits"]
        .as_object_mut()
        .unwrap()
        .remove("smithy.api#required");
    let load = |v: &Value| {
        let t = v.to_string();
        let m = codegen::load(&[Input { name: "m.json", text: &t }]).unwrap();
        let c = codegen::model::closure(&m, &Selection::default()).unwrap();
        (m, c)
    };
    let ((om, oc), (nm, nc)) = (load(&old), load(&new));
    let r = compare(&om, &oc, &nm, &nc);
    let c = r.all().find(|c| c.kind == "required-removed").unwrap();
    assert_eq!((c.rust, c.wire), (Impact::Compatible, Impact::Breaking), "{}", render_text(&r));
    assert!(lowered_optional(&old, "ex#PutThingOutput", "arn") && lowered_optional(&new, "ex#PutThingOutput", "arn"));
}
