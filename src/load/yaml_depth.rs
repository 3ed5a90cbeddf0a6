//! Flow collections nested too deep to hand to the YAML library. libyaml's scanner keeps one
//! "possible simple key" per open `[` or `{` and revisits all of them at every token, so
//! 200 KB of `{a: {a: …}}` took a minute (time grows with the square of the depth); serde_yaml
//! refuses documents nested past 128 levels only after the scan. Workspace files nest flow
//! collections two or three deep, so beyond `MAX_FLOW_DEPTH` the file is refused at the
//! bracket before parsing, and a block nesting past serde_yaml's own limit is told as such.

use crate::diag::{Diagnostic, Location};

/// The deepest nesting of `[…]` and `{…}` accepted in a workspace YAML file.
pub const MAX_FLOW_DEPTH: usize = 64;

/// serde_yaml's recursion limit (serde_yaml 0.9 de.rs `remaining_depth: 128`).
const LIBRARY_DEPTH: usize = 128;

/// The error for the first bracket of `text` (file `rel`) opening a flow collection deeper
/// than [`MAX_FLOW_DEPTH`], at its line and column; `None` when none does. A bracket opens a
/// collection where a value starts (line start, after `- `, `: `, `,`, `[`, `{`, `? `),
/// outside comments and quoted text; elsewhere it is part of plain text.
pub fn too_deep(rel: &str, text: &str) -> Option<Diagnostic> {
    let mut depth = 0usize;
    let (mut line, mut col) = (1usize, 0usize);
    // The last character on this line that was not a space, the character just before this
    // one, and the open quote if any.
    let mut prev: Option<char> = None;
    let mut last: Option<char> = None;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut comment = false;
    for c in text.chars() {
        col += 1;
        if c == '\n' {
            (line, col, prev, last, comment) = (line + 1, 0, None, None, false);
            continue;
        }
        let before = last.replace(c);
        if comment {
            continue;
        }
        if let Some(q) = quote {
            match c {
                '\\' if q == '"' && !escaped => escaped = true,
                _ if c == q && !escaped => quote = None,
                _ => escaped = false,
            }
            prev = Some(c);
            continue;
        }
        // `''` inside single quotes is one quote: the quoted text goes on.
        let reopen = c == '\'' && before == Some('\'');
        // In block context a value starts the line or follows "- ", ": ", "? "; in a flow
        // collection it also follows ",", "[", "{" and a ":" without a space (JSON style).
        let at_value = if depth == 0 {
            prev.is_none() || matches!(prev, Some('-' | ':' | '?')) && before == Some(' ')
        } else {
            matches!(prev, Some(',' | '[' | '{' | ':' | '?'))
        };
        match c {
            '#' if before.is_none_or(|b| b == ' ' || b == '\t') => comment = true,
            '\'' | '"' if at_value || reopen => quote = Some(c),
            '[' | '{' if at_value || depth > 0 => {
                depth += 1;
                if depth > MAX_FLOW_DEPTH {
                    return Some(error(rel, line, col));
                }
            }
            ']' | '}' if depth > 0 => depth -= 1,
            _ => {}
        }
        if c != ' ' && c != '\r' {
            prev = Some(c);
        }
    }
    None
}

fn error(rel: &str, line: usize, col: usize) -> Diagnostic {
    Diagnostic::error(
        "yaml-too-deep",
        Location::line(rel, line, col),
        format!("方括号、花括号嵌套超过 {MAX_FLOW_DEPTH} 层，未读取此文件"),
    )
    .with_hint("工作区的 YAML 文件只需两三层括号；请检查这一行是否误粘贴了大量括号，或改用缩进写法")
}

/// The message for serde_yaml's "recursion limit exceeded", at the place it names.
pub fn library_limit(loc: Location) -> Diagnostic {
    Diagnostic::error(
        "yaml-too-deep",
        loc,
        format!("嵌套超过 {LIBRARY_DEPTH} 层（缩进或括号一层套一层），未读取此文件"),
    )
    .with_hint("工作区的 YAML 文件只需几层缩进；请检查这里是否误粘贴了大量“- ”或层层缩进的内容")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth_error(text: &str) -> Option<String> {
        too_deep("content/county.yaml", text).map(|d| d.at)
    }

    #[test]
    fn refuses_the_bracket_past_the_limit() {
        // "extra: " is 7 characters; the 65th "[" is at column 7 + 65 = 72.
        let text = format!("county: 某县\nextra: {}{}\n", "[".repeat(65), "]".repeat(65));
        assert_eq!(depth_error(&text).as_deref(), Some("content/county.yaml:2:72"));
        let text = format!("extra: {}1{}\n", "{a: ".repeat(65), "}".repeat(65));
        // Each "{a: " is 4 characters: the 65th "{" starts at 7 + 64 × 4 + 1 = 264.
        assert_eq!(depth_error(&text).as_deref(), Some("content/county.yaml:1:264"));
    }

    #[test]
    fn accepts_the_limit_and_brackets_in_text() {
        let text = format!("a: {}{}\n", "[".repeat(64), "]".repeat(64));
        assert_eq!(depth_error(&text), None);
        // In plain text, quotes and comments a bracket is a character, not a collection.
        let many = "[".repeat(100);
        let text = format!("a: 说明{many}\nb: 'it''s {many}'\nc: \"\\\"{many}\"\n# {many}\nd: x # {many}\n");
        assert_eq!(depth_error(&text), None);
    }
}
