//! `cargo xtask sweep [DIR] [--compile | --check] [--only a,b] [--out DIR]`: generates a crate for
//! every model in a folder, in parallel across cores, with a progress bar; ends with a table of
//! what was generated or why not, the times and the totals. `--compile` also builds the
//! generated crates (one cargo workspace, so dependencies build once), `--check` type-checks
//! them; warnings are denied, and each crate's own artifacts are removed once it is built. Exits
//! non-zero when the generator panicked on any model or a crate does not build.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use codegen::{Config, Input};

use codegen::builder::{crate_name_from as sanitize_crate_name, relative_path};

use crate::codegen_task::{workspace_root, write};
use crate::Failure;

struct Args {
    dir: PathBuf,
    out: PathBuf,
    /// `Some("build")` or `Some("check")`: what cargo does with the generated crates.
    compile: Option<&'static str>,
    only: Vec<String>,
}

fn parse_args(args: Vec<OsString>) -> Result<Args, Failure> {
    use lexopt::prelude::*;
    let root = workspace_root();
    let mut a = Args {
        dir: root.join("../shared/aws-models"),
        out: root.join("target/sweep"),
        compile: None,
        only: Vec::new(),
    };
    let mut p = lexopt::Parser::from_args(args);
    while let Some(arg) = p.next()? {
        match arg {
            Long("compile") => a.compile = Some("build"),
            Long("check") => a.compile = Some("check"),
            Long("only") => a.only = p.value()?.string()?.split(',').map(|s| s.trim().to_string()).collect(),
            Long("out") => a.out = p.value()?.into(),
            Value(v) => a.dir = v.into(),
            _ => return Err(arg.unexpected().into()),
        }
    }
    Ok(a)
}

/// What happened to one model.
enum Outcome {
    Generated { files: usize, protocol: String, paginators: usize, waiters: usize, jmespath: usize },
    Unsupported(String),
    Panicked(String),
}

struct Row {
    name: String,
    outcome: Outcome,
    time: Duration,
    build: Option<bool>,
}

pub fn run(args: Vec<OsString>) -> Result<(), Failure> {
    let args = parse_args(args)?;
    let mut models: Vec<PathBuf> = std::fs::read_dir(&args.dir)
        .map_err(|e| Failure::Io(format!("cannot read {}: {e}", args.dir.display())))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .filter(|p| args.only.is_empty() || args.only.iter().any(|o| p.file_stem().is_some_and(|s| s == o.as_str())))
        .collect();
    models.sort();
    if models.is_empty() {
        return Err(Failure::Usage(format!("no models (*.json) in {}", args.dir.display())));
    }
    std::fs::create_dir_all(&args.out).map_err(|e| Failure::Io(e.to_string()))?;
    let out = std::fs::canonicalize(&args.out).map_err(|e| Failure::Io(e.to_string()))?;
    let runtime = relative_path(&out.join("x"), &workspace_root().join("runtime"));

    let started = Instant::now();
    let bar = indicatif::ProgressBar::new(models.len() as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{elapsed_precise} [{bar:40}] {pos}/{len} {msg}")
            .expect("a valid template")
            .progress_chars("=> "),
    );
    let rows = Mutex::new(Vec::new());
    let next = AtomicUsize::new(0);
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    // The generator's panics are caught and reported per model; keep them off the terminal.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(path) = models.get(i) else { break };
                let row = sweep_one(path, &out, &runtime.to_string_lossy());
                bar.set_message(row.name.clone());
                bar.inc(1);
                rows.lock().expect("not poisoned").push(row);
            });
        }
    });
    std::panic::set_hook(hook);
    bar.finish_and_clear();
    let mut rows = rows.into_inner().expect("not poisoned");
    rows.sort_by(|a, b| a.name.cmp(&b.name));
    let generate_time = started.elapsed();

    let mut build_failed = false;
    if let Some(command) = args.compile {
        build_failed = compile(&out, &mut rows, command)?;
    }
    print_table(&rows, generate_time);
    let panicked = rows.iter().filter(|r| matches!(r.outcome, Outcome::Panicked(_))).count();
    if panicked > 0 || build_failed {
        return Err(Failure::Model(format!(
            "error: {panicked} model(s) made the generator panic{}",
            if build_failed { "; some generated crates do not build" } else { "" }
        )));
    }
    Ok(())
}

fn sweep_one(path: &Path, out: &Path, runtime: &str) -> Row {
    let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or("model").to_string();
    let started = Instant::now();
    let outcome = match std::fs::read_to_string(path) {
        Err(e) => Outcome::Unsupported(format!("cannot read: {e}")),
        Ok(text) => {
            let config = Config {
                model: name.clone(),
                service: None,
                operations: Vec::new(),
                protocol: None,
                krate: codegen::config::CrateConfig {
                    name: sanitize_crate_name(&name),
                    version: "0.1.0".into(),
                    runtime: codegen::ir::RuntimeDep::Path(runtime.to_string()),
                    standalone: false,
                    compile_in_crate: false,
                },
            };
            let result = std::panic::catch_unwind(|| codegen::generate(&[Input { name: &name, text: &text }], &config));
            match result {
                Ok(Ok(generated)) => {
                    let sum = &generated.summary;
                    let protocol = sum.protocol.name().to_string();
                    let (paginators, waiters, jmespath) = (sum.paginators, sum.waiters, sum.jmespath);
                    match write(&out.join(&name), &generated.files) {
                        Ok(_) => Outcome::Generated {
                            files: generated.files.0.len(),
                            protocol,
                            paginators,
                            waiters,
                            jmespath,
                        },
                        Err(e) => Outcome::Unsupported(format!("cannot write: {e:?}")),
                    }
                }
                Ok(Err(d)) => Outcome::Unsupported(d.0.first().map(|d| d.message.clone()).unwrap_or_default()),
                Err(p) => Outcome::Panicked(
                    p.downcast_ref::<String>()
                        .cloned()
                        .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_default(),
                ),
            }
        }
    };
    Row { name, outcome, time: started.elapsed(), build: None }
}

/// Builds (or checks) every generated crate in one workspace; marks each row built or not.
fn compile(out: &Path, rows: &mut [Row], command: &str) -> Result<bool, Failure> {
    let members: Vec<&str> =
        rows.iter().filter(|r| matches!(r.outcome, Outcome::Generated { .. })).map(|r| r.name.as_str()).collect();
    let manifest = format!(
        "# Written by `cargo xtask sweep --compile`.\n[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
        members.iter().map(|m| format!("\"{m}\"")).collect::<Vec<_>>().join(", ")
    );
    std::fs::write(out.join("Cargo.toml"), manifest).map_err(|e| Failure::Io(e.to_string()))?;
    let _ = std::fs::copy(workspace_root().join("Cargo.lock"), out.join("Cargo.lock"));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut failed = false;
    for row in rows.iter_mut().filter(|r| matches!(r.outcome, Outcome::Generated { .. })) {
        let started = Instant::now();
        eprintln!("cargo {command} {} ...", row.name);
        let krate = sanitize_crate_name(&row.name);
        let mut cmd = Command::new(&cargo);
        cmd.args([command, "--quiet", "--manifest-path"]).arg(out.join("Cargo.toml")).args(["-p", &krate]);
        // Generated code must build without a single warning (dependencies' lints are capped by
        // cargo). No debug info and no incremental state: hundreds of large crates would
        // otherwise fill the disk, and nobody debugs a sweep build.
        let mut rustflags = std::env::var("RUSTFLAGS").unwrap_or_default();
        rustflags.push_str(" -D warnings");
        cmd.env("RUSTFLAGS", rustflags.trim()).env("CARGO_INCREMENTAL", "0");
        if std::env::var_os("CARGO_PROFILE_DEV_DEBUG").is_none() {
            cmd.env("CARGO_PROFILE_DEV_DEBUG", "0");
        }
        let mut ok = cmd.status().map_err(|e| Failure::Io(format!("cannot run cargo: {e}")))?.success();
        // With --compile, the model's endpoint test cases run too.
        if ok && command == "build" && out.join(&row.name).join("tests/endpoints.rs").exists() {
            let mut test = Command::new(&cargo);
            test.args(["test", "--quiet", "--manifest-path"])
                .arg(out.join("Cargo.toml"))
                .args(["-p", &krate, "--test", "endpoints"])
                .envs(cmd.get_envs().filter_map(|(k, v)| Some((k, v?))))
                .stdout(std::process::Stdio::null());
            ok = test.status().map_err(|e| Failure::Io(format!("cannot run cargo: {e}")))?.success();
            if !ok {
                eprintln!("  endpoint tests FAILED (cargo test -p {krate} --test endpoints)");
            }
        }
        row.build = Some(ok);
        failed |= !ok;
        eprintln!("  {} in {:.1?}", if ok { "built" } else { "FAILED" }, started.elapsed());
        prune(&out.join("target/debug"), &krate);
    }
    Ok(failed)
}

/// Removes what cargo left of crate `krate` under `profile_dir` (its libraries, metadata,
/// fingerprints), keeping the shared dependencies: the crate itself is built once per sweep and
/// the largest ones take hundreds of megabytes each.
fn prune(profile_dir: &Path, krate: &str) {
    // Fingerprints keep the package name's dashes; libraries use the crate name's underscores.
    let lib = krate.replace('-', "_");
    // `endpoints-*`: the crate's endpoint test binary.
    let prefixes =
        [format!("{krate}-"), format!("{lib}-"), format!("lib{lib}-"), format!("lib{lib}."), "endpoints-".to_string()];
    for dir in [profile_dir.join("deps"), profile_dir.join(".fingerprint"), profile_dir.to_path_buf()] {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if !prefixes.iter().any(|p| name.starts_with(p.as_str())) {
                continue;
            }
            let path = entry.path();
            // Best effort: a file that cannot be removed only costs disk space.
            let _ = if path.is_dir() { std::fs::remove_dir_all(&path) } else { std::fs::remove_file(&path) };
        }
    }
}

fn print_table(rows: &[Row], total: Duration) {
    let width = rows.iter().map(|r| r.name.len()).max().unwrap_or(5).max(5);
    println!("{:width$}  {:10}  {:>8}  result", "model", "protocol", "time");
    let (mut ok, mut unsupported, mut panicked, mut built, mut broken) = (0, 0, 0, 0, 0);
    let (mut all_paginators, mut all_waiters, mut all_paths) = (0, 0, 0);
    for r in rows {
        let ms = format!("{:.0}ms", r.time.as_secs_f64() * 1000.0);
        let build = match r.build {
            Some(true) => {
                built += 1;
                ", builds"
            }
            Some(false) => {
                broken += 1;
                ", DOES NOT BUILD"
            }
            None => "",
        };
        match &r.outcome {
            Outcome::Generated { files, protocol, paginators, waiters, jmespath } => {
                ok += 1;
                all_paginators += paginators;
                all_waiters += waiters;
                all_paths += jmespath;
                println!(
                    "{:width$}  {:10}  {:>8}  generated {files} files, {paginators} paginators, {waiters} waiters{build}",
                    r.name, protocol, ms
                );
            }
            Outcome::Unsupported(why) => {
                unsupported += 1;
                println!("{:width$}  {:10}  {:>8}  not generated: {why}", r.name, "-", ms);
            }
            Outcome::Panicked(msg) => {
                panicked += 1;
                println!("{:width$}  {:10}  {:>8}  PANIC: {msg}", r.name, "-", ms);
            }
        }
    }
    println!(
        "\n{} models: {ok} generated, {unsupported} not supported, {panicked} panicked{}; generation took {:.1?} in all; \
         {all_paths} JMESPath expressions compiled; paginators {all_paginators}, waiters {all_waiters}",
        rows.len(),
        if built + broken > 0 { format!("; {built} built, {broken} failed to build") } else { String::new() },
        total
    );
}
