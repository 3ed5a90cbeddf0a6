//! 教督〔2017〕6号 第七条（四）: 小学、初中 ≤ 2000 人，九年/十二年一贯制义务教育阶段 ≤ 2500 人,
//! no allowance; a profile may grant one (赣教督委字〔2018〕6号 指标12: 2018年9月前建成的超标学校
//! 逐步降低校额并控制在 120% 以内), which holds only while the school reduces: declared.

use super::{Inputs, SchoolRule, finding, gap, ordinary};
use crate::model::profile::{SchoolSizeParams, SizeAllowance};
use crate::model::{School, SchoolKind, Stage};
use crate::rules::gaps::{Gap, whole_up};
use crate::rules::{Check, Verdict, at_most, fmt_num, fold};

pub const RULE: SchoolRule = SchoolRule { check, gaps };

pub fn limit(kind: SchoolKind, p: &SchoolSizeParams) -> f64 {
    if kind.is_combined() { p.combined } else { p.single }
}

/// The size a school built before the allowance's cut-off may keep while reducing.
fn allowed(limit: f64, a: &SizeAllowance) -> f64 {
    limit * (a.percent / 100.0)
}

pub fn check(schools: &[School], cx: &Inputs) -> Check {
    let p = &cx.params.school_size;
    let findings = schools
        .iter()
        .filter(|s| ordinary(s))
        .map(|s| {
            let limit = limit(s.kind, p);
            let n = s.students();
            let measured = format!("在校生 {} 人", fmt_num(n));
            let std = format!("≤ {} 人", fmt_num(limit));
            if at_most(n, limit) {
                return finding(s, None, Verdict::Met, std, measured);
            }
            // 教督〔2017〕6号 has no allowance: over the limit fails unless the profile grants one.
            let Some(a) = p.allowance.as_ref().filter(|a| at_most(n, allowed(limit, a))) else {
                return finding(s, None, Verdict::NotMet, std, measured);
            };
            let percent = fmt_num(a.percent);
            let (year, month) = a.built_before;
            match s.built {
                Some(b) if (b.year, b.month) < a.built_before => {
                    let mut f = finding(s, None, Verdict::Met, std, measured.clone());
                    f.note = Some(format!(
                        "{measured}，超过 {} 人；{}年{}月建成，未超过 {} 人（{percent}%），按{}须逐步降低校额",
                        fmt_num(limit),
                        b.year,
                        b.month,
                        fmt_num(allowed(limit, a)),
                        a.basis
                    ));
                    // 赣教督委字〔2018〕6号 指标12: the allowance holds only while the school reduces.
                    f.declare = Some("逐步降低校额".into());
                    f
                }
                Some(_) => finding(
                    s,
                    None,
                    Verdict::NotMet,
                    std,
                    format!("{measured}（{year}年{month}月及以后建成，不适用 {percent}% 的过渡规定）"),
                ),
                None => finding(
                    s,
                    None,
                    Verdict::Pending,
                    std,
                    format!("{measured}，建成年月未填写，无法判断是否适用 {percent}% 的过渡规定"),
                ),
            }
        })
        .collect();
    fold(findings, "学校规模")
}

/// The pupils over the limit, and over the allowed size for a school built before the cut-off.
pub fn gaps(s: &School, _stage: Option<Stage>, cx: &Inputs) -> Vec<Gap> {
    let p = &cx.params.school_size;
    let limit = limit(s.kind, p);
    let n = s.students();
    let mut g = gap(
        "school_size",
        "学校规模",
        n,
        limit,
        "人",
        n,
        limit,
        whole_up(n - limit),
        "人",
    );
    if let Some(a) = &p.allowance
        && s.built.is_some_and(|b| (b.year, b.month) < a.built_before)
    {
        let (year, month) = a.built_before;
        g.note = Some(format!(
            "{year}年{month}月前建成，按{}不超过 {} 人（{}%），至少须分流 {} 人",
            a.basis,
            fmt_num(allowed(limit, a)),
            fmt_num(a.percent),
            fmt_num(whole_up(n - allowed(limit, a)))
        ));
    }
    vec![g]
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{inputs, school, sec};
    use super::*;
    use crate::model::Profile;
    use crate::model::school::YearMonth;

    #[test]
    fn school_size_with_pre_2018_allowance() {
        // Jiangxi's allowance (赣教督委字〔2018〕6号 指标12).
        let params = Profile::builtin("jiangxi-2018").unwrap().rules;
        let school_size = |s: &[School]| check(s, &inputs(&params));
        // 2200 > 2000 but ≤ 2000 × 120% = 2400: built 2012-09 → met while reducing (declared);
        // built 2019-09 → not met.
        let mut old = school(SchoolKind::Primary, vec![sec(Stage::Primary, 2200.0, 48.0, 45.0)]);
        old.built = Some(YearMonth { year: 2012, month: 9 });
        let c = school_size(&[old.clone()]);
        assert_eq!(c.verdict, Verdict::Met);
        assert_eq!(c.schools[0].declare.as_deref(), Some("逐步降低校额"));
        old.built = Some(YearMonth { year: 2019, month: 9 });
        assert_eq!(school_size(&[old.clone()]).verdict, Verdict::NotMet);
        old.built = None;
        assert_eq!(school_size(&[old.clone()]).verdict, Verdict::Pending);
        // 2401 > 2400: over the allowance whenever built.
        old.built = Some(YearMonth { year: 2012, month: 9 });
        old.sections[0].students = 2401.0;
        assert_eq!(school_size(&[old]).verdict, Verdict::NotMet);
        // 九年一贯制: 1500 + 1000 = 2500 ≤ 2500: met, exactly at the limit.
        let nine = school(
            SchoolKind::NineYear,
            vec![
                sec(Stage::Primary, 1500.0, 33.0, 45.0),
                sec(Stage::Junior, 1000.0, 20.0, 50.0),
            ],
        );
        assert_eq!(school_size(&[nine]).verdict, Verdict::Met);
    }

    #[test]
    fn the_national_standard_has_no_allowance() {
        // 教督〔2017〕6号 第七条（四）: 2200 > 2000 fails, built 2012 or not.
        let params = Profile::builtin("national-2017").unwrap().rules;
        let mut old = school(SchoolKind::Primary, vec![sec(Stage::Primary, 2200.0, 48.0, 45.0)]);
        old.built = Some(YearMonth { year: 2012, month: 9 });
        let c = check(&[old], &inputs(&params));
        assert_eq!(c.verdict, Verdict::NotMet);
        assert_eq!(c.schools[0].measured, "在校生 2200 人");
    }
}
