//! YAML files: typed parsing with located errors, and finding where a key or value sits.

use serde::de::DeserializeOwned;
use std::path::Path;

use super::yaml_fix::{self, Lines};
use super::yaml_msg::{self, Kind, Seg, field_name};
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::model::CharOrigins;

/// A YAML file read from the workspace, kept for locating later findings.
pub struct YamlFile {
    pub rel: String,
    pub text: String,
    /// Byte offset of each line's start, made on the first lookup by line.
    starts: std::sync::OnceLock<Vec<usize>>,
}

/// Reads and parses `rel` under `root`. `Ok(None)` when the file does not exist.
/// Duplicate keys anywhere in the document are rejected.
pub fn read<T: DeserializeOwned>(
    root: &Path,
    rel: &str,
    diags: &mut Diagnostics,
    chars: &mut CharOrigins,
) -> Option<(T, YamlFile)> {
    read_filling(root, rel, &[], diags, chars).map(|(v, file, _)| (v, file))
}

/// As [`read`], but a required top-level field that is missing or was taken out for a bad
/// value is read as its stand-in from `fill` (after being reported), so the file's other
/// fields are kept; the names filled in are returned.
pub fn read_filling<T: DeserializeOwned>(
    root: &Path,
    rel: &str,
    fill: &[(&str, &str)],
    diags: &mut Diagnostics,
    chars: &mut CharOrigins,
) -> Option<(T, YamlFile, Vec<String>)> {
    let path = root.join(rel);
    if !path.exists() {
        return None;
    }
    let text = super::text::read(root, rel, diags, chars)?;
    let file = YamlFile::new(rel, text);
    if let Some(d) = super::yaml_depth::too_deep(&file.rel, &file.text) {
        diags.push(d);
        return None;
    }
    // A file holding only comments counts as absent.
    if serde_yaml::from_str::<serde_yaml::Value>(&file.text).is_ok_and(|v| v.is_null()) {
        return None;
    }
    let mut filled = vec![];
    let v = parse_filling(&file, fill, &mut filled, diags)?;
    Some((v, file, filled))
}

pub fn parse<T: DeserializeOwned>(file: &YamlFile, diags: &mut Diagnostics) -> Option<T> {
    if let Some(d) = super::yaml_depth::too_deep(&file.rel, &file.text) {
        diags.push(d);
        return None;
    }
    parse_filling(file, &[], &mut vec![], diags)
}

fn parse_filling<T: DeserializeOwned>(
    file: &YamlFile,
    fill: &[(&str, &str)],
    filled: &mut Vec<String>,
    diags: &mut Diagnostics,
) -> Option<T> {
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
    let mut lines = Lines::new(&file.text);
    for d in yaml_fix::full_width(&file.rel, &mut lines) {
        diags.push(d);
    }
    // A first pass into a generic value rejects duplicate keys, which typed maps would silently merge.
    let text = lines.text();
    let value = match serde_yaml::from_str::<serde_yaml::Value>(&text) {
        Ok(v) => v,
        Err(e) => {
            diags.push(yaml_error(file, &e));
            return None;
        }
    };
    // `.nan` and `.inf` read as numbers a typed field would take: errors at the value.
    for d in super::yaml_finite::errors(&file.rel, &text, &value) {
        diags.push(d);
    }
    typed(file, lines, fill, filled, diags)
}

/// `是` / `否` where a boolean is expected.
fn yes_no(s: &str) -> Option<&'static str> {
    match s.trim() {
        "是" | "对" => Some("true"),
        "否" | "不是" => Some("false"),
        _ => None,
    }
}

/// serde's message without the path serde_yaml puts before it and the position after it.
fn core_message(raw: &str) -> String {
    const KNOWN: [&str; 6] = [
        "unknown field ",
        "missing field ",
        "unknown variant ",
        "invalid type: ",
        "invalid value: ",
        "invalid length ",
    ];
    let mut msg = match KNOWN.iter().filter_map(|k| raw.find(k)).min() {
        Some(i) => &raw[i..],
        None => match raw.split_once(": ") {
            Some((path, rest)) if !path.contains(' ') => rest,
            _ => raw,
        },
    };
    if let Some(i) = msg.rfind(" at line ") {
        msg = &msg[..i];
    }
    msg.to_owned()
}

/// Reads `T`, reporting every value it cannot take: each bad value is reported at its line and
/// taken out of the text, and the text is read again, so the valid fields of the file are kept.
/// `None` only when what is left still cannot make a `T` (a required field is missing that
/// `fill` has no stand-in for).
fn typed<T: DeserializeOwned>(
    file: &YamlFile,
    mut lines: Lines,
    fill: &[(&str, &str)],
    filled: &mut Vec<String>,
    diags: &mut Diagnostics,
) -> Option<T> {
    let rel = file.rel.as_str();
    let mut removed: Vec<String> = vec![];
    let mut items = TakenOut::default();
    let mut seen = std::collections::HashSet::new();
    for _ in 0..1000 {
        let text = lines.text();
        let err = match serde_path_to_error::deserialize::<_, T>(serde_yaml::Deserializer::from_str(&text)) {
            Ok(v) => return Some(v),
            Err(e) => e,
        };
        let path = items.as_written(Seg::path(err.path()));
        let (line, col) = err.inner().location().map_or((1, 1), |l| (l.line(), l.column()));
        let core = core_message(&err.inner().to_string());
        if !seen.insert((format!("{path:?}"), line, col, core.clone())) {
            return None;
        }
        let (line, col) = (line.max(1), col.max(1));
        let (l0, c0) = (line - 1, col - 1);
        let kind = yaml_msg::kind(&core);
        if let Kind::BadValue { found, expected } = &kind
            && expected == "a boolean"
            && let Some(b) = yaml_msg::found_string(found).and_then(yes_no)
        {
            lines.replace_scalar(l0, c0, b);
            continue;
        }
        let key_at = |k: &str| lines.key_start(l0, c0, k);
        match (&kind, path.last()) {
            (Kind::MissingField(name), last) => {
                let full = field_name(&[path.clone(), vec![Seg::Key(name.clone())]].concat());
                let at = match last {
                    Some(Seg::Key(k)) => key_at(k).map(|(l, c)| Location::line(rel, l + 1, c + 1)),
                    Some(_) => Some(Location::line(rel, line, col)),
                    None => Some(Location::file(rel)),
                };
                if !removed.contains(&full) {
                    diags.push(yaml_msg::typed(&path, &kind, at.unwrap_or_else(|| Location::file(rel))));
                }
                removed.push(field_name(&path));
                match last {
                    Some(Seg::Index(_)) => {
                        lines.remove_item(l0, c0);
                        items.note(&path);
                    }
                    Some(Seg::Key(k)) => match key_at(k) {
                        Some((l, c)) => lines.remove_entry(l, c),
                        None => return None,
                    },
                    None => match fill.iter().find(|(k, _)| k == name) {
                        // Appended as a last top-level line: no line the user wrote moves.
                        Some((k, v)) if !filled.iter().any(|f| f == k) => {
                            lines.0.push(format!("{k}: {v}").chars().collect());
                            filled.push((*k).to_owned());
                        }
                        _ => return None,
                    },
                    _ => return None,
                }
            }
            (Kind::UnknownField { .. }, _) => {
                diags.push(yaml_msg::typed(&path, &kind, Location::line(rel, line, col)));
                lines.remove_entry(l0, c0);
            }
            (_, last) => {
                let at = value_location(file, &core, &kind, line, col);
                // serde_yaml may place the error at the mapping, before the key: look for the
                // key from the value found, then from the place given.
                let found_at = match &at {
                    Location::Line { line, column, .. } => Some((line - 1, column - 1)),
                    _ => None,
                };
                diags.push(yaml_msg::typed(&path, &kind, at));
                removed.push(field_name(&path));
                let key_at = |k: &str| {
                    found_at
                        .and_then(|(l, c)| lines.key_start(l, c, k))
                        .or_else(|| key_at(k))
                };
                match last {
                    Some(Seg::Index(_)) => {
                        lines.remove_item(l0, c0);
                        items.note(&path);
                    }
                    Some(Seg::Key(k)) => match key_at(k) {
                        Some((l, c)) => lines.remove_entry(l, c),
                        None => return None,
                    },
                    Some(Seg::Other) => lines.remove_entry(l0, c0),
                    None => return None,
                }
            }
        }
        // An edit must leave a readable file; if not, what was reported stands alone.
        if serde_yaml::from_str::<serde_yaml::Value>(&lines.text()).is_err() {
            return None;
        }
    }
    None
}

/// List items taken out of the text so far, each as its list's path and its number in the file
/// as written: later findings are told in that numbering, not the edited text's.
#[derive(Default)]
struct TakenOut(Vec<(Vec<Seg>, usize)>);

impl TakenOut {
    fn as_written(&self, path: Vec<Seg>) -> Vec<Seg> {
        let mut out: Vec<Seg> = Vec::with_capacity(path.len());
        for seg in path {
            let seg = match seg {
                Seg::Index(mut i) => {
                    let mut gone: Vec<usize> = self.0.iter().filter(|(p, _)| *p == out).map(|(_, n)| *n).collect();
                    gone.sort_unstable();
                    for n in gone {
                        if n <= i {
                            i += 1;
                        }
                    }
                    Seg::Index(i)
                }
                other => other,
            };
            out.push(seg);
        }
        out
    }

    /// `path` (as written) ends at an item that was taken out.
    fn note(&mut self, path: &[Seg]) {
        if let Some((Seg::Index(i), list)) = path.split_last() {
            self.0.push((list.to_vec(), *i));
        }
    }
}

/// Errors raised after a value was read as text (our own, quoting it “…”, and enum choices)
/// are placed by serde_yaml at the key or the mapping: point at the value itself.
fn value_location(file: &YamlFile, core: &str, kind: &Kind, line: usize, col: usize) -> Location {
    let rel = file.rel.as_str();
    let value = match kind {
        Kind::BadChoice { value, .. } => Some(value.as_str()),
        Kind::BadValue { found, .. } => yaml_msg::found_string(found),
        _ => core.split('“').nth(1).and_then(|r| r.split('”').next()),
    };
    let Some(value) = value.filter(|v| !v.is_empty()) else {
        return Location::line(rel, line, col);
    };
    for (i, l) in file.text.lines().enumerate().skip(line - 1).take(50) {
        // On the reported line, only at or after the reported column.
        let from = if i + 1 == line {
            l.char_indices().nth(col - 1).map_or(l.len(), |(b, _)| b)
        } else {
            0
        };
        if let Some(b) = l[from..].find(value) {
            return Location::line(rel, i + 1, l[..from + b].chars().count() + 1);
        }
    }
    Location::line(rel, line, col)
}

/// A syntax error (or a duplicate key), in Chinese, at the line the user must edit.
pub fn yaml_error(file: &YamlFile, e: &serde_yaml::Error) -> Diagnostic {
    let rel = file.rel.as_str();
    let mut loc = match e.location() {
        Some(l) => Location::line(rel, l.line(), l.column()),
        None => Location::file(rel),
    };
    let raw = e.to_string();
    let (problem, context) = match raw.split_once(", while ") {
        Some((p, c)) => (p, c),
        None => (raw.as_str(), ""),
    };
    let problem = problem.find(" at line ").map_or(problem, |i| &problem[..i]);
    if problem.starts_with("recursion limit exceeded") {
        return super::yaml_depth::library_limit(loc);
    }
    // A key without its colon, an unclosed quote: libyaml notices on a later line, but the
    // line to edit is where the key or the quote starts.
    if (context.starts_with("scanning a simple key") || context.starts_with("scanning a quoted scalar"))
        && let Some((_, mark)) = context.split_once(" at line ")
        && let Some((l, c)) = mark.split_once(" column ")
        && let (Ok(l), Ok(c)) = (l.trim().parse(), c.trim().parse())
    {
        loc = Location::line(rel, l, c);
    }
    // serde_yaml places a duplicate key at its mapping; point at the repeated key instead.
    if let Some(key) = problem
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
    let (message, hint) = yaml_msg::syntax(problem, context);
    Diagnostic::error("yaml-syntax", loc, message).with_hint(hint)
}

impl YamlFile {
    pub fn new(rel: impl Into<String>, text: impl Into<String>) -> Self {
        let (rel, text) = (rel.into(), text.into());
        let starts = std::sync::OnceLock::new();
        YamlFile { rel, text, starts }
    }

    /// The text from the start of 1-based `line` on (empty past the end), found without
    /// scanning the lines before it: 20 000 tasks each looked up from the top took 39 s.
    fn from_line(&self, line: usize) -> &str {
        let starts = self.starts.get_or_init(|| {
            let breaks = self.text.match_indices('\n').map(|(i, _)| i + 1);
            std::iter::once(0).chain(breaks).collect()
        });
        let at = starts.get(line.saturating_sub(1)).copied().unwrap_or(self.text.len());
        &self.text[at..]
    }

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
        let first = from_line.max(1) - 1;
        for (i, line) in self
            .from_line(from_line)
            .lines()
            .enumerate()
            .map(|(i, l)| (i + first, l))
        {
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
        self.locate_items(key)
            .into_iter()
            .nth(n)
            .unwrap_or_else(|| Location::file(&self.rel))
    }

    /// Every item of the top-level list under `key`, in order, found in one pass over the
    /// text (finding each item from the top made 20 000 tasks take 42 s).
    pub fn locate_items(&self, key: &str) -> Vec<Location> {
        let start = match self.locate_key(&[key]) {
            Location::Line { line, .. } => line,
            _ => return vec![],
        };
        let mut item_indent = None;
        let mut found = vec![];
        for (i, line) in self.text.lines().enumerate().skip(start) {
            let trimmed = line.trim_start();
            if !trimmed.starts_with("- ") && trimmed != "-" {
                continue;
            }
            let indent = line.len() - trimmed.len();
            if *item_indent.get_or_insert(indent) == indent {
                found.push(Location::line(&self.rel, i + 1, indent + 1));
            }
        }
        found
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
        YamlFile::new("content/scores.yaml", text)
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
    fn mangled_configs_never_panic() {
        // Every line of a filled config, broken in the ways hurried typing breaks it.
        let base = "county: 测试县\nyear: 2026\nlevel: 市检\ntoday: 2026-11-20\nveto: {V1: {present: 是, note: x}}\nenrolment:\n  junior_retention: 95\nevidence:\n  shared_boxes:\n  - [A14, A15]\n";
        let lines: Vec<&str> = base.lines().collect();
        for (n, _) in lines.iter().enumerate() {
            for bad in [
                "：",
                " {",
                "\"",
                "- ",
                ": x: y",
                "[1, ",
                "　",
                "是",
                "}",
                "\n  zz: 1",
                ",,",
            ] {
                for at in [0usize, 2, 5, 100] {
                    let mut l: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
                    let line: Vec<char> = l[n].chars().collect();
                    let at = at.min(line.len());
                    l[n] = format!(
                        "{}{bad}{}",
                        line[..at].iter().collect::<String>(),
                        line[at..].iter().collect::<String>()
                    );
                    let f = YamlFile::new("content/county.yaml", l.join("\n"));
                    let mut d = Diagnostics::default();
                    let _ = parse::<crate::model::CountyConfig>(&f, &mut d);
                }
            }
        }
    }

    #[test]
    fn bad_values_are_reported_and_the_rest_kept() {
        let f = file(
            "county: 测试县\nyear: 2026\nlevel: 市检\ntoday: 2026-11-20\nrecognition: 90%\nenrolment: {junior_retention: 96, zoned_primary: 是}\nteachers:\n  training_360_rate: 98\n  rotaton_count: 3\n",
        );
        let mut d = Diagnostics::default();
        // `recognition: 90%` value at 5:14; `zoned_primary: 是` (是 is not a number) at 6:50,
        // after `enrolment: {` (12) + `junior_retention: 96, ` (22) + `zoned_primary: ` (15).
        let c: crate::model::CountyConfig = parse(&f, &mut d).expect("kept");
        let at: Vec<(&str, &str)> = d.as_slice().iter().map(|d| (d.code, d.at.as_str())).collect();
        assert_eq!(
            at,
            [
                ("yaml-bad-value", "content/scores.yaml:5:14"),
                ("yaml-bad-value", "content/scores.yaml:6:50"),
                ("yaml-unknown-field", "content/scores.yaml:9:3"),
            ]
        );
        assert_eq!(
            (c.recognition, c.enrolment.junior_retention, c.enrolment.zoned_primary),
            (None, Some(96.0), None)
        );
        assert_eq!(c.teachers.training_360_rate, Some(98.0));
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
