//! Snapshot tests: the generated files of small fixture models, one feature each, and the error
//! text for invalid models. Update with `cargo insta review`; CI never writes snapshots.

use std::path::Path;

use codegen::config::CrateConfig;
use codegen::{Config, Input};
use serde_json::json;

fn config(service: Option<&str>, operations: &[&str]) -> Config {
    Config {
        model: "fixture.json".into(),
        service: service.map(String::from),
        operations: operations.iter().map(|s| s.to_string()).collect(),
        protocol: None,
        krate: CrateConfig {
            name: "fixture".into(),
            version: "0.1.0".into(),
            runtime: codegen::ir::RuntimeDep::Path("../runtime".into()),
            standalone: false,
            compile_in_crate: false,
        },
    }
}

fn fixture(dir: &str, name: &str) -> (String, String) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(dir).join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (format!("fixtures/{dir}/{name}.json"), text)
}

/// Every generated file, each under a `=== path ===` line.
fn render(files: &codegen::Files) -> String {
    files.0.iter().map(|(path, text)| format!("=== {path} ===\n{text}")).collect::<Vec<_>>().join("\n")
}

fn generate_ok(name: &str) -> String {
    let (file, text) = fixture("ok", name);
    match codegen::generate(&[Input { name: &file, text: &text }], &config(None, &[])) {
        Ok(g) => render(&g.files),
        Err(d) => panic!("{name} should generate:\n{d}"),
    }
}

fn generate_err(name: &str, service: Option<&str>, operations: &[&str]) -> String {
    let (file, text) = fixture("invalid", name);
    match codegen::generate(&[Input { name: &file, text: &text }], &config(service, operations)) {
        Ok(_) => panic!("{name} should fail"),
        Err(d) => d.to_string(),
    }
}

macro_rules! ok_fixture {
    ($($name:ident),* $(,)?) => {$(
        #[test]
        fn $name() {
            insta::assert_snapshot!(generate_ok(stringify!($name)));
        }
    )*};
}

mod ok {
    use super::*;
    ok_fixture!(
        structure,
        enums,
        union,
        collections,
        scalars,
        recursive,
        naming,
        mixins,
        smithy1,
        endpoints,
        context_params,
        waiters,
        cbor,
        streaming
    );
}

mod invalid {
    use super::*;

    #[test]
    fn truncated_json_names_file_line_and_column() {
        insta::assert_snapshot!(generate_err("truncated", None, &[]));
    }

    #[test]
    fn wrong_json_type_names_the_path() {
        insta::assert_snapshot!(generate_err("wrong_json_type", None, &[]));
    }

    #[test]
    fn model_errors_are_all_reported_sorted() {
        insta::assert_snapshot!(generate_err("model_errors", None, &[]));
    }

    #[test]
    fn lowering_errors_name_shape_and_member() {
        insta::assert_snapshot!(generate_err("lowering_errors", None, &[]));
    }

    #[test]
    fn malformed_trait_values_are_located_errors() {
        insta::assert_snapshot!(generate_err("malformed_traits", None, &[]));
    }

    #[test]
    fn a_list_that_contains_itself_is_rejected() {
        insta::assert_snapshot!(generate_err("recursive_list", None, &[]));
    }

    #[test]
    fn a_map_that_contains_itself_is_rejected() {
        insta::assert_snapshot!(generate_err("recursive_map", None, &[]));
    }

    #[test]
    fn lists_that_contain_each_other_are_rejected() {
        insta::assert_snapshot!(generate_err("recursive_list_pair", None, &[]));
    }

    #[test]
    fn a_cycle_of_required_members_is_rejected() {
        insta::assert_snapshot!(generate_err("required_cycle", None, &[]));
    }

    #[test]
    fn more_than_64_required_members_is_one_clear_error() {
        // A builder tracks required members in one `u64`; the largest count in the shared AWS
        // models is 19.
        let members: serde_json::Map<String, serde_json::Value> = (0..65)
            .map(|i| {
                (format!("m{i}"), json!({ "target": "smithy.api#String", "traits": { "smithy.api#required": {} } }))
            })
            .collect();
        let model = json!({
            "smithy": "2.0",
            "shapes": {
                "ex#Service": { "type": "service", "version": "1", "operations": [{ "target": "ex#Op" }],
                                "traits": { "aws.protocols#restJson1": {} } },
                "ex#Op": { "type": "operation", "input": { "target": "ex#OpInput" },
                           "traits": { "smithy.api#http": { "method": "POST", "uri": "/" } } },
                "ex#OpInput": { "type": "structure", "traits": { "smithy.api#input": {} }, "members": members },
            }
        })
        .to_string();
        let Err(err) = codegen::generate(&[Input { name: "wide.json", text: &model }], &config(None, &[])) else {
            panic!("65 required members should fail");
        };
        assert_eq!(
            err.to_string(),
            "error: ex#OpInput: 65 required members; a structure may have at most 64\n1 error in the model"
        );
        // 64 generate.
        let model = model.replace(
            "\"m64\":{\"target\":\"smithy.api#String\",\"traits\":{\"smithy.api#required\":{}}}",
            "\"m64\":{\"target\":\"smithy.api#String\"}",
        );
        assert!(codegen::generate(&[Input { name: "wide.json", text: &model }], &config(None, &[])).is_ok());
    }

    #[test]
    fn endpoint_rules_in_bdd_form_are_one_clear_error() {
        let (file, text) = fixture("invalid", "unsupported_protocol");
        let mut model: serde_json::Value = serde_json::from_str(&text).unwrap();
        let service = model["shapes"]["ex#Service"]["traits"].as_object_mut().unwrap();
        service.clear();
        service.insert("aws.protocols#restJson1".into(), serde_json::json!({}));
        service.insert("smithy.rules#endpointBdd".into(), serde_json::json!({"version": "1.1"}));
        let text = model.to_string();
        let err = codegen::generate(&[Input { name: &file, text: &text }], &config(None, &[])).unwrap_err();
        assert_eq!(
            err.to_string(),
            "error: ex#Service: the endpoint rules are in the `smithy.rules#endpointBdd` form, which is not supported yet \
             (only `smithy.rules#endpointRuleSet`)\n1 error in the model"
        );
    }

    #[test]
    fn client_context_params_must_match_the_endpoint_rules() {
        let (file, text) = fixture("ok", "context_params");
        let mut model: serde_json::Value = serde_json::from_str(&text).unwrap();
        let params = &mut model["shapes"]["ex#Service"]["traits"]["smithy.rules#clientContextParams"];
        params["ForcePathStyle"]["type"] = "string".into();
        params["Nope"] = serde_json::json!({"type": "boolean"});
        params["Stage"]["type"] = "number".into();
        let text = model.to_string();
        let err = codegen::generate(&[Input { name: &file, text: &text }], &config(None, &[])).unwrap_err();
        assert_eq!(
            err.to_string(),
            "error: ex#Service: smithy.rules#clientContextParams `ForcePathStyle`: the endpoint rules declare it as \
             Boolean, not String\n\
             error: ex#Service: smithy.rules#clientContextParams `Nope`: the endpoint rules have no such parameter\n\
             error: ex#Service: smithy.rules#clientContextParams `Stage`: type Some(\"number\") is not `boolean` or \
             `string`\n3 errors in the model"
        );
    }

    #[test]
    fn waiter_paths_are_checked_against_the_shapes() {
        let (file, text) = fixture("ok", "waiters");
        let mut model: serde_json::Value = serde_json::from_str(&text).unwrap();
        let waiters = &mut model["shapes"]["ex#DescribeTable"]["traits"]["smithy.waiters#waitable"];
        let acceptor = |path: &str, comparator: &str, expected: &str| {
            serde_json::json!({"state": "success", "matcher": {"output":
                {"path": path, "expected": expected, "comparator": comparator}}})
        };
        waiters["Bad"] = serde_json::json!({"acceptors": [
            acceptor("Table.TableStatuz", "stringEquals", "ACTIVE"),
        ]});
        waiters["Worse"] = serde_json::json!({"acceptors": [
            acceptor("Table.GlobalSecondaryIndexes[].IndexStatus", "stringEquals", "ACTIVE"),
        ]});
        waiters["Unparsable"] = serde_json::json!({"acceptors": [acceptor("Table.[", "stringEquals", "x")]});
        let text = model.to_string();
        let err = codegen::generate(&[Input { name: &file, text: &text }], &config(None, &[])).unwrap_err();
        assert_eq!(
            err.to_string(),
            "error: ex#DescribeTable: waiter `Bad`: path `Table.TableStatuz`: `TableStatuz` is not a member of ex#Table \
             (its members: GlobalSecondaryIndexes, ItemCount, Replicas, Shards, TableName, TableStatus, Tags)\n\
             error: ex#DescribeTable: waiter `Unparsable`, acceptor 0: path `Table.[`: the expression ends too early\n\
             error: ex#DescribeTable: waiter `Worse`: path `Table.GlobalSecondaryIndexes[].IndexStatus`: StringEquals \
             needs a single Str value, and the path gives Str (a list)\n3 errors in the model"
        );
    }

    #[test]
    fn unsupported_protocol_is_one_clear_error() {
        insta::assert_snapshot!(generate_err("unsupported_protocol", None, &[]));
    }

    #[test]
    fn several_services_need_a_choice() {
        insta::assert_snapshot!(generate_err("unknown_operation", None, &[]));
    }

    #[test]
    fn unknown_operation_is_named() {
        insta::assert_snapshot!(generate_err("unknown_operation", Some("ex#Service"), &["Nope"]));
    }
}

/// The trimmed lines just before each line that starts with `item`.
fn lines_before<'a>(text: &'a str, item: &str) -> Vec<&'a str> {
    let lines: Vec<&str> = text.lines().collect();
    lines.windows(2).filter(|w| w[1].trim_start().starts_with(item)).map(|w| w[0].trim()).collect()
}

/// Generated functions are `#[inline]`, compiled in the crates that call them, unless the
/// configuration asks for them to be compiled in the crate; that is the only difference.
#[test]
fn compile_in_crate_leaves_generated_functions_unmarked() {
    let (file, text) = fixture("ok", "structure");
    let generate = |compile_in_crate: bool| {
        let mut cfg = config(None, &[]);
        cfg.krate.compile_in_crate = compile_in_crate;
        codegen::generate(&[Input { name: &file, text: &text }], &cfg).unwrap().files
    };
    let (marked, plain) = (generate(false), generate(true));
    assert_eq!(marked.0.keys().collect::<Vec<_>>(), plain.0.keys().collect::<Vec<_>>());
    let without_inline = |s: &str| s.lines().filter(|l| l.trim() != "#[inline]").collect::<Vec<_>>().join("\n");
    let mut writers = 0;
    for (path, text) in &marked.0 {
        assert_eq!(without_inline(text), without_inline(&plain.0[path]), "{path}");
        for line in lines_before(text, "fn write_json(") {
            assert_eq!(line, "#[inline]", "{path}");
            writers += 1;
        }
        assert!(lines_before(&plain.0[path], "fn write_json(").iter().all(|l| *l != "#[inline]"), "{path}");
    }
    assert!(writers > 0, "the fixture has JSON writers");
}
