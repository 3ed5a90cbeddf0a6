//! What the YAML reader says, in Chinese: serde's and libyaml's English messages are read
//! for their facts (which field, which value, what was expected) and told again with a hint
//! that says what to write. No English library text reaches the user.

use crate::diag::{Diagnostic, Location};

/// One step of the path to a value: a mapping key, a list item, or a key that could not be read.
#[derive(Debug, Clone, PartialEq)]
pub enum Seg {
    Key(String),
    Index(usize),
    Other,
}

impl Seg {
    /// The path serde_path_to_error found a value at.
    pub fn path(p: &serde_path_to_error::Path) -> Vec<Seg> {
        p.iter()
            .map(|s| match s {
                serde_path_to_error::Segment::Map { key } => Seg::Key(key.clone()),
                serde_path_to_error::Segment::Seq { index } => Seg::Index(*index),
                _ => Seg::Other,
            })
            .collect()
    }
}

/// The path as a user reads it: `enrolment.junior_retention`, `tasks 第 2 项的 status`.
pub fn field_name(path: &[Seg]) -> String {
    let mut s = String::new();
    let mut after_item = false;
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if after_item {
                    s += "的 ";
                } else if !s.is_empty() {
                    s.push('.');
                }
                s += k;
                after_item = false;
            }
            Seg::Index(i) => {
                s += &format!(" 第 {} 项", i + 1);
                after_item = true;
            }
            Seg::Other => {}
        }
    }
    s
}

/// What a typed read found wrong, taken from serde's message.
#[derive(Debug, PartialEq)]
pub enum Kind {
    UnknownField {
        name: String,
        expected: Vec<String>,
    },
    MissingField(String),
    /// `invalid type` / `invalid value`: what was written, what was expected (serde's words).
    BadValue {
        found: String,
        expected: String,
    },
    BadChoice {
        value: String,
        choices: Vec<String>,
    },
    /// A message of our own (already Chinese) or one not recognised.
    Other(String),
}

/// The words between backticks: "unknown field `a`, expected one of `b`, `c`" → [a, b, c].
fn ticked(s: &str) -> Vec<String> {
    s.split('`').skip(1).step_by(2).map(str::to_owned).collect()
}

pub fn kind(msg: &str) -> Kind {
    if let Some(rest) = msg.strip_prefix("unknown field ") {
        let mut names = ticked(rest);
        if !names.is_empty() {
            let name = names.remove(0);
            return Kind::UnknownField { name, expected: names };
        }
    }
    if let Some(rest) = msg.strip_prefix("missing field ") {
        return Kind::MissingField(ticked(rest).into_iter().next().unwrap_or_default());
    }
    if let Some(rest) = msg.strip_prefix("unknown variant ") {
        let mut names = ticked(rest);
        if !names.is_empty() {
            let value = names.remove(0);
            return Kind::BadChoice { value, choices: names };
        }
    }
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some(rest) = msg.strip_prefix(prefix)
            && let Some((found, expected)) = rest.rsplit_once(", expected ")
        {
            return Kind::BadValue {
                found: found.to_owned(),
                expected: expected.to_owned(),
            };
        }
    }
    Kind::Other(msg.to_owned())
}

/// `string "95%"` → Some("95%").
pub fn found_string(found: &str) -> Option<&str> {
    found.strip_prefix("string \"").and_then(|r| r.strip_suffix('"'))
}

fn found_words(found: &str) -> String {
    if let Some(s) = found_string(found) {
        return format!("“{s}”");
    }
    let tick = ticked(found);
    match (found.split(' ').next().unwrap_or(""), tick.first()) {
        ("integer" | "floating" | "boolean", Some(v)) => format!("“{v}”"),
        ("unit", _) => "空值".into(),
        ("map", _) => "下一级的若干项".into(),
        ("sequence", _) => "一个列表".into(),
        _ => "这个值".into(),
    }
}

fn expected_words(expected: &str) -> &'static str {
    match expected {
        "f64" | "f32" => "数字",
        "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "usize" | "isize" => "整数",
        "a boolean" => "true 或 false（也可写 是 或 否）",
        "a string" | "a borrowed string" | "a character" => "一段文字",
        "a sequence" => "列表",
        e if e.starts_with("struct ") || e == "a map" => "下一级的若干项（每行“键: 值”）",
        e if e.starts_with("a sequence") || e.starts_with("a tuple") => "列表",
        e if e.starts_with("enum ") => "规定的选项之一",
        _ => "规定格式的值",
    }
}

/// A number as a user might have typed it in a text field: "95%", "52,000", "９５", "95".
fn number_in(s: &str) -> Option<String> {
    let half: String = s
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.',
            c => c,
        })
        .filter(|c| !matches!(c, ',' | '，' | '%' | '％'))
        .collect();
    half.parse::<f64>().ok().map(|_| half)
}

/// What to write instead of `s`; `fraction` (what the field is, an example) for the few fields
/// written as a fraction (0.12), where "12%" must become 0.12, not 12.
fn number_hint(s: &str, fraction: Option<(&str, &str)>) -> String {
    let Some(n) = number_in(s) else {
        return match fraction {
            Some((what, example)) => format!("{what}按小数填写，只填数字，如 {example}"),
            None => "只填数字，不写单位和文字，如 97.5；单位见该项的注释".into(),
        };
    };
    if let Some((what, _)) = fraction
        && s.contains(['%', '％'])
    {
        let v: f64 = n.parse().unwrap_or_default();
        return format!(
            "{what}按小数填写，不写 % 号：{s} 写 {}",
            super::fractions::num(v / 100.0)
        );
    }
    if s.contains(['%', '％']) {
        format!("比例按百分数填写，不写 % 号：写 {n}")
    } else if s.contains([',', '，']) {
        format!("数字不写千位分隔符：写 {n}")
    } else if s.chars().any(|c| ('０'..='９').contains(&c)) {
        format!("请用半角数字：写 {n}")
    } else {
        format!("数字不要加引号：写 {n}")
    }
}

/// The fraction field (0.12, not 12) `path` leads to, if any.
fn fraction_of(path: &[Seg]) -> Option<(&'static str, &'static str)> {
    super::fractions::fraction(path.iter().filter_map(|s| match s {
        Seg::Key(k) => Some(k.as_str()),
        _ => None,
    }))
}

/// The closest of `choices` to `word`, when it is close enough to be a typo.
pub fn did_you_mean<'a>(word: &str, choices: &'a [String]) -> Option<&'a str> {
    crate::suggest::did_you_mean(word, choices.iter().map(String::as_str))
}

/// The diagnostic for a value a typed read rejected at `loc`.
pub fn typed(path: &[Seg], kind: &Kind, loc: Location) -> Diagnostic {
    let field = field_name(path);
    match kind {
        Kind::UnknownField { name, expected } => {
            let parent = field_name(&path[..path.len().saturating_sub(1)]);
            let message = if parent.is_empty() {
                format!("不认识的字段“{name}”")
            } else {
                format!("{parent} 下不认识的字段“{name}”")
            };
            let allowed = if expected.len() <= 12 {
                format!("这一层可写：{}", expected.join("、"))
            } else {
                "可写的字段见 docs/inputs.md".into()
            };
            let hint = match did_you_mean(name, expected) {
                Some(m) => format!("是否想写“{m}”？{allowed}"),
                None => format!("请检查拼写，或删除这一项；{allowed}"),
            };
            Diagnostic::error("yaml-unknown-field", loc, message).with_hint(hint)
        }
        Kind::MissingField(name) => {
            let message = if field.is_empty() {
                format!("缺少必填项“{name}”")
            } else {
                format!("{field} 缺少必填项“{name}”")
            };
            Diagnostic::error("yaml-missing-field", loc, message)
                .with_hint(format!("请补上 {name}: …，格式见 docs/inputs.md"))
        }
        Kind::BadChoice { value, choices } => {
            let mut hint = format!("可选：{}", choices.join("、"));
            if let Some(m) = did_you_mean(value, choices) {
                hint = format!("是否想写“{m}”？{hint}");
            }
            Diagnostic::error("yaml-bad-value", loc, format!("{field} 写的是“{value}”，不是可选的值")).with_hint(hint)
        }
        Kind::BadValue { found, expected } => {
            let want = expected_words(expected);
            let hint = match (want, found_string(found)) {
                ("数字" | "整数", Some(s)) => number_hint(s, fraction_of(path)),
                ("整数", None) => "这里要填整数，不带小数".into(),
                ("true 或 false（也可写 是 或 否）", _) => "写 true 或 false，也可写 是 或 否".into(),
                ("一段文字", _) => "这里只写一段文字；文字中有冒号、# 等符号时请整段加半角引号".into(),
                _ => "请按 docs/inputs.md 中的格式填写".into(),
            };
            Diagnostic::error(
                "yaml-bad-value",
                loc,
                format!(
                    "{field} 应填{}{want}，这里写的是{}",
                    if want.starts_with(|c: char| c.is_ascii()) {
                        " "
                    } else {
                        ""
                    },
                    found_words(found)
                ),
            )
            .with_hint(hint)
        }
        Kind::Other(msg) => {
            // Our own messages are Chinese already; anything else is not shown in English.
            let own = msg.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
            let message = match (own, field.is_empty()) {
                (true, true) => msg.clone(),
                (true, false) => format!("{field}：{msg}"),
                (false, true) => "这个值不合要求".into(),
                (false, false) => format!("{field} 的值不合要求"),
            };
            Diagnostic::error("yaml-bad-value", loc, message).with_hint("请按 docs/inputs.md 中的格式填写")
        }
    }
}

/// libyaml's syntax messages, in Chinese: (message, hint).
pub fn syntax(problem: &str, context: &str) -> (String, String) {
    let quotes = "请检查引号、括号是否成对；含冒号、# 的文字请整段加半角引号";
    if context.contains("quoted scalar") {
        return (
            "这里开始的引号没有成对的另一半".into(),
            "在值的末尾补上同样的半角引号，或去掉开头的引号".into(),
        );
    }
    let (m, h) = match problem {
        p if p.starts_with("duplicate entry with key ") => {
            let key = p.trim_start_matches("duplicate entry with key ").trim_matches('"');
            return (
                format!("键“{key}”重复出现"),
                "同一层级的每个键只能写一次，请合并或删除重复项".into(),
            );
        }
        "could not find expected ':'" => (
            "这一行缺少冒号：每一项应写成“键: 值”",
            "键和值之间用半角冒号加空格；若是上一项的续行，请检查缩进",
        ),
        "mapping values are not allowed in this context" => (
            "这里不能再出现“键: 值”",
            "可能是冒号后缺少空格、缩进不对，或文字里有冒号：含冒号的文字请整段加半角引号",
        ),
        "did not find expected key" | "did not find expected '-' indicator" => {
            ("缩进不一致，这一行与上面的项对不齐", "同一层的项要用相同个数的空格缩进")
        }
        "found unexpected end of stream" => ("文件在引号或括号中间结束了", quotes),
        "did not find expected ',' or '}'" | "did not find expected ',' or ']'" => {
            ("花括号或方括号中的内容不完整", "每项之间用半角逗号分隔，括号要成对")
        }
        "found character that cannot start any token" => (
            "这里有一个不能开头的字符（如 @、` 或制表符）",
            "以 @ 或 ` 开头的文字请整段加半角引号；缩进只能用空格",
        ),
        "found unknown escape character" => (
            "双引号里的反斜杠“\\”无法识别",
            "Windows 路径请改用单引号，或把 \\ 换成 /",
        ),
        "did not find expected node content" => ("这里缺少内容", quotes),
        "found a tab character that violates indentation" => {
            ("缩进中含有制表符（Tab）", "YAML 只能用空格缩进，请把 Tab 换成空格")
        }
        _ => (
            "YAML 格式错误",
            "请检查冒号、缩进和引号是否成对；可先用文本编辑器查看该行",
        ),
    };
    (m.to_owned(), h.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_serde_messages() {
        assert_eq!(
            kind("unknown field `recogniton`, expected one of `county`, `recognition`"),
            Kind::UnknownField {
                name: "recogniton".into(),
                expected: vec!["county".into(), "recognition".into()]
            }
        );
        assert_eq!(
            kind("invalid type: string \"95%\", expected f64"),
            Kind::BadValue {
                found: "string \"95%\"".into(),
                expected: "f64".into()
            }
        );
        assert_eq!(
            kind("unknown variant `省级`, expected one of `市检`, `省检`, `国检`"),
            Kind::BadChoice {
                value: "省级".into(),
                choices: vec!["市检".into(), "省检".into(), "国检".into()]
            }
        );
    }

    #[test]
    fn hints_say_what_to_write() {
        assert_eq!(number_hint("95%", None), "比例按百分数填写，不写 % 号：写 95");
        assert_eq!(number_hint("52,000", None), "数字不写千位分隔符：写 52000");
        assert_eq!(number_hint("９５", None), "请用半角数字：写 95");
        // 校际差异率 is a fraction: 12% is 12 / 100 = 0.12, not 12 (which would fail 0.15).
        let path = [Seg::Key("quality".into()), Seg::Key("inter_school_difference".into())];
        assert_eq!(
            number_hint("12%", fraction_of(&path)),
            "校际差异率按小数填写，不写 % 号：12% 写 0.12"
        );
        let path = [
            Seg::Key("resource".into()),
            Seg::Key("cv_limit".into()),
            Seg::Key("junior".into()),
        ];
        assert_eq!(
            number_hint("45%", fraction_of(&path)),
            "差异系数上限按小数填写，不写 % 号：45% 写 0.45"
        );
        assert_eq!(
            did_you_mean("recogniton", &["county".into(), "recognition".into()]),
            Some("recognition")
        );
        assert_eq!(did_you_mean("zzz", &["county".into()]), None);
        let path = [Seg::Key("tasks".into()), Seg::Index(1), Seg::Key("status".into())];
        assert_eq!(field_name(&path), "tasks 第 2 项的 status");
    }
}
