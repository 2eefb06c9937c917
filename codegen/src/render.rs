//! Render stage: tokens to formatted source text with the header line.

use proc_macro2::TokenStream;

/// Formats a generated Rust file. Tokens that do not parse are a generator bug, not a model
/// problem, so this panics naming the file.
pub fn rust_file(path: &str, tokens: TokenStream) -> String {
    format(&parse(path, tokens))
}

/// Parses a generated file's tokens; see [`rust_file`] for why a failure panics.
pub fn parse(path: &str, tokens: TokenStream) -> syn::File {
    match syn::parse2::<syn::File>(tokens) {
        Ok(f) => f,
        Err(e) => panic!(
            "generator bug: tokens for {path} do not parse: {e} (near `{}`)",
            e.span().source_text().unwrap_or_default()
        ),
    }
}

/// Formats a parsed file, with the header line.
pub fn format(file: &syn::File) -> String {
    let body = space_items(&prettyplease::unparse(file));
    format!("// {}\n\n{body}", crate::HEADER)
}

/// The kind of a one-line declaration (`mod x;`, `pub use a::B;`), which runs of the same kind
/// keep together without blank lines.
fn one_liner(line: &str) -> Option<&'static str> {
    if !line.ends_with(';') || line.starts_with(' ') {
        return None;
    }
    if line.starts_with("mod ") || line.starts_with("pub mod ") {
        Some("mod")
    } else if line.starts_with("pub use ") {
        Some("pub use")
    } else {
        None
    }
}

/// prettyplease puts top-level items on consecutive lines; a blank line after each item that
/// ends at column 0 (and after the `use` block) makes generated files read like hand-written ones.
/// Runs of one-line `mod` or `pub use` declarations stay together, as in a hand-written `mod.rs`.
fn space_items(src: &str) -> String {
    let mut out = String::with_capacity(src.len() + src.len() / 16);
    let mut lines = src.lines().peekable();
    // Inside a multi-line inner attribute (`#![doc = …]` spread over lines by prettyplease).
    let mut in_inner_attr = false;
    while let Some(line) = lines.next() {
        out.push_str(line);
        out.push('\n');
        let Some(next) = lines.peek() else { break };
        let ends_item = line == "}"
            || line.ends_with(';') && !line.starts_with(' ') && !line.starts_with("use ") && !line.starts_with("//");
        let ends_uses = line.starts_with("use ") && line.ends_with(';') && !next.starts_with("use ");
        let ends_inner_docs = line.starts_with("//!") && !next.starts_with("//!");
        if line.starts_with("#![") && !line.ends_with(']') {
            in_inner_attr = true;
        }
        let ends_inner_attr =
            (in_inner_attr && line.starts_with(")]")) || (line.starts_with("#![") && line.ends_with(")]"));
        if line.starts_with(")]") {
            in_inner_attr = false;
        }
        let same_run = one_liner(line).is_some() && one_liner(line) == one_liner(next);
        if (ends_item || ends_uses || ends_inner_docs || ends_inner_attr)
            && !same_run
            && !next.is_empty()
            && !next.starts_with("#![")
        {
            out.push('\n');
        }
    }
    out
}
