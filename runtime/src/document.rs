//! [`Document`]: the untyped JSON-like value that Smithy `document` shapes map to.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use crate::protocol::json::{JsonError, JsonReader, JsonWriter};

/// An untyped value: what a Smithy `document` member holds. Its text form is JSON
/// ([`Display`](fmt::Display) writes it, [`FromStr`] and [`Document::from_json`] read it).
///
/// Object keys are kept sorted, so a document writes the same text whatever order it was built
/// or read in.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Document {
    /// `null`.
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Number(Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Document>),
    /// An object.
    Object(BTreeMap<String, Document>),
}

/// A document's number: an integer when its text has no fraction or exponent and fits 64 bits,
/// else a float.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    /// An integer ≥ 0.
    PosInt(u64),
    /// An integer < 0.
    NegInt(i64),
    /// Any other number. A float that is not finite is written as `null`, as JSON has no
    /// spelling for it.
    Float(f64),
}

impl Number {
    /// The number as an `f64` (integers beyond 2⁵³ are rounded).
    pub fn as_f64(self) -> f64 {
        match self {
            Number::PosInt(v) => v as f64,
            Number::NegInt(v) => v as f64,
            Number::Float(v) => v,
        }
    }

    /// The number as an `i64`, when it is an integer in range.
    pub fn as_i64(self) -> Option<i64> {
        match self {
            Number::PosInt(v) => i64::try_from(v).ok(),
            Number::NegInt(v) => Some(v),
            Number::Float(_) => None,
        }
    }

    /// The number as a `u64`, when it is an integer ≥ 0.
    pub fn as_u64(self) -> Option<u64> {
        match self {
            Number::PosInt(v) => Some(v),
            Number::NegInt(_) | Number::Float(_) => None,
        }
    }
}

impl Document {
    /// Reads a document from its JSON text.
    pub fn from_json(text: &str) -> Result<Self, JsonError> {
        let mut r = JsonReader::new(text);
        let d = r.document()?;
        r.end()?;
        Ok(d)
    }

    /// The document's JSON text.
    pub fn to_json(&self) -> String {
        let mut w = JsonWriter::new();
        w.document(self);
        // A document always writes, and only UTF-8.
        String::from_utf8(w.finish().unwrap_or_default()).unwrap_or_default()
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Document::Null)
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Document::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The number, if this is one.
    pub fn as_number(&self) -> Option<Number> {
        match self {
            Document::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Document::String(s) => Some(s),
            _ => None,
        }
    }

    /// The items, if this is an array.
    pub fn as_array(&self) -> Option<&[Document]> {
        match self {
            Document::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The members, if this is an object.
    pub fn as_object(&self) -> Option<&BTreeMap<String, Document>> {
        match self {
            Document::Object(o) => Some(o),
            _ => None,
        }
    }

    /// The member `key`, if this is an object that has it.
    pub fn get(&self, key: &str) -> Option<&Document> {
        self.as_object()?.get(key)
    }
}

impl fmt::Display for Document {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_json())
    }
}

impl FromStr for Document {
    type Err = JsonError;
    fn from_str(text: &str) -> Result<Self, JsonError> {
        Document::from_json(text)
    }
}

impl From<bool> for Document {
    fn from(v: bool) -> Self {
        Document::Bool(v)
    }
}

impl From<&str> for Document {
    fn from(v: &str) -> Self {
        Document::String(v.to_owned())
    }
}

impl From<String> for Document {
    fn from(v: String) -> Self {
        Document::String(v)
    }
}

impl From<Number> for Document {
    fn from(v: Number) -> Self {
        Document::Number(v)
    }
}

impl From<i64> for Document {
    fn from(v: i64) -> Self {
        Document::Number(match u64::try_from(v) {
            Ok(u) => Number::PosInt(u),
            Err(_) => Number::NegInt(v),
        })
    }
}

impl From<i32> for Document {
    fn from(v: i32) -> Self {
        Document::from(i64::from(v))
    }
}

impl From<u64> for Document {
    fn from(v: u64) -> Self {
        Document::Number(Number::PosInt(v))
    }
}

impl From<f64> for Document {
    fn from(v: f64) -> Self {
        Document::Number(Number::Float(v))
    }
}

impl From<Vec<Document>> for Document {
    fn from(v: Vec<Document>) -> Self {
        Document::Array(v)
    }
}

impl From<BTreeMap<String, Document>> for Document {
    fn from(v: BTreeMap<String, Document>) -> Self {
        Document::Object(v)
    }
}

impl<K: Into<String>, V: Into<Document>> FromIterator<(K, V)> for Document {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        Document::Object(iter.into_iter().map(|(k, v)| (k.into(), v.into())).collect())
    }
}

#[cfg(feature = "serde")]
mod serde_impls {
    use std::collections::BTreeMap;
    use std::fmt;

    use serde::de::{self, MapAccess, SeqAccess, Visitor};
    use serde::ser::{SerializeMap, SerializeSeq};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::{Document, Number};

    impl Serialize for Document {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            match self {
                Document::Null => s.serialize_unit(),
                Document::Bool(b) => s.serialize_bool(*b),
                Document::Number(Number::PosInt(v)) => s.serialize_u64(*v),
                Document::Number(Number::NegInt(v)) => s.serialize_i64(*v),
                Document::Number(Number::Float(v)) if v.is_finite() => s.serialize_f64(*v),
                Document::Number(Number::Float(_)) => s.serialize_unit(),
                Document::String(v) => s.serialize_str(v),
                Document::Array(items) => {
                    let mut seq = s.serialize_seq(Some(items.len()))?;
                    for item in items {
                        seq.serialize_element(item)?;
                    }
                    seq.end()
                }
                Document::Object(members) => {
                    let mut map = s.serialize_map(Some(members.len()))?;
                    for (k, v) in members {
                        map.serialize_entry(k, v)?;
                    }
                    map.end()
                }
            }
        }
    }

    impl<'de> Deserialize<'de> for Document {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_any(DocumentVisitor)
        }
    }

    struct DocumentVisitor;

    impl<'de> Visitor<'de> for DocumentVisitor {
        type Value = Document;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("any JSON value")
        }
        fn visit_unit<E: de::Error>(self) -> Result<Document, E> {
            Ok(Document::Null)
        }
        fn visit_none<E: de::Error>(self) -> Result<Document, E> {
            Ok(Document::Null)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Document, D::Error> {
            Document::deserialize(d)
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Document, E> {
            Ok(Document::Bool(v))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Document, E> {
            Ok(Document::from(v))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Document, E> {
            Ok(Document::from(v))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Document, E> {
            Ok(Document::from(v))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Document, E> {
            Ok(Document::from(v))
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<Document, E> {
            Ok(Document::String(v))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Document, A::Error> {
            let mut items = Vec::new();
            while let Some(item) = seq.next_element()? {
                items.push(item);
            }
            Ok(Document::Array(items))
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Document, A::Error> {
            let mut members = BTreeMap::new();
            while let Some((k, v)) = map.next_entry::<String, Document>()? {
                members.insert(k, v);
            }
            Ok(Document::Object(members))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_writes_each_kind() {
        let text = r#"{"a":[1,-2,1.5,"x",true,false,null],"b":{},"c":18446744073709551615,"d":18446744073709551616}"#;
        let d = Document::from_json(text).unwrap();
        let a = d.get("a").and_then(Document::as_array).unwrap();
        assert_eq!(a[0], Document::Number(Number::PosInt(1)));
        assert_eq!(a[1], Document::Number(Number::NegInt(-2)));
        assert_eq!(a[2], Document::Number(Number::Float(1.5)));
        assert_eq!(a[3].as_str(), Some("x"));
        assert_eq!(d.get("c").and_then(Document::as_number).and_then(Number::as_u64), Some(u64::MAX));
        // Beyond 64 bits: a float.
        assert_eq!(d.get("d"), Some(&Document::Number(Number::Float(18446744073709551616.0))));
        assert_eq!(
            d.to_json(),
            r#"{"a":[1,-2,1.5,"x",true,false,null],"b":{},"c":18446744073709551615,"d":1.8446744073709552e+19}"#
        );
        // Beyond f64: refused, as JSON has no spelling for infinity.
        assert_eq!(Document::from_json("[1e400]").unwrap_err().offset, 1);
        assert_eq!(Document::from(f64::NAN).to_json(), "null");
        // `-0` keeps its sign, as a float.
        assert_eq!(Document::from_json("-0").unwrap(), Document::Number(Number::Float(-0.0)));
        assert_eq!(Document::from_json("-0").unwrap().to_json(), "-0.0");
        assert_eq!(Document::from_json("0").unwrap(), Document::from(0i64));
    }

    #[test]
    fn keys_are_written_sorted() {
        let d: Document = [("b", Document::from(1i64)), ("a", Document::from("é\n"))].into_iter().collect();
        assert_eq!(d.to_string(), r#"{"a":"é\n","b":1}"#);
    }

    #[test]
    fn bad_text_is_an_error_with_its_offset() {
        let e = Document::from_json(r#"{"a": [1, }"#).unwrap_err();
        assert_eq!(e.offset, 10, "{e}");
        assert!(Document::from_json("1 2").is_err());
        assert!(Document::from_json(&"[".repeat(200)).is_err());
    }
}
