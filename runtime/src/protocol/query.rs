//! awsQuery and ec2Query requests: a form-encoded body of `Action`, `Version` and one
//! `key=value` pair per scalar, with the keys built from member names (`Nested.Arg`,
//! `List.member.1`, `Map.entry.1.key`).
//!
//! Generated code implements [`ToQuery`] for each structure and union an input reaches; the
//! key rules of each protocol (member names, flattening) are decided there.

use std::fmt::Write as _;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::SerializeError;

/// Everything but the RFC 3986 unreserved characters is encoded, as the SDKs encode forms.
const FORM: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// The content type of query requests.
pub const CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// Writes the form body of one request.
#[derive(Debug)]
pub struct QueryWriter {
    out: String,
}

impl QueryWriter {
    /// A body that starts `Action=<action>&Version=<version>`.
    pub fn new(action: &str, version: &str) -> Self {
        let mut w = QueryWriter { out: String::with_capacity(128) };
        w.push("Action", action);
        w.push("Version", version);
        w
    }

    /// Adds `key=value`, both percent-encoded.
    pub fn push(&mut self, key: &str, value: &str) {
        if !self.out.is_empty() {
            self.out.push('&');
        }
        write!(self.out, "{}={}", utf8_percent_encode(key, FORM), utf8_percent_encode(value, FORM))
            .expect("writing to a String");
    }

    /// The body.
    pub fn finish(self) -> Vec<u8> {
        self.out.into_bytes()
    }
}

/// `prefix.name`, or `name` at the top level.
pub fn key(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}

/// Writes a structure's or union's members under `prefix`.
pub trait ToQuery {
    /// Writes the members that are set, each key starting with `prefix` (empty at the top).
    /// A union holding a member this model does not know cannot be written.
    fn to_query(&self, w: &mut QueryWriter, prefix: &str) -> Result<(), SerializeError>;
}

impl<T: ToQuery + ?Sized> ToQuery for Box<T> {
    fn to_query(&self, w: &mut QueryWriter, prefix: &str) -> Result<(), SerializeError> {
        (**self).to_query(w, prefix)
    }
}

/// The error for a union holding a member the model does not know.
pub fn unknown_union_member(union: &str, member: &str) -> SerializeError {
    SerializeError::Body(format!("the union `{union}` holds the unknown member `{member}`, which cannot be sent"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_values_are_percent_encoded() {
        let mut w = QueryWriter::new("Op", "2020-01-08");
        w.push("Time", "2015-01-25T08:00:00Z");
        w.push("Blob", "dmFsdWU=");
        w.push("Text", "a b&c/é~");
        assert_eq!(
            String::from_utf8(w.finish()).unwrap(),
            "Action=Op&Version=2020-01-08&Time=2015-01-25T08%3A00%3A00Z&Blob=dmFsdWU%3D&Text=a%20b%26c%2F%C3%A9~"
        );
        assert_eq!(key("", "A"), "A");
        assert_eq!(key("A.member.1", "B"), "A.member.1.B");
    }
}
