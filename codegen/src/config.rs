//! What to generate, read from `codegen.toml` next to the model (or built from command-line
//! flags). Configuration, not code, names the service and operations.

use serde::Deserialize;

use crate::ir::{CrateMeta, RuntimeDep};
use crate::model::Selection;

/// The contents of a `codegen.toml`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The model file, relative to the configuration file.
    pub model: String,
    /// The service shape id; optional when the model has one service.
    #[serde(default)]
    pub service: Option<String>,
    /// Operations by name or shape id; empty means all of the service's operations.
    #[serde(default)]
    pub operations: Vec<String>,
    /// The protocol to generate (`awsQuery`, or a trait id) when the service lists several;
    /// by default the one the AWS SDKs prefer.
    #[serde(default)]
    pub protocol: Option<String>,
    #[serde(rename = "crate")]
    pub krate: CrateConfig,
}

/// The generated crate's package settings.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct CrateConfig {
    pub name: String,
    #[serde(default = "default_version")]
    pub version: String,
    /// How the generated crate depends on the runtime: `{ path = "../runtime" }` (relative to
    /// the generated crate's folder), `{ git = "https://…", rev = "…" }` or
    /// `{ version = "0.1" }`.
    #[serde(deserialize_with = "runtime_dep")]
    pub runtime: RuntimeDep,
    /// Adds an empty `[workspace]` table, for crates generated outside this workspace.
    #[serde(default)]
    pub standalone: bool,
    /// Compiles the generated functions in the generated crate instead of in the crates that
    /// call them; see [`crate::Builder::compile_in_crate`].
    #[serde(default)]
    pub compile_in_crate: bool,
}

fn runtime_dep<'de, D: serde::Deserializer<'de>>(d: D) -> Result<RuntimeDep, D::Error> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Spec {
        path: Option<String>,
        git: Option<String>,
        rev: Option<String>,
        version: Option<String>,
    }
    let spec = Spec::deserialize(d)?;
    match spec {
        Spec { path: Some(p), git: None, rev: None, version: None } => Ok(RuntimeDep::Path(p)),
        Spec { path: None, git: Some(url), rev, version: None } => Ok(RuntimeDep::Git { url, rev }),
        Spec { path: None, git: None, rev: None, version: Some(v) } => Ok(RuntimeDep::Version(v)),
        _ => Err(serde::de::Error::custom(
            "`runtime` takes exactly one of `path`, `git` (with an optional `rev`) or `version`",
        )),
    }
}

fn default_version() -> String {
    "0.1.0".into()
}

impl Config {
    /// Parses a `codegen.toml`; `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<Config, crate::Diagnostics> {
        toml::from_str(text).map_err(|e| {
            let loc = match e.span() {
                Some(span) => {
                    let before = &text[..span.start.min(text.len())];
                    let line = before.matches('\n').count() + 1;
                    let col = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
                    format!("{file}:{line}:{col}")
                }
                None => file.to_string(),
            };
            crate::Diagnostics::from_vec(vec![crate::Diagnostic::new(loc, e.message().to_string())])
        })
    }

    pub fn selection(&self) -> Selection {
        Selection { service: self.service.clone(), operations: self.operations.clone() }
    }

    /// The package facts of the generated crate.
    pub fn meta(&self) -> CrateMeta {
        CrateMeta {
            name: self.krate.name.clone(),
            version: self.krate.version.clone(),
            runtime: self.krate.runtime.clone(),
            standalone: self.krate.standalone,
            compile_in_crate: self.krate.compile_in_crate,
            protocol: self.protocol.clone(),
        }
    }
}
