//! Setting values inside the one-line flow mappings of a YAML text (`V4: {present: false}`,
//! `- {subject: 语文, level: 3, difference: 0.09}`), every other byte kept: a value replaced in
//! place, a field added before the closing brace, a missing item added in its siblings' style.
//! Everything else goes to `yaml_edit::set`. Text is written as a plain scalar only when it
//! reads back as that same text; otherwise double-quoted, so that user text never becomes YAML
//! structure.

use super::yaml_edit;
use crate::load::yaml::YamlFile;

/// The lists of county.yaml whose items a key names by one of their fields: the key path
/// `quality.subjects.语文.level` is the `level` of the item whose `subject` is 语文.
const LISTS: &[(&[&str], &str)] = &[(&["quality", "subjects"], "subject")];
/// The mappings whose entries county.yaml writes as flow mappings (`veto: {V1: {present: …}}`).
const FLOW_MAPS: &[&str] = &["veto"];

/// `text` with the value under `keys` set to the YAML scalar `new` (`scalar` of a text).
pub fn set(text: &str, rel: &str, keys: &[&str], new: &str) -> Result<String, String> {
    for (list, by) in LISTS {
        if keys.len() == list.len() + 2 && keys.starts_with(list) {
            return set_in_item(text, rel, list, by, keys[list.len()], keys[list.len() + 1], new);
        }
    }
    if let Some((field, parent)) = keys.split_last().filter(|(_, p)| !p.is_empty()) {
        if let Some(at) = flow_of_key(text, rel, parent) {
            return set_in_flow(text, at, field, new);
        }
        let absent = !matches!(
            YamlFile::new(rel, text).locate_key(parent),
            crate::diag::Location::Line { .. }
        );
        if absent && parent.len() == 2 && FLOW_MAPS.contains(&parent[0]) {
            return yaml_edit::set(text, rel, parent, &format!("{{{field}: {new}}}"));
        }
    }
    yaml_edit::set(text, rel, keys, new)
}

/// A text as a YAML scalar: plain when it reads back as itself (in a flow mapping too),
/// else double-quoted with `\` escapes.
pub fn scalar(s: &str) -> String {
    let plain = !s.is_empty()
        && s.trim() == s
        && !s.starts_with(['-', '?', '.', '~'])
        && s.chars().all(|c| {
            !c.is_control()
                && (!c.is_ascii() || c.is_ascii_alphanumeric() || matches!(c, ' ' | '_' | '(' | ')' | '/' | '-' | '.'))
        })
        && serde_yaml::from_str::<serde_yaml::Value>(s)
            .ok()
            .as_ref()
            .and_then(serde_yaml::Value::as_str)
            == Some(s);
    if plain {
        return s.to_owned();
    }
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Byte offset of the start of 1-based `line`.
fn line_start(text: &str, line: usize) -> usize {
    text.split_inclusive('\n').take(line - 1).map(str::len).sum()
}

/// The byte offset of the `{` of the flow mapping that is the value of `keys`, when it is one.
fn flow_of_key(text: &str, rel: &str, keys: &[&str]) -> Option<usize> {
    let crate::diag::Location::Line { line, .. } = YamlFile::new(rel, text).locate_key(keys) else {
        return None;
    };
    let start = line_start(text, line);
    let body = text[start..].split('\n').next().unwrap_or("");
    let key = keys.last()?;
    let at = body
        .find(&format!("{key}:"))
        .or_else(|| body.find(&format!("{key}\":")))?;
    let colon = at + body[at..].find(':')?;
    let rest = &body[colon + 1..];
    let value = rest.trim_start();
    value
        .starts_with('{')
        .then(|| start + colon + 1 + (rest.len() - value.len()))
}

/// One entry of a flow mapping: its key (unquoted) and the byte range of its value.
struct Entry {
    key: String,
    value: (usize, usize),
}

/// The entries of the flow mapping whose `{` is at `open`, and the offset of its `}`; `None`
/// when it does not close on its line or nests another collection.
fn entries(text: &str, open: usize) -> Option<(Vec<Entry>, usize)> {
    let bytes = text.as_bytes();
    let mut out = vec![];
    let mut i = open + 1;
    let mut start = i;
    let mut quote: Option<u8> = None;
    while i < bytes.len() {
        let b = bytes[i];
        match (quote, b) {
            (_, b'\n') => return None,
            (Some(b'"'), b'\\') => i += 1,
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'{' | b'[') => return None,
            (None, b',' | b'}') => {
                let part = &text[start..i];
                if !part.trim().is_empty() {
                    let colon = colon_of(part)?;
                    let key = part[..colon].trim().trim_matches(['"', '\'']).to_owned();
                    let v = &part[colon + 1..];
                    let lead = v.len() - v.trim_start().len();
                    let vs = start + colon + 1 + lead;
                    out.push(Entry {
                        key,
                        value: (vs, vs + v.trim().len()),
                    });
                }
                if b == b'}' {
                    return Some((out, i));
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The `:` that ends an entry's key (outside quotes).
fn colon_of(part: &str) -> Option<usize> {
    let t = part.trim_start();
    let lead = part.len() - t.len();
    if let Some(q) = t.chars().next().filter(|c| *c == '"' || *c == '\'') {
        let end = t[1..].find(q)? + 1;
        return Some(lead + end + t[end..].find(':')?);
    }
    part.find(':')
}

/// `text` with `field` of the flow mapping at `open` set to `new`: replaced, or added last.
fn set_in_flow(text: &str, open: usize, field: &str, new: &str) -> Result<String, String> {
    let line = text[..open].matches('\n').count() + 1;
    let (items, close) = entries(text, open).ok_or(format!("第 {line} 行的写法无法自动修改"))?;
    let mut out = String::with_capacity(text.len() + new.len() + field.len() + 4);
    match items.iter().find(|e| e.key == field) {
        Some(e) => {
            out.push_str(&text[..e.value.0]);
            out.push_str(new);
            out.push_str(&text[e.value.1..]);
        }
        None => {
            let last = text[..close].trim_end().len();
            out.push_str(&text[..last]);
            if !items.is_empty() {
                out.push_str(", ");
            }
            out.push_str(&format!("{field}: {new}"));
            out.push_str(&text[last..]);
        }
    }
    Ok(out)
}

/// `text` with `field` of the item of `list` whose `by` is `name` set to `new`; the item added
/// after the last one, in the same style, when the list has none of that name.
fn set_in_item(
    text: &str,
    rel: &str,
    list: &[&str],
    by: &str,
    name: &str,
    field: &str,
    new: &str,
) -> Result<String, String> {
    let shown = list.join(".");
    let line = match YamlFile::new(rel, text).locate_key(list) {
        crate::diag::Location::Line { line, .. } => line,
        _ => {
            // No list yet: an empty one added where the key belongs, then the item.
            let with = yaml_edit::set(text, rel, list, "[]")?;
            return set_in_item(&with, rel, list, by, name, field, new);
        }
    };
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let indent = |l: &str| l.len() - l.trim_start_matches(' ').len();
    let own = indent(lines[line - 1]);
    let head = lines[line - 1].trim_end();
    let after = head.split_once(':').map_or("", |(_, v)| v).trim();
    let item = format!("- {{{by}: {}, {field}: {new}}}", scalar(name));
    if after.starts_with("[]") {
        // `subjects: []` becomes `subjects:` with the item below it.
        let start = line_start(text, line);
        let colon = start + lines[line - 1].find(':').unwrap_or(0) + 1;
        let end = start + head.len();
        let comment = &text[colon..end].trim_start()[2..];
        return Ok(format!(
            "{}{comment}\n{}{item}{}",
            &text[..colon],
            " ".repeat(own + 2),
            &text[end..]
        ));
    }
    if !after.is_empty() && !after.starts_with('#') {
        return Err(format!("{rel}:{line} 的 {shown} 不是逐项写出的列表"));
    }
    // The items: `- ` lines below the key, deeper (or at its indentation, as YAML allows).
    let mut last = None;
    for (j, l) in lines.iter().enumerate().skip(line) {
        let t = l.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let deeper = indent(l) > own;
        if !(deeper || (indent(l) == own && t.starts_with("- "))) {
            break;
        }
        if !t.starts_with("- ") {
            if deeper {
                // A block mapping item's further lines.
                return Err(format!("{rel}:{} 的 {shown} 各项不是单行写出的", j + 1));
            }
            break;
        }
        let open = line_start(text, j + 1) + l.find("- ").unwrap_or(0) + 2;
        if !text[open..].starts_with('{') {
            return Err(format!("{rel}:{} 的 {shown} 各项不是单行写出的", j + 1));
        }
        let (items, _) = entries(text, open).ok_or(format!("{rel}:{} 的写法无法自动修改", j + 1))?;
        let is_it = items.iter().find(|e| e.key == by).is_some_and(|e| {
            let v = &text[e.value.0..e.value.1];
            v.trim_matches(['"', '\'']) == name
        });
        if is_it {
            return set_in_flow(text, open, field, new);
        }
        last = Some(j);
    }
    let (at, pad) = match last {
        Some(j) => (j + 1, indent(lines[j])),
        None => (line, own + 2),
    };
    let mut out: String = lines[..at].concat();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&format!("{}{item}\n", " ".repeat(pad)));
    out.push_str(&lines[at..].concat());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "quality:\n  level_iii_or_above: true\n  subjects:                  # 各科\n    - {subject: 语文, level: 3, difference: 0.09}\n    - {subject: 数学, level: 3, difference: 0.11}\n\nveto:\n  V1: {present: false}\n  V4: {present: false, note: 2026年已补齐}\n";

    #[test]
    fn sets_a_field_of_a_flow_mapping_in_place_or_adds_it_last() {
        // 数学's level 3 → 2: only that digit.
        let t = set(TEXT, "c.yaml", &["quality", "subjects", "数学", "level"], "2").unwrap();
        assert_eq!(t, TEXT.replace("数学, level: 3", "数学, level: 2"));
        // V1 gains a note after its last field; V4's note is replaced.
        let t = set(TEXT, "c.yaml", &["veto", "V1", "note"], "\"有: 冒号 # 井号\"").unwrap();
        assert_eq!(
            t,
            TEXT.replace(
                "V1: {present: false}",
                "V1: {present: false, note: \"有: 冒号 # 井号\"}"
            )
        );
        let t = set(TEXT, "c.yaml", &["veto", "V4", "present"], "true").unwrap();
        assert_eq!(t, TEXT.replace("V4: {present: false,", "V4: {present: true,"));
        let t = set(TEXT, "c.yaml", &["veto", "V4", "note"], "已补齐").unwrap();
        assert_eq!(t, TEXT.replace("note: 2026年已补齐}", "note: 已补齐}"));
        // A veto item county.yaml lacks: added last under veto, in the same style.
        let t = set(TEXT, "c.yaml", &["veto", "V7", "present"], "false").unwrap();
        assert_eq!(t, format!("{TEXT}  V7: {{present: false}}\n"));
        // A veto item written as a block mapping takes the note as a line of its own.
        let block = "veto:\n  V1:\n    present: false\nrecognition: 91\n";
        let t = set(block, "c.yaml", &["veto", "V1", "note"], &scalar("甲: 乙")).unwrap();
        assert_eq!(
            t,
            "veto:\n  V1:\n    present: false\n    note: \"甲: 乙\"\nrecognition: 91\n"
        );
        // A quoted note holding a comma and a brace is one value: replaced whole.
        let quoted = "veto:\n  V2: {present: true, note: \"甲, 乙}\"}\n";
        let t = set(quoted, "c.yaml", &["veto", "V2", "present"], "false").unwrap();
        assert_eq!(t, quoted.replace("true", "false"));
        let t = set(quoted, "c.yaml", &["veto", "V2", "note"], "丙").unwrap();
        assert_eq!(t, "veto:\n  V2: {present: true, note: 丙}\n");
        // A plain scalar elsewhere goes to yaml_edit.
        let t = set(TEXT, "c.yaml", &["quality", "level_iii_or_above"], "false").unwrap();
        assert_eq!(t, TEXT.replace("above: true", "above: false"));
    }

    #[test]
    fn adds_a_missing_subject_after_the_last_in_the_same_style() {
        let t = set(TEXT, "c.yaml", &["quality", "subjects", "科学", "level"], "4").unwrap();
        assert_eq!(t, TEXT.replace("0.11}\n", "0.11}\n    - {subject: 科学, level: 4}\n"));
        // Its difference then goes into the new item.
        let t = set(&t, "c.yaml", &["quality", "subjects", "科学", "difference"], "0.1").unwrap();
        assert_eq!(
            t,
            TEXT.replace("0.11}\n", "0.11}\n    - {subject: 科学, level: 4, difference: 0.1}\n")
        );
        // An empty list, and no list at all.
        let empty = "quality:\n  subjects: []   # 各科\nrecognition: 91\n";
        let t = set(empty, "c.yaml", &["quality", "subjects", "语文", "level"], "3").unwrap();
        assert_eq!(
            t,
            "quality:\n  subjects:   # 各科\n    - {subject: 语文, level: 3}\nrecognition: 91\n"
        );
        let none = "quality:\n  level_iii_or_above: true\nrecognition: 91\n";
        let t = set(none, "c.yaml", &["quality", "subjects", "语文", "level"], "3").unwrap();
        assert_eq!(
            t,
            "quality:\n  level_iii_or_above: true\n  subjects:\n    - {subject: 语文, level: 3}\nrecognition: 91\n"
        );
        // Items written as block mappings are left to a person.
        let block = "quality:\n  subjects:\n    - subject: 语文\n      level: 3\n";
        assert!(set(block, "c.yaml", &["quality", "subjects", "语文", "level"], "2").is_err());
    }

    #[test]
    fn text_is_quoted_unless_it_reads_back_as_itself() {
        assert_eq!(scalar("2026年已按核定编制补齐教师"), "2026年已按核定编制补齐教师");
        assert_eq!(scalar("已整改：见 A4-1-02"), "已整改：见 A4-1-02");
        // `: `, ` #`, a comma, braces, quotes, a line break, words YAML reads as other types.
        for (s, q) in [
            ("原因: 见附件 # 2", "\"原因: 见附件 # 2\""),
            ("甲, 乙", "\"甲, 乙\""),
            ("{a}", "\"{a}\""),
            ("他说\"是\"", "\"他说\\\"是\\\"\""),
            ("第一行\n第二行", "\"第一行\\n第二行\""),
            ("true", "\"true\""),
            ("12", "\"12\""),
            ("- 列表", "\"- 列表\""),
            ("a\\b", "\"a\\\\b\""),
        ] {
            assert_eq!(scalar(s), q, "{s}");
            // Read back inside a flow mapping, as county.yaml holds it: the same text.
            let doc: serde_yaml::Value = serde_yaml::from_str(&format!("V1: {{present: true, note: {q}}}")).unwrap();
            assert_eq!(doc["V1"]["note"].as_str(), Some(s), "{q}");
        }
    }
}
