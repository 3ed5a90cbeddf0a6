//! Splitting whole-school facility totals of combined schools by student-equivalents.

use super::fmt_num;
use crate::model::profile::{SplitWeights, Weights};
use crate::model::{ResourceKey, School, SchoolKind, Stage};

/// A school whose facility totals were split, the columns and the weights used.
pub struct Split {
    pub school: String,
    pub columns: Vec<&'static str>,
    /// How, as every output states it: "小学、初中 1:1.1".
    pub how: String,
}

/// For each combined school with a facility entered on one section only, treats that figure
/// as the whole-school total and shares it out by student-equivalents (DOMAIN §2.2a):
/// 九年一贯制 小学 : 初中 = 1 : 1.1; 十二年一贯制 1 : 1.1 : 1.32 with its 高中部; 完全中学
/// 初中 : 高中 = 1 : 1.2 (its one compulsory row holds the total). The senior share is
/// dropped: senior sections are outside the inspection.
pub fn split_combined(schools: &mut [School], w: &SplitWeights) -> Vec<Split> {
    let mut done = vec![];
    for school in schools.iter_mut() {
        let senior = school.senior_students.filter(|s| *s > 0.0);
        let (weights, sections): (Weights, usize) = match school.kind {
            SchoolKind::NineYear => (w.nine_year, 2),
            SchoolKind::TwelveYear => (w.twelve_year, 2),
            // A 完全中学 has nothing to split without its senior enrolment.
            SchoolKind::Complete if senior.is_some() => (w.complete, 1),
            _ => continue,
        };
        if school.sections.len() != sections {
            continue;
        }
        let weight = |stage: Option<Stage>| match stage {
            Some(Stage::Junior) => weights.junior,
            _ => weights.primary,
        };
        let senior = if school.kind == SchoolKind::NineYear {
            0.0
        } else {
            senior.unwrap_or(0.0)
        };
        let total_weight: f64 = school
            .sections
            .iter()
            .map(|s| s.students * weight(s.stage))
            .sum::<f64>()
            + senior * weights.senior;
        if total_weight <= 0.0 {
            continue;
        }
        let mut split = vec![];
        for f in ResourceKey::FACILITIES {
            let given: Vec<Option<f64>> = school.sections.iter().map(|s| s.amount(f)).collect();
            let total = match given.as_slice() {
                [Some(t), None] | [None, Some(t)] | [Some(t)] => *t,
                _ => continue,
            };
            for s in &mut school.sections {
                let share = s.students * weight(s.stage) / total_weight;
                s.set_amount(f, Some(total * share));
            }
            split.push(f.column());
        }
        if !split.is_empty() {
            done.push(Split {
                school: school.name.clone(),
                columns: split,
                how: how(school.kind, weights, senior),
            });
        }
    }
    done
}

fn how(kind: SchoolKind, w: Weights, senior: f64) -> String {
    let n = fmt_num;
    match kind {
        SchoolKind::NineYear => format!("小学、初中 {}:{}", n(w.primary), n(w.junior)),
        SchoolKind::TwelveYear => format!(
            "小学、初中、高中 {}:{}:{}（高中部在校生 {} 人，其份额不计入）",
            n(w.primary),
            n(w.junior),
            n(w.senior),
            n(senior)
        ),
        _ => format!(
            "初中、高中 {}:{}（高中部在校生 {} 人，其份额不计入）",
            n(w.junior),
            n(w.senior),
            n(senior)
        ),
    }
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
        let done = split_combined(&mut schools, &SplitWeights::default());
        assert_eq!(done.len(), 1);
        let s = &schools[0].sections;
        assert!((s[0].building_area.unwrap() - 6000.0).abs() < 1e-9);
        assert!((s[1].building_area.unwrap() - 4400.0).abs() < 1e-9);
        // Sports area was blank on both rows: stays blank.
        assert_eq!(s[1].sports_area, None);
        assert_eq!(done[0].how, "小学、初中 1:1.1");
    }

    #[test]
    fn senior_sections_take_their_share_out() {
        // 完全中学: 600 junior + 500 senior pupils, 1 : 1.2 → 600 + 600 = 1200 equivalents;
        // 11 400 m² on its junior row: junior 11 400 × 600 / 1200 = 5700.
        let sec = |stage, students, area| Section {
            stage: Some(stage),
            students,
            building_area: area,
            ..Default::default()
        };
        let mut complete = School::new(
            "1",
            "完中",
            SchoolKind::Complete,
            vec![sec(Stage::Junior, 600.0, Some(11_400.0))],
        );
        complete.senior_students = Some(500.0);
        // 十二年一贯制: 500 + 300 × 1.1 + 200 × 1.32 = 500 + 330 + 264 = 1094 equivalents;
        // 10 940 m²: primary 10 940 × 500 / 1094 = 5000, junior 10 940 × 330 / 1094 = 3300.
        let mut twelve = School::new(
            "2",
            "十二年制",
            SchoolKind::TwelveYear,
            vec![
                sec(Stage::Primary, 500.0, Some(10_940.0)),
                sec(Stage::Junior, 300.0, None),
            ],
        );
        twelve.senior_students = Some(200.0);
        let mut schools = vec![complete, twelve];
        let done = split_combined(&mut schools, &SplitWeights::default());
        assert!((schools[0].sections[0].building_area.unwrap() - 5700.0).abs() < 1e-9);
        assert!((schools[1].sections[0].building_area.unwrap() - 5000.0).abs() < 1e-9);
        assert!((schools[1].sections[1].building_area.unwrap() - 3300.0).abs() < 1e-9);
        assert_eq!(done[0].how, "初中、高中 1:1.2（高中部在校生 500 人，其份额不计入）");
        assert_eq!(
            done[1].how,
            "小学、初中、高中 1:1.1:1.32（高中部在校生 200 人，其份额不计入）"
        );
        // Without its senior enrolment a 完全中学 is left as entered.
        schools[0].senior_students = None;
        schools[0].sections[0].building_area = Some(11_400.0);
        assert!(split_combined(&mut schools[..1], &SplitWeights::default()).is_empty());
    }
}
