//! The change report on real history: the upstream AppFlow model against the project's
//! (documentation only), and hand-made variants with realistic changes, each classified as
//! smithy-diff would (with the Rust view on top), and each touching only the generated files of
//! the shapes involved.

use std::collections::BTreeSet;

use codegen::diff::{compare, render_markdown, Impact, Report};
use codegen::{Config, Input};
use integration_tests::{shared_dir, workspace_root};
use serde_json::{json, Value};

fn config() -> Config {
    let text = std::fs::read_to_string(workspace_root().join("model/codegen.toml")).unwrap();
    Config::parse("model/codegen.toml", &text).unwrap()
}

fn project_model() -> Value {
    serde_json::from_str(&std::fs::read_to_string(workspace_root().join("model/appflow.json")).unwrap()).unwrap()
}

fn report(old: &str, new: &str) -> Report {
    let sel = config().selection();
    let load = |t: &str| {
        let m = codegen::load(&[Input { name: "m", text: t }]).unwrap();
        let c = codegen::model::closure(&m, &sel).unwrap();
        (m, c)
    };
    let ((om, oc), (nm, nc)) = (load(old), load(new));
    compare(&om, &oc, &nm, &nc)
}

/// The generated files that differ between two models.
fn touched(old: &str, new: &str) -> BTreeSet<String> {
    let gen = |t: &str| codegen::generate(&[Input { name: "m", text: t }], &config()).unwrap().files.0;
    let (a, b) = (gen(old), gen(new));
    a.keys().chain(b.keys()).filter(|k| a.get(*k) != b.get(*k)).cloned().collect()
}

const S: &str = "com.amazonaws.appflow#";

fn variant(change: impl FnOnce(&mut Value)) -> (String, String) {
    let base = project_model();
    let mut v = base.clone();
    change(&mut v);
    (base.to_string(), v.to_string())
}

#[test]
fn upstream_against_ours_differs_in_documentation_only() {
    let Some(shared) = shared_dir() else { return };
    let upstream = std::fs::read_to_string(shared.join("models/appflow.json")).unwrap();
    let r = report(&upstream, &project_model().to_string());
    assert_eq!(r.all().count(), 0, "{}", render_markdown(&r));
    assert_eq!(r.documentation_changes, 368);
}

#[test]
fn a_member_added_to_destination_flow_config_is_compatible() {
    let (old, new) = variant(|v| {
        v["shapes"][format!("{S}DestinationFlowConfig")]["members"]["retryPolicy"] =
            json!({"target": format!("{S}String")});
    });
    let r = report(&old, &new);
    let c: Vec<_> = r.all().collect();
    assert_eq!(c.len(), 1, "{}", render_markdown(&r));
    assert_eq!((c[0].kind, c[0].rust, c[0].wire), ("member-added", Impact::Compatible, Impact::Compatible));
    assert_eq!(touched(&old, &new), BTreeSet::from(["src/types/destination_flow_config.rs".to_string()]));
}

#[test]
fn an_enum_value_removed_from_connector_type_is_breaking() {
    let (old, new) = variant(|v| {
        v["shapes"][format!("{S}ConnectorType")]["members"].as_object_mut().unwrap().remove("HONEYCODE");
    });
    let r = report(&old, &new);
    let c: Vec<_> = r.all().collect();
    assert_eq!(c.len(), 1, "{}", render_markdown(&r));
    assert_eq!((c[0].kind, c[0].rust, c[0].wire), ("enum-value-removed", Impact::Breaking, Impact::Breaking));
    assert_eq!(touched(&old, &new), BTreeSet::from(["src/types/connector_type.rs".to_string()]));
}

#[test]
fn flow_name_made_optional_breaks_the_rust_api_not_the_wire() {
    let (old, new) = variant(|v| {
        v["shapes"][format!("{S}UpdateFlowRequest")]["members"]["flowName"]["traits"]
            .as_object_mut()
            .unwrap()
            .remove("smithy.api#required");
    });
    let r = report(&old, &new);
    let c: Vec<_> = r.all().collect();
    assert_eq!(c.len(), 1, "{}", render_markdown(&r));
    // smithy-diff: compatible (the structure has @input). Rust: `String` becomes `Option<String>`.
    assert_eq!((c[0].kind, c[0].rust, c[0].wire), ("required-removed", Impact::Breaking, Impact::Compatible));
    assert_eq!(r.operations.keys().collect::<Vec<_>>(), vec!["UpdateFlow"]);
    assert_eq!(touched(&old, &new), BTreeSet::from(["src/operation/update_flow.rs".to_string()]));
}

#[test]
fn a_new_error_on_update_flow_is_compatible() {
    let (old, new) = variant(|v| {
        v["shapes"][format!("{S}UpdateFlow")]["errors"]
            .as_array_mut()
            .unwrap()
            .push(json!({"target": format!("{S}ThrottlingException")}));
    });
    let r = report(&old, &new);
    let c: Vec<_> = r.all().collect();
    assert_eq!(c.len(), 1, "{}", render_markdown(&r));
    assert_eq!((c[0].kind, c[0].rust, c[0].wire), ("error-added", Impact::Compatible, Impact::Compatible));
    assert_eq!(touched(&old, &new), BTreeSet::from(["src/operation/update_flow.rs".to_string()]));
}

#[test]
fn the_markdown_report_is_ready_for_a_pull_request() {
    let (old, new) = variant(|v| {
        v["shapes"][format!("{S}ConnectorType")]["members"].as_object_mut().unwrap().remove("HONEYCODE");
        v["shapes"][format!("{S}DestinationFlowConfig")]["members"]["retryPolicy"] =
            json!({"target": format!("{S}String")});
    });
    insta::assert_snapshot!(render_markdown(&report(&old, &new)));
}
