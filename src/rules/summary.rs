//! County totals per stage: schools, pupils, classes, teachers.

use std::collections::BTreeMap;

use super::assessment::{StageSummary, Summary};
use crate::model::{School, SchoolKind, Stage};

pub fn summarize(schools: &[School]) -> Summary {
    let mut by_kind = BTreeMap::new();
    let mut primary = StageSummary::default();
    let mut junior = StageSummary::default();
    let mut special_students = 0.0;
    for s in schools {
        *by_kind.entry(s.kind.label()).or_insert(0) += 1;
        for sec in &s.sections {
            let target = match sec.stage {
                Some(Stage::Primary) => &mut primary,
                Some(Stage::Junior) => &mut junior,
                None => {
                    special_students += sec.students;
                    continue;
                }
            };
            if s.kind == SchoolKind::Special {
                special_students += sec.students;
                continue;
            }
            target.sections += 1;
            target.students += sec.students;
            target.classes += sec.classes.unwrap_or(0.0);
            target.teachers += sec.teachers.unwrap_or(0.0);
        }
    }
    Summary {
        schools: schools.len(),
        by_kind,
        primary,
        junior,
        special_students,
    }
}
