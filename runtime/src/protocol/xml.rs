//! XML bodies, as awsQuery, ec2Query and restXml responses carry them: parsing with
//! `roxmltree`, the scalar forms, lists and maps with their element names, and the error
//! envelopes of each protocol.
//!
//! Generated code implements [`FromXml`] for each structure and union. Elements are matched by
//! local name, so namespace declarations on the way do not matter; unknown elements are skipped.

use std::collections::BTreeMap;
use std::fmt;

use super::{parse_base64, parse_bool, parse_float, parse_timestamp, ErrorInfo, ResponseError, TimestampFormat};
use crate::http::Response;

pub use roxmltree::{Document, Node};

/// A body that does not read as the model says, with the element where it went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlError {
    message: String,
}

impl XmlError {
    fn at(node: Node<'_, '_>, what: &str, found: &str) -> Self {
        XmlError { message: format!("<{}> should hold {what}, found `{found}`", node.tag_name().name()) }
    }

    /// The error as a call returns it, with the response's status.
    pub fn into_response_error(self, status: u16) -> ResponseError {
        ResponseError { status, message: format!("invalid XML body: {}", self.message) }
    }
}

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// The error for a member whose type the XML protocols have no form for (documents).
pub fn unsupported<T>(node: Node<'_, '_>, what: &str) -> Result<T, XmlError> {
    Err(XmlError { message: format!("<{}> holds {what}, which XML bodies cannot carry", node.tag_name().name()) })
}

/// A union element with no member this model knows: the name of the first child, if any.
pub fn unknown_member(node: Node<'_, '_>) -> String {
    children(node).next().map(|c| c.tag_name().name().to_string()).unwrap_or_default()
}

/// Reads a structure or union from its element.
pub trait FromXml: Sized {
    /// Reads the value from `node`, its element.
    fn from_xml(node: Node<'_, '_>) -> Result<Self, XmlError>;
}

/// Parses a response body. An empty body is `None`; what is not XML is an error that says where.
pub fn parse(response: &Response) -> Result<Option<Document<'_>>, ResponseError> {
    let status = response.status().as_u16();
    let body = response.body();
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let text = std::str::from_utf8(body)
        .map_err(|e| ResponseError { status, message: format!("invalid XML body: it is not UTF-8 ({e})") })?;
    let options = roxmltree::ParsingOptions { allow_dtd: false, ..Default::default() };
    Document::parse_with_options(text, options)
        .map(Some)
        .map_err(|e| ResponseError { status, message: format!("invalid XML body: {e}") })
}

/// The child elements of `node`.
pub fn children<'a, 'i>(node: Node<'a, 'i>) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children().filter(Node::is_element)
}

/// The first child element of `node` named `name`.
pub fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    children(node).find(|c| c.tag_name().name() == name)
}

/// The text of an element (its text and CDATA children joined; entities already decoded).
pub fn text(node: Node<'_, '_>) -> String {
    let mut out = String::new();
    for c in node.children() {
        if let Some(t) = c.text().filter(|_| c.is_text()) {
            out.push_str(t);
        }
    }
    out
}

/// The element's text as a string.
pub fn string(node: Node<'_, '_>) -> Result<String, XmlError> {
    Ok(text(node))
}

/// `true` or `false`.
pub fn boolean(node: Node<'_, '_>) -> Result<bool, XmlError> {
    let t = text(node);
    parse_bool(t.trim()).ok_or_else(|| XmlError::at(node, "a boolean", &t))
}

/// An integer of any width.
pub fn int<T: std::str::FromStr>(node: Node<'_, '_>) -> Result<T, XmlError> {
    let t = text(node);
    t.trim().parse().map_err(|_| XmlError::at(node, "an integer", &t))
}

/// A double: a number, `NaN`, `Infinity` or `-Infinity`.
pub fn float(node: Node<'_, '_>) -> Result<f64, XmlError> {
    let t = text(node);
    parse_float(t.trim()).ok_or_else(|| XmlError::at(node, "a number", &t))
}

/// A float, read as [`float`] reads a double.
pub fn float32(node: Node<'_, '_>) -> Result<f32, XmlError> {
    float(node).map(|f| f as f32)
}

/// An integer of any size.
pub fn big_integer(node: Node<'_, '_>) -> Result<crate::BigInteger, XmlError> {
    let t = text(node);
    crate::BigInteger::new(t.trim()).ok_or_else(|| XmlError::at(node, "an integer", &t))
}

/// A decimal number of any size and precision.
pub fn big_decimal(node: Node<'_, '_>) -> Result<crate::BigDecimal, XmlError> {
    let t = text(node);
    crate::BigDecimal::new(t.trim()).ok_or_else(|| XmlError::at(node, "a number", &t))
}

/// Base64 data.
pub fn blob(node: Node<'_, '_>) -> Result<Vec<u8>, XmlError> {
    let t = text(node);
    parse_base64(t.trim()).ok_or_else(|| XmlError::at(node, "base64 data", &t))
}

/// A timestamp in `format`.
pub fn timestamp(node: Node<'_, '_>, format: TimestampFormat) -> Result<crate::DateTime, XmlError> {
    let t = text(node);
    parse_timestamp(t.trim(), format).ok_or_else(|| XmlError::at(node, "a timestamp", &t))
}

/// Reads a scalar from an attribute's text (`@xmlAttribute` members).
pub fn attribute<T>(
    node: Node<'_, '_>,
    name: &str,
    parse: impl FnOnce(&str) -> Option<T>,
) -> Result<Option<T>, XmlError> {
    // `prefix:local` names match by local name: the prefix is the document's choice.
    let local = name.rsplit_once(':').map_or(name, |(_, l)| l);
    match node.attributes().find(|a| a.name() == local).map(|a| a.value()) {
        None => Ok(None),
        Some(v) => parse(v).map(Some).ok_or_else(|| XmlError {
            message: format!("attribute `{name}` of <{}> has the unreadable value `{v}`", node.tag_name().name()),
        }),
    }
}

/// A wrapped list: the children of `node` named `member`, each read by `item`.
pub fn list<T>(
    node: Node<'_, '_>,
    member: &str,
    mut item: impl FnMut(Node<'_, '_>) -> Result<T, XmlError>,
) -> Result<Vec<T>, XmlError> {
    children(node).filter(|c| c.tag_name().name() == member).map(&mut item).collect()
}

/// One map entry: the children of `node` named `key` and `value`. An entry without a key is an
/// error; one without a value reads the value from an empty element's text.
pub fn entry<K, V>(
    node: Node<'_, '_>,
    key: &str,
    value: &str,
    read_key: &mut impl FnMut(Node<'_, '_>) -> Result<K, XmlError>,
    read_value: &mut impl FnMut(Node<'_, '_>) -> Result<V, XmlError>,
) -> Result<Option<(K, V)>, XmlError> {
    let Some(k) = child(node, key) else {
        return Err(XmlError { message: format!("a map entry <{}> has no <{key}>", node.tag_name().name()) });
    };
    let Some(v) = child(node, value) else { return Ok(None) };
    Ok(Some((read_key(k)?, read_value(v)?)))
}

/// A wrapped map: `<entry>` children of `node`, each with a key and a value element.
pub fn map<K: Ord, V>(
    node: Node<'_, '_>,
    key: &str,
    value: &str,
    mut read_key: impl FnMut(Node<'_, '_>) -> Result<K, XmlError>,
    mut read_value: impl FnMut(Node<'_, '_>) -> Result<V, XmlError>,
) -> Result<BTreeMap<K, V>, XmlError> {
    let mut out = BTreeMap::new();
    for e in children(node).filter(|c| c.tag_name().name() == "entry") {
        if let Some((k, v)) = entry(e, key, value, &mut read_key, &mut read_value)? {
            out.insert(k, v);
        }
    }
    Ok(out)
}

/// The element holding an operation's output members: in awsQuery `<OpResponse><OpResult>`,
/// in ec2Query the `<OpResponse>` root itself. `None` when the body is empty or has no result.
pub fn result_element<'a, 'i>(doc: &'a Option<Document<'i>>, result: Option<&str>) -> Option<Node<'a, 'i>> {
    let root = doc.as_ref()?.root_element();
    match result {
        Some(name) => child(root, name),
        None => Some(root),
    }
}

/// The `<Error>` element of an error response: `<ErrorResponse><Error>` (awsQuery, restXml),
/// `<Response><Errors><Error>` (ec2Query), or an `<Error>` root (S3).
pub fn error_element<'a, 'i>(doc: &'a Document<'i>) -> Option<Node<'a, 'i>> {
    let root = doc.root_element();
    match root.tag_name().name() {
        "Error" => Some(root),
        "Response" => child(root, "Errors").and_then(|e| child(e, "Error")),
        _ => child(root, "Error"),
    }
}

/// The error code and message of an XML error response, for any of the envelopes
/// [`error_element`] knows. A query-compatible `x-amzn-query-error` header is not consulted:
/// these protocols carry the code in the body.
pub fn error_info(response: &Response) -> ErrorInfo {
    let Ok(Some(doc)) = parse(response) else { return ErrorInfo::default() };
    let Some(error) = error_element(&doc) else { return ErrorInfo::default() };
    let field = |name: &str| child(error, name).map(text).filter(|t| !t.is_empty());
    ErrorInfo { code: field("Code"), message: field("Message").or_else(|| field("message")) }
}

/// Reads a modeled error's members from its response's `<Error>` element (an empty error when
/// the body has none).
pub fn read_error<T: Default>(
    response: &Response,
    read: impl FnOnce(Node<'_, '_>) -> Result<T, XmlError>,
) -> Result<T, ResponseError> {
    let status = response.status().as_u16();
    let Some(doc) = parse(response)? else { return Ok(T::default()) };
    match error_element(&doc) {
        Some(e) => read(e).map_err(|e| e.into_response_error(status)),
        None => Ok(T::default()),
    }
}

/// Writes an XML body: elements, attributes and text, escaped.
#[derive(Debug, Default)]
pub struct XmlWriter {
    out: String,
}

/// An element's namespace declaration: `(prefix, uri)`, the prefix empty for `xmlns="uri"`.
pub type Namespace<'a> = Option<(&'a str, &'a str)>;

impl XmlWriter {
    /// An empty body.
    pub fn new() -> Self {
        Self::default()
    }

    /// `<name` with its namespace declaration; attributes may follow, then [`Self::close_start`].
    pub fn open(&mut self, name: &str, ns: Namespace<'_>) {
        self.out.push('<');
        self.out.push_str(name);
        if let Some((prefix, uri)) = ns {
            if prefix.is_empty() {
                self.attr("xmlns", uri);
            } else {
                self.attr(&format!("xmlns:{prefix}"), uri);
            }
        }
    }

    /// ` name="value"`, escaped.
    pub fn attr(&mut self, name: &str, value: &str) {
        self.out.push(' ');
        self.out.push_str(name);
        self.out.push_str("=\"");
        escape_into(&mut self.out, value, true);
        self.out.push('"');
    }

    /// Ends the start tag.
    pub fn close_start(&mut self) {
        self.out.push('>');
    }

    /// Text content, escaped.
    pub fn text(&mut self, text: &str) {
        escape_into(&mut self.out, text, false);
    }

    /// `</name>`.
    pub fn end(&mut self, name: &str) {
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    /// An element holding only `text`.
    pub fn scalar(&mut self, name: &str, ns: Namespace<'_>, text: &str) {
        self.open(name, ns);
        self.close_start();
        self.text(text);
        self.end(name);
    }

    /// The body.
    pub fn finish(self) -> Vec<u8> {
        self.out.into_bytes()
    }
}

/// Escapes `&`, `<`, `>` (and `"` in attributes), and carriage returns and (in attributes)
/// newlines and tabs, which parsers would otherwise normalise away.
fn escape_into(out: &mut String, s: &str, attribute: bool) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\r' => out.push_str("&#xD;"),
            '\n' if attribute => out.push_str("&#xA;"),
            '\t' if attribute => out.push_str("&#x9;"),
            c => out.push(c),
        }
    }
}

/// Writes a structure or union as the element `name`.
pub trait ToXml {
    /// Its element as the root of a body: `@xmlName`, else the shape name.
    const ELEMENT: &'static str;
    /// Its `@xmlNamespace`, declared when it is a body's root.
    const NAMESPACE: Namespace<'static>;
    /// Writes `<name ...>...</name>`; a union holding a member this model does not know cannot
    /// be written.
    fn write_xml(&self, w: &mut XmlWriter, name: &str, ns: Namespace<'_>) -> Result<(), super::SerializeError>;
}

/// The root element name of `v`'s type (for a payload written as a body's root).
pub fn element_of<T: ToXml + ?Sized>(_v: &T) -> &'static str {
    T::ELEMENT
}

/// The namespace of `v`'s type as a body's root.
pub fn namespace_of<T: ToXml + ?Sized>(_v: &T) -> Namespace<'static> {
    T::NAMESPACE
}

impl<T: ToXml + ?Sized> ToXml for Box<T> {
    const ELEMENT: &'static str = T::ELEMENT;
    const NAMESPACE: Namespace<'static> = T::NAMESPACE;
    fn write_xml(&self, w: &mut XmlWriter, name: &str, ns: Namespace<'_>) -> Result<(), super::SerializeError> {
        (**self).write_xml(w, name, ns)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, body: &str) -> Response {
        http::Response::builder().status(status).body(body.as_bytes().to_vec().into()).unwrap()
    }

    #[test]
    fn every_error_envelope_gives_code_and_message() {
        let query = "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidGreeting</Code><Message>Hi</Message></Error></ErrorResponse>";
        let ec2 = "<Response><Errors><Error><Code>InvalidGreeting</Code><Message>Hi</Message></Error></Errors><RequestID>x</RequestID></Response>";
        let s3 = "<Error><Code>InvalidGreeting</Code><Message>Hi</Message></Error>";
        for body in [query, ec2, s3] {
            let info = error_info(&response(400, body));
            assert_eq!(info.code.as_deref(), Some("InvalidGreeting"), "{body}");
            assert_eq!(info.message.as_deref(), Some("Hi"), "{body}");
        }
        assert_eq!(error_info(&response(500, "not xml")), ErrorInfo::default());
        assert_eq!(error_info(&response(500, "")), ErrorInfo::default());
    }

    #[test]
    fn a_bad_scalar_names_its_element() {
        let r = response(200, "<A><count>many</count></A>");
        let doc = parse(&r).unwrap().unwrap();
        let n = child(doc.root_element(), "count").unwrap();
        let e = int::<i32>(n).unwrap_err();
        assert_eq!(e.to_string(), "<count> should hold an integer, found `many`");
    }

    #[test]
    fn entities_and_cdata_are_text() {
        let r = response(200, "<A><s>a &amp; b &#xA;<![CDATA[<c>]]></s></A>");
        let doc = parse(&r).unwrap().unwrap();
        assert_eq!(text(child(doc.root_element(), "s").unwrap()), "a & b \n<c>");
    }

    #[test]
    fn written_text_reads_back_the_same() {
        let nasty = "a & b < c > d \" ' \r\n\t end ]]> \u{e9}";
        let mut w = XmlWriter::new();
        w.open("Root", Some(("", "https://example.com/")));
        w.attr("attr", nasty);
        w.close_start();
        w.scalar("s", Some(("p", "urn:p")), nasty);
        w.end("Root");
        let body = String::from_utf8(w.finish()).unwrap();
        let doc = roxmltree::Document::parse(&body).unwrap();
        let root = doc.root_element();
        assert_eq!(root.tag_name().namespace(), Some("https://example.com/"));
        assert_eq!(root.attribute("attr"), Some(nasty));
        assert_eq!(text(child(root, "s").unwrap()), nasty);
    }

    #[test]
    fn hostile_bodies_are_errors_not_panics() {
        let bomb =
            r#"<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><l>&b;</l>"#;
        let err = parse(&response(200, bomb)).unwrap_err();
        assert!(err.message.contains("invalid XML body"), "{err}");
        let deep = "<a>".repeat(100_000);
        assert!(parse(&response(200, &deep)).is_err());
        assert!(parse(&response(200, "<a><b></a>")).is_err());
    }
}
