//! Client-side validation of `@required`, `@length`, `@range` and `@pattern`, which generated
//! `Validate` impls call. Paths are built only when something fails.

use std::fmt;

/// One failed constraint: the member's path in the input and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// The member path, e.g. `tasks[0].sourceFields`.
    pub path: String,
    /// What the constraint requires.
    pub message: String,
}

/// Every constraint the input fails, in member order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ValidationErrors(pub Vec<ValidationError>);

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("invalid input:")?;
        for (i, e) in self.0.iter().enumerate() {
            let sep = if i == 0 { " " } else { "; " };
            write!(f, "{sep}{}: {}", e.path, e.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}

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

pub use awsgen_rules::dfa::{byte_classes, Dfa, States};

/// A `@pattern` the generator compiled into an automaton.
#[derive(Debug)]
pub struct DfaPattern {
    /// The pattern as the model writes it, for messages.
    pub pattern: &'static str,
    /// The automaton the generator compiled from it.
    pub dfa: Dfa,
}

/// `@pattern`, checked by an automaton: the value must contain a match (Smithy patterns are
/// not anchored unless they say so).
pub fn pattern_dfa(path: &Path<'_>, value: &str, p: &DfaPattern, errors: &mut Vec<ValidationError>) {
    if !p.dfa.is_match(value) {
        push(errors, path, format!("{value:?} does not match the pattern {}", p.pattern));
    }
}

/// `@pattern`, checked by `regex-lite`, for the rare pattern whose automaton would be too
/// large: the value must contain a match. `shown` is the pattern as the model writes it, for
/// the message; `re` is what the generator made of it for `regex-lite` (classes spelled out as
/// ranges).
#[cfg(feature = "regex")]
pub fn pattern(path: &Path<'_>, value: &str, re: &regex_lite::Regex, shown: &str, errors: &mut Vec<ValidationError>) {
    if !re.is_match(value) {
        push(errors, path, format!("{value:?} does not match the pattern {shown}"));
    }
}

/// A `@pattern` of the form `^[class]{min,max}$`, which generated code checks without a regex
/// engine: a value matches when it has between `min` and `max` characters and each is in one of
/// the inclusive `ranges`.
#[derive(Debug)]
pub struct CharPattern {
    /// The pattern, for messages.
    pub pattern: &'static str,
    /// The fewest characters.
    pub min: usize,
    /// The most characters, if bounded.
    pub max: Option<usize>,
    /// The classes of the leading characters, one class per character, before the repeated
    /// class (`^[a-z][\\w-]+$` has one).
    pub head: &'static [&'static [(char, char)]],
    /// The repeated class: sorted, disjoint, inclusive ranges (searched by bisection).
    pub ranges: &'static [(char, char)],
}

impl CharPattern {
    /// Whether `value` matches.
    pub fn matches(&self, value: &str) -> bool {
        let in_class = |ranges: &[(char, char)], c: char| {
            ranges
                .binary_search_by(|&(lo, hi)| {
                    if hi < c {
                        std::cmp::Ordering::Less
                    } else if lo > c {
                        std::cmp::Ordering::Greater
                    } else {
                        std::cmp::Ordering::Equal
                    }
                })
                .is_ok()
        };
        let mut chars = value.chars();
        for class in self.head {
            if !chars.next().is_some_and(|c| in_class(class, c)) {
                return false;
            }
        }
        let mut n = 0;
        let all_in = chars.all(|c| {
            n += 1;
            in_class(self.ranges, c)
        });
        all_in && n >= self.min && self.max.is_none_or(|m| n <= m)
    }
}

/// `@pattern`, checked character by character.
pub fn pattern_chars(path: &Path<'_>, value: &str, p: &CharPattern, errors: &mut Vec<ValidationError>) {
    if !p.matches(value) {
        push(errors, path, format!("{value:?} does not match the pattern {}", p.pattern));
    }
}

/// Compiles a pattern the generator already checked; a pattern that still fails to compile is
/// skipped (returns `None`) rather than panicking.
#[cfg(feature = "regex")]
pub fn compile(pattern: &str) -> Option<regex_lite::Regex> {
    regex_lite::Regex::new(pattern).ok()
}

/// `@length` of a string: its characters (Unicode scalar values), counted only when its length
/// in bytes leaves the answer open (a character takes one to four bytes).
pub fn string_length(path: &Path<'_>, s: &str, min: Option<u64>, max: Option<u64>, errors: &mut Vec<ValidationError>) {
    let bytes = s.len() as u64;
    if max.is_none_or(|m| bytes <= m) && min.is_none_or(|m| bytes.div_ceil(4) >= m) {
        return;
    }
    length(path, s.chars().count(), min, max, errors);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counting only when the byte length leaves the answer open gives the same answers as
    /// always counting.
    #[test]
    fn string_lengths_count_characters() {
        let bounds = [None, Some(0), Some(1), Some(2), Some(3), Some(4), Some(5), Some(8)];
        for s in ["", "a", "ab", "abcd", "é", "éé", "😀", "😀😀", "a😀b", "abcdefgh", "ééééé"] {
            for min in bounds {
                for max in bounds {
                    let (mut fast, mut slow) = (Vec::new(), Vec::new());
                    string_length(&Path::Root, s, min, max, &mut fast);
                    length(&Path::Root, s.chars().count(), min, max, &mut slow);
                    assert_eq!(fast.len(), slow.len(), "{s:?} {min:?} {max:?}");
                }
            }
        }
    }

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
        #[cfg(feature = "regex")]
        pattern(&Path::Root.member("p"), "a b", &compile("^[a-z]+$").unwrap(), "^[a-z]+$", &mut e);
        let lower = CharPattern { pattern: "^[a-z]+$", min: 1, max: None, head: &[], ranges: &[('a', 'z')] };
        pattern_chars(&Path::Root.member("q"), "a b", &lower, &mut e);
        assert_eq!(e.len(), if cfg!(feature = "regex") { 4 } else { 3 });
        assert_eq!(e.last().unwrap().message, "\"a b\" does not match the pattern ^[a-z]+$");
        assert_eq!(e[0].message, "length 300 is not at most 256");
    }
}
