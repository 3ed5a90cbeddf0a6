//! Problems in the words of the county's own documents: what fails, as a figure against its
//! standard, never the county's account of work done (seed 002: 问题清单 lists what is short;
//! 教督〔2017〕6号 第九条: 自评报告 states problems and measures).

use crate::rules::assessment::IndicatorResult;
use crate::rules::gaps::Gap;
use crate::rules::{Assessment, Verdict, fmt_beside, fmt_num};

/// The reasons of an indicator that state a problem: not the notes on items met ("注："),
/// not the county's account of an item it declares 达标, and not the remark that a
/// declaration differs from the data (the data's own reason says what fails).
pub fn problem_reasons(i: &IndicatorResult) -> Vec<&str> {
    i.reasons
        .iter()
        .map(String::as_str)
        .filter(|r| !r.starts_with("注："))
        .filter(|r| i.account.as_deref() != Some(*r))
        .filter(|r| !(r.starts_with("自评申报为") && r.contains("，但数据显示")))
        .collect()
}

/// An indicator's `reasons` as the documents word them: each failing school item as a sentence
/// (its figure against the standard and what it needs), then the reasons about no such school.
pub fn worded(a: &Assessment, i: &IndicatorResult, reasons: Vec<&str>) -> Vec<String> {
    let gaps = super::rectification::indicator_gaps(a, &i.id);
    let mut out: Vec<String> = gaps.iter().map(|g| gap_sentence(g)).collect();
    out.extend(
        reasons
            .into_iter()
            .filter(|r| {
                !gaps.iter().any(|g| {
                    let n = &g.school_name;
                    r.contains(&format!("{n}：")) || r.contains(&format!("{n}（"))
                })
            })
            .map(str::to_owned),
    );
    out
}

/// A gap's measured value as a figure, without its unit: 2 decimals (元 whole), more where
/// fewer would read as the standard.
pub fn figure(g: &Gap) -> String {
    let digits = if g.value_unit.starts_with('元') { 0 } else { 2 };
    if g.value.fract() == 0.0 {
        fmt_num(g.value)
    } else {
        fmt_beside(g.value, digits, g.standard, true)
    }
}

/// The unit a sentence quotes a value in: the item's name already says "生均" or "每百名学生",
/// so "平方米/生" reads "平方米" and "间/百生" reads "间".
fn spoken(unit: &str) -> &str {
    unit.split('/').next().unwrap_or(unit)
}

/// "6.80 平方米", "75%".
fn quantity(v: &str, unit: &str) -> String {
    match unit {
        "%" => format!("{v}%"),
        "" => v.to_owned(),
        u => format!("{v} {u}"),
    }
}

/// A school's shortfall as an official writes it: "柳溪村小学生均体育运动场馆面积 6.80 平方米，
/// 低于 7.5 平方米的标准，按标准测算须增加 154 平方米".
pub fn gap_sentence(g: &Gap) -> String {
    let stage = g.stage.map(|s| format!("（{}）", s.label())).unwrap_or_default();
    let school = format!("{}{stage}", g.school_name);
    let unit = spoken(g.value_unit);
    let standard = fmt_num(g.standard);
    let fact = match g.key {
        "staffing_ratio" if !g.value.is_finite() => "没有教职工".to_owned(),
        "staffing_ratio" => format!("师生比 1:{}，未达到 1:{standard}的标准", figure(g)),
        "class_size" => format!("最大班额 {} 人，超过 {standard} 人的标准", figure(g)),
        "school_size" => format!("在校生 {} 人，超过 {standard} 人的规模上限", figure(g)),
        "certified_teachers" => format!("专任教师持证上岗率 {}%，低于 {standard}%的标准", figure(g)),
        "training_funds" => format!("教师培训经费占公用经费预算的 {}%，低于 {standard}%的标准", figure(g)),
        "music_room_area" | "art_room_area" => format!(
            "{}最小一间面积 {}，小于 {}的标准",
            g.item.trim_end_matches("面积"),
            quantity(&figure(g), unit),
            quantity(&standard, unit)
        ),
        "music_rooms" | "art_rooms" => format!(
            "{} {}，少于 {}的标准",
            g.item,
            quantity(&figure(g), unit),
            quantity(&standard, unit)
        ),
        _ => format!(
            "{} {}，低于 {}的标准",
            g.item,
            quantity(&figure(g), unit),
            quantity(&standard, unit)
        ),
    };
    let need = fmt_num(g.shortfall);
    let remedy = match g.key {
        _ if !g.shortfall.is_finite() => String::new(),
        "class_size" if g.shortfall == 0.0 => "，现有班数可容纳全部学生，须均衡分班".to_owned(),
        "class_size" => format!("，按标准测算须增加 {need} 个班"),
        "school_size" => format!("，须分流 {need} 人"),
        "certified_teachers" => format!("，{need} 人未取得教师资格"),
        _ => format!("，按标准测算须增加 {need} {}", g.unit),
    };
    // Under a "6 of 7" rule an item short beside missing data waits for the data.
    let pending = if g.verdict == Verdict::Pending {
        "（该校其他项数据不全，待核实）"
    } else {
        ""
    };
    format!("{school}{fact}{remedy}{pending}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{RuleId, Stage};

    fn gap(key: &'static str, item: &str, value: f64, standard: f64, value_unit: &'static str) -> Gap {
        Gap {
            school_code: "1".into(),
            school_name: "柳溪村小学".into(),
            stage: Some(Stage::Primary),
            key,
            item: item.into(),
            rule: RuleId::ClassSize,
            indicators: vec!["A5".into()],
            value,
            standard,
            value_unit,
            amount: 0.0,
            required: 0.0,
            shortfall: 154.0,
            unit: "平方米",
            verdict: Verdict::NotMet,
            cheapest_set: None,
            to_pass: None,
            note: None,
            transfer: None,
        }
    }

    #[test]
    fn shortfalls_read_as_sentences() {
        // 1496 m² / 220 pupils = 6.8 m² against 7.5: 7.5 × 220 − 1496 = 154 m².
        let g = gap("sports_area", "生均体育运动场馆面积", 1496.0 / 220.0, 7.5, "平方米/生");
        assert_eq!(
            gap_sentence(&g),
            "柳溪村小学（小学）生均体育运动场馆面积 6.80 平方米，低于 7.5 平方米的标准，按标准测算须增加 154 平方米"
        );
        // 52 pupils in the largest class against 50; 37 classes hold 1850 ≥ 1800 pupils.
        let mut c = gap("class_size", "班额", 52.0, 50.0, "人/班");
        c.shortfall = 0.0;
        assert_eq!(
            gap_sentence(&c),
            "柳溪村小学（小学）最大班额 52 人，超过 50 人的标准，现有班数可容纳全部学生，须均衡分班"
        );
        // 3 of 4 teachers certified = 75%: 1 without.
        let mut t = gap("certified_teachers", "专任教师持证上岗", 75.0, 100.0, "%");
        t.shortfall = 1.0;
        assert_eq!(
            gap_sentence(&t),
            "柳溪村小学（小学）专任教师持证上岗率 75%，低于 100%的标准，1 人未取得教师资格"
        );
    }
}
