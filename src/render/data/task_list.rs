//! 任务清单 of one responsible unit: its indicators, the evidence it owes, its tasks.

use serde_json::{Value, json};
use std::collections::HashSet;

use super::{county, state};
use crate::model::{Unit, Workspace};
use crate::rules::Assessment;

/// Evidence a unit owes for the indicators it leads: per assessment point, what the profile
/// expects and what the catalogue lists (a listed file that is absent counts as missing).
fn evidence_status(ws: &Workspace, ids: &[String]) -> Vec<Value> {
    let found: HashSet<&str> = ws.files.iter().map(|f| f.rel.as_str()).collect();
    let mut out = vec![];
    for id in ids {
        let Some(ind) = ws.profile.indicators.iter().find(|i| &i.id == id) else {
            continue;
        };
        for p in &ind.points {
            let items: Vec<&crate::model::EvidenceItem> = ws
                .evidence
                .iter()
                .filter(|e| &e.indicator == id && e.point == p.id)
                .collect();
            let present = |e: &&crate::model::EvidenceItem| e.file.as_deref().is_none_or(|f| found.contains(f));
            let absent: Vec<String> = items.iter().filter(|e| !present(e)).map(|e| e.title.clone()).collect();
            let provided = items.len() - absent.len();
            let state = if provided == 0 {
                "缺"
            } else if !absent.is_empty() {
                "部分缺失"
            } else {
                "已提供"
            };
            out.push(json!({
                "indicator": id, "point": p.id, "expected": p.evidence.join("；"),
                "provided": provided, "absent": absent, "state": state,
            }));
        }
    }
    out
}

/// 任务清单 of one unit: its indicators, evidence owed and tasks with deadline marks.
pub fn task_list(ws: &Workspace, a: &Assessment, unit: &Unit) -> Value {
    let leads = unit.leads.clone().unwrap_or_default();
    let supports = unit.supports.clone().unwrap_or_default();
    let ind = |id: &String| {
        a.indicators
            .iter()
            .find(|i| &i.id == id)
            .map(|i| json!({"id": i.id, "name": i.name, "verdict": i.verdict.label(), "state": state(i.verdict)}))
    };
    let tasks: Vec<Value> = a
        .tasks
        .iter()
        .filter(|t| t.unit == unit.name)
        .map(|t| {
            let status = serde_json::to_value(t.status).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
            let flag = if t.overdue { "已逾期" } else if t.due_soon { "7日内到期" } else { "" };
            // The schools a task rectifies, by name (tasks.yaml gives their codes).
            let schools: Vec<&str> = t
                .schools
                .iter()
                .map(|c| ws.schools.iter().find(|s| &s.code == c).map(|s| s.name.as_str()).unwrap_or(c.as_str()))
                .collect();
            json!({"task": t.task, "schools": schools.join("、"), "indicators": t.indicators.join("、"), "person": t.person, "due": t.due.to_string(), "status": status, "flag": flag})
        })
        .collect();
    let evidence = evidence_status(ws, &leads);
    let missing = evidence.iter().filter(|e| e["state"] != "已提供").count();
    json!({
        "county": county(ws),
        "unit": unit.name,
        "full_name": unit.full_name.clone().unwrap_or_else(|| unit.name.clone()),
        "leader": unit.leader, "person": unit.person, "phone": unit.phone,
        "leads": leads.iter().filter_map(ind).collect::<Vec<_>>(),
        "supports": supports.iter().filter_map(ind).collect::<Vec<_>>(),
        "evidence": evidence,
        "missing": missing,
        "tasks": tasks,
        "overdue": a.tasks.iter().filter(|t| t.unit == unit.name && t.overdue).count(),
        "date": super::cn_date(ws),
    })
}
