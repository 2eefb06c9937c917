use std::fmt;

/// A builder's `build()` was called without every required member set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    /// The type being built.
    pub shape: &'static str,
    /// Every required member that was not set, by its name in the model.
    pub missing: Vec<&'static str>,
}

impl BuildError {
    /// The required members whose bit in `set` is clear; bit `i` stands for `members[i]`.
    #[doc(hidden)]
    pub fn unset(shape: &'static str, set: u64, members: &[&'static str]) -> Self {
        let missing = unset(set, members).collect();
        Self { shape, missing }
    }

    /// A builder's `Debug`: the value so far and, by their names in the model, the required
    /// members not yet set (their fields hold a placeholder until then).
    #[doc(hidden)]
    pub fn debug_builder(
        f: &mut fmt::Formatter<'_>,
        builder: &str,
        value: &dyn fmt::Debug,
        set: u64,
        members: &[&'static str],
    ) -> fmt::Result {
        struct Unset<'a>(u64, &'a [&'static str]);
        impl fmt::Debug for Unset<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_list().entries(unset(self.0, self.1)).finish()
            }
        }
        let mut d = f.debug_struct(builder);
        d.field("value", value);
        if unset(set, members).next().is_some() {
            d.field("unset", &Unset(set, members));
        }
        d.finish()
    }
}

fn unset<'a>(set: u64, members: &'a [&'static str]) -> impl Iterator<Item = &'static str> + 'a {
    members.iter().zip(0u32..).filter(move |(_, i)| set.checked_shr(*i).unwrap_or(0) & 1 == 0).map(|(name, _)| *name)
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot build `{}`: missing required member", self.shape)?;
        if self.missing.len() != 1 {
            f.write_str("s")?;
        }
        for (i, m) in self.missing.iter().enumerate() {
            f.write_str(if i == 0 { " `" } else { ", `" })?;
            f.write_str(m)?;
            f.write_str("`")?;
        }
        Ok(())
    }
}

impl std::error::Error for BuildError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unset_lists_clear_bits_in_order() {
        let e = BuildError::unset("Task", 0b010, &["sourceFields", "connectorOperator", "taskType"]);
        assert_eq!(e.missing, ["sourceFields", "taskType"]);
        assert_eq!(e.to_string(), "cannot build `Task`: missing required members `sourceFields`, `taskType`");
        let e = BuildError::unset("Task", 0b01, &["sourceFields", "taskType"]);
        assert_eq!(e.to_string(), "cannot build `Task`: missing required member `taskType`");
        // The 64th member is the top bit.
        let names: Vec<&'static str> = (0..64).map(|i| if i == 63 { "last" } else { "m" }).collect();
        assert_eq!(BuildError::unset("Wide", u64::MAX >> 1, &names).missing, ["last"]);
    }

    #[test]
    fn builder_debug_names_what_is_unset() {
        struct B(u64);
        impl fmt::Debug for B {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                BuildError::debug_builder(f, "TaskBuilder", &(1, "x"), self.0, &["sourceFields", "taskType"])
            }
        }
        assert_eq!(format!("{:?}", B(0b01)), r#"TaskBuilder { value: (1, "x"), unset: ["taskType"] }"#);
        assert_eq!(format!("{:?}", B(0b11)), r#"TaskBuilder { value: (1, "x") }"#);
    }
}
