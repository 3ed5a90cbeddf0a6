//! 表Ⅳ 政府保障程度 (15 rows) and 表Ⅴ 教育质量 (9 rows): the national indicators
//! (教督〔2017〕6号 第七条、第八条), each with the form's fill-in sentence completed from the data,
//! or the conclusion declared in scores.yaml, and whether it is met. Under another indicator
//! system the rows are the national ones, their verdicts those of the indicators the built-in
//! crosswalk maps onto them.

use std::collections::BTreeMap;

use super::Conclusion;
use crate::model::{Crosswalk, Profile, School, SchoolKind, Stage, Verdict, Workspace};
use crate::rules::assessment::IndicatorResult;
use crate::rules::{Assessment, Check, fmt_num};

const NATIONAL: &str = "national-2017";
/// A blank of the form left unfilled.
const BLANK: &str = "____";

/// The two tables; `missing` gets what the data lacks.
pub fn tables(
    ws: &Workspace,
    a: &Assessment,
    schools: &[School],
    missing: &mut Vec<String>,
) -> (Vec<Conclusion>, Vec<Conclusion>) {
    let Some(national) = Profile::builtin(NATIONAL) else {
        return (vec![], vec![]);
    };
    let mapped = mapped(ws, a);
    let mut f = Filler {
        ws,
        a,
        schools,
        missing,
    };
    let mut table = |category: &str, rows: u32| -> Vec<Conclusion> {
        national
            .indicators
            .iter()
            // 表Ⅳ has the 15 items of 第七条 (G16, 国办发〔2018〕82号, is not on the form).
            .filter(|i| i.category == category && i.number <= rows)
            .map(|i| {
                let results = mapped.get(&i.id).cloned().unwrap_or_default();
                let verdict = results.iter().map(|r| r.verdict).max();
                let rule = i.rule.map(|r| r.name());
                let text = rule
                    .as_deref()
                    .and_then(|r| f.sentence(r))
                    .unwrap_or_else(|| declared(ws, &results));
                Conclusion {
                    number: i.number,
                    name: i.name.clone(),
                    text,
                    met: match verdict {
                        Some(Verdict::Met) => "是",
                        Some(Verdict::NotMet) => "否",
                        _ => "待核实",
                    },
                }
            })
            .collect()
    };
    let government = table("政府保障程度", 15);
    let quality = table("教育质量", 9);
    (government, quality)
}

/// The assessment's indicators serving each national indicator: themselves under the national
/// system, through the crosswalk under another.
fn mapped<'a>(ws: &Workspace, a: &'a Assessment) -> BTreeMap<String, Vec<&'a IndicatorResult>> {
    let mut out: BTreeMap<String, Vec<&IndicatorResult>> = BTreeMap::new();
    if ws.profile.id == NATIONAL {
        for r in &a.indicators {
            out.entry(r.id.clone()).or_default().push(r);
        }
        return out;
    }
    let Some(cw) = Crosswalk::builtin(&ws.profile.id, NATIONAL) else {
        return out;
    };
    for r in &a.indicators {
        let points: Vec<String> = ws
            .profile
            .indicator(&r.id)
            .map(|i| i.points.iter().map(|p| p.id.clone()).collect())
            .unwrap_or_default();
        for p in &points {
            for t in cw.targets(&r.id, p).map(|(t, _)| t).unwrap_or_default() {
                let list = out.entry(t.clone()).or_default();
                if !list.iter().any(|x| x.id == r.id) {
                    list.push(r);
                }
            }
        }
    }
    out
}

/// A row without figures: the reason declared in scores.yaml, else the indicator's summary.
fn declared(ws: &Workspace, results: &[&IndicatorResult]) -> String {
    if results.is_empty() {
        return "本县所用指标体系没有对应指标".into();
    }
    let one = results.len() == 1;
    results
        .iter()
        .map(|r| {
            let said = ws
                .scores
                .get(&r.id)
                .and_then(|e| e.reason.clone())
                .unwrap_or_else(|| r.summary.clone());
            if one && ws.profile.id == NATIONAL {
                said
            } else {
                format!("{} {}：{said}", r.id, r.name)
            }
        })
        .collect::<Vec<_>>()
        .join("；")
}

struct Filler<'a> {
    ws: &'a Workspace,
    a: &'a Assessment,
    schools: &'a [School],
    missing: &'a mut Vec<String>,
}

/// A count as the form prints it (whole), or the blank.
fn int(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.0}")).unwrap_or_else(|| BLANK.into())
}

/// A ratio as the form prints it (1 decimal), or the blank.
fn pct(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.1}")).unwrap_or_else(|| BLANK.into())
}

impl Filler<'_> {
    fn need(&mut self, v: Option<f64>, what: &str) -> Option<f64> {
        if v.is_none() {
            self.missing.push(what.to_owned());
        }
        v
    }

    /// (met, total) of a per-school check.
    fn tally(&self, rule: &str) -> Option<(usize, usize)> {
        let c: &Check = self.a.checks.get(rule)?;
        (!c.schools.is_empty()).then(|| {
            let met = c.schools.iter().filter(|f| f.verdict == Verdict::Met).count();
            (met, c.schools.len())
        })
    }

    fn tally_text(&self, rule: &str, what: &str, unit: &str) -> String {
        match self.tally(rule) {
            Some((met, total)) => format!("{what}的学校{met}{unit}，共{total}{unit}"),
            None => format!("{what}的学校{BLANK}{unit}，共{BLANK}{unit}"),
        }
    }

    /// The fill-in sentence of a rule's row; `None` for a rule the form has no sentence for.
    fn sentence(&mut self, rule: &str) -> Option<String> {
        let ws: &Workspace = self.ws;
        let c = ws.config.as_ref()?;
        let p = &ws.profile.rules;
        Some(match rule {
            "gov.staffing_ratio" => self.tally_text(rule, "按城乡统一的编制标准师生比达标", "个"),
            "gov.music_art_rooms" => self.tally_text(rule, "音乐、美术专用教室配备达标", "所"),
            "gov.training_funds" => self.tally_text(rule, "教师培训经费达到年度公用经费预算5%以上", "所"),
            "gov.small_school_funding" => match self.tally(rule) {
                Some((met, total)) => format!(
                    "不足{}人的村小学和教学点{total}所，按{}人核定公用经费的{met}所",
                    fmt_num(p.small_school_pupils),
                    fmt_num(p.small_school_pupils)
                ),
                None => format!("不足{}人的村小学和教学点0所", fmt_num(p.small_school_pupils)),
            },
            "gov.special_ed_funding" => match self.tally(rule) {
                Some((met, total)) => format!(
                    "特殊教育学校{total}所，生均公用经费达到{}元以上的{met}所",
                    fmt_num(p.special_ed_min_per_pupil)
                ),
                None => format!("特殊教育学校生均公用经费{BLANK}元"),
            },
            "gov.school_size" => self.school_size(),
            "gov.class_size" => self.class_size(),
            "gov.certified_teachers" => self.certified(),
            _ => return self.county(rule, c),
        })
    }

    /// The fill-in sentence of a county rule's row, from county.yaml.
    fn county(&mut self, rule: &str, c: &crate::model::CountyConfig) -> Option<String> {
        Some(match rule {
            "county.teacher_pay" => {
                let t = self.need(
                    c.finance.teacher_average_pay,
                    "教师年平均工资收入（finance.teacher_average_pay）",
                );
                let s = self.need(
                    c.finance.civil_servant_average_pay,
                    "公务员年平均工资收入（finance.civil_servant_average_pay）",
                );
                format!("教师年平均工资收入{}元，当地公务员年平均工资收入{}元", int(t), int(s))
            }
            "county.training_360" => {
                let t = &c.teachers;
                if t.training_360_required.is_some() && t.training_360_completed.is_some() {
                    format!(
                        "应参加5年360学时培训的教师{}名，已完成{}名，完成率{}%",
                        int(t.training_360_required),
                        int(t.training_360_completed),
                        pct(t.training_360_rate)
                    )
                } else {
                    self.missing
                        .push("360学时培训人数（teachers.training_360_required、training_360_completed）".into());
                    format!("教师5年360学时培训完成率{}%", pct(t.training_360_rate))
                }
            }
            "county.rotation" => self.rotation(c),
            "county.zoned_enrolment" => {
                let e = &c.enrolment;
                let p = self.need(e.zoned_primary, "小学就近划片入学比例（enrolment.zoned_primary）");
                let j = self.need(e.zoned_junior, "初中就近划片入学比例（enrolment.zoned_junior）");
                format!("城区和镇区公办小学就近划片入学比例{}%，初中{}%", pct(p), pct(j))
            }
            "county.quota_allocation" => {
                let e = &c.enrolment;
                let lean = match e.quota_rural_leaning {
                    Some(true) => "，向农村初中倾斜",
                    Some(false) => "，未向农村初中倾斜",
                    None => "",
                };
                if e.quota.places.is_some() && e.quota.total.is_some() {
                    format!(
                        "优质普通高中招生{}名，分配到初中{}名，占{}%{lean}",
                        int(e.quota.total),
                        int(e.quota.places),
                        pct(e.quota_allocation)
                    )
                } else {
                    self.missing
                        .push("名额分配人数（enrolment.quota.places、total）".into());
                    format!("优质高中招生名额分配比例{}%{lean}", pct(e.quota_allocation))
                }
            }
            "county.migrant_children" => {
                let e = &c.enrolment;
                if e.migrant.total.is_some() && e.migrant.public.is_some() {
                    format!(
                        "符合条件的随迁子女{}名，在公办学校和政府购买服务的民办学校就读{}名，占{}%",
                        int(e.migrant.total),
                        int(e.migrant.public),
                        pct(e.migrant_children)
                    )
                } else {
                    self.missing
                        .push("随迁子女人数（enrolment.migrant.total、public）".into());
                    format!(
                        "随迁子女在公办学校和政府购买服务的民办学校就读比例{}%",
                        pct(e.migrant_children)
                    )
                }
            }
            "county.retention" => {
                let k = &c.enrolment.cohort;
                if k.rate().is_none() {
                    self.missing.push(
                        "巩固率人数（enrolment.cohort.graduates、entrants、transferred_in、transferred_out、deaths）"
                            .into(),
                    );
                }
                format!(
                    "初中毕业班学生{}人，三年前入学{}人，三年内转入{}人、转出{}人、死亡{}人，巩固率{}%",
                    int(k.graduates),
                    int(k.entrants),
                    int(k.transferred_in),
                    int(k.transferred_out),
                    int(k.deaths),
                    pct(c.enrolment.junior_retention)
                )
            }
            "county.disabled_enrolment" => {
                let d = &c.enrolment.disabled;
                if d.total.is_none() || d.enrolled.is_none() || d.special_school.is_none() {
                    self.missing
                        .push("残疾儿童少年人数（enrolment.disabled.total、enrolled、special_school）".into());
                }
                format!(
                    "适龄残疾儿童少年{}人，入学{}人，其中特殊教育学校就读{}人，入学率{}%",
                    int(d.total),
                    int(d.enrolled),
                    int(d.special_school),
                    pct(c.enrolment.disabled_enrolment)
                )
            }
            "county.quality_monitoring" => self.quality(c),
            _ => return None,
        })
    }
    /// 第七条（十一）: 交流轮岗 with its shares, as the form words it.
    fn rotation(&mut self, c: &crate::model::CountyConfig) -> String {
        let t = &c.teachers;
        let e = self.need(t.rotation_eligible, "符合交流条件教师数（teachers.rotation_eligible）");
        let n = self.need(t.rotation_count, "交流轮岗教师数（teachers.rotation_count）");
        let b = self.need(t.rotation_backbone, "交流轮岗骨干教师数（teachers.rotation_backbone）");
        let share = |x: Option<f64>, of: Option<f64>| match (x, of) {
            (Some(x), Some(of)) if of > 0.0 => Some(x / of * 100.0),
            _ => None,
        };
        format!(
            "全县符合交流轮岗条件教师{}名，上一年度交流轮岗教师{}名，占{}%，其中骨干教师{}名，占{}%",
            int(e),
            int(n),
            pct(share(n, e)),
            int(b),
            pct(share(b, n))
        )
    }
    /// 第七条（四）: schools above the size limits, by kind.
    fn school_size(&self) -> String {
        let s = &self.ws.profile.rules.school_size;
        let above = |kinds: &[SchoolKind], limit: f64| {
            self.schools
                .iter()
                .filter(|x| kinds.contains(&x.kind) && x.students() > limit)
                .count()
        };
        format!(
            "超过{}人的小学{}所，初中{}所；超过{}人的九年一贯制、十二年一贯制学校{}所",
            fmt_num(s.single),
            above(&[SchoolKind::Primary, SchoolKind::TeachingPoint], s.single),
            above(&[SchoolKind::Junior, SchoolKind::Complete], s.single),
            fmt_num(s.combined),
            above(&[SchoolKind::NineYear, SchoolKind::TwelveYear], s.combined)
        )
    }

    /// 第七条（五）: school-stages whose largest class is above the limit.
    fn class_size(&self) -> String {
        let p = &self.ws.profile.rules.class_size;
        let over = |stage: Stage| {
            self.a.checks.get("gov.class_size").map(|c| {
                c.schools
                    .iter()
                    .filter(|f| f.stage == Some(stage) && f.verdict == Verdict::NotMet)
                    .count()
            })
        };
        format!(
            "有超过{}人班级的小学{}所，有超过{}人班级的初中{}所",
            fmt_num(p.primary),
            int(over(Stage::Primary).map(|n| n as f64)),
            fmt_num(p.junior),
            int(over(Stage::Junior).map(|n| n as f64))
        )
    }

    /// 第七条（十二）: 专任教师 and those certified, over every section.
    fn certified(&mut self) -> String {
        let sections = || self.schools.iter().flat_map(|s| s.sections.iter());
        let teachers: Option<f64> = sections().map(|s| s.teachers).sum();
        let certified: Option<f64> = sections().map(|s| s.certified_teachers).sum();
        if teachers.is_none() || certified.is_none() {
            self.missing.push(format!(
                "{}专任教师数或持证专任教师数（有学校未填）",
                super::SCHOOL_DATA
            ));
        }
        let rate = match (certified, teachers) {
            (Some(c), Some(t)) if t > 0.0 => Some(c / t * 100.0),
            _ => None,
        };
        format!(
            "全县专任教师{}名，持有教师资格证{}名，持证上岗率{}%",
            int(teachers),
            int(certified),
            pct(rate)
        )
    }

    /// 第八条（九）: each subject's level and 校际差异率, or the county's two figures.
    fn quality(&mut self, c: &crate::model::CountyConfig) -> String {
        const LEVELS: [&str; 5] = ["", "Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ"];
        let q = &c.quality;
        if !q.subjects.is_empty() {
            return q
                .subjects
                .iter()
                .map(|s| {
                    let level = s.level.map(|l| LEVELS[l.min(4) as usize]).unwrap_or(BLANK);
                    let d = s.difference.map(|d| format!("{d:.2}")).unwrap_or_else(|| BLANK.into());
                    format!("{}学业水平{level}级，校际差异率{d}", s.subject)
                })
                .collect::<Vec<_>>()
                .join("；");
        }
        self.missing.push("质量监测各科目（quality.subjects）".into());
        let level = match q.level_iii_or_above {
            Some(true) => "达到",
            Some(false) => "未达到",
            None => BLANK,
        };
        let d = q
            .inter_school_difference
            .map(|d| format!("{d:.2}"))
            .unwrap_or_else(|| BLANK.into());
        format!("相关科目学业水平{level}Ⅲ级以上，校际差异率{d}")
    }
}
