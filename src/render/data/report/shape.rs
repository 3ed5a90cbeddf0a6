//! The shape of the report's data: what templates/report.typ draws and the Word version
//! writes.

use serde::Serialize;
use serde_json::Value;

use crate::render::data::overview::CvCell;

/// Everything templates/report.typ (and report-parts.typ) draws, and the Word version writes.
#[derive(Serialize)]
pub struct Report {
    pub title: String,
    pub county: String,
    pub government: String,
    /// The cover's date (二〇二六年十一月) and the signature's, in full (2026年11月20日).
    pub date: String,
    pub signed: String,
    pub profile: ProfileRef,
    /// The opening paragraph of 基本情况.
    pub basic: String,
    /// The conclusion, its reasons, the B total.
    pub overall: String,
    pub overall_reasons: Vec<String>,
    pub b: Option<String>,
    pub veto: Vec<VetoLine>,
    /// 小学 and 初中.
    pub resource: [StageTable; 2],
    /// Schools per page when the resource tables are set apart from the text.
    pub table_rows: Option<usize>,
    pub resource_labels: Vec<Label>,
    /// Combined schools whose facility totals were split, in words.
    pub splits: Vec<String>,
    pub categories: Vec<Category>,
    pub school_checks: Vec<SchoolCheck>,
    /// 附表 省检指标与国检指标对照, when the catalogue is another system's.
    pub crosswalk: Vec<CrosswalkLine>,
    pub problems: Vec<Titled>,
    pub measures: Vec<Titled>,
    pub narrative: Narrative,
}

#[derive(Serialize)]
pub struct ProfileRef {
    pub name: String,
    pub source: String,
}

#[derive(Serialize)]
pub struct VetoLine {
    pub text: String,
    /// 存在, 无 or 未申报.
    pub state: &'static str,
}

/// A stage's resource table, coefficients and charts.
#[derive(Serialize)]
pub struct StageTable {
    pub stage: &'static str,
    pub schools: usize,
    pub students: String,
    pub limit: String,
    /// The standard of each item, in `ResourceKey::ALL` order (as `cells` and `cv`).
    pub standards: Vec<String>,
    pub rows: Vec<TableRow>,
    /// What sizes the name and student columns when the tables are set apart.
    pub widest: Widest,
    pub cv: Vec<CvCell>,
    pub charts: Vec<Chart>,
    /// Schools left out of the coefficients, with the reason.
    pub excluded: Vec<String>,
}

#[derive(Serialize)]
pub struct TableRow {
    pub name: String,
    pub students: String,
    pub cells: Vec<TableCell>,
    /// Items at their standard, and whether the school passes (是, 否, 待核实).
    pub met: usize,
    pub pass: &'static str,
    pub ok: bool,
}

#[derive(Serialize)]
pub struct TableCell {
    pub v: String,
    /// Below the standard.
    pub short: bool,
}

#[derive(Serialize)]
pub struct Widest {
    pub name: String,
    pub students: String,
}

/// A bar chart of one item: each school's value against the standard.
#[derive(Serialize)]
pub struct Chart {
    pub key: &'static str,
    pub label: &'static str,
    pub unit: &'static str,
    pub standard: f64,
    pub standard_text: String,
    pub bars: Vec<Bar>,
}

#[derive(Serialize)]
pub struct Bar {
    pub name: String,
    pub value: f64,
    pub text: String,
    pub short: bool,
}

#[derive(Serialize)]
pub struct Label {
    pub label: &'static str,
    pub unit: &'static str,
}

/// A chapter: its summary, narrative blocks and indicators.
#[derive(Serialize)]
pub struct Category {
    pub name: String,
    pub summary: String,
    pub narrative: Value,
    pub indicators: Vec<Indicator>,
}

#[derive(Serialize)]
pub struct Indicator {
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    /// An A indicator's verdict as a sentence ("达标。"), empty for B.
    pub verdict: String,
    pub state: &'static str,
    pub summary: String,
    pub reasons: Vec<String>,
    pub points: Vec<PointLine>,
}

#[derive(Serialize)]
pub struct PointLine {
    pub id: String,
    pub text: String,
    pub max: Option<String>,
    pub score: Option<String>,
    pub reason: Option<String>,
}

/// An appendix table: every school under a per-school rule.
#[derive(Serialize)]
pub struct SchoolCheck {
    pub title: String,
    pub rows: Vec<CheckRow>,
    /// The standard when it is the same on every row, or the part of it every row shares
    /// (said once above the table).
    pub standard: Option<String>,
    /// Whether the rows show their own 标准 (the part that differs from school to school).
    pub own_standard: bool,
    /// A remark every row shares, said once above the table ("未填教职工数，按专任教师数计").
    pub remark: Option<String>,
    /// Whether any row has a 学段.
    pub has_stage: bool,
}

#[derive(Serialize)]
pub struct CheckRow {
    pub name: String,
    pub stage: &'static str,
    pub measured: String,
    pub standard: String,
    pub verdict: &'static str,
    pub ok: bool,
}

#[derive(Serialize)]
pub struct CrosswalkLine {
    pub from: String,
    pub point: String,
    pub to: String,
    pub from_verdict: String,
    pub to_verdict: String,
    pub evidence: String,
    /// Whether the point has a counterpart.
    pub mapped: bool,
}

/// A numbered paragraph of 存在问题 or 整改措施.
#[derive(Serialize)]
pub struct Titled {
    pub title: String,
    pub text: String,
}

/// The narrative chapters outside the categories, as Markdown blocks (null when absent).
#[derive(Serialize)]
pub struct Narrative {
    pub preface: Value,
    pub basic: Value,
    pub problems: Value,
    pub measures: Value,
    pub closing: Value,
}
