//! 教督〔2017〕6号 第七条（十二）、赣教督委字〔2018〕6号 指标20: 专任教师持有教师资格证上岗率达到100%.

use super::{Inputs, SchoolRule, finding, gap};
use crate::model::{School, Section, Stage};
use crate::rules::gaps::{Gap, whole_up};
use crate::rules::{Check, SchoolFinding, Verdict, at_least, fmt_num, fold};

pub const RULE: SchoolRule = SchoolRule { check, gaps };

pub fn check(schools: &[School], _cx: &Inputs) -> Check {
    let mut findings = vec![];
    for s in schools {
        for sec in &s.sections {
            findings.push(certified(s, sec));
        }
    }
    fold(findings, "专任教师持证上岗")
}

fn certified(s: &School, sec: &Section) -> SchoolFinding {
    match (sec.teachers, sec.certified_teachers) {
        (Some(t), Some(c)) => finding(
            s,
            sec.stage,
            Verdict::of(at_least(c, t)),
            "100%",
            format!("专任教师 {} 人，持证 {} 人", fmt_num(t), fmt_num(c)),
        ),
        _ => finding(
            s,
            sec.stage,
            Verdict::Pending,
            "100%",
            "专任教师数或持证专任教师数未填写",
        ),
    }
}

/// The uncertified teachers.
pub fn gaps(s: &School, stage: Option<Stage>, _cx: &Inputs) -> Vec<Gap> {
    let section = s.sections.iter().find(|x| x.stage == stage);
    let Some((t, c)) = section.and_then(|x| Some((x.teachers?, x.certified_teachers?))) else {
        return vec![];
    };
    let share = if t > 0.0 { c / t * 100.0 } else { 0.0 };
    vec![gap(
        "certified_teachers",
        "专任教师持证上岗",
        share,
        100.0,
        "%",
        c,
        t,
        whole_up(t - c),
        "人",
    )]
}
