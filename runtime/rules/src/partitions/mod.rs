//! `aws.partition`: which AWS partition a region belongs to, and that partition's facts (DNS
//! suffixes, FIPS and dual-stack support). The data in `data.rs` is generated from the project's
//! `model/partitions.json` by `cargo xtask codegen`.

#[rustfmt::skip]
mod data;

use std::borrow::Cow;

pub use data::PARTITIONS;

use crate::Value;

/// One partition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Partition {
    pub id: &'static str,
    /// The pattern of region names in the partition.
    pub region_regex: &'static str,
    /// `region_regex`, compiled by the generator.
    pub region_matcher: crate::dfa::Dfa,
    /// The regions the partition lists by name, sorted.
    pub regions: &'static [&'static str],
    pub outputs: Outputs,
}

/// What `aws.partition` returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outputs {
    pub name: &'static str,
    pub dns_suffix: &'static str,
    pub dual_stack_dns_suffix: &'static str,
    pub implicit_global_region: &'static str,
    pub supports_fips: bool,
    pub supports_dual_stack: bool,
}

/// The partition of `region` in this crate's table: the one that lists it, else the first whose
/// pattern matches it, else `aws`.
pub fn find(region: &str) -> Option<&'static Partition> {
    find_in(PARTITIONS, region)
}

/// [`find`] in another table.
pub fn find_in<'t>(table: &'t [Partition], region: &str) -> Option<&'t Partition> {
    if let Some(p) = table.iter().find(|p| p.regions.binary_search(&region).is_ok()) {
        return Some(p);
    }
    table.iter().find(|p| p.region_matcher.is_match(region)).or_else(|| table.iter().find(|p| p.id == "aws"))
}

/// The partitions as the endpoint test cases of models written before the aws-iso partitions
/// had dual-stack endpoints expect them: for `aws-iso`, `aws-iso-b`, `aws-iso-e` and
/// `aws-iso-f`, no dual-stack support and the plain DNS suffix as the dual-stack one. Only the
/// test cases need it; resolution uses [`PARTITIONS`].
pub fn before_iso_dual_stack() -> Vec<Partition> {
    let mut t = PARTITIONS.to_vec();
    for p in &mut t {
        if matches!(p.id, "aws-iso" | "aws-iso-b" | "aws-iso-e" | "aws-iso-f") {
            p.outputs.supports_dual_stack = false;
            p.outputs.dual_stack_dns_suffix = p.outputs.dns_suffix;
        }
    }
    t
}

/// `aws.partition(region)` as a rules value; unset only for a table without an `aws` partition.
pub fn partition(table: &[Partition], region: &str) -> Option<Value> {
    let o = find_in(table, region)?.outputs;
    let s = |k: &'static str, v: &'static str| (Cow::Borrowed(k), Value::String(v.to_string()));
    let b = |k: &'static str, v: bool| (Cow::Borrowed(k), Value::Bool(v));
    Some(Value::Record(vec![
        s("name", o.name),
        s("dnsSuffix", o.dns_suffix),
        s("dualStackDnsSuffix", o.dual_stack_dns_suffix),
        s("implicitGlobalRegion", o.implicit_global_region),
        b("supportsFIPS", o.supports_fips),
        b("supportsDualStack", o.supports_dual_stack),
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_find_their_partition() {
        let id = |r: &str| find(r).map(|p| p.id);
        assert_eq!(id("us-east-1"), Some("aws"));
        assert_eq!(id("cn-north-1"), Some("aws-cn"));
        assert_eq!(id("us-gov-west-1"), Some("aws-us-gov"));
        assert_eq!(find("eusc-de-east-1").map(|p| p.outputs.dns_suffix), Some("amazonaws.eu"));
        // Not listed, but matching a pattern.
        assert_eq!(id("us-isob-west-9"), Some("aws-iso-b"));
        // Neither: the aws partition.
        assert_eq!(id("mars-1"), Some("aws"));
        assert_eq!(partition(&[], "us-east-1"), None);
    }
}
