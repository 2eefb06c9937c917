//! Client-side validation of `@required`, `@length`, `@range` and `@pattern`, which generated
//! `Validate` impls call. Paths are built only when something fails.

use std::fmt;

use crate::error::{ValidationError, ValidationErrors};

/// Where a value sits in the input: a chain of member names, list indexes and map keys.
#[derive(Clone, Copy)]
pub enum Path<'a> {
    /// The input itself.
    Root,
    /// A member of the parent.
    Member(&'a Path<'a>, &'static str),
    /// An element of the parent list.
    Index(&'a Path<'a>, usize),
    /// A value of the parent map.
    Key(&'a Path<'a>, &'a str),
}

impl Path<'_> {
    /// The path of member `name` of this value.
    pub fn member(&self, name: &'static str) -> Path<'_> {
        Path::Member(self, name)
    }
    /// The path of element `i` of this list.
    pub fn index(&self, i: usize) -> Path<'_> {
        Path::Index(self, i)
    }
    /// The path of the value at `key` of this map.
    pub fn key<'k>(&'k self, key: &'k str) -> Path<'k> {
        Path::Key(self, key)
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Member(Path::Root, m) => f.write_str(m),
            Path::Member(p, m) => write!(f, "{p}.{m}"),
            Path::Index(p, i) => write!(f, "{p}[{i}]"),
            Path::Key(p, k) => write!(f, "{p}[{k:?}]"),
        }
    }
}

/// Implemented by generated structures and unions.
pub trait Validate {
    /// Adds every constraint this value fails to `errors`.
    fn validate_into(&self, path: &Path<'_>, errors: &mut Vec<ValidationError>);

    /// Every constraint this value fails, or `Ok`.
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = Vec::new();
        self.validate_into(&Path::Root, &mut errors);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(ValidationErrors(errors))
        }
    }
}

impl<T: Validate> Validate for Box<T> {
    fn validate_into(&self, path: &Path<'_>, errors: &mut Vec<ValidationError>) {
        (**self).validate_into(path, errors)
    }
}

fn push(errors: &mut Vec<ValidationError>, path: &Path<'_>, message: String) {
    errors.push(ValidationError { path: path.to_string(), message });
}

/// "between 1 and 5", "at least 1", "at most 5".
fn bounds<T: fmt::Display>(min: Option<T>, max: Option<T>) -> String {
    match (min, max) {
        (Some(a), Some(b)) => format!("between {a} and {b}"),
        (Some(a), None) => format!("at least {a}"),
        (None, Some(b)) => format!("at most {b}"),
        (None, None) => "unconstrained".into(),
    }
}

/// A required member that is not set.
pub fn required(path: &Path<'_>, errors: &mut Vec<ValidationError>) {
    push(errors, path, "is required".into());
}

/// `@length`: `len` (characters of a string, elements of a list or map, bytes of a blob).
pub fn length(path: &Path<'_>, len: usize, min: Option<u64>, max: Option<u64>, errors: &mut Vec<ValidationError>) {
    let len = len as u64;
    if min.is_some_and(|m| len < m) || max.is_some_and(|m| len > m) {
        push(errors, path, format!("length {len} is not {}", bounds(min, max)));
    }
}

/// `@range` on a number.
pub fn range(path: &Path<'_>, value: f64, min: Option<f64>, max: Option<f64>, errors: &mut Vec<ValidationError>) {
    if min.is_some_and(|m| value < m) || max.is_some_and(|m| value > m) {
        push(errors, path, format!("{value} is not {}", bounds(min, max)));
    }
}

/// `@pattern`: the value must contain a match (Smithy patterns are not anchored unless they
/// say so).
pub fn pattern(path: &Path<'_>, value: &str, re: &regex::Regex, errors: &mut Vec<ValidationError>) {
    if !re.is_match(value) {
        push(errors, path, format!("{value:?} does not match the pattern {}", re.as_str()));
    }
}

/// Compiles a pattern the generator already checked; a pattern that still fails to compile is
/// skipped (returns `None`) rather than panicking.
pub fn compile(pattern: &str) -> Option<regex::Regex> {
    regex::Regex::new(pattern).ok()
}

/// Characters of a string, as Smithy's `@length` counts them (Unicode scalar values).
pub fn chars(s: &str) -> usize {
    s.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_print_like_member_paths() {
        let root = Path::Root;
        let tasks = root.member("tasks");
        let first = tasks.index(0);
        let p = first.member("taskProperties");
        let k = p.key("DATA_TYPE");
        assert_eq!(k.to_string(), "tasks[0].taskProperties[\"DATA_TYPE\"]");
    }

    #[test]
    fn messages() {
        let mut e = Vec::new();
        length(&Path::Root.member("name"), 300, None, Some(256), &mut e);
        range(&Path::Root.member("n"), 0.0, Some(1.0), None, &mut e);
        pattern(&Path::Root.member("p"), "a b", &compile("^[a-z]+$").unwrap(), &mut e);
        assert_eq!(e.len(), 3);
        assert_eq!(e[0].message, "length 300 is not at most 256");
    }
}
