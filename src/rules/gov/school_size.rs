//! 教督〔2017〕6号 第七条（四）: 小学、初中 ≤ 2000 人，九年/十二年一贯制义务教育阶段 ≤ 2500 人；
//! 赣教督委字〔2018〕6号 指标12: 2018年9月前建成的超标学校控制在 120% 以内并逐步降低.

use super::{Inputs, SchoolRule, finding, gap, ordinary};
use crate::model::profile::SchoolSizeParams;
use crate::model::{School, SchoolKind, Stage};
use crate::rules::gaps::{Gap, whole_up};
use crate::rules::{Check, Verdict, at_most, fmt_num, fold};

pub const RULE: SchoolRule = SchoolRule { check, gaps };

pub fn limit(kind: SchoolKind, p: &SchoolSizeParams) -> f64 {
    if kind.is_combined() { p.combined } else { p.single }
}

/// The size a school built before the cut-off may keep while reducing.
fn transition(limit: f64, p: &SchoolSizeParams) -> f64 {
    limit * (p.transition_percent / 100.0)
}

pub fn check(schools: &[School], cx: &Inputs) -> Check {
    let p = &cx.params.school_size;
    let percent = fmt_num(p.transition_percent);
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
            let within = at_most(n, transition(limit, p));
            match s.built {
                Some(b) if (b.year, b.month) < p.built_before && within => {
                    let mut f = finding(s, None, Verdict::Met, std, measured.clone());
                    f.note = Some(format!(
                        "{measured}，超过 {} 人；{}年{}月建成，未超过 {} 人（{percent}%），按规定须逐步降低校额",
                        fmt_num(limit),
                        b.year,
                        b.month,
                        fmt_num(transition(limit, p))
                    ));
                    f
                }
                None if within => finding(
                    s,
                    None,
                    Verdict::Pending,
                    std,
                    format!("{measured}，建成年月未填写，无法判断是否适用 {percent}% 的过渡标准"),
                ),
                _ => finding(s, None, Verdict::NotMet, std, measured),
            }
        })
        .collect();
    fold(findings, "学校规模")
}

/// The pupils over the limit, and over the transition size for a school built before the cut-off.
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
    if s.built.is_some_and(|b| (b.year, b.month) < p.built_before) {
        let (year, month) = p.built_before;
        g.note = Some(format!(
            "{year}年{month}月前建成，过渡期内不超过 {} 人（{}%），至少须分流 {} 人",
            fmt_num(transition(limit, p)),
            fmt_num(p.transition_percent),
            fmt_num(whole_up(n - transition(limit, p)))
        ));
    }
    vec![g]
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{inputs, school, sec};
    use super::*;
    use crate::model::profile::RuleParams;
    use crate::model::school::YearMonth;

    #[test]
    fn school_size_with_pre_2018_allowance() {
        let params = RuleParams::default();
        let school_size = |s: &[School]| check(s, &inputs(&params));
        // 2200 > 2000 but ≤ 2400 = 120%: built 2012-09 → met while reducing; built 2019-09 → not met.
        let mut old = school(SchoolKind::Primary, vec![sec(Stage::Primary, 2200.0, 48.0, 45.0)]);
        old.built = Some(YearMonth { year: 2012, month: 9 });
        assert_eq!(school_size(&[old.clone()]).verdict, Verdict::Met);
        old.built = Some(YearMonth { year: 2019, month: 9 });
        assert_eq!(school_size(&[old.clone()]).verdict, Verdict::NotMet);
        old.built = None;
        assert_eq!(school_size(&[old]).verdict, Verdict::Pending);
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
}
