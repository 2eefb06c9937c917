//! `@pattern` values are ECMA-262 regular expressions, and AWS models often write them the Java
//! way: `\uXXXX` escapes, with characters outside the Basic Multilingual Plane as UTF-16
//! surrogate pairs (`\uD800\uDC00-\uDBFF\uDFFF`). Rust's regex engine has neither, so such
//! patterns are translated: pairs become one code point, escapes become `\x{...}`.

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
    use super::to_rust;

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
