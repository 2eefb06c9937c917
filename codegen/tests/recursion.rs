//! Random small models with random recursion through structures, unions, lists and maps, some
//! members `@required`: the generator answers every one with files or located errors, never a
//! crash or a hang.

use std::sync::mpsc;
use std::time::Duration;

use proptest::prelude::*;
use serde_json::{json, Map, Value};

#[derive(Debug, Clone)]
enum Kind {
    Structure,
    Union,
    List,
    Map,
}

/// One shape: its kind and, per member, a target (an index into the shapes, or `None` for
/// `smithy.api#String`) and whether it is `@required`.
#[derive(Debug, Clone)]
struct ShapeSpec {
    kind: Kind,
    members: Vec<(Option<usize>, bool)>,
}

fn shape_spec(n: usize) -> impl Strategy<Value = ShapeSpec> {
    let kind = prop_oneof![Just(Kind::Structure), Just(Kind::Union), Just(Kind::List), Just(Kind::Map)];
    let member = (proptest::option::weighted(0.8, 0..n), any::<bool>());
    (kind, proptest::collection::vec(member, 1..4)).prop_map(|(kind, members)| ShapeSpec { kind, members })
}

fn model(specs: &[ShapeSpec]) -> Value {
    let target = |t: &Option<usize>| match t {
        Some(i) => format!("ex#S{i}"),
        None => "smithy.api#String".into(),
    };
    let mut shapes = Map::new();
    shapes.insert(
        "ex#Service".into(),
        json!({"type": "service", "version": "1", "operations": [{"target": "ex#Op"}],
               "traits": {"aws.protocols#restJson1": {}}}),
    );
    shapes.insert(
        "ex#Op".into(),
        json!({"type": "operation", "input": {"target": "ex#OpInput"}, "output": {"target": "ex#OpOutput"},
               "traits": {"smithy.api#http": {"method": "POST", "uri": "/"}}}),
    );
    let io: Map<String, Value> =
        (0..specs.len()).map(|i| (format!("m{i}"), json!({"target": format!("ex#S{i}")}))).collect();
    shapes.insert("ex#OpInput".into(), json!({"type": "structure", "traits": {"smithy.api#input": {}}, "members": io}));
    shapes.insert("ex#OpOutput".into(), json!({"type": "structure", "members": io}));
    for (i, s) in specs.iter().enumerate() {
        let shape = match s.kind {
            Kind::Structure | Kind::Union => {
                let members: Map<String, Value> = s
                    .members
                    .iter()
                    .enumerate()
                    .map(|(j, (t, required))| {
                        let traits = if *required && matches!(s.kind, Kind::Structure) {
                            json!({"smithy.api#required": {}})
                        } else {
                            json!({})
                        };
                        (format!("f{j}"), json!({"target": target(t), "traits": traits}))
                    })
                    .collect();
                let ty = if matches!(s.kind, Kind::Union) { "union" } else { "structure" };
                json!({"type": ty, "members": members})
            }
            Kind::List => json!({"type": "list", "member": {"target": target(&s.members[0].0)}}),
            Kind::Map => json!({"type": "map", "key": {"target": "smithy.api#String"},
                                "value": {"target": target(&s.members[0].0)}}),
        };
        shapes.insert(format!("ex#S{i}"), shape);
    }
    json!({"smithy": "2.0", "shapes": shapes})
}

fn config() -> codegen::Config {
    codegen::Config {
        model: "random.json".into(),
        service: None,
        operations: Vec::new(),
        protocol: None,
        krate: codegen::config::CrateConfig {
            name: "random".into(),
            version: "0.1.0".into(),
            runtime: codegen::ir::RuntimeDep::Path("../runtime".into()),
            standalone: false,
            compile_in_crate: false,
        },
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_recursion_never_crashes_or_hangs(specs in (1usize..6).prop_flat_map(|n| proptest::collection::vec(shape_spec(n), n))) {
        let text = model(&specs).to_string();
        let (tx, rx) = mpsc::channel();
        let worker = text.clone();
        std::thread::spawn(move || {
            let outcome = std::panic::catch_unwind(|| {
                codegen::generate(&[codegen::Input { name: "random.json", text: &worker }], &config()).map(|_| ())
            });
            let _ = tx.send(outcome.map_err(|_| ()));
        });
        match rx.recv_timeout(Duration::from_secs(20)) {
            Err(_) => panic!("the generator hung on {text}"),
            Ok(Err(())) => panic!("the generator panicked on {text}"),
            Ok(Ok(Ok(()))) => {}
            Ok(Ok(Err(d))) => {
                // Every error is located: a shape id, with the member when there is one.
                for e in &d.0 {
                    prop_assert!(e.location.starts_with("ex#"), "{e} in {text}");
                }
            }
        }
    }
}
