//! YAML files: typed parsing with located errors, and finding where a key or value sits.

use serde::de::DeserializeOwned;
use std::path::Path;

use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::model::CharOrigins;

/// A YAML file read from the workspace, kept for locating later findings.
pub struct YamlFile {
    pub rel: String,
    pub text: String,
}

/// Reads and parses `rel` under `root`. `Ok(None)` when the file does not exist.
/// Duplicate keys anywhere in the document are rejected.
pub fn read<T: DeserializeOwned>(
    root: &Path,
    rel: &str,
    diags: &mut Diagnostics,
    chars: &mut CharOrigins,
) -> Option<(T, YamlFile)> {
    let path = root.join(rel);
    if !path.exists() {
        return None;
    }
    let text = super::text::read(root, rel, diags, chars)?;
    let file = YamlFile {
        rel: rel.to_owned(),
        text,
    };
    // A file holding only comments counts as absent.
    if serde_yaml::from_str::<serde_yaml::Value>(&file.text).is_ok_and(|v| v.is_null()) {
        return None;
    }
    parse(&file, diags).map(|v| (v, file))
}

pub fn parse<T: DeserializeOwned>(file: &YamlFile, diags: &mut Diagnostics) -> Option<T> {
    if file.text.contains('\t')
        && let Some((n, line)) = file.text.lines().enumerate().find(|(_, l)| {
            let indent: String = l.chars().take_while(|c| c.is_whitespace()).collect();
            indent.contains('\t')
        })
    {
        let col = line.find('\t').map(|i| line[..i].chars().count() + 1).unwrap_or(1);
        diags.push(
            Diagnostic::error(
                "yaml-tab",
                Location::line(&file.rel, n + 1, col),
                "缩进中含有制表符（Tab）",
            )
            .with_hint("YAML 只能用空格缩进，请把 Tab 换成空格"),
        );
        return None;
    }
    // A first pass into a generic value rejects duplicate keys, which typed maps would silently merge.
    if let Err(e) = serde_yaml::from_str::<serde_yaml::Value>(&file.text) {
        diags.push(yaml_error(file, &e));
        return None;
    }
    match serde_yaml::from_str::<T>(&file.text) {
        Ok(v) => Some(v),
        Err(e) => {
            diags.push(yaml_error(file, &e));
            None
        }
    }
}

pub fn yaml_error(file: &YamlFile, e: &serde_yaml::Error) -> Diagnostic {
    let rel = file.rel.as_str();
    let mut loc = match e.location() {
        Some(l) => Location::line(rel, l.line(), l.column()),
        None => Location::file(rel),
    };
    let raw = e.to_string();
    // Our own value errors quote the value (“…”) but serde_yaml places them at the mapping:
    // point at the value itself.
    if let Some(value) = raw
        .split('“')
        .nth(1)
        .and_then(|r| r.split('”').next())
        .filter(|v| !v.is_empty())
    {
        let from = YamlFile::line_of(&loc).saturating_sub(1);
        if let Some((i, line)) = file
            .text
            .lines()
            .enumerate()
            .skip(from)
            .find(|(_, l)| l.contains(value))
        {
            let col = line.find(value).map(|b| line[..b].chars().count() + 1).unwrap_or(1);
            loc = Location::line(rel, i + 1, col);
        }
    }
    // serde_yaml places a duplicate key at its mapping; point at the repeated key instead.
    if let Some(key) = raw
        .strip_prefix("duplicate entry with key \"")
        .and_then(|r| r.split('"').next())
    {
        let from = YamlFile::line_of(&loc);
        let hits: Vec<(usize, usize)> = file
            .text
            .lines()
            .enumerate()
            .skip(from.saturating_sub(1))
            .filter_map(|(i, l)| {
                let body = l.trim_start().trim_start_matches("- ");
                let b = body.trim_start_matches(['"', '\'']);
                b.strip_prefix(key)
                    .is_some_and(|a| a.trim_start_matches(['"', '\'']).starts_with(':'))
                    .then(|| (i + 1, l.len() - body.len() + 1))
            })
            .collect();
        if let Some((line, col)) = hits.get(1) {
            loc = Location::line(rel, *line, *col);
        }
    }
    // serde_yaml appends " at line X column Y"; the location already says it.
    let msg = match raw.find(" at line ") {
        Some(i) => raw[..i].to_owned(),
        None => raw,
    };
    let (message, hint) = translate(&msg);
    Diagnostic::error("yaml-syntax", loc, message).with_hint(hint)
}

/// Chinese wording for the usual serde_yaml messages; the original stays in brackets.
fn translate(msg: &str) -> (String, String) {
    if let Some(rest) = msg.strip_prefix("duplicate entry with key ") {
        return (
            format!("键 {rest} 重复出现"),
            "同一层级的每个键只能写一次，请合并或删除重复项".into(),
        );
    }
    if msg.contains("duplicate field") {
        return (format!("字段重复（{msg}）"), "同一层级的每个键只能写一次".into());
    }
    if msg.contains("unknown field") {
        return (
            format!("未知的字段（{msg}）"),
            "请检查拼写；允许的字段见 docs/inputs.md".into(),
        );
    }
    if msg.contains("missing field") {
        return (
            format!("缺少必填字段（{msg}）"),
            "请补上该字段，格式见 docs/inputs.md".into(),
        );
    }
    if msg.contains("invalid type") || msg.contains("unknown variant") || msg.contains("invalid value") {
        return (
            format!("取值不合要求（{msg}）"),
            "请按 docs/inputs.md 中的格式填写".into(),
        );
    }
    (
        format!("YAML 格式错误（{msg}）"),
        "请检查冒号、缩进和引号是否成对；可先用文本编辑器查看该行".into(),
    )
}

impl YamlFile {
    /// Line and column (1-based) of a nested mapping key such as `["B8", "points", "1"]`:
    /// each key is searched on a later line with deeper indentation than its parent.
    pub fn locate_key(&self, path: &[&str]) -> Location {
        let lines: Vec<&str> = self.text.lines().collect();
        let mut start = 0usize;
        let mut parent_indent: isize = -1;
        let mut found = None;
        for key in path {
            found = None;
            for (i, line) in lines.iter().enumerate().skip(start) {
                let trimmed = line.trim_start();
                if trimmed.is_empty() || trimmed.starts_with('#') {
                    continue;
                }
                let lead = (line.len() - trimmed.len()) as isize;
                if parent_indent >= 0 && lead <= parent_indent {
                    break; // left the parent's block
                }
                let body = trimmed.strip_prefix("- ").unwrap_or(trimmed);
                let indent = line.len() - body.len();
                let bare = body.trim_start_matches(['"', '\'']);
                let is_key = bare
                    .strip_prefix(key)
                    .is_some_and(|after| after.trim_start_matches(['"', '\'']).starts_with(':'));
                if is_key && indent as isize > parent_indent {
                    found = Some((i, indent + 1));
                    start = i + 1;
                    parent_indent = indent as isize;
                    break;
                }
            }
            if found.is_none() {
                break;
            }
        }
        match found {
            Some((i, col)) => Location::line(&self.rel, i + 1, col),
            None => Location::file(&self.rel),
        }
    }

    /// The first occurrence of `token` (as a whole word) at or after 1-based `from_line`.
    pub fn locate_token(&self, from_line: usize, token: &str) -> Location {
        for (i, line) in self.text.lines().enumerate().skip(from_line.saturating_sub(1)) {
            let mut search = 0;
            while let Some(pos) = line[search..].find(token) {
                let at = search + pos;
                let before = line[..at].chars().next_back();
                let after = line[at + token.len()..].chars().next();
                let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
                if !word(before) && !word(after) {
                    return Location::line(&self.rel, i + 1, line[..at].chars().count() + 1);
                }
                search = at + token.len();
            }
        }
        Location::file(&self.rel)
    }

    /// The `n`-th (0-based) item of the top-level list under `key`.
    pub fn locate_item(&self, key: &str, n: usize) -> Location {
        let start = match self.locate_key(&[key]) {
            Location::Line { line, .. } => line,
            other => return other,
        };
        let mut item_indent = None;
        let mut count = 0;
        for (i, line) in self.text.lines().enumerate().skip(start) {
            let trimmed = line.trim_start();
            if !trimmed.starts_with("- ") && trimmed != "-" {
                continue;
            }
            let indent = line.len() - trimmed.len();
            if *item_indent.get_or_insert(indent) != indent {
                continue;
            }
            if count == n {
                return Location::line(&self.rel, i + 1, indent + 1);
            }
            count += 1;
        }
        Location::file(&self.rel)
    }

    pub fn line_of(loc: &Location) -> usize {
        match loc {
            Location::Line { line, .. } => *line,
            _ => 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> YamlFile {
        YamlFile {
            rel: "content/scores.yaml".into(),
            text: text.into(),
        }
    }

    #[test]
    fn locates_nested_keys() {
        let f = file("A10:\n  status: 达标\nB8:\n  points:\n    \"1\": {score: 5}\n    \"2\": {score: 4}\n");
        assert_eq!(f.locate_key(&["B8"]).to_string(), "content/scores.yaml:3:1");
        assert_eq!(
            f.locate_key(&["B8", "points", "2"]).to_string(),
            "content/scores.yaml:6:5"
        );
        assert_eq!(f.locate_key(&["B9"]).to_string(), "content/scores.yaml");
    }

    #[test]
    fn locates_tokens_as_words() {
        let f = file("units:\n  - name: 教科体局\n    leads: [A1, A12, A1x]\n");
        assert_eq!(f.locate_token(2, "A12").to_string(), "content/scores.yaml:3:17");
        assert_eq!(f.locate_token(1, "A1").to_string(), "content/scores.yaml:3:13");
    }

    #[test]
    fn duplicate_keys_are_errors_with_line() {
        let mut d = Diagnostics::default();
        let f = file("a: 1\nb: 2\na: 3\n");
        let v: Option<std::collections::BTreeMap<String, i32>> = parse(&f, &mut d);
        assert!(v.is_none());
        let diag = &d.as_slice()[0];
        assert!(diag.message.contains("重复"), "{}", diag.message);
        assert!(diag.at.starts_with("content/scores.yaml:"), "{}", diag.at);
    }
}
