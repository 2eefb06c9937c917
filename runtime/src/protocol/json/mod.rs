//! JSON bodies, as awsJson1_0, awsJson1_1 and restJson1 write them, and the JSON protocols'
//! error codes.
//!
//! Generated crates write and read their bodies through [`JsonWriter`] and [`JsonReader`]: one
//! non-generic writer and one pull reader, driven by straight-line code the generator emits per
//! shape (member names known at generation time), rather than by derived serde impls, which
//! cost a generated crate most of its compile time. The wire form is the protocols': timestamps
//! as epoch seconds unless a format is given, blobs as base64, NaN and the infinities as
//! strings, `null` as an unset member, dense collections that drop nulls when reading.
//!
//! With the `serde` feature, generated types also derive serde impls that write the same JSON,
//! through the adapters of its `adapters` module (`wire::As<…>`).

#[cfg(feature = "serde")]
pub mod adapters;
#[cfg(feature = "serde")]
pub use adapters::*;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use super::{ResponseError, SerializeError, TimestampFormat};
use crate::document::Number;
use crate::http::Response;
use crate::{BigDecimal, BigInteger, DateTime, Document};

/// Nesting deeper than this is refused when reading, so that a hostile body cannot exhaust the
/// stack.
const MAX_DEPTH: usize = 128;

// ---------------------------------------------------------------------------------------------
// Writing

/// Writes one JSON text. Commas are placed by the writer: callers open containers, name keys
/// or items, and write values. Errors (an unknown union member) are kept until [`finish`].
///
/// [`finish`]: JsonWriter::finish
#[derive(Debug, Default)]
pub struct JsonWriter {
    out: Vec<u8>,
    /// No key or item has been written yet in the innermost open container (so no `,` is due).
    fresh: bool,
    failed: Option<SerializeError>,
}

/// A type generated code writes as JSON.
pub trait ToJson {
    /// Writes `self` as one JSON value.
    fn write_json(&self, w: &mut JsonWriter);
}

/// Serializes a JSON body.
pub fn to_json<T: ToJson + ?Sized>(value: &T) -> Result<Vec<u8>, SerializeError> {
    let mut w = JsonWriter::new();
    value.write_json(&mut w);
    w.finish()
}

impl JsonWriter {
    /// An empty writer.
    pub fn new() -> Self {
        Self { out: Vec::with_capacity(256), fresh: true, failed: None }
    }

    /// The text written, or the first error.
    pub fn finish(self) -> Result<Vec<u8>, SerializeError> {
        match self.failed {
            Some(e) => Err(e),
            None => Ok(self.out),
        }
    }

    /// Records an error; [`finish`](Self::finish) returns the first one.
    pub fn fail(&mut self, e: SerializeError) {
        self.failed.get_or_insert(e);
    }

    fn separate(&mut self) {
        if !std::mem::replace(&mut self.fresh, false) {
            self.out.push(b',');
        }
    }

    /// Opens an object.
    pub fn begin_object(&mut self) {
        self.out.push(b'{');
        self.fresh = true;
    }

    /// Closes the innermost object.
    pub fn end_object(&mut self) {
        self.out.push(b'}');
        self.fresh = false;
    }

    /// Opens an array.
    pub fn begin_array(&mut self) {
        self.out.push(b'[');
        self.fresh = true;
    }

    /// Closes the innermost array.
    pub fn end_array(&mut self) {
        self.out.push(b']');
        self.fresh = false;
    }

    /// Starts the member `key` of the open object; its value follows.
    pub fn key(&mut self, key: &str) {
        self.separate();
        self.write_str(key);
        self.out.push(b':');
    }

    /// Starts the next item of the open array.
    pub fn item(&mut self) {
        self.separate();
    }

    /// `null`.
    pub fn null(&mut self) {
        self.out.extend_from_slice(b"null");
    }

    /// A string.
    pub fn string(&mut self, s: &str) {
        self.write_str(s);
    }

    /// A boolean.
    pub fn bool(&mut self, v: bool) {
        self.out.extend_from_slice(if v { b"true" } else { b"false" });
    }

    /// An integer.
    pub fn int(&mut self, v: i64) {
        self.out.extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
    }

    /// A float: `"NaN"`, `"Infinity"` and `"-Infinity"` as strings, else the shortest decimal
    /// that reads back the same.
    pub fn f64(&mut self, v: f64) {
        if let Some(s) = non_finite(v) {
            self.write_str(s);
        } else {
            self.out.extend_from_slice(zmij::Buffer::new().format_finite(v).as_bytes());
        }
    }

    /// An `f32`, written in its own shortest form (`0.1`, not `0.10000000149011612`).
    pub fn f32(&mut self, v: f32) {
        if let Some(s) = non_finite(f64::from(v)) {
            self.write_str(s);
        } else {
            self.out.extend_from_slice(zmij::Buffer::new().format_finite(v).as_bytes());
        }
    }

    /// A blob, as base64.
    pub fn blob(&mut self, b: &[u8]) {
        use base64::Engine as _;
        self.out.push(b'"');
        let start = self.out.len();
        self.out.resize(start + b.len().div_ceil(3) * 4, 0);
        let n = base64::engine::general_purpose::STANDARD
            .encode_slice(b, &mut self.out[start..])
            .expect("the buffer is sized for the encoding");
        self.out.truncate(start + n);
        self.out.push(b'"');
    }

    /// A timestamp: epoch seconds as a number, the other formats as strings.
    pub fn timestamp(&mut self, t: &DateTime, format: TimestampFormat) {
        match format {
            TimestampFormat::EpochSeconds => self.out.extend_from_slice(super::fmt_epoch_seconds(t).as_bytes()),
            TimestampFormat::DateTime => self.write_str(&super::format_date_time(t)),
            TimestampFormat::HttpDate => self.write_str(&super::format_http_date(t)),
        }
    }

    /// An arbitrary-precision number, as its digits.
    pub fn big_number(&mut self, text: &str) {
        self.out.extend_from_slice(if text.is_empty() { b"0" } else { text.as_bytes() });
    }

    /// A document: any JSON value.
    pub fn document(&mut self, d: &Document) {
        match d {
            Document::Null => self.null(),
            Document::Bool(b) => self.bool(*b),
            Document::Number(Number::PosInt(v)) => {
                self.out.extend_from_slice(itoa::Buffer::new().format(*v).as_bytes())
            }
            Document::Number(Number::NegInt(v)) => self.int(*v),
            Document::Number(Number::Float(v)) if v.is_finite() => {
                self.out.extend_from_slice(zmij::Buffer::new().format_finite(*v).as_bytes())
            }
            // JSON has no spelling for it.
            Document::Number(Number::Float(_)) => self.null(),
            Document::String(v) => self.write_str(v),
            Document::Array(items) => {
                self.begin_array();
                for item in items {
                    self.item();
                    self.document(item);
                }
                self.end_array();
            }
            Document::Object(members) => {
                self.begin_object();
                for (k, v) in members {
                    self.key(k);
                    self.document(v);
                }
                self.end_object();
            }
        }
    }

    fn write_str(&mut self, s: &str) {
        self.out.push(b'"');
        let bytes = s.as_bytes();
        let (mut start, mut i) = (0, 0);
        while i < bytes.len() {
            // Eight bytes at a time while none of them needs escaping.
            if let Some(word) = bytes.get(i..i + 8) {
                if !needs_escape(u64::from_le_bytes(word.try_into().expect("eight bytes"))) {
                    i += 8;
                    continue;
                }
            }
            let b = bytes[i];
            let escape: &[u8] = match b {
                b'"' => b"\\\"",
                b'\\' => b"\\\\",
                b'\n' => b"\\n",
                b'\r' => b"\\r",
                b'\t' => b"\\t",
                0x08 => b"\\b",
                0x0c => b"\\f",
                0..=0x1f => b"",
                _ => {
                    i += 1;
                    continue;
                }
            };
            self.out.extend_from_slice(&bytes[start..i]);
            if escape.is_empty() {
                self.out.extend_from_slice(b"\\u00");
                self.out.push(super::HEX[usize::from(b >> 4)]);
                self.out.push(super::HEX[usize::from(b & 0xf)]);
            } else {
                self.out.extend_from_slice(escape);
            }
            i += 1;
            start = i;
        }
        self.out.extend_from_slice(&bytes[start..]);
        self.out.push(b'"');
    }
}

/// Whether any byte of `word` is a control character, `"` or `\\` (the bytes a JSON string
/// escapes). Each test is the "has a zero byte" bit trick; bytes of 0x80 and above (UTF-8)
/// never match.
const fn needs_escape(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let below_space = word.wrapping_sub(ONES * 0x20) & !word;
    let quote = (word ^ (ONES * b'"' as u64)).wrapping_sub(ONES) & !(word ^ (ONES * b'"' as u64));
    let backslash = (word ^ (ONES * b'\\' as u64)).wrapping_sub(ONES) & !(word ^ (ONES * b'\\' as u64));
    (below_space | quote | backslash) & HIGHS != 0
}

fn non_finite(v: f64) -> Option<&'static str> {
    if v.is_nan() {
        Some("NaN")
    } else if v.is_infinite() {
        Some(if v > 0.0 { "Infinity" } else { "-Infinity" })
    } else {
        None
    }
}

/// Writes `items` as an array, each with `write`.
pub fn write_list<T>(w: &mut JsonWriter, items: &[T], mut write: impl FnMut(&mut JsonWriter, &T)) {
    w.begin_array();
    for item in items {
        w.item();
        write(w, item);
    }
    w.end_array();
}

/// Writes a sparse list: `None` as `null`.
pub fn write_sparse_list<T>(w: &mut JsonWriter, items: &[Option<T>], mut write: impl FnMut(&mut JsonWriter, &T)) {
    w.begin_array();
    for item in items {
        w.item();
        match item {
            Some(v) => write(w, v),
            None => w.null(),
        }
    }
    w.end_array();
}

/// A map key: a string, or a string enum.
pub trait JsonKey: Ord {
    /// The key as written.
    fn as_key(&self) -> &str;
    /// The key as read.
    fn from_key(key: &str) -> Self;
}

impl JsonKey for String {
    fn as_key(&self) -> &str {
        self
    }
    fn from_key(key: &str) -> Self {
        key.to_owned()
    }
}

/// Writes a map as an object, each value with `write`.
pub fn write_map<K: JsonKey, V>(w: &mut JsonWriter, map: &BTreeMap<K, V>, mut write: impl FnMut(&mut JsonWriter, &V)) {
    w.begin_object();
    for (k, v) in map {
        w.key(k.as_key());
        write(w, v);
    }
    w.end_object();
}

/// Writes a sparse map: `None` as `null`.
pub fn write_sparse_map<K: JsonKey, V>(
    w: &mut JsonWriter,
    map: &BTreeMap<K, Option<V>>,
    mut write: impl FnMut(&mut JsonWriter, &V),
) {
    w.begin_object();
    for (k, v) in map {
        w.key(k.as_key());
        match v {
            Some(v) => write(w, v),
            None => w.null(),
        }
    }
    w.end_object();
}

impl ToJson for Document {
    fn write_json(&self, w: &mut JsonWriter) {
        w.document(self);
    }
}

// ---------------------------------------------------------------------------------------------
// Reading

/// What is wrong with a JSON text, and where (a byte offset).
#[derive(Debug, Clone, PartialEq)]
pub struct JsonError {
    /// The byte offset of the value or character at fault.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.message, self.offset)
    }
}

impl std::error::Error for JsonError {}

/// A pull reader of one JSON text: callers ask for the value they expect next, and get an
/// error that says where when the text has something else. Strictly RFC 8259, nesting limited
/// to 128 levels.
#[derive(Debug)]
pub struct JsonReader<'a> {
    text: &'a str,
    pos: usize,
    depth: usize,
    /// No key or item has been read yet in the innermost open container (so no `,` is due).
    fresh: bool,
}

/// A type generated code reads from JSON.
pub trait FromJson: Sized {
    /// Reads one value (never `null`: callers check for it first).
    fn read_json(r: &mut JsonReader<'_>) -> Result<Self, JsonError>;
}

impl FromJson for Document {
    fn read_json(r: &mut JsonReader<'_>) -> Result<Self, JsonError> {
        r.document()
    }
}

impl<'a> JsonReader<'a> {
    /// A reader at the start of `text`.
    pub fn new(text: &'a str) -> Self {
        Self { text, pos: 0, depth: 0, fresh: true }
    }

    /// An error at the current position.
    pub fn error(&self, message: impl Into<String>) -> JsonError {
        JsonError { offset: self.pos, message: message.into() }
    }

    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    fn peek(&mut self) -> Option<u8> {
        let bytes = self.bytes();
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = bytes.get(self.pos) {
            self.pos += 1;
        }
        bytes.get(self.pos).copied()
    }

    fn unexpected(&mut self, expected: &str) -> JsonError {
        let found = match self.peek() {
            None => "the end of the text".to_string(),
            Some(b'{') => "an object".into(),
            Some(b'[') => "an array".into(),
            Some(b'"') => "a string".into(),
            Some(b't' | b'f') => "a boolean".into(),
            Some(b'n') => "null".into(),
            Some(b'-' | b'0'..=b'9') => "a number".into(),
            Some(b) => format!("`{}`", char::from(b).escape_default()),
        };
        self.error(format!("expected {expected}, found {found}"))
    }

    fn expect(&mut self, b: u8, what: &str) -> Result<(), JsonError> {
        if self.peek() == Some(b) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.unexpected(what))
        }
    }

    fn enter(&mut self) -> Result<(), JsonError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(format!("nesting deeper than {MAX_DEPTH} levels")));
        }
        self.fresh = true;
        Ok(())
    }

    fn leave(&mut self) {
        self.pos += 1;
        self.depth -= 1;
        self.fresh = false;
    }

    /// Consumes a `null` if one is next.
    pub fn null(&mut self) -> Result<bool, JsonError> {
        if self.peek() != Some(b'n') {
            return Ok(false);
        }
        self.literal("null")?;
        Ok(true)
    }

    fn literal(&mut self, word: &str) -> Result<(), JsonError> {
        if self.text[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(())
        } else {
            Err(self.error(format!("expected `{word}`")))
        }
    }

    /// Opens an object; then [`next_key`](Self::next_key) until it returns `None`.
    pub fn object(&mut self) -> Result<(), JsonError> {
        self.expect(b'{', "an object")?;
        self.enter()
    }

    /// The next key of the open object, with its `:` consumed (the value follows), or `None`
    /// once the object is closed.
    pub fn next_key(&mut self) -> Result<Option<Cow<'a, str>>, JsonError> {
        if self.peek() == Some(b'}') {
            self.leave();
            return Ok(None);
        }
        if !std::mem::replace(&mut self.fresh, false) {
            self.expect(b',', "`,` or `}`")?;
        }
        let key = self.str()?;
        self.expect(b':', "`:`")?;
        Ok(Some(key))
    }

    /// Reads an object whose known members are `keys`: for each member with one of those keys
    /// and a value other than `null`, calls `read` with the reader at the value and the key's
    /// index. Other members and `null` values are skipped.
    ///
    /// Not generic, so that the loop is compiled once, not once per structure: the generated
    /// reader of a structure is the `match` on the index alone.
    pub fn fields(
        &mut self,
        keys: &[&str],
        read: &mut dyn FnMut(&mut Self, usize) -> Result<(), JsonError>,
    ) -> Result<(), JsonError> {
        self.object()?;
        // Services write members in the model's order, so the search starts after the key
        // found last: one comparison per member when they come in order.
        let mut next = 0;
        while let Some(k) = self.next_key()? {
            if self.null()? {
                continue;
            }
            let (passed, ahead) = keys.split_at(next.min(keys.len()));
            let found = match ahead.iter().position(|key| *key == k) {
                Some(i) => Some(next + i),
                None => passed.iter().position(|key| *key == k),
            };
            match found {
                Some(i) => {
                    next = i + 1;
                    read(self, i)?;
                }
                None => self.skip()?,
            }
        }
        Ok(())
    }

    /// Opens an array; then [`next_item`](Self::next_item) until it returns `false`.
    pub fn array(&mut self) -> Result<(), JsonError> {
        self.expect(b'[', "an array")?;
        self.enter()
    }

    /// Whether the open array has another item (which follows), closing it when not.
    pub fn next_item(&mut self) -> Result<bool, JsonError> {
        if self.peek() == Some(b']') {
            self.leave();
            return Ok(false);
        }
        if !std::mem::replace(&mut self.fresh, false) {
            self.expect(b',', "`,` or `]`")?;
        }
        Ok(true)
    }

    /// A string, borrowed from the text unless it has escapes.
    pub fn str(&mut self) -> Result<Cow<'a, str>, JsonError> {
        self.expect(b'"', "a string")?;
        let bytes = self.bytes();
        let start = self.pos;
        let mut i = start;
        // Eight bytes at a time up to the word holding the closing quote (or an escape or a
        // control character), then byte by byte.
        while let Some(word) = bytes.get(i..i + 8).and_then(|w| <[u8; 8]>::try_from(w).ok()) {
            if needs_escape(u64::from_le_bytes(word)) {
                break;
            }
            i += 8;
        }
        while let Some(&b) = bytes.get(i) {
            match b {
                b'"' => {
                    self.pos = i + 1;
                    return Ok(Cow::Borrowed(&self.text[start..i]));
                }
                b'\\' => break,
                0..=0x1f => {
                    self.pos = i;
                    return Err(self.error("a control character in a string"));
                }
                _ => i += 1,
            }
        }
        let mut out = String::with_capacity(i - start + 8);
        out.push_str(&self.text[start..i]);
        self.pos = i;
        loop {
            let Some(&b) = bytes.get(self.pos) else { return Err(self.error("an unterminated string")) };
            match b {
                b'"' => {
                    self.pos += 1;
                    return Ok(Cow::Owned(out));
                }
                b'\\' => {
                    self.pos += 1;
                    let Some(&e) = bytes.get(self.pos) else { return Err(self.error("an unterminated string")) };
                    self.pos += 1;
                    match e {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => out.push(self.unicode_escape()?),
                        _ => {
                            self.pos -= 1;
                            return Err(self.error("an invalid escape in a string"));
                        }
                    }
                }
                0..=0x1f => return Err(self.error("a control character in a string")),
                _ => {
                    // Up to the next quote, escape or control character, as it is.
                    let run = bytes[self.pos..].iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20);
                    let end = run.map_or(bytes.len(), |n| self.pos + n);
                    out.push_str(&self.text[self.pos..end]);
                    self.pos = end;
                }
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let digits = self.text.get(self.pos..self.pos + 4).filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()));
        let Some(digits) = digits else { return Err(self.error("an invalid \\u escape")) };
        self.pos += 4;
        Ok(u32::from_str_radix(digits, 16).expect("four hex digits"))
    }

    /// The character of a `\u` escape (its `\u` consumed), joining a surrogate pair.
    fn unicode_escape(&mut self) -> Result<char, JsonError> {
        let unit = self.hex4()?;
        let code = match unit {
            0xD800..=0xDBFF => {
                if !self.text[self.pos..].starts_with("\\u") {
                    return Err(self.error("a lone surrogate in a \\u escape"));
                }
                self.pos += 2;
                let low = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&low) {
                    return Err(self.error("a lone surrogate in a \\u escape"));
                }
                0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(self.error("a lone surrogate in a \\u escape")),
            _ => unit,
        };
        Ok(char::from_u32(code).expect("a scalar value"))
    }

    /// An owned string.
    pub fn string(&mut self) -> Result<String, JsonError> {
        self.str().map(Cow::into_owned)
    }

    /// A boolean.
    pub fn bool(&mut self) -> Result<bool, JsonError> {
        match self.peek() {
            Some(b't') => self.literal("true").map(|()| true),
            Some(b'f') => self.literal("false").map(|()| false),
            _ => Err(self.unexpected("a boolean")),
        }
    }

    /// The text of a number, checked against JSON's grammar.
    fn number_text(&mut self) -> Result<&'a str, JsonError> {
        if !matches!(self.peek(), Some(b'-' | b'0'..=b'9')) {
            return Err(self.unexpected("a number"));
        }
        let bytes = self.bytes();
        let start = self.pos;
        let mut i = start;
        let digits = |i: &mut usize| {
            let from = *i;
            while bytes.get(*i).is_some_and(u8::is_ascii_digit) {
                *i += 1;
            }
            *i > from
        };
        if bytes.get(i) == Some(&b'-') {
            i += 1;
        }
        let int_start = i;
        let ok_int = digits(&mut i) && (bytes[int_start] != b'0' || i == int_start + 1);
        let mut ok = ok_int;
        if ok && bytes.get(i) == Some(&b'.') {
            i += 1;
            ok = digits(&mut i);
        }
        if ok && matches!(bytes.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(bytes.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            ok = digits(&mut i);
        }
        if !ok {
            self.pos = i;
            return Err(self.error("an invalid number"));
        }
        self.pos = i;
        Ok(&self.text[start..i])
    }

    /// An integer of type `T` (`i8` to `i64`); a fraction or a value out of `T`'s range is an
    /// error.
    pub fn int<T: TryFrom<i64>>(&mut self) -> Result<T, JsonError> {
        let at = self.pos;
        let text = self.number_text()?;
        let fail = |what: &str| JsonError {
            offset: at,
            message: format!("expected {what} of {} bits, found `{text}`", std::mem::size_of::<T>() * 8),
        };
        if text.contains(['.', 'e', 'E']) {
            return Err(fail("an integer"));
        }
        let v: i64 = text.parse().map_err(|_| fail("an integer"))?;
        T::try_from(v).map_err(|_| fail("an integer"))
    }

    /// A float: a number, or `"NaN"`, `"Infinity"` or `"-Infinity"`.
    pub fn f64(&mut self) -> Result<f64, JsonError> {
        if self.peek() == Some(b'"') {
            let at = self.pos;
            let s = self.str()?;
            return match &*s {
                "NaN" => Ok(f64::NAN),
                "Infinity" => Ok(f64::INFINITY),
                "-Infinity" => Ok(f64::NEG_INFINITY),
                other => Err(JsonError {
                    offset: at,
                    message: format!("expected a number, \"NaN\", \"Infinity\" or \"-Infinity\", found {other:?}"),
                }),
            };
        }
        let at = self.pos;
        let text = self.number_text()?;
        text.parse().map_err(|_| JsonError { offset: at, message: format!("an invalid number `{text}`") })
    }

    /// An `f32`, rounded from the number's exact value.
    pub fn f32(&mut self) -> Result<f32, JsonError> {
        if self.peek() == Some(b'"') {
            return self.f64().map(|v| v as f32);
        }
        let at = self.pos;
        let text = self.number_text()?;
        text.parse().map_err(|_| JsonError { offset: at, message: format!("an invalid number `{text}`") })
    }

    /// A blob, from base64.
    pub fn blob(&mut self) -> Result<Vec<u8>, JsonError> {
        use base64::Engine as _;
        let at = self.pos;
        let s = self.str()?;
        base64::engine::general_purpose::STANDARD
            .decode(s.as_bytes())
            .map_err(|e| JsonError { offset: at, message: format!("invalid base64: {e}") })
    }

    /// A timestamp in `format`; epoch seconds are read exactly from the number's digits.
    pub fn timestamp(&mut self, format: TimestampFormat) -> Result<DateTime, JsonError> {
        let at = self.pos;
        let (text, parsed) = match format {
            TimestampFormat::EpochSeconds => {
                let text = self.number_text()?;
                (Cow::Borrowed(text), super::parse_epoch_seconds(text))
            }
            TimestampFormat::DateTime => {
                let text = self.str()?;
                let parsed = super::parse_date_time(&text);
                (text, parsed)
            }
            TimestampFormat::HttpDate => {
                let text = self.str()?;
                let parsed = super::parse_http_date(&text);
                (text, parsed)
            }
        };
        parsed
            .ok_or_else(|| JsonError { offset: at, message: format!("an invalid or out of range timestamp `{text}`") })
    }

    /// An arbitrary-precision integer, as its digits.
    pub fn big_integer(&mut self) -> Result<BigInteger, JsonError> {
        let at = self.pos;
        let text = self.big_text()?;
        BigInteger::new(text).ok_or_else(|| JsonError { offset: at, message: "an invalid big integer".into() })
    }

    /// An arbitrary-precision decimal, as its digits.
    pub fn big_decimal(&mut self) -> Result<BigDecimal, JsonError> {
        let at = self.pos;
        let text = self.big_text()?;
        BigDecimal::new(text).ok_or_else(|| JsonError { offset: at, message: "an invalid big decimal".into() })
    }

    fn big_text(&mut self) -> Result<String, JsonError> {
        if self.peek() == Some(b'"') {
            self.string()
        } else {
            self.number_text().map(str::to_owned)
        }
    }

    /// A document: any JSON value.
    pub fn document(&mut self) -> Result<Document, JsonError> {
        if self.null()? {
            return Ok(Document::Null);
        }
        Ok(match self.peek() {
            Some(b'{') => {
                let mut members = BTreeMap::new();
                self.object()?;
                while let Some(k) = self.next_key()? {
                    let v = self.document()?;
                    members.insert(k.into_owned(), v);
                }
                Document::Object(members)
            }
            Some(b'[') => {
                let mut items = Vec::new();
                self.array()?;
                while self.next_item()? {
                    items.push(self.document()?);
                }
                Document::Array(items)
            }
            Some(b'"') => Document::String(self.string()?),
            Some(b't' | b'f') => Document::Bool(self.bool()?),
            _ => {
                let at = self.pos;
                let text = self.number_text()?;
                let integer = !text.contains(['.', 'e', 'E']);
                let int = if !integer {
                    None
                } else if text.starts_with('-') {
                    // `-0` is no integer below zero: the float -0.0, as serde_json reads it.
                    text.parse().ok().filter(|v| *v != 0).map(Number::NegInt)
                } else {
                    text.parse().ok().map(Number::PosInt)
                };
                match int {
                    Some(n) => Document::Number(n),
                    // Beyond 64 bits or with a fraction: a float, which must be finite.
                    None => match text.parse::<f64>() {
                        Ok(v) if v.is_finite() => Document::Number(Number::Float(v)),
                        _ => return Err(JsonError { offset: at, message: format!("a number out of range `{text}`") }),
                    },
                }
            }
        })
    }

    /// Skips one value of any kind.
    pub fn skip(&mut self) -> Result<(), JsonError> {
        match self.peek() {
            Some(b'{') => {
                self.object()?;
                while self.next_key()?.is_some() {
                    self.skip()?;
                }
                Ok(())
            }
            Some(b'[') => {
                self.array()?;
                while self.next_item()? {
                    self.skip()?;
                }
                Ok(())
            }
            Some(b'"') => self.str().map(drop),
            Some(b't' | b'f') => self.bool().map(drop),
            Some(b'n') => self.literal("null"),
            _ => self.number_text().map(drop),
        }
    }

    /// Checks that nothing but whitespace follows the value read.
    pub fn end(&mut self) -> Result<(), JsonError> {
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(self.error("trailing characters after the JSON value")),
        }
    }

    /// The member path (`a.b[2].c`) of the text up to `offset`, for messages.
    pub fn path_at(&self, offset: usize) -> String {
        json_path_at(self.text, offset)
    }
}

/// Reads an array, skipping `null` items (a dense list).
pub fn read_list<'a, T>(
    r: &mut JsonReader<'a>,
    mut read: impl FnMut(&mut JsonReader<'a>) -> Result<T, JsonError>,
) -> Result<Vec<T>, JsonError> {
    let mut out = Vec::new();
    crate::try_read!(r.array());
    while crate::try_read!(r.next_item()) {
        if !crate::try_read!(r.null()) {
            out.push(crate::try_read!(read(r)));
        }
    }
    Ok(out)
}

/// Reads a string as the enum `E` (an unknown value is kept by `E`'s `From<&str>`). One
/// function per enum, so that lists of it and its members share it rather than each reading
/// through a closure of its own.
pub fn read_enum<E: for<'s> From<&'s str>>(r: &mut JsonReader<'_>) -> Result<E, JsonError> {
    let s = crate::try_read!(r.str());
    Ok(E::from(&s))
}

/// Reads an array, keeping `null` items as `None` (a sparse list).
pub fn read_sparse_list<'a, T>(
    r: &mut JsonReader<'a>,
    mut read: impl FnMut(&mut JsonReader<'a>) -> Result<T, JsonError>,
) -> Result<Vec<Option<T>>, JsonError> {
    let mut out = Vec::new();
    crate::try_read!(r.array());
    while crate::try_read!(r.next_item()) {
        out.push(if crate::try_read!(r.null()) { None } else { Some(crate::try_read!(read(r))) });
    }
    Ok(out)
}

/// Reads an object into a map, skipping `null` values (a dense map).
pub fn read_map<'a, K: JsonKey, V>(
    r: &mut JsonReader<'a>,
    mut read: impl FnMut(&mut JsonReader<'a>) -> Result<V, JsonError>,
) -> Result<BTreeMap<K, V>, JsonError> {
    let mut out = BTreeMap::new();
    crate::try_read!(r.object());
    while let Some(k) = crate::try_read!(r.next_key()) {
        if !crate::try_read!(r.null()) {
            out.insert(K::from_key(&k), crate::try_read!(read(r)));
        }
    }
    Ok(out)
}

/// Reads an object into a map, keeping `null` values as `None` (a sparse map).
pub fn read_sparse_map<'a, K: JsonKey, V>(
    r: &mut JsonReader<'a>,
    mut read: impl FnMut(&mut JsonReader<'a>) -> Result<V, JsonError>,
) -> Result<BTreeMap<K, Option<V>>, JsonError> {
    let mut out = BTreeMap::new();
    crate::try_read!(r.object());
    while let Some(k) = crate::try_read!(r.next_key()) {
        let v = if crate::try_read!(r.null()) { None } else { Some(crate::try_read!(read(r))) };
        out.insert(K::from_key(&k), v);
    }
    Ok(out)
}

/// Reads a whole JSON text with `read` (which reads the top-level value); an empty body reads
/// as `{}`. Errors say where: the member path and the byte offset.
pub fn parse_json_with<T>(
    status: u16,
    body: &[u8],
    read: impl FnOnce(&mut JsonReader<'_>) -> Result<T, JsonError>,
) -> Result<T, ResponseError> {
    // Only the call of `read` depends on `T`: what surrounds it is compiled once, not once per
    // response type.
    let text = json_text(status, body)?;
    let mut r = JsonReader::new(text);
    let e = match read(&mut r) {
        Ok(v) => match r.end() {
            Ok(()) => return Ok(v),
            Err(e) => e,
        },
        Err(e) => e,
    };
    Err(json_body_error(status, text, e))
}

/// The body as text, an empty one as `{}`.
fn json_text(status: u16, body: &[u8]) -> Result<&str, ResponseError> {
    let body = if body.iter().all(u8::is_ascii_whitespace) { b"{}".as_slice() } else { body };
    std::str::from_utf8(body)
        .map_err(|e| ResponseError { status, message: format!("invalid JSON body: it is not UTF-8 ({e})") })
}

/// A body that does not read as expected, with the member path of where it failed.
fn json_body_error(status: u16, text: &str, e: JsonError) -> ResponseError {
    let path = json_path_at(text, e.offset);
    let at = if path.is_empty() { String::new() } else { format!(" at `{path}`") };
    ResponseError { status, message: format!("invalid JSON body{at}: {e}") }
}

/// Parses a JSON body into `T`; an empty body reads as `{}`.
pub fn parse_json_body<T: FromJson>(status: u16, body: &[u8]) -> Result<T, ResponseError> {
    parse_json_with(status, body, T::read_json)
}

/// The error code and message of an error response: the code from `X-Amzn-ErrorType`, else the
/// body's `code` or `__type`, with any namespace (`ns#`) and `:uri` suffix removed.
pub fn error_info(response: &Response) -> super::ErrorInfo {
    #[derive(Default)]
    struct Body {
        code: Option<String>,
        ty: Option<String>,
        message: Option<String>,
        message_upper: Option<String>,
        error_message: Option<String>,
    }
    fn read(r: &mut JsonReader<'_>) -> Result<Body, JsonError> {
        let mut b = Body::default();
        r.object()?;
        while let Some(k) = r.next_key()? {
            let slot = match &*k {
                "code" => &mut b.code,
                "__type" => &mut b.ty,
                "message" => &mut b.message,
                "Message" => &mut b.message_upper,
                "errorMessage" => &mut b.error_message,
                _ => {
                    r.skip()?;
                    continue;
                }
            };
            *slot = if r.null()? { None } else { Some(r.string()?) };
        }
        r.end()?;
        Ok(b)
    }
    let body = std::str::from_utf8(response.body()).ok().and_then(|t| read(&mut JsonReader::new(t)).ok());
    let header = response.headers().get("x-amzn-errortype").and_then(|v| v.to_str().ok()).map(str::to_string);
    let (code, message) = match body {
        Some(b) => (header.or(b.code).or(b.ty), b.message.or(b.message_upper).or(b.error_message)),
        None => (header, None),
    };
    super::ErrorInfo {
        code: code.map(|c| super::sanitize_error_code(&c).to_string()).filter(|c| !c.is_empty()),
        message,
    }
}

/// The members `names` of a JSON object (strings, or numbers as their digits; `null` as `None`),
/// skipping the others: for the small credential documents of metadata endpoints, caches and
/// `credential_process`.
pub fn string_members(body: &[u8], names: &[&str]) -> Result<Vec<Option<String>>, JsonError> {
    let text =
        std::str::from_utf8(body).map_err(|e| JsonError { offset: e.valid_up_to(), message: "not UTF-8".into() })?;
    let mut r = JsonReader::new(text);
    let mut out = vec![None; names.len()];
    r.object()?;
    while let Some(k) = r.next_key()? {
        let Some(i) = names.iter().position(|n| *n == k) else {
            r.skip()?;
            continue;
        };
        out[i] = match r.peek() {
            _ if r.null()? => None,
            Some(b'"') => Some(r.string()?),
            _ => Some(
                r.number_text().map_err(|e| JsonError { message: format!("`{k}`: {}", e.message), ..e })?.to_owned(),
            ),
        };
    }
    r.end()?;
    Ok(out)
}

/// The error for writing a union member this version of the model does not know.
pub fn unknown_union_member(union: &str, key: &str) -> SerializeError {
    SerializeError::Body(format!("cannot serialize the unknown member `{key}` of union {union}"))
}

/// The member path (`a.b[2].c`) of the value being read at byte `offset` of a JSON text, found by
/// scanning the text up to there, so that reading needs no path bookkeeping.
fn json_path_at(text: &str, offset: usize) -> String {
    enum Frame {
        Object(Option<String>),
        Array(usize),
    }
    let bytes = &text.as_bytes()[..offset.min(text.len())];
    let mut stack: Vec<Frame> = Vec::new();
    let mut expecting_key = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' => {
                stack.push(Frame::Object(None));
                expecting_key = true;
            }
            b'[' => {
                stack.push(Frame::Array(0));
                expecting_key = false;
            }
            b'}' | b']' => {
                stack.pop();
                expecting_key = false;
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array(n)) => *n += 1,
                Some(Frame::Object(_)) => expecting_key = true,
                None => {}
            },
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                if expecting_key {
                    if let Some(Frame::Object(key)) = stack.last_mut() {
                        *key = Some(text[start..i.min(bytes.len())].to_string());
                    }
                    expecting_key = false;
                }
            }
            _ => {}
        }
        i += 1;
    }
    let mut path = String::new();
    for frame in &stack {
        match frame {
            Frame::Object(Some(key)) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Object(None) => {}
            Frame::Array(n) => path.push_str(&format!("[{n}]")),
        }
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    /// Which indexes `fields` calls back with, and the values read, for `text`.
    fn fields_of(text: &str) -> Result<Vec<(usize, String)>, JsonError> {
        let mut seen = Vec::new();
        let mut r = JsonReader::new(text);
        r.fields(&["a", "b", "c"], &mut |r, i| {
            seen.push((i, r.string()?));
            Ok(())
        })?;
        r.end()?;
        Ok(seen)
    }

    /// Strings read eight bytes at a time come out as serde_json reads them, whatever the
    /// position of the escape, the quote, the multi-byte character or the control character.
    #[test]
    fn strings_are_read_as_serde_json_reads_them() {
        for len in 0..40 {
            for at in 0..=len {
                for special in ["", "\\\"", "\\n", "\\u00e9", "\\ud83d\\ude00", "é", "\u{1}", "\u{7f}"] {
                    let plain = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
                    let text = format!("\"{}{special}{}\" ", &plain[..at], &plain[at..len]);
                    let theirs = serde_json::from_str::<String>(&text);
                    let mut r = JsonReader::new(&text);
                    let ours = r.str().and_then(|s| r.end().map(|()| s.into_owned()));
                    match theirs {
                        Ok(v) => assert_eq!(ours.as_deref(), Ok(v.as_str()), "{text:?}"),
                        Err(_) => assert!(ours.is_err(), "{text:?} is not JSON, read as {ours:?}"),
                    }
                }
            }
        }
    }

    #[test]
    fn fields_finds_keys_in_any_order_and_skips_nulls_and_unknown_members() {
        let all = |v: &[(usize, &str)]| v.iter().map(|&(i, s)| (i, s.to_string())).collect::<Vec<_>>();
        assert_eq!(fields_of(r#"{"a":"1","b":"2","c":"3"}"#).unwrap(), all(&[(0, "1"), (1, "2"), (2, "3")]));
        assert_eq!(fields_of(r#"{"c":"3","a":"1","b":"2"}"#).unwrap(), all(&[(2, "3"), (0, "1"), (1, "2")]));
        assert_eq!(fields_of(r#"{"b":"2","b":"4","a":"1"}"#).unwrap(), all(&[(1, "2"), (1, "4"), (0, "1")]));
        assert_eq!(
            fields_of(r#"{"x":{"a":["b"]},"c":null,"a\u0062":"no","b":"2","":"","c":"3"}"#).unwrap(),
            all(&[(1, "2"), (2, "3")])
        );
        assert_eq!(fields_of("{}").unwrap(), all(&[]));
        // An error in a value, a member or the object's syntax ends the read where it is.
        assert_eq!(fields_of(r#"{"a":1}"#).unwrap_err().offset, 5);
        assert!(fields_of(r#"{"a":"1" "b":"2"}"#).is_err());
        assert!(fields_of(r#"["a"]"#).is_err());
        assert!(fields_of(r#"{"a":"1""#).is_err());
    }

    /// The word-at-a-time test finds every byte a string escapes, at every position, and no
    /// other; strings come out as serde_json writes them.
    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let escaped = |b: u8| b < 0x20 || b == b'"' || b == b'\\';
        for b in 0..=255u8 {
            for at in 0..8 {
                let mut word = [b'a'; 8];
                word[at] = b;
                assert_eq!(needs_escape(u64::from_le_bytes(word)), escaped(b), "byte {b:#x} at {at}");
            }
        }
        let mut rng = fastrand::Rng::with_seed(3);
        let alphabet = ['a', 'Z', '"', '\\', '\n', '\u{1}', '\u{1f}', ' ', 'é', '€', '😀', '\u{7f}', '/'];
        for len in 0..200 {
            let text: String = (0..len).map(|_| alphabet[rng.usize(..alphabet.len())]).collect();
            let mut w = JsonWriter::new();
            w.string(&text);
            assert_eq!(String::from_utf8(w.finish().unwrap()).unwrap(), serde_json::to_string(&text).unwrap());
        }
    }

    /// A document as serde_json's value, to compare with what serde_json reads.
    fn to_value(d: &Document) -> Value {
        match d {
            Document::Null => Value::Null,
            Document::Bool(b) => Value::Bool(*b),
            Document::Number(Number::PosInt(v)) => Value::from(*v),
            Document::Number(Number::NegInt(v)) => Value::from(*v),
            Document::Number(Number::Float(v)) => Value::from(*v),
            Document::String(v) => Value::String(v.clone()),
            Document::Array(items) => Value::Array(items.iter().map(to_value).collect()),
            Document::Object(members) => Value::Object(members.iter().map(|(k, v)| (k.clone(), to_value(v))).collect()),
        }
    }

    fn read_all(text: &str) -> Result<Value, JsonError> {
        Document::from_json(text).map(|d| to_value(&d))
    }

    fn random_value(depth: u32) -> Value {
        let strings =
            ["", "a", "é", "😀", "\"", "\\", "\n\t\r\u{8}\u{c}", "\u{1}\u{1f}", "/", "\u{2028}", "key with space"];
        match fastrand::u8(..if depth > 4 { 5 } else { 7 }) {
            0 => Value::Null,
            1 => Value::Bool(fastrand::bool()),
            2 => Value::from(fastrand::i64(..)),
            3 => Value::from(f64::from_bits(fastrand::u64(..))).clone(),
            4 => Value::String(strings[fastrand::usize(..strings.len())].repeat(fastrand::usize(..3))),
            5 => Value::Array((0..fastrand::usize(..4)).map(|_| random_value(depth + 1)).collect()),
            _ => Value::Object(
                (0..fastrand::usize(..4))
                    .map(|i| (format!("{}{i}", strings[fastrand::usize(..strings.len())]), random_value(depth + 1)))
                    .collect(),
            ),
        }
    }

    #[test]
    fn the_reader_reads_what_serde_json_writes() {
        fastrand::seed(7);
        for _ in 0..2000 {
            let v = random_value(0);
            for text in [serde_json::to_string(&v).unwrap(), serde_json::to_string_pretty(&v).unwrap()] {
                let d = Document::from_json(&text).unwrap();
                assert_eq!(to_value(&d), v, "{text}");
                // And what the writer writes, serde_json reads back as the same value.
                let ours = d.to_json();
                assert_eq!(serde_json::from_str::<Value>(&ours).unwrap(), v, "{ours}");
            }
        }
    }

    #[test]
    fn the_reader_refuses_what_serde_json_refuses() {
        let texts = [
            "",
            "{",
            "}",
            "[1,]",
            "{\"a\":1,}",
            "{\"a\" 1}",
            "{a:1}",
            "01",
            "1.",
            ".5",
            "-",
            "1e",
            "+1",
            "tru",
            "nul",
            "\"a",
            "\"\\x\"",
            "\"\\u12\"",
            "\"\\ud800\"",
            "\"\\udc00\"",
            "\"\\ud800\\u0041\"",
            "\"a\u{1}\"",
            "[1 2]",
            "{\"a\":1}x",
            "[]]",
            "NaN",
            "Infinity",
            "'a'",
            "[1,,2]",
            "{,}",
            "\u{feff}1",
        ];
        for text in texts {
            assert!(serde_json::from_str::<Value>(text).is_err(), "serde_json reads {text:?}");
            assert!(read_all(text).is_err(), "{text:?} was read");
        }
        let fine = ["0", "-0", "-1", "1.5e-3", "1E+9", "\"\\ud83d\\ude00\"", " [ ] ", "{\"\":\"\"}", "\"\\/\""];
        for text in fine {
            assert_eq!(read_all(text).unwrap(), serde_json::from_str::<Value>(text).unwrap(), "{text}");
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let deep = "[".repeat(100_000);
        let e = read_all(&deep).unwrap_err();
        assert!(e.message.contains("nesting deeper than 128"), "{e}");
        let mut r = JsonReader::new(&deep);
        assert!(r.skip().is_err());
        let ok = format!("{}{}", "[".repeat(128), "]".repeat(128));
        assert!(read_all(&ok).is_ok());
    }

    #[test]
    fn the_writer_writes_what_serde_json_writes() {
        fastrand::seed(11);
        for _ in 0..2000 {
            let v = random_value(0);
            let mut w = JsonWriter::new();
            write_value(&mut w, &v);
            let ours = String::from_utf8(w.finish().unwrap()).unwrap();
            assert_eq!(ours, serde_json::to_string(&v).unwrap());
        }
        for f in [0.1f32, 1.0, 3.4028235e38, 1e-45, 16777216.0, -0.0] {
            let mut w = JsonWriter::new();
            w.f32(f);
            assert_eq!(w.finish().unwrap(), serde_json::to_vec(&f).unwrap(), "{f}");
        }
        let mut w = JsonWriter::new();
        w.begin_array();
        for f in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            w.item();
            w.f64(f);
        }
        w.end_array();
        assert_eq!(w.finish().unwrap(), br#"["NaN","Infinity","-Infinity"]"#);
    }

    /// A `Value` through the writer's primitives.
    fn write_value(w: &mut JsonWriter, v: &Value) {
        match v {
            Value::Null => w.null(),
            Value::Bool(b) => w.bool(*b),
            Value::Number(n) if n.is_i64() => w.int(n.as_i64().unwrap()),
            Value::Number(n) => w.f64(n.as_f64().unwrap()),
            Value::String(s) => w.string(s),
            Value::Array(items) => {
                w.begin_array();
                for item in items {
                    w.item();
                    write_value(w, item);
                }
                w.end_array();
            }
            Value::Object(m) => {
                w.begin_object();
                for (k, v) in m {
                    w.key(k);
                    write_value(w, v);
                }
                w.end_object();
            }
        }
    }

    #[test]
    fn scalars_read_as_the_protocols_write_them() {
        let mut r = JsonReader::new(r#"[1, 1.5, "NaN", 128, 3000000000, "AAEC", 1515531081.1234, "x"]"#);
        r.array().unwrap();
        assert!(r.next_item().unwrap());
        assert_eq!(r.int::<i8>().unwrap(), 1);
        assert!(r.next_item().unwrap());
        assert!(r.int::<i32>().unwrap_err().message.contains("expected an integer of 32 bits, found `1.5`"));
        assert!(r.next_item().unwrap());
        assert!(r.f64().unwrap().is_nan());
        assert!(r.next_item().unwrap());
        assert!(r.int::<i8>().is_err(), "128 is out of range for i8");
        assert!(r.next_item().unwrap());
        assert!(r.int::<i32>().is_err());
        assert!(r.next_item().unwrap());
        assert_eq!(r.blob().unwrap(), [0, 1, 2]);
        assert!(r.next_item().unwrap());
        let t = r.timestamp(TimestampFormat::EpochSeconds).unwrap();
        assert_eq!((t.secs(), t.subsec_nanos()), (1515531081, 123_400_000));
        assert!(r.next_item().unwrap());
        assert!(r.f64().is_err());
    }

    #[test]
    fn errors_name_the_member_path() {
        fn read(r: &mut JsonReader<'_>) -> Result<Vec<BTreeMap<String, i8>>, JsonError> {
            r.object()?;
            let mut out = Vec::new();
            while let Some(k) = r.next_key()? {
                match &*k {
                    "items" => out = read_list(r, |r| read_map(r, |r| r.int::<i8>()))?,
                    _ => r.skip()?,
                }
            }
            Ok(out)
        }
        let body = "{\"items\": [{\"x\": 1},\n {\"x\": 1, \"y\": \"2\"}]}";
        let err = parse_json_with(200, body.as_bytes(), read).unwrap_err();
        assert!(err.message.starts_with("invalid JSON body at `items[1].y`: expected a number"), "{}", err.message);
        let err = parse_json_with(200, b"{\"items\": [{\"x\": 1}] } x", read).unwrap_err();
        assert!(err.message.contains("trailing characters"), "{}", err.message);
        let err = parse_json_with(200, b"{\"items\": [], \"extra\": \xff}", read).unwrap_err();
        assert!(err.message.contains("not UTF-8"), "{}", err.message);
        assert_eq!(parse_json_with(200, b"  ", read).unwrap(), Vec::new(), "an empty body reads as {{}}");
    }
}
