//! Every `@pattern` of the shared AWS models that the generator checks character by character
//! (`^[class]{min,max}$`) accepts exactly what the regex engine accepts for it, on strings
//! built from the edges of each of its ranges.

use std::collections::BTreeSet;

use awsgen_runtime::__private::regex::RegexBuilder;
use awsgen_runtime::validate::CharPattern;
use codegen::patterns::{check, to_rust, Check};
use integration_tests::shared_dir;
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
    let inside = p.ranges[0].0;
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
    let mut checked = 0;
    for source in &patterns {
        let Check::Chars(class) = check(source) else { continue };
        // Large bounded repetitions (`^.{1,100000}$`) exceed the engine's default size limit,
        // which generated code never meets for them now.
        let re =
            RegexBuilder::new(&class.pattern).size_limit(1 << 30).build().unwrap_or_else(|e| panic!("{source}: {e}"));
        let pattern = CharPattern {
            pattern: Box::leak(class.pattern.clone().into_boxed_str()),
            min: class.min as usize,
            max: class.max.map(|m| m as usize),
            ranges: Box::leak(class.ranges.clone().into_boxed_slice()),
        };
        for value in probes(&pattern) {
            assert_eq!(pattern.matches(&value), re.is_match(&value), "{source} on {value:?}");
        }
        checked += 1;
    }
    // Most shared patterns are of this form; a change that stopped recognising them would
    // otherwise pass unnoticed.
    assert!(checked > 100, "only {checked} of {} patterns are checked character by character", patterns.len());
    eprintln!("{checked} of {} distinct patterns are checked character by character", patterns.len());
}

/// What the generator leaves to the regex engine compiles there with the limits generated code
/// uses; what does not is reported as not checked, never skipped unannounced at run time.
#[test]
fn patterns_left_to_the_regex_engine_compile_there() {
    let Some(shared) = shared_dir() else { return };
    let patterns = all_patterns(&shared.join("aws-models"));
    let mut too_large = Vec::new();
    for source in &patterns {
        match check(source) {
            Check::Regex(rust) => {
                assert!(awsgen_runtime::validate::compile(&rust).is_some(), "{source} does not compile");
            }
            // Expressible (no look-around), but over the engine's size limit.
            Check::Unsupported if to_rust(source).is_some() => too_large.push(source.as_str()),
            _ => {}
        }
    }
    // ARNs with a large class repeated hundreds of times among other parts: a handful.
    assert!(too_large.len() <= 12, "{} patterns are too large to check: {too_large:#?}", too_large.len());
    eprintln!(
        "{} of {} distinct patterns are too large for the regex engine: {too_large:#?}",
        too_large.len(),
        patterns.len()
    );
}
