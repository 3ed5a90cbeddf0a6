//! 教督〔2017〕6号 第七条（六）、赣教督委字〔2018〕6号 指标14: 不足100名学生的村小学和教学点按100名学生
//! 核定公用经费.

use super::{Inputs, SchoolRule, finding, gap};
use crate::model::school::Locale;
use crate::model::{School, SchoolKind, Stage};
use crate::rules::gaps::{Gap, cents_up};
use crate::rules::{Check, Verdict, at_least, fmt_num, fold};

pub const RULE: SchoolRule = SchoolRule { check, gaps };

pub fn check(schools: &[School], cx: &Inputs) -> Check {
    let pupils = cx.params.small_school_pupils;
    let small: Vec<&School> = schools
        .iter()
        .filter(|s| {
            // A primary with a blank 城乡类型 might be a 村小学: it is kept and judged pending.
            s.kind == SchoolKind::TeachingPoint
                || (s.kind == SchoolKind::Primary && matches!(s.locale, Some(Locale::Rural) | None))
        })
        .filter(|s| s.students() < pupils)
        .collect();
    let findings = small
        .iter()
        .map(|s| {
            if s.kind == SchoolKind::Primary && s.locale.is_none() {
                return finding(
                    s,
                    None,
                    Verdict::Pending,
                    format!("村小学按 {} 人核定", fmt_num(pupils)),
                    "城乡类型未填写，无法判断是否为村小学",
                );
            }
            let Some(base) = cx.baseline else {
                return finding(
                    s,
                    None,
                    Verdict::Pending,
                    format!("≥ {} × 生均公用经费基准定额", fmt_num(pupils)),
                    "county.yaml 未填写 finance.public_funds_baseline",
                );
            };
            let need = pupils * base.primary;
            let std = format!(
                "≥ {} 元（{} 人 × {} 元）",
                fmt_num(need),
                fmt_num(pupils),
                fmt_num(base.primary)
            );
            match s.public_budget_wan {
                None => finding(s, None, Verdict::Pending, std, "年度公用经费预算未填写"),
                Some(w) => finding(
                    s,
                    None,
                    Verdict::of(at_least(w * 10_000.0, need)),
                    std,
                    format!(
                        "在校生 {} 人，公用经费预算 {} 元",
                        fmt_num(s.students()),
                        fmt_num(w * 10_000.0)
                    ),
                ),
            }
        })
        .collect::<Vec<_>>();
    let what = format!("不足{}人的村小学和教学点公用经费", fmt_num(pupils));
    if findings.is_empty() && cx.no_small_schools {
        return Check::new(
            Verdict::Met,
            format!(
                "{what}：本县没有不足{}人的村小学和教学点（county.yaml absent.small_schools）",
                fmt_num(pupils)
            ),
        );
    }
    let mut check = fold(findings, &what);
    if check.schools.is_empty() {
        check.summary += "；若本县确实没有此类学校，请在 county.yaml 中写 absent: {small_schools: true}";
    }
    check
}

/// The budget to add, in 万元, to fund the school as one of `small_school_pupils` pupils.
pub fn gaps(s: &School, _stage: Option<Stage>, cx: &Inputs) -> Vec<Gap> {
    let (Some(base), Some(w)) = (cx.baseline, s.public_budget_wan) else {
        return vec![];
    };
    let pupils = cx.params.small_school_pupils;
    let need = pupils * base.primary / 10_000.0;
    vec![gap(
        "small_school_funding",
        &format!("公用经费（按{}人核定）", fmt_num(pupils)),
        w * 10_000.0,
        need * 10_000.0,
        "元",
        w,
        need,
        cents_up(need - w),
        "万元",
    )]
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{inputs, school, sec};
    use super::*;
    use crate::model::profile::{PerStage, RuleParams};

    #[test]
    fn small_schools_funded_as_one_hundred() {
        let params = RuleParams::default();
        let small_school_funding = |s: &[School], baseline, no_small_schools| {
            check(
                s,
                &Inputs {
                    baseline,
                    no_small_schools,
                    ..inputs(&params)
                },
            )
        };
        // 教学点 of 40 pupils, baseline 720 元: needs 100 × 720 = 72 000 元 = 7.2 万元.
        let base = Some(PerStage {
            primary: 720.0,
            junior: 940.0,
        });
        let mut tp = school(SchoolKind::TeachingPoint, vec![sec(Stage::Primary, 40.0, 3.0, 15.0)]);
        tp.public_budget_wan = Some(7.2);
        assert_eq!(small_school_funding(&[tp.clone()], base, false).verdict, Verdict::Met);
        tp.public_budget_wan = Some(2.88); // 40 × 720 = 28 800 元: funded by head count only
        assert_eq!(
            small_school_funding(&[tp.clone()], base, false).verdict,
            Verdict::NotMet
        );
        assert_eq!(small_school_funding(&[tp], None, false).verdict, Verdict::Pending);
        // No small school at all: pending unless the county declares it has none.
        assert_eq!(small_school_funding(&[], base, false).verdict, Verdict::Pending);
        assert_eq!(small_school_funding(&[], base, true).verdict, Verdict::Met);
    }
}
