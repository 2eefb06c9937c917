//! The CBOR decoder of the rpcv2Cbor protocol (ciborium, through
//! `awsgen_runtime::protocol::cbor::decode`) over botocore's decoding vectors
//! (`../shared/reference/cbor/`): every success case decodes to the expected value, every error
//! case is an error, never a panic. Prints `cbor decoding vectors: passed P, failed F, total N`.

use std::io::Write as _;

use awsgen_runtime::protocol::cbor::{decode, Value};
use integration_tests::shared_dir;
use serde_json::Value as Json;

fn hex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

/// Whether the decoded `got` is the vector's `want` (`{"uint": 1}`, `{"float32": bits}`, ...).
fn same(got: &Value, want: &Json) -> bool {
    let Some((kind, w)) = want.as_object().and_then(|o| o.iter().next()) else { return false };
    match (kind.as_str(), got) {
        ("uint" | "negint", Value::Integer(i)) => match w.as_i64().map(i128::from).or(w.as_u64().map(i128::from)) {
            Some(n) => n == i128::from(*i),
            // Past 64 bits serde_json reads the vector's number as a float: compare as that.
            None => w.as_f64() == Some(i128::from(*i) as f64),
        },
        ("float32", Value::Float(f)) => {
            let want = f32::from_bits(w.as_u64().unwrap() as u32);
            (want.is_nan() && f.is_nan()) || f64::from(want) == *f
        }
        ("float64", Value::Float(f)) => {
            let want = f64::from_bits(w.as_u64().unwrap());
            (want.is_nan() && f.is_nan()) || want == *f
        }
        ("bool", Value::Bool(b)) => w.as_bool() == Some(*b),
        ("null", Value::Null) => true,
        ("string", Value::Text(t)) => w.as_str() == Some(t.as_str()),
        ("bytestring", Value::Bytes(b)) => w.as_array().is_some_and(|a| {
            a.iter().map(|x| x.as_u64().map(|n| n as u8)).collect::<Option<Vec<u8>>>() == Some(b.clone())
        }),
        ("list", Value::Array(items)) => {
            w.as_array().is_some_and(|a| a.len() == items.len() && a.iter().zip(items).all(|(w, g)| same(g, w)))
        }
        ("map", Value::Map(entries)) => w.as_object().is_some_and(|o| {
            o.len() == entries.len()
                && o.iter()
                    .all(|(k, wv)| entries.iter().any(|(gk, gv)| gk.as_text() == Some(k.as_str()) && same(gv, wv)))
        }),
        ("tag", Value::Tag(id, inner)) => w["id"].as_u64() == Some(*id) && same(inner, &w["value"]),
        _ => false,
    }
}

#[test]
fn decoding_vectors() {
    let Some(shared) = shared_dir() else { return };
    let read = |f: &str| -> Vec<Json> {
        serde_json::from_str(&std::fs::read_to_string(shared.join("reference/cbor").join(f)).unwrap()).unwrap()
    };
    let mut problems = Vec::new();
    let (ok, bad) = (read("decode-success-tests.json"), read("decode-error-tests.json"));
    for c in &ok {
        match decode(&hex(c["input"].as_str().unwrap())) {
            Ok(v) if same(&v, &c["expect"]) => {}
            other => problems.push(format!("{}: got {other:?}, want {}", c["description"], c["expect"])),
        }
    }
    for c in &bad {
        let input = hex(c["input"].as_str().unwrap());
        if let Ok(v) = std::panic::catch_unwind(|| decode(&input)).expect("no panic") {
            problems.push(format!("{}: decoded {v:?}, want an error", c["description"]));
        }
    }
    let total = ok.len() + bad.len();
    let _ = writeln!(
        std::io::stdout(),
        "cbor decoding vectors: passed {}, failed {}, total {total}",
        total - problems.len(),
        problems.len()
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
