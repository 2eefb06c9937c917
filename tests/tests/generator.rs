//! Properties of the generator as a whole: deterministic output, a model that agrees with the
//! upstream AppFlow model, the same Rust API from the full upstream model, and no panic on any
//! of the shared AWS models.

use std::collections::BTreeMap;

use codegen::{Config, Input};
use integration_tests::{shared_dir, workspace_root};
use serde_json::Value;

fn project_config() -> Config {
    let text = std::fs::read_to_string(workspace_root().join("model/codegen.toml")).unwrap();
    Config::parse("model/codegen.toml", &text).unwrap()
}

fn project_model() -> String {
    std::fs::read_to_string(workspace_root().join("model/appflow.json")).unwrap()
}

fn generate(text: &str, config: &Config) -> codegen::Files {
    codegen::generate(&[Input { name: "model.json", text }], config).unwrap_or_else(|d| panic!("{d}")).files
}

/// A JSON value that keeps the order of object keys as written (`serde_json::Value` sorts them).
enum Ordered {
    Object(Vec<(String, Ordered)>),
    Array(Vec<Ordered>),
    Scalar(Value),
}

impl<'de> serde::Deserialize<'de> for Ordered {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Ordered;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("JSON")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut m: A) -> Result<Ordered, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = m.next_entry::<String, Ordered>()? {
                    out.push((k, v));
                }
                Ok(Ordered::Object(out))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut s: A) -> Result<Ordered, A::Error> {
                let mut out = Vec::new();
                while let Some(v) = s.next_element::<Ordered>()? {
                    out.push(v);
                }
                Ok(Ordered::Array(out))
            }
            fn visit_str<E>(self, v: &str) -> Result<Ordered, E> {
                Ok(Ordered::Scalar(Value::from(v)))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Ordered, E> {
                Ok(Ordered::Scalar(Value::from(v)))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Ordered, E> {
                Ok(Ordered::Scalar(Value::from(v)))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Ordered, E> {
                Ok(Ordered::Scalar(Value::from(v)))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Ordered, E> {
                Ok(Ordered::Scalar(Value::from(v)))
            }
            fn visit_unit<E>(self) -> Result<Ordered, E> {
                Ok(Ordered::Scalar(Value::Null))
            }
        }
        d.deserialize_any(V)
    }
}

/// Writes JSON with every object's keys in a scrambled (but reproducible) order, except the
/// members of shapes: their order is part of the model, and the generated fields follow it.
fn scrambled(v: &Ordered, seed: &mut u64, keep_order: bool) -> String {
    match v {
        Ordered::Object(o) => {
            let mut entries: Vec<&(String, Ordered)> = o.iter().collect();
            if !keep_order {
                for i in (1..entries.len()).rev() {
                    *seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    entries.swap(i, (*seed >> 33) as usize % (i + 1));
                }
            }
            let parts: Vec<String> = entries
                .iter()
                .map(|(k, v)| format!("{}:{}", serde_json::to_string(k).unwrap(), scrambled(v, seed, k == "members")))
                .collect();
            format!("{{{}}}", parts.join(","))
        }
        Ordered::Array(a) => {
            format!("[{}]", a.iter().map(|x| scrambled(x, seed, false)).collect::<Vec<_>>().join(","))
        }
        Ordered::Scalar(s) => s.to_string(),
    }
}

#[test]
fn output_is_byte_identical_twice_and_with_shuffled_keys() {
    let config = project_config();
    let text = project_model();
    let first = generate(&text, &config);
    assert_eq!(first, generate(&text, &config), "two runs differ");
    let value: Ordered = serde_json::from_str(&text).unwrap();
    for seed in [1u64, 7, 42] {
        let shuffled = scrambled(&value, &mut seed.clone(), false);
        assert_ne!(shuffled, text);
        assert_eq!(first, generate(&shuffled, &config), "shuffled keys (seed {seed}) change the output");
    }
}

/// Everything of a shape but documentation: type, members, targets, traits.
fn facts(shape: &Value) -> Value {
    fn strip(v: &Value) -> Value {
        match v {
            Value::Object(o) => Value::Object(
                o.iter()
                    .filter(|(k, _)| k.as_str() != "smithy.api#documentation")
                    .map(|(k, v)| (k.clone(), strip(v)))
                    .collect(),
            ),
            Value::Array(a) => Value::Array(a.iter().map(strip).collect()),
            other => other.clone(),
        }
    }
    strip(shape)
}

#[test]
fn project_model_agrees_with_upstream_except_documentation() {
    let Some(shared) = shared_dir() else { return };
    let ours: Value = serde_json::from_str(&project_model()).unwrap();
    let upstream: Value =
        serde_json::from_str(&std::fs::read_to_string(shared.join("models/appflow.json")).unwrap()).unwrap();
    let cut: Value =
        serde_json::from_str(&std::fs::read_to_string(shared.join("models/appflow-four-ops.json")).unwrap()).unwrap();
    let ours = ours["shapes"].as_object().unwrap();
    let cut = cut["shapes"].as_object().unwrap();
    assert_eq!(ours.len(), 228);
    assert_eq!(
        ours.keys().collect::<Vec<_>>(),
        cut.keys().collect::<Vec<_>>(),
        "not the same shape set as the upstream cut"
    );
    let mut differences = Vec::new();
    for (id, shape) in ours {
        let up = &upstream["shapes"][id];
        let mut want = facts(up);
        if up["type"] == "service" {
            // The cut keeps only the four operations; everything else is the upstream service.
            want["operations"] = facts(&cut[id])["operations"].clone();
        }
        if facts(shape) != want {
            differences.push(id.clone());
        }
        // Our documentation is our own: never a copy of upstream's text.
        let ours_doc = shape["traits"]["smithy.api#documentation"].as_str();
        if ours_doc.is_some() && ours_doc == up["traits"]["smithy.api#documentation"].as_str() {
            differences.push(format!("{id}: documentation copied from upstream"));
        }
    }
    assert!(differences.is_empty(), "shapes differ from upstream: {differences:#?}");
}

/// The generated files without documentation lines.
fn api(files: &codegen::Files) -> BTreeMap<String, String> {
    files
        .0
        .iter()
        .map(|(path, text)| {
            let code: Vec<&str> = text
                .lines()
                .filter(|l| {
                    let t = l.trim_start();
                    !(t.starts_with("///") || t.starts_with("//!") || t.starts_with("#[doc") || t.starts_with("#![doc"))
                })
                .collect();
            (path.clone(), code.join("\n"))
        })
        .collect()
}

#[test]
fn the_full_upstream_model_gives_the_same_rust_api() {
    let Some(shared) = shared_dir() else { return };
    let config = project_config();
    let ours = generate(&project_model(), &config);
    let full = generate(&std::fs::read_to_string(shared.join("models/appflow.json")).unwrap(), &config);
    let (a, b) = (api(&ours), api(&full));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>(), "different files");
    for (path, code) in &a {
        assert_eq!(code, &b[path], "{path} differs beyond documentation");
    }
}

#[test]
fn every_shared_aws_model_generates_or_says_what_is_unsupported() {
    let Some(shared) = shared_dir() else { return };
    let mut paths: Vec<_> = std::fs::read_dir(shared.join("aws-models"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 366);
    let results = std::sync::Mutex::new(Vec::new());
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(path) = paths.get(i) else { break };
                let name = path.file_stem().unwrap().to_string_lossy().to_string();
                let text = std::fs::read_to_string(path).unwrap();
                let config = Config {
                    model: name.clone(),
                    service: None,
                    operations: Vec::new(),
                    protocol: None,
                    krate: codegen::config::CrateConfig {
                        name: name.clone(),
                        version: "0.1.0".into(),
                        runtime: codegen::ir::RuntimeDep::Path("../runtime".into()),
                        standalone: true,
                        compile_in_crate: false,
                    },
                };
                let outcome =
                    std::panic::catch_unwind(|| codegen::generate(&[Input { name: &name, text: &text }], &config));
                let verdict = match outcome {
                    Ok(Ok(_)) => Ok(()),
                    Ok(Err(d)) => Err(d.to_string()),
                    Err(_) => Err("PANIC".to_string()),
                };
                results.lock().unwrap().push((name, verdict));
            });
        }
    });
    let results = results.into_inner().unwrap();
    let panics: Vec<_> = results.iter().filter(|(_, v)| v.as_ref().err().is_some_and(|e| e == "PANIC")).collect();
    assert!(panics.is_empty(), "the generator panicked on {panics:?}");
    let mut unexplained = Vec::new();
    let mut failed = 0;
    for (name, verdict) in &results {
        if let Err(e) = verdict {
            failed += 1;
            if !e.contains("is not supported yet") {
                unexplained.push(format!("{name}: {e}"));
            }
        }
    }
    assert!(unexplained.is_empty(), "errors that do not say what is unsupported:\n{}", unexplained.join("\n"));
    // Every restJson1 / awsJson model generates; only awsQuery and restXml services fail.
    assert!(failed <= 18, "{failed} models failed");
}

/// `model/sts.json` and `model/sso.json`, cut from the shared models by `scripts/cut-model.py`:
/// every shape is the upstream one without its documentation texts (the service keeps only the
/// chosen operations), and no documentation of ours is upstream's.
#[test]
fn credential_models_agree_with_upstream_except_documentation() {
    let Some(shared) = shared_dir() else { return };
    fn strip(v: &Value) -> Value {
        match v {
            Value::Object(o) => Value::Object(
                o.iter()
                    .filter(|(k, _)| !matches!(k.as_str(), "smithy.api#documentation" | "documentation"))
                    .map(|(k, v)| (k.clone(), strip(v)))
                    .collect(),
            ),
            Value::Array(a) => Value::Array(a.iter().map(strip).collect()),
            other => other.clone(),
        }
    }
    for name in ["sts", "sso"] {
        let root = integration_tests::workspace_root();
        let ours: Value =
            serde_json::from_str(&std::fs::read_to_string(root.join(format!("model/{name}.json"))).unwrap()).unwrap();
        let upstream: Value =
            serde_json::from_str(&std::fs::read_to_string(shared.join(format!("aws-models/{name}.json"))).unwrap())
                .unwrap();
        let mut differences = Vec::new();
        for (id, shape) in ours["shapes"].as_object().unwrap() {
            let up = &upstream["shapes"][id];
            let mut want = strip(up);
            if up["type"] == "service" {
                want["operations"] = shape["operations"].clone();
                want.as_object_mut().unwrap().remove("resources");
                for op in shape["operations"].as_array().unwrap() {
                    assert!(up["operations"].as_array().unwrap().contains(op), "{name}: {op} is not upstream's");
                }
            }
            if strip(shape) != want {
                differences.push(format!("{name}: {id}"));
            }
            let ours_doc = shape["traits"]["smithy.api#documentation"].as_str();
            if ours_doc.is_some() && ours_doc == up["traits"]["smithy.api#documentation"].as_str() {
                differences.push(format!("{name}: {id}: documentation copied from upstream"));
            }
        }
        assert!(differences.is_empty(), "shapes differ from upstream: {differences:#?}");
    }
}

/// A service that lists two protocols is generated in the one the SDKs prefer, or in the one
/// the configuration names; naming one it does not list is an error that says which it lists.
#[test]
fn the_configuration_picks_among_the_services_protocols() {
    let path = workspace_root().join("codegen/tests/fixtures/ok/cbor.json");
    let mut model: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let service = model["shapes"]
        .as_object_mut()
        .unwrap()
        .values_mut()
        .find(|s| s["type"] == "service")
        .expect("the fixture has a service");
    service["traits"]["aws.protocols#awsJson1_0"] = serde_json::json!({});
    let text = model.to_string();
    let config = |protocol: Option<&str>| Config {
        model: "model.json".into(),
        service: None,
        operations: Vec::new(),
        protocol: protocol.map(String::from),
        krate: codegen::config::CrateConfig {
            name: "two-protocols".into(),
            version: "0.1.0".into(),
            runtime: codegen::ir::RuntimeDep::Path("../runtime".into()),
            standalone: true,
            compile_in_crate: false,
        },
    };
    let all = |files: &codegen::Files| files.0.values().cloned().collect::<Vec<_>>().concat();
    let preferred = all(&generate(&text, &config(None)));
    assert!(preferred.contains("rpc-v2-cbor"), "rpcv2Cbor is the SDKs' first choice");
    let json = all(&generate(&text, &config(Some("awsJson1_0"))));
    assert!(json.contains("application/x-amz-json-1.0") && !json.contains("rpc-v2-cbor"));
    let Err(err) = codegen::generate(&[Input { name: "model.json", text: &text }], &config(Some("restXml"))) else {
        panic!("restXml is not listed");
    };
    let err = err.to_string();
    assert!(err.contains("asks for protocol `restXml`, which the service does not list (it lists: "), "{err}");
}

#[test]
fn codegen_toml_takes_compile_in_crate_and_defaults_it_to_off() {
    let text = std::fs::read_to_string(workspace_root().join("model/codegen.toml")).unwrap();
    assert!(!Config::parse("codegen.toml", &text).unwrap().krate.compile_in_crate);
    let on = format!("{text}compile_in_crate = true\n");
    assert!(Config::parse("codegen.toml", &on).unwrap().krate.compile_in_crate);
    let wrong = format!("{text}compile_in_crate = \"yes\"\n");
    let err = Config::parse("codegen.toml", &wrong).unwrap_err().to_string();
    assert!(err.contains("codegen.toml:"), "{err}");
}
