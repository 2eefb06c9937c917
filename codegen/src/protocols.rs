//! The one list of wire protocols the generator knows: their trait ids, whether code can be
//! generated for them yet, and which one a service that lists several speaks.
//!
//! Adding a protocol is adding a variant here and an emitter module in `emit/protocol/`.

use std::fmt;

/// A Smithy protocol, named by its trait on the service shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Protocol {
    RestJson1,
    AwsJson1_0,
    AwsJson1_1,
    AwsQuery,
    Ec2Query,
    RestXml,
    RpcV2Cbor,
}

impl Protocol {
    /// Every protocol, in the order the AWS SDKs prefer them when a service lists several.
    pub const ALL: [Protocol; 7] = [
        Protocol::RpcV2Cbor,
        Protocol::AwsJson1_0,
        Protocol::AwsJson1_1,
        Protocol::RestJson1,
        Protocol::RestXml,
        Protocol::AwsQuery,
        Protocol::Ec2Query,
    ];

    /// The protocol's trait id.
    pub fn trait_id(self) -> &'static str {
        match self {
            Protocol::RestJson1 => "aws.protocols#restJson1",
            Protocol::AwsJson1_0 => "aws.protocols#awsJson1_0",
            Protocol::AwsJson1_1 => "aws.protocols#awsJson1_1",
            Protocol::AwsQuery => "aws.protocols#awsQuery",
            Protocol::Ec2Query => "aws.protocols#ec2Query",
            Protocol::RestXml => "aws.protocols#restXml",
            Protocol::RpcV2Cbor => "smithy.protocols#rpcv2Cbor",
        }
    }

    /// The protocol whose trait id is `id`.
    pub fn from_trait(id: &str) -> Option<Protocol> {
        Protocol::ALL.into_iter().find(|p| p.trait_id() == id)
    }

    /// The short name users see (`restJson1`).
    pub fn name(self) -> &'static str {
        self.trait_id().rsplit_once('#').map_or("", |(_, n)| n)
    }

    /// Whether the generator can emit code for it.
    pub fn supported(self) -> bool {
        matches!(
            self,
            Protocol::RestJson1
                | Protocol::AwsJson1_0
                | Protocol::AwsJson1_1
                | Protocol::AwsQuery
                | Protocol::Ec2Query
                | Protocol::RestXml
                | Protocol::RpcV2Cbor
        )
    }

    /// Whether members travel in HTTP bindings (`@httpLabel`, `@httpHeader`, ...) rather than
    /// all in the body.
    pub fn http_bindings(self) -> bool {
        matches!(self, Protocol::RestJson1 | Protocol::RestXml)
    }

    /// Whether `@jsonName` renames members in bodies (restJson1 only; awsJson ignores it).
    pub fn json_name(self) -> bool {
        self == Protocol::RestJson1
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Whether a trait id names a protocol, known here or not (the namespaces protocols live in;
/// the helper traits there are not protocols).
pub fn looks_like_protocol(id: &str) -> bool {
    let helpers = [
        "aws.protocols#awsQueryCompatible",
        "aws.protocols#awsQueryError",
        "aws.protocols#ec2QueryName",
        "aws.protocols#httpChecksum",
    ];
    (id.starts_with("aws.protocols#") || id.starts_with("smithy.protocols#")) && !helpers.contains(&id)
}

/// Why no protocol could be chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoProtocol {
    /// The service has no protocol trait at all.
    None,
    /// It has protocol traits, none of them supported yet.
    Unsupported(Vec<String>),
    /// The configuration asks for a protocol the service does not list (or no protocol at all).
    NotListed { wanted: String, listed: Vec<String> },
}

impl fmt::Display for NoProtocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let supported: Vec<&str> = Protocol::ALL.iter().filter(|p| p.supported()).map(|p| p.name()).collect();
        match self {
            NoProtocol::None => write!(f, "the service has no protocol trait; supported: {}", supported.join(", ")),
            NoProtocol::Unsupported(names) => write!(
                f,
                "protocol `{}` is not supported yet (supported: {})",
                names.join("`, `"),
                supported.join(", ")
            ),
            NoProtocol::NotListed { wanted, listed } => write!(
                f,
                "the configuration asks for protocol `{wanted}`, which the service does not list (it lists: {})",
                if listed.is_empty() { "none".to_string() } else { listed.join(", ") }
            ),
        }
    }
}

/// The protocol to generate for a service carrying `known` (and `unknown`) protocol traits:
/// `wanted` (by name or trait id, from the configuration) when given and listed, else the
/// first supported one in the SDKs' order of preference.
pub fn choose(known: &[Protocol], unknown: &[String], wanted: Option<&str>) -> Result<Protocol, NoProtocol> {
    if let Some(wanted) = wanted {
        let listed = || known.iter().map(|p| p.name().to_string()).chain(unknown.iter().cloned()).collect();
        return known
            .iter()
            .copied()
            .find(|p| p.supported() && (p.name() == wanted || p.trait_id() == wanted))
            .ok_or_else(|| NoProtocol::NotListed { wanted: wanted.to_string(), listed: listed() });
    }
    if let Some(p) = Protocol::ALL.into_iter().find(|p| p.supported() && known.contains(p)) {
        return Ok(p);
    }
    let mut names: Vec<String> = known.iter().map(|p| p.name().to_string()).collect();
    names.extend(unknown.iter().cloned());
    if names.is_empty() {
        Err(NoProtocol::None)
    } else {
        Err(NoProtocol::Unsupported(names))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trait_ids_round_trip() {
        for p in Protocol::ALL {
            assert_eq!(Protocol::from_trait(p.trait_id()), Some(p));
        }
        assert!(!looks_like_protocol("aws.protocols#awsQueryCompatible"));
        assert!(looks_like_protocol("aws.protocols#somethingNew"));
    }

    #[test]
    fn the_preferred_supported_protocol_wins() {
        assert_eq!(choose(&[Protocol::RestJson1, Protocol::AwsJson1_0], &[], None), Ok(Protocol::AwsJson1_0));
        assert_eq!(choose(&[Protocol::AwsQuery, Protocol::AwsJson1_0], &[], None), Ok(Protocol::AwsJson1_0));
        assert_eq!(choose(&[], &[], None), Err(NoProtocol::None));
        assert_eq!(choose(&[Protocol::AwsQuery, Protocol::RpcV2Cbor], &[], None), Ok(Protocol::RpcV2Cbor));
        let unknown = choose(&[], &["aws.protocols#awsJson2_0".to_string()], None).unwrap_err().to_string();
        assert!(unknown.contains("`aws.protocols#awsJson2_0` is not supported"), "{unknown}");
    }

    #[test]
    fn the_configuration_can_pick_another_listed_protocol() {
        let both = [Protocol::AwsQuery, Protocol::RpcV2Cbor];
        assert_eq!(choose(&both, &[], Some("awsQuery")), Ok(Protocol::AwsQuery));
        assert_eq!(choose(&both, &[], Some("aws.protocols#awsQuery")), Ok(Protocol::AwsQuery));
        let e = choose(&both, &[], Some("restXml")).unwrap_err().to_string();
        assert_eq!(
            e,
            "the configuration asks for protocol `restXml`, which the service does not list (it lists: awsQuery, rpcv2Cbor)"
        );
    }
}
