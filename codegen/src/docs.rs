//! Model documentation (HTML, as AWS writes it) to Markdown that rustdoc accepts with warnings
//! denied: no stray HTML tags, no bare URLs, no brackets that look like intra-doc links, no
//! indentation that would become a code block (and a doctest).
//!
//! Written by hand because the job is narrow and specific to rustdoc; a general HTML-to-Markdown
//! crate would still need this clean-up pass, and would pull in a whole HTML parser.

/// Converts an HTML documentation string to Markdown, one paragraph per block element.
pub fn html_to_markdown(html: &str) -> String {
    let mut out = Out::default();
    let mut rest = html;
    let mut href_stack: Vec<Option<String>> = Vec::new();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('<') {
            if let Some(end) = after.find('>') {
                let tag = &after[..end];
                rest = &after[end + 1..];
                out.tag(tag, &mut href_stack);
                continue;
            }
            out.text("<");
            rest = after;
            continue;
        }
        let end = rest.find('<').unwrap_or(rest.len());
        out.text(&decode_entities(&rest[..end]));
        rest = &rest[end..];
    }
    out.finish()
}

#[derive(Default)]
struct Out {
    blocks: Vec<String>,
    line: String,
    list_depth: usize,
    in_code: usize,
    in_pre: bool,
}

impl Out {
    fn flush(&mut self) {
        let line = self.line.trim().to_string();
        if !line.is_empty() {
            self.blocks.push(line);
        }
        self.line.clear();
    }

    fn tag(&mut self, raw: &str, hrefs: &mut Vec<Option<String>>) {
        let raw = raw.trim();
        let closing = raw.starts_with('/');
        let name: String = raw
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        match (name.as_str(), closing) {
            (
                "p" | "div" | "note" | "important" | "br" | "dl" | "dd" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
                | "title",
                _,
            ) => {
                if !closing && matches!(name.as_str(), "note" | "important") {
                    self.flush();
                    self.line.push_str(if name == "note" { "**Note:** " } else { "**Important:** " });
                } else if !self.in_pre && self.line.trim() != "-" {
                    // A paragraph right inside a list item stays on the bullet's line.
                    self.flush();
                }
            }
            ("dt", false) => self.flush(),
            ("ul" | "ol", false) => {
                self.flush();
                self.list_depth += 1;
            }
            ("ul" | "ol", true) => {
                self.flush();
                self.list_depth = self.list_depth.saturating_sub(1);
            }
            ("li", false) => {
                self.flush();
                self.line.push_str(&"  ".repeat(self.list_depth.saturating_sub(1)));
                self.line.push_str("- ");
            }
            ("li", true) => self.flush(),
            ("code" | "tt" | "userinput" | "replaceable", false) => {
                if self.in_code == 0 && !self.in_pre {
                    self.line.push('`');
                }
                self.in_code += 1;
            }
            ("code" | "tt" | "userinput" | "replaceable", true) => {
                self.in_code = self.in_code.saturating_sub(1);
                if self.in_code == 0 && !self.in_pre {
                    // An empty code span would print as two backticks; drop it.
                    if self.line.ends_with('`') {
                        self.line.pop();
                    } else {
                        self.line.push('`');
                    }
                }
            }
            ("pre", false) => {
                self.flush();
                self.in_pre = true;
            }
            ("pre", true) => {
                self.in_pre = false;
                let body = std::mem::take(&mut self.line);
                let body = body.trim_matches('\n');
                if !body.trim().is_empty() {
                    self.blocks.push(format!("```text\n{}\n```", body.replace("```", "'''")));
                }
            }
            ("b" | "strong", _) if self.in_code == 0 && !self.in_pre => self.line.push_str("**"),
            ("i" | "em", _) if self.in_code == 0 && !self.in_pre => self.line.push('*'),
            ("a", false) => {
                let href = attr(raw, "href");
                if href.is_some() && self.in_code == 0 {
                    self.line.push('[');
                }
                hrefs.push(href);
            }
            ("a", true) => {
                if let Some(Some(href)) = hrefs.pop() {
                    if self.in_code == 0 {
                        // A link with no text shows its address.
                        if self.line.ends_with('[') {
                            self.line.push_str(&escape_md(&href));
                        }
                        self.line.push_str(&format!("]({})", href.replace(' ', "%20").replace(')', "%29")));
                    }
                }
            }
            _ => {}
        }
    }

    fn text(&mut self, t: &str) {
        if self.in_pre {
            self.line.push_str(t);
            return;
        }
        let collapsed = collapse_ws(t);
        if self.line.trim().is_empty() && collapsed.trim().is_empty() {
            return;
        }
        if self.in_code > 0 {
            self.line.push_str(&collapsed.replace('`', "'"));
        } else {
            self.line.push_str(&escape_md(&collapsed));
        }
    }

    fn finish(mut self) -> String {
        self.flush();
        let mut s = String::new();
        let mut prev_item = false;
        for b in &self.blocks {
            let item = b.trim_start().starts_with("- ");
            if !s.is_empty() {
                s.push_str(if item && prev_item { "\n" } else { "\n\n" });
            }
            // Emphasis markers left dangling by unbalanced HTML would warn; balance them.
            s.push_str(b);
            prev_item = item;
        }
        s
    }
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let i = tag.find(&format!("{name}="))?;
    let rest = &tag[i + name.len() + 1..];
    let quote = rest.chars().next()?;
    let v = if quote == '"' || quote == '\'' {
        let rest = &rest[1..];
        &rest[..rest.find(quote)?]
    } else {
        rest.split_whitespace().next()?
    };
    Some(decode_entities(v).trim().to_string()).filter(|v| !v.is_empty())
}

fn collapse_ws(t: &str) -> String {
    let mut s = String::with_capacity(t.len());
    let mut ws = false;
    for c in t.chars() {
        if c.is_whitespace() {
            if !ws {
                s.push(' ');
            }
            ws = true;
        } else {
            s.push(c);
            ws = false;
        }
    }
    s
}

/// Escapes what Markdown or rustdoc would read as markup: brackets (intra-doc links), angle
/// brackets (HTML), emphasis characters and bare URLs.
fn escape_md(t: &str) -> String {
    let mut s = String::with_capacity(t.len());
    for c in t.chars() {
        match c {
            '[' | ']' | '*' | '_' | '`' | '\\' | '#' | '|' => {
                s.push('\\');
                s.push(c);
            }
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            _ => s.push(c),
        }
    }
    wrap_urls(&s)
}

/// rustdoc warns about bare URLs; wrap them in angle brackets.
fn wrap_urls(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = ["https://", "http://"].iter().filter_map(|p| rest.find(p)).min() {
        out.push_str(&rest[..i]);
        let url_len = rest[i..]
            .find(|c: char| c.is_whitespace() || c == '\\' || c == '&' || c == '"' || c == '\'')
            .unwrap_or(rest.len() - i);
        let mut url = &rest[i..i + url_len];
        while url.ends_with(['.', ',', ';', ':', ')']) {
            url = &url[..url.len() - 1];
        }
        out.push('<');
        out.push_str(url);
        out.push('>');
        rest = &rest[i + url.len()..];
    }
    out.push_str(rest);
    out
}

fn decode_entities(t: &str) -> String {
    if !t.contains('&') {
        return t.to_string();
    }
    let mut s = String::with_capacity(t.len());
    let mut rest = t;
    while let Some(i) = rest.find('&') {
        s.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let ent = &rest[1..e];
            let c = match ent {
                "lt" => '<',
                "gt" => '>',
                "amp" => '&',
                "quot" => '"',
                "apos" => '\'',
                "nbsp" => ' ',
                _ if ent.starts_with("#x") => char::from_u32(u32::from_str_radix(&ent[2..], 16).ok()?)?,
                _ if ent.starts_with('#') => char::from_u32(ent[1..].parse().ok()?)?,
                _ => return None,
            };
            Some((c, e))
        });
        match decoded {
            Some((c, e)) => {
                s.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                s.push('&');
                rest = &rest[1..];
            }
        }
    }
    s.push_str(rest);
    s
}

#[cfg(test)]
mod tests {
    use super::html_to_markdown as md;

    #[test]
    fn paragraphs_code_and_lists() {
        assert_eq!(md("<p>Updates a <code>flow</code>.</p> <p>Second.</p>"), "Updates a `flow`.\n\nSecond.");
        assert_eq!(md("<ul><li><p>one</p></li><li>two</li></ul>"), "- one\n- two");
        assert_eq!(md("<p>See <a href=\"https://x.io/a\">docs</a>.</p>"), "See [docs](https://x.io/a).");
    }

    #[test]
    fn rustdoc_safety() {
        assert_eq!(md("a [b] &lt;c&gt; x_y *z*"), "a \\[b\\] &lt;c&gt; x\\_y \\*z\\*");
        assert_eq!(md("see https://example.com/x."), "see <https://example.com/x>.");
        assert_eq!(md("1 &lt; 2 &amp;&amp; 3"), "1 &lt; 2 && 3");
        assert_eq!(md("    indented"), "indented");
        assert_eq!(md("<code></code>x"), "x");
    }
}
