//! `@pattern` values are ECMA-262 regular expressions, and AWS models often write them the Java
//! way: `\uXXXX` escapes, with characters outside the Basic Multilingual Plane as UTF-16
//! surrogate pairs (`\uD800\uDC00-\uDBFF\uDFFF`). Rust's regex syntax has neither, so such
//! patterns are translated: pairs become one code point, escapes become `\x{...}`.
//!
//! `\d`, `\w` and `\s` are ASCII classes, as in Java's `java.util.regex` (which the services
//! validate with) and, for `\d` and `\w`, in ECMA-262; Rust's regex syntax would read them as
//! Unicode classes. The parsed pattern is printed back with every class spelled out as ranges,
//! so that the few patterns with Unicode properties (`\p{L}`) mean the same to every engine that
//! reads them: the generator's automata ([`crate::dfa`]), and `regex-lite`, which does not know
//! Unicode properties, for the patterns whose automaton would be too large.

/// What a generated crate does with a pattern.
#[derive(Debug, Clone, PartialEq)]
pub enum Check {
    /// Walk an automaton the generator compiled from the pattern.
    Dfa(DfaCheck),
    /// Match values against a regular expression with `regex-lite`: for the patterns whose
    /// automaton would be too large ([`crate::dfa`]).
    Regex(RegexCheck),
    /// Check the characters one by one: the pattern is a character class repeated, after
    /// fixed single characters, anchored at both ends (`^\S+$`, `^[a-zA-Z0-9_]*$`: the most
    /// common form in AWS models; `^[a-zA-Z0-9][\w!@#.-]+$`, `^(upsolver-appflow)\S*$`), and
    /// needs no regex engine.
    Chars(CharClass),
    /// Nothing: every string matches (`.*`, `\S*`: no anchors, and the empty string matches
    /// at the start of any value).
    Never,
    /// Nothing: Rust's regex syntax cannot express the pattern (look-around, lone surrogates,
    /// Java's classes such as `\p{Print}`), or `regex-lite` refuses it as too large.
    Unsupported,
}

/// A pattern checked by an automaton compiled at generation time.
#[derive(Debug, Clone, PartialEq)]
pub struct DfaCheck {
    pub table: crate::dfa::Table,
    /// The pattern as the model writes it, for error messages.
    pub shown: String,
}

/// A pattern checked by `regex-lite`.
#[derive(Debug, Clone, PartialEq)]
pub struct RegexCheck {
    /// The pattern as `regex-lite` reads it: classes spelled out as ranges, no Unicode
    /// properties, no nested classes.
    pub engine: String,
    /// The pattern as the model writes it, for error messages.
    pub shown: String,
}

/// A pattern `^h1…hk[class]{min,max}$`: a value matches when its first `k` characters are
/// each in their class of `head`, and the rest are between `min` and `max` characters, each in
/// one of `ranges`. Each head item matches exactly one character, so matching needs no
/// backtracking.
#[derive(Debug, Clone, PartialEq)]
pub struct CharClass {
    /// The classes of the leading characters, one per character (a literal is a class of one).
    pub head: Vec<Vec<(char, char)>>,
    /// Inclusive ranges of characters, sorted and disjoint.
    pub ranges: Vec<(char, char)>,
    pub min: u32,
    pub max: Option<u32>,
    /// The pattern as the model writes it, for error messages.
    pub pattern: String,
}

/// Classes with more ranges than this (`\p{L}` has hundreds) are left to the regex engine, as
/// their tables would be long, unless they are repeated more than [`MAX_UNROLLED`] times.
const MAX_RANGES: usize = 16;

/// A regex engine unrolls a bounded repetition into copies of its class, so a large class
/// repeated more than this many times (`^[\p{L}.-]{1,255}$`) is checked character by character
/// too.
const MAX_UNROLLED: u32 = 64;

/// The most leading characters a character check spells out before its repeated class.
const MAX_HEAD: usize = 32;

/// How values are checked against `pattern`.
pub fn check(pattern: &str) -> Check {
    let Some(rust) = to_rust(pattern) else { return Check::Unsupported };
    let Ok(hir) = regex_syntax::Parser::new().parse(&rust) else { return Check::Unsupported };
    if hir.properties().minimum_len() == Some(0) && hir.properties().look_set().is_empty() {
        return Check::Never;
    }
    if let Some(class) = char_class(&hir, pattern) {
        return Check::Chars(class);
    }
    let engine = print(&hir);
    if let Some(table) = crate::dfa::build(&engine) {
        return Check::Dfa(DfaCheck { table, shown: pattern.to_string() });
    }
    if regex_lite::Regex::new(&engine).is_err() {
        return Check::Unsupported;
    }
    Check::Regex(RegexCheck { engine, shown: pattern.to_string() })
}

/// `pattern` (ECMA-262, Java style) in Rust's regex syntax, as [`crate::dfa::build`] and
/// `regex-lite` read it: classes spelled out as ranges, `\d`, `\w` and `\s` as ASCII.
pub fn engine(pattern: &str) -> Option<String> {
    let rust = to_rust(pattern)?;
    let hir = regex_syntax::Parser::new().parse(&rust).ok()?;
    Some(print(&hir))
}

/// `hir` as `regex-lite` reads it: classes as ranges, every repetition's operand in a group.
/// (regex-syntax's own printer writes `(?:[a-z]+)?` as `[a-z]+?`, a lazy repetition.)
fn print(hir: &regex_syntax::hir::Hir) -> String {
    let mut out = String::new();
    print_into(hir, &mut out);
    out
}

fn print_into(hir: &regex_syntax::hir::Hir, out: &mut String) {
    use regex_syntax::hir::{Class, HirKind, Look};
    use std::fmt::Write as _;
    let char = |c: char, out: &mut String| {
        if c.is_ascii_alphanumeric() || matches!(c, ' ' | '<' | '>') {
            out.push(c);
        } else if c.is_ascii_graphic() {
            out.push('\\');
            out.push(c);
        } else {
            let _ = write!(out, "\\x{{{:X}}}", u32::from(c));
        }
    };
    match hir.kind() {
        HirKind::Empty => out.push_str("(?:)"),
        HirKind::Literal(lit) => {
            // A Unicode parser only makes literals of whole UTF-8 characters.
            for c in String::from_utf8_lossy(&lit.0).chars() {
                char(c, out);
            }
        }
        HirKind::Class(Class::Unicode(class)) => {
            out.push('[');
            for r in class.ranges() {
                char(r.start(), out);
                if r.end() != r.start() {
                    out.push('-');
                    char(r.end(), out);
                }
            }
            out.push(']');
        }
        // Not made by a parser in Unicode mode with UTF-8 enforced.
        HirKind::Class(Class::Bytes(_)) => out.push_str("[^\\x{0}-\\x{10FFFF}]"),
        HirKind::Look(look) => out.push_str(match look {
            Look::Start => "\\A",
            Look::End => "\\z",
            Look::StartLF | Look::StartCRLF => "(?m:^)",
            Look::EndLF | Look::EndCRLF => "(?m:$)",
            Look::WordUnicode | Look::WordAscii => "\\b",
            Look::WordUnicodeNegate | Look::WordAsciiNegate => "\\B",
            Look::WordStartUnicode | Look::WordStartAscii => "\\b{start}",
            Look::WordEndUnicode | Look::WordEndAscii => "\\b{end}",
            Look::WordStartHalfUnicode | Look::WordStartHalfAscii => "\\b{start-half}",
            Look::WordEndHalfUnicode | Look::WordEndHalfAscii => "\\b{end-half}",
        }),
        HirKind::Repetition(r) => {
            out.push_str("(?:");
            print_into(&r.sub, out);
            out.push(')');
            let _ = match r.max {
                Some(max) if max == r.min => write!(out, "{{{max}}}"),
                Some(max) => write!(out, "{{{},{max}}}", r.min),
                None => write!(out, "{{{},}}", r.min),
            };
            if !r.greedy {
                out.push('?');
            }
        }
        HirKind::Capture(c) => {
            out.push_str("(?:");
            print_into(&c.sub, out);
            out.push(')');
        }
        HirKind::Concat(parts) => parts.iter().for_each(|p| print_into(p, out)),
        HirKind::Alternation(parts) => {
            out.push_str("(?:");
            for (i, p) in parts.iter().enumerate() {
                if i > 0 {
                    out.push('|');
                }
                print_into(p, out);
            }
            out.push(')');
        }
    }
}

/// The class and bounds of `^[class]{min,max}$` (or `^[class]$`), if `hir` (the parsed
/// `pattern`) is that.
fn char_class(hir: &regex_syntax::hir::Hir, pattern: &str) -> Option<CharClass> {
    use regex_syntax::hir::{Class, HirKind, Look};
    let HirKind::Concat(parts) = hir.kind() else { return None };
    let [start, items @ .., end] = parts.as_slice() else { return None };
    if !matches!(start.kind(), HirKind::Look(Look::Start)) || !matches!(end.kind(), HirKind::Look(Look::End)) {
        return None;
    }
    let (last, leading) = items.split_last()?;
    let mut head = Vec::new();
    for item in leading {
        single_chars(item, &mut head)?;
    }
    let (mut class, min, max) = match last.kind() {
        HirKind::Repetition(r) => (r.sub.kind(), r.min, r.max),
        other => (other, 1, Some(1)),
    };
    // A group around the class (`^(\w|\.|-){1,255}$`) does not change what matches.
    while let HirKind::Capture(c) = class {
        class = c.sub.kind();
    }
    let repeated = match class {
        HirKind::Class(Class::Unicode(c))
            if c.ranges().len() <= MAX_RANGES || max.is_some_and(|m| m > MAX_UNROLLED) =>
        {
            Some(c.ranges().iter().map(|r| (r.start(), r.end())).collect())
        }
        // One character repeated (`x?`, `-*`).
        HirKind::Literal(lit) if matches!(last.kind(), HirKind::Repetition(_)) => {
            one_char(&lit.0).map(|c| vec![(c, c)])
        }
        _ => None,
    };
    let (ranges, min, max) = match repeated {
        Some(ranges) => (ranges, min, max),
        // The pattern ends in fixed characters (`^abc$`): nothing repeats after the head.
        None => {
            single_chars(last, &mut head)?;
            (Vec::new(), 0, Some(0))
        }
    };
    (head.len() <= MAX_HEAD).then(|| CharClass { head, ranges, min, max, pattern: pattern.to_string() })
}

/// The character `bytes` hold, if they hold exactly one.
fn one_char(bytes: &[u8]) -> Option<char> {
    let mut chars = std::str::from_utf8(bytes).ok()?.chars();
    chars.next().filter(|_| chars.next().is_none())
}

/// Appends the classes of `hir` when it matches a fixed number of characters, each from one
/// class (literals, small classes, groups of them, fixed repetitions); `None` otherwise.
fn single_chars(hir: &regex_syntax::hir::Hir, out: &mut Vec<Vec<(char, char)>>) -> Option<()> {
    use regex_syntax::hir::{Class, HirKind};
    match hir.kind() {
        HirKind::Capture(c) => single_chars(&c.sub, out),
        HirKind::Concat(parts) => parts.iter().try_for_each(|p| single_chars(p, out)),
        HirKind::Literal(lit) => {
            out.extend(std::str::from_utf8(&lit.0).ok()?.chars().map(|c| vec![(c, c)]));
            Some(())
        }
        HirKind::Class(Class::Unicode(c)) if c.ranges().len() <= MAX_RANGES => {
            out.push(c.ranges().iter().map(|r| (r.start(), r.end())).collect());
            Some(())
        }
        HirKind::Repetition(r) if r.max == Some(r.min) && r.min as usize <= MAX_HEAD => {
            (0..r.min).try_for_each(|_| single_chars(&r.sub, out))
        }
        _ => None,
    }
}

/// The pattern in Rust's regex syntax, with ASCII `\d`, `\w` and `\s`, or `None` when it
/// cannot be expressed.
pub fn to_rust(pattern: &str) -> Option<String> {
    let translated = if parses(pattern) { pattern.to_string() } else { translate_escapes(pattern)? };
    let ascii = ascii_classes(&translated);
    parses(&ascii).then_some(ascii)
}

/// Java's POSIX character classes (`\p{Alnum}`, `\p{Print}`, …: US-ASCII in
/// `java.util.regex`, which Rust's syntax does not know or reads as Unicode properties) as the
/// contents of a Rust class, with what follows the name's closing brace.
fn posix_class(after_p: &str) -> Option<(&'static str, &str)> {
    let (name, rest) = after_p.strip_prefix('{')?.split_once('}')?;
    let class = match name {
        "Lower" => "a-z",
        "Upper" => "A-Z",
        "ASCII" => "\\x00-\\x7F",
        "Alpha" => "A-Za-z",
        "Digit" => "0-9",
        "Alnum" => "0-9A-Za-z",
        "Punct" => "!-/:-@\\[-\\x60\\{-~",
        "Graph" => "!-~",
        "Print" => " -~",
        "Blank" => " \\t",
        "Cntrl" => "\\x00-\\x1F\\x7F",
        "XDigit" => "0-9A-Fa-f",
        "Space" => "\\t\\n\\x0B\\x0C\\r ",
        _ => return None,
    };
    Some((class, rest))
}

/// Spells out `\d`, `\w`, `\s`, Java's POSIX classes (`\p{Print}`) and their negations as the
/// ASCII classes Java means by them (`[0-9]`, `[0-9A-Za-z_]`, `[\t\n\x0B\f\r ]`, `[ -~]`);
/// inside a class, as nested classes.
fn ascii_classes(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    let mut chars = p.chars();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(e) = chars.next() else {
                    out.push(c);
                    break;
                };
                let class = match e.to_ascii_lowercase() {
                    'd' => Some("0-9"),
                    'w' => Some("0-9A-Za-z_"),
                    's' => Some("\\t\\n\\x0B\\x0C\\r "),
                    // Java's POSIX classes (`\p{Print}`), ASCII as Java means them.
                    'p' => posix_class(chars.as_str()).map(|(class, rest)| {
                        chars = rest.chars();
                        class
                    }),
                    _ => None,
                };
                let Some(class) = class else {
                    out.push(c);
                    out.push(e);
                    continue;
                };
                let negated = e.is_ascii_uppercase();
                match (in_class, negated) {
                    (true, false) => out.push_str(class),
                    _ => {
                        out.push_str(if negated { "[^" } else { "[" });
                        out.push_str(class);
                        out.push(']');
                    }
                }
            }
            '[' if !in_class => {
                in_class = true;
                out.push(c);
                // A `]` or `^]` right after the opening bracket is a literal.
                let rest = chars.as_str();
                let lead = if rest.starts_with("^]") {
                    2
                } else if rest.starts_with(['^', ']']) {
                    1
                } else {
                    0
                };
                out.push_str(&rest[..lead]);
                chars = rest[lead..].chars();
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
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
            let in_class = |ranges: &[(char, char)], c: char| ranges.iter().any(|&(a, b)| a <= c && c <= b);
            let chars: Vec<char> = value.chars().collect();
            let Some(rest) = chars.get(self.head.len()..) else { return false };
            let n = rest.len() as u32;
            self.head.iter().zip(&chars).all(|(class, &c)| in_class(class, c))
                && rest.iter().all(|&c| in_class(&self.ranges, c))
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
            // Fixed characters before the repeated class.
            r"^[a-zA-Z0-9][\w!@#.-]+$",
            r"^(upsolver-appflow)\S*$",
            r"^[a-z]\w+$",
            r"^[a-z][0-9]+$",
            r"^ab[0-9]{2}x?$",
            r"^(ab){2}[^a]{0,2}$",
            r"^abc$",
            r"^a$",
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
            "upsolver-appflow",
            "upsolver-appflow-x",
            "upsolver-appflo",
            "a1",
            "a!",
            "!a",
            "z_",
            "ab12",
            "ab12x",
            "ab1",
            "abab",
            "ababcc",
            "ababaa",
            "ab12xx",
        ];
        for p in patterns {
            let Check::Chars(class) = check(p) else { panic!("{p}: {:?}", check(p)) };
            let re = regex::Regex::new(&to_rust(p).unwrap()).unwrap();
            for v in values {
                assert_eq!(class.matches(v), re.is_match(v), "{p} on {v:?}");
            }
        }
        // A large class repeated many times is checked by characters too (it is shorter than
        // the class spelled out for the engine); among other parts, regex-lite checks it.
        assert!(matches!(check(r"^[\p{L}.-]{1,255}$"), Check::Chars(c) if c.ranges.len() > 16 && c.max == Some(255)));
        assert!(matches!(check(r"^[\p{L}.-]{1,10}$"), Check::Regex(_)), "too large an automaton");
        assert!(matches!(check(r"^arn:.*:s3:::[\p{L}\.\-]{1,255}$"), Check::Regex(_)), "too large an automaton");
        // ASCII `\w` and `\d` are small classes.
        assert!(matches!(check(r"^\w+$"), Check::Chars(c) if c.ranges.len() == 4));
        assert!(matches!(check(r"^\d{3}$"), Check::Chars(c) if c.ranges == [('0', '9')] && c.min == 3));
        // Not fixed characters and one class between anchors: automata check them.
        for p in [r"[a-z]+", r"^(ab)+$", r"^a|b$", r"^[a-z]+[0-9]$", r"^a{1,2}b$", r"^arn:aws:iam:.*:[0-9]+:"] {
            assert!(matches!(check(p), Check::Dfa(_)), "{p}: {:?}", check(p));
        }
    }

    #[test]
    fn patterns_every_string_matches_are_not_checked() {
        for p in [".*", r"\S*", "(a|b)*", "x?"] {
            assert_eq!(check(p), Check::Never, "{p}");
        }
        // Anchored, or needing at least one character: some strings fail.
        for p in ["^.*$", r"^\S*$", ".+", r"\S+", r"\bx*"] {
            assert!(matches!(check(p), Check::Dfa(_) | Check::Regex(_) | Check::Chars(_)), "{p}");
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
        assert_eq!(to_rust(r"^[a-z]\d+$").as_deref(), Some(r"^[a-z][0-9]+$"));
        assert_eq!(
            to_rust(r"^[\w.\S]\s\\d$").as_deref(),
            Some(r"^[0-9A-Za-z_.[^\t\n\x0B\x0C\r ]][\t\n\x0B\x0C\r ]\\d$")
        );
        assert_eq!(to_rust(r"^[]\d]$").as_deref(), Some(r"^[]0-9]$"), "a leading ] is a literal");
        assert_eq!(to_rust(r"^(?!foo).*$"), None, "look-around is not supported");
        assert_eq!(to_rust(r"^[\uDC00]$"), None, "a lone surrogate");
    }

    /// Java's POSIX classes are its ASCII ones, also negated and inside classes; Unicode
    /// properties (`\p{L}`) are left alone.
    #[test]
    fn java_posix_classes_are_ascii() {
        let Check::Chars(c) = check(r"^\p{Print}+$") else { panic!("{:?}", check(r"^\p{Print}+$")) };
        assert_eq!(c.ranges, vec![(' ', '~')]);
        let re = |p: &str| regex::Regex::new(&to_rust(p).unwrap()).unwrap();
        let punct = re(r"^\p{Punct}+$");
        assert!(punct.is_match("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"));
        assert!(!punct.is_match("a") && !punct.is_match("0") && !punct.is_match(" ") && !punct.is_match("¡"));
        let alnum = re(r"^[\p{Alnum}_-]+$");
        assert!(alnum.is_match("a-Z_9") && !alnum.is_match("é"));
        let not_alpha = re(r"^[\P{Alpha}]+$");
        assert!(not_alpha.is_match("1 é") && !not_alpha.is_match("a"));
        assert!(re(r"^\P{XDigit}$").is_match("g") && !re(r"^\P{XDigit}$").is_match("F"));
        assert!(re(r"^\p{L}+$").is_match("é"), "Unicode properties stay Unicode");
        assert_eq!(to_rust(r"^\p{Alnum}$").as_deref(), Some("^[0-9A-Za-z]$"));
    }
}
