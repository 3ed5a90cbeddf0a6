//! 中央编办发〔2014〕72号 (城乡统一的中小学教职工编制标准), as the school form and 赣教督委字〔2018〕6号
//! 指标10 要点2 apply it: 师生比 小学 1:19、初中 1:13.5 (在校生 ÷ 教职工数 ≤ 19 / 13.5); without
//! 教职工数 the 专任教师数 stands in, and the form says so.

use super::{Inputs, SchoolRule, finding, gap};
use crate::model::{School, SchoolKind, Stage};
use crate::rules::gaps::{Gap, whole_up};
use crate::rules::{Check, Verdict, at_most, fmt_beside, fmt_num, fold};

pub const RULE: SchoolRule = SchoolRule { check, gaps };

pub fn check(schools: &[School], cx: &Inputs) -> Check {
    let findings = schools
        .iter()
        .filter(|s| s.kind != SchoolKind::Special)
        .flat_map(|s| s.sections.iter().filter_map(move |sec| Some((s, sec, sec.stage?))))
        .map(|(s, sec, stage)| {
            let limit = cx.params.staffing_ratio.get(stage);
            let standard = format!("≤ {}（师生比 1:{}）", fmt_num(limit), fmt_num(limit));
            let (staff, who) = match (sec.staff, sec.teachers) {
                (Some(n), _) => (n, "教职工".to_owned()),
                (None, Some(n)) => (n, "专任教师".to_owned()),
                (None, None) => {
                    return finding(
                        s,
                        Some(stage),
                        Verdict::Pending,
                        standard,
                        "教职工数、专任教师数均未填写",
                    );
                }
            };
            let fallback = if sec.staff.is_none() {
                "（未填教职工数，按专任教师数计）"
            } else {
                ""
            };
            if staff <= 0.0 {
                return finding(
                    s,
                    Some(stage),
                    Verdict::NotMet,
                    standard,
                    format!("{who}数为 0{fallback}"),
                );
            }
            let ratio = sec.students / staff;
            let ok = at_most(ratio, limit);
            finding(
                s,
                Some(stage),
                Verdict::of(ok),
                standard,
                format!(
                    "在校生 {} 人，{who} {} 人{fallback}，师生比 1:{}",
                    fmt_num(sec.students),
                    fmt_num(staff),
                    fmt_beside(ratio, 2, limit, !ok)
                ),
            )
        })
        .collect();
    fold(findings, "师生比")
}

/// The staff to add.
pub fn gaps(s: &School, stage: Option<Stage>, cx: &Inputs) -> Vec<Gap> {
    let section = s.sections.iter().find(|x| x.stage == stage);
    let (Some(sec), Some(st)) = (section, stage) else {
        return vec![];
    };
    let Some(staff) = sec.staff.or(sec.teachers) else {
        return vec![];
    };
    let limit = cx.params.staffing_ratio.get(st);
    let need = whole_up(sec.students / limit);
    let ratio = if staff > 0.0 {
        sec.students / staff
    } else {
        f64::INFINITY
    };
    let who = if sec.staff.is_some() {
        "教职工"
    } else {
        "专任教师"
    };
    let mut g = gap(
        "staffing_ratio",
        "师生比",
        ratio,
        limit,
        "生/师",
        staff,
        need,
        whole_up(need - staff),
        "人",
    );
    g.note = Some(format!("按{who}数计"));
    vec![g]
}
