//! 调剂建议: teachers moved from schools of a stage with a surplus above the standard to
//! schools of the same stage short of it (seed 000: 数据组逐校核查，调剂确保校校达标、项项达标).

use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

use super::at_most;
use super::gaps::{Gap, round_up};
use super::resource::{StageResource, amount_for, stage_resource};
use crate::model::profile::{PerStage, ResourceParams};
use crate::model::school::Locale;
use crate::model::{ResourceKey, School, Stage};

/// The items a county can close by moving teachers between schools.
pub const TRANSFERABLE: [ResourceKey; 3] = [
    ResourceKey::DegreeTeachers,
    ResourceKey::BackboneTeachers,
    ResourceKey::PeArtTeachers,
];

/// `count` teachers of qualification `key` move from school `from` to school `to`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Transfer {
    pub from: String,
    pub from_name: String,
    pub to: String,
    pub to_name: String,
    pub stage: Stage,
    pub key: ResourceKey,
    pub count: u32,
}

/// A donor's teachers to spare: above the standard of the item, and not so many that the
/// school's 师生比 (中央编办发〔2014〕72号: 小学 1:19、初中 1:13.5) would fail where it held.
fn staffing_slack(school: &School, stage: Stage, staffing: &PerStage) -> f64 {
    let Some(sec) = school.section(stage) else { return 0.0 };
    let limit = staffing.get(stage);
    match sec.staff.or(sec.teachers) {
        Some(staff) if staff > 0.0 && at_most(sec.students / staff, limit) => {
            (staff - sec.students / limit + 1e-9).floor().max(0.0)
        }
        _ => 0.0,
    }
}

/// Every school's teachers to spare under its 师生比, by code.
fn slacks<'a>(by_code: &BTreeMap<&str, &School>, st: &'a StageResource, staffing: &PerStage) -> BTreeMap<&'a str, f64> {
    st.schools
        .iter()
        .filter_map(|r| {
            Some((
                r.code.as_str(),
                staffing_slack(by_code.get(r.code.as_str())?, st.stage, staffing),
            ))
        })
        .collect()
}

struct Donor<'a> {
    code: &'a str,
    name: &'a str,
    locale: Option<Locale>,
    surplus: f64,
}

/// The transfers for the items of `keys`, stage by stage. Every shortfall the stage's surplus
/// can cover is closed (failing schools and the smallest first when it cannot cover all); a
/// donor keeps the standard and its staffing ratio, which it shares across the three items,
/// taken in their order. Few schools take part: a receiver takes one donor where
/// one can cover it, a donor already giving first, then one of the same 城乡类型, then the
/// one with the least to spare that suffices; otherwise the largest surpluses, in that order.
pub fn propose(
    schools: &[School],
    stages: [&StageResource; 2],
    keys: &[ResourceKey],
    staffing: &PerStage,
) -> Vec<Transfer> {
    let by_code: BTreeMap<&str, &School> = schools.iter().map(|s| (s.code.as_str(), s)).collect();
    let mut out = vec![];
    for st in stages {
        let mut slack = slacks(&by_code, st, staffing);
        let mut used: BTreeSet<&str> = BTreeSet::new();
        for key in TRANSFERABLE.into_iter().filter(|k| keys.contains(k)) {
            let std = st.standards[&key];
            let mut receivers = vec![];
            let mut donors = vec![];
            for r in &st.schools {
                let (Some(v), Some(school)) = (r.values[&key], by_code.get(r.code.as_str())) else {
                    continue;
                };
                let Some(amount) = school.section(st.stage).and_then(|s| s.amount(key)) else {
                    continue;
                };
                let required = amount_for(key, r.students, std);
                if r.shortfalls.contains(&key) {
                    // A school the national rule lets pass anyway waits behind failing ones.
                    let stands = r.pass == Some(true);
                    receivers.push((
                        r.code.as_str(),
                        r.name.as_str(),
                        school.locale,
                        round_up(key, required - amount),
                        stands,
                    ));
                } else if v > std {
                    let surplus = (amount - required + 1e-9).floor();
                    if surplus >= 1.0 {
                        donors.push(Donor {
                            code: &r.code,
                            name: &r.name,
                            locale: school.locale,
                            surplus,
                        });
                    }
                }
            }
            let available =
                |d: &Donor, slack: &BTreeMap<&str, f64>| d.surplus.min(slack.get(d.code).copied().unwrap_or(0.0));
            // As many receivers closed as the surplus allows: failing schools first, then the
            // smallest shortfalls.
            receivers.sort_by(|a, b| a.4.cmp(&b.4).then(a.3.total_cmp(&b.3)).then(a.0.cmp(b.0)));
            let mut left: f64 = donors.iter().map(|d| available(d, &slack)).sum();
            receivers.retain(|r| {
                let take = r.3 <= left;
                if take {
                    left -= r.3;
                }
                take
            });
            // The largest first, so that they find a single donor while there is one.
            receivers.sort_by(|a, b| b.3.total_cmp(&a.3).then(a.0.cmp(b.0)));
            for (code, name, locale, need, _) in receivers {
                let rank = |d: &Donor| (!used.contains(d.code), d.locale != locale || locale.is_none());
                let single = donors
                    .iter()
                    .enumerate()
                    .filter(|(_, d)| available(d, &slack) >= need)
                    .min_by(|(_, a), (_, b)| {
                        rank(a)
                            .cmp(&rank(b))
                            .then(available(a, &slack).total_cmp(&available(b, &slack)))
                            .then(a.code.cmp(b.code))
                    })
                    .map(|(i, _)| vec![i]);
                let order = single.unwrap_or_else(|| {
                    let mut all: Vec<usize> = (0..donors.len())
                        .filter(|i| available(&donors[*i], &slack) > 0.0)
                        .collect();
                    all.sort_by(|a, b| {
                        let (a, b) = (&donors[*a], &donors[*b]);
                        rank(a)
                            .cmp(&rank(b))
                            .then(available(b, &slack).total_cmp(&available(a, &slack)))
                            .then(a.code.cmp(b.code))
                    });
                    all
                });
                let mut need = need;
                for i in order {
                    if need <= 0.0 {
                        break;
                    }
                    let give = available(&donors[i], &slack).min(need).min(f64::from(u32::MAX));
                    if give <= 0.0 {
                        continue;
                    }
                    let d = &mut donors[i];
                    d.surplus -= give;
                    *slack.entry(d.code).or_default() -= give;
                    need -= give;
                    used.insert(d.code);
                    out.push(Transfer {
                        from: d.code.to_owned(),
                        from_name: d.name.to_owned(),
                        to: code.to_owned(),
                        to_name: name.to_owned(),
                        stage: st.stage,
                        key,
                        count: give as u32,
                    });
                }
            }
        }
    }
    out
}

/// The schools after the transfers: the item's teachers move, and with them as many 专任教师
/// (持证, and 教职工 where entered), so that 师生比 and 持证上岗 follow.
pub fn apply(schools: &[School], transfers: &[Transfer]) -> Vec<School> {
    let mut after = schools.to_vec();
    for t in transfers {
        let n = t.count as f64;
        for (code, sign) in [(&t.from, -1.0), (&t.to, 1.0)] {
            let Some(sec) = after
                .iter_mut()
                .find(|s| &s.code == code)
                .and_then(|s| s.sections.iter_mut().find(|x| x.stage == Some(t.stage)))
            else {
                continue;
            };
            sec.set_amount(t.key, sec.amount(t.key).map(|a| a + sign * n));
            for f in [&mut sec.teachers, &mut sec.certified_teachers, &mut sec.staff] {
                *f = f.map(|v| v + sign * n);
            }
        }
    }
    after
}

/// One school-stage touched by the transfers: its values and per-school pass before → after.
#[derive(Debug, Clone, Serialize)]
pub struct SchoolChange {
    pub code: String,
    pub name: String,
    pub before: BTreeMap<ResourceKey, Option<f64>>,
    pub after: BTreeMap<ResourceKey, Option<f64>>,
    pub pass_before: Option<bool>,
    pub pass_after: Option<bool>,
}

/// A stage under the transfers: the coefficients of the moved items and the schools touched.
#[derive(Debug, Clone, Serialize)]
pub struct TransferEffect {
    pub stage: Stage,
    pub cv_before: BTreeMap<ResourceKey, Option<f64>>,
    pub cv_after: BTreeMap<ResourceKey, Option<f64>>,
    pub schools: Vec<SchoolChange>,
}

pub fn effects(
    schools: &[School],
    stages: [&StageResource; 2],
    transfers: &[Transfer],
    params: &ResourceParams,
) -> Vec<TransferEffect> {
    if transfers.is_empty() {
        return vec![];
    }
    let moved = apply(schools, transfers);
    let pick = |m: &BTreeMap<ResourceKey, Option<f64>>| -> BTreeMap<ResourceKey, Option<f64>> {
        TRANSFERABLE.iter().map(|k| (*k, m.get(k).copied().flatten())).collect()
    };
    stages
        .into_iter()
        .filter(|st| transfers.iter().any(|t| t.stage == st.stage))
        .map(|st| {
            let after = stage_resource(&moved, st.stage, params);
            let touched: BTreeSet<&str> = transfers
                .iter()
                .filter(|t| t.stage == st.stage)
                .flat_map(|t| [t.from.as_str(), t.to.as_str()])
                .collect();
            let schools = st
                .schools
                .iter()
                .filter(|r| touched.contains(r.code.as_str()))
                .filter_map(|r| {
                    let a = after.schools.iter().find(|x| x.code == r.code)?;
                    Some(SchoolChange {
                        code: r.code.clone(),
                        name: r.name.clone(),
                        before: pick(&r.values),
                        after: pick(&a.values),
                        pass_before: r.pass,
                        pass_after: a.pass,
                    })
                })
                .collect();
            TransferEffect {
                stage: st.stage,
                cv_before: pick(&st.cv),
                cv_after: pick(&after.cv),
                schools,
            }
        })
        .collect()
}

/// Marks the gaps the transfers close, with the measure in words.
pub fn mark_covered(gaps: &mut [Gap], transfers: &[Transfer]) {
    for g in gaps.iter_mut() {
        let into: Vec<&Transfer> = transfers
            .iter()
            .filter(|t| t.to == g.school_code && Some(t.stage) == g.stage && t.key.id() == g.key)
            .collect();
        let n: u64 = into.iter().map(|t| u64::from(t.count)).sum();
        if n > 0 && n as f64 >= g.shortfall {
            let from: Vec<String> = into
                .iter()
                .map(|t| format!("{}调入 {} 人", t.from_name, t.count))
                .collect();
            g.transfer = Some(format!("调剂：从{}", from.join("，从")));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Profile, SchoolKind, Section};
    use crate::rules::gaps::cents_up;
    use proptest::prelude::*;

    /// A primary section meeting every item but backbone teachers, with `teachers` teachers.
    fn section(students: f64, backbone: f64, teachers: f64) -> Section {
        Section {
            stage: Some(Stage::Primary),
            students,
            teachers: Some(teachers),
            certified_teachers: Some(teachers),
            degree_teachers: Some(cents_up(students * 0.06)),
            backbone_teachers: Some(backbone),
            pe_art_teachers: Some(cents_up(students * 0.01)),
            building_area: Some(students * 5.0),
            sports_area: Some(students * 8.0),
            equipment_wan: Some(students * 0.2),
            multimedia_rooms: Some(cents_up(students * 0.03)),
            ..Default::default()
        }
    }

    fn school(code: &str, locale: Locale, s: Section) -> School {
        let mut sc = School::new(code, code, SchoolKind::Primary, vec![s]);
        sc.locale = Some(locale);
        sc
    }

    fn run(schools: &[School]) -> (Vec<Transfer>, ResourceParams) {
        let profile = Profile::builtin("jiangxi-2018").unwrap();
        let params = profile.resource;
        let p = stage_resource(schools, Stage::Primary, &params);
        let j = stage_resource(schools, Stage::Junior, &params);
        (
            propose(schools, [&p, &j], &ResourceKey::ALL, &profile.rules.staffing_ratio),
            params,
        )
    }

    fn t(from: &str, to: &str, count: u32) -> Transfer {
        Transfer {
            from: from.into(),
            from_name: from.into(),
            to: to.into(),
            to_name: to.into(),
            stage: Stage::Primary,
            key: ResourceKey::BackboneTeachers,
            count,
        }
    }

    #[test]
    fn one_donor_per_receiver_nearby_first_and_few_schools() {
        // Backbone standard 1.0 per 100 pupils.
        // A: 620 pupils, 5 → needs 6.2: 2 short.  E: 200 pupils, 1 → needs 2: 1 short.
        // C: 500 pupils, 9 → needs 5: 4 to spare (城区).  D: 300 pupils, 6 → needs 3: 3 to spare (乡村).
        // A (乡村) takes its 2 from D, the same 城乡类型; E (城区) then takes 1 from D too,
        // already giving, so that three schools take part rather than four.
        let schools = [
            school("A", Locale::Rural, section(620.0, 5.0, 40.0)),
            school("C", Locale::Urban, section(500.0, 9.0, 40.0)),
            school("D", Locale::Rural, section(300.0, 6.0, 30.0)),
            school("E", Locale::Urban, section(200.0, 1.0, 15.0)),
        ];
        let (plan, params) = run(&schools);
        assert_eq!(plan, vec![t("D", "A", 2), t("D", "E", 1)]);
        // After: A 7 / 620 = 1.13, E 2 / 200 = 1.0, D 3 / 300 = 1.0: all at the standard.
        let after = stage_resource(&apply(&schools, &plan), Stage::Primary, &params);
        assert!(
            after
                .schools
                .iter()
                .all(|r| !r.shortfalls.contains(&ResourceKey::BackboneTeachers))
        );
    }

    #[test]
    fn short_surplus_closes_the_most_receivers_and_staffing_limits_donors() {
        // Shortfalls 3 (F: 800 pupils, 5 of 8), 1 (G: 100, 0 of 1), 1 (H: 100, 0 of 1); the donor
        // I (500 pupils, 10 of 5) has 5 to spare but 30 teachers: 500 / 19 = 26.3, so only
        // floor(30 − 26.3) = 3 may leave. 3 closes G and H (1 + 1), not F (3) as well.
        let schools = [
            school("F", Locale::Urban, section(800.0, 5.0, 60.0)),
            school("G", Locale::Urban, section(100.0, 0.0, 8.0)),
            school("H", Locale::Urban, section(100.0, 0.0, 8.0)),
            school("I", Locale::Urban, section(500.0, 10.0, 30.0)),
        ];
        let (plan, _) = run(&schools);
        assert_eq!(plan, vec![t("I", "G", 1), t("I", "H", 1)]);
    }

    /// One primary school for the property test: pupils, backbone teachers, teachers.
    fn arb_school() -> impl Strategy<Value = (u32, u32, u32, bool)> {
        (50u32..1500, 0u32..25, 0u32..40, any::<bool>())
    }

    proptest! {
        #[test]
        fn applying_the_transfers_closes_what_they_cover_and_keeps_donors_and_totals(
            rows in prop::collection::vec(arb_school(), 2..9)
        ) {
            let schools: Vec<School> = rows.iter().enumerate().map(|(i, (p, b, extra, rural))| {
                let p = *p as f64;
                // Enough teachers for 1:19 plus `extra`, so some schools can give.
                let teachers = (p / 19.0).ceil() + *extra as f64;
                let locale = if *rural { Locale::Rural } else { Locale::Urban };
                school(&format!("S{i}"), locale, section(p, *b as f64, teachers))
            }).collect();
            let profile = Profile::builtin("jiangxi-2018").unwrap();
            let params = profile.resource;
            let staffing = profile.rules.staffing_ratio;
            let before = stage_resource(&schools, Stage::Primary, &params);
            let junior = stage_resource(&schools, Stage::Junior, &params);
            let plan = propose(&schools, [&before, &junior], &ResourceKey::ALL, &staffing);
            // Re-run the rules on the data with the transfers made.
            let moved = apply(&schools, &plan);
            let after = stage_resource(&moved, Stage::Primary, &params);
            let key = ResourceKey::BackboneTeachers;
            let total = |s: &[School]| s.iter().map(|x| x.sections[0].backbone_teachers.unwrap()).sum::<f64>();
            let teachers = |s: &[School]| s.iter().map(|x| x.sections[0].teachers.unwrap()).sum::<f64>();
            prop_assert_eq!(total(&schools), total(&moved));
            prop_assert_eq!(teachers(&schools), teachers(&moved));
            let staffing_ok = |s: &School| s.sections[0].students / s.sections[0].teachers.unwrap() <= 19.0 + 1e-9;
            for t in &plan {
                let donor = after.schools.iter().find(|r| r.code == t.from).unwrap();
                prop_assert!(!donor.shortfalls.contains(&key), "donor {} below the standard", t.from);
                let (b, a) = (schools.iter().find(|s| s.code == t.from).unwrap(), moved.iter().find(|s| s.code == t.from).unwrap());
                prop_assert!(!staffing_ok(b) || staffing_ok(a), "donor {} lost its staffing ratio", t.from);
            }
            // Every receiver a transfer reaches is closed, and when the spare teachers cover
            // every shortfall, no school is left short.
            for r in after.schools.iter().filter(|r| plan.iter().any(|t| t.to == r.code)) {
                prop_assert!(!r.shortfalls.contains(&key), "receiver {} still short", r.code);
            }
            let std = before.standards[&key];
            let need: f64 = before.schools.iter().map(|r| {
                let s = schools.iter().find(|s| s.code == r.code).unwrap();
                crate::rules::gaps::whole_up(amount_for(key, r.students, std) - s.sections[0].backbone_teachers.unwrap())
            }).sum();
            let spare: f64 = before.schools.iter().map(|r| {
                let s = schools.iter().find(|s| s.code == r.code).unwrap();
                let surplus = (s.sections[0].backbone_teachers.unwrap() - amount_for(key, r.students, std) + 1e-9).floor().max(0.0);
                surplus.min(staffing_slack(s, Stage::Primary, &staffing))
            }).sum();
            if spare >= need {
                prop_assert!(after.schools.iter().all(|r| !r.shortfalls.contains(&key)), "{plan:?}");
            }
        }
    }
}
