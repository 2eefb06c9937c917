//! Generation time, end to end (parse to rendered files): the project's four-operation model,
//! the full upstream AppFlow model, and the largest shared model (sagemaker).

use std::path::Path;

use codegen::{Config, Input};
use criterion::{criterion_group, criterion_main, Criterion};

fn config(operations: &[&str]) -> Config {
    Config {
        model: "m".into(),
        service: None,
        operations: operations.iter().map(|s| s.to_string()).collect(),
        protocol: None,
        krate: codegen::config::CrateConfig {
            name: "bench".into(),
            version: "0.1.0".into(),
            runtime: codegen::ir::RuntimeDep::Path("../runtime".into()),
            standalone: true,
            compile_in_crate: false,
        },
    }
}

fn bench(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let read = |p: &Path| {
        std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e} (the benchmarks need ../shared)", p.display()))
    };
    let four = read(&root.join("model/appflow.json"));
    let full = read(&root.join("../shared/models/appflow.json"));
    let sagemaker = read(&root.join("../shared/aws-models/sagemaker.json"));
    let ops = ["DescribeConnector", "RegisterConnector", "UpdateConnectorRegistration", "UpdateFlow"];
    let mut g = c.benchmark_group("generate");
    g.sample_size(20);
    g.bench_function("appflow_four_operations", |b| {
        b.iter(|| codegen::generate(&[Input { name: "m", text: &four }], &config(&ops)).unwrap())
    });
    g.bench_function("appflow_full", |b| {
        b.iter(|| codegen::generate(&[Input { name: "m", text: &full }], &config(&[])).unwrap())
    });
    g.sample_size(10);
    g.bench_function("sagemaker", |b| {
        b.iter(|| codegen::generate(&[Input { name: "m", text: &sagemaker }], &config(&[])).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
