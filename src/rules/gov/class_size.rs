//! 教督〔2017〕6号 第七条（五）、赣教督委字〔2018〕6号 指标13: 小学班额 ≤ 45 人，初中 ≤ 50 人.

use super::{Inputs, SchoolRule, finding, gap};
use crate::model::{School, SchoolKind, Stage};
use crate::rules::gaps::{Gap, whole_up};
use crate::rules::{Check, Verdict, at_most, fmt_num, fold};

pub const RULE: SchoolRule = SchoolRule { check, gaps };

pub fn check(schools: &[School], cx: &Inputs) -> Check {
    let mut findings = vec![];
    for s in schools.iter().filter(|s| s.kind != SchoolKind::Special) {
        for sec in &s.sections {
            let Some(stage) = sec.stage else { continue };
            let limit = cx.params.class_size.get(stage);
            let std = format!("≤ {} 人", fmt_num(limit));
            findings.push(match sec.max_class_size {
                None => finding(s, Some(stage), Verdict::Pending, std, "最大班额未填写"),
                Some(m) => finding(
                    s,
                    Some(stage),
                    Verdict::of(at_most(m, limit)),
                    std,
                    format!("最大班额 {} 人", fmt_num(m)),
                ),
            });
        }
    }
    fold(findings, "班额")
}

/// The classes to add at the standard size.
pub fn gaps(s: &School, stage: Option<Stage>, cx: &Inputs) -> Vec<Gap> {
    let section = s.sections.iter().find(|x| x.stage == stage);
    let (Some(sec), Some(st)) = (section, stage) else {
        return vec![];
    };
    let Some(max) = sec.max_class_size else { return vec![] };
    let limit = cx.params.class_size.get(st);
    let need = whole_up(sec.students / limit);
    // Without 班级数 (failing on the largest class alone) the classes to add cannot be known.
    let have = sec.classes.unwrap_or(f64::NAN);
    let short = sec.classes.map_or(f64::NAN, |c| whole_up(need - c));
    let mut g = gap("class_size", "班额", max, limit, "人/班", have, need, short, "个班");
    g.note = match sec.classes {
        None => Some(format!(
            "班级数未填写，无法测算须增加的班数；按每班 {} 人须分 {} 个班",
            fmt_num(limit),
            fmt_num(need)
        )),
        Some(classes) if g.shortfall == 0.0 => Some(format!(
            "现有 {} 个班按每班 {} 人可容纳全部 {} 名学生，均衡分班即可",
            fmt_num(classes),
            fmt_num(limit),
            fmt_num(sec.students)
        )),
        Some(_) => None,
    };
    vec![g]
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{inputs, school, sec};
    use super::*;
    use crate::model::profile::RuleParams;

    #[test]
    fn class_size_limits_by_stage() {
        let params = RuleParams::default();
        let class_size = |s: &[School]| check(s, &inputs(&params));
        let ok = school(
            SchoolKind::NineYear,
            vec![
                sec(Stage::Primary, 900.0, 20.0, 45.0),
                sec(Stage::Junior, 500.0, 10.0, 50.0),
            ],
        );
        assert_eq!(class_size(&[ok]).verdict, Verdict::Met);
        let big = school(SchoolKind::Junior, vec![sec(Stage::Junior, 520.0, 10.0, 52.0)]);
        let c = class_size(&[big]);
        assert_eq!(c.verdict, Verdict::NotMet);
        assert_eq!(c.schools[0].measured, "最大班额 52 人");
    }
}
