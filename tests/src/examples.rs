//! Seeded example values for any shape of the project's model, as wire JSON: every member set,
//! enum values chosen by the seed so that a range of seeds covers every value of every enum.
//! The differential tests send them through both SDKs; the property tests mutate them.

use codegen::ir::{Crate, NamedKind, StructDef, Ty, TypeDef};
use serde_json::{json, Map, Value};

/// The IR of the project's AppFlow model.
pub fn appflow_ir() -> Crate {
    let root = crate::workspace_root();
    let config_text = std::fs::read_to_string(root.join("model/codegen.toml")).unwrap();
    let config = codegen::Config::parse("model/codegen.toml", &config_text).unwrap();
    let text = std::fs::read_to_string(root.join("model").join(&config.model)).unwrap();
    let model = codegen::load(&[codegen::Input { name: "model", text: &text }]).unwrap();
    let closure = codegen::model::closure(&model, &config.selection()).unwrap();
    codegen::lower::lower(&model, &closure, &config.meta()).unwrap()
}

/// Generates example values from one seed.
pub struct Examples<'a> {
    ir: &'a Crate,
    seed: u64,
    counter: u64,
}

impl<'a> Examples<'a> {
    pub fn new(ir: &'a Crate, seed: u64) -> Self {
        Self { ir, seed, counter: 0 }
    }

    fn next(&mut self) -> u64 {
        self.counter += 1;
        self.seed.wrapping_add(self.counter)
    }

    /// A structure with every member set.
    pub fn structure(&mut self, s: &StructDef) -> Value {
        let mut m = Map::new();
        for f in &s.fields {
            m.insert(f.wire.clone(), self.value(&f.ty));
        }
        Value::Object(m)
    }

    /// An example of type `t`.
    pub fn value(&mut self, t: &Ty) -> Value {
        let n = self.next();
        match t {
            Ty::String => json!(format!("value-{n}")),
            Ty::Bool => json!(n % 2 == 0),
            Ty::I8 | Ty::I16 => json!(n % 100),
            Ty::I32 | Ty::I64 => json!(n % 10_000),
            Ty::F32 | Ty::F64 => json!(n as f64 + 0.5),
            // Epoch seconds with a fraction (milliseconds).
            Ty::Timestamp(_) => json!(1_700_000_000.0 + (n % 100_000) as f64 + 0.125),
            Ty::Named { id, kind } => {
                let def = &self.ir.ty(id).def;
                match (kind, def) {
                    (NamedKind::Enum, TypeDef::Enum(e)) => {
                        // The seed picks the value, so consecutive seeds walk through all of them.
                        let i = (self.seed as usize + e.name.len()) % e.variants.len();
                        e.variants[i].value.clone()
                    }
                    (NamedKind::Struct, TypeDef::Struct(s)) => self.structure(s),
                    _ => panic!("unexpected type {id}"),
                }
            }
            Ty::List { item, .. } => json!([self.value(item), self.value(item)]),
            Ty::Map { key, value, .. } => {
                let mut m = Map::new();
                for i in 0..3 {
                    let k = match self.value(key) {
                        Value::String(s) if matches!(**key, Ty::String) => format!("{s}-{i}"),
                        Value::String(s) => s,
                        other => other.to_string(),
                    };
                    m.insert(k, self.value(value));
                }
                Value::Object(m)
            }
            other => panic!("AppFlow has no {other:?}"),
        }
    }
}
