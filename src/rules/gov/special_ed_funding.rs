//! 教督〔2017〕6号 第七条（七）、赣教督委字〔2018〕6号 指标15: 特殊教育学校生均公用经费不低于6000元.

use super::{Inputs, SchoolRule, finding, gap};
use crate::model::{School, SchoolKind, Stage};
use crate::rules::gaps::{Gap, cents_up};
use crate::rules::{Check, Verdict, at_least, fmt_beside, fmt_num, fold};

pub const RULE: SchoolRule = SchoolRule { check, gaps };

/// Each special school from its own budget; a county without one by its county-wide figure.
pub fn check(schools: &[School], cx: &Inputs) -> Check {
    let min = cx.params.special_ed_min_per_pupil;
    let special: Vec<&School> = schools.iter().filter(|s| s.kind == SchoolKind::Special).collect();
    if special.is_empty() {
        return match cx.special_ed_per_pupil {
            Some(v) => {
                let mut c = Check::new(
                    Verdict::of(at_least(v, min)),
                    format!("特殊教育生均公用经费 {} 元（≥ {} 元）", fmt_num(v), fmt_num(min)),
                );
                if c.verdict != Verdict::Met {
                    c.reasons.push(format!(
                        "特殊教育生均公用经费 {} 元，低于 {} 元",
                        fmt_num(v),
                        fmt_num(min)
                    ));
                }
                c
            }
            None => Check::pending("无特殊教育学校数据，且 county.yaml 未填写 finance.special_ed_per_pupil"),
        };
    }
    let standard = format!("≥ {} 元/生", fmt_num(min));
    let findings = special
        .iter()
        .map(|s| match s.public_budget_wan {
            None => finding(s, None, Verdict::Pending, standard.clone(), "年度公用经费预算未填写"),
            Some(w) => {
                let per = w * 10_000.0 / s.students();
                finding(
                    s,
                    None,
                    Verdict::of(at_least(per, min)),
                    standard.clone(),
                    format!("生均公用经费 {} 元", fmt_beside(per, 2, min, !at_least(per, min))),
                )
            }
        })
        .collect();
    fold(findings, "特殊教育学校生均公用经费")
}

/// The budget to add, in 万元, to reach the minimum per pupil.
pub fn gaps(s: &School, _stage: Option<Stage>, cx: &Inputs) -> Vec<Gap> {
    let min = cx.params.special_ed_min_per_pupil;
    let Some(w) = s.public_budget_wan.filter(|_| s.students() > 0.0) else {
        return vec![];
    };
    let need = min * s.students() / 10_000.0;
    vec![gap(
        "special_ed_funding",
        "特殊教育生均公用经费",
        w * 10_000.0 / s.students(),
        min,
        "元/生",
        w,
        need,
        cents_up(need - w),
        "万元",
    )]
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{inputs, school};
    use super::*;
    use crate::model::Section;
    use crate::model::profile::RuleParams;

    #[test]
    fn special_funding_from_school_budget() {
        let params = RuleParams::default();
        let special_ed_funding = |s: &[School], special_ed_per_pupil| {
            check(
                s,
                &Inputs {
                    special_ed_per_pupil,
                    ..inputs(&params)
                },
            )
        };
        // 48 万元 / 80 pupils = 6000 元: met exactly.
        let mut sp = school(
            SchoolKind::Special,
            vec![Section {
                stage: None,
                students: 80.0,
                ..Default::default()
            }],
        );
        sp.public_budget_wan = Some(48.0);
        assert_eq!(special_ed_funding(&[sp.clone()], None).verdict, Verdict::Met);
        sp.public_budget_wan = Some(47.0);
        assert_eq!(special_ed_funding(&[sp], None).verdict, Verdict::NotMet);
        assert_eq!(special_ed_funding(&[], Some(6500.0)).verdict, Verdict::Met);
        assert_eq!(special_ed_funding(&[], None).verdict, Verdict::Pending);
    }
}
