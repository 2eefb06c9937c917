use std::fmt;

#[cfg(feature = "serde")]
use serde::de::{self, Visitor};
#[cfg(feature = "serde")]
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Whether `text` is a number as JSON (RFC 8259) spells one.
fn is_json_number(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let from = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - from
    };
    let int_start = i;
    match digits(&mut i) {
        0 => return false,
        n if n > 1 && b[int_start] == b'0' => return false,
        _ => {}
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

macro_rules! big_number {
    ($name:ident, $what:literal) => {
        #[doc = concat!("An arbitrary-precision ", $what, ", kept as its decimal text so that no digit is lost.")]
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
        pub struct $name(String);

        impl $name {
            #[doc = concat!("A ", $what, " from its decimal text; `None` when the text is not a JSON number.")]
            pub fn new(text: impl Into<String>) -> Option<Self> {
                let text = text.into();
                is_json_number(&text).then_some(Self(text))
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

        #[cfg(feature = "serde")]
        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let text = if self.0.is_empty() { "0" } else { &self.0 };
                let raw =
                    serde_json::value::RawValue::from_string(text.to_string()).map_err(serde::ser::Error::custom)?;
                raw.serialize(s)
            }
        }

        #[cfg(feature = "serde")]
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_checked_as_json_spells_them() {
        for ok in ["0", "-0", "1", "-12", "1.5", "0.001", "1e5", "1E+5", "-1.25e-10", "123456789012345678901234567890"]
        {
            assert!(BigDecimal::new(ok).is_some(), "{ok}");
            assert!(serde_json::from_str::<serde_json::Number>(ok).is_ok(), "{ok}");
        }
        for bad in ["", "-", "01", "-01", "1.", ".5", "1e", "1e+", "+1", "0x10", "1.2.3", "NaN", "1_000"] {
            assert!(BigInteger::new(bad).is_none(), "{bad}");
            assert!(serde_json::from_str::<serde_json::Number>(bad).is_err(), "{bad}");
        }
        // serde_json's reader allows whitespace around a value; a number's text does not.
        assert!(BigInteger::new("1 ").is_none() && BigInteger::new(" 1").is_none());
    }
}
