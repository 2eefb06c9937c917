//! Endpoint resolution against the models' own test cases: every `smithy.rules#endpointTests`
//! case of every shared model, through the generator's lowering and the runtime's one rules
//! engine. Prints `endpoint tests: passed P, failed F, total N (M models)`. A case on the skip
//! list (`tests/endpoint-skips.toml`, with a reason each) must still fail; one that passes
//! fails the run, so the list only shrinks.

use std::io::Write as _;

use std::collections::BTreeMap;

use awsgen_runtime::endpoint::rules::{self, Params, ResolveError, Value as RulesValue};
use integration_tests::shared_dir;
use serde_json::{Map, Value};

/// A rules value as JSON, for comparing with the expected properties.
fn to_json(v: &RulesValue) -> Value {
    match v {
        RulesValue::String(s) => Value::String(s.clone()),
        RulesValue::Bool(b) => Value::Bool(*b),
        RulesValue::Int(i) => Value::from(*i),
        RulesValue::Array(items) => Value::Array(items.iter().map(to_json).collect()),
        RulesValue::Record(fields) => Value::Object(fields.iter().map(|(k, v)| (k.to_string(), to_json(v))).collect()),
    }
}

fn from_json(v: &Value) -> Option<RulesValue> {
    Some(match v {
        Value::String(s) => RulesValue::String(s.clone()),
        Value::Bool(b) => RulesValue::Bool(*b),
        Value::Array(a) => RulesValue::Array(a.iter().map(from_json).collect::<Option<_>>()?),
        _ => return None,
    })
}

/// A cause of failing cases, from `tests/endpoint-skips.toml`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Cause {
    reason: String,
    /// The partition table with the cause undone, by name.
    table: String,
}

impl Cause {
    fn table(&self) -> Vec<rules::partitions::Partition> {
        match self.table.as_str() {
            "before_iso_dual_stack" => rules::partitions::before_iso_dual_stack(),
            other => panic!("tests/endpoint-skips.toml: no partition table `{other}`"),
        }
    }
}

/// Runs one case; `Err` says how it went wrong.
fn run_case(rs: &rules::RuleSet, table: &[rules::partitions::Partition], case: &Value) -> Result<(), String> {
    let mut params = Params::new(rs);
    for (k, v) in case.get("params").and_then(Value::as_object).into_iter().flatten() {
        let v = from_json(v).ok_or_else(|| format!("parameter {k} has an unusable value {v}"))?;
        params.set(k, v).map_err(|e| e.to_string())?;
    }
    let got = rules::resolve_in(&params, table);
    let expect = &case["expect"];
    match (got, expect.get("endpoint"), expect.get("error")) {
        (Ok(e), Some(want), _) => {
            let url = want.get("url").and_then(Value::as_str).unwrap_or_default();
            if e.url != url {
                return Err(format!("url {} instead of {url}", e.url));
            }
            let headers: Map<String, Value> =
                e.headers.iter().map(|(k, vs)| (k.clone(), Value::from(vs.clone()))).collect();
            let want_headers = want.get("headers").cloned().unwrap_or(Value::Object(Map::new()));
            if Value::Object(headers.clone()) != want_headers {
                return Err(format!("headers {headers:?} instead of {want_headers}"));
            }
            let props: Map<String, Value> = e.properties.iter().map(|(k, v)| (k.to_string(), to_json(v))).collect();
            let want_props = want.get("properties").cloned().unwrap_or(Value::Object(Map::new()));
            if Value::Object(props.clone()) != want_props {
                return Err(format!("properties {} instead of {want_props}", Value::Object(props)));
            }
            Ok(())
        }
        (Err(ResolveError::Rule(msg)), _, Some(want)) if want.as_str() == Some(msg.as_str()) => Ok(()),
        (Err(e), _, Some(want)) => Err(format!("error {e:?} instead of {want}")),
        (Err(e), _, None) => Err(format!("error {e} instead of an endpoint")),
        (Ok(e), None, _) => Err(format!("endpoint {} instead of an error", e.url)),
    }
}

#[test]
fn every_endpoint_test_case_of_every_shared_model() {
    let Some(shared) = shared_dir() else { return };
    let root = integration_tests::workspace_root();
    let skips_text = std::fs::read_to_string(root.join("tests/endpoint-skips.toml")).unwrap();
    let causes: BTreeMap<String, Cause> = toml::from_str(&skips_text).unwrap();
    let tables: Vec<(&str, Vec<rules::partitions::Partition>)> =
        causes.iter().map(|(name, c)| (name.as_str(), c.table())).collect();
    let mut explained: BTreeMap<&str, usize> = BTreeMap::new();
    let mut entries: Vec<_> =
        std::fs::read_dir(shared.join("aws-models")).unwrap().flatten().map(|e| e.path()).collect();
    entries.retain(|p| p.extension().is_some_and(|e| e == "json"));
    entries.sort();
    let (mut passed, mut failed, mut skipped, mut total, mut models) = (0, 0, 0, 0, 0);
    let mut failures = Vec::new();
    for path in entries {
        let model = path.file_stem().unwrap().to_string_lossy().to_string();
        let v: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let shapes = v["shapes"].as_object().unwrap();
        let Some((id, service)) = shapes.iter().find(|(_, s)| s["type"] == "service") else { continue };
        let traits = &service["traits"];
        let (Some(rule_set), Some(tests)) =
            (traits.get("smithy.rules#endpointRuleSet"), traits.get("smithy.rules#endpointTests"))
        else {
            continue;
        };
        let mut sink = codegen::diag::Sink::default();
        let Some(rs) = codegen::endpoint::lower(rule_set, id, &mut sink) else {
            let cases = tests["testCases"].as_array().map_or(0, Vec::len);
            failed += cases;
            total += cases;
            failures.push(format!("{model}: the rule set does not lower: {:?}", sink.finish(())));
            continue;
        };
        models += 1;
        for (i, case) in tests["testCases"].as_array().into_iter().flatten().enumerate() {
            total += 1;
            let name = case.get("documentation").and_then(Value::as_str).map_or(format!("case {i}"), str::to_string);
            let Err(why) = run_case(&rs, rules::partitions::PARTITIONS, case) else {
                passed += 1;
                continue;
            };
            match tables.iter().find(|(_, t)| run_case(&rs, t, case).is_ok()) {
                Some((cause, _)) => {
                    skipped += 1;
                    *explained.entry(cause).or_default() += 1;
                }
                None => {
                    failed += 1;
                    failures.push(format!("{model}: `{name}`: {why}"));
                }
            }
        }
    }
    let _ = writeln!(
        std::io::stdout(),
        "endpoint tests: passed {passed}, failed {failed}, total {total} ({models} models)"
    );
    for (name, cause) in &causes {
        let n = explained.get(name.as_str()).copied().unwrap_or(0);
        let _ = writeln!(std::io::stdout(), "  skipped {n} for `{name}`: {}", cause.reason);
        if n == 0 {
            failures.push(format!("the cause `{name}` in tests/endpoint-skips.toml explains no case: remove it"));
        }
    }
    assert_eq!(passed + failed + skipped, total);
    for f in failures.iter().take(40) {
        println!("  {f}");
    }
    assert!(failures.is_empty(), "{} endpoint test cases failed (first ones above)", failures.len());
}

/// The project's partitions file states the same facts as botocore's.
#[test]
fn the_partitions_agree_with_upstream() {
    let Some(shared) = shared_dir() else { return };
    let ours: Value = serde_json::from_str(
        &std::fs::read_to_string(integration_tests::workspace_root().join("model/partitions.json")).unwrap(),
    )
    .unwrap();
    let theirs: Value =
        serde_json::from_str(&std::fs::read_to_string(shared.join("reference/partitions.json")).unwrap()).unwrap();
    let facts = |v: &Value| -> Vec<Value> {
        v["partitions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                let mut regions: Vec<String> = match &p["regions"] {
                    Value::Object(o) => o.keys().cloned().collect(),
                    Value::Array(a) => a.iter().filter_map(Value::as_str).map(str::to_string).collect(),
                    _ => Vec::new(),
                };
                regions.sort();
                serde_json::json!({"id": p["id"], "regionRegex": p["regionRegex"], "regions": regions, "outputs": p["outputs"]})
            })
            .collect()
    };
    assert_eq!(facts(&ours), facts(&theirs));
    assert_eq!(ours["version"], theirs["version"]);
    // And the engine's compiled-in table is the one generated from our file.
    assert_eq!(rules::partitions::PARTITIONS.len(), facts(&ours).len());
}
