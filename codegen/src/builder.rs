//! The generator as a library, for another repository's own `xtask` or `build.rs`, in the
//! spirit of `prost-build`: name the model, the service and operations, the crate and where the
//! runtime comes from, and write the crate into a folder.
//!
//! ```no_run
//! use codegen::{Builder, RuntimeDep};
//!
//! let out = Builder::new()
//!     .model("models/appflow.json")
//!     .service("com.amazonaws.appflow#SandstoneConfigurationServiceLambda")
//!     .operations(["DescribeConnector", "UpdateFlow"])
//!     .crate_name("appflow")
//!     .runtime(RuntimeDep::Git { url: "https://example.com/awsgen.git".into(), rev: Some("v0.1.0".into()) })
//!     .out_dir("crates/appflow")
//!     .generate()?;
//! for w in &out.warnings {
//!     eprintln!("warning: {w}");
//! }
//! # Ok::<(), codegen::builder::Error>(())
//! ```

use std::path::{Component, Path, PathBuf};

use crate::config::{Config, CrateConfig};
use crate::ir::RuntimeDep;
use crate::write::{Changes, WriteError};
use crate::{Diagnostic, Diagnostics, Input};

/// Why [`Builder::generate`] failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A setting is missing or wrong.
    #[error("awsgen: {0}")]
    Usage(String),
    /// A model file could not be read.
    #[error("awsgen: cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The model has errors; every one is listed.
    #[error("{0}")]
    Model(Diagnostics),
    /// The crate could not be written.
    #[error("awsgen: cannot write the crate: {0}")]
    Write(#[from] WriteError),
}

/// What [`Builder::generate`] did.
#[derive(Debug, Clone)]
pub struct Output {
    /// The files written or deleted.
    pub changes: Changes,
    /// What was generated but is not fully supported, and what was left out.
    pub warnings: Vec<Diagnostic>,
    pub summary: crate::Summary,
}

/// Configures and runs the generator. See the [module docs](self).
#[derive(Debug, Clone, Default)]
pub struct Builder {
    models: Vec<PathBuf>,
    service: Option<String>,
    operations: Vec<String>,
    protocol: Option<String>,
    crate_name: Option<String>,
    crate_version: Option<String>,
    runtime: Option<RuntimeDep>,
    standalone: bool,
    compile_in_crate: bool,
    out_dir: Option<PathBuf>,
}

impl Builder {
    pub fn new() -> Self {
        Self::default()
    }

    /// A model file (Smithy JSON AST); call again for models split over several files.
    pub fn model(mut self, path: impl Into<PathBuf>) -> Self {
        self.models.push(path.into());
        self
    }

    /// The service shape id; needed only when the model has several services.
    pub fn service(mut self, id: impl Into<String>) -> Self {
        self.service = Some(id.into());
        self
    }

    /// The protocol to generate (`awsQuery`, or its trait id) for a service that lists several;
    /// the one the AWS SDKs prefer when not called.
    pub fn protocol(mut self, name: impl Into<String>) -> Self {
        self.protocol = Some(name.into());
        self
    }

    /// The operations to generate, by name or shape id; all of the service's when not called.
    pub fn operations<I, S>(mut self, ops: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.operations = ops.into_iter().map(Into::into).collect();
        self
    }

    /// The package name of the generated crate (default: the model file's name).
    pub fn crate_name(mut self, name: impl Into<String>) -> Self {
        self.crate_name = Some(name.into());
        self
    }

    /// The package version (default `0.1.0`).
    pub fn crate_version(mut self, version: impl Into<String>) -> Self {
        self.crate_version = Some(version.into());
        self
    }

    /// Where the generated crate takes the runtime from. The default is a path to the `runtime/`
    /// folder beside the generator's own source, which is right inside the generator's checkout
    /// and for a git dependency on it; use a git URL or a version elsewhere.
    pub fn runtime(mut self, runtime: RuntimeDep) -> Self {
        self.runtime = Some(runtime);
        self
    }

    /// Adds an empty `[workspace]` table to the generated `Cargo.toml`, for a crate that is not a
    /// member of the workspace around it.
    pub fn standalone(mut self, standalone: bool) -> Self {
        self.standalone = standalone;
        self
    }

    /// Compiles the generated functions to machine code in the generated crate, as Rust compiles
    /// non-generic code, instead of in the crates that call them (the default: they are
    /// `#[inline]`). For a workspace whose many programs each call most of a service's
    /// operations, compiling them once in the crate is cheaper.
    pub fn compile_in_crate(mut self, compile_in_crate: bool) -> Self {
        self.compile_in_crate = compile_in_crate;
        self
    }

    /// The folder to write the crate into (created when missing).
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    fn out(&self) -> Result<&Path, Error> {
        self.out_dir.as_deref().ok_or_else(|| Error::Usage("no output folder: call .out_dir(..)".into()))
    }

    /// Generates the crate in memory, writing nothing.
    pub fn files(&self) -> Result<crate::Generated, Error> {
        if self.models.is_empty() {
            return Err(Error::Usage("no model: call .model(..)".into()));
        }
        let out = self.out()?;
        let texts = self
            .models
            .iter()
            .map(|p| std::fs::read_to_string(p).map_err(|source| Error::Read { path: p.clone(), source }))
            .collect::<Result<Vec<_>, _>>()?;
        let names: Vec<String> = self.models.iter().map(|p| p.display().to_string()).collect();
        let inputs: Vec<Input<'_>> = names.iter().zip(&texts).map(|(name, text)| Input { name, text }).collect();
        let stem = self.models[0].file_stem().and_then(|s| s.to_str()).unwrap_or("generated");
        let runtime = match &self.runtime {
            Some(r) => r.clone(),
            None => default_runtime(out),
        };
        let config = Config {
            model: names[0].clone(),
            service: self.service.clone(),
            operations: self.operations.clone(),
            protocol: self.protocol.clone(),
            krate: CrateConfig {
                name: self.crate_name.clone().unwrap_or_else(|| crate_name_from(stem)),
                version: self.crate_version.clone().unwrap_or_else(|| "0.1.0".into()),
                runtime,
                standalone: self.standalone,
                compile_in_crate: self.compile_in_crate,
            },
        };
        crate::generate(&inputs, &config).map_err(Error::Model)
    }

    /// Generates the crate and writes it into the output folder: only changed files are
    /// written, and files the generator no longer makes are deleted.
    pub fn generate(&self) -> Result<Output, Error> {
        let generated = self.files()?;
        let changes = crate::write::sync(self.out()?, &generated.files)?;
        Ok(Output { changes, warnings: generated.warnings, summary: generated.summary })
    }
}

/// The runtime beside this crate's source, as a path relative to `out`.
fn default_runtime(out: &Path) -> RuntimeDep {
    let runtime = Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime");
    RuntimeDep::Path(relative_path(&resolved(out), &runtime).to_string_lossy().replace('\\', "/"))
}

/// `p` made absolute, with symbolic links resolved as far as the path exists (the rest of it
/// may not exist yet).
fn resolved(p: &Path) -> PathBuf {
    let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut out = std::fs::canonicalize(existing).unwrap_or_else(|_| existing.to_path_buf());
    out.extend(rest.iter().rev());
    out
}

/// A package name from a model file name: lowercase letters, digits and `-`.
pub fn crate_name_from(stem: &str) -> String {
    let mut n: String =
        stem.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    if !n.starts_with(|c: char| c.is_ascii_alphabetic()) {
        n.insert_str(0, "svc-");
    }
    n
}

/// `to` relative to the folder `from` (both made absolute where they exist).
pub fn relative_path(from: &Path, to: &Path) -> PathBuf {
    let to = std::fs::canonicalize(to).unwrap_or_else(|_| to.to_path_buf());
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_paths() {
        assert_eq!(relative_path(Path::new("/a/b/c"), Path::new("/a/d")), PathBuf::from("../../d"));
        assert_eq!(crate_name_from("api.gateway"), "api-gateway");
        assert_eq!(crate_name_from("3d"), "svc-3d");
    }

    #[test]
    fn missing_settings_are_usage_errors() {
        let e = Builder::new().out_dir("/tmp/x").files().unwrap_err();
        assert_eq!(e.to_string(), "awsgen: no model: call .model(..)");
        let e = Builder::new().model("m.json").files().unwrap_err();
        assert_eq!(e.to_string(), "awsgen: no output folder: call .out_dir(..)");
        let e = Builder::new().model("/nonexistent/m.json").out_dir("/tmp/x").files().unwrap_err();
        assert!(e.to_string().starts_with("awsgen: cannot read /nonexistent/m.json: "), "{e}");
    }
}
