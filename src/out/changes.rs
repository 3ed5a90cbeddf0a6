//! 变更说明: what changed since the previous build — figures, verdicts, outputs, reprints.

use serde_json::Value;
use std::fmt::Write;

use crate::model::ResourceKey;

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
    let verdicts = |v: &Value| -> Vec<(String, String, String)> {
        v["indicators"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|i| {
                (
                    i["id"].as_str().unwrap_or("").to_owned(),
                    i["name"].as_str().unwrap_or("").to_owned(),
                    i["verdict"].as_str().unwrap_or("").to_owned(),
                )
            })
            .collect()
    };
    let before = verdicts(old);
    for (id, name, v) in verdicts(new) {
        if let Some((_, _, was)) = before.iter().find(|(i, _, _)| *i == id)
            && *was != v
        {
            out.push(format!("{id} {name}：{} → {}", label(was), label(&v)));
        }
    }
    let b = |v: &Value| v["b_total"].as_f64();
    if b(old).is_some() && b(old) != b(new) {
        out.push(format!("B 类指标自评总分 {} → {}", show(b(old)), show(b(new))));
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

/// The Markdown of out/变更说明.md.
pub fn report(figures: &[String], written: &[String], reprint: &[(String, &'static str)], first: bool) -> String {
    let mut s = String::from("# 变更说明\n\n");
    if first {
        s.push_str("首次生成，以下为全部输出。\n\n");
    }
    let _ = writeln!(s, "## 数据与判定变化\n");
    if figures.is_empty() {
        s.push_str("无。\n");
    }
    for f in figures {
        let _ = writeln!(s, "- {f}");
    }
    let _ = writeln!(s, "\n## 重新生成的文件\n");
    if written.is_empty() {
        s.push_str("无。\n");
    }
    for w in written {
        let _ = writeln!(s, "- out/{w}");
    }
    let _ = writeln!(s, "\n## 需要重新打印的档案盒\n");
    if reprint.is_empty() {
        s.push_str("无。\n");
    }
    for (b, what) in reprint {
        let _ = writeln!(s, "- {b}：{what}");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
