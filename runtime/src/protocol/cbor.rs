//! Smithy RPC v2 CBOR (`smithy.protocols#rpcv2Cbor`): CBOR bodies posted to
//! `/service/<Service>/operation/<Operation>`, encoded and decoded with `ciborium`.
//!
//! Generated code implements [`ToCbor`] and [`FromCbor`] for each structure and union: members
//! by name in a map; blobs as byte strings; timestamps as tag 1 (epoch seconds); big numbers
//! as tags 2, 3 and 4. Unknown members are skipped; a value of the wrong type is an error that
//! names the member.

use std::collections::BTreeMap;

pub use ciborium::Value;

use super::{ErrorInfo, ResponseError, SerializeError};
use crate::http::Response;

/// The content type of CBOR bodies.
pub const CONTENT_TYPE: &str = "application/cbor";

/// A body that does not read as the model says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CborError(String);

impl CborError {
    fn wrong(what: &str, found: &Value) -> Self {
        let kind = match found {
            Value::Integer(_) => "an integer",
            Value::Bytes(_) => "a byte string",
            Value::Float(_) => "a float",
            Value::Text(_) => "a text string",
            Value::Bool(_) => "a boolean",
            Value::Null => "null",
            Value::Tag(..) => "a tagged value",
            Value::Array(_) => "an array",
            Value::Map(_) => "a map",
            _ => "an unknown value",
        };
        CborError(format!("expected {what}, found {kind}"))
    }

    /// A type CBOR bodies cannot carry.
    pub fn unsupported(what: &str) -> Self {
        CborError(format!("{what} cannot be read from CBOR bodies"))
    }

    /// The same error, inside member `name`.
    pub fn within(self, name: &str) -> Self {
        CborError(format!("`{name}`: {}", self.0))
    }

    /// The error as a call returns it.
    pub fn into_response_error(self, status: u16) -> ResponseError {
        ResponseError { status, message: format!("invalid CBOR body: {}", self.0) }
    }
}

impl std::fmt::Display for CborError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Reads a structure or union from its CBOR value.
pub trait FromCbor: Sized {
    /// Reads the value from `v`.
    fn from_cbor(v: &Value) -> Result<Self, CborError>;
}

/// Writes a structure or union as a CBOR value.
pub trait ToCbor {
    /// The value; a union holding a member this model does not know cannot be written.
    fn to_cbor(&self) -> Result<Value, SerializeError>;
}

impl<T: ToCbor + ?Sized> ToCbor for Box<T> {
    fn to_cbor(&self) -> Result<Value, SerializeError> {
        (**self).to_cbor()
    }
}

impl<T: FromCbor> FromCbor for Box<T> {
    fn from_cbor(v: &Value) -> Result<Self, CborError> {
        T::from_cbor(v).map(Box::new)
    }
}

/// Decodes a body; an empty one is `None`.
pub fn parse(response: &Response) -> Result<Option<Value>, ResponseError> {
    let body = response.body();
    if body.is_empty() {
        return Ok(None);
    }
    decode(body).map(Some).map_err(|e| e.into_response_error(response.status().as_u16()))
}

/// Decodes one CBOR item.
pub fn decode(bytes: &[u8]) -> Result<Value, CborError> {
    ciborium::from_reader(bytes).map_err(|e| CborError(format!("{e}")))
}

/// Encodes `v`.
pub fn encode(v: &Value) -> Result<Vec<u8>, SerializeError> {
    let mut out = Vec::new();
    ciborium::into_writer(v, &mut out).map_err(|e| SerializeError::Body(format!("CBOR: {e}")))?;
    Ok(out)
}

/// The entries of a map value, by text key.
pub fn entries(v: &Value) -> Result<impl Iterator<Item = (&str, &Value)>, CborError> {
    match v {
        Value::Map(m) => Ok(m.iter().filter_map(|(k, v)| k.as_text().map(|k| (k, v)))),
        other => Err(CborError::wrong("a map", other)),
    }
}

/// A text string.
pub fn string(v: &Value) -> Result<String, CborError> {
    v.as_text().map(str::to_string).ok_or_else(|| CborError::wrong("a text string", v))
}

/// A boolean.
pub fn boolean(v: &Value) -> Result<bool, CborError> {
    v.as_bool().ok_or_else(|| CborError::wrong("a boolean", v))
}

/// An integer that fits `T`.
pub fn int<T: TryFrom<i128>>(v: &Value) -> Result<T, CborError> {
    let i = v.as_integer().ok_or_else(|| CborError::wrong("an integer", v))?;
    T::try_from(i128::from(i)).map_err(|_| CborError(format!("the integer {} is out of range", i128::from(i))))
}

/// A float (an integer is taken too).
pub fn float(v: &Value) -> Result<f64, CborError> {
    match v {
        Value::Float(f) => Ok(*f),
        Value::Integer(i) => Ok(i128::from(*i) as f64),
        other => Err(CborError::wrong("a float", other)),
    }
}

/// A blob: a byte string.
pub fn blob(v: &Value) -> Result<Vec<u8>, CborError> {
    v.as_bytes().cloned().ok_or_else(|| CborError::wrong("a byte string", v))
}

/// A timestamp: tag 1 around epoch seconds (an untagged number is taken too).
pub fn timestamp(v: &Value) -> Result<crate::DateTime, CborError> {
    let inner = match v {
        Value::Tag(1, inner) => inner.as_ref(),
        other => other,
    };
    let secs = float(inner).map_err(|_| CborError::wrong("a timestamp (tag 1)", v))?;
    super::parse_epoch_seconds(&super::fmt_float(secs))
        .ok_or_else(|| CborError(format!("timestamp {secs} is out of range")))
}

/// A big integer: an integer, or tag 2 / 3 around its bytes.
pub fn big_integer(v: &Value) -> Result<crate::BigInteger, CborError> {
    let text = match v {
        Value::Integer(i) => i128::from(*i).to_string(),
        other => return Err(CborError::wrong("an integer", other)),
    };
    crate::BigInteger::new(&text).ok_or_else(|| CborError(format!("`{text}` is not an integer")))
}

/// A big decimal: a number (tag 4 decimal fractions are not read).
pub fn big_decimal(v: &Value) -> Result<crate::BigDecimal, CborError> {
    let text = match v {
        Value::Integer(i) => i128::from(*i).to_string(),
        Value::Float(f) => super::fmt_float(*f),
        other => return Err(CborError::wrong("a number", other)),
    };
    crate::BigDecimal::new(&text).ok_or_else(|| CborError(format!("`{text}` is not a number")))
}

/// A list: each item read by `item`; `null` items are `None` for sparse lists.
pub fn list<T>(v: &Value, item: impl FnMut(&Value) -> Result<T, CborError>) -> Result<Vec<T>, CborError> {
    match v {
        Value::Array(a) => a.iter().map(item).collect(),
        other => Err(CborError::wrong("an array", other)),
    }
}

/// A map with text keys, each value read by `value`.
pub fn map<K: Ord + for<'a> From<&'a str>, V>(
    v: &Value,
    mut value: impl FnMut(&Value) -> Result<V, CborError>,
) -> Result<BTreeMap<K, V>, CborError> {
    entries(v)?.map(|(k, v)| Ok((K::from(k), value(v).map_err(|e| e.within(k))?))).collect()
}

/// An optional value: `None` for `null`.
pub fn nullable<T>(v: &Value, read: impl FnOnce(&Value) -> Result<T, CborError>) -> Result<Option<T>, CborError> {
    match v {
        Value::Null => Ok(None),
        v => read(v).map(Some),
    }
}

/// A timestamp as tag 1 around epoch seconds.
pub fn timestamp_value(t: &crate::DateTime) -> Value {
    Value::Tag(1, Box::new(Value::Float(t.as_secs_f64())))
}

/// An integer value.
pub fn int_value(i: impl Into<i128>) -> Value {
    Value::Integer(ciborium::value::Integer::try_from(i.into()).expect("an i64 fits CBOR"))
}

/// A big integer as a CBOR integer (values past 128 bits are an error).
pub fn big_integer_value(v: &crate::BigInteger) -> Result<Value, SerializeError> {
    let text = v.to_string();
    let i: i128 = text.parse().map_err(|_| SerializeError::Body(format!("{text} does not fit a CBOR integer")))?;
    ciborium::value::Integer::try_from(i)
        .map(Value::Integer)
        .map_err(|_| SerializeError::Body(format!("{text} does not fit a CBOR integer")))
}

/// A big decimal as a CBOR float.
pub fn big_decimal_value(v: &crate::BigDecimal) -> Result<Value, SerializeError> {
    let text = v.to_string();
    text.parse::<f64>().map(Value::Float).map_err(|_| SerializeError::Body(format!("{text} is not a number")))
}

/// The error code (`__type`, namespace removed) and message of an error response.
pub fn error_info(response: &Response) -> ErrorInfo {
    let Ok(Some(body)) = parse(response) else { return ErrorInfo::default() };
    let Ok(fields) = entries(&body) else { return ErrorInfo::default() };
    let mut info = ErrorInfo::default();
    for (k, v) in fields {
        match (k, v.as_text()) {
            ("__type", Some(t)) => {
                info.code = Some(super::sanitize_error_code(t).to_string()).filter(|c| !c.is_empty())
            }
            ("message" | "Message" | "errorMessage", Some(m)) => info.message = Some(m.to_string()),
            _ => {}
        }
    }
    info
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_errors() {
        let v = Value::Map(vec![
            (Value::Text("a".into()), int_value(-3)),
            (Value::Text("t".into()), timestamp_value(&crate::protocol::parse_epoch_seconds("1.5").unwrap())),
        ]);
        let back = decode(&encode(&v).unwrap()).unwrap();
        let fields: Vec<(&str, &Value)> = entries(&back).unwrap().collect();
        assert_eq!(int::<i32>(fields[0].1).unwrap(), -3);
        assert_eq!(timestamp(fields[1].1).unwrap().subsec_nanos(), 500_000_000);
        assert_eq!(string(fields[0].1).unwrap_err().to_string(), "expected a text string, found an integer");
        assert!(int::<i8>(&int_value(1000)).is_err());
        assert!(decode(&[0xb9, 0x00]).is_err(), "a truncated map is an error");
    }
}
