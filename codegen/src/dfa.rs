//! Patterns compiled at generation time into deterministic automata, which generated crates
//! walk byte by byte (`awsgen_rules::dfa::Dfa`) instead of compiling a regular expression when
//! they first validate: no regex engine in their dependencies, and no compiling at run time.
//!
//! `regex-automata` determinizes the pattern; this module renumbers the states it reaches from
//! the start (the start state first), merges the bytes that no state tells apart into classes,
//! and folds the automaton's one-byte-delayed match reporting into three flags per state.

use regex_automata::dfa::{dense, Automaton, StartKind};
use regex_automata::util::primitives::StateID;
use regex_automata::util::start;
use regex_automata::{Anchored, MatchKind};

pub use awsgen_rules::dfa::{DEAD, END, MATCH};

/// Automata with more entries than this (states times byte classes) are left to a regex engine:
/// their tables would be long in the generated source.
const MAX_ENTRIES: usize = 8192;

/// A matcher's tables, in the layout of `awsgen_rules::dfa::Dfa`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// Each byte's class.
    pub classes: Box<[u8; 256]>,
    /// The number of classes: the length of each state's row in `next`.
    pub stride: usize,
    /// `next[state * stride + class]`: the state after a byte of `class`. State 0 is the start.
    /// Written one byte per entry when there are at most 256 states.
    pub next: Vec<u16>,
    /// Per state: [`MATCH`], [`DEAD`], [`END`].
    pub flags: Vec<u8>,
}

impl Table {
    /// `next` one byte per entry, when every state number fits in one.
    fn narrow(&self) -> Option<Vec<u8>> {
        self.next.iter().map(|&n| u8::try_from(n).ok()).collect()
    }

    /// The runtime's matcher over these tables, for tests (the slices are leaked).
    pub fn leak(&self) -> awsgen_rules::dfa::Dfa {
        awsgen_rules::dfa::Dfa {
            classes: Box::leak(self.classes.clone()),
            stride: self.stride,
            next: match self.narrow() {
                Some(narrow) => awsgen_rules::dfa::States::Narrow(Vec::leak(narrow)),
                None => awsgen_rules::dfa::States::Wide(Vec::leak(self.next.clone())),
            },
            flags: Vec::leak(self.flags.clone()),
        }
    }

    /// The tables as a `Dfa` expression; `path` names the module of `Dfa` and `byte_classes`
    /// (`::awsgen_runtime::validate`). Byte classes are written as ranges over the most common
    /// class, printable bytes as characters.
    pub fn tokens(&self, path: &proc_macro2::TokenStream) -> proc_macro2::TokenStream {
        use proc_macro2::Literal;
        let mut counts = [0usize; 256];
        for &c in self.classes.iter() {
            counts[usize::from(c)] += 1;
        }
        let default = (0..=255u8).max_by_key(|&c| (counts[usize::from(c)], std::cmp::Reverse(c))).unwrap_or(0);
        let byte = |b: u8| {
            if b.is_ascii_graphic() || b == b' ' {
                Literal::byte_character(b)
            } else {
                Literal::u8_unsuffixed(b)
            }
        };
        let mut ranges = Vec::new();
        let mut b = 0usize;
        while b < 256 {
            let class = self.classes[b];
            let mut last = b;
            while last + 1 < 256 && self.classes[last + 1] == class {
                last += 1;
            }
            if class != default {
                let (first, end, class) = (byte(b as u8), byte(last as u8), Literal::u8_unsuffixed(class));
                ranges.push(quote::quote!((#first, #end, #class)));
            }
            b = last + 1;
        }
        let default = Literal::u8_unsuffixed(default);
        let stride = Literal::usize_unsuffixed(self.stride);
        // One byte string for most automata: one token, quick for the generator and rustc.
        let next = match self.narrow() {
            Some(narrow) => {
                let narrow = Literal::byte_string(&narrow);
                quote::quote!(#path::States::Narrow(#narrow))
            }
            None => {
                let wide = self.next.iter().map(|&n| Literal::u16_unsuffixed(n));
                quote::quote!(#path::States::Wide(&[#(#wide),*]))
            }
        };
        let flags = self.flags.iter().map(|&f| Literal::u8_unsuffixed(f));
        quote::quote!(#path::Dfa {
            classes: &#path::byte_classes(#default, &[#(#ranges),*]),
            stride: #stride,
            next: #next,
            flags: &[#(#flags),*],
        })
    }
}

/// The matcher of `pattern` (in Rust's regex syntax, as `regex::Regex::is_match` reads it: a
/// match anywhere in the text); `None` when the pattern does not determinize (a Unicode word
/// boundary) or its tables would be too long.
pub fn build(pattern: &str) -> Option<Table> {
    let config = dense::Config::new()
        .start_kind(StartKind::Unanchored)
        .match_kind(MatchKind::All)
        .minimize(false)
        .dfa_size_limit(Some(128 << 10))
        .determinize_size_limit(Some(128 << 10));
    let dfa = dense::Builder::new().configure(config).build(pattern).ok()?;
    let start = dfa.start_state(&start::Config::new().anchored(Anchored::No)).ok()?;

    // The states reachable from the start, numbered in the order they are first reached.
    let mut ids: Vec<StateID> = vec![start];
    let mut index = std::collections::HashMap::from([(start, 0usize)]);
    let mut raw: Vec<[usize; 256]> = Vec::new();
    let mut i = 0;
    while i < ids.len() {
        let id = ids[i];
        if dfa.is_quit_state(id) {
            return None;
        }
        let mut row = [0usize; 256];
        for (b, slot) in row.iter_mut().enumerate() {
            let to = dfa.next_state(id, b as u8);
            *slot = *index.entry(to).or_insert_with(|| {
                ids.push(to);
                ids.len() - 1
            });
        }
        raw.push(row);
        // Every state has a row of at least one class: past this, the table is too long.
        if ids.len() > MAX_ENTRIES {
            return None;
        }
        i += 1;
    }

    // Bytes that lead every state to the same state share a class.
    let mut classes = Box::new([0u8; 256]);
    let mut class_of: std::collections::HashMap<Vec<usize>, usize> = std::collections::HashMap::new();
    for (b, class) in classes.iter_mut().enumerate() {
        let column: Vec<usize> = raw.iter().map(|row| row[b]).collect();
        let count = class_of.len();
        *class = u8::try_from(*class_of.entry(column).or_insert(count)).ok()?;
    }
    let stride = class_of.len();
    let mut columns = vec![Vec::new(); stride];
    for (column, class) in class_of {
        columns[class] = column;
    }
    if ids.len() * stride > MAX_ENTRIES {
        return None;
    }
    let mut next = Vec::with_capacity(ids.len() * stride);
    for s in 0..ids.len() {
        next.extend(columns.iter().map(|c| c[s] as u16));
    }
    let flags = ids
        .iter()
        .map(|&id| {
            let mut f = 0;
            if dfa.is_match_state(id) {
                f |= MATCH;
            }
            if dfa.is_dead_state(id) {
                f |= DEAD;
            }
            if dfa.is_match_state(dfa.next_eoi_state(id)) {
                f |= END;
            }
            f
        })
        .collect();
    Some(Table { classes, stride, next, flags })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, text: &str) -> bool {
        build(pattern).expect("builds").leak().is_match(text)
    }

    #[test]
    fn anchored_and_unanchored_patterns_match_as_the_regex_engine_does() {
        let cases = [
            ("^arn:aws:iam:.*:[0-9]+:", "arn:aws:iam::123456789012:role/x", true),
            ("^arn:aws:iam:.*:[0-9]+:", "xarn:aws:iam::1:", false),
            ("^arn:aws:iam:.*:[0-9]+:", "arn:aws:iam::x:", false),
            ("(?:^$)|(?:com\\.amazonaws)", "", true),
            ("(?:^$)|(?:com\\.amazonaws)", "xx com.amazonaws", true),
            ("(?:^$)|(?:com\\.amazonaws)", "com.amazon", false),
            ("^(?:https?)://[a-z]*[a-z]$", "https://a", true),
            ("^(?:https?)://[a-z]*[a-z]$", "https://", false),
            ("^(?:https?)://[a-z]*[a-z]$", "https://a\n", false),
            ("abc", "xxabcxx", true),
            ("abc$", "xxabcx", false),
            ("^[\\x{E9}-\\x{10FFFF}]+$", "é😀", true),
            ("^[\\x{E9}-\\x{10FFFF}]+$", "e", false),
        ];
        for (pattern, text, want) in cases {
            assert_eq!(matches(pattern, text), want, "{pattern:?} on {text:?}");
            assert_eq!(regex::Regex::new(pattern).unwrap().is_match(text), want, "the reference, {pattern:?}");
        }
    }

    #[test]
    fn the_start_state_is_first_and_classes_are_merged() {
        let t = build("^[a-c]+$").unwrap();
        // Bytes a–c share a class; every other byte shares another.
        assert_eq!(t.classes[usize::from(b'a')], t.classes[usize::from(b'c')]);
        assert_ne!(t.classes[usize::from(b'a')], t.classes[usize::from(b'd')]);
        assert_eq!(t.classes[usize::from(b'd')], t.classes[0xFF]);
        assert!(t.stride <= 3, "{t:?}");
        assert_eq!(t.next.len(), t.flags.len() * t.stride);
        assert_eq!(t.flags[0] & (MATCH | END), 0, "the empty string does not match");
    }

    #[test]
    fn a_pattern_too_large_for_a_table_is_refused() {
        assert!(build("^[\\x{100}-\\x{10FFFF}]{200}$").is_none());
    }
}
