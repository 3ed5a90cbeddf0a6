//! The workspace config `content/county.yaml`: the county and its county-level figures.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use super::date::Date;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Level {
    #[serde(rename = "市检")]
    City,
    #[serde(rename = "省检")]
    Province,
    #[serde(rename = "国检")]
    National,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CountyConfig {
    /// 县（市、区）名称.
    pub county: String,
    #[serde(default)]
    pub province: Option<String>,
    #[serde(default)]
    pub city: Option<String>,
    /// 县级人民政府全称, e.g. 示例县人民政府.
    #[serde(default)]
    pub government: Option<String>,
    /// 教育行政部门全称.
    #[serde(default)]
    pub bureau: Option<String>,
    pub year: i32,
    pub level: Level,
    #[serde(default = "default_profile")]
    pub profile: String,
    /// The indicator system the catalogue (evidence.xlsx, scores.yaml, tasks.yaml, units.yaml)
    /// is written in, when it is not `profile`: read through the built-in crosswalk.
    #[serde(default)]
    pub catalogue_profile: Option<String>,
    /// Fixed "today" so every run is reproducible.
    pub today: Date,
    #[serde(default)]
    pub options: Options,
    /// Kinds of school the county declares it has none of.
    #[serde(default)]
    pub absent: Absent,
    #[serde(default)]
    pub finance: Finance,
    #[serde(default)]
    pub teachers: Teachers,
    #[serde(default)]
    pub enrolment: Enrolment,
    #[serde(default)]
    pub quality: Quality,
    /// 社会认可度 (%).
    #[serde(default)]
    pub recognition: Option<f64>,
    /// 申报表 表Ⅰ: population, towns and villages, income per head.
    #[serde(default)]
    pub economy: super::form_inputs::Economy,
    /// 申报表 表Ⅵ: the survey behind 社会认可度.
    #[serde(default)]
    pub survey: super::form_inputs::Survey,
    /// Declarations on the profile's veto items: id -> declaration.
    #[serde(default)]
    pub veto: BTreeMap<String, VetoDeclaration>,
    #[serde(default)]
    pub evidence: EvidenceOptions,
    #[serde(default)]
    pub pdf: PdfSettings,
    /// Word versions (.docx): the fonts they name.
    #[serde(default)]
    pub docx: DocxSettings,
    /// Required fields that could not be read (missing or a bad value, reported as errors) and
    /// were given a stand-in so the rest of the file is kept; nothing may be judged by them.
    #[serde(skip)]
    pub unread: Vec<String>,
}

/// The fonts the Word versions name, as Chinese offices have them installed (GB/T 9704:
/// 仿宋_GB2312 body, 小标宋 title, 黑体 and 楷体 headings); WPS users may name WPS's own.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DocxFonts {
    pub body: String,
    pub title: String,
    pub heading1: String,
    pub heading2: String,
}

impl Default for DocxFonts {
    fn default() -> Self {
        DocxFonts {
            body: "仿宋_GB2312".into(),
            title: "方正小标宋简体".into(),
            heading1: "黑体".into(),
            heading2: "楷体_GB2312".into(),
        }
    }
}

/// How the Word versions are written.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocxSettings {
    #[serde(default)]
    pub fonts: DocxFonts,
}

/// How the PDFs are written.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PdfSettings {
    /// An archival standard every PDF conforms to (GB/T 23286 is PDF/A); none by default.
    #[serde(default)]
    pub standard: Option<PdfStandard>,
}

/// The PDF/A parts and levels a county archive may ask for (ISO 19005-2 and -3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PdfStandard {
    #[serde(rename = "a-2b")]
    A2b,
    #[serde(rename = "a-2u")]
    A2u,
    #[serde(rename = "a-2a")]
    A2a,
    #[serde(rename = "a-3b")]
    A3b,
    #[serde(rename = "a-3u")]
    A3u,
    #[serde(rename = "a-3a")]
    A3a,
}

impl PdfStandard {
    pub fn label(self) -> &'static str {
        match self {
            PdfStandard::A2b => "a-2b",
            PdfStandard::A2u => "a-2u",
            PdfStandard::A2a => "a-2a",
            PdfStandard::A3b => "a-3b",
            PdfStandard::A3u => "a-3u",
            PdfStandard::A3a => "a-3a",
        }
    }
}

/// Numbering and boxing of the evidence (佐证材料与档案盒).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceOptions {
    /// Item number pattern: {指标}, {要点}, {序号} or {序号:02} (zero-padded).
    #[serde(default = "default_number_format")]
    pub number_format: String,
    /// Sheets a box holds per spine width in mm (DA/T 22-2015: 20 / 30 / 40 / 50 mm).
    #[serde(default = "default_capacity")]
    pub capacity: BTreeMap<u32, u32>,
    /// Printed double-sided: a sheet carries two pages.
    #[serde(default)]
    pub duplex: bool,
    /// Groups of small indicators that share one box, e.g. [[A14, A15]].
    #[serde(default)]
    pub shared_boxes: Vec<Vec<String>>,
    /// 全宗名称 on the box cover (defaults to the bureau).
    #[serde(default)]
    pub fonds: Option<String>,
    /// 全宗号 on the spine.
    #[serde(default)]
    pub fonds_no: Option<String>,
    /// 保管期限: 永久 / 30年 / 10年.
    #[serde(default = "default_retention")]
    pub retention: String,
    /// Printed height of a spine label in mm (a 310 mm box spine, trimmed to fit A4).
    #[serde(default = "default_label_height")]
    pub label_height: f64,
}

fn default_number_format() -> String {
    "{指标}-{要点}-{序号:02}".into()
}

fn default_capacity() -> BTreeMap<u32, u32> {
    // About 0.1 mm per sheet of 70 g/m² paper, less room for folders and the 备考表.
    [(20, 180), (30, 270), (40, 360), (50, 450)].into()
}

fn default_retention() -> String {
    "永久".into()
}

fn default_label_height() -> f64 {
    270.0
}

impl Default for EvidenceOptions {
    fn default() -> Self {
        EvidenceOptions {
            number_format: default_number_format(),
            capacity: default_capacity(),
            duplex: false,
            shared_boxes: vec![],
            fonds: None,
            fonds_no: None,
            retention: default_retention(),
            label_height: default_label_height(),
        }
    }
}

fn default_profile() -> String {
    "national-2017".into()
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// A combined school that knows only whole-school facility totals enters them on its
    /// first row; they are split by student-equivalents, primary : junior = 1 : 1.1.
    #[serde(default)]
    pub split_combined_facilities: bool,
}

/// What the county declares it does not have, so that a per-school check with no school to
/// apply to is 达标 rather than 待核实 (no rows alone prove nothing).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Absent {
    /// No 村小学 or 教学点 under 100 pupils (教督〔2017〕6号 第七条（六）).
    #[serde(default)]
    pub small_schools: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Finance {
    /// 一般公共预算教育支出 by year, 万元.
    #[serde(default)]
    pub education_spending: BTreeMap<i32, f64>,
    /// 按在校学生人数平均的一般公共预算教育支出 by year, 元.
    #[serde(default)]
    pub per_pupil_spending: BTreeMap<i32, f64>,
    /// 义务教育学校教师年平均工资收入, 元.
    #[serde(default)]
    pub teacher_average_pay: Option<f64>,
    /// 当地公务员年平均工资收入, 元.
    #[serde(default)]
    pub civil_servant_average_pay: Option<f64>,
    /// 省定生均公用经费基准定额, 元/生·年.
    #[serde(default)]
    pub public_funds_baseline: Option<super::profile::PerStage>,
    /// 特殊教育学校生均公用经费, 元 (used when no special school row gives the budget).
    #[serde(default)]
    pub special_ed_per_pupil: Option<f64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Teachers {
    /// 教师5年360学时培训完成率 (%).
    #[serde(default)]
    pub training_360_rate: Option<f64>,
    /// 符合交流条件教师总数.
    #[serde(default)]
    pub rotation_eligible: Option<f64>,
    /// 当年交流轮岗教师数.
    #[serde(default)]
    pub rotation_count: Option<f64>,
    /// 其中县级以上骨干教师数.
    #[serde(default)]
    pub rotation_backbone: Option<f64>,
    /// 应参加5年360学时培训的教师数.
    #[serde(default)]
    pub training_360_required: Option<f64>,
    /// 其中已完成的教师数.
    #[serde(default)]
    pub training_360_completed: Option<f64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Enrolment {
    /// 城区和镇区公办小学就近划片入学比例 (%).
    #[serde(default)]
    pub zoned_primary: Option<f64>,
    /// 城区和镇区公办初中就近划片入学比例 (%).
    #[serde(default)]
    pub zoned_junior: Option<f64>,
    /// 优质高中招生名额分配比例 (%).
    #[serde(default)]
    pub quota_allocation: Option<f64>,
    /// 名额分配向农村初中倾斜.
    #[serde(default)]
    pub quota_rural_leaning: Option<bool>,
    /// 符合条件的随迁子女在公办学校和政府购买服务的民办学校就读比例 (%).
    #[serde(default)]
    pub migrant_children: Option<f64>,
    /// 初中三年巩固率 (%).
    #[serde(default)]
    pub junior_retention: Option<f64>,
    /// 残疾儿童少年入学率 (%).
    #[serde(default)]
    pub disabled_enrolment: Option<f64>,
    /// The counts behind `quota_allocation`.
    #[serde(default)]
    pub quota: super::form_inputs::QuotaCounts,
    /// The counts behind `migrant_children`.
    #[serde(default)]
    pub migrant: super::form_inputs::MigrantCounts,
    /// The counts behind `junior_retention`.
    #[serde(default)]
    pub cohort: super::form_inputs::CohortCounts,
    /// The counts behind `disabled_enrolment`.
    #[serde(default)]
    pub disabled: super::form_inputs::DisabledCounts,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quality {
    /// 国家义务教育质量监测相关科目学业水平达到Ⅲ级以上.
    #[serde(default)]
    pub level_iii_or_above: Option<bool>,
    /// 校际差异率 (a ratio, e.g. 0.12).
    #[serde(default)]
    pub inter_school_difference: Option<f64>,
    /// Per subject: its level and 校际差异率 (申报表 表Ⅴ); they give the two figures above.
    #[serde(default)]
    pub subjects: Vec<super::form_inputs::SubjectResult>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VetoDeclaration {
    /// true: the situation exists (veto triggered).
    pub present: bool,
    #[serde(default)]
    pub note: Option<String>,
}
