//! 缺口测算: for every failing school-stage item, the amount to add so that the value reaches
//! the standard, in the unit a school adds it in (seed 000: 数据组逐校核查、调剂，确保校校达标、
//! 项项达标; seed 002: 问题清单、一校一策).

use serde::Serialize;
use std::collections::BTreeMap;

use super::gov::{self, Inputs, Unit};
use super::resource::{StageResource, amount_for};
use super::{Check, Verdict, at_least};
use crate::model::profile::{PerStage, ResourceParams};
use crate::model::{Profile, ResourceKey, RuleId, School, Stage};

/// One item a school (or one stage of it) falls short on.
#[derive(Debug, Clone, Serialize)]
pub struct Gap {
    pub school_code: String,
    pub school_name: String,
    /// `None` for school-wide items (rooms, size, funds).
    pub stage: Option<Stage>,
    /// A resource key id (`degree_teachers` …) or one of the ids of docs/assessment-json.md.
    pub key: &'static str,
    /// The item as people read it.
    pub item: String,
    /// The rule whose finding fails, e.g. `gov.class_size`.
    pub rule: RuleId,
    /// The indicators of the profile bound to that rule.
    pub indicators: Vec<String>,
    /// The measured value and the standard, in the indicator's terms (`value_unit`).
    pub value: f64,
    pub standard: f64,
    pub value_unit: &'static str,
    /// What the school has and needs, in `unit`.
    pub amount: f64,
    pub required: f64,
    /// `required − amount`, rounded up: whole teachers, rooms, classes and pupils; m² and
    /// 万元 to 0.01.
    pub shortfall: f64,
    pub unit: &'static str,
    /// 未达标; for a resource item under the national rule, 达标 when the rule lets it stand
    /// (≥ 85%, 6 of 7 met) and 待核实 when the school's other items are not all known.
    pub verdict: Verdict,
    /// Under a "6 of 7, rest ≥ 85%" rule, for a failing school: whether the item is in the
    /// cheapest set of items that makes the school pass, and what it needs there (the floor
    /// only, for an item that may stay below the standard).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cheapest_set: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_pass: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The transfers of the plan that close it, in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transfer: Option<String>,
}

/// Whole units up, tolerant of binary rounding: ceil(1.0 × 620 / 100 − 5) = ceil(1.2) = 2,
/// and 6.000000000001 − 6 needs nothing.
pub fn whole_up(x: f64) -> f64 {
    (x - 1e-9).ceil().max(0.0)
}

/// Up to the next 0.01 (m², 万元), tolerant of binary rounding.
pub fn cents_up(x: f64) -> f64 {
    ((x * 100.0 - 1e-6).ceil() / 100.0).max(0.0)
}

/// A shortfall of a resource item in its natural unit: whole teachers and rooms, m² and 万元
/// to 0.01.
pub fn round_up(key: ResourceKey, x: f64) -> f64 {
    match key {
        ResourceKey::BuildingArea | ResourceKey::SportsArea | ResourceKey::EquipmentValue => cents_up(x),
        _ => whole_up(x),
    }
}

/// The unit a school adds a resource item in.
pub fn natural_unit(key: ResourceKey) -> &'static str {
    match key {
        ResourceKey::DegreeTeachers | ResourceKey::BackboneTeachers | ResourceKey::PeArtTeachers => "人",
        ResourceKey::BuildingArea | ResourceKey::SportsArea => "平方米",
        ResourceKey::EquipmentValue => "万元",
        ResourceKey::MultimediaRooms => "间",
    }
}

/// The unit the indicator's value is quoted in.
pub fn value_unit(key: ResourceKey) -> &'static str {
    match key {
        ResourceKey::DegreeTeachers | ResourceKey::BackboneTeachers | ResourceKey::PeArtTeachers => "人/百生",
        ResourceKey::BuildingArea | ResourceKey::SportsArea => "平方米/生",
        ResourceKey::EquipmentValue => "元/生",
        ResourceKey::MultimediaRooms => "间/百生",
    }
}

/// The indicators of the profile bound to `rule`, on the indicator or on one of its points.
pub fn indicators_of(profile: &Profile, rule: RuleId) -> Vec<String> {
    profile
        .indicators
        .iter()
        .filter(|i| i.rule == Some(rule) || i.points.iter().any(|p| p.rule == Some(rule)))
        .map(|i| i.id.clone())
        .collect()
}

/// Every shortfall of the schools, resource items first (stage by stage, in sheet order),
/// then the per-school checks in rule order.
pub fn gaps(
    profile: &Profile,
    schools: &[School],
    stages: [&StageResource; 2],
    checks: &BTreeMap<RuleId, Check>,
    baseline: Option<PerStage>,
) -> Vec<Gap> {
    let params = &profile.resource;
    let mut out = vec![];
    for st in stages {
        for key in ResourceKey::ALL {
            let rule = RuleId::Resource(key);
            if !checks.contains_key(&rule) {
                continue;
            }
            let indicators = indicators_of(profile, rule);
            for r in &st.schools {
                let Some(v) = r.values[&key].filter(|_| r.shortfalls.contains(&key)) else {
                    continue;
                };
                let Some(sec) = schools
                    .iter()
                    .find(|s| s.code == r.code)
                    .and_then(|s| s.section(st.stage))
                else {
                    continue;
                };
                let standard = st.standards[&key];
                let amount = sec.amount(key).unwrap_or(0.0);
                let required = amount_for(key, r.students, standard);
                // As indicator_check judges the item: it fails the school when every item is
                // wanted, when under the floor, or when the school fails the per-school rule;
                // it stands when the school passes; otherwise it waits for the missing data.
                let fails = params.min_items_met >= ResourceKey::ALL.len()
                    || r.below_floor.contains(&key)
                    || r.pass == Some(false);
                let lets_stand = !fails && r.pass == Some(true);
                let verdict = if fails {
                    Verdict::NotMet
                } else if lets_stand {
                    Verdict::Met
                } else {
                    Verdict::Pending
                };
                out.push(Gap {
                    school_code: r.code.clone(),
                    school_name: r.name.clone(),
                    stage: Some(st.stage),
                    key: key.id(),
                    item: key.label().to_owned(),
                    rule,
                    indicators: indicators.clone(),
                    value: v,
                    standard,
                    value_unit: value_unit(key),
                    amount,
                    required,
                    shortfall: round_up(key, required - amount),
                    unit: natural_unit(key),
                    verdict,
                    cheapest_set: None,
                    to_pass: None,
                    transfer: None,
                    note: lets_stand.then(|| {
                        format!(
                            "不低于标准的{}%且该校至少{}项达标，按规定可视为达标",
                            super::fmt_num(params.floor_ratio * 100.0),
                            params.min_items_met
                        )
                    }),
                });
            }
        }
        cheapest_sets(&mut out, st, params);
    }
    let inputs = Inputs {
        params: &profile.rules,
        baseline,
        special_ed_per_pupil: None,
        no_small_schools: false,
    };
    for (rule, check) in checks {
        // Resource items' shortfalls are above; county rules have no school to add to.
        let rule_gaps = match gov::unit(*rule) {
            Unit::School(r) => r.gaps,
            Unit::Resource(_) | Unit::County(_) => continue,
        };
        for f in check.schools.iter().filter(|f| f.verdict == Verdict::NotMet) {
            let Some(school) = schools.iter().find(|s| s.code == f.code) else {
                continue;
            };
            let indicators = indicators_of(profile, *rule);
            for g in rule_gaps(school, f.stage, &inputs) {
                out.push(Gap {
                    school_code: school.code.clone(),
                    school_name: school.name.clone(),
                    stage: f.stage,
                    rule: *rule,
                    indicators: indicators.clone(),
                    verdict: Verdict::NotMet,
                    cheapest_set: None,
                    to_pass: None,
                    ..g
                });
            }
        }
    }
    out
}

/// Under a "min items met, rest ≥ floor" rule (教督〔2017〕6号 第六条: 6 of 7, rest ≥ 85%): for
/// each failing school of the stage, the cheapest set of its items that makes it pass. Cheapest
/// means the least sum of the relative raises (each raise as a share of the standard, the one
/// measure the seven units share), then the fewest items to act on. Items left below the
/// standard need only reach the floor.
fn cheapest_sets(gaps: &mut [Gap], st: &StageResource, params: &ResourceParams) {
    let slack = ResourceKey::ALL.len().saturating_sub(params.min_items_met);
    if slack == 0 {
        return;
    }
    for r in st.schools.iter().filter(|r| r.pass == Some(false)) {
        // Unknown values: the set cannot be known.
        if r.values.values().any(Option::is_none) {
            continue;
        }
        let short: Vec<(ResourceKey, f64, f64)> = r
            .shortfalls
            .iter()
            .map(|k| {
                let (v, std) = (r.values[k].unwrap_or(0.0), st.standards[k]);
                let full = (std - v) / std;
                let floor = ((std * params.floor_ratio - v) / std).max(0.0);
                (
                    *k,
                    full,
                    if at_least(v, std * params.floor_ratio) {
                        0.0
                    } else {
                        floor
                    },
                )
            })
            .collect();
        // Every subset of the short items that may stay below the standard (at most `slack`).
        let mut best: Option<(usize, f64, u32)> = None;
        for mask in 0u32..(1 << short.len()) {
            if mask.count_ones() as usize > slack {
                continue;
            }
            let mut acts = 0;
            let mut cost = 0.0;
            for (i, (_, full, floor)) in short.iter().enumerate() {
                let left = mask & (1 << i) != 0;
                let c = if left { *floor } else { *full };
                if c > 0.0 {
                    acts += 1;
                    cost += c;
                }
            }
            if best.is_none_or(|(a, c, _)| cost < c - 1e-12 || ((cost - c).abs() <= 1e-12 && acts < a)) {
                best = Some((acts, cost, mask));
            }
        }
        let Some((_, _, mask)) = best else { continue };
        for (i, (key, _, floor)) in short.iter().enumerate() {
            let Some(g) = gaps
                .iter_mut()
                .find(|g| g.school_code == r.code && g.stage == Some(st.stage) && g.key == key.id())
            else {
                continue;
            };
            let left = mask & (1 << i) != 0;
            g.cheapest_set = Some(!left || *floor > 0.0);
            g.to_pass = Some(if !left {
                g.shortfall
            } else if *floor > 0.0 {
                let to_floor = amount_for(*key, r.students, st.standards[key] * params.floor_ratio);
                round_up(*key, to_floor - g.amount)
            } else {
                0.0
            });
            if left {
                g.note = Some(format!(
                    "可保留低于标准，但不得低于标准的{}%",
                    super::fmt_num(params.floor_ratio * 100.0)
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Section;
    use crate::model::profile::RuleParams;
    use crate::model::school::YearMonth;
    use crate::rules::gov::{
        certified_teachers, class_size, fixtures, music_art_rooms, school_size, small_school_funding,
        special_ed_funding, staffing_ratio, training_funds,
    };
    use crate::rules::resource::stage_resource;

    /// A 500-pupil primary section exactly at every standard (resource.rs tests: 21, 5, 4.5
    /// teachers; 2250, 3750 m²; 100 万元; 11.5 rooms).
    pub(crate) fn at_standard(students: f64) -> Section {
        let k = students / 500.0;
        Section {
            stage: Some(Stage::Primary),
            students,
            classes: Some(12.0),
            max_class_size: Some(45.0),
            teachers: Some(40.0 * k),
            certified_teachers: Some(40.0 * k),
            degree_teachers: Some(21.0 * k),
            backbone_teachers: Some(5.0 * k),
            pe_art_teachers: Some(4.5 * k),
            building_area: Some(2250.0 * k),
            sports_area: Some(3750.0 * k),
            equipment_wan: Some(100.0 * k),
            multimedia_rooms: Some(11.5 * k),
            ..Default::default()
        }
    }

    fn school(code: &str, s: Section) -> School {
        let mut sc = School::new(code, format!("学校{code}"), crate::model::SchoolKind::Primary, vec![s]);
        sc.music_rooms = Some(1.0);
        sc.art_rooms = Some(1.0);
        sc.music_room_min_area = Some(96.0);
        sc.art_room_min_area = Some(90.0);
        sc.public_budget_wan = Some(100.0);
        sc.training_funds_wan = Some(5.0);
        sc
    }

    fn run(profile: &str, schools: &[School]) -> Vec<Gap> {
        let p = Profile::builtin(profile).unwrap();
        let primary = stage_resource(schools, Stage::Primary, &p.resource);
        let junior = stage_resource(schools, Stage::Junior, &p.resource);
        let mut checks = BTreeMap::new();
        for k in ResourceKey::ALL {
            checks.insert(RuleId::Resource(k), Check::pending(""));
        }
        let params = RuleParams::default();
        let cx = fixtures::inputs(&params);
        checks.insert(RuleId::MusicArtRooms, music_art_rooms::check(schools, &cx));
        checks.insert(RuleId::SchoolSize, school_size::check(schools, &cx));
        checks.insert(RuleId::ClassSize, class_size::check(schools, &cx));
        checks.insert(RuleId::TrainingFunds, training_funds::check(schools, &cx));
        checks.insert(RuleId::CertifiedTeachers, certified_teachers::check(schools, &cx));
        checks.insert(RuleId::StaffingRatio, staffing_ratio::check(schools, &cx));
        gaps(&p, schools, [&primary, &junior], &checks, None)
    }

    fn find<'a>(gaps: &'a [Gap], code: &str, key: &str) -> &'a Gap {
        gaps.iter()
            .find(|g| g.school_code == code && g.key == key)
            .unwrap_or_else(|| panic!("no {key} gap of {code}: {gaps:#?}"))
    }

    #[test]
    fn resource_shortfalls_in_natural_units() {
        let mut s = at_standard(620.0);
        // Backbone: ceil(1.0 × 620 / 100 − 5) = ceil(6.2 − 5) = ceil(1.2) = 2 teachers.
        s.backbone_teachers = Some(5.0);
        // Sports: 7.5 × 620 = 4650 m² required; 4400.004 entered → 249.996 → 250.00 m².
        s.sports_area = Some(4400.004);
        // Equipment: 2000 元 × 620 = 1 240 000 元 = 124 万元; 120.123 entered → 3.877 → 3.88 万元.
        s.equipment_wan = Some(120.123);
        // Multimedia: 2.3 × 620 / 100 = 14.26 rooms; 13 entered → ceil(1.26) = 2 rooms.
        s.multimedia_rooms = Some(13.0);
        let g = run("jiangxi-2018", &[school("1", s)]);
        let b = find(&g, "1", "backbone_teachers");
        assert_eq!((b.amount, b.shortfall, b.unit), (5.0, 2.0, "人"));
        assert!((b.required - 6.2).abs() < 1e-9 && (b.value - 5.0 / 6.2).abs() < 1e-9);
        assert_eq!(b.indicators, vec!["A2".to_owned()]);
        assert_eq!(find(&g, "1", "sports_area").shortfall, 250.0);
        assert_eq!(find(&g, "1", "equipment_value").shortfall, 3.88);
        assert_eq!(find(&g, "1", "equipment_value").unit, "万元");
        assert_eq!(find(&g, "1", "multimedia_rooms").shortfall, 2.0);
        // Items at the standard give no gap: 4.2 × 620 / 100 = 26.04 degree teachers entered.
        assert!(!g.iter().any(|x| x.key == "degree_teachers"), "{g:#?}");
        // Jiangxi wants every item: no cheapest set.
        assert!(
            g.iter()
                .all(|x| x.cheapest_set.is_none() && x.verdict == Verdict::NotMet)
        );
    }

    #[test]
    fn per_school_shortfalls() {
        let mut s = at_standard(500.0);
        // 25 classes need ceil(25 / 12) = 3 music and art rooms; 2 music rooms: 1 short.
        s.classes = Some(25.0);
        // 500 pupils at ≤ 45 need ceil(11.1) = 12 classes; 25 exist: 0 to add, regroup.
        s.max_class_size = Some(48.0);
        // 师生比: 500 / 19 = 26.3 → 27 staff needed; 20 teachers (no 教职工数): 7 to add.
        s.teachers = Some(20.0);
        // 20 teachers, 18 certified: 2 uncertified.
        s.certified_teachers = Some(18.0);
        let mut sc = school("2", s);
        sc.music_rooms = Some(2.0);
        sc.art_rooms = Some(3.0);
        // Music room of 88 m² < 96: 8.00 m² to add.
        sc.music_room_min_area = Some(88.0);
        // Training funds 4 万元 of a 100 万元 budget: 5% = 5 万元, 1.00 short.
        sc.training_funds_wan = Some(4.0);
        let g = run("jiangxi-2018", &[sc]);
        assert_eq!(find(&g, "2", "music_rooms").shortfall, 1.0);
        assert!(!g.iter().any(|x| x.key == "art_rooms"));
        assert_eq!(find(&g, "2", "music_room_area").shortfall, 8.0);
        let c = find(&g, "2", "class_size");
        assert_eq!((c.required, c.shortfall), (12.0, 0.0));
        assert!(c.note.as_deref().unwrap().contains("均衡分班"));
        let r = find(&g, "2", "staffing_ratio");
        assert_eq!((r.amount, r.required, r.shortfall), (20.0, 27.0, 7.0));
        assert_eq!(find(&g, "2", "certified_teachers").shortfall, 2.0);
        assert_eq!(find(&g, "2", "training_funds").shortfall, 1.0);
        assert!(find(&g, "2", "training_funds").indicators.contains(&"A29".to_owned()));
    }

    #[test]
    fn class_and_school_size() {
        // Junior: 520 pupils at ≤ 50 need ceil(10.4) = 11 classes; 10 exist: 1 to add.
        let mut s = at_standard(520.0);
        s.stage = Some(Stage::Junior);
        s.classes = Some(10.0);
        s.max_class_size = Some(52.0);
        let mut j = school("3", s);
        j.kind = crate::model::SchoolKind::Junior;
        // 2200 pupils built 2019-09: over 2000 with no allowance, 200 over.
        let mut big = school("4", at_standard(2200.0));
        big.built = Some(YearMonth { year: 2019, month: 9 });
        let g = run("national-2017", &[j, big]);
        let c = find(&g, "3", "class_size");
        assert_eq!(
            (c.amount, c.required, c.shortfall, c.stage),
            (10.0, 11.0, 1.0, Some(Stage::Junior))
        );
        let b = find(&g, "4", "school_size");
        assert_eq!(
            (b.value, b.standard, b.shortfall, b.stage),
            (2200.0, 2000.0, 200.0, None)
        );
    }

    #[test]
    fn national_cheapest_set() {
        // 6 of 7, rest ≥ 85%; the cost of a raise is its share of the standard.
        // Sports 3500 / 500 = 7.0 m² (93% of 7.5) and multimedia 11 / 500 × 100 = 2.2 (96% of
        // 2.3): five met, so one must be raised. Multimedia costs (2.3 − 2.2) / 2.3 = 0.043,
        // sports (7.5 − 7.0) / 7.5 = 0.067: multimedia is the set, sports may stay.
        let mut s = at_standard(500.0);
        s.sports_area = Some(3500.0);
        s.multimedia_rooms = Some(11.0);
        let g = run("national-2017", &[school("5", s)]);
        let mm = find(&g, "5", "multimedia_rooms");
        // 11.5 − 11 = 0.5 → 1 room.
        assert_eq!(
            (mm.shortfall, mm.cheapest_set, mm.to_pass),
            (1.0, Some(true), Some(1.0))
        );
        let sp = find(&g, "5", "sports_area");
        // 7.5 × 500 − 3500 = 250 m² to the standard, none to pass.
        assert_eq!(
            (sp.shortfall, sp.cheapest_set, sp.to_pass),
            (250.0, Some(false), Some(0.0))
        );

        // Sports 3000 / 500 = 6.0 (80%, under the floor) and multimedia 10 / 500 × 100 = 2.0
        // (87%). Raising sports to the standard costs 0.2; raising it to the floor
        // 0.85 × 7.5 = 6.375 costs 0.05 and multimedia to 2.3 costs 0.130: 0.180 < 0.2, so
        // both are in the set, sports to the floor: 6.375 × 500 − 3000 = 187.5 m².
        let mut s = at_standard(500.0);
        s.sports_area = Some(3000.0);
        s.multimedia_rooms = Some(10.0);
        let g = run("national-2017", &[school("6", s.clone())]);
        let sp = find(&g, "6", "sports_area");
        assert_eq!(
            (sp.shortfall, sp.cheapest_set, sp.to_pass),
            (750.0, Some(true), Some(187.5))
        );
        let mm = find(&g, "6", "multimedia_rooms");
        // 11.5 − 10 = 1.5 → 2 rooms.
        assert_eq!(
            (mm.shortfall, mm.cheapest_set, mm.to_pass),
            (2.0, Some(true), Some(2.0))
        );

        // Sports alone short at 6.0: to the floor (0.05) rather than the standard (0.2).
        let mut one = at_standard(500.0);
        one.sports_area = Some(3000.0);
        let g = run("national-2017", &[school("7", one)]);
        let sp = find(&g, "7", "sports_area");
        assert_eq!(
            (sp.shortfall, sp.cheapest_set, sp.to_pass),
            (750.0, Some(true), Some(187.5))
        );

        // Three short, one may stay: sports 6.0, building 2000 / 500 = 4.0 (89% of 4.5),
        // multimedia 2.0. Leaving sports at the floor: 0.05 + 0.111 + 0.130 = 0.292; leaving
        // building: 0.2 + 0.130 = 0.330; leaving multimedia: 0.2 + 0.111 = 0.311.
        s.building_area = Some(2000.0);
        let g = run("national-2017", &[school("8", s)]);
        assert_eq!(find(&g, "8", "sports_area").to_pass, Some(187.5));
        // 4.5 × 500 − 2000 = 250 m².
        assert_eq!(find(&g, "8", "building_area").to_pass, Some(250.0));
        assert_eq!(find(&g, "8", "multimedia_rooms").to_pass, Some(2.0));
        assert!(g.iter().all(|x| x.cheapest_set == Some(true)));
    }

    #[test]
    fn an_item_the_national_rule_lets_stand_is_listed_as_met() {
        // Multimedia 2.0 ≥ 85% and the other six met: the school passes; the gap stays listed.
        let mut s = at_standard(500.0);
        s.multimedia_rooms = Some(10.0);
        let g = run("national-2017", &[school("8", s)]);
        let mm = find(&g, "8", "multimedia_rooms");
        assert_eq!((mm.verdict, mm.cheapest_set), (Verdict::Met, None));
        assert!(mm.note.as_deref().unwrap().contains("可视为达标"));
    }

    #[test]
    fn a_shortfall_beside_missing_data_waits_under_the_national_rule() {
        // Multimedia 10 / 500 × 100 = 2.0 (87% of 2.3) and no equipment figure: whether six
        // of seven are met is not known, as indicator_check says (待核实).
        let mut s = at_standard(500.0);
        s.multimedia_rooms = Some(10.0);
        s.equipment_wan = None;
        let g = run("national-2017", &[school("9", s.clone())]);
        assert_eq!(find(&g, "9", "multimedia_rooms").verdict, Verdict::Pending);
        // Jiangxi wants all seven: it fails whatever the missing figure.
        let g = run("jiangxi-2018", &[school("9", s)]);
        assert_eq!(find(&g, "9", "multimedia_rooms").verdict, Verdict::NotMet);
    }

    #[test]
    fn funding_shortfalls_in_wan_yuan() {
        // 教学点 of 40 pupils funded as 100: 100 × 720 元 = 72 000 元 = 7.2 万元; 2.88 entered → 4.32.
        let base = Some(PerStage {
            primary: 720.0,
            junior: 940.0,
        });
        let mut tp = school("10", at_standard(40.0));
        tp.kind = crate::model::SchoolKind::TeachingPoint;
        tp.locale = Some(crate::model::school::Locale::Rural);
        tp.public_budget_wan = Some(2.88);
        // Special school of 80 pupils: 6000 × 80 = 480 000 元 = 48 万元; 45.5 entered → 2.5.
        let mut sp = school(
            "11",
            Section {
                stage: None,
                students: 80.0,
                ..Default::default()
            },
        );
        sp.kind = crate::model::SchoolKind::Special;
        sp.public_budget_wan = Some(45.5);
        let schools = [tp, sp];
        let p = Profile::builtin("national-2017").unwrap();
        let primary = stage_resource(&schools, Stage::Primary, &p.resource);
        let junior = stage_resource(&schools, Stage::Junior, &p.resource);
        let params = RuleParams::default();
        let cx = Inputs {
            baseline: base,
            ..fixtures::inputs(&params)
        };
        let checks: BTreeMap<RuleId, Check> = [
            (RuleId::SmallSchoolFunding, small_school_funding::check(&schools, &cx)),
            (RuleId::SpecialEdFunding, special_ed_funding::check(&schools, &cx)),
        ]
        .into();
        let g = gaps(&p, &schools, [&primary, &junior], &checks, base);
        let small = find(&g, "10", "small_school_funding");
        assert_eq!((small.required, small.shortfall, small.unit), (7.2, 4.32, "万元"));
        let special = find(&g, "11", "special_ed_funding");
        assert_eq!((special.required, special.shortfall, special.stage), (48.0, 2.5, None));
        // 455 000 元 / 80 = 5687.5 元 per pupil.
        assert_eq!(special.value, 5687.5);
    }

    #[test]
    fn rounding_up() {
        assert_eq!(whole_up(1.0 * 620.0 / 100.0 - 5.0), 2.0);
        assert_eq!(whole_up(4.2 * 500.0 / 100.0 - 21.0), 0.0);
        assert_eq!(cents_up(249.996), 250.0);
        assert_eq!(cents_up(3.877), 3.88);
        assert_eq!(cents_up(2.5), 2.5);
    }
}
