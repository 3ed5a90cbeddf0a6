//! 表Ⅱ-2 (one row per school-stage) and 表Ⅱ-1 (how many of them meet each item), from the
//! assessment's per-school values. The form lists no special-education school and only the
//! 教学点 with at least the profile's number of pupils (national form: 50人及以上).

use serde::Serialize;

use super::{Num, StageCompliance};
use crate::model::{ResourceKey, School, SchoolKind, Stage};
use crate::rules::Assessment;
use crate::rules::resource::SchoolResource;

#[derive(Debug, Clone, Serialize)]
pub struct SchoolRow {
    pub number: usize,
    /// 小学, 初中 or 教学点: the block it is listed in.
    pub block: &'static str,
    pub stage: &'static str,
    pub name: String,
    /// 举办者类型 code (blank in the data: 7, 县级教育部门).
    pub owner: Num,
    pub students: Num,
    pub grades: Num,
    pub classes: Num,
    /// L1–L7 to 2 decimals.
    pub values: Vec<Num>,
    /// Per item: below the standard (the form shades the cell).
    pub short: Vec<bool>,
    /// 该校综合评估是否达标: 是 / 否 / 待核实.
    pub pass: &'static str,
    #[serde(skip)]
    pub pass_value: Option<bool>,
    /// Which items meet the standard and which reach 85 % of it.
    pub note: String,
}

/// 表Ⅱ-2's footer: what the table holds.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Footer {
    /// Sections of 九年一贯制 and 十二年一贯制 schools.
    pub combined: usize,
    /// 教学点 listed (at least the profile's pupils).
    pub teaching_points: usize,
    /// Junior sections of 完全中学.
    pub complete: usize,
}

/// The block a row is listed in: 教学点 last.
fn block(kind: SchoolKind, stage: Stage) -> (usize, &'static str) {
    match (kind, stage) {
        (SchoolKind::TeachingPoint, _) => (2, "教学点"),
        (_, Stage::Primary) => (0, "小学"),
        (_, Stage::Junior) => (1, "初中"),
    }
}

pub fn rows(
    a: &Assessment,
    schools: &[School],
    min_points: u32,
    floor: f64,
    missing: &mut Vec<String>,
) -> (Vec<SchoolRow>, Footer) {
    let mut out: Vec<(usize, SchoolRow)> = vec![];
    let mut footer = Footer::default();
    let mut no_classes = vec![];
    for (stage, st) in [
        (Stage::Primary, &a.resource.primary),
        (Stage::Junior, &a.resource.junior),
    ] {
        for r in &st.schools {
            // 申报表 表Ⅱ-2 注: 教学点 50人及以上 (the profile's `form.teaching_point_min_students`).
            if r.kind == SchoolKind::TeachingPoint && r.students < min_points as f64 {
                continue;
            }
            let school = schools.iter().find(|s| s.code == r.code);
            let section = school.and_then(|s| s.section(stage));
            match r.kind {
                SchoolKind::NineYear | SchoolKind::TwelveYear => footer.combined += 1,
                SchoolKind::TeachingPoint => footer.teaching_points += 1,
                SchoolKind::Complete => footer.complete += 1,
                _ => {}
            }
            let classes = section.and_then(|s| s.classes);
            if classes.is_none() {
                no_classes.push(r.name.clone());
            }
            let default_grades = match stage {
                Stage::Primary => 6.0,
                Stage::Junior => 3.0,
            };
            let (order, label) = block(r.kind, stage);
            out.push((
                order,
                SchoolRow {
                    number: 0,
                    block: label,
                    stage: stage.label(),
                    name: r.name.clone(),
                    owner: Num::new(Some(school.and_then(|s| s.owner_type).unwrap_or(7.0)), 0),
                    students: Num::new(Some(r.students), 0),
                    grades: Num::new(Some(section.and_then(|s| s.grades).unwrap_or(default_grades)), 0),
                    classes: Num::new(classes, 0),
                    values: ResourceKey::ALL
                        .iter()
                        .map(|k| Num::beside(r.values[k], 2, st.standards[k], r.shortfalls.contains(k)))
                        .collect(),
                    short: ResourceKey::ALL.iter().map(|k| r.shortfalls.contains(k)).collect(),
                    pass: match r.pass {
                        Some(true) => "是",
                        Some(false) => "否",
                        None => "待核实",
                    },
                    pass_value: r.pass,
                    note: note(r, floor),
                },
            ));
        }
    }
    if !no_classes.is_empty() {
        missing.push(format!("{}班级数（{}）", super::SCHOOL_DATA, no_classes.join("、")));
    }
    // Stable: within a block, the order of the assessment (the order of the school data).
    out.sort_by_key(|(order, _)| *order);
    let rows = out
        .into_iter()
        .enumerate()
        .map(|(i, (_, mut r))| {
            r.number = i + 1;
            r
        })
        .collect();
    (rows, footer)
}

/// 备注: "7项均达标" or the items met, those at the profile's floor (85 % of the standard,
/// 教督〔2017〕6号 第六条) or more, those below it; with no floor below the standard (Jiangxi:
/// all seven), those not met.
fn note(r: &SchoolResource, floor: f64) -> String {
    let code = |k: &ResourceKey| {
        let i = ResourceKey::ALL.iter().position(|x| x == k).unwrap_or(0);
        format!("L{}", i + 1)
    };
    let met: Vec<String> = ResourceKey::ALL
        .iter()
        .filter(|k| r.values[*k].is_some() && !r.shortfalls.contains(*k))
        .map(code)
        .collect();
    let near: Vec<String> = r
        .shortfalls
        .iter()
        .filter(|k| !r.below_floor.contains(*k))
        .map(code)
        .collect();
    let under: Vec<String> = r.below_floor.iter().map(code).collect();
    let gaps: Vec<String> = ResourceKey::ALL
        .iter()
        .filter(|k| r.values[*k].is_none())
        .map(code)
        .collect();
    if met.len() == ResourceKey::ALL.len() {
        return "7项均达标".into();
    }
    let mut parts = vec![format!("达标：{}", met.join("、"))];
    let percent = crate::rules::fmt_num(floor * 100.0);
    if !near.is_empty() {
        parts.push(format!("不低于标准的{percent}%：{}", near.join("、")));
    }
    if !under.is_empty() && floor < 1.0 {
        parts.push(format!("低于标准的{percent}%：{}", under.join("、")));
    } else if !under.is_empty() {
        parts.push(format!("未达标：{}", under.join("、")));
    }
    if !gaps.is_empty() {
        parts.push(format!("数据不全：{}", gaps.join("、")));
    }
    parts.join("；")
}

/// 表Ⅱ-1 for one stage: of the stage's rows in 表Ⅱ-2, how many meet each item and the rule.
pub fn compliance(stage: Stage, rows: &[SchoolRow]) -> StageCompliance {
    let mine: Vec<&SchoolRow> = rows.iter().filter(|r| r.stage == stage.label()).collect();
    let n = mine.len();
    let mut met: Vec<Option<f64>> = (0..ResourceKey::ALL.len())
        .map(|i| {
            let count = mine
                .iter()
                .filter(|r| r.values[i].value.is_some() && !r.short[i])
                .count();
            Some(count as f64)
        })
        .collect();
    met.push(Some(mine.iter().filter(|r| r.pass_value == Some(true)).count() as f64));
    let share = met
        .iter()
        .map(|m| Num::new(m.and_then(|m| (n > 0).then(|| m / n as f64 * 100.0)), 1))
        .collect();
    StageCompliance {
        stage: stage.label(),
        schools: n,
        met: met.into_iter().map(|m| Num::new(m, 0)).collect(),
        share,
    }
}
