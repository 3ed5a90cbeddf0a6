//! 教督〔2017〕6号 第八条（四）、赣教督委字〔2018〕6号 指标29: 教师培训经费不低于学校年度公用经费预算
//! 总额的5%.

use super::{Inputs, SchoolRule, finding, gap};
use crate::model::{School, Stage};
use crate::rules::gaps::{Gap, cents_up};
use crate::rules::{Check, Verdict, at_least, fmt_beside, fmt_num, fold};

pub const RULE: SchoolRule = SchoolRule { check, gaps };

pub fn check(schools: &[School], cx: &Inputs) -> Check {
    let percent = cx.params.training_funds_percent;
    let standard = format!("≥ 公用经费预算的 {}%", fmt_num(percent));
    let findings = schools
        .iter()
        .map(|s| match (s.public_budget_wan, s.training_funds_wan) {
            (Some(b), Some(t)) if b > 0.0 => {
                let share = t / b * 100.0;
                let ok = at_least(t, b * (percent / 100.0));
                finding(
                    s,
                    None,
                    Verdict::of(ok),
                    standard.clone(),
                    format!(
                        "培训经费 {} 万元，占公用经费预算 {} 万元的 {}%",
                        fmt_num(t),
                        fmt_num(b),
                        fmt_beside(share, 2, percent, !ok)
                    ),
                )
            }
            _ => finding(
                s,
                None,
                Verdict::Pending,
                standard.clone(),
                "公用经费预算或培训经费未填写",
            ),
        })
        .collect();
    fold(findings, "教师培训经费")
}

/// The training funds to add, in 万元.
pub fn gaps(s: &School, _stage: Option<Stage>, cx: &Inputs) -> Vec<Gap> {
    let percent = cx.params.training_funds_percent;
    let (Some(b), Some(t)) = (s.public_budget_wan, s.training_funds_wan) else {
        return vec![];
    };
    let need = b * (percent / 100.0);
    vec![gap(
        "training_funds",
        "教师培训经费",
        t / b * 100.0,
        percent,
        "%",
        t,
        need,
        cents_up(need - t),
        "万元",
    )]
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{inputs, school, sec};
    use super::*;
    use crate::model::SchoolKind;
    use crate::model::profile::RuleParams;
    use crate::rules::gov::certified_teachers;

    #[test]
    fn training_funds_five_percent_and_certificates() {
        let params = RuleParams::default();
        let training_funds = |s: &[School]| check(s, &inputs(&params));
        let certified_teachers = |s: &[School]| certified_teachers::check(s, &inputs(&params));
        // 5 / 100 = 5%: met exactly; 4 / 100 = 4%: not met.
        let ok = school(SchoolKind::Primary, vec![sec(Stage::Primary, 500.0, 12.0, 45.0)]);
        assert_eq!(training_funds(&[ok.clone()]).verdict, Verdict::Met);
        let mut low = ok.clone();
        low.training_funds_wan = Some(4.0);
        assert_eq!(training_funds(&[low]).verdict, Verdict::NotMet);
        assert_eq!(certified_teachers(&[ok.clone()]).verdict, Verdict::Met);
        let mut unc = ok;
        unc.sections[0].certified_teachers = Some(29.0);
        assert_eq!(certified_teachers(&[unc]).verdict, Verdict::NotMet);
    }
}
