//! `cargo xtask <task>`: the project's tasks. Only this crate touches the disk; the generator
//! itself (`codegen`) is pure.

mod codegen_task;
mod diff_task;
mod sweep;

use std::process::ExitCode;

const USAGE: &str = "\
usage:
  cargo xtask codegen [--check]
      regenerate generated/ from model/codegen.toml (--check: write nothing, fail if out of date)
  cargo xtask codegen --model PATH --out DIR [--service ID] [--operations A,B] [--crate-name NAME]
                      [--runtime path:DIR|git:URL[#REV]|version:REQ] [--protocol NAME]
                      [--compile-in-crate]
      generate a standalone crate for any model into any folder (--protocol: one of the
      service's protocols, when it lists several; default: the one the AWS SDKs prefer)
  cargo xtask sweep [DIR] [--compile | --check] [--only a,b] [--out DIR]
      generate (and with --compile, build) a crate for every model in DIR (default ../shared/aws-models)
  cargo xtask endpoint-rules MODEL.json OUT_DIR
      write a crate holding only the model's endpoint rules as static data (to measure what they
      cost to compile: scripts/rules-compile-time.sh)
  cargo xtask diff OLD.json NEW.json [--service ID] [--operations A,B] [--format text|markdown|json]
      report API changes between two models; exit 3 when something breaks";

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let task = args.next().and_then(|a| a.into_string().ok());
    let rest: Vec<_> = args.collect();
    let result = match task.as_deref() {
        Some("codegen") => codegen_task::run(rest),
        Some("sweep") => sweep::run(rest),
        Some("diff") => diff_task::run(rest),
        Some("endpoint-rules") => rules_crate(rest),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some(other) => Err(Failure::Usage(format!("unknown task `{other}`"))),
        None => Err(Failure::Usage("no task given".into())),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => f.report(),
    }
}

/// `cargo xtask endpoint-rules MODEL OUT`: a crate with just the model's rule set.
fn rules_crate(args: Vec<std::ffi::OsString>) -> Result<(), Failure> {
    let [model, out] = args.as_slice() else {
        return Err(Failure::Usage("endpoint-rules takes MODEL.json and OUT_DIR".into()));
    };
    let text = std::fs::read_to_string(model).map_err(|e| Failure::Io(format!("{}: {e}", model.to_string_lossy())))?;
    let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| Failure::Model(e.to_string()))?;
    let service = v["shapes"].as_object().and_then(|s| s.values().find(|s| s["type"] == "service")).cloned();
    let rules = service.as_ref().and_then(|s| s["traits"].get("smithy.rules#endpointRuleSet"));
    let Some(rules) = rules else { return Err(Failure::Model("the model has no endpoint rule set".into())) };
    let mut sink = codegen::diag::Sink::default();
    let rs = codegen::endpoint::lower(rules, "model", &mut sink);
    let rs = match (rs, sink.finish(())) {
        (Some(rs), Ok(())) => rs,
        (_, Err(d)) => return Err(Failure::Model(d.to_string())),
        (None, Ok(())) => return Err(Failure::Model("the rule set does not lower".into())),
    };
    let body = codegen::endpoint::tokens(&rs);
    let tokens = quote::quote! {
        //! One model's endpoint rules, alone.
        #[allow(unused_imports)]
        use awsgen_rules::{Condition, EndpointSpec, Expr, Func, Literal, Param, ParamType, Part, PathSeg, Rule, RuleKind, RuleSet};
        use std::borrow::Cow::Borrowed as B;
        /// The rule set.
        pub static RULES: RuleSet = #body;
    };
    let rules_path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime/rules");
    let files = codegen::Files(
        [
            ("src/lib.rs".to_string(), codegen::render::rust_file("src/lib.rs", tokens)),
            (
                "Cargo.toml".to_string(),
                format!(
                    "[package]\nname = \"rules-only\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
                     [dependencies]\nawsgen-rules = {{ path = {:?} }}\n\n[workspace]\n",
                    rules_path.canonicalize().unwrap_or(rules_path).display().to_string()
                ),
            ),
        ]
        .into(),
    );
    codegen::write::sync(std::path::Path::new(out), &files).map_err(|e| Failure::Io(e.to_string()))?;
    Ok(())
}

/// How a task failed; each kind has its own exit code.
#[derive(Debug)]
pub enum Failure {
    /// The model (or configuration) has errors: exit 1.
    Model(String),
    /// Generated files are out of date (`--check`): exit 1.
    OutOfDate(String),
    /// Bad command line: exit 2.
    Usage(String),
    /// A file could not be read or written: exit 2.
    Io(String),
    /// `diff` found breaking changes (the report is already printed): exit 3.
    Breaking(usize),
}

impl Failure {
    fn report(self) -> ExitCode {
        match self {
            Failure::Model(m) | Failure::OutOfDate(m) => {
                eprintln!("{m}");
                ExitCode::from(1)
            }
            Failure::Usage(m) => {
                eprintln!("error: {m}\n\n{USAGE}");
                ExitCode::from(2)
            }
            Failure::Io(m) => {
                eprintln!("error: {m}");
                ExitCode::from(2)
            }
            Failure::Breaking(n) => {
                eprintln!("{n} breaking change{}", if n == 1 { "" } else { "s" });
                ExitCode::from(3)
            }
        }
    }
}

impl From<lexopt::Error> for Failure {
    fn from(e: lexopt::Error) -> Self {
        Failure::Usage(e.to_string())
    }
}
