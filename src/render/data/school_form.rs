//! 学校实地督查表 of one school (seed 000 附件2): standard, measured value, ✓/×.

use serde::Serialize;

use super::county;
use crate::model::{ResourceKey, RuleId, School, SchoolKind, Stage, Workspace};
use crate::rules::resource::value;
use crate::rules::{Assessment, Verdict, fmt_num};

/// Inputs and standard wording of the seven resource items, as on seed 000 附件2.
fn resource_line(key: ResourceKey, sec: &crate::model::Section, std: f64) -> (String, String) {
    let students = fmt_num(sec.students);
    let n = |v: Option<f64>| v.map(fmt_num).unwrap_or_else(|| "—".into());
    let inputs = match key {
        ResourceKey::DegreeTeachers => format!("教师数 {}，学生数 {students}", n(sec.degree_teachers)),
        ResourceKey::BackboneTeachers => format!("骨干教师数 {}，学生数 {students}", n(sec.backbone_teachers)),
        ResourceKey::PeArtTeachers => format!("专任教师数 {}，学生数 {students}", n(sec.pe_art_teachers)),
        ResourceKey::BuildingArea => format!("面积 {} 平方米，学生数 {students}", n(sec.building_area)),
        ResourceKey::SportsArea => format!("面积 {} 平方米，学生数 {students}", n(sec.sports_area)),
        ResourceKey::EquipmentValue => format!("设备值 {} 万元，学生数 {students}", n(sec.equipment_wan)),
        ResourceKey::MultimediaRooms => format!("多媒体教室 {} 间，学生数 {students}", n(sec.multimedia_rooms)),
    };
    let unit = key.unit();
    let standard = format!("≥ {} {unit}", fmt_num(std));
    (standard, inputs)
}

/// 学校实地督查表 of one school (seed 000 附件2), as templates/school-form.typ draws it.
#[derive(Serialize)]
pub struct SchoolForm {
    pub county: String,
    pub name: String,
    pub code: String,
    /// Classes, pupils and teachers of the whole school ("—" when not filled).
    pub classes: String,
    pub students: String,
    pub teachers: String,
    /// The school kinds of the form, the school's ticked.
    pub kinds: Vec<Kind>,
    pub resource: Vec<ResourceRow>,
    /// How its whole-school facility totals were split, when they were.
    pub split: Option<String>,
    pub gov: Vec<GovRow>,
    pub date: String,
}

#[derive(Serialize)]
pub struct Kind {
    pub label: &'static str,
    pub ticked: bool,
}

/// A resource item of a stage: its standard, the figures it is computed from, its value, ✓/×.
#[derive(Serialize)]
pub struct ResourceRow {
    pub stage: &'static str,
    pub item: &'static str,
    pub standard: String,
    pub inputs: String,
    pub value: String,
    pub mark: &'static str,
}

/// A government-guarantee item of the school.
#[derive(Serialize)]
pub struct GovRow {
    pub item: String,
    pub standard: String,
    pub measured: String,
    pub mark: &'static str,
    pub note: Option<String>,
}

/// 学校实地督查表 of one school (seed 000 附件2).
pub fn school_form(ws: &Workspace, a: &Assessment, school: &School) -> SchoolForm {
    let kinds = [
        (
            "小学",
            matches!(school.kind, SchoolKind::Primary | SchoolKind::TeachingPoint),
        ),
        ("初中", school.kind == SchoolKind::Junior),
        ("完全中学", school.kind == SchoolKind::Complete),
        ("九年一贯制", school.kind == SchoolKind::NineYear),
        ("十二年一贯制", school.kind == SchoolKind::TwelveYear),
        ("特殊学校", school.kind == SchoolKind::Special),
    ];
    let mut resource = vec![];
    for sec in &school.sections {
        let Some(stage) = sec.stage else { continue };
        let st = match stage {
            Stage::Primary => &a.resource.primary,
            Stage::Junior => &a.resource.junior,
        };
        let excluded = st.excluded.iter().find(|e| e.code == school.code);
        for key in ResourceKey::ALL {
            let std = st.standards[&key];
            let (standard, inputs) = resource_line(key, sec, std);
            let v = value(sec, key);
            let mark = match (excluded, v) {
                (Some(_), _) => "不参与",
                (None, Some(v)) if crate::rules::at_least(v, std) => "✓",
                (None, Some(_)) => "×",
                (None, None) => "待核实",
            };
            let shown = v
                .map(|v| super::report::shown(key, v, std, !crate::rules::at_least(v, std)))
                .unwrap_or_else(|| "—".into());
            resource.push(ResourceRow {
                stage: stage.label(),
                item: key.label(),
                standard,
                inputs,
                value: format!("{shown} {}", key.unit()),
                mark,
            });
        }
    }
    // 附件2 opens 政府保障程度 with 师生比; the other rows follow their indicators.
    let staffing = RuleId::StaffingRatio.name();
    let rows = a.checks.get(&staffing).map(|c| ("师生比", c)).into_iter().chain(
        a.indicators
            .iter()
            .filter(|i| i.rule.as_deref() != Some(staffing.as_str()))
            .filter_map(|i| Some((i.name.as_str(), a.checks.get(i.rule.as_deref()?)?))),
    );
    let mut gov = vec![];
    for (name, check) in rows {
        for f in check.schools.iter().filter(|f| f.code == school.code) {
            let mark = match f.verdict {
                Verdict::Met => "✓",
                Verdict::NotMet => "×",
                Verdict::Pending => "待核实",
            };
            let stage = f.stage.map(|s| format!("（{}）", s.label())).unwrap_or_default();
            gov.push(GovRow {
                item: format!("{name}{stage}"),
                standard: f.standard.clone(),
                measured: f.measured.clone(),
                mark,
                note: f.note.clone(),
            });
        }
    }
    SchoolForm {
        county: county(ws),
        name: school.name.clone(),
        code: school.code.clone(),
        classes: school.classes().map(fmt_num).unwrap_or_else(|| "—".into()),
        students: fmt_num(school.students()),
        teachers: school
            .sections
            .iter()
            .map(|s| s.teachers)
            .sum::<Option<f64>>()
            .map(fmt_num)
            .unwrap_or_else(|| "—".into()),
        kinds: kinds
            .into_iter()
            .map(|(label, ticked)| Kind { label, ticked })
            .collect(),
        resource,
        split: a
            .splits
            .iter()
            .find(|s| s.school == school.name)
            .map(|s| format!("{}为全校合计，按{}的生均当量拆分", s.columns.join("、"), s.how)),
        gov,
        date: super::cn_date(ws),
    }
}
