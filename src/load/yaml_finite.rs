//! Numbers that are not numbers: YAML reads `.nan`, `.inf` and `-.inf` (any of their
//! spellings, YAML 1.2 core schema §10.2.1.4) as floating-point values, which a typed field
//! takes without a word and a comparison then passes ("NaN < 0.15" is no failure, "≥ inf" no
//! pass). Every such value in a workspace YAML file is an error at its line and column.

use crate::diag::{Diagnostic, Location};
use serde_yaml::Value;

/// The spellings serde_yaml reads as non-finite numbers, with what each means.
const SPELLINGS: [(&str, &str); 12] = [
    (".nan", "非数（NaN）"),
    (".NaN", "非数（NaN）"),
    (".NAN", "非数（NaN）"),
    (".inf", "无穷大"),
    (".Inf", "无穷大"),
    (".INF", "无穷大"),
    ("+.inf", "无穷大"),
    ("+.Inf", "无穷大"),
    ("+.INF", "无穷大"),
    ("-.inf", "负无穷大"),
    ("-.Inf", "负无穷大"),
    ("-.INF", "负无穷大"),
];

/// Whether `v` holds a number that is NaN or infinite anywhere (keys included).
pub fn has_non_finite(v: &Value) -> bool {
    match v {
        Value::Number(n) => n.as_f64().is_some_and(|f| !f.is_finite()),
        Value::Sequence(items) => items.iter().any(has_non_finite),
        Value::Mapping(m) => m.iter().any(|(k, v)| has_non_finite(k) || has_non_finite(v)),
        Value::Tagged(t) => has_non_finite(&t.value),
        _ => false,
    }
}

/// One error per non-finite value in `text` (file `rel`, already known to hold one: `value`),
/// at the line and column of the value; at the file when none can be placed.
pub fn errors(rel: &str, text: &str, value: &Value) -> Vec<Diagnostic> {
    if !has_non_finite(value) {
        return vec![];
    }
    let mut found = vec![];
    for (n, line) in text.lines().enumerate() {
        for (col, token) in plain_tokens(line) {
            if let Some((_, what)) = SPELLINGS.iter().find(|(s, _)| *s == token) {
                found.push(error(Location::line(rel, n + 1, col), token, what));
            }
        }
    }
    if found.is_empty() {
        found.push(error(Location::file(rel), ".nan", "非数或无穷大"));
    }
    found
}

fn error(at: Location, token: &str, what: &str) -> Diagnostic {
    Diagnostic::error(
        "yaml-not-finite",
        at,
        format!("“{token}”在 YAML 中表示{what}，不是可用的数值"),
    )
    .with_hint("填写具体的数值（如 0.12、1200）；数据暂缺时请先向有关科室核实，不要用 .nan、.inf 占位")
}

/// The words of a line outside quotes and comments, with their columns (1-based, in
/// characters): what a plain scalar can be.
fn plain_tokens(line: &str) -> Vec<(usize, &str)> {
    let mut tokens = vec![];
    let mut quote: Option<char> = None;
    let mut start: Option<(usize, usize)> = None;
    let mut prev = ' ';
    for (col, (b, c)) in line.char_indices().enumerate() {
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            prev = c;
            continue;
        }
        let boundary = c.is_whitespace() || matches!(c, '[' | ']' | '{' | '}' | ',');
        let comment = c == '#' && prev.is_whitespace();
        if boundary || comment || (start.is_none() && matches!(c, '"' | '\'')) {
            if let Some((s, sc)) = start.take() {
                tokens.push((sc + 1, line[s..b].trim_end_matches(':')));
            }
            if comment {
                return tokens;
            }
            if matches!(c, '"' | '\'') {
                quote = Some(c);
            }
        } else if start.is_none() {
            start = Some((b, col));
        }
        prev = c;
    }
    if let Some((s, sc)) = start {
        tokens.push((sc + 1, line[s..].trim_end_matches(':')));
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Vec<String> {
        let v: Value = serde_yaml::from_str(text).unwrap();
        errors("content/county.yaml", text, &v)
            .iter()
            .map(|d| format!("{} {}", d.at, d.message))
            .collect()
    }

    #[test]
    fn non_finite_numbers_are_errors_where_they_stand() {
        let text = "county: 测试县\nfunding:\n  ratio: .nan\n  pay: [1, -.Inf]\n  note: \".nan\" # .inf\n- x: +.INF\n";
        // The last line makes the document invalid; the values before it are what matters.
        let text = &text[..text.rfind("- x").unwrap()];
        assert_eq!(
            at(text),
            [
                "content/county.yaml:3:10 “.nan”在 YAML 中表示非数（NaN），不是可用的数值",
                "content/county.yaml:4:12 “-.Inf”在 YAML 中表示负无穷大，不是可用的数值",
            ]
        );
        assert_eq!(
            at("a:\n  - +.inf\n"),
            ["content/county.yaml:2:5 “+.inf”在 YAML 中表示无穷大，不是可用的数值"]
        );
    }

    #[test]
    fn finite_numbers_and_words_that_look_alike_pass() {
        // Quoted, in a comment, inside a word, a finite number or a string: no error; only
        // the plain `.nan` of the last line.
        assert_eq!(
            at("a: \".nan\"\nb: 1.5 # .inf\nc: x.inf\nd: 1e300\ne: nan\nf: .nan\n"),
            ["content/county.yaml:6:4 “.nan”在 YAML 中表示非数（NaN），不是可用的数值"]
        );
    }
}
