//! Matching text against a regular expression compiled by the code generator into a
//! deterministic automaton: a table walk over the text's bytes, with no regex engine and
//! nothing compiled at run time. `@pattern` validation and partition region patterns use it.

/// The transition table of a [`Dfa`]: one byte per entry when the automaton has at most 256
/// states (most have a few dozen), two otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum States {
    Narrow(&'static [u8]),
    Wide(&'static [u16]),
}

/// Set on a state reached once the text so far contains a match: the answer is yes.
pub const MATCH: u8 = 1;
/// Set on a state from which no match can follow: the answer is no.
pub const DEAD: u8 = 2;
/// Set on a state in which a match ends if the text ends there.
pub const END: u8 = 4;

/// A deterministic automaton that tells whether a text contains a match of its pattern
/// (`regex::Regex::is_match`). The generator writes its tables; state 0 is the start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dfa {
    /// Each byte's class: bytes no state tells apart share one.
    pub classes: &'static [u8; 256],
    /// The number of classes, and so the length of each state's row of `next`.
    pub stride: usize,
    /// `next[state * stride + class]`: the state after reading a byte of `class`.
    pub next: States,
    /// Each state's [`MATCH`], [`DEAD`] and [`END`] flags.
    pub flags: &'static [u8],
}

/// The table of byte classes: `default` for every byte, but those in the inclusive ranges
/// `(first, last, class)`. Generated tables are written this way, to be read in review.
pub const fn byte_classes(default: u8, ranges: &[(u8, u8, u8)]) -> [u8; 256] {
    let mut table = [default; 256];
    let mut i = 0;
    while i < ranges.len() {
        let (first, last, class) = ranges[i];
        let mut b = first as usize;
        while b <= last as usize {
            table[b] = class;
            b += 1;
        }
        i += 1;
    }
    table
}

impl Dfa {
    /// Whether `text` contains a match. Tables that do not hold together (a state out of
    /// range) answer no rather than panic.
    pub fn is_match(&self, text: &str) -> bool {
        match self.next {
            States::Narrow(next) => self.walk(next, text),
            States::Wide(next) => self.walk(next, text),
        }
    }

    fn walk<T: Copy + Into<usize>>(&self, next: &[T], text: &str) -> bool {
        let mut state = 0usize;
        for &b in text.as_bytes() {
            match self.flags.get(state) {
                Some(f) if f & MATCH != 0 => return true,
                Some(f) if f & DEAD != 0 => return false,
                Some(_) => {}
                None => return false,
            }
            let class = usize::from(self.classes[usize::from(b)]);
            match next.get(state * self.stride + class) {
                Some(&s) => state = s.into(),
                None => return false,
            }
        }
        self.flags.get(state).is_some_and(|f| f & (MATCH | END) != 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `^a+$` by hand: 0 start, 1 after one or more `a`s (a match if the text ends), 2 dead.
    static CLASSES: [u8; 256] = byte_classes(1, &[(b'a', b'a', 0)]);
    static A_PLUS: Dfa =
        Dfa { classes: &CLASSES, stride: 2, next: States::Narrow(&[1, 2, 1, 2, 2, 2]), flags: &[0, END, DEAD] };

    #[test]
    fn byte_classes_fill_ranges_over_the_default() {
        let t = byte_classes(3, &[(b'0', b'9', 1), (0xF0, 0xFF, 2)]);
        assert_eq!(
            (t[usize::from(b'/')], t[usize::from(b'0')], t[usize::from(b'9')], t[usize::from(b':')]),
            (3, 1, 1, 3)
        );
        assert_eq!((t[0xEF], t[0xF0], t[0xFF]), (3, 2, 2));
    }

    #[test]
    fn walks_the_table() {
        assert!(A_PLUS.is_match("a"));
        assert!(A_PLUS.is_match("aaa"));
        assert!(!A_PLUS.is_match(""));
        assert!(!A_PLUS.is_match("ab"));
        assert!(!A_PLUS.is_match("ba"));
    }

    #[test]
    fn wide_tables_walk_the_same() {
        let wide = Dfa { next: States::Wide(&[1, 2, 1, 2, 2, 2]), ..A_PLUS };
        for text in ["", "a", "aa", "ab", "b"] {
            assert_eq!(wide.is_match(text), A_PLUS.is_match(text), "{text:?}");
        }
    }

    #[test]
    fn broken_tables_answer_no() {
        let broken = Dfa { classes: &CLASSES, stride: 2, next: States::Narrow(&[7, 7]), flags: &[0] };
        assert!(!broken.is_match("aa"));
        assert!(!Dfa { flags: &[], ..broken }.is_match(""));
    }
}
