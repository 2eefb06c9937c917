//! `@pattern` values are ECMA-262 regular expressions, and AWS models often write them the Java
//! way: `\uXXXX` escapes, with characters outside the Basic Multilingual Plane as UTF-16
//! surrogate pairs (`\uD800\uDC00-\uDBFF\uDFFF`). Rust's regex engine has neither, so such
//! patterns are translated: pairs become one code point, escapes become `\x{...}`.

/// What a generated crate does with a pattern.
#[derive(Debug, Clone, PartialEq)]
pub enum Check {
    /// Match values against this pattern, as Rust's regex engine writes it.
    Regex(String),
    /// Check the characters one by one: the pattern is a single character class repeated,
    /// anchored at both ends (`^\S+$`, `^[a-zA-Z0-9_]*$`: the most common form in AWS
    /// models), and needs no regex engine.
    Chars(CharClass),
    /// Nothing: every string matches (`.*`, `\S*`: no anchors, and the empty string matches
    /// at the start of any value).
    Never,
    /// Nothing: Rust's regex engine cannot express the pattern (look-around, lone surrogates)
    /// or cannot compile it within its default size limit (large classes repeated hundreds of
    /// times among other parts, as in `^arn:…:[\w+=,.@-]{1,512}$`).
    Unsupported,
}

/// A pattern `^[class]{min,max}$`: a value matches when it has between `min` and `max`
/// characters and each is in one of `ranges`.
#[derive(Debug, Clone, PartialEq)]
pub struct CharClass {
    /// Inclusive ranges of characters, sorted and disjoint.
    pub ranges: Vec<(char, char)>,
    pub min: u32,
    pub max: Option<u32>,
    /// The pattern as Rust's regex engine writes it, for error messages.
    pub pattern: String,
}

/// Classes with more ranges than this (Unicode `\w` has hundreds) are left to the regex engine,
/// as their tables would be long, unless they are repeated more than [`MAX_UNROLLED`] times.
const MAX_RANGES: usize = 16;

/// The regex engine unrolls a bounded repetition into copies of its class: `^[\w.-]{1,255}$`
/// exceeds its default size limit and would not be checked at all, so large classes repeated
/// more than this many times are checked character by character too.
const MAX_UNROLLED: u32 = 64;

/// How values are checked against `pattern`.
pub fn check(pattern: &str) -> Check {
    let Some(rust) = to_rust(pattern) else { return Check::Unsupported };
    match regex_syntax::Parser::new().parse(&rust) {
        Ok(hir) if hir.properties().minimum_len() == Some(0) && hir.properties().look_set().is_empty() => Check::Never,
        Ok(hir) => match char_class(&hir, &rust) {
            Some(class) => Check::Chars(class),
            // Only large bounded repetitions can take a pattern over the regex engine's size
            // limit; compiling every pattern here would slow generation by a third.
            None if large_repetition(&hir) && regex::Regex::new(&rust).is_err() => Check::Unsupported,
            None => Check::Regex(rust),
        },
        Err(_) => Check::Regex(rust),
    }
}

/// Whether `hir` repeats something a bounded number of times larger than [`MAX_UNROLLED`]
/// (the regex engine unrolls such repetitions into copies).
fn large_repetition(hir: &regex_syntax::hir::Hir) -> bool {
    use regex_syntax::hir::HirKind;
    match hir.kind() {
        HirKind::Repetition(r) => {
            r.min > MAX_UNROLLED || r.max.is_some_and(|m| m > MAX_UNROLLED) || large_repetition(&r.sub)
        }
        HirKind::Capture(c) => large_repetition(&c.sub),
        HirKind::Concat(parts) | HirKind::Alternation(parts) => parts.iter().any(large_repetition),
        _ => false,
    }
}

/// The class and bounds of `^[class]{min,max}$` (or `^[class]$`), if `hir` (the parsed `rust`)
/// is that.
fn char_class(hir: &regex_syntax::hir::Hir, rust: &str) -> Option<CharClass> {
    use regex_syntax::hir::{Class, HirKind, Look};
    let HirKind::Concat(parts) = hir.kind() else { return None };
    let [start, middle, end] = parts.as_slice() else { return None };
    if !matches!(start.kind(), HirKind::Look(Look::Start)) || !matches!(end.kind(), HirKind::Look(Look::End)) {
        return None;
    }
    let (mut class, min, max) = match middle.kind() {
        HirKind::Repetition(r) => (r.sub.kind(), r.min, r.max),
        other => (other, 1, Some(1)),
    };
    // A group around the class (`^(\w|\.|-){1,255}$`) does not change what matches.
    while let HirKind::Capture(c) = class {
        class = c.sub.kind();
    }
    match class {
        HirKind::Class(Class::Unicode(c))
            if c.ranges().len() <= MAX_RANGES || max.is_some_and(|m| m > MAX_UNROLLED) =>
        {
            let ranges = c.ranges().iter().map(|r| (r.start(), r.end())).collect();
            Some(CharClass { ranges, min, max, pattern: rust.to_string() })
        }
        _ => None,
    }
}

/// The pattern as Rust's regex engine accepts it, or `None` when it cannot be expressed.
pub fn to_rust(pattern: &str) -> Option<String> {
    if parses(pattern) {
        return Some(pattern.to_string());
    }
    let translated = translate_escapes(pattern)?;
    parses(&translated).then_some(translated)
}

fn parses(p: &str) -> bool {
    regex_syntax::Parser::new().parse(p).is_ok()
}

/// Rewrites `\uXXXX` escapes (and surrogate pairs) as `\x{...}`; `None` for a lone surrogate.
fn translate_escapes(p: &str) -> Option<String> {
    let chars: Vec<char> = p.chars().collect();
    let mut out = String::with_capacity(p.len());
    let mut i = 0;
    let unit = |at: usize| -> Option<u32> {
        if chars.get(at) == Some(&'\\') && chars.get(at + 1) == Some(&'u') {
            let hex: String = chars.get(at + 2..at + 6)?.iter().collect();
            u32::from_str_radix(&hex, 16).ok()
        } else {
            None
        }
    };
    while i < chars.len() {
        if chars[i] == '\\' && chars.get(i + 1) != Some(&'u') {
            // Any other escape is kept as it is, with the escaped character.
            out.push(chars[i]);
            if let Some(c) = chars.get(i + 1) {
                out.push(*c);
            }
            i += 2;
            continue;
        }
        match unit(i) {
            Some(high @ 0xD800..=0xDBFF) => {
                let low = unit(i + 6).filter(|l| (0xDC00..=0xDFFF).contains(l))?;
                let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                out.push_str(&format!("\\x{{{code:X}}}"));
                i += 12;
            }
            Some(0xDC00..=0xDFFF) => return None,
            Some(code) => {
                out.push_str(&format!("\\x{{{code:04X}}}"));
                i += 6;
            }
            None => {
                out.push(chars[i]);
                i += 1;
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::{check, to_rust, CharClass, Check};

    impl CharClass {
        /// What the generated check does.
        fn matches(&self, value: &str) -> bool {
            let n = value.chars().count() as u32;
            value.chars().all(|c| self.ranges.iter().any(|&(a, b)| a <= c && c <= b))
                && n >= self.min
                && self.max.is_none_or(|m| n <= m)
        }
    }

    /// Checked character by character, single-class patterns accept exactly what the regex
    /// engine accepts.
    #[test]
    fn single_class_patterns_are_checked_without_a_regex() {
        let patterns = [
            r"^\S+$",
            r"^[ -~]+$",
            r"^.+$",
            r"^[a-zA-Z0-9_]*$",
            r"^[^a-c]{2,3}$",
            r"^[0-9]$",
            r"^[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\t]*$",
        ];
        let values = [
            "",
            "a",
            "ab",
            "abc",
            "abcd",
            "a b",
            " ",
            "x\n",
            "\n",
            "\t",
            "é",
            "😀",
            "Z_9",
            "0",
            "09",
            "\u{85}",
            "~~~",
            "\u{7}",
            "dd",
            "\u{2028}x",
        ];
        for p in patterns {
            let Check::Chars(class) = check(p) else { panic!("{p}: {:?}", check(p)) };
            let re = regex::Regex::new(&class.pattern).unwrap();
            for v in values {
                assert_eq!(class.matches(v), re.is_match(v), "{p} on {v:?}");
            }
        }
        // A large class repeated many times is checked by characters too (the regex engine
        // would refuse it as too large); among other parts it cannot be checked at all.
        assert!(matches!(check(r"^[\w.-]{1,255}$"), Check::Chars(c) if c.ranges.len() > 16 && c.max == Some(255)));
        assert!(matches!(check(r"^[\w.-]{1,10}$"), Check::Regex(_)));
        assert_eq!(check(r"^arn:.*:s3:::[\w\.\-]{1,255}$"), Check::Unsupported);
        // Not one class between anchors: the regex engine checks them.
        for p in [r"^[a-z][0-9]+$", r"[a-z]+", r"^\w+$", r"^\d{3}$", r"^(ab)+$", r"^a|b$"] {
            assert!(matches!(check(p), Check::Regex(_)), "{p}: {:?}", check(p));
        }
    }

    #[test]
    fn patterns_every_string_matches_are_not_checked() {
        for p in [".*", r"\S*", "(a|b)*", "x?"] {
            assert_eq!(check(p), Check::Never, "{p}");
        }
        // Anchored, or needing at least one character: some strings fail.
        for p in ["^.*$", r"^\S*$", ".+", r"\S+", r"\bx*"] {
            assert!(matches!(check(p), Check::Regex(_) | Check::Chars(_)), "{p}");
        }
        assert_eq!(check(r"^(?!foo).*$"), Check::Unsupported);
    }

    #[test]
    fn java_style_patterns_are_translated() {
        let appflow = r"^[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\t]*$";
        let rust = to_rust(appflow).unwrap();
        assert_eq!(rust, r"^[\x{0020}-\x{D7FF}\x{E000}-\x{FFFD}\x{10000}-\x{10FFFF}\t]*$");
        let re = regex::Regex::new(&rust).unwrap();
        assert!(re.is_match("tables_é_😀\tx"));
        assert!(!re.is_match("\u{1}"));
    }

    #[test]
    fn rust_compatible_patterns_are_kept_and_hopeless_ones_refused() {
        assert_eq!(to_rust(r"^[a-z]\d+$").as_deref(), Some(r"^[a-z]\d+$"));
        assert_eq!(to_rust(r"^(?!foo).*$"), None, "look-around is not supported");
        assert_eq!(to_rust(r"^[\uDC00]$"), None, "a lone surrogate");
    }
}
