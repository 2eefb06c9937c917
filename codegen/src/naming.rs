//! Every Rust identifier the generator emits is decided here.
//!
//! heck does the case conversion; an override table fixes words it splits badly (`OAuth2`,
//! `SAPOData`), keywords become raw identifiers, and type names that would shadow the Rust
//! prelude get a suffix. Collisions are detected by the caller and reported, never resolved
//! silently.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Words heck would split wrongly: (as written in models, UpperCamel form, snake form).
/// Longer entries first so that `OAuth2` wins over `OAuth`. Entries that start with a lowercase
/// letter match only at the start of a name (`oAuthScopes`, not `DemoAuth`).
const WORDS: &[(&str, &str, &str)] = &[
    ("SAPOData", "SapOData", "sap_odata"),
    ("OAuth2", "OAuth2", "oauth2"),
    ("OAuth", "OAuth", "oauth"),
    ("oAuth2", "OAuth2", "oauth2"),
    ("oAuth", "OAuth", "oauth"),
    ("IPv4", "Ipv4", "ipv4"),
    ("IPv6", "Ipv6", "ipv6"),
    ("iOS", "Ios", "ios"),
    ("macOS", "MacOs", "macos"),
];

/// Splits `name` around override words, converting the plain parts with `plain` and the
/// override words with `pick`.
fn convert(
    name: &str,
    plain: fn(&str) -> String,
    pick: fn(&(&'static str, &'static str, &'static str)) -> &'static str,
) -> Vec<String> {
    let mut parts = Vec::new();
    let mut rest = name;
    let mut buf = String::new();
    'outer: while !rest.is_empty() {
        let at_start = rest.len() == name.len();
        for w in WORDS {
            let lower = w.0.starts_with(|c: char| c.is_ascii_lowercase());
            if rest.starts_with(w.0) && (at_start || !lower) {
                if !buf.is_empty() {
                    parts.push(plain(&buf));
                    buf.clear();
                }
                parts.push(pick(w).to_string());
                rest = &rest[w.0.len()..];
                continue 'outer;
            }
        }
        let c = rest.chars().next().expect("rest is not empty");
        buf.push(c);
        rest = &rest[c.len_utf8()..];
    }
    if !buf.is_empty() {
        parts.push(plain(&buf));
    }
    parts.retain(|p| !p.is_empty());
    parts
}

fn camel_words(name: &str) -> String {
    let s: String = convert(name, |p| p.to_upper_camel_case(), |w| w.1).concat();
    if s.starts_with(|c: char| c.is_ascii_digit()) || s.is_empty() {
        format!("V{s}")
    } else {
        s
    }
}

fn snake_words(name: &str) -> String {
    let s = convert(name, |p| p.to_snake_case(), |w| w.2).join("_");
    if s.starts_with(|c: char| c.is_ascii_digit()) || s.is_empty() {
        format!("v_{s}")
    } else {
        s
    }
}

/// Types a generated type must not shadow: the Rust prelude and what generated code names
/// unqualified.
const RESERVED_TYPES: &[&str] = &[
    "String",
    "Vec",
    "Option",
    "Box",
    "Result",
    "Ok",
    "Err",
    "Some",
    "None",
    "Default",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Debug",
    "Display",
    "BTreeMap",
    "Self",
    "Unpin",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "Iterator",
    "IntoIterator",
    "Extend",
    "ToString",
    "ToOwned",
    "Eq",
    "PartialEq",
    "Ord",
    "PartialOrd",
    "From",
    "Into",
    "AsRef",
    "AsMut",
    "Hash",
    "DateTime",
    "Utc",
    "Document",
    "Blob",
    "Future",
    "Pin",
];

/// The Rust type name of a shape: UpperCamelCase; a name that would shadow something
/// generated code uses gets the suffix `Value` (`Document` becomes `DocumentValue`).
pub fn type_name(shape_name: &str) -> String {
    let n = camel_words(shape_name);
    if RESERVED_TYPES.contains(&n.as_str()) {
        format!("{n}Value")
    } else {
        n
    }
}

/// An enum variant or union variant: UpperCamelCase, never `Self`.
pub fn variant_name(member: &str) -> String {
    let n = camel_words(member);
    if n == "Self" {
        "SelfValue".into()
    } else {
        n
    }
}

const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "else", "enum", "extern", "false", "fn", "for", "if", "impl", "in", "let",
    "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "static", "struct", "trait", "true", "type",
    "unsafe", "use", "where", "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// A field, method or module name: snake_case; keywords become raw identifiers (`r#type`) or,
/// where Rust does not allow that, get a trailing underscore.
pub fn field_name(member: &str) -> String {
    escape(snake_words(member))
}

fn escape(n: String) -> String {
    if NOT_RAW.contains(&n.as_str()) {
        format!("{n}_")
    } else if KEYWORDS.contains(&n.as_str()) {
        format!("r#{n}")
    } else {
        n
    }
}

/// A module or file name for a type: snake_case, keywords with a trailing underscore (file
/// names cannot be raw identifiers).
pub fn module_name(shape_name: &str) -> String {
    let n = snake_words(shape_name);
    if NOT_RAW.contains(&n.as_str()) || KEYWORDS.contains(&n.as_str()) {
        format!("{n}_")
    } else {
        n
    }
}

/// Parses a generated identifier into tokens (raw identifiers included).
pub fn ident(name: &str) -> proc_macro2::Ident {
    match name.strip_prefix("r#") {
        Some(raw) => proc_macro2::Ident::new_raw(raw, proc_macro2::Span::call_site()),
        None => proc_macro2::Ident::new(name, proc_macro2::Span::call_site()),
    }
}

/// A name without the `r#` prefix, for documentation and messages.
pub fn bare(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types() {
        assert_eq!(type_name("OAuth2Credentials"), "OAuth2Credentials");
        assert_eq!(type_name("SAPODataConnectorOperator"), "SapODataConnectorOperator");
        assert_eq!(type_name("KMSArn"), "KmsArn");
        assert_eq!(type_name("String"), "StringValue");
        assert_eq!(type_name("Document"), "DocumentValue");
        assert_eq!(type_name("Object"), "Object");
        assert_eq!(type_name("S3OutputFormatConfig"), "S3OutputFormatConfig");
    }

    #[test]
    fn fields() {
        assert_eq!(field_name("type"), "r#type");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(field_name("oAuth2Defaults"), "oauth2_defaults");
        assert_eq!(field_name("isOAuth2Supported"), "is_oauth2_supported");
        assert_eq!(field_name("logoURL"), "logo_url");
        assert_eq!(field_name("SAPOData"), "sap_odata");
        assert_eq!(field_name("oAuthScopes"), "oauth_scopes");
        assert_eq!(field_name("object"), "object");
        assert_eq!(field_name("lambda"), "lambda");
        assert_eq!(field_name("KMSArn"), "kms_arn");
        assert_eq!(field_name("1st"), "v_1st");
    }

    #[test]
    fn variants() {
        assert_eq!(variant_name("CUSTOMERPROFILES"), "Customerprofiles");
        assert_eq!(variant_name("SAPOData"), "SapOData");
        assert_eq!(variant_name("Self"), "SelfValue");
        assert_eq!(variant_name("BYMINUTE"), "Byminute");
    }
}
