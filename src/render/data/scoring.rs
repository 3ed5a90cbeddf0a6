//! 评分自查表: every indicator with its verdict or score and the figures behind it.

use serde_json::{Value, json};

use super::{county, state};
use crate::model::{IndicatorType, Verdict, Workspace};
use crate::rules::{Assessment, fmt_num};

/// 评分自查表: every indicator with its verdict or score and the figures behind it.
pub fn scoring(ws: &Workspace, a: &Assessment) -> Value {
    let rows: Vec<Value> = a
        .indicators
        .iter()
        .map(|i| {
            let result = match i.kind {
                IndicatorType::A => i.verdict.label().to_owned(),
                IndicatorType::B => i.score.map(fmt_num).unwrap_or_default(),
            };
            let basis: Vec<&str> = std::iter::once(i.summary.as_str()).chain(i.reasons.iter().map(String::as_str)).collect();
            json!({
                "category": i.category, "id": i.id, "name": i.name, "type": i.kind.to_string(),
                "max": i.max_score.map(fmt_num).unwrap_or_default(),
                "result": result, "state": state(i.verdict),
                "points": i.points.iter().map(|p| json!({"id": p.id, "text": p.text, "max": p.max.map(fmt_num).unwrap_or_default(), "score": p.score.map(fmt_num).unwrap_or_default(), "counted": p.counted.map(fmt_num).unwrap_or_default()})).collect::<Vec<_>>(),
                "basis": basis.join("；"),
            })
        })
        .collect();
    let self_total: f64 = a.indicators.iter().filter_map(|i| i.self_score).sum();
    let b = a.b_pass_mark.filter(|_| a.b_max > 0.0).map(|mark| {
        json!({
            "total": fmt_num(a.b_total), "self_total": fmt_num(self_total), "max": fmt_num(a.b_max), "mark": fmt_num(mark),
            "state": match a.b_pass { Some(true) => "达标", Some(false) => "未达标", None => "待核实" },
        })
    });
    let count = |k: IndicatorType, v: Verdict| a.indicators.iter().filter(|i| i.kind == k && i.verdict == v).count();
    json!({
        "title": format!("{}义务教育优质均衡发展评分自查表", county(ws)),
        "profile": format!("{}（{}）", a.profile.name, a.profile.source),
        "date": super::cn_date(ws),
        "rows": rows,
        "a_summary": format!("A 类指标 {} 项：达标 {} 项，未达标 {} 项，待核实 {} 项。",
            a.indicators.iter().filter(|i| i.kind == IndicatorType::A).count(),
            count(IndicatorType::A, Verdict::Met), count(IndicatorType::A, Verdict::NotMet), count(IndicatorType::A, Verdict::Pending)),
        "b": b,
        "veto": a.veto.iter().map(|v| json!({"id": v.id, "text": v.text, "state": match v.present { Some(true) => "存在", Some(false) => "无", None => "未申报" }})).collect::<Vec<_>>(),
        "overall": a.overall.verdict.label(),
        "overall_reasons": a.overall.reasons,
    })
}
