//! 差异系数测算: for a stage coefficient over its limit (教督〔2017〕6号 第六条: 小学 ≤ 0.50,
//! 初中 ≤ 0.45), the least additional resource that brings it to the limit, given to the
//! lowest schools first.
//!
//! Raising a value xⱼ below E[x²]/E[x] lowers the weighted CV (d(CV²)/dxⱼ ∝ xⱼ·X̄ − E[x²] < 0),
//! and per unit of resource the lowest value lowers it most; so the least total raises the
//! lowest values to one common level L, the smallest L whose CV is within the limit. CV(L)
//! falls strictly as L rises to the highest value (where it is 0), so L is found by bisection.

use serde::Serialize;

use super::at_most;
use super::coefficient::weighted_cv;
use super::gaps::{natural_unit, round_up, value_unit};
use super::resource::{StageResource, amount_for};
use crate::model::{ResourceKey, Stage};

#[derive(Debug, Clone, Serialize)]
pub struct Addition {
    pub code: String,
    pub name: String,
    pub value: f64,
    /// In the item's natural unit (`CvRemedy::unit`), rounded up.
    pub add: f64,
    pub value_after: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct CvRemedy {
    pub stage: Stage,
    pub key: ResourceKey,
    pub cv: f64,
    pub limit: f64,
    /// The level L the lowest schools are raised to, in `value_unit`.
    pub level: f64,
    pub value_unit: &'static str,
    /// The sum of the additions, in `unit`.
    pub total: f64,
    pub unit: &'static str,
    pub schools: Vec<Addition>,
    /// The coefficient with the rounded additions made.
    pub cv_after: f64,
    /// When rounding keeps the coefficient over the limit whatever the level.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

pub fn cv_remedies(stages: [&StageResource; 2]) -> Vec<CvRemedy> {
    let mut out = vec![];
    for st in stages {
        for key in ResourceKey::ALL {
            if st.cv_pass[&key] != Some(false) {
                continue;
            }
            let Some(rows) = st
                .schools
                .iter()
                .map(|r| r.values[&key].map(|v| (r, v)))
                .collect::<Option<Vec<_>>>()
            else {
                continue;
            };
            let pairs: Vec<(f64, f64)> = rows.iter().map(|(r, v)| (r.students, *v)).collect();
            if let Some(plan) = remedy_for(st, key, &rows, &pairs) {
                out.push(plan);
            }
        }
    }
    out
}

fn remedy_for(
    st: &StageResource,
    key: ResourceKey,
    rows: &[(&super::resource::SchoolResource, f64)],
    pairs: &[(f64, f64)],
) -> Option<CvRemedy> {
    let limit = st.cv_limit;
    let cv = weighted_cv(pairs)?;
    let raised = |l: f64| -> Vec<(f64, f64)> { pairs.iter().map(|(p, x)| (*p, x.max(l))).collect() };
    // Strictly within, so that the level found never reads as over the limit.
    let within = |l: f64| weighted_cv(&raised(l)).is_some_and(|c| c <= limit);
    let (mut lo, mut hi) = pairs
        .iter()
        .fold((f64::INFINITY, 0.0f64), |(lo, hi), (_, x)| (lo.min(*x), hi.max(*x)));
    if !lo.is_finite() || at_most(cv, limit) {
        return None;
    }
    for _ in 0..200 {
        let mid = (lo + hi) / 2.0;
        if within(mid) {
            hi = mid
        } else {
            lo = mid
        }
        if hi - lo <= 1e-12 * hi.max(1.0) {
            break;
        }
    }
    // Whole teachers and rooms: the least number, one at a time (`whole_units`).
    let whole = matches!(
        key,
        ResourceKey::DegreeTeachers
            | ResourceKey::BackboneTeachers
            | ResourceKey::PeArtTeachers
            | ResourceKey::MultimediaRooms
    );
    if whole && let Some((mut schools, cv_after)) = whole_units(key, rows, pairs, limit) {
        schools.sort_by(|a, b| a.value.total_cmp(&b.value).then(a.code.cmp(&b.code)));
        let total = schools.iter().map(|s| s.add).sum::<f64>();
        return Some(CvRemedy {
            note: None,
            stage: st.stage,
            key,
            cv,
            limit,
            level: hi,
            value_unit: value_unit(key),
            total,
            unit: natural_unit(key),
            schools,
            cv_after,
        });
    }
    // Areas and equipment round each addition up to the cent, which can overshoot at a small
    // school and raise the coefficient again: step the level up until the rounded additions hold.
    let top = pairs.iter().fold(0.0f64, |m, (_, x)| m.max(*x));
    let mut level = hi;
    let (mut schools, mut cv_after) = rounded(key, rows, pairs, level);
    for step in 1..=200 {
        if at_most(cv_after, limit) || level >= top {
            break;
        }
        level = hi + (top - hi) * f64::from(step) / 200.0;
        (schools, cv_after) = rounded(key, rows, pairs, level);
    }
    let note = (!at_most(cv_after, limit)).then(|| "按整数取整后差异系数仍高于上限，须另行调整".to_owned());
    schools.sort_by(|a, b| a.value.total_cmp(&b.value).then(a.code.cmp(&b.code)));
    let total = schools.iter().map(|s| s.add).sum::<f64>();
    Some(CvRemedy {
        note,
        stage: st.stage,
        key,
        cv,
        limit,
        level,
        value_unit: value_unit(key),
        total: (total * 100.0).round() / 100.0,
        unit: natural_unit(key),
        schools,
        cv_after,
    })
}

/// Whole units (teachers, rooms), one at a time to the school where it raises Σ Pᵢxᵢ² least.
/// One unit raises Σ Pᵢxᵢ by the same amount wherever it goes (xᵢ grows by 1/Pᵢ of a unit
/// per pupil), so after k units the mean is fixed and the coefficient is least where Σ Pᵢxᵢ²
/// is. A unit at school i adds Pᵢδᵢ(2xᵢ + δᵢ), growing with xᵢ: the greedy choice gives the
/// least sum for every k, and the first k within the limit is the least number that suffices.
/// `None` when no number up to a bound does.
fn whole_units(
    key: ResourceKey,
    rows: &[(&super::resource::SchoolResource, f64)],
    pairs: &[(f64, f64)],
    limit: f64,
) -> Option<(Vec<Addition>, f64)> {
    const MOST: usize = 100_000;
    let step: Vec<f64> = rows
        .iter()
        .map(|(r, _)| 1.0 / amount_for(key, r.students, 1.0))
        .collect();
    if step.iter().any(|d| !d.is_finite() || *d <= 0.0) {
        return None;
    }
    let mut now = pairs.to_vec();
    let mut added = vec![0.0f64; rows.len()];
    for _ in 0..MOST {
        let cv = weighted_cv(&now)?;
        if cv <= limit {
            let schools = rows
                .iter()
                .zip(&added)
                .zip(&now)
                .filter(|((_, a), _)| **a > 0.0)
                .map(|(((r, x), a), (_, after))| Addition {
                    code: r.code.clone(),
                    name: r.name.clone(),
                    value: *x,
                    add: *a,
                    value_after: *after,
                })
                .collect();
            return Some((schools, cv));
        }
        let i = (0..now.len()).min_by(|&a, &b| {
            let cost = |i: usize| 2.0 * now[i].1 + step[i];
            cost(a).total_cmp(&cost(b))
        })?;
        added[i] += 1.0;
        now[i].1 = pairs[i].1 + added[i] * step[i];
    }
    None
}

/// The additions, rounded up in the item's unit, that raise every value below `level` to it,
/// and the coefficient they give.
fn rounded(
    key: ResourceKey,
    rows: &[(&super::resource::SchoolResource, f64)],
    pairs: &[(f64, f64)],
    level: f64,
) -> (Vec<Addition>, f64) {
    let mut schools = vec![];
    let mut after = pairs.to_vec();
    for (i, (r, x)) in rows.iter().enumerate() {
        if *x >= level {
            continue;
        }
        let add = round_up(key, amount_for(key, r.students, level - x));
        if add <= 0.0 {
            continue;
        }
        // amount_for is linear in the value: the value one unit of the amount gives.
        let value_after = x + add / amount_for(key, r.students, 1.0);
        after[i].1 = value_after;
        schools.push(Addition {
            code: r.code.clone(),
            name: r.name.clone(),
            value: *x,
            add,
            value_after,
        });
    }
    (schools, weighted_cv(&after).unwrap_or(0.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Profile, School, SchoolKind, Section};
    use crate::rules::resource::stage_resource;

    fn school(code: &str, students: f64, building_per_pupil: f64) -> School {
        let s = Section {
            stage: Some(Stage::Primary),
            students,
            degree_teachers: Some(students),
            backbone_teachers: Some(students),
            pe_art_teachers: Some(students),
            building_area: Some(students * building_per_pupil),
            sports_area: Some(students * 10.0),
            equipment_wan: Some(students),
            multimedia_rooms: Some(students),
            ..Default::default()
        };
        School::new(code, code, SchoolKind::Primary, vec![s])
    }

    fn plans(schools: &[School]) -> Vec<CvRemedy> {
        let params = Profile::builtin("national-2017").unwrap().resource;
        let p = stage_resource(schools, Stage::Primary, &params);
        let j = stage_resource(schools, Stage::Junior, &params);
        cv_remedies([&p, &j])
    }

    #[test]
    fn two_schools_raise_the_lower_to_the_level() {
        // A 500 pupils at 2.0 m², B 500 at 10.0: X̄ = 6, S = 4, CV = 0.667 > 0.50.
        // A raised to L: CV = (10 − L) / (10 + L) ≤ 0.5 ⇔ L ≥ 10/3 = 3.333 m².
        // A gets 500 × (10/3 − 2) = 666.666… → 666.67 m².
        let p = plans(&[school("A", 500.0, 2.0), school("B", 500.0, 10.0)]);
        assert_eq!(p.len(), 1, "{p:#?}");
        let b = &p[0];
        assert_eq!(b.key, ResourceKey::BuildingArea);
        assert!((b.cv - 4.0 / 6.0).abs() < 1e-12);
        assert!((b.level - 10.0 / 3.0).abs() < 1e-9, "{}", b.level);
        assert_eq!(b.schools.len(), 1);
        assert_eq!((b.schools[0].code.as_str(), b.schools[0].add), ("A", 666.67));
        assert_eq!((b.total, b.unit), (666.67, "平方米"));
        assert!(b.cv_after <= 0.5 && b.cv_after > 0.4999, "{}", b.cv_after);
    }

    #[test]
    fn the_lowest_first_then_the_next() {
        // A 200 at 1.0, B 300 at 3.0, C 500 at 10.0. With A alone raised to 3.0:
        // X̄ = 6.5, S² = (500 × 3.5² + 500 × 3.5²) / 1000 = 12.25, CV = 3.5 / 6.5 = 0.538 > 0.5,
        // so B is raised too, both to L = 10/3 as above: A 200 × (10/3 − 1) = 466.67 m²,
        // B 300 × (10/3 − 3) = 100.00 m²; 566.67 m² in all.
        let p = plans(&[
            school("A", 200.0, 1.0),
            school("B", 300.0, 3.0),
            school("C", 500.0, 10.0),
        ]);
        let b = &p[0];
        let adds: Vec<(&str, f64)> = b.schools.iter().map(|s| (s.code.as_str(), s.add)).collect();
        assert_eq!(adds, vec![("A", 466.67), ("B", 100.0)]);
        assert_eq!(b.total, 566.67);
        assert!(b.cv_after <= 0.5, "{}", b.cv_after);
    }

    proptest::proptest! {
        /// Whole teachers rounded up never leave the coefficient over the limit unsaid, and
        /// only schools below the level receive.
        #[test]
        fn rounded_additions_bring_the_coefficient_within_the_limit(
            rows in proptest::collection::vec((5u32..1500, 0u32..30), 2..9)
        ) {
            let schools: Vec<School> = rows.iter().enumerate().map(|(i, (p, b))| {
                let mut s = school(&format!("S{i}"), *p as f64, 5.0);
                s.sections[0].backbone_teachers = Some(*b as f64);
                s
            }).collect();
            for p in plans(&schools) {
                proptest::prop_assert!(p.note.is_some() || at_most(p.cv_after, p.limit), "{p:#?}");
                for a in &p.schools {
                    proptest::prop_assert!(a.add > 0.0 && a.value_after > a.value);
                }
            }
        }
    }

    #[test]
    fn a_coefficient_within_its_limit_needs_no_plan() {
        assert!(plans(&[school("A", 500.0, 5.0), school("B", 500.0, 6.0)]).is_empty());
    }

    /// Every way of adding fewer whole teachers, tried one by one, leaves the coefficient over
    /// the limit: the plan's total is the least that suffices.
    #[test]
    fn the_whole_teacher_total_is_the_least_by_exhaustive_search() {
        // 3 to 4 schools of 20..400 pupils with 0..6 backbone teachers, from a fixed LCG.
        let mut seed = 7u64;
        let mut next = |n: u64| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        let mut planned = 0;
        for case in 0..300 {
            let count = 3 + next(2) as usize;
            let rows: Vec<(f64, f64)> = (0..count).map(|_| (20.0 + next(381) as f64, next(7) as f64)).collect();
            let schools: Vec<School> = rows
                .iter()
                .enumerate()
                .map(|(i, (p, b))| {
                    let mut s = school(&format!("S{i}"), *p, 5.0);
                    s.sections[0].backbone_teachers = Some(*b);
                    s
                })
                .collect();
            let Some(plan) = plans(&schools)
                .into_iter()
                .find(|p| p.key == ResourceKey::BackboneTeachers)
            else {
                continue;
            };
            planned += 1;
            assert!(
                plan.note.is_none() && plan.cv_after <= plan.limit,
                "case {case}: {plan:#?}"
            );
            let total = plan.total as usize;
            // Values per 100 pupils after adding `add[i]` teachers to school i.
            let cv_with = |add: &[usize]| {
                let pairs: Vec<(f64, f64)> = rows
                    .iter()
                    .zip(add)
                    .map(|((p, b), a)| (*p, (b + *a as f64) / p * 100.0))
                    .collect();
                weighted_cv(&pairs).unwrap_or(f64::INFINITY)
            };
            // Every split of total − 1 teachers over the schools stays over the limit. That
            // covers smaller totals too: one more teacher at the lowest school (below
            // E[x²]/E[x]) always lowers the coefficient, so a smaller total within the limit
            // would give a total − 1 within it.
            if total == 0 {
                continue;
            }
            let fewer = total - 1;
            let mut add = vec![0usize; count];
            let mut tried = 0;
            loop {
                if add.iter().sum::<usize>() == fewer {
                    tried += 1;
                    let cv = cv_with(&add);
                    assert!(
                        cv > plan.limit,
                        "case {case}: {fewer} teachers {add:?} give {cv}, plan says {total}"
                    );
                }
                // The next vector with entries 0..=fewer (odometer order).
                let mut k = 0;
                while k < count {
                    add[k] += 1;
                    if add[k] <= fewer && add[..=k].iter().sum::<usize>() <= fewer {
                        break;
                    }
                    add[k] = 0;
                    k += 1;
                }
                if k == count {
                    break;
                }
            }
            assert!(tried > 0);
        }
        assert!(planned > 20, "only {planned} cases needed a plan");
    }
}
