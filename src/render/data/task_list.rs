//! 任务清单 of one responsible unit: its indicators, the evidence it owes, its tasks — one
//! struct that the PDF (templates/task-list.typ), the workbook and the overview page draw.

use serde::Serialize;
use std::collections::HashMap;

use super::evidence_progress::{self, PointProgress, Progress};
use super::{county, state};
use crate::model::returns::EvidenceRefused;
use crate::model::team::evidence_due;
use crate::model::{EvidenceItem, Unit, Workspace};
use crate::rules::Assessment;
use crate::rules::evidence::ItemState;

#[derive(Serialize)]
pub struct TaskList {
    pub county: String,
    pub unit: String,
    pub full_name: String,
    pub leader: Option<String>,
    pub person: Option<String>,
    pub phone: Option<String>,
    /// The indicators it leads and supports, with their verdicts.
    pub leads: Vec<IndicatorRef>,
    pub supports: Vec<IndicatorRef>,
    /// What it owes for the indicators it leads, per assessment point.
    pub evidence: Vec<EvidenceOwed>,
    /// Points whose evidence is not all there.
    pub missing: usize,
    /// Its points counted by state, and the line that says so.
    pub progress: Progress,
    pub tasks: Vec<TaskRow>,
    /// Its tasks past their deadline.
    pub overdue: usize,
    pub date: String,
}

#[derive(Serialize)]
pub struct IndicatorRef {
    pub id: String,
    pub name: String,
    pub verdict: &'static str,
    pub state: &'static str,
}

/// An assessment point's evidence: what the profile expects, what the catalogue lists and
/// the record refused, and its deadline.
#[derive(Serialize)]
pub struct EvidenceOwed {
    pub indicator: String,
    pub point: String,
    pub expected: String,
    #[serde(flatten)]
    pub progress: PointProgress,
}

#[derive(Serialize)]
pub struct TaskRow {
    pub task: String,
    /// The schools it rectifies, by name.
    pub schools: String,
    pub indicators: String,
    pub person: Option<String>,
    pub due: String,
    /// tasks.yaml's status word.
    pub status: String,
    /// 已逾期, 7日内到期 or nothing.
    pub flag: &'static str,
}

/// Evidence a unit owes for the indicators it leads, per assessment point: what the profile
/// expects, what the catalogue lists (a listed file that is absent counts as missing), what
/// was sent back, and when it is due.
pub(crate) fn evidence_status(ws: &Workspace, a: &Assessment, unit: &str, ids: &[String]) -> Vec<EvidenceOwed> {
    // A today that could not be read judges no deadline (as rules::tasks).
    let today = ws
        .config
        .as_ref()
        .filter(|c| !c.unread.iter().any(|f| f == "today"))
        .map(|c| c.today);
    let mut by_point: HashMap<(&str, &str), Vec<(&EvidenceItem, &ItemState)>> = HashMap::new();
    for s in &a.evidence.items {
        by_point
            .entry((s.indicator.as_str(), s.point.as_str()))
            .or_default()
            .push((&ws.evidence[s.index], s));
    }
    let mut out = vec![];
    for id in ids {
        let Some(ind) = ws.profile.indicators.iter().find(|i| &i.id == id) else {
            continue;
        };
        let due = evidence_due(&ws.tasks, unit, id);
        for p in &ind.points {
            let items = by_point
                .get(&(id.as_str(), p.id.as_str()))
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            let refused: Vec<&EvidenceRefused> = ws
                .refused
                .iter()
                .filter(|r| r.unit == unit && &r.indicator == id && r.point == p.id)
                .collect();
            out.push(EvidenceOwed {
                indicator: id.clone(),
                point: p.id.clone(),
                expected: p.evidence.join("；"),
                progress: evidence_progress::point(items, &refused, due, today),
            });
        }
    }
    out
}

/// 任务清单 of one unit: its indicators, evidence owed and tasks with deadline marks.
pub fn task_list(ws: &Workspace, a: &Assessment, unit: &Unit) -> TaskList {
    let leads = unit.leads.clone().unwrap_or_default();
    let supports = unit.supports.clone().unwrap_or_default();
    let ind = |id: &String| {
        a.indicators.iter().find(|i| &i.id == id).map(|i| IndicatorRef {
            id: i.id.clone(),
            name: i.name.clone(),
            verdict: i.verdict.label(),
            state: state(i.verdict),
        })
    };
    let tasks = a
        .tasks
        .iter()
        .filter(|t| t.unit == unit.name)
        .map(|t| {
            let status = serde_json::to_value(t.status)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            let flag = if t.overdue {
                "已逾期"
            } else if t.due_soon {
                "7日内到期"
            } else {
                ""
            };
            // The schools a task rectifies, by name (tasks.yaml gives their codes).
            let schools: Vec<&str> = t
                .schools
                .iter()
                .map(|c| {
                    ws.schools
                        .iter()
                        .find(|s| &s.code == c)
                        .map(|s| s.name.as_str())
                        .unwrap_or(c.as_str())
                })
                .collect();
            TaskRow {
                task: t.task.clone(),
                schools: schools.join("、"),
                indicators: t.indicators.join("、"),
                person: t.person.clone(),
                due: t.due.to_string(),
                status,
                flag,
            }
        })
        .collect();
    let evidence = evidence_status(ws, a, &unit.name, &leads);
    let missing = evidence
        .iter()
        .filter(|e| !matches!(e.progress.state, "已提供" | "待审核"))
        .count();
    let progress = evidence_progress::summary(evidence.iter().map(|e| &e.progress));
    TaskList {
        county: county(ws),
        unit: unit.name.clone(),
        full_name: unit.full_name.clone().unwrap_or_else(|| unit.name.clone()),
        leader: unit.leader.clone(),
        person: unit.person.clone(),
        phone: unit.phone.clone(),
        leads: leads.iter().filter_map(ind).collect(),
        supports: supports.iter().filter_map(ind).collect(),
        evidence,
        missing,
        progress,
        tasks,
        overdue: a.tasks.iter().filter(|t| t.unit == unit.name && t.overdue).count(),
        date: super::cn_date(ws),
    }
}
