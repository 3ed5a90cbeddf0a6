//! County figures the application form (申报表) asks for beyond the rates the rules judge:
//! the economy of 表Ⅰ, the counts behind the rates of 表Ⅳ and 表Ⅴ, the surveys of 表Ⅵ and
//! the quality monitoring per subject. All optional; a count pair gives its rate.

use serde::{Deserialize, Serialize};

/// 表Ⅰ 基本情况 L1–L8 (申报表 表Ⅰ).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Economy {
    /// 人口总数, 万人.
    #[serde(default)]
    pub population: Option<f64>,
    /// 农业人口数, 万人.
    #[serde(default)]
    pub agricultural_population: Option<f64>,
    /// 乡镇数.
    #[serde(default)]
    pub towns: Option<f64>,
    /// 行政村数.
    #[serde(default)]
    pub villages: Option<f64>,
    /// 年人均国内生产总值, 元.
    #[serde(default)]
    pub gdp_per_capita: Option<f64>,
    /// 年人均地方财政收入, 元.
    #[serde(default)]
    pub fiscal_revenue_per_capita: Option<f64>,
    /// 农民年人均纯收入, 元.
    #[serde(default)]
    pub rural_income: Option<f64>,
    /// 城镇居民年人均可支配收入, 元.
    #[serde(default)]
    pub urban_income: Option<f64>,
}

/// 优质高中招生名额分配 (教督〔2017〕6号 第七条（十四）): 分配到初中的名额 ÷ 招生总数.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuotaCounts {
    /// 分配到区域内初中的招生名额.
    #[serde(default)]
    pub places: Option<f64>,
    /// 优质普通高中招生总数.
    #[serde(default)]
    pub total: Option<f64>,
}

/// 随迁子女 (第七条（十五）): 在公办学校和政府购买服务的民办学校就读人数 ÷ 随迁子女总数.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MigrantCounts {
    /// 符合条件的随迁子女总数.
    #[serde(default)]
    pub total: Option<f64>,
    /// 其中在公办学校和政府购买服务的民办学校就读人数.
    #[serde(default)]
    pub public: Option<f64>,
}

/// 初中三年巩固率 (第八条（一）), the cohort that entered three years ago.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CohortCounts {
    /// 毕业班学生数.
    #[serde(default)]
    pub graduates: Option<f64>,
    /// 三年前初一入学人数.
    #[serde(default)]
    pub entrants: Option<f64>,
    /// 三年内转入人数.
    #[serde(default)]
    pub transferred_in: Option<f64>,
    /// 三年内转出人数.
    #[serde(default)]
    pub transferred_out: Option<f64>,
    /// 三年内死亡人数.
    #[serde(default)]
    pub deaths: Option<f64>,
}

/// 残疾儿童少年入学 (第八条（二）).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DisabledCounts {
    /// 适龄残疾儿童少年总数.
    #[serde(default)]
    pub total: Option<f64>,
    /// 入学人数（含随班就读、特教学校就读、送教上门）.
    #[serde(default)]
    pub enrolled: Option<f64>,
    /// 其中在特殊教育学校就读人数.
    #[serde(default)]
    pub special_school: Option<f64>,
}

/// One subject of 国家义务教育质量监测 (第八条（九）).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubjectResult {
    /// 科目, e.g. 数学.
    pub subject: String,
    /// 学业水平 1–4 (Ⅰ–Ⅳ级).
    #[serde(default)]
    pub level: Option<u8>,
    /// 校际差异率, a ratio (0.12).
    #[serde(default)]
    pub difference: Option<f64>,
}

/// 表Ⅵ 社会认可度: one row of the survey (计, or 其中：家长).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyRow {
    /// 问卷总数.
    #[serde(default)]
    pub questionnaires: Option<f64>,
    /// 回收有效问卷数.
    #[serde(default)]
    pub valid: Option<f64>,
    /// 满意问卷数.
    #[serde(default)]
    pub satisfied: Option<f64>,
    /// 实地走访人数.
    #[serde(default)]
    pub visited: Option<f64>,
    /// 走访满意人数.
    #[serde(default)]
    pub visited_satisfied: Option<f64>,
}

impl SurveyRow {
    /// 综合满意度 (%) = 满意问卷数 ÷ 回收有效问卷数 × 100.
    pub fn questionnaire_rate(&self) -> Option<f64> {
        ratio(self.satisfied?, self.valid?)
    }

    /// 走访满意度 (%) = 满意人数 ÷ 实地走访人数 × 100.
    pub fn visit_rate(&self) -> Option<f64> {
        ratio(self.visited_satisfied?, self.visited?)
    }
}

/// 表Ⅵ: the row 计 and the row 其中：家长.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Survey {
    #[serde(default)]
    pub all: SurveyRow,
    #[serde(default)]
    pub parents: SurveyRow,
}

/// `part ÷ whole × 100`; `None` for an empty whole.
pub fn ratio(part: f64, whole: f64) -> Option<f64> {
    (whole > 0.0).then(|| part / whole * 100.0)
}

impl CohortCounts {
    /// 巩固率 (%) = (毕业班学生数 − 转入 + 转出) ÷ (三年前入学数 − 死亡) × 100, as practitioners
    /// compute it (DOMAIN §2.4); all five counts are needed (a zero is written as 0).
    pub fn rate(&self) -> Option<f64> {
        let kept = self.graduates? - self.transferred_in? + self.transferred_out?;
        ratio(kept, self.entrants? - self.deaths?)
    }
}
