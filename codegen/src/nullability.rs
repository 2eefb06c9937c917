//! The one authority on whether a structure member is an `Option` in Rust. Lowering and the
//! change report both ask here; nothing else decides it.
//!
//! The rule is Smithy 2.0's nullability in its client view:
//!
//! - `@clientOptional` members are optional, whatever else they carry;
//! - `@required` members are not: the builder uses their `@default` if they have one and
//!   reports them when missing otherwise, and a response that omits one is corrected to the
//!   zero value (Smithy's "error correction");
//! - members with a `@default` (not `null`) are not optional, except in `@input` structures:
//!   there the field stays an `Option` so that what the caller leaves unset is not sent and the
//!   service applies its own default, and a default added later does not change the Rust type;
//! - members targeting a `@streaming` blob are never optional: an empty body is their unset
//!   value, as in the SDKs;
//! - every other member is optional.
//!
//! Unlike Smithy's strictest client mode, `@input` does not make `@required` members optional:
//! the builder checks them instead, which is how this crate's API has always read.

use crate::traits::{MemberTraits, ShapeTraits};

/// How a member appears in its Rust struct.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nullability {
    /// `Option<T>`.
    Optional,
    /// `T`, required: the builder fails without it.
    Required,
    /// `T`, with the model's default when not set.
    Defaulted,
}

impl Nullability {
    pub fn is_optional(self) -> bool {
        self == Nullability::Optional
    }
}

/// The nullability of a member with traits `member` in a structure with traits `container`,
/// targeting a shape with traits `target`.
pub fn member(container: &ShapeTraits, member: &MemberTraits, target: &ShapeTraits) -> Nullability {
    if target.streaming {
        Nullability::Defaulted
    } else if member.client_optional {
        Nullability::Optional
    } else if member.required {
        if member.default_value().is_some() {
            Nullability::Defaulted
        } else {
            Nullability::Required
        }
    } else if member.default_value().is_some() && !container.input {
        Nullability::Defaulted
    } else {
        Nullability::Optional
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn m(f: impl FnOnce(&mut MemberTraits)) -> MemberTraits {
        let mut t = MemberTraits::default();
        f(&mut t);
        t
    }

    #[test]
    fn the_rules_in_order() {
        let plain = ShapeTraits::default();
        let input = ShapeTraits { input: true, ..Default::default() };
        let blob = ShapeTraits::default();
        let def = m(|t| t.default = Some(json!(1)));
        assert_eq!(member(&plain, &def, &blob), Nullability::Defaulted);
        assert_eq!(member(&input, &def, &blob), Nullability::Optional);
        assert_eq!(member(&plain, &m(|t| t.default = Some(json!(null))), &blob), Nullability::Optional);
        assert_eq!(member(&input, &m(|t| t.required = true), &blob), Nullability::Required);
        let required_default = m(|t| {
            t.required = true;
            t.default = Some(json!("x"));
        });
        assert_eq!(member(&input, &required_default, &blob), Nullability::Defaulted);
        let both = m(|t| {
            t.required = true;
            t.client_optional = true;
        });
        assert_eq!(member(&plain, &both, &blob), Nullability::Optional);
        assert_eq!(member(&plain, &MemberTraits::default(), &blob), Nullability::Optional);
        let streaming = ShapeTraits { streaming: true, ..Default::default() };
        assert_eq!(member(&input, &MemberTraits::default(), &streaming), Nullability::Defaulted);
        assert_eq!(member(&plain, &both, &streaming), Nullability::Defaulted);
    }
}
