//! out/index.html: the county's state at a glance, one self-contained page (Tera template).

use serde::Serialize;
use serde_json::Value;
use std::path::Path;

use super::task_list::TaskList;
use crate::diag::{Diagnostic, Location, Severity};
use crate::model::ResourceKey;
use crate::paths;
use crate::render::{templates, tera};
use crate::rules::resource::StageResource;
use crate::rules::{Assessment, Verdict, fmt_num};

/// What templates/index.html draws.
#[derive(Serialize)]
pub struct Overview {
    pub county: String,
    pub today: String,
    pub profile: String,
    pub overall: &'static str,
    /// ok, bad or pending: the page's colour for the verdict.
    pub overall_state: &'static str,
    pub overall_reasons: Vec<String>,
    /// The B total against its maximum and pass mark, when the profile has B indicators.
    pub b: Option<String>,
    pub failing: Vec<Failing>,
    pub cv: Vec<CvRow>,
    /// The coefficient limits of 小学 and 初中.
    pub limits: [String; 2],
    pub units: Vec<UnitRow>,
    pub evidence: EvidenceCounts,
    pub diagnostics: Vec<DiagRow>,
    pub plan: PlanCounts,
    pub outputs: Vec<String>,
    /// The change since the last snapshot and the latest build's, as the build records them.
    pub since: Option<Value>,
    pub recent: Option<Value>,
    /// The current fill-in round's returns (`returns`), once `collect` has run.
    pub returns: Option<Value>,
}

/// The fill-in round for the page: counts, and the outstanding names (the first few, for many).
pub fn returns(s: &crate::model::returns::ReturnStatus) -> Value {
    let tally = |t: &crate::model::returns::Tally, unit: &str| {
        serde_json::json!({
            "issued": t.issued,
            "returned": t.returned,
            "all": t.returned == t.issued,
            "outstanding": t.outstanding_text(unit),
        })
    };
    serde_json::json!({
        "round": s.round,
        "date": s.date,
        "schools": tally(&s.schools, "所"),
        "units": tally(&s.units, "个"),
    })
}

/// An indicator not 达标.
#[derive(Serialize)]
pub struct Failing {
    pub id: String,
    pub name: String,
    pub verdict: &'static str,
    /// bad or pending.
    pub state: &'static str,
    pub summary: String,
    pub reasons: Vec<String>,
}

/// A resource item's coefficients, 小学 and 初中.
#[derive(Serialize)]
pub struct CvRow {
    pub label: &'static str,
    pub primary: CvCell,
    pub junior: CvCell,
}

#[derive(Serialize)]
pub struct CvCell {
    pub v: String,
    pub ok: bool,
}

/// A unit's progress.
#[derive(Serialize)]
pub struct UnitRow {
    pub name: String,
    pub person: Option<String>,
    pub leads: usize,
    /// Its evidence points counted by state (`evidence_progress::summary`).
    pub evidence: super::evidence_progress::Progress,
    /// Points 已提供, and all (read by overview templates written before the counts above).
    pub evidence_done: usize,
    pub evidence_total: usize,
    pub missing: usize,
    pub overdue: usize,
    pub tasks: usize,
}

#[derive(Serialize)]
pub struct EvidenceCounts {
    pub listed: usize,
    pub present: usize,
    pub missing: usize,
    /// 待提交 or 退回: catalogued, not evidence yet (issue 33 point 4).
    pub not_yet: usize,
    pub boxes: usize,
}

#[derive(Serialize)]
pub struct DiagRow {
    pub severity: &'static str,
    pub error: bool,
    pub at: String,
    pub message: String,
    pub hint: Option<String>,
}

/// The problem list and plans of action, counted.
#[derive(Serialize)]
pub struct PlanCounts {
    pub problems: usize,
    /// Problems no task in tasks.yaml addresses.
    pub no_task: usize,
    /// Schools with a shortfall.
    pub schools: usize,
    /// Teachers the transfers move.
    pub transfers: u64,
}

/// The documents a reader opens first, in this order; then the rest.
const MAIN: [&str; 4] = ["自评报告.", "申报表.", "评分自查表.", "一校一策整改方案."];

/// The outputs as the page lists them: the main documents first, then the rest, numbers in
/// names in their natural order (A1, A2, … A10, not A1, A10, A2).
pub fn ordered(outputs: &[String]) -> Vec<String> {
    let rank = |o: &str| MAIN.iter().position(|m| o.starts_with(m)).unwrap_or(MAIN.len());
    let mut v = outputs.to_vec();
    v.sort_by(|x, y| rank(x).cmp(&rank(y)).then_with(|| natural(x, y)));
    v
}

/// Compares names with runs of digits taken as numbers.
fn natural(x: &str, y: &str) -> std::cmp::Ordering {
    fn parts(s: &str) -> Vec<(String, u64)> {
        let mut out = vec![];
        let mut text = String::new();
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            if c.is_ascii_digit() {
                let mut n = c.to_digit(10).map_or(0, u64::from);
                while let Some(d) = chars.peek().and_then(|d| d.to_digit(10)) {
                    n = n.saturating_mul(10).saturating_add(u64::from(d));
                    chars.next();
                }
                out.push((std::mem::take(&mut text), n));
            } else {
                text.push(c);
            }
        }
        out.push((text, u64::MAX));
        out
    }
    parts(x).cmp(&parts(y)).then_with(|| x.cmp(y))
}

pub fn context(a: &Assessment, units: &[TaskList], outputs: &[String]) -> Overview {
    let problems = super::rectification::problems(a);
    let failing = a
        .indicators
        .iter()
        .filter(|i| i.verdict != Verdict::Met)
        .map(|i| Failing {
            id: i.id.clone(),
            name: i.name.clone(),
            verdict: i.verdict.label(),
            state: match i.verdict {
                Verdict::NotMet => "bad",
                _ => "pending",
            },
            summary: i.summary.clone(),
            // What fails, worded as the documents word it; not the county's account of work done.
            reasons: super::problem_text::worded(a, i, super::problem_text::problem_reasons(i)),
        })
        .collect();
    let cell = |st: &StageResource, k: &ResourceKey| match (st.cv[k], st.cv_pass[k]) {
        (Some(c), Some(p)) => CvCell {
            v: crate::rules::fmt_beside(c, 3, st.cv_limit, !p),
            ok: p,
        },
        _ => CvCell {
            v: "—".into(),
            ok: true,
        },
    };
    let cv = ResourceKey::ALL
        .iter()
        .map(|k| CvRow {
            label: k.label(),
            primary: cell(&a.resource.primary, k),
            junior: cell(&a.resource.junior, k),
        })
        .collect();
    let units = units
        .iter()
        .map(|u| UnitRow {
            name: u.unit.clone(),
            person: u.person.clone(),
            leads: u.leads.len(),
            evidence: u.progress.clone(),
            evidence_done: u.evidence.iter().filter(|e| e.progress.state == "已提供").count(),
            evidence_total: u.evidence.len(),
            missing: u.missing,
            overdue: u.overdue,
            tasks: u.tasks.len(),
        })
        .collect();
    Overview {
        county: a.county.as_ref().map(|c| c.name.clone()).unwrap_or_default(),
        today: a.county.as_ref().map(|c| c.today.to_string()).unwrap_or_default(),
        profile: format!("《{}》（{}）", a.profile.name, a.profile.source),
        overall: a.overall.verdict.label(),
        overall_state: match a.overall.verdict {
            Verdict::Met => "ok",
            Verdict::NotMet => "bad",
            Verdict::Pending => "pending",
        },
        overall_reasons: a.overall.reasons.clone(),
        b: a.b_pass_mark.filter(|_| a.b_max > 0.0).map(|m| {
            format!(
                "{} / {} 分（{} 分达标）",
                fmt_num(a.b_total),
                fmt_num(a.b_max),
                fmt_num(m)
            )
        }),
        failing,
        cv,
        limits: [
            format!("{:.2}", a.resource.primary.cv_limit),
            format!("{:.2}", a.resource.junior.cv_limit),
        ],
        units,
        evidence: EvidenceCounts {
            listed: a.evidence.listed,
            present: a.evidence.present,
            missing: a.evidence.missing_files,
            not_yet: a
                .evidence
                .items
                .iter()
                .filter(|i| !crate::rules::evidence::counts(i))
                .count(),
            boxes: a.evidence.boxes.len(),
        },
        diagnostics: a
            .diagnostics
            .iter()
            .map(|d| DiagRow {
                severity: d.severity.label(),
                error: d.severity == Severity::Error,
                at: d.at.clone(),
                message: d.message.clone(),
                hint: d.hint.clone(),
            })
            .collect(),
        plan: PlanCounts {
            problems: problems.len(),
            no_task: problems.iter().filter(|p| !p.answer.has_task).count(),
            schools: a
                .gaps
                .iter()
                .filter(|g| g.verdict != Verdict::Met)
                .map(|g| g.school_code.as_str())
                .collect::<std::collections::BTreeSet<_>>()
                .len(),
            transfers: a.transfers.iter().map(|t| u64::from(t.count)).sum::<u64>(),
        },
        outputs: ordered(outputs),
        since: None,
        recent: None,
        returns: None,
    }
}

const NAME: &str = "index.html";

/// The page's template: the workspace's templates/index.html if present, else the built-in one.
fn template(root: &Path) -> String {
    templates::override_text(root, NAME).unwrap_or_else(|| templates::INDEX_HTML.to_owned())
}

pub fn render(root: &Path, overview: &Overview) -> Result<String, ::tera::Error> {
    tera::render(NAME, &template(root), &::tera::Context::from_serialize(overview)?)
}

/// Whether the template parses (checked with the plan, so `check` reports it too).
pub fn check_template(root: &Path) -> Result<(), ::tera::Error> {
    tera::parse(NAME, &template(root))
}

pub fn template_error(e: &::tera::Error) -> Diagnostic {
    Diagnostic::error(
        "overview-template",
        Location::file(format!("{}/{NAME}", paths::TEMPLATES_DIR)),
        format!("总览页模板有误：{}", tera::describe(e)),
    )
    .with_hint("若修改过 templates/index.html，请检查该处")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn main_documents_first_and_boxes_in_natural_order() {
        let names = [
            "档案盒/A10.pdf",
            "基础数据表.xlsx",
            "档案盒/A2.pdf",
            "评分自查表.pdf",
            "档案盒/A1.pdf",
            "自评报告.pdf",
        ];
        let got = ordered(&names.map(String::from));
        assert_eq!(
            got,
            [
                "自评报告.pdf",
                "评分自查表.pdf",
                "基础数据表.xlsx",
                "档案盒/A1.pdf",
                "档案盒/A2.pdf",
                "档案盒/A10.pdf"
            ]
        );
    }
}
