//! 申报表: the national application form 《全国义务教育优质均衡发展县（市、区）申报表》, tables
//! Ⅰ–Ⅵ, filled from the assessment (the figures of 评估结果.json) and county.yaml. One struct
//! that the workbook and the PDF both draw; figures keep their value and carry the text they
//! print as, at the form's precision (values and means 2 decimals, CVs 3, ratios 1, counts
//! and 元 whole). A figure the data lacks prints empty and is named in one warning.

mod conclusions;
mod schools;

use serde::Serialize;

use super::cn_date;
use crate::model::{CountyConfig, ResourceKey, School, SchoolKind, Stage, Workspace};
use crate::rules::{Assessment, fmt_beside};

pub use schools::{Footer, SchoolRow};

/// How a missing figure from the school data is named (the warning points at the school data).
pub const SCHOOL_DATA: &str = "学校基础数据：";

/// A figure of the form: its value (unrounded) and its text at the form's precision.
#[derive(Debug, Clone, Serialize)]
pub struct Num {
    pub value: Option<f64>,
    pub text: String,
    /// Decimals the form prints it with (the workbook's number format).
    pub decimals: usize,
}

impl Num {
    pub fn new(value: Option<f64>, decimals: usize) -> Num {
        let text = value.map(|v| format!("{v:.decimals$}")).unwrap_or_default();
        Num { value, text, decimals }
    }

    /// A value against its bound: more decimals when it fails and would read as the bound.
    pub fn beside(value: Option<f64>, decimals: usize, bound: f64, fails: bool) -> Num {
        let text = value.map(|v| fmt_beside(v, decimals, bound, fails)).unwrap_or_default();
        Num { value, text, decimals }
    }
}

/// A line of 表Ⅰ: its L-code, its heading and its figure.
#[derive(Debug, Clone, Serialize)]
pub struct Basic {
    pub code: String,
    /// The heading groups it sits under ("普通中小学校数", "小学"), outermost first.
    pub group: &'static str,
    pub label: &'static str,
    pub unit: &'static str,
    pub num: Num,
}

/// 表Ⅱ-1: one stage's schools meeting each item (L1–L7) and the school rule (L8).
#[derive(Debug, Clone, Serialize)]
pub struct StageCompliance {
    pub stage: &'static str,
    pub schools: usize,
    /// L1–L8: schools meeting, and their share (%) of the stage's rows in 表Ⅱ-2.
    pub met: Vec<Num>,
    pub share: Vec<Num>,
}

/// 表Ⅲ: one stage's county means and coefficients of L1–L7.
#[derive(Debug, Clone, Serialize)]
pub struct StageBalance {
    pub stage: &'static str,
    pub mean: Vec<Num>,
    pub cv: Vec<Num>,
    pub cv_limit: String,
}

/// 表Ⅳ and 表Ⅴ: one indicator with its figure or conclusion and whether it is met.
#[derive(Debug, Clone, Serialize)]
pub struct Conclusion {
    pub number: u32,
    pub name: String,
    pub text: String,
    /// 是 / 否 / 待核实.
    pub met: &'static str,
}

/// 表Ⅵ: one row (计, 其中：家长).
#[derive(Debug, Clone, Serialize)]
pub struct SurveyLine {
    pub label: &'static str,
    /// 问卷总数, 回收有效问卷数, 满意问卷数, 综合满意度, 实地走访人数, 满意人数, 走访满意度.
    pub cells: Vec<Num>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Form {
    pub county: String,
    pub province: String,
    pub year: String,
    pub date: String,
    pub basic: Vec<Basic>,
    pub compliance: Vec<StageCompliance>,
    /// The L-codes and names of the seven items (表Ⅱ and 表Ⅲ headings).
    pub items: Vec<Item>,
    pub schools: Vec<SchoolRow>,
    pub footer: Footer,
    /// Teaching points under this many pupils are left out of 表Ⅱ-2.
    pub teaching_point_min: u32,
    /// The per-school rule behind L8 综合评估, in the profile's words.
    pub school_rule: String,
    pub balance: Vec<StageBalance>,
    pub government: Vec<Conclusion>,
    pub quality: Vec<Conclusion>,
    pub survey: Vec<SurveyLine>,
    /// What the data lacks, for the warning (cells left empty).
    #[serde(skip)]
    pub missing: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub code: String,
    pub name: &'static str,
    pub unit: &'static str,
}

/// The form, filled.
pub fn form(ws: &Workspace, a: &Assessment, schools: &[School]) -> Form {
    let config = ws.config.as_ref();
    let mut missing = vec![];
    let basic = basic(config, a, schools, &mut missing);
    let (rows, footer) = schools::rows(
        a,
        schools,
        ws.profile.form.teaching_point_min_students,
        ws.profile.resource.floor_ratio,
        &mut missing,
    );
    let compliance = Stage::ALL.iter().map(|s| schools::compliance(*s, &rows)).collect();
    let balance = Stage::ALL.iter().map(|s| balance(a, *s)).collect();
    let (government, quality) = conclusions::tables(ws, a, schools, &mut missing);
    let survey = survey(config, &mut missing);
    missing.dedup();
    Form {
        county: super::county(ws),
        province: config.and_then(|c| c.province.clone()).unwrap_or_default(),
        year: config.map(|c| c.year.to_string()).unwrap_or_default(),
        date: cn_date(ws),
        basic,
        compliance,
        items: ResourceKey::ALL
            .iter()
            .enumerate()
            .map(|(i, k)| Item {
                code: format!("L{}", i + 1),
                name: k.label(),
                unit: k.unit(),
            })
            .collect(),
        schools: rows,
        footer,
        teaching_point_min: ws.profile.form.teaching_point_min_students,
        school_rule: school_rule(&ws.profile.resource),
        balance,
        government,
        quality,
        survey,
        missing,
    }
}

/// 教督〔2017〕6号 第六条 (at least 6 met, the rest ≥ 85 %) or a profile asking all 7.
fn school_rule(p: &crate::model::profile::ResourceParams) -> String {
    let n = ResourceKey::ALL.len();
    if p.min_items_met >= n {
        format!("每校{n}项均达到标准")
    } else {
        format!(
            "每校至少{}项达到标准、余项不低于标准的{}%",
            p.min_items_met,
            crate::rules::fmt_num(p.floor_ratio * 100.0)
        )
    }
}

/// A county figure, noted as missing when absent.
fn given(v: Option<f64>, what: &str, missing: &mut Vec<String>) -> Option<f64> {
    if v.is_none() {
        missing.push(what.to_owned());
    }
    v
}

/// A sum over sections that is only known when every section has the figure.
fn sum_all(schools: &[School], stage: Stage, get: fn(&crate::model::Section) -> Option<f64>) -> Option<f64> {
    schools
        .iter()
        .filter(|s| s.kind != SchoolKind::Special)
        .flat_map(|s| s.sections.iter())
        .filter(|s| s.stage == Some(stage))
        .map(get)
        .sum()
}

/// 表Ⅰ 基本情况, L1–L24.
fn basic(config: Option<&CountyConfig>, a: &Assessment, schools: &[School], missing: &mut Vec<String>) -> Vec<Basic> {
    let e = config.map(|c| c.economy.clone()).unwrap_or_default();
    let kinds = |k: SchoolKind| Some(a.summary.by_kind.get(k.label()).copied().unwrap_or(0) as f64);
    let points: Vec<f64> = schools
        .iter()
        .filter(|s| s.kind == SchoolKind::TeachingPoint)
        .map(|s| s.students())
        .collect();
    let big = points.iter().filter(|p| **p >= 50.0).count();
    let (p, j) = (&a.summary.primary, &a.summary.junior);
    // Classes and teachers as summed in 评估结果.json, when no section lacks them.
    let known =
        |stage, get: fn(&crate::model::Section) -> Option<f64>, total: f64| sum_all(schools, stage, get).map(|_| total);
    let mut lines: Vec<(
        &'static str,
        &'static str,
        &'static str,
        Option<f64>,
        usize,
        &'static str,
    )> = vec![
        (
            "",
            "人口总数",
            "万人",
            given(e.population, "人口总数（economy.population）", missing),
            2,
            "",
        ),
        (
            "",
            "农业人口数",
            "万人",
            given(
                e.agricultural_population,
                "农业人口数（economy.agricultural_population）",
                missing,
            ),
            2,
            "",
        ),
        (
            "",
            "乡镇数",
            "个",
            given(e.towns, "乡镇数（economy.towns）", missing),
            0,
            "",
        ),
        (
            "",
            "行政村数",
            "个",
            given(e.villages, "行政村数（economy.villages）", missing),
            0,
            "",
        ),
        (
            "",
            "年人均国内生产总值",
            "元",
            given(
                e.gdp_per_capita,
                "年人均国内生产总值（economy.gdp_per_capita）",
                missing,
            ),
            0,
            "",
        ),
        (
            "",
            "年人均地方财政收入",
            "元",
            given(
                e.fiscal_revenue_per_capita,
                "年人均地方财政收入（economy.fiscal_revenue_per_capita）",
                missing,
            ),
            0,
            "",
        ),
        (
            "",
            "农民年人均纯收入",
            "元",
            given(e.rural_income, "农民年人均纯收入（economy.rural_income）", missing),
            0,
            "",
        ),
        (
            "",
            "城镇居民年人均可支配收入",
            "元",
            given(
                e.urban_income,
                "城镇居民年人均可支配收入（economy.urban_income）",
                missing,
            ),
            0,
            "",
        ),
        ("普通中小学校数", "小学", "所", kinds(SchoolKind::Primary), 0, ""),
        (
            "普通中小学校数",
            "九年一贯制学校",
            "所",
            kinds(SchoolKind::NineYear),
            0,
            "",
        ),
        ("普通中小学校数", "初中", "所", kinds(SchoolKind::Junior), 0, ""),
        ("普通中小学校数", "完全中学", "所", kinds(SchoolKind::Complete), 0, ""),
        (
            "普通中小学校数",
            "十二年一贯制学校",
            "所",
            kinds(SchoolKind::TwelveYear),
            0,
            "",
        ),
        ("", "特殊教育学校", "所", kinds(SchoolKind::Special), 0, ""),
        ("小学教学点数", "计", "个", Some(points.len() as f64), 0, ""),
        ("小学教学点数", "其中50人及以上", "个", Some(big as f64), 0, ""),
        (
            "教学班数",
            "小学",
            "个",
            known(Stage::Primary, |s| s.classes, p.classes),
            0,
            "小学班级数",
        ),
        (
            "教学班数",
            "初中",
            "个",
            known(Stage::Junior, |s| s.classes, j.classes),
            0,
            "初中班级数",
        ),
        ("在校学生数", "小学", "人", Some(p.students), 0, ""),
        ("在校学生数", "初中", "人", Some(j.students), 0, ""),
        (
            "小学教职工数",
            "合计",
            "人",
            sum_all(schools, Stage::Primary, |s| s.staff),
            0,
            "小学教职工数",
        ),
        (
            "小学教职工数",
            "其中专任教师",
            "人",
            known(Stage::Primary, |s| s.teachers, p.teachers),
            0,
            "小学专任教师数",
        ),
        (
            "初中教职工数",
            "合计",
            "人",
            sum_all(schools, Stage::Junior, |s| s.staff),
            0,
            "初中教职工数",
        ),
        (
            "初中教职工数",
            "其中专任教师",
            "人",
            known(Stage::Junior, |s| s.teachers, j.teachers),
            0,
            "初中专任教师数",
        ),
    ];
    for (_, _, _, v, _, what) in &mut lines {
        if v.is_none() && !what.is_empty() {
            missing.push(format!("{SCHOOL_DATA}{what}（有学校未填）"));
        }
    }
    lines
        .into_iter()
        .enumerate()
        .map(|(i, (group, label, unit, v, d, _))| Basic {
            code: format!("L{}", i + 1),
            group,
            label,
            unit,
            num: Num::new(v, d),
        })
        .collect()
}

/// 表Ⅲ from the assessment's means and coefficients: means to 2 decimals, CVs to 3.
fn balance(a: &Assessment, stage: Stage) -> StageBalance {
    let r = match stage {
        Stage::Primary => &a.resource.primary,
        Stage::Junior => &a.resource.junior,
    };
    StageBalance {
        stage: stage.label(),
        mean: ResourceKey::ALL.iter().map(|k| Num::new(r.mean[k], 2)).collect(),
        cv: ResourceKey::ALL
            .iter()
            .map(|k| Num::beside(r.cv[k], 3, r.cv_limit, r.cv_pass[k] == Some(false)))
            .collect(),
        cv_limit: format!("{:.2}", r.cv_limit),
    }
}

/// 表Ⅵ: the survey's two rows; the rates from their counts.
fn survey(config: Option<&CountyConfig>, missing: &mut Vec<String>) -> Vec<SurveyLine> {
    let s = config.map(|c| c.survey.clone()).unwrap_or_default();
    [("计", "all", &s.all), ("其中：家长", "parents", &s.parents)]
        .into_iter()
        .map(|(label, key, r)| {
            let figures = [
                (r.questionnaires, "questionnaires"),
                (r.valid, "valid"),
                (r.satisfied, "satisfied"),
                (r.visited, "visited"),
                (r.visited_satisfied, "visited_satisfied"),
            ];
            let absent: Vec<&str> = figures.iter().filter(|(v, _)| v.is_none()).map(|(_, k)| *k).collect();
            if !absent.is_empty() {
                missing.push(format!(
                    "社会认可度调查“{label}”行（survey.{key}.{}）",
                    absent.join("、")
                ));
            }
            let cells = vec![
                Num::new(r.questionnaires, 0),
                Num::new(r.valid, 0),
                Num::new(r.satisfied, 0),
                Num::new(r.questionnaire_rate(), 1),
                Num::new(r.visited, 0),
                Num::new(r.visited_satisfied, 0),
                Num::new(r.visit_rate(), 1),
            ];
            SurveyLine { label, cells }
        })
        .collect()
}
