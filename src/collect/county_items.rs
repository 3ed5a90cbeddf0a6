//! The lower tables of a unit's 县级数据 sheet: the per-subject results of the national
//! quality monitoring (`quality.subjects`) for the unit leading the indicator whose rule reads
//! them, and the veto declarations (`veto`) for the unit leading the veto items. Each row has
//! two inputs, each a `Field` keyed by its path in county.yaml (`quality.subjects.语文.level`,
//! `veto.V4.note`: a subject names its item of the list).

use super::county_fields::{Field, Kind};
use crate::model::{CountyConfig, Profile, RuleId};

/// The subjects whose 学业水平 the national quality monitoring reports (国家义务教育质量监测
/// 方案, 2015 and 2021: 语文, 数学 and 科学 are tested in grades 4 and 8): the form lists them
/// when county.yaml has none of a name, as empty rows to fill.
pub const STANDARD_SUBJECTS: [&str; 3] = ["语文", "数学", "科学"];

/// One row of a lower table: its head (column A), its name (column B, what `merge` checks the
/// row by) and its two inputs (columns C and D).
#[derive(Debug, Clone, PartialEq)]
pub struct ItemRow {
    pub head: String,
    pub name: String,
    pub inputs: [Field; 2],
}

/// A lower table: its title and column headers (A to E) and rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub title: &'static str,
    pub headers: [&'static str; 5],
    /// What column E says on each row.
    pub hint: &'static str,
    pub rows: Vec<ItemRow>,
}

fn field(path: String, label: String, unit: &'static str, kind: Kind) -> Field {
    Field {
        path,
        label,
        unit,
        kind,
    }
}

/// The quality results of the subjects, when one of the indicators `ids` (or one of its points)
/// is judged by the quality monitoring (教督〔2017〕6号 第八条（九）): the subjects county.yaml
/// has, in its order, then the standard subjects it lacks.
pub fn subjects(ids: &[&str], profile: &Profile, config: &CountyConfig) -> Option<Section> {
    let ind = profile
        .indicators
        .iter()
        .filter(|i| ids.contains(&i.id.as_str()))
        .find(|i| {
            i.rule == Some(RuleId::QualityMonitoring)
                || i.points.iter().any(|p| p.rule == Some(RuleId::QualityMonitoring))
        })?;
    let mut names: Vec<String> = config.quality.subjects.iter().map(|s| s.subject.clone()).collect();
    for s in STANDARD_SUBJECTS {
        if !names.iter().any(|n| n == s) {
            names.push(s.to_owned());
        }
    }
    let rows = names
        .into_iter()
        .map(|s| ItemRow {
            head: format!("{} {}", ind.id, ind.name),
            inputs: [
                field(
                    format!("quality.subjects.{s}.level"),
                    format!("质量监测 {s} 学业水平"),
                    "级",
                    Kind::Level,
                ),
                field(
                    format!("quality.subjects.{s}.difference"),
                    format!("质量监测 {s} 校际差异率"),
                    "",
                    Kind::Ratio,
                ),
            ],
            name: s,
        })
        .collect();
    Some(Section {
        title: "国家义务教育质量监测各科结果（依据监测结果报告；没有参加监测的科目留空）",
        headers: ["指标", "科目", "学业水平（1～4）", "校际差异率", "填写说明"],
        hint: "学业水平填 1～4（Ⅲ级填 3）；差异率填小数",
        rows,
    })
}

/// The unit that declares the veto items: the profile gives them no lead unit, so the one that
/// leads most of its indicators — the education bureau, which answers for the county's
/// application as a whole (教督〔2017〕6号 第十条: the veto items are the county's own
/// conduct of enrolment, staffing, safety and honesty, all within its remit); the first such
/// unit in the profile's order when two lead as many.
pub fn veto_unit(profile: &Profile) -> Option<&str> {
    let mut counts: Vec<(&str, usize)> = vec![];
    for l in profile.indicators.iter().flat_map(|i| &i.lead) {
        match counts.iter_mut().find(|(n, _)| *n == l.as_str()) {
            Some((_, c)) => *c += 1,
            None => counts.push((l.as_str(), 1)),
        }
    }
    let most = counts.iter().map(|c| c.1).max()?;
    counts.into_iter().find(|c| c.1 == most).map(|c| c.0)
}

/// The veto items of the profile, one row each: whether the situation exists, and a note.
pub fn veto(profile: &Profile) -> Option<Section> {
    if profile.veto.is_empty() {
        return None;
    }
    let rows = profile
        .veto
        .iter()
        .map(|v| ItemRow {
            head: v.id.clone(),
            name: v.text.clone(),
            inputs: [
                field(
                    format!("veto.{}.present", v.id),
                    format!("一票否决 {} 是否存在", v.id),
                    "是/否",
                    Kind::YesNo,
                ),
                field(
                    format!("veto.{}.note", v.id),
                    format!("一票否决 {} 说明", v.id),
                    "",
                    Kind::Note,
                ),
            ],
        })
        .collect();
    Some(Section {
        title: "一票否决事项（存在的选“是”；“否”表示本县不存在该情况）",
        headers: ["编号", "事项", "是否存在", "说明", "填写说明"],
        hint: "是否存在从下拉列表选择 是 或 否；说明可以不填",
        rows,
    })
}

/// The lower tables of `unit`'s form whose indicators are `ids`.
pub fn sections(unit: &str, ids: &[&str], profile: &Profile, config: &CountyConfig) -> Vec<Section> {
    let mut out: Vec<Section> = subjects(ids, profile, config).into_iter().collect();
    if veto_unit(profile) == Some(unit) {
        out.extend(veto(profile));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_veto_goes_to_the_unit_leading_most_indicators() {
        // jiangxi-2018: 教科体局 leads 35 of the 38 indicators (人社局 1, 编办 1, one jointly).
        let p = Profile::builtin("jiangxi-2018").unwrap();
        assert_eq!(veto_unit(&p), Some("教科体局"));
        let v = veto(&p).unwrap();
        assert_eq!(v.rows.len(), 7);
        assert_eq!(v.rows[3].inputs[1].path, "veto.V4.note");
        // national-2017: 教育局 leads 32 of 33.
        assert_eq!(veto_unit(&Profile::builtin("national-2017").unwrap()), Some("教育局"));
    }
}
