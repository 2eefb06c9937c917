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
    /// Collects the members whose flag is `true` (not set).
    #[doc(hidden)]
    pub fn missing(shape: &'static str, members: &[(bool, &'static str)]) -> Self {
        let missing = members.iter().filter(|(is_missing, _)| *is_missing).map(|(_, name)| *name).collect();
        Self { shape, missing }
    }
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
