//! 变更说明: what changed since the previous build — figures, verdicts, outputs, reprints.

use serde_json::Value;
use std::fmt::Write;

use crate::model::profile::Scope;
use crate::model::{ResourceKey, RuleId};

/// Compares the previous 评估结果.json (if any) with the new one. Returns the lines of figure
/// and verdict changes.
pub fn figure_changes(old: &Value, new: &Value) -> Vec<String> {
    let mut out = vec![];
    for (stage, label) in [("primary", "小学"), ("junior", "初中")] {
        for key in ResourceKey::ALL {
            let get = |v: &Value| v["resource"][stage]["cv"][key.id()].as_f64();
            let (a, b) = (get(old), get(new));
            if let (Some(a), Some(b)) = (a, b) {
                if format!("{a:.3}") != format!("{b:.3}") {
                    out.push(format!("{label} {} 差异系数 {a:.3} → {b:.3}", key.label()));
                }
            } else if a != b {
                out.push(format!("{label} {} 差异系数 {} → {}", key.label(), show(a), show(b)));
            }
        }
    }
    let indicators = |v: &Value| -> Vec<Value> { v["indicators"].as_array().cloned().unwrap_or_default() };
    let before = indicators(old);
    for i in indicators(new) {
        let id = i["id"].as_str().unwrap_or("");
        let Some(was) = before.iter().find(|w| w["id"] == id) else {
            continue;
        };
        let (a, b) = (
            was["verdict"].as_str().unwrap_or(""),
            i["verdict"].as_str().unwrap_or(""),
        );
        if a == b {
            continue;
        }
        // The cause: the reasons the new verdict has and the old one had not.
        let old_reasons: Vec<&Value> = was["reasons"].as_array().into_iter().flatten().collect();
        let cause: Vec<&str> = i["reasons"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|r| !old_reasons.contains(r))
            .filter_map(Value::as_str)
            .take(3)
            .collect();
        let cause = if cause.is_empty() {
            String::new()
        } else {
            format!("（{}）", cause.join("；"))
        };
        out.push(format!(
            "{id} {}：{} → {}{cause}",
            i["name"].as_str().unwrap_or(""),
            label(a),
            label(b)
        ));
    }
    // County-level rules (两个只增不减 and the like) that flipped, with their reasons.
    let empty = serde_json::Map::new();
    for (rule, check) in new["checks"].as_object().unwrap_or(&empty) {
        let was = &old["checks"][rule];
        let county = RuleId::parse(rule).is_some_and(|r| r.scope() == Scope::County);
        if !county || was.is_null() || was["verdict"] == check["verdict"] {
            continue;
        }
        let mut why: Vec<&str> = check["reasons"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .take(2)
            .collect();
        if why.is_empty() {
            why.push(check["summary"].as_str().unwrap_or(""));
        }
        out.push(format!(
            "县级数据：{} → {}（{}）",
            label(was["verdict"].as_str().unwrap_or("")),
            label(check["verdict"].as_str().unwrap_or("")),
            why.join("；")
        ));
    }
    let b = |v: &Value| v["b_total"].as_f64();
    if b(old).is_some() && b(old) != b(new) {
        out.push(format!("B 类指标得分 {} → {}", show(b(old)), show(b(new))));
    }
    let overall = |v: &Value| v["overall"]["verdict"].as_str().unwrap_or("").to_owned();
    if !overall(old).is_empty() && overall(old) != overall(new) {
        out.push(format!("总体结论：{} → {}", label(&overall(old)), label(&overall(new))));
    }
    out
}

fn show(v: Option<f64>) -> String {
    v.map(crate::rules::fmt_num).unwrap_or_else(|| "待核实".into())
}

fn label(v: &str) -> &str {
    match v {
        "met" => "达标",
        "not_met" => "未达标",
        "pending" => "待核实",
        other => other,
    }
}

/// Per school-stage, what the rules computed and concluded, at the precision outputs show it:
/// the seven resource values, the seven-item pass, every per-school finding.
pub fn school_changes(old: &Value, new: &Value) -> Vec<String> {
    let mut out = vec![];
    for (stage, label_) in [("primary", "小学"), ("junior", "初中")] {
        let schools =
            |v: &Value| -> Vec<Value> { v["resource"][stage]["schools"].as_array().cloned().unwrap_or_default() };
        let before = schools(old);
        for s in schools(new) {
            let Some(was) = before.iter().find(|w| w["code"] == s["code"]) else {
                continue;
            };
            let name = format!("{}（{label_}）", s["name"].as_str().unwrap_or(""));
            for key in ResourceKey::ALL {
                let shown = |v: &Value| {
                    v["values"][key.id()].as_f64().map(|x| {
                        if key == ResourceKey::EquipmentValue {
                            format!("{x:.0}")
                        } else {
                            format!("{x:.2}")
                        }
                    })
                };
                let (a, b) = (shown(was), shown(&s));
                if a != b {
                    out.push(format!(
                        "{name}{}：{} → {} {}",
                        key.label(),
                        a.unwrap_or_else(|| "—".into()),
                        b.unwrap_or_else(|| "—".into()),
                        key.unit()
                    ));
                }
            }
            let pass = |v: &Value| match v["pass"].as_bool() {
                Some(true) => "达标",
                Some(false) => "未达标",
                None => "待核实",
            };
            if pass(was) != pass(&s) {
                out.push(format!("{name}资源配置各项：{} → {}", pass(was), pass(&s)));
            }
        }
    }
    let empty = serde_json::Map::new();
    for (rule, check) in new["checks"].as_object().unwrap_or(&empty) {
        let what = check["summary"].as_str().unwrap_or("").split('：').next().unwrap_or("");
        let before: Vec<Value> = old["checks"][rule]["schools"].as_array().cloned().unwrap_or_default();
        for f in check["schools"].as_array().into_iter().flatten() {
            let Some(was) = before
                .iter()
                .find(|w| w["code"] == f["code"] && w["stage"] == f["stage"])
            else {
                continue;
            };
            let stage = match f["stage"].as_str() {
                Some("primary") => "（小学）",
                Some("junior") => "（初中）",
                _ => "",
            };
            let name = format!("{}{stage} {what}", f["name"].as_str().unwrap_or(""));
            if was["measured"] != f["measured"] {
                out.push(format!(
                    "{name}：{} → {}",
                    was["measured"].as_str().unwrap_or(""),
                    f["measured"].as_str().unwrap_or("")
                ));
            }
            if was["verdict"] != f["verdict"] {
                out.push(format!(
                    "{name}：{} → {}",
                    label(was["verdict"].as_str().unwrap_or("")),
                    label(f["verdict"].as_str().unwrap_or(""))
                ));
            }
        }
    }
    out
}

/// County totals: schools, and per stage pupils, classes and teachers.
pub fn total_changes(old: &Value, new: &Value) -> Vec<String> {
    let mut out = vec![];
    let figure = |v: &Value, path: &[&str]| path.iter().fold(v, |v, k| &v[*k]).as_f64();
    let mut rows: Vec<(String, Vec<&str>, &str)> = vec![("学校".into(), vec!["summary", "schools"], "所")];
    for (stage, label_) in [("primary", "小学"), ("junior", "初中")] {
        for (field, what, unit) in [
            ("students", "在校生", "人"),
            ("classes", "班级", "个"),
            ("teachers", "专任教师", "人"),
        ] {
            rows.push((format!("{label_}{what}"), vec!["summary", stage, field], unit));
        }
    }
    for (what, path, unit) in rows {
        let (a, b) = (figure(old, &path), figure(new, &path));
        if a.is_some() && a != b {
            out.push(format!("全县{what}：{} → {} {unit}", show(a), show(b)));
        }
    }
    out
}

/// Everything that moved, by kind, in the order the report lists them.
#[derive(Debug, Default)]
pub struct Changes {
    /// Input cells and values, added and removed schools and evidence items.
    pub inputs: Vec<String>,
    /// Per school-stage values and verdicts.
    pub schools: Vec<String>,
    pub totals: Vec<String>,
    /// CVs, indicator verdicts (with their cause), B total, overall.
    pub figures: Vec<String>,
    /// Pages to reprint of each rewritten PDF.
    pub pages: Vec<String>,
}

impl Changes {
    /// Every changed input, figure and verdict, in report order.
    pub fn lines(&self) -> Vec<String> {
        [&self.inputs, &self.schools, &self.totals, &self.figures]
            .into_iter()
            .flatten()
            .cloned()
            .collect()
    }
}

fn section(s: &mut String, title: &str, lines: &[String]) {
    let _ = writeln!(s, "## {title}\n");
    if lines.is_empty() {
        s.push_str("无。\n");
    }
    for l in lines {
        let _ = writeln!(s, "- {}", escape(l));
    }
    s.push('\n');
}

/// A line of 变更说明.md as text and nothing else in any Markdown previewer: school names,
/// cells and file names from the inputs may hold `<img onerror=…>` or `[点我](javascript:…)`.
/// Every ASCII punctuation character that can start markup is backslash-escaped (CommonMark
/// 0.31 §2.4), so `<`, `&`, brackets and emphasis stay literal; a line is one line, and what
/// would open a block at its start (a heading, a list, a code indent) is escaped too. The one
/// escaping function for the file: every line goes through `section`.
pub fn escape(line: &str) -> String {
    let flat = line.replace(['\r', '\n'], " ");
    let text = flat.trim_start();
    let mut out = String::with_capacity(text.len() + 8);
    // A number and `.` or `)` at the start would open an ordered list.
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    for (i, c) in text.chars().enumerate() {
        let starts_block = i == 0 && matches!(c, '#' | '+' | '-' | '=');
        let ends_number = i == digits && digits > 0 && matches!(c, '.' | ')');
        if starts_block
            || ends_number
            || matches!(
                c,
                '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '|' | '~' | '!'
            )
        {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The Markdown of out/变更说明.md.
pub fn report(c: &Changes, written: &[String], reprint: &[(String, &'static str)], first: bool) -> String {
    let mut s = String::from("# 变更说明\n\n");
    if first {
        s.push_str("首次生成，以下为全部输出。\n\n");
    }
    section(&mut s, "输入数据变化", &c.inputs);
    section(&mut s, "各校数值与判定变化", &c.schools);
    section(&mut s, "全县合计变化", &c.totals);
    section(&mut s, "差异系数、指标判定与结论变化", &c.figures);
    section(&mut s, "需要重新打印的页", &c.pages);
    let written: Vec<String> = written.iter().map(|w| format!("out/{w}")).collect();
    section(&mut s, "重新生成的文件", &written);
    let boxes: Vec<String> = reprint.iter().map(|(b, what)| format!("{b}：{what}")).collect();
    section(&mut s, "需要重新打印的档案盒", &boxes);
    s.truncate(s.trim_end().len());
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_stay_text_in_any_previewer() {
        let c = Changes {
            inputs: vec![
                "content/schools.xlsx 学校基础数据!B2 学校名称：<img src=x onerror=alert(1)> → [点我](javascript:alert(1))".into(),
                "# 1. *强调* & `代码`\n- 第二行".into(),
            ],
            ..Changes::default()
        };
        let md = report(&c, &["a_b.pdf".into()], &[], false);
        assert!(md.contains("- content/schools.xlsx 学校基础数据\\!B2 学校名称：\\<img src=x onerror=alert(1)\\> → \\[点我\\](javascript:alert(1))\n"), "{md}");
        assert!(md.contains("- \\# 1. \\*强调\\* \\& \\`代码\\` - 第二行\n"), "{md}");
        assert!(md.contains("- out/a\\_b.pdf\n"), "{md}");
        assert_eq!(escape("12. 学校"), "12\\. 学校");
        // Parsed as a previewer would (with GitHub's extensions): no HTML, link or image, and
        // the text reads as written.
        let arena = comrak::Arena::new();
        let mut options = comrak::Options::default();
        options.extension.table = true;
        options.extension.strikethrough = true;
        options.extension.autolink = true;
        let doc = comrak::parse_document(&arena, &md, &options);
        let (mut text, mut headings) = (String::new(), 0);
        for node in doc.descendants() {
            use comrak::nodes::NodeValue as N;
            match &node.data.borrow().value {
                N::HtmlInline(_) | N::HtmlBlock(_) | N::Link(_) | N::Image(_) => panic!("markup in {md}"),
                N::Heading(_) => headings += 1,
                N::Text(t) => text.push_str(t),
                _ => {}
            }
        }
        // The title and the seven sections: no line became a heading.
        assert_eq!(headings, 8);
        assert!(
            text.contains("学校名称：<img src=x onerror=alert(1)> → [点我](javascript:alert(1))"),
            "{text}"
        );
    }

    #[test]
    fn names_the_changed_figure_and_verdict() {
        let old = json!({"resource": {"junior": {"cv": {"sports_area": 0.4121}}}, "indicators": [{"id": "A5", "name": "生均体育运动场馆面积", "verdict": "not_met"}], "b_total": 94.5});
        let new = json!({"resource": {"junior": {"cv": {"sports_area": 0.3979}}}, "indicators": [{"id": "A5", "name": "生均体育运动场馆面积", "verdict": "met"}], "b_total": 94.5});
        let lines = figure_changes(&old, &new);
        assert_eq!(
            lines,
            vec![
                "初中 生均体育运动场馆面积 差异系数 0.412 → 0.398",
                "A5 生均体育运动场馆面积：未达标 → 达标"
            ]
        );
    }
}
