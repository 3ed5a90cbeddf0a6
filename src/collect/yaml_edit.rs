//! Replacing scalar values in a YAML text in place: the scalar found by its key path (as the
//! loader locates `content/county.yaml:12:5`), its text spliced, every other byte kept —
//! comments, order, quoting and the column of a trailing comment.

use crate::load::yaml::YamlFile;

/// A figure as a person types it: 99000, 97.5 (no `.0`, no exponent).
pub fn figure(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// `text` with the value under `keys` set to `new`: the scalar replaced where the key is, or
/// the key added at the end of its nearest existing parent's block (parents it lacks added
/// with it). Err says why it cannot be.
pub fn set(text: &str, rel: &str, keys: &[&str], new: &str) -> Result<String, String> {
    let file = YamlFile::new(rel, text);
    if matches!(file.locate_key(keys), crate::diag::Location::Line { .. }) {
        return set_scalar(text, rel, keys, new);
    }
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let indent_of = |l: &str| l.len() - l.trim_start_matches(' ').len();
    let content = |l: &str| !l.trim().is_empty() && !l.trim_start().starts_with('#');
    // The nearest parent present: its line and indentation (the top level: none).
    let parent = (1..keys.len()).rev().find_map(|k| match file.locate_key(&keys[..k]) {
        crate::diag::Location::Line { line, .. } => Some((k, line - 1)),
        _ => None,
    });
    let (have, at, child_indent) = match parent {
        Some((k, i)) => {
            let own = indent_of(lines[i]);
            let rest = lines[i].trim_end().splitn(2, ':').nth(1).unwrap_or("").trim();
            if !rest.is_empty() && !rest.starts_with('#') {
                return Err(format!(
                    "{rel}:{} 的 {} 不是分项写出的，无法加入 {}",
                    i + 1,
                    keys[..k].join("."),
                    keys[k]
                ));
            }
            let block: Vec<usize> = (i + 1..lines.len())
                .take_while(|&j| !content(lines[j]) || indent_of(lines[j]) > own)
                .filter(|&j| content(lines[j]))
                .collect();
            let child = block.first().map_or(own + 2, |&j| indent_of(lines[j]));
            (k, block.last().map_or(i + 1, |j| j + 1), child)
        }
        None => (0, lines.len(), 0),
    };
    let mut added = String::new();
    for (d, key) in keys.iter().enumerate().skip(have) {
        let pad = " ".repeat(child_indent + 2 * (d - have));
        if d + 1 == keys.len() {
            added.push_str(&format!("{pad}{key}: {new}\n"));
        } else {
            added.push_str(&format!("{pad}{key}:\n"));
        }
    }
    let mut out: String = lines[..at].concat();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&added);
    out.push_str(&lines[at..].concat());
    Ok(out)
}

/// `text` with the scalar under `keys` replaced by `new`; Err says why it cannot be (the key is
/// absent, or holds a list or mapping rather than one value).
pub fn set_scalar(text: &str, rel: &str, keys: &[&str], new: &str) -> Result<String, String> {
    let file = YamlFile::new(rel, text);
    let shown = keys.join(".");
    let (line, column) = match file.locate_key(keys) {
        crate::diag::Location::Line { line, column, .. } => (line, column),
        _ => return Err(format!("{rel} 中没有 {shown} 一项")),
    };
    // Byte offset of the line: `locate_key` counts lines as `str::lines` does.
    let start: usize = text.split_inclusive('\n').take(line - 1).map(str::len).sum();
    let body = text[start..].split('\n').next().unwrap_or("");
    let body = body.strip_suffix('\r').unwrap_or(body);
    let key = *keys.last().unwrap_or(&"");
    // The key starts at `column` (1-based; only spaces and "- " before it).
    let mut at = column - 1;
    let rest = &body[at..];
    let quoted = rest.starts_with(['"', '\'']) as usize;
    at += quoted + key.len() + quoted;
    let after_key = &body[at..];
    let Some(after_colon) = after_key.trim_start().strip_prefix(':') else {
        return Err(format!("{rel}:{line} 的 {shown} 格式无法识别"));
    };
    let value_at = body.len() - after_colon.trim_start().len();
    let value = &body[value_at..];
    let (end, quote) = match value.chars().next() {
        None | Some('#') => {
            // `key:` with nothing after it: a mapping when the next line is deeper, else a
            // blank value (as `yingjian new` writes them) that takes the figure.
            let next = text[start..]
                .split('\n')
                .skip(1)
                .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
            if next.is_some_and(|l| l.len() - l.trim_start().len() > column - 1) {
                return Err(format!("{rel}:{line} 的 {shown} 下面是一组数值，不是单个数值"));
            }
            let colon = body.len() - after_colon.len();
            let spaces = value_at - colon;
            let mut out = String::with_capacity(text.len() + new.len() + 1);
            out.push_str(&text[..start + colon]);
            out.push(' ');
            out.push_str(new);
            if !value.is_empty() {
                // The comment keeps its column while there is room.
                out.push_str(&" ".repeat(spaces.saturating_sub(1 + new.chars().count()).max(1)));
            }
            out.push_str(&text[start + value_at..]);
            return Ok(out);
        }
        Some(q @ ('"' | '\'')) => match value[1..].find(q) {
            Some(p) => (value_at + p + 2, Some(q)),
            None => return Err(format!("{rel}:{line} 的 {shown} 引号不完整")),
        },
        Some('{' | '[' | '|' | '>' | '&' | '*' | '!') => {
            return Err(format!("{rel}:{line} 的 {shown} 不是单个数值，请手工修改"));
        }
        Some(_) => {
            let e = value.find(" #").unwrap_or(value.len());
            (value_at + value[..e].trim_end().len(), None)
        }
    };
    let new = match quote {
        Some(q) => format!("{q}{new}{q}"),
        None => new.to_owned(),
    };
    // A trailing comment keeps its column while there is room: the spaces before it absorb
    // the difference in length.
    let tail = &body[end..];
    let spaces = tail.len() - tail.trim_start_matches(' ').len();
    let old_len = body[value_at..end].chars().count();
    let new_len = new.chars().count();
    let gap = if tail.trim_start().starts_with('#') {
        (spaces + old_len).saturating_sub(new_len).max(1)
    } else {
        spaces
    };
    let mut out = String::with_capacity(text.len() + new.len());
    out.push_str(&text[..start + value_at]);
    out.push_str(&new);
    out.push_str(&" ".repeat(gap));
    out.push_str(&text[start + end + spaces..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "# 县\nfinance:\n  education_spending:        # 万元\n    2024: 63480\n    2025: 65920\n  teacher_average_pay: 98650         # 元\nfonds_no: \"042\"   # 全宗号\nrate: 97.6\n";

    #[test]
    fn replaces_only_the_scalar_keeping_comments_and_their_column() {
        // 98650 → 99000: same width, the comment stays in place.
        let t = set_scalar(
            TEXT,
            "content/county.yaml",
            &["finance", "teacher_average_pay"],
            "99000",
        )
        .unwrap();
        assert_eq!(t, TEXT.replace("98650", "99000"));
        // 98650 → 101000 (one character longer): one space fewer before the comment.
        let t = set_scalar(TEXT, "c.yaml", &["finance", "teacher_average_pay"], "101000").unwrap();
        assert_eq!(t, TEXT.replace("98650         # 元", "101000        # 元"));
        // A year key, a quoted scalar (quotes kept) and a value at the end of the file.
        let t = set_scalar(TEXT, "c.yaml", &["finance", "education_spending", "2025"], "66000").unwrap();
        assert_eq!(t, TEXT.replace("2025: 65920", "2025: 66000"));
        let t = set_scalar(TEXT, "c.yaml", &["fonds_no"], "043").unwrap();
        assert_eq!(t, TEXT.replace("\"042\"", "\"043\""));
        let t = set_scalar(TEXT, "c.yaml", &["rate"], "98").unwrap();
        assert_eq!(t, TEXT.replace("97.6", "98"));
        // A blank value takes the figure, its comment kept in its column.
        let blank = "pay:          # 元\nnext:\n";
        let t = set_scalar(blank, "c.yaml", &["pay"], "98650").unwrap();
        assert_eq!(t, "pay: 98650    # 元\nnext:\n");
        assert_eq!(set_scalar("pay:\n", "c.yaml", &["pay"], "1").unwrap(), "pay: 1\n");
        // A mapping and an absent key are refused.
        assert!(set_scalar(TEXT, "c.yaml", &["finance", "education_spending"], "1").is_err());
        assert_eq!(
            set_scalar(TEXT, "c.yaml", &["finance", "civil_servant_average_pay"], "1"),
            Err("c.yaml 中没有 finance.civil_servant_average_pay 一项".to_owned())
        );
        assert_eq!(figure(99000.0), "99000");
    }

    #[test]
    fn adds_an_absent_key_at_the_end_of_its_parent_block() {
        // civil_servant_average_pay goes after the last line of finance (teacher_average_pay),
        // at finance's children's indentation (2).
        let t = set(TEXT, "c.yaml", &["finance", "civil_servant_average_pay"], "97820").unwrap();
        assert_eq!(
            t,
            TEXT.replace("         # 元\n", "         # 元\n  civil_servant_average_pay: 97820\n")
        );
        // A parent that is absent too is added with it, at the end of the file.
        let t = set(TEXT, "c.yaml", &["survey", "all", "valid"], "3000").unwrap();
        assert_eq!(t, format!("{TEXT}survey:\n  all:\n    valid: 3000\n"));
        // A key present is replaced, not added.
        let t = set(TEXT, "c.yaml", &["rate"], "98").unwrap();
        assert_eq!(t, TEXT.replace("97.6", "98"));
        assert_eq!(figure(97.5), "97.5");
    }
}
