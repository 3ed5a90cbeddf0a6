//! What the rules conclude: the assessment every output is made from (`评估结果.json`).

use serde::Serialize;
use std::collections::BTreeMap;

use super::resource::StageResource;
use super::{Check, Verdict};
use crate::diag::{Diagnostic, Severity};
use crate::model::team::TaskStatus;
use crate::model::{Date, IndicatorType};

#[derive(Debug, Clone, Serialize)]
pub struct Assessment {
    pub county: Option<CountyInfo>,
    pub profile: ProfileInfo,
    pub summary: Summary,
    pub resource: Resource,
    /// Results of every rule, by rule id (e.g. `gov.class_size`).
    pub checks: BTreeMap<String, Check>,
    pub indicators: Vec<IndicatorResult>,
    pub b_total: f64,
    pub b_max: f64,
    pub b_pass_mark: Option<f64>,
    /// `None` while B points are unscored and the mark is still reachable.
    pub b_pass: Option<bool>,
    pub veto: Vec<VetoResult>,
    pub overall: Overall,
    pub tasks: Vec<TaskResult>,
    /// Every failing school-stage item with its shortfall in natural units (缺口测算).
    pub gaps: Vec<crate::rules::gaps::Gap>,
    /// Teachers to move between schools of a stage (调剂建议).
    pub transfers: Vec<crate::rules::transfers::Transfer>,
    /// Values, passes and coefficients before → after the transfers, per stage.
    pub transfer_effects: Vec<crate::rules::transfers::TransferEffect>,
    /// The least resource that brings each coefficient over its limit to it (its JSON key,
    /// `cv_plans`, predates the name).
    #[serde(rename = "cv_plans")]
    pub cv_remedies: Vec<crate::rules::cv_remedy::CvRemedy>,
    /// Combined schools whose facility totals were split (stated in every output).
    pub splits: Vec<SplitNote>,
    /// 指标对照表 (county.yaml `catalogue_profile`): each catalogue point against the
    /// inspection's indicators, with the verdicts under both systems.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub crosswalk: Vec<crate::rules::crosswalk::CrosswalkRow>,
    pub evidence: EvidenceReport,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CountyInfo {
    pub name: String,
    pub year: i32,
    pub level: crate::model::county::Level,
    pub today: Date,
    /// Required fields of county.yaml that could not be read (each reported as an error).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unread: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProfileInfo {
    pub id: String,
    pub name: String,
    /// The document the verdicts follow, as every document cites it: with the changes of
    /// content/indicators.yaml when there are any ("…；按 … 修改后的标准判定：…").
    pub source: String,
    /// The statutory values content/indicators.yaml changed, e.g. "班额上限（小学）由 45 改为 40".
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<String>,
    /// The per-school resource rule (教督〔2017〕6号 第六条: at least 6 of 7 met, the rest not
    /// below 85%; Jiangxi: all 7).
    pub min_items_met: usize,
    pub floor_ratio: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub schools: usize,
    pub by_kind: BTreeMap<&'static str, usize>,
    pub primary: StageSummary,
    pub junior: StageSummary,
    #[serde(serialize_with = "crate::rules::whole")]
    pub special_students: f64,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct StageSummary {
    pub sections: usize,
    #[serde(serialize_with = "crate::rules::whole")]
    pub students: f64,
    #[serde(serialize_with = "crate::rules::whole")]
    pub classes: f64,
    #[serde(serialize_with = "crate::rules::whole")]
    pub teachers: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Resource {
    pub primary: StageResource,
    pub junior: StageResource,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorResult {
    pub id: String,
    pub number: u32,
    pub category: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: IndicatorType,
    pub verdict: Verdict,
    /// B items: the score counted in the B total (points whose data fails count 0).
    pub score: Option<f64>,
    /// B items: the county's self-score, as entered.
    pub self_score: Option<f64>,
    pub max_score: Option<f64>,
    pub rule: Option<String>,
    pub summary: String,
    pub reasons: Vec<String>,
    /// The county's reason for declaring the item 达标 (scores.yaml `reason`, also among
    /// `reasons`): the work it reports done, which no list of problems repeats.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    pub lead: Vec<String>,
    pub units: Vec<String>,
    pub points: Vec<PointResult>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PointResult {
    pub id: String,
    pub text: String,
    pub max: Option<f64>,
    /// The self-score, as entered.
    pub score: Option<f64>,
    /// What counts in the B total: the self-score, or 0 while the point's data rule fails.
    pub counted: Option<f64>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct VetoResult {
    pub id: String,
    pub text: String,
    /// `None`: not declared in county.yaml.
    pub present: Option<bool>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Overall {
    pub verdict: Verdict,
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TaskResult {
    pub task: String,
    pub unit: String,
    pub person: Option<String>,
    pub indicators: Vec<String>,
    /// Codes of the schools it rectifies; empty: county-wide.
    pub schools: Vec<String>,
    pub start: Option<Date>,
    pub due: Date,
    pub status: TaskStatus,
    pub overdue: bool,
    /// Due within the next 7 days (inclusive) and not done.
    pub due_soon: bool,
}

/// Evidence reconciled, numbered and boxed.
#[derive(Debug, Clone, Serialize)]
pub struct EvidenceReport {
    pub items: Vec<crate::rules::evidence::ItemState>,
    pub boxes: Vec<crate::rules::evidence::ArchiveBox>,
    pub listed: usize,
    pub present: usize,
    pub missing_files: usize,
    pub paper_only: usize,
    pub unlisted_files: usize,
    /// Assessment points ("A10-2") with no catalogued evidence at all.
    pub points_without_evidence: Vec<String>,
    /// The numbering to keep for the next build.
    #[serde(skip)]
    pub lock: crate::model::Lock,
}

#[derive(Debug, Clone, Serialize)]
pub struct SplitNote {
    pub school: String,
    pub columns: Vec<&'static str>,
    /// The weights used, as stated: "小学、初中 1:1.1".
    pub how: String,
}

impl Assessment {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity == Severity::Error)
    }
}
