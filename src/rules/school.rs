//! Per-school government-guarantee checks (教督〔2017〕6号 第七条、第八条; 赣教督委字〔2018〕6号 指标11–15、20、29).

use super::{Check, SchoolFinding, Verdict, at_least, at_most, fmt_beside, fmt_num, fold};
use crate::model::profile::PerStage;
use crate::model::school::Locale;
use crate::model::{School, SchoolKind, Section, Stage};

fn finding(
    school: &School,
    stage: Option<Stage>,
    verdict: Verdict,
    standard: impl Into<String>,
    measured: impl Into<String>,
) -> SchoolFinding {
    SchoolFinding {
        code: school.code.clone(),
        name: school.name.clone(),
        stage,
        verdict,
        standard: standard.into(),
        measured: measured.into(),
        note: None,
    }
}

/// 教学点 and special schools are not 小学/初中 in the sense of the room and size rules.
fn ordinary(s: &School) -> bool {
    !matches!(s.kind, SchoolKind::Special | SchoolKind::TeachingPoint)
}

/// 第七条（三）: 每12个班级配备音乐、美术专用教室1间以上 (at least one of each).
pub fn rooms_needed(classes: f64) -> f64 {
    (classes / 12.0).ceil().max(1.0)
}

/// 第七条（三）: 音乐专用教室 ≥ 96 m²，美术专用教室 ≥ 90 m².
pub const MUSIC_ROOM_MIN_AREA: f64 = 96.0;
pub const ART_ROOM_MIN_AREA: f64 = 90.0;

/// 第七条（四）: 小学、初中 ≤ 2000 人，九年/十二年一贯制义务教育阶段 ≤ 2500 人.
pub fn school_size_limit(kind: SchoolKind) -> f64 {
    if kind.is_combined() { 2500.0 } else { 2000.0 }
}

/// 第七条（五）: 小学班额 ≤ 45 人，初中 ≤ 50 人.
pub fn class_size_limit(stage: Stage) -> f64 {
    match stage {
        Stage::Primary => 45.0,
        Stage::Junior => 50.0,
    }
}

/// 中央编办发〔2014〕72号: 在校生 ÷ 教职工数 ≤ 19（小学）、13.5（初中）.
pub fn staffing_limit(stage: Stage) -> f64 {
    match stage {
        Stage::Primary => 19.0,
        Stage::Junior => 13.5,
    }
}

/// 第七条（三）: 每12个班级配备音乐、美术专用教室1间以上；音乐教室 ≥ 96 m²，美术教室 ≥ 90 m².
pub fn music_art_rooms(schools: &[School]) -> Check {
    let findings = schools
        .iter()
        .filter(|s| ordinary(s))
        .map(|s| {
            let (Some(classes), Some(music), Some(art)) = (s.classes(), s.music_rooms, s.art_rooms) else {
                return finding(s, None, Verdict::Pending, "每12班各1间", "班级数或专用教室数未填写");
            };
            let need = rooms_needed(classes);
            let mut short = vec![];
            if !at_least(music, need) {
                short.push(format!("音乐教室 {} 间少于 {} 间", fmt_num(music), fmt_num(need)));
            }
            if !at_least(art, need) {
                short.push(format!("美术教室 {} 间少于 {} 间", fmt_num(art), fmt_num(need)));
            }
            let mut missing = false;
            for (rooms, area, min, what) in [
                (music, s.music_room_min_area, MUSIC_ROOM_MIN_AREA, "音乐"),
                (art, s.art_room_min_area, ART_ROOM_MIN_AREA, "美术"),
            ] {
                match area {
                    Some(a) if rooms > 0.0 && !at_least(a, min) => {
                        short.push(format!("{what}教室最小面积 {} 平方米，小于 {min} 平方米", fmt_num(a)))
                    }
                    None if rooms > 0.0 => missing = true,
                    _ => {}
                }
            }
            let measured = format!(
                "{} 个班，音乐教室 {} 间、美术教室 {} 间",
                fmt_num(classes),
                fmt_num(music),
                fmt_num(art)
            );
            let verdict = if !short.is_empty() {
                Verdict::NotMet
            } else if missing {
                Verdict::Pending
            } else {
                Verdict::Met
            };
            let measured = if short.is_empty() {
                measured
            } else {
                format!("{measured}；{}", short.join("；"))
            };
            finding(
                s,
                None,
                verdict,
                format!("各 ≥ {} 间，音乐 ≥ 96 平方米、美术 ≥ 90 平方米", fmt_num(need)),
                measured,
            )
        })
        .collect();
    fold(findings, "音乐、美术专用教室")
}

/// 第七条（四）: 小学、初中 ≤ 2000 人，九年/十二年一贯制义务教育阶段 ≤ 2500 人；
/// 2018年9月前建成的超标学校控制在 120% 以内并逐步降低（赣教督委字〔2018〕6号 指标12）.
pub fn school_size(schools: &[School]) -> Check {
    let findings = schools
        .iter()
        .filter(|s| ordinary(s))
        .map(|s| {
            let limit = school_size_limit(s.kind);
            let n = s.students();
            let measured = format!("在校生 {} 人", fmt_num(n));
            let std = format!("≤ {} 人", fmt_num(limit));
            if at_most(n, limit) {
                return finding(s, None, Verdict::Met, std, measured);
            }
            let within = at_most(n, limit * 1.2);
            match s.built {
                Some(b) if (b.year, b.month) < (2018, 9) && within => {
                    let mut f = finding(s, None, Verdict::Met, std, measured.clone());
                    f.note = Some(format!(
                        "{measured}，超过 {} 人；{}年{}月建成，未超过 {} 人（120%），按规定须逐步降低校额",
                        fmt_num(limit),
                        b.year,
                        b.month,
                        fmt_num(limit * 1.2)
                    ));
                    f
                }
                None if within => finding(
                    s,
                    None,
                    Verdict::Pending,
                    std,
                    format!("{measured}，建成年月未填写，无法判断是否适用 120% 的过渡标准"),
                ),
                _ => finding(s, None, Verdict::NotMet, std, measured),
            }
        })
        .collect();
    fold(findings, "学校规模")
}

/// 第七条（五）: 小学班额 ≤ 45 人，初中 ≤ 50 人.
pub fn class_size(schools: &[School]) -> Check {
    let mut findings = vec![];
    for s in schools.iter().filter(|s| s.kind != SchoolKind::Special) {
        for sec in &s.sections {
            let Some(stage) = sec.stage else { continue };
            let limit = class_size_limit(stage);
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

/// 第七条（六）: 不足100名学生的村小学和教学点按100名学生核定公用经费.
pub fn small_school_funding(schools: &[School], baseline: Option<PerStage>, declared_none: bool) -> Check {
    let small: Vec<&School> = schools
        .iter()
        .filter(|s| {
            // A primary with a blank 城乡类型 might be a 村小学: it is kept and judged pending.
            s.kind == SchoolKind::TeachingPoint
                || (s.kind == SchoolKind::Primary && matches!(s.locale, Some(Locale::Rural) | None))
        })
        .filter(|s| s.students() < 100.0)
        .collect();
    let findings = small
        .iter()
        .map(|s| {
            if s.kind == SchoolKind::Primary && s.locale.is_none() {
                return finding(
                    s,
                    None,
                    Verdict::Pending,
                    "村小学按 100 人核定",
                    "城乡类型未填写，无法判断是否为村小学",
                );
            }
            let Some(base) = baseline else {
                return finding(
                    s,
                    None,
                    Verdict::Pending,
                    "≥ 100 × 生均公用经费基准定额",
                    "county.yaml 未填写 finance.public_funds_baseline",
                );
            };
            let need = 100.0 * base.primary;
            let std = format!("≥ {} 元（100 人 × {} 元）", fmt_num(need), fmt_num(base.primary));
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
    let what = "不足100人的村小学和教学点公用经费";
    if findings.is_empty() && declared_none {
        return Check::new(
            Verdict::Met,
            format!("{what}：本县没有不足100人的村小学和教学点（county.yaml absent.small_schools）"),
        );
    }
    let mut check = fold(findings, what);
    if check.schools.is_empty() {
        check.summary += "；若本县确实没有此类学校，请在 county.yaml 中写 absent: {small_schools: true}";
    }
    check
}

/// 第七条（七）: 特殊教育学校生均公用经费不低于6000元.
pub fn special_ed_funding(schools: &[School], county_figure: Option<f64>) -> Check {
    let special: Vec<&School> = schools.iter().filter(|s| s.kind == SchoolKind::Special).collect();
    if special.is_empty() {
        return match county_figure {
            Some(v) => {
                let mut c = Check::new(
                    Verdict::of(at_least(v, 6000.0)),
                    format!("特殊教育生均公用经费 {} 元（≥ 6000 元）", fmt_num(v)),
                );
                if c.verdict != Verdict::Met {
                    c.reasons
                        .push(format!("特殊教育生均公用经费 {} 元，低于 6000 元", fmt_num(v)));
                }
                c
            }
            None => Check::pending("无特殊教育学校数据，且 county.yaml 未填写 finance.special_ed_per_pupil"),
        };
    }
    let findings = special
        .iter()
        .map(|s| match s.public_budget_wan {
            None => finding(s, None, Verdict::Pending, "≥ 6000 元/生", "年度公用经费预算未填写"),
            Some(w) => {
                let per = w * 10_000.0 / s.students();
                finding(
                    s,
                    None,
                    Verdict::of(at_least(per, 6000.0)),
                    "≥ 6000 元/生",
                    format!("生均公用经费 {} 元", fmt_beside(per, 2, 6000.0, !at_least(per, 6000.0))),
                )
            }
        })
        .collect();
    fold(findings, "特殊教育学校生均公用经费")
}

/// 中央编办发〔2014〕72号 (城乡统一的中小学教职工编制标准), as the school form and 赣教督委字〔2018〕6号
/// A10 要点2 apply it: 师生比 小学 1:19、初中 1:13.5
/// (在校生 ÷ 教职工数 ≤ 19 / 13.5); without 教职工数 the 专任教师数 stands in, and the form
/// says so.
pub fn staffing_ratio(schools: &[School]) -> Check {
    let findings = schools
        .iter()
        .filter(|s| s.kind != SchoolKind::Special)
        .flat_map(|s| s.sections.iter().filter_map(move |sec| Some((s, sec, sec.stage?))))
        .map(|(s, sec, stage)| {
            let limit = staffing_limit(stage);
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

/// 第八条（四）: 教师培训经费不低于学校年度公用经费预算总额的5%.
pub fn training_funds(schools: &[School]) -> Check {
    let findings = schools
        .iter()
        .map(|s| match (s.public_budget_wan, s.training_funds_wan) {
            (Some(b), Some(t)) if b > 0.0 => {
                let share = t / b * 100.0;
                finding(
                    s,
                    None,
                    Verdict::of(at_least(t, b * 0.05)),
                    "≥ 公用经费预算的 5%",
                    format!(
                        "培训经费 {} 万元，占公用经费预算 {} 万元的 {}%",
                        fmt_num(t),
                        fmt_num(b),
                        fmt_beside(share, 2, 5.0, !at_least(t, b * 0.05))
                    ),
                )
            }
            _ => finding(
                s,
                None,
                Verdict::Pending,
                "≥ 公用经费预算的 5%",
                "公用经费预算或培训经费未填写",
            ),
        })
        .collect();
    fold(findings, "教师培训经费")
}

/// 第七条（十二）: 专任教师持有教师资格证上岗率达到100%.
pub fn certified_teachers(schools: &[School]) -> Check {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::school::YearMonth;

    fn school(kind: SchoolKind, sections: Vec<Section>) -> School {
        School {
            code: "1".into(),
            name: "测试学校".into(),
            kind,
            locale: Some(Locale::Urban),
            built: None,
            music_rooms: Some(2.0),
            music_room_min_area: Some(96.0),
            art_rooms: Some(2.0),
            art_room_min_area: Some(90.0),
            public_budget_wan: Some(100.0),
            training_funds_wan: Some(5.0),
            senior_students: None,
            sections,
        }
    }

    fn sec(stage: Stage, students: f64, classes: f64, max: f64) -> Section {
        Section {
            stage: Some(stage),
            students,
            classes: Some(classes),
            max_class_size: Some(max),
            teachers: Some(30.0),
            certified_teachers: Some(30.0),
            ..Default::default()
        }
    }

    #[test]
    fn rooms_per_twelve_classes() {
        // 24 classes need ceil(24/12) = 2 of each: met. 25 classes need 3: not met.
        let ok = school(SchoolKind::Primary, vec![sec(Stage::Primary, 1000.0, 24.0, 45.0)]);
        assert_eq!(music_art_rooms(&[ok]).verdict, Verdict::Met);
        let short = school(SchoolKind::Primary, vec![sec(Stage::Primary, 1000.0, 25.0, 45.0)]);
        assert_eq!(music_art_rooms(&[short]).verdict, Verdict::NotMet);
        // Music room of 88 m² < 96 m².
        let mut small = school(SchoolKind::Primary, vec![sec(Stage::Primary, 1000.0, 24.0, 45.0)]);
        small.music_room_min_area = Some(88.0);
        let c = music_art_rooms(&[small]);
        assert_eq!(c.verdict, Verdict::NotMet);
        assert!(c.reasons[0].contains("88"), "{:?}", c.reasons);
    }

    #[test]
    fn school_size_with_pre_2018_allowance() {
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

    #[test]
    fn class_size_limits_by_stage() {
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

    #[test]
    fn small_schools_funded_as_one_hundred() {
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

    #[test]
    fn training_funds_five_percent_and_certificates() {
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

    #[test]
    fn special_funding_from_school_budget() {
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
