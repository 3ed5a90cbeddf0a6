//! 教督〔2017〕6号 第七条（五）、赣教督委字〔2018〕6号 指标13: 小学班额 ≤ 45 人，初中 ≤ 50 人.

use super::{Inputs, SchoolRule, finding, gap};
use crate::model::{School, SchoolKind, Stage};
use crate::rules::gaps::{Gap, whole_up};
use crate::rules::{Check, Verdict, at_most, fmt_beside, fmt_num, fold};

pub const RULE: SchoolRule = SchoolRule { check, gaps };

pub fn check(schools: &[School], cx: &Inputs) -> Check {
    let mut findings = vec![];
    for s in schools.iter().filter(|s| s.kind != SchoolKind::Special) {
        for sec in &s.sections {
            let Some(stage) = sec.stage else { continue };
            let limit = cx.params.class_size.get(stage);
            let std = format!("≤ {} 人", fmt_num(limit));
            // An average over the limit proves some class is over it, whatever 最大班额 says.
            if let Some(over) = average_over(sec.students, sec.classes, limit) {
                findings.push(finding(s, Some(stage), Verdict::NotMet, std, over));
                continue;
            }
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

/// "在校生 500 人、10 个班，平均班额 50 人，超过 45 人" when the average is over the limit.
fn average_over(students: f64, classes: Option<f64>, limit: f64) -> Option<String> {
    let classes = classes.filter(|c| *c > 0.0)?;
    let average = students / classes;
    (!at_most(average, limit)).then(|| {
        format!(
            "在校生 {} 人、{} 个班，平均班额 {} 人，超过 {} 人，至少有一个班超额",
            fmt_num(students),
            fmt_num(classes),
            fmt_beside(average, 2, limit, true)
                .trim_end_matches('0')
                .trim_end_matches('.'),
            fmt_num(limit)
        )
    })
}

/// The classes to add at the standard size.
pub fn gaps(s: &School, stage: Option<Stage>, cx: &Inputs) -> Vec<Gap> {
    let section = s.sections.iter().find(|x| x.stage == stage);
    let (Some(sec), Some(st)) = (section, stage) else {
        return vec![];
    };
    let limit = cx.params.class_size.get(st);
    // The figure that fails: the largest class, or the average when that is over the limit.
    let average = sec.classes.filter(|c| *c > 0.0).map(|c| sec.students / c);
    let max = match (sec.max_class_size, average) {
        (Some(m), Some(a)) => m.max(a),
        (m, a) => match m.or(a) {
            Some(v) => v,
            None => return vec![],
        },
    };
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
        // 490 / 10 = 49 ≤ 50 on average, but the largest class has 52.
        let big = school(SchoolKind::Junior, vec![sec(Stage::Junior, 490.0, 10.0, 52.0)]);
        let c = class_size(&[big]);
        assert_eq!(c.verdict, Verdict::NotMet);
        assert_eq!(c.schools[0].measured, "最大班额 52 人");
        // 500 pupils in 10 classes: 500 / 10 = 50 > 45, so some class is over 45 whatever
        // 最大班额 (here 45) says.
        let avg = school(SchoolKind::Primary, vec![sec(Stage::Primary, 500.0, 10.0, 45.0)]);
        let c = class_size(&[avg]);
        assert_eq!(c.verdict, Verdict::NotMet);
        assert_eq!(
            c.schools[0].measured,
            "在校生 500 人、10 个班，平均班额 50 人，超过 45 人，至少有一个班超额"
        );
        // 451 / 10 = 45.1 > 45; 450 / 10 = 45 exactly is not over.
        let avg = school(SchoolKind::Primary, vec![sec(Stage::Primary, 451.0, 10.0, 45.0)]);
        assert!(class_size(&[avg]).schools[0].measured.contains("平均班额 45.1 人"));
        let avg = school(SchoolKind::Primary, vec![sec(Stage::Primary, 450.0, 10.0, 45.0)]);
        assert_eq!(class_size(&[avg]).verdict, Verdict::Met);
    }
}
