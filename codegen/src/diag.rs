//! Errors about the input model. Every stage collects them instead of stopping at the first, and
//! the caller prints them sorted, so one run shows everything that is wrong.

use std::fmt;

/// One problem in the input: where (a `file:line:column`, or a shape id with an optional member)
/// and what.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    pub location: String,
    pub message: String,
}

impl Diagnostic {
    pub fn new(location: impl Into<String>, message: impl Into<String>) -> Self {
        Self { location: location.into(), message: message.into() }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error: {}: {}", self.location, self.message)
    }
}

/// All problems of a run, sorted and without duplicates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn from_vec(mut v: Vec<Diagnostic>) -> Self {
        v.sort();
        v.dedup();
        Self(v)
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        let n = self.0.len();
        write!(f, "{n} error{} in the model", if n == 1 { "" } else { "s" })
    }
}

impl std::error::Error for Diagnostics {}

/// Collects diagnostics during a stage.
#[derive(Debug, Default)]
pub struct Sink(Vec<Diagnostic>);

impl Sink {
    pub fn error(&mut self, location: impl Into<String>, message: impl Into<String>) {
        self.0.push(Diagnostic::new(location, message));
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }
    /// `Ok(value)` when nothing was reported.
    pub fn finish<T>(self, value: T) -> Result<T, Diagnostics> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(Diagnostics::from_vec(self.0))
        }
    }
}
