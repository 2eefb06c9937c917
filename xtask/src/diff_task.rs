//! `cargo xtask diff OLD.json NEW.json [--service ID] [--operations A,B] [--format text|markdown|json]`:
//! the semantic change report between two models. Exit code 0 when nothing breaks, 3 when
//! something does, 1 on model errors, 2 on bad usage.

use std::ffi::OsString;
use std::path::PathBuf;

use codegen::diff::{compare, render_json, render_markdown, render_text, Report};
use codegen::model::Selection;
use codegen::Input;

use crate::Failure;

pub fn run(args: Vec<OsString>) -> Result<(), Failure> {
    use lexopt::prelude::*;
    let mut p = lexopt::Parser::from_args(args);
    let mut files: Vec<PathBuf> = Vec::new();
    let mut sel = Selection::default();
    let mut format = "text".to_string();
    while let Some(arg) = p.next()? {
        match arg {
            Long("service") => sel.service = Some(p.value()?.string()?),
            Long("operations") => {
                sel.operations = p.value()?.string()?.split(',').map(|s| s.trim().to_string()).collect()
            }
            Long("format") => format = p.value()?.string()?,
            Value(v) => files.push(v.into()),
            _ => return Err(arg.unexpected().into()),
        }
    }
    let [old, new] = files.as_slice() else { return Err(Failure::Usage("expected OLD.json and NEW.json".into())) };
    let read =
        |p: &PathBuf| std::fs::read_to_string(p).map_err(|e| Failure::Io(format!("cannot read {}: {e}", p.display())));
    let report = report(&old.display().to_string(), &read(old)?, &new.display().to_string(), &read(new)?, &sel)?;
    let text = match format.as_str() {
        "text" => render_text(&report),
        "markdown" | "md" => render_markdown(&report),
        "json" => render_json(&report),
        other => return Err(Failure::Usage(format!("unknown format `{other}` (text, markdown, json)"))),
    };
    print!("{text}");
    if report.breaking() > 0 {
        Err(Failure::Breaking(report.breaking()))
    } else {
        Ok(())
    }
}

/// Loads both models and compares the selected operations.
pub fn report(old_name: &str, old: &str, new_name: &str, new: &str, sel: &Selection) -> Result<Report, Failure> {
    let load = |name: &str, text: &str| {
        let model = codegen::load(&[Input { name, text }]).map_err(|d| Failure::Model(d.to_string()))?;
        let closure = codegen::model::closure(&model, sel).map_err(|d| Failure::Model(d.to_string()))?;
        Ok::<_, Failure>((model, closure))
    };
    let (om, oc) = load(old_name, old)?;
    let (nm, nc) = load(new_name, new)?;
    Ok(compare(&om, &oc, &nm, &nc))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(name: &str, text: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("awsgen-diff-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    fn model(extra_value: bool) -> String {
        let more = if extra_value {
            r#","B": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "b"}}"#
        } else {
            ""
        };
        format!(
            r#"{{"smithy": "2.0", "shapes": {{
                "ex#S": {{"type": "service", "version": "1", "operations": [{{"target": "ex#Op"}}], "traits": {{"aws.protocols#awsJson1_0": {{}}}}}},
                "ex#Op": {{"type": "operation", "input": {{"target": "ex#In"}}}},
                "ex#In": {{"type": "structure", "members": {{"e": {{"target": "ex#E"}}}}}},
                "ex#E": {{"type": "enum", "members": {{"A": {{"target": "smithy.api#Unit", "traits": {{"smithy.api#enumValue": "a"}}}}{more}}}}}
            }}}}"#
        )
    }

    #[test]
    fn exit_codes_say_whether_something_breaks() {
        let (small, big) = (write("small.json", &model(false)), write("big.json", &model(true)));
        let args =
            |a: &PathBuf, b: &PathBuf, f: &str| vec![a.clone().into(), b.clone().into(), "--format".into(), f.into()];
        assert!(run(args(&small, &big, "json")).is_ok(), "adding an enum value is compatible");
        assert!(matches!(run(args(&big, &small, "markdown")), Err(Failure::Breaking(1))));
        assert!(matches!(run(args(&big, &small, "yaml")), Err(Failure::Usage(_))));
        let bad = write("bad.json", "{");
        assert!(matches!(run(args(&bad, &small, "text")), Err(Failure::Model(_))));
    }
}
