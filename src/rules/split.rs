//! Splitting whole-school facility totals of combined schools by student-equivalents.

use crate::model::{ResourceKey, School, Stage};

/// Local practice (DOMAIN §2.2): primary : junior = 1 : 1.1 per pupil.
pub const JUNIOR_EQUIVALENT: f64 = 1.1;

/// For each combined school with a facility entered on one section only, treats that figure
/// as the whole-school total and shares it out by student-equivalents. Returns the schools
/// touched and the facilities split, for the report to state.
pub fn split_combined(schools: &mut [School]) -> Vec<(String, Vec<&'static str>)> {
    let mut done = vec![];
    for school in schools
        .iter_mut()
        .filter(|s| s.kind.is_combined() && s.sections.len() == 2)
    {
        let weight = |stage: Option<Stage>| {
            if stage == Some(Stage::Junior) {
                JUNIOR_EQUIVALENT
            } else {
                1.0
            }
        };
        let total_weight: f64 = school.sections.iter().map(|s| s.students * weight(s.stage)).sum();
        if total_weight <= 0.0 {
            continue;
        }
        let mut split = vec![];
        for f in ResourceKey::FACILITIES {
            let given: Vec<Option<f64>> = school.sections.iter().map(|s| s.amount(f)).collect();
            let total = match given.as_slice() {
                [Some(t), None] | [None, Some(t)] => *t,
                _ => continue,
            };
            for s in &mut school.sections {
                let share = s.students * weight(s.stage) / total_weight;
                s.set_amount(f, Some(total * share));
            }
            split.push(f.column());
        }
        if !split.is_empty() {
            done.push((school.name.clone(), split));
        }
    }
    done
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::school::{SchoolKind, Section};

    #[test]
    fn splits_by_one_to_one_point_one() {
        // 600 primary + 400 junior pupils: equivalents 600 and 440, total 1040.
        // 10 400 m² of building area: primary 10 400 × 600/1040 = 6000, junior 10 400 × 440/1040 = 4400.
        let sec = |stage, students, area| Section {
            stage: Some(stage),
            students,
            building_area: area,
            ..Default::default()
        };
        let mut schools = vec![School::new(
            "1",
            "九年制",
            SchoolKind::NineYear,
            vec![
                sec(Stage::Primary, 600.0, Some(10_400.0)),
                sec(Stage::Junior, 400.0, None),
            ],
        )];
        let done = split_combined(&mut schools);
        assert_eq!(done.len(), 1);
        let s = &schools[0].sections;
        assert!((s[0].building_area.unwrap() - 6000.0).abs() < 1e-9);
        assert!((s[1].building_area.unwrap() - 4400.0).abs() < 1e-9);
        // Sports area was blank on both rows: stays blank.
        assert_eq!(s[1].sports_area, None);
    }
}
