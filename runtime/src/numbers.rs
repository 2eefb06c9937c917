use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

macro_rules! big_number {
    ($name:ident, $what:literal) => {
        #[doc = concat!("An arbitrary-precision ", $what, ", kept as its decimal text so that no digit is lost.")]
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
        pub struct $name(String);

        impl $name {
            #[doc = concat!("A ", $what, " from its decimal text; `None` when the text is not a JSON number.")]
            pub fn new(text: impl Into<String>) -> Option<Self> {
                let text = text.into();
                serde_json::from_str::<serde_json::Number>(&text).ok().map(|_| Self(text))
            }
            /// The decimal text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let text = if self.0.is_empty() { "0" } else { &self.0 };
                let raw =
                    serde_json::value::RawValue::from_string(text.to_string()).map_err(serde::ser::Error::custom)?;
                raw.serialize(s)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> Visitor<'de> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str(concat!("a ", $what))
                    }
                    fn visit_i64<E: de::Error>(self, v: i64) -> Result<$name, E> {
                        Ok($name(v.to_string()))
                    }
                    fn visit_u64<E: de::Error>(self, v: u64) -> Result<$name, E> {
                        Ok($name(v.to_string()))
                    }
                    fn visit_f64<E: de::Error>(self, v: f64) -> Result<$name, E> {
                        Ok($name(v.to_string()))
                    }
                    fn visit_str<E: de::Error>(self, v: &str) -> Result<$name, E> {
                        $name::new(v).ok_or_else(|| E::invalid_value(de::Unexpected::Str(v), &self))
                    }
                }
                d.deserialize_any(V)
            }
        }
    };
}

big_number!(BigInteger, "integer");
big_number!(BigDecimal, "decimal number");
