//! serde adapters (the `serde` feature): the derived serde impls of generated types write and
//! read the JSON the AWS JSON protocols put on the wire, as the generated wire functions do.
//!
//! Generated fields use `#[serde(with = "wire::As::<…>")]` with the adapters below (built on
//! serde_with's `SerializeAs`/`DeserializeAs`), so that the derived serde impls of generated
//! types produce exactly the JSON the AWS JSON protocols put on the wire: timestamps as epoch
//! seconds, blobs as base64, NaN and infinities as strings, and dense collections that drop
//! nulls when reading.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use base64::Engine as _;
use serde::de::{self, DeserializeOwned, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
pub use serde_with::{de::DeserializeAsWrap, ser::SerializeAsWrap, As, DeserializeAs, Same, SerializeAs};

use crate::protocol::{format_date_time, format_http_date, parse_date_time, parse_epoch_seconds, parse_http_date};
use crate::DateTime;

/// Timestamps as epoch seconds: an integer when there is no fraction, else a decimal number.
pub struct EpochSeconds;
/// Timestamps as RFC 3339 date-time strings (`1985-04-12T23:20:50.52Z`).
pub struct DateTimeString;
/// Timestamps as HTTP dates (`Tue, 29 Apr 2014 18:30:38 GMT`).
pub struct HttpDate;
/// Blobs as base64 strings.
pub struct Base64;
/// Floats, with NaN and the infinities as the strings `"NaN"`, `"Infinity"`, `"-Infinity"`.
pub struct Float;
/// Dense lists and maps: nulls are skipped when reading.
pub struct Dense<T>(PhantomData<T>);

impl SerializeAs<DateTime> for EpochSeconds {
    fn serialize_as<S: Serializer>(t: &DateTime, s: S) -> Result<S::Ok, S::Error> {
        let nanos = t.subsec_nanos();
        if nanos == 0 {
            s.serialize_i64(t.secs())
        } else {
            s.serialize_f64(t.secs() as f64 + f64::from(nanos) / 1e9)
        }
    }
}

impl<'de> DeserializeAs<'de, DateTime> for EpochSeconds {
    fn deserialize_as<D: Deserializer<'de>>(d: D) -> Result<DateTime, D::Error> {
        let n = serde_json::Number::deserialize(d)?;
        parse_epoch_seconds(&n.to_string()).ok_or_else(|| de::Error::custom(format!("timestamp out of range: {n}")))
    }
}

impl SerializeAs<DateTime> for DateTimeString {
    fn serialize_as<S: Serializer>(t: &DateTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format_date_time(t))
    }
}

impl<'de> DeserializeAs<'de, DateTime> for DateTimeString {
    fn deserialize_as<D: Deserializer<'de>>(d: D) -> Result<DateTime, D::Error> {
        let s = Str::deserialize(d)?;
        parse_date_time(s.as_str())
            .ok_or_else(|| de::Error::custom(format!("invalid RFC 3339 date-time `{}`", s.as_str())))
    }
}

impl SerializeAs<DateTime> for HttpDate {
    fn serialize_as<S: Serializer>(t: &DateTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format_http_date(t))
    }
}

impl<'de> DeserializeAs<'de, DateTime> for HttpDate {
    fn deserialize_as<D: Deserializer<'de>>(d: D) -> Result<DateTime, D::Error> {
        let s = Str::deserialize(d)?;
        parse_http_date(s.as_str()).ok_or_else(|| de::Error::custom(format!("invalid HTTP date `{}`", s.as_str())))
    }
}

impl SerializeAs<Vec<u8>> for Base64 {
    fn serialize_as<S: Serializer>(b: &Vec<u8>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(b))
    }
}

impl<'de> DeserializeAs<'de, Vec<u8>> for Base64 {
    fn deserialize_as<D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let s = Str::deserialize(d)?;
        base64::engine::general_purpose::STANDARD
            .decode(s.as_str())
            .map_err(|e| de::Error::custom(format!("invalid base64: {e}")))
    }
}

macro_rules! float_as {
    ($t:ty) => {
        impl SerializeAs<$t> for Float {
            fn serialize_as<S: Serializer>(v: &$t, s: S) -> Result<S::Ok, S::Error> {
                if v.is_nan() {
                    s.serialize_str("NaN")
                } else if v.is_infinite() {
                    s.serialize_str(if *v > 0.0 { "Infinity" } else { "-Infinity" })
                } else {
                    v.serialize(s)
                }
            }
        }

        impl<'de> DeserializeAs<'de, $t> for Float {
            fn deserialize_as<D: Deserializer<'de>>(d: D) -> Result<$t, D::Error> {
                struct V;
                impl<'de> Visitor<'de> for V {
                    type Value = $t;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str("a number, \"NaN\", \"Infinity\" or \"-Infinity\"")
                    }
                    fn visit_f64<E: de::Error>(self, v: f64) -> Result<$t, E> {
                        Ok(v as $t)
                    }
                    fn visit_i64<E: de::Error>(self, v: i64) -> Result<$t, E> {
                        Ok(v as $t)
                    }
                    fn visit_u64<E: de::Error>(self, v: u64) -> Result<$t, E> {
                        Ok(v as $t)
                    }
                    fn visit_str<E: de::Error>(self, v: &str) -> Result<$t, E> {
                        match v {
                            "NaN" => Ok(<$t>::NAN),
                            "Infinity" => Ok(<$t>::INFINITY),
                            "-Infinity" => Ok(<$t>::NEG_INFINITY),
                            _ => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
                        }
                    }
                }
                d.deserialize_any(V)
            }
        }
    };
}
float_as!(f32);
float_as!(f64);

impl<T, A: SerializeAs<T>> SerializeAs<Vec<T>> for Dense<A> {
    fn serialize_as<S: Serializer>(v: &Vec<T>, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(v.len()))?;
        for item in v {
            seq.serialize_element(&SerializeAsWrap::<T, A>::new(item))?;
        }
        seq.end()
    }
}

impl<'de, T, A: DeserializeAs<'de, T>> DeserializeAs<'de, Vec<T>> for Dense<A> {
    fn deserialize_as<D: Deserializer<'de>>(d: D) -> Result<Vec<T>, D::Error> {
        struct V<T, A>(PhantomData<(T, A)>);
        impl<'de, T, A: DeserializeAs<'de, T>> Visitor<'de> for V<T, A> {
            type Value = Vec<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list")
            }
            fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<Vec<T>, S::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
                while let Some(item) = seq.next_element::<Option<DeserializeAsWrap<T, A>>>()? {
                    if let Some(item) = item {
                        out.push(item.into_inner());
                    }
                }
                Ok(out)
            }
        }
        d.deserialize_seq(V::<T, A>(PhantomData))
    }
}

impl<K: Serialize, T, A: SerializeAs<T>> SerializeAs<BTreeMap<K, T>> for Dense<A> {
    fn serialize_as<S: Serializer>(m: &BTreeMap<K, T>, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(m.len()))?;
        for (k, v) in m {
            map.serialize_entry(k, &SerializeAsWrap::<T, A>::new(v))?;
        }
        map.end()
    }
}

impl<'de, K: Ord + DeserializeOwned, T, A: DeserializeAs<'de, T>> DeserializeAs<'de, BTreeMap<K, T>> for Dense<A> {
    fn deserialize_as<D: Deserializer<'de>>(d: D) -> Result<BTreeMap<K, T>, D::Error> {
        struct V<K, T, A>(PhantomData<(K, T, A)>);
        impl<'de, K: Ord + DeserializeOwned, T, A: DeserializeAs<'de, T>> Visitor<'de> for V<K, T, A> {
            type Value = BTreeMap<K, T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<BTreeMap<K, T>, M::Error> {
                let mut out = BTreeMap::new();
                while let Some(k) = map.next_key::<K>()? {
                    if let Some(v) = map.next_value::<Option<DeserializeAsWrap<T, A>>>()? {
                        out.insert(k, v.into_inner());
                    }
                }
                Ok(out)
            }
        }
        d.deserialize_map(V::<K, T, A>(PhantomData))
    }
}

/// A string read without copying when the input allows it.
enum Str<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl Str<'_> {
    fn as_str(&self) -> &str {
        match self {
            Str::Borrowed(s) => s,
            Str::Owned(s) => s,
        }
    }
}

impl<'de> Deserialize<'de> for Str<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Str<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Str<'de>, E> {
                Ok(Str::Borrowed(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Str<'de>, E> {
                Ok(Str::Owned(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Str<'de>, E> {
                Ok(Str::Owned(v))
            }
        }
        d.deserialize_str(V)
    }
}

/// Reads a string-valued enum through its `From<&str>` conversion.
pub fn deserialize_str_enum<'de, D, E>(d: D) -> Result<E, D::Error>
where
    D: Deserializer<'de>,
    E: for<'a> From<&'a str>,
{
    Str::deserialize(d).map(|s| E::from(s.as_str()))
}

/// Reads an intEnum through its `From<i32>` conversion.
pub fn deserialize_int_enum<'de, D, E>(d: D) -> Result<E, D::Error>
where
    D: Deserializer<'de>,
    E: From<i32>,
{
    i32::deserialize(d).map(E::from)
}

/// A generated union: how to read one member, given its key.
pub trait Union: Sized {
    /// The union's name, for error messages.
    const NAME: &'static str;
    /// Reads the value of member `key`; `Ok(None)` when the value is null.
    fn visit_member<'de, A: MapAccess<'de>>(key: &str, map: &mut A) -> Result<Option<Self>, A::Error>;
    /// The union for a member this version of the model does not know.
    fn unknown(key: &str) -> Self;
}

/// Reads a union: a JSON object with exactly one non-null member. `__type` is ignored, an
/// unknown member is kept as the union's `Unknown` variant.
pub fn deserialize_union<'de, D: Deserializer<'de>, U: Union>(d: D) -> Result<U, D::Error> {
    struct V<U>(PhantomData<U>);
    impl<'de, U: Union> Visitor<'de> for V<U> {
        type Value = U;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "union {} (an object with one member)", U::NAME)
        }
        fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<U, M::Error> {
            let mut out = None;
            while let Some(key) = map.next_key::<Str<'de>>()? {
                let key = key.as_str();
                let value = if key == "__type" {
                    map.next_value::<de::IgnoredAny>()?;
                    None
                } else {
                    U::visit_member(key, &mut map)?
                };
                if let Some(v) = value {
                    if out.replace(v).is_some() {
                        return Err(de::Error::custom(format!("union {} has more than one member set", U::NAME)));
                    }
                }
            }
            out.ok_or_else(|| de::Error::custom(format!("union {} has no member set", U::NAME)))
        }
    }
    d.deserialize_map(V::<U>(PhantomData))
}

/// Reads the value of an unknown union member and keeps its key; `None` when the value is null.
pub fn visit_unknown_member<'de, A: MapAccess<'de>, U: Union>(key: &str, map: &mut A) -> Result<Option<U>, A::Error> {
    Ok(map.next_value::<Option<de::IgnoredAny>>()?.map(|_| U::unknown(key)))
}

/// Reads the value of a union member that targets `smithy.api#Unit` (an empty object).
pub fn visit_unit_member<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Option<()>, A::Error> {
    Ok(map.next_value::<Option<de::IgnoredAny>>()?.map(|_| ()))
}

/// Reads a union member value through a wire adapter; `None` when the value is null.
pub fn visit_member_as<'de, A: MapAccess<'de>, T, W: DeserializeAs<'de, T>>(
    map: &mut A,
) -> Result<Option<T>, A::Error> {
    Ok(map.next_value::<Option<DeserializeAsWrap<T, W>>>()?.map(DeserializeAsWrap::into_inner))
}

/// Writes a union as an object with the one member `key`.
pub fn serialize_union_member<S: Serializer, T: ?Sized + Serialize>(
    s: S,
    key: &str,
    value: &T,
) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(1))?;
    map.serialize_entry(key, value)?;
    map.end()
}

/// Writes a union member that targets `smithy.api#Unit`: `{"key": {}}`.
pub fn serialize_union_unit<S: Serializer>(s: S, key: &str) -> Result<S::Ok, S::Error> {
    serialize_union_member(s, key, &EmptyObject)
}

/// The error for serializing a union variant this version of the model does not know.
pub fn unknown_union_variant<E: serde::ser::Error>(union: &str, key: &str) -> E {
    E::custom(format!("cannot serialize the unknown member `{key}` of union {union}"))
}

struct EmptyObject;

impl Serialize for EmptyObject {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_map(Some(0))?.end()
    }
}
