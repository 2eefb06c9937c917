//! `cargo xtask codegen`: runs the generator and writes, checks or compares its files.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::time::Instant;

use codegen::{Config, Files, Input};

use crate::Failure;

/// The workspace root (the parent of this crate's directory).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_path_buf()
}

/// The project's own configuration.
pub const CONFIG: &str = "model/codegen.toml";
/// Where the project's crate is generated.
pub const OUT: &str = "generated";

struct Args {
    check: bool,
    model: Option<PathBuf>,
    out: Option<PathBuf>,
    service: Option<String>,
    operations: Vec<String>,
    crate_name: Option<String>,
}

fn parse_args(args: Vec<OsString>) -> Result<Args, Failure> {
    use lexopt::prelude::*;
    let mut p = lexopt::Parser::from_args(args);
    let mut a = Args { check: false, model: None, out: None, service: None, operations: Vec::new(), crate_name: None };
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
            Long("crate-name") => a.crate_name = Some(p.value()?.string()?),
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
            if args.service.is_some() || !args.operations.is_empty() || args.crate_name.is_some() {
                return Err(Failure::Usage(
                    "--service, --operations and --crate-name go with --model and --out".into(),
                ));
            }
            let root = workspace_root();
            let files = generate_project(&root)?;
            let out = root.join(OUT);
            if args.check {
                check(&out, &files)?;
                println!("generated/ is up to date ({} files, {:.0?})", files.0.len(), started.elapsed());
            } else {
                let changes = write(&out, &files)?;
                print_changes(&changes, files.0.len(), started);
                if changes.added.len() + changes.changed.len() + changes.removed.len() > 0 {
                    print_model_summary(&root);
                }
            }
            Ok(())
        }
        (Some(model), Some(out)) => {
            let files = generate_standalone(model, out, args.service, args.operations, args.crate_name)?;
            if args.check {
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

/// Generates the project's crate from `model/codegen.toml`.
pub fn generate_project(root: &Path) -> Result<Files, Failure> {
    let config_text = read(&root.join(CONFIG))?;
    let config = Config::parse(CONFIG, &config_text).map_err(|d| Failure::Model(d.to_string()))?;
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
        Err(panic) => {
            let msg = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("unknown panic");
            Err(Failure::Model(format!("error: internal generator error (please report): {msg}")))
        }
    }
}

fn generate_standalone(
    model: &Path,
    out: &Path,
    service: Option<String>,
    operations: Vec<String>,
    crate_name: Option<String>,
) -> Result<Files, Failure> {
    let text = read(model)?;
    let name = model.display().to_string();
    let crate_name = crate_name.unwrap_or_else(|| {
        let stem = model.file_stem().and_then(|s| s.to_str()).unwrap_or("generated");
        sanitize_crate_name(stem)
    });
    fs::create_dir_all(out).map_err(|e| Failure::Io(format!("cannot create {}: {e}", out.display())))?;
    let runtime = relative_path(&absolute(out)?, &workspace_root().join("runtime"));
    let config = Config {
        model: name.clone(),
        service,
        operations,
        krate: codegen::config::CrateConfig {
            name: crate_name,
            version: "0.1.0".into(),
            runtime: codegen::ir::RuntimeDep::Path(runtime.to_string_lossy().replace('\\', "/")),
            standalone: true,
        },
    };
    run_generator(&[Input { name: &name, text: &text }], &config)
}

pub fn sanitize_crate_name(s: &str) -> String {
    let mut n: String =
        s.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    if !n.starts_with(|c: char| c.is_ascii_alphabetic()) {
        n.insert_str(0, "svc-");
    }
    n
}

fn absolute(p: &Path) -> Result<PathBuf, Failure> {
    fs::canonicalize(p).map_err(|e| Failure::Io(format!("cannot resolve {}: {e}", p.display())))
}

/// `to` relative to the directory `from`; both absolute.
pub fn relative_path(from: &Path, to: &Path) -> PathBuf {
    let to = fs::canonicalize(to).unwrap_or_else(|_| to.to_path_buf());
    let f: Vec<Component> = from.components().collect();
    let t: Vec<Component> = to.components().collect();
    let common = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let mut p = PathBuf::new();
    for _ in common..f.len() {
        p.push("..");
    }
    for c in &t[common..] {
        p.push(c);
    }
    p
}

fn read(p: &Path) -> Result<String, Failure> {
    fs::read_to_string(p).map_err(|e| Failure::Io(format!("cannot read {}: {e}", p.display())))
}

/// Files under `dir` (relative paths, `/`-separated), skipping `target/`.
pub fn existing_files(dir: &Path) -> BTreeMap<String, PathBuf> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                if p.file_name().is_some_and(|n| n == "target") {
                    continue;
                }
                stack.push(p);
            } else if let Ok(rel) = p.strip_prefix(dir) {
                out.insert(rel.to_string_lossy().replace('\\', "/"), p);
            }
        }
    }
    out
}

#[derive(Debug, Default)]
pub struct Changes {
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub removed: Vec<String>,
}

/// Writes only files whose bytes changed and deletes stale ones.
pub fn write(out: &Path, files: &Files) -> Result<Changes, Failure> {
    let io = |p: &Path, e: std::io::Error| Failure::Io(format!("{}: {e}", p.display()));
    let existing = existing_files(out);
    let mut changes = Changes::default();
    for (rel, text) in &files.0 {
        let path = out.join(rel);
        match fs::read(&path) {
            Ok(old) if old == text.as_bytes() => continue,
            Ok(_) => changes.changed.push(rel.clone()),
            Err(_) => changes.added.push(rel.clone()),
        }
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
        }
        fs::write(&path, text).map_err(|e| io(&path, e))?;
    }
    for (rel, path) in existing {
        if !files.0.contains_key(&rel) && rel != "Cargo.lock" {
            fs::remove_file(&path).map_err(|e| io(&path, e))?;
            changes.removed.push(rel);
        }
    }
    Ok(changes)
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
    let existing = existing_files(out);
    let mut report = String::new();
    let mut n = 0;
    for (rel, text) in &files.0 {
        let old = fs::read_to_string(out.join(rel)).ok();
        if old.as_deref() == Some(text.as_str()) {
            continue;
        }
        n += 1;
        if n > 5 {
            continue;
        }
        match old {
            None => report.push_str(&format!("missing: {rel}\n")),
            Some(old) => {
                report.push_str(&format!("changed: {rel}\n"));
                let diff = similar::TextDiff::from_lines(&old, text);
                let udiff = diff.unified_diff().context_radius(1).header(rel, rel).to_string();
                for line in udiff.lines().take(20) {
                    report.push_str("    ");
                    report.push_str(line);
                    report.push('\n');
                }
            }
        }
    }
    for rel in existing.keys() {
        if !files.0.contains_key(rel) && rel != "Cargo.lock" {
            n += 1;
            if n <= 5 {
                report.push_str(&format!("stale: {rel}\n"));
            }
        }
    }
    if n == 0 {
        return Ok(());
    }
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

    /// The committed generated crate matches what the generator makes from the committed model.
    #[test]
    fn generated_crate_is_up_to_date() {
        let root = workspace_root();
        let files = generate_project(&root).unwrap_or_else(|f| panic!("{f:?}"));
        if let Err(Failure::OutOfDate(report)) = check(&root.join(OUT), &files) {
            panic!("{report}");
        }
    }

    #[test]
    fn relative_paths() {
        assert_eq!(relative_path(Path::new("/a/b/c"), Path::new("/a/d")), PathBuf::from("../../d"));
        assert_eq!(sanitize_crate_name("api.gateway"), "api-gateway");
        assert_eq!(sanitize_crate_name("3d"), "svc-3d");
    }
}
