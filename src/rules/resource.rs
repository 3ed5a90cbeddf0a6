//! 资源配置: the seven per-school values, the per-school rule and the difference
//! coefficients per stage (教督〔2017〕6号 第六条; 赣教督委字〔2018〕6号 指标1–7).

use serde::Serialize;
use std::collections::BTreeMap;

use super::coefficient::{weighted_cv, weighted_mean};
use super::{Check, Verdict, at_least, at_most, fmt_beside, fmt_num};
use crate::model::profile::ResourceParams;
use crate::model::{ResourceKey, School, SchoolKind, Section, Stage};

/// The value of one resource indicator for a section, unrounded; `None` when data is missing.
/// "每百名学生" = count ÷ students × 100; "生均" = total ÷ students; equipment 万元 → 元.
pub fn value(s: &Section, key: ResourceKey) -> Option<f64> {
    if s.students <= 0.0 {
        return None;
    }
    let amount = s.amount(key)?;
    Some(match key {
        // 万元 → 元, per pupil.
        ResourceKey::EquipmentValue => amount * 10_000.0 / s.students,
        ResourceKey::BuildingArea | ResourceKey::SportsArea => amount / s.students,
        _ => amount / s.students * 100.0,
    })
}

/// The inverse of [`value`]: the amount, as entered (teachers, rooms, m², 万元), that gives
/// `students` pupils the value `v`.
pub fn amount_for(key: ResourceKey, students: f64, v: f64) -> f64 {
    match key {
        ResourceKey::EquipmentValue => v * students / 10_000.0,
        ResourceKey::BuildingArea | ResourceKey::SportsArea => v * students,
        _ => v * students / 100.0,
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct SchoolResource {
    pub code: String,
    pub name: String,
    pub kind: SchoolKind,
    #[serde(serialize_with = "super::whole")]
    pub students: f64,
    pub values: BTreeMap<ResourceKey, Option<f64>>,
    /// Items meeting the standard.
    pub met: usize,
    /// The per-school rule of the profile; `None` when data is missing.
    pub pass: Option<bool>,
    /// Items below the standard.
    pub shortfalls: Vec<ResourceKey>,
    /// Items below `floor_ratio` × standard.
    pub below_floor: Vec<ResourceKey>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Excluded {
    pub code: String,
    pub name: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct StageResource {
    pub stage: Stage,
    /// Pupils of the stage taking part (P = ΣPᵢ).
    #[serde(serialize_with = "super::whole")]
    pub students: f64,
    pub standards: BTreeMap<ResourceKey, f64>,
    /// Student-weighted county mean X̄ per item.
    pub mean: BTreeMap<ResourceKey, Option<f64>>,
    pub cv: BTreeMap<ResourceKey, Option<f64>>,
    pub cv_limit: f64,
    pub cv_pass: BTreeMap<ResourceKey, Option<bool>>,
    pub schools: Vec<SchoolResource>,
    pub excluded: Vec<Excluded>,
}

/// Whether a section takes part in the resource computations and why not.
fn exclusion(school: &School, s: &Section, params: &ResourceParams) -> Option<String> {
    // Special-education schools have their own funding item and are not in the resource CVs.
    if school.kind == SchoolKind::Special {
        return Some("特殊教育学校不参与资源配置计算".into());
    }
    let min = params.teaching_point_min_students as f64;
    if school.kind == SchoolKind::TeachingPoint && s.students < min {
        return Some(format!(
            "教学点在校生 {} 人，少于 {} 人，按指标体系设置不参与计算",
            fmt_num(s.students),
            fmt_num(min)
        ));
    }
    None
}

pub fn stage_resource(schools: &[School], stage: Stage, params: &ResourceParams) -> StageResource {
    let standards: BTreeMap<ResourceKey, f64> = ResourceKey::ALL
        .iter()
        // Never 0: a profile lacking a standard is refused when read (model::profile::all_standards);
        // were one missing all the same, NaN is met by no value.
        .map(|k| (*k, params.standards.get(k).map_or(f64::NAN, |s| s.get(stage))))
        .collect();
    let mut rows = vec![];
    let mut excluded = vec![];
    for school in schools {
        for s in school.sections.iter().filter(|s| s.stage == Some(stage)) {
            match exclusion(school, s, params) {
                Some(reason) => excluded.push(Excluded {
                    code: school.code.clone(),
                    name: school.name.clone(),
                    reason,
                }),
                None => rows.push(school_resource(school, s, &standards, params)),
            }
        }
    }
    let students = rows.iter().map(|r| r.students).sum();
    let mut mean = BTreeMap::new();
    let mut cv = BTreeMap::new();
    let mut cv_pass = BTreeMap::new();
    let limit = params.cv_limit.get(stage);
    for key in ResourceKey::ALL {
        let pairs: Option<Vec<(f64, f64)>> = rows.iter().map(|r| r.values[&key].map(|v| (r.students, v))).collect();
        let c = pairs.as_deref().and_then(weighted_cv);
        mean.insert(key, pairs.as_deref().and_then(weighted_mean));
        cv.insert(key, c);
        // 教督〔2017〕6号 第六条: 校际差异系数 小学 ≤ 0.50, 初中 ≤ 0.45 (unrounded).
        cv_pass.insert(key, c.map(|c| at_most(c, limit)));
    }
    StageResource {
        stage,
        students,
        standards,
        mean,
        cv,
        cv_limit: limit,
        cv_pass,
        schools: rows,
        excluded,
    }
}

fn school_resource(
    school: &School,
    s: &Section,
    standards: &BTreeMap<ResourceKey, f64>,
    params: &ResourceParams,
) -> SchoolResource {
    let values: BTreeMap<ResourceKey, Option<f64>> = ResourceKey::ALL.iter().map(|k| (*k, value(s, *k))).collect();
    let mut met = 0;
    let mut shortfalls = vec![];
    let mut below_floor = vec![];
    let mut missing = false;
    for key in ResourceKey::ALL {
        let std = standards[&key];
        match values[&key] {
            None => missing = true,
            Some(v) if at_least(v, std) => met += 1,
            Some(v) => {
                shortfalls.push(key);
                if !at_least(v, std * params.floor_ratio) {
                    below_floor.push(key);
                }
            }
        }
    }
    // 教督〔2017〕6号 第六条: 每所学校至少6项达到要求，余项不能低于要求的85% (profile parameters).
    let fails = !below_floor.is_empty() || ResourceKey::ALL.len() - shortfalls.len() < params.min_items_met;
    let pass = if fails {
        Some(false)
    } else if missing {
        None
    } else {
        Some(true)
    };
    SchoolResource {
        code: school.code.clone(),
        name: school.name.clone(),
        kind: school.kind,
        students: s.students,
        values,
        met,
        pass,
        shortfalls,
        below_floor,
    }
}

/// The verdict of one resource indicator over both stages: every school's value under the
/// per-school rule, and the stage coefficient within its limit.
pub fn indicator_check(stages: &[&StageResource], key: ResourceKey, params: &ResourceParams) -> Check {
    let mut verdict = Verdict::Met;
    let mut reasons = vec![];
    let mut parts = vec![];
    for st in stages {
        // No school-stage rows of a stage: its half of the item cannot be judged (never 达标).
        if st.schools.is_empty() {
            verdict = verdict.max(Verdict::Pending);
            reasons.push(format!("没有{}学校数据", st.stage.label()));
            continue;
        }
        let std = st.standards[&key];
        let mut missing = vec![];
        let mut short = 0;
        for r in &st.schools {
            match r.values[&key] {
                None => missing.push(r.name.as_str()),
                Some(v) if !at_least(v, std) => {
                    short += 1;
                    // A shortfall fails the school when the profile wants every item met, when the
                    // value is under the floor, or when the school fails the per-school rule.
                    let fails = params.min_items_met >= ResourceKey::ALL.len()
                        || r.below_floor.contains(&key)
                        || r.pass == Some(false);
                    let v_text = format!(
                        "{}：{} {}，低于标准 {}",
                        r.name,
                        fmt_beside(v, 2, std, true),
                        key.unit(),
                        fmt_num(std)
                    );
                    if fails {
                        verdict = verdict.max(Verdict::NotMet);
                        reasons.push(format!("{}{v_text}", st.stage.label()));
                    } else if r.pass.is_none() {
                        verdict = verdict.max(Verdict::Pending);
                        reasons.push(format!(
                            "{}{v_text}；该校其他项数据不全，无法判定是否满足“至少{}项达标”",
                            st.stage.label(),
                            params.min_items_met
                        ));
                    } else {
                        reasons.push(format!(
                            "{}{v_text}，但不低于标准的{}%且该校至少{}项达标，按规定可视为达标",
                            st.stage.label(),
                            fmt_num(params.floor_ratio * 100.0),
                            params.min_items_met
                        ));
                    }
                }
                Some(_) => {}
            }
        }
        if !missing.is_empty() {
            verdict = verdict.max(Verdict::Pending);
            reasons.push(format!("{}数据不全：{}", st.stage.label(), missing.join("、")));
        }
        match (st.cv[&key], st.cv_pass[&key]) {
            (Some(cv), Some(pass)) => {
                if !pass {
                    verdict = verdict.max(Verdict::NotMet);
                    reasons.push(format!(
                        "{}差异系数 {}，高于 {:.2}",
                        st.stage.label(),
                        fmt_beside(cv, 3, st.cv_limit, true),
                        st.cv_limit
                    ));
                }
                parts.push(format!(
                    "{} {} 所中 {} 所低于标准，差异系数 {}（≤ {:.2}）",
                    st.stage.label(),
                    st.schools.len(),
                    short,
                    fmt_beside(cv, 3, st.cv_limit, !pass),
                    st.cv_limit
                ));
            }
            _ => {
                verdict = verdict.max(Verdict::Pending);
                if missing.is_empty() {
                    reasons.push(format!("{}差异系数无法计算（平均值为 0）", st.stage.label()));
                }
            }
        }
    }
    let summary = if parts.is_empty() {
        format!("{}：无可计算的学校", key.label())
    } else {
        parts.join("；")
    };
    Check {
        verdict,
        summary,
        reasons,
        schools: vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::profile::PerStage;

    fn params(min: usize, floor: f64) -> ResourceParams {
        let p = |a, b| PerStage { primary: a, junior: b };
        ResourceParams {
            min_items_met: min,
            floor_ratio: floor,
            cv_limit: p(0.50, 0.45),
            teaching_point_min_students: 0,
            standards: [
                (ResourceKey::DegreeTeachers, p(4.2, 5.3)),
                (ResourceKey::BackboneTeachers, p(1.0, 1.0)),
                (ResourceKey::PeArtTeachers, p(0.9, 0.9)),
                (ResourceKey::BuildingArea, p(4.5, 5.8)),
                (ResourceKey::SportsArea, p(7.5, 10.2)),
                (ResourceKey::EquipmentValue, p(2000.0, 2500.0)),
                (ResourceKey::MultimediaRooms, p(2.3, 2.4)),
            ]
            .into(),
            split_weights: Default::default(),
        }
    }

    /// A 500-pupil primary section exactly at every standard:
    /// 21/500×100 = 4.2; 5/500×100 = 1.0; 4.5/500×100 = 0.9; 2250/500 = 4.5 m²;
    /// 3750/500 = 7.5 m²; 100 万元 = 1 000 000 元 / 500 = 2000 元; 11.5/500×100 = 2.3.
    fn at_standard() -> Section {
        Section {
            stage: Some(Stage::Primary),
            students: 500.0,
            degree_teachers: Some(21.0),
            backbone_teachers: Some(5.0),
            pe_art_teachers: Some(4.5),
            building_area: Some(2250.0),
            sports_area: Some(3750.0),
            equipment_wan: Some(100.0),
            multimedia_rooms: Some(11.5),
            ..Default::default()
        }
    }

    fn school(name: &str, s: Section) -> School {
        School::new(name, name, SchoolKind::Primary, vec![s])
    }

    #[test]
    fn values_at_the_standard_meet_all_seven() {
        let st = stage_resource(&[school("甲", at_standard())], Stage::Primary, &params(7, 1.0));
        let r = &st.schools[0];
        assert_eq!(r.met, 7, "{:?}", r.values);
        assert_eq!(r.pass, Some(true));
        assert_eq!(r.values[&ResourceKey::EquipmentValue], Some(2000.0));
    }

    #[test]
    fn national_six_items_and_85_percent_floor() {
        // Sports area 3400/500 = 6.8 m² < 7.5; 6.8 / 7.5 = 90.7% ≥ 85%: passes nationally.
        let mut s = at_standard();
        s.sports_area = Some(3400.0);
        let st = stage_resource(&[school("乙", s.clone())], Stage::Primary, &params(6, 0.85));
        assert_eq!((st.schools[0].met, st.schools[0].pass), (6, Some(true)));
        // Jiangxi wants all seven: fails.
        let st7 = stage_resource(&[school("乙", s.clone())], Stage::Primary, &params(7, 1.0));
        assert_eq!(st7.schools[0].pass, Some(false));
        let c = indicator_check(&[&st7], ResourceKey::SportsArea, &params(7, 1.0));
        assert_eq!(c.verdict, Verdict::NotMet);
        assert!(c.reasons[0].contains("6.80"), "{:?}", c.reasons);
        // 3100/500 = 6.2 m²; 6.2 / 7.5 = 82.7% < 85%: fails nationally too.
        s.sports_area = Some(3100.0);
        let st = stage_resource(&[school("丙", s)], Stage::Primary, &params(6, 0.85));
        assert_eq!(st.schools[0].pass, Some(false));
        assert_eq!(st.schools[0].below_floor, vec![ResourceKey::SportsArea]);
    }

    #[test]
    fn coefficient_per_stage_is_student_weighted_and_limited() {
        // Building area per pupil: school A 300 pupils × 4.5 m², school B 700 pupils × 12 m².
        // X̄ = (1350 + 8400) / 1000 = 9.75; Σ P(X−X̄)² = 300·27.5625 + 700·5.0625 = 8268.75 + 3543.75 = 11812.5
        // S = sqrt(11.8125) = 3.43693…; CV = 3.43693 / 9.75 = 0.35250…  ≤ 0.50
        let mut a = at_standard();
        a.students = 300.0;
        a.building_area = Some(1350.0);
        let mut b = at_standard();
        b.students = 700.0;
        b.building_area = Some(8400.0);
        let st = stage_resource(&[school("A", a), school("B", b)], Stage::Primary, &params(7, 1.0));
        let cv = st.cv[&ResourceKey::BuildingArea].unwrap();
        assert!((cv - 11.8125f64.sqrt() / 9.75).abs() < 1e-12, "{cv}");
        assert!((cv - 0.352506).abs() < 1e-5);
        assert_eq!(st.cv_pass[&ResourceKey::BuildingArea], Some(true));
        assert_eq!(st.mean[&ResourceKey::BuildingArea], Some(9.75));
    }

    #[test]
    fn special_schools_are_excluded_and_missing_data_is_pending() {
        let mut sp = school(
            "特校",
            Section {
                stage: Some(Stage::Primary),
                students: 80.0,
                ..Default::default()
            },
        );
        sp.kind = SchoolKind::Special;
        let mut gap = at_standard();
        gap.multimedia_rooms = None;
        let st = stage_resource(&[sp, school("缺数", gap)], Stage::Primary, &params(7, 1.0));
        assert_eq!(st.excluded.len(), 1);
        assert_eq!(st.schools.len(), 1);
        assert_eq!(st.schools[0].pass, None);
        assert_eq!(st.cv[&ResourceKey::MultimediaRooms], None);
        let c = indicator_check(&[&st], ResourceKey::MultimediaRooms, &params(7, 1.0));
        assert_eq!(c.verdict, Verdict::Pending);
    }
}
