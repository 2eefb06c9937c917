//! The rules language's library functions, as the Smithy specification and the AWS SDKs define
//! them.

use std::borrow::Cow;
use std::net::{Ipv4Addr, Ipv6Addr};

use crate::Value;

/// `substring(input, start, stop, reverse)`: ASCII only; unset when the range does not fit.
pub fn substring(s: &str, start: i64, stop: i64, reverse: bool) -> Option<String> {
    if !s.is_ascii() || start < 0 || start >= stop {
        return None;
    }
    let (start, stop) = (usize::try_from(start).ok()?, usize::try_from(stop).ok()?);
    if stop > s.len() {
        return None;
    }
    let (from, to) = if reverse { (s.len() - stop, s.len() - start) } else { (start, stop) };
    Some(s[from..to].to_string())
}

/// `isValidHostLabel(value, allowSubDomains)`: 1 to 63 letters, digits and `-`, not starting
/// with `-`; with sub-domains, every `.`-separated label is one.
pub fn is_valid_host_label(s: &str, allow_sub_domains: bool) -> bool {
    if allow_sub_domains {
        return s.split('.').all(|l| is_valid_host_label(l, false));
    }
    !s.is_empty() && s.len() < 64 && !s.starts_with('-') && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// `uriEncode(value)`: every byte but the unreserved characters percent-encoded.
pub fn uri_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn is_ip(host: &str) -> bool {
    host.parse::<Ipv4Addr>().is_ok()
        || host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).is_some_and(|h| h.parse::<Ipv6Addr>().is_ok())
}

/// `parseURL(value)`: scheme, authority, path, normalized path and whether the host is an IP
/// address; unset for anything that is not `http(s)://authority[/path]` (a query string
/// included).
pub fn parse_url(s: &str) -> Option<Value> {
    let (scheme, rest) = s.split_once("://")?;
    if !matches!(scheme, "http" | "https") || rest.contains(['?', '#']) {
        return None;
    }
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    if authority.is_empty() {
        return None;
    }
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    let host = match authority.strip_prefix('[') {
        // `[v6]` or `[v6]:port`
        Some(rest) => {
            let (v6, tail) = rest.split_once(']')?;
            if !(tail.is_empty() || tail.strip_prefix(':').is_some_and(digits)) {
                return None;
            }
            &authority[..v6.len() + 2]
        }
        None => match authority.rsplit_once(':') {
            Some((h, port)) if digits(port) => h,
            Some(_) => return None,
            None => authority,
        },
    };
    let normalized = if path.is_empty() {
        "/".to_string()
    } else {
        let mut p = path.to_string();
        if !p.ends_with('/') {
            p.push('/');
        }
        p
    };
    let field = |k: &'static str, v: Value| (Cow::Borrowed(k), v);
    Some(Value::Record(vec![
        field("scheme", Value::String(scheme.to_string())),
        field("authority", Value::String(authority.to_string())),
        field("path", Value::String(path.to_string())),
        field("normalizedPath", Value::String(normalized)),
        field("isIp", Value::Bool(is_ip(host))),
    ]))
}

/// `aws.parseArn(value)`: `arn:partition:service:region:account:resource`, with the resource
/// split at `:` and `/` into `resourceId`; unset when it is not an ARN.
pub fn parse_arn(s: &str) -> Option<Value> {
    let mut parts = s.splitn(6, ':');
    if parts.next()? != "arn" {
        return None;
    }
    let (partition, service, region, account, resource) =
        (parts.next()?, parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    if partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    let ids = resource.split([':', '/']).map(|r| Value::String(r.to_string())).collect();
    let field = |k: &'static str, v: Value| (Cow::Borrowed(k), v);
    Some(Value::Record(vec![
        field("partition", Value::String(partition.to_string())),
        field("service", Value::String(service.to_string())),
        field("region", Value::String(region.to_string())),
        field("accountId", Value::String(account.to_string())),
        field("resourceId", Value::Array(ids)),
    ]))
}

/// `aws.isVirtualHostableS3Bucket(value, allowSubDomains)`: a bucket name that can be a host
/// label: 3 to 63 lowercase letters, digits and `-` (with sub-domains, `.`-separated labels of
/// those), not an IP address.
pub fn is_virtual_hostable_s3_bucket(s: &str, allow_sub_domains: bool) -> bool {
    let segment =
        |l: &str| is_valid_host_label(l, false) && !l.bytes().any(|b| b.is_ascii_uppercase()) && !l.ends_with('-');
    if !(3..=63).contains(&s.len()) || is_ip(s) {
        return false;
    }
    if allow_sub_domains {
        s.split('.').all(segment)
    } else {
        segment(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substrings() {
        assert_eq!(substring("abcdef", 0, 4, false).as_deref(), Some("abcd"));
        assert_eq!(substring("abcdef", 0, 4, true).as_deref(), Some("cdef"));
        assert_eq!(substring("abc", 0, 4, false), None);
        assert_eq!(substring("abc\u{e9}d", 0, 2, false), None);
    }

    #[test]
    fn urls() {
        let u = parse_url("https://example.com:8443/a/b").unwrap();
        assert_eq!(u.field("authority").and_then(Value::as_str), Some("example.com:8443"));
        assert_eq!(u.field("normalizedPath").and_then(Value::as_str), Some("/a/b/"));
        assert_eq!(u.field("isIp"), Some(&Value::Bool(false)));
        assert_eq!(parse_url("http://127.0.0.1").unwrap().field("isIp"), Some(&Value::Bool(true)));
        assert_eq!(parse_url("http://[::1]:80/").unwrap().field("isIp"), Some(&Value::Bool(true)));
        assert!(parse_url("https://example.com/?x=1").is_none());
        assert!(parse_url("ftp://example.com").is_none());
    }

    #[test]
    fn arns() {
        let a = parse_arn("arn:aws:kinesis:us-east-1:123:stream/name").unwrap();
        assert_eq!(
            a.attr(&[crate::PathSeg::Key("resourceId".into()), crate::PathSeg::Index(1)]).and_then(Value::as_str),
            Some("name")
        );
        assert!(parse_arn("arn:aws:kinesis").is_none());
        assert_eq!(uri_encode("a b/c"), "a%20b%2Fc");
    }
}
