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
                      [--runtime path:DIR|git:URL[#REV]|version:REQ]
      generate a standalone crate for any model into any folder
  cargo xtask sweep [DIR] [--compile | --check] [--only a,b] [--out DIR]
      generate (and with --compile, build) a crate for every model in DIR (default ../shared/aws-models)
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
