//! Every `@pattern` of the shared AWS models is checked as the `regex` crate would check it
//! (with Java's ASCII `\d`, `\w` and `\s`): those the generator checks character by character
//! (`^[class]{min,max}$` after fixed leading characters) on strings built from the edges of
//! each of its ranges, and the others, by the automata the generator compiles (or, for the few
//! too large for one, by `regex-lite`), on strings generated from the pattern and their near
//! misses.

use std::collections::BTreeSet;

use awsgen_runtime::validate::CharPattern;
use codegen::patterns::{check, to_rust, Check};
use integration_tests::shared_dir;
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;
use regex::RegexBuilder;
use serde_json::Value;

/// The distinct patterns of every model in `dir`, on shapes and on members.
fn all_patterns(dir: &std::path::Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut paths: Vec<_> = std::fs::read_dir(dir).expect("aws-models").flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths.iter().filter(|p| p.extension().is_some_and(|e| e == "json")) {
        let text = std::fs::read_to_string(path).expect("a readable model");
        let model: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let Some(shapes) = model["shapes"].as_object() else { continue };
        for shape in shapes.values() {
            let members = shape["members"].as_object().into_iter().flat_map(|m| m.values());
            for traits in std::iter::once(&shape["traits"]).chain(members.map(|m| &m["traits"])) {
                if let Some(p) = traits["smithy.api#pattern"].as_str() {
                    out.insert(p.to_string());
                }
            }
        }
    }
    out
}

/// Strings around the class's edges: each range's first and last character and their
/// neighbours, at the lengths around `min` and `max`.
fn probes(p: &CharPattern) -> Vec<String> {
    let mut chars: Vec<char> = vec!['a', 'Z', '0', ' ', '\t', '\n', '-', '/', 'é', '😀', '\u{2028}'];
    for &(lo, hi) in p.ranges {
        chars.extend([lo, hi]);
        chars.extend(char::from_u32(u32::from(lo).wrapping_sub(1)));
        chars.extend(char::from_u32(u32::from(hi) + 1));
    }
    let Some(&(inside, _)) = p.ranges.first() else { return vec![String::new(), "a".into()] };
    let lengths: BTreeSet<usize> = [0, 1, 2, p.min.saturating_sub(1), p.min, p.min + 1]
        .into_iter()
        .chain(p.max.into_iter().flat_map(|m| [m.saturating_sub(1), m, m + 1]))
        .collect();
    let mut out = Vec::new();
    for &c in &chars {
        // Long values (`{1,100000}`) only with the class's own first character and a newline,
        // or the test would take minutes in a debug build.
        for &n in lengths.iter().filter(|&&n| n <= 256 || c == inside || c == '\n') {
            // `c` alone, and `c` in the middle of characters of the class.
            out.push(c.to_string().repeat(n));
            if n >= 1 {
                let mut s: String = std::iter::repeat_n(inside, n - 1).collect();
                s.insert((n - 1) / 2 * inside.len_utf8(), c);
                out.push(s);
            }
        }
    }
    out
}

#[test]
fn character_checks_agree_with_the_regex_engine_on_every_shared_model() {
    let Some(shared) = shared_dir() else { return };
    let patterns = all_patterns(&shared.join("aws-models"));
    let (mut checked, mut with_head) = (0, 0);
    let mut runner = TestRunner::deterministic();
    for source in &patterns {
        let Check::Chars(class) = check(source) else { continue };
        // Large bounded repetitions (`^.{1,100000}$`) exceed the engine's default size limit,
        // which generated code never meets for them now.
        let rust = to_rust(source).expect("a pattern the generator checks is valid");
        let re = RegexBuilder::new(&rust).size_limit(1 << 30).build().unwrap_or_else(|e| panic!("{source}: {e}"));
        let head: Vec<&'static [(char, char)]> =
            class.head.iter().map(|c| &*Box::leak(c.clone().into_boxed_slice())).collect();
        let pattern = CharPattern {
            pattern: Box::leak(class.pattern.clone().into_boxed_str()),
            min: class.min as usize,
            max: class.max.map(|m| m as usize),
            head: Box::leak(head.into_boxed_slice()),
            ranges: Box::leak(class.ranges.clone().into_boxed_slice()),
        };
        // The tail's probes after a head that matches, after the head with one character moved
        // just outside its class's edges, and alone.
        let prefix: Vec<char> = pattern.head.iter().map(|c| c[0].0).collect();
        let mut heads = vec![prefix.iter().collect::<String>(), String::new()];
        for (i, class) in pattern.head.iter().enumerate() {
            for &(lo, hi) in class.iter() {
                for c in [char::from_u32(u32::from(lo).wrapping_sub(1)), Some(hi), char::from_u32(u32::from(hi) + 1)] {
                    let mut changed = prefix.clone();
                    changed[i] = c.unwrap_or('\0');
                    heads.push(changed.iter().collect());
                }
            }
            heads.push(prefix[..i].iter().collect());
        }
        for value in probes(&pattern) {
            for head in &heads {
                let value = format!("{head}{value}");
                assert_eq!(pattern.matches(&value), re.is_match(&value), "{source} on {value:?}");
            }
        }
        if !pattern.head.is_empty() {
            with_head += 1;
            for value in samples(&rust, &mut runner) {
                assert_eq!(pattern.matches(&value), re.is_match(&value), "{source} on {value:?}");
            }
        }
        checked += 1;
    }
    // Most shared patterns are of this form; a change that stopped recognising them would
    // otherwise pass unnoticed.
    assert!(checked > 100, "only {checked} of {} patterns are checked character by character", patterns.len());
    assert!(with_head > 50, "only {with_head} character checks have leading characters");
    eprintln!(
        "{checked} of {} distinct patterns are checked character by character, {with_head} of them with \
         leading characters",
        patterns.len()
    );
}

/// Strings to try a pattern on: some that match it (generated from it), each with a character
/// changed, dropped or added, and a fixed set of unrelated ones.
fn samples(rust: &str, runner: &mut TestRunner) -> Vec<String> {
    let mut out: Vec<String> =
        ["", "a", "abc", " ", "a b", "\n", "\t", "123", "é", "😀", "\u{2028}", "arn:aws:iam::123456789012:role/x"]
            .into_iter()
            .map(String::from)
            .collect();
    // The generator knows no anchors: generate from what is between them.
    let inner = rust.strip_prefix('^').unwrap_or(rust);
    let inner = inner.strip_suffix('$').filter(|i| !i.ends_with('\\')).unwrap_or(inner);
    let Ok(strategy) = proptest::string::string_regex(inner) else { return out };
    for _ in 0..6 {
        let Ok(tree) = strategy.new_tree(runner) else { break };
        let s: String = tree.current();
        // Long values (`.{1,100000}`) would take minutes to match in a debug build.
        if s.len() > 256 {
            continue;
        }
        let chars: Vec<char> = s.chars().collect();
        for i in [0, chars.len() / 2, chars.len().saturating_sub(1)] {
            for c in ['a', '-', ' ', 'é', '\n'] {
                let mut changed = chars.clone();
                if i < changed.len() {
                    changed[i] = c;
                    out.push(changed.iter().collect());
                    changed.remove(i);
                    out.push(changed.iter().collect());
                }
            }
        }
        out.push(format!("{s}x"));
        out.push(format!("x{s}"));
        out.push(s);
    }
    out
}

/// Whether a value matches.
type Matcher = Box<dyn Fn(&str) -> bool>;

/// How generated code matches a pattern that is not checked character by character: by the
/// automaton the generator compiled, or with `regex-lite`.
fn matcher(check: &Check) -> Option<Matcher> {
    match check {
        Check::Dfa(d) => {
            let dfa = d.table.leak();
            Some(Box::new(move |v| dfa.is_match(v)))
        }
        Check::Regex(re) => {
            let lite = awsgen_runtime::validate::compile(&re.engine)
                .unwrap_or_else(|| panic!("{} does not compile: {}", re.shown, re.engine));
            Some(Box::new(move |v| lite.is_match(v)))
        }
        _ => None,
    }
}

/// What the generator compiles into automata (or leaves to `regex-lite`) matches what the
/// `regex` crate matches; what cannot be checked is reported as not checked, never skipped
/// unannounced at run time.
#[test]
fn automata_and_regex_lite_match_as_the_regex_crate_does() {
    let Some(shared) = shared_dir() else { return };
    let patterns = all_patterns(&shared.join("aws-models"));
    let mut too_large = Vec::new();
    let mut by_regex = Vec::new();
    let (mut checked, mut tried, mut generated) = (0, 0, 0);
    let mut runner = TestRunner::deterministic();
    for source in &patterns {
        let check = check(source);
        if let Some(matches) = matcher(&check) {
            if matches!(check, Check::Regex(_)) {
                by_regex.push(source.as_str());
            }
            let rust = to_rust(source).expect("a pattern the generator checks is valid");
            let full = RegexBuilder::new(&rust).size_limit(1 << 30).build().unwrap_or_else(|e| panic!("{source}: {e}"));
            let values = samples(&rust, &mut runner);
            generated += usize::from(values.len() > 12);
            for value in values {
                assert_eq!(matches(&value), full.is_match(&value), "{source} on {value:?}");
                tried += 1;
            }
            checked += 1;
        } else if check == Check::Unsupported && to_rust(source).is_some() {
            // Expressible (no look-around), but over the engines' size limits.
            too_large.push(source.as_str());
        }
    }
    assert!(checked > 100, "only {checked} of {} patterns are matched by automata", patterns.len());
    // Strings generated from the pattern are what tells the engines apart; most patterns must
    // have them.
    assert!(generated * 5 > checked * 4, "strings were generated for only {generated} of {checked} patterns");
    // ARNs with a large class repeated hundreds of times among other parts: a handful. Such
    // repetitions (`.{1,1024}`, `[^\s]{2,128}` after other parts) are also what makes an
    // automaton too large and leaves a pattern to regex-lite: about one in eight.
    assert!(too_large.len() <= 12, "{} patterns are too large to check: {too_large:#?}", too_large.len());
    assert!(by_regex.len() * 7 <= checked, "{} patterns need regex-lite: {by_regex:#?}", by_regex.len());
    eprintln!(
        "{checked} of {} distinct patterns are matched by automata or regex-lite ({tried} values agree with \
         regex, generated from {generated} of them); {} need regex-lite: {by_regex:#?}; {} are too large: \
         {too_large:#?}",
        patterns.len(),
        by_regex.len(),
        too_large.len()
    );
}

/// Java's meaning of `\d`, `\w` and `\s` (ASCII), which the services validate with.
#[test]
fn perl_classes_are_ascii() {
    let word = matcher(&check(r"^[\w!@#.-]+\.x$")).unwrap();
    assert!(word("connector_1.x"));
    assert!(!word("connecteur_é.x"), "é is not a word character");
    let Check::Chars(c) = check(r"^\S+$") else { panic!() };
    assert_eq!(c.ranges, vec![('\0', '\u{8}'), ('\u{e}', '\u{1f}'), ('!', '\u{10ffff}')]);
    let letters = matcher(&check(r"^[\p{L}\s]+\d$")).unwrap();
    assert!(letters("Grüße 7"), "Unicode properties are kept");
    assert!(!letters("Grüße ٧"), "an Arabic-Indic digit is not \\d");
}
