//! Parse stage: a serde mirror of the Smithy JSON AST, with no interpretation.
//!
//! Object keys land in `BTreeMap`s so that nothing downstream can depend on the key order of the
//! input file: the same model with shuffled keys produces the same output. The one exception is
//! the members of a shape, whose order is part of the model (Smithy keeps it, and the generated
//! structs list fields as the model and the AWS documentation do): an `IndexMap`.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::Value;

use crate::diag::Diagnostic;

/// A whole Smithy JSON AST document.
#[derive(Debug, Deserialize)]
pub struct AstModel {
    pub smithy: String,
    #[serde(default)]
    pub metadata: BTreeMap<String, Value>,
    #[serde(default)]
    pub shapes: BTreeMap<String, AstShape>,
}

/// A reference to another shape: `{ "target": "ns#Name" }`.
#[derive(Debug, Clone, Deserialize)]
pub struct AstRef {
    pub target: String,
}

/// A member of an aggregate shape.
#[derive(Debug, Clone, Deserialize)]
pub struct AstMember {
    pub target: String,
    #[serde(default)]
    pub traits: BTreeMap<String, Value>,
}

/// One shape of any type. Fields that do not apply to a type stay empty; the resolve stage
/// checks which ones a type may carry.
#[derive(Debug, Clone, Deserialize)]
pub struct AstShape {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub traits: BTreeMap<String, Value>,
    #[serde(default)]
    pub members: IndexMap<String, AstMember>,
    pub member: Option<AstMember>,
    pub key: Option<AstMember>,
    pub value: Option<AstMember>,
    #[serde(default)]
    pub mixins: Vec<AstRef>,
    pub input: Option<AstRef>,
    pub output: Option<AstRef>,
    #[serde(default)]
    pub errors: Vec<AstRef>,
    #[serde(default)]
    pub operations: Vec<AstRef>,
    #[serde(default)]
    pub resources: Vec<AstRef>,
    pub version: Option<String>,
    #[serde(default)]
    pub identifiers: BTreeMap<String, AstRef>,
    #[serde(default)]
    pub properties: BTreeMap<String, AstRef>,
    pub create: Option<AstRef>,
    pub put: Option<AstRef>,
    pub read: Option<AstRef>,
    pub update: Option<AstRef>,
    pub delete: Option<AstRef>,
    pub list: Option<AstRef>,
    #[serde(default, rename = "collectionOperations")]
    pub collection_operations: Vec<AstRef>,
    /// Service shapes may rename shapes that conflict across namespaces.
    #[serde(default)]
    pub rename: BTreeMap<String, String>,
}

/// Parses one model file. `file` names it in errors, which carry line, column and the JSON path.
pub fn parse(file: &str, text: &str) -> Result<AstModel, Diagnostic> {
    let de = &mut serde_json::Deserializer::from_str(text);
    match serde_path_to_error::deserialize::<_, AstModel>(de) {
        Ok(model) => Ok(model),
        Err(err) => {
            let path = err.path().to_string();
            let inner = err.into_inner();
            let what = strip_position(&inner.to_string());
            let at = if path.is_empty() || path == "." { String::new() } else { format!(" at `{path}`") };
            Err(Diagnostic::new(
                format!("{file}:{}:{}", inner.line(), inner.column()),
                format!("invalid model JSON{at}: {what}"),
            ))
        }
    }
}

/// serde_json appends " at line L column C" to its messages; the location is reported separately.
fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}
