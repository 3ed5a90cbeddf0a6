//! Edits of a YAML text that keep every other line where it was, so that each later finding
//! is still told at the line the user wrote: full-width punctuation typed with a Chinese
//! input method is reported and repaired, and a value found bad is taken out before the
//! file is read again.

use crate::diag::{Diagnostic, Location};

/// The text as lines of characters, edited in place; never gains or loses a line.
pub struct Lines(pub Vec<Vec<char>>);

impl Lines {
    pub fn new(text: &str) -> Self {
        Lines(text.split('\n').map(|l| l.chars().collect()).collect())
    }

    pub fn text(&self) -> String {
        let lines: Vec<String> = self.0.iter().map(|l| l.iter().collect()).collect();
        lines.join("\n")
    }

    fn indent(line: &[char]) -> usize {
        line.iter().take_while(|c| **c == ' ').count()
    }

    fn is_blank(line: &[char]) -> bool {
        let rest: String = line.iter().skip_while(|c| c.is_whitespace()).collect();
        rest.is_empty() || rest.starts_with('#')
    }

    /// Whether everything before 0-based `col` on `line` is indentation and `- ` markers:
    /// the entry starting there is a block entry, not one inside `{…}` or `[…]`.
    fn starts_block(line: &[char], col: usize) -> bool {
        line[..col.min(line.len())].iter().all(|c| *c == ' ' || *c == '-')
    }

    /// Blanks a block entry starting at 0-based (`line`, `col`) and the lines that belong to
    /// it: deeper ones, and `- ` items at its own indentation (a list may sit under its key).
    fn blank_block(&mut self, line: usize, col: usize) {
        let own_dash = self.0[line][..col].contains(&'-');
        self.0[line].truncate(col);
        while self.0[line].last() == Some(&' ') {
            self.0[line].pop();
        }
        for l in self.0.iter_mut().skip(line + 1) {
            if Self::is_blank(l) {
                continue;
            }
            let ind = Self::indent(l);
            let dash_item = ind == col && !own_dash && l.get(ind) == Some(&'-');
            if ind > col || dash_item {
                l.clear();
            } else {
                break;
            }
        }
    }

    /// End (exclusive) of the flow value or entry starting at `from` on `line`: the next `,`,
    /// `}` or `]` outside quotes and brackets, or the end of the line.
    fn flow_end(line: &[char], from: usize) -> usize {
        let mut depth = 0i32;
        let mut quote: Option<char> = None;
        let mut i = from;
        while i < line.len() {
            let c = line[i];
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None => match c {
                    '"' | '\'' => quote = Some(c),
                    '{' | '[' => depth += 1,
                    '}' | ']' if depth == 0 => return i,
                    '}' | ']' => depth -= 1,
                    ',' if depth == 0 => return i,
                    '#' if i > 0 && line[i - 1] == ' ' => return i,
                    _ => {}
                },
            }
            i += 1;
        }
        line.len()
    }

    /// Blanks a flow entry (or flow list item) starting at 0-based (`line`, `col`), with the
    /// comma that separates it from its neighbour.
    fn blank_flow(&mut self, line: usize, col: usize) {
        let l = &mut self.0[line];
        let mut end = Self::flow_end(l, col);
        let mut start = col;
        if l.get(end) == Some(&',') {
            end += 1;
        } else if let Some(p) = l[..col].iter().rposition(|c| *c != ' ')
            && l[p] == ','
        {
            start = p;
        }
        for c in &mut l[start..end] {
            *c = ' ';
        }
    }

    /// Takes out the mapping entry whose key starts at 0-based (`line`, `col`).
    pub fn remove_entry(&mut self, line: usize, col: usize) {
        if line >= self.0.len() {
            return;
        }
        let col = col.min(self.0[line].len());
        if Self::starts_block(&self.0[line], col) {
            self.blank_block(line, col);
        } else {
            self.blank_flow(line, col);
        }
    }

    /// Where the key `key` of the entry holding 0-based (`line`, `col`) starts: on that line
    /// before `col`, else the nearest line above that begins with it.
    pub fn key_start(&self, line: usize, col: usize, key: &str) -> Option<(usize, usize)> {
        let key: Vec<char> = key.chars().collect();
        let is_key_at = |l: &[char], at: usize| {
            let mut i = at;
            if matches!(l.get(i), Some('"' | '\'')) {
                i += 1;
            }
            if l.len() < i + key.len() || l[i..i + key.len()] != key[..] {
                return false;
            }
            i += key.len();
            if matches!(l.get(i), Some('"' | '\'')) {
                i += 1;
            }
            while l.get(i) == Some(&' ') {
                i += 1;
            }
            l.get(i) == Some(&':')
        };
        let here = self.0.get(line)?;
        let upto = col.min(here.len());
        if let Some(at) = (0..=upto)
            .rev()
            .find(|&at| is_key_at(here, at) && (at == 0 || matches!(here[at - 1], ' ' | '{' | ',' | '-')))
        {
            return Some((line, at));
        }
        (0..line).rev().take(200).find_map(|i| {
            let l = &self.0[i];
            let mut at = Self::indent(l);
            while l.get(at) == Some(&'-') && l.get(at + 1) == Some(&' ') {
                at += 2;
                while l.get(at) == Some(&' ') {
                    at += 1;
                }
            }
            is_key_at(l, at).then_some((i, at))
        })
    }

    /// Takes out the list item holding 0-based (`line`, `col`).
    pub fn remove_item(&mut self, line: usize, col: usize) {
        let Some(l) = self.0.get(line) else { return };
        let col = col.min(l.len());
        // A flow item: back to the `[` or `,` that opens it.
        let mut depth = 0i32;
        for i in (0..col).rev() {
            match l[i] {
                '}' | ']' => depth += 1,
                '{' if depth > 0 => depth -= 1,
                '[' if depth > 0 => depth -= 1,
                '[' | ',' if depth == 0 => {
                    let start = (i + 1..l.len()).find(|&j| l[j] != ' ').unwrap_or(col);
                    self.blank_flow(line, start);
                    return;
                }
                _ => {}
            }
        }
        // A block item: the `- ` on this line or the nearest one above, less indented.
        let target = (0..=line).rev().take(200).find_map(|i| {
            let l = &self.0[i];
            let ind = Self::indent(l);
            let limit = if i == line { col } else { usize::MAX };
            (l.get(ind) == Some(&'-') && ind < limit && matches!(l.get(ind + 1), None | Some(' '))).then_some((i, ind))
        });
        if let Some((i, ind)) = target {
            self.0[i].truncate(ind);
            for l in self.0.iter_mut().skip(i + 1) {
                if Self::is_blank(l) {
                    continue;
                }
                if Self::indent(l) > ind {
                    l.clear();
                } else {
                    break;
                }
            }
        }
    }

    /// Replaces the scalar starting at 0-based (`line`, `col`) with `with`.
    pub fn replace_scalar(&mut self, line: usize, col: usize, with: &str) {
        let Some(l) = self.0.get_mut(line) else { return };
        if col >= l.len() {
            return;
        }
        let end = match l[col] {
            q @ ('"' | '\'') => l[col + 1..]
                .iter()
                .position(|c| *c == q)
                .map_or(l.len(), |p| col + p + 2),
            _ if Self::starts_block(l, col) || !l[..col].iter().any(|c| matches!(c, '{' | '[')) => {
                let mut e = l.len();
                if let Some(p) = (col + 1..l.len()).find(|&i| l[i] == '#' && l[i - 1] == ' ') {
                    e = p;
                }
                while e > col && l[e - 1] == ' ' {
                    e -= 1;
                }
                e
            }
            _ => Self::flow_end(l, col),
        };
        l.splice(col..end, with.chars());
    }
}

/// Full-width punctuation where YAML needs its ASCII form, as a Chinese input method types
/// it: a colon after a key, a space in the indentation or after a colon, quotes around a
/// value. Each is reported at its own line and repaired, so the rest of the file is read.
pub fn full_width(rel: &str, lines: &mut Lines) -> Vec<Diagnostic> {
    let mut out = vec![];
    for (n, line) in lines.0.iter_mut().enumerate() {
        let at = |col: usize| Location::line(rel, n + 1, col + 1);
        let ind = line.iter().take_while(|c| **c == ' ' || **c == '\u{3000}').count();
        if line[..ind].contains(&'\u{3000}') {
            out.push(
                Diagnostic::error("yaml-fullwidth", at(0), "缩进里有全角空格“\u{3000}”")
                    .with_hint("YAML 只认半角空格：把这一行开头的全角空格换成两个半角空格（关闭中文输入法的全角模式）"),
            );
            let fixed: Vec<char> = line[..ind]
                .iter()
                .flat_map(|c| if *c == ' ' { vec![' '] } else { vec![' ', ' '] })
                .collect();
            line.splice(..ind, fixed);
        }
        let mut body = Lines::indent(line);
        while line.get(body) == Some(&'-') && line.get(body + 1) == Some(&' ') {
            body += 2;
        }
        // The key: letters, digits, `_` or `-`, perhaps quoted; keys in these files are ASCII.
        let mut k = body;
        if matches!(line.get(k), Some('"' | '\'')) {
            k += 1;
        }
        let key_from = k;
        while line
            .get(k)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        {
            k += 1;
        }
        if matches!(line.get(k), Some('"' | '\'')) && k > key_from {
            k += 1;
        }
        let key: String = line[body..k].iter().collect();
        if k > key_from && line.get(k) == Some(&'：') {
            out.push(
                Diagnostic::error("yaml-fullwidth", at(k), format!("“{key}”后面用了全角冒号“：”")).with_hint(format!(
                    "键和值之间要用半角冒号加空格，写成 {key}: …（切换到英文标点再输入冒号）"
                )),
            );
            line[k] = ':';
            if line.get(k + 1).is_some_and(|c| *c != ' ' && *c != '\u{3000}') {
                line.insert(k + 1, ' ');
            }
        }
        if k > key_from && line.get(k) == Some(&':') && line.get(k + 1) == Some(&'\u{3000}') {
            out.push(
                Diagnostic::error("yaml-fullwidth", at(k + 1), format!("“{key}:”后面是全角空格“\u{3000}”"))
                    .with_hint("冒号后要用半角空格（关闭中文输入法的全角模式再输入空格）"),
            );
            line[k + 1] = ' ';
        }
        // A value wrapped in full-width quotes would keep the quotes as part of the text.
        if k > key_from && line.get(k) == Some(&':') {
            let v = (k + 1..line.len()).find(|&i| line[i] != ' ');
            if let Some(v) = v
                && matches!(line[v], '“' | '‘')
            {
                let close = if line[v] == '“' { '”' } else { '’' };
                let end = (v + 1..line.len())
                    .find(|&i| line[i] == '#' && line[i - 1] == ' ')
                    .unwrap_or(line.len());
                let last = (v + 1..end).rev().find(|&i| line[i] != ' ');
                if let Some(last) = last.filter(|&l| line[l] == close) {
                    let (open, inner): (char, String) = (line[v], line[v + 1..last].iter().collect());
                    out.push(
                        Diagnostic::warning(
                            "yaml-fullwidth",
                            at(v),
                            format!("“{key}”的值两边是全角引号“{open}{close}”，已去掉引号按“{inner}”读取"),
                        )
                        .with_hint(format!(
                            "YAML 的引号要用半角 \" 或 '，普通文字也可以不加引号：写成 {key}: {inner}"
                        )),
                    );
                    line[v] = ' ';
                    line[last] = ' ';
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(text: &str, f: impl FnOnce(&mut Lines)) -> String {
        let mut l = Lines::new(text);
        f(&mut l);
        l.text()
    }

    #[test]
    fn removes_block_and_flow_entries_keeping_lines() {
        let t = "a: 1\nb:\n  c: 2\n  d: [x, y]\ne: 3\n";
        assert_eq!(edit(t, |l| l.remove_entry(1, 0)), "a: 1\n\n\n\ne: 3\n");
        assert_eq!(edit(t, |l| l.remove_entry(2, 2)), "a: 1\nb:\n\n  d: [x, y]\ne: 3\n");
        let f = "v: {V1: {present: 是, note: x}}\n";
        assert_eq!(edit(f, |l| l.remove_entry(0, 9)), "v: {V1: {            note: x}}\n");
        assert_eq!(edit(f, |l| l.remove_entry(0, 21)), "v: {V1: {present: 是         }}\n");
    }

    #[test]
    fn removes_list_items() {
        let t = "tasks:\n  - task: a\n    due: b\n  - task: c\n";
        assert_eq!(edit(t, |l| l.remove_item(2, 4)), "tasks:\n  \n\n  - task: c\n");
        assert_eq!(edit("l: [a, 12, b]\n", |l| l.remove_item(0, 7)), "l: [a,     b]\n");
    }

    #[test]
    fn finds_keys_and_replaces_scalars() {
        let l = Lines::new("veto:\n  V1: {present: 是}\n");
        assert_eq!(l.key_start(1, 16, "present"), Some((1, 7)));
        assert_eq!(l.key_start(1, 16, "V1"), Some((1, 2)));
        assert_eq!(
            edit("flag: 是  # 注释\n", |l| l.replace_scalar(0, 6, "true")),
            "flag: true  # 注释\n"
        );
        assert_eq!(
            edit("v: {p: 否, n: 1}\n", |l| l.replace_scalar(0, 7, "false")),
            "v: {p: false, n: 1}\n"
        );
    }

    #[test]
    fn full_width_punctuation_is_told_and_repaired() {
        let mut l = Lines::new("status：未开始\n\u{3000}note: a\ncounty: “测试县”\n");
        let d = full_width("content/tasks.yaml", &mut l);
        assert_eq!(l.text(), "status: 未开始\n  note: a\ncounty:  测试县 \n");
        let at: Vec<&str> = d.iter().map(|d| d.at.as_str()).collect();
        assert_eq!(
            at,
            [
                "content/tasks.yaml:1:7",
                "content/tasks.yaml:2:1",
                "content/tasks.yaml:3:9"
            ]
        );
    }
}
