//! `cargo xtask codegen`: runs the generator and writes, checks or compares its files.

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use codegen::write::Changes;
use codegen::{Config, Files, Input, RuntimeDep};

use crate::Failure;

/// The workspace root (the parent of this crate's directory).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_path_buf()
}

/// The project's own configuration.
pub const CONFIG: &str = "model/codegen.toml";
/// Where the project's crate is generated.
pub const OUT: &str = "generated";
/// Every crate `cargo xtask codegen` generates: its configuration and its folder. Beside the
/// AppFlow crate, the STS and SSO clients the credentials chain (`runtime/credentials`) calls.
pub const CRATES: [(&str, &str); 3] =
    [(CONFIG, OUT), ("model/sts.toml", "runtime/sts"), ("model/sso.toml", "runtime/sso")];

struct Args {
    check: bool,
    model: Option<PathBuf>,
    out: Option<PathBuf>,
    service: Option<String>,
    operations: Vec<String>,
    protocol: Option<String>,
    crate_name: Option<String>,
    runtime: Option<RuntimeDep>,
    compile_in_crate: bool,
}

/// `path:DIR`, `git:URL` or `git:URL#REV`, `version:REQ`.
fn runtime_spec(spec: &str) -> Result<RuntimeDep, Failure> {
    match spec.split_once(':') {
        Some(("path", p)) => Ok(RuntimeDep::Path(p.to_string())),
        Some(("git", rest)) => Ok(match rest.rsplit_once('#') {
            Some((url, rev)) => RuntimeDep::Git { url: url.to_string(), rev: Some(rev.to_string()) },
            None => RuntimeDep::Git { url: rest.to_string(), rev: None },
        }),
        Some(("version", v)) => Ok(RuntimeDep::Version(v.to_string())),
        _ => Err(Failure::Usage(format!("--runtime takes path:DIR, git:URL[#REV] or version:REQ, not `{spec}`"))),
    }
}

fn parse_args(args: Vec<OsString>) -> Result<Args, Failure> {
    use lexopt::prelude::*;
    let mut p = lexopt::Parser::from_args(args);
    let mut a = Args {
        check: false,
        model: None,
        out: None,
        service: None,
        operations: Vec::new(),
        protocol: None,
        crate_name: None,
        runtime: None,
        compile_in_crate: false,
    };
    while let Some(arg) = p.next()? {
        match arg {
            Long("check") => a.check = true,
            Long("model") => a.model = Some(p.value()?.into()),
            Long("out") => a.out = Some(p.value()?.into()),
            Long("service") => a.service = Some(p.value()?.string()?),
            Long("operations") => {
                a.operations =
                    p.value()?.string()?.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
            }
            Long("protocol") => a.protocol = Some(p.value()?.string()?),
            Long("crate-name") => a.crate_name = Some(p.value()?.string()?),
            Long("runtime") => a.runtime = Some(runtime_spec(&p.value()?.string()?)?),
            Long("compile-in-crate") => a.compile_in_crate = true,
            _ => return Err(arg.unexpected().into()),
        }
    }
    Ok(a)
}

pub fn run(args: Vec<OsString>) -> Result<(), Failure> {
    let args = parse_args(args)?;
    let started = Instant::now();
    match (&args.model, &args.out) {
        (None, None) => {
            if args.service.is_some()
                || !args.operations.is_empty()
                || args.protocol.is_some()
                || args.crate_name.is_some()
                || args.runtime.is_some()
                || args.compile_in_crate
            {
                return Err(Failure::Usage(
                    "--service, --operations, --protocol, --crate-name, --runtime and --compile-in-crate go with --model and --out"
                        .into(),
                ));
            }
            let root = workspace_root();
            let (partitions_path, partitions) = partitions_data(&root)?;
            let mut total = 0;
            let mut all = Changes::default();
            for (config, out) in CRATES {
                let files = generate_crate(&root, config)?;
                total += files.0.len();
                if args.check {
                    check(&root.join(out), &files)?;
                } else {
                    let changes = write(&root.join(out), &files)?;
                    let rel = |f: &String| if out == OUT { f.clone() } else { format!("../{out}/{f}") };
                    all.added.extend(changes.added.iter().map(rel));
                    all.changed.extend(changes.changed.iter().map(rel));
                    all.removed.extend(changes.removed.iter().map(rel));
                }
            }
            let partitions_current =
                fs::read_to_string(root.join(partitions_path)).ok().as_deref() == Some(partitions.as_str());
            if args.check {
                if !partitions_current {
                    return Err(Failure::OutOfDate(format!(
                        "error: {partitions_path} is out of date; run `cargo xtask codegen` and commit the result"
                    )));
                }
                println!(
                    "generated/, runtime/sts and runtime/sso are up to date ({total} files, {:.0?})",
                    started.elapsed()
                );
            } else {
                if !partitions_current {
                    fs::write(root.join(partitions_path), &partitions)
                        .map_err(|e| Failure::Io(format!("{partitions_path}: {e}")))?;
                    all.changed.push(format!("../{partitions_path}"));
                }
                print_changes(&all, total, started);
                if all.added.len() + all.changed.len() + all.removed.len() > 0 {
                    print_model_summary(&root);
                }
            }
            Ok(())
        }
        (Some(model), Some(out)) => {
            let (model, out) = (model.clone(), out.clone());
            let out = &out;
            let check_only = args.check;
            let files = generate_standalone(model, out, args)?;
            if check_only {
                check(out, &files)?;
                println!("{} is up to date", out.display());
            } else {
                let changes = write(out, &files)?;
                print_changes(&changes, files.0.len(), started);
            }
            Ok(())
        }
        _ => Err(Failure::Usage("--model and --out go together".into())),
    }
}

/// When the model differs from the one committed at HEAD, prints the API change report, so the
/// developer sees it before opening the pull request. Quiet when git is not available.
fn print_model_summary(root: &Path) {
    let Ok(config_text) = std::fs::read_to_string(root.join(CONFIG)) else { return };
    let Ok(config) = Config::parse(CONFIG, &config_text) else { return };
    let rel = format!("model/{}", config.model);
    let Ok(out) = std::process::Command::new("git").arg("-C").arg(root).args(["show", &format!("HEAD:{rel}")]).output()
    else {
        return;
    };
    let Ok(now) = std::fs::read_to_string(root.join(&rel)) else { return };
    if !out.status.success() || out.stdout == now.as_bytes() {
        return;
    }
    let old = String::from_utf8_lossy(&out.stdout);
    match crate::diff_task::report(&format!("HEAD:{rel}"), &old, &rel, &now, &config.selection()) {
        Ok(r) if !r.is_empty() => println!("\nmodel changes since HEAD:\n{}", codegen::diff::render_text(&r)),
        _ => {}
    }
}

/// The partition data the rules engine embeds, from `model/partitions.json`: its path and text.
pub fn partitions_data(root: &Path) -> Result<(&'static str, String), Failure> {
    const MODEL: &str = "model/partitions.json";
    let text = read(&root.join(MODEL))?;
    let data = codegen::endpoint::partitions_file(&text, MODEL).map_err(|d| Failure::Model(d.to_string()))?;
    Ok(("runtime/rules/src/partitions/data.rs", data))
}

/// Generates the crate a configuration in `model/` describes.
pub fn generate_crate(root: &Path, config_rel: &str) -> Result<Files, Failure> {
    let config_text = read(&root.join(config_rel))?;
    let config = Config::parse(config_rel, &config_text).map_err(|d| Failure::Model(d.to_string()))?;
    let model_rel = format!("model/{}", config.model);
    let model_text = read(&root.join(&model_rel))?;
    run_generator(&[Input { name: &model_rel, text: &model_text }], &config)
}

/// Runs the generator, turning a generator panic (a bug) into an error instead of a crash.
pub fn run_generator(inputs: &[Input<'_>], config: &Config) -> Result<Files, Failure> {
    match std::panic::catch_unwind(|| codegen::generate(inputs, config)) {
        Ok(Ok(generated)) => {
            for w in &generated.warnings {
                eprintln!("warning: {}: {}", w.location, w.message);
            }
            Ok(generated.files)
        }
        Ok(Err(diags)) => Err(Failure::Model(diags.to_string())),
        Err(panic) => Err(internal_error(panic)),
    }
}

/// Any model into any folder, through the library's [`codegen::Builder`] (the runtime defaults
/// to this checkout's, by a path relative to the folder).
fn generate_standalone(model: PathBuf, out: &Path, args: Args) -> Result<Files, Failure> {
    let mut b = codegen::Builder::new()
        .model(model)
        .out_dir(out)
        .standalone(true)
        .operations(args.operations)
        .compile_in_crate(args.compile_in_crate);
    if let Some(p) = args.protocol {
        b = b.protocol(p);
    }
    if let Some(s) = args.service {
        b = b.service(s);
    }
    if let Some(n) = args.crate_name {
        b = b.crate_name(n);
    }
    if let Some(r) = args.runtime {
        b = b.runtime(r);
    }
    match std::panic::catch_unwind(|| b.files()) {
        Ok(Ok(generated)) => {
            for w in &generated.warnings {
                eprintln!("warning: {}: {}", w.location, w.message);
            }
            Ok(generated.files)
        }
        Ok(Err(codegen::builder::Error::Model(d))) => Err(Failure::Model(d.to_string())),
        Ok(Err(e)) => Err(Failure::Io(e.to_string())),
        Err(panic) => Err(internal_error(panic)),
    }
}

fn internal_error(panic: Box<dyn std::any::Any + Send>) -> Failure {
    let msg = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("unknown panic");
    Failure::Model(format!("error: internal generator error (please report): {msg}"))
}

fn read(p: &Path) -> Result<String, Failure> {
    fs::read_to_string(p).map_err(|e| Failure::Io(format!("cannot read {}: {e}", p.display())))
}

/// Writes only files whose bytes changed and deletes stale ones.
pub fn write(out: &Path, files: &Files) -> Result<Changes, Failure> {
    codegen::write::sync(out, files).map_err(|e| Failure::Io(e.to_string()))
}

fn print_changes(c: &Changes, total: usize, started: Instant) {
    for (mark, list) in [("added", &c.added), ("changed", &c.changed), ("removed", &c.removed)] {
        for f in list.iter() {
            println!("  {mark:8}{f}");
        }
    }
    let n = c.added.len() + c.changed.len() + c.removed.len();
    if n == 0 {
        println!("no changes ({total} files, {:.0?})", started.elapsed());
    } else {
        println!(
            "{} added, {} changed, {} removed ({total} files, {:.0?})",
            c.added.len(),
            c.changed.len(),
            c.removed.len(),
            started.elapsed()
        );
    }
}

/// Compares without writing; fails with a short diff and the command to run.
pub fn check(out: &Path, files: &Files) -> Result<(), Failure> {
    let out_of_date = codegen::write::stale(out, files);
    if out_of_date.is_empty() {
        return Ok(());
    }
    let mut report = String::new();
    for (rel, what) in out_of_date.iter().take(5) {
        report.push_str(&format!("{what}: {rel}\n"));
        if *what != "changed" {
            continue;
        }
        let old = fs::read_to_string(out.join(rel)).unwrap_or_default();
        let diff = similar::TextDiff::from_lines(&old, &files.0[rel]);
        let udiff = diff.unified_diff().context_radius(1).header(rel, rel).to_string();
        for line in udiff.lines().take(20) {
            report.push_str("    ");
            report.push_str(line);
            report.push('\n');
        }
    }
    let n = out_of_date.len();
    if n > 5 {
        report.push_str(&format!("... and {} more\n", n - 5));
    }
    Err(Failure::OutOfDate(format!(
        "{report}error: {} is out of date ({n} file{}); run `cargo xtask codegen` and commit the result",
        out.display(),
        if n == 1 { "" } else { "s" }
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed generated crates match what the generator makes from the committed models.
    #[test]
    fn generated_crate_is_up_to_date() {
        let root = workspace_root();
        for (config, out) in CRATES {
            let files = generate_crate(&root, config).unwrap_or_else(|f| panic!("{f:?}"));
            if let Err(Failure::OutOfDate(report)) = check(&root.join(out), &files) {
                panic!("{report}");
            }
        }
        let (path, data) = partitions_data(&root).unwrap_or_else(|f| panic!("{f:?}"));
        assert_eq!(
            fs::read_to_string(root.join(path)).unwrap(),
            data,
            "{path} is out of date: run `cargo xtask codegen`"
        );
    }

    #[test]
    fn runtime_specs() {
        assert_eq!(runtime_spec("path:../rt").unwrap(), RuntimeDep::Path("../rt".into()));
        assert_eq!(
            runtime_spec("git:https://h/r.git#abc").unwrap(),
            RuntimeDep::Git { url: "https://h/r.git".into(), rev: Some("abc".into()) }
        );
        assert_eq!(runtime_spec("version:0.2").unwrap(), RuntimeDep::Version("0.2".into()));
        assert!(runtime_spec("ftp:x").is_err());
    }
}
